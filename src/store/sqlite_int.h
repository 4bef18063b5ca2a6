/* SQLite backend internals shared by the sqlite_*.c files: connections, statements, transactions. */
#ifndef QUIRE_STORE_SQLITE_INT_H
#define QUIRE_STORE_SQLITE_INT_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include "store/store.h"

/* Every statement the backend runs; the SQL text is sqls_sql[id] (sqlite_sql.c). */
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

	SQL_COUNT
};

extern const char *const sqls_sql[SQL_COUNT];

/* One SQLite connection with its statements; used by one thread at a time. */
struct sqls_conn {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT]; /* prepared on first use, finalized when the connection closes */
	struct sqls_conn *next;        /* link in the idle list of read connections */
};

struct sqls {
	struct store base;      /* first member: struct store * and struct sqls * convert */
	char *path;
	pthread_mutex_t wlock;  /* held for a whole write transaction on w */
	struct sqls_conn *w;
	pthread_mutex_t rlock;  /* guards idle and nreaders */
	struct sqls_conn *idle; /* read connections not in use right now */
	int nreaders;           /* read connections open, idle or lent out */
	/* ---- The reader's response ---- */
	struct sqls_group *group; /* group commit queue (sqlite_group.c) */
};

static inline struct sqls *sqls_of(struct store *st)
{
	return (struct sqls *)st;
}

/* Applies pending migrations to the write connection in one transaction. */
int sqls_migrate(sqlite3 *db);

int64_t sqls_now(void);

/* A read: lends the calling thread a connection of its own with a read transaction open, so a
 * read made of several queries sees one snapshot. Pair with sqls_rd_end. */
int sqls_rd_begin(struct sqls *s, struct sqls_conn **c);
void sqls_rd_end(struct sqls *s, struct sqls_conn *c);
/* A write: takes the write lock and BEGIN IMMEDIATE. sqls_wr_end commits when rc is 0 and
 * rolls back otherwise, releases the lock, bumps the generation after a commit, and returns rc
 * (Q_ERR when the commit itself failed). */
int sqls_wr_begin(struct sqls *s, struct sqls_conn **c);
int sqls_wr_end(struct sqls *s, struct sqls_conn *c, int rc);

/* The statement id, prepared on c, with parameters bound from fmt, one letter each:
 * 'I' int64_t, 'i' int (or bool), 't' text (NULL binds NULL), 's' text (NULL binds '').
 * Strings must stay valid until sqls_reset. NULL on failure (logged). */
sqlite3_stmt *sqls_prep(struct sqls_conn *c, enum sql_id id, const char *fmt, ...);
sqlite3_stmt *sqls_vprep(struct sqls_conn *c, enum sql_id id, const char *fmt, va_list ap);
/* 1 for a row, 0 when done, else a Q_E* code: unique violations are Q_EEXIST, foreign keys
 * Q_ENOTFOUND, NOT NULL/CHECK Q_EINVAL, anything else Q_ERR (logged). */
int sqls_step(struct sqls_conn *c, sqlite3_stmt *q);
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
/* Room for element n of an arena array of elements of size bytes, doubling *cap as needed;
 * returns the (possibly moved) array. Old copies stay in the arena until it is freed. */
void *sqls_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size);

/* Operations, one group per file; sqlite.c puts them in the ops table. */
int sqls_user_create(struct store *st, const char *name, const char *email, const char *pwhash,
                     const char *role, int64_t *id);
int sqls_user_get(struct store *st, struct arena *a, int64_t id, struct user *out);
int sqls_user_get_by_name(struct store *st, struct arena *a, const char *name, struct user *out);
int sqls_user_get_by_email(struct store *st, struct arena *a, const char *email, struct user *out);
int sqls_user_set_password(struct store *st, int64_t id, const char *pwhash);
int sqls_user_set_role(struct store *st, int64_t id, const char *role);
int sqls_user_delete(struct store *st, int64_t id, bool orphan_works);
int sqls_user_count(struct store *st, int64_t *count);
int sqls_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at);
int sqls_session_user(struct store *st, struct arena *a, const char *token_hash, int64_t now,
                      struct user *out);
int sqls_session_delete(struct store *st, const char *token_hash);
int sqls_session_delete_for_user(struct store *st, int64_t user_id, const char *except_hash);
int sqls_token_create(struct store *st, int64_t user_id, const char *token_hash, const char *name,
                      int64_t *id);
int sqls_token_user(struct store *st, struct arena *a, const char *token_hash, struct user *out);
int sqls_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **out, size_t *n);
int sqls_token_revoke(struct store *st, int64_t user_id, int64_t token_id);

int sqls_work_create(struct store *st, const struct work *w, const struct chapter *first,
                     int64_t owner_id, int64_t *work_id, int64_t *chapter_id);
int sqls_work_update(struct store *st, const struct work *w);
int sqls_work_delete(struct store *st, int64_t work_id);
int sqls_work_get(struct store *st, struct arena *a, int64_t work_id, struct work *out);
int sqls_work_list(struct store *st, struct arena *a, const struct work_query *q, struct work_page *out);
int sqls_work_invite(struct store *st, int64_t work_id, int64_t user_id);
int sqls_work_accept(struct store *st, int64_t work_id, int64_t user_id);
int sqls_invites_for_user(struct store *st, struct arena *a, int64_t user_id, struct work **out, size_t *n);

int sqls_chapter_create(struct store *st, const struct chapter *c, int64_t *chapter_id);
int sqls_chapter_update(struct store *st, const struct chapter *c);
int sqls_chapter_delete(struct store *st, int64_t work_id, int64_t chapter_id);
int sqls_chapter_get(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id,
                     struct chapter *out);
int sqls_chapter_list(struct store *st, struct arena *a, int64_t work_id, bool with_content,
                      struct chapter **out, size_t *n);
int sqls_chapter_reorder(struct store *st, int64_t work_id, const int64_t *ids, size_t n);

/* ---- The reader's response ---- */
/* Group commit (sqlite_group.c): runs fn(c, arg) on the write connection inside one transaction shared
 * with the writes other threads submit meanwhile: one COMMIT (one fsync) for the whole batch. fn runs in
 * a savepoint of its own, so its failure undoes only its own changes; it must reset its statements.
 * Returns fn's rc, or Q_ERR when the batch could not commit. Durable when it returns 0. Does not bump
 * the store generation (callers call store_response_changed). Must not be called by a thread that holds
 * the write lock (inside sqls_wr_begin, or inside a workflow transaction once those exist). */
int sqls_group_write(struct sqls *s, int (*fn)(struct sqls_conn *c, void *arg), void *arg);
int sqls_group_init(struct sqls *s);
void sqls_group_free(struct sqls *s);

int sqls_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out);
int sqls_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated);
int sqls_comment_create(struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify,
                        bool notify_parent, int64_t *id);
int sqls_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out);
int sqls_comment_list(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after_root,
                      int threads, struct comment **out, size_t *n, int64_t *next_root);
int sqls_comment_edit(struct store *st, int64_t id, const struct text *body, int sanitizer_version);
int sqls_comment_set_state(struct store *st, int64_t id, int state);
int sqls_comment_freeze(struct store *st, int64_t id, bool frozen);
int sqls_kudos_add(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, const char *guest_hash);
int sqls_kudos_names(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit,
                     const char ***names, size_t *n);
int sqls_bookmark_create(struct store *st, const struct bookmark *b, int64_t *id);
int sqls_bookmark_update(struct store *st, const struct bookmark *b);
int sqls_bookmark_delete(struct store *st, int64_t user_id, int64_t id);
int sqls_bookmark_get(struct store *st, struct arena *a, int64_t id, struct bookmark *out);
int sqls_bookmark_find(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out);
int sqls_bookmark_list(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id,
                       int limit, struct bookmark **out, size_t *n);
int sqls_readings_record(struct store *st, const struct reading *r, size_t n);
int sqls_reading_set_later(struct store *st, int64_t user_id, int64_t work_id, bool later);
int sqls_reading_list(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before,
                      int limit, struct reading **out, size_t *n);
int sqls_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
                    int limit, struct inbox_item **out, size_t *n);
int sqls_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read);
int sqls_inbox_mark_all(struct store *st, int64_t user_id);
int sqls_inbox_unread(struct store *st, int64_t user_id, int64_t *count);
int sqls_hits_add(struct store *st, const struct hit_count *h, size_t n);
int sqls_stats_work(struct store *st, struct arena *a, int64_t work_id, int64_t since_day, struct stats_row **rows,
                    size_t *nrows, struct stats_day **days, size_t *ndays);
int sqls_stats_user(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n);
int sqls_chapter_work(struct store *st, int64_t chapter_id, int64_t *work_id);
#endif
