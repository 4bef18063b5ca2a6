/* Shared by the import fuzz targets (included, not a target): what any imported work must be, whatever the
 * file was. Aborts (through require) on the first broken promise. */
#ifndef QUIRE_FUZZ_IMPORT_CHECK_H
#define QUIRE_FUZZ_IMPORT_CHECK_H
#include "core/arena.h"
#include "core/utf8.h"
#include "import/import.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* assert() vanishes under NDEBUG, and release-flavoured builds replay the corpus too. */
static inline void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz: %s\n", what);
		abort();
	}
}

/* A string every reader hands on: present, valid UTF-8 (which excludes NUL inside). */
static inline void check_text(const char *s, const char *what)
{
	require(s != NULL, what);
	require(utf8_valid(s, strlen(s)), what);
}

static inline void check_chapter(struct arena *a, const struct import_chapter *c)
{
	check_text(c->title, "chapter title");
	check_text(c->summary_html, "chapter summary");
	check_text(c->notes_html, "chapter notes");
	check_text(c->end_notes_html, "chapter end notes");
	require(c->nparts == 0 || c->parts != NULL, "parts missing");
	for (size_t i = 0; i < c->nparts; i++) {
		check_text(c->parts[i].html, "part html");
		require(c->parts[i].place < IMPORT_PLACE_COUNT, "part placed nowhere known");
		if (c->parts[i].label)
			check_text(c->parts[i].label, "part label");
	}
	for (int p = 0; p < IMPORT_PLACE_COUNT; p++)
		check_text(import_chapter_html(a, c, NULL, (enum import_place)p), "chapter html for a place");
}

/* What import_read (or a reader filling a work) left: rc 0 with a complete work, else a reason. */
static inline void check_work(struct arena *a, int rc, const struct import_work *w, const char *why)
{
	if (rc != 0) {
		require(why != NULL && *why, "a refusal without a reason");
		check_text(why, "reason");
		return;
	}
	check_text(w->format, "format");
	check_text(w->title, "title");
	check_text(w->summary_html, "summary");
	check_text(w->notes_html, "notes");
	check_text(w->end_notes_html, "end notes");
	check_text(w->rating, "rating");
	check_text(w->language, "language");
	check_text(w->series_title, "series title");
	check_text(w->source_site, "source site");
	check_text(w->source_url, "source url");
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		for (size_t i = 0; i < w->tags[t].n; i++)
			check_text(w->tags[t].items[i], "tag");
	for (size_t i = 0; i < w->ncreators; i++) {
		check_text(w->creators[i].name, "creator");
		check_text(w->creators[i].url, "creator url");
	}
	for (size_t i = 0; i < w->nmessages; i++)
		check_text(w->messages[i], "message");
	require(w->nchapters >= 1, "a work read without chapters");
	require(w->nchapters <= IMPORT_CHAPTERS_MAX, "more chapters than the cap");
	for (size_t i = 0; i < w->nchapters; i++)
		check_chapter(a, &w->chapters[i]);

	/* The import page carries the work between its steps as JSON: it must come back the same. */
	json_t *j = import_work_json(w);
	require(j != NULL, "no JSON for a work");
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	require(s != NULL, "JSON not serialisable");
	json_error_t err;
	json_t *back = json_loads(s, 0, &err);
	free(s);
	require(back != NULL, "JSON does not parse back");
	struct import_work w2;
	const char *bad = NULL;
	int rc2 = import_work_from_json(a, back, &w2, &bad);
	json_decref(back);
	require(rc2 == 0, bad ? bad : "JSON of a work not read back");
	require(w2.nchapters == w->nchapters, "chapters lost in JSON");
	require(!strcmp(w2.title, w->title), "title changed in JSON");
	for (size_t i = 0; i < w->nchapters; i++) {
		require(!strcmp(w2.chapters[i].title, w->chapters[i].title), "chapter title changed in JSON");
		require(w2.chapters[i].nparts == w->chapters[i].nparts, "parts lost in JSON");
		for (size_t k = 0; k < w->chapters[i].nparts; k++)
			require(!strcmp(w2.chapters[i].parts[k].html, w->chapters[i].parts[k].html), "part changed in JSON");
	}
}

/* One file through import_read, as the import page reads it (split and notes both on, then both off). */
static inline void import_one(const char *name, const unsigned char *data, size_t size)
{
	for (int opts = 0; opts < 2; opts++) {
		struct arena *a = arena_new();
		struct import_file f = {name, data, size};
		struct import_options o = {.split = opts == 0, .detect_notes = opts == 0};
		struct import_work w;
		const char *why = NULL;
		int rc = import_read(a, &f, 1, &o, &w, &why);
		check_work(a, rc, &w, why);
		arena_free(a);
	}
}
#endif
