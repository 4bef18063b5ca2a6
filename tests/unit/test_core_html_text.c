/* Tests for the text of sanitized HTML: blocks become spaces, inline tags vanish, escapes are decoded. */
#include "check.h"
#include "core/arena.h"
#include "core/html_text.h"

int main(void)
{
	struct arena *a = arena_new();
	CHECK_STR(html_plain(a, "<p>A tale of <em>tides</em> &amp; lamps.</p>"), "A tale of tides & lamps.");
	CHECK_STR(html_plain(a, "<p>One.</p>\n<p>Two<br />three.</p>"), "One. Two three.");
	CHECK_STR(html_plain(a, "<ul><li>a</li><li>b</li></ul>"), "a b");
	CHECK_STR(html_plain(a, "&lt;b&gt; &quot;q&quot; &#39;s&#39; &amp;amp;"), "<b> \"q\" 's' &amp;");
	CHECK_STR(html_plain(a, "  spaced\t\n out  "), "spaced out");
	CHECK_STR(html_plain(a, ""), "");
	CHECK_STR(html_plain(a, NULL), "");
	CHECK_STR(html_plain(a, "cut <a href=\"x\""), "cut"); /* an unfinished tag ends the text */
	CHECK_STR(html_plain(a, "<p>Ünïcode — fine</p>"), "Ünïcode — fine");
	arena_free(a);
	return CHECK_DONE();
}
