/* Unit tests for the importers: notes detection, chapter headings and splitting, plain text paragraphs,
 * encodings (Windows-1252, UTF-16, double-encoded UTF-8), HTML from word processors and eFiction-era <br> runs,
 * and the caps on ZIP containers. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "import/import_int.h"
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static struct arena *A;

static struct import_block para(const char *text)
{
	return (struct import_block){BLOCK_PARAGRAPH, 0, arena_printf(A, "<p>%s</p>", text), text};
}

static void test_notes(void)
{
	struct import_block b[] = {
		para("Disclaimer: All recognizable SVU Characters belong to Dick Wolf"),
		para("A/N: set after season ten."),
		(struct import_block){BLOCK_BREAK, 0, "<hr />", ""},
		para("\"It was always temporary\u2026\""),
		para("She said she would please review the file in the morning, and then she left for a long time."),
		para("The end of the story proper, with nothing to ask."),
		(struct import_block){BLOCK_BREAK, 0, "<p>***</p>", "***"},
		para("Please Review and/or leave suggestions if you would like the next chapter."),
	};
	size_t n = sizeof b / sizeof b[0];
	const char *labels[8];
	enum import_place places[8];
	import_notes_detect(b, n, labels, places);
	CHECK_STR(labels[0], "Disclaimer");
	CHECK(places[0] == IMPORT_NOTES);
	CHECK_STR(labels[1], "Author's note");
	CHECK(places[1] == IMPORT_NOTES);
	CHECK_STR(labels[2], "Separator");
	CHECK(places[2] == IMPORT_DROP);
	CHECK(labels[3] == NULL && places[3] == IMPORT_TEXT);
	CHECK(labels[4] == NULL); /* "review" in the middle of the story is story */
	CHECK(labels[5] == NULL);
	CHECK_STR(labels[6], "Separator");
	CHECK_STR(labels[7], "Request for reviews");
	CHECK(places[7] == IMPORT_END_NOTES);

	/* dialogue at the end is story, even asking for a review */
	struct import_block d[] = {para("Once upon a time, long enough."), para("\"Please review my case,\" she said.")};
	import_notes_detect(d, 2, labels, places);
	CHECK(labels[1] == NULL);
	/* a chapter is never all notes */
	struct import_block all[] = {para("Disclaimer: not mine."), para("Please review!")};
	import_notes_detect(all, 2, labels, places);
	CHECK(labels[0] == NULL && labels[1] == NULL);
	/* curly apostrophes, "I don't own" */
	struct import_block curly[] = {para("I don\u2019t own Harry Potter."), para("The story, long enough here.")};
	import_notes_detect(curly, 2, labels, places);
	CHECK_STR(labels[0], "Disclaimer");
}

static void test_headings(void)
{
	const char *t;
	CHECK(import_chapter_heading(A, "Chapter 2", &t) && !strcmp(t, ""));
	CHECK(import_chapter_heading(A, "Ch. 3: The Storm", &t) && !strcmp(t, "The Storm"));
	CHECK(import_chapter_heading(A, "CHAPTER TWENTY-ONE - Home", &t) && !strcmp(t, "Home"));
	CHECK(import_chapter_heading(A, "Chapter IV", &t));
	CHECK(import_chapter_heading(A, "Part Two", &t) && !strcmp(t, "Part Two"));
	CHECK(import_chapter_heading(A, "Prologue", &t) && !strcmp(t, "Prologue"));
	CHECK(import_chapter_heading(A, "~ Chapter 5 ~", &t) && !strcmp(t, ""));
	CHECK(!import_chapter_heading(A, "Chapters of my life were long.", &t));
	CHECK(!import_chapter_heading(A, "Part of me wanted to stay.", &t));
	CHECK(!import_chapter_heading(A, "Changes", &t));
}

static void test_split(void)
{
	struct import_blocks b = {0};
	const char *text = "My Story\n\nDisclaimer: not mine at all.\n\nChapter 1: Start\n\nOne, long enough.\n\n"
	                   "Chapter 2\n\nTwo, long enough.\n\nPlease review!\n";
	import_text_blocks(A, text, strlen(text), &b);
	CHECK(b.n == 7);
	struct import_work w = {.title = ""};
	import_chapters(A, &b, true, true, &w);
	CHECK(w.nchapters == 2);
	CHECK_STR(w.title, "My Story"); /* a title line before the chapters names the work */
	CHECK_STR(w.chapters[0].title, "Start");
	CHECK_STR(w.chapters[1].title, "");
	/* the lines before the first chapter open chapter one: its disclaimer is proposed as its note */
	CHECK(w.chapters[0].nparts == 2);
	CHECK_STR(w.chapters[0].parts[0].label, "Disclaimer");
	CHECK_CONTAINS(import_chapter_html(A, &w.chapters[0], NULL, IMPORT_NOTES), "Disclaimer: not mine");
	CHECK_CONTAINS(import_chapter_html(A, &w.chapters[1], NULL, IMPORT_END_NOTES), "Please review!");
	/* without splitting: one chapter */
	struct import_work one = {.title = ""};
	import_chapters(A, &b, false, false, &one);
	CHECK(one.nchapters == 1);
}

static void test_text(void)
{
	struct import_blocks b = {0};
	const char *t = "  First line\r\nsame paragraph\r\n\r\n* * *\r\n\r\n\tSecond <para> & more\r\n";
	import_text_blocks(A, t, strlen(t), &b);
	CHECK(b.n == 3);
	CHECK_STR(b.items[0].html, "<p>First line<br />\nsame paragraph</p>");
	CHECK(b.items[1].kind == BLOCK_BREAK);
	CHECK_STR(b.items[1].html, "<p align=\"center\">* * *</p>");
	CHECK_STR(b.items[2].html, "<p>Second &lt;para&gt; &amp; more</p>");
	/* no blank lines at all: every line is a paragraph */
	b = (struct import_blocks){0};
	t = "One line.\nAnother line.\nA third.";
	import_text_blocks(A, t, strlen(t), &b);
	CHECK(b.n == 3);
	CHECK(blocks_scene_break("oOo") && blocks_scene_break("~*~*~") && blocks_scene_break("#") &&
	      blocks_scene_break("-x-x-x-") && !blocks_scene_break("xxx") && !blocks_scene_break("ok") &&
	      !blocks_scene_break("A line of text"));
}

static void test_decode(void)
{
	char *out;
	size_t n;
	const char *from;
	/* Windows-1252: curly quotes and an ellipsis */
	const unsigned char cp[] = {0x93, 'H', 'i', 0x94, 0x85, ' ', 0xE9};
	CHECK(import_decode(A, cp, sizeof cp, NULL, &out, &n, &from) == 0);
	CHECK_STR(out, "\xe2\x80\x9cHi\xe2\x80\x9d\xe2\x80\xa6 \xc3\xa9");
	CHECK_STR(from, "Windows-1252");
	/* valid UTF-8 stays; a BOM goes */
	const unsigned char u8[] = {0xEF, 0xBB, 0xBF, 'o', 'k', 0xC3, 0xA9};
	CHECK(import_decode(A, u8, sizeof u8, NULL, &out, &n, &from) == 0);
	CHECK_STR(out, "ok\xc3\xa9");
	CHECK(from == NULL);
	/* UTF-16 little-endian with a mark, a surrogate pair included */
	const unsigned char u16[] = {0xFF, 0xFE, 'A', 0, 0x3C, 0xD8, 0x19, 0xDF, 'b', 0};
	CHECK(import_decode(A, u16, sizeof u16, NULL, &out, &n, &from) == 0);
	CHECK_STR(out, "A\xf0\x9f\x8c\x99" "b");
	CHECK_STR(from, "UTF-16");
	/* NUL bytes are dropped */
	const unsigned char nul[] = {'a', 0, 'b'};
	CHECK(import_decode(A, nul, sizeof nul, NULL, &out, &n, &from) == 0 && !strcmp(out, "ab"));
	/* double-encoded UTF-8 put back; text that only looks alike left alone */
	size_t fixed;
	CHECK_STR(import_fix_mojibake(A, "\xc3\xa2\xe2\x82\xac\xc5\x93Hi\xc3\xa2\xe2\x82\xac\xc2\x9d caf\xc3\x83\xc2\xa9", &fixed),
	          "\xe2\x80\x9cHi\xe2\x80\x9d caf\xc3\xa9");
	CHECK(fixed == 3);
	const char *plain = "Caf\xc3\xa9 \xc3\x83 la carte";
	CHECK(import_fix_mojibake(A, plain, &fixed) == plain && fixed == 0);
	CHECK_STR(import_html_charset(A, (const unsigned char *)"<meta charset=\"windows-1252\">", 29), "windows-1252");
}

static const char *html_blocks(const char *html)
{
	struct import_blocks b = {0};
	import_html_blocks(A, html, strlen(html), &b, NULL);
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < b.n; i++)
		buf_printf(&out, "%s|", b.items[i].html);
	const char *s = arena_strdup(A, buf_cstr(&out));
	buf_free(&out);
	return s;
}

static void test_html(void)
{
	/* Google Docs: classes in a sheet, a bold wrapper that is not bold */
	CHECK_STR(html_blocks("<style>.c1{font-style:italic}.c2{text-align:center}</style><b style=\"font-weight:normal\">"
	                      "<p><span>A </span><span class=\"c1\">word</span></p><p class=\"c2\">***</p></b>"),
	          "<p>A <em>word</em></p>|<p align=\"center\">***</p>|");
	/* Word: MsoNormal, <o:p>, XML islands and conditional comments */
	CHECK_STR(html_blocks("<!--[if gte mso 9]><xml><w:WordDocument>x</w:WordDocument></xml><![endif]--><p class=MsoNormal>"
	                      "Hello <i>there</i><o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"),
	          "<p>Hello <em>there</em></p>|");
	/* eFiction: paragraphs as <br /> runs, loose text */
	CHECK_STR(html_blocks("One line<br />\nstill one<br /><br />\nTwo<br /><br /><br />Three"),
	          "<p>One line<br />\n still one</p>|<p>Two</p>|<p>Three</p>|");
	/* scripts, styles and forms are not text; links keep only web addresses; pictures inside files go */
	CHECK_STR(html_blocks("<script>x()</script><p><a href=\"javascript:x\">a</a> <a href=\"https://e.org/\">b</a>"
	                      "<img src=\"images/x.png\"></p>"),
	          "<p>a <a href=\"https://e.org/\">b</a></p>|");
	/* headings, lists whole */
	CHECK_STR(html_blocks("<h2>Chapter 1</h2><ul><li>one</li><li><em>two</em></li></ul>"),
	          "<h2>Chapter 1</h2>|<ul><li>one</li>\n<li><em>two</em></li>\n</ul>\n|");
}

/* A ZIP in memory with the given entries (libzip), as a test fixture. */
static unsigned char *make_zip(const char *const *names, const char *const *data, const size_t *lens, size_t n,
                               size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (size_t i = 0; i < n; i++)
		zip_file_add(za, names[i], zip_source_buffer(za, data[i], lens[i], 0), 0);
	zip_close(za);
	zip_stat_t st;
	zip_source_open(src);
	zip_source_stat(src, &st);
	unsigned char *out = malloc(st.size);
	*len = (size_t)zip_source_read(src, out, st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

static void test_zip_caps(void)
{
	/* a bomb: one file of 60 MiB of zeros */
	size_t big = 60u << 20, len;
	char *zeros = calloc(1, big);
	const char *name = "word/document.xml";
	const char *data = zeros;
	unsigned char *z = make_zip(&name, &data, &big, 1, &len);
	CHECK(len < (1u << 20));
	struct zipin *zi;
	const char *why = NULL;
	CHECK(zipin_open(A, z, len, &zi, &why) == Q_ETOOBIG);
	CHECK_CONTAINS(why, "ZIP bomb");
	free(z);
	free(zeros);
	/* too many files */
	size_t many = ZIPIN_ENTRIES_MAX + 1;
	const char **names = calloc(many, sizeof *names), **datas = calloc(many, sizeof *datas);
	size_t *lens = calloc(many, sizeof *lens);
	for (size_t i = 0; i < many; i++) {
		names[i] = arena_printf(A, "f%zu", i);
		datas[i] = "";
	}
	z = make_zip(names, datas, lens, many, &len);
	CHECK(zipin_open(A, z, len, &zi, &why) == Q_ETOOBIG);
	free(z);
	free(names);
	free(datas);
	free(lens);
	/* not a ZIP; a normal one reads */
	CHECK(zipin_open(A, (const unsigned char *)"not a zip", 9, &zi, &why) == Q_EINVAL);
	const char *n2 = "a.txt", *d2 = "hello";
	size_t l2 = 5;
	z = make_zip(&n2, &d2, &l2, 1, &len);
	CHECK(zipin_open(A, z, len, &zi, &why) == 0);
	char *got;
	size_t gl;
	CHECK(zipin_read(zi, "A.TXT", &got, &gl, &why) == 0 && gl == 5 && !strcmp(got, "hello"));
	CHECK(zipin_read(zi, "missing", &got, &gl, &why) == Q_ENOTFOUND);
	zipin_close(zi);
	free(z);
}

static void test_xml_refuses_entities(void)
{
	const char *why = NULL;
	struct xml_handlers h = {0};
	const char *lol = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><x>&b;</x>";
	CHECK(xml_parse(lol, strlen(lol), &h, &why) == Q_EINVAL);
	CHECK_CONTAINS(why, "entities");
	CHECK(xml_parse("<x><y/></x>", 11, &h, &why) == 0);
	CHECK(xml_parse("<x><y></x>", 10, &h, &why) == Q_EINVAL);
}

int main(void)
{
	A = arena_new();
	test_notes();
	test_headings();
	test_split();
	test_text();
	test_decode();
	test_html();
	test_zip_caps();
	test_xml_refuses_entities();
	arena_free(A);
	return CHECK_DONE();
}
