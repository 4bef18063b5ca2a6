/* PostgreSQL backend: refreshing works' filter tags and search documents in the background, in short batches, after
 * a wrangle reached more works than it may refresh inside its own transaction (the re-filing queue). */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <errno.h>
#include <stdlib.h>
#include <time.h>

/* A batch holds the write lock for about SYNC_BATCH x 1 ms, so comments and kudos wait that long at most. */
#define SYNC_BATCH 64
/* Between batches the lock is free this long, so writers queued behind it go first. */
#define SYNC_PAUSE_NS (2 * 1000 * 1000)
/* Another server or process may queue works too: the thread looks without being woken this often. */
#define SYNC_IDLE_CHECK_SECONDS 5

static struct pg_stmt QUEUE_ADD = PG_STMT("INSERT INTO work_sync_queue(work_id) SELECT unnest($1::bigint[])"
	" ON CONFLICT DO NOTHING");
static struct pg_stmt QUEUE_ANY = PG_STMT("SELECT EXISTS (SELECT 1 FROM work_sync_queue)");
/* The batch leaves the queue in the transaction that refreshes it: another server's batch (waiting for the write
 * lock meanwhile) takes the next works. */
static struct pg_stmt QUEUE_TAKE = PG_STMT("DELETE FROM work_sync_queue WHERE work_id IN (SELECT work_id"
	" FROM work_sync_queue ORDER BY work_id LIMIT $1) RETURNING work_id");

struct pgs_syncer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool woken, stop, held;
	pthread_t thread;
};

/* One batch in one write transaction. *more: the batch was full (there may be more). With look_first, a read says
 * whether there is anything before the write lock is taken; without it (woken by a wrangle that may not have
 * committed yet) the write lock is waited for, so the batch sees the wrangle's queue. */
static int drain_batch(struct pg *s, bool look_first, bool *more)
{
	struct pgc *c;
	int rc = 0;
	int64_t any = 1;
	*more = false;
	if (look_first) {
		PG_READ(s, c, rc) {
			rc = pgs_query_int(c, &any, &QUEUE_ANY, "");
		}
	}
	if (rc || !any)
		return rc;
	PG_WRITE(s, c, rc) {
		PGresult *r = pgs_query(c, &QUEUE_TAKE, &rc, "i", SYNC_BATCH);
		int n = r ? PQntuples(r) : 0;
		for (int i = 0; i < n && rc == 0; i++) {
			int64_t id = pgs_int(r, i, 0);
			rc = pgs_tags_work_sync(c, id);
			pgs_note(s, STORE_CHANGE_WORK, id);
		}
		PQclear(r);
		*more = n == SYNC_BATCH;
	}
	return rc;
}

enum wake { WAKE_STOP, WAKE_WOKEN, WAKE_TIMEOUT };

/* Sleeps until woken (and not held), stopped, or SYNC_IDLE_CHECK_SECONDS pass, and says which. */
static enum wake wait_for_work(struct pgs_syncer *y)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += SYNC_IDLE_CHECK_SECONDS;
	pthread_mutex_lock(&y->mu);
	enum wake why = WAKE_TIMEOUT;
	while (!y->stop) {
		if (y->held) {
			pthread_cond_wait(&y->cv, &y->mu);
		} else if (y->woken) {
			why = WAKE_WOKEN;
			break;
		} else if (pthread_cond_timedwait(&y->cv, &y->mu, &ts) == ETIMEDOUT) {
			break;
		}
	}
	y->woken = false;
	if (y->stop)
		why = WAKE_STOP;
	pthread_mutex_unlock(&y->mu);
	return why;
}

/* Neither stopping nor held: another batch may run. */
static bool may_run(struct pgs_syncer *y)
{
	pthread_mutex_lock(&y->mu);
	bool go = !y->stop && !y->held;
	pthread_mutex_unlock(&y->mu);
	return go;
}

static void *run(void *arg)
{
	struct pg *s = arg;
	struct pgs_syncer *y = s->syncer;
	/* Works queued before a stop, or by another server, are picked up at once. */
	enum wake why = WAKE_TIMEOUT;
	do {
		bool more = true, look_first = why != WAKE_WOKEN;
		while (more && may_run(y)) {
			int rc = drain_batch(s, look_first, &more);
			look_first = false;
			if (rc) {
				log_error("store: refreshing queued works failed (%s); trying again later", err_str(rc));
				break;
			}
			if (more)
				nanosleep(&(struct timespec){0, SYNC_PAUSE_NS}, NULL);
		}
	} while ((why = wait_for_work(y)) != WAKE_STOP);
	return NULL;
}

int pgs_sync_queue_start(struct pg *s)
{
	struct pgs_syncer *y = xcalloc(1, sizeof *y);
	pthread_mutex_init(&y->mu, NULL);
	pthread_cond_init(&y->cv, NULL);
	s->syncer = y;
	if (pthread_create(&y->thread, NULL, run, s) != 0) {
		log_error("store: could not start the thread that refreshes queued works");
		s->syncer = NULL;
		pthread_cond_destroy(&y->cv);
		pthread_mutex_destroy(&y->mu);
		free(y);
		return Q_ERR;
	}
	return 0;
}

void pgs_sync_queue_stop(struct pg *s)
{
	struct pgs_syncer *y = s->syncer;
	if (!y)
		return;
	pthread_mutex_lock(&y->mu);
	y->stop = true;
	pthread_cond_signal(&y->cv);
	pthread_mutex_unlock(&y->mu);
	pthread_join(y->thread, NULL);
	pthread_cond_destroy(&y->cv);
	pthread_mutex_destroy(&y->mu);
	free(y);
	s->syncer = NULL;
}

static void wake(struct pgs_syncer *y)
{
	if (!y)
		return;
	pthread_mutex_lock(&y->mu);
	y->woken = true;
	pthread_cond_signal(&y->cv);
	pthread_mutex_unlock(&y->mu);
}

int pgs_sync_queue_add(struct pg *s, struct pgc *c, const char *ids)
{
	int rc = pgs_exec(c, &QUEUE_ADD, "s", ids);
	/* Woken inside the transaction is soon enough: the thread needs the write lock, which waits for the commit;
	 * after a rollback it finds nothing. */
	if (rc == 0)
		wake(s->syncer);
	return rc;
}

void pgs_sync_queue_hold(struct store *st, bool held)
{
	struct pgs_syncer *y = pgs_of(st)->syncer;
	if (!y)
		return;
	pthread_mutex_lock(&y->mu);
	y->held = held;
	y->woken = true;
	pthread_cond_signal(&y->cv);
	pthread_mutex_unlock(&y->mu);
}
