/* Listing rules: the query parameters of every work listing (pages and API), what they mean, their limits,
 * and the one canonical query string that makes each filter state a shareable URL. */
#ifndef QUIRE_ARCHIVE_LISTING_H
#define QUIRE_ARCHIVE_LISTING_H
#include <stdbool.h>
#include "core/arena.h"
#include "store/store.h"

/* The parameters a listing reads: the route table lists them (cache keys are built from them). */
#define ARCHIVE_LISTING_PARAMS "page sort tags exclude_tags rating warnings categories complete crossover " \
	"words_from words_to updated_from updated_to language q"

#define ARCHIVE_LISTING_TAGS_MAX 20   /* included or excluded tags, each */
#define ARCHIVE_LISTING_WORDS_MAX 100000000

/* Raw values as sent (lists gather repeated parameters; each value may also hold commas). */
struct listing_params {
	struct strlist tags, exclude_tags, rating, warnings, categories;
	const char *complete, *crossover, *words_from, *words_to, *updated_from, *updated_to, *language, *q;
	const char *sort, *page;
};

/* Adds one query pair to p (keys outside ARCHIVE_LISTING_PARAMS are ignored; a repeated list key adds to
 * its list, a repeated single key keeps its first value). p starts zeroed; values are kept, not copied. */
void archive_listing_param(struct arena *a, struct listing_params *p, const char *key, const char *value);

/* The filter state after checking: what the query holds, and what forms and links echo. */
struct listing_state {
	struct strlist tags, exclude_tags, rating, warnings, categories; /* names, trimmed, no repeats */
	int complete, crossover;            /* -1 any */
	int64_t words_from, words_to;       /* 0 = open */
	const char *updated_from, *updated_to; /* "YYYY-MM-DD" or "" */
	const char *language, *q;           /* "" = none */
	enum listing_sort sort;
	bool sort_given;                    /* sort was in the URL (else the page's default) */
	int page;
	bool any_filter;                    /* anything besides sort and page */
};

/* The sort names of URLs ("updated", "kudos", ...), in menu order, with labels; NULL-terminated. */
struct listing_sort_name {
	const char *name, *label;
	enum listing_sort sort;
};
extern const struct listing_sort_name archive_listing_sorts[];
/* True when the sort named in a URL orders by response counts (kudos, hits, comments, bookmarks): such
 * a listing changes with response writes, which emit no change event (store.h). */
bool archive_listing_sort_by_response(const char *name);

/* Checks p and fills st and q (both arena memory). q gets the filters, sort (default_sort unless given),
 * page and the text search; the caller sets viewer, creator, series, per_page and facets, and may add its
 * own include groups after those of the state. Returns 0, or Q_EINVAL with *field and *message naming the
 * first problem (a clear sentence for a 400 answer). Unknown parameters never reach here. */
int archive_listing_build(struct arena *a, const struct listing_params *p, enum listing_sort default_sort,
                          struct listing_state *st, struct listing_query *q, const char **field,
                          const char **message);

/* The canonical query string of a state ("tags=A%2CB&sort=kudos", no '?'), with page when > 1. Parameters
 * in ARCHIVE_LISTING_PARAMS order; defaults left out. */
char *archive_listing_query_string(struct arena *a, const struct listing_state *st, int page);
#endif
