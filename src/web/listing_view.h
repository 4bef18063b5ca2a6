/* Work listings as pages: reading the filter parameters, the filter sidebar with its facet counts, blurbs
 * with search snippets, the pager, and series navigation on reading pages. */
#ifndef QUIRE_WEB_LISTING_VIEW_H
#define QUIRE_WEB_LISTING_VIEW_H
#include <jansson.h>
#include <stdbool.h>
#include "archive/listing.h"
#include "web/web.h"

/* Gathers a listing's parameters (ARCHIVE_LISTING_PARAMS) from the request's query string. */
void listing_view_params(struct web_req *w, struct listing_params *p);

/* One listing page: the page's own scope plus whatever filters the URL holds. */
struct listing_page {
	const char *base;           /* the listing's path: the filter form submits here, pager links point here */
	const char *keep_key;       /* a parameter of the page itself that links and the form keep (or NULL) */
	const char *keep_value;
	const char *title;          /* page title (NULL = site name) */
	const char *heading;        /* the h1 ("Works", a tag's name) */
	const char *template;       /* the page's template (listing/index unless it has its own frame) */
	json_t *data;               /* more data for the template (reference stolen; NULL for none) */
	enum listing_sort default_sort;
	int64_t creator_id;
	bool include_drafts;
	int64_t series_id;
	int64_t collection_id;      /* a collection's works (with its subcollections'); 0 = any */
	bool with_unrevealed;       /* with the collection's works not yet revealed (its moderators) */
	bool hide_anonymous;        /* without anonymous works (a series, to all but its owner) */
	const struct tag_group *groups; /* the page's own tag (a tag page) */
	size_t ngroups;
	int per_page;               /* 0 = 20 */
	bool sidebar;               /* filters with facet counts */
	bool fixed;                 /* ignore the query string (the home page, an author's profile) */
	bool cacheable;             /* a guest's page may be cached */
};

/* Checks the parameters (a 400 page with the problem when they are malformed), lists the works and renders
 * lp->template with: works (blurbs, with snippet parts under a text search), total, total_text ("1,234" or
 * "10,000+"), pager, filters (the sidebar's state and facets) and lp->data. */
void listing_view_render(struct web_req *w, const struct listing_page *lp);

/* Snippet text from the store (matches between LISTING_MARK_OPEN and LISTING_MARK_CLOSE) as template parts
 * [{text, mark}], so the template escapes all of it. */
json_t *listing_view_snippet(const char *marked);

/* {prev_url, prev_title, next_url, next_title} for a work in a series, as a member (true) or a guest sees
 * its neighbours (members-only parts count for members only); NULL outside a series or on a store error. */
json_t *listing_view_series_nav(struct web_req *w, const struct work *wk, bool member);
#endif
