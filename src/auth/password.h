/* Password hashing with argon2id (libsodium); the encoded string carries its own salt and costs. */
#ifndef QUIRE_AUTH_PASSWORD_H
#define QUIRE_AUTH_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128 /* >= crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 1024

enum password_cost {
	PASSWORD_COST_MIN,         /* libsodium's minimum: for test suites only */
	PASSWORD_COST_INTERACTIVE, /* default: ~64 MiB, fast enough for a login */
	PASSWORD_COST_MODERATE,
};

/* Process-wide cost for new hashes (config key password_cost). Call before serving. */
void password_set_cost(enum password_cost c);
/* At most n argon2id computations (hash or verify) run at once in this process (default 2): each takes
 * 64-256 MiB and a core for a good part of a second. Callers beyond n wait their turn. */
void password_set_concurrency(unsigned n);
/* "min", "interactive", "moderate" -> 0; Q_EINVAL otherwise. */
int password_cost_parse(const char *name, enum password_cost *out);
/* Hashes pw into out (NUL-terminated "$argon2id$..."). Q_ERR when memory is short. */
int password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX]);
/* Constant-time check of pw against an encoded hash. */
bool password_verify(const char *hash, const char *pw, size_t len);
#endif
