/* The admin dashboard (/admin) and what every admin page shares: the role check, times, log entries, links. */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/moderation.h"
#include "archive/reports.h"
#include "core/err.h"
#include "html/escape.h"
#include "mail/outbox.h"
#include <string.h>
#include <time.h>

bool admin_allowed(struct web_req *w, enum archive_power p)
{
	if (archive_may(w->user, p))
		return true;
	web_error(w, 403, archive_is_moderator(w->user) ? "Your role does not include this: ask an administrator."
	                                                 : "This page is for the site's moderators and administrators.");
	return false;
}

const char *admin_time(struct web_req *w, int64_t t)
{
	if (t <= 0)
		return "";
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char out[40];
	strftime(out, sizeof out, "%Y-%m-%d %H:%M UTC", &tm);
	return arena_strdup(w->arena, out);
}

/* Where an entry's target is seen, when it still has a page. */
static const char *target_url(struct web_req *w, const struct mod_entry *e)
{
	if (!strcmp(e->target_kind, "work"))
		return arena_printf(w->arena, "/admin/works/%lld", (long long)e->target_id);
	if (!strcmp(e->target_kind, "report"))
		return arena_printf(w->arena, "/admin/reports/%lld", (long long)e->target_id);
	if (!strcmp(e->target_kind, "user") && *e->target_name)
		return arena_printf(w->arena, "/admin/users/%s", esc_url_a(w->arena, e->target_name));
	if (!strcmp(e->target_kind, "comment"))
		return arena_printf(w->arena, "/admin/comments/%lld", (long long)e->target_id);
	return NULL;
}

json_t *admin_entry_json(struct web_req *w, const struct mod_entry *e)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "when",
	                      admin_time(w, e->created_at), "actor", e->actor_name, "action", e->action, "label",
	                      mod_action_label(e->action), "target_kind", e->target_kind, "target", e->target_name,
	                      "subject", e->subject_name, "reason", e->reason, "detail", e->detail);
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/admin/log/%lld", (long long)e->id)));
	const char *t = target_url(w, e);
	if (t)
		json_object_set_new(o, "target_url", json_string(t));
	if (e->report_id)
		json_object_set_new(o, "report_url", json_string(arena_printf(w->arena, "/admin/reports/%lld",
		                                                              (long long)e->report_id)));
	if (e->undoes)
		json_object_set_new(o, "undoes_url", json_string(arena_printf(w->arena, "/admin/log/%lld", (long long)e->undoes)));
	if (e->undone_by)
		json_object_set_new(o, "undone_url", json_string(arena_printf(w->arena, "/admin/log/%lld",
		                                                              (long long)e->undone_by)));
	json_object_set_new(o, "can_undo", json_boolean(mod_can_undo(w->user, e)));
	return o;
}

json_t *admin_data(struct web_req *w, const char *section)
{
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	json_t *nav = json_array();
	static const struct {
		const char *key, *label, *url;
		enum archive_power power;
	} sections[] = {
		{"dashboard", "Dashboard", "/admin", POWER_REPORTS},
		{"reports", "Reports", "/admin/reports", POWER_REPORTS},
		{"spam", "Spam", "/admin/spam", POWER_SPAM},
		{"users", "Accounts", "/admin/users", POWER_SUSPEND},
		{"log", "Audit log", "/admin/log", POWER_LOG},
		{"invitations", "Invitations", "/admin/invitations", POWER_INVITATIONS},
		{"pages", "Site pages", "/admin/pages", POWER_SITE_PAGES},
		{"news", "News", "/admin/news", POWER_SITE_PAGES},
		{"settings", "Settings", "/admin/settings", POWER_SETTINGS},
	};
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (archive_may(w->user, sections[i].power))
			json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "label", sections[i].label, "url", sections[i].url,
			                                     "current", section && !strcmp(section, sections[i].key)));
	json_object_set_new(d, "admin_nav", nav);
	return d;
}

void admin_done(struct web_req *w, int rc, const char *path, const char *message)
{
	if (rc == 0) {
		web_redirect(w, arena_printf(w->arena, "%s%snotice=%s", path, strchr(path, '?') ? "&" : "?", message));
		return;
	}
	web_error(w, response_status(rc), message);
}

static const char *bytes_label(struct web_req *w, int64_t n)
{
	if (n >= 1024LL * 1024 * 1024)
		return arena_printf(w->arena, "%.1f GiB", (double)n / (1024.0 * 1024 * 1024));
	if (n >= 1024 * 1024)
		return arena_printf(w->arena, "%.1f MiB", (double)n / (1024.0 * 1024));
	return arena_printf(w->arena, "%.0f KiB", (double)n / 1024.0);
}

void page_admin_dashboard(struct web_req *w)
{
	if (!admin_allowed(w, POWER_REPORTS))
		return;
	int64_t now = (int64_t)time(NULL);
	struct site_stats ss;
	struct report_counts rc;
	int64_t spam = 0;
	if (store_site_stats(w->app->store, w->arena, now - now % 86400, &ss) != 0 ||
	    store_report_counts(w->app->store, &rc) != 0 || store_spam_held_count(w->app->store, &spam) != 0) {
		web_error(w, 500, "The dashboard could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = admin_data(w, "dashboard");
	json_object_set_new(d, "reports_open", json_integer(rc.by_status[REPORT_OPEN]));
	json_object_set_new(d, "reports_in_progress", json_integer(rc.by_status[REPORT_IN_PROGRESS]));
	json_object_set_new(d, "spam_held", json_integer(spam));
	json_object_set_new(d, "users", json_integer(ss.users));
	json_object_set_new(d, "works", json_integer(ss.works));
	json_object_set_new(d, "signups_today", json_integer(ss.signups));
	json_object_set_new(d, "works_today", json_integer(ss.works_posted));
	json_object_set_new(d, "mail_queued", json_integer(ss.mail_queued));
	json_object_set_new(d, "mail_failed", json_integer(ss.mail_failed));
	if (ss.mail_last_error)
		json_object_set_new(d, "mail_last_error", json_pack("{s:s, s:s}", "text", ss.mail_last_error, "when",
		                                                    admin_time(w, ss.mail_last_error_at)));
	json_object_set_new(d, "mail_relay", json_boolean(*w->app->cfg->smtp_url != '\0'));
	/* Without a relay, mail is in a folder: where, and its newest files (names only; admins only: the files hold
	 * sign-in links, and whoever reads the folder is the operator). */
	char dir[1100];
	if (mail_outbox_dir(w->app->cfg, dir, sizeof dir)) {
		json_object_set_new(d, "mail_to_dir", json_true());
		json_object_set_new(d, "mail_dir", json_string(archive_is_admin(w->user) ? dir : ""));
		struct mail_file files[MAIL_DIR_LIST];
		size_t n = archive_is_admin(w->user) ? mail_outbox_files(dir, files, MAIL_DIR_LIST) : 0;
		json_t *list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "name", files[i].name, "when",
			                                      admin_time(w, files[i].mtime), "size",
			                                      bytes_label(w, files[i].size)));
		json_object_set_new(d, "mail_files", list);
	}
	json_object_set_new(d, "db_size", json_string(bytes_label(w, ss.db_bytes)));
	json_object_set_new(d, "version", json_string(QUIRE_VERSION));
	json_object_set_new(d, "is_admin", json_boolean(archive_is_admin(w->user)));
	web_render(w, 200, "admin/dashboard", "Dashboard", d);
}
