/* Gift pages: the works given to a user (refused ones for the recipient alone), and refusing a gift. */
#include "web/pages/collection_pages.h"
#include "web/pages/pages.h"
#include "archive/collections.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define GIFTS_PER_PAGE 20

/* Whether viewer may see a gift's work in the list: posted and revealed (or theirs), members-only for members. */
static bool gift_visible(const struct gift *g, const struct user *viewer)
{
	bool owner = viewer && viewer->id == g->work_owner_id;
	if (g->work_draft || g->work_unrevealed)
		return owner;
	return !g->work_restricted || viewer;
}

void page_user_gifts(struct web_req *w)
{
	struct user u;
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], &u);
	if (rc) {
		web_error(w, rc == Q_ENOTFOUND ? 404 : 500, rc == Q_ENOTFOUND ? "There is no user by that name."
		                                                               : "The user could not be loaded.");
		return;
	}
	bool self = w->user && w->user->id == u.id;
	const char *b = kv_get(&w->req->query, "before");
	int64_t before = b ? strtoll(b, NULL, 10) : 0;
	struct gift *list;
	size_t n;
	if (store_gifts_of_user(w->app->store, w->arena, u.id, self, before, GIFTS_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "The gifts could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *items = json_array();
	const char *base = arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, u.name));
	for (size_t i = 0; i < n && i < GIFTS_PER_PAGE; i++) {
		const struct gift *g = &list[i];
		if (!gift_visible(g, w->user))
			continue;
		bool own = w->user && w->user->id == g->work_owner_id;
		const char *by = g->work_anonymous && !own ? ANONYMOUS_NAME : g->work_creator ? g->work_creator : "";
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)g->id, "title", g->work_title ? g->work_title : "",
		                      "url", arena_printf(w->arena, "/works/%lld", (long long)g->work_id), "by", by,
		                      "refused", g->refused, "date", web_date(w, g->work_updated_at));
		if (!(g->work_anonymous && !own) && g->work_creator)
			json_object_set_new(o, "by_url", json_string(arena_printf(w->arena, "/users/%s",
			                                                          esc_url_a(w->arena, g->work_creator))));
		json_array_append_new(items, o);
	}
	json_object_set_new(d, "gifts", items);
	json_object_set_new(d, "name", json_string(u.name));
	json_object_set_new(d, "user_url", json_string(base));
	json_object_set_new(d, "is_self", json_boolean(self));
	json_object_set_new(d, "here", json_string(arena_printf(w->arena, "%s/gifts", base)));
	if (n > GIFTS_PER_PAGE)
		json_object_set_new(d, "older_url", json_string(arena_printf(w->arena, "%s/gifts?before=%lld", base,
		                                                             (long long)list[GIFTS_PER_PAGE - 1].id)));
	const char *notice = w->user ? kv_get(&w->req->query, "notice") : NULL;
	if (notice && !strcmp(notice, "refused"))
		json_object_set_new(d, "notice", json_string("The gift was refused: the work no longer names you."));
	else if (notice && !strcmp(notice, "accepted"))
		json_object_set_new(d, "notice", json_string("The gift names you again."));
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_cache_depends(w, PAGE_DEP_USER, u.id);
	web_cache_depends(w, PAGE_DEP_LISTINGS, 0);
	if (!w->user)
		w->cacheable = true;
	web_render(w, 200, "users/gifts", arena_printf(w->arena, "Gifts for %s", u.name), d);
}

void page_gift_refuse(struct web_req *w)
{
	bool refused = strcmp(web_form(w, "refused"), "0") != 0;
	int rc = archive_gift_refuse(w->app->store, w->user, web_param_id(w, 0), refused);
	if (rc) {
		web_error(w, rc == Q_ENOTFOUND ? 404 : 500, rc == Q_ENOTFOUND ? "That is not a gift to you."
		                                                               : "The gift could not be changed.");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/users/%s/gifts?notice=%s", esc_url_a(w->arena, w->user->name),
	                             refused ? "refused" : "accepted"));
}
