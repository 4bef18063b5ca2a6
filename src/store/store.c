/* The store's public face: the store_* wrappers that dispatch to the backend (timing each operation for
 * /metrics), and tag type names. */
#include "store/store.h"
#include "store/store_backend.h"
#include "core/err.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/metrics_ops.h"
#include <sodium.h>
#include <string.h>
#include <time.h>

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

/* ---- The refile job ---- */

/* Between batches the write lock is free this long, so writers queued behind it go first. */
#define REFILE_PAUSE_MS 2
/* Another process (the CLI) may queue works too: the job looks without being woken this often. */
#define REFILE_IDLE_CHECK_MS 5000

static int64_t refile_round(void *arg, const struct job_round *r)
{
	struct store *st = arg;
	bool more = false;
	int rc = store_refile_queued(st, STORE_REFILE_BATCH_MAX, r->woken, &more);
	if (rc) {
		log_error("store: refreshing queued works failed (%s); trying again later", err_str(rc));
		return REFILE_IDLE_CHECK_MS;
	}
	return more ? REFILE_PAUSE_MS : REFILE_IDLE_CHECK_MS;
}

static void refile_drain(void *arg)
{
	store_refile_listen(arg, NULL, NULL); /* the rest stays queued for the next start */
}

/* ---- The shared_purge job: rate-limit events and visitors counted on days gone by (store.h, "Shared state") ---- */

#define SHARED_PURGE_MS (3600 * 1000)
#define SHARED_KEEP_SECONDS 86400 /* the longest rate-limit window is an hour: a day is plenty */

static int64_t shared_purge_round(void *arg, const struct job_round *r)
{
	(void)r;
	int64_t now = (int64_t)time(NULL);
	int rc = store_shared_purge(arg, now - SHARED_KEEP_SECONDS, now / 86400 - 1);
	if (rc)
		log_warn("store: purging old rate-limit events and counted visitors failed (%s)", err_str(rc));
	return SHARED_PURGE_MS;
}

int store_jobs_add(struct store *st, struct jobs *j)
{
	struct job *job = jobs_add(j, &(struct job_spec){.name = "refile", .round = refile_round,
	                                                 .drain = refile_drain, .arg = st, .exclusive = true});
	if (!job)
		return Q_ERR;
	if (!jobs_add(j, &(struct job_spec){.name = "shared_purge", .round = shared_purge_round, .arg = st,
	                                    .first_ms = 60000, .exclusive = true}))
		return Q_ERR;
	return store_refile_listen(st, jobs_wake_cb, job);
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

static _Thread_local uint64_t round_trips;

uint64_t store_round_trips(void)
{
	return round_trips;
}

void store_round_trip_note(void)
{
	round_trips++;
}

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

int store_secret(struct store *st, const char *key, unsigned char *out, size_t len)
{
	if (len == 0 || len > 256)
		return Q_EINVAL;
	struct arena *a = arena_new();
	char hex[513], *stored = NULL;
	randombytes_buf(out, len);
	sodium_bin2hex(hex, sizeof hex, out, len);
	int rc = store_setting_init(st, a, key, hex, &stored);
	size_t got = 0;
	if (rc == 0 && (sodium_hex2bin(out, len, stored, strlen(stored), NULL, &got, NULL) != 0 || got != len)) {
		/* Not one of ours: a new one replaces it (what it protected, say open forms, is asked again). */
		randombytes_buf(out, len);
		sodium_bin2hex(hex, sizeof hex, out, len);
		rc = store_setting_set(st, key, hex);
	}
	sodium_memzero(hex, sizeof hex);
	arena_free(a);
	return rc;
}
