/* The one route table, joined from the pages' (src/web/routes.c) and the API's (src/api/routes.c): matching,
 * the preflight (404, 405, login, body limit before the body), and dispatch with the checks every route shares
 * (API tokens, logging in, CSRF). */
#include "app/app.h"
#include "api/api.h"
#include "web/web.h"
#include "html/escape.h"
#include <pthread.h>
#include <string.h>

/* The joined table: the pages' routes, then the API's (no path is in both: the API's all begin /api/). An index
 * of it is what the preflight hands the server (http_preflight.route) and metrics label. */
#define NROUTES (web_page_nroutes + api_nroutes)
#define ROUTES_MAX 1024

static inline const struct route *route_at(size_t i)
{
	return i < web_page_nroutes ? &web_page_routes[i] : &api_routes[i - web_page_nroutes];
}

/* Matches path against pattern, capturing ":x" segments into params (copies in a) unless params is NULL. */
static bool match(struct arena *a, const char *pattern, const char *path, const char **params)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == ':') {
			const char *end = strchr(s, '/');
			size_t n = end ? (size_t)(end - s) : strlen(s);
			if (n == 0 || np >= 4)
				return false;
			if (params)
				params[np] = arena_strndup(a, s, n);
			np++;
			s += n;
			while (*p && *p != '/')
				p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++, s++;
	}
	return *p == '\0' && *s == '\0';
}

/* "/works/" and "/works/1/" name the page without the slash: 301 (308 keeps other methods and bodies)
 * to it, query kept. Only when the slash-less path is a route for this method, so others still answer 404. */
static bool redirect_trailing_slash(struct web_req *w)
{
	const char *raw = w->req->raw_path, *path = w->req->path;
	size_t rn = strlen(raw), pn = strlen(path);
	while (rn > 1 && raw[rn - 1] == '/')
		rn--;
	while (pn > 1 && path[pn - 1] == '/')
		pn--;
	if (pn == strlen(path) || pn <= 1 || raw[1] == '/')
		return false;
	for (size_t i = 0; i < rn; i++)
		if ((unsigned char)raw[i] <= ' ' || raw[i] == 0x7f || raw[i] == '\\')
			return false;
	const char *bare = arena_strndup(w->arena, path, pn);
	bool get = !strcmp(w->req->method, "GET") || !strcmp(w->req->method, "HEAD"), found = false;
	for (size_t i = 0; i < NROUTES && !found; i++) {
		const char *params[4] = {0};
		found = !strcmp(route_at(i)->method, get ? "GET" : w->req->method) && match(w->arena, route_at(i)->pattern, bare, params);
	}
	if (!found)
		return false;
	const char *location = arena_printf(w->arena, "%.*s%s", (int)rn, raw, web_query_string(w));
	w->resp->status = get ? 301 : 308;
	http_response_header(w->resp, w->arena, "Location", location);
	buf_reset(&w->resp->body);
	w->resp->content_type = "text/plain; charset=utf-8";
	buf_printf(&w->resp->body, "Moved to %s\n", location);
	return true;
}

/* The first route for method that matches the path, its parameters in params. The preflight already
 * found it for the server (req->route, HEAD as GET): then it is only checked, not searched for again. */
static const struct route *route_for(struct web_req *w, const char *method, const char **params)
{
	int known = w->req->route;
	if (known >= 0 && (size_t)known < NROUTES && !strcmp(route_at((size_t)known)->method, method) &&
	    match(w->arena, route_at((size_t)known)->pattern, w->req->path, params))
		return route_at((size_t)known);
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *r = route_at(i);
		if (!strcmp(r->method, method) && match(w->arena, r->pattern, w->req->path, params))
			return r;
		memset(params, 0, 4 * sizeof *params);
	}
	return NULL;
}

bool web_route_find(struct web_req *w, const char *method, struct web_route_info *out)
{
	const char *params[4] = {0};
	const struct route *r = route_for(w, method, params);
	if (r) {
		out->pattern = r->pattern;
		out->cacheable = (r->needs & CACHEABLE) != 0;
		out->query = r->query;
		return true;
	}
	return false;
}

static bool known_method(const char *m)
{
	static const char *known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(m, known[i]))
			return true;
	return false;
}

static struct http_route_info route_infos[ROUTES_MAX];
static pthread_once_t route_infos_once = PTHREAD_ONCE_INIT;

static void route_infos_fill(void)
{
	for (size_t i = 0; i < NROUTES && i < ROUTES_MAX; i++)
		route_infos[i] = (struct http_route_info){route_at(i)->method, route_at(i)->pattern};
}

const struct http_route_info *web_route_infos(size_t *n)
{
	/* Filled once: every request's thread reads it (its round trips are counted by route). */
	pthread_once(&route_infos_once, route_infos_fill);
	*n = NROUTES < ROUTES_MAX ? NROUTES : ROUTES_MAX; /* more would go unlabelled in /metrics */
	return route_infos;
}

/* Credentials are only looked at, not checked: the handler checks them once the body is in. */
static bool has_credentials(const struct http_request *req)
{
	return kv_get(&req->cookies, "quire_session") || http_header_get(req, "Authorization");
}

void web_preflight(void *ctx, const struct http_request *req, struct http_preflight *out)
{
	const char *method = req->method;
	out->answer_now = true; /* 404, 405 and 501 need no body */
	if (!known_method(method))
		return;
	if (!strcmp(method, "HEAD"))
		method = "GET";
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *r = route_at(i);
		if (strcmp(r->method, method) != 0 || !match(NULL, r->pattern, req->path, NULL))
			continue;
		out->route = (int)i;
		out->body_max = r->body_max;
		out->run = !(r->needs & SLOW) ? HTTP_RUN_INLINE : (r->needs & HASHES) ? HTTP_RUN_POOL_HASH : HTTP_RUN_POOL;
		/* A guest's request to a members' route is refused (or sent to log in) whatever its body says. */
		out->answer_now = (r->needs & NEEDS_LOGIN) && !has_credentials(req);
		return;
	}
}

void web_dispatch(struct web_req *w)
{
	const char *method = w->req->method;
	if (!known_method(method)) {
		web_error(w, 501, "This server does not know that request method.");
		return;
	}
	if (!strcmp(method, "HEAD"))
		method = "GET"; /* libmicrohttpd drops the body */
	const char *params[4] = {0};
	const struct route *r = route_for(w, method, params);
	if (r) {
		memcpy(w->params, params, sizeof params);
		if (w->api) {
			api_authenticate(w);
			if (w->resp->status != 200)
				return; /* a presented token was refused: never fall back to guest */
		}
		if ((r->needs & NEEDS_LOGIN) && !w->user) {
			if (w->api || w->wants_json) {
				http_response_header(w->resp, w->arena, "WWW-Authenticate", "Bearer realm=\"quire\"");
				web_json_error(w, 401, "unauthorized", "This needs an API token: Authorization: Bearer TOKEN.", NULL);
			} else
				web_redirect(w, arena_printf(w->arena, "/login?return=%s", esc_url_a(w->arena, w->req->path)));
			return;
		}
		if (strcmp(method, "GET") != 0 && !(r->needs & NO_CSRF) && !web_csrf_ok(w)) {
			web_error(w, 403, "The form's security token is missing or out of date. Go back, reload the page and try again.");
			return;
		}
		w->route_query = r->query;
		r->handler(w);
		return;
	}
	/* No route for this method: the methods that have one for this path make a 405's Allow. */
	char allow[128] = "";
	for (size_t i = 0; i < NROUTES; i++)
		if (match(NULL, route_at(i)->pattern, w->req->path, NULL) && !strstr(allow, route_at(i)->method)) {
			if (*allow)
				strcat(allow, ", ");
			strcat(allow, route_at(i)->method);
		}
	if (*allow) {
		if (strstr(allow, "GET"))
			strcat(allow, ", HEAD");
		http_response_header(w->resp, w->arena, "Allow", allow);
		web_error(w, 405, "That request method is not allowed here.");
		return;
	}
	if (redirect_trailing_slash(w))
		return;
	web_error(w, 404, "The page you were looking for does not exist, or you are not allowed to see it.");
}
