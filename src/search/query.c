/* Parses reader search input into words, phrases and exclusions, and autocomplete input into word beginnings. */
#include "search/query.h"
#include "core/err.h"
#include "core/utf8.h"
#include <stdbool.h>
#include <string.h>
#include <utf8proc.h>

static bool is_space(utf8proc_int32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v')
		return true;
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

/* ASCII and typographic double quotes: “ ” „ « ». */
static bool is_quote(utf8proc_int32_t cp)
{
	return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x00AB || cp == 0x00BB;
}

/* What FTS5's unicode61 tokenizer keeps as part of a token: letters, numbers, private use. */
static bool is_token_char(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_CO:
		return true;
	default:
		return false;
	}
}

/* The code point at s[*i] (valid UTF-8), advancing *i. */
static utf8proc_int32_t next_cp(const char *s, size_t len, size_t *i)
{
	utf8proc_int32_t cp = 0;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(len - *i), &cp);
	*i += k > 0 ? (size_t)k : 1;
	return k > 0 ? cp : 0xFFFD;
}

int search_query_parse(struct arena *a, const char *input, size_t len, struct search_terms *out)
{
	memset(out, 0, sizeof *out);
	if (!input)
		return 0;
	if (len > SEARCH_INPUT_MAX)
		return Q_ETOOBIG;
	if (!utf8_valid(input, len) || memchr(input, 0, len))
		return Q_EINVAL;
	struct search_term terms[SEARCH_TERMS_MAX];
	bool excluded[SEARCH_TERMS_MAX];
	size_t n = 0, nexclude = 0;
	size_t i = 0;
	while (i < len) {
		size_t at = i;
		utf8proc_int32_t cp = next_cp(input, len, &i);
		if (is_space(cp))
			continue;
		bool negate = false;
		if (cp == '-' && i < len) {
			size_t j = i;
			utf8proc_int32_t after = next_cp(input, len, &j);
			if (!is_space(after) && after != '-') {
				negate = true;
				at = i;
				cp = next_cp(input, len, &i);
			}
		}
		size_t start, end;
		bool phrase = is_quote(cp);
		if (phrase) {
			/* A phrase runs to the next quote of any kind, or to the end. */
			start = i;
			end = len;
			while (i < len) {
				size_t before = i;
				if (is_quote(next_cp(input, len, &i))) {
					end = before;
					break;
				}
			}
		} else {
			/* A word runs to white space or to a quote, which starts a phrase of its own. */
			start = at;
			end = len;
			while (i < len) {
				size_t before = i;
				utf8proc_int32_t c = next_cp(input, len, &i);
				if (is_space(c) || is_quote(c)) {
					end = before;
					i = before;
					break;
				}
			}
		}
		bool has_token = false;
		for (size_t k = start; k < end && !has_token;)
			has_token = is_token_char(next_cp(input, end, &k));
		if (!has_token)
			continue;
		if (n >= SEARCH_TERMS_MAX)
			return Q_ETOOBIG;
		terms[n] = (struct search_term){arena_strndup(a, input + start, end - start), phrase};
		excluded[n++] = negate;
		nexclude += negate;
	}
	/* Each kind in the order typed. */
	struct search_term *match = n - nexclude ? arena_calloc(a, n - nexclude, sizeof *match) : NULL;
	struct search_term *exclude = nexclude ? arena_calloc(a, nexclude, sizeof *exclude) : NULL;
	for (size_t k = 0; k < n; k++) {
		if (excluded[k])
			exclude[out->nexclude++] = terms[k];
		else
			match[out->nmatch++] = terms[k];
	}
	out->match = match;
	out->exclude = exclude;
	return 0;
}

bool search_prefix_parse(struct arena *a, const char *typed, struct search_prefixes *out)
{
	memset(out, 0, sizeof *out);
	if (!typed)
		return false;
	size_t len = strlen(typed);
	if (len > SEARCH_PREFIX_INPUT_MAX || !utf8_valid(typed, len))
		return false;
	const char **words = arena_calloc(a, SEARCH_PREFIX_WORDS_MAX, sizeof *words);
	size_t n = 0, start = 0;
	bool in_word = false;
	for (size_t i = 0; i <= len;) {
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t k = i < len ? utf8proc_iterate((const utf8proc_uint8_t *)typed + i,
		                                                (utf8proc_ssize_t)(len - i), &cp) : 0;
		utf8proc_category_t c = k > 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
		bool letter = k > 0 && ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
		                        (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) ||
		                        c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC);
		if (letter && !in_word) {
			if (n == SEARCH_PREFIX_WORDS_MAX)
				break;
			start = i;
			in_word = true;
		} else if (!letter && in_word) {
			words[n++] = arena_strndup(a, typed + start, i - start);
			in_word = false;
		}
		if (k <= 0)
			break;
		i += (size_t)k;
	}
	out->words = words;
	out->n = n;
	return n > 0;
}
