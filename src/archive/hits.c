/* Hit counting: one hit per visitor per work (and chapter) per day, known only by a keyed hash whose key
 * changes daily and lives in memory; counts and reading history reach the store in batches. */
#include "archive/response.h"
#include "archive/response_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/jobs.h"
#include "core/log.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Distinct (visitor, page) pairs remembered per day. Past this, views are not counted until the next
 * day: an undercount on a flood is better than memory without bound. 2^22 slots = 32 MiB. */
#define SEEN_MAX_SLOTS ((size_t)1 << 22)
#define SEEN_FIRST_SLOTS 4096
/* Pending counts are written early when this many pages or readers are waiting. */
#define PENDING_MAX 4096

static uint64_t mix(int64_t a, int64_t b)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ ((uint64_t)b + 0x632BE59BD9B4E019ull);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	return h ^ (h >> 32);
}

/* ---- (a, b) -> counters: open addressing, grown at half full ---- */

static struct hit_slot *table_slot(struct hit_table *t, int64_t a, int64_t b)
{
	if (t->count * 2 >= t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct hit_slot *ns = xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slots[i].a)
				continue;
			size_t j = mix(t->slots[i].a, t->slots[i].b) & (ncap - 1);
			while (ns[j].a)
				j = (j + 1) & (ncap - 1);
			ns[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = ns;
		t->cap = ncap;
	}
	size_t j = mix(a, b) & (t->cap - 1);
	while (t->slots[j].a && (t->slots[j].a != a || t->slots[j].b != b))
		j = (j + 1) & (t->cap - 1);
	if (!t->slots[j].a) {
		t->slots[j].a = a;
		t->slots[j].b = b;
		t->count++;
	}
	return &t->slots[j];
}

/* ---- Today's seen set ---- */

static void new_day(struct hits *h, int64_t day)
{
	h->day = day;
	if (h->shared) {
		/* The same on every server for the day: derived from the store's secret and the day. */
		crypto_generichash(h->day_key, sizeof h->day_key, (const unsigned char *)&day, sizeof day, h->shared_key,
		                   sizeof h->shared_key);
	} else {
		randombytes_buf(h->day_key, sizeof h->day_key);
	}
	if (h->seen)
		memset(h->seen, 0, h->seen_cap * sizeof *h->seen);
	h->seen_count = 0;
}

/* True the first time today that this visitor (already hashed) is seen on (work, chapter) here; *digest gets the
 * day-keyed digest of the three. */
static bool first_view(struct hits *h, const unsigned char visitor[8], int64_t work, int64_t chapter, uint64_t *digest)
{
	unsigned char in[24], out[8];
	memcpy(in, visitor, 8);
	memcpy(in + 8, &work, 8);
	memcpy(in + 16, &chapter, 8);
	crypto_shorthash(out, in, sizeof in, h->day_key);
	uint64_t v;
	memcpy(&v, out, 8);
	v |= 1; /* 0 marks an empty slot */
	*digest = v;
	if (h->seen_count * 2 >= h->seen_cap) {
		if (h->seen_cap >= SEEN_MAX_SLOTS)
			return false;
		size_t ncap = h->seen_cap ? h->seen_cap * 2 : SEEN_FIRST_SLOTS;
		uint64_t *ns = xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; i < h->seen_cap; i++) {
			if (!h->seen[i])
				continue;
			size_t j = h->seen[i] & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = h->seen[i];
		}
		free(h->seen);
		h->seen = ns;
		h->seen_cap = ncap;
	}
	size_t j = v & (h->seen_cap - 1);
	while (h->seen[j] && h->seen[j] != v)
		j = (j + 1) & (h->seen_cap - 1);
	if (h->seen[j])
		return false;
	h->seen[j] = v;
	h->seen_count++;
	return true;
}

void hits_init(struct response *r)
{
	struct hits *h = &r->hits;
	pthread_mutex_init(&h->mu, NULL);
	pthread_mutex_init(&h->flush_mu, NULL);
	if (r->store && store_has(r->store, STORE_CAP_SHARED)) {
		if (store_secret(r->store, "hits_key", h->shared_key, sizeof h->shared_key) == 0)
			h->shared = true;
		else
			log_error("hits: the shared key could not be read: each server counts its own visitors for now");
	}
	new_day(h, (int64_t)time(NULL) / 86400);
}

/* A first view here that the store has the last word on (shared stores only). */
static void candidate(struct hits *h, uint64_t digest, int64_t work, int64_t chapter)
{
	if (h->ncandidates == h->candidates_cap) {
		h->candidates_cap = h->candidates_cap ? h->candidates_cap * 2 : 64;
		h->candidates = xrealloc(h->candidates, h->candidates_cap * sizeof *h->candidates);
	}
	h->candidates[h->ncandidates++] = (struct hit_candidate){digest, work, chapter};
}

void hits_destroy(struct response *r)
{
	struct hits *h = &r->hits;
	free(h->seen);
	free(h->candidates);
	sodium_memzero(h->shared_key, sizeof h->shared_key);
	free(h->pending.slots);
	free(h->reads.slots);
	sodium_memzero(h->day_key, sizeof h->day_key);
	pthread_mutex_destroy(&h->mu);
	pthread_mutex_destroy(&h->flush_mu);
}

void hits_note(struct response *r, int64_t work_id, int64_t chapter_id, bool chapter_hit, const struct user *u,
               const char *visitor)
{
	struct hits *h = &r->hits;
	int64_t now = (int64_t)time(NULL);
	unsigned char vh[8];
	/* The visitor string is hashed at once; only this day-keyed digest of it is kept. */
	if (u) {
		char who[32];
		snprintf(who, sizeof who, "u:%lld", (long long)u->id);
		crypto_generichash(vh, sizeof vh, (const unsigned char *)who, strlen(who), NULL, 0);
	} else {
		const char *s = visitor ? visitor : "";
		crypto_generichash(vh, sizeof vh, (const unsigned char *)s, strlen(s), NULL, 0);
	}
	bool flush;
	pthread_mutex_lock(&h->mu);
	if (now / 86400 != h->day)
		new_day(h, now / 86400);
	uint64_t digest;
	if (first_view(h, vh, work_id, 0, &digest)) {
		if (h->shared)
			candidate(h, digest, work_id, 0);
		else
			table_slot(&h->pending, work_id, 0)->n++;
	}
	if (chapter_hit && chapter_id && first_view(h, vh, work_id, chapter_id, &digest)) {
		if (h->shared)
			candidate(h, digest, work_id, chapter_id);
		else
			table_slot(&h->pending, work_id, chapter_id)->n++;
	}
	if (u) {
		struct hit_slot *s = table_slot(&h->reads, u->id, work_id);
		s->n++;
		if (chapter_id)
			s->c = chapter_id;
		s->t = now;
	}
	/* Written by the hits job every HITS_FLUSH_SECONDS; a burst is written at once, so memory stays bounded. */
	flush = h->pending.count + h->reads.count + h->ncandidates >= PENDING_MAX;
	pthread_mutex_unlock(&h->mu);
	if (flush)
		hits_flush(r);
}

void hits_flush(struct response *r)
{
	struct hits *h = &r->hits;
	if (pthread_mutex_trylock(&h->flush_mu) != 0)
		return; /* someone is writing already; what they miss goes with the next flush */
	pthread_mutex_lock(&h->mu);
	struct hit_table pending = h->pending, reads = h->reads;
	memset(&h->pending, 0, sizeof h->pending);
	memset(&h->reads, 0, sizeof h->reads);
	struct hit_candidate *cand = h->candidates;
	size_t ncand = h->ncandidates;
	h->candidates = NULL;
	h->ncandidates = h->candidates_cap = 0;
	int64_t day = h->day;
	pthread_mutex_unlock(&h->mu);
	if (ncand) {
		/* Only the views no server counted today count (another server may have seen the visitor first). */
		uint64_t *digests = xcalloc(ncand, sizeof *digests);
		bool *fresh = xcalloc(ncand, sizeof *fresh);
		for (size_t i = 0; i < ncand; i++)
			digests[i] = cand[i].digest;
		if (store_hits_seen(r->store, day, digests, ncand, fresh) != 0)
			log_warn("hits: %zu views could not be checked against other servers' and were not counted", ncand);
		else
			for (size_t i = 0; i < ncand; i++)
				if (fresh[i])
					table_slot(&pending, cand[i].work, cand[i].chapter)->n++;
		free(digests);
		free(fresh);
		free(cand);
	}
	if (!pending.count && !reads.count) { /* the hits job's usual round: nothing to write */
		free(pending.slots);
		free(reads.slots);
		pthread_mutex_unlock(&h->flush_mu);
		return;
	}

	struct hit_count *hc = xcalloc(pending.count + 1, sizeof *hc);
	struct reading *rd = xcalloc(reads.count + 1, sizeof *rd);
	size_t nh = 0, nr = 0;
	for (size_t i = 0; i < pending.cap; i++)
		if (pending.slots[i].a)
			hc[nh++] = (struct hit_count){pending.slots[i].a, pending.slots[i].b, day, pending.slots[i].n};
	for (size_t i = 0; i < reads.cap; i++)
		if (reads.slots[i].a)
			rd[nr++] = (struct reading){.user_id = reads.slots[i].a, .work_id = reads.slots[i].b,
			                            .chapter_id = reads.slots[i].c, .read_at = reads.slots[i].t,
			                            .views = reads.slots[i].n};
	/* Hits are not worth failing a page for: a write that fails is logged and dropped. */
	if (nh && store_hits_add(r->store, hc, nh) != 0)
		log_warn("hits: %zu counts could not be written", nh);
	if (nr && store_readings_record(r->store, rd, nr) != 0)
		log_warn("hits: %zu reading history rows could not be written", nr);
	free(hc);
	free(rd);
	free(pending.slots);
	free(reads.slots);
	pthread_mutex_unlock(&h->flush_mu);
}

static int64_t hits_round(void *arg, const struct job_round *r)
{
	hits_flush(arg);
	return (int64_t)HITS_FLUSH_SECONDS * 1000;
}

static void hits_drain(void *arg)
{
	hits_flush(arg);
}

int response_jobs_add(struct response *r, struct jobs *j)
{
	return jobs_add(j, &(struct job_spec){.name = "hits", .round = hits_round, .drain = hits_drain, .arg = r,
	                                     .first_ms = (int64_t)HITS_FLUSH_SECONDS * 1000})
	       ? 0 : Q_ERR;
}
