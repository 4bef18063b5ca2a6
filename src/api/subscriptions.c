/* API v1 subscriptions: list (keyset pages), subscribe, read, change the mail choice, unsubscribe. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/subscriptions.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX 200

static json_t *sub_json(struct web_req *w, const struct subscription *s)
{
	const char *url = subscription_path(w->arena, s);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "type", json_string(subscription_kind_name(s->kind)));
	json_object_set_new(o, "target_id", json_integer(s->target_id));
	json_object_set_new(o, "title", json_string(s->title));
	json_object_set_new(o, "url", *url ? json_string(url) : json_null());
	json_object_set_new(o, "mail", json_string(subscription_mail_name(s->mail)));
	json_object_set_new(o, "created_at", api_time_json(s->created_at));
	return o;
}

/* A positive whole-number query value (def when absent, -1 when present but not one). */
static int64_t query_id(struct web_req *w, const char *key, int64_t def)
{
	const char *s = kv_get(&w->req->query, key);
	if (!s)
		return def;
	size_t n = strlen(s);
	if (n == 0 || n > 18 || s[0] == '0' || strspn(s, "0123456789") != n)
		return -1;
	return strtoll(s, NULL, 10);
}

static void not_found(struct web_req *w)
{
	web_json_error(w, 404, "not_found", "You have no subscription with that id.", NULL);
}

/* The caller's subscription named by path parameter 0; answers 404 itself. */
static int load(struct web_req *w, struct subscription *s)
{
	int64_t id = api_param_id(w, 0);
	int rc = id ? store_subscription_get(w->app->store, w->arena, id, s) : Q_ENOTFOUND;
	if (rc == 0 && s->user_id != w->user->id)
		rc = Q_ENOTFOUND; /* someone else's: the same answer as none */
	if (rc == Q_ENOTFOUND)
		not_found(w);
	else if (rc != 0)
		api_store_error(w, rc);
	return rc;
}

void api_subscriptions_list(struct web_req *w)
{
	struct field_errors errs = {0};
	int64_t after = query_id(w, "after", 0), per_page = query_id(w, "per_page", PER_PAGE_DEFAULT);
	if (after < 0)
		field_error(&errs, "after", "after must be the id of a subscription (a whole number from 1).");
	if (per_page < 0)
		field_error(&errs, "per_page", "per_page must be a whole number from 1 to 200.");
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	if (per_page > PER_PAGE_MAX)
		per_page = PER_PAGE_MAX;
	struct subscription *list = NULL;
	size_t n = 0;
	/* One more than a page says whether there is a next one. */
	int rc = store_subscription_list(w->app->store, w->arena, w->user->id, after, (int)per_page + 1, &list, &n);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	bool more = n > (size_t)per_page;
	if (more)
		n = (size_t)per_page;
	json_t *root = json_object(), *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, sub_json(w, &list[i]));
	json_object_set_new(root, "subscriptions", items);
	json_object_set_new(root, "next",
	                    more ? json_string(arena_printf(w->arena, "/api/v1/subscriptions?after=%lld&per_page=%lld",
	                                                    (long long)list[n - 1].id, (long long)per_page))
	                         : json_null());
	web_json(w, 200, root);
}

void api_subscription_create(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct field_errors errs = {0};
	enum sub_kind kind = SUB_WORK;
	int mail = -1;
	json_t *type = json_object_get(body, "type"), *id = json_object_get(body, "id"), *m = json_object_get(body, "mail");
	if (!json_is_string(type) || subscription_kind_parse(json_string_value(type), &kind) != 0)
		field_error(&errs, "type", "type must be \"work\", \"user\" or \"series\".");
	if (!json_is_integer(id) || json_integer_value(id) <= 0)
		field_error(&errs, "id", "id must be the id of the work, user or series (a whole number from 1).");
	if (m && !json_is_null(m) && (!json_is_string(m) || subscription_mail_parse(json_string_value(m), &mail) != 0))
		field_error(&errs, "mail", "mail must be \"default\", \"inbox\" or \"email\".");
	int64_t target = json_is_integer(id) ? (int64_t)json_integer_value(id) : 0;
	json_decref(body);
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	int64_t sid = 0;
	const char *why = NULL;
	int rc = subscriptions_add(w->app->store, w->arena, w->user, kind, target, mail, &sid, &why);
	if (rc == Q_EEXIST) {
		/* Nothing changed; the answer names the subscription that already exists. */
		json_t *e = json_pack("{s:s, s:s, s:I}", "code", "already_subscribed", "message", why, "subscription_id",
		                      (json_int_t)sid);
		api_location(w, arena_printf(w->arena, "/api/v1/subscriptions/%lld", (long long)sid));
		web_json(w, 409, json_pack("{s:o}", "error", e));
		return;
	}
	if (rc == Q_ENOTFOUND) {
		web_json_error(w, 404, "not_found", "There is no such work, user or series, or you are not allowed to see it.",
		               NULL);
		return;
	}
	if (rc == Q_EINVAL) {
		field_error(&errs, "id", why);
		web_json_error(w, 422, "invalid", why, api_field_errors_json(&errs));
		return;
	}
	struct subscription s;
	if (rc == 0)
		rc = store_subscription_get(w->app->store, w->arena, sid, &s);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/subscriptions/%lld", (long long)sid));
	web_json(w, 201, sub_json(w, &s));
}

void api_subscription_get(struct web_req *w)
{
	struct subscription s;
	if (load(w, &s) == 0)
		web_json(w, 200, sub_json(w, &s));
}

void api_subscription_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct subscription s;
	if (load(w, &s) != 0) {
		json_decref(body);
		return;
	}
	json_t *m = json_object_get(body, "mail");
	int mail = s.mail;
	struct field_errors errs = {0};
	if (m && (!json_is_string(m) || subscription_mail_parse(json_string_value(m), &mail) != 0))
		field_error(&errs, "mail", "mail must be \"default\", \"inbox\" or \"email\".");
	json_decref(body);
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	int rc = store_subscription_set_mail(w->app->store, w->user->id, s.id, mail);
	if (rc == 0)
		rc = store_subscription_get(w->app->store, w->arena, s.id, &s);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, sub_json(w, &s));
}

void api_subscription_delete(struct web_req *w)
{
	struct subscription s;
	if (load(w, &s) != 0)
		return;
	int rc = store_subscription_delete(w->app->store, w->user->id, s.id);
	if (rc == Q_ENOTFOUND) {
		not_found(w);
		return;
	}
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_no_content(w);
}
