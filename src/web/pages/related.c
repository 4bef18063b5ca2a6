/* Related-work pages: the work form's related rows, what a work's reading page shows (the works it comes from,
 * and the approved works that come from it), and the creators' page of a work's related works with the
 * approval of links back. */
#include "web/pages/collection_pages.h"
#include "web/pages/pages.h"
#include "web/work_view.h"
#include "archive/related.h"
#include "archive/work.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

void related_form_read(struct web_req *w, struct relation_input **out, size_t *n)
{
	*out = arena_calloc(w->arena, RELATIONS_PER_WORK_MAX + 2, sizeof **out);
	*n = 0;
	/* Rows related_1_* ... as posted (one past the cap, so "too many" reaches the rules). */
	for (size_t i = 1; i <= RELATIONS_PER_WORK_MAX + 1; i++) {
		const char *url = kv_get(&w->req->form, arena_printf(w->arena, "related_%zu_url", i));
		if (!url)
			break;
		struct relation_input *r = &(*out)[(*n)++];
		r->url = url;
		r->kind = web_form(w, arena_printf(w->arena, "related_%zu_kind", i));
		r->title = web_form(w, arena_printf(w->arena, "related_%zu_title", i));
		r->author = web_form(w, arena_printf(w->arena, "related_%zu_author", i));
	}
}

void related_form_from_work(struct web_req *w, const struct work *wk, struct relation_input **out, size_t *n)
{
	struct work_relation *list;
	size_t m = 0;
	*n = 0;
	*out = NULL;
	if (store_relations_of(w->app->store, w->arena, wk->id, &list, &m) != 0)
		return;
	*out = arena_calloc(w->arena, m + 1, sizeof **out);
	for (size_t i = 0; i < m; i++) {
		struct relation_input *r = &(*out)[(*n)++];
		r->kind = relation_kind_key(list[i].kind);
		r->url = list[i].parent_id ? arena_printf(w->arena, "/works/%lld", (long long)list[i].parent_id) : list[i].url;
		r->title = list[i].parent_id ? "" : list[i].title;
		r->author = list[i].parent_id ? "" : list[i].author;
	}
}

json_t *related_form_json(struct web_req *w, const struct relation_input *in, size_t n, const struct field_errors *e)
{
	json_t *rows = json_array();
	for (size_t i = 0; i <= n && i < RELATIONS_PER_WORK_MAX; i++) {
		const struct relation_input *r = i < n ? &in[i] : NULL; /* and one blank row */
		const char *kind = r && r->kind && *r->kind ? r->kind : "inspired";
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:b, s:b, s:b}", "n", (int)(i + 1), "url",
		                      r && r->url ? r->url : "", "title", r && r->title ? r->title : "", "author",
		                      r && r->author ? r->author : "", "inspired", !strcmp(kind, "inspired"), "translation",
		                      !strcmp(kind, "translation"), "podfic", !strcmp(kind, "podfic"));
		const char *err = e ? field_error_get(e, arena_printf(w->arena, "related_%zu", i + 1)) : NULL;
		if (err)
			json_object_set_new(o, "error", json_string(err));
		json_array_append_new(rows, o);
	}
	return rows;
}

/* {label, title, url?, creator?} of one relation's other work as readers see it; NULL when it is not shown. */
static json_t *other_json(struct web_req *w, const struct work_relation *r, int64_t other_id, bool with_label,
                          bool back)
{
	const char *creator;
	const char *title = archive_relation_other(r, &creator);
	if (!title)
		return NULL;
	json_t *o = json_pack("{s:s}", "title", title);
	if (with_label)
		json_object_set_new(o, "label", json_string(back ? relation_kind_back_label(r->kind) : relation_kind_label(r->kind)));
	if (!r->parent_id && !back)
		json_object_set_new(o, "url", json_string(r->url)); /* elsewhere */
	else if (!r->other_restricted)
		json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/works/%lld", (long long)other_id)));
	if (creator)
		json_object_set_new(o, "creator", json_string(creator));
	if (!r->parent_id && !back)
		json_object_set_new(o, "elsewhere", json_true());
	return o;
}

void related_view_work(struct web_req *w, json_t *o, const struct work *wk)
{
	struct work_relation *list;
	size_t n = 0;
	json_t *parents = json_array(), *groups = json_array();
	if (store_relations_of(w->app->store, w->arena, wk->id, &list, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			if (list[i].parent_id)
				web_cache_depends(w, PAGE_DEP_WORK, list[i].parent_id);
			json_t *p = other_json(w, &list[i], list[i].parent_id, true, false);
			if (p)
				json_array_append_new(parents, p);
		}
	/* The works that come from it, approved by its creators, by kind. */
	if (store_relations_to(w->app->store, w->arena, wk->id, false, &list, &n) == 0)
		for (int k = 0; k < RELATION_KINDS; k++) {
			json_t *items = json_array();
			for (size_t i = 0; i < n; i++) {
				if (k == 0)
					web_cache_depends(w, PAGE_DEP_WORK, list[i].work_id);
				json_t *c = list[i].kind == k ? other_json(w, &list[i], list[i].work_id, false, true) : NULL;
				if (c)
					json_array_append_new(items, c);
			}
			if (json_array_size(items))
				json_array_append_new(groups, json_pack("{s:s, s:o}", "label", relation_kind_back_label(k), "works", items));
			else
				json_decref(items);
		}
	json_object_set_new(o, "related", parents);
	json_object_set_new(o, "related_back", groups);
}

/* ---- The creators' page ----------------------------------------------------------------------------------- */

void page_work_related(struct web_req *w)
{
	struct work wk;
	int64_t id = web_param_id(w, 0);
	int rc = archive_work_load(w->app->store, w->arena, w->user, id, true, &wk);
	if (rc) {
		web_error(w, rc == Q_EPERM ? 403 : rc == Q_ENOTFOUND ? 404 : 500,
		          rc == Q_EPERM ? "Only the work's creators manage its related works." : rc == Q_ENOTFOUND
		                                                                              ? "There is no such work."
		                                                                              : "Please try again in a moment.");
		return;
	}
	struct work_relation *list;
	size_t n = 0;
	json_t *d = json_object(), *parents = json_array(), *children = json_array();
	if (store_relations_of(w->app->store, w->arena, id, &list, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			json_t *p = other_json(w, &list[i], list[i].parent_id, true, false);
			if (p)
				json_array_append_new(parents, p);
		}
	if (store_relations_to(w->app->store, w->arena, id, true, &list, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			json_t *c = other_json(w, &list[i], list[i].work_id, false, true);
			if (!c)
				continue;
			json_object_set_new(c, "id", json_integer(list[i].id));
			json_object_set_new(c, "kind", json_string(relation_kind_label(list[i].kind)));
			json_object_set_new(c, "approved", json_boolean(list[i].approved));
			json_array_append_new(children, c);
		}
	json_object_set_new(d, "work", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "title", wk.title, "url",
	                                         arena_printf(w->arena, "/works/%lld", (long long)id)));
	json_object_set_new(d, "parents", parents);
	json_object_set_new(d, "children", children);
	const char *notice = kv_get(&w->req->query, "notice");
	if (notice && !strcmp(notice, "approved"))
		json_object_set_new(d, "notice", json_string("The link back is shown on your work."));
	else if (notice && !strcmp(notice, "hidden"))
		json_object_set_new(d, "notice", json_string("The link back is hidden."));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "works/related", arena_printf(w->arena, "Related works of %s", wk.title), d);
}

void page_work_related_decide(struct web_req *w)
{
	int64_t id = web_param_id(w, 0), rid = web_param_id(w, 1);
	const char *action = web_form(w, "action");
	bool approve = !strcmp(action, "approve");
	if (!approve && strcmp(action, "hide") != 0) {
		web_error(w, 422, "Approve or hide the link back.");
		return;
	}
	int rc = archive_relation_approve(w->app->store, w->arena, w->user, id, rid, approve);
	if (rc) {
		web_error(w, rc == Q_EPERM ? 403 : rc == Q_ENOTFOUND ? 404 : 500,
		          rc == Q_EPERM ? "Only the work's creators approve links back to it." : rc == Q_ENOTFOUND
		                                                                                ? "There is no such link."
		                                                                                : "Please try again in a moment.");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/related?notice=%s", (long long)id, approve ? "approved" : "hidden"));
}
