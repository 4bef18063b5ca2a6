/* PostgreSQL backend internals shared by the pg_*.c files: the connection pool, statements, transactions. */
#ifndef QUIRE_STORE_PG_INT_H
#define QUIRE_STORE_PG_INT_H
#include <libpq-fe.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "store/store_backend.h"

/* ---- Statements ------------------------------------------------------------------------------
 * Each file declares the statements it runs beside the code that runs them:
 *     static struct pg_stmt USER_BY_ID = PG_STMT("SELECT ... WHERE u.id = $1");
 * A statement is prepared on a connection the first time that connection runs it (named after its slot,
 * which it takes on first use), and stays prepared for the connection's life. */
struct pg_stmt {
	const char *sql;
	_Atomic int slot; /* 0 until first used; then 1.. PG_SLOTS_MAX */
};
#define PG_STMT(text) {.sql = (text)}
#define PG_SLOTS_MAX 1024

/* Advisory lock keys (pg_advisory_xact_lock(PG_LOCK_CLASS, key)). Every write transaction of every server
 * takes PG_LOCK_WRITE first, so writes are serialized across servers exactly as SQLite serializes them
 * within one file: a write sees everything committed before it, and two writes never interleave. Other
 * keys of the class are free for other uses (background jobs running on one server at a time). */
#define PG_LOCK_CLASS 0x71756972 /* "quir" */
#define PG_LOCK_WRITE 1
#define PG_LOCK_MIGRATE 2

/* One connection with the statements prepared on it; used by one thread at a time. */
struct pgc {
	PGconn *db;
	uint64_t prepared[PG_SLOTS_MAX / 64];
	struct pgc *next;     /* in the pool's idle list */
	int64_t changes;      /* rows the last command changed (INSERT, UPDATE, DELETE) */
	bool broken;          /* the connection failed: closed when returned, never reused */
	bool retry;           /* the last error was a serialization failure or a deadlock: running the whole
	                       * transaction again may succeed */
	bool in_tx;           /* a transaction is open on it (BEGIN sent) */
	/* The transaction's BEGIN, not sent yet: it goes out with the first statement, in the same round trip
	 * (pipelined), so a transaction costs no round trip of its own. NULL-terminated commands. */
	const char *const *begin;
	bool unread;          /* a read's COMMIT was sent and its answer not read yet (pgs_end_read) */
	bool lost;            /* the connection to the server failed (not an SQL error) */
	bool lost_first;      /* ... on the round trip that carried the transaction's BEGIN: nothing ran, so the
	                       * operation may run again on another connection */
	struct store *st;     /* the pool's store, whose health its failures mark (NULL outside a pool) */
	bool replica;         /* a connection of the read replica's pool */
};

struct pg {
	struct store base;    /* first member: struct store * and struct pg * convert */
	char *conninfo;       /* what libpq connects with (the store URL) */
	char *where;          /* the URL without a password, for messages */
	int pool_max;         /* connections at most (store_pool) */
	pthread_mutex_t lock; /* guards idle, nopen */
	pthread_cond_t freed;
	struct pgc *idle;
	int nopen;            /* connections open, idle or lent */
	atomic_bool down_logged; /* a lost database is logged once per episode */
	_Atomic int64_t tried_ms; /* when a connection was last tried while the database was down */
	/* outbox_listen: called inside write transactions that queued mail */
	pthread_mutex_t listen_lock;
	void (*outbox_fn)(void *arg);
	void *outbox_arg;
	void (*refile_fn)(void *arg); /* refile_listen (under listen_lock): a wrangle queued works */
	void *refile_arg;
	struct pgs_group *group;   /* group commit of the reader's response writes */
	struct pgs_feed *feed;     /* the LISTEN thread feeding other servers' commits into the change feed */
	atomic_bool feed_listening;
	char feed_id[17];          /* this store's sender id in notifications (random, hex) */
	int64_t holder;            /* this store's id in outbox claims and its liveness lock (random, > 0) */
	struct pgs_locks *locks;   /* the connection holding this server's session locks (pg_shared.c) */
	struct pgs_replica *replica; /* the read replica's pool (store_read), or NULL */
	_Atomic uint64_t last_lsn;   /* the primary's WAL position after this server's latest commit (with a replica) */
};

static inline struct pg *pgs_of(struct store *st)
{
	return (struct pg *)st;
}

int64_t pgs_now(void);
int64_t pgs_now_ms(void);

/* ---- Running statements ---------------------------------------------------------------------
 * fmt gives one letter per parameter: 'I' int64_t, 'i' int (or bool), 't' text (NULL binds NULL), 's' text
 * (NULL binds ''). Results come back as text. Errors are mapped to Q_* codes: unique violations Q_EEXIST,
 * foreign keys Q_ENOTFOUND, NOT NULL, CHECK and bad values Q_EINVAL, serialization failures and deadlocks
 * Q_EBUSY (with c->retry set), anything else Q_ERR; PostgreSQL's own message goes to the log only. */
PGresult *pgs_query(struct pgc *c, struct pg_stmt *st, int *rc, const char *fmt, ...);
/* A statement with its parameters bound (pgs_call_bind, the same letters as pgs_query), to run with others in one
 * round trip (pgs_pipeline); then its result (NULL when it failed: rc says why; the caller clears it). */
#define PG_PARAMS_MAX 40
struct pgs_call {
	struct pg_stmt *st;
	int n;
	const char *values[PG_PARAMS_MAX];
	char nums[PG_PARAMS_MAX][24];
	PGresult *result;
	int rc;
	int64_t changes; /* rows it changed */
};
void pgs_call_bind(struct pgs_call *call, struct pg_stmt *st, const char *fmt, ...);
int pgs_call_vbind(struct pgs_call *call, struct pg_stmt *st, const char *fmt, va_list ap);
/* Runs the calls in order in one round trip (with the transaction's deferred BEGIN): each gets its result; the first
 * that fails stops the rest (inside a transaction, it is then aborted) and its code is returned. */
int pgs_pipeline(struct pgc *c, struct pgs_call *const *calls, size_t n);
PGresult *pgs_vquery(struct pgc *c, struct pg_stmt *st, int *rc, const char *fmt, va_list ap);
/* Tests only: when set, called after each statement with its SQL and its plan (EXPLAIN with the values it ran
 * with; sequential scans disabled, so a "Seq Scan" left in it means no index serves the statement). */
extern void (*pgs_plan_trace)(const char *sql, const char *plan);
/* Runs SQL text built for one run (listings: not prepared) with n text parameters ($1..$n; NULL binds NULL),
 * handing row() each row as a one-row result, the first max_rows of them (0: all); rows stream from the server. */
int pgs_sql_rows(struct pgc *c, const char *sql, int n, const char *const *values, size_t max_rows,
                 void (*row)(void *arg, const PGresult *r), void *arg);
/* Runs a statement for its effect: 0 or a Q_E* code; c->changes holds the rows it changed. */
int pgs_exec(struct pgc *c, struct pg_stmt *st, const char *fmt, ...);
/* First column of the first row as an integer (NULL reads 0); Q_ENOTFOUND when there is no row. */
int pgs_query_int(struct pgc *c, int64_t *out, struct pg_stmt *st, const char *fmt, ...);
/* The same for text, in the arena (NULL for SQL NULL). */
int pgs_query_text(struct pgc *c, struct arena *a, char **out, struct pg_stmt *st, const char *fmt, ...);
/* Counts a round trip the calling thread waits for (a pool connection's: its store's quire_store_round_trips_total,
 * and the thread's own figure, store_round_trips, that /metrics reports by route). */
static inline void pgs_round_trip(struct pgc *c)
{
	if (c->st) {
		atomic_fetch_add(&c->st->round_trips, 1);
		store_round_trip_note();
	}
}
/* Runs SQL text without parameters (transaction control, migrations): 0 or a Q_E* code. */
int pgs_exec_text(struct pgc *c, const char *sql);
/* Whether a transaction is open on c (its BEGIN maybe still deferred). */
bool pgs_in_tx(const struct pgc *c);
/* Ends the read-only transaction on c without waiting for the answer (read when c is next lent). */
void pgs_end_read(struct pgc *c);

/* The elements of a one-dimensional text array in PostgreSQL's text output ({a,"b c"}) into an arena array
 * (NULL elements read ""); a NULL cell or {} gives none. */
void pgs_text_array(struct arena *a, const PGresult *r, int row, int col, char ***items, size_t *n);
/* Cells of a result: integers (booleans read 1 and 0; NULL reads 0), text in the arena (NULL for NULL). */
int64_t pgs_int(const PGresult *r, int row, int col);
char *pgs_text(struct arena *a, const PGresult *r, int row, int col);
bool pgs_null(const PGresult *r, int row, int col);
/* Reads every row of r (NULL: the query failed with rc) into a new arena array of size-byte items with row,
 * then frees r. *items and *n are set on success only. */
typedef void pgs_row_fn(struct arena *a, const PGresult *r, int row, void *item);
int pgs_rows(struct arena *a, PGresult *r, int rc, size_t size, pgs_row_fn *row, void **items, size_t *n);
/* A whole read operation that lists rows: statement q bound from fmt, each row through fn into a new arena array
 * (pg_collection.c); row readers of one integer and of one text column. */
int pgs_read_rows(struct store *st, struct arena *a, size_t size, pgs_row_fn *fn, void *items, size_t *n,
                  struct pg_stmt *q, const char *fmt, ...);
pgs_row_fn pgs_row_id, pgs_row_text;
/* Room for element n of an arena array of elements of size bytes, doubling *cap as needed. */
void *pgs_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size);

/* ---- The pool --------------------------------------------------------------------------------- */
/* Lends a connection (opening one while fewer than pool_max are open, else waiting for one). While the database
 * does not answer (STORE_DOWN), one connection is tried a second and the others fail at once: Q_EUNAVAIL. */
int pgs_borrow(struct pg *s, struct pgc **out);
/* Returns it: rolls back what is still open, closes it when broken. */
void pgs_giveback(struct pg *s, struct pgc *c);
/* Closes every idle connection (the server they lead to went away). */
void pgs_pool_flush(struct pg *s);
/* Reads the answer of a COMMIT pgs_end_read did not wait for. */
void pgs_drain(struct pgc *c);
/* Takes a connection off an idle list (under its pool's lock), preferring one whose COMMIT was answered. */
struct pgc *pgs_idle_take(struct pgc **idle);

/* ---- The read replica (pg_replica.c) ------------------------------------------------------------------
 * WAL positions ("X/Y") as numbers, and back. */
uint64_t pgs_lsn_parse(const char *text);
void pgs_lsn_format(uint64_t lsn, char *buf, size_t len);
/* Sets up the replica's pool (pool connections at most); only a malformed URL is an error. */
int pgs_replica_open(struct pg *s, const char *url, int pool, char *err, size_t errlen);
void pgs_replica_close(struct pg *s);
/* A replica connection for a read that must see the primary's WAL up to min_lsn (0: anything): Q_ENOTFOUND
 * when the replica is behind, Q_EUNAVAIL when it does not answer, Q_EBUSY when its pool is lent out; the read
 * then goes to the primary. */
int pgs_replica_borrow(struct pg *s, uint64_t min_lsn, struct pgc **out);
void pgs_replica_giveback(struct pg *s, struct pgc *c);
/* 0 when libpq can read url; else Q_EINVAL and a sentence that never repeats the URL (it may hold a password).
 * *where (may be NULL) gets "PostgreSQL database D on H port P" (malloc'd). */
int pgs_url_check(const char *url, char *err, size_t errlen, char **where);
/* Opens one connection with the session settings every connection has; err (may be NULL) says why not. */
int pgs_connect(const char *conninfo, struct pgc **out, char *err, size_t errlen);
void pgs_disconnect(struct pgc *c);

/* ---- Transactions ------------------------------------------------------------------------------
 * Every operation runs its body in a loop that runs it again when PostgreSQL reports a serialization
 * failure or a deadlock (up to a few times, with a short random pause), unless it is part of a workflow
 * transaction (store_tx), which only its caller could run again: there the error fails the transaction.
 *
 *     PG_WRITE(s, c, rc) {
 *         rc = pgs_exec(c, &SOME_UPDATE, "I", id);
 *     }
 *     return rc;
 *
 * The body sets rc and must not return, break or goto out of the loop. A write runs in a transaction
 * holding the write lock (PG_LOCK_WRITE) and commits when rc is 0; a read runs in a REPEATABLE READ
 * snapshot (the request's, with store_snapshot_begin) or, inside the thread's store_tx, in it. */
enum pg_write_mode {
	PG_LOCKED,    /* under the write lock: serialized with every other write of every server */
	PG_UNLOCKED,  /* a write whose statements keep their own invariants (an upsert, a conditional update):
	               * runs beside others, durable at commit */
	PG_EPHEMERAL, /* the same, for state that may be lost in a crash (rate limits, visitors seen): committed
	               * without waiting for the disk (synchronous_commit off) */
	PG_SHARED,    /* a write that commutes with every other PG_SHARED write: holds the write lock shared, so such
	               * writes run (and wait for their commits) beside each other, and every PG_LOCKED write still
	               * runs alone (pgs_group_call says which writes qualify) */
};
struct pg_run {
	int state;
	int attempt;
	bool quiet; /* the write notes nothing for the change feed */
	enum pg_write_mode mode;
};
bool pgs_wr_loop(struct pg *s, struct pg_run *run, struct pgc **c, int *rc);
bool pgs_rd_loop(struct pg *s, struct pg_run *run, struct pgc **c, int *rc);
#define PG_WRITE(s, c, rc) for (struct pg_run run_ = {0}; pgs_wr_loop((s), &run_, &(c), &(rc));)
#define PG_WRITE_AS(mode_, s, c, rc) for (struct pg_run run_ = {.mode = (mode_)}; pgs_wr_loop((s), &run_, &(c), &(rc));)
#define PG_READ(s, c, rc) for (struct pg_run run_ = {0}; pgs_rd_loop((s), &run_, &(c), &(rc));)

/* A write refused before it began (bad arguments): returns rc, and inside a store_tx fails the
 * transaction as any failed write does. */
int pgs_refuse(struct pg *s, int rc);
/* Whether the calling thread has a store_tx open on s. */
bool pgs_tx_mine(struct pg *s);
/* Ends the calling thread's request snapshot before a write, so reads after the write see it. */
void pgs_snapshot_close(struct pg *s);

/* Notes for the change feed, inside a write (as sqls_note and friends in the SQLite backend). */
void pgs_note(struct pg *s, enum store_change_kind kind, int64_t id);
int pgs_note_work(struct pg *s, struct pgc *c, int64_t work_id);
void pgs_note_all(struct pg *s);
bool pgs_noted(const struct pg *s);
/* Asks for the outbox listener to be called before this write commits (mail was queued). */
void pgs_note_outbox(struct pg *s);
/* Notes a response write on work_id (store_response_changed after the commit), for other servers: their
 * notification goes out with this transaction's (pg_feed.c). */
void pgs_note_response(struct pg *s, int64_t work_id, bool now);

/* ---- Shared state (pg_shared.c) ---------------------------------------------------------------------
 * A connection of its own holds this server's session advisory locks: its liveness lock (key: holder), which
 * tells other servers that its outbox claims are live, and the locks of the jobs it leads. When the server dies
 * its connection closes and PostgreSQL lets them all go at once. */
void pgs_locks_init(struct pg *s);
/* Makes sure the liveness lock is held (connecting again when the connection was lost): 0 or Q_ERR. */
int pgs_locks_ensure(struct pg *s);
void pgs_locks_close(struct pg *s);

/* ---- The change feed between servers (pg_feed.c) -----------------------------------------------------
 * A transaction's changes go out as NOTIFY in the transaction; a thread per server LISTENs and feeds what others
 * committed into this server's change feed. */
/* This process's sender id (in every payload, so a server skips its own). */
void pgs_feed_id(struct pg *s);
/* What a transaction tells other servers, as payload words after the sender's id (" w12 r7 o": pg_feed.c) into
 * buf; "" (0) when nothing (mail: it queued mail). */
size_t pgs_feed_payload(const struct store_changes *ch, const int64_t *resp, const bool *now, size_t nresp,
                        bool resp_all, bool mail, char *buf, size_t cap);
/* Starts the listening thread (once; store_subscribe calls it through struct store's feed_start). */
int pgs_feed_start(struct store *st);
void pgs_feed_stop(struct pg *s);

/* ---- Schema -------------------------------------------------------------------------------------- */
/* Brings the schema up to date in one transaction under PG_LOCK_MIGRATE; err says why not. */
int pgs_migrate(struct pgc *c, char *err, size_t errlen);
/* The same, stopping at schema version target. */
int pgs_migrate_to(struct pgc *c, int target, char *err, size_t errlen);

/* ---- What works derive (pg_derived.c) -------------------------------------------------------------- */
/* After a work's tags changed (inside the write): its filter tags (and with them the tags' counts), its
 * crossover flag, the fandom hints of new tags, and the tag and creator parts of its search documents. */
int pgs_tags_work_sync(struct pgc *c, int64_t work_id);
/* The text of up to two pieces of stored HTML, joined by a space (malloc'd; what SQLite's quire_plain gives). */
char *pgs_plain(const char *html1, const char *html2);

/* The id of the tag (type, name), created when missing (pg_work.c); an existing tag matched by its folded
 * form keeps its first spelling; created (when not NULL) says whether it was made now. */
int pgs_tag_id(struct pgc *c, int type, const char *name, int64_t *id, bool *created);

/* Every work's and chapter's search document from its rows (quire store copy writes rows without them). */
int pgs_search_rebuild(struct pgc *c);

/* A whole work in one row: its columns, chapter count and series, then its tags ("TYPE:NAME" by type and
 * position) and creators ("USER_ID:ACCEPTED:NAME" in order) as arrays, in the column order of pgs_work_from_row:
 * one statement reads a work or a page of them, never one more per work. */
#define PG_WORK_ROWS "SELECT w.id, w.title, w.summary, w.summary_html, w.notes, w.notes_html," \
	" w.end_notes, w.end_notes_html, w.language, w.expected_chapters, w.complete, w.draft," \
	" w.restricted, w.published_at, w.updated_at, w.created_at, w.word_count," \
	" w.sanitizer_version, (SELECT COUNT(*) FROM chapters c WHERE c.work_id = w.id)," \
	" ws.series_id, s.title, ws.position," \
	" w.kudos_count, w.hits_count, w.comments_count, w.bookmarks_count," \
	" (SELECT array_agg(t.type || ':' || t.name ORDER BY t.type, wt.position) FROM work_tags wt" \
	"  JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = w.id)," \
	" (SELECT array_agg(wc.user_id || ':' || wc.accepted || ':' || wu.name ORDER BY wc.position, wc.user_id)" \
	"  FROM work_creators wc JOIN users wu ON wu.id = wc.user_id WHERE wc.work_id = w.id)," \
	" w.anonymous, w.unrevealed" \
	" FROM works w LEFT JOIN work_series ws ON ws.work_id = w.id" \
	" LEFT JOIN series s ON s.id = ws.series_id"
void pgs_work_from_row(struct arena *a, const PGresult *r, int row, struct work *w);
/* Inserts chapter ch at position pos with its search document (pg_chapter.c). */
int pgs_chapter_insert(struct pgc *c, const struct chapter *ch, int pos, int64_t published, int64_t now, int64_t *id);

/* ---- Group commit (pg_group.c) ---------------------------------------------------------------------
 * The reader's response writes: fn runs with other threads' writes in one transaction (each undone alone when
 * it fails), or inside the calling thread's store_tx. Returns fn's rc once the batch committed. */
void pgs_group_init(struct pg *s);
void pgs_group_free(struct pg *s);
int pgs_group_write(struct pg *s, int (*fn)(struct pgc *c, void *arg), void *arg);
/* The same for a write of one statement (call, bound): the batch's statements go out together, in one round trip.
 * done(arg, result) says what the result means (0 or a Q_E* code); a statement whose done finds it failed must
 * have changed nothing (it is not undone). On a failure of the statement itself, done is not called.
 * A call must commute with every other call: it inserts, upserts (ON CONFLICT) and adds to counters, and what it
 * reads to decide (a row exists; a parent comment's state) no call changes. A batch of calls alone then holds the
 * write lock shared (PG_SHARED): batches of calls run side by side, on this server and others, and their commits
 * overlap, while a locked write (a freeze, a deletion) still excludes them, so a call never sees one half done.
 * key: the work whose row the call locks first; a batch runs its calls in key order, so that two batches running at
 * once take those row locks in one order and wait for each other instead of deadlocking. */
int pgs_group_call(struct pg *s, struct pgs_call *call, int (*done)(void *arg, const PGresult *r), void *arg,
                   int64_t key);

/* ---- The re-filing queue (pg_sync_queue.c) ----------------------------------------------------------
 * Queues works (ids: a PostgreSQL array literal) inside a write, for refile_queued to refresh after the commit. */
int pgs_sync_queue_add(struct pg *s, struct pgc *c, const char *ids);

/* Every operation of store_ops.h as pgs_<name>, one family per file; pg_open.c puts them in the table. */
#define PGS_OP_DECL(ret, name, params, args) ret pgs_##name params;
STORE_OPS(PGS_OP_DECL)
#undef PGS_OP_DECL
#endif
