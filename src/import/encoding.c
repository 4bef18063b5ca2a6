/* Text encodings of imported files: byte-order marks, UTF-8, UTF-16, Windows-1252 (and Latin-1), declared
 * charsets, and UTF-8 that was encoded twice. */
#include "import/import_int.h"
#include "core/charset.h"
#include "core/err.h"
#include "core/utf8.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Appends data[0..len) as UTF-8, dropping NUL bytes (text never holds them; C strings end there). */
static void copy_utf8(struct buf *out, const unsigned char *data, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i])
			continue;
		buf_append(out, data + start, i - start);
		start = i + 1;
	}
	buf_append(out, data + start, len - start);
}

/* Valid UTF-8 apart from NUL bytes (which copy_utf8 drops). */
static bool utf8_valid_nul(const unsigned char *data, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && data[i])
			continue;
		if (!utf8_valid((const char *)data + start, i - start))
			return false;
		start = i + 1;
	}
	return true;
}

static void from_cp1252(struct buf *out, const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint32_t cp = charset_cp1252(data[i]);
		if (cp)
			charset_put_utf8(out, cp);
	}
}

/* UTF-16 (big_endian or not) to UTF-8; unpaired surrogates become U+FFFD. */
static void from_utf16(struct buf *out, const unsigned char *data, size_t len, bool big_endian)
{
	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(data[i] << 8 | data[i + 1]) : (uint32_t)(data[i + 1] << 8 | data[i]);
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			uint32_t v = big_endian ? (uint32_t)(data[i + 2] << 8 | data[i + 3])
			                        : (uint32_t)(data[i + 3] << 8 | data[i + 2]);
			if (v >= 0xDC00 && v <= 0xDFFF) {
				charset_put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
				i += 2;
				continue;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF)
			u = 0xFFFD;
		if (u)
			charset_put_utf8(out, u);
	}
}

/* Whether the bytes look like UTF-16 without a mark: many NULs in alternate positions of ASCII text. */
static int utf16_guess(const unsigned char *data, size_t len)
{
	size_t even = 0, odd = 0, n = len < 4096 ? len : 4096;
	for (size_t i = 0; i + 1 < n; i += 2) {
		even += data[i] == 0;
		odd += data[i + 1] == 0;
	}
	if (n >= 8 && odd > n / 4 && even == 0)
		return 1; /* little-endian: "a\0b\0" */
	if (n >= 8 && even > n / 4 && odd == 0)
		return 2;
	return 0;
}

static bool names_cp1252(const char *cs)
{
	static const char *const names[] = {"windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1",
	                                    "latin-1", "iso-8859-15", "us-ascii", "ascii", "x-cp1252", "l1"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(cs, names[i]))
			return true;
	return false;
}

int import_decode(struct arena *a, const unsigned char *data, size_t len, const char *declared, char **out,
                  size_t *outlen, const char **from)
{
	*from = NULL;
	if (len > IMPORT_TEXT_MAX)
		return Q_ETOOBIG;
	struct buf b = BUF_INIT;
	int guess = utf16_guess(data, len);
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		copy_utf8(&b, data + 3, len - 3);
	} else if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
		from_utf16(&b, data + 2, len - 2, data[0] == 0xFE);
		*from = "UTF-16";
	} else if (guess) {
		from_utf16(&b, data, len, guess == 2);
		*from = "UTF-16";
	} else if (utf8_valid_nul(data, len)) {
		copy_utf8(&b, data, len);
	} else {
		/* Not UTF-8: what the document declares when we read it, else Windows-1252, which is what
		 * "Latin-1" text from Windows really is and decodes every byte. */
		from_cp1252(&b, data, len);
		*from = declared && names_cp1252(declared) && strncasecmp(declared, "windows", 7) != 0 ? "Latin-1"
		                                                                                        : "Windows-1252";
	}
	/* Whatever came in, what goes out is valid UTF-8 (UTF-16 with broken pairs, say). */
	if (!utf8_valid(buf_cstr(&b), b.len)) {
		struct buf c = BUF_INIT;
		from_cp1252(&c, (const unsigned char *)buf_cstr(&b), b.len);
		buf_free(&b);
		b = c;
		*from = "Windows-1252";
	}
	if (b.len > IMPORT_TEXT_MAX) {
		buf_free(&b);
		return Q_ETOOBIG;
	}
	*out = arena_strndup(a, buf_cstr(&b), b.len);
	*outlen = b.len;
	buf_free(&b);
	return 0;
}

/* ---- Double-encoded UTF-8 ---- */

/* The byte Windows-1252 (or Latin-1) writes as cp, or -1 when none does. */
static int cp1252_byte(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (int)cp;
	for (int b = 0x80; b <= 0x9F; b++)
		if (charset_cp1252((unsigned char)b) == cp)
			return b;
	if (cp >= 0x80 && cp <= 0x9F) /* already a C1 control: its own byte */
		return (int)cp;
	return -1;
}

static size_t decode1(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	if (k > n) {
		*cp = 0xFFFD;
		return n;
	}
	uint32_t v = s[0] & (0x3F >> (k - 1));
	for (size_t i = 1; i < k; i++)
		v = (v << 6) | (s[i] & 0x3F);
	*cp = v;
	return k;
}

const char *import_fix_mojibake(struct arena *a, const char *str, size_t *fixed)
{
	*fixed = 0;
	if (!str)
		return "";
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	/* Quick test: every double encoding starts with Ã (C3 83) .. ô (C3 B4) or Â (C3 82). */
	if (!memchr(str, 0xC3, n))
		return str;
	struct buf out = BUF_INIT;
	size_t i = 0, start = 0;
	while (i < n) {
		if (s[i] != 0xC3 || i + 1 >= n) {
			i++;
			continue;
		}
		/* The lead: a character from U+00C2 to U+00F4 (as the byte of a UTF-8 lead byte). */
		uint32_t cp;
		size_t k = decode1(s + i, n - i, &cp);
		int lead = cp1252_byte(cp);
		int need = lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2 : lead >= 0xF0 && lead <= 0xF4 ? 3 : 0;
		if (!need) {
			i += k;
			continue;
		}
		unsigned char bytes[4] = {(unsigned char)lead};
		size_t j = i + k;
		bool ok = true;
		for (int m = 1; m <= need && ok; m++) {
			if (j >= n) {
				ok = false;
				break;
			}
			uint32_t c2;
			size_t k2 = decode1(s + j, n - j, &c2);
			int b = cp1252_byte(c2);
			if (b < 0x80 || b > 0xBF)
				ok = false;
			bytes[m] = (unsigned char)b;
			j += k2;
		}
		if (!ok || !utf8_valid((const char *)bytes, (size_t)need + 1)) {
			i += k;
			continue;
		}
		buf_append(&out, str + start, i - start);
		buf_append(&out, bytes, (size_t)need + 1);
		(*fixed)++;
		i = start = j;
	}
	if (!*fixed) {
		buf_free(&out);
		return str;
	}
	buf_append(&out, str + start, n - start);
	const char *r = arena_strndup(a, buf_cstr(&out), out.len);
	buf_free(&out);
	return r;
}

/* ---- Declared charsets ---- */

const char *import_html_charset(struct arena *a, const unsigned char *data, size_t len)
{
	size_t n = len < 2048 ? len : 2048;
	for (size_t i = 0; i + 8 < n; i++) {
		if (strncasecmp((const char *)data + i, "charset", 7) != 0)
			continue;
		size_t j = i + 7;
		while (j < n && (data[j] == ' ' || data[j] == '='))
			j++;
		while (j < n && (data[j] == '"' || data[j] == '\''))
			j++;
		size_t k = j;
		while (k < n && (isalnum(data[k]) || data[k] == '-' || data[k] == '_'))
			k++;
		if (k > j && k - j < 40)
			return arena_strndup(a, (const char *)data + j, k - j);
	}
	return NULL;
}
