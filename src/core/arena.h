/* Per-request arena: many small allocations, freed all at once with arena_free. */
#ifndef QUIRE_CORE_ARENA_H
#define QUIRE_CORE_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new empty arena; owned by the caller, released with arena_free. Aborts on OOM. */
struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Memory valid until arena_free; 16-byte aligned. arena_calloc zeroes it. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strdup(struct arena *a, const char *s);        /* NULL in, NULL out */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* prefix, id in decimal, then suffix: arena_printf("%s%lld%s") without the formatter, for the links a page
 * builds by the dozen ("/works/12/kudos"). */
char *arena_cat_id(struct arena *a, const char *prefix, long long id, const char *suffix);
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Room for element n of an arena array arr of size-byte elements, doubling *cap as needed (8 to start);
 * returns the (possibly moved) array. Old copies stay in the arena until it is freed. */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size);
/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const struct arena *a);
#endif
