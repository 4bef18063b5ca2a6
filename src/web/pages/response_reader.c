/* A reader's own pages: bookmarks (form, list), reading history and marked for later, the inbox. */
#include "web/pages/response.h"
#include "web/pages/suggestions_view.h"
#include "core/err.h"
#include "archive/text.h"
#include "html/escape.h"
#include "web/work_form.h"
#include "web/work_view.h"
#include <stdlib.h>
#include <string.h>

#define LIST_PER_PAGE 20

/* ?before=N of a keyset-paged list (0 when absent or not a number). */
static int64_t before_param(struct web_req *w)
{
	const char *s = kv_get(&w->req->query, "before");
	if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtoll(s, NULL, 10);
}

static const char *user_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, name ? name : ""));
}

/* ---- Bookmarks ---- */

static void render_bookmark_form(struct web_req *w, int status, const struct work *wk, const struct bookmark *b,
                                 const struct bookmark_input *in, const char *message, const struct field_errors *e)
{
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, wk, false));
	json_object_set_new(d, "form", json_pack("{s:s, s:s, s:b, s:b}", "notes", in->notes ? in->notes : "", "tags",
	                                         in->tags ? in->tags : "", "private", in->private_, "rec", in->rec));
	json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/works/%lld/bookmark", (long long)wk->id)));
	if (b) {
		json_object_set_new(d, "bookmark_id", json_integer(b->id));
		json_object_set_new(d, "delete_url", json_string(arena_printf(w->arena, "/bookmarks/%lld/delete", (long long)b->id)));
	}
	if (message)
		json_object_set_new(d, "message", json_string(message));
	if (e && e->n)
		work_view_set_errors(d, e);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "bookmarks/form", b ? "Edit bookmark" : "Bookmark", d);
}

void page_bookmark_form(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	struct bookmark b;
	int rc = store_bookmark_find(w->app->store, w->arena, w->user->id, wk.id, &b);
	if (rc && rc != Q_ENOTFOUND) {
		web_error(w, 500, "Your bookmark could not be loaded. Please try again in a moment.");
		return;
	}
	struct bookmark_input in = {0};
	if (rc == 0)
		in = (struct bookmark_input){b.notes.src, b.tags, b.private_, b.rec};
	render_bookmark_form(w, 200, &wk, rc == 0 ? &b : NULL, &in, NULL, NULL);
}

void page_bookmark_save(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	struct bookmark old;
	int rc = store_bookmark_find(w->app->store, w->arena, w->user->id, wk.id, &old);
	if (rc && rc != Q_ENOTFOUND) {
		web_error(w, 500, "Your bookmark could not be loaded. Please try again in a moment.");
		return;
	}
	bool exists = rc == 0;
	struct bookmark_input in = {
		.notes = work_form_raw(w, "notes"),
		.tags = web_form(w, "tags"),
		.private_ = *web_form(w, "private") != '\0',
		.rec = *web_form(w, "rec") != '\0',
	};
	struct field_errors e = {0};
	const char *why;
	int64_t id = 0;
	rc = bookmark_save(w->app->store, w->arena, &wk, w->user, &in, exists ? old.id : 0, &id, &e, &why);
	if (rc) {
		render_bookmark_form(w, response_status(rc), &wk, exists ? &old : NULL, &in, why, &e);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/bookmarks?notice=bookmarked", user_url(w, w->user->name)));
}

void page_bookmark_delete(struct web_req *w)
{
	const char *why;
	int rc = bookmark_remove(w->app->store, w->user, web_param_id(w, 0), &why);
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/bookmarks", user_url(w, w->user->name)));
}

void page_user_bookmarks(struct web_req *w)
{
	struct user u;
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], &u);
	if (rc) {
		web_error(w, rc == Q_ENOTFOUND ? 404 : 500, rc == Q_ENOTFOUND ? "There is no user by that name."
		                                                             : "The user could not be loaded.");
		return;
	}
	bool self = w->user && w->user->id == u.id;
	int64_t before = before_param(w);
	struct bookmark *list;
	size_t n;
	/* One more than shown tells whether an older page exists. */
	if (store_bookmark_list(w->app->store, w->arena, u.id, self, before, LIST_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "The bookmarks could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *items = json_array();
	for (size_t i = 0; i < n && i < LIST_PER_PAGE; i++) {
		const struct bookmark *b = &list[i];
		if (!bookmark_can_see(b, w->user))
			continue;
		json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:b, s:s}", "id", (json_int_t)b->id, "work_title",
		                      b->work_title ? b->work_title : "", "work_url",
		                      arena_printf(w->arena, "/works/%lld", (long long)b->work_id), "private", b->private_, "rec",
		                      b->rec, "date", web_date(w, b->created_at));
		json_object_set_new(o, "creator", json_string(b->work_creator ? b->work_creator : ""));
		json_object_set_new(o, "creator_url", json_string(user_url(w, b->work_creator)));
		json_object_set_new(o, "notes_html", json_string(b->notes.html ? b->notes.html : ""));
		json_t *tags = json_array();
		struct strlist tl;
		archive_split_list(w->arena, b->tags, BOOKMARK_TAGS_MAX, &tl);
		for (size_t k = 0; k < tl.n; k++)
			json_array_append_new(tags, json_string(tl.items[k]));
		json_object_set_new(o, "tags", tags);
		if (!self) /* bookmarks are reported to the moderators from here */
			json_object_set_new(o, "report_url", json_string(arena_printf(w->arena, "/reports/new?kind=bookmark&id=%lld",
			                                                              (long long)b->id)));
		if (self) {
			json_object_set_new(o, "edit_url", json_string(arena_printf(w->arena, "/works/%lld/bookmark", (long long)b->work_id)));
			json_object_set_new(o, "delete_url", json_string(arena_printf(w->arena, "/bookmarks/%lld/delete", (long long)b->id)));
		}
		json_array_append_new(items, o);
	}
	json_object_set_new(d, "bookmarks", items);
	json_object_set_new(d, "profile", json_pack("{s:s, s:s}", "name", u.name, "url", user_url(w, u.name)));
	json_object_set_new(d, "is_self", json_boolean(self));
	if (n > LIST_PER_PAGE)
		json_object_set_new(d, "older_url", json_string(arena_printf(w->arena, "%s/bookmarks?before=%lld",
		                                                             user_url(w, u.name),
		                                                             (long long)list[LIST_PER_PAGE - 1].id)));
	if (!strcmp(kv_get(&w->req->query, "notice") ? kv_get(&w->req->query, "notice") : "", "bookmarked"))
		json_object_set_new(d, "notice", json_string("Bookmarked!"));
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "bookmarks/index", arena_printf(w->arena, "Bookmarks by %s", u.name), d);
}

/* ---- History and marked for later ---- */

void page_history(struct web_req *w)
{
	const char *l = kv_get(&w->req->query, "later");
	bool later = l && !strcmp(l, "1");
	int64_t before = before_param(w);
	struct reading *list;
	size_t n;
	if (store_reading_list(w->app->store, w->arena, w->user->id, later, before, LIST_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "Your history could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *items = json_array();
	for (size_t i = 0; i < n && i < LIST_PER_PAGE; i++) {
		const struct reading *r = &list[i];
		bool visible = !r->work_draft; /* a work turned back into a draft is its creator's alone */
		json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:I}", "work_id", (json_int_t)r->work_id, "work_title",
		                      visible && r->work_title ? r->work_title : "(no longer available)", "work_url",
		                      arena_printf(w->arena, "/works/%lld", (long long)r->work_id), "later", r->later, "views",
		                      (json_int_t)r->views);
		json_object_set_new(o, "creator", json_string(r->work_creator ? r->work_creator : ""));
		json_object_set_new(o, "last_read", json_string(web_date(w, r->read_at)));
		if (r->chapter_id && r->chapter_position)
			json_object_set_new(o, "chapter", json_pack("{s:i, s:s}", "position", r->chapter_position, "url",
			                                            arena_printf(w->arena, "/works/%lld/chapters/%lld",
			                                                         (long long)r->work_id, (long long)r->chapter_id)));
		json_object_set_new(o, "later_url", json_string(arena_printf(w->arena, "/works/%lld/later", (long long)r->work_id)));
		json_array_append_new(items, o);
	}
	json_object_set_new(d, "readings", items);
	json_object_set_new(d, "later_only", json_boolean(later));
	if (n > LIST_PER_PAGE) {
		const struct reading *last = &list[LIST_PER_PAGE - 1];
		json_object_set_new(d, "older_url", json_string(later ? arena_printf(w->arena, "/history?later=1&before=%lld",
		                                                                     (long long)last->work_id)
		                                                      : arena_printf(w->arena, "/history?before=%lld",
		                                                                     (long long)last->read_at)));
	}
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "history/index", later ? "Marked for Later" : "History", d);
}

void page_later(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	bool later = strcmp(web_form(w, "later"), "0") != 0;
	const char *why;
	int rc = reading_mark_later(w->app->store, &wk, w->user, later, &why);
	if (rc != 0) {
		web_error(w, response_status(rc), why);
		return;
	}
	const char *r = web_form(w, "return");
	if (r[0] == '/' && r[1] != '/' && r[1] != '\\')
		web_redirect(w, r);
	else
		web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=%s", (long long)wk.id, later ? "later" : "not_later"));
}

/* ---- Inbox ---- */

/* A comment or reply message: the comment as it is now, and the reply form. */
static void inbox_comment_json(struct web_req *w, const struct inbox_item *it, json_t *o)
{
	const struct comment *c = &it->comment;
	json_object_set_new(o, "comment", json_true());
	json_object_set_new(o, "reply", json_boolean(it->kind == INBOX_REPLY));
	json_object_set_new(o, "work_title", json_string(it->work_title ? it->work_title : ""));
	json_object_set_new(o, "author", json_string(comment_author(c)));
	json_object_set_new(o, "guest", json_boolean(!c->user_id && c->guest_name));
	json_object_set_new(o, "by_creator", json_boolean(c->by_creator));
	/* What became of the comment since: its text only while the reader may read it. */
	bool text = inbox_text_visible(it);
	json_object_set_new(o, "body_html", json_string(text ? c->body.html : ""));
	json_object_set_new(o, "deleted", json_boolean(c->state == COMMENT_DELETED));
	json_object_set_new(o, "unavailable", json_boolean(!text && c->state != COMMENT_DELETED));
	json_object_set_new(o, "hidden", json_boolean(text && c->state == COMMENT_HIDDEN));
	json_object_set_new(o, "pending", json_boolean(c->state == COMMENT_PENDING));
	json_object_set_new(o, "url", json_string(response_comment_url(w, c)));
	json_object_set_new(o, "target", json_string(c->chapter_id ? "a chapter" : "the work"));
	/* Reply from the inbox: to shown, unfrozen comments (the form posts where the comment lives). */
	if (text && c->state == COMMENT_SHOWN && !c->frozen)
		json_object_set_new(o, "reply_action",
		                    json_string(c->chapter_id ? arena_printf(w->arena, "/works/%lld/chapters/%lld/comments",
		                                                             (long long)c->work_id, (long long)c->chapter_id)
		                                              : arena_printf(w->arena, "/works/%lld/comments",
		                                                             (long long)c->work_id)));
	if (c->state == COMMENT_PENDING)
		json_object_set_new(o, "moderate_url", json_string(arena_printf(w->arena, "/comments/%lld/moderate",
		                                                                (long long)c->id)));
	json_object_set_new(o, "comment_id", json_integer(c->id));
}

/* A subscription's news (written by mail's triggers): what was posted, linked while the work exists. */
static void inbox_notification_json(struct web_req *w, const struct inbox_item *it, json_t *o)
{
	json_object_set_new(o, it->kind == INBOX_NEW_CHAPTER ? "new_chapter" : it->kind == INBOX_NEW_WORK ? "new_work"
	                       : it->kind == INBOX_NEW_SERIES_PART    ? "new_series_part"
	                       : it->kind == INBOX_NOTICE             ? "notice"
	                       : it->kind == INBOX_COCREATOR_INVITE   ? "cocreator_invite"
	                       : it->kind == INBOX_COCREATOR_JOINED   ? "cocreator_joined"
	                       : it->kind == INBOX_COCREATOR_ACCEPTED ? "cocreator_accepted"
	                                                              : "other", json_true());
	json_object_set_new(o, "text", json_string(it->body ? it->body : ""));
	if (it->kind == INBOX_NOTICE) { /* from the moderators: said in full, the work linked while it exists */
		if (it->work_title)
			json_object_set_new(o, "work_url", json_string(arena_printf(w->arena, "/works/%lld",
			                                                            (long long)it->work_id)));
		return;
	}
	if (it->actor_name)
		json_object_set_new(o, "actor", json_string(it->actor_name));
	if (it->series_title)
		json_object_set_new(o, "series_title", json_string(it->series_title));
	if (!it->work_title) {
		json_object_set_new(o, "gone", json_true());
		return;
	}
	json_object_set_new(o, "work_title", json_string(it->work_title));
	json_object_set_new(o, "work_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)it->work_id)));
	if (it->kind == INBOX_COCREATOR_INVITE) /* accepted here or on the account page */
		json_object_set_new(o, "accept_url", json_string(arena_printf(w->arena, "/account/invitations/%lld/accept",
		                                                                (long long)it->work_id)));
	if (it->chapter_id && it->chapter_position) {
		json_object_set_new(o, "chapter_position", json_integer(it->chapter_position));
		json_object_set_new(o, "chapter_url", json_string(arena_printf(w->arena, "/works/%lld/chapters/%lld",
		                                                               (long long)it->work_id,
		                                                               (long long)it->chapter_id)));
	}
}

void page_inbox(struct web_req *w)
{
	const char *u = kv_get(&w->req->query, "unread");
	bool unread = u && !strcmp(u, "1");
	int64_t before = before_param(w);
	struct inbox_item *list;
	size_t n;
	if (store_inbox_list(w->app->store, w->arena, w->user->id, unread, before, LIST_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "Your inbox could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *items = json_array();
	for (size_t i = 0; i < n && i < LIST_PER_PAGE; i++) {
		struct inbox_item *it = &list[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(it->id));
		json_object_set_new(o, "read", json_boolean(it->read));
		json_object_set_new(o, "kind", json_string(inbox_kind_name(it->kind)));
		json_object_set_new(o, "date", json_string(web_date(w, it->created_at)));
		json_object_set_new(o, "mark_url", json_string(arena_printf(w->arena, "/inbox/%lld/read", (long long)it->id)));
		if (it->comment.id)
			inbox_comment_json(w, it, o);
		else if (!suggestions_view_inbox_message(w, it, o))
			inbox_notification_json(w, it, o);
		json_array_append_new(items, o);
	}
	json_object_set_new(d, "items", items);
	json_object_set_new(d, "unread_only", json_boolean(unread));
	if (n > LIST_PER_PAGE)
		json_object_set_new(d, "older_url", json_string(arena_printf(w->arena, "/inbox?%sbefore=%lld", unread ? "unread=1&" : "",
		                                                             (long long)list[LIST_PER_PAGE - 1].id)));
	const char *notice = kv_get(&w->req->query, "notice");
	if (notice && !strcmp(notice, "replied"))
		json_object_set_new(d, "notice", json_string("Reply posted."));
	else if (notice && !strcmp(notice, "comment_pending"))
		json_object_set_new(d, "notice", json_string("Your reply waits for the creator's approval."));
	json_t *sg = suggestions_view_inbox(w); /* readers' suggestions on the user's works, open */
	if (sg)
		json_object_set_new(d, "suggestions", sg);
	const char *sn = suggestions_view_notice(w);
	if (sn)
		json_object_set_new(d, "suggestions_notice", json_string(sn));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "inbox/index", "Inbox", d);
}

void page_inbox_mark(struct web_req *w)
{
	const char *why;
	int rc = inbox_mark(w->app->store, w->user, web_param_id(w, 0), strcmp(web_form(w, "read"), "0") != 0, &why);
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	web_redirect(w, "/inbox");
}

void page_inbox_mark_all(struct web_req *w)
{
	const char *why;
	if (inbox_mark_all(w->app->store, w->user, &why) != 0) {
		web_error(w, 500, "The inbox could not be changed. Please try again in a moment.");
		return;
	}
	web_redirect(w, "/inbox");
}
