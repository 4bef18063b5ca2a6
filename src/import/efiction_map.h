/* How an eFiction archive's vocabulary becomes Quire's: ratings, classes (genres and warnings become warnings,
 * categories or additional tags), categories (fandoms, sub-categories under their parents), what review
 * ratings become. Sensible defaults from the names, written out as an INI file the admin edits
 * (quire import efiction --write-mapping map.ini) and read back (--mapping map.ini). */
#ifndef QUIRE_IMPORT_EFICTION_MAP_H
#define QUIRE_IMPORT_EFICTION_MAP_H
#include <stdbool.h>
#include <stdio.h>
#include "import/efiction.h"

/* Where a class goes. */
enum efmap_kind { EFMAP_FREEFORM, EFMAP_WARNING, EFMAP_CATEGORY, EFMAP_DROP };

struct efmap_rating {
	int64_t rid;
	const char *name, *to; /* eFiction's name, Quire's rating */
};

struct efmap_class {
	int64_t id;
	const char *name, *type; /* eFiction's name and its class type's title */
	enum efmap_kind kind;
	const char *to;          /* the warning, category or tag it becomes */
};

struct efmap_category {
	int64_t catid, parent;
	const char *name, *to;   /* eFiction's name, the fandom tag it becomes */
};

struct efiction_map {
	struct efmap_rating *ratings;
	struct efmap_class *classes;
	struct efmap_category *categories;
	size_t nratings, nclasses, ncategories;
	const char *no_warning;  /* the warning of a story that had none */
	const char *no_rating;   /* the rating of a story whose rating is unknown */
	bool review_ratings;     /* keep a review's rating in its text ("Liked it"); else dropped */
	const char *site;        /* how imported works name the archive they came from */
};

/* The defaults for ef: ratings by their usual names (G, K, PG-13, Teen, R, Mature, NC-17, Explicit...),
 * classes of a "warnings" type matched to AO3's warnings where they mean one (else additional tags), the pairing
 * classes (Het, Slash, Femslash, Gen, Multi) as categories, everything else as additional tags; categories as
 * fandoms, a sub-category named "Parent: Child". */
void efiction_map_defaults(struct arena *a, const struct efiction *ef, struct efiction_map *m);
/* Writes m as an INI file with comments. */
void efiction_map_write(const struct efiction_map *m, FILE *f);
/* Reads an INI file over m (entries name eFiction's ratings, classes and categories by name; unknown names
 * are errors). Q_EINVAL with *why (naming the line) for a line it cannot use. */
int efiction_map_read(struct arena *a, const char *path, struct efiction_map *m, const char **why);

/* Look-ups for the migration. */
const struct efmap_rating *efiction_map_rating(const struct efiction_map *m, int64_t rid);
const struct efmap_class *efiction_map_class(const struct efiction_map *m, int64_t id);
const struct efmap_category *efiction_map_category(const struct efiction_map *m, int64_t catid);
#endif
