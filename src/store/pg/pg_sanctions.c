/* PostgreSQL backend: suspensions and bans, the works a sanction hides, renames, comments and bookmarks kept in
 * quarantine by moderators (so an undo restores them), locked comments, the staff list. As sqlite/sanctions.c. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

#define SANCTION_COLS "x.user_id, u.name, x.kind, x.until, x.reason, x.log_id, x.at" \
	" FROM user_sanctions x JOIN users u ON u.id = x.user_id"

static struct pg_stmt SANCTION_SET = PG_STMT("INSERT INTO user_sanctions(user_id, kind, until, reason, log_id, at)"
	" VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind,"
	" until = excluded.until, reason = excluded.reason, log_id = excluded.log_id, at = excluded.at");
static struct pg_stmt SANCTION_CLEAR = PG_STMT("DELETE FROM user_sanctions WHERE user_id = $1");
static struct pg_stmt SANCTION_GET = PG_STMT("SELECT " SANCTION_COLS " WHERE x.user_id = $1");
static struct pg_stmt SANCTION_LIST = PG_STMT("SELECT " SANCTION_COLS " WHERE x.until = 0 OR x.until > $1"
	" ORDER BY x.at DESC LIMIT 500");
/* A sanction hides the works its account owns (posted ones), each marked with the sanction's entry. */
static struct pg_stmt WORKS_HIDE_OWNED_MARK = PG_STMT("INSERT INTO work_moderation(work_id, state, reason, log_id, at)"
	" SELECT w.id, 2, $2, $3, $4 FROM work_creators c JOIN works w ON w.id = c.work_id"
	" WHERE c.user_id = $1 AND c.position = 0 AND w.draft = 0");
static struct pg_stmt WORKS_HIDE_OWNED = PG_STMT("UPDATE works SET draft = 2 WHERE id IN (SELECT work_id"
	" FROM work_moderation WHERE log_id = $1) AND draft = 0");
static struct pg_stmt WORKS_SHOW_LOGGED = PG_STMT("UPDATE works SET draft = 0 WHERE draft = 2 AND id IN (SELECT work_id"
	" FROM work_moderation WHERE log_id = $1 AND state = 2)");
static struct pg_stmt WORKS_SHOW_LOGGED_PUBLISH = PG_STMT("UPDATE chapters SET published_at = $2 WHERE published_at = 0"
	" AND work_id IN (SELECT work_id FROM work_moderation WHERE log_id = $1 AND state = 2)");
static struct pg_stmt WORKS_SHOW_LOGGED_FORGET = PG_STMT("DELETE FROM work_moderation WHERE log_id = $1 AND state = 2");
static struct pg_stmt USER_RENAME = PG_STMT("UPDATE users SET name = $2, skeleton = $3 WHERE id = $1");
/* Touching the creator rows runs their triggers: the owner's sort name and the works' and chapters' search
 * documents follow the new name. */
static struct pg_stmt USER_RENAME_WORKS = PG_STMT("UPDATE work_creators SET user_id = user_id WHERE user_id = $1");
static struct pg_stmt COMMENT_WORK = PG_STMT("SELECT work_id FROM comments WHERE id = $1");
static struct pg_stmt COMMENT_QUARANTINE = PG_STMT("INSERT INTO comment_quarantine(comment_id, body, body_html, state,"
	" guest_email, log_id) SELECT id, body, body_html, state, guest_email, $2 FROM comments WHERE id = $1 AND state <> 3");
static struct pg_stmt COMMENT_SET_STATE = PG_STMT("UPDATE comments SET state = $2 WHERE id = $1");
static struct pg_stmt COMMENT_WIPE = PG_STMT("UPDATE comments SET body = '', body_html = '', guest_email = NULL"
	" WHERE id = $1");
static struct pg_stmt COMMENT_RESTORE = PG_STMT("UPDATE comments SET body = q.body, body_html = q.body_html,"
	" state = q.state, guest_email = q.guest_email FROM comment_quarantine q WHERE q.comment_id = $1"
	" AND comments.id = $1");
static struct pg_stmt COMMENT_QUARANTINE_DEL = PG_STMT("DELETE FROM comment_quarantine WHERE comment_id = $1");
static struct pg_stmt BOOKMARK_QUARANTINE = PG_STMT("INSERT INTO bookmark_quarantine(id, user_id, work_id, notes,"
	" notes_html, tags, private, rec, created_at, updated_at, log_id) SELECT id, user_id, work_id, notes, notes_html,"
	" tags, private, rec, created_at, updated_at, $2 FROM bookmarks WHERE id = $1");
static struct pg_stmt BOOKMARK_REMOVE = PG_STMT("DELETE FROM bookmarks WHERE id = $1");
static struct pg_stmt BOOKMARK_RESTORE = PG_STMT("INSERT INTO bookmarks(id, user_id, work_id, notes, notes_html, tags,"
	" private, rec, created_at, updated_at) SELECT id, user_id, work_id, notes, notes_html, tags, private, rec,"
	" created_at, updated_at FROM bookmark_quarantine WHERE id = $1");
static struct pg_stmt BOOKMARK_QUARANTINE_GET = PG_STMT("SELECT work_id FROM bookmark_quarantine WHERE id = $1");
static struct pg_stmt BOOKMARK_QUARANTINE_DEL = PG_STMT("DELETE FROM bookmark_quarantine WHERE id = $1");
static struct pg_stmt WORK_COMMENTS_LOCK = PG_STMT("UPDATE works SET comments_locked = $2 WHERE id = $1");
static struct pg_stmt USERS_STAFF = PG_STMT("SELECT u.id, u.name, u.email, u.role, '', u.created_at"
	" FROM users u WHERE u.role IN ('admin', 'moderator', 'wrangler') ORDER BY u.role, u.name LIMIT 500");

static void sanction_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct user_sanction *x = item;
	x->user_id = pgs_int(r, row, 0);
	x->user_name = pgs_text(a, r, row, 1);
	x->kind = (int)pgs_int(r, row, 2);
	x->until = pgs_int(r, row, 3);
	x->reason = pgs_text(a, r, row, 4);
	x->log_id = pgs_int(r, row, 5);
	x->at = pgs_int(r, row, 6);
}

int pgs_user_sanction_set(struct store *st, int64_t user_id, int kind, int64_t until, const char *reason,
                          int64_t log_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if ((kind != SANCTION_SUSPENDED && kind != SANCTION_BANNED) || until < 0)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SANCTION_SET, "IiIsII", user_id, kind, until, reason ? reason : "", log_id, pgs_now());
	}
	/* Sessions and tokens stop working through their lookups; nothing a cached page shows changes. */
	return rc;
}

int pgs_user_sanction_clear(struct store *st, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SANCTION_CLEAR, "I", user_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

int pgs_user_sanction_get(struct store *st, struct arena *a, int64_t user_id, struct user_sanction *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SANCTION_GET, &rc, "I", user_id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			sanction_from_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_user_sanctions_list(struct store *st, struct arena *a, int64_t now, struct user_sanction **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SANCTION_LIST, &rc, "I", now);
		rc = pgs_rows(a, r, rc, sizeof **out, sanction_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_works_hide_owned(struct store *st, int64_t user_id, const char *reason, int64_t log_id, int64_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*n = 0;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &WORKS_HIDE_OWNED_MARK, "IsII", user_id, reason ? reason : "", log_id, pgs_now());
		if (rc == 0) {
			*n = c->changes;
			rc = pgs_exec(c, &WORKS_HIDE_OWNED, "I", log_id);
		}
		if (rc == 0 && *n)
			pgs_note_all(s); /* any number of works, their listings, series and tag counts */
	}
	return rc;
}

int pgs_works_show_logged(struct store *st, int64_t log_id, int64_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*n = 0;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &WORKS_SHOW_LOGGED, "I", log_id);
		if (rc == 0) {
			*n = c->changes;
			rc = pgs_exec(c, &WORKS_SHOW_LOGGED_PUBLISH, "II", log_id, pgs_now());
		}
		if (rc == 0)
			rc = pgs_exec(c, &WORKS_SHOW_LOGGED_FORGET, "I", log_id);
		if (rc == 0 && *n)
			pgs_note_all(s);
	}
	return rc;
}

int pgs_user_rename(struct store *st, int64_t user_id, const char *name, const char *skeleton)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!name || !*name)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &USER_RENAME, "Its", user_id, name, skeleton);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_exec(c, &USER_RENAME_WORKS, "I", user_id);
		if (rc == 0)
			pgs_note_all(s); /* the name shows on every page that lists the account's works and comments */
	}
	return rc;
}

int pgs_comment_quarantine(struct store *st, int64_t comment_id, int64_t log_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t work_id = 0;
		rc = pgs_query_int(c, &work_id, &COMMENT_WORK, "I", comment_id);
		if (rc == 0)
			rc = pgs_exec(c, &COMMENT_QUARANTINE, "II", comment_id, log_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_EINVAL; /* deleted already */
		if (rc == 0)
			rc = pgs_exec(c, &COMMENT_SET_STATE, "Ii", comment_id, 3);
		if (rc == 0)
			rc = pgs_exec(c, &COMMENT_WIPE, "I", comment_id);
		if (rc == 0)
			pgs_note(s, STORE_CHANGE_WORK, work_id);
	}
	return rc;
}

int pgs_comment_restore(struct store *st, int64_t comment_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t work_id = 0;
		rc = pgs_query_int(c, &work_id, &COMMENT_WORK, "I", comment_id);
		if (rc == 0)
			rc = pgs_exec(c, &COMMENT_RESTORE, "I", comment_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_exec(c, &COMMENT_QUARANTINE_DEL, "I", comment_id);
		if (rc == 0)
			pgs_note(s, STORE_CHANGE_WORK, work_id);
	}
	return rc;
}

int pgs_bookmark_quarantine(struct store *st, int64_t bookmark_id, int64_t log_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t work_id = 0;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &BOOKMARK_QUARANTINE, "II", bookmark_id, log_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_query_int(c, &work_id, &BOOKMARK_QUARANTINE_GET, "I", bookmark_id);
		if (rc == 0)
			rc = pgs_exec(c, &BOOKMARK_REMOVE, "I", bookmark_id);
	}
	if (rc == 0)
		store_response_changed(st, work_id); /* the work's bookmark count, as any bookmark write */
	return rc;
}

int pgs_bookmark_restore(struct store *st, int64_t bookmark_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t work_id = 0;
	PG_WRITE(s, c, rc) {
		rc = pgs_query_int(c, &work_id, &BOOKMARK_QUARANTINE_GET, "I", bookmark_id);
		if (rc == 0)
			rc = pgs_exec(c, &BOOKMARK_RESTORE, "I", bookmark_id);
		if (rc == 0)
			rc = pgs_exec(c, &BOOKMARK_QUARANTINE_DEL, "I", bookmark_id);
	}
	if (rc == 0)
		store_response_changed(st, work_id);
	return rc;
}

int pgs_work_comments_lock(struct store *st, int64_t work_id, bool locked)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &WORK_COMMENTS_LOCK, "Ii", work_id, (int)locked);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			pgs_note(s, STORE_CHANGE_WORK, work_id); /* the comment form comes and goes */
	}
	return rc;
}

static void staff_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct user *u = item;
	memset(u, 0, sizeof *u);
	u->id = pgs_int(r, row, 0);
	u->name = pgs_text(a, r, row, 1);
	u->email = pgs_text(a, r, row, 2);
	u->role = pgs_text(a, r, row, 3);
	u->pwhash = "";
	u->created_at = pgs_int(r, row, 5);
}

int pgs_users_staff(struct store *st, struct arena *a, struct user **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &USERS_STAFF, &rc, "");
		rc = pgs_rows(a, r, rc, sizeof **out, staff_from_row, (void **)out, n);
	}
	return rc;
}
