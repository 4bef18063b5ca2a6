/* Tests for the metrics registry and histograms. */
#include "core/metrics.h"
#include "check.h"
#include <string.h>

static void emit_fixed(void *ctx, struct buf *out)
{
	buf_printf(out, "# TYPE quire_test_total counter\nquire_test_total %d\n", *(int *)ctx);
}

static void test_histogram_buckets_are_cumulative(void)
{
	static struct metrics_hist h;
	metrics_hist_observe(&h, 0.0001); /* first bucket */
	metrics_hist_observe(&h, 0.003);  /* 0.005 bucket */
	metrics_hist_observe(&h, 100.0);  /* +Inf */
	struct buf b = BUF_INIT;
	metrics_hist_emit(&h, "quire_x_seconds", "route=\"/\"", &b);
	const char *s = buf_cstr(&b);
	CHECK(strstr(s, "quire_x_seconds_bucket{route=\"/\",le=\"0.0005\"} 1\n") != NULL);
	CHECK(strstr(s, "quire_x_seconds_bucket{route=\"/\",le=\"0.0025\"} 1\n") != NULL);
	CHECK(strstr(s, "quire_x_seconds_bucket{route=\"/\",le=\"0.005\"} 2\n") != NULL);
	CHECK(strstr(s, "quire_x_seconds_bucket{route=\"/\",le=\"5\"} 2\n") != NULL);
	CHECK(strstr(s, "quire_x_seconds_bucket{route=\"/\",le=\"+Inf\"} 3\n") != NULL);
	CHECK(strstr(s, "quire_x_seconds_count{route=\"/\"} 3\n") != NULL);
	buf_free(&b);
}

static void test_histogram_without_labels(void)
{
	static struct metrics_hist h;
	metrics_hist_observe(&h, 0.01);
	struct buf b = BUF_INIT;
	metrics_hist_emit(&h, "quire_y_seconds", "", &b);
	CHECK(strstr(buf_cstr(&b), "quire_y_seconds_bucket{le=\"0.01\"} 1\n") != NULL);
	CHECK(strstr(buf_cstr(&b), "quire_y_seconds_count 1\n") != NULL);
	CHECK(strstr(buf_cstr(&b), "quire_y_seconds_sum 0.010000\n") != NULL);
	buf_free(&b);
}

static void test_sources_render_in_order(void)
{
	int a = 1, b2 = 2;
	metrics_reset();
	metrics_add_source(emit_fixed, &a);
	metrics_add_source(emit_fixed, &b2);
	struct buf b = BUF_INIT;
	metrics_render(&b);
	const char *s = buf_cstr(&b);
	const char *one = strstr(s, "quire_test_total 1\n"), *two = strstr(s, "quire_test_total 2\n");
	CHECK(one && two && one < two);
	metrics_reset();
	buf_reset(&b);
	metrics_render(&b);
	CHECK(b.len == 0);
	buf_free(&b);
}

int main(void)
{
	test_histogram_buckets_are_cumulative();
	test_histogram_without_labels();
	test_sources_render_in_order();
	return CHECK_DONE();
}
