/* Tests for the store's reader-response operations: comments, kudos, bookmarks, history, inbox, hits, group commit;
 * on SQLite, or on PostgreSQL with QUIRE_TEST_STORE (ctest's unit-pg/test_store_response). */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/pg/pg_int.h"
#include "store/store.h"
#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-response-XXXXXX";
static char path[256];
static const char *url; /* the store: sqlite:PATH or a PostgreSQL URL */
static struct store *S;
static struct arena *A;

/* True when every line of EXPLAIN QUERY PLAN for sql searches an index (no full SCAN of a table). On PostgreSQL
 * every statement the test runs has its plan checked instead (pgs_plan_trace: main). */
static bool uses_index(const char *sql)
{
	if (fixture_is_pg(url))
		return true;
	sqlite3 *db;
	sqlite3_stmt *q;
	bool ok = true;
	char *x = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_prepare_v2(db, x, -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
		ok = false;
	} else {
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(q, 3);
			if (d && !strncmp(d, "SCAN", 4) && !strstr(d, "CONSTANT ROW")) {
				fprintf(stderr, "plan for %s: %s\n", sql, d);
				ok = false;
			}
		}
		sqlite3_finalize(q);
	}
	sqlite3_free(x);
	sqlite3_close(db);
	return ok;
}

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "$argon2id$x", NULL, &id) == 0);
	return id;
}

static int64_t new_work(int64_t owner, int64_t *ch1, int64_t *ch2)
{
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = "Response";
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.language = "English";
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.title = "One";
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	c.content = "text";
	c.content_html = "<p>text</p>";
	int64_t id = 0;
	CHECK(store_work_create(S, &w, &c, owner, &id, ch1) == 0);
	c.work_id = id;
	c.title = "Two";
	CHECK(store_chapter_create(S, &c, ch2) == 0);
	return id;
}

/* The change feed: how many times subscribers were called, and whether the last call named work id. */
static int feed_calls;
static struct store_change feed_last[STORE_CHANGES_MAX];
static size_t feed_n;

static void on_change(void *ctx, const struct store_change *changes, size_t n)
{
	(void)ctx;
	feed_calls++;
	feed_n = n < STORE_CHANGES_MAX ? n : STORE_CHANGES_MAX;
	memcpy(feed_last, changes, feed_n * sizeof *changes);
}

static bool feed_names_work(int64_t id)
{
	for (size_t i = 0; i < feed_n; i++)
		if (feed_last[i].kind == STORE_CHANGE_WORK && feed_last[i].id == id)
			return true;
	return false;
}

static struct comment text_comment(int64_t work, int64_t chapter, int64_t parent, int64_t user, const char *body)
{
	struct comment c;
	memset(&c, 0, sizeof c);
	c.work_id = work;
	c.chapter_id = chapter;
	c.parent_id = parent;
	c.user_id = user;
	if (!user) {
		c.guest_name = "Guest";
		c.guest_email = "guest@example.org";
	}
	c.body = (struct text){body, arena_printf(A, "<p>%s</p>", body)};
	return c;
}

static void test_comments(void)
{
	int64_t author = new_user("author"), reader = new_user("reader"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	int calls = feed_calls;
	int64_t before = store_response_clock();
	struct comment c = text_comment(wid, ch1, 0, reader, "first");
	int64_t notify[] = {author};
	int64_t top = 0, reply = 0, guest = 0;
	CHECK(store_comment_create(S, &c, notify, 1, true, &top) == 0);
	/* A new comment empties no cached page: no change event, only the work's response time. */
	CHECK(feed_calls == calls);
	CHECK(store_response_version(S, wid, before) >= before); /* the first write shows at once */
	struct comment r = text_comment(wid, ch1, top, author, "thanks");
	r.by_creator = true;
	CHECK(store_comment_create(S, &r, notify, 1, true, &reply) == 0);
	struct comment g = text_comment(wid, ch1, 0, 0, "guest says hi");
	CHECK(store_comment_create(S, &g, notify, 1, true, &guest) == 0);

	struct response_counts rc;
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0);
	CHECK(rc.work_comments == 3 && rc.chapter_comments == 3);
	CHECK(store_response_counts(S, wid, ch2, &rc) == 0 && rc.chapter_comments == 0);

	/* The author heard of both top-level comments (not of their own reply); the reader of the reply. */
	int64_t n = 0;
	CHECK(store_inbox_unread(S, author, &n) == 0 && n == 2);
	CHECK(store_inbox_unread(S, reader, &n) == 0 && n == 1);
	struct inbox_item *items;
	size_t ni;
	CHECK(store_inbox_list(S, A, reader, false, 0, 10, &items, &ni) == 0 && ni == 1);
	CHECK(ni == 1 && items[0].kind == INBOX_REPLY && items[0].comment.id == reply && items[0].comment.by_creator);
	CHECK(ni == 1 && items[0].work_id == wid && items[0].chapter_id == ch1 && items[0].chapter_position == 1);
	CHECK_STR(ni == 1 ? items[0].work_title : NULL, "Response");
	CHECK_STR(ni == 1 ? items[0].comment.user_name : NULL, "author");
	CHECK(store_inbox_mark(S, reader, items[0].id, true) == 0);
	CHECK(store_inbox_unread(S, reader, &n) == 0 && n == 0);
	CHECK(store_inbox_mark(S, author, items[0].id, true) == Q_ENOTFOUND); /* not theirs */
	CHECK(store_inbox_mark_all(S, author) == 0);
	CHECK(store_inbox_unread(S, author, &n) == 0 && n == 0);

	/* Threads in order, each thread's comments by id, with depth and root. */
	struct comment *list;
	size_t nl;
	int64_t next;
	CHECK(store_comment_list(S, A, wid, ch1, 0, 10, &list, &nl, &next) == 0);
	CHECK(nl == 3 && next == 0);
	CHECK(nl == 3 && list[0].id == top && list[1].id == reply && list[1].depth == 1 && list[1].root_id == top &&
	      list[2].id == guest && list[2].root_id == guest);
	CHECK_STR(nl == 3 ? list[2].guest_name : NULL, "Guest");
	CHECK(store_comment_list(S, A, wid, ch1, 0, 1, &list, &nl, &next) == 0 && nl == 2 && next == top);
	CHECK(store_comment_list(S, A, wid, ch1, next, 1, &list, &nl, &next) == 0 && nl == 1 && next == 0);
	CHECK(store_comment_list(S, A, wid, 0, 0, 10, &list, &nl, &next) == 0 && nl == 0);

	/* Replies only to shown, unfrozen comments on the same chapter. */
	struct comment bad = text_comment(wid, ch2, top, reader, "wrong chapter");
	CHECK(store_comment_create(S, &bad, NULL, 0, false, NULL) == Q_ENOTFOUND);
	CHECK(store_comment_freeze(S, top, true) == 0);
	struct comment get;
	CHECK(store_comment_get(S, A, reply, &get) == 0 && get.frozen);
	bad = text_comment(wid, ch1, reply, reader, "frozen");
	CHECK(store_comment_create(S, &bad, NULL, 0, false, NULL) == Q_EPERM);
	CHECK(store_comment_freeze(S, top, false) == 0);
	CHECK(store_comment_create(S, &bad, NULL, 0, false, NULL) == 0);
	CHECK(store_comment_set_state(S, guest, COMMENT_HIDDEN) == 0);
	bad = text_comment(wid, ch1, guest, reader, "to hidden");
	CHECK(store_comment_create(S, &bad, NULL, 0, false, NULL) == Q_EPERM);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.work_comments == 3 && rc.chapter_comments == 3);

	/* Edits mark the comment; deleting drops the text and the guest address. Changing what readers saw
	 * is a change of the work at once. */
	struct text t = {"changed", "<p>changed</p>"};
	calls = feed_calls;
	CHECK(store_comment_edit(S, top, &t, 1) == 0);
	CHECK(feed_calls == calls + 1 && feed_n == 1 && feed_names_work(wid));
	CHECK(store_comment_get(S, A, top, &get) == 0 && get.edited_at > 0);
	CHECK_STR(get.body.src, "changed");
	CHECK(store_comment_set_state(S, guest, COMMENT_DELETED) == 0);
	CHECK(store_comment_get(S, A, guest, &get) == 0 && get.state == COMMENT_DELETED);
	CHECK_STR(get.body.html, "");
	CHECK(fixture_sql(url, "SELECT count(*) FROM comments WHERE guest_email IS NOT NULL") == 0);
	CHECK(store_comment_edit(S, guest, &t, 1) == Q_EPERM);
	CHECK(store_comment_set_state(S, guest, COMMENT_SHOWN) == Q_EPERM);

	/* Moderation: pending comments do not count; approval counts them and tells the parent's writer. */
	struct comment p = text_comment(wid, ch1, top, author, "pending reply");
	p.user_id = new_user("third");
	p.state = COMMENT_PENDING;
	int64_t pid;
	CHECK(store_comment_create(S, &p, notify, 1, true, &pid) == 0);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.chapter_comments == 3);
	CHECK(store_inbox_unread(S, reader, &n) == 0 && n == 0);
	CHECK(store_comment_set_state(S, pid, COMMENT_SHOWN) == 0);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.chapter_comments == 4);
	CHECK(store_inbox_unread(S, reader, &n) == 0 && n == 1);

	/* Deleting a chapter takes its comments and their count with it. */
	struct comment w2 = text_comment(wid, ch2, 0, reader, "on two");
	CHECK(store_comment_create(S, &w2, NULL, 0, false, NULL) == 0);
	CHECK(store_response_counts(S, wid, 0, &rc) == 0 && rc.work_comments == 5);
	CHECK(store_chapter_delete(S, wid, ch2) == 0);
	CHECK(store_response_counts(S, wid, 0, &rc) == 0 && rc.work_comments == 4);

	CHECK(uses_index("SELECT id FROM comments WHERE work_id = 1 AND chapter_id IS nullif(2, 0)"
	                 " AND parent_id IS NULL AND id > 0 ORDER BY id LIMIT 21"));
	CHECK(uses_index("SELECT id FROM comments WHERE work_id = 1 AND chapter_id IS nullif(2, 0)"
	                 " AND root_id > 0 AND root_id <= 9 ORDER BY root_id, id LIMIT 2000"));
	CHECK(uses_index("SELECT id FROM inbox WHERE user_id = 1 AND read = 0 AND id < 99 ORDER BY id DESC LIMIT 20"));
	CHECK(uses_index("SELECT id FROM inbox WHERE user_id = 1 AND id < 99 ORDER BY id DESC LIMIT 20"));
}

static void test_kudos(void)
{
	int64_t author = new_user("kauthor"), reader = new_user("kreader"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	int calls = feed_calls;
	CHECK(store_kudos_add(S, wid, 0, reader, NULL) == 0);
	CHECK(feed_calls == calls); /* kudos empty no cached page */
	CHECK(store_kudos_add(S, wid, 0, reader, NULL) == Q_EEXIST);
	CHECK(store_kudos_add(S, wid, ch1, reader, NULL) == 0);
	CHECK(store_kudos_add(S, wid, 0, 0, "guesthash1") == 0);
	CHECK(store_kudos_add(S, wid, 0, 0, "guesthash1") == Q_EEXIST);
	CHECK(store_kudos_add(S, wid, 0, 0, NULL) == Q_EINVAL);
	struct response_counts rc;
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0);
	CHECK(rc.work_kudos == 2 && rc.work_kudos_guests == 1 && rc.chapter_kudos == 1 && rc.chapter_kudos_guests == 0);
	const char **names;
	size_t n;
	CHECK(store_kudos_names(S, A, wid, 0, 10, &names, &n) == 0 && n == 1);
	CHECK_STR(n ? names[0] : NULL, "kreader");
	CHECK(fixture_sql(url, "SELECT count(*) FROM kudos WHERE guest_hash = 'guesthash1'") == 1);
	CHECK(uses_index("SELECT u.name FROM kudos k JOIN users u ON u.id = k.user_id WHERE k.work_id = 1"
	                 " AND k.chapter_id IS nullif(0, 0) AND k.user_id IS NOT NULL ORDER BY k.id DESC LIMIT 3"));
}

static void test_bookmarks_and_history(void)
{
	int64_t author = new_user("bauthor"), reader = new_user("breader"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	struct bookmark b;
	memset(&b, 0, sizeof b);
	b.user_id = reader;
	b.work_id = wid;
	b.notes = (struct text){"loved it", "<p>loved it</p>"};
	b.tags = "comfort, reread";
	b.rec = true;
	int64_t bid;
	CHECK(store_bookmark_create(S, &b, &bid) == 0);
	CHECK(store_bookmark_create(S, &b, NULL) == Q_EEXIST);
	struct response_counts rc;
	CHECK(store_response_counts(S, wid, 0, &rc) == 0 && rc.work_bookmarks == 1);
	b.id = bid;
	b.private_ = true;
	CHECK(store_bookmark_update(S, &b) == 0);
	CHECK(store_response_counts(S, wid, 0, &rc) == 0 && rc.work_bookmarks == 0);
	struct bookmark *list;
	size_t n;
	CHECK(store_bookmark_list(S, A, reader, false, 0, 10, &list, &n) == 0 && n == 0);
	CHECK(store_bookmark_list(S, A, reader, true, 0, 10, &list, &n) == 0 && n == 1);
	CHECK(n == 1 && list[0].rec && list[0].private_ && !strcmp(list[0].work_title, "Response"));
	CHECK_STR(n ? list[0].work_creator : NULL, "bauthor");
	b.user_id = author; /* not the owner */
	CHECK(store_bookmark_update(S, &b) == Q_ENOTFOUND);
	CHECK(store_bookmark_delete(S, author, bid) == Q_ENOTFOUND);
	CHECK(store_bookmark_delete(S, reader, bid) == 0);

	struct reading r[2] = {{.user_id = reader, .work_id = wid, .chapter_id = ch2, .read_at = 100, .views = 1},
	                       {.user_id = reader, .work_id = 999999, .chapter_id = 0, .read_at = 100, .views = 1}};
	CHECK(store_readings_record(S, r, 2) == 0); /* the missing work is skipped, not an error */
	CHECK(store_reading_set_later(S, reader, wid, true) == 0);
	struct reading *h;
	CHECK(store_reading_list(S, A, reader, false, 0, 10, &h, &n) == 0 && n == 1);
	CHECK(n == 1 && h[0].chapter_id == ch2 && h[0].chapter_position == 2 && h[0].later && h[0].views == 1);
	CHECK(store_reading_list(S, A, reader, true, 0, 10, &h, &n) == 0 && n == 1);
	CHECK(uses_index("SELECT work_id FROM readings WHERE user_id = 1 AND read_at > 0 AND read_at < 9"
	                 " ORDER BY read_at DESC LIMIT 20"));
	CHECK(uses_index("SELECT id FROM bookmarks WHERE user_id = 1 AND id < 9 ORDER BY id DESC LIMIT 20"));
}

static void test_hits_and_stats(void)
{
	int64_t author = new_user("hauthor"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	int64_t day = (int64_t)time(NULL) / 86400;
	struct hit_count h[] = {{wid, 0, day, 3}, {wid, ch1, day, 2}, {wid, ch2, day, 1}, {999999, 0, day, 5}};
	int calls = feed_calls;
	CHECK(store_hits_add(S, h, 4) == 0);
	CHECK(feed_calls == calls); /* hits empty no cached page */
	int64_t reader = new_user("hreader");
	CHECK(store_subscription_add(S, reader, SUB_WORK, wid, -1, NULL) == 0);
	CHECK(store_kudos_add(S, wid, 0, author, NULL) == 0);
	struct stats_row *rows;
	struct stats_day *days;
	size_t nr, nd;
	CHECK(store_stats_work(S, A, wid, day - 30, &rows, &nr, &days, &nd) == 0);
	CHECK(nr == 3 && rows[0].hits == 3 && rows[0].kudos == 1 && rows[1].hits == 2 && rows[2].position == 2);
	CHECK(nr == 3 && rows[0].subscriptions == 1 && rows[1].subscriptions == 0);
	CHECK(nd == 3 && days[0].day == day);
	int64_t sum = 0;
	for (size_t i = 0; i < nd; i++)
		sum += days[i].chapter_id == 0 ? days[i].hits + days[i].kudos : 0;
	CHECK(sum == 4);
	CHECK(store_stats_user(S, A, author, &rows, &nr) == 0 && nr == 1 && rows[0].hits == 3 &&
	      rows[0].subscriptions == 1);
	CHECK(store_stats_work(S, A, 999999, 0, &rows, &nr, &days, &nd) == Q_ENOTFOUND);
}

/* Many threads writing at once: every write commits, and batches share transactions. */
struct writer {
	int64_t work, chapter, user;
	int ok;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	for (int i = 0; i < 50; i++) {
		struct comment c;
		memset(&c, 0, sizeof c);
		c.work_id = w->work;
		c.chapter_id = w->chapter;
		c.user_id = w->user;
		c.body = (struct text){"many", "<p>many</p>"};
		if (store_comment_create(S, &c, NULL, 0, false, NULL) == 0)
			w->ok++;
	}
	return NULL;
}

static void test_group_commit(void)
{
	int64_t author = new_user("gauthor"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	pthread_t t[8];
	struct writer w[8];
	for (int i = 0; i < 8; i++) {
		w[i] = (struct writer){wid, ch1, author, 0};
		pthread_create(&t[i], NULL, write_many, &w[i]);
	}
	int ok = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += w[i].ok;
	}
	CHECK(ok == 400);
	struct response_counts rc;
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.chapter_comments == 400);
	/* A failing write in a batch undoes only itself. */
	struct comment bad;
	memset(&bad, 0, sizeof bad);
	bad.work_id = 999999;
	bad.body = (struct text){"x", "x"};
	CHECK(store_comment_create(S, &bad, NULL, 0, false, NULL) == Q_ENOTFOUND);
}

/* One inbox for everything: mail's triggers write subscription news into the same table, counted unread
 * with comments and marked read with them. */
static void test_inbox_all_kinds(void)
{
	int64_t author = new_user("iauthor"), reader = new_user("ireader"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	CHECK(store_subscription_add(S, reader, SUB_WORK, wid, 0, NULL) == 0);
	struct comment c = text_comment(wid, ch1, 0, author, "from the author");
	int64_t top;
	CHECK(store_comment_create(S, &c, NULL, 0, false, &top) == 0);
	struct comment r = text_comment(wid, ch1, top, reader, "a reply");
	int64_t notify[] = {author};
	CHECK(store_comment_create(S, &r, notify, 1, true, NULL) == 0);
	struct chapter ch;
	memset(&ch, 0, sizeof ch);
	ch.work_id = wid;
	ch.title = "Three";
	ch.summary = ch.notes = ch.end_notes = (struct text){"", ""};
	ch.content = "text";
	ch.content_html = "<p>text</p>";
	ch.published_at = ch.updated_at = (int64_t)time(NULL);
	int64_t ch3;
	CHECK(store_chapter_create(S, &ch, &ch3) == 0); /* notify_new_chapter: the reader hears of it */
	int64_t n = 0;
	CHECK(store_inbox_unread(S, reader, &n) == 0 && n == 1);
	CHECK(store_inbox_unread(S, author, &n) == 0 && n == 1);
	struct inbox_item *items;
	size_t ni;
	CHECK(store_inbox_list(S, A, reader, true, 0, 10, &items, &ni) == 0 && ni == 1);
	CHECK(ni == 1 && items[0].kind == INBOX_NEW_CHAPTER && items[0].work_id == wid && items[0].chapter_id == ch3 &&
	      items[0].chapter_position == 3 && items[0].comment.id == 0);
	CHECK_STR(ni == 1 ? items[0].actor_name : NULL, "iauthor");
	CHECK_STR(ni == 1 ? items[0].work_title : NULL, "Response");
	CHECK(store_inbox_list(S, A, author, false, 0, 10, &items, &ni) == 0 && ni == 1 && items[0].kind == INBOX_COMMENT);
	/* The session row brings the count along (the header shows it on every page). */
	struct user su;
	CHECK(store_session_create(S, "ireader-session", reader, (int64_t)time(NULL) + 3600) == 0);
	CHECK(store_session_user(S, A, "ireader-session", (int64_t)time(NULL), &su) == 0 && su.inbox_unread == 1);
	CHECK(store_inbox_mark_all(S, reader) == 0);
	CHECK(store_inbox_unread(S, reader, &n) == 0 && n == 0);
	CHECK(fixture_sql(url, "SELECT inbox_unread FROM users WHERE name = 'ireader'") == 0);
	CHECK(store_session_user(S, A, "ireader-session", (int64_t)time(NULL), &su) == 0 && su.inbox_unread == 0);
	/* The work goes, its comments' messages with it; the notification stays, marked as gone. */
	CHECK(store_work_delete(S, wid) == 0);
	CHECK(store_inbox_unread(S, author, &n) == 0 && n == 0);
	CHECK(store_inbox_list(S, A, reader, false, 0, 10, &items, &ni) == 0 && ni == 1);
	CHECK(ni == 1 && items[0].work_title == NULL && items[0].body && *items[0].body);
	CHECK(uses_index("SELECT id FROM inbox WHERE comment_id = 5"));
}

/* Response writes inside a workflow transaction join it (no wait for a batch: the thread holds the write
 * lock), commit or roll back with it, and other threads' group writes wait for it, then land. */
static void *kudos_later(void *arg)
{
	int64_t *ids = arg; /* work, user; result in ids[2] */
	ids[2] = store_kudos_add(S, ids[0], 0, ids[1], NULL);
	return NULL;
}

static void test_group_commit_in_tx(void)
{
	int64_t author = new_user("tauthor"), reader = new_user("treader"), other = new_user("tother"), ch1, ch2;
	int64_t wid = new_work(author, &ch1, &ch2);
	struct response_counts rc;
	CHECK(store_tx_begin(S) == 0);
	CHECK(store_kudos_add(S, wid, 0, reader, NULL) == 0);
	struct comment c = text_comment(wid, ch1, 0, reader, "in a workflow");
	CHECK(store_comment_create(S, &c, NULL, 0, false, NULL) == 0);
	store_tx_rollback(S);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.work_kudos == 0 && rc.work_comments == 0);

	int64_t ids[3] = {wid, other, -1};
	pthread_t t;
	CHECK(store_tx_begin(S) == 0);
	pthread_create(&t, NULL, kudos_later, ids); /* waits for our transaction */
	CHECK(store_kudos_add(S, wid, 0, reader, NULL) == 0);
	CHECK(store_comment_create(S, &c, NULL, 0, false, NULL) == 0);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.work_kudos == 1); /* reads its own writes */
	CHECK(store_tx_commit(S) == 0);
	pthread_join(t, NULL);
	CHECK(ids[2] == 0);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.work_kudos == 2 && rc.work_comments == 1);

	/* A refused response write fails the transaction like any write (store.h). */
	CHECK(store_tx_begin(S) == 0);
	CHECK(store_comment_create(S, &c, NULL, 0, false, NULL) == 0);
	CHECK(store_kudos_add(S, wid, 0, reader, NULL) == Q_EEXIST);
	CHECK(store_tx_commit(S) == Q_EEXIST);
	CHECK(store_response_counts(S, wid, ch1, &rc) == 0 && rc.work_comments == 1);
}

static void test_response_version(void)
{
	int64_t t = store_response_clock(), v0 = store_response_version(S, 424242, t);
	CHECK(store_response_version(S, -1, t) == 0);
	/* The first write after a quiet spell shows at once... */
	int64_t any0 = store_response_version(S, 0, t);
	store_response_changed(S, 424242);
	int64_t v1 = store_response_version(S, 424242, t);
	CHECK(v1 != v0 && v1 >= t);
	/* (Work 0, any work's, which listings ordered by counts keep, moves with it by the same rule: at once,
	 * or STORE_RESPONSE_FRESH seconds on when earlier writes of this test just moved it.) */
	int64_t any1 = store_response_version(S, 0, t + STORE_RESPONSE_FRESH_US);
	CHECK(any1 > any0 && any1 >= t);
	/* ...later ones wait, however many, until STORE_RESPONSE_FRESH seconds after the last change, */
	uint64_t seq = store_response_seq(S, 424242);
	store_response_changed(S, 424242);
	store_response_changed(S, 424242);
	CHECK(store_response_seq(S, 424242) == seq + 2); /* while the sequence moves with every write */
	CHECK(store_response_version(S, 424242, v1 + STORE_RESPONSE_FRESH_US - 1) == v1);
	/* and then the version moves once. */
	int64_t v2 = store_response_version(S, 424242, v1 + STORE_RESPONSE_FRESH_US);
	CHECK(v2 == v1 + STORE_RESPONSE_FRESH_US);
	CHECK(store_response_version(S, 424242, v1 + 9 * STORE_RESPONSE_FRESH_US) == v2); /* nothing new since */
	/* A work nobody wrote keeps its version (unless it shares a cell: then it moves, never later). */
	int64_t other = store_response_version(S, 424243, t);
	CHECK(other == 0 || other == v2 || other == v1 || other >= t);
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
	url = fixture_store_url(url_buf, sizeof url_buf, dir);
	printf("store response tests on %s\n", url);
	A = arena_new();
	CHECK(store_open(&S, url, err, sizeof err) == 0);
	if (!S) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		return CHECK_DONE();
	}
	if (fixture_is_pg(url))
		pgs_plan_trace = fixture_plan_trace;
	store_subscribe(S, on_change, NULL);
	test_comments();
	test_kudos();
	test_bookmarks_and_history();
	test_hits_and_stats();
	test_group_commit();
	test_inbox_all_kinds();
	test_group_commit_in_tx();
	test_response_version();
	pgs_plan_trace = NULL;
	CHECK(!fixture_scans[0]);
	if (fixture_scans[0])
		fprintf(stderr, "statements that scan a table:\n%s", fixture_scans);
	store_close(S);
	arena_free(A);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
