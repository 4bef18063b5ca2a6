/* Tests for per-operation latency families: labels, skipped idle operations, dropped early observations. */
#include "check.h"
#include "core/metrics_ops.h"
#include <string.h>

int main(void)
{
	static const char *const names[] = {"user_get", "work_get", "chapter_put"};
	static struct metrics_ops ops = METRICS_OPS_INIT("quire_test_op_seconds", "Test operations.", names);
	CHECK(ops.n == 3);
	metrics_ops_observe(&ops, 0, 0.5); /* before registration: dropped, no crash */
	metrics_ops_register(&ops);
	metrics_ops_observe(&ops, 1, 0.002);
	metrics_ops_observe(&ops, 1, 0.004);
	metrics_ops_observe(&ops, 7, 1.0); /* out of range: ignored */
	double t0 = metrics_ops_clock(), t1 = metrics_ops_clock();
	CHECK(t1 >= t0);
	struct buf b = BUF_INIT;
	metrics_render(&b);
	const char *s = buf_cstr(&b);
	CHECK_CONTAINS(s, "# TYPE quire_test_op_seconds histogram\n");
	CHECK_CONTAINS(s, "quire_test_op_seconds_count{op=\"work_get\"} 2\n");
	CHECK_CONTAINS(s, "quire_test_op_seconds_bucket{op=\"work_get\",le=\"0.0025\"} 1\n");
	CHECK_NOT_CONTAINS(s, "op=\"user_get\"");    /* never observed after registration */
	CHECK_NOT_CONTAINS(s, "op=\"chapter_put\"");
	buf_free(&b);
	metrics_reset();
	metrics_ops_unregister(&ops);
	return CHECK_DONE();
}
