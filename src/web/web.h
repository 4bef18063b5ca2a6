/* The pages front end: rendering, sessions and CSRF, forms; the request context and the application's state
 * come from front/front.h, which the JSON API shares. Nothing here knows the API. */
#ifndef QUIRE_WEB_WEB_H
#define QUIRE_WEB_WEB_H
#include "front/front.h"
#include "front/route.h"

/* The route table of the pages (routes.c): every page's line, joined with the API's by src/app/routes.c. */
extern const struct route web_page_routes[];
extern const size_t web_page_nroutes;

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
/* What a guest sees where logging in may help (a members-only work): the message once under "Log in to read"
 * with the log-in button, not under a "Not found" heading; the same as web_error for the API and accounts. */
void web_error_login(struct web_req *w, int status, const char *message);
/* 303 See Other to a local path (anything web_return_path_ok refuses goes to "/"). */
void web_redirect(struct web_req *w, const char *location);
/* Return paths (return_path.c): a path on this site, starting with one "/" (not "//" or "/\"), with no
 * control characters, white space or backslashes anywhere, neither as sent nor percent-decoded. */
bool web_return_path_ok(const char *path);
/* path when web_return_path_ok(path), otherwise "/". */
const char *web_return_path(const char *path);
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
