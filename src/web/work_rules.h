/* Rules for works and chapters shared by the pages and the JSON API: validation, rendering, permissions. */
#ifndef QUIRE_WEB_WORK_RULES_H
#define QUIRE_WEB_WORK_RULES_H
#include <stdbool.h>
#include "core/arena.h"
#include "store/store.h"

/* AO3's limits (characters are Unicode code points). */
#define WORK_TITLE_MAX 255
#define WORK_SUMMARY_MAX 1250
#define WORK_NOTES_MAX 5000
#define CHAPTER_CONTENT_MIN 10
#define CHAPTER_CONTENT_MAX 510000
#define TAG_NAME_MAX 150
#define WORK_USER_TAGS_MAX 75 /* fandoms + relationships + characters + freeforms */

/* A work as submitted through a form or JSON: raw, untrusted strings (NULL = not given). */
struct work_input {
	const char *title, *summary, *notes, *end_notes, *language;
	const char *rating;
	struct strlist tags[TAG_TYPE_COUNT]; /* TAG_RATING is ignored here: use rating */
	int expected_chapters;               /* 0 = unknown ("?"); negative = invalid input seen */
	bool complete, draft, restricted;
	const char *series_title;            /* NULL or "" = none */
	int series_position;                 /* 0 = next free position */
	struct strlist coauthors;            /* user names to invite as co-creators */
};

struct chapter_input {
	const char *title, *summary, *notes, *end_notes;
	const char *content;
	const char *format; /* "html", "markdown" or "text"; NULL = "html" */
};

/* Problems found in a submission, keyed by API field name ("title", "fandoms", "chapter.content"). */
#define FIELD_ERRORS_MAX 32
struct field_errors {
	struct {
		const char *field, *message;
	} items[FIELD_ERRORS_MAX];
	size_t n;
};

void field_error(struct field_errors *e, const char *field, const char *message);
/* The message for field, or NULL. */
const char *field_error_get(const struct field_errors *e, const char *field);

/* The fixed choices, NULL-terminated. */
extern const char *const work_ratings[];
extern const char *const work_warnings[];
extern const char *const work_categories[];

/* Validates in and fills out (arena memory): limits, exactly one rating from work_ratings, at least one
 * warning (all from work_warnings), categories from work_categories, at least one fandom, tag names
 * (length, AO3's forbidden characters , ^ * < > { } = \ %), at most WORK_USER_TAGS_MAX user tags, valid
 * UTF-8 everywhere, summary/notes rendered to safe HTML. Returns 0, or Q_EINVAL with errors filled.
 * Only the fields that come from in are written (tags[TAG_RATING] gets the rating); id, dates, counts,
 * creators and series_id keep what out held, so an update can start from the stored work. */
int work_rules_build(struct arena *a, const struct work_input *in, struct work *out, struct field_errors *errors);
/* Same for a chapter: content length, format, rendering, word count. field names are prefixed with
 * prefix (e.g. "chapter." for a work's first chapter, "" for a chapter alone). */
int chapter_rules_build(struct arena *a, const struct chapter_input *in, const char *prefix, struct chapter *out,
                        struct field_errors *errors);
/* (chapter_rules_build likewise writes only title, the texts, content, format, word count and sanitizer
 * version; id, work_id, position and dates keep what out held.) */

/* Splits comma-separated form input ("a, b,,c") into trimmed, non-empty items (arena memory). Dedupe and
 * validation are work_rules_build's job. */
void work_split_list(struct arena *a, const char *s, struct strlist *out);
/* Looks up the user names in names (already validated by work_rules_build) for co-creator invitations:
 * fills *ids (arena memory) with their ids, skipping self_id and repeats. Unknown names add a "coauthors"
 * error and give Q_EINVAL; a store failure gives Q_ERR. */
int work_resolve_coauthors(struct store *st, struct arena *a, const struct strlist *names, int64_t self_id,
                           int64_t **ids, size_t *n, struct field_errors *errors);

/* Permissions. Creators are accepted co-creators. */
bool work_is_creator(const struct work *w, const struct user *u);
/* Drafts: creators only. Restricted: logged-in users only. */
bool work_can_view(const struct work *w, const struct user *viewer);
bool work_can_edit(const struct work *w, const struct user *u);
#endif
