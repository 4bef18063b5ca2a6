/* What the store tests share: the store they run on (SQLite or PostgreSQL), removing their temporary directory,
 * and one value read with raw SQL on either backend. */
#ifndef QUIRE_TEST_STORE_FIXTURE_H
#define QUIRE_TEST_STORE_FIXTURE_H
#include <dirent.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "store/sqlite/int.h"

/* Removes dir and the files in it (the tests make no subdirectories). */
static inline void fixture_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The first column of the first row of sql, read on a connection of our own that knows the schema's SQL
 * functions (-1 on failure). */
static inline int64_t fixture_scalar(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t n = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqls_functions_register(db);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}

/* The store a test runs on: QUIRE_TEST_STORE when set (an empty database: ctest's unit-pg/NAME gives each run a
 * fresh PostgreSQL one), else "sqlite:" and a file in dir. */
static inline const char *fixture_store_url(char *buf, size_t len, const char *dir)
{
	const char *url = getenv("QUIRE_TEST_STORE");
	if (url && *url)
		return url;
	snprintf(buf, len, "sqlite:%s/quire.db", dir);
	return buf;
}

static inline bool fixture_is_pg(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

/* The first column of the first row of sql on the store at url (sqlite:PATH or a PostgreSQL URL), read on a
 * connection of our own (-1 on failure). */
static inline int64_t fixture_sql(const char *url, const char *sql)
{
	if (!fixture_is_pg(url))
		return fixture_scalar(url + strlen("sqlite:"), sql);
	int64_t n = -1;
	PGconn *db = PQconnectdb(url);
	if (PQstatus(db) == CONNECTION_OK) {
		PGresult *r = PQexec(db, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
			n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		else if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fprintf(stderr, "fixture_sql: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	}
	PQfinish(db);
	return n;
}

/* Runs sql (statements, no results) on the store at url on a connection of its own: 0 or -1. */
static inline int fixture_exec(const char *url, const char *sql)
{
	if (!fixture_is_pg(url)) {
		sqlite3 *db;
		if (sqlite3_open_v2(url + strlen("sqlite:"), &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			return -1;
		sqlite3_busy_timeout(db, 5000);
		sqls_functions_register(db); /* the schema's triggers call them */
		char *msg = NULL;
		int rc = sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK ? 0 : -1;
		if (rc)
			fprintf(stderr, "fixture_exec: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		sqlite3_close(db);
		return rc;
	}
	PGconn *db = PQconnectdb(url);
	int rc = -1;
	if (PQstatus(db) == CONNECTION_OK) {
		PGresult *r = PQexec(db, sql);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
		if (rc)
			fprintf(stderr, "fixture_exec: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	}
	PQfinish(db);
	return rc;
}

/* PostgreSQL's plans of the statements a test ran (pgs_plan_trace): every "Seq Scan on TABLE" of a table that
 * grows with the archive (not the few-row settings, counters and schema tables), and every page (LIMIT) that
 * sorts all its rows first instead of reading them in an index's order, is collected here. */
static char fixture_scans[8192];

static inline void fixture_plan_trace(const char *sql, const char *plan)
{
	static const char *const small[] = {"settings", "counters", "quire_schema", NULL};
	if (getenv("QUIRE_TEST_PLANS"))
		fprintf(stderr, "%s\n  => %s\n", sql, plan);
	/* Sorts bounded by one work, one account or one tag: a work's daily rows, an author's works for the
	 * statistics, a tag's sub tags, synonyms and fandom children by name or size, the wrangling queue's fandoms. */
	static const char *const sorted[] = {"FROM stats_daily WHERE work_id", "FROM work_creators wc JOIN works w",
	                                     "FROM meta_tags x", "FROM tag_parents x", "WHERE t.merger_id = $1",
	                                     "WHERE wrangled = 0 GROUP BY fandom_hint_id",
	                                     "WHERE wrangled = 0 AND works_count > 0 GROUP BY fandom_hint_id", /* #14 */
	                                     /* one chapter's readers' suggestions, those on one writer's works */
	                                     "WHERE s.chapter_id = $1", "WHERE c.user_id = $1 AND c.accepted = 1)", NULL};
	bool bounded = false;
	for (int i = 0; sorted[i]; i++)
		bounded |= strstr(sql, sorted[i]) != NULL;
	if (!bounded && !strncmp(plan, "Limit\n  ->  Sort\n", strlen("Limit\n  ->  Sort\n"))) {
		size_t used = strlen(fixture_scans);
		if (used + 600 < sizeof fixture_scans)
			snprintf(fixture_scans + used, sizeof fixture_scans - used, "a sort in: %.400s\n%s\n", sql, plan);
	}
	for (const char *p = strstr(plan, "Seq Scan on "); p; p = strstr(p + 1, "Seq Scan on ")) {
		const char *table = p + 12;
		size_t len = strcspn(table, " \n");
		bool ok = false;
		for (int i = 0; small[i]; i++)
			ok |= len == strlen(small[i]) && !strncmp(table, small[i], len);
		size_t used = strlen(fixture_scans);
		if (!ok && used + 600 < sizeof fixture_scans)
			snprintf(fixture_scans + used, sizeof fixture_scans - used, "%.*s in: %.400s\n%s\n", (int)len, table,
			         sql, plan);
	}
}
#endif
