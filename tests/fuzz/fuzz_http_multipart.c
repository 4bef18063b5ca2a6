/* Fuzz target: multipart/form-data bodies (file uploads). The input's first line is the Content-Type header's
 * value (its boundary), the rest the body: text fields come out as clean UTF-8 like form_parse's, files point
 * inside the body with names that hold no path. */
#include "core/arena.h"
#include "core/utf8.h"
#include "http/multipart.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_http_multipart: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size < 200 ? size : 200);
	if (!nl)
		return 0;
	struct arena *a = arena_new();
	char *ct = arena_strndup(a, s, (size_t)(nl - s));
	const char *boundary = multipart_boundary(a, ct);
	if (boundary) {
		require(*boundary && strlen(boundary) <= 70, "a boundary RFC 2046 does not allow");
		const char *body = nl + 1;
		size_t len = size - (size_t)(nl + 1 - s);
		struct kvlist form = {0};
		struct http_file *files = NULL;
		size_t nfiles = 0;
		if (multipart_parse(a, boundary, body, len, &form, &files, &nfiles) == 0) {
			require(form.n <= FORM_MAX_FIELDS, "too many fields");
			for (size_t i = 0; i < form.n; i++) {
				require(utf8_valid(form.items[i].key, strlen(form.items[i].key)), "field name not UTF-8");
				require(strlen(form.items[i].value) == form.items[i].value_len, "value holds NUL");
				require(utf8_valid(form.items[i].value, form.items[i].value_len), "value not UTF-8");
			}
			require(nfiles <= MULTIPART_FILES_MAX, "too many files");
			for (size_t i = 0; i < nfiles; i++) {
				const struct http_file *f = &files[i];
				require(f->field && f->filename && f->content_type, "a file without its strings");
				require(utf8_valid(f->filename, strlen(f->filename)), "file name not UTF-8");
				require(!strchr(f->filename, '/') && !strchr(f->filename, '\\'), "a path in a file name");
				require((const char *)f->data >= body && (const char *)f->data + f->len <= body + len,
				        "file data outside the body");
			}
		}
	}
	arena_free(a);
	return 0;
}
