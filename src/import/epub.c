/* EPUB (2 and 3): the container names the package, the package its metadata (title, description, language,
 * subjects, series) and its spine; each spine document is a chapter (navigation, cover and title pages
 * left out), or, for an archive download (AO3's, Quire's), the download's own structure. */
#include "import/import_int.h"
#include "core/err.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OPF "http://www.idpf.org/2007/opf"
#define DC "http://purl.org/dc/elements/1.1/"
#define CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"
#define ITEMS_MAX 4096
#define SUBJECTS_MAX 200

struct item {
	const char *id, *href, *type, *props;
};

struct opf {
	struct arena *a;
	const char *rootfile;
	struct item *items;
	size_t nitems;
	const char **spine;
	size_t nspine;
	/* metadata */
	const char *field; /* the dc: element being read */
	struct buf text;
	const char *title, *description, *language, *date, *source, *publisher, *series, *series_index;
	const char *creators[16];
	size_t ncreators;
	const char *subjects[SUBJECTS_MAX];
	size_t nsubjects;
	const char *collection_id; /* EPUB 3 belongs-to-collection being read */
	const char *meta_refines, *meta_property;
	bool in_meta;
};

static void container_start(void *ctx, const char *name, const char **attrs)
{
	struct opf *o = ctx;
	if (xml_is(name, CONTAINER, "rootfile") && !o->rootfile) {
		const char *p = xml_attr(attrs, NULL, "full-path");
		if (p)
			o->rootfile = arena_strdup(o->a, p);
	}
}

static void opf_start(void *ctx, const char *name, const char **attrs)
{
	struct opf *o = ctx;
	buf_reset(&o->text);
	o->field = NULL;
	if (!strncmp(name, DC "|", strlen(DC) + 1)) {
		o->field = name + strlen(DC) + 1;
	} else if (xml_is(name, OPF, "item") && o->nitems < ITEMS_MAX) {
		const char *id = xml_attr(attrs, NULL, "id"), *href = xml_attr(attrs, NULL, "href");
		const char *type = xml_attr(attrs, NULL, "media-type"), *props = xml_attr(attrs, NULL, "properties");
		if (id && href)
			o->items[o->nitems++] = (struct item){arena_strdup(o->a, id), arena_strdup(o->a, href),
			                                      arena_strdup(o->a, type ? type : ""), arena_strdup(o->a, props ? props : "")};
	} else if (xml_is(name, OPF, "itemref") && o->nspine < ITEMS_MAX) {
		const char *idref = xml_attr(attrs, NULL, "idref"), *linear = xml_attr(attrs, NULL, "linear");
		if (idref && !(linear && !strcmp(linear, "no")))
			o->spine[o->nspine++] = arena_strdup(o->a, idref);
	} else if (xml_is(name, OPF, "meta")) {
		/* EPUB 2 (calibre): <meta name="calibre:series" content="..."/>; EPUB 3: <meta property="...">text</meta> */
		const char *n = xml_attr(attrs, NULL, "name"), *content = xml_attr(attrs, NULL, "content");
		if (n && content && !strcmp(n, "calibre:series"))
			o->series = arena_strdup(o->a, content);
		else if (n && content && !strcmp(n, "calibre:series_index"))
			o->series_index = arena_strdup(o->a, content);
		const char *prop = xml_attr(attrs, NULL, "property");
		if (prop) {
			o->in_meta = true;
			o->meta_property = arena_strdup(o->a, prop);
			const char *ref = xml_attr(attrs, NULL, "refines");
			o->meta_refines = ref ? arena_strdup(o->a, ref) : NULL;
			const char *id = xml_attr(attrs, NULL, "id");
			if (!strcmp(prop, "belongs-to-collection") && id)
				o->collection_id = arena_strdup(o->a, id);
		}
	}
}

static void opf_text(void *ctx, const char *s, int len)
{
	struct opf *o = ctx;
	if ((o->field || o->in_meta) && o->text.len < 65536)
		buf_append(&o->text, s, (size_t)len);
}

static void opf_end(void *ctx, const char *name)
{
	struct opf *o = ctx;
	const char *t = blocks_fold_space(o->a, buf_cstr(&o->text), o->text.len);
	if (o->field && *t) {
		if (!strcmp(o->field, "title") && !o->title)
			o->title = t;
		else if (!strcmp(o->field, "creator") && o->ncreators < 16)
			o->creators[o->ncreators++] = t;
		else if (!strcmp(o->field, "description") && !o->description)
			o->description = arena_strndup(o->a, buf_cstr(&o->text), o->text.len); /* unfolded: may be HTML */
		else if (!strcmp(o->field, "language") && !o->language)
			o->language = t;
		else if (!strcmp(o->field, "date") && !o->date)
			o->date = t;
		else if (!strcmp(o->field, "source") && !o->source)
			o->source = t;
		else if (!strcmp(o->field, "publisher") && !o->publisher)
			o->publisher = t;
		else if (!strcmp(o->field, "subject") && o->nsubjects < SUBJECTS_MAX)
			o->subjects[o->nsubjects++] = t;
	} else if (o->in_meta && xml_is(name, OPF, "meta")) {
		if (!strcmp(o->meta_property, "belongs-to-collection") && !o->series)
			o->series = t;
		else if (!strcmp(o->meta_property, "group-position") && o->collection_id && o->meta_refines &&
		         o->meta_refines[0] == '#' && !strcmp(o->meta_refines + 1, o->collection_id))
			o->series_index = t;
		o->in_meta = false;
	}
	o->field = NULL;
	buf_reset(&o->text);
}

/* An href of the package, relative to its directory, percent-decoded, without a fragment. */
static const char *resolve(struct arena *a, const char *rootfile, const char *href)
{
	const char *slash = strrchr(rootfile, '/');
	struct buf b = BUF_INIT;
	if (slash)
		buf_append(&b, rootfile, (size_t)(slash - rootfile) + 1);
	for (const char *p = href; *p && *p != '#'; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = {p[1], p[2], 0};
			buf_putc(&b, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			buf_putc(&b, *p);
		}
	}
	/* "dir/../x" as archives hold it: "x" */
	char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	for (char *up; (up = strstr(s, "/../"));) {
		char *start = up;
		while (start > s && start[-1] != '/')
			start--;
		memmove(start, up + 4, strlen(up + 4) + 1);
	}
	return s;
}

static const struct item *item_of(const struct opf *o, const char *id)
{
	for (size_t i = 0; i < o->nitems; i++)
		if (!strcmp(o->items[i].id, id))
			return &o->items[i];
	return NULL;
}

/* Spine documents that are not story: navigation, cover, title page, contents. */
static bool front_matter(const struct item *it)
{
	static const char *const names[] = {"cover", "titlepage", "title_page", "title-page", "toc", "nav",
	                                    "contents", "copyright", "jacket"};
	if (strstr(it->props, "nav"))
		return true;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasestr(it->id, names[i]) || strcasestr(it->href, names[i]))
			return true;
	return false;
}

static const GumboNode *body_of(const GumboNode *root)
{
	if (root->type != GUMBO_NODE_ELEMENT)
		return NULL;
	const GumboVector *kids = &root->v.element.children;
	for (unsigned i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];
		if (k->type == GUMBO_NODE_ELEMENT && k->v.element.tag == GUMBO_TAG_BODY)
			return k;
	}
	return NULL;
}

/* The description as HTML: kept when it is HTML, else its paragraphs escaped. */
static const char *description_html(struct arena *a, const char *d)
{
	struct import_blocks b = {0};
	if (strchr(d, '<'))
		import_html_blocks(a, d, strlen(d), &b, NULL);
	else
		import_text_blocks(a, d, strlen(d), &b);
	return blocks_html(a, &b);
}

/* The package's metadata into the work (for an EPUB that is not an archive download). */
static void take_metadata(struct arena *a, const struct opf *o, struct import_work *w)
{
	if (o->title && !*w->title)
		w->title = o->title;
	if (o->description && *o->description && !*w->summary_html)
		w->summary_html = description_html(a, o->description);
	if (o->language && !*w->language)
		w->language = import_language_name(a, o->language);
	if (o->series && !*w->series_title) {
		w->series_title = o->series;
		w->series_position = o->series_index ? atoi(o->series_index) : 0;
	}
	if (o->date && !w->published_at)
		w->published_at = import_parse_date(o->date);
	/* subjects are free-form: additional tags, within what a work may have */
	struct strlist *t = &w->tags[TAG_FREEFORM];
	t->items = arena_calloc(a, o->nsubjects + 1, sizeof *t->items);
	for (size_t i = 0; i < o->nsubjects && t->n < 75; i++)
		if (!strchr(o->subjects[i], ',') && strlen(o->subjects[i]) <= 150)
			t->items[t->n++] = o->subjects[i];
	if (o->ncreators)
		import_message(a, w, "The EPUB names its creator%s: %s%s.", o->ncreators > 1 ? "s" : "", o->creators[0],
		               o->ncreators > 1 ? " and others" : "");
}

int import_epub(struct arena *a, const unsigned char *data, size_t len, const struct import_options *opt,
                struct import_work *w, const char **why)
{
	struct zipin *z;
	int rc = zipin_open(a, data, len, &z, why);
	if (rc)
		return rc;
	struct opf o = {.a = a};
	o.items = arena_alloc(a, ITEMS_MAX * sizeof *o.items);
	o.spine = arena_alloc(a, ITEMS_MAX * sizeof *o.spine);
	GumboOptions gopt = kGumboDefaultOptions;
	gopt.max_errors = 100;
	GumboOutput **docs = NULL;
	const struct item **doc_items = NULL;
	size_t ndocs = 0;
	struct xml_handlers container = {.start = container_start, .ctx = &o};
	rc = xml_parse_entry(z, "META-INF/container.xml", &container, why);
	if (rc == 0 && !o.rootfile)
		rc = Q_ENOTFOUND;
	struct xml_handlers package = {.start = opf_start, .end = opf_end, .text = opf_text, .ctx = &o};
	if (rc == 0)
		rc = xml_parse_entry(z, o.rootfile, &package, why);
	if (rc == Q_ENOTFOUND) {
		*why = "This EPUB has no package document (its container or content.opf is missing).";
		rc = Q_EINVAL;
	}
	if (rc == 0) {
		docs = arena_calloc(a, o.nspine + 1, sizeof *docs);
		doc_items = arena_calloc(a, o.nspine + 1, sizeof *doc_items);
	}
	/* Every spine document, parsed once. */
	for (size_t i = 0; rc == 0 && i < o.nspine; i++) {
		const struct item *it = item_of(&o, o.spine[i]);
		if (!it || (!strstr(it->type, "html") && !strstr(it->type, "xml")))
			continue;
		char *doc;
		size_t dn;
		int r = zipin_read(z, resolve(a, o.rootfile, it->href), &doc, &dn, why);
		if (r == Q_ENOTFOUND)
			continue; /* a spine entry without its file: the rest still reads */
		if (r) {
			rc = r;
			break;
		}
		GumboOutput *g = gumbo_parse_with_options(&gopt, doc, dn);
		if (!g)
			continue;
		doc_items[ndocs] = it;
		docs[ndocs++] = g;
	}
	if (rc == 0 && ndocs == 0) {
		*why = "This EPUB has no readable chapters in its spine.";
		rc = Q_EINVAL;
	}
	if (rc == 0) {
		/* An archive download keeps its own structure: preface, chapters, afterword. */
		struct ao3_reader *r = ao3_reader_new(a, w);
		bool fed = true;
		for (size_t i = 0; i < ndocs && fed; i++)
			fed = ao3_reader_feed(r, docs[i]->root);
		if (!(fed && ao3_reader_done(r, "epub"))) {
			take_metadata(a, &o, w);
			w->format = "epub";
			/* One document: split at its headings like any file. Several: each a chapter (the spine). */
			size_t content = 0;
			for (size_t i = 0; i < ndocs; i++)
				content += !front_matter(doc_items[i]);
			for (size_t i = 0; i < ndocs && w->nchapters < IMPORT_CHAPTERS_MAX; i++) {
				const GumboNode *body = body_of(docs[i]->root);
				if (!body || (content > 0 && front_matter(doc_items[i])))
					continue;
				struct import_blocks b = {0};
				import_html_node_blocks(a, body, &b);
				if (b.n == 0)
					continue;
				if (content <= 1) {
					import_chapters(a, &b, opt->split, opt->detect_notes, w);
					continue;
				}
				import_chapter_whole(a, w, &b, opt->detect_notes);
			}
		}
	}
	for (size_t i = 0; i < ndocs; i++)
		gumbo_destroy_output(&gopt, docs[i]);
	buf_free(&o.text);
	zipin_close(z);
	if (rc == 0 && w->nchapters == 0) {
		*why = "This EPUB has no text Quire could find.";
		rc = Q_EINVAL;
	}
	return rc;
}
