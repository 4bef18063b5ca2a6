/* Collections and gifts: the rules of a collection's settings, who may do what in it (owners, moderators,
 * members, a work's creators), the workflows (create, edit, delete; members; works posted, invited, approved,
 * refused, removed; reveals), gifts on works and their refusal, and how anonymous works show to others. Each
 * workflow is one store transaction. */
#ifndef QUIRE_ARCHIVE_COLLECTIONS_H
#define QUIRE_ARCHIVE_COLLECTIONS_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define COLLECTION_NAME_MIN 2
#define COLLECTION_NAME_MAX 40
#define COLLECTION_TITLE_MAX 255
#define COLLECTION_DESCRIPTION_MAX 1250
#define COLLECTION_PAGE_MAX 20000     /* the profile's intro, rules and FAQ */
#define COLLECTIONS_PER_WORK_MAX 10   /* collections named on one work */
#define GIFTS_PER_WORK_MAX 10         /* recipients of one work */
#define GIFT_NAME_MAX 100
#define COLLECTIONS_OWNED_MAX 100     /* collections one account may own */
#define ANONYMOUS_NAME "Anonymous"    /* how a hidden creator is shown (no account may be called that) */

/* A collection's settings as submitted (raw strings; NULL = not given). */
struct collection_input {
	const char *name, *title, *parent;           /* parent: a collection's name, or "" for none */
	const char *description, *intro, *rules, *faq;
	bool closed, moderated, unrevealed, anonymous;
	const char *reveal_at, *reveal_creators_at;  /* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (UTC), or "" */
	const char *challenge;                       /* "", "gift_exchange" or "prompt_meme" */
};

/* ---- Rules: pure functions, no store ---------------------------------------------------------------- */

/* Why name cannot name a collection (NULL when it can): 2 to 40 letters, digits or _, starting with a letter or
 * digit, not a word the addresses use ("new"). */
const char *collection_name_problem(const char *name);
/* Validates in into out (text rendered; parent left for the workflow to resolve). Field errors use the form's
 * names. out's id, dates and counts are left as they were. */
int collection_rules_build(struct arena *a, const struct collection_input *in, bool creating, struct collection *out,
                           struct field_errors *e);
/* "2026-12-24" or "2026-12-24 18:00" (UTC) as unix seconds; 0 for ""; -1 when it is neither. */
int64_t collection_parse_time(const char *s);
/* "2026-12-24 18:00" (arena memory), "" for 0. */
const char *collection_time_text(struct arena *a, int64_t t);
/* "gift_exchange", "prompt_meme", "" */
const char *collection_challenge_key(int challenge);
const char *collection_role_name(int role);  /* "owner", "moderator", "member", "" */

bool collection_can_moderate(int role);      /* moderators and owners */
/* The least role of the participants listed to a viewer with role: every member, but in a collection that hides
 * its creators only its owners and moderators to others (its members write its anonymous works). */
int collection_members_shown(const struct collection *c, int role);
bool collection_can_own(int role);           /* owners */

/* Shows w to viewer as others see an anonymous work: when w->anonymous and viewer is not one of its creators,
 * its creators become one named ANONYMOUS_NAME (user id 0) and its series is left out (a series names its
 * owner). True when it did. Every page, feed, download and API answer that shows a work to someone calls it. */
bool archive_work_mask(struct arena *a, struct work *w, const struct user *viewer);
/* The same decision for a list row that names a work's creator (bookmarks, history): the name to show. */
const char *archive_creator_shown(bool anonymous, const char *name);

/* ---- Workflows -------------------------------------------------------------------------------------
 * Return codes as the work workflows (archive/work.h): 0; Q_EINVAL with errors or *why; Q_ENOTFOUND for a
 * missing collection or work, or one hidden from u; Q_EPERM when u may see but not do it; store errors. */

/* Loads the collection called name and u's role in it (COLLECTION_NOBODY for guests and non-members). */
int archive_collection_load(struct store *st, struct arena *a, const struct user *u, const char *name,
                            struct collection *out, int *role);
int archive_collection_create(struct store *st, struct arena *a, const struct user *u,
                              const struct collection_input *in, struct collection *out, struct field_errors *e);
/* Owners and moderators edit; only owners change the name's collection's parent or delete it. */
int archive_collection_edit(struct store *st, struct arena *a, const struct user *u, const char *name,
                            const struct collection_input *in, struct collection *out, struct field_errors *e);
int archive_collection_delete(struct store *st, struct arena *a, const struct user *u, const char *name);

/* Membership. role: COLLECTION_OWNER/MODERATOR/MEMBER, or COLLECTION_NOBODY to remove. Owners set any role;
 * moderators add and remove members; anyone may join an open collection as a member and leave one (the last
 * owner may not). */
int archive_collection_member(struct store *st, struct arena *a, const struct user *u, const char *name,
                              const char *user_name, int role, const char **why);

/* A work into a collection: by its creator (approved by them; waiting for a moderator when the collection is
 * moderated and u is none; refused when closed unless u moderates it), or by a moderator inviting someone
 * else's work (waiting for its creator). */
int archive_collection_add_work(struct store *st, struct arena *a, const struct user *u, const char *name,
                                int64_t work_id, const char **why);
/* What a moderator or the work's creator decides about an item: "approve" / "reject" (moderators),
 * "accept" / "decline" (creators, an invitation), "remove" (either). */
int archive_collection_item_decide(struct store *st, struct arena *a, const struct user *u, const char *name,
                                   int64_t work_id, const char *action, const char **why);
/* Moderators reveal the works and/or the creators now. */
int archive_collection_reveal(struct store *st, struct arena *a, const struct user *u, const char *name, bool works,
                              bool creators, const char **why);
/* Reveals every collection whose reveal date passed; how many were revealed. */
int archive_collections_reveal_due(struct store *st, int64_t now, size_t *revealed);
/* The job that calls it every REVEAL_CHECK_SECONDS (QUIRE_REVEAL_CHECK_SECONDS, for tests, overrides), so pages
 * change when the date comes (the reveal's commit drops cached pages through the change feed); one server at a
 * time when several share the store. */
#define REVEAL_CHECK_SECONDS 30
struct jobs;
int archive_reveal_jobs_add(struct store *st, struct jobs *j);

/* Whether one of the collection's owners or moderators blocked user_id (*rc: a store error, else 0): they may not
 * join it, sign up to it, prompt or claim in it. */
bool archive_collection_blocks(struct store *st, struct arena *a, int64_t collection_id, int64_t user_id, int *rc);
/* Whether u moderates a collection that hides work_id (unrevealed): they may see it before its reveal. */
bool archive_moderates_work(struct store *st, struct arena *a, const struct user *u, int64_t work_id);
/* The collections named on a work form (names[0..n)): each must exist and take works from u (open, or u
 * moderates it); field "collections". *out gets them (arena), and *anonymous / *unrevealed whether any hides
 * the work's creators or the work. */
int archive_collections_resolve(struct store *st, struct arena *a, const struct user *u, const struct strlist *names,
                                struct collection **out, size_t *n, bool *anonymous, bool *unrevealed,
                                struct field_errors *e);
/* Inside the work's transaction: puts the work in cols (approved by its creator u; by the collection unless it
 * is moderated and u does not moderate it). With replace, the work leaves the collections u put it in that are
 * not in cols. */
int archive_collections_apply(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                              const struct collection *cols, size_t n, bool replace);

/* Gift recipients named on a work form: each a user's name (a gift to that account) or a person's name in
 * words; field "gifts". Cleaned, repeats dropped, at most GIFTS_PER_WORK_MAX; a user who blocked u is refused. */
int archive_gifts_resolve(struct store *st, struct arena *a, const struct user *u, const struct strlist *names,
                          struct gift **out, size_t *n, struct field_errors *e);
/* The recipient u refuses a gift (or takes the refusal back). */
int archive_gift_refuse(struct store *st, const struct user *u, int64_t gift_id, bool refused);
#endif
