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

	/* Look-alike names (the archive layer computes skeletons with ICU) and leaving a work. */
	int (*user_set_skeleton)(struct store *st, int64_t id, const char *skeleton);
	int (*user_get_by_skeleton)(struct store *st, struct arena *a, const char *skeleton, struct user *out);
	int (*users_without_skeleton)(struct store *st, struct arena *a, int limit, struct user **out, size_t *n);
	int (*work_creator_remove)(struct store *st, int64_t work_id, int64_t user_id);
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
/* The confusable skeleton of a user's name (users.skeleton); Q_ENOTFOUND for no such user. */
int store_user_set_skeleton(struct store *st, int64_t id, const char *skeleton);
/* A user whose name has this skeleton (the lowest id when several do); Q_ENOTFOUND when none. */
int store_user_get_by_skeleton(struct store *st, struct arena *a, const char *skeleton, struct user *out);
/* Up to limit users whose skeleton is not set yet (accounts made before it was kept), lowest id first. */
int store_users_without_skeleton(struct store *st, struct arena *a, int limit, struct user **out, size_t *n);
/* Removes user_id from the work's creators; when it was the owner, the next accepted co-creator becomes the
 * owner. Q_ENOTFOUND when the user is not on the work; Q_EINVAL when nobody accepted would be left. */
int store_work_creator_remove(struct store *st, int64_t work_id, int64_t user_id);

/* Name of a tag type in the JSON API and forms: "rating", "warnings", "categories", "fandoms",
 * "relationships", "characters", "freeforms" (a public contract: do not rename). */
const char *tag_type_key(enum tag_type t);
#endif
