/* Fuzz target: arbitrary bytes through the sanitizer and the text formats; aborts on unsafe or unstable output. */
#include "html/format.h"
#include "html/sanitize.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const char *html)
{
	fprintf(stderr, "fuzz_html_sanitize: %s in output:\n%s\n", why, html);
	abort();
}

static int name_in(const char *name, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(*list, name, n))
			return 1;
	return 0;
}

static const char *const tags[] = {
	"a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
	"cite", "code", "col", "colgroup", "details", "figcaption", "figure", "dd", "del", "dfn",
	"div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
	"li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
	"strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
	"tt", "u", "ul", "var", NULL,
};
static const char *const voids[] = {"br", "hr", "img", "col", NULL};
static const char *const attrs[] = {
	"align", "dir", "lang", "title", "class", "href", "name", "alt", "border", "height", "src",
	"width", "abbr", "axis", "colspan", "rowspan", "scope", "start", "type", "summary", "cite",
	"open", "rel", NULL,
};

/* The scheme a browser would see in a decoded URL, lower-cased, or "" for a relative URL. */
static void url_scheme(const char *v, size_t n, char *scheme, size_t cap)
{
	char u[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof u; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '&') { /* undo our four escapes */
			if (!strncmp(v + i, "&amp;", 5)) c = '&', i += 4;
			else if (!strncmp(v + i, "&lt;", 4)) c = '<', i += 3;
			else if (!strncmp(v + i, "&gt;", 4)) c = '>', i += 3;
			else if (!strncmp(v + i, "&quot;", 6)) c = '"', i += 5;
		}
		if (c <= 0x20 || c == 0x7F)
			continue; /* be stricter than browsers: ignore every control and space */
		u[k++] = (char)tolower(c);
	}
	u[k] = '\0';
	size_t end = strcspn(u, ":/?#");
	scheme[0] = '\0';
	if (u[end] == ':' && end < cap) {
		memcpy(scheme, u, end);
		scheme[end] = '\0';
	}
}

/* Our output has one shape: escaped text and <tag attr="value"> tags; check it token by token. */
static void check_html(const char *h)
{
	struct { const char *name; size_t n; } stack[256];
	size_t depth = 0;
	for (const char *p = h; *p; p++) {
		if (*p == '>')
			fail("raw '>' in text", h);
		if (*p != '<')
			continue;
		int end = p[1] == '/';
		const char *name = p + 1 + end;
		size_t n = 0;
		while ((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= '1' && name[n] <= '6' && n))
			n++;
		if (!name_in(name, n, tags))
			fail("element outside the allow-list", h);
		const char *q = name + n;
		if (end) {
			if (*q != '>' || depth == 0 || stack[depth - 1].n != n ||
			    strncmp(stack[depth - 1].name, name, n))
				fail("misnested end tag", h);
			depth--;
			p = q;
			continue;
		}
		while (*q == ' ') {
			q++;
			if (*q == '/')
				break;
			size_t an = 0;
			while (q[an] >= 'a' && q[an] <= 'z')
				an++;
			if (!name_in(q, an, attrs) || (an >= 2 && !strncmp(q, "on", 2)))
				fail("attribute outside the allow-list", h);
			int is_url = (an == 4 && (!strncmp(q, "href", 4))) || (an == 3 && !strncmp(q, "src", 3)) ||
				     (an == 4 && !strncmp(q, "cite", 4));
			if (q[an] != '=' || q[an + 1] != '"')
				fail("unquoted attribute", h);
			const char *v = q + an + 2, *ve = strchr(v, '"');
			if (!ve)
				fail("unterminated attribute", h);
			if (memchr(v, '<', (size_t)(ve - v)) || memchr(v, '>', (size_t)(ve - v)))
				fail("raw < or > in attribute", h);
			if (is_url) {
				char scheme[16];
				url_scheme(v, (size_t)(ve - v), scheme, sizeof scheme);
				if (scheme[0] && strcmp(scheme, "http") && strcmp(scheme, "https") &&
				    strcmp(scheme, "mailto") && strcmp(scheme, "ftp"))
					fail("URL scheme not allowed", h);
			}
			q = ve + 1;
		}
		if (name_in(name, n, voids)) {
			if (strncmp(q, "/>", 2))
				fail("void element not self-closed", h);
			p = q + 1;
			continue;
		}
		if (*q != '>')
			fail("malformed start tag", h);
		if (depth == sizeof stack / sizeof *stack)
			fail("nesting deeper than 256", h);
		stack[depth].name = name;
		stack[depth++].n = n;
		p = q;
	}
	if (depth)
		fail("unclosed element", h);
	if (strcasestr(h, "<script"))
		fail("<script", h);
}

static void run(const char *in, size_t len, unsigned flags)
{
	struct buf out = BUF_INIT, again = BUF_INIT;
	if (sanitize_html(in, len, flags, &out) == 0) {
		check_html(buf_cstr(&out));
		/* Stored HTML is sanitized again when the rules change: that must not alter it. */
		if (sanitize_html(buf_cstr(&out), out.len, flags, &again) != 0 ||
		    strcmp(buf_cstr(&out), buf_cstr(&again))) {
			fprintf(stderr, "first pass (flags %u):\n%s\n", flags, buf_cstr(&out));
			fail("second pass changed the output", buf_cstr(&again));
		}
		format_html_word_count(buf_cstr(&out), out.len);
	}
	buf_free(&out);
	buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	run(in, size, 0);
	run(in, size, SANITIZE_PARAGRAPHS);
	for (int f = FORMAT_HTML; f <= FORMAT_TEXT; f++) {
		struct buf out = BUF_INIT;
		if (format_render((enum text_format)f, in, size, &out) == 0)
			check_html(buf_cstr(&out));
		buf_free(&out);
	}
	format_html_word_count(in, size);
	return 0;
}
