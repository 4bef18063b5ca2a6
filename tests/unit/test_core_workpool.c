/* Unit tests for the worker pool: every job runs once, a full queue refuses, class caps hold, and a capped
 * class cannot keep other work from running. No timing assertions: latches decide what runs when. */
#include "check.h"
#include "core/err.h"
#include "core/workpool.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <time.h>

/* A gate jobs wait at until the test opens it. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool open;
	int arrived; /* jobs that reached the gate */
};

static struct gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};

static void gate_reset(void)
{
	pthread_mutex_lock(&gate.lock);
	gate.open = false;
	gate.arrived = 0;
	pthread_mutex_unlock(&gate.lock);
}

static void gate_open(void)
{
	pthread_mutex_lock(&gate.lock);
	gate.open = true;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
}

/* Waits (30 s at most, so that a broken pool fails instead of hanging) until n jobs reached the gate. */
static bool gate_wait_arrived(int n)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 30;
	pthread_mutex_lock(&gate.lock);
	while (gate.arrived < n && pthread_cond_timedwait(&gate.cond, &gate.lock, &t) == 0)
		;
	bool ok = gate.arrived >= n;
	pthread_mutex_unlock(&gate.lock);
	return ok;
}

static atomic_int inside, most_inside, ran;

static void gated_job(void *arg)
{
	int now = atomic_fetch_add(&inside, 1) + 1;
	int seen = atomic_load(&most_inside);
	while (now > seen && !atomic_compare_exchange_weak(&most_inside, &seen, now))
		;
	pthread_mutex_lock(&gate.lock);
	gate.arrived++;
	pthread_cond_broadcast(&gate.cond);
	while (!gate.open)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	atomic_fetch_sub(&inside, 1);
	atomic_fetch_add(&ran, 1);
}

static void count_job(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

static void test_every_job_runs_once(void)
{
	struct workpool *p;
	atomic_int n = 0;
	CHECK(workpool_new(&p, 3, 1000) == 0);
	for (int i = 0; i < 500; i++)
		CHECK(workpool_submit(p, 0, count_job, &n) == 0);
	workpool_free(p);
	CHECK(atomic_load(&n) == 500);
}

static void test_full_queue_refuses_without_blocking(void)
{
	struct workpool *p;
	struct workpool_stats ws;
	gate_reset();
	atomic_store(&ran, 0);
	CHECK(workpool_new(&p, 1, 2) == 0);
	CHECK(workpool_submit(p, 0, gated_job, NULL) == 0);
	CHECK(gate_wait_arrived(1)); /* the only worker is busy */
	CHECK(workpool_submit(p, 0, gated_job, NULL) == 0);
	CHECK(workpool_submit(p, 0, gated_job, NULL) == 0);
	CHECK(workpool_submit(p, 0, gated_job, NULL) == Q_EBUSY);
	workpool_stats(p, &ws);
	CHECK(ws.threads == 1 && ws.busy == 1 && ws.queued == 2 && ws.rejected == 1);
	CHECK(workpool_submit(p, WORKPOOL_CLASSES, gated_job, NULL) == Q_EINVAL);
	gate_open();
	workpool_free(p);
	CHECK(atomic_load(&ran) == 3);
}

static void test_capped_class_leaves_workers_for_others(void)
{
	struct workpool *p;
	atomic_int other = 0;
	gate_reset();
	atomic_store(&ran, 0);
	atomic_store(&most_inside, 0);
	CHECK(workpool_new(&p, 4, 100) == 0);
	workpool_set_cap(p, 1, 2);
	for (int i = 0; i < 6; i++) /* six "password hashes" against a cap of two */
		CHECK(workpool_submit(p, 1, gated_job, NULL) == 0);
	CHECK(gate_wait_arrived(2));
	/* Two workers are free, although four capped jobs wait ahead of this one in the queue. */
	CHECK(workpool_submit(p, 0, count_job, &other) == 0);
	CHECK(workpool_submit(p, 0, gated_job, NULL) == 0);
	CHECK(gate_wait_arrived(3));
	CHECK(atomic_load(&other) == 1);
	CHECK(atomic_load(&most_inside) == 3); /* two capped jobs and the general one */
	gate_open();
	workpool_free(p);
	CHECK(atomic_load(&ran) == 7);
	CHECK(atomic_load(&most_inside) <= 4);
}

static atomic_int sem_inside, sem_most;
static struct workpool_sem sem;

static void sem_job(void *arg)
{
	workpool_sem_wait(&sem);
	int now = atomic_fetch_add(&sem_inside, 1) + 1;
	int seen = atomic_load(&sem_most);
	while (now > seen && !atomic_compare_exchange_weak(&sem_most, &seen, now))
		;
	for (volatile int i = 0; i < 20000; i++) /* stay inside a little, so that others would pile up */
		;
	atomic_fetch_sub(&sem_inside, 1);
	workpool_sem_post(&sem);
}

static void test_semaphore_caps_holders(void)
{
	struct workpool *p;
	workpool_sem_init(&sem, 2);
	CHECK(workpool_new(&p, 6, 1000) == 0);
	for (int i = 0; i < 300; i++)
		CHECK(workpool_submit(p, 0, sem_job, NULL) == 0);
	workpool_free(p);
	CHECK(atomic_load(&sem_most) >= 1 && atomic_load(&sem_most) <= 2);
	workpool_sem_resize(&sem, 1);
	atomic_store(&sem_most, 0);
	CHECK(workpool_new(&p, 4, 1000) == 0);
	for (int i = 0; i < 100; i++)
		CHECK(workpool_submit(p, 0, sem_job, NULL) == 0);
	workpool_free(p);
	CHECK(atomic_load(&sem_most) == 1);
	workpool_sem_destroy(&sem);
}

int main(void)
{
	test_every_job_runs_once();
	test_full_queue_refuses_without_blocking();
	test_capped_class_leaves_workers_for_others();
	test_semaphore_caps_holders();
	return CHECK_DONE();
}
