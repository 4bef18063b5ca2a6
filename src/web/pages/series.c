/* Series pages: a series' parts in order, each linking on to the previous and next part. */
#include "web/pages/pages.h"
#include "core/err.h"
#include "html/escape.h"
#include "web/listing_view.h"

void page_series_show(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	struct series_info s;
	int rc = id ? store_series_get(w->app->store, w->arena, id, &s) : Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, "There is no such series.");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The series could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "series", json_pack("{s:s, s:s, s:s}", "title", s.title, "owner", s.owner_name,
	                                           "owner_url", arena_printf(w->arena, "/users/%s",
	                                                                     esc_url_a(w->arena, s.owner_name))));
	struct listing_page lp = {
		.base = arena_printf(w->arena, "/series/%lld", (long long)s.id),
		.title = s.title,
		.heading = s.title,
		.template = "series/show",
		.data = d,
		.series_id = s.id,
		.default_sort = LISTING_SERIES,
		/* A series names its owner: its anonymous parts would name their creator. */
		.hide_anonymous = !(w->user && w->user->id == s.owner_id),
		.include_drafts = false,
		.cacheable = true,
	};
	listing_view_render(w, &lp);
}
