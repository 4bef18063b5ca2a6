/* Open-addressing hash sets with a fixed capacity (twice the members, so probes stay short). */
#include "archive/set.h"
#include "core/hash.h"
#include <string.h>

struct archive_set {
	size_t cap, n, max; /* cap is a power of two > 2 * max */
	const char **strs;  /* one of the two is used */
	int64_t *ids;
};

struct archive_set *archive_set_new(struct arena *a, size_t max)
{
	struct archive_set *s = arena_calloc(a, 1, sizeof *s);
	s->cap = 8;
	while (s->cap <= 2 * max)
		s->cap *= 2;
	s->max = max;
	s->strs = arena_calloc(a, s->cap, sizeof *s->strs);
	s->ids = arena_calloc(a, s->cap, sizeof *s->ids);
	return s;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* FNV-1a over the ASCII-lowered bytes. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = HASH_FNV_OFFSET;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = hash_fnv1a_byte(h, lower(*p));
	return h;
}

static bool same_str(const char *x, const char *y)
{
	for (; *x && lower((unsigned char)*x) == lower((unsigned char)*y); x++, y++)
		;
	return lower((unsigned char)*x) == lower((unsigned char)*y);
}

bool archive_set_add_str(struct archive_set *set, const char *s)
{
	size_t i = (size_t)hash_str(s) & (set->cap - 1);
	for (; set->strs[i]; i = (i + 1) & (set->cap - 1))
		if (same_str(set->strs[i], s))
			return false;
	if (set->n >= set->max)
		return false;
	set->strs[i] = s;
	set->n++;
	return true;
}

static size_t slot_of(const struct archive_set *set, int64_t id)
{
	uint64_t h = (uint64_t)id * 11400714819323198485ULL; /* Fibonacci hashing */
	size_t i = (size_t)(h >> 32) & (set->cap - 1);
	while (set->ids[i] && set->ids[i] != id)
		i = (i + 1) & (set->cap - 1);
	return i;
}

bool archive_set_add_id(struct archive_set *set, int64_t id)
{
	size_t i = slot_of(set, id);
	if (set->ids[i] || set->n >= set->max || id == 0)
		return false;
	set->ids[i] = id;
	set->n++;
	return true;
}

bool archive_set_has_id(const struct archive_set *set, int64_t id)
{
	return id != 0 && set->ids[slot_of(set, id)] == id;
}
