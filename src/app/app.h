/* The application above both front ends: its life cycle, the entry point of every request (headers, page cache,
 * session), and the one route table joined from the pages' and the API's (routes.c). */
#ifndef QUIRE_APP_APP_H
#define QUIRE_APP_APP_H
#include "front/front.h"

/* Application life cycle (app.c). Returns Q_EINVAL with a message in err when templates fail to compile. */
int web_new(struct web **out, const struct config *cfg, struct store *st, char *err, size_t errlen);
void web_free(struct web *app);
/* http_handler and http_error_handler for the server. */
void web_handle(void *ctx, struct http_request *req, struct http_response *resp);
void web_server_error(void *ctx, struct http_request *req, struct http_response *resp, int status, const char *msg);

/* The joined route table (routes.c): the pages' routes, then the API's. */
void web_dispatch(struct web_req *w);
/* What the route table says about the route that answers `method` at the request's path. */
struct web_route_info {
	const char *pattern;
	bool cacheable;          /* CACHEABLE: a guest's 200 answer may be cached */
	const char *query;       /* the query parameters the handler reads, space-separated */
};
/* Finds the route that would answer method at w's path; false when none does. */
bool web_route_find(struct web_req *w, const char *method, struct web_route_info *out);
/* http_preflight_fn: the route, its body limit and where it runs, from the request line and headers. */
void web_preflight(void *ctx, const struct http_request *req, struct http_preflight *out);
/* Method and pattern of every route, indexed like http_preflight.route (for metrics labels). */
const struct http_route_info *web_route_infos(size_t *n);

/* The community's housekeeping job (housekeeping.c): the day's invitations, old counters. */
struct jobs;
int app_housekeeping_add(struct web *app, struct jobs *jobs);
#endif
