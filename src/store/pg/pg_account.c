/* PostgreSQL backend: settings, users, sessions, API tokens, blocks, look-alike names, and deleting a user with
 * or without their works. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>

/* last_used_at is informational: writing it on every API call would serialize reads behind the write lock,
 * so it is refreshed at most this often (as on SQLite). */
#define TOKEN_TOUCH_SECONDS 60

#define USER_COLS "u.id, u.name, u.email, u.role, u.pwhash, u.created_at"
/* Suspended (until a time) or banned (until 0) accounts have no working session or token meanwhile. */
#define NOT_SANCTIONED(NOW) "NOT EXISTS (SELECT 1 FROM user_sanctions x WHERE x.user_id = u.id" \
	" AND (x.until = 0 OR x.until > " NOW "))"

/* ---- Settings ------------------------------------------------------------------------------------ */

static struct pg_stmt SETTING_GET = PG_STMT("SELECT value FROM settings WHERE key = $1");
static struct pg_stmt SETTING_SET = PG_STMT("INSERT INTO settings(key, value) VALUES ($1, $2)"
	" ON CONFLICT (key) DO UPDATE SET value = excluded.value");

int pgs_setting_get(struct store *st, struct arena *a, const char *key, char **value)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*value = NULL;
	PG_READ(s, c, rc) {
		rc = pgs_query_text(c, a, value, &SETTING_GET, "t", key);
	}
	return rc;
}

int pgs_setting_set(struct store *st, const char *key, const char *value)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!key || !value)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SETTING_SET, "tt", key, value);
	}
	return rc;
}

int pgs_backup(struct store *st, const char *path)
{
	(void)st, (void)path;
	/* A PostgreSQL database is backed up with PostgreSQL's own tools, which copy it consistently while the
	 * servers run (README: pg_dump). */
	log_error("store: quire backup copies SQLite databases; back up PostgreSQL with pg_dump (see README)");
	return Q_EINVAL;
}

/* ---- Users ---------------------------------------------------------------------------------------- */

static struct pg_stmt USER_INSERT = PG_STMT("INSERT INTO users(name, email, pwhash, role, created_at)"
	" VALUES ($1, $2, $3, $4, $5) RETURNING id");
static struct pg_stmt USER_BY_ID = PG_STMT("SELECT " USER_COLS " FROM users u WHERE u.id = $1");
static struct pg_stmt USER_BY_NAME = PG_STMT("SELECT " USER_COLS " FROM users u"
	" WHERE quire_nocase(u.name) = quire_nocase($1)");
static struct pg_stmt USER_BY_EMAIL = PG_STMT("SELECT " USER_COLS " FROM users u"
	" WHERE quire_nocase(u.email) = quire_nocase($1)");
static struct pg_stmt USER_EXISTS = PG_STMT("SELECT 1 FROM users WHERE id = $1");
static struct pg_stmt USER_SET_PASSWORD = PG_STMT("UPDATE users SET pwhash = $2 WHERE id = $1");
static struct pg_stmt USER_SET_ROLE = PG_STMT("UPDATE users SET role = $2 WHERE id = $1");
static struct pg_stmt USER_SET_SKELETON = PG_STMT("UPDATE users SET skeleton = $2 WHERE id = $1");
/* The orphan account is bookkeeping, not a person: "no users yet" must still be 0. */
static struct pg_stmt USER_COUNT = PG_STMT("SELECT COUNT(*) FROM users WHERE role <> 'orphan'");
static struct pg_stmt USER_DELETE = PG_STMT("DELETE FROM users WHERE id = $1");
/* Through the names' index (quire_nocase), as every name lookup. */
static struct pg_stmt ORPHAN_ID = PG_STMT("SELECT id FROM users WHERE quire_nocase(name) = quire_nocase('orphan_account')");
static struct pg_stmt USER_BY_SKELETON = PG_STMT("SELECT " USER_COLS " FROM users u WHERE u.skeleton = $1"
	" ORDER BY u.id LIMIT 1");
static struct pg_stmt USERS_WITHOUT_SKELETON = PG_STMT("SELECT " USER_COLS " FROM users u"
	" WHERE u.skeleton IS NULL ORDER BY u.id LIMIT $1");
/* The unread inbox count rides along: every page a logged-in reader sees shows it in the header. */
static struct pg_stmt SESSION_USER = PG_STMT("SELECT " USER_COLS ", u.inbox_unread,"
	" coalesce((SELECT p.version FROM user_policy p WHERE p.user_id = u.id), 0) FROM sessions s"
	" JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND " NOT_SANCTIONED("$2"));
static struct pg_stmt TOKEN_USER = PG_STMT("SELECT " USER_COLS ", t.id, t.last_used_at"
	" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"
	" AND " NOT_SANCTIONED("extract(epoch FROM now())::bigint"));

static void user_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct user *out = item;
	out->id = pgs_int(r, row, 0);
	out->name = pgs_text(a, r, row, 1);
	out->email = pgs_text(a, r, row, 2);
	out->role = pgs_text(a, r, row, 3);
	out->pwhash = pgs_text(a, r, row, 4);
	out->created_at = pgs_int(r, row, 5);
	out->inbox_unread = 0; /* only session_user reads it */
}

/* Reads one user with statement st; the statement's columns after USER_COLS (at most two) go to extra. */
static int user_read(struct store *st, struct arena *a, struct user *out, int64_t *extra, struct pg_stmt *stmt,
                     const char *fmt, ...)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		va_list ap;
		va_start(ap, fmt);
		PGresult *r = pgs_vquery(c, stmt, &rc, fmt, ap);
		va_end(ap);
		if (r && PQntuples(r) == 0) {
			rc = Q_ENOTFOUND;
		} else if (r) {
			user_from_row(a, r, 0, out);
			for (int i = 0; extra && i < 2 && 6 + i < PQnfields(r); i++)
				extra[i] = pgs_int(r, 0, 6 + i);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_user_create(struct store *st, const char *name, const char *email, const char *pwhash, const char *role,
                    int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!name || !email || !pwhash)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &USER_INSERT, "ttttI", name, email, pwhash, role ? role : "user", pgs_now());
		if (rc == 0 && id)
			*id = new_id;
	}
	return rc;
}

int pgs_user_get(struct store *st, struct arena *a, int64_t id, struct user *out)
{
	return user_read(st, a, out, NULL, &USER_BY_ID, "I", id);
}

int pgs_user_get_by_name(struct store *st, struct arena *a, const char *name, struct user *out)
{
	if (!name)
		return Q_ENOTFOUND;
	return user_read(st, a, out, NULL, &USER_BY_NAME, "t", name);
}

int pgs_user_get_by_email(struct store *st, struct arena *a, const char *email, struct user *out)
{
	if (!email)
		return Q_ENOTFOUND;
	return user_read(st, a, out, NULL, &USER_BY_EMAIL, "t", email);
}

/* An UPDATE of one user row; Q_ENOTFOUND when no row matched. A visible change (the role shows on the
 * user's pages) is noted for the change feed; a password is not. */
static int user_update(struct store *st, struct pg_stmt *stmt, int64_t user_id, const char *value, bool visible)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!value)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, stmt, "It", user_id, value);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0 && visible)
			pgs_note(s, STORE_CHANGE_USER, user_id);
	}
	return rc;
}

int pgs_user_set_password(struct store *st, int64_t id, const char *pwhash)
{
	return user_update(st, &USER_SET_PASSWORD, id, pwhash, false);
}

int pgs_user_set_role(struct store *st, int64_t id, const char *role)
{
	return user_update(st, &USER_SET_ROLE, id, role, true);
}

int pgs_user_count(struct store *st, int64_t *count)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, count, &USER_COUNT, "");
	}
	return rc;
}

/* ---- Deleting a user ---------------------------------------------------------------------------- */

static struct pg_stmt CREATORS_DROP_ORPHAN_DUP = PG_STMT("DELETE FROM work_creators WHERE user_id = $2"
	" AND position <> 0 AND work_id IN (SELECT work_id FROM work_creators WHERE user_id = $1 AND position = 0)");
static struct pg_stmt CREATORS_ORPHAN = PG_STMT("UPDATE work_creators SET user_id = $2, accepted = 1"
	" WHERE user_id = $1 AND position = 0");
static struct pg_stmt CREATORS_REMOVE_USER = PG_STMT("DELETE FROM work_creators WHERE user_id = $1");
static struct pg_stmt WORKS_DELETE_OWNED = PG_STMT("DELETE FROM works WHERE id IN"
	" (SELECT work_id FROM work_creators WHERE user_id = $1 AND position = 0)");
static struct pg_stmt SERIES_OF_OWNER = PG_STMT("SELECT id FROM series WHERE owner_id = $1 ORDER BY id");
static struct pg_stmt SERIES_TWIN = PG_STMT("SELECT o.id FROM series u JOIN series o ON o.owner_id = $2"
	" AND quire_nocase(o.title) = quire_nocase(u.title) WHERE u.id = $1");
static struct pg_stmt SERIES_SET_OWNER = PG_STMT("UPDATE series SET owner_id = $2 WHERE id = $1");
static struct pg_stmt SERIES_MAXPOS = PG_STMT("SELECT COALESCE(MAX(position), 0) FROM work_series"
	" WHERE series_id = $1");
static struct pg_stmt WORK_SERIES_MOVE = PG_STMT("UPDATE work_series SET series_id = $2, position = position + $3"
	" WHERE series_id = $1");
static struct pg_stmt SERIES_DELETE = PG_STMT("DELETE FROM series WHERE id = $1");
static struct pg_stmt WORKS_OF_USER = PG_STMT("SELECT work_id FROM work_creators WHERE user_id = $1");

/* Hands the user's series to the orphan account. Where the orphan account already has a series of that title
 * (titles are unique per owner), the works join it after its own. */
static int series_orphan(struct pgc *c, int64_t user_id, int64_t orphan_id)
{
	int rc;
	PGresult *r = pgs_query(c, &SERIES_OF_OWNER, &rc, "I", user_id);
	for (int i = 0; r && rc == 0 && i < PQntuples(r); i++) {
		int64_t id = pgs_int(r, i, 0), twin = 0, base = 0;
		rc = pgs_query_int(c, &twin, &SERIES_TWIN, "II", id, orphan_id);
		if (rc == Q_ENOTFOUND) {
			rc = pgs_exec(c, &SERIES_SET_OWNER, "II", id, orphan_id);
			continue;
		}
		if (rc == 0)
			rc = pgs_query_int(c, &base, &SERIES_MAXPOS, "I", twin);
		if (rc == 0)
			rc = pgs_exec(c, &WORK_SERIES_MOVE, "III", id, twin, base);
		if (rc == 0)
			rc = pgs_exec(c, &SERIES_DELETE, "I", id);
	}
	PQclear(r);
	return rc;
}

/* Notes each work of r (its first column) with its creators and series as they are now. */
static int note_works(struct pg *s, struct pgc *c, const PGresult *r)
{
	int rc = 0;
	for (int i = 0; r && rc == 0 && i < PQntuples(r); i++)
		rc = pgs_note_work(s, c, pgs_int(r, i, 0));
	return rc;
}

int pgs_user_delete(struct store *st, int64_t id, bool orphan_works)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t orphan_id = 0, one;
		PGresult *works = NULL;
		if ((rc = pgs_query_int(c, &one, &USER_EXISTS, "I", id)) == 0)
			rc = pgs_query_int(c, &orphan_id, &ORPHAN_ID, "");
		if (rc == 0 && id == orphan_id)
			rc = Q_EINVAL;
		/* Every work they were on, and everyone else on those works; again afterwards, which adds the
		 * orphan account and any series the works joined. */
		if (rc == 0) {
			pgs_note(s, STORE_CHANGE_USER, id);
			works = pgs_query(c, &WORKS_OF_USER, &rc, "I", id);
		}
		if (rc == 0)
			rc = note_works(s, c, works);
		if (rc == 0 && orphan_works) {
			/* The orphan account cannot be both owner and co-creator of one work. */
			rc = pgs_exec(c, &CREATORS_DROP_ORPHAN_DUP, "II", id, orphan_id);
			if (rc == 0)
				rc = pgs_exec(c, &CREATORS_ORPHAN, "II", id, orphan_id);
			if (rc == 0)
				rc = series_orphan(c, id, orphan_id);
		} else if (rc == 0) {
			/* Chapters, tags, creators and series links go with the works (ON DELETE CASCADE). */
			rc = pgs_exec(c, &WORKS_DELETE_OWNED, "I", id);
		}
		if (rc == 0)
			rc = pgs_exec(c, &CREATORS_REMOVE_USER, "I", id);
		/* Sessions, tokens and any series left go with the user (ON DELETE CASCADE). */
		if (rc == 0)
			rc = pgs_exec(c, &USER_DELETE, "I", id);
		if (rc == 0)
			rc = note_works(s, c, works);
		PQclear(works);
	}
	return rc;
}

/* ---- Sessions ------------------------------------------------------------------------------------- */

static struct pg_stmt SESSION_INSERT = PG_STMT("INSERT INTO sessions(token_hash, user_id, expires_at, created_at)"
	" VALUES ($1, $2, $3, $4)");
static struct pg_stmt SESSION_PURGE = PG_STMT("DELETE FROM sessions WHERE expires_at <= $1");
static struct pg_stmt SESSION_DELETE = PG_STMT("DELETE FROM sessions WHERE token_hash = $1");
static struct pg_stmt SESSION_DELETE_USER = PG_STMT("DELETE FROM sessions WHERE user_id = $1"
	" AND ($2::text IS NULL OR token_hash <> $2)");

int pgs_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!token_hash || !*token_hash)
		return pgs_refuse(s, Q_EINVAL);
	int64_t now = pgs_now();
	PG_WRITE(s, c, rc) {
		/* Logins are rare enough to carry the sweep of expired sessions. */
		rc = pgs_exec(c, &SESSION_PURGE, "I", now);
		if (rc == 0)
			rc = pgs_exec(c, &SESSION_INSERT, "tIII", token_hash, user_id, expires_at, now);
	}
	return rc;
}

int pgs_session_user(struct store *st, struct arena *a, const char *token_hash, int64_t now, struct user *out)
{
	if (!token_hash)
		return Q_ENOTFOUND;
	int64_t extra[2] = {0, 0}; /* users.inbox_unread, the version of the terms accepted */
	int rc = user_read(st, a, out, extra, &SESSION_USER, "tI", token_hash, now);
	if (rc == 0) {
		out->inbox_unread = extra[0];
		out->policy_accepted = extra[1];
	}
	return rc;
}

int pgs_session_delete(struct store *st, const char *token_hash)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!token_hash)
		return pgs_refuse(s, Q_ENOTFOUND);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SESSION_DELETE, "t", token_hash);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

int pgs_session_delete_for_user(struct store *st, int64_t user_id, const char *except_hash)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SESSION_DELETE_USER, "It", user_id, except_hash);
	}
	return rc;
}

/* ---- API tokens ------------------------------------------------------------------------------------ */

static struct pg_stmt TOKEN_INSERT = PG_STMT("INSERT INTO api_tokens(user_id, token_hash, name, created_at)"
	" VALUES ($1, $2, $3, $4) RETURNING id");
static struct pg_stmt TOKEN_TOUCH = PG_STMT("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1");
static struct pg_stmt TOKEN_LIST = PG_STMT("SELECT id, name, created_at, last_used_at FROM api_tokens"
	" WHERE user_id = $1 ORDER BY id");
static struct pg_stmt TOKEN_REVOKE = PG_STMT("DELETE FROM api_tokens WHERE id = $2 AND user_id = $1");

int pgs_token_create(struct store *st, int64_t user_id, const char *token_hash, const char *name, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!token_hash || !*token_hash)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &TOKEN_INSERT, "ItsI", user_id, token_hash, name, pgs_now());
		if (rc == 0 && id)
			*id = new_id;
	}
	return rc;
}

int pgs_token_user(struct store *st, struct arena *a, const char *token_hash, struct user *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int64_t token[2] = {0, 0}, now = pgs_now(); /* token id, last used */
	if (!token_hash)
		return Q_ENOTFOUND;
	int rc = user_read(st, a, out, token, &TOKEN_USER, "t", token_hash);
	if (rc == 0 && (now - token[1] >= TOKEN_TOUCH_SECONDS || now < token[1])) {
		/* The caller is authenticated either way; a failed touch is logged and ignored. */
		int touch;
		PG_WRITE(s, c, touch) {
			touch = pgs_exec(c, &TOKEN_TOUCH, "II", token[0], now);
		}
	}
	return rc;
}

static void token_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct api_token *t = item;
	t->id = pgs_int(r, row, 0);
	t->name = pgs_text(a, r, row, 1);
	t->created_at = pgs_int(r, row, 2);
	t->last_used_at = pgs_int(r, row, 3);
}

int pgs_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &TOKEN_LIST, &rc, "I", user_id);
		rc = pgs_rows(a, r, rc, sizeof **out, token_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_token_revoke(struct store *st, int64_t user_id, int64_t token_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &TOKEN_REVOKE, "II", user_id, token_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

/* ---- Look-alike names ------------------------------------------------------------------------------- */

int pgs_user_set_skeleton(struct store *st, int64_t id, const char *skeleton)
{
	return user_update(st, &USER_SET_SKELETON, id, skeleton, false);
}

int pgs_user_get_by_skeleton(struct store *st, struct arena *a, const char *skeleton, struct user *out)
{
	if (!skeleton)
		return Q_ENOTFOUND;
	return user_read(st, a, out, NULL, &USER_BY_SKELETON, "t", skeleton);
}

int pgs_users_without_skeleton(struct store *st, struct arena *a, int limit, struct user **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &USERS_WITHOUT_SKELETON, &rc, "i", limit > 0 ? limit : 1);
		rc = pgs_rows(a, r, rc, sizeof **out, user_from_row, (void **)out, n);
	}
	return rc;
}

/* ---- Blocks ------------------------------------------------------------------------------------------ */

static struct pg_stmt BLOCK_EXISTS = PG_STMT("SELECT EXISTS (SELECT 1 FROM user_blocks"
	" WHERE blocker_id = $1 AND blocked_id = $2)");
static struct pg_stmt BLOCK_COUNT = PG_STMT("SELECT COUNT(*) FROM user_blocks WHERE blocker_id = $1");
static struct pg_stmt BLOCK_ADD = PG_STMT("INSERT INTO user_blocks(blocker_id, blocked_id, created_at)"
	" VALUES ($1, $2, $3)");
static struct pg_stmt BLOCK_DEL = PG_STMT("DELETE FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2");
static struct pg_stmt BLOCK_LIST = PG_STMT("SELECT u.id, u.name, b.created_at FROM user_blocks b"
	" JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = $1 ORDER BY b.created_at DESC, u.id DESC LIMIT $2");
/* 2: $3 blocked $1; 1: an accepted creator of work $2 did; 0: neither. */
static struct pg_stmt BLOCK_WHO = PG_STMT("SELECT CASE WHEN EXISTS (SELECT 1 FROM user_blocks"
	" WHERE blocker_id = $3 AND blocked_id = $1) THEN 2 WHEN EXISTS (SELECT 1 FROM work_creators c"
	" JOIN user_blocks b ON b.blocker_id = c.user_id AND b.blocked_id = $1 WHERE c.work_id = $2"
	" AND c.accepted = 1) THEN 1 ELSE 0 END");

int pgs_user_block_set(struct store *st, int64_t blocker_id, int64_t blocked_id, bool on, int max)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (blocker_id <= 0 || blocked_id <= 0 || blocker_id == blocked_id)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t there = 0, count = 0;
		if (!on) {
			rc = pgs_exec(c, &BLOCK_DEL, "II", blocker_id, blocked_id);
		} else if ((rc = pgs_query_int(c, &there, &BLOCK_EXISTS, "II", blocker_id, blocked_id)) == 0 && !there) {
			if ((rc = pgs_query_int(c, &count, &BLOCK_COUNT, "I", blocker_id)) == 0 && count >= max)
				rc = Q_ETOOBIG;
			if (rc == 0)
				rc = pgs_exec(c, &BLOCK_ADD, "III", blocker_id, blocked_id, pgs_now());
		}
	}
	return rc;
}

static void block_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct user_block *b = item;
	b->user_id = pgs_int(r, row, 0);
	b->name = pgs_text(a, r, row, 1);
	b->created_at = pgs_int(r, row, 2);
}

int pgs_user_blocks_list(struct store *st, struct arena *a, int64_t blocker_id, int limit, struct user_block **out,
                         size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &BLOCK_LIST, &rc, "Ii", blocker_id, limit > 0 ? limit : 100);
		rc = pgs_rows(a, r, rc, sizeof **out, block_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_user_blocked_by(struct store *st, int64_t user_id, int64_t work_id, int64_t other_id, int *by)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t who = 0;
	*by = BLOCKED_BY_NOBODY;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, &who, &BLOCK_WHO, "III", user_id, work_id, other_id);
	}
	if (rc == 0)
		*by = (int)who;
	return rc;
}
