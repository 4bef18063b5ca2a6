/* Heap allocation that aborts on failure, in one place, so callers never check for NULL. */
#ifndef QUIRE_CORE_ALLOC_H
#define QUIRE_CORE_ALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
#endif
