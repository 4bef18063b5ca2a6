/* .docx (Word, and what LibreOffice and Google Docs save as Word): the main document's paragraphs with their
 * runs' italics, bold, underline, strike and super/subscript (from the run, its character style or the
 * paragraph's style), headings from the heading styles, centring, line breaks, links, tables as their
 * paragraphs; deleted text of tracked changes, field codes and footnotes left out. */
#include "import/import_int.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>

#define W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PR "http://schemas.openxmlformats.org/package/2006/relationships"
#define DC "http://purl.org/dc/elements/1.1/"
#define STYLES_MAX 2000
#define RELS_MAX 4000

struct wstyle {
	const char *id, *based_on;
	unsigned on, off; /* run formatting the style gives */
	int heading;      /* 1-9 for heading styles and Title */
};

struct rel {
	const char *id, *target, *type;
};

struct docx {
	struct arena *a;
	struct import_blocks *out;
	struct wstyle *styles;
	size_t nstyles;
	struct rel *rels;
	size_t nrels;
	/* reading styles.xml */
	struct wstyle *cur_style;
	bool in_rpr_of_style;
	/* reading document.xml */
	struct para p;
	bool in_p, in_ppr, in_rpr, in_t, in_del, in_instr;
	int skip;          /* depth inside something whose text is not story text (footnote refs, deleted runs) */
	unsigned run_on, run_off;
	const char *run_style, *para_style;
	bool in_hyperlink;
	const char *link;
	size_t images;
	/* docProps/core.xml */
	bool in_title;
	struct buf title;
};

static const struct wstyle *style_of(const struct docx *d, const char *id)
{
	for (size_t i = 0; id && i < d->nstyles; i++)
		if (!strcmp(d->styles[i].id, id))
			return &d->styles[i];
	return NULL;
}

/* A style's formatting with what it is based on (a few levels). */
static void style_format(const struct docx *d, const char *id, unsigned *on, unsigned *off, int *heading)
{
	const struct wstyle *chain[8];
	size_t n = 0;
	for (const struct wstyle *s = style_of(d, id); s && n < 8; s = style_of(d, s->based_on))
		chain[n++] = s;
	while (n--) {
		*on = (*on & ~chain[n]->off) | chain[n]->on;
		*off = (*off & ~chain[n]->on) | chain[n]->off;
		if (heading && chain[n]->heading)
			*heading = chain[n]->heading;
	}
}

/* w:i, w:b ... are on unless w:val says "0", "false" or "none". */
static bool toggle_on(const char **attrs)
{
	const char *v = xml_attr(attrs, W, "val");
	return !v || (strcmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "none") && strcasecmp(v, "off"));
}

/* A run property element: which flag it sets or clears. */
static void run_property(const char *name, const char **attrs, unsigned *on, unsigned *off)
{
	unsigned f = 0;
	if (xml_is(name, W, "i"))
		f = F_EM;
	else if (xml_is(name, W, "b"))
		f = F_STRONG;
	else if (xml_is(name, W, "u"))
		f = F_U;
	else if (xml_is(name, W, "strike") || xml_is(name, W, "dstrike"))
		f = F_S;
	else if (xml_is(name, W, "vertAlign")) {
		const char *v = xml_attr(attrs, W, "val");
		f = v && !strcmp(v, "superscript") ? F_SUP : v && !strcmp(v, "subscript") ? F_SUB : 0;
		if (!f)
			return;
	} else
		return;
	if (toggle_on(attrs))
		*on |= f, *off &= ~f;
	else
		*off |= f, *on &= ~f;
}

/* Heading level a style's name or id says: "heading 2", "Heading2", "Title". */
static int heading_of(const char *s)
{
	if (!s)
		return 0;
	if (!strcasecmp(s, "title"))
		return 1;
	if (!strncasecmp(s, "heading", 7)) {
		const char *p = s + 7;
		while (*p == ' ')
			p++;
		if (*p >= '1' && *p <= '9' && !p[1])
			return *p - '0';
	}
	return 0;
}

static void styles_start(void *ctx, const char *name, const char **attrs)
{
	struct docx *d = ctx;
	if (xml_is(name, W, "style") && d->nstyles < STYLES_MAX) {
		const char *id = xml_attr(attrs, W, "styleId");
		d->cur_style = &d->styles[d->nstyles++];
		*d->cur_style = (struct wstyle){.id = arena_strdup(d->a, id ? id : ""), .heading = heading_of(id)};
	} else if (d->cur_style && xml_is(name, W, "name")) {
		int h = heading_of(xml_attr(attrs, W, "val"));
		if (h)
			d->cur_style->heading = h;
	} else if (d->cur_style && xml_is(name, W, "basedOn")) {
		const char *v = xml_attr(attrs, W, "val");
		d->cur_style->based_on = v ? arena_strdup(d->a, v) : NULL;
	} else if (d->cur_style && xml_is(name, W, "outlineLvl")) {
		const char *v = xml_attr(attrs, W, "val");
		if (v && *v >= '0' && *v <= '8' && !d->cur_style->heading)
			d->cur_style->heading = *v - '0' + 1;
	} else if (d->cur_style && xml_is(name, W, "rPr")) {
		d->in_rpr_of_style = true;
	} else if (d->cur_style && d->in_rpr_of_style) {
		run_property(name, attrs, &d->cur_style->on, &d->cur_style->off);
	}
}

static void styles_end(void *ctx, const char *name)
{
	struct docx *d = ctx;
	if (xml_is(name, W, "style"))
		d->cur_style = NULL;
	else if (xml_is(name, W, "rPr"))
		d->in_rpr_of_style = false;
}

static void rels_start(void *ctx, const char *name, const char **attrs)
{
	struct docx *d = ctx;
	if (!xml_is(name, PR, "Relationship") || d->nrels >= RELS_MAX)
		return;
	const char *id = xml_attr(attrs, NULL, "Id"), *target = xml_attr(attrs, NULL, "Target");
	const char *type = xml_attr(attrs, NULL, "Type");
	if (id && target)
		d->rels[d->nrels++] = (struct rel){arena_strdup(d->a, id), arena_strdup(d->a, target),
		                                   arena_strdup(d->a, type ? type : "")};
}

static const char *rel_target(const struct docx *d, const char *id)
{
	for (size_t i = 0; id && i < d->nrels; i++)
		if (!strcmp(d->rels[i].id, id))
			return d->rels[i].target;
	return NULL;
}

static unsigned run_format(const struct docx *d)
{
	unsigned on = 0, off = 0;
	style_format(d, d->para_style, &on, &off, NULL);
	style_format(d, d->run_style, &on, &off, NULL);
	on = (on & ~d->run_off) | d->run_on;
	return on;
}

static void doc_start(void *ctx, const char *name, const char **attrs)
{
	struct docx *d = ctx;
	if (d->skip) {
		d->skip++;
		return;
	}
	if (xml_is(name, W, "del") || xml_is(name, W, "footnoteReference") || xml_is(name, W, "endnoteReference") ||
	    xml_is(name, W, "instrText") || xml_is(name, W, "delText") || xml_is(name, W, "commentReference")) {
		d->skip = 1;
		return;
	}
	if (xml_is(name, W, "p")) {
		d->in_p = true;
		d->para_style = NULL;
		d->p.align = NULL;
		d->p.heading = 0;
	} else if (xml_is(name, W, "pPr")) {
		d->in_ppr = true;
	} else if (d->in_ppr && xml_is(name, W, "pStyle")) {
		const char *v = xml_attr(attrs, W, "val");
		d->para_style = v ? arena_strdup(d->a, v) : NULL;
		unsigned on = 0, off = 0;
		int h = heading_of(v);
		style_format(d, v, &on, &off, &h);
		d->p.heading = h;
	} else if (d->in_ppr && xml_is(name, W, "outlineLvl")) {
		const char *v = xml_attr(attrs, W, "val");
		if (v && *v >= '0' && *v <= '8')
			d->p.heading = *v - '0' + 1;
	} else if (d->in_ppr && xml_is(name, W, "jc")) {
		const char *v = xml_attr(attrs, W, "val");
		d->p.align = v && !strcmp(v, "center") ? "center" : v && (!strcmp(v, "right") || !strcmp(v, "end")) ? "right" : NULL;
	} else if (xml_is(name, W, "r")) {
		d->run_on = d->run_off = 0;
		d->run_style = NULL;
	} else if (xml_is(name, W, "rPr")) {
		d->in_rpr = !d->in_ppr; /* the paragraph mark's own formatting is not the text's */
	} else if (d->in_rpr && xml_is(name, W, "rStyle")) {
		const char *v = xml_attr(attrs, W, "val");
		d->run_style = v ? arena_strdup(d->a, v) : NULL;
	} else if (d->in_rpr) {
		run_property(name, attrs, &d->run_on, &d->run_off);
	} else if (xml_is(name, W, "t")) {
		d->in_t = true;
	} else if (xml_is(name, W, "tab") && d->in_p && !d->in_ppr) {
		para_text(&d->p, " ", 1, run_format(d));
	} else if ((xml_is(name, W, "br") || xml_is(name, W, "cr")) && d->in_p) {
		const char *type = xml_attr(attrs, W, "type");
		if (!type || !strcmp(type, "textWrapping"))
			para_markup(&d->p, "<br />\n");
	} else if (xml_is(name, W, "hyperlink") && d->in_p) {
		const char *target = rel_target(d, xml_attr(attrs, R, "id"));
		if (target && (!strncasecmp(target, "http://", 7) || !strncasecmp(target, "https://", 8))) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "<a href=\"");
			for (const char *c = target; *c; c++) /* an attribute: quotes and markup escaped */
				if (*c == '"')
					buf_puts(&b, "&quot;");
				else if (*c == '<')
					buf_puts(&b, "&lt;");
				else if (*c == '&')
					buf_puts(&b, "&amp;");
				else
					buf_putc(&b, *c);
			buf_puts(&b, "\">");
			para_markup(&d->p, buf_cstr(&b));
			buf_free(&b);
			d->in_hyperlink = true;
		}
	} else if (xml_is(name, W, "drawing") || xml_is(name, W, "pict")) {
		d->images++;
		d->skip = 1;
	}
}

static void doc_end(void *ctx, const char *name)
{
	struct docx *d = ctx;
	if (d->skip) {
		d->skip--;
		return;
	}
	if (xml_is(name, W, "p")) {
		if (d->in_hyperlink)
			para_markup(&d->p, "</a>");
		d->in_hyperlink = false;
		para_end(d->a, &d->p, d->out);
		d->in_p = false;
	} else if (xml_is(name, W, "pPr")) {
		d->in_ppr = false;
	} else if (xml_is(name, W, "rPr")) {
		d->in_rpr = false;
	} else if (xml_is(name, W, "t")) {
		d->in_t = false;
	} else if (xml_is(name, W, "hyperlink") && d->in_hyperlink) {
		para_markup(&d->p, "</a>");
		d->in_hyperlink = false;
	}
}

static void doc_text(void *ctx, const char *s, int len)
{
	struct docx *d = ctx;
	if (d->skip || !d->in_t || !d->in_p)
		return;
	para_text(&d->p, s, (size_t)len, run_format(d));
}

static void core_start(void *ctx, const char *name, const char **attrs)
{
	struct docx *d = ctx;
	d->in_title = xml_is(name, DC, "title");
}

static void core_text(void *ctx, const char *s, int len)
{
	struct docx *d = ctx;
	if (d->in_title)
		buf_append(&d->title, s, (size_t)len);
}

static void core_end(void *ctx, const char *name)
{
	struct docx *d = ctx;
	d->in_title = false;
}

/* The main document's path: the package relationship of type officeDocument, else the usual one. */
static const char *main_part(struct docx *d, struct zipin *z)
{
	char *rels;
	size_t n;
	const char *why, *target = NULL;
	if (zipin_read(z, "_rels/.rels", &rels, &n, &why) != 0)
		return "word/document.xml";
	struct xml_handlers h = {.start = rels_start, .ctx = d};
	xml_parse(rels, n, &h, &why);
	for (size_t i = 0; i < d->nrels && !target; i++) {
		size_t k = strlen(d->rels[i].type);
		if (k >= 15 && !strcmp(d->rels[i].type + k - 15, "/officeDocument"))
			target = d->rels[i].target;
	}
	d->nrels = 0;
	if (!target)
		return "word/document.xml";
	return target[0] == '/' ? target + 1 : target;
}

int import_docx(struct arena *a, const unsigned char *data, size_t len, struct import_blocks *out,
                struct import_meta *meta, const char **why)
{
	struct zipin *z;
	int rc = zipin_open(a, data, len, &z, why);
	if (rc)
		return rc;
	struct docx d = {.a = a, .out = out};
	d.styles = arena_alloc(a, STYLES_MAX * sizeof *d.styles);
	d.rels = arena_alloc(a, RELS_MAX * sizeof *d.rels);
	const char *doc_path = main_part(&d, z);
	/* styles and links first: the document refers to them; a damaged one costs formatting, not the text */
	const char *ignored;
	struct xml_handlers styles = {.start = styles_start, .end = styles_end, .ctx = &d};
	xml_parse_entry(z, "word/styles.xml", &styles, &ignored);
	const char *dir_end = strrchr(doc_path, '/');
	const char *rels_path = dir_end ? arena_printf(a, "%.*s/_rels/%s.rels", (int)(dir_end - doc_path), doc_path, dir_end + 1)
	                                : arena_printf(a, "_rels/%s.rels", doc_path);
	struct xml_handlers rels = {.start = rels_start, .ctx = &d};
	xml_parse_entry(z, rels_path, &rels, &ignored);
	struct xml_handlers doc = {.start = doc_start, .end = doc_end, .text = doc_text, .ctx = &d};
	rc = xml_parse_entry(z, doc_path, &doc, why);
	if (rc == Q_ENOTFOUND) {
		*why = "This file has no Word document inside: is it really a .docx?";
		rc = Q_EINVAL;
	}
	if (rc == 0) {
		struct xml_handlers core = {.start = core_start, .end = core_end, .text = core_text, .ctx = &d};
		xml_parse_entry(z, "docProps/core.xml", &core, &ignored);
		const char *t = blocks_fold_space(a, buf_cstr(&d.title), d.title.len);
		if (*t)
			meta->title = t;
	}
	meta->images_dropped += d.images;
	para_free(&d.p);
	buf_free(&d.title);
	zipin_close(z);
	return rc;
}
