/* Per-operation latency histograms emitted as one labelled Prometheus family. */
#include "core/metrics_ops.h"
#include "core/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void emit(void *ctx, struct buf *out)
{
	struct metrics_ops *m = ctx;
	buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", m->family, m->help, m->family);
	for (size_t i = 0; i < m->n; i++) {
		if (!atomic_load_explicit(&m->hists[i].count, memory_order_relaxed))
			continue;
		char labels[160];
		snprintf(labels, sizeof labels, "op=\"%s\"", m->names[i]);
		metrics_hist_emit(&m->hists[i], m->family, labels, out);
	}
}

void metrics_ops_register(struct metrics_ops *m)
{
	if (!m->hists)
		m->hists = xcalloc(m->n ? m->n : 1, sizeof *m->hists);
	metrics_add_source(emit, m);
}

void metrics_ops_unregister(struct metrics_ops *m)
{
	free(m->hists);
	m->hists = NULL;
}

void metrics_ops_observe(struct metrics_ops *m, size_t i, double seconds)
{
	if (m->hists && i < m->n)
		metrics_hist_observe(&m->hists[i], seconds);
}

double metrics_ops_clock(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
