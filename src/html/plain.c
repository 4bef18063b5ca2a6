/* The text of sanitized HTML, for places that take no markup (feed summaries, EPUB descriptions). */
#include "html/plain.h"
#include "core/buf.h"
#include <stdbool.h>
#include <string.h>

/* Does the tag at p (just after '<') end a line of text: a block, a line break, a list item? */
static bool breaks_text(const char *p)
{
	static const char *const blocks[] = {"p", "br", "li", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
	                                     "tr", "td", "th", "dd", "dt", "hr", "ul", "ol", "pre", "table"};
	if (*p == '/')
		p++;
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (strlen(blocks[i]) == n && !strncmp(p, blocks[i], n))
			return true;
	return false;
}

/* The text of sanitized HTML for metadata (an EPUB's description): tags dropped (a space where a block
 * ends), our escapes decoded, runs of white space made one space. */
char *html_plain(struct arena *a, const char *html)
{
	static const struct {
		const char *ent, *ch;
	} ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	struct buf b = BUF_INIT;
	bool space = false;
	for (const char *p = html ? html : ""; *p;) {
		const char *text = p;
		size_t len = 1;
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (!end)
				break;
			space = space || breaks_text(p + 1);
			p = end + 1;
			continue;
		}
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = true;
			p++;
			continue;
		}
		for (size_t i = 0; *p == '&' && i < sizeof ents / sizeof ents[0]; i++)
			if (!strncmp(p, ents[i].ent, strlen(ents[i].ent))) {
				text = ents[i].ch;
				p += strlen(ents[i].ent) - 1;
				break;
			}
		p++;
		if (space && b.len)
			buf_putc(&b, ' ');
		space = false;
		buf_append(&b, text, len);
	}
	char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}
