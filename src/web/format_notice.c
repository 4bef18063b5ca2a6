/* The preview's word on the text format: raw HTML that Markdown leaves out, listed for the writer. */
#include "web/format_notice.h"
#include "html/markdown.h"
#include <string.h>

#define NOTICE_PIECES_MAX 5

json_t *format_notice_json(struct web_req *w, const struct chapter *ch)
{
	if (!ch || !ch->content || !ch->content_format || strcmp(ch->content_format, "markdown") != 0)
		return NULL;
	const char *pieces[NOTICE_PIECES_MAX];
	size_t n = markdown_raw_html(w->arena, ch->content, strlen(ch->content), pieces, NOTICE_PIECES_MAX);
	if (n == 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n && i < NOTICE_PIECES_MAX; i++)
		json_array_append_new(list, json_string(pieces[i]));
	json_t *o = json_pack("{s:I, s:b, s:o}", "count", (json_int_t)n, "one", n == 1, "pieces", list);
	if (n > NOTICE_PIECES_MAX)
		json_object_set_new(o, "more", json_integer((json_int_t)(n - NOTICE_PIECES_MAX)));
	return o;
}
