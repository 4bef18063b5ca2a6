/* For backends only: the listing planner (listing_plan.c), written once for every SQL backend.
 *
 * store_work_find's decisions live in the planner: which tags the names stand for, what drives each statement
 * (a series, an author, the text matches, the rarest tag, or a sort order's index walked until the page is
 * full), what is counted and how far (maintained counters, a single tag's count, or at most a cap of matches),
 * facets (the archive's biggest tags, or a tally among the counted matches), and whether the page comes from
 * the counted rows (sorted in memory) or from a statement of its own. It writes its statements through a
 * backend's SQL dialect (struct sql_dialect: what differs between SQLite and PostgreSQL) and runs them and
 * the few lookups it needs through the backend's listing executor (struct listing_exec).
 *
 * The schema the statements read, which every backend keeps (see src/store/sqlite/migrate.c):
 *   works w: id, draft, restricted, complete, crossover, word_count, language, updated_at, published_at,
 *     kudos_count, hits_count, comments_count, bookmarks_count, title, creator_sort, and filter_tags (text:
 *     " ID:TYPE" for every filter tag of the work, each with a leading space, so " 12:" finds tag 12);
 *   filter_taggings(work_id, tag_id) with its primary key; work_creators(work_id, user_id, accepted);
 *   work_series(work_id, series_id, position);
 *   works.unrevealed and works.anonymous (booleans, in works_listing); the sort orders' indexes cover works
 *   with draft and unrevealed both false; collection_items(collection_id, work_id, by_collection, by_creator)
 *   and collections(id, parent_id) for a collection's works;
 *   indexes the dialect may name in hints: works_listing (covering: the visibility columns, filter_tags and
 *   the sort keys) and works_by_<sort> for each sort order (updated, published, kudos, hits, comments,
 *   bookmarks, words, title, creator).
 */
#ifndef QUIRE_STORE_LISTING_PLAN_H
#define QUIRE_STORE_LISTING_PLAN_H
#include "core/buf.h"
#include "store/store.h"

/* ---- A statement under construction: SQL text and its parameters in order ------------------------------ */

struct listing_param {
	char kind; /* 'I' integer, 'b' boolean (i 0 or 1), 't' text */
	int64_t i;
	const char *s;
};

struct listing_stmt {
	const struct sql_dialect *d;
	struct arena *a;
	struct buf sql;
	struct listing_param *p; /* p[k] is the statement's parameter k + 1 */
	size_t n, cap;
};

/* Appends SQL text as it is. */
void listing_sql(struct listing_stmt *s, const char *sql);
/* Appends a placeholder (the dialect's) for the next parameter and records its value. */
void listing_int(struct listing_stmt *s, int64_t v);
void listing_bool(struct listing_stmt *s, bool v);
void listing_text(struct listing_stmt *s, const char *v);
/* Frees the statement's text (its parameters live in the arena). */
void listing_stmt_free(struct listing_stmt *s);

/* ---- The dialect: what differs between SQL databases, as a table --------------------------------------- */

struct sql_dialect {
	const char *name;
	/* Writes the placeholder of parameter n (1-based): "?1" (SQLite), "$1" (PostgreSQL). */
	void (*param)(struct buf *b, int n);
	/* printf format appended after "FROM works w" to walk the named index: " INDEXED BY %s" (SQLite); NULL
	 * when the database chooses its own plan (PostgreSQL has no hints): the statement is the same without. */
	const char *index_hint;
	/* printf formats of a condition on a boolean column (%s: the column): "%s = 0" / "%s = 1" (SQLite's
	 * integers), "NOT %s" / "%s" (PostgreSQL's booleans). */
	const char *is_false, *is_true;
	/* printf format of a text expression ordered ignoring ASCII case, as nocase_cmp in listing_plan.c orders in
	 * memory (%s: the expression): "%s COLLATE NOCASE" (SQLite). */
	const char *order_nocase;
	/* Joins works w to the table that drives the statement, keeping that order: " CROSS JOIN " (SQLite, which
	 * then never reorders them), " JOIN " (PostgreSQL, whose CROSS JOIN takes no ON). */
	const char *join_driven;
	/* Formats with two %s, the first a column, the second a parameter's placeholder:
	 * equal_nocase: they are equal ignoring ASCII case ("%s = %s COLLATE NOCASE"; "lower(%s) = lower(%s)");
	 * contains / lacks: the column's text holds the parameter's, or does not ("instr(%s, %s) > 0" and
	 * "instr(%s, %s) = 0"; "strpos(%s, %s) > 0" and "strpos(%s, %s) = 0"). */
	const char *equal_nocase, *contains, *lacks;
	/* Writes "WITH hits(work_id, score) AS MATERIALIZED (...)": one row per work whose own document (title,
	 * summary, notes, tags, creators) holds every match term, or one of whose chapters does (a chapter's
	 * document counts its work's title, tags and creators with its own text, but at least one term must be in
	 * the chapter's own text). With ranked, score orders best first (lower is better: SQLite's bm25, a
	 * negated ts_rank on PostgreSQL); without it score is 0 and nothing is ranked. terms->nmatch > 0. */
	void (*text_hits)(struct listing_stmt *s, const struct search_terms *terms, bool ranked);
	/* Writes a condition true when no document of work w.id (its own, or a chapter's) holds any of the
	 * exclude terms. terms->nexclude > 0. */
	void (*text_exclude)(struct listing_stmt *s, const struct search_terms *terms);
};

/* ---- The executor: a backend runs statements and lookups for the planner -------------------------------- */

/* The filter tags one tag name stands for (a synonym stands for its canonical tag; a name of any type may
 * stand for several), with how many works each filters: works_count for members, public_count for guests. */
struct listing_tag_ids {
	int64_t *ids;
	size_t n, cap;
	int64_t estimate; /* the sum of their counts: an upper bound of the works they filter */
};
/* Adds id (once) with its count. */
void listing_tag_ids_add(struct arena *a, struct listing_tag_ids *g, int64_t id, int64_t count);

/* One row of a collecting or page statement: column 0 the work's id, column 1 its sort key (read as the
 * planner's key says), column 2 its filter_tags text or NULL. skey and filter_tags live during the call. */
enum listing_key { LISTING_KEY_NONE, LISTING_KEY_INT, LISTING_KEY_REAL, LISTING_KEY_TEXT };
struct listing_row {
	int64_t id, ikey;
	double dkey;
	const char *skey, *filter_tags;
};
typedef void listing_row_fn(void *arg, const struct listing_row *row);

struct listing_exec {
	const struct sql_dialect *d;
	void *ctx; /* the backend's connection, passed to every call */
	/* Adds the filter tags a name stands for (type -1: any type) to g. */
	int (*tag_ids)(void *ctx, struct arena *a, const struct tag_ref *ref, bool member, struct listing_tag_ids *g);
	/* A maintained counter: "works_posted" (members see) or "works_public" (guests see); 0 when missing. */
	int (*counter)(void *ctx, const char *name, int64_t *value);
	/* Runs a statement the planner built, calling fn for each row (key: how to read column 1), at most
	 * max_rows rows (0: all). */
	int (*rows)(void *ctx, struct arena *a, const struct listing_stmt *s, enum listing_key key, size_t max_rows,
	            listing_row_fn *fn, void *arg);
	/* The limit biggest tags of type (no synonyms; members: works_count, else public_count, above 0), biggest
	 * first then by name: calls fn(arg, id, name, count) for each. */
	int (*top_tags)(void *ctx, struct arena *a, bool member, int type, int limit,
	                void (*fn)(void *arg, int64_t id, const char *name, int64_t count), void *arg);
	/* The names of tags ids[0..n) into names[i] (NULL when there is no such tag). */
	int (*tag_names)(void *ctx, struct arena *a, const int64_t *ids, size_t n, const char **names);
	/* Fills items[i] completely (fields, tags, creators, series) for the work ids[i]. */
	int (*works)(void *ctx, struct arena *a, const int64_t *ids, size_t n, struct work *items);
	/* Snippets of the shown works for the match terms (out->snippets[i] for out->items[i], marked with
	 * LISTING_MARK_OPEN/CLOSE, or NULL), into the arena array out->snippets the planner made. */
	int (*snippets)(void *ctx, struct arena *a, const struct search_terms *terms, struct listing_result *out);
};

/* store_work_find for any backend: plans, counts, reads the page through x. */
int listing_find(const struct listing_exec *x, struct arena *a, const struct listing_query *q,
                 struct listing_result *out);

/* Tests set this below LISTING_COUNT_CAP to reach the capped paths with a few works; 0 normally. */
extern int listing_count_cap;
#endif
