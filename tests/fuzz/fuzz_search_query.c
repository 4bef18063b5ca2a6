/* Fuzz target: the search query parser never crashes, its terms are valid text, and the SQLite backend's FTS5
 * expressions of them are only ever quoted string literals. */
#include "core/arena.h"
#include "core/err.h"
#include "core/utf8.h"
#include "search/query.h"
#include "store/sqlite/fts.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_search_query: %s\n", what);
		abort();
	}
}

/* expr must be: LITERAL (SEP LITERAL)*, LITERAL = '"' (any byte but '"' | '""')* '"'; returns the count. */
static size_t check_expr(const char *expr, const char *sep)
{
	size_t n = 0, i = 0, len = strlen(expr), seplen = strlen(sep);
	require(utf8_valid(expr, len), "expression is not valid UTF-8");
	while (i < len) {
		if (n > 0) {
			require(strncmp(expr + i, sep, seplen) == 0, "literals not joined by the separator");
			i += seplen;
		}
		require(expr[i] == '"', "literal does not open with a quote");
		i++;
		for (;;) {
			require(i < len, "literal never closes");
			if (expr[i] == '"') {
				if (expr[i + 1] == '"') {
					i += 2;
					continue;
				}
				i++;
				break;
			}
			i++;
		}
		n++;
	}
	return n;
}

static void check_terms(const struct search_term *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		require(t[i].text && *t[i].text, "empty term");
		require(utf8_valid(t[i].text, strlen(t[i].text)), "term is not valid UTF-8");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct search_terms q;
	int rc = search_query_parse(a, (const char *)data, size, &q);
	if (rc == 0) {
		check_terms(q.match, q.nmatch);
		check_terms(q.exclude, q.nexclude);
		const char *match = sqls_fts_all(a, q.match, q.nmatch), *any = sqls_fts_any(a, q.match, q.nmatch);
		const char *exclude = sqls_fts_any(a, q.exclude, q.nexclude);
		require(!match || check_expr(match, " AND ") == q.nmatch, "match count disagrees");
		require(!any || check_expr(any, " OR ") == q.nmatch, "alternatives count disagrees");
		require(!exclude || check_expr(exclude, " OR ") == q.nexclude, "exclude count disagrees");
		require(q.nmatch + q.nexclude <= SEARCH_TERMS_MAX, "too many terms");
		require((match != NULL) == (q.nmatch > 0), "match presence disagrees");
	} else {
		require(rc == Q_EINVAL || rc == Q_ETOOBIG, "unexpected error code");
		require(!q.nmatch && !q.nexclude, "failed parse left output");
	}
	/* Autocomplete input: word beginnings, each a prefix literal. */
	char *typed = arena_strndup(a, (const char *)data, size);
	struct search_prefixes p;
	if (search_prefix_parse(a, typed, &p)) {
		require(p.n >= 1 && p.n <= SEARCH_PREFIX_WORDS_MAX, "prefix count out of range");
		const char *e = sqls_fts_prefixes(a, &p);
		size_t len = e ? strlen(e) : 0;
		require(len > 1 && e[len - 1] == '*', "prefix expression does not end in a prefix");
		require(check_expr(arena_strndup(a, e, len - 1), "* ") == p.n, "prefix expression malformed");
	}
	arena_free(a);
	return 0;
}
