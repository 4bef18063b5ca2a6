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
/* ---- mail: subscriptions, notification preferences, outbox, account mail tokens ---- */
/* Like sqls_wr_end, without growing the store generation: for bookkeeping no page shows (the outbox),
 * so sending mail does not empty the page cache. */
int sqls_wr_end_quiet(struct sqls *s, struct sqls_conn *c, int rc);
int sqls_subscription_add(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail,
                          int64_t *id);
int sqls_subscription_get(struct store *st, struct arena *a, int64_t id, struct subscription *out);
int sqls_subscription_find(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind,
                           int64_t target_id, struct subscription *out);
int sqls_subscription_list(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit,
                           struct subscription **out, size_t *n);
int sqls_subscription_set_mail(struct store *st, int64_t user_id, int64_t id, int mail);
int sqls_subscription_delete(struct store *st, int64_t user_id, int64_t id);
int sqls_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out);
int sqls_mail_settings_get(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out);
int sqls_mail_settings_set_notify(struct store *st, int64_t user_id, bool notify_mail);
int sqls_outbox_add(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id);
int sqls_outbox_claim(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out,
                      size_t *n);
int sqls_outbox_finish(struct store *st, const struct outbox_done *done, size_t n, int64_t now);
int sqls_outbox_release(struct store *st);
int sqls_outbox_next_due(struct store *st, int64_t *at);
int sqls_outbox_purge(struct store *st, int64_t before);
int sqls_outbox_listen(struct store *st, void (*fn)(void *arg), void *arg);
int sqls_mail_token_create(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id,
                           const char *email, int64_t expires_at);
int sqls_mail_token_user(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash,
                         int64_t now, struct user *out, char **email);
int sqls_password_reset(struct store *st, int64_t user_id, const char *token_hash, int64_t now,
                        const char *pwhash, int64_t *reset_user_id);
int sqls_email_confirm(struct store *st, const char *token_hash, int64_t now, int64_t *user_id);
#endif
