/* Template data for works and chapters: what the reading pages, listings and the home page show. */
#ifndef QUIRE_WEB_WORK_VIEW_H
#define QUIRE_WEB_WORK_VIEW_H
#include <jansson.h>
#include <stdbool.h>
#include "web/web.h"
#include "archive/work.h"

/* A new JSON object describing wk for templates: id, url, title, creators [{name, url}], tags by type
 * (ratings, warnings, categories, fandoms, relationships, characters, freeforms: arrays of names),
 * tag_line [{name, type}] (warnings, relationships, characters, freeforms), badges (rating, warnings,
 * category, complete: {text, label, class}), rating, language, stats {published, updated, words,
 * chapters "N/M" or "N/?", complete}, series {title, position} when in one, summary_html, draft,
 * restricted. With full, also notes_html and end_notes_html. The caller owns the reference. */
json_t *work_view_json(struct web_req *w, const struct work *wk, bool full);
/* The data templates/works/_blurb.html expects for listings (home page, /works, author pages). */
json_t *work_view_blurb(struct web_req *w, const struct work *wk);
/* "Chapter 2: Title" data for one chapter: id, position, title, heading, url, summary_html, notes_html,
 * end_notes_html, content_html (when loaded), words, published. The caller owns the reference. */
json_t *work_view_chapter(struct web_req *w, const struct work *wk, const struct chapter *c);
/* "2/?" or "2/5": chapters posted over chapters expected. Arena memory. */
const char *work_view_chapters_label(struct web_req *w, const struct work *wk);

/* ---- Helpers for the work, chapter and author pages ---------------------------------------- */

#define WORK_VIEW_NOT_FOUND "The page you were looking for does not exist, or you are not allowed to see it."
#define WORK_VIEW_LOG_IN "This work is only for logged-in readers."

struct field_errors;

/* Loads the work named by path parameter 0 into wk. Drafts of others and restricted works for guests
 * answer 404 exactly like a missing work; with for_edit, a viewer who is not a creator gets 403.
 * Returns false when a response has been sent. */
bool work_view_load(struct web_req *w, struct work *wk, bool for_edit);
/* Loads chapter path parameter 1 of wk; answers 404 (and false) when it is not one of the work's chapters. */
bool work_view_load_chapter(struct web_req *w, const struct work *wk, struct chapter *c);
/* Sets data.errors {field: message} (dots in field names become '_', matching form input names) and
 * data.error_list [{field, message}] for a form's summary box. */
void work_view_set_errors(json_t *data, const struct field_errors *e);
/* [{value, label, selected}] for the chapter text format select ("html" when selected is unknown). */
json_t *work_view_format_options(const char *selected);
/* Echoes a chapter's fields into form (form.chapter_*) and data.formats, to show a form again. */
void work_view_chapter_to_form(json_t *data, json_t *form, const struct chapter_input *in);
/* Renders the reading page (templates/works/show.html): list holds every chapter in order (content not
 * needed), shown the chapter to display with its content. With full (the entire work), shown is ignored:
 * the chapters are read and sent one at a time while the page streams, so list needs no content.
 * The shared part is kept in the page cache as a fragment for work_view_reading_cached. */
void work_view_render_reading(struct web_req *w, const struct work *wk, const struct chapter *list, size_t n,
                              const struct chapter *shown, size_t nshown, bool full);
/* Answers a reading page (/works/ID or /works/ID/chapters/CID, not the entire work) from the cached
 * shared part, rendering only the viewer's frame around it. False when there is none (or the viewer may not
 * see the work): the handler then loads the work as usual. */
bool work_view_reading_cached(struct web_req *w);
#endif
