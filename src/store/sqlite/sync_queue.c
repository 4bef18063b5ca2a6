/* SQLite backend: refreshing works' filter tags and search text in short batches, after a wrangle reached more
 * works than it may refresh inside its own transaction. The batches run as the "refile" job (store.c). */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <stdatomic.h>

/* A batch holds the write lock for about max × 0.4 ms, so comments and kudos wait that long at most. */
int sqls_refile_queued(struct store *st, int max, bool woken, bool *more)
{
	struct sqls *s = sqls_of(st);
	int64_t ids[STORE_REFILE_BATCH_MAX];
	size_t n = 0;
	struct sqls_conn *c;
	*more = false;
	if (max <= 0 || max > STORE_REFILE_BATCH_MAX)
		max = STORE_REFILE_BATCH_MAX;
	/* A read first: an empty queue (nearly always, when nothing woke us) costs no write lock. Woken by a
	 * wrangle, which may not have committed yet, the write lock is waited for instead, so the batch sees
	 * the wrangle's queue. */
	int64_t any = 1;
	int rc = woken ? 0 : sqls_rd_begin(s, &c);
	if (!woken && rc == 0) {
		rc = sqls_query_int(c, &any, SQL_SYNC_QUEUE_ANY, "");
		sqls_rd_end(s, c);
	}
	if (rc || !any)
		return rc;
	if ((rc = sqls_wr_begin(s, &c)))
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SYNC_QUEUE_NEXT, "i", max);
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	while (n < (size_t)max && (rc = sqls_step(c, q)) == 1)
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
	*more = n == (size_t)max;
done:
	return sqls_wr_end(s, c, rc);
}

/* The listener, set and read atomically: writers call it inside their transactions. */
struct refile_listener {
	void (*fn)(void *arg);
	void *arg;
};

int sqls_refile_listen(struct store *st, void (*fn)(void *arg), void *arg)
{
	struct sqls *s = sqls_of(st);
	/* The write lock: no transaction is queueing works while the listener changes. */
	pthread_mutex_lock(&s->wlock);
	s->refile_fn = fn;
	s->refile_arg = arg;
	pthread_mutex_unlock(&s->wlock);
	return 0;
}

int sqls_sync_queue_add(struct sqls *s, struct sqls_conn *c, const int64_t *ids, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = sqls_exec(c, SQL_SYNC_QUEUE_ADD, "I", ids[i]);
	/* Woken inside the transaction (the write lock held) is soon enough: the batch waits for the write lock,
	 * which the commit releases; after a rollback it finds nothing. */
	if (rc == 0 && s->refile_fn)
		s->refile_fn(s->refile_arg);
	return rc;
}
