/* Works: the limits and rules of a submission (work and chapter text), who may see and change a work, and
 * the work workflows (post, edit, post a draft, delete, accept an invitation), each one store transaction. */
#ifndef QUIRE_ARCHIVE_WORK_H
#define QUIRE_ARCHIVE_WORK_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/errors.h"
#include "core/arena.h"
#include "html/format.h"
#include "store/store.h"

/* AO3's limits (characters are Unicode code points), and ours where AO3 has none. */
#define WORK_TITLE_MAX 255
#define WORK_SUMMARY_MAX 1250
#define WORK_NOTES_MAX 5000
#define WORK_LANGUAGE_MAX 100
#define WORK_SERIES_TITLE_MAX 240
#define WORK_SERIES_POSITION_MAX 10000
#define WORK_EXPECTED_CHAPTERS_MAX 10000
#define WORK_CHAPTERS_MAX 10000   /* chapters of one work (so the expected count can always follow) */
#define CHAPTER_CONTENT_MIN 10
#define CHAPTER_CONTENT_MAX 510000
#define TAG_NAME_MAX 150
#define WORK_USER_TAGS_MAX 75     /* fandoms + relationships + characters + freeforms */
#define WORK_COAUTHORS_MAX 10     /* co-creators of one work besides its owner, invitations included */
#define WORK_COAUTHOR_NAME_MAX 100

/* What each text field may hold beyond the common allow-list (html/format.h), as on AO3: class in chapter
 * text and notes, embedded media in chapter text only; summaries (and comments) neither. */
#define WORK_SUMMARY_ALLOW 0u
#define WORK_NOTES_ALLOW FORMAT_ALLOW_CLASS
#define CHAPTER_CONTENT_ALLOW (FORMAT_ALLOW_CLASS | FORMAT_ALLOW_MEDIA)

/* Readers of lists (comma-separated form fields, JSON arrays) keep at most ARCHIVE_LIST_MAX + 1 items of
 * any one list and stop there; the rules refuse a list longer than its own cap (never above
 * ARCHIVE_LIST_MAX), so the extra item is how "too many" reaches them. Work stays bounded by the cap,
 * whatever a request holds. */
#define ARCHIVE_LIST_MAX 75

/* A work as submitted through a form or JSON: raw, untrusted strings (NULL = not given). */
struct work_input {
	const char *title, *summary, *notes, *end_notes, *language;
	const char *rating;
	struct strlist tags[TAG_TYPE_COUNT]; /* TAG_RATING is ignored here: use rating */
	int expected_chapters;               /* 0 = unknown ("?"); negative = invalid input seen */
	bool complete, draft, restricted;
	const char *series_title;            /* NULL or "" = none */
	int series_position;                 /* 0 = next free position; negative = invalid input seen */
	struct strlist coauthors;            /* user names to invite as co-creators */
	/* Who may comment (enum comment_policy) and whether comments wait for the creator's approval, saved
	 * in the work's own transaction; only when comment_settings is set (edits through the API leave
	 * them as they are). */
	bool comment_settings;
	int comment_policy;
	bool comments_moderated;
	/* Whether logged-in readers may suggest changes (archive/suggestions.h), saved in the work's own
	 * transaction; only when suggestions_setting is set (else it stays as it is: off for a new work). */
	bool suggestions_setting;
	bool reader_suggestions;
};

/* A chapter as submitted. */
struct chapter_input {
	const char *title, *summary, *notes, *end_notes;
	const char *content;
	const char *format; /* "html", "markdown" or "text"; NULL = "html" */
};

/* The fixed choices, NULL-terminated. */
extern const char *const work_ratings[];
extern const char *const work_warnings[];
extern const char *const work_categories[];

/* ---- Rules: pure functions, no store ------------------------------------------------------ */

/* Validates in and fills out (arena memory): limits, exactly one rating from work_ratings, at least one
 * warning (all from work_warnings), categories from work_categories, at least one fandom, tag names
 * (length, AO3's forbidden characters , ^ * < > { } = \ %), at most WORK_USER_TAGS_MAX user tags, at most
 * WORK_COAUTHORS_MAX co-creator names, valid UTF-8 everywhere, bidirectional controls removed from one-line
 * fields, a title that shows something, summary/notes rendered to safe HTML. Returns 0, or Q_EINVAL with
 * errors filled. Only the fields that come from in are written (tags[TAG_RATING] gets the rating); id,
 * dates, counts and creators keep what out held. */
int work_rules_build(struct arena *a, const struct work_input *in, struct work *out, struct field_errors *errors);
/* Same for a chapter: content length, format, rendering, word count. Field names are prefixed with prefix
 * ("chapter." for a work's first chapter, "" for a chapter alone). Writes only title, the texts, content,
 * format, word count and sanitizer version; id, work_id, position and dates keep what out held. */
int chapter_rules_build(struct arena *a, const struct chapter_input *in, const char *prefix, struct chapter *out,
                        struct field_errors *errors);

/* Permissions. Creators are the owner and the co-creators who accepted. */
bool work_is_creator(const struct work *w, const struct user *u);
/* Drafts: creators only. Hidden by moderators: creators and moderators; deleted by moderators: moderators.
 * Restricted: logged-in users only. */
bool work_can_view(const struct work *w, const struct user *viewer);
/* Posted and not hidden or deleted by moderators: what readers may respond to (comments, kudos, bookmarks). */
bool work_is_public(const struct work *w);
bool work_can_edit(const struct work *w, const struct user *u);

/* "2/?" or "2/5" as AO3 shows chapter counts ("2/2" for a complete work whose total was never given). */
const char *work_chapters_label(struct arena *a, const struct work *w);

/* ---- Workflows ---------------------------------------------------------------------------- */

/* What a workflow wrote, as the store now holds it (ids filled), or for a preview as it would be. */
struct archive_result {
	struct work work;       /* with creators: the owner first, then accepted co-creators and invitations */
	struct chapter chapter; /* the first chapter of a new work; the chapter added or edited */
};

/* The return codes every workflow shares:
 *   0            done (or, with preview, everything checked and nothing written)
 *   Q_EINVAL     the submission breaks a rule: errors says which fields; nothing was written
 *   Q_ENOTFOUND  no such work or chapter, or one the user may not see (the same answer on purpose)
 *   Q_EPERM      the user may see the work but is not one of its creators
 *   other Q_E*   the store failed (Q_EBUSY: try again); nothing was written
 * Slow work (sanitizing, Markdown) happens before the transaction; inside it the workflow re-reads what it
 * checks against (the work, its creators, its chapter count) and writes. Results live in arena a. */

/* Loads work_id as u may see it: Q_ENOTFOUND when it is missing or hidden from u (drafts of others,
 * restricted works for guests; u may be NULL); with for_edit, Q_EPERM when u is not one of its creators. */
int archive_work_load(struct store *st, struct arena *a, const struct user *u, int64_t work_id, bool for_edit,
                      struct work *out);
/* True when work_id is a posted work hidden from guests only (restricted): a guest may be told to log in,
 * still without its title. */
bool archive_work_needs_login(struct store *st, struct arena *a, int64_t work_id);
/* Posts a new work by u with its first chapter; in->draft saves it as a draft. Co-creators named in
 * in->coauthors are invited (unknown names, and more than WORK_COAUTHORS_MAX, are field errors). */
int archive_work_post(struct store *st, struct arena *a, const struct user *u, const struct work_input *in,
                      const struct chapter_input *first, bool preview, struct archive_result *out,
                      struct field_errors *errors);
/* Replaces the work's metadata with in (a complete submission: callers of partial updates fill in from the
 * stored work). A draft is posted when in->draft is false; a posted work cannot become a draft again
 * ("draft"). The expected chapter count cannot go below the chapters the work has. New names in
 * in->coauthors are invited, within WORK_COAUTHORS_MAX for the whole work. */
int archive_work_edit(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                      const struct work_input *in, bool preview, struct archive_result *out,
                      struct field_errors *errors);
/* Posts a draft (published now); a work already posted is left as it is. */
int archive_work_post_draft(struct store *st, struct arena *a, const struct user *u, int64_t work_id);
/* Deletes the work with its chapters. */
int archive_work_delete(struct store *st, struct arena *a, const struct user *u, int64_t work_id);
/* u accepts the invitation to co-create work_id: Q_ENOTFOUND when there is none. */
int archive_invite_accept(struct store *st, const struct user *u, int64_t work_id);
#endif
