/* The media host allow-list: parsing config entries, matching embed and audio/video URLs, writing CSP sources. */
#include "html/media_hosts.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char MEDIA_HOSTS_AO3[] =
	"archiveofourown.org archive.org/embed/ http://criticalcommons.org 8tracks.com google.com podfic.com "
	"soundcloud.com w.soundcloud.com spotify.com open.spotify.com vidders.net viddertube.com vimeo.com "
	"player.vimeo.com youtube.com youtube-nocookie.com bilibili.com player.bilibili.com";

struct media_host {
	bool http;     /* an http:// entry: the source keeps its scheme */
	bool wildcard; /* *.host */
	char host[MEDIA_HOST_MAX + 1];
	unsigned port; /* 0: the scheme's default */
	char path[MEDIA_HOST_MAX + 1]; /* "" or a prefix starting and ending with '/' */
};

struct media_hosts {
	size_t n;
	struct media_host e[];
};

/* A URL (or entry) taken apart; host lower-cased into the struct, rest points into the input. */
struct url_parts {
	bool http;        /* written http:// (scheme-relative counts as https) */
	char host[MEDIA_HOST_MAX + 1];
	unsigned port;    /* 0 when absent or the scheme's default */
	const char *rest; /* path, query and fragment as given */
};

static bool has_prefix_ci(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* host[:port] of s[0..n): lower-cased host of host characters, no empty label, port 1..65535. */
static bool parse_authority(const char *s, size_t n, char *host, unsigned *port)
{
	size_t h = n;
	*port = 0;
	const char *colon = memchr(s, ':', n);
	if (colon) {
		h = (size_t)(colon - s);
		size_t digits = n - h - 1;
		if (digits == 0 || digits > 5)
			return false;
		unsigned long v = 0;
		for (size_t i = h + 1; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v = v * 10 + (unsigned long)(s[i] - '0');
		}
		if (v == 0 || v > 65535)
			return false;
		*port = (unsigned)v;
	}
	if (h == 0 || h > MEDIA_HOST_MAX)
		return false;
	for (size_t i = 0; i < h; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!host_char(c))
			return false;
		host[i] = c;
	}
	host[h] = '\0';
	return host[0] != '.' && host[h - 1] != '.' && !strstr(host, "..") && host[0] != '-';
}

/* A path segment that a URL parser would read as "." or ".." (%2e is a dot to it). */
static bool dot_segment(const char *s, size_t n)
{
	size_t dots = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '.') {
			dots++, i++;
		} else if (i + 3 <= n && s[i] == '%' && s[i + 1] == '2' && (s[i + 2] == 'e' || s[i + 2] == 'E')) {
			dots++, i += 3;
		} else {
			return false;
		}
	}
	return dots == 1 || dots == 2;
}

/* The path of a URL: no backslash, no encoded '/' or '\', no dot segment, nothing below U+0021. */
static bool plain_path(const char *p, size_t n)
{
	size_t seg = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || p[i] == '/') {
			if (dot_segment(p + seg, i - seg))
				return false;
			seg = i + 1;
			continue;
		}
		unsigned char c = (unsigned char)p[i];
		if (c <= 0x20 || c == 0x7F || c == '\\')
			return false;
		if (c == '%' && i + 2 < n && p[i + 1] == '2' && (p[i + 2] == 'f' || p[i + 2] == 'F'))
			return false;
		if (c == '%' && i + 2 < n && p[i + 1] == '5' && (p[i + 2] == 'c' || p[i + 2] == 'C'))
			return false;
	}
	return true;
}

static bool parse_url(const char *u, struct url_parts *p)
{
	const char *s;
	if (has_prefix_ci(u, "https://"))
		p->http = false, s = u + 8;
	else if (has_prefix_ci(u, "http://"))
		p->http = true, s = u + 7;
	else if (!strncmp(u, "//", 2))
		p->http = false, s = u + 2;
	else
		return false;
	size_t a = strcspn(s, "/?#");
	if (!parse_authority(s, a, p->host, &p->port))
		return false;
	if (p->port == (p->http ? 80u : 443u))
		p->port = 0;
	p->rest = s + a;
	size_t path = strcspn(p->rest, "?#");
	if (!plain_path(p->rest, path))
		return false;
	for (const char *q = p->rest + path; *q; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7F || *q == '\\')
			return false;
	return true;
}

/* Characters an entry's path may hold: nothing that could end a CSP source or directive. */
static bool path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/%+", c);
}

static bool parse_entry(const char *s, size_t n, struct media_host *e)
{
	memset(e, 0, sizeof *e);
	if (n >= 8 && has_prefix_ci(s, "https://"))
		s += 8, n -= 8;
	else if (n >= 7 && has_prefix_ci(s, "http://"))
		e->http = true, s += 7, n -= 7;
	if (n >= 2 && s[0] == '*' && s[1] == '.')
		e->wildcard = true, s += 2, n -= 2;
	size_t a = 0;
	while (a < n && s[a] != '/')
		a++;
	if (!parse_authority(s, a, e->host, &e->port))
		return false;
	if (e->port == (e->http ? 80u : 443u))
		e->port = 0;
	if (a < n) {
		size_t pn = n - a;
		if (pn > MEDIA_HOST_MAX || s[n - 1] != '/' || !plain_path(s + a, pn))
			return false;
		for (size_t i = a; i < n; i++)
			if (!path_char(s[i]))
				return false;
		if (pn > 1) /* "host/" is the whole host */
			memcpy(e->path, s + a, pn);
	}
	return true;
}

/* Appends the entries of list to h; "ao3" stands for AO3's list (once: it holds no "ao3" itself). */
static int parse_list(struct media_hosts *h, const char *list, char *err, size_t errlen)
{
	const char *p = list;
	while (*p) {
		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		size_t n = strcspn(p, ", \t\n\r");
		if (!n)
			break;
		if (n == 3 && !strncasecmp(p, "ao3", 3)) {
			if (parse_list(h, MEDIA_HOSTS_AO3, err, errlen) != 0)
				return Q_EINVAL;
			p += n;
			continue;
		}
		if (h->n == MEDIA_HOSTS_MAX) {
			snprintf(err, errlen, "more than %d media hosts", MEDIA_HOSTS_MAX);
			return Q_EINVAL;
		}
		if (n > MEDIA_HOST_MAX + 8 || !parse_entry(p, n, &h->e[h->n])) {
			snprintf(err, errlen, "bad media host \"%.*s\" (HOST, *.HOST, HOST:PORT, HOST/PATH/ or http://HOST)",
			         (int)(n > 80 ? 80 : n), p);
			return Q_EINVAL;
		}
		h->n++;
		p += n;
	}
	return 0;
}

int media_hosts_parse(const char *list, struct media_hosts **out, char *err, size_t errlen)
{
	*out = NULL;
	struct media_hosts *h = xcalloc(1, sizeof *h + MEDIA_HOSTS_MAX * sizeof h->e[0]);
	if (parse_list(h, list ? list : "", err, errlen) != 0) {
		free(h);
		return Q_EINVAL;
	}
	*out = h;
	return 0;
}

void media_hosts_free(struct media_hosts *h)
{
	free(h);
}

size_t media_hosts_count(const struct media_hosts *h)
{
	return h ? h->n : 0;
}

/* A domain name of two labels (youtube.com): "www." + it is the same site, as AO3 treats it. */
static bool has_www_twin(const struct media_host *e)
{
	if (e->wildcard)
		return false;
	const char *dot = strchr(e->host, '.');
	if (!dot || strchr(dot + 1, '.'))
		return false;
	for (const char *c = e->host; *c; c++)
		if ((*c >= 'a' && *c <= 'z') || *c == '-')
			return true;
	return false;
}

static bool host_matches(const struct media_host *e, const char *host)
{
	size_t hn = strlen(host), en = strlen(e->host);
	if (e->wildcard)
		return hn > en + 1 && host[hn - en - 1] == '.' && !strcmp(host + hn - en, e->host);
	return !strcmp(host, e->host) ||
	       (has_www_twin(e) && hn == en + 4 && !strncmp(host, "www.", 4) && !strcmp(host + 4, e->host));
}

bool media_hosts_match(const struct media_hosts *h, const char *url, struct buf *out)
{
	struct url_parts u;
	if (!h || !url || !parse_url(url, &u))
		return false;
	for (size_t i = 0; i < h->n; i++) {
		const struct media_host *e = &h->e[i];
		if (!host_matches(e, u.host) || u.port != e->port)
			continue;
		if (e->path[0] && strncmp(u.rest, e->path, strlen(e->path)))
			continue;
		buf_reset(out);
		buf_puts(out, e->http && u.http ? "http://" : "https://");
		buf_puts(out, u.host);
		if (u.port)
			buf_printf(out, ":%u", u.port);
		buf_puts(out, u.rest);
		return true;
	}
	return false;
}

/* A source for e: https ones without their scheme (which then means the page's: https on an https site;
 * this sanitizer writes no http address for them), to keep the header short behind proxies that cap it. */
static void csp_source(struct buf *out, const struct media_host *e, bool www)
{
	if (out->len)
		buf_putc(out, ' ');
	buf_puts(out, e->http ? "http://" : "");
	buf_puts(out, e->wildcard ? "*." : www ? "www." : "");
	buf_puts(out, e->host);
	if (e->port)
		buf_printf(out, ":%u", e->port);
	buf_puts(out, e->path);
}

void media_hosts_csp(const struct media_hosts *h, struct buf *out)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; h && i < h->n; i++) {
		csp_source(&b, &h->e[i], false);
		if (has_www_twin(&h->e[i]))
			csp_source(&b, &h->e[i], true);
	}
	buf_puts(out, b.len ? b.data : "'none'");
	buf_free(&b);
}
