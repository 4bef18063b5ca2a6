/* Parses reader search input into FTS5 expressions made only of quoted string literals. */
#include "search/query.h"
#include "core/buf.h"
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

/* Appends s[0..n) as an FTS5 string literal: in quotes, quotes inside doubled; nothing else is special. */
static void put_literal(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

int search_query_parse(struct arena *a, const char *input, size_t len, struct search_query *out)
{
	memset(out, 0, sizeof *out);
	if (!input)
		return 0;
	if (len > SEARCH_INPUT_MAX)
		return Q_ETOOBIG;
	if (!utf8_valid(input, len) || memchr(input, 0, len))
		return Q_EINVAL;
	struct buf match = BUF_INIT, any = BUF_INIT, exclude = BUF_INIT;
	int rc = 0;
	size_t i = 0;
	while (i < len && rc == 0) {
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
		if (is_quote(cp)) {
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
		if (out->nmatch + out->nexclude >= SEARCH_TERMS_MAX) {
			rc = Q_ETOOBIG;
			break;
		}
		struct buf *b = negate ? &exclude : &match;
		if (b->len)
			buf_puts(b, negate ? " OR " : " AND ");
		put_literal(b, input + start, end - start);
		if (!negate) {
			if (any.len)
				buf_puts(&any, " OR ");
			put_literal(&any, input + start, end - start);
		}
		if (negate)
			out->nexclude++;
		else
			out->nmatch++;
	}
	if (rc == 0) {
		out->match = match.len ? arena_strndup(a, buf_cstr(&match), match.len) : NULL;
		out->any = any.len ? arena_strndup(a, buf_cstr(&any), any.len) : NULL;
		out->exclude = exclude.len ? arena_strndup(a, buf_cstr(&exclude), exclude.len) : NULL;
	} else {
		memset(out, 0, sizeof *out);
	}
	buf_free(&match);
	buf_free(&any);
	buf_free(&exclude);
	return rc;
}
