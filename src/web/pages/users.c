/* Author pages: a user's works as blurbs, drafts for the author alone, restricted works for members. */
#include "web/pages/pages.h"
#include "core/err.h"
#include "web/work_view.h"
#include "html/escape.h"
#include <string.h>

#define USER_WORKS_PER_PAGE 20

static void render_user(struct web_req *w, bool works_page)
{
	struct user u;
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], &u);
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, "There is no user by that name.");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The user could not be loaded. Please try again in a moment.");
		return;
	}
	bool self = w->user && w->user->id == u.id;
	int page = work_view_page_number(w);
	struct work_query q = {
		.creator_id = u.id,
		.viewer_id = w->user ? w->user->id : 0,
		.include_drafts = self,
		.limit = USER_WORKS_PER_PAGE,
		.offset = (page - 1) * USER_WORKS_PER_PAGE,
	};
	struct work_page works;
	if (store_work_list(w->app->store, w->arena, &q, &works) != 0) {
		web_error(w, 500, "The user's works could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	const char *base = arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, u.name));
	work_view_set_listing(w, d, arena_printf(w->arena, "%s/works", base), page, USER_WORKS_PER_PAGE, &works);
	json_t *profile = json_object();
	json_object_set_new(profile, "name", json_string(u.name));
	json_object_set_new(profile, "url", json_string(base));
	json_object_set_new(profile, "works_url", json_string(arena_printf(w->arena, "%s/works", base)));
	json_object_set_new(profile, "joined", json_string(web_date(w, u.created_at)));
	json_object_set_new(profile, "orphan", json_boolean(!strcmp(u.role, "orphan")));
	json_object_set_new(d, "profile", profile);
	json_object_set_new(d, "is_self", json_boolean(self));
	json_object_set_new(d, "works_page", json_boolean(works_page));
	/* Only guests share cached copies; a logged-in reader may see restricted works or drafts. */
	if (!w->user)
		w->cacheable = true;
	subscriptions_view_user(w, d, &u); /* mail: subscribe button */
	web_cache_depends(w, PAGE_DEP_USER, u.id);
	web_render(w, 200, "users/show", works_page ? arena_printf(w->arena, "Works by %s", u.name) : u.name, d);
}

void page_user_show(struct web_req *w)
{
	render_user(w, false);
}

void page_user_works(struct web_req *w)
{
	render_user(w, true);
}
