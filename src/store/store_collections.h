/* The store's collections and gifts: their structures, and their operations as lines of store_ops.h
 * (STORE_OPS_COLLECTIONS). Included by store.h only, after the types it uses (struct text). */
#ifndef QUIRE_STORE_STORE_COLLECTIONS_H
#define QUIRE_STORE_STORE_COLLECTIONS_H

/* What a collection runs besides holding works (collections.challenge). */
enum collection_challenge { CHALLENGE_NONE = 0, CHALLENGE_GIFT_EXCHANGE = 1, CHALLENGE_PROMPT_MEME = 2 };

/* A member's place in a collection (collection_members.role); COLLECTION_NOBODY for none. */
enum collection_role { COLLECTION_NOBODY = -1, COLLECTION_MEMBER = 0, COLLECTION_MODERATOR = 1, COLLECTION_OWNER = 2 };

struct collection {
	int64_t id;
	const char *name;            /* in addresses: letters, digits and _; unique without regard to case */
	const char *title;
	int64_t parent_id;           /* 0: not a subcollection */
	const char *parent_name, *parent_title; /* read only; NULL when none */
	struct text description;     /* a line or two, in listings */
	struct text intro, rules, faq; /* the profile, rules and FAQ pages */
	bool closed;                 /* no new works (moderators may still add them) */
	bool moderated;              /* works wait for a moderator's approval */
	bool unrevealed;             /* its works are hidden from all but their creators and its moderators */
	bool anonymous;              /* its works' creators are shown as Anonymous */
	int64_t reveal_at;           /* when the works are revealed by themselves (0: by a moderator) */
	int64_t reveal_creators_at;  /* when the creators are revealed by themselves (0: by a moderator) */
	int challenge;               /* enum collection_challenge */
	int64_t created_at, updated_at;
	int64_t works_count;         /* read only: works approved on both sides (kept by the store) */
};

/* Which collections store_collection_list returns, in name order after after_name. */
struct collection_query {
	int64_t parent_id;           /* -1 any, 0 top-level only, else that collection's subcollections */
	int open;                    /* -1 any, 0 closed only, 1 open only */
	int challenge;               /* -1 any, else enum collection_challenge */
	int64_t member_id;           /* 0 any, else collections this user belongs to (any role) */
	const char *after_name;      /* NULL or "": from the first */
	int limit;                   /* 1..200 */
};

struct collection_member {
	int64_t user_id;
	const char *name;
	int role;                    /* enum collection_role */
	int64_t created_at;
};

/* A work's place in a collection: approved by the collection (a moderator, or none needed) and by the work's
 * creator (who posted it there, or accepted a moderator's invitation). Each is -1 refused, 0 waiting, 1 yes.
 * It counts (shows in the collection, hides or anonymizes the work) once the creator approved and the
 * collection has not refused; it is listed in the collection once both approved. */
struct collection_item {
	int64_t collection_id, work_id;
	int by_collection, by_creator;
	int64_t added_by;            /* the user who put it there (0: gone) */
	int64_t created_at;
	/* read only */
	const char *collection_name, *collection_title, *work_title;
	bool collection_unrevealed, collection_anonymous, collection_moderated, collection_closed;
	int collection_challenge;
};

/* Which items store_collection_items lists. */
enum collection_item_state {
	ITEMS_APPROVED,              /* approved on both sides */
	ITEMS_AWAITING_COLLECTION,   /* the creator's, waiting for a moderator */
	ITEMS_AWAITING_CREATOR,      /* invited by a moderator, waiting for the creator */
	ITEMS_REFUSED,               /* refused by either side */
};

/* A work given to someone: a user (user_id) or a person named in words (user_id 0). */
struct gift {
	int64_t id, work_id;
	int64_t user_id;             /* 0: not an account (or the account is gone) */
	const char *name;            /* the user's name, or the person's as given */
	bool refused;                /* the recipient said no: the work no longer names them */
	int64_t created_at;
	/* read only: the work as a list of gifts shows it (visibility decided by the caller) */
	const char *work_title;
	const char *work_creator;    /* its owner's name */
	int64_t work_owner_id;
	bool work_draft, work_restricted, work_unrevealed, work_anonymous;
	int64_t work_updated_at;
};

/* The operations, each a line for store_ops.h's X macro (what each guarantees is said here):
 * collection_create: a new collection (c->name unique: Q_EEXIST) with owner_id as its owner. Parent must
 *   exist and be top-level (Q_EINVAL otherwise: one level of subcollections, as on AO3).
 * collection_update: every field of c but name, dates and counts; when unrevealed or anonymous change,
 *   the flags of its works follow in the same transaction (works revealed tell their gifts' recipients).
 * collection_delete: the collection, its memberships and items (works it hid or anonymized show again).
 * collection_get: by id, or by name when id is 0 (Q_ENOTFOUND).
 * collection_list: see struct collection_query.
 * collection_member_set: gives user the role (COLLECTION_NOBODY removes them); Q_EINVAL when that would
 *   leave the collection without an owner.
 * collection_member_role: the user's role, COLLECTION_NOBODY when none; the role in the collection's parent
 *   counts too (a parent's moderators moderate its subcollections).
 * collection_members: members with at least min_role, by name after after_name, at most limit.
 * collection_item_set: puts the work in the collection or changes its approvals (by_collection,
 *   by_creator: -1, 0, 1; added_by kept from the first time); the work's anonymous and unrevealed flags
 *   follow. collection_item_delete removes it (Q_ENOTFOUND when not there).
 * collection_items_of_work: every collection the work is in or was invited to, any state, by name.
 * collection_items: a collection's items in a state, newest first, created before `before` (0: from the
 *   newest), at most limit.
 * collection_reveal: reveals the works (works) and/or the creators (creators) of a collection: clears its
 *   flag(s) and the reveal date(s), and the works' flags follow; revealed gifts are announced.
 * collection_reveal_due: the collections whose reveal date (works or creators) is at or before now.
 * gifts_set: the work's gifts become g[0..n) (names compared without case; a kept name keeps its id and
 *   refusal); a user named anew is told (inbox and mail) once the work can be seen.
 * gifts_of_work: the work's gifts, refused ones included, in the order given.
 * gifts_of_user: gifts to the user, newest first, ids below before_id (0: from the newest), at most limit;
 *   refused ones only with_refused. Works the user may not see are the caller's to leave out.
 * gift_refuse: the recipient (user_id) refuses the gift or takes it back (Q_ENOTFOUND when not theirs). */
#define STORE_OPS_COLLECTIONS(X) \
	X(int, collection_create, (struct store *st, const struct collection *c, int64_t owner_id, int64_t *id), \
	  (st, c, owner_id, id)) \
	X(int, collection_update, (struct store *st, const struct collection *c), (st, c)) \
	X(int, collection_delete, (struct store *st, int64_t id), (st, id)) \
	X(int, collection_get, (struct store *st, struct arena *a, int64_t id, const char *name, struct collection *out), \
	  (st, a, id, name, out)) \
	X(int, collection_list, (struct store *st, struct arena *a, const struct collection_query *q, \
	                         struct collection **out, size_t *n), (st, a, q, out, n)) \
	X(int, collection_member_set, (struct store *st, int64_t collection_id, int64_t user_id, int role), \
	  (st, collection_id, user_id, role)) \
	X(int, collection_member_role, (struct store *st, int64_t collection_id, int64_t user_id, int *role), \
	  (st, collection_id, user_id, role)) \
	X(int, collection_members, (struct store *st, struct arena *a, int64_t collection_id, int min_role, \
	                            const char *after_name, int limit, struct collection_member **out, size_t *n), \
	  (st, a, collection_id, min_role, after_name, limit, out, n)) \
	X(int, collection_item_set, (struct store *st, int64_t collection_id, int64_t work_id, int by_collection, \
	                             int by_creator, int64_t added_by), \
	  (st, collection_id, work_id, by_collection, by_creator, added_by)) \
	X(int, collection_item_delete, (struct store *st, int64_t collection_id, int64_t work_id), \
	  (st, collection_id, work_id)) \
	X(int, collection_items_of_work, (struct store *st, struct arena *a, int64_t work_id, \
	                                  struct collection_item **out, size_t *n), (st, a, work_id, out, n)) \
	X(int, collection_items, (struct store *st, struct arena *a, int64_t collection_id, int state, int64_t before, \
	                          int limit, struct collection_item **out, size_t *n), \
	  (st, a, collection_id, state, before, limit, out, n)) \
	X(int, collection_reveal, (struct store *st, int64_t collection_id, bool works, bool creators), \
	  (st, collection_id, works, creators)) \
	X(int, collection_reveal_due, (struct store *st, struct arena *a, int64_t now, int64_t **ids, size_t *n), \
	  (st, a, now, ids, n)) \
	X(int, gifts_set, (struct store *st, int64_t work_id, const struct gift *g, size_t n), (st, work_id, g, n)) \
	X(int, gifts_of_work, (struct store *st, struct arena *a, int64_t work_id, struct gift **out, size_t *n), \
	  (st, a, work_id, out, n)) \
	X(int, gifts_of_user, (struct store *st, struct arena *a, int64_t user_id, bool with_refused, \
	                       int64_t before_id, int limit, struct gift **out, size_t *n), \
	  (st, a, user_id, with_refused, before_id, limit, out, n)) \
	X(int, gift_refuse, (struct store *st, int64_t gift_id, int64_t user_id, bool refused), \
	  (st, gift_id, user_id, refused))
#endif
