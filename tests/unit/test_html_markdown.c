/* Unit tests for Markdown rendering: CommonMark via cmark, pipe tables, and safety of both. */
#include "check.h"
#include "html/format.h"
#include "html/markdown.h"
#include "core/arena.h"
#include <stdlib.h>
#include <string.h>

static char *md(const char *in)
{
	struct buf b = BUF_INIT;
	CHECK(format_render(FORMAT_MARKDOWN, in, strlen(in), &b) == 0);
	size_t n;
	return buf_detach(&b, &n);
}

#define MD_CONTAINS(in, want) do { char *html_ = md(in); CHECK_CONTAINS(html_, want); free(html_); } while (0)
#define MD_LACKS(in, bad) do { char *html_ = md(in); CHECK_NOT_CONTAINS(html_, bad); free(html_); } while (0)

/* Raw HTML is left out of Markdown, and a preview can name what was left out. */
static void test_raw_html_listed(void)
{
	struct arena *a = arena_new();
	const char *pieces[4];
	const char *in = "Hello <span style=\"color:red\">red</span> world.\n\n<div class=\"x\">\nblock\n</div>\n\nPlain *text*.\n";
	size_t n = markdown_raw_html(a, in, strlen(in), pieces, 4);
	CHECK(n == 3);
	CHECK_STR(pieces[0], "<span style=\"color:red\">");
	CHECK_STR(pieces[1], "</span>");
	CHECK_STR(pieces[2], "<div class=\"x\"> block </div>");
	CHECK(markdown_raw_html(a, "No *HTML* here.", 15, pieces, 4) == 0);
	/* long pieces are cut after a whole character; the count goes past max */
	char big[400];
	strcpy(big, "<p title=\"");
	for (int i = 0; i < 60; i++)
		strcat(big, "\xc3\xa9");
	strcat(big, "\">x</p>\n\nText <b>1</b> and <b>2</b>.");
	n = markdown_raw_html(a, big, strlen(big), pieces, 2);
	CHECK(n == 5); /* the HTML block line, then four inline tags */
	CHECK(strlen(pieces[0]) < 90);
	CHECK_CONTAINS(pieces[0], "\xc3\xa9\xe2\x80\xa6"); /* é then … : never half a character */
	arena_free(a);
}

int main(void)
{
	test_raw_html_listed();
	const char *table = "Intro paragraph.\n\n| Name | Role |\n|:-----|-----:|\n| Holmes | *detective* |\n| Watson | doctor |\n\nAfter.\n";
	MD_CONTAINS(table, "<p>Intro paragraph.</p>");
	MD_CONTAINS(table, "<table>");
	MD_CONTAINS(table, "<th align=\"left\">Name</th>");
	MD_CONTAINS(table, "<th align=\"right\">Role</th>");
	MD_CONTAINS(table, "<td align=\"right\"><em>detective</em></td>");
	MD_CONTAINS(table, "<td align=\"left\">Watson</td>");
	MD_CONTAINS(table, "<p>After.</p>");
	/* centered columns, missing cells, escaped bars, bars inside code spans */
	MD_CONTAINS("| a | b |\n|:-:|---|\n| 1 |\n", "<td align=\"center\">1</td><td></td>");
	MD_CONTAINS("| x |\n|---|\n| a \\| b |\n", "<td>a | b</td>");
	MD_CONTAINS("| code |\n|---|\n| `a|b` |\n", "<code>a|b</code>");
	/* not tables: no delimiter row, wrong column count, inside a fenced code block */
	MD_LACKS("| a | b |\n| c | d |\n", "<table>");
	MD_LACKS("| a | b |\n|---|\n", "<table>");
	MD_LACKS("```\n| a |\n|---|\n```\n", "<table>");
	MD_CONTAINS("```\n| a |\n|---|\n```\n", "<pre><code>| a |");
	/* a table at the very end without a body, and at the start */
	MD_CONTAINS("| only | header |\n| --- | --- |", "<th>only</th>");
	/* cells are Markdown, still sanitized: no raw HTML, no javascript: links */
	MD_LACKS("| x |\n|---|\n| <script>alert(1)</script> |\n", "<script");
	MD_LACKS("| x |\n|---|\n| [a](javascript:alert(1)) |\n", "javascript:");
	MD_LACKS("| <img src=x onerror=alert(1)> |\n|---|\n", "onerror");
	/* ordinary Markdown still works */
	MD_CONTAINS("# Title\n\nSome *emphasis* and **strong**.\n", "<h1>Title</h1>");
	MD_CONTAINS("> quoted\n", "<blockquote>");
	/* many columns are capped, not overflowed */
	{
		char row[1024] = "|", delim[1024] = "|";
		for (int i = 0; i < 100; i++) {
			strcat(row, " c |");
			strcat(delim, "---|");
		}
		char in[2200];
		snprintf(in, sizeof in, "%s\n%s\n%s\n", row, delim, row);
		char *h = md(in);
		CHECK(h != NULL);
		free(h);
	}
	return CHECK_DONE();
}
