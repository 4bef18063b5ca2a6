/* SQLite backend: related works. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

#define RELATIONS_MAX 50

int sqls_relations_set(struct store *st, int64_t work_id, const struct work_relation *r, size_t n)
{
	struct sqls *s = sqls_of(st);
	if (n > RELATIONS_MAX || (n && !r))
		return sqls_refuse(s, Q_EINVAL);
	for (size_t i = 0; i < n; i++)
		if (r[i].kind < 0 || r[i].kind >= RELATION_KINDS || (!r[i].parent_id && (!r[i].url || !*r[i].url)) ||
		    r[i].parent_id == work_id)
			return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	/* The links there were: a parent kept keeps its row (its id, its approval; nobody is told again). */
	struct old {
		int64_t id, parent;
		bool kept;
	} old[RELATIONS_MAX + 1];
	size_t nold = 0;
	sqlite3_stmt *q = sqls_prep(c, SQL_REL_OLD, "I", work_id);
	if (!q)
		rc = Q_ERR;
	while (q && nold < RELATIONS_MAX + 1 && (rc = sqls_step(c, q)) == 1) {
		old[nold] = (struct old){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), false};
		if (old[nold].parent)
			sqls_note(s, STORE_CHANGE_WORK, old[nold].parent);
		nold++;
	}
	if (q)
		sqls_reset(q);
	int64_t kept_id[RELATIONS_MAX + 1] = {0};
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; r[i].parent_id && k < nold; k++)
			if (!old[k].kept && old[k].parent == r[i].parent_id) {
				old[k].kept = true;
				kept_id[i] = old[k].id;
				break;
			}
	for (size_t k = 0; k < nold && rc == 0; k++)
		if (!old[k].kept)
			rc = sqls_exec(c, SQL_REL_DELETE, "I", old[k].id);
	int64_t now = sqls_now();
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (kept_id[i])
			rc = sqls_exec(c, SQL_REL_KEEP, "Iii", kept_id[i], r[i].kind, (int)i);
		else
			rc = sqls_exec(c, SQL_REL_INSERT, "IiIsssiI", work_id, r[i].kind, r[i].parent_id,
			               r[i].parent_id ? "" : r[i].url, r[i].parent_id || !r[i].title ? "" : r[i].title,
			               r[i].parent_id || !r[i].author ? "" : r[i].author, (int)i, now);
		if (r[i].parent_id)
			sqls_note(s, STORE_CHANGE_WORK, r[i].parent_id);
	}
	sqls_note(s, STORE_CHANGE_WORK, work_id);
	return sqls_wr_end(s, c, rc);
}

static void relation_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct work_relation *r = item;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->work_id = sqlite3_column_int64(q, 1);
	r->kind = sqlite3_column_int(q, 2);
	r->parent_id = sqlite3_column_int64(q, 3);
	r->url = sqls_col_text(a, q, 4);
	r->title = sqls_col_text(a, q, 5);
	r->author = sqls_col_text(a, q, 6);
	r->approved = sqlite3_column_int(q, 7) != 0;
	r->created_at = sqlite3_column_int64(q, 8);
	r->other_title = sqls_col_text(a, q, 9);
	r->other_creator = sqls_col_text(a, q, 10);
	r->other_owner_id = sqlite3_column_int64(q, 11);
	r->other_listed = sqlite3_column_int(q, 12) != 0;
	r->other_restricted = sqlite3_column_int(q, 13) != 0;
	r->other_anonymous = sqlite3_column_int(q, 14) != 0;
}

int sqls_relations_of(struct store *st, struct arena *a, int64_t work_id, struct work_relation **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, relation_from_row, out, n, SQL_REL_OF, "I", work_id);
}

int sqls_relations_to(struct store *st, struct arena *a, int64_t parent_id, bool with_pending,
                      struct work_relation **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, relation_from_row, out, n, SQL_REL_TO, "Ii", parent_id,
	                      (int)with_pending);
}

int sqls_relation_approve(struct store *st, int64_t id, int64_t parent_id, bool approved)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_REL_APPROVE, "IIi", id, parent_id, (int)approved);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	int64_t child = 0;
	if (rc == 0)
		rc = sqls_query_int(c, &child, SQL_REL_CHILD, "I", id);
	if (rc == 0) {
		sqls_note(s, STORE_CHANGE_WORK, parent_id);
		sqls_note(s, STORE_CHANGE_WORK, child);
	}
	return sqls_wr_end(s, c, rc);
}
