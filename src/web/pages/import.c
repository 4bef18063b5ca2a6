/* Importing a work from files: the upload form (/works/import), the preview where the writer moves each part
 * Quire recognised (disclaimers, author's notes) into the notes or back into the text and picks the tags, and
 * the posting. The files are read on the worker pool (the routes are SLOW); the import travels between the
 * steps as a hidden field, checked like any other input when it comes back. */
#include "web/pages/pages.h"
#include "api/json_scan.h"
#include "archive/import.h"
#include "archive/text.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include "html/escape.h"
#include "web/work_form.h"
#include "web/work_view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TITLE_INPUTS_MAX 200 /* chapters whose titles the preview lets the writer change (fields are capped) */
#define EXCERPT_MAX 300      /* characters of a recognised part shown beside its choice */

static const char *const place_labels[IMPORT_PLACE_COUNT] = {
	[IMPORT_NOTES] = "Beginning notes", [IMPORT_TEXT] = "Chapter text", [IMPORT_END_NOTES] = "End notes",
	[IMPORT_DROP] = "Leave out",
};

static const char *format_label(const char *f)
{
	static const struct {
		const char *format, *label;
	} names[] = {
		{"text", "plain text"}, {"markdown", "Markdown"}, {"html", "HTML"}, {"docx", "a Word document (.docx)"},
		{"odt", "an OpenDocument text (.odt)"}, {"epub", "an EPUB"}, {"ao3-html", "an AO3 download (HTML)"},
		{"ao3-epub", "an AO3 download (EPUB)"}, {"quire-html", "an archive download (HTML)"},
		{"quire-epub", "an archive download (EPUB)"}, {"files", "several files, one chapter each"},
	};
	for (size_t i = 0; f && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i].format, f))
			return names[i].label;
	return "a document";
}

/* ---- The upload form ---- */

static void render_upload(struct web_req *w, int status, const char *error)
{
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	json_object_set_new(d, "files_max", json_integer(IMPORT_FILES_MAX));
	json_object_set_new(d, "size_mib", json_integer((json_int_t)(w->app->cfg->body_limit >> 20)));
	web_render(w, status, "works/import", "Import a Work", d);
}

void page_work_import_form(struct web_req *w)
{
	if (!mail_web_may_post(w))
		return;
	render_upload(w, 200, NULL);
}

/* ---- The preview ---- */

/* The first characters of a part's visible text, for the choice beside it. */
static const char *excerpt(struct web_req *w, const char *html)
{
	const char *t = html_plain(w->arena, html);
	size_t n = strlen(t);
	if (utf8_length(t, n) <= EXCERPT_MAX)
		return t;
	size_t k = 0, chars = 0;
	while (k < n && chars < EXCERPT_MAX) {
		k++;
		while (k < n && ((unsigned char)t[k] & 0xC0) == 0x80)
			k++;
		chars++;
	}
	return arena_printf(w->arena, "%.*s…", (int)k, t);
}

/* The choices panel: each chapter's title and each part Quire recognised, with where it goes now. */
static json_t *choices_json(struct web_req *w, const struct import_work *iw, const char *const *titles,
                            const enum import_place *const *places, bool *any)
{
	json_t *chs = json_array();
	*any = false;
	for (size_t i = 0; i < iw->nchapters; i++) {
		const struct import_chapter *c = &iw->chapters[i];
		json_t *parts = json_array();
		for (size_t k = 0; k < c->nparts; k++) {
			if (!c->parts[k].label)
				continue;
			enum import_place now = places[i][k];
			json_t *opts = json_array();
			for (int p = 0; p < IMPORT_PLACE_COUNT; p++)
				json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", import_place_name((enum import_place)p),
				                                      "label", place_labels[p], "selected", p == (int)now));
			json_array_append_new(parts, json_pack("{s:s, s:s, s:s, s:o}", "label", c->parts[k].label, "excerpt",
			                                       excerpt(w, c->parts[k].html), "field",
			                                       arena_printf(w->arena, "place_%zu_%zu", i + 1, k + 1), "options",
			                                       opts));
			*any = true;
		}
		json_t *cj = json_pack("{s:I, s:s, s:s, s:o, s:b}", "n", (json_int_t)i + 1, "title", titles[i], "field",
		                       arena_printf(w->arena, "chapter_title_%zu", i + 1), "parts", parts, "editable",
		                       iw->nchapters <= TITLE_INPUTS_MAX);
		json_array_append_new(chs, cj);
	}
	return chs;
}

/* The work as it would read, every chapter with its parts placed as chosen (each checked by the chapter
 * rules; one that fails shows its problem in place of its text). */
static json_t *preview_json(struct web_req *w, const struct import_work *iw, const struct work_input *in,
                            const struct archive_import_choices *choices)
{
	struct work wk = {0};
	struct field_errors ignored = {0};
	work_rules_build(w->arena, in, &wk, &ignored);
	if (!wk.title || !*wk.title)
		wk.title = iw->title && *iw->title ? iw->title : "Untitled";
	struct creator *me = arena_calloc(w->arena, 1, sizeof *me);
	*me = (struct creator){.user_id = w->user->id, .name = w->user->name, .accepted = true};
	wk.creators = me;
	wk.ncreators = 1;
	int64_t now = (int64_t)time(NULL);
	wk.published_at = iw->published_at > 0 && iw->published_at < now ? iw->published_at : now;
	wk.updated_at = iw->updated_at > wk.published_at && iw->updated_at < now ? iw->updated_at : wk.published_at;
	wk.chapter_count = (int)iw->nchapters;
	json_t *chs = json_array();
	for (size_t i = 0; i < iw->nchapters; i++) {
		struct chapter_input ci;
		archive_import_chapter(w->arena, iw, choices, i, &ci);
		struct chapter c = {.position = (int)i + 1};
		struct field_errors e = {0};
		if (chapter_rules_build(w->arena, &ci, "", &c, &e) != 0) {
			c.title = ci.title ? archive_clean_line(w->arena, ci.title) : "";
			const char *msg = e.n ? e.items[0].message : "This chapter cannot be posted as it is.";
			c.content_html = arena_printf(w->arena, "<p class=\"field-error\">%s</p>", esc_html_a(w->arena, msg));
		}
		wk.word_count += c.word_count;
		json_array_append_new(chs, work_view_chapter(w, &wk, &c));
	}
	json_t *p = json_object();
	json_object_set_new(p, "work", work_view_json(w, &wk, true));
	json_object_set_new(p, "chapters", chs);
	json_object_set_new(p, "show_preface", json_true());
	json_object_set_new(p, "show_end_notes", json_true());
	json_object_set_new(p, "show_headings", json_boolean(iw->nchapters > 1 || *iw->chapters[0].title));
	json_object_set_new(p, "end_notes_url", json_string("#work_endnotes"));
	json_object_set_new(p, "preview_mode", json_true());
	return json_pack("[o]", p);
}

/* Everything the form needs in import mode. */
static json_t *import_json(struct web_req *w, const struct import_work *iw, const char *const *titles,
                           const enum import_place *const *places, const char *files)
{
	json_t *state = import_work_json(iw);
	char *s = json_dumps(state, JSON_COMPACT);
	json_decref(state);
	json_t *o = json_object();
	json_object_set_new(o, "state", json_string(s ? s : "{}"));
	free(s);
	json_object_set_new(o, "format", json_string(format_label(iw->format)));
	json_object_set_new(o, "files", json_string(files ? files : ""));
	json_object_set_new(o, "chapters_text", json_string(arena_printf(w->arena, "%zu chapter%s", iw->nchapters,
	                                                                    iw->nchapters == 1 ? "" : "s")));
	json_t *msgs = json_array();
	for (size_t i = 0; i < iw->nmessages; i++)
		json_array_append_new(msgs, json_string(iw->messages[i]));
	json_object_set_new(o, "messages", msgs);
	if ((iw->source_site && *iw->source_site) || iw->ncreators) {
		json_t *cr = json_array();
		for (size_t i = 0; i < iw->ncreators; i++)
			json_array_append_new(cr, json_pack("{s:s, s:s}", "name", iw->creators[i].name, "url",
			                                    iw->creators[i].url ? iw->creators[i].url : ""));
		json_object_set_new(o, "source", json_pack("{s:s, s:s, s:o}", "site", iw->source_site ? iw->source_site : "",
		                                           "url", iw->source_url ? iw->source_url : "", "creators", cr));
	}
	bool any;
	json_object_set_new(o, "chapters", choices_json(w, iw, titles, places, &any));
	json_object_set_new(o, "has_parts", json_boolean(any));
	return o;
}

/* Where each part goes and each chapter's title: as proposed, or as the request's form says. */
static void read_choices(struct web_req *w, const struct import_work *iw, bool from_form, const char ***titles_out,
                         enum import_place ***places_out)
{
	const char **titles = arena_calloc(w->arena, iw->nchapters + 1, sizeof *titles);
	enum import_place **places = arena_calloc(w->arena, iw->nchapters + 1, sizeof *places);
	for (size_t i = 0; i < iw->nchapters; i++) {
		const struct import_chapter *c = &iw->chapters[i];
		titles[i] = c->title;
		places[i] = arena_calloc(w->arena, c->nparts + 1, sizeof **places);
		for (size_t k = 0; k < c->nparts; k++) {
			places[i][k] = c->parts[k].place;
			if (!from_form || !c->parts[k].label)
				continue;
			int p = import_place_parse(kv_get(&w->req->form, arena_printf(w->arena, "place_%zu_%zu", i + 1, k + 1)));
			if (p >= 0)
				places[i][k] = (enum import_place)p;
		}
		const char *t = from_form ? kv_get(&w->req->form, arena_printf(w->arena, "chapter_title_%zu", i + 1)) : NULL;
		if (t)
			titles[i] = t;
	}
	*titles_out = titles;
	*places_out = places;
}

/* Chapter field errors ("chapters.2.content") are shown at the top, in words. */
static void name_errors(struct web_req *w, struct field_errors *e)
{
	for (size_t i = 0; i < e->n; i++) {
		unsigned n;
		char rest[32];
		if (sscanf(e->items[i].field, "chapters.%u.%31s", &n, rest) == 2)
			e->items[i].message = arena_printf(w->arena, "Chapter %u: %s", n, e->items[i].message);
	}
}

static void show(struct web_req *w, int status, const struct import_work *iw, const struct work_input *in,
                 bool prefill, const char **titles, enum import_place **places, const struct field_errors *errors,
                 const char *files)
{
	struct archive_import_choices ch = {.work = in, .chapter_titles = titles,
	                                    .places = (const enum import_place *const *)places};
	json_t *preview = preview_json(w, iw, in, &ch);
	json_t *imp = import_json(w, iw, titles, (const enum import_place *const *)places, files);
	works_form_import(w, status, prefill ? in : NULL, errors, preview, imp);
}

void page_work_import(struct web_req *w)
{
	if (!mail_web_may_post(w))
		return;
	struct import_file *files = arena_calloc(w->arena, w->req->nfiles + 1, sizeof *files);
	size_t n = 0;
	const char *names = "";
	for (size_t i = 0; i < w->req->nfiles; i++) {
		const struct http_file *f = &w->req->files[i];
		if (strcmp(f->field, "files") != 0)
			continue;
		files[n++] = (struct import_file){f->filename, f->data, f->len};
		names = *names ? arena_printf(w->arena, "%s, %s", names, f->filename) : f->filename;
	}
	if (n == 0) {
		render_upload(w, 422, "Choose a file to import (or several: one chapter each).");
		return;
	}
	struct import_options opt = {.split = *web_form(w, "split") != '\0', .detect_notes = *web_form(w, "notes") != '\0'};
	struct import_work iw;
	const char *why;
	int rc = import_read(w->arena, files, n, &opt, &iw, &why);
	if (rc != 0) {
		render_upload(w, rc == Q_ETOOBIG ? 413 : 422, why ? why : "The file could not be read.");
		return;
	}
	struct work_input in;
	archive_import_prefill(w->arena, &iw, &in);
	const char **titles;
	enum import_place **places;
	read_choices(w, &iw, false, &titles, &places);
	show(w, 200, &iw, &in, true, titles, places, NULL, names);
}

void page_work_import_post(struct web_req *w)
{
	const char *state = work_form_raw(w, "import_state");
	const char *shape = api_json_scan(state, strlen(state));
	json_error_t je;
	json_t *j = shape ? NULL : json_loads(state, JSON_REJECT_DUPLICATES, &je);
	struct import_work iw;
	const char *bad = NULL;
	if (!j || import_work_from_json(w->arena, j, &iw, &bad) != 0) {
		json_decref(j);
		web_error(w, 400, "The import could not be read back from the form. Please import the file again.");
		return;
	}
	json_decref(j);
	const char *action = work_form_action(w);
	bool preview = !strcmp(action, "preview");
	bool draft = !strcmp(action, "draft");
	if (!preview && !draft && !mail_web_may_post(w))
		return;
	struct work_input in;
	works_form_read(w, draft, &in);
	const char **titles;
	enum import_place **places;
	read_choices(w, &iw, true, &titles, &places);
	struct archive_import_choices ch = {.work = &in, .chapter_titles = titles,
	                                    .places = (const enum import_place *const *)places};
	struct field_errors errors = {0};
	struct archive_import_result res;
	int rc = archive_import_from(w->app->store, w->arena, w->user, &iw, &ch, preview, &res, &errors);
	if (rc == Q_EINVAL) {
		name_errors(w, &errors);
		show(w, 422, &iw, &in, false, titles, places, &errors, NULL);
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The imported work");
		return;
	}
	if (preview) {
		show(w, 200, &iw, &in, false, titles, places, NULL, NULL);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=%s", (long long)res.work.id, draft ? "draft" : "posted"));
}
