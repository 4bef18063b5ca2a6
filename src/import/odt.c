/* .odt (LibreOffice, OpenOffice, and what others save as OpenDocument): text:p and text:h with the formatting
 * their styles give (automatic styles in content.xml, named ones in styles.xml, each with its parents),
 * spans, line breaks, repeated spaces, links, lists and tables as their paragraphs; footnotes, annotations and
 * tracked deletions left out. */
#include "import/import_int.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define XLINK "http://www.w3.org/1999/xlink"
#define DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define DC "http://purl.org/dc/elements/1.1/"
#define STYLES_MAX 4000
#define SPANS_MAX 64

struct ostyle {
	const char *name, *parent;
	unsigned on, off;
	const char *align;
	bool title; /* the "Title" paragraph style */
};

struct odt {
	struct arena *a;
	struct import_blocks *out;
	struct ostyle *styles;
	size_t nstyles;
	struct ostyle *cur;
	/* document */
	struct para p;
	int in_p;                   /* depth of text:p / text:h (nested paragraphs in notes are skipped) */
	unsigned span_fmt[SPANS_MAX];
	int nspans;
	unsigned para_fmt;
	int skip;
	bool in_link;
	size_t images;
	bool in_body;
	/* meta.xml */
	bool in_title;
	struct buf title;
};

static const struct ostyle *find_style(const struct odt *o, const char *name)
{
	for (size_t i = o->nstyles; name && i-- > 0;) /* later (automatic) styles win */
		if (!strcmp(o->styles[i].name, name))
			return &o->styles[i];
	return NULL;
}

static void style_of(const struct odt *o, const char *name, unsigned *fmt, const char **align, bool *title)
{
	const struct ostyle *chain[8];
	size_t n = 0;
	for (const struct ostyle *s = find_style(o, name); s && n < 8; s = find_style(o, s->parent))
		chain[n++] = s;
	while (n--) {
		*fmt = (*fmt & ~chain[n]->off) | chain[n]->on;
		if (align && chain[n]->align)
			*align = chain[n]->align;
		if (title && chain[n]->title)
			*title = true;
	}
}

/* style:style, and text and paragraph properties inside it (styles.xml and content.xml alike). */
static bool style_element(struct odt *o, const char *name, const char **attrs)
{
	if (xml_is(name, STYLE, "style")) {
		if (o->nstyles >= STYLES_MAX)
			return true;
		const char *n = xml_attr(attrs, STYLE, "name"), *parent = xml_attr(attrs, STYLE, "parent-style-name");
		const char *display = xml_attr(attrs, STYLE, "display-name");
		o->cur = &o->styles[o->nstyles++];
		*o->cur = (struct ostyle){.name = arena_strdup(o->a, n ? n : ""),
		                          .parent = parent ? arena_strdup(o->a, parent) : NULL,
		                          .title = (n && !strcmp(n, "Title")) || (display && !strcmp(display, "Title"))};
		return true;
	}
	if (!o->cur)
		return false;
	if (xml_is(name, STYLE, "text-properties")) {
		const char *v;
		if ((v = xml_attr(attrs, FO, "font-style")))
			(!strcmp(v, "italic") || !strcmp(v, "oblique")) ? (o->cur->on |= F_EM) : (o->cur->off |= F_EM);
		if ((v = xml_attr(attrs, FO, "font-weight")))
			(!strcmp(v, "bold") || atoi(v) >= 600) ? (o->cur->on |= F_STRONG) : (o->cur->off |= F_STRONG);
		if ((v = xml_attr(attrs, STYLE, "text-underline-style")))
			strcmp(v, "none") ? (o->cur->on |= F_U) : (o->cur->off |= F_U);
		if ((v = xml_attr(attrs, STYLE, "text-line-through-style")))
			strcmp(v, "none") ? (o->cur->on |= F_S) : (o->cur->off |= F_S);
		if ((v = xml_attr(attrs, STYLE, "text-position"))) {
			if (!strncmp(v, "super", 5) || (atoi(v) > 0))
				o->cur->on |= F_SUP;
			else if (!strncmp(v, "sub", 3) || atoi(v) < 0)
				o->cur->on |= F_SUB;
		}
		return true;
	}
	if (xml_is(name, STYLE, "paragraph-properties")) {
		const char *v = xml_attr(attrs, FO, "text-align");
		if (v && !strcmp(v, "center"))
			o->cur->align = "center";
		else if (v && (!strcmp(v, "end") || !strcmp(v, "right")))
			o->cur->align = "right";
		return true;
	}
	return false;
}

static void styles_start(void *ctx, const char *name, const char **attrs)
{
	style_element(ctx, name, attrs);
}

static void styles_end(void *ctx, const char *name)
{
	struct odt *o = ctx;
	if (xml_is(name, STYLE, "style"))
		o->cur = NULL;
}

static unsigned current(const struct odt *o)
{
	return o->nspans ? o->span_fmt[o->nspans - 1] : o->para_fmt;
}

static void doc_start(void *ctx, const char *name, const char **attrs)
{
	struct odt *o = ctx;
	if (o->skip) {
		o->skip++;
		return;
	}
	if (style_element(o, name, attrs))
		return;
	if (xml_is(name, OFFICE, "text")) {
		o->in_body = true;
		return;
	}
	if (!o->in_body)
		return;
	if (xml_is(name, TEXT, "note") || xml_is(name, OFFICE, "annotation") || xml_is(name, TEXT, "tracked-changes") ||
	    xml_is(name, TEXT, "table-of-content") || xml_is(name, TEXT, "sequence-decls")) {
		o->skip = 1;
		return;
	}
	if (xml_is(name, DRAW, "image") || xml_is(name, DRAW, "object")) {
		o->images++;
		o->skip = 1;
		return;
	}
	if (xml_is(name, TEXT, "p") || xml_is(name, TEXT, "h")) {
		if (o->in_p++) /* a paragraph inside a paragraph (a text box): its text runs on */
			return;
		o->para_fmt = 0;
		o->nspans = 0;
		const char *align = NULL;
		bool title = false;
		const char *sname = xml_attr(attrs, TEXT, "style-name");
		style_of(o, sname, &o->para_fmt, &align, &title);
		title |= sname && !strcmp(sname, "Title"); /* the built-in style, defined or not */
		o->p.align = align;
		if (xml_is(name, TEXT, "h")) {
			const char *lvl = xml_attr(attrs, TEXT, "outline-level");
			o->p.heading = lvl && atoi(lvl) > 0 ? atoi(lvl) : 1;
		} else if (title) {
			o->p.heading = 1;
		}
		if (o->p.heading)
			o->para_fmt &= ~(unsigned)F_STRONG;
		return;
	}
	if (!o->in_p)
		return;
	if (xml_is(name, TEXT, "span")) {
		unsigned f = current(o);
		style_of(o, xml_attr(attrs, TEXT, "style-name"), &f, NULL, NULL);
		if (o->nspans < SPANS_MAX)
			o->span_fmt[o->nspans] = f;
		o->nspans++;
	} else if (xml_is(name, TEXT, "line-break")) {
		para_markup(&o->p, "<br />\n");
	} else if (xml_is(name, TEXT, "s")) {
		const char *c = xml_attr(attrs, TEXT, "c");
		int k = c ? atoi(c) : 1;
		para_text(&o->p, " ", 1, current(o)); /* HTML folds runs of spaces anyway */
		(void)k;
	} else if (xml_is(name, TEXT, "tab")) {
		para_text(&o->p, " ", 1, current(o));
	} else if (xml_is(name, TEXT, "a")) {
		const char *href = xml_attr(attrs, XLINK, "href");
		if (href && (!strncasecmp(href, "http://", 7) || !strncasecmp(href, "https://", 8)) && !o->in_link) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "<a href=\"");
			for (const char *c = href; *c; c++)
				if (*c == '"')
					buf_puts(&b, "&quot;");
				else if (*c == '<')
					buf_puts(&b, "&lt;");
				else if (*c == '&')
					buf_puts(&b, "&amp;");
				else
					buf_putc(&b, *c);
			buf_puts(&b, "\">");
			para_markup(&o->p, buf_cstr(&b));
			buf_free(&b);
			o->in_link = true;
		}
	}
}

static void doc_end(void *ctx, const char *name)
{
	struct odt *o = ctx;
	if (o->skip) {
		o->skip--;
		return;
	}
	if (xml_is(name, STYLE, "style")) {
		o->cur = NULL;
	} else if (xml_is(name, OFFICE, "text")) {
		o->in_body = false;
	} else if ((xml_is(name, TEXT, "p") || xml_is(name, TEXT, "h")) && o->in_p) {
		if (--o->in_p == 0) {
			if (o->in_link)
				para_markup(&o->p, "</a>");
			o->in_link = false;
			para_end(o->a, &o->p, o->out);
		}
	} else if (xml_is(name, TEXT, "span") && o->nspans > 0) {
		o->nspans--;
	} else if (xml_is(name, TEXT, "a") && o->in_link) {
		para_markup(&o->p, "</a>");
		o->in_link = false;
	}
}

static void doc_text(void *ctx, const char *s, int len)
{
	struct odt *o = ctx;
	if (o->skip || !o->in_p)
		return;
	para_text(&o->p, s, (size_t)len, current(o));
}

static void meta_start(void *ctx, const char *name, const char **attrs)
{
	struct odt *o = ctx;
	o->in_title = xml_is(name, DC, "title");
}

static void meta_end(void *ctx, const char *name)
{
	struct odt *o = ctx;
	o->in_title = false;
}

static void meta_text(void *ctx, const char *s, int len)
{
	struct odt *o = ctx;
	if (o->in_title)
		buf_append(&o->title, s, (size_t)len);
}

int import_odt(struct arena *a, const unsigned char *data, size_t len, struct import_blocks *out,
               struct import_meta *meta, const char **why)
{
	struct zipin *z;
	int rc = zipin_open(a, data, len, &z, why);
	if (rc)
		return rc;
	struct odt o = {.a = a, .out = out};
	o.styles = arena_alloc(a, STYLES_MAX * sizeof *o.styles);
	const char *ignored; /* a damaged style sheet costs formatting, not the text */
	struct xml_handlers styles = {.start = styles_start, .end = styles_end, .ctx = &o};
	xml_parse_entry(z, "styles.xml", &styles, &ignored);
	o.cur = NULL;
	struct xml_handlers doc = {.start = doc_start, .end = doc_end, .text = doc_text, .ctx = &o};
	rc = xml_parse_entry(z, "content.xml", &doc, why);
	if (rc == Q_ENOTFOUND) {
		*why = "This file has no OpenDocument text inside: is it really an .odt?";
		rc = Q_EINVAL;
	}
	if (rc == 0) {
		struct xml_handlers m = {.start = meta_start, .end = meta_end, .text = meta_text, .ctx = &o};
		xml_parse_entry(z, "meta.xml", &m, &ignored);
		const char *t = blocks_fold_space(a, buf_cstr(&o.title), o.title.len);
		if (*t)
			meta->title = t;
	}
	meta->images_dropped += o.images;
	para_free(&o.p);
	buf_free(&o.title);
	zipin_close(z);
	return rc;
}
