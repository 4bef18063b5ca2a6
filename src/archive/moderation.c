/* Moderation: what every action shares (reasons, the log, telling people, undoing any entry), and the actions on
 * works (hide, delete, and their undoing). Accounts are moderation_people.c's, comments and bookmarks
 * moderation_posts.c's. */
#include "archive/moderation_int.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/utf8.h"
#include <string.h>

/* ---- What the actions are called, who undoes them, how ------------------------------------------ */

static const struct {
	const char *action, *label;
	enum archive_power power; /* what undoing it takes (POWER_COUNT: it cannot be undone) */
	mod_undo_fn *undo;
} kinds[] = {
	{MOD_WORK_HIDE, "hid a work", POWER_HIDE_WORKS, mod_undo_work},
	{MOD_WORK_UNHIDE, "showed a work again", POWER_COUNT, NULL},
	{MOD_WORK_DELETE, "deleted a work", POWER_DELETE_WORKS, mod_undo_work},
	{MOD_WORK_RESTORE, "restored a work", POWER_COUNT, NULL},
	{MOD_USER_SUSPEND, "suspended an account", POWER_SUSPEND, mod_undo_sanction},
	{MOD_USER_BAN, "banned an account", POWER_BAN, mod_undo_sanction},
	{MOD_USER_LIFT, "lifted a suspension or ban", POWER_COUNT, NULL},
	{MOD_USER_RENAME, "renamed an account", POWER_RENAME, mod_undo_rename},
	{MOD_ROLE_SET, "changed a role", POWER_ROLES, mod_undo_role},
	{MOD_COMMENT_DELETE, "deleted a comment", POWER_COMMENTS, mod_undo_comment},
	{MOD_COMMENT_RESTORE, "restored a comment", POWER_COUNT, NULL},
	{MOD_COMMENTS_LOCK, "locked a work's comments", POWER_COMMENTS, mod_undo_lock},
	{MOD_COMMENTS_UNLOCK, "unlocked a work's comments", POWER_COUNT, NULL},
	{MOD_BOOKMARK_REMOVE, "removed a bookmark", POWER_BOOKMARKS, mod_undo_bookmark},
	{MOD_BOOKMARK_RESTORE, "restored a bookmark", POWER_COUNT, NULL},
	{MOD_REPORT_STATUS, "changed a report's status", POWER_COUNT, NULL},
	{MOD_REPORT_ASSIGN, "assigned a report", POWER_COUNT, NULL},
	{MOD_SETTINGS, "changed the site's settings", POWER_COUNT, NULL},
	{MOD_BANNER_SET, "put up a banner", POWER_COUNT, NULL},
	{MOD_BANNER_CLEAR, "took the banner down", POWER_COUNT, NULL},
	{MOD_PAGE_SAVE, "saved a site page", POWER_COUNT, NULL},
	{MOD_PAGE_DELETE, "deleted a site page", POWER_COUNT, NULL},
	{MOD_NEWS_POST, "posted news", POWER_COUNT, NULL},
	{MOD_NEWS_DELETE, "deleted news", POWER_COUNT, NULL},
	{MOD_INVITES_SENT, "sent invitations", POWER_COUNT, NULL},
	{MOD_SPAM, "marked spam", POWER_COUNT, NULL},
	{MOD_HAM, "released from the spam queue", POWER_COUNT, NULL},
	{MOD_BLOCKLIST, "changed the sign-up blocklist", POWER_COUNT, NULL},
	{MOD_PURGE, "purged what was deleted long ago", POWER_COUNT, NULL},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *const mod_actions[NKINDS + 1] = {
	MOD_WORK_HIDE, MOD_WORK_UNHIDE, MOD_WORK_DELETE, MOD_WORK_RESTORE, MOD_USER_SUSPEND, MOD_USER_BAN,
	MOD_USER_LIFT, MOD_USER_RENAME, MOD_ROLE_SET, MOD_COMMENT_DELETE, MOD_COMMENT_RESTORE, MOD_COMMENTS_LOCK,
	MOD_COMMENTS_UNLOCK, MOD_BOOKMARK_REMOVE, MOD_BOOKMARK_RESTORE, MOD_REPORT_STATUS, MOD_REPORT_ASSIGN,
	MOD_SETTINGS, MOD_BANNER_SET, MOD_BANNER_CLEAR, MOD_PAGE_SAVE, MOD_PAGE_DELETE, MOD_NEWS_POST, MOD_NEWS_DELETE,
	MOD_INVITES_SENT, MOD_SPAM, MOD_HAM, MOD_BLOCKLIST, MOD_PURGE, NULL,
};

static int kind_of(const char *action)
{
	for (size_t i = 0; action && i < NKINDS; i++)
		if (!strcmp(kinds[i].action, action))
			return (int)i;
	return -1;
}

const char *mod_action_label(const char *action)
{
	int k = kind_of(action);
	return k >= 0 ? kinds[k].label : action ? action : "";
}

/* ---- Shared by every action ------------------------------------------------------------------- */

bool mod_may(const struct user *actor, enum archive_power p)
{
	return actor == NULL || archive_may(actor, p);
}

const char *mod_actor_name(const struct user *actor)
{
	return actor ? actor->name : "command line";
}

const char *mod_reason(struct arena *a, const char *reason, const char **why)
{
	const char *r = reason ? reason : "";
	size_t len = strlen(r);
	if (!utf8_valid(r, len)) {
		*why = "The reason contains invalid UTF-8 (text encoding).";
		return NULL;
	}
	const char *t = archive_trim(a, r);
	if (archive_text_invisible(t, strlen(t))) {
		*why = "Please give a reason: the person it concerns is told, and it goes into the audit log.";
		return NULL;
	}
	if (utf8_length(t, strlen(t)) > MOD_REASON_MAX) {
		*why = "The reason can be at most 2,000 characters long.";
		return NULL;
	}
	return t;
}

int mod_log(struct store *st, const struct user *actor, const char *action, const char *target_kind,
            int64_t target_id, const char *target_name, const struct user *subject, const char *reason,
            const char *detail, int64_t report_id, int64_t *id)
{
	struct mod_entry e = {
		.actor_id = actor ? actor->id : 0,
		.actor_name = mod_actor_name(actor),
		.action = action,
		.target_kind = target_kind,
		.target_id = target_id,
		.target_name = target_name ? target_name : "",
		.subject_id = subject ? subject->id : 0,
		.subject_name = subject ? subject->name : "",
		.reason = reason ? reason : "",
		.detail = detail ? detail : "",
		.report_id = report_id,
	};
	return store_mod_log_add(st, &e, id);
}

int mod_log_undo(struct store *st, const struct mod_request *rq, const struct mod_entry *e, const char *action,
                 const char *reason, const char *detail, int64_t *new_id)
{
	struct mod_entry u = {
		.actor_id = rq->actor ? rq->actor->id : 0,
		.actor_name = mod_actor_name(rq->actor),
		.action = action,
		.target_kind = e->target_kind,
		.target_id = e->target_id,
		.target_name = e->target_name,
		.subject_id = e->subject_id,
		.subject_name = e->subject_name,
		.reason = reason,
		.detail = detail ? detail : "",
		.undoes = e->id,
	};
	return store_mod_log_add(st, &u, new_id);
}

int mod_tell(struct community *c, struct arena *a, int64_t user_id, const char *user_name, int64_t work_id,
             const char *what, const char *reason, const char *more)
{
	if (!user_id)
		return 0;
	const char *site = community_site_name(c, a);
	const char *text = arena_printf(a, "The moderators %s. Reason: %s", what, reason);
	const char *subject = arena_printf(a, "[%s] The moderators %s", site, what);
	const char *body = arena_printf(a,
	                                "Hello %s,\n\n"
	                                "The moderators of %s %s.\n\n"
	                                "Their reason:\n%s\n\n"
	                                "%s%s"
	                                "If you think this is a mistake, write to the site's administrators.\n",
	                                user_name, site, what, reason, more ? more : "", more ? "\n\n" : "");
	return store_notice_add(community_store(c), user_id, NULL, work_id, text, subject, body);
}

int mod_begin(struct store *st, const char **why)
{
	int rc = store_tx_begin(st);
	if (rc)
		*why = "The archive is busy. Please try again in a moment.";
	return rc;
}

int mod_end(struct store *st, int rc, const char **why)
{
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The change could not be saved. Please try again.";
	return rc;
}

/* The report an action answers is resolved with it; it must exist. */
static int resolve_report(struct store *st, int64_t report_id, const char **why)
{
	int rc = report_id ? store_report_set(st, report_id, REPORT_RESOLVED, -1) : 0;
	if (rc == Q_ENOTFOUND)
		*why = "There is no such report.";
	return rc;
}

/* ---- Works ------------------------------------------------------------------------------------- */

/* Every creator of w who accepted hears what happened to it. */
static int tell_creators(struct community *c, struct arena *a, const struct work *w, bool link, const char *what,
                         const char *reason)
{
	const char *base = community_base_url(c, a);
	for (size_t i = 0; i < w->ncreators; i++) {
		const struct creator *cr = &w->creators[i];
		if (i > 0 && !cr->accepted)
			continue;
		const char *more = link ? arena_printf(a, "The work: %s/works/%lld%s", base, (long long)w->id,
		                                       !strcmp(what, "hid") ? "\nOnly you and the moderators can see it "
		                                                              "until they show it again." : "")
		                        : NULL;
		int rc = mod_tell(c, a, cr->user_id, cr->name, link ? w->id : 0,
		                  arena_printf(a, "%s your work “%s”", what, w->title), reason, more);
		if (rc)
			return rc;
	}
	return 0;
}

/* The work as moderators see it, checked for the action (drafts are not theirs to see). */
static int load_work(struct store *st, struct arena *a, int64_t work_id, struct work *w, const char **why)
{
	int rc = work_id > 0 ? store_work_get(st, a, work_id, w) : Q_ENOTFOUND;
	if (rc == 0 && w->draft)
		rc = Q_ENOTFOUND;
	*why = rc == Q_ENOTFOUND ? "There is no such work." : rc ? "The work could not be loaded." : NULL;
	return rc;
}

/* A moderator acts on the works of people, not of other moderators and admins (an admin acts on anyone's). */
static int owner_check(struct store *st, struct arena *a, const struct user *actor, const struct work *w,
                       struct user *owner, const char **why)
{
	memset(owner, 0, sizeof *owner);
	if (w->ncreators == 0)
		return 0;
	int rc = store_user_get(st, a, w->creators[0].user_id, owner);
	if (rc)
		return rc;
	if (actor && !archive_is_admin(actor) && archive_is_moderator(owner) && owner->id != actor->id) {
		*why = "Only an administrator can act on the works of moderators and administrators.";
		return Q_EPERM;
	}
	return 0;
}

static int work_action(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                       int state, int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	bool hide = state == 2;
	*why = NULL;
	if (!mod_may(rq->actor, hide ? POWER_HIDE_WORKS : POWER_DELETE_WORKS)) {
		*why = hide ? "Only moderators and administrators can hide works." : "Only administrators can delete works.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct work w;
	struct user owner;
	int64_t id = 0;
	if ((rc = load_work(st, a, work_id, &w, why)) || (rc = owner_check(st, a, rq->actor, &w, &owner, why)))
		goto done;
	if ((hide && w.hidden) || (!hide && w.removed)) {
		*why = hide ? "This work is hidden already." : "This work is deleted already.";
		rc = Q_EEXIST;
		goto done;
	}
	if (hide && w.removed) {
		*why = "This work is deleted: restore it first.";
		rc = Q_EINVAL;
		goto done;
	}
	/* Deleting a hidden work remembers why it was hidden, so restoring it hides it again. */
	const char *detail = "";
	struct work_moderation was;
	if (!hide && w.hidden && store_work_moderation_get(st, a, w.id, &was) == 0)
		detail = arena_printf(a, "was hidden: %s", was.reason);
	if ((rc = mod_log(st, rq->actor, hide ? MOD_WORK_HIDE : MOD_WORK_DELETE, "work", w.id, w.title,
	                  owner.id ? &owner : NULL, reason, detail, rq->report_id, &id)) ||
	    (rc = store_work_moderate(st, w.id, state, reason, id)) || (rc = resolve_report(st, rq->report_id, why)))
		goto done;
	rc = tell_creators(c, a, &w, hide, hide ? "hid" : "deleted", reason);
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = hide ? "The work is hidden. Its creators were told why." : "The work is deleted. Its creators were "
		                                                                  "told why; it can be restored from the log for 30 days.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

int mod_work_hide(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                  int64_t *log_id, const char **why)
{
	return work_action(c, a, rq, work_id, 2, log_id, why);
}

int mod_work_delete(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                    int64_t *log_id, const char **why)
{
	return work_action(c, a, rq, work_id, 3, log_id, why);
}

/* Undoing a hide or a delete: the work goes back to where it was (a deleted work that had been hidden is
 * hidden again, with its old reason). */
int mod_undo_work(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                  const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	bool hide = !strcmp(e->action, MOD_WORK_HIDE);
	struct work w;
	struct user owner;
	int rc = load_work(st, a, e->target_id, &w, why);
	if (rc == Q_ENOTFOUND) {
		*why = "The work is gone for good: there is nothing to undo.";
		return Q_EINVAL;
	}
	if (rc || (rc = owner_check(st, a, rq->actor, &w, &owner, why)))
		return rc;
	if ((hide && !w.hidden) || (!hide && !w.removed)) {
		*why = hide ? "This work is not hidden any more." : "This work is not deleted any more.";
		return Q_EINVAL;
	}
	const char *was = !hide && !strncmp(e->detail, "was hidden: ", 12) ? e->detail + 12 : NULL;
	if ((rc = mod_log_undo(st, rq, e, hide ? MOD_WORK_UNHIDE : MOD_WORK_RESTORE, reason, was ? "hidden again" : "",
	                       new_id)) ||
	    (rc = store_work_moderate(st, w.id, was ? 2 : 0, was, *new_id)))
		return rc;
	return tell_creators(c, a, &w, true, was ? "restored (still hidden)" : hide ? "showed again" : "restored", reason);
}

/* ---- Undo ------------------------------------------------------------------------------------------ */

bool mod_can_undo(const struct user *actor, const struct mod_entry *e)
{
	int k = kind_of(e->action);
	return k >= 0 && kinds[k].undo && !e->undoes && !e->undone_by && mod_may(actor, kinds[k].power);
}

int mod_undo(struct community *c, struct arena *a, const struct mod_request *rq, int64_t log_id, int64_t *new_id,
             const char **why)
{
	struct store *st = community_store(c);
	struct mod_entry e;
	*why = NULL;
	int rc = log_id > 0 ? store_mod_log_get(st, a, log_id, &e) : Q_ENOTFOUND;
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such entry in the log." : "The log could not be read.";
		return rc;
	}
	if (e.undone_by) {
		*why = "This was undone already.";
		return Q_EEXIST;
	}
	int k = kind_of(e.action);
	if (k < 0 || !kinds[k].undo || e.undoes) {
		*why = e.undoes ? "An undo cannot be undone: act again instead." : "This kind of entry cannot be undone.";
		return Q_EINVAL;
	}
	if (!mod_may(rq->actor, kinds[k].power)) {
		*why = "Your role may not undo this.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	if ((rc = mod_begin(st, why)))
		return rc;
	int64_t id = 0;
	rc = kinds[k].undo(c, a, rq, &e, reason, &id, why);
	if (rc == Q_EEXIST && !*why)
		*why = "This was undone already.";
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = "Undone. Whoever it concerned was told.";
		if (new_id)
			*new_id = id;
	}
	return rc;
}

/* ---- Purging what was deleted long ago --------------------------------------------------------------- */

#define PURGE_BATCH 50

int mod_purge(struct community *c, struct arena *a, int64_t now, int64_t *works, int64_t *posts)
{
	struct store *st = community_store(c);
	static const struct user archive = {.id = 0, .name = "the archive", .role = "admin"};
	int64_t before = now - (int64_t)MOD_KEEP_DAYS * 86400, *ids = NULL, comments = 0, bookmarks = 0;
	size_t n = 0;
	*works = *posts = 0;
	int rc = store_works_purgeable(st, a, before, PURGE_BATCH, &ids, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct work w;
		if ((rc = store_tx_begin(st)))
			break;
		rc = store_work_get(st, a, ids[i], &w);
		if (rc == 0 && w.removed) /* still deleted: an undo may have come first */
			rc = store_work_delete(st, w.id);
		if (rc == 0 && w.removed)
			rc = mod_log(st, &archive, MOD_PURGE, "work", w.id, w.title, NULL,
			             arena_printf(a, "deleted by moderators more than %d days ago", MOD_KEEP_DAYS), "", 0, NULL);
		*works += rc == 0 && w.removed;
		rc = archive_tx_end(st, rc == Q_ENOTFOUND ? 0 : rc);
	}
	if (rc == 0 && (rc = store_tx_begin(st)) == 0) {
		rc = store_quarantine_purge(st, before, &comments, &bookmarks);
		if (rc == 0 && comments + bookmarks > 0)
			rc = mod_log(st, &archive, MOD_PURGE, "quarantine", 0, "kept text", NULL,
			             arena_printf(a, "removed by moderators more than %d days ago", MOD_KEEP_DAYS),
			             arena_printf(a, "%lld comments' text, %lld bookmarks", (long long)comments,
			                          (long long)bookmarks), 0, NULL);
		rc = archive_tx_end(st, rc);
		if (rc == 0)
			*posts = comments + bookmarks;
	}
	return rc;
}
