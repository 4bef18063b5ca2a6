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
static atomic_bool heard_everything; /* written under heard_lock, read by the waits without it */

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
	/* B's feed thread moves the sequence, then the version: wait for both. */
	WAIT_FOR(store_response_seq(B, w) != seq && store_response_version(B, w, store_response_clock()) != before, 10);
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

/* ---- The outbox: claims are each server's own ------------------------------------------------------ */

static void queue_mail(struct store *st, int n)
{
	for (int i = 0; i < n; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "reset%d@example.org", i);
		CHECK(store_outbox_add(st, OUTBOX_PASSWORD_RESET, 0, addr, NULL) == 0);
	}
}

static bool ids_overlap(const struct outbox_item *a, size_t na, const struct outbox_item *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		for (size_t k = 0; k < nb; k++)
			if (a[i].id == b[k].id)
				return true;
	return false;
}

static void test_outbox_claims(void)
{
	queue_mail(A, 6);
	int64_t now = time(NULL); /* after queueing: a second that ticks over meanwhile leaves no mail due later */
	struct outbox_item *ia, *ib;
	size_t na = 0, nb = 0;
	/* Two servers claim at once: each gets rows of its own, none twice. */
	CHECK(store_outbox_claim(A, M, now, 4, &ia, &na) == 0 && na == 4);
	CHECK(store_outbox_claim(B, M, now, 4, &ib, &nb) == 0 && nb == 2);
	CHECK(!ids_overlap(ia, na, ib, nb));
	/* A claim again returns what that server holds, never the other's. */
	struct outbox_item *again;
	size_t nagain = 0;
	CHECK(store_outbox_claim(B, M, now, 4, &again, &nagain) == 0 && nagain == 2);
	CHECK(!ids_overlap(ia, na, again, nagain));
	/* B cannot finish A's rows: they stay A's, claimed. */
	struct outbox_done d = {.id = ia[0].id, .result = OUTBOX_SENT};
	CHECK(store_outbox_finish(B, &d, 1, now) == 0);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM outbox WHERE id = %lld AND status = 'sending'", (long long)ia[0].id);
	CHECK(fixture_sql(url, sql) == 1);
	/* Each mail recorded as it goes: the one A sent is done, the rest still A's. */
	CHECK(store_outbox_finish(A, &d, 1, now) == 0);
	CHECK(fixture_sql(url, sql) == 0);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1);
	struct outbox_done db[2] = {{.id = ib[0].id, .result = OUTBOX_SENT}, {.id = ib[1].id, .result = OUTBOX_SENT}};
	CHECK(store_outbox_finish(B, db, 2, now) == 0);
	/* A server that dies loses its claims when its lease runs out (here: B claims as if that time had come), and
	 * the rows are claimed again, each by one server; what A already recorded is not sent again. */
	struct outbox_item *late;
	size_t nlate = 0;
	CHECK(store_outbox_claim(B, M, now + OUTBOX_LEASE_SECONDS + 1, 10, &late, &nlate) == 0);
	CHECK(nlate == 3);
	for (size_t i = 0; i < nlate; i++)
		CHECK(late[i].id != ia[0].id);
	struct outbox_done rest[3];
	for (size_t i = 0; i < nlate && i < 3; i++)
		rest[i] = (struct outbox_done){.id = late[i].id, .result = OUTBOX_SENT};
	CHECK(store_outbox_finish(B, rest, nlate, now) == 0);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 6);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM outbox WHERE status <> 'sent'") == 0);
}

/* ---- Job leases ------------------------------------------------------------------------------------- */

static void test_job_leases(void)
{
	int64_t now_ms = (int64_t)time(NULL) * 1000;
	bool ha = false, hb = true;
	CHECK(store_job_lease(A, "refile", now_ms + 60000, &ha) == 0 && ha);
	CHECK(store_job_lease(B, "refile", now_ms + 60000, &hb) == 0 && !hb);
	/* Renewed by its holder; another job is free for the other server. */
	CHECK(store_job_lease(A, "refile", now_ms + 120000, &ha) == 0 && ha);
	CHECK(store_job_lease(B, "outbox", now_ms + 60000, &hb) == 0 && hb);
	CHECK(store_job_lease(A, "outbox", now_ms + 60000, &ha) == 0 && !ha);
	CHECK(store_job_lease(A, "", now_ms, &ha) == Q_EINVAL);
}

/* ---- Secrets, rate limits, visitors ------------------------------------------------------------------- */

struct init_race {
	struct store *st;
	char value[64];
	int rc;
};

static void *init_thread(void *arg)
{
	struct init_race *r = arg;
	struct arena *a = arena_new();
	char mine[64], *stored = NULL;
	snprintf(mine, sizeof mine, "secret-of-%p", (void *)r);
	r->rc = store_setting_init(r->st, a, "race_key", mine, &stored);
	snprintf(r->value, sizeof r->value, "%s", stored ? stored : "");
	arena_free(a);
	return NULL;
}

static void test_secrets(void)
{
	char *v = NULL;
	CHECK(store_setting_init(A, M, "csrf_test", "first", &v) == 0);
	CHECK_STR(v, "first");
	CHECK(store_setting_init(B, M, "csrf_test", "second", &v) == 0);
	CHECK_STR(v, "first");
	CHECK(store_setting_get(B, M, "csrf_test", &v) == 0);
	CHECK_STR(v, "first");
	/* Servers starting at once: every one ends with the same secret. */
	struct init_race r[6];
	pthread_t t[6];
	for (int i = 0; i < 6; i++) {
		r[i] = (struct init_race){.st = i % 2 ? A : B};
		pthread_create(&t[i], NULL, init_thread, &r[i]);
	}
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 6; i++) {
		CHECK(r[i].rc == 0 && r[i].value[0]);
		CHECK_STR(r[i].value, r[0].value);
	}
}

static void test_limits(void)
{
	int64_t count = -1, oldest = -1;
	CHECK(store_limit_count(A, "login", "k1", 0, &count, &oldest) == 0 && count == 0 && oldest == 0);
	CHECK(store_limit_add(A, "login", "k1", 1000) == 0);
	CHECK(store_limit_add(B, "login", "k1", 1010) == 0);
	CHECK(store_limit_add(B, "login", "k2", 1020) == 0);
	CHECK(store_limit_add(B, "signup", "k1", 1030) == 0);
	/* Both servers' events count on both. */
	CHECK(store_limit_count(B, "login", "k1", 0, &count, &oldest) == 0 && count == 2 && oldest == 1000);
	CHECK(store_limit_count(A, "login", "k1", 1005, &count, &oldest) == 0 && count == 1 && oldest == 1010);
	CHECK(store_limit_clear(A, "login", "k1") == 0);
	CHECK(store_limit_count(B, "login", "k1", 0, &count, &oldest) == 0 && count == 0);
	CHECK(store_limit_count(B, "login", "k2", 0, &count, &oldest) == 0 && count == 1);
	CHECK(store_shared_purge(A, 1025, 0) == 0);
	CHECK(store_limit_count(B, "login", "k2", 0, &count, &oldest) == 0 && count == 0);
	CHECK(store_limit_count(B, "signup", "k1", 0, &count, &oldest) == 0 && count == 1);

	/* Visitors: new once per day, whichever server saw them. */
	uint64_t d1[] = {1, UINT64_C(0xfedcba9876543210), 3, 3};
	bool fresh[4];
	CHECK(store_hits_seen(A, 100, d1, 4, fresh) == 0);
	CHECK(fresh[0] && fresh[1] && fresh[2] && !fresh[3]);
	uint64_t d2[] = {3, 4, UINT64_C(0xfedcba9876543210)};
	CHECK(store_hits_seen(B, 100, d2, 3, fresh) == 0);
	CHECK(!fresh[0] && fresh[1] && !fresh[2]);
	CHECK(store_hits_seen(B, 101, d2, 3, fresh) == 0);
	CHECK(fresh[0] && fresh[1] && fresh[2]);
	CHECK(store_shared_purge(B, 0, 101) == 0);
	CHECK(store_hits_seen(A, 100, d2, 1, fresh) == 0 && fresh[0]);
}

/* The database server drops every connection (a restart, a failover, an administrator): operations that had not
 * begun when it happened run on new connections and succeed; B's change feed, which cannot know what it missed,
 * drops everything and listens again. PostgreSQL only. */
static void test_connections_dropped(void)
{
	if (!fixture_is_pg(url))
		return;
	int64_t owner = new_user(A, "dropped-owner");
	int64_t w = new_work(A, owner, "Before The Drop");
	forget();
	CHECK(fixture_sql(url, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
	                       " WHERE datname = current_database() AND pid <> pg_backend_pid()") > 0);
	WAIT_FOR(heard_everything, 10);
	CHECK(heard_everything);
	struct work got;
	CHECK(store_work_get(A, M, w, &got) == 0);
	CHECK_STR(got.title, "Before The Drop");
	CHECK(store_work_get(B, M, w, &got) == 0);
	int64_t w2 = new_work(A, owner, "After The Drop");
	CHECK(w2 > w);
	CHECK(store_health(A, NULL, NULL) == STORE_HEALTHY);
	/* B listens again: it hears A's next commit. */
	forget();
	int64_t w3 = 0;
	for (int i = 0; i < 50 && !b_heard(STORE_CHANGE_WORK, w3); i++) {
		w3 = new_work(A, owner, "Heard Again");
		WAIT_FOR(b_heard(STORE_CHANGE_WORK, w3), 1);
	}
	CHECK(b_heard(STORE_CHANGE_WORK, w3));
}

/* A server that dies (here: closes its store) with mail claimed: on PostgreSQL its connection goes and with it
 * its liveness lock, so another server claims the rows at once; SQLite waits for the lease. Ends A. */
static void test_outbox_death(void)
{
	queue_mail(A, 2);
	int64_t now = time(NULL);
	struct outbox_item *ia, *ib;
	size_t na = 0, nb = 0;
	CHECK(store_outbox_claim(A, M, now, 10, &ia, &na) == 0 && na == 2);
	store_close(A);
	A = NULL;
	CHECK(store_outbox_claim(B, M, now, 10, &ib, &nb) == 0);
	if (fixture_is_pg(url)) {
		CHECK(nb == 2);
		CHECK(nb == 2 && ib[0].id == ia[0].id && ib[0].attempts == 1); /* the interrupted attempt not counted */
	} else {
		CHECK(nb == 0);
		CHECK(store_outbox_claim(B, M, now + OUTBOX_LEASE_SECONDS + 1, 10, &ib, &nb) == 0 && nb == 2);
	}
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
	test_outbox_claims();
	test_job_leases();
	test_secrets();
	test_limits();
	test_connections_dropped();
	test_outbox_death();

	store_unsubscribe(B, listen_b, NULL);
	store_close(B);
	store_close(A);
	arena_free(M);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
