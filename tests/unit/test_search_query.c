/* Tests for the search query parser: words, phrases, exclusions and autocomplete prefixes as terms, and the
 * FTS5 expressions the SQLite backend builds from them, where query syntax must stay text. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "search/query.h"
#include "store/sqlite/fts.h"
#include <string.h>

static struct arena *A;

/* The parsed terms, rendered as the SQLite backend renders them. */
struct rendered {
	const char *match, *any, *exclude;
	size_t nmatch, nexclude;
	struct search_terms t;
};

static struct rendered render(const struct search_terms *t)
{
	return (struct rendered){sqls_fts_all(A, t->match, t->nmatch), sqls_fts_any(A, t->match, t->nmatch),
	                         sqls_fts_any(A, t->exclude, t->nexclude), t->nmatch, t->nexclude, *t};
}

static struct rendered parse(const char *s)
{
	struct search_terms t;
	int rc = search_query_parse(A, s, strlen(s), &t);
	CHECK(rc == 0);
	return render(&t);
}

static const char *m(const char *s)
{
	const char *r = parse(s).match;
	return r ? r : "(none)";
}

static const char *x(const char *s)
{
	const char *r = parse(s).exclude;
	return r ? r : "(none)";
}

static const char *prefix(const char *typed)
{
	struct search_prefixes p;
	bool any = search_prefix_parse(A, typed, &p);
	const char *r = sqls_fts_prefixes(A, &p);
	CHECK(any == (r != NULL));
	return r ? r : "(none)";
}

static void test_words_and_phrases(void)
{
	CHECK_STR(m("Hillcrest"), "\"Hillcrest\"");
	CHECK_STR(m("  Olivia   Benson "), "\"Olivia\" AND \"Benson\"");
	CHECK_STR(m("\"Hillcrest Park\""), "\"Hillcrest Park\"");
	CHECK_STR(m("\"Hillcrest Park\" rain"), "\"Hillcrest Park\" AND \"rain\"");
	CHECK_STR(m("\xe2\x80\x9cHillcrest Park\xe2\x80\x9d"), "\"Hillcrest Park\""); /* “typographic” */
	CHECK_STR(m("\"unclosed phrase"), "\"unclosed phrase\"");
	CHECK_STR(m("well-known don't"), "\"well-known\" AND \"don't\"");
	CHECK_STR(m("café 東京"), "\"café\" AND \"東京\"");
	CHECK(parse("Olivia Benson").nmatch == 2);
	/* The same words as alternatives, for snippets; exclusions stay out of it. */
	struct rendered q = parse("Holmes \"the tide\" -rain");
	CHECK_STR(q.any, "\"Holmes\" OR \"the tide\"");
	CHECK(parse("-rain").any == NULL);
	/* The terms themselves: text as typed, quoted or not, in order. */
	CHECK(q.t.nmatch == 2 && q.t.nexclude == 1);
	CHECK_STR(q.t.match[0].text, "Holmes");
	CHECK(!q.t.match[0].phrase);
	CHECK_STR(q.t.match[1].text, "the tide");
	CHECK(q.t.match[1].phrase);
	CHECK_STR(q.t.exclude[0].text, "rain");
	CHECK(!q.t.exclude[0].phrase);
}

static void test_exclusions(void)
{
	struct rendered q = parse("park -hill -\"dark night\"");
	CHECK_STR(q.match, "\"park\"");
	CHECK_STR(q.exclude, "\"hill\" OR \"dark night\"");
	CHECK(q.nmatch == 1 && q.nexclude == 2);
	CHECK_STR(m("-only"), "(none)");
	CHECK_STR(x("-only"), "\"only\"");
	/* A lone dash or a double dash is punctuation, not an exclusion. */
	CHECK_STR(m("a - b"), "\"a\" AND \"b\"");
	CHECK_STR(x("a - b"), "(none)");
	CHECK_STR(m("--x"), "\"--x\"");
}

static void test_syntax_is_text(void)
{
	/* Quotes are doubled inside literals; operators are words; punctuation alone is dropped. */
	CHECK_STR(m("\""), "(none)");
	CHECK_STR(m("say\"hi there\""), "\"say\" AND \"hi there\"");
	CHECK_STR(m("NEAR(a b)"), "\"NEAR(a\" AND \"b)\"");
	CHECK_STR(m("a OR b NOT c"), "\"a\" AND \"OR\" AND \"b\" AND \"NOT\" AND \"c\"");
	CHECK_STR(m("*"), "(none)");
	CHECK_STR(m("pre* ^start col:umn +plus"), "\"pre*\" AND \"^start\" AND \"col:umn\" AND \"+plus\"");
	CHECK_STR(m("( ) : ^ * \" \""), "(none)");
	CHECK_STR(m(""), "(none)");
	CHECK_STR(m("\"\"\"\"a\"\"\""), "\"a\"");
	/* A quote can only reach a term through a word with a quote-like character FTS5 does not treat as one. */
	struct search_term quoted = {"say \"hi\"", true};
	CHECK_STR(sqls_fts_all(A, &quoted, 1), "\"say \"\"hi\"\"\"");
}

static void test_prefixes(void)
{
	CHECK_STR(prefix("oliv ben"), "\"oliv\"* \"ben\"*");
	CHECK_STR(prefix("  Olivia/Ben-son  "), "\"Olivia\"* \"Ben\"* \"son\"*");
	CHECK_STR(prefix("café 東京"), "\"café\"* \"東京\"*");
	CHECK_STR(prefix("a b c d e f g"), "\"a\"* \"b\"* \"c\"* \"d\"* \"e\"*"); /* five words at most */
	CHECK_STR(prefix("\"*) NEAR(x"), "\"NEAR\"* \"x\"*");
	CHECK_STR(prefix(" -*\" "), "(none)");
	CHECK_STR(prefix(""), "(none)");
	CHECK(strcmp(prefix(NULL), "(none)") == 0);
	char big[SEARCH_PREFIX_INPUT_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_STR(prefix(big), "(none)");
	CHECK_STR(prefix("\xff"), "(none)");
}

static void test_limits(void)
{
	struct search_terms q;
	char big[SEARCH_INPUT_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(search_query_parse(A, big, strlen(big), &q) == Q_ETOOBIG);
	CHECK(search_query_parse(A, big, SEARCH_INPUT_MAX, &q) == 0);
	char many[256] = "";
	for (int i = 0; i <= SEARCH_TERMS_MAX; i++)
		strcat(many, "w ");
	CHECK(search_query_parse(A, many, strlen(many), &q) == Q_ETOOBIG);
	CHECK(q.nmatch == 0 && q.nexclude == 0);
	CHECK(search_query_parse(A, "\xff", 1, &q) == Q_EINVAL);
	CHECK(search_query_parse(A, "a\0b", 3, &q) == Q_EINVAL);
}

int main(void)
{
	A = arena_new();
	test_words_and_phrases();
	test_exclusions();
	test_syntax_is_text();
	test_limits();
	test_prefixes();
	arena_free(A);
	return CHECK_DONE();
}
