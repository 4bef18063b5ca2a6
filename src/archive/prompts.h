/* Prompt memes: prompts (tags of any type and a description, anonymous or signed) in a prompt-meme collection,
 * claims (a writer says they are on it), and fills (a work posted for a prompt goes into the meme and tells the
 * prompter). Each workflow is one store transaction; return codes as archive/collections.h's. */
#ifndef QUIRE_ARCHIVE_PROMPTS_H
#define QUIRE_ARCHIVE_PROMPTS_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define PROMPT_TITLE_MAX 200
#define PROMPT_DESCRIPTION_MAX 5000
#define PROMPT_TAGS_MAX 10             /* tags of one type on a prompt */
#define PROMPTS_PER_USER_MAX 50        /* prompts one account has in one meme */
#define PROMPTS_PER_MEME_MAX 10000     /* prompts of one meme */
#define PROMPT_CLAIMS_OPEN_MAX 20      /* claims one account holds unfilled in one meme */

/* A prompt as submitted (raw; NULL = not given). */
struct prompt_input {
	const char *title, *description;
	const char *tags[EXCHANGE_DIMS];   /* comma-separated names; a fandom at least */
	bool anonymous;
};

/* Loads the prompt-meme collection named name with u's role (Q_ENOTFOUND when it runs no meme). */
int archive_prompt_meme_load(struct store *st, struct arena *a, const struct user *u, const char *name,
                             struct collection *c, int *role);
/* Shows p to u: an anonymous prompt names nobody (user_id 0, no name) but to its prompter and the meme's
 * moderators (role: u's in the meme). */
void archive_prompt_mask(struct prompt *p, const struct user *u, int role);
/* Whether u sees the claimers' names: in a meme that hides its creators, only the moderators (and each claimer
 * their own claim) do, since the claimers write the fills. */
bool archive_prompt_claims_shown(const struct collection *c, int role);

/* A new prompt in the meme called name (open to anyone logged in, a closed meme to its moderators; not to those
 * its moderators blocked); fields title, description, fandoms, characters, relationships, freeforms, prompt. */
int archive_prompt_create(struct store *st, struct arena *a, const struct user *u, const char *name,
                          const struct prompt_input *in, int64_t *id, struct field_errors *e);
/* Loads prompt id (masked for u) with its meme and u's role there. */
int archive_prompt_load(struct store *st, struct arena *a, const struct user *u, int64_t id, struct prompt *p,
                        struct collection *c, int *role);
/* The prompter or the meme's moderators delete a prompt (its claims and fills go; the works stay). */
int archive_prompt_delete(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why);
/* u claims the prompt (on) or gives the claim up; at most PROMPT_CLAIMS_OPEN_MAX unfilled claims in a meme. */
int archive_prompt_claim(struct store *st, struct arena *a, const struct user *u, int64_t id, bool on,
                         const char **why);

/* For the work workflows: a work u posts for prompt id (field "prompt") goes into the prompt's meme; then
 * archive_prompt_fill records it, inside the work's transaction (u's claim is fulfilled; the prompter is told
 * once the work can be seen). */
int archive_prompt_for_work(struct store *st, struct arena *a, const struct user *u, int64_t id, struct prompt *out,
                            struct field_errors *e);
int archive_prompt_fill(struct store *st, int64_t id, int64_t work_id, int64_t user_id);
#endif
