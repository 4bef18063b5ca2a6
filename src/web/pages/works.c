/* Work pages: recent works, the work form (post, preview, edit), reading, deleting and posting drafts. */
#include "web/writing_view.h"
#include "web/pages/pages.h"
#include "core/err.h"
#include "html/escape.h"
#include "archive/work.h"
#include "web/work_form.h"
#include "web/work_view.h"
#include "web/listing_view.h"
#include <limits.h>
#include <stdlib.h>
#include "web/response_hooks.h"
#include <string.h>
#include <time.h>

#define WORKS_PER_PAGE 20

/* The tag types typed as comma-separated text; their form fields are named by tag_type_key. */
static const enum tag_type text_tags[] = {TAG_FANDOM, TAG_RELATIONSHIP, TAG_CHARACTER, TAG_FREEFORM};
#define NTEXT_TAGS (sizeof text_tags / sizeof text_tags[0])

/* The work form's fields as typed (or as stored, when editing). */
struct work_fields {
	const char *title, *summary, *notes, *end_notes, *rating, *language;
	const char *expected_chapters, *series_title, *series_position, *coauthors;
	const char *tags[TAG_TYPE_COUNT]; /* comma-separated text for the text_tags types */
	struct strlist warnings, categories;
	bool complete, restricted;
	/* the first chapter, for new works */
	struct chapter_input ch;
};

static void fields_from_form(struct web_req *w, struct work_fields *f, bool with_chapter)
{
	memset(f, 0, sizeof *f);
	f->title = web_form(w, "title");
	f->summary = work_form_raw(w, "summary");
	f->notes = work_form_raw(w, "notes");
	f->end_notes = work_form_raw(w, "end_notes");
	f->rating = web_form(w, "rating");
	f->language = web_form(w, "language");
	f->expected_chapters = web_form(w, "expected_chapters");
	f->series_title = web_form(w, "series_title");
	f->series_position = web_form(w, "series_position");
	f->coauthors = web_form(w, "coauthors");
	for (size_t i = 0; i < NTEXT_TAGS; i++)
		f->tags[text_tags[i]] = web_form(w, tag_type_key(text_tags[i]));
	f->warnings.items = kv_get_all(w->arena, &w->req->form, tag_type_key(TAG_WARNING), &f->warnings.n);
	f->categories.items = kv_get_all(w->arena, &w->req->form, tag_type_key(TAG_CATEGORY), &f->categories.n);
	f->complete = *web_form(w, "complete") != '\0';
	f->restricted = *web_form(w, "restricted") != '\0';
	if (with_chapter)
		work_form_chapter(w, &f->ch);
}

static const char *joined(struct web_req *w, const struct strlist *l)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		s = arena_printf(w->arena, "%s%s%s", s, i ? ", " : "", l->items[i]);
	return s;
}

static void fields_from_work(struct web_req *w, const struct work *wk, struct work_fields *f)
{
	memset(f, 0, sizeof *f);
	f->title = wk->title;
	f->summary = wk->summary.src;
	f->notes = wk->notes.src;
	f->end_notes = wk->end_notes.src;
	f->rating = wk->tags[TAG_RATING].n ? wk->tags[TAG_RATING].items[0] : "";
	f->language = wk->language;
	f->expected_chapters = wk->expected_chapters > 0 ? arena_printf(w->arena, "%d", wk->expected_chapters) : "";
	f->series_title = wk->series_title ? wk->series_title : "";
	f->series_position = wk->series_title && wk->series_position > 0
	                             ? arena_printf(w->arena, "%d", wk->series_position)
	                             : "";
	f->coauthors = "";
	for (size_t i = 0; i < NTEXT_TAGS; i++)
		f->tags[text_tags[i]] = joined(w, &wk->tags[text_tags[i]]);
	f->warnings = wk->tags[TAG_WARNING];
	f->categories = wk->tags[TAG_CATEGORY];
	f->complete = wk->complete;
	f->restricted = wk->restricted;
}

static void fields_to_input(struct web_req *w, const struct work_fields *f, bool draft, struct work_input *in,
                            struct chapter_input *ci)
{
	memset(in, 0, sizeof *in);
	in->title = f->title;
	in->summary = f->summary;
	in->notes = f->notes;
	in->end_notes = f->end_notes;
	in->language = f->language;
	in->rating = f->rating;
	for (size_t i = 0; i < NTEXT_TAGS; i++)
		work_form_list(w, tag_type_key(text_tags[i]), &in->tags[text_tags[i]]);
	in->tags[TAG_WARNING] = f->warnings;
	in->tags[TAG_CATEGORY] = f->categories;
	in->expected_chapters = work_form_count(f->expected_chapters);
	in->complete = f->complete;
	in->draft = draft;
	in->restricted = f->restricted;
	in->series_title = f->series_title;
	in->series_position = work_form_count(f->series_position);
	work_form_list(w, "coauthors", &in->coauthors);
	if (ci)
		*ci = f->ch;
}

static bool list_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

/* Checkbox options for a fixed list, checked as in selected. */
static json_t *checkboxes(struct web_req *w, const char *prefix, const char *const *choices,
                          const struct strlist *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; choices[i]; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "name", choices[i], "id",
		                                   arena_printf(w->arena, "%s-%zu", prefix, i), "checked",
		                                   list_has(selected, choices[i])));
	return a;
}

static const char *co_creators(struct web_req *w, const struct work *wk)
{
	const char *s = "";
	for (size_t i = 1; i < wk->ncreators; i++)
		s = arena_printf(w->arena, "%s%s%s%s", s, *s ? ", " : "", wk->creators[i].name,
		                 wk->creators[i].accepted ? "" : " (invited)");
	return s;
}

/* Renders templates/works/form.html: new (wk NULL) or edit, with errors and an optional preview
 * (from preview_json; the reference is stolen). */
static void render_form(struct web_req *w, int status, const struct work_fields *f, const struct work *wk,
                        const struct field_errors *errors, json_t *preview)
{
	json_t *d = json_object(), *form = json_object();
	json_object_set_new(form, "title", json_string(f->title));
	json_object_set_new(form, "summary", json_string(f->summary));
	json_object_set_new(form, "notes", json_string(f->notes));
	json_object_set_new(form, "end_notes", json_string(f->end_notes));
	json_object_set_new(form, "language", json_string(f->language));
	json_object_set_new(form, "expected_chapters", json_string(f->expected_chapters));
	json_object_set_new(form, "series_title", json_string(f->series_title));
	json_object_set_new(form, "series_position", json_string(f->series_position));
	json_object_set_new(form, "coauthors", json_string(f->coauthors));
	for (size_t i = 0; i < NTEXT_TAGS; i++)
		json_object_set_new(form, tag_type_key(text_tags[i]), json_string(f->tags[text_tags[i]]));
	json_object_set_new(form, "complete", json_boolean(f->complete));
	json_object_set_new(form, "restricted", json_boolean(f->restricted));
	if (!wk)
		work_view_chapter_to_form(d, form, &f->ch);
	web_response_settings_form(w, form, wk);
	json_object_set_new(d, "form", form);

	json_t *ratings = json_array();
	for (size_t i = 0; work_ratings[i]; i++)
		json_array_append_new(ratings, json_pack("{s:s, s:b}", "name", work_ratings[i], "selected",
		                                         !strcmp(f->rating, work_ratings[i])));
	json_object_set_new(d, "ratings", ratings);
	json_object_set_new(d, "warning_options", checkboxes(w, "warning", work_warnings, &f->warnings));
	json_object_set_new(d, "category_options", checkboxes(w, "category", work_categories, &f->categories));

	json_object_set_new(d, "is_new", json_boolean(wk == NULL));
	if (wk) {
		json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)wk->id)));
		json_object_set_new(d, "work_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)wk->id)));
		json_object_set_new(d, "is_draft", json_boolean(wk->draft));
		json_object_set_new(d, "co_creators", json_string(co_creators(w, wk)));
	} else {
		json_object_set_new(d, "action_url", json_string("/works"));
	}
	if (errors)
		work_view_set_errors(d, errors);
	if (preview)
		json_object_set_new(d, "preview", preview);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "works/form", wk ? "Edit Work" : "Post New Work", d);
}

/* A preview of a work that is not saved: its meta block, preface and (for new works) first chapter. */
static json_t *preview_json(struct web_req *w, struct work *wk, const struct chapter *ch)
{
	int64_t now = (int64_t)time(NULL);
	if (!wk->creators) {
		struct creator *c = arena_calloc(w->arena, 1, sizeof *c);
		c->user_id = w->user->id;
		c->name = w->user->name;
		c->accepted = true;
		wk->creators = c;
		wk->ncreators = 1;
	}
	if (!wk->published_at)
		wk->published_at = now;
	wk->updated_at = now;
	/* One item in an array, so that the template's {{#each preview}} gives it its own scope and the
	 * reading page's partials find "work" and "chapters" there. */
	json_t *p = json_object(), *chs = json_array();
	if (ch) {
		wk->chapter_count = 1;
		wk->word_count = ch->word_count;
		struct chapter c = *ch;
		c.position = 1;
		json_array_append_new(chs, work_view_chapter(w, wk, &c));
	}
	json_object_set_new(p, "work", work_view_json(w, wk, true));
	json_object_set_new(p, "chapters", chs);
	json_object_set_new(p, "show_preface", json_true());
	json_object_set_new(p, "show_end_notes", json_true());
	json_object_set_new(p, "show_headings", json_boolean(ch && ch->title && *ch->title));
	json_object_set_new(p, "end_notes_url", json_string("#work_endnotes"));
	json_object_set_new(p, "preview_mode", json_true());
	json_object_set_new(p, "check", writing_view_json(w, wk, ch, true, "work-form"));
	return json_pack("[o]", p);
}

/* /works: every work, with the filter sidebar (src/web/listing_view.c). */
void page_works_index(struct web_req *w)
{
	struct listing_page lp = {.base = "/works", .title = "Works", .heading = "Works", .sidebar = true,
	                          .cacheable = true};
	listing_view_render(w, &lp);
}

void page_work_new(struct web_req *w)
{
	if (!mail_web_may_post(w)) /* mail: a confirmed address first, when the site asks */
		return;
	struct work_fields f = {0};
	f.title = f.summary = f.notes = f.end_notes = f.rating = "";
	f.language = "English";
	f.expected_chapters = f.series_title = f.series_position = f.coauthors = "";
	for (size_t i = 0; i < NTEXT_TAGS; i++)
		f.tags[text_tags[i]] = "";
	f.ch = (struct chapter_input){.title = "", .summary = "", .notes = "", .end_notes = "", .content = "",
	                              .format = "html"};
	render_form(w, 200, &f, NULL, NULL, NULL);
}

void page_work_create(struct web_req *w)
{
	if (!mail_web_may_post(w)) /* mail: a confirmed address first, when the site asks */
		return;
	struct work_fields f;
	fields_from_form(w, &f, true);
	const char *action = work_form_action(w);
	bool preview = !strcmp(action, "preview");
	struct work_input in;
	struct chapter_input ci;
	fields_to_input(w, &f, !strcmp(action, "draft"), &in, &ci);
	web_response_settings_input(w, &in);
	struct field_errors errors = {0};
	struct archive_result res;
	int rc = archive_work_post(w->app->store, w->arena, w->user, &in, &ci, preview, &res, &errors);
	if (rc == Q_EINVAL) {
		render_form(w, 422, &f, NULL, &errors, NULL);
		return;
	}
	if (rc == Q_EUNAVAIL) {
		field_error(&errors, "unavailable", web_unavailable(w, rc));
		render_form(w, 503, &f, NULL, &errors, NULL);
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The work");
		return;
	}
	if (preview) {
		render_form(w, 200, &f, NULL, NULL, preview_json(w, &res.work, &res.chapter));
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=%s", (long long)res.work.id, res.work.draft ? "draft" : "posted"));
}

void page_work_show(struct web_req *w)
{
	if (work_view_reading_cached(w))
		return;
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	const char *full_arg = kv_get(&w->req->query, "view_full_work");
	bool full = full_arg && !strcmp(full_arg, "true");
	struct chapter *list = NULL;
	size_t n = 0;
	/* Without content even for the entire work: that view streams the chapters one at a time. */
	if (store_chapter_list(w->app->store, w->arena, wk.id, false, &list, &n) != 0) {
		web_error(w, 500, "The work's chapters could not be loaded. Please try again in a moment.");
		return;
	}
	if (full || n == 0) {
		work_view_render_reading(w, &wk, list, n, list, n, true);
		return;
	}
	/* As on AO3, the work opens at its first chapter, with links to the others. */
	struct chapter first;
	if (store_chapter_get(w->app->store, w->arena, wk.id, list[0].id, &first) != 0) {
		web_error(w, 500, "The work's first chapter could not be loaded. Please try again in a moment.");
		return;
	}
	work_view_render_reading(w, &wk, list, n, &first, 1, false);
}

void page_work_navigate(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	const char *arg = kv_get(&w->req->query, "chapter");
	struct chapter *list = NULL;
	size_t n = 0;
	if (store_chapter_list(w->app->store, w->arena, wk.id, false, &list, &n) != 0) {
		web_error(w, 500, "The work's chapters could not be loaded. Please try again in a moment.");
		return;
	}
	if (arg) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(arena_printf(w->arena, "%lld", (long long)list[i].id), arg)) {
				web_redirect(w, arena_printf(w->arena, "/works/%lld/chapters/%lld", (long long)wk.id,
				                             (long long)list[i].id));
				return;
			}
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return;
	}
	json_t *d = json_object(), *chs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(chs, work_view_chapter(w, &wk, &list[i]));
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "chapters", chs);
	json_object_set_new(d, "is_creator", json_boolean(work_is_creator(&wk, w->user)));
	if (!w->user && !wk.draft && !wk.restricted)
		w->cacheable = true;
	web_cache_depends(w, PAGE_DEP_WORK, wk.id);
	web_render(w, 200, "chapters/index", arena_printf(w->arena, "Chapter Index for %s", wk.title), d);
}

void page_work_edit(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct work_fields f;
	fields_from_work(w, &wk, &f);
	render_form(w, 200, &f, &wk, NULL, NULL);
}

void page_work_update(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct work_fields f;
	fields_from_form(w, &f, false);
	const char *action = work_form_action(w);
	bool preview = !strcmp(action, "preview");
	/* A draft stays one until posted; a posted work never goes back to being a draft. */
	bool draft = wk.draft && strcmp(action, "post") != 0;
	if (wk.draft && !draft && !preview && !mail_web_may_post(w)) /* mail: posting needs a confirmed address */
		return;
	struct work_input in;
	fields_to_input(w, &f, draft, &in, NULL);
	web_response_settings_input(w, &in);
	struct field_errors errors = {0};
	struct archive_result res;
	int rc = archive_work_edit(w->app->store, w->arena, w->user, wk.id, &in, preview, &res, &errors);
	if (rc == Q_EINVAL) {
		render_form(w, 422, &f, &wk, &errors, NULL);
		return;
	}
	if (rc == Q_EUNAVAIL) {
		field_error(&errors, "unavailable", web_unavailable(w, rc));
		render_form(w, 503, &f, &wk, &errors, NULL);
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The work");
		return;
	}
	if (preview) {
		render_form(w, 200, &f, &wk, NULL, preview_json(w, &res.work, NULL));
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=%s", (long long)wk.id,
	                             res.work.draft ? "draft" : wk.draft ? "posted" : "saved"));
}

void page_work_delete_confirm(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "works/delete", arena_printf(w->arena, "Delete %s?", wk.title), d);
}

void page_work_delete(struct web_req *w)
{
	int rc = archive_work_delete(w->app->store, w->arena, w->user, web_param_id(w, 0));
	if (rc != 0) {
		work_form_failed(w, rc, "The deletion");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/users/%s?notice=deleted", esc_url_a(w->arena, w->user->name)));
}

void page_work_post_draft(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	if (!mail_web_may_post(w)) /* mail: posting needs a confirmed address */
		return;
	int rc = archive_work_post_draft(w->app->store, w->arena, w->user, id);
	if (rc != 0) {
		work_form_failed(w, rc, "The draft");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=posted", (long long)id));
}
