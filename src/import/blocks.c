/* Blocks: the paragraphs, headings, scene breaks and other elements every reader turns a document into. */
#include "import/import_int.h"
#include "html/escape.h"
#include <string.h>

void blocks_add(struct arena *a, struct import_blocks *b, enum block_kind kind, int level, const char *html,
                const char *text)
{
	if (b->n >= IMPORT_BLOCKS_MAX) {
		b->overflow = true;
		return;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct import_block *items = arena_alloc(a, cap * sizeof *items);
		if (b->n)
			memcpy(items, b->items, b->n * sizeof *items);
		b->items = items;
		b->cap = cap;
	}
	b->items[b->n++] = (struct import_block){kind, level, html ? html : "", text ? text : ""};
}

void blocks_escape(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : NULL;
		if (!rep)
			continue;
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, n - start);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *blocks_fold_space(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* a no-break space folds too: "&nbsp;" paragraphs are empty */
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			space = o > 0;
			i++;
			continue;
		}
		if (is_space(c)) {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)c;
	}
	out[o] = 0;
	return out;
}

/* Characters scene breaks are drawn with (besides the letters o and x of "oOo" and "xXx"). */
static bool break_symbol(const char *p, size_t *len)
{
	static const char *const multi[] = {"•", "·", "§", "¤", "°", "∞", "♦", "♥", "★", "☆", "◊", "—", "–", "…",
	                                    "※", "⁂", "❦", "✿", "❀", "♪", "∞", "◆", "◇", "○", "●", "~"};
	unsigned char c = (unsigned char)*p;
	if (c < 0x80) {
		*len = 1;
		return strchr("*~-=_#+.:^<>/\\|", c) && c;
	}
	for (size_t i = 0; i < sizeof multi / sizeof multi[0]; i++) {
		size_t k = strlen(multi[i]);
		if (!strncmp(p, multi[i], k)) {
			*len = k;
			return true;
		}
	}
	return false;
}

bool blocks_scene_break(const char *text)
{
	size_t n = strlen(text);
	if (n == 0 || n > 60)
		return false;
	size_t symbols = 0, letters = 0;
	bool lower = false, upper = false;
	for (size_t i = 0; i < n;) {
		size_t k;
		char c = text[i];
		if (c == ' ') {
			i++;
			continue;
		}
		if (c == 'o' || c == 'x' || c == 'O' || c == 'X' || c == '0') {
			letters++;
			lower |= c == 'o' || c == 'x';
			upper |= c == 'O' || c == 'X' || c == '0';
			i++;
			continue;
		}
		if (!break_symbol(text + i, &k))
			return false;
		symbols++;
		i += k;
	}
	if (letters == 0)
		return symbols >= 3 || (symbols == 1 && (!strcmp(text, "#") || !strcmp(text, "§") || !strcmp(text, "*")));
	/* "oOo", "xXx", "-x-x-", "~o~": letters of both cases, or letters between symbols */
	return letters + symbols >= 3 && ((lower && upper) || symbols >= 2);
}

/* ---- Paragraphs from runs ---- */

static const char *const fmt_tags[] = {"em", "strong", "u", "s", "sup", "sub"};

static void set_format(struct para *p, unsigned fmt)
{
	if (p->open == fmt)
		return;
	/* close what is open, innermost first, then open what the next run needs */
	for (int i = 5; i >= 0; i--)
		if (p->open & (1u << i))
			buf_printf(&p->html, "</%s>", fmt_tags[i]);
	for (int i = 0; i < 6; i++)
		if (fmt & (1u << i))
			buf_printf(&p->html, "<%s>", fmt_tags[i]);
	p->open = fmt;
}

void para_text(struct para *p, const char *s, size_t n, unsigned fmt)
{
	if (!n)
		return;
	set_format(p, fmt);
	blocks_escape(&p->html, s, n);
	buf_append(&p->text, s, n);
}

void para_markup(struct para *p, const char *html)
{
	set_format(p, 0);
	buf_puts(&p->html, html);
	if (!strncmp(html, "<br", 3))
		buf_putc(&p->text, ' ');
	if (!strncmp(html, "<img", 4))
		p->has_image = true;
}

void para_end(struct arena *a, struct para *p, struct import_blocks *out)
{
	set_format(p, 0);
	const char *text = blocks_fold_space(a, buf_cstr(&p->text), p->text.len);
	if (*text || p->has_image) {
		const char *inner = buf_cstr(&p->html);
		if (p->heading) {
			int l = p->heading > 6 ? 6 : p->heading;
			blocks_add(a, out, BLOCK_HEADING, l, arena_printf(a, "<h%d>%s</h%d>", l, inner, l), text);
		} else {
			bool brk = !p->has_image && blocks_scene_break(text);
			const char *al = p->align ? p->align : brk ? "center" : NULL;
			const char *h = al ? arena_printf(a, "<p align=\"%s\">%s</p>", al, inner) : arena_printf(a, "<p>%s</p>", inner);
			blocks_add(a, out, brk ? BLOCK_BREAK : BLOCK_PARAGRAPH, 0, h, text);
		}
	}
	buf_reset(&p->html);
	buf_reset(&p->text);
	p->open = 0;
	p->align = NULL;
	p->heading = 0;
	p->has_image = false;
}

void para_free(struct para *p)
{
	buf_free(&p->html);
	buf_free(&p->text);
}

const char *blocks_html(struct arena *a, const struct import_blocks *b)
{
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < b->n; i++) {
		buf_puts(&out, b->items[i].html);
		buf_putc(&out, '\n');
	}
	const char *s = arena_strndup(a, buf_cstr(&out), out.len);
	buf_free(&out);
	return s;
}
