/* The text of sanitized HTML: tags dropped, entities decoded. The search index keeps it line by line
 * (quire_plain); feed summaries, EPUB descriptions and the writer's check take it flattened. */
#include "core/html_text.h"
#include "core/charset.h"
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Elements after which text does not run on: the search index must not glue "end</p><p>Start". */
static bool is_block(const char *name, size_t n)
{
	static const char *const blocks[] = {"p", "br", "div", "li", "ul", "ol", "dd", "dt", "dl", "h1", "h2", "h3",
	                                     "h4", "h5", "h6", "blockquote", "tr", "td", "th", "table", "hr", "pre",
	                                     "caption", "figcaption", "details", "summary", "center", "address"};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (strlen(blocks[i]) == n && strncasecmp(blocks[i], name, n) == 0)
			return true;
	return false;
}

/* Decodes the entity at s (just after '&'); returns bytes consumed, 0 when it is not one we know. */
static size_t entity(struct buf *b, const char *s, size_t n)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {{"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", " "}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t k = strlen(named[i].name);
		if (n >= k && memcmp(s, named[i].name, k) == 0) {
			buf_puts(b, named[i].text);
			return k;
		}
	}
	if (n < 3 || s[0] != '#')
		return 0;
	bool hex = s[1] == 'x' || s[1] == 'X';
	size_t i = hex ? 2 : 1;
	unsigned long cp = 0;
	size_t digits = 0;
	for (; i < n && digits < 8; i++, digits++) {
		int c = (unsigned char)s[i];
		if (hex && isxdigit(c))
			cp = cp * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
		else if (!hex && isdigit(c))
			cp = cp * 10 + (unsigned long)(c - '0');
		else
			break;
	}
	if (digits == 0 || i >= n || s[i] != ';')
		return 0;
	if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = ' ';
	charset_put_utf8(b, (uint32_t)cp);
	return i + 1;
}

void html_text(const char *s, size_t n, struct buf *b)
{
	buf_grow(b, n + 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '<') {
			const char *end = memchr(s + i, '>', n - i);
			if (!end)
				break;
			const char *name = s + i + 1;
			if (*name == '/')
				name++;
			size_t k = 0;
			while (name + k < end && isalnum((unsigned char)name[k]))
				k++;
			if (is_block(name, k))
				buf_putc(b, '\n');
			i = (size_t)(end - s) + 1;
		} else if (c == '&') {
			size_t k = entity(b, s + i + 1, n - i - 1);
			if (!k)
				buf_putc(b, '&');
			i += 1 + k;
		} else if (c < 0x20 && c != '\n' && c != '\t') {
			buf_putc(b, ' ');
			i++;
		} else {
			buf_putc(b, (char)c);
			i++;
		}
	}
}

char *html_plain(struct arena *a, const char *html)
{
	struct buf t = BUF_INIT;
	html_text(html ? html : "", html ? strlen(html) : 0, &t);
	/* Runs of white space (line breaks where blocks ended included) become one space, none at the ends. */
	char *out = arena_alloc(a, t.len + 1);
	size_t n = 0;
	bool space = false;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.data[i];
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = true;
			continue;
		}
		if (space && n)
			out[n++] = ' ';
		space = false;
		out[n++] = c;
	}
	out[n] = 0;
	buf_free(&t);
	return out;
}
