/* The home page: a welcome and the most recently updated works. */
#include "web/pages/pages.h"
#include "web/listing_view.h"

void page_home(struct web_req *w)
{
	struct listing_page lp = {.base = "/works", .template = "home", .per_page = 10, .fixed = true,
	                          .cacheable = true};
	listing_view_render(w, &lp);
}
