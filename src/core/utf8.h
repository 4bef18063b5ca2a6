/* UTF-8 checks and Unicode-aware counting (utf8proc): validation, code points, word counts. */
#ifndef QUIRE_CORE_UTF8_H
#define QUIRE_CORE_UTF8_H
#include <stdbool.h>
#include <stddef.h>

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no NUL bytes. */
bool utf8_valid(const char *s, size_t len);
/* Number of code points (s must be valid UTF-8). AO3's character limits count these. */
size_t utf8_length(const char *s, size_t len);
/* Words in plain text: runs of letters, marks, digits (with inner ' and -) count as one word each;
 * every Han ideograph, kana, and Hangul syllable counts as a word of its own (as AO3 counts CJK). */
size_t utf8_word_count(const char *s, size_t len);
/* True when every code point is whitespace (or the string is empty). */
bool utf8_is_blank(const char *s, size_t len);
#endif
