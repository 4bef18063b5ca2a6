/* Fuzz target: gift-exchange matching over any sign-up set read from bytes: it ends within its budget, and when
 * it answers, the assignments are compatible, one per giver and recipient, and as many as its cover proves
 * possible (brute force agrees for small sets). */
#include "core/err.h"
#include "match/match.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_MAX 48
#define ITEMS 7
#define TAGS 3

static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_match_signups: %s\n", what);
		abort();
	}
}

struct reader {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct reader *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static struct match_signup S[N_MAX];
static struct match_item ITEM[N_MAX][2][ITEMS];
static uint32_t TAG[N_MAX][2][ITEMS][MATCH_DIMS][TAGS];

static void read_item(struct reader *r, struct match_item *it, uint32_t (*tags)[TAGS])
{
	uint8_t any = byte(r);
	it->any = (any & 0x80) ? any & 0x0f : 0;
	uint32_t *ptrs[MATCH_DIMS];
	for (int d = 0; d < MATCH_DIMS; d++) {
		it->ntags[d] = byte(r) % (TAGS + 1);
		for (uint32_t t = 0; t < it->ntags[d]; t++)
			tags[d][t] = byte(r) % 12;
		ptrs[d] = tags[d];
	}
	match_item_normalize(ptrs, it->ntags);
	for (int d = 0; d < MATCH_DIMS; d++)
		it->tags[d] = tags[d];
}

/* The largest matching, by trying every recipient for every giver (n <= 8 only). */
static bool C[8][8], used[8];
static int largest(size_t i, size_t n)
{
	if (i == n)
		return 0;
	int best = largest(i + 1, n);
	for (size_t j = 0; j < n; j++)
		if (C[i][j] && !used[j]) {
			used[j] = true;
			int k = 1 + largest(i + 1, n);
			used[j] = false;
			if (k > best)
				best = k;
		}
	return best;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {data, size};
	size_t n = byte(&r) % (N_MAX + 1);
	uint8_t rb = byte(&r), bb = byte(&r);
	struct match_rules rules = {{rb & 3, (rb >> 2) & 3, (rb >> 4) & 1, (rb >> 5) & 1}, 0};
	if (bb & 1)
		rules.budget = (uint64_t)bb * 40;
	for (size_t i = 0; i < n; i++) {
		uint8_t counts = byte(&r);
		S[i] = (struct match_signup){ITEM[i][0], counts % (ITEMS + 1), ITEM[i][1], (counts >> 4) % (ITEMS + 1)};
		for (uint32_t k = 0; k < S[i].nrequests; k++)
			read_item(&r, &ITEM[i][0][k], TAG[i][0][k]);
		for (uint32_t k = 0; k < S[i].noffers; k++)
			read_item(&r, &ITEM[i][1][k], TAG[i][1][k]);
	}
	int32_t recipient[N_MAX], giver[N_MAX];
	uint8_t cg[N_MAX], cr[N_MAX];
	uint32_t potential[N_MAX];
	struct match_result res = {recipient, giver, cg, cr, potential, 0, 0, 0, 0};
	int rc = match_run(S, n, &rules, size, &res);
	uint64_t budget = rules.budget ? rules.budget : MATCH_DEFAULT_BUDGET;
	if (rc == Q_ETOOBIG) {
		require(rules.budget && res.steps > budget, "only the budget stops a small set");
		return 0;
	}
	require(rc == 0, "matching answers");
	size_t matched = 0, cover = 0, mutual = 0;
	for (size_t i = 0; i < n; i++) {
		if (recipient[i] >= 0) {
			int32_t j = recipient[i];
			require(j != (int32_t)i && (size_t)j < n && giver[j] == (int32_t)i, "a matching");
			require(match_compatible(&S[i], &S[j], &rules), "assigned pairs are compatible");
			matched++;
			mutual += j > (int32_t)i && recipient[j] == (int32_t)i;
		}
		if (giver[i] >= 0)
			require(recipient[giver[i]] == (int32_t)i, "givers and recipients agree");
		cover += cg[i] + cr[i];
		uint32_t pot = 0;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			bool c = match_compatible(&S[i], &S[j], &rules);
			require(!c || cg[i] || cr[j], "the cover covers every compatible pair");
			pot += match_compatible(&S[j], &S[i], &rules);
			if (i < 8 && j < 8)
				C[i][j] = c;
		}
		require(pot == potential[i], "potential givers counted");
	}
	require(matched == res.matched && cover == res.cover && cover == matched, "the cover proves the matching maximum");
	require(mutual == res.mutual, "mutual pairs counted");
	if (n <= 8) {
		for (size_t i = 0; i < n; i++)
			C[i][i] = false;
		require(largest(0, n) == (int)matched, "brute force finds no larger matching");
	}
	return 0;
}
