/* Converting between the API's JSON and works/chapters: type checks only; limits and rules are the archive's. */
#include "core/timefmt.h"
#include "archive/downloads.h"
#include "api/json_work.h"
#include "archive/response.h"
#include "core/err.h"
#include <limits.h>
#include <string.h>
#include <time.h>


static int wrong_type(struct arena *a, const char **bad, const char *prefix, const char *key, const char *want)
{
	*bad = arena_printf(a, "%s%s must be %s.", prefix, key, want);
	return Q_EINVAL;
}

static const char *copy_string(struct arena *a, json_t *v)
{
	return arena_strndup(a, json_string_value(v), json_string_length(v));
}

/* A text field: absent keeps *dst, null clears it (or sets null_value), a string replaces it. */
static int read_text(struct arena *a, json_t *obj, const char *prefix, const char *key, const char *null_value,
                     const char **dst, const char **bad)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*dst = null_value;
		return 0;
	}
	if (!json_is_string(v))
		return wrong_type(a, bad, prefix, key, "a string");
	*dst = copy_string(a, v);
	return 0;
}

static int read_bool(struct arena *a, json_t *obj, const char *key, bool *dst, const char **bad)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return wrong_type(a, bad, "", key, "true or false");
	*dst = json_is_true(v);
	return 0;
}

/* An array of strings; null means an empty list. */
static int read_list(struct arena *a, json_t *obj, const char *key, struct strlist *dst, const char **bad)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (json_is_null(v)) {
		dst->items = NULL;
		dst->n = 0;
		return 0;
	}
	if (!json_is_array(v))
		return wrong_type(a, bad, "", key, "an array of strings");
	/* One past the largest cap is enough for the rules to say "too many"; the rest is never copied. */
	size_t n = json_array_size(v);
	if (n > ARCHIVE_LIST_MAX + 1)
		n = ARCHIVE_LIST_MAX + 1;
	const char **items = arena_calloc(a, n ? n : 1, sizeof *items);
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(v, i);
		if (!json_is_string(item)) {
			*bad = arena_printf(a, "%s[%zu] must be a string.", key, i);
			return Q_EINVAL;
		}
		items[i] = copy_string(a, item);
	}
	dst->items = items;
	dst->n = n;
	return 0;
}

/* expected_chapters: null is AO3's "?" (0); numbers out of range become the rules' "invalid" marker. */
static int read_expected(struct arena *a, json_t *obj, int *dst, const char **bad)
{
	json_t *v = json_object_get(obj, "expected_chapters");
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*dst = 0;
		return 0;
	}
	if (!json_is_integer(v))
		return wrong_type(a, bad, "", "expected_chapters", "an integer or null");
	/* Too large stays too large (the rules name the maximum); zero and below are the invalid marker. */
	json_int_t n = json_integer_value(v);
	*dst = n < 1 ? -1 : n > INT_MAX ? INT_MAX : (int)n;
	return 0;
}

/* series: null (or a null/empty title) takes the work out of its series; position null or absent means
 * "keep the current position" when the series stays the same, else "next free". */
static int read_series(struct arena *a, json_t *obj, struct work_input *in, const char **bad)
{
	json_t *v = json_object_get(obj, "series");
	if (!v)
		return 0;
	if (json_is_null(v)) {
		in->series_title = "";
		in->series_position = 0;
		return 0;
	}
	if (!json_is_object(v))
		return wrong_type(a, bad, "", "series", "an object or null");
	/* {"position": 3} alone moves the work within its current series */
	const char *old = in->series_title;
	const char *title = old ? old : "";
	int rc = read_text(a, v, "series.", "title", "", &title, bad);
	if (rc != 0)
		return rc;
	json_t *pos = json_object_get(v, "position");
	if (pos && !json_is_null(pos)) {
		if (!json_is_integer(pos))
			return wrong_type(a, bad, "series.", "position", "a positive integer or null");
		json_int_t n = json_integer_value(pos);
		in->series_position = n < 1 ? -1 : n > INT_MAX ? INT_MAX : (int)n;
	} else if (!old || strcmp(old, title) != 0) {
		in->series_position = 0;
	}
	in->series_title = title;
	return 0;
}

/* comment_policy ("everyone", "registered", "nobody") and comments_moderated: either one present sets
 * both (the other as in already holds it). An unknown policy is the rules' to refuse, by field. */
static int read_comment_settings(struct arena *a, json_t *obj, struct work_input *in, const char **bad)
{
	json_t *p = json_object_get(obj, "comment_policy");
	if (p) {
		if (!json_is_string(p))
			return wrong_type(a, bad, "", "comment_policy", "\"everyone\", \"registered\" or \"nobody\"");
		in->comment_policy = comment_policy_parse(json_string_value(p));
		in->comment_settings = true;
	}
	if (json_object_get(obj, "comments_moderated")) {
		int rc = read_bool(a, obj, "comments_moderated", &in->comments_moderated, bad);
		if (rc)
			return rc;
		in->comment_settings = true;
	}
	return 0;
}

/* reader_suggestions (boolean): present, it sets the work's readers' suggestions on or off. */
static int read_suggestions_setting(struct arena *a, json_t *obj, struct work_input *in, const char **bad)
{
	if (!json_object_get(obj, "reader_suggestions"))
		return 0;
	in->suggestions_setting = true;
	return read_bool(a, obj, "reader_suggestions", &in->reader_suggestions, bad);
}

int api_read_work(struct arena *a, json_t *obj, struct work_input *in, const char **bad)
{
	int rc;
	if ((rc = read_text(a, obj, "", "title", "", &in->title, bad)) ||
	    (rc = read_text(a, obj, "", "summary", "", &in->summary, bad)) ||
	    (rc = read_text(a, obj, "", "notes", "", &in->notes, bad)) ||
	    (rc = read_text(a, obj, "", "end_notes", "", &in->end_notes, bad)) ||
	    (rc = read_text(a, obj, "", "rating", "", &in->rating, bad)) ||
	    /* no language means the rules' default, not an empty language */
	    (rc = read_text(a, obj, "", "language", NULL, &in->language, bad)) ||
	    (rc = read_expected(a, obj, &in->expected_chapters, bad)) ||
	    (rc = read_bool(a, obj, "complete", &in->complete, bad)) ||
	    (rc = read_bool(a, obj, "draft", &in->draft, bad)) ||
	    (rc = read_bool(a, obj, "restricted", &in->restricted, bad)) ||
	    (rc = read_series(a, obj, in, bad)) ||
	    (rc = read_comment_settings(a, obj, in, bad)) ||
	    (rc = read_suggestions_setting(a, obj, in, bad)) ||
	    (rc = read_list(a, obj, "coauthors", &in->coauthors, bad)))
		return rc;
	for (int t = 0; t < TAG_TYPE_COUNT; t++) {
		if (t == TAG_RATING)
			continue;
		if ((rc = read_list(a, obj, tag_type_key(t), &in->tags[t], bad)))
			return rc;
	}
	return 0;
}

int api_read_chapter(struct arena *a, json_t *obj, const char *prefix, struct chapter_input *in, const char **bad)
{
	int rc;
	if ((rc = read_text(a, obj, prefix, "title", "", &in->title, bad)) ||
	    (rc = read_text(a, obj, prefix, "summary", "", &in->summary, bad)) ||
	    (rc = read_text(a, obj, prefix, "notes", "", &in->notes, bad)) ||
	    (rc = read_text(a, obj, prefix, "end_notes", "", &in->end_notes, bad)) ||
	    (rc = read_text(a, obj, prefix, "content", "", &in->content, bad)) ||
	    (rc = read_text(a, obj, prefix, "format", NULL, &in->format, bad)))
		return rc;
	return 0;
}

void api_work_input_of(const struct work *w, const struct response_counts *rc, struct work_input *in)
{
	memset(in, 0, sizeof *in);
	if (rc) {
		in->comment_policy = rc->comment_policy;
		in->comments_moderated = rc->moderated;
	}
	in->title = w->title;
	in->summary = w->summary.src;
	in->notes = w->notes.src;
	in->end_notes = w->end_notes.src;
	in->language = w->language;
	in->rating = w->tags[TAG_RATING].n ? w->tags[TAG_RATING].items[0] : "";
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		if (t != TAG_RATING)
			in->tags[t] = w->tags[t];
	in->expected_chapters = w->expected_chapters;
	in->complete = w->complete;
	in->draft = w->draft;
	in->restricted = w->restricted;
	in->series_title = w->series_title ? w->series_title : "";
	in->series_position = w->series_title ? w->series_position : 0;
}

void api_work_json_settings(json_t *o, const struct response_counts *rc)
{
	json_object_set_new(o, "comment_policy", json_string(comment_policy_name(rc->comment_policy)));
	json_object_set_new(o, "comments_moderated", json_boolean(rc->moderated));
}

void api_chapter_input_of(const struct chapter *c, struct chapter_input *in)
{
	memset(in, 0, sizeof *in);
	in->title = c->title;
	in->summary = c->summary.src;
	in->notes = c->notes.src;
	in->end_notes = c->end_notes.src;
	in->content = c->content;
	in->format = c->content_format;
}

json_t *api_time_json(int64_t t)
{
	if (t <= 0)
		return json_null();
	char out[TIME_ISO_LEN];
	return json_string(time_iso(t, out));
}

static json_t *str_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(arr, str_or_empty(l->items[i]));
	return arr;
}

/* A text field as "key" (the source) and "key_html" (the sanitized rendering). */
static void put_text(struct arena *a, json_t *obj, const char *key, const struct text *t)
{
	json_object_set_new(obj, key, str_or_empty(t->src));
	json_object_set_new(obj, arena_printf(a, "%s_html", key), str_or_empty(t->html));
}

static json_t *chapter_brief(struct arena *a, const struct chapter *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "url", json_string(arena_printf(a, "/works/%lld/chapters/%lld", (long long)c->work_id,
	                                                      (long long)c->id)));
	json_object_set_new(o, "position", json_integer(c->position));
	json_object_set_new(o, "title", str_or_empty(c->title));
	json_object_set_new(o, "word_count", json_integer(c->word_count));
	return o;
}

json_t *api_work_json(struct arena *a, const struct work *w, const struct chapter *chapters, size_t nchapters,
                      const struct user *viewer)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(w->id));
	json_object_set_new(o, "url", json_string(arena_printf(a, "/works/%lld", (long long)w->id)));
	json_object_set_new(o, "title", str_or_empty(w->title));
	json_object_set_new(o, "downloads", json_pack("{s:s, s:s}", "epub", download_url(a, w->id, w->title, DOWNLOAD_EPUB),
	                                              "html", download_url(a, w->id, w->title, DOWNLOAD_HTML)));
	json_t *creators = json_array(), *invited = json_array();
	for (size_t i = 0; i < w->ncreators; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "name", str_or_empty(w->creators[i].name));
		json_array_append_new(w->creators[i].accepted ? creators : invited, c);
	}
	json_object_set_new(o, "creators", creators);
	/* Who was invited is the creators' business, like the invitations on their account page. */
	if (viewer && work_is_creator(w, viewer))
		json_object_set_new(o, "invited", invited);
	else
		json_decref(invited);
	put_text(a, o, "summary", &w->summary);
	put_text(a, o, "notes", &w->notes);
	put_text(a, o, "end_notes", &w->end_notes);
	const struct strlist *rating = &w->tags[TAG_RATING];
	json_object_set_new(o, "rating", rating->n ? str_or_empty(rating->items[0]) : json_null());
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		if (t != TAG_RATING)
			json_object_set_new(o, tag_type_key(t), strlist_json(&w->tags[t]));
	json_object_set_new(o, "language", str_or_empty(w->language));
	json_object_set_new(o, "expected_chapters",
	                    w->expected_chapters > 0 ? json_integer(w->expected_chapters) : json_null());
	json_object_set_new(o, "chapter_count", json_integer(w->chapter_count));
	json_object_set_new(o, "chapters_label", json_string(work_chapters_label(a, w)));
	json_object_set_new(o, "complete", json_boolean(w->complete));
	json_object_set_new(o, "draft", json_boolean(w->draft));
	json_object_set_new(o, "restricted", json_boolean(w->restricted));
	/* Only its creators and moderators ever receive a hidden work; they are told. */
	json_object_set_new(o, "hidden", json_boolean(w->hidden || w->removed));
	json_object_set_new(o, "published_at", w->draft ? json_null() : api_time_json(w->published_at));
	json_object_set_new(o, "updated_at", api_time_json(w->updated_at));
	json_object_set_new(o, "word_count", json_integer(w->word_count));
	json_object_set_new(o, "kudos_count", json_integer(w->kudos_count));
	json_object_set_new(o, "hits_count", json_integer(w->hits_count));
	json_object_set_new(o, "comments_count", json_integer(w->comments_count));
	json_object_set_new(o, "bookmarks_count", json_integer(w->bookmarks_count));
	if (w->series_title && *w->series_title) {
		json_t *s = json_object();
		json_object_set_new(s, "id", json_integer(w->series_id));
		json_object_set_new(s, "title", json_string(w->series_title));
		json_object_set_new(s, "position", json_integer(w->series_position));
		json_object_set_new(o, "series", s);
	} else {
		json_object_set_new(o, "series", json_null());
	}
	if (chapters) {
		json_t *arr = json_array();
		for (size_t i = 0; i < nchapters; i++)
			json_array_append_new(arr, chapter_brief(a, &chapters[i]));
		json_object_set_new(o, "chapters", arr);
	}
	return o;
}

json_t *api_chapter_json(struct arena *a, const struct chapter *c)
{
	json_t *o = chapter_brief(a, c);
	json_object_set_new(o, "work_id", json_integer(c->work_id));
	put_text(a, o, "summary", &c->summary);
	put_text(a, o, "notes", &c->notes);
	put_text(a, o, "end_notes", &c->end_notes);
	if (c->content_html) {
		json_object_set_new(o, "content", str_or_empty(c->content));
		json_object_set_new(o, "format", str_or_empty(c->content_format));
		json_object_set_new(o, "content_html", json_string(c->content_html));
	}
	json_object_set_new(o, "published_at", api_time_json(c->published_at));
	json_object_set_new(o, "updated_at", api_time_json(c->updated_at));
	return o;
}

/* The rules name fields as the work form does; in JSON the series is an object of its own. */
static const char *api_field_name(const char *field)
{
	if (!strcmp(field, "series_title"))
		return "series.title";
	if (!strcmp(field, "series_position"))
		return "series.position";
	return field;
}

json_t *api_field_errors_json(const struct field_errors *e)
{
	json_t *o = json_object();
	for (size_t i = 0; i < e->n; i++) {
		const char *name = api_field_name(e->items[i].field);
		/* the first message for a field is the one to fix first */
		if (!json_object_get(o, name))
			json_object_set_new(o, name, str_or_empty(e->items[i].message));
	}
	return o;
}
