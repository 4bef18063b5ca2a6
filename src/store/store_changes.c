/* The change feed: subscribers of a store, and the bounded, deduplicated list of one transaction's changes. */
#include "store/store.h"
#include "core/log.h"
#include "store/store_backend.h"
#include <stdlib.h>

void store_subscribe(struct store *st, store_change_fn fn, void *ctx)
{
	if (st->nlisteners == STORE_LISTENERS_MAX) {
		/* A cache that silently never hears of changes would serve stale pages forever. */
		log_error("store: more than %d change listeners", STORE_LISTENERS_MAX);
		abort();
	}
	st->listeners[st->nlisteners++] = (struct store_listener){fn, ctx};
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
