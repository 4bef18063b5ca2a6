/* The writer's check in previews and on demand ("Check"): what writing/check.h finds in a work or chapter
 * about to be posted, grouped by kind, each with its sentence quoted, as the view model of
 * templates/works/_writing_check.html (and the data static/writing.js needs for its one-click fixes). */
#ifndef QUIRE_WEB_WRITING_VIEW_H
#define QUIRE_WEB_WRITING_VIEW_H
#include <jansson.h>
#include "web/web.h"

/* Checks the work's own texts (title, summary, notes) when work_fields, and the chapter's when ch is not
 * NULL. The work's tags, creators and the writer's accepted names are names; dismissed suggestions are left
 * out. First remembers what the form's check buttons asked (check_dismiss=KEY, check_name=WORD, with
 * check_all for all the writer's works). form_id names the form the buttons submit. */
json_t *writing_view_json(struct web_req *w, const struct work *wk, const struct chapter *ch, bool work_fields,
                          const char *form_id);
#endif
