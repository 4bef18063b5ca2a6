/* Responses: pages in the layout, errors (HTML or JSON), redirects, JSON, cookies, form helpers. */
#include "web/web.h"
#include "archive/roles.h"
#include "core/err.h"
#include "core/log.h"
#include "html/escape.h"
#include "html/tpl.h"
#include "web/response_hooks.h"
#include "web/community_hooks.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *web_query_string(struct web_req *w)
{
	const struct kvlist *q = &w->req->query;
	if (!q->n)
		return "";
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < q->n; i++) {
		buf_putc(&b, i ? '&' : '?');
		esc_url(&b, q->items[i].key, strlen(q->items[i].key));
		buf_putc(&b, '=');
		esc_url(&b, q->items[i].value, strlen(q->items[i].value));
	}
	const char *s = arena_strndup(w->arena, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

struct here_build {
	struct buf *b;
	char sep;
};

static void here_param(void *ctx, const char *name, const char *value)
{
	struct here_build *h = ctx;
	buf_putc(h->b, h->sep);
	esc_url(h->b, name, strlen(name));
	buf_putc(h->b, '=');
	esc_url(h->b, value, strlen(value));
	h->sep = '&';
}

const char *web_here(struct web_req *w)
{
	if (!w->req->query.n || !w->route_query || !*w->route_query)
		return w->req->raw_path;
	struct buf b = BUF_INIT;
	buf_puts(&b, w->req->raw_path);
	struct here_build h = {&b, '?'};
	kv_each_declared(&w->req->query, w->route_query, here_param, &h);
	const char *s = arena_strndup(w->arena, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

/* The layout's fields (C values, no JSON: every page pays for them) and room for content. */
#define LAYOUT_VARS (13 + COMMUNITY_LAYOUT_VARS)
struct layout_vars {
	struct tpl_var v[LAYOUT_VARS];
	struct tpl_var user[6];
	size_t n;
};

static void layout_vars(struct web_req *w, const char *title, struct layout_vars *l)
{
	const char *site;
	size_t n = community_layout(w, l->v, &site); /* the site's name, banner and pages, as its admins set them */
	l->v[n++] = tpl_var_str("site_name", site);
	l->v[n++] = tpl_var_str("title", title ? title : site);
	l->v[n++] = tpl_var_str("theme", w->theme);
	l->v[n++] = tpl_var_str("font_size", w->font_size);
	l->v[n++] = tpl_var_bool("hide_style", w->hide_style);
	l->v[n++] = tpl_var_str("path", w->req->path);
	/* Reading settings come back to exactly this page and view (e.g. ?view_full_work=true). */
	l->v[n++] = tpl_var_str("here", web_here(w));
	/* ?notice=CODE after a redirect: templates/_flash.html words the known codes. Only for logged-in
	 * readers, whose pages are never cached, so a notice cannot stick to a shared copy. */
	const char *notice = w->user ? kv_get(&w->req->query, "notice") : NULL;
	if (notice)
		l->v[n++] = tpl_var_str("flash", notice);
	if (w->user) {
		l->user[0] = tpl_var_str("name", w->user->name);
		l->user[1] = tpl_var_str("role", w->user->role);
		l->user[2] = tpl_var_bool("is_admin", archive_is_admin(w->user));
		/* The header links each role to its tools. */
		l->user[3] = tpl_var_bool("can_wrangle", archive_may(w->user, POWER_WRANGLE));
		l->user[4] = tpl_var_bool("can_moderate", archive_is_moderator(w->user));
		l->user[5] = tpl_var_bool("can_report", archive_may(w->user, POWER_REPORTS));
		l->v[n++] = tpl_var_obj("user", l->user, 6);
		l->v[n++] = tpl_var_str("csrf_token", web_csrf_token(w));
		int64_t unread = web_response_unread(w); /* the header's inbox count */
		if (unread > 0)
			l->v[n++] = tpl_var_int("inbox_unread", unread);
	}
	l->n = n;
}

static void render_failed(struct web_req *w, const char *name)
{
	log_error("template %s failed to render", name);
	buf_reset(&w->resp->body);
	w->resp->status = 500;
	w->resp->content_type = "text/plain; charset=utf-8";
	buf_puts(&w->resp->body, "500 Internal Server Error\n");
}

struct tpl_refs *web_refs(struct web_req *w)
{
	if (!w->refs)
		w->refs = tpl_refs_new(w->arena);
	return w->refs;
}

json_t *web_ref(struct web_req *w, const char *p, size_t n)
{
	return tpl_ref(web_refs(w), p, n);
}

json_t *web_ref_str(struct web_req *w, const char *s)
{
	return tpl_ref_str(web_refs(w), s);
}

int web_render_part(struct web_req *w, const char *name, const json_t *data, struct tpl_out *out)
{
	tpl_out_init(out, w->arena);
	return tpl_render_out(w->app->tpl, name, data, w->refs, out);
}

/* out as the response body: chunks that point at the rendered runs and at the big strings the view models
 * referenced, so nothing large is copied on its way to the socket. */
static void send_out(struct web_req *w, int status, const struct tpl_out *out, const char *content_type)
{
	struct http_chunk *c = arena_alloc(w->arena, (out->n ? out->n : 1) * sizeof *c);
	for (size_t i = 0; i < out->n; i++)
		c[i] = (struct http_chunk){out->v[i].p, out->v[i].n};
	http_response_chunks(w->resp, c, out->n);
	w->resp->status = status;
	w->resp->content_type = content_type;
	if (w->user)
		http_response_header(w->resp, w->arena, "Cache-Control", "private, no-store");
}

void web_render_document(struct web_req *w, int status, const char *name, const char *content_type, json_t *data)
{
	struct tpl_out out;
	int rc = web_render_part(w, name, data, &out);
	json_decref(data);
	if (rc != 0) {
		render_failed(w, name);
		return;
	}
	send_out(w, status, &out, content_type);
}

/* The layout around page, as the response body (send_out). */
static void render_layout(struct web_req *w, int status, struct layout_vars *l, const struct tpl_out *page)
{
	l->v[l->n++] = tpl_var_out("content", page);
	struct tpl_data d = {.vars = l->v, .nvars = l->n};
	struct tpl_out out;
	tpl_out_init(&out, w->arena);
	if (tpl_render_data(w->app->tpl, "layout", &d, w->refs, &out) != 0) {
		render_failed(w, "layout");
		return;
	}
	send_out(w, status, &out, "text/html; charset=utf-8");
}

/* A page (JSON data, or C values) seeing the layout's fields too, inside the layout. */
static void render_page(struct web_req *w, int status, const char *name, const char *title, const json_t *json,
                        const struct tpl_var *vars, size_t nvars)
{
	struct layout_vars l;
	layout_vars(w, title, &l);
	struct tpl_data d = {.json = json, .vars = vars, .nvars = nvars, .outer = l.v, .nouter = l.n};
	struct tpl_out page;
	tpl_out_init(&page, w->arena);
	if (tpl_render_data(w->app->tpl, name, &d, w->refs, &page) != 0)
		render_failed(w, name);
	else
		render_layout(w, status, &l, &page);
}

void web_render(struct web_req *w, int status, const char *name, const char *title, json_t *data)
{
	render_page(w, status, name, title, data, NULL, 0);
	json_decref(data);
}

void web_render_vars(struct web_req *w, int status, const char *name, const char *title, const struct tpl_var *vars,
                     size_t n)
{
	render_page(w, status, name, title, NULL, vars, n);
}

void web_render_mixed(struct web_req *w, int status, const char *name, const char *title, json_t *data,
                      const struct tpl_var *vars, size_t n)
{
	render_page(w, status, name, title, data, vars, n);
	json_decref(data);
}

static const char *status_code_name(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "too_large";
	case 414: return "uri_too_long";
	case 422: return "invalid";
	case 429: return "rate_limited";
	case 431: return "headers_too_large";
	case 501: return "not_implemented";
	case 503: return "unavailable";
	default: return status >= 500 ? "internal" : "error";
	}
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Please log in";
	case 403: return "Forbidden";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 413: return "Too large";
	case 414: return "Address too long";
	case 422: return "Please check the form";
	case 429: return "Too many requests";
	case 431: return "Headers too large";
	case 501: return "Not implemented";
	case 503: return "Please try again in a moment";
	default: return status >= 500 ? "Something went wrong" : "Error";
	}
}

void web_error(struct web_req *w, int status, const char *message)
{
	const char *outage = status >= 500 && status != 503 ? web_unavailable(w, 0) : NULL;
	if (outage) {
		status = 503;
		message = outage;
	}
	if (w->wants_json) {
		web_json_error(w, status, status_code_name(status), message, NULL);
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "status", json_integer(status));
	json_object_set_new(d, "heading", json_string(status_title(status)));
	json_object_set_new(d, "message", json_string(message));
	web_render(w, status, "error", status_title(status), d);
}

void web_error_login(struct web_req *w, int status, const char *message)
{
	if (w->wants_json || w->user) {
		web_error(w, status, message);
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "status", json_integer(status));
	json_object_set_new(d, "heading", json_string("Log in to read"));
	json_object_set_new(d, "message", json_string(message));
	json_object_set_new(d, "login", json_true());
	web_render(w, status, "error", "Log in to read", d);
}

void web_redirect(struct web_req *w, const char *location)
{
	/* Only local paths: never an open redirect. */
	if (!web_return_path_ok(location))
		location = "/";
	w->resp->status = 303;
	http_response_header(w->resp, w->arena, "Location", location);
	buf_reset(&w->resp->body);
	w->resp->content_type = "text/plain; charset=utf-8";
	buf_printf(&w->resp->body, "See %s\n", location);
}

void web_set_cookie(struct web_req *w, const char *name, const char *value, long max_age, bool http_only)
{
	char *c = arena_printf(w->arena, "%s=%s; Path=/; SameSite=Lax%s%s", name, max_age < 0 ? "" : value,
	                       http_only ? "; HttpOnly" : "", w->app->cfg->secure_cookies ? "; Secure" : "");
	if (max_age < 0)
		c = arena_printf(w->arena, "%s; Max-Age=0", c);
	else if (max_age > 0)
		c = arena_printf(w->arena, "%s; Max-Age=%ld", c, max_age);
	http_response_header(w->resp, w->arena, "Set-Cookie", c);
}

const char *web_form(struct web_req *w, const char *key)
{
	const char *v = kv_get(&w->req->form, key);
	if (!v)
		return "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	return arena_strndup(w->arena, v, n);
}

int64_t web_param_id(struct web_req *w, int index)
{
	const char *s = w->params[index];
	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	if (s[0] == '0')
		return 0;
	return strtoll(s, NULL, 10);
}

const char *web_date(struct web_req *w, int64_t t)
{
	if (t <= 0)
		return "";
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char out[32];
	strftime(out, sizeof out, "%Y-%m-%d", &tm);
	return arena_strdup(w->arena, out);
}
