/* Process-wide metrics in Prometheus text format: modules keep their own counters and register a source
 * that prints them; histograms with fixed buckets for latencies.
 *
 * Ownership: sources are registered at start-up (not thread-safe against rendering) and live until
 * metrics_reset(). Counters and histograms are lock-free atomics, safe from any thread. */
#ifndef QUIRE_CORE_METRICS_H
#define QUIRE_CORE_METRICS_H
#include <stdatomic.h>
#include <stdint.h>
#include "core/buf.h"

/* Latency buckets in seconds (upper bounds), shared by every histogram. */
#define METRICS_BUCKETS 12
extern const double metrics_bucket_bounds[METRICS_BUCKETS];

struct metrics_hist {
	_Atomic uint64_t buckets[METRICS_BUCKETS + 1]; /* last one is +Inf */
	_Atomic uint64_t count;
	_Atomic uint64_t sum_us; /* sum of observations in microseconds */
};

/* Records one observation (seconds) into h. */
void metrics_hist_observe(struct metrics_hist *h, double seconds);
/* Appends h as Prometheus histogram lines: name_bucket{labels,le="..."}, name_sum, name_count.
 * labels is "" or e.g. "route=\"/works/:id\"" (already escaped). No HELP/TYPE lines. */
void metrics_hist_emit(const struct metrics_hist *h, const char *name, const char *labels, struct buf *out);

/* A source prints its own "# HELP", "# TYPE" and sample lines into out when /metrics is scraped. */
typedef void (*metrics_emit_fn)(void *ctx, struct buf *out);
/* Registers a source (at most 32); call at start-up. */
void metrics_add_source(metrics_emit_fn fn, void *ctx);
/* Removes every source (at shutdown, and between tests). */
void metrics_reset(void);
/* Appends every registered source's lines, in registration order. */
void metrics_render(struct buf *out);
#endif
