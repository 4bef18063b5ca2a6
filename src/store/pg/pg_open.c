/* PostgreSQL backend: opening a store from a postgres:// URL (checks, clear sentences), closing it, the ops table. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Connections a server keeps at most when store_pool is not set. */
#define PG_POOL_DEFAULT 20

/* What the store keeps beside the connections: group commit of the reader's response writes. */
static int pgs_background_start(struct pg *s)
{
	pgs_group_init(s);
	return 0;
}

static void pgs_background_stop(struct pg *s)
{
	pgs_feed_stop(s);
	pgs_locks_close(s);
	pgs_replica_close(s);
	pgs_group_free(s);
}

static const struct store_ops pgs_ops = {
	.version = STORE_OPS_VERSION,
	.name = "postgresql",
	/* Group commit (pg_group.c); servers share it (pg_shared.c: leases, limits, claims), hear each other's commits
	 * (pg_feed.c: LISTEN/NOTIFY), claim queue rows with SKIP LOCKED, and may read from a replica (pg_replica.c). */
	.caps = STORE_CAP_GROUP_COMMIT | STORE_CAP_SHARED | STORE_CAP_NOTIFY | STORE_CAP_SKIP_LOCKED | STORE_CAP_READ_REPLICA,
	.close = NULL, /* set below: pgs_close is static */
#define PGS_OP_ENTRY(ret, name, params, args) .name = pgs_##name,
	STORE_OPS(PGS_OP_ENTRY)
#undef PGS_OP_ENTRY
};

static void pgs_close(struct store *st)
{
	if (!st)
		return;
	struct pg *s = pgs_of(st);
	pgs_background_stop(s);
	pthread_mutex_lock(&s->lock);
	struct pgc *idle = s->idle;
	s->idle = NULL;
	for (struct pgc *c = idle, *next; c; c = next) {
		next = c->next;
		pgs_disconnect(c);
		s->nopen--;
	}
	if (s->nopen)
		log_warn("store: closing with %d database connections still lent", s->nopen);
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	pthread_mutex_destroy(&s->listen_lock);
	free(s->conninfo);
	free(s->where);
	free((void *)s->base.ops);
	free(s);
}

/* "database D on H:P" from the URL's parts, never its password: what messages name. */
static char *describe(PQconninfoOption *opts)
{
	const char *host = NULL, *port = NULL, *db = NULL, *user = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "host") || (!host && !strcmp(o->keyword, "hostaddr")))
			host = o->val;
		else if (!strcmp(o->keyword, "port"))
			port = o->val;
		else if (!strcmp(o->keyword, "dbname"))
			db = o->val;
		else if (!strcmp(o->keyword, "user"))
			user = o->val;
	}
	char buf[1024];
	snprintf(buf, sizeof buf, "PostgreSQL database \"%s\" on %s%s%s", db ? db : (user ? user : "(default)"),
	         host ? host : "the local socket", port ? " port " : "", port ? port : "");
	return xstrdup(buf);
}

/* Connects once to see that the database answers, is UTF-8, and to bring its schema up to date. */
static int first_connection(struct pg *s, char *err, size_t errlen)
{
	struct pgc *c;
	char why[512];
	if (pgs_connect(s->conninfo, &c, why, sizeof why)) {
		if (strstr(why, "does not exist"))
			snprintf(err, errlen, "cannot open the %s: %s (create it first, e.g. createdb)", s->where, why);
		else
			snprintf(err, errlen, "cannot connect to the %s: %s", s->where, why);
		return Q_ERR;
	}
	const char *enc = PQparameterStatus(c->db, "server_encoding");
	int rc = 0;
	if (!enc || strcmp(enc, "UTF8")) {
		snprintf(err, errlen, "the %s uses the encoding %s; Quire needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')",
		         s->where, enc ? enc : "(unknown)");
		rc = Q_ERR;
	}
	if (rc == 0 && PQserverVersion(c->db) < 150000) {
		snprintf(err, errlen, "the %s runs PostgreSQL %d; Quire needs 15 or newer", s->where,
		         PQserverVersion(c->db) / 10000);
		rc = Q_ERR;
	}
	if (rc == 0)
		rc = pgs_migrate(c, err, errlen);
	if (rc == 0) {
		/* quire store copy marks a target until the copy has finished (its triggers are off meanwhile). */
		PGresult *r = PQexec(c->db, "SELECT to_regclass('quire_copy') IS NOT NULL");
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't') {
			snprintf(err, errlen, "a quire store copy into the %s has not finished: run it again to complete it",
			         s->where);
			rc = Q_ERR;
		}
		PQclear(r);
	}
	pthread_mutex_lock(&s->lock);
	s->nopen++;
	pthread_mutex_unlock(&s->lock);
	pgs_giveback(s, c);
	return rc;
}

int pgs_url_check(const char *url, char *err, size_t errlen, char **where)
{
	char *msg = NULL;
	PQconninfoOption *parsed = PQconninfoParse(url, &msg);
	if (!parsed) {
		/* libpq says what is wrong; the URL itself may hold a password, so it is not repeated. */
		size_t len = msg ? strcspn(msg, "\n") : 0;
		const char *quoted = msg ? strstr(msg, " in URI") : NULL;
		if (!quoted && msg)
			quoted = strstr(msg, ": \"");
		if (quoted && (size_t)(quoted - msg) < len)
			len = (size_t)(quoted - msg);
		snprintf(err, errlen, "the store URL is not a valid PostgreSQL URL: %.*s", (int)len,
		         msg ? msg : "out of memory");
		PQfreemem(msg);
		return Q_EINVAL;
	}
	if (where)
		*where = describe(parsed);
	PQconninfoFree(parsed);
	return 0;
}

int store_pg_open(struct store **out, const char *url, const struct store_options *opt, char *err, size_t errlen)
{
	*out = NULL;
	char *where = NULL;
	int check = pgs_url_check(url, err, errlen, &where);
	if (check)
		return check;
	struct pg *s = xcalloc(1, sizeof *s);
	struct store_ops *ops = xmalloc(sizeof *ops);
	*ops = pgs_ops;
	ops->close = pgs_close;
	s->base.ops = ops;
	s->where = where;
	s->conninfo = xstrdup(url);
	s->pool_max = opt && opt->pool > 0 ? opt->pool : PG_POOL_DEFAULT;
	s->base.feed_start = pgs_feed_start;
	pgs_feed_id(s);
	pgs_locks_init(s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	pthread_mutex_init(&s->listen_lock, NULL);
	int rc = first_connection(s, err, errlen);
	if (rc == 0 && opt && opt->read_url && *opt->read_url)
		rc = pgs_replica_open(s, opt->read_url, s->pool_max, err, errlen);
	if (rc == 0 && (rc = pgs_background_start(s)))
		snprintf(err, errlen, "could not start the store's background work");
	if (rc) {
		pgs_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}
