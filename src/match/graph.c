/* Who can write for whom: requests and offers compared through an index of the first matched dimension. */
#include "match/match_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

uint64_t match_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

size_t match_next_bit(const uint64_t *row, const uint64_t *mask, size_t from, size_t n, size_t words)
{
	if (from >= n)
		return n;
	size_t w = from >> 6;
	uint64_t bits = row[w] & (mask ? mask[w] : ~0ULL) & (~0ULL << (from & 63));
	for (;;) {
		if (bits) {
			size_t i = (w << 6) + (size_t)__builtin_ctzll(bits);
			return i < n ? i : n;
		}
		if (++w >= words)
			return n;
		bits = row[w] & (mask ? mask[w] : ~0ULL);
	}
}

/* Tags both sorted lists share, counting up to need (and the comparisons into *steps). */
static uint32_t shared(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb, uint32_t need, uint64_t *steps)
{
	uint32_t i = 0, j = 0, k = 0;
	while (i < na && j < nb && k < need) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else
			k++, i++, j++;
	}
	*steps += i + j;
	return k;
}

/* Whether o meets q in every matched dimension but skip (-1: none; the index already met that one). */
static bool item_matches(const struct match_item *o, const struct match_item *q, const struct match_rules *r, int skip,
                         uint64_t *steps)
{
	for (int d = 0; d < MATCH_DIMS; d++) {
		if (d == skip)
			continue;
		uint32_t need = r->required[d] < q->ntags[d] ? r->required[d] : q->ntags[d];
		if (need == 0 || ((o->any | q->any) >> d & 1))
			continue;
		if (shared(o->tags[d], o->ntags[d], q->tags[d], q->ntags[d], need, steps) < need)
			return false;
	}
	return true;
}

bool match_item_matches(const struct match_item *offer, const struct match_item *request,
                        const struct match_rules *rules)
{
	uint64_t steps = 0;
	return item_matches(offer, request, rules, -1, &steps);
}

bool match_compatible(const struct match_signup *giver, const struct match_signup *recipient,
                      const struct match_rules *rules)
{
	for (uint32_t i = 0; i < giver->noffers; i++)
		for (uint32_t j = 0; j < recipient->nrequests; j++)
			if (match_item_matches(&giver->offers[i], &recipient->requests[j], rules))
				return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void match_item_normalize(uint32_t *tags[MATCH_DIMS], uint32_t ntags[MATCH_DIMS])
{
	for (int d = 0; d < MATCH_DIMS; d++) {
		if (ntags[d] < 2)
			continue;
		qsort(tags[d], ntags[d], sizeof *tags[d], cmp_u32);
		uint32_t k = 1;
		for (uint32_t i = 1; i < ntags[d]; i++)
			if (tags[d][i] != tags[d][k - 1])
				tags[d][k++] = tags[d][i];
		ntags[d] = k;
	}
}

/* Caps, sortedness and pointers of every item; *refs counts the tags named. */
static int check_item(const struct match_item *it, uint64_t *refs)
{
	for (int d = 0; d < MATCH_DIMS; d++) {
		if (it->ntags[d] > MATCH_MAX_TAGS)
			return Q_ETOOBIG;
		if (it->ntags[d] && !it->tags[d])
			return Q_EINVAL;
		for (uint32_t i = 1; i < it->ntags[d]; i++)
			if (it->tags[d][i - 1] >= it->tags[d][i])
				return Q_EINVAL;
		*refs += it->ntags[d];
	}
	return 0;
}

static int check_input(const struct match_signup *s, size_t n, size_t *noffers)
{
	if (n > MATCH_MAX_SIGNUPS)
		return Q_ETOOBIG;
	if (n && !s)
		return Q_EINVAL;
	uint64_t refs = 0;
	*noffers = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].nrequests > MATCH_MAX_ITEMS || s[i].noffers > MATCH_MAX_ITEMS)
			return Q_ETOOBIG;
		if ((s[i].nrequests && !s[i].requests) || (s[i].noffers && !s[i].offers))
			return Q_EINVAL;
		for (uint32_t j = 0; j < s[i].nrequests; j++) {
			int rc = check_item(&s[i].requests[j], &refs);
			if (rc)
				return rc;
		}
		for (uint32_t j = 0; j < s[i].noffers; j++) {
			int rc = check_item(&s[i].offers[j], &refs);
			if (rc)
				return rc;
		}
		if (refs > MATCH_MAX_TAG_REFS)
			return Q_ETOOBIG;
		*noffers += s[i].noffers;
	}
	return 0;
}

/* Every offer, numbered: its owner's position, the item, and per dimension a 64-bit summary of its tags (bit
 * tag % 64), so most offers that share no tag with a request are told apart without comparing lists. */
struct offer_ref {
	int32_t owner;
	uint8_t any;
	const struct match_item *item;
	uint64_t sketch[MATCH_DIMS];
};

static void sketch(const struct match_item *it, uint64_t out[MATCH_DIMS])
{
	for (int d = 0; d < MATCH_DIMS; d++) {
		out[d] = 0;
		for (uint32_t t = 0; t < it->ntags[d]; t++)
			out[d] |= 1ULL << (it->tags[d][t] & 63);
	}
}

/* item_matches with the sketches first (the item itself, elsewhere in memory, is read only when they overlap):
 * a dimension needing a shared tag fails at once when the sketches share no bit. */
static bool offer_matches(const struct offer_ref *o, const uint64_t qsketch[MATCH_DIMS], const struct match_item *q,
                          const struct match_rules *r, int skip, uint64_t *steps)
{
	bool compare = false;
	for (int d = 0; d < MATCH_DIMS; d++) {
		if (d == skip || !r->required[d] || !q->ntags[d] || ((o->any | q->any) >> d & 1))
			continue;
		if (!(o->sketch[d] & qsketch[d]))
			return false;
		compare = true;
	}
	return !compare || item_matches(o->item, q, r, skip, steps);
}

/* One (tag, offer) pair of the primary dimension's index. */
struct index_entry {
	uint32_t tag, offer;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct index_entry *x = a, *y = b;
	if (x->tag != y->tag)
		return (x->tag > y->tag) - (x->tag < y->tag);
	return (x->offer > y->offer) - (x->offer < y->offer);
}

/* The offers naming each tag of dimension P (sorted by tag, then offer number), and those open to any. */
struct offer_index {
	struct index_entry *entries;
	size_t nentries;
	uint32_t *any;
	size_t nany;
};

/* The first entry for tag, or nentries when no offer names it. */
static size_t index_find(const struct offer_index *ix, uint32_t tag)
{
	size_t lo = 0, hi = ix->nentries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->entries[mid].tag < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nentries && ix->entries[lo].tag == tag ? lo : ix->nentries;
}

/* Sets the bit of one candidate offer's owner in col, recipient r's column (filled one recipient at a time, so
 * the bits tested stay in cache). */
static inline void consider(struct match_graph *g, uint64_t *col, const struct offer_ref *o, const struct match_item *q,
                            const uint64_t qsketch[MATCH_DIMS], int32_t r, int skip, const struct match_rules *rules)
{
	g->steps++;
	if (o->owner == r || match_bit(col, (size_t)o->owner))
		return;
	if (!offer_matches(o, qsketch, q, rules, skip, &g->steps))
		return;
	match_bit_set(col, (size_t)o->owner);
}

/* Dimensions matched on: none means every offer meets every request. */
static int primary_dim(const struct match_rules *rules)
{
	for (int d = 0; d < MATCH_DIMS; d++)
		if (rules->required[d] > 0)
			return d;
	return -1;
}


static int fill_cols(struct match_graph *g, const struct match_signup *s, const struct match_rules *rules,
                     const struct offer_ref *offers, size_t noffers)
{
	int p = primary_dim(rules);
	if (p < 0) {
		/* Nothing to compare: whoever offers something can write for whoever requests something. */
		for (size_t r = 0; r < g->n; r++)
			if (s[g->order[r]].nrequests)
				for (size_t i = 0; i < g->n; i++)
					if (i != r && s[g->order[i]].noffers)
						match_bit_set(match_col(g, r), i);
		g->steps += (uint64_t)g->n * g->n;
		return 0;
	}
	struct offer_index ix = {0};
	for (size_t o = 0; o < noffers; o++) {
		if (offers[o].item->any >> p & 1)
			ix.nany++;
		else
			ix.nentries += offers[o].item->ntags[p];
	}
	ix.entries = xmalloc((ix.nentries ? ix.nentries : 1) * sizeof *ix.entries);
	ix.any = xmalloc((ix.nany ? ix.nany : 1) * sizeof *ix.any);
	size_t ne = 0, na = 0;
	for (size_t o = 0; o < noffers; o++) {
		const struct match_item *it = offers[o].item;
		if (it->any >> p & 1)
			ix.any[na++] = (uint32_t)o;
		else
			for (uint32_t t = 0; t < it->ntags[p]; t++)
				ix.entries[ne++] = (struct index_entry){it->tags[p][t], (uint32_t)o};
	}
	qsort(ix.entries, ix.nentries, sizeof *ix.entries, cmp_entry);
	g->steps += ix.nentries;
	/* An offer found through a tag of a request shares that tag: enough for P when one is required. */
	int skip = rules->required[p] == 1 ? p : -1;
	int rc = 0;
	for (size_t r = 0; r < g->n && !rc; r++) {
		const struct match_signup *rs = &s[g->order[r]];
		uint64_t *col = match_col(g, r);
		for (uint32_t k = 0; k < rs->nrequests && !rc; k++) {
			const struct match_item *q = &rs->requests[k];
			uint64_t qs[MATCH_DIMS];
			sketch(q, qs);
			uint32_t need = rules->required[p] < q->ntags[p] ? rules->required[p] : q->ntags[p];
			if (need == 0 || (q->any >> p & 1)) {
				/* Open in the primary dimension: every offer is a candidate. */
				for (size_t o = 0; o < noffers; o++)
					consider(g, col, &offers[o], q, qs, (int32_t)r, -1, rules);
			} else {
				for (uint32_t t = 0; t < q->ntags[p]; t++)
					for (size_t e = index_find(&ix, q->tags[p][t]); e < ix.nentries && ix.entries[e].tag == q->tags[p][t]; e++)
						consider(g, col, &offers[ix.entries[e].offer], q, qs, (int32_t)r, skip, rules);
				for (size_t a = 0; a < ix.nany; a++)
					consider(g, col, &offers[ix.any[a]], q, qs, (int32_t)r, skip, rules);
			}
			if (g->steps > g->budget)
				rc = Q_ETOOBIG;
		}
	}
	free(ix.entries);
	free(ix.any);
	return rc;
}

void match_graph_free(struct match_graph *g)
{
	free(g->adj);
	free(g->cols);
	free(g->order);
	free(g->pos);
	g->adj = g->cols = NULL;
	g->order = g->pos = NULL;
}

int match_graph_build(struct match_graph *g, const struct match_signup *s, size_t n, const struct match_rules *rules,
                      uint64_t seed)
{
	memset(g, 0, sizeof *g);
	g->budget = rules->budget ? rules->budget : MATCH_DEFAULT_BUDGET;
	size_t noffers = 0;
	int rc = check_input(s, n, &noffers);
	if (rc)
		return rc;
	g->n = n;
	g->words = (n + 63) / 64;
	g->order = xmalloc((n ? n : 1) * sizeof *g->order);
	g->pos = xmalloc((n ? n : 1) * sizeof *g->pos);
	for (size_t i = 0; i < n; i++)
		g->order[i] = (int32_t)i;
	uint64_t state = seed;
	for (size_t i = n; i > 1; i--) { /* Fisher-Yates: nobody is first because they signed up first */
		size_t j = (size_t)(match_rand(&state) % i);
		int32_t t = g->order[i - 1];
		g->order[i - 1] = g->order[j];
		g->order[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		g->pos[g->order[i]] = (int32_t)i;
	g->adj = xcalloc(n * g->words + 1, sizeof *g->adj);
	g->cols = xcalloc(n * g->words + 1, sizeof *g->cols);
	struct offer_ref *offers = xmalloc((noffers ? noffers : 1) * sizeof *offers);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct match_signup *si = &s[g->order[i]];
		for (uint32_t j = 0; j < si->noffers; j++, k++) {
			offers[k] = (struct offer_ref){(int32_t)i, si->offers[j].any, &si->offers[j], {0}};
			sketch(&si->offers[j], offers[k].sketch);
		}
	}
	rc = fill_cols(g, s, rules, offers, noffers);
	free(offers);
	if (!rc) /* the rows, for the matching: the columns transposed */
		for (size_t r = 0; r < n; r++) {
			const uint64_t *col = match_col(g, r);
			for (size_t w = 0; w < g->words; w++)
				for (uint64_t bits = col[w]; bits; bits &= bits - 1)
					match_bit_set(match_row(g, (w << 6) + (size_t)__builtin_ctzll(bits)), r);
			g->steps += g->words;
		}
	if (rc) {
		uint64_t steps = g->steps;
		match_graph_free(g);
		g->steps = steps;
	}
	return rc;
}
