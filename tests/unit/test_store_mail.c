/* Tests for the store's mail side: subscriptions, the notification fan-out triggers, the outbox, links. Runs on
 * QUIRE_TEST_STORE (ctest's unit-pg/test_store_mail: a fresh PostgreSQL database), else a temporary SQLite file; on
 * PostgreSQL every statement it runs has its plan checked (pgs_plan_trace). */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/int.h"
#include "store/store.h"
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-store-mail-XXXXXX";
static char path[256];
static const char *url; /* sqlite:PATH or a PostgreSQL URL */
static struct store *S;
static struct arena *A;

static int64_t count(const char *fmt, int64_t a)
{
	char sql[512];
	snprintf(sql, sizeof sql, fmt, (long long)a);
	return fixture_sql(url, sql);
}

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "$argon2id$x", NULL, &id) == 0);
	return id;
}

static struct chapter make_chapter(int64_t work_id, const char *title)
{
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.work_id = work_id;
	c.title = title;
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	c.content = "Some chapter text here.";
	c.content_format = "text";
	c.content_html = "<p>Some chapter text here.</p>";
	c.word_count = 4;
	return c;
}

/* A work by owner with one fandom tag, optionally a draft and in a series. */
static int64_t post_work(int64_t owner, const char *title, bool draft, const char *series)
{
	static const char *fandom[] = {"Original Work"};
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = title;
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.language = "English";
	w.draft = draft;
	w.series_title = series;
	w.tags[TAG_FANDOM] = (struct strlist){fandom, 1};
	struct chapter c = make_chapter(0, "One");
	int64_t id = 0, cid = 0;
	CHECK(store_work_create(S, &w, &c, owner, &id, &cid) == 0);
	return id;
}

static int64_t add_chapter(int64_t work_id, const char *title)
{
	struct chapter c = make_chapter(work_id, title);
	int64_t cid = 0;
	CHECK(store_chapter_create(S, &c, &cid) == 0);
	return cid;
}

/* ---- Subscriptions ---------------------------------------------------------------------- */

static void test_subscriptions(void)
{
	int64_t author = new_user("sub_author"), reader = new_user("sub_reader");
	int64_t work = post_work(author, "Subscribed Work", false, "A Series");
	struct work wk;
	CHECK(store_work_get(S, A, work, &wk) == 0);
	int64_t series = wk.series_id;
	CHECK(series > 0);

	int64_t s1 = 0, s2 = 0, s3 = 0, again = 0;
	CHECK(store_subscription_add(S, reader, SUB_WORK, work, -1, &s1) == 0);
	CHECK(store_subscription_add(S, reader, SUB_USER, author, 0, &s2) == 0);
	CHECK(store_subscription_add(S, reader, SUB_SERIES, series, 1, &s3) == 0);
	CHECK(s1 > 0 && s2 > s1 && s3 > s2);
	/* Twice: a clear answer, and nothing changes. */
	int64_t before = count("SELECT COUNT(*) FROM subscriptions WHERE user_id = %lld", reader);
	CHECK(store_subscription_add(S, reader, SUB_WORK, work, 1, &again) == Q_EEXIST);
	CHECK(count("SELECT COUNT(*) FROM subscriptions WHERE user_id = %lld", reader) == before);
	/* Missing targets and bad input. */
	CHECK(store_subscription_add(S, reader, SUB_WORK, 999999, -1, NULL) == Q_ENOTFOUND);
	CHECK(store_subscription_add(S, reader, SUB_USER, 999999, -1, NULL) == Q_ENOTFOUND);
	CHECK(store_subscription_add(S, reader, SUB_SERIES, 999999, -1, NULL) == Q_ENOTFOUND);
	CHECK(store_subscription_add(S, reader, SUB_KIND_COUNT, work, -1, NULL) == Q_EINVAL);
	CHECK(store_subscription_add(S, reader, SUB_WORK, work, 2, NULL) == Q_EINVAL);

	struct subscription sub;
	CHECK(store_subscription_get(S, A, s1, &sub) == 0);
	CHECK(sub.kind == SUB_WORK && sub.target_id == work && sub.user_id == reader && sub.mail == -1);
	CHECK_STR(sub.title, "Subscribed Work");
	CHECK(store_subscription_find(S, A, reader, SUB_USER, author, &sub) == 0);
	CHECK(sub.id == s2 && sub.mail == 0);
	CHECK_STR(sub.title, "sub_author");
	CHECK(store_subscription_find(S, A, reader, SUB_SERIES, series, &sub) == 0);
	CHECK_STR(sub.title, "A Series");
	CHECK(sub.mail == 1);
	CHECK(store_subscription_find(S, A, author, SUB_WORK, work, &sub) == Q_ENOTFOUND);

	struct subscription *list;
	size_t n;
	CHECK(store_subscription_list(S, A, reader, 0, 2, &list, &n) == 0);
	CHECK(n == 2 && list[0].id == s1 && list[1].id == s2);
	CHECK(store_subscription_list(S, A, reader, list[1].id, 2, &list, &n) == 0);
	CHECK(n == 1 && list[0].id == s3 && list[0].kind == SUB_SERIES);

	CHECK(store_subscription_set_mail(S, reader, s1, 0) == 0);
	CHECK(store_subscription_get(S, A, s1, &sub) == 0 && sub.mail == 0);
	CHECK(store_subscription_set_mail(S, reader, s1, -1) == 0);
	CHECK(store_subscription_get(S, A, s1, &sub) == 0 && sub.mail == -1);
	/* Someone else's subscription is not yours to change. */
	CHECK(store_subscription_set_mail(S, author, s1, 1) == Q_ENOTFOUND);
	CHECK(store_subscription_delete(S, author, s1) == Q_ENOTFOUND);
	CHECK(store_subscription_delete(S, reader, s1) == 0);
	CHECK(store_subscription_delete(S, reader, s1) == Q_ENOTFOUND);
	/* A new subscription never reuses an old id (old unsubscribe links stay dead). */
	CHECK(store_subscription_add(S, reader, SUB_WORK, work, -1, &again) == 0);
	CHECK(again > s3);

	struct series_info si;
	CHECK(store_series_get(S, A, series, &si) == 0);
	CHECK(si.owner_id == author && si.posted_works == 1);
	CHECK_STR(si.title, "A Series");
	CHECK_STR(si.owner_name, "sub_author");
	CHECK(store_series_get(S, A, 999999, &si) == Q_ENOTFOUND);

	/* Deleting the work takes its subscriptions with it. */
	CHECK(store_work_delete(S, work) == 0);
	CHECK(store_subscription_get(S, A, again, &sub) == Q_ENOTFOUND);
	CHECK(store_subscription_get(S, A, s3, &sub) == Q_ENOTFOUND); /* the series went with its last work */
}

static void test_mail_settings(void)
{
	int64_t u = new_user("settings_user");
	struct mail_settings ms;
	CHECK(store_mail_settings_get(S, A, u, &ms) == 0);
	CHECK(ms.notify_mail);
	CHECK_STR(ms.confirmed_email, "");
	CHECK(store_mail_settings_set_notify(S, u, false) == 0);
	CHECK(store_mail_settings_get(S, A, u, &ms) == 0 && !ms.notify_mail);
	CHECK(store_mail_settings_set_notify(S, u, true) == 0);
	CHECK(store_mail_settings_get(S, A, u, &ms) == 0 && ms.notify_mail);
	CHECK(store_mail_settings_set_notify(S, 999999, true) == Q_ENOTFOUND);
}

/* ---- The fan-out -------------------------------------------------------------------------- */

static int wakes;
static void on_outbox(void *arg)
{
	(void)arg;
	wakes++;
}

static void test_fanout(void)
{
	int64_t author = new_user("fan_author"), r1 = new_user("fan_r1"), r2 = new_user("fan_r2"),
		r3 = new_user("fan_r3"), co = new_user("fan_co");
	int64_t work = post_work(author, "Fan Work", false, NULL);
	CHECK(store_work_invite(S, work, co) == 0 && store_work_accept(S, work, co) == 0);
	CHECK(store_subscription_add(S, r1, SUB_WORK, work, -1, NULL) == 0); /* account default: mail */
	CHECK(store_subscription_add(S, r2, SUB_WORK, work, -1, NULL) == 0); /* account says inbox only */
	CHECK(store_subscription_add(S, r3, SUB_WORK, work, 0, NULL) == 0);  /* this one: inbox only */
	CHECK(store_subscription_add(S, co, SUB_WORK, work, 1, NULL) == 0);  /* a creator: never told */
	CHECK(store_mail_settings_set_notify(S, r2, false) == 0);

	CHECK(store_outbox_listen(S, on_outbox, NULL) == 0);
	wakes = 0;
	int64_t ob = fixture_sql(url, "SELECT COUNT(*) FROM outbox"), ib = fixture_sql(url, "SELECT COUNT(*) FROM inbox");
	int64_t ch = add_chapter(work, "Two");
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM inbox") == ib + 3);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox") == ob + 1);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE kind = 0 AND user_id = %lld AND status = 'queued'", r1) == 1);
	CHECK(count("SELECT COUNT(*) FROM inbox WHERE kind = 'new_chapter' AND chapter_id = %lld", ch) == 3);
	CHECK(count("SELECT COUNT(*) FROM inbox WHERE user_id = %lld AND kind = 'new_chapter'", co) == 0);
	CHECK(count("SELECT COUNT(*) FROM inbox WHERE chapter_id = %lld AND actor_id = "
	            "(SELECT id FROM users WHERE name = 'fan_author') AND body = 'Chapter 2 of Fan Work'", ch) == 3);
	CHECK(wakes == 1);

	/* The subscription's own choice beats the account's. */
	struct subscription sub;
	CHECK(store_subscription_find(S, A, r2, SUB_WORK, work, &sub) == 0);
	CHECK(store_subscription_set_mail(S, r2, sub.id, 1) == 0);
	add_chapter(work, "Three");
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE user_id = %lld", r2) == 1);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE user_id = %lld", r3) == 0);

	/* Authors: a posted work tells the author's subscribers; a draft tells nobody until it is posted. */
	CHECK(store_subscription_add(S, r1, SUB_USER, author, -1, NULL) == 0);
	int64_t w2 = post_work(author, "Second Work", false, NULL);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE kind = 1 AND work_id = %lld", w2) == 1);
	CHECK(count("SELECT COUNT(*) FROM inbox WHERE kind = 'new_work' AND work_id = %lld", w2) == 1);
	int64_t ob2 = fixture_sql(url, "SELECT COUNT(*) FROM outbox");
	int64_t w3 = post_work(author, "Draft Work", true, "Saga");
	add_chapter(w3, "Draft chapter");
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox") == ob2);

	/* Series: subscribe to the series of a posted part, then the draft in it gets posted. */
	int64_t w4 = post_work(author, "Saga One", false, "Saga");
	struct work wk;
	CHECK(store_work_get(S, A, w4, &wk) == 0 && wk.series_id > 0);
	CHECK(store_subscription_add(S, r3, SUB_SERIES, wk.series_id, -1, NULL) == 0);
	CHECK(store_work_get(S, A, w3, &wk) == 0 && wk.draft);
	int64_t ob3 = fixture_sql(url, "SELECT COUNT(*) FROM outbox");
	wk.draft = false;
	CHECK(store_work_update(S, &wk) == 0);
	/* r1 follows the author (new work), r3 the series (new part); the draft's chapters tell nobody. */
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox") == ob3 + 2);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE kind = 2 AND series_id IS NOT NULL AND work_id = %lld", w3) == 1);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE kind = 1 AND work_id = %lld", w3) == 1);
	/* Editing a posted work in its series again is not news. */
	int64_t ob4 = fixture_sql(url, "SELECT COUNT(*) FROM outbox");
	CHECK(store_work_get(S, A, w3, &wk) == 0);
	CHECK(store_work_update(S, &wk) == 0);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox") == ob4);
	/* Moving a posted work into the series is. */
	CHECK(store_work_get(S, A, w2, &wk) == 0);
	wk.series_title = "Saga";
	CHECK(store_work_update(S, &wk) == 0);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE kind = 2 AND work_id = %lld", w2) == 1);

	CHECK(store_outbox_listen(S, NULL, NULL) == 0);
	wakes = 0;
	add_chapter(work, "Four");
	CHECK(wakes == 0);
}

/* Thousands of subscribers: one write, one INSERT ... SELECT, no table scans. */
static void test_fanout_many(void)
{
	int64_t author = new_user("many_author");
	int64_t work = post_work(author, "Popular Work", false, NULL);
	int64_t other = post_work(author, "Other Work", false, NULL);
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
	         " INSERT INTO users(name, email, pwhash, created_at) SELECT 'many' || i, 'many' || i || '@example.org',"
	         " 'x', 0 FROM n;"
	         "INSERT INTO subscriptions(user_id, work_id, created_at) SELECT id, %lld, 0 FROM users"
	         " WHERE name LIKE 'many%%' AND name <> 'many_author';"
	         "INSERT INTO subscriptions(user_id, work_id, created_at) SELECT id, %lld, 0 FROM users"
	         " WHERE name LIKE 'many%%' AND name <> 'many_author';", (long long)work, (long long)other);
	CHECK(fixture_exec(url, sql) == 0);

	int64_t ob = fixture_sql(url, "SELECT COUNT(*) FROM outbox");
	add_chapter(work, "Big news");
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox") == ob + 3000);
	CHECK(count("SELECT COUNT(DISTINCT user_id) FROM inbox WHERE work_id = %lld", work) == 3000);

	/* The same insert on a raw connection, to count full-scan steps (triggers run in its program); on PostgreSQL
	 * the plan trace has checked the fan-out's statements already. */
	if (fixture_is_pg(url))
		return;
	sqlite3 *db;
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	sqls_functions_register(db); /* the search index's triggers call them */
	CHECK(sqlite3_exec(db, "PRAGMA foreign_keys = ON; BEGIN", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_stmt *q = NULL;
	snprintf(sql, sizeof sql, "INSERT INTO chapters(work_id, position, updated_at, published_at)"
	                          " VALUES (%lld, 9, 1, 1)", (long long)work);
	CHECK(sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(q) == SQLITE_DONE);
	CHECK(sqlite3_stmt_status(q, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) == 0);
	sqlite3_finalize(q);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
}

/* Every statement the mail side runs per request or per batch uses an index. */
static void test_query_plans(void)
{
	if (fixture_is_pg(url))
		return; /* PostgreSQL: every statement the tests ran was EXPLAINed (pgs_plan_trace, main) */
	static const enum sql_id ids[] = {
		SQL_SUB_LIST, SQL_SUB_FIND_WORK, SQL_SUB_FIND_AUTHOR, SQL_SUB_FIND_SERIES, SQL_SUB_GET,
		SQL_OUTBOX_CLAIM, SQL_OUTBOX_CLAIMED, SQL_OUTBOX_NEXT_DUE, SQL_OUTBOX_PURGE, SQL_MAIL_TOKEN_USER,
		SQL_SERIES_GET,
	};
	sqlite3 *db;
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char sql[4096];
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqls_sql[ids[i]]);
		sqlite3_stmt *q = NULL;
		CHECK(sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK);
		while (q && sqlite3_step(q) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(q, 3);
			/* "SCAN x" without an index reads the whole table; SCAN of a subquery result or a
			 * constant row is fine. */
			bool scan = detail && !strncmp(detail, "SCAN ", 5) && !strstr(detail, "USING") &&
			            !strstr(detail, "CONSTANT");
			if (scan && strstr(detail, "SCAN (subquery"))
				scan = false;
			if (scan)
				fprintf(stderr, "full scan in %s: %s\n", sqls_sql[ids[i]], detail);
			CHECK(!scan);
		}
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
}

/* ---- The outbox ------------------------------------------------------------------------------ */

/* Commits that told the change feed something: mail bookkeeping must tell it nothing. */
static uint64_t changes_heard;
static void count_changes(void *ctx, const struct store_change *c, size_t n)
{
	(void)ctx, (void)c, (void)n;
	changes_heard++;
}

static void test_outbox(void)
{
	/* Start from an empty queue: what the fan-out tests queued is not this test's. */
	struct outbox_item *items;
	size_t n;
	int64_t now = time(NULL);
	for (;;) {
		CHECK(store_outbox_claim(S, A, now + 100000, 500, &items, &n) == 0);
		if (n == 0)
			break;
		struct outbox_done *d = arena_calloc(A, n, sizeof *d);
		for (size_t i = 0; i < n; i++)
			d[i] = (struct outbox_done){.id = items[i].id, .result = OUTBOX_DROPPED, .error = "test"};
		CHECK(store_outbox_finish(S, d, n, now) == 0);
	}
	int64_t due;
	CHECK(store_outbox_next_due(S, &due) == Q_ENOTFOUND);

	int64_t author = new_user("ob_author"), reader = new_user("ob_reader");
	int64_t work = post_work(author, "Outbox Work \xc3\xa9", false, "Outbox Series");
	CHECK(store_subscription_add(S, reader, SUB_WORK, work, -1, NULL) == 0);
	store_subscribe(S, count_changes, NULL);
	uint64_t gen = changes_heard;
	int64_t ch = add_chapter(work, "Second");
	CHECK(store_outbox_next_due(S, &due) == 0 && due <= time(NULL));
	int64_t reset_id = 0;
	CHECK(store_outbox_add(S, OUTBOX_PASSWORD_RESET, 0, "OB_READER@example.org", &reset_id) == 0);
	CHECK(store_outbox_add(S, OUTBOX_PASSWORD_RESET, 0, "nobody@example.org", NULL) == 0);
	CHECK(store_outbox_add(S, OUTBOX_EMAIL_CONFIRM, reader, "new@example.org", NULL) == 0);
	CHECK(store_outbox_add(S, OUTBOX_EMAIL_CONFIRM, 0, "new@example.org", NULL) == Q_EINVAL);
	CHECK(store_outbox_add(S, OUTBOX_NEW_CHAPTER, reader, "x@example.org", NULL) == Q_EINVAL);

	gen = changes_heard;
	CHECK(store_outbox_claim(S, A, time(NULL), 10, &items, &n) == 0);
	CHECK(n == 4);
	/* Bookkeeping of the outbox does not empty page caches. */
	CHECK(changes_heard == gen);
	struct outbox_item *it = &items[0];
	CHECK(it->kind == OUTBOX_NEW_CHAPTER && it->attempts == 1 && it->user_id == reader);
	CHECK_STR(it->user_email, "ob_reader@example.org");
	CHECK(it->to_addr == NULL);
	CHECK(it->subscription_live && it->work_id == work && it->work_posted);
	CHECK_STR(it->work_title, "Outbox Work \xc3\xa9");
	CHECK_STR(it->work_creators, "ob_author");
	CHECK(it->chapter_id == ch && it->chapter_position == 2);
	CHECK_STR(it->chapter_title, "Second");
	CHECK(items[1].kind == OUTBOX_PASSWORD_RESET && items[1].user_id == reader && items[1].id == reset_id);
	CHECK_STR(items[1].to_addr, "OB_READER@example.org");
	CHECK(items[2].kind == OUTBOX_PASSWORD_RESET && items[2].user_id == 0);
	CHECK(items[3].kind == OUTBOX_EMAIL_CONFIRM && items[3].user_id == reader);
	CHECK_STR(items[3].to_addr, "new@example.org");
	/* Claimed rows are not claimed again. */
	struct outbox_item *again;
	size_t n2;
	CHECK(store_outbox_claim(S, A, time(NULL), 10, &again, &n2) == 0 && n2 == 4);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND attempts = %lld", 1) == 4);

	int64_t t = time(NULL);
	struct outbox_done done[4] = {
		{.id = items[0].id, .result = OUTBOX_RETRY, .next_attempt_at = t + 60, .error = "connection refused"},
		{.id = items[1].id, .result = OUTBOX_SENT},
		{.id = items[2].id, .result = OUTBOX_DROPPED, .error = "no account"},
		{.id = items[3].id, .result = OUTBOX_FAILED, .error = "550 no such user"},
	};
	CHECK(store_outbox_finish(S, done, 4, t) == 0);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE id = %lld AND status = 'queued' AND last_error = "
	            "'connection refused'", items[0].id) == 1);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE id = %lld AND status = 'sent' AND finished_at > 0", items[1].id) == 1);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE id = %lld AND status = 'dropped'", items[2].id) == 1);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE id = %lld AND status = 'failed'", items[3].id) == 1);
	CHECK(store_outbox_next_due(S, &due) == 0 && due == t + 60);
	/* Not due yet: nothing to claim; due: claimed with its second attempt. */
	CHECK(store_outbox_claim(S, A, t, 10, &items, &n) == 0 && n == 0);
	CHECK(store_outbox_claim(S, A, t + 60, 10, &items, &n) == 0 && n == 1 && items[0].attempts == 2);
	/* A sender that stopped mid-batch: its rows go back to the queue, the attempt not counted. */
	CHECK(store_outbox_release(S) == 0);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE id = %lld AND status = 'queued' AND attempts = 1",
	            items[0].id) == 1);
	/* Unsubscribing after the mail was queued: the claim says so, and the sender drops it. */
	struct subscription sub;
	CHECK(store_subscription_find(S, A, reader, SUB_WORK, work, &sub) == 0);
	CHECK(store_subscription_delete(S, reader, sub.id) == 0);
	CHECK(store_outbox_claim(S, A, t + 60, 10, &items, &n) == 0 && n == 1 && !items[0].subscription_live);
	done[0] = (struct outbox_done){.id = items[0].id, .result = OUTBOX_DROPPED, .error = "unsubscribed"};
	CHECK(store_outbox_finish(S, done, 1, t) == 0);
	/* Old finished rows are purged, queued ones never. */
	CHECK(store_outbox_purge(S, t + 1) == 0);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox WHERE finished_at IS NOT NULL") == 0);
}

/* ---- Links: password resets and e-mail confirmations ------------------------------------------ */

static void test_links(void)
{
	int64_t u = new_user("link_user"), other = new_user("link_other");
	int64_t now = time(NULL);
	struct user got;
	char *email = NULL;
	CHECK(store_session_create(S, "sess-a", u, now + 1000) == 0);
	CHECK(store_session_create(S, "sess-b", u, now + 1000) == 0);
	CHECK(store_session_create(S, "sess-o", other, now + 1000) == 0);

	CHECK(store_mail_token_create(S, MAIL_TOKEN_PASSWORD_RESET, "hash-reset", u, "link_user@example.org",
	                              now + 3600) == 0);
	CHECK(store_mail_token_create(S, MAIL_TOKEN_PASSWORD_RESET, "hash-old", u, "link_user@example.org",
	                              now - 1) == 0);
	CHECK(store_mail_token_user(S, A, MAIL_TOKEN_PASSWORD_RESET, "hash-reset", now, &got, &email) == 0);
	CHECK(got.id == u);
	CHECK_STR(email, "link_user@example.org");
	/* Expired, wrong kind, unknown. */
	CHECK(store_mail_token_user(S, A, MAIL_TOKEN_PASSWORD_RESET, "hash-old", now, &got, &email) == Q_ENOTFOUND);
	CHECK(store_mail_token_user(S, A, MAIL_TOKEN_EMAIL_CONFIRM, "hash-reset", now, &got, &email) == Q_ENOTFOUND);
	CHECK(store_password_reset(S, 0, "nope", now, "$argon2id$new", NULL) == Q_ENOTFOUND);
	CHECK(store_password_reset(S, 0, "hash-old", now, "$argon2id$new", NULL) == Q_ENOTFOUND);

	int64_t who = 0;
	CHECK(store_password_reset(S, 0, "hash-reset", now, "$argon2id$new", &who) == 0);
	CHECK(who == u);
	CHECK(store_user_get(S, A, u, &got) == 0);
	CHECK_STR(got.pwhash, "$argon2id$new");
	/* Every session of the account ends; others' stay. The link is used up. */
	CHECK(store_session_user(S, A, "sess-a", now, &got) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, "sess-b", now, &got) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, "sess-o", now, &got) == 0);
	CHECK(store_password_reset(S, 0, "hash-reset", now, "$argon2id$again", NULL) == Q_ENOTFOUND);
	/* Following the link proved the address. */
	struct mail_settings ms;
	CHECK(store_mail_settings_get(S, A, u, &ms) == 0);
	CHECK_STR(ms.confirmed_email, "link_user@example.org");
	/* By account (the CLI). */
	CHECK(store_password_reset(S, other, NULL, now, "$argon2id$cli", NULL) == 0);
	CHECK(store_session_user(S, A, "sess-o", now, &got) == Q_ENOTFOUND);
	CHECK(store_password_reset(S, 999999, NULL, now, "$argon2id$cli", NULL) == Q_ENOTFOUND);

	/* E-mail change: takes effect when the link is followed. */
	CHECK(store_mail_token_create(S, MAIL_TOKEN_EMAIL_CONFIRM, "hash-mail", u, "New.Address@example.org",
	                              now + 3600) == 0);
	CHECK(store_user_get(S, A, u, &got) == 0);
	CHECK_STR(got.email, "link_user@example.org");
	CHECK(store_email_confirm(S, "hash-mail", now, &who) == 0 && who == u);
	CHECK(store_user_get(S, A, u, &got) == 0);
	CHECK_STR(got.email, "New.Address@example.org");
	CHECK(store_mail_settings_get(S, A, u, &ms) == 0);
	CHECK_STR(ms.confirmed_email, "New.Address@example.org");
	CHECK(store_email_confirm(S, "hash-mail", now, &who) == Q_ENOTFOUND);
	/* Taken by another account meanwhile: refused, nothing changes. */
	CHECK(store_mail_token_create(S, MAIL_TOKEN_EMAIL_CONFIRM, "hash-taken", u, "LINK_OTHER@example.org",
	                              now + 3600) == 0);
	CHECK(store_email_confirm(S, "hash-taken", now, &who) == Q_EEXIST);
	CHECK(store_user_get(S, A, u, &got) == 0);
	CHECK_STR(got.email, "New.Address@example.org");
	/* Deleting the account takes its links and its queued mail with it. */
	CHECK(store_outbox_add(S, OUTBOX_EMAIL_CONFIRM, u, "x@example.org", NULL) == 0);
	CHECK(store_user_delete(S, u, true) == 0);
	CHECK(count("SELECT COUNT(*) FROM mail_tokens WHERE user_id = %lld", u) == 0);
	CHECK(count("SELECT COUNT(*) FROM outbox WHERE user_id = %lld", u) == 0);
}

int main(void)
{
	log_set_quiet(1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/quire.db", dir);
	char buf[300], err[512];
	url = fixture_store_url(buf, sizeof buf, dir);
	printf("store mail tests on %s\n", url);
	A = arena_new();
	CHECK(store_open(&S, url, err, sizeof err) == 0);
	if (!S) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		return CHECK_DONE();
	}
	if (fixture_is_pg(url))
		pgs_plan_trace = fixture_plan_trace;

	test_subscriptions();
	test_mail_settings();
	test_fanout();
	test_fanout_many();
	test_query_plans();
	test_outbox();
	test_links();

	pgs_plan_trace = NULL;
	CHECK(!fixture_scans[0]);
	if (fixture_scans[0])
		fprintf(stderr, "statements that scan a table:\n%s", fixture_scans);
	store_close(S);
	arena_free(A);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
