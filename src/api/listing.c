/* API v1 listing: GET /api/v1/works with the listing's filters, sorts, facets and text search. */
#include "api/api.h"
#include "api/api_int.h"
#include "archive/mutes.h"
#include "api/json_work.h"
#include "archive/listing.h"
#include "archive/work.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX 100

/* A positive whole number from the query (def when absent), 0 when present but not one. */
static long query_positive(struct web_req *w, const char *key, long def)
{
	const char *s = kv_get(&w->req->query, key);
	if (!s)
		return def;
	size_t n = strlen(s);
	if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
		return 0;
	return strtol(s, NULL, 10);
}

/* A snippet (matches between LISTING_MARK_OPEN and LISTING_MARK_CLOSE) as [{text, mark}]: clients escape
 * and highlight it as they like, and never parse markup out of it. */
static json_t *snippet_json(const char *marked)
{
	json_t *parts = json_array();
	bool mark = false;
	for (const char *p = marked; p && *p;) {
		const char *end = p + strcspn(p, (const char[]){LISTING_MARK_OPEN, LISTING_MARK_CLOSE, 0});
		if (end > p)
			json_array_append_new(parts, json_pack("{s:s%, s:b}", "text", p, (size_t)(end - p), "mark", mark));
		if (!*end)
			break;
		mark = *end == LISTING_MARK_OPEN;
		p = end + 1;
	}
	return parts;
}

static json_t *facets_json(const struct listing_result *r)
{
	json_t *o = json_object();
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		json_object_set_new(o, tag_type_key((enum tag_type)t), json_array());
	for (size_t i = 0; i < r->nfacets; i++)
		json_array_append_new(json_object_get(o, tag_type_key(r->facets[i].type)),
		                      json_pack("{s:s, s:I}", "name", r->facets[i].name, "count",
		                                (json_int_t)r->facets[i].count));
	return o;
}

void api_works_find(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct field_errors errs = {0};
	struct listing_params params;
	memset(&params, 0, sizeof params);
	for (size_t i = 0; i < w->req->query.n; i++)
		archive_listing_param(w->arena, &params, w->req->query.items[i].key, w->req->query.items[i].value);
	long per_page = query_positive(w, "per_page", PER_PAGE_DEFAULT);
	if (!per_page)
		field_error(&errs, "per_page", "per_page must be a whole number from 1 to 100.");
	if (per_page > PER_PAGE_MAX)
		per_page = PER_PAGE_MAX;
	struct listing_state st;
	struct listing_query q;
	const char *field = NULL, *message = NULL;
	if (archive_listing_build(w->arena, &params, LISTING_UPDATED, &st, &q, &field, &message) != 0)
		field_error(&errs, field, message);
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	/* Text searches rank best matches first unless a sort was asked for. */
	if (!st.sort_given && q.text.nmatch)
		q.sort = LISTING_RELEVANCE;
	q.viewer_id = w->user ? w->user->id : 0;
	q.per_page = (int)per_page;
	q.facets = true;
	const char *creator = kv_get(&w->req->query, "creator");
	bool nobody = false; /* creator=NAME with no such user: no works, not an error */
	int rc = 0;
	if (creator) {
		struct user u;
		rc = store_user_get_by_name(w->app->store, w->arena, creator, &u);
		nobody = rc == Q_ENOTFOUND;
		if (rc == 0)
			q.creator_id = u.id;
		else if (nobody)
			rc = 0;
	}
	struct listing_result res;
	memset(&res, 0, sizeof res);
	struct mute_set mutes; /* the caller's own mutes */
	if (rc == 0 && w->user && (rc = mutes_load(w->app->store, w->arena, w->user, &mutes)) == 0)
		mutes_apply_listing(w->arena, &mutes, &q);
	if (rc == 0 && !nobody)
		rc = store_work_find(w->app->store, w->arena, &q, &res);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < res.n; i++) {
		/* The query keeps drafts and (for guests) restricted works out; this is the same rule the
		 * single-work endpoint applies, so the two can never disagree. */
		if (res.items[i].draft || !work_can_view(&res.items[i], w->user))
			continue;
		json_t *o = api_work_json(w->arena, &res.items[i], NULL, 0, w->user);
		if (res.snippets && res.snippets[i])
			json_object_set_new(o, "snippet", snippet_json(res.snippets[i]));
		json_array_append_new(items, o);
	}
	json_t *o = json_object();
	json_object_set_new(o, "works", items);
	json_object_set_new(o, "page", json_integer(st.page));
	json_object_set_new(o, "per_page", json_integer(per_page));
	json_object_set_new(o, "total", json_integer(res.total));
	json_object_set_new(o, "total_capped", json_boolean(res.total_capped));
	json_object_set_new(o, "facets", facets_json(&res));
	json_object_set_new(o, "facets_sampled", json_boolean(res.facets_sampled));
	web_json(w, 200, o);
}
