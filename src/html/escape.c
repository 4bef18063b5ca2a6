/* Escapers per output context. */
#include "html/escape.h"
#include <string.h>

size_t esc_noncharacter(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n < 3 || s[0] != 0xEF)
		return 0;
	if (s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
		return 3;
	if (s[1] == 0xB7 && s[2] >= 0x90 && s[2] <= 0xAF)
		return 3;
	return 0;
}

void esc_html(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = "";
		size_t skip = 1;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\t': case '\n': case '\r': continue;
		case 0xEF:
			if (!(skip = esc_noncharacter(s + i, n - i)))
				continue;
			break;
		default:
			if (c >= 0x20 && c != 0x7F)
				continue;
			break; /* a control character: dropped */
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		i += skip - 1;
		start = i + 1;
	}
	buf_append(out, s + start, n - start);
}

void esc_url(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(out, e, 3);
		}
	}
}

void esc_json(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(out, "\\\""); continue;
		case '\\': buf_puts(out, "\\\\"); continue;
		case '\n': buf_puts(out, "\\n"); continue;
		case '\r': buf_puts(out, "\\r"); continue;
		case '\t': buf_puts(out, "\\t"); continue;
		case '<': case '>': case '&': case '\'':
			break;
		default:
			/* U+2028 and U+2029 end lines in JavaScript. */
			if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
				buf_puts(out, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
				i += 2;
				continue;
			}
			if (c >= 0x20) {
				buf_putc(out, (char)c);
				continue;
			}
		}
		char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		buf_append(out, e, 6);
	}
	buf_putc(out, '"');
}

char *esc_html_a(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	esc_html(&b, s, strlen(s));
	char *r = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return r;
}

char *esc_url_a(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	esc_url(&b, s, strlen(s));
	char *r = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return r;
}
