/* HTTP server on libmicrohttpd: requests in, responses out, limits enforced before handlers run. */
#ifndef QUIRE_HTTP_SERVER_H
#define QUIRE_HTTP_SERVER_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/buf.h"
#include "http/form.h"

struct http_limits {
	size_t body_max;    /* bytes; larger bodies get 413 */
	size_t header_max;  /* bytes of all request headers; more gets 431 */
	size_t url_max;     /* bytes of path plus query; longer gets 414 */
	unsigned timeout_s; /* idle or slow connections are closed after this */
	unsigned threads;   /* worker threads (0 = one per core) */
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
	const char *client_ip;
	const char *bad_input;    /* non-NULL when path, query or form failed to decode: a 400 reason */
	void *conn;               /* the MHD connection, for header lookups */
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

typedef void (*http_handler)(void *ctx, struct http_request *req, struct http_response *resp);
/* Renders an error response for limits found by the server itself (413, 414, 431, 400). */
typedef void (*http_error_handler)(void *ctx, struct http_request *req, struct http_response *resp,
                                   int status, const char *message);

struct http_server;

/* Starts listening on host:port with a pool of worker threads. handler and on_error are called from
 * those threads concurrently. Returns Q_ERR when the address cannot be bound. */
int http_server_start(struct http_server **out, const char *host, unsigned port, const struct http_limits *lim,
                      http_handler handler, http_error_handler on_error, void *ctx);
/* Stops accepting, waits (up to grace_s seconds) for requests in flight, then closes everything. */
void http_server_stop(struct http_server *s, unsigned grace_s);
#endif
