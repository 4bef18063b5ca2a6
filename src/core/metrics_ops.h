/* Latency histograms for a fixed list of named operations (the store's operations), emitted as one
 * Prometheus family with an op="NAME" label: the hook through which modules that know nothing of HTTP
 * report how long their calls take.
 *
 * Use (the store, for example): declare the list once, register at start-up, time each call:
 *
 *     static const char *const names[] = {"user_get", "work_get", ...};
 *     static struct metrics_ops store_latency = METRICS_OPS_INIT("quire_store_operation_duration_seconds",
 *         "Time spent in each store operation.", names);
 *     metrics_ops_register(&store_latency);             // once, before the server starts
 *     double t0 = metrics_ops_clock();
 *     rc = st->ops->user_get(...);
 *     metrics_ops_observe(&store_latency, OP_USER_GET, metrics_ops_clock() - t0);
 *
 * Observing is lock-free and safe from any thread; observations before registration are dropped. */
#ifndef QUIRE_CORE_METRICS_OPS_H
#define QUIRE_CORE_METRICS_OPS_H
#include <stddef.h>
#include "core/metrics.h"

struct metrics_ops {
	const char *family;       /* e.g. "quire_store_operation_duration_seconds" */
	const char *help;
	const char *const *names; /* operation names, used as the op label (bounded by the list) */
	size_t n;
	struct metrics_hist *hists; /* n of them, allocated by metrics_ops_register */
};

#define METRICS_OPS_INIT(family, help, names) {(family), (help), (names), sizeof(names) / sizeof((names)[0]), NULL}

/* Allocates the histograms and registers the family as a metrics source. Call once, at start-up. */
void metrics_ops_register(struct metrics_ops *m);
/* Frees the histograms (after metrics_reset). */
void metrics_ops_unregister(struct metrics_ops *m);
/* Records one call of operation i that took seconds. */
void metrics_ops_observe(struct metrics_ops *m, size_t i, double seconds);
/* A monotonic clock in seconds, for timing calls. */
double metrics_ops_clock(void);
#endif
