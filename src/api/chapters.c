/* API v1 chapters: add to a work, read, partial update, delete (never the last one). */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "core/err.h"
#include "web/pages/pages.h"

/* Loads the chapter whose id is path parameter 1 and belongs to work_id; answers 404 itself. */
static int load_chapter(struct web_req *w, int64_t work_id, struct chapter *out)
{
	int64_t id = web_param_id(w, 1);
	int rc = id ? store_chapter_get(w->app->store, w->arena, work_id, id, out) : Q_ENOTFOUND;
	if (rc == 0 && out->work_id != work_id)
		rc = Q_ENOTFOUND;
	if (rc != 0)
		api_store_error(w, rc);
	return rc;
}

/* Answers status with the freshly loaded chapter (content included). */
static void answer_chapter(struct web_req *w, int status, int64_t work_id, int64_t chapter_id)
{
	struct chapter c;
	int rc = store_chapter_get(w->app->store, w->arena, work_id, chapter_id, &c);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, status, api_chapter_json(w->arena, &c));
}

/* Reads the body into in; answers 400 itself. */
static int read_body(struct web_req *w, json_t *body, struct chapter_input *in)
{
	const char *bad = NULL;
	api_read_chapter(w->arena, body, "", in, &bad);
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return Q_EINVAL;
	}
	return 0;
}

void api_chapter_create(struct web_req *w)
{
	if (!mail_web_may_post(w)) /* mail: a confirmed address first, when the site asks */
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work wk;
	if (api_load_work(w, API_EDIT, &wk) != 0) {
		json_decref(body);
		return;
	}
	struct chapter_input in = {0};
	if (read_body(w, body, &in) != 0)
		return;
	struct field_errors errs = {0};
	struct chapter c = {0};
	if (chapter_rules_build(w->arena, &in, "", &c, &errs) != 0 || errs.n) {
		api_invalid(w, &errs);
		return;
	}
	/* The store places it last and dates it (published now unless the work is a draft). */
	c.work_id = wk.id;
	c.position = wk.chapter_count + 1;
	int64_t id = 0;
	int rc = store_chapter_create(w->app->store, &c, &id);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/works/%lld/chapters/%lld", (long long)wk.id, (long long)id));
	answer_chapter(w, 201, wk.id, id);
}

void api_chapter_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	struct chapter c;
	if (api_load_work(w, API_VIEW, &wk) != 0 || load_chapter(w, wk.id, &c) != 0)
		return;
	web_json(w, 200, api_chapter_json(w->arena, &c));
}

void api_chapter_update(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work wk;
	struct chapter old;
	if (api_load_work(w, API_EDIT, &wk) != 0 || load_chapter(w, wk.id, &old) != 0) {
		json_decref(body);
		return;
	}
	struct chapter_input in;
	api_chapter_input_of(&old, &in);
	if (read_body(w, body, &in) != 0)
		return;
	struct field_errors errs = {0};
	/* The rules overwrite only what the submission decides: id, position and dates stay. */
	struct chapter c = old;
	if (chapter_rules_build(w->arena, &in, "", &c, &errs) != 0 || errs.n) {
		api_invalid(w, &errs);
		return;
	}
	int rc = store_chapter_update(w->app->store, &c);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	answer_chapter(w, 200, wk.id, old.id);
}

void api_chapter_delete(struct web_req *w)
{
	struct work wk;
	struct chapter c;
	if (api_load_work(w, API_EDIT, &wk) != 0 || load_chapter(w, wk.id, &c) != 0)
		return;
	/* A work is its chapters: the last one goes only with the work (DELETE the work instead). */
	if (wk.chapter_count <= 1) {
		web_json_error(w, 422, "last_chapter", "This is the work's only chapter; delete the work instead.", NULL);
		return;
	}
	int rc = store_chapter_delete(w->app->store, wk.id, c.id);
	if (rc == Q_EINVAL) {
		/* the store's own guard: another request removed the other chapters meanwhile */
		web_json_error(w, 422, "last_chapter", "This is the work's only chapter; delete the work instead.", NULL);
		return;
	}
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	api_no_content(w);
}
