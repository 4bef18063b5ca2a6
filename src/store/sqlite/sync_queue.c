/* SQLite backend: refreshing works' filter tags and search text in the background, in short batches, after a
 * wrangle reached more works than it may refresh inside its own transaction. */
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <errno.h>
#include <stdlib.h>
#include <time.h>

/* A batch holds the write lock for about SYNC_BATCH × 0.4 ms, so comments and kudos wait that long at most. */
#define SYNC_BATCH 128
/* Between batches the lock is free this long, so writers queued behind it go first. */
#define SYNC_PAUSE_NS (2 * 1000 * 1000)
/* Another process (the CLI) may queue works too: the thread looks without being woken this often. */
#define SYNC_IDLE_CHECK_SECONDS 5

struct sqls_syncer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool woken, stop, held;
	pthread_t thread;
};

/* One batch in one write transaction: refreshes up to SYNC_BATCH queued works and takes them off the queue.
 * *more is set when the batch was full (there may be more). With look_first, a read says whether there is
 * anything before the write lock is taken; without it (woken by a wrangle, which may not have committed yet)
 * the write lock is waited for, so the batch sees the wrangle's queue. */
static int drain_batch(struct sqls *s, bool look_first, bool *more)
{
	int64_t ids[SYNC_BATCH];
	size_t n = 0;
	struct sqls_conn *c;
	*more = false;
	/* A read first: an empty queue (nearly always, when nothing woke us) costs no write lock. */
	int64_t any = 1;
	int rc = look_first ? sqls_rd_begin(s, &c) : 0;
	if (look_first && rc == 0) {
		rc = sqls_query_int(c, &any, SQL_SYNC_QUEUE_ANY, "");
		sqls_rd_end(s, c);
	}
	if (rc || !any)
		return rc;
	if ((rc = sqls_wr_begin(s, &c)))
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SYNC_QUEUE_NEXT, "i", SYNC_BATCH);
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	while (n < SYNC_BATCH && (rc = sqls_step(c, q)) == 1)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqls_reset(q);
	if (rc < 0)
		goto done;
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = sqls_tags_work_sync(c, ids[i]);
		if (rc == 0)
			rc = sqls_exec(c, SQL_SYNC_QUEUE_DEL, "I", ids[i]);
		sqls_note(s, STORE_CHANGE_WORK, ids[i]);
	}
	*more = n == SYNC_BATCH;
done:
	return sqls_wr_end(s, c, rc);
}

enum wake { WAKE_STOP, WAKE_WOKEN, WAKE_TIMEOUT };

/* Sleeps until woken (and not held), stopped, or SYNC_IDLE_CHECK_SECONDS pass, and says which. */
static enum wake wait_for_work(struct sqls_syncer *y)
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
static bool may_run(struct sqls_syncer *y)
{
	pthread_mutex_lock(&y->mu);
	bool go = !y->stop && !y->held;
	pthread_mutex_unlock(&y->mu);
	return go;
}

static void *run(void *arg)
{
	struct sqls *s = arg;
	struct sqls_syncer *y = s->syncer;
	/* Works queued before a crash or by another process are picked up at once. */
	enum wake why = WAKE_TIMEOUT;
	do {
		bool more = true, look_first = why != WAKE_WOKEN;
		while (more && may_run(y)) {
			int rc = drain_batch(s, look_first, &more);
			look_first = false; /* a full batch: there is more */
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

int sqls_sync_queue_start(struct sqls *s)
{
	struct sqls_syncer *y = xcalloc(1, sizeof *y);
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

void sqls_sync_queue_stop(struct sqls *s)
{
	struct sqls_syncer *y = s->syncer;
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

static void wake(struct sqls_syncer *y)
{
	if (!y)
		return;
	pthread_mutex_lock(&y->mu);
	y->woken = true;
	pthread_cond_signal(&y->cv);
	pthread_mutex_unlock(&y->mu);
}

int sqls_sync_queue_add(struct sqls *s, struct sqls_conn *c, const int64_t *ids, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = sqls_exec(c, SQL_SYNC_QUEUE_ADD, "I", ids[i]);
	/* Woken inside the transaction is soon enough: the thread needs the write lock, which waits for the
	 * commit; after a rollback it finds nothing. */
	if (rc == 0)
		wake(s->syncer);
	return rc;
}

void sqls_sync_queue_hold(struct store *st, bool held)
{
	struct sqls_syncer *y = sqls_of(st)->syncer;
	if (!y)
		return;
	pthread_mutex_lock(&y->mu);
	y->held = held;
	y->woken = true;
	pthread_cond_signal(&y->cv);
	pthread_mutex_unlock(&y->mu);
}
