/* Tests only the SQLite backend has: store_open's sqlite: URLs, rows left in its tables, its schema and migrations. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <dirent.h>
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

static void remove_dir(void)
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

/* First column of the first row of sql on the database file db, with a connection of our own;
 * -1 when there is no row or the query fails. */
static int64_t raw_int(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t n = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}

static int64_t count_rows(const char *sql)
{
	return raw_int(path, sql);
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
	CHECK(st != NULL && strcmp(st->ops->name, "sqlite") == 0);
	store_close(st);
	CHECK(stat(a, &sb) == 0);
	CHECK(raw_int(a, "SELECT COUNT(*) FROM users WHERE name = 'orphan_account'") == 1);

	/* A bare path, and a scheme in capitals. */
	const char *b = in_dir("b.db");
	CHECK(store_open(&st, b, err, sizeof err) == 0);
	store_close(st);
	CHECK(stat(b, &sb) == 0);
	CHECK(store_open(&st, arena_printf(A, "SQLite:%s", in_dir("c.db")), err, sizeof err) == 0);
	store_close(st);

	/* What cannot be opened says why, and leaves *out NULL. */
	st = (struct store *)1;
	CHECK(store_open(&st, "postgres://localhost/quire", err, sizeof err) == Q_EINVAL);
	CHECK(st == NULL);
	CHECK_CONTAINS(err, "PostgreSQL support is not built yet");
	CHECK(store_open(&st, "postgresql://localhost/quire", err, sizeof err) == Q_EINVAL);
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
	arena_free(A);
	remove_dir();
	return CHECK_DONE();
}
