/* The job runner: a thread per named job, each looping round, sleep (until a time or a wake-up), round. */
#include "core/jobs.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job {
	struct job_spec spec;
	struct jobs *runner;
	pthread_t thread;
	bool started;
	pthread_mutex_t mu; /* guards woken */
	pthread_cond_t cv;
	bool woken;
};

struct jobs {
	struct job jobs[JOBS_MAX];
	size_t n;
	atomic_bool stopping;
	jobs_lease_fn *lease;
	void *lease_ctx;
};

struct jobs *jobs_new(void)
{
	struct jobs *j = xcalloc(1, sizeof *j);
	atomic_init(&j->stopping, false);
	return j;
}

void jobs_set_lease(struct jobs *j, jobs_lease_fn *fn, void *ctx)
{
	j->lease = fn;
	j->lease_ctx = ctx;
}

struct job *jobs_add(struct jobs *j, const struct job_spec *spec)
{
	if (j->n == JOBS_MAX || !spec->round || !spec->name)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		if (!strcmp(j->jobs[i].spec.name, spec->name))
			return NULL;
	struct job *job = &j->jobs[j->n++];
	job->spec = *spec;
	job->runner = j;
	pthread_mutex_init(&job->mu, NULL);
	/* Waits measure on the monotonic clock: a change of the wall clock neither fires nor holds a round. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&job->cv, &ca);
	pthread_condattr_destroy(&ca);
	return job;
}

static int64_t now_ms(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps until woken, stopped, or delay_ms (JOBS_IDLE: no limit) pass; returns whether it was woken. */
static bool job_sleep(struct job *job, int64_t delay_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (delay_ms > 0) {
		until.tv_sec += (time_t)(delay_ms / 1000);
		until.tv_nsec += (long)(delay_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&job->mu);
	while (!job->woken && !atomic_load(&job->runner->stopping) && delay_ms != 0) {
		int rc = delay_ms < 0 ? pthread_cond_wait(&job->cv, &job->mu)
		                      : pthread_cond_timedwait(&job->cv, &job->mu, &until);
		if (rc == ETIMEDOUT)
			break;
	}
	bool woken = job->woken;
	job->woken = false;
	pthread_mutex_unlock(&job->mu);
	return woken;
}

static void *job_main(void *arg)
{
	struct job *job = arg;
	struct jobs *j = job->runner;
	struct job_round r = {.name = job->spec.name, .stopping = &j->stopping};
	r.woken = job_sleep(job, job->spec.first_ms);
	while (!atomic_load(&j->stopping)) {
		int64_t next;
		/* The lease hook (listing in jobs.h): an exclusive job runs only where it holds the lease. */
		if (job->spec.exclusive && j->lease &&
		    !j->lease(j->lease_ctx, job->spec.name, now_ms(CLOCK_REALTIME) + JOBS_LEASE_MS))
			next = JOBS_LEASE_RETRY_MS;
		else
			next = job->spec.round(job->spec.arg, &r);
		if (atomic_load(&j->stopping))
			break;
		r.woken = job_sleep(job, next);
	}
	if (job->spec.drain)
		job->spec.drain(job->spec.arg);
	return NULL;
}

int jobs_start(struct jobs *j)
{
	for (size_t i = 0; i < j->n; i++) {
		if (pthread_create(&j->jobs[i].thread, NULL, job_main, &j->jobs[i]) != 0) {
			log_error("jobs: the thread of job %s could not start", j->jobs[i].spec.name);
			atomic_store(&j->stopping, true);
			for (size_t k = 0; k < i; k++) {
				jobs_wake(&j->jobs[k]);
				pthread_join(j->jobs[k].thread, NULL);
				j->jobs[k].started = false;
			}
			return Q_ERR;
		}
		j->jobs[i].started = true;
	}
	return 0;
}

void jobs_wake(struct job *job)
{
	if (!job)
		return;
	pthread_mutex_lock(&job->mu);
	if (!job->woken) {
		job->woken = true;
		pthread_cond_signal(&job->cv);
	}
	pthread_mutex_unlock(&job->mu);
}

void jobs_wake_cb(void *job)
{
	jobs_wake(job);
}

void jobs_stop(struct jobs *j)
{
	if (!j)
		return;
	atomic_store(&j->stopping, true);
	for (size_t i = 0; i < j->n; i++) {
		struct job *job = &j->jobs[i];
		pthread_mutex_lock(&job->mu);
		pthread_cond_signal(&job->cv);
		pthread_mutex_unlock(&job->mu);
	}
	for (size_t i = 0; i < j->n; i++) {
		struct job *job = &j->jobs[i];
		if (job->started)
			pthread_join(job->thread, NULL);
		else if (job->spec.drain) /* never started: what it holds is still finished */
			job->spec.drain(job->spec.arg);
		pthread_cond_destroy(&job->cv);
		pthread_mutex_destroy(&job->mu);
	}
	free(j);
}
