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

/* ---- The reader's response: comments, kudos, bookmarks, reading history, inbox, statistics ---- */

enum comment_state {
	COMMENT_SHOWN = 0,   /* visible to everyone who may read the work */
	COMMENT_PENDING = 1, /* moderated work: waits for a creator's approval */
	COMMENT_HIDDEN = 2,  /* hidden by a creator: only creators (and admins) see it */
	COMMENT_DELETED = 3, /* its text is gone; kept as a placeholder while replies hang below it */
};

/* Who may comment on a work (works.comment_policy). */
enum comment_policy { COMMENTS_EVERYONE = 0, COMMENTS_REGISTERED = 1, COMMENTS_NOBODY = 2 };

struct comment {
	int64_t id, work_id;
	int64_t chapter_id;        /* 0: a comment on the whole work */
	int64_t parent_id;         /* 0: starts a thread */
	int64_t root_id;           /* the thread's first comment (its own id when it starts one) */
	int depth;                 /* 0 for a thread's first comment */
	int64_t user_id;           /* 0: a guest, or an account since deleted */
	const char *user_name;     /* the account's name; NULL for guests */
	const char *guest_name;    /* guests only */
	const char *guest_email;   /* guests only; written, never read back (it is never shown) */
	struct text body;          /* as typed and sanitized ("" once deleted) */
	int state;                 /* enum comment_state */
	bool frozen;               /* no replies below it */
	bool by_creator;           /* written by one of the work's creators */
	int64_t created_at, edited_at; /* edited_at 0: never edited */
	int sanitizer_version;
};

/* Counts and comment settings of a work and, when asked, one of its chapters. */
struct response_counts {
	int64_t work_kudos, work_kudos_guests, work_hits, work_comments, work_bookmarks;
	int64_t chapter_kudos, chapter_kudos_guests, chapter_hits, chapter_comments;
	int comment_policy;        /* enum comment_policy */
	bool moderated;
};

struct bookmark {
	int64_t id, user_id, work_id;
	const char *user_name;     /* the bookmarker (read only) */
	const char *work_title;    /* read only */
	const char *work_creator;  /* the work's owner's name (read only) */
	bool work_draft, work_restricted; /* read only: for the visibility rule */
	struct text notes;
	const char *tags;          /* comma-separated, as validated */
	bool private_, rec;
	int64_t created_at, updated_at;
};

/* A reader's history row: the last chapter read of a work, and "marked for later". */
struct reading {
	int64_t user_id, work_id, chapter_id; /* chapter_id 0: unknown or since deleted */
	int64_t read_at;           /* 0: never opened (only marked for later) */
	int64_t views;
	bool later;
	const char *work_title;    /* read only */
	const char *work_creator;  /* read only */
	int chapter_position;      /* read only; 0 when unknown */
	bool work_draft, work_restricted; /* read only */
};

/* One inbox message: a comment on the reader's work (kind 0) or a reply to their comment (kind 1). */
struct inbox_item {
	int64_t id;
	int kind;
	bool read;
	int64_t created_at;
	struct comment comment;    /* the comment that caused it (user_name/guest_name filled) */
	const char *work_title;
};

/* Hits counted in memory and written in batches: add these to the counters of day. */
struct hit_count {
	int64_t work_id, chapter_id; /* chapter_id 0: a hit on the work as a whole */
	int64_t day;                 /* days since 1970-01-01 UTC */
	int64_t hits;
};

/* One day's numbers for a work (chapter_id 0) or a chapter. */
struct stats_day {
	int64_t chapter_id, day, hits, kudos, comments, bookmarks;
};

/* Totals of one work or chapter for the statistics pages. */
struct stats_row {
	int64_t work_id, chapter_id;
	const char *title;         /* work title, or chapter title ("" when untitled) */
	int position;              /* chapters: 1-based */
	int64_t hits, kudos, comments, bookmarks, words;
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

	/* ---- The reader's response (store_response_* below says what each does) ---- */
	int (*response_counts)(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out);
	int (*response_settings_set)(struct store *st, int64_t work_id, int policy, bool moderated);
	int (*comment_create)(struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify,
	                      bool notify_parent, int64_t *id);
	int (*comment_get)(struct store *st, struct arena *a, int64_t id, struct comment *out);
	int (*comment_list)(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id,
	                    int64_t after_root, int threads, struct comment **out, size_t *n, int64_t *next_root);
	int (*comment_edit)(struct store *st, int64_t id, const struct text *body, int sanitizer_version);
	int (*comment_set_state)(struct store *st, int64_t id, int state);
	int (*comment_freeze)(struct store *st, int64_t id, bool frozen);
	int (*kudos_add)(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id,
	                 const char *guest_hash);
	int (*kudos_names)(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit,
	                   const char ***names, size_t *n);
	int (*bookmark_create)(struct store *st, const struct bookmark *b, int64_t *id);
	int (*bookmark_update)(struct store *st, const struct bookmark *b);
	int (*bookmark_delete)(struct store *st, int64_t user_id, int64_t id);
	int (*bookmark_get)(struct store *st, struct arena *a, int64_t id, struct bookmark *out);
	int (*bookmark_find)(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out);
	int (*bookmark_list)(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id,
	                     int limit, struct bookmark **out, size_t *n);
	int (*readings_record)(struct store *st, const struct reading *r, size_t n);
	int (*reading_set_later)(struct store *st, int64_t user_id, int64_t work_id, bool later);
	int (*reading_list)(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before,
	                    int limit, struct reading **out, size_t *n);
	int (*inbox_list)(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
	                  int limit, struct inbox_item **out, size_t *n);
	int (*inbox_mark)(struct store *st, int64_t user_id, int64_t id, bool read);
	int (*inbox_mark_all)(struct store *st, int64_t user_id);
	int (*inbox_unread)(struct store *st, int64_t user_id, int64_t *count);
	int (*hits_add)(struct store *st, const struct hit_count *h, size_t n);
	int (*stats_work)(struct store *st, struct arena *a, int64_t work_id, int64_t since_day,
	                  struct stats_row **rows, size_t *nrows, struct stats_day **days, size_t *ndays);
	int (*stats_user)(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n);
	int (*chapter_work)(struct store *st, int64_t chapter_id, int64_t *work_id);
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

/* ---- The reader's response ------------------------------------------------------------------
 * These writes commit through group commit (concurrent writers share one transaction and one fsync,
 * each in a savepoint of its own) and are durable when the call returns. They do NOT bump
 * store_generation: a kudos, a hit or a comment must not empty every cached page. They call
 * store_response_changed() instead, and cached guest pages follow within STORE_RESPONSE_STALE_MAX
 * seconds (store_response_epoch). Hook for dependency invalidation: a per-work change event belongs in
 * store_response_changed (the work id is passed for that). */
#define STORE_RESPONSE_STALE_MAX 60
void store_response_changed(int64_t work_id);
/* A number that grows at most once per STORE_RESPONSE_STALE_MAX seconds, and only after a response
 * write: a cache adds it to store_generation so counts and comments on cached pages are never older. */
uint64_t store_response_epoch(int64_t now);

/* The counts and comment settings of work_id (and of chapter_id when not 0). Q_ENOTFOUND when missing. */
int store_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out);
/* Sets who may comment (enum comment_policy) and moderation. A normal write: pages change with it. */
int store_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated);
/* Adds a comment (id, root_id, depth, created_at are the store's). A reply's parent must be a shown,
 * unfrozen comment on the same work and chapter (else Q_EPERM; missing: Q_ENOTFOUND). The users in
 * notify get an inbox message (kind 0); with notify_parent, so does the parent's writer (kind 1) when
 * they have an account, are not the writer and are not in notify. Counts follow. */
int store_comment_create(struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify,
                         bool notify_parent, int64_t *id);
int store_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out);
/* The comments of up to `threads` threads on a chapter (chapter_id 0: on the whole work), threads after
 * after_root in order of their first comment, each thread's comments by id, every state included (the
 * rules decide what a reader sees). *next_root is the last thread's root when more may follow, else 0. */
int store_comment_list(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after_root,
                       int threads, struct comment **out, size_t *n, int64_t *next_root);
/* Replaces a comment's text and marks it edited (not a deleted one: Q_EPERM). */
int store_comment_edit(struct store *st, int64_t id, const struct text *body, int sanitizer_version);
/* Moves a comment to state. Deleting drops its text and guest address. Approving a pending reply tells
 * the parent's writer (inbox kind 1). */
int store_comment_set_state(struct store *st, int64_t id, int state);
/* Freezes (or thaws) a comment and every reply below it. */
int store_comment_freeze(struct store *st, int64_t id, bool frozen);
/* Kudos from an account (user_id) or a guest (guest_hash: a keyed hash of the address, never the
 * address) on a work (chapter_id 0) or a chapter. Q_EEXIST the second time; nothing changes then. */
int store_kudos_add(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, const char *guest_hash);
/* The names of accounts that left kudos, newest first, at most limit. */
int store_kudos_names(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit,
                      const char ***names, size_t *n);
/* One bookmark per reader and work: Q_EEXIST for a second. */
int store_bookmark_create(struct store *st, const struct bookmark *b, int64_t *id);
/* Updates notes, tags, private and rec of bookmark b->id owned by b->user_id (else Q_ENOTFOUND). */
int store_bookmark_update(struct store *st, const struct bookmark *b);
int store_bookmark_delete(struct store *st, int64_t user_id, int64_t id);
int store_bookmark_get(struct store *st, struct arena *a, int64_t id, struct bookmark *out);
int store_bookmark_find(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out);
/* A reader's bookmarks, newest first, ids below before_id (0: from the newest); private ones only with
 * with_private. */
int store_bookmark_list(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id,
                        int limit, struct bookmark **out, size_t *n);
/* Records chapter views (user, work, chapter, read_at; views added) in one batch. */
int store_readings_record(struct store *st, const struct reading *r, size_t n);
int store_reading_set_later(struct store *st, int64_t user_id, int64_t work_id, bool later);
/* History newest first (read_at below before; 0: from the newest), or only the works marked for later. */
int store_reading_list(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before,
                       int limit, struct reading **out, size_t *n);
/* Newest first, ids below before_id (0: from the newest). */
int store_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
                     int limit, struct inbox_item **out, size_t *n);
int store_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read);
int store_inbox_mark_all(struct store *st, int64_t user_id);
int store_inbox_unread(struct store *st, int64_t user_id, int64_t *count);
/* Adds counted hits to the works, chapters and daily rows (one batch; rows of deleted works are skipped). */
int store_hits_add(struct store *st, const struct hit_count *h, size_t n);
/* A work's totals (rows[0] the work, then its chapters in order) and its daily rows since since_day. */
int store_stats_work(struct store *st, struct arena *a, int64_t work_id, int64_t since_day, struct stats_row **rows,
                     size_t *nrows, struct stats_day **days, size_t *ndays);
/* Totals of every work the user is an accepted creator of, newest first. */
int store_stats_user(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n);
/* The work a chapter belongs to (the API names chapters by id alone). Q_ENOTFOUND when there is none. */
int store_chapter_work(struct store *st, int64_t chapter_id, int64_t *work_id);

/* Name of a tag type in the JSON API and forms: "rating", "warnings", "categories", "fandoms",
 * "relationships", "characters", "freeforms" (a public contract: do not rename). */
const char *tag_type_key(enum tag_type t);
#endif
