/* The writer's check's and readers' suggestions' statements walk indexes on either backend (a creator's inbox,
 * a chapter's editor, a reader's rate limit stay cheap at a million works): on SQLite every statement's plan
 * (EXPLAIN QUERY PLAN), on PostgreSQL the plan of every statement the operations run (pgs_plan_trace, with
 * sequential scans disabled). */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/log.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/int.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char dir[] = "/tmp/quire-store-writing-XXXXXX";
static char path[256];
static struct store *S;
static struct arena *A;

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

static void test_sqlite_plans(void)
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

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "$argon2id$x", NULL, &id) == 0);
	return id;
}

/* Every operation of both families once or more, on a few rows: on PostgreSQL each of their statements' plans
 * goes through fixture_plan_trace. */
static void test_operations(void)
{
	int64_t writer = new_user("plan_writer"), reader = new_user("plan_reader"), cid = 0, cid2 = 0, wid = 0;
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = "Plans";
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.language = "English";
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.title = "One";
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	c.content = "text";
	c.content_html = "<p>text</p>";
	CHECK(store_work_create(S, &w, &c, writer, &wid, &cid) == 0);
	c.work_id = wid;
	CHECK(store_chapter_create(S, &c, &cid2) == 0);

	struct writing_word *words;
	size_t n = 0;
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "Saoirse", true, 10) == 0);
	CHECK(store_writing_word_set(S, 0, writer, WRITING_WORD_VARIANT, "en_GB", true, 10) == 0);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "Saoirse", false, 10) == 0);
	CHECK(store_writing_word_set(S, 0, writer, WRITING_WORD_VARIANT, "en_GB", false, 10) == 0);
	CHECK(store_writing_words_list(S, A, wid, writer, 100, &words, &n) == 0);

	bool on = false;
	CHECK(store_suggestions_enabled_set(S, wid, true) == 0);
	CHECK(store_suggestions_enabled(S, wid, &on) == 0 && on);
	struct reader_suggestion s = {.work_id = wid, .chapter_id = cid, .user_id = reader, .quote = "text",
	                              .replacement = "words"};
	int64_t id = 0, id2 = 0, since = (int64_t)time(NULL) - 60;
	CHECK(store_suggestion_create(S, &s, since, 10, 10, &id) == 0);
	s.chapter_id = cid2;
	CHECK(store_suggestion_create(S, &s, since, 10, 10, &id2) == 0);
	struct reader_suggestion got, *list;
	CHECK(store_suggestion_get(S, A, id, &got) == 0);
	struct suggestion_query shapes[] = {
		{.chapter_id = cid, .state = -1},
		{.chapter_id = cid, .user_id = reader, .state = -1, .before_id = id + 1},
		{.chapter_id = cid, .state = SUGGESTION_OPEN},
		{.creator_id = writer, .state = SUGGESTION_OPEN},
		{.creator_id = writer, .state = -1, .before_id = id2},
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		CHECK(store_suggestions_list(S, A, &shapes[i], &list, &n) == 0 && n >= 1);
	CHECK(store_suggestion_set_state(S, id, SUGGESTION_OPEN, SUGGESTION_OPEN, "Thanks.", writer) == 0);
	CHECK(store_suggestion_set_state(S, id, SUGGESTION_OPEN, SUGGESTION_ACCEPTED, NULL, writer) == 0);
	/* The triggers: a chapter's suggestions and their messages, a work's words and setting, a writer's words
	 * (the deletions' own statements are other families': not traced here). */
	void (*trace)(const char *, const char *) = pgs_plan_trace;
	pgs_plan_trace = NULL;
	CHECK(store_chapter_delete(S, wid, cid2) == 0);
	CHECK(store_work_delete(S, wid) == 0);
	CHECK(store_user_delete(S, writer, false) == 0);
	pgs_plan_trace = trace;
}

int main(void)
{
	log_set_quiet(1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/quire.db", dir);
	char url_buf[300], err[512];
	const char *url = fixture_store_url(url_buf, sizeof url_buf, dir);
	printf("writing and suggestions plans on %s\n", url);
	A = arena_new();
	CHECK(store_open(&S, url, err, sizeof err) == 0);
	if (!S) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		return CHECK_DONE();
	}
	bool pg = fixture_is_pg(url);
	if (pg)
		pgs_plan_trace = fixture_plan_trace;
	test_operations();
	pgs_plan_trace = NULL;
	CHECK(!fixture_scans[0]);
	if (fixture_scans[0])
		fprintf(stderr, "statements that scan a table:\n%s", fixture_scans);
	store_close(S);
	if (!pg)
		test_sqlite_plans();
	arena_free(A);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
