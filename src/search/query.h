/* Reader search input ("words", "a phrase", -excluded) and autocomplete input parsed into search terms
 * (search/terms.h), which the store turns into its own query language. */
#ifndef QUIRE_SEARCH_QUERY_H
#define QUIRE_SEARCH_QUERY_H
#include <stddef.h>
#include "core/arena.h"
#include "search/terms.h"

#define SEARCH_INPUT_MAX 500 /* bytes of input */
#define SEARCH_TERMS_MAX 20  /* words and phrases together */
#define SEARCH_PREFIX_INPUT_MAX 100 /* bytes of autocomplete input looked at */
#define SEARCH_PREFIX_WORDS_MAX 5   /* word beginnings of autocomplete input used */

/* Parses input: words separated by white space; "double quotes" (or typographic quotes) make a phrase (an
 * unclosed quote runs to the end, and a quote also ends a word before it); a leading '-' excludes the word or
 * phrase that follows (a lone or doubled dash is punctuation). Terms with no letter or digit are dropped;
 * everything else is kept as text, whatever a query language would make of it. Arena memory. Q_EINVAL for
 * invalid UTF-8 or NUL bytes; Q_ETOOBIG past SEARCH_INPUT_MAX bytes or SEARCH_TERMS_MAX terms (out empty). */
int search_query_parse(struct arena *a, const char *input, size_t len, struct search_terms *out);

/* The word beginnings of autocomplete input ("oliv ben" -> oliv, ben): runs of letters, digits and combining
 * marks, at most SEARCH_PREFIX_WORDS_MAX. False (out empty) when typed is NULL, longer than
 * SEARCH_PREFIX_INPUT_MAX bytes, not UTF-8, or holds no word. Arena memory. */
bool search_prefix_parse(struct arena *a, const char *typed, struct search_prefixes *out);
#endif
