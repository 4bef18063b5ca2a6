/* ZIP archives built in memory with libzip: entries added in order, then the finished archive read back. */
#include "export/zip.h"
#include <stdio.h>
#include <zip.h>

static int fail(char *err, size_t errlen, const char *what, zip_error_t *ze)
{
	snprintf(err, errlen, "%s: %s", what, ze ? zip_error_strerror(ze) : "failed");
	return -1;
}

/* Copies the finished archive out of the memory source libzip wrote it to. */
static int read_back(zip_source_t *src, struct buf *out, char *err, size_t errlen)
{
	zip_stat_t st;
	if (zip_source_open(src) < 0)
		return fail(err, errlen, "reading the archive", zip_source_error(src));
	int rc = 0;
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		rc = fail(err, errlen, "sizing the archive", zip_source_error(src));
	} else {
		buf_grow(out, (size_t)st.size);
		char chunk[65536];
		zip_int64_t got;
		while ((got = zip_source_read(src, chunk, sizeof chunk)) > 0)
			buf_append(out, chunk, (size_t)got);
		if (got < 0)
			rc = fail(err, errlen, "reading the archive", zip_source_error(src));
	}
	zip_source_close(src);
	return rc;
}

int export_zip(const struct zip_entry *entries, size_t n, time_t mtime, struct buf *out, char *err, size_t errlen)
{
	if (n == 0) { /* libzip removes an archive left empty */
		snprintf(err, errlen, "an archive needs at least one file");
		return -1;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src) {
		int rc = fail(err, errlen, "starting the archive", &ze);
		zip_error_fini(&ze);
		return rc;
	}
	zip_source_keep(src); /* zip_close must leave it to us: the archive is read back from it */
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	int rc = 0;
	if (!za) {
		rc = fail(err, errlen, "starting the archive", &ze);
		goto done;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct zip_entry *e = &entries[i];
		zip_source_t *s = zip_source_buffer(za, e->data, e->len, 0);
		zip_int64_t idx = s ? zip_file_add(za, e->name, s, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			if (s)
				zip_source_free(s);
			rc = fail(err, errlen, e->name, zip_get_error(za));
		} else if (zip_set_file_compression(za, (zip_uint64_t)idx, e->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) < 0 ||
		           zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) < 0) {
			rc = fail(err, errlen, e->name, zip_get_error(za));
		}
	}
	if (rc) {
		zip_discard(za);
		goto done;
	}
	if (zip_close(za) < 0) {
		rc = fail(err, errlen, "writing the archive", zip_get_error(za));
		zip_discard(za);
		goto done;
	}
	rc = read_back(src, out, err, errlen);
done:
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}
