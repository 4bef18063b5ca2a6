/* Tests for the reader's-response rules (src/archive/): what a viewer sees of a thread, who may comment, hit counting. */
#include "check.h"
#include "archive/response.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct arena *A;

static struct user U_CREATOR = {.id = 1, .name = "creator", .role = "user"};
static struct user U_READER = {.id = 2, .name = "reader", .role = "user"};
static struct user U_OTHER = {.id = 3, .name = "other", .role = "user"};
static struct user U_ADMIN = {.id = 4, .name = "admin", .role = "admin"};

static struct work a_work(void)
{
	static struct creator cr[] = {{.user_id = 1, .name = "creator", .accepted = true}};
	struct work w;
	memset(&w, 0, sizeof w);
	w.id = 10;
	w.title = "W";
	w.creators = cr;
	w.ncreators = 1;
	return w;
}

static struct comment cm(int64_t id, int64_t parent, int depth, int64_t user, int state)
{
	struct comment c;
	memset(&c, 0, sizeof c);
	c.id = id;
	c.parent_id = parent;
	c.root_id = 1;
	c.depth = depth;
	c.user_id = user;
	c.user_name = user ? "someone" : NULL;
	c.guest_name = user ? NULL : "Guest";
	c.state = state;
	c.body = (struct text){"t", "<p>t</p>"};
	return c;
}

/* The ids a viewer is shown, as a string "1,2,3". */
static const char *shown(const struct work *w, const struct comment *list, size_t n, const struct user *viewer)
{
	struct comment_view *v;
	size_t nv;
	comments_for_viewer(A, w, list, n, viewer, true, &v, &nv);
	const char *s = "";
	for (size_t i = 0; i < nv; i++)
		s = arena_printf(A, "%s%s%lld%s", s, i ? "," : "", (long long)v[i].c->id, v[i].placeholder ? "p" : "");
	return s;
}

static void test_what_viewers_see(void)
{
	struct work w = a_work();
	/* 1 shown by reader; 2 (reply) hidden; 3 reply under hidden; 4 pending by reader; 5 deleted with a shown
	 * reply 6; 7 deleted without replies. */
	struct comment list[] = {
		cm(1, 0, 0, 2, COMMENT_SHOWN),   cm(2, 1, 1, 3, COMMENT_HIDDEN),  cm(3, 2, 2, 2, COMMENT_SHOWN),
		cm(4, 1, 1, 2, COMMENT_PENDING), cm(5, 0, 0, 3, COMMENT_DELETED), cm(6, 5, 1, 2, COMMENT_SHOWN),
		cm(7, 0, 0, 3, COMMENT_DELETED),
	};
	size_t n = sizeof list / sizeof list[0];
	CHECK_STR(shown(&w, list, n, NULL), "1,5p,6");
	CHECK_STR(shown(&w, list, n, &U_OTHER), "1,5p,6");
	CHECK_STR(shown(&w, list, n, &U_READER), "1,4,5p,6"); /* their own pending comment */
	CHECK_STR(shown(&w, list, n, &U_CREATOR), "1,2,3,4,5p,6");
	CHECK_STR(shown(&w, list, n, &U_ADMIN), "1,2,3,4,5p,6");

	/* Depth shown is capped at COMMENT_DEPTH_SHOWN; replies are offered only on shown, unfrozen comments. */
	struct comment deep[9];
	for (int i = 0; i < 9; i++)
		deep[i] = cm(i + 1, i, i, 2, COMMENT_SHOWN);
	deep[3].frozen = true;
	struct comment_view *v;
	size_t nv;
	comments_for_viewer(A, &w, deep, 9, &U_OTHER, true, &v, &nv);
	CHECK(nv == 9);
	CHECK(nv == 9 && v[4].depth == 4 && v[5].depth == 5 && v[8].depth == COMMENT_DEPTH_SHOWN);
	CHECK(nv == 9 && v[0].can_reply && !v[3].can_reply);
	CHECK(nv == 9 && !v[0].can_edit && !v[0].can_delete && !v[0].moderator);
	comments_for_viewer(A, &w, deep, 9, &U_READER, false, &v, &nv);
	CHECK(nv == 9 && !v[0].can_reply && v[0].can_edit && v[0].can_delete);
	comments_for_viewer(A, &w, deep, 9, &U_CREATOR, true, &v, &nv);
	CHECK(nv == 9 && v[0].moderator && v[0].can_delete && !v[0].can_edit);
}

static void test_rights_and_settings(void)
{
	struct work w = a_work();
	struct response_counts rc = {.comment_policy = COMMENTS_EVERYONE};
	struct comment_rights r;
	comment_rights(&w, &rc, NULL, &r);
	CHECK(r.can_comment && !r.closed && !r.moderator);
	rc.comment_policy = COMMENTS_REGISTERED;
	comment_rights(&w, &rc, NULL, &r);
	CHECK(!r.can_comment && r.needs_login && r.closed);
	comment_rights(&w, &rc, &U_READER, &r);
	CHECK(r.can_comment);
	rc.comment_policy = COMMENTS_NOBODY;
	comment_rights(&w, &rc, &U_CREATOR, &r);
	CHECK(!r.can_comment && r.moderator);
	w.draft = true;
	rc.comment_policy = COMMENTS_EVERYONE;
	comment_rights(&w, &rc, &U_READER, &r);
	CHECK(!r.can_comment);

	CHECK(comment_policy_parse("everyone") == COMMENTS_EVERYONE);
	CHECK(comment_policy_parse("registered") == COMMENTS_REGISTERED);
	CHECK(comment_policy_parse("nobody") == COMMENTS_NOBODY);
	CHECK(comment_policy_parse("Everyone") == -1 && comment_policy_parse("") == -1 && comment_policy_parse(NULL) == -1);
	CHECK_STR(comment_policy_name(COMMENTS_REGISTERED), "registered");

	struct inbox_item it = {.kind = 1};
	it.comment.state = COMMENT_SHOWN;
	CHECK(inbox_text_visible(&it));
	it.comment.state = COMMENT_HIDDEN;
	CHECK(!inbox_text_visible(&it));
	it.kind = 0;
	CHECK(inbox_text_visible(&it));
	it.comment.state = COMMENT_DELETED;
	CHECK(!inbox_text_visible(&it));

	struct bookmark b = {.user_id = 2, .private_ = true};
	CHECK(bookmark_can_see(&b, &U_READER) && !bookmark_can_see(&b, &U_OTHER) && !bookmark_can_see(&b, NULL));
	b.private_ = false;
	b.work_restricted = true;
	CHECK(bookmark_can_see(&b, &U_OTHER) && !bookmark_can_see(&b, NULL));
}

/* Hit counting against a real store: once per visitor per work and per chapter per day. */
static void test_hits_counted_once_per_visitor(void)
{
	char dir[] = "/tmp/quire-hits-XXXXXX", path[256];
	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof path, "%s/quire.db", dir);
	struct store *st;
	CHECK(store_open_sqlite(&st, path) == 0);
	int64_t uid, wid, cid;
	CHECK(store_user_create(st, "writer", "writer@example.org", "x", NULL, &uid) == 0);
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = "Hits";
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.language = "English";
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	c.title = "";
	c.content = "x";
	c.content_html = "<p>x</p>";
	CHECK(store_work_create(st, &w, &c, uid, &wid, &cid) == 0);

	unsigned char key[32] = {1};
	struct response *r = response_new(st, key);
	hits_note(r, wid, 0, false, NULL, "10.0.0.1|browser");
	hits_note(r, wid, cid, true, NULL, "10.0.0.1|browser"); /* same visitor: the work once, the chapter once */
	hits_note(r, wid, cid, true, NULL, "10.0.0.1|browser");
	hits_note(r, wid, cid, true, NULL, "10.0.0.2|browser");
	struct user reader = {.id = uid, .name = "writer", .role = "user"};
	hits_note(r, wid, cid, true, &reader, NULL);
	hits_note(r, wid, cid, true, &reader, NULL);
	hits_flush(r);
	struct response_counts rc;
	CHECK(store_response_counts(st, wid, cid, &rc) == 0);
	CHECK(rc.work_hits == 3 && rc.chapter_hits == 3);
	struct reading *h;
	size_t n;
	CHECK(store_reading_list(st, A, uid, false, 0, 10, &h, &n) == 0 && n == 1 && h[0].views == 2 &&
	      h[0].chapter_id == cid);
	hits_note(r, wid, 0, false, NULL, "10.0.0.3|browser");
	response_free(r); /* writes what is left */
	CHECK(store_response_counts(st, wid, 0, &rc) == 0 && rc.work_hits == 4);
	/* Opening the work at its first chapter is a hit on the work only; the reader's history still knows it. */
	r = response_new(st, key);
	hits_note(r, wid, cid, false, NULL, "10.0.0.9|browser");
	response_free(r);
	CHECK(store_response_counts(st, wid, cid, &rc) == 0 && rc.work_hits == 5 && rc.chapter_hits == 3);
	store_close(st);
	char p[512];
	const char *files[] = {"quire.db", "quire.db-wal", "quire.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
	log_set_quiet(1);
	A = arena_new();
	test_what_viewers_see();
	test_rights_and_settings();
	test_hits_counted_once_per_visitor();
	arena_free(A);
	return CHECK_DONE();
}
