/* SQLite backend: users, sessions and API tokens, and deleting a user with or without their works. */
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>

/* last_used_at is informational: writing it on every API call would serialize reads behind the
 * write lock, so it is refreshed at most this often. */
#define TOKEN_TOUCH_SECONDS 60

/* Fills out from the current row of q, whose first columns are USER_COLS. */
static void user_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct user *out = item;
	out->id = sqlite3_column_int64(q, 0);
	out->name = sqls_col_text(a, q, 1);
	out->email = sqls_col_text(a, q, 2);
	out->role = sqls_col_text(a, q, 3);
	out->pwhash = sqls_col_text(a, q, 4);
	out->created_at = sqlite3_column_int64(q, 5);
	out->inbox_unread = 0; /* only session_user reads it */
}

/* Reads one user with statement id and its parameters (sqls_prep's format); the token's extra columns,
 * when wanted, go to extra[0..1] (SQL_TOKEN_USER selects token id and last use after USER_COLS; SQL_SESSION_USER
 * the unread inbox count), as many as the statement has. */
static int user_read(struct store *st, struct arena *a, struct user *out, int64_t *extra, enum sql_id id,
                     const char *fmt, ...)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	va_list ap;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	if ((rc = sqls_one_row(c, q)) == 0) {
		user_from_row(a, q, out);
		for (int i = 0; extra && i < 2 && 6 + i < sqlite3_column_count(q); i++)
			extra[i] = sqlite3_column_int64(q, 6 + i);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_user_create(struct store *st, const char *name, const char *email, const char *pwhash,
                     const char *role, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!name || !email || !pwhash)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_USER_INSERT, "ttttI", name, email, pwhash, role ? role : "user", sqls_now());
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	return sqls_wr_end(s, c, rc);
}

int sqls_user_get(struct store *st, struct arena *a, int64_t id, struct user *out)
{
	return user_read(st, a, out, NULL, SQL_USER_BY_ID, "I", id);
}

int sqls_user_get_by_name(struct store *st, struct arena *a, const char *name, struct user *out)
{
	if (!name)
		return Q_ENOTFOUND;
	return user_read(st, a, out, NULL, SQL_USER_BY_NAME, "t", name);
}

int sqls_user_get_by_email(struct store *st, struct arena *a, const char *email, struct user *out)
{
	if (!email)
		return Q_ENOTFOUND;
	return user_read(st, a, out, NULL, SQL_USER_BY_EMAIL, "t", email);
}

/* Runs an UPDATE of one user row; Q_ENOTFOUND when no row matched. A visible change (the role
 * shows on the user's pages) is noted for the change feed; a password is not. */
static int user_update(struct store *st, enum sql_id id, int64_t user_id, const char *value, bool visible)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!value)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, id, "It", user_id, value);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0 && visible)
		sqls_note(s, STORE_CHANGE_USER, user_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_user_set_password(struct store *st, int64_t id, const char *pwhash)
{
	return user_update(st, SQL_USER_SET_PASSWORD, id, pwhash, false);
}

int sqls_user_set_role(struct store *st, int64_t id, const char *role)
{
	return user_update(st, SQL_USER_SET_ROLE, id, role, true);
}

int sqls_user_count(struct store *st, int64_t *count)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, count, SQL_USER_COUNT, "");
	sqls_rd_end(s, c);
	return rc;
}

/* Hands the user's series to the orphan account. Where the orphan account already has a series
 * of that title (titles are unique per owner), the works join it after its own. */
static int series_orphan(struct sqls_conn *c, int64_t user_id, int64_t orphan_id)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SERIES_OF_OWNER, "I", user_id);
	if (!q)
		return Q_ERR;
	/* Collected first: the loop below changes the rows this query walks. */
	while ((rc = sqls_step(c, q)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	sqls_reset(q);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t twin = 0, base = 0;
		rc = sqls_query_int(c, &twin, SQL_SERIES_TWIN, "II", ids[i], orphan_id);
		if (rc == Q_ENOTFOUND) {
			rc = sqls_exec(c, SQL_SERIES_SET_OWNER, "II", ids[i], orphan_id);
			continue;
		}
		if (rc == 0)
			rc = sqls_query_int(c, &base, SQL_SERIES_MAXPOS, "I", twin);
		if (rc == 0)
			rc = sqls_exec(c, SQL_WORK_SERIES_MOVE, "III", ids[i], twin, base);
		if (rc == 0)
			rc = sqls_exec(c, SQL_SERIES_DELETE, "I", ids[i]);
	}
	free(ids);
	return rc;
}

/* The ids of the works the user is a creator of, pending or accepted (xmalloc'd, caller frees). */
static int works_of_user(struct sqls_conn *c, int64_t user_id, int64_t **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = sqls_prep(c, SQL_WORKS_OF_USER, "I", user_id);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	sqls_reset(q);
	return rc;
}

/* Notes each work with its creators and series as they are now (the feed wants before and after). */
static int note_works(struct sqls *s, struct sqls_conn *c, const int64_t *ids, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = sqls_note_work(s, c, ids[i]);
	return rc;
}

int sqls_user_delete(struct store *st, int64_t id, bool orphan_works)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t orphan_id = 0, one, *works = NULL;
	size_t nworks = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_query_int(c, &one, SQL_USER_EXISTS, "I", id)))
		goto done;
	if ((rc = sqls_query_int(c, &orphan_id, SQL_ORPHAN_ID, "")))
		goto done;
	if (id == orphan_id) {
		rc = Q_EINVAL;
		goto done;
	}
	/* Every work they were on, and everyone else on those works; again afterwards, which adds
	 * the orphan account and any series the works joined. */
	sqls_note(s, STORE_CHANGE_USER, id);
	if ((rc = works_of_user(c, id, &works, &nworks)) || (rc = note_works(s, c, works, nworks)))
		goto done;
	if (orphan_works) {
		/* The orphan account cannot be both owner and co-creator of one work. */
		rc = sqls_exec(c, SQL_CREATORS_DROP_ORPHAN_DUP, "II", id, orphan_id);
		if (rc == 0)
			rc = sqls_exec(c, SQL_CREATORS_ORPHAN, "II", id, orphan_id);
		if (rc == 0)
			rc = series_orphan(c, id, orphan_id);
	} else {
		/* Chapters, tags, creators and series links go with the works (ON DELETE CASCADE). */
		rc = sqls_exec(c, SQL_WORKS_DELETE_OWNED, "I", id);
	}
	if (rc == 0)
		rc = sqls_exec(c, SQL_CREATORS_REMOVE_USER, "I", id);
	/* Sessions, tokens and any series left go with the user (ON DELETE CASCADE). */
	if (rc == 0)
		rc = sqls_exec(c, SQL_USER_DELETE, "I", id);
	if (rc == 0)
		rc = note_works(s, c, works, nworks);
done:
	free(works);
	return sqls_wr_end(s, c, rc);
}

/* ---- Sessions -------------------------------------------------------------------------------- */

int sqls_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!token_hash || !*token_hash)
		return sqls_refuse(s, Q_EINVAL);
	int64_t now = sqls_now();
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	/* Logins are rare enough to carry the sweep of expired sessions. */
	rc = sqls_exec(c, SQL_SESSION_PURGE, "I", now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_SESSION_INSERT, "tIII", token_hash, user_id, expires_at, now);
	return sqls_wr_end(s, c, rc);
}

int sqls_session_user(struct store *st, struct arena *a, const char *token_hash, int64_t now,
                      struct user *out)
{
	if (!token_hash)
		return Q_ENOTFOUND;
	int64_t extra[2] = {0, 0}; /* users.inbox_unread, the version of the terms accepted */
	int rc = user_read(st, a, out, extra, SQL_SESSION_USER, "tI", token_hash, now);
	if (rc == 0) {
		out->inbox_unread = extra[0];
		out->policy_accepted = extra[1];
	}
	return rc;
}

int sqls_session_delete(struct store *st, const char *token_hash)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!token_hash)
		return sqls_refuse(s, Q_ENOTFOUND);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SESSION_DELETE, "t", token_hash);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end(s, c, rc);
}

int sqls_session_delete_for_user(struct store *st, int64_t user_id, const char *except_hash)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SESSION_DELETE_USER, "It", user_id, except_hash);
	return sqls_wr_end(s, c, rc);
}

/* ---- API tokens ------------------------------------------------------------------------------ */

int sqls_token_create(struct store *st, int64_t user_id, const char *token_hash, const char *name,
                      int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!token_hash || !*token_hash)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_TOKEN_INSERT, "ItsI", user_id, token_hash, name, sqls_now());
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	return sqls_wr_end(s, c, rc);
}

int sqls_token_user(struct store *st, struct arena *a, const char *token_hash, struct user *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t token[2] = {0, 0}, now = sqls_now(); /* token id, last used */
	if (!token_hash)
		return Q_ENOTFOUND;
	int rc = user_read(st, a, out, token, SQL_TOKEN_USER, "t", token_hash);
	if (rc == 0 && (now - token[1] >= TOKEN_TOUCH_SECONDS || now < token[1])) {
		/* The caller is authenticated either way; a failed touch is logged and ignored. */
		if (sqls_wr_begin(s, &c) == 0)
			sqls_wr_end(s, c, sqls_exec(c, SQL_TOKEN_TOUCH, "II", token[0], now));
	}
	return rc;
}

static void token_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct api_token *t = item;
	t->id = sqlite3_column_int64(q, 0);
	t->name = sqls_col_text(a, q, 1);
	t->created_at = sqlite3_column_int64(q, 2);
	t->last_used_at = sqlite3_column_int64(q, 3);
}

int sqls_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, token_from_row, out, n, SQL_TOKEN_LIST, "I", user_id);
}

int sqls_token_revoke(struct store *st, int64_t user_id, int64_t token_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_TOKEN_REVOKE, "II", user_id, token_id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end(s, c, rc);
}

/* ---- Look-alike names -------------------------------------------------------------------------- */

int sqls_user_set_skeleton(struct store *st, int64_t id, const char *skeleton)
{
	return user_update(st, SQL_USER_SET_SKELETON, id, skeleton, false);
}

int sqls_user_get_by_skeleton(struct store *st, struct arena *a, const char *skeleton, struct user *out)
{
	if (!skeleton)
		return Q_ENOTFOUND;
	return user_read(st, a, out, NULL, SQL_USER_BY_SKELETON, "t", skeleton);
}

int sqls_users_without_skeleton(struct store *st, struct arena *a, int limit, struct user **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, user_from_row, out, n, SQL_USERS_WITHOUT_SKELETON, "i",
	                      limit > 0 ? limit : 1);
}
