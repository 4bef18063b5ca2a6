/* Gift exchanges (AO3's model): the exchange's settings and tag set, sign-ups with requests and offers, matching
 * (src/match: a maximum matching, mutual pairs avoided), reviewing and editing potential assignments, sending
 * them, defaults and pinch hits, due dates, and fulfilling an assignment with a gift posted to the collection.
 * Each workflow is one store transaction; return codes as archive/collections.h's. */
#ifndef QUIRE_ARCHIVE_EXCHANGES_H
#define QUIRE_ARCHIVE_EXCHANGES_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define EXCHANGE_ITEMS_MAX 10          /* requests, and offers, in one sign-up */
#define EXCHANGE_ITEM_TAGS_MAX 10      /* tags of one type in one request or offer */
#define EXCHANGE_TAG_SET_MAX 5000      /* tags of one type in the tag set */
#define EXCHANGE_DESCRIPTION_MAX 2000  /* a request's prompt, an offer's note */
#define EXCHANGE_INSTRUCTIONS_MAX 10000
#define EXCHANGE_SIGNUPS_MAX 10000     /* sign-ups of one exchange (the matcher's cap) */
#define EXCHANGE_SIGNUPS_PER_USER 50   /* exchanges one account is signed up to at once */

/* The names of the dimensions in forms and the API: "fandoms", "characters", "relationships", "freeforms". */
const char *exchange_dim_key(int dim);

/* Settings as submitted (raw text; NULL = not given). */
struct exchange_input {
	bool signups_open;
	const char *signups_open_at, *signups_close_at, *assignments_due_at; /* dates as collections take them */
	const char *requests_min, *requests_max, *offers_min, *offers_max;
	const char *tags_min[EXCHANGE_DIMS], *tags_max[EXCHANGE_DIMS], *match[EXCHANGE_DIMS];
	bool allow_any[EXCHANGE_DIMS];
	const char *instructions;
	const char *tag_set[EXCHANGE_DIMS];  /* names separated by commas or new lines; NULL = leave the set */
};

/* One request or offer as submitted. */
struct signup_item_input {
	const char *tags[EXCHANGE_DIMS];     /* comma-separated names */
	bool any[EXCHANGE_DIMS];
	const char *description;
};

struct signup_input {
	struct signup_item_input requests[EXCHANGE_ITEMS_MAX + 1], offers[EXCHANGE_ITEMS_MAX + 1];
	size_t nrequests, noffers;           /* as given; blank items are skipped */
	bool pinch_hitter;
};

/* Tag names from text separated by commas or new lines, checked as work tags are; at most max (a field error
 * for field, naming label, otherwise). Repeats dropped. */
void exchange_tag_names(struct arena *a, struct field_errors *e, const char *field, const char *label, const char *text,
                        size_t max, struct strlist *out);

/* The exchange's defaults (a new gift-exchange collection gets them). */
void exchange_defaults(struct exchange *x, int64_t collection_id);
/* Whether sign-ups are open at now: opened by a moderator, within the dates, assignments not sent. */
bool exchange_signups_open(const struct exchange *x, int64_t now);

/* Loads the exchange of the gift-exchange collection named name, with u's role; Q_ENOTFOUND when the collection
 * runs none. */
int archive_exchange_load(struct store *st, struct arena *a, const struct user *u, const char *name,
                          struct collection *c, struct exchange *x, int *role);
/* Moderators change the settings and the tag set (fields: signups_open_at, ..., tag_set_fandoms, ...). */
int archive_exchange_settings(struct store *st, struct arena *a, const struct user *u, const char *name,
                              const struct exchange_input *in, struct field_errors *e);
/* The user's sign-up (new or changed) while sign-ups are open; fields request_N_fandoms, offer_N_any_characters,
 * requests, offers. */
int archive_signup_save(struct store *st, struct arena *a, const struct user *u, const char *name,
                        const struct signup_input *in, struct field_errors *e);
/* Withdraws the user's sign-up while sign-ups are open. */
int archive_signup_delete(struct store *st, struct arena *a, const struct user *u, const char *name, const char **why);

/* What a matching run found. */
struct exchange_match_report {
	size_t signups, matched, unmatched, mutual, cover;
	double seconds;
};
/* Moderators match every sign-up (before the assignments are sent): the drafts are replaced. */
int archive_exchange_match(struct store *st, struct arena *a, const struct user *u, const char *name,
                           struct exchange_match_report *out, const char **why);
/* Whether the giver's offers meet the recipient's requests (by sign-up ids), from one read of the exchange. */
struct exchange_compat;
int exchange_compat_load(struct store *st, struct arena *a, int64_t collection_id, const struct exchange *x,
                         struct exchange_compat **out);
bool exchange_compatible(const struct exchange_compat *cx, int64_t giver_signup, int64_t recipient_signup);
/* Moderators give an assignment to another giver (a user name; "" for nobody): a draft, or a sent one (a pinch
 * hit, told at once). */
int archive_assignment_edit(struct store *st, struct arena *a, const struct user *u, const char *name, int64_t id,
                            const char *giver, const char **why);
/* Moderators send every draft: each giver is told (inbox and mail). */
int archive_assignments_send(struct store *st, struct arena *a, const struct user *u, const char *name,
                             const char **why);
/* The giver gives the assignment up: it is open to pinch hitters. */
int archive_assignment_default(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why);
/* A volunteer takes an open assignment: a member of the collection or a sign-up, not its recipient. */
int archive_assignment_claim(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why);
/* Loads an assignment u may see: its giver, or the collection's moderators (Q_ENOTFOUND otherwise); open ones
 * (pinch hits) are also the members' to see. */
int archive_assignment_load(struct store *st, struct arena *a, const struct user *u, int64_t id,
                            struct assignment *out, int *role);
/* For the work workflows: a work u posts for assignment id (sent to u, not fulfilled; field "assignment") names
 * its collection and its recipient; archive_assignment_fulfill then marks it, inside the work's transaction. */
int archive_assignment_for_work(struct store *st, struct arena *a, const struct user *u, int64_t id,
                                struct assignment *out, struct field_errors *e);
int archive_assignment_fulfill(struct store *st, int64_t id, int64_t work_id);
#endif
