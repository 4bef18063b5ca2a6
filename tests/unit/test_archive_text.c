/* Unit tests for one-line text cleaning: bidi controls, white space, invisible text, capped lists, quoting. */
#include "check.h"
#include "archive/errors.h"
#include "archive/text.h"
#include <stdlib.h>
#include <string.h>

static struct arena *A;

static void test_clean_line(void)
{
	CHECK_STR(archive_clean_line(A, "  Harry \t Potter\n"), "Harry Potter");
	CHECK_STR(archive_clean_line(A, NULL), "");
	/* Every bidirectional control goes, wherever it stands. */
	CHECK_STR(archive_clean_line(A, "\u202eabc\u202a\u202b\u202c\u202d def\u2066\u2067\u2068\u2069"), "abc def");
	CHECK_STR(archive_clean_line(A, "\u200eLeft\u200f \u061cRight"), "Left Right");
	/* Space that only a control separated is folded too. */
	CHECK_STR(archive_clean_line(A, "a \u202e b"), "a b");
	CHECK_STR(archive_clean_line(A, " \u202e "), "");
	/* Other text is kept as it is, joiners included (they shape scripts and emoji). */
	CHECK_STR(archive_clean_line(A, "Café ☕ 北风 👩\u200d💻"), "Café ☕ 北风 👩\u200d💻");
}

static void test_invisible(void)
{
	static const char *const invisible[] = {"", " ", "\t\n", "\u200b", "\u200c\u200d", "\u2060\ufeff",
	                                        "\u00a0\u3000", "\u3164", "\u115f\u1160", "\uffa0", "\u2800",
	                                        "\u00ad", "\u034f", "\ufe0f", "\u202e\u2069", "\u180e", NULL};
	for (size_t i = 0; invisible[i]; i++)
		CHECK(archive_text_invisible(invisible[i], strlen(invisible[i])));
	static const char *const visible[] = {"a", " x ", "\u200bé", "·", "-", "\u0301", "\ue000", "☕", NULL};
	for (size_t i = 0; visible[i]; i++)
		CHECK(!archive_text_invisible(visible[i], strlen(visible[i])));
}

static void test_split_list(void)
{
	struct strlist l;
	archive_split_list(A, " Harry Potter ,, Draco Malfoy,\t,Ron ", 10, &l);
	CHECK(l.n == 3);
	CHECK_STR(l.items[0], "Harry Potter");
	CHECK_STR(l.items[1], "Draco Malfoy");
	CHECK_STR(l.items[2], "Ron");
	archive_split_list(A, "", 10, &l);
	CHECK(l.n == 0);
	archive_split_list(A, NULL, 10, &l);
	CHECK(l.n == 0);
	archive_split_list(A, ",,,", 10, &l);
	CHECK(l.n == 0);
	/* The cap stops the split: n == max says "max or more", and the rest is never copied. */
	archive_split_list(A, "a,b,c,d,e,f", 4, &l);
	CHECK(l.n == 4);
	CHECK_STR(l.items[3], "d");
	CHECK(l.items[4] == NULL);
	/* Blank items do not count toward it. */
	archive_split_list(A, "a,,,,,,,,b", 4, &l);
	CHECK(l.n == 2);
	/* A huge list costs only the items kept. */
	size_t n = 4 * 1000 * 1000;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i += 2) {
		big[i] = 'x';
		big[i + 1] = ',';
	}
	big[n] = '\0';
	size_t before = arena_used(A);
	archive_split_list(A, big, 76, &l);
	CHECK(l.n == 76);
	CHECK(arena_used(A) - before < 16 * 1024);
	free(big);
}

static void test_quote(void)
{
	CHECK_STR(archive_quote(A, "short"), "short");
	char s[400];
	memset(s, 'a', sizeof s - 1);
	s[sizeof s - 1] = '\0';
	const char *q = archive_quote(A, s);
	CHECK(strlen(q) == ARCHIVE_QUOTE_MAX + strlen("…"));
	CHECK(!strcmp(q + ARCHIVE_QUOTE_MAX, "…"));
	/* Cut between characters, never inside one. */
	char u[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(u, "é");
	q = archive_quote(A, u);
	CHECK(strlen(q) == ARCHIVE_QUOTE_MAX * 2 + strlen("…"));
	/* Exactly the limit is not cut. */
	s[ARCHIVE_QUOTE_MAX] = '\0';
	CHECK_STR(archive_quote(A, s), s);
}

static void test_field_errors(void)
{
	struct field_errors e = {0};
	field_error(&e, "title", "first");
	field_error(&e, "title", "second");
	CHECK(e.n == 1);
	CHECK_STR(field_error_get(&e, "title"), "first");
	CHECK(field_error_get(&e, "fandoms") == NULL);
	for (int i = 0; i < 100; i++)
		field_error(&e, arena_printf(A, "f%d", i), "x");
	CHECK(e.n == FIELD_ERRORS_MAX);
}

static void test_control_characters(void)
{
	/* one-line fields: C0 controls removed, C1 read as Windows-1252, tabs and newlines fold as before */
	CHECK_STR(archive_clean_line(A, "Ti\x01tle\x7f"), "Title");
	CHECK_STR(archive_clean_line(A, "\xc2\x93Quoted\xc2\x94\tand\nfolded\xc2\x8d"), "\xe2\x80\x9cQuoted\xe2\x80\x9d" " and folded");
	CHECK_STR(archive_clean_line(A, "\x01\x02"), "");
	/* any text: the same, line ends and tabs kept */
	const char *ok = "Line one\r\n\tLine two";
	CHECK(archive_repair_text(A, ok) == ok);
	CHECK_STR(archive_repair_text(A, "a\x01\nb\xc2\x97" "c\xef\xbf\xbf"), "a\nb\xe2\x80\x94" "c");
	CHECK_STR(archive_repair_text(A, NULL), "");
}

static void test_html_shows(void)
{
	size_t n = 99;
	CHECK(!archive_html_shows(A, "", &n) && n == 0);
	CHECK(!archive_html_shows(A, "<p></p><p> &nbsp; </p>", &n) && n == 0);
	CHECK(!archive_html_shows(A, "<p>\xe2\x80\x8b</p>", &n) && n == 0); /* a zero-width space only */
	CHECK(!archive_html_shows(A, "<p>Hello <em>there</em></p>", &n) && n == 11);
	CHECK(archive_html_shows(A, "<p><img src=\"https://example.org/a.png\" /></p>", &n) && n == 0);
	CHECK(archive_html_shows(A, "<video controls></video>", &n));
	CHECK(!archive_html_shows(A, "<p>an imgur link</p>", &n));
}

int main(void)
{
	A = arena_new();
	test_control_characters();
	test_html_shows();
	test_clean_line();
	test_invisible();
	test_split_list();
	test_quote();
	test_field_errors();
	arena_free(A);
	return CHECK_DONE();
}
