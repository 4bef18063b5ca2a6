/* Shared by the import fuzz targets (included, not a target): a ZIP container built around fuzzed documents,
 * so that the readers behind a container (.docx, .odt, EPUB) see mutated XML rather than mostly broken ZIPs.
 * The entries are stored (the inflating path is fuzzed through the raw containers of the corpora). */
#ifndef QUIRE_FUZZ_IMPORT_ZIP_H
#define QUIRE_FUZZ_IMPORT_ZIP_H
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct fuzz_entry {
	const char *name;
	const void *data;
	size_t len;
};

/* The archive of entries (malloc; *len its size), or NULL. */
static inline unsigned char *fuzz_zip(const struct fuzz_entry *e, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_error_fini(&ze);
	if (!src)
		return NULL;
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	if (!za) {
		zip_source_free(src);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, e[i].data, e[i].len, 0);
		zip_int64_t idx = s ? zip_file_add(za, e[i].name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
		if (idx < 0) {
			if (s)
				zip_source_free(s);
			continue;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	unsigned char *out = NULL;
	if (zip_close(za) < 0) {
		zip_discard(za);
	} else if (zip_source_open(src) == 0) {
		zip_stat_t st;
		if (zip_source_stat(src, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && (out = malloc(st.size + 1))) {
			zip_int64_t got = zip_source_read(src, out, st.size);
			*len = got > 0 ? (size_t)got : 0;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

/* Splits data at form feeds (0x0C) into at most max pieces; returns how many. */
static inline size_t fuzz_split(const unsigned char *data, size_t size, struct fuzz_entry *out, size_t max)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= size && n < max; i++)
		if (i == size || (data[i] == 0x0C && n + 1 < max)) {
			out[n].data = data + start;
			out[n].len = i - start;
			n++;
			start = i + 1;
		}
	return n;
}
#endif
