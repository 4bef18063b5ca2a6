/* The change feed: subscribers of a store, the bounded, deduplicated list of one transaction's changes, and response-write times. */
#include "store/store.h"
#include "core/log.h"
#include "store/store_backend.h"
#include <stdlib.h>
#include <time.h>

void store_subscribe(struct store *st, store_change_fn fn, void *ctx)
{
	if (st->nlisteners == STORE_LISTENERS_MAX) {
		/* A cache that silently never hears of changes would serve stale pages forever. */
		log_error("store: more than %d change listeners", STORE_LISTENERS_MAX);
		abort();
	}
	st->listeners[st->nlisteners++] = (struct store_listener){fn, ctx};
	if (st->feed_start && !st->feed_started) {
		st->feed_started = true;
		if (st->feed_start(st) != 0)
			log_error("store: other servers' commits cannot be followed (the change feed did not start)");
	}
}

void store_unsubscribe(struct store *st, store_change_fn fn, void *ctx)
{
	for (size_t i = 0; i < st->nlisteners; i++) {
		if (st->listeners[i].fn == fn && st->listeners[i].ctx == ctx) {
			st->listeners[i] = st->listeners[--st->nlisteners];
			return;
		}
	}
}

void store_changes_clear(struct store_changes *ch)
{
	ch->n = 0;
	ch->overflow = false;
}

void store_changes_add(struct store_changes *ch, enum store_change_kind kind, int64_t id)
{
	if (id == 0 || ch->overflow)
		return;
	/* Linear: a transaction touches a handful of things, and the list is bounded. */
	for (size_t i = 0; i < ch->n; i++)
		if (ch->items[i].kind == kind && ch->items[i].id == id)
			return;
	if (ch->n == STORE_CHANGES_MAX) {
		ch->overflow = true;
		return;
	}
	ch->items[ch->n++] = (struct store_change){kind, id};
}

void store_changes_emit(struct store *st, const struct store_changes *ch)
{
	static const struct store_change everything = {STORE_CHANGE_WORK, 0};
	const struct store_change *items = ch->overflow ? &everything : ch->items;
	size_t n = ch->overflow ? 1 : ch->n;
	if (n == 0)
		return;
	for (size_t i = 0; i < st->nlisteners; i++)
		st->listeners[i].fn(st->listeners[i].ctx, items, n);
}

/* ---- Health (store.h) ---- */

enum store_health store_health(struct store *st, const char **why, int64_t *since)
{
	int h = atomic_load(&st->health);
	if (why)
		*why = h ? atomic_load(&st->health_why) : NULL;
	if (since)
		*since = h ? atomic_load(&st->health_since) : 0;
	return (enum store_health)h;
}

void store_health_note(struct store *st, enum store_health h, const char *why)
{
	int was = atomic_load(&st->health);
	if (h == STORE_HEALTHY && why && was != STORE_DOWN)
		return; /* a connection ends an outage, not a read-only spell: only a committed write does */
	if (was == (int)h)
		return;
	if (!atomic_compare_exchange_strong(&st->health, &was, (int)h))
		return; /* another thread noted it first: it logs */
	int64_t now = (int64_t)time(NULL);
	if (h == STORE_HEALTHY) {
		log_info("store: the archive works again (after %lld s)",
		         (long long)(now - atomic_load(&st->health_since)));
		return;
	}
	atomic_store(&st->health_why, why ? why : "the store failed");
	if (was == STORE_HEALTHY)
		atomic_store(&st->health_since, now);
	log_error("store: %s; %s until it recovers (it is tried again by itself)", why ? why : "the store failed",
	          h == STORE_DOWN ? "pages that need the database answer 503"
	                          : "the archive is read-only: writes answer 503");
}

/* ---- Response writes (store.h: what a cache does with these) ---- */

int64_t store_response_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static size_t response_cell(int64_t work_id)
{
	/* Fibonacci hashing: neighbouring ids land in different cells. */
	return (size_t)(((uint64_t)work_id * UINT64_C(0x9E3779B97F4A7C15)) >> 52) % STORE_RESPONSE_CELLS;
}

/* A cell holds the version (the time it last changed) shifted left once, and in bit 0 whether a write
 * came since that the version has yet to show. */
static void version_bump(_Atomic int64_t *cell, int64_t now)
{
	int64_t x = atomic_load(cell);
	for (;;) {
		int64_t v = x >> 1;
		/* After a quiet spell the version moves at once; else the write waits for the next one. */
		int64_t want = now - v >= STORE_RESPONSE_FRESH_US ? now << 1 : (v << 1) | 1;
		if (want == x || atomic_compare_exchange_weak(cell, &x, want))
			return;
	}
}

void store_response_changed(struct store *st, int64_t work_id)
{
	if (work_id <= 0)
		return;
	size_t k = response_cell(work_id);
	atomic_fetch_add(&st->response_seq[k], 1);
	int64_t now = store_response_clock();
	version_bump(&st->response_changed[k], now);
	version_bump(&st->response_changed_any, now);
}

void store_response_changed_now(struct store *st, int64_t work_id)
{
	if (work_id <= 0)
		return;
	size_t k = response_cell(work_id);
	atomic_fetch_add(&st->response_seq[k], 1);
	int64_t now = store_response_clock();
	/* Moves now, with nothing left waiting (a later count change waits its turn as usual). */
	int64_t x = atomic_load(&st->response_changed[k]);
	while ((x >> 1) < now && !atomic_compare_exchange_weak(&st->response_changed[k], &x, now << 1))
		;
	version_bump(&st->response_changed_any, now);
}

void store_response_changed_all(struct store *st)
{
	int64_t now = store_response_clock();
	for (size_t k = 0; k < STORE_RESPONSE_CELLS; k++) {
		atomic_fetch_add(&st->response_seq[k], 1);
		version_bump(&st->response_changed[k], now);
	}
	version_bump(&st->response_changed_any, now);
}

int64_t store_response_version(struct store *st, int64_t work_id, int64_t now)
{
	if (work_id < 0)
		return 0;
	_Atomic int64_t *cell = work_id ? &st->response_changed[response_cell(work_id)] : &st->response_changed_any;
	int64_t x = atomic_load(cell);
	while ((x & 1) && now - (x >> 1) >= STORE_RESPONSE_FRESH_US) {
		if (atomic_compare_exchange_weak(cell, &x, now << 1))
			return now;
	}
	return x >> 1;
}

uint64_t store_response_seq(struct store *st, int64_t work_id)
{
	return work_id > 0 ? atomic_load(&st->response_seq[response_cell(work_id)]) : 0;
}
