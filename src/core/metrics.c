/* Metrics registry and fixed-bucket histograms, rendered in Prometheus text format. */
#include "core/metrics.h"
#include <stdio.h>

const double metrics_bucket_bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

#define SOURCES_MAX 32
static struct {
	metrics_emit_fn fn;
	void *ctx;
} sources[SOURCES_MAX];
static int nsources;

void metrics_hist_observe(struct metrics_hist *h, double seconds)
{
	int i = 0;
	while (i < METRICS_BUCKETS && seconds > metrics_bucket_bounds[i])
		i++;
	atomic_fetch_add_explicit(&h->buckets[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	uint64_t us = seconds > 0 ? (uint64_t)(seconds * 1e6) : 0;
	atomic_fetch_add_explicit(&h->sum_us, us, memory_order_relaxed);
}

void metrics_hist_emit(const struct metrics_hist *h, const char *name, const char *labels, struct buf *out)
{
	/* Prometheus buckets are cumulative; ours are per bucket. */
	uint64_t cum = 0;
	const char *sep = labels && *labels ? "," : "";
	labels = labels ? labels : "";
	for (int i = 0; i <= METRICS_BUCKETS; i++) {
		cum += atomic_load_explicit(&h->buckets[i], memory_order_relaxed);
		if (i < METRICS_BUCKETS)
			buf_printf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep, metrics_bucket_bounds[i],
			           (unsigned long long)cum);
		else
			buf_printf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, (unsigned long long)cum);
	}
	uint64_t sum = atomic_load_explicit(&h->sum_us, memory_order_relaxed);
	const char *open = *labels ? "{" : "", *close = *labels ? "}" : "";
	buf_printf(out, "%s_sum%s%s%s %.6f\n", name, open, labels, close, (double)sum / 1e6);
	buf_printf(out, "%s_count%s%s%s %llu\n", name, open, labels, close,
	           (unsigned long long)atomic_load_explicit(&h->count, memory_order_relaxed));
}

void metrics_add_source(metrics_emit_fn fn, void *ctx)
{
	if (nsources >= SOURCES_MAX)
		return;
	sources[nsources].fn = fn;
	sources[nsources].ctx = ctx;
	nsources++;
}

void metrics_reset(void)
{
	nsources = 0;
}

void metrics_render(struct buf *out)
{
	for (int i = 0; i < nsources; i++)
		sources[i].fn(sources[i].ctx, out);
}
