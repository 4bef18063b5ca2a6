/* A fixed pool of worker threads with a bounded job queue, per-class concurrency caps, and a counting
 * semaphore for capping a resource wherever it is used.
 *
 * Ownership: a job's arg belongs to the caller; the pool only passes it to fn. Every submitted job runs
 * exactly once (workpool_free runs what is still queued before it returns). */
#ifndef QUIRE_CORE_WORKPOOL_H
#define QUIRE_CORE_WORKPOOL_H
#include <pthread.h>
#include <stdint.h>

/* Job classes: class 0 is general work; other classes can be capped (e.g. password hashing), so one kind
 * of job cannot occupy every worker. */
#define WORKPOOL_CLASSES 4

struct workpool;

struct workpool_stats {
	unsigned threads;  /* workers */
	unsigned queued;   /* jobs waiting for a worker */
	unsigned busy;     /* workers running a job */
	uint64_t accepted; /* jobs queued since start */
	uint64_t done;     /* jobs finished since start */
	uint64_t rejected; /* submissions refused because the queue was full */
};

/* Starts threads workers (at least 1) and a queue of at most queue_max waiting jobs (at least 1). */
int workpool_new(struct workpool **out, unsigned threads, unsigned queue_max);
/* At most cap jobs of class cls run at once (0 = no cap, the default). Call before submitting. */
void workpool_set_cap(struct workpool *p, unsigned cls, unsigned cap);
/* Queues fn(arg) in class cls. Q_EBUSY when the queue is full (fn is not called), Q_EINVAL for a bad
 * class or a pool that is shutting down. Never blocks. */
int workpool_submit(struct workpool *p, unsigned cls, void (*fn)(void *arg), void *arg);
/* A consistent snapshot of the counters. */
void workpool_stats(struct workpool *p, struct workpool_stats *out);
/* Runs every job still queued, joins the workers and frees the pool. NULL is fine. */
void workpool_free(struct workpool *p);

/* A counting semaphore: at most n holders at once (used to cap argon2id wherever it is called). */
struct workpool_sem {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned held, cap;
};

void workpool_sem_init(struct workpool_sem *s, unsigned n);
/* Changes the number of holders allowed (n >= 1); holders already inside are not disturbed. */
void workpool_sem_resize(struct workpool_sem *s, unsigned n);
/* Blocks until a slot is free and takes it. */
void workpool_sem_wait(struct workpool_sem *s);
void workpool_sem_post(struct workpool_sem *s);
void workpool_sem_destroy(struct workpool_sem *s);
#endif
