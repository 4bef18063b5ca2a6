/* SQLite backend: work listings (filters, sorts, counts, facets, text search) from one small query builder.
 *
 * Every listing is one statement for the page and, when needed, one for counting and facets. The builder
 * picks what drives each statement: a series, an author, the text matches, the rarest included tag, or the
 * index of the sort order walked until the page is full. Each filter is its own predicate on indexed
 * columns or an EXISTS probe on filter_taggings' primary key; there are no catch-all predicates. Works,
 * tags and creators of a page are then read with one query each.
 *
 * Counting: unfiltered listings take their totals from the counters table, single-tag listings from the
 * tag's counts; everything else counts at most LISTING_COUNT_CAP + 1 matches (the answer says "more"). Facets
 * count the filter tags of those same (at most LISTING_COUNT_CAP + 1) works; unfiltered facets are the
 * archive's biggest tags. */
#include "store/sqlite/int.h"
#include "store/sqlite/fts.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include <stdlib.h>
#include <string.h>

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX 100
#define FACETS_PER_TYPE 10
#define SNIPPET_TOKENS 24
/* Tests lower the cap (sqls_listing_cap) to reach the capped paths with a few works. */
#define COUNT_CAP (sqls_listing_cap > 0 ? sqls_listing_cap : LISTING_COUNT_CAP)
/* A text search has found all its matches before the first row comes back: reading more of them costs a
 * little per row, running the search a second time for the page costs far more. */
#define TEXT_COLLECT_CAP (sqls_listing_cap > 0 ? sqls_listing_cap : 200000)

/* ---- A statement under construction: SQL text and its parameters in order ---------------------- */

struct param {
	char kind; /* 'I' integer, 't' text */
	int64_t i;
	const char *s;
};

struct qb {
	struct arena *a;
	struct buf sql;
	struct param *p;
	size_t n, cap;
};

static void qb_sql(struct qb *b, const char *s)
{
	buf_puts(&b->sql, s);
}

static struct param *qb_param(struct qb *b)
{
	b->p = sqls_grow(b->a, b->p, b->n, &b->cap, sizeof *b->p);
	buf_putc(&b->sql, '?');
	return &b->p[b->n++];
}

static void qb_int(struct qb *b, int64_t v)
{
	struct param *p = qb_param(b);
	p->kind = 'I';
	p->i = v;
}

static void qb_text(struct qb *b, const char *s)
{
	struct param *p = qb_param(b);
	p->kind = 't';
	p->s = s;
}

/* "(?, ?, ?)" for ids. */
static void qb_ids(struct qb *b, const int64_t *ids, size_t n)
{
	qb_sql(b, "(");
	for (size_t i = 0; i < n; i++) {
		if (i)
			qb_sql(b, ", ");
		qb_int(b, ids[i]);
	}
	qb_sql(b, ")");
}

void (*sqls_listing_trace)(sqlite3_stmt *q);
int sqls_listing_cap;

/* Prepares the statement (not cached: its shape depends on the filters) with its parameters bound. */
static sqlite3_stmt *qb_prepare(struct sqls_conn *c, struct qb *b)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v3(c->db, buf_cstr(&b->sql), -1, 0, &q, NULL) != SQLITE_OK) {
		log_error("store: listing: %s: %s", sqlite3_errmsg(c->db), buf_cstr(&b->sql));
		return NULL;
	}
	int rc = SQLITE_OK;
	for (size_t i = 0; i < b->n && rc == SQLITE_OK; i++)
		rc = b->p[i].kind == 'I' ? sqlite3_bind_int64(q, (int)i + 1, b->p[i].i)
		                         : sqlite3_bind_text(q, (int)i + 1, b->p[i].s, -1, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		log_error("store: listing: bind: %s", sqlite3_errstr(rc));
		sqlite3_finalize(q);
		return NULL;
	}
	if (sqls_listing_trace)
		sqls_listing_trace(q);
	return q;
}

/* ---- The plan ------------------------------------------------------------------------------------ */

struct group_ids {
	int64_t *ids;
	size_t n;
	int64_t estimate; /* works under these tags (an upper bound of the group's matches) */
};

enum driver { DRIVE_INDEX, DRIVE_TAG, DRIVE_TEXT, DRIVE_CREATOR, DRIVE_SERIES };

struct plan {
	const struct listing_query *q;
	bool member, drafts;
	struct group_ids *groups;
	size_t ngroups;
	int64_t *exclude;
	size_t nexclude;
	enum driver driver;
	size_t drive_group; /* with DRIVE_TAG */
	bool has_tag_driver; /* drive_group names the rarest single-tag group (counting always starts there) */
	const char *walk_index; /* DRIVE_INDEX walks this index (NULL: the sort order's) */
	enum listing_sort sort;
	bool other_filters; /* anything besides tag groups */
	/* The text search as FTS5: every match term ("a" AND "b c"), any of them ("a" OR "b c"), the exclusions
	 * ("x" OR "y"); NULL when none. */
	const char *fts_match, *fts_any, *fts_exclude;
};

static const char *const sort_index[] = {
	[LISTING_UPDATED] = "works_by_updated",     [LISTING_PUBLISHED] = "works_by_published",
	[LISTING_KUDOS] = "works_by_kudos",         [LISTING_HITS] = "works_by_hits",
	[LISTING_COMMENTS] = "works_by_comments",   [LISTING_BOOKMARKS] = "works_by_bookmarks",
	[LISTING_WORDS] = "works_by_words",         [LISTING_TITLE] = "works_by_title",
	[LISTING_CREATOR] = "works_by_creator",     [LISTING_RELEVANCE] = NULL,
	[LISTING_SERIES] = NULL,
};

static const char *const sort_order[] = {
	[LISTING_UPDATED] = "w.updated_at DESC, w.id DESC",
	[LISTING_PUBLISHED] = "w.published_at DESC, w.id DESC",
	[LISTING_KUDOS] = "w.kudos_count DESC, w.id DESC",
	[LISTING_HITS] = "w.hits_count DESC, w.id DESC",
	[LISTING_COMMENTS] = "w.comments_count DESC, w.id DESC",
	[LISTING_BOOKMARKS] = "w.bookmarks_count DESC, w.id DESC",
	[LISTING_WORDS] = "w.word_count DESC, w.id DESC",
	[LISTING_TITLE] = "w.title COLLATE NOCASE, w.id",
	[LISTING_CREATOR] = "w.creator_sort, w.id",
	[LISTING_RELEVANCE] = "h.score, w.id DESC",
	[LISTING_SERIES] = "ws.position, w.id",
};

/* The filter tags (and their sizes) a name stands for; none when no tag has that name. */
static int resolve_ref(struct sqls_conn *c, struct arena *a, const struct tag_ref *r, bool member,
                       struct group_ids *g)
{
	const char *name = r->name ? r->name : "";
	sqlite3_stmt *q = r->type < 0 ? sqls_prep(c, SQL_FIND_TAG_FILTER_IDS_ANY, "t", name)
	                              : sqls_prep(c, SQL_FIND_TAG_FILTER_IDS, "ti", name, r->type);
	size_t cap = g->n;
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		int64_t id = sqlite3_column_int64(q, 0);
		bool dup = false;
		for (size_t i = 0; i < g->n; i++)
			dup |= g->ids[i] == id;
		if (dup)
			continue;
		g->ids = sqls_grow(a, g->ids, g->n, &cap, sizeof *g->ids);
		g->ids[g->n++] = id;
		g->estimate += sqlite3_column_int64(q, member ? 1 : 2);
	}
	sqls_reset(q);
	return rc;
}

static bool has_text(const char *s)
{
	return s && *s;
}

/* Resolves tag names and chooses what drives the statements. *empty when an included tag is unknown. */
static int plan_make(struct sqls_conn *c, struct arena *a, const struct listing_query *q, struct plan *p,
                     int64_t archive_total, bool *empty)
{
	memset(p, 0, sizeof *p);
	*empty = false;
	p->q = q;
	p->fts_match = sqls_fts_all(a, q->text.match, q->text.nmatch);
	p->fts_any = sqls_fts_any(a, q->text.match, q->text.nmatch);
	p->fts_exclude = sqls_fts_any(a, q->text.exclude, q->text.nexclude);
	p->member = q->viewer_id != 0;
	p->drafts = q->include_drafts && q->creator_id != 0 && q->creator_id == q->viewer_id;
	p->groups = q->ninclude ? arena_calloc(a, q->ninclude, sizeof *p->groups) : NULL;
	int rc = 0;
	for (size_t i = 0; i < q->ninclude && rc == 0; i++) {
		struct group_ids *g = &p->groups[p->ngroups];
		for (size_t k = 0; k < q->include[i].n && rc == 0; k++)
			rc = resolve_ref(c, a, &q->include[i].refs[k], p->member, g);
		if (rc == 0 && q->include[i].n > 0) {
			if (g->n == 0)
				*empty = true;
			p->ngroups++;
		}
	}
	struct group_ids ex = {0};
	for (size_t i = 0; i < q->nexclude && rc == 0; i++)
		rc = resolve_ref(c, a, &q->exclude[i], p->member, &ex);
	if (rc)
		return rc;
	p->exclude = ex.ids;
	p->nexclude = ex.n;
	p->other_filters = p->nexclude || q->complete >= 0 || q->crossover >= 0 || q->words_from > 0 ||
	                   q->words_to > 0 || q->updated_from > 0 || q->updated_to > 0 || has_text(q->language) ||
	                   p->fts_match || p->fts_exclude || q->creator_id || q->series_id;

	p->sort = q->sort;
	if (p->sort == LISTING_RELEVANCE && !p->fts_match)
		p->sort = LISTING_UPDATED;
	if (p->sort == LISTING_SERIES && !q->series_id)
		p->sort = LISTING_UPDATED;
	if ((unsigned)p->sort > LISTING_SERIES)
		p->sort = LISTING_UPDATED;

	/* Smallest first: a series, an author, the text matches, then the rarest single-tag group when
	 * reading all of it and sorting costs less than walking the sort order until the page is full. */
	if (q->series_id) {
		p->driver = DRIVE_SERIES;
	} else if (q->creator_id) {
		p->driver = DRIVE_CREATOR;
	} else if (p->fts_match) {
		p->driver = DRIVE_TEXT;
	} else {
		p->driver = DRIVE_INDEX;
		int64_t best = -1;
		for (size_t i = 0; i < p->ngroups; i++) {
			if (p->groups[i].n == 1 && (best < 0 || p->groups[i].estimate < best)) {
				best = p->groups[i].estimate;
				p->drive_group = i;
				p->has_tag_driver = true;
			}
		}
		int per = q->per_page > 0 ? q->per_page : PER_PAGE_DEFAULT;
		int64_t want = (int64_t)(q->page > 0 ? q->page : 1) * per;
		/* Driving reads `best` rows and sorts them; walking reads about want * total / best rows, each
		 * with a probe per filter. */
		if (best >= 0 && (double)best * (double)best <= 4.0 * (double)want * (double)(archive_total + 1))
			p->driver = DRIVE_TAG;
	}
	return 0;
}

/* "FROM ... WHERE ..." shared by the page and the counting statements. use_index: walk the sort's index
 * when nothing else drives (it also covers the visibility columns). */
static void emit_from_where(struct qb *b, const struct plan *p, bool use_index)
{
	const struct listing_query *q = p->q;
	bool where = false;
#define AND() (qb_sql(b, where ? " AND " : " WHERE "), where = true)
#define AND_INT(sql, v) (AND(), qb_sql(b, sql), qb_int(b, v)) /* one condition on a number */
	switch (p->driver) {
	case DRIVE_SERIES:
		qb_sql(b, " FROM work_series ws CROSS JOIN works w INDEXED BY works_listing ON w.id = ws.work_id"
		          " WHERE ws.series_id = ");
		qb_int(b, q->series_id);
		where = true;
		break;
	case DRIVE_CREATOR:
		qb_sql(b, " FROM work_creators cr CROSS JOIN works w INDEXED BY works_listing ON w.id = cr.work_id"
		          " WHERE cr.user_id = ");
		qb_int(b, q->creator_id);
		qb_sql(b, " AND cr.accepted = 1");
		where = true;
		break;
	case DRIVE_TEXT:
		qb_sql(b, " FROM hits h CROSS JOIN works w INDEXED BY works_listing ON w.id = h.work_id");
		break;
	case DRIVE_TAG:
		qb_sql(b, " FROM filter_taggings f0 CROSS JOIN works w INDEXED BY works_listing ON w.id = f0.work_id"
		          " WHERE f0.tag_id = ");
		qb_int(b, p->groups[p->drive_group].ids[0]);
		where = true;
		break;
	case DRIVE_INDEX:
		qb_sql(b, " FROM works w");
		if (use_index && !p->drafts) {
			qb_sql(b, " INDEXED BY ");
			qb_sql(b, p->walk_index ? p->walk_index : sort_index[p->sort]);
		}
		break;
	}
	if (p->driver == DRIVE_CREATOR && q->series_id) {
		AND_INT("EXISTS (SELECT 1 FROM work_series s WHERE s.work_id = w.id AND s.series_id = ", q->series_id);
		qb_sql(b, ")");
	}
	if (p->driver == DRIVE_SERIES && q->creator_id) {
		AND_INT("EXISTS (SELECT 1 FROM work_creators c WHERE c.work_id = w.id AND c.user_id = ", q->creator_id);
		qb_sql(b, " AND c.accepted = 1)");
	}
	if (!p->drafts) {
		AND();
		qb_sql(b, "w.draft = 0");
	}
	if (!p->member) {
		AND();
		qb_sql(b, "w.restricted = 0");
	}
	/* Tags: when w comes from the covering index, its filter_tags text answers (" ID:" in it) without a
	 * lookup; walking a sort order's index, a probe of filter_taggings' primary key does. */
	bool covered = p->driver != DRIVE_INDEX || (use_index && !p->drafts && p->walk_index);
	for (size_t i = 0; i < p->ngroups; i++) {
		if (p->driver == DRIVE_TAG && i == p->drive_group)
			continue;
		AND();
		if (covered) {
			qb_sql(b, "(");
			for (size_t k = 0; k < p->groups[i].n; k++) {
				qb_sql(b, k ? " OR instr(w.filter_tags, " : "instr(w.filter_tags, ");
				qb_text(b, arena_printf(b->a, " %lld:", (long long)p->groups[i].ids[k]));
				qb_sql(b, ") > 0");
			}
			qb_sql(b, ")");
			continue;
		}
		qb_sql(b, "EXISTS (SELECT 1 FROM filter_taggings f WHERE f.work_id = w.id AND f.tag_id");
		if (p->groups[i].n == 1) {
			qb_sql(b, " = ");
			qb_int(b, p->groups[i].ids[0]);
		} else {
			qb_sql(b, " IN ");
			qb_ids(b, p->groups[i].ids, p->groups[i].n);
		}
		qb_sql(b, ")");
	}
	for (size_t i = 0; covered && i < p->nexclude; i++) {
		AND();
		qb_sql(b, "instr(w.filter_tags, ");
		qb_text(b, arena_printf(b->a, " %lld:", (long long)p->exclude[i]));
		qb_sql(b, ") = 0");
	}
	if (!covered && p->nexclude) {
		AND();
		qb_sql(b, "NOT EXISTS (SELECT 1 FROM filter_taggings f WHERE f.work_id = w.id AND f.tag_id IN ");
		qb_ids(b, p->exclude, p->nexclude);
		qb_sql(b, ")");
	}
	if (q->complete >= 0)
		AND_INT("w.complete = ", q->complete > 0);
	if (q->crossover >= 0)
		AND_INT("w.crossover = ", q->crossover > 0);
	if (q->words_from > 0)
		AND_INT("w.word_count >= ", q->words_from);
	if (q->words_to > 0)
		AND_INT("w.word_count <= ", q->words_to);
	if (q->updated_from > 0)
		AND_INT("w.updated_at >= ", q->updated_from);
	if (q->updated_to > 0)
		AND_INT("w.updated_at <= ", q->updated_to);
	if (has_text(q->language)) {
		AND();
		qb_sql(b, "w.language = ");
		qb_text(b, q->language);
		qb_sql(b, " COLLATE NOCASE");
	}
	if (p->fts_exclude) {
		AND();
		qb_sql(b, "w.id NOT IN (SELECT rowid >> 32 FROM search_chapters WHERE search_chapters MATCH ");
		qb_text(b, p->fts_exclude);
		qb_sql(b, " UNION ALL SELECT rowid FROM search_works WHERE search_works MATCH ");
		qb_text(b, p->fts_exclude);
		qb_sql(b, ")");
	}
#undef AND_INT
#undef AND
}

/* Any of the query's words in a chapter's own columns, not in what its index row carries of its work
 * (migration 7): FTS5 for `{title summary notes text} : ("a" OR "b c")`. */
static const char *in_chapter_text(struct arena *a, const struct plan *p)
{
	return arena_printf(a, "{title summary notes text} : (%s)", p->fts_any);
}

/* "WITH hits(work_id, score) AS (...)": the works whose own text or one of whose chapters matches, each
 * with its best (lowest) bm25 rank. more: another CTE follows. */
static void emit_hits(struct qb *b, const struct plan *p, bool more)
{
	if (p->driver != DRIVE_TEXT) {
		if (more)
			qb_sql(b, "WITH ");
		return;
	}
	/* A chapter's index row number carries its work's id (see the migration). */
	/* Ranking (bm25) costs more than matching: only a relevance sort pays for it. */
	bool ranked = p->sort == LISTING_RELEVANCE;
	qb_sql(b, ranked ? "WITH hits(work_id, score) AS MATERIALIZED (SELECT work_id, MIN(score) FROM ("
	                   "SELECT rowid >> 32 AS work_id, rank AS score FROM search_chapters WHERE search_chapters MATCH "
	                 : "WITH hits(work_id, score) AS MATERIALIZED (SELECT work_id, 0 FROM ("
	                   "SELECT rowid >> 32 AS work_id FROM search_chapters WHERE search_chapters MATCH ");
	/* A chapter counts when one of the words is in its own text: where all are in what it carries of its
	 * work (title, tags, creators), the work's own document matches anyway, so a word that names a big
	 * fandom does not make every chapter of it a row here. One word or one phrase must simply be in the
	 * chapter's own text: no OR of alternatives, which walks every row holding a common word. */
	bool one_item = p->q->text.nmatch == 1;
	qb_text(b, one_item ? in_chapter_text(b->a, p)
	                    : arena_printf(b->a, "(%s) AND %s", p->fts_match, in_chapter_text(b->a, p)));
	qb_sql(b, ranked ? " UNION ALL SELECT rowid, rank FROM search_works WHERE search_works MATCH "
	                 : " UNION ALL SELECT rowid FROM search_works WHERE search_works MATCH ");
	qb_text(b, p->fts_match);
	qb_sql(b, ") GROUP BY work_id)");
	qb_sql(b, more ? ", " : " ");
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
		names = sqls_grow(a, names, count, &cap, sizeof *names);
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
		w->creators = sqls_grow(a, w->creators, w->ncreators, &cap[k], sizeof *w->creators);
		struct creator *cr = &w->creators[w->ncreators++];
		cr->user_id = sqlite3_column_int64(q, 1);
		cr->name = sqls_col_text(a, q, 2);
		cr->accepted = sqlite3_column_int(q, 3) != 0;
	}
	sqls_reset(q);
	return rc;
}

/* Fills items[0..n) (in the order of ids) completely. */
static int page_read(struct sqls_conn *c, struct arena *a, const int64_t *ids, size_t n, struct work *items)
{
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

/* ---- Counting and facets --------------------------------------------------------------------------- */

static int read_counter(struct sqls_conn *c, const char *name, int64_t *out)
{
	int rc = sqls_query_int(c, out, SQL_FIND_COUNTER, "t", name);
	if (rc == Q_ENOTFOUND) {
		*out = 0;
		rc = 0;
	}
	return rc;
}

static void facet_add(struct arena *a, struct listing_result *out, size_t *cap, int64_t id, int type,
                      const char *name, int64_t count)
{
	if (type < 0 || type >= TAG_TYPE_COUNT)
		return;
	out->facets = sqls_grow(a, out->facets, out->nfacets, cap, sizeof *out->facets);
	out->facets[out->nfacets++] = (struct facet){.tag_id = id, .type = (enum tag_type)type, .name = name,
	                                            .count = count};
}

/* The archive's biggest tags of each type: the facets of the unfiltered listing. */
static int facets_global(struct sqls_conn *c, struct arena *a, bool member, struct listing_result *out)
{
	size_t cap = 0;
	int rc = 0;
	for (int t = 0; t < TAG_TYPE_COUNT && rc == 0; t++) {
		sqlite3_stmt *q = sqls_prep(c, member ? SQL_FIND_TOP_TAGS_ALL : SQL_FIND_TOP_TAGS_PUBLIC, "ii", t,
		                            FACETS_PER_TYPE);
		if (!q)
			return Q_ERR;
		while ((rc = sqls_step(c, q)) == 1)
			facet_add(a, out, &cap, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1),
			          sqls_col_text(a, q, 2), sqlite3_column_int64(q, 3));
		sqls_reset(q);
	}
	return rc;
}

/* Tag counts among the counted works, in an open-addressing table (arena memory). */
struct tally {
	int64_t *id;
	int64_t *count;
	int *type;
	size_t cap, n;
};

static void tally_add(struct arena *a, struct tally *t, int64_t id, int type)
{
	if ((t->n + 1) * 2 > t->cap) {
		struct tally nt = {.cap = t->cap ? t->cap * 2 : 1024};
		nt.id = arena_calloc(a, nt.cap, sizeof *nt.id);
		nt.count = arena_calloc(a, nt.cap, sizeof *nt.count);
		nt.type = arena_calloc(a, nt.cap, sizeof *nt.type);
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->id[i])
				continue;
			size_t j = (size_t)((uint64_t)t->id[i] * 0x9E3779B97F4A7C15ull >> 20) & (nt.cap - 1);
			while (nt.id[j])
				j = (j + 1) & (nt.cap - 1);
			nt.id[j] = t->id[i];
			nt.count[j] = t->count[i];
			nt.type[j] = t->type[i];
		}
		nt.n = t->n;
		*t = nt;
	}
	size_t j = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & (t->cap - 1);
	while (t->id[j] && t->id[j] != id)
		j = (j + 1) & (t->cap - 1);
	if (!t->id[j]) {
		t->id[j] = id;
		t->type[j] = type;
		t->n++;
	}
	t->count[j]++;
}

/* Adds the tags of one "id:type id:type" list. */
static void tally_list(struct arena *a, struct tally *t, const char *s)
{
	while (s && *s) {
		char *end;
		long long id = strtoll(s, &end, 10);
		if (end == s || *end != ':')
			return;
		long type = strtol(end + 1, &end, 10);
		if (id > 0 && type >= 0 && type < TAG_TYPE_COUNT)
			tally_add(a, t, id, (int)type);
		while (*end == ' ')
			end++;
		s = end;
	}
}

struct cand {
	int64_t id, count;
	int type;
	const char *name;
};

static int cand_by_count(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->type != b->type)
		return a->type - b->type;
	return (a->count < b->count) - (a->count > b->count);
}

/* SQLite's NOCASE: ASCII letters fold, nothing else does. */
static int nocase_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		x += x >= 'A' && x <= 'Z' ? 32 : 0;
		y += y >= 'A' && y <= 'Z' ? 32 : 0;
		if (x != y || !x)
			return x - y;
	}
}

static int cand_by_count_name(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->type != b->type)
		return a->type - b->type;
	if (a->count != b->count)
		return (a->count < b->count) - (a->count > b->count);
	return nocase_cmp(a->name ? a->name : "", b->name ? b->name : "");
}

/* The FACETS_PER_TYPE most frequent tags of each type (ties by name, as the unfiltered facets order
 * them), with their names read in one query. */
static int tally_facets(struct sqls_conn *c, struct arena *a, const struct tally *t, struct listing_result *out)
{
	struct cand *all = arena_calloc(a, t->n ? t->n : 1, sizeof *all);
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->id[i])
			all[n++] = (struct cand){t->id[i], t->count[i], t->type[i], NULL};
	qsort(all, n, sizeof *all, cand_by_count);
	/* Per type: the first FACETS_PER_TYPE, and any tied with the last of them (names decide those). */
	struct cand *keep = arena_calloc(a, n ? n : 1, sizeof *keep);
	size_t nkeep = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && all[j].type == all[i].type)
			j++;
		for (size_t k = i; k < j; k++)
			if (k - i < FACETS_PER_TYPE || all[k].count == all[i + FACETS_PER_TYPE - 1].count)
				keep[nkeep++] = all[k];
		i = j;
	}
	if (nkeep == 0)
		return 0;
	struct buf ids = BUF_INIT;
	buf_putc(&ids, '[');
	for (size_t i = 0; i < nkeep; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)keep[i].id);
	buf_putc(&ids, ']');
	sqlite3_stmt *q = sqls_prep(c, SQL_FIND_TAG_NAMES, "t", buf_cstr(&ids));
	int rc = q ? 0 : Q_ERR;
	while (q && (rc = sqls_step(c, q)) == 1) {
		int64_t id = sqlite3_column_int64(q, 0);
		for (size_t i = 0; i < nkeep; i++)
			if (keep[i].id == id)
				keep[i].name = sqls_col_text(a, q, 1);
	}
	sqls_reset(q);
	buf_free(&ids);
	if (rc)
		return rc;
	qsort(keep, nkeep, sizeof *keep, cand_by_count_name);
	size_t cap = 0;
	for (size_t i = 0, taken = 0; i < nkeep; i++) {
		taken = i && keep[i].type == keep[i - 1].type ? taken + 1 : 0;
		if (taken < FACETS_PER_TYPE && keep[i].name)
			facet_add(a, out, &cap, keep[i].id, keep[i].type, keep[i].name, keep[i].count);
	}
	return 0;
}

/* What a listing is ordered by, as the collecting statement reads it. */
static const char *const sort_key[] = {
	[LISTING_UPDATED] = "w.updated_at",       [LISTING_PUBLISHED] = "w.published_at",
	[LISTING_KUDOS] = "w.kudos_count",        [LISTING_HITS] = "w.hits_count",
	[LISTING_COMMENTS] = "w.comments_count",  [LISTING_BOOKMARKS] = "w.bookmarks_count",
	[LISTING_WORDS] = "w.word_count",         [LISTING_TITLE] = "w.title",
	[LISTING_CREATOR] = "w.creator_sort",     [LISTING_RELEVANCE] = "h.score",
	[LISTING_SERIES] = "ws.position",
};

struct row {
	int64_t id, ikey;
	double dkey;
	const char *skey;
};

/* The same order as sort_order[] (ORDER BY) gives; ctx points at the enum listing_sort. */
static int row_cmp(const void *x, const void *y, void *ctx)
{
	const struct row *a = x, *b = y;
	int c = 0;
	switch (*(const enum listing_sort *)ctx) {
	case LISTING_TITLE:
	case LISTING_CREATOR:
		c = nocase_cmp(a->skey ? a->skey : "", b->skey ? b->skey : "");
		return c ? c : (a->id > b->id) - (a->id < b->id);
	case LISTING_SERIES:
		c = (a->ikey > b->ikey) - (a->ikey < b->ikey);
		return c ? c : (a->id > b->id) - (a->id < b->id);
	case LISTING_RELEVANCE:
		c = (a->dkey > b->dkey) - (a->dkey < b->dkey);
		return c ? c : (a->id < b->id) - (a->id > b->id);
	default:
		c = (a->ikey < b->ikey) - (a->ikey > b->ikey);
		return c ? c : (a->id < b->id) - (a->id > b->id);
	}
}

static void rows_sort(struct row *rows, size_t n, enum listing_sort sort)
{
	if (n > 1)
		qsort_r(rows, n, sizeof *rows, row_cmp, &sort);
}

/* Reads the matches, up to *limit + 1 of them (LISTING_COUNT_CAP; more for a text search), with their sort
 * keys, tallying the filter tags of the first LISTING_COUNT_CAP for facets. When that was all of them the
 * page comes from these rows, sorted here, and no second statement runs. */
static int collect(struct sqls_conn *c, struct arena *a, const struct plan *page_plan, bool facets,
                   struct row **rows_out, size_t *n_out, size_t *limit, struct tally *t)
{
	/* No order is needed: start from the rarest tag even when the page would walk the sort order, and
	 * without a tag, from the narrow covering index. */
	struct plan counting = *page_plan;
	const struct plan *p = &counting;
	if (counting.driver == DRIVE_INDEX && counting.has_tag_driver)
		counting.driver = DRIVE_TAG;
	counting.walk_index = "works_listing";
	struct qb b = {.a = a};
	emit_hits(&b, p, false);
	qb_sql(&b, "SELECT w.id, ");
	qb_sql(&b, sort_key[p->sort]);
	qb_sql(&b, facets ? ", w.filter_tags" : ", NULL");
	emit_from_where(&b, p, true);
	*limit = (size_t)(p->driver == DRIVE_TEXT ? TEXT_COLLECT_CAP : COUNT_CAP);
	qb_sql(&b, " LIMIT ");
	qb_int(&b, (int64_t)*limit + 1);
	sqlite3_stmt *q = qb_prepare(c, &b);
	buf_free(&b.sql);
	if (!q)
		return Q_ERR;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	bool text_key = p->sort == LISTING_TITLE || p->sort == LISTING_CREATOR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		rows = sqls_grow(a, rows, n, &cap, sizeof *rows);
		struct row *r = &rows[n++];
		r->id = sqlite3_column_int64(q, 0);
		r->ikey = sqlite3_column_int64(q, 1);
		r->dkey = sqlite3_column_double(q, 1);
		r->skey = text_key ? sqls_col_text(a, q, 1) : NULL;
		if (facets && n <= (size_t)COUNT_CAP)
			tally_list(a, t, (const char *)sqlite3_column_text(q, 2));
	}
	sqlite3_finalize(q);
	*rows_out = rows;
	*n_out = n;
	return rc;
}

/* ---- Snippets ---------------------------------------------------------------------------------------- */

static int snippets(struct sqls_conn *c, struct arena *a, const struct plan *p, struct listing_result *out)
{
	out->snippets = arena_calloc(a, out->n ? out->n : 1, sizeof *out->snippets);
	/* From the chapter's own text, never the work's title and tags its index row also holds: the first
	 * chapter holding one of the words, highlighting each. */
	const char *in_chapter = in_chapter_text(a, p), *match = p->fts_match;
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
	if (!q || q->page > LISTING_MAX_PAGES || q->per_page < 0 || q->per_page > PER_PAGE_MAX)
		return Q_EINVAL;
	int per = q->per_page ? q->per_page : PER_PAGE_DEFAULT;
	int page = q->page > 0 ? q->page : 1;
	int rc = sqls_rd_begin_listing(s, &c);
	if (rc)
		return rc;
	bool member = q->viewer_id != 0, empty = false;
	int64_t archive = 0;
	struct plan p;
	if ((rc = read_counter(c, member ? "works_posted" : "works_public", &archive)))
		goto done;
	if ((rc = plan_make(c, a, q, &p, archive, &empty)))
		goto done;
	if (empty) {
		out->unknown_tag = true;
		goto done;
	}

	int64_t offset = (int64_t)(page - 1) * per;
	int64_t *ids = arena_calloc(a, (size_t)per, sizeof *ids);
	size_t n = 0;
	bool unfiltered = p.ngroups == 0 && !p.other_filters;
	bool one_tag = p.ngroups == 1 && p.groups[0].n == 1 && !p.other_filters;
	bool need_page_query = true;
	if (unfiltered) {
		out->total = archive;
		if (q->facets && (rc = facets_global(c, a, member, out)))
			goto done;
	} else {
		/* Every match up to the cap: the count, the facets, and usually the page too. */
		struct row *rows = NULL;
		size_t nrows = 0;
		size_t limit = 0;
		struct tally t = {0};
		if ((rc = collect(c, a, &p, q->facets, &rows, &nrows, &limit, &t)))
			goto done;
		bool complete = nrows <= limit;
		if (one_tag) {
			out->total = p.groups[0].estimate;
		} else if (!complete) {
			out->total = (int64_t)limit;
			out->total_capped = true;
		} else {
			out->total = (int64_t)nrows;
		}
		out->facets_sampled = nrows > (size_t)COUNT_CAP;
		if (q->facets && (rc = tally_facets(c, a, &t, out)))
			goto done;
		if (complete) {
			rows_sort(rows, nrows, p.sort);
			for (int64_t i = offset; i < (int64_t)nrows && n < (size_t)per; i++)
				ids[n++] = rows[i].id;
			need_page_query = false;
		}
	}
	if (need_page_query) {
		struct qb b = {.a = a};
		emit_hits(&b, &p, false);
		qb_sql(&b, "SELECT w.id");
		emit_from_where(&b, &p, true);
		qb_sql(&b, " ORDER BY ");
		qb_sql(&b, sort_order[p.sort]);
		qb_sql(&b, " LIMIT ");
		qb_int(&b, per);
		qb_sql(&b, " OFFSET ");
		qb_int(&b, offset);
		sqlite3_stmt *pq = qb_prepare(c, &b);
		buf_free(&b.sql);
		if (!pq) {
			rc = Q_ERR;
			goto done;
		}
		while ((rc = sqls_step(c, pq)) == 1 && n < (size_t)per)
			ids[n++] = sqlite3_column_int64(pq, 0);
		sqlite3_finalize(pq);
		if (rc < 0)
			goto done;
		rc = 0;
	}
	out->items = arena_calloc(a, n ? n : 1, sizeof *out->items);
	out->n = n;
	if (n && (rc = page_read(c, a, ids, n, out->items)))
		goto done;
	if (rc == 0 && p.fts_match)
		rc = snippets(c, a, &p, out);
done:
	sqls_rd_end(s, c);
	return rc;
}
