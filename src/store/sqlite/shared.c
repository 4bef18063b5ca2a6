/* SQLite backend: what several servers on one store share (store.h, "Shared state"): secrets made once, job
 * leases, rate-limit events and the visitors counted today. One server owns an SQLite file, so these are rarely
 * used here (it keeps limits in memory), but they keep the same contract as PostgreSQL's. Statements are prepared
 * per call: none of them is on a hot path. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include "core/log.h"
#include <sodium.h>
#include <string.h>

/* This store's holder id in leases and outbox claims: random, made on first use. */
int64_t sqls_holder(struct sqls *s)
{
	int64_t h = atomic_load(&s->holder);
	if (h)
		return h;
	int64_t mine;
	do {
		randombytes_buf(&mine, sizeof mine);
		mine &= INT64_MAX;
	} while (mine == 0);
	int64_t expected = 0;
	return atomic_compare_exchange_strong(&s->holder, &expected, mine) ? mine : expected;
}

/* Runs sql (prepared on c) with fmt's parameters ('I' int64, 't' text) to its end; *changes gets the rows it
 * changed. */
static int run(struct sqls_conn *c, const char *sql, int *changes, const char *fmt, ...)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK) {
		log_error("store: %s in: %.200s", sqlite3_errmsg(c->db), sql);
		return Q_ERR;
	}
	va_list ap;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 'I')
			sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
		else
			sqlite3_bind_text(q, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	int rc;
	while ((rc = sqls_step(c, q)) == 1)
		;
	if (changes)
		*changes = sqlite3_changes(c->db);
	sqlite3_finalize(q);
	return rc;
}

int sqls_setting_init(struct store *st, struct arena *a, const char *key, const char *value, char **stored)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*stored = NULL;
	if (!key || !value)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = run(c, "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING", NULL, "tt", key,
	         value);
	if (rc == 0) {
		sqlite3_stmt *q = sqls_prep(c, SQL_SETTING_GET, "t", key);
		if ((rc = sqls_one_row(c, q)) == 0)
			*stored = sqls_col_text(a, q, 0);
		sqls_reset(q);
	}
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_job_lease(struct store *st, const char *job, int64_t until_ms, bool *held)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*held = false;
	if (!job || !*job)
		return sqls_refuse(s, Q_EINVAL);
	int64_t me = sqls_holder(s), now_ms = sqls_now() * 1000;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int changed = 0;
	/* Ours to renew, or free, or expired: taken; another's that lasts: left alone. */
	rc = run(c, "INSERT INTO job_leases(job, holder, until_ms) VALUES (?1, ?2, ?3) ON CONFLICT(job) DO UPDATE"
	            " SET holder = excluded.holder, until_ms = excluded.until_ms"
	            " WHERE job_leases.holder = excluded.holder OR job_leases.until_ms < ?4",
	         &changed, "tIII", job, me, until_ms, now_ms);
	rc = sqls_wr_end_quiet(s, c, rc);
	if (rc == 0)
		*held = changed > 0;
	return rc;
}

/* At close: this store's leases go at once, so the next server (or the next start) need not wait for them. */
void sqls_shared_close(struct sqls *s)
{
	int64_t me = atomic_load(&s->holder);
	if (!me || !s->w)
		return;
	struct sqls_conn *c;
	if (sqls_wr_begin(s, &c) == 0)
		sqls_wr_end_quiet(s, c, run(c, "DELETE FROM job_leases WHERE holder = ?1", NULL, "I", me));
}

int sqls_limit_count(struct store *st, const char *bucket, const char *key, int64_t since, int64_t *count,
                     int64_t *oldest)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*count = *oldest = 0;
	if (!bucket || !key)
		return Q_EINVAL;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c->db, "SELECT COUNT(*), IFNULL(MIN(at), 0) FROM rate_events"
	                              " WHERE bucket = ?1 AND key = ?2 AND at >= ?3", -1, &q, NULL) != SQLITE_OK) {
		sqls_rd_end(s, c);
		return Q_ERR;
	}
	sqlite3_bind_text(q, 1, bucket, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, since);
	if ((rc = sqls_one_row(c, q)) == 0) {
		*count = sqlite3_column_int64(q, 0);
		*oldest = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_limit_add(struct store *st, const char *bucket, const char *key, int64_t at)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!bucket || !key)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = run(c, "INSERT INTO rate_events(bucket, key, at) VALUES (?1, ?2, ?3)", NULL, "ttI", bucket, key, at);
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_limit_clear(struct store *st, const char *bucket, const char *key)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!bucket || !key)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = run(c, "DELETE FROM rate_events WHERE bucket = ?1 AND key = ?2", NULL, "tt", bucket, key);
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_hits_seen(struct store *st, int64_t day, const uint64_t *digests, size_t n, bool *fresh)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (n && (!digests || !fresh))
		return sqls_refuse(s, Q_EINVAL);
	if (n == 0)
		return 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO hits_seen(day, digest) VALUES (?1, ?2) ON CONFLICT DO NOTHING", -1,
	                       &q, NULL) != SQLITE_OK)
		rc = Q_ERR;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_bind_int64(q, 1, day);
		sqlite3_bind_int64(q, 2, (int64_t)digests[i]);
		while ((rc = sqls_step(c, q)) == 1)
			;
		fresh[i] = rc == 0 && sqlite3_changes(c->db) > 0;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_shared_purge(struct store *st, int64_t before, int64_t before_day)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = run(c, "DELETE FROM rate_events WHERE at < ?1", NULL, "I", before);
	if (rc == 0)
		rc = run(c, "DELETE FROM hits_seen WHERE day < ?1", NULL, "I", before_day);
	if (rc == 0)
		rc = run(c, "DELETE FROM job_leases WHERE until_ms < ?1", NULL, "I", sqls_now() * 1000);
	return sqls_wr_end_quiet(s, c, rc);
}

/* ---- Read replicas: SQLite has none; every read sees every committed write ---- */

int sqls_read_after(struct store *st, const char *mark)
{
	(void)st, (void)mark;
	return 0;
}

int sqls_write_mark(struct store *st, char *buf, size_t len)
{
	(void)st;
	if (len)
		buf[0] = '\0';
	return Q_ENOTFOUND;
}
