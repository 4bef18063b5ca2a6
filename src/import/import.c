/* Importing files: which reader each file needs (by its name and its first bytes), one file or several in
 * the natural order of their names, and what the writer is told about the conversion. */
#include "import/import_int.h"
#include "core/err.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_TEXT, K_MARKDOWN, K_HTML, K_DOCX, K_ODT, K_EPUB };

static const char *const kind_names[] = {"text", "markdown", "html", "docx", "odt", "epub"};

void import_message(struct arena *a, struct import_work *w, const char *fmt, ...)
{
	if (w->nmessages >= 32)
		return;
	if (w->nmessages % 8 == 0) {
		const char **more = arena_calloc(a, w->nmessages + 9, sizeof *more);
		if (w->nmessages)
			memcpy(more, w->messages, w->nmessages * sizeof *more);
		w->messages = more;
	}
	va_list ap;
	va_start(ap, fmt);
	char buf[600];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	w->messages[w->nmessages++] = arena_strdup(a, buf);
}

static const char *place_names[IMPORT_PLACE_COUNT] = {"notes", "text", "end_notes", "drop"};

const char *import_place_name(enum import_place p)
{
	return (unsigned)p < IMPORT_PLACE_COUNT ? place_names[p] : "text";
}

int import_place_parse(const char *s)
{
	for (int i = 0; s && i < IMPORT_PLACE_COUNT; i++)
		if (!strcmp(s, place_names[i]))
			return i;
	return -1;
}

const char *import_chapter_html(struct arena *a, const struct import_chapter *c, const enum import_place *places,
                                enum import_place where)
{
	struct buf b = BUF_INIT;
	const char *own = where == IMPORT_NOTES ? c->notes_html : where == IMPORT_END_NOTES ? c->end_notes_html : NULL;
	if (own && *own) {
		buf_puts(&b, own);
		buf_putc(&b, '\n');
	}
	for (size_t i = 0; i < c->nparts; i++) {
		enum import_place p = places ? places[i] : c->parts[i].place;
		if (p == where) {
			buf_puts(&b, c->parts[i].html);
			buf_putc(&b, '\n');
		}
	}
	const char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

/* ---- Which reader ---- */

static bool ends_with(const char *name, const char *ext)
{
	size_t n = strlen(name), k = strlen(ext);
	return n >= k && !strcasecmp(name + n - k, ext);
}

static bool zip_holds(const struct import_file *f, const char *what)
{
	/* the names of a ZIP's first entries are in its first local headers: enough to tell its kind */
	size_t n = f->len < 4096 ? f->len : 4096;
	return f->len > 4 && !memcmp(f->data, "PK\x03\x04", 4) && memmem(f->data, n, what, strlen(what));
}

/* The reader for a file, or -1 with *why for one Quire cannot read. */
static int kind_of(const struct import_file *f, const char **why)
{
	const char *name = f->name ? f->name : "";
	static const struct {
		const char *ext, *advice;
	} refused[] = {
		{".doc", "Old Word documents (.doc) cannot be read: save it as .docx (Word: File, Save As) and import that."},
		{".rtf", "Rich Text (.rtf) cannot be read: save it as .docx or .odt and import that."},
		{".pdf", "PDF keeps no paragraphs to import: export the original document as .docx, .odt, HTML or text."},
		{".pages", "Pages documents cannot be read: export it as Word (.docx) and import that."},
		{".mobi", "Kindle books (.mobi, .azw3) cannot be read: use the EPUB download instead."},
		{".azw3", "Kindle books (.mobi, .azw3) cannot be read: use the EPUB download instead."},
		{".zip", "Import the documents inside the ZIP (choose several files at once), not the ZIP itself."},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (ends_with(name, refused[i].ext)) {
			*why = refused[i].advice;
			return -1;
		}
	if (ends_with(name, ".epub") || zip_holds(f, "application/epub+zip"))
		return K_EPUB;
	if (ends_with(name, ".docx") || zip_holds(f, "word/"))
		return K_DOCX;
	if (ends_with(name, ".odt") || zip_holds(f, "application/vnd.oasis.opendocument.text"))
		return K_ODT;
	if (f->len > 4 && !memcmp(f->data, "PK\x03\x04", 4)) {
		*why = "This is a ZIP file of a kind Quire does not know (EPUB, .docx and .odt are the ones it reads).";
		return -1;
	}
	if (ends_with(name, ".md") || ends_with(name, ".markdown") || ends_with(name, ".mdown") || ends_with(name, ".mkd"))
		return K_MARKDOWN;
	if (ends_with(name, ".html") || ends_with(name, ".htm") || ends_with(name, ".xhtml"))
		return K_HTML;
	/* Not named as any: its first bytes tell HTML apart; binary data is refused. */
	size_t n = f->len < 1024 ? f->len : 1024, binary = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = f->data[i];
		binary += (c < 0x09) || (c > 0x0D && c < 0x20 && c != 0x1B);
	}
	bool utf16 = n >= 2 && ((f->data[0] == 0xFF && f->data[1] == 0xFE) || (f->data[0] == 0xFE && f->data[1] == 0xFF));
	if (!utf16 && binary > n / 50 + 1) {
		*why = "This file is not a text document Quire can read (it looks like binary data). Import plain text, "
		       "Markdown, HTML, .docx, .odt or EPUB.";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (isspace(f->data[i]))
			continue;
		if (f->data[i] == '<' && (!strncasecmp((const char *)f->data + i, "<!doctype html", 14) ||
		                          !strncasecmp((const char *)f->data + i, "<html", 5)))
			return K_HTML;
		break;
	}
	return K_TEXT;
}

/* "chapter 10.txt" after "chapter 9.txt": digit runs compare as numbers. */
static int natural_cmp(const void *pa, const void *pb)
{
	const char *a = ((const struct import_file *)pa)->name, *b = ((const struct import_file *)pb)->name;
	a = a ? a : "";
	b = b ? b : "";
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t na = 0, nb = 0;
			while (isdigit((unsigned char)a[na]))
				na++;
			while (isdigit((unsigned char)b[nb]))
				nb++;
			if (na != nb)
				return na < nb ? -1 : 1;
			int c = strncmp(a, b, na);
			if (c)
				return c;
			a += na;
			b += nb;
			continue;
		}
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* A title from a file name: its extension, path and separators gone ("my_story-ch1.txt" -> "my story ch1"). */
static const char *title_of_name(struct arena *a, const char *name)
{
	if (!name)
		return "";
	const char *slash = strrchr(name, '/'), *bslash = strrchr(name, '\\');
	if (bslash && (!slash || bslash > slash))
		slash = bslash;
	const char *base = slash ? slash + 1 : name;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *t = arena_strndup(a, base, n);
	for (char *p = t; *p; p++)
		if (*p == '_')
			*p = ' ';
	return blocks_fold_space(a, t, strlen(t));
}

/* Reads one file into blocks (EPUBs fill w themselves: *whole set). */
static int read_file(struct arena *a, const struct import_file *f, enum kind k, const struct import_options *opt,
                     struct import_blocks *b, struct import_meta *meta, struct import_work *w, bool *whole,
                     const char **why)
{
	*whole = false;
	if (k == K_DOCX)
		return import_docx(a, f->data, f->len, b, meta, why);
	if (k == K_ODT)
		return import_odt(a, f->data, f->len, b, meta, why);
	if (k == K_EPUB) {
		*whole = true;
		return import_epub(a, f->data, f->len, opt, w, why);
	}
	const char *declared = k == K_HTML ? import_html_charset(a, f->data, f->len) : NULL;
	char *text;
	size_t len;
	const char *from;
	int rc = import_decode(a, f->data, f->len, declared, &text, &len, &from);
	if (rc) {
		*why = arena_printf(a, "%s is too large: a file may hold at most %u MiB of text.", f->name ? f->name : "The file",
		                    IMPORT_TEXT_MAX >> 20);
		return rc;
	}
	if (from)
		import_message(a, w, "%s was written in %s: it was converted to Unicode (UTF-8). Check its accented letters "
		               "and punctuation in the preview.", f->name && *f->name ? f->name : "The file", from);
	size_t fixed = 0;
	const char *repaired = import_fix_mojibake(a, text, &fixed);
	if (fixed) {
		import_message(a, w, "%zu character%s encoded twice (such as \"\xc3\xa2\xe2\x82\xac\xc5\x93\" for \"\xe2\x80\x9c\") "
		               "%s repaired.", fixed, fixed == 1 ? "" : "s", fixed == 1 ? "was" : "were");
		text = (char *)repaired;
		len = strlen(text);
	}
	if (k == K_TEXT) {
		import_text_blocks(a, text, len, b);
		return 0;
	}
	if (k == K_MARKDOWN) {
		size_t raw = 0;
		import_markdown_blocks(a, text, len, b, meta, &raw);
		if (raw)
			import_message(a, w, "%zu piece%s of HTML in the Markdown %s left out: Markdown here never passes HTML "
			               "through.", raw, raw == 1 ? "" : "s", raw == 1 ? "was" : "were");
		return 0;
	}
	/* HTML: an archive download keeps its structure; anything else is a document. */
	GumboOptions gopt = kGumboDefaultOptions;
	gopt.max_errors = 100;
	GumboOutput *g = gumbo_parse_with_options(&gopt, text, len);
	if (!g) {
		*why = "The file could not be read as HTML.";
		return Q_EINVAL;
	}
	struct ao3_reader *r = ao3_reader_new(a, w);
	if (ao3_reader_feed(r, g->root) && ao3_reader_done(r, "html")) {
		*whole = true;
	} else {
		import_html_doc_blocks(a, g->root, b, meta);
	}
	gumbo_destroy_output(&gopt, g);
	return 0;
}

static void init_work(struct import_work *w)
{
	memset(w, 0, sizeof *w);
	w->format = "text";
	w->title = w->summary_html = w->notes_html = w->end_notes_html = "";
	w->rating = w->language = w->series_title = w->source_site = w->source_url = "";
}

int import_read(struct arena *a, const struct import_file *files, size_t n, const struct import_options *opt,
                struct import_work *out, const char **why)
{
	init_work(out);
	*why = NULL;
	if (n == 0) {
		*why = "Choose a file to import.";
		return Q_EINVAL;
	}
	if (n > IMPORT_FILES_MAX) {
		*why = arena_printf(a, "Import at most %d files at once (one chapter each).", IMPORT_FILES_MAX);
		return Q_ETOOBIG;
	}
	struct import_file *sorted = arena_alloc(a, n * sizeof *sorted);
	memcpy(sorted, files, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, natural_cmp);
	struct import_meta meta = {0};
	size_t overflow = 0;
	for (size_t i = 0; i < n; i++) {
		const struct import_file *f = &sorted[i];
		if (f->len == 0) {
			*why = arena_printf(a, "%s is empty.", f->name && *f->name ? f->name : "The file");
			return Q_EINVAL;
		}
		int k = kind_of(f, why);
		if (k < 0) {
			if (n > 1 && f->name)
				*why = arena_printf(a, "%s: %s", f->name, *why);
			return Q_EINVAL;
		}
		if (n > 1 && k == K_EPUB) {
			*why = "An EPUB holds a whole work: import it on its own.";
			return Q_EINVAL;
		}
		out->format = kind_names[k];
		struct import_blocks b = {0};
		bool whole;
		size_t before = out->nchapters;
		int rc = read_file(a, f, (enum kind)k, opt, &b, &meta, out, &whole, why);
		if (rc) {
			if (n > 1 && f->name && *why)
				*why = arena_printf(a, "%s: %s", f->name, *why);
			return rc;
		}
		if (whole) {
			if (n > 1) { /* an archive download among several files: its chapters join the rest */
				import_message(a, out, "%s is a whole work: its chapters were added in its place.", f->name);
			}
			continue;
		}
		overflow += b.overflow;
		if (n == 1) {
			import_chapters(a, &b, opt->split, opt->detect_notes, out);
		} else {
			import_chapter_whole(a, out, &b, opt->detect_notes); /* one chapter per file */
		}
		if (out->nchapters == before && !whole) {
			*why = arena_printf(a, "%s has no text Quire could find.", f->name && *f->name ? f->name : "The file");
			return Q_EINVAL;
		}
	}
	if (n > 1)
		out->format = "files";
	if (!*out->title && meta.title)
		out->title = meta.title;
	if (!*out->title)
		out->title = title_of_name(a, sorted[0].name);
	if (overflow)
		import_message(a, out, "The file is very long: only its first %d paragraphs were read.", IMPORT_BLOCKS_MAX);
	if (out->nchapters >= IMPORT_CHAPTERS_MAX)
		import_message(a, out, "Only the first %d chapters were read: import the rest as a second work, or add "
		               "them one by one.", IMPORT_CHAPTERS_MAX);
	if (meta.images_dropped)
		import_message(a, out, "%zu picture%s inside the file%s cannot come along (Quire keeps no pictures of its "
		               "own; link to pictures on the web instead).", meta.images_dropped,
		               meta.images_dropped == 1 ? "" : "s", n > 1 ? "s" : "");
	if (out->nchapters == 0) {
		*why = "Quire found no text in this file.";
		return Q_EINVAL;
	}
	return 0;
}
