/* What a preview says about the text format: the raw HTML Markdown leaves out, named instead of dropped in
 * silence (templates/works/_format_notice.html). */
#ifndef QUIRE_WEB_FORMAT_NOTICE_H
#define QUIRE_WEB_FORMAT_NOTICE_H
#include <jansson.h>
#include "web/web.h"

/* {count, one, pieces: [...], more} for a Markdown chapter with raw HTML in it; NULL when there is nothing
 * to say (another format, or no raw HTML). */
json_t *format_notice_json(struct web_req *w, const struct chapter *ch);
#endif
