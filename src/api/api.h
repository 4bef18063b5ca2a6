/* JSON API v1: the same store operations and rules as the pages, with bearer-token authentication. */
#ifndef QUIRE_API_API_H
#define QUIRE_API_API_H
#include "web/web.h"

/* Sets w->user from "Authorization: Bearer TOKEN" (API requests ignore cookies). */
void api_authenticate(struct web_req *w);

void api_work_create(struct web_req *w);
void api_work_get(struct web_req *w);
void api_work_update(struct web_req *w);
void api_work_delete(struct web_req *w);
void api_chapter_create(struct web_req *w);
void api_chapter_get(struct web_req *w);
void api_chapter_update(struct web_req *w);
void api_chapter_delete(struct web_req *w);

/* ---- Finding works ---- */
/* listing.c: GET /api/v1/works with filters, facets and text search */
void api_works_find(struct web_req *w);
/* tags.c: tag autocomplete */
void api_tags_autocomplete(struct web_req *w);
#endif
