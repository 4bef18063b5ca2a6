/* API v1 works: list, create (with the first chapter), read, partial update, delete. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "core/err.h"
#include "web/pages/pages.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PER_PAGE_DEFAULT 20
#define LIST_PER_PAGE_MAX 100
/* Each name is a lookup; a ceiling keeps one request from turning into thousands of them. */
#define COAUTHORS_MAX 20

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
	for (size_t i = 0; i < res.n; i++) {
		/* The query already keeps drafts and (for guests) restricted works out; this is the same rule
		 * the single-work endpoint applies, so the two can never disagree. */
		if (res.items[i].draft || !work_can_view(&res.items[i], w->user))
			continue;
		json_array_append_new(items, api_work_json(w->arena, &res.items[i], NULL, 0, w->user));
	}
	json_t *o = json_object();
	json_object_set_new(o, "works", items);
	json_object_set_new(o, "page", json_integer(page));
	json_object_set_new(o, "per_page", json_integer(per_page));
	json_object_set_new(o, "total", json_integer(res.total));
	web_json(w, 200, o);
}

/* The ids of the users named in in->coauthors (see work_resolve_coauthors), less those already on w (NULL
 * for a new work). Problems are field errors; a store failure is returned. *ids is arena memory. */
static int coauthor_ids(struct web_req *wr, const struct work_input *in, const struct work *w, int64_t **ids,
                        size_t *n, struct field_errors *errs)
{
	*ids = NULL;
	*n = 0;
	if (in->coauthors.n == 0 || field_error_get(errs, "coauthors"))
		return 0;
	if (in->coauthors.n > COAUTHORS_MAX) {
		field_error(errs, "coauthors",
		            arena_printf(wr->arena, "Invite at most %d co-creators at once.", COAUTHORS_MAX));
		return 0;
	}
	int rc = work_resolve_coauthors(wr->app->store, wr->arena, &in->coauthors, wr->user->id, ids, n, errs);
	if (rc == Q_EINVAL)
		return 0;
	if (rc != 0)
		return rc;
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		bool on = false;
		for (size_t j = 0; w && j < w->ncreators; j++)
			on = on || w->creators[j].user_id == (*ids)[i];
		if (!on)
			(*ids)[kept++] = (*ids)[i];
	}
	*n = kept;
	return 0;
}

static int invite_all(struct web_req *w, int64_t work_id, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = store_work_invite(w->app->store, work_id, ids[i]);
		if (rc != 0 && rc != Q_EEXIST)
			return rc;
	}
	return 0;
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
	web_json(w, status, api_work_json(w->arena, &wk, chapters, n, w->user));
}

void api_work_create(struct web_req *w)
{
	if (!mail_web_may_post(w)) /* mail: a confirmed address first, when the site asks */
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
	struct work wk = {0};
	struct chapter first = {0};
	int64_t *ids = NULL;
	size_t nids = 0;
	work_rules_build(w->arena, &in, &wk, &errs);
	chapter_rules_build(w->arena, &cin, "chapter.", &first, &errs);
	int rc = coauthor_ids(w, &in, NULL, &ids, &nids, &errs);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	/* The owner first, then the invitations: the store writes them in the work's own transaction. */
	wk.creators = arena_calloc(w->arena, nids + 1, sizeof *wk.creators);
	wk.creators[0] = (struct creator){.user_id = w->user->id, .name = w->user->name, .accepted = true};
	for (size_t i = 0; i < nids; i++)
		wk.creators[i + 1] = (struct creator){.user_id = ids[i], .accepted = false};
	wk.ncreators = nids + 1;
	int64_t work_id = 0, chapter_id = 0;
	rc = store_work_create(w->app->store, &wk, &first, w->user->id, &work_id, &chapter_id);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/works/%lld", (long long)work_id));
	answer_work(w, 201, work_id);
}

void api_work_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	if (api_load_work(w, API_VIEW, &wk) != 0)
		return;
	struct chapter *chapters = NULL;
	size_t n = 0;
	int rc = store_chapter_list(w->app->store, w->arena, wk.id, false, &chapters, &n);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, api_work_json(w->arena, &wk, chapters, n, w->user));
}

void api_work_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work old;
	if (api_load_work(w, API_EDIT, &old) != 0) {
		json_decref(body);
		return;
	}
	struct work_input in;
	api_work_input_of(&old, &in);
	const char *bad = NULL;
	api_read_work(w->arena, body, &in, &bad);
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}

	struct field_errors errs = {0};
	int64_t *ids = NULL;
	size_t nids = 0;
	if (!old.draft && in.draft)
		field_error(&errs, "draft", "A posted work cannot become a draft again.");
	if (old.draft && !in.draft && !mail_web_may_post(w)) /* mail: posting needs a confirmed address */
		return;
	/* The rules overwrite only what the submission decides; id, dates, counts and creators stay. */
	struct work wk = old;
	work_rules_build(w->arena, &in, &wk, &errs);
	int rc = coauthor_ids(w, &in, &old, &ids, &nids, &errs);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	if (errs.n) {
		api_invalid(w, &errs);
		return;
	}
	rc = store_work_update(w->app->store, &wk);
	if (rc == 0)
		rc = invite_all(w, old.id, ids, nids);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	answer_work(w, 200, old.id);
}

void api_work_delete(struct web_req *w)
{
	struct work wk;
	if (api_load_work(w, API_EDIT, &wk) != 0)
		return;
	int rc = store_work_delete(w->app->store, wk.id);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_no_content(w);
}
