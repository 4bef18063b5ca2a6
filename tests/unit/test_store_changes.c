/* Tests for the store's change feed: which writes report what, once per commit, never for reads or failures. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-store-feed-XXXXXX";
static struct store *S;
static struct arena *A;

/* What the listener heard: the number of calls and the last call's list. */
static int calls;
static struct store_change last[STORE_CHANGES_MAX];
static size_t nlast;
static bool wrong_thread, duplicates;
static pthread_t writer_thread;

static void listen(void *ctx, const struct store_change *changes, size_t n)
{
	(void)ctx;
	calls++;
	if (!pthread_equal(pthread_self(), writer_thread))
		wrong_thread = true;
	nlast = n < STORE_CHANGES_MAX ? n : STORE_CHANGES_MAX;
	memcpy(last, changes, nlast * sizeof *last);
	for (size_t i = 0; i < nlast; i++)
		for (size_t j = i + 1; j < nlast; j++)
			if (last[i].kind == last[j].kind && last[i].id == last[j].id)
				duplicates = true;
}

/* A second listener, to show every subscriber hears every commit. */
static int other_calls;

static void listen_other(void *ctx, const struct store_change *changes, size_t n)
{
	(void)changes, (void)n;
	*(int *)ctx += 1;
}

static bool heard(enum store_change_kind kind, int64_t id)
{
	for (size_t i = 0; i < nlast; i++)
		if (last[i].kind == kind && last[i].id == id)
			return true;
	return false;
}

static size_t heard_kind(enum store_change_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < nlast; i++)
		n += last[i].kind == kind;
	return n;
}

/* Starts watching for the next write: forgets what was heard. */
static void expect(void)
{
	calls = 0;
	nlast = 0;
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

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "h", NULL, &id) == 0);
	return id;
}

static int64_t post(const char *title, int64_t owner, int64_t co, const char *series, int64_t *chapter_id)
{
	struct creator cr = {.user_id = co};
	struct work w = {.title = title, .language = "English", .series_title = series};
	if (co) {
		w.creators = &cr;
		w.ncreators = 1;
	}
	struct chapter c = {.title = "", .content = "x", .content_html = "<p>x</p>", .word_count = 1};
	int64_t id = 0;
	CHECK(store_work_create(S, &w, &c, owner, &id, chapter_id) == 0);
	return id;
}

static int64_t series_of(int64_t work_id)
{
	struct work w;
	return store_work_get(S, A, work_id, &w) == 0 ? w.series_id : -1;
}

/* ---- Writes that report nothing ---------------------------------------------------------- */

static void test_silent_writes(void)
{
	int64_t now = time(NULL), uid, tid = 0;
	struct user u;
	struct api_token *list;
	size_t n;
	char *v;
	expect();
	uid = new_user("quiet");
	CHECK(store_session_create(S, "quiet-session", uid, now + 100) == 0);
	CHECK(store_session_user(S, A, "quiet-session", now, &u) == 0);
	CHECK(store_session_create(S, "quiet-session-2", uid, now + 100) == 0);
	CHECK(store_session_delete(S, "quiet-session") == 0);
	CHECK(store_session_delete_for_user(S, uid, NULL) == 0);
	CHECK(store_token_create(S, uid, "quiet-token", "t", &tid) == 0);
	CHECK(store_token_user(S, A, "quiet-token", &u) == 0); /* touches last_used_at */
	CHECK(store_token_list(S, A, uid, &list, &n) == 0);
	CHECK(store_token_revoke(S, uid, tid) == 0);
	CHECK(store_setting_set(S, "quiet", "yes") == 0);
	CHECK(store_setting_get(S, A, "quiet", &v) == 0);
	CHECK(store_user_set_password(S, uid, "h2") == 0);
	CHECK(store_user_get(S, A, uid, &u) == 0);
	CHECK(calls == 0);
	/* Failed writes report nothing either. */
	CHECK(store_user_set_role(S, 999999, "admin") == Q_ENOTFOUND);
	CHECK(store_work_delete(S, 999999) == Q_ENOTFOUND);
	CHECK(store_work_invite(S, 999999, uid) == Q_ENOTFOUND);
	CHECK(calls == 0);
}

/* ---- Users ------------------------------------------------------------------------------- */

static void test_set_role(void)
{
	int64_t uid = new_user("promoted");
	expect();
	CHECK(store_user_set_role(S, uid, "wrangler") == 0);
	CHECK(calls == 1);
	CHECK(nlast == 1 && heard(STORE_CHANGE_USER, uid));
}

/* ---- Works ------------------------------------------------------------------------------- */

static void test_work_writes(void)
{
	int64_t owner = new_user("feed-owner"), co = new_user("feed-co"), invitee = new_user("feed-inv");
	int64_t cid = 0;
	expect();
	int64_t wid = post("Fed", owner, co, "Feed Series", &cid);
	int64_t sid = series_of(wid);
	CHECK(sid > 0);
	/* The work, its owner, its pending co-creator and its series: nothing else. */
	CHECK(calls == 1);
	CHECK(nlast == 4);
	CHECK(heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_USER, owner) && heard(STORE_CHANGE_USER, co)
	      && heard(STORE_CHANGE_SERIES, sid));

	/* Moving to another series reports both. */
	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0);
	w.series_title = "Other Feed Series";
	expect();
	CHECK(store_work_update(S, &w) == 0);
	int64_t sid2 = series_of(wid);
	CHECK(sid2 > 0 && sid2 != sid);
	CHECK(calls == 1 && nlast == 5);
	CHECK(heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_SERIES, sid) && heard(STORE_CHANGE_SERIES, sid2));
	CHECK(heard(STORE_CHANGE_USER, owner) && heard(STORE_CHANGE_USER, co));

	/* Invitations and acceptance report the invitee too. */
	expect();
	CHECK(store_work_invite(S, wid, invitee) == 0);
	CHECK(calls == 1 && heard(STORE_CHANGE_USER, invitee) && heard(STORE_CHANGE_WORK, wid)
	      && heard(STORE_CHANGE_USER, owner) && heard(STORE_CHANGE_SERIES, sid2));
	expect();
	CHECK(store_work_accept(S, wid, invitee) == 0);
	CHECK(calls == 1 && heard(STORE_CHANGE_USER, invitee) && heard(STORE_CHANGE_USER, co)
	      && heard(STORE_CHANGE_WORK, wid));

	/* Chapters: the work, everyone on it, its series. */
	struct chapter c = {.work_id = wid, .title = "Two", .content = "y", .content_html = "<p>y</p>",
	                    .word_count = 2};
	int64_t c2 = 0;
	expect();
	CHECK(store_chapter_create(S, &c, &c2) == 0);
	CHECK(calls == 1 && nlast == 5 && heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_USER, owner)
	      && heard(STORE_CHANGE_USER, co) && heard(STORE_CHANGE_USER, invitee)
	      && heard(STORE_CHANGE_SERIES, sid2));
	c.id = c2;
	c.title = "Two, again";
	expect();
	CHECK(store_chapter_update(S, &c) == 0);
	CHECK(calls == 1 && nlast == 5 && heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_SERIES, sid2));
	int64_t order[] = {c2, cid};
	expect();
	CHECK(store_chapter_reorder(S, wid, order, 2) == 0);
	CHECK(calls == 1 && nlast == 5 && heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_USER, invitee));
	expect();
	CHECK(store_chapter_delete(S, wid, cid) == 0);
	CHECK(calls == 1 && nlast == 5 && heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_USER, co));

	/* Deleting the work reports what showed it, though the series goes with it. */
	expect();
	CHECK(store_work_delete(S, wid) == 0);
	CHECK(calls == 1 && nlast == 5);
	CHECK(heard(STORE_CHANGE_WORK, wid) && heard(STORE_CHANGE_USER, owner) && heard(STORE_CHANGE_USER, co)
	      && heard(STORE_CHANGE_USER, invitee) && heard(STORE_CHANGE_SERIES, sid2));
	CHECK(series_of(wid) == -1);

	/* A work in no series reports no series. */
	expect();
	int64_t plain = post("Plain", owner, 0, NULL, NULL);
	CHECK(calls == 1 && nlast == 2 && heard(STORE_CHANGE_WORK, plain) && heard(STORE_CHANGE_USER, owner));
	CHECK(heard_kind(STORE_CHANGE_SERIES) == 0);
}

/* ---- Deleting users ---------------------------------------------------------------------- */

static void test_user_delete(void)
{
	struct user orphan;
	CHECK(store_user_get_by_name(S, A, "orphan_account", &orphan) == 0);

	/* With their works: owned works go, co-created and pending ones lose them; all are reported
	 * with everyone on them. */
	int64_t goner = new_user("feed-goner"), pal = new_user("feed-pal"), third = new_user("feed-third");
	int64_t owned = post("Owned", goner, pal, "Goner's", NULL);
	int64_t sid = series_of(owned);
	int64_t pals = post("Pal's", pal, 0, NULL, NULL);
	CHECK(store_work_invite(S, pals, goner) == 0);
	CHECK(store_work_accept(S, pals, goner) == 0);
	int64_t thirds = post("Third's", third, 0, NULL, NULL);
	CHECK(store_work_invite(S, thirds, goner) == 0); /* pending */
	int64_t unrelated = post("Unrelated", third, 0, NULL, NULL);
	expect();
	CHECK(store_user_delete(S, goner, false) == 0);
	CHECK(calls == 1);
	CHECK(heard(STORE_CHANGE_USER, goner) && heard(STORE_CHANGE_USER, pal) && heard(STORE_CHANGE_USER, third));
	CHECK(heard(STORE_CHANGE_WORK, owned) && heard(STORE_CHANGE_WORK, pals) && heard(STORE_CHANGE_WORK, thirds));
	CHECK(heard(STORE_CHANGE_SERIES, sid));
	CHECK(!heard(STORE_CHANGE_WORK, unrelated) && !heard(STORE_CHANGE_USER, orphan.id));
	CHECK(nlast == 7);

	/* Orphaning: the orphan account's pages change too. */
	int64_t leaver = new_user("feed-leaver"), friend = new_user("feed-friend");
	int64_t kept = post("Kept", leaver, friend, "Leaver's", NULL);
	int64_t ksid = series_of(kept);
	expect();
	CHECK(store_user_delete(S, leaver, true) == 0);
	CHECK(calls == 1 && nlast == 5);
	CHECK(heard(STORE_CHANGE_USER, leaver) && heard(STORE_CHANGE_USER, friend) && heard(STORE_CHANGE_USER, orphan.id)
	      && heard(STORE_CHANGE_WORK, kept) && heard(STORE_CHANGE_SERIES, ksid));

	/* Someone with no works: just them. */
	int64_t lone = new_user("feed-lone");
	expect();
	CHECK(store_user_delete(S, lone, true) == 0);
	CHECK(calls == 1 && nlast == 1 && heard(STORE_CHANGE_USER, lone));
}

/* ---- Transactions and overflow ------------------------------------------------------------ */

static void test_transactions(void)
{
	int64_t a = new_user("feed-tx-a"), b = new_user("feed-tx-b");
	expect();
	CHECK(store_tx_begin(S) == 0);
	int64_t w1 = post("Tx one", a, 0, NULL, NULL);
	int64_t w2 = post("Tx two", b, 0, NULL, NULL);
	CHECK(store_user_set_role(S, a, "admin") == 0);
	CHECK(calls == 0); /* nothing before the commit */
	CHECK(store_tx_commit(S) == 0);
	/* One call with the union, each once. */
	CHECK(calls == 1 && nlast == 4);
	CHECK(heard(STORE_CHANGE_WORK, w1) && heard(STORE_CHANGE_WORK, w2) && heard(STORE_CHANGE_USER, a)
	      && heard(STORE_CHANGE_USER, b));

	expect();
	CHECK(store_tx_begin(S) == 0);
	post("Rolled back", a, 0, NULL, NULL);
	store_tx_rollback(S);
	CHECK(calls == 0);

	/* A failed commit reports nothing. */
	CHECK(store_tx_begin(S) == 0);
	post("Failed", a, 0, NULL, NULL);
	CHECK(store_user_set_role(S, 999999, "admin") == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == Q_ENOTFOUND);
	CHECK(calls == 0);
}

static void test_overflow(void)
{
	int64_t prolific = new_user("feed-prolific");
	expect();
	CHECK(store_tx_begin(S) == 0);
	for (int i = 0; i < STORE_CHANGES_MAX; i++)
		post(arena_printf(A, "Many %d", i), prolific, 0, NULL, NULL);
	CHECK(store_tx_commit(S) == 0);
	/* More than fit: one "everything" entry. */
	CHECK(calls == 1 && nlast == 1 && last[0].kind == STORE_CHANGE_WORK && last[0].id == 0);
	expect();
	CHECK(store_user_delete(S, prolific, false) == 0);
	CHECK(calls == 1 && nlast == 1 && last[0].kind == STORE_CHANGE_WORK && last[0].id == 0);
	/* Exactly as many as fit are reported one by one. */
	int64_t some = new_user("feed-some");
	expect();
	CHECK(store_tx_begin(S) == 0);
	for (int i = 0; i < STORE_CHANGES_MAX - 1; i++)
		post(arena_printf(A, "Some %d", i), some, 0, NULL, NULL);
	CHECK(store_tx_commit(S) == 0);
	CHECK(calls == 1 && nlast == STORE_CHANGES_MAX && heard(STORE_CHANGE_USER, some));
}

/* Every subscriber hears every commit; one removed hears no more. */
static void test_subscribers(void)
{
	other_calls = 0;
	store_subscribe(S, listen_other, &other_calls);
	int64_t u = new_user("feed-subs");
	CHECK(store_user_set_role(S, u, "admin") == 0);
	CHECK(other_calls == 1);
	store_unsubscribe(S, listen_other, &other_calls);
	CHECK(store_user_set_role(S, u, "user") == 0);
	CHECK(other_calls == 1);
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
	A = arena_new();
	writer_thread = pthread_self();
	CHECK(store_open_sqlite(&S, path) == 0);
	if (!S)
		return CHECK_DONE();
	store_subscribe(S, listen, NULL);
	test_silent_writes();
	test_set_role();
	test_work_writes();
	test_user_delete();
	test_transactions();
	test_overflow();
	test_subscribers();
	CHECK(!wrong_thread);
	CHECK(!duplicates);
	store_close(S);
	arena_free(A);
	remove_dir();
	return CHECK_DONE();
}
