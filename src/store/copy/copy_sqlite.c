/* quire store copy: the SQLite side. A target is built in PATH.copying (its triggers kept aside meanwhile, so
 * copied rows fire none) and renamed to PATH when finished: PATH only ever holds a whole archive. */
#include "store/copy/copy_int.h"
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct copy_db {
	sqlite3 *db;
	bool target;
	char *path, *work; /* the target's final path and the file it is built in */
};

static const char *path_of(const char *url)
{
	return !strncmp(url, "sqlite:", 7) ? url + 7 : url;
}

static int run(struct copy_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("store copy: %s in: %.200s", msg ? msg : sqlite3_errmsg(db->db), sql);
		sqlite3_free(msg);
		return Q_ERR;
	}
	return 0;
}

static int scalar(sqlite3 *db, const char *sql, const char *param, char *out, size_t outlen)
{
	sqlite3_stmt *q = NULL;
	int rc = Q_ERR;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		if (param)
			sqlite3_bind_text(q, 1, param, -1, SQLITE_STATIC);
		int s = sqlite3_step(q);
		if (s == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(q, 0);
			snprintf(out, outlen, "%s", v ? v : "");
			rc = 0;
		} else if (s == SQLITE_DONE) {
			rc = Q_ENOTFOUND;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

static int is_empty(struct copy_db *db, bool *empty)
{
	char v[32];
	int rc = scalar(db->db, "SELECT (SELECT COUNT(*) FROM users) <= 1 AND NOT EXISTS (SELECT 1 FROM works)"
	                        " AND NOT EXISTS (SELECT 1 FROM tags)", NULL, v, sizeof v);
	*empty = rc == 0 && v[0] == '1';
	return rc;
}

static void remove_db(const char *path)
{
	char p[4200];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* Opens path through the store (creating or migrating its schema), then raw. */
static int open_raw(const char *path, bool write, sqlite3 **db, char *err, size_t errlen)
{
	struct store *st;
	char url[4200];
	snprintf(url, sizeof url, "sqlite:%s", path);
	int rc = store_open(&st, url, err, errlen);
	if (rc)
		return rc;
	store_close(st);
	if (sqlite3_open_v2(path, db, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, *db ? sqlite3_errmsg(*db) : "out of memory");
		sqlite3_close(*db);
		*db = NULL;
		return Q_ERR;
	}
	sqlite3_busy_timeout(*db, 5000);
	sqls_functions_register(*db); /* the schema's views call them */
	return 0;
}

static int open_sqlite(const char *url, bool target, const char *source, bool force, struct copy_db **out,
                       bool *resuming, char *err, size_t errlen)
{
	const char *path = path_of(url);
	struct copy_db *db = xcalloc(1, sizeof *db);
	int rc = 0;
	*out = NULL;
	db->target = target;
	if (!target) {
		rc = open_raw(path, false, &db->db, err, errlen);
		/* One snapshot for the whole run: the source is read as it was when the copy began. */
		if (rc == 0)
			rc = run(db, "BEGIN; SELECT COUNT(*) FROM settings");
		goto done;
	}
	db->path = xstrdup(path);
	size_t len = strlen(path) + 9;
	db->work = xmalloc(len);
	snprintf(db->work, len, "%s.copying", path);
	if (access(path, F_OK) == 0 && !force) {
		struct copy_db there = {0};
		bool empty = false;
		if (open_raw(path, false, &there.db, err, errlen) == 0)
			is_empty(&there, &empty);
		sqlite3_close(there.db);
		if (!empty) {
			snprintf(err, errlen, "%s already holds an archive; --force replaces it", path);
			rc = Q_EEXIST;
			goto done;
		}
	}
	if (access(db->work, F_OK) == 0) {
		char was[4096];
		sqlite3 *w = NULL;
		if (sqlite3_open_v2(db->work, &w, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    scalar(w, "SELECT source FROM quire_copy", NULL, was, sizeof was) == 0 && !strcmp(was, source))
			*resuming = true;
		sqlite3_close(w);
		if (!*resuming)
			remove_db(db->work); /* a copy from elsewhere, or not one of ours: start again */
	}
	if ((rc = open_raw(db->work, true, &db->db, err, errlen)))
		goto done;
	/* Durable at the end (a checkpoint and the rename); foreign keys are checked once, at the end. */
	if ((rc = run(db, "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")))
		goto done;
	if (!*resuming) {
		/* The triggers wait in a table of their own; the rows a new store has go. */
		rc = run(db, "BEGIN;"
		             "CREATE TABLE quire_copy (source TEXT NOT NULL);"
		             "CREATE TABLE quire_copy_triggers (name TEXT NOT NULL, sql TEXT NOT NULL);"
		             "INSERT INTO quire_copy_triggers SELECT name, sql FROM sqlite_master WHERE type = 'trigger';");
		sqlite3_stmt *q = NULL;
		if (rc == 0 && sqlite3_prepare_v2(db->db, "INSERT INTO quire_copy(source) VALUES (?1)", -1, &q, NULL) == SQLITE_OK) {
			sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
			rc = sqlite3_step(q) == SQLITE_DONE ? 0 : Q_ERR;
		}
		sqlite3_finalize(q);
		/* Drop each trigger by the names just saved. */
		struct copy_rows names;
		struct arena *a = arena_new();
		if (rc == 0)
			rc = copy_sqlite.query(db, a, "SELECT name FROM quire_copy_triggers", NULL, 0, &names);
		for (size_t i = 0; rc == 0 && i < names.n; i++)
			rc = run(db, arena_printf(a, "DROP TRIGGER \"%s\"", names.v[i]));
		if (rc == 0)
			rc = run(db, "DELETE FROM users; DELETE FROM counters; COMMIT");
		arena_free(a);
		if (rc && !err[0])
			snprintf(err, errlen, "preparing %s failed (see the log)", db->work);
	}
done:
	if (rc) {
		copy_sqlite.close(db);
		return rc;
	}
	*out = db;
	return 0;
}

static int finish_sqlite(struct copy_db *db, char *err, size_t errlen)
{
	struct arena *a = arena_new();
	struct copy_rows trig;
	/* The search index and tag names from the copied rows (what migrations 6 and 7 do for existing rows). */
	int rc = run(db, "BEGIN;"
	                 "DELETE FROM search_works;"
	                 "INSERT INTO search_works(rowid, title, summary, notes, tags, creators) SELECT * FROM search_works_src;"
	                 "DELETE FROM search_chapters;"
	                 "INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	                 " SELECT key, title, summary, notes, text, work FROM search_chapters_src;"
	                 "INSERT INTO tag_names(tag_names) VALUES ('rebuild');");
	if (rc == 0)
		rc = copy_sqlite.query(db, a, "SELECT sql FROM quire_copy_triggers", NULL, 0, &trig);
	for (size_t i = 0; rc == 0 && i < trig.n; i++)
		rc = run(db, trig.v[i]);
	char bad[32];
	if (rc == 0 && scalar(db->db, "SELECT COUNT(*) FROM pragma_foreign_key_check", NULL, bad, sizeof bad) == 0 &&
	    strcmp(bad, "0")) {
		snprintf(err, errlen, "the copy breaks %s foreign keys", bad);
		rc = Q_ERR;
	}
	if (rc == 0)
		rc = run(db, "DROP TABLE quire_copy_triggers; DROP TABLE quire_copy; COMMIT");
	else
		run(db, "ROLLBACK");
	if (rc == 0)
		rc = run(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	arena_free(a);
	sqlite3_close(db->db);
	db->db = NULL;
	if (rc == 0) {
		remove_db(db->path);
		char from[4200], to[4200];
		snprintf(from, sizeof from, "%s-wal", db->work);
		snprintf(to, sizeof to, "%s-wal", db->path);
		rename(from, to);
		if (rename(db->work, db->path) != 0) {
			snprintf(err, errlen, "renaming %s to %s failed", db->work, db->path);
			rc = Q_ERR;
		}
	}
	if (rc == 0 && sqlite3_open_v2(db->path, &db->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		rc = Q_ERR;
	if (rc && !err[0])
		snprintf(err, errlen, "finishing %s failed (see the log); run the copy again", db->work);
	return rc;
}

static void close_sqlite(struct copy_db *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	free(db->path);
	free(db->work);
	free(db);
}

static int columns_sqlite(struct copy_db *db, struct arena *a, const char *table, const char ***cols, size_t *n)
{
	struct copy_rows rows;
	int rc = copy_sqlite.query(db, a, arena_printf(a, "SELECT name FROM pragma_table_info('%s')", table), NULL, 0,
	                           &rows);
	if (rc == 0) {
		*cols = rows.v;
		*n = rows.n;
	}
	return rc;
}

static int query_sqlite(struct copy_db *db, struct arena *a, const char *sql, const char *const *params,
                        size_t nparams, struct copy_rows *out)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->db, sql, -1, &q, NULL) != SQLITE_OK) {
		log_error("store copy: %s in: %s", sqlite3_errmsg(db->db), sql);
		return Q_ERR;
	}
	for (size_t i = 0; i < nparams; i++)
		sqlite3_bind_text(q, (int)i + 1, params[i], -1, SQLITE_STATIC);
	size_t ncols = (size_t)sqlite3_column_count(q), cap = 0;
	const char **v = NULL;
	size_t n = 0;
	int s;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		if ((n + 1) * ncols > cap) {
			size_t ncap = cap ? cap * 2 : 64 * ncols;
			const char **bigger = arena_calloc(a, ncap, sizeof *bigger);
			if (cap)
				memcpy(bigger, v, cap * sizeof *v);
			v = bigger;
			cap = ncap;
		}
		for (size_t j = 0; j < ncols; j++) {
			const char *t = (const char *)sqlite3_column_text(q, (int)j);
			v[n * ncols + j] = sqlite3_column_type(q, (int)j) == SQLITE_NULL ? NULL
			                   : arena_strndup(a, t ? t : "", (size_t)sqlite3_column_bytes(q, (int)j));
		}
		n++;
	}
	if (s != SQLITE_DONE)
		log_error("store copy: %s in: %s", sqlite3_errmsg(db->db), sql);
	sqlite3_finalize(q);
	out->n = n;
	out->ncols = ncols;
	out->v = v;
	return s == SQLITE_DONE ? 0 : Q_ERR;
}

static int write_sqlite(struct copy_db *db, const char *sql, const struct copy_rows *rows)
{
	sqlite3_stmt *q = NULL;
	int rc = run(db, "BEGIN");
	if (rc == 0 && sqlite3_prepare_v2(db->db, sql, -1, &q, NULL) != SQLITE_OK) {
		log_error("store copy: %s in: %s", sqlite3_errmsg(db->db), sql);
		rc = Q_ERR;
	}
	for (size_t i = 0; rc == 0 && i < rows->n; i++) {
		for (size_t j = 0; j < rows->ncols; j++) {
			const char *v = rows->v[i * rows->ncols + j];
			if (v)
				sqlite3_bind_text(q, (int)j + 1, v, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(q, (int)j + 1);
		}
		if (sqlite3_step(q) != SQLITE_DONE) {
			log_error("store copy: %s in: %s", sqlite3_errmsg(db->db), sql);
			rc = Q_ERR;
		}
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return run(db, rc == 0 ? "COMMIT" : "ROLLBACK") || rc ? Q_ERR : 0;
}

static int high_id_sqlite(struct copy_db *db, const char *table, int64_t *id)
{
	char v[32], sql[256];
	snprintf(sql, sizeof sql, "SELECT MAX(IFNULL((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0),"
	                          " IFNULL((SELECT MAX(id) FROM %s), 0))", table);
	int rc = scalar(db->db, sql, table, v, sizeof v);
	if (rc == 0)
		*id = strtoll(v, NULL, 10);
	return rc;
}

/* Only tables declared AUTOINCREMENT keep a high-water mark in SQLite (the others reuse a deleted last id). */
static int set_high_id_sqlite(struct copy_db *db, const char *table, int64_t id)
{
	char v[32], sql[256];
	if (scalar(db->db, "SELECT instr(upper(sql), 'AUTOINCREMENT') > 0 FROM sqlite_master WHERE name = ?1", table, v,
	           sizeof v) || strcmp(v, "1"))
		return 0;
	snprintf(sql, sizeof sql, "DELETE FROM sqlite_sequence WHERE name = '%s';"
	                          " INSERT INTO sqlite_sequence(name, seq) VALUES ('%s', %lld)", table, table, (long long)id);
	return run(db, sql);
}

const struct copy_driver copy_sqlite = {
	.name = "SQLite",
	.open = open_sqlite,
	.finish = finish_sqlite,
	.close = close_sqlite,
	.columns = columns_sqlite,
	.query = query_sqlite,
	.write = write_sqlite,
	.high_id = high_id_sqlite,
	.set_high_id = set_high_id_sqlite,
	.is_empty = is_empty,
};
