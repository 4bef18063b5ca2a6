/* Sliding-window rate limits keyed by strings (client IP, account name). Thread-safe. Each key is kept as a
 * fixed-size digest: memory per key does not depend on the key's length. In memory (one server), or in a store
 * several servers share (ratelimit_new_shared), so that three servers do not triple a limit. */
#ifndef QUIRE_AUTH_RATELIMIT_H
#define QUIRE_AUTH_RATELIMIT_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct ratelimit;

/* At most max_events per window_seconds for each key. Memory is bounded (old keys evicted). */
struct ratelimit *ratelimit_new(int max_events, int window_seconds);

/* Where a shared limit keeps its events (a store: store.h's limit_count, limit_add, limit_clear): events of a key
 * (a hex digest, never the key itself) in a bucket (the limit's name). Each returns 0 or a failure; a limit whose
 * store fails lets the request through (a database outage must not lock everyone out). */
struct ratelimit_shared {
	int (*count)(void *ctx, const char *bucket, const char *key, int64_t since, int64_t *count, int64_t *oldest);
	int (*add)(void *ctx, const char *bucket, const char *key, int64_t at);
	int (*clear)(void *ctx, const char *bucket, const char *key);
	void *ctx;
};
/* A limit whose events live in sh, named bucket; seed (32 bytes, the same on every server: a shared secret) keys
 * the digests. sh is copied; bucket must outlive the limit. */
struct ratelimit *ratelimit_new_shared(int max_events, int window_seconds, const char *bucket,
                                       const struct ratelimit_shared *sh, const unsigned char seed[32]);
void ratelimit_free(struct ratelimit *rl);
/* True when key has reached its limit at time now; *retry_after = seconds until one event expires. */
bool ratelimit_blocked(struct ratelimit *rl, const char *key, time_t now, int *retry_after);
/* Records one event for key at now. */
void ratelimit_hit(struct ratelimit *rl, const char *key, time_t now);
/* Forgets key (e.g. after a successful login). */
void ratelimit_clear(struct ratelimit *rl, const char *key);
#endif
