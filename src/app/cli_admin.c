/* Command-line commands for running a community: quire user suspend|ban|unban NAME, quire report list, and the
 * audit log entry of quire user role. They act through the same moderation workflows as the pages. */
#include "app/cli.h"
#include "archive/community.h"
#include "archive/moderation.h"
#include "archive/reports.h"
#include "archive/roles.h"
#include "core/err.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The store and the community state for one command; false (with a message) when the store cannot be opened. */
static bool open_all(const struct config *cfg, struct store **st, struct community **c)
{
	*c = NULL;
	if (cli_open_store(cfg, st) != 0)
		return false;
	char base[600];
	if (community_new(c, *st, cfg, config_base_url(cfg, base, sizeof base)) != 0) {
		fprintf(stderr, "quire: the store could not be prepared\n");
		store_close(*st);
		return false;
	}
	return true;
}

static void close_all(struct store *st, struct community *c)
{
	community_free(c);
	store_close(st);
}

/* The account named name (not the orphan account), or 0 after saying why not. */
static int64_t account(struct store *st, struct arena *a, const char *name)
{
	struct user u;
	if (store_user_get_by_name(st, a, name, &u) != 0 || !strcmp(u.role, "orphan")) {
		fprintf(stderr, "quire: no such user: %s\n", name);
		return 0;
	}
	return u.id;
}

int cli_user_sanction(const struct config *cfg, const char *name, int days, const char *reason, bool hide_works)
{
	if (days < 0 || days > MOD_SUSPEND_DAYS_MAX) {
		fprintf(stderr, "quire: --days is 1 to %d (ban for longer)\n", MOD_SUSPEND_DAYS_MAX);
		return 2;
	}
	struct store *st;
	struct community *c;
	if (!open_all(cfg, &st, &c))
		return 1;
	struct arena *a = arena_new();
	int code = 1;
	int64_t id = account(st, a, name);
	if (id) {
		struct mod_request rq = {.actor = NULL, .reason = reason};
		const char *why = NULL;
		int rc = mod_user_sanction(c, a, &rq, id, days, hide_works, NULL, &why);
		if (rc)
			fprintf(stderr, "quire: %s\n", why);
		else
			printf("%s is %s%s; they were told by mail\n", name,
			       days ? "suspended" : "banned", hide_works ? " and their works are hidden" : "");
		code = rc ? 1 : 0;
	}
	arena_free(a);
	close_all(st, c);
	return code;
}

int cli_user_unban(const struct config *cfg, const char *name, const char *reason)
{
	struct store *st;
	struct community *c;
	if (!open_all(cfg, &st, &c))
		return 1;
	struct arena *a = arena_new();
	int code = 1;
	int64_t id = account(st, a, name);
	if (id) {
		struct mod_request rq = {.actor = NULL, .reason = reason};
		const char *why = NULL;
		int rc = mod_user_lift(c, a, &rq, id, NULL, &why);
		if (rc)
			fprintf(stderr, "quire: %s\n", why);
		else
			printf("%s may use their account again; they were told by mail\n", name);
		code = rc ? 1 : 0;
	}
	arena_free(a);
	close_all(st, c);
	return code;
}

int cli_role_logged(const struct config *cfg, const char *name, const char *role, const char *reason)
{
	struct store *st;
	struct community *c;
	if (!open_all(cfg, &st, &c))
		return 1;
	struct arena *a = arena_new();
	int code = 1;
	int64_t id = archive_role_known(role) ? account(st, a, name) : 0;
	if (!archive_role_known(role))
		fprintf(stderr, "quire: the role must be user, moderator, wrangler or admin\n");
	if (id) {
		struct mod_request rq = {.actor = NULL, .reason = reason};
		const char *why = NULL;
		int rc = mod_role_set(c, a, &rq, id, role, NULL, &why);
		if (rc && rc != Q_EEXIST)
			fprintf(stderr, "quire: %s\n", why);
		else
			printf("%s is now %s %s\n", name, !strcmp(role, "admin") ? "an" : "a", role);
		code = rc && rc != Q_EEXIST ? 1 : 0;
	}
	arena_free(a);
	close_all(st, c);
	return code;
}

int cli_report_list(const struct config *cfg, const char *status)
{
	int s = !status || !*status ? REPORT_OPEN : !strcmp(status, "all") ? -1 : report_status_parse(status);
	if (status && *status && strcmp(status, "all") && s < 0) {
		fprintf(stderr, "quire: --status is open, in_progress, resolved, rejected or all\n");
		return 2;
	}
	struct store *st;
	if (cli_open_store(cfg, &st) != 0)
		return 1;
	struct arena *a = arena_new();
	struct report *list;
	size_t n;
	int code = 0;
	if (store_report_list(st, a, s, 0, 0, 200, &list, &n) != 0) {
		fprintf(stderr, "quire: the reports could not be read\n");
		code = 1;
	} else {
		/* One line each, tab-separated: id, date, status, kind, category, reporter, what. */
		for (size_t i = 0; i < n; i++) {
			char when[32];
			time_t t = (time_t)list[i].created_at;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
			printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)list[i].id, when, report_status_name(list[i].status),
			       list[i].target_kind, list[i].category,
			       list[i].reporter_id ? (list[i].reporter_name ? list[i].reporter_name : "(deleted)") : "(guest)",
			       list[i].reported_title);
		}
		if (n == 0)
			fprintf(stderr, "quire: no reports%s%s\n", s >= 0 ? " with status " : "", s >= 0 ? report_status_name(s) : "");
	}
	arena_free(a);
	store_close(st);
	return code;
}
