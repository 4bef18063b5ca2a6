/* Spelling dictionaries (Hunspell): found by language code in a directory, loaded on first use, shared by
 * every thread (each behind its own lock: a Hunspell handle is not thread-safe). */
#ifndef QUIRE_WRITING_SPELLER_H
#define QUIRE_WRITING_SPELLER_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

struct speller;

/* Dictionaries in dir (NAME.aff + NAME.dic, as Debian's hunspell-* packages install them). */
struct speller *speller_new(const char *dir);
void speller_free(struct speller *sp);

/* The dictionary for a language code ("en", "de", "pt"): NAME.aff where NAME is the code itself or starts
 * with "code_" (en_US before en_GB: the first in name order). NULL when there is none. The handle lives as
 * long as sp. */
struct dictionary;
struct dictionary *speller_dictionary(struct speller *sp, const char *lang);
/* "en_US". */
const char *dictionary_name(const struct dictionary *d);
/* Sets bad[i] for each of words[0..n) (UTF-8) the dictionary does not know. One lock for the whole list. */
void dictionary_check(struct dictionary *d, const char *const *words, size_t n, bool *bad);
/* Up to max suggestions for word (arena copies); returns how many. */
size_t dictionary_suggest(struct dictionary *d, struct arena *a, const char *word, const char **out, size_t max);
#endif
