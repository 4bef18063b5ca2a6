/* Work workflows: post (with the first chapter and invitations), edit, post a draft, delete, accept an
 * invitation. Each validates and renders first, then re-reads and writes in one store transaction. */
#include "archive/work.h"
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "archive/prompts.h"
#include "archive/related.h"
#include "archive/set.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>
#include <time.h>

int archive_work_load(struct store *st, struct arena *a, const struct user *u, int64_t work_id, bool for_edit,
                      struct work *out)
{
	if (work_id <= 0)
		return Q_ENOTFOUND;
	int rc = store_work_get(st, a, work_id, out);
	if (rc != 0)
		return rc;
	/* Hidden works answer exactly like missing ones, so ids cannot be probed. A work not yet revealed is
	 * also its collections' moderators' to see, unless the site's moderators hid it. */
	if (!work_can_view(out, u) &&
	    !(out->unrevealed && work_is_public(out) && archive_moderates_work(st, a, u, out->id)))
		return Q_ENOTFOUND;
	if (for_edit && !work_can_edit(out, u))
		return Q_EPERM;
	return 0;
}

bool archive_work_needs_login(struct store *st, struct arena *a, int64_t work_id)
{
	struct work w;
	return work_id > 0 && store_work_get(st, a, work_id, &w) == 0 && w.restricted && !w.draft && !w.hidden &&
	       !w.removed;
}

static bool on_work(const struct work *w, int64_t user_id)
{
	for (size_t i = 0; w && i < w->ncreators; i++)
		if (w->creators[i].user_id == user_id)
			return true;
	return false;
}

/* The users named in names to invite to w (NULL for a new work), as pending creators (arena memory):
 * names cleaned, blanks and repeats (ignoring case) dropped, u and whoever is on the work already
 * skipped. Unknown names (orphan_account among them) make one error naming them; so does a work that
 * would have more than WORK_COAUTHORS_MAX co-creators. work_rules_build capped the list, so the lookups
 * are few whatever was sent. Returns 0 or a store error. */
static int resolve_coauthors(struct store *st, struct arena *a, const struct user *u, const struct strlist *names,
                             const struct work *w, struct creator **out, size_t *n, struct field_errors *e)
{
	*out = arena_calloc(a, names->n + 1, sizeof **out);
	*n = 0;
	if (names->n == 0 || names->n > WORK_COAUTHORS_MAX || field_error_get(e, "coauthors"))
		return 0;
	struct archive_set *seen = archive_set_new(a, names->n);
	const char *missing = NULL;
	for (size_t i = 0; i < names->n; i++) {
		const char *name = archive_clean_line(a, names->items[i]);
		if (!*name || !archive_set_add_str(seen, name) || !strcasecmp(name, u->name))
			continue;
		struct user x;
		int rc = store_user_get_by_name(st, a, name, &x);
		if (rc == Q_ENOTFOUND || (rc == 0 && !strcmp(x.role, "orphan"))) {
			const char *q = archive_quote(a, name);
			missing = missing ? arena_printf(a, "%s, %s", missing, q) : q;
			continue;
		}
		if (rc != 0)
			return rc;
		if (x.id != u->id && !on_work(w, x.id))
			(*out)[(*n)++] = (struct creator){.user_id = x.id, .name = x.name, .accepted = false};
	}
	size_t have = w && w->ncreators ? w->ncreators - 1 : 0; /* everyone but the owner, invitations too */
	if (missing)
		field_error(e, "coauthors", arena_printf(a, "There is no user named %s to invite.", missing));
	else if (have + *n > WORK_COAUTHORS_MAX)
		field_error(e, "coauthors", arena_printf(a, "A work can have at most %d co-creators (this one would "
		                                         "have %zu).", WORK_COAUTHORS_MAX, have + *n));
	return 0;
}

/* w's creators followed by the invited (arena memory). */
static void add_creators(struct arena *a, struct work *w, const struct creator *more, size_t n)
{
	struct creator *all = arena_calloc(a, w->ncreators + n + 1, sizeof *all);
	if (w->ncreators)
		memcpy(all, w->creators, w->ncreators * sizeof *all);
	if (n)
		memcpy(all + w->ncreators, more, n * sizeof *all);
	w->creators = all;
	w->ncreators += n;
}

/* l with name added when it is not there already (ignoring case), in a. */
static void with_name(struct arena *a, struct strlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i] && !strcasecmp(l->items[i], name))
			return;
	const char **items = arena_calloc(a, l->n + 2, sizeof *items);
	if (l->n)
		memcpy(items, l->items, l->n * sizeof *items);
	items[l->n] = name;
	l->items = items;
	l->n++;
}

/* The collections and gift recipients a submission names (only those it carries), resolved with u's rights. */
static int collections_and_gifts(struct store *st, struct arena *a, const struct user *u, const struct work_input *in,
                                 struct collection **cols, size_t *ncols, bool *anonymous, bool *unrevealed,
                                 struct gift **gifts, size_t *ngifts, struct field_errors *errors)
{
	int rc = 0;
	if (in->with_collections)
		rc = archive_collections_resolve(st, a, u, &in->collections, cols, ncols, anonymous, unrevealed, errors);
	if (rc == 0 && in->with_gifts)
		rc = archive_gifts_resolve(st, a, u, &in->gifts, gifts, ngifts, errors);
	return rc;
}

/* The comment settings a submission carries, in the work's transaction (checked by work_rules_build). */
static int comment_settings_write(struct store *st, int64_t work_id, const struct work_input *in)
{
	if (!in->comment_settings)
		return 0;
	return store_response_settings_set(st, work_id, in->comment_policy, in->comments_moderated);
}

/* The readers' suggestions setting a submission carries, in the work's transaction. */
static int suggestions_setting_write(struct store *st, int64_t work_id, const struct work_input *in)
{
	return in->suggestions_setting ? store_suggestions_enabled_set(st, work_id, in->reader_suggestions) : 0;
}

/* What follows the rules when a work is posted (out holds the work and first chapter they built, errors
 * their problems): co-creators looked up, owner and dates set, and unless preview (or errors) the writes;
 * own_tx: begin and end the transaction here (else the caller's is open already). */
static int work_write(struct store *st, struct arena *a, const struct user *u, const struct work_input *in, bool preview,
                      bool own_tx, struct archive_result *out, struct field_errors *errors)
{
	struct work *w = &out->work;
	struct chapter *c = &out->chapter;
	/* A rejected submission is still checked through (every problem at once) but never written. */
	bool write = !preview && errors->n == 0;
	int rc = write && own_tx ? store_tx_begin(st) : 0;
	if (rc != 0)
		return rc;
	struct creator *invited;
	size_t ninvited;
	rc = resolve_coauthors(st, a, u, &in->coauthors, NULL, &invited, &ninvited, errors);
	if (rc == 0 && errors->n)
		rc = Q_EINVAL;
	if (rc == 0) {
		int64_t now = (int64_t)time(NULL);
		w->created_at = w->updated_at = now;
		w->published_at = w->draft ? 0 : now;
		w->chapter_count = 1;
		w->word_count = c->word_count;
		c->position = 1;
		c->published_at = w->published_at;
		c->updated_at = now;
		/* The owner first, then the invitations: the store writes them in the work's own transaction. */
		struct creator owner = {.user_id = u->id, .name = u->name, .accepted = true};
		add_creators(a, w, &owner, 1);
		add_creators(a, w, invited, ninvited);
	}
	/* Collections and gifts: checked with the rest; the work is hidden from its first row when one hides it. */
	struct collection *cols = NULL;
	struct gift *gifts = NULL;
	size_t ncols = 0, ngifts = 0;
	if (rc == 0 || rc == Q_EINVAL) {
		int crc = collections_and_gifts(st, a, u, in, &cols, &ncols, &w->anonymous, &w->unrevealed, &gifts,
		                                &ngifts, errors);
		rc = crc ? crc : errors->n ? Q_EINVAL : rc;
	}
	struct work_relation *rel = NULL;
	size_t nrel = 0;
	if ((rc == 0 || rc == Q_EINVAL) && in->with_related) {
		int rrc = archive_relations_resolve(st, a, u, 0, in->site, in->related, in->nrelated, &rel, &nrel, errors);
		rc = rrc ? rrc : errors->n ? Q_EINVAL : rc;
	}
	if (rc == 0 && write) {
		rc = store_work_create(st, w, c, u->id, &w->id, &c->id);
		c->work_id = w->id;
	}
	if (rc == 0 && write)
		rc = comment_settings_write(st, w->id, in);
	if (rc == 0 && write)
		rc = suggestions_setting_write(st, w->id, in);
	if (rc == 0 && write && ncols)
		rc = archive_collections_apply(st, a, u, w->id, cols, ncols, false);
	if (rc == 0 && write && ngifts)
		rc = store_gifts_set(st, w->id, gifts, ngifts);
	if (rc == 0 && write && in->assignment_id > 0)
		rc = archive_assignment_fulfill(st, in->assignment_id, w->id);
	if (rc == 0 && write && in->prompt_id > 0)
		rc = archive_prompt_fill(st, in->prompt_id, w->id, u->id);
	if (rc == 0 && write && nrel)
		rc = store_relations_set(st, w->id, rel, nrel);
	return write && own_tx ? archive_tx_end(st, rc) : rc;
}

int archive_work_post(struct store *st, struct arena *a, const struct user *u, const struct work_input *in,
                      const struct chapter_input *first, bool preview, struct archive_result *out,
                      struct field_errors *errors)
{
	memset(out, 0, sizeof *out);
	/* Written for an assignment: it names the assignment's collection and recipient, whatever else it names. */
	struct work_input for_assignment;
	struct assignment asg;
	if (in->assignment_id != 0) {
		int arc = archive_assignment_for_work(st, a, u, in->assignment_id, &asg, errors);
		if (arc)
			return arc;
		if (!field_error_get(errors, "assignment")) {
			for_assignment = *in;
			with_name(a, &for_assignment.collections, asg.collection_name);
			with_name(a, &for_assignment.gifts, asg.recipient_name);
			for_assignment.with_collections = for_assignment.with_gifts = true;
			in = &for_assignment;
		}
	}
	/* Written for a prompt: it goes into the prompt's meme. */
	struct work_input for_prompt;
	struct prompt prompt;
	if (in->prompt_id != 0) {
		int prc = archive_prompt_for_work(st, a, u, in->prompt_id, &prompt, errors);
		if (prc)
			return prc;
		if (!field_error_get(errors, "prompt")) {
			for_prompt = *in;
			with_name(a, &for_prompt.collections, prompt.collection_name);
			for_prompt.with_collections = true;
			in = &for_prompt;
		}
	}
	work_rules_build(a, in, &out->work, errors);
	chapter_rules_build(a, first, "chapter.", &out->chapter, errors);
	return work_write(st, a, u, in, preview, true, out, errors);
}

int archive_work_post_built(struct store *st, struct arena *a, const struct user *u, const struct work_input *in,
                            bool preview, struct archive_result *built, struct field_errors *errors)
{
	return work_write(st, a, u, in, preview, false, built, errors);
}

/* Copies onto w what a submission decides (built by work_rules_build from a zeroed work); the rest of w
 * (id, dates, counts, creators) stays as stored. */
static void apply_work(struct work *w, const struct work *b)
{
	w->title = b->title;
	w->summary = b->summary;
	w->notes = b->notes;
	w->end_notes = b->end_notes;
	w->language = b->language;
	memcpy(w->tags, b->tags, sizeof w->tags);
	w->expected_chapters = b->expected_chapters;
	w->complete = b->complete;
	w->draft = b->draft;
	w->restricted = b->restricted;
	w->series_title = b->series_title;
	w->series_position = b->series_position;
	if (!b->series_title)
		w->series_id = 0;
	w->sanitizer_version = b->sanitizer_version;
}

int archive_work_edit(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                      const struct work_input *in, bool preview, struct archive_result *out,
                      struct field_errors *errors)
{
	memset(out, 0, sizeof *out);
	struct work built = {0}, old;
	work_rules_build(a, in, &built, errors);
	bool write = !preview && errors->n == 0;
	int rc = write ? store_tx_begin(st) : 0;
	if (rc != 0)
		return rc;
	struct creator *invited = NULL;
	size_t ninvited = 0;
	/* Read again inside the transaction: the checks below hold for what is written. */
	rc = archive_work_load(st, a, u, work_id, true, &old);
	if (rc == 0) {
		if (!old.draft && built.draft)
			field_error(errors, "draft", "A posted work cannot become a draft again.");
		if (built.expected_chapters > 0 && built.expected_chapters < old.chapter_count)
			field_error(errors, "expected_chapters",
			            arena_printf(a, "This work already has %d chapters: expect at least that many (or "
			                            "leave it blank).", old.chapter_count));
		rc = resolve_coauthors(st, a, u, &in->coauthors, &old, &invited, &ninvited, errors);
	}
	struct collection *cols = NULL;
	struct gift *gifts = NULL;
	size_t ncols = 0, ngifts = 0;
	bool anonymous = false, unrevealed = false;
	if (rc == 0)
		rc = collections_and_gifts(st, a, u, in, &cols, &ncols, &anonymous, &unrevealed, &gifts, &ngifts, errors);
	struct work_relation *rel = NULL;
	size_t nrel = 0;
	if (rc == 0 && in->with_related)
		rc = archive_relations_resolve(st, a, u, work_id, in->site, in->related, in->nrelated, &rel, &nrel, errors);
	if (rc == 0 && errors->n)
		rc = Q_EINVAL;
	if (rc == 0) {
		out->work = old;
		apply_work(&out->work, &built);
		if (old.draft && !built.draft)
			out->work.published_at = (int64_t)time(NULL);
		add_creators(a, &out->work, invited, ninvited);
	}
	if (rc == 0 && write)
		rc = store_work_update(st, &out->work);
	/* Nobody on the work is among them: it was read again inside this transaction. */
	for (size_t i = 0; rc == 0 && write && i < ninvited; i++)
		rc = store_work_invite(st, work_id, invited[i].user_id);
	if (rc == 0 && write)
		rc = comment_settings_write(st, work_id, in);
	if (rc == 0 && write)
		rc = suggestions_setting_write(st, work_id, in);
	if (rc == 0 && write && in->with_collections)
		rc = archive_collections_apply(st, a, u, work_id, cols, ncols, true);
	if (rc == 0 && write && in->with_gifts)
		rc = store_gifts_set(st, work_id, gifts, ngifts);
	if (rc == 0 && write && in->with_related)
		rc = store_relations_set(st, work_id, rel, nrel);
	return write ? archive_tx_end(st, rc) : rc;
}

int archive_work_post_draft(struct store *st, struct arena *a, const struct user *u, int64_t work_id)
{
	struct work w;
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	rc = archive_work_load(st, a, u, work_id, true, &w);
	if (rc == 0 && w.draft) {
		w.draft = false;
		w.published_at = (int64_t)time(NULL);
		rc = store_work_update(st, &w);
	}
	return archive_tx_end(st, rc);
}

int archive_work_delete(struct store *st, struct arena *a, const struct user *u, int64_t work_id)
{
	struct work w;
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	rc = archive_work_load(st, a, u, work_id, true, &w);
	if (rc == 0)
		rc = store_work_delete(st, work_id);
	return archive_tx_end(st, rc);
}

int archive_invite_accept(struct store *st, const struct user *u, int64_t work_id)
{
	if (work_id <= 0)
		return Q_ENOTFOUND;
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	return archive_tx_end(st, store_work_accept(st, work_id, u->id));
}
