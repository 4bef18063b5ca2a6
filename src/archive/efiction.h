/* Migrating an eFiction 3.x archive (read by import/efiction.h) into this one: members become accounts their
 * owners claim by e-mail (eFiction's MD5 passwords are never carried over), categories fandoms with their
 * hierarchy as meta tags, characters character tags under their fandoms, classes warnings, categories or
 * additional tags as the mapping says, stories works (unvalidated ones drafts) with their chapters, dates,
 * series and co-authors, reviews comments (the author's response a reply by the author), favourites bookmarks
 * and subscriptions. Every old id is recorded beside what it became, in the transaction that made it: a second
 * run adds nothing twice, an interrupted one resumes, and old links find their pages. */
#ifndef QUIRE_ARCHIVE_EFICTION_H
#define QUIRE_ARCHIVE_EFICTION_H
#include <stdbool.h>
#include "core/buf.h"
#include "import/efiction.h"
#include "import/efiction_map.h"
#include "store/store.h"

struct efiction_run {
	bool dry_run;            /* read and map everything, write nothing */
	const char *source;      /* the archive's key among imported archives (its sitekey); NULL: from ef */
	const char *from;        /* where it was read from, for the report ("efiction.sql", "mysql://host/db") */
	size_t batch;            /* stories per transaction; 0: a sensible number */
	/* Called as the run goes (phase: "members", "stories", ...): for a progress bar. */
	void (*progress)(void *ctx, const char *phase, size_t done, size_t total);
	void *progress_ctx;
};

/* Runs the migration; the report (what was imported, how it was mapped, what could not be and why) is
 * appended to report. Returns 0, or the store's error (nothing of the failing batch is kept; running again
 * resumes after what was kept). */
int archive_efiction_migrate(struct store *st, struct efiction *ef, const struct efiction_map *m,
                             const struct efiction_run *run, struct buf *report);

/* ---- Old links ---- */

/* What an old eFiction address asks for: path is the request path ("/viewstory.php"), arg(ctx, name) its query
 * arguments (NULL when absent). *location gets the new address (arena), or NULL when there is none (an unknown
 * story: 404). Returns false when path is not an eFiction page at all. */
bool archive_efiction_link(struct store *st, struct arena *a, const char *path,
                           const char *(*arg)(void *ctx, const char *name), void *ctx, const char **location);
/* The legacy id of a chapter by its story and its place in eFiction's order (viewstory.php?sid=N&chapter=M). */
int64_t archive_efiction_chapter_key(int64_t sid, int64_t inorder);
#endif
