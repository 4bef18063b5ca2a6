/* Worker pool: fixed threads take jobs from one bounded FIFO, skipping jobs whose class is at its cap. */
#include "core/workpool.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdbool.h>
#include <stdlib.h>

struct job {
	struct job *next;
	void (*fn)(void *arg);
	void *arg;
	unsigned cls;
};

struct workpool {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job was queued, a class slot freed, or shutdown began */
	pthread_t *threads;
	unsigned nthreads, queue_max;
	struct job *head, *tail; /* FIFO of waiting jobs */
	struct job *spare;       /* recycled nodes: no allocation per job once warm */
	unsigned queued, busy;
	unsigned running[WORKPOOL_CLASSES], cap[WORKPOOL_CLASSES];
	uint64_t accepted, done, rejected;
	bool stopping;
};

/* The first queued job whose class has a free slot, unlinked; NULL when none can run now. */
static struct job *take_runnable(struct workpool *p)
{
	struct job *prev = NULL;
	for (struct job *j = p->head; j; prev = j, j = j->next) {
		if (p->cap[j->cls] && p->running[j->cls] >= p->cap[j->cls])
			continue;
		if (prev)
			prev->next = j->next;
		else
			p->head = j->next;
		if (p->tail == j)
			p->tail = prev;
		p->queued--;
		return j;
	}
	return NULL;
}

static void *worker_main(void *arg)
{
	struct workpool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct job *j = take_runnable(p);
		if (!j) {
			if (p->stopping && !p->head)
				break;
			pthread_cond_wait(&p->work, &p->lock);
			continue;
		}
		p->busy++;
		p->running[j->cls]++;
		pthread_mutex_unlock(&p->lock);
		j->fn(j->arg);
		pthread_mutex_lock(&p->lock);
		p->busy--;
		p->running[j->cls]--;
		p->done++;
		j->next = p->spare;
		p->spare = j;
		/* A capped class just freed a slot: a worker idling past a job of that class may take it now. */
		if (p->head)
			pthread_cond_broadcast(&p->work);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int workpool_new(struct workpool **out, unsigned threads, unsigned queue_max)
{
	struct workpool *p = xcalloc(1, sizeof *p);
	p->nthreads = threads ? threads : 1;
	p->queue_max = queue_max ? queue_max : 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->threads = xcalloc(p->nthreads, sizeof *p->threads);
	for (unsigned i = 0; i < p->nthreads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0) {
			log_error("workpool: cannot start worker thread %u", i);
			p->nthreads = i;
			workpool_free(p);
			return Q_ERR;
		}
	}
	*out = p;
	return 0;
}

void workpool_set_cap(struct workpool *p, unsigned cls, unsigned cap)
{
	if (cls >= WORKPOOL_CLASSES)
		return;
	pthread_mutex_lock(&p->lock);
	p->cap[cls] = cap;
	pthread_mutex_unlock(&p->lock);
}

int workpool_submit(struct workpool *p, unsigned cls, void (*fn)(void *arg), void *arg)
{
	if (cls >= WORKPOOL_CLASSES)
		return Q_EINVAL;
	pthread_mutex_lock(&p->lock);
	if (p->stopping) {
		pthread_mutex_unlock(&p->lock);
		return Q_EINVAL;
	}
	if (p->queued >= p->queue_max) {
		p->rejected++;
		pthread_mutex_unlock(&p->lock);
		return Q_EBUSY;
	}
	struct job *j = p->spare;
	if (j)
		p->spare = j->next;
	else
		j = xmalloc(sizeof *j);
	j->next = NULL;
	j->fn = fn;
	j->arg = arg;
	j->cls = cls;
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->queued++;
	p->accepted++;
	/* Broadcast, not signal: the one woken worker might be unable to take a capped job. */
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void workpool_stats(struct workpool *p, struct workpool_stats *out)
{
	pthread_mutex_lock(&p->lock);
	out->threads = p->nthreads;
	out->queued = p->queued;
	out->busy = p->busy;
	out->accepted = p->accepted;
	out->done = p->done;
	out->rejected = p->rejected;
	pthread_mutex_unlock(&p->lock);
}

void workpool_free(struct workpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	/* Workers leave only once the queue is empty; this runs anything left when none ever started. */
	struct job *j;
	while ((j = p->head)) {
		p->head = j->next;
		j->fn(j->arg);
		free(j);
	}
	while ((j = p->spare)) {
		p->spare = j->next;
		free(j);
	}
	free(p->threads);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void workpool_sem_init(struct workpool_sem *s, unsigned n)
{
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	s->held = 0;
	s->cap = n ? n : 1;
}

void workpool_sem_resize(struct workpool_sem *s, unsigned n)
{
	pthread_mutex_lock(&s->lock);
	s->cap = n ? n : 1;
	pthread_cond_broadcast(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

void workpool_sem_wait(struct workpool_sem *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->held >= s->cap)
		pthread_cond_wait(&s->freed, &s->lock);
	s->held++;
	pthread_mutex_unlock(&s->lock);
}

void workpool_sem_post(struct workpool_sem *s)
{
	pthread_mutex_lock(&s->lock);
	s->held--;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

void workpool_sem_destroy(struct workpool_sem *s)
{
	pthread_cond_destroy(&s->freed);
	pthread_mutex_destroy(&s->lock);
}
