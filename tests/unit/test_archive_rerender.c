/* Unit tests for rendering stored texts again: rows an older sanitizer rendered get the current rules' HTML
 * from their sources (per field, as when written), word counts follow, and an edit made meanwhile wins. */
#include "check.h"
#include "store_fixture.h"
#include "archive/account.h"
#include "archive/chapter.h"
#include "archive/rerender.h"
#include "archive/work.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/jobs.h"
#include "core/log.h"
#include "html/sanitize.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-rerender-XXXXXX";
static char path[256];
static struct store *S;
static struct arena *A;

#define PASSWORD "correct horse battery"
/* Hard-wrapped paragraphs, a class and a rule: what the rules of version 2 render differently. */
#define CONTENT "<p class=\"intro\">It was late when the call came,\nand Olivia answered.</p>\n<hr width=\"50%\">\n" \
	"Three blank lines follow\n\n\n\nand then the end."

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sql(const char *fmt, ...)
{
	char statement[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(statement, sizeof statement, fmt, ap);
	va_end(ap);
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	sqls_functions_register(db); /* the search index's triggers call them */
	char *err = NULL;
	if (sqlite3_exec(db, statement, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", statement, err);
		CHECK(0);
	}
	sqlite3_free(err);
	sqlite3_close(db);
}

static struct strlist list1(const char *s)
{
	struct strlist l = {arena_calloc(A, 2, sizeof(char *)), 1};
	l.items[0] = s;
	return l;
}

static struct user author;

static int64_t post(int64_t *chapter_id)
{
	struct work_input in = {.title = "Scene Breaks", .rating = "General Audiences",
	                        .summary = "<p class=\"s\">A summary</p>", .notes = "<p class=\"note\">Notes\nhere</p>"};
	in.tags[TAG_WARNING] = list1("No Archive Warnings Apply");
	in.tags[TAG_FANDOM] = list1("Original Work");
	struct chapter_input c = {.content = CONTENT, .format = "html", .end_notes = "end\nnotes"};
	struct field_errors e = {0};
	struct archive_result r;
	CHECK(archive_work_post(S, A, &author, &in, &c, false, &r, &e) == 0);
	*chapter_id = r.chapter.id;
	return r.work.id;
}

static void test_old_renderings_are_replaced(void)
{
	int64_t cid, wid = post(&cid);
	struct chapter fresh;
	CHECK(store_chapter_get(S, A, wid, cid, &fresh) == 0);
	struct work wfresh;
	CHECK(store_work_get(S, A, wid, &wfresh) == 0);
	CHECK(fresh.sanitizer_version == SANITIZER_VERSION);
	CHECK_CONTAINS(fresh.content_html, "<p>&nbsp;</p>");
	CHECK_CONTAINS(fresh.content_html, "<p class=\"intro\">It was late when the call came,\nand Olivia answered.</p>");
	CHECK_NOT_CONTAINS(wfresh.summary.html, "class="); /* summaries keep no class (AO3) */
	CHECK_CONTAINS(wfresh.notes.html, "class=\"note\"");
	struct comment cm = {.work_id = wid, .chapter_id = cid, .user_id = author.id,
	                     .body = {"<b class=\"xy\">Loved</b> it\n\n\nMore!", "<p class=\"xy\">Loved it</p>"},
	                     .sanitizer_version = 1};
	int64_t comment_id;
	CHECK(store_comment_create(S, &cm, NULL, 0, false, &comment_id) == 0);

	/* As a version-1 sanitizer left them. */
	sql("UPDATE chapters SET content_html = '<p>old</p>', summary_html = 'old', notes_html = 'old',"
	    " end_notes_html = 'old', word_count = 1, sanitizer_version = 1");
	sql("UPDATE works SET summary_html = 'old', notes_html = 'old', end_notes_html = 'old', word_count = 1,"
	    " sanitizer_version = 1");
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM chapters WHERE sanitizer_version < 2") == 1);

	/* Batches until none is left; the second finds nothing. */
	int n = archive_rerender_batch(S, 2);
	CHECK(n == 2);
	CHECK(archive_rerender_batch(S, 10) == 1);
	CHECK(archive_rerender_batch(S, 10) == 0);

	struct chapter ch;
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0);
	CHECK_STR(ch.content_html, fresh.content_html);
	CHECK_STR(ch.end_notes.html, fresh.end_notes.html);
	CHECK(ch.sanitizer_version == SANITIZER_VERSION);
	CHECK(ch.word_count == fresh.word_count);
	CHECK(ch.updated_at == fresh.updated_at); /* not an update by the writer */
	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK_STR(w.summary.html, wfresh.summary.html);
	CHECK_STR(w.notes.html, wfresh.notes.html);
	CHECK(w.sanitizer_version == SANITIZER_VERSION);
	CHECK(w.word_count == fresh.word_count);
	struct comment got;
	CHECK(store_comment_get(S, A, comment_id, &got) == 0);
	CHECK_STR(got.body.html, "<p><b>Loved</b> it</p>\n<p>&nbsp;</p>\n<p>More!</p>");
	CHECK(got.sanitizer_version == SANITIZER_VERSION);
	/* The search index follows the new text. */
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM search_chapters WHERE search_chapters MATCH 'olivia'") == 1);
}

/* A writer's edit between reading a stale text and storing its new rendering wins. */
static void test_edit_meanwhile_wins(void)
{
	int64_t cid, wid = post(&cid);
	sql("UPDATE chapters SET content_html = 'old', sanitizer_version = 1 WHERE id = %lld", (long long)cid);
	struct stale_text *list;
	size_t n;
	CHECK(store_stale_texts(S, A, SANITIZER_VERSION, 10, &list, &n) == 0);
	CHECK(n == 1 && list[0].kind == STALE_CHAPTER && list[0].id == cid && list[0].version == 1);
	CHECK_STR(list[0].format, "html");
	CHECK_STR(list[0].text[0].src, CONTENT);

	struct chapter_input c = {.content = "The edited chapter, long enough.", .format = "text"};
	struct field_errors e = {0};
	struct archive_result r;
	CHECK(archive_chapter_edit(S, A, &author, wid, cid, &c, false, &r, &e) == 0);
	list[0].text[0].html = "<p>stale rendering</p>";
	CHECK(store_stale_text_save(S, &list[0], SANITIZER_VERSION) == Q_ENOTFOUND);
	struct chapter ch;
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0);
	CHECK_STR(ch.content_html, "<p>The edited chapter, long enough.</p>");
	/* An edit that kept the old version but changed the source (an older server) wins too. */
	sql("UPDATE chapters SET sanitizer_version = 1 WHERE id = %lld", (long long)cid);
	CHECK(store_stale_texts(S, A, SANITIZER_VERSION, 10, &list, &n) == 0);
	sql("UPDATE chapters SET content = 'changed behind its back' WHERE id = %lld", (long long)cid);
	list[0].text[0].html = "<p>stale rendering</p>";
	CHECK(store_stale_text_save(S, &list[0], SANITIZER_VERSION) == Q_ENOTFOUND);
	CHECK(archive_rerender_batch(S, 10) == 1);
	CHECK(archive_rerender_batch(S, 10) == 0);
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0);
	CHECK_STR(ch.content_html, "<p>changed behind its back</p>");
}

/* The job "rerender" on a runner of its own, started (stop it with jobs_stop). */
static struct jobs *start_job(const char *rules)
{
	struct jobs *j = jobs_new();
	CHECK(archive_rerender_jobs_add(S, j, rules) == 0);
	CHECK(jobs_start(j) == 0);
	return j;
}

/* The job renders everything, then idles; stopping it after is fine. */
static void test_thread(void)
{
	sql("UPDATE chapters SET sanitizer_version = 0; UPDATE works SET sanitizer_version = 0;"
	    " UPDATE comments SET sanitizer_version = 0");
	struct jobs *r = start_job("test rules");
	for (int i = 0; i < 500 && fixture_scalar(path, "SELECT (SELECT COUNT(*) FROM chapters WHERE sanitizer_version < 2)"
	                                                 " + (SELECT COUNT(*) FROM works WHERE sanitizer_version < 2)"
	                                                 " + (SELECT COUNT(*) FROM comments WHERE sanitizer_version < 2)");
	     i++)
		usleep(20000);
	jobs_stop(r);
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM chapters WHERE sanitizer_version = 2") == 2);
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM comments WHERE sanitizer_version = 2") == 1);
}

/* When the site's media hosts or address change, chapters with images or players are rendered again even
 * though their version is current; other texts are not. */
static void test_site_rules_change(void)
{
	struct work_input in = {.title = "Pictures", .rating = "General Audiences"};
	in.tags[TAG_WARNING] = list1("No Archive Warnings Apply");
	in.tags[TAG_FANDOM] = list1("Original Work");
	struct chapter_input c = {.content = "<p><img src=\"lamp.png\" alt=\"lamp\"> A lamp, long enough.</p>", .format = "html"};
	struct field_errors e = {0};
	struct archive_result r;
	CHECK(archive_work_post(S, A, &author, &in, &c, false, &r, &e) == 0);
	/* The thread marks what new rules affect, then notes the rules, then renders. */
	const char *noted = "SELECT COUNT(*) FROM settings WHERE key = 'sanitizer_site_rules' AND length(value) = 32"
	                    " AND value <> (SELECT value FROM settings WHERE key = 'test_rules_before')";
	sql("INSERT INTO settings(key, value) SELECT 'test_rules_before', value FROM settings"
	    " WHERE key = 'sanitizer_site_rules'");
	const char *stale = "SELECT COUNT(*) FROM chapters WHERE sanitizer_version < 2";
	struct jobs *rr = start_job("rules one");
	for (int i = 0; i < 500 && fixture_scalar(path, noted) != 1; i++)
		usleep(20000);
	for (int i = 0; i < 500 && fixture_scalar(path, stale) != 0; i++)
		usleep(20000);
	jobs_stop(rr);
	CHECK(fixture_scalar(path, noted) == 1 && fixture_scalar(path, stale) == 0);
	sql("UPDATE chapters SET content_html = 'stale' WHERE id = %lld", (long long)r.chapter.id);
	sql("UPDATE chapters SET end_notes_html = 'kept' WHERE id <> %lld", (long long)r.chapter.id);
	/* The same rules again: nothing is stale, whenever the thread is stopped. */
	jobs_stop(start_job("rules one"));
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM chapters WHERE content_html = 'stale'") == 1);
	rr = start_job("rules two");
	for (int i = 0; i < 500 && fixture_scalar(path, "SELECT COUNT(*) FROM chapters WHERE content_html = 'stale'"
	                                                  " OR sanitizer_version < 2"); i++)
		usleep(20000);
	jobs_stop(rr);
	struct chapter ch;
	CHECK(store_chapter_get(S, A, r.work.id, r.chapter.id, &ch) == 0);
	CHECK_STR(ch.content_html, r.chapter.content_html);
	CHECK(ch.sanitizer_version == SANITIZER_VERSION);
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM chapters WHERE end_notes_html = 'kept'") >= 1);
}

int main(void)
{
	log_set_quiet(1);
	password_set_cost(PASSWORD_COST_MIN);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/quire.db", dir);
	if (store_open_sqlite(&S, path) != 0)
		return 1;
	A = arena_new();
	struct field_errors e = {0};
	int64_t id = 0;
	CHECK(archive_account_signup(S, A, "scene_writer", "scene@example.org", PASSWORD, PASSWORD, "user", &id, &e) == 0);
	CHECK(store_user_get(S, A, id, &author) == 0);
	test_old_renderings_are_replaced();
	test_edit_meanwhile_wins();
	test_thread();
	test_site_rules_change();
	arena_free(A);
	store_close(S);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
