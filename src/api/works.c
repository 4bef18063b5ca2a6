/* API v1 works: create (with the first chapter), read, partial update, delete. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/suggestions.h"
#include "archive/work.h"
#include "archive/site.h"
#include "core/err.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Answers status with the work, its chapter list, its comment settings and whether it takes readers'
 * suggestions. */
static void answer(struct web_req *w, int status, const struct work *wk)
{
	struct chapter *chapters = NULL;
	size_t n = 0;
	struct response_counts counts;
	int rc = store_chapter_list(w->app->store, w->arena, wk->id, false, &chapters, &n);
	if (rc == 0)
		rc = store_response_counts(w->app->store, wk->id, 0, &counts);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	json_t *o = api_work_json(w->arena, wk, chapters, n, w->user);
	api_work_json_settings(o, &counts);
	json_object_set_new(o, "reader_suggestions", json_boolean(archive_suggestions_enabled(w->app->store, wk->id)));
	web_json(w, status, o);
}

/* The same, for the work as just written. */
static void answer_work(struct web_req *w, int status, int64_t id)
{
	struct work wk;
	int rc = store_work_get(w->app->store, w->arena, id, &wk);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	answer(w, status, &wk);
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
	if (!in.comment_settings) { /* not given: the site's default for new works */
		in.comment_settings = true;
		in.comment_policy = site_comment_default(w->app->community);
		in.comments_moderated = false;
	}
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
	answer(w, 200, &wk);
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
	struct response_counts counts;
	if (store_response_counts(w->app->store, old.id, 0, &counts) != 0) {
		json_decref(body);
		api_store_error(w, Q_ERR);
		return;
	}
	api_work_input_of(&old, &counts, &in);
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
