/* HTTP server on libmicrohttpd: strict parsing, limits and preflight before any body is read, body
 * collection, slow handlers on the worker pool (suspend/resume), response conversion, request metrics. */
#include "http/server.h"
#include "core/hash.h"
#include "http/acceptor.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/workpool.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STATUS_MIN 100
#define STATUS_MAX 599
#define RETRY_AFTER_BUSY "5" /* seconds a client is asked to wait when the worker queue is full */
#define CLASS_HASH 1         /* the worker pool's class for HTTP_RUN_POOL_HASH, capped at hash_workers */

/* Requests by status, and latency, for one route (or for requests no route matched). */
struct route_stats {
	struct metrics_hist latency;
	_Atomic uint64_t by_status[STATUS_MAX - STATUS_MIN + 1];
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct acceptor *acceptor; /* owns the listening socket; MHD is given each accepted connection */
	struct http_limits lim;
	struct http_hooks hooks;
	struct workpool *pool;
	struct route_stats *stats; /* hooks.nroutes + 1; the last one counts unrouted requests */
	unsigned port;
	atomic_int inflight;
	atomic_bool stopping;     /* set after the grace period: queued slow requests answer 503 */
};

struct http_frozen {
	struct MHD_Response *r;
	int status;
	size_t bytes; /* body length, for the access log */
	atomic_int refs;
	char etag[40]; /* "LEN-HASH" of the body and its type, quoted: see http_frozen_etag */
};

const char *http_header_get(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void http_response_header(struct http_response *resp, struct arena *a, const char *name, const char *value)
{
	if (resp->nheaders >= sizeof resp->headers / sizeof resp->headers[0])
		return;
	resp->headers[resp->nheaders].name = arena_strdup(a, name);
	resp->headers[resp->nheaders].value = arena_strdup(a, value);
	resp->nheaders++;
}

void http_response_chunks(struct http_response *resp, const struct http_chunk *chunks, size_t n)
{
	buf_reset(&resp->body);
	resp->chunks = chunks;
	resp->nchunks = n;
}

void http_response_stream(struct http_response *resp, struct http_stream s)
{
	if (resp->stream.free)
		resp->stream.free(resp->stream.ctx);
	resp->stream = s;
}

void http_response_hold(struct http_response *resp, struct arena *a, void (*release)(void *), void *arg)
{
	struct http_hold *h = arena_alloc(a, sizeof *h);
	h->release = release;
	h->arg = arg;
	h->next = resp->holds;
	resp->holds = h;
}

size_t http_response_body_len(const struct http_response *resp)
{
	if (resp->body.len || !resp->nchunks)
		return resp->body.len;
	size_t n = 0;
	for (size_t i = 0; i < resp->nchunks; i++)
		n += resp->chunks[i].n;
	return n;
}

/* Whether the chunks (not the buf) make the body. */
static bool uses_chunks(const struct http_response *resp)
{
	return resp->body.len == 0 && (resp->nchunks || resp->stream.next);
}

/* What a response sent by reference keeps until MHD is done with it. Copied out of the request arena,
 * because MHD may destroy the response after the request has finished. */
struct keep {
	size_t n;
	struct http_stream stream;
	struct {
		void (*release)(void *);
		void *arg;
	} holds[];
};

static struct keep *keep_new(struct http_response *resp)
{
	size_t n = 0;
	for (struct http_hold *h = resp->holds; h; h = h->next)
		n++;
	struct keep *k = xmalloc(sizeof *k + n * sizeof k->holds[0]);
	k->n = 0;
	for (struct http_hold *h = resp->holds; h; h = h->next) {
		k->holds[k->n].release = h->release;
		k->holds[k->n].arg = h->arg;
		k->n++;
	}
	k->stream = resp->stream;
	resp->holds = NULL; /* the keep owns them now */
	resp->stream = (struct http_stream){0};
	return k;
}

static void keep_free(void *cls)
{
	struct keep *k = cls;
	if (!k)
		return;
	if (k->stream.free)
		k->stream.free(k->stream.ctx);
	for (size_t i = 0; i < k->n; i++)
		k->holds[i].release(k->holds[i].arg);
	free(k);
}

/* Releases what resp holds when its body went out by copy (or not at all). */
static void drop_body_refs(struct http_response *resp)
{
	for (struct http_hold *h = resp->holds; h; h = h->next)
		h->release(h->arg);
	resp->holds = NULL;
	if (resp->stream.free)
		resp->stream.free(resp->stream.ctx);
	resp->stream = (struct http_stream){0};
}

/* A streamed response: the pieces around the slot (copied once, they are small) and the stream. */
struct streamer {
	struct keep *keep;
	char *fixed;                /* copies of the pieces that are not the slot */
	struct http_chunk *pieces;  /* into fixed; p NULL = the slot */
	size_t n, i, off;           /* current piece and offset in it */
	const char *sp;             /* current piece from the stream */
	size_t sn, soff;
	bool failed;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct streamer *st = cls;
	size_t w = 0;
	while (w < max && st->i < st->n && !st->failed) {
		const struct http_chunk *c = &st->pieces[st->i];
		const char *src;
		size_t avail;
		if (c->p) {
			src = c->p + st->off;
			avail = c->n - st->off;
		} else {
			if (st->soff == st->sn) {
				int rc = st->keep->stream.next ? st->keep->stream.next(st->keep->stream.ctx, &st->sp, &st->sn) : 0;
				st->soff = 0;
				if (rc < 0)
					st->failed = true;
				if (rc <= 0) {
					st->sn = 0;
					st->i++;
				}
				continue;
			}
			src = st->sp + st->soff;
			avail = st->sn - st->soff;
		}
		size_t k = avail < max - w ? avail : max - w;
		memcpy(buf + w, src, k);
		w += k;
		if (c->p) {
			st->off += k;
			if (st->off == c->n) {
				st->i++;
				st->off = 0;
			}
		} else {
			st->soff += k;
		}
	}
	if (w)
		return (ssize_t)w;
	return st->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
}

static void stream_free(void *cls)
{
	struct streamer *st = cls;
	keep_free(st->keep);
	free(st->fixed);
	free(st->pieces);
	free(st);
}

static struct MHD_Response *build_streamed(struct http_response *resp)
{
	struct streamer *st = xcalloc(1, sizeof *st);
	size_t total = 0, n = resp->nchunks;
	bool slot = false;
	for (size_t i = 0; i < n; i++) {
		total += resp->chunks[i].n;
		slot |= resp->chunks[i].p == NULL;
	}
	st->pieces = xcalloc(n + 1, sizeof *st->pieces);
	st->fixed = xmalloc(total ? total : 1);
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const struct http_chunk *c = &resp->chunks[i];
		if (c->p) {
			memcpy(st->fixed + off, c->p, c->n);
			st->pieces[i] = (struct http_chunk){st->fixed + off, c->n};
			off += c->n;
		} else {
			st->pieces[i] = (struct http_chunk){NULL, 0};
		}
	}
	if (!slot)
		st->pieces[n++] = (struct http_chunk){NULL, 0}; /* a stream without a slot goes at the end */
	st->n = n;
	st->keep = keep_new(resp);
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, st,
	                                                           stream_free);
	if (!r)
		stream_free(st);
	return r;
}

static struct MHD_Response *build_iovec(struct http_response *resp)
{
	struct MHD_IoVec small[32];
	struct MHD_IoVec *iov = resp->nchunks <= 32 ? small : xmalloc(resp->nchunks * sizeof *iov);
	unsigned n = 0;
	for (size_t i = 0; i < resp->nchunks; i++)
		if (resp->chunks[i].p && resp->chunks[i].n)
			iov[n++] = (struct MHD_IoVec){resp->chunks[i].p, resp->chunks[i].n};
	/* Most pages hold nothing beyond the request's arena: no keep to allocate then. */
	struct keep *k = resp->holds && n ? keep_new(resp) : NULL;
	struct MHD_Response *r = n ? MHD_create_response_from_iovec(iov, n, k ? keep_free : NULL, k) /* copies iov */
	                           : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!k)
		drop_body_refs(resp); /* nothing held, or an empty body that needs nothing kept */
	if (iov != small)
		free(iov);
	if (!r && k)
		keep_free(k);
	return r;
}

/* One contiguous copy of a chunked body (for a cache entry). */
static char *flatten_chunks(const struct http_response *resp, size_t *len)
{
	size_t total = http_response_body_len(resp);
	char *data = xmalloc(total ? total : 1);
	size_t off = 0;
	for (size_t i = 0; i < resp->nchunks; i++) {
		if (resp->chunks[i].p)
			memcpy(data + off, resp->chunks[i].p, resp->chunks[i].n);
		off += resp->chunks[i].n;
	}
	*len = total;
	return data;
}

static void add_headers(struct MHD_Response *r, const struct http_response *resp)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        resp->content_type ? resp->content_type : "text/html; charset=utf-8");
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
}

/* Below this size a chunked body is copied once into one buffer instead of going out by reference:
 * libmicrohttpd (0.9.75) sends the headers of an iovec response with a send of their own (two system calls
 * per response instead of one), and that costs more than copying a page: on a 32 KB chapter page, about
 * 24 us of CPU per request by reference against 21 us copied (wrk -c64, perf stat, alternating runs).
 * Bigger pages (long chapters) go by reference, where a copy would cost more than the call. */
#define HTTP_COPY_MAX (64 * 1024)

/* The MHD response to send resp once: the buf moves to MHD, chunks go by reference (iovec) or, when
 * small, as one copy; a stream goes through a callback. resp's body and holds are handed over. */
static struct MHD_Response *build_mhd_response(struct http_response *resp)
{
	struct MHD_Response *r;
	if (uses_chunks(resp) && resp->stream.next) {
		r = build_streamed(resp);
	} else if (uses_chunks(resp) && http_response_body_len(resp) > HTTP_COPY_MAX) {
		r = build_iovec(resp);
	} else if (uses_chunks(resp)) {
		size_t len;
		char *data = flatten_chunks(resp, &len);
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(data);
		drop_body_refs(resp);
	} else {
		size_t len;
		char *data = buf_detach(&resp->body, &len);
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(data);
		drop_body_refs(resp);
	}
	if (r)
		add_headers(r, resp);
	return r;
}

struct http_frozen *http_freeze(const struct http_response *resp)
{
	if (uses_chunks(resp) && resp->stream.next)
		return NULL;
	size_t len;
	char *data;
	if (uses_chunks(resp)) {
		data = flatten_chunks(resp, &len);
	} else {
		len = resp->body.len;
		data = xmalloc(len ? len : 1);
		if (len)
			memcpy(data, resp->body.data, len);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return NULL;
	}
	add_headers(r, resp);
	struct http_frozen *f = xmalloc(sizeof *f);
	f->r = r;
	f->status = resp->status;
	f->bytes = len;
	atomic_init(&f->refs, 1);
	/* The validator of these exact bytes: another rendering of the page (a new comment, another theme) has
	 * another body and so another tag. A hash, not a version, so an entry rebuilt with the same bytes after an
	 * invalidation or an eviction still answers 304 to a browser that kept it. */
	const char *type = resp->content_type ? resp->content_type : "text/html; charset=utf-8";
	uint64_t h = HASH_FNV_OFFSET;
	for (const char *t = type; *t; t++)
		h = hash_fnv1a_byte(h, (unsigned char)*t);
	for (size_t i = 0; i < len; i++)
		h = hash_fnv1a_byte(h, (unsigned char)data[i]);
	snprintf(f->etag, sizeof f->etag, "\"%zx-%016llx\"", len, (unsigned long long)h);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, f->etag);
	return f;
}

const char *http_frozen_etag(const struct http_frozen *f)
{
	return f->etag;
}

/* One entity tag of an If-None-Match list at *p: its opaque part (quotes included) into *tag and *n, *p past
 * it and its comma; false at the end or on a malformed list (which matches nothing). */
static bool next_etag(const char **p, const char **tag, size_t *n)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	if (!*s)
		return false;
	if (s[0] == 'W' && s[1] == '/') /* weak comparison: W/"x" matches "x" */
		s += 2;
	if (*s != '"')
		return false;
	const char *end = strchr(s + 1, '"');
	if (!end)
		return false;
	*tag = s;
	*n = (size_t)(end + 1 - s);
	*p = end + 1;
	return true;
}

bool http_etag_matches(const char *if_none_match, const char *etag)
{
	if (!if_none_match || !etag)
		return false;
	const char *p = if_none_match;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '*' && !p[1 + strspn(p + 1, " \t")])
		return true; /* any current representation */
	size_t want = strlen(etag), n;
	const char *tag;
	while (next_etag(&p, &tag, &n))
		if (n == want && memcmp(tag, etag, n) == 0)
			return true;
	return false;
}

void http_response_not_modified(struct http_response *resp)
{
	/* libmicrohttpd 0.9.75 still writes "Content-Length: 0" (it has no body-less response; a header of our
	 * own would be a second one): browsers and caches ignore it on a 304. */
	resp->status = 304;
	buf_reset(&resp->body);
	resp->chunks = NULL;
	resp->nchunks = 0;
}

void http_frozen_release(struct http_frozen *f)
{
	if (f && atomic_fetch_sub(&f->refs, 1) == 1) {
		MHD_destroy_response(f->r); /* MHD keeps its own reference while a queued copy is sent */
		free(f);
	}
}

size_t http_frozen_size(const struct http_frozen *f)
{
	return f->bytes;
}

struct http_frozen *http_frozen_retain(struct http_frozen *f)
{
	atomic_fetch_add(&f->refs, 1);
	return f;
}

/* Leaves URLs and arguments as sent: we decode them ourselves so bad encodings become 400s. */
static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

/* Where a request is between the first callback and the completion notice. */
enum phase {
	PHASE_NEW,     /* the request line is in (URI log callback); the handler has not been called yet */
	PHASE_HEADERS, /* reading the body (or about to) */
	PHASE_QUEUED,  /* suspended, waiting for or running on a worker */
	PHASE_READY,   /* a worker filled resp: the next callback sends it */
};

/* Per-connection request state, from the first callback to the completion notice. It holds the request
 * and response themselves because a worker thread fills them while the connection is suspended. */
struct reqstate {
	struct arena *arena;
	struct http_server *server;
	struct MHD_Connection *conn;
	struct buf body;
	struct http_request req;
	struct http_response resp;
	struct http_preflight pre;
	enum phase phase;
	int early_status;   /* 400/413/414/431 found from the headers: answered without reading the body */
	const char *early_msg;
	bool body_too_big;  /* the body outgrew its limit while arriving: 413 once it is all in */
	int status;
	unsigned long bytes;
	struct timespec start;
	char method[16];
	char *path_for_log;
	const char *uri_seen; /* the request target where MHD parses it in place, and its length as a C string */
	size_t uri_seen_len;
	const char *query;    /* the query as sent (after '?', not decoded), or NULL; see on_uri */
	size_t query_len;
	bool in_flight;       /* counted in server.inflight: its headers are in and we are handling it */
	struct connstate *cs; /* the connection's state, which points back here until the request completes */
};

/* Per connection (MHD's socket context): the request in progress on it. MHD 0.9.75 can close a connection
 * without a completion notice for its request (a Cookie header that overflows its memory pool, then a
 * second error): the close notice frees what that request held. */
struct connstate {
	struct reqstate *st;
};

/* True when s holds a control character (C0 or DEL): never valid in a request target, and a sign that
 * something upstream cut or spliced the request line. */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* RFC 9110 token characters: what a header name may hold. */
static bool is_token(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr(extra, *s)))
			return false;
	return true;
}

struct header_scan {
	bool bad;        /* a name that is not a token, or a control character in a value */
	int content_lengths;
	int transfer_encodings;
	size_t total;    /* bytes of all headers, as the limit counts them */
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct header_scan *h = cls;
	if (!is_token(key))
		h->bad = true;
	const char *v = value ? value : "";
	for (; *v; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			h->bad = true;
	h->total += strlen(key) + (size_t)(v - (value ? value : v)) + 4;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		h->content_lengths++;
	if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		h->transfer_encodings++;
	return MHD_YES;
}

struct xff {
	struct arena *arena;
	char *all; /* every X-Forwarded-For header, in order, joined with commas */
};

static enum MHD_Result join_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct xff *x = cls;
	if (value && strcasecmp(key, "X-Forwarded-For") == 0)
		x->all = x->all ? arena_printf(x->arena, "%s,%s", x->all, value) : arena_strdup(x->arena, value);
	return MHD_YES;
}

/* The client behind trusted proxies: walking X-Forwarded-For from the right (the entry our own proxy
 * added), the first address that is not itself a trusted proxy. Garbage ends the walk at the last hop
 * we could trust. */
static struct netaddr forwarded_client(const struct http_server *s, struct MHD_Connection *conn, struct arena *a,
                                       struct netaddr client)
{
	struct xff x = {a, NULL};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, join_xff, &x);
	if (!x.all)
		return client;
	char *p = x.all + strlen(x.all);
	while (p > x.all) {
		char *end = p;
		while (p > x.all && p[-1] != ',')
			p--;
		char *item = arena_strndup(a, p, (size_t)(end - p));
		if (p > x.all)
			p--; /* the comma */
		char *t = item + strspn(item, " \t");
		t[strcspn(t, " \t")] = '\0';
		struct netaddr hop;
		if (netaddr_parse(t, &hop) != 0)
			break;
		client = hop;
		if (!netaddr_in_list(&hop, s->lim.trusted_proxies, s->lim.ntrusted_proxies))
			break;
	}
	return client;
}

static void resolve_addresses(const struct http_server *s, struct http_request *req, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct netaddr peer, client;
	char text[NETADDR_STRLEN];
	if (!ci || netaddr_from_sockaddr(ci->client_addr, &peer) != 0) {
		req->client_ip = req->client_key = req->peer_ip = "-";
		return;
	}
	client = peer;
	if (s->lim.ntrusted_proxies && netaddr_in_list(&peer, s->lim.trusted_proxies, s->lim.ntrusted_proxies))
		client = forwarded_client(s, conn, req->arena, peer);
	netaddr_format(&peer, text);
	req->peer_ip = arena_strdup(req->arena, text);
	bool same = !memcmp(&peer, &client, sizeof peer);
	if (!same)
		netaddr_format(&client, text);
	req->client_ip = same ? req->peer_ip : arena_strdup(req->arena, text);
	if (client.family == AF_INET) {
		req->client_key = req->client_ip; /* an IPv4 address is its own key */
	} else {
		netaddr_rate_key(&client, text);
		req->client_key = arena_strdup(req->arena, text);
	}
	req->client_local = netaddr_is_loopback(&client) ||
	                    netaddr_in_list(&client, s->lim.trusted_proxies, s->lim.ntrusted_proxies);
}

static void init_response(struct http_response *resp)
{
	memset(resp, 0, sizeof *resp);
	resp->status = 200;
	buf_init(&resp->body);
}

/* The parts of the request known from the headers: enough for the preflight. */
static void init_request(struct http_server *s, struct reqstate *st, const char *url, const char *method)
{
	struct http_request *req = &st->req;
	memset(req, 0, sizeof *req);
	req->arena = st->arena;
	req->conn = st->conn;
	req->route = -1;
	req->method = arena_strdup(st->arena, method);
	req->raw_path = arena_strdup(st->arena, url);
	req->path = req->raw_path;
	req->body = "";
	resolve_addresses(s, req, st->conn);
	char *path;
	size_t plen;
	if (url_decode(req->arena, req->raw_path, strlen(req->raw_path), false, &path, &plen) != 0)
		req->bad_input = "The address is not valid percent-encoded UTF-8.";
	else
		req->path = path;
	const char *cookie = http_header_get(req, "Cookie");
	if (cookie)
		cookie_parse(req->arena, cookie, &req->cookies);
}

/* The parts that need the whole request: query arguments, the body and its form fields. */
static void finish_request(struct reqstate *st)
{
	struct http_request *req = &st->req;
	req->body = buf_cstr(&st->body);
	req->body_len = st->body.len;
	if (req->bad_input)
		return;
	if (st->query) {
		int rc = form_parse(req->arena, st->query, st->query_len, &req->query);
		if (rc == Q_ETOOBIG)
			req->bad_input = "Too many query arguments.";
		else if (rc != 0)
			req->bad_input = "The query string is not valid percent-encoded UTF-8.";
		if (req->bad_input)
			return;
	}
	const char *ctype = http_header_get(req, "Content-Type");
	if (req->body_len && ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		int rc = form_parse(req->arena, req->body, req->body_len, &req->form);
		if (rc == Q_ETOOBIG)
			req->bad_input = "The form has too many fields.";
		else if (rc != 0)
			req->bad_input = "The form data is not valid percent-encoded UTF-8.";
	}
	/* forms that upload files (the import form) */
	const char *boundary = req->body_len ? multipart_boundary(req->arena, ctype) : NULL;
	if (boundary) {
		int rc = multipart_parse(req->arena, boundary, req->body, req->body_len, &req->form, &req->files, &req->nfiles);
		if (rc == Q_ETOOBIG)
			req->bad_input = "The form has too many fields or files.";
		else if (rc != 0)
			req->bad_input = "The form data is not well-formed multipart/form-data, or its text is not UTF-8.";
	}
}

static struct route_stats *stats_for(struct http_server *s, int route)
{
	return &s->stats[route >= 0 && (size_t)route < s->hooks.nroutes ? (size_t)route : s->hooks.nroutes];
}

/* Counts the answer when it is handed to MHD, before its first byte leaves: whoever has read a response
 * finds it counted in the next /metrics. Latency is the time from the headers until then. */
static void record(struct reqstate *st)
{
	struct http_server *s = st->server;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double secs = (double)(now.tv_sec - st->start.tv_sec) + (double)(now.tv_nsec - st->start.tv_nsec) / 1e9;
	struct route_stats *rs = stats_for(s, st->pre.route);
	metrics_hist_observe(&rs->latency, secs);
	if (st->status >= STATUS_MIN && st->status <= STATUS_MAX)
		atomic_fetch_add_explicit(&rs->by_status[st->status - STATUS_MIN], 1, memory_order_relaxed);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct reqstate *st, struct http_response *resp)
{
	enum MHD_Result ok;
	if (resp->frozen) {
		st->status = resp->frozen->status;
		st->bytes = resp->frozen->bytes;
		record(st);
		ok = MHD_queue_response(conn, (unsigned)resp->frozen->status, resp->frozen->r);
		http_frozen_release(resp->frozen);
		resp->frozen = NULL;
		buf_free(&resp->body);
		drop_body_refs(resp);
		return ok;
	}
	st->status = resp->status;
	st->bytes = uses_chunks(resp) ? http_response_body_len(resp) : resp->body.len;
	record(st);
	struct MHD_Response *r = build_mhd_response(resp);
	buf_free(&resp->body);
	if (!r)
		return MHD_NO;
	ok = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* Runs the handler (or the error page for bad input) into st->resp. */
static void run_handler(struct http_server *s, struct reqstate *st)
{
	finish_request(st);
	if (st->req.bad_input)
		s->hooks.on_error(s->hooks.ctx, &st->req, &st->resp, MHD_HTTP_BAD_REQUEST, st->req.bad_input);
	else
		s->hooks.handler(s->hooks.ctx, &st->req, &st->resp);
}

/* A worker's job: the connection stays suspended until the response is ready. */
static void run_job(void *arg)
{
	struct reqstate *st = arg;
	struct http_server *s = st->server;
	if (atomic_load(&s->stopping)) {
		s->hooks.on_error(s->hooks.ctx, &st->req, &st->resp, MHD_HTTP_SERVICE_UNAVAILABLE,
		                  "The server is shutting down. Please try again in a moment.");
		http_response_header(&st->resp, st->arena, "Retry-After", RETRY_AFTER_BUSY);
	} else {
		run_handler(s, st);
	}
	st->phase = PHASE_READY;
	/* The last touch: once resumed, a network thread owns st again (MHD's lock orders the two). */
	MHD_resume_connection(st->conn);
}

/* MHD parses the request line in place: the target the URI log callback saw, as a C string, ends
 * exactly where the version begins, unless the client put a NUL inside it (and MHD would then serve
 * "/static/style.css\0.txt" as "/static/style.css"). Pointers compared as integers: if some MHD keeps
 * them elsewhere, the distance is implausible and the check stands aside. */
static bool nul_in_target(const struct reqstate *st, const char *version)
{
	if (!st->uri_seen || !version)
		return false;
	uintptr_t u = (uintptr_t)st->uri_seen, v = (uintptr_t)version;
	if (v <= u || v - u > st->server->lim.url_max + 64)
		return false;
	return u + st->uri_seen_len + 1 != v;
}

/* Checks that need only the request line and headers. Sets early_status and early_msg. */
static void check_headers(struct http_server *s, struct reqstate *st, const char *url, const char *version)
{
	struct MHD_Connection *conn = st->conn;
	bool bad_line = has_control(url) || nul_in_target(st, version);
	if (!version || (strcmp(version, MHD_HTTP_VERSION_1_1) != 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0))
		bad_line = true;
	if (!bad_line && st->query)
		bad_line = has_control(st->query);
	if (bad_line) {
		st->early_status = MHD_HTTP_BAD_REQUEST;
		st->early_msg = "The request line is malformed.";
		return;
	}
	struct header_scan hs = {0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, scan_header, &hs);
	if (hs.bad) {
		st->early_status = MHD_HTTP_BAD_REQUEST;
		st->early_msg = "A request header is malformed.";
		return;
	}
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	/* Two framings, or one we do not speak, and a proxy in front might read the body differently from us
	 * (request smuggling). */
	if ((hs.transfer_encodings && hs.content_lengths) || hs.content_lengths > 1 || hs.transfer_encodings > 1 ||
	    (te && strcasecmp(te, "chunked") != 0)) {
		st->early_status = MHD_HTTP_BAD_REQUEST;
		st->early_msg = "The request's body framing is ambiguous (Content-Length and Transfer-Encoding).";
		return;
	}
	if (strlen(url) + (st->query ? 1 + st->query_len : 0) > s->lim.url_max) {
		st->early_status = MHD_HTTP_URI_TOO_LONG;
		st->early_msg = "The address is too long.";
	} else if (hs.total > s->lim.header_max) {
		st->early_status = MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE;
		st->early_msg = "The request headers are too large.";
	}
}

static bool has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	       (cl && strtoull(cl, NULL, 10) > 0);
}

static size_t body_limit(const struct http_server *s, const struct reqstate *st)
{
	return st->pre.body_max < s->lim.body_max ? st->pre.body_max : s->lim.body_max;
}

/* The first callback: everything we can decide before reading a single byte of body. Returns true when
 * the response is ready to send now. */
static bool on_headers(struct http_server *s, struct reqstate *st, const char *url, const char *method,
                       const char *version)
{
	init_request(s, st, url, method);
	check_headers(s, st, url, version);
	if (!st->early_status && st->req.bad_input) {
		st->early_status = MHD_HTTP_BAD_REQUEST;
		st->early_msg = st->req.bad_input;
	}
	if (!st->early_status) {
		st->pre.route = -1;
		s->hooks.preflight(s->hooks.ctx, &st->req, &st->pre);
		if (st->pre.route >= (int)s->hooks.nroutes)
			st->pre.route = -1;
		st->req.route = st->pre.route;
		const char *cl = MHD_lookup_connection_value(st->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!st->pre.answer_now && cl && strtoull(cl, NULL, 10) > body_limit(s, st)) {
			st->early_status = MHD_HTTP_CONTENT_TOO_LARGE;
			st->early_msg = "The request body is too large.";
		}
	}
	if (st->early_status) {
		s->hooks.on_error(s->hooks.ctx, &st->req, &st->resp, st->early_status, st->early_msg);
		http_response_header(&st->resp, st->arena, "Connection", "close");
		return true;
	}
	if (st->pre.answer_now) {
		bool body = has_body(st->conn);
		run_handler(s, st);
		if (body) /* the body stays unread: the connection cannot carry another request */
			http_response_header(&st->resp, st->arena, "Connection", "close");
		return true;
	}
	return false;
}

/* The whole request is in: answer on this thread, or suspend the connection and hand it to a worker. */
static enum MHD_Result on_complete(struct http_server *s, struct reqstate *st)
{
	if (st->body_too_big) {
		s->hooks.on_error(s->hooks.ctx, &st->req, &st->resp, MHD_HTTP_CONTENT_TOO_LARGE,
		                  "The request body is too large.");
		http_response_header(&st->resp, st->arena, "Connection", "close");
		return send_response(st->conn, st, &st->resp);
	}
	if (st->pre.run == HTTP_RUN_INLINE) {
		run_handler(s, st);
		return send_response(st->conn, st, &st->resp);
	}
	/* Suspend before queueing: a worker may finish and resume before this callback returns. */
	st->phase = PHASE_QUEUED;
	MHD_suspend_connection(st->conn);
	unsigned cls = st->pre.run == HTTP_RUN_POOL_HASH ? CLASS_HASH : 0;
	if (workpool_submit(s->pool, cls, run_job, st) != 0) {
		s->hooks.on_error(s->hooks.ctx, &st->req, &st->resp, MHD_HTTP_SERVICE_UNAVAILABLE,
		                  "The server is busy. Please try again in a few seconds.");
		http_response_header(&st->resp, st->arena, "Retry-After", RETRY_AFTER_BUSY);
		st->phase = PHASE_READY;
		MHD_resume_connection(st->conn);
	}
	return MHD_YES;
}

static struct reqstate *new_reqstate(struct http_server *s, struct MHD_Connection *conn)
{
	struct reqstate *st = xcalloc(1, sizeof *st);
	st->arena = arena_new();
	st->server = s;
	st->conn = conn;
	st->pre.route = -1;
	buf_init(&st->body);
	init_response(&st->resp);
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	return st;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe);

/* MHD's URI log callback: the request line is in and still intact. The state made here comes back as
 * *con_cls in on_request and on_completed.
 * It sees the request target before MHD splits off the query. We keep our own copy of the
 * query and leave MHD an empty one: MHD would otherwise keep every argument (about 64 bytes of
 * bookkeeping each) in the connection's memory pool, so the pool would have to hold a full url_max of
 * one-letter arguments (~300 KB) or MHD would drop such a request unanswered, and MHD 0.9.75 zeroes the
 * whole pool before every request on a connection: that memset was most of the cost of a cached page.
 * The target sits in MHD's writable read buffer (MHD itself writes the NUL at the '?' next), so ending
 * the query string at its first byte is all it takes; our parser (form_parse) caps and decodes it. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct reqstate *st = new_reqstate(cls, conn);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct connstate *cs = ci ? ci->socket_context : NULL;
	if (cs) {
		if (cs->st) { /* a request MHD dropped without telling us */
			void *old = cs->st;
			on_completed(cls, conn, &old, MHD_REQUEST_TERMINATED_WITH_ERROR);
		}
		cs->st = st;
		st->cs = cs;
	}
	st->uri_seen = uri;
	st->uri_seen_len = strlen(uri);
	const char *q = memchr(uri, '?', st->uri_seen_len);
	if (q) {
		st->query_len = st->uri_seen_len - (size_t)(q + 1 - uri);
		st->query = arena_strndup(st->arena, q + 1, st->query_len);
		if (st->query_len)
			*(char *)(uintptr_t)(q + 1) = '\0';
	}
	return st;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct http_server *s = cls;
	struct reqstate *st = *con_cls;
	if (!st)
		*con_cls = st = new_reqstate(s, conn);
	if (st->phase == PHASE_NEW) {
		st->phase = PHASE_HEADERS;
		/* Counted from here, not from the request line: a request MHD gives up on while reading its
		 * headers (a pool overflow) may never reach us, and must not hold up a shutdown. */
		st->in_flight = true;
		atomic_fetch_add(&s->inflight, 1);
		snprintf(st->method, sizeof st->method, "%s", method);
		st->path_for_log = arena_strdup(st->arena, url);
		if (on_headers(s, st, url, method, version))
			return send_response(conn, st, &st->resp);
		return MHD_YES;
	}
	if (st->phase == PHASE_READY)
		return send_response(conn, st, &st->resp);
	if (st->phase == PHASE_QUEUED)
		return MHD_YES; /* not expected while suspended; nothing to do until the worker resumes us */
	if (*upload_data_size) {
		if (!st->body_too_big && st->body.len + *upload_data_size > body_limit(s, st))
			st->body_too_big = true; /* keep reading (and dropping) so that the 413 can be sent */
		if (!st->body_too_big)
			buf_append(&st->body, upload_data, *upload_data_size);
		else
			buf_free(&st->body);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return on_complete(s, st);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct reqstate *st = *con_cls;
	if (!st)
		return;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double secs = (double)(end.tv_sec - st->start.tv_sec) + (double)(end.tv_nsec - st->start.tv_nsec) / 1e9;
	if (st->phase != PHASE_NEW) /* MHD refused the request by itself: its own log line says why */
		log_access(st->req.client_ip ? st->req.client_ip : "-", st->method, st->path_for_log, st->status,
		           st->bytes, secs * 1e3);
	http_frozen_release(st->resp.frozen);
	buf_free(&st->resp.body);
	drop_body_refs(&st->resp); /* a response never sent still releases what it held */
	buf_free(&st->body);
	arena_free(st->arena);
	if (st->cs)
		st->cs->st = NULL;
	bool counted = st->in_flight;
	free(st);
	*con_cls = NULL;
	if (counted)
		atomic_fetch_sub(&s->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = xcalloc(1, sizeof(struct connstate));
		return;
	}
	struct connstate *cs = *socket_context;
	if (!cs)
		return;
	if (cs->st) {
		void *st = cs->st;
		on_completed(cls, conn, &st, MHD_REQUEST_TERMINATED_WITH_ERROR);
	}
	free(cs);
	*socket_context = NULL;
}

/* Prometheus lines for requests, latencies and the worker pool. */
static void emit_metrics(void *ctx, struct buf *out)
{
	struct http_server *s = ctx;
	buf_puts(out, "# HELP quire_http_requests_total Requests answered, by route pattern, method and status.\n"
	              "# TYPE quire_http_requests_total counter\n");
	for (size_t i = 0; i <= s->hooks.nroutes; i++) {
		const char *method = i < s->hooks.nroutes ? s->hooks.routes[i].method : "";
		const char *pattern = i < s->hooks.nroutes ? s->hooks.routes[i].pattern : "none";
		for (int st = STATUS_MIN; st <= STATUS_MAX; st++) {
			uint64_t n = atomic_load_explicit(&s->stats[i].by_status[st - STATUS_MIN], memory_order_relaxed);
			if (n)
				buf_printf(out, "quire_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
				           pattern, method, st, (unsigned long long)n);
		}
	}
	buf_puts(out, "# HELP quire_http_request_duration_seconds Time from request headers until the response "
	              "is ready to send, by route pattern.\n"
	              "# TYPE quire_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= s->hooks.nroutes; i++) {
		if (!atomic_load_explicit(&s->stats[i].latency.count, memory_order_relaxed))
			continue;
		const char *method = i < s->hooks.nroutes ? s->hooks.routes[i].method : "";
		const char *pattern = i < s->hooks.nroutes ? s->hooks.routes[i].pattern : "none";
		char labels[256];
		snprintf(labels, sizeof labels, "route=\"%s\",method=\"%s\"", pattern, method);
		metrics_hist_emit(&s->stats[i].latency, "quire_http_request_duration_seconds", labels, out);
	}
	struct workpool_stats ws;
	workpool_stats(s->pool, &ws);
	buf_printf(out,
	           "# HELP quire_http_requests_in_flight Requests between their headers and the end of the response.\n"
	           "# TYPE quire_http_requests_in_flight gauge\nquire_http_requests_in_flight %d\n"
	           "# HELP quire_workpool_threads Worker threads for slow requests.\n"
	           "# TYPE quire_workpool_threads gauge\nquire_workpool_threads %u\n"
	           "# HELP quire_workpool_queue_depth Slow requests waiting for a worker.\n"
	           "# TYPE quire_workpool_queue_depth gauge\nquire_workpool_queue_depth %u\n"
	           "# HELP quire_workpool_busy_workers Workers running a request.\n"
	           "# TYPE quire_workpool_busy_workers gauge\nquire_workpool_busy_workers %u\n"
	           "# HELP quire_workpool_jobs_accepted_total Slow requests queued for a worker.\n"
	           "# TYPE quire_workpool_jobs_accepted_total counter\nquire_workpool_jobs_accepted_total %llu\n"
	           "# HELP quire_workpool_jobs_done_total Slow requests the workers finished.\n"
	           "# TYPE quire_workpool_jobs_done_total counter\nquire_workpool_jobs_done_total %llu\n"
	           "# HELP quire_workpool_rejected_total Slow requests refused with 503 because the queue was full.\n"
	           "# TYPE quire_workpool_rejected_total counter\nquire_workpool_rejected_total %llu\n",
	           atomic_load(&s->inflight), ws.threads, ws.queued, ws.busy, (unsigned long long)ws.accepted,
	           (unsigned long long)ws.done,
	           (unsigned long long)ws.rejected);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_info("http: %s", msg);
}

static void format_hostport(char *out, size_t n, const char *host, unsigned port)
{
	snprintf(out, n, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
}

/* Binds and listens ourselves (rather than inside MHD) to report exactly why an address cannot be used,
 * and to learn the port when 0 was asked for. SO_REUSEADDR lets a restart bind while old connections
 * linger in TIME_WAIT; SO_REUSEPORT is never set, so a second server on a busy port fails here. */
static int open_listener(const char *host, unsigned port, int *fd_out, unsigned *port_out, char *err,
                         size_t errlen)
{
	struct addrinfo hints = {0}, *ai = NULL;
	char portstr[16], where[300];
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	snprintf(portstr, sizeof portstr, "%u", port);
	format_hostport(where, sizeof where, host, port);
	int gai = getaddrinfo(*host ? host : NULL, portstr, &hints, &ai);
	if (gai != 0 || !ai) {
		snprintf(err, errlen, "cannot resolve the listen address %s: %s", where, gai_strerror(gai));
		return Q_ERR;
	}
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
	int rc = Q_ERR;
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a socket for %s: %s", where, strerror(errno));
		goto done;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		int e = errno;
		if (e == EADDRINUSE)
			snprintf(err, errlen, "address %s is already in use", where);
		else if (e == EACCES)
			snprintf(err, errlen, "no permission to listen on %s", where);
		else if (e == EADDRNOTAVAIL)
			snprintf(err, errlen, "address %s is not available on this machine", where);
		else
			snprintf(err, errlen, "cannot listen on %s: %s", where, strerror(e));
		goto done;
	}
	if (listen(fd, 511) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", where, strerror(errno));
		goto done;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "cannot read the bound address of %s: %s", where, strerror(errno));
		goto done;
	}
	*port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                            : ((struct sockaddr_in *)&ss)->sin_port);
	*fd_out = fd;
	fd = -1;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

/* Connections that fit in the open-file limit, keeping some descriptors for the database and logs. */
static unsigned connections_for_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 10000;
	if (rl.rlim_cur < 256)
		return 64;
	return rl.rlim_cur - 128 > 100000 ? 100000 : (unsigned)(rl.rlim_cur - 128);
}

static unsigned cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int http_server_start(struct http_server **out, const char *host, unsigned port, const struct http_limits *lim,
                      const struct http_hooks *hooks, char *err, size_t errlen)
{
	int fd = -1;
	unsigned bound = 0;
	if (open_listener(host, port, &fd, &bound, err, errlen) != 0)
		return Q_ERR;
	struct http_server *s = xcalloc(1, sizeof *s);
	s->lim = *lim;
	s->hooks = *hooks;
	s->port = bound;
	s->stats = xcalloc(hooks->nroutes + 1, sizeof *s->stats);
	atomic_init(&s->inflight, 0);
	atomic_init(&s->stopping, false);
	unsigned threads = lim->threads ? lim->threads : cores();
	unsigned workers = lim->workers ? lim->workers : (2 * cores() < 4 ? 4 : 2 * cores());
	if (workpool_new(&s->pool, workers, lim->work_queue ? lim->work_queue : 256) != 0) {
		snprintf(err, errlen, "cannot start the worker threads");
		goto fail;
	}
	workpool_set_cap(s->pool, CLASS_HASH, lim->hash_workers);
	/* The per-connection pool holds the request line and headers while they are read, MHD's bookkeeping
	 * for each header (query arguments never reach it: see on_uri) and the response headers. MHD 0.9.75
	 * zeroes all of it before each request on a connection, so it is kept no bigger than that. */
	size_t pool = lim->header_max + lim->url_max + 16384 + lim->response_headers_extra;
	/* MHD never sees the listening socket (see http/acceptor.c); MHD_USE_ITC wakes a worker thread at
	 * once when a connection is handed to it. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET;
	metrics_add_source(emit_metrics, s);
	s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	                             MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	                             MHD_OPTION_THREAD_POOL_SIZE, threads,
	                             MHD_OPTION_CONNECTION_TIMEOUT, lim->timeout_s,
	                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
	                             MHD_OPTION_CONNECTION_LIMIT, lim->max_connections ? lim->max_connections : connections_for_fd_limit(),
	                             MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->per_ip_connections,
	                             MHD_OPTION_STRICT_FOR_CLIENT, 1,
	                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                             MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	                             MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	                             MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	                             MHD_OPTION_END);
	if (!s->daemon) {
		char where[300];
		format_hostport(where, sizeof where, host, bound);
		snprintf(err, errlen, "cannot start the HTTP server on %s (see the log above)", where);
		goto fail;
	}
	s->acceptor = acceptor_start(fd, s->daemon);
	fd = -1; /* the acceptor's now, closed by it even when it could not start */
	if (!s->acceptor) {
		snprintf(err, errlen, "cannot start accepting connections (see the log above)");
		MHD_stop_daemon(s->daemon);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	workpool_free(s->pool);
	free(s->stats);
	free(s);
	return Q_ERR;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

#define STOP_FLUSH_MS 5000 /* for the last answers to be written */

/* Waits, in steps of 50 ms, until no request is in flight or ms have passed. */
static void wait_inflight(struct http_server *s, unsigned ms)
{
	for (unsigned waited = 0; atomic_load(&s->inflight) > 0 && waited < ms; waited += 50)
		usleep(50 * 1000);
}

void http_server_stop(struct http_server *s, unsigned grace_s)
{
	if (!s)
		return;
	/* New connections are refused at once: the listening socket is closed. */
	acceptor_stop(s->acceptor);
	/* Requests already being handled finish; idle keep-alive connections do not hold us up. */
	wait_inflight(s, grace_s * 1000);
	/* Whatever still waits for a worker answers 503 at once; every suspended connection is resumed
	 * before MHD stops (it refuses to stop with connections suspended). */
	atomic_store(&s->stopping, true);
	workpool_free(s->pool);
	/* The answers just resumed (the 503s, and the last jobs' own) are still to be written: MHD would close
	 * their connections unanswered. Give them a moment, bounded, as a client that stopped reading may never
	 * take its answer. */
	wait_inflight(s, STOP_FLUSH_MS);
	MHD_stop_daemon(s->daemon);
	free(s->stats);
	free(s);
}
