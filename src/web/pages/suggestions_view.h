/* Readers' suggestions as view models: one suggestion (templates/suggestions/_item.html), the open ones of a
 * chapter for its editor, the open ones on a writer's works for the inbox, and the notice after an answer. */
#ifndef QUIRE_WEB_PAGES_SUGGESTIONS_VIEW_H
#define QUIRE_WEB_PAGES_SUGGESTIONS_VIEW_H
#include <jansson.h>
#include "web/web.h"

/* plain: the chapter's squeezed text, to tell an outdated one (NULL: not told). answer: the writer's buttons,
 * which go back to ret. show_where: the work and chapter, linked to the editor. */
json_t *suggestions_view_item(struct web_req *w, const struct reader_suggestion *s, const char *plain, bool answer,
                              bool show_where, const char *ret);
/* NULL when there are none or the viewer is no creator. */
json_t *suggestions_view_editor(struct web_req *w, const struct work *wk, const struct chapter *c);
json_t *suggestions_view_inbox(struct web_req *w);
/* An inbox message about a suggestion (to the writers, or to its reader once answered) into o; false for
 * messages of other kinds. */
bool suggestions_view_inbox_message(struct web_req *w, const struct inbox_item *it, json_t *o);
/* The sentence for ?suggestion_notice=, or NULL. */
const char *suggestions_view_notice(struct web_req *w);
#endif
