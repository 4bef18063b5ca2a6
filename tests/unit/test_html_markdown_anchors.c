/* Unit tests for help-page anchors: heading ids as GitHub writes them, § links, scrolling table boxes. */
#include "check.h"
#include "html/markdown.h"
#include <stdlib.h>
#include <string.h>

static char *anchored(const char *in)
{
	struct buf b = BUF_INIT;
	markdown_heading_anchors(in, strlen(in), &b);
	size_t n;
	char *s = buf_detach(&b, &n);
	return s ? s : calloc(1, 1);
}

#define ANCHORED(in, want) do { char *out_ = anchored(in); CHECK_STR(out_, want); free(out_); } while (0)
#define ANCHORED_HAS(in, want) do { char *out_ = anchored(in); CHECK_CONTAINS(out_, want); free(out_); } while (0)

int main(void)
{
	ANCHORED("<h2>The work object</h2>",
	         "<h2 id=\"the-work-object\">The work object <a class=\"anchor\" href=\"#the-work-object\">§</a></h2>");
	/* tags and entities are not part of the slug; punctuation is dropped, hyphens and underscores kept */
	ANCHORED_HAS("<h3>List works: <code>GET /api/v1/works</code></h3>", "<h3 id=\"list-works-get-apiv1works\">");
	ANCHORED_HAS("<h2>Fields you send (AO3&#39;s work form)</h2>", "id=\"fields-you-send-ao3s-work-form\"");
	ANCHORED_HAS("<h2>snake_case &amp; kebab-case</h2>", "id=\"snake_case--kebab-case\"");
	ANCHORED_HAS("<h1>Le café</h1>", "id=\"le-café\"");
	/* repeats get -2, -3; an empty heading still gets an id */
	ANCHORED_HAS("<h2>Errors</h2><h3>Errors</h3><h2>Errors</h2>", "<h3 id=\"errors-2\">");
	ANCHORED_HAS("<h2>Errors</h2><h3>Errors</h3><h2>Errors</h2>", "<h2 id=\"errors-3\">");
	ANCHORED_HAS("<h2></h2>", "<h2 id=\"section\">");
	/* headings that already have attributes, unclosed headings and look-alikes are left as they are */
	ANCHORED("<h2 id=\"x\">Kept</h2>", "<h2 id=\"x\">Kept</h2>");
	ANCHORED("<h2>never closed", "<h2>never closed");
	ANCHORED("<hr><header>x</header><h7>y</h7>", "<hr><header>x</header><h7>y</h7>");
	/* tables scroll in a focusable region of their own */
	ANCHORED("<p>a</p><table><tr><td>1</td></tr></table><table></table>",
	         "<p>a</p><div class=\"table-scroll\" role=\"region\" aria-label=\"Table 1\" tabindex=\"0\">"
	         "<table><tr><td>1</td></tr></table></div>"
	         "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table 2\" tabindex=\"0\"><table></table></div>");
	ANCHORED("", "");
	ANCHORED("plain text", "plain text");
	return CHECK_DONE();
}
