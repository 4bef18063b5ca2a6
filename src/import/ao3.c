/* Archive downloads: the HTML and EPUB files AO3 publishes (its preface with the tags, byline, summary and
 * notes; the chapters with their headings, notes and end notes; the afterword with the work's end notes) and
 * Quire's own, which follow the same shape. Read by landmarks that survive AO3's EPUB conversion (calibre keeps
 * ids, labels and structure but renames classes, and splits files, repeating their wrappers): ids preface,
 * chapters, afterword; the labels "Summary", "Notes", "Chapter Notes", "End Notes"; the dt labels of the tag
 * list; "Posted originally on ... at URL". */
#include "import/import_int.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum section { S_NONE, S_PREFACE, S_CHAPTERS, S_AFTERWORD };

struct rchapter {
	const char *title, *summary, *notes, *end_notes;
	struct import_blocks content;
};

#define RCHAPTERS_MAX IMPORT_CHAPTERS_MAX

struct ao3_reader {
	struct arena *a;
	struct import_work *out; /* filled by ao3_reader_done only */
	struct import_work w;    /* what was found so far */
	enum section section;
	struct rchapter *ch;
	size_t nch;
	bool heading_pending; /* a chapter heading was seen and its content has not come yet */
	bool posted_line, tag_list, preface;
	/* a Quire download of a work imported from elsewhere names its origin: the credit that travels on */
	const char *imported_site, *imported_url;
	struct import_creator *imported;
	size_t nimported;
	bool has_imported;
	int depth_guard;
};

static const char *attr(const GumboNode *n, const char *name)
{
	if (n->type != GUMBO_NODE_ELEMENT)
		return NULL;
	const GumboAttribute *at = gumbo_get_attribute(&n->v.element.attributes, name);
	return at ? at->value : NULL;
}

static bool has_class(const GumboNode *n, const char *cls)
{
	const char *c = attr(n, "class");
	size_t k = strlen(cls);
	for (const char *p = c; p && (p = strstr(p, cls)); p += k)
		if ((p == c || p[-1] == ' ') && (p[k] == 0 || p[k] == ' '))
			return true;
	return false;
}

static bool is_tag(const GumboNode *n, GumboTag t)
{
	return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == t;
}

static const char *text_of(struct ao3_reader *r, const GumboNode *n)
{
	return import_html_text(r->a, n);
}

static struct rchapter *new_chapter(struct ao3_reader *r, const char *title)
{
	if (r->nch >= RCHAPTERS_MAX)
		return &r->ch[r->nch - 1];
	struct rchapter *c = &r->ch[r->nch++];
	memset(c, 0, sizeof *c);
	c->title = title ? title : "";
	c->summary = c->notes = c->end_notes = "";
	return c;
}

static struct rchapter *current(struct ao3_reader *r)
{
	return r->nch ? &r->ch[r->nch - 1] : new_chapter(r, "");
}

/* ---- The preface ---- */

static void add_tag(struct ao3_reader *r, struct strlist *l, const char *name)
{
	if (!*name || l->n >= 200)
		return;
	if (l->n % 16 == 0) {
		const char **more = arena_calloc(r->a, l->n + 17, sizeof *more);
		if (l->n)
			memcpy(more, l->items, l->n * sizeof *more);
		l->items = more;
	}
	l->items[l->n++] = name;
}

/* A dd's values: its links' texts (AO3), else its text split at ", " (Quire's, and tag names never hold a
 * comma). */
static void dd_values(struct ao3_reader *r, const GumboNode *dd, struct strlist *out)
{
	const GumboVector *kids = &dd->v.element.children;
	size_t before = out->n;
	for (unsigned i = 0; i < kids->length; i++)
		if (is_tag(kids->data[i], GUMBO_TAG_A))
			add_tag(r, out, text_of(r, kids->data[i]));
	if (out->n > before)
		return;
	const char *t = text_of(r, dd);
	while (*t) {
		const char *comma = strstr(t, ", ");
		size_t k = comma ? (size_t)(comma - t) : strlen(t);
		add_tag(r, out, blocks_fold_space(r->a, t, k));
		t += k;
		if (comma)
			t += 2;
	}
}

/* "Published: 2020-01-02 Updated: 2020-02-03 Words: 1,234 Chapters: 2/3" (AO3), or with " · " (Quire). */
static void stats(struct ao3_reader *r, const char *s)
{
	const char *p;
	if ((p = strstr(s, "Published:")))
		r->w.published_at = import_parse_date(p + 10);
	if ((p = strstr(s, "Updated:")))
		r->w.updated_at = import_parse_date(p + 8);
	if ((p = strstr(s, "Completed:"))) {
		r->w.updated_at = import_parse_date(p + 10);
		r->w.complete = true;
	}
	if ((p = strstr(s, "Chapters:"))) {
		p += 9;
		while (*p == ' ')
			p++;
		int have = atoi(p);
		const char *slash = strchr(p, '/');
		if (slash && isdigit((unsigned char)slash[1])) {
			int total = atoi(slash + 1);
			r->w.expected_chapters = total;
			if (total > 0 && have == total)
				r->w.complete = true;
		}
	}
}

/* "Part 2 of <a>Series</a>" (several, comma-separated: Quire keeps the first). */
static void series(struct ao3_reader *r, const GumboNode *dd)
{
	const char *t = text_of(r, dd);
	if (strncasecmp(t, "Part ", 5) != 0)
		return;
	r->w.series_position = atoi(t + 5);
	const char *of = strstr(t, " of ");
	if (!of)
		return;
	const GumboVector *kids = &dd->v.element.children;
	for (unsigned i = 0; i < kids->length; i++)
		if (is_tag(kids->data[i], GUMBO_TAG_A)) {
			r->w.series_title = text_of(r, kids->data[i]);
			return;
		}
	const char *end = strstr(of + 4, ", Part ");
	r->w.series_title = blocks_fold_space(r->a, of + 4, end ? (size_t)(end - of - 4) : strlen(of + 4));
}

static void tag_list(struct ao3_reader *r, const GumboNode *dl)
{
	const GumboVector *kids = &dl->v.element.children;
	const char *label = NULL;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (is_tag(k, GUMBO_TAG_DT)) {
			label = text_of(r, k);
			continue;
		}
		if (!is_tag(k, GUMBO_TAG_DD) || !label)
			continue;
		size_t ln = strlen(label);
		if (ln && label[ln - 1] == ':')
			ln--;
		const char *l = arena_strndup(r->a, label, ln);
		label = NULL;
		struct strlist *tags = r->w.tags;
		r->tag_list = true;
		if (!strcasecmp(l, "Rating") || !strcasecmp(l, "Ratings")) {
			struct strlist one = {0};
			dd_values(r, k, &one);
			if (one.n)
				r->w.rating = one.items[0];
		} else if (!strncasecmp(l, "Archive Warning", 15)) {
			dd_values(r, k, &tags[TAG_WARNING]);
		} else if (!strncasecmp(l, "Categor", 7)) {
			dd_values(r, k, &tags[TAG_CATEGORY]);
		} else if (!strncasecmp(l, "Fandom", 6)) {
			dd_values(r, k, &tags[TAG_FANDOM]);
		} else if (!strncasecmp(l, "Relationship", 12)) {
			dd_values(r, k, &tags[TAG_RELATIONSHIP]);
		} else if (!strncasecmp(l, "Character", 9)) {
			dd_values(r, k, &tags[TAG_CHARACTER]);
		} else if (!strncasecmp(l, "Additional Tag", 14) || !strcasecmp(l, "Freeforms")) {
			dd_values(r, k, &tags[TAG_FREEFORM]);
		} else if (!strcasecmp(l, "Language")) {
			r->w.language = text_of(r, k);
		} else if (!strcasecmp(l, "Series")) {
			series(r, k);
		} else if (!strcasecmp(l, "Stats")) {
			stats(r, text_of(r, k));
		}
	}
}

/* "Posted originally on the Archive of Our Own at https://archiveofourown.org/works/1." (AO3) or "Posted
 * originally on Quire at URL." */
static bool posted_line(struct ao3_reader *r, const GumboNode *p)
{
	const char *t = text_of(r, p);
	const char *on = strstr(t, "Posted originally on ");
	if (!on)
		return false;
	r->posted_line = true;
	const char *site = on + 21;
	if (!strncmp(site, "the ", 4))
		site += 4;
	const char *at = strstr(site, " at ");
	if (at)
		r->w.source_site = blocks_fold_space(r->a, site, (size_t)(at - site));
	/* AO3 puts the title first, in bold */
	const GumboVector *kids = &p->v.element.children;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (is_tag(k, GUMBO_TAG_B) && !*r->w.title)
			r->w.title = text_of(r, k);
		const char *href = is_tag(k, GUMBO_TAG_A) ? attr(k, "href") : NULL;
		if (href && !strcmp(text_of(r, k), href))
			r->w.source_url = arena_strdup(r->a, href);
	}
	return true;
}

/* "Imported from AO3 (<a>URL</a>): by <a href="...">name</a>, <a>...</a>." (a Quire download of an imported
 * work). */
static bool imported_line(struct ao3_reader *r, const GumboNode *p)
{
	const char *t = text_of(r, p);
	if (strncmp(t, "Imported", 8) != 0)
		return false;
	r->has_imported = true;
	const char *site = strncmp(t, "Imported from ", 14) ? NULL : t + 14;
	if (site) {
		size_t k = strcspn(site, "(:.");
		r->imported_site = blocks_fold_space(r->a, site, k);
	}
	const GumboVector *kids = &p->v.element.children;
	r->imported = arena_calloc(r->a, kids->length + 1, sizeof *r->imported);
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (!is_tag(k, GUMBO_TAG_A))
			continue;
		const char *href = attr(k, "href"), *name = text_of(r, k);
		if (href && !strcmp(name, href) && !r->imported_url)
			r->imported_url = arena_strdup(r->a, href);
		else
			r->imported[r->nimported++] = (struct import_creator){name, href ? arena_strdup(r->a, href) : ""};
	}
	const char *by = strstr(t, ": by ");
	if (by && !r->nimported) { /* credited without links */
		by += 5;
		while (*by && r->nimported < kids->length + 1) {
			size_t k = strcspn(by, ",");
			size_t e = k;
			while (e && (by[e - 1] == '.' || by[e - 1] == ' '))
				e--;
			r->imported[r->nimported++] = (struct import_creator){blocks_fold_space(r->a, by, e), ""};
			by += k;
			while (*by == ',' || *by == ' ')
				by++;
			if (r->nimported >= 1 && !*by)
				break;
		}
	}
	return true;
}

/* "by <a rel="author" href="...">name</a>, <a>...</a>" (AO3) or "by alice, bob" (Quire). */
static void byline(struct ao3_reader *r, const GumboNode *n)
{
	const GumboVector *kids = &n->v.element.children;
	size_t count = 0;
	for (unsigned i = 0; i < kids->length; i++)
		count += is_tag(kids->data[i], GUMBO_TAG_A);
	r->w.creators = arena_calloc(r->a, count + 16, sizeof *r->w.creators);
	r->w.ncreators = 0;
	for (unsigned i = 0; i < kids->length && r->w.ncreators < count + 16; i++) {
		const GumboNode *k = kids->data[i];
		if (is_tag(k, GUMBO_TAG_A)) {
			const char *href = attr(k, "href");
			r->w.creators[r->w.ncreators++] = (struct import_creator){text_of(r, k), href ? arena_strdup(r->a, href) : ""};
		}
	}
	if (count)
		return;
	const char *t = text_of(r, n);
	if (!strncmp(t, "by ", 3))
		t += 3;
	while (*t && r->w.ncreators < 16) {
		const char *comma = strstr(t, ", "), *and = strstr(t, " and ");
		const char *end = comma && (!and || comma < and) ? comma : and;
		size_t k = end ? (size_t)(end - t) : strlen(t);
		if (k)
			r->w.creators[r->w.ncreators++] = (struct import_creator){blocks_fold_space(r->a, t, k), ""};
		t += k;
		if (end)
			t += end == comma ? 2 : 5;
	}
}

/* ---- Fields given as "Label" then a quotation ---- */

static bool label_is(const char *t, const char *l)
{
	size_t n = strlen(l);
	return !strncasecmp(t, l, n) && (t[n] == 0 || (t[n] == ':' && t[n + 1] == 0));
}

static void labelled(struct ao3_reader *r, const char *label, const GumboNode *quote)
{
	const char *html = import_html_inner(r->a, quote);
	if (label_is(label, "Summary") && r->section == S_PREFACE)
		r->w.summary_html = html;
	else if (label_is(label, "Notes") && r->section == S_PREFACE)
		r->w.notes_html = html;
	else if (label_is(label, "End Notes") && r->section == S_AFTERWORD)
		r->w.end_notes_html = html;
	else if (label_is(label, "Chapter Summary") && r->section == S_CHAPTERS)
		current(r)->summary = html;
	else if (label_is(label, "Chapter Notes") && r->section == S_CHAPTERS)
		current(r)->notes = html;
	else if (label_is(label, "Chapter End Notes") && r->section == S_CHAPTERS)
		current(r)->end_notes = html;
}

/* ---- The walk ---- */

/* Whether a div of the chapters is a chapter's text: class userstuff (AO3 and Quire) or, where calibre renamed
 * the classes, a div of the chapters that is neither a heading group, nor end notes, nor a link to them. */
static bool chapter_text(struct ao3_reader *r, const GumboNode *n, bool in_chapter_box)
{
	if (!is_tag(n, GUMBO_TAG_DIV))
		return false;
	const char *id = attr(n, "id");
	if (id && (!strcmp(id, "chapters") || !strncmp(id, "endnotes", 8) || !strncmp(id, "chapter_", 8)))
		return false;
	if (has_class(n, "userstuff"))
		return true;
	if (!in_chapter_box || attr(n, "class") == NULL)
		return false;
	const char *c = attr(n, "class");
	if (strncmp(c, "calibre", 7) != 0)
		return false;
	const GumboVector *kids = &n->v.element.children;
	for (unsigned i = 0; i < kids->length; i++)
		if (is_tag(kids->data[i], GUMBO_TAG_H2) || is_tag(kids->data[i], GUMBO_TAG_H3))
			return false;
	const char *t = text_of(r, n);
	return strncmp(t, "See the end of the chapter", 26) != 0 && strncmp(t, "Chapter End Notes", 17) != 0;
}

static void visit(struct ao3_reader *r, const GumboNode *n, int depth, bool in_chapter_box);

static void visit_children(struct ao3_reader *r, const GumboNode *n, int depth, bool in_chapter_box)
{
	const GumboVector *kids = &n->v.element.children;
	const char *label = NULL;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (k->type != GUMBO_NODE_ELEMENT)
			continue;
		if (is_tag(k, GUMBO_TAG_BLOCKQUOTE) && label) {
			labelled(r, label, k);
			label = NULL;
			continue;
		}
		GumboTag t = k->v.element.tag;
		if (t == GUMBO_TAG_P || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4) {
			const char *tx = text_of(r, k);
			label = strlen(tx) < 40 ? tx : NULL;
		} else if (t != GUMBO_TAG_DIV || !label) {
			label = NULL;
		}
		visit(r, k, depth + 1, in_chapter_box);
	}
}

static void visit(struct ao3_reader *r, const GumboNode *n, int depth, bool in_chapter_box)
{
	if (n->type != GUMBO_NODE_ELEMENT || depth > IMPORT_DEPTH_MAX)
		return;
	const char *id = attr(n, "id");
	GumboTag t = n->v.element.tag;
	if ((id && !strcmp(id, "preface")) || (t == GUMBO_TAG_DIV && has_class(n, "preface"))) {
		r->section = S_PREFACE;
		r->preface = true;
	} else if (id && !strcmp(id, "chapters")) {
		r->section = S_CHAPTERS;
		in_chapter_box = true;
	} else if (t == GUMBO_TAG_DIV && has_class(n, "chapter")) {
		r->section = S_CHAPTERS;
		in_chapter_box = true;
		new_chapter(r, "");
		r->heading_pending = true;
	} else if ((id && !strcmp(id, "afterword")) || (t == GUMBO_TAG_DIV && has_class(n, "afterword"))) {
		r->section = S_AFTERWORD;
	}
	switch (r->section) {
	case S_PREFACE:
		if (t == GUMBO_TAG_P && (posted_line(r, n) || imported_line(r, n)))
			return;
		if (t == GUMBO_TAG_DL) {
			tag_list(r, n);
			return;
		}
		if (t == GUMBO_TAG_H1) {
			r->w.title = text_of(r, n);
			return;
		}
		if (has_class(n, "byline") || ((t == GUMBO_TAG_DIV || t == GUMBO_TAG_P) && !attr(n, "id") &&
		                               !strncmp(text_of(r, n), "by ", 3))) {
			byline(r, n);
			return;
		}
		break;
	case S_CHAPTERS:
		if (t == GUMBO_TAG_H2 && !has_class(n, "toc-heading")) {
			const char *title, *tx = text_of(r, n);
			if (!import_chapter_heading(r->a, tx, &title))
				title = tx;
			/* Quire's chapter box opened the chapter already */
			if (r->heading_pending && r->nch && !r->ch[r->nch - 1].content.n && !*r->ch[r->nch - 1].title)
				r->ch[r->nch - 1].title = title;
			else
				new_chapter(r, title);
			r->heading_pending = true;
			return;
		}
		if (chapter_text(r, n, in_chapter_box)) {
			struct rchapter *c = r->nch ? &r->ch[r->nch - 1] : new_chapter(r, "");
			/* calibre splits long chapters: a text without a heading before it goes on the last chapter */
			import_html_node_blocks(r->a, n, &c->content);
			r->heading_pending = false;
			return;
		}
		break;
	default:
		break;
	}
	visit_children(r, n, depth, in_chapter_box);
}

struct ao3_reader *ao3_reader_new(struct arena *a, struct import_work *w)
{
	struct ao3_reader *r = arena_calloc(a, 1, sizeof *r);
	r->a = a;
	r->out = w;
	r->w.title = r->w.summary_html = r->w.notes_html = r->w.end_notes_html = "";
	r->w.rating = r->w.language = r->w.series_title = r->w.source_site = r->w.source_url = "";
	r->ch = arena_calloc(a, RCHAPTERS_MAX, sizeof *r->ch);
	return r;
}

bool ao3_reader_feed(struct ao3_reader *r, const void *root)
{
	const GumboNode *n = root;
	if (n->type != GUMBO_NODE_ELEMENT)
		return false;
	visit(r, n, 0, false);
	return true;
}

bool ao3_reader_done(struct ao3_reader *r, const char *container)
{
	/* An archive download has a preface with the tag list or the "posted originally" line, a title and text */
	if (!r->preface || !(r->tag_list || r->posted_line) || !*r->w.title || r->nch == 0)
		return false;
	size_t with_text = 0;
	for (size_t i = 0; i < r->nch; i++)
		with_text += r->ch[i].content.n > 0;
	if (!with_text)
		return false;
	struct import_work *w = r->out;
	struct import_chapter *keep = w->chapters;
	size_t nkeep = w->nchapters;
	const char **messages = w->messages;
	size_t nmessages = w->nmessages;
	*w = r->w;
	w->chapters = keep;
	w->nchapters = nkeep;
	w->messages = messages;
	w->nmessages = nmessages;
	bool ao3 = strstr(w->source_url, "archiveofourown.org") || strstr(w->source_site, "Archive of Our Own");
	w->format = arena_printf(r->a, "%s-%s", ao3 ? "ao3" : "quire", container);
	if (ao3 && !strcmp(w->source_site, "Archive of Our Own"))
		w->source_site = "AO3";
	if (r->has_imported) { /* the credit it carries, not the archive it was downloaded from */
		w->source_site = r->imported_site ? r->imported_site : "";
		w->source_url = r->imported_url ? r->imported_url : "";
		w->creators = r->imported;
		w->ncreators = r->nimported;
	}
	for (size_t i = 0; i < r->nch; i++) {
		struct rchapter *rc = &r->ch[i];
		if (!rc->content.n)
			continue;
		struct import_chapter *c = import_chapter_add(r->a, w, rc->title, rc->content.items, rc->content.n, false);
		c->summary_html = rc->summary;
		c->notes_html = rc->notes;
		c->end_notes_html = rc->end_notes;
	}
	return true;
}
