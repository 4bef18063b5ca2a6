/* Prompt memes: prompts, claims and fills. */
#include "archive/prompts.h"
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include <string.h>

static const char *const dim_keys[EXCHANGE_DIMS] = {"fandoms", "characters", "relationships", "freeforms"};
static const char *const dim_labels[EXCHANGE_DIMS] = {"Fandoms", "Characters", "Relationships", "Additional tags"};

int archive_prompt_meme_load(struct store *st, struct arena *a, const struct user *u, const char *name,
                             struct collection *c, int *role)
{
	int rc = archive_collection_load(st, a, u, name, c, role);
	if (rc == 0 && c->challenge != CHALLENGE_PROMPT_MEME)
		rc = Q_ENOTFOUND;
	return rc;
}

void archive_prompt_mask(struct prompt *p, const struct user *u, int role)
{
	if (!p->anonymous || collection_can_moderate(role) || (u && u->id == p->user_id && p->user_id))
		return;
	p->user_id = 0;
	p->user_name = NULL;
}

bool archive_prompt_claims_shown(const struct collection *c, int role)
{
	return !c->anonymous || collection_can_moderate(role);
}

int archive_prompt_create(struct store *st, struct arena *a, const struct user *u, const char *name,
                          const struct prompt_input *in, int64_t *id, struct field_errors *e)
{
	if (!u)
		return Q_EPERM;
	struct prompt p;
	memset(&p, 0, sizeof p);
	p.user_id = u->id;
	p.anonymous = in->anonymous;
	/* The rules first: every problem at once. */
	if (archive_check_text(a, e, "title", "Title", in->title, PROMPT_TITLE_MAX)) {
		p.title = archive_clean_line(a, in->title ? in->title : "");
		if (!*p.title)
			field_error(e, "title", "Give the prompt a title.");
	}
	archive_render_text(a, e, "description", "Prompt", in->description, PROMPT_DESCRIPTION_MAX, WORK_NOTES_ALLOW,
	                    &p.description);
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		exchange_tag_names(a, e, dim_keys[d], dim_labels[d], in->tags[d], PROMPT_TAGS_MAX, &p.tags[d]);
	if (!field_error_get(e, "fandoms") && p.tags[EXCHANGE_FANDOM].n == 0)
		field_error(e, "fandoms", "Name a fandom at least.");
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	int role;
	rc = archive_prompt_meme_load(st, a, u, name, &c, &role);
	if (rc == 0 && c.closed && !collection_can_moderate(role)) {
		field_error(e, "prompt", "This prompt meme is closed.");
		rc = Q_EPERM;
	}
	if (rc == 0 && role == COLLECTION_NOBODY && archive_collection_blocks(st, a, c.id, u->id, &rc)) {
		field_error(e, "prompt", "You cannot post prompts here.");
		rc = rc ? rc : Q_EPERM;
	}
	int64_t mine = 0, all = 0;
	if (rc == 0)
		rc = store_prompts_count(st, c.id, u->id, &mine);
	if (rc == 0)
		rc = store_prompts_count(st, c.id, 0, &all);
	if (rc == 0 && mine >= PROMPTS_PER_USER_MAX) {
		field_error(e, "prompt", arena_printf(a, "You have %d prompts here, the most one person may.",
		                                      PROMPTS_PER_USER_MAX));
		rc = Q_ETOOBIG;
	}
	if (rc == 0 && all >= PROMPTS_PER_MEME_MAX) {
		field_error(e, "prompt", arena_printf(a, "This meme is full (%d prompts).", PROMPTS_PER_MEME_MAX));
		rc = Q_ETOOBIG;
	}
	if (rc == 0 && e->n)
		rc = Q_EINVAL;
	/* Prompting joins the meme: its participants are its prompters and writers. */
	if (rc == 0 && role == COLLECTION_NOBODY)
		rc = store_collection_member_set(st, c.id, u->id, COLLECTION_MEMBER);
	p.collection_id = c.id;
	if (rc == 0)
		rc = store_prompt_create(st, &p, id);
	return archive_tx_end(st, rc);
}

int archive_prompt_load(struct store *st, struct arena *a, const struct user *u, int64_t id, struct prompt *p,
                        struct collection *c, int *role)
{
	*role = COLLECTION_NOBODY;
	int rc = id > 0 ? store_prompt_get(st, a, id, p) : Q_ENOTFOUND;
	if (rc == 0)
		rc = store_collection_get(st, a, p->collection_id, NULL, c);
	if (rc == 0 && u)
		rc = store_collection_member_role(st, c->id, u->id, role);
	if (rc == 0)
		archive_prompt_mask(p, u, *role);
	return rc;
}

int archive_prompt_delete(struct store *st, struct arena *a, const struct user *u, int64_t id, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct prompt p;
	struct collection c;
	int role;
	rc = archive_prompt_load(st, a, u, id, &p, &c, &role);
	if (rc == 0 && !(p.user_id == u->id || collection_can_moderate(role))) {
		rc = Q_EPERM;
		*why = "Only the prompter and the meme's moderators delete a prompt.";
	}
	if (rc == 0)
		rc = store_prompt_delete(st, id);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_ENOTFOUND ? "There is no such prompt." : "The prompt could not be deleted.";
	return rc;
}

int archive_prompt_claim(struct store *st, struct arena *a, const struct user *u, int64_t id, bool on,
                         const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct prompt p;
	struct collection c;
	int role;
	rc = archive_prompt_load(st, a, u, id, &p, &c, &role);
	if (rc == 0 && on && c.closed && !collection_can_moderate(role)) {
		rc = Q_EPERM;
		*why = "This prompt meme is closed.";
	}
	if (rc == 0 && on && role == COLLECTION_NOBODY && archive_collection_blocks(st, a, c.id, u->id, &rc)) {
		rc = rc ? rc : Q_EPERM;
		*why = "You cannot claim prompts here.";
	}
	if (rc == 0 && on) {
		struct prompt_claim *mine;
		size_t n = 0, open = 0;
		rc = store_prompt_claims(st, a, 0, c.id, u->id, &mine, &n);
		for (size_t i = 0; i < n; i++)
			open += mine[i].work_id == 0;
		if (rc == 0 && open >= PROMPT_CLAIMS_OPEN_MAX) {
			rc = Q_ETOOBIG;
			*why = "You hold as many unfilled claims here as one person may: fill or give one up first.";
		}
	}
	if (rc == 0 && on && role == COLLECTION_NOBODY)
		rc = store_collection_member_set(st, c.id, u->id, COLLECTION_MEMBER);
	if (rc == 0)
		rc = store_prompt_claim(st, id, u->id, on);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_EEXIST      ? "You claimed this prompt already."
		       : rc == Q_ENOTFOUND ? (on ? "There is no such prompt." : "You have not claimed this prompt.")
		                           : "The claim could not be saved.";
	return rc;
}

int archive_prompt_for_work(struct store *st, struct arena *a, const struct user *u, int64_t id, struct prompt *out,
                            struct field_errors *e)
{
	struct collection c;
	int role;
	int rc = u ? archive_prompt_load(st, a, u, id, out, &c, &role) : Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND) {
		field_error(e, "prompt", "There is no such prompt.");
		return 0;
	}
	return rc;
}

int archive_prompt_fill(struct store *st, int64_t id, int64_t work_id, int64_t user_id)
{
	return store_prompt_fill(st, id, work_id, user_id);
}
