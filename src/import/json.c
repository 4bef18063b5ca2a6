/* The imported work as JSON: what the API's preview answers, and what the import page carries from one step to
 * the next (a hidden field). Read back with caps, as anything a client sends. */
#include "import/import.h"
#include "core/err.h"
#include "core/utf8.h"
#include <jansson.h>
#include <string.h>

#define PARTS_MAX 64 /* parts of one chapter: a few notes around its text */

/* The tag lists' keys: the works API's (store.c's tag_type_key), spelled here so that the readers link
 * nothing of the store (tests/e2e/test_import.py reads previews and posted works by the same names). */
static const char *tag_key(enum tag_type t)
{
	static const char *const keys[TAG_TYPE_COUNT] = {
	    [TAG_WARNING] = "warnings",           [TAG_CATEGORY] = "categories", [TAG_FANDOM] = "fandoms",
	    [TAG_RELATIONSHIP] = "relationships", [TAG_CHARACTER] = "characters", [TAG_FREEFORM] = "freeforms",
	};
	return keys[t];
}

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *strlist(const struct strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, str(l->items[i]));
	return a;
}

json_t *import_work_json(const struct import_work *w)
{
	json_t *o = json_object();
	json_object_set_new(o, "format", str(w->format));
	json_object_set_new(o, "title", str(w->title));
	json_object_set_new(o, "summary_html", str(w->summary_html));
	json_object_set_new(o, "notes_html", str(w->notes_html));
	json_object_set_new(o, "end_notes_html", str(w->end_notes_html));
	json_object_set_new(o, "rating", str(w->rating));
	json_object_set_new(o, "language", str(w->language));
	for (int t = TAG_WARNING; t < TAG_TYPE_COUNT; t++)
		json_object_set_new(o, tag_key((enum tag_type)t), strlist(&w->tags[t]));
	json_object_set_new(o, "series", json_pack("{s:o, s:i}", "title", str(w->series_title), "position",
	                                           w->series_position));
	json_object_set_new(o, "expected_chapters", json_integer(w->expected_chapters));
	json_object_set_new(o, "complete", json_boolean(w->complete));
	json_object_set_new(o, "published_at", json_integer(w->published_at));
	json_object_set_new(o, "updated_at", json_integer(w->updated_at));
	json_t *src = json_object(), *creators = json_array();
	json_object_set_new(src, "site", str(w->source_site));
	json_object_set_new(src, "url", str(w->source_url));
	for (size_t i = 0; i < w->ncreators; i++)
		json_array_append_new(creators, json_pack("{s:o, s:o}", "name", str(w->creators[i].name), "url",
		                                          str(w->creators[i].url)));
	json_object_set_new(src, "creators", creators);
	json_object_set_new(o, "source", src);
	json_t *msgs = json_array();
	for (size_t i = 0; i < w->nmessages; i++)
		json_array_append_new(msgs, str(w->messages[i]));
	json_object_set_new(o, "messages", msgs);
	json_t *chs = json_array();
	for (size_t i = 0; i < w->nchapters; i++) {
		const struct import_chapter *c = &w->chapters[i];
		json_t *parts = json_array();
		for (size_t k = 0; k < c->nparts; k++) {
			const struct import_part *p = &c->parts[k];
			json_t *pj = json_pack("{s:o, s:s}", "html", str(p->html), "place", import_place_name(p->place));
			if (p->label)
				json_object_set_new(pj, "label", str(p->label));
			json_array_append_new(parts, pj);
		}
		json_array_append_new(chs, json_pack("{s:o, s:o, s:o, s:o, s:I, s:o}", "title", str(c->title), "summary_html",
		                                     str(c->summary_html), "notes_html", str(c->notes_html),
		                                     "end_notes_html", str(c->end_notes_html), "published_at",
		                                     (json_int_t)c->published_at, "parts", parts));
	}
	json_object_set_new(o, "chapters", chs);
	return o;
}

/* A string member as arena memory: "" when absent; false (with *bad) when it is not a UTF-8 string. */
static bool get_str(struct arena *a, json_t *o, const char *key, const char **out, const char **bad)
{
	json_t *v = json_object_get(o, key);
	*out = "";
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || !utf8_valid(json_string_value(v), json_string_length(v))) {
		*bad = arena_printf(a, "%s must be a string of UTF-8 text.", key);
		return false;
	}
	*out = arena_strndup(a, json_string_value(v), json_string_length(v));
	return true;
}

static bool get_list(struct arena *a, json_t *o, const char *key, struct strlist *out, const char **bad)
{
	json_t *v = json_object_get(o, key);
	out->n = 0;
	out->items = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_array(v) || json_array_size(v) > 200) {
		*bad = arena_printf(a, "%s must be a list of at most 200 names.", key);
		return false;
	}
	out->items = arena_calloc(a, json_array_size(v) + 1, sizeof *out->items);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *x = json_array_get(v, i);
		if (!json_is_string(x) || !utf8_valid(json_string_value(x), json_string_length(x))) {
			*bad = arena_printf(a, "%s must be a list of names.", key);
			return false;
		}
		out->items[out->n++] = arena_strndup(a, json_string_value(x), json_string_length(x));
	}
	return true;
}

static int64_t get_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? json_integer_value(v) : 0;
}

int import_work_from_json(struct arena *a, json_t *o, struct import_work *w, const char **bad)
{
	memset(w, 0, sizeof *w);
	*bad = NULL;
	if (!json_is_object(o)) {
		*bad = "The import must be a JSON object.";
		return Q_EINVAL;
	}
	bool ok = get_str(a, o, "format", &w->format, bad) && get_str(a, o, "title", &w->title, bad) &&
	          get_str(a, o, "summary_html", &w->summary_html, bad) && get_str(a, o, "notes_html", &w->notes_html, bad) &&
	          get_str(a, o, "end_notes_html", &w->end_notes_html, bad) && get_str(a, o, "rating", &w->rating, bad) &&
	          get_str(a, o, "language", &w->language, bad);
	for (int t = TAG_WARNING; ok && t < TAG_TYPE_COUNT; t++)
		ok = get_list(a, o, tag_key((enum tag_type)t), &w->tags[t], bad);
	json_t *series = json_object_get(o, "series");
	w->series_title = "";
	if (ok && json_is_object(series)) {
		ok = get_str(a, series, "title", &w->series_title, bad);
		w->series_position = (int)(get_int(series, "position") > 10000 ? 0 : get_int(series, "position"));
	}
	w->expected_chapters = (int)(get_int(o, "expected_chapters") > 10000 ? 0 : get_int(o, "expected_chapters"));
	w->complete = json_is_true(json_object_get(o, "complete"));
	w->published_at = get_int(o, "published_at");
	w->updated_at = get_int(o, "updated_at");
	json_t *src = json_object_get(o, "source");
	w->source_site = w->source_url = "";
	if (ok && json_is_object(src)) {
		ok = get_str(a, src, "site", &w->source_site, bad) && get_str(a, src, "url", &w->source_url, bad);
		json_t *cr = json_object_get(src, "creators");
		if (ok && json_is_array(cr)) {
			size_t n = json_array_size(cr) < WORK_SOURCE_CREATORS_MAX ? json_array_size(cr) : WORK_SOURCE_CREATORS_MAX;
			w->creators = arena_calloc(a, n + 1, sizeof *w->creators);
			for (size_t i = 0; ok && i < n; i++) {
				json_t *c = json_array_get(cr, i);
				if (!json_is_object(c)) {
					*bad = "source.creators must be a list of objects.";
					ok = false;
					break;
				}
				ok = get_str(a, c, "name", &w->creators[i].name, bad) && get_str(a, c, "url", &w->creators[i].url, bad);
				w->ncreators++;
			}
		}
	}
	json_t *msgs = json_object_get(o, "messages");
	if (ok && json_is_array(msgs)) {
		size_t n = json_array_size(msgs) < 32 ? json_array_size(msgs) : 32;
		w->messages = arena_calloc(a, n + 1, sizeof *w->messages);
		for (size_t i = 0; i < n; i++) {
			json_t *m = json_array_get(msgs, i);
			if (json_is_string(m) && utf8_valid(json_string_value(m), json_string_length(m)))
				w->messages[w->nmessages++] = arena_strndup(a, json_string_value(m), json_string_length(m));
		}
	}
	json_t *chs = json_object_get(o, "chapters");
	if (ok && (!json_is_array(chs) || json_array_size(chs) == 0 || json_array_size(chs) > IMPORT_CHAPTERS_MAX)) {
		*bad = arena_printf(a, "chapters must be a list of 1 to %d chapters.", IMPORT_CHAPTERS_MAX);
		ok = false;
	}
	if (ok) {
		w->chapters = arena_calloc(a, json_array_size(chs), sizeof *w->chapters);
		for (size_t i = 0; ok && i < json_array_size(chs); i++) {
			json_t *c = json_array_get(chs, i);
			struct import_chapter *ch = &w->chapters[w->nchapters++];
			json_t *parts = json_is_object(c) ? json_object_get(c, "parts") : NULL;
			if (!json_is_array(parts) || json_array_size(parts) > PARTS_MAX) {
				*bad = arena_printf(a, "Each chapter must be an object with a list of at most %d parts.", PARTS_MAX);
				ok = false;
				break;
			}
			ok = get_str(a, c, "title", &ch->title, bad) && get_str(a, c, "summary_html", &ch->summary_html, bad) &&
			     get_str(a, c, "notes_html", &ch->notes_html, bad) &&
			     get_str(a, c, "end_notes_html", &ch->end_notes_html, bad);
			ch->published_at = get_int(c, "published_at");
			ch->parts = arena_calloc(a, json_array_size(parts) + 1, sizeof *ch->parts);
			for (size_t k = 0; ok && k < json_array_size(parts); k++) {
				json_t *p = json_array_get(parts, k);
				struct import_part *pt = &ch->parts[ch->nparts++];
				const char *place = NULL, *label = NULL;
				ok = json_is_object(p) && get_str(a, p, "html", &pt->html, bad) && get_str(a, p, "place", &place, bad) &&
				     get_str(a, p, "label", &label, bad);
				int pl = import_place_parse(place);
				if (ok && pl < 0) {
					*bad = "Each part's place must be notes, text, end_notes or drop.";
					ok = false;
				}
				pt->place = (enum import_place)(pl < 0 ? IMPORT_TEXT : pl);
				pt->label = label && *label ? label : NULL;
				if (!ok && !*bad)
					*bad = "Each part must be an object with its html.";
			}
		}
	}
	return ok ? 0 : Q_EINVAL;
}
