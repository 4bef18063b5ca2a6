/* SQLite backend: connections, statements, transactions, open/close, backup and settings. */
#include "store/sqlite_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 5000

int64_t sqls_now(void)
{
	return (int64_t)time(NULL);
}

/* ---- Statements ---------------------------------------------------------------------------- */

sqlite3_stmt *sqls_vprep(struct sqls_conn *c, enum sql_id id, const char *fmt, va_list ap)
{
	sqlite3_stmt *q = c->stmt[id];
	if (!q) {
		/* PERSISTENT: these live as long as the connection. */
		if (sqlite3_prepare_v3(c->db, sqls_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &q, NULL)
		    != SQLITE_OK) {
			log_error("store: prepare: %s: %s", sqlite3_errmsg(c->db), sqls_sql[id]);
			return NULL;
		}
		c->stmt[id] = q;
	}
	size_t nparams = strlen(fmt);
	if ((int)nparams != sqlite3_bind_parameter_count(q)) {
		/* A programming error; binding too few would silently compare with NULL. */
		log_error("store: %zu parameters given for %d in: %s", nparams,
		          sqlite3_bind_parameter_count(q), sqls_sql[id]);
		return NULL;
	}
	int rc = SQLITE_OK;
	for (int i = 1; *fmt && rc == SQLITE_OK; fmt++, i++) {
		const char *v;
		switch (*fmt) {
		case 'I':
			rc = sqlite3_bind_int64(q, i, va_arg(ap, int64_t));
			break;
		case 'i':
			rc = sqlite3_bind_int(q, i, va_arg(ap, int));
			break;
		case 't':
			v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
			break;
		case 's':
			v = va_arg(ap, const char *);
			rc = sqlite3_bind_text(q, i, v ? v : "", -1, SQLITE_STATIC);
			break;
		default:
			log_error("store: bad bind format '%c'", *fmt);
			abort();
		}
	}
	if (rc != SQLITE_OK) {
		log_error("store: bind: %s: %s", sqlite3_errstr(rc), sqls_sql[id]);
		sqls_reset(q);
		return NULL;
	}
	return q;
}

sqlite3_stmt *sqls_prep(struct sqls_conn *c, enum sql_id id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	return q;
}

void sqls_reset(sqlite3_stmt *q)
{
	if (!q)
		return;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

int sqls_step(struct sqls_conn *c, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	switch (sqlite3_extended_errcode(c->db)) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return Q_EEXIST;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return Q_ENOTFOUND;
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_CHECK:
		return Q_EINVAL;
	}
	log_error("store: %s: %s", sqlite3_errmsg(c->db), sqlite3_sql(q));
	return Q_ERR;
}

int sqls_exec(struct sqls_conn *c, enum sql_id id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1)
		;
	sqls_reset(q);
	return rc;
}

int sqls_query_int(struct sqls_conn *c, int64_t *out, enum sql_id id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	if (!q)
		return Q_ERR;
	int rc = sqls_step(c, q);
	if (rc == 1) {
		*out = sqlite3_column_int64(q, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = Q_ENOTFOUND;
	}
	sqls_reset(q);
	return rc;
}

int sqls_changes(struct sqls_conn *c)
{
	return sqlite3_changes(c->db);
}

int64_t sqls_last_id(struct sqls_conn *c)
{
	return (int64_t)sqlite3_last_insert_rowid(c->db);
}

char *sqls_col_text(struct arena *a, sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, col));
}

void *sqls_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, arr, n * size);
	*cap = ncap;
	return p;
}

/* ---- Connections ----------------------------------------------------------------------------- */

static void conn_free(struct sqls_conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(c->stmt[i]);
	if (sqlite3_close(c->db) != SQLITE_OK)
		log_error("store: close: %s", sqlite3_errmsg(c->db));
	free(c);
}

static int conn_pragma(struct sqls_conn *c, const char *sql, const char *want)
{
	sqlite3_stmt *q = NULL;
	int rc = Q_ERR;
	if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK)
		goto done;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *got = (const char *)sqlite3_column_text(q, 0);
		if (want && (!got || strcmp(got, want) != 0)) {
			log_error("store: %s gave %s, want %s", sql, got ? got : "nothing", want);
			goto done;
		}
	}
	if (r != SQLITE_DONE)
		goto done;
	rc = 0;
done:
	if (rc && sqlite3_errcode(c->db) != SQLITE_OK)
		log_error("store: %s: %s", sql, sqlite3_errmsg(c->db));
	sqlite3_finalize(q);
	return rc;
}

static int conn_open(const char *path, bool write, struct sqls_conn **out)
{
	struct sqls_conn *c = xcalloc(1, sizeof *c);
	/* NOMUTEX: a connection is only ever used by one thread at a time (write lock or lending). */
	int flags = (write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY)
	            | SQLITE_OPEN_NOMUTEX;
	int rc = Q_ERR;
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		log_error("store: opening %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	if (write) {
		/* WAL lets reads run beside the writer; FULL syncs the WAL at every commit so an
		 * acknowledged write survives power loss and kill -9. */
		if (conn_pragma(c, "PRAGMA journal_mode = WAL", "wal")
		    || conn_pragma(c, "PRAGMA synchronous = FULL", NULL)
		    || conn_pragma(c, "PRAGMA foreign_keys = ON", NULL))
			goto done;
	}
	rc = 0;
done:
	if (rc) {
		if (c->db)
			sqlite3_close(c->db);
		free(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

/* Statements left mid-result by an error path would hold the transaction open; end them. */
static void conn_reset_all(struct sqls_conn *c)
{
	for (int i = 0; i < SQL_COUNT; i++)
		if (c->stmt[i] && sqlite3_stmt_busy(c->stmt[i]))
			sqls_reset(c->stmt[i]);
}

/* Read connections are lent per call from a pool rather than pinned to threads: no two threads
 * ever share one, and threads that come and go (thread-per-connection servers) leave nothing
 * open behind them. The pool grows to the peak number of concurrent reads. */
static int conn_borrow(struct sqls *s, struct sqls_conn **out)
{
	pthread_mutex_lock(&s->rlock);
	struct sqls_conn *c = s->idle;
	if (c) {
		s->idle = c->next;
		c->next = NULL;
	} else {
		s->nreaders++;
	}
	pthread_mutex_unlock(&s->rlock);
	if (!c && conn_open(s->path, false, &c)) {
		pthread_mutex_lock(&s->rlock);
		s->nreaders--;
		pthread_mutex_unlock(&s->rlock);
		return Q_ERR;
	}
	*out = c;
	return 0;
}

static void conn_return(struct sqls *s, struct sqls_conn *c)
{
	pthread_mutex_lock(&s->rlock);
	c->next = s->idle;
	s->idle = c;
	pthread_mutex_unlock(&s->rlock);
}

int sqls_rd_begin(struct sqls *s, struct sqls_conn **c)
{
	*c = NULL;
	if (conn_borrow(s, c))
		return Q_ERR;
	int rc = sqls_exec(*c, SQL_BEGIN, "");
	if (rc) {
		conn_return(s, *c);
		*c = NULL;
	}
	return rc;
}

void sqls_rd_end(struct sqls *s, struct sqls_conn *c)
{
	if (!c)
		return;
	conn_reset_all(c);
	if (!sqlite3_get_autocommit(c->db) && sqls_exec(c, SQL_COMMIT, "") && !sqlite3_get_autocommit(c->db))
		sqls_exec(c, SQL_ROLLBACK, "");
	conn_return(s, c);
}

int sqls_wr_begin(struct sqls *s, struct sqls_conn **c)
{
	pthread_mutex_lock(&s->wlock);
	int rc = sqls_exec(s->w, SQL_BEGIN_IMMEDIATE, "");
	if (rc) {
		pthread_mutex_unlock(&s->wlock);
		*c = NULL;
		return rc;
	}
	*c = s->w;
	return 0;
}

int sqls_wr_end(struct sqls *s, struct sqls_conn *c, int rc)
{
	if (!c)
		return rc ? rc : Q_ERR;
	bool committed = false;
	conn_reset_all(c);
	if (rc == 0) {
		if (sqls_exec(c, SQL_COMMIT, "") == 0)
			committed = true;
		else
			rc = Q_ERR;
	}
	/* Some errors (I/O, full disk) already rolled back; only roll back what is still open. */
	if (!committed && !sqlite3_get_autocommit(c->db))
		sqls_exec(c, SQL_ROLLBACK, "");
	pthread_mutex_unlock(&s->wlock);
	if (committed)
		store_bump_generation();
	return rc;
}

/* ---- Open, close, backup --------------------------------------------------------------------- */

static void sqls_close(struct store *st)
{
	if (!st)
		return;
	struct sqls *s = sqls_of(st);
	pthread_mutex_lock(&s->rlock);
	struct sqls_conn *c = s->idle;
	s->idle = NULL;
	while (c) {
		struct sqls_conn *next = c->next;
		conn_free(c);
		s->nreaders--;
		c = next;
	}
	if (s->nreaders)
		log_warn("store: closing with %d reads still running", s->nreaders);
	pthread_mutex_unlock(&s->rlock);
	/* The writer goes last: closing the final connection checkpoints and removes the WAL. */
	pthread_mutex_lock(&s->wlock);
	conn_free(s->w);
	s->w = NULL;
	pthread_mutex_unlock(&s->wlock);
	pthread_mutex_destroy(&s->wlock);
	pthread_mutex_destroy(&s->rlock);
	sqls_group_free(s);
	free(s->path);
	free(s);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Copies the database through a temporary file renamed into place, so path only ever holds a
 * complete backup. The read connection's snapshot makes it consistent while writes go on. */
static int sqls_backup(struct store *st, const char *path)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c = NULL;
	sqlite3 *dst = NULL;
	sqlite3_backup *b = NULL;
	size_t len = strlen(path);
	char *tmp = xmalloc(len + 5);
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp", 5);
	int rc = Q_ERR;

	if (same_file(path, s->path)) {
		log_error("store: backup: %s is the live database", path);
		rc = Q_EINVAL;
		goto done;
	}
	unlink(tmp);
	if (conn_borrow(s, &c))
		goto done;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		log_error("store: backup: opening %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto done;
	}
	b = sqlite3_backup_init(dst, "main", c->db, "main");
	if (!b) {
		log_error("store: backup: %s", sqlite3_errmsg(dst));
		goto done;
	}
	int r = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		log_error("store: backup: %s", sqlite3_errstr(r));
		goto done;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		log_error("store: backup: closing %s: %s", tmp, sqlite3_errmsg(dst));
		goto done;
	}
	dst = NULL;
	if (rename(tmp, path) != 0) {
		log_error("store: backup: renaming %s to %s failed", tmp, path);
		goto done;
	}
	rc = 0;
done:
	if (dst)
		sqlite3_close(dst);
	if (rc)
		unlink(tmp);
	if (c)
		conn_return(s, c);
	free(tmp);
	return rc;
}

/* ---- Settings -------------------------------------------------------------------------------- */

static int sqls_setting_get(struct store *st, struct arena *a, const char *key, char **value)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*value = NULL;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SETTING_GET, "t", key);
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	rc = sqls_step(c, q);
	if (rc == 1) {
		*value = sqls_col_text(a, q, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = Q_ENOTFOUND;
	}
done:
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

static int sqls_setting_set(struct store *st, const char *key, const char *value)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!key || !value)
		return Q_EINVAL;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SETTING_SET, "tt", key, value);
	return sqls_wr_end(s, c, rc);
}

static const struct store_ops sqls_ops = {
	.version = STORE_OPS_VERSION,
	.name = "sqlite",
	.close = sqls_close,
	.backup = sqls_backup,
	.setting_get = sqls_setting_get,
	.setting_set = sqls_setting_set,
	.user_create = sqls_user_create,
	.user_get = sqls_user_get,
	.user_get_by_name = sqls_user_get_by_name,
	.user_get_by_email = sqls_user_get_by_email,
	.user_set_password = sqls_user_set_password,
	.user_set_role = sqls_user_set_role,
	.user_delete = sqls_user_delete,
	.user_count = sqls_user_count,
	.session_create = sqls_session_create,
	.session_user = sqls_session_user,
	.session_delete = sqls_session_delete,
	.session_delete_for_user = sqls_session_delete_for_user,
	.token_create = sqls_token_create,
	.token_user = sqls_token_user,
	.token_list = sqls_token_list,
	.token_revoke = sqls_token_revoke,
	.work_create = sqls_work_create,
	.work_update = sqls_work_update,
	.work_delete = sqls_work_delete,
	.work_get = sqls_work_get,
	.work_list = sqls_work_list,
	.work_invite = sqls_work_invite,
	.work_accept = sqls_work_accept,
	.invites_for_user = sqls_invites_for_user,
	.chapter_create = sqls_chapter_create,
	.chapter_update = sqls_chapter_update,
	.chapter_delete = sqls_chapter_delete,
	.chapter_get = sqls_chapter_get,
	.chapter_list = sqls_chapter_list,
	.chapter_reorder = sqls_chapter_reorder,
	/* ---- The reader's response ---- */
	.response_counts = sqls_response_counts,
	.response_settings_set = sqls_response_settings_set,
	.comment_create = sqls_comment_create,
	.comment_get = sqls_comment_get,
	.comment_list = sqls_comment_list,
	.comment_edit = sqls_comment_edit,
	.comment_set_state = sqls_comment_set_state,
	.comment_freeze = sqls_comment_freeze,
	.kudos_add = sqls_kudos_add,
	.kudos_names = sqls_kudos_names,
	.bookmark_create = sqls_bookmark_create,
	.bookmark_update = sqls_bookmark_update,
	.bookmark_delete = sqls_bookmark_delete,
	.bookmark_get = sqls_bookmark_get,
	.bookmark_find = sqls_bookmark_find,
	.bookmark_list = sqls_bookmark_list,
	.readings_record = sqls_readings_record,
	.reading_set_later = sqls_reading_set_later,
	.reading_list = sqls_reading_list,
	.inbox_list = sqls_inbox_list,
	.inbox_mark = sqls_inbox_mark,
	.inbox_mark_all = sqls_inbox_mark_all,
	.inbox_unread = sqls_inbox_unread,
	.hits_add = sqls_hits_add,
	.stats_work = sqls_stats_work,
	.stats_user = sqls_stats_user,
	.chapter_work = sqls_chapter_work,
};

int store_open_sqlite(struct store **out, const char *path)
{
	*out = NULL;
	for (int i = 0; i < SQL_COUNT; i++) {
		if (!sqls_sql[i]) {
			log_error("store: statement %d has no SQL", i);
			return Q_ERR;
		}
	}
	if (!sqlite3_threadsafe()) {
		log_error("store: SQLite was built without thread support");
		return Q_ERR;
	}
	struct sqls *s = xcalloc(1, sizeof *s);
	s->base.ops = &sqls_ops;
	s->path = xstrdup(path);
	pthread_mutex_init(&s->wlock, NULL);
	pthread_mutex_init(&s->rlock, NULL);
	int rc = sqls_group_init(s);
	if (rc == 0)
		rc = conn_open(path, true, &s->w);
	if (rc)
		goto done;
	rc = sqls_migrate(s->w->db);
done:
	if (rc) {
		sqls_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}
