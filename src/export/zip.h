/* ZIP archives built in memory (libzip): the container of an EPUB download. */
#ifndef QUIRE_EXPORT_ZIP_H
#define QUIRE_EXPORT_ZIP_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "core/buf.h"

/* One file of the archive; data must stay valid until export_zip returns. */
struct zip_entry {
	const char *name; /* path inside the archive, UTF-8 */
	const char *data;
	size_t len;
	bool store;       /* kept uncompressed (EPUB's mimetype must be), else deflated */
};

/* Appends to out a ZIP archive of the n (at least one) entries in this order, every one dated mtime (so the same work
 * gives the same bytes). 0, or -1 with a reason in err. */
int export_zip(const struct zip_entry *entries, size_t n, time_t mtime, struct buf *out, char *err, size_t errlen);
#endif
