/* One line of a route table: each front end lists its own (src/web/routes.c for pages, src/api/routes.c for the
 * API); src/app/routes.c joins them and dispatches. */
#ifndef QUIRE_FRONT_ROUTE_H
#define QUIRE_FRONT_ROUTE_H
#include <stddef.h>

struct web_req;

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
#define BODY_TEXT (64 * 1024)        /* reports, notes and site texts: some thousands of characters */

struct route {
	const char *method;
	const char *pattern; /* segments; ":x" captures one segment into w->params */
	void (*handler)(struct web_req *w);
	unsigned needs;      /* NEEDS_LOGIN | NO_CSRF | CACHEABLE | SLOW | HASHES */
	const char *query;   /* the query parameters the handler reads, space-separated: the cache key's parts */
	size_t body_max;     /* BODY_NONE, BODY_SMALL, BODY_TEXT or BODY_FORM */
};
#endif
