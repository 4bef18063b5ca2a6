/* Cache of rendered pages and fragments: bounded by bytes (LRU), invalidated by what each entry depends on.
 *
 * Two kinds of entries share one budget and one LRU list:
 *  - pages: whole frozen responses for guests, under a canonical key built by the web layer;
 *  - fragments: rendered HTML shared by many pages (a chapter's reading body), with the data needed to
 *    render the personal frame around it, under a "frag:" key.
 * Each entry lists its dependencies (a work, a user, a series, the listings). page_cache_invalidate drops
 * exactly the entries that depend on a change, at once (their memory is freed, not left stale).
 * An entry with a PAGE_DEP_ANY dependency is dropped by every invalidation.
 *
 * Counts: pages that list works with their kudos, hits, comments and bookmarks counts (which change with no
 * change event: store.h, "The reader's response") name the works they show (struct page_counts). Such a
 * page is served only while none of those works has a newer response version (page_cache_follow_counts)
 * than the time it was built; a listing of other works stays cached.
 *
 * Races: a request reads page_cache_epoch() before it reads the store, and passes it to put. A put whose
 * dependencies were invalidated after that epoch is refused, so a page built from data read before a write
 * can never be stored after that write's invalidation. Thread-safe; one lock. */
#ifndef QUIRE_WEB_PAGE_CACHE_H
#define QUIRE_WEB_PAGE_CACHE_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/buf.h"
#include "http/server.h"

enum page_dep_kind {
	PAGE_DEP_WORK = 1,  /* id: the work */
	PAGE_DEP_USER,      /* id: the user (author pages) */
	PAGE_DEP_SERIES,    /* id: the series */
	PAGE_DEP_LISTINGS,  /* id 0: lists of works (home, /works); every work change touches it */
	PAGE_DEP_ANY,       /* id 0: any change at all */
	PAGE_DEP_COLLECTION, /* id: the collection (its profile, members, items and challenge pages) */
};

struct page_dep {
	enum page_dep_kind kind;
	int64_t id;
};

/* A rendered fragment shared between requests: immutable once stored, reference-counted. Everything it
 * points at lives in its arena; data is the builder's own structure (also in the arena). */
struct page_frag {
	atomic_int refs;
	struct arena *arena;
	void *data;
};

/* A new fragment holding one reference, with an empty arena. */
struct page_frag *page_frag_new(void);
struct page_frag *page_frag_retain(struct page_frag *f);
/* Drops one reference; the last one frees the arena. (void * so it can be an http_response_hold.) */
void page_frag_release(void *f);

struct page_cache;

/* The works whose response counts a page shows, and built_at: the time (on the clock of the versions, see
 * page_cache_follow_counts) read before the store was. Work 0 stands for every work (a page showing too
 * many to list). */
#define PAGE_COUNTS_MAX 64
struct page_counts {
	int64_t works[PAGE_COUNTS_MAX];
	size_t n;
	int64_t built_at;
};
/* Adds a work to counts (once), or makes it stand for every work when it is full. */
void page_counts_add(struct page_counts *pc, int64_t work_id);

/* A canonical page key (arena memory): the path, then only the declared query parameters (names
 * space-separated, in that order; absent ones left out), then variant (the reading preferences). Path and
 * values are percent-encoded, so a value cannot smuggle a separator ("1%26page%3D2" stays one value), and
 * parameters nobody declared never make a new key. */
const char *page_cache_key(struct arena *a, const char *path, const struct kvlist *query, const char *declared,
                           const char *variant);

/* A cache holding at most max_bytes (0 caches nothing). */
struct page_cache *page_cache_new(size_t max_bytes);
void page_cache_free(struct page_cache *c);

/* How the cache learns of response writes: version(ctx, work_id) is the time of the response write on the
 * work that pages showing its counts must follow (store_response_version, now). A page is served while
 * that is older than its built_at. Until this is called, pages with counts are not stored. */
void page_cache_follow_counts(struct page_cache *c, int64_t (*version)(void *ctx, int64_t work_id), void *ctx);

/* The invalidation counter to read before reading the store for a page that may be stored. */
uint64_t page_cache_epoch(struct page_cache *c);

/* The page under key, with a reference the caller owns (send it or http_frozen_release it); NULL when
 * there is none. Counts a hit or a miss. */
struct http_frozen *page_cache_get(struct page_cache *c, const char *key);
/* Stores f under key (replacing what was there), taking over the caller's reference, unless it is too
 * big (over a quarter of the budget) or a dependency changed since epoch: then f is released. counts
 * (NULL or none listed when the page shows no counts) is copied. */
void page_cache_put(struct page_cache *c, const char *key, const struct page_dep *deps, size_t ndeps,
                    uint64_t epoch, const struct page_counts *counts, struct http_frozen *f);

/* The same for fragments. page_cache_get_frag returns a reference the caller releases. */
struct page_frag *page_cache_get_frag(struct page_cache *c, const char *key);
void page_cache_put_frag(struct page_cache *c, const char *key, const struct page_dep *deps, size_t ndeps,
                         uint64_t epoch, struct page_frag *f);

/* Drops every entry that depends on one of deps (and every PAGE_DEP_ANY entry). */
void page_cache_invalidate(struct page_cache *c, const struct page_dep *deps, size_t n);
/* Drops everything. */
void page_cache_clear(struct page_cache *c);

struct page_cache_stats {
	size_t bytes, entries;
	uint64_t hits, misses, evictions;           /* pages and fragments together */
	uint64_t page_hits, page_misses, frag_hits, frag_misses;
};
void page_cache_stats(struct page_cache *c, struct page_cache_stats *out);
/* Prometheus lines: quire_cache_hits_total, quire_cache_misses_total (by kind), quire_cache_bytes,
 * quire_cache_entries, quire_cache_evictions_total. Signature of a metrics source (ctx is the cache). */
void page_cache_emit_metrics(void *ctx, struct buf *out);
#endif
