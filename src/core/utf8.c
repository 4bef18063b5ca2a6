/* Strict UTF-8 validation and Unicode-aware code point and word counting (utf8proc for categories). */
#include "core/utf8.h"
#include <stdint.h>
#include <utf8proc.h>

/*
 * Decodes one sequence at s[0..len) following Table 3-7 of the Unicode standard, which by
 * construction excludes overlongs, surrogates and anything above U+10FFFF.
 * Returns its length (1-4) and sets *cp, or returns 0 when s does not start a well-formed sequence.
 */
static size_t utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
	unsigned char c = s[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	int32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* below is overlong */
		else if (c == 0xED)
			hi = 0x9F; /* above is a surrogate */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90; /* below is overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above is past U+10FFFF */
	} else {
		return 0; /* continuation byte, C0/C1 (always overlong), F5..FF */
	}
	if (len < need)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	v = (v << 6) | (s[1] & 0x3F);
	for (size_t i = 2; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = v;
	return need;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		if (p[i] > 0 && p[i] < 0x80) { /* ASCII, most of what is checked: no decoding */
			i++;
			continue;
		}
		int32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		/* NUL would truncate the string for every C consumer downstream. */
		if (n == 0 || cp == 0)
			return false;
		i += n;
	}
	return true;
}

size_t utf8_length(const char *s, size_t len)
{
	size_t count = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

enum wclass {
	W_OTHER,   /* separator: spaces, punctuation, symbols, invalid bytes */
	W_WORD,    /* letter, mark or digit outside the CJK sets */
	W_DIGIT,   /* decimal digit: a W_WORD that may also join across '.' and ',' */
	W_MARK,    /* combining mark: extends whatever came before */
	W_CJK,     /* ideograph, kana or Hangul syllable: a word by itself */
	W_EXTEND,  /* kana length and voicing marks: part of the preceding kana */
	W_JOIN,    /* apostrophe or hyphen: joins two word characters */
	W_NUMJOIN, /* '.' or ',': joins two digits ("3.14", "1,000") */
};

static bool is_cjk(int32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF)      /* CJK Unified Ideographs Extension A */
	    || (cp >= 0x4E00 && cp <= 0x9FFF)      /* CJK Unified Ideographs */
	    || (cp >= 0xF900 && cp <= 0xFAFF)      /* CJK Compatibility Ideographs */
	    || (cp >= 0x20000 && cp <= 0x3FFFF)    /* planes 2 and 3: extensions B-I, compatibility supplement */
	    || cp == 0x3005 || cp == 0x3007        /* ideographic iteration mark, ideographic zero */
	    || (cp >= 0x3041 && cp <= 0x309F)      /* Hiragana */
	    || (cp >= 0x30A0 && cp <= 0x30FF)      /* Katakana */
	    || (cp >= 0x31F0 && cp <= 0x31FF)      /* Katakana Phonetic Extensions */
	    || (cp >= 0xFF66 && cp <= 0xFF9D)      /* halfwidth Katakana */
	    || (cp >= 0xAC00 && cp <= 0xD7A3);     /* Hangul syllables */
}

static enum wclass classify(int32_t cp)
{
	switch (cp) {
	case '\'': case 0x2019:
	case '-': case 0x2010: case 0x2011:
		return W_JOIN;
	case '.': case ',':
		return W_NUMJOIN;
	case 0x30FC: case 0xFF70: case 0xFF9E: case 0xFF9F:
		/* Prolonged sound and halfwidth voicing marks lengthen or voice the kana before them;
		 * counting them as words would inflate Japanese counts. */
		return W_EXTEND;
	}
	utf8proc_category_t cat = utf8proc_category(cp);
	switch (cat) {
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return W_MARK;
	case UTF8PROC_CATEGORY_ND:
		return W_DIGIT;
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return is_cjk(cp) ? W_CJK : W_WORD;
	case UTF8PROC_CATEGORY_CN:
		/* Ideographs newer than our utf8proc's tables are still ideographs. */
		return cp >= 0x20000 && cp <= 0x3FFFF ? W_CJK : W_OTHER;
	default:
		return W_OTHER;
	}
}

/* Class of the code point at s[i..len), W_OTHER for an invalid byte; *n gets its length. */
static enum wclass class_at(const char *s, size_t len, size_t i, size_t *n)
{
	int32_t cp;
	size_t k = utf8_decode((const unsigned char *)s + i, len - i, &cp);
	if (k == 0) {
		*n = 1; /* skip one byte and resynchronise */
		return W_OTHER;
	}
	*n = k;
	return classify(cp);
}

size_t utf8_word_count(const char *s, size_t len)
{
	enum { OUT, IN_WORD, IN_CJK } state = OUT;
	bool last_digit = false; /* the last word character was a decimal digit */
	size_t words = 0, i = 0;

	while (i < len) {
		size_t n, m;
		enum wclass c = class_at(s, len, i, &n);
		enum wclass next;

		switch (c) {
		case W_WORD:
		case W_DIGIT:
			if (state != IN_WORD)
				words++;
			state = IN_WORD;
			last_digit = c == W_DIGIT;
			break;
		case W_MARK:
			/* A mark belongs to the character before it, even an ideograph or kana. */
			if (state == OUT) {
				words++;
				state = IN_WORD;
				last_digit = false;
			}
			break;
		case W_EXTEND:
			if (state != IN_CJK)
				state = OUT;
			break;
		case W_CJK:
			words++;
			state = IN_CJK;
			break;
		case W_JOIN:
		case W_NUMJOIN:
			if (state != IN_WORD || i + n >= len) {
				state = OUT;
				break;
			}
			next = class_at(s, len, i + n, &m);
			if (c == W_JOIN && (next == W_WORD || next == W_DIGIT || next == W_MARK))
				break; /* "don't", "well-known": stay in the word */
			if (c == W_NUMJOIN && last_digit && next == W_DIGIT)
				break; /* "3.14", "1,000" */
			state = OUT;
			break;
		default:
			state = OUT;
			break;
		}
		i += n;
	}
	return words;
}

bool utf8_is_blank(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return false;
		switch (cp) {
		case '\t': case '\n': case '\v': case '\f': case '\r': case 0x85:
			break;
		default:
			switch (utf8proc_category(cp)) {
			case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
				break;
			default:
				return false;
			}
		}
		i += n;
	}
	return true;
}
