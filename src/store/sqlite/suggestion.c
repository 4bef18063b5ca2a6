/* SQLite backend: readers' suggestions on a passage, and the works that take them. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

int sqls_suggestions_enabled_set(struct store *st, int64_t work_id, bool on)
{
	struct sqls *s = sqls_of(st);
	if (work_id <= 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, on ? SQL_SUGGESTIONS_ON : SQL_SUGGESTIONS_OFF, "I", work_id);
	if (rc == 0 && sqls_changes(c) > 0)
		rc = sqls_note_work(s, c, work_id); /* the chapter pages show the "Suggest a change" link */
	return sqls_wr_end(s, c, rc);
}

int sqls_suggestions_enabled(struct store *st, int64_t work_id, bool *on)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*on = false;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	int64_t v = 0;
	rc = sqls_query_int(c, &v, SQL_SUGGESTIONS_ENABLED, "I", work_id);
	sqls_rd_end(s, c);
	*on = v != 0;
	return rc;
}

int sqls_suggestion_create(struct store *st, const struct reader_suggestion *sg, int64_t since, int max_since,
                           int max_open, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	if (sg->work_id <= 0 || sg->chapter_id <= 0 || sg->user_id <= 0 || !sg->quote || !*sg->quote)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t n = 0;
	if ((rc = sqls_query_int(c, &n, SQL_SUGGESTION_RECENT, "IIi", sg->user_id, since, max_since)) == 0 && n >= max_since)
		rc = Q_EBUSY;
	if (rc == 0 && (rc = sqls_query_int(c, &n, SQL_SUGGESTION_OPEN_COUNT, "IIi", sg->chapter_id, sg->user_id,
	                                    max_open)) == 0 && n >= max_open)
		rc = Q_ETOOBIG;
	if (rc == 0)
		rc = sqls_exec(c, SQL_SUGGESTION_ADD, "IIIssstt" "I", sg->work_id, sg->chapter_id, sg->user_id, sg->quote,
		               sg->prefix ? sg->prefix : "", sg->suffix ? sg->suffix : "", sg->replacement, sg->note,
		               sqls_now());
	if (rc == 0) {
		*id = sqls_last_id(c);
		rc = sqls_exec(c, SQL_SUGGESTION_INBOX_CREATORS, "IIIsII", sg->work_id, sg->chapter_id, sg->user_id, sg->quote,
		               sqls_now(), *id);
	}
	return sqls_wr_end_quiet(s, c, rc);
}

static void suggestion_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct reader_suggestion *sg = item;
	sg->id = sqlite3_column_int64(q, 0);
	sg->work_id = sqlite3_column_int64(q, 1);
	sg->chapter_id = sqlite3_column_int64(q, 2);
	sg->user_id = sqlite3_column_int64(q, 3);
	sg->user_name = sqls_col_text(a, q, 4);
	sg->quote = sqls_col_text(a, q, 5);
	sg->prefix = sqls_col_text(a, q, 6);
	sg->suffix = sqls_col_text(a, q, 7);
	sg->replacement = sqls_col_text(a, q, 8);
	sg->note = sqls_col_text(a, q, 9);
	sg->reply = sqls_col_text(a, q, 10);
	sg->state = sqlite3_column_int(q, 11);
	sg->created_at = sqlite3_column_int64(q, 12);
	sg->updated_at = sqlite3_column_int64(q, 13);
	sg->chapter_position = sqlite3_column_int(q, 14);
	sg->work_title = sqls_col_text(a, q, 15);
}

int sqls_suggestion_get(struct store *st, struct arena *a, int64_t id, struct reader_suggestion *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SUGGESTION_GET, "I", id);
	rc = sqls_one_row(c, q);
	if (rc == 0)
		suggestion_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_suggestions_list(struct store *st, struct arena *a, const struct suggestion_query *qy,
                          struct reader_suggestion **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	if (qy->chapter_id <= 0 && qy->creator_id <= 0)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	sqlite3_stmt *q = sqls_prep(c, qy->chapter_id > 0 ? SQL_SUGGESTION_LIST_CHAPTER : SQL_SUGGESTION_LIST_CREATOR,
	                            "IIIiIi", qy->chapter_id, qy->user_id, qy->creator_id, qy->state, qy->before_id,
	                            qy->limit > 0 && qy->limit <= 200 ? qy->limit : 50);
	rc = sqls_rows(c, a, q, sizeof **out, suggestion_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_suggestion_set_state(struct store *st, int64_t id, int from_state, int state, const char *reply, int64_t by)
{
	struct sqls *s = sqls_of(st);
	if (state < SUGGESTION_OPEN || state > SUGGESTION_DISMISSED)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SUGGESTION_SET_STATE, "IiitI", id, from_state, state, reply, sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_exec(c, SQL_SUGGESTION_INBOX_READ, "I", id);
	/* The reader hears of an acceptance or an answer, not of a dismissal. */
	const char *kind = state == SUGGESTION_ACCEPTED && from_state != SUGGESTION_ACCEPTED ? "suggestion_accepted"
	                   : reply && *reply                                               ? "suggestion_answered"
	                                                                                   : NULL;
	if (rc == 0 && kind)
		rc = sqls_exec(c, SQL_SUGGESTION_INBOX_READER, "IsIsI", id, kind, by, reply ? reply : "", sqls_now());
	return sqls_wr_end_quiet(s, c, rc);
}
