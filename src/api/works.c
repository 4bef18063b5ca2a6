/* API v1 works: list, create (with the first chapter), read, partial update, delete. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "core/err.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Each name is a lookup; a ceiling keeps one request from turning into thousands of them. */
#define COAUTHORS_MAX 20

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
