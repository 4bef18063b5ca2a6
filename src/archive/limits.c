/* Rate limits in memory or in a shared store (limits.h): the store's limit operations behind ratelimit_shared. */
#include "archive/limits.h"
#include "core/log.h"
#include <sodium.h>

static int count(void *ctx, const char *bucket, const char *key, int64_t since, int64_t *n, int64_t *oldest)
{
	return store_limit_count(ctx, bucket, key, since, n, oldest);
}

static int add(void *ctx, const char *bucket, const char *key, int64_t at)
{
	return store_limit_add(ctx, bucket, key, at);
}

static int clear(void *ctx, const char *bucket, const char *key)
{
	return store_limit_clear(ctx, bucket, key);
}

struct ratelimit *archive_ratelimit_new(struct store *st, const char *name, int max_events, int window_seconds)
{
	if (!st || !store_has(st, STORE_CAP_SHARED))
		return ratelimit_new(max_events, window_seconds);
	/* Every server digests keys alike: the seed is a secret of the store, made once. */
	unsigned char seed[32];
	if (store_secret(st, "ratelimit_key", seed, sizeof seed) != 0) {
		log_error("limits: the shared key of rate limits could not be read: %s is kept per server for now", name);
		return ratelimit_new(max_events, window_seconds);
	}
	struct ratelimit_shared sh = {count, add, clear, st};
	struct ratelimit *rl = ratelimit_new_shared(max_events, window_seconds, name, &sh, seed);
	sodium_memzero(seed, sizeof seed);
	return rl;
}
