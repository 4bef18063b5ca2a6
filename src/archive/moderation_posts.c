/* Moderating what readers post: deleting any comment, locking a work's comments, removing bookmarks (each kept
 * so an undo brings it back). */
#include "archive/moderation_int.h"
#include "archive/response.h"
#include "archive/work.h"
#include "core/err.h"
#include <string.h>

/* The work a comment or bookmark is on, as moderators see it (drafts are nobody's but their creators'). */
static int load_work(struct store *st, struct arena *a, int64_t work_id, struct work *w, const char **why)
{
	int rc = store_work_get(st, a, work_id, w);
	if (rc == 0 && w->draft)
		rc = Q_ENOTFOUND;
	if (rc)
		*why = rc == Q_ENOTFOUND ? "There is no such work." : "The work could not be loaded.";
	return rc;
}

/* The writer of a comment, when it has an account, for the log and to be told. */
static void writer_of(struct store *st, struct arena *a, const struct comment *cm, struct user *u)
{
	memset(u, 0, sizeof *u);
	if (cm->user_id && store_user_get(st, a, cm->user_id, u) != 0)
		memset(u, 0, sizeof *u);
}

int mod_comment_delete(struct community *c, struct arena *a, const struct mod_request *rq, int64_t comment_id,
                       int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	*why = NULL;
	if (!mod_may(rq->actor, POWER_COMMENTS)) {
		*why = "Only moderators and administrators can delete other people's comments here.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct comment cm;
	struct work w;
	struct user writer;
	int64_t id = 0;
	if ((rc = comment_id > 0 ? store_comment_get(st, a, comment_id, &cm) : Q_ENOTFOUND)) {
		*why = rc == Q_ENOTFOUND ? "There is no such comment." : "The comment could not be loaded.";
		goto done;
	}
	if ((rc = load_work(st, a, cm.work_id, &w, why)))
		goto done;
	if (cm.state == COMMENT_DELETED) {
		*why = "This comment is deleted already.";
		rc = Q_EEXIST;
		goto done;
	}
	writer_of(st, a, &cm, &writer);
	if (rq->actor && writer.id && !archive_may_act_on(rq->actor, &writer) && writer.id != rq->actor->id) {
		*why = "Only an administrator can act on the comments of moderators and administrators.";
		rc = Q_EPERM;
		goto done;
	}
	if ((rc = mod_log(st, rq->actor, MOD_COMMENT_DELETE, "comment", cm.id,
	                  arena_printf(a, "comment by %s on %s", comment_author(&cm), w.title), writer.id ? &writer : NULL,
	                  reason, "", rq->report_id, &id)) ||
	    (rc = store_comment_quarantine(st, cm.id, id)))
		goto done;
	if (rq->report_id && (rc = store_report_set(st, rq->report_id, REPORT_RESOLVED, -1)) == Q_ENOTFOUND)
		*why = "There is no such report.";
	if (rc == 0 && writer.id)
		rc = mod_tell(c, a, writer.id, writer.name, w.id, arena_printf(a, "deleted your comment on “%s”", w.title),
		              reason, NULL);
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = "The comment is deleted. It can be restored from the log.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

int mod_undo_comment(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                     const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	struct comment cm;
	struct work w;
	int rc = store_comment_get(st, a, e->target_id, &cm);
	if (rc == 0)
		rc = load_work(st, a, cm.work_id, &w, why);
	if (rc) {
		*why = "The comment is gone for good: there is nothing to undo.";
		return rc == Q_ENOTFOUND ? Q_EINVAL : rc;
	}
	if ((rc = mod_log_undo(st, rq, e, MOD_COMMENT_RESTORE, reason, "", new_id)))
		return rc;
	if ((rc = store_comment_restore(st, cm.id)) == Q_ENOTFOUND) {
		*why = "The comment's text was not kept: there is nothing to restore.";
		return Q_EINVAL;
	}
	if (rc)
		return rc;
	return mod_tell(c, a, e->subject_id, e->subject_name, w.id,
	                arena_printf(a, "restored your comment on “%s”", w.title), reason, NULL);
}

int mod_comments_lock(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                      int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	*why = NULL;
	if (!mod_may(rq->actor, POWER_COMMENTS)) {
		*why = "Only moderators and administrators can lock a work's comments.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct work w;
	struct response_counts counts;
	int64_t id = 0;
	if ((rc = load_work(st, a, work_id, &w, why)) || (rc = store_response_counts(st, w.id, 0, &counts)))
		goto done;
	if (counts.locked) {
		*why = "Its comments are locked already.";
		rc = Q_EEXIST;
		goto done;
	}
	struct user owner = {0};
	if (w.ncreators)
		store_user_get(st, a, w.creators[0].user_id, &owner);
	if ((rc = mod_log(st, rq->actor, MOD_COMMENTS_LOCK, "work", w.id, w.title, owner.id ? &owner : NULL, reason, "",
	                  rq->report_id, &id)) ||
	    (rc = store_work_comments_lock(st, w.id, true)))
		goto done;
	if (rq->report_id && (rc = store_report_set(st, rq->report_id, REPORT_RESOLVED, -1)) == Q_ENOTFOUND)
		*why = "There is no such report.";
	for (size_t i = 0; rc == 0 && i < w.ncreators; i++)
		if (i == 0 || w.creators[i].accepted)
			rc = mod_tell(c, a, w.creators[i].user_id, w.creators[i].name, w.id,
			              arena_printf(a, "locked the comments on your work “%s”", w.title), reason,
			              "Nobody can comment on it until they unlock them.");
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = "Its comments are locked. Its creators were told why.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

int mod_undo_lock(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                  const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	struct work w;
	int rc = load_work(st, a, e->target_id, &w, why);
	if (rc) {
		*why = "The work is gone: there is nothing to undo.";
		return rc == Q_ENOTFOUND ? Q_EINVAL : rc;
	}
	if ((rc = mod_log_undo(st, rq, e, MOD_COMMENTS_UNLOCK, reason, "", new_id)) ||
	    (rc = store_work_comments_lock(st, w.id, false)))
		return rc;
	for (size_t i = 0; rc == 0 && i < w.ncreators; i++)
		if (i == 0 || w.creators[i].accepted)
			rc = mod_tell(c, a, w.creators[i].user_id, w.creators[i].name, w.id,
			              arena_printf(a, "unlocked the comments on your work “%s”", w.title), reason, NULL);
	return rc;
}

int mod_bookmark_remove(struct community *c, struct arena *a, const struct mod_request *rq, int64_t bookmark_id,
                        int64_t *log_id, const char **why)
{
	struct store *st = community_store(c);
	*why = NULL;
	if (!mod_may(rq->actor, POWER_BOOKMARKS)) {
		*why = "Only moderators and administrators can remove other people's bookmarks.";
		return Q_EPERM;
	}
	const char *reason = mod_reason(a, rq->reason, why);
	if (!reason)
		return Q_EINVAL;
	int rc = mod_begin(st, why);
	if (rc)
		return rc;
	struct bookmark b;
	struct user owner;
	int64_t id = 0;
	if ((rc = bookmark_id > 0 ? store_bookmark_get(st, a, bookmark_id, &b) : Q_ENOTFOUND) ||
	    (rc = store_user_get(st, a, b.user_id, &owner))) {
		*why = rc == Q_ENOTFOUND ? "There is no such bookmark." : "The bookmark could not be loaded.";
		goto done;
	}
	if (rq->actor && owner.id != rq->actor->id && !archive_may_act_on(rq->actor, &owner)) {
		*why = "Only an administrator can act on the bookmarks of moderators and administrators.";
		rc = Q_EPERM;
		goto done;
	}
	if ((rc = mod_log(st, rq->actor, MOD_BOOKMARK_REMOVE, "bookmark", b.id,
	                  arena_printf(a, "bookmark by %s of %s", owner.name, b.work_title), &owner, reason, "",
	                  rq->report_id, &id)) ||
	    (rc = store_bookmark_quarantine(st, b.id, id)))
		goto done;
	if (rq->report_id && (rc = store_report_set(st, rq->report_id, REPORT_RESOLVED, -1)) == Q_ENOTFOUND)
		*why = "There is no such report.";
	if (rc == 0)
		rc = mod_tell(c, a, owner.id, owner.name, 0, arena_printf(a, "removed your bookmark of “%s”", b.work_title),
		              reason, NULL);
done:
	if ((rc = mod_end(st, rc, why)) == 0) {
		*why = "The bookmark is removed. It can be restored from the log.";
		if (log_id)
			*log_id = id;
	}
	return rc;
}

int mod_undo_bookmark(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                      const char *reason, int64_t *new_id, const char **why)
{
	struct store *st = community_store(c);
	int rc = mod_log_undo(st, rq, e, MOD_BOOKMARK_RESTORE, reason, "", new_id);
	if (rc)
		return rc;
	rc = store_bookmark_restore(st, e->target_id);
	if (rc == Q_EEXIST || rc == Q_ENOTFOUND) {
		*why = rc == Q_EEXIST ? "The reader has bookmarked the work again since: nothing to restore."
		                      : "The bookmark or its work is gone: there is nothing to restore.";
		return Q_EINVAL;
	}
	if (rc)
		return rc;
	return mod_tell(c, a, e->subject_id, e->subject_name, 0, arena_printf(a, "restored your %s", e->target_name),
	                reason, NULL);
}
