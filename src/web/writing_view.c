/* The writer's check in previews: the texts of the work (and chapter) about to be posted, checked, as a view
 * model. Previews run on the worker pool, so the dictionary lookups never hold up a network thread. */
#include "web/writing_view.h"
#include "archive/downloads.h"
#include "core/buf.h"
#include "core/html_text.h"
#include "writing/check.h"

/* Plain text of each HTML field, one after another; " ¶ " between them, so no doubled word spans two. */
static void add_html(struct web_req *w, struct buf *b, const char *html)
{
	if (html && *html) {
		buf_puts(b, html_plain(w->arena, html));
		buf_puts(b, " \xc2\xb6 ");
	}
}

json_t *writing_view_json(struct web_req *w, const struct work *wk, const struct chapter *ch)
{
	struct buf text = BUF_INIT, names = BUF_INIT;
	if (wk->title) {
		buf_puts(&text, wk->title);
		buf_puts(&text, " \xc2\xb6 ");
	}
	add_html(w, &text, wk->summary.html);
	add_html(w, &text, wk->notes.html);
	add_html(w, &text, wk->end_notes.html);
	if (ch) {
		if (ch->title) {
			buf_puts(&text, ch->title);
			buf_puts(&text, " \xc2\xb6 ");
		}
		add_html(w, &text, ch->summary.html);
		add_html(w, &text, ch->notes.html);
		add_html(w, &text, ch->content_html);
		add_html(w, &text, ch->end_notes.html);
	}
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		for (size_t i = 0; i < wk->tags[t].n; i++) {
			buf_puts(&names, wk->tags[t].items[i]);
			buf_puts(&names, ", ");
		}
	for (size_t i = 0; i < wk->ncreators; i++) {
		buf_puts(&names, wk->creators[i].name ? wk->creators[i].name : "");
		buf_puts(&names, ", ");
	}
	if (w->user) {
		buf_puts(&names, w->user->name);
	}
	struct writing_report r;
	writing_check(w->app->speller, w->arena, download_language_code(wk->language), buf_cstr(&text),
	              buf_cstr(&names), &r);
	buf_free(&text);
	buf_free(&names);

	json_t *o = json_object();
	json_object_set_new(o, "language", json_string(wk->language && *wk->language ? wk->language : "English"));
	if (r.dictionary)
		json_object_set_new(o, "dictionary", json_string(r.dictionary));
	json_t *unknown = json_array();
	for (size_t i = 0; i < r.nunknown; i++) {
		json_t *s = json_array();
		for (size_t k = 0; k < r.unknown[i].nsuggestions; k++)
			json_array_append_new(s, json_string(r.unknown[i].suggestions[k]));
		json_array_append_new(unknown, json_pack("{s:s, s:i, s:b, s:o}", "word", r.unknown[i].word, "count",
		                                         r.unknown[i].count, "count_many", r.unknown[i].count > 1,
		                                         "suggestions", s));
	}
	json_object_set_new(o, "unknown", unknown);
	json_object_set_new(o, "unknown_total", json_integer((json_int_t)r.unknown_total));
	json_object_set_new(o, "one_unknown", json_boolean(r.unknown_total == 1));
	if (r.unknown_total > r.nunknown)
		json_object_set_new(o, "more", json_integer((json_int_t)(r.unknown_total - r.nunknown)));
	json_t *doubled = json_array();
	for (size_t i = 0; i < r.ndoubled; i++)
		json_array_append_new(doubled, json_string(r.doubled[i]));
	json_object_set_new(o, "doubled", doubled);
	json_object_set_new(o, "truncated", json_boolean(r.truncated));
	return o;
}
