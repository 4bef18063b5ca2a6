/* Responses: pages in the layout, errors (HTML or JSON), redirects, JSON, cookies, form helpers. */
#include "web/web.h"
#include "core/err.h"
#include "core/log.h"
#include "html/tpl.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *web_layout_data(struct web_req *w, const char *title)
{
	json_t *d = json_object();
	json_object_set_new(d, "site_name", json_string(w->app->cfg->site_name));
	json_object_set_new(d, "title", json_string(title ? title : w->app->cfg->site_name));
	json_object_set_new(d, "theme", json_string(w->theme));
	json_object_set_new(d, "font_size", json_string(w->font_size));
	json_object_set_new(d, "hide_style", json_boolean(w->hide_style));
	json_object_set_new(d, "path", json_string(w->req->path));
	if (w->user) {
		json_t *u = json_object();
		json_object_set_new(u, "name", json_string(w->user->name));
		json_object_set_new(u, "role", json_string(w->user->role));
		json_object_set_new(u, "is_admin", json_boolean(strcmp(w->user->role, "admin") == 0));
		json_object_set_new(d, "user", u);
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	}
	return d;
}

static void render_failed(struct web_req *w, const char *name)
{
	log_error("template %s failed to render", name);
	buf_reset(&w->resp->body);
	w->resp->status = 500;
	w->resp->content_type = "text/plain; charset=utf-8";
	buf_puts(&w->resp->body, "500 Internal Server Error\n");
}

void web_render(struct web_req *w, int status, const char *name, const char *title, json_t *data)
{
	struct buf page = BUF_INIT;
	json_t *layout = web_layout_data(w, title);
	/* The page sees the layout's fields too (user, csrf_token), unless it sets its own. */
	json_object_update_missing(data, layout);
	if (tpl_render(w->app->tpl, name, data, &page) != 0) {
		render_failed(w, name);
		goto done;
	}
	json_object_set_new(layout, "content", json_stringn(page.data ? page.data : "", page.len));
	buf_reset(&w->resp->body);
	if (tpl_render(w->app->tpl, "layout", layout, &w->resp->body) != 0) {
		render_failed(w, "layout");
		goto done;
	}
	w->resp->status = status;
	w->resp->content_type = "text/html; charset=utf-8";
	if (w->user)
		http_response_header(w->resp, w->arena, "Cache-Control", "private, no-store");
done:
	buf_free(&page);
	json_decref(layout);
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
	default: return status >= 500 ? "Something went wrong" : "Error";
	}
}

void web_json(struct web_req *w, int status, json_t *value)
{
	char *s = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(value);
	buf_reset(&w->resp->body);
	if (s) {
		buf_puts(&w->resp->body, s);
		buf_putc(&w->resp->body, '\n');
		free(s);
	}
	w->resp->status = status;
	w->resp->content_type = "application/json; charset=utf-8";
}

void web_json_error(struct web_req *w, int status, const char *code, const char *message, json_t *fields)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(message));
	if (fields)
		json_object_set_new(e, "fields", fields);
	json_t *root = json_object();
	json_object_set_new(root, "error", e);
	web_json(w, status, root);
}

void web_error(struct web_req *w, int status, const char *message)
{
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
