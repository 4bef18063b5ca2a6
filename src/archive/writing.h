/* The writer's check in the rules layer: what a check of a work's text is given (its language and the
 * dictionary the writer picked, the names in its tags, creators and accepted words, its dismissed
 * suggestions, the rest of the work for the names it uses), and the workflow that remembers an accepted
 * name, a dismissal or a picked dictionary for one work or for all of a writer's works. */
#ifndef QUIRE_ARCHIVE_WRITING_H
#define QUIRE_ARCHIVE_WRITING_H
#include "archive/errors.h"
#include "store/store.h"
#include <stdbool.h>

#define ARCHIVE_WRITING_WORDS_MAX 2000 /* remembered words per work, and per writer for all works */
#define ARCHIVE_WRITING_WORD_BYTES 200 /* one word, name or suggestion key */
#define ARCHIVE_WRITING_CONTEXT_MAX (2u << 20) /* bytes of the work's other chapters read for its names */

struct writing_setup {
	const char *lang;      /* "en", or the picked variant "en_GB"; "und" when the language has no code */
	const char *variant;   /* the picked dictionary, or NULL (every variant) */
	const char *names;     /* tags, creators, accepted words, comma-separated */
	const char **dismissed;
	size_t ndismissed;
	const char *context;   /* the other chapters' text, or NULL */
};

/* What a check of wk's text (wk NULL: a work not yet saved) by writer u uses. With context, the text of wk's
 * other chapters than skip_chapter_id (bounded by ARCHIVE_WRITING_CONTEXT_MAX) is read for its names. The
 * caller has checked that u may edit wk. */
int archive_writing_setup(struct store *st, struct arena *a, const struct user *u, const struct work *wk,
                          int64_t skip_chapter_id, bool context, struct writing_setup *out);
/* Remembers (on) or forgets word of kind (WRITING_WORD_NAME, _DISMISSED, _VARIANT) for work_id (u must be
 * one of its creators) or, with all_works or work_id 0, for all of u's works. Q_EINVAL with e filled for a
 * bad word; Q_EPERM, Q_ENOTFOUND; Q_ETOOBIG past ARCHIVE_WRITING_WORDS_MAX. */
int archive_writing_word(struct store *st, struct arena *a, const struct user *u, int64_t work_id, bool all_works,
                         int kind, const char *word, bool on, struct field_errors *e);
/* The check's language code for a work's language name ("English" -> "en"; a code such as "en_GB" stays). */
const char *archive_writing_lang(const char *language);
#endif
