/* API v1: related works (archive/related.h): what a work's answer says of them, its creators' view with the links
 * back, and their approval. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/collections_api.h"
#include "archive/related.h"
#include "archive/work.h"
#include "core/err.h"
#include <string.h>

/* One relation's other work as readers see it (NULL when it is not shown). */
static json_t *other_json(const struct work_relation *r, bool back)
{
	const char *creator;
	const char *title = archive_relation_other(r, &creator);
	if (!title)
		return NULL;
	json_t *o = json_pack("{s:s, s:s}", "kind", relation_kind_key(r->kind), "title", title);
	int64_t id = back ? r->work_id : r->parent_id;
	json_object_set_new(o, "work_id", id && !r->other_restricted ? json_integer(id) : json_null());
	json_object_set_new(o, "url", !back && !r->parent_id ? json_string(r->url) : json_null());
	json_object_set_new(o, back ? "creator" : "author", creator ? json_string(creator) : json_null());
	return o;
}

void api_work_json_related(struct web_req *w, json_t *o, int64_t work_id)
{
	struct work_relation *list;
	size_t n = 0;
	json_t *parents = json_array(), *children = json_array();
	if (store_relations_of(w->app->store, w->arena, work_id, &list, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			json_t *p = other_json(&list[i], false);
			if (p)
				json_array_append_new(parents, p);
		}
	if (store_relations_to(w->app->store, w->arena, work_id, false, &list, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			json_t *c = other_json(&list[i], true);
			if (c)
				json_array_append_new(children, c);
		}
	json_object_set_new(o, "related", parents);
	json_object_set_new(o, "related_back", children);
}

void api_work_related(struct web_req *w)
{
	struct work wk;
	if (api_load_work(w, true, &wk) != 0)
		return;
	struct work_relation *list;
	size_t n = 0;
	json_t *children = json_array();
	int rc = store_relations_to(w->app->store, w->arena, wk.id, true, &list, &n);
	if (rc) {
		api_store_error(w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = other_json(&list[i], true);
		if (!c)
			continue;
		json_object_set_new(c, "id", json_integer(list[i].id));
		json_object_set_new(c, "approved", json_boolean(list[i].approved));
		json_array_append_new(children, c);
	}
	json_t *o = json_object();
	api_work_json_related(w, o, wk.id);
	json_object_set_new(o, "related_back", children);
	web_json(w, 200, o);
}

void api_work_related_approve(struct web_req *w)
{
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *v = json_object_get(body, "approved");
	bool ok = json_is_boolean(v), approved = json_is_true(v);
	json_decref(body);
	if (!ok) {
		api_bad_json(w, "Send {\"approved\": true} or {\"approved\": false}.");
		return;
	}
	int rc = archive_relation_approve(w->app->store, w->arena, w->user, api_param_id(w, 0), api_param_id(w, 1),
	                                  approved);
	if (rc == Q_ENOTFOUND)
		web_json_error(w, 404, "not_found", "There is no such work or link.", NULL);
	else if (rc == Q_EPERM)
		web_json_error(w, 403, "forbidden", "Only the work's creators approve links back to it.", NULL);
	else if (rc)
		api_store_error(w, rc);
	else
		api_no_content(w);
}
