/* PostgreSQL backend: a read replica (store_read): a pool of connections to a streaming standby for read-only
 * work, used only when it has replayed what the reading session must see (read-your-writes: store.h); when it
 * does not answer, reads go to the primary for a while and the log says so once. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After the replica failed, reads go to the primary this long before it is tried again. */
#define REPLICA_RETRY_MS 5000

struct pgs_replica {
	char *conninfo, *where;
	pthread_mutex_t lock;
	struct pgc *idle;
	int nopen, max;
	_Atomic uint64_t replayed;     /* the replica's replay position as last seen */
	_Atomic int64_t down_until_ms; /* while later than now, reads go to the primary */
	atomic_bool down_logged;
};

uint64_t pgs_lsn_parse(const char *text)
{
	unsigned hi = 0, lo = 0;
	if (!text || sscanf(text, "%X/%X", &hi, &lo) != 2)
		return 0;
	return (uint64_t)hi << 32 | lo;
}

void pgs_lsn_format(uint64_t lsn, char *buf, size_t len)
{
	snprintf(buf, len, "%X/%X", (unsigned)(lsn >> 32), (unsigned)(lsn & 0xffffffffu));
}

int pgs_replica_open(struct pg *s, const char *url, int pool, char *err, size_t errlen)
{
	char *where = NULL;
	int rc = pgs_url_check(url, err, errlen, &where);
	if (rc)
		return rc;
	struct pgs_replica *r = xcalloc(1, sizeof *r);
	r->conninfo = xstrdup(url);
	r->where = where;
	r->max = pool;
	pthread_mutex_init(&r->lock, NULL);
	s->replica = r;
	/* Checked once at start, so a wrong store_read is said at once; a replica that is down later is only
	 * skipped. */
	struct pgc *c;
	char why[512];
	if (pgs_connect(url, &c, why, sizeof why)) {
		log_warn("store: the read replica (%s) does not answer: %s; reads go to the primary until it does", where,
		         why);
		atomic_store(&r->down_until_ms, pgs_now_ms() + REPLICA_RETRY_MS);
		atomic_store(&r->down_logged, true);
		return 0;
	}
	c->replica = true;
	r->nopen = 1;
	pgs_replica_giveback(s, c);
	return 0;
}

void pgs_replica_close(struct pg *s)
{
	struct pgs_replica *r = s->replica;
	if (!r)
		return;
	for (struct pgc *c = r->idle, *next; c; c = next) {
		next = c->next;
		pgs_disconnect(c);
	}
	pthread_mutex_destroy(&r->lock);
	free(r->conninfo);
	free(r->where);
	free(r);
	s->replica = NULL;
}

/* The replica's position: what it replayed; a server that is not in recovery (a replica promoted after a failover)
 * is the primary and has everything. */
static int replica_position(struct pgc *c, uint64_t *lsn)
{
	pgs_drain(c);
	pgs_round_trip(c);
	PGresult *r = PQexec(c->db, "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
	                            " ELSE pg_current_wal_lsn() END");
	int rc = 0;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		*lsn = pgs_lsn_parse(PQgetvalue(r, 0, 0));
	else
		rc = Q_ERR;
	if (PQstatus(c->db) != CONNECTION_OK)
		c->broken = true;
	PQclear(r);
	return rc;
}

static void replica_failed(struct pgs_replica *r, const char *why)
{
	atomic_store(&r->down_until_ms, pgs_now_ms() + REPLICA_RETRY_MS);
	if (!atomic_exchange(&r->down_logged, true))
		log_warn("store: the read replica (%s) does not answer: %s; reads go to the primary until it does",
		         r->where, why);
}

int pgs_replica_borrow(struct pg *s, uint64_t min_lsn, struct pgc **out)
{
	struct pgs_replica *r = s->replica;
	*out = NULL;
	if (!r || pgs_now_ms() < atomic_load(&r->down_until_ms))
		return Q_EUNAVAIL;
	pthread_mutex_lock(&r->lock);
	struct pgc *c = pgs_idle_take(&r->idle);
	if (!c && r->nopen < r->max) {
		r->nopen++;
	} else if (!c) {
		pthread_mutex_unlock(&r->lock);
		return Q_EBUSY; /* all lent: the primary has room */
	}
	pthread_mutex_unlock(&r->lock);
	if (c && c->unread && (!PQconsumeInput(c->db) || !PQisBusy(c->db)))
		pgs_drain(c); /* else read with the first statement's answers */
	if (c && c->broken) {
		pgs_replica_giveback(s, c);
		return pgs_replica_borrow(s, min_lsn, out);
	}
	if (!c) {
		char why[512];
		if (pgs_connect(r->conninfo, &c, why, sizeof why)) {
			pthread_mutex_lock(&r->lock);
			r->nopen--;
			pthread_mutex_unlock(&r->lock);
			replica_failed(r, why);
			return Q_EUNAVAIL;
		}
		c->replica = true;
		if (atomic_exchange(&r->down_logged, false))
			log_info("store: the read replica (%s) answers again", r->where);
	}
	if (min_lsn > atomic_load(&r->replayed)) {
		/* The session wrote after the last look: has the replica replayed it yet? */
		uint64_t now_at = 0;
		if (replica_position(c, &now_at)) {
			pgs_replica_giveback(s, c);
			replica_failed(r, "its position could not be read");
			return Q_EUNAVAIL;
		}
		uint64_t seen = atomic_load(&r->replayed);
		while (now_at > seen && !atomic_compare_exchange_weak(&r->replayed, &seen, now_at))
			;
		if (min_lsn > now_at) {
			pgs_replica_giveback(s, c);
			return Q_ENOTFOUND; /* behind: this read goes to the primary */
		}
	}
	*out = c;
	return 0;
}

void pgs_replica_giveback(struct pg *s, struct pgc *c)
{
	struct pgs_replica *r = s->replica;
	c->begin = NULL;
	if (!c->broken && !c->unread && PQtransactionStatus(c->db) != PQTRANS_IDLE) {
		PGresult *res = PQexec(c->db, "ROLLBACK");
		PQclear(res);
		if (PQtransactionStatus(c->db) != PQTRANS_IDLE)
			c->broken = true;
	}
	c->in_tx = c->retry = c->lost_first = false;
	pthread_mutex_lock(&r->lock);
	if (c->broken || PQstatus(c->db) != CONNECTION_OK) {
		r->nopen--;
		pthread_mutex_unlock(&r->lock);
		pgs_disconnect(c);
		return;
	}
	c->next = r->idle;
	r->idle = c;
	pthread_mutex_unlock(&r->lock);
}
