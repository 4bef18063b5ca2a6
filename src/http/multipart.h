/* multipart/form-data (RFC 7578): the bodies of forms that upload files. Text fields join the request's form
 * like urlencoded ones; files are kept as they came, pointing into the body. */
#ifndef QUIRE_HTTP_MULTIPART_H
#define QUIRE_HTTP_MULTIPART_H
#include <stddef.h>
#include "core/arena.h"
#include "http/form.h"

#define MULTIPART_FILES_MAX 200 /* files in one request (an import of one chapter per file) */

struct http_file {
	const char *field;        /* the form field's name */
	const char *filename;     /* as the browser sent it, valid UTF-8 without path ("" when none) */
	const char *content_type; /* "" when none */
	const unsigned char *data; /* into the request body */
	size_t len;
};

/* The boundary of a "multipart/form-data; boundary=..." Content-Type (arena), or NULL when it is not one. */
const char *multipart_boundary(struct arena *a, const char *content_type);
/* Parses body[0..len) delimited by boundary: text fields are appended to form (valid UTF-8 without NUL, as
 * form_parse's), files to *files (arena array). Q_EINVAL for a malformed body or text that is not UTF-8,
 * Q_ETOOBIG past FORM_MAX_FIELDS parts or MULTIPART_FILES_MAX files; nothing usable is left then. Linear in
 * len. */
int multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len, struct kvlist *form,
                    struct http_file **files, size_t *nfiles);
#endif
