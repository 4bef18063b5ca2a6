/* Strict parsers for urlencoded forms, query strings and Cookie headers; results live in the request arena. */
#include "http/form.h"
#include "core/err.h"
#include "core/utf8.h"
#include <string.h>

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out, size_t *outlen)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;

	*out = NULL;
	*outlen = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			/* A lenient decoder would pass "%zz" through; two spellings of one value
			 * are how filters get bypassed, so there is exactly one. */
			if (n - i < 3)
				return Q_EINVAL;
			int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return Q_EINVAL;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = (char)c;
		}
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return Q_EINVAL;
	*out = d;
	*outlen = j;
	return 0;
}

static void kv_push(struct arena *a, struct kvlist *l, const char *key, const char *value, size_t value_len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct kv *items = arena_alloc(a, cap * sizeof *items);
		if (l->n)
			memcpy(items, l->items, l->n * sizeof *items);
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n].key = key;
	l->items[l->n].value = value;
	l->items[l->n].value_len = value_len;
	l->n++;
}

int form_parse(struct arena *a, const char *data, size_t len, struct kvlist *out)
{
	int rc = 0;
	size_t i = 0, pairs = 0;

	out->items = NULL;
	out->n = out->cap = 0;
	while (i < len) {
		const char *seg = data + i;
		const char *amp = memchr(seg, '&', len - i);
		size_t seglen = amp ? (size_t)(amp - seg) : len - i;
		i += seglen + 1;
		if (seglen == 0)
			continue;
		/* Counted before anything is decoded or kept, "=x" pairs too: past the limit the rest of the
		 * body is not even looked at, so a hostile body costs one pass at most. */
		if (++pairs > FORM_MAX_FIELDS) {
			rc = Q_ETOOBIG;
			goto done;
		}

		const char *eq = memchr(seg, '=', seglen);
		size_t klen = eq ? (size_t)(eq - seg) : seglen;
		char *key, *value;
		size_t keylen, vlen;
		rc = url_decode(a, seg, klen, true, &key, &keylen);
		if (rc)
			goto done;
		if (eq) {
			rc = url_decode(a, eq + 1, seglen - klen - 1, true, &value, &vlen);
			if (rc)
				goto done;
		} else {
			value = "";
			vlen = 0;
		}
		/* "=x" names nothing; it is checked for encoding above but not kept. */
		if (klen == 0)
			continue;
		kv_push(a, out, key, value, vlen);
	}
done:
	if (rc) {
		out->items = NULL;
		out->n = out->cap = 0;
	}
	return rc;
}

/* RFC 7230 tchar: what a cookie name may be made of. */
static bool is_token_char(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return strchr("!#$%&'*+-.^_`|~", c) != NULL && c != '\0';
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

int cookie_parse(struct arena *a, const char *header, struct kvlist *out)
{
	out->items = NULL;
	out->n = out->cap = 0;
	if (!header)
		return 0;

	const char *p = header;
	while (*p) {
		const char *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		const char *s = p, *e = end;
		p = *end ? end + 1 : end;

		while (s < e && is_ows(*s))
			s++;
		while (e > s && is_ows(e[-1]))
			e--;
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (!eq)
			continue;
		const char *ne = eq, *vs = eq + 1;
		while (ne > s && is_ows(ne[-1]))
			ne--;
		while (vs < e && is_ows(*vs))
			vs++;
		if (ne == s)
			continue;
		bool ok = true;
		for (const char *q = s; q < ne && ok; q++)
			ok = is_token_char((unsigned char)*q);
		if (!ok)
			continue;
		if (e - vs >= 2 && *vs == '"' && e[-1] == '"') {
			vs++;
			e--;
		}
		for (const char *q = vs; q < e && ok; q++)
			ok = (unsigned char)*q >= 0x20 && *q != 0x7f;
		if (!ok || !utf8_valid(vs, (size_t)(e - vs)))
			continue;
		if (out->n == FORM_MAX_FIELDS) {
			out->items = NULL;
			out->n = out->cap = 0;
			return Q_ETOOBIG;
		}
		kv_push(a, out, arena_strndup(a, s, (size_t)(ne - s)),
			arena_strndup(a, vs, (size_t)(e - vs)), (size_t)(e - vs));
	}
	return 0;
}

const char *kv_get(const struct kvlist *l, const char *key)
{
	if (!l || !key)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

const char **kv_get_all(struct arena *a, const struct kvlist *l, const char *key, size_t *count)
{
	size_t n = 0, j = 0;

	if (l && key)
		for (size_t i = 0; i < l->n; i++)
			n += strcmp(l->items[i].key, key) == 0;
	const char **v = arena_alloc(a, (n + 1) * sizeof *v);
	for (size_t i = 0; j < n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			v[j++] = l->items[i].value;
	v[n] = NULL;
	if (count)
		*count = n;
	return v;
}

void kv_each_declared(const struct kvlist *l, const char *declared,
                      void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
	char name[64];
	for (const char *q = declared ? declared : ""; *q;) {
		size_t n = strcspn(q, " ");
		if (n && n < sizeof name) {
			memcpy(name, q, n);
			name[n] = '\0';
			const char *v = kv_get(l, name);
			if (v)
				fn(ctx, name, v);
		}
		q += n;
		q += strspn(q, " ");
	}
}

void kv_add(struct arena *a, struct kvlist *l, const char *key, const char *value)
{
	if (!value)
		value = "";
	size_t vlen = strlen(value);
	kv_push(a, l, arena_strdup(a, key), arena_strndup(a, value, vlen), vlen);
}
