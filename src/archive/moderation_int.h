/* Internal to the moderation workflows (moderation.c: works, the log and undo; moderation_people.c: accounts;
 * moderation_posts.c: comments and bookmarks): what they share. */
#ifndef QUIRE_ARCHIVE_MODERATION_INT_H
#define QUIRE_ARCHIVE_MODERATION_INT_H
#include "archive/moderation.h"
#include "archive/roles.h"

/* The command line (actor NULL) may do anything; others what their role's powers allow. */
bool mod_may(const struct user *actor, enum archive_power p);
/* The actor's name as the log keeps it. */
const char *mod_actor_name(const struct user *actor);
/* Tells one account: an inbox message (about work_id when not 0) and a mail saying the same, from the site. */
int mod_tell(struct community *c, struct arena *a, int64_t user_id, const char *user_name, int64_t work_id,
             const char *what, const char *reason, const char *more);
/* Begins a workflow's transaction, or returns non-zero with *why set. */
int mod_begin(struct store *st, const char **why);
/* Ends it (archive_tx_end), with a default sentence when it failed without one. */
int mod_end(struct store *st, int rc, const char **why);

/* Undoing each kind of entry (inside the transaction mod_undo opened): a new entry undoing e (reason given),
 * whose id goes to *new_id, and the change itself. *why is set when refused. */
typedef int mod_undo_fn(struct community *c, struct arena *a, const struct mod_request *rq, const struct mod_entry *e,
                        const char *reason, int64_t *new_id, const char **why);
mod_undo_fn mod_undo_work, mod_undo_sanction, mod_undo_rename, mod_undo_role, mod_undo_comment, mod_undo_lock,
	mod_undo_bookmark;
/* The entry undoing e: same target and subject, the action given, e->id in undoes. */
int mod_log_undo(struct store *st, const struct mod_request *rq, const struct mod_entry *e, const char *action,
                 const char *reason, const char *detail, int64_t *new_id);
#endif
