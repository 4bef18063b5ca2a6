/* Reading ZIP containers safely (libzip, from memory): caps on the number of files, on what each and all of
 * them inflate to, and on the inflation ratio, checked on what the archive declares and again on what it
 * really gives, so that a ZIP bomb is refused before anything is made of it. */
#include "import/import_int.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>
#include <zip.h>

struct zipin {
	struct arena *a;
	zip_t *zip;
	size_t count;
	uint64_t read_total; /* bytes inflated so far */
};

static const char *bomb = "This file unpacks to far more than its size (it looks like a ZIP bomb); nothing was imported.";

int zipin_open(struct arena *a, const unsigned char *data, size_t len, struct zipin **out, const char **why)
{
	*out = NULL;
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
	if (!src) {
		zip_error_fini(&err);
		*why = "The file could not be read.";
		return Q_EINVAL;
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &err);
	zip_error_fini(&err);
	if (!z) {
		zip_source_free(src);
		*why = "This file is damaged or not what its name says: it is not a ZIP container (EPUB, .docx and .odt are).";
		return Q_EINVAL;
	}
	zip_int64_t n = zip_get_num_entries(z, 0);
	if (n < 0 || n > ZIPIN_ENTRIES_MAX) {
		zip_discard(z);
		*why = arena_printf(a, "This file holds more than %d files inside; nothing was imported.", ZIPIN_ENTRIES_MAX);
		return Q_ETOOBIG;
	}
	uint64_t declared = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
			zip_discard(z);
			*why = "This file is damaged: its table of contents cannot be read.";
			return Q_EINVAL;
		}
		if ((st.valid & ZIP_STAT_SIZE) && st.size > ZIPIN_ENTRY_MAX) {
			zip_discard(z);
			*why = bomb;
			return Q_ETOOBIG;
		}
		if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
		    st.size / (st.comp_size ? st.comp_size : 1) > ZIPIN_RATIO_MAX) {
			zip_discard(z);
			*why = bomb;
			return Q_ETOOBIG;
		}
		declared += (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
		if (declared > ZIPIN_TOTAL_MAX) {
			zip_discard(z);
			*why = bomb;
			return Q_ETOOBIG;
		}
	}
	struct zipin *zi = arena_calloc(a, 1, sizeof *zi);
	zi->a = a;
	zi->zip = z;
	zi->count = (size_t)n;
	*out = zi;
	return 0;
}

size_t zipin_count(const struct zipin *z)
{
	return z ? z->count : 0;
}

const char *zipin_name(const struct zipin *z, size_t i)
{
	const char *name = z && i < z->count ? zip_get_name(z->zip, i, 0) : NULL;
	return name ? name : "";
}

int zipin_read(struct zipin *z, const char *name, char **data, size_t *len, const char **why)
{
	*data = NULL;
	*len = 0;
	zip_int64_t i = zip_name_locate(z->zip, name, 0);
	if (i < 0)
		i = zip_name_locate(z->zip, name, ZIP_FL_NOCASE);
	if (i < 0)
		return Q_ENOTFOUND;
	zip_stat_t st;
	if (zip_stat_index(z->zip, (zip_uint64_t)i, 0, &st) != 0) {
		*why = "This file is damaged: a part of it cannot be read.";
		return Q_EINVAL;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		*why = "This file is protected by a password: save it without one and import it again.";
		return Q_EINVAL;
	}
	uint64_t want = (st.valid & ZIP_STAT_SIZE) ? st.size : ZIPIN_ENTRY_MAX;
	zip_file_t *f = zip_fopen_index(z->zip, (zip_uint64_t)i, 0);
	if (!f) {
		*why = "This file is damaged: a part of it cannot be unpacked.";
		return Q_EINVAL;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	int rc = 0;
	for (;;) {
		zip_int64_t got = zip_fread(f, chunk, sizeof chunk);
		if (got < 0) {
			*why = "This file is damaged: a part of it cannot be unpacked.";
			rc = Q_EINVAL;
			break;
		}
		if (got == 0)
			break;
		z->read_total += (uint64_t)got;
		/* What the archive declared is what it may give: more is a lie (and a bomb). */
		if (b.len + (size_t)got > want || b.len + (size_t)got > ZIPIN_ENTRY_MAX || z->read_total > ZIPIN_TOTAL_MAX) {
			*why = bomb;
			rc = Q_ETOOBIG;
			break;
		}
		buf_append(&b, chunk, (size_t)got);
	}
	zip_fclose(f);
	if (rc == 0) {
		*data = arena_strndup(z->a, buf_cstr(&b), b.len);
		*len = b.len;
	}
	buf_free(&b);
	return rc;
}

void zipin_close(struct zipin *z)
{
	if (z && z->zip)
		zip_discard(z->zip);
}
