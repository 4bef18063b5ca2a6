/* API v1 tags: autocomplete for tag fields (the work form's script uses it; forms work without it). */
#include "api/api.h"
#include "api/api_int.h"
#include "archive/tags.h"
#include "core/err.h"
#include "search/query.h"
#include <string.h>

#define AUTOCOMPLETE_MAX 10

void api_tags_autocomplete(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	const char *type = kv_get(&w->req->query, "type");
	const char *typed = kv_get(&w->req->query, "q");
	int t = -1;
	if (type && *type && strcmp(type, "any") != 0) {
		for (int k = 0; k < TAG_TYPE_COUNT; k++)
			if (!strcmp(type, tag_type_key((enum tag_type)k)))
				t = k;
		if (t < 0) {
			struct field_errors e = {0};
			field_error(&e, "type", "type must be one of rating, warnings, categories, fandoms, relationships, "
			                        "characters, freeforms or any.");
			api_invalid(w, &e);
			return;
		}
	}
	json_t *list = json_array();
	struct search_prefixes words;
	struct tag *tags = NULL;
	size_t n = 0;
	int rc = search_prefix_parse(w->arena, typed, &words)
	         ? store_tag_autocomplete(w->app->store, w->arena, t, &words, AUTOCOMPLETE_MAX, w->user != NULL, &tags, &n)
	         : 0;
	if (rc != 0) {
		json_decref(list);
		api_store_error(w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:b, s:s}", "name", tags[i].name, "type",
		                      tag_type_key(tags[i].type), "count",
		                      (json_int_t)(w->user ? tags[i].works_count : tags[i].public_count), "canonical",
		                      tags[i].canonical, "url", archive_tag_url(w->arena, tags[i].name));
		if (tags[i].merger_name)
			json_object_set_new(o, "synonym_of", json_string(tags[i].merger_name));
		json_array_append_new(list, o);
	}
	web_json(w, 200, json_pack("{s:o}", "tags", list));
}
