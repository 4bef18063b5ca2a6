/* Where a redirect may send a reader: only paths on this site, with nothing a browser would strip or
 * reinterpret (tabs and newlines vanish from URLs, "\" counts as "/", "//host" leaves the site). */
#include "web/web.h"
#include <stdint.h>
#include <string.h>

#define RETURN_PATH_MAX 1000

/* White space and invisible format characters beyond ASCII (code points, from valid UTF-8). */
static bool unicode_space(uint32_t c)
{
	return c == 0x85 || c == 0xa0 || c == 0x1680 || c == 0x180e || (c >= 0x2000 && c <= 0x200f) ||
	       (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f) || c == 0x3000 || c == 0xfeff;
}

/* True when s[0..n) holds an ASCII control character, space, backslash, or (decoding UTF-8 where it is
 * valid) a Unicode space or format character. */
static bool has_bad_char(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		if (b <= 0x20 || b == 0x7f || b == '\\')
			return true;
		if (b < 0x80) {
			i++;
			continue;
		}
		size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		uint32_t c = len == 1 ? b : b & (0x7f >> len);
		if (i + len > n)
			return false; /* a truncated sequence is no space */
		for (size_t k = 1; k < len; k++)
			c = (c << 6) | (s[i + k] & 0x3f);
		if (unicode_space(c))
			return true;
		i += len;
	}
	return false;
}

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decodes p once into out (at most RETURN_PATH_MAX bytes); broken escapes stay as they are. */
static size_t decode(const char *p, unsigned char *out)
{
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)p; *s && n < RETURN_PATH_MAX; s++) {
		int hi, lo;
		if (s[0] == '%' && (hi = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0) {
			out[n++] = (unsigned char)(hi * 16 + lo);
			s += 2;
		} else {
			out[n++] = *s;
		}
	}
	return n;
}

static bool leaves_site(const unsigned char *s, size_t n)
{
	return n < 1 || s[0] != '/' || (n > 1 && (s[1] == '/' || s[1] == '\\'));
}

bool web_return_path_ok(const char *p)
{
	if (!p)
		return false;
	size_t n = strlen(p);
	if (n == 0 || n > RETURN_PATH_MAX)
		return false;
	if (leaves_site((const unsigned char *)p, n) || has_bad_char((const unsigned char *)p, n))
		return false;
	unsigned char d[RETURN_PATH_MAX];
	size_t dn = decode(p, d);
	return !leaves_site(d, dn) && !has_bad_char(d, dn);
}

const char *web_return_path(const char *p)
{
	return web_return_path_ok(p) ? p : "/";
}
