/* API v1: prompt memes (prompts, claims, fills), through the same workflows as the pages (archive/prompts.h). */
#include "api/api.h"
#include "api/api_int.h"
#include "api/collections_api.h"
#include "api/json_work.h"
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "archive/prompts.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define PROMPTS_PER_PAGE 100

static const char *const state_keys[] = {"", "unfilled", "filled", "unclaimed", "claimed"};

static void refused(struct web_req *w, int rc, const char *why)
{
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", why ? why : "There is no such prompt.", NULL);
	else if (rc == Q_EPERM)
		web_json_error(w, 403, "forbidden", why ? why : "You may not do that.", NULL);
	else if (rc == Q_EINVAL || rc == Q_ETOOBIG || rc == Q_EEXIST)
		web_json_error(w, rc == Q_EEXIST ? 409 : 422, rc == Q_EEXIST ? "conflict" : "invalid",
		               why ? why : "That cannot be done.", NULL);
	else
		api_store_error(w, rc);
}

/* A prompt (masked already). */
static json_t *prompt_json(struct web_req *w, const struct prompt *p)
{
	json_t *o = json_object(), *tags = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "collection", json_string(p->collection_name ? p->collection_name : ""));
	json_object_set_new(o, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(o, "description", json_string(p->description.src ? p->description.src : ""));
	json_object_set_new(o, "description_html", json_string(p->description.html ? p->description.html : ""));
	json_object_set_new(o, "anonymous", json_boolean(p->anonymous));
	json_object_set_new(o, "prompter", p->user_name ? json_string(p->user_name) : json_null());
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		json_t *t = json_array();
		for (size_t i = 0; i < p->tags[d].n; i++)
			json_array_append_new(t, json_string(p->tags[d].items[i]));
		json_object_set_new(tags, exchange_dim_key(d), t);
	}
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "claims_count", json_integer(p->claims_count));
	json_object_set_new(o, "fills_count", json_integer(p->fills_count));
	json_object_set_new(o, "created_at", api_time_json(p->created_at));
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/prompts/%lld", (long long)p->id)));
	return o;
}

void api_prompts_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct collection c;
	int role;
	int rc = archive_prompt_meme_load(w->app->store, w->arena, w->user, w->params[0], &c, &role);
	if (rc) {
		refused(w, rc, rc == Q_ENOTFOUND ? "There is no prompt meme by that name." : NULL);
		return;
	}
	struct prompt_query q = {.collection_id = c.id, .limit = PROMPTS_PER_PAGE + 1};
	const char *state = kv_get(&w->req->query, "state"), *tag = kv_get(&w->req->query, "tag");
	const char *before = kv_get(&w->req->query, "before");
	if (state && *state) {
		q.state = -1;
		for (int i = 1; i < (int)(sizeof state_keys / sizeof state_keys[0]); i++)
			if (!strcmp(state, state_keys[i]))
				q.state = i;
		if (q.state < 0) {
			web_json_error(w, 400, "bad_query", "state is one of unfilled, filled, unclaimed, claimed.", NULL);
			return;
		}
	}
	q.tag = tag && strlen(tag) <= 150 ? tag : NULL;
	q.before_id = before ? strtoll(before, NULL, 10) : 0;
	if (q.before_id < 0)
		q.before_id = 0;
	struct prompt *list;
	size_t n;
	rc = store_prompts_list(w->app->store, w->arena, &q, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n && i < PROMPTS_PER_PAGE; i++) {
		struct prompt full;
		if (store_prompt_get(w->app->store, w->arena, list[i].id, &full) != 0)
			continue;
		archive_prompt_mask(&full, w->user, role);
		json_array_append_new(a, prompt_json(w, &full));
	}
	web_json(w, 200, json_pack("{s:o, s:o}", "prompts", a, "next_before",
	                           n > PROMPTS_PER_PAGE ? json_integer(list[PROMPTS_PER_PAGE - 1].id) : json_null()));
}

/* A list of names or one comma-separated string, as the form's text. */
static const char *names_text(struct web_req *w, json_t *v, const char **bad, const char *key)
{
	if (!v || json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_array(v)) {
		*bad = arena_printf(w->arena, "tags.%s is a list of tag names.", key);
		return "";
	}
	const char *s = "";
	for (size_t i = 0; i < json_array_size(v) && i <= 100; i++) {
		json_t *t = json_array_get(v, i);
		if (!json_is_string(t)) {
			*bad = arena_printf(w->arena, "tags.%s is a list of tag names.", key);
			return "";
		}
		s = arena_printf(w->arena, "%s%s%s", s, *s ? "," : "", json_string_value(t));
	}
	return s;
}

void api_prompt_create(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct prompt_input in = {0};
	const char *bad = NULL;
	json_t *t = json_object_get(body, "title"), *ds = json_object_get(body, "description");
	json_t *tags = json_object_get(body, "tags");
	if ((t && !json_is_string(t)) || (ds && !json_is_string(ds)))
		bad = "title and description are strings.";
	else if (tags && !json_is_object(tags))
		bad = "tags is an object: {\"fandoms\": [...], \"characters\": [...], ...}.";
	in.title = t ? arena_strdup(w->arena, json_string_value(t)) : "";
	in.description = ds ? arena_strdup(w->arena, json_string_value(ds)) : "";
	in.anonymous = json_is_true(json_object_get(body, "anonymous"));
	for (int d = 0; !bad && d < EXCHANGE_DIMS; d++) {
		const char *s = names_text(w, tags ? json_object_get(tags, exchange_dim_key(d)) : NULL, &bad,
		                           exchange_dim_key(d));
		in.tags[d] = arena_strdup(w->arena, s);
	}
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors e = {0};
	int64_t id = 0;
	int rc = archive_prompt_create(w->app->store, w->arena, w->user, w->params[0], &in, &id, &e);
	if ((rc == Q_EPERM || rc == Q_ETOOBIG) && field_error_get(&e, "prompt")) {
		refused(w, rc, field_error_get(&e, "prompt"));
		return;
	}
	if (rc) {
		if (rc == Q_ENOTFOUND)
			refused(w, rc, "There is no prompt meme by that name.");
		else
			api_fail(w, rc, &e);
		return;
	}
	struct prompt p;
	struct collection c;
	int role;
	if (archive_prompt_load(w->app->store, w->arena, w->user, id, &p, &c, &role) != 0) {
		api_store_error(w, Q_ERR);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/prompts/%lld", (long long)id));
	web_json(w, 201, prompt_json(w, &p));
}

void api_prompt_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct prompt p;
	struct collection c;
	int role;
	int rc = archive_prompt_load(w->app->store, w->arena, w->user, api_param_id(w, 0), &p, &c, &role);
	if (rc) {
		refused(w, rc, NULL);
		return;
	}
	json_t *o = prompt_json(w, &p), *cl = json_array(), *fl = json_array();
	struct prompt_claim *claims;
	struct prompt_fill *fills;
	size_t nc = 0, nf = 0;
	bool names = archive_prompt_claims_shown(&c, role);
	if (store_prompt_claims(w->app->store, w->arena, p.id, 0, 0, &claims, &nc) == 0)
		for (size_t i = 0; i < nc; i++)
			if (names || (w->user && claims[i].user_id == w->user->id))
				json_array_append_new(cl, json_pack("{s:s, s:o, s:b}", "user", claims[i].user_name, "claimed_at",
				                                    api_time_json(claims[i].created_at), "filled", claims[i].work_id != 0));
	if (store_prompt_fills(w->app->store, w->arena, p.id, 0, &fills, &nf) == 0)
		for (size_t i = 0; i < nf; i++)
			if (fills[i].work_listed && (!fills[i].work_restricted || w->user))
				json_array_append_new(fl, json_pack("{s:I, s:s}", "work_id", (json_int_t)fills[i].work_id, "title",
				                                    fills[i].work_title));
	json_object_set_new(o, "claims", cl);
	json_object_set_new(o, "claims_named", json_boolean(names));
	json_object_set_new(o, "fills", fl);
	web_json(w, 200, o);
}

void api_prompt_delete(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_prompt_delete(w->app->store, w->arena, w->user, api_param_id(w, 0), &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

static void claim(struct web_req *w, bool on)
{
	const char *why = NULL;
	int rc = archive_prompt_claim(w->app->store, w->arena, w->user, api_param_id(w, 0), on, &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_prompt_claim(struct web_req *w)
{
	claim(w, true);
}

void api_prompt_unclaim(struct web_req *w)
{
	claim(w, false);
}

void api_my_claims(struct web_req *w)
{
	struct prompt_claim *list;
	size_t n;
	int rc = store_prompt_claims(w->app->store, w->arena, 0, 0, w->user->id, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o, s:o}", "prompt_id", (json_int_t)list[i].prompt_id,
		                                   "title", list[i].prompt_title, "collection", list[i].collection_name,
		                                   "claimed_at", api_time_json(list[i].created_at), "work_id",
		                                   list[i].work_id ? json_integer(list[i].work_id) : json_null()));
	web_json(w, 200, json_pack("{s:o}", "claims", a));
}

void api_work_json_prompts(struct web_req *w, json_t *o, int64_t work_id)
{
	struct prompt_fill *fills;
	size_t n = 0;
	json_t *a = json_array();
	if (store_prompt_fills(w->app->store, w->arena, 0, work_id, &fills, &n) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)fills[i].prompt_id, "title",
			                                   fills[i].prompt_title, "collection", fills[i].collection_name,
			                                   "prompter", !fills[i].prompt_anonymous && fills[i].prompter_name
			                                                   ? json_string(fills[i].prompter_name) : json_null()));
	json_object_set_new(o, "prompts", a);
}
