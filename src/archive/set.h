/* Hash sets in arena memory, for de-duplication in linear time: strings (ASCII case ignored) and ids. */
#ifndef QUIRE_ARCHIVE_SET_H
#define QUIRE_ARCHIVE_SET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

/* A set sized for at most max members (adding more is refused: callers cap their lists first). */
struct archive_set;
struct archive_set *archive_set_new(struct arena *a, size_t max);
/* Adds s (kept by pointer, not copied); false when an equal string, ignoring ASCII case, is there already
 * or the set is full. Tags and names compare this way, as the store's NOCASE collation does. */
bool archive_set_add_str(struct archive_set *set, const char *s);
/* Adds id (non-zero); false when it is there already or the set is full. */
bool archive_set_add_id(struct archive_set *set, int64_t id);
bool archive_set_has_id(const struct archive_set *set, int64_t id);
#endif
