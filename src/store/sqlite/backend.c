/* SQLite backend: connections, statements, transactions, open/close, backup and settings. */
#include "store/sqlite/int.h"
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
	if (c->ntouched < SQLS_TOUCHED_MAX)
		c->touched[c->ntouched++] = (unsigned short)id;
	else
		c->ntouched = SQLS_TOUCHED_MAX + 1; /* too many to list: conn_reset_all checks them all */
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
	int code = sqlite3_extended_errcode(c->db);
	switch (code & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		/* The file cannot be written (a full disk, a file size limit, permissions, a failing disk): the archive
		 * is read-only until a write succeeds again. Said once per episode, not once per request. */
		if (!c->st || store_health(c->st, NULL, NULL) == STORE_HEALTHY)
			log_error("store: %s: %s", sqlite3_errmsg(c->db), sqlite3_sql(q));
		if (c->st)
			store_health_note(c->st, STORE_READ_ONLY, (code & 0xff) == SQLITE_FULL
			                  ? "the disk holding the database is full"
			                  : "the database file cannot be written");
		return Q_EUNAVAIL;
	}
	switch (code) {
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

int sqls_one_row(struct sqls_conn *c, sqlite3_stmt *q)
{
	if (!q)
		return Q_ERR;
	int rc = sqls_step(c, q);
	return rc == 1 ? 0 : rc == 0 ? Q_ENOTFOUND : rc;
}

int sqls_query_int(struct sqls_conn *c, int64_t *out, enum sql_id id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	int rc = sqls_one_row(c, q);
	if (rc == 0)
		*out = sqlite3_column_int64(q, 0);
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

int sqls_rows(struct sqls_conn *c, struct arena *a, sqlite3_stmt *q, size_t size, sqls_row_fn *row, void *items,
              size_t *n)
{
	if (!q)
		return Q_ERR;
	char *list;
	memcpy(&list, items, sizeof list);
	size_t count = *n, cap = *n; /* the list may be full: the first row moves it */
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		list = arena_grow(a, list, count, &cap, size);
		memset(list + count * size, 0, size);
		row(a, q, list + count++ * size);
	}
	sqls_reset(q);
	if (rc == 0) {
		memcpy(items, &list, sizeof list);
		*n = count;
	}
	return rc;
}

int sqls_read_rows(struct sqls *s, struct arena *a, size_t size, sqls_row_fn *row, void *items, size_t *n,
                   enum sql_id id, const char *fmt, ...)
{
	void *none = NULL;
	memcpy(items, &none, sizeof none);
	*n = 0;
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	rc = sqls_rows(c, a, q, size, row, items, n);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_read_row(struct sqls *s, struct arena *a, sqls_row_fn *row, void *item, enum sql_id id, const char *fmt, ...)
{
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	if ((rc = sqls_one_row(c, q)) == 0)
		row(a, q, item);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

void sqls_row_id(struct arena *a, sqlite3_stmt *q, void *item)
{
	*(int64_t *)item = sqlite3_column_int64(q, 0);
}

void sqls_row_text(struct arena *a, sqlite3_stmt *q, void *item)
{
	*(const char **)item = sqls_col_text(a, q, 0);
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

/* SQLite's process-wide settings, before its first use: no memory statistics, which every allocation
 * of every connection would update under one global mutex (we never read them). */
static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE when SQLite is already in use: harmless */
}

/* Opens a connection; on failure err (when given) says why in a sentence for the operator. */
static int conn_open(const char *path, bool write, struct sqls_conn **out, char *err, size_t errlen)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, sqlite_configure);
	struct sqls_conn *c = xcalloc(1, sizeof *c);
	/* NOMUTEX: a connection is only ever used by one thread at a time (write lock or lending). */
	int flags = (write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY)
	            | SQLITE_OPEN_NOMUTEX;
	int rc = Q_ERR;
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		if (!err) /* else the caller reports it */
			log_error("store: opening %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* The schema's views and triggers call these (tag names, search text): every connection needs them. */
	if (sqls_functions_register(c->db))
		goto done;
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
		if (err)
			snprintf(err, errlen, "cannot open the SQLite database %s: %s", path,
			         c->db ? sqlite3_errmsg(c->db) : "out of memory");
		if (c->db)
			sqlite3_close(c->db);
		free(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

/* Statements left mid-result by an error path would hold the transaction open; end them. Only those
 * bound since the last time are looked at: a request uses a few of several hundred. */
static void conn_reset_all(struct sqls_conn *c)
{
	if (c->ntouched > SQLS_TOUCHED_MAX) {
		for (int i = 0; i < SQL_COUNT; i++)
			if (c->stmt[i] && sqlite3_stmt_busy(c->stmt[i]))
				sqls_reset(c->stmt[i]);
	} else {
		for (unsigned i = 0; i < c->ntouched; i++) {
			sqlite3_stmt *q = c->stmt[c->touched[i]];
			if (q && sqlite3_stmt_busy(q))
				sqls_reset(q);
		}
	}
	c->ntouched = 0;
}

/* Read connections are lent per call from a pool rather than pinned to threads: no two threads
 * ever share one, and threads that come and go (thread-per-connection servers) leave nothing
 * open behind them. The pool grows to the peak number of concurrent reads. Listings have a pool of
 * their own whose connections keep a large page cache (LISTING_CACHE): at a million works they revisit
 * the same index pages, and re-reading those through the OS costs more than the query itself. Other
 * reads keep SQLite's small default, so streaming a long work's chapters never fills a large cache. */
#define LISTING_CACHE "PRAGMA cache_size = -32768" /* 32 MiB per listing connection */

static int conn_borrow(struct sqls *s, bool listing, struct sqls_conn **out)
{
	pthread_mutex_lock(&s->rlock);
	struct sqls_conn **idle = listing ? &s->idle_listing : &s->idle;
	struct sqls_conn *c = *idle;
	if (c) {
		*idle = c->next;
		c->next = NULL;
	} else {
		s->nreaders++;
	}
	pthread_mutex_unlock(&s->rlock);
	if (!c) {
		int rc = conn_open(s->path, false, &c, NULL, 0);
		if (rc == 0)
			c->st = &s->base;
		if (rc == 0 && listing && conn_pragma(c, LISTING_CACHE, NULL)) {
			conn_free(c);
			rc = Q_ERR;
		}
		if (rc) {
			pthread_mutex_lock(&s->rlock);
			s->nreaders--;
			pthread_mutex_unlock(&s->rlock);
			return Q_ERR;
		}
		c->listing = listing;
	}
	*out = c;
	return 0;
}

static void conn_return(struct sqls *s, struct sqls_conn *c)
{
	pthread_mutex_lock(&s->rlock);
	struct sqls_conn **idle = c->listing ? &s->idle_listing : &s->idle;
	c->next = *idle;
	*idle = c;
	pthread_mutex_unlock(&s->rlock);
}

/* Each thread's marker: its address identifies the thread that owns an open store_tx. */
static _Thread_local char tx_self;

static bool tx_mine(struct sqls *s)
{
	return atomic_load(&s->tx_owner) == &tx_self;
}

bool sqls_tx_mine(struct sqls *s)
{
	return tx_mine(s);
}

/* The calling thread's request snapshot (store_snapshot_begin): its store, and once a read began it,
 * the connection holding its read transaction; depth counts the reads using it at this moment, and
 * stale says a write came since (the snapshot ends when the last of those reads does). */
static _Thread_local struct snapshot {
	struct sqls *s;
	struct sqls_conn *c;
	int depth;
	bool stale;
} snap;

static void read_commit(struct sqls *s, struct sqls_conn *c)
{
	if (!sqlite3_get_autocommit(c->db) && sqls_exec(c, SQL_COMMIT, "") && !sqlite3_get_autocommit(c->db))
		sqls_exec(c, SQL_ROLLBACK, "");
	conn_return(s, c);
}

/* Ends the thread's snapshot transaction of s, if one is open and no read is using it. */
void sqls_snapshot_close(struct sqls *s)
{
	if (snap.s != s || !snap.c)
		return;
	if (snap.depth > 0) {
		snap.stale = true; /* a read is under way: it ends the snapshot when it is done */
		return;
	}
	conn_reset_all(snap.c);
	read_commit(s, snap.c);
	snap.c = NULL;
	snap.stale = false;
}

void sqls_snapshot_begin(struct store *st)
{
	struct sqls *s = sqls_of(st);
	if (snap.s && snap.s != s)
		sqls_snapshot_end(&snap.s->base);
	snap.s = s;
}

void sqls_snapshot_end(struct store *st)
{
	struct sqls *s = sqls_of(st);
	if (snap.s != s)
		return;
	snap.depth = 0; /* a read still "using" it now could only be a caller's bug: end it anyway */
	sqls_snapshot_close(s);
	snap.s = NULL;
}

static int rd_begin(struct sqls *s, bool listing, struct sqls_conn **c)
{
	*c = NULL;
	if (tx_mine(s)) {
		/* Already inside the workflow's transaction: it sees its own uncommitted writes. */
		*c = s->w;
		return 0;
	}
	bool shared = !listing && snap.s == s;
	if (shared && snap.c) {
		snap.depth++;
		*c = snap.c;
		return 0;
	}
	if (conn_borrow(s, listing, c))
		return Q_ERR;
	int rc = sqls_exec(*c, SQL_BEGIN, "");
	if (rc) {
		conn_return(s, *c);
		*c = NULL;
	} else if (shared) {
		snap.c = *c;
		snap.depth = 1;
		snap.stale = false;
	}
	return rc;
}

int sqls_rd_begin(struct sqls *s, struct sqls_conn **c)
{
	return rd_begin(s, false, c);
}

int sqls_rd_begin_listing(struct sqls *s, struct sqls_conn **c)
{
	return rd_begin(s, true, c);
}

void sqls_rd_end(struct sqls *s, struct sqls_conn *c)
{
	if (!c)
		return;
	if (c == s->w) {
		conn_reset_all(c);
		return; /* a read inside a store_tx: the transaction stays open */
	}
	if (snap.s == s && c == snap.c) {
		/* The request's snapshot stays open for its next read, unless a write came meanwhile. */
		if (snap.depth > 0 && --snap.depth == 0) {
			conn_reset_all(c);
			if (snap.stale)
				sqls_snapshot_close(s);
		}
		return;
	}
	conn_reset_all(c);
	read_commit(s, c);
}

int sqls_wr_begin(struct sqls *s, struct sqls_conn **c)
{
	*c = NULL;
	sqls_snapshot_close(s); /* reads after this write must see it */
	if (tx_mine(s)) {
		if (s->tx_rc)
			return s->tx_rc;
		/* Some errors (I/O, full disk) roll back by themselves; writing on in autocommit mode
		 * would make each later operation durable alone. */
		if (sqlite3_get_autocommit(s->w->db))
			return s->tx_rc = Q_ERR;
		*c = s->w;
		return 0;
	}
	pthread_mutex_lock(&s->wlock);
	int rc = sqls_exec(s->w, SQL_BEGIN_IMMEDIATE, "");
	if (rc) {
		pthread_mutex_unlock(&s->wlock);
		return rc;
	}
	store_changes_clear(&s->changes);
	*c = s->w;
	return 0;
}

int sqls_refuse(struct sqls *s, int rc)
{
	if (tx_mine(s) && !s->tx_rc)
		s->tx_rc = rc;
	return rc;
}

/* Releases the write lock and, after a commit, tells the subscribers what changed. They hear it
 * outside the lock (a copy: the next writer reuses the list) so a slow listener holds up no write. */
static void unlock_and_emit(struct sqls *s, bool committed)
{
	if (!committed) {
		store_changes_clear(&s->changes);
		pthread_mutex_unlock(&s->wlock);
		return;
	}
	struct store_changes done = s->changes;
	store_changes_clear(&s->changes);
	pthread_mutex_unlock(&s->wlock);
	store_changes_emit(&s->base, &done);
}

void sqls_note(struct sqls *s, enum store_change_kind kind, int64_t id)
{
	store_changes_add(&s->changes, kind, id);
}

void sqls_note_all(struct sqls *s)
{
	s->changes.overflow = true;
}

bool sqls_noted(const struct sqls *s)
{
	return s->changes.overflow || s->changes.n > 0;
}

int sqls_note_work(struct sqls *s, struct sqls_conn *c, int64_t work_id)
{
	sqls_note(s, STORE_CHANGE_WORK, work_id);
	sqlite3_stmt *q = sqls_prep(c, SQL_WORK_DEPS, "I", work_id);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1)
		sqls_note(s, sqlite3_column_int(q, 0) ? STORE_CHANGE_SERIES : STORE_CHANGE_USER,
		          sqlite3_column_int64(q, 1));
	sqls_reset(q);
	return rc;
}

/* Ends the SQL transaction on w: commits when rc is 0, else rolls back; Q_ERR when the commit
 * failed. The write lock is still held. */
static int wr_finish(struct sqls_conn *c, int rc, bool *committed)
{
	*committed = false;
	conn_reset_all(c);
	if (rc == 0) {
		int crc = sqls_exec(c, SQL_COMMIT, "");
		if (crc == 0)
			*committed = true;
		else
			rc = crc == Q_EUNAVAIL ? Q_EUNAVAIL : Q_ERR;
	}
	if (*committed && c->st)
		store_health_note(c->st, STORE_HEALTHY, NULL);
	/* Some errors (I/O, full disk) already rolled back; only roll back what is still open. */
	if (!*committed && !sqlite3_get_autocommit(c->db))
		sqls_exec(c, SQL_ROLLBACK, "");
	return rc;
}

int sqls_wr_end(struct sqls *s, struct sqls_conn *c, int rc)
{
	if (!c)
		return rc ? rc : Q_ERR;
	if (tx_mine(s)) {
		conn_reset_all(c);
		if (rc && !s->tx_rc)
			s->tx_rc = rc;
		return rc;
	}
	bool committed;
	rc = wr_finish(c, rc, &committed);
	unlock_and_emit(s, committed);
	return rc;
}

/* ---- Workflow transactions ------------------------------------------------------------------- */

int sqls_tx_begin(struct store *st)
{
	struct sqls *s = sqls_of(st);
	if (tx_mine(s))
		return Q_EINVAL;
	sqls_snapshot_close(s); /* the workflow reads on the write connection; later reads must see its writes */
	pthread_mutex_lock(&s->wlock);
	int rc = sqls_exec(s->w, SQL_BEGIN_IMMEDIATE, "");
	if (rc) {
		pthread_mutex_unlock(&s->wlock);
		return rc;
	}
	s->tx_rc = 0;
	store_changes_clear(&s->changes);
	atomic_store(&s->tx_owner, &tx_self);
	return 0;
}

int sqls_tx_commit(struct store *st)
{
	struct sqls *s = sqls_of(st);
	if (!tx_mine(s))
		return Q_EINVAL;
	bool committed;
	int rc = wr_finish(s->w, s->tx_rc, &committed);
	s->tx_rc = 0;
	atomic_store(&s->tx_owner, NULL);
	unlock_and_emit(s, committed);
	return rc;
}

void sqls_tx_rollback(struct store *st)
{
	struct sqls *s = sqls_of(st);
	if (!tx_mine(s))
		return;
	bool committed;
	wr_finish(s->w, Q_ERR, &committed);
	s->tx_rc = 0;
	atomic_store(&s->tx_owner, NULL);
	unlock_and_emit(s, false);
}

int sqls_wr_end_quiet(struct sqls *s, struct sqls_conn *c, int rc)
{
	return sqls_wr_end(s, c, rc);
}

/* ---- Open, close, backup --------------------------------------------------------------------- */

static void sqls_close(struct store *st)
{
	if (!st)
		return;
	struct sqls *s = sqls_of(st);
	sqls_shared_close(s);
	pthread_mutex_lock(&s->rlock);
	struct sqls_conn *pools[2] = {s->idle, s->idle_listing};
	s->idle = s->idle_listing = NULL;
	for (size_t i = 0; i < 2; i++) {
		for (struct sqls_conn *c = pools[i], *next; c; c = next) {
			next = c->next;
			conn_free(c);
			s->nreaders--;
		}
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
int sqls_backup(struct store *st, const char *path)
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
	if (conn_borrow(s, false, &c))
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

int sqls_setting_get(struct store *st, struct arena *a, const char *key, char **value)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*value = NULL;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SETTING_GET, "t", key);
	if ((rc = sqls_one_row(c, q)) == 0)
		*value = sqls_col_text(a, q, 0);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_setting_set(struct store *st, const char *key, const char *value)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!key || !value)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SETTING_SET, "tt", key, value);
	return sqls_wr_end(s, c, rc);
}

static const struct store_ops sqls_ops = {
	.version = STORE_OPS_VERSION,
	.name = "sqlite",
	/* One process owns the file (nothing to share, notify, skip or replicate); concurrent response writes
	 * share a commit (group.c); the online backup API copies the live file. */
	.caps = STORE_CAP_GROUP_COMMIT | STORE_CAP_BACKUP_FILE,
	.close = sqls_close,
#define SQLS_OP_ENTRY(ret, name, params, args) .name = sqls_##name,
	STORE_OPS(SQLS_OP_ENTRY)
#undef SQLS_OP_ENTRY
};

int store_sqlite_open(struct store **out, const char *path, char *err, size_t errlen)
{
	*out = NULL;
	for (int i = 0; i < SQL_COUNT; i++) {
		if (!sqls_sql[i]) {
			snprintf(err, errlen, "SQLite backend: statement %d has no SQL", i);
			return Q_ERR;
		}
	}
	if (!sqlite3_threadsafe()) {
		snprintf(err, errlen, "SQLite was built without thread support");
		return Q_ERR;
	}
	struct sqls *s = xcalloc(1, sizeof *s);
	s->base.ops = &sqls_ops;
	s->path = xstrdup(path);
	pthread_mutex_init(&s->wlock, NULL);
	pthread_mutex_init(&s->rlock, NULL);
	int rc = sqls_group_init(s);
	if (rc == 0)
		rc = conn_open(path, true, &s->w, err, errlen);
	if (rc)
		goto done;
	s->w->st = &s->base;
	rc = sqls_migrate(s->w->db, err, errlen);
done:
	if (rc) {
		sqls_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}

int store_open_sqlite(struct store **out, const char *path)
{
	char err[512];
	int rc = store_sqlite_open(out, path, err, sizeof err);
	if (rc)
		log_error("store: %s", err);
	return rc;
}
