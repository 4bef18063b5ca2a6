/* Unit tests for the author text formats (HTML, Markdown, plain text) and HTML word counts. */
#include "html/format.h"
#include "check.h"
#include "core/err.h"
#include <string.h>

static struct buf out;
static int last_rc;

static const char *R(enum text_format f, const char *in)
{
	buf_reset(&out);
	last_rc = format_render(f, in, strlen(in), &out);
	return buf_cstr(&out);
}

static size_t W(const char *html)
{
	return format_html_word_count(html, strlen(html));
}

static void test_names(void)
{
	enum text_format f = FORMAT_TEXT;
	CHECK(format_parse("html", &f) == 0 && f == FORMAT_HTML);
	CHECK(format_parse("markdown", &f) == 0 && f == FORMAT_MARKDOWN);
	CHECK(format_parse("text", &f) == 0 && f == FORMAT_TEXT);
	f = FORMAT_MARKDOWN;
	CHECK(format_parse("HTML", &f) == Q_EINVAL);
	CHECK(format_parse("", &f) == Q_EINVAL);
	CHECK(format_parse("md", &f) == Q_EINVAL);
	CHECK(format_parse("html ", &f) == Q_EINVAL);
	CHECK(format_parse(NULL, &f) == Q_EINVAL);
	CHECK(f == FORMAT_MARKDOWN); /* untouched on failure */
	CHECK_STR(format_name(FORMAT_HTML), "html");
	CHECK_STR(format_name(FORMAT_MARKDOWN), "markdown");
	CHECK_STR(format_name(FORMAT_TEXT), "text");
	for (int i = FORMAT_HTML; i <= FORMAT_TEXT; i++)
		CHECK(format_parse(format_name((enum text_format)i), &f) == 0 && (int)f == i);
}

static void test_html_format(void)
{
	CHECK_STR(R(FORMAT_HTML, "Hello\n\nWorld <b>bold</b>\nline"),
		  "<p>Hello</p>\n<p>World <b>bold</b><br />\nline</p>");
	CHECK_STR(R(FORMAT_HTML, "<p onclick=x>a</p><script>alert(1)</script>"), "<p>a</p>");
	CHECK_STR(R(FORMAT_HTML, "<a href=\"javascript:alert(1)\">x</a>"), "<p><a rel=\"nofollow\">x</a></p>");
	CHECK(last_rc == 0);
}

static void test_markdown(void)
{
	const char *o = R(FORMAT_MARKDOWN, "# Title\n\nSome *em* and **strong** and [link](https://x.org/).\n\n"
					   "## Sub\n\n- one\n- two\n\n> quoted\n\n    code <b>\n");
	CHECK(last_rc == 0);
	CHECK_CONTAINS(o, "<h1>Title</h1>");
	CHECK_CONTAINS(o, "<h2>Sub</h2>");
	CHECK_CONTAINS(o, "<em>em</em>");
	CHECK_CONTAINS(o, "<strong>strong</strong>");
	CHECK_CONTAINS(o, "<a href=\"https://x.org/\" rel=\"nofollow\">link</a>");
	CHECK_CONTAINS(o, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>");
	CHECK_CONTAINS(o, "<blockquote>\n<p>quoted</p>\n</blockquote>");
	CHECK_CONTAINS(o, "<pre><code>code &lt;b&gt;\n</code></pre>");

	/* Raw HTML is replaced by cmark, then anything left is sanitized. */
	o = R(FORMAT_MARKDOWN, "<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)> more\n\n"
			       "<div onclick=\"alert(1)\">block</div>\n");
	CHECK_NOT_CONTAINS(o, "<script");
	CHECK_NOT_CONTAINS(o, "onerror");
	CHECK_NOT_CONTAINS(o, "onclick");
	CHECK_NOT_CONTAINS(o, "<img");
	CHECK_NOT_CONTAINS(o, "<!--");
	CHECK_CONTAINS(o, "<p>text  more</p>");

	/* Unsafe link targets lose the link target, keep the text. */
	o = R(FORMAT_MARKDOWN, "[x](javascript:alert(1)) [y](vbscript:x) [z](data:text/html,x) ![i](data:image/png;base64,AAAA)");
	CHECK_NOT_CONTAINS(o, "javascript:");
	CHECK_NOT_CONTAINS(o, "vbscript:");
	CHECK_NOT_CONTAINS(o, "data:");
	CHECK_NOT_CONTAINS(o, "href");
	CHECK_NOT_CONTAINS(o, "src=");
	CHECK_CONTAINS(o, "<a rel=\"nofollow\">x</a>");
	o = R(FORMAT_MARKDOWN, "<javascript:alert(1)> [a](<java\tscript:x>) [b](JAVASCRIPT:x)");
	CHECK_NOT_CONTAINS(o, "href");

	/* No smart punctuation: what the author typed is what readers get. */
	CHECK_STR(R(FORMAT_MARKDOWN, "\"quoted\" -- it's... \xe2\x80\x9csmart\xe2\x80\x9d \xe2\x80\xa6"),
		  "<p>\"quoted\" -- it's... \xe2\x80\x9csmart\xe2\x80\x9d \xe2\x80\xa6</p>\n");
	CHECK_STR(R(FORMAT_MARKDOWN, ""), "");
	CHECK_STR(R(FORMAT_MARKDOWN, "a & b < c"), "<p>a &amp; b &lt; c</p>\n");
}

static void test_text(void)
{
	CHECK_STR(R(FORMAT_TEXT, "a & <b>\n\nsecond\nline\n \t\nthird"),
		  "<p>a &amp; &lt;b&gt;</p>\n<p>second<br />\nline</p>\n<p>third</p>");
	CHECK(last_rc == 0);
	CHECK_STR(R(FORMAT_TEXT, "a\r\nb\r\n\r\nc\rd"), "<p>a<br />\nb</p>\n<p>c<br />\nd</p>");
	CHECK_STR(R(FORMAT_TEXT, ""), "");
	CHECK_STR(R(FORMAT_TEXT, "\n \n\t\n"), "");
	/* AO3's rules: three or more newlines leave an empty paragraph between (README, "Story HTML"). */
	CHECK_STR(R(FORMAT_TEXT, "\n\n\none\n\n\n\ntwo\n\n"), "<p>one</p>\n<p>&nbsp;</p>\n<p>two</p>");
	CHECK_STR(R(FORMAT_TEXT, "\"It's\" \xe2\x80\x94 it\xe2\x80\x99s\xe2\x80\xa6 \"It was always temporary\xe2\x80\xa6\""),
		  "<p>\"It's\" \xe2\x80\x94 it\xe2\x80\x99s\xe2\x80\xa6 \"It was always temporary\xe2\x80\xa6\"</p>");
	CHECK_STR(R(FORMAT_TEXT, "<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	CHECK_STR(R(FORMAT_TEXT, "  indented line"), "<p>indented line</p>"); /* leading spaces never showed */
	CHECK_STR(R(FORMAT_TEXT, "tab\x0b" "bed ____spacer____\xef\xbb\xbf"), "<p>tabbed</p>");
	buf_reset(&out);
	CHECK(format_render(FORMAT_TEXT, "a\0b", 3, &out) == 0);
	CHECK_STR(buf_cstr(&out), "<p>ab</p>");
}

static void test_invalid_utf8(void)
{
	const char *bad[] = {"\xff", "ok \xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "# \xe2\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		for (int f = FORMAT_HTML; f <= FORMAT_TEXT; f++) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "keep");
			CHECK(format_render((enum text_format)f, bad[i], strlen(bad[i]), &b) == Q_EINVAL);
			CHECK_STR(buf_cstr(&b), "keep");
			buf_free(&b);
		}
	}
}

static void test_word_counts(void)
{
	CHECK(W("") == 0);
	CHECK(W("Hello, world!") == 2);
	CHECK(W("don't stop") == 2);
	CHECK(W("don\xe2\x80\x99t stop") == 2);
	CHECK(W("well-known fact") == 2);
	CHECK(W("'quoted' -dash- end-") == 3);
	CHECK(W("a--b") == 2);
	CHECK(W("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88") == 8);
	CHECK(W("I love \xe6\x9d\xb1\xe4\xba\xac") == 4);
	CHECK(W("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4") == 3); /* Hangul syllables */
	CHECK(W("caf\xc3\xa9 na\xc3\xafve \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82") == 3);
	CHECK(W("e\xcc\x81t\xc3\xa9") == 1); /* a combining mark stays inside its word */
	CHECK(W("2024 was 1st") == 3);
	CHECK(W("\xe2\x80\xa6 \xe2\x80\x94 !!! ...") == 0);
	CHECK(W("<p>one</p><p>two&nbsp;three</p>") == 3);
	CHECK(W("<p>one</p>\n<p>two</p>") == 2);
	CHECK(W("a<b>b</b>") == 1);             /* inline tags do not split words */
	CHECK(W("a<em>b</em>c<span class=\"x\">d</span>") == 1);
	CHECK(W("a<br />b") == 2);              /* block tags and br do */
	CHECK(W("a<br>b<hr/>c</p>d<div>e") == 5);
	CHECK(W("<p title=\"many words here > still\">x</p>") == 1);
	CHECK(W("<!-- a comment with words -->visible") == 1);
	CHECK(W("AT&amp;T &lt;tag&gt; it&#39;s it&#x2019;s &#72;i") == 6);
	CHECK(W("&hellip;word&unknown;other") == 2);
	CHECK(W("5 &lt; 6") == 2);
	CHECK(W("<p>Hello</p>\n<p>World <b>bold</b><br />\nline</p>") == 4);
	CHECK(W("a < b") == 2); /* a bare < is text */
	CHECK(W("broken \xff bytes") == 2);

	/* Counting rendered output matches counting the source text. */
	buf_reset(&out);
	const char *text = "It was always temporary\xe2\x80\xa6\n\nShe didn't know \xe6\x97\xa5\xe6\x9c\xac.";
	CHECK(format_render(FORMAT_TEXT, text, strlen(text), &out) == 0);
	CHECK(format_html_word_count(out.data, out.len) == 9);
}

int main(void)
{
	test_names();
	test_html_format();
	test_markdown();
	test_text();
	test_invalid_utf8();
	test_word_counts();
	buf_free(&out);
	return CHECK_DONE();
}
