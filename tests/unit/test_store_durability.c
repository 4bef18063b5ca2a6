/* Tests for the store's lifecycle: kill -9 and concurrent reads and writes on any backend (QUIRE_TEST_STORE: ctest's
 * unit-pg/test_store_durability runs them on PostgreSQL), and SQLite's own: persistence of its file, migrations,
 * file backups, two files in one process. */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-store-XXXXXX";

static const char *in_dir(struct arena *a, const char *name)
{
	return arena_printf(a, "%s/%s", dir, name);
}

static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static struct work simple_work(const char *title)
{
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = title;
	w.language = "English";
	return w;
}

static struct chapter simple_chapter(int64_t work_id, int64_t words)
{
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.work_id = work_id;
	c.title = "";
	c.content = "words";
	c.content_html = "<p>words</p>";
	c.word_count = words;
	return c;
}

/* ---- Persistence, migrations, backup ---------------------------------------------------- */

static void test_persistence_and_migrations(void)
{
	struct arena *a = arena_new();
	const char *path = in_dir(a, "persist.db");
	struct store *st = NULL;
	int64_t uid = 0, wid = 0;
	struct user u;
	struct work w;

	CHECK(store_open_sqlite(&st, path) == 0);
	if (!st)
		goto done;
	CHECK(store_user_create(st, "keeper", "keeper@example.org", "h", NULL, &uid) == 0);
	struct work nw = simple_work("Kept");
	struct chapter c = simple_chapter(0, 42);
	CHECK(store_work_create(st, &nw, &c, uid, &wid, NULL) == 0);
	store_close(st);
	st = NULL;

	CHECK(fixture_scalar(path, "PRAGMA user_version") >= 1);
	int64_t version = fixture_scalar(path, "PRAGMA user_version");
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM users WHERE name = 'orphan_account'") == 1);

	/* Opening again applies nothing twice and finds everything. */
	CHECK(store_open_sqlite(&st, path) == 0);
	if (!st)
		goto done;
	CHECK(store_user_get(st, a, uid, &u) == 0);
	CHECK_STR(u.name, "keeper");
	CHECK(store_work_get(st, a, wid, &w) == 0 && w.word_count == 42);
	store_close(st);
	st = NULL;
	CHECK(store_open_sqlite(&st, path) == 0);
	store_close(st);
	st = NULL;
	CHECK(fixture_scalar(path, "PRAGMA user_version") == version);
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM users WHERE name = 'orphan_account'") == 1);
	CHECK(fixture_scalar(path, "SELECT COUNT(*) FROM users") == 2);

	/* WAL mode persists in the file. */
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	sqlite3_stmt *q;
	CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(q) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);

	/* A database from a newer program is refused rather than misread. */
	const char *newer = in_dir(a, "newer.db");
	CHECK(store_open_sqlite(&st, newer) == 0);
	store_close(st);
	st = NULL;
	CHECK(raw_exec(newer, "PRAGMA user_version = 9999") == SQLITE_OK);
	CHECK(store_open_sqlite(&st, newer) == Q_ERR);
	CHECK(st == NULL);

	/* Not a database at all. */
	const char *junk = in_dir(a, "junk.db");
	FILE *f = fopen(junk, "w");
	if (f) {
		fputs("this is not an SQLite database, not even close; it is just text in a file", f);
		fclose(f);
	}
	CHECK(store_open_sqlite(&st, junk) == Q_ERR);
	CHECK(st == NULL);
	CHECK(store_open_sqlite(&st, "/nonexistent-dir/quire/x.db") == Q_ERR);
done:
	store_close(st);
	arena_free(a);
}

static void test_backup(void)
{
	struct arena *a = arena_new();
	const char *path = in_dir(a, "live.db"), *bak = in_dir(a, "backup.db");
	struct store *st = NULL, *b = NULL;
	struct user u;
	int64_t uid = 0;

	CHECK(store_open_sqlite(&st, path) == 0);
	if (!st)
		goto done;
	CHECK(store_user_create(st, "backed", "backed@example.org", "h", "admin", &uid) == 0);
	CHECK(store_setting_set(st, "site_name", "Backed up") == 0);
	CHECK(store_backup(st, bak) == 0);
	/* Written after the backup: not in it. */
	CHECK(store_user_create(st, "later", "later@example.org", "h", NULL, NULL) == 0);
	struct stat sb;
	CHECK(stat(arena_printf(a, "%s.tmp", bak), &sb) != 0);

	CHECK(store_open_sqlite(&b, bak) == 0);
	if (b) {
		CHECK(store_user_get_by_name(b, a, "backed", &u) == 0 && u.id == uid);
		CHECK_STR(u.role, "admin");
		CHECK(store_user_get_by_name(b, a, "later", &u) == Q_ENOTFOUND);
		char *v = NULL;
		CHECK(store_setting_get(b, a, "site_name", &v) == 0);
		CHECK_STR(v, "Backed up");
		store_close(b);
	}
	/* Backing up over an older backup replaces it. */
	CHECK(store_backup(st, bak) == 0);
	CHECK(fixture_scalar(bak, "SELECT COUNT(*) FROM users WHERE name = 'later'") == 1);
	/* Never over the live database. */
	CHECK(store_backup(st, path) == Q_EINVAL);
	CHECK(store_user_get_by_name(st, a, "later", &u) == 0);
	/* An unwritable place fails cleanly. */
	CHECK(store_backup(st, "/nonexistent-dir/backup.db") == Q_ERR);
done:
	store_close(st);
	arena_free(a);
}

/* A write acknowledged to the caller survives the process being killed without closing. */
/* A write acknowledged by a process killed right after survives (any backend). */
static void test_kill9(const char *url)
{
	struct arena *a = arena_new();
	char err[512];
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct store *st = NULL;
		int64_t id = 0;
		close(fds[0]);
		if (store_open(&st, url, err, sizeof err) == 0
		    && store_user_create(st, "survivor", "survivor@example.org", "h", NULL, &id) == 0
		    && store_setting_set(st, "last", "write") == 0)
			(void)!write(fds[1], "k", 1);
		for (;;)
			pause();
	}
	close(fds[1]);
	char ch = 0;
	CHECK(read(fds[0], &ch, 1) == 1 && ch == 'k');
	close(fds[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	struct store *st = NULL;
	struct user u;
	CHECK(store_open(&st, url, err, sizeof err) == 0);
	if (st) {
		CHECK(store_user_get_by_name(st, a, "survivor", &u) == 0);
		char *v = NULL;
		CHECK(store_setting_get(st, a, "last", &v) == 0);
		CHECK_STR(v, "write");
		store_close(st);
	}
	arena_free(a);
}

/* ---- Concurrency ------------------------------------------------------------------------ */

#define READERS 6
#define WRITES 60

struct shared {
	struct store *st;
	int64_t work_id, user_id;
	atomic_int done;
	atomic_int errors, inconsistent, reads;
	atomic_int commits; /* reported by the change feed */
};

static void count_commit(void *ctx, const struct store_change *changes, size_t n)
{
	struct shared *sh = ctx;
	(void)changes;
	if (n > 0)
		atomic_fetch_add(&sh->commits, 1);
}

/* The writer sets title "Busy <n>" and the one freeform tag "<n>" together; a work read in
 * pieces from different commits would pair them wrongly. */
static bool title_matches_tag(const struct work *w)
{
	const struct strlist *l = &w->tags[TAG_FREEFORM];
	if (strcmp(w->title, "Busy") == 0)
		return l->n == 0;
	return l->n == 1 && strncmp(w->title, "Busy ", 5) == 0 && strcmp(w->title + 5, l->items[0]) == 0;
}

/* Each chapter has 10 words: a read that sees word_count != 10 * chapter_count saw a torn write. */
static void *reader(void *arg)
{
	struct shared *sh = arg;
	while (!atomic_load(&sh->done)) {
		struct arena *a = arena_new();
		struct work w;
		struct user u;
		struct work_page p;
		struct work_query q = {.creator_id = sh->user_id};
		struct chapter *list;
		size_t n;
		if (store_work_get(sh->st, a, sh->work_id, &w) != 0)
			atomic_fetch_add(&sh->errors, 1);
		else if (w.word_count != 10 * (int64_t)w.chapter_count || !title_matches_tag(&w))
			atomic_fetch_add(&sh->inconsistent, 1);
		if (store_user_get(sh->st, a, sh->user_id, &u) != 0 || strcmp(u.name, "busy") != 0)
			atomic_fetch_add(&sh->errors, 1);
		if (store_work_list(sh->st, a, &q, &p) != 0 || p.n != 1)
			atomic_fetch_add(&sh->errors, 1);
		else if (p.items[0].word_count != 10 * (int64_t)p.items[0].chapter_count)
			atomic_fetch_add(&sh->inconsistent, 1);
		if (store_chapter_list(sh->st, a, sh->work_id, false, &list, &n) != 0 || n == 0)
			atomic_fetch_add(&sh->errors, 1);
		else
			for (size_t i = 0; i < n; i++)
				if (list[i].position != (int)i + 1)
					atomic_fetch_add(&sh->inconsistent, 1);
		atomic_fetch_add(&sh->reads, 1);
		arena_free(a);
	}
	return NULL;
}

static void *writer(void *arg)
{
	struct shared *sh = arg;
	for (int i = 0; i < WRITES; i++) {
		struct chapter c = simple_chapter(sh->work_id, 10);
		int64_t id = 0;
		if (store_chapter_create(sh->st, &c, &id) != 0)
			atomic_fetch_add(&sh->errors, 1);
		struct arena *wa = arena_new();
		struct work w;
		const char *tag = arena_printf(wa, "%d", i);
		if (store_work_get(sh->st, wa, sh->work_id, &w) == 0) {
			w.title = arena_printf(wa, "Busy %d", i);
			w.tags[TAG_FREEFORM] = (struct strlist){&tag, 1};
			if (store_work_update(sh->st, &w) != 0)
				atomic_fetch_add(&sh->errors, 1);
		} else {
			atomic_fetch_add(&sh->errors, 1);
		}
		arena_free(wa);
		/* Deleting the first chapter renumbers all the others in the same transaction. */
		if (i % 3 == 2) {
			struct arena *a = arena_new();
			struct chapter *list;
			size_t n;
			if (store_chapter_list(sh->st, a, sh->work_id, false, &list, &n) != 0 || n < 2
			    || store_chapter_delete(sh->st, sh->work_id, list[0].id) != 0)
				atomic_fetch_add(&sh->errors, 1);
			arena_free(a);
		}
	}
	atomic_store(&sh->done, 1);
	return NULL;
}

static void test_concurrency(const char *url)
{
	struct arena *a = arena_new();
	struct shared sh = {0};
	char err[512];
	CHECK(store_open(&sh.st, url, err, sizeof err) == 0);
	if (!sh.st) {
		arena_free(a);
		return;
	}
	CHECK(store_user_create(sh.st, "busy", "busy@example.org", "h", NULL, &sh.user_id) == 0);
	struct work w = simple_work("Busy");
	struct chapter c = simple_chapter(0, 10);
	CHECK(store_work_create(sh.st, &w, &c, sh.user_id, &sh.work_id, NULL) == 0);

	store_subscribe(sh.st, count_commit, &sh);
	pthread_t r[READERS], wr;
	for (int i = 0; i < READERS; i++)
		pthread_create(&r[i], NULL, reader, &sh);
	pthread_create(&wr, NULL, writer, &sh);
	pthread_join(wr, NULL);
	for (int i = 0; i < READERS; i++)
		pthread_join(r[i], NULL);

	CHECK(atomic_load(&sh.errors) == 0);
	CHECK(atomic_load(&sh.inconsistent) == 0);
	CHECK(atomic_load(&sh.reads) >= READERS);
	/* Every write committed was reported once; the reads were not. */
	CHECK(atomic_load(&sh.commits) == 2 * WRITES + WRITES / 3);
	struct work got;
	CHECK(store_work_get(sh.st, a, sh.work_id, &got) == 0);
	CHECK(got.chapter_count == 1 + WRITES - WRITES / 3);
	CHECK(got.word_count == 10 * (int64_t)got.chapter_count);
	store_close(sh.st);
	arena_free(a);
}

/* Two stores in one process, used from the same threads, stay apart. */
struct two {
	struct store *s1, *s2;
	atomic_int errors;
};

static void *use_both(void *arg)
{
	struct two *t = arg;
	for (int i = 0; i < 50; i++) {
		struct arena *a = arena_new();
		struct user u;
		if (store_user_get_by_name(t->s1, a, "only-in-one", &u) != 0
		    || store_user_get_by_name(t->s2, a, "only-in-one", &u) != Q_ENOTFOUND
		    || store_user_get_by_name(t->s2, a, "only-in-two", &u) != 0
		    || store_user_get_by_name(t->s1, a, "only-in-two", &u) != Q_ENOTFOUND)
			atomic_fetch_add(&t->errors, 1);
		arena_free(a);
	}
	return NULL;
}

static void test_two_stores(void)
{
	struct arena *a = arena_new();
	struct two t = {0};
	CHECK(store_open_sqlite(&t.s1, in_dir(a, "one.db")) == 0);
	CHECK(store_open_sqlite(&t.s2, in_dir(a, "two.db")) == 0);
	if (t.s1 && t.s2) {
		CHECK(store_user_create(t.s1, "only-in-one", "1@example.org", "h", NULL, NULL) == 0);
		CHECK(store_user_create(t.s2, "only-in-two", "2@example.org", "h", NULL, NULL) == 0);
		pthread_t th[4];
		for (int i = 0; i < 4; i++)
			pthread_create(&th[i], NULL, use_both, &t);
		for (int i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
		CHECK(atomic_load(&t.errors) == 0);
	}
	/* Closing one leaves the other working. */
	store_close(t.s1);
	if (t.s2) {
		struct user u;
		CHECK(store_user_get_by_name(t.s2, a, "only-in-two", &u) == 0);
	}
	store_close(t.s2);
	store_close(NULL);
	arena_free(a);
}

int main(void)
{
	log_set_quiet(1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	const char *pg = getenv("QUIRE_TEST_STORE");
	if (pg && *pg) {
		printf("store durability tests on %s\n", pg);
		test_kill9(pg);
		test_concurrency(pg);
		fixture_remove_dir(dir);
		return CHECK_DONE();
	}
	struct arena *a = arena_new();
	test_persistence_and_migrations();
	test_backup();
	test_kill9(arena_printf(a, "sqlite:%s", in_dir(a, "killed.db")));
	test_concurrency(arena_printf(a, "sqlite:%s", in_dir(a, "busy.db")));
	test_two_stores();
	arena_free(a);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
