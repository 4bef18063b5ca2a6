/* Markdown: cmark renders the text between pipe tables; the tables themselves are built here, because
 * the cmark in Debian is CommonMark core (no GFM extensions) and raw HTML is off for safety. */
#include "html/markdown.h"
#include "core/arena.h"
#include <cmark.h>
#include <stdbool.h>
#include <string.h>

#define TABLE_MAX_COLUMNS 64

static void cmark_append(struct buf *out, const char *s, size_t n)
{
	char *html = cmark_markdown_to_html(s, n, CMARK_OPT_DEFAULT);
	buf_puts(out, html);
	cmark_get_default_mem_allocator()->free(html);
}

/* A cell's inline Markdown, without the <p> cmark wraps it in. */
static void cell_append(struct buf *out, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	cmark_append(&b, s, n);
	const char *h = buf_cstr(&b);
	size_t hl = b.len;
	while (hl && h[hl - 1] == '\n')
		hl--;
	if (hl >= 7 && !strncmp(h, "<p>", 3) && !strncmp(h + hl - 4, "</p>", 4) && !memmem(h + 3, hl - 7, "<p>", 3))
		buf_append(out, h + 3, hl - 7);
	else
		buf_append(out, h, hl);
	buf_free(&b);
}

static size_t line_end(const char *s, size_t i, size_t len)
{
	const char *nl = memchr(s + i, '\n', len - i);
	return nl ? (size_t)(nl - s) : len;
}

/* The first non-space character of the line (at most three spaces of indent, as CommonMark allows). */
static size_t indent(const char *s, size_t i, size_t end)
{
	size_t j = i;
	while (j < end && j - i < 3 && s[j] == ' ')
		j++;
	return j;
}

static bool is_table_row(const char *s, size_t i, size_t end)
{
	size_t j = indent(s, i, end);
	return j < end && s[j] == '|';
}

static bool is_fence(const char *s, size_t i, size_t end)
{
	size_t j = indent(s, i, end);
	return end - j >= 3 && (!strncmp(s + j, "```", 3) || !strncmp(s + j, "~~~", 3));
}

/* Splits a row into cells at unescaped '|' outside code spans; returns the cell count. */
static size_t split_row(const char *s, size_t i, size_t end, const char **cell, size_t *cell_len)
{
	size_t j = indent(s, i, end) + 1, n = 0, start = j;
	bool code = false;
	while (end > j && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r'))
		end--;
	if (end > j && s[end - 1] == '|' && (end < 2 || s[end - 2] != '\\'))
		end--;
	for (; j <= end && n < TABLE_MAX_COLUMNS; j++) {
		if (j < end && s[j] == '\\') {
			j++;
			continue;
		}
		if (j < end && s[j] == '`')
			code = !code;
		if (j == end || (s[j] == '|' && !code)) {
			size_t a = start, b = j;
			while (a < b && (s[a] == ' ' || s[a] == '\t'))
				a++;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			cell[n] = s + a;
			cell_len[n++] = b - a;
			start = j + 1;
		}
	}
	return n;
}

/* A delimiter row: cells of dashes with optional colons; fills the alignments. */
static bool is_delimiter(const char *s, size_t i, size_t end, size_t columns, char *align)
{
	const char *cell[TABLE_MAX_COLUMNS];
	size_t cl[TABLE_MAX_COLUMNS];
	if (!is_table_row(s, i, end) || split_row(s, i, end, cell, cl) != columns)
		return false;
	for (size_t c = 0; c < columns; c++) {
		const char *p = cell[c];
		size_t n = cl[c];
		bool left = n && p[0] == ':', right = n && p[n - 1] == ':';
		size_t dashes = 0;
		for (size_t k = left; k < n - right; k++) {
			if (p[k] != '-')
				return false;
			dashes++;
		}
		if (!dashes)
			return false;
		align[c] = left && right ? 'c' : right ? 'r' : left ? 'l' : 0;
	}
	return true;
}

static void cell_html(struct buf *out, const char *tag, char align, const char *text, size_t n)
{
	/* "\|" in a cell stands for a literal bar */
	struct buf t = BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		if (text[k] == '\\' && k + 1 < n && text[k + 1] == '|')
			k++;
		buf_putc(&t, text[k]);
	}
	buf_printf(out, "<%s%s>", tag, align == 'c' ? " align=\"center\"" : align == 'r' ? " align=\"right\"" :
	                                align == 'l' ? " align=\"left\"" : "");
	cell_append(out, buf_cstr(&t), t.len);
	buf_printf(out, "</%s>", tag);
	buf_free(&t);
}

/* Renders the table starting at line i (header, delimiter, body rows); returns the index after it. */
static size_t table_html(struct buf *out, const char *s, size_t i, size_t len, size_t columns, const char *align)
{
	const char *cell[TABLE_MAX_COLUMNS];
	size_t cl[TABLE_MAX_COLUMNS];
	size_t end = line_end(s, i, len);
	split_row(s, i, end, cell, cl);
	buf_puts(out, "<table>\n<thead>\n<tr>");
	for (size_t c = 0; c < columns; c++)
		cell_html(out, "th", align[c], cell[c], cl[c]);
	buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
	i = end < len ? end + 1 : len;          /* the delimiter row */
	i = line_end(s, i, len) < len ? line_end(s, i, len) + 1 : len;
	while (i < len) {
		end = line_end(s, i, len);
		if (!is_table_row(s, i, end))
			break;
		size_t n = split_row(s, i, end, cell, cl);
		buf_puts(out, "<tr>");
		for (size_t c = 0; c < columns; c++)
			cell_html(out, "td", align[c], c < n ? cell[c] : "", c < n ? cl[c] : 0);
		buf_puts(out, "</tr>\n");
		i = end < len ? end + 1 : len;
	}
	buf_puts(out, "</tbody>\n</table>\n");
	return i;
}

void markdown_to_html(const char *in, size_t len, struct buf *out)
{
	size_t i = 0, chunk = 0;
	bool fenced = false, blank_before = true;
	while (i < len) {
		size_t end = line_end(in, i, len);
		size_t next = end < len ? end + 1 : len;
		if (is_fence(in, i, end))
			fenced = !fenced;
		/* A table starts a block: after a blank line or at the start, never inside code. */
		if (!fenced && blank_before && is_table_row(in, i, end) && next < len) {
			const char *cell[TABLE_MAX_COLUMNS];
			size_t cl[TABLE_MAX_COLUMNS];
			char align[TABLE_MAX_COLUMNS];
			size_t columns = split_row(in, i, end, cell, cl);
			if (columns && is_delimiter(in, next, line_end(in, next, len), columns, align)) {
				if (i > chunk)
					cmark_append(out, in + chunk, i - chunk);
				i = chunk = table_html(out, in, i, len, columns, align);
				blank_before = true;
				continue;
			}
		}
		size_t j = i;
		while (j < end && (in[j] == ' ' || in[j] == '\t' || in[j] == '\r'))
			j++;
		blank_before = j == end;
		i = next;
	}
	if (len > chunk)
		cmark_append(out, in + chunk, len - chunk);
}

#define RAW_SHOWN_MAX 80

/* A piece of raw HTML as a preview names it: white space trimmed and folded, cut after a whole character. */
static const char *raw_shown(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	bool space = false, cut = false;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = b.len > 0;
			continue;
		}
		/* past the limit, only the rest of a multi-byte character is taken */
		if (b.len >= RAW_SHOWN_MAX && ((unsigned char)*p & 0xC0) != 0x80) {
			cut = true;
			break;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *p);
	}
	const char *out = arena_printf(a, "%s%s", buf_cstr(&b), cut ? "…" : "");
	buf_free(&b);
	return out;
}

size_t markdown_raw_html(struct arena *a, const char *in, size_t len, const char **out, size_t max)
{
	cmark_node *doc = cmark_parse_document(in, len, CMARK_OPT_DEFAULT);
	if (!doc)
		return 0;
	size_t n = 0;
	cmark_iter *it = cmark_iter_new(doc);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE))
			continue;
		const char *lit = cmark_node_get_literal(node);
		if (!lit || !*lit)
			continue;
		if (n < max)
			out[n] = raw_shown(a, lit);
		n++;
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return n;
}

/* GitHub's slug of a heading's HTML: tags and entities dropped, ASCII letters lowered, other bytes of
 * UTF-8 letters kept, spaces as '-', everything else dropped. */
static void slug_of(const char *h, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == '<') {
			const char *gt = memchr(h + i, '>', n - i);
			i = gt ? (size_t)(gt - h) : n;
		} else if (c == '&') {
			const char *semi = memchr(h + i, ';', n - i);
			i = semi && semi - (h + i) <= 10 ? (size_t)(semi - h) : i;
		} else if (c >= 'A' && c <= 'Z') {
			buf_putc(out, (char)(c - 'A' + 'a'));
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80) {
			buf_putc(out, (char)c);
		} else if (c == ' ') {
			buf_putc(out, '-');
		}
	}
	if (!out->len)
		buf_puts(out, "section");
}

/* True when id (n bytes) is one of the newline-terminated ids in used. */
static bool id_used(const struct buf *used, const char *id, size_t n)
{
	const char *p = buf_cstr(used), *end = p + used->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if ((size_t)(nl - p) == n && !memcmp(p, id, n))
			return true;
		p = nl + 1;
	}
	return false;
}

void markdown_heading_anchors(const char *html, size_t len, struct buf *out)
{
	struct buf used = BUF_INIT, id = BUF_INIT;
	size_t i = 0, copied = 0;
	int tables = 0;
	while (i < len) {
		const char *lt = memchr(html + i, '<', len - i);
		if (!lt)
			break;
		i = (size_t)(lt - html);
		const char *rest = html + i;
		size_t left = len - i;
		if (left >= 7 && !strncmp(rest, "<table>", 7)) {
			buf_append(out, html + copied, i - copied);
			/* focusable, so keyboards can scroll it; a region with its own name, so that focus says what it is */
			buf_printf(out, "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table %d\" tabindex=\"0\">",
			           ++tables);
			copied = i;
			i += 7;
			continue;
		}
		if (left >= 8 && !strncmp(rest, "</table>", 8)) {
			buf_append(out, html + copied, i + 8 - copied);
			buf_puts(out, "</div>");
			copied = i += 8;
			continue;
		}
		/* "<hN>" exactly: the sanitizer and cmark write headings without attributes */
		if (left < 4 || rest[1] != 'h' || rest[2] < '1' || rest[2] > '6' || rest[3] != '>') {
			i++;
			continue;
		}
		char close[6] = {'<', '/', 'h', rest[2], '>', 0};
		const char *inner = rest + 4, *end = memmem(inner, left - 4, close, 5);
		if (!end) {
			i++;
			continue;
		}
		buf_reset(&id);
		slug_of(inner, (size_t)(end - inner), &id);
		size_t base = id.len;
		for (int k = 2; id_used(&used, buf_cstr(&id), id.len); k++) {
			id.len = base;
			buf_printf(&id, "-%d", k);
		}
		buf_append(&used, id.data, id.len);
		buf_putc(&used, '\n');
		buf_append(out, html + copied, i - copied);
		buf_printf(out, "<h%c id=\"%s\">", rest[2], buf_cstr(&id));
		buf_append(out, inner, (size_t)(end - inner));
		buf_printf(out, " <a class=\"anchor\" href=\"#%s\">§</a></h%c>", buf_cstr(&id), rest[2]);
		i = copied = (size_t)(end - html) + 5;
	}
	buf_append(out, html + copied, len - copied);
	buf_free(&used);
	buf_free(&id);
}
