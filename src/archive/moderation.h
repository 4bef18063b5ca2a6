/* Moderation: what moderators and admins do to works, comments, bookmarks and accounts. Every action has a
 * reason, is one store transaction that acts, writes the audit log and tells whoever it concerns (inbox and
 * mail), and can be undone (a new log entry naming the one it undoes; the log itself never changes).
 *
 * Return codes: 0 done; Q_EPERM the actor's role may not (why says so); Q_ENOTFOUND no such thing (or one the
 * actor may not see: drafts are nobody's business but their creators'); Q_EINVAL a missing or too long
 * reason, or a state the action does not apply to; Q_EEXIST already so (hidden twice, undone twice);
 * Q_ERR the store failed. *why is always a sentence for the person. */
#ifndef QUIRE_ARCHIVE_MODERATION_H
#define QUIRE_ARCHIVE_MODERATION_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/community.h"
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define MOD_REASON_MAX 2000 /* characters */

/* The actions, as the audit log names them. */
#define MOD_WORK_HIDE "work_hide"
#define MOD_WORK_UNHIDE "work_unhide"
#define MOD_WORK_DELETE "work_delete"
#define MOD_WORK_RESTORE "work_restore"
#define MOD_USER_SUSPEND "user_suspend"
#define MOD_USER_BAN "user_ban"
#define MOD_USER_LIFT "user_lift"
#define MOD_USER_RENAME "user_rename"
#define MOD_ROLE_SET "role_set"
#define MOD_COMMENT_DELETE "comment_delete"
#define MOD_COMMENT_RESTORE "comment_restore"
#define MOD_COMMENTS_LOCK "comments_lock"
#define MOD_COMMENTS_UNLOCK "comments_unlock"
#define MOD_BOOKMARK_REMOVE "bookmark_remove"
#define MOD_BOOKMARK_RESTORE "bookmark_restore"
#define MOD_REPORT_STATUS "report_status"
#define MOD_REPORT_ASSIGN "report_assign"
#define MOD_SETTINGS "settings"
#define MOD_BANNER_SET "banner_set"
#define MOD_BANNER_CLEAR "banner_clear"
#define MOD_PAGE_SAVE "page_save"
#define MOD_PAGE_DELETE "page_delete"
#define MOD_NEWS_POST "news_post"
#define MOD_NEWS_DELETE "news_delete"
#define MOD_INVITES_SENT "invitations_sent"
#define MOD_SPAM "spam_marked"
#define MOD_HAM "spam_released"
#define MOD_BLOCKLIST "blocklist"
#define MOD_PURGE "purged"

#define MOD_SUSPEND_DAYS_MAX 365
#define MOD_KEEP_DAYS 30 /* what moderators deleted (works, comments' text, bookmarks) can be restored this long */

/* Who acts and why. actor NULL is the command line (site operators). */
struct mod_request {
	const struct user *actor;
	const char *reason;   /* required, at most MOD_REASON_MAX characters */
	int64_t report_id;    /* the report this answers (resolved with it); 0: none */
};

/* Hides a posted work: its creators still see it, marked, with the reason; nobody else does anywhere. */
int mod_work_hide(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                  int64_t *log_id, const char **why);
/* Deletes a posted or hidden work for everyone but moderators; it can be restored (undo). */
int mod_work_delete(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                    int64_t *log_id, const char **why);
/* ---- Accounts (moderation_people.c) ---- */
/* Suspends user_id for days (1..MOD_SUSPEND_DAYS_MAX), or with days 0 bans it for good (POWER_BAN): it cannot
 * log in and its sessions and tokens stop working; with hide_works, every posted work it owns is hidden too
 * (shown again when the sanction is lifted). Replaces a sanction in force. Never the actor themselves, nor
 * (for moderators) a moderator or an admin. */
int mod_user_sanction(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id, int days,
                      bool hide_works, int64_t *log_id, const char **why);
/* Lifts the sanction in force on user_id (undoing the entry that set it). Q_ENOTFOUND when there is none. */
int mod_user_lift(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id,
                  int64_t *log_id, const char **why);
/* Why user_id may not use their account now ("suspended until ...: reason"), or NULL when they may. */
const char *mod_user_held(struct store *st, struct arena *a, int64_t user_id, int64_t now);
/* Renames an account (POWER_RENAME): name rules, taken and look-alike names refused (field "name"). */
int mod_user_rename(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id,
                    const char *name, int64_t *log_id, struct field_errors *errors, const char **why);
/* Gives an account a role of archive_roles (POWER_ROLES; never the actor's own, never the orphan account). */
int mod_role_set(struct community *c, struct arena *a, const struct mod_request *rq, int64_t user_id,
                 const char *role, int64_t *log_id, const char **why);

/* ---- Comments and bookmarks (moderation_posts.c) ---- */
/* Deletes any comment (its text is kept for an undo); its writer is told. */
int mod_comment_delete(struct community *c, struct arena *a, const struct mod_request *rq, int64_t comment_id,
                       int64_t *log_id, const char **why);
/* Locks a work's comments: nobody comments until it is undone, whatever its creators chose. */
int mod_comments_lock(struct community *c, struct arena *a, const struct mod_request *rq, int64_t work_id,
                      int64_t *log_id, const char **why);
/* Removes a bookmark (kept for an undo); its reader is told. */
int mod_bookmark_remove(struct community *c, struct arena *a, const struct mod_request *rq, int64_t bookmark_id,
                        int64_t *log_id, const char **why);

/* Forgets for good what moderators deleted more than MOD_KEEP_DAYS before now: deleted works, and the text kept
 * of deleted comments and removed bookmarks (at most a batch of works a call; the housekeeping thread calls it).
 * Logged, as the archive; the entries that deleted them can no longer be undone. */
int mod_purge(struct community *c, struct arena *a, int64_t now, int64_t *works, int64_t *posts);

/* Undoes entry log_id (rq->reason says why; rq->report_id is ignored). Q_EEXIST when it was undone already,
 * Q_EINVAL when it cannot be undone (an undo itself, or the world moved on: the work was deleted since). */
int mod_undo(struct community *c, struct arena *a, const struct mod_request *rq, int64_t log_id, int64_t *new_id,
             const char **why);
/* Whether actor may undo e (the action's own power, and never an undo of an undo). */
bool mod_can_undo(const struct user *actor, const struct mod_entry *e);

/* "hid a work" and the like, for the log's pages; the action itself for one this version does not know. */
const char *mod_action_label(const char *action);
/* The actions a log filter offers, NULL-terminated. */
extern const char *const mod_actions[];

/* A reason as typed, checked: valid UTF-8, something visible, at most MOD_REASON_MAX characters; the cleaned
 * text (arena), or NULL with *why. */
const char *mod_reason(struct arena *a, const char *reason, const char **why);
/* Writes an entry to the log for an action done elsewhere in the caller's transaction (reports, settings,
 * roles). */
int mod_log(struct store *st, const struct user *actor, const char *action, const char *target_kind,
            int64_t target_id, const char *target_name, const struct user *subject, const char *reason,
            const char *detail, int64_t report_id, int64_t *id);
#endif
