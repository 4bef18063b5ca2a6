/* Fuzz target: arbitrary bytes through the sanitizer (every field's flags, media embeds, the download forms)
 * and the text formats; aborts on unsafe or unstable output. */
#include "html/format.h"
#include "html/media_hosts.h"
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
	"tt", "u", "ul", "var", "iframe", "audio", "video", "source", "track", NULL,
};
static const char *const media_tags[] = {"iframe", "audio", "video", "source", "track", NULL};
static const char *const voids[] = {"br", "hr", "img", "col", "source", "track", NULL};
static const char *const attrs[] = {
	"align", "dir", "lang", "title", "class", "href", "name", "alt", "border", "height", "src",
	"width", "abbr", "axis", "colspan", "rowspan", "scope", "start", "type", "summary", "cite",
	"open", "rel", "span", "frameborder", "sandbox", "allow", "referrerpolicy", "loading", "controls",
	"crossorigin", "playsinline", "preload", "loop", "muted", "poster", "kind", "label", "srclang",
	"default", NULL,
};

/* The fuzzed site's media hosts, and where a player's source may point once written out. */
#define MEDIA_HOSTS "youtube.com archive.org/embed/ media.example http://127.0.0.1:8000"
static const char *const media_origins[] = {
	"https://youtube.com", "https://www.youtube.com", "https://media.example", "https://www.media.example",
	"http://127.0.0.1:8000", "https://127.0.0.1:8000", NULL,
};
static const char *const media_paths[] = {"https://archive.org/embed/", "https://www.archive.org/embed/", NULL};

static unsigned cur_flags; /* the flags the output being checked was made with */

/* A player's source (as written, escaped) must be on MEDIA_HOSTS: one of its origins, then the end or
 * '/', '?', '#'; or under one of its paths. */
static void check_media_src(const char *v, size_t n, const char *h)
{
	for (const char *const *o = media_origins; *o; o++) {
		size_t k = strlen(*o);
		if (n >= k && !strncmp(v, *o, k) && (n == k || strchr("/?#", v[k])))
			return;
	}
	for (const char *const *p = media_paths; *p; p++)
		if (n >= strlen(*p) && !strncmp(v, *p, strlen(*p)))
			return;
	fail("player source off the media host list", h);
}

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
		int media = name_in(name, n, media_tags);
		if (!end && media && (!(cur_flags & SANITIZE_MEDIA) || (cur_flags & SANITIZE_MEDIA_AS_LINKS)))
			fail("a player in a field without media (or in a download)", h);
		if (!end && n == 3 && !strncmp(name, "img", 3) && (cur_flags & SANITIZE_IMAGES_AS_LINKS))
			fail("an image in an EPUB download", h);
		if (!end && n == 6 && !strncmp(name, "iframe", 6)) {
			static const char sandbox[] = " sandbox=\"allow-scripts allow-same-origin allow-popups "
			                              "allow-popups-to-escape-sandbox allow-presentation\" allow=\"encrypted-media; "
			                              "fullscreen; picture-in-picture\"";
			const char *gt = strchr(name, '>');
			if (!gt || !memmem(name, (size_t)(gt - name), sandbox, sizeof sandbox - 1))
				fail("an embedded player without its sandbox", h);
		}
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
			if (an == 5 && !strncmp(q, "class", 5) && !(cur_flags & SANITIZE_CLASS))
				fail("class in a field without classes", h);
			int is_url = (an == 4 && (!strncmp(q, "href", 4))) || (an == 3 && !strncmp(q, "src", 3)) ||
				     (an == 4 && !strncmp(q, "cite", 4));
			if (q[an] != '=' || q[an + 1] != '"')
				fail("unquoted attribute", h);
			const char *v = q + an + 2, *ve = strchr(v, '"');
			if (!ve)
				fail("unterminated attribute", h);
			if (memchr(v, '<', (size_t)(ve - v)) || memchr(v, '>', (size_t)(ve - v)))
				fail("raw < or > in attribute", h);
			if (media && an == 3 && !strncmp(q, "src", 3))
				check_media_src(v, (size_t)(ve - v), h);
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
		cur_flags = flags;
		check_html(buf_cstr(&out));
		/* Stored HTML is sanitized again when the rules change: that must not alter it. */
		if (sanitize_html(buf_cstr(&out), out.len, flags, &again) != 0 ||
		    strcmp(buf_cstr(&out), buf_cstr(&again))) {
			fprintf(stderr, "first pass (flags %u):\n%s\n", flags, buf_cstr(&out));
			fail("second pass changed the output", buf_cstr(&again));
		}
		format_html_word_count(buf_cstr(&out), out.len);
		if (flags & SANITIZE_MEDIA) {
			/* What the EPUB download makes of the stored chapter. */
			unsigned dl = SANITIZE_CLASS | SANITIZE_MEDIA_AS_LINKS | SANITIZE_IMAGES_AS_LINKS;
			buf_reset(&again);
			if (sanitize_html(buf_cstr(&out), out.len, dl, &again) != 0)
				fail("the download's pass failed", buf_cstr(&out));
			cur_flags = dl;
			check_html(buf_cstr(&again));
		}
	}
	buf_free(&out);
	buf_free(&again);
}

static struct media_hosts *hosts;
static struct sanitize_policy policy;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!hosts) {
		char err[200];
		if (media_hosts_parse(MEDIA_HOSTS, &hosts, err, sizeof err) != 0)
			fail(err, "");
		policy = (struct sanitize_policy){hosts, "https://archive.example/fics/"};
		sanitize_set_policy(&policy);
	}
	const char *in = (const char *)data;
	run(in, size, 0);
	run(in, size, SANITIZE_PARAGRAPHS);
	run(in, size, SANITIZE_PARAGRAPHS | SANITIZE_CLASS);
	run(in, size, SANITIZE_PARAGRAPHS | SANITIZE_CLASS | SANITIZE_MEDIA);
	for (int f = FORMAT_HTML; f <= FORMAT_TEXT; f++) {
		struct buf out = BUF_INIT;
		cur_flags = SANITIZE_CLASS | SANITIZE_MEDIA;
		if (format_render_allowing((enum text_format)f, FORMAT_ALLOW_CLASS | FORMAT_ALLOW_MEDIA, in, size, &out) == 0)
			check_html(buf_cstr(&out));
		buf_free(&out);
	}
	format_html_word_count(in, size);
	return 0;
}
