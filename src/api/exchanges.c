/* API v1: gift exchanges (settings and tag set, sign-ups, matching, assignments, defaults and pinch hits), through
 * the same workflows as the pages (archive/exchanges.h). */
#include "api/api.h"
#include "api/api_int.h"
#include "api/collections_api.h"
#include "api/json_work.h"
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "core/buf.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool load(struct web_req *w, struct collection *c, struct exchange *x, int *role)
{
	int rc = archive_exchange_load(w->app->store, w->arena, w->user, w->params[0], c, x, role);
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", "There is no gift exchange by that name.", NULL);
	else if (rc)
		api_store_error(w, rc);
	return rc == 0;
}

static void refused(struct web_req *w, int rc, const char *why)
{
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", why ? why : "Not found.", NULL);
	else if (rc == Q_EPERM)
		web_json_error(w, 403, "forbidden", why ? why : "You may not do that.", NULL);
	else if (rc == Q_EINVAL || rc == Q_ETOOBIG)
		web_json_error(w, 422, "invalid", why ? why : "That cannot be done.", NULL);
	else
		api_store_error(w, rc);
}

static json_t *exchange_json(struct web_req *w, const struct collection *c, const struct exchange *x)
{
	json_t *o = json_object(), *dims = json_object();
	json_object_set_new(o, "signups_open", json_boolean(exchange_signups_open(x, (int64_t)time(NULL))));
	json_object_set_new(o, "opened", json_boolean(x->signups_open));
	json_object_set_new(o, "signups_open_at", api_time_json(x->signups_open_at));
	json_object_set_new(o, "signups_close_at", api_time_json(x->signups_close_at));
	json_object_set_new(o, "assignments_due_at", api_time_json(x->assignments_due_at));
	json_object_set_new(o, "requests", json_pack("{s:i, s:i}", "min", x->requests_min, "max", x->requests_max));
	json_object_set_new(o, "offers", json_pack("{s:i, s:i}", "min", x->offers_min, "max", x->offers_max));
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		const char **names = NULL;
		size_t n = 0;
		store_exchange_tags(w->app->store, w->arena, c->id, d, &names, &n);
		json_t *set = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(set, json_string(names[i]));
		json_object_set_new(dims, exchange_dim_key(d),
		                    json_pack("{s:i, s:i, s:i, s:b, s:o}", "min", x->tags_min[d], "max", x->tags_max[d], "match",
		                              x->match[d], "any", x->allow_any[d], "tag_set", set));
	}
	json_object_set_new(o, "tags", dims);
	json_object_set_new(o, "instructions", json_string(x->instructions.src ? x->instructions.src : ""));
	json_object_set_new(o, "instructions_html", json_string(x->instructions.html ? x->instructions.html : ""));
	json_object_set_new(o, "signups_count", json_integer(x->signups_count));
	json_object_set_new(o, "matched_at", api_time_json(x->matched_at));
	json_object_set_new(o, "sent_at", api_time_json(x->sent_at));
	return o;
}

void api_exchange_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct collection c;
	struct exchange x;
	int role;
	if (load(w, &c, &x, &role))
		web_json(w, 200, exchange_json(w, &c, &x));
}

static const char *num_text(struct web_req *w, json_t *o, const char *key, const char **bad)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return NULL;
	if (!json_is_integer(v)) {
		*bad = arena_printf(w->arena, "%s must be a whole number.", key);
		return NULL;
	}
	return arena_printf(w->arena, "%lld", (long long)json_integer_value(v));
}

/* A text field of the body (absent: def; null: ""); dates keep their first 16 characters ("2026-12-24T18:00",
 * which the rules read like "2026-12-24 18:00"). */
static const char *str_text(struct web_req *w, json_t *o, const char *key, const char *def, bool is_date,
                            const char **bad)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return def;
	if (json_is_null(v))
		return "";
	if (!json_is_string(v)) {
		*bad = arena_printf(w->arena, "%s must be a string or null.", key);
		return def;
	}
	const char *s = json_string_value(v);
	size_t n = strlen(s);
	return arena_strndup(w->arena, s, is_date && n > 16 ? 16 : n);
}

void api_exchange_put(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role)) {
		json_decref(body);
		return;
	}
	if (!collection_can_moderate(role)) {
		json_decref(body);
		refused(w, Q_EPERM, "Only the exchange's moderators change its settings.");
		return;
	}
	const char *bad = NULL;
	struct exchange_input in;
	memset(&in, 0, sizeof in);
	json_t *open = json_object_get(body, "opened");
	in.signups_open = open ? json_is_true(open) : x.signups_open;
	in.signups_open_at = str_text(w, body, "signups_open_at", collection_time_text(w->arena, x.signups_open_at), true,
	                              &bad);
	in.signups_close_at = str_text(w, body, "signups_close_at", collection_time_text(w->arena, x.signups_close_at),
	                               true, &bad);
	in.assignments_due_at = str_text(w, body, "assignments_due_at",
	                                 collection_time_text(w->arena, x.assignments_due_at), true, &bad);
	in.instructions = str_text(w, body, "instructions", x.instructions.src, false, &bad);
	json_t *req = json_object_get(body, "requests"), *off = json_object_get(body, "offers");
	in.requests_min = num_text(w, req, "min", &bad);
	in.requests_max = num_text(w, req, "max", &bad);
	in.offers_min = num_text(w, off, "min", &bad);
	in.offers_max = num_text(w, off, "max", &bad);
	char buf[16];
#define KEEP(field, v) (field ? field : (snprintf(buf, sizeof buf, "%d", v), arena_strdup(w->arena, buf)))
	in.requests_min = KEEP(in.requests_min, x.requests_min);
	in.requests_max = KEEP(in.requests_max, x.requests_max);
	in.offers_min = KEEP(in.offers_min, x.offers_min);
	in.offers_max = KEEP(in.offers_max, x.offers_max);
	json_t *tags = json_object_get(body, "tags");
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		json_t *t = json_object_get(tags, exchange_dim_key(d));
		in.tags_min[d] = KEEP(num_text(w, t, "min", &bad), x.tags_min[d]);
		in.tags_max[d] = KEEP(num_text(w, t, "max", &bad), x.tags_max[d]);
		in.match[d] = KEEP(num_text(w, t, "match", &bad), x.match[d]);
		json_t *any = json_object_get(t, "any");
		in.allow_any[d] = any ? json_is_true(any) : x.allow_any[d];
		json_t *set = json_object_get(t, "tag_set");
		if (set && !json_is_array(set))
			bad = "tag_set must be an array of tag names.";
		if (json_is_array(set)) {
			size_t n = json_array_size(set) > EXCHANGE_TAG_SET_MAX + 1 ? EXCHANGE_TAG_SET_MAX + 1 : json_array_size(set);
			struct buf b = BUF_INIT;
			for (size_t i = 0; i < n; i++) {
				json_t *s = json_array_get(set, i);
				if (!json_is_string(s)) {
					bad = "tag_set must be an array of tag names.";
					break;
				}
				buf_puts(&b, json_string_value(s));
				buf_putc(&b, '\n');
			}
			in.tag_set[d] = arena_strndup(w->arena, b.data ? b.data : "", b.len);
			buf_free(&b);
		}
	}
#undef KEEP
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors e = {0};
	int rc = archive_exchange_settings(w->app->store, w->arena, w->user, c.name, &in, &e);
	if (rc) {
		api_fail(w, rc, &e);
		return;
	}
	if (load(w, &c, &x, &role))
		web_json(w, 200, exchange_json(w, &c, &x));
}

static json_t *signup_json(struct web_req *w, const struct signup *su)
{
	json_t *req = json_array(), *off = json_array();
	for (size_t i = 0; i < su->nitems; i++) {
		const struct signup_item *it = &su->items[i];
		json_t *o = json_object();
		for (int d = 0; d < EXCHANGE_DIMS; d++) {
			json_t *a = json_array();
			for (size_t k = 0; k < it->tags[d].n; k++)
				json_array_append_new(a, json_string(it->tags[d].items[k]));
			json_object_set_new(o, exchange_dim_key(d), (it->any_mask >> d) & 1 ? json_string("any") : a);
			if ((it->any_mask >> d) & 1)
				json_decref(a);
		}
		json_object_set_new(o, "description", json_string(it->description.src ? it->description.src : ""));
		json_object_set_new(o, "description_html", json_string(it->description.html ? it->description.html : ""));
		json_array_append_new(it->kind ? off : req, o);
	}
	return json_pack("{s:I, s:s, s:b, s:o, s:o, s:o}", "id", (json_int_t)su->id, "user", su->user_name ? su->user_name : "",
	                 "pinch_hitter", su->pinch_hitter, "requests", req, "offers", off, "updated_at",
	                 api_time_json(su->updated_at));
}

void api_signup_get(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	struct signup su;
	int rc = store_signup_get(w->app->store, w->arena, 0, c.id, w->user->id, &su);
	if (rc)
		refused(w, rc, "You are not signed up to this exchange.");
	else
		web_json(w, 200, signup_json(w, &su));
}

/* One request or offer of a JSON body: {"fandoms": [...] or "any", ..., "description"}. */
static const char *item_from_json(struct web_req *w, json_t *o, struct signup_item_input *it)
{
	if (!json_is_object(o))
		return "Each request and offer is an object.";
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		json_t *v = json_object_get(o, exchange_dim_key(d));
		if (!v)
			continue;
		if (json_is_string(v) && !strcmp(json_string_value(v), "any")) {
			it->any[d] = true;
			continue;
		}
		if (!json_is_array(v))
			return arena_printf(w->arena, "%s must be an array of tag names or \"any\".", exchange_dim_key(d));
		struct buf b = BUF_INIT;
		size_t n = json_array_size(v) > EXCHANGE_ITEM_TAGS_MAX + 1 ? EXCHANGE_ITEM_TAGS_MAX + 1 : json_array_size(v);
		for (size_t i = 0; i < n; i++) {
			json_t *s = json_array_get(v, i);
			if (!json_is_string(s)) {
				buf_free(&b);
				return arena_printf(w->arena, "%s must be an array of tag names.", exchange_dim_key(d));
			}
			if (i)
				buf_putc(&b, ',');
			buf_puts(&b, json_string_value(s));
		}
		it->tags[d] = arena_strndup(w->arena, b.data ? b.data : "", b.len);
		buf_free(&b);
	}
	json_t *desc = json_object_get(o, "description");
	if (desc && !json_is_string(desc))
		return "description must be a string.";
	it->description = desc ? arena_strdup(w->arena, json_string_value(desc)) : "";
	return NULL;
}

void api_signup_put(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct signup_input *in = arena_calloc(w->arena, 1, sizeof *in);
	const char *bad = NULL;
	json_t *req = json_object_get(body, "requests"), *off = json_object_get(body, "offers");
	if (!json_is_array(req) || !json_is_array(off))
		bad = "requests and offers are arrays.";
	for (size_t i = 0; !bad && i < json_array_size(req) && i <= EXCHANGE_ITEMS_MAX; i++)
		bad = item_from_json(w, json_array_get(req, i), &in->requests[in->nrequests++]);
	for (size_t i = 0; !bad && i < json_array_size(off) && i <= EXCHANGE_ITEMS_MAX; i++)
		bad = item_from_json(w, json_array_get(off, i), &in->offers[in->noffers++]);
	in->pinch_hitter = json_is_true(json_object_get(body, "pinch_hitter"));
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors e = {0};
	int rc = archive_signup_save(w->app->store, w->arena, w->user, w->params[0], in, &e);
	if (rc == Q_EPERM || rc == Q_ETOOBIG) {
		refused(w, rc, field_error_get(&e, "signup"));
		return;
	}
	if (rc) {
		api_fail(w, rc, &e);
		return;
	}
	api_signup_get(w);
}

void api_signup_delete(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_signup_delete(w->app->store, w->arena, w->user, w->params[0], &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_signups_list(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	if (!collection_can_moderate(role)) {
		refused(w, Q_EPERM, "Only the exchange's moderators see its sign-ups.");
		return;
	}
	struct signup *list;
	size_t n;
	int rc = store_signups_list(w->app->store, w->arena, c.id, kv_get(&w->req->query, "after"), 101, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n && i < 100; i++) {
		struct signup su;
		if (store_signup_get(w->app->store, w->arena, list[i].id, 0, 0, &su) == 0)
			json_array_append_new(a, signup_json(w, &su));
	}
	web_json(w, 200, json_pack("{s:o, s:o}", "signups", a, "next_after",
	                           n > 100 ? json_string(list[99].user_name) : json_null()));
}

void api_exchange_match(struct web_req *w)
{
	struct exchange_match_report r;
	const char *why = NULL;
	int rc = archive_exchange_match(w->app->store, w->arena, w->user, w->params[0], &r, &why);
	if (rc) {
		refused(w, rc, why);
		return;
	}
	web_json(w, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:f}", "signups", (json_int_t)r.signups, "matched",
	                           (json_int_t)r.matched, "unmatched", (json_int_t)r.unmatched, "best_possible",
	                           (json_int_t)r.cover, "mutual_pairs", (json_int_t)r.mutual, "seconds", r.seconds));
}

void api_exchange_send(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_assignments_send(w->app->store, w->arena, w->user, w->params[0], &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

static json_t *assignment_json(struct web_req *w, const struct assignment *a, bool moderator)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "collection", json_string(a->collection_name ? a->collection_name : ""));
	json_object_set_new(o, "recipient", a->recipient_name ? json_string(a->recipient_name) : json_null());
	bool own = w->user && a->giver_id == w->user->id;
	json_object_set_new(o, "giver", (moderator || own) && a->giver_name ? json_string(a->giver_name) : json_null());
	json_object_set_new(o, "sent_at", api_time_json(a->sent_at));
	json_object_set_new(o, "open", json_boolean(a->sent_at && !a->giver_id && !a->fulfilled_work_id));
	json_object_set_new(o, "pinch_hit", json_boolean(a->pinch_hit));
	json_object_set_new(o, "defaulted_at", api_time_json(a->defaulted_at));
	json_object_set_new(o, "due_at", api_time_json(a->due_at));
	json_object_set_new(o, "work_id", a->fulfilled_work_id ? json_integer(a->fulfilled_work_id) : json_null());
	return o;
}

void api_exchange_assignments(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	bool moderator = collection_can_moderate(role);
	const char *f = kv_get(&w->req->query, "filter");
	int filter = !f || !strcmp(f, "sent") ? ASSIGNMENTS_SENT : !strcmp(f, "all") ? ASSIGNMENTS_ALL
	             : !strcmp(f, "drafts") ? ASSIGNMENTS_DRAFTS : !strcmp(f, "open") ? ASSIGNMENTS_OPEN
	             : !strcmp(f, "defaulted") ? ASSIGNMENTS_DEFAULTED : !strcmp(f, "unfulfilled") ? ASSIGNMENTS_UNFULFILLED : -1;
	if (filter < 0) {
		web_json_error(w, 422, "invalid", "filter is all, drafts, sent, open, defaulted or unfulfilled.", NULL);
		return;
	}
	if (!moderator && filter != ASSIGNMENTS_OPEN) {
		refused(w, Q_EPERM, "Members see the open pinch hits (filter=open); your own are at /api/v1/assignments.");
		return;
	}
	if (!moderator && role < COLLECTION_MEMBER) {
		refused(w, Q_EPERM, "Join the exchange to see its pinch hits.");
		return;
	}
	const char *after = kv_get(&w->req->query, "after");
	struct assignment *list;
	size_t n;
	int rc = store_assignments(w->app->store, w->arena, c.id, 0, filter, after ? strtoll(after, NULL, 10) : 0, 201, &list,
	                           &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n && i < 200; i++)
		if (moderator || list[i].recipient_id != w->user->id)
			json_array_append_new(a, assignment_json(w, &list[i], moderator));
	web_json(w, 200, json_pack("{s:o, s:o}", "assignments", a, "next_after",
	                           n > 200 ? json_integer(list[199].id) : json_null()));
}

void api_my_assignments(struct web_req *w)
{
	struct assignment *list;
	size_t n;
	const char *after = kv_get(&w->req->query, "after");
	int rc = store_assignments(w->app->store, w->arena, 0, w->user->id, 0, after ? strtoll(after, NULL, 10) : 0, 201,
	                           &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n && i < 200; i++)
		json_array_append_new(a, assignment_json(w, &list[i], false));
	web_json(w, 200, json_pack("{s:o, s:o}", "assignments", a, "next_after",
	                           n > 200 ? json_integer(list[199].id) : json_null()));
}

void api_assignment_get(struct web_req *w)
{
	struct assignment a;
	int role;
	int rc = archive_assignment_load(w->app->store, w->arena, w->user, api_param_id(w, 0), &a, &role);
	if (rc) {
		refused(w, rc, "There is no such assignment, or it is not yours to see.");
		return;
	}
	json_t *o = assignment_json(w, &a, collection_can_moderate(role));
	struct signup su;
	if (a.request_signup_id && store_signup_get(w->app->store, w->arena, a.request_signup_id, 0, 0, &su) == 0) {
		json_t *s = signup_json(w, &su); /* only its requests are the giver's to see */
		json_object_set(o, "requests", json_object_get(s, "requests"));
		json_decref(s);
	}
	web_json(w, 200, o);
}

void api_assignment_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *g = json_object_get(body, "giver");
	const char *giver = json_is_string(g) ? arena_strdup(w->arena, json_string_value(g)) : json_is_null(g) ? "" : NULL;
	json_decref(body);
	if (!giver) {
		api_bad_json(w, "giver must be a user name or null.");
		return;
	}
	struct assignment a;
	int rc = store_assignment_get(w->app->store, w->arena, api_param_id(w, 0), &a);
	const char *why = NULL;
	if (rc == 0)
		rc = archive_assignment_edit(w->app->store, w->arena, w->user, a.collection_name, a.id, giver, &why);
	if (rc)
		refused(w, rc, why ? why : "There is no such assignment.");
	else
		api_assignment_get(w);
}

void api_assignment_default(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_assignment_default(w->app->store, w->arena, w->user, api_param_id(w, 0), &why);
	if (rc)
		refused(w, rc, why);
	else
		api_no_content(w);
}

void api_assignment_claim(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_assignment_claim(w->app->store, w->arena, w->user, api_param_id(w, 0), &why);
	if (rc)
		refused(w, rc, why);
	else
		api_assignment_get(w);
}
