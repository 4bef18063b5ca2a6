/* Inside the importers: blocks (the paragraphs every reader turns a file into), the readers of each format,
 * chapter splitting, notes detection and text decoding. Arena memory throughout. */
#ifndef QUIRE_IMPORT_IMPORT_INT_H
#define QUIRE_IMPORT_IMPORT_INT_H
#include "import/import.h"
#include "core/buf.h"

/* ---- Blocks ---- */

enum block_kind {
	BLOCK_PARAGRAPH, /* a paragraph of text */
	BLOCK_HEADING,   /* a heading (level 1-6) */
	BLOCK_BREAK,     /* a scene break: a rule, or a line of "* * *" */
	BLOCK_OTHER,     /* a list, table, quotation, preformatted text: kept whole */
};

struct import_block {
	enum block_kind kind;
	int level;        /* headings: 1-6 */
	const char *html; /* the block as one HTML element */
	const char *text; /* its visible text, white space folded ("" for a rule) */
};

struct import_blocks {
	struct import_block *items;
	size_t n, cap;
	bool overflow; /* more than IMPORT_BLOCKS_MAX were offered: the rest were dropped */
};

/* Formatting of a run of text, as elements: <em>, <strong>, <u>, <s>, <sup>, <sub> (in this order). */
enum {
	F_EM = 1,
	F_STRONG = 2,
	F_U = 4,
	F_S = 8,
	F_SUP = 16,
	F_SUB = 32,
};

/* A paragraph built from runs of formatted text (the readers of .docx and .odt). */
struct para {
	struct buf html, text;
	unsigned open;     /* formatting open in html now */
	const char *align; /* "center", "right" or NULL */
	int heading;       /* 1-6 for a heading, else 0 */
	bool has_image;
};
/* Appends text s[0..n) formatted fmt (escaped; formatting opened and closed as it changes between runs). */
void para_text(struct para *p, const char *s, size_t n, unsigned fmt);
/* Appends markup that is not text: a line break ("<br />"), a link's start or end. Formatting is closed first. */
void para_markup(struct para *p, const char *html);
/* Ends the paragraph: a block (a heading, a scene break, a paragraph) unless it shows nothing; p is reset. */
void para_end(struct arena *a, struct para *p, struct import_blocks *out);
void para_free(struct para *p);

/* Appends a block (html and text are kept, not copied). */
void blocks_add(struct arena *a, struct import_blocks *b, enum block_kind kind, int level, const char *html,
                const char *text);
/* Whether a paragraph's text is a scene break: a short line of the symbols writers use ("***", "* * *",
 * "~~~", "-x-x-", "oOo", "#"). */
bool blocks_scene_break(const char *text);
/* Text into HTML: & < > escaped, quotes kept as they are (the source stays readable). */
void blocks_escape(struct buf *out, const char *s, size_t n);
/* The blocks' HTML, one a line (arena). */
const char *blocks_html(struct arena *a, const struct import_blocks *b);
/* s with runs of white space folded into one space, trimmed (arena). */
char *blocks_fold_space(struct arena *a, const char *s, size_t n);

/* What a document says about itself, beside its text. */
struct import_meta {
	const char *title, *summary_html, *language, *creator; /* NULL when not given */
	struct strlist subjects;
	size_t images_dropped; /* pictures that cannot come along (inside the file, or not on the web) */
};

/* ---- Readers: each turns one file into blocks (and what it says about itself) ---- */

/* Plain text: paragraphs at blank lines (or at every line when the text has none), scene breaks. */
void import_text_blocks(struct arena *a, const char *text, size_t len, struct import_blocks *out);
/* Markdown, through cmark; raw HTML is left out and counted into *raw_html. */
void import_markdown_blocks(struct arena *a, const char *text, size_t len, struct import_blocks *out,
                            struct import_meta *meta, size_t *raw_html);
/* HTML as Word, LibreOffice, Google Docs or anyone writes it: formatting given by style or class turned into
 * elements (italics, bold, underline, centring), layout dropped. */
void import_html_blocks(struct arena *a, const char *html, size_t len, struct import_blocks *out,
                        struct import_meta *meta);
/* The same for a parsed document (a GumboOutput's root). */
void import_html_doc_blocks(struct arena *a, const void *root, struct import_blocks *out, struct import_meta *meta);
/* The same for one element (GumboNode *) of a parsed document, for readers that walk the tree themselves. */
void import_html_node_blocks(struct arena *a, const void *node, struct import_blocks *out);
/* HTML of one element's children, cleaned as above (for notes and summaries in archive downloads). */
const char *import_html_inner(struct arena *a, const void *node);
/* Text of an element, white space folded. */
const char *import_html_text(struct arena *a, const void *node);

/* ---- ZIP containers (EPUB, .docx, .odt), read with caps so that a ZIP bomb is refused before it costs ---- */

#define ZIPIN_ENTRIES_MAX 4096          /* files in one archive */
#define ZIPIN_ENTRY_MAX (48u << 20)     /* bytes one file may inflate to */
#define ZIPIN_TOTAL_MAX (128u << 20)    /* bytes all its files may inflate to, as declared and as read */
#define ZIPIN_RATIO_MAX 100             /* inflated bytes per compressed byte, for files over a MiB */

struct zipin;
/* Opens data as a ZIP archive; Q_EINVAL (not a ZIP, damaged, encrypted) or Q_ETOOBIG (over a cap) with *why. */
int zipin_open(struct arena *a, const unsigned char *data, size_t len, struct zipin **out, const char **why);
/* Reads the file name (exact, else ignoring case) into arena memory, NUL-terminated; Q_ENOTFOUND when there
 * is none, Q_EINVAL / Q_ETOOBIG with *why when it cannot be read within the caps. */
int zipin_read(struct zipin *z, const char *name, char **data, size_t *len, const char **why);
/* Name of entry i (0..count), for listings. */
size_t zipin_count(const struct zipin *z);
const char *zipin_name(const struct zipin *z, size_t i);
void zipin_close(struct zipin *z);

/* ---- XML (expat): namespaced names come as "URI|local" ---- */

struct xml_handlers {
	void (*start)(void *ctx, const char *name, const char **attrs);
	void (*end)(void *ctx, const char *name);
	void (*text)(void *ctx, const char *s, int len);
	void *ctx;
};
/* Parses data; Q_EINVAL with *why when it is not well-formed, declares entities (never expanded: no billion
 * laughs), or nests deeper than IMPORT_DEPTH_MAX * 4. */
int xml_parse(const char *data, size_t len, const struct xml_handlers *h, const char **why);
/* Parses the container's file name (zipin_read, then xml_parse): Q_ENOTFOUND when there is none. */
int xml_parse_entry(struct zipin *z, const char *name, const struct xml_handlers *h, const char **why);
/* Whether name is local in namespace ns ("URI|local"). */
bool xml_is(const char *name, const char *ns, const char *local);
/* The value of attribute ns|local (ns NULL: an attribute without a namespace), or NULL. */
const char *xml_attr(const char **attrs, const char *ns, const char *local);

/* ZIP-based documents. Each returns 0, or Q_EINVAL / Q_ETOOBIG with *why. */
int import_docx(struct arena *a, const unsigned char *data, size_t len, struct import_blocks *out,
                struct import_meta *meta, const char **why);
int import_odt(struct arena *a, const unsigned char *data, size_t len, struct import_blocks *out,
               struct import_meta *meta, const char **why);
/* EPUB fills w itself: one chapter per document of the spine, or an archive download's structure. */
int import_epub(struct arena *a, const unsigned char *data, size_t len, const struct import_options *opt,
                struct import_work *w, const char **why);

/* An archive download (AO3's, or Quire's own) as one HTML document (several, for an EPUB's spine): true when
 * doc is one, with w filled. doc is a GumboOutput's root; docs of an EPUB come one by one, in order. */
struct ao3_reader;
struct ao3_reader *ao3_reader_new(struct arena *a, struct import_work *w);
/* Feeds one document; false when it is not part of an archive download (nothing taken from it). */
bool ao3_reader_feed(struct ao3_reader *r, const void *root);
/* Finishes: true when what was fed was an archive download (w filled: "ao3-" or "quire-" formats). */
bool ao3_reader_done(struct ao3_reader *r, const char *container);

/* ---- Chapters ---- */

/* Turns blocks into chapters appended to w: split at chapter headings when split, else one chapter (whose
 * title a leading heading gives); a title heading before them may name the work. With detect_notes, each
 * chapter's disclaimers and author's notes are proposed as its notes. */
void import_chapters(struct arena *a, const struct import_blocks *b, bool split, bool detect_notes,
                     struct import_work *w);
/* One chapter from blocks (from..to), titled title, its notes detected when asked. */
struct import_chapter *import_chapter_add(struct arena *a, struct import_work *w, const char *title,
                                          const struct import_block *blocks, size_t n, bool detect_notes);
/* One chapter from the blocks of a whole file (one of several, a document of an EPUB): a heading at its start
 * names it (a chapter heading by its title). Nothing past IMPORT_CHAPTERS_MAX. */
void import_chapter_whole(struct arena *a, struct import_work *w, const struct import_blocks *b, bool detect_notes);
/* Whether a heading's or short paragraph's text names a chapter ("Chapter 2", "Ch. 3: Title", "Part Two",
 * "Prologue"); *title gets the part after the number ("" when none), or the whole text for prologues and
 * parts. */
bool import_chapter_heading(struct arena *a, const char *text, const char **title);

/* Notes detection over a chapter's blocks: labels[i] is set for each block recognised as a disclaimer,
 * author's note or request for reviews at the start or the end (NULL for story text); places[i] where it is
 * proposed to go. */
void import_notes_detect(const struct import_block *blocks, size_t n, const char **labels,
                         enum import_place *places);

/* ---- Text ---- */

/* Decodes a file's bytes to UTF-8 (arena, NUL-terminated, NUL bytes dropped): a byte-order mark decides (UTF-8,
 * UTF-16), valid UTF-8 stays as it is, else the declared charset (HTML's meta, when it names one we know),
 * else Windows-1252 (which covers Latin-1). *from names what was converted ("Windows-1252", "UTF-16"), NULL
 * when nothing was. Q_ETOOBIG beyond IMPORT_TEXT_MAX. */
int import_decode(struct arena *a, const unsigned char *data, size_t len, const char *declared, char **out,
                  size_t *outlen, const char **from);
/* UTF-8 that was read as Windows-1252 and encoded again ("â€œ" for "“") put back: returns the repaired text
 * (arena) and sets *fixed to the number of characters repaired; s itself when there were none. */
const char *import_fix_mojibake(struct arena *a, const char *s, size_t *fixed);
/* The charset an HTML document declares in its first bytes (<meta charset>, http-equiv), or NULL. */
const char *import_html_charset(struct arena *a, const unsigned char *data, size_t len);
/* A date as "2020-01-31" (or an RFC 3339 time) at midnight UTC, in Unix seconds; 0 when it is not one. */
int64_t import_parse_date(const char *s);
#endif
