/* Moderating one work (/admin/works/ID): its state and why, the reports and log entries about it, and the
 * forms that hide or delete it with a reason. */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/moderation.h"
#include "archive/reports.h"
#include "archive/work.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

void page_admin_work(struct web_req *w)
{
	if (!admin_allowed(w, POWER_HIDE_WORKS))
		return;
	struct work wk;
	int64_t id = web_param_id(w, 0);
	int rc = id ? store_work_get(w->app->store, w->arena, id, &wk) : Q_ENOTFOUND;
	if (rc == 0 && wk.draft)
		rc = Q_ENOTFOUND; /* drafts are their creators' alone */
	if (rc) {
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no such work." : "The work could not be loaded.");
		return;
	}
	json_t *d = admin_data(w, NULL);
	json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:b}", "id", (json_int_t)wk.id, "title", wk.title, "url",
	                      arena_printf(w->arena, "/works/%lld", (long long)wk.id), "hidden", wk.hidden, "removed",
	                      wk.removed);
	json_t *creators = json_array();
	for (size_t i = 0; i < wk.ncreators; i++)
		if (i == 0 || wk.creators[i].accepted)
			json_array_append_new(creators, json_pack("{s:s, s:s}", "name", wk.creators[i].name, "url",
			                                          arena_printf(w->arena, "/users/%s",
			                                                       esc_url_a(w->arena, wk.creators[i].name))));
	json_object_set_new(o, "creators", creators);
	struct work_moderation m;
	if ((wk.hidden || wk.removed) && store_work_moderation_get(w->app->store, w->arena, wk.id, &m) == 0) {
		json_object_set_new(o, "reason", json_string(m.reason));
		json_object_set_new(o, "since", json_string(admin_time(w, m.at)));
		json_object_set_new(o, "log_url", json_string(arena_printf(w->arena, "/admin/log/%lld", (long long)m.log_id)));
	}
	json_object_set_new(d, "work", o);
	struct mod_log_query lq = {.target_kind = "work", .target_id = wk.id, .limit = 50};
	struct mod_entry *log;
	size_t n;
	if (store_mod_log_list(w->app->store, w->arena, &lq, &log, &n) == 0) {
		json_t *jl = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(jl, admin_entry_json(w, &log[i]));
		json_object_set_new(d, "log", jl);
	}
	json_object_set_new(d, "can_hide", json_boolean(!wk.hidden && !wk.removed));
	struct response_counts counts;
	bool locked = store_response_counts(w->app->store, wk.id, 0, &counts) == 0 && counts.locked;
	json_object_set_new(d, "locked", json_boolean(locked));
	json_object_set_new(d, "can_lock", json_boolean(!locked && !wk.removed && archive_may(w->user, POWER_COMMENTS)));
	json_object_set_new(d, "can_delete", json_boolean(!wk.removed && archive_may(w->user, POWER_DELETE_WORKS)));
	const char *rid = kv_get(&w->req->query, "report");
	json_object_set_new(d, "report_id", json_string(rid && strspn(rid, "0123456789") == strlen(rid) ? rid : ""));
	web_render(w, 200, "admin/work", arena_printf(w->arena, "Moderate “%s”", wk.title), d);
}

static void act(struct web_req *w, bool hide)
{
	if (!admin_allowed(w, hide ? POWER_HIDE_WORKS : POWER_DELETE_WORKS))
		return;
	int64_t id = web_param_id(w, 0);
	const char *rid = web_form(w, "report_id");
	struct mod_request rq = {
		.actor = w->user,
		.reason = kv_get(&w->req->form, "reason"),
		.report_id = *rid && strlen(rid) <= 18 && strspn(rid, "0123456789") == strlen(rid) ? strtoll(rid, NULL, 10) : 0,
	};
	const char *why = NULL;
	int rc = hide ? mod_work_hide(w->app->community, w->arena, &rq, id, NULL, &why)
	              : mod_work_delete(w->app->community, w->arena, &rq, id, NULL, &why);
	const char *back = web_form(w, "return");
	if (!*back || !web_return_path_ok(back))
		back = arena_printf(w->arena, "/admin/works/%lld", (long long)id);
	admin_done(w, rc, back, rc ? why : hide ? "work_hidden" : "work_deleted");
}

void page_admin_work_hide(struct web_req *w)
{
	act(w, true);
}

void page_admin_work_delete(struct web_req *w)
{
	act(w, false);
}
