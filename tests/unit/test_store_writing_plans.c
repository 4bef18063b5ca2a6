/* SQLite's plans for the writer's check's and readers' suggestions' statements: each walks an index (a
 * creator's inbox, a chapter's editor, a reader's rate limit stay cheap at a million works). */
#include "check.h"
#include "store_fixture.h"
#include "core/log.h"
#include "store/sqlite/int.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[] = "/tmp/quire-store-writing-XXXXXX";
static char path[256];

/* The plan of sql, one detail a line; NULL when it does not prepare. */
static char *plan(sqlite3 *db, const char *sql)
{
	char *x = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql), *out = sqlite3_mprintf("");
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db, x, -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		sqlite3_free(out);
		out = NULL;
	}
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		char *more = sqlite3_mprintf("%s%s\n", out, (const char *)sqlite3_column_text(q, 3));
		sqlite3_free(out);
		out = more;
	}
	sqlite3_finalize(q);
	sqlite3_free(x);
	return out;
}

/* A full scan is "SCAN table" without an index (a scan of a subquery's rows or a constant row is none). */
static bool scans(const char *p)
{
	for (const char *l = p; l && *l; l = strchr(l, '\n') + 1) {
		size_t n = strcspn(l, "\n");
		bool scan = !strncmp(l, "SCAN ", 5) && !memmem(l, n, "USING", 5) && !memmem(l, n, "CONSTANT", 8) &&
		            !memmem(l, n, "(subquery", 9);
		if (scan)
			return true;
		if (!l[n])
			break;
	}
	return false;
}

static void test_plans(void)
{
	static const struct {
		enum sql_id id;
		const char *index; /* an index the plan must name, or NULL */
	} want[] = {
		{SQL_WRITING_WORD_ADD, NULL},
		{SQL_WRITING_WORD_DEL, NULL},
		{SQL_WRITING_WORD_COUNT, NULL},
		{SQL_WRITING_VARIANT_CLEAR, NULL},
		{SQL_WRITING_WORDS, NULL},
		{SQL_SUGGESTIONS_ENABLED, NULL},
		{SQL_SUGGESTION_RECENT, "reader_suggestions_user"},
		{SQL_SUGGESTION_OPEN_COUNT, NULL},
		{SQL_SUGGESTION_GET, NULL},
		{SQL_SUGGESTION_LIST_CHAPTER, "reader_suggestions_chapter"},
		{SQL_SUGGESTION_LIST_CREATOR, "reader_suggestions_work"},
		{SQL_SUGGESTION_SET_STATE, NULL},
		{SQL_SUGGESTION_INBOX_CREATORS, NULL},
		{SQL_SUGGESTION_INBOX_READ, "inbox_suggestion"},
		{SQL_SUGGESTION_INBOX_READER, NULL},
	};
	sqlite3 *db;
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *p = plan(db, sqls_sql[want[i].id]);
		CHECK(p != NULL);
		if (!p)
			continue;
		if (scans(p) || (want[i].index && !strstr(p, want[i].index)))
			fprintf(stderr, "plan of %s:\n%s", sqls_sql[want[i].id], p);
		CHECK(!scans(p));
		CHECK(!want[i].index || strstr(p, want[i].index));
		sqlite3_free(p);
	}
	/* The trigger that takes a suggestion's inbox messages with it. */
	char *p = plan(db, "DELETE FROM inbox WHERE suggestion_id = 5");
	CHECK(p && strstr(p, "inbox_suggestion"));
	sqlite3_free(p);
	sqlite3_close(db);
}

int main(void)
{
	log_set_quiet(1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/quire.db", dir);
	struct store *st = NULL;
	CHECK(store_open_sqlite(&st, path) == 0);
	if (st) {
		store_close(st);
		test_plans();
	}
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
