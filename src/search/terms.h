/* What a reader searches for, parsed (search/query.c) and handed to the store: words, phrases, exclusions and
 * word beginnings, never a backend's query syntax. Each backend builds its own query from these (SQLite: FTS5
 * expressions, src/store/sqlite/fts.c; PostgreSQL: tsquery). A header of types only: the store includes it
 * without linking the parser. */
#ifndef QUIRE_SEARCH_TERMS_H
#define QUIRE_SEARCH_TERMS_H
#include <stdbool.h>
#include <stddef.h>

/* One word or phrase. text is valid UTF-8 without NUL and holds at least one letter or digit; it may hold
 * punctuation and any characters at all (they are text, never syntax). The backend splits it into tokens as
 * it splits documents (Unicode letters and digits; case, accents and English endings folded), and the term
 * matches where those tokens stand next to each other in this order: a quoted phrase, and equally a word
 * that splits into several ("well-known", "don't"). */
struct search_term {
	const char *text; /* as typed: a word, or what stood between a phrase's quotes */
	bool phrase;      /* it was typed in quotes (matching is the same; for display and logs) */
};

/* A text search. A work matches when every match term is in it (each in the work's own text, title, tags
 * and creators, or in one of its chapters, combined with its work's) and no exclude term is in any of its
 * documents. nmatch 0 and nexclude 0: no text search. At most SEARCH_TERMS_MAX terms in all. */
struct search_terms {
	const struct search_term *match;
	size_t nmatch;
	const struct search_term *exclude;
	size_t nexclude;
};

/* Tag autocomplete: the beginnings of words a tag's name must have, each matching the beginning of some
 * word of the name, in any order ("oliv ben" finds "Olivia Benson"). Each is letters, digits and combining
 * marks only; at most SEARCH_PREFIX_WORDS_MAX of them. */
struct search_prefixes {
	const char *const *words;
	size_t n;
};
#endif
