/* Work listings as pages: parameters, the filter sidebar and its facets, blurbs with snippets, the pager. */
#include "web/listing_view.h"
#include "archive/mutes.h"
#include "archive/tags.h"
#include "core/err.h"
#include "core/log.h"
#include "html/escape.h"
#include "archive/work.h"
#include "web/work_view.h"
#include <string.h>
#include <strings.h>

#define PER_PAGE 20

void listing_view_params(struct web_req *w, struct listing_params *p)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < w->req->query.n; i++)
		archive_listing_param(w->arena, p, w->req->query.items[i].key, w->req->query.items[i].value);
}

json_t *listing_view_snippet(const char *marked)
{
	json_t *parts = json_array();
	if (!marked)
		return parts;
	const char *p = marked;
	bool mark = false;
	while (*p) {
		const char *end = p;
		while (*end && *end != LISTING_MARK_OPEN && *end != LISTING_MARK_CLOSE)
			end++;
		if (end > p)
			json_array_append_new(parts, json_pack("{s:s%, s:b}", "text", p, (size_t)(end - p), "mark", mark));
		if (!*end)
			break;
		mark = *end == LISTING_MARK_OPEN;
		p = end + 1;
	}
	return parts;
}

json_t *listing_view_series_nav(struct web_req *w, const struct work *wk, bool member)
{
	struct series_neighbors sn;
	if (!wk->series_id || store_series_neighbors(w->app->store, w->arena, wk->id, member, &sn) != 0)
		return NULL;
	json_t *nav = json_object();
	if (sn.prev_id) {
		json_object_set_new(nav, "prev_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)sn.prev_id)));
		json_object_set_new(nav, "prev_title", json_string(sn.prev_title ? sn.prev_title : ""));
	}
	if (sn.next_id) {
		json_object_set_new(nav, "next_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)sn.next_id)));
		json_object_set_new(nav, "next_title", json_string(sn.next_title ? sn.next_title : ""));
	}
	return nav;
}

/* ---- The sidebar ----------------------------------------------------------------------------------- */

static bool has(const struct strlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->items[i], name))
			return true;
	return false;
}

static int64_t facet_count(const struct listing_result *r, enum tag_type t, const char *name)
{
	for (size_t i = 0; i < r->nfacets; i++)
		if (r->facets[i].type == t && !strcmp(r->facets[i].name, name))
			return r->facets[i].count;
	return 0;
}

/* The fixed choices (ratings, warnings, categories) with their counts among the results. */
static json_t *fixed_choices(const char *const *choices, enum tag_type t, const struct listing_result *r,
                             const struct strlist *included, const struct strlist *excluded)
{
	json_t *a = json_array();
	for (size_t i = 0; choices[i]; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:b, s:b}", "name", choices[i], "count",
		                                   (json_int_t)facet_count(r, t, choices[i]), "included",
		                                   has(included, choices[i]), "excluded", has(excluded, choices[i])));
	return a;
}

/* True when name is shown as a checkbox somewhere in the sidebar. */
static bool shown(const struct listing_result *r, const char *name)
{
	for (size_t i = 0; i < r->nfacets; i++)
		if (r->facets[i].type >= TAG_FANDOM && !strcasecmp(r->facets[i].name, name))
			return true;
	for (size_t i = 0; work_warnings[i]; i++)
		if (!strcasecmp(work_warnings[i], name))
			return true;
	for (size_t i = 0; work_categories[i]; i++)
		if (!strcasecmp(work_categories[i], name))
			return true;
	for (size_t i = 0; work_ratings[i]; i++)
		if (!strcasecmp(work_ratings[i], name))
			return true;
	return false;
}

static const char *others(struct web_req *w, const struct strlist *l, const struct listing_result *r)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		if (!shown(r, l->items[i]))
			s = arena_printf(w->arena, "%s%s%s", s, *s ? ", " : "", l->items[i]);
	return s;
}

static json_t *sidebar(struct web_req *w, const struct listing_page *lp, const struct listing_state *st,
                       const struct listing_result *r)
{
	json_t *f = json_object();
	json_object_set_new(f, "action", json_string(lp->base));
	if (lp->keep_key)
		json_object_set_new(f, "keep", json_pack("{s:s, s:s}", "name", lp->keep_key, "value", lp->keep_value));
	json_t *sorts = json_array();
	for (size_t i = 0; archive_listing_sorts[i].name; i++) {
		const struct listing_sort_name *s = &archive_listing_sorts[i];
		if (s->sort == LISTING_RELEVANCE && !*st->q)
			continue;
		json_array_append_new(sorts, json_pack("{s:s, s:s, s:b}", "value", s->name, "label", s->label,
		                                       "selected", s->sort == st->sort));
	}
	json_object_set_new(f, "sorts", sorts);
	json_object_set_new(f, "ratings", fixed_choices(work_ratings, TAG_RATING, r, &st->rating, &st->exclude_tags));
	json_object_set_new(f, "warnings", fixed_choices(work_warnings, TAG_WARNING, r, &st->warnings,
	                                                 &st->exclude_tags));
	json_object_set_new(f, "categories", fixed_choices(work_categories, TAG_CATEGORY, r, &st->categories,
	                                                   &st->exclude_tags));
	static const struct {
		enum tag_type type;
		const char *key, *label;
	} groups[] = {{TAG_FANDOM, "fandoms", "Fandoms"},
	              {TAG_CHARACTER, "characters", "Characters"},
	              {TAG_RELATIONSHIP, "relationships", "Relationships"},
	              {TAG_FREEFORM, "freeforms", "Additional Tags"}};
	json_t *gl = json_array();
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		json_t *items = json_array();
		for (size_t i = 0; i < r->nfacets; i++) {
			const struct facet *fc = &r->facets[i];
			if (fc->type != groups[g].type)
				continue;
			json_array_append_new(items, json_pack("{s:s, s:I, s:b, s:s}", "name", fc->name, "count",
			                                       (json_int_t)fc->count, "included", has(&st->tags, fc->name),
			                                       "url", archive_tag_url(w->arena, fc->name)));
		}
		if (json_array_size(items))
			json_array_append_new(gl, json_pack("{s:s, s:s, s:o}", "key", groups[g].key, "label",
			                                    groups[g].label, "items", items));
		else
			json_decref(items);
	}
	json_object_set_new(f, "groups", gl);
	json_object_set_new(f, "tags_other", json_string(others(w, &st->tags, r)));
	json_object_set_new(f, "exclude_other", json_string(others(w, &st->exclude_tags, r)));
	json_object_set_new(f, "excluded", json_pack("[]"));
	for (size_t i = 0; i < st->exclude_tags.n; i++)
		if (shown(r, st->exclude_tags.items[i]))
			json_array_append_new(json_object_get(f, "excluded"), json_string(st->exclude_tags.items[i]));
	json_object_set_new(f, "complete", json_string(st->complete < 0 ? "" : st->complete ? "true" : "false"));
	json_object_set_new(f, "crossover", json_string(st->crossover < 0 ? "" : st->crossover ? "only" : "exclude"));
	json_object_set_new(f, "words_from", st->words_from ? json_integer(st->words_from) : json_string(""));
	json_object_set_new(f, "words_to", st->words_to ? json_integer(st->words_to) : json_string(""));
	json_object_set_new(f, "updated_from", json_string(st->updated_from));
	json_object_set_new(f, "updated_to", json_string(st->updated_to));
	json_object_set_new(f, "language", json_string(st->language));
	json_object_set_new(f, "q", json_string(st->q));
	json_object_set_new(f, "any_filter", json_boolean(st->any_filter));
	json_object_set_new(f, "sampled", json_boolean(r->facets_sampled));
	json_object_set_new(f, "sample_size", json_integer(LISTING_COUNT_CAP));
	return f;
}

/* ---- The page ---------------------------------------------------------------------------------------- */

static const char *page_url(struct web_req *w, const struct listing_page *lp, const struct listing_state *st,
                            int page)
{
	const char *qs = archive_listing_query_string(w->arena, st, page);
	if (lp->keep_key)
		qs = arena_printf(w->arena, "%s=%s%s%s", lp->keep_key, esc_url_a(w->arena, lp->keep_value), *qs ? "&" : "",
		                  qs);
	return *qs ? arena_printf(w->arena, "%s?%s", lp->base, qs) : lp->base;
}

static json_t *pager(struct web_req *w, const struct listing_page *lp, const struct listing_state *st, int per,
                     const struct listing_result *r)
{
	int page = st->page;
	int64_t pages = r->total > 0 ? (r->total + per - 1) / per : 1;
	if (pages > LISTING_MAX_PAGES)
		pages = LISTING_MAX_PAGES;
	bool next = (int64_t)page < pages || (r->total_capped && r->n == (size_t)per && page < LISTING_MAX_PAGES);
	json_t *p = json_object();
	json_object_set_new(p, "page", json_integer(page));
	json_object_set_new(p, "pages", json_integer(pages));
	json_object_set_new(p, "pages_known", json_boolean(!r->total_capped));
	json_object_set_new(p, "multi", json_boolean(pages > 1 || page > 1 || next));
	json_object_set_new(p, "first", json_integer(r->n ? (int64_t)(page - 1) * per + 1 : 0));
	json_object_set_new(p, "last", json_integer((int64_t)(page - 1) * per + (int64_t)r->n));
	if (page > 1)
		json_object_set_new(p, "prev_url", json_string(page_url(w, lp, st, page - 1 < pages ? page - 1 : (int)pages)));
	if (next)
		json_object_set_new(p, "next_url", json_string(page_url(w, lp, st, page + 1)));
	return p;
}

void listing_view_render(struct web_req *w, const struct listing_page *lp)
{
	struct listing_params params;
	struct listing_state st;
	struct listing_query q;
	const char *field = NULL, *message = NULL;
	if (lp->fixed)
		memset(&params, 0, sizeof params);
	else
		listing_view_params(w, &params);
	if (archive_listing_build(w->arena, &params, lp->default_sort, &st, &q, &field, &message) != 0) {
		json_decref(lp->data);
		web_error(w, 400, message);
		return;
	}
	/* The page's own tag comes first: a tag page is that tag's listing, whatever else is asked. */
	if (lp->ngroups) {
		struct tag_group *all = arena_calloc(w->arena, lp->ngroups + q.ninclude, sizeof *all);
		memcpy(all, lp->groups, lp->ngroups * sizeof *all);
		if (q.ninclude)
			memcpy(all + lp->ngroups, q.include, q.ninclude * sizeof *all);
		q.include = all;
		q.ninclude += lp->ngroups;
	}
	int per = lp->per_page > 0 ? lp->per_page : PER_PAGE;
	q.viewer_id = w->user ? w->user->id : 0;
	q.creator_id = lp->creator_id;
	q.include_drafts = lp->include_drafts;
	q.series_id = lp->series_id;
	q.per_page = per;
	q.facets = lp->sidebar;
	/* A logged-in reader's mutes: their own pages only (guests' cached pages never see them). */
	struct mute_set mutes;
	if (w->user && mutes_load(w->app->store, w->arena, w->user, &mutes) == 0)
		mutes_apply_listing(w->arena, &mutes, &q);
	struct listing_result r;
	int rc = store_work_find(w->app->store, w->arena, &q, &r);
	if (rc != 0) {
		json_decref(lp->data);
		if (rc == Q_EINVAL)
			web_error(w, 400, "That listing cannot be shown: check the filters and the page number.");
		else
			web_error(w, 500, "The list of works could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = lp->data ? lp->data : json_object();
	json_t *items = json_array();
	for (size_t i = 0; i < r.n; i++) {
		json_t *b = work_view_blurb(w, &r.items[i]);
		if (r.snippets && r.snippets[i])
			json_object_set_new(b, "snippet", listing_view_snippet(r.snippets[i]));
		json_array_append_new(items, b);
	}
	json_object_set_new(d, "works", items);
	json_object_set_new(d, "total", json_integer(r.total));
	json_object_set_new(d, "total_capped", json_boolean(r.total_capped));
	json_object_set_new(d, "total_one", json_boolean(r.total == 1));
	json_object_set_new(d, "heading", json_string(lp->heading ? lp->heading : "Works"));
	json_object_set_new(d, "pager", pager(w, lp, &st, per, &r));
	json_object_set_new(d, "any_filter", json_boolean(st.any_filter));
	json_object_set_new(d, "searching", json_boolean(*st.q != '\0'));
	json_object_set_new(d, "q", json_string(st.q));
	json_object_set_new(d, "base", json_string(page_url(w, lp, &(struct listing_state){.complete = -1,
	                                                     .crossover = -1, .updated_from = "", .updated_to = "",
	                                                     .language = "", .q = ""}, 1)));
	if (lp->sidebar)
		json_object_set_new(d, "filters", sidebar(w, lp, &st, &r));
	if (lp->cacheable && !w->user)
		w->cacheable = true;
	/* What the cached page shows: an author's works change with that author (the feed names every creator
	 * of a changed work); a series' parts with the series and with any listed work; everything else lists
	 * works from anywhere, which every work change touches. */
	if (lp->creator_id) {
		web_cache_depends(w, PAGE_DEP_USER, lp->creator_id);
	} else {
		web_cache_depends(w, PAGE_DEP_LISTINGS, 0);
		if (lp->series_id)
			web_cache_depends(w, PAGE_DEP_SERIES, lp->series_id);
	}
	const char *title = lp->title;
	if (st.page > 1)
		title = arena_printf(w->arena, "%s (page %d)", lp->title ? lp->title : "Works", st.page);
	web_render(w, 200, lp->template ? lp->template : "listing/index", title, d);
}
