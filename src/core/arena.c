/* Per-request arena: a chain of blocks; large requests get a block of their own. */
#include "core/arena.h"
#include "core/alloc.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (16 * 1024)
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	struct block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		struct block *nb = xmalloc(sizeof *nb + cap);
		nb->used = 0;
		nb->cap = cap;
		if (b && n > ARENA_BLOCK / 2) {
			/* Keep the current block for small allocations: put the big one behind it. */
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			a->total += n;
			return nb->data;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		xmalloc(SIZE_MAX); /* aborts */
	void *p = arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	/* Formatted straight into the current block's free space when it fits (the usual case), so the
	 * format runs once; else measured there and formatted again into a block big enough. */
	struct block *b = a->head;
	size_t room = b ? b->cap - b->used : 0;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(room ? (char *)b->data + b->used : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strndup(a, "", 0);
	if ((size_t)n < room)
		return arena_alloc(a, (size_t)n + 1); /* block sizes and uses are multiples of ARENA_ALIGN: same spot */
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *arena_cat_id(struct arena *a, const char *prefix, long long id, const char *suffix)
{
	char digits[24], *d = digits + sizeof digits;
	unsigned long long u = id < 0 ? 0ULL - (unsigned long long)id : (unsigned long long)id;
	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	if (id < 0)
		*--d = '-';
	size_t np = strlen(prefix), nd = (size_t)(digits + sizeof digits - d), ns = strlen(suffix);
	char *p = arena_alloc(a, np + nd + ns + 1);
	memcpy(p, prefix, np);
	memcpy(p + np, d, nd);
	memcpy(p + np + nd, suffix, ns + 1);
	return p;
}

void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, arr, n * size);
	*cap = ncap;
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
