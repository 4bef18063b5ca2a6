/* Writing the sanitizer's clean tree as HTML, inferring paragraphs the way AO3's ParagraphMaker does. */
#include "html/sanitize_int.h"
#include "core/alloc.h"
#include <stdlib.h>
#include <string.h>

/*
 * AO3 (otwarchive's lib/paragraph_maker.rb, pinned down by spec/lib/html_cleaner_spec.rb) infers
 * paragraphs in the text of the top level and of containers (div, blockquote, center, details),
 * including inside the inline elements there (em, span, ...), and leaves the content of everything
 * else as written: p, headings, address, pre, lists, tables, figures, summaries, a, abbr, acronym,
 * players (K_SKIP). In the text it works on:
 *   - white space next to a block or a <br> (and at a container's edges) is dropped;
 *   - a run of white space holding one newline becomes <br />, two a paragraph break, three or
 *     more a paragraph break with an empty paragraph (<p>&nbsp;</p>) in it, as writers space scenes;
 *   - two <br> in a row (white space between them aside) are a paragraph break, three or more one
 *     with the empty paragraph;
 *   - inline content is wrapped in <p>; a paragraph break inside inline elements ends them and opens
 *     them again in the next paragraph, so <em>a\n\nb</em> is two paragraphs, each in italics.
 * Blocks inside inline elements (<i><p>a</p></i>) are taken out of them; a paragraph-like block
 * (p, h1-h6, address, pre) takes the formatting inside itself (<p><i>a</i></p>), where AO3 drops it.
 *
 * Everything is written in one pass: the inline elements around the paragraph being written are a
 * stack whose start tags are written only once the paragraph gets content, so no empty paragraph
 * or empty copy of an element is ever written.
 */

struct emit {
	struct buf *out;
	const struct cnode **stack; /* inline elements around the current paragraph; [base, depth) are this container's */
	bool *shown;                /* its start tag is written in the current paragraph */
	bool *touched;              /* some of it was written, or a paragraph break fell inside it */
	size_t base, depth, cap;
	bool open;                  /* a <p> is open */
	bool first;                 /* nothing written yet in the current container */
	/* Bytes of start tags still allowed for opening inline elements again in a new paragraph. Each break
	 * inside <span title="(100 KB)"> writes that tag again: without a bound, a short input (a long title,
	 * then thousands of blank lines) would make gigabytes. Once spent, a break inside inline elements is a
	 * line break (<br />) and formatting is no longer carried into blocks: the output stays linear in the
	 * input, and stable (it all sits inside <p>, which is left as written when sanitized again). */
	size_t reopen_left;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Length of the Unicode White_Space character at s[i] (Ruby's [[:space:]], which AO3's newline runs use:
 * ASCII white space, no-break and other spaces, line and paragraph separators), or 0. */
static size_t uws_len(const char *str, size_t i, size_t n)
{
	const unsigned char *s = (const unsigned char *)str + i;
	size_t left = n - i;
	if (s[0] > ' ' && s[0] < 0xC2)
		return 0; /* ASCII (or a continuation byte): the common case */
	if (is_ws((char)s[0]) || s[0] == '\v')
		return 1;
	if (left >= 2 && s[0] == 0xC2 && (s[1] == 0xA0 || s[1] == 0x85))
		return 2;
	if (left < 3)
		return 0;
	if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) /* U+1680 */
		return 3;
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3; /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) /* U+205F */
		return 3;
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
		return 3;
	return 0;
}

static void put_text(struct emit *e, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		if (sanitize_plain_byte((unsigned char)s[i]) || s[i] == '_') {
			i++;
			continue;
		}
		const char *rep;
		size_t k = sanitize_next_char(s, i, n, false, &rep);
		if (!rep) {
			i += k;
			continue;
		}
		buf_append(e->out, s + start, i - start);
		buf_puts(e->out, rep);
		i += k;
		start = i;
	}
	buf_append(e->out, s + start, n - start);
}

static void start_tag(struct emit *e, const struct cnode *n)
{
	buf_putc(e->out, '<');
	buf_puts(e->out, gumbo_normalized_tagname(n->tag));
	buf_append(e->out, n->s, n->len);
	buf_puts(e->out, sanitize_kind(n->tag) & K_VOID ? " />" : ">");
}

static void end_tag(struct emit *e, const struct cnode *n)
{
	buf_puts(e->out, "</");
	buf_puts(e->out, gumbo_normalized_tagname(n->tag));
	buf_putc(e->out, '>');
}

static void verbatim(struct emit *e, const struct cnode *n);

/* n's children as they are. */
static void verbatim_kids(struct emit *e, const struct cnode *n)
{
	/* A parser drops one newline right after <pre>: write one more so ours survives. */
	if (n->tag == GUMBO_TAG_PRE && n->nkids && n->kids[0]->tag == TEXT && n->kids[0]->s[0] == '\n')
		buf_putc(e->out, '\n');
	for (size_t i = 0; i < n->nkids; i++)
		verbatim(e, n->kids[i]);
}

/* n and everything inside it as it is: what paragraph inference leaves alone, and all of it without. */
static void verbatim(struct emit *e, const struct cnode *n)
{
	if (n->tag == TEXT) {
		put_text(e, n->s, n->len);
		return;
	}
	start_tag(e, n);
	if (sanitize_kind(n->tag) & K_VOID)
		return;
	verbatim_kids(e, n);
	end_tag(e, n);
}

/* ---- paragraphs ---- */

static void separate(struct emit *e)
{
	if (!e->first)
		buf_putc(e->out, '\n');
	e->first = false;
}

/* Takes the bytes of n's start tag from the budget for opening elements again; false when it is spent. */
static bool reopen_spend(struct emit *e, const struct cnode *n)
{
	size_t cost = n->len + 16;
	if (e->reopen_left < cost)
		return false;
	e->reopen_left -= cost;
	return true;
}

/* Before content: the paragraph and the start tags of the inline elements around it. */
static void ensure_open(struct emit *e)
{
	if (!e->open) {
		separate(e);
		buf_puts(e->out, "<p>");
		e->open = true;
	}
	for (size_t i = e->base; i < e->depth; i++) {
		if (!e->shown[i]) {
			/* Opened again (after a break or a block): with the budget spent, the content goes without
			 * this formatting and what is inside it. */
			if (e->touched[i] && !reopen_spend(e, e->stack[i]))
				break;
			start_tag(e, e->stack[i]);
			e->shown[i] = e->touched[i] = true;
		}
	}
}

/* Can the inline elements around the paragraph be opened again after a break? */
static bool can_reopen(const struct emit *e)
{
	size_t cost = 0;
	for (size_t i = e->base; i < e->depth; i++)
		cost += e->stack[i]->len + 16;
	return cost <= e->reopen_left;
}

static void close_para(struct emit *e)
{
	if (!e->open)
		return;
	for (size_t i = e->depth; i-- > e->base;) {
		if (e->shown[i])
			end_tag(e, e->stack[i]);
		e->shown[i] = false;
	}
	buf_puts(e->out, "</p>");
	e->open = false;
}

static void touch_all(struct emit *e)
{
	for (size_t i = e->base; i < e->depth; i++)
		e->touched[i] = true;
}

/* A paragraph break; a long one (three newlines, three <br>) leaves an empty paragraph between. */
static void paragraph_break(struct emit *e, bool long_break)
{
	if (e->depth > e->base && !can_reopen(e)) {
		ensure_open(e); /* the budget is spent: a line break in the same paragraph */
		buf_puts(e->out, "<br />\n");
		return;
	}
	close_para(e);
	touch_all(e);
	if (long_break) {
		separate(e);
		buf_puts(e->out, "<p>&nbsp;</p>");
	}
}

/* Text of a container or of an inline element in one, with its newlines made breaks. */
static void flow_text(struct emit *e, const char *s, size_t n, bool lstrip, bool rstrip)
{
	size_t a = 0, b = n;
	if (lstrip)
		while (a < b && is_ws(s[a]))
			a++;
	if (rstrip)
		while (b > a && is_ws(s[b - 1]))
			b--;
	size_t start = a;
	for (size_t i = a; i < b;) {
		size_t k = uws_len(s, i, b);
		if (!k) {
			i++;
			continue;
		}
		size_t j = i, newlines = 0;
		while (j < b && (k = uws_len(s, j, b)) > 0) {
			newlines += s[j] == '\n';
			j += k;
		}
		if (newlines) {
			if (i > start) {
				ensure_open(e);
				put_text(e, s + start, i - start);
			}
			if (newlines == 1) {
				ensure_open(e);
				buf_puts(e->out, "<br />\n");
			} else {
				paragraph_break(e, newlines >= 3);
			}
			start = j;
		}
		i = j;
	}
	if (b > start) {
		ensure_open(e);
		put_text(e, s + start, b - start);
	}
}

/* Written as a block (item below): a block, or a link (abbr, acronym) holding one. */
static bool is_block(const struct cnode *n)
{
	unsigned k = sanitize_kind(n->tag);
	return n->tag != TEXT && ((k & K_BLOCK) || (n->has_block && (k & K_SKIP)));
}

/* Does white space next to n go (AO3's TAG_NAMES_STRIP_WHITESPACE: blocks and <br>)? */
static bool strips(const struct cnode *n)
{
	return is_block(n) || n->tag == GUMBO_TAG_BR;
}

static bool ws_only(const struct cnode *n)
{
	if (n->tag != TEXT)
		return false;
	for (size_t i = 0; i < n->len; i++)
		if (!is_ws(n->s[i]))
			return false;
	return true;
}

static void flow(struct emit *e, const struct cnode *n);
static void children(struct emit *e, const struct cnode *n, bool edges_strip);

/* p, h1-h6, address and pre take the inline formatting they sit in inside themselves. */
static bool takes_formatting(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_PRE: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
	case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
		return true;
	default:
		return false;
	}
}

/* A block in a container (or taken out of the inline elements it was in). */
static void block(struct emit *e, const struct cnode *n)
{
	close_para(e);
	separate(e);
	if (e->depth > e->base && takes_formatting(n->tag) && can_reopen(e)) {
		start_tag(e, n); /* (no newline to add after <pre>: the formatting comes first) */
		for (size_t i = e->base; i < e->depth; i++) {
			reopen_spend(e, e->stack[i]);
			start_tag(e, e->stack[i]);
		}
		for (size_t i = 0; i < n->nkids; i++)
			verbatim(e, n->kids[i]);
		for (size_t i = e->depth; i-- > e->base;)
			end_tag(e, e->stack[i]);
		end_tag(e, n);
	} else if ((sanitize_kind(n->tag) & (K_SKIP | K_VOID)) || !(sanitize_kind(n->tag) & K_FLOW)) {
		verbatim(e, n);
	} else {
		start_tag(e, n);
		flow(e, n);
		end_tag(e, n);
	}
	touch_all(e);
}

/* An inline element whose content gets paragraph inference: pushed on the stack while its children go. */
static void inline_element(struct emit *e, const struct cnode *n)
{
	if (e->depth == e->cap) {
		e->cap *= 2;
		e->stack = xrealloc(e->stack, e->cap * sizeof *e->stack);
		e->shown = xrealloc(e->shown, e->cap * sizeof *e->shown);
		e->touched = xrealloc(e->touched, e->cap * sizeof *e->touched);
	}
	size_t me = e->depth++;
	e->stack[me] = n;
	e->shown[me] = e->touched[me] = false;
	children(e, n, false);
	if (!e->touched[me]) /* an empty element is kept, as AO3 keeps it */
		ensure_open(e);
	if (e->shown[me])
		end_tag(e, n);
	e->depth--;
}

static void item(struct emit *e, const struct cnode *n)
{
	unsigned k = sanitize_kind(n->tag);
	if (is_block(n)) {
		block(e, n);
	} else if (k & (K_SKIP | K_VOID)) {
		ensure_open(e); /* a, abbr, acronym, img, br: wrapped, their content as written */
		verbatim(e, n);
	} else {
		inline_element(e, n);
	}
}

/* The children of a container or of an inline element in one. */
static void children(struct emit *e, const struct cnode *n, bool edges_strip)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct cnode *k = n->kids[i];
		if (k->tag == TEXT) {
			bool lstrip = i == 0 ? edges_strip : strips(n->kids[i - 1]);
			bool rstrip = i + 1 == n->nkids ? edges_strip : strips(n->kids[i + 1]);
			flow_text(e, k->s, k->len, lstrip, rstrip);
			continue;
		}
		if (k->tag == GUMBO_TAG_BR) {
			/* Two or more <br> in a row, with nothing but white space between, break the paragraph. */
			size_t j = i, count = 0, last = i;
			while (j < n->nkids && (n->kids[j]->tag == GUMBO_TAG_BR || ws_only(n->kids[j]))) {
				if (n->kids[j]->tag == GUMBO_TAG_BR)
					count++, last = j;
				j++;
			}
			if (count >= 2) {
				paragraph_break(e, count >= 3);
				i = last;
				continue;
			}
		}
		item(e, k);
	}
}

/* A container's children, with their own paragraphs and a fresh stack of inline elements. */
static void flow(struct emit *e, const struct cnode *n)
{
	size_t base = e->base;
	bool open = e->open, first = e->first;
	e->base = e->depth;
	e->open = false;
	e->first = true;
	children(e, n, true);
	close_para(e);
	e->base = base;
	e->open = open;
	e->first = first;
}

void sanitize_emit(const struct cnode *root, bool para, size_t in_len, struct buf *out)
{
	struct emit e = {.out = out, .cap = MAX_DEPTH + 8, .reopen_left = 2 * in_len + 65536};
	if (!para) {
		verbatim_kids(&e, root);
		return;
	}
	e.stack = xmalloc(e.cap * sizeof *e.stack);
	e.shown = xmalloc(e.cap * sizeof *e.shown);
	e.touched = xmalloc(e.cap * sizeof *e.touched);
	e.first = true;
	flow(&e, root);
	free(e.stack);
	free(e.shown);
	free(e.touched);
}
