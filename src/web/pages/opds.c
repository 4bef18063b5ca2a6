/* E-reader feeds: an OPDS 1.2 catalog (Atom) that e-reader apps browse and search, each work with its EPUB:
 * /opds (the start: recent, popular, complete, search), /opds/works (any listing's filters, paged),
 * /opds/search.xml (OpenSearch). Works come from the one listing builder, as on /works. */
#include "web/pages/pages.h"
#include "archive/mutes.h"
#include "archive/downloads.h"
#include "archive/listing.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/timefmt.h"
#include "html/escape.h"
#include "web/listing_view.h"
#include "core/html_text.h"
#include <string.h>
#include <time.h>

#define OPDS_PER_PAGE 25
#define OPDS_NAVIGATION "application/atom+xml;profile=opds-catalog;kind=navigation"
#define OPDS_ACQUISITION "application/atom+xml;profile=opds-catalog;kind=acquisition"

/* What every feed names: the site, its address, the catalog's start and its search. */
static json_t *feed_json(struct web_req *w, const char *self)
{
	char base[512], now[TIME_ISO_LEN];
	web_base_url(w->app, base, sizeof base);
	json_t *d = json_object();
	json_object_set_new(d, "base", json_string(base));
	json_object_set_new(d, "self", json_string(arena_printf(w->arena, "%s%s", base, self)));
	json_object_set_new(d, "site_name", json_string(w->app->cfg->site_name));
	json_object_set_new(d, "updated", json_string(time_iso((int64_t)time(NULL), now)));
	return d;
}

/* The footer's link: what a catalog is and how to add this one, for people (the feed itself is for apps and
 * shows a browser raw XML). */
void page_opds_help(struct web_req *w)
{
	char base[512];
	web_base_url(w->app, base, sizeof base);
	json_t *d = json_object();
	json_object_set_new(d, "feed_url", json_string(arena_printf(w->arena, "%s/opds", base)));
	json_object_set_new(d, "search_url", json_string(arena_printf(w->arena, "%s/opds/search.xml", base)));
	json_object_set_new(d, "works_url", json_string(arena_printf(w->arena, "%s/opds/works", base)));
	web_render(w, 200, "opds/help", "Read on an e-reader", d);
}

void page_opds_root(struct web_req *w)
{
	json_t *d = feed_json(w, "/opds");
	static const struct {
		const char *id, *title, *query, *rel, *text;
	} sections[] = {
		{"recent", "Recently updated", "", "http://opds-spec.org/sort/new", "Works with a new chapter or a change, newest first."},
		{"popular", "Most kudos", "?sort=kudos", "http://opds-spec.org/sort/popular", "The works readers loved most."},
		{"complete", "Complete works", "?complete=true", "subsection", "Stories that are finished, newest first."},
	};
	json_t *entries = json_array();
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		json_array_append_new(entries, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", sections[i].id, "title",
		                                         sections[i].title, "href",
		                                         arena_printf(w->arena, "/opds/works%s", sections[i].query), "rel",
		                                         sections[i].rel, "about", sections[i].text));
	json_object_set_new(d, "entries", entries);
	w->cacheable = true;
	web_cache_immutable(w);
	web_render_document(w, 200, "opds/root", OPDS_NAVIGATION, d);
}

void page_opds_search(struct web_req *w)
{
	json_t *d = feed_json(w, "/opds/search.xml");
	w->cacheable = true;
	web_cache_immutable(w);
	web_render_document(w, 200, "opds/search", "application/opensearchdescription+xml", d);
}

/* One work as an acquisition entry: who wrote it, when, its summary and tags, the EPUB and the page. */
static json_t *entry_json(struct web_req *w, const struct work *wk)
{
	char when[TIME_ISO_LEN], published[TIME_ISO_LEN];
	json_t *authors = json_array();
	for (size_t i = 0; i < wk->ncreators; i++)
		if (wk->creators[i].accepted || i == 0)
			json_array_append_new(authors, json_pack("{s:s, s:s}", "name", wk->creators[i].name, "url",
			                                         arena_printf(w->arena, "/users/%s",
			                                                      esc_url_a(w->arena, wk->creators[i].name))));
	json_t *categories = json_array();
	for (int t = TAG_RATING; t < TAG_TYPE_COUNT; t++)
		if (t != TAG_WARNING && t != TAG_CATEGORY)
			for (size_t i = 0; i < wk->tags[t].n; i++)
				json_array_append_new(categories, json_string(wk->tags[t].items[i]));
	json_t *e = json_object();
	json_object_set_new(e, "id", json_integer(wk->id));
	json_object_set_new(e, "title", json_string(wk->title ? wk->title : ""));
	json_object_set_new(e, "authors", authors);
	json_object_set_new(e, "updated", json_string(time_iso(wk->updated_at ? wk->updated_at : wk->published_at, when)));
	json_object_set_new(e, "published", json_string(time_iso(wk->published_at, published)));
	json_object_set_new(e, "lang", json_string(download_language_code(wk->language)));
	json_object_set_new(e, "summary", json_string(html_plain(w->arena, wk->summary.html)));
	json_object_set_new(e, "categories", categories);
	json_object_set_new(e, "rating", json_string(wk->tags[TAG_RATING].n ? wk->tags[TAG_RATING].items[0] : ""));
	json_object_set_new(e, "words", json_integer(wk->word_count));
	json_object_set_new(e, "chapters", json_integer(wk->chapter_count));
	json_object_set_new(e, "chapters_one", json_boolean(wk->chapter_count == 1));
	json_object_set_new(e, "complete", json_boolean(wk->complete));
	json_object_set_new(e, "epub", json_string(download_url(w->arena, wk->id, wk->title, DOWNLOAD_EPUB)));
	return e;
}

void page_opds_works(struct web_req *w)
{
	struct listing_params params;
	listing_view_params(w, &params);
	struct listing_state st;
	struct listing_query q;
	const char *field = NULL, *message = NULL;
	if (archive_listing_build(w->arena, &params, LISTING_UPDATED, &st, &q, &field, &message) != 0) {
		web_error(w, 400, message);
		return;
	}
	if (!st.sort_given && q.text.nmatch)
		q.sort = LISTING_RELEVANCE;
	q.viewer_id = w->user ? w->user->id : 0;
	q.per_page = OPDS_PER_PAGE;
	struct mute_set mutes; /* a logged-in reader's feeds leave out what they muted */
	if (w->user && mutes_load(w->app->store, w->arena, w->user, &mutes) == 0)
		mutes_apply_listing(w->arena, &mutes, &q);
	struct listing_result r;
	memset(&r, 0, sizeof r);
	if (store_work_find(w->app->store, w->arena, &q, &r) != 0) {
		web_error(w, 500, "The works could not be listed. Please try again in a moment.");
		return;
	}
	const char *qs = archive_listing_query_string(w->arena, &st, st.page);
	json_t *d = feed_json(w, arena_printf(w->arena, "/opds/works%s%s", *qs ? "?" : "", qs));
	json_t *entries = json_array();
	for (size_t i = 0; i < r.n; i++)
		if (!r.items[i].draft && work_can_view(&r.items[i], w->user)) /* as the API's list: one rule */
			json_array_append_new(entries, entry_json(w, &r.items[i]));
	json_object_set_new(d, "entries", entries);
	json_object_set_new(d, "title", json_string(*st.q ? arena_printf(w->arena, "Works matching \"%s\"", st.q)
	                                            : st.any_filter ? "Works (filtered)" : "Recently updated works"));
	int64_t shown = (int64_t)st.page * OPDS_PER_PAGE;
	if (r.n == OPDS_PER_PAGE && shown < r.total) {
		const char *next = archive_listing_query_string(w->arena, &st, st.page + 1);
		json_object_set_new(d, "next", json_string(arena_printf(w->arena, "/opds/works?%s", next)));
	}
	if (st.page > 1) {
		const char *prev = archive_listing_query_string(w->arena, &st, st.page - 1);
		json_object_set_new(d, "previous", json_string(arena_printf(w->arena, "/opds/works%s%s", *prev ? "?" : "",
		                                                            prev)));
	}
	if (!w->user)
		w->cacheable = true;
	web_cache_depends(w, PAGE_DEP_LISTINGS, 0);
	web_render_document(w, 200, "opds/works", OPDS_ACQUISITION, d);
}
