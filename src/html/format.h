/* Author text formats (rich-text HTML, Markdown, plain text) rendered to safe HTML, and HTML word counts. */
#ifndef QUIRE_HTML_FORMAT_H
#define QUIRE_HTML_FORMAT_H
#include <stddef.h>
#include "core/buf.h"

enum text_format { FORMAT_HTML, FORMAT_MARKDOWN, FORMAT_TEXT };

/* "html", "markdown", "text" -> 0 and *out; Q_EINVAL for anything else. */
int format_parse(const char *name, enum text_format *out);
const char *format_name(enum text_format f);
/* Safe HTML for author input, appended to out:
 *   html:     sanitize_html with SANITIZE_PARAGRAPHS
 *   markdown: cmark (raw HTML disabled, unsafe links dropped), then sanitize_html
 *   text:     escaped; blank lines separate <p> paragraphs, single newlines become <br />
 * Q_EINVAL for invalid UTF-8 (out unchanged). */
int format_render(enum text_format f, const char *in, size_t len, struct buf *out);
/* Words in the visible text of (sanitized) HTML: tags skipped, entities decoded, utf8_word_count rules. */
size_t format_html_word_count(const char *html, size_t len);
#endif
