/* SQLite backend: FTS5 expressions made only of quoted string literals, from parsed search terms. */
#include "store/sqlite/fts.h"
#include "core/buf.h"

/* Appends s as an FTS5 string literal: in quotes, quotes inside doubled; nothing else is special. */
static void put_literal(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static const char *done(struct arena *a, struct buf *b)
{
	const char *s = b->len ? arena_strndup(a, buf_cstr(b), b->len) : NULL;
	buf_free(b);
	return s;
}

static const char *join(struct arena *a, const struct search_term *terms, size_t n, const char *op)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, op);
		put_literal(&b, terms[i].text);
	}
	return done(a, &b);
}

const char *sqls_fts_all(struct arena *a, const struct search_term *terms, size_t n)
{
	return join(a, terms, n, " AND ");
}

const char *sqls_fts_any(struct arena *a, const struct search_term *terms, size_t n)
{
	return join(a, terms, n, " OR ");
}

const char *sqls_fts_prefixes(struct arena *a, const struct search_prefixes *p)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; p && i < p->n; i++) {
		if (i)
			buf_putc(&b, ' ');
		put_literal(&b, p->words[i]); /* letters, digits and marks only: nothing to double */
		buf_putc(&b, '*');
	}
	return done(a, &b);
}
