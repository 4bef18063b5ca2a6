/* Rules for works and chapters: validation, cleaning, safe rendering, permissions, chapter labels. */
#include "archive/work.h"
#include "archive/roles.h"
#include "archive/set.h"
#include "archive/text.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/tagname.h"
#include "core/utf8.h"
#include "html/format.h"
#include "html/sanitize.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const work_ratings[] = {
	"General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated", NULL,
};

const char *const work_warnings[] = {
	"Creator Chose Not To Use Archive Warnings", "Graphic Depictions Of Violence", "Major Character Death",
	"No Archive Warnings Apply", "Rape/Non-Con", "Underage Sex", NULL,
};

const char *const work_categories[] = {
	"F/F", "F/M", "Gen", "M/M", "Multi", "Other", NULL,
};

/* How the user-defined tag types are named in messages. */
static const char *const tag_labels[TAG_TYPE_COUNT] = {
	[TAG_RATING] = "Rating",
	[TAG_WARNING] = "Archive warnings",
	[TAG_CATEGORY] = "Categories",
	[TAG_FANDOM] = "Fandoms",
	[TAG_RELATIONSHIP] = "Relationships",
	[TAG_CHARACTER] = "Characters",
	[TAG_FREEFORM] = "Additional tags",
};

/* One-line text as kept: trimmed, white space folded, bidirectional controls gone; "" when nothing in it
 * shows (so an invisible title counts as a missing one). */
static const char *line(struct arena *a, const char *s)
{
	const char *t = archive_clean_line(a, s);
	return archive_text_invisible(t, strlen(t)) ? "" : t;
}

static const char *invalid_utf8(struct arena *a, const char *label)
{
	return arena_printf(a, "%s contains invalid UTF-8 (text encoding) — nothing was saved.", label);
}

/* The field name with prefix, in the arena when there is one. */
static const char *pfield(struct arena *a, const char *prefix, const char *name)
{
	return prefix && *prefix ? arena_printf(a, "%s%s", prefix, name) : name;
}

/* Checks encoding and length of a text; false (with an error) when it fails. */
static bool check_text(struct arena *a, struct field_errors *e, const char *field, const char *label,
                       const char *s, size_t max)
{
	size_t len = strlen(s);
	if (!utf8_valid(s, len)) {
		field_error(e, field, invalid_utf8(a, label));
		return false;
	}
	size_t n = utf8_length(s, len);
	if (n > max) {
		field_error(e, field, arena_printf(a, "%s must be at most %zu characters long (it has %zu).", label,
		                                   max, n));
		return false;
	}
	return true;
}

/* Renders a rich text field (summary, notes) into t; src blank gives an empty text. */
static bool render_text(struct arena *a, struct field_errors *e, const char *field, const char *label,
                        const char *src, size_t max, unsigned allow, struct text *t)
{
	t->src = "";
	t->html = "";
	if (!src)
		return true;
	if (!check_text(a, e, field, label, src, max))
		return false;
	if (archive_text_invisible(src, strlen(src)))
		return true;
	struct buf b = BUF_INIT;
	int rc = format_render_allowing(FORMAT_HTML, allow, src, strlen(src), &b);
	if (rc != 0) {
		buf_free(&b);
		field_error(e, field, invalid_utf8(a, label));
		return false;
	}
	t->src = arena_strdup(a, src);
	t->html = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return true;
}

/* Does rendered story HTML show anything: visible text, an image or a player? A chapter that is only an
 * embed or a podfic is a chapter; one whose every character was unsafe markup is not. */
static bool html_shows_something(struct arena *a, const char *html)
{
	if (strstr(html, "<img ") || strstr(html, "<iframe ") || strstr(html, "<audio ") || strstr(html, "<video "))
		return true;
	const char *t = html_plain(a, html);
	return !archive_text_invisible(t, strlen(t));
}

/* The canonical spelling of s in choices (matched case-insensitively), or NULL. */
static const char *choice(const char *const *choices, const char *s)
{
	for (size_t i = 0; choices[i]; i++)
		if (!strcasecmp(choices[i], s))
			return choices[i];
	return NULL;
}

static const char *choices_text(struct arena *a, const char *const *choices)
{
	const char *s = "";
	for (size_t i = 0; choices[i]; i++)
		s = arena_printf(a, "%s%s%s", s, i ? ", " : "", choices[i]);
	return s;
}

/* "Too many": a list longer than its cap, refused before any item is looked at. */
static bool too_many(struct arena *a, struct field_errors *e, const char *field, const char *label,
                     const struct strlist *in, size_t max)
{
	if (in->n <= max)
		return false;
	field_error(e, field, arena_printf(a, "%s: at most %zu, please.", label, max));
	return true;
}

/* Warnings and categories: each from a fixed list, repeats dropped. */
static void build_choices(struct arena *a, struct field_errors *e, const char *field, const char *label,
                          const char *const *choices, const struct strlist *in, struct strlist *out)
{
	out->n = 0;
	out->items = NULL;
	if (too_many(a, e, field, label, in, ARCHIVE_LIST_MAX))
		return;
	struct archive_set *seen = archive_set_new(a, in->n);
	out->items = arena_calloc(a, in->n + 1, sizeof *out->items);
	for (size_t i = 0; i < in->n; i++) {
		const char *raw = in->items[i] ? in->items[i] : "";
		if (!utf8_valid(raw, strlen(raw))) {
			field_error(e, field, invalid_utf8(a, label));
			return;
		}
		const char *s = line(a, raw);
		if (!*s)
			continue;
		const char *c = choice(choices, s);
		if (!c) {
			field_error(e, field, arena_printf(a, "%s: \"%s\" is not one of the choices (%s).", label,
			                                   archive_quote(a, s), choices_text(a, choices)));
			return;
		}
		if (archive_set_add_str(seen, c))
			out->items[out->n++] = c;
	}
}

/* User-defined tags: cleaned, blanks and case-insensitive repeats dropped (in linear time), names checked.
 * A list longer than a work may hold is refused before anything else, repeats or not. */
static void build_tags(struct arena *a, struct field_errors *e, const char *field, const char *label,
                       const struct strlist *in, struct strlist *out)
{
	out->n = 0;
	out->items = NULL;
	if (too_many(a, e, field, label, in, WORK_USER_TAGS_MAX))
		return;
	struct archive_set *seen = archive_set_new(a, in->n);
	out->items = arena_calloc(a, in->n + 1, sizeof *out->items);
	for (size_t i = 0; i < in->n; i++) {
		const char *raw = in->items[i] ? in->items[i] : "";
		if (!utf8_valid(raw, strlen(raw))) {
			field_error(e, field, invalid_utf8(a, label));
			return;
		}
		const char *s = line(a, raw);
		char *norm = NULL;
		/* Nothing but invisible characters (zero-width spaces) is a blank too. */
		if (!*s || tagname_norm(a, s, strlen(s), &norm) != 0 || !*norm)
			continue;
		int c = archive_tag_forbidden_char(s);
		if (c) {
			field_error(e, field, arena_printf(a, "%s: the tag \"%s\" contains '%c'; tags cannot contain "
			                                   "these characters: " ARCHIVE_TAG_FORBIDDEN_SHOWN, label,
			                                   archive_quote(a, s), c));
			return;
		}
		size_t n = utf8_length(s, strlen(s));
		if (n > TAG_NAME_MAX) {
			field_error(e, field, arena_printf(a, "%s: each tag must be at most %d characters long (one "
			                                   "has %zu).", label, TAG_NAME_MAX, n));
			return;
		}
		/* Repeats are judged on the folded name the store keys tags by ("École" and "école" are one). */
		if (archive_set_add_str(seen, norm))
			out->items[out->n++] = s;
	}
}

static void build_tag_fields(struct arena *a, const struct work_input *in, struct work *out,
                             struct field_errors *e)
{
	const char *rating = in->rating ? in->rating : "";
	out->tags[TAG_RATING].items = arena_calloc(a, 2, sizeof(char *));
	out->tags[TAG_RATING].n = 0;
	if (!utf8_valid(rating, strlen(rating))) {
		field_error(e, "rating", invalid_utf8(a, "Rating"));
	} else if (!*line(a, rating)) {
		field_error(e, "rating", "Choose a rating.");
	} else {
		const char *c = choice(work_ratings, line(a, rating));
		if (c) {
			out->tags[TAG_RATING].items[0] = c;
			out->tags[TAG_RATING].n = 1;
		} else {
			field_error(e, "rating", arena_printf(a, "Rating must be one of: %s.", choices_text(a, work_ratings)));
		}
	}

	build_choices(a, e, tag_type_key(TAG_WARNING), tag_labels[TAG_WARNING], work_warnings,
	              &in->tags[TAG_WARNING], &out->tags[TAG_WARNING]);
	if (!field_error_get(e, tag_type_key(TAG_WARNING)) && out->tags[TAG_WARNING].n == 0)
		field_error(e, tag_type_key(TAG_WARNING), "Choose at least one archive warning (\"Creator Chose Not "
		                                          "To Use Archive Warnings\" is fine).");
	build_choices(a, e, tag_type_key(TAG_CATEGORY), tag_labels[TAG_CATEGORY], work_categories,
	              &in->tags[TAG_CATEGORY], &out->tags[TAG_CATEGORY]);

	size_t user_tags = 0;
	for (int t = TAG_FANDOM; t <= TAG_FREEFORM; t++) {
		build_tags(a, e, tag_type_key(t), tag_labels[t], &in->tags[t], &out->tags[t]);
		user_tags += out->tags[t].n;
	}
	if (!field_error_get(e, tag_type_key(TAG_FANDOM)) && out->tags[TAG_FANDOM].n == 0)
		field_error(e, tag_type_key(TAG_FANDOM), "Add at least one fandom.");
	if (user_tags > WORK_USER_TAGS_MAX)
		field_error(e, tag_type_key(TAG_FREEFORM),
		            arena_printf(a, "A work can have at most %d fandom, relationship, character and additional "
		                         "tags together (this one has %zu).", WORK_USER_TAGS_MAX, user_tags));
}

/* Co-creator names: the cap first (each name costs a lookup later), then encoding and length. */
static void build_coauthors(struct arena *a, const struct strlist *in, struct field_errors *e)
{
	if (in->n > WORK_COAUTHORS_MAX) {
		field_error(e, "coauthors", arena_printf(a, "A work can have at most %d co-creators; invite fewer.",
		                                         WORK_COAUTHORS_MAX));
		return;
	}
	for (size_t i = 0; i < in->n; i++) {
		const char *s = in->items[i] ? in->items[i] : "";
		if (!check_text(a, e, "coauthors", "Co-creators", s, WORK_COAUTHOR_NAME_MAX))
			return;
	}
}

int work_rules_build(struct arena *a, const struct work_input *in, struct work *out, struct field_errors *errors)
{
	size_t before = errors->n;

	const char *title = in->title ? in->title : "";
	if (check_text(a, errors, "title", "Title", title, WORK_TITLE_MAX)) {
		out->title = line(a, title);
		if (!*out->title)
			field_error(errors, "title", "Title is required.");
	}
	render_text(a, errors, "summary", "Summary", in->summary, WORK_SUMMARY_MAX, WORK_SUMMARY_ALLOW, &out->summary);
	render_text(a, errors, "notes", "Notes", in->notes, WORK_NOTES_MAX, WORK_NOTES_ALLOW, &out->notes);
	render_text(a, errors, "end_notes", "End notes", in->end_notes, WORK_NOTES_MAX, WORK_NOTES_ALLOW,
	            &out->end_notes);

	const char *lang = in->language ? in->language : "";
	out->language = "English";
	if (check_text(a, errors, "language", "Language", lang, WORK_LANGUAGE_MAX) && *line(a, lang))
		out->language = line(a, lang);

	build_tag_fields(a, in, out, errors);

	if (in->comment_settings && (in->comment_policy < COMMENTS_EVERYONE || in->comment_policy > COMMENTS_NOBODY))
		field_error(errors, "comment_policy", "Choose who may comment: everyone, registered readers only, or nobody.");

	if (in->expected_chapters < 0)
		field_error(errors, "expected_chapters", "Expected chapters must be a whole number of 1 or more "
		                                         "(leave it blank when you don't know yet).");
	else if (in->expected_chapters > WORK_EXPECTED_CHAPTERS_MAX)
		field_error(errors, "expected_chapters", arena_printf(a, "Expected chapters can be at most %d.",
		                                                      WORK_EXPECTED_CHAPTERS_MAX));
	out->expected_chapters = in->expected_chapters > 0 ? in->expected_chapters : 0;
	out->complete = in->complete;
	out->draft = in->draft;
	out->restricted = in->restricted;

	const char *series = in->series_title ? in->series_title : "";
	out->series_title = NULL;
	out->series_position = 0;
	if (check_text(a, errors, "series_title", "Series title", series, WORK_SERIES_TITLE_MAX) &&
	    *line(a, series)) {
		out->series_title = line(a, series);
		if (in->series_position < 0)
			field_error(errors, "series_position", "Position in the series must be a whole number of 1 or "
			                                       "more (leave it blank for the next free position).");
		else if (in->series_position > WORK_SERIES_POSITION_MAX)
			field_error(errors, "series_position", arena_printf(a, "Position in the series can be at most "
			                                                    "%d.", WORK_SERIES_POSITION_MAX));
		else
			out->series_position = in->series_position;
	}
	if (!out->series_title)
		out->series_id = 0;

	build_coauthors(a, &in->coauthors, errors);
	out->sanitizer_version = SANITIZER_VERSION;
	return errors->n > before ? Q_EINVAL : 0;
}

int chapter_rules_build(struct arena *a, const struct chapter_input *in, const char *prefix, struct chapter *out,
                        struct field_errors *errors)
{
	size_t before = errors->n;
	const char *f_title = pfield(a, prefix, "title"), *f_content = pfield(a, prefix, "content");

	const char *title = in->title ? in->title : "";
	if (check_text(a, errors, f_title, "Chapter title", title, WORK_TITLE_MAX))
		out->title = line(a, title);
	render_text(a, errors, pfield(a, prefix, "summary"), "Chapter summary", in->summary, WORK_SUMMARY_MAX,
	            WORK_SUMMARY_ALLOW, &out->summary);
	render_text(a, errors, pfield(a, prefix, "notes"), "Chapter notes", in->notes, WORK_NOTES_MAX,
	            WORK_NOTES_ALLOW, &out->notes);
	render_text(a, errors, pfield(a, prefix, "end_notes"), "Chapter end notes", in->end_notes, WORK_NOTES_MAX,
	            WORK_NOTES_ALLOW, &out->end_notes);

	enum text_format fmt = FORMAT_HTML;
	const char *fname = in->format && *in->format ? in->format : "html";
	if (format_parse(fname, &fmt) != 0)
		field_error(errors, pfield(a, prefix, "format"), "Choose a text format: Rich text (HTML), Markdown or "
		                                                 "Plain text.");

	const char *content = in->content ? in->content : "";
	size_t len = strlen(content);
	if (!utf8_valid(content, len)) {
		field_error(errors, f_content, invalid_utf8(a, "Chapter text"));
	} else if (archive_text_invisible(content, len)) {
		field_error(errors, f_content, "Chapter text is required.");
	} else {
		/* Surrounding white space is not story text; AO3 does not count it either. */
		const char *t = archive_trim(a, content);
		size_t n = utf8_length(t, strlen(t));
		if (n < CHAPTER_CONTENT_MIN) {
			field_error(errors, f_content, arena_printf(a, "Chapter text must be at least %d characters long "
			                                            "(it has %zu).", CHAPTER_CONTENT_MIN, n));
		} else if (n > CHAPTER_CONTENT_MAX) {
			field_error(errors, f_content, arena_printf(a, "Chapter text must be at most %d characters long "
			                                            "(it has %zu): split it into more chapters.",
			                                            CHAPTER_CONTENT_MAX, n));
		} else if (errors->n == before) { /* rendering a long chapter is wasted on a rejected form */
			struct buf b = BUF_INIT;
			if (format_render_allowing(fmt, CHAPTER_CONTENT_ALLOW, content, len, &b) != 0) {
				field_error(errors, f_content, invalid_utf8(a, "Chapter text"));
			} else if (!html_shows_something(a, buf_cstr(&b))) {
				field_error(errors, f_content, "Chapter text is required: nothing in it would show once the HTML "
				                               "that is not allowed is removed.");
			} else {
				out->content = arena_strndup(a, content, len);
				out->content_format = format_name(fmt);
				out->content_html = arena_strndup(a, buf_cstr(&b), b.len);
				out->word_count = (int64_t)format_html_word_count(b.data ? b.data : "", b.len);
				out->sanitizer_version = SANITIZER_VERSION;
			}
			buf_free(&b);
		}
	}
	return errors->n > before ? Q_EINVAL : 0;
}

bool work_is_creator(const struct work *w, const struct user *u)
{
	if (!w || !u)
		return false;
	for (size_t i = 0; i < w->ncreators; i++)
		/* The first creator is the owner, a creator whatever the flag says. */
		if (w->creators[i].user_id == u->id && (i == 0 || w->creators[i].accepted))
			return true;
	return false;
}

bool work_can_view(const struct work *w, const struct user *viewer)
{
	if (w->draft)
		return work_is_creator(w, viewer);
	/* Hidden by moderators: its creators (who see why) and moderators; deleted: moderators alone. */
	if (w->removed)
		return archive_may(viewer, POWER_HIDE_WORKS);
	if (w->hidden)
		return work_is_creator(w, viewer) || archive_may(viewer, POWER_HIDE_WORKS);
	if (w->restricted)
		return viewer != NULL;
	return true;
}

bool work_is_public(const struct work *w)
{
	return !w->draft && !w->hidden && !w->removed;
}

bool work_can_edit(const struct work *w, const struct user *u)
{
	return work_is_creator(w, u);
}

const char *work_chapters_label(struct arena *a, const struct work *w)
{
	if (w->expected_chapters > 0)
		return arena_printf(a, "%d/%d", w->chapter_count, w->expected_chapters);
	/* A work marked complete without a total has as many chapters as it will ever have. */
	if (w->complete)
		return arena_printf(a, "%d/%d", w->chapter_count, w->chapter_count);
	return arena_printf(a, "%d/?", w->chapter_count);
}
