/* Related works: a work inspired by another, a translation or a podfic of one, here or elsewhere; the other
 * work's creators approve the link back (until then only the new work names it). The rules, the resolution of
 * what a work form names, and the approval workflow; return codes as archive/collections.h's. */
#ifndef QUIRE_ARCHIVE_RELATED_H
#define QUIRE_ARCHIVE_RELATED_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define RELATIONS_PER_WORK_MAX 10
#define RELATION_URL_MAX 2000
#define RELATION_TITLE_MAX 255
#define RELATION_AUTHOR_MAX 100

/* One link as submitted (raw; NULL = not given). */
struct relation_input {
	const char *kind;            /* "inspired" (NULL or ""), "translation", "podfic" */
	int64_t work_id;             /* a work here, by id (the API); 0: by url */
	const char *url;             /* a work here (/works/ID, or its address on this site) or elsewhere (http(s)) */
	const char *title, *author;  /* elsewhere: its title (required) and author */
};

/* "inspired", "translation", "podfic" (by enum relation_kind), and the words a page shows before the other
 * work: "Inspired by", "A translation of", "A podfic of"; the reverse ("Works inspired by this one", ...). */
const char *relation_kind_key(int kind);
const char *relation_kind_label(int kind);
const char *relation_kind_back_label(int kind);

/* The links a work form names (in[0..n)) for work_id (0: a new work), as u may make them; site is this
 * archive's address (no trailing slash) so its own links are known. Blank rows are skipped; field "related"
 * (and related_N for a row's own problem). *out gets the links (arena). */
int archive_relations_resolve(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                              const char *site, const struct relation_input *in, size_t n,
                              struct work_relation **out, size_t *nout, struct field_errors *e);
/* Shows a relation's other work to viewers as the reading pages do: NULL when it is not to be shown (a work not
 * posted or not yet revealed), else its title, or "A work for members only" for a restricted one; *creator
 * the name to show (ANONYMOUS_NAME for an anonymous work; NULL for a restricted one). */
const char *archive_relation_other(const struct work_relation *r, const char **creator);
/* The creators of parent_id show (approved) or hide the link back of relation id. */
int archive_relation_approve(struct store *st, struct arena *a, const struct user *u, int64_t parent_id, int64_t id,
                             bool approved);
#endif
