/* Unit tests for legacy character sets: Windows-1252 bytes, and the repair of control characters. */
#include "check.h"
#include "core/buf.h"
#include "core/charset.h"
#include <stdlib.h>
#include <string.h>

static char *repaired(const char *in, size_t *changed)
{
	struct buf b = BUF_INIT;
	*changed = charset_repair_controls(in, strlen(in), &b);
	size_t n;
	return buf_detach(&b, &n);
}

static void test_cp1252(void)
{
	CHECK(charset_cp1252('A') == 'A');
	CHECK(charset_cp1252(0x93) == 0x201C); /* “ */
	CHECK(charset_cp1252(0x94) == 0x201D); /* ” */
	CHECK(charset_cp1252(0x85) == 0x2026); /* … */
	CHECK(charset_cp1252(0x80) == 0x20AC); /* € */
	CHECK(charset_cp1252(0x81) == 0);      /* undefined */
	CHECK(charset_cp1252(0xE9) == 0xE9);   /* é, as in Latin-1 */
	struct buf b = BUF_INIT;
	charset_put_utf8(&b, 0x201C);
	charset_put_utf8(&b, 0x1F319);
	charset_put_utf8(&b, 0xE9);
	CHECK_STR(buf_cstr(&b), "\xe2\x80\x9c\xf0\x9f\x8c\x99\xc3\xa9");
	buf_free(&b);
}

static void test_repair(void)
{
	size_t changed;
	char *s = repaired("plain text, tabs\tand\r\nlines", &changed);
	CHECK_STR(s, "plain text, tabs\tand\r\nlines");
	CHECK(changed == 0);
	CHECK(!charset_needs_repair("plain\ttext\r\n", 12));
	free(s);
	/* C0 controls and DEL go */
	s = repaired("a\x01" "b\x1b" "c\x7f" "d\x0c" "e", &changed);
	CHECK_STR(s, "abcde");
	CHECK(changed == 4);
	free(s);
	/* C1 controls are Windows-1252 punctuation read as Latin-1 */
	s = repaired("\xc2\x93Hi\xc2\x94 she said\xc2\x85 \xc2\x81", &changed);
	CHECK_STR(s, "\xe2\x80\x9cHi\xe2\x80\x9d she said\xe2\x80\xa6 ");
	CHECK(changed == 4);
	free(s);
	/* non-characters go; their neighbours (U+FFFD, U+FEFF, other 0xEF lead bytes) stay */
	s = repaired("x\xef\xbf\xbey\xef\xbf\xbfz\xef\xb7\x90!\xef\xbf\xbd\xef\xbb\xbf", &changed);
	CHECK_STR(s, "xyz!\xef\xbf\xbd\xef\xbb\xbf");
	CHECK(changed == 3);
	free(s);
	CHECK(charset_needs_repair("\x01", 1));
	CHECK(charset_needs_repair("\xc2\x9c", 2));
	CHECK(!charset_needs_repair("\xc2\xa0\xc3\xa9", 4));
	CHECK(charset_forbidden(0x01) && charset_forbidden(0x7F) && charset_forbidden(0xFFFE));
	CHECK(!charset_forbidden('\t') && !charset_forbidden('\n') && !charset_forbidden('\r') &&
	      !charset_forbidden(0x85) && !charset_forbidden(0xFFFD));
}

static void test_strip(void)
{
	char s[] = "<p>a\x01" "b\x0c\xc2\x85" "c\xef\xbf\xbe\td</p>";
	size_t n = strlen(s);
	CHECK(charset_strip_forbidden(s, &n) == 3);
	CHECK(n == strlen(s));
	CHECK_STR(s, "<p>ab\xc2\x85" "c\td</p>"); /* C1 is allowed in XML: only the repair of input changes it */
}

int main(void)
{
	test_strip();
	test_cp1252();
	test_repair();
	return CHECK_DONE();
}
