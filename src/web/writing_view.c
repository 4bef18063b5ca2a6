/* The writer's check in previews: each text field of the work or chapter about to be posted checked on its
 * own, with the work's names, the writer's accepted names and dismissals, and (for a chapter) the rest of
 * the work for the names it uses; the suggestions grouped by kind, each with its sentence. Previews run on
 * the worker pool, so the check never holds up a network thread. */
#include "web/writing_view.h"
#include "archive/work.h"
#include "archive/writing.h"
#include "core/buf.h"
#include "core/html_text.h"
#include "core/log.h"
#include "writing/check.h"
#include <string.h>

#define CONTEXT_BYTES 70 /* of the sentence shown on either side of a mark */

struct field {
	const char *id, *label, *text;
};

/* The plain text of sanitized HTML, one line per block. */
static const char *plain(struct web_req *w, const char *html)
{
	if (!html || !*html)
		return NULL;
	struct buf b = BUF_INIT;
	html_text(html, strlen(html), &b);
	const char *s = arena_strdup(w->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* Remembers what a check button of the form asked for. */
static void remember(struct web_req *w, const struct work *wk)
{
	const char *key = web_form(w, "check_dismiss"), *name = web_form(w, "check_name");
	bool all = *web_form(w, "check_all") || !wk || !wk->id;
	struct field_errors e = {0};
	int rc = 0;
	if (*key)
		rc = archive_writing_word(w->app->store, w->arena, w->user, wk ? wk->id : 0, all, WRITING_WORD_DISMISSED,
		                          key, true, &e);
	if (*name && rc == 0)
		rc = archive_writing_word(w->app->store, w->arena, w->user, wk ? wk->id : 0, all, WRITING_WORD_NAME, name,
		                          true, &e);
	if (*web_form(w, "check_variant_set") && rc == 0) { /* the dictionary picked: one variant, or all ("") */
		const char *v = web_form(w, "check_variant");
		rc = archive_writing_word(w->app->store, w->arena, w->user, wk ? wk->id : 0, all, WRITING_WORD_VARIANT,
		                          *v ? v : "all", *v != 0, &e);
	}
	if (rc)
		log_info("writing check: a remembered word was refused (%d)", rc);
}

/* Start of the quoted context: back to the line start or CONTEXT_BYTES, then forward to a word start. */
static size_t context_from(const char *t, size_t at)
{
	size_t i = at;
	while (i > 0 && t[i - 1] != '\n' && at - i < CONTEXT_BYTES)
		i--;
	if (i > 0 && t[i - 1] != '\n') {
		while (i < at && t[i] != ' ')
			i++;
		while (i < at && t[i] == ' ')
			i++;
	}
	return i;
}

static size_t context_to(const char *t, size_t at)
{
	size_t i = at;
	while (t[i] && t[i] != '\n' && i - at < CONTEXT_BYTES)
		i++;
	if (t[i] && t[i] != '\n')
		while (i > at && t[i - 1] != ' ')
			i--;
	return i;
}

static size_t occurrences_before(const char *t, size_t end, const char *found)
{
	size_t n = 0, k = strlen(found);
	for (const char *p = t; k && (p = strstr(p, found)) && (size_t)(p - t) < end; p++)
		n++;
	return n;
}

json_t *writing_view_json(struct web_req *w, const struct work *wk, const struct chapter *ch, bool work_fields,
                          const char *form_id)
{
	if (w->user)
		remember(w, wk);
	struct writing_setup setup;
	if (archive_writing_setup(w->app->store, w->arena, w->user, wk, ch ? ch->id : 0, ch != NULL, &setup) != 0)
		memset(&setup, 0, sizeof setup);
	struct field fields[9];
	size_t nf = 0;
	if (work_fields) {
		fields[nf++] = (struct field){"title", "Title", wk->title};
		fields[nf++] = (struct field){"summary", "Summary", plain(w, wk->summary.html)};
		fields[nf++] = (struct field){"notes", "Notes", plain(w, wk->notes.html)};
		fields[nf++] = (struct field){"end_notes", "End notes", plain(w, wk->end_notes.html)};
	}
	if (ch) {
		fields[nf++] = (struct field){"chapter_title", "Chapter title", ch->title};
		fields[nf++] = (struct field){"chapter_summary", "Chapter summary", plain(w, ch->summary.html)};
		fields[nf++] = (struct field){"chapter_notes", "Chapter notes", plain(w, ch->notes.html)};
		fields[nf++] = (struct field){"chapter_content", "Chapter text", plain(w, ch->content_html)};
		fields[nf++] = (struct field){"chapter_end_notes", "Chapter end notes", plain(w, ch->end_notes.html)};
	}
	json_t *groups[WRITING_KINDS] = {0};
	size_t total = 0, shown = 0, words = 0;
	const char *dictionaries = NULL;
	int id = 0;
	for (size_t f = 0; f < nf; f++) {
		if (!fields[f].text || !*fields[f].text)
			continue;
		struct writing_request req = {.lang = setup.lang ? setup.lang : "en", .text = fields[f].text,
		                              .names = setup.names, .context = setup.context,
		                              .dismissed = setup.dismissed, .ndismissed = setup.ndismissed};
		struct writing_result r;
		writing_check(w->app->speller, w->arena, &req, &r);
		dictionaries = r.dictionaries;
		total += r.total;
		words += r.words;
		for (size_t i = 0; i < r.n; i++) {
			const struct writing_suggestion *s = &r.items[i];
			const char *t = fields[f].text;
			size_t from = context_from(t, s->start), to = context_to(t, s->end);
			json_t *item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:b}", "id",
			                         arena_printf(w->arena, "check-%d", id++), "field", fields[f].id, "field_label",
			                         fields[f].label, "before", arena_strndup(w->arena, t + from, s->start - from),
			                         "found", s->found, "after", arena_strndup(w->arena, t + s->end, to - s->end),
			                         "message", s->message, "key", s->key, "occurrence",
			                         (json_int_t)occurrences_before(t, s->start, s->found), "cut_before", from > 0 && t[from - 1] != '\n',
			                         "cut_after", t[to] && t[to] != '\n');
			if (s->replacement)
				json_object_set_new(item, "replacement", json_string(s->replacement));
			if (s->kind == WRITING_SPELLING || s->kind == WRITING_NAME)
				json_object_set_new(item, "name_word", json_string(s->found));
			if (!groups[s->kind])
				groups[s->kind] = json_array();
			json_array_append_new(groups[s->kind], item);
			shown++;
		}
	}
	json_t *o = json_object(), *list = json_array();
	for (int k = 0; k < WRITING_KINDS; k++)
		if (groups[k])
			json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:o}", "kind", writing_kind_name(k), "title",
			                                      writing_kind_title(k), "count", (json_int_t)json_array_size(groups[k]),
			                                      "items", groups[k]));
	json_object_set_new(o, "language", json_string(wk->language && *wk->language ? wk->language : "English"));
	if (dictionaries)
		json_object_set_new(o, "dictionary", json_string(dictionaries));
	json_object_set_new(o, "groups", list);
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	json_object_set_new(o, "one", json_boolean(total == 1));
	json_object_set_new(o, "words", json_integer((json_int_t)words));
	if (total > shown)
		json_object_set_new(o, "more", json_integer((json_int_t)(total - shown)));
	json_object_set_new(o, "form_id", json_string(form_id));
	/* The language's variants, to pick one ("en_GB only") or all. */
	const char *base = archive_writing_lang(wk->language);
	struct dictionary *variants[SPELLER_VARIANTS_MAX];
	size_t nv = speller_dictionaries(w->app->speller, base, variants, SPELLER_VARIANTS_MAX);
	if (nv > 1) {
		json_t *vs = json_array();
		for (size_t i = 0; i < nv; i++)
			json_array_append_new(vs, json_pack("{s:s, s:b}", "name", dictionary_name(variants[i]), "selected",
			                                    setup.variant && !strcmp(setup.variant, dictionary_name(variants[i]))));
		json_object_set_new(o, "variants", vs);
		json_object_set_new(o, "all_variants", json_boolean(!setup.variant));
	}
	json_object_set_new(o, "for_work", json_boolean(wk->id != 0));
	if (wk->id)
		json_object_set_new(o, "work_id", json_integer((json_int_t)wk->id));
	return o;
}
