/* API v1: collections (settings, members, items, reveals, their works) and gifts, through the same workflows as
 * the pages (archive/collections.h). */
#include "api/api.h"
#include "api/api_int.h"
#include "api/collections_api.h"
#include "api/json_work.h"
#include "archive/collections.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define API_LIST_MAX 100

json_t *api_collection_json(struct arena *a, const struct collection *c, int role)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "url", json_string(arena_printf(a, "/collections/%s", esc_url_a(a, c->name))));
	json_object_set_new(o, "parent", c->parent_name ? json_string(c->parent_name) : json_null());
	json_object_set_new(o, "description", json_string(c->description.src ? c->description.src : ""));
	json_object_set_new(o, "description_html", json_string(c->description.html ? c->description.html : ""));
	json_object_set_new(o, "intro", json_string(c->intro.src ? c->intro.src : ""));
	json_object_set_new(o, "intro_html", json_string(c->intro.html ? c->intro.html : ""));
	json_object_set_new(o, "rules", json_string(c->rules.src ? c->rules.src : ""));
	json_object_set_new(o, "rules_html", json_string(c->rules.html ? c->rules.html : ""));
	json_object_set_new(o, "faq", json_string(c->faq.src ? c->faq.src : ""));
	json_object_set_new(o, "faq_html", json_string(c->faq.html ? c->faq.html : ""));
	json_object_set_new(o, "closed", json_boolean(c->closed));
	json_object_set_new(o, "moderated", json_boolean(c->moderated));
	json_object_set_new(o, "unrevealed", json_boolean(c->unrevealed));
	json_object_set_new(o, "anonymous", json_boolean(c->anonymous));
	json_object_set_new(o, "reveal_at", api_time_json(c->reveal_at));
	json_object_set_new(o, "reveal_creators_at", api_time_json(c->reveal_creators_at));
	const char *ch = collection_challenge_key(c->challenge);
	json_object_set_new(o, "challenge", *ch ? json_string(ch) : json_null());
	json_object_set_new(o, "works_count", json_integer(c->works_count));
	json_object_set_new(o, "created_at", api_time_json(c->created_at));
	json_object_set_new(o, "role", role >= COLLECTION_MEMBER ? json_string(collection_role_name(role)) : json_null());
	return o;
}

/* Loads path parameter 0's collection and the caller's role; false after answering 404 or 500. */
static bool load(struct web_req *w, struct collection *c, int *role)
{
	int rc = archive_collection_load(w->app->store, w->arena, w->user, w->params[0], c, role);
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", "There is no collection by that name.", NULL);
	else if (rc)
		api_store_error(w, rc);
	return rc == 0;
}

/* A refused workflow with its sentence. */
static void refused(struct web_req *w, int rc, const char *why)
{
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", why ? why : "Not found.", NULL);
	else if (rc == Q_EPERM)
		web_json_error(w, 403, "forbidden", why ? why : "You may not do that.", NULL);
	else if (rc == Q_EINVAL)
		web_json_error(w, 422, "invalid", why ? why : "That cannot be done.", NULL);
	else
		api_store_error(w, rc);
}

void api_collections_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	const char *after = kv_get(&w->req->query, "after"), *parent = kv_get(&w->req->query, "parent");
	const char *open = kv_get(&w->req->query, "open"), *challenge = kv_get(&w->req->query, "challenge");
	struct collection_query q = {.parent_id = 0, .open = -1, .challenge = -1, .limit = API_LIST_MAX + 1};
	if (after && strlen(after) <= COLLECTION_NAME_MAX)
		q.after_name = after;
	if (open)
		q.open = !strcmp(open, "true") ? 1 : !strcmp(open, "false") ? 0 : -1;
	if (challenge)
		q.challenge = !strcmp(challenge, "gift_exchange") ? CHALLENGE_GIFT_EXCHANGE
		              : !strcmp(challenge, "prompt_meme") ? CHALLENGE_PROMPT_MEME : CHALLENGE_NONE;
	if (parent) {
		struct collection p;
		int role;
		if (!*parent) {
			q.parent_id = 0;
		} else if (archive_collection_load(w->app->store, w->arena, NULL, parent, &p, &role) == 0) {
			q.parent_id = p.id;
		} else {
			web_json(w, 200, json_pack("{s:[], s:n}", "collections", "next_after"));
			return;
		}
	}
	struct collection *list;
	size_t n;
	int rc = store_collection_list(w->app->store, w->arena, &q, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < API_LIST_MAX; i++)
		json_array_append_new(items, api_collection_json(w->arena, &list[i], COLLECTION_NOBODY));
	web_json(w, 200, json_pack("{s:o, s:o}", "collections", items, "next_after",
	                           n > API_LIST_MAX ? json_string(list[API_LIST_MAX - 1].name) : json_null()));
}

static const char *text_of(struct arena *a, json_t *o, const char *key, const char *def)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? arena_strndup(a, json_string_value(v), json_string_length(v))
	       : json_is_null(v) ? "" : def;
}

static bool bool_of(json_t *o, const char *key, bool def)
{
	json_t *v = json_object_get(o, key);
	return json_is_boolean(v) ? json_is_true(v) : def;
}

/* The input a body describes, over a stored collection's values (c NULL: a new one). Wrong types are 400. */
static const char *read_input(struct web_req *w, json_t *body, const struct collection *c, struct collection_input *in)
{
	static const char *const texts[] = {"name", "title", "parent", "description", "intro", "rules", "faq", "reveal_at",
	                                    "reveal_creators_at", "challenge"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		json_t *v = json_object_get(body, texts[i]);
		if (v && !json_is_string(v) && !json_is_null(v))
			return arena_printf(w->arena, "%s must be a string or null.", texts[i]);
	}
	static const char *const flags[] = {"closed", "moderated", "unrevealed", "anonymous"};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		json_t *v = json_object_get(body, flags[i]);
		if (v && !json_is_boolean(v))
			return arena_printf(w->arena, "%s must be true or false.", flags[i]);
	}
	memset(in, 0, sizeof *in);
	in->name = text_of(w->arena, body, "name", c ? c->name : "");
	in->title = text_of(w->arena, body, "title", c ? c->title : "");
	in->parent = text_of(w->arena, body, "parent", c && c->parent_name ? c->parent_name : "");
	in->description = text_of(w->arena, body, "description", c ? c->description.src : "");
	in->intro = text_of(w->arena, body, "intro", c ? c->intro.src : "");
	in->rules = text_of(w->arena, body, "rules", c ? c->rules.src : "");
	in->faq = text_of(w->arena, body, "faq", c ? c->faq.src : "");
	in->closed = bool_of(body, "closed", c && c->closed);
	in->moderated = bool_of(body, "moderated", c && c->moderated);
	in->unrevealed = bool_of(body, "unrevealed", c && c->unrevealed);
	in->anonymous = bool_of(body, "anonymous", c && c->anonymous);
	/* Dates in the API are RFC 3339 ("2026-12-24T18:00:00Z") or the form's "2026-12-24 18:00". */
	const char *r1 = text_of(w->arena, body, "reveal_at", c ? collection_time_text(w->arena, c->reveal_at) : "");
	const char *r2 = text_of(w->arena, body, "reveal_creators_at",
	                         c ? collection_time_text(w->arena, c->reveal_creators_at) : "");
	in->reveal_at = arena_strndup(w->arena, r1, strlen(r1) >= 16 ? 16 : strlen(r1));
	in->reveal_creators_at = arena_strndup(w->arena, r2, strlen(r2) >= 16 ? 16 : strlen(r2));
	in->challenge = text_of(w->arena, body, "challenge", c ? collection_challenge_key(c->challenge) : "");
	return NULL;
}

void api_collection_create(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct collection_input in;
	const char *bad = read_input(w, body, NULL, &in);
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors e = {0};
	struct collection c;
	int rc = archive_collection_create(w->app->store, w->arena, w->user, &in, &c, &e);
	if (rc) {
		api_fail(w, rc, &e);
		return;
	}
	int role = COLLECTION_NOBODY;
	if (archive_collection_load(w->app->store, w->arena, w->user, c.name, &c, &role) != 0) {
		api_store_error(w, Q_ERR);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/collections/%s", esc_url_a(w->arena, c.name)));
	web_json(w, 201, api_collection_json(w->arena, &c, role));
}

void api_collection_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct collection c;
	int role;
	if (load(w, &c, &role))
		web_json(w, 200, api_collection_json(w->arena, &c, role));
}

void api_collection_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct collection c;
	int role;
	if (!load(w, &c, &role)) {
		json_decref(body);
		return;
	}
	struct collection_input in;
	const char *bad = read_input(w, body, &c, &in);
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors e = {0};
	struct collection out;
	int rc = archive_collection_edit(w->app->store, w->arena, w->user, c.name, &in, &out, &e);
	if (rc) {
		api_fail(w, rc, &e);
		return;
	}
	if (load(w, &c, &role))
		web_json(w, 200, api_collection_json(w->arena, &c, role));
}

void api_collection_delete(struct web_req *w)
{
	int rc = archive_collection_delete(w->app->store, w->arena, w->user, w->params[0]);
	if (rc)
		refused(w, rc, rc == Q_EPERM ? "Only the collection's owners can delete it." : NULL);
	else
		api_no_content(w);
}

void api_collection_works(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct collection c;
	int role;
	if (load(w, &c, &role))
		api_works_find_in(w, c.id, collection_can_moderate(role));
}

void api_collection_members(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	struct collection_member *m;
	size_t n;
	int shown = collection_members_shown(&c, role);
	int rc = store_collection_members(w->app->store, w->arena, c.id, shown, kv_get(&w->req->query, "after"),
	                                  API_LIST_MAX + 1, &m, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < API_LIST_MAX; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "name", m[i].name, "role",
		                                       collection_role_name(m[i].role), "since", api_time_json(m[i].created_at)));
	web_json(w, 200, json_pack("{s:o, s:o, s:b}", "members", items, "next_after",
	                           n > API_LIST_MAX ? json_string(m[API_LIST_MAX - 1].name) : json_null(),
	                           "members_hidden", shown != COLLECTION_MEMBER));
}

static void set_member(struct web_req *w, int role)
{
	const char *why = NULL;
	int rc = archive_collection_member(w->app->store, w->arena, w->user, w->params[0], w->params[1], role, &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_collection_member_put(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *r = json_object_get(body, "role");
	const char *s = json_is_string(r) ? json_string_value(r) : "";
	int role = !strcmp(s, "owner") ? COLLECTION_OWNER : !strcmp(s, "moderator") ? COLLECTION_MODERATOR
	           : !strcmp(s, "member") ? COLLECTION_MEMBER : -2;
	json_decref(body);
	if (role < -1) {
		api_bad_json(w, "role must be \"owner\", \"moderator\" or \"member\".");
		return;
	}
	set_member(w, role);
}

void api_collection_member_delete(struct web_req *w)
{
	set_member(w, COLLECTION_NOBODY);
}

void api_collection_items(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	if (!collection_can_moderate(role)) {
		web_json_error(w, 403, "forbidden", "Only the collection's moderators list its items.", NULL);
		return;
	}
	const char *s = kv_get(&w->req->query, "state");
	int state = !s || !strcmp(s, "approved") ? ITEMS_APPROVED : !strcmp(s, "waiting") ? ITEMS_AWAITING_COLLECTION
	            : !strcmp(s, "invited") ? ITEMS_AWAITING_CREATOR : !strcmp(s, "refused") ? ITEMS_REFUSED : -1;
	if (state < 0) {
		web_json_error(w, 422, "invalid", "state is approved, waiting, invited or refused.", NULL);
		return;
	}
	const char *b = kv_get(&w->req->query, "before");
	struct collection_item *items;
	size_t n;
	int rc = store_collection_items(w->app->store, w->arena, c.id, state, b ? strtoll(b, NULL, 10) : 0,
	                                API_LIST_MAX + 1, &items, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n && i < API_LIST_MAX; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:i, s:o}", "work_id", (json_int_t)items[i].work_id,
		                                      "title", items[i].work_title ? items[i].work_title : "",
		                                      "by_collection", items[i].by_collection, "by_creator", items[i].by_creator,
		                                      "added_at", api_time_json(items[i].created_at)));
	web_json(w, 200, json_pack("{s:o, s:o}", "items", list, "next_before",
	                           n > API_LIST_MAX ? json_integer(items[API_LIST_MAX - 1].work_id) : json_null()));
}

void api_collection_item_add(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *id = json_object_get(body, "work_id");
	json_int_t wid = json_is_integer(id) ? json_integer_value(id) : 0;
	json_decref(body);
	if (wid <= 0) {
		api_bad_json(w, "work_id must be a work's id.");
		return;
	}
	const char *why = NULL;
	int rc = archive_collection_add_work(w->app->store, w->arena, w->user, w->params[0], (int64_t)wid, &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_collection_item_decide(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *a = json_object_get(body, "action");
	const char *action = json_is_string(a) ? arena_strdup(w->arena, json_string_value(a)) : "";
	json_decref(body);
	const char *why = NULL;
	int rc = archive_collection_item_decide(w->app->store, w->arena, w->user, w->params[0], api_param_id(w, 1), action,
	                                        &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_collection_reveal(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	bool works = bool_of(body, "works", false), creators = bool_of(body, "creators", false);
	json_decref(body);
	if (!works && !creators) {
		api_bad_json(w, "Say what to reveal: {\"works\": true} and/or {\"creators\": true}.");
		return;
	}
	const char *why = NULL;
	int rc = archive_collection_reveal(w->app->store, w->arena, w->user, w->params[0], works, creators, &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_user_gifts(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct user u;
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], &u);
	if (rc) {
		refused(w, rc, "There is no user by that name.");
		return;
	}
	bool self = w->user && w->user->id == u.id;
	const char *b = kv_get(&w->req->query, "before");
	struct gift *list;
	size_t n;
	rc = store_gifts_of_user(w->app->store, w->arena, u.id, self, b ? strtoll(b, NULL, 10) : 0, API_LIST_MAX + 1,
	                         &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < API_LIST_MAX; i++) {
		const struct gift *g = &list[i];
		bool owner = w->user && w->user->id == g->work_owner_id;
		if (((g->work_draft || g->work_unrevealed) && !owner) || (g->work_restricted && !w->user))
			continue;
		const char *by = g->work_anonymous && !owner ? ANONYMOUS_NAME : g->work_creator ? g->work_creator : "";
		json_array_append_new(items, json_pack("{s:I, s:{s:I, s:s, s:s, s:s}, s:b}", "id", (json_int_t)g->id, "work",
		                                       "id", (json_int_t)g->work_id, "title", g->work_title ? g->work_title : "",
		                                       "url", arena_printf(w->arena, "/works/%lld", (long long)g->work_id),
		                                       "creator", by, "refused", g->refused));
	}
	web_json(w, 200, json_pack("{s:o, s:o}", "gifts", items, "next_before",
	                           n > API_LIST_MAX ? json_integer(list[API_LIST_MAX - 1].id) : json_null()));
}

void api_gift_refuse(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	bool refused_now = bool_of(body, "refused", true);
	json_decref(body);
	int rc = archive_gift_refuse(w->app->store, w->user, api_param_id(w, 0), refused_now);
	if (rc)
		refused(w, rc, rc == Q_ENOTFOUND ? "That is not a gift to you." : NULL);
	else
		api_no_content(w);
}

void api_work_json_collections(struct web_req *w, json_t *o, int64_t work_id)
{
	struct collection_item *items;
	struct gift *gifts;
	size_t n = 0, ng = 0;
	json_t *cols = json_array(), *gl = json_array();
	if (store_collection_items_of_work(w->app->store, w->arena, work_id, &items, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (items[i].by_collection == 1 && items[i].by_creator == 1)
				json_array_append_new(cols, json_pack("{s:s, s:s}", "name", items[i].collection_name, "title",
				                                      items[i].collection_title));
	if (store_gifts_of_work(w->app->store, w->arena, work_id, &gifts, &ng) == 0)
		for (size_t i = 0; i < ng; i++)
			if (!gifts[i].refused)
				json_array_append_new(gl, json_pack("{s:s, s:b}", "name", gifts[i].name, "user", gifts[i].user_id != 0));
	json_object_set_new(o, "collections", cols);
	json_object_set_new(o, "gifts", gl);
}
