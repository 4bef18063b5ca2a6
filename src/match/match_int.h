/* Matching internals shared by graph.c (who can write for whom) and match.c (the matching itself). */
#ifndef QUIRE_MATCH_MATCH_INT_H
#define QUIRE_MATCH_MATCH_INT_H
#include "match/match.h"

/* The compatibility graph as a bit matrix over participants in a shuffled order ("positions"): row g, bit r
 * set when the participant at position g can write for the one at position r. n^2/8 bytes at most. */
struct match_graph {
	size_t n, words;   /* participants; 64-bit words per row */
	uint64_t *adj;     /* n rows of `words` words */
	uint64_t *cols;    /* the same transposed: row r, bit g set when g can write for r */
	int32_t *order;    /* position -> sign-up index */
	int32_t *pos;      /* sign-up index -> position */
	uint64_t steps, budget;
};

static inline bool match_bit(const uint64_t *row, size_t i)
{
	return (row[i >> 6] >> (i & 63)) & 1;
}

static inline void match_bit_set(uint64_t *row, size_t i)
{
	row[i >> 6] |= 1ULL << (i & 63);
}

static inline uint64_t *match_row(const struct match_graph *g, size_t i)
{
	return g->adj + i * g->words;
}

static inline uint64_t *match_col(const struct match_graph *g, size_t i)
{
	return g->cols + i * g->words;
}

/* Checks the input against the caps, shuffles it with seed and fills the graph. Q_EINVAL, Q_ETOOBIG (caps or
 * budget); the graph holds nothing to free after a failure. */
int match_graph_build(struct match_graph *g, const struct match_signup *s, size_t n, const struct match_rules *rules,
                      uint64_t seed);
void match_graph_free(struct match_graph *g);
/* The next position >= from whose bit is set in row & mask (mask NULL: row alone), or n when none. */
size_t match_next_bit(const uint64_t *row, const uint64_t *mask, size_t from, size_t n, size_t words);
/* splitmix64: the seeded generator behind the shuffle. */
uint64_t match_rand(uint64_t *state);
#endif
