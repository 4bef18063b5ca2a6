/* Chapter pages: reading one chapter, adding, editing, deleting and reordering chapters. */
#include "web/pages/pages.h"
#include "core/err.h"
#include "core/log.h"
#include "web/work_rules.h"
#include "web/work_view.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Loads chapter path parameter 1 of wk; answers 404 when it is not one of the work's chapters. */
static bool load_chapter(struct web_req *w, const struct work *wk, struct chapter *c)
{
	int64_t cid = web_param_id(w, 1);
	int rc = cid ? store_chapter_get(w->app->store, w->arena, wk->id, cid, c) : Q_ENOTFOUND;
	if (rc == 0 && c->work_id != wk->id)
		rc = Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return false;
	}
	if (rc != 0) {
		web_error(w, 500, "The chapter could not be loaded. Please try again in a moment.");
		return false;
	}
	return true;
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
	return json_pack("[o]", p);
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
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	const char *title = c ? arena_printf(w->arena, "Edit Chapter %d of %s", c->position, wk->title)
	                      : arena_printf(w->arena, "New Chapter for %s", wk->title);
	web_render(w, status, "chapters/form", title, d);
}

void page_chapter_new(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct chapter_input f = {.title = "", .summary = "", .notes = "", .end_notes = "", .content = "",
	                          .format = "html"};
	render_form(w, 200, &wk, NULL, &f, NULL, NULL);
}

void page_chapter_create(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct chapter_input f;
	work_view_chapter_from_form(w, &f);
	struct chapter c = {0};
	struct field_errors errors = {0};
	if (chapter_rules_build(w->arena, &f, "chapter.", &c, &errors) != 0) {
		render_form(w, 422, &wk, NULL, &f, &errors, NULL);
		return;
	}
	c.work_id = wk.id;
	c.position = wk.chapter_count + 1;
	if (!strcmp(work_view_form_action(w), "preview")) {
		render_form(w, 200, &wk, NULL, &f, NULL, preview_json(w, &wk, &c));
		return;
	}
	int64_t now = (int64_t)time(NULL);
	c.published_at = c.updated_at = now;
	int64_t cid = 0;
	if (store_chapter_create(w->app->store, &c, &cid) != 0) {
		web_error(w, 500, "The chapter could not be saved. Please go back and try again.");
		return;
	}
	/* AO3 raises the expected count when the chapters outgrow it, so the work never reads "3/2". */
	if (wk.expected_chapters > 0 && wk.chapter_count + 1 > wk.expected_chapters) {
		struct work nw;
		if (store_work_get(w->app->store, w->arena, wk.id, &nw) == 0) {
			nw.expected_chapters = nw.chapter_count;
			if (store_work_update(w->app->store, &nw) != 0)
				log_warn("work %lld: raising the expected chapter count failed", (long long)wk.id);
		}
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/chapters/%lld", (long long)wk.id, (long long)cid));
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

struct order {
	int64_t id;
	long want; /* position asked for */
	size_t was; /* index before: breaks ties so unchanged chapters keep their order */
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->want != y->want)
		return x->want < y->want ? -1 : 1;
	return x->was < y->was ? -1 : x->was > y->was;
}

void page_chapters_reorder(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct chapter *list;
	size_t n;
	if (!load_list(w, &wk, &list, &n))
		return;
	struct order *o = arena_calloc(w->arena, n + 1, sizeof *o);
	for (size_t i = 0; i < n; i++) {
		const char *v = web_form(w, arena_printf(w->arena, "position_%lld", (long long)list[i].id));
		char *end = NULL;
		long p = *v ? strtol(v, &end, 10) : 0;
		/* A blank or garbled box keeps the chapter where it was. */
		o[i].want = (*v && end && *end == '\0' && p > 0) ? p : list[i].position;
		o[i].id = list[i].id;
		o[i].was = i;
	}
	qsort(o, n, sizeof *o, order_cmp);
	int64_t *ids = arena_calloc(w->arena, n + 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = o[i].id;
	if (n > 0 && store_chapter_reorder(w->app->store, wk.id, ids, n) != 0) {
		web_error(w, 500, "The chapters could not be reordered. Please try again in a moment.");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/navigate", (long long)wk.id));
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
	work_view_chapter_from_form(w, &f);
	struct chapter nc = c;
	struct field_errors errors = {0};
	if (chapter_rules_build(w->arena, &f, "chapter.", &nc, &errors) != 0) {
		render_form(w, 422, &wk, &c, &f, &errors, NULL);
		return;
	}
	if (!strcmp(work_view_form_action(w), "preview")) {
		render_form(w, 200, &wk, &c, &f, NULL, preview_json(w, &wk, &nc));
		return;
	}
	nc.updated_at = (int64_t)time(NULL);
	if (store_chapter_update(w->app->store, &nc) != 0) {
		web_error(w, 500, "The chapter could not be saved. Please go back and try again.");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/chapters/%lld", (long long)wk.id, (long long)c.id));
}

void page_chapter_delete(struct web_req *w)
{
	struct work wk;
	struct chapter c;
	if (!work_view_load(w, &wk, true) || !load_chapter(w, &wk, &c))
		return;
	if (wk.chapter_count <= 1) {
		web_error(w, 422, "This is the work's only chapter, and a work needs at least one. To remove it, "
		                  "delete the whole work instead.");
		return;
	}
	int rc = store_chapter_delete(w->app->store, wk.id, c.id);
	if (rc == Q_EINVAL || rc == Q_EPERM) {
		web_error(w, 422, "This chapter cannot be deleted: a work needs at least one chapter.");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The chapter could not be deleted. Please try again in a moment.");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld", (long long)wk.id));
}
