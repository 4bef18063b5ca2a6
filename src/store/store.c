/* The store's public face: wrappers that dispatch to the backend, the change feed, tag type names. */
#include "store/store.h"
#include "core/log.h"
#include "store/store_backend.h"
#include <stdlib.h>

/* ---- The change feed ------------------------------------------------------------------------- */

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

const char *tag_type_key(enum tag_type t)
{
	static const char *const keys[TAG_TYPE_COUNT] = {
		[TAG_RATING] = "rating",
		[TAG_WARNING] = "warnings",
		[TAG_CATEGORY] = "categories",
		[TAG_FANDOM] = "fandoms",
		[TAG_RELATIONSHIP] = "relationships",
		[TAG_CHARACTER] = "characters",
		[TAG_FREEFORM] = "freeforms",
	};
	return (unsigned)t < TAG_TYPE_COUNT ? keys[t] : "";
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

/* return for the int operations, nothing for the void ones. */
#define STORE_RET_int return
#define STORE_RET_void
#define STORE_OP_WRAPPER(ret, name, params, args) \
	ret store_##name params \
	{ \
		STORE_RET_##ret st->ops->name args; \
	}
STORE_OPS(STORE_OP_WRAPPER)
#undef STORE_OP_WRAPPER
