/* Page and fragment cache: a hash table of entries on one LRU list, a bucketed index from dependencies to
 * entries, and per-dependency invalidation epochs that refuse puts built from data read before a change. */
#include "front/page_cache.h"
#include "core/hash.h"
#include "core/alloc.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEP_BUCKETS 1024  /* dependency index */
#define DEP_EPOCHS 4096   /* last invalidation per dependency hash; a collision only refuses a put more */
#define ENTRY_OVERHEAD 1024 /* headers, the entry itself, index links: a fair estimate per entry */

enum kind { E_PAGE, E_FRAG };

struct entry;

/* One dependency of an entry, linked into its index bucket. */
struct dep_link {
	struct dep_link *prev, *next;
	struct entry *e;
	struct page_dep dep;
};

/* The LRU list's links; the first member of an entry, so a node is its entry. */
struct lru {
	struct lru *prev, *next; /* most recently used at the front */
};

struct entry {
	struct lru lru;
	struct entry *hnext;                /* key table chain */
	uint64_t hash;
	char *key;
	size_t bytes;
	enum kind kind;
	struct http_frozen *page;
	struct page_frag *frag;
	int64_t *counted;   /* the works whose counts the page shows (0: every work), or NULL */
	size_t ncounted;
	int64_t built_at;   /* served only while none of them has a response version this new */
	size_t ndeps;
	struct dep_link links[];
};

struct page_cache {
	pthread_mutex_t lock;
	size_t max_bytes, bytes, entries;
	struct entry **table;
	size_t nbuckets; /* power of two */
	struct lru lru; /* sentinel */
	struct dep_link *deps[DEP_BUCKETS];
	uint64_t epoch;              /* grows with every invalidation */
	uint64_t cleared_at;         /* epoch of the last clear (or invalidation touching everything) */
	uint64_t dep_epoch[DEP_EPOCHS];
	uint64_t page_hits, page_misses, frag_hits, frag_misses, evictions;
	int64_t (*counts_version)(void *ctx, int64_t work_id); /* page_cache_follow_counts */
	void *counts_ctx;
};

/* ---- fragments ---- */

struct page_frag *page_frag_new(void)
{
	struct page_frag *f = xcalloc(1, sizeof *f);
	atomic_init(&f->refs, 1);
	f->arena = arena_new();
	return f;
}

struct page_frag *page_frag_retain(struct page_frag *f)
{
	atomic_fetch_add(&f->refs, 1);
	return f;
}

void page_frag_release(void *p)
{
	struct page_frag *f = p;
	if (f && atomic_fetch_sub(&f->refs, 1) == 1) {
		arena_free(f->arena);
		free(f);
	}
}

/* ---- hashing ---- */

static uint64_t key_hash(const char *s)
{
	return hash_fnv1a(s, strlen(s));
}

static size_t dep_hash(const struct page_dep *d)
{
	uint64_t x = (uint64_t)d->id * 0x9E3779B97F4A7C15ull ^ (uint64_t)d->kind * 0xC2B2AE3D27D4EB4Full;
	return (size_t)(x ^ (x >> 29));
}

static bool dep_eq(const struct page_dep *a, const struct page_dep *b)
{
	return a->kind == b->kind && a->id == b->id;
}

/* ---- keys ---- */

/* Appends s percent-encoded, but for letters, digits and "-._~/": runs of those are copied at once. */
static void put_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char plain[256] = {
		['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, ['/'] = 1,
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
		['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
		['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
		['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
		['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	};
	while (*s) {
		const char *run = s;
		while (plain[(unsigned char)*s])
			s++;
		if (s > run)
			buf_append(b, run, (size_t)(s - run));
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s++;
		char e[3] = {'%', hex[c >> 4], hex[c & 15]};
		buf_append(b, e, 3);
	}
}

struct key_build {
	struct buf *b;
	char sep;
};

static void key_param(void *ctx, const char *name, const char *value)
{
	struct key_build *k = ctx;
	buf_putc(k->b, k->sep);
	buf_puts(k->b, name);
	buf_putc(k->b, '=');
	put_escaped(k->b, value);
	k->sep = '&';
}

const char *page_cache_key(struct arena *a, const char *path, const struct kvlist *query, const char *declared,
                           const char *variant)
{
	struct buf b = BUF_INIT;
	buf_grow(&b, 255);
	put_escaped(&b, path);
	struct key_build k = {&b, '?'};
	kv_each_declared(query, declared, key_param, &k);
	buf_putc(&b, '|');
	put_escaped(&b, variant ? variant : "");
	const char *key = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return key;
}

/* ---- counts ---- */

void page_counts_add(struct page_counts *pc, int64_t work_id)
{
	if (pc->n == 1 && pc->works[0] == 0)
		return; /* already every work */
	for (size_t i = 0; i < pc->n; i++)
		if (pc->works[i] == work_id)
			return;
	if (pc->n == PAGE_COUNTS_MAX) {
		pc->works[0] = 0;
		pc->n = 1;
		return;
	}
	pc->works[pc->n++] = work_id;
}

/* Whether a response write may have changed counts e shows since it was built (lock held). */
static bool counts_changed(const struct page_cache *c, const struct entry *e)
{
	if (!e->ncounted)
		return false;
	for (size_t i = 0; i < e->ncounted; i++)
		if (c->counts_version(c->counts_ctx, e->counted[i]) >= e->built_at)
			return true;
	return false;
}

/* ---- life cycle ---- */

struct page_cache *page_cache_new(size_t max_bytes)
{
	struct page_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->max_bytes = max_bytes;
	c->nbuckets = 256;
	c->table = xcalloc(c->nbuckets, sizeof *c->table);
	c->lru.next = c->lru.prev = &c->lru;
	c->epoch = 1;
	return c;
}

static void entry_destroy(struct entry *e)
{
	if (e->page)
		http_frozen_release(e->page);
	if (e->frag)
		page_frag_release(e->frag);
	free(e->counted);
	free(e->key);
	free(e);
}

void page_cache_free(struct page_cache *c)
{
	if (!c)
		return;
	struct lru *l = c->lru.next;
	while (l != &c->lru) {
		struct lru *next = l->next;
		entry_destroy((struct entry *)l);
		l = next;
	}
	free(c->table);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void page_cache_follow_counts(struct page_cache *c, int64_t (*version)(void *ctx, int64_t work_id), void *ctx)
{
	pthread_mutex_lock(&c->lock);
	c->counts_version = version;
	c->counts_ctx = ctx;
	pthread_mutex_unlock(&c->lock);
}

uint64_t page_cache_epoch(struct page_cache *c)
{
	pthread_mutex_lock(&c->lock);
	uint64_t e = c->epoch;
	pthread_mutex_unlock(&c->lock);
	return e;
}

/* ---- the table, LRU and index (all with the lock held) ---- */

static struct entry **slot_of(struct page_cache *c, const char *key, uint64_t h)
{
	struct entry **p = &c->table[h & (c->nbuckets - 1)];
	while (*p && ((*p)->hash != h || strcmp((*p)->key, key) != 0))
		p = &(*p)->hnext;
	return p;
}

static void grow_table(struct page_cache *c)
{
	size_t n = c->nbuckets * 2;
	struct entry **t = xcalloc(n, sizeof *t);
	for (size_t i = 0; i < c->nbuckets; i++) {
		struct entry *e = c->table[i];
		while (e) {
			struct entry *next = e->hnext;
			e->hnext = t[e->hash & (n - 1)];
			t[e->hash & (n - 1)] = e;
			e = next;
		}
	}
	free(c->table);
	c->table = t;
	c->nbuckets = n;
}

static void lru_unlink(struct entry *e)
{
	e->lru.prev->next = e->lru.next;
	e->lru.next->prev = e->lru.prev;
}

static void lru_push_front(struct page_cache *c, struct entry *e)
{
	e->lru.next = c->lru.next;
	e->lru.prev = &c->lru;
	c->lru.next->prev = &e->lru;
	c->lru.next = &e->lru;
}

/* Takes e out of every structure and onto *dead (through hnext), to be destroyed after unlocking. */
static void detach(struct page_cache *c, struct entry *e, struct entry **dead)
{
	struct entry **p = slot_of(c, e->key, e->hash);
	if (*p == e)
		*p = e->hnext;
	lru_unlink(e);
	for (size_t i = 0; i < e->ndeps; i++) {
		struct dep_link *l = &e->links[i];
		if (l->prev)
			l->prev->next = l->next;
		else
			c->deps[dep_hash(&l->dep) % DEP_BUCKETS] = l->next;
		if (l->next)
			l->next->prev = l->prev;
	}
	c->bytes -= e->bytes;
	c->entries--;
	e->hnext = *dead;
	*dead = e;
}

static void destroy_all(struct entry *dead)
{
	while (dead) {
		struct entry *next = dead->hnext;
		entry_destroy(dead);
		dead = next;
	}
}

/* Whether an entry with these dependencies, built from data read at epoch, may still be stored. */
static bool still_fresh(struct page_cache *c, const struct page_dep *deps, size_t n, uint64_t epoch)
{
	if (c->cleared_at > epoch)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (deps[i].kind == PAGE_DEP_ANY ? c->epoch > epoch : c->dep_epoch[dep_hash(&deps[i]) % DEP_EPOCHS] > epoch)
			return false;
	}
	return true;
}

static void put(struct page_cache *c, const char *key, const struct page_dep *deps, size_t ndeps, uint64_t epoch,
                const struct page_counts *counts, enum kind kind, struct http_frozen *page, struct page_frag *frag,
                size_t size)
{
	size_t klen = strlen(key), ncounted = counts ? counts->n : 0;
	size_t bytes = size + klen + ENTRY_OVERHEAD + ndeps * sizeof(struct dep_link) + ncounted * sizeof(int64_t);
	struct entry *dead = NULL;
	pthread_mutex_lock(&c->lock);
	if (bytes > c->max_bytes / 4 || !still_fresh(c, deps, ndeps, epoch) || (ncounted && !c->counts_version)) {
		pthread_mutex_unlock(&c->lock);
		if (page)
			http_frozen_release(page);
		if (frag)
			page_frag_release(frag);
		return;
	}
	uint64_t h = key_hash(key);
	struct entry *old = *slot_of(c, key, h);
	if (old)
		detach(c, old, &dead);
	struct entry *e = xcalloc(1, sizeof *e + ndeps * sizeof e->links[0]);
	e->hash = h;
	e->key = xstrdup(key);
	e->bytes = bytes;
	e->kind = kind;
	e->page = page;
	e->frag = frag;
	if (ncounted) {
		e->counted = xmalloc(ncounted * sizeof *e->counted);
		memcpy(e->counted, counts->works, ncounted * sizeof *e->counted);
		e->ncounted = ncounted;
		e->built_at = counts->built_at;
	}
	e->ndeps = ndeps;
	for (size_t i = 0; i < ndeps; i++) {
		struct dep_link *l = &e->links[i];
		struct dep_link **head = &c->deps[dep_hash(&deps[i]) % DEP_BUCKETS];
		l->e = e;
		l->dep = deps[i];
		l->prev = NULL;
		l->next = *head;
		if (*head)
			(*head)->prev = l;
		*head = l;
	}
	struct entry **slot = &c->table[h & (c->nbuckets - 1)];
	e->hnext = *slot;
	*slot = e;
	lru_push_front(c, e);
	c->bytes += bytes;
	c->entries++;
	if (c->entries > c->nbuckets)
		grow_table(c);
	while (c->bytes > c->max_bytes && c->lru.prev != &e->lru) {
		detach(c, (struct entry *)c->lru.prev, &dead);
		c->evictions++;
	}
	pthread_mutex_unlock(&c->lock);
	destroy_all(dead);
}

/* The entry under key, made most recently used; NULL when there is none, or when it shows counts that
 * changed since (then it is detached onto *dead). */
static struct entry *get(struct page_cache *c, const char *key, enum kind kind, struct entry **dead)
{
	uint64_t h = key_hash(key);
	struct entry *e = *slot_of(c, key, h);
	if (!e || e->kind != kind)
		return NULL;
	if (counts_changed(c, e)) {
		detach(c, e, dead);
		return NULL;
	}
	lru_unlink(e);
	lru_push_front(c, e);
	return e;
}

/* ---- public ---- */

struct http_frozen *page_cache_get(struct page_cache *c, const char *key)
{
	struct http_frozen *f = NULL;
	struct entry *dead = NULL;
	pthread_mutex_lock(&c->lock);
	struct entry *e = get(c, key, E_PAGE, &dead);
	if (e) {
		f = http_frozen_retain(e->page);
		c->page_hits++;
	} else {
		c->page_misses++;
	}
	pthread_mutex_unlock(&c->lock);
	destroy_all(dead);
	return f;
}

void page_cache_put(struct page_cache *c, const char *key, const struct page_dep *deps, size_t ndeps,
                    uint64_t epoch, const struct page_counts *counts, struct http_frozen *f)
{
	put(c, key, deps, ndeps, epoch, counts, E_PAGE, f, NULL, http_frozen_size(f));
}

struct page_frag *page_cache_get_frag(struct page_cache *c, const char *key)
{
	struct page_frag *f = NULL;
	struct entry *dead = NULL;
	pthread_mutex_lock(&c->lock);
	struct entry *e = get(c, key, E_FRAG, &dead);
	if (e) {
		f = page_frag_retain(e->frag);
		c->frag_hits++;
	} else {
		c->frag_misses++;
	}
	pthread_mutex_unlock(&c->lock);
	destroy_all(dead);
	return f;
}

void page_cache_put_frag(struct page_cache *c, const char *key, const struct page_dep *deps, size_t ndeps,
                         uint64_t epoch, struct page_frag *f)
{
	put(c, key, deps, ndeps, epoch, NULL, E_FRAG, NULL, f, arena_used(f->arena) + sizeof *f);
}

/* Detaches every entry in dep's bucket that depends on dep. */
static void drop_dep(struct page_cache *c, const struct page_dep *dep, struct entry **dead)
{
	struct dep_link *l = c->deps[dep_hash(dep) % DEP_BUCKETS];
	while (l) {
		/* detach unlinks every link of the entry, possibly the next one here too: restart the bucket */
		if (dep_eq(&l->dep, dep)) {
			detach(c, l->e, dead);
			l = c->deps[dep_hash(dep) % DEP_BUCKETS];
			continue;
		}
		l = l->next;
	}
}

void page_cache_invalidate(struct page_cache *c, const struct page_dep *deps, size_t n)
{
	struct entry *dead = NULL;
	static const struct page_dep any = {PAGE_DEP_ANY, 0};
	pthread_mutex_lock(&c->lock);
	c->epoch++;
	for (size_t i = 0; i < n; i++) {
		c->dep_epoch[dep_hash(&deps[i]) % DEP_EPOCHS] = c->epoch;
		drop_dep(c, &deps[i], &dead);
	}
	drop_dep(c, &any, &dead);
	pthread_mutex_unlock(&c->lock);
	destroy_all(dead);
}

void page_cache_clear(struct page_cache *c)
{
	struct entry *dead = NULL;
	pthread_mutex_lock(&c->lock);
	c->epoch++;
	c->cleared_at = c->epoch;
	while (c->lru.next != &c->lru)
		detach(c, (struct entry *)c->lru.next, &dead);
	pthread_mutex_unlock(&c->lock);
	destroy_all(dead);
}

void page_cache_stats(struct page_cache *c, struct page_cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	out->bytes = c->bytes;
	out->entries = c->entries;
	out->page_hits = c->page_hits;
	out->page_misses = c->page_misses;
	out->frag_hits = c->frag_hits;
	out->frag_misses = c->frag_misses;
	out->hits = c->page_hits + c->frag_hits;
	out->misses = c->page_misses + c->frag_misses;
	out->evictions = c->evictions;
	pthread_mutex_unlock(&c->lock);
}

void page_cache_emit_metrics(void *ctx, struct buf *out)
{
	struct page_cache_stats s;
	page_cache_stats(ctx, &s);
	buf_printf(out,
	           "# HELP quire_cache_hits_total Page cache lookups answered from the cache.\n"
	           "# TYPE quire_cache_hits_total counter\n"
	           "quire_cache_hits_total{kind=\"page\"} %llu\n"
	           "quire_cache_hits_total{kind=\"fragment\"} %llu\n"
	           "# HELP quire_cache_misses_total Page cache lookups that found nothing.\n"
	           "# TYPE quire_cache_misses_total counter\n"
	           "quire_cache_misses_total{kind=\"page\"} %llu\n"
	           "quire_cache_misses_total{kind=\"fragment\"} %llu\n"
	           "# HELP quire_cache_bytes Bytes held by the page cache.\n"
	           "# TYPE quire_cache_bytes gauge\n"
	           "quire_cache_bytes %zu\n"
	           "# HELP quire_cache_entries Pages and fragments held by the page cache.\n"
	           "# TYPE quire_cache_entries gauge\n"
	           "quire_cache_entries %zu\n"
	           "# HELP quire_cache_evictions_total Entries dropped to stay within page_cache_bytes.\n"
	           "# TYPE quire_cache_evictions_total counter\n"
	           "quire_cache_evictions_total %llu\n",
	           (unsigned long long)s.page_hits, (unsigned long long)s.frag_hits, (unsigned long long)s.page_misses,
	           (unsigned long long)s.frag_misses, s.bytes, s.entries, (unsigned long long)s.evictions);
}
