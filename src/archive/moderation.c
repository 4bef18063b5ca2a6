/* Moderation workflows on works, and undoing any logged action: act, log, tell, in one transaction. */
#include "archive/moderation.h"
#include "archive/roles.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/utf8.h"
#include <string.h>

const char *const mod_actions[] = {
	MOD_WORK_HIDE, MOD_WORK_UNHIDE, MOD_WORK_DELETE, MOD_WORK_RESTORE, MOD_REPORT_STATUS, MOD_REPORT_ASSIGN, NULL,
};

static const struct {
	const char *action, *label;
} labels[] = {
	{MOD_WORK_HIDE, "hid a work"},
	{MOD_WORK_UNHIDE, "showed a work again"},
	{MOD_WORK_DELETE, "deleted a work"},
	{MOD_WORK_RESTORE, "restored a work"},
	{MOD_REPORT_STATUS, "changed a report's status"},
	{MOD_REPORT_ASSIGN, "assigned a report"},
};

const char *mod_action_label(const char *action)
{
	for (size_t i = 0; action && i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(labels[i].action, action))
			return labels[i].label;
	return action ? action : "";
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
		.actor_name = actor ? actor->name : "command line",
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

/* ---- Telling the people it concerns ------------------------------------------------------------ */

/* Every creator of w who accepted hears of what happened to it: inbox (linked to the work when link) and mail. */
static int tell_creators(struct community *c, struct arena *a, const struct work *w, bool link, const char *what,
                         const char *reason)
{
	struct store *st = community_store(c);
	const char *site = community_site_name(c, a), *base = community_base_url(c, a);
	for (size_t i = 0; i < w->ncreators; i++) {
		const struct creator *cr = &w->creators[i];
		if (i > 0 && !cr->accepted)
			continue;
		const char *text = arena_printf(a, "The moderators %s your work “%s”. Reason: %s", what, w->title, reason);
		const char *subject = arena_printf(a, "[%s] The moderators %s your work “%s”", site, what, w->title);
		const char *body = arena_printf(a,
		                                "Hello %s,\n\n"
		                                "The moderators of %s %s your work “%s”%s.\n\n"
		                                "Their reason:\n%s\n\n"
		                                "%s"
		                                "If you think this is a mistake, write to the site's administrators.\n",
		                                cr->name, site, what, w->title,
		                                link ? arena_printf(a, " (%s/works/%lld)", base, (long long)w->id) : "",
		                                reason,
		                                !strcmp(what, "hid") ? "Only you and the moderators can see it until they "
		                                                       "show it again.\n\n" : "");
		int rc = store_notice_add(st, cr->user_id, NULL, link ? w->id : 0, text, subject, body);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- Works ------------------------------------------------------------------------------------- */

static bool may(const struct user *actor, enum archive_power p)
{
	return actor == NULL || archive_may(actor, p); /* NULL: the site's operator at the command line */
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

/* The report an action answers: it must exist; it is resolved with the action. */
static int resolve_report(struct store *st, int64_t report_id)
{
	return report_id ? store_report_set(st, report_id, REPORT_RESOLVED, -1) : 0;
}

static int work_action(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                       int state, int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	bool hide = state == 2;
	if (!may(rq->actor, hide ? POWER_HIDE_WORKS : POWER_DELETE_WORKS)) {
		*why = hide ? "Only moderators and administrators can hide works." : "Only administrators can delete works.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
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
	    (rc = store_work_moderate(st, w.id, state, reason, id)) || (rc = resolve_report(st, rq->report_id)) ||
	    (rc = tell_creators(c, a, &w, hide, hide ? "hid" : "deleted", reason)))
		*why = rc == Q_ENOTFOUND ? "There is no such report." : "The change could not be saved. Please try again.";
done:
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The change could not be saved. Please try again.";
	if (rc == 0) {
		*why = hide ? "The work is hidden. Its creators were told why." : "The work is deleted. Its creators were "
		                                                                  "told why; it can be restored from the log.";
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
static int undo_work(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
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
	struct mod_entry u = {
		.actor_id = rq->actor ? rq->actor->id : 0,
		.actor_name = rq->actor ? rq->actor->name : "command line",
		.action = hide ? MOD_WORK_UNHIDE : MOD_WORK_RESTORE,
		.target_kind = "work",
		.target_id = w.id,
		.target_name = w.title,
		.subject_id = owner.id,
		.subject_name = owner.id ? owner.name : "",
		.reason = reason,
		.detail = was ? "hidden again" : "",
		.undoes = e->id,
	};
	if ((rc = store_mod_log_add(st, &u, new_id)) || (rc = store_work_moderate(st, w.id, was ? 2 : 0, was, *new_id)))
		return rc;
	if (was) /* still hidden: the creators see it, and why */
		return tell_creators(c, a, &w, true, "restored (still hidden)", reason);
	return tell_creators(c, a, &w, true, hide ? "showed again" : "restored", reason);
}

bool mod_can_undo(const struct user *actor, const struct mod_entry *e)
{
	if (e->undoes || e->undone_by)
		return false;
	if (!strcmp(e->action, MOD_WORK_HIDE))
		return may(actor, POWER_HIDE_WORKS);
	if (!strcmp(e->action, MOD_WORK_DELETE))
		return may(actor, POWER_DELETE_WORKS);
	return false;
}

int mod_undo(struct community *c, struct arena *a, const struct mod_request *rq, int64_t log_id, int64_t *new_id,
             const char **why)
{
	struct store *st = community_store(c);
	struct mod_entry e;
	int rc = log_id > 0 ? store_mod_log_get(st, a, log_id, &e) : Q_ENOTFOUND;
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such entry in the log." : "The log could not be read.";
		return rc;
	}
	if (e.undone_by) {
		*why = "This was undone already.";
		return Q_EEXIST;
	}
	if (!mod_can_undo(rq->actor, &e)) {
		*why = e.undoes ? "An undo cannot be undone: act again instead." : "You may not undo this.";
		return e.undoes || !rq->actor || archive_is_moderator(rq->actor) ? Q_EINVAL : Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	if ((rc = store_tx_begin(st))) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	int64_t id = 0;
	*why = NULL;
	rc = undo_work(c, a, rq, &e, reason, &id, why);
	if (rc == Q_EEXIST)
		*why = "This was undone already.";
	else if (rc && !*why)
		*why = "The change could not be saved. Please try again.";
	rc = archive_tx_end(st, rc);
	if (rc == 0) {
		*why = "Undone. Whoever it concerned was told.";
		if (new_id)
			*new_id = id;
	}
	return rc;
}
