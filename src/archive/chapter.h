/* Chapter workflows: add, edit, delete and reorder the chapters of a work, each one store transaction.
 * Return codes as for the work workflows (archive/work.h). Field names have no prefix ("content",
 * "title"); a form that names its inputs otherwise renames them. */
#ifndef QUIRE_ARCHIVE_CHAPTER_H
#define QUIRE_ARCHIVE_CHAPTER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "archive/work.h"

/* Adds a chapter at the end. When the chapters outgrow the expected count, the count is raised to match
 * (a work never reads "3/2"). A work holds at most WORK_CHAPTERS_MAX chapters ("chapters"). */
int archive_chapter_add(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                        const struct chapter_input *in, bool preview, struct archive_result *out,
                        struct field_errors *errors);
/* Replaces a chapter's text with in (complete, as for archive_work_edit). */
int archive_chapter_edit(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                         int64_t chapter_id, const struct chapter_input *in, bool preview,
                         struct archive_result *out, struct field_errors *errors);
/* Deletes a chapter; later ones move up. A work's only chapter cannot go (Q_EINVAL, field "chapter"):
 * deleting the work is the way. */
int archive_chapter_delete(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                           int64_t chapter_id, struct field_errors *errors);

/* One wish of a new chapter order: chapter_id to stand at position (1-based). */
struct archive_position {
	int64_t chapter_id;
	long position;
};
/* Moves chapters to the positions asked for; chapters not named keep theirs. On a tie a chapter named goes
 * before one keeping its place, and otherwise the order the chapters had stays. Refused (field "order"): more than WORK_CHAPTERS_MAX wishes, a chapter named twice, a
 * position below 1, or a chapter that is not this work's. */
int archive_chapter_reorder(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                            const struct archive_position *order, size_t n, struct field_errors *errors);
#endif
