/* Reading the work and chapter forms: which button was pressed, text areas as typed, the chapter fields,
 * comma-separated lists (capped as they are split) and counts typed into boxes. */
#ifndef QUIRE_WEB_WORK_FORM_H
#define QUIRE_WEB_WORK_FORM_H
#include "archive/work.h"
#include "web/web.h"

/* The action a work or chapter form was submitted with: "preview", "draft" or "post" (the default). */
const char *work_form_action(struct web_req *w);
/* The raw value of a form field, untrimmed ("" when absent): text areas keep exactly what was typed. */
const char *work_form_raw(struct web_req *w, const char *key);
/* The chapter fields of a work or chapter form (chapter_title, chapter_summary, chapter_notes,
 * chapter_end_notes, chapter_content, chapter_format) as typed. */
void work_form_chapter(struct web_req *w, struct chapter_input *in);
/* The comma-separated field key as a list: at most ARCHIVE_LIST_MAX + 1 items are split off (the rules
 * refuse more than a list's cap), however long the field is. */
void work_form_list(struct web_req *w, const char *key, struct strlist *out);
/* A count typed into a box: blank is 0 ("not given"), anything but a whole number >= 1 is -1, and a
 * number too large for an int is INT_MAX (the rules name the maximum). */
int work_form_count(const char *s);
/* Answers a workflow that failed for another reason than the form's fields: 404 (gone or hidden), 403 (not
 * a creator), 503 (busy), else 500 with "<what> could not be saved". */
void work_form_failed(struct web_req *w, int rc, const char *what);
#endif
