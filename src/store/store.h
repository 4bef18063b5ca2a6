/* The store: one interface (a struct of operations) with SQLite behind it now, PostgreSQL later.
 *
 * Rules every backend keeps:
 *  - Reads use a connection per thread; writes are serialized on one connection.
 *  - Every write operation is one transaction: it commits whole or changes nothing.
 *  - A write is durable when the call returns (a kill -9 afterwards loses nothing).
 *  - Results are allocated in the caller's arena; the store keeps no pointer to them.
 *  - Strings passed in must be valid UTF-8 (callers validate); SQL uses bound parameters only.
 *  - store_generation() grows after every committed write (caches compare it).
 * Nothing here knows about HTTP, pages or templates.
 */
#ifndef QUIRE_STORE_STORE_H
#define QUIRE_STORE_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

/* ---- Accounts ---------------------------------------------------------------------------- */

struct user {
	int64_t id;
	const char *name;    /* unique, case-insensitive */
	const char *email;   /* unique, case-insensitive */
	const char *role;    /* "user", "wrangler", "admin"; "orphan" for the orphan_account */
	const char *pwhash;  /* argon2id encoded string ("" for orphan_account: cannot log in) */
	int64_t created_at;  /* unix seconds */
};

struct api_token {
	int64_t id;
	const char *name;
	int64_t created_at, last_used_at; /* last_used_at 0 = never */
};

/* ---- Works ------------------------------------------------------------------------------- */

/* AO3's tag types; the order is the order of the meta block. */
enum tag_type {
	TAG_RATING,
	TAG_WARNING,
	TAG_CATEGORY,
	TAG_FANDOM,
	TAG_RELATIONSHIP,
	TAG_CHARACTER,
	TAG_FREEFORM,
	TAG_TYPE_COUNT
};

struct strlist {
	const char **items; /* arena memory */
	size_t n;
};

/* A rich text field: what the author typed and its rendered, sanitized HTML. */
struct text {
	const char *src;  /* as typed ("" when empty) */
	const char *html; /* safe HTML rendered from src ("" when empty) */
};

struct creator {
	int64_t user_id;
	const char *name;
	bool accepted; /* co-creator invitations are listed once accepted */
};

struct work {
	int64_t id;
	const char *title;
	struct text summary, notes, end_notes;
	const char *language;      /* e.g. "English" */
	int expected_chapters;     /* 0 = unknown ("?") */
	bool complete, draft, restricted;
	int64_t published_at;      /* when first posted (0 while a draft) */
	int64_t updated_at;        /* last time a chapter was added or changed */
	int64_t created_at;
	int64_t word_count;        /* sum over chapters */
	int chapter_count;         /* number of chapters */
	struct strlist tags[TAG_TYPE_COUNT]; /* in the order given by the author */
	struct creator *creators;  /* first is the owner; includes pending invitations */
	size_t ncreators;
	int64_t series_id;         /* 0 = none */
	const char *series_title;  /* NULL when none */
	int series_position;
	int sanitizer_version;
};

struct chapter {
	int64_t id, work_id;
	int position;              /* 1-based, contiguous within the work */
	const char *title;         /* "" when untitled */
	struct text summary, notes, end_notes;
	const char *content;       /* source as typed */
	const char *content_format;/* "html", "markdown", "text" */
	const char *content_html;  /* sanitized HTML; NULL in chapter lists (not loaded there) */
	int64_t word_count;
	int64_t published_at, updated_at;
	int sanitizer_version;
};

/* Filters for listing works. */
struct work_query {
	int64_t creator_id;       /* 0 = any; else works where this user is an accepted creator */
	int64_t viewer_id;        /* 0 = guest: excludes restricted works */
	bool include_drafts;      /* only honoured together with creator_id == viewer_id */
	int64_t series_id;        /* 0 = any */
	int limit, offset;        /* limit 0 = 20 */
};

struct work_page {
	struct work *items;
	size_t n;
	int64_t total; /* matching works before limit/offset */
};

/* ---- Mail: subscriptions, notification preferences, the outbox, account mail tokens ---------- */

/* What a subscription follows: a work (new chapters), an author (new works), a series (new parts). */
enum sub_kind { SUB_WORK, SUB_USER, SUB_SERIES, SUB_KIND_COUNT };

struct subscription {
	int64_t id, user_id;
	enum sub_kind kind;
	int64_t target_id;     /* work, user or series id */
	const char *title;     /* the work's title, the author's name or the series' title */
	int mail;              /* -1: the account's choice; 0: inbox only; 1: inbox and e-mail */
	int64_t created_at;
};

/* One account's mail settings; an account without a row has the defaults. */
struct mail_settings {
	bool notify_mail;            /* notifications by e-mail too (default true) */
	const char *confirmed_email; /* the address last confirmed by following a link ("" = none) */
};

struct series_info {
	int64_t id, owner_id;
	const char *title, *owner_name;
	int64_t posted_works; /* parts that are not drafts */
};

/* Account mail the application queues (notifications are queued by the store itself, in the
 * transaction of the write that causes them). */
enum outbox_kind {
	OUTBOX_NEW_CHAPTER,     /* store: a chapter was posted to a subscribed work */
	OUTBOX_NEW_WORK,        /* store: a subscribed author posted a work */
	OUTBOX_NEW_SERIES_PART, /* store: a work was posted to a subscribed series */
	OUTBOX_PASSWORD_RESET,  /* to_addr as typed; the account is looked up when the mail is sent */
	OUTBOX_EMAIL_CONFIRM,   /* user_id's address change (or current address) to confirm: to_addr */
	OUTBOX_KIND_COUNT
};

/* A claimed outbox row with everything its mail needs (arena memory). */
struct outbox_item {
	int64_t id;
	enum outbox_kind kind;
	int attempts;               /* including this one */
	int64_t created_at;
	int64_t user_id;            /* 0: no such account (a reset asked for an unknown address) */
	const char *user_name, *user_email;
	const char *to_addr;        /* NULL: the account's current address */
	int64_t subscription_id;
	bool subscription_live;     /* false once the reader unsubscribed */
	int64_t work_id;
	const char *work_title;     /* NULL when the work is gone */
	bool work_posted;
	const char *work_creators;  /* "a, b" */
	int64_t chapter_id;
	int chapter_position;       /* 0 when the chapter is gone */
	const char *chapter_title;
	int64_t series_id;
	const char *series_title;   /* NULL when the series is gone */
};

enum outbox_result { OUTBOX_SENT, OUTBOX_RETRY, OUTBOX_FAILED, OUTBOX_DROPPED };

/* What became of one claimed row. */
struct outbox_done {
	int64_t id;
	enum outbox_result result;
	int64_t next_attempt_at;    /* OUTBOX_RETRY only */
	const char *error;          /* why it was retried, failed or dropped (NULL for sent) */
};

enum mail_token_kind { MAIL_TOKEN_PASSWORD_RESET, MAIL_TOKEN_EMAIL_CONFIRM };

/* ---- The interface ------------------------------------------------------------------------ */

struct store;

struct store_ops {
	int version; /* STORE_OPS_VERSION */
	const char *name;
	void (*close)(struct store *st);
	int (*backup)(struct store *st, const char *path);

	int (*setting_get)(struct store *st, struct arena *a, const char *key, char **value);
	int (*setting_set)(struct store *st, const char *key, const char *value);

	int (*user_create)(struct store *st, const char *name, const char *email, const char *pwhash,
	                   const char *role, int64_t *id);
	int (*user_get)(struct store *st, struct arena *a, int64_t id, struct user *out);
	int (*user_get_by_name)(struct store *st, struct arena *a, const char *name, struct user *out);
	int (*user_get_by_email)(struct store *st, struct arena *a, const char *email, struct user *out);
	int (*user_set_password)(struct store *st, int64_t id, const char *pwhash);
	int (*user_set_role)(struct store *st, int64_t id, const char *role);
	int (*user_delete)(struct store *st, int64_t id, bool orphan_works);
	int (*user_count)(struct store *st, int64_t *count);

	int (*session_create)(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at);
	int (*session_user)(struct store *st, struct arena *a, const char *token_hash, int64_t now,
	                    struct user *out);
	int (*session_delete)(struct store *st, const char *token_hash);
	int (*session_delete_for_user)(struct store *st, int64_t user_id, const char *except_hash);

	int (*token_create)(struct store *st, int64_t user_id, const char *token_hash, const char *name,
	                    int64_t *id);
	int (*token_user)(struct store *st, struct arena *a, const char *token_hash, struct user *out);
	int (*token_list)(struct store *st, struct arena *a, int64_t user_id, struct api_token **out, size_t *n);
	int (*token_revoke)(struct store *st, int64_t user_id, int64_t token_id);

	int (*work_create)(struct store *st, const struct work *w, const struct chapter *first,
	                   int64_t owner_id, int64_t *work_id, int64_t *chapter_id);
	int (*work_update)(struct store *st, const struct work *w);
	int (*work_delete)(struct store *st, int64_t work_id);
	int (*work_get)(struct store *st, struct arena *a, int64_t work_id, struct work *out);
	int (*work_list)(struct store *st, struct arena *a, const struct work_query *q, struct work_page *out);
	int (*work_invite)(struct store *st, int64_t work_id, int64_t user_id);
	int (*work_accept)(struct store *st, int64_t work_id, int64_t user_id);
	int (*invites_for_user)(struct store *st, struct arena *a, int64_t user_id, struct work **out, size_t *n);

	int (*chapter_create)(struct store *st, const struct chapter *c, int64_t *chapter_id);
	int (*chapter_update)(struct store *st, const struct chapter *c);
	int (*chapter_delete)(struct store *st, int64_t work_id, int64_t chapter_id);
	int (*chapter_get)(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id,
	                   struct chapter *out);
	int (*chapter_list)(struct store *st, struct arena *a, int64_t work_id, bool with_content,
	                    struct chapter **out, size_t *n);
	int (*chapter_reorder)(struct store *st, int64_t work_id, const int64_t *ids, size_t n);
	/* ---- mail: subscriptions, notification preferences, outbox, account mail tokens ---- */
	int (*subscription_add)(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail,
	                        int64_t *id);
	int (*subscription_get)(struct store *st, struct arena *a, int64_t id, struct subscription *out);
	int (*subscription_find)(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind,
	                         int64_t target_id, struct subscription *out);
	int (*subscription_list)(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit,
	                         struct subscription **out, size_t *n);
	int (*subscription_set_mail)(struct store *st, int64_t user_id, int64_t id, int mail);
	int (*subscription_delete)(struct store *st, int64_t user_id, int64_t id);
	int (*series_get)(struct store *st, struct arena *a, int64_t id, struct series_info *out);
	int (*mail_settings_get)(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out);
	int (*mail_settings_set_notify)(struct store *st, int64_t user_id, bool notify_mail);
	int (*outbox_add)(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id);
	int (*outbox_claim)(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out,
	                    size_t *n);
	int (*outbox_finish)(struct store *st, const struct outbox_done *done, size_t n, int64_t now);
	int (*outbox_release)(struct store *st);
	int (*outbox_next_due)(struct store *st, int64_t *at);
	int (*outbox_purge)(struct store *st, int64_t before);
	int (*outbox_listen)(struct store *st, void (*fn)(void *arg), void *arg);
	int (*mail_token_create)(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id,
	                         const char *email, int64_t expires_at);
	int (*mail_token_user)(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash,
	                       int64_t now, struct user *out, char **email);
	int (*password_reset)(struct store *st, int64_t user_id, const char *token_hash, int64_t now,
	                      const char *pwhash, int64_t *reset_user_id);
	int (*email_confirm)(struct store *st, const char *token_hash, int64_t now, int64_t *user_id);
};

#define STORE_OPS_VERSION 1

struct store {
	const struct store_ops *ops;
};

/* Opens (creating when missing) the SQLite database at path and applies pending migrations. */
int store_open_sqlite(struct store **out, const char *path);

/* Grows after every committed write; process-wide. */
uint64_t store_generation(void);
void store_bump_generation(void);

/* ---- Thin wrappers: callers use these, never st->ops directly ----------------------------- */
void store_close(struct store *st);
int store_backup(struct store *st, const char *path);
int store_setting_get(struct store *st, struct arena *a, const char *key, char **value);
int store_setting_set(struct store *st, const char *key, const char *value);
int store_user_create(struct store *st, const char *name, const char *email, const char *pwhash,
                      const char *role, int64_t *id);
int store_user_get(struct store *st, struct arena *a, int64_t id, struct user *out);
int store_user_get_by_name(struct store *st, struct arena *a, const char *name, struct user *out);
int store_user_get_by_email(struct store *st, struct arena *a, const char *email, struct user *out);
int store_user_set_password(struct store *st, int64_t id, const char *pwhash);
int store_user_set_role(struct store *st, int64_t id, const char *role);
int store_user_delete(struct store *st, int64_t id, bool orphan_works);
int store_user_count(struct store *st, int64_t *count);
int store_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at);
int store_session_user(struct store *st, struct arena *a, const char *token_hash, int64_t now, struct user *out);
int store_session_delete(struct store *st, const char *token_hash);
int store_session_delete_for_user(struct store *st, int64_t user_id, const char *except_hash);
int store_token_create(struct store *st, int64_t user_id, const char *token_hash, const char *name, int64_t *id);
int store_token_user(struct store *st, struct arena *a, const char *token_hash, struct user *out);
int store_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **out, size_t *n);
int store_token_revoke(struct store *st, int64_t user_id, int64_t token_id);
int store_work_create(struct store *st, const struct work *w, const struct chapter *first, int64_t owner_id,
                      int64_t *work_id, int64_t *chapter_id);
int store_work_update(struct store *st, const struct work *w);
int store_work_delete(struct store *st, int64_t work_id);
int store_work_get(struct store *st, struct arena *a, int64_t work_id, struct work *out);
int store_work_list(struct store *st, struct arena *a, const struct work_query *q, struct work_page *out);
int store_work_invite(struct store *st, int64_t work_id, int64_t user_id);
int store_work_accept(struct store *st, int64_t work_id, int64_t user_id);
int store_invites_for_user(struct store *st, struct arena *a, int64_t user_id, struct work **out, size_t *n);
int store_chapter_create(struct store *st, const struct chapter *c, int64_t *chapter_id);
int store_chapter_update(struct store *st, const struct chapter *c);
int store_chapter_delete(struct store *st, int64_t work_id, int64_t chapter_id);
int store_chapter_get(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, struct chapter *out);
int store_chapter_list(struct store *st, struct arena *a, int64_t work_id, bool with_content,
                       struct chapter **out, size_t *n);
int store_chapter_reorder(struct store *st, int64_t work_id, const int64_t *ids, size_t n);

/* ---- mail: subscriptions, notification preferences, outbox, account mail tokens ------------- */
/* Subscribing twice gives Q_EEXIST (nothing changes); a missing target Q_ENOTFOUND. mail: -1, 0 or 1. */
int store_subscription_add(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail,
                           int64_t *id);
int store_subscription_get(struct store *st, struct arena *a, int64_t id, struct subscription *out);
/* The user's subscription to (kind, target_id), or Q_ENOTFOUND. */
int store_subscription_find(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind,
                            int64_t target_id, struct subscription *out);
/* The user's subscriptions with id > after_id, oldest first, at most limit (1..200). */
int store_subscription_list(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit,
                            struct subscription **out, size_t *n);
/* Q_ENOTFOUND unless subscription id belongs to user_id. */
int store_subscription_set_mail(struct store *st, int64_t user_id, int64_t id, int mail);
int store_subscription_delete(struct store *st, int64_t user_id, int64_t id);
int store_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out);
/* Defaults (notify_mail, no confirmed address) for an account without settings. */
int store_mail_settings_get(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out);
int store_mail_settings_set_notify(struct store *st, int64_t user_id, bool notify_mail);
/* Queues account mail (OUTBOX_PASSWORD_RESET with user_id 0, or OUTBOX_EMAIL_CONFIRM), due now. */
int store_outbox_add(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id);
/* Marks up to max queued rows due at now as being sent (one more attempt each) and returns them, and any
 * rows a previous call claimed and nobody finished. One sender per database. */
int store_outbox_claim(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out,
                       size_t *n);
/* Records what became of claimed rows, in one transaction. */
int store_outbox_finish(struct store *st, const struct outbox_done *done, size_t n, int64_t now);
/* Puts rows claimed by a sender that stopped back in the queue, due at once (start-up). */
int store_outbox_release(struct store *st);
/* When the earliest queued row is due; Q_ENOTFOUND when nothing is queued. */
int store_outbox_next_due(struct store *st, int64_t *at);
/* Deletes sent, failed and dropped rows finished before `before`. */
int store_outbox_purge(struct store *st, int64_t before);
/* fn(arg) runs (inside the writing transaction, on the writer's thread) whenever outbox rows are added;
 * it must be quick and must not call the store. NULL fn stops it. */
int store_outbox_listen(struct store *st, void (*fn)(void *arg), void *arg);
/* Stores a single-use link token (its hash) for user_id and the address it was sent to. */
int store_mail_token_create(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id,
                            const char *email, int64_t expires_at);
/* The account of an unexpired token and the address it was sent to; Q_ENOTFOUND otherwise. */
int store_mail_token_user(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash,
                          int64_t now, struct user *out, char **email);
/* Sets a new password and ends every session and reset link of the account, in one transaction: the
 * account of an unexpired reset token_hash (used up), or user_id when token_hash is NULL. */
int store_password_reset(struct store *st, int64_t user_id, const char *token_hash, int64_t now,
                         const char *pwhash, int64_t *reset_user_id);
/* Follows an e-mail confirmation link: the account's address becomes the token's (Q_EEXIST when another
 * account took it meanwhile) and counts as confirmed; the token is used up. */
int store_email_confirm(struct store *st, const char *token_hash, int64_t now, int64_t *user_id);

/* Name of a tag type in the JSON API and forms: "rating", "warnings", "categories", "fandoms",
 * "relationships", "characters", "freeforms" (a public contract: do not rename). */
const char *tag_type_key(enum tag_type t);
#endif
