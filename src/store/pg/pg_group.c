/* PostgreSQL backend: group commit, so many small concurrent response writes share one transaction and one WAL
 * flush (the reader's response: comments, kudos, bookmarks, history, inbox marks, hits). */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>

/* A batch stays short so the first writer in it is not kept waiting behind hundreds of others. */
#define GROUP_BATCH_MAX 128

/* One submitted write: a function that runs its statements, or one statement (call) and what its result means
 * (done); it lives on the submitting thread's stack until finished is set. */
struct job {
	int (*fn)(struct pgc *c, void *arg);
	struct pgs_call *call;
	int (*done)(void *arg, const PGresult *r);
	void *arg;
	int rc;
	bool finished;
	struct job *next;
};

/* A call job's statement alone; its result read by done. */
static int run_call(struct pgc *c, struct job *j)
{
	int rc = pgs_pipeline(c, &j->call, 1);
	if (rc == 0)
		rc = j->done(j->arg, j->call->result);
	PQclear(j->call->result);
	j->call->result = NULL;
	return rc;
}

static int run_job(struct pgc *c, struct job *j)
{
	return j->fn ? j->fn(c, j->arg) : run_call(c, j);
}

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
	rc = run_job(c, j);
	if (pgs_exec_text(c, rc ? "ROLLBACK TO SAVEPOINT quire_group; RELEASE quire_group" : "RELEASE quire_group"))
		*broken = true;
	return rc;
}

/* The batch's one-statement jobs in one round trip, with the transaction's BEGIN and write lock: 0, or the
 * statements failed (the transaction is aborted). A job whose result says it failed changed nothing. */
static int run_calls(struct pgc *c, struct job *batch)
{
	struct pgs_call *calls[GROUP_BATCH_MAX];
	struct job *jobs[GROUP_BATCH_MAX];
	size_t n = 0;
	for (struct job *j = batch; j; j = j->next)
		if (!j->fn) {
			jobs[n] = j;
			calls[n++] = j->call;
		}
	if (n == 0)
		return 0;
	int rc = pgs_pipeline(c, calls, n);
	for (size_t i = 0; i < n; i++) {
		jobs[i]->rc = rc ? rc : jobs[i]->done(jobs[i]->arg, calls[i]->result);
		PQclear(calls[i]->result);
		calls[i]->result = NULL;
	}
	return rc;
}

/* Runs the batch in one write transaction. The fast way sends the one-statement jobs together (one round trip for
 * all of them), then runs the others one after the other with nothing between them: a PostgreSQL savepoint costs
 * two round trips and a subtransaction (more than 64 of those in one transaction slow every other snapshot down).
 * When a statement fails (an error, not a result that says no), or a job of several statements fails (a kudos
 * given twice, a reply to a frozen comment...), the batch is rolled back and run again with a savepoint around
 * each job, so that the failure undoes only its own writes, as on SQLite. */
static void run_batch(struct pg *s, struct job *batch)
{
	struct pgc *c;
	int rc;
	bool careful = false;
	for (;;) {
		bool failed = false, broken = false;
		PG_WRITE(s, c, rc) {
			failed = broken = false;
			if (!careful && run_calls(c, batch))
				failed = true;
			for (struct job *j = batch; j && !failed; j = j->next) {
				if (broken) {
					j->rc = Q_ERR;
					continue;
				}
				if (careful) {
					j->rc = run_in_savepoint(c, j, &broken);
					continue;
				}
				if (!j->fn)
					continue; /* run with the others */
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
			for (struct job *j = batch; j; j = j->next)
				if (j->rc == 0)
					j->rc = rc == Q_EINVAL ? Q_ERR : rc;
			if (rc != Q_EUNAVAIL) /* an outage is said once, by the store's health */
				log_error("store: a group commit failed (%s); its writes were rolled back", err_str(rc));
		}
		return;
	}
}

static int submit(struct pg *s, struct job self)
{
	pgs_snapshot_close(s); /* reads after this write must see it */
	if (pgs_tx_mine(s)) {
		/* Inside this thread's workflow transaction, which holds the write lock: waiting for a batch would
		 * wait for ourselves. The write joins it (its failure fails the workflow, as any write's does). */
		struct pgc *c;
		int rc;
		PG_WRITE(s, c, rc) {
			rc = run_job(c, &self);
		}
		return rc;
	}
	struct pgs_group *g = s->group;
	pthread_mutex_lock(&g->mu);
	*g->tail = &self;
	g->tail = &self.next;
	while (!self.finished) {
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
		/* Read next before finished: a finished job's thread may return and free its stack at once. */
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			j->finished = true;
		}
		g->running = false;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return self.rc;
}

int pgs_group_write(struct pg *s, int (*fn)(struct pgc *c, void *arg), void *arg)
{
	return submit(s, (struct job){.fn = fn, .arg = arg});
}

int pgs_group_call(struct pg *s, struct pgs_call *call, int (*done)(void *arg, const PGresult *r), void *arg)
{
	return submit(s, (struct job){.call = call, .done = done, .arg = arg});
}
