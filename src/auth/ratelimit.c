/* Sliding-window rate limits: a hash table of small timestamp rings, bounded by LRU eviction. Keys are
 * stored as fixed-size keyed BLAKE2b digests, so a 7 MiB user name costs what "alice" costs. */
#include "auth/ratelimit.h"
#include "core/alloc.h"
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A flood of distinct keys (spoofed names, many addresses) must not grow memory without bound. */
#define RATELIMIT_MAX_KEYS 100000
#define RATELIMIT_MIN_BUCKETS 64
#define ID_BYTES 16 /* 128 bits: collisions between distinct keys are out of reach */

struct entry {
	struct entry *next;             /* hash chain */
	struct entry *lru_prev, *lru_next; /* most recently hit first */
	unsigned char id[ID_BYTES];     /* keyed digest of the key */
	size_t head, n;                 /* ring: oldest event at times[head], n events */
	time_t times[];                 /* max_events slots */
};

struct ratelimit {
	pthread_mutex_t lock;
	int max_events, window;
	struct entry **buckets;
	size_t nbuckets, count;
	struct entry *lru_head, *lru_tail;
	/* Keys come from clients: a secret digest key stops them from choosing colliding keys. */
	unsigned char seed[crypto_generichash_KEYBYTES];
	/* Shared limits keep nothing here: their events are in a store (ratelimit_new_shared). */
	bool shared;
	struct ratelimit_shared sh;
	const char *bucket;
};

static void key_id(const struct ratelimit *rl, const char *key, unsigned char id[ID_BYTES])
{
	crypto_generichash(id, ID_BYTES, (const unsigned char *)key, strlen(key), rl->seed, sizeof rl->seed);
}

static size_t bucket_of(const unsigned char id[ID_BYTES], size_t nbuckets)
{
	uint64_t v;
	memcpy(&v, id, sizeof v);
	return (size_t)(v & (nbuckets - 1));
}

struct ratelimit *ratelimit_new(int max_events, int window_seconds)
{
	struct ratelimit *rl = xcalloc(1, sizeof *rl);

	if (sodium_init() < 0) {
		fputs("ratelimit: sodium_init failed\n", stderr);
		abort();
	}
	rl->max_events = max_events > 0 ? max_events : 1;
	rl->window = window_seconds > 0 ? window_seconds : 1;
	rl->nbuckets = RATELIMIT_MIN_BUCKETS;
	rl->buckets = xcalloc(rl->nbuckets, sizeof *rl->buckets);
	randombytes_buf(rl->seed, sizeof rl->seed);
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

struct ratelimit *ratelimit_new_shared(int max_events, int window_seconds, const char *bucket,
                                       const struct ratelimit_shared *sh, const unsigned char seed[32])
{
	struct ratelimit *rl = ratelimit_new(max_events, window_seconds);
	_Static_assert(sizeof rl->seed == 32, "the shared seed is 32 bytes");
	memcpy(rl->seed, seed, sizeof rl->seed);
	rl->shared = true;
	rl->sh = *sh;
	rl->bucket = bucket;
	return rl;
}

/* A shared limit's key: the keyed digest in hex (the same on every server, the key itself never stored). */
static void shared_key(const struct ratelimit *rl, const char *key, char hex[2 * ID_BYTES + 1])
{
	unsigned char id[ID_BYTES];
	key_id(rl, key, id);
	sodium_bin2hex(hex, 2 * ID_BYTES + 1, id, ID_BYTES);
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	struct entry *e = rl->lru_head;
	while (e) {
		struct entry *next = e->lru_next;
		free(e);
		e = next;
	}
	free(rl->buckets);
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

static struct entry *find(struct ratelimit *rl, const unsigned char id[ID_BYTES], struct entry ***link)
{
	struct entry **pp = &rl->buckets[bucket_of(id, rl->nbuckets)];
	for (; *pp; pp = &(*pp)->next) {
		if (memcmp((*pp)->id, id, ID_BYTES) == 0)
			break;
	}
	if (link)
		*link = pp;
	return *pp;
}

static void lru_unlink(struct ratelimit *rl, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		rl->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		rl->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push_front(struct ratelimit *rl, struct entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = rl->lru_head;
	if (rl->lru_head)
		rl->lru_head->lru_prev = e;
	else
		rl->lru_tail = e;
	rl->lru_head = e;
}

static void remove_entry(struct ratelimit *rl, struct entry *e)
{
	struct entry **pp;
	find(rl, e->id, &pp);
	*pp = e->next;
	lru_unlink(rl, e);
	rl->count--;
	free(e);
}

static void grow(struct ratelimit *rl)
{
	size_t nb = rl->nbuckets * 2;
	struct entry **b = xcalloc(nb, sizeof *b);

	for (size_t i = 0; i < rl->nbuckets; i++) {
		struct entry *e = rl->buckets[i];
		while (e) {
			struct entry *next = e->next;
			size_t j = bucket_of(e->id, nb);
			e->next = b[j];
			b[j] = e;
			e = next;
		}
	}
	free(rl->buckets);
	rl->buckets = b;
	rl->nbuckets = nb;
}

/* Drops events that have left the window (t + window <= now). */
static void expire(const struct ratelimit *rl, struct entry *e, time_t now)
{
	while (e->n > 0 && e->times[e->head] <= now - rl->window) {
		e->head = (e->head + 1) % (size_t)rl->max_events;
		e->n--;
	}
}

bool ratelimit_blocked(struct ratelimit *rl, const char *key, time_t now, int *retry_after)
{
	bool blocked = false;
	int wait = 0;
	unsigned char id[ID_BYTES];

	if (rl->shared) {
		char hex[2 * ID_BYTES + 1];
		int64_t count = 0, oldest = 0;
		shared_key(rl, key, hex);
		if (rl->sh.count(rl->sh.ctx, rl->bucket, hex, (int64_t)now - rl->window + 1, &count, &oldest) == 0 &&
		    count >= rl->max_events) {
			int64_t left = oldest + rl->window - (int64_t)now;
			blocked = true;
			wait = left < 1 ? 1 : left > rl->window ? rl->window : (int)left;
		}
		if (retry_after)
			*retry_after = wait;
		return blocked;
	}
	key_id(rl, key, id);
	pthread_mutex_lock(&rl->lock);
	struct entry *e = find(rl, id, NULL);
	if (e) {
		expire(rl, e, now);
		if (e->n >= (size_t)rl->max_events) {
			time_t left = e->times[e->head] + rl->window - now;
			blocked = true;
			wait = left < 1 ? 1 : left > rl->window ? rl->window : (int)left;
		} else if (e->n == 0) {
			remove_entry(rl, e); /* nothing left to remember */
		}
	}
	pthread_mutex_unlock(&rl->lock);
	if (retry_after)
		*retry_after = wait;
	return blocked;
}

void ratelimit_hit(struct ratelimit *rl, const char *key, time_t now)
{
	struct entry **link;
	unsigned char id[ID_BYTES];

	if (rl->shared) {
		char hex[2 * ID_BYTES + 1];
		shared_key(rl, key, hex);
		rl->sh.add(rl->sh.ctx, rl->bucket, hex, (int64_t)now);
		return;
	}
	key_id(rl, key, id);
	pthread_mutex_lock(&rl->lock);
	struct entry *e = find(rl, id, &link);
	if (e) {
		lru_unlink(rl, e);
		expire(rl, e, now);
	} else {
		/* The least recently hit key is the oldest; once the table is full, it goes. */
		if (rl->count >= RATELIMIT_MAX_KEYS && rl->lru_tail) {
			remove_entry(rl, rl->lru_tail);
			find(rl, id, &link);
		}
		if (rl->count >= rl->nbuckets) {
			grow(rl);
			find(rl, id, &link);
		}
		e = xmalloc(sizeof *e + (size_t)rl->max_events * sizeof e->times[0]);
		memcpy(e->id, id, ID_BYTES);
		e->head = e->n = 0;
		e->next = NULL;
		*link = e;
		rl->count++;
	}
	size_t max = (size_t)rl->max_events;
	/* A full ring overwrites its oldest event: only the latest max_events can decide a block. */
	e->times[(e->head + e->n) % max] = now;
	if (e->n == max)
		e->head = (e->head + 1) % max;
	else
		e->n++;
	lru_push_front(rl, e);
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_clear(struct ratelimit *rl, const char *key)
{
	unsigned char id[ID_BYTES];

	if (rl->shared) {
		char hex[2 * ID_BYTES + 1];
		shared_key(rl, key, hex);
		rl->sh.clear(rl->sh.ctx, rl->bucket, hex);
		return;
	}
	key_id(rl, key, id);
	pthread_mutex_lock(&rl->lock);
	struct entry *e = find(rl, id, NULL);
	if (e)
		remove_entry(rl, e);
	pthread_mutex_unlock(&rl->lock);
}
