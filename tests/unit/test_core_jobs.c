/* Unit tests for the job runner: rounds run and sleep as asked, a wake-up brings a round early and says so,
 * stop lets the round in progress end (its stopping flag set) and drains every job once, the lease hook gates
 * exclusive jobs only. Waits are for conditions (with a generous limit), never for fixed times. */
#include "check.h"
#include "core/jobs.h"
#include <stdatomic.h>
#include <time.h>

struct counter {
	atomic_int rounds, woken_rounds, drains;
	atomic_bool saw_stopping;
	atomic_bool block; /* the round waits while set (and stop is not asked) */
	int64_t next;      /* what each round returns */
};

static int64_t count_round(void *arg, const struct job_round *r)
{
	struct counter *c = arg;
	atomic_fetch_add(&c->rounds, 1);
	if (r->woken)
		atomic_fetch_add(&c->woken_rounds, 1);
	while (atomic_load(&c->block) && !atomic_load(r->stopping))
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	if (atomic_load(r->stopping))
		atomic_store(&c->saw_stopping, true);
	return c->next;
}

static void count_drain(void *arg)
{
	struct counter *c = arg;
	atomic_fetch_add(&c->drains, 1);
}

/* Waits up to 10 s for *v to reach at least want. */
static bool wait_for(atomic_int *v, int want)
{
	for (int i = 0; i < 10000 && atomic_load(v) < want; i++)
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	return atomic_load(v) >= want;
}

static atomic_int lease_asks;
static atomic_bool lease_granted;

static bool lease(void *ctx, const char *job, int64_t until_ms)
{
	atomic_fetch_add(&lease_asks, 1);
	return atomic_load(&lease_granted) && until_ms > 0 && job && *job;
}

static void test_rounds_wake_stop(void)
{
	struct counter idle = {.next = JOBS_IDLE}, busy = {.next = 1};
	struct jobs *j = jobs_new();
	struct job *a = jobs_add(j, &(struct job_spec){.name = "idle", .round = count_round, .drain = count_drain,
	                                               .arg = &idle});
	CHECK(a != NULL);
	CHECK(jobs_add(j, &(struct job_spec){.name = "busy", .round = count_round, .drain = count_drain,
	                                     .arg = &busy}) != NULL);
	CHECK(jobs_add(j, &(struct job_spec){.name = "idle", .round = count_round, .arg = &idle}) == NULL); /* taken */
	CHECK(jobs_start(j) == 0);
	/* The first round runs at start; an idle job then waits for a wake-up, which its next round sees. */
	CHECK(wait_for(&idle.rounds, 1));
	CHECK(atomic_load(&idle.woken_rounds) == 0);
	jobs_wake(a);
	CHECK(wait_for(&idle.rounds, 2));
	CHECK(wait_for(&idle.woken_rounds, 1));
	/* A job asking for a round a millisecond later keeps running. */
	CHECK(wait_for(&busy.rounds, 20));
	/* Stop during a round: the round sees the flag and ends; every job drains once. */
	atomic_store(&idle.block, true);
	jobs_wake(a);
	CHECK(wait_for(&idle.rounds, 3));
	jobs_stop(j);
	CHECK(atomic_load(&idle.saw_stopping));
	CHECK(atomic_load(&idle.drains) == 1 && atomic_load(&busy.drains) == 1);
}

static void test_lease_gates_exclusive_jobs(void)
{
	struct counter ex = {.next = 1}, plain = {.next = 1};
	struct jobs *j = jobs_new();
	jobs_set_lease(j, lease, NULL);
	CHECK(jobs_add(j, &(struct job_spec){.name = "exclusive", .round = count_round, .arg = &ex,
	                                     .exclusive = true}) != NULL);
	CHECK(jobs_add(j, &(struct job_spec){.name = "everywhere", .round = count_round, .arg = &plain}) != NULL);
	CHECK(jobs_start(j) == 0);
	/* Without the lease the exclusive job asks and does not run; the other runs regardless. */
	CHECK(wait_for(&lease_asks, 1));
	CHECK(wait_for(&plain.rounds, 5));
	CHECK(atomic_load(&ex.rounds) == 0);
	jobs_stop(j);
	/* With it, it runs. */
	struct counter ex2 = {.next = 1};
	atomic_store(&lease_granted, true);
	j = jobs_new();
	jobs_set_lease(j, lease, NULL);
	CHECK(jobs_add(j, &(struct job_spec){.name = "exclusive", .round = count_round, .arg = &ex2,
	                                     .exclusive = true}) != NULL);
	CHECK(jobs_start(j) == 0);
	CHECK(wait_for(&ex2.rounds, 3));
	jobs_stop(j);
}

static void test_never_started_still_drains(void)
{
	struct counter c = {.next = JOBS_IDLE};
	struct jobs *j = jobs_new();
	CHECK(jobs_add(j, &(struct job_spec){.name = "x", .round = count_round, .drain = count_drain, .arg = &c}));
	jobs_stop(j);
	CHECK(atomic_load(&c.rounds) == 0 && atomic_load(&c.drains) == 1);
	jobs_stop(NULL);
}

int main(void)
{
	test_rounds_wake_stop();
	test_lease_gates_exclusive_jobs();
	test_never_started_still_drains();
	return CHECK_DONE();
}
