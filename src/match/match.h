/* Gift-exchange matching: who writes for whom, as a maximum matching of offers to requests (no store, no I/O).
 *
 * Every participant of an exchange signs up with requests (what they would like to receive) and offers (what
 * they would write), each naming tags in up to MATCH_DIMS dimensions (fandoms, characters, relationships,
 * freeforms: the caller decides which is which). A giver can write for a recipient when one of the giver's
 * offers matches one of the recipient's requests (match_item_matches). match_run assigns each participant at
 * most one recipient and at most one giver so that:
 *  - the number of assignments is as large as it can be (Hopcroft-Karp: a maximum bipartite matching, not a
 *    greedy one), and a König vertex cover of the same size proves it;
 *  - nobody writes for the person who writes for them unless no reshuffle of the same size avoids it (each
 *    such pair is broken by an alternating-path search when one exists);
 *  - ties are broken by a seeded shuffle, not by sign-up order: the same seed gives the same result.
 * Bounded for any input: participants, items and tag references are capped (MATCH_MAX_*), memory is
 * n^2/8 bytes plus linear, and the work is counted against a budget (Q_ETOOBIG past it).
 */
#ifndef QUIRE_MATCH_MATCH_H
#define QUIRE_MATCH_MATCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MATCH_DIMS 4
#define MATCH_MAX_SIGNUPS 10000       /* participants in one run */
#define MATCH_MAX_ITEMS 50            /* requests, and offers, per participant */
#define MATCH_MAX_TAGS 100            /* tags of one dimension in one request or offer */
#define MATCH_MAX_TAG_REFS 2000000    /* tags named by all requests and offers together */
#define MATCH_DEFAULT_BUDGET 4000000000ULL /* steps (tag comparisons, candidate checks); ~10-20 s */

/* One request or offer. tags[d] is sorted ascending without repeats (match_item_normalize makes it so). */
struct match_item {
	const uint32_t *tags[MATCH_DIMS];
	uint32_t ntags[MATCH_DIMS];
	uint8_t any; /* bit d: "any" in dimension d (a request open to anything there, an offer willing to write anything) */
};

struct match_signup {
	const struct match_item *requests;
	uint32_t nrequests;
	const struct match_item *offers;
	uint32_t noffers;
};

/* How requests and offers must overlap. required[d] tags of dimension d must be shared; a request naming fewer
 * than that in d needs all of its own (one naming none is open there), and "any" on either side meets it.
 * A dimension with required 0 is not matched on. */
struct match_rules {
	uint32_t required[MATCH_DIMS];
	uint64_t budget; /* steps before giving up with Q_ETOOBIG; 0 = MATCH_DEFAULT_BUDGET */
};

/* What match_run found. Arrays are the caller's, n long, indexed like the sign-ups; NULL ones are skipped. */
struct match_result {
	int32_t *recipient;        /* whom participant i writes for (-1: nobody) */
	int32_t *giver;            /* who writes for participant i (-1: nobody) */
	uint8_t *cover_giver;      /* a König vertex cover: every compatible (g, r) has cover_giver[g] or */
	uint8_t *cover_recipient;  /* cover_recipient[r]; its size equals matched, so no matching is larger */
	uint32_t *potential_givers; /* per participant: how many others could write for them */
	size_t matched;            /* assignments made (participants with a giver) */
	size_t mutual;             /* pairs who write for each other that could not be avoided by the search */
	size_t cover;              /* size of the vertex cover (== matched) */
	uint64_t steps;            /* work done, in budget steps */
};

/* Whether an offer matches a request under rules. */
bool match_item_matches(const struct match_item *offer, const struct match_item *request,
                        const struct match_rules *rules);
/* Whether giver has an offer that matches one of recipient's requests (never oneself: the caller checks). */
bool match_compatible(const struct match_signup *giver, const struct match_signup *recipient,
                      const struct match_rules *rules);
/* Sorts and de-duplicates tags in place, dimension by dimension (tags must point at writable memory then). */
void match_item_normalize(uint32_t *tags[MATCH_DIMS], uint32_t ntags[MATCH_DIMS]);

/* Matches n sign-ups (see the top of this file). Q_EINVAL for unsorted tags or a NULL array with a count,
 * Q_ETOOBIG past a cap or the budget (out untouched then except steps). seed picks among equal matchings. */
int match_run(const struct match_signup *signups, size_t n, const struct match_rules *rules, uint64_t seed,
              struct match_result *out);
#endif
