/* Plain text into blocks: paragraphs at blank lines (or at every line when a text has none), lines of a
 * paragraph kept as line breaks (or joined, when the text was wrapped at a fixed width), scene breaks. */
#include "import/import_int.h"
#include <string.h>

struct line {
	const char *p;
	size_t n; /* without the line end; leading indentation and trailing space removed */
};

static bool blank(const struct line *l)
{
	return l->n == 0;
}

/* Splits text into lines at \n, \r\n and \r, trimming each. */
static struct line *split_lines(struct arena *a, const char *text, size_t len, size_t *count)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n' || text[i] == '\r';
	struct line *lines = arena_alloc(a, cap * sizeof *lines);
	size_t n = 0, i = 0;
	while (i <= len && n < cap) {
		size_t e = i;
		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		const char *p = text + i;
		size_t k = e - i;
		/* indentation: spaces, tabs, no-break spaces, ideographic spaces */
		for (;;) {
			if (k && (*p == ' ' || *p == '\t'))
				p++, k--;
			else if (k >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
				p += 2, k -= 2;
			else if (k >= 3 && !memcmp(p, "\xe3\x80\x80", 3))
				p += 3, k -= 3;
			else
				break;
		}
		while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
			k--;
		lines[n++] = (struct line){p, k};
		if (e >= len)
			break;
		i = e + (text[e] == '\r' && e + 1 < len && text[e + 1] == '\n' ? 2 : 1);
	}
	*count = n;
	return lines;
}

/* Whether paragraphs are separated by blank lines: most boundaries between lines of text are blank. */
static bool blank_line_paragraphs(const struct line *l, size_t n)
{
	size_t text_lines = 0, separators = 0;
	for (size_t i = 0; i < n; i++) {
		if (blank(&l[i]))
			continue;
		text_lines++;
		if (i + 1 < n && blank(&l[i + 1]))
			separators++;
	}
	return separators > 0 && separators * 4 >= text_lines;
}

/* Whether the text was wrapped at a fixed width (an e-mail, a text editor's hard wrap): lines that run on
 * into the next are mostly of similar, long lengths. */
static bool hard_wrapped(const struct line *l, size_t n)
{
	size_t runs = 0, wrapped = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (blank(&l[i]) || blank(&l[i + 1]))
			continue;
		runs++;
		wrapped += l[i].n >= 55 && l[i].n <= 100;
	}
	return runs >= 3 && wrapped * 10 >= runs * 8;
}

static void add_paragraph(struct arena *a, struct import_blocks *out, const struct line *l, size_t n, bool join)
{
	struct buf html = BUF_INIT, text = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i) {
			buf_puts(&html, join ? " " : "<br />\n");
			buf_putc(&text, ' ');
		}
		blocks_escape(&html, l[i].p, l[i].n);
		buf_append(&text, l[i].p, l[i].n);
	}
	const char *t = blocks_fold_space(a, buf_cstr(&text), text.len);
	bool brk = n == 1 && blocks_scene_break(t);
	const char *h = arena_printf(a, brk ? "<p align=\"center\">%s</p>" : "<p>%s</p>", buf_cstr(&html));
	blocks_add(a, out, brk ? BLOCK_BREAK : BLOCK_PARAGRAPH, 0, h, t);
	buf_free(&html);
	buf_free(&text);
}

void import_text_blocks(struct arena *a, const char *text, size_t len, struct import_blocks *out)
{
	size_t n;
	struct line *l = split_lines(a, text, len, &n);
	if (!blank_line_paragraphs(l, n)) {
		for (size_t i = 0; i < n; i++)
			if (!blank(&l[i]))
				add_paragraph(a, out, &l[i], 1, false);
		return;
	}
	bool join = hard_wrapped(l, n);
	for (size_t i = 0; i < n;) {
		if (blank(&l[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !blank(&l[j]))
			j++;
		add_paragraph(a, out, l + i, j - i, join);
		i = j;
	}
}
