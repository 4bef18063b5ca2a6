/* Tests for the search query parser: words, phrases, exclusions, and FTS5 syntax that must stay text. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "search/query.h"
#include <string.h>

static struct arena *A;

static struct search_query parse(const char *s)
{
	struct search_query q;
	int rc = search_query_parse(A, s, strlen(s), &q);
	CHECK(rc == 0);
	return q;
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
	struct search_query q = parse("Holmes \"the tide\" -rain");
	CHECK_STR(q.any, "\"Holmes\" OR \"the tide\"");
	CHECK(parse("-rain").any == NULL);
}

static void test_exclusions(void)
{
	struct search_query q = parse("park -hill -\"dark night\"");
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
}

static void test_limits(void)
{
	struct search_query q;
	char big[SEARCH_INPUT_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(search_query_parse(A, big, strlen(big), &q) == Q_ETOOBIG);
	CHECK(search_query_parse(A, big, SEARCH_INPUT_MAX, &q) == 0);
	char many[256] = "";
	for (int i = 0; i <= SEARCH_TERMS_MAX; i++)
		strcat(many, "w ");
	CHECK(search_query_parse(A, many, strlen(many), &q) == Q_ETOOBIG);
	CHECK(q.match == NULL && q.exclude == NULL);
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
	arena_free(A);
	return CHECK_DONE();
}
