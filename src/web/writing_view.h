/* The writer's check in previews: what writing/check.h finds in a work or chapter about to be posted, as the
 * view model of templates/works/_writing_check.html. */
#ifndef QUIRE_WEB_WRITING_VIEW_H
#define QUIRE_WEB_WRITING_VIEW_H
#include <jansson.h>
#include "web/web.h"

/* Checks the work's own texts (title, summary, notes) and, when ch is not NULL, the chapter's; the work's
 * tags and creators are names, never misspelled. */
json_t *writing_view_json(struct web_req *w, const struct work *wk, const struct chapter *ch);
#endif
