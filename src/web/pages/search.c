/* The search page: the works listing with its text search box first. */
#include "web/pages/pages.h"
#include "archive/listing.h"
#include "web/listing_view.h"
#include <string.h>

void page_search(struct web_req *w)
{
	const char *q = kv_get(&w->req->query, "q");
	bool searching = q && *q;
	/* Best matches first unless another order was asked for. */
	struct listing_page lp = {.base = "/search", .title = "Search", .heading = "Search", .sidebar = true,
	                          .cacheable = true,
	                          .default_sort = searching ? LISTING_RELEVANCE : LISTING_UPDATED};
	listing_view_render(w, &lp);
}
