/* Blocking: a reader or writer stops another user from commenting on their works and replying to their
 * comments (as on AO3). The blocked user is not told; they learn it only when a comment is refused. */
#ifndef QUIRE_ARCHIVE_BLOCKS_H
#define QUIRE_ARCHIVE_BLOCKS_H
#include <stdbool.h>
#include "core/arena.h"
#include "store/store.h"

/* How many users one account may block (the list page shows them all). */
#define BLOCKS_MAX 1000

/* Why u may not block other (themselves, the orphan account, a site administrator or moderator, someone who
 * creates a work with u: its owner or an accepted co-creator), or NULL when u may. */
const char *archive_block_forbidden(struct store *st, const struct user *u, const struct user *other);

/* Blocks (on) or unblocks the user named name for u. Refused with a sentence in *why: nobody logged in
 * (Q_EPERM), an unknown name (Q_ENOTFOUND), yourself, the orphan account or a site administrator
 * (Q_EINVAL), more than BLOCKS_MAX (Q_ETOOBIG). Blocking twice or unblocking someone not blocked is 0. */
int archive_block(struct store *st, struct arena *a, const struct user *u, const char *name, bool on,
                  const char **why);

/* Whether u has blocked other (false on a store error: the page then offers "Block", which is harmless). */
bool archive_is_blocking(struct store *st, const struct user *u, int64_t other_id);

/* Why u may not comment on work w (or reply to a comment by other_id, 0 for none): NULL when they may,
 * else a sentence. *rc is 0, or the store's error (then the sentence asks to try again). */
const char *archive_block_refusal(struct store *st, const struct user *u, int64_t work_id, int64_t other_id,
                                  int *rc);
#endif
