/* Chapter pages: reading one chapter, adding, editing, deleting and reordering chapters. */
#include "web/writing_view.h"
#include "web/pages/pages.h"
#include "web/pages/suggestions_view.h"
#include "archive/chapter.h"
#include "core/err.h"
#include "web/work_form.h"
#include "web/work_view.h"
#include <stdlib.h>
#include <string.h>

/* Loads chapter path parameter 1 of wk (404 when it is not one of the work's chapters). */
static bool load_chapter(struct web_req *w, const struct work *wk, struct chapter *c)
{
	return work_view_load_chapter(w, wk, c);
}

static bool load_list(struct web_req *w, const struct work *wk, struct chapter **list, size_t *n)
{
	if (store_chapter_list(w->app->store, w->arena, wk->id, false, list, n) != 0) {
		web_error(w, 500, "The work's chapters could not be loaded. Please try again in a moment.");
		return false;
	}
	return true;
}

/* The chapter as it would read, in a one-item array (its own scope for {{#each preview}}). */
static json_t *preview_json(struct web_req *w, const struct work *wk, const struct chapter *c)
{
	json_t *p = json_object();
	json_object_set_new(p, "chapters", json_pack("[o]", work_view_chapter(w, wk, c)));
	json_object_set_new(p, "show_headings", json_true());
	json_object_set_new(p, "check", writing_view_json(w, wk, c, false, "chapter-form"));
	return json_pack("[o]", p);
}

/* The chapter form's inputs are named chapter_title, chapter_content, ...: the archive's field names get
 * the prefix that maps them there. */
static void form_fields(struct web_req *w, struct field_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->items[i].field, "chapter") != 0)
			e->items[i].field = arena_printf(w->arena, "chapter.%s", e->items[i].field);
}

/* Renders templates/chapters/form.html: new (c NULL) or edit, with errors and an optional preview. */
static void render_form(struct web_req *w, int status, const struct work *wk, const struct chapter *c,
                        const struct chapter_input *f, const struct field_errors *errors, json_t *preview)
{
	json_t *d = json_object(), *form = json_object();
	work_view_chapter_to_form(d, form, f);
	json_object_set_new(d, "form", form);
	json_object_set_new(d, "work", work_view_json(w, wk, false));
	json_object_set_new(d, "is_new", json_boolean(c == NULL));
	if (c) {
		json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/works/%lld/chapters/%lld",
		                                                              (long long)wk->id, (long long)c->id)));
		json_object_set_new(d, "chapter", work_view_chapter(w, wk, c));
		json_object_set_new(d, "delete_url", json_string(arena_printf(w->arena, "/works/%lld/chapters/%lld/delete",
		                                                              (long long)wk->id, (long long)c->id)));
		json_object_set_new(d, "can_delete", json_boolean(wk->chapter_count > 1));
	} else {
		json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/works/%lld/chapters",
		                                                              (long long)wk->id)));
		json_object_set_new(d, "next_position", json_integer(wk->chapter_count + 1));
	}
	if (errors)
		work_view_set_errors(d, errors);
	if (preview)
		json_object_set_new(d, "preview", preview);
	if (c && !preview) { /* readers' suggestions on this chapter, to accept, answer or dismiss */
		json_t *sg = suggestions_view_editor(w, wk, c);
		if (sg)
			json_object_set_new(d, "suggestions", sg);
		const char *notice = suggestions_view_notice(w);
		if (notice)
			json_object_set_new(d, "suggestions_notice", json_string(notice));
	}
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	const char *title = c ? arena_printf(w->arena, "Edit Chapter %d of %s", c->position, wk->title)
	                      : arena_printf(w->arena, "New Chapter for %s", wk->title);
	web_render(w, status, "chapters/form", title, d);
}

void page_chapter_new(struct web_req *w)
{
	if (!mail_web_may_post(w)) /* mail: a confirmed address first, when the site asks */
		return;
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct chapter_input f = {.title = "", .summary = "", .notes = "", .end_notes = "", .content = "",
	                          .format = "html"};
	render_form(w, 200, &wk, NULL, &f, NULL, NULL);
}

void page_chapter_create(struct web_req *w)
{
	if (!mail_web_may_post(w)) /* mail: a confirmed address first, when the site asks */
		return;
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct chapter_input f;
	work_form_chapter(w, &f);
	bool preview = !strcmp(work_form_action(w), "preview");
	struct field_errors errors = {0};
	struct archive_result res;
	int rc = archive_chapter_add(w->app->store, w->arena, w->user, wk.id, &f, preview, &res, &errors);
	if (rc == Q_EINVAL || rc == Q_EUNAVAIL) {
		form_fields(w, &errors);
		if (rc == Q_EUNAVAIL)
			field_error(&errors, "unavailable", web_unavailable(w, rc));
		render_form(w, rc == Q_EINVAL ? 422 : 503, &wk, NULL, &f, &errors, NULL);
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The chapter");
		return;
	}
	if (preview) {
		render_form(w, 200, &wk, NULL, &f, NULL, preview_json(w, &wk, &res.chapter));
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/chapters/%lld?notice=chapter_posted", (long long)wk.id,
	                             (long long)res.chapter.id));
}

void page_chapters_manage(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct chapter *list;
	size_t n;
	if (!load_list(w, &wk, &list, &n))
		return;
	json_t *d = json_object(), *chs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(chs, work_view_chapter(w, &wk, &list[i]));
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "chapters", chs);
	json_object_set_new(d, "count", json_integer((json_int_t)n));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "chapters/manage", arena_printf(w->arena, "Manage Chapters of %s", wk.title), d);
}

/* The manage page sends position_<chapter id>=N for each chapter. Every such field is passed on, so a
 * chapter named twice or not of this work is refused by the rules; a blank or garbled box keeps its
 * chapter where it was. */
void page_chapters_reorder(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	const struct kvlist *form = &w->req->form;
	struct archive_position *order = arena_calloc(w->arena, form->n + 1, sizeof *order);
	size_t n = 0;
	for (size_t i = 0; i < form->n; i++) {
		const char *k = form->items[i].key, *v = form->items[i].value;
		if (strncmp(k, "position_", 9) != 0)
			continue;
		char *end = NULL;
		long long id = strtoll(k + 9, &end, 10);
		if (!k[9] || *end)
			continue;
		while (*v == ' ')
			v++;
		long p = *v ? strtol(v, &end, 10) : 0;
		if (*v && *end == '\0' && p > 0)
			order[n++] = (struct archive_position){.chapter_id = id > 0 ? id : -1, .position = p};
	}
	struct field_errors errors = {0};
	int rc = archive_chapter_reorder(w->app->store, w->arena, w->user, wk.id, order, n, &errors);
	if (rc == Q_EINVAL) {
		web_error(w, 422, errors.n ? errors.items[0].message : "The chapters could not be reordered.");
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The new order");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/navigate?notice=reordered", (long long)wk.id));
}

void page_chapter_show(struct web_req *w)
{
	if (work_view_reading_cached(w))
		return;
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	struct chapter c, *list;
	size_t n;
	if (!load_chapter(w, &wk, &c) || !load_list(w, &wk, &list, &n))
		return;
	work_view_render_reading(w, &wk, list, n, &c, 1, false);
}

void page_chapter_edit(struct web_req *w)
{
	struct work wk;
	struct chapter c;
	if (!work_view_load(w, &wk, true) || !load_chapter(w, &wk, &c))
		return;
	struct chapter_input f = {.title = c.title, .summary = c.summary.src, .notes = c.notes.src,
	                          .end_notes = c.end_notes.src, .content = c.content, .format = c.content_format};
	render_form(w, 200, &wk, &c, &f, NULL, NULL);
}

void page_chapter_update(struct web_req *w)
{
	struct work wk;
	struct chapter c;
	if (!work_view_load(w, &wk, true) || !load_chapter(w, &wk, &c))
		return;
	struct chapter_input f;
	work_form_chapter(w, &f);
	bool preview = !strcmp(work_form_action(w), "preview");
	struct field_errors errors = {0};
	struct archive_result res;
	int rc = archive_chapter_edit(w->app->store, w->arena, w->user, wk.id, c.id, &f, preview, &res, &errors);
	if (rc == Q_EINVAL || rc == Q_EUNAVAIL) {
		form_fields(w, &errors);
		if (rc == Q_EUNAVAIL)
			field_error(&errors, "unavailable", web_unavailable(w, rc));
		render_form(w, rc == Q_EINVAL ? 422 : 503, &wk, &c, &f, &errors, NULL);
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The chapter");
		return;
	}
	if (preview) {
		render_form(w, 200, &wk, &c, &f, NULL, preview_json(w, &wk, &res.chapter));
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/chapters/%lld?notice=chapter_saved", (long long)wk.id,
	                             (long long)c.id));
}

void page_chapter_delete(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	struct field_errors errors = {0};
	int rc = archive_chapter_delete(w->app->store, w->arena, w->user, id, web_param_id(w, 1), &errors);
	if (rc == Q_EINVAL) {
		web_error(w, 422, errors.n ? errors.items[0].message : "This chapter cannot be deleted.");
		return;
	}
	if (rc != 0) {
		work_form_failed(w, rc, "The deletion");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=chapter_deleted", (long long)id));
}
