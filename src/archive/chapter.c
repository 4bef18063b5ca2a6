/* Chapter workflows: add (raising the expected count), edit, delete (never the last), reorder. Each
 * validates and renders first, then re-reads the work and writes in one store transaction. */
#include "archive/chapter.h"
#include "archive/set.h"
#include "archive/tx.h"
#include "core/err.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOT_OURS "The new order names a chapter that is not part of this work (it may have been deleted " \
                 "meanwhile). Reload the page and try again."
#define ONLY_CHAPTER "This is the work's only chapter, and a work needs at least one. To remove it, delete the " \
                     "whole work instead."

int archive_chapter_add(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                        const struct chapter_input *in, bool preview, struct archive_result *out,
                        struct field_errors *errors)
{
	memset(out, 0, sizeof *out);
	struct work *w = &out->work;
	struct chapter *c = &out->chapter;
	chapter_rules_build(a, in, "", c, errors);
	bool write = !preview && errors->n == 0;
	int rc = write ? store_tx_begin(st) : 0;
	if (rc != 0)
		return rc;
	rc = archive_work_load(st, a, u, work_id, true, w);
	if (rc == 0 && w->chapter_count >= WORK_CHAPTERS_MAX)
		field_error(errors, "chapter", arena_printf(a, "A work can have at most %d chapters.", WORK_CHAPTERS_MAX));
	if (rc == 0 && errors->n)
		rc = Q_EINVAL;
	if (rc != 0)
		return write ? archive_tx_end(st, rc) : rc;

	int64_t now = (int64_t)time(NULL);
	c->work_id = w->id;
	c->position = w->chapter_count + 1;
	c->published_at = w->draft ? 0 : now; /* a draft's chapters are published when it is posted */
	c->updated_at = now;
	w->chapter_count++;
	w->word_count += c->word_count;
	/* As on AO3, a work never reads "3/2": the expected count follows the chapters. */
	bool raise = w->expected_chapters > 0 && w->chapter_count > w->expected_chapters;
	if (raise)
		w->expected_chapters = w->chapter_count;
	if (!write)
		return 0;
	rc = store_chapter_create(st, c, &c->id);
	if (rc == 0 && raise)
		rc = store_work_update(st, w);
	return archive_tx_end(st, rc);
}

/* Copies onto c what a submission decides (built by chapter_rules_build from a zeroed chapter). */
static void apply_chapter(struct chapter *c, const struct chapter *b)
{
	c->title = b->title;
	c->summary = b->summary;
	c->notes = b->notes;
	c->end_notes = b->end_notes;
	c->content = b->content;
	c->content_format = b->content_format;
	c->content_html = b->content_html;
	c->word_count = b->word_count;
	c->sanitizer_version = b->sanitizer_version;
}

/* Loads the work (for a change by u) and its chapter chapter_id into out. */
static int load_chapter(struct store *st, struct arena *a, const struct user *u, int64_t work_id, int64_t chapter_id,
                        struct archive_result *out)
{
	int rc = archive_work_load(st, a, u, work_id, true, &out->work);
	if (rc == 0)
		rc = chapter_id > 0 ? store_chapter_get(st, a, work_id, chapter_id, &out->chapter) : Q_ENOTFOUND;
	if (rc == 0 && out->chapter.work_id != work_id)
		rc = Q_ENOTFOUND;
	return rc;
}

int archive_chapter_edit(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                         int64_t chapter_id, const struct chapter_input *in, bool preview,
                         struct archive_result *out, struct field_errors *errors)
{
	memset(out, 0, sizeof *out);
	struct chapter built = {0};
	chapter_rules_build(a, in, "", &built, errors);
	bool write = !preview && errors->n == 0;
	int rc = write ? store_tx_begin(st) : 0;
	if (rc != 0)
		return rc;
	rc = load_chapter(st, a, u, work_id, chapter_id, out);
	if (rc == 0 && errors->n)
		rc = Q_EINVAL;
	if (rc == 0) {
		apply_chapter(&out->chapter, &built);
		out->chapter.updated_at = (int64_t)time(NULL);
		if (write)
			rc = store_chapter_update(st, &out->chapter);
	}
	return write ? archive_tx_end(st, rc) : rc;
}

int archive_chapter_delete(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                           int64_t chapter_id, struct field_errors *errors)
{
	struct archive_result r;
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	rc = load_chapter(st, a, u, work_id, chapter_id, &r);
	if (rc == 0 && r.work.chapter_count <= 1)
		rc = Q_EINVAL;
	if (rc == 0)
		rc = store_chapter_delete(st, work_id, chapter_id); /* Q_EINVAL: its own last-chapter guard */
	if (rc == Q_EINVAL)
		field_error(errors, "chapter", ONLY_CHAPTER);
	return archive_tx_end(st, rc);
}

/* A chapter's place in the new order: where it is wanted, whether it was named (moved on purpose), and
 * where it was. */
struct order {
	int64_t id;
	long want;
	bool named;
	size_t was;
};

/* By wanted position; on a tie a named chapter goes before one keeping its place, and otherwise the
 * order they had stays. */
static int order_cmp(const void *x, const void *y)
{
	const struct order *p = x, *q = y;
	if (p->want != q->want)
		return p->want < q->want ? -1 : 1;
	if (p->named != q->named)
		return p->named ? -1 : 1;
	return p->was < q->was ? -1 : p->was > q->was;
}

static int position_cmp(const void *x, const void *y)
{
	const struct archive_position *p = x, *q = y;
	return (p->chapter_id > q->chapter_id) - (p->chapter_id < q->chapter_id);
}

int archive_chapter_reorder(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                            const struct archive_position *order, size_t n, struct field_errors *errors)
{
	if (n > WORK_CHAPTERS_MAX) {
		field_error(errors, "order", arena_printf(a, "A work has at most %d chapters to order.", WORK_CHAPTERS_MAX));
		return Q_EINVAL;
	}
	struct archive_set *named = archive_set_new(a, n);
	for (size_t i = 0; i < n; i++) {
		if (order[i].position < 1)
			field_error(errors, "order", "Chapter positions are whole numbers from 1.");
		else if (order[i].chapter_id <= 0)
			field_error(errors, "order", NOT_OURS);
		else if (!archive_set_add_id(named, order[i].chapter_id))
			field_error(errors, "order", "The new order names a chapter twice.");
	}
	if (errors->n)
		return Q_EINVAL;
	/* Sorted by id, the wishes can be looked up for each chapter. */
	struct archive_position *wish = arena_calloc(a, n + 1, sizeof *wish);
	if (n)
		memcpy(wish, order, n * sizeof *wish);
	qsort(wish, n, sizeof *wish, position_cmp);

	struct work w;
	struct chapter *list = NULL;
	size_t count = 0;
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	rc = archive_work_load(st, a, u, work_id, true, &w);
	if (rc == 0)
		rc = store_chapter_list(st, a, work_id, false, &list, &count);
	if (rc != 0)
		return archive_tx_end(st, rc);
	struct archive_set *have = archive_set_new(a, count);
	for (size_t i = 0; i < count; i++)
		archive_set_add_id(have, list[i].id);
	for (size_t i = 0; i < n; i++)
		if (!archive_set_has_id(have, order[i].chapter_id)) {
			field_error(errors, "order", NOT_OURS);
			return archive_tx_end(st, Q_EINVAL);
		}
	struct order *o = arena_calloc(a, count + 1, sizeof *o);
	int64_t *ids = arena_calloc(a, count + 1, sizeof *ids);
	for (size_t i = 0; i < count; i++) {
		struct archive_position key = {.chapter_id = list[i].id};
		const struct archive_position *p = n ? bsearch(&key, wish, n, sizeof *wish, position_cmp) : NULL;
		o[i] = (struct order){.id = list[i].id, .want = p ? p->position : list[i].position, .named = p != NULL,
		                      .was = i};
	}
	qsort(o, count, sizeof *o, order_cmp);
	for (size_t i = 0; i < count; i++)
		ids[i] = o[i].id;
	if (count > 0)
		rc = store_chapter_reorder(st, work_id, ids, count);
	return archive_tx_end(st, rc);
}
