/* Unit tests for the archive workflows against a real SQLite store: posting, editing, chapters, reordering,
 * co-creators, sign-up, sessions, tokens, deleting and orphaning accounts. */
#include "check.h"
#include "store_fixture.h"
#include "archive/account.h"
#include "archive/chapter.h"
#include "archive/work.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-archive-XXXXXX";
static struct store *S;
static struct arena *A;

#define PASSWORD "correct horse battery"
#define TEXT "A chapter long enough to be posted, with words."

static struct user member(const char *name)
{
	struct field_errors e = {0};
	struct user u = {0};
	char email[128];
	snprintf(email, sizeof email, "%s@example.org", name);
	int64_t id = 0;
	CHECK(archive_account_signup(S, A, name, email, PASSWORD, PASSWORD, "user", &id, &e) == 0);
	CHECK(store_user_get(S, A, id, &u) == 0);
	return u;
}

static struct strlist list1(const char *s)
{
	struct strlist l = {arena_calloc(A, 2, sizeof(char *)), s ? 1 : 0};
	l.items[0] = s;
	return l;
}

static struct work_input valid_input(const char *title)
{
	struct work_input in = {0};
	in.title = title;
	in.rating = "General Audiences";
	in.tags[TAG_WARNING] = list1("No Archive Warnings Apply");
	in.tags[TAG_FANDOM] = list1("Original Work");
	return in;
}

static struct chapter_input text(const char *content)
{
	return (struct chapter_input){.content = content, .format = "text"};
}

static int64_t post(const struct user *u, struct work_input in)
{
	struct field_errors e = {0};
	struct archive_result r;
	struct chapter_input c = text(TEXT);
	int rc = archive_work_post(S, A, u, &in, &c, false, &r, &e);
	CHECK(rc == 0);
	return rc == 0 ? r.work.id : 0;
}

static struct work load(int64_t id)
{
	struct work w = {0};
	CHECK(store_work_get(S, A, id, &w) == 0);
	return w;
}

static int64_t add_chapter(const struct user *u, int64_t wid, const char *content)
{
	struct field_errors e = {0};
	struct archive_result r;
	struct chapter_input c = text(content);
	CHECK(archive_chapter_add(S, A, u, wid, &c, false, &r, &e) == 0);
	return r.chapter.id;
}

static void test_post_preview_and_errors(void)
{
	struct user u = member("poster");
	struct field_errors e = {0};
	struct archive_result r;
	struct work_input in = valid_input("Previewed");
	struct chapter_input c = text(TEXT);
	CHECK(archive_work_post(S, A, &u, &in, &c, true, &r, &e) == 0);
	CHECK(r.work.id == 0 && r.chapter.word_count == 9 && r.work.ncreators == 1);
	struct work_page page;
	struct work_query q = {.creator_id = u.id, .viewer_id = u.id, .include_drafts = true};
	CHECK(store_work_list(S, A, &q, &page) == 0 && page.total == 0); /* a preview writes nothing */
	/* A rejected work reports every field at once and writes nothing either. */
	in.title = "\u200b";
	in.rating = "Nope";
	c.content = "";
	memset(&e, 0, sizeof e);
	CHECK(archive_work_post(S, A, &u, &in, &c, false, &r, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "title") && field_error_get(&e, "rating") && field_error_get(&e, "chapter.content"));
	CHECK(store_work_list(S, A, &q, &page) == 0 && page.total == 0);
}

static void test_comment_settings_go_with_the_work(void)
{
	struct user u = member("settler");
	struct work_input in = valid_input("Settled");
	in.comment_settings = true;
	in.comment_policy = COMMENTS_REGISTERED;
	in.comments_moderated = true;
	int64_t id = post(&u, in);
	struct response_counts rc;
	CHECK(store_response_counts(S, id, 0, &rc) == 0);
	CHECK(rc.comment_policy == COMMENTS_REGISTERED && rc.moderated);
	/* A bad setting fails the whole edit: neither the new title nor the settings are written. */
	struct field_errors e = {0};
	struct archive_result r;
	in.title = "Renamed";
	in.comment_policy = 7;
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "comment_policy") != NULL);
	CHECK_STR(load(id).title, "Settled");
	/* An edit without settings (the API's) leaves them as they are. */
	in.comment_settings = false;
	memset(&e, 0, sizeof e);
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == 0);
	CHECK_STR(load(id).title, "Renamed");
	CHECK(store_response_counts(S, id, 0, &rc) == 0);
	CHECK(rc.comment_policy == COMMENTS_REGISTERED && rc.moderated);
	in.comment_settings = true;
	in.comment_policy = COMMENTS_NOBODY;
	in.comments_moderated = false;
	memset(&e, 0, sizeof e);
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == 0);
	CHECK(store_response_counts(S, id, 0, &rc) == 0);
	CHECK(rc.comment_policy == COMMENTS_NOBODY && !rc.moderated);
}

static void test_coauthors(void)
{
	struct user owner = member("owner"), friend = member("friendly");
	struct field_errors e = {0};
	struct archive_result r;
	struct chapter_input c = text(TEXT);
	struct work_input in = valid_input("Together");
	/* Unknown names are named in one error; the orphan account is nobody to invite. */
	const char *names[] = {"friendly", "ghost", "orphan_account", "FRIENDLY", "owner"};
	in.coauthors = (struct strlist){names, 5};
	CHECK(archive_work_post(S, A, &owner, &in, &c, false, &r, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "coauthors"), "ghost, orphan_account");
	/* Repeats (any case) and the poster are skipped: one invitation. */
	in.coauthors = (struct strlist){names, 1};
	const char *twice[] = {"friendly", " FRIENDLY ", "owner"};
	in.coauthors = (struct strlist){twice, 3};
	memset(&e, 0, sizeof e);
	CHECK(archive_work_post(S, A, &owner, &in, &c, false, &r, &e) == 0);
	struct work w = load(r.work.id);
	CHECK(w.ncreators == 2 && w.creators[1].user_id == friend.id && !w.creators[1].accepted);
	CHECK(!work_can_edit(&w, &friend));
	CHECK(archive_invite_accept(S, &friend, w.id) == 0);
	CHECK(archive_invite_accept(S, &friend, w.id) == Q_ENOTFOUND);
	w = load(w.id);
	CHECK(work_can_edit(&w, &friend));
	/* More than the cap in one go is refused before any lookup. */
	const char *eleven[11];
	for (int i = 0; i < 11; i++)
		eleven[i] = arena_printf(A, "nobody%d", i);
	in.coauthors = (struct strlist){eleven, 11};
	memset(&e, 0, sizeof e);
	CHECK(archive_work_post(S, A, &owner, &in, &c, false, &r, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "coauthors"), "at most 10");
	/* The cap holds for the whole work: 9 invited, then 2 more on an edit. */
	const char *nine[9], *two[2];
	for (int i = 0; i < 9; i++)
		nine[i] = member(arena_printf(A, "nine%c", 'a' + i)).name;
	two[0] = member("extra_one").name;
	two[1] = member("extra_two").name;
	in.coauthors = (struct strlist){nine, 9};
	int64_t id = post(&owner, in);
	in.coauthors = (struct strlist){two, 2};
	memset(&e, 0, sizeof e);
	CHECK(archive_work_edit(S, A, &owner, id, &in, false, &r, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "coauthors"), "would have 11");
	in.coauthors = (struct strlist){two, 1};
	memset(&e, 0, sizeof e);
	CHECK(archive_work_edit(S, A, &owner, id, &in, false, &r, &e) == 0);
	CHECK(load(id).ncreators == 11);
}

static void test_chapters_follow_expected(void)
{
	struct user u = member("counter");
	struct work_input in = valid_input("Counted");
	in.expected_chapters = 1;
	int64_t id = post(&u, in);
	CHECK_STR(work_chapters_label(A, &(struct work){.chapter_count = 1, .expected_chapters = 1}), "1/1");
	add_chapter(&u, id, TEXT);
	struct work w = load(id);
	CHECK(w.chapter_count == 2 && w.expected_chapters == 2);
	CHECK_STR(work_chapters_label(A, &w), "2/2");
	/* An edit cannot expect fewer chapters than there are. */
	struct field_errors e = {0};
	struct archive_result r;
	in.expected_chapters = 1;
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "expected_chapters") != NULL);
	/* Unknown totals stay unknown; complete ones read N/N. */
	in.expected_chapters = 0;
	in.complete = true;
	memset(&e, 0, sizeof e);
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == 0);
	w = load(id);
	CHECK_STR(work_chapters_label(A, &w), "2/2");
	in.complete = false;
	memset(&e, 0, sizeof e);
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == 0);
	add_chapter(&u, id, TEXT);
	w = load(id);
	CHECK_STR(work_chapters_label(A, &w), "3/?");
}

static void test_drafts_and_permissions(void)
{
	struct user u = member("drafter"), other = member("stranger");
	struct work_input in = valid_input("Draft");
	in.draft = true;
	int64_t id = post(&u, in);
	struct work w = load(id);
	CHECK(w.draft && w.published_at == 0);
	struct field_errors e = {0};
	struct archive_result r;
	struct chapter_input c = text(TEXT);
	/* Hidden from others: the same answer as a missing work. */
	CHECK(archive_chapter_add(S, A, &other, id, &c, false, &r, &e) == Q_ENOTFOUND);
	CHECK(archive_work_delete(S, A, &other, id) == Q_ENOTFOUND);
	CHECK(archive_work_load(S, A, NULL, id, false, &w) == Q_ENOTFOUND);
	CHECK(archive_work_post_draft(S, A, &u, id) == 0);
	w = load(id);
	CHECK(!w.draft && w.published_at > 0);
	CHECK(archive_work_post_draft(S, A, &u, id) == 0); /* posted stays posted */
	/* Visible now, but still not the stranger's to change. */
	CHECK(archive_chapter_add(S, A, &other, id, &c, false, &r, &e) == Q_EPERM);
	CHECK(archive_work_delete(S, A, &other, id) == Q_EPERM);
	in.draft = true;
	CHECK(archive_work_edit(S, A, &u, id, &in, false, &r, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "draft") != NULL);
	CHECK(archive_work_delete(S, A, &u, id) == 0);
	CHECK(store_work_get(S, A, id, &w) == Q_ENOTFOUND);
	CHECK(archive_work_delete(S, A, &u, id) == Q_ENOTFOUND);
}

static void test_delete_and_reorder_chapters(void)
{
	struct user u = member("orderer"), other = member("outsider");
	int64_t id = post(&u, valid_input("Ordered"));
	struct chapter *list;
	size_t n;
	CHECK(store_chapter_list(S, A, id, false, &list, &n) == 0 && n == 1);
	int64_t c1 = list[0].id;
	struct field_errors e = {0};
	CHECK(archive_chapter_delete(S, A, &u, id, c1, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "chapter") != NULL);
	int64_t c2 = add_chapter(&u, id, "Second chapter text here."), c3 = add_chapter(&u, id, "Third chapter text here.");

	struct archive_position all[] = {{c3, 1}, {c1, 2}, {c2, 3}};
	memset(&e, 0, sizeof e);
	CHECK(archive_chapter_reorder(S, A, &u, id, all, 3, &e) == 0);
	CHECK(store_chapter_list(S, A, id, false, &list, &n) == 0 && n == 3);
	CHECK(list[0].id == c3 && list[1].id == c1 && list[2].id == c2);
	/* A partial order: c2 to the front, the others keep their order behind it. */
	struct archive_position some[] = {{c2, 1}};
	CHECK(archive_chapter_reorder(S, A, &u, id, some, 1, &e) == 0);
	CHECK(store_chapter_list(S, A, id, false, &list, &n) == 0);
	CHECK(list[0].id == c2 && list[1].id == c3 && list[2].id == c1);
	/* Refused: a chapter twice, another work's chapter, a position below 1, someone else's work. */
	int64_t elsewhere = post(&u, valid_input("Elsewhere"));
	struct chapter *ol;
	size_t on;
	CHECK(store_chapter_list(S, A, elsewhere, false, &ol, &on) == 0);
	struct archive_position twice[] = {{c1, 1}, {c1, 2}};
	struct archive_position foreign[] = {{c1, 1}, {ol[0].id, 2}};
	struct archive_position zero[] = {{c1, 0}};
	memset(&e, 0, sizeof e);
	CHECK(archive_chapter_reorder(S, A, &u, id, twice, 2, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "order"), "twice");
	memset(&e, 0, sizeof e);
	CHECK(archive_chapter_reorder(S, A, &u, id, foreign, 2, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "order"), "not part of this work");
	memset(&e, 0, sizeof e);
	CHECK(archive_chapter_reorder(S, A, &u, id, zero, 1, &e) == Q_EINVAL);
	memset(&e, 0, sizeof e);
	CHECK(archive_chapter_reorder(S, A, &other, id, all, 3, &e) == Q_EPERM);
	CHECK(store_chapter_list(S, A, id, false, &list, &n) == 0);
	CHECK(list[0].id == c2 && list[1].id == c3 && list[2].id == c1);
	/* Deleting one moves the rest up. */
	memset(&e, 0, sizeof e);
	CHECK(archive_chapter_delete(S, A, &u, id, c3, &e) == 0);
	CHECK(store_chapter_list(S, A, id, false, &list, &n) == 0 && n == 2 && list[1].position == 2);
	CHECK(archive_chapter_delete(S, A, &u, id, ol[0].id, &e) == Q_ENOTFOUND);
}

static void test_signup(void)
{
	member("alice");
	struct field_errors e = {0};
	int64_t id;
	CHECK(archive_account_signup(S, A, "aIice", "x@example.org", PASSWORD, NULL, "user", &id, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "username"), "looks too much like");
	memset(&e, 0, sizeof e);
	CHECK(archive_account_signup(S, A, "ALICE", "y@example.org", PASSWORD, NULL, "user", &id, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "username"), "taken");
	/* Every problem at once. */
	memset(&e, 0, sizeof e);
	CHECK(archive_account_signup(S, A, "a1ice", "alice@example.org", "short", "other", "root", &id, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "username") && field_error_get(&e, "email") && field_error_get(&e, "password") &&
	      field_error_get(&e, "role"));
	/* Accounts made without a skeleton (before it was kept) are compared too. */
	int64_t old;
	CHECK(store_user_create(S, "mallory", "mallory@example.org", "$argon2id$x", "user", &old) == 0);
	memset(&e, 0, sizeof e);
	CHECK(archive_account_signup(S, A, "rnallory", "r@example.org", PASSWORD, NULL, "user", &id, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "username"), "mallory");
}

static void test_sessions_and_password(void)
{
	struct user u = member("sessioned");
	char h1[TOKEN_HEX_LEN + 1], h2[TOKEN_HEX_LEN + 1], h3[TOKEN_HEX_LEN + 1];
	token_hash("a", h1);
	token_hash("b", h2);
	token_hash("c", h3);
	struct user got;
	CHECK(archive_session_start(S, u.id, h1, 4102444800, NULL) == 0);
	CHECK(archive_session_start(S, u.id, h2, 4102444800, h1) == 0);
	CHECK(store_session_user(S, A, h1, 1, &got) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, h2, 1, &got) == 0);
	CHECK(archive_session_start(S, u.id, h3, 4102444800, "no such session") == 0);
	struct field_errors e = {0};
	CHECK(archive_account_password(S, &u, "wrong", "new password!", "new password!", h3, &e) == Q_EPERM);
	memset(&e, 0, sizeof e);
	CHECK(archive_account_password(S, &u, PASSWORD, "new password!", "not the same", h3, &e) == Q_EINVAL);
	memset(&e, 0, sizeof e);
	CHECK(archive_account_password(S, &u, PASSWORD, "new password!", "new password!", h3, &e) == 0);
	CHECK(store_session_user(S, A, h2, 1, &got) == Q_ENOTFOUND);
	CHECK(store_session_user(S, A, h3, 1, &got) == 0);
	CHECK(archive_login(S, A, "sessioned", "new password!", &got) == 0 && got.id == u.id);
	CHECK(archive_login(S, A, "sessioned@example.org", "new password!", &got) == 0);
	CHECK(archive_login(S, A, "sessioned", PASSWORD, &got) == Q_EPERM);
	CHECK(archive_login(S, A, "nobody", PASSWORD, &got) == Q_EPERM);
	CHECK(archive_session_end(S, h3) == 0);
	CHECK(archive_session_end(S, h3) == Q_ENOTFOUND);
}

static void test_tokens(void)
{
	struct user u = member("tokened");
	char token[TOKEN_HEX_LEN + 1];
	struct field_errors e = {0};
	CHECK(archive_token_create(S, A, u.id, "  \u202e ", token, &e) == 0);
	CHECK(token_well_formed(token));
	struct api_token *list;
	size_t n;
	CHECK(store_token_list(S, A, u.id, &list, &n) == 0 && n == 1);
	CHECK_STR(list[0].name, "API token");
	char *longname = arena_alloc(A, 102);
	memset(longname, 't', 101);
	longname[101] = '\0';
	CHECK(archive_token_create(S, A, u.id, longname, token, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "token_name") != NULL);
	CHECK(archive_token_revoke(S, u.id, list[0].id) == 0);
	CHECK(archive_token_revoke(S, u.id, list[0].id) == Q_ENOTFOUND);
}

/* The creators of a work by name, the owner first ("" when the work is gone). */
static const char *creators(int64_t id)
{
	struct work w;
	if (store_work_get(S, A, id, &w) != 0)
		return "";
	const char *s = "";
	for (size_t i = 0; i < w.ncreators; i++)
		s = arena_printf(A, "%s%s%s", s, i ? "," : "", w.creators[i].name);
	return s;
}

static void test_delete_account(void)
{
	struct user leaver = member("leaver"), stays = member("stayer");
	int64_t alone = post(&leaver, valid_input("Alone"));
	struct work_input shared_in = valid_input("Shared");
	shared_in.coauthors = list1("stayer");
	int64_t shared = post(&leaver, shared_in);
	CHECK(archive_invite_accept(S, &stays, shared) == 0);
	int64_t pending = post(&leaver, shared_in); /* invited, never accepted: leaver's alone */
	struct field_errors e = {0};
	CHECK(archive_account_delete(S, A, &leaver, "wrong", "delete", &e) == Q_EPERM);
	memset(&e, 0, sizeof e);
	CHECK(archive_account_delete(S, A, &leaver, PASSWORD, "shred", &e) == Q_EINVAL);
	memset(&e, 0, sizeof e);
	CHECK(archive_account_delete(S, A, &leaver, PASSWORD, "delete", &e) == 0);
	CHECK_STR(creators(alone), "");
	CHECK_STR(creators(pending), "");
	CHECK_STR(creators(shared), "stayer");
	struct work w = load(shared);
	CHECK(work_can_edit(&w, &stays));
	struct user gone;
	CHECK(store_user_get(S, A, leaver.id, &gone) == Q_ENOTFOUND);
}

static void test_orphan_account(void)
{
	struct user leaver = member("orphaner"), co = member("coorphan");
	int64_t posted = post(&leaver, valid_input("Posted"));
	struct work_input d = valid_input("Draft");
	d.draft = true;
	int64_t draft = post(&leaver, d);
	d.coauthors = list1("coorphan");
	int64_t shared_draft = post(&leaver, d);
	CHECK(archive_invite_accept(S, &co, shared_draft) == 0);
	struct field_errors e = {0};
	CHECK(archive_account_delete(S, A, &leaver, PASSWORD, "orphan", &e) == 0);
	CHECK_STR(creators(posted), "orphan_account");
	CHECK_STR(creators(draft), ""); /* nobody could reach it */
	CHECK_STR(creators(shared_draft), "orphan_account,coorphan");
}

int main(void)
{
	log_set_quiet(1);
	password_set_cost(PASSWORD_COST_MIN);
	if (!mkdtemp(dir))
		return 1;
	char path[256];
	snprintf(path, sizeof path, "%s/quire.db", dir);
	if (store_open_sqlite(&S, path) != 0)
		return 1;
	A = arena_new();
	test_post_preview_and_errors();
	test_coauthors();
	test_comment_settings_go_with_the_work();
	test_chapters_follow_expected();
	test_drafts_and_permissions();
	test_delete_and_reorder_chapters();
	test_signup();
	test_sessions_and_password();
	test_tokens();
	test_delete_account();
	test_orphan_account();
	arena_free(A);
	store_close(S);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
