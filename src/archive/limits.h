/* The archive's rate limits, kept where every server that shares the store sees them: in memory for a store one
 * server owns (SQLite), in the store for one several servers share (STORE_CAP_SHARED), so three servers do not
 * triple a limit. */
#ifndef QUIRE_ARCHIVE_LIMITS_H
#define QUIRE_ARCHIVE_LIMITS_H
#include "auth/ratelimit.h"
#include "store/store.h"

/* At most max_events per window_seconds for each key, named name (a static string: the store's bucket). */
struct ratelimit *archive_ratelimit_new(struct store *st, const char *name, int max_events, int window_seconds);
#endif
