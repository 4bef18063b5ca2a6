/* Cache of rendered guest pages, keyed by URL and reading preferences, invalidated by any store write. */
#ifndef QUIRE_WEB_PAGE_CACHE_H
#define QUIRE_WEB_PAGE_CACHE_H
#include <stdint.h>
#include "http/server.h"

struct page_cache;

struct page_cache *page_cache_new(unsigned slots);
void page_cache_free(struct page_cache *c);
/* A reference to the cached response for key if it was stored at this store generation, else NULL.
 * The caller owns the reference (send it or http_frozen_release it). */
struct http_frozen *page_cache_get(struct page_cache *c, const char *key, uint64_t generation);
/* Stores a frozen copy of resp under key for the given generation (replacing what was there). */
void page_cache_put(struct page_cache *c, const char *key, uint64_t generation, const struct http_response *resp);
#endif
