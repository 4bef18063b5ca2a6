/* Health check, embedded static files and the favicon, the reading preferences page, help pages. */
#include "web/pages/pages.h"
#include "core/assets.h"
#include "core/timefmt.h"
#include "html/format.h"
#include "html/markdown.h"
#include <stdlib.h>
#include <string.h>

/* 200 while the server runs, whatever the store's health (it still answers cached pages; a load balancer that
 * took every server out for a database outage would answer nothing): the body says how the store is doing. */
void page_healthz(struct web_req *w)
{
	w->resp->content_type = "text/plain; charset=utf-8";
	http_response_header(w->resp, w->arena, "Cache-Control", "no-store");
	const char *why = NULL;
	int64_t since = 0;
	enum store_health h = store_health(w->app->store, &why, &since);
	if (h == STORE_HEALTHY) {
		buf_puts(&w->resp->body, "ok\n");
		return;
	}
	char when[TIME_ISO_LEN];
	time_iso(since, when);
	buf_printf(&w->resp->body, "degraded: %s since %s: %s\n",
	           h == STORE_READ_ONLY ? "the archive is read-only" : "the database does not answer", when, why);
}

void page_static(struct web_req *w)
{
	const char *file = w->params[0];
	const char *dot = strrchr(file, '.');
	const char *type = NULL;
	if (dot && !strcmp(dot, ".css"))
		type = "text/css; charset=utf-8";
	else if (dot && !strcmp(dot, ".svg"))
		type = "image/svg+xml";
	else if (dot && !strcmp(dot, ".txt"))
		type = "text/plain; charset=utf-8";
	else if (dot && !strcmp(dot, ".ico"))
		type = "image/x-icon";
	else if (dot && !strcmp(dot, ".js"))
		type = "text/javascript; charset=utf-8";
	const struct asset *a = type && !strstr(file, "..") ? asset_find(arena_printf(w->arena, "static/%s", file)) : NULL;
	if (!a) {
		web_error(w, 404, "No such file.");
		return;
	}
	w->resp->content_type = type;
	http_response_header(w->resp, w->arena, "Cache-Control", "public, max-age=3600");
	/* The file is embedded in the binary: send it from there. */
	struct http_chunk *c = arena_alloc(w->arena, sizeof *c);
	*c = (struct http_chunk){a->data, a->len};
	http_response_chunks(w->resp, c, 1);
	w->cacheable = true;
	web_cache_immutable(w);
}

/* Browsers ask for /favicon.ico on their own; pages also link static/favicon.svg. */
void page_favicon(struct web_req *w)
{
	const struct asset *a = asset_find("static/favicon.ico");
	if (!a) {
		web_error(w, 404, "No such file.");
		return;
	}
	w->resp->content_type = "image/x-icon";
	http_response_header(w->resp, w->arena, "Cache-Control", "public, max-age=86400");
	buf_append(&w->resp->body, a->data, a->len);
	w->cacheable = true;
}

void page_prefs_form(struct web_req *w)
{
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	json_object_set_new(d, "return", json_string(web_return_path(kv_get(&w->req->query, "return"))));
	web_render(w, 200, "prefs", "Reading settings", d);
}

/* Preferences live in a cookie, so guests get them too and cached pages vary by them. */
void page_prefs_save(struct web_req *w)
{
	const char *theme = web_form(w, "theme"), *size = web_form(w, "font_size");
	if (strcmp(theme, "light") && strcmp(theme, "dark"))
		theme = "auto";
	if (strcmp(size, "s") && strcmp(size, "l") && strcmp(size, "xl"))
		size = "m";
	bool hide = !strcmp(web_form(w, "hide_style"), "1");
	web_set_cookie(w, "quire_prefs", arena_printf(w->arena, "%s.%s.%d", theme, size, hide), 365L * 86400L, true);
	/* Back to the exact page and view, when it is a path on this site (web/return_path.c). */
	web_redirect(w, web_return_path(kv_get(&w->req->form, "return")));
}

/* Documentation shipped with the binary (docs/NAME.md), rendered from Markdown. */
void page_docs(struct web_req *w)
{
	const char *name = w->params[0];
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == '-')) {
			name = "";
			break;
		}
	const struct asset *a = *name ? asset_find(arena_printf(w->arena, "docs/%s.md", name)) : NULL;
	struct buf html = BUF_INIT;
	if (!a || format_render(FORMAT_MARKDOWN, a->data, a->len, &html) != 0) {
		buf_free(&html);
		web_error(w, 404, "There is no such help page.");
		return;
	}
	/* Docs are ours: after the sanitizer, headings get ids and § links, tables a scrolling box. The
	 * result goes into the page by reference and is freed once the page is sent. */
	struct buf anchored = BUF_INIT;
	markdown_heading_anchors(buf_cstr(&html), html.len, &anchored);
	buf_free(&html);
	size_t len;
	char *data = buf_detach(&anchored, &len);
	http_response_hold(w->resp, w->arena, free, data);
	json_t *d = json_object();
	json_object_set_new(d, "html", web_ref(w, data, len));
	w->cacheable = true;
	web_cache_immutable(w);
	web_render(w, 200, "docs", "Help", d);
}
