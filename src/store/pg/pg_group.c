/* PostgreSQL backend: group commit, so many small concurrent response writes share one transaction and one WAL
 * flush (the reader's response: comments, kudos, bookmarks, history, inbox marks, hits). */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>

/* A batch stays short so the first writer in it is not kept waiting behind hundreds of others. */
#define GROUP_BATCH_MAX 128
/* Batches of one server running at once. Two would let the next run its statements while one waits for the disk
 * (beside it, when both hold the write lock shared), but measured on a 2-core machine (bench/comments.sh) they made
 * smaller batches, more commits and no more comments a second: the database's CPU is the limit there, and a
 * bigger batch spends less of it per comment. Other servers' batches of calls still run beside this one's. */
#define GROUP_RUNNING_MAX 1

/* One submitted write: a function that runs its statements, or one statement (call) and what its result means
 * (done); it lives on the submitting thread's stack until finished is set. */
struct job {
	int (*fn)(struct pgc *c, void *arg);
	struct pgs_call *call;
	int (*done)(void *arg, const PGresult *r);
	void *arg;
	int64_t key; /* a call's: the work whose rows it locks first (a batch runs its calls in this order) */
	int rc;
	bool taken;    /* in a batch that is running */
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
	int running; /* batches */
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
			/* In key order (insertion, stable): two batches running at once lock works' rows in one order,
			 * so they wait for each other instead of deadlocking. */
			size_t at = n++;
			for (; at > 0 && jobs[at - 1]->key > j->key; at--)
				jobs[at] = jobs[at - 1];
			jobs[at] = j;
		}
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		calls[i] = jobs[i]->call;
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
	/* A batch of calls alone holds the write lock shared (pgs_group_call: they commute with each other). */
	bool shared = true;
	for (struct job *j = batch; j && shared; j = j->next)
		shared = !j->fn;
	for (;;) {
		bool failed = false, broken = false;
		PG_WRITE_AS(shared ? PG_SHARED : PG_LOCKED, s, c, rc) {
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
		/* A thread leads while its own job waits in the queue (a batch takes the first GROUP_BATCH_MAX). */
		if (self.taken || g->running >= GROUP_RUNNING_MAX) {
			pthread_cond_wait(&g->cv, &g->mu);
			continue;
		}
		g->running++;
		struct job *batch = g->head, *last = batch;
		batch->taken = true;
		for (int i = 1; i < GROUP_BATCH_MAX && last->next; i++) {
			last = last->next;
			last->taken = true;
		}
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
		g->running--;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return self.rc;
}

int pgs_group_write(struct pg *s, int (*fn)(struct pgc *c, void *arg), void *arg)
{
	return submit(s, (struct job){.fn = fn, .arg = arg});
}

int pgs_group_call(struct pg *s, struct pgs_call *call, int (*done)(void *arg, const PGresult *r), void *arg,
                   int64_t key)
{
	return submit(s, (struct job){.call = call, .done = done, .arg = arg, .key = key});
}
