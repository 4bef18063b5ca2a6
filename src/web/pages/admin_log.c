/* The audit log (/admin/log): who did what, to what, when and why, filterable, never editable; one entry's
 * page, where an action can be undone (the undo is a new entry). */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/moderation.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define LOG_PER_PAGE 50
#define FILTER_MAX 100 /* bytes of a name or action typed into a filter */

/* A filter value from the query, or NULL when blank (too long is a 400, answered). */
static bool filter(struct web_req *w, const char *key, const char **out)
{
	const char *v = kv_get(&w->req->query, key);
	*out = v && *v ? v : NULL;
	if (*out && strlen(*out) > FILTER_MAX) {
		web_error(w, 400, "That filter is too long.");
		return false;
	}
	return true;
}

void page_admin_log(struct web_req *w)
{
	if (!admin_allowed(w, POWER_LOG))
		return;
	struct mod_log_query q = {.limit = LOG_PER_PAGE + 1};
	if (!filter(w, "action", &q.action) || !filter(w, "actor", &q.actor) || !filter(w, "subject", &q.subject))
		return;
	const char *before = kv_get(&w->req->query, "before");
	if (before && *before) {
		if (strlen(before) > 18 || strspn(before, "0123456789") != strlen(before)) {
			web_error(w, 400, "before is an entry's number.");
			return;
		}
		q.before_id = strtoll(before, NULL, 10);
	}
	struct mod_entry *list;
	size_t n;
	if (store_mod_log_list(w->app->store, w->arena, &q, &list, &n) != 0) {
		web_error(w, 500, "The log could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = admin_data(w, "log"), *rows = json_array(), *actions = json_array();
	for (size_t i = 0; i < n && i < LOG_PER_PAGE; i++)
		json_array_append_new(rows, admin_entry_json(w, &list[i]));
	for (size_t i = 0; mod_actions[i]; i++)
		json_array_append_new(actions, json_pack("{s:s, s:s, s:b}", "name", mod_actions[i], "label",
		                                         mod_action_label(mod_actions[i]),
		                                         "selected", q.action && !strcmp(q.action, mod_actions[i])));
	json_object_set_new(d, "log", rows);
	json_object_set_new(d, "actions", actions);
	json_object_set_new(d, "actor", json_string(q.actor ? q.actor : ""));
	json_object_set_new(d, "subject", json_string(q.subject ? q.subject : ""));
	json_object_set_new(d, "filtered", json_boolean(q.action || q.actor || q.subject));
	if (n > LOG_PER_PAGE) {
		const char *more = arena_printf(w->arena, "/admin/log?before=%lld", (long long)list[LOG_PER_PAGE - 1].id);
		if (q.action)
			more = arena_printf(w->arena, "%s&action=%s", more, esc_url_a(w->arena, q.action));
		if (q.actor)
			more = arena_printf(w->arena, "%s&actor=%s", more, esc_url_a(w->arena, q.actor));
		if (q.subject)
			more = arena_printf(w->arena, "%s&subject=%s", more, esc_url_a(w->arena, q.subject));
		json_object_set_new(d, "older_url", json_string(more));
	}
	web_render(w, 200, "admin/log", "Audit log", d);
}

void page_admin_log_entry(struct web_req *w)
{
	if (!admin_allowed(w, POWER_LOG))
		return;
	struct mod_entry e;
	int rc = store_mod_log_get(w->app->store, w->arena, web_param_id(w, 0), &e);
	if (rc) {
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no such entry in the log."
		                                                    : "The log could not be read.");
		return;
	}
	json_t *d = admin_data(w, "log");
	json_object_set_new(d, "entry", admin_entry_json(w, &e));
	web_render(w, 200, "admin/log_entry", arena_printf(w->arena, "Log entry %lld", (long long)e.id), d);
}

void page_admin_log_undo(struct web_req *w)
{
	if (!admin_allowed(w, POWER_LOG))
		return;
	int64_t id = web_param_id(w, 0), undo_id = 0;
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason")};
	const char *why = NULL;
	int rc = mod_undo(w->app->community, w->arena, &rq, id, &undo_id, &why);
	admin_done(w, rc, arena_printf(w->arena, "/admin/log/%lld", (long long)(rc ? id : undo_id)), rc ? why : "undone");
}
