/* API v1: the writer's check. POST /api/v1/check {text, language, names, work_id} answers the suggestions
 * with character offsets, kind, message and replacement. Runs on the worker pool (a SLOW route). */
#include "api/api.h"
#include "api/api_int.h"
#include "archive/work.h"
#include "archive/writing.h"
#include "core/utf8.h"
#include "writing/check.h"
#include <string.h>

#define CHECK_TEXT_MAX (2u << 20) /* bytes of text one request may check */
#define CHECK_NAMES_MAX 1000      /* names in the "names" list */

json_t *api_check_json(struct web_req *w, const char *text, const struct writing_result *r, const char *lang)
{
	json_t *list = json_array();
	size_t byte = 0, chars = 0; /* offsets are counted once, in text order */
	for (size_t i = 0; i < r->n; i++) {
		const struct writing_suggestion *s = &r->items[i];
		if (s->start < byte) {
			byte = 0;
			chars = 0;
		}
		chars += writing_char_offset(text + byte, s->start - byte);
		byte = s->start;
		size_t len = writing_char_offset(text + s->start, s->end - s->start);
		json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "start", (json_int_t)chars, "end",
		                      (json_int_t)(chars + len), "kind", writing_kind_name(s->kind), "text", s->found,
		                      "message", s->message, "key", s->key);
		json_object_set_new(o, "replacement", s->replacement ? json_string(s->replacement) : json_null());
		json_array_append_new(list, o);
	}
	json_t *dicts = json_array();
	if (r->dictionaries) {
		char *d = arena_strdup(w->arena, r->dictionaries), *save = NULL;
		for (char *t = strtok_r(d, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
			json_array_append_new(dicts, json_string(t));
	}
	json_t *kinds = json_object();
	for (int k = 0; k < WRITING_KINDS; k++)
		json_object_set_new(kinds, writing_kind_name(k), json_integer((json_int_t)r->by_kind[k]));
	return json_pack("{s:s, s:o, s:I, s:I, s:b, s:o, s:o}", "language", lang, "dictionaries", dicts, "words",
	                 (json_int_t)r->words, "total", (json_int_t)r->total, "truncated", r->truncated || r->total > r->n,
	                 "by_kind", kinds, "suggestions", list);
}

void api_check(struct web_req *w)
{
	if (api_auth_failed(w))
		return;
	json_t *body = api_body(w);
	if (!body)
		return;
	json_t *jt = json_object_get(body, "text"), *jl = json_object_get(body, "language"),
	       *jn = json_object_get(body, "names"), *jw = json_object_get(body, "work_id");
	const char *bad = NULL;
	if (!json_is_string(jt))
		bad = "\"text\" must be a string.";
	else if (json_string_length(jt) > CHECK_TEXT_MAX)
		bad = "\"text\" is over 2 MB; check one chapter at a time.";
	else if (jl && !json_is_null(jl) && (!json_is_string(jl) || json_string_length(jl) > 64))
		bad = "\"language\" must be a language (\"English\") or a code (\"en\", \"en_GB\").";
	else if (jn && !json_is_null(jn) && !json_is_array(jn) && !json_is_string(jn))
		bad = "\"names\" must be a list of names.";
	else if (json_is_array(jn) && json_array_size(jn) > CHECK_NAMES_MAX)
		bad = "\"names\" has more than 1,000 names.";
	else if (json_is_string(jn) && json_string_length(jn) > WRITING_NAMES_MAX)
		bad = "\"names\" is over 64 KB.";
	else if (jw && !json_is_null(jw) && (!json_is_integer(jw) || json_integer_value(jw) <= 0))
		bad = "\"work_id\" must be a work's id.";
	const char *text = json_is_string(jt) ? arena_strdup(w->arena, json_string_value(jt)) : NULL;
	if (!bad && strlen(text) != json_string_length(jt))
		bad = "\"text\" holds a NUL character.";
	struct buf names = BUF_INIT;
	if (!bad && json_is_array(jn)) {
		size_t i;
		json_t *v;
		json_array_foreach(jn, i, v) {
			if (!json_is_string(v) || json_string_length(v) > 200) {
				bad = "Each name must be a string of at most 200 bytes.";
				break;
			}
			buf_puts(&names, json_string_value(v));
			buf_puts(&names, ", ");
		}
	} else if (!bad && json_is_string(jn)) {
		buf_puts(&names, json_string_value(jn));
	}
	const char *lang = jl && json_is_string(jl) ? arena_strdup(w->arena, json_string_value(jl)) : NULL;
	int64_t work_id = jw && json_is_integer(jw) ? (int64_t)json_integer_value(jw) : 0;
	json_decref(body);
	if (bad) {
		buf_free(&names);
		api_bad_json(w, bad);
		return;
	}
	struct writing_setup setup = {0};
	if (work_id) {
		struct work wk;
		int rc = archive_work_load(w->app->store, w->arena, w->user, work_id, true, &wk);
		if (rc == 0)
			rc = archive_writing_setup(w->app->store, w->arena, w->user, &wk, 0, true, &setup);
		if (rc) {
			buf_free(&names);
			api_fail(w, rc, NULL);
			return;
		}
		buf_puts(&names, ", ");
		buf_puts(&names, setup.names);
	}
	struct writing_request req = {
		.lang = lang ? archive_writing_lang(lang) : setup.lang ? setup.lang : "en",
		.text = text,
		.names = arena_strdup(w->arena, buf_cstr(&names)),
		.context = setup.context,
		.dismissed = setup.dismissed,
		.ndismissed = setup.ndismissed,
	};
	buf_free(&names);
	struct writing_result r;
	writing_check(w->app->speller, w->arena, &req, &r);
	web_json(w, 200, api_check_json(w, text, &r, req.lang));
}
