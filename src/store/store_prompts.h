/* The store's prompt memes: prompts (tags and text, anonymous or not), claims and fills; their operations are lines
 * of store_ops.h (STORE_OPS_PROMPTS). Included by store.h only, after the types it uses. */
#ifndef QUIRE_STORE_STORE_PROMPTS_H
#define QUIRE_STORE_STORE_PROMPTS_H

struct prompt {
	int64_t id, collection_id;
	int64_t user_id;             /* the prompter (0: the account is gone) */
	bool anonymous;              /* the prompter is shown to nobody but themselves and the moderators */
	const char *title;
	struct text description;
	struct strlist tags[EXCHANGE_DIMS]; /* names, by exchange_dim (the store creates tags it lacks) */
	int64_t claims_count, fills_count;  /* kept by the store */
	int64_t created_at;
	/* read only */
	const char *user_name;
	const char *collection_name, *collection_title;
};

/* Which prompts store_prompts_list returns. */
enum prompt_state { PROMPTS_ALL, PROMPTS_UNFILLED, PROMPTS_FILLED, PROMPTS_UNCLAIMED, PROMPTS_CLAIMED };

struct prompt_query {
	int64_t collection_id;
	int state;                   /* enum prompt_state */
	const char *tag;             /* NULL or "": any; else prompts naming a tag of that name (any type) */
	int64_t user_id;             /* 0: anyone's; else this prompter's */
	int64_t before_id;           /* 0: from the newest */
	int limit;                   /* 1..200 */
};

struct prompt_claim {
	int64_t prompt_id, user_id;
	const char *user_name;
	int64_t created_at;
	int64_t work_id;             /* the fill that fulfilled it (0: not yet) */
	/* read only */
	const char *prompt_title, *collection_name;
};

struct prompt_fill {
	int64_t prompt_id, work_id, user_id;
	int64_t created_at;
	/* read only */
	const char *work_title;
	bool work_listed;            /* posted and revealed */
	bool work_restricted;        /* members only */
	const char *prompt_title, *prompter_name, *collection_name, *collection_title;
	bool prompt_anonymous;
	int64_t prompter_id;
};

/* The operations:
 * prompt_create: a new prompt with its tags; *id.
 * prompt_get: one prompt with its tags and names.
 * prompt_delete: removes it with its claims and fills (the works stay).
 * prompts_list: see struct prompt_query; newest first, tags not read.
 * prompts_count: how many prompts user_id has in the collection (for the caps).
 * prompt_claim: user claims (on) or unclaims; Q_EEXIST when claimed already, Q_ENOTFOUND to unclaim nothing.
 * prompt_claims: a prompt's claims, oldest first; with user_id 0, else that user's claims in collection_id.
 * prompt_fill: work fills the prompt (by user): the fill is recorded, user's claim fulfilled, and the prompter told
 *   (inbox) once the work can be seen.
 * prompt_fills: the fills of a prompt (prompt_id) or the prompts a work fills (work_id). */
#define STORE_OPS_PROMPTS(X) \
	X(int, prompt_create, (struct store *st, const struct prompt *p, int64_t *id), (st, p, id)) \
	X(int, prompt_get, (struct store *st, struct arena *a, int64_t id, struct prompt *out), (st, a, id, out)) \
	X(int, prompt_delete, (struct store *st, int64_t id), (st, id)) \
	X(int, prompts_list, (struct store *st, struct arena *a, const struct prompt_query *q, struct prompt **out, \
	                      size_t *n), (st, a, q, out, n)) \
	X(int, prompts_count, (struct store *st, int64_t collection_id, int64_t user_id, int64_t *count), \
	  (st, collection_id, user_id, count)) \
	X(int, prompt_claim, (struct store *st, int64_t prompt_id, int64_t user_id, bool on), (st, prompt_id, user_id, on)) \
	X(int, prompt_claims, (struct store *st, struct arena *a, int64_t prompt_id, int64_t collection_id, \
	                       int64_t user_id, struct prompt_claim **out, size_t *n), \
	  (st, a, prompt_id, collection_id, user_id, out, n)) \
	X(int, prompt_fill, (struct store *st, int64_t prompt_id, int64_t work_id, int64_t user_id), \
	  (st, prompt_id, work_id, user_id)) \
	X(int, prompt_fills, (struct store *st, struct arena *a, int64_t prompt_id, int64_t work_id, \
	                      struct prompt_fill **out, size_t *n), (st, a, prompt_id, work_id, out, n))
#endif
