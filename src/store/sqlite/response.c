/* SQLite backend: the reader's response: comments, kudos, bookmarks, reading history, inbox, hits and stats. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <stdint.h>
#include <string.h>

#define COMMENT_ROWS_MAX 2000 /* comments read for one page of threads; a runaway thread is cut here */

static int64_t today(void)
{
	return sqls_now() / 86400;
}

/* Runs fn through group commit. After the commit of a write that changed the counts or comments a work's
 * pages show, response_work names that work for the caches (store_response_changed: no change event). */
static int group(struct store *st, int (*fn)(struct sqls_conn *c, void *arg), void *arg, int64_t response_work)
{
	int rc = sqls_group_write(sqls_of(st), fn, arg);
	if (rc == 0 && response_work > 0)
		store_response_changed(st, response_work);
	return rc;
}

static int stats_bump(struct sqls_conn *c, int64_t work_id, int64_t chapter_id, int64_t hits, int64_t kudos,
                      int64_t comments, int64_t bookmarks)
{
	return sqls_exec(c, SQL_STATS_BUMP, "IIIIIII", work_id, chapter_id, today(), hits, kudos, comments, bookmarks);
}

/* ---- Rows ------------------------------------------------------------------------------------ */

/* COMMENT_COLS starting at column k. */
static void comment_from_row(struct arena *a, sqlite3_stmt *q, int k, struct comment *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(q, k + 0);
	o->work_id = sqlite3_column_int64(q, k + 1);
	o->chapter_id = sqlite3_column_int64(q, k + 2);
	o->parent_id = sqlite3_column_int64(q, k + 3);
	o->root_id = sqlite3_column_int64(q, k + 4);
	o->depth = sqlite3_column_int(q, k + 5);
	o->user_id = sqlite3_column_int64(q, k + 6);
	o->user_name = sqls_col_text(a, q, k + 7);
	o->guest_name = sqls_col_text(a, q, k + 8);
	o->body.src = sqls_col_text(a, q, k + 9);
	o->body.html = sqls_col_text(a, q, k + 10);
	o->state = sqlite3_column_int(q, k + 11);
	o->frozen = sqlite3_column_int(q, k + 12) != 0;
	o->by_creator = sqlite3_column_int(q, k + 13) != 0;
	o->created_at = sqlite3_column_int64(q, k + 14);
	o->edited_at = sqlite3_column_int64(q, k + 15);
	o->sanitizer_version = sqlite3_column_int(q, k + 16);
}

/* A list of comments: COMMENT_COLS from column 0. */
static void comment_item_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	comment_from_row(a, q, 0, item);
}

static void stats_day_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct stats_day *x = item;
	x->chapter_id = sqlite3_column_int64(q, 0);
	x->day = sqlite3_column_int64(q, 1);
	x->hits = sqlite3_column_int64(q, 2);
	x->kudos = sqlite3_column_int64(q, 3);
	x->comments = sqlite3_column_int64(q, 4);
	x->bookmarks = sqlite3_column_int64(q, 5);
}

static void bookmark_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct bookmark *b = item;
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(q, 0);
	b->user_id = sqlite3_column_int64(q, 1);
	b->work_id = sqlite3_column_int64(q, 2);
	b->user_name = sqls_col_text(a, q, 3);
	b->work_title = sqls_col_text(a, q, 4);
	b->work_creator = sqls_col_text(a, q, 5);
	b->work_draft = sqlite3_column_int(q, 6) != 0;
	b->work_restricted = sqlite3_column_int(q, 7) != 0;
	b->notes.src = sqls_col_text(a, q, 8);
	b->notes.html = sqls_col_text(a, q, 9);
	b->tags = sqls_col_text(a, q, 10);
	b->private_ = sqlite3_column_int(q, 11) != 0;
	b->rec = sqlite3_column_int(q, 12) != 0;
	b->created_at = sqlite3_column_int64(q, 13);
	b->updated_at = sqlite3_column_int64(q, 14);
}

static void reading_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct reading *r = item;
	memset(r, 0, sizeof *r);
	r->user_id = sqlite3_column_int64(q, 0);
	r->work_id = sqlite3_column_int64(q, 1);
	r->chapter_id = sqlite3_column_int64(q, 2);
	r->read_at = sqlite3_column_int64(q, 3);
	r->views = sqlite3_column_int64(q, 4);
	r->later = sqlite3_column_int(q, 5) != 0;
	r->work_title = sqls_col_text(a, q, 6);
	r->work_creator = sqls_col_text(a, q, 7);
	r->chapter_position = sqlite3_column_int(q, 8);
	r->work_draft = sqlite3_column_int(q, 9) != 0;
	r->work_restricted = sqlite3_column_int(q, 10) != 0;
}

static void stats_row_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct stats_row *r = item;
	r->work_id = sqlite3_column_int64(q, 0);
	r->chapter_id = sqlite3_column_int64(q, 1);
	r->title = sqls_col_text(a, q, 2);
	r->position = sqlite3_column_int(q, 3);
	r->hits = sqlite3_column_int64(q, 4);
	r->kudos = sqlite3_column_int64(q, 5);
	r->comments = sqlite3_column_int64(q, 6);
	r->bookmarks = sqlite3_column_int64(q, 7);
	r->words = sqlite3_column_int64(q, 8);
	r->subscriptions = sqlite3_column_int64(q, 9);
	r->work_state = sqlite3_column_count(q) > 10 ? sqlite3_column_int(q, 10) : 0;
}

/* ---- Counts and settings --------------------------------------------------------------------- */

int sqls_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_RESP_COUNTS, "II", work_id, chapter_id);
	if ((rc = sqls_one_row(c, q)) == 0) {
		out->work_kudos = sqlite3_column_int64(q, 0);
		out->work_kudos_guests = sqlite3_column_int64(q, 1);
		out->work_hits = sqlite3_column_int64(q, 2);
		out->work_comments = sqlite3_column_int64(q, 3);
		out->work_bookmarks = sqlite3_column_int64(q, 4);
		out->comment_policy = sqlite3_column_int(q, 5);
		out->moderated = sqlite3_column_int(q, 6) != 0;
		out->chapter_kudos = sqlite3_column_int64(q, 7);
		out->chapter_kudos_guests = sqlite3_column_int64(q, 8);
		out->chapter_hits = sqlite3_column_int64(q, 9);
		out->chapter_comments = sqlite3_column_int64(q, 10);
		out->locked = sqlite3_column_int(q, 11) != 0;
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (policy < COMMENTS_EVERYONE || policy > COMMENTS_NOBODY)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_RESP_SETTINGS_SET, "Iii", work_id, policy, (int)moderated);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	/* The comment form on the work's pages follows the settings at once. */
	if (rc == 0)
		sqls_note(s, STORE_CHANGE_WORK, work_id);
	return sqls_wr_end(s, c, rc);
}

/* ---- Comments -------------------------------------------------------------------------------- */

struct brief {
	int64_t work_id, chapter_id, root_id, user_id, parent_id;
	int depth, state;
	bool frozen;
};

static int comment_brief(struct sqls_conn *c, int64_t id, struct brief *b)
{
	sqlite3_stmt *q = sqls_prep(c, SQL_COMMENT_BRIEF, "I", id);
	int rc = sqls_one_row(c, q);
	if (rc == 0) {
		b->work_id = sqlite3_column_int64(q, 0);
		b->chapter_id = sqlite3_column_int64(q, 1);
		b->root_id = sqlite3_column_int64(q, 2);
		b->depth = sqlite3_column_int(q, 3);
		b->state = sqlite3_column_int(q, 4);
		b->frozen = sqlite3_column_int(q, 5) != 0;
		b->user_id = sqlite3_column_int64(q, 6);
		b->parent_id = sqlite3_column_int64(q, 7);
	}
	sqls_reset(q);
	return rc;
}

/* An inbox message about comment m (id comment_id): "comment" or "reply". */
static int notify(struct sqls_conn *c, int64_t user_id, const struct comment *m, int64_t comment_id,
                  const char *kind)
{
	return sqls_exec(c, SQL_INBOX_INSERT, "ItIIIII", user_id, kind, m->work_id, m->chapter_id, comment_id,
	                 m->user_id, sqls_now());
}

struct comment_job {
	const struct comment *c;
	const int64_t *notify;
	size_t nnotify;
	bool notify_parent;
	int64_t id;
};

static int comment_create_fn(struct sqls_conn *c, void *arg)
{
	struct comment_job *j = arg;
	const struct comment *m = j->c;
	struct brief p = {0};
	int64_t root = 0;
	int depth = 0, rc;
	if (m->parent_id) {
		if ((rc = comment_brief(c, m->parent_id, &p)))
			return rc;
		if (p.work_id != m->work_id || p.chapter_id != m->chapter_id)
			return Q_ENOTFOUND;
		if (p.state != COMMENT_SHOWN || p.frozen)
			return Q_EPERM;
		root = p.root_id;
		depth = p.depth + 1;
	}
	rc = sqls_exec(c, SQL_COMMENT_INSERT, "IIIIiIttssiiIi", m->work_id, m->chapter_id, m->parent_id, root, depth,
	               m->user_id, m->user_id ? NULL : m->guest_name, m->user_id ? NULL : m->guest_email,
	               m->body.src, m->body.html, m->state, (int)m->by_creator, sqls_now(), m->sanitizer_version);
	if (rc)
		return rc;
	j->id = sqls_last_id(c);
	if (!m->parent_id && (rc = sqls_exec(c, SQL_COMMENT_SET_ROOT, "I", j->id)))
		return rc;
	if (m->state == COMMENT_SHOWN) {
		rc = stats_bump(c, m->work_id, 0, 0, 0, 1, 0);
		if (rc == 0 && m->chapter_id)
			rc = stats_bump(c, m->work_id, m->chapter_id, 0, 0, 1, 0);
	}
	for (size_t i = 0; i < j->nnotify && rc == 0; i++)
		if (j->notify[i] != m->user_id)
			rc = notify(c, j->notify[i], m, j->id, "comment");
	if (rc == 0 && j->notify_parent && m->state == COMMENT_SHOWN && p.user_id && p.user_id != m->user_id)
		rc = notify(c, p.user_id, m, j->id, "reply");
	return rc;
}

int sqls_comment_create(struct store *st, const struct comment *c, const int64_t *notify_ids, size_t nnotify,
                        bool notify_parent, int64_t *id)
{
	if (!c || !c->body.src || !c->body.html || (nnotify && !notify_ids) || c->state < COMMENT_SHOWN ||
	    c->state > COMMENT_HIDDEN)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct comment_job j = {c, notify_ids, nnotify, notify_parent, 0};
	int rc = group(st, comment_create_fn, &j, 0);
	if (rc == 0)
		store_response_changed_now(st, c->work_id); /* a new comment shows at once */
	if (rc == 0 && id)
		*id = j.id;
	return rc;
}

int sqls_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_COMMENT_GET, "I", id);
	if ((rc = sqls_one_row(c, q)) == 0)
		comment_from_row(a, q, 0, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_comment_list(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after_root,
                      int threads, struct comment **out, size_t *n, int64_t *next_root)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	struct comment *list = NULL;
	size_t count = 0;
	int64_t last = 0;
	int nroots = 0;
	*out = NULL;
	*n = 0;
	*next_root = 0;
	if (threads <= 0)
		threads = 20;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	/* One more thread than asked for tells whether a next page exists. */
	sqlite3_stmt *q = sqls_prep(c, SQL_COMMENT_ROOTS, "IIIi", work_id, chapter_id, after_root, threads + 1);
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	while ((rc = sqls_step(c, q)) == 1) {
		if (nroots++ < threads)
			last = sqlite3_column_int64(q, 0);
	}
	sqls_reset(q);
	if (rc || nroots == 0)
		goto done;
	q = sqls_prep(c, SQL_COMMENT_LIST, "IIIIi", work_id, chapter_id, after_root, last, COMMENT_ROWS_MAX);
	rc = sqls_rows(c, a, q, sizeof *list, comment_item_from_row, &list, &count);
	if (rc == 0) {
		*out = list;
		*n = count;
		*next_root = nroots > threads ? last : 0;
	}
done:
	sqls_rd_end(s, c);
	return rc;
}

/* Changes to comments readers may have seen already are normal changes of the work (its pages at once). */
struct edit_job {
	struct sqls *s;
	int64_t id;
	const struct text *body;
	int version;
};

static int comment_edit_fn(struct sqls_conn *c, void *arg)
{
	struct edit_job *j = arg;
	struct brief b;
	int rc = comment_brief(c, j->id, &b);
	if (rc)
		return rc;
	if (b.state == COMMENT_DELETED)
		return Q_EPERM;
	sqls_note(j->s, STORE_CHANGE_WORK, b.work_id);
	return sqls_exec(c, SQL_COMMENT_EDIT, "IssIi", j->id, j->body->src, j->body->html, sqls_now(), j->version);
}

int sqls_comment_edit(struct store *st, int64_t id, const struct text *body, int sanitizer_version)
{
	if (!body || !body->src || !body->html)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct edit_job j = {sqls_of(st), id, body, sanitizer_version};
	return group(st, comment_edit_fn, &j, 0);
}

struct state_job {
	struct sqls *s;
	int64_t id;
	int state;
};

static int comment_state_fn(struct sqls_conn *c, void *arg)
{
	struct state_job *j = arg;
	struct brief b;
	int rc = comment_brief(c, j->id, &b);
	if (rc || b.state == j->state)
		return rc;
	if (b.state == COMMENT_DELETED)
		return Q_EPERM; /* its text is gone: there is nothing to show again */
	if ((rc = sqls_exec(c, SQL_COMMENT_SET_STATE, "Ii", j->id, j->state)))
		return rc;
	sqls_note(j->s, STORE_CHANGE_WORK, b.work_id);
	if (j->state == COMMENT_DELETED)
		return sqls_exec(c, SQL_COMMENT_WIPE, "I", j->id);
	if (b.state == COMMENT_PENDING && j->state == COMMENT_SHOWN) {
		/* Approved: it counts from today, and the writer of the comment it answers hears of it now. */
		rc = stats_bump(c, b.work_id, 0, 0, 0, 1, 0);
		if (rc == 0 && b.chapter_id)
			rc = stats_bump(c, b.work_id, b.chapter_id, 0, 0, 1, 0);
		struct brief p;
		struct comment m = {.work_id = b.work_id, .chapter_id = b.chapter_id, .user_id = b.user_id};
		if (rc == 0 && b.parent_id && (rc = comment_brief(c, b.parent_id, &p)) == 0 && p.user_id &&
		    p.user_id != b.user_id)
			rc = notify(c, p.user_id, &m, j->id, "reply");
	}
	return rc;
}

int sqls_comment_set_state(struct store *st, int64_t id, int state)
{
	if (state < COMMENT_SHOWN || state > COMMENT_DELETED)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct state_job j = {sqls_of(st), id, state};
	return group(st, comment_state_fn, &j, 0);
}

struct freeze_job {
	struct sqls *s;
	int64_t id;
	bool frozen;
};

static int comment_freeze_fn(struct sqls_conn *c, void *arg)
{
	struct freeze_job *j = arg;
	struct brief b;
	int rc = comment_brief(c, j->id, &b);
	if (rc == 0)
		rc = sqls_exec(c, SQL_COMMENT_FREEZE, "Ii", j->id, (int)j->frozen);
	if (rc == 0)
		sqls_note(j->s, STORE_CHANGE_WORK, b.work_id); /* reply links come and go */
	return rc;
}

int sqls_comment_freeze(struct store *st, int64_t id, bool frozen)
{
	struct freeze_job j = {sqls_of(st), id, frozen};
	return group(st, comment_freeze_fn, &j, 0);
}

/* ---- Kudos ----------------------------------------------------------------------------------- */

struct kudos_job {
	int64_t work_id, chapter_id, user_id;
	const char *guest_hash;
};

static int kudos_fn(struct sqls_conn *c, void *arg)
{
	struct kudos_job *j = arg;
	int rc = sqls_exec(c, SQL_KUDOS_INSERT, "IIItI", j->work_id, j->chapter_id, j->user_id,
	                   j->user_id ? NULL : j->guest_hash, sqls_now());
	if (rc == 0)
		rc = stats_bump(c, j->work_id, j->chapter_id, 0, 1, 0, 0);
	return rc;
}

int sqls_kudos_add(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, const char *guest_hash)
{
	if (!user_id && (!guest_hash || !*guest_hash))
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct kudos_job j = {work_id, chapter_id, user_id, guest_hash};
	return group(st, kudos_fn, &j, work_id);
}

int sqls_kudos_names(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit,
                     const char ***names, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **names, sqls_row_text, names, n, SQL_KUDOS_NAMES, "IIi", work_id,
	                      chapter_id, limit > 0 ? limit : 100);
}

/* ---- Bookmarks ------------------------------------------------------------------------------- */

struct bookmark_job {
	const struct bookmark *b;
	int64_t id;
};

static int bookmark_create_fn(struct sqls_conn *c, void *arg)
{
	struct bookmark_job *j = arg;
	const struct bookmark *b = j->b;
	int rc = sqls_exec(c, SQL_BOOKMARK_INSERT, "IIsssiiI", b->user_id, b->work_id, b->notes.src, b->notes.html,
	                   b->tags, (int)b->private_, (int)b->rec, sqls_now());
	if (rc)
		return rc;
	j->id = sqls_last_id(c);
	return b->private_ ? 0 : stats_bump(c, b->work_id, 0, 0, 0, 0, 1);
}

int sqls_bookmark_create(struct store *st, const struct bookmark *b, int64_t *id)
{
	if (!b)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct bookmark_job j = {b, 0};
	int rc = group(st, bookmark_create_fn, &j, b->work_id);
	if (rc == 0 && id)
		*id = j.id;
	return rc;
}

static int bookmark_update_fn(struct sqls_conn *c, void *arg)
{
	const struct bookmark *b = ((struct bookmark_job *)arg)->b;
	int rc = sqls_exec(c, SQL_BOOKMARK_UPDATE, "IIsssiiI", b->id, b->user_id, b->notes.src, b->notes.html, b->tags,
	                   (int)b->private_, (int)b->rec, sqls_now());
	return rc == 0 && sqls_changes(c) == 0 ? Q_ENOTFOUND : rc;
}

int sqls_bookmark_update(struct store *st, const struct bookmark *b)
{
	if (!b)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct bookmark_job j = {b, 0};
	return group(st, bookmark_update_fn, &j, b->work_id);
}

struct owned_job {
	int64_t user_id, id;
	bool flag;
	int64_t work_id; /* out: the work of a deleted bookmark */
};

static int bookmark_delete_fn(struct sqls_conn *c, void *arg)
{
	struct owned_job *j = arg;
	int rc = sqls_query_int(c, &j->work_id, SQL_BOOKMARK_WORK, "II", j->user_id, j->id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_BOOKMARK_DELETE, "II", j->user_id, j->id);
	return rc;
}

int sqls_bookmark_delete(struct store *st, int64_t user_id, int64_t id)
{
	struct owned_job j = {user_id, id, false, 0};
	int rc = group(st, bookmark_delete_fn, &j, 0);
	if (rc == 0)
		store_response_changed(st, j.work_id); /* the work's bookmark count */
	return rc;
}

/* A bookmark by statement id with parameters (one row or Q_ENOTFOUND). */
static int bookmark_one(struct store *st, struct arena *a, struct bookmark *out, enum sql_id id, int64_t x,
                        int64_t y)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = id == SQL_BOOKMARK_GET ? sqls_prep(c, id, "I", x) : sqls_prep(c, id, "II", x, y);
	if ((rc = sqls_one_row(c, q)) == 0)
		bookmark_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_bookmark_get(struct store *st, struct arena *a, int64_t id, struct bookmark *out)
{
	return bookmark_one(st, a, out, SQL_BOOKMARK_GET, id, 0);
}

int sqls_bookmark_find(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out)
{
	return bookmark_one(st, a, out, SQL_BOOKMARK_FIND, user_id, work_id);
}

int sqls_bookmark_list(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id,
                       int limit, struct bookmark **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, bookmark_from_row, out, n,
	                      with_private ? SQL_BOOKMARK_LIST : SQL_BOOKMARK_LIST_PUBLIC, "IIi", user_id,
	                      before_id > 0 ? before_id : INT64_MAX, limit > 0 ? limit : 20);
}

/* ---- Reading history ------------------------------------------------------------------------- */

struct readings_job {
	const struct reading *r;
	size_t n;
};

static int readings_fn(struct sqls_conn *c, void *arg)
{
	struct readings_job *j = arg;
	int rc = 0;
	for (size_t i = 0; i < j->n && rc == 0; i++)
		rc = sqls_exec(c, SQL_READING_RECORD, "IIIII", j->r[i].user_id, j->r[i].work_id, j->r[i].chapter_id,
		               j->r[i].read_at, j->r[i].views > 0 ? j->r[i].views : 1);
	return rc;
}

int sqls_readings_record(struct store *st, const struct reading *r, size_t n)
{
	if (n == 0)
		return 0;
	if (!r)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct readings_job j = {r, n};
	return group(st, readings_fn, &j, 0); /* a reader's own history: no page anyone else sees */
}

static int later_fn(struct sqls_conn *c, void *arg)
{
	struct owned_job *j = arg;
	return sqls_exec(c, SQL_READING_LATER, "IIi", j->user_id, j->id, (int)j->flag);
}

int sqls_reading_set_later(struct store *st, int64_t user_id, int64_t work_id, bool later)
{
	struct owned_job j = {user_id, work_id, later, 0};
	return group(st, later_fn, &j, 0);
}

int sqls_reading_list(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before,
                      int limit, struct reading **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, reading_from_row, out, n,
	                      later_only ? SQL_READING_LATER_LIST : SQL_READING_HISTORY, "IIi", user_id,
	                      before > 0 ? before : INT64_MAX, limit > 0 ? limit : 20);
}

/* ---- Inbox ----------------------------------------------------------------------------------- */

/* inbox.kind as written by comments ("comment", "reply") and by mail's triggers. */
static enum inbox_kind inbox_kind_of(const char *kind)
{
	static const char *const names[INBOX_OTHER] = {
		[INBOX_COMMENT] = "comment",
		[INBOX_REPLY] = "reply",
		[INBOX_NEW_CHAPTER] = "new_chapter",
		[INBOX_NEW_WORK] = "new_work",
		[INBOX_NEW_SERIES_PART] = "new_series_part",
		[INBOX_SUGGESTION] = "suggestion",
		[INBOX_SUGGESTION_ACCEPTED] = "suggestion_accepted",
		[INBOX_SUGGESTION_ANSWERED] = "suggestion_answered",
		[INBOX_NOTICE] = "notice",
		[INBOX_COCREATOR_INVITE] = "cocreator_invite",
		[INBOX_COCREATOR_JOINED] = "cocreator_joined",
		[INBOX_COCREATOR_ACCEPTED] = "cocreator_accepted",
	};
	for (int k = 0; kind && k < INBOX_OTHER; k++)
		if (!strcmp(kind, names[k]))
			return (enum inbox_kind)k;
	return INBOX_OTHER;
}

static void inbox_item_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct inbox_item *it = item;
	it->id = sqlite3_column_int64(q, 0);
	it->kind = inbox_kind_of((const char *)sqlite3_column_text(q, 1));
	it->read = sqlite3_column_int(q, 2) != 0;
	it->created_at = sqlite3_column_int64(q, 3);
	it->work_id = sqlite3_column_int64(q, 4);
	it->chapter_id = sqlite3_column_int64(q, 5);
	it->work_title = sqls_col_text(a, q, 6);
	it->chapter_position = sqlite3_column_int(q, 7);
	it->series_title = sqls_col_text(a, q, 8);
	it->actor_name = sqls_col_text(a, q, 9);
	it->body = sqls_col_text(a, q, 10);
	if (sqlite3_column_type(q, 11) != SQLITE_NULL)
		comment_from_row(a, q, 11, &it->comment);
}

int sqls_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
                    int limit, struct inbox_item **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, inbox_item_from_row, out, n,
	                      unread_only ? SQL_INBOX_LIST_UNREAD : SQL_INBOX_LIST, "IIi", user_id,
	                      before_id > 0 ? before_id : INT64_MAX, limit > 0 ? limit : 20);
}

static int inbox_mark_fn(struct sqls_conn *c, void *arg)
{
	struct owned_job *j = arg;
	int rc = sqls_exec(c, SQL_INBOX_MARK, "IIi", j->user_id, j->id, (int)j->flag);
	return rc == 0 && sqls_changes(c) == 0 ? Q_ENOTFOUND : rc;
}

int sqls_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read)
{
	struct owned_job j = {user_id, id, read, 0};
	return group(st, inbox_mark_fn, &j, 0);
}

static int inbox_all_fn(struct sqls_conn *c, void *arg)
{
	return sqls_exec(c, SQL_INBOX_MARK_ALL, "I", ((struct owned_job *)arg)->user_id);
}

int sqls_inbox_mark_all(struct store *st, int64_t user_id)
{
	struct owned_job j = {user_id, 0, true, 0};
	return group(st, inbox_all_fn, &j, 0);
}

int sqls_inbox_unread(struct store *st, int64_t user_id, int64_t *count)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*count = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, count, SQL_INBOX_UNREAD, "I", user_id);
	sqls_rd_end(s, c);
	return rc;
}

/* ---- Hits and statistics --------------------------------------------------------------------- */

struct hits_job {
	const struct hit_count *h;
	size_t n;
};

static int hits_fn(struct sqls_conn *c, void *arg)
{
	struct hits_job *j = arg;
	int rc = 0;
	for (size_t i = 0; i < j->n && rc == 0; i++) {
		const struct hit_count *h = &j->h[i];
		if (h->chapter_id)
			rc = sqls_exec(c, SQL_HITS_CHAPTER, "III", h->work_id, h->chapter_id, h->hits);
		else
			rc = sqls_exec(c, SQL_HITS_WORK, "II", h->work_id, h->hits);
		if (rc == 0)
			rc = sqls_exec(c, SQL_STATS_BUMP, "IIIIIII", h->work_id, h->chapter_id, h->day, h->hits,
			               (int64_t)0, (int64_t)0, (int64_t)0);
	}
	return rc;
}

int sqls_hits_add(struct store *st, const struct hit_count *h, size_t n)
{
	if (n == 0)
		return 0;
	if (!h)
		return sqls_refuse(sqls_of(st), Q_EINVAL);
	struct hits_job j = {h, n};
	int rc = group(st, hits_fn, &j, 0);
	for (size_t i = 0; rc == 0 && i < n; i++)
		store_response_changed(st, h[i].work_id);
	return rc;
}


int sqls_stats_work(struct store *st, struct arena *a, int64_t work_id, int64_t since_day, struct stats_row **rows,
                    size_t *nrows, struct stats_day **days, size_t *ndays)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	struct stats_row *r = NULL;
	struct stats_day *d = NULL;
	size_t nr = 0, nd = 0;
	*rows = NULL;
	*days = NULL;
	*nrows = *ndays = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_STATS_WORK_ROW, "I", work_id), sizeof *r, stats_row_from_row, &r, &nr);
	if (rc == 0 && nr == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0) /* the chapters after the work */
		rc = sqls_rows(c, a, sqls_prep(c, SQL_STATS_CHAPTER_ROWS, "I", work_id), sizeof *r, stats_row_from_row, &r,
		               &nr);
	if (rc == 0)
		rc = sqls_rows(c, a, sqls_prep(c, SQL_STATS_DAYS, "II", work_id, since_day), sizeof *d, stats_day_from_row,
		               &d, &nd);
	sqls_rd_end(s, c);
	if (rc == 0) {
		*rows = r;
		*nrows = nr;
		*days = d;
		*ndays = nd;
	}
	return rc;
}

int sqls_stats_user(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **rows, stats_row_from_row, rows, n, SQL_STATS_USER, "I", user_id);
}

int sqls_chapter_work(struct store *st, int64_t chapter_id, int64_t *work_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, work_id, SQL_CHAPTER_WORK, "I", chapter_id);
	sqls_rd_end(s, c);
	return rc;
}
