/* Cleaning one-line text: trimming, white space, bidirectional controls, invisible-only text, capped lists. */
#include "archive/text.h"
#include "core/charset.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include <strings.h>
#include <string.h>
#include <unicode/uchar.h>
#include <utf8proc.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool is_bidi_control(int32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F ||
	       c == 0x061C;
}

char *archive_trim(struct arena *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

char *archive_clean_line(struct arena *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	size_t len = strlen(s);
	/* A C1 control (2 bytes) may become 3: room for that. */
	char *out = arena_alloc(a, len + len / 2 + 1), *o = out;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *end = p + len;
	while (p < end) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &c);
		if (n <= 0) { /* callers validate; keep the byte rather than loop forever */
			n = 1;
			c = *p;
		}
		if (is_bidi_control(c) || (c >= 0 && charset_forbidden((uint32_t)c) && !(c < 0x80 && is_space((char)c))) ||
		    (c >= 0x80 && c <= 0x9F && !charset_cp1252((unsigned char)c))) {
			p += n;
			continue;
		}
		if (c >= 0x80 && c <= 0x9F) { /* a C1 control: the Windows-1252 character it stands for */
			struct buf b = BUF_INIT;
			charset_put_utf8(&b, charset_cp1252((unsigned char)c));
			memcpy(o, b.data, b.len); /* at most 3 bytes where 2 were: room below */
			o += b.len;
			buf_free(&b);
			p += n;
			continue;
		}
		if (n == 1 && is_space((char)c)) {
			/* folded: one space, and none at the start */
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
		} else {
			memcpy(o, p, (size_t)n);
			o += n;
		}
		p += n;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

const char *archive_repair_text(struct arena *a, const char *s)
{
	if (!s)
		return "";
	size_t len = strlen(s);
	if (!charset_needs_repair(s, len))
		return s;
	struct buf b = BUF_INIT;
	charset_repair_controls(s, len, &b);
	char *out = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return out;
}

/* A code point that draws nothing by itself. */
static bool is_invisible(int32_t c)
{
	if (c < 0x80) /* the common case, without asking ICU */
		return c <= 0x20 || c == 0x7F;
	if (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
		return true;
	switch (u_charType(c)) {
	case U_CONTROL_CHAR:
	case U_FORMAT_CHAR:
	case U_SPACE_SEPARATOR:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
		return true;
	default:
		break;
	}
	/* Blank symbols that are neither spaces nor ignorable. */
	return c == 0x2800 /* braille pattern blank */ || c == 0x3164 || c == 0xFFA0 || c == 0x115F || c == 0x1160;
}

bool archive_text_invisible(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *end = p + len;
	while (p < end) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &c);
		if (n <= 0)
			return false; /* not text we understand: let the encoding check speak */
		if (!is_invisible(c))
			return false;
		p += n;
	}
	return true;
}

/* Elements that show something without text. The sanitizer writes tag names in lower case. */
static bool media_tag(const char *p)
{
	static const char *const tags[] = {"img", "video", "audio", "picture", "object", "embed", "iframe"};
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		size_t k = strlen(tags[i]);
		if (!strncasecmp(p, tags[i], k) && (p[k] == ' ' || p[k] == '>' || p[k] == '/' || p[k] == '\t' ||
		                                    p[k] == '\n'))
			return true;
	}
	return false;
}

bool archive_html_shows(struct arena *a, const char *html, size_t *chars)
{
	bool media = false;
	for (const char *p = html ? strchr(html, '<') : NULL; p && !media; p = strchr(p + 1, '<'))
		media = media_tag(p + 1);
	const char *plain = html_plain(a, html);
	size_t len = strlen(plain);
	/* Only invisible characters (zero-width spaces, a lone soft hyphen) show nothing either. */
	*chars = archive_text_invisible(plain, len) ? 0 : utf8_length(plain, len);
	return media;
}

void archive_split_list(struct arena *a, const char *s, size_t max, struct strlist *out)
{
	out->items = arena_calloc(a, max + 1, sizeof *out->items);
	out->n = 0;
	if (!s)
		return;
	for (const char *p = s; out->n < max;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		/* trim in place of copying first: only the kept item is copied */
		while (n && is_space(*p))
			p++, n--;
		while (n && is_space(p[n - 1]))
			n--;
		if (n)
			out->items[out->n++] = arena_strndup(a, p, n);
		if (!end)
			break;
		p = end + 1;
	}
}

int archive_tag_forbidden_char(const char *s)
{
	const char *p = strpbrk(s, ",^*<>{}=\\%");
	return p ? *p : 0;
}
