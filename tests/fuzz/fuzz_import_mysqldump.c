/* Fuzz target: the mysqldump reader and the eFiction model read from it. Any bytes are read in one pass
 * without crashing: every row's values decode (lengths agree, no NUL inside), and when the dump holds an
 * eFiction archive, its chapter texts and one-line fields come out as valid UTF-8 that the sanitizer takes. */
#include "import/efiction.h"
#include "import/mysqldump.h"
#include "html/sanitize.h"
#include "core/buf.h"
#include "core/err.h"
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	struct arena *a;
	size_t rows;
};

static bool row(void *ctx, const struct dump_row *r)
{
	struct seen *s = ctx;
	s->rows++;
	require(r->table != NULL && r->nvalues > 0, "a row without a table or values");
	require(r->ncolumns <= MYSQLDUMP_COLUMNS_MAX, "more columns than the cap");
	for (size_t i = 0; i < r->nvalues; i++) {
		const struct dump_value *v = &r->values[i];
		char *t = mysqldump_text(s->a, v);
		require(t != NULL, "no text for a value");
		require(!v->null || !*t, "NULL with text");
		require(strlen(t) <= v->n, "unescaping made a value longer");
		(void)mysqldump_int(v);
	}
	for (size_t i = 0; i < r->ncolumns && i < r->nvalues; i++)
		require(mysqldump_column(r, r->columns[i]) != NULL, "a named column not found");
	return true;
}

static void check_html(const char *html)
{
	check_text(html, "eFiction text as HTML");
	struct buf out = BUF_INIT;
	sanitize_html(html, strlen(html), 0, &out);
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 18)
		return 0;
	struct arena *a = arena_new();
	struct seen s = {.a = a};
	struct dump_stats st = {0};
	const char *why = NULL;
	int rc = mysqldump_read(a, (const char *)data, size, row, &s, &st, &why);
	require(rc == 0 || (why && *why), "a refusal without a reason");
	require(st.rows == s.rows, "rows counted and delivered disagree");
	for (size_t i = 0; i < st.tables; i++)
		require(st.names[i] != NULL, "a table without its name");

	struct efiction ef;
	if (efiction_read_dump(a, (const char *)data, size, NULL, &ef, &why) == 0) {
		for (size_t i = 0; i < ef.nstories; i++) {
			check_text(efiction_line(a, ef.stories[i].title, NULL), "story title");
			check_html(efiction_html(a, ef.stories[i].summary, NULL));
			require(!i || ef.stories[i - 1].sid <= ef.stories[i].sid, "stories not sorted");
			require(efiction_story(&ef, ef.stories[i].sid) != NULL, "a story not found by id");
		}
		for (size_t i = 0; i < ef.nauthors; i++)
			check_text(efiction_line(a, ef.authors[i].penname, NULL), "pen name");
		for (size_t i = 0; i < ef.nchapters && i < 64; i++) {
			const char *text, *where;
			if (efiction_chapter_text(&ef, a, &ef.chapters[i], &text, &where) == 0)
				check_html(efiction_html(a, text, NULL));
			check_html(efiction_html(a, ef.chapters[i].notes, NULL));
		}
		for (size_t i = 0; i < ef.nreviews && i < 64; i++)
			check_html(efiction_html(a, ef.reviews[i].review, NULL));
		efiction_close(&ef);
	}
	arena_free(a);
	return 0;
}
