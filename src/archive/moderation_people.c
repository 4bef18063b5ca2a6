/* Moderating accounts: suspensions and bans (with their works hidden or kept), lifting them, renames, roles. */
#include "archive/moderation_int.h"
#include "archive/account.h"
#include "archive/names.h"
#include "archive/text.h"
#include "core/err.h"
#include <string.h>
#include <time.h>

static const char *date_of(struct arena *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char out[40];
	strftime(out, sizeof out, "%Y-%m-%d %H:%M UTC", &tm);
	return arena_strdup(a, out);
}

/* The account an action concerns, checked: it exists, it is a person, and the actor may act on it. */
static int load_subject(struct store *st, struct arena *a, const struct user *actor, int64_t user_id, struct user *u,
                        const char **why)
{
	int rc = user_id > 0 ? store_user_get(st, a, user_id, u) : Q_ENOTFOUND;
	if (rc == 0 && !strcmp(u->role, "orphan"))
		rc = Q_ENOTFOUND;
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such account." : "The account could not be loaded.";
		return rc;
	}
	if (actor && actor->id == u->id) {
		*why = "You can't do that to your own account.";
		return Q_EINVAL;
	}
	if (actor && !archive_may_act_on(actor, u)) {
		*why = "Only an administrator can act on moderators and administrators.";
		return Q_EPERM;
	}
	return 0;
}

const char *mod_user_held(struct store *st, struct arena *a, int64_t user_id, int64_t now)
{
	struct user_sanction x;
	if (store_user_sanction_get(st, a, user_id, &x) != 0 || (x.until && x.until <= now))
		return NULL;
	if (x.kind == SANCTION_BANNED)
		return arena_printf(a, "This account is banned. The moderators' reason: %s", x.reason);
	return arena_printf(a, "This account is suspended until %s. The moderators' reason: %s", date_of(a, x.until),
	                    x.reason);
}

int mod_user_sanction(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id, int days,
                      bool hide_works, int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	bool ban = days == 0;
	*why = NULL;
	if (!mod_may(rq->actor, ban ? POWER_BAN : POWER_SUSPEND)) {
		*why = ban ? "Only administrators can ban accounts." : "Only moderators and administrators can suspend accounts.";
		return Q_EPERM;
	}
	if (days < 0 || days > MOD_SUSPEND_DAYS_MAX) {
		*why = "A suspension lasts 1 to 365 days; for longer, ban the account.";
		return Q_EINVAL;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct user u;
	int64_t id = 0, now = (int64_t)time(NULL), until = ban ? 0 : now + (int64_t)days * 86400, hidden = 0;
	if ((rc = load_subject(st, a, rq->actor, user_id, &u, why)))
		goto done;
	const char *until_text = ban ? "for good" : arena_printf(a, "until %s", date_of(a, until));
	const char *detail = arena_printf(a, "%s%s", until_text, hide_works ? "; works hidden" : "; works kept");
	if ((rc = mod_log(st, rq->actor, ban ? MOD_USER_BAN : MOD_USER_SUSPEND, "user", u.id, u.name, &u, reason, detail,
	                  rq->report_id, &id)) ||
	    (rc = store_user_sanction_set(st, u.id, ban ? SANCTION_BANNED : SANCTION_SUSPENDED, until, reason, id)))
		goto done;
	if (hide_works &&
	    (rc = store_works_hide_owned(st, u.id, arena_printf(a, "Its creator's account is %s: %s",
	                                                        ban ? "banned" : "suspended", reason), id, &hidden)))
		goto done;
	if (rq->report_id && (rc = store_report_set(st, rq->report_id, REPORT_RESOLVED, -1)) == Q_ENOTFOUND)
		*why = "There is no such report.";
	if (rc)
		goto done;
	rc = mod_tell(c, a, u.id, u.name, 0,
	              ban ? "banned your account" : arena_printf(a, "suspended your account %s", until_text), reason,
	              arena_printf(a, "You can't log in or post%s. %s", ban ? "" : " until then",
	                           hide_works ? "Your works are hidden meanwhile." : "Your works stay as they are."));
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = ban ? "The account is banned. Its owner was told why." : "The account is suspended. Its owner was told why.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

/* Lifting: the sanction in force must be the one e set (a later one replaced it otherwise); the works it hid
 * are shown again. */
int mod_undo_sanction(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                      const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	struct user_sanction x;
	int64_t shown = 0;
	int rc = store_user_sanction_get(st, a, e->target_id, &x);
	if (rc == Q_ENOTFOUND || (rc == 0 && x.log_id != e->id)) {
		*why = rc ? "The account has no suspension or ban any more." : "A later suspension or ban replaced this one.";
		return Q_EINVAL;
	}
	if (rc)
		return rc;
	if ((rc = mod_log_undo(st, rq, e, MOD_USER_LIFT, reason, "", new_id)) ||
	    (rc = store_user_sanction_clear(st, e->target_id)) || (rc = store_works_show_logged(st, e->id, &shown)))
		return rc;
	return mod_tell(c, a, e->subject_id, e->subject_name, 0,
	                arena_printf(a, "lifted the %s of your account", x.kind == SANCTION_BANNED ? "ban" : "suspension"),
	                reason, shown ? "You can log in again, and your works are shown again." : "You can log in again.");
}

int mod_user_lift(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id,
                  int64_t *log_id, const char **why)
{
	struct user_sanction x;
	int rc = store_user_sanction_get(community_store(c), a, user_id, &x);
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "The account is not suspended or banned." : "The account could not be loaded.";
		return rc;
	}
	return mod_undo(c, a, rq, x.log_id, log_id, why);
}

/* ---- Names ------------------------------------------------------------------------------------- */

/* name is a name the account may take: rules, free, not like another account's. */
static int check_new_name(struct store *st, struct arena *a, const struct user *u, const char *name,
                          const char **skeleton, struct field_errors *errors)
{
	const char *p = account_name_problem(name);
	if (p) {
		field_error(errors, "name", p);
		return Q_EINVAL;
	}
	struct user other;
	int rc = store_user_get_by_name(st, a, name, &other);
	if (rc == 0 && other.id != u->id) {
		field_error(errors, "name", "That user name is taken.");
		return Q_EINVAL;
	}
	if (rc && rc != Q_ENOTFOUND)
		return rc;
	*skeleton = archive_name_skeleton(a, name);
	if (*skeleton && (rc = store_user_get_by_skeleton(st, a, *skeleton, &other)) == 0 && other.id != u->id) {
		field_error(errors, "name", arena_printf(a, "That name looks too much like the account “%s”.", other.name));
		return Q_EINVAL;
	}
	return rc == Q_ENOTFOUND ? 0 : rc;
}

int mod_user_rename(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id,
                    const char *name, int64_t *log_id, struct field_errors *errors, const char **why)
{
	struct store *st = community_store(c);
	*why = NULL;
	if (!mod_may(rq->actor, POWER_RENAME)) {
		*why = "Only administrators can rename accounts.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	const char *clean = archive_trim(a, name);
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct user u;
	const char *skeleton = NULL;
	int64_t id = 0;
	if ((rc = load_subject(st, a, rq->actor, user_id, &u, why)))
		goto done;
	if (!strcmp(u.name, clean)) {
		*why = "That is the account's name already.";
		rc = Q_EEXIST;
		goto done;
	}
	if ((rc = check_new_name(st, a, &u, clean, &skeleton, errors))) {
		*why = rc == Q_EINVAL ? "Please choose another name." : NULL;
		goto done;
	}
	struct user renamed = u;
	renamed.name = clean;
	if ((rc = mod_log(st, rq->actor, MOD_USER_RENAME, "user", u.id, clean, &renamed, reason,
	                  arena_printf(a, "was %s", u.name), rq->report_id, &id)) ||
	    (rc = store_user_rename(st, u.id, clean, skeleton)))
		goto done;
	rc = mod_tell(c, a, u.id, clean, 0, arena_printf(a, "renamed your account from “%s” to “%s”", u.name, clean),
	              reason, arena_printf(a, "Log in as %s from now on.", clean));
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = "The account is renamed. Its owner was told.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

int mod_undo_rename(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                    const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	struct user u;
	struct field_errors errors = {0};
	const char *old = !strncmp(e->detail, "was ", 4) ? e->detail + 4 : NULL, *skeleton = NULL;
	int rc = store_user_get(st, a, e->target_id, &u);
	if (rc || !old) {
		*why = "The account is gone: there is nothing to undo.";
		return rc == Q_ENOTFOUND || !old ? Q_EINVAL : rc;
	}
	if ((rc = check_new_name(st, a, &u, old, &skeleton, &errors))) {
		*why = rc == Q_EINVAL ? arena_printf(a, "The old name can't be given back: %s", errors.items[0].message) : NULL;
		return rc;
	}
	struct mod_entry e2 = *e;
	e2.target_name = old;
	e2.subject_name = old;
	if ((rc = mod_log_undo(st, rq, &e2, MOD_USER_RENAME, reason, arena_printf(a, "was %s", u.name), new_id)) ||
	    (rc = store_user_rename(st, u.id, old, skeleton)))
		return rc;
	return mod_tell(c, a, u.id, old, 0, arena_printf(a, "gave your account its name “%s” back", old), reason, NULL);
}

/* ---- Roles ------------------------------------------------------------------------------------- */

int mod_role_set(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id,
                 const char *role, int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	*why = NULL;
	if (!mod_may(rq->actor, POWER_ROLES)) {
		*why = "Only administrators grant roles.";
		return Q_EPERM;
	}
	if (!archive_role_known(role)) {
		*why = "Roles are user, moderator, wrangler and admin.";
		return Q_EINVAL;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct user u;
	int64_t id = 0;
	if ((rc = load_subject(st, a, rq->actor, user_id, &u, why)))
		goto done;
	if (!strcmp(u.role, role)) {
		*why = "The account has that role already.";
		rc = Q_EEXIST;
		goto done;
	}
	if ((rc = mod_log(st, rq->actor, MOD_ROLE_SET, "user", u.id, u.name, &u, reason,
	                  arena_printf(a, "%s → %s", u.role, role), 0, &id)) ||
	    (rc = store_user_set_role(st, u.id, role)))
		goto done;
	rc = mod_tell(c, a, u.id, u.name, 0, arena_printf(a, "made you %s %s", !strcmp(role, "admin") ? "an" : "a",
	                                                  !strcmp(role, "user") ? "reader and writer without a role" : role),
	              reason, NULL);
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = "The role is changed.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

int mod_undo_role(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                  const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	const char *arrow = strstr(e->detail, " → ");
	const char *old = arrow ? arena_strndup(a, e->detail, (size_t)(arrow - e->detail)) : NULL;
	struct user u;
	int rc = store_user_get(st, a, e->target_id, &u);
	if (rc || !old || !archive_role_known(old)) {
		*why = "The account is gone: there is nothing to undo.";
		return rc == Q_ENOTFOUND || !old ? Q_EINVAL : rc;
	}
	if (rq->actor && rq->actor->id == u.id) {
		*why = "You can't change your own role.";
		return Q_EINVAL;
	}
	if ((rc = mod_log_undo(st, rq, e, MOD_ROLE_SET, reason, arena_printf(a, "%s → %s", u.role, old), new_id)) ||
	    (rc = store_user_set_role(st, u.id, old)))
		return rc;
	return mod_tell(c, a, u.id, u.name, 0, arena_printf(a, "gave you back your role (%s)", old), reason, NULL);
}
