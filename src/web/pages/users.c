/* Author pages: a user's works as blurbs, drafts for the author alone, restricted works for members. */
#include "web/pages/pages.h"
#include "archive/blocks.h"
#include "archive/roles.h"
#include "archive/mutes.h"
#include "core/err.h"
#include "web/listing_view.h"
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
	json_t *d = json_object();
	const char *base = arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, u.name));
	json_t *profile = json_object();
	json_object_set_new(profile, "name", json_string(u.name));
	json_object_set_new(profile, "url", json_string(base));
	json_object_set_new(profile, "works_url", json_string(arena_printf(w->arena, "%s/works", base)));
	json_object_set_new(profile, "joined", json_string(web_date(w, u.created_at)));
	json_object_set_new(profile, "orphan", json_boolean(!strcmp(u.role, "orphan")));
	json_object_set_new(d, "profile", profile);
	json_object_set_new(d, "is_self", json_boolean(self));
	json_object_set_new(d, "works_page", json_boolean(works_page));
	if (w->user && !self && strcmp(u.role, "orphan") != 0 && !archive_is_moderator(&u)) {
		struct mute_set m;
		bool muting = mutes_load(w->app->store, w->arena, w->user, &m) == 0 && mutes_has_user(&m, u.id);
		json_object_set_new(d, "mute", json_pack("{s:b}", "muting", muting));
	}
	if (!self && strcmp(u.role, "orphan") != 0 && archive_may(w->user, POWER_SUSPEND))
		json_object_set_new(d, "moderate_url", json_string(arena_printf(w->arena, "/admin/users/%s",
		                                                                esc_url_a(w->arena, u.name))));
	if (!self && strcmp(u.role, "orphan") != 0) /* the same link for every guest: cached copies may carry it */
		json_object_set_new(d, "report_url", json_string(arena_printf(w->arena, "/reports/new?kind=user&id=%lld",
		                                                              (long long)u.id)));
	/* The works go through the one listing builder; only guests share cached copies, since a logged-in
	 * reader may see members-only works or their own drafts. */
	subscriptions_view_user(w, d, &u); /* mail: subscribe button */
	/* Block or unblock, for other logged-in readers (their page is never shared: only guests' copies are). */
	if (w->user && !archive_block_forbidden(w->app->store, w->user, &u))
		json_object_set_new(d, "block", json_pack("{s:b}", "blocking", archive_is_blocking(w->app->store, w->user, u.id)));
	web_cache_depends(w, PAGE_DEP_USER, u.id);
	struct listing_page lp = {
		.base = arena_printf(w->arena, "%s/works", base),
		.title = works_page ? arena_printf(w->arena, "Works by %s", u.name) : u.name,
		.template = "users/show",
		.data = d,
		.creator_id = u.id,
		.include_drafts = self,
		.per_page = USER_WORKS_PER_PAGE,
		.sidebar = works_page,
		.fixed = !works_page,
		.cacheable = true,
	};
	listing_view_render(w, &lp);
}

void page_user_show(struct web_req *w)
{
	render_user(w, false);
}

void page_user_works(struct web_req *w)
{
	render_user(w, true);
}
