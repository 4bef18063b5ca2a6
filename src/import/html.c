/* HTML into blocks, as word processors write it: Word's MsoNormal paragraphs and <o:p>, LibreOffice's
 * styled paragraphs, Google Docs' classes in a <style> sheet and its font-weight:normal <b> wrapper. Formatting
 * given by style or class becomes elements (italics, bold, underline, strike, super/subscript, centring);
 * layout (fonts, margins, colours) is dropped; <br><br> runs split paragraphs as eFiction-era HTML uses them.
 * The output is sanitized again when posted: this only has to be clean, not be the safety. */
#include "import/import_int.h"
#include "html/escape.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a style (or a class's rules) says: formatting switched on and off, and alignment. */
struct style {
	unsigned on, off;
	const char *align; /* "center", "right" or NULL */
};

#define CSS_CLASSES_MAX 4000

struct css_class {
	const char *name;
	struct style st;
};

struct hctx {
	struct arena *a;
	struct import_blocks *out;
	struct css_class *classes;
	size_t nclasses;
	/* the paragraph being gathered from inline content outside any <p> */
	struct buf html, text;
	const char *align;
	unsigned fmt;  /* formatting in effect where the gathering paragraph began */
	int brs;       /* <br> in a row at the end of the gathering paragraph */
	size_t images_dropped;
};

/* ---- Styles and classes ---- */

static bool has_word(const char *v, size_t n, const char *w)
{
	size_t k = strlen(w);
	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(v + i, w, k) && (i == 0 || !isalnum((unsigned char)v[i - 1])) &&
		    (i + k == n || !isalnum((unsigned char)v[i + k])))
			return true;
	return false;
}

/* One declaration "name: value" of a style attribute or a CSS rule. */
static void declaration(const char *name, size_t nn, const char *v, size_t vn, struct style *st)
{
#define IS(s) (nn == strlen(s) && !strncasecmp(name, s, nn))
	if (IS("font-style")) {
		if (has_word(v, vn, "italic") || has_word(v, vn, "oblique"))
			st->on |= F_EM, st->off &= ~(unsigned)F_EM;
		else if (has_word(v, vn, "normal"))
			st->off |= F_EM, st->on &= ~(unsigned)F_EM;
	} else if (IS("font-weight")) {
		int num = atoi(v);
		if (has_word(v, vn, "bold") || has_word(v, vn, "bolder") || num >= 600)
			st->on |= F_STRONG, st->off &= ~(unsigned)F_STRONG;
		else if (has_word(v, vn, "normal") || has_word(v, vn, "lighter") || (num > 0 && num < 600))
			st->off |= F_STRONG, st->on &= ~(unsigned)F_STRONG;
	} else if (IS("text-decoration") || IS("text-decoration-line")) {
		if (has_word(v, vn, "underline"))
			st->on |= F_U;
		if (has_word(v, vn, "line-through"))
			st->on |= F_S;
		if (has_word(v, vn, "none"))
			st->off |= F_U | F_S;
	} else if (IS("vertical-align")) {
		if (has_word(v, vn, "super"))
			st->on |= F_SUP;
		else if (has_word(v, vn, "sub"))
			st->on |= F_SUB;
	} else if (IS("text-align")) {
		if (has_word(v, vn, "center"))
			st->align = "center";
		else if (has_word(v, vn, "right"))
			st->align = "right";
	}
#undef IS
}

/* Reads "a: b; c: d" (a style attribute, or the inside of a CSS rule). */
static void parse_declarations(const char *s, size_t n, struct style *st)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != ';')
			end++;
		const char *colon = memchr(s + i, ':', end - i);
		if (colon) {
			const char *name = s + i, *val = colon + 1;
			size_t nn = (size_t)(colon - name), vn = (size_t)(s + end - val);
			while (nn && isspace((unsigned char)*name))
				name++, nn--;
			while (nn && isspace((unsigned char)name[nn - 1]))
				nn--;
			while (vn && isspace((unsigned char)*val))
				val++, vn--;
			declaration(name, nn, val, vn, st);
		}
		i = end + 1;
	}
}

/* Google Docs and some exporters put formatting in a <style> sheet as ".c3{font-style:italic}": the rules
 * whose selectors are a bare class (or element.class) are kept. */
static void parse_sheet(struct hctx *h, const char *css, size_t n)
{
	size_t i = 0;
	while (i < n && h->nclasses < CSS_CLASSES_MAX) {
		const char *open = memchr(css + i, '{', n - i);
		if (!open)
			break;
		const char *close = memchr(open, '}', (size_t)(css + n - open));
		if (!close)
			break;
		struct style st = {0};
		parse_declarations(open + 1, (size_t)(close - open - 1), &st);
		/* each selector of "a, .b, p.c" */
		const char *sel = css + i, *sel_end = open;
		while (sel < sel_end && h->nclasses < CSS_CLASSES_MAX) {
			const char *comma = memchr(sel, ',', (size_t)(sel_end - sel));
			const char *e = comma ? comma : sel_end;
			const char *p = sel;
			while (p < e && isspace((unsigned char)*p))
				p++;
			while (p < e && isalnum((unsigned char)*p))
				p++; /* an element name before the class */
			if (p < e && *p == '.') {
				const char *name = ++p;
				while (p < e && (isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
					p++;
				const char *q = p;
				while (q < e && isspace((unsigned char)*q))
					q++;
				if (q == e && p > name && (st.on || st.off || st.align))
					h->classes[h->nclasses++] = (struct css_class){arena_strndup(h->a, name, (size_t)(p - name)), st};
			}
			sel = comma ? comma + 1 : sel_end;
		}
		i = (size_t)(close - css) + 1;
	}
}

static void merge(struct style *into, const struct style *s)
{
	into->on = (into->on & ~s->off) | s->on;
	into->off = (into->off & ~s->on) | s->off;
	if (s->align)
		into->align = s->align;
}

static const char *attr(const GumboElement *el, const char *name)
{
	const GumboAttribute *at = gumbo_get_attribute(&el->attributes, name);
	return at ? at->value : NULL;
}

/* The style an element gives its content: its tag, its classes, then its style attribute. */
static struct style element_style(const struct hctx *h, const GumboElement *el)
{
	struct style st = {0};
	switch (el->tag) {
	case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_CITE: case GUMBO_TAG_VAR: case GUMBO_TAG_DFN:
		st.on = F_EM;
		break;
	case GUMBO_TAG_STRONG: case GUMBO_TAG_B:
		st.on = F_STRONG;
		break;
	case GUMBO_TAG_U: case GUMBO_TAG_INS:
		st.on = F_U;
		break;
	case GUMBO_TAG_S: case GUMBO_TAG_STRIKE: case GUMBO_TAG_DEL:
		st.on = F_S;
		break;
	case GUMBO_TAG_SUP: st.on = F_SUP; break;
	case GUMBO_TAG_SUB: st.on = F_SUB; break;
	case GUMBO_TAG_CENTER: st.align = "center"; break;
	default: break;
	}
	const char *al = attr(el, "align");
	if (al && !strcasecmp(al, "center"))
		st.align = "center";
	else if (al && !strcasecmp(al, "right"))
		st.align = "right";
	const char *cls = attr(el, "class");
	for (const char *p = cls; p && *p && h->nclasses;) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		for (size_t i = 0; k && i < h->nclasses; i++)
			if (strlen(h->classes[i].name) == k && !strncmp(h->classes[i].name, p, k))
				merge(&st, &h->classes[i].st);
		p += k;
	}
	const char *style = attr(el, "style");
	if (style) {
		struct style s = {0};
		parse_declarations(style, strlen(style), &s);
		merge(&st, &s);
	}
	return st;
}

/* ---- Which elements are what ---- */

static bool dropped(const GumboNode *n)
{
	if (n->type != GUMBO_NODE_ELEMENT)
		return n->type == GUMBO_NODE_COMMENT;
	switch (n->v.element.tag) {
	case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
	case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
	case GUMBO_TAG_FORM: case GUMBO_TAG_INPUT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
	case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_NAV: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
		return true;
	case GUMBO_TAG_UNKNOWN: {
		/* Word's XML islands (<xml>, <w:WordDocument>) hold settings, not text */
		const GumboStringPiece *t = &n->v.element.original_tag;
		return (t->length >= 4 && !strncasecmp(t->data, "<xml", 4)) ||
		       (t->length >= 3 && !strncasecmp(t->data, "<w:", 3)) ||
		       (t->length >= 3 && !strncasecmp(t->data, "<m:", 3));
	}
	default:
		return false;
	}
}

/* Elements that are blocks of their own, whole. */
static bool whole_block(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_TABLE: case GUMBO_TAG_PRE:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_FIGURE: case GUMBO_TAG_DETAILS: case GUMBO_TAG_ADDRESS:
		return true;
	default:
		return false;
	}
}

/* Elements that only hold other content: walked through. */
static bool container(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_MAIN: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_CENTER:
	case GUMBO_TAG_HGROUP:
		return true;
	default:
		return false;
	}
}

static bool is_heading(GumboTag t)
{
	return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
}

/* Whether an element holds a block anywhere below it (then it is a container, not a paragraph). */
static bool holds_block(const GumboNode *n, int depth)
{
	if (n->type != GUMBO_NODE_ELEMENT || depth > IMPORT_DEPTH_MAX)
		return false;
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (k->type != GUMBO_NODE_ELEMENT || dropped(k))
			continue;
		GumboTag t = k->v.element.tag;
		if (t == GUMBO_TAG_P || is_heading(t) || whole_block(t) || container(t) || t == GUMBO_TAG_HR ||
		    holds_block(k, depth + 1))
			return true;
	}
	return false;
}

/* ---- Inline content ---- */

static const char *const fmt_tags[] = {"em", "strong", "u", "s", "sup", "sub"};

static void open_fmt(struct buf *b, unsigned f)
{
	for (int i = 0; i < 6; i++)
		if (f & (1u << i))
			buf_printf(b, "<%s>", fmt_tags[i]);
}

static void close_fmt(struct buf *b, unsigned f)
{
	for (int i = 5; i >= 0; i--)
		if (f & (1u << i))
			buf_printf(b, "</%s>", fmt_tags[i]);
}

/* Text with white space folded as a browser shows it (pre keeps its own). */
static void put_text(struct buf *html, struct buf *text, const char *s, size_t n, bool pre)
{
	if (pre) {
		blocks_escape(html, s, n);
		buf_append(text, s, n);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && !(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == '\f'))
			continue;
		blocks_escape(html, s + start, i - start);
		buf_append(text, s + start, i - start);
		if (i < n) {
			buf_putc(html, ' ');
			buf_putc(text, ' ');
		}
		start = i + 1;
	}
}

static bool url_ok(const char *u, bool image)
{
	if (!u)
		return false;
	while (*u == ' ')
		u++;
	return !strncasecmp(u, "https://", 8) || !strncasecmp(u, "http://", 7) ||
	       (!image && !strncasecmp(u, "mailto:", 7));
}

/* Keeps an element of its own kind (an allowed inline element that is not formatting). */
static const char *kept_inline(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_CODE: return "code";
	case GUMBO_TAG_TT: return "tt";
	case GUMBO_TAG_KBD: return "kbd";
	case GUMBO_TAG_SAMP: return "samp";
	case GUMBO_TAG_SMALL: return "small";
	case GUMBO_TAG_BIG: return "big";
	case GUMBO_TAG_Q: return "q";
	case GUMBO_TAG_ABBR: return "abbr";
	case GUMBO_TAG_ACRONYM: return "acronym";
	case GUMBO_TAG_RUBY: return "ruby";
	case GUMBO_TAG_RT: return "rt";
	case GUMBO_TAG_RP: return "rp";
	default: return NULL;
	}
}

static void inline_children(struct hctx *h, const GumboNode *n, unsigned fmt, struct buf *html, struct buf *text,
                            bool pre, int depth);

/* One inline node into html/text; fmt is the formatting already open around it. */
static void inline_node(struct hctx *h, const GumboNode *n, unsigned fmt, struct buf *html, struct buf *text,
                        bool pre, int depth)
{
	if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
		put_text(html, text, n->v.text.text, strlen(n->v.text.text), pre);
		return;
	}
	if (n->type != GUMBO_NODE_ELEMENT || dropped(n))
		return;
	const GumboElement *el = &n->v.element;
	if (depth > IMPORT_DEPTH_MAX) { /* too deep to follow: its text only */
		inline_children(h, n, fmt, html, text, pre, depth);
		return;
	}
	if (el->tag == GUMBO_TAG_BR) {
		buf_puts(html, "<br />\n");
		buf_putc(text, ' ');
		return;
	}
	if (el->tag == GUMBO_TAG_IMG) {
		const char *src = attr(el, "src"), *alt = attr(el, "alt");
		if (!url_ok(src, true)) {
			h->images_dropped++;
			return;
		}
		buf_puts(html, "<img src=\"");
		esc_html(html, src, strlen(src));
		buf_puts(html, "\"");
		if (alt) {
			buf_puts(html, " alt=\"");
			esc_html(html, alt, strlen(alt));
			buf_puts(html, "\"");
		}
		buf_puts(html, " />");
		return;
	}
	struct style st = element_style(h, el);
	unsigned now = (fmt & ~st.off) | st.on;
	/* formatting switched off inside (Google Docs' <b style="font-weight:normal">): close and reopen */
	unsigned closing = fmt & ~now, opening = now & ~fmt;
	close_fmt(html, closing);
	open_fmt(html, opening);
	const char *href = el->tag == GUMBO_TAG_A ? attr(el, "href") : NULL;
	const char *kept = kept_inline(el->tag);
	if (href && url_ok(href, false)) {
		buf_puts(html, "<a href=\"");
		esc_html(html, href, strlen(href));
		buf_puts(html, "\">");
	} else {
		href = NULL;
	}
	if (kept)
		buf_printf(html, "<%s>", kept);
	inline_children(h, n, now, html, text, pre, depth + 1);
	if (kept)
		buf_printf(html, "</%s>", kept);
	if (href)
		buf_puts(html, "</a>");
	close_fmt(html, opening);
	open_fmt(html, closing);
}

static void inline_children(struct hctx *h, const GumboNode *n, unsigned fmt, struct buf *html, struct buf *text,
                            bool pre, int depth)
{
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++)
		inline_node(h, kids->data[i], fmt, html, text, pre, depth);
}

/* ---- Blocks ---- */

/* "<br />" runs split a paragraph: the parts of html (and of text) between two or more line breaks. */
static void add_paragraphs(struct hctx *h, const char *html, const char *align, const char *tag)
{
	const char *p = html;
	for (;;) {
		/* the next run of two or more <br />, white space allowed between them */
		const char *cut = NULL, *resume = NULL;
		for (const char *q = strstr(p, "<br />"); q; q = strstr(q + 1, "<br />")) {
			const char *r = q + 6;
			int brs = 1;
			for (;;) {
				while (*r == ' ' || *r == '\n')
					r++;
				if (strncmp(r, "<br />", 6))
					break;
				brs++;
				r += 6;
			}
			if (brs >= 2) {
				cut = q;
				resume = r;
				break;
			}
			q = r - 1;
		}
		size_t n = cut ? (size_t)(cut - p) : strlen(p);
		/* trailing and leading single breaks go */
		while (n >= 6 && !strncmp(p, "<br />", 6))
			p += 6, n -= 6;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\n'))
			n--;
		while (n >= 6 && !strncmp(p + n - 6, "<br />", 6)) {
			n -= 6;
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\n'))
				n--;
		}
		const char *part = arena_strndup(h->a, p, n);
		/* the visible text of the part: tags dropped */
		struct buf t = BUF_INIT;
		for (const char *s = part; *s;) {
			if (*s == '<') {
				const char *gt = strchr(s, '>');
				buf_putc(&t, ' ');
				s = gt ? gt + 1 : s + strlen(s);
			} else if (*s == '&') {
				const char *semi = strchr(s, ';');
				size_t k = semi ? (size_t)(semi - s) + 1 : 1;
				static const struct { const char *e, *c; } ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
				                                                     {"&quot;", "\""}, {"&#39;", "'"}};
				const char *c = "&";
				for (size_t e = 0; e < 5; e++)
					if (strlen(ents[e].e) == k && !strncmp(s, ents[e].e, k))
						c = ents[e].c;
				buf_puts(&t, c);
				s += k;
			} else {
				buf_putc(&t, *s++);
			}
		}
		const char *text = blocks_fold_space(h->a, buf_cstr(&t), t.len);
		buf_free(&t);
		bool has_img = strstr(part, "<img") != NULL;
		if (*text || has_img) {
			if (tag) { /* a heading: one block, breaks and all */
				int level = tag[1] - '0';
				blocks_add(h->a, h->out, BLOCK_HEADING, level, arena_printf(h->a, "<%s>%s</%s>", tag, part, tag), text);
				return;
			}
			bool brk = !has_img && blocks_scene_break(text);
			const char *al = align ? align : brk ? "center" : NULL;
			const char *ph = al ? arena_printf(h->a, "<p align=\"%s\">%s</p>", al, part) : arena_printf(h->a, "<p>%s</p>", part);
			blocks_add(h->a, h->out, brk ? BLOCK_BREAK : BLOCK_PARAGRAPH, 0, ph, text);
		}
		if (!cut)
			return;
		p = resume;
	}
}

/* Ends the paragraph gathered from loose inline content. */
static void flush(struct hctx *h)
{
	if (h->html.len)
		add_paragraphs(h, buf_cstr(&h->html), h->align, NULL);
	buf_reset(&h->html);
	buf_reset(&h->text);
	h->align = NULL;
}

/* A paragraph element (or a heading, or a div holding only inline content). */
static void paragraph(struct hctx *h, const GumboNode *n, unsigned fmt, const char *align, int depth)
{
	struct buf html = BUF_INIT, text = BUF_INIT;
	struct style st = element_style(h, &n->v.element);
	unsigned now = (fmt & ~st.off) | st.on;
	GumboTag t = n->v.element.tag;
	bool heading = is_heading(t);
	/* headings are bold already: their own weight is not kept */
	if (heading)
		now &= ~(unsigned)F_STRONG;
	open_fmt(&html, now);
	inline_children(h, n, now, &html, &text, false, depth + 1);
	close_fmt(&html, now);
	const char *al = st.align ? st.align : align;
	add_paragraphs(h, buf_cstr(&html), al, heading ? gumbo_normalized_tagname(t) : NULL);
	buf_free(&html);
	buf_free(&text);
}

static void serialize_whole(struct hctx *h, const GumboNode *n, unsigned fmt, struct buf *html, struct buf *text,
                            int depth);

static void serialize_children(struct hctx *h, const GumboNode *n, unsigned fmt, struct buf *html, struct buf *text,
                               int depth)
{
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++)
		serialize_whole(h, kids->data[i], fmt, html, text, depth + 1);
}

/* Lists, tables, quotations: their structure kept, everything inside cleaned like paragraphs. */
static void serialize_whole(struct hctx *h, const GumboNode *n, unsigned fmt, struct buf *html, struct buf *text,
                            int depth)
{
	if (n->type != GUMBO_NODE_ELEMENT || depth > IMPORT_DEPTH_MAX) {
		inline_node(h, n, fmt, html, text, false, depth);
		return;
	}
	if (dropped(n))
		return;
	GumboTag t = n->v.element.tag;
	static const GumboTag structure[] = {
		GUMBO_TAG_UL, GUMBO_TAG_OL, GUMBO_TAG_LI, GUMBO_TAG_DL, GUMBO_TAG_DT, GUMBO_TAG_DD, GUMBO_TAG_TABLE,
		GUMBO_TAG_THEAD, GUMBO_TAG_TBODY, GUMBO_TAG_TFOOT, GUMBO_TAG_TR, GUMBO_TAG_TD, GUMBO_TAG_TH,
		GUMBO_TAG_CAPTION, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_P, GUMBO_TAG_PRE, GUMBO_TAG_FIGURE,
		GUMBO_TAG_FIGCAPTION, GUMBO_TAG_DETAILS, GUMBO_TAG_SUMMARY, GUMBO_TAG_ADDRESS, GUMBO_TAG_HR,
		GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6,
	};
	bool keep = false;
	for (size_t i = 0; i < sizeof structure / sizeof structure[0] && !keep; i++)
		keep = structure[i] == t;
	if (!keep) {
		if (container(t)) { /* a div inside a list item: its content, a line apart */
			serialize_children(h, n, fmt, html, text, depth);
			buf_putc(text, ' ');
			return;
		}
		inline_node(h, n, fmt, html, text, false, depth);
		return;
	}
	const char *name = gumbo_normalized_tagname(t);
	struct style st = element_style(h, &n->v.element);
	buf_printf(html, "<%s", name);
	if (st.align && (t == GUMBO_TAG_P || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH))
		buf_printf(html, " align=\"%s\"", st.align);
	if (t == GUMBO_TAG_HR) {
		buf_puts(html, " />");
		return;
	}
	buf_putc(html, '>');
	if (t == GUMBO_TAG_PRE) {
		inline_children(h, n, 0, html, text, true, depth + 1);
	} else {
		unsigned now = (fmt & ~st.off) | st.on;
		open_fmt(html, now & ~fmt);
		serialize_children(h, n, now, html, text, depth);
		close_fmt(html, now & ~fmt);
	}
	buf_printf(html, "</%s>\n", name);
	buf_putc(text, ' ');
}

static void walk(struct hctx *h, const GumboNode *n, unsigned fmt, const char *align, int depth)
{
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (dropped(k))
			continue;
		if (k->type != GUMBO_NODE_ELEMENT) {
			if (!h->html.len) {
				h->align = align;
				open_fmt(&h->html, fmt);
				h->fmt = fmt;
			}
			inline_node(h, k, fmt, &h->html, &h->text, false, depth + 1);
			continue;
		}
		GumboTag t = k->v.element.tag;
		/* a container of blocks: a div of paragraphs, or an inline element wrapped around them (Google Docs'
		 * <b style="font-weight:normal">, a <span> or <font> around a whole document) */
		bool div_block = (container(t) && depth > IMPORT_DEPTH_MAX / 2) ||
		                 (t != GUMBO_TAG_P && !is_heading(t) && !whole_block(t) && holds_block(k, 0));
		if (t == GUMBO_TAG_P || is_heading(t) || (container(t) && !div_block)) {
			if (h->html.len) {
				close_fmt(&h->html, h->fmt);
				flush(h);
			}
			paragraph(h, k, fmt, align, depth);
		} else if (t == GUMBO_TAG_HR) {
			if (h->html.len) {
				close_fmt(&h->html, h->fmt);
				flush(h);
			}
			blocks_add(h->a, h->out, BLOCK_BREAK, 0, "<hr />", "");
		} else if (whole_block(t)) {
			if (h->html.len) {
				close_fmt(&h->html, h->fmt);
				flush(h);
			}
			struct buf html = BUF_INIT, text = BUF_INIT;
			serialize_whole(h, k, fmt, &html, &text, depth + 1);
			const char *tx = blocks_fold_space(h->a, buf_cstr(&text), text.len);
			if (*tx || strstr(buf_cstr(&html), "<img"))
				blocks_add(h->a, h->out, BLOCK_OTHER, 0, arena_strndup(h->a, buf_cstr(&html), html.len), tx);
			buf_free(&html);
			buf_free(&text);
		} else if (div_block) {
			if (h->html.len) {
				close_fmt(&h->html, h->fmt);
				flush(h);
			}
			struct style st = element_style(h, &k->v.element);
			walk(h, k, (fmt & ~st.off) | st.on, st.align ? st.align : align, depth + 1);
		} else {
			if (!h->html.len) {
				h->align = align;
				open_fmt(&h->html, fmt);
				h->fmt = fmt;
			}
			inline_node(h, k, fmt, &h->html, &h->text, false, depth + 1);
		}
	}
	if (h->html.len) {
		close_fmt(&h->html, h->fmt);
		flush(h);
	}
}

/* ---- Documents ---- */

static void collect_sheets(struct hctx *h, const GumboNode *n, int depth)
{
	if (n->type != GUMBO_NODE_ELEMENT || depth > 20)
		return;
	if (n->v.element.tag == GUMBO_TAG_STYLE) {
		const GumboVector *kids = &n->v.element.children;
		for (unsigned i = 0; i < kids->length; i++) {
			const GumboNode *t = kids->data[i];
			if (t->type == GUMBO_NODE_TEXT || t->type == GUMBO_NODE_CDATA || t->type == GUMBO_NODE_WHITESPACE)
				parse_sheet(h, t->v.text.text, strlen(t->v.text.text));
		}
		return;
	}
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++)
		collect_sheets(h, kids->data[i], depth + 1);
}

static const GumboNode *find(const GumboNode *n, GumboTag tag, int depth)
{
	if (n->type != GUMBO_NODE_ELEMENT || depth > 8)
		return NULL;
	if (n->v.element.tag == tag)
		return n;
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *f = find(kids->data[i], tag, depth + 1);
		if (f)
			return f;
	}
	return NULL;
}

static void hctx_init(struct hctx *h, struct arena *a, struct import_blocks *out)
{
	memset(h, 0, sizeof *h);
	h->a = a;
	h->out = out;
	h->classes = arena_alloc(a, CSS_CLASSES_MAX * sizeof *h->classes);
}

static void hctx_done(struct hctx *h)
{
	buf_free(&h->html);
	buf_free(&h->text);
}

const char *import_html_text(struct arena *a, const void *node)
{
	struct hctx h;
	struct import_blocks none = {0};
	hctx_init(&h, a, &none);
	struct buf html = BUF_INIT, text = BUF_INIT;
	inline_children(&h, node, 0, &html, &text, false, 0);
	const char *t = blocks_fold_space(a, buf_cstr(&text), text.len);
	buf_free(&html);
	buf_free(&text);
	hctx_done(&h);
	return t;
}

void import_html_node_blocks(struct arena *a, const void *node, struct import_blocks *out)
{
	struct hctx h;
	hctx_init(&h, a, out);
	const GumboNode *n = node;
	if (n->type == GUMBO_NODE_ELEMENT)
		walk(&h, n, 0, NULL, 0);
	hctx_done(&h);
}

const char *import_html_inner(struct arena *a, const void *node)
{
	struct import_blocks b = {0};
	import_html_node_blocks(a, node, &b);
	return blocks_html(a, &b);
}

void import_html_doc_blocks(struct arena *a, const void *root, struct import_blocks *out, struct import_meta *meta)
{
	struct hctx h;
	hctx_init(&h, a, out);
	collect_sheets(&h, root, 0);
	const GumboNode *title = find(root, GUMBO_TAG_TITLE, 0);
	if (title && meta && !meta->title) {
		const char *t = import_html_text(a, title);
		if (*t)
			meta->title = t;
	}
	const GumboNode *body = find(root, GUMBO_TAG_BODY, 0);
	walk(&h, body ? body : (const GumboNode *)root, 0, NULL, 0);
	if (meta)
		meta->images_dropped += h.images_dropped;
	hctx_done(&h);
}

void import_html_blocks(struct arena *a, const char *html, size_t len, struct import_blocks *out,
                        struct import_meta *meta)
{
	GumboOptions opt = kGumboDefaultOptions;
	opt.max_errors = 100;
	GumboOutput *g = gumbo_parse_with_options(&opt, html, len);
	if (!g)
		return;
	import_html_doc_blocks(a, g->root, out, meta);
	gumbo_destroy_output(&opt, g);
}
