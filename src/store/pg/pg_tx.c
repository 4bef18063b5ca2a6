/* PostgreSQL backend: write and read transactions, workflow transactions (store_tx), request snapshots, running
 * an operation again after a serialization failure or deadlock, and the change feed of each commit. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Attempts of one operation that PostgreSQL aborted for a serialization failure or a deadlock. */
#define FEED_SQL_MAX 9216 /* a COMMIT with its NOTIFY (payloads stay under 8000 bytes) */
#define PG_ATTEMPTS 6

/* A write transaction: BEGIN and the write lock in one round trip. READ COMMITTED, because each statement
 * then sees everything committed before it, which after the lock is every earlier write. (REPEATABLE READ
 * would take its snapshot while the lock was awaited, before the previous writer's commit.) */
static const char *const BEGIN_WRITE[] = {"BEGIN ISOLATION LEVEL READ COMMITTED",
	"SELECT pg_advisory_xact_lock(1903520114, 1)", NULL};
_Static_assert(PG_LOCK_CLASS == 1903520114 && PG_LOCK_WRITE == 1, "BEGIN_WRITE names the write lock");
/* Writes that commute with each other (PG_SHARED): the same lock, shared. */
static const char *const BEGIN_SHARED[] = {"BEGIN ISOLATION LEVEL READ COMMITTED",
	"SELECT pg_advisory_xact_lock_shared(1903520114, 1)", NULL};
/* Writes that need no lock (PG_UNLOCKED), and those that need no disk either (PG_EPHEMERAL). */
static const char *const BEGIN_UNLOCKED[] = {"BEGIN ISOLATION LEVEL READ COMMITTED", NULL};
static const char *const BEGIN_EPHEMERAL[] = {"BEGIN ISOLATION LEVEL READ COMMITTED",
	"SET LOCAL synchronous_commit = off", NULL};
/* A read: one snapshot for all its statements. */
static const char *const BEGIN_READ[] = {"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL};
/* Both are sent with the transaction's first statement (pgc.begin), in its round trip. */

/* The calling thread's workflow transaction (store_tx_begin): its store and connection, and the first
 * error of an operation inside it. */
static _Thread_local struct {
	struct pg *s;
	struct pgc *c;
	int rc;
} tx;

/* What the thread's current write transaction changed, for the feed, and whether it queued mail. */
static _Thread_local struct store_changes changes;
static _Thread_local bool outbox_queued;
/* The works whose response data it changed (for other servers; this one learns after the commit). */
#define RESPONSE_NOTES_MAX 64
static _Thread_local struct {
	int64_t ids[RESPONSE_NOTES_MAX];
	bool now[RESPONSE_NOTES_MAX]; /* a new comment: its version moves at once */
	size_t n;
	bool all;
} responses;

/* Read-your-writes with a replica (store.h): the WAL position this thread's reads must see (store_read_after), and
 * whether it wrote since its request began (then it reads on the primary, and store_write_mark has a mark). */
static _Thread_local struct {
	uint64_t min;
	bool wrote;
	bool request; /* inside a request (store_snapshot_begin): background work reads on the primary */
} rw;

/* The thread's request snapshot (store_snapshot_begin), as in the SQLite backend: depth counts the reads
 * using it now; stale says a write came since (it ends when the last of those reads does). */
static _Thread_local struct {
	struct pg *s;
	struct pgc *c;
	int depth;
	bool stale;
} snap;

bool pgs_tx_mine(struct pg *s)
{
	return tx.s == s && tx.c;
}

/* ---- The change feed ---------------------------------------------------------------------------- */

void pgs_note(struct pg *s, enum store_change_kind kind, int64_t id)
{
	(void)s;
	store_changes_add(&changes, kind, id);
}

void pgs_note_all(struct pg *s)
{
	(void)s;
	changes.overflow = true;
}

bool pgs_noted(const struct pg *s)
{
	(void)s;
	return changes.overflow || changes.n > 0;
}

void pgs_note_response(struct pg *s, int64_t work_id, bool now)
{
	(void)s;
	if (work_id <= 0 || responses.all)
		return;
	for (size_t i = 0; i < responses.n; i++) {
		if (responses.ids[i] == work_id) {
			responses.now[i] |= now;
			return;
		}
	}
	if (responses.n == RESPONSE_NOTES_MAX) {
		responses.all = true;
	} else {
		responses.now[responses.n] = now;
		responses.ids[responses.n++] = work_id;
	}
}

static void notes_clear(void)
{
	store_changes_clear(&changes);
	responses.n = 0;
	responses.all = false;
	outbox_queued = false;
}

void pgs_note_outbox(struct pg *s)
{
	(void)s;
	outbox_queued = true;
}

static struct pg_stmt WORK_DEPS = PG_STMT("SELECT 0, user_id FROM work_creators WHERE work_id = $1"
	" UNION ALL SELECT 1, series_id FROM work_series WHERE work_id = $1");

int pgs_note_work(struct pg *s, struct pgc *c, int64_t work_id)
{
	pgs_note(s, STORE_CHANGE_WORK, work_id);
	int rc;
	PGresult *r = pgs_query(c, &WORK_DEPS, &rc, "I", work_id);
	for (int i = 0; r && i < PQntuples(r); i++)
		pgs_note(s, pgs_int(r, i, 0) ? STORE_CHANGE_SERIES : STORE_CHANGE_USER, pgs_int(r, i, 1));
	PQclear(r);
	return rc;
}

/* ---- Committing -------------------------------------------------------------------------------- */

/* COMMIT in one round trip with what goes with it: the NOTIFY that tells other servers what the transaction changed
 * (items: payload words, letters, digits, spaces and '*', safe to quote) or that it queued mail (the outbox
 * trigger's quire.outbox_queued adds " o" in SQL), that flag itself for this server's sender, and with a replica
 * the WAL position after the commit (read-your-writes). */
static int commit_with(struct pg *s, struct pgc *c, const char *items, bool *queued, uint64_t *lsn)
{
	pgs_drain(c);
#define OUTBOX_FLAG "current_setting('quire.outbox_queued', true)"
	char sql[FEED_SQL_MAX];
	snprintf(sql, sizeof sql,
	         "SELECT " OUTBOX_FLAG ", CASE WHEN %s OR " OUTBOX_FLAG " = '1' THEN pg_notify('quire_changes', '%s%s'"
	         " || CASE WHEN " OUTBOX_FLAG " = '1' THEN ' o' ELSE '' END) END; COMMIT%s",
	         items[0] ? "true" : "false", s->feed_id, items, lsn ? "; SELECT pg_current_wal_insert_lsn()" : "");
#undef OUTBOX_FLAG
	pgs_round_trip(c);
	if (!PQsendQuery(c->db, sql)) {
		c->broken = c->lost = true;
		return Q_EUNAVAIL;
	}
	int rc = 0;
	PGresult *r;
	while ((r = PQgetResult(c->db))) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) == 2 && !PQgetisnull(r, 0, 0) &&
		    PQgetvalue(r, 0, 0)[0] == '1')
			*queued = true;
		else if (t == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) == 1 && lsn)
			*lsn = pgs_lsn_parse(PQgetvalue(r, 0, 0)); /* the position after the commit, for read-your-writes */
		else if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && rc == 0)
			rc = Q_ERR;
		PQclear(r);
	}
	if (PQstatus(c->db) != CONNECTION_OK) {
		/* Lost in the commit: whether it committed is unknown; the caller learns it failed (in flight). */
		c->broken = c->lost = true;
		if (rc)
			rc = Q_EUNAVAIL;
	}
	return rc;
}

/* Ends the transaction on c: commits when rc is 0, else rolls back. Mail queued by the transaction (the
 * outbox triggers set quire.outbox_queued) wakes the sender after the commit; the flag is read in the
 * commit's round trip. */
static int finish(struct pg *s, struct pgc *c, int rc, bool *committed)
{
	*committed = false;
	if (rc == 0 && c->begin) {
		c->begin = NULL; /* no statement ran: nothing was begun, nothing to commit */
		*committed = true;
	} else if (rc == 0 && !c->broken) {
		bool listen;
		pthread_mutex_lock(&s->listen_lock);
		listen = s->outbox_fn != NULL;
		pthread_mutex_unlock(&s->listen_lock);
		bool queued = outbox_queued;
		char items[8000];
		pgs_feed_payload(&changes, responses.ids, responses.now, responses.n, responses.all, queued, items,
		                 sizeof items);
		uint64_t lsn = 0;
		rc = commit_with(s, c, items, &queued, s->replica ? &lsn : NULL);
		uint64_t last = atomic_load(&s->last_lsn);
		while (rc == 0 && lsn > last && !atomic_compare_exchange_weak(&s->last_lsn, &last, lsn))
			;
		if (rc == 0) {
			*committed = true;
			store_health_note(&s->base, STORE_HEALTHY, NULL);
			if (listen && queued) {
				pthread_mutex_lock(&s->listen_lock);
				if (s->outbox_fn)
					s->outbox_fn(s->outbox_arg);
				pthread_mutex_unlock(&s->listen_lock);
			}
		} else if (rc != Q_EBUSY && rc != Q_EUNAVAIL) {
			rc = Q_ERR;
		}
	}
	c->begin = NULL;
	if (!*committed && !c->broken && !c->unread && PQtransactionStatus(c->db) != PQTRANS_IDLE)
		pgs_exec_text(c, "ROLLBACK");
	c->in_tx = false;
	outbox_queued = false;
	responses.n = 0;
	responses.all = false;
	return rc;
}

/* After a commit, the subscribers hear what changed; a copy, outside everything, as SQLite's unlock_and_emit. */
static void emit(struct pg *s, bool committed)
{
	struct store_changes done = changes;
	store_changes_clear(&changes);
	if (committed)
		store_changes_emit(&s->base, &done);
}

/* A short random pause before running an aborted operation again, growing with each attempt. */
static void backoff(int attempt)
{
	long us = (1000L << attempt) + (long)(rand() % 1000) * (attempt + 1);
	nanosleep(&(struct timespec){us / 1000000, (us % 1000000) * 1000}, NULL);
}

/* ---- Writes ------------------------------------------------------------------------------------ */

static int wr_begin(struct pg *s, struct pgc **c, enum pg_write_mode mode)
{
	*c = NULL;
	pgs_snapshot_close(s); /* reads after this write must see it */
	if (pgs_tx_mine(s)) {
		if (tx.rc)
			return tx.rc;
		*c = tx.c;
		return 0;
	}
	int rc = pgs_borrow(s, c);
	if (rc)
		return rc;
	(*c)->begin = mode == PG_EPHEMERAL ? BEGIN_EPHEMERAL : mode == PG_UNLOCKED ? BEGIN_UNLOCKED
	              : mode == PG_SHARED ? BEGIN_SHARED : BEGIN_WRITE;
	(*c)->in_tx = true;
	notes_clear();
	return 0;
}

int pgs_refuse(struct pg *s, int rc)
{
	if (pgs_tx_mine(s) && !tx.rc)
		tx.rc = rc;
	return rc;
}

bool pgs_wr_loop(struct pg *s, struct pg_run *run, struct pgc **c, int *rc)
{
	if (run->state == 0) {
		run->state = 1;
		*rc = wr_begin(s, c, run->mode);
		return *rc == 0;
	}
	if (pgs_tx_mine(s)) {
		/* Inside the workflow: its first failure fails it; the caller decides what follows. */
		if (*rc && !tx.rc)
			tx.rc = *rc;
		return false;
	}
	bool committed;
	*rc = finish(s, *c, *rc, &committed);
	/* A conflict may pass on a second try; so may a connection that was dead before anything ran on it. */
	bool again = !committed && (((*c)->retry && !(*c)->broken) || (*c)->lost_first);
	pgs_giveback(s, *c);
	*c = NULL;
	emit(s, committed);
	if (!again)
		return false;
	if (++run->attempt >= PG_ATTEMPTS) {
		if (*rc != Q_EUNAVAIL) {
			log_warn("store: a write still conflicted after %d attempts", PG_ATTEMPTS);
			*rc = Q_EBUSY;
		}
		return false;
	}
	backoff(run->attempt);
	*rc = wr_begin(s, c, run->mode);
	return *rc == 0;
}

/* ---- Reads ------------------------------------------------------------------------------------- */

/* Ends the thread's snapshot transaction of s, if one is open and no read is using it. */
void pgs_snapshot_close(struct pg *s)
{
	rw.wrote = true; /* called as every write begins: this request reads its writes on the primary from now */
	if (snap.s != s || !snap.c)
		return;
	if (snap.depth > 0) {
		snap.stale = true; /* a read is under way: it ends the snapshot when it is done */
		return;
	}
	struct pgc *c = snap.c;
	snap.c = NULL;
	snap.stale = false;
	pgs_end_read(c);
	pgs_giveback(s, c);
}

void pgs_snapshot_begin(struct store *st)
{
	struct pg *s = pgs_of(st);
	rw.min = 0;
	rw.wrote = false;
	rw.request = true;
	if (snap.s && snap.s != s)
		pgs_snapshot_end(&snap.s->base);
	snap.s = s;
}

void pgs_snapshot_end(struct store *st)
{
	struct pg *s = pgs_of(st);
	rw.request = false;
	if (snap.s != s)
		return;
	snap.depth = 0;
	pgs_snapshot_close(s);
	snap.s = NULL;
}

static int rd_begin(struct pg *s, struct pgc **c)
{
	*c = NULL;
	if (pgs_tx_mine(s) && !tx.rc && pgs_in_tx(tx.c)) {
		/* Inside the workflow's transaction: it sees its own uncommitted writes. */
		*c = tx.c;
		return 0;
	}
	/* (A failed workflow's connection is aborted until it rolls back: its reads see what is committed.) */
	bool shared = snap.s == s && !pgs_tx_mine(s);
	if (shared && snap.c) {
		snap.depth++;
		*c = snap.c;
		return 0;
	}
	/* A replica serves it unless this request wrote, or it is behind what the session must see. */
	int rc = s->replica && rw.request && !rw.wrote && !pgs_tx_mine(s) ? pgs_replica_borrow(s, rw.min, c)
	                                                                   : Q_ENOTFOUND;
	if (rc)
		rc = pgs_borrow(s, c);
	if (rc)
		return rc;
	(*c)->begin = BEGIN_READ;
	(*c)->in_tx = true;
	if (shared) {
		snap.c = *c;
		snap.depth = 1;
		snap.stale = false;
	}
	return 0;
}

/* Ends a read; true when it failed in a way that running it again may cure. */
static bool rd_end(struct pg *s, struct pgc *c, int rc)
{
	if (pgs_tx_mine(s) && c == tx.c)
		return false; /* the workflow's transaction stays open */
	bool again = rc && ((c->retry && !c->broken) || c->lost_first);
	if (snap.s == s && c == snap.c) {
		if (rc && PQtransactionStatus(c->db) != PQTRANS_INTRANS)
			snap.stale = true; /* the snapshot failed: the next read starts another */
		if (snap.depth > 0 && --snap.depth == 0 && snap.stale)
			pgs_snapshot_close(s);
		return again && snap.depth == 0;
	}
	pgs_end_read(c);
	pgs_giveback(s, c);
	return again;
}

bool pgs_rd_loop(struct pg *s, struct pg_run *run, struct pgc **c, int *rc)
{
	if (run->state == 0) {
		run->state = 1;
		*rc = rd_begin(s, c);
		return *rc == 0;
	}
	bool again = rd_end(s, *c, *rc);
	*c = NULL;
	if (!again || ++run->attempt >= PG_ATTEMPTS)
		return false;
	backoff(run->attempt);
	*rc = rd_begin(s, c);
	return *rc == 0;
}

/* ---- Workflow transactions ------------------------------------------------------------------- */

int pgs_tx_begin(struct store *st)
{
	struct pg *s = pgs_of(st);
	if (pgs_tx_mine(s) || tx.s)
		return Q_EINVAL;
	struct pgc *c;
	int rc = wr_begin(s, &c, PG_LOCKED);
	if (rc)
		return rc;
	tx.s = s;
	tx.c = c;
	tx.rc = 0;
	return 0;
}

int pgs_tx_commit(struct store *st)
{
	struct pg *s = pgs_of(st);
	if (!pgs_tx_mine(s))
		return Q_EINVAL;
	struct pgc *c = tx.c;
	bool committed;
	int rc = finish(s, c, tx.rc, &committed);
	tx.s = NULL;
	tx.c = NULL;
	tx.rc = 0;
	pgs_giveback(s, c);
	emit(s, committed);
	return rc;
}

void pgs_tx_rollback(struct store *st)
{
	struct pg *s = pgs_of(st);
	if (!pgs_tx_mine(s))
		return;
	struct pgc *c = tx.c;
	bool committed;
	finish(s, c, Q_ERR, &committed);
	tx.s = NULL;
	tx.c = NULL;
	tx.rc = 0;
	pgs_giveback(s, c);
	emit(s, false);
}

/* ---- Read-your-writes (store.h) --------------------------------------------------------------- */

int pgs_read_after(struct store *st, const char *mark)
{
	(void)st;
	uint64_t lsn = pgs_lsn_parse(mark);
	if (lsn > rw.min)
		rw.min = lsn;
	return 0;
}

int pgs_write_mark(struct store *st, char *buf, size_t len)
{
	struct pg *s = pgs_of(st);
	uint64_t lsn = atomic_load(&s->last_lsn);
	if (len)
		buf[0] = '\0';
	/* This server's latest commit is at or past this thread's own: a mark that may ask a little more than needed,
	 * never less. */
	if (!s->replica || !rw.wrote || !lsn)
		return Q_ENOTFOUND;
	pgs_lsn_format(lsn, buf, len);
	return 0;
}
