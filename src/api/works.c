/* API v1 works: list, create (with the first chapter), read, partial update, delete. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/work.h"
#include "core/err.h"
#include "web/pages/pages.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PER_PAGE_DEFAULT 20
#define LIST_PER_PAGE_MAX 100

/* A positive decimal query value, def when absent; 0 when present but not a positive number <= max. */
static long query_positive(struct web_req *w, const char *key, long def, long max)
{
	const char *s = kv_get(&w->req->query, key);
	if (!s)
		return def;
	size_t n = strlen(s);
	if (n == 0 || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	long v = strtol(s, NULL, 10);
	return v >= 1 && v <= max ? v : 0;
}

void api_works_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct field_errors errs = {0};
	long page = query_positive(w, "page", 1, 1000000);
	long per_page = query_positive(w, "per_page", LIST_PER_PAGE_DEFAULT, 1000000);
	if (!page)
		field_error(&errs, "page", "page must be a whole number from 1.");
	if (!per_page)
		field_error(&errs, "per_page", "per_page must be a whole number from 1 to 100.");
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	if (per_page > LIST_PER_PAGE_MAX)
		per_page = LIST_PER_PAGE_MAX;
	/* The query decides what is listed (no drafts here, no restricted works for guests), so the items and
	 * total always agree. */
	struct work_query q = {0};
	q.viewer_id = w->user ? w->user->id : 0;
	q.limit = (int)per_page;
	q.offset = (int)((page - 1) * per_page); /* at most 1e6 * 100: fits */
	bool nobody = false; /* creator=NAME with no such user: no works, not an error */
	const char *creator = kv_get(&w->req->query, "creator");
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
	struct work_page res = {0};
	if (rc == 0 && !nobody)
		rc = store_work_list(w->app->store, w->arena, &q, &res);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < res.n; i++)
		json_array_append_new(items, api_work_json(w->arena, &res.items[i], NULL, 0, w->user));
	json_t *o = json_object();
	json_object_set_new(o, "works", items);
	json_object_set_new(o, "page", json_integer(page));
	json_object_set_new(o, "per_page", json_integer(per_page));
	json_object_set_new(o, "total", json_integer(res.total));
	api_json(w, 200, o);
}

/* Answers status with the freshly loaded work and its chapter list. */
static void answer_work(struct web_req *w, int status, int64_t id)
{
	struct work wk;
	struct chapter *chapters = NULL;
	size_t n = 0;
	int rc = store_work_get(w->app->store, w->arena, id, &wk);
	if (rc == 0)
		rc = store_chapter_list(w->app->store, w->arena, id, false, &chapters, &n);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_json(w, status, api_work_json(w->arena, &wk, chapters, n, w->user));
}

void api_work_create(struct web_req *w)
{
	if (!api_may_post(w)) /* a confirmed address first, when the site asks */
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work_input in = {0};
	struct chapter_input cin = {0};
	const char *bad = NULL;
	json_t *ch = json_object_get(body, "chapter");
	if (ch && !json_is_object(ch) && !json_is_null(ch))
		bad = "chapter must be an object.";
	else if (api_read_work(w->arena, body, &in, &bad) == 0 && ch && json_is_object(ch))
		api_read_chapter(w->arena, ch, "chapter.", &cin, &bad);
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors errs = {0};
	struct archive_result res;
	int rc = archive_work_post(w->app->store, w->arena, w->user, &in, &cin, false, &res, &errs);
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/works/%lld", (long long)res.work.id));
	answer_work(w, 201, res.work.id);
}

void api_work_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	if (api_load_work(w, false, &wk) != 0)
		return;
	struct chapter *chapters = NULL;
	size_t n = 0;
	int rc = store_chapter_list(w->app->store, w->arena, wk.id, false, &chapters, &n);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_json(w, 200, api_work_json(w->arena, &wk, chapters, n, w->user));
}

void api_work_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work old;
	if (api_load_work(w, true, &old) != 0) {
		json_decref(body);
		return;
	}
	/* A partial update: the stored work, with what the body holds on top. */
	struct work_input in;
	api_work_input_of(&old, &in);
	const char *bad = NULL;
	api_read_work(w->arena, body, &in, &bad);
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	if (old.draft && !in.draft && !api_may_post(w)) /* a confirmed address first, when the site asks */
		return;
	struct field_errors errs = {0};
	struct archive_result res;
	int rc = archive_work_edit(w->app->store, w->arena, w->user, old.id, &in, false, &res, &errs);
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	answer_work(w, 200, old.id);
}

void api_work_delete(struct web_req *w)
{
	int rc = archive_work_delete(w->app->store, w->arena, w->user, api_param_id(w, 0));
	if (rc != 0) {
		api_fail(w, rc, NULL);
		return;
	}
	api_no_content(w);
}
