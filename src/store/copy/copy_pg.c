/* quire store copy: the PostgreSQL side. A target is marked (table quire_copy, naming the source) and its triggers
 * are off until the copy finishes, so a re-run resumes it and no server opens it half copied. */
#include "store/copy/copy_int.h"
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct copy_db {
	struct pgc *c;
	bool target;
};

/* Every table the schema has (the copier's list and those it does not copy alike): their triggers go off. */
static const char TABLES_OF_SCHEMA[] = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname <> 'quire_schema'"
	" AND c.relname <> 'quire_copy'";

static int run(struct copy_db *db, const char *sql)
{
	return pgs_exec_text(db->c, sql);
}

/* ALTER TABLE ... ENABLE or DISABLE TRIGGER USER for every table (the foreign keys stay checked). */
static int triggers(struct copy_db *db, bool on)
{
	PGresult *r = PQexec(db->c->db, TABLES_OF_SCHEMA);
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : Q_ERR;
	for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
		char *name = PQescapeIdentifier(db->c->db, PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));
		char sql[256];
		snprintf(sql, sizeof sql, "ALTER TABLE %s %s TRIGGER USER", name, on ? "ENABLE" : "DISABLE");
		PQfreemem(name);
		rc = run(db, sql);
	}
	PQclear(r);
	return rc;
}

static int is_empty(struct copy_db *db, bool *empty)
{
	PGresult *r = PQexec(db->c->db, "SELECT (SELECT COUNT(*) FROM users) <= 1 AND NOT EXISTS (SELECT 1 FROM works)"
	                                " AND NOT EXISTS (SELECT 1 FROM tags)");
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? 0 : Q_ERR;
	if (rc == 0)
		*empty = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return rc;
}

static int open_pg(const char *url, bool target, const char *source, bool force, struct copy_db **out, bool *resuming,
                   char *err, size_t errlen)
{
	struct pgc *c;
	char why[512];
	*out = NULL;
	int bad = pgs_url_check(url, err, errlen, NULL);
	if (bad)
		return bad;
	if (pgs_connect(url, &c, why, sizeof why)) {
		snprintf(err, errlen, "cannot connect to the PostgreSQL %s: %s", target ? "target" : "source", why);
		return Q_ERR;
	}
	int rc = pgs_migrate(c, err, errlen);
	struct copy_db *db = xcalloc(1, sizeof *db);
	db->c = c;
	db->target = target;
	if (rc == 0 && !target) {
		/* One snapshot for the whole run: the source is read as it was when the copy began. */
		rc = run(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	} else if (rc == 0) {
		PGresult *r = PQexec(c->db, "SELECT to_regclass('quire_copy') IS NOT NULL");
		bool marked = PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't';
		PQclear(r);
		if (marked) {
			const char *p[1] = {source};
			r = PQexecParams(c->db, "SELECT source = $1 FROM quire_copy", 1, NULL, p, NULL, NULL, 0);
			*resuming = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
			PQclear(r);
		}
		bool empty = true;
		if (!*resuming && (rc = is_empty(db, &empty)) == 0 && !empty && !force) {
			snprintf(err, errlen, "the target already holds an archive%s; --force replaces it",
			         marked ? " (an unfinished copy from another source)" : "");
			rc = Q_EEXIST;
		}
		if (rc == 0 && !*resuming) {
			/* A fresh start: everything the migrations or an earlier archive left goes. */
			struct arena *a = arena_new();
			PGresult *t = PQexec(c->db, TABLES_OF_SCHEMA);
			char *list = arena_strdup(a, "");
			for (int i = 0; PQresultStatus(t) == PGRES_TUPLES_OK && i < PQntuples(t); i++) {
				char *name = PQescapeIdentifier(c->db, PQgetvalue(t, i, 0), (size_t)PQgetlength(t, i, 0));
				list = arena_printf(a, "%s%s%s", list, i ? ", " : "", name);
				PQfreemem(name);
			}
			PQclear(t);
			const char *p[1] = {source};
			rc = run(db, "BEGIN");
			if (rc == 0)
				rc = run(db, arena_printf(a, "TRUNCATE %s RESTART IDENTITY", list));
			if (rc == 0)
				rc = run(db, "CREATE TABLE IF NOT EXISTS quire_copy (source TEXT NOT NULL); DELETE FROM quire_copy");
			if (rc == 0) {
				r = PQexecParams(c->db, "INSERT INTO quire_copy(source) VALUES ($1)", 1, NULL, p, NULL, NULL, 0);
				rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : Q_ERR;
				PQclear(r);
			}
			if (rc == 0)
				rc = triggers(db, false);
			if (rc == 0)
				rc = run(db, "COMMIT");
			else
				run(db, "ROLLBACK");
			arena_free(a);
			if (rc && !err[0])
				snprintf(err, errlen, "preparing the PostgreSQL target failed (see the log)");
		}
	}
	if (rc) {
		pgs_disconnect(c);
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

static int finish_pg(struct copy_db *db, char *err, size_t errlen)
{
	int rc = run(db, "BEGIN");
	if (rc == 0)
		rc = pgs_search_rebuild(db->c);
	if (rc == 0)
		rc = triggers(db, true);
	if (rc == 0)
		rc = run(db, "DROP TABLE quire_copy");
	if (rc == 0)
		rc = run(db, "COMMIT");
	else
		run(db, "ROLLBACK");
	if (rc)
		snprintf(err, errlen, "finishing the PostgreSQL target failed (see the log); run the copy again");
	return rc;
}

static void close_pg(struct copy_db *db)
{
	pgs_disconnect(db->c);
	free(db);
}

static int columns_pg(struct copy_db *db, struct arena *a, const char *table, const char ***cols, size_t *n)
{
	const char *p[1] = {table};
	PGresult *r = PQexecParams(db->c->db, "SELECT column_name FROM information_schema.columns WHERE"
	                                      " table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
	                           1, NULL, p, NULL, NULL, 0);
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : Q_ERR;
	if (rc == 0) {
		*n = (size_t)PQntuples(r);
		*cols = arena_calloc(a, *n ? *n : 1, sizeof **cols);
		for (size_t i = 0; i < *n; i++)
			(*cols)[i] = arena_strdup(a, PQgetvalue(r, (int)i, 0));
	}
	PQclear(r);
	return rc;
}

static int query_pg(struct copy_db *db, struct arena *a, const char *sql, const char *const *params, size_t nparams,
                    struct copy_rows *out)
{
	PGresult *r = PQexecParams(db->c->db, sql, (int)nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		log_error("store copy: %s in: %s", PQresultErrorMessage(r), sql);
		PQclear(r);
		return Q_ERR;
	}
	out->n = (size_t)PQntuples(r);
	out->ncols = (size_t)PQnfields(r);
	out->v = arena_calloc(a, out->n * out->ncols + 1, sizeof *out->v);
	for (size_t i = 0; i < out->n; i++)
		for (size_t j = 0; j < out->ncols; j++)
			out->v[i * out->ncols + j] = PQgetisnull(r, (int)i, (int)j) ? NULL
			                             : arena_strdup(a, PQgetvalue(r, (int)i, (int)j));
	PQclear(r);
	return 0;
}

static int write_pg(struct copy_db *db, const char *sql, const struct copy_rows *rows)
{
	int rc = run(db, "BEGIN");
	PGresult *p = rc ? NULL : PQprepare(db->c->db, "", sql, (int)rows->ncols, NULL);
	if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
		log_error("store copy: %s in: %s", p ? PQresultErrorMessage(p) : "no transaction", sql);
		rc = Q_ERR;
	}
	PQclear(p);
	for (size_t i = 0; rc == 0 && i < rows->n; i++) {
		PGresult *r = PQexecPrepared(db->c->db, "", (int)rows->ncols, rows->v + i * rows->ncols, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			log_error("store copy: %s in: %s", PQresultErrorMessage(r), sql);
			rc = Q_ERR;
		}
		PQclear(r);
	}
	if (rc == 0)
		rc = run(db, "COMMIT");
	else
		run(db, "ROLLBACK");
	return rc;
}

/* The sequence behind a table's ids, quoted for SQL (arena). */
static char *sequence_of(struct copy_db *db, struct arena *a, const char *table)
{
	const char *p[1] = {table};
	PGresult *r = PQexecParams(db->c->db, "SELECT pg_get_serial_sequence($1, 'id')", 1, NULL, p, NULL, NULL, 0);
	char *seq = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
	                ? arena_strdup(a, PQgetvalue(r, 0, 0)) : NULL;
	PQclear(r);
	return seq;
}

static int high_id_pg(struct copy_db *db, const char *table, int64_t *id)
{
	struct arena *a = arena_new();
	char *seq = sequence_of(db, a, table);
	int rc = Q_ERR;
	if (seq) {
		struct copy_rows rows;
		rc = query_pg(db, a, arena_printf(a, "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s),"
		                                     " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %s))",
		                                  table, seq), NULL, 0, &rows);
		if (rc == 0)
			*id = rows.n ? strtoll(rows.v[0], NULL, 10) : 0;
	}
	arena_free(a);
	return rc;
}

static int set_high_id_pg(struct copy_db *db, const char *table, int64_t id)
{
	struct arena *a = arena_new();
	char *seq = sequence_of(db, a, table);
	int rc = seq ? run(db, arena_printf(a, "SELECT setval('%s', %lld, %s)", seq, (long long)(id > 0 ? id : 1),
	                                    id > 0 ? "true" : "false")) : Q_ERR;
	arena_free(a);
	return rc;
}

const struct copy_driver copy_pg = {
	.name = "PostgreSQL",
	.open = open_pg,
	.finish = finish_pg,
	.close = close_pg,
	.columns = columns_pg,
	.query = query_pg,
	.write = write_pg,
	.high_id = high_id_pg,
	.set_high_id = set_high_id_pg,
	.is_empty = is_empty,
};
