/* Tests for tag name normalization (case, accents' forms, invisible characters, spaces) and look-alikes. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/tagname.h"
#include <string.h>

static struct arena *A;

static const char *norm(const char *s)
{
	char *out = NULL;
	int rc = tagname_norm(A, s, strlen(s), &out);
	return rc == 0 ? out : "(error)";
}

static void test_same_tag(void)
{
	/* Case and composed/decomposed accents. */
	CHECK_STR(norm("École"), norm("école"));
	CHECK_STR(norm("E\xcc\x81" "cole"), norm("\xc3\x89" "cole"));
	CHECK_STR(norm("École"), "\xc3\xa9" "cole");
	/* A no-break space, a narrow no-break space, tabs and runs of spaces are one space. */
	CHECK_STR(norm("Olivia\xc2\xa0" "Benson"), "olivia benson");
	CHECK_STR(norm("Olivia\xe2\x80\xaf" "Benson"), "olivia benson");
	CHECK_STR(norm("  Olivia \t  Benson  "), "olivia benson");
	/* Zero-width space, zero-width joiner, soft hyphen and BOM vanish. */
	CHECK_STR(norm("Oli\xe2\x80\x8bvia Benson"), "olivia benson");
	CHECK_STR(norm("Oli\xc2\xad" "via\xef\xbb\xbf Benson"), "olivia benson");
	/* Compatibility forms: full-width letters and ligatures. */
	CHECK_STR(norm("\xef\xbc\xa1lice"), "alice");
	CHECK_STR(norm("\xef\xac\x81" "re"), "fire");
	/* Case folding beyond ASCII. */
	CHECK_STR(norm("STRASSE"), norm("stra\xc3\x9f" "e"));
	CHECK_STR(norm("ΟΔΥΣΣΕΥΣ"), norm("οδυσσευς"));
	/* Punctuation stays: these are different tags. */
	CHECK(strcmp(norm("Holmes/Watson"), norm("Holmes & Watson")) != 0);
	CHECK(strcmp(norm("Alice"), norm("Alicé")) != 0);
	/* Only invisible characters: nothing left. */
	CHECK_STR(norm("\xe2\x80\x8b \xc2\xa0"), "");
}

static void test_bad_input(void)
{
	char *out = (char *)"x";
	CHECK(tagname_norm(A, "\xff", 1, &out) == Q_EINVAL);
	CHECK(out == NULL);
	CHECK(tagname_norm(A, "a\0b", 3, &out) == Q_EINVAL);
	CHECK(tagname_norm(A, "\xed\xa0\x80", 3, &out) == Q_EINVAL); /* a surrogate */
}

static void test_lookalikes(void)
{
	/* Latin "a" and Cyrillic "а" (U+0430) have one skeleton but are different tags. */
	const char *latin = norm("Natasha Romanoff");
	const char *cyr = norm("N\xd0\xb0tasha Romanoff");
	CHECK(strcmp(latin, cyr) != 0);
	const char *s1 = tagname_skeleton(A, latin), *s2 = tagname_skeleton(A, cyr);
	CHECK(s1 && s2);
	CHECK_STR(s1, s2);
	CHECK(strcmp(tagname_skeleton(A, norm("Alice")), tagname_skeleton(A, norm("Alex"))) != 0);
	/* The mixed one is flagged; single-script names and Latin with Han are not. */
	CHECK(tagname_mixed_script(cyr));
	CHECK(!tagname_mixed_script(latin));
	CHECK(!tagname_mixed_script("Наташа Романова"));
	CHECK(!tagname_mixed_script("竹取物語 | The Tale of the Bamboo Cutter"));
	CHECK(!tagname_mixed_script("Sherlock Holmes/John Watson"));
	CHECK(tagname_mixed_script("Sherl\xce\xbf" "ck")); /* Greek omicron inside a Latin word */
}

int main(void)
{
	A = arena_new();
	test_same_tag();
	test_bad_input();
	test_lookalikes();
	arena_free(A);
	return CHECK_DONE();
}
