/* Page handlers of the reader's response (comments, kudos, bookmarks, history, inbox, statistics) and
 * the template data they share; each handler is one line of the route table. */
#ifndef QUIRE_WEB_PAGES_RESPONSE_H
#define QUIRE_WEB_PAGES_RESPONSE_H
#include <jansson.h>
#include "archive/response.h"
#include "web/web.h"

/* response_comments.c: comments and kudos */
void page_comment_create(struct web_req *w);     /* POST /works/:id[/chapters/:cid]/comments */
void page_comment_new(struct web_req *w);        /* GET  /works/:id[/chapters/:cid]/comments/new */
void page_comments_more(struct web_req *w);      /* GET  /works/:id/comments?chapter=&after= */
void page_comment_show(struct web_req *w);       /* GET  /comments/:id: to its place on the reading page */
void page_comment_edit(struct web_req *w);       /* GET  /comments/:id/edit */
void page_comment_update(struct web_req *w);     /* POST /comments/:id */
void page_comment_delete(struct web_req *w);     /* POST /comments/:id/delete */
void page_comment_moderate(struct web_req *w);   /* POST /comments/:id/moderate */
void page_kudos_show(struct web_req *w);         /* GET  /works/:id/kudos?chapter= */
void page_kudos_give(struct web_req *w);         /* POST /works/:id/kudos */

/* response_reader.c: bookmarks, history, marked for later, inbox */
void page_bookmark_form(struct web_req *w);      /* GET  /works/:id/bookmark */
void page_bookmark_save(struct web_req *w);      /* POST /works/:id/bookmark */
void page_bookmark_delete(struct web_req *w);    /* POST /bookmarks/:id/delete */
void page_user_bookmarks(struct web_req *w);     /* GET  /users/:name/bookmarks */
void page_history(struct web_req *w);            /* GET  /history[?later=1] */
void page_later(struct web_req *w);              /* POST /works/:id/later */
void page_inbox(struct web_req *w);              /* GET  /inbox[?unread=1] */
void page_inbox_mark(struct web_req *w);         /* POST /inbox/:id/read */
void page_inbox_mark_all(struct web_req *w);     /* POST /inbox/read-all */

/* response_stats.c */
void page_work_stats(struct web_req *w);         /* GET /works/:id/stats */
void page_user_stats(struct web_req *w);         /* GET /users/:name/stats */

/* Shared by the response pages (response_comments.c). */
/* Where comment c is read: its chapter page or the entire work, with #comment-ID. */
const char *response_comment_url(struct web_req *w, const struct comment *c);
/* The status an archive/response.h code answers with (Q_EBUSY 429, Q_EEXIST 409, ...). */
int response_status(int rc);
/* The client's address and browser, for abuse limits and guest kudos. */
struct response_actor response_actor_of(struct web_req *w);
#endif
