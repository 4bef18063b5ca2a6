/* API v1 import: POST /api/v1/works/import reads files sent in the JSON body (base64, or text as it is) with
 * the same readers as the import page, and either answers the imported work for review ("preview": true) or
 * posts it at once with the parts placed as proposed (or as "places" says) and the work's fields overlaid by
 * "work". Runs on the worker pool. */
#include "api/api.h"
#include "api/api_int.h"
#include "api/json_work.h"
#include "archive/import.h"
#include "core/err.h"
#include "core/utf8.h"
#include <sodium.h>
#include <string.h>

/* The files of the body: [{"name": "ch1.txt", "content_base64": "..."} or {"name", "content": "text"}]. */
static bool read_files(struct web_req *w, json_t *body, struct import_file **out, size_t *n, const char **bad)
{
	json_t *files = json_object_get(body, "files");
	*n = 0;
	if (!json_is_array(files) || json_array_size(files) == 0) {
		*bad = "files must be a list of at least one file: {\"name\": ..., \"content_base64\": ...}.";
		return false;
	}
	if (json_array_size(files) > IMPORT_FILES_MAX) {
		*bad = arena_printf(w->arena, "files: at most %d files in one import.", IMPORT_FILES_MAX);
		return false;
	}
	*out = arena_calloc(w->arena, json_array_size(files), sizeof **out);
	for (size_t i = 0; i < json_array_size(files); i++) {
		json_t *f = json_array_get(files, i);
		json_t *name = json_object_get(f, "name"), *b64 = json_object_get(f, "content_base64");
		json_t *text = json_object_get(f, "content");
		if (!json_is_object(f) || !json_is_string(name) || !utf8_valid(json_string_value(name), json_string_length(name)) ||
		    (!json_is_string(b64) && !json_is_string(text))) {
			*bad = "Each file needs a \"name\" and its \"content_base64\" (or \"content\" for text).";
			return false;
		}
		struct import_file *x = &(*out)[(*n)++];
		x->name = arena_strndup(w->arena, json_string_value(name), json_string_length(name));
		if (json_is_string(text)) {
			x->data = (const unsigned char *)arena_strndup(w->arena, json_string_value(text), json_string_length(text));
			x->len = json_string_length(text);
			continue;
		}
		size_t in_len = json_string_length(b64), cap = in_len / 4 * 3 + 3;
		unsigned char *bin = arena_alloc(w->arena, cap + 1);
		size_t got = 0;
		if (sodium_base642bin(bin, cap, json_string_value(b64), in_len, " \r\n\t", &got, NULL,
		                      sodium_base64_VARIANT_ORIGINAL) != 0) {
			*bad = arena_printf(w->arena, "files[%zu].content_base64 is not base64.", i);
			return false;
		}
		x->data = bin;
		x->len = got;
	}
	return true;
}

/* "places": [["notes", "text", ...], ...] per chapter, per part: where each goes; absent ones as proposed. */
static bool read_places(struct web_req *w, json_t *body, const struct import_work *iw, enum import_place ***out,
                        const char **bad)
{
	json_t *pl = json_object_get(body, "places");
	*out = NULL;
	if (!pl || json_is_null(pl))
		return true;
	if (!json_is_array(pl)) {
		*bad = "places must be a list (one list of places per chapter).";
		return false;
	}
	enum import_place **places = arena_calloc(w->arena, iw->nchapters + 1, sizeof *places);
	for (size_t i = 0; i < iw->nchapters; i++) {
		const struct import_chapter *c = &iw->chapters[i];
		places[i] = arena_calloc(w->arena, c->nparts + 1, sizeof **places);
		json_t *row = json_array_get(pl, i);
		for (size_t k = 0; k < c->nparts; k++) {
			places[i][k] = c->parts[k].place;
			json_t *v = json_is_array(row) ? json_array_get(row, k) : NULL;
			if (!v || json_is_null(v))
				continue;
			int p = json_is_string(v) ? import_place_parse(json_string_value(v)) : -1;
			if (p < 0) {
				*bad = "Each place must be \"notes\", \"text\", \"end_notes\" or \"drop\".";
				return false;
			}
			places[i][k] = (enum import_place)p;
		}
	}
	*out = places;
	return true;
}

static bool read_bool_opt(json_t *body, const char *key, bool dflt)
{
	json_t *v = json_object_get(body, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

void api_work_import(struct web_req *w)
{
	if (!api_may_post(w))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	struct import_file *files = NULL;
	size_t n = 0;
	const char *bad = NULL;
	if (!read_files(w, body, &files, &n, &bad)) {
		json_decref(body);
		api_bad_json(w, bad);
		return;
	}
	struct import_options opt = {.split = read_bool_opt(body, "split", true),
	                             .detect_notes = read_bool_opt(body, "detect_notes", true)};
	bool preview = read_bool_opt(body, "preview", false);
	struct import_work iw;
	const char *why;
	int rc = import_read(w->arena, files, n, &opt, &iw, &why);
	if (rc) {
		json_decref(body);
		web_json_error(w, rc == Q_ETOOBIG ? 413 : 422, "unreadable", why ? why : "The files could not be read.", NULL);
		return;
	}
	struct work_input in;
	archive_import_prefill(w->arena, &iw, &in);
	json_t *work = json_object_get(body, "work");
	enum import_place **places = NULL;
	if ((work && !json_is_object(work)) || (work && api_read_work(w->arena, work, &in, &bad) != 0) ||
	    !read_places(w, body, &iw, &places, &bad)) {
		json_decref(body);
		api_bad_json(w, bad ? bad : "work must be an object with the fields of a work.");
		return;
	}
	json_decref(body);
	struct archive_import_choices ch = {.work = &in, .places = (const enum import_place *const *)places};
	struct field_errors errs = {0};
	struct archive_import_result res;
	rc = archive_import_from(w->app->store, w->arena, w->user, &iw, &ch, preview, &res, &errs);
	if (preview) {
		/* what was read, and whether it could be posted as it is (the work's own fields decide that) */
		json_t *o = json_pack("{s:o, s:b}", "import", import_work_json(&iw), "valid", rc == 0);
		if (rc == Q_EINVAL)
			json_object_set_new(o, "fields", api_field_errors_json(&errs));
		else if (rc != 0) {
			json_decref(o);
			api_fail(w, rc, &errs);
			return;
		}
		web_json(w, 200, o);
		return;
	}
	if (rc != 0) {
		api_fail(w, rc, &errs);
		return;
	}
	struct work wk;
	struct chapter *chapters = NULL;
	size_t nch = 0;
	if (store_work_get(w->app->store, w->arena, res.work.id, &wk) != 0 ||
	    store_chapter_list(w->app->store, w->arena, wk.id, false, &chapters, &nch) != 0) {
		api_store_error(w, Q_ERR);
		return;
	}
	api_location(w, arena_printf(w->arena, "/api/v1/works/%lld", (long long)wk.id));
	json_t *o = api_work_json(w->arena, &wk, chapters, nch, w->user);
	struct work_source src;
	if (store_work_source_get(w->app->store, w->arena, wk.id, &src) == 0) {
		json_t *cr = json_array();
		for (size_t i = 0; i < src.ncreators; i++)
			json_array_append_new(cr, json_pack("{s:s, s:s}", "name", src.creators[i].name, "url", src.creators[i].url));
		json_object_set_new(o, "source", json_pack("{s:s, s:s, s:o}", "site", src.site, "url", src.url, "creators", cr));
	}
	web_json(w, 201, o);
}
