/* Tests for sliding-window rate limits: blocking, retry hints, sliding, clearing, the key cap, threads. */
#include "check.h"
#include <stdlib.h>
#include "auth/ratelimit.h"
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define MAX_KEYS 100000 /* the cap documented in ratelimit.c */

static void test_blocks_at_max(void)
{
	struct ratelimit *rl = ratelimit_new(3, 60);
	int retry = -1;

	CHECK(!ratelimit_blocked(rl, "1.2.3.4", 1000, &retry));
	CHECK(retry == 0);
	ratelimit_hit(rl, "1.2.3.4", 1000);
	ratelimit_hit(rl, "1.2.3.4", 1001);
	CHECK(!ratelimit_blocked(rl, "1.2.3.4", 1002, &retry));
	ratelimit_hit(rl, "1.2.3.4", 1002);
	CHECK(ratelimit_blocked(rl, "1.2.3.4", 1002, &retry));
	CHECK(retry == 58);                 /* the event at 1000 leaves at 1060 */
	CHECK(!ratelimit_blocked(rl, "5.6.7.8", 1002, &retry)); /* other keys unaffected */
	CHECK(!ratelimit_blocked(rl, "1.2.3.", 1002, NULL));
	CHECK(ratelimit_blocked(rl, "1.2.3.4", 1002, NULL)); /* NULL retry_after is allowed */
	ratelimit_free(rl);
}

static void test_retry_after(void)
{
	struct ratelimit *rl = ratelimit_new(2, 10);
	int retry = 0;

	ratelimit_hit(rl, "k", 100);
	ratelimit_hit(rl, "k", 105);
	CHECK(ratelimit_blocked(rl, "k", 105, &retry) && retry == 5);
	CHECK(ratelimit_blocked(rl, "k", 109, &retry) && retry == 1);
	CHECK(!ratelimit_blocked(rl, "k", 110, &retry) && retry == 0); /* 100 has left (100, 110] */
	/* Still blocked until the second event leaves too once a third arrives. */
	ratelimit_hit(rl, "k", 110);
	CHECK(ratelimit_blocked(rl, "k", 110, &retry) && retry == 5);
	CHECK(!ratelimit_blocked(rl, "k", 115, &retry));
	/* Never less than one second, even when the clock stepped back. */
	ratelimit_hit(rl, "j", 200);
	ratelimit_hit(rl, "j", 200);
	CHECK(ratelimit_blocked(rl, "j", 199, &retry) && retry >= 1 && retry <= 10);
	ratelimit_free(rl);
}

static void test_window_slides(void)
{
	struct ratelimit *rl = ratelimit_new(5, 60);
	int blocked_at = -1;

	/* One attempt every 10 seconds: never more than 5 inside any 60-second window... */
	for (int t = 0; t < 600; t += 10) {
		if (ratelimit_blocked(rl, "steady", t, NULL) && blocked_at < 0)
			blocked_at = t;
		ratelimit_hit(rl, "steady", t);
	}
	/* ...except that 6 events span 50 seconds: the 6th attempt (t=50) sees 5 in (-10, 50]. */
	CHECK(blocked_at == 50);

	struct ratelimit *slow = ratelimit_new(5, 60);
	bool ever = false;
	for (int t = 0; t < 6000; t += 12) {
		ever |= ratelimit_blocked(slow, "slow", t, NULL);
		ratelimit_hit(slow, "slow", t);
	}
	CHECK(!ever); /* 5 per 60 s exactly fits */
	ratelimit_free(slow);

	/* A burst blocks; after the window the key is free again, and the burst does not linger. */
	for (int i = 0; i < 50; i++)
		ratelimit_hit(rl, "burst", 1000);
	CHECK(ratelimit_blocked(rl, "burst", 1059, NULL));
	CHECK(!ratelimit_blocked(rl, "burst", 1060, NULL));
	ratelimit_hit(rl, "burst", 1060);
	CHECK(!ratelimit_blocked(rl, "burst", 1061, NULL));
	ratelimit_free(rl);
}

static void test_clear(void)
{
	struct ratelimit *rl = ratelimit_new(2, 300);

	ratelimit_hit(rl, "alice", 10);
	ratelimit_hit(rl, "alice", 11);
	ratelimit_hit(rl, "bob", 10);
	ratelimit_hit(rl, "bob", 11);
	CHECK(ratelimit_blocked(rl, "alice", 12, NULL));
	ratelimit_clear(rl, "alice");
	CHECK(!ratelimit_blocked(rl, "alice", 12, NULL));
	CHECK(ratelimit_blocked(rl, "bob", 12, NULL));
	ratelimit_clear(rl, "nobody");     /* harmless */
	ratelimit_clear(rl, "alice");      /* twice is harmless */
	ratelimit_hit(rl, "alice", 13);
	CHECK(!ratelimit_blocked(rl, "alice", 13, NULL)); /* counting starts over */
	ratelimit_hit(rl, "alice", 13);
	CHECK(ratelimit_blocked(rl, "alice", 13, NULL));
	ratelimit_free(rl);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static void test_key_cap(void)
{
	struct ratelimit *rl = ratelimit_new(2, 3600);
	char key[32];

	snprintf(key, sizeof key, "victim");
	ratelimit_hit(rl, key, 0);
	ratelimit_hit(rl, key, 0);
	CHECK(ratelimit_blocked(rl, "victim", 1, NULL));
	for (int i = 0; i < MAX_KEYS; i++) {
		snprintf(key, sizeof key, "a%d", i);
		ratelimit_hit(rl, key, 1);
		ratelimit_hit(rl, key, 1);
	}
	/* The table was full: the least recently hit key made room. */
	CHECK(!ratelimit_blocked(rl, "victim", 2, NULL));
	CHECK(ratelimit_blocked(rl, "a1", 2, NULL));
	CHECK(ratelimit_blocked(rl, "a99999", 2, NULL));

	/* Five times the cap in fresh keys: heap use stays where the full table put it. The sanitizer
	 * allocator keeps freed memory in quarantine, so the byte count only means something without it. */
	size_t before = heap_in_use();
	for (int i = 0; i < 5 * MAX_KEYS; i++) {
		snprintf(key, sizeof key, "b%d", i);
		ratelimit_hit(rl, key, 3);
	}
	size_t after = heap_in_use();
	if (before > 0) {
		CHECK(after < before + 256 * 1024);
		if (after >= before + 256 * 1024)
			fprintf(stderr, "  heap grew from %zu to %zu\n", before, after);
	}
	CHECK(!ratelimit_blocked(rl, "a99999", 4, NULL));  /* evicted */
	ratelimit_hit(rl, "b499999", 3);
	CHECK(ratelimit_blocked(rl, "b499999", 4, NULL)); /* the newest stays */
	ratelimit_free(rl);
}

struct worker {
	struct ratelimit *rl;
	int id;
	int blocked_seen;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	char key[32];

	for (int i = 0; i < 20000; i++) {
		ratelimit_hit(w->rl, "shared", 500);
		snprintf(key, sizeof key, "t%d-%d", w->id, i % 50);
		ratelimit_hit(w->rl, key, 500 + i / 1000);
		if (ratelimit_blocked(w->rl, key, 500 + i / 1000, NULL))
			w->blocked_seen++;
		if (i % 97 == 0)
			ratelimit_clear(w->rl, key);
		snprintf(key, sizeof key, "churn%d-%d", w->id, i);
		ratelimit_hit(w->rl, key, 500);
	}
	return NULL;
}

static void test_threads(void)
{
	enum { T = 8 };
	struct ratelimit *rl = ratelimit_new(10, 60);
	pthread_t th[T];
	struct worker w[T];

	for (int i = 0; i < T; i++) {
		w[i] = (struct worker){rl, i, 0};
		pthread_create(&th[i], NULL, hammer, &w[i]);
	}
	for (int i = 0; i < T; i++)
		pthread_join(th[i], NULL);
	int retry = 0;
	CHECK(ratelimit_blocked(rl, "shared", 500, &retry));
	CHECK(retry == 60);
	int total = 0;
	for (int i = 0; i < T; i++)
		total += w[i].blocked_seen;
	CHECK(total > 0);
	/* Keys a thread never touched are still clean. */
	CHECK(!ratelimit_blocked(rl, "t99-0", 500, NULL));
	ratelimit_free(rl);
}

static void test_bad_arguments(void)
{
	/* Nonsense limits are clamped to the strictest sane value instead of dividing by zero. */
	struct ratelimit *rl = ratelimit_new(0, 0);
	ratelimit_hit(rl, "x", 5);
	CHECK(ratelimit_blocked(rl, "x", 5, NULL));
	CHECK(!ratelimit_blocked(rl, "x", 6, NULL));
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

/* Keys are digested: two 1 MiB keys differing only in their last byte stay apart, and the same key
 * given twice is the same entry. */
static void test_long_keys(void)
{
	struct ratelimit *rl = ratelimit_new(2, 60);
	size_t n = 1 << 20;
	char *a = malloc(n + 1), *b = malloc(n + 1);
	memset(a, 'x', n);
	memset(b, 'x', n);
	a[n] = b[n] = '\0';
	b[n - 1] = 'y';
	ratelimit_hit(rl, a, 1000);
	ratelimit_hit(rl, a, 1000);
	CHECK(ratelimit_blocked(rl, a, 1000, NULL));
	CHECK(!ratelimit_blocked(rl, b, 1000, NULL));
	ratelimit_clear(rl, a);
	CHECK(!ratelimit_blocked(rl, a, 1000, NULL));
	free(a);
	free(b);
	ratelimit_free(rl);
}

/* ---- Shared limits: events kept by a backend several servers share (here: a table in memory) ---- */

static struct {
	char bucket[32], key[64];
	int64_t at;
} events[256];
static size_t nevents;
static bool backend_down;

static int fake_count(void *ctx, const char *bucket, const char *key, int64_t since, int64_t *count, int64_t *oldest)
{
	(void)ctx;
	if (backend_down)
		return -1;
	*count = *oldest = 0;
	for (size_t i = 0; i < nevents; i++) {
		if (strcmp(events[i].bucket, bucket) || strcmp(events[i].key, key) || events[i].at < since)
			continue;
		if (!*count || events[i].at < *oldest)
			*oldest = events[i].at;
		(*count)++;
	}
	return 0;
}

static int fake_add(void *ctx, const char *bucket, const char *key, int64_t at)
{
	(void)ctx;
	if (backend_down || nevents == 256)
		return -1;
	snprintf(events[nevents].bucket, sizeof events[nevents].bucket, "%s", bucket);
	snprintf(events[nevents].key, sizeof events[nevents].key, "%s", key);
	events[nevents++].at = at;
	return 0;
}

static int fake_clear(void *ctx, const char *bucket, const char *key)
{
	(void)ctx;
	size_t k = 0;
	for (size_t i = 0; i < nevents; i++)
		if (strcmp(events[i].bucket, bucket) || strcmp(events[i].key, key))
			events[k++] = events[i];
	nevents = k;
	return 0;
}

static void test_shared(void)
{
	struct ratelimit_shared sh = {fake_count, fake_add, fake_clear, NULL};
	unsigned char seed[32] = {1, 2, 3};
	/* Two servers, one limit of 3 a minute: their events add up. */
	struct ratelimit *a = ratelimit_new_shared(3, 60, "login", &sh, seed);
	struct ratelimit *b = ratelimit_new_shared(3, 60, "login", &sh, seed);
	struct ratelimit *other = ratelimit_new_shared(3, 60, "signup", &sh, seed);
	int retry = -1;
	ratelimit_hit(a, "10.0.0.1", 1000);
	ratelimit_hit(b, "10.0.0.1", 1010);
	CHECK(!ratelimit_blocked(a, "10.0.0.1", 1011, &retry) && retry == 0);
	ratelimit_hit(a, "10.0.0.1", 1020);
	CHECK(ratelimit_blocked(b, "10.0.0.1", 1021, &retry));
	CHECK(retry == 1000 + 60 - 1021);
	CHECK(!ratelimit_blocked(b, "10.0.0.2", 1021, &retry));
	CHECK(!ratelimit_blocked(other, "10.0.0.1", 1021, &retry)); /* another limit */
	/* The window slides: the first event leaves it at 1060. */
	CHECK(ratelimit_blocked(a, "10.0.0.1", 1059, &retry) && retry == 1);
	CHECK(!ratelimit_blocked(a, "10.0.0.1", 1060, &retry));
	/* The store never sees the key itself. */
	for (size_t i = 0; i < nevents; i++)
		CHECK(!strstr(events[i].key, "10.0.0"));
	ratelimit_clear(b, "10.0.0.1");
	CHECK(!ratelimit_blocked(a, "10.0.0.1", 1021, &retry));
	/* A store that fails lets requests through rather than lock everyone out. */
	for (int i = 0; i < 5; i++)
		ratelimit_hit(a, "10.0.0.3", 2000);
	backend_down = true;
	CHECK(!ratelimit_blocked(a, "10.0.0.3", 2001, &retry));
	backend_down = false;
	CHECK(ratelimit_blocked(a, "10.0.0.3", 2001, &retry));
	ratelimit_free(a);
	ratelimit_free(b);
	ratelimit_free(other);
}

int main(void)
{
	test_long_keys();
	test_blocks_at_max();
	test_retry_after();
	test_window_slides();
	test_clear();
	test_key_cap();
	test_threads();
	test_bad_arguments();
	test_shared();
	return CHECK_DONE();
}
