/* For backends only: collecting a transaction's changes and handing them to the store's subscribers. */
#ifndef QUIRE_STORE_STORE_BACKEND_H
#define QUIRE_STORE_STORE_BACKEND_H
#include "store/store.h"

/* ---- Opening: each backend has one entry point, listed in store_open.c's table ---------------- */

/* Opens the store at target (the URL without "scheme:"); on failure err holds a sentence for the
 * operator and *out is NULL. */
typedef int (*store_open_fn)(struct store **out, const char *target, char *err, size_t errlen);

/* sqlite:PATH: the file at PATH, created when missing, migrated to the current schema. */
int store_sqlite_open(struct store **out, const char *path, char *err, size_t errlen);

/* postgres://... (the whole URL, as libpq reads it): the database, its schema brought up to date. */
int store_pg_open(struct store **out, const char *url, const struct store_options *opt, char *err, size_t errlen);

/* ---- The change feed --------------------------------------------------------------------------- */

/* The changes of one transaction, deduplicated; bounded, with overflow meaning "everything". */
struct store_changes {
	size_t n;
	bool overflow;
	struct store_change items[STORE_CHANGES_MAX];
};

void store_changes_clear(struct store_changes *ch);
/* Adds (kind, id) unless already there; id 0 (no such thing) is ignored. */
void store_changes_add(struct store_changes *ch, enum store_change_kind kind, int64_t id);
/* Calls every subscriber of st with ch (or {STORE_CHANGE_WORK, 0} after an overflow); nothing
 * when ch is empty. Backends call it after the commit, outside their locks. */
void store_changes_emit(struct store *st, const struct store_changes *ch);

/* ---- Gift exchanges: what both backends store alike (store_exchanges.c) ------------------------ */

/* The tag type (TAG_*) of each exchange dimension; a prompt's tags are typed alike. */
extern const int store_exchange_tag_type[EXCHANGE_DIMS];
/* Per-dimension settings are stored as text, "1 0 0 0": read back (missing numbers are 0) and written into a
 * buffer of STORE_EXCHANGE_INTS_LEN bytes. */
#define STORE_EXCHANGE_INTS_LEN 48
void store_exchange_ints_parse(const char *s, int out[EXCHANGE_DIMS]);
void store_exchange_ints_text(char buf[STORE_EXCHANGE_INTS_LEN], const int v[EXCHANGE_DIMS]);

/* ---- Round trips --------------------------------------------------------------------------------
 * A backend that talks to a server calls this each time the calling thread waits for an answer (store_round_trips). */
void store_round_trip_note(void);

/* ---- Health ------------------------------------------------------------------------------------ */

/* A backend found the store unhealthy (STORE_READ_ONLY, STORE_DOWN; why: a static sentence for the operator) or
 * working again: STORE_HEALTHY with why NULL after a committed write (ends any episode), with why set after a
 * connection succeeded (ends STORE_DOWN only: the database may still refuse writes). Logs once when an episode
 * begins and once when it ends; cheap when nothing changes (any thread). */
void store_health_note(struct store *st, enum store_health h, const char *why);
#endif
