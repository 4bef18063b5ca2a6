/* Where the reader's response plugs into the existing pages: each is called from one line elsewhere. */
#ifndef QUIRE_WEB_RESPONSE_HOOKS_H
#define QUIRE_WEB_RESPONSE_HOOKS_H
#include <jansson.h>
#include "web/web.h"
#include "archive/errors.h"
#include "archive/work.h"

/* web_new / web_free (app.c): the response rules' state (limits, hit counting; flushes hits when freed). */
int web_response_init(struct web *app);
void web_response_free(struct web *app);
/* web_handle (app.c), when a cached guest page was sent: counts a hit on a reading page. */
void web_response_cached_view(struct web_req *w);
/* web_layout_data (render.c): the logged-in reader's unread inbox count (layout.inbox_unread). */
void web_response_layout(struct web_req *w, json_t *layout);
/* work_view_render_reading (work_view.c): data.response for templates/works/_response.html and
 * _response_stats.html (kudos, comments, bookmark), and the hit / reading history of this view. */
void web_response_reading(struct web_req *w, json_t *d, const struct work *wk, const struct chapter *shown,
                          size_t nshown, bool full);
/* The work form (works.c): comment settings echoed (form.comment_policy, form.comments_moderated),
 * checked (field errors), and saved once the work is. */
void web_response_settings_form(struct web_req *w, json_t *form, const struct work *wk);
void web_response_settings_check(struct web_req *w, struct field_errors *errors);
void web_response_settings_save(struct web_req *w, int64_t work_id);
#endif
