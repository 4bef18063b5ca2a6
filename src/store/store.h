/* The store: one interface (a struct of operations, store_ops.h) with a backend behind it: SQLite
 * (src/store/sqlite/) or PostgreSQL (src/store/pg/). Callers never learn which: where backends differ in
 * what they can do, each says so in its capability flags (store_has).
 *
 * What every backend guarantees:
 *  - Any thread may call any operation at any time; concurrent calls are safe, and a reader never waits
 *    for a writer's commit to see the state before it.
 *  - Every write operation is one transaction: it commits whole or changes nothing, unless the calling
 *    thread opened a workflow transaction (store_tx_begin): then it joins that one.
 *  - A write is durable when the call returns (a kill -9, or the loss of the machine's power, afterwards
 *    loses nothing).
 *  - A read operation sees one consistent state (never half of another thread's transaction); the reads of
 *    one request share one snapshot (store_snapshot_begin); reads inside a workflow transaction see its
 *    own writes.
 *  - Results are allocated in the caller's arena; the store keeps no pointer to them.
 *  - Strings passed in must be valid UTF-8 (callers validate); values reach the database as bound
 *    parameters only, never as SQL text.
 *  - Text search arrives as parsed terms (search/terms.h), never as a backend's query syntax: each backend
 *    builds its own (FTS5 expressions, tsquery) and returns the same works for the same terms.
 *  - After a commit, the store's subscribers hear what it changed (store_subscribe); with STORE_CAP_NOTIFY
 *    they also hear what other processes sharing the store committed.
 * Nothing here knows about HTTP, pages or templates.
 */
#ifndef QUIRE_STORE_STORE_H
#define QUIRE_STORE_STORE_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "search/terms.h"
#include "store/store_admin.h"
#include "store/store_ops.h"

/* ---- Accounts ---------------------------------------------------------------------------- */

struct user {
	int64_t id;
	const char *name;    /* unique, case-insensitive */
	const char *email;   /* unique, case-insensitive */
	const char *role;    /* "user", "wrangler", "admin"; "orphan" for the orphan_account */
	const char *pwhash;  /* argon2id encoded string ("" for orphan_account: cannot log in) */
	int64_t created_at;  /* unix seconds */
	int64_t inbox_unread; /* unread inbox messages: filled by session_user only (0 elsewhere) */
	int64_t policy_accepted; /* the version of the site's terms last accepted: filled by session_user only */
};

/* A word the writer's check remembers (writing_word_set / writing_words_list): for one work (work_id, any of
 * its creators) or for all of a writer's works (work_id 0, user_id). kind: WRITING_WORD_NAME (never a
 * mistake), WRITING_WORD_DISMISSED (a suggestion's key, never shown again), WRITING_WORD_VARIANT (the
 * dictionary the writer picked: "en_GB"; one per scope). word_set adds (0 when there; a variant replaces
 * the scope's old one; Q_ETOOBIG past max words of that scope) or removes (0 when absent; removing a variant
 * removes the scope's, whatever word is given). words_list reads
 * the work's and the writer's, at most limit, in no promised order. */
enum { WRITING_WORD_NAME = 1, WRITING_WORD_DISMISSED = 2, WRITING_WORD_VARIANT = 3 };
struct writing_word {
	int64_t work_id; /* 0: all the writer's works */
	int kind;
	const char *word;
};

/* A reader's private suggestion on a passage of a chapter: the passage (quote, with up to
 * SUGGESTION_CONTEXT_MAX characters of text before and after it, to find it again after edits), a
 * replacement and/or a note, and the writer's answer. suggestion_create refuses Q_EBUSY when the user made
 * max_since suggestions since that time, Q_ETOOBIG when they have max_open open ones on the chapter; in the
 * same transaction each accepted creator of the work gets an unread inbox message (kind "suggestion").
 * suggestion_set_state changes one in from_state to state, with the reply when not NULL; Q_ENOTFOUND when
 * there is none in from_state (answered meanwhile). With it the creators' messages about it are read, and
 * its reader gets an unread message from by (a creator) when it is accepted ("suggestion_accepted") or
 * answered with a reply ("suggestion_answered", the reply its text); a dismissal tells nobody. A
 * suggestion's messages go with it. suggestions_list reads newest first, by chapter (and optionally one
 * reader), by reader, or by a creator's works: every shape walks an index, never the whole table. */
enum { SUGGESTION_OPEN = 0, SUGGESTION_ACCEPTED = 1, SUGGESTION_DISMISSED = 2 };
#define SUGGESTION_CONTEXT_MAX 64
struct reader_suggestion {
	int64_t id, work_id, chapter_id, user_id;
	const char *user_name;      /* NULL when read by suggestion_create's caller */
	const char *quote, *prefix, *suffix;
	const char *replacement, *note, *reply; /* NULL when none */
	int state;
	int64_t created_at, updated_at;
	int chapter_position;       /* read by lists and get */
	const char *work_title;
};
struct suggestion_query {
	int64_t chapter_id;         /* 0: any */
	int64_t user_id;            /* 0: any; else only this reader's */
	int64_t creator_id;         /* 0: any; else only on works this user is an accepted creator of */
	int state;                  /* -1: any */
	int64_t before_id;          /* 0: from the newest */
	int limit;                  /* 0: 50 */
};

/* One user blocked by another (store_user_blocks_list). */
struct user_block {
	int64_t user_id;    /* the blocked user */
	const char *name;
	int64_t created_at; /* when they were blocked */
};

/* Blocks (store_ops.h): user_block_set(blocker, blocked, on, max) adds (Q_ETOOBIG once the blocker has max
 * blocks; 0 when already there) or removes one (0 when there was none); user_blocks_list lists a blocker's
 * newest first; user_blocked_by(user, work, other, &by) says whether other (0: nobody) or an accepted
 * creator of work (0: none) blocked user, other winning. Blocks change no page anyone else sees: they emit
 * nothing into the change feed. */
enum block_by { BLOCKED_BY_NOBODY = 0, BLOCKED_BY_CREATOR = 1, BLOCKED_BY_USER = 2 };

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
	/* Moderators hid it (its creators and moderators see it, marked), or deleted it (moderators only, and it
	 * can be restored). Both count as unposted everywhere: listings, counts, search, feeds. */
	bool hidden, removed;
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
	/* Public response counts, as on AO3's blurbs: kudos, hits, visible comments, public bookmarks. */
	int64_t kudos_count, hits_count, comments_count, bookmarks_count;
	/* In a collection (store_collections.h) that hides its creators (shown as Anonymous to others) or its works
	 * (unrevealed: seen by their creators and the collection's moderators only); kept by the store. */
	bool anonymous, unrevealed;
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

/* Where an imported work was posted first, and who is credited there (text and links, never accounts). */
struct work_credit {
	const char *name;
	const char *url; /* "" when none */
};

struct work_source {
	const char *site;                /* "AO3", an old archive's name; "" when not known */
	const char *url;                 /* the work's address there; "" when not known */
	const struct work_credit *creators;
	size_t ncreators;
	int64_t imported_at;
};
#define WORK_SOURCE_CREATORS_MAX 20

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
	LISTING_RELEVANCE, /* best text match first; only with a text search's match terms (else updated) */
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
	const int64_t *exclude_creators; /* works any of these accounts is a creator of are left out (a reader's mutes) */
	size_t nexclude_creators;
	int complete;               /* -1 any, 0 in progress, 1 complete */
	int crossover;              /* -1 any, 0 no crossovers, 1 crossovers only */
	int64_t words_from, words_to;     /* inclusive; 0 = open */
	int64_t updated_from, updated_to; /* unix seconds, inclusive; 0 = open */
	const char *language;       /* NULL or "" = any */
	struct search_terms text;   /* a text search (search/terms.h); no terms = none */
	enum listing_sort sort;
	int page;                   /* 1-based; at most LISTING_MAX_PAGES */
	int per_page;               /* 1..100; 0 = 20 */
	bool facets;                /* also count tags among the results */
	/* Works in this collection or its subcollections, approved on both sides (0 = any). Works not yet revealed
	 * are left out unless with_unrevealed (the collection's moderators), or the listing is the viewer's own
	 * (creator_id == viewer_id); another's listing of a creator leaves out their anonymous works. */
	int64_t collection_id;
	bool with_unrevealed;
	bool hide_anonymous;        /* leave out anonymous works (a series' listing, but for its owner) */
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
	OUTBOX_NOTICE,          /* 5, text written when queued (store_notice_add): to to_addr, else user_id's address */
	OUTBOX_COCREATOR_INVITE, /* 6, store: user_id was invited to co-create work_id */
	OUTBOX_GIFT,            /* 7, store: work_id, a gift to user_id, can be seen (posted, or revealed) */
	OUTBOX_ASSIGNMENT,      /* 8, store: ref_id, an assignment sent (or handed over) to user_id */
	OUTBOX_ACCOUNT_CLAIM,   /* 9, imports: a link to claim an account moved from an old archive; to_addr as typed,
	                         * the account looked up when the mail is sent (and only one never claimed gets it) */
	OUTBOX_KIND_COUNT
};
/* Triggers and statements write these kinds as numbers (both backends' schemas): they never move. */
_Static_assert(OUTBOX_NOTICE == 5 && OUTBOX_COCREATOR_INVITE == 6 && OUTBOX_GIFT == 7 && OUTBOX_ASSIGNMENT == 8,
               "outbox kinds are stored as numbers");

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
	bool gift_live;             /* OUTBOX_GIFT: the work still names user_id as a recipient who did not refuse */
	int64_t ref_id;             /* what other kinds are about (an assignment, ...); 0 when none */
	const char *notice_subject, *notice_body; /* OUTBOX_NOTICE: the mail as written */
	bool invite_pending;        /* OUTBOX_COCREATOR_INVITE: still invited (not accepted, not withdrawn) */
};

enum outbox_result { OUTBOX_SENT, OUTBOX_RETRY, OUTBOX_FAILED, OUTBOX_DROPPED };

/* Claimed rows are the claiming store's (its server's) for OUTBOX_LEASE_SECONDS, renewed by each
 * outbox_finish: longer than sending one mail can take (the relay's timeouts: 70 s), so a sender that records
 * each mail as it goes never loses its claims while it lives. A sender that dies loses them when the lease
 * runs out (PostgreSQL: at once, when its connection goes), and they are claimed again. */
#define OUTBOX_LEASE_SECONDS 300

/* What became of one claimed row. */
struct outbox_done {
	int64_t id;
	enum outbox_result result;
	int64_t next_attempt_at;    /* OUTBOX_RETRY only */
	const char *error;          /* why it was retried, failed or dropped (NULL for sent) */
};

enum mail_token_kind { MAIL_TOKEN_PASSWORD_RESET, MAIL_TOKEN_EMAIL_CONFIRM };

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
	bool locked;               /* moderators locked the work's comments (store_work_comments_lock) */
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

/* What an inbox message is about. The inbox is shared with mail's notifications, which the store writes in
 * the transaction of the write that causes them (kinds new_chapter, new_work and new_series_part); comments
 * write comment and reply. */
enum inbox_kind {
	INBOX_COMMENT,         /* "comment": a comment on one of the reader's works */
	INBOX_REPLY,           /* "reply": a reply to the reader's comment */
	INBOX_NEW_CHAPTER,     /* "new_chapter": a chapter posted to a subscribed work */
	INBOX_NEW_WORK,        /* "new_work": a subscribed author posted a work */
	INBOX_NEW_SERIES_PART, /* "new_series_part": a work posted to a subscribed series */
	INBOX_SUGGESTION,      /* "suggestion": a reader's suggestion on one of the reader's works (body: the passage) */
	INBOX_SUGGESTION_ACCEPTED, /* "suggestion_accepted": the writer accepted the reader's suggestion */
	INBOX_SUGGESTION_ANSWERED, /* "suggestion_answered": the writer answered it (body: the answer) */
	INBOX_NOTICE,          /* "notice": from the site's moderators (store_notice_add), shown by its body text */
	INBOX_COCREATOR_INVITE, /* "cocreator_invite": the actor invited the reader to co-create the work */
	INBOX_COCREATOR_JOINED, /* "cocreator_joined": that invitation, accepted */
	INBOX_COCREATOR_ACCEPTED, /* "cocreator_accepted": the actor accepted the owner's invitation */
	INBOX_OTHER,           /* a kind this version does not know: shown by its body text */
	INBOX_KIND_COUNT
};

/* One inbox message. */
struct inbox_item {
	int64_t id;
	enum inbox_kind kind;
	bool read;
	int64_t created_at;
	int64_t work_id, chapter_id; /* 0 when none */
	const char *work_title;    /* NULL when the work is gone */
	int chapter_position;      /* 0 when none or gone */
	const char *series_title;  /* the work's series (new_series_part), NULL when none */
	const char *actor_name;    /* who caused it (the creator posting; a comment's writer is in comment) */
	const char *body;          /* the text the notification was written with ("" for comments) */
	const char *url;           /* where it leads when it is about no work (an assignment); NULL otherwise */
	struct comment comment;    /* comment and reply: the comment (user_name/guest_name filled); id 0 otherwise */
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
	int64_t subscriptions;     /* works: readers subscribed to it; 0 for chapters */
	int work_state;            /* store_stats_user's rows: works.draft (0 posted, 1 draft, 2 hidden, 3 deleted by moderators) */
};

#include "store/store_collections.h"
#include "store/store_exchanges.h"
#include "store/store_prompts.h"
#include "store/store_related.h"

/* ---- The interface ------------------------------------------------------------------------ */

struct store;

/* ---- Rendering again ------------------------------------------------------------------------- */

/* A stored text that an older sanitizer rendered (its row's sanitizer_version is below the current one),
 * with the sources to render it from; and, for store_stale_text_save, the new rendering. */
enum stale_kind { STALE_WORK, STALE_CHAPTER, STALE_COMMENT };
struct stale_text {
	enum stale_kind kind;
	int64_t id, work_id;
	int version;              /* the sanitizer version it was rendered with */
	const char *format;       /* chapters: the content's format ("html", "markdown", "text") */
	/* work: summary, notes, end notes; chapter: content, summary, notes, end notes; comment: body.
	 * src as stored; html filled in by the caller before saving. */
	struct text text[4];
	int64_t word_count;       /* chapters: of the new rendering */
};
/* store_stale_texts: up to limit texts rendered below version (works first, then chapters, then comments;
 * each kind oldest version first), read through indexes so an archive with none left costs three index
 * probes. store_stale_text_save: stores t's html (and a chapter's word count, and so its work's) with
 * version, only if the row still has t->version and the sources t was read with (an edit in between
 * wins: Q_ENOTFOUND); the work's pages are noted as changed, its dates are not.
 * store_stale_mark_media: marks every chapter whose source may hold an image or a player (<img, <iframe,
 * <audio, <video, in any case) as rendered by no version, for when the site's media hosts or address
 * change; *marked says how many. It reads every chapter's source: for that rare change only. */

/* ---- The change feed ---------------------------------------------------------------------- */

/* What a committed write changed, for caches. Sessions, log-ins, sign-ups, API token use and settings emit
 * nothing. A work change lists the work and every user whose pages show it (creators before AND after the
 * change, including pending/removed co-creators) and its series. */
enum store_change_kind {
	STORE_CHANGE_WORK,
	STORE_CHANGE_USER,
	STORE_CHANGE_SERIES,
	STORE_CHANGE_COLLECTION, /* a collection's own pages: profile, members, items, challenge */
};
struct store_change { enum store_change_kind kind; int64_t id; };
/* Called after each commit, on the committing thread, with everything that transaction changed (deduplicated). */
typedef void (*store_change_fn)(void *ctx, const struct store_change *changes, size_t n);
/* Registers a listener (at most a few; not thread-safe against concurrent writes: call at start-up). */
void store_subscribe(struct store *st, store_change_fn fn, void *ctx);
/* More about the feed:
 *  - A transaction that changed nothing a cache shows (or failed, or was rolled back) calls nobody.
 *  - A transaction that changed more than STORE_CHANGES_MAX things is reported as the single change
 *    {STORE_CHANGE_WORK, 0}, which means "anything may have changed": drop everything.
 *  - Listeners run after the commit, outside the store's locks, so two commits on two threads may call them
 *    at the same time and in either order: they must be thread-safe and must not assume order.
 *  - changes points at memory valid only during the call. A listener may read the store; it must
 *    not register or remove listeners.
 *  - STORE_CHANGE_USER means the user's own pages (profile, their works, their series). */
#define STORE_CHANGES_MAX 128
/* Removes a listener registered with the same fn and ctx (call at shut-down, when nothing writes). */
void store_unsubscribe(struct store *st, store_change_fn fn, void *ctx);

/* ---- The interface ------------------------------------------------------------------------ */

/* What a backend can do beyond the guarantees above (as Dovecot's lib-sql drivers declare theirs). Callers
 * ask store_has(st, CAP) where the answer changes what they do, never the backend's name. */
enum store_cap {
	/* Concurrent small writes from many threads share one transaction and one durable commit (the
	 * reader's response: comments, kudos, hits), each still failing alone. Without it each commits alone. */
	STORE_CAP_GROUP_COMMIT = 1u << 0,
	/* Several servers (quire serve processes, on one machine or many) may use the store at once: a database
	 * server. Without it the store belongs to one server (short commands such as `quire user add` may still
	 * write beside it, on every backend): what that server keeps in memory (claimed outbox rows, background
	 * jobs, caches, rate limits) is the whole truth, and rows it left claimed at a crash may be released at
	 * start-up. With it nothing one server holds in memory is shared, and background jobs take a lease. */
	STORE_CAP_SHARED = 1u << 1,
	/* Other processes' commits reach this process's change feed (LISTEN/NOTIFY), so its caches stay
	 * right. A shared store without it cannot keep a page cache. */
	STORE_CAP_NOTIFY = 1u << 2,
	/* Queue rows (the outbox, the re-filing queue) can be claimed by several workers at once without
	 * waiting for each other (SELECT ... FOR UPDATE SKIP LOCKED). Without it one worker per store claims. */
	STORE_CAP_SKIP_LOCKED = 1u << 3,
	/* Reads may be sent to a read replica (store_read), with read-your-writes for a thread that wrote. */
	STORE_CAP_READ_REPLICA = 1u << 4,
	/* store_backup makes a consistent copy of the live store into a file (SQLite's online backup); without
	 * it the operator uses the database's own tools (pg_dump) and store_backup answers Q_EINVAL. */
	STORE_CAP_BACKUP_FILE = 1u << 5,
};

/* A backend: its name, what it can do, its destructor and one function per operation of store_ops.h. */
struct store_ops {
	int version; /* STORE_OPS_VERSION */
	const char *name;
	unsigned caps; /* enum store_cap flags */
	void (*close)(struct store *st);
#define STORE_OP_MEMBER(ret, name, params, args) ret(*name) params;
	STORE_OPS(STORE_OP_MEMBER)
#undef STORE_OP_MEMBER
};

/* Grows whenever struct store_ops changes shape. */
#define STORE_OPS_VERSION 13 /* 9: stale texts (rendering again); 10: several servers (shared state, read replicas);
                              * 11: running a community; 12: collections, exchanges, prompt memes, related works;
                              * 13: imports */

#define STORE_LISTENERS_MAX 8
/* Most works store_refile_queued refreshes in one write (about 0.4 ms each on SQLite: writers wait no longer). */
#define STORE_REFILE_BATCH_MAX 128

/* Cells of store_response_version (by hashed work id). */
#define STORE_RESPONSE_CELLS 4096

/* The part every backend's store begins with (its first member). */
struct store {
	const struct store_ops *ops;
	struct store_listener {
		store_change_fn fn;
		void *ctx;
	} listeners[STORE_LISTENERS_MAX];
	size_t nlisteners;
	/* store_response_version, by hashed work id: the version (a store_response_clock time) << 1 | "a write waits for the next". */
	_Atomic int64_t response_changed[STORE_RESPONSE_CELLS];
	_Atomic uint64_t response_seq[STORE_RESPONSE_CELLS]; /* store_response_seq */
	_Atomic int64_t response_changed_any; /* store_response_version for work 0: any work */
	/* Round trips to a database server that a thread waited for (PostgreSQL; /metrics: quire_store_round_trips_total). */
	_Atomic uint64_t round_trips;
	/* store_health: enum store_health, when the episode began (unix seconds), and why (a static sentence). */
	_Atomic int health;
	_Atomic int64_t health_since;
	_Atomic(const char *) health_why;
	/* Set by a backend that relays other processes' commits: starts doing so (store_subscribe calls it once). */
	int (*feed_start)(struct store *st);
	bool feed_started;
};

/* Opens the store the URL names and brings its schema up to date:
 *   sqlite:PATH   the SQLite file at PATH (created when missing; PATH may be relative)
 *   PATH          the same, when the text has no "scheme:" in front (a path with a ':' in its
 *                 first component must be written sqlite:PATH)
 * Unknown or not-yet-built schemes (postgres://...) give Q_EINVAL. On failure *out is NULL and
 * err holds a sentence for the operator; Q_ERR when the store is there but cannot be opened. */
int store_open(struct store **out, const char *url, char *err, size_t errlen);

/* Options of store_open_with: pool = the most database connections one server keeps open (PostgreSQL; config
 * key store_pool; 0 = the backend's default). */
struct store_options {
	int pool;
	/* A read replica (a streaming standby of the same database; config key store_read): read-only work goes
	 * there, except for a session that just wrote (store_read_after). NULL: none. PostgreSQL only. */
	const char *read_url;
};
/* store_open with options; store_open is store_open_with(..., NULL, ...). Also:
 *   postgres://... or postgresql://...   a PostgreSQL database (libpq's URL: user, password, several hosts,
 *                 target_session_attrs, sslmode...), whose schema is created or brought up to date. A malformed
 *                 URL gives Q_EINVAL; a database that is missing or does not answer Q_ERR; err says which. */
int store_open_with(struct store **out, const char *url, const struct store_options *opt, char *err, size_t errlen);

/* The SQLite backend directly (errors go to the log): store_open("sqlite:PATH") without the URL. */
int store_open_sqlite(struct store **out, const char *path);


/* Groups several write operations of THIS thread into one transaction: between begin and commit, write
 * operations called from the same thread join it instead of beginning and committing their own, and read
 * operations on this thread see its writes. commit makes them durable together (Q_ERR when it cannot:
 * everything is rolled back); rollback undoes them all. Nesting is not allowed (Q_EINVAL). Change events
 * are delivered after commit only. */
int store_tx_begin(struct store *st);
int store_tx_commit(struct store *st);
void store_tx_rollback(struct store *st);
/* More about workflow transactions:
 *  - Isolation: what the workflow read inside the transaction still holds when it commits, as if no other
 *    write ran between begin and commit (a rule checked on a read cannot be broken by another thread's
 *    write meanwhile). How is the backend's business: SQLite runs one writer at a time; a backend that runs
 *    writers side by side locks or retries inside the store, and callers never see a conflict.
 *  - Any write operation that returns an error inside the transaction fails it (even one refused
 *    for its arguments before touching anything): later writes in it return that first error
 *    without running, and commit rolls everything back and returns it. Errors of read operations
 *    (Q_ENOTFOUND while validating) do not fail it.
 *  - Callers do nothing special for reads inside it: the backend routes this thread's read operations
 *    into the transaction. Other threads' reads see the state before it until it commits.
 *  - The thread must end what it began (commit or rollback) soon: other writers may wait for it.
 *  - commit or rollback on a thread with no transaction open: Q_EINVAL / nothing.
 *  - Subscribers hear the transaction's changes once, after the commit, as one list. */

/* A request's reads share one snapshot: after store_snapshot_begin, the calling thread's reads use one read
 * transaction, opened by the first of them and ended by store_snapshot_end, so a page costs one
 * transaction however many reads it makes. The thread's first write (a store_tx, or any write operation)
 * ends it first, so reads after a write see it; the next read opens a new one. Reads of listings keep
 * their own. Thread-local; a second begin moves it. */
void store_snapshot_begin(struct store *st);
void store_snapshot_end(struct store *st);
/* Round trips: how many of the store's round trips (store->round_trips, one statement, a pipeline of them, a
 * commit) the calling thread has waited for since it started; a backend inside the process (SQLite) counts none.
 * Opening a connection is not counted (the pool keeps them). The front end reports them per route in /metrics
 * (quire_route_round_trips_total), beside the store's total. */
uint64_t store_round_trips(void);

/* ---- Health --------------------------------------------------------------------------------
 * A store may fail for a while and recover by itself: a full disk or a database file that cannot be written
 * (reads still work), a database server that does not answer or that only reads (a failover under way). An
 * operation that fails for such a reason returns Q_EUNAVAIL (never Q_ERR), and the store's health says how
 * it is doing, as its last operations found it, so pages answer 503 with Retry-After, /healthz and /metrics
 * tell, and the log says it once per episode. The first write that commits (or, when down, the first
 * connection that succeeds) ends the episode. */
enum store_health {
	STORE_HEALTHY = 0,
	STORE_READ_ONLY = 1, /* writes fail; reads work */
	STORE_DOWN = 2,      /* nothing works */
};
/* The store's health now; *why (may be NULL) gets a sentence for the operator, *since (may be NULL) when the
 * episode began (unix seconds). */
enum store_health store_health(struct store *st, const char **why, int64_t *since);
/* How long a client should wait before trying again while the store is unhealthy (Retry-After), seconds. */
#define STORE_RETRY_AFTER 5

/* ---- Read replicas: read-your-writes ---------------------------------------------------------
 * With a read replica (store_options.read_url), a request's reads may see the archive a moment behind the
 * primary. A session that wrote must still see its own writes on its next pages, whichever server answers
 * them: after a request that wrote, store_write_mark gives a mark (text, at most STORE_MARK_MAX bytes) the
 * front end keeps with the session (a short-lived cookie), and on its next requests store_read_after(mark)
 * makes that thread's reads, until store_snapshot_end, see at least those writes (a replica that has caught
 * up, else the primary). Reads after a write in the same request always see it. Without a replica both do
 * nothing (store_write_mark: Q_ENOTFOUND). Both are operations of store_ops.h. */
#define STORE_MARK_MAX 40

/* ---- Background work --------------------------------------------------------------------------------------
 * The store's own background jobs, run by the application's job runner (core/jobs.h): "refile" drains the
 * re-filing queue of big wrangles (store_refile_queued) in short batches, woken when a wrangle queues works and
 * looking every few seconds (another process may queue them too); "shared_purge", hourly, forgets old rate-limit
 * events and visitors counted on past days (store_shared_purge). Exclusive: in a shared store one server at a
 * time runs each, under the runner's lease. Add it before jobs_start; stop the runner before store_close (what it
 * has not refreshed stays queued for the next start). */
struct jobs;
int store_jobs_add(struct store *st, struct jobs *j);

/* ---- Thin wrappers: callers use these, never st->ops directly ----------------------------- */

/* Whether the store's backend can do cap (enum store_cap). */
static inline bool store_has(const struct store *st, enum store_cap cap)
{
	return (st->ops->caps & (unsigned)cap) != 0;
}
/* The backend's name ("sqlite", "postgres"), for logs and /metrics only: never decide on it. */
static inline const char *store_backend_name(const struct store *st)
{
	return st->ops->name;
}

/* Closes the store (NULL is fine); nothing may use it afterwards. */
void store_close(struct store *st);
/* Times every operation into /metrics (quire_store_operation_duration_seconds{op=NAME}). Register once,
 * before any thread uses the store; unregister after metrics_reset, once no thread uses it any more. */
void store_metrics_register(void);
void store_metrics_unregister(void);
/* store_backup, store_setting_get, store_user_get, ... : one per line of store_ops.h, with the
 * same parameters, named store_<name>. */
#define STORE_OP_DECL(ret, name, params, args) ret store_##name params;
STORE_OPS(STORE_OP_DECL)
#undef STORE_OP_DECL

/* ---- The reader's response ------------------------------------------------------------------
 * Comments, kudos, bookmarks, reading history, hits and the inbox. They are the busiest writes: with
 * STORE_CAP_GROUP_COMMIT concurrent ones share one transaction and one durable commit, each failing alone.
 * Either way each is durable when the call returns; inside the calling thread's store_tx it joins it like
 * any write.
 * The operations themselves are lines of store_ops.h; what each does is said here.
 *
 * The page cache and response writes: a kudos, a hit or a comment must never empty the cached parts of
 * other pages, and counts on cached guest pages may be at most a minute old. So new comments, kudos,
 * hits, bookmarks and history emit NOTHING into the change feed. After each such commit the store calls
 * store_response_changed(st, work_id) instead, and a cache asks store_response_version(st, work_id, now)
 * for a number to keep with every cached page or fragment that shows work W's counts or comments (W's
 * reading pages and its other /works/W/... pages): once the number differs, the copy must be rendered
 * again. The number changes at once for the first response write after STORE_RESPONSE_FRESH quiet
 * seconds, and otherwise at most once per STORE_RESPONSE_FRESH seconds, so a page is at most
 * STORE_RESPONSE_FRESH (+1) seconds behind a response write however many come, and nothing else is
 * dropped. A new comment is the exception: its work's number changes at once (store_response_changed_now),
 * on every server sharing the store within a second: counts may lag, a comment someone just posted may not. What changes text readers already saw (a comment edited, hidden, approved, deleted or frozen;
 * comment settings) is a normal change: STORE_CHANGE_WORK for that work, at once.
 * Versions are times on store_response_clock, in microseconds: a page built just after a response write
 * (a reader's next click) can tell that it came after it. */
#define STORE_RESPONSE_FRESH 30 /* seconds */
#define STORE_RESPONSE_FRESH_US ((int64_t)STORE_RESPONSE_FRESH * 1000000)
/* The clock of response versions: microseconds on the monotonic clock (versions live in memory only). */
int64_t store_response_clock(void);
/* Notes a committed response write on work_id (any thread; lock-free). */
void store_response_changed(struct store *st, int64_t work_id);
/* The same for every work at once (another server's writes on more works than it could name). */
void store_response_changed_all(struct store *st);
/* A new comment on work_id: its version moves at once whatever came before (readers expect to see a comment they
 * or others just posted; counts may lag, words may not), on every server sharing the store within a second. */
void store_response_changed_now(struct store *st, int64_t work_id);
/* The version of work_id's response data at time now (store_response_clock), as above. Works share
 * STORE_RESPONSE_CELLS cells by hash, so a version may also change for another work's write (a page
 * rendered again early), never later than its own. Lock-free: meant for every cache lookup. work_id 0
 * asks for any work's: what listings ordered by kudos, hits, comments or bookmarks keep. */
int64_t store_response_version(struct store *st, int64_t work_id, int64_t now);
/* A number that changes with EVERY response write on work_id (cells shared as above): a copy of a work's
 * response data for logged-in readers, who see it as it is, stays good while this number stays. */
uint64_t store_response_seq(struct store *st, int64_t work_id);

/* The counts and comment settings of work_id (and of chapter_id when not 0). Q_ENOTFOUND when missing. */
int store_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out);
/* Sets who may comment (enum comment_policy) and moderation. A normal write: pages change with it. */
int store_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated);
/* Adds a comment (id, root_id, depth, created_at are the store's). A reply's parent must be a shown,
 * unfrozen comment on the same work and chapter (else Q_EPERM; missing: Q_ENOTFOUND). The users in
 * notify get an inbox message ("comment"); with notify_parent, so does the parent's writer ("reply") when
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
 * the parent's writer (inbox "reply"). */
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
/* Messages of every kind (comments, replies, mail's notifications), newest first, ids below before_id
 * (0: from the newest). */
int store_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
                     int limit, struct inbox_item **out, size_t *n);
int store_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read);
int store_inbox_mark_all(struct store *st, int64_t user_id);
/* Unread messages of every kind (a counter kept with the inbox: no rows counted). */
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

/* A secret of len random bytes kept in setting key (hex): read when there, else made and stored once
 * (setting_init), so that every server sharing the store, starting at once or not, uses the same one. A stored
 * value that is not len bytes of hex (edited by hand) is replaced. */
int store_secret(struct store *st, const char *key, unsigned char *out, size_t len);

/* ---- Shared state ---------------------------------------------------------------------------
 * What several servers on one store must agree on lives in the store, never only in one process: secrets,
 * who runs a background job, rate limits, which visitors were counted today. The operations exist on every
 * backend (one server on SQLite keeps rate limits and hit dedupe in memory instead, as the whole truth).
 *
 * setting_init: the value of setting key, storing value first when there is none yet; of several servers
 *   starting at once, every one gets the value stored first (a secret is made once). *stored in the arena.
 * job_lease: whether this store (this server) holds job's lease, taking or renewing it until until_ms (unix
 *   milliseconds). Another store's lease is never taken while it lasts; a store that closes lets its leases go,
 *   one that dies loses them when they expire (PostgreSQL: at once, with its connection).
 * limit_count / limit_add / limit_clear: rate-limit events of key (an opaque digest, never the address or
 *   name itself) in bucket: how many happened at or after since and the oldest of those (0 when none); one
 *   more at time at; forgetting key. Two servers checking at once may both let one more through.
 * hits_seen: fresh[i] is true when digests[i] (a visitor on a page, keyed by day) was not seen on day before;
 *   all are recorded.
 * shared_purge: forgets rate-limit events before `before` (unix seconds), visitors of days before before_day
 *   and leases that expired. */

/* Name of a tag type in the JSON API and forms: "rating", "warnings", "categories", "fandoms",
 * "relationships", "characters", "freeforms" (a public contract: do not rename). */
const char *tag_type_key(enum tag_type t);
#endif
