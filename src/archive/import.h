/* Posting an imported work: every chapter checked by the rules the forms use, then the work, its chapters,
 * its original dates and where it came from written in one store transaction, so that a failure anywhere
 * leaves nothing behind. The readers in src/import produce what callers turn into this input. */
#ifndef QUIRE_ARCHIVE_IMPORT_H
#define QUIRE_ARCHIVE_IMPORT_H
#include "archive/work.h"
#include "import/import.h"

struct archive_import {
	struct work_input work;
	const struct chapter_input *chapters; /* at least one, at most WORK_CHAPTERS_MAX */
	size_t nchapters;
	int64_t published_at, updated_at;     /* the original dates; 0 = now (a date to come is now too) */
	const int64_t *chapter_published;     /* per chapter, 0 = the work's; NULL for all the work's */
	const struct work_source *source;     /* where it was posted first; NULL when nowhere else */
};

struct archive_import_result {
	struct work work;
	struct chapter *chapters; /* as written (ids filled), or for a preview as they would be */
	size_t nchapters;
};

/* Posts (or with preview only checks) an imported work by u. Errors name chapter fields
 * "chapters.N.content" (N from 1), work fields as archive_work_post does. Return codes as every workflow's
 * (archive/work.h). */
int archive_import_post(struct store *st, struct arena *a, const struct user *u, const struct archive_import *in,
                        bool preview, struct archive_import_result *out, struct field_errors *errors);

/* The same, writing inside the caller's open store_tx (a migration posts many works in one); a refusal
 * (Q_EINVAL) is found before anything is written, so the transaction is still good for the next. */
int archive_import_post_joined(struct store *st, struct arena *a, const struct user *u, const struct archive_import *in,
                               struct archive_import_result *out, struct field_errors *errors);

/* ---- From what a reader of src/import produced ---- */

/* What the writer decided on the preview. */
struct archive_import_choices {
	const struct work_input *work;           /* the work's fields as set; NULL: as imported (archive_import_prefill) */
	const char *const *chapter_titles;       /* per chapter; NULL (or a NULL entry): as imported */
	const enum import_place *const *places;  /* per chapter, per part; NULL (or a NULL entry): as proposed */
};

/* The work's fields as the import found them: ratings, warnings and categories only when they are the
 * archive's own, everything else as it came (the rules check it all when it is posted). */
void archive_import_prefill(struct arena *a, const struct import_work *iw, struct work_input *out);
/* Chapter i of iw as the writer chose to place its parts: the input the rules check. */
void archive_import_chapter(struct arena *a, const struct import_work *iw, const struct archive_import_choices *choices,
                            size_t i, struct chapter_input *out);
/* Posts iw as the writer chose (its parts placed, its fields set), with its original dates and source. */
int archive_import_from(struct store *st, struct arena *a, const struct user *u, const struct import_work *iw,
                        const struct archive_import_choices *choices, bool preview, struct archive_import_result *out,
                        struct field_errors *errors);
#endif
