/* Moderating accounts (/admin/users): the staff and the sanctions in force; one account's page with its role,
 * suspension or ban, reports and log, and the forms that suspend, ban, lift, rename and grant roles. */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/moderation.h"
#include "archive/reports.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *user_admin_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/admin/users/%s", esc_url_a(w->arena, name));
}

void page_admin_users(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SUSPEND))
		return;
	const char *q = kv_get(&w->req->query, "q");
	if (q && *q) { /* a name or an address: straight to the account */
		struct user u;
		int rc = strlen(q) > 254 ? Q_ENOTFOUND
		         : strchr(q, '@') ? store_user_get_by_email(w->app->store, w->arena, q, &u)
		                          : store_user_get_by_name(w->app->store, w->arena, q, &u);
		if (rc == 0 && strcmp(u.role, "orphan") != 0) {
			web_redirect(w, user_admin_url(w, u.name));
			return;
		}
		if (rc != Q_ENOTFOUND && rc != 0) {
			web_error(w, 500, "The account could not be looked up.");
			return;
		}
	}
	struct user *staff;
	struct user_sanction *held;
	size_t ns, nh;
	if (store_users_staff(w->app->store, w->arena, &staff, &ns) != 0 ||
	    store_user_sanctions_list(w->app->store, w->arena, (int64_t)time(NULL), &held, &nh) != 0) {
		web_error(w, 500, "The accounts could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = admin_data(w, "users"), *js = json_array(), *jh = json_array();
	for (size_t i = 0; i < ns; i++)
		json_array_append_new(js, json_pack("{s:s, s:s, s:s}", "name", staff[i].name, "role", staff[i].role, "url",
		                                    user_admin_url(w, staff[i].name)));
	for (size_t i = 0; i < nh; i++)
		json_array_append_new(jh, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", held[i].user_name, "url",
		                                    user_admin_url(w, held[i].user_name), "kind",
		                                    held[i].kind == SANCTION_BANNED ? "Banned" : "Suspended", "until",
		                                    held[i].until ? admin_time(w, held[i].until) : "for good", "reason",
		                                    held[i].reason));
	json_object_set_new(d, "staff", js);
	json_object_set_new(d, "held", jh);
	json_object_set_new(d, "q", json_string(q ? q : ""));
	json_object_set_new(d, "not_found", json_boolean(q && *q));
	web_render(w, 200, "admin/users", "Accounts", d);
}

/* The account named by path parameter 0 (not the orphan account); false after answering 404 or 500. */
static bool load_account(struct web_req *w, struct user *u)
{
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], u);
	if (rc == 0 && !strcmp(u->role, "orphan"))
		rc = Q_ENOTFOUND;
	if (rc)
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no such account." : "The account could not be loaded.");
	return rc == 0;
}

void page_admin_user(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SUSPEND))
		return;
	struct user u;
	if (!load_account(w, &u))
		return;
	json_t *d = admin_data(w, "users");
	bool self = u.id == w->user->id, may_act = archive_may_act_on(w->user, &u);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "name", u.name, "role", u.role, "joined", admin_time(w, u.created_at),
	                      "url", arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, u.name)));
	if (archive_is_admin(w->user)) /* addresses are for administrators */
		json_object_set_new(o, "email", json_string(u.email));
	struct user_sanction x;
	int64_t now = (int64_t)time(NULL);
	if (store_user_sanction_get(w->app->store, w->arena, u.id, &x) == 0 && (!x.until || x.until > now))
		json_object_set_new(o, "sanction", json_pack("{s:s, s:s, s:s, s:s}", "kind",
		                                             x.kind == SANCTION_BANNED ? "Banned" : "Suspended", "until",
		                                             x.until ? arena_printf(w->arena, "until %s", admin_time(w, x.until))
		                                                     : "for good",
		                                             "reason", x.reason,
		                                             "log_url", arena_printf(w->arena, "/admin/log/%lld",
		                                                                     (long long)x.log_id)));
	json_object_set_new(d, "account", o);
	json_object_set_new(d, "base", json_string(user_admin_url(w, u.name)));
	json_object_set_new(d, "can_suspend", json_boolean(may_act && archive_may(w->user, POWER_SUSPEND)));
	json_object_set_new(d, "can_ban", json_boolean(may_act && archive_may(w->user, POWER_BAN)));
	json_object_set_new(d, "can_rename", json_boolean(may_act && archive_may(w->user, POWER_RENAME)));
	json_object_set_new(d, "can_role", json_boolean(!self && archive_may(w->user, POWER_ROLES)));
	json_object_set_new(d, "max_days", json_integer(MOD_SUSPEND_DAYS_MAX));
	json_t *roles = json_array();
	for (size_t i = 0; archive_roles[i]; i++)
		json_array_append_new(roles, json_pack("{s:s, s:b}", "name", archive_roles[i], "selected",
		                                       !strcmp(u.role, archive_roles[i])));
	json_object_set_new(d, "roles", roles);
	struct mod_log_query lq = {.subject = u.name, .limit = 50};
	struct mod_entry *log;
	size_t n;
	if (store_mod_log_list(w->app->store, w->arena, &lq, &log, &n) == 0) {
		json_t *jl = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(jl, admin_entry_json(w, &log[i]));
		json_object_set_new(d, "log", jl);
	}
	const char *rid = kv_get(&w->req->query, "report");
	json_object_set_new(d, "report_id", json_string(rid && strspn(rid, "0123456789") == strlen(rid) ? rid : ""));
	web_render(w, 200, "admin/user", arena_printf(w->arena, "Account %s", u.name), d);
}

static int64_t report_id_of(struct web_req *w)
{
	const char *rid = web_form(w, "report_id");
	return *rid && strlen(rid) <= 18 && strspn(rid, "0123456789") == strlen(rid) ? strtoll(rid, NULL, 10) : 0;
}

/* Where to go after an action: the form's return path, else the account's admin page. */
static const char *back_to(struct web_req *w, const char *name)
{
	const char *back = web_form(w, "return");
	return *back && web_return_path_ok(back) ? back : user_admin_url(w, name);
}

static void sanction(struct web_req *w, bool ban)
{
	if (!admin_allowed(w, ban ? POWER_BAN : POWER_SUSPEND))
		return;
	struct user u;
	if (!load_account(w, &u))
		return;
	const char *days = web_form(w, "days");
	int n = ban ? 0 : *days && strlen(days) <= 3 && strspn(days, "0123456789") == strlen(days) ? atoi(days) : -1;
	if (!ban && (n < 1 || n > MOD_SUSPEND_DAYS_MAX)) {
		web_error(w, 422, "A suspension lasts 1 to 365 days; for longer, ban the account.");
		return;
	}
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason"), .report_id = report_id_of(w)};
	const char *why = NULL;
	int rc = mod_user_sanction(w->app->community, w->arena, &rq, u.id, n, !strcmp(web_form(w, "hide_works"), "1"), NULL,
	                           &why);
	admin_done(w, rc, back_to(w, u.name), rc ? why : ban ? "user_banned" : "user_suspended");
}

void page_admin_user_suspend(struct web_req *w)
{
	sanction(w, false);
}

void page_admin_user_ban(struct web_req *w)
{
	sanction(w, true);
}

void page_admin_user_lift(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SUSPEND))
		return;
	struct user u;
	if (!load_account(w, &u))
		return;
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason")};
	const char *why = NULL;
	int rc = mod_user_lift(w->app->community, w->arena, &rq, u.id, NULL, &why);
	admin_done(w, rc, back_to(w, u.name), rc ? why : "user_lifted");
}

void page_admin_user_rename(struct web_req *w)
{
	if (!admin_allowed(w, POWER_RENAME))
		return;
	struct user u;
	if (!load_account(w, &u))
		return;
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason")};
	struct field_errors e = {0};
	const char *why = NULL, *name = web_form(w, "name");
	int rc = mod_user_rename(w->app->community, w->arena, &rq, u.id, name, NULL, &e, &why);
	if (rc == Q_EINVAL && e.n)
		why = e.items[0].message;
	admin_done(w, rc, user_admin_url(w, rc ? u.name : name), rc ? why : "user_renamed");
}

void page_admin_user_role(struct web_req *w)
{
	if (!admin_allowed(w, POWER_ROLES))
		return;
	struct user u;
	if (!load_account(w, &u))
		return;
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason")};
	const char *why = NULL;
	int rc = mod_role_set(w->app->community, w->arena, &rq, u.id, web_form(w, "role"), NULL, &why);
	admin_done(w, rc, user_admin_url(w, u.name), rc ? why : "role_changed");
}

/* ---- Comments and bookmarks -------------------------------------------------------------------------- */

void page_admin_comment(struct web_req *w)
{
	if (!admin_allowed(w, POWER_COMMENTS))
		return;
	struct comment c;
	struct work wk;
	int64_t id = web_param_id(w, 0);
	int rc = id ? store_comment_get(w->app->store, w->arena, id, &c) : Q_ENOTFOUND;
	if (rc == 0)
		rc = store_work_get(w->app->store, w->arena, c.work_id, &wk);
	if (rc == 0 && wk.draft)
		rc = Q_ENOTFOUND;
	if (rc) {
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no such comment." : "The comment could not be loaded.");
		return;
	}
	json_t *d = admin_data(w, NULL);
	json_object_set_new(d, "comment", json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)c.id, "author",
	                                            comment_author(&c), "when", admin_time(w, c.created_at), "url",
	                                            comment_path(w->arena, &c), "state", comment_state_name(c.state),
	                                            "deleted", c.state == COMMENT_DELETED));
	json_object_set_new(d, "body_html", json_string(c.body.html ? c.body.html : ""));
	json_object_set_new(d, "work", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)wk.id, "title", wk.title, "url",
	                                         arena_printf(w->arena, "/admin/works/%lld", (long long)wk.id)));
	if (c.user_name)
		json_object_set_new(d, "writer_url", json_string(user_admin_url(w, c.user_name)));
	const char *rid = kv_get(&w->req->query, "report");
	json_object_set_new(d, "report_id", json_string(rid && strspn(rid, "0123456789") == strlen(rid) ? rid : ""));
	web_render(w, 200, "admin/comment", "Moderate a comment", d);
}

void page_admin_comment_delete(struct web_req *w)
{
	if (!admin_allowed(w, POWER_COMMENTS))
		return;
	int64_t id = web_param_id(w, 0);
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason"), .report_id = report_id_of(w)};
	const char *why = NULL;
	int rc = mod_comment_delete(w->app->community, w->arena, &rq, id, NULL, &why);
	const char *back = web_form(w, "return");
	admin_done(w, rc, *back && web_return_path_ok(back) ? back : arena_printf(w->arena, "/admin/comments/%lld", (long long)id),
	           rc ? why : "comment_deleted_mod");
}

void page_admin_work_lock(struct web_req *w)
{
	if (!admin_allowed(w, POWER_COMMENTS))
		return;
	int64_t id = web_param_id(w, 0);
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason"), .report_id = report_id_of(w)};
	const char *why = NULL;
	int rc = mod_comments_lock(w->app->community, w->arena, &rq, id, NULL, &why);
	const char *back = web_form(w, "return");
	admin_done(w, rc, *back && web_return_path_ok(back) ? back : arena_printf(w->arena, "/admin/works/%lld", (long long)id),
	           rc ? why : "comments_locked");
}

void page_admin_bookmark_remove(struct web_req *w)
{
	if (!admin_allowed(w, POWER_BOOKMARKS))
		return;
	int64_t id = web_param_id(w, 0);
	struct mod_request rq = {.actor = w->user, .reason = kv_get(&w->req->form, "reason"), .report_id = report_id_of(w)};
	const char *why = NULL;
	int rc = mod_bookmark_remove(w->app->community, w->arena, &rq, id, NULL, &why);
	const char *back = web_form(w, "return");
	admin_done(w, rc, *back && web_return_path_ok(back) ? back : "/admin/reports", rc ? why : "bookmark_removed");
}
