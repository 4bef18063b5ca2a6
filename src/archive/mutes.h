/* Muting, as on AO3: a reader mutes an account or a tag, and that account's works and comments and that tag's works
 * disappear from the reader's own listings, search, feeds and comment threads. Nobody else's pages change, so
 * guests' cached pages and the shared reading fragments stay as they are (a mute writes no change event). */
#ifndef QUIRE_ARCHIVE_MUTES_H
#define QUIRE_ARCHIVE_MUTES_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/response.h"
#include "core/arena.h"
#include "store/store.h"

#define MUTES_MAX 500 /* accounts and tags one reader may mute */

/* A reader's mutes, ready to apply. */
struct mute_set {
	int64_t *users;
	size_t nusers;
	struct tag_ref *tags;
	size_t ntags;
};

/* Loads viewer's mutes (none for a guest). Q_E* on a store failure (out is then empty). */
int mutes_load(struct store *st, struct arena *a, const struct user *viewer, struct mute_set *out);
/* Leaves muted accounts' and tags' works out of q; not the muted account's own works when q lists them
 * (creator_id: the reader went to that author's page on purpose). */
void mutes_apply_listing(struct arena *a, const struct mute_set *m, struct listing_query *q);
/* Leaves muted accounts' comments (and the replies below them) out of a thread as comments_for_viewer built it. */
void mutes_filter_comments(struct arena *a, const struct mute_set *m, struct comment_view *v, size_t *n);
bool mutes_has_user(const struct mute_set *m, int64_t user_id);

/* u mutes (on) or unmutes the account named name, or the tag t (type and name as the tag page names it). Refused
 * with *why: a guest (Q_EPERM), an unknown name (Q_ENOTFOUND), yourself, the orphan account or a site moderator
 * (Q_EINVAL), more than MUTES_MAX (Q_ETOOBIG). */
int mute_user(struct store *st, struct arena *a, const struct user *u, const char *name, bool on, const char **why);
int mute_tag(struct store *st, struct arena *a, const struct user *u, const struct tag *t, bool on, const char **why);
#endif
