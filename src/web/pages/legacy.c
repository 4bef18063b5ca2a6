/* Old links of an imported eFiction archive: viewstory.php, viewuser.php, browse.php, viewseries.php,
 * reviews.php and index.php answer permanent redirects to the pages their stories, members, fandoms and series
 * became here (archive/efiction.c knows which), so search engines, bookmarks and links elsewhere follow. */
#include "web/pages/pages.h"
#include "archive/efiction.h"

static const char *query_arg(void *ctx, const char *name)
{
	struct web_req *w = ctx;
	return kv_get(&w->req->query, name);
}

void page_legacy_link(struct web_req *w)
{
	const char *location;
	archive_efiction_link(w->app->store, w->arena, w->req->path, query_arg, w, &location);
	if (!location) {
		web_error(w, 404, "That page of the old archive has no counterpart here: the story, member or series it "
		                  "named was not imported.");
		return;
	}
	w->resp->status = 301;
	http_response_header(w->resp, w->arena, "Location", location);
	/* old links never change where they lead: caches and search engines may keep the answer */
	http_response_header(w->resp, w->arena, "Cache-Control", "public, max-age=86400");
	w->resp->content_type = "text/plain; charset=utf-8";
	buf_printf(&w->resp->body, "Moved permanently to %s\n", location);
}
