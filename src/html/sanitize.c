/* HTML sanitizer: parses untrusted HTML with gumbo and rebuilds it from an allow-list, never copying source text. */
#include "html/sanitize.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include <gumbo.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Two passes. build() walks gumbo's tree with an explicit stack (gumbo trees can be as deep as
 * the input is long) into a small clean tree holding only allowed elements with their filtered
 * attributes; it also refuses any element that an HTML parser would not put back in the same
 * place when it reads our output (a <div> inside a <p>, an <li> directly inside an <li> once an
 * unknown element between them is unwrapped, ...). Without that, sanitizing stored HTML again
 * would change it. emit() then serializes the clean tree, inferring paragraphs on request; its
 * recursion is bounded by MAX_DEPTH.
 */

/* Deepest element nesting kept; anything deeper loses its tags but keeps its text. */
#define MAX_DEPTH 100

enum {
	K_ALLOW = 1 << 0,   /* kept, with its allowed attributes */
	K_DROP = 1 << 1,    /* removed together with everything inside it */
	K_BLOCK = 1 << 2,   /* ends an inferred paragraph and is never wrapped in one */
	K_PCLOSE = 1 << 3,  /* its start tag closes an open <p> */
	K_FLOW = 1 << 4,    /* holds inferred paragraphs in SANITIZE_PARAGRAPHS mode */
	K_SPECIAL = 1 << 5, /* stops the parser's search for an open li/dd/dt to close */
	K_HEADING = 1 << 6,
	K_FORMAT = 1 << 7,  /* lives in the parser's list of active formatting elements */
	K_SCOPE = 1 << 8,   /* bounds the parser's element scopes */
	K_MARKER = 1 << 9,  /* puts a marker in the active formatting list */
	K_TABLE = 1 << 10,  /* only table structure and whitespace may sit directly inside */
	K_VOID = 1 << 11,
};

#define INLINE (K_ALLOW)
#define FMT (K_ALLOW | K_FORMAT)
#define BLK (K_ALLOW | K_BLOCK | K_PCLOSE)
#define TBL (K_ALLOW | K_BLOCK | K_SPECIAL)

static const uint16_t kind[GUMBO_TAG_LAST + 1] = {
	[GUMBO_TAG_A] = FMT,
	[GUMBO_TAG_ABBR] = INLINE,
	[GUMBO_TAG_ACRONYM] = INLINE,
	[GUMBO_TAG_ADDRESS] = BLK,
	[GUMBO_TAG_B] = FMT,
	[GUMBO_TAG_BIG] = FMT,
	[GUMBO_TAG_BLOCKQUOTE] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_BR] = K_ALLOW | K_VOID | K_SPECIAL,
	[GUMBO_TAG_CAPTION] = TBL | K_SCOPE | K_MARKER,
	[GUMBO_TAG_CENTER] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_CITE] = INLINE,
	[GUMBO_TAG_CODE] = FMT,
	[GUMBO_TAG_COL] = TBL | K_VOID,
	[GUMBO_TAG_COLGROUP] = TBL | K_TABLE,
	[GUMBO_TAG_DD] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_DEL] = INLINE,
	[GUMBO_TAG_DETAILS] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_DFN] = INLINE,
	[GUMBO_TAG_DIV] = BLK | K_FLOW,
	[GUMBO_TAG_DL] = BLK | K_SPECIAL,
	[GUMBO_TAG_DT] = BLK | K_SPECIAL,
	[GUMBO_TAG_EM] = FMT,
	[GUMBO_TAG_FIGCAPTION] = BLK | K_SPECIAL,
	[GUMBO_TAG_FIGURE] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_H1] = BLK | K_SPECIAL | K_HEADING,
	[GUMBO_TAG_H2] = BLK | K_SPECIAL | K_HEADING,
	[GUMBO_TAG_H3] = BLK | K_SPECIAL | K_HEADING,
	[GUMBO_TAG_H4] = BLK | K_SPECIAL | K_HEADING,
	[GUMBO_TAG_H5] = BLK | K_SPECIAL | K_HEADING,
	[GUMBO_TAG_H6] = BLK | K_SPECIAL | K_HEADING,
	[GUMBO_TAG_HR] = BLK | K_SPECIAL | K_VOID,
	[GUMBO_TAG_I] = FMT,
	[GUMBO_TAG_IMG] = K_ALLOW | K_VOID | K_SPECIAL,
	[GUMBO_TAG_INS] = INLINE,
	[GUMBO_TAG_KBD] = INLINE,
	[GUMBO_TAG_LI] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_OL] = BLK | K_SPECIAL,
	[GUMBO_TAG_P] = BLK,
	[GUMBO_TAG_PRE] = BLK | K_SPECIAL,
	[GUMBO_TAG_Q] = INLINE,
	[GUMBO_TAG_RP] = INLINE,
	[GUMBO_TAG_RT] = INLINE,
	[GUMBO_TAG_RUBY] = INLINE,
	[GUMBO_TAG_S] = FMT,
	[GUMBO_TAG_SAMP] = INLINE,
	[GUMBO_TAG_SMALL] = FMT,
	[GUMBO_TAG_SPAN] = INLINE,
	[GUMBO_TAG_STRIKE] = FMT,
	[GUMBO_TAG_STRONG] = FMT,
	[GUMBO_TAG_SUB] = INLINE,
	[GUMBO_TAG_SUMMARY] = BLK | K_SPECIAL,
	[GUMBO_TAG_SUP] = INLINE,
	[GUMBO_TAG_TABLE] = BLK | K_SPECIAL | K_SCOPE | K_TABLE,
	[GUMBO_TAG_TBODY] = TBL | K_TABLE,
	[GUMBO_TAG_TD] = TBL | K_SCOPE | K_MARKER | K_FLOW,
	[GUMBO_TAG_TFOOT] = TBL | K_TABLE,
	[GUMBO_TAG_TH] = TBL | K_SCOPE | K_MARKER | K_FLOW,
	[GUMBO_TAG_THEAD] = TBL | K_TABLE,
	[GUMBO_TAG_TR] = TBL | K_TABLE,
	[GUMBO_TAG_TT] = FMT,
	[GUMBO_TAG_U] = FMT,
	[GUMBO_TAG_UL] = BLK | K_SPECIAL,
	[GUMBO_TAG_VAR] = INLINE,

	/* Executable, embedding, form or document-level elements: their content goes too. */
	[GUMBO_TAG_SCRIPT] = K_DROP,
	[GUMBO_TAG_STYLE] = K_DROP,
	[GUMBO_TAG_IFRAME] = K_DROP,
	[GUMBO_TAG_SVG] = K_DROP,
	[GUMBO_TAG_MATH] = K_DROP,
	[GUMBO_TAG_NOSCRIPT] = K_DROP,
	[GUMBO_TAG_NOEMBED] = K_DROP,
	[GUMBO_TAG_NOFRAMES] = K_DROP,
	[GUMBO_TAG_PLAINTEXT] = K_DROP,
	[GUMBO_TAG_XMP] = K_DROP,
	[GUMBO_TAG_TEMPLATE] = K_DROP,
	[GUMBO_TAG_OBJECT] = K_DROP,
	[GUMBO_TAG_EMBED] = K_DROP,
	[GUMBO_TAG_APPLET] = K_DROP,
	[GUMBO_TAG_PARAM] = K_DROP,
	[GUMBO_TAG_TEXTAREA] = K_DROP,
	[GUMBO_TAG_SELECT] = K_DROP,
	[GUMBO_TAG_OPTION] = K_DROP,
	[GUMBO_TAG_OPTGROUP] = K_DROP,
	[GUMBO_TAG_DATALIST] = K_DROP,
	[GUMBO_TAG_KEYGEN] = K_DROP,
	[GUMBO_TAG_BUTTON] = K_DROP,
	[GUMBO_TAG_FORM] = K_DROP,
	[GUMBO_TAG_INPUT] = K_DROP,
	[GUMBO_TAG_ISINDEX] = K_DROP,
	[GUMBO_TAG_TITLE] = K_DROP,
	[GUMBO_TAG_HEAD] = K_DROP,
	[GUMBO_TAG_BASE] = K_DROP,
	[GUMBO_TAG_META] = K_DROP,
	[GUMBO_TAG_LINK] = K_DROP,
	[GUMBO_TAG_FRAME] = K_DROP,
	[GUMBO_TAG_FRAMESET] = K_DROP,
	[GUMBO_TAG_SOURCE] = K_DROP,
	[GUMBO_TAG_TRACK] = K_DROP,
};

/* Attributes every allowed element may carry, after its own ones. */
static const char *const attrs_global[] = {"align", "dir", "lang", "title", "class", NULL};
static const char *const attrs_a[] = {"href", "name", NULL};
static const char *const attrs_img[] = {"alt", "border", "height", "src", "width", NULL};
static const char *const attrs_td[] = {"abbr", "axis", "colspan", "height", "rowspan", "width", NULL};
static const char *const attrs_th[] = {"abbr", "axis", "colspan", "height", "rowspan", "scope", "width", NULL};
static const char *const attrs_ol[] = {"start", "type", NULL};
static const char *const attrs_table[] = {"border", "summary", "width", NULL};
static const char *const attrs_cite[] = {"cite", NULL};
static const char *const attrs_details[] = {"open", NULL};

static const char *const *tag_attrs(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_A: return attrs_a;
	case GUMBO_TAG_IMG: return attrs_img;
	case GUMBO_TAG_TD: return attrs_td;
	case GUMBO_TAG_TH: return attrs_th;
	case GUMBO_TAG_OL: return attrs_ol;
	case GUMBO_TAG_TABLE: return attrs_table;
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_Q: return attrs_cite;
	case GUMBO_TAG_DETAILS: return attrs_details;
	default: return NULL;
	}
}

/* A node of the clean tree. Text nodes have tag GUMBO_TAG_UNKNOWN, which no element keeps. */
struct cnode {
	GumboTag tag;
	bool has_block; /* some descendant is a K_BLOCK element */
	char *s;        /* text, or an element's rendered attributes (' name="value"'...) */
	size_t len, cap;
	struct cnode **kids;
	size_t nkids, capkids;
};

#define TEXT GUMBO_TAG_UNKNOWN

static unsigned kind_of(GumboTag t)
{
	return (unsigned)t <= GUMBO_TAG_LAST ? kind[t] : 0;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool all_ws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return false;
	return true;
}

/* Length of the valid UTF-8 sequence at s[0..n) and its code point in *cp, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t k;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0)
		k = 1, *cp = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		k = 2, *cp = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		k = 3, *cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n <= k)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[j] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return k + 1;
}

/* Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF. */
static bool utf8_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/*
 * The character at s[i]: returns its length and sets *rep to what to write instead, or to NULL
 * when it is written as it is. Character references can give us controls, non-characters (and,
 * from gumbo, even broken UTF-8) that a parser reading our output raw turns into U+FFFD, and a
 * raw CR would be read back as LF: we write what a second reading would see so output is stable.
 */
static size_t next_char(const char *str, size_t i, size_t n, bool attr, const char **rep)
{
	const unsigned char *s = (const unsigned char *)str + i;
	unsigned cp;
	*rep = NULL;
	switch (s[0]) {
	case '&': *rep = "&amp;"; return 1;
	case '<': *rep = "&lt;"; return 1;
	case '>': *rep = "&gt;"; return 1;
	case '"': *rep = attr ? "&quot;" : NULL; return 1;
	case '\r': *rep = "&#13;"; return 1;
	case '\0': *rep = ""; return 1;
	case '\t': case '\n': case '\f': return 1;
	default: break;
	}
	size_t k = utf8_seq(s, n - i, &cp);
	if (!k || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
	    (cp & 0xFFFE) == 0xFFFE)
		*rep = "\xEF\xBF\xBD";
	return k ? k : 1;
}

/* Attribute values: & < > " escaped. */
static void put_attr_value(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		const char *rep;
		size_t k = next_char(s, i, n, true, &rep);
		if (!rep) {
			i += k;
			continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		i += k;
		start = i;
	}
	buf_append(out, s + start, n - start);
}

static bool url_ctl(unsigned char c)
{
	return c <= 0x20 || c == 0x7F;
}

/*
 * Checks a decoded URL attribute and writes the form we keep into clean. Browsers strip leading
 * and trailing C0 controls and spaces and remove tabs and newlines anywhere, so we do the same
 * before looking for a scheme; any other control character before the first ':' makes the
 * scheme unreadable and the URL is refused rather than guessed at.
 */
static bool url_ok(const char *v, bool image, struct buf *clean)
{
	size_t n = strlen(v), a = 0;
	while (a < n && url_ctl((unsigned char)v[a]))
		a++;
	while (n > a && url_ctl((unsigned char)v[n - 1]))
		n--;
	buf_reset(clean);
	for (size_t i = a; i < n; i++)
		if (v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			buf_putc(clean, v[i]);
	if (clean->len == 0)
		return false;
	const char *u = clean->data;
	size_t end = strcspn(u, ":/?#");
	if (u[end] != ':')
		return !image; /* relative: fine for links, not for images */
	char scheme[8];
	if (end == 0 || end >= sizeof scheme)
		return false;
	for (size_t i = 0; i < end; i++) {
		char c = u[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return false;
		scheme[i] = c;
	}
	scheme[end] = '\0';
	if (!strcmp(scheme, "http") || !strcmp(scheme, "https"))
		return true;
	return !image && (!strcmp(scheme, "mailto") || !strcmp(scheme, "ftp"));
}

/* class: only tokens of [A-Za-z0-9_-], joined by single spaces. */
static void clean_class(const char *v, struct buf *clean)
{
	buf_reset(clean);
	while (*v) {
		while (is_ws(*v))
			v++;
		size_t n = 0;
		bool ok = true;
		while (v[n] && !is_ws(v[n])) {
			char c = v[n];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '_' || c == '-'))
				ok = false;
			n++;
		}
		if (ok && n) {
			if (clean->len)
				buf_putc(clean, ' ');
			buf_append(clean, v, n);
		}
		v += n;
	}
}

struct build {
	struct arena *a;
	bool para;
	struct cnode **open; /* open clean elements, open[0] the root */
	int *depth;          /* nesting depth of each, counting the paragraph that may wrap it */
	size_t nopen, capopen;
	struct buf attrs, tmp;
};

static void add_kid(struct build *b, struct cnode *parent, struct cnode *kid)
{
	if (parent->nkids == parent->capkids) {
		size_t cap = parent->capkids ? parent->capkids * 2 : 4;
		struct cnode **k = arena_alloc(b->a, cap * sizeof *k);
		if (parent->nkids)
			memcpy(k, parent->kids, parent->nkids * sizeof *k);
		parent->kids = k;
		parent->capkids = cap;
	}
	parent->kids[parent->nkids++] = kid;
}

/* Appends text to parent, merging with a text node before it so paragraph breaks are seen whole. */
static void add_text(struct build *b, struct cnode *parent, const char *s, size_t n)
{
	/* Text directly in table structure would be moved out of the table by a browser. */
	if ((kind_of(parent->tag) & K_TABLE) && !all_ws(s, n))
		return;
	if (n == 0)
		return;
	struct cnode *t = parent->nkids ? parent->kids[parent->nkids - 1] : NULL;
	if (!t || t->tag != TEXT) {
		t = arena_calloc(b->a, 1, sizeof *t);
		t->tag = TEXT;
		add_kid(b, parent, t);
	}
	if (t->cap - t->len <= n) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		while (cap - t->len <= n)
			cap *= 2;
		char *p = arena_alloc(b->a, cap);
		if (t->len)
			memcpy(p, t->s, t->len);
		t->s = p;
		t->cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\0')
			t->s[t->len++] = s[i];
	t->s[t->len] = '\0';
}

static void render_attr(struct build *b, const char *name, const char *val, size_t n)
{
	buf_putc(&b->attrs, ' ');
	buf_puts(&b->attrs, name);
	buf_puts(&b->attrs, "=\"");
	put_attr_value(&b->attrs, val, n);
	buf_putc(&b->attrs, '"');
}

static void render_attrs(struct build *b, GumboTag tag, const GumboVector *src)
{
	const char *const *lists[2] = {tag_attrs(tag), attrs_global};
	buf_reset(&b->attrs);
	for (int l = 0; l < 2; l++) {
		for (const char *const *name = lists[l]; name && *name; name++) {
			GumboAttribute *at = gumbo_get_attribute(src, *name);
			if (!at)
				continue;
			const char *v = at->value;
			if (!strcmp(*name, "href") || !strcmp(*name, "cite") || !strcmp(*name, "src")) {
				if (!url_ok(v, tag == GUMBO_TAG_IMG, &b->tmp))
					continue;
				render_attr(b, *name, b->tmp.data, b->tmp.len);
			} else if (!strcmp(*name, "class")) {
				clean_class(v, &b->tmp);
				if (b->tmp.len)
					render_attr(b, *name, b->tmp.data, b->tmp.len);
			} else {
				render_attr(b, *name, v, strlen(v));
			}
		}
	}
	if (tag == GUMBO_TAG_A)
		buf_puts(&b->attrs, " rel=\"nofollow\"");
}

static bool is_proper_table_kid(GumboTag parent, GumboTag t)
{
	switch (parent) {
	case GUMBO_TAG_TABLE:
		return t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_COLGROUP || t == GUMBO_TAG_TBODY ||
		       t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT;
	case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
		return t == GUMBO_TAG_TR;
	case GUMBO_TAG_TR:
		return t == GUMBO_TAG_TD || t == GUMBO_TAG_TH;
	case GUMBO_TAG_COLGROUP:
		return t == GUMBO_TAG_COL;
	default:
		return false;
	}
}

/*
 * Would an HTML parser reading our serialization open this element as a child of the current
 * one, closing nothing? Each test mirrors a start-tag rule of the HTML tree builder, restricted
 * to the elements we allow; the answer only depends on the open elements, so what we emit
 * reparses to the same tree. Elements that fail are unwrapped (children kept).
 */
static bool stable_here(const struct build *b, GumboTag t, const char *attrs, size_t alen)
{
	unsigned k = kind_of(t);
	GumboTag top = b->open[b->nopen - 1]->tag;

	if (kind_of(top) & K_TABLE)
		return is_proper_table_kid(top, t);
	switch (t) {
	case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_COL:
		return false; /* only inside their table parent, handled above */
	default:
		break;
	}
	if (k & K_PCLOSE) {
		for (size_t i = b->nopen - 1; i > 0; i--) {
			GumboTag o = b->open[i]->tag;
			if (o == GUMBO_TAG_P)
				return false;
			if (kind_of(o) & K_SCOPE)
				break;
		}
	}
	if ((k & K_HEADING) && (kind_of(top) & K_HEADING))
		return false;
	if (t == GUMBO_TAG_LI || t == GUMBO_TAG_DD || t == GUMBO_TAG_DT) {
		for (size_t i = b->nopen - 1; i > 0; i--) {
			GumboTag o = b->open[i]->tag;
			if (t == GUMBO_TAG_LI ? o == GUMBO_TAG_LI : (o == GUMBO_TAG_DD || o == GUMBO_TAG_DT))
				return false;
			if (kind_of(o) & K_SPECIAL)
				break;
		}
	}
	if (t == GUMBO_TAG_RP || t == GUMBO_TAG_RT) {
		/* With a ruby in scope the parser first closes an open p, li, dd, dt, rp or rt. */
		bool ruby = false;
		for (size_t i = b->nopen - 1; i > 0 && !ruby; i--) {
			GumboTag o = b->open[i]->tag;
			if (o == GUMBO_TAG_RUBY)
				ruby = true;
			else if (kind_of(o) & K_SCOPE)
				break;
		}
		/* In paragraph mode the inline children of a flow container may get a <p> around them. */
		bool wrapped = b->para && (b->nopen == 1 || (kind_of(top) & K_FLOW));
		if (ruby && (wrapped || top == GUMBO_TAG_P || top == GUMBO_TAG_LI || top == GUMBO_TAG_DD ||
			     top == GUMBO_TAG_DT || top == GUMBO_TAG_RP || top == GUMBO_TAG_RT))
			return false;
	}
	if (k & K_FORMAT) {
		/* An <a> inside an <a> closes the outer one; a fourth identical formatting element
		 * makes the parser forget the first ("Noah's Ark"), which changes how it closes. */
		int same = 0;
		for (size_t i = b->nopen - 1; i > 0; i--) {
			const struct cnode *o = b->open[i];
			if (kind_of(o->tag) & K_MARKER)
				break;
			if (o->tag == GUMBO_TAG_A && t == GUMBO_TAG_A)
				return false;
			if (o->tag == t && o->len == alen && !memcmp(o->s, attrs, alen))
				same++;
		}
		if (same >= 3)
			return false;
	}
	return true;
}

/* The clean element for g, attached and opened, or NULL when g is unwrapped. */
static struct cnode *open_element(struct build *b, const GumboElement *g)
{
	GumboTag t = g->tag;
	unsigned k = kind_of(t);
	if (!(k & K_ALLOW))
		return NULL;
	struct cnode *parent = b->open[b->nopen - 1];
	/* Count the <p> that paragraph mode may add around inline content of a flow container, and
	 * leave room for it inside one, so that the limit gives the same answer when our output is
	 * sanitized again. Table structure must leave room for its cells: text cut off below a
	 * table row would have nowhere to go. */
	bool wrap = b->para && (b->nopen == 1 || (kind_of(parent->tag) & K_FLOW)) && !(k & K_BLOCK);
	int d = b->depth[b->nopen - 1] + 1 + (wrap ? 1 : 0);
	int room = b->para && (k & K_FLOW) ? 1 : 0;
	switch (t) {
	case GUMBO_TAG_TABLE: room = 3 + b->para; break;
	case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: room = 2 + b->para; break;
	case GUMBO_TAG_TR: room = 1 + b->para; break;
	default: break;
	}
	if (!(k & K_VOID) && d + room > MAX_DEPTH)
		return NULL;
	render_attrs(b, t, &g->attributes);
	const char *attrs = b->attrs.len ? b->attrs.data : "";
	if (!stable_here(b, t, attrs, b->attrs.len))
		return NULL;
	struct cnode *c = arena_calloc(b->a, 1, sizeof *c);
	c->tag = t;
	c->s = arena_strndup(b->a, attrs, b->attrs.len);
	c->len = b->attrs.len;
	add_kid(b, parent, c);
	if (k & K_VOID) {
		if (k & K_BLOCK)
			parent->has_block = true;
		return NULL; /* nothing goes inside; gumbo gives void elements no children */
	}
	if (b->nopen == b->capopen) {
		b->capopen *= 2;
		b->open = xrealloc(b->open, b->capopen * sizeof *b->open);
		b->depth = xrealloc(b->depth, b->capopen * sizeof *b->depth);
	}
	b->open[b->nopen] = c;
	b->depth[b->nopen] = d;
	b->nopen++;
	return c;
}

static void close_element(struct build *b)
{
	struct cnode *c = b->open[--b->nopen];
	struct cnode *parent = b->open[b->nopen - 1];
	if ((kind_of(c->tag) & K_BLOCK) || c->has_block)
		parent->has_block = true;
}

struct frame {
	const GumboNode *g;
	unsigned next;
	bool opened; /* a clean element was opened for g */
};

static void build(struct build *b, const GumboNode *root)
{
	size_t nf = 0, capf = 64;
	struct frame *f = xmalloc(capf * sizeof *f);
	f[nf++] = (struct frame){root, 0, false};
	while (nf) {
		struct frame *top = &f[nf - 1];
		const GumboVector *kids = &top->g->v.element.children;
		if (top->next >= kids->length) {
			if (top->opened)
				close_element(b);
			nf--;
			continue;
		}
		const GumboNode *g = kids->data[top->next++];
		switch (g->type) {
		case GUMBO_NODE_TEXT: case GUMBO_NODE_WHITESPACE: case GUMBO_NODE_CDATA:
			add_text(b, b->open[b->nopen - 1], g->v.text.text, strlen(g->v.text.text));
			break;
		case GUMBO_NODE_ELEMENT: {
			const GumboElement *e = &g->v.element;
			if (e->tag_namespace != GUMBO_NAMESPACE_HTML || (kind_of(e->tag) & K_DROP))
				break;
			bool opened = open_element(b, e) != NULL;
			if (nf == capf) {
				capf *= 2;
				f = xrealloc(f, capf * sizeof *f);
			}
			f[nf++] = (struct frame){g, 0, opened};
			break;
		}
		default:
			break; /* comments, templates, documents */
		}
	}
	free(f);
}

/* ---- serialization ---- */

struct emit {
	struct buf *out;
	bool para;
	int in_pre;
	bool after_br; /* a <br> was just written, so the newline after it is not another break */
};

static bool blockish(const struct cnode *n)
{
	return n->tag != TEXT && ((kind_of(n->tag) & K_BLOCK) || n->has_block);
}

/* Text with & < > escaped; in paragraph mode (outside <pre>) each newline becomes <br />. */
static void emit_text(struct emit *e, const char *s, size_t n)
{
	bool br = e->para && !e->in_pre;
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		const char *rep;
		size_t k = next_char(s, i, n, false, &rep);
		if (s[i] == '\n' && br)
			rep = e->after_br ? "\n" : "<br />\n";
		if (!rep) {
			if (!is_ws(s[i]))
				e->after_br = false;
			i += k;
			continue;
		}
		buf_append(e->out, s + start, i - start);
		buf_puts(e->out, rep);
		if (s[i] != '\r' && s[i] != '\0')
			e->after_br = false;
		i += k;
		start = i;
	}
	buf_append(e->out, s + start, n - start);
}

static void emit_children(struct emit *e, const struct cnode *n, bool root);

static void emit_element(struct emit *e, const struct cnode *n)
{
	const char *name = gumbo_normalized_tagname(n->tag);
	buf_putc(e->out, '<');
	buf_puts(e->out, name);
	buf_append(e->out, n->s, n->len);
	e->after_br = false;
	if (kind_of(n->tag) & K_VOID) {
		buf_puts(e->out, " />");
		e->after_br = n->tag == GUMBO_TAG_BR;
		return;
	}
	buf_putc(e->out, '>');
	if (n->tag == GUMBO_TAG_PRE) {
		/* A parser drops one newline right after <pre>: write one more so ours survives. */
		if (n->nkids && n->kids[0]->tag == TEXT && n->kids[0]->s[0] == '\n')
			buf_putc(e->out, '\n');
		e->in_pre++;
	}
	emit_children(e, n, false);
	if (n->tag == GUMBO_TAG_PRE)
		e->in_pre--;
	buf_puts(e->out, "</");
	buf_puts(e->out, name);
	buf_putc(e->out, '>');
	e->after_br = false;
}

static void emit_node(struct emit *e, const struct cnode *n)
{
	if (n->tag == TEXT)
		emit_text(e, n->s, n->len);
	else
		emit_element(e, n);
}

/* Leading whitespace of s[a..b), or trailing with back set: the new a (or b). */
static size_t skip_ws(const char *s, size_t a, size_t b, bool back)
{
	if (back) {
		while (b > a && is_ws(s[b - 1]))
			b--;
		return b;
	}
	while (a < b && is_ws(s[a]))
		a++;
	return a;
}

/* The end of the whitespace run starting at s[i]; *blank says whether it holds a blank line. */
static size_t ws_run(const char *s, size_t i, size_t n, bool *blank)
{
	size_t j = i, nl = 0;
	while (j < n && is_ws(s[j]))
		nl += s[j++] == '\n';
	*blank = nl >= 2;
	return j;
}

/* Paragraph mode, no inferred paragraphs: whitespace next to blocks (and, with trim, at the
 * edges) is dropped, as it does not render and would otherwise turn into <br />. */
static void emit_seq(struct emit *e, const struct cnode *n, bool trim)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct cnode *k = n->kids[i];
		if (k->tag != TEXT) {
			emit_element(e, k);
			continue;
		}
		size_t a = 0, b = k->len;
		if (i == 0 ? trim : blockish(n->kids[i - 1]))
			a = skip_ws(k->s, a, b, false);
		if (i + 1 == n->nkids ? trim : blockish(n->kids[i + 1]))
			b = skip_ws(k->s, a, b, true);
		if (a < b)
			emit_text(e, k->s + a, b - a);
	}
}

struct piece {
	const struct cnode *n;
	size_t a, b;
	bool brk; /* a paragraph break, not content */
};

/* One inferred paragraph from pieces [p, p + np): trimmed, dropped when nothing is left. */
static void emit_para(struct emit *e, struct piece *p, size_t np, bool *first)
{
	size_t i = 0, j = np;
	while (i < j && p[i].n->tag == TEXT) {
		p[i].a = skip_ws(p[i].n->s, p[i].a, p[i].b, false);
		if (p[i].a < p[i].b)
			break;
		i++;
	}
	while (j > i && p[j - 1].n->tag == TEXT) {
		p[j - 1].b = skip_ws(p[j - 1].n->s, p[j - 1].a, p[j - 1].b, true);
		if (p[j - 1].a < p[j - 1].b)
			break;
		j--;
	}
	if (i == j)
		return;
	if (!*first)
		buf_putc(e->out, '\n');
	*first = false;
	buf_puts(e->out, "<p>");
	e->after_br = false;
	for (; i < j; i++) {
		if (p[i].n->tag == TEXT)
			emit_text(e, p[i].n->s + p[i].a, p[i].b - p[i].a);
		else
			emit_element(e, p[i].n);
	}
	buf_puts(e->out, "</p>");
	e->after_br = false;
}

/* Room for two more pieces (a text's cut and its break) in *p, growing it by doubling. */
static void pieces_reserve(struct piece **p, size_t np, size_t *cap)
{
	if (np + 2 > *cap) {
		*cap *= 2;
		*p = xrealloc(*p, *cap * sizeof **p);
	}
}

/* Inline kids [i, j) of a flow container, split into <p> at blank lines in their text. */
static void emit_run(struct emit *e, const struct cnode *n, size_t i, size_t j, bool *first)
{
	size_t np = 0, cap = 2 * (j - i) + 4;
	struct piece *p = xmalloc(cap * sizeof *p);
	for (size_t k = i; k < j; k++) {
		const struct cnode *c = n->kids[k];
		/* Every push checks for room: blank lines in one text may use up what the kids after it need. */
		pieces_reserve(&p, np, &cap);
		if (c->tag != TEXT) {
			p[np++] = (struct piece){c, 0, 0, false};
			continue;
		}
		size_t a = 0;
		for (size_t x = 0; x < c->len; x++) {
			if (!is_ws(c->s[x]))
				continue;
			bool blank;
			size_t end = ws_run(c->s, x, c->len, &blank);
			if (blank) {
				pieces_reserve(&p, np, &cap);
				p[np++] = (struct piece){c, a, x, false};
				p[np++] = (struct piece){c, 0, 0, true};
				a = end;
			}
			x = end - 1;
		}
		pieces_reserve(&p, np, &cap);
		p[np++] = (struct piece){c, a, c->len, false};
	}
	size_t start = 0;
	for (size_t k = 0; k <= np; k++) {
		if (k == np || p[k].brk) {
			emit_para(e, p + start, k - start, first);
			start = k + 1;
		}
	}
	free(p);
}

/* Does this flow container get inferred paragraphs: a block inside, or a blank line in its text? */
static bool wants_paragraphs(const struct cnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct cnode *k = n->kids[i];
		if (blockish(k))
			return true;
		if (k->tag != TEXT)
			continue;
		size_t a = i == 0 ? skip_ws(k->s, 0, k->len, false) : 0;
		size_t b = i + 1 == n->nkids ? skip_ws(k->s, a, k->len, true) : k->len;
		for (size_t x = a; x < b; x++) {
			if (!is_ws(k->s[x]))
				continue;
			bool blank;
			x = ws_run(k->s, x, b, &blank);
			if (blank)
				return true;
		}
	}
	return false;
}

static void emit_children(struct emit *e, const struct cnode *n, bool root)
{
	if (!e->para || e->in_pre) {
		for (size_t i = 0; i < n->nkids; i++)
			emit_node(e, n->kids[i]);
		return;
	}
	if (root || ((kind_of(n->tag) & K_FLOW) && wants_paragraphs(n))) {
		bool first = true;
		size_t i = 0;
		while (i < n->nkids) {
			if (blockish(n->kids[i])) {
				if (!first)
					buf_putc(e->out, '\n');
				first = false;
				emit_element(e, n->kids[i++]);
				continue;
			}
			size_t j = i;
			while (j < n->nkids && !blockish(n->kids[j]))
				j++;
			emit_run(e, n, i, j, &first);
			i = j;
		}
		return;
	}
	emit_seq(e, n, (kind_of(n->tag) & K_BLOCK) != 0);
}

/*
 * gumbo follows the HTML spec, whose worst cases are expensive: each start tag scans the open
 * elements (quadratic time for deep nesting) and misnested formatting elements are cloned over
 * and over (90 KB of input can make gigabytes of nodes). All of gumbo's memory comes through
 * these hooks, which keep a list of live blocks and give up on the parse (longjmp back to
 * sanitize_html, which frees the list) once it has allocated too much or run for too long.
 */
#define PARSE_BYTES_BASE (32u << 20)  /* bytes gumbo may allocate, plus PARSE_BYTES_PER_INPUT each */
#define PARSE_BYTES_PER_INPUT 64u      /* ordinary HTML needs 5 to 35 */
#define PARSE_SECONDS 2                /* ordinary HTML parses at over 10 MB a second */

union block {
	struct {
		union block *prev, *next;
	} link;
	max_align_t align;
};

struct budget {
	jmp_buf bail;
	union block head; /* circular list of live blocks */
	size_t bytes, limit;
	unsigned calls;
	struct timespec deadline;
};

static void *budget_alloc(void *ud, size_t n)
{
	struct budget *bg = ud;
	bg->bytes += n;
	if (bg->bytes > bg->limit)
		longjmp(bg->bail, 1);
	if ((++bg->calls & 63) == 0) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > bg->deadline.tv_sec ||
		    (now.tv_sec == bg->deadline.tv_sec && now.tv_nsec > bg->deadline.tv_nsec))
			longjmp(bg->bail, 1);
	}
	union block *b = xmalloc(sizeof *b + n);
	b->link.prev = &bg->head;
	b->link.next = bg->head.link.next;
	b->link.next->link.prev = b;
	bg->head.link.next = b;
	return b + 1;
}

static void budget_free(void *ud, void *p)
{
	(void)ud;
	if (!p)
		return;
	union block *b = (union block *)p - 1;
	b->link.prev->link.next = b->link.next;
	b->link.next->link.prev = b->link.prev;
	free(b);
}

/* Frees whatever gumbo still holds: its output tree, or a parse abandoned half way. We do not
 * call gumbo_destroy_output, which recurses as deep as the tree is. */
static void budget_release(struct budget *bg)
{
	union block *b = bg->head.link.next;
	while (b != &bg->head) {
		union block *next = b->link.next;
		free(b);
		b = next;
	}
	bg->head.link.prev = bg->head.link.next = &bg->head;
}

/* Runs gumbo within the budget: the root of the fragment, or NULL when the budget ran out. */
static const GumboNode *parse(struct budget *bg, const char *in, size_t len)
{
	GumboOptions opt = kGumboDefaultOptions;
	opt.allocator = budget_alloc;
	opt.deallocator = budget_free;
	opt.userdata = bg;
	opt.fragment_context = GUMBO_TAG_DIV;
	opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
	opt.max_errors = 0; /* we never look at parse errors; don't collect them */
	bg->head.link.prev = bg->head.link.next = &bg->head;
	bg->bytes = 0;
	bg->calls = 0;
	bg->limit = len > (SIZE_MAX - PARSE_BYTES_BASE) / PARSE_BYTES_PER_INPUT
			    ? SIZE_MAX : PARSE_BYTES_BASE + len * PARSE_BYTES_PER_INPUT;
	clock_gettime(CLOCK_MONOTONIC, &bg->deadline);
	bg->deadline.tv_sec += PARSE_SECONDS;
	if (setjmp(bg->bail) != 0) {
		budget_release(bg);
		return NULL;
	}
	GumboOutput *g = gumbo_parse_with_options(&opt, in, len);
	return g->root;
}

int sanitize_html(const char *in, size_t len, unsigned flags, struct buf *out)
{
	if (!utf8_ok(in, len))
		return Q_EINVAL;
	if (len == 0)
		return 0;

	struct build b = {.a = arena_new(), .para = (flags & SANITIZE_PARAGRAPHS) != 0, .capopen = 16};
	b.open = xmalloc(b.capopen * sizeof *b.open);
	b.depth = xmalloc(b.capopen * sizeof *b.depth);
	buf_init(&b.attrs);
	buf_init(&b.tmp);
	struct cnode *root = arena_calloc(b.a, 1, sizeof *root);
	root->tag = GUMBO_TAG_HTML;
	b.open[0] = root;
	b.depth[0] = 0;
	b.nopen = 1;

	struct budget *bg = xmalloc(sizeof *bg);
	const GumboNode *g = parse(bg, in, len);
	if (g)
		build(&b, g);
	else
		add_text(&b, root, in, len); /* too costly to parse: show it all as text */
	budget_release(bg);
	free(bg);

	struct emit e = {.out = out, .para = b.para};
	emit_children(&e, root, true);

	free(b.open);
	free(b.depth);
	buf_free(&b.attrs);
	buf_free(&b.tmp);
	arena_free(b.a);
	return 0;
}
