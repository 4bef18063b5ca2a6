/* The one route table, joined from the pages' (src/web/routes.c) and the API's (src/api/routes.c): matching,
 * the preflight (404, 405, login, body limit before the body), and dispatch with the checks every route shares
 * (API tokens, logging in, CSRF). */
#include "app/app.h"
#include "api/api.h"
#include "web/web.h"
#include "core/hash.h"
#include "html/escape.h"
#include <pthread.h>
#include <stdint.h>
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

/* ---- Candidates: routes by the first segment of their pattern and their number of segments ("works" and 3
 * for /works/:id/edit: a parameter never spans a '/'), so a request compares only the few routes that can
 * match it instead of the whole table. A pattern whose first segment holds a parameter could match any
 * path: with one of those every route is a candidate. ---- */

#define SEG_SLOTS 256 /* a power of two, over twice the distinct first segments */

static struct {
	pthread_once_t once;
	bool wild;                       /* some pattern begins with a parameter: no index */
	uint16_t order[ROUTES_MAX];      /* route indices grouped by first segment, in table order within one */
	struct seg_slot {
		const char *seg;             /* into the pattern; NULL: empty slot */
		size_t len, nseg;
		uint16_t start, n;           /* into order */
	} slots[SEG_SLOTS];
	uint16_t all[ROUTES_MAX];        /* 0..NROUTES-1, for paths when there is no index */
} cand = {.once = PTHREAD_ONCE_INIT};

/* The first segment of a path or pattern (after the leading '/', up to the next '/' or the end) and how
 * many segments it has. */
static const char *first_seg(const char *s, size_t *len, size_t *nseg)
{
	if (*s == '/')
		s++;
	*len = strcspn(s, "/");
	*nseg = 1;
	for (const char *p = s + *len; (p = strchr(p, '/')); p++)
		++*nseg;
	return s;
}

static struct seg_slot *seg_slot_of(const char *seg, size_t len, size_t nseg)
{
	size_t i = (size_t)(hash_fnv1a(seg, len) + nseg * 0x9E3779B97F4A7C15ull) & (SEG_SLOTS - 1);
	while (cand.slots[i].seg &&
	       (cand.slots[i].len != len || cand.slots[i].nseg != nseg || memcmp(cand.slots[i].seg, seg, len) != 0))
		i = (i + 1) & (SEG_SLOTS - 1);
	return &cand.slots[i];
}

static void build_candidates(void)
{
	size_t nroutes = NROUTES < ROUTES_MAX ? NROUTES : ROUTES_MAX, distinct = 0;
	for (size_t i = 0; i < nroutes; i++)
		cand.all[i] = (uint16_t)i;
	for (size_t i = 0; i < nroutes; i++) {
		size_t len, nseg;
		const char *seg = first_seg(route_at(i)->pattern, &len, &nseg);
		if (memchr(seg, ':', len) || NROUTES > ROUTES_MAX)
			cand.wild = true;
		if (++distinct * 2 > SEG_SLOTS)
			cand.wild = true; /* more kinds than the table was sized for: scan everything */
		if (cand.wild)
			return;
		struct seg_slot *sl = seg_slot_of(seg, len, nseg);
		if (!sl->seg) {
			sl->seg = seg;
			sl->len = len;
			sl->nseg = nseg;
		} else {
			distinct--;
		}
		sl->n++;
	}
	uint16_t next = 0;
	for (size_t i = 0; i < SEG_SLOTS; i++)
		if (cand.slots[i].seg) {
			cand.slots[i].start = next;
			next = (uint16_t)(next + cand.slots[i].n);
			cand.slots[i].n = 0;
		}
	for (size_t i = 0; i < nroutes; i++) { /* table order within each kind */
		size_t len, nseg;
		const char *seg = first_seg(route_at(i)->pattern, &len, &nseg);
		struct seg_slot *sl = seg_slot_of(seg, len, nseg);
		cand.order[sl->start + sl->n++] = (uint16_t)i;
	}
}

/* The routes that may match path, in table order. */
static const uint16_t *candidates(const char *path, size_t *n)
{
	pthread_once(&cand.once, build_candidates);
	if (cand.wild) {
		*n = NROUTES < ROUTES_MAX ? NROUTES : ROUTES_MAX;
		return cand.all;
	}
	size_t len, nseg;
	const char *seg = first_seg(path, &len, &nseg);
	const struct seg_slot *sl = seg_slot_of(seg, len, nseg);
	*n = sl->seg ? sl->n : 0;
	return cand.order + (sl->seg ? sl->start : 0);
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
	size_t nc;
	const uint16_t *c = candidates(bare, &nc);
	for (size_t i = 0; i < nc && !found; i++) {
		const char *params[4] = {0};
		found = !strcmp(route_at(c[i])->method, get ? "GET" : w->req->method) &&
		        match(w->arena, route_at(c[i])->pattern, bare, params);
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
	size_t nc;
	const uint16_t *c = candidates(w->req->path, &nc);
	for (size_t i = 0; i < nc; i++) {
		const struct route *r = route_at(c[i]);
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
	size_t nc;
	const uint16_t *c = candidates(req->path, &nc);
	for (size_t k = 0; k < nc; k++) {
		size_t i = c[k];
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
	size_t nc;
	const uint16_t *c = candidates(w->req->path, &nc);
	for (size_t k = 0; k < nc; k++)
		if (match(NULL, route_at(c[k])->pattern, w->req->path, NULL) && !strstr(allow, route_at(c[k])->method)) {
			if (*allow)
				strcat(allow, ", ");
			strcat(allow, route_at(c[k])->method);
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
