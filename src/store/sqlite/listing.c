/* SQLite backend: work listings. The planner (store/listing_plan.c) decides and writes the statements; this
 * file is SQLite's dialect of them (FTS5 for text search, INDEXED BY hints, integer booleans, NOCASE) and the
 * executor that runs them and reads a page of works, its facets' names and its snippets. */
#include "store/sqlite/int.h"
#include "store/sqlite/fts.h"
#include "store/listing_plan.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>
#include <string.h>

void (*sqls_listing_trace)(sqlite3_stmt *q);

/* ---- The dialect ------------------------------------------------------------------------------------------ */

static void param(struct buf *b, int n)
{
	buf_printf(b, "?%d", n);
}

/* Any of the query's words in a chapter's own columns, not in what its index row carries of its work
 * (migration 7): FTS5 for `{title summary notes text} : ("a" OR "b c")`. */
static const char *in_chapter_text(struct arena *a, const struct search_terms *t)
{
	return arena_printf(a, "{title summary notes text} : (%s)", sqls_fts_any(a, t->match, t->nmatch));
}

/* "WITH hits(work_id, score) AS (...)": the works whose own text or one of whose chapters matches, each
 * with its best (lowest) bm25 rank. */
static void text_hits(struct listing_stmt *b, const struct search_terms *t, bool ranked)
{
	const char *match = sqls_fts_all(b->a, t->match, t->nmatch);
	/* A chapter's index row number carries its work's id (see the migration). */
	/* Ranking (bm25) costs more than matching: only a relevance sort pays for it. */
	listing_sql(b, ranked ? "WITH hits(work_id, score) AS MATERIALIZED (SELECT work_id, MIN(score) FROM ("
	                        "SELECT rowid >> 32 AS work_id, rank AS score FROM search_chapters WHERE search_chapters MATCH "
	                      : "WITH hits(work_id, score) AS MATERIALIZED (SELECT work_id, 0 FROM ("
	                        "SELECT rowid >> 32 AS work_id FROM search_chapters WHERE search_chapters MATCH ");
	/* A chapter counts when one of the words is in its own text: where all are in what it carries of its
	 * work (title, tags, creators), the work's own document matches anyway, so a word that names a big
	 * fandom does not make every chapter of it a row here. One word or one phrase must simply be in the
	 * chapter's own text: no OR of alternatives, which walks every row holding a common word. */
	listing_text(b, t->nmatch == 1 ? in_chapter_text(b->a, t)
	                               : arena_printf(b->a, "(%s) AND %s", match, in_chapter_text(b->a, t)));
	listing_sql(b, ranked ? " UNION ALL SELECT rowid, rank FROM search_works WHERE search_works MATCH "
	                      : " UNION ALL SELECT rowid FROM search_works WHERE search_works MATCH ");
	listing_text(b, match);
	listing_sql(b, ") GROUP BY work_id)");
}

static void text_exclude(struct listing_stmt *b, const struct search_terms *t)
{
	const char *any = sqls_fts_any(b->a, t->exclude, t->nexclude);
	listing_sql(b, "w.id NOT IN (SELECT rowid >> 32 FROM search_chapters WHERE search_chapters MATCH ");
	listing_text(b, any);
	listing_sql(b, " UNION ALL SELECT rowid FROM search_works WHERE search_works MATCH ");
	listing_text(b, any);
	listing_sql(b, ")");
}

static const struct sql_dialect sqlite_dialect = {
	.name = "sqlite",
	.param = param,
	.index_hint = " INDEXED BY %s",
	.is_false = "%s = 0",
	.is_true = "%s = 1",
	.order_nocase = "%s COLLATE NOCASE",
	.join_driven = " CROSS JOIN ",
	.equal_nocase = "%s = %s COLLATE NOCASE",
	.contains = "instr(%s, %s) > 0",
	.lacks = "instr(%s, %s) = 0",
	.text_hits = text_hits,
	.text_exclude = text_exclude,
};

/* ---- The executor ------------------------------------------------------------------------------------------ */

/* The filter tags (and their sizes) a name stands for; none when no tag has that name. */
static int tag_ids(void *ctx, struct arena *a, const struct tag_ref *r, bool member, struct listing_tag_ids *g)
{
	struct sqls_conn *c = ctx;
	const char *name = r->name ? r->name : "";
	sqlite3_stmt *q = r->type < 0 ? sqls_prep(c, SQL_FIND_TAG_FILTER_IDS_ANY, "t", name)
	                              : sqls_prep(c, SQL_FIND_TAG_FILTER_IDS, "ti", name, r->type);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1)
		listing_tag_ids_add(a, g, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, member ? 1 : 2));
	sqls_reset(q);
	return rc;
}

static int counter(void *ctx, const char *name, int64_t *out)
{
	int rc = sqls_query_int(ctx, out, SQL_FIND_COUNTER, "t", name);
	if (rc == Q_ENOTFOUND) {
		*out = 0;
		rc = 0;
	}
	return rc;
}

/* Prepares the statement (not cached: its shape depends on the filters) with its parameters bound. */
static sqlite3_stmt *stmt_prepare(struct sqls_conn *c, const struct listing_stmt *b)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v3(c->db, buf_cstr(&b->sql), -1, 0, &q, NULL) != SQLITE_OK) {
		log_error("store: listing: %s: %s", sqlite3_errmsg(c->db), buf_cstr(&b->sql));
		return NULL;
	}
	int rc = SQLITE_OK;
	for (size_t i = 0; i < b->n && rc == SQLITE_OK; i++)
		rc = b->p[i].kind == 't' ? sqlite3_bind_text(q, (int)i + 1, b->p[i].s, -1, SQLITE_STATIC)
		                         : sqlite3_bind_int64(q, (int)i + 1, b->p[i].i);
	if (rc != SQLITE_OK) {
		log_error("store: listing: bind: %s", sqlite3_errstr(rc));
		sqlite3_finalize(q);
		return NULL;
	}
	if (sqls_listing_trace)
		sqls_listing_trace(q);
	return q;
}

static int rows(void *ctx, struct arena *a, const struct listing_stmt *b, enum listing_key key, size_t max_rows,
                listing_row_fn *fn, void *arg)
{
	struct sqls_conn *c = ctx;
	sqlite3_stmt *q = stmt_prepare(c, b);
	if (!q)
		return Q_ERR;
	int rc = 0;
	size_t n = 0;
	while ((max_rows == 0 || n < max_rows) && (rc = sqls_step(c, q)) == 1) {
		struct listing_row r = {.id = sqlite3_column_int64(q, 0)};
		if (key == LISTING_KEY_INT)
			r.ikey = sqlite3_column_int64(q, 1);
		else if (key == LISTING_KEY_REAL)
			r.dkey = sqlite3_column_double(q, 1);
		else if (key == LISTING_KEY_TEXT)
			r.skey = (const char *)sqlite3_column_text(q, 1);
		if (key != LISTING_KEY_NONE)
			r.filter_tags = (const char *)sqlite3_column_text(q, 2);
		fn(arg, &r);
		n++;
	}
	if (max_rows && n == max_rows)
		rc = 0;
	sqlite3_finalize(q);
	return rc < 0 ? rc : 0;
}

static int top_tags(void *ctx, struct arena *a, bool member, int type, int limit,
                    void (*fn)(void *arg, int64_t id, const char *name, int64_t count), void *arg)
{
	struct sqls_conn *c = ctx;
	sqlite3_stmt *q = sqls_prep(c, member ? SQL_FIND_TOP_TAGS_ALL : SQL_FIND_TOP_TAGS_PUBLIC, "ii", type, limit);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1)
		fn(arg, sqlite3_column_int64(q, 0), sqls_col_text(a, q, 2), sqlite3_column_int64(q, 3));
	sqls_reset(q);
	return rc;
}

/* ---- Reading a page of works with one query each for works, tags and creators -------------------- */

static const char *ids_json(struct arena *a, const int64_t *ids, size_t n)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, ']');
	const char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

static size_t index_of(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return i;
	return n;
}

/* Tag rows come grouped by work and ordered by type: each work's names are one run of an array. */
static int page_tags(struct sqls_conn *c, struct arena *a, const char *json, const int64_t *ids, size_t n,
                     struct work *items)
{
	sqlite3_stmt *q = sqls_prep(c, SQL_FIND_PAGE_TAGS, "t", json);
	if (!q)
		return Q_ERR;
	const char **names = NULL;
	size_t count = 0, cap = 0;
	size_t *start = arena_calloc(a, (n ? n : 1) * TAG_TYPE_COUNT, sizeof *start);
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		size_t k = index_of(ids, n, sqlite3_column_int64(q, 0));
		int t = sqlite3_column_int(q, 1);
		if (k >= n || t < 0 || t >= TAG_TYPE_COUNT)
			continue;
		names = arena_grow(a, names, count, &cap, sizeof *names);
		if (items[k].tags[t].n == 0)
			start[k * TAG_TYPE_COUNT + (size_t)t] = count;
		names[count++] = sqls_col_text(a, q, 2);
		items[k].tags[t].n++;
	}
	sqls_reset(q);
	for (size_t k = 0; k < n; k++)
		for (int t = 0; t < TAG_TYPE_COUNT; t++)
			items[k].tags[t].items = items[k].tags[t].n ? names + start[k * TAG_TYPE_COUNT + (size_t)t] : NULL;
	return rc;
}

static int page_creators(struct sqls_conn *c, struct arena *a, const char *json, const int64_t *ids, size_t n,
                         struct work *items)
{
	sqlite3_stmt *q = sqls_prep(c, SQL_FIND_PAGE_CREATORS, "t", json);
	if (!q)
		return Q_ERR;
	size_t *cap = arena_calloc(a, n ? n : 1, sizeof *cap);
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		size_t k = index_of(ids, n, sqlite3_column_int64(q, 0));
		if (k >= n)
			continue;
		struct work *w = &items[k];
		w->creators = arena_grow(a, w->creators, w->ncreators, &cap[k], sizeof *w->creators);
		struct creator *cr = &w->creators[w->ncreators++];
		cr->user_id = sqlite3_column_int64(q, 1);
		cr->name = sqls_col_text(a, q, 2);
		cr->accepted = sqlite3_column_int(q, 3) != 0;
	}
	sqls_reset(q);
	return rc;
}

/* Fills items[0..n) (in the order of ids) completely. */
static int page_read(void *ctx, struct arena *a, const int64_t *ids, size_t n, struct work *items)
{
	struct sqls_conn *c = ctx;
	const char *json = ids_json(a, ids, n);
	sqlite3_stmt *q = sqls_prep(c, SQL_FIND_PAGE_WORKS, "t", json);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		size_t k = index_of(ids, n, sqlite3_column_int64(q, 0));
		if (k < n)
			sqls_work_from_row(a, q, &items[k]);
	}
	sqls_reset(q);
	if (rc == 0)
		rc = page_tags(c, a, json, ids, n, items);
	if (rc == 0)
		rc = page_creators(c, a, json, ids, n, items);
	return rc;
}

static int tag_names(void *ctx, struct arena *a, const int64_t *ids, size_t n, const char **names)
{
	struct sqls_conn *c = ctx;
	sqlite3_stmt *q = sqls_prep(c, SQL_FIND_TAG_NAMES, "t", ids_json(a, ids, n));
	int rc = q ? 0 : Q_ERR;
	while (q && (rc = sqls_step(c, q)) == 1) {
		size_t k = index_of(ids, n, sqlite3_column_int64(q, 0));
		if (k < n)
			names[k] = sqls_col_text(a, q, 1);
	}
	sqls_reset(q);
	return rc;
}

/* ---- Snippets ---------------------------------------------------------------------------------------- */

static int snippets(void *ctx, struct arena *a, const struct search_terms *t, struct listing_result *out)
{
	struct sqls_conn *c = ctx;
	/* From the chapter's own text, never the work's title and tags its index row also holds: the first
	 * chapter holding one of the words, highlighting each. */
	const char *in_chapter = in_chapter_text(a, t), *match = sqls_fts_all(a, t->match, t->nmatch);
	int rc = 0;
	for (size_t i = 0; i < out->n && rc == 0; i++) {
		/* The work's best matching chapter, else the work's own text. */
		sqlite3_stmt *q = sqls_prep(c, SQL_FIND_SNIPPET_CHAPTER, "tI", in_chapter, out->items[i].id);
		if (!q)
			return Q_ERR;
		if ((rc = sqls_step(c, q)) == 1) {
			out->snippets[i] = sqls_col_text(a, q, 0);
			rc = 0;
		}
		sqls_reset(q);
		if (rc || out->snippets[i])
			continue;
		q = sqls_prep(c, SQL_FIND_SNIPPET_WORK, "tI", match, out->items[i].id);
		if (!q)
			return Q_ERR;
		if ((rc = sqls_step(c, q)) == 1) {
			out->snippets[i] = sqls_col_text(a, q, 0);
			rc = 0;
		}
		sqls_reset(q);
	}
	return rc;
}

/* ---- The operation ------------------------------------------------------------------------------------ */

int sqls_work_find(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin_listing(s, &c);
	if (rc)
		return rc;
	struct listing_exec x = {
		.d = &sqlite_dialect,
		.ctx = c,
		.tag_ids = tag_ids,
		.counter = counter,
		.rows = rows,
		.top_tags = top_tags,
		.tag_names = tag_names,
		.works = page_read,
		.snippets = snippets,
	};
	rc = listing_find(&x, a, q, out);
	sqls_rd_end(s, c);
	return rc;
}
