/* argon2id in a child process, so that its large short-lived allocations stay out of the server's
 * address space.
 *
 * Why: each hash maps 64-256 MiB and unmaps it again; unmapping holds the process's memory-map lock for
 * tens of milliseconds (far longer when that thread is short of CPU), and every network thread that
 * maps memory meanwhile (libmicrohttpd maps each connection's buffer) waits for it. Measured here: 8
 * log-ins at the moderate cost stalled /healthz for 300-1,200 ms with argon2id in process, not at all
 * with it in a helper. The helper also keeps those hundreds of MiB out of the server's RSS.
 *
 * Thread-safe once started. When the helper is not running (CLI commands, unit tests) or has died, the
 * calls return Q_ENOTFOUND and password.c hashes in process. */
#ifndef QUIRE_AUTH_PASSWORD_HELPER_H
#define QUIRE_AUTH_PASSWORD_HELPER_H
#include <stdbool.h>
#include <stddef.h>

/* Forks the helper with slots worker threads (one request at a time each). Call before the process
 * starts any thread. Q_ERR when it cannot (the caller carries on in process). */
int password_helper_start(unsigned slots);
/* Closes the helper's sockets and waits for it to exit. */
void password_helper_stop(void);
/* Hashes pw (at most PASSWORD_MAX_LEN bytes) with the given costs into out (crypto_pwhash_str format).
 * Q_ENOTFOUND when the helper is not available (out untouched), Q_ERR when libsodium failed. */
int password_helper_hash(const char *pw, size_t len, unsigned long long ops, size_t mem, char *out, size_t outlen);
/* Sets *ok to whether pw matches hash. Q_ENOTFOUND when the helper is not available. */
int password_helper_verify(const char *hash, const char *pw, size_t len, bool *ok);
#endif
