/* HTTP server on libmicrohttpd: requests in, responses out, limits enforced before handlers run. */
#ifndef QUIRE_HTTP_SERVER_H
#define QUIRE_HTTP_SERVER_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/buf.h"
#include "core/netaddr.h"
#include "http/form.h"

struct http_limits {
	size_t body_max;    /* bytes; larger bodies get 413 (routes may accept less, see http_preflight) */
	size_t header_max;  /* bytes of all request headers; more gets 431 */
	size_t url_max;     /* bytes of path plus query; longer gets 414 */
	unsigned timeout_s; /* idle or slow connections are closed after this */
	unsigned threads;   /* network threads (0 = one per core) */
	unsigned workers;   /* worker-pool threads for slow routes (0 = twice the cores, at least 4) */
	unsigned work_queue;   /* slow requests waiting for a worker; one more gets 503 with Retry-After */
	unsigned hash_workers; /* at most this many HTTP_RUN_POOL_HASH requests run at once (0 = no cap) */
	unsigned per_ip_connections; /* open connections from one address (0 = unlimited) */
	unsigned max_connections;    /* open connections in all (0 = what the open-file limit allows) */
	const struct netaddr_range *trusted_proxies; /* peers whose X-Forwarded-For is believed */
	size_t ntrusted_proxies;
	size_t response_headers_extra; /* bytes every response's headers carry beyond the usual (a long CSP) */
};

struct http_request {
	struct arena *arena;      /* freed once after the response is sent */
	const char *method;       /* as sent, e.g. "GET" */
	const char *path;         /* percent-decoded, valid UTF-8, no query */
	const char *raw_path;     /* as sent */
	struct kvlist query;      /* decoded query arguments */
	struct kvlist form;       /* decoded urlencoded body (empty for other content types) */
	struct kvlist cookies;
	const char *body;         /* raw body, NUL-terminated ("" when none) */
	size_t body_len;
	const char *client_ip;    /* the client: the TCP peer, or from X-Forwarded-For when the peer is trusted */
	const char *client_key;   /* what per-address rate limits count: client_ip, or its /64 for IPv6 */
	const char *peer_ip;      /* the TCP peer (a proxy's address when there is one) */
	bool client_local;        /* client_ip is loopback or a trusted proxy (may see /metrics) */
	const char *bad_input;    /* non-NULL when path, query or form failed to decode: a 400 reason */
	void *conn;               /* the MHD connection, for header lookups */
	int route;                /* the route index the preflight found, or -1 */
};

struct http_header {
	const char *name, *value; /* arena memory */
};

/* A frozen response can be sent many times from many threads (a cache entry). */
struct http_frozen;

/* A piece of a body sent by reference, never copied: p must stay valid until the response is done
 * (request arena memory, or memory kept alive with http_response_hold). p NULL marks the place where
 * the stream goes. */
struct http_chunk {
	const char *p;
	size_t n;
};

/* A body part produced while it is sent, one piece at a time (the entire-work view, chapter by chapter),
 * so memory stays bounded whatever its size. It runs on the connection's thread. next gives the next piece
 * (valid until the following call): 1 with *p and *n set, 0 at the end, negative on an error (the
 * connection is then closed). free runs once, when the response is done or was never sent. */
struct http_stream {
	int (*next)(void *ctx, const char **p, size_t *n);
	void (*free)(void *ctx);
	void *ctx;
};

/* Something kept alive until the body has been sent: release(arg) runs once afterwards. */
struct http_hold {
	void (*release)(void *arg);
	void *arg;
	struct http_hold *next; /* arena memory */
};

struct http_response {
	int status;                /* 200 by default */
	const char *content_type;  /* "text/html; charset=utf-8" by default */
	struct buf body;           /* the body when non-empty; otherwise chunks (and stream) */
	const struct http_chunk *chunks; /* arena memory; see http_response_chunks */
	size_t nchunks;
	struct http_stream stream; /* fills the chunk whose p is NULL (at the end when there is none) */
	struct http_hold *holds;
	struct http_header headers[24];
	size_t nheaders;
	struct http_frozen *frozen; /* when set, sent instead of the fields above (a reference is taken) */
};

/* A request header (case-insensitive name) or NULL. */
const char *http_header_get(const struct http_request *req, const char *name);
/* Adds a response header; name and value are copied into the arena. Silently ignores overflow past 24. */
void http_response_header(struct http_response *resp, struct arena *a, const char *name, const char *value);
/* Sets the body to chunks sent by reference (an iovec response; the array is not copied, so it lives in
 * the arena too). The body buf is emptied: whatever is written to it later wins over the chunks. */
void http_response_chunks(struct http_response *resp, const struct http_chunk *chunks, size_t n);
/* Streams s into the chunk whose p is NULL. The response owns s from now on (s.free runs once). */
void http_response_stream(struct http_response *resp, struct http_stream s);
/* Keeps arg alive until the response is done: release(arg) runs exactly once, after the body is sent or
 * dropped. The node lives in a. */
void http_response_hold(struct http_response *resp, struct arena *a, void (*release)(void *), void *arg);
/* Bytes in the body (the stream excluded). */
size_t http_response_body_len(const struct http_response *resp);
/* Builds a frozen copy of resp (body, type, headers) holding one reference: one copy of the body, made
 * once, for a cache. NULL for a streamed response. */
struct http_frozen *http_freeze(const struct http_response *resp);
/* Takes one more reference (returns f). */
struct http_frozen *http_frozen_retain(struct http_frozen *f);
/* Body bytes of a frozen response. */
size_t http_frozen_size(const struct http_frozen *f);
/* Drops one reference; the last one frees it. */
void http_frozen_release(struct http_frozen *f);
/* The strong entity tag ("ETag", quotes included) of a frozen response's exact bytes, which it also sends. */
const char *http_frozen_etag(const struct http_frozen *f);
/* Whether an If-None-Match header value (a list of entity tags, weak or strong, or "*") names etag, by the
 * weak comparison RFC 9110 asks of If-None-Match. A malformed list matches nothing. */
bool http_etag_matches(const char *if_none_match, const char *etag);
/* Makes resp a 304 Not Modified: status set, body dropped (headers and holds stay). */
void http_response_not_modified(struct http_response *resp);

typedef void (*http_handler)(void *ctx, struct http_request *req, struct http_response *resp);
/* Renders an error response for limits found by the server itself (413, 414, 431, 400, 503). */
typedef void (*http_error_handler)(void *ctx, struct http_request *req, struct http_response *resp,
                                   int status, const char *message);

/* Where a request's handler runs. */
enum http_run {
	HTTP_RUN_INLINE,    /* on the network thread: quick pages, cache hits */
	HTTP_RUN_POOL,      /* on the worker pool (sanitizing, Markdown): the connection is suspended meanwhile */
	HTTP_RUN_POOL_HASH, /* on the worker pool, at most limits.hash_workers at once (argon2id) */
};

/* What the application decides from the request line and headers alone, before any body is read. */
struct http_preflight {
	int route;       /* index into http_hooks.routes (for metrics), or -1 when none matched */
	size_t body_max; /* the largest body this request may carry (the server also applies limits.body_max) */
	enum http_run run;
	bool answer_now; /* the answer does not depend on the body (404, 405, log in first): the handler runs at
	                  * once with an empty body, which is never read, and the connection closes after */
};

/* Called on the network thread once the headers are in. req has method, path, raw_path, cookies and the
 * addresses; query, form and body are still empty. out arrives as {route -1, body_max 0, INLINE, false}. */
typedef void (*http_preflight_fn)(void *ctx, const struct http_request *req, struct http_preflight *out);

/* A route's labels in metrics: the pattern, never the raw path, so their number is bounded. */
struct http_route_info {
	const char *method;
	const char *pattern;
};

struct http_hooks {
	http_preflight_fn preflight;
	http_handler handler;       /* called on a network thread or a pool worker, concurrently */
	http_error_handler on_error;
	const struct http_route_info *routes; /* indexed by http_preflight.route; lives as long as the server */
	size_t nroutes;
	void *ctx;
};

struct http_server;

/* Binds host:port (port 0 = any free port; see http_server_port), starts the network threads and the
 * worker pool, and registers the server's metrics source. On failure returns Q_ERR with a message for
 * the operator in err, e.g. "address 127.0.0.1:8080 is already in use". */
int http_server_start(struct http_server **out, const char *host, unsigned port, const struct http_limits *lim,
                      const struct http_hooks *hooks, char *err, size_t errlen);
/* The port actually bound. */
unsigned http_server_port(const struct http_server *s);
/* Stops accepting, waits (up to grace_s seconds) for requests in flight, answers requests still waiting
 * for a worker with 503, then closes everything. */
void http_server_stop(struct http_server *s, unsigned grace_s);
#endif
