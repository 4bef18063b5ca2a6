/* The reader's response, as rules: comments, kudos, bookmarks, inbox, reading history and hits.
 * Pages and the API call these and never write response data to the store themselves.
 *
 * Every action returns 0 or a Q_E* code with *why set to a message for the person:
 *   Q_ENOTFOUND  no such thing, or the work is one the actor may not see (same answer: no probing)
 *   Q_EPERM      visible, but not the actor's to do (or refused: frozen thread, comments off)
 *   Q_EINVAL     the input is wrong (field errors filled where there are fields)
 *   Q_EEXIST     done already (kudos twice, a second bookmark): nothing changed
 *   Q_EBUSY      over an abuse limit: try again later (*retry_after seconds)
 *   Q_ERR        the store failed
 * Work permission rules (who may see a work, who its creators are) are archive/work.h's. */
#ifndef QUIRE_ARCHIVE_RESPONSE_H
#define QUIRE_ARCHIVE_RESPONSE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/store.h"
#include "archive/errors.h"
#include "archive/work.h"

#define COMMENT_TEXT_MAX 10000        /* characters */
#define COMMENT_GUEST_NAME_MAX 100    /* characters */
#define COMMENT_DEPTH_SHOWN 5         /* replies nest this deep on pages, then continue flat */
#define COMMENT_GUEST_LIMIT 3         /* comments per address ... */
#define COMMENT_USER_LIMIT 30         /* ... or per account ... */
#define COMMENT_LIMIT_WINDOW (15 * 60) /* ... in this many seconds */
#define COMMENT_THREADS_PER_PAGE 20
#define KUDOS_NAMES_SHOWN 100
#define BOOKMARK_NOTES_MAX 5000
#define BOOKMARK_TAGS_MAX 75

/* Long-lived state of the rules: abuse limits, the key that hashes guest addresses, hit counting. */
struct response;

/* key: 32 secret bytes kept across restarts (guest kudos stay "once per address"). */
struct response *response_new(struct store *st, const unsigned char key[32]);
/* Comments are checked for spam against c's counters and queue from now on (archive/spam.h). */
struct community;
void response_set_community(struct response *r, struct community *c);
/* Writes counted hits and history still in memory, then frees everything. */
void response_free(struct response *r);

/* Someone acting: an account, or a guest known by their address (for limits and guest kudos). */
struct response_actor {
	const struct user *user; /* NULL: a guest */
	const char *address;     /* the client's address as rate limits key it (http_request.client_key: an IPv6 /64) */
};

/* Creators of the work and the site's moderators and admins moderate its comments. */
bool response_can_moderate(const struct work *w, const struct user *u);
/* Creators of the work and site admins see its statistics (moderators do not: not theirs to look after). */
bool response_can_see_stats(const struct work *w, const struct user *u);

/* ---- Comments ---- */

struct comment_input {
	const char *body;                     /* as typed */
	const char *guest_name, *guest_email; /* guests only */
	const char *honeypot;                 /* the hidden field bots fill; must be empty */
	int64_t parent_id;                    /* 0: a new thread */
	bool id_only; /* not typed: the caller shows only out->id and out->state (a redirect), so comment_post does not
	               * read the stored comment back (a read transaction less per comment) */
};

/* What a viewer may do with the comments of a work, and why not. */
struct comment_rights {
	bool can_comment;     /* may post (guest fields needed when not logged in) */
	bool needs_login;     /* registered readers only and the viewer is a guest */
	bool moderator;       /* creator or admin: hide, freeze, approve, delete any */
	const char *closed;   /* why commenting is closed for this viewer, or NULL */
};
void comment_rights(const struct work *w, const struct response_counts *rc, const struct user *viewer,
                    struct comment_rights *out);

/* Posts a comment on chapter ch (NULL: on the whole work) of w, which the actor may see (the caller
 * checked with work_can_view). rc holds the work's comment settings. On success *out is the stored
 * comment (pending in a moderated work unless a creator wrote it), or, when it was held as likely spam for the
 * site's moderators, a comment with id 0 (nothing was posted; *why says it was received). */
int comment_post(struct response *r, struct store *st, struct arena *a, const struct work *w,
                 const struct chapter *ch, const struct response_counts *rc, const struct response_actor *actor,
                 const struct comment_input *in, struct comment *out, struct field_errors *errors,
                 const char **why, int *retry_after);
/* Loads comment id with its work, for an actor who may see the work; Q_ENOTFOUND also for comments the
 * actor may not see (hidden, pending: only their writer and moderators see those). */
int comment_load(struct store *st, struct arena *a, int64_t id, const struct user *viewer, struct comment *c,
                 struct work *w, const char **why);
bool comment_can_see(const struct work *w, const struct comment *c, const struct user *viewer);
/* Edit: the writer only (an account's comment: that account). */
int comment_edit(struct store *st, struct arena *a, const struct work *w, const struct comment *c,
                 const struct user *actor, const char *body, struct field_errors *errors, const char **why);
/* Delete: the writer, a creator of the work, or an admin. */
int comment_delete(struct store *st, const struct work *w, const struct comment *c, const struct user *actor,
                   const char **why);
/* Moderation by a creator or admin: "hide", "unhide", "freeze", "unfreeze", "approve". */
int comment_moderate(struct store *st, const struct work *w, const struct comment *c, const struct user *actor,
                     const char *action, const char **why);

/* One comment as a viewer sees it in a thread. */
struct comment_view {
	const struct comment *c;
	int depth;          /* nesting shown: at most COMMENT_DEPTH_SHOWN */
	bool placeholder;   /* deleted (or hidden) but replies below are shown: "(Previous comment deleted.)" */
	bool can_reply, can_edit, can_delete, moderator;
};
/* The comments of one page (in thread order, as store_comment_list gives them) that viewer may see:
 * hidden and pending ones only for moderators (pending also for their writer), replies of an unseen
 * comment unseen too, deleted ones as placeholders only while a reply below is shown. */
void comments_for_viewer(struct arena *a, const struct work *w, const struct comment *list, size_t n,
                         const struct user *viewer, bool can_comment, struct comment_view **out, size_t *nout);
/* "(Previous comment deleted.)" and the like, or the writer's name for shown comments. */
const char *comment_author(const struct comment *c);
/* "shown", "pending", "hidden", "deleted" (the API's names for enum comment_state). */
const char *comment_state_name(int state);
/* Where comment c is read: its chapter's page, or the entire work for a comment on the whole work, with
 * the #comment-ID anchor (arena memory). Pages and the API link the same place. */
const char *comment_path(struct arena *a, const struct comment *c);

/* ---- Kudos ---- */

/* Kudos on w (ch NULL) or on chapter ch. Q_EEXIST the second time from the same account or address. */
int kudos_give(struct response *r, struct store *st, const struct work *w, const struct chapter *ch,
               const struct response_actor *actor, const char **why);

/* ---- Bookmarks ---- */

struct bookmark_input {
	const char *notes, *tags; /* as typed */
	bool private_, rec;
};
/* Creates (b->id 0) or updates the actor's bookmark of w. */
int bookmark_save(struct store *st, struct arena *a, const struct work *w, const struct user *actor,
                  const struct bookmark_input *in, int64_t id, int64_t *out_id, struct field_errors *errors,
                  const char **why);
int bookmark_remove(struct store *st, const struct user *actor, int64_t id, const char **why);
/* Private bookmarks: their owner only; bookmarks of works the viewer may not see: nobody else. */
bool bookmark_can_see(const struct bookmark *b, const struct user *viewer);

/* ---- Inbox ---- */

int inbox_mark(struct store *st, const struct user *u, int64_t id, bool read, const char **why);
int inbox_mark_all(struct store *st, const struct user *u, const char **why);
/* "comment", "reply", "new_chapter", "new_work", "new_series_part", "other" (the API's names). */
const char *inbox_kind_name(enum inbox_kind kind);
/* Whether the recipient may read the message's comment text now: a reply to their comment only while it
 * is shown (a creator may have hidden it since); messages about their own works always (they moderate). */
bool inbox_text_visible(const struct inbox_item *it);

/* ---- Hits and reading history ---- */

/* Marks w for later in u's reading list (or takes it off), a work u may see (the caller checked). */
int reading_mark_later(struct store *st, const struct work *w, const struct user *u, bool later, const char **why);

/* A view of a work showing chapter_id (0: the entire work, or not known), counted once per visitor per
 * work (and, with chapter_hit, per chapter) per day. visitor identifies a guest (address and browser); logged-in readers are
 * counted by account and their reading history is kept. Nothing about the visitor is stored: a keyed
 * hash with a key that changes every day is kept in memory, and only the counts reach the store, in
 * batches at most HITS_FLUSH_SECONDS apart (the "hits" job, response_jobs_add), or at once when many wait. */
#define HITS_FLUSH_SECONDS 5
void hits_note(struct response *r, int64_t work_id, int64_t chapter_id, bool chapter_hit, const struct user *u,
               const char *visitor);
/* Writes what is counted so far (also called by hits_note when many pages or readers wait). */
void hits_flush(struct response *r);
/* Adds the "hits" job to the runner (core/jobs.h; before jobs_start): it writes what is counted every
 * HITS_FLUSH_SECONDS, off the network threads, and once more when the runner stops. Each server counts and
 * writes its own (not exclusive). Q_ERR when it could not be added. */
struct jobs;
int response_jobs_add(struct response *r, struct jobs *j);

/* ---- Settings ---- */

/* (Who may comment and moderation are saved with the work itself: archive/work.h, struct work_input.) */

/* "everyone", "registered", "nobody" <-> enum comment_policy; -1 for anything else. */
int comment_policy_parse(const char *s);
const char *comment_policy_name(int policy);
#endif
