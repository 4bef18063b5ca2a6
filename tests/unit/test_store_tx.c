/* Tests for workflow transactions: several writes of one thread commit or roll back together. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-store-tx-XXXXXX";
static struct store *S;

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

static int add_user(const char *name, int64_t *id)
{
	char email[128];
	snprintf(email, sizeof email, "%s@example.org", name);
	return store_user_create(S, name, email, "h", NULL, id);
}

static bool user_exists(const char *name)
{
	struct arena *a = arena_new();
	struct user u;
	int rc = store_user_get_by_name(S, a, name, &u);
	arena_free(a);
	return rc == 0;
}

/* Looks the user up from another thread: what everyone else sees. */
struct lookup {
	const char *name;
	int rc;
};

static void *lookup_thread(void *arg)
{
	struct lookup *l = arg;
	struct arena *a = arena_new();
	struct user u;
	l->rc = store_user_get_by_name(S, a, l->name, &u);
	arena_free(a);
	return NULL;
}

static int lookup_elsewhere(const char *name)
{
	struct lookup l = {name, 12345};
	pthread_t t;
	pthread_create(&t, NULL, lookup_thread, &l);
	pthread_join(t, NULL);
	return l.rc;
}

static void test_commit_together(void)
{
	int64_t a = 0, b = 0;
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-a", &a) == 0);
	CHECK(add_user("tx-b", &b) == 0);
	CHECK(a > 0 && b > a);
	/* Not visible to anyone else before the commit. */
	CHECK(lookup_elsewhere("tx-a") == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == 0);
	CHECK(user_exists("tx-a") && user_exists("tx-b"));
	CHECK(lookup_elsewhere("tx-b") == 0);
}

static void test_rollback(void)
{
	int64_t owner = 0, wid = 0;
	CHECK(add_user("tx-owner", &owner) == 0);
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-gone", NULL) == 0);
	struct work w = {.title = "Never", .language = "English"};
	struct chapter c = {.title = "", .content = "x", .content_html = "<p>x</p>", .word_count = 1};
	CHECK(store_work_create(S, &w, &c, owner, &wid, NULL) == 0);
	CHECK(wid > 0);
	store_tx_rollback(S);
	CHECK(!user_exists("tx-gone"));
	struct arena *ar = arena_new();
	struct work got;
	CHECK(store_work_get(S, ar, wid, &got) == Q_ENOTFOUND);
	arena_free(ar);
	/* Rolling back with nothing open does nothing; the store writes normally afterwards. */
	store_tx_rollback(S);
	CHECK(add_user("tx-after-rollback", NULL) == 0);
	CHECK(user_exists("tx-after-rollback"));
}

static void test_inner_failure(void)
{
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-first", NULL) == 0);
	CHECK(add_user("tx-first", NULL) == Q_EEXIST);
	/* Once failed, later writes refuse to run and report the first error. */
	CHECK(add_user("tx-later", NULL) == Q_EEXIST);
	CHECK(store_tx_commit(S) == Q_EEXIST);
	CHECK(!user_exists("tx-first"));
	CHECK(!user_exists("tx-later"));
	/* A failure that is not a constraint: a missing row. */
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-second", NULL) == 0);
	CHECK(store_user_set_role(S, 999999, "admin") == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == Q_ENOTFOUND);
	CHECK(!user_exists("tx-second"));
}

static void test_nesting_and_misuse(void)
{
	CHECK(store_tx_commit(S) == Q_EINVAL);
	CHECK(store_tx_begin(S) == 0);
	CHECK(store_tx_begin(S) == Q_EINVAL);
	CHECK(add_user("tx-nested", NULL) == 0);
	/* The refused nested begin did not end the outer transaction. */
	CHECK(store_tx_commit(S) == 0);
	CHECK(user_exists("tx-nested"));
	CHECK(store_tx_commit(S) == Q_EINVAL);
}

static void test_reads_see_own_writes(void)
{
	struct arena *a = arena_new();
	int64_t uid = 0, wid = 0, cid = 0;
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-reader", &uid) == 0);
	struct user u;
	CHECK(store_user_get(S, a, uid, &u) == 0);
	CHECK_STR(u.name, "tx-reader");
	/* Read, validate, write: the workflow builds on what it just wrote. */
	struct work w = {.title = "Mine", .language = "English"};
	struct chapter c = {.title = "", .content = "x", .content_html = "<p>x</p>", .word_count = 3};
	CHECK(store_work_create(S, &w, &c, uid, &wid, NULL) == 0);
	struct work got;
	CHECK(store_work_get(S, a, wid, &got) == 0);
	CHECK(got.chapter_count == 1 && got.word_count == 3);
	struct chapter c2 = {.work_id = wid, .title = "Two", .content = "y", .content_html = "<p>y</p>",
	                     .word_count = 4};
	CHECK(store_chapter_create(S, &c2, &cid) == 0);
	struct chapter *list;
	size_t n;
	CHECK(store_chapter_list(S, a, wid, false, &list, &n) == 0 && n == 2);
	struct work_query q = {.creator_id = uid};
	struct work_page p;
	CHECK(store_work_list(S, a, &q, &p) == 0 && p.total == 1 && p.n == 1 && p.items[0].word_count == 7);
	CHECK(lookup_elsewhere("tx-reader") == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == 0);
	CHECK(store_work_get(S, a, wid, &got) == 0 && got.chapter_count == 2);
	arena_free(a);
}

/* Another thread's write waits for the transaction and then succeeds. */
struct waiter {
	atomic_int done;
	int rc;
	int64_t id;
};

static void *write_thread(void *arg)
{
	struct waiter *wt = arg;
	wt->rc = add_user("tx-waiter", &wt->id);
	atomic_store(&wt->done, 1);
	return NULL;
}

static void test_other_thread_waits(void)
{
	struct waiter wt = {0};
	int64_t mine = 0;
	pthread_t t;
	CHECK(store_tx_begin(S) == 0);
	pthread_create(&t, NULL, write_thread, &wt);
	/* Give the other writer every chance to run (it must not); not a timing assertion: a
	 * correct store passes however slow the machine. */
	nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
	CHECK(atomic_load(&wt.done) == 0);
	CHECK(add_user("tx-holder", &mine) == 0);
	CHECK(lookup_elsewhere("tx-waiter") == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == 0);
	pthread_join(t, NULL);
	CHECK(wt.rc == 0);
	/* It ran after the commit: its row came after ours. */
	CHECK(wt.id > mine);
	CHECK(user_exists("tx-waiter") && user_exists("tx-holder"));
}

int main(void)
{
	log_set_quiet(1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char path[256];
	snprintf(path, sizeof path, "%s/quire.db", dir);
	CHECK(store_open_sqlite(&S, path) == 0);
	if (!S)
		return CHECK_DONE();
	test_commit_together();
	test_rollback();
	test_inner_failure();
	test_nesting_and_misuse();
	test_reads_see_own_writes();
	test_other_thread_waits();
	store_close(S);
	remove_dir();
	return CHECK_DONE();
}
