/* API: the caller's mutes. GET /api/v1/mutes lists them; PUT and DELETE /api/v1/mutes/users/NAME and
 * /api/v1/mutes/tags/NAME (?type=KEY when names collide) mute and unmute, through archive/mutes.h. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/mutes.h"
#include "archive/tags.h"
#include "core/err.h"
#include <string.h>

void api_mutes_list(struct web_req *w)
{
	struct mute *list;
	size_t n;
	int rc = store_mutes_list(w->app->store, w->arena, w->user->id, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *users = json_array(), *tags = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!list[i].name)
			continue;
		if (list[i].kind == MUTE_USER)
			json_array_append_new(users, json_pack("{s:s, s:o}", "name", list[i].name, "muted_at",
			                                       api_time_json(list[i].created_at)));
		else
			json_array_append_new(tags, json_pack("{s:s, s:s, s:o}", "name", list[i].name, "type",
			                                      tag_type_key((enum tag_type)list[i].tag_type), "muted_at",
			                                      api_time_json(list[i].created_at)));
	}
	web_json(w, 200, json_pack("{s:o, s:o, s:i}", "users", users, "tags", tags, "max", MUTES_MAX));
}

static void answer(struct web_req *w, int rc, const char *why)
{
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", why, NULL);
	else if (rc == Q_EINVAL)
		web_json_error(w, 422, "invalid", why, NULL);
	else if (rc == Q_ETOOBIG)
		web_json_error(w, 422, "too_many_mutes", why, NULL);
	else if (rc)
		api_store_error(w, rc);
	else
		api_no_content(w);
}

static void user_mute(struct web_req *w, bool on)
{
	const char *why = NULL;
	answer(w, mute_user(w->app->store, w->arena, w->user, w->params[0], on, &why), why);
}

void api_mute_user_put(struct web_req *w)
{
	user_mute(w, true);
}

void api_mute_user_delete(struct web_req *w)
{
	user_mute(w, false);
}

static void tag_mute(struct web_req *w, bool on)
{
	const char *type = kv_get(&w->req->query, "type"), *why = "There is no tag by that name.";
	struct tag *list;
	size_t n, pick = 0;
	int rc = store_tag_find(w->app->store, w->arena, w->params[0], &list, &n);
	for (size_t i = 0; rc == 0 && type && i < n; i++)
		if (!strcmp(tag_type_key(list[i].type), type))
			pick = i;
	if (rc == 0 && (n == 0 || !archive_tag_seen(w->app->store, &list[pick], w->user)))
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = mute_tag(w->app->store, w->arena, w->user, &list[pick], on, &why);
	answer(w, rc, why);
}

void api_mute_tag_put(struct web_req *w)
{
	tag_mute(w, true);
}

void api_mute_tag_delete(struct web_req *w)
{
	tag_mute(w, false);
}
