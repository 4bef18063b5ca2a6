/* Importing works from files: the neutral "imported work" every reader produces (plain text, Markdown, HTML
 * from any word processor, .docx, .odt, EPUB, AO3's and Quire's own downloads), and the entry point that
 * picks the reader. Nothing here touches the store: an archive workflow posts what comes out
 * (archive/import.h), after the writer has seen it. All memory lives in the caller's arena. */
#ifndef QUIRE_IMPORT_IMPORT_H
#define QUIRE_IMPORT_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/store.h" /* enum tag_type, struct strlist: the archive's vocabulary, nothing else */

/* Limits of one import (README's Limits table). */
#define IMPORT_FILES_MAX 200          /* files in one import, one chapter each */
#define IMPORT_CHAPTERS_MAX 500       /* chapters one import may propose */
#define IMPORT_TEXT_MAX (16u << 20)   /* bytes of text one file may decode to */
#define IMPORT_BLOCKS_MAX 200000      /* paragraphs and other blocks in one file */
#define IMPORT_DEPTH_MAX 200          /* nesting of elements followed in HTML and XML */

/* Where a part of a chapter goes: before the text (the chapter's beginning notes), in it, after it (end
 * notes), or nowhere. */
enum import_place { IMPORT_NOTES, IMPORT_TEXT, IMPORT_END_NOTES, IMPORT_DROP, IMPORT_PLACE_COUNT };

/* One piece of a chapter as found: story text, or something around it that Quire recognised (a
 * disclaimer, an author's note, a request for reviews) and proposes to put elsewhere. */
struct import_part {
	const char *html;          /* HTML to be sanitized like any other */
	const char *label;         /* what it was recognised as ("Disclaimer", "Author's note"); NULL for text */
	enum import_place place;   /* where it is proposed to go */
};

struct import_chapter {
	const char *title;                 /* "" when untitled */
	const char *summary_html;          /* given as such by the source (an archive download); "" when none */
	const char *notes_html, *end_notes_html;
	struct import_part *parts;         /* in reading order */
	size_t nparts;
	int64_t published_at;              /* 0 when unknown */
};

/* Someone credited as a creator elsewhere (an AO3 download's byline): text and a link, never an account. */
struct import_creator {
	const char *name;
	const char *url; /* "" when none */
};

struct import_work {
	const char *format;                /* what was read: "text", "markdown", "html", "docx", "odt", "epub",
	                                    * "ao3-html", "ao3-epub", "quire-html", "quire-epub" */
	const char *title, *summary_html, *notes_html, *end_notes_html; /* "" when none */
	const char *rating, *language;     /* "" when none */
	struct strlist tags[TAG_TYPE_COUNT]; /* TAG_RATING unused: see rating */
	const char *series_title;          /* "" when none */
	int series_position;               /* 0 when unknown */
	int expected_chapters;             /* 0 when unknown */
	bool complete;
	int64_t published_at, updated_at;  /* 0 when unknown */
	const char *source_site;           /* where it was posted originally ("Archive of Our Own"), "" when none */
	const char *source_url;            /* its address there, "" when none */
	struct import_creator *creators;   /* credited there */
	size_t ncreators;
	struct import_chapter *chapters;
	size_t nchapters;
	const char **messages;             /* what the writer should know before posting (encoding converted,
	                                    * HTML left out, pictures that cannot come along) */
	size_t nmessages;
};

/* One uploaded file. */
struct import_file {
	const char *name;                  /* as uploaded; its extension helps tell the format */
	const unsigned char *data;
	size_t len;
};

struct import_options {
	bool split;        /* split a single file at its chapter headings */
	bool detect_notes; /* propose disclaimers and author's notes as notes */
};

/* Reads files into out: one file (split at chapter headings when opt->split), or several, one chapter each in
 * the natural order of their names ("ch2" before "ch10"). Q_EINVAL or Q_ETOOBIG with *why, a sentence for the
 * writer, when a file cannot be read (not a format Quire knows, damaged, a ZIP bomb, too large); nothing is
 * half-read then. */
int import_read(struct arena *a, const struct import_file *files, size_t n, const struct import_options *opt,
                struct import_work *out, const char **why);

/* The chapter's HTML for one place: the source's own notes for it (notes, end notes) followed by the parts
 * placed there, in reading order, separated by newlines; "" when there is nothing. places[i] overrides
 * parts[i].place when places is not NULL. */
const char *import_chapter_html(struct arena *a, const struct import_chapter *c, const enum import_place *places,
                                enum import_place where);

/* The imported work as JSON (what the API's preview answers and the import page carries between its steps),
 * and back: Q_EINVAL with *bad for anything that is not what import_work_json writes, read within the caps
 * above. */
struct json_t;
struct json_t *import_work_json(const struct import_work *w);
int import_work_from_json(struct arena *a, struct json_t *o, struct import_work *w, const char **bad);

/* "notes", "text", "end_notes", "drop", and back (-1 for anything else). */
const char *import_place_name(enum import_place p);
int import_place_parse(const char *s);

/* The name of a language from its code ("en", "en-US" -> "English"), as AO3 names languages; the code itself
 * when unknown. */
const char *import_language_name(struct arena *a, const char *code);

/* Adds a message for the writer (printf format) to w. */
void import_message(struct arena *a, struct import_work *w, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
