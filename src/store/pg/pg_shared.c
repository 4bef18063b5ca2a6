/* PostgreSQL backend: what several servers on one store share (store.h, "Shared state"): secrets made once, job
 * leases as session advisory locks (gone with the server's connection when it dies), rate-limit events and the
 * visitors counted today (unlogged tables: cheap to write, lost in a crash of the database, as they may be). */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Job leases: advisory locks (PG_LOCK_CLASS_JOBS, a hash of the job's name) in the two-integer key space; the
 * liveness lock is the holder id in the one-bigint space, which the other never meets. */
#define PG_LOCK_CLASS_JOBS 0x7175696a /* "quij" */
#define JOBS_HELD_MAX 32

struct pgs_locks {
	pthread_mutex_t mu;
	PGconn *db;
	char *held[JOBS_HELD_MAX];       /* the jobs whose locks this connection holds */
	size_t nheld;
	bool down_logged;
};

static struct pgs_locks *locks_of(struct pg *s)
{
	/* Made at open (pgs_locks_init) before any thread asks. */
	return s->locks;
}

void pgs_locks_init(struct pg *s)
{
	struct pgs_locks *l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->mu, NULL);
	s->locks = l;
}

void pgs_locks_close(struct pg *s)
{
	struct pgs_locks *l = s->locks;
	if (!l)
		return;
	if (l->db)
		PQfinish(l->db); /* every session lock goes with it */
	for (size_t i = 0; i < l->nheld; i++)
		free(l->held[i]);
	pthread_mutex_destroy(&l->mu);
	free(l);
	s->locks = NULL;
}

/* With l->mu held: a live connection holding the liveness lock, or Q_ERR. A lost connection lost every lock. */
static int ensure_locked(struct pg *s, struct pgs_locks *l)
{
	if (l->db && PQstatus(l->db) == CONNECTION_OK) {
		/* Still there? A round trip answers (a connection the server closed is only seen by using it). */
		PGresult *r = PQexec(l->db, "SELECT 1");
		bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
		if (ok)
			return 0;
	}
	if (l->db) {
		log_error("store: the connection holding this server's locks was lost: its job leases are gone");
		PQfinish(l->db);
		l->db = NULL;
	}
	for (size_t i = 0; i < l->nheld; i++)
		free(l->held[i]);
	l->nheld = 0;
	struct pgc *c;
	char err[512];
	if (pgs_connect(s->conninfo, &c, err, sizeof err)) {
		if (!l->down_logged)
			log_error("store: cannot connect to %s for this server's locks: %s", s->where, err);
		l->down_logged = true;
		return Q_ERR;
	}
	l->db = c->db;
	free(c);
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%" PRId64 ")", s->holder);
	PGresult *r = PQexec(l->db, sql);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	if (!ok) {
		PQfinish(l->db);
		l->db = NULL;
		return Q_ERR;
	}
	l->down_logged = false;
	return 0;
}

int pgs_locks_ensure(struct pg *s)
{
	struct pgs_locks *l = locks_of(s);
	pthread_mutex_lock(&l->mu);
	int rc = ensure_locked(s, l);
	pthread_mutex_unlock(&l->mu);
	return rc;
}

static int32_t job_key(const char *job)
{
	return (int32_t)(hash_fnv1a(job, strlen(job)) & 0x7fffffff);
}

int pgs_job_lease(struct store *st, const char *job, int64_t until_ms, bool *held)
{
	struct pg *s = pgs_of(st);
	struct pgs_locks *l = locks_of(s);
	(void)until_ms; /* a session lock lasts as long as the server's connection */
	*held = false;
	if (!job || !*job)
		return Q_EINVAL;
	pthread_mutex_lock(&l->mu);
	int rc = ensure_locked(s, l);
	size_t i = 0;
	for (; rc == 0 && i < l->nheld; i++)
		if (!strcmp(l->held[i], job))
			break;
	if (rc == 0 && i < l->nheld) {
		*held = true;
	} else if (rc == 0) {
		char sql[96];
		snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%d, %" PRId32 ")", PG_LOCK_CLASS_JOBS, job_key(job));
		PGresult *r = PQexec(l->db, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = Q_ERR;
		else if (PQgetvalue(r, 0, 0)[0] == 't' && l->nheld < JOBS_HELD_MAX) {
			l->held[l->nheld++] = xstrdup(job);
			*held = true;
			log_info("store: this server runs the job %s (the servers sharing the store run it one at a time)", job);
		}
		PQclear(r);
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

/* ---- Secrets ------------------------------------------------------------------------------------------ */

static struct pg_stmt SETTING_INSERT = PG_STMT("INSERT INTO settings(key, value) VALUES ($1, $2)"
	" ON CONFLICT (key) DO NOTHING");
static struct pg_stmt SETTING_READ = PG_STMT("SELECT value FROM settings WHERE key = $1");

int pgs_setting_init(struct store *st, struct arena *a, const char *key, const char *value, char **stored)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*stored = NULL;
	if (!key || !value)
		return pgs_refuse(s, Q_EINVAL);
	/* The insert waits for a concurrent one of the same key to commit and then does nothing; the next statement's
	 * snapshot (READ COMMITTED) sees the row that won. */
	PG_WRITE_AS(PG_UNLOCKED, s, c, rc) {
		char *v = NULL;
		rc = pgs_exec(c, &SETTING_INSERT, "tt", key, value);
		if (rc == 0)
			rc = pgs_query_text(c, a, &v, &SETTING_READ, "t", key);
		if (rc == 0)
			*stored = v;
	}
	return rc;
}

/* ---- Rate limits and visitors --------------------------------------------------------------------------- */

static struct pg_stmt LIMIT_COUNT = PG_STMT("SELECT COUNT(*), COALESCE(MIN(at), 0) FROM rate_events"
	" WHERE bucket = $1 AND key = $2 AND at >= $3");
static struct pg_stmt LIMIT_ADD = PG_STMT("INSERT INTO rate_events(bucket, key, at) VALUES ($1, $2, $3)");
static struct pg_stmt LIMIT_CLEAR = PG_STMT("DELETE FROM rate_events WHERE bucket = $1 AND key = $2");
static struct pg_stmt HITS_SEEN = PG_STMT("INSERT INTO hits_seen(day, digest) SELECT $1, d FROM unnest($2::bigint[]) d"
	" ON CONFLICT DO NOTHING RETURNING digest");
static struct pg_stmt PURGE_LIMITS = PG_STMT("DELETE FROM rate_events WHERE at < $1");
static struct pg_stmt PURGE_SEEN = PG_STMT("DELETE FROM hits_seen WHERE day < $1");

int pgs_limit_count(struct store *st, const char *bucket, const char *key, int64_t since, int64_t *count,
                    int64_t *oldest)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*count = *oldest = 0;
	if (!bucket || !key)
		return Q_EINVAL;
	/* Unlogged rows are on the primary only: read there, in a write transaction of nothing. */
	PG_WRITE_AS(PG_EPHEMERAL, s, c, rc) {
		PGresult *r = pgs_query(c, &LIMIT_COUNT, &rc, "ttI", bucket, key, since);
		if (r) {
			*count = pgs_int(r, 0, 0);
			*oldest = pgs_int(r, 0, 1);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_limit_add(struct store *st, const char *bucket, const char *key, int64_t at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!bucket || !key)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE_AS(PG_EPHEMERAL, s, c, rc) {
		rc = pgs_exec(c, &LIMIT_ADD, "ttI", bucket, key, at);
	}
	return rc;
}

int pgs_limit_clear(struct store *st, const char *bucket, const char *key)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!bucket || !key)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE_AS(PG_EPHEMERAL, s, c, rc) {
		rc = pgs_exec(c, &LIMIT_CLEAR, "tt", bucket, key);
	}
	return rc;
}

int pgs_hits_seen(struct store *st, int64_t day, const uint64_t *digests, size_t n, bool *fresh)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (n && (!digests || !fresh))
		return pgs_refuse(s, Q_EINVAL);
	if (n == 0)
		return 0;
	struct buf b = BUF_INIT;
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%" PRId64, i ? "," : "", (int64_t)digests[i]);
	buf_putc(&b, '}');
	PG_WRITE_AS(PG_EPHEMERAL, s, c, rc) {
		for (size_t i = 0; i < n; i++)
			fresh[i] = false;
		PGresult *r = pgs_query(c, &HITS_SEEN, &rc, "Is", day, buf_cstr(&b));
		/* The new ones come back; a digest twice in one call is new once. */
		for (int k = 0; r && k < PQntuples(r); k++) {
			int64_t d = pgs_int(r, k, 0);
			for (size_t i = 0; i < n; i++) {
				if ((int64_t)digests[i] == d) {
					fresh[i] = true;
					break;
				}
			}
		}
		PQclear(r);
	}
	buf_free(&b);
	return rc;
}

int pgs_shared_purge(struct store *st, int64_t before, int64_t before_day)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE_AS(PG_EPHEMERAL, s, c, rc) {
		rc = pgs_exec(c, &PURGE_LIMITS, "I", before);
		if (rc == 0)
			rc = pgs_exec(c, &PURGE_SEEN, "I", before_day);
	}
	return rc;
}
