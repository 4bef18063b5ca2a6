/* Unit tests for the guest page cache: hits, generation misses, key separation, replacement, threads. */
#include "check.h"
#include "web/page_cache.h"
#include <pthread.h>

static struct http_response make(const char *body)
{
	struct http_response r = {0};
	r.status = 200;
	buf_puts(&r.body, body);
	return r;
}

static struct page_cache *shared;

static void *hammer(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		char key[32];
		snprintf(key, sizeof key, "/works/%d|auto.m.0", i % 50);
		struct http_frozen *f = page_cache_get(shared, key, 1);
		if (f)
			http_frozen_release(f);
		else {
			struct http_response r = make("page");
			page_cache_put(shared, key, 1, &r);
			buf_free(&r.body);
		}
	}
	return arg;
}

int main(void)
{
	struct page_cache *c = page_cache_new(64);
	struct http_response r = make("<p>chapter</p>");
	CHECK(page_cache_get(c, "/works/1|auto.m.0", 5) == NULL);
	page_cache_put(c, "/works/1|auto.m.0", 5, &r);
	struct http_frozen *f = page_cache_get(c, "/works/1|auto.m.0", 5);
	CHECK(f != NULL);
	if (f)
		http_frozen_release(f);
	/* any write bumps the generation: the old page must not be served */
	CHECK(page_cache_get(c, "/works/1|auto.m.0", 6) == NULL);
	/* preferences are part of the key */
	CHECK(page_cache_get(c, "/works/1|dark.m.0", 5) == NULL);
	CHECK(page_cache_get(c, "/works/2|auto.m.0", 5) == NULL);
	/* replacing keeps an outstanding reference valid */
	f = page_cache_get(c, "/works/1|auto.m.0", 5);
	page_cache_put(c, "/works/1|auto.m.0", 7, &r);
	CHECK(f != NULL);
	if (f)
		http_frozen_release(f);
	f = page_cache_get(c, "/works/1|auto.m.0", 7);
	CHECK(f != NULL);
	if (f)
		http_frozen_release(f);
	buf_free(&r.body);
	page_cache_free(c);

	shared = page_cache_new(16);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	page_cache_free(shared);
	CHECK(1);
	return CHECK_DONE();
}
