/* SQLite backend: FTS5 query expressions built from parsed search terms (search/terms.h). Every term becomes
 * an FTS5 string literal, so FTS5's operators and syntax (AND OR NOT NEAR ( ) * : ^ + and quotes) in what a
 * reader typed are only ever text. All results are arena strings; NULL when there is no term. */
#ifndef QUIRE_STORE_SQLITE_FTS_H
#define QUIRE_STORE_SQLITE_FTS_H
#include "core/arena.h"
#include "search/terms.h"

/* Every term: "a" AND "b c". */
const char *sqls_fts_all(struct arena *a, const struct search_term *terms, size_t n);
/* Any of the terms: "a" OR "b c" (what snippets highlight; exclusions). */
const char *sqls_fts_any(struct arena *a, const struct search_term *terms, size_t n);
/* Tag autocomplete: each word as a prefix query, all of them: "oliv"* "ben"*. */
const char *sqls_fts_prefixes(struct arena *a, const struct search_prefixes *p);
#endif
