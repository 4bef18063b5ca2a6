/* Windows-1252 and control-character repair: the two things legacy text brings in. */
#include "core/charset.h"
#include <string.h>

/* 0x80-0x9F in Windows-1252; 0 where it defines nothing. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

uint32_t charset_cp1252(unsigned char b)
{
	if (b >= 0x80 && b <= 0x9F)
		return cp1252_high[b - 0x80];
	return b;
}

void charset_put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 4);
	}
}

bool charset_forbidden(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xFDD0 && cp <= 0xFDEF);
}

/* The code point of the (valid) sequence at s, and its length. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80 || n < 2) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0 || n < 4) {
		*cp = n < 3 ? 0xFFFD : ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return n < 3 ? n : 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
	      (s[3] & 0x3F);
	return 4;
}

/* Whether the byte at s[i] may start something to repair: a control byte, the lead byte of a C1
 * control (0xC2 0x80-0x9F), or of the non-characters (0xEF). Everything else is copied as it is. */
static bool suspect(const unsigned char *s, size_t i, size_t n)
{
	unsigned char c = s[i];
	if (c < 0x20)
		return c != '\t' && c != '\n' && c != '\r';
	if (c == 0x7F)
		return true;
	if (c == 0xC2)
		return i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F;
	return c == 0xEF;
}

bool charset_needs_repair(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < len; i++) {
		if (!suspect(s, i, len))
			continue;
		uint32_t cp;
		decode(s + i, len - i, &cp);
		if (charset_forbidden(cp) || (cp >= 0x80 && cp <= 0x9F))
			return true;
	}
	return false;
}

size_t charset_repair_controls(const char *str, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t changed = 0, start = 0, i = 0;
	buf_grow(out, len + 1);
	while (i < len) {
		if (!suspect(s, i, len)) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = decode(s + i, len - i, &cp);
		bool c1 = cp >= 0x80 && cp <= 0x9F;
		if (!c1 && !charset_forbidden(cp)) {
			i += k;
			continue;
		}
		buf_append(out, str + start, i - start);
		if (c1 && charset_cp1252((unsigned char)cp))
			charset_put_utf8(out, charset_cp1252((unsigned char)cp));
		changed++;
		i += k;
		start = i;
	}
	buf_append(out, str + start, len - start);
	return changed;
}

size_t charset_strip_forbidden(char *str, size_t *len)
{
	unsigned char *s = (unsigned char *)str;
	size_t n = *len, o = 0, gone = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = s[i];
		size_t k = 1;
		if (suspect(s, i, n))
			k = decode(s + i, n - i, &cp);
		if (suspect(s, i, n) && charset_forbidden(cp)) {
			gone++;
		} else {
			memmove(s + o, s + i, k);
			o += k;
		}
		i += k;
	}
	if (o < n)
		s[o] = 0;
	*len = o;
	return gone;
}
