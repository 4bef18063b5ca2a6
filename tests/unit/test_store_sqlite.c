/* Tests only the SQLite backend has: store_open's sqlite: URLs, rows left in its tables, its schema and migrations. */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/sqlite/int.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-store-sqlite-XXXXXX";
static char path[256];
static struct store *S;
static struct arena *A;

static const char *in_dir(const char *name)
{
	return arena_printf(A, "%s/%s", dir, name);
}

static int64_t count_rows(const char *sql)
{
	return fixture_scalar(path, sql);
}

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "h", NULL, &id) == 0);
	return id;
}

/* A work with one chapter, optionally a freeform tag, a series and a co-creator. */
static int64_t post(const char *title, int64_t owner, const char *tag, const char *series, int64_t co, int *rc)
{
	struct creator cr = {.user_id = co};
	struct work w = {.title = title, .language = "English", .series_title = series};
	if (tag)
		w.tags[TAG_FREEFORM] = (struct strlist){&tag, 1};
	if (co) {
		w.creators = &cr;
		w.ncreators = 1;
	}
	struct chapter c = {.title = "", .content = "x", .content_html = "<p>x</p>", .word_count = 1};
	int64_t id = 0;
	int r = store_work_create(S, &w, &c, owner, &id, NULL);
	if (rc)
		*rc = r;
	else
		CHECK(r == 0);
	return id;
}

/* ---- store_open with sqlite: URLs ------------------------------------------------------- */

static void test_open_urls(void)
{
	struct store *st = (struct store *)1;
	char err[512];
	struct stat sb;

	const char *a = in_dir("a.db");
	CHECK(store_open(&st, arena_printf(A, "sqlite:%s", a), err, sizeof err) == 0);
	CHECK(st != NULL && strcmp(store_backend_name(st), "sqlite") == 0);
	/* One server's file: shares nothing, hears nobody else; batches response writes; copies itself live. */
	CHECK(store_has(st, STORE_CAP_GROUP_COMMIT) && store_has(st, STORE_CAP_BACKUP_FILE));
	CHECK(!store_has(st, STORE_CAP_SHARED) && !store_has(st, STORE_CAP_NOTIFY));
	CHECK(!store_has(st, STORE_CAP_SKIP_LOCKED) && !store_has(st, STORE_CAP_READ_REPLICA));
	store_close(st);
	CHECK(stat(a, &sb) == 0);
	CHECK(fixture_scalar(a, "SELECT COUNT(*) FROM users WHERE name = 'orphan_account'") == 1);

	/* A bare path, and a scheme in capitals. */
	const char *b = in_dir("b.db");
	CHECK(store_open(&st, b, err, sizeof err) == 0);
	store_close(st);
	CHECK(stat(b, &sb) == 0);
	CHECK(store_open(&st, arena_printf(A, "SQLite:%s", in_dir("c.db")), err, sizeof err) == 0);
	store_close(st);

	/* What cannot be opened says why, and leaves *out NULL. */
	st = (struct store *)1;
	CHECK(store_open(&st, "postgres://127.0.0.1:1/quire", err, sizeof err) == Q_ERR); /* nothing listens there */
	CHECK(st == NULL);
	CHECK_CONTAINS(err, "cannot connect to the PostgreSQL database");
	CHECK(store_open(&st, "postgresql://[bad", err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "PostgreSQL");
	CHECK(store_open(&st, "mysql://localhost/quire", err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "unknown store");
	CHECK(store_open(&st, "", err, sizeof err) == Q_EINVAL);
	CHECK(store_open(&st, NULL, err, sizeof err) == Q_EINVAL);
	CHECK(store_open(&st, "sqlite:", err, sizeof err) == Q_EINVAL);
	CHECK(store_open(&st, "sqlite:/nonexistent-dir/quire/x.db", err, sizeof err) == Q_ERR);
	CHECK(st == NULL);
	CHECK_CONTAINS(err, "cannot open");
	CHECK_CONTAINS(err, "/nonexistent-dir/quire/x.db");

	/* A database from a newer program. */
	sqlite3 *db;
	CHECK(sqlite3_open(b, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "PRAGMA user_version = 9999", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	CHECK(store_open(&st, b, err, sizeof err) == Q_ERR);
	CHECK_CONTAINS(err, "newer");
}

/* ---- Rows the API cannot show ------------------------------------------------------------ */

/* Expired sessions are swept when someone logs in. */
static void test_sessions_swept(void)
{
	int64_t uid = new_user("sweeper"), now = time(NULL);
	CHECK(store_session_create(S, "hash-old", uid, now - 10) == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM sessions WHERE token_hash = 'hash-old'") == 1);
	CHECK(store_session_create(S, "hash-new", uid, now + 10) == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM sessions WHERE token_hash = 'hash-old'") == 0);
}

/* A failed create leaves nothing behind: not the work, its tags, its series nor its chapter. */
static void test_failed_create_leaves_nothing(void)
{
	int64_t owner = new_user("atomic");
	int64_t works = count_rows("SELECT COUNT(*) FROM works");
	int64_t chapters = count_rows("SELECT COUNT(*) FROM chapters");
	int rc = 0;
	post("Doomed", owner, "Unique Doomed Tag", "Doomed Series", 987654, &rc);
	CHECK(rc == Q_ENOTFOUND);
	CHECK(count_rows("SELECT COUNT(*) FROM works") == works);
	CHECK(count_rows("SELECT COUNT(*) FROM chapters") == chapters);
	CHECK(count_rows("SELECT COUNT(*) FROM tags WHERE name = 'Unique Doomed Tag'") == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM series WHERE title = 'Doomed Series'") == 0);
}

/* Tags are shared and stay; series go when their last work leaves; chapters go with their work. */
static void test_cascades(void)
{
	int64_t owner = new_user("cascader");
	int64_t w1 = post("Gone", owner, "Stays", "Lonely", 0, NULL);
	post("Other", owner, "stays", NULL, 0, NULL);
	CHECK(count_rows("SELECT COUNT(*) FROM tags WHERE name = 'Stays'") == 1);

	struct work w;
	CHECK(store_work_get(S, A, w1, &w) == 0);
	w.series_title = "Elsewhere";
	CHECK(store_work_update(S, &w) == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM series WHERE title = 'Lonely'") == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM series WHERE title = 'Elsewhere'") == 1);

	CHECK(store_work_delete(S, w1) == 0);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM chapters WHERE work_id = %lld", (long long)w1);
	CHECK(count_rows(sql) == 0);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM work_tags WHERE work_id = %lld", (long long)w1);
	CHECK(count_rows(sql) == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM series WHERE title = 'Elsewhere'") == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM tags WHERE name = 'Stays'") == 1);

	/* A user deleted with their works takes the works' chapters and series along. */
	int64_t goner = new_user("cascade-goner");
	int64_t gw = post("Goner's", goner, NULL, "Goner Series", 0, NULL);
	CHECK(store_session_create(S, "goner-session", goner, time(NULL) + 100) == 0);
	CHECK(store_user_delete(S, goner, false) == 0);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM chapters WHERE work_id = %lld", (long long)gw);
	CHECK(count_rows(sql) == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM series WHERE title = 'Goner Series'") == 0);
	CHECK(count_rows("SELECT COUNT(*) FROM sessions WHERE token_hash = 'goner-session'") == 0);
}

/* ---- Migrations ------------------------------------------------------------------------- */

/* A database as the first schema left it, filled with raw SQL: the test's own fixture. Work 3
 * was deleted, so the largest ids are below those once handed out. */
static const char *const v1_fixture =
	"INSERT INTO users(id, name, email, pwhash, role, created_at) VALUES"
	" (2, 'alice', 'alice@example.org', 'h', 'admin', 100),"
	" (3, 'bob', 'bob@example.org', 'h', 'user', 100),"
	" (4, 'carol', 'carol@example.org', 'h', 'user', 100);"
	"INSERT INTO sessions(token_hash, user_id, expires_at, created_at) VALUES"
	" ('bob-session', 3, 9999999999, 100), ('alice-session', 2, 9999999999, 100);"
	"INSERT INTO api_tokens(id, user_id, token_hash, name, created_at) VALUES (1, 2, 'alice-token', 'cli', 100);"
	"INSERT INTO works(id, title, language, expected_chapters, updated_at, created_at, published_at, word_count)"
	" VALUES (1, 'First', 'English', 2, 200, 100, 100, 30), (2, 'Second', 'English', 1, 150, 100, 100, 5);"
	"INSERT INTO tags(id, type, name) VALUES (1, 3, 'Fandom A'), (2, 6, 'Fluff');"
	"INSERT INTO work_tags(work_id, tag_id, position) VALUES (1, 1, 0), (1, 2, 0), (2, 1, 0);"
	"INSERT INTO work_creators(work_id, user_id, position, accepted) VALUES"
	" (1, 2, 0, 1), (1, 3, 1, 0), (2, 2, 0, 1);"
	"INSERT INTO series(id, owner_id, title) VALUES (1, 2, 'Saga');"
	"INSERT INTO work_series(work_id, series_id, position) VALUES (1, 1, 1), (2, 1, 2);"
	"INSERT INTO chapters(id, work_id, position, title, content, content_html, word_count, updated_at,"
	" published_at) VALUES"
	" (1, 1, 1, 'One', 'a', '<p>a</p>', 10, 100, 100),"
	" (2, 1, 2, 'Two', 'b', '<p>b</p>', 20, 200, 200),"
	" (4, 2, 1, '', 'c', '<p>c</p>', 5, 150, 150);";

/* Builds path at schema version 1 with the fixture; 0 on success. */
static int build_v1(const char *db_path)
{
	sqlite3 *db;
	char err[512];
	int rc = -1;
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return -1;
	if (sqls_migrate_to(db, 1, err, sizeof err) == 0
	    && sqlite3_exec(db, v1_fixture, NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
	sqlite3_close(db);
	return rc;
}

static bool table_sql_has(const char *db_path, const char *table, const char *needle)
{
	char *sql = arena_printf(A, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'"
	                         " AND sql LIKE '%%%s%%'", table, needle);
	return fixture_scalar(db_path, sql) == 1;
}

static void test_migration_from_v1(void)
{
	const char *mpath = in_dir("v1.db");
	struct store *st = NULL;
	struct work w;
	struct user u;
	struct chapter *list;
	size_t n;
	CHECK(build_v1(mpath) == 0);
	CHECK(fixture_scalar(mpath, "PRAGMA user_version") == 1);
	CHECK(!table_sql_has(mpath, "works", "AUTOINCREMENT"));

	CHECK(store_open_sqlite(&st, mpath) == 0);
	if (!st)
		return;
	CHECK(fixture_scalar(mpath, "PRAGMA user_version") >= 2);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
	const char *rebuilt[] = {"users", "api_tokens", "works", "series", "chapters"};
	for (size_t i = 0; i < sizeof rebuilt / sizeof rebuilt[0]; i++)
		CHECK(table_sql_has(mpath, rebuilt[i], "AUTOINCREMENT"));
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'new_%'") == 0);
	/* Every index is back, by name. */
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN"
	                     " ('works_updated', 'chapters_work', 'api_tokens_user', 'sessions_user',"
	                     " 'sessions_expires', 'work_tags_tag', 'work_creators_user', 'work_series_series')")
	      == 8);

	/* Everything reads as before. */
	CHECK(store_work_get(st, A, 1, &w) == 0);
	CHECK_STR(w.title, "First");
	CHECK(w.chapter_count == 2 && w.word_count == 30);
	CHECK(w.tags[TAG_FANDOM].n == 1 && w.tags[TAG_FREEFORM].n == 1);
	CHECK(w.ncreators == 2 && w.creators[0].user_id == 2 && w.creators[1].user_id == 3 && !w.creators[1].accepted);
	CHECK(w.series_id == 1 && w.series_position == 1);
	CHECK_STR(w.series_title, "Saga");
	CHECK(store_chapter_list(st, A, 1, true, &list, &n) == 0 && n == 2 && list[1].id == 2);
	CHECK(n == 2 && strcmp(list[1].content_html, "<p>b</p>") == 0);
	CHECK(store_session_user(st, A, "bob-session", time(NULL), &u) == 0 && u.id == 3);
	CHECK(store_token_user(st, A, "alice-token", &u) == 0 && u.id == 2);
	CHECK(store_user_get_by_name(st, A, "orphan_account", &u) == 0 && u.id == 1);
	/* The search index holds every chapter with its work's title, tags and accepted creators (7). */
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM search_chapters") == 3);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM search_chapters WHERE search_chapters MATCH"
	                            " 'work : (first AND fluff AND alice)'") == 2);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM search_chapters WHERE search_chapters MATCH 'work : bob'") == 0);

	/* New rows come after the largest id present. */
	int64_t wid = 0, cid = 0, uid = 0;
	struct work nw = {.title = "Third", .language = "English"};
	struct chapter c = {.title = "", .content = "d", .content_html = "<p>d</p>", .word_count = 1};
	CHECK(store_work_create(st, &nw, &c, 4, &wid, &cid) == 0);
	CHECK(wid == 3 && cid == 5);
	CHECK(store_user_create(st, "dave", "dave@example.org", "h", NULL, &uid) == 0 && uid == 5);
	CHECK(store_work_delete(st, wid) == 0);
	CHECK(store_work_create(st, &nw, &c, 4, &wid, &cid) == 0);
	CHECK(wid == 4 && cid == 6);

	/* The foreign keys still cascade: alice leaves with her works. */
	CHECK(store_user_delete(st, 2, false) == 0);
	CHECK(store_work_get(st, A, 1, &w) == Q_ENOTFOUND);
	CHECK(store_token_user(st, A, "alice-token", &u) == Q_ENOTFOUND);
	CHECK(store_session_user(st, A, "alice-session", time(NULL), &u) == Q_ENOTFOUND);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM chapters WHERE work_id IN (1, 2)") == 0);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM series") == 0);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM work_creators WHERE user_id = 3") == 0);
	CHECK(fixture_scalar(mpath, "SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
	store_close(st);
}

/* Query plans of every statement, joined into one string. */
static char *all_plans(const char *db_path)
{
	sqlite3 *db;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return NULL;
	sqls_functions_register(db); /* statements of the latest schema call them */
	char *out = arena_strndup(A, "", 0);
	for (int i = 0; i < SQL_COUNT; i++) {
		sqlite3_stmt *q;
		char *sql = arena_printf(A, "EXPLAIN QUERY PLAN %s", sqls_sql[i]);
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
			out = arena_printf(A, "%s\n[%d] does not prepare: %s", out, i, sqlite3_errmsg(db));
			continue;
		}
		while (sqlite3_step(q) == SQLITE_ROW)
			out = arena_printf(A, "%s\n[%d] %s", out, i, (const char *)sqlite3_column_text(q, 3));
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return out;
}

/* Rebuilt tables keep their indexes: every statement of the version-1 schema is planned the same way
 * before and after migration 2 (statements that need later columns do not prepare on either); on the
 * latest schema every statement prepares and the listings use their indexes. */
static void test_query_plans_kept(void)
{
	const char *old_path = in_dir("plans-v1.db"), *mid_path = in_dir("plans-v2.db");
	const char *new_path = in_dir("plans-latest.db");
	struct store *st = NULL;
	CHECK(build_v1(old_path) == 0);
	CHECK(build_v1(mid_path) == 0);
	CHECK(build_v1(new_path) == 0);
	sqlite3 *db;
	char err[512];
	CHECK(sqlite3_open(mid_path, &db) == SQLITE_OK);
	CHECK(sqls_migrate_to(db, 2, err, sizeof err) == 0);
	sqlite3_close(db);
	CHECK(store_open_sqlite(&st, new_path) == 0);
	store_close(st);
	char *before = all_plans(old_path), *mid = all_plans(mid_path), *after = all_plans(new_path);
	CHECK(before && mid && after);
	if (before && mid && after) {
		CHECK_STR(mid, before);
		CHECK_NOT_CONTAINS(after, "does not prepare");
		/* The listings and chapter reads use their indexes, not a scan. */
		CHECK_CONTAINS(after, "chapters_work");
		CHECK_CONTAINS(after, "works_updated");
		CHECK_CONTAINS(after, "work_creators_user");
		CHECK_CONTAINS(after, "chapters_sanitizer"); /* texts to render again: no scan of the archive */
		CHECK_CONTAINS(after, "comments_sanitizer");
	}
}

/* After everything above, the file is sound and every reference points at a row. */
static void test_schema_sound(void)
{
	CHECK(count_rows("SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
	sqlite3 *db;
	sqlite3_stmt *q;
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(q) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(q) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
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
	A = arena_new();
	test_open_urls();
	CHECK(store_open_sqlite(&S, path) == 0);
	if (S) {
		test_sessions_swept();
		test_failed_create_leaves_nothing();
		test_cascades();
		store_close(S);
		test_schema_sound();
	}
	test_migration_from_v1();
	test_query_plans_kept();
	arena_free(A);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
