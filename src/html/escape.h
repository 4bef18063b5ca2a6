/* Escapers per output context: HTML text and quoted attributes, URL components, JSON strings. */
#ifndef QUIRE_HTML_ESCAPE_H
#define QUIRE_HTML_ESCAPE_H
#include <stddef.h>
#include "core/arena.h"
#include "core/buf.h"

/* Text and double- or single-quoted attribute values: escapes & < > " ' and drops what neither HTML nor
 * XML may hold (C0 controls but tab, line feed and carriage return; DEL; the non-characters U+FFFE,
 * U+FFFF, U+FDD0-U+FDEF), so feeds and EPUBs stay well-formed whatever text they show. */
void esc_html(struct buf *out, const char *s, size_t n);
/* The length of the non-character (U+FFFE, U+FFFF, U+FDD0-U+FDEF) whose UTF-8 starts at s, else 0. */
size_t esc_noncharacter(const char *s, size_t n);
/* A URL path segment or query value: percent-encodes everything but A-Z a-z 0-9 - . _ ~ */
void esc_url(struct buf *out, const char *s, size_t n);
/* A JSON string literal with quotes, safe inside HTML too (<, >, &, U+2028, U+2029 as \uXXXX). */
void esc_json(struct buf *out, const char *s, size_t n);
/* Arena conveniences for NUL-terminated input. */
char *esc_html_a(struct arena *a, const char *s);
char *esc_url_a(struct arena *a, const char *s);
#endif
