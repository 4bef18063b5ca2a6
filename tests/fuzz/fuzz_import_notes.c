/* Fuzz target: notes detection and chapter splitting over plain text (and the same bytes as Markdown). The
 * proposed notes are a run at the start and a run at the end, never the whole chapter; every block lands in
 * exactly one chapter; chapter headings are read without crashing on any line. */
#include "import/import_int.h"
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_notes(struct arena *a, const struct import_blocks *b)
{
	const char **labels = arena_alloc(a, (b->n + 1) * sizeof *labels);
	enum import_place *places = arena_alloc(a, (b->n + 1) * sizeof *places);
	import_notes_detect(b->items, b->n, labels, places);
	size_t i = 0, text = 0;
	while (i < b->n && places[i] != IMPORT_TEXT) { /* the beginning: notes, separators */
		require(places[i] == IMPORT_NOTES || places[i] == IMPORT_DROP, "an end note among the first notes");
		require(labels[i] != NULL, "a note without a label");
		i++;
	}
	size_t end = b->n;
	while (end > i && places[end - 1] != IMPORT_TEXT) {
		require(places[end - 1] == IMPORT_END_NOTES || places[end - 1] == IMPORT_DROP, "a note at the end");
		require(labels[end - 1] != NULL, "an end note without a label");
		end--;
	}
	for (size_t k = i; k < end; k++) {
		require(places[k] == IMPORT_TEXT && labels[k] == NULL, "a note in the middle of the text");
		text += b->items[k].kind != BLOCK_BREAK;
	}
	require(text > 0 || i + (b->n - end) == 0, "a chapter proposed as notes only");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	struct arena *a = arena_new();
	char *text;
	size_t n;
	const char *from;
	if (import_decode(a, data, size, NULL, &text, &n, &from) == 0) {
		require(utf8_valid(text, n) && strlen(text) == n, "decoded text not clean UTF-8");
		struct import_blocks b = {0};
		import_text_blocks(a, text, n, &b);
		for (size_t i = 0; i < b.n; i++) {
			check_text(b.items[i].html, "block html");
			check_text(b.items[i].text, "block text");
			const char *title = NULL;
			if (import_chapter_heading(a, b.items[i].text, &title))
				check_text(title, "chapter heading's title");
		}
		check_notes(a, &b);
		for (int split = 0; split < 2; split++) {
			struct import_work w;
			memset(&w, 0, sizeof w);
			w.title = w.summary_html = w.notes_html = w.end_notes_html = w.rating = w.language = "";
			w.series_title = w.source_site = w.source_url = w.format = "";
			import_chapters(a, &b, split, true, &w);
			size_t parts = 0;
			for (size_t i = 0; i < w.nchapters; i++) {
				check_chapter(a, &w.chapters[i]);
				parts += w.chapters[i].nparts;
			}
			require(parts <= b.n, "more parts than blocks");
		}
	}
	arena_free(a);
	import_one("chapter.txt", data, size);
	import_one("chapter.md", data, size);
	return 0;
}
