/* Unit tests for gift-exchange matching: the overlap rules, maximum (not greedy) matchings proved by their
 * cover, mutual pairs only when unavoidable (checked against brute force), seeds, caps and the budget. */
#include "check.h"
#include "core/err.h"
#include "match/match.h"
#include <stdint.h>
#include <stdlib.h>

#define MAXN 400
#define MAXITEMS 8
#define MAXTAGS 6

/* An exchange built by hand or at random: items and their tags live here. */
struct inst {
	size_t n;
	struct match_signup s[MAXN];
	struct match_item req[MAXN][MAXITEMS], off[MAXN][MAXITEMS];
	uint32_t tags[MAXN][2 * MAXITEMS][MATCH_DIMS][MAXTAGS];
};

static struct inst I;

static void reset(size_t n)
{
	memset(&I, 0, sizeof I);
	I.n = n;
	for (size_t i = 0; i < n; i++) {
		I.s[i].requests = I.req[i];
		I.s[i].offers = I.off[i];
	}
}

/* Adds a request (offer = false) or offer naming dimension-0 tags from a string of digits ("12": tags 1, 2),
 * dimension-1 tags from chars, and any-bits. */
static struct match_item *add(size_t who, bool offer, const char *fandoms, const char *chars, uint8_t any)
{
	uint32_t k = offer ? I.s[who].noffers++ : I.s[who].nrequests++;
	struct match_item *it = offer ? &I.off[who][k] : &I.req[who][k];
	uint32_t (*t)[MAXTAGS] = I.tags[who][(offer ? MAXITEMS : 0) + k];
	const char *src[2] = {fandoms, chars};
	uint32_t *ptrs[MATCH_DIMS];
	for (int d = 0; d < MATCH_DIMS; d++) {
		ptrs[d] = t[d];
		it->ntags[d] = 0;
		for (const char *p = d < 2 && src[d] ? src[d] : ""; *p; p++)
			t[d][it->ntags[d]++] = (uint32_t)(unsigned char)*p;
	}
	match_item_normalize(ptrs, it->ntags);
	for (int d = 0; d < MATCH_DIMS; d++)
		it->tags[d] = t[d];
	it->any = any;
	return it;
}

static int32_t RECIPIENT[MAXN], GIVER[MAXN];
static uint8_t CG[MAXN], CR[MAXN];
static uint32_t POTENTIAL[MAXN];

static int run(const struct match_rules *rules, uint64_t seed, struct match_result *r)
{
	*r = (struct match_result){RECIPIENT, GIVER, CG, CR, POTENTIAL, 0, 0, 0, 0};
	return match_run(I.s, I.n, rules, seed, r);
}

/* The result is a matching of compatible pairs, and its cover proves no matching is larger. */
static bool verify(const struct match_rules *rules, const struct match_result *r)
{
	bool ok = true;
	size_t matched = 0, cover = 0;
	for (size_t i = 0; i < I.n; i++) {
		int32_t to = RECIPIENT[i];
		if (to >= 0) {
			matched++;
			ok &= to != (int32_t)i && GIVER[to] == (int32_t)i;
			ok &= match_compatible(&I.s[i], &I.s[to], rules);
		}
		if (GIVER[i] >= 0)
			ok &= RECIPIENT[GIVER[i]] == (int32_t)i;
		cover += CG[i] + CR[i];
		uint32_t potential = 0;
		for (size_t j = 0; j < I.n; j++) {
			if (j == i)
				continue;
			if (match_compatible(&I.s[i], &I.s[j], rules))
				ok &= CG[i] || CR[j];
			potential += match_compatible(&I.s[j], &I.s[i], rules);
		}
		ok &= potential == POTENTIAL[i];
	}
	ok &= matched == r->matched && cover == r->cover && cover == matched;
	return ok;
}

static const struct match_rules FANDOM = {{1, 0, 0, 0}, 0};

static void test_overlap_rules(void)
{
	reset(2);
	struct match_rules both = {{1, 1, 0, 0}, 0};
	struct match_item *q = add(0, false, "12", "ab", 0);
	struct match_item *o = add(1, true, "2", "c", 0);
	CHECK(match_item_matches(o, q, &FANDOM));
	CHECK(!match_item_matches(o, q, &both)); /* no character in common */
	o->any = 1 << 1;                          /* willing to write any character */
	CHECK(match_item_matches(o, q, &both));
	struct match_item *o2 = add(1, true, "3", "", 0);
	CHECK(!match_item_matches(o2, q, &FANDOM));
	q->any = 1;
	CHECK(match_item_matches(o2, q, &FANDOM)); /* request open to any fandom */
	/* Two shared fandoms required; a request naming one needs only that one. */
	struct match_rules two = {{2, 0, 0, 0}, 0};
	struct match_item *q2 = add(0, false, "45", "", 0);
	struct match_item *o3 = add(1, true, "4", "", 0);
	CHECK(!match_item_matches(o3, q2, &two));
	struct match_item *o4 = add(1, true, "456", "", 0);
	CHECK(match_item_matches(o4, q2, &two));
	struct match_item *q3 = add(0, false, "4", "", 0);
	CHECK(match_item_matches(o3, q3, &two));
	/* A request naming no fandom is open there. */
	struct match_item *q4 = add(0, false, "", "a", 0);
	CHECK(match_item_matches(o3, q4, &FANDOM));
	/* Normalizing sorts and drops repeats. */
	uint32_t a[] = {5, 3, 5, 1}, b[] = {2, 2}, *tags[MATCH_DIMS] = {a, b, NULL, NULL};
	uint32_t nt[MATCH_DIMS] = {4, 2, 0, 0};
	match_item_normalize(tags, nt);
	CHECK(nt[0] == 3 && a[0] == 1 && a[1] == 3 && a[2] == 5 && nt[1] == 1 && b[0] == 2);
}

/* A greedy pass in sign-up order would give 0 -> 1 and strand 2; the maximum matching serves everyone. */
static void test_not_greedy(void)
{
	for (uint64_t seed = 0; seed < 20; seed++) {
		reset(3);
		add(0, true, "12", "", 0); /* 0 writes fandoms 1 and 2 */
		add(1, true, "3", "", 0);
		add(2, true, "1", "", 0);
		add(1, false, "1", "", 0); /* 1 wants 1: 0 or 2 can write it */
		add(2, false, "2", "", 0); /* 2 wants 2: only 0 can */
		add(0, false, "3", "", 0); /* 0 wants 3: only 1 can */
		struct match_result r;
		CHECK(run(&FANDOM, seed, &r) == 0);
		CHECK(r.matched == 3 && RECIPIENT[0] == 2 && RECIPIENT[2] == 1 && RECIPIENT[1] == 0);
		CHECK(r.mutual == 0);
		CHECK(verify(&FANDOM, &r));
	}
}

static void test_mutual(void)
{
	/* Two people who can only write for each other: unavoidable. */
	reset(2);
	add(0, true, "1", "", 0);
	add(1, true, "1", "", 0);
	add(0, false, "1", "", 0);
	add(1, false, "1", "", 0);
	struct match_result r;
	CHECK(run(&FANDOM, 1, &r) == 0);
	CHECK(r.matched == 2 && r.mutual == 1);
	/* Four who can all write for each other: never a mutual pair, whatever the seed. */
	reset(4);
	for (size_t i = 0; i < 4; i++) {
		add(i, true, "1", "", 0);
		add(i, false, "1", "", 0);
	}
	for (uint64_t seed = 0; seed < 50; seed++) {
		CHECK(run(&FANDOM, seed, &r) == 0);
		CHECK(r.matched == 4 && r.mutual == 0);
		CHECK(verify(&FANDOM, &r));
	}
}

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void random_instance(size_t n, uint32_t fandoms, uint32_t chars, uint32_t items)
{
	reset(n);
	char f[MAXTAGS + 1], c[MAXTAGS + 1];
	for (size_t i = 0; i < n; i++)
		for (int offer = 0; offer < 2; offer++) {
			uint32_t k = 1 + rnd(items);
			for (uint32_t j = 0; j < k; j++) {
				uint32_t nf = 1 + rnd(2), nc = rnd(3);
				for (uint32_t t = 0; t < nf; t++)
					f[t] = (char)('a' + rnd(fandoms));
				for (uint32_t t = 0; t < nc; t++)
					c[t] = (char)('A' + rnd(chars));
				f[nf] = c[nc] = 0;
				add(i, offer, f, c, rnd(12) == 0 ? (uint8_t)(1 << rnd(2)) : 0);
			}
		}
}

/* Brute force over every matching of a tiny exchange: the largest size, and the fewest mutual pairs at it. */
static bool compat[8][8];
static int best_size, best_mutual;
static int assign[8];
static bool taken[8];

static void brute(size_t i, size_t n, int size)
{
	if (i == n) {
		int mutual = 0;
		for (size_t a = 0; a < n; a++)
			if (assign[a] > (int)a && assign[assign[a]] == (int)a)
				mutual++;
		if (size > best_size || (size == best_size && mutual < best_mutual))
			best_size = size, best_mutual = mutual;
		return;
	}
	assign[i] = -1;
	brute(i + 1, n, size);
	for (size_t j = 0; j < n; j++)
		if (compat[i][j] && !taken[j]) {
			taken[j] = true;
			assign[i] = (int)j;
			brute(i + 1, n, size + 1);
			taken[j] = false;
			assign[i] = -1;
		}
}

static void test_against_brute_force(void)
{
	int worse = 0, cases = 0;
	int rounds = getenv("MATCH_ROUNDS") ? atoi(getenv("MATCH_ROUNDS")) : 3000;
	for (int round = 0; round < rounds; round++) {
		size_t n = 2 + rnd(6);
		random_instance(n, 2 + rnd(4), 3, 2);
		struct match_rules rules = {{1 + rnd(2), rnd(2), 0, 0}, 0};
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				compat[i][j] = i != j && match_compatible(&I.s[i], &I.s[j], &rules);
		best_size = -1, best_mutual = 99;
		memset(taken, 0, sizeof taken);
		brute(0, n, 0);
		struct match_result r;
		CHECK(run(&rules, (uint64_t)round, &r) == 0);
		CHECK((int)r.matched == best_size);
		CHECK(verify(&rules, &r));
		cases++;
		if ((int)r.mutual > best_mutual) {
			worse++;
			if (getenv("MATCH_DUMP") && worse < 4) {
				fprintf(stderr, "n=%zu best %d/%d got %zu/%zu\n", n, best_size, best_mutual, r.matched, r.mutual);
				for (size_t i = 0; i < n; i++) {
					fprintf(stderr, "  %zu -> %d can:", i, RECIPIENT[i]);
					for (size_t j = 0; j < n; j++)
						if (compat[i][j])
							fprintf(stderr, " %zu", j);
					fprintf(stderr, "\n");
				}
			}
		}
	}
	/* Alternating paths from both sides of each mutual pair (NP-hard to do exactly in general) find the fewest
	 * in all but about 1 in 4,000 of these tiny random exchanges, bigger ones having more room to move. */
	fprintf(stderr, "mutual pairs above the fewest possible in %d of %d cases\n", worse, cases);
	CHECK(worse * 1000 <= cases);
}

static void test_larger_random(void)
{
	for (int round = 0; round < 20; round++) {
		size_t n = 50 + rnd(MAXN - 50);
		random_instance(n, 5 + rnd(40), 8, 6);
		struct match_rules rules = {{1, rnd(2), 0, 0}, 0};
		struct match_result r;
		CHECK(run(&rules, (uint64_t)round, &r) == 0);
		CHECK(verify(&rules, &r));
	}
}

static void test_seed(void)
{
	random_instance(200, 10, 6, 4);
	struct match_result r;
	int32_t first[MAXN];
	CHECK(run(&FANDOM, 7, &r) == 0);
	memcpy(first, RECIPIENT, sizeof first);
	CHECK(run(&FANDOM, 7, &r) == 0);
	CHECK(!memcmp(first, RECIPIENT, I.n * sizeof *first));
	size_t same = r.matched;
	CHECK(run(&FANDOM, 8, &r) == 0);
	CHECK(r.matched == same);
	CHECK(memcmp(first, RECIPIENT, I.n * sizeof *first) != 0);
}

static void test_limits(void)
{
	struct match_result r = {0};
	CHECK(match_run(NULL, 0, &FANDOM, 1, &r) == 0 && r.matched == 0);
	CHECK(match_run(NULL, 3, &FANDOM, 1, &r) == Q_EINVAL);
	CHECK(match_run(I.s, MATCH_MAX_SIGNUPS + 1, &FANDOM, 1, &r) == Q_ETOOBIG);
	reset(2);
	struct match_item *q = add(0, false, "21", "", 0);
	uint32_t *t = (uint32_t *)q->tags[0];
	t[0] = 2, t[1] = 1; /* unsorted */
	CHECK(run(&FANDOM, 1, &r) == Q_EINVAL);
	t[0] = 1, t[1] = 2;
	CHECK(run(&FANDOM, 1, &r) == 0);
	I.s[1].noffers = MATCH_MAX_ITEMS + 1;
	CHECK(run(&FANDOM, 1, &r) == Q_ETOOBIG);
	/* A tiny budget stops the work. */
	random_instance(300, 3, 4, 6);
	struct match_rules tight = {{1, 1, 0, 0}, 1000};
	CHECK(run(&tight, 1, &r) == Q_ETOOBIG);
	CHECK(r.steps > 1000 && r.steps < 100000);
	/* No dimension matched on: anyone with an offer can write for anyone with a request. */
	reset(5);
	for (size_t i = 0; i < 4; i++) {
		add(i, true, "1", "", 0);
		add(i, false, "2", "", 0);
	}
	struct match_rules none = {{0, 0, 0, 0}, 0};
	CHECK(run(&none, 3, &r) == 0 && r.matched == 4 && r.mutual == 0 && RECIPIENT[4] == -1 && GIVER[4] == -1);
	CHECK(verify(&none, &r));
}

int main(void)
{
	test_overlap_rules();
	test_not_greedy();
	test_mutual();
	test_against_brute_force();
	test_larger_random();
	test_seed();
	test_limits();
	return CHECK_DONE();
}
