/* API v1 for the reader's response: comments, kudos, bookmarks, inbox and statistics, on the same rules as the pages. */
#include "api/response_api.h"
#include "archive/mutes.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "core/err.h"
#include "archive/response.h"
#include "archive/work.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define API_LIST_MAX 100

/* The status an archive/response.h code answers with. */
static int response_status(int rc)
{
	switch (rc) {
	case 0: return 200;
	case Q_ENOTFOUND: return 404;
	case Q_EPERM: return 403;
	case Q_EINVAL: return 422;
	case Q_EEXIST: return 409;
	case Q_EBUSY: return 429;
	default: return 500;
	}
}

/* The caller as the response rules know them: the account, or a guest's address. */
static struct response_actor actor_of(struct web_req *w)
{
	return (struct response_actor){.user = w->user, .address = w->req->client_key ? w->req->client_key : ""};
}

/* A comment object; a placeholder (deleted, or hidden from the caller) carries no author or text. */
static json_t *comment_json(struct web_req *w, const struct comment *c, bool placeholder)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "work_id", json_integer(c->work_id));
	json_object_set_new(o, "chapter_id", c->chapter_id ? json_integer(c->chapter_id) : json_null());
	json_object_set_new(o, "parent_id", c->parent_id ? json_integer(c->parent_id) : json_null());
	json_object_set_new(o, "depth", json_integer(c->depth));
	json_object_set_new(o, "author", json_string(placeholder ? "" : comment_author(c)));
	json_object_set_new(o, "user", c->user_name && !placeholder ? json_string(c->user_name) : json_null());
	json_object_set_new(o, "guest", json_boolean(!c->user_id && c->guest_name));
	json_object_set_new(o, "by_creator", json_boolean(c->by_creator));
	json_object_set_new(o, "body", json_string(c->body.src ? c->body.src : ""));
	json_object_set_new(o, "body_html", json_string(c->body.html ? c->body.html : ""));
	json_object_set_new(o, "state", json_string(comment_state_name(c->state)));
	json_object_set_new(o, "frozen", json_boolean(c->frozen));
	json_object_set_new(o, "edited", json_boolean(c->edited_at > 0));
	json_object_set_new(o, "created_at", api_time_json(c->created_at));
	json_object_set_new(o, "edited_at", api_time_json(c->edited_at));
	json_object_set_new(o, "url", json_string(comment_path(w->arena, c)));
	return o;
}

/* An archive/response.h refusal as a JSON error with a stable code. */
static void refused(struct web_req *w, int rc, const char *why, const struct field_errors *e)
{
	static const struct {
		int rc;
		const char *code;
	} codes[] = {{Q_ENOTFOUND, "not_found"}, {Q_EPERM, "forbidden"},   {Q_EINVAL, "invalid"},
	             {Q_EEXIST, "already_done"}, {Q_EBUSY, "rate_limited"}, {Q_ERR, "internal"}};
	const char *code = "internal";
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i].rc == rc)
			code = codes[i].code;
	web_json_error(w, response_status(rc), code, why ? why : "Refused.", e && e->n ? api_field_errors_json(e) : NULL);
}

/* The target of a /chapters/:cid or /works/:id route: the work (visible to the caller) and chapter. */
static bool load_target(struct web_req *w, struct work *wk, struct chapter *ch, bool *has_chapter)
{
	bool by_chapter = strncmp(w->req->path, "/api/v1/chapters/", 17) == 0;
	int64_t work_id = by_chapter ? 0 : api_param_id(w, 0), cid = by_chapter ? api_param_id(w, 0) : 0;
	int rc = 0;
	*has_chapter = by_chapter;
	if (by_chapter)
		rc = cid ? store_chapter_work(w->app->store, cid, &work_id) : Q_ENOTFOUND;
	if (rc == 0)
		rc = work_id ? archive_work_load(w->app->store, w->arena, w->user, work_id, false, wk) : Q_ENOTFOUND;
	if (rc == 0 && by_chapter)
		rc = store_chapter_get(w->app->store, w->arena, work_id, cid, ch);
	if (rc) {
		if (rc == Q_ENOTFOUND)
			web_json_error(w, 404, "not_found", "No such work or chapter, or you are not allowed to see it.", NULL);
		else
			api_store_error(w, rc);
		return false;
	}
	return true;
}

/* ?after=ROOT (0 when absent); false after answering 422. */
static bool query_id(struct web_req *w, const char *key, int64_t *out)
{
	const char *s = kv_get(&w->req->query, key);
	*out = 0;
	if (!s)
		return true;
	if (!*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s)) {
		web_json_error(w, 422, "invalid", arena_printf(w->arena, "%s must be a whole number.", key), NULL);
		return false;
	}
	*out = strtoll(s, NULL, 10);
	return true;
}

/* A string member of a JSON body: NULL when absent; false (after 400) when present but not a string. */
static bool body_string(struct web_req *w, json_t *body, const char *key, const char **out)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		api_bad_json(w, arena_printf(w->arena, "\"%s\" must be a string.", key));
		return false;
	}
	*out = arena_strndup(w->arena, json_string_value(v), json_string_length(v));
	if (strlen(*out) != json_string_length(v)) {
		api_bad_json(w, arena_printf(w->arena, "\"%s\" must not contain NUL characters.", key));
		return false;
	}
	return true;
}

static bool body_bool(struct web_req *w, json_t *body, const char *key, bool *out, bool *given)
{
	json_t *v = json_object_get(body, key);
	if (given)
		*given = v != NULL;
	if (!v)
		return true;
	if (!json_is_boolean(v)) {
		api_bad_json(w, arena_printf(w->arena, "\"%s\" must be true or false.", key));
		return false;
	}
	*out = json_is_true(v);
	return true;
}

/* ---- Comments ---- */

void api_comments_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	struct chapter ch;
	bool has;
	int64_t after;
	if (!load_target(w, &wk, &ch, &has) || !query_id(w, "after", &after))
		return;
	struct response_counts rc;
	struct comment *list;
	size_t n;
	int64_t next;
	int r = store_response_counts(w->app->store, wk.id, has ? ch.id : 0, &rc);
	if (r == 0)
		r = store_comment_list(w->app->store, w->arena, wk.id, has ? ch.id : 0, after, COMMENT_THREADS_PER_PAGE, &list,
		                       &n, &next);
	if (r) {
		api_store_error(w, r);
		return;
	}
	struct comment_rights rights;
	comment_rights(&wk, &rc, w->user, &rights);
	struct comment_view *v;
	size_t nv;
	comments_for_viewer(w->arena, &wk, list, n, w->user, rights.can_comment, &v, &nv);
	struct mute_set mutes;
	if (w->user && mutes_load(w->app->store, w->arena, w->user, &mutes) == 0)
		mutes_filter_comments(w->arena, &mutes, v, &nv);
	json_t *items = json_array();
	for (size_t i = 0; i < nv; i++)
		json_array_append_new(items, comment_json(w, v[i].c, v[i].placeholder));
	json_t *o = json_object();
	json_object_set_new(o, "comments", items);
	json_object_set_new(o, "count", json_integer(has ? rc.chapter_comments : rc.work_comments));
	json_object_set_new(o, "next_after", next ? json_integer(next) : json_null());
	json_object_set_new(o, "can_comment", json_boolean(rights.can_comment));
	json_object_set_new(o, "comment_policy", json_string(comment_policy_name(rc.comment_policy)));
	json_object_set_new(o, "moderated", json_boolean(rc.moderated));
	web_json(w, 200, o);
}

void api_comment_create(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work wk;
	struct chapter ch;
	bool has;
	struct comment_input in = {0};
	json_t *pid = json_object_get(body, "parent_id");
	bool ok = load_target(w, &wk, &ch, &has) && body_string(w, body, "body", &in.body);
	if (ok && pid && !json_is_null(pid)) {
		if (!json_is_integer(pid) || json_integer_value(pid) <= 0) {
			api_bad_json(w, "\"parent_id\" must be a positive integer.");
			ok = false;
		} else {
			in.parent_id = json_integer_value(pid);
		}
	}
	json_decref(body);
	if (!ok)
		return;
	struct response_counts rc;
	int r = store_response_counts(w->app->store, wk.id, has ? ch.id : 0, &rc);
	if (r) {
		api_store_error(w, r);
		return;
	}
	struct response_actor actor = actor_of(w);
	struct comment c;
	struct field_errors e = {0};
	const char *why = NULL;
	int retry = 0;
	r = comment_post(w->app->response, w->app->store, w->arena, &wk, has ? &ch : NULL, &rc, &actor, &in, &c, &e, &why,
	                 &retry);
	if (r) {
		if (r == Q_EBUSY)
			http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry > 0 ? retry : 60));
		refused(w, r, why, &e);
		return;
	}
	if (!c.id) { /* held as likely spam for the moderators: received, not posted */
		web_json(w, 202, json_pack("{s:b, s:s}", "held", 1, "message", why));
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/comments/%lld", (long long)c.id));
	web_json(w, 201, comment_json(w, &c, false));
}

static bool load_comment(struct web_req *w, struct comment *c, struct work *wk)
{
	const char *why;
	int rc = comment_load(w->app->store, w->arena, api_param_id(w, 0), w->user, c, wk, &why);
	if (rc)
		refused(w, rc, why, NULL);
	return rc == 0;
}

void api_comment_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct comment c;
	struct work wk;
	if (!load_comment(w, &c, &wk))
		return;
	web_json(w, 200, comment_json(w, &c, c.state == COMMENT_DELETED));
}

/* PATCH: {"body": "..."} by the writer; {"state": "hidden"|"shown"} and {"frozen": bool} by moderators. */
void api_comment_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct comment c;
	struct work wk;
	const char *text = NULL, *state = NULL, *why = NULL;
	bool frozen = false, frozen_given = false;
	bool ok = load_comment(w, &c, &wk) && body_string(w, body, "body", &text) && body_string(w, body, "state", &state) &&
	          body_bool(w, body, "frozen", &frozen, &frozen_given);
	json_decref(body);
	if (!ok)
		return;
	struct field_errors e = {0};
	int rc = 0;
	/* All or nothing: every change asked for must be the caller's to make before any is made. */
	if ((state || frozen_given) && !response_can_moderate(&wk, w->user)) {
		web_json_error(w, 403, "forbidden", "Only the work's creators and site admins can moderate its comments.", NULL);
		return;
	}
	if (text && (!w->user || c.user_id != w->user->id)) {
		web_json_error(w, 403, "forbidden", "Only the comment's writer can edit it.", NULL);
		return;
	}
	if (state && strcmp(state, "hidden") && strcmp(state, "shown")) {
		web_json_error(w, 422, "invalid", "\"state\" must be \"hidden\" or \"shown\".", NULL);
		return;
	}
	if (text)
		rc = comment_edit(w->app->store, w->arena, &wk, &c, w->user, text, &e, &why);
	if (rc == 0 && state) {
		const char *action = !strcmp(state, "hidden") ? "hide" : !strcmp(state, "shown") ? (c.state == COMMENT_PENDING ? "approve" : "unhide") : NULL;
		if (!action) {
			web_json_error(w, 422, "invalid", "\"state\" must be \"hidden\" or \"shown\".", NULL);
			return;
		}
		rc = comment_moderate(w->app->store, &wk, &c, w->user, action, &why);
		if (rc == Q_EEXIST)
			rc = 0; /* already in that state: nothing to change */
	}
	if (rc == 0 && frozen_given)
		rc = comment_moderate(w->app->store, &wk, &c, w->user, frozen ? "freeze" : "unfreeze", &why);
	if (rc == 0 && !text && !state && !frozen_given) {
		web_json_error(w, 422, "invalid", "Send \"body\", \"state\" or \"frozen\".", NULL);
		return;
	}
	if (rc) {
		refused(w, rc, why, &e);
		return;
	}
	struct comment now;
	if (store_comment_get(w->app->store, w->arena, c.id, &now) != 0)
		now = c;
	web_json(w, 200, comment_json(w, &now, false));
}

void api_comment_delete(struct web_req *w)
{
	struct comment c;
	struct work wk;
	if (!load_comment(w, &c, &wk))
		return;
	const char *why;
	int rc = comment_delete(w->app->store, &wk, &c, w->user, &why);
	if (rc) {
		refused(w, rc, why, NULL);
		return;
	}
	api_no_content(w);
}

/* ---- Kudos ---- */

void api_kudos_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	struct chapter ch;
	bool has;
	if (!load_target(w, &wk, &ch, &has))
		return;
	struct response_counts rc;
	const char **names = NULL;
	size_t n = 0;
	int r = store_response_counts(w->app->store, wk.id, has ? ch.id : 0, &rc);
	if (r == 0)
		r = store_kudos_names(w->app->store, w->arena, wk.id, has ? ch.id : 0, KUDOS_NAMES_SHOWN, &names, &n);
	if (r) {
		api_store_error(w, r);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(names[i]));
	web_json(w, 200, json_pack("{s:I, s:o, s:I}", "count", (json_int_t)(has ? rc.chapter_kudos : rc.work_kudos), "users",
	                           list, "guests", (json_int_t)(has ? rc.chapter_kudos_guests : rc.work_kudos_guests)));
}

void api_kudos_give(struct web_req *w)
{
	struct work wk;
	struct chapter ch;
	bool has;
	if (!load_target(w, &wk, &ch, &has))
		return;
	struct response_actor actor = actor_of(w);
	const char *why;
	int rc = kudos_give(w->app->response, w->app->store, &wk, has ? &ch : NULL, &actor, &why);
	if (rc) {
		refused(w, rc, why, NULL);
		return;
	}
	web_json(w, 201, json_pack("{s:s}", "message", why));
}

/* ---- Bookmarks ---- */

static json_t *bookmark_json(struct web_req *w, const struct bookmark *b)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:b, s:b}", "id", (json_int_t)b->id, "work_id", (json_int_t)b->work_id,
	                      "tags", b->tags ? b->tags : "", "private", b->private_, "rec", b->rec);
	json_object_set_new(o, "user", json_string(b->user_name ? b->user_name : ""));
	json_object_set_new(o, "work_title", json_string(b->work_title ? b->work_title : ""));
	json_object_set_new(o, "notes", json_string(b->notes.src ? b->notes.src : ""));
	json_object_set_new(o, "notes_html", json_string(b->notes.html ? b->notes.html : ""));
	json_object_set_new(o, "created_at", api_time_json(b->created_at));
	json_object_set_new(o, "updated_at", api_time_json(b->updated_at));
	(void)w;
	return o;
}

/* GET ?user=NAME (default: the caller) */
void api_bookmarks_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	const char *name = kv_get(&w->req->query, "user");
	int64_t before;
	if (!query_id(w, "before", &before))
		return;
	struct user u;
	if (!name && !w->user) {
		web_json_error(w, 422, "invalid", "Say whose bookmarks: ?user=NAME (or send a token for your own).", NULL);
		return;
	}
	if (name) {
		int rc = store_user_get_by_name(w->app->store, w->arena, name, &u);
		if (rc) {
			if (rc == Q_ENOTFOUND)
				web_json_error(w, 404, "not_found", "There is no user by that name.", NULL);
			else
				api_store_error(w, rc);
			return;
		}
	} else {
		u = *w->user;
	}
	bool self = w->user && w->user->id == u.id;
	struct bookmark *list;
	size_t n;
	int rc = store_bookmark_list(w->app->store, w->arena, u.id, self, before, API_LIST_MAX, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (bookmark_can_see(&list[i], w->user))
			json_array_append_new(items, bookmark_json(w, &list[i]));
	web_json(w, 200, json_pack("{s:o, s:o}", "bookmarks", items, "next_before",
	                           n == API_LIST_MAX ? json_integer(list[n - 1].id) : json_null()));
}

/* Reads notes/tags/private/rec over in (absent fields keep what in holds). */
static bool bookmark_body(struct web_req *w, json_t *body, struct bookmark_input *in)
{
	const char *notes = NULL, *tags = NULL;
	if (!body_string(w, body, "notes", &notes) || !body_string(w, body, "tags", &tags) ||
	    !body_bool(w, body, "private", &in->private_, NULL) || !body_bool(w, body, "rec", &in->rec, NULL))
		return false;
	if (notes || json_is_null(json_object_get(body, "notes")))
		in->notes = notes;
	if (tags || json_is_null(json_object_get(body, "tags")))
		in->tags = tags;
	return true;
}

static void bookmark_answer(struct web_req *w, int status, int64_t id)
{
	struct bookmark b;
	int rc = store_bookmark_get(w->app->store, w->arena, id, &b);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	if (status == 201)
		api_location(w, arena_printf(w->arena, "/api/v1/bookmarks/%lld", (long long)id));
	web_json(w, status, bookmark_json(w, &b));
}

void api_bookmark_create(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *wid = json_object_get(body, "work_id");
	struct bookmark_input in = {0};
	bool ok = bookmark_body(w, body, &in);
	int64_t work_id = json_is_integer(wid) ? json_integer_value(wid) : 0;
	json_decref(body);
	if (!ok)
		return;
	struct work wk;
	int rc = work_id > 0 ? archive_work_load(w->app->store, w->arena, w->user, work_id, false, &wk) : Q_ENOTFOUND;
	if (rc) {
		refused(w, rc == Q_ENOTFOUND ? Q_ENOTFOUND : Q_ERR,
		        work_id > 0 ? "No such work, or you are not allowed to see it." : "\"work_id\" must be a work's id.",
		        NULL);
		return;
	}
	struct field_errors e = {0};
	const char *why;
	int64_t id = 0;
	rc = bookmark_save(w->app->store, w->arena, &wk, w->user, &in, 0, &id, &e, &why);
	if (rc) {
		refused(w, rc, why, &e);
		return;
	}
	bookmark_answer(w, 201, id);
}

void api_bookmark_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct bookmark b;
	int rc = store_bookmark_get(w->app->store, w->arena, api_param_id(w, 0), &b);
	if (rc == 0 && b.user_id != w->user->id)
		rc = Q_ENOTFOUND; /* others' bookmarks cannot be probed */
	if (rc) {
		json_decref(body);
		refused(w, rc == Q_ENOTFOUND ? rc : Q_ERR, "There is no such bookmark of yours.", NULL);
		return;
	}
	struct bookmark_input in = {b.notes.src, b.tags, b.private_, b.rec};
	bool ok = bookmark_body(w, body, &in);
	json_decref(body);
	if (!ok)
		return;
	struct work wk;
	if ((rc = store_work_get(w->app->store, w->arena, b.work_id, &wk)) != 0) {
		api_store_error(w, rc);
		return;
	}
	struct field_errors e = {0};
	const char *why;
	int64_t id;
	rc = bookmark_save(w->app->store, w->arena, &wk, w->user, &in, b.id, &id, &e, &why);
	if (rc) {
		refused(w, rc, why, &e);
		return;
	}
	bookmark_answer(w, 200, b.id);
}

void api_bookmark_delete(struct web_req *w)
{
	const char *why;
	int rc = bookmark_remove(w->app->store, w->user, api_param_id(w, 0), &why);
	if (rc) {
		refused(w, rc, why, NULL);
		return;
	}
	api_no_content(w);
}

/* ---- Inbox ---- */

void api_inbox_list(struct web_req *w)
{
	int64_t before;
	if (!query_id(w, "before", &before))
		return;
	const char *u = kv_get(&w->req->query, "unread");
	struct inbox_item *list;
	size_t n;
	int64_t unread = 0;
	int rc = store_inbox_list(w->app->store, w->arena, w->user->id, u && !strcmp(u, "1"), before, API_LIST_MAX, &list,
	                          &n);
	if (rc == 0)
		rc = store_inbox_unread(w->app->store, w->user->id, &unread);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct inbox_item *it = &list[i];
		json_t *o = json_pack("{s:I, s:s, s:b, s:o}", "id", (json_int_t)it->id, "kind", inbox_kind_name(it->kind),
		                      "read", it->read, "created_at", api_time_json(it->created_at));
		json_object_set_new(o, "work_id", it->work_id ? json_integer(it->work_id) : json_null());
		json_object_set_new(o, "work_title", it->work_title ? json_string(it->work_title) : json_null());
		json_object_set_new(o, "chapter_id", it->chapter_id ? json_integer(it->chapter_id) : json_null());
		json_object_set_new(o, "chapter_position", it->chapter_position ? json_integer(it->chapter_position)
		                                                                : json_null());
		json_object_set_new(o, "series_title", it->series_title ? json_string(it->series_title) : json_null());
		json_object_set_new(o, "actor", it->actor_name ? json_string(it->actor_name) : json_null());
		json_object_set_new(o, "text", json_string(it->body ? it->body : ""));
		if (it->comment.id) {
			bool shown = inbox_text_visible(it);
			if (!shown)
				it->comment.body = (struct text){"", ""};
			json_object_set_new(o, "comment", comment_json(w, &it->comment, !shown));
		} else {
			json_object_set_new(o, "comment", json_null());
		}
		json_array_append_new(items, o);
	}
	web_json(w, 200, json_pack("{s:o, s:I, s:o}", "items", items, "unread", (json_int_t)unread, "next_before",
	                           n == API_LIST_MAX ? json_integer(list[n - 1].id) : json_null()));
}

/* {"ids": [1, 2], "read": true} or {"all": true} */
void api_inbox_read(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *ids = json_object_get(body, "ids"), *all = json_object_get(body, "all");
	bool read = true;
	int rc = 0;
	if (!body_bool(w, body, "read", &read, NULL)) {
		json_decref(body);
		return;
	}
	if (all && json_is_true(all)) {
		const char *why;
		rc = inbox_mark_all(w->app->store, w->user, &why);
	} else if (json_is_array(ids) && json_array_size(ids) > 0 && json_array_size(ids) <= API_LIST_MAX) {
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v) {
			if (!json_is_integer(v)) {
				json_decref(body);
				api_bad_json(w, "\"ids\" must hold message ids (integers).");
				return;
			}
		}
		const char *why = NULL;
		json_array_foreach(ids, i, v) {
			rc = inbox_mark(w->app->store, w->user, json_integer_value(v), read, &why);
			if (rc) {
				json_decref(body);
				refused(w, rc, why, NULL);
				return;
			}
		}
	} else {
		json_decref(body);
		api_bad_json(w, "Send {\"ids\": [message ids, at most 100]} or {\"all\": true}.");
		return;
	}
	json_decref(body);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	int64_t unread = 0;
	store_inbox_unread(w->app->store, w->user->id, &unread);
	web_json(w, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}

/* ---- Statistics ---- */

void api_work_stats(struct web_req *w)
{
	struct work wk;
	if (api_load_work(w, false, &wk) != 0)
		return;
	if (!response_can_see_stats(&wk, w->user)) {
		web_json_error(w, 403, "forbidden", "Only the work's creators (and site admins) can see its statistics.", NULL);
		return;
	}
	int64_t today = (int64_t)time(NULL) / 86400;
	struct stats_row *rows;
	struct stats_day *days;
	size_t nr, nd;
	int rc = store_stats_work(w->app->store, w->arena, wk.id, today - 89, &rows, &nr, &days, &nd);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *chs = json_array(), *daily = json_array();
	for (size_t i = 1; i < nr; i++)
		json_array_append_new(chs, json_pack("{s:I, s:i, s:I, s:I, s:I}", "id", (json_int_t)rows[i].chapter_id,
		                                     "position", rows[i].position, "hits", (json_int_t)rows[i].hits, "kudos",
		                                     (json_int_t)rows[i].kudos, "comments", (json_int_t)rows[i].comments));
	for (size_t i = 0; i < nd; i++) {
		char date[16];
		time_t t = (time_t)(days[i].day * 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		json_array_append_new(daily, json_pack("{s:s, s:o, s:I, s:I, s:I, s:I}", "date", date, "chapter_id",
		                                       days[i].chapter_id ? json_integer(days[i].chapter_id) : json_null(),
		                                       "hits", (json_int_t)days[i].hits, "kudos", (json_int_t)days[i].kudos,
		                                       "comments", (json_int_t)days[i].comments, "bookmarks",
		                                       (json_int_t)days[i].bookmarks));
	}
	web_json(w, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "work_id", (json_int_t)wk.id, "hits",
	                           (json_int_t)rows[0].hits, "kudos", (json_int_t)rows[0].kudos, "comments",
	                           (json_int_t)rows[0].comments, "bookmarks", (json_int_t)rows[0].bookmarks, "subscriptions",
	                           (json_int_t)rows[0].subscriptions, "chapters", chs, "days", daily));
}
