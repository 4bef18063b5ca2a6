/* API v1: readers' suggestions on a passage. GET/POST /api/v1/chapters/CID/suggestions (a chapter's: all for
 * its work's creators, a reader's own for a reader), POST /api/v1/suggestions/ID/accept|dismiss|reply. */
#include "api/api.h"
#include "api/api_int.h"
#include "archive/suggestions.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/timefmt.h"
#include <string.h>

static json_t *suggestion_json(struct web_req *w, const struct reader_suggestion *s)
{
	char when[TIME_ISO_LEN];
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)s->id, "work_id",
	                      (json_int_t)s->work_id, "chapter_id", (json_int_t)s->chapter_id, "user",
	                      s->user_name ? s->user_name : "", "quote", s->quote, "prefix", s->prefix ? s->prefix : "",
	                      "suffix", s->suffix ? s->suffix : "", "state", archive_suggestion_state_name(s->state),
	                      "created_at", time_iso(s->created_at, when));
	json_object_set_new(o, "replacement", s->replacement ? json_string(s->replacement) : json_null());
	json_object_set_new(o, "note", s->note ? json_string(s->note) : json_null());
	json_object_set_new(o, "reply", s->reply ? json_string(s->reply) : json_null());
	return o;
}

static void refused(struct web_req *w, int rc, const char *why, const struct field_errors *e)
{
	if (rc == Q_EINVAL && e && e->n)
		api_invalid(w, e);
	else if (rc == Q_EPERM)
		web_json_error(w, 403, "forbidden", why ? why : "Not allowed.", NULL);
	else if (rc == Q_EINVAL)
		web_json_error(w, 409, "conflict", why ? why : "Not possible now.", NULL);
	else if (rc == Q_EBUSY) {
		http_response_header(w->resp, w->arena, "Retry-After", "900");
		web_json_error(w, 429, "rate_limited", why, NULL);
	} else if (rc == Q_ETOOBIG)
		web_json_error(w, 422, "too_many", why, NULL);
	else
		api_store_error(w, rc);
}

/* The chapter of path parameter 0 and its work, as u may see them (404 answered). */
static int load_chapter(struct web_req *w, struct work *wk, int64_t *chapter_id)
{
	int64_t cid = api_param_id(w, 0), work_id = 0;
	int rc = cid ? store_chapter_work(w->app->store, cid, &work_id) : Q_ENOTFOUND;
	if (rc == 0)
		rc = archive_work_load(w->app->store, w->arena, w->user, work_id, false, wk);
	if (rc) {
		api_store_error(w, rc);
		return rc;
	}
	*chapter_id = cid;
	return 0;
}

void api_suggestions_list(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	struct work wk;
	int64_t cid;
	if (load_chapter(w, &wk, &cid) != 0)
		return;
	const char *st = kv_get(&w->req->query, "state");
	int state = !st || !strcmp(st, "all") ? -1 : !strcmp(st, "open") ? SUGGESTION_OPEN
	            : !strcmp(st, "accepted") ? SUGGESTION_ACCEPTED : !strcmp(st, "dismissed") ? SUGGESTION_DISMISSED : -2;
	if (state == -2) {
		web_json_error(w, 400, "bad_query", "state is one of open, accepted, dismissed, all.", NULL);
		return;
	}
	/* The writer sees every suggestion on the chapter; a reader only their own (they are private). */
	struct suggestion_query q = {.chapter_id = cid, .user_id = work_is_creator(&wk, w->user) ? 0 : w->user->id,
	                             .state = state, .limit = 200};
	struct reader_suggestion *list = NULL;
	size_t n = 0;
	int rc = store_suggestions_list(w->app->store, w->arena, &q, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, suggestion_json(w, &list[i]));
	web_json(w, 200, json_pack("{s:o}", "suggestions", arr));
}

void api_suggestion_create(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct work wk;
	int64_t cid;
	if (load_chapter(w, &wk, &cid) != 0) {
		json_decref(body);
		return;
	}
	const char *names[] = {"quote", "prefix", "suffix", "replacement", "note"};
	const char *vals[5] = {0};
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(body, names[i]);
		if (v && !json_is_null(v) && !json_is_string(v)) {
			json_decref(body);
			api_bad_json(w, arena_printf(w->arena, "\"%s\" must be a string.", names[i]));
			return;
		}
		vals[i] = json_is_string(v) ? arena_strdup(w->arena, json_string_value(v)) : "";
	}
	json_decref(body);
	struct suggestion_input in = {vals[0], vals[1], vals[2], vals[3], vals[4]};
	struct field_errors errors = {0};
	const char *why = NULL;
	int64_t id = 0;
	int rc = archive_suggestion_create(w->app->store, w->arena, w->user, wk.id, cid, &in, &id, &errors, &why);
	if (rc) {
		refused(w, rc, why, &errors);
		return;
	}
	struct reader_suggestion s;
	if ((rc = store_suggestion_get(w->app->store, w->arena, id, &s)) != 0) {
		api_store_error(w, rc);
		return;
	}
	api_location(w, arena_cat_id(w->arena, "/api/v1/chapters/", cid, "/suggestions"));
	web_json(w, 201, suggestion_json(w, &s));
}

/* Answers the suggestion of path parameter 0 as it is now. */
static void answer(struct web_req *w, int rc, const char *why, const struct field_errors *e)
{
	if (rc) {
		refused(w, rc, why, e);
		return;
	}
	struct reader_suggestion s;
	if ((rc = store_suggestion_get(w->app->store, w->arena, api_param_id(w, 0), &s)) != 0) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, suggestion_json(w, &s));
}

void api_suggestion_accept(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	const char *why = NULL;
	int rc = archive_suggestion_accept(w->app->store, w->arena, w->user, api_param_id(w, 0), &why);
	answer(w, rc, why, NULL);
}

void api_suggestion_dismiss(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	const char *why = NULL;
	int rc = archive_suggestion_dismiss(w->app->store, w->arena, w->user, api_param_id(w, 0), &why);
	answer(w, rc, why, NULL);
}

void api_suggestion_reply(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *r = json_object_get(body, "reply");
	if (!json_is_string(r)) {
		json_decref(body);
		api_bad_json(w, "\"reply\" must be a string.");
		return;
	}
	const char *reply = arena_strdup(w->arena, json_string_value(r));
	json_decref(body);
	const char *why = NULL;
	struct field_errors errors = {0};
	int rc = archive_suggestion_reply(w->app->store, w->arena, w->user, api_param_id(w, 0), reply, &errors, &why);
	answer(w, rc, why, &errors);
}
