/* The listing planner, written once for every SQL backend: filters, sorts, counts, facets and text search
 * decided here and written through the backend's dialect (listing_plan.h).
 *
 * Every listing is one statement for the page and, when needed, one for counting and facets. The planner
 * picks what drives each statement: a series, an author, the text matches, the rarest included tag, or the
 * index of the sort order walked until the page is full. Each filter is its own predicate on indexed
 * columns or an EXISTS probe on filter_taggings' primary key; there are no catch-all predicates. Works,
 * tags and creators of a page are then read by the backend with one query each.
 *
 * Counting: unfiltered listings take their totals from the counters, single-tag listings from the tag's
 * counts; everything else counts at most LISTING_COUNT_CAP + 1 matches (the answer says "more"). Facets
 * count the filter tags of those same (at most LISTING_COUNT_CAP + 1) works; unfiltered facets are the
 * archive's biggest tags. */
#include "store/listing_plan.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX 100
#define FACETS_PER_TYPE 10
int listing_count_cap;
#define COUNT_CAP (listing_count_cap > 0 ? listing_count_cap : LISTING_COUNT_CAP)
/* A text search has found all its matches before the first row comes back: reading more of them costs a
 * little per row, running the search a second time for the page costs far more. */
#define TEXT_COLLECT_CAP (listing_count_cap > 0 ? listing_count_cap : 200000)

/* ---- Statements ----------------------------------------------------------------------------------------- */

void listing_sql(struct listing_stmt *s, const char *sql)
{
	buf_puts(&s->sql, sql);
}

static struct listing_param *param(struct listing_stmt *s, char kind)
{
	s->p = arena_grow(s->a, s->p, s->n, &s->cap, sizeof *s->p);
	s->d->param(&s->sql, (int)s->n + 1);
	struct listing_param *p = &s->p[s->n++];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	return p;
}

void listing_int(struct listing_stmt *s, int64_t v)
{
	param(s, 'I')->i = v;
}

void listing_bool(struct listing_stmt *s, bool v)
{
	param(s, 'b')->i = v;
}

void listing_text(struct listing_stmt *s, const char *v)
{
	param(s, 't')->s = v;
}

void listing_stmt_free(struct listing_stmt *s)
{
	buf_free(&s->sql);
}

/* fmt with its %s replaced by expr. */
static void put_fmt1(struct listing_stmt *s, const char *fmt, const char *expr)
{
	const char *at = strstr(fmt, "%s");
	buf_append(&s->sql, fmt, (size_t)(at - fmt));
	listing_sql(s, expr);
	listing_sql(s, at + 2);
}

/* fmt (two %s) with the first replaced by column, the second by a text parameter's placeholder. */
static void put_fmt2(struct listing_stmt *s, const char *fmt, const char *column, const char *text)
{
	const char *first = strstr(fmt, "%s"), *second = strstr(first + 2, "%s");
	buf_append(&s->sql, fmt, (size_t)(first - fmt));
	listing_sql(s, column);
	buf_append(&s->sql, first + 2, (size_t)(second - first - 2));
	listing_text(s, text);
	listing_sql(s, second + 2);
}

/* "(?, ?, ?)" for ids. */
static void put_ids(struct listing_stmt *s, const int64_t *ids, size_t n)
{
	listing_sql(s, "(");
	for (size_t i = 0; i < n; i++) {
		if (i)
			listing_sql(s, ", ");
		listing_int(s, ids[i]);
	}
	listing_sql(s, ")");
}

/* ---- The plan ------------------------------------------------------------------------------------------- */

void listing_tag_ids_add(struct arena *a, struct listing_tag_ids *g, int64_t id, int64_t count)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->ids[i] == id)
			return;
	g->ids = arena_grow(a, g->ids, g->n, &g->cap, sizeof *g->ids);
	g->ids[g->n++] = id;
	g->estimate += count;
}

enum driver { DRIVE_INDEX, DRIVE_TAG, DRIVE_TEXT, DRIVE_CREATOR, DRIVE_SERIES };

struct plan {
	const struct listing_query *q;
	bool member, drafts;
	struct listing_tag_ids *groups;
	size_t ngroups;
	int64_t *exclude;
	size_t nexclude;
	enum driver driver;
	size_t drive_group; /* with DRIVE_TAG */
	bool has_tag_driver; /* drive_group names the rarest single-tag group (counting always starts there) */
	const char *walk_index; /* DRIVE_INDEX walks this index (NULL: the sort order's) */
	enum listing_sort sort;
	bool other_filters; /* anything besides tag groups */
	bool text, text_exclude; /* match terms; exclude terms */
};

static const char *const sort_index[] = {
	[LISTING_UPDATED] = "works_by_updated",     [LISTING_PUBLISHED] = "works_by_published",
	[LISTING_KUDOS] = "works_by_kudos",         [LISTING_HITS] = "works_by_hits",
	[LISTING_COMMENTS] = "works_by_comments",   [LISTING_BOOKMARKS] = "works_by_bookmarks",
	[LISTING_WORDS] = "works_by_words",         [LISTING_TITLE] = "works_by_title",
	[LISTING_CREATOR] = "works_by_creator",     [LISTING_RELEVANCE] = NULL,
	[LISTING_SERIES] = NULL,
};

/* ORDER BY of the page statement; a text key (nocase) goes through the dialect. */
static const struct {
	const char *key, *rest;
	bool nocase;
} sort_order[] = {
	[LISTING_UPDATED] = {"w.updated_at DESC", ", w.id DESC", false},
	[LISTING_PUBLISHED] = {"w.published_at DESC", ", w.id DESC", false},
	[LISTING_KUDOS] = {"w.kudos_count DESC", ", w.id DESC", false},
	[LISTING_HITS] = {"w.hits_count DESC", ", w.id DESC", false},
	[LISTING_COMMENTS] = {"w.comments_count DESC", ", w.id DESC", false},
	[LISTING_BOOKMARKS] = {"w.bookmarks_count DESC", ", w.id DESC", false},
	[LISTING_WORDS] = {"w.word_count DESC", ", w.id DESC", false},
	[LISTING_TITLE] = {"w.title", ", w.id", true},
	[LISTING_CREATOR] = {"w.creator_sort", ", w.id", true},
	[LISTING_RELEVANCE] = {"h.score", ", w.id DESC", false},
	[LISTING_SERIES] = {"ws.position", ", w.id", false},
};

static bool has_text(const char *s)
{
	return s && *s;
}

/* Resolves tag names and chooses what drives the statements. *empty when an included tag is unknown. */
static int plan_make(const struct listing_exec *x, struct arena *a, const struct listing_query *q, struct plan *p,
                     int64_t archive_total, bool *empty)
{
	memset(p, 0, sizeof *p);
	*empty = false;
	p->q = q;
	p->text = q->text.nmatch > 0;
	p->text_exclude = q->text.nexclude > 0;
	p->member = q->viewer_id != 0;
	p->drafts = q->include_drafts && q->creator_id != 0 && q->creator_id == q->viewer_id;
	p->groups = q->ninclude ? arena_calloc(a, q->ninclude, sizeof *p->groups) : NULL;
	int rc = 0;
	for (size_t i = 0; i < q->ninclude && rc == 0; i++) {
		struct listing_tag_ids *g = &p->groups[p->ngroups];
		for (size_t k = 0; k < q->include[i].n && rc == 0; k++)
			rc = x->tag_ids(x->ctx, a, &q->include[i].refs[k], p->member, g);
		if (rc == 0 && q->include[i].n > 0) {
			if (g->n == 0)
				*empty = true;
			p->ngroups++;
		}
	}
	struct listing_tag_ids ex = {0};
	for (size_t i = 0; i < q->nexclude && rc == 0; i++)
		rc = x->tag_ids(x->ctx, a, &q->exclude[i], p->member, &ex);
	if (rc)
		return rc;
	p->exclude = ex.ids;
	p->nexclude = ex.n;
	p->other_filters = p->nexclude || q->nexclude_creators || q->complete >= 0 || q->crossover >= 0 || q->words_from > 0 ||
	                   q->words_to > 0 || q->updated_from > 0 || q->updated_to > 0 || has_text(q->language) ||
	                   p->text || p->text_exclude || q->creator_id || q->series_id;

	p->sort = q->sort;
	if (p->sort == LISTING_RELEVANCE && !p->text)
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
	} else if (p->text) {
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

/* Appends the dialect's hint to walk index (nothing when the database picks). */
static void emit_hint(struct listing_stmt *s, const char *index)
{
	if (s->d->index_hint)
		put_fmt1(s, s->d->index_hint, index);
}

/* " ID:" as filter_tags holds a tag (listing_plan.h). */
static const char *tag_needle(struct arena *a, int64_t id)
{
	return arena_printf(a, " %lld:", (long long)id);
}

/* "FROM ... WHERE ..." shared by the page and the counting statements. use_index: walk the sort's index
 * when nothing else drives (it also covers the visibility columns). */
static void emit_from_where(struct listing_stmt *b, const struct plan *p, bool use_index)
{
	const struct listing_query *q = p->q;
	const struct sql_dialect *d = b->d;
	bool where = false;
#define AND() (listing_sql(b, where ? " AND " : " WHERE "), where = true)
#define AND_INT(sql, v) (AND(), listing_sql(b, sql), listing_int(b, v)) /* one condition on a number */
#define AND_BOOL(sql, v) (AND(), listing_sql(b, sql), listing_bool(b, v))
	switch (p->driver) {
	case DRIVE_SERIES:
		listing_sql(b, " FROM work_series ws");
		listing_sql(b, d->join_driven);
		listing_sql(b, "works w");
		emit_hint(b, "works_listing");
		listing_sql(b, " ON w.id = ws.work_id WHERE ws.series_id = ");
		listing_int(b, q->series_id);
		where = true;
		break;
	case DRIVE_CREATOR:
		listing_sql(b, " FROM work_creators cr");
		listing_sql(b, d->join_driven);
		listing_sql(b, "works w");
		emit_hint(b, "works_listing");
		listing_sql(b, " ON w.id = cr.work_id WHERE cr.user_id = ");
		listing_int(b, q->creator_id);
		listing_sql(b, " AND ");
		put_fmt1(b, d->is_true, "cr.accepted");
		where = true;
		break;
	case DRIVE_TEXT:
		listing_sql(b, " FROM hits h");
		listing_sql(b, d->join_driven);
		listing_sql(b, "works w");
		emit_hint(b, "works_listing");
		listing_sql(b, " ON w.id = h.work_id");
		break;
	case DRIVE_TAG:
		listing_sql(b, " FROM filter_taggings f0");
		listing_sql(b, d->join_driven);
		listing_sql(b, "works w");
		emit_hint(b, "works_listing");
		listing_sql(b, " ON w.id = f0.work_id WHERE f0.tag_id = ");
		listing_int(b, p->groups[p->drive_group].ids[0]);
		where = true;
		break;
	case DRIVE_INDEX:
		listing_sql(b, " FROM works w");
		if (use_index && !p->drafts)
			emit_hint(b, p->walk_index ? p->walk_index : sort_index[p->sort]);
		break;
	}
	if (p->driver == DRIVE_CREATOR && q->series_id) {
		AND_INT("EXISTS (SELECT 1 FROM work_series s WHERE s.work_id = w.id AND s.series_id = ", q->series_id);
		listing_sql(b, ")");
	}
	if (p->driver == DRIVE_SERIES && q->creator_id) {
		AND_INT("EXISTS (SELECT 1 FROM work_creators c WHERE c.work_id = w.id AND c.user_id = ", q->creator_id);
		listing_sql(b, " AND ");
		put_fmt1(b, d->is_true, "c.accepted");
		listing_sql(b, ")");
	}
	if (!p->drafts) {
		AND();
		put_fmt1(b, d->is_false, "w.draft");
	} else {
		/* The creator's own: drafts and works moderators hid, not those they deleted. works.draft holds the
		 * work's state (0 posted, 1 draft, 2 hidden, 3 deleted by moderators): a number in every dialect. */
		AND();
		listing_sql(b, "w.draft < 3");
	}
	if (!p->member) {
		AND();
		put_fmt1(b, d->is_false, "w.restricted");
	}
	/* Tags: when w comes from the covering index, its filter_tags text answers (" ID:" in it) without a
	 * lookup; walking a sort order's index, a probe of filter_taggings' primary key does. */
	bool covered = p->driver != DRIVE_INDEX || (use_index && !p->drafts && p->walk_index);
	for (size_t i = 0; i < p->ngroups; i++) {
		if (p->driver == DRIVE_TAG && i == p->drive_group)
			continue;
		AND();
		if (covered) {
			listing_sql(b, "(");
			for (size_t k = 0; k < p->groups[i].n; k++) {
				if (k)
					listing_sql(b, " OR ");
				put_fmt2(b, d->contains, "w.filter_tags", tag_needle(b->a, p->groups[i].ids[k]));
			}
			listing_sql(b, ")");
			continue;
		}
		listing_sql(b, "EXISTS (SELECT 1 FROM filter_taggings f WHERE f.work_id = w.id AND f.tag_id");
		if (p->groups[i].n == 1) {
			listing_sql(b, " = ");
			listing_int(b, p->groups[i].ids[0]);
		} else {
			listing_sql(b, " IN ");
			put_ids(b, p->groups[i].ids, p->groups[i].n);
		}
		listing_sql(b, ")");
	}
	for (size_t i = 0; covered && i < p->nexclude; i++) {
		AND();
		put_fmt2(b, d->lacks, "w.filter_tags", tag_needle(b->a, p->exclude[i]));
	}
	if (!covered && p->nexclude) {
		AND();
		listing_sql(b, "NOT EXISTS (SELECT 1 FROM filter_taggings f WHERE f.work_id = w.id AND f.tag_id IN ");
		put_ids(b, p->exclude, p->nexclude);
		listing_sql(b, ")");
	}
	if (q->nexclude_creators) { /* a reader's muted authors: a probe of the creators' key per work */
		AND();
		listing_sql(b, "NOT EXISTS (SELECT 1 FROM work_creators mc WHERE mc.work_id = w.id AND mc.user_id IN ");
		put_ids(b, q->exclude_creators, q->nexclude_creators);
		listing_sql(b, ")");
	}
	if (q->complete >= 0)
		AND_BOOL("w.complete = ", q->complete > 0);
	if (q->crossover >= 0)
		AND_BOOL("w.crossover = ", q->crossover > 0);
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
		put_fmt2(b, d->equal_nocase, "w.language", q->language);
	}
	if (p->text_exclude) {
		AND();
		d->text_exclude(b, &q->text);
	}
#undef AND_BOOL
#undef AND_INT
#undef AND
}

/* "WITH hits(work_id, score) AS (...)" when the text drives (relevance ranks it). */
static void emit_hits(struct listing_stmt *b, const struct plan *p)
{
	if (p->driver == DRIVE_TEXT) {
		b->d->text_hits(b, &p->q->text, p->sort == LISTING_RELEVANCE);
		listing_sql(b, " ");
	}
}

/* ---- Counting and facets --------------------------------------------------------------------------------- */

struct facets_add {
	struct arena *a;
	struct listing_result *out;
	size_t cap;
	int type;
};

static void facet_add(struct facets_add *f, int64_t id, int type, const char *name, int64_t count)
{
	if (type < 0 || type >= TAG_TYPE_COUNT)
		return;
	f->out->facets = arena_grow(f->a, f->out->facets, f->out->nfacets, &f->cap, sizeof *f->out->facets);
	f->out->facets[f->out->nfacets++] = (struct facet){.tag_id = id, .type = (enum tag_type)type, .name = name,
	                                                  .count = count};
}

static void top_tag(void *arg, int64_t id, const char *name, int64_t count)
{
	struct facets_add *f = arg;
	facet_add(f, id, f->type, name, count);
}

/* The archive's biggest tags of each type: the facets of the unfiltered listing. */
static int facets_global(const struct listing_exec *x, struct arena *a, bool member, struct listing_result *out)
{
	struct facets_add f = {a, out, 0, 0};
	int rc = 0;
	for (f.type = 0; f.type < TAG_TYPE_COUNT && rc == 0; f.type++)
		rc = x->top_tags(x->ctx, a, member, f.type, FACETS_PER_TYPE, top_tag, &f);
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

/* SQLite's NOCASE, which every dialect's order_nocase keeps: ASCII letters fold, nothing else does. */
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
 * them), with their names read in one lookup. */
static int tally_facets(const struct listing_exec *x, struct arena *a, const struct tally *t,
                        struct listing_result *out)
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
	int64_t *ids = arena_calloc(a, nkeep, sizeof *ids);
	const char **names = arena_calloc(a, nkeep, sizeof *names);
	for (size_t i = 0; i < nkeep; i++)
		ids[i] = keep[i].id;
	int rc = x->tag_names(x->ctx, a, ids, nkeep, names);
	if (rc)
		return rc;
	for (size_t i = 0; i < nkeep; i++)
		keep[i].name = names[i];
	qsort(keep, nkeep, sizeof *keep, cand_by_count_name);
	struct facets_add f = {a, out, 0, 0};
	for (size_t i = 0, taken = 0; i < nkeep; i++) {
		taken = i && keep[i].type == keep[i - 1].type ? taken + 1 : 0;
		if (taken < FACETS_PER_TYPE && keep[i].name)
			facet_add(&f, keep[i].id, keep[i].type, keep[i].name, keep[i].count);
	}
	return 0;
}

/* What a listing is ordered by, as the collecting statement reads it, and how its column reads. */
static const struct {
	const char *column;
	enum listing_key kind;
} sort_key[] = {
	[LISTING_UPDATED] = {"w.updated_at", LISTING_KEY_INT},       [LISTING_PUBLISHED] = {"w.published_at", LISTING_KEY_INT},
	[LISTING_KUDOS] = {"w.kudos_count", LISTING_KEY_INT},        [LISTING_HITS] = {"w.hits_count", LISTING_KEY_INT},
	[LISTING_COMMENTS] = {"w.comments_count", LISTING_KEY_INT},  [LISTING_BOOKMARKS] = {"w.bookmarks_count", LISTING_KEY_INT},
	[LISTING_WORDS] = {"w.word_count", LISTING_KEY_INT},         [LISTING_TITLE] = {"w.title", LISTING_KEY_TEXT},
	[LISTING_CREATOR] = {"w.creator_sort", LISTING_KEY_TEXT},    [LISTING_RELEVANCE] = {"h.score", LISTING_KEY_REAL},
	[LISTING_SERIES] = {"ws.position", LISTING_KEY_INT},
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

struct collected {
	struct arena *a;
	struct row *rows;
	size_t n, cap;
	bool facets;
	struct tally *t;
};

static void collect_row(void *arg, const struct listing_row *r)
{
	struct collected *c = arg;
	c->rows = arena_grow(c->a, c->rows, c->n, &c->cap, sizeof *c->rows);
	c->rows[c->n++] = (struct row){r->id, r->ikey, r->dkey, r->skey ? arena_strdup(c->a, r->skey) : NULL};
	if (c->facets && c->n <= (size_t)COUNT_CAP)
		tally_list(c->a, c->t, r->filter_tags);
}

/* Reads the matches, up to *limit + 1 of them (LISTING_COUNT_CAP; more for a text search), with their sort
 * keys, tallying the filter tags of the first LISTING_COUNT_CAP for facets. When that was all of them the
 * page comes from these rows, sorted here, and no second statement runs. */
static int collect(const struct listing_exec *x, struct arena *a, const struct plan *page_plan, bool facets,
                   struct tally *t, struct collected *c, size_t *limit)
{
	/* No order is needed: start from the rarest tag even when the page would walk the sort order, and
	 * without a tag, from the narrow covering index. */
	struct plan counting = *page_plan;
	const struct plan *p = &counting;
	if (counting.driver == DRIVE_INDEX && counting.has_tag_driver)
		counting.driver = DRIVE_TAG;
	counting.walk_index = "works_listing";
	struct listing_stmt b = {.d = x->d, .a = a};
	emit_hits(&b, p);
	listing_sql(&b, "SELECT w.id, ");
	listing_sql(&b, sort_key[p->sort].column);
	listing_sql(&b, facets ? ", w.filter_tags" : ", NULL");
	emit_from_where(&b, p, true);
	*limit = (size_t)(p->driver == DRIVE_TEXT ? TEXT_COLLECT_CAP : COUNT_CAP);
	listing_sql(&b, " LIMIT ");
	listing_int(&b, (int64_t)*limit + 1);
	*c = (struct collected){.a = a, .facets = facets, .t = t};
	int rc = x->rows(x->ctx, a, &b, sort_key[p->sort].kind, 0, collect_row, c);
	listing_stmt_free(&b);
	return rc;
}

struct page_ids {
	int64_t *ids;
	size_t n, max;
};

static void page_row(void *arg, const struct listing_row *r)
{
	struct page_ids *p = arg;
	if (p->n < p->max)
		p->ids[p->n++] = r->id;
}

/* ---- The operation -------------------------------------------------------------------------------------- */

int listing_find(const struct listing_exec *x, struct arena *a, const struct listing_query *q,
                 struct listing_result *out)
{
	memset(out, 0, sizeof *out);
	if (!q || q->page > LISTING_MAX_PAGES || q->per_page < 0 || q->per_page > PER_PAGE_MAX)
		return Q_EINVAL;
	int per = q->per_page ? q->per_page : PER_PAGE_DEFAULT;
	int page = q->page > 0 ? q->page : 1;
	bool member = q->viewer_id != 0, empty = false;
	int64_t archive = 0;
	struct plan p;
	int rc = x->counter(x->ctx, member ? "works_posted" : "works_public", &archive);
	if (rc || (rc = plan_make(x, a, q, &p, archive, &empty)))
		return rc;
	if (empty) {
		out->unknown_tag = true;
		return 0;
	}

	int64_t offset = (int64_t)(page - 1) * per;
	struct page_ids ids = {arena_calloc(a, (size_t)per, sizeof *ids.ids), 0, (size_t)per};
	bool unfiltered = p.ngroups == 0 && !p.other_filters;
	bool one_tag = p.ngroups == 1 && p.groups[0].n == 1 && !p.other_filters;
	bool need_page_query = true;
	if (unfiltered) {
		out->total = archive;
		if (q->facets && (rc = facets_global(x, a, member, out)))
			return rc;
	} else {
		/* Every match up to the cap: the count, the facets, and usually the page too. */
		struct collected c;
		size_t limit = 0;
		struct tally t = {0};
		if ((rc = collect(x, a, &p, q->facets, &t, &c, &limit)))
			return rc;
		bool complete = c.n <= limit;
		if (one_tag) {
			out->total = p.groups[0].estimate;
		} else if (!complete) {
			out->total = (int64_t)limit;
			out->total_capped = true;
		} else {
			out->total = (int64_t)c.n;
		}
		out->facets_sampled = c.n > (size_t)COUNT_CAP;
		if (q->facets && (rc = tally_facets(x, a, &t, out)))
			return rc;
		if (complete) {
			rows_sort(c.rows, c.n, p.sort);
			for (int64_t i = offset; i < (int64_t)c.n && ids.n < (size_t)per; i++)
				ids.ids[ids.n++] = c.rows[i].id;
			need_page_query = false;
		}
	}
	if (need_page_query) {
		struct listing_stmt b = {.d = x->d, .a = a};
		emit_hits(&b, &p);
		listing_sql(&b, "SELECT w.id");
		emit_from_where(&b, &p, true);
		listing_sql(&b, " ORDER BY ");
		if (sort_order[p.sort].nocase)
			put_fmt1(&b, x->d->order_nocase, sort_order[p.sort].key);
		else
			listing_sql(&b, sort_order[p.sort].key);
		listing_sql(&b, sort_order[p.sort].rest);
		listing_sql(&b, " LIMIT ");
		listing_int(&b, per);
		listing_sql(&b, " OFFSET ");
		listing_int(&b, offset);
		rc = x->rows(x->ctx, a, &b, LISTING_KEY_NONE, (size_t)per, page_row, &ids);
		listing_stmt_free(&b);
		if (rc)
			return rc;
	}
	out->items = arena_calloc(a, ids.n ? ids.n : 1, sizeof *out->items);
	out->n = ids.n;
	if (ids.n && (rc = x->works(x->ctx, a, ids.ids, ids.n, out->items)))
		return rc;
	if (p.text) {
		out->snippets = arena_calloc(a, out->n ? out->n : 1, sizeof *out->snippets);
		rc = x->snippets(x->ctx, a, &q->text, out);
	}
	return rc;
}
