/* Work workflows: post (with the first chapter and invitations), edit, post a draft, delete, accept an
 * invitation. Each validates and renders first, then re-reads and writes in one store transaction. */
#include "archive/work.h"
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
	/* Hidden works answer exactly like missing ones, so ids cannot be probed. */
	if (!work_can_view(out, u))
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

int archive_work_post(struct store *st, struct arena *a, const struct user *u, const struct work_input *in,
                      const struct chapter_input *first, bool preview, struct archive_result *out,
                      struct field_errors *errors)
{
	memset(out, 0, sizeof *out);
	struct work *w = &out->work;
	struct chapter *c = &out->chapter;
	work_rules_build(a, in, w, errors);
	chapter_rules_build(a, first, "chapter.", c, errors);
	/* A rejected submission is still checked through (every problem at once) but never written. */
	bool write = !preview && errors->n == 0;
	int rc = write ? store_tx_begin(st) : 0;
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
	if (rc == 0 && write) {
		rc = store_work_create(st, w, c, u->id, &w->id, &c->id);
		c->work_id = w->id;
	}
	if (rc == 0 && write)
		rc = comment_settings_write(st, w->id, in);
	if (rc == 0 && write)
		rc = suggestions_setting_write(st, w->id, in);
	return write ? archive_tx_end(st, rc) : rc;
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
