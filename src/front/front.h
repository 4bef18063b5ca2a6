/* What the two front ends (the pages, src/web; the JSON API, src/api) share, and nothing else: the application's
 * state, the per-request context every handler receives, JSON answers, and the shape of a route table entry
 * (front/route.h). Neither front end includes the other; src/app joins their route tables. */
#ifndef QUIRE_FRONT_FRONT_H
#define QUIRE_FRONT_FRONT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "http/server.h"
#include "store/store.h"
#include "front/page_cache.h"

struct tpl_set;
struct tpl_refs;
struct tpl_out;
struct ratelimit;
struct response;
struct speller;
struct community;

/* Long-lived application state, shared read-only by all worker threads (except the
 * thread-safe rate limits and cache). */
struct media_policy;

struct web {
	const struct config *cfg;
	struct store *store;
	struct tpl_set *tpl;
	unsigned char csrf_key[32];    /* from the settings table: CSRF tokens survive restarts */
	struct ratelimit *login_ip;    /* failed logins per client IP */
	struct ratelimit *login_user;  /* failed logins per account name */
	struct ratelimit *signup_ip;   /* sign-ups per client IP */
	struct page_cache *cache;      /* rendered guest pages and shared fragments (page_cache.h) */
	bool page_cache;               /* guest pages are cached (page_cache, unless the store can't keep it right) */
	struct response *response;     /* the reader's response: limits and hit counting (archive/response.h) */
	struct speller *speller;       /* spelling dictionaries for the writer's check (writing/speller.h) */
	struct community *community;   /* running a community: moderation, reports, site settings (archive/community.h) */
	_Atomic unsigned bound_port;   /* the port the server got (--listen HOST:0); 0 until web_set_port */
	_Atomic uint64_t *round_trips; /* the store's round trips by route (app.c), the last for unrouted requests */
	struct media_policy *media;    /* media hosts: the sanitizer's policy and the CSP (app/media_policy.h) */
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

/* The application's public address (front.c): base_url, or http://HOST:PORT with the port actually bound; no
 * trailing slash. Writes into buf. */
const char *web_base_url(const struct web *app, char *buf, size_t len);
/* Tells the application the port the server bound, for links that leave the site (base_url unset). */
void web_set_port(struct web *app, unsigned port);

/* The id in a path that starts with prefix then digits ("/works/12/chapters/3" with "/works/": 12, rest at
 * "/chapters/3"); 0 when it does not, or the number overflows. rest may be NULL. */
int64_t web_path_id(const char *path, const char *prefix, const char **rest);

/* The page cache (front.c; src/app keeps and serves the copies). A page shows data from the store: record each
 * dependency so that a change to it (and only to it) drops the cached page. kind is a page_dep_kind
 * (PAGE_DEP_WORK, PAGE_DEP_USER, PAGE_DEP_SERIES with an id; PAGE_DEP_LISTINGS with 0 for lists of works). */
void web_cache_depends(struct web_req *w, enum page_dep_kind kind, int64_t id);
/* A cacheable page shows work_id's kudos, hits, comments and bookmarks counts (a blurb): its cached copy is
 * served only until a response write on that work shows (store_response_version), and other works' kudos
 * leave it alone. */
void web_cache_shows_counts(struct web_req *w, int64_t work_id);
/* Marks a cacheable page as depending on nothing in the store (embedded files). */
void web_cache_immutable(struct web_req *w);

/* JSON answers (front.c), for the API and for pages asked for JSON. */
/* Sends a JSON value (reference stolen) with the status. */
void web_json(struct web_req *w, int status, json_t *value);
/* A JSON error with a stable code ("not_found", "invalid", ...) and optional field errors (stolen). */
void web_json_error(struct web_req *w, int status, const char *code, const char *message, json_t *fields);
/* While the store is unhealthy (or when rc is Q_EUNAVAIL): adds Retry-After to the answer and returns the sentence
 * that tells the reader (the archive is read-only for now, or its database does not answer); else NULL. Forms
 * that failed for it show it above what was typed, with status 503. */
const char *web_unavailable(struct web_req *w, int rc);
#endif
