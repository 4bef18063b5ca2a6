/* Look-alike user names, by ICU's confusable skeletons: "aIice" and "alice" share one, as do "rnallory"
 * and "mallory". */
#ifndef QUIRE_ARCHIVE_NAMES_H
#define QUIRE_ARCHIVE_NAMES_H
#include "core/arena.h"

/* The skeleton of name (valid UTF-8, at most a few hundred bytes) in the arena; NULL when ICU fails. Two
 * names that look alike as typed have equal skeletons (compare them byte for byte). */
const char *archive_name_skeleton(struct arena *a, const char *name);
#endif
