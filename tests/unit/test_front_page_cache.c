/* Unit tests for the page cache: canonical keys, the byte bound (LRU), invalidation by dependency, epochs,
 * fragments, and many threads at once. */
#include "check.h"
#include "front/page_cache.h"
#include <pthread.h>

/* A frozen 200 response with a body of n bytes. */
static struct http_frozen *page(size_t n)
{
	struct http_response r = {0};
	r.status = 200;
	for (size_t i = 0; i < n; i++)
		buf_putc(&r.body, (char)('a' + i % 26));
	struct http_frozen *f = http_freeze(&r);
	buf_free(&r.body);
	return f;
}

static bool has(struct page_cache *c, const char *key)
{
	struct http_frozen *f = page_cache_get(c, key);
	if (f)
		http_frozen_release(f);
	return f != NULL;
}

static const struct page_dep work1 = {PAGE_DEP_WORK, 1}, work2 = {PAGE_DEP_WORK, 2}, user7 = {PAGE_DEP_USER, 7},
                             listings = {PAGE_DEP_LISTINGS, 0}, any = {PAGE_DEP_ANY, 0};

static void test_keys(void)
{
	struct arena *a = arena_new();
	struct kvlist poison = {0}, honest = {0}, junk = {0};
	kv_add(a, &poison, "x", "1&page=2");
	kv_add(a, &honest, "x", "1");
	kv_add(a, &honest, "page", "2");
	/* the poisoning URL /works?x=1%26page%3D2 is page 1: its key is the bare path, never page 2's */
	const char *kp = page_cache_key(a, "/works", &poison, "page", "auto.m.0");
	const char *kh = page_cache_key(a, "/works", &honest, "page", "auto.m.0");
	CHECK_STR(kp, "/works|auto.m.0");
	CHECK_STR(kh, "/works?page=2|auto.m.0");
	/* even when x is declared, separators inside a value stay escaped */
	CHECK_STR(page_cache_key(a, "/works", &poison, "x page", "p"), "/works?x=1%26page%3D2|p");
	CHECK_STR(page_cache_key(a, "/works", &honest, "x page", "p"), "/works?x=1&page=2|p");
	/* declared order, whatever the order in the URL */
	struct kvlist rev = {0};
	kv_add(a, &rev, "page", "2");
	kv_add(a, &rev, "x", "1");
	CHECK_STR(page_cache_key(a, "/works", &rev, "x page", "p"), "/works?x=1&page=2|p");
	/* a path cannot fake a query or a variant */
	CHECK_STR(page_cache_key(a, "/users/a?page=2|dark", &junk, "page", "p"), "/users/a%3Fpage%3D2%7Cdark|p");
	/* unknown parameters make no difference */
	for (int i = 0; i < 100; i++)
		kv_add(a, &junk, arena_printf(a, "junk%d", i), "zzz");
	CHECK_STR(page_cache_key(a, "/works", &junk, "page", "auto.m.0"), "/works|auto.m.0");
	/* absent and empty differ */
	struct kvlist empty = {0};
	kv_add(a, &empty, "page", "");
	CHECK_STR(page_cache_key(a, "/works", &empty, "page", "p"), "/works?page=|p");
	arena_free(a);
}

static void test_hits_and_replacement(void)
{
	struct page_cache *c = page_cache_new(1 << 20);
	uint64_t e = page_cache_epoch(c);
	CHECK(!has(c, "/works/1|auto.m.0"));
	page_cache_put(c, "/works/1|auto.m.0", &work1, 1, e, NULL, page(100));
	CHECK(has(c, "/works/1|auto.m.0"));
	CHECK(!has(c, "/works/1|dark.m.0"));
	/* replacing keeps an outstanding reference valid and the count at one entry */
	struct http_frozen *held = page_cache_get(c, "/works/1|auto.m.0");
	page_cache_put(c, "/works/1|auto.m.0", &work1, 1, e, NULL, page(200));
	CHECK(held && http_frozen_size(held) == 100);
	http_frozen_release(held);
	struct page_cache_stats s;
	page_cache_stats(c, &s);
	CHECK(s.entries == 1);
	CHECK(s.page_hits == 2 && s.page_misses == 2);
	held = page_cache_get(c, "/works/1|auto.m.0");
	CHECK(held && http_frozen_size(held) == 200);
	http_frozen_release(held);
	page_cache_free(c);
}

static void test_byte_bound(void)
{
	size_t max = 100 * 1024;
	struct page_cache *c = page_cache_new(max);
	uint64_t e = page_cache_epoch(c);
	char key[64];
	for (int i = 0; i < 40; i++) {
		snprintf(key, sizeof key, "/works/%d|p", i);
		page_cache_put(c, key, &work1, 1, e, NULL, page(10 * 1024));
		struct page_cache_stats s;
		page_cache_stats(c, &s);
		CHECK(s.bytes <= max);
		if (i >= 3) { /* keep the first page in use: it must survive */
			CHECK(has(c, "/works/0|p"));
		}
	}
	struct page_cache_stats s;
	page_cache_stats(c, &s);
	CHECK(s.evictions > 0);
	CHECK(s.entries < 40 && s.entries >= 5);
	CHECK(has(c, "/works/39|p"));  /* newest */
	CHECK(!has(c, "/works/1|p"));  /* least recently used */
	/* over a quarter of the budget is never stored, and evicts nothing */
	page_cache_put(c, "/works/big|p", &work1, 1, e, NULL, page(max / 4 + 1));
	CHECK(!has(c, "/works/big|p"));
	struct page_cache_stats t;
	page_cache_stats(c, &t);
	CHECK(t.entries == s.entries && t.bytes == s.bytes);
	page_cache_free(c);

	/* a zero budget caches nothing */
	c = page_cache_new(0);
	page_cache_put(c, "/|p", &listings, 1, page_cache_epoch(c), NULL, page(10));
	CHECK(!has(c, "/|p"));
	page_cache_free(c);
}

static void test_junk_queries_add_nothing(void)
{
	struct page_cache *c = page_cache_new(1 << 20);
	struct arena *a = arena_new();
	struct kvlist q = {0};
	const char *key = page_cache_key(a, "/works", &q, "page", "auto.m.0");
	page_cache_put(c, key, &listings, 1, page_cache_epoch(c), NULL, page(5000));
	struct page_cache_stats before, after;
	page_cache_stats(c, &before);
	int hits = 0;
	for (int i = 0; i < 1000; i++) {
		struct kvlist j = {0};
		kv_add(a, &j, arena_printf(a, "junk%d", i), arena_printf(a, "%d", i * 7));
		const char *k = page_cache_key(a, "/works", &j, "page", "auto.m.0");
		struct http_frozen *f = page_cache_get(c, k);
		if (f) {
			hits++;
			http_frozen_release(f);
		} else {
			page_cache_put(c, k, &listings, 1, page_cache_epoch(c), NULL, page(5000));
		}
	}
	page_cache_stats(c, &after);
	CHECK(hits == 1000);
	CHECK(after.bytes == before.bytes && after.entries == 1);
	arena_free(a);
	page_cache_free(c);
}

static void test_invalidation(void)
{
	struct page_cache *c = page_cache_new(1 << 20);
	uint64_t e = page_cache_epoch(c);
	struct page_dep a_deps[] = {work1, {PAGE_DEP_SERIES, 3}};
	page_cache_put(c, "/works/1|p", a_deps, 2, e, NULL, page(100));
	page_cache_put(c, "/works/2|p", &work2, 1, e, NULL, page(100));
	page_cache_put(c, "/|p", &listings, 1, e, NULL, page(100));
	page_cache_put(c, "/users/seven|p", &user7, 1, e, NULL, page(100));
	page_cache_put(c, "/docs/api|p", NULL, 0, e, NULL, page(100)); /* depends on nothing */
	page_cache_put(c, "/unknown|p", &any, 1, e, NULL, page(100));  /* depends on anything */
	struct page_cache_stats s;
	page_cache_stats(c, &s);
	CHECK(s.entries == 6);
	size_t one = s.bytes / 6;

	/* work 1 changes: its page, the listings and the any-page go, their memory at once; the rest stay */
	struct page_dep change[] = {work1, listings};
	page_cache_invalidate(c, change, 2);
	CHECK(!has(c, "/works/1|p"));
	CHECK(!has(c, "/|p"));
	CHECK(!has(c, "/unknown|p"));
	CHECK(has(c, "/works/2|p"));
	CHECK(has(c, "/users/seven|p"));
	CHECK(has(c, "/docs/api|p"));
	page_cache_stats(c, &s);
	CHECK(s.entries == 3);
	CHECK(s.bytes >= 3 * one - 64 && s.bytes <= 3 * one + 64);

	/* a series change reaches a page through its second dependency */
	page_cache_put(c, "/works/1|p", a_deps, 2, page_cache_epoch(c), NULL, page(100));
	struct page_dep series = {PAGE_DEP_SERIES, 3};
	page_cache_invalidate(c, &series, 1);
	CHECK(!has(c, "/works/1|p"));
	CHECK(has(c, "/works/2|p"));

	/* a page built from data read before a change is not stored after it */
	uint64_t before = page_cache_epoch(c);
	page_cache_invalidate(c, &work2, 1);
	page_cache_put(c, "/works/2|p", &work2, 1, before, NULL, page(100));
	CHECK(!has(c, "/works/2|p"));
	page_cache_put(c, "/works/1|p", &work1, 1, before, NULL, page(100)); /* other dependencies are fine */
	CHECK(has(c, "/works/1|p"));
	page_cache_put(c, "/any|p", &any, 1, before, NULL, page(100));      /* "anything" changed */
	CHECK(!has(c, "/any|p"));

	page_cache_clear(c);
	page_cache_stats(c, &s);
	CHECK(s.entries == 0 && s.bytes == 0);
	CHECK(!has(c, "/docs/api|p"));
	page_cache_put(c, "/docs/api|p", NULL, 0, before, NULL, page(100)); /* read before the clear */
	CHECK(!has(c, "/docs/api|p"));
	page_cache_free(c);
}

static void test_fragments(void)
{
	struct page_cache *c = page_cache_new(1 << 20);
	struct page_frag *f = page_frag_new();
	char *html = arena_strdup(f->arena, "<p>shared chapter body</p>");
	f->data = html;
	page_cache_put_frag(c, "frag:reading:1:5", &work1, 1, page_cache_epoch(c), f);
	CHECK(page_cache_get(c, "frag:reading:1:5") == NULL); /* kinds do not mix */
	struct page_frag *got = page_cache_get_frag(c, "frag:reading:1:5");
	CHECK(got == f);
	page_cache_invalidate(c, &work1, 1);
	CHECK(page_cache_get_frag(c, "frag:reading:1:5") == NULL);
	/* the reference taken before the change stays readable until released */
	CHECK_STR(got ? got->data : NULL, "<p>shared chapter body</p>");
	if (got)
		page_frag_release(got);
	struct page_cache_stats s;
	page_cache_stats(c, &s);
	CHECK(s.frag_hits == 1 && s.frag_misses == 1 && s.entries == 0);
	struct buf m = BUF_INIT;
	page_cache_emit_metrics(c, &m);
	CHECK_CONTAINS(buf_cstr(&m), "quire_cache_bytes 0\n");
	CHECK_CONTAINS(buf_cstr(&m), "quire_cache_hits_total{kind=\"fragment\"} 1\n");
	CHECK_CONTAINS(buf_cstr(&m), "# TYPE quire_cache_evictions_total counter\n");
	buf_free(&m);
	page_cache_free(c);
}

static struct page_cache *shared;

/* Response versions by work id (as store_response_version would give them); [0] is any work's. */
static int64_t versions[8];

static int64_t version_of(void *ctx, int64_t work_id)
{
	(void)ctx;
	return versions[work_id];
}

static void test_counts(void)
{
	struct page_cache *c = page_cache_new(1 << 20);
	struct page_counts pc = {.built_at = 1000};
	page_counts_add(&pc, 1);
	page_counts_add(&pc, 2);
	page_counts_add(&pc, 1); /* once */
	CHECK(pc.n == 2);
	/* a cache that cannot learn of response writes keeps no page with counts */
	page_cache_put(c, "/works|p", &listings, 1, page_cache_epoch(c), &pc, page(100));
	CHECK(!has(c, "/works|p"));
	page_cache_follow_counts(c, version_of, NULL);
	versions[1] = versions[2] = versions[3] = 900;
	page_cache_put(c, "/works|p", &listings, 1, page_cache_epoch(c), &pc, page(100));
	struct page_counts other = {.works = {3}, .n = 1, .built_at = 1000};
	page_cache_put(c, "/users/x|p", &listings, 1, page_cache_epoch(c), &other, page(100));
	CHECK(has(c, "/works|p"));
	/* kudos on work 3 leave the listing of works 1 and 2 cached... */
	versions[3] = 1001;
	CHECK(has(c, "/works|p"));
	CHECK(!has(c, "/users/x|p"));
	/* ...a response version of work 2 from the second the page was built drops it (and frees it) */
	versions[2] = 1000;
	struct page_cache_stats before, after;
	page_cache_stats(c, &before);
	CHECK(!has(c, "/works|p"));
	page_cache_stats(c, &after);
	CHECK(after.entries == before.entries - 1 && after.bytes < before.bytes);
	/* too many works to list: the page follows every work's (0) */
	struct page_counts many = {.built_at = 1000};
	for (int64_t id = 1; id <= PAGE_COUNTS_MAX + 5; id++)
		page_counts_add(&many, id);
	CHECK(many.n == 1 && many.works[0] == 0);
	versions[0] = 900;
	page_cache_put(c, "/search|p", &listings, 1, page_cache_epoch(c), &many, page(100));
	CHECK(has(c, "/search|p"));
	versions[0] = 1002;
	CHECK(!has(c, "/search|p"));
	/* a page without counts ignores them */
	page_cache_put(c, "/docs/api|p", NULL, 0, page_cache_epoch(c), NULL, page(100));
	CHECK(has(c, "/docs/api|p"));
	page_cache_free(c);
}

static void *hammer(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < 3000; i++) {
		char key[32];
		struct page_dep d = {PAGE_DEP_WORK, i % 7};
		snprintf(key, sizeof key, "/works/%d|auto.m.0", i % 50);
		if (t == 0 && i % 10 == 0) {
			page_cache_invalidate(shared, &d, 1);
			continue;
		}
		uint64_t e = page_cache_epoch(shared);
		struct http_frozen *f = page_cache_get(shared, key);
		if (f)
			http_frozen_release(f);
		else
			page_cache_put(shared, key, &d, 1, e, NULL, page(512));
	}
	return arg;
}

int main(void)
{
	test_keys();
	test_hits_and_replacement();
	test_byte_bound();
	test_junk_queries_add_nothing();
	test_invalidation();
	test_fragments();
	test_counts();

	shared = page_cache_new(64 * 1024);
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	struct page_cache_stats s;
	page_cache_stats(shared, &s);
	CHECK(s.bytes <= 64 * 1024);
	page_cache_free(shared);
	return CHECK_DONE();
}
