/* Tests for the listing planner (store/listing_plan.c) through a dialect that is not SQLite's: numbered "$N"
 * placeholders, no index hints, boolean columns, strpos: whatever differs comes from the table and nothing of
 * SQLite's leaks into the statements. The executor records the statements and answers from a small table. */
#include "check.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/listing_plan.h"
#include <stdio.h>
#include <string.h>

static struct arena *A;
static char stmts[16384]; /* every statement run, one a line */

static void pg_param(struct buf *b, int n)
{
	buf_printf(b, "$%d", n);
}

static void pg_hits(struct listing_stmt *s, const struct search_terms *t, bool ranked)
{
	listing_sql(s, "WITH hits(work_id, score) AS MATERIALIZED (SELECT id, ");
	listing_sql(s, ranked ? "-ts_rank(doc, q)" : "0");
	listing_sql(s, " FROM search_docs, phraseto_tsquery('english', ");
	listing_text(s, t->match[0].text);
	listing_sql(s, ") q WHERE doc @@ q)");
}

static void pg_exclude(struct listing_stmt *s, const struct search_terms *t)
{
	listing_sql(s, "NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.work_id = w.id AND d.doc @@ "
	               "phraseto_tsquery('english', ");
	listing_text(s, t->exclude[0].text);
	listing_sql(s, "))");
}

static const struct sql_dialect pg = {
	.name = "test-pg",
	.param = pg_param,
	.index_hint = NULL,
	.is_false = "NOT %s",
	.is_true = "%s",
	.order_nocase = "lower(%s) COLLATE \"C\"",
	.join_driven = " JOIN ",
	.equal_nocase = "lower(%s) = lower(%s)",
	.contains = "strpos(%s, %s) > 0",
	.lacks = "strpos(%s, %s) = 0",
	.text_hits = pg_hits,
	.text_exclude = pg_exclude,
};

/* The archive the executor answers from: tag "Known" (id 7, 3 works), works 1..3. */
static int tag_ids(void *ctx, struct arena *a, const struct tag_ref *r, bool member, struct listing_tag_ids *g)
{
	if (r->name && !strcmp(r->name, "Known"))
		listing_tag_ids_add(a, g, 7, 3);
	return 0;
}

static int counter(void *ctx, const char *name, int64_t *value)
{
	*value = 3;
	return 0;
}

static int rows(void *ctx, struct arena *a, const struct listing_stmt *s, enum listing_key key, size_t max_rows,
                listing_row_fn *fn, void *arg)
{
	strncat(stmts, buf_cstr(&s->sql), sizeof stmts - strlen(stmts) - 2);
	strcat(stmts, "\n");
	/* Every parameter a statement names exists, and none is left over. */
	for (size_t i = 0; i < s->n; i++) {
		char ph[32];
		snprintf(ph, sizeof ph, "$%zu", i + 1);
		CHECK(strstr(buf_cstr(&s->sql), ph) != NULL);
	}
	for (int64_t id = 3; id >= 1; id--) {
		struct listing_row r = {.id = id, .ikey = id, .dkey = (double)-id, .skey = "Title",
		                        .filter_tags = key != LISTING_KEY_NONE ? " 7:3" : NULL};
		fn(arg, &r);
	}
	return 0;
}

static int top_tags(void *ctx, struct arena *a, bool member, int type, int limit,
                    void (*fn)(void *arg, int64_t id, const char *name, int64_t count), void *arg)
{
	if (type == 3)
		fn(arg, 7, "Known", 3);
	return 0;
}

static int tag_names(void *ctx, struct arena *a, const int64_t *ids, size_t n, const char **names)
{
	for (size_t i = 0; i < n; i++)
		names[i] = ids[i] == 7 ? "Known" : NULL;
	return 0;
}

static int works(void *ctx, struct arena *a, const int64_t *ids, size_t n, struct work *items)
{
	for (size_t i = 0; i < n; i++)
		items[i].id = ids[i];
	return 0;
}

static int snippets(void *ctx, struct arena *a, const struct search_terms *t, struct listing_result *out)
{
	for (size_t i = 0; i < out->n; i++)
		out->snippets[i] = "\x01match\x02";
	return 0;
}

static const struct listing_exec X = {&pg, NULL, tag_ids, counter, rows, top_tags, tag_names, works, snippets};

static struct listing_query query(void)
{
	struct listing_query q = {0};
	q.complete = -1;
	q.crossover = -1;
	q.page = 1;
	return q;
}

static void test_unfiltered_counts_from_counters(void)
{
	stmts[0] = '\0';
	struct listing_query q = query();
	q.facets = true;
	struct listing_result r;
	CHECK(listing_find(&X, A, &q, &r) == 0);
	CHECK(r.total == 3 && r.n == 3 && !r.total_capped);
	CHECK(r.nfacets == 1 && r.facets[0].tag_id == 7);
	/* One statement: the page, walking the sort order (works not yet revealed are listed nowhere); no hint in
	 * this dialect. */
	CHECK_CONTAINS(stmts, "SELECT w.id FROM works w WHERE NOT w.draft AND NOT w.restricted AND NOT w.unrevealed"
	               " ORDER BY w.updated_at DESC");
	CHECK_CONTAINS(stmts, "LIMIT $1 OFFSET $2");
	CHECK_NOT_CONTAINS(stmts, "INDEXED BY");
	CHECK_NOT_CONTAINS(stmts, "?");
}

static void test_filters_use_the_dialect(void)
{
	stmts[0] = '\0';
	struct tag_ref known = {-1, "Known"};
	struct tag_group g = {&known, 1};
	struct search_term word = {"door", false}, not = {"rain", false};
	struct listing_query q = query();
	q.viewer_id = 1; /* a member: restricted works count */
	q.include = &g;
	q.ninclude = 1;
	q.complete = 1;
	q.language = "English";
	q.text = (struct search_terms){&word, 1, &not, 1};
	q.sort = LISTING_TITLE;
	q.facets = true;
	struct listing_result r;
	CHECK(listing_find(&X, A, &q, &r) == 0);
	CHECK(r.n == 3 && r.total == 3 && r.snippets && r.snippets[0]);
	/* Counted and sorted in memory: one collecting statement, driven by the text matches. */
	CHECK_CONTAINS(stmts, "WITH hits(work_id, score) AS MATERIALIZED");
	CHECK_CONTAINS(stmts, "FROM hits h JOIN works w ON w.id = h.work_id"); /* PostgreSQL's CROSS JOIN takes no ON */
	CHECK_CONTAINS(stmts, "strpos(w.filter_tags, $");
	CHECK_CONTAINS(stmts, "w.complete = $");
	CHECK_CONTAINS(stmts, "lower(w.language) = lower($");
	CHECK_CONTAINS(stmts, "NOT EXISTS (SELECT 1 FROM search_docs d");
	CHECK_NOT_CONTAINS(stmts, "NOT w.restricted");
	CHECK_NOT_CONTAINS(stmts, "instr(");
	CHECK_NOT_CONTAINS(stmts, "COLLATE NOCASE");
	CHECK_NOT_CONTAINS(stmts, "INDEXED BY");
	/* Sorted by title in memory as the dialect's order would: ties by id. */
	CHECK(r.items[0].id == 1 && r.items[2].id == 3);
}

static void test_unknown_tag_and_bad_pages(void)
{
	struct tag_ref unknown = {-1, "Nobody"};
	struct tag_group g = {&unknown, 1};
	struct listing_query q = query();
	q.include = &g;
	q.ninclude = 1;
	struct listing_result r;
	CHECK(listing_find(&X, A, &q, &r) == 0 && r.unknown_tag && r.n == 0);
	q = query();
	q.page = LISTING_MAX_PAGES + 1;
	CHECK(listing_find(&X, A, &q, &r) == Q_EINVAL);
}

int main(void)
{
	A = arena_new();
	test_unfiltered_counts_from_counters();
	test_filters_use_the_dialect();
	test_unknown_tag_and_bad_pages();
	arena_free(A);
	return CHECK_DONE();
}
