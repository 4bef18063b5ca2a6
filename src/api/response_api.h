/* JSON API v1 handlers for the reader's response (docs/api.md, "Comments" to "Statistics"). */
#ifndef QUIRE_API_RESPONSE_API_H
#define QUIRE_API_RESPONSE_API_H
#include "front/front.h"

void api_comments_list(struct web_req *w);   /* GET  /chapters/:cid/comments, /works/:id/comments */
void api_comment_create(struct web_req *w);  /* POST the same */
void api_comment_get(struct web_req *w);     /* GET    /comments/:id */
void api_comment_update(struct web_req *w);  /* PATCH  /comments/:id */
void api_comment_delete(struct web_req *w);  /* DELETE /comments/:id */
void api_kudos_list(struct web_req *w);      /* GET  /works/:id/kudos, /chapters/:cid/kudos */
void api_kudos_give(struct web_req *w);      /* POST the same */
void api_bookmarks_list(struct web_req *w);  /* GET  /bookmarks?user=NAME */
void api_bookmark_create(struct web_req *w); /* POST /bookmarks */
void api_bookmark_update(struct web_req *w); /* PATCH  /bookmarks/:id */
void api_bookmark_delete(struct web_req *w); /* DELETE /bookmarks/:id */
void api_inbox_list(struct web_req *w);      /* GET  /inbox */
void api_inbox_read(struct web_req *w);      /* POST /inbox/read */
void api_work_stats(struct web_req *w);      /* GET  /works/:id/stats */
#endif
