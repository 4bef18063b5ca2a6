/* Tag names compared as people read them: NFKC case folding, invisible characters dropped, look-alikes seen. */
#ifndef QUIRE_CORE_TAGNAME_H
#define QUIRE_CORE_TAGNAME_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

/* The comparison form of a tag name (valid UTF-8 in): utf8proc's NFKC_Casefold (which also drops default
 * ignorables such as U+200B ZERO WIDTH SPACE and U+00AD SOFT HYPHEN, and maps U+00A0 NO-BREAK SPACE to a
 * space), with every run of white space made one ASCII space and none at either end. "École" and "école",
 * "Olivia\u00a0Benson" and "Olivia  Benson " have one form. *out is arena memory. Q_EINVAL for invalid
 * UTF-8 (or a NUL byte), Q_ERR when utf8proc fails. */
int tagname_norm(struct arena *a, const char *name, size_t len, char **out);

/* Unicode TR39 "skeleton" of a normalized name (ICU uspoof): two names that look alike ("Olivia" in Latin
 * and "Оlivia" with a Cyrillic O) have the same skeleton. Arena memory; NULL when ICU fails. */
char *tagname_skeleton(struct arena *a, const char *norm);

/* True when the name mixes scripts in a way readers would not expect (ICU's moderately restrictive level:
 * Latin with Cyrillic or Greek fails, Latin with Han/Kana/Hangul passes), or holds characters ICU flags as
 * invisible trickery. Such names are flagged for the wranglers. */
bool tagname_mixed_script(const char *name);
#endif
