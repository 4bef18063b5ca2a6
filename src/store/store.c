/* The store's public face: the store_* wrappers that dispatch to the backend (timing each operation for
 * /metrics), and tag type names. */
#include "store/store.h"
#include "core/metrics_ops.h"

const char *tag_type_key(enum tag_type t)
{
	static const char *const keys[TAG_TYPE_COUNT] = {
		[TAG_RATING] = "rating",
		[TAG_WARNING] = "warnings",
		[TAG_CATEGORY] = "categories",
		[TAG_FANDOM] = "fandoms",
		[TAG_RELATIONSHIP] = "relationships",
		[TAG_CHARACTER] = "characters",
		[TAG_FREEFORM] = "freeforms",
	};
	return (unsigned)t < TAG_TYPE_COUNT ? keys[t] : "";
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

/* Latency per operation, by the names in store_ops.h (core/metrics_ops.h). */
#define STORE_OP_NAME(ret, name, params, args) #name,
static const char *const op_names[] = {STORE_OPS(STORE_OP_NAME)};
#undef STORE_OP_NAME
#define STORE_OP_INDEX(ret, name, params, args) STORE_OP_##name,
enum { STORE_OPS(STORE_OP_INDEX) };
#undef STORE_OP_INDEX
static struct metrics_ops latency = METRICS_OPS_INIT("quire_store_operation_duration_seconds",
                                                     "Time spent in each store operation.", op_names);

void store_metrics_register(void)
{
	metrics_ops_register(&latency);
}

void store_metrics_unregister(void)
{
	metrics_ops_unregister(&latency);
}

/* Calls the backend, keeping the result of the int operations; nothing is timed until registered. */
#define STORE_CALL_int int rc_ =
#define STORE_CALL_void
#define STORE_RET_int return rc_;
#define STORE_RET_void
#define STORE_OP_WRAPPER(ret, name, params, args) \
	ret store_##name params \
	{ \
		double t0_ = latency.hists ? metrics_ops_clock() : 0; \
		STORE_CALL_##ret st->ops->name args; \
		if (latency.hists) \
			metrics_ops_observe(&latency, STORE_OP_##name, metrics_ops_clock() - t0_); \
		STORE_RET_##ret \
	}
STORE_OPS(STORE_OP_WRAPPER)
#undef STORE_OP_WRAPPER
