/* Several servers on one store: the same store opened twice in one process (two servers, as far as the store can
 * tell), each with its own connections. What one commits reaches the other's change feed (a store that relays
 * other processes' commits: PostgreSQL's LISTEN/NOTIFY). Runs on QUIRE_TEST_STORE (default a temporary SQLite
 * file). */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-shared-XXXXXX";
static struct store *A, *B; /* two servers */
static struct arena *M;
static const char *url;

/* What server B's change feed heard. */
static pthread_mutex_t heard_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_change heard[256];
static size_t nheard;
static bool heard_everything;

static void listen_b(void *ctx, const struct store_change *changes, size_t n)
{
	(void)ctx;
	pthread_mutex_lock(&heard_lock);
	for (size_t i = 0; i < n; i++) {
		if (changes[i].kind == STORE_CHANGE_WORK && changes[i].id == 0)
			heard_everything = true;
		else if (nheard < sizeof heard / sizeof heard[0])
			heard[nheard++] = changes[i];
	}
	pthread_mutex_unlock(&heard_lock);
}

static bool b_heard(enum store_change_kind kind, int64_t id)
{
	bool found = false;
	pthread_mutex_lock(&heard_lock);
	for (size_t i = 0; i < nheard && !found; i++)
		found = heard[i].kind == kind && heard[i].id == id;
	pthread_mutex_unlock(&heard_lock);
	return found;
}

static void forget(void)
{
	pthread_mutex_lock(&heard_lock);
	nheard = 0;
	heard_everything = false;
	pthread_mutex_unlock(&heard_lock);
}

/* Waits up to seconds for cond (polled); a correct store passes however slow the machine, within reason. */
#define WAIT_FOR(cond, seconds)                                                                            \
	do {                                                                                                   \
		for (int w_ = 0; w_ < (seconds) * 100 && !(cond); w_++)                                             \
			nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);                                       \
	} while (0)

static int64_t new_user(struct store *st, const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(st, name, email, "$argon2id$x", NULL, &id) == 0);
	return id;
}

static int64_t new_work(struct store *st, int64_t owner, const char *title)
{
	struct work w = {.title = title, .language = "English", .summary = {"", ""}, .notes = {"", ""},
	                 .end_notes = {"", ""}};
	struct chapter c = {.title = "", .content = "x", .content_format = "text", .content_html = "<p>x</p>",
	                    .word_count = 1, .summary = {"", ""}, .notes = {"", ""}, .end_notes = {"", ""}};
	int64_t id = 0;
	CHECK(store_work_create(st, &w, &c, owner, &id, NULL) == 0);
	return id;
}

/* ---- The change feed between servers ------------------------------------------------------------ */

static void test_feed(void)
{
	if (!fixture_is_pg(url)) {
		/* SQLite belongs to one server: what another process commits does not reach this one's feed. */
		int64_t u = new_user(A, "feed-sqlite");
		nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
		CHECK(!b_heard(STORE_CHANGE_USER, u));
		return;
	}
	int64_t owner = new_user(A, "feed-owner");
	forget();
	/* A work posted on A: B hears the work and its creator's pages. */
	int64_t w = new_work(A, owner, "Heard Elsewhere");
	WAIT_FOR(b_heard(STORE_CHANGE_WORK, w) && b_heard(STORE_CHANGE_USER, owner), 10);
	CHECK(b_heard(STORE_CHANGE_WORK, w));
	CHECK(b_heard(STORE_CHANGE_USER, owner));
	CHECK(!heard_everything);

	/* A workflow transaction is heard once it commits, and not before; a rolled-back one never. */
	forget();
	CHECK(store_tx_begin(A) == 0);
	struct work got;
	CHECK(store_work_get(A, M, w, &got) == 0);
	got.title = "Renamed Elsewhere";
	CHECK(store_work_update(A, &got) == 0);
	nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
	CHECK(!b_heard(STORE_CHANGE_WORK, w));
	CHECK(store_tx_commit(A) == 0);
	WAIT_FOR(b_heard(STORE_CHANGE_WORK, w), 10);
	CHECK(b_heard(STORE_CHANGE_WORK, w));
	forget();
	CHECK(store_tx_begin(A) == 0);
	CHECK(store_work_update(A, &got) == 0);
	store_tx_rollback(A);
	int64_t later = new_work(A, owner, "Later"); /* a commit after the rollback: heard, the rollback never */
	WAIT_FOR(b_heard(STORE_CHANGE_WORK, later), 10);
	CHECK(b_heard(STORE_CHANGE_WORK, later));
	CHECK(!b_heard(STORE_CHANGE_WORK, w));

	/* A comment on A moves the work's response version on B (store_response_changed there), with no change
	 * event: other pages keep their cached copies. */
	int64_t before = store_response_version(B, w, store_response_clock());
	uint64_t seq = store_response_seq(B, w);
	forget();
	struct comment c = {.work_id = w, .user_id = owner, .body = {"Hello", "<p>Hello</p>"}, .state = COMMENT_SHOWN,
	                    .sanitizer_version = 1};
	int64_t cid = 0;
	CHECK(store_comment_create(A, &c, NULL, 0, false, &cid) == 0 && cid > 0);
	WAIT_FOR(store_response_seq(B, w) != seq, 10);
	CHECK(store_response_seq(B, w) != seq);
	CHECK(store_response_version(B, w, store_response_clock()) != before);
	CHECK(!b_heard(STORE_CHANGE_WORK, w));

	/* More changes than a notification can name: B drops everything. */
	forget();
	CHECK(store_tx_begin(A) == 0);
	for (int i = 0; i < STORE_CHANGES_MAX + 1; i++)
		new_work(A, owner, "One Of Many");
	CHECK(store_tx_commit(A) == 0);
	WAIT_FOR(heard_everything, 10);
	CHECK(heard_everything);
	(void)cid;
}

int main(void)
{
	char buf[256], err[512];
	log_set_quiet(1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	url = fixture_store_url(buf, sizeof buf, dir);
	printf("shared store tests on %s\n", url);
	M = arena_new();
	int rc = store_open(&A, url, err, sizeof err);
	if (rc == 0)
		rc = store_open(&B, url, err, sizeof err);
	CHECK(rc == 0);
	if (rc) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		fixture_remove_dir(dir);
		return 1;
	}
	store_subscribe(B, listen_b, NULL);

	test_feed();

	store_unsubscribe(B, listen_b, NULL);
	store_close(B);
	store_close(A);
	arena_free(M);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
