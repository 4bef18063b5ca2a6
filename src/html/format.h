/* Author text formats (rich-text HTML, Markdown, plain text) rendered to safe HTML, and HTML word counts. */
#ifndef QUIRE_HTML_FORMAT_H
#define QUIRE_HTML_FORMAT_H
#include <stddef.h>
#include "core/buf.h"

enum text_format { FORMAT_HTML, FORMAT_MARKDOWN, FORMAT_TEXT };

/* "html", "markdown", "text" -> 0 and *out; Q_EINVAL for anything else. */
int format_parse(const char *name, enum text_format *out);
const char *format_name(enum text_format f);
/* What a field may hold beyond the allow-list every field shares (AO3: chapter text both, notes class only;
 * summaries, comments and bookmark notes neither). */
enum {
	FORMAT_ALLOW_CLASS = 1 << 0, /* class attributes */
	FORMAT_ALLOW_MEDIA = 1 << 1, /* embedded players and audio/video from the media hosts */
};

/* Safe HTML for author input, appended to out:
 *   html:     sanitize_html with SANITIZE_PARAGRAPHS (AO3's paragraph inference)
 *   markdown: cmark (raw HTML disabled, unsafe links dropped), then sanitize_html
 *   text:     sanitize_text: escaped, with the paragraphs AO3 would infer in it
 * allow: FORMAT_ALLOW_* for this field. Q_EINVAL for invalid UTF-8 (out unchanged). */
int format_render_allowing(enum text_format f, unsigned allow, const char *in, size_t len, struct buf *out);
/* format_render_allowing with nothing beyond the common allow-list (summaries, comments). */
int format_render(enum text_format f, const char *in, size_t len, struct buf *out);
/* Words in the visible text of (sanitized) HTML: tags skipped, entities decoded, utf8_word_count rules. */
size_t format_html_word_count(const char *html, size_t len);
#endif
