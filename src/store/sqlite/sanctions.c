/* SQLite backend: suspensions and bans, the works a sanction hides, renames, comments and bookmarks kept in
 * quarantine by moderators (so an undo restores them), locked comments, the staff list. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

static void sanction_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct user_sanction *x = item;
	x->user_id = sqlite3_column_int64(q, 0);
	x->user_name = sqls_col_text(a, q, 1);
	x->kind = sqlite3_column_int(q, 2);
	x->until = sqlite3_column_int64(q, 3);
	x->reason = sqls_col_text(a, q, 4);
	x->log_id = sqlite3_column_int64(q, 5);
	x->at = sqlite3_column_int64(q, 6);
}

int sqls_user_sanction_set(struct store *st, int64_t user_id, int kind, int64_t until, const char *reason,
                           int64_t log_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if ((kind != SANCTION_SUSPENDED && kind != SANCTION_BANNED) || until < 0)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SANCTION_SET, "IiIsII", user_id, kind, until, reason ? reason : "", log_id, sqls_now());
	/* Sessions and tokens stop working through their lookups; nothing a cached page shows changes. */
	return sqls_wr_end(s, c, rc);
}

int sqls_user_sanction_clear(struct store *st, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SANCTION_CLEAR, "I", user_id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end(s, c, rc);
}

int sqls_user_sanction_get(struct store *st, struct arena *a, int64_t user_id, struct user_sanction *out)
{
	return sqls_read_row(sqls_of(st), a, sanction_from_row, out, SQL_SANCTION_GET, "I", user_id);
}

int sqls_user_sanctions_list(struct store *st, struct arena *a, int64_t now, struct user_sanction **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_SANCTION_LIST, "I", now), sizeof **out, sanction_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_works_hide_owned(struct store *st, int64_t user_id, const char *reason, int64_t log_id, int64_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*n = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_exec(c, SQL_WORKS_HIDE_OWNED_MARK, "IsII", user_id, reason ? reason : "", log_id, sqls_now())))
		return sqls_wr_end(s, c, rc);
	*n = sqls_changes(c);
	rc = sqls_exec(c, SQL_WORKS_HIDE_OWNED, "I", log_id);
	if (rc == 0 && *n)
		sqls_note_all(s); /* any number of works, their listings, series and tag counts */
	return sqls_wr_end(s, c, rc);
}

int sqls_works_show_logged(struct store *st, int64_t log_id, int64_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*n = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_exec(c, SQL_WORKS_SHOW_LOGGED, "I", log_id)))
		return sqls_wr_end(s, c, rc);
	*n = sqls_changes(c);
	if ((rc = sqls_exec(c, SQL_WORKS_SHOW_LOGGED_PUBLISH, "II", log_id, sqls_now())) == 0)
		rc = sqls_exec(c, SQL_WORKS_SHOW_LOGGED_FORGET, "I", log_id);
	if (rc == 0 && *n)
		sqls_note_all(s);
	return sqls_wr_end(s, c, rc);
}

int sqls_user_rename(struct store *st, int64_t user_id, const char *name, const char *skeleton)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!name || !*name)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_USER_RENAME, "Its", user_id, name, skeleton);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_exec(c, SQL_USER_RENAME_WORKS, "I", user_id);
	if (rc == 0)
		sqls_note_all(s); /* the name shows on every page that lists the account's works and comments */
	return sqls_wr_end(s, c, rc);
}

int sqls_comment_quarantine(struct store *st, int64_t comment_id, int64_t log_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t work_id = 0;
	if ((rc = sqls_query_int(c, &work_id, SQL_COMMENT_WORK, "I", comment_id)) ||
	    (rc = sqls_exec(c, SQL_COMMENT_QUARANTINE, "II", comment_id, log_id)))
		return sqls_wr_end(s, c, rc);
	if (sqls_changes(c) == 0)
		rc = Q_EINVAL; /* deleted already */
	if (rc == 0)
		rc = sqls_exec(c, SQL_COMMENT_SET_STATE, "Ii", comment_id, 3);
	if (rc == 0)
		rc = sqls_exec(c, SQL_COMMENT_WIPE, "I", comment_id);
	if (rc == 0)
		sqls_note(s, STORE_CHANGE_WORK, work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_comment_restore(struct store *st, int64_t comment_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t work_id = 0;
	if ((rc = sqls_query_int(c, &work_id, SQL_COMMENT_WORK, "I", comment_id)) ||
	    (rc = sqls_exec(c, SQL_COMMENT_RESTORE, "I", comment_id)))
		return sqls_wr_end(s, c, rc);
	if (sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_exec(c, SQL_COMMENT_QUARANTINE_DEL, "I", comment_id);
	if (rc == 0)
		sqls_note(s, STORE_CHANGE_WORK, work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_bookmark_quarantine(struct store *st, int64_t bookmark_id, int64_t log_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t work_id = 0;
	if ((rc = sqls_exec(c, SQL_BOOKMARK_QUARANTINE, "II", bookmark_id, log_id)))
		return sqls_wr_end(s, c, rc);
	if (sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_query_int(c, &work_id, SQL_BOOKMARK_QUARANTINE_GET, "I", bookmark_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_BOOKMARK_REMOVE, "I", bookmark_id);
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0)
		store_response_changed(st, work_id); /* the work's bookmark count, as any bookmark write */
	return rc;
}

int sqls_bookmark_restore(struct store *st, int64_t bookmark_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t work_id = 0;
	if ((rc = sqls_query_int(c, &work_id, SQL_BOOKMARK_QUARANTINE_GET, "I", bookmark_id)) ||
	    (rc = sqls_exec(c, SQL_BOOKMARK_RESTORE, "I", bookmark_id)))
		return sqls_wr_end(s, c, rc);
	rc = sqls_exec(c, SQL_BOOKMARK_QUARANTINE_DEL, "I", bookmark_id);
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0)
		store_response_changed(st, work_id);
	return rc;
}

int sqls_work_comments_lock(struct store *st, int64_t work_id, bool locked)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_WORK_COMMENTS_LOCK, "Ii", work_id, (int)locked);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		sqls_note(s, STORE_CHANGE_WORK, work_id); /* the comment form comes and goes */
	return sqls_wr_end(s, c, rc);
}

static void staff_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct user *u = item;
	u->id = sqlite3_column_int64(q, 0);
	u->name = sqls_col_text(a, q, 1);
	u->email = sqls_col_text(a, q, 2);
	u->role = sqls_col_text(a, q, 3);
	u->pwhash = "";
	u->created_at = sqlite3_column_int64(q, 5);
}

int sqls_users_staff(struct store *st, struct arena *a, struct user **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_USERS_STAFF, ""), sizeof **out, staff_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}
