/* multipart/form-data: parts between "--boundary" lines, each with its headers; strict where strictness
 * costs nobody (a part without a name, broken headers, text that is not UTF-8 are refused). */
#include "http/multipart.h"
#include "core/err.h"
#include "core/utf8.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70 /* RFC 2046 */
#define PART_HEADERS_MAX 8192

const char *multipart_boundary(struct arena *a, const char *ct)
{
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return NULL;
	for (const char *p = ct + 19; (p = strchr(p, ';'));) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		size_t n;
		if (*p == '"') {
			const char *end = strchr(++p, '"');
			if (!end)
				return NULL;
			n = (size_t)(end - p);
		} else {
			n = strcspn(p, "; \t");
		}
		if (n == 0 || n > BOUNDARY_MAX)
			return NULL;
		return arena_strndup(a, p, n);
	}
	return NULL;
}

/* The value of parameter name in a Content-Disposition header (quoted or not), arena; NULL when absent. */
static const char *param(struct arena *a, const char *h, size_t hn, const char *name)
{
	size_t k = strlen(name);
	for (size_t i = 0; i + k + 1 < hn; i++) {
		if (h[i] != ';' && h[i] != ' ')
			continue;
		size_t j = i + 1;
		while (j < hn && h[j] == ' ')
			j++;
		if (j + k >= hn || strncasecmp(h + j, name, k) != 0 || h[j + k] != '=')
			continue;
		j += k + 1;
		if (j < hn && h[j] == '"') {
			size_t e = ++j;
			while (e < hn && h[e] != '"')
				e++;
			return e < hn ? arena_strndup(a, h + j, e - j) : NULL;
		}
		size_t e = j;
		while (e < hn && h[e] != ';' && h[e] != ' ')
			e++;
		return arena_strndup(a, h + j, e - j);
	}
	return NULL;
}

/* Browsers send a bare name, old ones a path: keep what follows the last separator. */
static const char *basename_of(const char *s)
{
	const char *slash = strrchr(s, '/'), *bslash = strrchr(s, '\\');
	if (bslash && (!slash || bslash > slash))
		slash = bslash;
	return slash ? slash + 1 : s;
}

int multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len, struct kvlist *form,
                    struct http_file **files, size_t *nfiles)
{
	*files = NULL;
	*nfiles = 0;
	size_t bn = strlen(boundary);
	if (bn == 0 || bn > BOUNDARY_MAX)
		return Q_EINVAL;
	/* "\r\n--boundary": every delimiter but the first starts on a new line */
	char *delim = arena_alloc(a, bn + 5);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bn + 1);
	size_t dn = bn + 4;
	/* the first delimiter, with or without a preamble before it */
	const char *p;
	if (len >= dn - 2 && !memcmp(body, delim + 2, dn - 2))
		p = body + dn - 2;
	else {
		p = memmem(body, len, delim, dn);
		if (!p)
			return Q_EINVAL;
		p += dn;
	}
	const char *end = body + len;
	size_t parts = 0, cap = 0;
	struct http_file *out = NULL;
	for (;;) {
		/* after a delimiter: "--" ends the body, CRLF starts a part */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return Q_EINVAL;
		p += 2;
		if (++parts > FORM_MAX_FIELDS)
			return Q_ETOOBIG;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend || hend - p > PART_HEADERS_MAX) {
			/* a part with no headers at all starts with the blank line */
			if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
				hend = p - 2;
			else
				return Q_EINVAL;
		}
		const char *name = NULL, *filename = NULL, *ctype = "";
		for (const char *h = p; h < hend;) {
			const char *eol = memmem(h, (size_t)(hend - h), "\r\n", 2);
			size_t hl = eol ? (size_t)(eol - h) : (size_t)(hend - h);
			if (hl > 20 && !strncasecmp(h, "Content-Disposition:", 20)) {
				name = param(a, h + 20, hl - 20, "name");
				filename = param(a, h + 20, hl - 20, "filename");
			} else if (hl > 13 && !strncasecmp(h, "Content-Type:", 13)) {
				const char *v = h + 13;
				size_t vn = hl - 13;
				while (vn && *v == ' ')
					v++, vn--;
				ctype = arena_strndup(a, v, vn);
			}
			h += hl + 2;
		}
		const char *data = hend + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, dn);
		if (!next)
			return Q_EINVAL;
		size_t dlen = (size_t)(next - data);
		if (!name || !utf8_valid(name, strlen(name)))
			return Q_EINVAL;
		if (filename) {
			if (!utf8_valid(filename, strlen(filename)))
				return Q_EINVAL;
			/* an empty file input sends a part with an empty name and nothing in it: not a file */
			if (*filename || dlen) {
				if (*nfiles >= MULTIPART_FILES_MAX)
					return Q_ETOOBIG;
				if (*nfiles == cap) {
					cap = cap ? cap * 2 : 8;
					struct http_file *more = arena_alloc(a, cap * sizeof *more);
					if (*nfiles)
						memcpy(more, out, *nfiles * sizeof *more);
					out = more;
				}
				out[(*nfiles)++] = (struct http_file){name, basename_of(filename), ctype,
				                                      (const unsigned char *)data, dlen};
			}
		} else {
			if (!utf8_valid(data, dlen))
				return Q_EINVAL;
			kv_add(a, form, name, arena_strndup(a, data, dlen));
		}
		p = next + dn;
	}
	*files = out;
	return 0;
}
