/* The text of sanitized HTML: tags dropped, entities decoded. The search index keeps it line by line
 * (quire_plain); feed summaries, EPUB descriptions and the writer's check take it flattened. */
#ifndef QUIRE_CORE_HTML_TEXT_H
#define QUIRE_CORE_HTML_TEXT_H
#include <stddef.h>
#include "core/arena.h"
#include "core/buf.h"

/* Appends the text of s[0..n) to out: tags dropped (a line break where a block ends), entities decoded,
 * control characters made spaces; an unfinished tag ends the text. */
void html_text(const char *s, size_t n, struct buf *out);
/* The same flattened: runs of white space made one space, trimmed (arena memory; NULL is ""). */
char *html_plain(struct arena *a, const char *html);
#endif
