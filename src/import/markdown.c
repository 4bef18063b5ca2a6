/* Markdown into blocks: cmark renders it (raw HTML left out, and counted for the writer), then the HTML
 * reader makes blocks of it. A first "# Title" line names the work. */
#include "import/import_int.h"
#include "html/markdown.h"

void import_markdown_blocks(struct arena *a, const char *text, size_t len, struct import_blocks *out,
                            struct import_meta *meta, size_t *raw_html)
{
	const char *pieces[1];
	*raw_html = markdown_raw_html(a, text, len, pieces, 0);
	struct buf html = BUF_INIT;
	markdown_to_html(text, len, &html);
	import_html_blocks(a, buf_cstr(&html), html.len, out, meta);
	buf_free(&html);
}
