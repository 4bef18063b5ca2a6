/* Field errors: what a rejected submission got wrong, keyed by field name, in bounded messages. */
#ifndef QUIRE_ARCHIVE_ERRORS_H
#define QUIRE_ARCHIVE_ERRORS_H
#include <stddef.h>
#include "core/arena.h"

/* Problems found in a submission, keyed by API field name ("title", "fandoms", "chapter.content"). Only the
 * first problem of each field is kept, and at most FIELD_ERRORS_MAX of them. Messages are static text or
 * arena memory of bounded size: user text appears in them only through archive_quote. */
#define FIELD_ERRORS_MAX 32
struct field_errors {
	struct {
		const char *field, *message;
	} items[FIELD_ERRORS_MAX];
	size_t n;
};

void field_error(struct field_errors *e, const char *field, const char *message);
/* The message for field, or NULL. */
const char *field_error_get(const struct field_errors *e, const char *field);

/* How many characters of user text a message quotes. */
#define ARCHIVE_QUOTE_MAX 60
/* s (valid UTF-8) for quoting in a message: at most ARCHIVE_QUOTE_MAX characters, "…" added when cut. */
const char *archive_quote(struct arena *a, const char *s);
#endif
