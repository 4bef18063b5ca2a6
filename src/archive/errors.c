/* Field errors and bounded quoting of user text in messages. */
#include "archive/errors.h"
#include <string.h>

void field_error(struct field_errors *e, const char *field, const char *message)
{
	/* The first problem with a field is the one worth showing; later ones are usually its echoes. */
	if (field_error_get(e, field) || e->n >= FIELD_ERRORS_MAX)
		return;
	e->items[e->n].field = field;
	e->items[e->n].message = message;
	e->n++;
}

const char *field_error_get(const struct field_errors *e, const char *field)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].field, field))
			return e->items[i].message;
	return NULL;
}

const char *archive_quote(struct arena *a, const char *s)
{
	size_t chars = 0, i = 0;
	/* Count code points by their lead bytes, never reading past the cut. */
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == ARCHIVE_QUOTE_MAX)
			break;
	}
	if (!s[i])
		return arena_strdup(a, s);
	char *q = arena_alloc(a, i + sizeof "…");
	memcpy(q, s, i);
	memcpy(q + i, "…", sizeof "…");
	return q;
}
