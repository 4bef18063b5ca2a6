/* TEMPORARY SHIM (cache branch) for the store's change feed: wraps the store's write operations and, after
 * each one commits, tells subscribers what changed: a work change lists the work, its creators before and
 * after, and its series; a deleted user changes everything; sessions, sign-ups and tokens change nothing.
 * Delete with store_change_shim.h when the store branch's store_subscribe lands. */
#include "web/store_change_shim.h"
#include "core/arena.h"
#include <pthread.h>
#include <stdbool.h>

#define SUBSCRIBERS_MAX 8
#define CHANGES_MAX 64

static struct {
	struct store *st;
	store_change_fn fn;
	void *ctx;
} subs[SUBSCRIBERS_MAX];
static size_t nsubs;
static pthread_mutex_t subs_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct store_ops *real; /* the backend's operations (one backend for now) */
static struct store_ops wrapped;

struct changes {
	struct store_change v[CHANGES_MAX];
	size_t n;
	bool all;
};

static void add(struct changes *c, enum store_change_kind kind, int64_t id)
{
	if (kind == STORE_CHANGE_WORK && id == 0)
		c->all = true;
	if (id == 0 && kind != STORE_CHANGE_WORK)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == kind && c->v[i].id == id)
			return;
	if (c->n == CHANGES_MAX) {
		c->all = true;
		return;
	}
	c->v[c->n++] = (struct store_change){kind, id};
}

/* The work, its creators and series, as they are now (nothing when it is gone). */
static void add_work(struct store *st, struct changes *c, int64_t work_id)
{
	add(c, STORE_CHANGE_WORK, work_id);
	struct arena *a = arena_new();
	struct work w;
	if (real->work_get(st, a, work_id, &w) == 0) {
		for (size_t i = 0; i < w.ncreators; i++)
			add(c, STORE_CHANGE_USER, w.creators[i].user_id);
		add(c, STORE_CHANGE_SERIES, w.series_id);
	}
	arena_free(a);
}

static void emit(struct store *st, struct changes *c)
{
	static const struct store_change everything = {STORE_CHANGE_WORK, 0};
	pthread_mutex_lock(&subs_lock);
	size_t n = nsubs;
	pthread_mutex_unlock(&subs_lock);
	for (size_t i = 0; i < n; i++)
		if (subs[i].st == st)
			subs[i].fn(subs[i].ctx, c->all ? &everything : c->v, c->all ? 1 : c->n);
}

static int work_create(struct store *st, const struct work *w, const struct chapter *first, int64_t owner_id,
                       int64_t *work_id, int64_t *chapter_id)
{
	int rc = real->work_create(st, w, first, owner_id, work_id, chapter_id);
	if (rc == 0) {
		struct changes c = {.n = 0};
		add(&c, STORE_CHANGE_USER, owner_id);
		add_work(st, &c, work_id ? *work_id : 0);
		emit(st, &c);
	}
	return rc;
}

static int work_update(struct store *st, const struct work *w)
{
	struct changes c = {.n = 0};
	add_work(st, &c, w->id);
	int rc = real->work_update(st, w);
	if (rc == 0) {
		add_work(st, &c, w->id);
		emit(st, &c);
	}
	return rc;
}

static int work_delete(struct store *st, int64_t work_id)
{
	struct changes c = {.n = 0};
	add_work(st, &c, work_id);
	int rc = real->work_delete(st, work_id);
	if (rc == 0)
		emit(st, &c);
	return rc;
}

static int work_invite(struct store *st, int64_t work_id, int64_t user_id)
{
	int rc = real->work_invite(st, work_id, user_id);
	if (rc == 0) {
		struct changes c = {.n = 0};
		add(&c, STORE_CHANGE_USER, user_id);
		add_work(st, &c, work_id);
		emit(st, &c);
	}
	return rc;
}

static int work_accept(struct store *st, int64_t work_id, int64_t user_id)
{
	int rc = real->work_accept(st, work_id, user_id);
	if (rc == 0) {
		struct changes c = {.n = 0};
		add(&c, STORE_CHANGE_USER, user_id);
		add_work(st, &c, work_id);
		emit(st, &c);
	}
	return rc;
}

static void chapter_changed(struct store *st, int64_t work_id)
{
	struct changes c = {.n = 0};
	add_work(st, &c, work_id);
	emit(st, &c);
}

static int chapter_create(struct store *st, const struct chapter *ch, int64_t *chapter_id)
{
	int rc = real->chapter_create(st, ch, chapter_id);
	if (rc == 0)
		chapter_changed(st, ch->work_id);
	return rc;
}

static int chapter_update(struct store *st, const struct chapter *ch)
{
	int rc = real->chapter_update(st, ch);
	if (rc == 0)
		chapter_changed(st, ch->work_id);
	return rc;
}

static int chapter_delete(struct store *st, int64_t work_id, int64_t chapter_id)
{
	int rc = real->chapter_delete(st, work_id, chapter_id);
	if (rc == 0)
		chapter_changed(st, work_id);
	return rc;
}

static int chapter_reorder(struct store *st, int64_t work_id, const int64_t *ids, size_t n)
{
	int rc = real->chapter_reorder(st, work_id, ids, n);
	if (rc == 0)
		chapter_changed(st, work_id);
	return rc;
}

static int user_delete(struct store *st, int64_t id, bool orphan_works)
{
	int rc = real->user_delete(st, id, orphan_works);
	if (rc == 0) {
		struct changes c = {.n = 0};
		add(&c, STORE_CHANGE_WORK, 0);
		emit(st, &c);
	}
	return rc;
}

static int user_set_role(struct store *st, int64_t id, const char *role)
{
	int rc = real->user_set_role(st, id, role);
	if (rc == 0) {
		struct changes c = {.n = 0};
		add(&c, STORE_CHANGE_USER, id);
		emit(st, &c);
	}
	return rc;
}

void store_subscribe(struct store *st, store_change_fn fn, void *ctx)
{
	pthread_mutex_lock(&subs_lock);
	if (st->ops != &wrapped) {
		real = st->ops;
		wrapped = *real;
		wrapped.work_create = work_create;
		wrapped.work_update = work_update;
		wrapped.work_delete = work_delete;
		wrapped.work_invite = work_invite;
		wrapped.work_accept = work_accept;
		wrapped.chapter_create = chapter_create;
		wrapped.chapter_update = chapter_update;
		wrapped.chapter_delete = chapter_delete;
		wrapped.chapter_reorder = chapter_reorder;
		wrapped.user_delete = user_delete;
		wrapped.user_set_role = user_set_role;
		st->ops = &wrapped;
	}
	if (nsubs < SUBSCRIBERS_MAX) {
		subs[nsubs].st = st;
		subs[nsubs].fn = fn;
		subs[nsubs].ctx = ctx;
		nsubs++;
	}
	pthread_mutex_unlock(&subs_lock);
}
