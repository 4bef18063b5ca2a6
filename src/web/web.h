/* The web application: shared state, the per-request context every page and API handler receives. */
#ifndef QUIRE_WEB_WEB_H
#define QUIRE_WEB_WEB_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "http/server.h"
#include "store/store.h"

struct tpl_set;
struct ratelimit;
struct page_cache;

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
	struct page_cache *cache;      /* rendered guest pages */
};

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
	const char *params[4];    /* path parameters from the route pattern, in order */
	/* reading preferences from the quire_prefs cookie */
	const char *theme;        /* "auto", "light", "dark" */
	const char *font_size;    /* "s", "m", "l", "xl" */
	bool hide_style;          /* "hide creator's style" */
	const char *csrf;         /* token for forms on this page (computed lazily by web_csrf_token) */
};

/* The route table (routes.c) and its dispatch. */
void web_dispatch(struct web_req *w);
/* http_preflight_fn: the route, its body limit and where it runs, from the request line and headers. */
void web_preflight(void *ctx, const struct http_request *req, struct http_preflight *out);
/* Method and pattern of every route, indexed like http_preflight.route (for metrics labels). */
const struct http_route_info *web_route_infos(size_t *n);

/* Application life cycle (app.c). Returns Q_EINVAL with a message in err when templates fail to compile. */
int web_new(struct web **out, const struct config *cfg, struct store *st, char *err, size_t errlen);
void web_free(struct web *app);
/* http_handler and http_error_handler for the server. */
void web_handle(void *ctx, struct http_request *req, struct http_response *resp);
void web_server_error(void *ctx, struct http_request *req, struct http_response *resp, int status, const char *msg);

/* Responses (render.c). */
/* Renders templates/<name>.html into the layout with data (reference stolen) and the given status. */
void web_render(struct web_req *w, int status, const char *name, const char *title, json_t *data);
/* An error page (HTML in the layout, or JSON {"error":{"code","message"}} for API/JSON requests). */
void web_error(struct web_req *w, int status, const char *message);
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
/* The layout's common data: site name, user, csrf token, preferences. Returns a new object. */
json_t *web_layout_data(struct web_req *w, const char *title);

/* Formatting for pages (render.c). "2026-11-24" in UTC. */
const char *web_date(struct web_req *w, int64_t unix_seconds);
#endif
