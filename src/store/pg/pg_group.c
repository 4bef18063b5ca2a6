/* PostgreSQL backend: group commit, so many small concurrent response writes share one transaction and one WAL
 * flush (the reader's response: comments, kudos, bookmarks, history, inbox marks, hits). */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>

/* A batch stays short so the first writer in it is not kept waiting behind hundreds of others. */
#define GROUP_BATCH_MAX 128

/* One submitted write; it lives on the submitting thread's stack until done is set. */
struct job {
	int (*fn)(struct pgc *c, void *arg);
	void *arg;
	int rc;
	bool done;
	struct job *next;
};

/* Leader/follower, as in the SQLite backend: the first thread to find no batch running leads, takes every
 * job queued so far (its own included), runs them in one transaction and wakes their threads. */
struct pgs_group {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, **tail;
	bool running;
};

void pgs_group_init(struct pg *s)
{
	struct pgs_group *g = xcalloc(1, sizeof *g);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->tail = &g->head;
	s->group = g;
}

void pgs_group_free(struct pg *s)
{
	struct pgs_group *g = s->group;
	if (!g)
		return;
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
	s->group = NULL;
}

/* Runs fn in a savepoint: its failure undoes only its own changes. *broken: the transaction itself is gone. */
static int run_in_savepoint(struct pgc *c, struct job *j, bool *broken)
{
	int rc = pgs_exec_text(c, "SAVEPOINT quire_group");
	if (rc) {
		*broken = true;
		return rc;
	}
	rc = j->fn(c, j->arg);
	if (pgs_exec_text(c, rc ? "ROLLBACK TO SAVEPOINT quire_group; RELEASE quire_group" : "RELEASE quire_group"))
		*broken = true;
	return rc;
}

/* Runs the batch in one write transaction. The fast way runs the jobs one after the other with nothing between
 * them: a PostgreSQL savepoint costs two round trips and a subtransaction (more than 64 of those in one
 * transaction slow every other snapshot down). When a job fails (a kudos given twice, a reply to a frozen
 * comment...), the batch is rolled back and run again with a savepoint around each job, so that the failure
 * undoes only its own writes, as on SQLite. */
static void run_batch(struct pg *s, struct job *batch)
{
	struct pgc *c;
	int rc;
	bool careful = false;
	for (;;) {
		bool failed = false, broken = false;
		PG_WRITE(s, c, rc) {
			failed = broken = false;
			for (struct job *j = batch; j; j = j->next) {
				if (broken) {
					j->rc = Q_ERR;
					continue;
				}
				if (careful) {
					j->rc = run_in_savepoint(c, j, &broken);
					continue;
				}
				j->rc = j->fn(c, j->arg);
				if (j->rc) {
					failed = true;
					break;
				}
			}
			rc = broken ? Q_ERR : failed ? Q_EINVAL : 0;
		}
		if (failed && !careful && !broken) {
			careful = true; /* rolled back: once more, each job in its own savepoint */
			continue;
		}
		if (rc) {
			/* A database that went away fails the batch for every job alike, said once by the store's health. */
			bool outage = rc == Q_EUNAVAIL || store_health(&s->base, NULL, NULL) != STORE_HEALTHY;
			for (struct job *j = batch; j; j = j->next)
				if (j->rc == 0 || (outage && j->rc == Q_ERR))
					j->rc = outage ? Q_EUNAVAIL : rc == Q_EINVAL ? Q_ERR : rc;
			if (!outage)
				log_error("store: a group commit failed (%s); its writes were rolled back", err_str(rc));
		}
		return;
	}
}

int pgs_group_write(struct pg *s, int (*fn)(struct pgc *c, void *arg), void *arg)
{
	pgs_snapshot_close(s); /* reads after this write must see it */
	if (pgs_tx_mine(s)) {
		/* Inside this thread's workflow transaction, which holds the write lock: waiting for a batch would
		 * wait for ourselves. The write joins it (its failure fails the workflow, as any write's does). */
		struct pgc *c;
		int rc;
		PG_WRITE(s, c, rc) {
			rc = fn(c, arg);
		}
		return rc;
	}
	struct pgs_group *g = s->group;
	struct job self = {.fn = fn, .arg = arg};
	pthread_mutex_lock(&g->mu);
	*g->tail = &self;
	g->tail = &self.next;
	while (!self.done) {
		if (g->running) {
			pthread_cond_wait(&g->cv, &g->mu);
			continue;
		}
		g->running = true;
		struct job *batch = g->head, *last = batch;
		for (int i = 1; i < GROUP_BATCH_MAX && last->next; i++)
			last = last->next;
		g->head = last->next;
		if (!g->head)
			g->tail = &g->head;
		last->next = NULL;
		pthread_mutex_unlock(&g->mu);
		run_batch(s, batch);
		pthread_mutex_lock(&g->mu);
		/* Read next before done: a finished job's thread may return and free its stack at once. */
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			j->done = true;
		}
		g->running = false;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return self.rc;
}
