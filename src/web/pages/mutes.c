/* Muting (/users/NAME/mute, /tags/NAME/mute and their unmuting, /users/NAME/muted): a reader's own choices,
 * which change none of the pages anyone else sees. */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/mutes.h"
#include "archive/tags.h"
#include "core/err.h"
#include "html/escape.h"
#include <string.h>
#include <strings.h>

static const char *user_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, name));
}

/* Back where the button was (the form's return, when it is a safe path), else to fallback: a path this server
 * built (a tag's address may hold %20, which return paths refuse), with a notice. */
static void back(struct web_req *w, const char *fallback, const char *notice)
{
	const char *ret = web_form(w, "return");
	if (*ret && web_return_path_ok(ret)) {
		web_redirect(w, arena_printf(w->arena, "%s%snotice=%s", ret, strchr(ret, '?') ? "&" : "?", notice));
		return;
	}
	w->resp->status = 303;
	http_response_header(w->resp, w->arena, "Location", arena_printf(w->arena, "%s?notice=%s", fallback, notice));
}

static void user_mute(struct web_req *w, bool on)
{
	const char *why = NULL;
	int rc = mute_user(w->app->store, w->arena, w->user, w->params[0], on, &why);
	if (rc) {
		web_error(w, rc == Q_ETOOBIG ? 422 : response_status(rc), why);
		return;
	}
	back(w, user_url(w, w->params[0]), on ? "muted" : "unmuted");
}

void page_user_mute(struct web_req *w)
{
	user_mute(w, true);
}

void page_user_unmute(struct web_req *w)
{
	user_mute(w, false);
}

static void tag_mute(struct web_req *w, bool on)
{
	const char *name = archive_tag_url_name(w->arena, w->params[0]), *type = web_form(w, "type");
	struct tag *list;
	size_t n, pick = 0;
	int rc = store_tag_find(w->app->store, w->arena, name, &list, &n);
	for (size_t i = 0; rc == 0 && i < n && *type; i++)
		if (!strcmp(tag_type_key(list[i].type), type))
			pick = i;
	if (rc == 0 && (n == 0 || !archive_tag_seen(w->app->store, &list[pick], w->user)))
		rc = Q_ENOTFOUND;
	if (rc) {
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no tag by that name." : "The tag could not be loaded.");
		return;
	}
	const char *why = NULL;
	rc = mute_tag(w->app->store, w->arena, w->user, &list[pick], on, &why);
	if (rc) {
		web_error(w, rc == Q_ETOOBIG ? 422 : response_status(rc), why);
		return;
	}
	back(w, archive_tag_url(w->arena, list[pick].name), on ? "muted" : "unmuted");
}

void page_tag_mute(struct web_req *w)
{
	tag_mute(w, true);
}

void page_tag_unmute(struct web_req *w)
{
	tag_mute(w, false);
}

void page_user_muted(struct web_req *w)
{
	if (strcasecmp(w->params[0], w->user->name) != 0) {
		web_error(w, 403, "Only the account's owner sees what they have muted.");
		return;
	}
	struct mute *list;
	size_t n;
	if (store_mutes_list(w->app->store, w->arena, w->user->id, &list, &n) != 0) {
		web_error(w, 500, "Your mutes could not be loaded.");
		return;
	}
	json_t *d = json_object(), *users = json_array(), *tags = json_array();
	const char *here = arena_printf(w->arena, "%s/muted", user_url(w, w->user->name));
	for (size_t i = 0; i < n; i++) {
		if (!list[i].name)
			continue;
		if (list[i].kind == MUTE_USER)
			json_array_append_new(users, json_pack("{s:s, s:s}", "name", list[i].name, "url", user_url(w, list[i].name)));
		else
			json_array_append_new(tags, json_pack("{s:s, s:s, s:s}", "name", list[i].name, "url",
			                                      archive_tag_url(w->arena, list[i].name), "type",
			                                      tag_type_key((enum tag_type)list[i].tag_type)));
	}
	json_object_set_new(d, "users", users);
	json_object_set_new(d, "tags", tags);
	json_object_set_new(d, "here", json_string(here));
	json_object_set_new(d, "max", json_integer(MUTES_MAX));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "users/muted", "Muted", d);
}
