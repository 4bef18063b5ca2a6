/* Rules for works and chapters shared by pages and the API: validation, safe rendering, permissions. */
#include "web/work_rules.h"
#include "core/err.h"
#include "core/tagname.h"
#include "core/utf8.h"
#include "html/format.h"
#include "html/sanitize.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WORK_LANGUAGE_MAX 100
#define WORK_SERIES_TITLE_MAX 240
#define WORK_EXPECTED_CHAPTERS_MAX 10000
#define WORK_SERIES_POSITION_MAX 10000
#define USER_NAME_MAX 100

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

void field_error(struct field_errors *e, const char *field, const char *message)
{
	/* The first problem with a field is the one worth showing; later ones are usually its echoes. */
	if (field_error_get(e, field) || e->n >= FIELD_ERRORS_MAX)
		return;
	e->items[e->n].field = field;
	e->items[e->n].message = message;
	e->n++;
}

const char *field_error_get(const struct field_errors *e, const char *field)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].field, field))
			return e->items[i].message;
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* s without leading and trailing ASCII white space, in the arena ("" for NULL). */
static char *trim(struct arena *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* Trims and folds runs of white space into one space: "Harry  Potter\n" is the tag "Harry Potter". */
static char *squish(struct arena *a, const char *s)
{
	char *t = trim(a, s), *o = t;
	for (const char *p = t; *p; p++) {
		if (is_space(*p)) {
			if (o > t && o[-1] == ' ')
				continue;
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return t;
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
                        const char *src, size_t max, enum text_format fmt, struct text *t)
{
	t->src = "";
	t->html = "";
	if (!src)
		return true;
	if (!check_text(a, e, field, label, src, max))
		return false;
	if (utf8_is_blank(src, strlen(src)))
		return true;
	struct buf b = BUF_INIT;
	int rc = format_render(fmt, src, strlen(src), &b);
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

/* The canonical spelling of s in choices (matched case-insensitively), or NULL. */
static const char *choice(const char *const *choices, const char *s)
{
	for (size_t i = 0; choices[i]; i++)
		if (!strcasecmp(choices[i], s))
			return choices[i];
	return NULL;
}

static bool list_has(const char **items, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(items[i], s))
			return true;
	return false;
}

static const char *choices_text(struct arena *a, const char *const *choices)
{
	const char *s = "";
	for (size_t i = 0; choices[i]; i++)
		s = arena_printf(a, "%s%s%s", s, i ? ", " : "", choices[i]);
	return s;
}

/* Warnings and categories: each from a fixed list, repeats dropped. */
static void build_choices(struct arena *a, struct field_errors *e, const char *field, const char *label,
                          const char *const *choices, const struct strlist *in, struct strlist *out)
{
	out->items = arena_calloc(a, in->n + 1, sizeof *out->items);
	out->n = 0;
	for (size_t i = 0; i < in->n; i++) {
		const char *raw = in->items[i] ? in->items[i] : "";
		if (!utf8_valid(raw, strlen(raw))) {
			field_error(e, field, invalid_utf8(a, label));
			return;
		}
		const char *s = squish(a, raw);
		if (!*s)
			continue;
		const char *c = choice(choices, s);
		if (!c) {
			field_error(e, field, arena_printf(a, "%s: \"%s\" is not one of the choices (%s).", label, s,
			                                   choices_text(a, choices)));
			return;
		}
		if (!list_has(out->items, out->n, c))
			out->items[out->n++] = c;
	}
}

/* A tag name with a character AO3 forbids (the comma separates tags in forms). */
static int forbidden_char(const char *s)
{
	const char *p = strpbrk(s, ",^*<>{}=\\%");
	return p ? *p : 0;
}

/* User-defined tags: trimmed, blanks and case-insensitive repeats dropped, names checked. */
static void build_tags(struct arena *a, struct field_errors *e, const char *field, const char *label,
                       const struct strlist *in, struct strlist *out)
{
	out->items = arena_calloc(a, in->n + 1, sizeof *out->items);
	out->n = 0;
	for (size_t i = 0; i < in->n; i++) {
		const char *raw = in->items[i] ? in->items[i] : "";
		if (!utf8_valid(raw, strlen(raw))) {
			field_error(e, field, invalid_utf8(a, label));
			return;
		}
		const char *s = squish(a, raw);
		char *norm = NULL;
		/* Nothing but invisible characters (zero-width spaces) is a blank too. */
		if (!*s || tagname_norm(a, s, strlen(s), &norm) != 0 || !*norm)
			continue;
		int c = forbidden_char(s);
		if (c) {
			field_error(e, field, arena_printf(a, "%s: the tag \"%s\" contains '%c'; tags cannot contain "
			                                   "these characters: , ^ * < > { } = \\ %%", label, s, c));
			return;
		}
		size_t n = utf8_length(s, strlen(s));
		if (n > TAG_NAME_MAX) {
			field_error(e, field, arena_printf(a, "%s: each tag must be at most %d characters long (one "
			                                   "has %zu).", label, TAG_NAME_MAX, n));
			return;
		}
		if (!list_has(out->items, out->n, s))
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
	} else if (!*squish(a, rating)) {
		field_error(e, "rating", "Choose a rating.");
	} else {
		const char *c = choice(work_ratings, squish(a, rating));
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

static void build_coauthors(struct arena *a, const struct strlist *in, struct field_errors *e)
{
	for (size_t i = 0; i < in->n; i++) {
		const char *s = in->items[i] ? in->items[i] : "";
		if (!check_text(a, e, "coauthors", "Co-creators", s, USER_NAME_MAX))
			return;
	}
}

int work_rules_build(struct arena *a, const struct work_input *in, struct work *out, struct field_errors *errors)
{
	size_t before = errors->n;

	const char *title = in->title ? in->title : "";
	if (check_text(a, errors, "title", "Title", title, WORK_TITLE_MAX)) {
		out->title = squish(a, title);
		if (!*out->title)
			field_error(errors, "title", "Title is required.");
	}
	render_text(a, errors, "summary", "Summary", in->summary, WORK_SUMMARY_MAX, FORMAT_HTML, &out->summary);
	render_text(a, errors, "notes", "Notes", in->notes, WORK_NOTES_MAX, FORMAT_HTML, &out->notes);
	render_text(a, errors, "end_notes", "End notes", in->end_notes, WORK_NOTES_MAX, FORMAT_HTML, &out->end_notes);

	const char *lang = in->language ? in->language : "";
	out->language = "English";
	if (check_text(a, errors, "language", "Language", lang, WORK_LANGUAGE_MAX) && *squish(a, lang))
		out->language = squish(a, lang);

	build_tag_fields(a, in, out, errors);

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
	    *squish(a, series)) {
		out->series_title = squish(a, series);
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
		out->title = squish(a, title);
	render_text(a, errors, pfield(a, prefix, "summary"), "Chapter summary", in->summary, WORK_SUMMARY_MAX,
	            FORMAT_HTML, &out->summary);
	render_text(a, errors, pfield(a, prefix, "notes"), "Chapter notes", in->notes, WORK_NOTES_MAX, FORMAT_HTML,
	            &out->notes);
	render_text(a, errors, pfield(a, prefix, "end_notes"), "Chapter end notes", in->end_notes, WORK_NOTES_MAX,
	            FORMAT_HTML, &out->end_notes);

	enum text_format fmt = FORMAT_HTML;
	const char *fname = in->format && *in->format ? in->format : "html";
	if (format_parse(fname, &fmt) != 0)
		field_error(errors, pfield(a, prefix, "format"), "Choose a text format: Rich text (HTML), Markdown or "
		                                                 "Plain text.");

	const char *content = in->content ? in->content : "";
	size_t len = strlen(content);
	if (!utf8_valid(content, len)) {
		field_error(errors, f_content, invalid_utf8(a, "Chapter text"));
	} else if (utf8_is_blank(content, len)) {
		field_error(errors, f_content, "Chapter text is required.");
	} else {
		/* Surrounding white space is not story text; AO3 does not count it either. */
		const char *t = trim(a, content);
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
			if (format_render(fmt, content, len, &b) != 0) {
				field_error(errors, f_content, invalid_utf8(a, "Chapter text"));
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

void work_split_list(struct arena *a, const char *s, struct strlist *out)
{
	size_t cap = 1;
	for (const char *p = s ? s : ""; *p; p++)
		cap += *p == ',';
	out->items = arena_calloc(a, cap + 1, sizeof *out->items);
	out->n = 0;
	if (!s)
		return;
	for (const char *p = s;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *item = trim(a, arena_strndup(a, p, n));
		if (*item)
			out->items[out->n++] = item;
		if (!end)
			break;
		p = end + 1;
	}
}

int work_resolve_coauthors(struct store *st, struct arena *a, const struct strlist *names, int64_t self_id,
                           int64_t **ids, size_t *n, struct field_errors *errors)
{
	*ids = arena_calloc(a, names->n + 1, sizeof **ids);
	*n = 0;
	const char *missing = NULL;
	for (size_t i = 0; i < names->n; i++) {
		struct user u;
		int rc = store_user_get_by_name(st, a, names->items[i], &u);
		if (rc == Q_ENOTFOUND || (rc == 0 && !strcmp(u.role, "orphan"))) {
			missing = missing ? arena_printf(a, "%s, %s", missing, names->items[i]) : names->items[i];
			continue;
		}
		if (rc != 0)
			return Q_ERR;
		if (u.id == self_id)
			continue;
		bool seen = false;
		for (size_t k = 0; k < *n; k++)
			seen |= (*ids)[k] == u.id;
		if (!seen)
			(*ids)[(*n)++] = u.id;
	}
	if (missing) {
		field_error(errors, "coauthors", arena_printf(a, "There is no user named %s to invite.", missing));
		return Q_EINVAL;
	}
	return 0;
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
	if (w->restricted)
		return viewer != NULL;
	return true;
}

bool work_can_edit(const struct work *w, const struct user *u)
{
	return work_is_creator(w, u);
}
