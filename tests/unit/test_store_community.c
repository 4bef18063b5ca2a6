/* The store's operations for running a community (store_admin.h), on any backend: opens QUIRE_TEST_STORE (an empty
 * store; default a fresh temporary sqlite: file) and checks each contract through the API: the audit log written
 * once, hidden works out of every count and listing, sanctions that stop sessions and tokens, quarantined
 * comments and bookmarks restored, shared counters, reports, notices, site pages, the terms, invitations. */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct store *S;
static struct arena *A;
static char dir[] = "/tmp/quire-store-community-XXXXXX";
static char db_path[300];
static bool sqlite_file;

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "$argon2id$x", NULL, &id) == 0);
	return id;
}

/* A posted (or draft) work by owner with one freeform tag; returns its id and its chapter's in *chapter. */
static int64_t new_work(int64_t owner, const char *title, const char *tag, bool draft, int64_t *chapter)
{
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = title;
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.language = "English";
	w.draft = draft;
	static const char *rating[] = {"General Audiences"}, *warning[] = {"No Archive Warnings Apply"},
	                  *fandom[] = {"Store Fandom"};
	const char **free = arena_calloc(A, 1, sizeof *free);
	free[0] = tag;
	w.tags[TAG_RATING] = (struct strlist){rating, 1};
	w.tags[TAG_WARNING] = (struct strlist){warning, 1};
	w.tags[TAG_FANDOM] = (struct strlist){fandom, 1};
	w.tags[TAG_FREEFORM] = (struct strlist){free, 1};
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.title = "";
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	c.content = "Some words here.";
	c.content_format = "text";
	c.content_html = "<p>Some words here.</p>";
	c.word_count = 3;
	int64_t wid = 0, cid = 0;
	CHECK(store_work_create(S, &w, &c, owner, &wid, &cid) == 0);
	if (chapter)
		*chapter = cid;
	return wid;
}

static int64_t tag_count(const char *name, bool members)
{
	struct tag *list;
	size_t n;
	if (store_tag_find(S, A, name, &list, &n) != 0 || n == 0)
		return -1;
	return members ? list[0].works_count : list[0].public_count;
}

static size_t listed(const char *title)
{
	struct listing_query q = {.viewer_id = 0, .complete = -1, .crossover = -1, .sort = LISTING_UPDATED};
	struct listing_result r;
	size_t found = 0;
	if (store_work_find(S, A, &q, &r) == 0)
		for (size_t i = 0; i < r.n; i++)
			found += !strcmp(r.items[i].title, title);
	return found;
}

static void test_log(void)
{
	int64_t id = 0, undo = 0, again = 0;
	struct mod_entry e = {.actor_id = 0, .actor_name = "command line", .action = "work_hide", .target_kind = "work",
	                      .target_id = 7, .target_name = "A Title", .subject_name = "someone", .reason = "why",
	                      .detail = "", .report_id = 0};
	CHECK(store_mod_log_add(S, &e, &id) == 0 && id > 0);
	struct mod_entry u = e;
	u.action = "work_unhide";
	u.undoes = id;
	CHECK(store_mod_log_add(S, &u, &undo) == 0 && undo > id);
	CHECK(store_mod_log_add(S, &u, &again) == Q_EEXIST); /* an entry is undone once */
	struct mod_entry got;
	CHECK(store_mod_log_get(S, A, id, &got) == 0 && got.undone_by == undo && !strcmp(got.reason, "why"));
	CHECK(store_mod_log_get(S, A, undo, &got) == 0 && got.undoes == id && got.undone_by == 0);
	struct mod_entry *list;
	size_t n;
	struct mod_log_query q = {.action = "work_hide", .limit = 10};
	CHECK(store_mod_log_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == id);
	q = (struct mod_log_query){.subject = "SOMEONE", .limit = 10};
	CHECK(store_mod_log_list(S, A, &q, &list, &n) == 0 && n == 2 && list[0].id == undo);
	q = (struct mod_log_query){.before_id = undo, .limit = 10};
	CHECK(store_mod_log_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == id);
	CHECK(store_mod_log_add(S, &(struct mod_entry){.actor_name = "x"}, NULL) == Q_EINVAL);
	/* Never edited, never deleted, whatever the SQL. */
	if (sqlite_file) {
		char sql[200];
		snprintf(sql, sizeof sql, "UPDATE mod_log SET reason = 'other' WHERE id = %lld", (long long)id);
		sqlite3 *db;
		CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK);
		snprintf(sql, sizeof sql, "DELETE FROM mod_log WHERE id = %lld", (long long)id);
		CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK);
		sqlite3_close(db);
	}
}

static void test_hidden_works(void)
{
	int64_t owner = new_user("hide_owner");
	int64_t wid = new_work(owner, "Hidden Store Work", "Only Here Tag", false, NULL);
	int64_t draft = new_work(owner, "A Store Draft", "Draft Store Tag", true, NULL);
	CHECK(tag_count("Only Here Tag", true) == 1 && tag_count("Only Here Tag", false) == 1);
	CHECK(listed("Hidden Store Work") == 1);
	CHECK(store_work_moderate(S, wid, 2, "rude", 41) == 0);
	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.hidden && !w.draft && !w.removed);
	CHECK(tag_count("Only Here Tag", true) == 0 && tag_count("Only Here Tag", false) == 0);
	CHECK(listed("Hidden Store Work") == 0);
	struct work_moderation m;
	CHECK(store_work_moderation_get(S, A, wid, &m) == 0 && m.state == 2 && !strcmp(m.reason, "rude") && m.log_id == 41);
	/* The creator's own listing (drafts allowed) still has it; a deleted one is gone from that too. */
	struct listing_query own = {.viewer_id = owner, .creator_id = owner, .include_drafts = true, .complete = -1,
	                            .crossover = -1, .sort = LISTING_UPDATED};
	struct listing_result r;
	CHECK(store_work_find(S, A, &own, &r) == 0 && r.n == 2);
	CHECK(store_work_moderate(S, wid, 3, "worse", 42) == 0);
	CHECK(store_work_find(S, A, &own, &r) == 0 && r.n == 1);
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.removed && !w.hidden);
	CHECK(store_work_moderate(S, wid, 0, NULL, 43) == 0);
	CHECK(store_work_get(S, A, wid, &w) == 0 && !w.hidden && !w.removed && !w.draft);
	CHECK(store_work_moderation_get(S, A, wid, &m) == Q_ENOTFOUND);
	CHECK(tag_count("Only Here Tag", false) == 1 && listed("Hidden Store Work") == 1);
	CHECK(store_work_moderate(S, draft, 2, "x", 44) == Q_EINVAL); /* a draft is nobody's to moderate */
	CHECK(store_work_moderate(S, 999999, 2, "x", 45) == Q_ENOTFOUND);
	CHECK(store_work_moderate(S, wid, 1, "x", 46) == Q_EINVAL);
}

static void test_sanctions(void)
{
	int64_t uid = new_user("sanctioned"), now = time(NULL), n = 0;
	int64_t wid = new_work(uid, "Sanctioned Work", "Sanction Tag", false, NULL);
	struct user u;
	CHECK(store_session_create(S, "sanction-hash", uid, now + 3600) == 0);
	CHECK(store_token_create(S, uid, "sanction-token", "t", NULL) == 0);
	CHECK(store_session_user(S, A, "sanction-hash", now, &u) == 0);
	CHECK(store_user_sanction_set(S, uid, SANCTION_SUSPENDED, now + 600, "cooling off", 77) == 0);
	CHECK(store_session_user(S, A, "sanction-hash", now, &u) == Q_ENOTFOUND);
	CHECK(store_token_user(S, A, "sanction-token", &u) == Q_ENOTFOUND);
	/* Once it has run out, the account works again (the row stays, as history). */
	CHECK(store_session_user(S, A, "sanction-hash", now + 700, &u) == 0);
	struct user_sanction x;
	CHECK(store_user_sanction_get(S, A, uid, &x) == 0 && x.kind == SANCTION_SUSPENDED && x.log_id == 77);
	struct user_sanction *list;
	size_t nl;
	CHECK(store_user_sanctions_list(S, A, now, &list, &nl) == 0 && nl == 1 && list[0].user_id == uid);
	CHECK(store_user_sanctions_list(S, A, now + 700, &list, &nl) == 0 && nl == 0);
	/* A ban lasts: until 0. Its works are hidden, marked with its entry, and shown again by it alone. */
	CHECK(store_user_sanction_set(S, uid, SANCTION_BANNED, 0, "gone", 78) == 0);
	CHECK(store_session_user(S, A, "sanction-hash", now + 100000, &u) == Q_ENOTFOUND);
	CHECK(store_works_hide_owned(S, uid, "its creator is banned", 78, &n) == 0 && n == 1);
	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.hidden);
	CHECK(store_works_show_logged(S, 99, &n) == 0 && n == 0);
	CHECK(store_works_show_logged(S, 78, &n) == 0 && n == 1);
	CHECK(store_work_get(S, A, wid, &w) == 0 && !w.hidden);
	CHECK(store_user_sanction_clear(S, uid) == 0);
	CHECK(store_user_sanction_clear(S, uid) == Q_ENOTFOUND);
	CHECK(store_token_user(S, A, "sanction-token", &u) == 0 && u.id == uid);
	CHECK(store_user_sanction_set(S, uid, 5, 0, "x", 1) == Q_EINVAL);
}

static void test_posts_quarantined(void)
{
	int64_t owner = new_user("q_owner"), reader = new_user("q_reader"), cid = 0, comment = 0, bm = 0;
	int64_t wid = new_work(owner, "Quarantine Work", "Quarantine Tag", false, &cid);
	struct comment c = {.work_id = wid, .chapter_id = cid, .user_id = reader,
	                    .body = {"Hello there", "<p>Hello there</p>"}, .state = COMMENT_SHOWN};
	CHECK(store_comment_create(S, &c, NULL, 0, false, &comment) == 0);
	CHECK(store_comment_quarantine(S, comment, 90) == 0);
	struct comment got;
	CHECK(store_comment_get(S, A, comment, &got) == 0 && got.state == COMMENT_DELETED && !*got.body.html);
	CHECK(store_comment_quarantine(S, comment, 91) == Q_EINVAL);
	CHECK(store_comment_restore(S, comment) == 0);
	CHECK(store_comment_get(S, A, comment, &got) == 0 && got.state == COMMENT_SHOWN &&
	      !strcmp(got.body.html, "<p>Hello there</p>"));
	CHECK(store_comment_restore(S, comment) == Q_ENOTFOUND);
	struct bookmark b = {.user_id = reader, .work_id = wid, .notes = {"mine", "<p>mine</p>"}, .tags = "a, b"};
	CHECK(store_bookmark_create(S, &b, &bm) == 0);
	CHECK(store_bookmark_quarantine(S, bm, 92) == 0);
	struct bookmark gb;
	CHECK(store_bookmark_get(S, A, bm, &gb) == Q_ENOTFOUND);
	CHECK(store_bookmark_restore(S, bm) == 0);
	CHECK(store_bookmark_get(S, A, bm, &gb) == 0 && !strcmp(gb.notes.html, "<p>mine</p>") && !strcmp(gb.tags, "a, b"));
	CHECK(store_bookmark_quarantine(S, bm, 93) == 0);
	int64_t again = 0;
	CHECK(store_bookmark_create(S, &b, &again) == 0);
	CHECK(store_bookmark_restore(S, bm) == Q_EEXIST); /* bookmarked again since */
	struct response_counts rc;
	CHECK(store_response_counts(S, wid, 0, &rc) == 0 && !rc.locked);
	CHECK(store_work_comments_lock(S, wid, true) == 0);
	CHECK(store_response_counts(S, wid, 0, &rc) == 0 && rc.locked);
	CHECK(store_work_comments_lock(S, 999999, true) == Q_ENOTFOUND);

	/* After MOD_KEEP_DAYS the kept text goes (by its log entry's age) and deleted works are listed for purging. */
	struct mod_entry e = {.actor_name = "m", .action = "comment_delete", .target_kind = "comment", .target_id = comment,
	                      .target_name = "", .subject_name = "", .reason = "r", .detail = ""};
	int64_t log_id = 0, nc = 0, nb = 0, now = (int64_t)time(NULL);
	CHECK(store_mod_log_add(S, &e, &log_id) == 0);
	CHECK(store_comment_quarantine(S, comment, log_id) == 0);
	CHECK(store_quarantine_purge(S, now - 3600, &nc, &nb) == 0 && nc == 0);
	CHECK(store_quarantine_purge(S, now + 10, &nc, &nb) == 0 && nc == 1);
	CHECK(store_comment_restore(S, comment) == Q_ENOTFOUND); /* nothing left to restore */
	int64_t *ids;
	size_t n;
	CHECK(store_work_moderate(S, wid, 3, "gone", log_id) == 0);
	CHECK(store_works_purgeable(S, A, now - 3600, 10, &ids, &n) == 0 && n == 0);
	CHECK(store_works_purgeable(S, A, now + 10, 10, &ids, &n) == 0 && n >= 1 && ids[n - 1] == wid);
	CHECK(store_work_moderate(S, wid, 0, NULL, log_id) == 0);
	CHECK(store_works_purgeable(S, A, now + 10, 10, &ids, &n) == 0 && (n == 0 || ids[n - 1] != wid));
}

static void test_rename_and_staff(void)
{
	int64_t uid = new_user("old_store_name");
	new_user("taken_store_name");
	int64_t wid = new_work(uid, "Renamed Store Work", "Rename Tag", false, NULL);
	CHECK(store_user_rename(S, uid, "taken_store_name", "x") == Q_EEXIST);
	CHECK(store_user_rename(S, uid, "new_store_name", "new_store_name") == 0);
	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.ncreators == 1 && !strcmp(w.creators[0].name, "new_store_name"));
	struct user u;
	CHECK(store_user_get_by_name(S, A, "old_store_name", &u) == Q_ENOTFOUND);
	CHECK(store_user_set_role(S, uid, "moderator") == 0);
	struct user *staff;
	size_t n;
	CHECK(store_users_staff(S, A, &staff, &n) == 0 && n == 1 && !strcmp(staff[0].name, "new_store_name"));
}

static void test_counters_reports_notices(void)
{
	int64_t n = 0;
	CHECK(store_rate_bump(S, "k", 1000, &n) == 0 && n == 1);
	CHECK(store_rate_bump(S, "k", 1000, &n) == 0 && n == 2);
	CHECK(store_rate_bump(S, "k", 2000, &n) == 0 && n == 1);
	CHECK(store_rate_get(S, "k", 1000, &n) == 0 && n == 2);
	CHECK(store_rate_get(S, "other", 1000, &n) == 0 && n == 0);
	CHECK(store_rate_purge(S, 1500) == 0);
	CHECK(store_rate_get(S, "k", 1000, &n) == 0 && n == 0);
	CHECK(store_rate_get(S, "k", 2000, &n) == 0 && n == 1);

	int64_t reporter = new_user("reporter_one"), rid = 0;
	struct report r = {.target_kind = "user", .target_id = reporter, .category = "spam", .body = "b",
	                   .reporter_id = reporter, .reporter_email = "", .reported_title = "t", .reported_text = "x"};
	CHECK(store_report_create(S, &r, &rid) == 0);
	r.target_kind = "planet";
	CHECK(store_report_create(S, &r, NULL) == Q_EINVAL);
	struct report got;
	CHECK(store_report_get(S, A, rid, &got) == 0 && got.status == REPORT_OPEN && !strcmp(got.reporter_name, "reporter_one"));
	CHECK(store_report_set(S, rid, REPORT_IN_PROGRESS, reporter) == 0);
	CHECK(store_report_get(S, A, rid, &got) == 0 && got.status == REPORT_IN_PROGRESS && got.assignee_id == reporter);
	CHECK(store_report_set(S, rid, -1, 0) == 0);
	CHECK(store_report_get(S, A, rid, &got) == 0 && got.status == REPORT_IN_PROGRESS && got.assignee_id == 0);
	CHECK(store_report_set(S, 999999, 1, -1) == Q_ENOTFOUND);
	struct report_counts rc;
	CHECK(store_report_counts(S, &rc) == 0 && rc.by_status[REPORT_IN_PROGRESS] == 1 && rc.by_status[REPORT_OPEN] == 0);
	struct report_note note = {.report_id = rid, .author_name = "mod", .body = "looked"};
	CHECK(store_report_note_add(S, &note, NULL) == 0);
	note.report_id = 999999;
	CHECK(store_report_note_add(S, &note, NULL) == Q_ENOTFOUND);
	struct report_note *notes;
	size_t nn;
	CHECK(store_report_notes(S, A, rid, &notes, &nn) == 0 && nn == 1 && !strcmp(notes[0].body, "looked"));
	struct report *list;
	CHECK(store_report_list(S, A, REPORT_IN_PROGRESS, 0, 0, 10, &list, &nn) == 0 && nn == 1);
	CHECK(store_report_list(S, A, -1, reporter, 0, 10, &list, &nn) == 0 && nn == 0);

	int64_t unread = 0;
	CHECK(store_notice_add(S, reporter, NULL, 0, "You were told.", "Subject", "Body") == 0);
	CHECK(store_inbox_unread(S, reporter, &unread) == 0 && unread == 1);
	CHECK(store_notice_add(S, 0, "someone@example.org", 0, NULL, "Invitation", "Come in") == 0);
	CHECK(store_notice_add(S, 0, NULL, 0, NULL, "Nobody", "x") == Q_EINVAL);
	struct outbox_item *items;
	size_t ni;
	CHECK(store_outbox_claim(S, A, time(NULL) + 1, 10, &items, &ni) == 0 && ni == 2);
	bool invitation = false, told = false;
	for (size_t i = 0; i < ni; i++) {
		invitation |= items[i].kind == OUTBOX_NOTICE && items[i].to_addr && !strcmp(items[i].to_addr, "someone@example.org")
		              && !strcmp(items[i].notice_subject, "Invitation");
		told |= items[i].kind == OUTBOX_NOTICE && items[i].user_id == reporter && !strcmp(items[i].notice_body, "Body");
	}
	CHECK(invitation && told);
}

static void test_site(void)
{
	int64_t v = 0, uid = new_user("policy_reader"), now = time(NULL);
	struct site_page p = {.slug = "tos", .title = "Terms", .body = "b", .body_html = "<p>b</p>", .in_footer = true,
	                      .updated_by = "admin"};
	CHECK(store_site_page_put(S, &p, false, &v) == 0 && v == 1);
	p.body = "c";
	CHECK(store_site_page_put(S, &p, false, &v) == 0 && v == 1);
	CHECK(store_site_page_put(S, &p, true, &v) == 0 && v == 2);
	struct site_page got;
	CHECK(store_site_page_get(S, A, "tos", &got) == 0 && got.version == 2 && !strcmp(got.body, "c"));
	struct site_page *list;
	size_t n;
	CHECK(store_site_pages_list(S, A, &list, &n) == 0 && n == 1);
	CHECK(store_site_page_delete(S, "nope") == Q_ENOTFOUND);
	struct user u;
	CHECK(store_session_create(S, "policy-hash", uid, now + 3600) == 0);
	CHECK(store_session_user(S, A, "policy-hash", now, &u) == 0 && u.policy_accepted == 0);
	CHECK(store_policy_accept(S, uid, 2) == 0);
	CHECK(store_session_user(S, A, "policy-hash", now, &u) == 0 && u.policy_accepted == 2);

	struct invitation inv = {.code = "code-one", .created_by = uid, .email = ""};
	CHECK(store_invite_create(S, &inv) == 0);
	CHECK(store_invite_create(S, &inv) == Q_EEXIST);
	int64_t unused = 0, made = 0;
	CHECK(store_invites_count(S, uid, now - 60, &unused, &made) == 0 && unused == 1 && made == 1);
	int64_t newcomer = new_user("newcomer_store");
	CHECK(store_invite_use(S, "code-one", newcomer) == 0);
	CHECK(store_invite_use(S, "code-one", newcomer) == Q_EEXIST);
	CHECK(store_invite_use(S, "code-none", newcomer) == Q_ENOTFOUND);
	struct invitation gi;
	CHECK(store_invite_get(S, A, "code-one", &gi) == 0 && gi.used_by == newcomer && !strcmp(gi.used_by_name, "newcomer_store"));
	int64_t r1 = 0, r2 = 0, ahead = -1, waiting = 0, sent = 0;
	CHECK(store_invite_request_add(S, "First@example.org", &r1, &ahead) == 0 && ahead == 0);
	CHECK(store_invite_request_add(S, "first@EXAMPLE.org", NULL, &ahead) == Q_EEXIST);
	CHECK(store_invite_request_add(S, "second@example.org", &r2, &ahead) == 0 && ahead == 1);
	CHECK(store_invite_request_mark(S, r1, INVITE_SENT, "code-two") == 0);
	CHECK(store_invite_request_mark(S, r1, INVITE_SENT, "code-two") == Q_ENOTFOUND);
	CHECK(store_invite_requests_count(S, now - 60, &waiting, &sent) == 0 && waiting == 1 && sent == 1);
	struct invite_request *q;
	CHECK(store_invite_requests_list(S, A, INVITE_WAITING, 0, 10, &q, &n) == 0 && n == 1 && q[0].id == r2);
}

/* Co-creator invitations: told by inbox and mail (the store's triggers), accepted, withdrawn; creators who share a
 * work; blocks between them ended by the acceptance. */
static void test_cocreators(void)
{
	int64_t owner = new_user("co_owner"), inv = new_user("co_invited"), late = new_user("co_late"),
	        gone = new_user("co_gone"), blocked = new_user("co_blocked"), other = new_user("co_other");
	int64_t wid = new_work(owner, "Written By Several", "Co Tag", false, NULL);
	struct inbox_item *items;
	size_t n;
	bool shared = true;
	CHECK(store_user_block_set(S, owner, blocked, true, 100) == 0);
	CHECK(store_work_invite(S, wid, inv) == 0 && store_work_invite(S, wid, late) == 0);
	CHECK(store_work_invite(S, wid, gone) == 0 && store_work_invite(S, wid, blocked) == 0);
	CHECK(store_work_invite(S, wid, inv) == Q_EEXIST);
	CHECK(store_inbox_list(S, A, inv, false, 0, 10, &items, &n) == 0 && n == 1);
	CHECK(n == 1 && items[0].kind == INBOX_COCREATOR_INVITE && !items[0].read && items[0].work_id == wid &&
	      items[0].actor_name && !strcmp(items[0].actor_name, "co_owner"));
	CHECK(store_creators_shared(S, owner, inv, &shared) == 0 && !shared); /* not before accepting */
	CHECK(store_work_accept(S, wid, inv) == 0);
	CHECK(store_inbox_list(S, A, inv, false, 0, 10, &items, &n) == 0 && n == 1);
	CHECK(n == 1 && items[0].kind == INBOX_COCREATOR_JOINED && items[0].read);
	CHECK(store_inbox_list(S, A, owner, false, 0, 10, &items, &n) == 0 && n == 1);
	CHECK(n == 1 && items[0].kind == INBOX_COCREATOR_ACCEPTED && !strcmp(items[0].actor_name, "co_invited"));
	CHECK(store_creators_shared(S, owner, inv, &shared) == 0 && shared);
	CHECK(store_creators_shared(S, inv, owner, &shared) == 0 && shared);
	CHECK(store_creators_shared(S, inv, late, &shared) == 0 && !shared);
	CHECK(store_creators_shared(S, owner, other, &shared) == 0 && !shared);
	/* The owner's old block of an invitee ends when the invitee accepts. */
	struct user_block *bl;
	size_t nb;
	CHECK(store_user_blocks_list(S, A, owner, 10, &bl, &nb) == 0 && nb == 1);
	CHECK(store_work_accept(S, wid, blocked) == 0);
	CHECK(store_user_blocks_list(S, A, owner, 10, &bl, &nb) == 0 && nb == 0);
	/* A withdrawn invitation leaves the inbox. */
	CHECK(store_work_creator_remove(S, wid, gone) == 0);
	CHECK(store_inbox_list(S, A, gone, false, 0, 10, &items, &n) == 0 && n == 0);
	/* The mails: one per invitation; the accepted one is no longer pending when sent, the open one is. */
	struct outbox_item *out;
	size_t no;
	CHECK(store_outbox_claim(S, A, (int64_t)time(NULL) + 10, 500, &out, &no) == 0);
	int seen_inv = 0, seen_late = 0;
	struct outbox_done *done = arena_calloc(A, no ? no : 1, sizeof *done);
	for (size_t i = 0; i < no; i++) {
		done[i] = (struct outbox_done){.id = out[i].id, .result = OUTBOX_DROPPED, .error = "test"};
		if (out[i].kind != OUTBOX_COCREATOR_INVITE || out[i].work_id != wid)
			continue;
		if (out[i].user_id == inv)
			seen_inv += !out[i].invite_pending;
		if (out[i].user_id == late)
			seen_late += out[i].invite_pending && out[i].work_title && !strcmp(out[i].work_title, "Written By Several");
	}
	CHECK(seen_inv == 1 && seen_late == 1);
	CHECK(store_outbox_finish(S, done, no, (int64_t)time(NULL)) == 0);
}

int main(void)
{
	char url_buf[400], err[512];
	const char *url = getenv("QUIRE_TEST_STORE");
	log_set_quiet(1);
	if (!url || !*url) {
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
		snprintf(db_path, sizeof db_path, "%s/quire.db", dir);
		snprintf(url_buf, sizeof url_buf, "sqlite:%s", db_path);
		url = url_buf;
		sqlite_file = true;
	}
	printf("community store tests on %s\n", url);
	A = arena_new();
	int rc = store_open(&S, url, err, sizeof err);
	CHECK(rc == 0);
	if (rc) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
	} else {
		test_log();
		test_hidden_works();
		test_sanctions();
		test_posts_quarantined();
		test_rename_and_staff();
		test_counters_reports_notices();
		test_site();
		test_cocreators();
		store_close(S);
	}
	arena_free(A);
	if (sqlite_file)
		fixture_remove_dir(dir);
	return CHECK_DONE();
}
