/* Blocking: who may not comment on whose works or reply to whose comments, and the block workflow. */
#include "archive/blocks.h"
#include "archive/roles.h"
#include "core/err.h"
#include <string.h>

const char *archive_block_forbidden(struct store *st, const struct user *u, const struct user *other)
{
	bool shared = false;
	if (other->id == u->id)
		return "You can't block yourself.";
	if (!strcmp(other->role, "orphan"))
		return "The orphan account holds works whose creators gave them up; nobody comments as it.";
	if (archive_is_moderator(other))
		return "Site administrators can't be blocked, nor moderators: they look after the archive for everyone.";
	/* A block between two creators of one work would stop one commenting on their own work. Unknown (the store
	 * failed) counts as shared: the block can wait. */
	if (store_creators_shared(st, u->id, other->id, &shared) != 0 || shared)
		return "You create a work together: a co-creator can't be blocked. Leave the work first, or ask its owner "
		       "to remove them.";
	return NULL;
}

int archive_block(struct store *st, struct arena *a, const struct user *u, const char *name, bool on,
                  const char **why)
{
	*why = NULL;
	if (!u) {
		*why = "Log in to block users.";
		return Q_EPERM;
	}
	struct user other;
	int rc = store_user_get_by_name(st, a, name ? name : "", &other);
	if (rc == Q_ENOTFOUND) {
		*why = "There is no user by that name.";
		return rc;
	}
	if (rc) {
		*why = "The block could not be saved. Please try again in a moment.";
		return rc;
	}
	if (on && (*why = archive_block_forbidden(st, u, &other)))
		return Q_EINVAL;
	if (other.id == u->id)
		return 0;
	rc = store_user_block_set(st, u->id, other.id, on, BLOCKS_MAX);
	if (rc == Q_ETOOBIG)
		*why = arena_printf(a, "You have blocked %d users, the most an account may. Unblock someone first.",
		                    BLOCKS_MAX);
	else if (rc)
		*why = "The block could not be saved. Please try again in a moment.";
	return rc;
}

bool archive_is_blocking(struct store *st, const struct user *u, int64_t other_id)
{
	int by = BLOCKED_BY_NOBODY;
	/* Asked the other way round: is other blocked by u? */
	return u && other_id != u->id && store_user_blocked_by(st, other_id, 0, u->id, &by) == 0 &&
	       by == BLOCKED_BY_USER;
}

const char *archive_block_refusal(struct store *st, const struct user *u, int64_t work_id, int64_t other_id,
                                  int *rc)
{
	*rc = 0;
	if (!u)
		return NULL; /* guests are not blocked: blocks are between accounts */
	int by = BLOCKED_BY_NOBODY;
	if ((*rc = store_user_blocked_by(st, u->id, work_id, other_id, &by)))
		return "The comment could not be saved. Please try again in a moment.";
	if (by == BLOCKED_BY_USER)
		return "You can't reply to this comment: its writer has blocked you.";
	if (by == BLOCKED_BY_CREATOR)
		return "You can't comment on this work: its creator has blocked you.";
	return NULL;
}
