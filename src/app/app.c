/* The application's life cycle and the entry point of every request: headers, page cache, session. */
#include "writing/speller.h"
#include "archive/limits.h"
#include "app/app.h"
#include "web/web.h"
#include "archive/community.h"
#include "archive/response.h"
#include "archive/listing.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include "core/metrics.h"
#include "html/tpl.h"
#include "app/media_policy.h"
#include "front/page_cache.h"
#include "web/response_hooks.h"
#include "web/community_hooks.h"
#include "store/store.h"
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The CSRF key is kept in the database so tokens in open forms stay valid across restarts. */
static int load_csrf_key(struct web *app)
{
	return store_secret(app->store, "csrf_key", app->csrf_key, sizeof app->csrf_key);
}

/* The store's change feed drops exactly the cached pages and fragments that show what changed. Lists of
 * works show titles, names and series, so every change touches them too. */
static void on_store_change(void *ctx, const struct store_change *changes, size_t n)
{
	struct web *app = ctx;
	struct page_dep deps[65];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct store_change *c = &changes[i];
		if ((c->kind == STORE_CHANGE_WORK && c->id == 0) || k + 2 > sizeof deps / sizeof deps[0]) {
			page_cache_clear(app->cache);
			return;
		}
		enum page_dep_kind kind = c->kind == STORE_CHANGE_WORK         ? PAGE_DEP_WORK
		                          : c->kind == STORE_CHANGE_USER       ? PAGE_DEP_USER
		                          : c->kind == STORE_CHANGE_COLLECTION ? PAGE_DEP_COLLECTION
		                                                               : PAGE_DEP_SERIES;
		deps[k++] = (struct page_dep){kind, c->id};
	}
	deps[k++] = (struct page_dep){PAGE_DEP_LISTINGS, 0};
	page_cache_invalidate(app->cache, deps, k);
}

/* A work's response version now (0: any work's): what cached pages showing its counts follow, through
 * their key (response_key_part) or page_cache_follow_counts. */
static int64_t response_version(void *store, int64_t work_id)
{
	return store_response_version(store, work_id, store_response_clock());
}

/* /metrics: how often requests waited for the database, by route (store_round_trips): the requests' share of the
 * store's quire_store_round_trips_total, which counts the jobs' too. */
static void emit_round_trips(void *ctx, struct buf *out)
{
	struct web *app = ctx;
	size_t n;
	const struct http_route_info *routes = web_route_infos(&n);
	buf_puts(out, "# HELP quire_route_round_trips_total Round trips to the database server that requests waited for,"
	              " by route (none for a store inside the process).\n# TYPE quire_route_round_trips_total counter\n");
	for (size_t i = 0; i <= n; i++) {
		uint64_t v = atomic_load_explicit(&app->round_trips[i], memory_order_relaxed);
		if (v)
			buf_printf(out, "quire_route_round_trips_total{route=\"%s\",method=\"%s\"} %llu\n",
			           i < n ? routes[i].pattern : "none", i < n ? routes[i].method : "", (unsigned long long)v);
	}
}

static void count_round_trips(struct web *app, int route, uint64_t n)
{
	size_t nroutes;
	web_route_infos(&nroutes);
	if (n)
		atomic_fetch_add_explicit(&app->round_trips[route >= 0 && (size_t)route < nroutes ? (size_t)route : nroutes], n,
		                          memory_order_relaxed);
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
	char base[512];
	if ((rc = media_policy_new(cfg, config_base_url(cfg, base, sizeof base), &app->media, err, errlen)) != 0)
		goto fail;
	rc = load_csrf_key(app);
	if (rc != 0) {
		snprintf(err, errlen, "cannot store the CSRF key");
		goto fail;
	}
	app->login_ip = archive_ratelimit_new(st, "login_ip", 20, 15 * 60);
	app->login_user = archive_ratelimit_new(st, "login_user", 10, 15 * 60);
	app->signup_ip = archive_ratelimit_new(st, "signup_ip", 20, 60 * 60);
	/* A cached page is right only while every commit that changes it reaches this process: always for a
	 * store of our own, and for a shared one only when it relays other servers' commits. */
	app->page_cache = cfg->page_cache && (!store_has(st, STORE_CAP_SHARED) || store_has(st, STORE_CAP_NOTIFY));
	if (cfg->page_cache && !app->page_cache)
		log_warn("page cache off: the store is shared and does not tell this server of other servers' commits");
	app->cache = page_cache_new(app->page_cache ? cfg->page_cache_bytes : 0);
	app->speller = speller_new(cfg->dictionaries);
	page_cache_follow_counts(app->cache, response_version, st);
	if ((rc = web_response_init(app)) != 0) {
		snprintf(err, errlen, "cannot store the response key");
		goto fail;
	}
	char site[600];
	if ((rc = community_new(&app->community, st, cfg, web_base_url(app, site, sizeof site))) != 0) {
		snprintf(err, errlen, "cannot store the community key");
		goto fail;
	}
	response_set_community(app->response, app->community); /* comments are checked for spam */
	store_subscribe(st, on_store_change, app);
	metrics_add_source(page_cache_emit_metrics, app->cache);
	size_t nroutes;
	web_route_infos(&nroutes);
	app->round_trips = xcalloc(nroutes + 1, sizeof *app->round_trips);
	metrics_add_source(emit_round_trips, app);
	*out = app;
	return 0;
fail:
	tpl_set_free(app->tpl);
	media_policy_free(app->media);
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
	speller_free(app->speller);
	store_unsubscribe(app->store, on_store_change, app);
	web_response_free(app);
	free((void *)app->round_trips);
	media_policy_free(app->media);
	community_free(app->community);
	free(app);
}

static void add_security_headers(struct web_req *w)
{
	struct http_response *r = w->resp;
	struct arena *a = w->arena;
	http_response_header(r, a, "Content-Security-Policy", media_policy_csp(w->app->media));
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
 * rendered again at most STORE_RESPONSE_FRESH seconds after such a write, and no other page is touched.
 * Listings ordered by those counts carry the version of any work's, for the same reason. (Listings that
 * only show counts in their blurbs name those works instead: web_cache_shows_counts.) */
static const char *response_key_part(struct web_req *w)
{
	int64_t id = web_path_id(w->req->path, "/works/", NULL);
	/* A listing ordered by kudos, hits, comments or bookmarks follows any work's (0) response writes. */
	if (!id && !archive_listing_sort_by_response(kv_get(&w->req->query, "sort")))
		return "";
	return arena_cat_id(w->arena, ".r", response_version(w->app->store, id), "");
}

/* Guests share cached pages; anyone with a session cookie or token gets a fresh page.
 * The key is canonical: the path, then only the query parameters the route declares (in the declared
 * order), then the reading preferences. Path and values are percent-encoded, so no value can smuggle a
 * separator ("x=1%26page%3D2" stays one value) and unknown parameters never make a new entry. */
static const char *cache_key(struct web_req *w)
{
	struct http_request *req = w->req;
	if (!w->app->page_cache || strcmp(req->method, "GET") != 0 || w->api)
		return NULL;
	if (kv_get(&req->cookies, "quire_session") || http_header_get(req, "Authorization"))
		return NULL;
	struct web_route_info route;
	if (!web_route_find(w, "GET", &route) || !route.cacheable)
		return NULL;
	/* THEME.SIZE.STYLE, the response part and the community part, without printf: every cached page pays for it. */
	const char *part = response_key_part(w), *community = community_cache_variant(w);
	size_t tn = strlen(w->theme), fn = strlen(w->font_size), pn = strlen(part), cn = strlen(community);
	char *variant = arena_alloc(w->arena, tn + fn + pn + cn + 5), *v = variant;
	memcpy(v, w->theme, tn);
	v += tn;
	*v++ = '.';
	memcpy(v, w->font_size, fn);
	v += fn;
	*v++ = '.';
	*v++ = w->hide_style ? '1' : '0';
	memcpy(v, part, pn);
	v += pn;
	memcpy(v, community, cn + 1);
	return page_cache_key(w->arena, req->path, &req->query, route.query, variant);
}

static bool sets_cookie(const struct http_response *resp)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (!strcasecmp(resp->headers[i].name, "Set-Cookie"))
			return true;
	return false;
}

/* Stores a guest's fresh answer unless it is an error, personal, sets a cookie, or came from a handler
 * that did not call it cacheable (a fallback after a store failure never does). The copy kept says
 * "X-Cache: hit"; this answer says "miss". */
static void cache_store(struct web_req *w, const char *key)
{
	struct http_response *resp = w->resp;
	if (w->cacheable && !w->user && resp->status == 200 && !resp->frozen && !sets_cookie(resp)) {
		if (!w->ndeps && !w->cache_immutable)
			web_cache_depends(w, PAGE_DEP_ANY, 0);
		size_t n = resp->nheaders;
		http_response_header(resp, w->arena, "X-Cache", "hit");
		struct http_frozen *f = http_freeze(resp);
		const char *etag = f ? arena_strdup(w->arena, http_frozen_etag(f)) : NULL;
		if (f)
			page_cache_put(w->app->cache, key, w->deps, w->ndeps, w->cache_epoch, &w->counts, f);
		if (resp->nheaders > n) {
			resp->headers[n].value = "miss";
			if (etag) { /* the tag the kept copy sends: a browser holding these bytes is told so */
				http_response_header(resp, w->arena, "ETag", etag);
				if (http_etag_matches(http_header_get(w->req, "If-None-Match"), etag))
					http_response_not_modified(resp);
			}
			return;
		}
	}
	http_response_header(resp, w->arena, "X-Cache", "miss");
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

/* Read-your-writes with a read replica (store.h): a browser that wrote carries the mark of its last write for a
 * minute (cookie quire_w, set below), and its reads see at least that, whichever server answers. */
#define WRITE_MARK_COOKIE "quire_w"
#define WRITE_MARK_SECONDS 60

static void read_your_writes(struct web_req *w)
{
	const char *mark = kv_get(&w->req->cookies, WRITE_MARK_COOKIE);
	if (mark && strlen(mark) < STORE_MARK_MAX && store_has(w->app->store, STORE_CAP_READ_REPLICA))
		store_read_after(w->app->store, mark);
}

static void write_mark(struct web_req *w)
{
	char mark[STORE_MARK_MAX];
	if (!store_has(w->app->store, STORE_CAP_READ_REPLICA) || store_write_mark(w->app->store, mark, sizeof mark) != 0)
		return;
	char *c = arena_printf(w->arena, WRITE_MARK_COOKIE "=%s; Path=/; Max-Age=%d; SameSite=Lax; HttpOnly%s", mark,
	                       WRITE_MARK_SECONDS, w->app->cfg->secure_cookies ? "; Secure" : "");
	http_response_header(w->resp, w->arena, "Set-Cookie", c);
}

void web_handle(void *ctx, struct http_request *req, struct http_response *resp)
{
	struct web *app = ctx;
	struct web_req w;
	init_web_req(&w, app, req, resp);
	const char *key = cache_key(&w);
	if (key) {
		struct http_frozen *hit = page_cache_get(app->cache, key);
		if (hit && http_etag_matches(http_header_get(req, "If-None-Match"), http_frozen_etag(hit))) {
			/* The browser holds these bytes: headers only (a view all the same). */
			http_response_header(resp, w.arena, "ETag", http_frozen_etag(hit));
			http_response_header(resp, w.arena, "X-Cache", "hit");
			http_response_not_modified(resp);
			http_frozen_release(hit);
			web_response_cached_view(&w);
			return;
		}
		if (hit) {
			resp->frozen = hit;
			web_response_cached_view(&w);
			return;
		}
	}
	/* Read before the store is (a cached answer never reads it): a write that lands while this page is
	 * built then refuses to store it, and a response write after built_at shows in its counts. */
	w.cache_epoch = page_cache_epoch(app->cache);
	w.counts.built_at = store_response_clock();
	add_security_headers(&w);
	/* The request's reads (session, page data, buttons) share one read transaction; a write ends it,
	 * so a handler reads what it wrote (store.h). */
	uint64_t trips = store_round_trips();
	store_snapshot_begin(app->store);
	read_your_writes(&w);
	if (!w.api)
		web_load_session(&w);
	if (!community_gate(&w)) /* a reader who has not accepted the current terms is asked to first */
		web_dispatch(&w);
	write_mark(&w);
	/* A failure while the store is unhealthy (a full disk, a database that does not answer) is not the
	 * server's fault: 503 with Retry-After, whatever page it happened on (the page keeps what it shows: a form
	 * keeps what was typed). */
	if (resp->status == 500)
		resp->status = web_unavailable(&w, 0) ? 503 : 500;
	store_snapshot_end(app->store);
	count_round_trips(app, req->route, store_round_trips() - trips);
	if (key)
		cache_store(&w, key);
}

void web_server_error(void *ctx, struct http_request *req, struct http_response *resp, int status, const char *msg)
{
	struct web_req w;
	init_web_req(&w, ctx, req, resp);
	add_security_headers(&w);
	web_error(&w, status, msg);
}
