/* The store test suite for any backend: opens QUIRE_TEST_STORE (an empty store; default a fresh
 * temporary sqlite: file) with store_open and checks every operation's contract through the API. */
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

static struct store *S;
static struct arena *A;

/* Counts the commits the change feed reported. */
static int commits;

static void count_commits(void *ctx, const struct store_change *changes, size_t n)
{
	(void)ctx, (void)changes;
	if (n > 0)
		commits++;
}

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	int rc = store_user_create(S, name, email, "$argon2id$x", NULL, &id);
	CHECK(rc == 0);
	return id;
}

/* A work with up to three tags per type given as strings. */
struct wspec {
	const char *title;
	const char *tags[TAG_TYPE_COUNT][4];
	bool draft, restricted;
	const char *series;
	int series_pos;
	int64_t cocreators[3];
};

static struct work make_work(const struct wspec *sp)
{
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = sp->title;
	w.summary = (struct text){"A *summary*", "<p>A <em>summary</em></p>"};
	w.notes = (struct text){"", ""};
	w.end_notes = (struct text){"thanks", "<p>thanks</p>"};
	w.language = "English";
	w.expected_chapters = 3;
	w.draft = sp->draft;
	w.restricted = sp->restricted;
	w.series_title = sp->series;
	w.series_position = sp->series_pos;
	w.sanitizer_version = 2;
	for (int t = 0; t < TAG_TYPE_COUNT; t++) {
		size_t n = 0;
		while (n < 4 && sp->tags[t][n])
			n++;
		const char **items = arena_calloc(A, n ? n : 1, sizeof *items);
		for (size_t i = 0; i < n; i++)
			items[i] = sp->tags[t][i];
		w.tags[t] = (struct strlist){items, n};
	}
	size_t nc = 0;
	while (nc < 3 && sp->cocreators[nc])
		nc++;
	if (nc) {
		w.creators = arena_calloc(A, nc, sizeof *w.creators);
		for (size_t i = 0; i < nc; i++)
			w.creators[i].user_id = sp->cocreators[i];
		w.ncreators = nc;
	}
	return w;
}

static struct chapter make_chapter(int64_t work_id, const char *title, int64_t words)
{
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.work_id = work_id;
	c.title = title;
	c.summary = (struct text){"", ""};
	c.notes = (struct text){"n", "<p>n</p>"};
	c.end_notes = (struct text){"", ""};
	c.content = arena_printf(A, "%s text", title);
	c.content_format = "markdown";
	c.content_html = arena_printf(A, "<p>%s text</p>", title);
	c.word_count = words;
	c.sanitizer_version = 2;
	return c;
}

static int64_t post(const struct wspec *sp, int64_t owner, int64_t words, int64_t *chapter_id)
{
	struct work w = make_work(sp);
	struct chapter c = make_chapter(0, "One", words);
	int64_t id = 0;
	CHECK(store_work_create(S, &w, &c, owner, &id, chapter_id) == 0);
	return id;
}

/* ---- Settings and accounts -------------------------------------------------------------- */

static void test_settings(void)
{
	char *v = (char *)"x";
	CHECK(store_setting_get(S, A, "site_name", &v) == Q_ENOTFOUND);
	CHECK(store_setting_set(S, "site_name", "Quire") == 0);
	CHECK(store_setting_get(S, A, "site_name", &v) == 0);
	CHECK_STR(v, "Quire");
	CHECK(store_setting_set(S, "site_name", "Quire's ' \"archive\"") == 0);
	CHECK(store_setting_get(S, A, "site_name", &v) == 0);
	CHECK_STR(v, "Quire's ' \"archive\"");
	CHECK(store_setting_get(S, A, "SITE_NAME", &v) == Q_ENOTFOUND);
}

static void test_users(void)
{
	struct user u;
	int64_t n = -1, id = 0, id2 = 0;
	CHECK(store_user_count(S, &n) == 0);
	CHECK(n == 0); /* the orphan account is not a user */
	CHECK(store_user_get_by_name(S, A, "orphan_account", &u) == 0);
	CHECK_STR(u.role, "orphan");
	CHECK_STR(u.pwhash, "");
	CHECK_STR(u.email, "orphan_account@invalid");

	CHECK(store_user_create(S, "Alice", "Alice@Example.org", "$argon2id$a", NULL, &id) == 0);
	CHECK(id > 0);
	CHECK(store_user_get(S, A, id, &u) == 0);
	CHECK_STR(u.name, "Alice");
	CHECK_STR(u.email, "Alice@Example.org");
	CHECK_STR(u.role, "user");
	CHECK_STR(u.pwhash, "$argon2id$a");
	CHECK(u.created_at > time(NULL) - 60 && u.created_at <= time(NULL));
	CHECK(store_user_get_by_name(S, A, "aLiCe", &u) == 0 && u.id == id);
	CHECK(store_user_get_by_email(S, A, "alice@EXAMPLE.ORG", &u) == 0 && u.id == id);

	CHECK(store_user_create(S, "ALICE", "other@example.org", "h", NULL, NULL) == Q_EEXIST);
	CHECK(store_user_create(S, "bob", "alice@example.org", "h", NULL, NULL) == Q_EEXIST);
	CHECK(store_user_create(S, "Orphan_Account", "o@example.org", "h", NULL, NULL) == Q_EEXIST);
	CHECK(store_user_create(S, NULL, "x@example.org", "h", NULL, NULL) == Q_EINVAL);

	/* Hostile strings are data, never SQL. */
	const char *evil = "Robert'); DROP TABLE users;--";
	CHECK(store_user_create(S, evil, "bobby@example.org", "h", "admin", &id2) == 0);
	CHECK(store_user_get_by_name(S, A, evil, &u) == 0);
	CHECK_STR(u.name, evil);
	CHECK_STR(u.role, "admin");
	CHECK(store_user_get_by_name(S, A, "%", &u) == Q_ENOTFOUND);
	CHECK(store_user_get_by_name(S, A, "Al_ce", &u) == Q_ENOTFOUND);

	CHECK(store_user_count(S, &n) == 0);
	CHECK(n == 2);
	CHECK(store_user_get(S, A, 999999, &u) == Q_ENOTFOUND);
	CHECK(store_user_get_by_email(S, A, "nobody@example.org", &u) == Q_ENOTFOUND);

	CHECK(store_user_set_password(S, id, "$argon2id$new") == 0);
	CHECK(store_user_set_role(S, id, "wrangler") == 0);
	CHECK(store_user_get(S, A, id, &u) == 0);
	CHECK_STR(u.pwhash, "$argon2id$new");
	CHECK_STR(u.role, "wrangler");
	CHECK(store_user_set_password(S, 999999, "x") == Q_ENOTFOUND);
	CHECK(store_user_set_role(S, 999999, "admin") == Q_ENOTFOUND);
}

static void test_sessions(void)
{
	struct user u;
	int64_t uid = new_user("sess"), other = new_user("sess2");
	int64_t now = time(NULL);
	CHECK(store_session_create(S, "hash-a", uid, now + 3600) == 0);
	CHECK(store_session_create(S, "hash-b", uid, now + 3600) == 0);
	CHECK(store_session_create(S, "hash-c", uid, now + 3600) == 0);
	CHECK(store_session_create(S, "hash-o", other, now + 3600) == 0);
	CHECK(store_session_create(S, "hash-a", other, now + 3600) == Q_EEXIST);
	CHECK(store_session_create(S, "hash-x", 999999, now + 3600) == Q_ENOTFOUND);

	CHECK(store_session_user(S, A, "hash-a", now, &u) == 0);
	CHECK(u.id == uid);
	CHECK_STR(u.name, "sess");
	/* Expiry is strict: at expires_at the session is gone. */
	CHECK(store_session_user(S, A, "hash-a", now + 3600, &u) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, "hash-a", now + 3599, &u) == 0);
	CHECK(store_session_user(S, A, "nope", now, &u) == Q_ENOTFOUND);

	CHECK(store_session_delete(S, "hash-a") == 0);
	CHECK(store_session_user(S, A, "hash-a", now, &u) == Q_ENOTFOUND);
	CHECK(store_session_delete(S, "hash-a") == Q_ENOTFOUND);

	CHECK(store_session_delete_for_user(S, uid, "hash-b") == 0);
	CHECK(store_session_user(S, A, "hash-b", now, &u) == 0);
	CHECK(store_session_user(S, A, "hash-c", now, &u) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, "hash-o", now, &u) == 0 && u.id == other);
	CHECK(store_session_delete_for_user(S, uid, NULL) == 0);
	CHECK(store_session_user(S, A, "hash-b", now, &u) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, "hash-o", now, &u) == 0);

	/* A session created already expired never answers. */
	CHECK(store_session_create(S, "hash-old", uid, now - 10) == 0);
	CHECK(store_session_user(S, A, "hash-old", now, &u) == Q_ENOTFOUND);
	CHECK(store_session_create(S, "hash-new", uid, now + 10) == 0);
	CHECK(store_session_user(S, A, "hash-new", now, &u) == 0 && u.id == uid);
}

static void test_tokens(void)
{
	struct user u;
	struct api_token *list;
	size_t n;
	int64_t uid = new_user("tok"), other = new_user("tok2"), t1 = 0, t2 = 0, t3 = 0;
	CHECK(store_token_create(S, uid, "th1", "laptop", &t1) == 0);
	CHECK(store_token_create(S, uid, "th2", "phone", &t2) == 0);
	CHECK(store_token_create(S, other, "th3", "theirs", &t3) == 0);
	CHECK(store_token_create(S, other, "th1", "dup", NULL) == Q_EEXIST);
	CHECK(store_token_create(S, 999999, "th9", "ghost", NULL) == Q_ENOTFOUND);

	CHECK(store_token_list(S, A, uid, &list, &n) == 0);
	CHECK(n == 2);
	if (n == 2) {
		CHECK(list[0].id == t1);
		CHECK_STR(list[0].name, "laptop");
		CHECK(list[0].last_used_at == 0);
		CHECK_STR(list[1].name, "phone");
		CHECK(list[0].created_at > 0);
	}
	CHECK(store_token_user(S, A, "th1", &u) == 0);
	CHECK(u.id == uid);
	CHECK(store_token_list(S, A, uid, &list, &n) == 0);
	CHECK(n == 2 && list[0].last_used_at > time(NULL) - 60);
	CHECK(n == 2 && list[1].last_used_at == 0);
	CHECK(store_token_user(S, A, "missing", &u) == Q_ENOTFOUND);

	/* Revoking someone else's token fails and leaves it working. */
	CHECK(store_token_revoke(S, uid, t3) == Q_ENOTFOUND);
	CHECK(store_token_user(S, A, "th3", &u) == 0 && u.id == other);
	CHECK(store_token_revoke(S, uid, t1) == 0);
	CHECK(store_token_revoke(S, uid, t1) == Q_ENOTFOUND);
	CHECK(store_token_user(S, A, "th1", &u) == Q_ENOTFOUND);
	CHECK(store_token_list(S, A, uid, &list, &n) == 0 && n == 1);
	CHECK(store_token_list(S, A, 999999, &list, &n) == 0 && n == 0);
}

/* ---- Works ------------------------------------------------------------------------------ */

static void test_work_create_get(void)
{
	int64_t owner = new_user("writer"), co = new_user("cowriter"), cid = 0;
	struct wspec sp = {
		.title = "The Long Road",
		.tags = {
			[TAG_RATING] = {"Teen And Up Audiences"},
			[TAG_FANDOM] = {"Harry Potter - J. K. Rowling", "Discworld"},
			[TAG_FREEFORM] = {"Slow Burn", "Angst", "slow burn", ""},
		},
		.series = "Roads",
		.cocreators = {co},
	};
	int64_t wid = post(&sp, owner, 1234, &cid);
	CHECK(wid > 0 && cid > 0);

	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(w.id == wid);
	CHECK_STR(w.title, "The Long Road");
	CHECK_STR(w.summary.src, "A *summary*");
	CHECK_STR(w.summary.html, "<p>A <em>summary</em></p>");
	CHECK_STR(w.notes.src, "");
	CHECK_STR(w.end_notes.html, "<p>thanks</p>");
	CHECK_STR(w.language, "English");
	CHECK(w.expected_chapters == 3);
	CHECK(!w.complete && !w.draft && !w.restricted);
	CHECK(w.published_at > 0 && w.published_at == w.updated_at && w.created_at == w.updated_at);
	CHECK(w.word_count == 1234);
	CHECK(w.chapter_count == 1);
	CHECK(w.sanitizer_version == 2);
	CHECK(w.tags[TAG_RATING].n == 1);
	CHECK(w.tags[TAG_WARNING].n == 0);
	CHECK(w.tags[TAG_FANDOM].n == 2);
	if (w.tags[TAG_FANDOM].n == 2) {
		CHECK_STR(w.tags[TAG_FANDOM].items[0], "Harry Potter - J. K. Rowling");
		CHECK_STR(w.tags[TAG_FANDOM].items[1], "Discworld");
	}
	/* "slow burn" is the same tag as "Slow Burn": linked once; empty names are skipped. */
	CHECK(w.tags[TAG_FREEFORM].n == 2);
	if (w.tags[TAG_FREEFORM].n == 2) {
		CHECK_STR(w.tags[TAG_FREEFORM].items[0], "Slow Burn");
		CHECK_STR(w.tags[TAG_FREEFORM].items[1], "Angst");
	}
	CHECK(w.ncreators == 2);
	if (w.ncreators == 2) {
		CHECK(w.creators[0].user_id == owner && w.creators[0].accepted);
		CHECK_STR(w.creators[0].name, "writer");
		CHECK(w.creators[1].user_id == co && !w.creators[1].accepted);
	}
	CHECK(w.series_id > 0);
	CHECK_STR(w.series_title, "Roads");
	CHECK(w.series_position == 1);
	int64_t roads = w.series_id;

	/* Tags are reused across works whatever the case, keeping the first spelling; the same name
	 * under another type is another tag. */
	struct wspec sp2 = {
		.title = "Second",
		.tags = {[TAG_FANDOM] = {"DISCWORLD"}, [TAG_CHARACTER] = {"Discworld"},
		         [TAG_FREEFORM] = {"angst", "Fluff"}},
		.series = "roads", /* same series, case-insensitively */
	};
	int64_t w2 = post(&sp2, owner, 10, NULL);
	CHECK(store_work_get(S, A, w2, &w) == 0);
	CHECK(w.tags[TAG_FANDOM].n == 1 && strcmp(w.tags[TAG_FANDOM].items[0], "Discworld") == 0);
	CHECK(w.tags[TAG_CHARACTER].n == 1);
	CHECK(w.tags[TAG_FREEFORM].n == 2 && strcmp(w.tags[TAG_FREEFORM].items[0], "Angst") == 0);
	CHECK_STR(w.series_title, "Roads");
	CHECK(w.series_position == 2);
	CHECK(w.series_id == roads);

	/* Names with the characters a database's array or row syntax uses come back as typed. */
	struct wspec odd = {
		.title = "Odd Names",
		.tags = {[TAG_CHARACTER] = {"Q \"the\" {Ruler}, back\\slash", "NULL", " spaced ", "a:b:c"},
		         [TAG_FREEFORM] = {"\u00e9t\u00e9 \u2603"}},
	};
	int64_t wodd = post(&odd, owner, 10, NULL);
	CHECK(store_work_get(S, A, wodd, &w) == 0);
	CHECK(w.tags[TAG_CHARACTER].n == 4 && w.tags[TAG_FREEFORM].n == 1);
	if (w.tags[TAG_CHARACTER].n == 4 && w.tags[TAG_FREEFORM].n == 1) {
		CHECK_STR(w.tags[TAG_CHARACTER].items[0], "Q \"the\" {Ruler}, back\\slash");
		CHECK_STR(w.tags[TAG_CHARACTER].items[1], "NULL");
		CHECK_STR(w.tags[TAG_CHARACTER].items[2], " spaced ");
		CHECK_STR(w.tags[TAG_CHARACTER].items[3], "a:b:c");
		CHECK_STR(w.tags[TAG_FREEFORM].items[0], "\u00e9t\u00e9 \u2603");
	}
	CHECK(w.ncreators == 1 && w.creators[0].user_id == owner);
	CHECK(store_work_delete(S, wodd) == 0);

	/* An explicit series position is kept. */
	struct wspec sp3 = {.title = "Prequel", .series = "Roads", .series_pos = 7};
	int64_t w3 = post(&sp3, owner, 10, NULL);
	CHECK(store_work_get(S, A, w3, &w) == 0 && w.series_position == 7);
	struct wspec sp4 = {.title = "Sequel", .series = "Roads"};
	int64_t w4 = post(&sp4, owner, 10, NULL);
	CHECK(store_work_get(S, A, w4, &w) == 0 && w.series_position == 8);
	/* Another owner's "Roads" is another series. */
	int64_t other = new_user("otherwriter");
	int64_t w5 = post(&sp4, other, 10, NULL);
	CHECK(store_work_get(S, A, w5, &w) == 0 && w.series_position == 1);

	/* A draft is not published. */
	struct wspec sd = {.title = "Draft", .draft = true};
	int64_t wd = post(&sd, owner, 5, &cid);
	struct chapter ch;
	CHECK(store_work_get(S, A, wd, &w) == 0);
	CHECK(w.draft && w.published_at == 0 && w.updated_at > 0);
	CHECK(store_chapter_get(S, A, wd, cid, &ch) == 0 && ch.published_at == 0);

	CHECK(store_work_get(S, A, 999999, &w) == Q_ENOTFOUND);
	/* Invalid input. */
	struct work bad = make_work(&sp);
	bad.tags[TAG_FREEFORM].items = NULL;
	struct chapter c = make_chapter(0, "x", 1);
	CHECK(store_work_create(S, &bad, &c, owner, NULL, NULL) == Q_EINVAL);
	CHECK(store_work_create(S, &bad, NULL, owner, NULL, NULL) == Q_EINVAL);
}

/* A failed create leaves nothing behind: not the work, its tags, its series nor its chapter. */
static void test_work_create_atomic(void)
{
	int64_t owner = new_user("atomic");
	struct work_query mine = {.creator_id = owner, .viewer_id = owner, .include_drafts = true};
	struct work_query all = {.viewer_id = owner};
	struct work_page p;
	int64_t works = -1;
	CHECK(store_work_list(S, A, &all, &p) == 0);
	works = p.total;
	struct wspec sp = {
		.title = "Doomed",
		.tags = {[TAG_FREEFORM] = {"Unique Doomed Tag"}},
		.series = "Doomed Series",
		.cocreators = {987654},
	};
	struct work w = make_work(&sp);
	struct chapter c = make_chapter(0, "One", 10);
	int64_t wid = -1;
	int before = commits;
	CHECK(store_work_create(S, &w, &c, owner, &wid, NULL) == Q_ENOTFOUND);
	CHECK(wid == -1);
	CHECK(commits == before);
	CHECK(store_work_list(S, A, &mine, &p) == 0 && p.total == 0);
	CHECK(store_work_list(S, A, &all, &p) == 0 && p.total == works);
	/* A missing owner as well. */
	struct wspec sp2 = {.title = "Ownerless"};
	w = make_work(&sp2);
	CHECK(store_work_create(S, &w, &c, 987654, &wid, NULL) == Q_ENOTFOUND);
	CHECK(store_work_list(S, A, &all, &p) == 0 && p.total == works);
}

static void test_work_update(void)
{
	int64_t owner = new_user("updater"), co = new_user("coupdater"), cid = 0;
	struct wspec sp = {
		.title = "Before",
		.tags = {[TAG_FREEFORM] = {"Old Tag", "Kept"}},
		.series = "First Series",
		.cocreators = {co},
		.draft = true,
	};
	int64_t wid = post(&sp, owner, 100, &cid);
	struct chapter c2 = make_chapter(wid, "Two", 50);
	int64_t cid2 = 0;
	CHECK(store_chapter_create(S, &c2, &cid2) == 0);

	struct work w, before;
	CHECK(store_work_get(S, A, wid, &before) == 0);
	CHECK(before.draft && before.published_at == 0);

	struct wspec up = {
		.title = "After",
		.tags = {[TAG_FREEFORM] = {"Kept", "New Tag"}, [TAG_RATING] = {"General Audiences"}},
		.series = "Second Series",
		.draft = true,
	};
	w = make_work(&up);
	w.id = wid;
	w.summary = (struct text){"new", "<p>new</p>"};
	w.language = "Deutsch";
	w.complete = true;
	w.restricted = true;
	w.expected_chapters = 2;
	w.sanitizer_version = 3;
	CHECK(store_work_update(S, &w) == 0);
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK_STR(w.title, "After");
	CHECK_STR(w.summary.html, "<p>new</p>");
	CHECK_STR(w.language, "Deutsch");
	CHECK(w.complete && w.restricted && w.draft);
	CHECK(w.expected_chapters == 2 && w.sanitizer_version == 3);
	CHECK(w.updated_at == before.updated_at);
	CHECK(w.published_at == 0);
	CHECK(w.tags[TAG_FREEFORM].n == 2 && strcmp(w.tags[TAG_FREEFORM].items[0], "Kept") == 0
	      && strcmp(w.tags[TAG_FREEFORM].items[1], "New Tag") == 0);
	CHECK(w.tags[TAG_RATING].n == 1);
	CHECK_STR(w.series_title, "Second Series");
	CHECK(w.series_position == 1);
	/* Creators are untouched by update. */
	CHECK(w.ncreators == 2 && w.creators[1].user_id == co);

	/* Posting the draft publishes the work and its chapters. */
	w.draft = false;
	CHECK(store_work_update(S, &w) == 0);
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(!w.draft && w.published_at >= before.created_at && w.published_at > 0);
	CHECK(w.series_position == 1); /* same series, position kept */
	struct chapter ch;
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0 && ch.published_at == w.published_at);
	CHECK(store_chapter_get(S, A, wid, cid2, &ch) == 0 && ch.published_at == w.published_at);

	/* Posted works cannot go back to draft, and nothing of that update lands. */
	w.draft = true;
	w.title = "Sneaky";
	CHECK(store_work_update(S, &w) == Q_EINVAL);
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(!w.draft);
	CHECK_STR(w.title, "After");

	/* Leaving the series. */
	w.series_title = "";
	CHECK(store_work_update(S, &w) == 0);
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(w.series_id == 0 && w.series_title == NULL && w.series_position == 0);

	w.id = 999999;
	CHECK(store_work_update(S, &w) == Q_ENOTFOUND);
}

static void test_invites(void)
{
	int64_t owner = new_user("inviter"), a = new_user("invitee"), b = new_user("invitee2");
	struct wspec sp = {.title = "Shared"};
	int64_t wid = post(&sp, owner, 10, NULL);
	struct work *list;
	size_t n;
	struct work w;

	CHECK(store_invites_for_user(S, A, a, &list, &n) == 0 && n == 0);
	CHECK(store_work_invite(S, wid, a) == 0);
	CHECK(store_work_invite(S, wid, b) == 0);
	CHECK(store_work_invite(S, wid, a) == Q_EEXIST);
	CHECK(store_work_invite(S, wid, owner) == Q_EEXIST);
	CHECK(store_work_invite(S, wid, 999999) == Q_ENOTFOUND);
	CHECK(store_work_invite(S, 999999, a) == Q_ENOTFOUND);

	CHECK(store_invites_for_user(S, A, a, &list, &n) == 0);
	CHECK(n == 1 && list[0].id == wid);
	CHECK(n == 1 && list[0].ncreators == 3);
	CHECK(n == 1 && strcmp(list[0].title, "Shared") == 0);

	/* Pending creators don't count as creators in listings. */
	struct work_query q = {.creator_id = a, .viewer_id = a};
	struct work_page page;
	CHECK(store_work_list(S, A, &q, &page) == 0 && page.total == 0);

	CHECK(store_work_accept(S, wid, a) == 0);
	CHECK(store_work_accept(S, wid, a) == Q_ENOTFOUND);
	CHECK(store_work_accept(S, wid, owner) == Q_ENOTFOUND);
	CHECK(store_work_accept(S, wid, 999999) == Q_ENOTFOUND);
	CHECK(store_invites_for_user(S, A, a, &list, &n) == 0 && n == 0);
	CHECK(store_work_list(S, A, &q, &page) == 0 && page.total == 1 && page.n == 1);

	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(w.ncreators == 3);
	if (w.ncreators == 3) {
		CHECK(w.creators[0].user_id == owner);
		CHECK(w.creators[1].user_id == a && w.creators[1].accepted);
		CHECK(w.creators[2].user_id == b && !w.creators[2].accepted);
	}
}

/* ---- Chapters --------------------------------------------------------------------------- */

static void test_chapters(void)
{
	int64_t owner = new_user("chapterer"), c1 = 0, c2 = 0, c3 = 0, c4 = 0;
	struct wspec sp = {.title = "Chaptered"};
	int64_t wid = post(&sp, owner, 100, &c1);
	struct chapter c = make_chapter(wid, "Two", 200);
	CHECK(store_chapter_create(S, &c, &c2) == 0);
	c = make_chapter(wid, "Three", 300);
	CHECK(store_chapter_create(S, &c, &c3) == 0);
	c = make_chapter(999999, "Lost", 1);
	CHECK(store_chapter_create(S, &c, NULL) == Q_ENOTFOUND);

	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(w.word_count == 600 && w.chapter_count == 3);

	struct chapter got;
	CHECK(store_chapter_get(S, A, wid, c2, &got) == 0);
	CHECK(got.id == c2 && got.work_id == wid && got.position == 2);
	CHECK_STR(got.title, "Two");
	CHECK_STR(got.content, "Two text");
	CHECK_STR(got.content_html, "<p>Two text</p>");
	CHECK_STR(got.content_format, "markdown");
	CHECK_STR(got.notes.html, "<p>n</p>");
	CHECK(got.word_count == 200 && got.published_at > 0 && got.updated_at > 0);
	CHECK(got.sanitizer_version == 2);
	/* A chapter is only found under its own work. */
	int64_t other = post(&sp, owner, 1, NULL);
	CHECK(store_chapter_get(S, A, other, c2, &got) == Q_ENOTFOUND);
	CHECK(store_chapter_get(S, A, wid, 999999, &got) == Q_ENOTFOUND);

	struct chapter *list;
	size_t n;
	CHECK(store_chapter_list(S, A, wid, false, &list, &n) == 0);
	CHECK(n == 3);
	if (n == 3) {
		CHECK(list[0].id == c1 && list[1].id == c2 && list[2].id == c3);
		CHECK(list[0].position == 1 && list[2].position == 3);
		CHECK(list[1].content == NULL && list[1].content_html == NULL);
		CHECK_STR(list[1].title, "Two");
		CHECK(list[2].word_count == 300);
	}
	CHECK(store_chapter_list(S, A, wid, true, &list, &n) == 0);
	CHECK(n == 3 && list[2].content && strcmp(list[2].content_html, "<p>Three text</p>") == 0);
	CHECK(store_chapter_list(S, A, 999999, false, &list, &n) == 0 && n == 0);

	/* Update. */
	c = make_chapter(wid, "Two, revised", 250);
	c.id = c2;
	c.content = "new words";
	CHECK(store_chapter_update(S, &c) == 0);
	CHECK(store_chapter_get(S, A, wid, c2, &got) == 0);
	CHECK_STR(got.title, "Two, revised");
	CHECK_STR(got.content, "new words");
	CHECK(got.position == 2);
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.word_count == 650);
	c.work_id = other;
	CHECK(store_chapter_update(S, &c) == Q_ENOTFOUND);
	c.work_id = wid;
	c.id = 999999;
	CHECK(store_chapter_update(S, &c) == Q_ENOTFOUND);

	/* Reorder: exactly the work's chapters, each once. */
	int64_t order[] = {c3, c1, c2};
	CHECK(store_chapter_reorder(S, wid, order, 3) == 0);
	CHECK(store_chapter_list(S, A, wid, false, &list, &n) == 0);
	CHECK(n == 3 && list[0].id == c3 && list[1].id == c1 && list[2].id == c2);
	CHECK(n == 3 && list[0].position == 1 && list[1].position == 2 && list[2].position == 3);
	int64_t short_set[] = {c1, c2};
	int64_t dup[] = {c1, c1, c2};
	int64_t foreign[] = {c1, c2, 999999};
	int64_t too_many[] = {c1, c2, c3, c3};
	CHECK(store_chapter_reorder(S, wid, short_set, 2) == Q_EINVAL);
	CHECK(store_chapter_reorder(S, wid, dup, 3) == Q_EINVAL);
	CHECK(store_chapter_reorder(S, wid, foreign, 3) == Q_EINVAL);
	CHECK(store_chapter_reorder(S, wid, too_many, 4) == Q_EINVAL);
	CHECK(store_chapter_reorder(S, wid, NULL, 0) == Q_EINVAL);
	CHECK(store_chapter_reorder(S, 999999, order, 3) == Q_ENOTFOUND);
	/* Nothing of a refused reorder lands, even the positions set before the bad id. */
	CHECK(store_chapter_list(S, A, wid, false, &list, &n) == 0);
	CHECK(n == 3 && list[0].id == c3 && list[1].id == c1 && list[2].id == c2);

	/* Delete renumbers; the last chapter stays. */
	c = make_chapter(wid, "Four", 1);
	CHECK(store_chapter_create(S, &c, &c4) == 0);
	CHECK(store_chapter_delete(S, wid, c1) == 0);
	CHECK(store_chapter_list(S, A, wid, false, &list, &n) == 0);
	CHECK(n == 3);
	if (n == 3) {
		CHECK(list[0].id == c3 && list[0].position == 1);
		CHECK(list[1].id == c2 && list[1].position == 2);
		CHECK(list[2].id == c4 && list[2].position == 3);
	}
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.word_count == 551 && w.chapter_count == 3);
	CHECK(store_chapter_delete(S, wid, c1) == Q_ENOTFOUND);
	CHECK(store_chapter_delete(S, other, c2) == Q_ENOTFOUND);
	CHECK(store_chapter_delete(S, wid, c4) == 0);
	CHECK(store_chapter_delete(S, wid, c3) == 0);
	CHECK(store_chapter_delete(S, wid, c2) == Q_EINVAL);
	CHECK(store_chapter_list(S, A, wid, false, &list, &n) == 0 && n == 1 && list[0].position == 1);
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.word_count == 250);

	/* Chapters added to a draft wait for the work to be posted. */
	struct wspec sd = {.title = "Drafty", .draft = true};
	int64_t wd = post(&sd, owner, 1, NULL);
	c = make_chapter(wd, "Later", 1);
	CHECK(store_chapter_create(S, &c, &c4) == 0);
	CHECK(store_chapter_get(S, A, wd, c4, &got) == 0 && got.published_at == 0 && got.position == 2);
}

static void test_work_delete(void)
{
	int64_t owner = new_user("deleter"), cid = 0;
	struct wspec sp = {.title = "Gone", .tags = {[TAG_FREEFORM] = {"Stays"}}, .series = "Lonely"};
	int64_t wid = post(&sp, owner, 1, &cid);
	struct chapter c = make_chapter(wid, "Two", 1);
	CHECK(store_chapter_create(S, &c, NULL) == 0);
	CHECK(store_work_delete(S, wid) == 0);
	struct work w;
	struct chapter ch;
	CHECK(store_work_get(S, A, wid, &w) == Q_ENOTFOUND);
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == Q_ENOTFOUND);
	CHECK(store_work_delete(S, wid) == Q_ENOTFOUND);
	struct chapter *list;
	size_t n = 99;
	CHECK(store_chapter_list(S, A, wid, false, &list, &n) == 0 && n == 0);
}

/* ---- Listing ---------------------------------------------------------------------------- */

static void test_work_list(void)
{
	/* A fresh population: every work here belongs to these two users. */
	int64_t u1 = new_user("lister"), u2 = new_user("lister2");
	int64_t ids[30];
	for (int i = 0; i < 25; i++) {
		struct wspec sp = {.title = arena_printf(A, "L%d", i), .tags = {[TAG_FANDOM] = {"Listing"}}};
		ids[i] = post(&sp, u1, i, NULL);
	}
	struct wspec sr = {.title = "Restricted", .restricted = true};
	int64_t wr = post(&sr, u1, 1, NULL);
	struct wspec sd = {.title = "Drafted", .draft = true};
	int64_t wd = post(&sd, u1, 1, NULL);
	struct wspec so = {.title = "Theirs", .series = "Lister2 Series"};
	int64_t wo = post(&so, u2, 1, NULL);
	struct wspec so2 = {.title = "Theirs first", .series = "Lister2 Series", .series_pos = 1};
	struct wspec so3 = {.title = "Theirs last", .series = "Lister2 Series", .series_pos = 9};
	int64_t wo2 = post(&so2, u2, 1, NULL);
	int64_t wo3 = post(&so3, u2, 1, NULL);

	struct work_page p;
	struct work_query q = {.creator_id = u1};
	/* Guests: no drafts, no restricted works. */
	CHECK(store_work_list(S, A, &q, &p) == 0);
	CHECK(p.total == 25);
	CHECK(p.n == 20);
	/* Same second for all of them: newest id first. */
	CHECK(p.n == 20 && p.items[0].id == ids[24] && p.items[19].id == ids[5]);
	CHECK(p.n == 20 && p.items[0].tags[TAG_FANDOM].n == 1 && p.items[0].ncreators == 1
	      && p.items[0].chapter_count == 1 && p.items[0].word_count == 24);
	q.offset = 20;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 25 && p.n == 5 && p.items[4].id == ids[0]);
	q.offset = 100;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 25 && p.n == 0);
	q.offset = -5;
	q.limit = 3;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.n == 3 && p.items[0].id == ids[24]);
	q.limit = 1000; /* capped at 100 */
	q.offset = 0;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.n == 25);

	/* A logged-in viewer sees restricted works; drafts only when listing their own. */
	q = (struct work_query){.creator_id = u1, .viewer_id = u2, .include_drafts = true, .limit = 100};
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 26);
	bool saw_restricted = false, saw_draft = false;
	for (size_t i = 0; i < p.n; i++) {
		saw_restricted |= p.items[i].id == wr;
		saw_draft |= p.items[i].id == wd;
	}
	CHECK(saw_restricted && !saw_draft);
	q.viewer_id = u1;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 27);
	q.include_drafts = false;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 26);
	/* include_drafts without a creator filter shows nobody's drafts. */
	q = (struct work_query){.viewer_id = u1, .include_drafts = true, .limit = 100};
	CHECK(store_work_list(S, A, &q, &p) == 0);
	for (size_t i = 0; i < p.n; i++)
		CHECK(!p.items[i].draft);

	/* Series: in series order. */
	struct work w;
	CHECK(store_work_get(S, A, wo, &w) == 0);
	q = (struct work_query){.series_id = w.series_id};
	CHECK(store_work_list(S, A, &q, &p) == 0);
	CHECK(p.total == 3 && p.n == 3);
	if (p.n == 3) {
		CHECK(p.items[0].id == wo || p.items[0].id == wo2); /* both at position 1 */
		CHECK(p.items[2].id == wo3);
		CHECK_STR(p.items[2].series_title, "Lister2 Series");
	}
	q.creator_id = u1;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 0 && p.n == 0);
	CHECK(store_work_list(S, A, NULL, &p) == Q_EINVAL);
}

/* ---- The writer's check and readers' suggestions -------------------------------------- */

/* How many of list's words of kind are word (in the work's scope: work_id > 0, or the writer's: 0). */
static int words_with(const struct writing_word *list, size_t n, int64_t work_id, int kind, const char *word)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += list[i].work_id == work_id && list[i].kind == kind && !strcmp(list[i].word, word);
	return k;
}

/* Remembered words: per work or per writer, once each, one variant per scope, capped; read together; gone
 * with the work or the writer. */
static void test_writing_words(void)
{
	int64_t writer = new_user("words_writer"), other = new_user("words_other");
	struct wspec sp = {.title = "Remembered"};
	int64_t wid = post(&sp, writer, 10, NULL), wid2 = post(&sp, writer, 10, NULL);
	CHECK(store_writing_word_set(S, wid, writer, WRITING_WORD_NAME, "Saoirse", true, 10) == Q_EINVAL); /* both */
	CHECK(store_writing_word_set(S, 0, 0, WRITING_WORD_NAME, "Saoirse", true, 10) == Q_EINVAL);       /* neither */
	CHECK(store_writing_word_set(S, wid, 0, 9, "Saoirse", true, 10) == Q_EINVAL);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "", true, 10) == Q_EINVAL);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "Saoirse", true, 10) == 0);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "Saoirse", true, 10) == 0); /* twice: one */
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_DISMISSED, "spelling:Vellmarsh", true, 10) == 0);
	CHECK(store_writing_word_set(S, 0, writer, WRITING_WORD_NAME, "Eliot", true, 10) == 0);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_VARIANT, "en_US", true, 10) == 0);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_VARIANT, "en_GB", true, 10) == 0); /* replaces */
	CHECK(store_writing_word_set(S, 0, other, WRITING_WORD_NAME, "Other", true, 10) == 0);
	struct writing_word *list;
	size_t n = 0;
	CHECK(store_writing_words_list(S, A, wid, writer, 100, &list, &n) == 0 && n == 4);
	CHECK(words_with(list, n, wid, WRITING_WORD_NAME, "Saoirse") == 1);
	CHECK(words_with(list, n, wid, WRITING_WORD_DISMISSED, "spelling:Vellmarsh") == 1);
	CHECK(words_with(list, n, wid, WRITING_WORD_VARIANT, "en_GB") == 1);
	CHECK(words_with(list, n, wid, WRITING_WORD_VARIANT, "en_US") == 0);
	CHECK(words_with(list, n, 0, WRITING_WORD_NAME, "Eliot") == 1);
	/* Another work of the writer's sees the writer's words only; the limit holds. */
	CHECK(store_writing_words_list(S, A, wid2, writer, 100, &list, &n) == 0 && n == 1);
	CHECK(store_writing_words_list(S, A, wid, writer, 2, &list, &n) == 0 && n == 2);
	/* The cap is per scope. */
	CHECK(store_writing_word_set(S, wid2, 0, WRITING_WORD_NAME, "One", true, 2) == 0);
	CHECK(store_writing_word_set(S, wid2, 0, WRITING_WORD_NAME, "Two", true, 2) == 0);
	CHECK(store_writing_word_set(S, wid2, 0, WRITING_WORD_NAME, "Three", true, 2) == Q_ETOOBIG);
	CHECK(store_writing_word_set(S, wid2, 0, WRITING_WORD_NAME, "Two", true, 2) == 0); /* there already */
	/* Removing: once, and harmlessly again. */
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "Saoirse", false, 10) == 0);
	CHECK(store_writing_word_set(S, wid, 0, WRITING_WORD_NAME, "Saoirse", false, 10) == 0);
	CHECK(store_writing_words_list(S, A, wid, writer, 100, &list, &n) == 0 && n == 3);
	/* Gone with the work, and with the writer. */
	CHECK(store_work_delete(S, wid) == 0);
	CHECK(store_writing_words_list(S, A, wid, 0, 100, &list, &n) == 0 && n == 0);
	CHECK(store_user_delete(S, other, false) == 0);
	CHECK(store_writing_words_list(S, A, 0, other, 100, &list, &n) == 0 && n == 0);
	CHECK(store_writing_words_list(S, A, 0, writer, 100, &list, &n) == 0 && n == 1);
}

/* The newest inbox message of user (kind filled), 0 when none. */
static int64_t newest_message(int64_t user, struct inbox_item *out)
{
	struct inbox_item *items;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	CHECK(store_inbox_list(S, A, user, false, 0, 1, &items, &n) == 0);
	if (n == 0)
		return 0;
	*out = items[0];
	return items[0].id;
}

/* Readers' suggestions: the work's setting, limits, the three list shapes, answers once, the inbox messages
 * of both sides, and everything gone with the chapter, the work or the reader. */
static void test_suggestions(void)
{
	int64_t writer = new_user("sugg_writer"), cowriter = new_user("sugg_cowriter"), reader = new_user("sugg_reader");
	int64_t other = new_user("sugg_other"), cid = 0;
	struct wspec sp = {.title = "Suggested Upon", .cocreators = {cowriter}};
	int64_t wid = post(&sp, writer, 10, &cid);
	CHECK(store_work_accept(S, wid, cowriter) == 0);
	bool on = true;
	CHECK(store_suggestions_enabled(S, wid, &on) == 0 && !on); /* off by default */
	CHECK(store_suggestions_enabled_set(S, wid, true) == 0);
	CHECK(store_suggestions_enabled_set(S, wid, true) == 0);
	CHECK(store_suggestions_enabled(S, wid, &on) == 0 && on);
	CHECK(store_suggestions_enabled_set(S, 0, true) == Q_EINVAL);

	int64_t unread_w0 = 0, unread_c0 = 0, unread;
	CHECK(store_inbox_unread(S, writer, &unread_w0) == 0 && store_inbox_unread(S, cowriter, &unread_c0) == 0);
	struct reader_suggestion s = {.work_id = wid, .chapter_id = cid, .user_id = reader, .quote = "One text",
	                              .prefix = "", .suffix = "", .replacement = "One line", .note = NULL};
	int64_t since = (int64_t)time(NULL) - 60, id1 = 0, id2 = 0, id3 = 0;
	CHECK(store_suggestion_create(S, &s, since, 10, 2, &id1) == 0 && id1 > 0);
	s.replacement = NULL, s.note = "Is this right?";
	CHECK(store_suggestion_create(S, &s, since, 10, 2, &id2) == 0 && id2 > id1);
	CHECK(store_suggestion_create(S, &s, since, 10, 2, &id3) == Q_ETOOBIG); /* two open on the chapter */
	CHECK(store_suggestion_create(S, &s, since, 2, 10, &id3) == Q_EBUSY);  /* two since then */
	s.quote = "";
	CHECK(store_suggestion_create(S, &s, since, 10, 10, &id3) == Q_EINVAL);
	s.quote = "One text";
	/* Each creator has two new unread messages, with the passage. */
	CHECK(store_inbox_unread(S, writer, &unread) == 0 && unread == unread_w0 + 2);
	CHECK(store_inbox_unread(S, cowriter, &unread) == 0 && unread == unread_c0 + 2);
	struct inbox_item it;
	CHECK(newest_message(writer, &it) > 0 && it.kind == INBOX_SUGGESTION && !it.read);
	CHECK(it.work_id == wid && it.chapter_id == cid);
	CHECK_STR(it.body, "One text");
	CHECK_STR(it.actor_name, "sugg_reader");

	struct reader_suggestion got;
	CHECK(store_suggestion_get(S, A, id1, &got) == 0);
	CHECK(got.work_id == wid && got.chapter_id == cid && got.user_id == reader && got.state == SUGGESTION_OPEN);
	CHECK_STR(got.user_name, "sugg_reader");
	CHECK_STR(got.replacement, "One line");
	CHECK(got.note == NULL && got.reply == NULL && got.chapter_position == 1);
	CHECK_STR(got.work_title, "Suggested Upon");
	CHECK(store_suggestion_get(S, A, 999999, &got) == Q_ENOTFOUND);

	/* The shapes: a chapter's, one reader's on it, a creator's works'; newest first; paged by id. */
	struct reader_suggestion *list;
	size_t n = 0;
	struct suggestion_query q = {.chapter_id = cid, .state = -1};
	CHECK(store_suggestions_list(S, A, &q, &list, &n) == 0 && n == 2 && list[0].id == id2);
	q = (struct suggestion_query){.chapter_id = cid, .user_id = other, .state = -1};
	CHECK(store_suggestions_list(S, A, &q, &list, &n) == 0 && n == 0);
	q = (struct suggestion_query){.creator_id = cowriter, .state = SUGGESTION_OPEN, .before_id = id2};
	CHECK(store_suggestions_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == id1);
	q = (struct suggestion_query){.creator_id = reader, .state = -1};
	CHECK(store_suggestions_list(S, A, &q, &list, &n) == 0 && n == 0);
	q = (struct suggestion_query){.user_id = reader, .state = -1};
	CHECK(store_suggestions_list(S, A, &q, &list, &n) == Q_EINVAL); /* no shape */

	/* A reply keeps it open, reads the writers' messages and tells the reader; an acceptance tells the
	 * reader; a dismissal tells nobody; a second answer finds nothing open. */
	int64_t unread_r0 = 0;
	CHECK(store_inbox_unread(S, reader, &unread_r0) == 0);
	CHECK(store_suggestion_set_state(S, id2, SUGGESTION_OPEN, SUGGESTION_OPEN, "Yes, it is.", writer) == 0);
	CHECK(store_suggestion_get(S, A, id2, &got) == 0 && got.state == SUGGESTION_OPEN);
	CHECK_STR(got.reply, "Yes, it is.");
	CHECK(store_inbox_unread(S, writer, &unread) == 0 && unread == unread_w0 + 1);
	CHECK(store_inbox_unread(S, cowriter, &unread) == 0 && unread == unread_c0 + 1);
	CHECK(newest_message(reader, &it) > 0 && it.kind == INBOX_SUGGESTION_ANSWERED && !it.read);
	CHECK_STR(it.body, "Yes, it is.");
	CHECK_STR(it.actor_name, "sugg_writer");
	CHECK(store_suggestion_set_state(S, id1, SUGGESTION_OPEN, SUGGESTION_ACCEPTED, NULL, cowriter) == 0);
	CHECK(store_suggestion_set_state(S, id1, SUGGESTION_OPEN, SUGGESTION_DISMISSED, NULL, writer) == Q_ENOTFOUND);
	CHECK(newest_message(reader, &it) > 0 && it.kind == INBOX_SUGGESTION_ACCEPTED && it.chapter_id == cid);
	CHECK_STR(it.actor_name, "sugg_cowriter");
	CHECK(store_suggestion_set_state(S, id2, SUGGESTION_OPEN, SUGGESTION_DISMISSED, NULL, writer) == 0);
	CHECK(store_inbox_unread(S, reader, &unread) == 0 && unread == unread_r0 + 2);
	CHECK(store_inbox_unread(S, writer, &unread) == 0 && unread == unread_w0);
	CHECK(store_suggestion_set_state(S, id2, SUGGESTION_OPEN, 7, NULL, writer) == Q_EINVAL);
	q = (struct suggestion_query){.chapter_id = cid, .state = SUGGESTION_OPEN};
	CHECK(store_suggestions_list(S, A, &q, &list, &n) == 0 && n == 0);

	/* Gone with the chapter (and their messages with them), with the reader, with the work. */
	struct chapter c2 = make_chapter(wid, "Two", 5);
	int64_t cid2 = 0, id4 = 0, id5 = 0;
	CHECK(store_chapter_create(S, &c2, &cid2) == 0);
	s.chapter_id = cid2, s.quote = "Two text";
	CHECK(store_suggestion_create(S, &s, since, 10, 10, &id4) == 0);
	CHECK(store_inbox_unread(S, writer, &unread) == 0 && unread == unread_w0 + 1);
	CHECK(store_chapter_delete(S, wid, cid2) == 0);
	CHECK(store_suggestion_get(S, A, id4, &got) == Q_ENOTFOUND);
	CHECK(store_inbox_unread(S, writer, &unread) == 0 && unread == unread_w0);
	s.chapter_id = cid, s.user_id = other, s.quote = "One text";
	CHECK(store_suggestion_create(S, &s, since, 10, 10, &id5) == 0);
	CHECK(store_user_delete(S, other, false) == 0);
	CHECK(store_suggestion_get(S, A, id5, &got) == Q_ENOTFOUND);
	CHECK(store_inbox_unread(S, cowriter, &unread) == 0 && unread == unread_c0);
	CHECK(store_work_delete(S, wid) == 0);
	CHECK(store_suggestion_get(S, A, id1, &got) == Q_ENOTFOUND);
	CHECK(store_inbox_unread(S, reader, &unread) == 0 && unread == unread_r0);
	CHECK(store_suggestions_enabled(S, wid, &on) == 0 && !on);
}

/* ---- Deleting users --------------------------------------------------------------------- */

/* Blocks: set once, listed newest first, capped, asked about by a work's accepted creators or one user, gone
 * with either account. */
static void test_blocks(void)
{
	int64_t writer = new_user("block_writer"), cowriter = new_user("block_cowriter");
	int64_t pending = new_user("block_pending"), pest = new_user("block_pest"), other = new_user("block_other");
	struct wspec sp = {.title = "Blocked From", .cocreators = {cowriter, pending}};
	int64_t wid = post(&sp, writer, 10, NULL);
	CHECK(store_work_accept(S, wid, cowriter) == 0); /* block_pending never accepts */
	int by = -1;
	CHECK(store_user_blocked_by(S, pest, wid, other, &by) == 0 && by == BLOCKED_BY_NOBODY);
	CHECK(store_user_block_set(S, pest, pest, true, 10) == Q_EINVAL);
	/* A pending co-creator's block does not close the work; an accepted one's does. */
	CHECK(store_user_block_set(S, pending, pest, true, 10) == 0);
	CHECK(store_user_blocked_by(S, pest, wid, 0, &by) == 0 && by == BLOCKED_BY_NOBODY);
	CHECK(store_user_block_set(S, cowriter, pest, true, 10) == 0);
	CHECK(store_user_block_set(S, cowriter, pest, true, 10) == 0); /* twice: one row */
	CHECK(store_user_blocked_by(S, pest, wid, 0, &by) == 0 && by == BLOCKED_BY_CREATOR);
	CHECK(store_user_blocked_by(S, pest, 0, 0, &by) == 0 && by == BLOCKED_BY_NOBODY);
	/* The other user wins: their comment is the one being answered. */
	CHECK(store_user_block_set(S, other, pest, true, 10) == 0);
	CHECK(store_user_blocked_by(S, pest, wid, other, &by) == 0 && by == BLOCKED_BY_USER);
	CHECK(store_user_blocked_by(S, other, wid, pest, &by) == 0 && by == BLOCKED_BY_NOBODY); /* one way only */
	/* Listed newest first (same second: newer id first), capped. */
	CHECK(store_user_block_set(S, cowriter, other, true, 2) == 0);
	CHECK(store_user_block_set(S, cowriter, writer, true, 2) == Q_ETOOBIG);
	struct user_block *list;
	size_t n = 0;
	CHECK(store_user_blocks_list(S, A, cowriter, 10, &list, &n) == 0 && n == 2);
	if (n == 2) {
		CHECK_STR(list[0].name, "block_other");
		CHECK(list[1].user_id == pest && list[1].created_at > 0);
	}
	/* Unblocking: once is enough, twice harmless. */
	CHECK(store_user_block_set(S, cowriter, pest, false, 10) == 0);
	CHECK(store_user_block_set(S, cowriter, pest, false, 10) == 0);
	CHECK(store_user_blocked_by(S, pest, wid, 0, &by) == 0 && by == BLOCKED_BY_NOBODY);
	/* A deleted account's blocks go with it, both ways. */
	CHECK(store_user_delete(S, other, false) == 0);
	CHECK(store_user_blocks_list(S, A, cowriter, 10, &list, &n) == 0 && n == 0);
	CHECK(store_user_blocked_by(S, pest, 0, other, &by) == 0 && by == BLOCKED_BY_NOBODY);
}

static void test_user_delete(void)
{
	struct user orphan, u;
	CHECK(store_user_get_by_name(S, A, "orphan_account", &orphan) == 0);
	CHECK(store_user_delete(S, orphan.id, true) == Q_EINVAL);
	CHECK(store_user_delete(S, 999999, true) == Q_ENOTFOUND);

	/* Orphaning: owned works pass to orphan_account, co-created ones just lose the user. */
	int64_t leaver = new_user("leaver"), friend = new_user("friend"), cid = 0;
	struct wspec sp = {.title = "Orphaned", .series = "Shared Title", .cocreators = {friend}};
	int64_t owned = post(&sp, leaver, 10, &cid);
	struct wspec sp2 = {.title = "Orphaned 2", .series = "Shared Title"};
	int64_t owned2 = post(&sp2, leaver, 10, NULL);
	struct wspec sf = {.title = "Friend's"};
	int64_t theirs = post(&sf, friend, 10, NULL);
	CHECK(store_work_invite(S, theirs, leaver) == 0);
	CHECK(store_work_accept(S, theirs, leaver) == 0);
	CHECK(store_session_create(S, "leaver-session", leaver, time(NULL) + 100) == 0);
	CHECK(store_token_create(S, leaver, "leaver-token", "t", NULL) == 0);

	/* The orphan account already has a series called "Shared Title": the works join it after
	 * its own. */
	int64_t earlier = new_user("earlier");
	struct wspec se = {.title = "Earlier", .series = "Shared Title"};
	int64_t earlier_work = post(&se, earlier, 10, NULL);
	CHECK(store_user_delete(S, earlier, true) == 0);

	CHECK(store_user_delete(S, leaver, true) == 0);
	CHECK(store_user_get(S, A, leaver, &u) == Q_ENOTFOUND);
	struct work w;
	CHECK(store_work_get(S, A, owned, &w) == 0);
	CHECK(w.ncreators == 2);
	if (w.ncreators == 2) {
		CHECK(w.creators[0].user_id == orphan.id && w.creators[0].accepted);
		CHECK_STR(w.creators[0].name, "orphan_account");
		CHECK(w.creators[1].user_id == friend);
	}
	int64_t series = w.series_id;
	CHECK_STR(w.series_title, "Shared Title");
	CHECK(w.series_position == 2);
	CHECK(store_work_get(S, A, owned2, &w) == 0 && w.series_id == series && w.series_position == 3);
	CHECK(store_work_get(S, A, earlier_work, &w) == 0 && w.series_id == series
	      && w.series_position == 1);
	CHECK(store_chapter_get(S, A, owned, cid, &(struct chapter){0}) == 0);
	CHECK(store_work_get(S, A, theirs, &w) == 0 && w.ncreators == 1 && w.creators[0].user_id == friend);
	CHECK(store_session_user(S, A, "leaver-session", time(NULL), &u) == Q_ENOTFOUND);
	CHECK(store_token_user(S, A, "leaver-token", &u) == Q_ENOTFOUND);
	struct work_query q = {.creator_id = orphan.id};
	struct work_page p;
	CHECK(store_work_list(S, A, &q, &p) == 0 && p.total == 3);

	/* Deleting with the works: owned works and their chapters go, co-created ones stay. */
	int64_t goner = new_user("goner"), pal = new_user("pal");
	struct wspec sg = {.title = "Deleted with owner", .series = "Goner Series", .cocreators = {pal}};
	int64_t gw = post(&sg, goner, 10, &cid);
	struct chapter c = make_chapter(gw, "Two", 5);
	CHECK(store_chapter_create(S, &c, NULL) == 0);
	struct wspec sp3 = {.title = "Pal's"};
	int64_t palw = post(&sp3, pal, 10, NULL);
	CHECK(store_work_invite(S, palw, goner) == 0);
	CHECK(store_user_delete(S, goner, false) == 0);
	CHECK(store_work_get(S, A, gw, &w) == Q_ENOTFOUND);
	CHECK(store_chapter_get(S, A, gw, cid, &(struct chapter){0}) == Q_ENOTFOUND);
	struct chapter *list;
	size_t n = 99;
	CHECK(store_chapter_list(S, A, gw, false, &list, &n) == 0 && n == 0);
	CHECK(store_work_get(S, A, palw, &w) == 0 && w.ncreators == 1 && w.creators[0].user_id == pal);
	CHECK(store_user_get(S, A, pal, &u) == 0);
	CHECK(store_user_delete(S, goner, false) == Q_ENOTFOUND);
}

/* ---- Change feed and tag names --------------------------------------------------------- */

static void test_feed_and_names(void)
{
	int c0 = commits;
	int64_t owner = new_user("gen");
	struct wspec sp = {.title = "Fed"};
	int64_t wid = post(&sp, owner, 1, NULL);
	CHECK(commits == c0 + 1); /* a sign-up is not reported; the work is */
	struct user u;
	struct work_page p;
	struct work_query q = {0};
	CHECK(store_user_get(S, A, owner, &u) == 0);
	CHECK(store_work_list(S, A, &q, &p) == 0);
	CHECK(store_user_get(S, A, 999999, &u) == Q_ENOTFOUND);
	CHECK(commits == c0 + 1);
	/* Refused writes roll back and report nothing. */
	CHECK(store_work_delete(S, 999999) == Q_ENOTFOUND);
	CHECK(store_user_set_role(S, 999999, "admin") == Q_ENOTFOUND);
	CHECK(commits == c0 + 1);
	CHECK(store_work_delete(S, wid) == 0);
	CHECK(commits == c0 + 2);

	CHECK_STR(tag_type_key(TAG_RATING), "rating");
	CHECK_STR(tag_type_key(TAG_WARNING), "warnings");
	CHECK_STR(tag_type_key(TAG_CATEGORY), "categories");
	CHECK_STR(tag_type_key(TAG_FANDOM), "fandoms");
	CHECK_STR(tag_type_key(TAG_RELATIONSHIP), "relationships");
	CHECK_STR(tag_type_key(TAG_CHARACTER), "characters");
	CHECK_STR(tag_type_key(TAG_FREEFORM), "freeforms");
	CHECK_STR(tag_type_key(TAG_TYPE_COUNT), "");
}

/* ---- Ids are never reused ------------------------------------------------------------------ */

/* Each is deleted while it holds the largest id, the case where a reusing store would hand that id
 * to the next row (an old link, a bookmark or a retried DELETE would then reach the new one). */
static void test_ids_never_reused(void)
{
	int64_t owner = new_user("ids-owner"), w1 = 0, w2 = 0, c1 = 0, c2 = 0, u1, u2, t1 = 0, t2 = 0;
	struct wspec sp = {.title = "Short-lived", .series = "Ids Series"};
	w1 = post(&sp, owner, 1, NULL);
	int64_t s1 = 0, s2 = 0;
	struct work w;
	CHECK(store_work_get(S, A, w1, &w) == 0);
	s1 = w.series_id;
	CHECK(store_work_delete(S, w1) == 0);
	w2 = post(&sp, owner, 1, NULL);
	CHECK(w2 > w1);
	/* The series went with its last work; the new one of the same title is a new series. */
	CHECK(store_work_get(S, A, w2, &w) == 0);
	s2 = w.series_id;
	CHECK(s1 > 0 && s2 > s1);

	struct chapter c = make_chapter(w2, "Extra", 1);
	CHECK(store_chapter_create(S, &c, &c1) == 0);
	CHECK(store_chapter_delete(S, w2, c1) == 0);
	CHECK(store_chapter_create(S, &c, &c2) == 0);
	CHECK(c2 > c1);
	/* A second delete of the old id does not find the new chapter. */
	CHECK(store_chapter_delete(S, w2, c1) == Q_ENOTFOUND);
	CHECK(store_chapter_get(S, A, w2, c2, &c) == 0);

	u1 = new_user("ids-short");
	CHECK(store_user_delete(S, u1, false) == 0);
	u2 = new_user("ids-next");
	CHECK(u2 > u1);

	CHECK(store_token_create(S, owner, "ids-token-1", "one", &t1) == 0);
	CHECK(store_token_revoke(S, owner, t1) == 0);
	CHECK(store_token_create(S, owner, "ids-token-2", "two", &t2) == 0);
	CHECK(t2 > t1);
	CHECK(store_token_revoke(S, owner, t1) == Q_ENOTFOUND);
}

/* ---- Workflow transactions ------------------------------------------------------------- */

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

/* ---- Rendering again --------------------------------------------------------------------- */

/* Texts below a sanitizer version come out (works, then chapters), with their sources; a save stores the new
 * HTML only over the version and sources it was read with, and the work's word count follows its chapters. */
static void test_stale_texts(void)
{
	int64_t owner = new_user("stale_owner");
	int64_t cid = 0, wid = post(&(struct wspec){.title = "Stale"}, owner, 7, &cid);
	struct stale_text *list;
	size_t n;
	CHECK(store_stale_texts(S, A, 2, 100, &list, &n) == 0);
	CHECK(n == 0); /* everything so far was stored with version 2 */
	CHECK(store_stale_texts(S, A, 3, 0, &list, &n) == 0 && n == 0);
	CHECK(store_stale_texts(S, A, 3, 100000, &list, &n) == 0);
	struct stale_text *w = NULL, *c = NULL;
	bool chapters_after_works = true, seen_chapter = false;
	for (size_t i = 0; i < n; i++) {
		if (list[i].kind == STALE_CHAPTER)
			seen_chapter = true;
		else if (seen_chapter)
			chapters_after_works = false;
		if (list[i].kind == STALE_WORK && list[i].id == wid)
			w = &list[i];
		if (list[i].kind == STALE_CHAPTER && list[i].id == cid)
			c = &list[i];
	}
	CHECK(chapters_after_works);
	CHECK(w && c);
	if (!w || !c)
		return;
	CHECK(w->work_id == wid && w->version == 2);
	CHECK_STR(w->text[0].src, "A *summary*");
	CHECK_STR(w->text[2].src, "thanks");
	CHECK(c->work_id == wid && c->version == 2);
	CHECK_STR(c->text[0].src, "One text");
	CHECK_STR(c->text[2].src, "n");
	CHECK_STR(c->format, "markdown");

	w->text[0].html = "<p>new summary</p>";
	w->text[1].html = "";
	w->text[2].html = "<p>new thanks</p>";
	CHECK(store_stale_text_save(S, w, 3) == 0);
	CHECK(store_stale_text_save(S, w, 3) == Q_ENOTFOUND); /* no longer version 2 */
	c->text[0].html = "<p>new text</p>";
	c->text[1].html = c->text[3].html = "";
	c->text[2].html = "<p>new n</p>";
	c->word_count = 11;
	CHECK(store_stale_text_save(S, c, 3) == 0);
	struct work got;
	CHECK(store_work_get(S, A, wid, &got) == 0);
	CHECK_STR(got.summary.html, "<p>new summary</p>");
	CHECK_STR(got.end_notes.html, "<p>new thanks</p>");
	CHECK_STR(got.summary.src, "A *summary*");
	CHECK(got.sanitizer_version == 3);
	CHECK(got.word_count == 11);
	struct chapter ch;
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0);
	CHECK_STR(ch.content_html, "<p>new text</p>");
	CHECK_STR(ch.notes.html, "<p>new n</p>");
	CHECK(ch.sanitizer_version == 3 && ch.word_count == 11);
	CHECK(store_stale_texts(S, A, 3, 100000, &list, &n) == 0);
	for (size_t i = 0; i < n; i++)
		CHECK(list[i].work_id != wid);
	/* A source changed since it was read: nothing is stored. */
	struct stale_text t = *c;
	t.version = 3;
	t.text[0].src = "Other text";
	CHECK(store_stale_text_save(S, &t, 4) == Q_ENOTFOUND);
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0 && ch.sanitizer_version == 3);

	/* The site's media hosts changed: chapters with images or players (any case) are marked, no others. */
	struct chapter media = make_chapter(wid, "Vid", 3);
	media.content = "<p>Watch</p><IFRAME src=\"https://youtube.com/embed/x\"></IFRAME>";
	int64_t mid = 0;
	CHECK(store_chapter_create(S, &media, &mid) == 0);
	int64_t marked = -1;
	CHECK(store_stale_mark_media(S, &marked) == 0);
	CHECK(marked == 1);
	CHECK(store_chapter_get(S, A, wid, mid, &ch) == 0 && ch.sanitizer_version == 0);
	CHECK(store_chapter_get(S, A, wid, cid, &ch) == 0 && ch.sanitizer_version == 3);
	CHECK(store_stale_mark_media(S, &marked) == 0 && marked == 0); /* already marked */
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

static void test_tx_commit_together(void)
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

static void test_tx_rollback(void)
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

static void test_tx_inner_failure(void)
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
	/* A write refused for its arguments counts too. */
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-third", NULL) == 0);
	CHECK(store_user_create(S, NULL, "x@example.org", "h", NULL, NULL) == Q_EINVAL);
	CHECK(store_tx_commit(S) == Q_EINVAL);
	CHECK(!user_exists("tx-third"));
	/* A read that finds nothing does not: reading to validate is what workflows do. */
	struct arena *a = arena_new();
	struct user u;
	CHECK(store_tx_begin(S) == 0);
	CHECK(add_user("tx-fourth", NULL) == 0);
	CHECK(store_user_get_by_name(S, a, "nobody-at-all", &u) == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == 0);
	CHECK(user_exists("tx-fourth"));
	arena_free(a);
}

static void test_tx_nesting_and_misuse(void)
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

static void test_tx_reads_see_own_writes(void)
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

/* Isolation: once the workflow has read (here: that no tx-waiter exists), another thread's write waits for it,
 * so what it read still holds when it commits; then that write succeeds. (When the transaction takes its
 * locks, at begin or at its first statement, is the backend's business: the test reads first.) */
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

static void test_tx_other_thread_waits(void)
{
	struct waiter wt = {0};
	int64_t mine = 0;
	pthread_t t;
	CHECK(store_tx_begin(S) == 0);
	CHECK(!user_exists("tx-waiter"));
	pthread_create(&t, NULL, write_thread, &wt);
	/* Give the other writer every chance to run (it must not); not a timing assertion: a
	 * correct store passes however slow the machine. */
	nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
	CHECK(atomic_load(&wt.done) == 0);
	CHECK(add_user("tx-holder", &mine) == 0);
	CHECK(lookup_elsewhere("tx-waiter") == Q_ENOTFOUND);
	CHECK(!user_exists("tx-waiter")); /* what the workflow read still holds */
	CHECK(store_tx_commit(S) == 0);
	pthread_join(t, NULL);
	CHECK(wt.rc == 0);
	/* It ran after the commit: its row came after ours. */
	CHECK(wt.id > mine);
	CHECK(user_exists("tx-waiter") && user_exists("tx-holder"));
}

/* ---- The change feed in detail ---------------------------------------------------------- */

/* What the listener heard: the number of calls and the last call's list. */
static int calls;
static struct store_change last[STORE_CHANGES_MAX];
static size_t nlast;
static bool wrong_thread, duplicates;
static pthread_t writer_thread;

static void record_changes(void *ctx, const struct store_change *changes, size_t n)
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

static int64_t post_by(const char *title, int64_t owner, int64_t co, const char *series, int64_t *chapter_id)
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

static void test_feed_silent_writes(void)
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

static void test_feed_set_role(void)
{
	int64_t uid = new_user("promoted");
	expect();
	CHECK(store_user_set_role(S, uid, "wrangler") == 0);
	CHECK(calls == 1);
	CHECK(nlast == 1 && heard(STORE_CHANGE_USER, uid));
}

/* ---- Works ------------------------------------------------------------------------------- */

static void test_feed_work_writes(void)
{
	int64_t owner = new_user("feed-owner"), co = new_user("feed-co"), invitee = new_user("feed-inv");
	int64_t cid = 0;
	expect();
	int64_t wid = post_by("Fed", owner, co, "Feed Series", &cid);
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
	int64_t plain = post_by("Plain", owner, 0, NULL, NULL);
	CHECK(calls == 1 && nlast == 2 && heard(STORE_CHANGE_WORK, plain) && heard(STORE_CHANGE_USER, owner));
	CHECK(heard_kind(STORE_CHANGE_SERIES) == 0);
}

/* ---- Deleting users ---------------------------------------------------------------------- */

static void test_feed_user_delete(void)
{
	struct user orphan;
	CHECK(store_user_get_by_name(S, A, "orphan_account", &orphan) == 0);

	/* With their works: owned works go, co-created and pending ones lose them; all are reported
	 * with everyone on them. */
	int64_t goner = new_user("feed-goner"), pal = new_user("feed-pal"), third = new_user("feed-third");
	int64_t owned = post_by("Owned", goner, pal, "Goner's", NULL);
	int64_t sid = series_of(owned);
	int64_t pals = post_by("Pal's", pal, 0, NULL, NULL);
	CHECK(store_work_invite(S, pals, goner) == 0);
	CHECK(store_work_accept(S, pals, goner) == 0);
	int64_t thirds = post_by("Third's", third, 0, NULL, NULL);
	CHECK(store_work_invite(S, thirds, goner) == 0); /* pending */
	int64_t unrelated = post_by("Unrelated", third, 0, NULL, NULL);
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
	int64_t kept = post_by("Kept", leaver, friend, "Leaver's", NULL);
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

static void test_feed_transactions(void)
{
	int64_t a = new_user("feed-tx-a"), b = new_user("feed-tx-b");
	expect();
	CHECK(store_tx_begin(S) == 0);
	int64_t w1 = post_by("Tx one", a, 0, NULL, NULL);
	int64_t w2 = post_by("Tx two", b, 0, NULL, NULL);
	CHECK(store_user_set_role(S, a, "admin") == 0);
	CHECK(calls == 0); /* nothing before the commit */
	CHECK(store_tx_commit(S) == 0);
	/* One call with the union, each once. */
	CHECK(calls == 1 && nlast == 4);
	CHECK(heard(STORE_CHANGE_WORK, w1) && heard(STORE_CHANGE_WORK, w2) && heard(STORE_CHANGE_USER, a)
	      && heard(STORE_CHANGE_USER, b));

	expect();
	CHECK(store_tx_begin(S) == 0);
	post_by("Rolled back", a, 0, NULL, NULL);
	store_tx_rollback(S);
	CHECK(calls == 0);

	/* A failed commit reports nothing. */
	CHECK(store_tx_begin(S) == 0);
	post_by("Failed", a, 0, NULL, NULL);
	CHECK(store_user_set_role(S, 999999, "admin") == Q_ENOTFOUND);
	CHECK(store_tx_commit(S) == Q_ENOTFOUND);
	CHECK(calls == 0);
}

static void test_feed_overflow(void)
{
	int64_t prolific = new_user("feed-prolific");
	expect();
	CHECK(store_tx_begin(S) == 0);
	for (int i = 0; i < STORE_CHANGES_MAX; i++)
		post_by(arena_printf(A, "Many %d", i), prolific, 0, NULL, NULL);
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
		post_by(arena_printf(A, "Some %d", i), some, 0, NULL, NULL);
	CHECK(store_tx_commit(S) == 0);
	CHECK(calls == 1 && nlast == STORE_CHANGES_MAX && heard(STORE_CHANGE_USER, some));
}

/* Every subscriber hears every commit; one removed hears no more. */
static void test_feed_subscribers(void)
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

/* The default store: a fresh SQLite file in a temporary directory, removed afterwards. */
static char dir[] = "/tmp/quire-store-suite-XXXXXX";

int main(void)
{
	char url_buf[256], err[512];
	const char *url = getenv("QUIRE_TEST_STORE");
	bool temporary = !url || !*url;
	log_set_quiet(1);
	if (temporary) {
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
		snprintf(url_buf, sizeof url_buf, "sqlite:%s/quire.db", dir);
		url = url_buf;
	}
	printf("store suite on %s\n", url);
	A = arena_new();
	writer_thread = pthread_self();
	int rc = store_open(&S, url, err, sizeof err);
	CHECK(rc == 0);
	if (rc) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		goto done;
	}
	store_subscribe(S, count_commits, NULL);
	store_subscribe(S, record_changes, NULL);

	/* Operations. test_users first: it expects no users yet. */
	test_settings();
	test_users();
	test_sessions();
	test_tokens();
	test_work_create_get();
	test_work_create_atomic();
	test_work_update();
	test_invites();
	test_chapters();
	test_work_delete();
	test_user_delete();
	test_blocks();
	test_work_list();
	test_feed_and_names();
	test_ids_never_reused();
	test_stale_texts();
	test_writing_words();
	test_suggestions();

	/* Workflow transactions. */
	test_tx_commit_together();
	test_tx_rollback();
	test_tx_inner_failure();
	test_tx_nesting_and_misuse();
	test_tx_reads_see_own_writes();
	test_tx_other_thread_waits();

	/* The change feed. */
	test_feed_silent_writes();
	test_feed_set_role();
	test_feed_work_writes();
	test_feed_user_delete();
	test_feed_transactions();
	test_feed_overflow();
	test_feed_subscribers();
	CHECK(!wrong_thread);
	CHECK(!duplicates);

	store_close(S);
done:
	arena_free(A);
	if (temporary)
		fixture_remove_dir(dir);
	return CHECK_DONE();
}
