/* PostgreSQL backend: refreshing works' filter tags and search documents in short batches, after a wrangle reached
 * more works than it may refresh inside its own transaction (the re-filing queue). The batches run as the "refile"
 * job (store.c); with several servers on one database each batch takes its works off the queue in its own
 * transaction under the write lock, so no work is refreshed twice. */
#include "store/pg/pg_int.h"
#include "core/err.h"

static struct pg_stmt QUEUE_ADD = PG_STMT("INSERT INTO work_sync_queue(work_id) SELECT unnest($1::bigint[])"
	" ON CONFLICT DO NOTHING");
/* In key order: the index skips what earlier batches deleted (a scan of the table would read past it). */
static struct pg_stmt QUEUE_ANY = PG_STMT("SELECT COUNT(*) FROM (SELECT 1 FROM work_sync_queue ORDER BY work_id"
	" LIMIT 1) q");
/* The batch leaves the queue in the transaction that refreshes it. */
static struct pg_stmt QUEUE_TAKE = PG_STMT("DELETE FROM work_sync_queue WHERE work_id IN (SELECT work_id"
	" FROM work_sync_queue ORDER BY work_id LIMIT $1) RETURNING work_id");

/* A batch holds the write lock for about max x 1 ms, so comments and kudos wait that long at most. */
int pgs_refile_queued(struct store *st, int max, bool woken, bool *more)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc = 0;
	int64_t any = 1;
	*more = false;
	if (max <= 0 || max > STORE_REFILE_BATCH_MAX)
		max = STORE_REFILE_BATCH_MAX;
	/* A read first: an empty queue (nearly always, when nothing woke us) costs no write lock. Woken by a wrangle,
	 * which may not have committed yet, the write lock is waited for instead, so the batch sees its queue. */
	if (!woken) {
		PG_READ(s, c, rc) {
			rc = pgs_query_int(c, &any, &QUEUE_ANY, "");
		}
	}
	if (rc || !any)
		return rc;
	PG_WRITE(s, c, rc) {
		PGresult *r = pgs_query(c, &QUEUE_TAKE, &rc, "i", max);
		int n = r ? PQntuples(r) : 0;
		for (int i = 0; i < n && rc == 0; i++) {
			int64_t id = pgs_int(r, i, 0);
			rc = pgs_tags_work_sync(c, id);
			pgs_note(s, STORE_CHANGE_WORK, id);
		}
		PQclear(r);
		*more = n == max;
	}
	return rc;
}

int pgs_refile_listen(struct store *st, void (*fn)(void *arg), void *arg)
{
	struct pg *s = pgs_of(st);
	pthread_mutex_lock(&s->listen_lock);
	s->refile_fn = fn;
	s->refile_arg = arg;
	pthread_mutex_unlock(&s->listen_lock);
	return 0;
}

int pgs_sync_queue_add(struct pg *s, struct pgc *c, const char *ids)
{
	int rc = pgs_exec(c, &QUEUE_ADD, "s", ids);
	/* Woken inside the transaction is soon enough: the batch waits for the write lock, which the commit releases;
	 * after a rollback it finds nothing. */
	if (rc == 0) {
		pthread_mutex_lock(&s->listen_lock);
		if (s->refile_fn)
			s->refile_fn(s->refile_arg);
		pthread_mutex_unlock(&s->listen_lock);
	}
	return rc;
}
