/* Legacy character sets: Windows-1252 (what text that is not UTF-8 nearly always is, Latin-1 included) and
 * the repair of control characters that arrive with it. */
#ifndef QUIRE_CORE_CHARSET_H
#define QUIRE_CORE_CHARSET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"

/* The code point Windows-1252 gives byte b; 0 for the five bytes it leaves undefined (0x81, 0x8D, 0x8F,
 * 0x90, 0x9D). Bytes below 0x80 are ASCII and 0xA0-0xFF are Latin-1. */
uint32_t charset_cp1252(unsigned char b);
/* Appends the UTF-8 encoding of cp (a Unicode scalar value). */
void charset_put_utf8(struct buf *b, uint32_t cp);
/* Control characters no text should hold: C0 controls other than tab, line feed and carriage return, DEL,
 * and the non-characters U+FFFE, U+FFFF and U+FDD0-U+FDEF (XML allows none of these). C1 controls
 * (U+0080-U+009F) are not in this set: see charset_repair_controls. */
bool charset_forbidden(uint32_t cp);
/* Repairs s[0..len) (valid UTF-8) into out: forbidden characters removed, and C1 controls, which in text
 * are Windows-1252 punctuation read as Latin-1 (U+0093 for a curly quote), turned into what Windows-1252
 * means by them (removed when it means nothing). Returns the number of characters changed (0: out holds a
 * copy of s). */
size_t charset_repair_controls(const char *s, size_t len, struct buf *out);
/* Removes the characters charset_forbidden names from s[0..*len) (valid UTF-8) in place; returns how many
 * went. For whole documents (an EPUB's files) whose parts were stored before their text was repaired. */
size_t charset_strip_forbidden(char *s, size_t *len);
/* Whether s[0..len) holds anything charset_repair_controls would change (a quick scan, no copy). */
bool charset_needs_repair(const char *s, size_t len);
#endif
