/* API: running a community. /api/v1/reports files a report; /api/v1/admin/... is for the tokens of moderators and
 * admins (reports, hiding and deleting works, the audit log and undoing), through the same workflows as the
 * pages (archive/reports.h, archive/moderation.h). */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/moderation.h"
#include "archive/reports.h"
#include "archive/roles.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* False after answering 403 when the caller's role lacks power p. */
static bool allowed(struct web_req *w, enum archive_power p)
{
	if (archive_may(w->user, p))
		return true;
	web_json_error(w, 403, "forbidden", "This needs the token of a moderator or an administrator whose role "
	                                    "includes it.", NULL);
	return false;
}

/* A workflow's refusal with its sentence: 404, 403, 422, 409, 429, else the store's answer. */
static void refused(struct web_req *w, int rc, const char *why, const struct field_errors *e)
{
	switch (rc) {
	case Q_ENOTFOUND: web_json_error(w, 404, "not_found", why, NULL); break;
	case Q_EPERM: web_json_error(w, 403, "forbidden", why, NULL); break;
	case Q_EINVAL:
		if (e && e->n)
			api_invalid(w, e);
		else
			web_json_error(w, 422, "invalid", why, NULL);
		break;
	case Q_EEXIST: web_json_error(w, 409, "conflict", why, NULL); break;
	case Q_EBUSY: web_json_error(w, 429, "too_many", why, NULL); break;
	default: api_store_error(w, rc); break;
	}
}

static json_t *entry_json(const struct mod_entry *e)
{
	json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at",
	                      api_time_json(e->created_at), "actor", e->actor_name, "action", e->action, "target_kind",
	                      e->target_kind, "target_id", (json_int_t)e->target_id, "target", e->target_name, "subject",
	                      e->subject_name, "reason", e->reason, "detail", e->detail);
	json_object_set_new(o, "report_id", e->report_id ? json_integer(e->report_id) : json_null());
	json_object_set_new(o, "undoes", e->undoes ? json_integer(e->undoes) : json_null());
	json_object_set_new(o, "undone_by", e->undone_by ? json_integer(e->undone_by) : json_null());
	return o;
}

static json_t *report_json(const struct report *r)
{
	json_t *o = json_pack("{s:I, s:o, s:o, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "created_at",
	                      api_time_json(r->created_at), "updated_at", api_time_json(r->updated_at), "kind",
	                      r->target_kind, "target_id", (json_int_t)r->target_id, "category", r->category, "body",
	                      r->body, "status", report_status_name(r->status), "reported_title", r->reported_title,
	                      "reported_text", r->reported_text);
	json_object_set_new(o, "work_id", r->work_id ? json_integer(r->work_id) : json_null());
	json_object_set_new(o, "subject", r->subject_name ? json_string(r->subject_name) : json_null());
	json_object_set_new(o, "reporter", r->reporter_id && r->reporter_name ? json_string(r->reporter_name) : json_null());
	json_object_set_new(o, "reporter_email", *r->reporter_email ? json_string(r->reporter_email) : json_null());
	json_object_set_new(o, "assignee", r->assignee_name ? json_string(r->assignee_name) : json_null());
	return o;
}

/* A string member of body, "" when absent; NULL (after answering 422) when it is there and not a string. */
static const char *member(struct web_req *w, json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v))
		return "";
	if (!json_is_string(v)) {
		struct field_errors e = {0};
		field_error(&e, key, arena_printf(w->arena, "%s must be a string.", key));
		api_invalid(w, &e);
		return NULL;
	}
	return arena_strdup(w->arena, json_string_value(v));
}

static int64_t int_member(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (int64_t)json_integer_value(v) : 0;
}

/* ---- Reports ---------------------------------------------------------------------------------- */

void api_report_create(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	struct report_input in = {.id = int_member(body, "id")};
	if (!(in.kind = member(w, body, "kind")) || !(in.category = member(w, body, "category")) ||
	    !(in.body = member(w, body, "body"))) {
		json_decref(body);
		return;
	}
	json_decref(body);
	struct field_errors e = {0};
	const char *why = NULL;
	int64_t id = 0;
	int retry = 0;
	int rc = report_submit(w->app->community, w->arena, w->user, w->req->client_key, &in, &id, &e, &why, &retry);
	if (rc == Q_EBUSY)
		http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry));
	if (rc) {
		refused(w, rc, why, &e);
		return;
	}
	web_json(w, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "open"));
}

void api_admin_reports(struct web_req *w)
{
	if (!allowed(w, POWER_REPORTS))
		return;
	const char *s = kv_get(&w->req->query, "status"), *b = kv_get(&w->req->query, "before");
	int status = s && *s && strcmp(s, "all") ? report_status_parse(s) : s && !strcmp(s, "all") ? -1 : REPORT_OPEN;
	if (s && *s && strcmp(s, "all") && status < 0) {
		struct field_errors e = {0};
		field_error(&e, "status", "status is open, in_progress, resolved, rejected or all.");
		api_invalid(w, &e);
		return;
	}
	int64_t before = b && *b && strlen(b) <= 18 && strspn(b, "0123456789") == strlen(b) ? atoll(b) : 0;
	struct report *list;
	size_t n;
	int rc = store_report_list(w->app->store, w->arena, status, 0, before, 51, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < 50; i++)
		json_array_append_new(items, report_json(&list[i]));
	web_json(w, 200, json_pack("{s:o, s:o}", "reports", items, "next_before",
	                           n > 50 ? json_integer(list[49].id) : json_null()));
}

void api_admin_report_get(struct web_req *w)
{
	if (!allowed(w, POWER_REPORTS))
		return;
	struct report r;
	int rc = store_report_get(w->app->store, w->arena, api_param_id(w, 0), &r);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	struct report_note *notes;
	size_t n;
	if ((rc = store_report_notes(w->app->store, w->arena, r.id, &notes, &n))) {
		api_store_error(w, rc);
		return;
	}
	json_t *o = report_json(&r), *jn = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(jn, json_pack("{s:s, s:s, s:o}", "author", notes[i].author_name, "body", notes[i].body,
		                                    "at", api_time_json(notes[i].created_at)));
	json_object_set_new(o, "notes", jn);
	web_json(w, 200, o);
}

void api_admin_report_update(struct web_req *w)
{
	if (!allowed(w, POWER_REPORTS))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	const char *status = member(w, body, "status"), *assignee = status ? member(w, body, "assignee") : NULL,
	           *note = assignee ? member(w, body, "note") : NULL;
	bool unassign = json_is_null(json_object_get(body, "assignee"));
	json_decref(body);
	if (!note)
		return;
	int st = *status ? report_status_parse(status) : -1;
	if (*status && st < 0) {
		struct field_errors e = {0};
		field_error(&e, "status", "status is open, in_progress, resolved or rejected.");
		api_invalid(w, &e);
		return;
	}
	int64_t who = -1;
	if (unassign)
		who = 0;
	else if (*assignee) {
		struct user u;
		if (store_user_get_by_name(w->app->store, w->arena, assignee, &u) != 0) {
			web_json_error(w, 422, "invalid", "There is no moderator by that name.", NULL);
			return;
		}
		who = u.id;
	}
	const char *why = NULL;
	int64_t id = api_param_id(w, 0);
	int rc = report_update(w->app->community, w->arena, w->user, id, st, who, &why);
	if (rc == 0 && *note)
		rc = report_add_note(w->app->community, w->arena, w->user, id, note, &why);
	if (rc) {
		refused(w, rc, why, NULL);
		return;
	}
	api_admin_report_get(w);
}

/* ---- Works ------------------------------------------------------------------------------------ */

static void work_action(struct web_req *w, bool hide)
{
	if (!allowed(w, hide ? POWER_HIDE_WORKS : POWER_DELETE_WORKS))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct mod_request rq = {.actor = w->user, .report_id = int_member(body, "report_id")};
	rq.reason = member(w, body, "reason");
	json_decref(body);
	if (!rq.reason)
		return;
	const char *why = NULL;
	int64_t log_id = 0;
	int rc = hide ? mod_work_hide(w->app->community, w->arena, &rq, api_param_id(w, 0), &log_id, &why)
	              : mod_work_delete(w->app->community, w->arena, &rq, api_param_id(w, 0), &log_id, &why);
	if (rc) {
		refused(w, rc, why, NULL);
		return;
	}
	struct mod_entry e;
	if ((rc = store_mod_log_get(w->app->store, w->arena, log_id, &e))) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, json_pack("{s:o}", "entry", entry_json(&e)));
}

void api_admin_work_hide(struct web_req *w)
{
	work_action(w, true);
}

void api_admin_work_delete(struct web_req *w)
{
	work_action(w, false);
}

/* ---- The audit log ---------------------------------------------------------------------------- */

void api_admin_log(struct web_req *w)
{
	if (!allowed(w, POWER_LOG))
		return;
	struct mod_log_query q = {.limit = 51};
	const char *b = kv_get(&w->req->query, "before");
	q.action = kv_get(&w->req->query, "action");
	q.actor = kv_get(&w->req->query, "actor");
	q.subject = kv_get(&w->req->query, "subject");
	q.before_id = b && *b && strlen(b) <= 18 && strspn(b, "0123456789") == strlen(b) ? atoll(b) : 0;
	if ((q.action && strlen(q.action) > 100) || (q.actor && strlen(q.actor) > 100) ||
	    (q.subject && strlen(q.subject) > 100)) {
		web_json_error(w, 422, "invalid", "Filters are at most 100 bytes long.", NULL);
		return;
	}
	if (q.action && !*q.action)
		q.action = NULL;
	if (q.actor && !*q.actor)
		q.actor = NULL;
	if (q.subject && !*q.subject)
		q.subject = NULL;
	struct mod_entry *list;
	size_t n;
	int rc = store_mod_log_list(w->app->store, w->arena, &q, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < 50; i++)
		json_array_append_new(items, entry_json(&list[i]));
	web_json(w, 200, json_pack("{s:o, s:o}", "entries", items, "next_before",
	                           n > 50 ? json_integer(list[49].id) : json_null()));
}

void api_admin_log_undo(struct web_req *w)
{
	if (!allowed(w, POWER_LOG))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct mod_request rq = {.actor = w->user};
	rq.reason = member(w, body, "reason");
	json_decref(body);
	if (!rq.reason)
		return;
	const char *why = NULL;
	int64_t id = 0;
	int rc = mod_undo(w->app->community, w->arena, &rq, api_param_id(w, 0), &id, &why);
	if (rc) {
		refused(w, rc, why, NULL);
		return;
	}
	struct mod_entry e;
	if ((rc = store_mod_log_get(w->app->store, w->arena, id, &e))) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, json_pack("{s:o}", "entry", entry_json(&e)));
}

/* ---- Accounts, comments, bookmarks ------------------------------------------------------------- */

static json_t *sanction_json(const struct user_sanction *x)
{
	return json_pack("{s:s, s:o, s:s, s:I}", "kind", x->kind == SANCTION_BANNED ? "banned" : "suspended", "until",
	                 x->until ? api_time_json(x->until) : json_null(), "reason", x->reason, "log_id",
	                 (json_int_t)x->log_id);
}

/* The account named by path parameter 0; false after answering 404. */
static bool account(struct web_req *w, struct user *u)
{
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], u);
	if (rc == 0 && !strcmp(u->role, "orphan"))
		rc = Q_ENOTFOUND;
	if (rc)
		refused(w, rc, "There is no such account.", NULL);
	return rc == 0;
}

void api_admin_user_get(struct web_req *w)
{
	struct user u;
	if (!allowed(w, POWER_SUSPEND) || !account(w, &u))
		return;
	json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)u.id, "name", u.name, "role", u.role, "created_at",
	                      api_time_json(u.created_at));
	if (archive_is_admin(w->user))
		json_object_set_new(o, "email", json_string(u.email));
	struct user_sanction x;
	int64_t now = (int64_t)time(NULL);
	json_object_set_new(o, "sanction", store_user_sanction_get(w->app->store, w->arena, u.id, &x) == 0 &&
	                                           (!x.until || x.until > now) ? sanction_json(&x) : json_null());
	web_json(w, 200, o);
}

/* Answers an action's log entry (200), or its refusal. */
static void answer_entry(struct web_req *w, int rc, int64_t log_id, const char *why, const struct field_errors *e)
{
	if (rc) {
		refused(w, rc, why, e);
		return;
	}
	struct mod_entry entry;
	if ((rc = store_mod_log_get(w->app->store, w->arena, log_id, &entry))) {
		api_store_error(w, rc);
		return;
	}
	web_json(w, 200, json_pack("{s:o}", "entry", entry_json(&entry)));
}

/* The body's reason (and report_id) into rq; NULL body after answering. */
static json_t *action_body(struct web_req *w, struct mod_request *rq)
{
	json_t *body = api_body(w);
	if (!body)
		return NULL;
	*rq = (struct mod_request){.actor = w->user, .report_id = int_member(body, "report_id")};
	if (!(rq->reason = member(w, body, "reason"))) {
		json_decref(body);
		return NULL;
	}
	return body;
}

static void sanction(struct web_req *w, bool ban)
{
	struct user u;
	struct mod_request rq;
	if (!allowed(w, ban ? POWER_BAN : POWER_SUSPEND) || !account(w, &u))
		return;
	json_t *body = action_body(w, &rq);
	if (!body)
		return;
	json_t *d = json_object_get(body, "days");
	int days = ban ? 0 : json_is_integer(d) ? (int)json_integer_value(d) : -1;
	bool hide = json_is_true(json_object_get(body, "hide_works"));
	json_decref(body);
	if (!ban && (days < 1 || days > MOD_SUSPEND_DAYS_MAX)) {
		struct field_errors e = {0};
		field_error(&e, "days", "days is a whole number from 1 to 365.");
		api_invalid(w, &e);
		return;
	}
	const char *why = NULL;
	int64_t id = 0;
	int rc = mod_user_sanction(w->app->community, w->arena, &rq, u.id, days, hide, &id, &why);
	answer_entry(w, rc, id, why, NULL);
}

void api_admin_user_suspend(struct web_req *w)
{
	sanction(w, false);
}

void api_admin_user_ban(struct web_req *w)
{
	sanction(w, true);
}

void api_admin_user_lift(struct web_req *w)
{
	struct user u;
	struct mod_request rq;
	if (!allowed(w, POWER_SUSPEND) || !account(w, &u))
		return;
	json_t *body = action_body(w, &rq);
	if (!body)
		return;
	json_decref(body);
	const char *why = NULL;
	int64_t id = 0;
	int rc = mod_user_lift(w->app->community, w->arena, &rq, u.id, &id, &why);
	answer_entry(w, rc, id, why, NULL);
}

void api_admin_user_rename(struct web_req *w)
{
	struct user u;
	struct mod_request rq;
	if (!allowed(w, POWER_RENAME) || !account(w, &u))
		return;
	json_t *body = action_body(w, &rq);
	if (!body)
		return;
	const char *name = member(w, body, "name");
	json_decref(body);
	if (!name)
		return;
	struct field_errors e = {0};
	const char *why = NULL;
	int64_t id = 0;
	int rc = mod_user_rename(w->app->community, w->arena, &rq, u.id, name, &id, &e, &why);
	answer_entry(w, rc, id, why, &e);
}

void api_admin_user_role(struct web_req *w)
{
	struct user u;
	struct mod_request rq;
	if (!allowed(w, POWER_ROLES) || !account(w, &u))
		return;
	json_t *body = action_body(w, &rq);
	if (!body)
		return;
	const char *role = member(w, body, "role");
	json_decref(body);
	if (!role)
		return;
	const char *why = NULL;
	int64_t id = 0;
	int rc = mod_role_set(w->app->community, w->arena, &rq, u.id, role, &id, &why);
	answer_entry(w, rc, id, why, NULL);
}

/* A moderation action on the thing whose id is path parameter 0. */
static void simple(struct web_req *w, enum archive_power p,
                   int (*fn)(struct community *, struct arena *, const struct mod_request *, int64_t, int64_t *,
                             const char **))
{
	struct mod_request rq;
	if (!allowed(w, p))
		return;
	json_t *body = action_body(w, &rq);
	if (!body)
		return;
	json_decref(body);
	const char *why = NULL;
	int64_t id = 0;
	int rc = fn(w->app->community, w->arena, &rq, api_param_id(w, 0), &id, &why);
	answer_entry(w, rc, id, why, NULL);
}

void api_admin_comment_delete(struct web_req *w)
{
	simple(w, POWER_COMMENTS, mod_comment_delete);
}

void api_admin_work_lock(struct web_req *w)
{
	simple(w, POWER_COMMENTS, mod_comments_lock);
}

void api_admin_bookmark_remove(struct web_req *w)
{
	simple(w, POWER_BOOKMARKS, mod_bookmark_remove);
}
