/* SQL functions the schema's views and triggers call: tag name forms and the plain text of stored HTML. */
#include "store/sqlite_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/tagname.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* quire_tag_norm(name): the comparison form (core/tagname.h); NULL for NULL or invalid text. */
static void fn_tag_norm(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	struct arena *a = arena_new();
	char *out = NULL;
	if (tagname_norm(a, s, (size_t)sqlite3_value_bytes(argv[0]), &out) == 0)
		sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
	arena_free(a);
}

/* quire_tag_skeleton(norm): the TR39 skeleton, '' when ICU cannot make one. */
static void fn_tag_skeleton(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	struct arena *a = arena_new();
	const char *sk = tagname_skeleton(a, s);
	sqlite3_result_text(ctx, sk ? sk : "", -1, SQLITE_TRANSIENT);
	arena_free(a);
}

/* quire_tag_mixed(name): 1 when the name mixes scripts suspiciously. */
static void fn_tag_mixed(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, s && tagname_mixed_script(s));
}

/* Elements after which text does not run on: the search index must not glue "end</p><p>Start". */
static bool is_block(const char *name, size_t n)
{
	static const char *const blocks[] = {"p", "br", "div", "li", "ul", "ol", "dd", "dt", "dl", "h1", "h2", "h3",
	                                     "h4", "h5", "h6", "blockquote", "tr", "td", "th", "table", "hr", "pre",
	                                     "caption", "figcaption", "details", "summary", "center", "address"};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (strlen(blocks[i]) == n && strncasecmp(blocks[i], name, n) == 0)
			return true;
	return false;
}

/* Appends the UTF-8 encoding of code point cp (a valid scalar value). */
static void put_cp(struct buf *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 4);
	}
}

/* Decodes the entity at s (just after '&'); returns bytes consumed, 0 when it is not one we know. */
static size_t entity(struct buf *b, const char *s, size_t n)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {{"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", " "}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t k = strlen(named[i].name);
		if (n >= k && memcmp(s, named[i].name, k) == 0) {
			buf_puts(b, named[i].text);
			return k;
		}
	}
	if (n < 3 || s[0] != '#')
		return 0;
	bool hex = s[1] == 'x' || s[1] == 'X';
	size_t i = hex ? 2 : 1;
	unsigned long cp = 0;
	size_t digits = 0;
	for (; i < n && digits < 8; i++, digits++) {
		int c = (unsigned char)s[i];
		if (hex && isxdigit(c))
			cp = cp * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
		else if (!hex && isdigit(c))
			cp = cp * 10 + (unsigned long)(c - '0');
		else
			break;
	}
	if (digits == 0 || i >= n || s[i] != ';')
		return 0;
	if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = ' ';
	put_cp(b, cp);
	return i + 1;
}

/* quire_plain(html): the text of sanitized HTML for the search index and its snippets: tags dropped
 * (block ends become line breaks), entities decoded, control characters made spaces. */
static void fn_plain(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	size_t n = (size_t)sqlite3_value_bytes(argv[0]);
	struct buf b = BUF_INIT;
	buf_grow(&b, n + 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '<') {
			const char *end = memchr(s + i, '>', n - i);
			if (!end)
				break;
			const char *name = s + i + 1;
			if (*name == '/')
				name++;
			size_t k = 0;
			while (name + k < end && isalnum((unsigned char)name[k]))
				k++;
			if (is_block(name, k))
				buf_putc(&b, '\n');
			i = (size_t)(end - s) + 1;
		} else if (c == '&') {
			size_t k = entity(&b, s + i + 1, n - i - 1);
			if (!k)
				buf_putc(&b, '&');
			i += 1 + k;
		} else if (c < 0x20 && c != '\n' && c != '\t') {
			buf_putc(&b, ' ');
			i++;
		} else {
			buf_putc(&b, (char)c);
			i++;
		}
	}
	size_t len = 0;
	char *text = buf_detach(&b, &len);
	sqlite3_result_text(ctx, text, (int)len, free);
}

int sqls_functions_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function(db, "quire_tag_norm", 1, flags, NULL, fn_tag_norm, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "quire_tag_skeleton", 1, flags, NULL, fn_tag_skeleton, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "quire_tag_mixed", 1, flags, NULL, fn_tag_mixed, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "quire_plain", 1, flags, NULL, fn_plain, NULL, NULL) != SQLITE_OK)
		return Q_ERR;
	return 0;
}
