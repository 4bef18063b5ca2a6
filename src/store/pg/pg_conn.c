/* PostgreSQL backend: connections, the pool, prepared statements, results and the mapping of errors to Q_* codes. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* While the database is down: one thread tries a connection this often; for the first seconds of an outage (a
 * failover) a request waits up to DOWN_WAIT_MS for it to come back before it fails. */
#define DOWN_TRY_MS 200
#define DOWN_WAIT_MS 3000
#define FAILOVER_GRACE_SECONDS 15
/* How long a thread waits for a free connection before giving up (a pool too small for the load). */
#define BORROW_WAIT_SECONDS 30

int64_t pgs_now(void)
{
	return (int64_t)time(NULL);
}

int64_t pgs_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- Connections ------------------------------------------------------------------------------- */

/* Libpq's notices (a NOTICE from a migration's IF NOT EXISTS) are not for the operator's terminal. */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg, (void)message;
}

/* What every connection sets once: durable commits (whatever the server's default), UTC, no statement
 * left waiting for ever on a lock. And, unless the server's configuration names one, a random page read costing
 * 1.1 sequential ones instead of PostgreSQL's default of 4 (a spinning disk's): an archive's hot pages are in
 * memory or on SSD, and with 4 the planner scans a table rather than look up a few hundred rows by key (the child
 * tags of a fandom of 36,840 tags: a scan of them all, 30 ms, instead of 613 lookups, 1.2 ms). */
static const char SESSION_SETUP[] = "SET synchronous_commit = on; SET TIME ZONE 'UTC';"
	" SET client_encoding = 'UTF8'; SET lock_timeout = '60s'; SET idle_in_transaction_session_timeout = '10min';"
	" SELECT set_config('random_page_cost', '1.1', false) FROM pg_settings"
	"  WHERE name = 'random_page_cost' AND source = 'default'";

int pgs_connect(const char *conninfo, struct pgc **out, char *err, size_t errlen)
{
	*out = NULL;
	/* The URL's own settings win (it comes last); these fill gaps: a server that does not answer is given up
	 * on after 10 s, and connections say who they are in pg_stat_activity. */
	static const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
	const char *values[] = {"10", "quire", conninfo, NULL};
	PGconn *db = PQconnectdbParams(keys, values, 1);
	if (!db) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return Q_ERR;
	}
	if (PQstatus(db) != CONNECTION_OK) {
		if (err) {
			/* libpq's message ends with a newline and may span lines: keep the first, without the
			 * "connection to server at ..., port N failed:" that the caller says better. */
			const char *m = PQerrorMessage(db), *p = strstr(m, " failed: ");
			if (p && (size_t)(p - m) < strcspn(m, "\n"))
				m = p + 9;
			if (!strncmp(m, "FATAL:  ", 8))
				m += 8;
			size_t len = strcspn(m, "\n");
			snprintf(err, errlen, "%.*s", (int)len, m);
		}
		PQfinish(db);
		return Q_ERR;
	}
	PQsetNoticeProcessor(db, quiet_notice, NULL);
	PGresult *r = PQexec(db, SESSION_SETUP);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) { /* the last statement's: the SELECT */
		if (err)
			snprintf(err, errlen, "setting up the connection: %s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(db);
		return Q_ERR;
	}
	PQclear(r);
	struct pgc *c = xcalloc(1, sizeof *c);
	c->db = db;
	*out = c;
	return 0;
}

void pgs_disconnect(struct pgc *c)
{
	if (!c)
		return;
	PQfinish(c->db);
	free(c);
}

/* Reads the answers of the COMMIT pgs_end_read sent (the COMMIT's, then its Sync's), staying in pipeline mode. */
static void read_commit(struct pgc *c)
{
	PGresult *r;
	while ((r = PQgetResult(c->db))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			c->broken = true;
		PQclear(r);
	}
	r = PQgetResult(c->db);
	if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		c->broken = true;
	PQclear(r);
	c->unread = false;
	if (PQstatus(c->db) != CONNECTION_OK)
		c->broken = true;
}

/* Reads the answer of a COMMIT pgs_end_read did not wait for, before a command that cannot go in a pipeline. */
void pgs_drain(struct pgc *c)
{
	if (!c->unread)
		return;
	if (!PQconsumeInput(c->db) || PQisBusy(c->db))
		pgs_round_trip(c); /* the answer is not in yet: this thread waits for it */
	read_commit(c);
	if (!PQexitPipelineMode(c->db))
		c->broken = true;
}

/* How many idle connections a borrower looks at for one whose last COMMIT was answered already. */
#define IDLE_LOOK 4

struct pgc *pgs_idle_take(struct pgc **idle)
{
	/* A read's COMMIT goes out without waiting (pgs_end_read): a connection whose answer is not in yet would keep
	 * its next borrower waiting, so one whose answer came (or that has none due) goes first. Reading what arrived
	 * never blocks. */
	struct pgc **at = idle;
	for (int i = 0; *at && i < IDLE_LOOK; i++, at = &(*at)->next) {
		struct pgc *c = *at;
		if (!c->unread || !PQconsumeInput(c->db) || !PQisBusy(c->db))
			break;
	}
	if (!*at)
		at = idle; /* all still waiting: the most recent (its answer is the likeliest in next) */
	struct pgc *c = *at;
	if (c) {
		*at = c->next;
		c->next = NULL;
	}
	return c;
}

static int borrow_once(struct pg *s, struct pgc **out)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BORROW_WAIT_SECONDS;
	*out = NULL;
	pthread_mutex_lock(&s->lock);
	while (!s->idle && s->nopen >= s->pool_max) {
		if (pthread_cond_timedwait(&s->freed, &s->lock, &until) == ETIMEDOUT) {
			pthread_mutex_unlock(&s->lock);
			log_error("store: no database connection free for %d s (store_pool = %d)", BORROW_WAIT_SECONDS,
			          s->pool_max);
			return Q_EBUSY;
		}
	}
	struct pgc *c = pgs_idle_take(&s->idle);
	if (c) {
		pthread_mutex_unlock(&s->lock);
		/* A COMMIT still unanswered is read with the first statement's answers (run_pipelined), in its round
		 * trip, unless the answer is in already. */
		if (c->unread && (!PQconsumeInput(c->db) || !PQisBusy(c->db)))
			pgs_drain(c);
		if (!c->broken) {
			*out = c;
			return 0;
		}
		/* The connection died while it waited in the pool (the others likely did too): close them, lend
		 * another. */
		pthread_mutex_lock(&s->lock);
		s->nopen--;
		pthread_mutex_unlock(&s->lock);
		pgs_disconnect(c);
		pgs_pool_flush(s);
		return borrow_once(s, out);
	}
	/* While the database is down, one thread tries a connection every DOWN_TRY_MS; the others give up at once. */
	int64_t now_ms = pgs_now_ms();
	if (store_health(&s->base, NULL, NULL) == STORE_DOWN) {
		int64_t last = atomic_load(&s->tried_ms);
		if (now_ms - last < DOWN_TRY_MS || !atomic_compare_exchange_strong(&s->tried_ms, &last, now_ms)) {
			pthread_mutex_unlock(&s->lock);
			return Q_EUNAVAIL;
		}
	}
	s->nopen++;
	pthread_mutex_unlock(&s->lock);
	char err[512];
	if (pgs_connect(s->conninfo, &c, err, sizeof err)) {
		if (!atomic_exchange(&s->down_logged, true))
			log_error("store: cannot connect to %s: %s", s->where, err);
		atomic_store(&s->tried_ms, now_ms);
		store_health_note(&s->base, STORE_DOWN, "the database server does not answer");
		pthread_mutex_lock(&s->lock);
		s->nopen--;
		pthread_cond_signal(&s->freed);
		pthread_mutex_unlock(&s->lock);
		return Q_EUNAVAIL;
	}
	if (atomic_exchange(&s->down_logged, false))
		log_info("store: connected to %s again", s->where);
	c->st = &s->base;
	store_health_note(&s->base, STORE_HEALTHY, "connected");
	*out = c;
	return 0;
}

int pgs_borrow(struct pg *s, struct pgc **out)
{
	int rc = borrow_once(s, out);
	int64_t since = 0;
	if (rc != Q_EUNAVAIL || store_health(&s->base, NULL, &since) != STORE_DOWN ||
	    pgs_now() - since > FAILOVER_GRACE_SECONDS)
		return rc;
	/* A failover (the standby promoted, the servers finding it) takes a few seconds: while the outage is that
	 * young, a request waits a little for the new primary rather than failing at once. */
	int64_t deadline = pgs_now_ms() + DOWN_WAIT_MS;
	while (rc == Q_EUNAVAIL && pgs_now_ms() < deadline) {
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
		rc = borrow_once(s, out);
	}
	return rc;
}

void pgs_pool_flush(struct pg *s)
{
	pthread_mutex_lock(&s->lock);
	struct pgc *idle = s->idle;
	s->idle = NULL;
	for (struct pgc *c = idle; c; c = c->next)
		s->nopen--;
	pthread_cond_broadcast(&s->freed);
	pthread_mutex_unlock(&s->lock);
	for (struct pgc *c = idle, *next; c; c = next) {
		next = c->next;
		pgs_disconnect(c);
	}
}

void pgs_giveback(struct pg *s, struct pgc *c)
{
	if (!c)
		return;
	if (c->replica) {
		pgs_replica_giveback(s, c);
		return;
	}
	c->begin = NULL;
	if (!c->broken && !c->unread && PQtransactionStatus(c->db) != PQTRANS_IDLE) {
		/* An error path left a transaction open: end it before anyone else gets the connection. */
		if (pgs_exec_text(c, "ROLLBACK") != 0 || PQtransactionStatus(c->db) != PQTRANS_IDLE)
			c->broken = true;
	}
	c->in_tx = false;
	c->retry = false;
	c->lost_first = false;
	c->st = &s->base;
	pthread_mutex_lock(&s->lock);
	if (c->broken || PQstatus(c->db) != CONNECTION_OK) {
		bool lost = c->lost;
		s->nopen--;
		pthread_cond_signal(&s->freed);
		pthread_mutex_unlock(&s->lock);
		pgs_disconnect(c);
		if (lost)
			pgs_pool_flush(s); /* the server went away: its other connections are gone too */
		return;
	}
	c->next = s->idle;
	s->idle = c;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* ---- Errors ------------------------------------------------------------------------------------ */

/* Maps a failed result to a Q_* code, logging what the operator needs (never shown to a client). */
static int result_error(struct pgc *c, const PGresult *r, const char *sql)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(c->db) != CONNECTION_OK || !state || !strncmp(state, "08", 2) || !strncmp(state, "57P", 3)) {
		/* The connection is gone (server stopped or restarted, network cut, failover): nothing on it can be
		 * trusted, and the database may be down: said once per outage (store_health_note), not per request. */
		c->broken = c->lost = true;
		if (!c->st || store_health(c->st, NULL, NULL) == STORE_HEALTHY)
			log_warn("store: a database connection was lost: %s", state ? PQresultErrorMessage(r) : PQerrorMessage(c->db));
		return Q_EUNAVAIL;
	}
	if (!strcmp(state, "25006") || !strcmp(state, "53100")) {
		/* The server only reads (a standby: a failover under way, or the URL names a replica) or its disk is
		 * full. A new connection may find the primary (target_session_attrs=read-write). */
		if (!strcmp(state, "25006"))
			c->broken = true;
		if (c->st)
			store_health_note(c->st, STORE_READ_ONLY, state[0] == '2' ? "the database server only reads (no primary)"
			                                                          : "the database server's disk is full");
		return Q_EUNAVAIL;
	}
	if (!strcmp(state, "23505"))
		return Q_EEXIST;
	if (!strcmp(state, "23503"))
		return Q_ENOTFOUND;
	if (!strcmp(state, "23502") || !strcmp(state, "23514") || !strncmp(state, "22", 2))
		return Q_EINVAL;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01")) {
		c->retry = true;
		return Q_EBUSY;
	}
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	log_error("store: %s (SQLSTATE %s) in: %.300s", msg ? msg : "error", state, sql);
	return Q_ERR;
}

int pgs_exec_text(struct pgc *c, const char *sql)
{
	pgs_drain(c);
	if (c->broken)
		return Q_ERR;
	/* A deferred BEGIN goes in the same round trip, as the first commands of the text. */
	struct buf joined = BUF_INIT;
	if (c->begin) {
		for (const char *const *b = c->begin; *b; b++)
			buf_printf(&joined, "%s; ", *b);
		buf_puts(&joined, sql);
		c->begin = NULL;
	}
	pgs_round_trip(c);
	PGresult *r = PQexec(c->db, joined.len ? buf_cstr(&joined) : sql);
	ExecStatusType t = PQresultStatus(r);
	int rc = (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) ? 0 : result_error(c, r, sql);
	PQclear(r);
	if (c->lost && joined.len)
		c->lost_first = true;
	buf_free(&joined);
	return rc;
}

bool pgs_in_tx(const struct pgc *c)
{
	return c->begin || PQtransactionStatus(c->db) == PQTRANS_INTRANS;
}

void pgs_end_read(struct pgc *c)
{
	if (c->begin) {
		c->begin = NULL; /* never sent: there is nothing to end */
		return;
	}
	PGTransactionStatusType t = PQtransactionStatus(c->db);
	if (c->broken || (t != PQTRANS_INTRANS && t != PQTRANS_INERROR))
		return;
	/* A read-only transaction has nothing to make durable: its COMMIT is sent in a pipeline, and its answer read
	 * with the answers of the connection's next statement, in that statement's round trip (run_pipelined): no
	 * thread waits for it. The server ends the transaction at once: no snapshot is held while the connection
	 * waits in the pool. */
	if (PQenterPipelineMode(c->db) && PQsendQueryParams(c->db, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) &&
	    PQpipelineSync(c->db))
		c->unread = true;
	else
		c->broken = true;
}


/* ---- Statements -------------------------------------------------------------------------------- */

static atomic_int next_slot;

/* The statement's slot, taken on first use by whichever thread gets there first. */
static int stmt_slot(struct pg_stmt *st)
{
	int slot = atomic_load(&st->slot);
	if (slot)
		return slot;
	int mine = atomic_fetch_add(&next_slot, 1) + 1;
	if (mine >= PG_SLOTS_MAX) {
		log_error("store: more than %d PostgreSQL statements", PG_SLOTS_MAX);
		abort();
	}
	int expected = 0;
	if (atomic_compare_exchange_strong(&st->slot, &expected, mine))
		return mine;
	return expected; /* another thread won; our number stays unused */
}

/* Counts the $N parameters of the statement (the highest N). */
static int param_count(const char *sql)
{
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'') { /* skip literals: '$1' in a string is text */
			for (p++; *p && *p != '\''; p++)
				;
			if (!*p)
				break;
			continue;
		}
		if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			int v = (int)strtol(p + 1, NULL, 10);
			if (v > n)
				n = v;
		}
	}
	return n;
}

void (*pgs_plan_trace)(const char *sql, const char *plan);
#define TRACE_SET "SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off;" \
	" SET LOCAL plan_cache_mode = force_custom_plan; "
#define TRACE_RESET "; SET LOCAL enable_seqscan = on; SET LOCAL enable_sort = on; SET LOCAL plan_cache_mode = auto"

/* Tests: the plan of the statement just run with these values, handed to pgs_plan_trace. Sequential scans and sorts
 * are made as costly as PostgreSQL makes them, so a plan that still scans a table has no index to use and one that
 * still sorts has no index in the order asked for; planned afresh (a cached generic plan was made without that). */
static void trace_plan(struct pgc *c, const char *name, const char *sql, int n, const char *const *values)
{
	pgs_drain(c);
	if (PQtransactionStatus(c->db) != PQTRANS_INTRANS)
		return;
	struct buf b = BUF_INIT, plan = BUF_INIT;
	if (name) {
		buf_printf(&b, "%sEXPLAIN (COSTS OFF) EXECUTE %s", TRACE_SET, name);
		for (int i = 0; i < n; i++) {
			char *lit = values[i] ? PQescapeLiteral(c->db, values[i], strlen(values[i])) : NULL;
			buf_printf(&b, "%s%s", i ? ", " : "(", lit ? lit : "NULL");
			PQfreemem(lit);
		}
		buf_puts(&b, n ? ")" : "");
		buf_puts(&b, TRACE_RESET);
	} else {
		/* SQL text run once: its parameters written in as literals ($12 before $1, so $1 does not eat it). */
		struct buf sql_lit = BUF_INIT;
		buf_puts(&sql_lit, sql);
		for (int i = n; i >= 1; i--) {
			char ph[16];
			int len = snprintf(ph, sizeof ph, "$%d", i);
			const char *v = values[i - 1];
			char *lit = v ? PQescapeLiteral(c->db, v, strlen(v)) : NULL;
			struct buf out = BUF_INIT;
			for (const char *p = buf_cstr(&sql_lit); *p;) {
				if (!strncmp(p, ph, (size_t)len) && !(p[len] >= '0' && p[len] <= '9')) {
					buf_puts(&out, lit ? lit : "NULL");
					p += len;
				} else {
					buf_putc(&out, *p++);
				}
			}
			PQfreemem(lit);
			buf_free(&sql_lit);
			sql_lit = out;
		}
		buf_printf(&b, "%sEXPLAIN (COSTS OFF) %s%s", TRACE_SET, buf_cstr(&sql_lit), TRACE_RESET);
		buf_free(&sql_lit);
	}
	if (PQsendQuery(c->db, buf_cstr(&b))) {
		PGresult *r;
		while ((r = PQgetResult(c->db))) {
			for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++)
				buf_printf(&plan, "%s\n", PQgetvalue(r, i, 0));
			if (PQresultStatus(r) == PGRES_FATAL_ERROR)
				buf_printf(&plan, "EXPLAIN failed: %s", PQresultErrorMessage(r));
			PQclear(r);
		}
	}
	pgs_plan_trace(sql, buf_cstr(&plan));
	buf_free(&b);
	buf_free(&plan);
}

int pgs_call_vbind(struct pgs_call *call, struct pg_stmt *st, const char *fmt, va_list ap)
{
	size_t nparams = strlen(fmt);
	if (nparams > PG_PARAMS_MAX) {
		log_error("store: too many parameters (%zu) for: %.200s", nparams, st->sql);
		abort();
	}
	call->st = st;
	call->n = (int)nparams;
	call->result = NULL;
	call->rc = 0;
	for (size_t i = 0; i < nparams; i++) {
		switch (fmt[i]) {
		case 'I':
			snprintf(call->nums[i], sizeof call->nums[i], "%" PRId64, va_arg(ap, int64_t));
			call->values[i] = call->nums[i];
			break;
		case 'i':
			snprintf(call->nums[i], sizeof call->nums[i], "%d", va_arg(ap, int));
			call->values[i] = call->nums[i];
			break;
		case 't':
			call->values[i] = va_arg(ap, const char *);
			break;
		case 's':
			call->values[i] = va_arg(ap, const char *);
			if (!call->values[i])
				call->values[i] = "";
			break;
		default:
			log_error("store: bad bind format '%c'", fmt[i]);
			abort();
		}
	}
	return 0;
}

void pgs_call_bind(struct pgs_call *call, struct pg_stmt *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pgs_call_vbind(call, st, fmt, ap);
	va_end(ap);
}

static bool is_prepared(const struct pgc *c, int slot)
{
	return c->prepared[slot / 64] & (UINT64_C(1) << (slot % 64));
}

/* Runs the calls' prepared statements in one round trip together with what must go before them: the PREPARE of
 * each the connection has not prepared yet, the transaction's deferred BEGIN (c->begin), and the answer of the
 * previous transaction's COMMIT (c->unread). Pipeline mode sends them all and one Sync; the first error aborts the
 * rest, and is returned (and is the rc of every call from the failed one on). Each call that succeeded gets its
 * result (the caller clears it). */
static int run_calls(struct pgc *c, struct pgs_call *const *calls, size_t n)
{
	if (n == 0)
		return 0;
	const char *const *begin = c->begin;
	c->begin = NULL;
	bool pending = c->unread; /* the previous transaction's COMMIT, in the pipeline already */
	char names[n][16];
	bool prepare[n];
	int nprepare = 0;
	for (size_t i = 0; i < n; i++) {
		int slot = stmt_slot(calls[i]->st);
		snprintf(names[i], sizeof names[i], "q%d", slot);
		calls[i]->result = NULL;
		calls[i]->rc = 0;
		/* A statement twice in one pipeline is prepared once. */
		prepare[i] = !is_prepared(c, slot);
		for (size_t k = 0; k < i && prepare[i]; k++)
			if (calls[k]->st == calls[i]->st)
				prepare[i] = false;
		if (prepare[i] && param_count(calls[i]->st->sql) != calls[i]->n) {
			/* A programming error: binding too few would compare with NULL without a word. */
			log_error("store: %d parameters given for %d in: %.300s", calls[i]->n, param_count(calls[i]->st->sql),
			          calls[i]->st->sql);
			for (size_t k = 0; k < n; k++)
				calls[k]->rc = Q_ERR;
			return Q_ERR;
		}
		nprepare += prepare[i];
	}
	if (n == 1 && !nprepare && !begin && !pending) {
		/* Nothing to send first: the plain call costs the same round trip without the pipeline. */
		pgs_round_trip(c);
		PGresult *r = PQexecPrepared(c->db, names[0], calls[0]->n, calls[0]->values, NULL, NULL, 0);
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) {
			calls[0]->result = r;
			return 0;
		}
		calls[0]->rc = result_error(c, r, calls[0]->st->sql);
		PQclear(r);
		return calls[0]->rc;
	}
	/* In order: BEGIN (before anything takes a snapshot), each statement after its PREPARE. What each command sent
	 * is (a BEGIN's, a PREPARE's or a call's) says whose results come back in its place. */
	enum { SENT_BEGIN, SENT_PREPARE, SENT_CALL };
	int nsent = 0;
	char kind[2 * n + 4];
	size_t which[2 * n + 4];
	const char *const *b = begin;
	bool ok = pending || PQenterPipelineMode(c->db);
	for (; ok && b && *b && nsent < 4; b++, nsent++) {
		ok = PQsendQueryParams(c->db, *b, 0, NULL, NULL, NULL, NULL, 0);
		kind[nsent] = SENT_BEGIN;
		which[nsent] = (size_t)(b - begin);
	}
	if (ok && b && *b) {
		log_error("store: a transaction begins with more than 4 commands");
		abort();
	}
	for (size_t i = 0; ok && i < n; i++) {
		if (prepare[i]) {
			ok = PQsendPrepare(c->db, names[i], calls[i]->st->sql, calls[i]->n, NULL);
			kind[nsent] = SENT_PREPARE;
			which[nsent++] = i;
		}
		ok = ok && PQsendQueryPrepared(c->db, names[i], calls[i]->n, calls[i]->values, NULL, NULL, 0);
		kind[nsent] = SENT_CALL;
		which[nsent++] = i;
	}
	ok = ok && PQpipelineSync(c->db);
	pgs_round_trip(c);
	if (ok && pending)
		read_commit(c); /* its answers come first, in this round trip */
	if (!ok) {
		c->broken = c->lost = true;
		c->lost_first = begin != NULL;
		for (size_t i = 0; i < n; i++)
			calls[i]->rc = Q_EUNAVAIL;
		return Q_EUNAVAIL;
	}
	/* Each command's results end with a NULL; then comes the Sync. */
	int rc = 0;
	for (int i = 0; i < nsent; i++) {
		PGresult *r;
		struct pgs_call *call = kind[i] == SENT_BEGIN ? NULL : calls[which[i]];
		while ((r = PQgetResult(c->db))) {
			ExecStatusType t = PQresultStatus(r);
			bool good = t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK;
			if (good && kind[i] == SENT_CALL && !rc && !call->result) {
				call->result = r;
				continue;
			}
			if (good && kind[i] == SENT_PREPARE) {
				/* A prepared statement outlives a failed transaction. */
				int slot = atomic_load(&call->st->slot);
				c->prepared[slot / 64] |= UINT64_C(1) << (slot % 64);
			}
			if (!good && t != PGRES_PIPELINE_ABORTED && !rc)
				rc = result_error(c, r, call ? call->st->sql : begin[which[i]]);
			PQclear(r);
		}
		if (kind[i] == SENT_CALL)
			call->rc = rc;
	}
	PGresult *r = PQgetResult(c->db);
	if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		c->broken = true;
	PQclear(r);
	if (!PQexitPipelineMode(c->db))
		c->broken = true;
	if (c->broken && !rc)
		rc = Q_ERR;
	if (c->lost && begin)
		c->lost_first = true;
	for (size_t i = 0; i < n; i++) {
		if (rc && !calls[i]->rc)
			calls[i]->rc = rc; /* after the failure: not run */
		if (calls[i]->rc) {
			PQclear(calls[i]->result);
			calls[i]->result = NULL;
		}
	}
	return rc;
}

int pgs_pipeline(struct pgc *c, struct pgs_call *const *calls, size_t n)
{
	if (c->broken) {
		for (size_t i = 0; i < n; i++)
			calls[i]->rc = Q_ERR;
		return Q_ERR;
	}
	int rc = run_calls(c, calls, n);
	for (size_t i = 0; i < n; i++) {
		if (!calls[i]->result)
			continue;
		const char *changed = PQcmdTuples(calls[i]->result);
		calls[i]->changes = changed && *changed ? strtoll(changed, NULL, 10) : 0;
		if (pgs_plan_trace) {
			char name[16];
			snprintf(name, sizeof name, "q%d", atomic_load(&calls[i]->st->slot));
			trace_plan(c, name, calls[i]->st->sql, calls[i]->n, calls[i]->values);
		}
	}
	return rc;
}

PGresult *pgs_vquery(struct pgc *c, struct pg_stmt *st, int *rc, const char *fmt, va_list ap)
{
	struct pgs_call call, *one = &call;
	pgs_call_vbind(&call, st, fmt, ap);
	*rc = pgs_pipeline(c, &one, 1);
	if (call.result)
		c->changes = call.changes;
	return call.result;
}

int pgs_sql_rows(struct pgc *c, const char *sql, int n, const char *const *values, size_t max_rows,
                 void (*row)(void *arg, const PGresult *r), void *arg)
{
	pgs_drain(c);
	if (c->broken)
		return Q_ERR;
	pgs_round_trip(c);
	if (!PQsendQueryParams(c->db, sql, n, NULL, values, NULL, NULL, 0) || !PQsetSingleRowMode(c->db)) {
		int rc = result_error(c, NULL, sql);
		while (PQgetResult(c->db))
			;
		return rc;
	}
	/* One row at a time: a listing may read a few hundred thousand matches, never held all at once. */
	int rc = 0;
	size_t seen = 0;
	PGresult *r;
	while ((r = PQgetResult(c->db))) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE) {
			if (rc == 0 && (max_rows == 0 || seen < max_rows))
				row(arg, r);
			seen++;
		} else if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && rc == 0) {
			rc = result_error(c, r, sql);
		}
		PQclear(r);
	}
	if (rc == 0 && pgs_plan_trace)
		trace_plan(c, NULL, sql, n, values);
	return rc;
}

PGresult *pgs_query(struct pgc *c, struct pg_stmt *st, int *rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pgs_vquery(c, st, rc, fmt, ap);
	va_end(ap);
	return r;
}

int pgs_exec(struct pgc *c, struct pg_stmt *st, const char *fmt, ...)
{
	int rc;
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pgs_vquery(c, st, &rc, fmt, ap);
	va_end(ap);
	PQclear(r);
	return rc;
}

int pgs_query_int(struct pgc *c, int64_t *out, struct pg_stmt *st, const char *fmt, ...)
{
	int rc;
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pgs_vquery(c, st, &rc, fmt, ap);
	va_end(ap);
	if (r && PQntuples(r) == 0)
		rc = Q_ENOTFOUND;
	else if (r)
		*out = pgs_int(r, 0, 0);
	PQclear(r);
	return rc;
}

int pgs_query_text(struct pgc *c, struct arena *a, char **out, struct pg_stmt *st, const char *fmt, ...)
{
	int rc;
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pgs_vquery(c, st, &rc, fmt, ap);
	va_end(ap);
	if (r && PQntuples(r) == 0)
		rc = Q_ENOTFOUND;
	else if (r)
		*out = pgs_text(a, r, 0, 0);
	PQclear(r);
	return rc;
}

/* ---- Results ----------------------------------------------------------------------------------- */

int64_t pgs_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const char *v = PQgetvalue(r, row, col);
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

char *pgs_text(struct arena *a, const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

void pgs_text_array(struct arena *a, const PGresult *r, int row, int col, char ***items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (PQgetisnull(r, row, col))
		return;
	const char *v = PQgetvalue(r, row, col);
	size_t len = (size_t)PQgetlength(r, row, col);
	if (len < 2 || v[0] != '{')
		return;
	/* At most one element per comma, plus one; each element's text is at most the whole value. */
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += v[i] == ',';
	char **out = arena_calloc(a, cap, sizeof *out);
	char *buf = arena_alloc(a, len + 1);
	const char *p = v + 1, *end = v + len - 1; /* inside the braces */
	size_t count = 0;
	while (p < end && count < cap) {
		char *e = buf;
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				*e++ = *p;
			}
			p++; /* the closing quote */
		} else {
			const char *start = p;
			while (p < end && *p != ',')
				*e++ = *p++;
			if (p - start == 4 && !strncmp(start, "NULL", 4))
				e = buf;
		}
		*e++ = '\0';
		out[count++] = buf;
		buf = e;
		if (p < end && *p == ',')
			p++;
	}
	*items = out;
	*n = count;
}

bool pgs_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

void *pgs_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *bigger = arena_alloc(a, ncap * size);
	if (n)
		memcpy(bigger, arr, n * size);
	*cap = ncap;
	return bigger;
}

int pgs_rows(struct arena *a, PGresult *r, int rc, size_t size, pgs_row_fn *row, void **items, size_t *n)
{
	if (!r)
		return rc ? rc : Q_ERR;
	int count = PQntuples(r);
	char *arr = count ? arena_calloc(a, (size_t)count, size) : NULL;
	for (int i = 0; i < count; i++)
		row(a, r, i, arr + (size_t)i * size);
	PQclear(r);
	*items = arr;
	*n = (size_t)count;
	return 0;
}
