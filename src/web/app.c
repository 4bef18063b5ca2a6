/* The web application's life cycle and the entry point of every request: headers, cache, session, CSRF. */
#include "web/web.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include "html/tpl.h"
#include "web/page_cache.h"
#include "web/response_hooks.h"
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The CSRF key is kept in the database so tokens in open forms stay valid across restarts. */
static int load_csrf_key(struct web *app)
{
	struct arena *a = arena_new();
	char *hex = NULL;
	int rc = store_setting_get(app->store, a, "csrf_key", &hex);
	size_t len = 0;
	if (rc == 0 && sodium_hex2bin(app->csrf_key, sizeof app->csrf_key, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == sizeof app->csrf_key)
		goto done;
	randombytes_buf(app->csrf_key, sizeof app->csrf_key);
	char out[2 * sizeof app->csrf_key + 1];
	sodium_bin2hex(out, sizeof out, app->csrf_key, sizeof app->csrf_key);
	rc = store_setting_set(app->store, "csrf_key", out);
done:
	arena_free(a);
	return rc;
}

/* Any change the store reports makes every cached page stale (until the cache invalidates by
 * dependency). Starts at 1 so an empty slot (generation 0) never matches. */
static _Atomic uint64_t cache_generation = 1;

static void cache_on_store_change(void *ctx, const struct store_change *changes, size_t n)
{
	(void)ctx, (void)changes, (void)n;
	atomic_fetch_add(&cache_generation, 1);
}

int web_new(struct web **out, const struct config *cfg, struct store *st, char *err, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return Q_ERR;
	}
	struct web *app = xcalloc(1, sizeof *app);
	app->cfg = cfg;
	app->store = st;
	app->tpl = tpl_set_new();
	int rc = tpl_set_load_embedded(app->tpl, err, errlen);
	if (rc != 0)
		goto fail;
	rc = load_csrf_key(app);
	if (rc != 0) {
		snprintf(err, errlen, "cannot store the CSRF key");
		goto fail;
	}
	app->login_ip = ratelimit_new(20, 15 * 60);
	app->login_user = ratelimit_new(10, 15 * 60);
	app->signup_ip = ratelimit_new(20, 60 * 60);
	app->cache = page_cache_new(4096);
	if ((rc = web_response_init(app)) != 0) {
		snprintf(err, errlen, "cannot store the response key");
		goto fail;
	}
	store_subscribe(st, cache_on_store_change, NULL);
	*out = app;
	return 0;
fail:
	tpl_set_free(app->tpl);
	free(app);
	return rc;
}

void web_free(struct web *app)
{
	if (!app)
		return;
	tpl_set_free(app->tpl);
	ratelimit_free(app->login_ip);
	ratelimit_free(app->login_user);
	ratelimit_free(app->signup_ip);
	page_cache_free(app->cache);
	web_response_free(app);
	store_unsubscribe(app->store, cache_on_store_change, NULL);
	free(app);
}

static void add_security_headers(struct web_req *w)
{
	struct http_response *r = w->resp;
	struct arena *a = w->arena;
	http_response_header(r, a, "Content-Security-Policy",
	                     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; "
	                     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	http_response_header(r, a, "X-Content-Type-Options", "nosniff");
	http_response_header(r, a, "Referrer-Policy", "same-origin");
	http_response_header(r, a, "X-Frame-Options", "DENY");
	if (w->app->cfg->secure_cookies)
		http_response_header(r, a, "Strict-Transport-Security", "max-age=31536000");
}

static void load_prefs(struct web_req *w)
{
	w->theme = "auto";
	w->font_size = "m";
	const char *p = kv_get(&w->req->cookies, "quire_prefs");
	/* format: THEME.SIZE.STYLE, e.g. "dark.l.1"; anything unexpected falls back to defaults */
	if (!p)
		return;
	char theme[8] = "", size[4] = "", style[2] = "";
	if (sscanf(p, "%7[a-z].%3[a-z].%1[01]", theme, size, style) != 3)
		return;
	if (!strcmp(theme, "light") || !strcmp(theme, "dark"))
		w->theme = arena_strdup(w->arena, theme);
	if (!strcmp(size, "s") || !strcmp(size, "l") || !strcmp(size, "xl"))
		w->font_size = arena_strdup(w->arena, size);
	w->hide_style = style[0] == '1';
}

static bool accepts_json(struct http_request *req)
{
	const char *accept = http_header_get(req, "Accept");
	return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

/* A work's pages show its counts and comments, which kudos, hits and new comments change without a change
 * event (store.h, "The reader's response"): their key carries the work's response version, so they are
 * rendered again at most STORE_RESPONSE_FRESH seconds after such a write, and no other page is touched. */
static void response_key_part(struct web_req *w, struct buf *b)
{
	long long id = 0;
	if (sscanf(w->req->path, "/works/%lld", &id) != 1 || id <= 0)
		return;
	buf_printf(b, "|r%lld", (long long)store_response_version(w->app->store, id, (int64_t)time(NULL)));
}

/* Guests share cached pages; anyone with a session cookie or token gets a fresh page. */
static const char *cache_key(struct web_req *w)
{
	struct http_request *req = w->req;
	if (!w->app->cfg->page_cache || strcmp(req->method, "GET") != 0 || w->api)
		return NULL;
	if (kv_get(&req->cookies, "quire_session") || http_header_get(req, "Authorization"))
		return NULL;
	struct buf b = BUF_INIT;
	buf_puts(&b, req->path);
	for (size_t i = 0; i < req->query.n; i++)
		buf_printf(&b, "%c%s=%s", i ? '&' : '?', req->query.items[i].key, req->query.items[i].value);
	buf_printf(&b, "|%s.%s.%d", w->theme, w->font_size, w->hide_style);
	response_key_part(w, &b);
	const char *key = arena_strndup(w->arena, buf_cstr(&b), b.len);
	buf_free(&b);
	return key;
}

static void init_web_req(struct web_req *w, struct web *app, struct http_request *req, struct http_response *resp)
{
	memset(w, 0, sizeof *w);
	w->app = app;
	w->req = req;
	w->resp = resp;
	w->arena = req->arena;
	w->api = strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0;
	w->wants_json = w->api || accepts_json(req);
	load_prefs(w);
}

void web_handle(void *ctx, struct http_request *req, struct http_response *resp)
{
	struct web *app = ctx;
	struct web_req w;
	init_web_req(&w, app, req, resp);
	const char *key = cache_key(&w);
	uint64_t gen = atomic_load(&cache_generation);
	if (key) {
		struct http_frozen *hit = page_cache_get(app->cache, key, gen);
		if (hit) {
			resp->frozen = hit;
			web_response_cached_view(&w);
			return;
		}
	}
	add_security_headers(&w);
	if (!w.api)
		web_load_session(&w);
	web_dispatch(&w);
	if (key && w.cacheable && !w.user && resp->status == 200)
		page_cache_put(app->cache, key, gen, resp);
}

void web_server_error(void *ctx, struct http_request *req, struct http_response *resp, int status, const char *msg)
{
	struct web_req w;
	init_web_req(&w, ctx, req, resp);
	add_security_headers(&w);
	web_error(&w, status, msg);
}
