/* The store's related works: a work inspired by, translating or recording (podfic) another work, here or
 * elsewhere; the other work's creators approve the link back. Operations are lines of store_ops.h
 * (STORE_OPS_RELATED). Included by store.h only, after the types it uses. */
#ifndef QUIRE_STORE_STORE_RELATED_H
#define QUIRE_STORE_STORE_RELATED_H

enum relation_kind { RELATION_INSPIRED = 0, RELATION_TRANSLATION = 1, RELATION_PODFIC = 2, RELATION_KINDS };

/* One link from a work (the child) to what it comes from (the parent): a work here (parent_id) or elsewhere
 * (url, title, author). */
struct work_relation {
	int64_t id;
	int64_t work_id;             /* the child */
	int kind;                    /* enum relation_kind */
	int64_t parent_id;           /* a work here (0: elsewhere) */
	const char *url, *title, *author; /* elsewhere: its address, title and author (author may be "") */
	bool approved;               /* the parent's creators show the link back (a work here only) */
	int64_t created_at;
	/* read only: the other work of the pair, as the side read needs it (the parent for relations_of, the child
	 * for relations_to): its title, its owner's name, and whether others may see it and name its creators */
	const char *other_title, *other_creator;
	int64_t other_owner_id;
	bool other_listed;           /* posted and revealed */
	bool other_restricted, other_anonymous;
};

/* The operations:
 * relations_set: the work's links become r[0..n) (work_id ignored): a link to a parent already there keeps its id
 *   and approval; the parents' creators are told (inbox) of a new link once the work can be seen.
 * relations_of: the work's own links (to its parents), in the order given.
 * relations_to: the links to a work (its children), newest first; approved ones only unless with_pending.
 * relation_approve: the parent's creators show (approved) or hide the link back; Q_ENOTFOUND when the link is
 *   not to a work parent_id. */
#define STORE_OPS_RELATED(X) \
	X(int, relations_set, (struct store *st, int64_t work_id, const struct work_relation *r, size_t n), \
	  (st, work_id, r, n)) \
	X(int, relations_of, (struct store *st, struct arena *a, int64_t work_id, struct work_relation **out, size_t *n), \
	  (st, a, work_id, out, n)) \
	X(int, relations_to, (struct store *st, struct arena *a, int64_t parent_id, bool with_pending, \
	                      struct work_relation **out, size_t *n), (st, a, parent_id, with_pending, out, n)) \
	X(int, relation_approve, (struct store *st, int64_t id, int64_t parent_id, bool approved), \
	  (st, id, parent_id, approved))
#endif
