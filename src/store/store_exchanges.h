/* The store's gift exchanges: an exchange's settings and tag set, sign-ups with their requests and offers, and
 * assignments (matched, reviewed, sent, defaulted, taken by pinch hitters, fulfilled); their operations are lines
 * of store_ops.h (STORE_OPS_EXCHANGES). Included by store.h only, after the types it uses. */
#ifndef QUIRE_STORE_STORE_EXCHANGES_H
#define QUIRE_STORE_STORE_EXCHANGES_H

/* The tag types a request or offer names, in the matcher's dimensions (match/match.h). */
enum exchange_dim { EXCHANGE_FANDOM, EXCHANGE_CHARACTER, EXCHANGE_RELATIONSHIP, EXCHANGE_FREEFORM, EXCHANGE_DIMS };

/* An exchange's settings (one per gift-exchange collection). */
struct exchange {
	int64_t collection_id;
	bool signups_open;              /* a moderator opened sign-ups (and the dates below allow) */
	int64_t signups_open_at;        /* sign-ups open from (0: as soon as opened) */
	int64_t signups_close_at;       /* and close at (0: until closed) */
	int64_t assignments_due_at;     /* works are due (0: no date) */
	int requests_min, requests_max, offers_min, offers_max;
	int tags_min[EXCHANGE_DIMS], tags_max[EXCHANGE_DIMS]; /* tags of each type in one request or offer */
	int match[EXCHANGE_DIMS];       /* tags of each type a request and an offer must share (0: not matched on) */
	bool allow_any[EXCHANGE_DIMS];  /* "any" may be chosen for the type */
	struct text instructions;       /* shown above the sign-up form */
	int64_t matched_at;             /* the last matching run (0: never) */
	int64_t sent_at;                /* assignments sent (0: not yet) */
	int64_t signups_count;          /* read only */
};

/* One request or offer of a sign-up. */
struct signup_item {
	int64_t id;
	int kind;                       /* 0 request, 1 offer */
	unsigned any_mask;              /* bit d: "any" of exchange_dim d */
	struct strlist tags[EXCHANGE_DIMS]; /* tag names */
	int64_t *tag_ids[EXCHANGE_DIMS];    /* read only: their ids, in the same order */
	struct text description;        /* the prompt, or what the offer says */
};

struct signup {
	int64_t id, collection_id, user_id;
	const char *user_name;          /* read only */
	bool pinch_hitter;              /* volunteers for pinch hits */
	struct signup_item *items;      /* requests first, then offers, each by position */
	size_t nitems;
	int64_t created_at, updated_at;
};

/* A sign-up as the matcher reads it: ids only, for every sign-up of an exchange (store_signups_for_matching). */
struct signup_tags {
	int64_t signup_id, user_id;
	struct signup_tag_item {
		int kind;
		unsigned any_mask;
		uint32_t *tags[EXCHANGE_DIMS];
		uint32_t ntags[EXCHANGE_DIMS];
	} *items;
	size_t nitems;
};

/* An assignment: the giver writes for the recipient. A draft (sent_at 0) is a potential match the moderators
 * review and edit; once sent it is the giver's to fulfill, to default (then it is open to pinch hitters), or a
 * pinch hitter's to take. */
struct assignment {
	int64_t id, collection_id;
	int64_t giver_id;               /* 0: nobody (unmatched, or defaulted and not taken yet) */
	int64_t recipient_id;
	int64_t request_signup_id;      /* the recipient's sign-up */
	int64_t offer_signup_id;        /* the giver's sign-up (0: a pinch hitter without one) */
	bool pinch_hit;                 /* the giver took it over */
	int64_t defaulted_by;           /* who gave it up (0: nobody) */
	int64_t sent_at, defaulted_at;
	int64_t fulfilled_work_id;      /* 0: not yet */
	int64_t created_at;
	/* read only */
	const char *giver_name, *recipient_name, *defaulted_name;
	const char *collection_name, *collection_title;
	const char *work_title;         /* the fulfilling work's */
	int64_t due_at;                 /* the exchange's */
};

/* Which assignments store_assignments lists. */
enum assignment_filter {
	ASSIGNMENTS_ALL,                /* of a collection */
	ASSIGNMENTS_DRAFTS,             /* potential matches, not sent */
	ASSIGNMENTS_SENT,
	ASSIGNMENTS_OPEN,               /* sent, nobody writes it, not fulfilled: pinch hits */
	ASSIGNMENTS_DEFAULTED,          /* given up, taken or not */
	ASSIGNMENTS_UNFULFILLED,        /* sent and not fulfilled */
};

/* The operations (what each guarantees):
 * exchange_get: the collection's exchange settings (Q_ENOTFOUND when it has none); exchange_set: writes them.
 * exchange_tags_set: the tag set's tags of one type become names[0..n) (tags created when missing; names
 *   compared as tags are); exchange_tags: its names of one type, by name.
 * exchange_tags_find: of names[0..n) (one type), the ids of those in the tag set (0 for the others).
 * signup_save: writes the user's sign-up (new, or its items replaced); *id its id.
 * signup_get: one sign-up with its items, by id or by (collection, user) when id is 0.
 * signup_delete: the user's sign-up (Q_ENOTFOUND when none); assignments keep their rows.
 * signups_list: a collection's sign-ups by user name after after_name, at most limit (items not read).
 * signups_for_matching: every sign-up of the collection with its items' tag ids, in sign-up order.
 * assignments_replace_drafts: the collection's unsent assignments become pairs[0..n) (recipient sign-up,
 *   giver sign-up or 0), and matched_at is now; sent ones stay.
 * assignments: a collection's (collection_id) or a user's (user_id: as giver, sent only) assignments
 *   by filter, ids above after_id, at most limit.
 * assignment_get: one, with its names.
 * assignment_set_giver: the giver of an unfulfilled assignment becomes giver_id (0: nobody), with their sign-up
 *   (0: none) and whether it is a pinch hit; a sent one tells the new giver (inbox and mail).
 * assignments_send: every draft of the collection is sent now; each giver is told (inbox and mail).
 * assignment_default: the giver gives it up (Q_ENOTFOUND unless user_id writes it and it is sent, unfulfilled).
 * assignment_fulfill: marks it fulfilled by work_id. */
#define STORE_OPS_EXCHANGES(X) \
	X(int, exchange_get, (struct store *st, struct arena *a, int64_t collection_id, struct exchange *out), \
	  (st, a, collection_id, out)) \
	X(int, exchange_set, (struct store *st, const struct exchange *x), (st, x)) \
	X(int, exchange_tags_set, (struct store *st, int64_t collection_id, int dim, const char *const *names, size_t n), \
	  (st, collection_id, dim, names, n)) \
	X(int, exchange_tags, (struct store *st, struct arena *a, int64_t collection_id, int dim, const char ***names, \
	                       size_t *n), (st, a, collection_id, dim, names, n)) \
	X(int, exchange_tags_find, (struct store *st, int64_t collection_id, int dim, const char *const *names, size_t n, \
	                            int64_t *ids), (st, collection_id, dim, names, n, ids)) \
	X(int, signup_save, (struct store *st, const struct signup *s, int64_t *id), (st, s, id)) \
	X(int, signup_get, (struct store *st, struct arena *a, int64_t id, int64_t collection_id, int64_t user_id, \
	                    struct signup *out), (st, a, id, collection_id, user_id, out)) \
	X(int, signup_delete, (struct store *st, int64_t collection_id, int64_t user_id), (st, collection_id, user_id)) \
	X(int, signups_list, (struct store *st, struct arena *a, int64_t collection_id, const char *after_name, int limit, \
	                      struct signup **out, size_t *n), (st, a, collection_id, after_name, limit, out, n)) \
	X(int, signups_for_matching, (struct store *st, struct arena *a, int64_t collection_id, struct signup_tags **out, \
	                              size_t *n), (st, a, collection_id, out, n)) \
	X(int, assignments_replace_drafts, (struct store *st, int64_t collection_id, const int64_t (*pairs)[2], size_t n), \
	  (st, collection_id, pairs, n)) \
	X(int, assignments, (struct store *st, struct arena *a, int64_t collection_id, int64_t user_id, int filter, \
	                     int64_t after_id, int limit, struct assignment **out, size_t *n), \
	  (st, a, collection_id, user_id, filter, after_id, limit, out, n)) \
	X(int, assignment_get, (struct store *st, struct arena *a, int64_t id, struct assignment *out), (st, a, id, out)) \
	X(int, assignment_set_giver, (struct store *st, int64_t id, int64_t giver_id, int64_t giver_signup_id, \
	                              bool pinch_hit), (st, id, giver_id, giver_signup_id, pinch_hit)) \
	X(int, assignments_send, (struct store *st, int64_t collection_id), (st, collection_id)) \
	X(int, assignment_default, (struct store *st, int64_t id, int64_t user_id), (st, id, user_id)) \
	X(int, assignment_fulfill, (struct store *st, int64_t id, int64_t work_id), (st, id, work_id))
#endif
