/* SQLite backend internals shared by the sqlite_*.c files: connections, statements, transactions. */
#ifndef QUIRE_STORE_SQLITE_INT_H
#define QUIRE_STORE_SQLITE_INT_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include "store/store_backend.h"
#include "store/sqlite/moderation_sql.h"
#include "store/sqlite/site_sql.h"
#include "store/sqlite/spam_sql.h"
#include "store/sqlite/cocreators_sql.h"

/* Statements kept in files of their own (X(id, text) lists) join the table through these. */
#define SQLS_STMT_ID(id, text) id,
#define SQLS_STMT_TEXT(id, text) [id] = text,

/* Every statement the backend runs; the SQL text is sqls_sql[id] (sqlite/sql.c). */
enum sql_id {
	SQL_BEGIN,
	SQL_BEGIN_IMMEDIATE,
	SQL_COMMIT,
	SQL_ROLLBACK,

	SQL_SETTING_GET,
	SQL_SETTING_SET,

	SQL_USER_INSERT,
	SQL_USER_BY_ID,
	SQL_USER_BY_NAME,
	SQL_USER_BY_EMAIL,
	SQL_USER_EXISTS,
	SQL_USER_SET_PASSWORD,
	SQL_USER_SET_ROLE,
	SQL_USER_COUNT,
	SQL_USER_DELETE,
	SQL_ORPHAN_ID,
	SQL_CREATORS_DROP_ORPHAN_DUP,
	SQL_CREATORS_ORPHAN,
	SQL_CREATORS_REMOVE_USER,
	SQL_WORKS_DELETE_OWNED,
	SQL_SERIES_OF_OWNER,
	SQL_SERIES_TWIN,
	SQL_SERIES_SET_OWNER,
	SQL_WORK_SERIES_MOVE,
	SQL_SERIES_DELETE,

	SQL_SESSION_INSERT,
	SQL_SESSION_PURGE,
	SQL_SESSION_USER,
	SQL_SESSION_DELETE,
	SQL_SESSION_DELETE_USER,

	SQL_TOKEN_INSERT,
	SQL_TOKEN_USER,
	SQL_TOKEN_TOUCH,
	SQL_TOKEN_LIST,
	SQL_TOKEN_REVOKE,

	SQL_WORK_INSERT,
	SQL_WORK_UPDATE,
	SQL_WORK_STATE,
	SQL_WORK_POST,
	SQL_CHAPTERS_POST,
	SQL_WORK_SEARCH_META,
	SQL_CHAPTERS_REINDEX_DEL,
	SQL_CHAPTERS_REINDEX_ADD,
	SQL_WORK_DELETE,
	SQL_WORK_TOUCH,
	SQL_WORK_WORDS,
	SQL_WORK_GET,
	SQL_WORK_TAGS,
	SQL_WORK_CREATORS,
	SQL_WORK_LIST,
	SQL_WORK_LIST_SERIES,
	SQL_WORK_LIST_COUNT,
	SQL_INVITES,
	SQL_TAG_FIND,
	SQL_TAG_INSERT,
	SQL_WORK_TAGS_CLEAR,
	SQL_WORK_TAG_ADD,
	SQL_CREATOR_ADD,
	SQL_CREATOR_INVITE,
	SQL_CREATOR_ACCEPT,
	SQL_WORK_OWNER,
	SQL_SERIES_FIND,
	SQL_SERIES_INSERT,
	SQL_SERIES_MAXPOS,
	SQL_SERIES_DELETE_IF_EMPTY,
	SQL_WORK_SERIES_GET,
	SQL_WORK_SERIES_SET,
	SQL_WORK_SERIES_CLEAR,
	SQL_WORK_DEPS,
	SQL_WORKS_OF_USER,

	SQL_CHAPTER_INSERT,
	SQL_CHAPTER_UPDATE,
	SQL_CHAPTER_MAXPOS,
	SQL_CHAPTER_POS,
	SQL_CHAPTER_COUNT,
	SQL_CHAPTER_DELETE,
	SQL_CHAPTER_SHIFT,
	SQL_CHAPTER_SETPOS,
	SQL_CHAPTER_GET,
	SQL_CHAPTER_LIST,

	SQL_USER_SET_SKELETON,
	SQL_USER_BY_SKELETON,
	SQL_USERS_WITHOUT_SKELETON,
	SQL_CREATOR_ROLE,
	SQL_CREATOR_REMOVE,
	SQL_CREATOR_NEXT_OWNER,
	SQL_CREATOR_MAKE_OWNER,
	/* ---- mail: subscriptions, notification preferences, outbox, account mail tokens ---- */
	SQL_SUB_INSERT,
	SQL_SUB_GET,
	SQL_SUB_FIND_WORK,
	SQL_SUB_FIND_AUTHOR,
	SQL_SUB_FIND_SERIES,
	SQL_SUB_LIST,
	SQL_SUB_SET_MAIL,
	SQL_SUB_DELETE,
	SQL_SERIES_GET,
	SQL_MAIL_SETTINGS_GET,
	SQL_MAIL_SETTINGS_NOTIFY,
	SQL_MAIL_SETTINGS_CONFIRMED,
	SQL_OUTBOX_INSERT,
	SQL_OUTBOX_CLAIM,
	SQL_OUTBOX_EXPIRED,
	SQL_OUTBOX_EXTEND,
	SQL_OUTBOX_CLAIMED,
	SQL_OUTBOX_SENT,
	SQL_OUTBOX_RETRY,
	SQL_OUTBOX_GIVE_UP,
	SQL_OUTBOX_RELEASE,
	SQL_OUTBOX_NEXT_DUE,
	SQL_OUTBOX_PURGE,
	SQL_MAIL_TOKEN_INSERT,
	SQL_MAIL_TOKEN_PURGE,
	SQL_MAIL_TOKEN_USER,
	SQL_MAIL_TOKEN_DELETE,
	SQL_MAIL_TOKENS_DELETE_USER,
	SQL_USER_EMAIL_TAKEN,
	SQL_USER_SET_EMAIL,
	/* ---- The reader's response ---- */
	SQL_SAVEPOINT,
	SQL_RELEASE,
	SQL_ROLLBACK_TO,
	SQL_RESP_COUNTS,
	SQL_RESP_SETTINGS_SET,
	SQL_STATS_BUMP,
	SQL_COMMENT_BRIEF,
	SQL_COMMENT_INSERT,
	SQL_COMMENT_SET_ROOT,
	SQL_COMMENT_GET,
	SQL_COMMENT_ROOTS,
	SQL_COMMENT_LIST,
	SQL_COMMENT_EDIT,
	SQL_COMMENT_SET_STATE,
	SQL_COMMENT_WIPE,
	SQL_COMMENT_FREEZE,
	SQL_INBOX_INSERT,
	SQL_KUDOS_INSERT,
	SQL_KUDOS_NAMES,
	SQL_BOOKMARK_INSERT,
	SQL_BOOKMARK_UPDATE,
	SQL_BOOKMARK_DELETE,
	SQL_BOOKMARK_WORK,
	SQL_BOOKMARK_GET,
	SQL_BOOKMARK_FIND,
	SQL_BOOKMARK_LIST,
	SQL_BOOKMARK_LIST_PUBLIC,
	SQL_READING_RECORD,
	SQL_READING_LATER,
	SQL_READING_HISTORY,
	SQL_READING_LATER_LIST,
	SQL_INBOX_LIST,
	SQL_INBOX_LIST_UNREAD,
	SQL_INBOX_MARK,
	SQL_INBOX_MARK_ALL,
	SQL_INBOX_UNREAD,
	SQL_HITS_WORK,
	SQL_HITS_CHAPTER,
	SQL_STATS_WORK_ROW,
	SQL_STATS_CHAPTER_ROWS,
	SQL_STATS_DAYS,
	SQL_STATS_USER,
	SQL_CHAPTER_WORK,
	/* ---- Finding works (sqlite/tag.c, sqlite/listing.c) ---- */
	SQL_FIND_FILTER_DEL,
	SQL_FIND_FILTER_ADD,
	SQL_FIND_CROSSOVER,
	SQL_FIND_HINT,
	SQL_FIND_FILTER_TEXT,
	SQL_FIND_DOC_DEL,
	SQL_FIND_DOC_ADD,
	SQL_FIND_TAG_BY_NORM,
	SQL_FIND_TAG_BY_ID,
	SQL_FIND_TAG_PARENTS,
	SQL_FIND_TAG_CHILDREN,
	SQL_FIND_TAG_METAS,
	SQL_FIND_TAG_SUBS,
	SQL_FIND_TAG_SYNONYMS,
	SQL_FIND_TAG_LOOKALIKES,
	SQL_FIND_TAG_AUTOCOMPLETE,
	SQL_FIND_TAG_AUTOCOMPLETE_TYPE,
	SQL_FIND_TAG_IN_USE,
	SQL_FIND_TAG_OF_TYPE,
	SQL_FIND_SET_MERGER,
	SQL_FIND_SET_CANONICAL,
	SQL_FIND_SET_MEDIA,
	SQL_FIND_SET_WRANGLED,
	SQL_FIND_PARENTS_CLEAR,
	SQL_FIND_PARENT_ADD,
	SQL_FIND_METAS_CLEAR,
	SQL_FIND_META_ADD,
	SQL_FIND_META_CYCLE,
	SQL_FIND_HAS_SYNONYMS,
	SQL_FIND_WORKS_OF_TAG,
	SQL_FIND_WORKS_FILTERED_BY,
	SQL_SYNC_QUEUE_ADD,
	SQL_BLOCK_EXISTS,
	SQL_BLOCK_COUNT,
	SQL_BLOCK_ADD,
	SQL_BLOCK_DEL,
	SQL_BLOCK_LIST,
	SQL_BLOCK_WHO,
	SQL_WRITING_WORD_ADD,
	SQL_WRITING_WORD_DEL,
	SQL_WRITING_WORD_COUNT,
	SQL_WRITING_VARIANT_CLEAR,
	SQL_WRITING_WORDS,
	SQL_SUGGESTIONS_ON,
	SQL_SUGGESTIONS_OFF,
	SQL_SUGGESTIONS_ENABLED,
	SQL_SUGGESTION_RECENT,
	SQL_SUGGESTION_OPEN_COUNT,
	SQL_SUGGESTION_ADD,
	SQL_SUGGESTION_GET,
	SQL_SUGGESTION_LIST_CHAPTER,
	SQL_SUGGESTION_LIST_CREATOR,
	SQL_SUGGESTION_SET_STATE,
	SQL_SUGGESTION_INBOX_CREATORS,
	SQL_SUGGESTION_INBOX_READ,
	SQL_SUGGESTION_INBOX_READER,
	SQL_SYNC_QUEUE_ANY,
	SQL_SYNC_QUEUE_NEXT,
	SQL_SYNC_QUEUE_DEL,
	SQL_FIND_QUEUE_FANDOMS,
	SQL_FIND_QUEUE,
	SQL_FIND_QUEUE_NONE,
	SQL_FIND_MEDIA_COUNT,
	SQL_FIND_MEDIA_TOP,
	SQL_FIND_COUNTER,
	SQL_FIND_TAG_FILTER_IDS,
	SQL_FIND_TAG_FILTER_IDS_ANY,
	SQL_FIND_TOP_TAGS_PUBLIC,
	SQL_FIND_TOP_TAGS_ALL,
	SQL_FIND_PAGE_WORKS,
	SQL_FIND_PAGE_TAGS,
	SQL_FIND_PAGE_CREATORS,
	SQL_FIND_SNIPPET_CHAPTER,
	SQL_FIND_SNIPPET_WORK,
	SQL_FIND_TAG_NAMES,
	SQL_FIND_SERIES_OF,
	SQL_FIND_SERIES_PREV,
	SQL_FIND_SERIES_NEXT,
	/* Rendering again (stale.c) */
	SQL_STALE_WORKS,
	SQL_STALE_CHAPTERS,
	SQL_STALE_COMMENTS,
	SQL_STALE_WORK_SAVE,
	SQL_STALE_CHAPTER_SAVE,
	SQL_STALE_COMMENT_SAVE,
	SQL_STALE_MARK_MEDIA,
	/* ---- Running a community (issue 14) ---- */
	SQLS_MODERATION_STATEMENTS(SQLS_STMT_ID)
	SQLS_SITE_STATEMENTS(SQLS_STMT_ID)
	SQLS_SPAM_STATEMENTS(SQLS_STMT_ID)
	SQLS_COCREATORS_STATEMENTS(SQLS_STMT_ID)

	SQL_COUNT
};

extern const char *const sqls_sql[SQL_COUNT];

/* One SQLite connection with its statements; used by one thread at a time. */
#define SQLS_TOUCHED_MAX 16

struct sqls_conn {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT]; /* prepared on first use, finalized when the connection closes */
	/* The statements bound since the connection was last lent or committed (conn_reset_all resets only
	 * these); past SQLS_TOUCHED_MAX, every statement is checked. */
	unsigned short touched[SQLS_TOUCHED_MAX];
	unsigned ntouched;
	struct sqls_conn *next;        /* link in the idle list of read connections */
	bool listing;                  /* a read connection of the listings' pool (large page cache) */
	struct store *st;              /* whose health its faults mark (store_health_note) */
};

struct sqls {
	struct store base;      /* first member: struct store * and struct sqls * convert */
	char *path;
	pthread_mutex_t wlock;  /* held for a whole write transaction on w */
	struct sqls_conn *w;
	/* The thread holding an open store_tx (the address of its thread-local marker), else NULL.
	 * Written only by that thread while it holds wlock; other threads only ever compare it with
	 * their own marker, so they never mistake themselves for the owner. */
	_Atomic(const void *) tx_owner;
	int tx_rc;              /* first error of an operation inside the open store_tx; 0 while none */
	struct store_changes changes; /* what the open write transaction changed; guarded by wlock */
	pthread_mutex_t rlock;  /* guards idle and nreaders */
	struct sqls_conn *idle; /* read connections not in use right now */
	struct sqls_conn *idle_listing; /* the same for listings (sqls_rd_begin_listing) */
	int nreaders;           /* read connections open, idle or lent out */
	/* ---- The reader's response ---- */
	struct sqls_group *group; /* group commit queue (sqlite/group.c) */
	/* Told when a wrangle queues works for re-filing (store_refile_listen); guarded by wlock. */
	void (*refile_fn)(void *arg);
	void *refile_arg;
	_Atomic int64_t holder;    /* this store's id in job leases and outbox claims (sqls_holder) */
};

static inline struct sqls *sqls_of(struct store *st)
{
	return (struct sqls *)st;
}

/* Applies pending migrations to the write connection in one transaction; err says why not.
 * Migrations run with foreign keys unenforced (so a table can be rebuilt) and must leave
 * PRAGMA foreign_key_check clean, which is checked before the commit. Leaves foreign keys on. */
int sqls_migrate(sqlite3 *db, char *err, size_t errlen);
/* The same, stopping at schema version target (tests build older databases with it). */
int sqls_migrate_to(sqlite3 *db, int target, char *err, size_t errlen);

int64_t sqls_now(void);

/* A read: lends the calling thread a connection of its own with a read transaction open, so a
 * read made of several queries sees one snapshot. Pair with sqls_rd_end. On the thread that owns
 * an open store_tx it is the write connection instead, so the workflow reads its own writes. */
int sqls_rd_begin(struct sqls *s, struct sqls_conn **c);
/* The same for listings over the whole archive: a connection from a pool with a large page cache. */
int sqls_rd_begin_listing(struct sqls *s, struct sqls_conn **c);
void sqls_rd_end(struct sqls *s, struct sqls_conn *c);
/* Ends the calling thread's request snapshot transaction (store_snapshot_begin) before a write, so reads
 * after the write see it (at once, or when the read using it now ends). */
void sqls_snapshot_close(struct sqls *s);
/* A write: takes the write lock and BEGIN IMMEDIATE. sqls_wr_end commits when rc is 0 and
 * rolls back otherwise, releases the lock, hands the noted changes to the subscribers after a
 * commit, and returns rc
 * (Q_ERR when the commit itself failed). On the thread that owns an open store_tx, both join it:
 * no BEGIN, no commit, no lock; a failure (rc != 0) marks the whole transaction failed, and once
 * failed every later write in it returns that first error without running. */
int sqls_wr_begin(struct sqls *s, struct sqls_conn **c);
/* A write refused before it began (bad arguments): returns rc, and inside a store_tx fails the
 * transaction as any failed write does, so "an error inside means nothing lands" always holds. */
int sqls_refuse(struct sqls *s, int rc);
int sqls_wr_end(struct sqls *s, struct sqls_conn *c, int rc);

/* Notes for the change feed, inside a write: one thing, or a work with everyone and everything
 * whose pages show it as it is at this moment (its creators, pending ones included, and its
 * series). Operations that change who or where a work is note it before and after. */
void sqls_note(struct sqls *s, enum store_change_kind kind, int64_t id);
int sqls_note_work(struct sqls *s, struct sqls_conn *c, int64_t work_id);
/* "Anything may have changed" ({STORE_CHANGE_WORK, 0} to subscribers), for writes whose reach no list
 * of ids describes; and whether this write noted anything yet. */
void sqls_note_all(struct sqls *s);
bool sqls_noted(const struct sqls *s);

/* The statement id, prepared on c, with parameters bound from fmt, one letter each:
 * 'I' int64_t, 'i' int (or bool), 't' text (NULL binds NULL), 's' text (NULL binds '').
 * Strings must stay valid until sqls_reset. NULL on failure (logged). */
sqlite3_stmt *sqls_prep(struct sqls_conn *c, enum sql_id id, const char *fmt, ...);
sqlite3_stmt *sqls_vprep(struct sqls_conn *c, enum sql_id id, const char *fmt, va_list ap);
/* 1 for a row, 0 when done, else a Q_E* code: unique violations are Q_EEXIST, foreign keys
 * Q_ENOTFOUND, NOT NULL/CHECK Q_EINVAL, anything else Q_ERR (logged). */
int sqls_step(struct sqls_conn *c, sqlite3_stmt *q);
/* Steps q (NULL: it failed to prepare) for the one row a lookup reads: 0 with the row in q, Q_ENOTFOUND
 * when there is none, else the error. The caller resets q. */
int sqls_one_row(struct sqls_conn *c, sqlite3_stmt *q);
/* Ends a statement's use: reset and unbind (safe with NULL). */
void sqls_reset(sqlite3_stmt *q);
/* Runs a statement to completion: 0 or a Q_E* code as sqls_step. */
int sqls_exec(struct sqls_conn *c, enum sql_id id, const char *fmt, ...);
/* First column of the first row as an integer; Q_ENOTFOUND when there is no row. */
int sqls_query_int(struct sqls_conn *c, int64_t *out, enum sql_id id, const char *fmt, ...);
/* Rows changed by the last statement on c. */
int sqls_changes(struct sqls_conn *c);
int64_t sqls_last_id(struct sqls_conn *c);
/* Column col as an arena string; NULL for SQL NULL. */
char *sqls_col_text(struct arena *a, sqlite3_stmt *q, int col);
/* Reads one row of a list into item, an element of the list's type. */
typedef void sqls_row_fn(struct arena *a, sqlite3_stmt *q, void *item);
/* The row-list loop, written once: steps q (prepared on c; NULL after a failed prepare is an error) to its
 * end, appending each row, read by row, to the arena array at items (the address of the caller's T *, with
 * sizeof(T) == size; NULL and *n 0 start a new list), and resets q. On an error the list is left as it was. */
int sqls_rows(struct sqls_conn *c, struct arena *a, sqlite3_stmt *q, size_t size, sqls_row_fn *row, void *items,
              size_t *n);
/* A whole read operation that lists rows: a read (sqls_rd_begin), statement id bound from fmt (as sqls_prep),
 * its rows into a new list as sqls_rows reads them (*items NULL and *n 0 on an error), the read ended. */
int sqls_read_rows(struct sqls *s, struct arena *a, size_t size, sqls_row_fn *row, void *items, size_t *n,
                   enum sql_id id, const char *fmt, ...);
/* A whole read operation that reads one row: statement id bound from fmt into item by row; Q_ENOTFOUND when
 * there is none. */
int sqls_read_row(struct sqls *s, struct arena *a, sqls_row_fn *row, void *item, enum sql_id id, const char *fmt, ...);
/* Row readers for lists of one column: column 0 as an int64_t, or as an arena string (const char *). */
sqls_row_fn sqls_row_id, sqls_row_text;
/* The columns of WORK_ROWS (sqlite/sql.c) into w: the work's own fields, chapter count and series. */
void sqls_work_from_row(struct arena *a, sqlite3_stmt *q, struct work *w);

/* Every operation of store_ops.h as sqls_<name>, one group per file (sqlite/backend.c: backup, settings,
 * transactions; sqlite/account.c, sqlite/work.c, sqlite/chapter.c); backend.c puts them in the table. */
#define SQLS_OP_DECL(ret, name, params, args) ret sqls_##name params;
STORE_OPS(SQLS_OP_DECL)
#undef SQLS_OP_DECL

/* ---- Shared state (sqlite_shared.c) ---- */
/* This store's holder id in job leases and outbox claims (random, made on first use; never 0). */
int64_t sqls_holder(struct sqls *s);
/* At close: lets this store's job leases go. */
void sqls_shared_close(struct sqls *s);

/* Mail bookkeeping (the outbox, tokens) notes no change for the page cache; it ends like any write. */
int sqls_wr_end_quiet(struct sqls *s, struct sqls_conn *c, int rc);

/* ---- The reader's response ---- */
/* Whether the calling thread owns the open store_tx. */
bool sqls_tx_mine(struct sqls *s);
/* Group commit (sqlite/group.c): runs fn(c, arg) on the write connection inside one transaction shared
 * with the writes other threads submit meanwhile: one COMMIT (one fsync) for the whole batch. fn runs in
 * a savepoint of its own, so its failure undoes only its own changes; it must reset its statements.
 * Returns fn's rc, or Q_ERR when the batch could not commit. Durable when it returns 0. The batch begins
 * and ends with sqls_wr_begin / sqls_wr_end, so what fn notes (sqls_note) reaches the change feed after
 * the commit. On a thread that owns the open store_tx, fn runs at once in a savepoint of that
 * transaction (no batch, no commit) and a failure fails the transaction, as any write there does. */
int sqls_group_write(struct sqls *s, int (*fn)(struct sqls_conn *c, void *arg), void *arg);
/* Queues works for re-filing (sqlite/sync_queue.c), inside a write, and tells the refile listener. */
int sqls_sync_queue_add(struct sqls *s, struct sqls_conn *c, const int64_t *ids, size_t n);
int sqls_group_init(struct sqls *s);
void sqls_group_free(struct sqls *s);

/* ---- Finding works (tags, wrangling, listings, search) ---- */
/* Registers the SQL functions the schema calls (sqlite/func.c): quire_tag_norm, quire_tag_skeleton,
 * quire_tag_mixed, quire_plain. Every connection, before it touches the schema. */
int sqls_functions_register(sqlite3 *db);
/* After a work's tags changed (inside the write transaction): its filter tags (canonical and meta tags,
 * and with them the tags' work counts), its crossover flag, the fandom hints of new tags and its search
 * document. */
int sqls_tags_work_sync(struct sqls_conn *c, int64_t work_id);
/* Called with each statement the listing builder prepares (tests check query plans); NULL normally. */
extern void (*sqls_listing_trace)(sqlite3_stmt *q);

#endif
