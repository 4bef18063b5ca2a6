/* SQLite backend: group commit, so many small concurrent writes share one transaction and one fsync. */
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>

/* A batch stays short so the first writer in it is not kept waiting behind hundreds of others. */
#ifndef GROUP_BATCH_MAX
#define GROUP_BATCH_MAX 128
#endif

/* One submitted write; it lives on the submitting thread's stack until done is set. */
struct job {
	int (*fn)(struct sqls_conn *c, void *arg);
	void *arg;
	int rc;
	bool done;
	struct job *next;
};

/* Leader/follower: the first thread to find no batch running becomes the leader, takes every job
 * queued so far (its own included), runs them in one transaction and wakes their threads. Jobs that
 * arrive meanwhile wait for the next batch, which one of their threads leads. */
struct sqls_group {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, **tail;
	bool running; /* a leader is running a batch */
};

int sqls_group_init(struct sqls *s)
{
	struct sqls_group *g = xcalloc(1, sizeof *g);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->tail = &g->head;
	s->group = g;
	return 0;
}

void sqls_group_free(struct sqls *s)
{
	struct sqls_group *g = s->group;
	if (!g)
		return;
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
	s->group = NULL;
}

/* Runs fn in a savepoint of the open transaction on c: its failure undoes only its own changes.
 * Returns fn's rc; *broken is set when the transaction itself is gone (I/O errors, a full disk roll
 * everything back by themselves) or the savepoint could not be ended. */
static int run_in_savepoint(struct sqls_conn *c, int (*fn)(struct sqls_conn *c, void *arg), void *arg, bool *broken)
{
	int rc = sqls_exec(c, SQL_SAVEPOINT, "");
	if (rc) {
		*broken = true;
		return rc;
	}
	rc = fn(c, arg);
	if (rc && !sqlite3_get_autocommit(c->db) && sqls_exec(c, SQL_ROLLBACK_TO, "") != 0)
		*broken = true;
	if (!*broken && !sqlite3_get_autocommit(c->db) && sqls_exec(c, SQL_RELEASE, "") != 0)
		*broken = true;
	if (sqlite3_get_autocommit(c->db))
		*broken = true;
	return rc;
}

/* Runs the jobs in one write transaction (sqls_wr_begin .. sqls_wr_end: the write lock, BEGIN IMMEDIATE,
 * the change feed after the commit); each one's rc is set (Q_ERR for all when the commit fails). */
static void run_batch(struct sqls *s, struct job *batch)
{
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	bool broken = rc != 0; /* the transaction is gone: nothing in this batch may commit */
	for (struct job *j = batch; j; j = j->next) {
		if (broken)
			j->rc = rc ? rc : Q_ERR;
		else
			j->rc = run_in_savepoint(c, j->fn, j->arg, &broken);
	}
	int end = 0;
	if (c) {
		/* A job's own failure was undone by its savepoint; the rest commit. */
		end = sqls_wr_end(s, c, broken ? Q_ERR : 0);
		if (end)
			broken = true;
	}
	if (broken) {
		/* A store that cannot be written now (a full disk) says so once itself (store_health); every job of
		 * the batch learns why. */
		bool unavailable = end == Q_EUNAVAIL || store_health(&s->base, NULL, NULL) != STORE_HEALTHY;
		for (struct job *j = batch; j; j = j->next)
			if (j->rc == 0 || (unavailable && j->rc == Q_ERR))
				j->rc = unavailable ? Q_EUNAVAIL : Q_ERR;
		if (!unavailable)
			log_error("store: a group commit failed; its writes were rolled back");
	}
}

int sqls_group_write(struct sqls *s, int (*fn)(struct sqls_conn *c, void *arg), void *arg)
{
	sqls_snapshot_close(s); /* reads after this write must see it */
	if (sqls_tx_mine(s)) {
		/* Inside this thread's workflow transaction, which holds the write lock: waiting for a batch
		 * would wait for ourselves. The write joins the transaction instead. */
		struct sqls_conn *c;
		int rc = sqls_wr_begin(s, &c);
		if (rc)
			return rc;
		bool broken = false;
		rc = run_in_savepoint(c, fn, arg, &broken);
		if (broken && rc == 0)
			rc = Q_ERR;
		return sqls_wr_end(s, c, rc);
	}
	struct sqls_group *g = s->group;
	struct job self = {.fn = fn, .arg = arg};
	pthread_mutex_lock(&g->mu);
	*g->tail = &self;
	g->tail = &self.next;
	while (!self.done) {
		if (g->running) {
			pthread_cond_wait(&g->cv, &g->mu);
			continue;
		}
		/* Lead: take up to GROUP_BATCH_MAX queued jobs; if ours is not among them, the loop leads again. */
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
