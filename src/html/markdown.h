/* Markdown to HTML: CommonMark through cmark (raw HTML off) plus GitHub-style pipe tables. */
#ifndef QUIRE_HTML_MARKDOWN_H
#define QUIRE_HTML_MARKDOWN_H
#include <stddef.h>
#include "core/buf.h"

/* Appends cmark's HTML for in[0..len) to out. Raw HTML in the input is not passed through and unsafe
 * link schemes are dropped by cmark; callers still sanitize the result. Tables are blocks of lines
 * starting with '|' whose second line is a delimiter row (| --- | :-: |); cells are rendered inline. */
void markdown_to_html(const char *in, size_t len, struct buf *out);

/* The raw HTML that rendering Markdown in[0..len) leaves out (raw HTML is never passed through): returns how
 * many pieces there are, and puts up to max of them in out (each trimmed and cut to about 80 bytes, arena
 * memory), so a preview can say what was dropped instead of dropping it silently. */
struct arena;
size_t markdown_raw_html(struct arena *a, const char *in, size_t len, const char **out, size_t max);

/* For help pages (trusted docs, after the sanitizer): appends html to out with an id on every <h1>..<h6>
 * (GitHub's slug of its text: lower case, punctuation dropped, spaces as '-'; "-2", "-3" for repeats),
 * a visible "§" link to it at the heading's end, and each <table> wrapped in a focusable region ("Table N")
 * that scrolls sideways on narrow screens. Headings that already carry an id are left alone. */
void markdown_heading_anchors(const char *html, size_t len, struct buf *out);
#endif
