/* Abuse reports: the form everyone has (/reports/new), and the moderators' queue (/admin/reports) with each
 * report's reported and current text side by side, status, assignment, internal notes and one-click actions. */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/moderation.h"
#include "archive/reports.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define REPORTS_PER_PAGE 50

static const char *const kind_labels[][2] = {
	{"work", "work"}, {"chapter", "chapter"}, {"comment", "comment"}, {"bookmark", "bookmark"}, {"user", "profile"},
};

static const char *kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kind_labels / sizeof kind_labels[0]; i++)
		if (!strcmp(kind, kind_labels[i][0]))
			return kind_labels[i][1];
	return "item";
}

static int64_t query_id(struct web_req *w, const char *key)
{
	const char *s = kv_get(&w->req->query, key);
	if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtoll(s, NULL, 10);
}

/* ---- The report form ----------------------------------------------------------------------------------- */

static void render_form(struct web_req *w, int status, const struct report_target *t, const struct report_input *in,
                        const struct field_errors *e, const char *error)
{
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	json_object_set_new(d, "kind", json_string(t->kind));
	json_object_set_new(d, "kind_label", json_string(kind_label(t->kind)));
	json_object_set_new(d, "id", json_integer(t->id));
	json_object_set_new(d, "title", json_string(t->title));
	json_object_set_new(d, "url", json_string(t->url));
	json_object_set_new(d, "guest", json_boolean(w->user == NULL));
	json_t *cats = json_array();
	for (size_t i = 0; report_categories[i].key; i++)
		json_array_append_new(cats, json_pack("{s:s, s:s, s:b}", "key", report_categories[i].key, "label",
		                                      report_categories[i].label,
		                                      "checked", in && in->category && !strcmp(in->category, report_categories[i].key)));
	json_object_set_new(d, "categories", cats);
	json_object_set_new(d, "body", json_string(in && in->body ? in->body : ""));
	json_object_set_new(d, "email", json_string(in && in->email ? in->email : ""));
	json_object_set_new(d, "max", json_integer(REPORT_BODY_MAX));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	json_t *errs = json_object();
	for (size_t i = 0; e && i < e->n; i++)
		json_object_set_new(errs, e->items[i].field, json_string(e->items[i].message));
	json_object_set_new(d, "errors", errs);
	web_render(w, status, "reports/new", arena_printf(w->arena, "Report this %s", kind_label(t->kind)), d);
}

void page_report_new(struct web_req *w)
{
	const char *kind = kv_get(&w->req->query, "kind");
	struct report_target t;
	int rc = report_target_load(w->app->store, w->arena, w->user, kind, query_id(w, "id"), &t);
	if (rc) {
		web_error(w, rc == Q_EINVAL ? 400 : response_status(rc),
		          rc == Q_EINVAL ? "Reports are about a work, a chapter, a comment, a bookmark or a profile."
		          : rc == Q_ENOTFOUND ? "There is nothing like that to report, or you may not see it."
		                              : "The page could not be loaded. Please try again in a moment.");
		return;
	}
	render_form(w, 200, &t, NULL, NULL, NULL);
}

void page_report_create(struct web_req *w)
{
	const char *id = web_form(w, "id");
	struct report_input in = {
		.kind = web_form(w, "kind"),
		.id = strspn(id, "0123456789") == strlen(id) && strlen(id) <= 18 ? strtoll(id, NULL, 10) : 0,
		.category = web_form(w, "category"),
		.body = kv_get(&w->req->form, "body"),
		.email = web_form(w, "email"),
		.honeypot = web_form(w, "website"),
	};
	struct field_errors e = {0};
	const char *why = NULL;
	int64_t rid = 0;
	int retry = 0;
	int rc = report_submit(w->app->community, w->arena, w->user, w->req->client_key, &in, &rid, &e, &why, &retry);
	if (rc == 0) {
		json_t *d = json_object();
		json_object_set_new(d, "guest", json_boolean(w->user == NULL));
		web_render(w, 200, "reports/sent", "Report sent", d);
		return;
	}
	struct report_target t;
	if (rc == Q_ENOTFOUND || rc == Q_ERR ||
	    report_target_load(w->app->store, w->arena, w->user, in.kind, in.id, &t) != 0) {
		web_error(w, rc == Q_EINVAL ? 400 : response_status(rc), why);
		return;
	}
	if (rc == Q_EBUSY)
		http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry));
	render_form(w, response_status(rc), &t, &in, &e, why);
}

/* ---- The queue ------------------------------------------------------------------------------------------ */

static json_t *report_row(struct web_req *w, const struct report *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "when",
	                      admin_time(w, r->created_at), "kind", kind_label(r->target_kind), "title",
	                      r->reported_title, "category", report_category_label(r->category), "status",
	                      report_status_name(r->status), "status_label", report_status_label(r->status), "reporter",
	                      r->reporter_id ? (r->reporter_name ? r->reporter_name : "(deleted account)") : "a guest");
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/admin/reports/%lld", (long long)r->id)));
	if (r->assignee_name)
		json_object_set_new(o, "assignee", json_string(r->assignee_name));
	return o;
}

void page_admin_reports(struct web_req *w)
{
	if (!admin_allowed(w, POWER_REPORTS))
		return;
	const char *sq = kv_get(&w->req->query, "status");
	bool mine = sq && !strcmp(sq, "mine"), all = sq && !strcmp(sq, "all");
	int status = mine || all ? -1 : sq && *sq ? report_status_parse(sq) : REPORT_OPEN;
	if (!mine && !all && status < 0) {
		web_error(w, 400, "Statuses are open, in_progress, resolved, rejected, all and mine.");
		return;
	}
	int64_t before = query_id(w, "before");
	struct report *list;
	size_t n;
	struct report_counts counts;
	if (store_report_list(w->app->store, w->arena, status, mine ? w->user->id : 0, before, REPORTS_PER_PAGE + 1,
	                      &list, &n) != 0 ||
	    store_report_counts(w->app->store, &counts) != 0) {
		web_error(w, 500, "The reports could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = admin_data(w, "reports"), *rows = json_array(), *tabs = json_array();
	const char *cur = mine ? "mine" : all ? "all" : report_status_name(status);
	for (int k = 0; k < REPORT_STATUS_COUNT; k++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:I, s:b}", "label", report_status_label(k), "url",
		                                      arena_printf(w->arena, "/admin/reports?status=%s", report_status_name(k)),
		                                      "count", (json_int_t)counts.by_status[k], "current",
		                                      !strcmp(cur, report_status_name(k))));
	json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "label", "Assigned to me", "url",
	                                      "/admin/reports?status=mine", "current", mine));
	json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "label", "All", "url", "/admin/reports?status=all",
	                                      "current", all));
	for (size_t i = 0; i < n && i < REPORTS_PER_PAGE; i++)
		json_array_append_new(rows, report_row(w, &list[i]));
	json_object_set_new(d, "tabs", tabs);
	json_object_set_new(d, "reports", rows);
	if (n > REPORTS_PER_PAGE)
		json_object_set_new(d, "older_url", json_string(arena_printf(w->arena, "/admin/reports?status=%s&before=%lld",
		                                                             cur, (long long)list[REPORTS_PER_PAGE - 1].id)));
	web_render(w, 200, "admin/reports", "Reports", d);
}

/* One action form beside a report: where it posts, its button, hidden fields besides the reason. */
static void action(struct web_req *w, json_t *list, const char *label, const char *url, const char *back, bool danger,
                   json_t *fields)
{
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:o}", "label", label, "url", url, "return", back,
	                                      "danger", danger, "fields", fields ? fields : json_array()));
}

/* One-click actions offered beside a report, by what it is about and what the role may do. */
static json_t *actions_for(struct web_req *w, const struct report *r, bool gone)
{
	json_t *list = json_array();
	const char *back = arena_printf(w->arena, "/admin/reports/%lld", (long long)r->id);
	bool on_work = !strcmp(r->target_kind, "work") || !strcmp(r->target_kind, "chapter");
	if (!gone && r->work_id && on_work && archive_may(w->user, POWER_HIDE_WORKS))
		action(w, list, "Hide the work", arena_printf(w->arena, "/admin/works/%lld/hide", (long long)r->work_id), back,
		       false, NULL);
	if (!gone && !strcmp(r->target_kind, "comment") && archive_may(w->user, POWER_COMMENTS))
		action(w, list, "Delete the comment", arena_printf(w->arena, "/admin/comments/%lld/delete",
		                                                   (long long)r->target_id), back, true, NULL);
	if (!gone && r->work_id && !strcmp(r->target_kind, "comment") && archive_may(w->user, POWER_COMMENTS))
		action(w, list, "Lock the work's comments", arena_printf(w->arena, "/admin/works/%lld/lock",
		                                                         (long long)r->work_id), back, false, NULL);
	if (!gone && !strcmp(r->target_kind, "bookmark") && archive_may(w->user, POWER_BOOKMARKS))
		action(w, list, "Remove the bookmark", arena_printf(w->arena, "/admin/bookmarks/%lld/remove",
		                                                    (long long)r->target_id), back, true, NULL);
	if (r->subject_name && archive_may(w->user, POWER_SUSPEND)) {
		const char *u = arena_printf(w->arena, "/admin/users/%s", esc_url_a(w->arena, r->subject_name));
		action(w, list, "Suspend the account for 7 days", arena_printf(w->arena, "%s/suspend", u), back, false,
		       json_pack("[{s:s, s:s}]", "name", "days", "value", "7"));
	}
	if (!gone && r->work_id && on_work && archive_may(w->user, POWER_DELETE_WORKS))
		action(w, list, "Delete the work", arena_printf(w->arena, "/admin/works/%lld/delete", (long long)r->work_id),
		       back, true, NULL);
	if (r->subject_name && archive_may(w->user, POWER_BAN))
		action(w, list, "Ban the account", arena_printf(w->arena, "/admin/users/%s/ban",
		                                                esc_url_a(w->arena, r->subject_name)), back, true, NULL);
	return list;
}

static void report_page(struct web_req *w, int64_t id)
{
	struct report r;
	int rc = store_report_get(w->app->store, w->arena, id, &r);
	if (rc) {
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no such report." : "The report could not be loaded.");
		return;
	}
	struct report_target now;
	/* What it is now, as moderators see it (hidden works and comments too); gone when deleted since. */
	bool gone = report_target_load(w->app->store, w->arena, w->user, r.target_kind, r.target_id, &now) != 0;
	struct report_note *notes;
	size_t nn, nl;
	struct mod_entry *log;
	struct mod_log_query lq = {.report_id = r.id, .limit = 100};
	if (store_report_notes(w->app->store, w->arena, r.id, &notes, &nn) != 0 ||
	    store_mod_log_list(w->app->store, w->arena, &lq, &log, &nl) != 0) {
		web_error(w, 500, "The report could not be loaded.");
		return;
	}
	json_t *d = admin_data(w, "reports");
	json_t *o = report_row(w, &r);
	json_object_set_new(o, "body", json_string(r.body));
	json_object_set_new(o, "reporter_email", json_string(r.reporter_email));
	json_object_set_new(o, "reported_text", json_string(r.reported_text));
	json_object_set_new(o, "subject", json_string(r.subject_name ? r.subject_name : ""));
	if (r.subject_name)
		json_object_set_new(o, "subject_url", json_string(arena_printf(w->arena, "/users/%s",
		                                                               esc_url_a(w->arena, r.subject_name))));
	json_object_set_new(d, "report", o);
	if (gone) {
		json_object_set_new(d, "gone", json_true());
	} else {
		json_object_set_new(d, "now", json_pack("{s:s, s:s, s:s}", "title", now.title, "text", now.text, "url", now.url));
		json_object_set_new(d, "changed", json_boolean(strcmp(now.title, r.reported_title) != 0 ||
		                                               strcmp(now.text, r.reported_text) != 0));
	}
	json_t *statuses = json_array();
	for (int k = 0; k < REPORT_STATUS_COUNT; k++)
		json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "name", report_status_name(k), "label",
		                                          report_status_label(k), "selected", k == r.status));
	json_object_set_new(d, "statuses", statuses);
	json_object_set_new(d, "assigned_to_me", json_boolean(r.assignee_id == w->user->id));
	json_object_set_new(d, "me", json_integer(w->user->id));
	json_t *jn = json_array();
	for (size_t i = 0; i < nn; i++)
		json_array_append_new(jn, json_pack("{s:s, s:s, s:s}", "author", notes[i].author_name, "when",
		                                    admin_time(w, notes[i].created_at), "body", notes[i].body));
	json_object_set_new(d, "notes", jn);
	json_t *jl = json_array();
	for (size_t i = 0; i < nl; i++)
		json_array_append_new(jl, admin_entry_json(w, &log[i]));
	json_object_set_new(d, "log", jl);
	json_object_set_new(d, "actions", actions_for(w, &r, gone));
	web_render(w, 200, "admin/report", arena_printf(w->arena, "Report %lld", (long long)r.id), d);
}

void page_admin_report(struct web_req *w)
{
	if (admin_allowed(w, POWER_REPORTS))
		report_page(w, web_param_id(w, 0));
}

void page_admin_report_update(struct web_req *w)
{
	if (!admin_allowed(w, POWER_REPORTS))
		return;
	int64_t id = web_param_id(w, 0);
	const char *st = web_form(w, "status"), *as = web_form(w, "assignee");
	int status = *st ? report_status_parse(st) : -1;
	if (*st && status < 0) {
		web_error(w, 422, "That is not a status a report can have.");
		return;
	}
	int64_t assignee = -1;
	if (!strcmp(as, "me"))
		assignee = w->user->id;
	else if (!strcmp(as, "nobody"))
		assignee = 0;
	else if (*as) {
		web_error(w, 422, "Reports are assigned to yourself or to nobody.");
		return;
	}
	const char *why = NULL;
	int rc = report_update(w->app->community, w->arena, w->user, id, status, assignee, &why);
	admin_done(w, rc, arena_printf(w->arena, "/admin/reports/%lld", (long long)id), rc ? why : "report_updated");
}

void page_admin_report_note(struct web_req *w)
{
	if (!admin_allowed(w, POWER_REPORTS))
		return;
	int64_t id = web_param_id(w, 0);
	const char *why = NULL;
	int rc = report_add_note(w->app->community, w->arena, w->user, id, kv_get(&w->req->form, "body"), &why);
	admin_done(w, rc, arena_printf(w->arena, "/admin/reports/%lld", (long long)id), rc ? why : "note_added");
}
