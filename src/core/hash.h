/* FNV-1a, the one string hash of Quire's in-memory tables (templates, page cache, sets, word counts). */
#ifndef QUIRE_CORE_HASH_H
#define QUIRE_CORE_HASH_H
#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_OFFSET 14695981039346656037ULL
#define HASH_FNV_PRIME 1099511628211ULL

/* Folds one byte into h (start from HASH_FNV_OFFSET): for hashes of transformed bytes (lowered, say). */
static inline uint64_t hash_fnv1a_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * HASH_FNV_PRIME;
}

static inline uint64_t hash_fnv1a(const void *p, size_t n)
{
	uint64_t h = HASH_FNV_OFFSET;
	for (size_t i = 0; i < n; i++)
		h = hash_fnv1a_byte(h, ((const unsigned char *)p)[i]);
	return h;
}
#endif
