/* Tag rules: tag page addresses, the media of the fandom directory, who wrangles and how. */
#ifndef QUIRE_ARCHIVE_TAGS_H
#define QUIRE_ARCHIVE_TAGS_H
#include <stdbool.h>
#include "core/arena.h"
#include "store/store.h"

/* AO3's media, in directory order, NULL-terminated. Fandoms without one are "Uncategorized Fandoms". */
extern const char *const archive_media[];
#define ARCHIVE_MEDIA_UNCATEGORIZED "Uncategorized Fandoms"
/* The stored medium for a directory name ("" for ARCHIVE_MEDIA_UNCATEGORIZED), or NULL when unknown. */
const char *archive_media_value(const char *name);

/* "/tags/NAME": as on AO3, '/' '&' '.' '?' '#' become *s* *a* *d* *q* *h* (tag names never hold '*'), the
 * rest is percent-encoded, so every tag has one path segment. Arena memory. */
char *archive_tag_url(struct arena *a, const char *name);
/* The tag name a decoded path segment stands for (the reverse mapping). */
char *archive_tag_url_name(struct arena *a, const char *segment);

/* Whether viewer (NULL: a guest) may learn that tag t exists: a fixed kind, or a tag a posted work the viewer
 * may see carries. A tag only drafts, hidden works or (for guests) members-only works carry stays their
 * creators' secret, whatever the viewer's role. Q_E* store errors count as "no". */
bool archive_tag_seen(struct store *st, const struct tag *t, const struct user *viewer);
/* The same from the counts alone, for lists of related tags (a synonym counts as seen: it became one when a
 * wrangler saw it). */
bool archive_tag_listed(const struct tag *t, const struct user *viewer);

/* Wranglers and admins wrangle tags. */
bool archive_can_wrangle(const struct user *u);

/* A wrangling form as submitted: raw strings (NULL = field absent, left alone). */
struct tag_wrangle_input {
	const char *canonical;   /* "1" = canonical, "" or "0" = not */
	const char *synonym_of;  /* a tag name or "" */
	const char *fandoms;     /* comma-separated fandom names */
	const char *metas;       /* comma-separated meta tag names */
	const char *media;       /* a name from archive_media or ARCHIVE_MEDIA_UNCATEGORIZED */
};
#define ARCHIVE_WRANGLE_LIST_MAX 20

/* Applies a wrangler's form to tag t. Q_EPERM when u may not wrangle; Q_EINVAL with *why (a sentence for
 * the form) when the input or the store refuses; 0 when saved. */
int archive_tag_wrangle(struct store *st, struct arena *a, const struct user *u, const struct tag *t,
                        const struct tag_wrangle_input *in, const char **why);
/* The same rules without the permission check, for trusted callers (the demo archive's seed). */
int archive_tag_apply(struct store *st, struct arena *a, const struct tag *t, const struct tag_wrangle_input *in,
                      const char **why);
/* The tag of type named name (compared folded); Q_ENOTFOUND when none. */
int archive_tag_find(struct store *st, struct arena *a, enum tag_type type, const char *name, struct tag *out);
#endif
