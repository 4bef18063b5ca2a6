/* Benchmark: matching a Yuletide-sized gift exchange (3,000 sign-ups x 10 requests and 10 offers over a 2,000-fandom
 * tag set, one fandom and one character to match), timed, with the participants left without a gift printed
 * beside a lower bound this program computes on its own (Hall's condition per fandom).
 * Usage: build/bench/bench_match [--signups N] [--fandoms N] [--items N] [--seed N] [--max-seconds S] */
#include "core/err.h"
#include "match/match.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng_state;
static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static uint32_t rnd(uint32_t n)
{
	return (uint32_t)(rnd64() % n);
}

/* Fandoms by a power law (rank r has weight 1/(r + 20)): a few big ones, a long tail. */
static double *cumulative;
static uint32_t nfandoms;
static uint32_t pick_fandom(void)
{
	double x = (double)(rnd64() >> 11) / (double)(1ULL << 53) * cumulative[nfandoms - 1];
	uint32_t lo = 0, hi = nfandoms - 1;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (cumulative[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Each fandom's characters are ids first_char[f] .. first_char[f] + nchars[f] - 1 (bigger fandoms, bigger casts). */
static uint32_t *first_char, *nchars;

struct built {
	struct match_signup *s;
	struct match_item *items;
	uint32_t *tags;
	size_t ntags, cap;
};

static uint32_t *tag_room(struct built *b, size_t n)
{
	if (b->ntags + n > b->cap) {
		fprintf(stderr, "bench_match: tag room exhausted\n");
		exit(1);
	}
	uint32_t *p = b->tags + b->ntags;
	b->ntags += n;
	return p;
}

/* One request or offer in fandom f naming k of its characters (k 0 with any_chars). */
static void make_item(struct built *b, struct match_item *it, uint32_t f, uint32_t k, bool any_chars)
{
	memset(it, 0, sizeof *it);
	uint32_t *ft = tag_room(b, 1), *ct = tag_room(b, k);
	ft[0] = f;
	for (uint32_t i = 0; i < k; i++)
		ct[i] = first_char[f] + rnd(nchars[f]);
	uint32_t *ptrs[MATCH_DIMS] = {ft, ct, NULL, NULL};
	uint32_t n[MATCH_DIMS] = {1, k, 0, 0};
	match_item_normalize(ptrs, n);
	it->tags[0] = ft;
	it->ntags[0] = 1;
	it->tags[1] = ct;
	it->ntags[1] = n[1];
	it->any = any_chars ? 1 << 1 : 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A lower bound on the participants nobody can write for, from fandoms alone (characters only ever remove
 * pairs, so it holds): a recipient none of whose requested fandoms anyone else offers gets nothing, and the
 * recipients who request a single fandom f share its offerers, so at least |them| - |offerers of f| of
 * them get nothing. The same from the givers' side; the larger of the two. */
static bool names_fandom(const struct match_item *it, uint32_t nitems, uint32_t f)
{
	for (uint32_t k = 0; k < nitems; k++)
		if (it[k].tags[0][0] == f)
			return true;
	return false;
}

static size_t lower_bound(const struct match_signup *s, size_t n)
{
	/* offerers[f], requesters[f]: distinct people (last_* keep each counted once per fandom). */
	uint32_t *offerers = calloc(nfandoms, sizeof *offerers), *requesters = calloc(nfandoms, sizeof *requesters);
	int64_t *last_o = malloc(nfandoms * sizeof *last_o), *last_r = malloc(nfandoms * sizeof *last_r);
	for (uint32_t f = 0; f < nfandoms; f++)
		last_o[f] = last_r[f] = -1;
	for (size_t i = 0; i < n; i++) {
		for (uint32_t k = 0; k < s[i].noffers; k++) {
			uint32_t f = s[i].offers[k].tags[0][0];
			if (last_o[f] != (int64_t)i)
				last_o[f] = (int64_t)i, offerers[f]++;
		}
		for (uint32_t k = 0; k < s[i].nrequests; k++) {
			uint32_t f = s[i].requests[k].tags[0][0];
			if (last_r[f] != (int64_t)i)
				last_r[f] = (int64_t)i, requesters[f]++;
		}
	}
	uint32_t *single_r = calloc(nfandoms, sizeof *single_r), *single_g = calloc(nfandoms, sizeof *single_g);
	size_t bound_r = 0, bound_g = 0;
	for (size_t i = 0; i < n; i++) {
		/* Recipient side: someone else offers one of the requested fandoms? */
		bool any = false, single = true;
		uint32_t f0 = s[i].nrequests ? s[i].requests[0].tags[0][0] : 0;
		for (uint32_t k = 0; k < s[i].nrequests; k++) {
			uint32_t f = s[i].requests[k].tags[0][0];
			single &= f == f0;
			any |= offerers[f] > (names_fandom(s[i].offers, s[i].noffers, f) ? 1u : 0u);
		}
		if (!any)
			bound_r++;
		else if (single)
			single_r[f0]++;
		/* Giver side: someone else requests one of the offered fandoms? */
		any = false, single = true;
		f0 = s[i].noffers ? s[i].offers[0].tags[0][0] : 0;
		for (uint32_t k = 0; k < s[i].noffers; k++) {
			uint32_t f = s[i].offers[k].tags[0][0];
			single &= f == f0;
			any |= requesters[f] > (names_fandom(s[i].requests, s[i].nrequests, f) ? 1u : 0u);
		}
		if (!any)
			bound_g++;
		else if (single)
			single_g[f0]++;
	}
	/* Those requesting only f are served by distinct offerers of f: at most offerers[f] of them. */
	for (uint32_t f = 0; f < nfandoms; f++) {
		if (single_r[f] > offerers[f])
			bound_r += single_r[f] - offerers[f];
		if (single_g[f] > requesters[f])
			bound_g += single_g[f] - requesters[f];
	}
	free(offerers), free(requesters), free(last_o), free(last_r), free(single_r), free(single_g);
	return bound_r > bound_g ? bound_r : bound_g;
}

int main(int argc, char **argv)
{
	size_t n = 3000;
	uint32_t items = 10;
	uint64_t seed = 2024;
	double max_seconds = 10;
	nfandoms = 2000;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--signups"))
			n = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--fandoms"))
			nfandoms = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--items"))
			items = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--max-seconds"))
			max_seconds = strtod(argv[i + 1], NULL);
		else {
			fprintf(stderr, "bench_match: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (n == 0 || n > MATCH_MAX_SIGNUPS || nfandoms < 10 || items == 0 || items > MATCH_MAX_ITEMS) {
		fprintf(stderr, "bench_match: 1..%d sign-ups, 10+ fandoms, 1..%d items\n", MATCH_MAX_SIGNUPS, MATCH_MAX_ITEMS);
		return 2;
	}
	rng_state = seed;
	cumulative = malloc(nfandoms * sizeof *cumulative);
	first_char = malloc(nfandoms * sizeof *first_char);
	nchars = malloc(nfandoms * sizeof *nchars);
	double total = 0;
	uint32_t next_char = 0;
	for (uint32_t f = 0; f < nfandoms; f++) {
		total += 1.0 / (f + 20.0);
		cumulative[f] = total;
		nchars[f] = 3 + (f < 50 ? 20 : f < 400 ? 8 : 2) + rnd(4);
		first_char[f] = next_char;
		next_char += nchars[f];
	}
	/* Niche fandoms in the tail: a few people request nothing else, and few offer them. */
	uint32_t nniche = nfandoms / 100 ? nfandoms / 100 : 1;
	struct built b = {0};
	b.s = calloc(n, sizeof *b.s);
	b.items = calloc(n * 2 * items, sizeof *b.items);
	b.cap = n * 2 * items * 8;
	b.tags = malloc(b.cap * sizeof *b.tags);
	for (size_t i = 0; i < n; i++) {
		struct match_item *req = b.items + i * 2 * items, *off = req + items;
		b.s[i] = (struct match_signup){req, items, off, items};
		bool niche = rnd(100) < 3;
		uint32_t niche_f = nfandoms - 1 - rnd(nniche);
		for (uint32_t k = 0; k < items; k++) {
			uint32_t f = niche ? niche_f : pick_fandom();
			make_item(&b, &req[k], f, 1 + rnd(3), false);
		}
		for (uint32_t k = 0; k < items; k++) {
			/* A niche fandom is offered now and then, by people who write any of its characters. */
			uint32_t f = rnd(1000) < 2 ? nfandoms - 1 - rnd(nniche) : pick_fandom();
			bool any_chars = f >= nfandoms - nniche || rnd(10) < 3;
			make_item(&b, &off[k], f, any_chars ? 0 : 2 + rnd(4), any_chars);
		}
	}
	struct match_rules rules = {{1, 1, 0, 0}, 0};
	int32_t *recipient = malloc(n * sizeof *recipient), *giver = malloc(n * sizeof *giver);
	uint8_t *cg = malloc(n), *cr = malloc(n);
	struct match_result res = {recipient, giver, cg, cr, NULL, 0, 0, 0, 0};
	double t0 = now();
	int rc = match_run(b.s, n, &rules, seed, &res);
	double secs = now() - t0;
	if (rc) {
		fprintf(stderr, "bench_match: matching failed: %s\n", err_str(rc));
		return 1;
	}
	size_t bound = lower_bound(b.s, n), unmatched = n - res.matched;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("matching: %zu sign-ups x %u requests and %u offers over %u fandoms (1 fandom + 1 character to match): "
	       "%.2f s (target < %.0f s); %zu left without a gift, lower bound %zu; maximum proved by a cover of %zu; "
	       "%zu mutual pairs; %.0fM steps; peak memory %.1f MB\n",
	       n, items, items, nfandoms, secs, max_seconds, unmatched, bound, res.cover, res.mutual, (double)res.steps / 1e6,
	       (double)ru.ru_maxrss / 1024.0);
	int status = 0;
	if (secs >= max_seconds) {
		fprintf(stderr, "bench_match: over the %.0f s target\n", max_seconds);
		status = 1;
	}
	if (unmatched < bound || res.cover != res.matched) {
		fprintf(stderr, "bench_match: the result contradicts its bound or its cover\n");
		status = 1;
	}
	return status;
}
