/* The route table: one line per page or API endpoint: method, path pattern, handler, needs, query, body limit. */
#include "web/web.h"
#include "web/metrics_page.h"
#include "web/pages/pages.h"
#include "api/api.h"
#include "html/escape.h"
#include <string.h>

enum {
	NEEDS_LOGIN = 1, /* guests are sent to /login (pages) or get 401 (API) */
	NO_CSRF = 2,     /* a POST that carries no CSRF token (API: bearer tokens are not ambient) */
	CACHEABLE = 4,   /* a guest's 200 answer may be kept in the page cache */
	SLOW = 8,        /* may hash passwords or sanitize: runs on the worker pool, not a network thread */
	HASHES = 16,     /* with SLOW: runs argon2id, so it counts against the pool's hashing cap */
};

/* Largest request body a route accepts (anything larger is refused before it is read). */
#define BODY_NONE 0
#define BODY_SMALL (16 * 1024)       /* log-in, sign-up, settings, buttons */
#define BODY_FORM (8 * 1024 * 1024)  /* work and chapter forms, API submissions */

struct route {
	const char *method;
	const char *pattern; /* segments; ":x" captures one segment into w->params */
	void (*handler)(struct web_req *w);
	unsigned needs;      /* NEEDS_LOGIN | NO_CSRF | CACHEABLE | SLOW | HASHES */
	const char *query;   /* the query parameters the handler reads, space-separated: the cache key's parts */
	size_t body_max;     /* BODY_NONE, BODY_SMALL or BODY_FORM */
};

static const struct route routes[] = {
	{"GET", "/", page_home, CACHEABLE, "", BODY_NONE},
	{"GET", "/healthz", page_healthz, 0, "", BODY_NONE},
	{"GET", "/metrics", page_metrics, 0, "", BODY_NONE},
	{"GET", "/static/:file", page_static, CACHEABLE, "", BODY_NONE},
	{"GET", "/prefs", page_prefs_form, 0, "return", BODY_NONE},
	{"GET", "/docs/:name", page_docs, CACHEABLE, "", BODY_NONE},
	{"POST", "/prefs", page_prefs_save, 0, "", BODY_SMALL},
	/* accounts */
	{"GET", "/signup", page_signup_form, 0, "", BODY_NONE},
	{"POST", "/signup", page_signup, SLOW | HASHES, "", BODY_SMALL},
	{"GET", "/login", page_login_form, 0, "return", BODY_NONE},
	{"POST", "/login", page_login, SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/logout", page_logout, 0, "", BODY_SMALL},
	{"GET", "/account", page_account, NEEDS_LOGIN, "notice", BODY_NONE},
	{"POST", "/account/password", page_account_password, NEEDS_LOGIN | SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/account/delete", page_account_delete, NEEDS_LOGIN | SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/account/tokens", page_account_token_add, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/account/tokens/:id/revoke", page_account_token_revoke, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/account/invitations/:id/accept", page_account_invite_accept, NEEDS_LOGIN, "", BODY_SMALL},
	/* works and chapters */
	{"GET", "/works", page_works_index, CACHEABLE, "page", BODY_NONE},
	{"GET", "/works/new", page_work_new, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works", page_work_create, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/works/:id", page_work_show, CACHEABLE, "view_full_work", BODY_NONE},
	{"GET", "/works/:id/navigate", page_work_navigate, 0, "chapter", BODY_NONE},
	{"GET", "/works/:id/edit", page_work_edit, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id", page_work_update, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/works/:id/delete", page_work_delete_confirm, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/delete", page_work_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/works/:id/post", page_work_post_draft, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/works/:id/chapters/new", page_chapter_new, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/chapters", page_chapter_create, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/works/:id/chapters/manage", page_chapters_manage, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/chapters/reorder", page_chapters_reorder, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/works/:id/chapters/:cid", page_chapter_show, CACHEABLE, "", BODY_NONE},
	{"GET", "/works/:id/chapters/:cid/edit", page_chapter_edit, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/chapters/:cid", page_chapter_update, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"POST", "/works/:id/chapters/:cid/delete", page_chapter_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/users/:name", page_user_show, CACHEABLE, "", BODY_NONE},
	{"GET", "/users/:name/works", page_user_works, CACHEABLE, "page", BODY_NONE},
	/* JSON API v1 */
	{"GET", "/api/v1/works", api_works_list, NO_CSRF, "creator page per_page", BODY_NONE},
	{"POST", "/api/v1/works", api_work_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id", api_work_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/works/:id", api_work_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/works/:id", api_work_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/api/v1/works/:id/chapters", api_chapter_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id/chapters/:cid", api_chapter_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/works/:id/chapters/:cid", api_chapter_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/works/:id/chapters/:cid", api_chapter_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
};

#define NROUTES (sizeof routes / sizeof routes[0])

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

static bool known_method(const char *m)
{
	static const char *known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(m, known[i]))
			return true;
	return false;
}

const struct http_route_info *web_route_infos(size_t *n)
{
	static struct http_route_info infos[NROUTES];
	for (size_t i = 0; i < NROUTES; i++) /* the same values every time: safe to repeat */
		infos[i] = (struct http_route_info){routes[i].method, routes[i].pattern};
	*n = NROUTES;
	return infos;
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
		const struct route *r = &routes[i];
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
	char allow[128] = "";
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *r = &routes[i];
		const char *params[4] = {0};
		if (!match(w->arena, r->pattern, w->req->path, params))
			continue;
		if (strcmp(r->method, method) != 0) {
			if (!strstr(allow, r->method)) {
				if (*allow)
					strcat(allow, ", ");
				strcat(allow, r->method);
			}
			continue;
		}
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
		r->handler(w);
		return;
	}
	if (*allow) {
		if (strstr(allow, "GET"))
			strcat(allow, ", HEAD");
		http_response_header(w->resp, w->arena, "Allow", allow);
		web_error(w, 405, "That request method is not allowed here.");
		return;
	}
	web_error(w, 404, "The page you were looking for does not exist, or you are not allowed to see it.");
}
