/* Spelling dictionaries (Hunspell): found by language code in a directory, loaded on first use, shared by
 * every thread (each behind its own lock: a Hunspell handle is not thread-safe). A language has variants
 * (en_GB, en_US): a check of "en" accepts a word any of them knows. */
#ifndef QUIRE_WRITING_SPELLER_H
#define QUIRE_WRITING_SPELLER_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

#define SPELLER_VARIANTS_MAX 8

struct speller;

/* Dictionaries in dir (NAME.aff + NAME.dic, as Debian's hunspell-* packages install them). */
struct speller *speller_new(const char *dir);
void speller_free(struct speller *sp);

struct dictionary;
/* The dictionaries for a language: "en" gives every NAME.aff whose name is "en" or starts with "en_"
 * (en_GB, en_US, in name order); "en_GB" gives that one alone. Returns how many (at most max). The handles
 * live as long as sp. */
size_t speller_dictionaries(struct speller *sp, const char *lang, struct dictionary **out, size_t max);
/* The first of them (compatibility with one-dictionary callers); NULL when there is none. */
struct dictionary *speller_dictionary(struct speller *sp, const char *lang);
/* "en_US". */
const char *dictionary_name(const struct dictionary *d);
/* Sets bad[i] for each of words[0..n) (UTF-8) the dictionary does not know. One lock for the whole list. */
void dictionary_check(struct dictionary *d, const char *const *words, size_t n, bool *bad);
/* True when the dictionary knows word. */
bool dictionary_knows(struct dictionary *d, const char *word);
/* Up to max suggestions for word (arena copies); returns how many. Slow (milliseconds): use sparingly. */
size_t dictionary_suggest(struct dictionary *d, struct arena *a, const char *word, const char **out, size_t max);
#endif
