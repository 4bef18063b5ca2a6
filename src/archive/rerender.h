/* Rendering stored texts again when the sanitizer's rules change: every work's summary and notes, chapter and
 * comment whose row says an older SANITIZER_VERSION rendered it, from its stored source, as a background job. */
#ifndef QUIRE_ARCHIVE_RERENDER_H
#define QUIRE_ARCHIVE_RERENDER_H
#include "store/store.h"

struct jobs;

/* Renders up to limit stale texts again with the current rules (the same per field as when they were
 * written: archive/work.h's *_ALLOW) and stores them; a text edited meanwhile keeps its edit. Returns how
 * many it looked at (0: none is left) or a negative Q_E* code from the store. */
int archive_rerender_batch(struct store *st, int limit);

/* Adds the job "rerender" (core/jobs.h; exclusive: one server at a time) that renders stale texts in
 * batches until none is left, logging how many, then idles until the next start. site_rules names what
 * else the renderings depend on (the media hosts and the site's address): when it differs from the last
 * start's, chapters that hold images or players are rendered again first (store_stale_mark_media). */
int archive_rerender_jobs_add(struct store *st, struct jobs *jobs, const char *site_rules);
#endif
