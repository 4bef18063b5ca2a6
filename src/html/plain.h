/* The text of sanitized HTML, for places that take no markup (feed summaries, EPUB descriptions). */
#ifndef QUIRE_HTML_PLAIN_H
#define QUIRE_HTML_PLAIN_H
#include "core/arena.h"

/* Tags dropped (one space where a block or line ends), the sanitizer's escapes (&amp; &lt; &gt; &quot;
 * &#39;) decoded, runs of white space made one space, trimmed. Meant for the sanitizer's output only. */
char *html_plain(struct arena *a, const char *html);
#endif
