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

/* ---- Finding works: tags and wrangling, listings with filters and facets, text search ------ */

/* A tag as the tag pages, wrangling and autocomplete show it. */
struct tag {
	int64_t id;
	enum tag_type type;
	const char *name;
	bool canonical;
	bool wrangled;             /* canonical, a synonym, or given a fandom: not in the wrangling queue */
	bool lookalike;            /* mixes scripts, or looks like another tag of its type (wranglers check) */
	int64_t merger_id;         /* the canonical tag this one is a synonym of; 0 = none */
	const char *merger_name;   /* NULL when none */
	const char *media;         /* fandoms: the medium ("" = uncategorized) */
	int64_t works_count;       /* posted works filtered under it (synonyms count 0: see the canonical) */
	int64_t public_count;      /* the same without members-only works (what guests can see) */
	int64_t created_at;
	const char *lookalike_of;  /* queue: names of tags it looks like, comma-separated; NULL when none */
};

/* A tag with its relations, for its page and its wrangling form. Lists are arena arrays. */
struct tag_detail {
	struct tag tag;
	struct tag *fandoms, *children, *metas, *subs, *synonyms, *lookalikes;
	size_t nfandoms, nchildren, nmetas, nsubs, nsynonyms, nlookalikes;
};

/* A wrangler's changes to one tag; every field may be left alone. Fields apply in this order. */
struct tag_wrangle {
	int64_t tag_id;
	const char *synonym_of;          /* NULL = leave; "" = not a synonym; else a canonical tag of the same type */
	int canonical;                   /* -1 = leave, 0 = not canonical, 1 = canonical */
	const struct strlist *fandoms;   /* NULL = leave; else every fandom of a character, relationship or freeform */
	const struct strlist *metas;     /* NULL = leave; else every meta tag (canonical, same type) */
	const char *media;               /* NULL = leave; fandoms only */
};

/* A tag named in a filter: type -1 = a tag of any type with that name. */
struct tag_ref {
	int type;
	const char *name;
};

/* Works must have at least one of a group's tags (ratings: "Teen or Mature"); every group must match. */
struct tag_group {
	const struct tag_ref *refs;
	size_t n;
};

enum listing_sort {
	LISTING_UPDATED,
	LISTING_PUBLISHED,
	LISTING_KUDOS,
	LISTING_HITS,
	LISTING_COMMENTS,
	LISTING_BOOKMARKS,
	LISTING_WORDS,
	LISTING_TITLE,
	LISTING_CREATOR,
	LISTING_RELEVANCE, /* best text match first; only with a text search (else updated) */
	LISTING_SERIES,    /* series order; only with series_id (else updated) */
};

/* One listing: everything the filter sidebar, the JSON API and the author, tag and series pages ask. */
struct listing_query {
	int64_t viewer_id;          /* 0 = guest: members-only works are left out */
	int64_t creator_id;         /* 0 = any; else works this user is an accepted creator of */
	bool include_drafts;        /* with creator_id == viewer_id only: the author's own drafts too */
	int64_t series_id;          /* 0 = any */
	const struct tag_group *include;
	size_t ninclude;
	const struct tag_ref *exclude;
	size_t nexclude;
	int complete;               /* -1 any, 0 in progress, 1 complete */
	int crossover;              /* -1 any, 0 no crossovers, 1 crossovers only */
	int64_t words_from, words_to;     /* inclusive; 0 = open */
	int64_t updated_from, updated_to; /* unix seconds, inclusive; 0 = open */
	const char *language;       /* NULL or "" = any */
	const char *text_match;     /* an FTS5 expression every matching document satisfies; NULL = none */
	const char *text_exclude;   /* an FTS5 expression no document of a matching work satisfies; NULL = none */
	enum listing_sort sort;
	int page;                   /* 1-based; at most LISTING_MAX_PAGES */
	int per_page;               /* 1..100; 0 = 20 */
	bool facets;                /* also count tags among the results */
};

#define LISTING_MAX_PAGES 5000
/* Filtered listings count their results up to this many ("10,000+"; text searches up to 200,000), and
 * facets count tags among that many; unfiltered and single-tag listings are counted exactly from
 * maintained counters. */
#define LISTING_COUNT_CAP 10000
/* Snippets mark matched words with these bytes (escape the text, then replace them). */
#define LISTING_MARK_OPEN '\x01'
#define LISTING_MARK_CLOSE '\x02'

struct facet {
	int64_t tag_id;
	enum tag_type type;
	const char *name;
	int64_t count;
};

struct listing_result {
	struct work *items;
	size_t n;
	const char **snippets;      /* with a text search: per item, text around a match (marked), or NULL */
	int64_t total;              /* matching works (a lower bound when total_capped) */
	bool total_capped;          /* there are more than total */
	struct facet *facets;       /* top tags per type among the results, most frequent first */
	size_t nfacets;
	bool facets_sampled;        /* counted among the first LISTING_COUNT_CAP results only */
	bool unknown_tag;           /* an included tag does not exist: nothing can match */
};

/* A fandom in the directory. */
struct media_entry {
	const char *media;          /* "" = uncategorized */
	int64_t fandoms;            /* how many fandoms it has */
	struct tag *top;            /* its biggest fandoms */
	size_t ntop;
};

struct series_info {
	int64_t id;
	const char *title;
	int64_t owner_id;
	const char *owner_name;
};

/* The visible works before and after one in its series (0 ids when none). */
struct series_neighbors {
	int64_t series_id;
	const char *series_title;
	int position;
	int64_t prev_id, next_id;
	const char *prev_title, *next_title;
};

/* A fandom with unwrangled tags. */
struct queue_fandom {
	int64_t fandom_id;          /* 0 = tags not seen with any fandom (fandoms themselves, and strays) */
	const char *name;
	int64_t count;
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

	/* ---- Finding works (tags, wrangling, listings, search) ---- */
	int (*tag_find)(struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n);
	int (*tag_detail)(struct store *st, struct arena *a, int64_t id, struct tag_detail *out);
	int (*tag_autocomplete)(struct store *st, struct arena *a, int type, const char *match, int limit,
	                        struct tag **out, size_t *n);
	int (*tag_wrangle)(struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why);
	int (*wrangling_fandoms)(struct store *st, struct arena *a, struct queue_fandom **out, size_t *n);
	int (*wrangling_queue)(struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset,
	                       struct tag **out, size_t *n);
	int (*media_directory)(struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top,
	                       bool member, struct media_entry **out);
	int (*media_fandoms)(struct store *st, struct arena *a, const char *media, int limit, int offset,
	                     struct tag **out, size_t *n, int64_t *total);
	int (*work_find)(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out);
	int (*series_get)(struct store *st, struct arena *a, int64_t id, struct series_info *out);
	int (*series_neighbors)(struct store *st, struct arena *a, int64_t work_id, bool member,
	                        struct series_neighbors *out);
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

/* ---- Finding works (tags, wrangling, listings, search) ---- */
/* Every tag whose name folds like name (any type), fandoms first, then relationships, characters,
 * freeforms, ratings, warnings, categories. *n = 0 when none. */
int store_tag_find(struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n);
/* A tag with its fandoms, the characters/relationships/freeforms under it (a fandom's biggest 100), its
 * meta and sub tags, synonyms and look-alikes. Q_ENOTFOUND when missing. */
int store_tag_detail(struct store *st, struct arena *a, int64_t id, struct tag_detail *out);
/* Up to limit tags (type < 0: any) whose words start with the words of match (an FTS5 prefix expression
 * built by the caller from user input), most used first. */
int store_tag_autocomplete(struct store *st, struct arena *a, int type, const char *match, int limit,
                           struct tag **out, size_t *n);
/* Applies a wrangler's changes in one transaction, refreshing the filters and search text of every work
 * they touch. Refusals (Q_EINVAL, nothing changed) come with *why, a sentence naming the tags: merging into
 * a tag that is itself a synonym or not canonical, a meta tag cycle, unknown tags, wrong types. */
int store_tag_wrangle(struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why);
/* Fandoms with unwrangled tags, most first (at most 200), and the unwrangled tags seen with one fandom
 * (fandom_id 0: with none), newest first. */
int store_wrangling_fandoms(struct store *st, struct arena *a, struct queue_fandom **out, size_t *n);
int store_wrangling_queue(struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset,
                          struct tag **out, size_t *n);
/* For each of media (in that order; "" = uncategorized): its fandom count and top biggest fandoms. */
int store_media_directory(struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top,
                          bool member, struct media_entry **out);
/* A medium's fandoms, biggest first, with how many there are. */
int store_media_fandoms(struct store *st, struct arena *a, const char *media, int limit, int offset,
                        struct tag **out, size_t *n, int64_t *total);
/* Lists works (see struct listing_query). Tags are matched through their canonical tags, synonyms and
 * meta tags; unknown excluded tags are ignored. Q_EINVAL for a page past LISTING_MAX_PAGES. */
int store_work_find(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out);
int store_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out);
int store_series_neighbors(struct store *st, struct arena *a, int64_t work_id, bool member,
                           struct series_neighbors *out);

/* Name of a tag type in the JSON API and forms: "rating", "warnings", "categories", "fandoms",
 * "relationships", "characters", "freeforms" (a public contract: do not rename). */
const char *tag_type_key(enum tag_type t);
#endif
