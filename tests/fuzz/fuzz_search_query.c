/* Fuzz target: the search query parser never crashes and only ever emits quoted FTS5 string literals. */
#include "core/arena.h"
#include "core/err.h"
#include "core/utf8.h"
#include "search/query.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct search_query q;
	int rc = search_query_parse(a, (const char *)data, size, &q);
	if (rc == 0) {
		require(!q.match || check_expr(q.match, " AND ") == q.nmatch, "match count disagrees");
		require(!q.exclude || check_expr(q.exclude, " OR ") == q.nexclude, "exclude count disagrees");
		require(q.nmatch + q.nexclude <= SEARCH_TERMS_MAX, "too many terms");
		require((q.match != NULL) == (q.nmatch > 0), "match presence disagrees");
	} else {
		require(rc == Q_EINVAL || rc == Q_ETOOBIG, "unexpected error code");
		require(!q.match && !q.exclude, "failed parse left output");
	}
	arena_free(a);
	return 0;
}
