/* The import workflow: many chapters checked first, then one transaction for the whole work. */
#include "archive/import.h"
#include "archive/tx.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>
#include <time.h>

/* archive_import_post; own_tx: begin and end the transaction here (else the caller's is open). Every chapter
 * is built by the rules once, before anything is written. */
static int import_post(struct store *st, struct arena *a, const struct user *u, const struct archive_import *in,
                       bool preview, bool own_tx, struct archive_import_result *out, struct field_errors *errors)
{
	memset(out, 0, sizeof *out);
	if (in->nchapters == 0 || !in->chapters) {
		field_error(errors, "chapters", "An imported work needs at least one chapter.");
		return Q_EINVAL;
	}
	if (in->nchapters > WORK_CHAPTERS_MAX) {
		field_error(errors, "chapters", arena_printf(a, "A work can have at most %d chapters.", WORK_CHAPTERS_MAX));
		return Q_EINVAL;
	}
	struct work_input wi = in->work;
	/* As on AO3, a work never reads "3/2": the expected count follows the chapters. */
	if (wi.expected_chapters > 0 && (size_t)wi.expected_chapters < in->nchapters)
		wi.expected_chapters = (int)in->nchapters;
	struct archive_result first = {0};
	work_rules_build(a, &wi, &first.work, errors);
	out->chapters = arena_calloc(a, in->nchapters, sizeof *out->chapters);
	out->nchapters = in->nchapters;
	for (size_t i = 0; i < in->nchapters; i++) {
		struct chapter *c = i ? &out->chapters[i] : &first.chapter;
		chapter_rules_build(a, &in->chapters[i], arena_printf(a, "chapters.%zu.", i + 1), c, errors);
		c->position = (int)i + 1;
	}
	bool began = own_tx && !preview && errors->n == 0;
	int rc = began ? store_tx_begin(st) : 0;
	if (rc)
		return rc;
	/* co-creators looked up (and, unless this is a preview, the work and its first chapter written) */
	rc = archive_work_post_built(st, a, u, &wi, preview || errors->n, &first, errors);
	if (rc == 0 && errors->n)
		rc = Q_EINVAL;
	out->work = first.work;
	out->chapters[0] = first.chapter;
	if (rc != 0 || preview) {
		if (began)
			store_tx_rollback(st);
		return rc;
	}
	int64_t now = (int64_t)time(NULL);
	int64_t published = in->published_at > 0 && in->published_at < now ? in->published_at : now;
	int64_t updated = in->updated_at > published && in->updated_at < now ? in->updated_at : published;
	struct work *w = &out->work;
	w->chapter_count = (int)in->nchapters;
	w->word_count = 0;
	for (size_t i = 0; i < in->nchapters; i++) {
		struct chapter *c = &out->chapters[i];
		int64_t cp = in->chapter_published && in->chapter_published[i] > 0 && in->chapter_published[i] < now
		                     ? in->chapter_published[i] : published;
		c->published_at = w->draft ? 0 : cp;
		c->updated_at = cp;
		c->work_id = w->id;
		w->word_count += c->word_count;
	}
	w->published_at = w->draft ? 0 : published;
	w->updated_at = updated;
	for (size_t i = 1; rc == 0 && i < in->nchapters; i++)
		rc = store_chapter_create(st, &out->chapters[i], &out->chapters[i].id);
	for (size_t i = 0; rc == 0 && i < in->nchapters; i++)
		rc = store_chapter_dates_set(st, out->chapters[i].id, out->chapters[i].published_at ? out->chapters[i].published_at
		                                                                                  : out->chapters[i].updated_at,
		                             out->chapters[i].updated_at);
	if (rc == 0)
		rc = store_work_dates_set(st, w->id, published, updated);
	if (rc == 0 && in->source)
		rc = store_work_source_set(st, w->id, in->source);
	return began ? archive_tx_end(st, rc) : rc;
}

int archive_import_post(struct store *st, struct arena *a, const struct user *u, const struct archive_import *in,
                        bool preview, struct archive_import_result *out, struct field_errors *errors)
{
	return import_post(st, a, u, in, preview, true, out, errors);
}

int archive_import_post_joined(struct store *st, struct arena *a, const struct user *u, const struct archive_import *in,
                               struct archive_import_result *out, struct field_errors *errors)
{
	return import_post(st, a, u, in, false, false, out, errors);
}

/* Items of in that are among choices (spelled as choices spell them). */
static void only_choices(struct arena *a, const struct strlist *in, const char *const *choices, struct strlist *out)
{
	out->items = arena_calloc(a, in->n + 1, sizeof *out->items);
	out->n = 0;
	for (size_t i = 0; i < in->n; i++)
		for (size_t k = 0; choices[k]; k++)
			if (!strcasecmp(in->items[i], choices[k]))
				out->items[out->n++] = choices[k];
}

void archive_import_prefill(struct arena *a, const struct import_work *iw, struct work_input *out)
{
	memset(out, 0, sizeof *out);
	out->title = iw->title;
	out->summary = iw->summary_html;
	out->notes = iw->notes_html;
	out->end_notes = iw->end_notes_html;
	out->language = iw->language && *iw->language ? iw->language : "English";
	out->rating = "";
	for (size_t k = 0; work_ratings[k]; k++)
		if (iw->rating && !strcasecmp(iw->rating, work_ratings[k]))
			out->rating = work_ratings[k];
	only_choices(a, &iw->tags[TAG_WARNING], work_warnings, &out->tags[TAG_WARNING]);
	only_choices(a, &iw->tags[TAG_CATEGORY], work_categories, &out->tags[TAG_CATEGORY]);
	for (int t = TAG_FANDOM; t < TAG_TYPE_COUNT; t++)
		out->tags[t] = iw->tags[t];
	out->series_title = iw->series_title;
	out->series_position = iw->series_position;
	out->expected_chapters = iw->expected_chapters;
	out->complete = iw->complete;
	out->coauthors.items = arena_calloc(a, 1, sizeof *out->coauthors.items);
}

void archive_import_chapter(struct arena *a, const struct import_work *iw, const struct archive_import_choices *choices,
                            size_t i, struct chapter_input *out)
{
	const struct import_chapter *c = &iw->chapters[i];
	const enum import_place *places = choices->places ? choices->places[i] : NULL;
	const char *title = choices->chapter_titles && choices->chapter_titles[i] ? choices->chapter_titles[i] : c->title;
	*out = (struct chapter_input){
		.title = title,
		.summary = c->summary_html,
		.notes = import_chapter_html(a, c, places, IMPORT_NOTES),
		.end_notes = import_chapter_html(a, c, places, IMPORT_END_NOTES),
		.content = import_chapter_html(a, c, places, IMPORT_TEXT),
		.format = "html",
	};
}

int archive_import_from(struct store *st, struct arena *a, const struct user *u, const struct import_work *iw,
                        const struct archive_import_choices *choices, bool preview, struct archive_import_result *out,
                        struct field_errors *errors)
{
	struct work_input prefilled;
	if (!choices->work)
		archive_import_prefill(a, iw, &prefilled);
	struct chapter_input *ch = arena_calloc(a, iw->nchapters + 1, sizeof *ch);
	int64_t *published = arena_calloc(a, iw->nchapters + 1, sizeof *published);
	for (size_t i = 0; i < iw->nchapters; i++) {
		archive_import_chapter(a, iw, choices, i, &ch[i]);
		published[i] = iw->chapters[i].published_at;
	}
	struct work_credit *credits = arena_calloc(a, iw->ncreators + 1, sizeof *credits);
	for (size_t i = 0; i < iw->ncreators; i++)
		credits[i] = (struct work_credit){iw->creators[i].name, iw->creators[i].url ? iw->creators[i].url : ""};
	struct work_source src = {.site = iw->source_site ? iw->source_site : "", .url = iw->source_url ? iw->source_url : "",
	                          .creators = credits, .ncreators = iw->ncreators};
	bool has_source = *src.site || *src.url || src.ncreators;
	struct archive_import in = {
		.work = choices->work ? *choices->work : prefilled,
		.chapters = ch,
		.nchapters = iw->nchapters,
		.published_at = iw->published_at,
		.updated_at = iw->updated_at,
		.chapter_published = published,
		.source = has_source ? &src : NULL,
	};
	return archive_import_post(st, a, u, &in, preview, out, errors);
}
