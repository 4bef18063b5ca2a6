/* The job runner: every piece of background work (sending mail, re-filing works after a big wrangle, flushing
 * counted hits, purging old rows) is a named job with one lifecycle: added, started, woken, stopped and drained.
 *
 * As Redis's bio.c, each job runs on a thread of its own, so a slow one (a mail relay that takes its time) never
 * delays another. A job is a round function: it does one bounded piece of work and says when it wants the next
 * round (at once, after a delay, or only when woken). The runner never runs two rounds of one job at once, and
 * at stop it lets the round in progress finish (a job reads jobs_stopping to cut a long round short), then calls
 * the job's drain (work that must not be lost: hits counted in memory) once, on its thread.
 *
 * Several servers sharing a store (STORE_CAP_SHARED) must not run an exclusive job twice at once (two re-filers,
 * two senders of one mail). The lease hook is where that is decided: before each round of an exclusive job the
 * runner asks the hook for the job's lease until a time a little past the round's expected end; without the
 * lease the round is skipped and asked again later (JOBS_LEASE_RETRY_MS). With no hook set (one server: SQLite)
 * every round runs. The store side (a lease row, an advisory lock) plugs in with jobs_set_lease. */
#ifndef QUIRE_CORE_JOBS_H
#define QUIRE_CORE_JOBS_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define JOBS_MAX 16
/* Round results: run again at once, or sleep until woken; anything else >= 0 is a delay in milliseconds. */
#define JOBS_AGAIN 0
#define JOBS_IDLE (-1)
/* How long a lease asked for lasts, and how soon a job that did not get it asks again. */
#define JOBS_LEASE_MS 60000
#define JOBS_LEASE_RETRY_MS 5000

struct jobs;
struct job;

/* What a round knows: the job's name, whether it was woken (jobs_wake) since the last round, and the runner's
 * stop flag (true once jobs_stop began: a long round should end early, leaving the rest for the next start). */
struct job_round {
	const char *name;
	bool woken;
	const atomic_bool *stopping;
};

struct job_spec {
	const char *name;           /* unique; in logs, and the key of its lease */
	/* One round: returns JOBS_AGAIN, JOBS_IDLE or the delay in milliseconds before the next. */
	int64_t (*round)(void *arg, const struct job_round *r);
	void (*drain)(void *arg);   /* at stop, after the last round (NULL: nothing to finish) */
	void *arg;
	int64_t first_ms;           /* delay before the first round after start (0: at once) */
	bool exclusive;             /* one server at a time when several share the store: rounds need the lease */
};

/* The lease hook: true when this server holds (or just took, or renewed) the lease of job until until_ms (unix
 * milliseconds). Called on the job's thread before each round of an exclusive job; must be quick. */
typedef bool jobs_lease_fn(void *ctx, const char *job, int64_t until_ms);

struct jobs *jobs_new(void);
/* Sets the lease hook (before jobs_start). */
void jobs_set_lease(struct jobs *j, jobs_lease_fn *fn, void *ctx);
/* Adds a job (before jobs_start); NULL when JOBS_MAX are there or the name is taken. spec is copied. */
struct job *jobs_add(struct jobs *j, const struct job_spec *spec);
/* Starts a thread per job; Q_ERR (and nothing running) when a thread could not start. */
int jobs_start(struct jobs *j);
/* Asks for a round of the job soon (its next round sees woken). Any thread, any time, even inside a store
 * transaction (it takes only the job's own lock); nothing after stop. */
void jobs_wake(struct job *job);
/* jobs_wake for callbacks that take a void * (store_outbox_listen, store_refile_listen). */
void jobs_wake_cb(void *job);
/* Stops every job: sets the stop flag, wakes them, waits for each round in progress, drains each job once, and
 * frees the runner (NULL is fine). */
void jobs_stop(struct jobs *j);
#endif
