/* Author text formats (rich-text HTML, Markdown, plain text) rendered to safe HTML, and HTML word counts. */
#include "html/format.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "html/markdown.h"
#include "html/sanitize.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

static const char *const format_names[] = {
	[FORMAT_HTML] = "html",
	[FORMAT_MARKDOWN] = "markdown",
	[FORMAT_TEXT] = "text",
};

int format_parse(const char *name, enum text_format *out)
{
	if (!name)
		return Q_EINVAL;
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum text_format)i;
			return 0;
		}
	}
	return Q_EINVAL;
}

const char *format_name(enum text_format f)
{
	if ((unsigned)f < sizeof format_names / sizeof *format_names)
		return format_names[f];
	return "html";
}

/* utf8proc_iterate rejects overlong forms, surrogates and code points above U+10FFFF. */
static bool utf8_ok(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

static unsigned sanitize_flags(unsigned allow)
{
	return ((allow & FORMAT_ALLOW_CLASS) ? SANITIZE_CLASS : 0) | ((allow & FORMAT_ALLOW_MEDIA) ? SANITIZE_MEDIA : 0);
}

static int render_markdown(const char *in, size_t len, unsigned allow, struct buf *out)
{
	/* Without CMARK_OPT_UNSAFE cmark replaces raw HTML and javascript:/vbscript:/file:/data:
	 * links by placeholders; the sanitizer still has the last word on what it produced. */
	struct buf html = BUF_INIT;
	markdown_to_html(in, len, &html);
	int rc = sanitize_html(buf_cstr(&html), html.len, sanitize_flags(allow), out);
	buf_free(&html);
	return rc;
}

int format_render_allowing(enum text_format f, unsigned allow, const char *in, size_t len, struct buf *out)
{
	switch (f) {
	case FORMAT_HTML:
		return sanitize_html(in, len, SANITIZE_PARAGRAPHS | sanitize_flags(allow), out);
	case FORMAT_MARKDOWN:
		if (!utf8_ok(in, len))
			return Q_EINVAL;
		return render_markdown(in, len, allow, out);
	case FORMAT_TEXT:
		return sanitize_text(in, len, out);
	}
	return Q_EINVAL;
}

int format_render(enum text_format f, const char *in, size_t len, struct buf *out)
{
	return format_render_allowing(f, 0, in, len, out);
}

/* ---- word counts ---- */

/* Inline elements continue a word across their tags ("a<b>b</b>" is one word); others split. */
static bool inline_tag(const char *name, size_t n)
{
	static const char *const tags[] = {
		"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em",
		"font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike",
		"strong", "sub", "sup", "time", "tt", "u", "var", NULL,
	};
	for (const char *const *t = tags; *t; t++)
		if (strlen(*t) == n && !strncasecmp(*t, name, n))
			return true;
	return false;
}

/* After '<' at s[i]: skips the tag, comment or declaration; sets *boundary; returns the index after it. */
static size_t skip_markup(const char *s, size_t i, size_t n, bool *boundary)
{
	*boundary = true;
	if (i + 3 < n && !strncmp(s + i, "<!--", 4)) {
		const char *end = memmem(s + i + 4, n - i - 4, "-->", 3);
		return end ? (size_t)(end - s) + 3 : n;
	}
	size_t j = i + 1;
	if (j < n && s[j] == '/')
		j++;
	size_t name = j;
	while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9')))
		j++;
	*boundary = !inline_tag(s + name, j - name);
	char quote = 0;
	for (; j < n; j++) {
		if (quote) {
			if (s[j] == quote)
				quote = 0;
		} else if (s[j] == '"' || s[j] == '\'') {
			quote = s[j];
		} else if (s[j] == '>') {
			return j + 1;
		}
	}
	return n;
}

static bool starts_markup(const char *s, size_t i, size_t n)
{
	if (i + 1 >= n)
		return false;
	char c = s[i + 1];
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?';
}

/* After '&' at s[i]: the code point it stands for (a space for unknown ones) and the index after it. */
static size_t decode_entity(const char *s, size_t i, size_t n, int32_t *cp)
{
	static const struct { const char *name; int32_t cp; } named[] = {
		{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
		{"rsquo", 0x2019}, {"lsquo", 0x2018}, {"hyphen", 0x2010},
	};
	size_t j = i + 1;
	*cp = '&';
	if (j < n && s[j] == '#') {
		j++;
		bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
		if (hex)
			j++;
		uint32_t v = 0;
		size_t digits = 0;
		for (; j < n; j++, digits++) {
			char c = s[j];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
				: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				break;
			if (v <= 0x10FFFF)
				v = v * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (!digits)
			return i + 1;
		if (j < n && s[j] == ';')
			j++;
		*cp = v && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) ? (int32_t)v : ' ';
		return j;
	}
	size_t name = j;
	while (j < n && j - name < 32 && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9')))
		j++;
	if (j == name || j >= n || s[j] != ';')
		return i + 1; /* a bare '&' */
	*cp = ' ';
	for (size_t k = 0; k < sizeof named / sizeof *named; k++)
		if (strlen(named[k].name) == j - name && !strncmp(named[k].name, s + name, j - name))
			*cp = named[k].cp;
	return j + 1;
}

/* The visible text of the HTML, counted by the same rules as plain text (utf8_word_count). */
size_t format_html_word_count(const char *html, size_t len)
{
	struct buf text = BUF_INIT;
	size_t i = 0;
	while (i < len) {
		char c = html[i];
		if (c == '<' && starts_markup(html, i, len)) {
			bool boundary;
			i = skip_markup(html, i, len, &boundary);
			if (boundary)
				buf_putc(&text, ' ');
			continue;
		}
		if (c == '&') {
			int32_t cp;
			utf8proc_uint8_t enc[4];
			i = decode_entity(html, i, len, &cp);
			buf_append(&text, enc, (size_t)utf8proc_encode_char(cp, enc));
			continue;
		}
		/* Text (a '<' that starts no tag included); an invalid byte is a word boundary. */
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)html + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0 || cp == 0) {
			buf_putc(&text, ' ');
			k = 1;
		} else {
			buf_append(&text, html + i, (size_t)k);
		}
		i += (size_t)k;
	}
	size_t words = utf8_word_count(buf_cstr(&text), text.len);
	buf_free(&text);
	return words;
}
