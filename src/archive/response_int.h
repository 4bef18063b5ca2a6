/* Internal to the archive's response rules: the shared state and helpers of its files. */
#ifndef QUIRE_ARCHIVE_RESPONSE_INT_H
#define QUIRE_ARCHIVE_RESPONSE_INT_H
#include <pthread.h>
#include "archive/response.h"

struct ratelimit;
struct community;

/* Hit counting (hits.c): today's seen set and the counts and history waiting to be written. */
struct hit_slot {
	int64_t a, b; /* (work, chapter) or (user, work); a == 0: empty */
	int64_t n, c, t; /* hits; or views, chapter, time */
};

struct hit_table {
	struct hit_slot *slots;
	size_t cap, count;
};

struct hits {
	pthread_mutex_t mu;         /* guards everything below but flushing */
	pthread_mutex_t flush_mu;   /* one writer at a time */
	int64_t day;                /* the day the seen set and key are for */
	unsigned char day_key[16];  /* random, new every day, never stored */
	uint64_t *seen;             /* open addressing; 0 = empty */
	size_t seen_cap, seen_count;
	struct hit_table pending;   /* (work, chapter) -> hits */
	struct hit_table reads;     /* (user, work) -> views, last chapter, time */
	/* With a store several servers share: every server must count a visitor once a day, so the day key comes from
	 * a secret of the store (shared_key) and each first view here is only a candidate, kept with its digest
	 * until the store says whether another server saw it first (store_hits_seen). */
	bool shared;
	unsigned char shared_key[32];
	struct hit_candidate {
		uint64_t digest;
		int64_t work, chapter;
	} *candidates;
	size_t ncandidates, candidates_cap;
};

struct response {
	struct store *store;
	unsigned char key[32];            /* hashes guest addresses (kudos) */
	struct ratelimit *guest_comments; /* per address */
	struct ratelimit *user_comments;  /* per account */
	struct community *community;      /* spam checks (archive/spam.h); NULL: none (tests, the demo) */
	struct hits hits;
};

bool response_is_admin(const struct user *u);
/* Hex of a keyed hash of address for purpose ("kudos"); never the address itself. */
void response_guest_hash(const struct response *r, const char *purpose, const char *address, char out[65]);
/* Encoding, required-ness and length (characters) of a text field; false with an error. */
bool response_text_ok(struct arena *a, struct field_errors *e, const char *field, const char *label,
                      const char *s, size_t max, bool required);
/* Renders src through the chapters' sanitizer (HTML with paragraphs) into out. */
bool response_render(struct arena *a, struct field_errors *e, const char *field, const char *label,
                     const char *src, struct text *out);

void hits_init(struct response *r);
void hits_destroy(struct response *r);
#endif
