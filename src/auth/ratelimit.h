/* In-memory sliding-window rate limits keyed by strings (client IP, account name). Thread-safe.
 * Each key is kept as a fixed-size digest: memory per key does not depend on the key's length. */
#ifndef QUIRE_AUTH_RATELIMIT_H
#define QUIRE_AUTH_RATELIMIT_H
#include <stdbool.h>
#include <time.h>

struct ratelimit;

/* At most max_events per window_seconds for each key. Memory is bounded (old keys evicted). */
struct ratelimit *ratelimit_new(int max_events, int window_seconds);
void ratelimit_free(struct ratelimit *rl);
/* True when key has reached its limit at time now; *retry_after = seconds until one event expires. */
bool ratelimit_blocked(struct ratelimit *rl, const char *key, time_t now, int *retry_after);
/* Records one event for key at now. */
void ratelimit_hit(struct ratelimit *rl, const char *key, time_t now);
/* Forgets key (e.g. after a successful login). */
void ratelimit_clear(struct ratelimit *rl, const char *key);
#endif
