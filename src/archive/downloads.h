/* Downloads: a work as a file to keep (EPUB for e-readers, one HTML page), at /downloads/ID/NAME.EXT as on
 * AO3. The name part only makes the saved file readable; the id and the extension choose what is sent. */
#ifndef QUIRE_ARCHIVE_DOWNLOADS_H
#define QUIRE_ARCHIVE_DOWNLOADS_H
#include <stdint.h>
#include "core/arena.h"

enum download_format { DOWNLOAD_EPUB, DOWNLOAD_HTML, DOWNLOAD_FORMATS };

/* "epub", "html". */
const char *download_extension(enum download_format f);
const char *download_media_type(enum download_format f);
/* The format a file name asks for by its extension ("Title.epub"), or -1. */
int download_format_of(const char *file);
/* The file name for a work: its title with letters and digits kept and runs of anything else as one "_"
 * (at most 60 bytes, whole UTF-8 characters), "work_ID" when nothing is left; then ".EXT". */
const char *download_file_name(struct arena *a, int64_t work_id, const char *title, enum download_format f);
/* "/downloads/ID/NAME.EXT" with NAME percent-encoded. */
const char *download_url(struct arena *a, int64_t work_id, const char *title, enum download_format f);
/* A BCP 47 code for a work's language as typed on the work form ("English" -> "en", "Deutsch" -> "de");
 * "und" (undetermined) for one it does not know. */
const char *download_language_code(const char *language);
#endif
