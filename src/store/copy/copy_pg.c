/* quire store copy: the PostgreSQL side. A target is marked (table quire_copy, naming the source) and its triggers
 * are off until the copy finishes, so a re-run resumes it and no server opens it half copied.
 *
 * Built for a million works: rows go in with COPY; the indexes and constraints other than primary keys are set aside
 * while the rows go in (their definitions kept in quire_copy_defs, so an interrupted copy still knows them) and
 * built once at the end, each in one pass; each chapter is written once, with its whole search document, and each
 * work's document is finished in one statement at the end (its tags and creators are copied after it). */
#include "store/copy/copy_int.h"
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/buf.h"
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
	" WHERE c.relkind = 'r' AND n.nspname = current_schema()"
	" AND c.relname NOT IN ('quire_schema', 'quire_copy', 'quire_copy_defs')";

/* What is set aside while rows go in: unique and foreign-key constraints and the indexes no constraint owns (each
 * with the SQL that makes it again and the SQL that drops it), foreign keys last to make and first to drop. */
static const char DEFERRABLE_DEFS[] = "SELECT make, drop FROM ("
	" SELECT CASE k.contype WHEN 'f' THEN 3 ELSE 1 END AS o, k.conname AS name,"
	"  format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) AS make,"
	"  format('ALTER TABLE %I DROP CONSTRAINT %I', c.relname, k.conname) AS drop"
	" FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = current_schema() AND k.contype IN ('f', 'u')"
	"  AND c.relname NOT IN ('quire_schema', 'quire_copy', 'quire_copy_defs')"
	" UNION ALL"
	" SELECT 2, ic.relname, pg_get_indexdef(i.indexrelid), format('DROP INDEX %I', ic.relname)"
	" FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = current_schema() AND c.relkind = 'r'"
	"  AND c.relname NOT IN ('quire_schema', 'quire_copy', 'quire_copy_defs')"
	"  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid"
	"   AND k.contype IN ('p', 'u', 'x'))"
	") d ORDER BY o, name";

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

/* Records every deferrable definition (after any an earlier unfinished copy recorded) and drops it. */
static int set_aside(struct copy_db *db)
{
	int rc = run(db, "CREATE TABLE IF NOT EXISTS quire_copy_defs (ord BIGSERIAL PRIMARY KEY, make TEXT NOT NULL)");
	PGresult *r = rc ? NULL : PQexec(db->c->db, DEFERRABLE_DEFS);
	if (r && PQresultStatus(r) != PGRES_TUPLES_OK) {
		log_error("store copy: %s", PQresultErrorMessage(r));
		rc = Q_ERR;
	}
	int n = r && rc == 0 ? PQntuples(r) : 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		const char *p[1] = {PQgetvalue(r, i, 0)};
		PGresult *ins = PQexecParams(db->c->db, "INSERT INTO quire_copy_defs(make) VALUES ($1)", 1, NULL, p, NULL,
		                             NULL, 0);
		rc = PQresultStatus(ins) == PGRES_COMMAND_OK ? 0 : Q_ERR;
		PQclear(ins);
	}
	/* Dropped in the reverse order: foreign keys before the unique constraints they may lean on. */
	for (int i = n - 1; rc == 0 && i >= 0; i--)
		rc = run(db, PQgetvalue(r, i, 1));
	PQclear(r);
	return rc;
}

/* Makes again what set_aside dropped, one definition per transaction (an interruption leaves the rest listed). */
static int restore(struct copy_db *db)
{
	int rc = 0;
	for (;;) {
		PGresult *r = PQexec(db->c->db, "SELECT ord, make FROM quire_copy_defs ORDER BY ord LIMIT 1");
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			log_error("store copy: %s", PQresultErrorMessage(r));
			PQclear(r);
			return Q_ERR;
		}
		if (PQntuples(r) == 0) {
			PQclear(r);
			return 0;
		}
		const char *p[1] = {PQgetvalue(r, 0, 0)};
		rc = run(db, "BEGIN");
		if (rc == 0)
			rc = run(db, PQgetvalue(r, 0, 1));
		if (rc == 0) {
			PGresult *d = PQexecParams(db->c->db, "DELETE FROM quire_copy_defs WHERE ord = $1", 1, NULL, p, NULL,
			                           NULL, 0);
			rc = PQresultStatus(d) == PGRES_COMMAND_OK ? 0 : Q_ERR;
			PQclear(d);
		}
		PQclear(r);
		if (rc) {
			run(db, "ROLLBACK");
			return rc;
		}
		if ((rc = run(db, "COMMIT")))
			return rc;
	}
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
		/* Each batch's commit need not wait for the disk: a crash of the database loses at most the last batches,
		 * which a re-run finds missing and copies again. */
		rc = run(db, "SET synchronous_commit = off");
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
				rc = set_aside(db);
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

/* Each work's document gets its tags (B) and creators (C), and its search_meta, in one statement (its own text, D,
 * went in with it); a run again after an interruption finds the same. */
static const char WORKS_FINISH[] = "UPDATE works w SET (search, search_meta) = (SELECT ts_filter(w.search, '{d}')"
	" || p.tags_doc || p.creators_doc, p.meta FROM quire_search_parts(w.id) p)";

static int finish_pg(struct copy_db *db, char *err, size_t errlen)
{
	/* Index builds sort in memory what fits: as much as the server allows a maintenance job. */
	int rc = run(db, "SET maintenance_work_mem = '512MB'");
	if (rc == 0)
		rc = run(db, WORKS_FINISH);
	if (rc == 0)
		rc = run(db, "VACUUM works"); /* the rows the statement above left behind, before their indexes exist */
	if (rc == 0)
		rc = restore(db);
	if (rc == 0)
		rc = run(db, "BEGIN");
	if (rc == 0)
		rc = triggers(db, true);
	if (rc == 0)
		rc = run(db, "DROP TABLE IF EXISTS quire_copy_defs; DROP TABLE quire_copy");
	if (rc == 0)
		rc = run(db, "COMMIT");
	else
		run(db, "ROLLBACK");
	/* The planner's statistics: a copied archive is served at once, with the plans its size calls for. */
	if (rc == 0)
		rc = run(db, "VACUUM ANALYZE");
	if (rc)
		snprintf(err, errlen, "finishing the PostgreSQL target failed (see the log); run the copy again");
	return rc;
}

/* Appends one value to COPY's text format: \N for NULL, backslash escapes for what would end a value or row. */
static void copy_value(struct buf *b, const char *v)
{
	if (!v) {
		buf_puts(b, "\\N");
		return;
	}
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default: buf_putc(b, *p);
		}
	}
}

static int find_col(const char *const *cols, size_t ncols, const char *name)
{
	for (size_t i = 0; i < ncols; i++)
		if (!strcmp(cols[i], name))
			return (int)i;
	return -1;
}

/* Tables written with their search documents: the text of their HTML pieces (made by the same C as the operations
 * make it) goes in beside the rows, into a table of the session, and the rows go from there with their document. */
static const struct documented {
	const char *table;
	const char *pieces[4];  /* stored HTML, made text: the first alone, then the next two joined (as the operations) */
	const char *document;   /* the search column's value, from title and the texts t1, t2 (and t3) */
	const char *with;       /* what else it needs, once per batch (%s: the session's table) */
} documented[] = {
	/* A work's own text (D); its tags and creators follow at the end (WORKS_FINISH). */
	{"works", {"summary_html", "notes_html", "end_notes_html", NULL},
	 "setweight(to_tsvector('quire', title) || to_tsvector('quire', t1) || to_tsvector('quire', t2), 'D')", ""},
	/* A chapter's own text (D) and what it carries of its work (A): its tags and creators are there already. */
	{"chapters", {"summary_html", "notes_html", "end_notes_html", "content_html"},
	 "setweight(to_tsvector('quire', title) || to_tsvector('quire', t1) || to_tsvector('quire', t2)"
	 " || to_tsvector('quire', t3), 'D') || setweight((SELECT m.meta FROM m WHERE m.w = work_id), 'A')",
	 "WITH m AS MATERIALIZED (SELECT w, (quire_search_parts(w)).meta AS meta FROM (SELECT DISTINCT work_id AS w"
	 " FROM %s) d) "},
};

static int copy_rows_in(struct copy_db *db, const char *into, const char *collist, const struct buf *data)
{
	struct arena *a = arena_new();
	PGresult *r = PQexec(db->c->db, arena_printf(a, "COPY %s(%s) FROM STDIN", into, collist));
	int rc = PQresultStatus(r) == PGRES_COPY_IN ? 0 : Q_ERR;
	if (rc)
		log_error("store copy: %s", PQresultErrorMessage(r));
	PQclear(r);
	arena_free(a);
	if (rc)
		return rc;
	if (PQputCopyData(db->c->db, data->data ? data->data : "", (int)data->len) != 1 || PQputCopyEnd(db->c->db, NULL) != 1)
		rc = Q_ERR;
	while ((r = PQgetResult(db->c->db))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			log_error("store copy: %s in COPY %s", PQresultErrorMessage(r), into);
			rc = Q_ERR;
		}
		PQclear(r);
	}
	return rc;
}

static int append_pg(struct copy_db *db, const char *table, const char *const *cols, size_t ncols,
                     const struct copy_rows *rows)
{
	const struct documented *doc = NULL;
	for (size_t i = 0; i < sizeof documented / sizeof documented[0]; i++)
		if (!strcmp(documented[i].table, table))
			doc = &documented[i];
	int piece[4] = {-1, -1, -1, -1};
	for (int k = 0; doc && k < 4 && doc->pieces[k]; k++)
		if ((piece[k] = find_col(cols, ncols, doc->pieces[k])) < 0) {
			/* Both backends' schemas have every piece: a source without one is not a Quire archive's. */
			log_error("store copy: the source's %s has no column %s", table, doc->pieces[k]);
			return Q_ERR;
		}
	struct arena *a = arena_new();
	struct buf data = BUF_INIT, collist = BUF_INIT;
	for (size_t j = 0; j < ncols; j++)
		buf_printf(&collist, "%s%s", j ? ", " : "", cols[j]);
	for (size_t i = 0; i < rows->n; i++) {
		const char *const *v = rows->v + i * rows->ncols;
		for (size_t j = 0; j < ncols; j++) {
			if (j)
				buf_putc(&data, '\t');
			copy_value(&data, v[j]);
		}
		if (doc) {
			/* t1: the first piece; t2: the next two; t3: the fourth (or ''). */
			char *t1 = pgs_plain(v[piece[0]], NULL), *t2 = pgs_plain(v[piece[1]], v[piece[2]]),
			     *t3 = piece[3] >= 0 ? pgs_plain(v[piece[3]], NULL) : NULL;
			buf_putc(&data, '\t');
			copy_value(&data, t1);
			buf_putc(&data, '\t');
			copy_value(&data, t2);
			buf_putc(&data, '\t');
			copy_value(&data, t3 ? t3 : "");
			free(t1);
			free(t2);
			free(t3);
		}
		buf_putc(&data, '\n');
	}
	int rc = run(db, "BEGIN");
	if (rc == 0 && doc) {
		/* The session's table of rows with their texts, emptied at each commit. */
		const char *stage = arena_printf(a, "quire_copy_stage_%s", table);
		rc = run(db, arena_printf(a, "CREATE TEMP TABLE IF NOT EXISTS %s (LIKE %s INCLUDING DEFAULTS, t1 TEXT, t2 TEXT,"
		                             " t3 TEXT) ON COMMIT DELETE ROWS", stage, table));
		if (rc == 0)
			rc = copy_rows_in(db, stage, arena_printf(a, "%s, t1, t2, t3", buf_cstr(&collist)), &data);
		if (rc == 0)
			rc = run(db, arena_printf(a, "%sINSERT INTO %s(%s, search) SELECT %s, %s FROM %s",
			                          arena_printf(a, doc->with, stage), table, buf_cstr(&collist),
			                          buf_cstr(&collist), doc->document, stage));
	} else if (rc == 0) {
		rc = copy_rows_in(db, table, buf_cstr(&collist), &data);
	}
	if (rc == 0)
		rc = run(db, "COMMIT");
	else if (PQtransactionStatus(db->c->db) != PQTRANS_IDLE)
		run(db, "ROLLBACK");
	buf_free(&data);
	buf_free(&collist);
	arena_free(a);
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
	.append = append_pg,
	.high_id = high_id_pg,
	.set_high_id = set_high_id_pg,
	.is_empty = is_empty,
};
