/* API v1 chapters: add to a work, read, partial update, delete (never the last one), reorder. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/chapter.h"
#include "core/err.h"

/* Loads the chapter whose id is path parameter 1 and belongs to work_id; answers 404 itself. */
static int load_chapter(struct web_req *w, int64_t work_id, struct chapter *out)
{
	int64_t id = api_param_id(w, 1);
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
	if (!api_may_post(w)) /* a confirmed address first, when the site asks */
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work wk;
	if (api_load_work(w, true, &wk) != 0) {
		json_decref(body);
		return;
	}
	struct chapter_input in = {0};
	if (read_body(w, body, &in) != 0)
		return;
	struct field_errors errs = {0};
	struct archive_result res;
	int rc = archive_chapter_add(w->app->store, w->arena, w->user, wk.id, &in, false, &res, &errs);
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/works/%lld/chapters/%lld", (long long)wk.id,
	                             (long long)res.chapter.id));
	answer_chapter(w, 201, wk.id, res.chapter.id);
}

void api_chapter_get(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	struct chapter c;
	if (api_load_work(w, false, &wk) != 0 || load_chapter(w, wk.id, &c) != 0)
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
	if (api_load_work(w, true, &wk) != 0 || load_chapter(w, wk.id, &old) != 0) {
		json_decref(body);
		return;
	}
	/* A partial update: the stored chapter, with what the body holds on top. */
	struct chapter_input in;
	api_chapter_input_of(&old, &in);
	if (read_body(w, body, &in) != 0)
		return;
	struct field_errors errs = {0};
	struct archive_result res;
	int rc = archive_chapter_edit(w->app->store, w->arena, w->user, wk.id, old.id, &in, false, &res, &errs);
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	answer_chapter(w, 200, wk.id, old.id);
}

void api_chapter_delete(struct web_req *w)
{
	struct field_errors errs = {0};
	int rc = archive_chapter_delete(w->app->store, w->arena, w->user, api_param_id(w, 0), api_param_id(w, 1),
	                                &errs);
	if (rc == Q_EINVAL) {
		web_json_error(w, 422, "last_chapter", "This is the work's only chapter; delete the work instead.", NULL);
		return;
	}
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	api_no_content(w);
}

/* {"order": [chapter ids]}: the chapters named move to those places in that order (1, 2, ...); chapters
 * left out keep their positions. Answers the work with its chapter list. */
void api_chapters_reorder(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work wk;
	if (api_load_work(w, true, &wk) != 0) {
		json_decref(body);
		return;
	}
	json_t *order = json_object_get(body, "order");
	const char *bad = NULL;
	size_t n = json_is_array(order) ? json_array_size(order) : 0;
	struct archive_position *pos = arena_calloc(w->arena, n + 1, sizeof *pos);
	if (!json_is_array(order))
		bad = "order must be an array of chapter ids.";
	for (size_t i = 0; !bad && i < n; i++) {
		json_t *id = json_array_get(order, i);
		if (!json_is_integer(id))
			bad = arena_printf(w->arena, "order[%zu] must be a chapter id (an integer).", i);
		else
			pos[i] = (struct archive_position){.chapter_id = json_integer_value(id), .position = (long)i + 1};
	}
	json_decref(body);
	if (bad) {
		api_bad_json(w, bad);
		return;
	}
	struct field_errors errs = {0};
	int rc = archive_chapter_reorder(w->app->store, w->arena, w->user, wk.id, pos, n, &errs);
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	struct chapter *chapters = NULL;
	size_t count = 0;
	rc = store_work_get(w->app->store, w->arena, wk.id, &wk);
	if (rc == 0)
		rc = store_chapter_list(w->app->store, w->arena, wk.id, false, &chapters, &count);
	if (rc != 0) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, api_work_json(w->arena, &wk, chapters, count, w->user));
}
