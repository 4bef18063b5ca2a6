/* Readers' suggestions on a passage: where the writer allows it (a work setting, off by default, saved
 * with the work: struct work_input's reader_suggestions), a
 * logged-in reader selects a passage of a chapter and leaves a private suggestion on it (a replacement
 * and/or a note). The writer accepts it (the chapter's text changes through the normal edit workflow),
 * answers it privately or dismisses it. A suggestion is found again by its passage's text after edits, or
 * shown as outdated when the passage is gone. Limits as for comments; blocked users cannot suggest. */
#ifndef QUIRE_ARCHIVE_SUGGESTIONS_H
#define QUIRE_ARCHIVE_SUGGESTIONS_H
#include "archive/errors.h"
#include "store/store.h"
#include <stdbool.h>

#define SUGGESTION_QUOTE_MAX 1000  /* characters of the passage */
#define SUGGESTION_TEXT_MAX 2000   /* characters of a replacement, a note or a reply */
#define SUGGESTION_USER_LIMIT 30   /* suggestions one account may make in SUGGESTION_WINDOW seconds (as comments) */
#define SUGGESTION_WINDOW (15 * 60)
#define SUGGESTION_OPEN_MAX 50     /* open suggestions of one reader on one chapter */

struct suggestion_input {
	const char *quote, *prefix, *suffix; /* the passage, and up to 64 characters before and after it */
	const char *replacement, *note;      /* at least one */
};

/* Whether the work takes suggestions (false on errors). */
bool archive_suggestions_enabled(struct store *st, int64_t work_id);
/* Why u may not suggest on work w (NULL when they may): a guest, a creator, a draft, the setting off, a
 * block. *rc is the store's error when there was one. */
const char *archive_suggestion_refusal(struct store *st, const struct user *u, const struct work *w, int *rc);
/* Makes a suggestion on chapter chapter_id of work_id: Q_EINVAL with errors, Q_EPERM/Q_ENOTFOUND with *why,
 * Q_EBUSY (too many lately), Q_ETOOBIG (too many open on the chapter). */
int archive_suggestion_create(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                              int64_t chapter_id, const struct suggestion_input *in, int64_t *id,
                              struct field_errors *errors, const char **why);
/* Loads suggestion id as u may see it (its reader, or the work's creators); Q_ENOTFOUND otherwise. */
int archive_suggestion_load(struct store *st, struct arena *a, const struct user *u, int64_t id,
                            struct reader_suggestion *out, struct work *wk);
/* The writer's answers to an open suggestion (creators only): accept (its replacement goes into the
 * chapter through archive_chapter_edit; Q_EINVAL with *why when the passage cannot be found in the
 * chapter's source as written), dismiss, or reply privately (the suggestion stays open). */
int archive_suggestion_accept(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why);
int archive_suggestion_dismiss(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why);
int archive_suggestion_reply(struct store *st, struct arena *a, const struct user *u, int64_t id, const char *reply,
                             struct field_errors *errors, const char **why);
/* Where the passage of s is in text (plain text of the chapter): its byte offset, or -1 when it is gone
 * (outdated). The occurrence whose surroundings match the saved context best wins. */
long archive_suggestion_anchor(const char *text, const struct reader_suggestion *s);
/* "open", "accepted", "dismissed". */
const char *archive_suggestion_state_name(int state);
#endif
