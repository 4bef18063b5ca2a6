/* HTTP server on libmicrohttpd: limits, body collection, decoding, and response conversion. */
#include "http/server.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_limits lim;
	http_handler handler;
	http_error_handler on_error;
	void *ctx;
	atomic_int inflight;
};

struct http_frozen {
	struct MHD_Response *r;
	int status;
	size_t bytes; /* body length, for the access log */
	atomic_int refs;
};

/* Per-connection request state, from the first callback to the completion notice. */
struct reqstate {
	struct arena *arena;
	struct buf body;
	int limit_status;   /* 413/414/431 found before the body was read; 0 = none */
	int status;
	unsigned long bytes;
	struct timespec start;
	char method[16];
	char *path_for_log;
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
	return f;
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

struct collect {
	struct arena *arena;
	struct kvlist *out;
	const char **bad;
	size_t total;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct collect *c = cls;
	char *k, *v;
	size_t klen, vlen;
	if (*c->bad)
		return MHD_NO;
	if (url_decode(c->arena, key, strlen(key), true, &k, &klen) != 0 ||
	    url_decode(c->arena, value ? value : "", value ? strlen(value) : 0, true, &v, &vlen) != 0) {
		*c->bad = "The query string is not valid percent-encoded UTF-8.";
		return MHD_NO;
	}
	if (klen == 0)
		return MHD_YES;
	if (c->out->n >= FORM_MAX_FIELDS) {
		*c->bad = "Too many query arguments.";
		return MHD_NO;
	}
	kv_add(c->arena, c->out, k, v);
	return MHD_YES;
}

static enum MHD_Result sum_headers(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct collect *c = cls;
	c->total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static const char *client_ip(struct arena *a, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, sizeof ip);
	}
	return arena_strdup(a, ip);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct reqstate *st, struct http_response *resp)
{
	enum MHD_Result ok;
	if (resp->frozen) {
		st->status = resp->frozen->status;
		st->bytes = resp->frozen->bytes;
		ok = MHD_queue_response(conn, (unsigned)resp->frozen->status, resp->frozen->r);
		http_frozen_release(resp->frozen);
		resp->frozen = NULL;
		buf_free(&resp->body);
		drop_body_refs(resp);
		return ok;
	}
	st->status = resp->status;
	st->bytes = uses_chunks(resp) ? http_response_body_len(resp) : resp->body.len;
	struct MHD_Response *r = build_mhd_response(resp);
	buf_free(&resp->body);
	if (!r)
		return MHD_NO;
	ok = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ok;
}

static void init_request(struct http_request *req, struct reqstate *st, struct MHD_Connection *conn,
                         const char *url, const char *method)
{
	memset(req, 0, sizeof *req);
	req->arena = st->arena;
	req->conn = conn;
	req->method = arena_strdup(st->arena, method);
	req->raw_path = arena_strdup(st->arena, url);
	req->path = req->raw_path;
	req->body = buf_cstr(&st->body);
	req->body_len = st->body.len;
	req->client_ip = client_ip(st->arena, conn);
}

static void init_response(struct http_response *resp)
{
	memset(resp, 0, sizeof *resp);
	resp->status = 200;
	buf_init(&resp->body);
}

static void decode_request(struct http_request *req)
{
	char *path;
	size_t plen;
	if (url_decode(req->arena, req->raw_path, strlen(req->raw_path), false, &path, &plen) != 0) {
		req->bad_input = "The address is not valid percent-encoded UTF-8.";
		return;
	}
	req->path = path;
	struct collect c = {req->arena, &req->query, &req->bad_input, 0};
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect_query, &c);
	if (req->bad_input)
		return;
	const char *cookie = http_header_get(req, "Cookie");
	if (cookie)
		cookie_parse(req->arena, cookie, &req->cookies);
	const char *ctype = http_header_get(req, "Content-Type");
	if (req->body_len && ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		int rc = form_parse(req->arena, req->body, req->body_len, &req->form);
		if (rc == Q_ETOOBIG)
			req->bad_input = "The form has too many fields.";
		else if (rc != 0)
			req->bad_input = "The form data is not valid percent-encoded UTF-8.";
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct http_server *s = cls;
	struct reqstate *st = *con_cls;
	if (!st) {
		st = xcalloc(1, sizeof *st);
		st->arena = arena_new();
		buf_init(&st->body);
		clock_gettime(CLOCK_MONOTONIC, &st->start);
		snprintf(st->method, sizeof st->method, "%s", method);
		st->path_for_log = arena_strdup(st->arena, url);
		*con_cls = st;
		atomic_fetch_add(&s->inflight, 1);
		struct collect c = {0};
		MHD_get_connection_values(conn, MHD_HEADER_KIND, sum_headers, &c);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		struct collect q = {0};
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, sum_headers, &q);
		if (strlen(url) + q.total > s->lim.url_max)
			st->limit_status = MHD_HTTP_URI_TOO_LONG;
		else if (c.total > s->lim.header_max)
			st->limit_status = MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE;
		else if (cl && strtoull(cl, NULL, 10) > s->lim.body_max)
			st->limit_status = MHD_HTTP_CONTENT_TOO_LARGE;
		if (st->limit_status)
			goto respond; /* answer before reading a body we will not accept */
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!st->limit_status && st->body.len + *upload_data_size > s->lim.body_max)
			st->limit_status = MHD_HTTP_CONTENT_TOO_LARGE;
		if (!st->limit_status)
			buf_append(&st->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
respond:;
	struct http_request req;
	struct http_response resp;
	init_request(&req, st, conn, url, method);
	init_response(&resp);
	if (st->limit_status) {
		const char *msg = st->limit_status == MHD_HTTP_URI_TOO_LONG ? "The address is too long."
		                  : st->limit_status == MHD_HTTP_CONTENT_TOO_LARGE ? "The request body is too large."
		                  : "The request headers are too large.";
		s->on_error(s->ctx, &req, &resp, st->limit_status, msg);
		http_response_header(&resp, st->arena, "Connection", "close");
		return send_response(conn, st, &resp);
	}
	decode_request(&req);
	if (req.bad_input)
		s->on_error(s->ctx, &req, &resp, MHD_HTTP_BAD_REQUEST, req.bad_input);
	else
		s->handler(s->ctx, &req, &resp);
	return send_response(conn, st, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct reqstate *st = *con_cls;
	if (!st)
		return;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ms = (double)(end.tv_sec - st->start.tv_sec) * 1e3 + (double)(end.tv_nsec - st->start.tv_nsec) / 1e6;
	log_access(client_ip(st->arena, conn), st->method, st->path_for_log, st->status, st->bytes, ms);
	buf_free(&st->body);
	arena_free(st->arena);
	free(st);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
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

int http_server_start(struct http_server **out, const char *host, unsigned port, const struct http_limits *lim,
                      http_handler handler, http_error_handler on_error, void *ctx)
{
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%u", port);
	if (getaddrinfo(host, portstr, &hints, &ai) != 0 || !ai) {
		log_error("cannot resolve listen address %s", host);
		return Q_ERR;
	}
	struct http_server *s = xcalloc(1, sizeof *s);
	s->lim = *lim;
	s->handler = handler;
	s->on_error = on_error;
	s->ctx = ctx;
	atomic_init(&s->inflight, 0);
	unsigned threads = lim->threads ? lim->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, s,
	                             MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	                             MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	                             MHD_OPTION_THREAD_POOL_SIZE, threads,
	                             MHD_OPTION_CONNECTION_TIMEOUT, lim->timeout_s,
	                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(lim->header_max + lim->url_max + 16384),
	                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                             MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	                             MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
	                             MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!s->daemon) {
		log_error("cannot listen on %s:%u", host, port);
		free(s);
		return Q_ERR;
	}
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s, unsigned grace_s)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* Requests already being handled finish; idle keep-alive connections do not hold us up. */
	for (unsigned waited = 0; atomic_load(&s->inflight) > 0 && waited < grace_s * 20; waited++)
		usleep(50 * 1000);
	MHD_stop_daemon(s->daemon);
	free(s);
}
