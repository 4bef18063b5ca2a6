/* Where the reader's response plugs into the existing pages: each is called from one line elsewhere. */
#ifndef QUIRE_WEB_RESPONSE_HOOKS_H
#define QUIRE_WEB_RESPONSE_HOOKS_H
#include <jansson.h>
#include "html/tpl.h"
#include "web/web.h"
#include "archive/errors.h"
#include "archive/work.h"

/* web_new / web_free (app.c): the response rules' state (limits, hit counting; flushes hits when freed). */
int web_response_init(struct web *app);
void web_response_free(struct web *app);
/* web_handle (app.c), when a cached guest page was sent: counts a hit on a reading page. */
void web_response_cached_view(struct web_req *w);
/* The layout (render.c): the logged-in reader's unread inbox messages (layout.inbox_unread), 0 on failure. */
int64_t web_response_unread(struct web_req *w);
/* The reading page (work_view.c) is a reader's frame around a shared fragment cached for every reader, which
 * holds no response data: kudos, comments and hits never touch it. web_response_reading adds to the frame
 * data.response (kudos, bookmark, the meta block's counts for the fragment's slot) and data.comments for
 * templates/works/_response.html (comments and their forms as this reader sees them), and counts the view
 * as a hit and in the reader's history. web_response_shared puts the counts in the shared data instead, for
 * the entire work (streamed, never a fragment). */
struct web_response_view {
	int64_t chapter_id;   /* the chapter shown alone; 0 for the entire work */
	int chapter_position;
	bool multi;           /* the work has more than one chapter */
	bool full;            /* the entire-work view */
};
void web_response_shared(struct web_req *w, json_t *d, const struct work *wk);
/* What web_response_reading adds as C values (the page's lists go into its JSON): "response", "comments". */
struct web_response_vars {
	struct tpl_var top[2];
	size_t n;
};
void web_response_reading(struct web_req *w, json_t *d, const struct work *wk, const struct web_response_view *rv,
                          struct web_response_vars *out);
/* The work form (works.c): comment settings echoed (form.comment_policy, form.comments_moderated), and
 * read into the submission, which checks and saves them with the work (archive/work.h). */
void web_response_settings_form(struct web_req *w, json_t *form, const struct work *wk);
void web_response_settings_input(struct web_req *w, struct work_input *in);
#endif
