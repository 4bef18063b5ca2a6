/* The web application: shared state, the per-request context every page and API handler receives. */
#ifndef QUIRE_WEB_WEB_H
#define QUIRE_WEB_WEB_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "http/server.h"
#include "store/store.h"
#include "web/page_cache.h"

struct tpl_set;
struct tpl_refs;
struct tpl_out;
struct ratelimit;
struct response;
struct speller;

/* Long-lived application state, shared read-only by all worker threads (except the
 * thread-safe rate limits and cache). */
struct web {
	const struct config *cfg;
	struct store *store;
	struct tpl_set *tpl;
	unsigned char csrf_key[32];    /* from the settings table: CSRF tokens survive restarts */
	struct ratelimit *login_ip;    /* failed logins per client IP */
	struct ratelimit *login_user;  /* failed logins per account name */
	struct ratelimit *signup_ip;   /* sign-ups per client IP */
	struct page_cache *cache;      /* rendered guest pages and shared fragments (page_cache.h) */
	struct response *response;     /* the reader's response: limits and hit counting (archive/response.h) */
	struct speller *speller;       /* spelling dictionaries for the writer's check (writing/speller.h) */
	_Atomic unsigned bound_port;   /* the port the server got (--listen HOST:0); 0 until web_set_port */
};

#define WEB_DEPS_MAX 8

/* Per-request context. Everything here lives in req->arena. */
struct web_req {
	struct web *app;
	struct http_request *req;
	struct http_response *resp;
	struct arena *arena;
	struct user *user;        /* logged-in user (session cookie or API token), or NULL for a guest */
	const char *session_hash; /* hash of the session token when logged in through a cookie */
	bool api;                 /* /api/ request: JSON errors, bearer tokens, no CSRF */
	bool wants_json;          /* errors as JSON */
	bool cacheable;           /* a handler sets this when its guest response may be cached */
	/* What a cacheable page shows (web_cache_depends); none declared means "anything" */
	struct page_dep deps[WEB_DEPS_MAX];
	size_t ndeps;
	bool cache_immutable;     /* a page that no store change affects (embedded files) */
	uint64_t cache_epoch;     /* page_cache_epoch() before the store was read */
	struct page_counts counts; /* works whose response counts the page shows, and when it was read */
	struct tpl_refs *refs;    /* references in this request's view models (web_ref) */
	const char *params[4];    /* path parameters from the route pattern, in order */
	const char *route_query;  /* the query parameters the answering route declares (routes.c), or NULL */
	/* reading preferences from the quire_prefs cookie */
	const char *theme;        /* "auto", "light", "dark" */
	const char *font_size;    /* "s", "m", "l", "xl" */
	bool hide_style;          /* "hide creator's style" */
	const char *csrf;         /* token for forms on this page (computed lazily by web_csrf_token) */
};

/* The route table (routes.c) and its dispatch. */
void web_dispatch(struct web_req *w);
/* What the route table says about the route that answers `method` at the request's path. */
struct web_route_info {
	const char *pattern;
	bool cacheable;          /* CACHEABLE: a guest's 200 answer may be cached */
	const char *query;       /* the query parameters the handler reads, space-separated */
};
/* Finds the route that would answer method at w's path; false when none does. */
bool web_route_find(struct web_req *w, const char *method, struct web_route_info *out);
/* The id in a path that starts with prefix then digits ("/works/12/chapters/3" with "/works/": 12, rest at
 * "/chapters/3"); 0 when it does not, or the number overflows. rest may be NULL. */
int64_t web_path_id(const char *path, const char *prefix, const char **rest);

/* The page cache (app.c). A page shows data from the store: record each dependency so that a change to it
 * (and only to it) drops the cached page. kind is a page_dep_kind (PAGE_DEP_WORK, PAGE_DEP_USER,
 * PAGE_DEP_SERIES with an id; PAGE_DEP_LISTINGS with 0 for lists of works). */
void web_cache_depends(struct web_req *w, enum page_dep_kind kind, int64_t id);
/* A cacheable page shows work_id's kudos, hits, comments and bookmarks counts (a blurb): its cached copy is
 * served only until a response write on that work shows (store_response_version), and other works' kudos
 * leave it alone. */
void web_cache_shows_counts(struct web_req *w, int64_t work_id);
/* Marks a cacheable page as depending on nothing in the store (embedded files). */
void web_cache_immutable(struct web_req *w);
/* http_preflight_fn: the route, its body limit and where it runs, from the request line and headers. */
void web_preflight(void *ctx, const struct http_request *req, struct http_preflight *out);
/* Method and pattern of every route, indexed like http_preflight.route (for metrics labels). */
const struct http_route_info *web_route_infos(size_t *n);

/* Application life cycle (app.c). Returns Q_EINVAL with a message in err when templates fail to compile. */
int web_new(struct web **out, const struct config *cfg, struct store *st, char *err, size_t errlen);
/* Tells the application the port the server bound, for links that leave the site (base_url unset). */
void web_set_port(struct web *app, unsigned port);
/* base_url, or http://HOST:PORT with the port actually bound; no trailing slash. Writes into buf. */
const char *web_base_url(const struct web *app, char *buf, size_t len);
void web_free(struct web *app);
/* http_handler and http_error_handler for the server. */
void web_handle(void *ctx, struct http_request *req, struct http_response *resp);
void web_server_error(void *ctx, struct http_request *req, struct http_response *resp, int status, const char *msg);

/* Responses (render.c). */
/* Renders templates/<name>.html into the layout with data (reference stolen) and the given status.
 * The body is a list of chunks: big strings referenced with web_ref are never copied into JSON or into
 * intermediate buffers (http/server.c copies a small page once, with its headers, as it is sent). */
void web_render(struct web_req *w, int status, const char *name, const char *title, json_t *data);
/* A view-model value standing for p[0..n) by reference ({{RAW x}} sends it without a copy): p must live
 * as long as the request (its arena, or a fragment held with http_response_hold). NULL is "". */
json_t *web_ref(struct web_req *w, const char *p, size_t n);
json_t *web_ref_str(struct web_req *w, const char *s);
/* Renders templates/<name>.html from C values (no JSON: for small frames around cached parts; strings
 * used by reference, so they must live as long as the request) into the layout. */
struct tpl_var;
void web_render_vars(struct web_req *w, int status, const char *name, const char *title, const struct tpl_var *vars,
                     size_t n);
/* Both: C values first, then data (reference stolen) for what only JSON can say (lists of buttons). */
void web_render_mixed(struct web_req *w, int status, const char *name, const char *title, json_t *data,
                      const struct tpl_var *vars, size_t n);
/* The references table of this request's view models (created on first use). */
struct tpl_refs *web_refs(struct web_req *w);
/* Renders templates/<name>.html (no layout) into out, which lives in the request arena. */
int web_render_part(struct web_req *w, const char *name, const json_t *data, struct tpl_out *out);
/* Renders templates/<name>.html with data (reference stolen) as the whole response, no layout: feeds and other
 * documents that are not pages (content_type a static string). */
void web_render_document(struct web_req *w, int status, const char *name, const char *content_type, json_t *data);
/* An error page (HTML in the layout, or JSON {"error":{"code","message"}} for API/JSON requests). A 5xx answer while
 * the store is unhealthy (store_health) becomes 503 with Retry-After and the sentence of web_unavailable. */
void web_error(struct web_req *w, int status, const char *message);
/* While the store is unhealthy (or when rc is Q_EUNAVAIL): adds Retry-After to the answer and returns the sentence
 * that tells the reader (the archive is read-only for now, or its database does not answer); else NULL. Forms
 * that failed for it show it above what was typed, with status 503. */
const char *web_unavailable(struct web_req *w, int rc);
/* 303 See Other to a local path (anything web_return_path_ok refuses goes to "/"). */
void web_redirect(struct web_req *w, const char *location);
/* Return paths (return_path.c): a path on this site, starting with one "/" (not "//" or "/\"), with no
 * control characters, white space or backslashes anywhere, neither as sent nor percent-decoded. */
bool web_return_path_ok(const char *path);
/* path when web_return_path_ok(path), otherwise "/". */
const char *web_return_path(const char *path);
/* Sends a JSON value (reference stolen) with the status. */
void web_json(struct web_req *w, int status, json_t *value);
/* A JSON error with a stable code ("not_found", "invalid", ...) and optional field errors (stolen). */
void web_json_error(struct web_req *w, int status, const char *code, const char *message, json_t *fields);
/* Sets a cookie (HttpOnly, SameSite=Lax, Path=/, Secure when configured); max_age < 0 deletes it. */
void web_set_cookie(struct web_req *w, const char *name, const char *value, long max_age, bool http_only);

/* Sessions and CSRF (session.c). */
/* Looks up the session cookie and sets w->user. */
void web_load_session(struct web_req *w);
/* Starts a session for user_id: a new random token in the cookie, its hash in the store. */
int web_login(struct web_req *w, int64_t user_id);
/* Ends the current session. */
void web_logout(struct web_req *w);
/* The CSRF token for this visitor (bound to the session, or to the quire_csrf cookie for guests,
 * which is set when missing). */
const char *web_csrf_token(struct web_req *w);
/* True when the request's csrf_token field matches. */
bool web_csrf_ok(struct web_req *w);

/* Form helpers (render.c): the trimmed value of a form field ("" when absent). */
const char *web_form(struct web_req *w, const char *key);
/* Parses a path parameter as a positive id; 0 when it is not one. */
int64_t web_param_id(struct web_req *w, int index);
/* The query string as "?k=v&k2=v2", percent-encoded again ("" when there is none). Arena memory. */
const char *web_query_string(struct web_req *w);
/* This page's address to come back to: the path and only the query parameters its route declares (so a
 * cached page never carries a visitor's junk parameters), percent-encoded. Arena memory. */
const char *web_here(struct web_req *w);

/* Formatting for pages (render.c). "2026-11-24" in UTC. */
const char *web_date(struct web_req *w, int64_t unix_seconds);
#endif
