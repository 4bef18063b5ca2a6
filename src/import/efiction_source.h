/* Inside the eFiction readers: what a source (a dump, a server) offers once its tables are read. */
#ifndef QUIRE_IMPORT_EFICTION_SOURCE_H
#define QUIRE_IMPORT_EFICTION_SOURCE_H
#include "import/efiction.h"

struct efiction_source {
	/* A chapter's text from the database when its row did not carry it (a server's rows leave texts out);
	 * NULL when the rows always do. Q_ENOTFOUND when the database has none for chapid. */
	int (*chapter_text)(struct efiction_source *s, struct arena *a, int64_t chapid, const char **text);
	void (*close)(struct efiction_source *s);
};

/* The table prefix of a list of table names: the prefix of the one ending in "stories" whose sibling
 * "<prefix>chapters" is there too; "fanfiction_" when none does. */
const char *efiction_guess_prefix(struct arena *a, const char *const *names, size_t n);
#endif
