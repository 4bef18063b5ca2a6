/* SQLite backend: collections (members, items, reveals) and gifts; keeps works' anonymous and unrevealed flags. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>

#define LIST_MAX 200

static void collection_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct collection *c = item;
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(q, 0);
	c->name = sqls_col_text(a, q, 1);
	c->title = sqls_col_text(a, q, 2);
	c->parent_id = sqlite3_column_int64(q, 3);
	c->parent_name = sqls_col_text(a, q, 4);
	c->parent_title = sqls_col_text(a, q, 5);
	c->description = (struct text){sqls_col_text(a, q, 6), sqls_col_text(a, q, 7)};
	c->intro = (struct text){sqls_col_text(a, q, 8), sqls_col_text(a, q, 9)};
	c->rules = (struct text){sqls_col_text(a, q, 10), sqls_col_text(a, q, 11)};
	c->faq = (struct text){sqls_col_text(a, q, 12), sqls_col_text(a, q, 13)};
	c->closed = sqlite3_column_int(q, 14) != 0;
	c->moderated = sqlite3_column_int(q, 15) != 0;
	c->unrevealed = sqlite3_column_int(q, 16) != 0;
	c->anonymous = sqlite3_column_int(q, 17) != 0;
	c->reveal_at = sqlite3_column_int64(q, 18);
	c->reveal_creators_at = sqlite3_column_int64(q, 19);
	c->challenge = sqlite3_column_int(q, 20);
	c->created_at = sqlite3_column_int64(q, 21);
	c->updated_at = sqlite3_column_int64(q, 22);
	c->works_count = sqlite3_column_int64(q, 23);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* A parent must be a top-level collection, and a collection with subcollections cannot get a parent. */
static int check_parent(struct sqls_conn *c, int64_t id, int64_t parent_id)
{
	if (!parent_id)
		return 0;
	if (parent_id == id)
		return Q_EINVAL;
	int64_t top = 0, children = 0;
	int rc = sqls_query_int(c, &top, SQL_COLL_TOP_LEVEL, "I", parent_id);
	if (rc == Q_ENOTFOUND || (rc == 0 && !top))
		return Q_EINVAL;
	if (rc == 0 && id)
		rc = sqls_query_int(c, &children, SQL_COLL_HAS_CHILDREN, "I", id);
	return rc ? rc : children ? Q_EINVAL : 0;
}

/* Brings work_id's anonymous and unrevealed flags in line with the collections it counts in, noting the work
 * (and whoever shows it) when they change. */
static int work_flags_sync(struct sqls *s, struct sqls_conn *c, int64_t work_id)
{
	sqlite3_stmt *q = sqls_prep(c, SQL_COLL_WORK_FLAGS, "I", work_id);
	int rc = sqls_one_row(c, q);
	if (rc) {
		sqls_reset(q);
		return rc == Q_ENOTFOUND ? 0 : rc;
	}
	int anon = sqlite3_column_int(q, 0), unrev = sqlite3_column_int(q, 1);
	int want_anon = sqlite3_column_int(q, 2), want_unrev = sqlite3_column_int(q, 3);
	sqls_reset(q);
	if (anon == want_anon && unrev == want_unrev)
		return 0;
	rc = sqls_exec(c, SQL_COLL_WORK_SET_FLAGS, "Iii", work_id, want_anon, want_unrev);
	return rc ? rc : sqls_note_work(s, c, work_id);
}

/* The same for every work in a collection. */
static int collection_works_sync(struct sqls *s, struct sqls_conn *c, struct arena *a, int64_t collection_id)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = sqls_rows(c, a, sqls_prep(c, SQL_COLL_WORK_IDS, "I", collection_id), sizeof *ids, sqls_row_id, &ids, &n);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = work_flags_sync(s, c, ids[i]);
	return rc;
}

int sqls_collection_create(struct store *st, const struct collection *col, int64_t owner_id, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	if (!col || !col->name || !*col->name || !col->title || owner_id <= 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t now = sqls_now(), cid = 0;
	if ((rc = check_parent(c, 0, col->parent_id)))
		goto done;
	rc = sqls_exec(c, SQL_COLL_INSERT, "ssIssssssssiiiiIIiI", col->name, col->title, col->parent_id,
	               col->description.src, col->description.html, col->intro.src, col->intro.html, col->rules.src,
	               col->rules.html, col->faq.src, col->faq.html, (int)col->closed, (int)col->moderated,
	               (int)col->unrevealed, (int)col->anonymous, col->reveal_at, col->reveal_creators_at, col->challenge,
	               now);
	if (rc)
		goto done;
	cid = sqls_last_id(c);
	rc = sqls_exec(c, SQL_COLL_MEMBER_SET, "IIiI", cid, owner_id, COLLECTION_OWNER, now);
	sqls_note(s, STORE_CHANGE_COLLECTION, cid);
	sqls_note(s, STORE_CHANGE_COLLECTION, col->parent_id);
done:
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0 && id)
		*id = cid;
	return rc;
}

int sqls_collection_update(struct store *st, const struct collection *col)
{
	struct sqls *s = sqls_of(st);
	if (!col || col->id <= 0 || !col->title)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	struct arena *a = arena_new();
	struct collection old = {0};
	sqlite3_stmt *q = sqls_prep(c, SQL_COLL_GET, "I", col->id);
	if ((rc = sqls_one_row(c, q)) == 0)
		collection_from_row(a, q, &old);
	sqls_reset(q);
	if (rc == 0)
		rc = check_parent(c, col->id, col->parent_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_COLL_UPDATE, "IsIssssssssiiiiIIiI", col->id, col->title, col->parent_id,
		               col->description.src, col->description.html, col->intro.src, col->intro.html,
		               col->rules.src, col->rules.html, col->faq.src, col->faq.html, (int)col->closed,
		               (int)col->moderated, (int)col->unrevealed, (int)col->anonymous, col->reveal_at,
		               col->reveal_creators_at, col->challenge, sqls_now());
	if (rc == 0 && (old.unrevealed != col->unrevealed || old.anonymous != col->anonymous))
		rc = collection_works_sync(s, c, a, col->id);
	sqls_note(s, STORE_CHANGE_COLLECTION, col->id);
	sqls_note(s, STORE_CHANGE_COLLECTION, old.parent_id);
	sqls_note(s, STORE_CHANGE_COLLECTION, col->parent_id);
	arena_free(a);
	return sqls_wr_end(s, c, rc);
}

int sqls_collection_delete(struct store *st, int64_t id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	struct arena *a = arena_new();
	int64_t *ids = NULL;
	size_t n = 0;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_COLL_WORK_IDS, "I", id), sizeof *ids, sqls_row_id, &ids, &n);
	if (rc == 0)
		rc = sqls_exec(c, SQL_COLL_ITEMS_DELETE, "I", id);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = work_flags_sync(s, c, ids[i]);
	if (rc == 0)
		rc = sqls_exec(c, SQL_COLL_DELETE, "I", id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	/* Its subcollections become top-level: their pages change too. */
	sqls_note_all(s);
	arena_free(a);
	return sqls_wr_end(s, c, rc);
}

int sqls_collection_get(struct store *st, struct arena *a, int64_t id, const char *name, struct collection *out)
{
	struct sqls *s = sqls_of(st);
	if (id <= 0 && (!name || !*name))
		return Q_ENOTFOUND;
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = id > 0 ? sqls_prep(c, SQL_COLL_GET, "I", id) : sqls_prep(c, SQL_COLL_GET_NAME, "t", name);
	rc = sqls_one_row(c, q);
	if (rc == 0)
		collection_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_collection_list(struct store *st, struct arena *a, const struct collection_query *cq, struct collection **out,
                         size_t *n)
{
	int limit = cq->limit > 0 && cq->limit <= LIST_MAX ? cq->limit : 20;
	return sqls_read_rows(sqls_of(st), a, sizeof **out, collection_from_row, out, n, SQL_COLL_LIST, "IiiIsi",
	                      cq->parent_id, cq->open, cq->challenge, cq->member_id, or_empty(cq->after_name), limit);
}

int sqls_collection_member_set(struct store *st, int64_t collection_id, int64_t user_id, int role)
{
	struct sqls *s = sqls_of(st);
	if (collection_id <= 0 || user_id <= 0 || role < COLLECTION_NOBODY || role > COLLECTION_OWNER)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = role == COLLECTION_NOBODY ? sqls_exec(c, SQL_COLL_MEMBER_DELETE, "II", collection_id, user_id)
	                               : sqls_exec(c, SQL_COLL_MEMBER_SET, "IIiI", collection_id, user_id, role, sqls_now());
	int64_t owners = 0;
	if (rc == 0 && (rc = sqls_query_int(c, &owners, SQL_COLL_OWNERS, "I", collection_id)) == 0 && owners == 0)
		rc = Q_EINVAL; /* someone must own it */
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	sqls_note(s, STORE_CHANGE_USER, user_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_collection_member_role(struct store *st, int64_t collection_id, int64_t user_id, int *role)
{
	struct sqls *s = sqls_of(st);
	*role = COLLECTION_NOBODY;
	if (collection_id <= 0 || user_id <= 0)
		return 0;
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_COLL_MEMBER_ROLE, "II", collection_id, user_id);
	rc = sqls_one_row(c, q);
	if (rc == 0 && sqlite3_column_type(q, 0) != SQLITE_NULL)
		*role = sqlite3_column_int(q, 0);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc == Q_ENOTFOUND ? 0 : rc;
}

static void member_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct collection_member *m = item;
	m->user_id = sqlite3_column_int64(q, 0);
	m->name = sqls_col_text(a, q, 1);
	m->role = sqlite3_column_int(q, 2);
	m->created_at = sqlite3_column_int64(q, 3);
}

int sqls_collection_members(struct store *st, struct arena *a, int64_t collection_id, int min_role,
                            const char *after_name, int limit, struct collection_member **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, member_from_row, out, n, SQL_COLL_MEMBERS, "Iisi",
	                      collection_id, min_role, or_empty(after_name),
	                      limit > 0 && limit <= LIST_MAX ? limit : LIST_MAX);
}

int sqls_collection_item_set(struct store *st, int64_t collection_id, int64_t work_id, int by_collection,
                             int by_creator, int64_t added_by)
{
	struct sqls *s = sqls_of(st);
	if (collection_id <= 0 || work_id <= 0 || by_collection < -1 || by_collection > 1 || by_creator < -1 ||
	    by_creator > 1)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_COLL_ITEM_SET, "IIiiII", collection_id, work_id, by_collection, by_creator, added_by,
	               sqls_now());
	if (rc == 0)
		rc = work_flags_sync(s, c, work_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id); /* the work's page lists its collections */
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_collection_item_delete(struct store *st, int64_t collection_id, int64_t work_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_COLL_ITEM_DELETE, "II", collection_id, work_id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = work_flags_sync(s, c, work_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	return sqls_wr_end(s, c, rc);
}

static void item_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct collection_item *it = item;
	it->collection_id = sqlite3_column_int64(q, 0);
	it->work_id = sqlite3_column_int64(q, 1);
	it->by_collection = sqlite3_column_int(q, 2);
	it->by_creator = sqlite3_column_int(q, 3);
	it->added_by = sqlite3_column_int64(q, 4);
	it->created_at = sqlite3_column_int64(q, 5);
	it->collection_name = sqls_col_text(a, q, 6);
	it->collection_title = sqls_col_text(a, q, 7);
	it->work_title = sqls_col_text(a, q, 8);
	it->collection_unrevealed = sqlite3_column_int(q, 9) != 0;
	it->collection_anonymous = sqlite3_column_int(q, 10) != 0;
	it->collection_moderated = sqlite3_column_int(q, 11) != 0;
	it->collection_closed = sqlite3_column_int(q, 12) != 0;
	it->collection_challenge = sqlite3_column_int(q, 13);
}

int sqls_collection_items_of_work(struct store *st, struct arena *a, int64_t work_id, struct collection_item **out,
                                  size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, item_from_row, out, n, SQL_COLL_ITEMS_OF_WORK, "I", work_id);
}

int sqls_collection_items(struct store *st, struct arena *a, int64_t collection_id, int state, int64_t before,
                          int limit, struct collection_item **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, item_from_row, out, n, SQL_COLL_ITEMS, "IiIi", collection_id,
	                      state, before > 0 ? before : INT64_MAX, limit > 0 && limit <= LIST_MAX ? limit : 20);
}

int sqls_collection_reveal(struct store *st, int64_t collection_id, bool works, bool creators)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	struct arena *a = arena_new();
	rc = sqls_exec(c, SQL_COLL_REVEAL, "IiiI", collection_id, (int)works, (int)creators, sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	/* The works' flags follow; the triggers on works announce what their hiding held back. */
	if (rc == 0)
		rc = collection_works_sync(s, c, a, collection_id);
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	arena_free(a);
	return sqls_wr_end(s, c, rc);
}

int sqls_collection_reveal_due(struct store *st, struct arena *a, int64_t now, int64_t **ids, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **ids, sqls_row_id, ids, n, SQL_COLL_REVEAL_DUE, "I", now);
}

/* ---- Gifts ---------------------------------------------------------------------------------------------- */

static void gift_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct gift *g = item;
	g->id = sqlite3_column_int64(q, 0);
	g->work_id = sqlite3_column_int64(q, 1);
	g->user_id = sqlite3_column_int64(q, 2);
	g->name = sqls_col_text(a, q, 3);
	g->refused = sqlite3_column_int(q, 4) != 0;
	g->created_at = sqlite3_column_int64(q, 5);
	g->work_title = sqls_col_text(a, q, 6);
	g->work_creator = sqls_col_text(a, q, 7);
	g->work_owner_id = sqlite3_column_int64(q, 8);
	g->work_draft = sqlite3_column_int(q, 9) != 0;
	g->work_restricted = sqlite3_column_int(q, 10) != 0;
	g->work_unrevealed = sqlite3_column_int(q, 11) != 0;
	g->work_anonymous = sqlite3_column_int(q, 12) != 0;
	g->work_updated_at = sqlite3_column_int64(q, 13);
}

int sqls_gifts_set(struct store *st, int64_t work_id, const struct gift *g, size_t n)
{
	struct sqls *s = sqls_of(st);
	for (size_t i = 0; i < n; i++)
		if (!g[i].name || !*g[i].name)
			return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	struct arena *a = arena_new();
	struct gift *old = NULL;
	size_t nold = 0;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_GIFTS_OF_WORK, "I", work_id), sizeof *old, gift_from_row, &old, &nold);
	bool *kept = arena_calloc(a, nold + 1, sizeof *kept);
	int64_t now = sqls_now();
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t k = 0;
		while (k < nold && strcasecmp(old[k].name, g[i].name) != 0)
			k++;
		if (k < nold) {
			kept[k] = true;
			rc = sqls_exec(c, SQL_GIFT_KEEP, "IIsi", old[k].id, g[i].user_id, g[i].name, (int)i);
			if (old[k].user_id != g[i].user_id) {
				sqls_note(s, STORE_CHANGE_USER, old[k].user_id);
				sqls_note(s, STORE_CHANGE_USER, g[i].user_id);
			}
		} else {
			rc = sqls_exec(c, SQL_GIFT_INSERT, "IIsiI", work_id, g[i].user_id, g[i].name, (int)i, now);
			sqls_note(s, STORE_CHANGE_USER, g[i].user_id);
		}
	}
	for (size_t k = 0; k < nold && rc == 0; k++)
		if (!kept[k]) {
			rc = sqls_exec(c, SQL_GIFT_DELETE, "I", old[k].id);
			sqls_note(s, STORE_CHANGE_USER, old[k].user_id);
		}
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	arena_free(a);
	return sqls_wr_end(s, c, rc);
}

int sqls_gifts_of_work(struct store *st, struct arena *a, int64_t work_id, struct gift **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, gift_from_row, out, n, SQL_GIFTS_OF_WORK, "I", work_id);
}

int sqls_gifts_of_user(struct store *st, struct arena *a, int64_t user_id, bool with_refused, int64_t before_id,
                       int limit, struct gift **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, gift_from_row, out, n, SQL_GIFTS_OF_USER, "IiIi", user_id,
	                      (int)with_refused, before_id > 0 ? before_id : INT64_MAX,
	                      limit > 0 && limit <= LIST_MAX ? limit : 20);
}

int sqls_gift_refuse(struct store *st, int64_t gift_id, int64_t user_id, bool refused)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t work_id = 0;
	rc = sqls_exec(c, SQL_GIFT_REFUSE, "IIi", gift_id, user_id, (int)refused);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_query_int(c, &work_id, SQL_GIFT_WORK, "I", gift_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	sqls_note(s, STORE_CHANGE_USER, user_id);
	return sqls_wr_end(s, c, rc);
}
