/* The home page: a welcome and the most recently updated works. */
#include "web/pages/pages.h"
#include "web/work_view.h"

void page_home(struct web_req *w)
{
	struct work_query q = {.viewer_id = w->user ? w->user->id : 0, .limit = 10};
	struct work_page page = {0};
	/* A store failure is an error page, never an empty list that could be cached as "no works yet". */
	if (store_work_list(w->app->store, w->arena, &q, &page) != 0) {
		web_error(w, 500, "The latest works could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_t *list = json_array();
	for (size_t i = 0; i < page.n; i++)
		json_array_append_new(list, work_view_blurb(w, &page.items[i]));
	json_object_set_new(d, "works", list);
	json_object_set_new(d, "total", json_integer(page.total));
	w->cacheable = true;
	web_cache_depends(w, PAGE_DEP_LISTINGS, 0);
	web_render(w, 200, "home", NULL, d);
}
