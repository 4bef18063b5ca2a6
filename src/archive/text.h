/* One-line text from people (titles, tags, names): trimming, folding white space, removing bidirectional
 * controls, telling "nothing visible" apart, and splitting comma-separated lists with a cap. */
#ifndef QUIRE_ARCHIVE_TEXT_H
#define QUIRE_ARCHIVE_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "store/store.h"

/* s (valid UTF-8) trimmed, runs of white space folded into one space, and the bidirectional controls
 * U+202A-U+202E, U+2066-U+2069, U+200E, U+200F and U+061C removed, so a title cannot reorder the text
 * around it ("by alice"); control characters repaired as archive_repair_text does. Arena memory; "" for
 * NULL. */
char *archive_clean_line(struct arena *a, const char *s);
/* Text of any length (chapters, summaries, notes, comments) with its control characters repaired: C0
 * controls other than tab, line feed and carriage return removed (U+0001 would make every XML file that
 * shows it invalid), C1 controls read as the Windows-1252 punctuation they stand for (U+0093 is a curly
 * quote), non-characters removed (core/charset.h). s must be valid UTF-8; returns s itself when there is
 * nothing to repair, else a repaired copy in the arena; "" for NULL. */
const char *archive_repair_text(struct arena *a, const char *s);
/* True when s[0..len) (valid UTF-8) shows nothing: only white space, control and format characters
 * (zero-width space and joiners, bidi controls, soft hyphen), default-ignorable code points (Hangul
 * fillers, variation selectors) and blank symbols. An empty string is invisible. */
bool archive_text_invisible(const char *s, size_t len);
/* What sanitized html shows a reader: *chars is the number of characters of its visible text (white space
 * and invisible characters at its ends not counted); returns true when it also shows media (an image, a
 * video, audio), which counts as visible whatever its text. */
bool archive_html_shows(struct arena *a, const char *html, size_t *chars);
/* The first character of tag name s that AO3 forbids in tags (the comma separates tags in forms), or 0.
 * Work tags and bookmark tags are checked with it. */
int archive_tag_forbidden_char(const char *s);
/* Those characters as messages list them (a printf format: the % is doubled). */
#define ARCHIVE_TAG_FORBIDDEN_SHOWN ", ^ * < > { } = \\ %%"
/* s without leading and trailing ASCII white space (arena; "" for NULL). */
char *archive_trim(struct arena *a, const char *s);

/* Splits comma-separated s ("a, b,,c") into trimmed, non-empty items (arena memory), and stops after
 * max items: the rest of s is not even scanned, so the cost is bounded by max whatever s holds. Callers
 * pass a list's cap + 1, and the rules refuse n > cap as "too many". */
void archive_split_list(struct arena *a, const char *s, size_t max, struct strlist *out);
#endif
