/* Reader search input ("words", "a phrase", -excluded) turned into FTS5 expressions nothing can inject into. */
#ifndef QUIRE_SEARCH_QUERY_H
#define QUIRE_SEARCH_QUERY_H
#include <stddef.h>
#include "core/arena.h"

#define SEARCH_INPUT_MAX 500 /* bytes of input */
#define SEARCH_TERMS_MAX 20  /* words and phrases together */

struct search_query {
	/* Every word and phrase a matching document holds, as FTS5: "a" AND "b c". NULL when there are none
	 * (only exclusions, or only punctuation). */
	const char *match;
	/* The same words and phrases as alternatives, "a" OR "b c": what a snippet highlights. */
	const char *any;
	/* The excluded words and phrases, as FTS5: "x" OR "y z". NULL when none. */
	const char *exclude;
	size_t nmatch, nexclude;
};

/* Parses input: words separated by white space; "double quotes" (or typographic quotes) make a phrase
 * (an unclosed quote runs to the end, and a quote also ends a word before it); a leading '-' excludes the word or phrase that follows. Every word
 * and phrase becomes an FTS5 string literal, so FTS5's operators and syntax (AND OR NOT NEAR ( ) * : ^ +
 * and quotes) are only ever text; terms with no letter or digit are dropped. Arena memory.
 * Q_EINVAL for invalid UTF-8 or NUL bytes; Q_ETOOBIG past SEARCH_INPUT_MAX bytes or SEARCH_TERMS_MAX terms. */
int search_query_parse(struct arena *a, const char *input, size_t len, struct search_query *out);
#endif
