/* Guest page cache: a fixed table of slots, one lock per slot; stale generations are misses.
 * Every committed store write bumps the generation, so any change invalidates every page at once:
 * simple and always correct, and writes are rare next to reads on an archive. */
#include "web/page_cache.h"
#include "core/alloc.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	pthread_mutex_t lock;
	char *key;
	uint64_t generation;
	struct http_frozen *resp;
};

struct page_cache {
	unsigned nslots;
	struct slot *slots;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct page_cache *page_cache_new(unsigned slots)
{
	struct page_cache *c = xcalloc(1, sizeof *c);
	c->nslots = slots ? slots : 1;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	for (unsigned i = 0; i < c->nslots; i++)
		pthread_mutex_init(&c->slots[i].lock, NULL);
	return c;
}

void page_cache_free(struct page_cache *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->nslots; i++) {
		free(c->slots[i].key);
		if (c->slots[i].resp)
			http_frozen_release(c->slots[i].resp);
		pthread_mutex_destroy(&c->slots[i].lock);
	}
	free(c->slots);
	free(c);
}

struct http_frozen *page_cache_get(struct page_cache *c, const char *key, uint64_t generation)
{
	struct slot *s = &c->slots[hash(key) % c->nslots];
	struct http_frozen *r = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->resp && s->generation == generation && strcmp(s->key, key) == 0)
		r = http_frozen_retain(s->resp);
	pthread_mutex_unlock(&s->lock);
	return r;
}

void page_cache_put(struct page_cache *c, const char *key, uint64_t generation, const struct http_response *resp)
{
	struct http_frozen *f = http_freeze(resp);
	if (!f)
		return;
	struct slot *s = &c->slots[hash(key) % c->nslots];
	pthread_mutex_lock(&s->lock);
	struct http_frozen *old = s->resp;
	free(s->key);
	s->key = xstrdup(key);
	s->generation = generation;
	s->resp = f;
	pthread_mutex_unlock(&s->lock);
	if (old)
		http_frozen_release(old);
}
