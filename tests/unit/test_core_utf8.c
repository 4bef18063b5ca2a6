/* Tests for strict UTF-8 validation, code point length, word counting and blank detection. */
#include "check.h"
#include "core/utf8.h"
#include <stdbool.h>
#include <string.h>

struct vcase {
	const char *s;
	size_t len; /* 0: use strlen */
	bool ok;
	const char *why;
};

static const struct vcase valid_cases[] = {
	{"", 0, true, "empty"},
	{"plain ascii", 0, true, "ascii"},
	{"\x7f", 0, true, "DEL is a valid code point"},
	{"n\xc3\xa9" "e", 0, true, "two-byte"},
	{"\xc2\x80", 0, true, "smallest two-byte U+0080"},
	{"\xdf\xbf", 0, true, "largest two-byte U+07FF"},
	{"\xe0\xa0\x80", 0, true, "smallest three-byte U+0800"},
	{"\xed\x9f\xbf", 0, true, "U+D7FF just below surrogates"},
	{"\xee\x80\x80", 0, true, "U+E000 just above surrogates"},
	{"\xef\xbf\xbd", 0, true, "U+FFFD"},
	{"\xef\xbf\xbf", 0, true, "U+FFFF noncharacter is still well-formed"},
	{"\xf0\x90\x80\x80", 0, true, "smallest four-byte U+10000"},
	{"\xf0\x9f\x98\x80", 0, true, "emoji"},
	{"\xf4\x8f\xbf\xbf", 0, true, "U+10FFFF"},
	{"\xe6\x97\xa5\xe6\x9c\xac", 0, true, "CJK"},
	{"\xc0\x80", 0, false, "overlong NUL"},
	{"\xc1\xbf", 0, false, "overlong two-byte"},
	{"\xe0\x80\x80", 0, false, "overlong three-byte"},
	{"\xe0\x9f\xbf", 0, false, "overlong three-byte U+07FF"},
	{"\xf0\x80\x80\x80", 0, false, "overlong four-byte"},
	{"\xf0\x8f\xbf\xbf", 0, false, "overlong four-byte U+FFFF"},
	{"\xed\xa0\x80", 0, false, "high surrogate U+D800"},
	{"\xed\xbf\xbf", 0, false, "low surrogate U+DFFF"},
	{"\xed\xa0\xbd\xed\xb8\x80", 0, false, "CESU-8 surrogate pair"},
	{"\xf4\x90\x80\x80", 0, false, "U+110000"},
	{"\xf5\x80\x80\x80", 0, false, "F5 lead byte"},
	{"\xf8\x88\x80\x80\x80", 0, false, "five-byte form"},
	{"\xff", 0, false, "FF byte"},
	{"\xfe", 0, false, "FE byte"},
	{"\x80", 0, false, "stray continuation"},
	{"a\xbf" "b", 0, false, "stray continuation inside"},
	{"\xc3", 0, false, "truncated two-byte"},
	{"\xe6\x97", 0, false, "truncated three-byte"},
	{"\xf0\x9f\x98", 0, false, "truncated four-byte"},
	{"\xc3" "a", 0, false, "lead byte followed by ascii"},
	{"\xe6\x97" "a", 0, false, "three-byte cut by ascii"},
	{"\xc3\xa9\xc3", 0, false, "truncated at the end"},
	{"a\0b", 3, false, "NUL byte"},
	{"\0", 1, false, "lone NUL"},
};

static void test_valid(void)
{
	for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++) {
		const struct vcase *c = &valid_cases[i];
		size_t len = c->len ? c->len : strlen(c->s);
		bool got = utf8_valid(c->s, len);
		CHECK(got == c->ok);
		if (got != c->ok)
			fprintf(stderr, "  case %zu (%s)\n", i, c->why);
	}
	/* A length shorter than the string must not read past it. */
	CHECK(!utf8_valid("\xc3\xa9", 1));
	CHECK(utf8_valid("\xc3\xa9", 2));
}

static void test_length(void)
{
	CHECK(utf8_length("", 0) == 0);
	CHECK(utf8_length("abc", 3) == 3);
	CHECK(utf8_length("n\xc3\xa9" "e", 4) == 3);
	CHECK(utf8_length("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9) == 3);
	CHECK(utf8_length("\xf0\x9f\x98\x80!", 5) == 2);
	/* e + combining acute is two code points: AO3 limits count code points, not graphemes. */
	CHECK(utf8_length("e\xcc\x81", 3) == 2);
}

static size_t wc(const char *s)
{
	return utf8_word_count(s, strlen(s));
}

static void test_words(void)
{
	CHECK(wc("") == 0);
	CHECK(wc("  \n\t ") == 0);
	CHECK(wc("Hello, world!") == 2);
	CHECK(wc("don't stop") == 2);
	CHECK(wc("don\xe2\x80\x99t stop") == 2);       /* U+2019 apostrophe */
	CHECK(wc("well-known fact") == 2);
	CHECK(wc("well\xe2\x80\x90known fact") == 2);  /* U+2010 hyphen */
	CHECK(wc("well\xe2\x80\x91known fact") == 2);  /* U+2011 non-breaking hyphen */
	CHECK(wc("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88") == 8); /* 日本語のテキスト */
	CHECK(wc("I love \xe6\x9d\xb1\xe4\xba\xac") == 4);  /* I love 東京 */
	CHECK(wc("\xc3\x87" "a va? Tr\xc3\xa8s bien.") == 4); /* Ça va? Très bien. */
	/* Digits joined by '.' or ',' form one number: "3.14" is a single word. */
	CHECK(wc("3.14 is pi") == 3);
	CHECK(wc("1,000,000 words") == 2);
	CHECK(wc("end.Start") == 2);     /* '.' joins digits only */
	CHECK(wc("a,b") == 2);
	CHECK(wc("3.") == 1);
	CHECK(wc("v2.0") == 1);
	/* Joiners only count between word characters. */
	CHECK(wc("'quoted'") == 1);
	CHECK(wc("rock 'n' roll") == 3);
	CHECK(wc("well--known") == 2);
	CHECK(wc("- - -") == 0);
	CHECK(wc("trailing-") == 1);
	CHECK(wc("a - b") == 2);
	/* Hangul syllables count one each; a decomposed kana keeps its mark. */
	CHECK(wc("\xec\x95\x88\xeb\x85\x95 \xec\x84\xb8\xea\xb3\x84") == 4); /* 안녕 세계 */
	CHECK(wc("\xe3\x81\x8b\xe3\x82\x99") == 1); /* か + combining voiced mark */
	CHECK(wc("\xe3\x83\xa9\xe3\x83\xbc\xe3\x83\xa1\xe3\x83\xb3") == 3); /* ラーメン: ー lengthens ラ */
	CHECK(wc("\xef\xbd\xb6\xef\xbe\x9e") == 1); /* halfwidth ｶﾞ */
	CHECK(wc("\xf0\xa0\x80\x80") == 1);         /* U+20000, Extension B */
	CHECK(wc("\xef\xa4\x80") == 1);             /* U+F900 compatibility ideograph */
	CHECK(wc("\xe6\x9d\xb1\xe4\xba\xac" "tower") == 3);
	/* Accents, combining marks and other scripts stay inside their word. */
	CHECK(wc("cafe\xcc\x81 ol\xc3\xa9") == 2);
	CHECK(wc("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80") == 2); /* Привет мир */
	CHECK(wc("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd9\x83") == 2); /* Arabic */
	/* Symbols, emoji and punctuation are not words. */
	CHECK(wc("\xf0\x9f\x98\x80 !!! ... --- ***") == 0);
	CHECK(wc("a\xc2\xa0" "b") == 2);     /* no-break space separates */
	CHECK(wc("snake_case") == 2);        /* '_' is a separator here */
	/* Invalid bytes separate words and never stop the count. */
	CHECK(wc("one\xfftwo\xc3") == 2);
	CHECK(wc("\xed\xa0\x80word") == 1);
	CHECK(utf8_word_count("a b c", 3) == 2); /* respects len */
}

static void test_blank(void)
{
	CHECK(utf8_is_blank("", 0));
	CHECK(utf8_is_blank("  \n\t\r\v\f", 7));
	CHECK(utf8_is_blank("\xc2\xa0\xe3\x80\x80\xe2\x80\xa8", 8)); /* NBSP, ideographic space, line separator */
	CHECK(utf8_is_blank("\xc2\x85", 2));                        /* NEL */
	CHECK(!utf8_is_blank(" x ", 3));
	CHECK(!utf8_is_blank(".", 1));
	CHECK(!utf8_is_blank("\xe6\x97\xa5", 3));
	CHECK(!utf8_is_blank(" \xff ", 3));      /* invalid is not blank */
	CHECK(!utf8_is_blank("\xc2", 1));
	CHECK(utf8_is_blank("  x", 2));          /* respects len */
}

int main(void)
{
	test_valid();
	test_length();
	test_words();
	test_blank();
	return CHECK_DONE();
}
