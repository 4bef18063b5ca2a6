/* PostgreSQL backend: work listings. The planner (store/listing_plan.c) decides and writes the statements; this
 * file is PostgreSQL's dialect of them (tsquery text search over the tsvector columns and their GIN indexes, $N
 * placeholders, no index hints, quire_nocase for SQLite's NOCASE) and the executor that runs them and reads a
 * page of works, its facets' names and its snippets.
 *
 * Search terms become tsqueries here. Each term is one quoted to_tsquery operand, which PostgreSQL splits as it
 * splits documents: several words (a phrase, "well-known", "don't") are matched next to each other in order
 * (<->), one word alone; accents and English endings fold as in the documents (the quire configuration). The
 * documents' weights say where words stand (migration 1): D is a work's or chapter's own text, so a chapter
 * counts when one term is in its own text (term:D) as on SQLite, whose chapter rows carry their work's title,
 * tags and creators too. */
#include "store/pg/pg_int.h"
#include "store/listing_plan.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/tagname.h"
#include <stdlib.h>
#include <string.h>

#define SNIPPET_WORDS 24

/* ---- Terms as tsquery text ------------------------------------------------------------------------------- */

/* One term as a to_tsquery operand: quoted (what a reader typed is only ever text: & | ! ( ) : * inside quotes
 * are not operators), with an optional weight. */
static void operand(struct buf *b, const struct search_term *t, const char *weight)
{
	buf_putc(b, '\'');
	for (const char *p = t->text; p && *p; p++) {
		if (*p == '\'' || *p == '\\')
			buf_putc(b, *p);
		buf_putc(b, *p);
	}
	buf_putc(b, '\'');
	if (weight)
		buf_puts(b, weight);
}

/* The terms joined by op ("&": every one, "|": any), each with weight. */
static const char *tsquery_of(struct arena *a, const struct search_term *terms, size_t n, const char *op,
                              const char *weight)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_printf(&b, " %s ", op);
		operand(&b, &terms[i], weight);
	}
	const char *q = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return q;
}

/* What a chapter's document must hold: every term, one of them in its own text. One term: it, in its own text. */
static const char *chapter_query(struct arena *a, const struct search_terms *t)
{
	const char *own = tsquery_of(a, t->match, t->nmatch, "|", ":D");
	if (t->nmatch == 1)
		return own;
	return arena_printf(a, "(%s) & (%s)", tsquery_of(a, t->match, t->nmatch, "&", NULL), own);
}

/* ---- The dialect ------------------------------------------------------------------------------------------ */

static void param(struct buf *b, int n)
{
	buf_printf(b, "$%d", n);
}

/* "WITH hits(work_id, score) AS (...)": the works whose own document or one of whose chapters matches, each with
 * its best score (a negated ts_rank: lower is better, as SQLite's bm25). */
static void text_hits(struct listing_stmt *b, const struct search_terms *t, bool ranked)
{
	listing_sql(b, ranked ? "WITH hits(work_id, score) AS MATERIALIZED (SELECT work_id, MIN(score) FROM ("
	                        "SELECT c.work_id, -ts_rank(c.search, q.q) AS score"
	                      : "WITH hits(work_id, score) AS MATERIALIZED (SELECT work_id, 0 FROM ("
	                        "SELECT c.work_id");
	listing_sql(b, " FROM to_tsquery('quire', ");
	listing_text(b, chapter_query(b->a, t));
	listing_sql(b, ") q(q), chapters c WHERE c.search @@ q.q UNION ALL SELECT x.id");
	listing_sql(b, ranked ? ", -ts_rank(x.search, q.q)" : "");
	listing_sql(b, " FROM to_tsquery('quire', ");
	listing_text(b, tsquery_of(b->a, t->match, t->nmatch, "&", NULL));
	listing_sql(b, ") q(q), works x WHERE x.search @@ q.q) m GROUP BY work_id)");
}

/* No document of the work (its own, or a chapter's) holds any exclude term. */
static void text_exclude(struct listing_stmt *b, const struct search_terms *t)
{
	const char *any = tsquery_of(b->a, t->exclude, t->nexclude, "|", NULL);
	listing_sql(b, "NOT EXISTS (SELECT 1 FROM chapters xc WHERE xc.work_id = w.id AND xc.search @@ to_tsquery('quire', ");
	listing_text(b, any);
	listing_sql(b, ")) AND NOT w.search @@ to_tsquery('quire', ");
	listing_text(b, any);
	listing_sql(b, ")");
}

static const struct sql_dialect pg_dialect = {
	.name = "postgresql",
	.param = param,
	.index_hint = NULL,
	/* The flags are integers 0 and 1, as on SQLite (quire store copy keeps every value). */
	.is_false = "%s = 0",
	.is_true = "%s = 1",
	/* SQLite's NOCASE (ASCII letters fold) on a column that sorts byte by byte (COLLATE "C"): the order of the
	 * works_by_title and works_by_creator indexes. */
	.order_nocase = "quire_nocase(%s)",
	.join_driven = " JOIN ",
	.equal_nocase = "quire_nocase(%s) = quire_nocase(%s)",
	.contains = "strpos(%s, %s) > 0",
	.lacks = "strpos(%s, %s) = 0",
	.text_hits = text_hits,
	.text_exclude = text_exclude,
};

/* ---- The executor ------------------------------------------------------------------------------------------ */

/* The filter tags a name stands for (a synonym stands for its canonical), with their counts. */
#define TAG_FILTER_IDS "SELECT DISTINCT coalesce(t.merger_id, t.id), coalesce(m.works_count, t.works_count)," \
	" coalesce(m.public_count, t.public_count) FROM tags t LEFT JOIN tags m ON m.id = t.merger_id"
static struct pg_stmt TAG_FILTER_IDS_TYPE = PG_STMT(TAG_FILTER_IDS " WHERE t.type = $2 AND t.norm = $1");
static struct pg_stmt TAG_FILTER_IDS_ANY = PG_STMT(TAG_FILTER_IDS
	" WHERE t.type IN (0, 1, 2, 3, 4, 5, 6) AND t.norm = $1");
static struct pg_stmt COUNTER = PG_STMT("SELECT value FROM counters WHERE name = $1");
static struct pg_stmt TOP_TAGS_PUBLIC = PG_STMT("SELECT t.id, t.name, t.public_count FROM tags t WHERE t.type = $1"
	" AND t.merger_id IS NULL AND t.public_count > 0 ORDER BY t.public_count DESC, t.name LIMIT $2");
static struct pg_stmt TOP_TAGS_ALL = PG_STMT("SELECT t.id, t.name, t.works_count FROM tags t WHERE t.type = $1"
	" AND t.merger_id IS NULL AND t.works_count > 0 ORDER BY t.works_count DESC, t.name LIMIT $2");
static struct pg_stmt TAG_NAMES = PG_STMT("SELECT id, name FROM tags WHERE id = ANY ($1::bigint[])");
/* A page's works with their tags and creators, in one query ($1: the ids as an array; PG_WORK_ROWS). */
static struct pg_stmt PAGE_WORKS = PG_STMT(PG_WORK_ROWS " WHERE w.id = ANY ($1::bigint[])");
/* Where the shown works matched ($1: their ids): each one's first chapter in reading order with a term in its own
 * text, else its own text. The pieces come back as stored HTML, made text here by the same C as the documents were. */
static struct pg_stmt SNIPPET_CHAPTERS = PG_STMT("SELECT DISTINCT ON (c.work_id) c.work_id, c.title, c.summary_html,"
	" c.notes_html, c.end_notes_html, c.content_html FROM chapters c WHERE c.work_id = ANY ($1::bigint[])"
	" AND c.search @@ to_tsquery('quire', $2) ORDER BY c.work_id, c.position");
static struct pg_stmt SNIPPET_WORKS = PG_STMT("SELECT id, title, summary_html, notes_html, end_notes_html, ''"
	" FROM works WHERE id = ANY ($1::bigint[]) AND search @@ to_tsquery('quire', $2)");
/* For each row of pieces ($2 texts, $3 summaries, $4 notes, $5 titles), the words around the matches of the first
 * piece that holds a term, all in one statement. */
static struct pg_stmt HEADLINES = PG_STMT("SELECT x.i, (SELECT ts_headline('quire', p.t, q.q, $6) FROM (VALUES"
	" (1, x.text), (2, x.summary), (3, x.notes), (4, x.title)) p(k, t) WHERE to_tsvector('quire', p.t) @@ q.q"
	" ORDER BY p.k LIMIT 1) FROM to_tsquery('quire', $1) q(q), unnest($2::text[], $3::text[], $4::text[],"
	" $5::text[]) WITH ORDINALITY x(text, summary, notes, title, i)");

static int tag_ids(void *ctx, struct arena *a, const struct tag_ref *r, bool member, struct listing_tag_ids *g)
{
	struct pgc *c = ctx;
	char *norm = NULL;
	const char *name = r->name ? r->name : "";
	if (tagname_norm(a, name, strlen(name), &norm))
		norm = NULL; /* invalid text names no tag */
	int rc;
	PGresult *res = r->type < 0 ? pgs_query(c, &TAG_FILTER_IDS_ANY, &rc, "t", norm)
	                            : pgs_query(c, &TAG_FILTER_IDS_TYPE, &rc, "ti", norm, r->type);
	for (int i = 0; res && i < PQntuples(res); i++)
		listing_tag_ids_add(a, g, pgs_int(res, i, 0), pgs_int(res, i, member ? 1 : 2));
	PQclear(res);
	return rc;
}

static int counter(void *ctx, const char *name, int64_t *out)
{
	int rc = pgs_query_int(ctx, out, &COUNTER, "t", name);
	if (rc == Q_ENOTFOUND) {
		*out = 0;
		rc = 0;
	}
	return rc;
}

struct rows_call {
	enum listing_key key;
	listing_row_fn *fn;
	void *arg;
};

static void row_of(void *arg, const PGresult *r)
{
	struct rows_call *x = arg;
	struct listing_row row = {.id = pgs_int(r, 0, 0)};
	if (x->key == LISTING_KEY_INT)
		row.ikey = pgs_int(r, 0, 1);
	else if (x->key == LISTING_KEY_REAL)
		row.dkey = strtod(PQgetvalue(r, 0, 1), NULL);
	else if (x->key == LISTING_KEY_TEXT)
		row.skey = PQgetvalue(r, 0, 1);
	if (x->key != LISTING_KEY_NONE && !pgs_null(r, 0, 2))
		row.filter_tags = PQgetvalue(r, 0, 2);
	x->fn(x->arg, &row);
}

static int rows(void *ctx, struct arena *a, const struct listing_stmt *b, enum listing_key key, size_t max_rows,
                listing_row_fn *fn, void *arg)
{
	const char **values = arena_calloc(a, b->n ? b->n : 1, sizeof *values);
	for (size_t i = 0; i < b->n; i++)
		values[i] = b->p[i].kind == 't' ? b->p[i].s : arena_printf(a, "%lld", (long long)b->p[i].i);
	struct rows_call x = {key, fn, arg};
	return pgs_sql_rows(ctx, buf_cstr(&b->sql), (int)b->n, values, max_rows, row_of, &x);
}

static int top_tags(void *ctx, struct arena *a, bool member, int type, int limit,
                    void (*fn)(void *arg, int64_t id, const char *name, int64_t count), void *arg)
{
	int rc;
	PGresult *r = pgs_query(ctx, member ? &TOP_TAGS_ALL : &TOP_TAGS_PUBLIC, &rc, "ii", type, limit);
	for (int i = 0; r && i < PQntuples(r); i++)
		fn(arg, pgs_int(r, i, 0), pgs_text(a, r, i, 1), pgs_int(r, i, 2));
	PQclear(r);
	return rc;
}

/* ---- Reading a page of works with one query each for works, tags and creators -------------------- */

static const char *ids_array(struct arena *a, const int64_t *ids, size_t n)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
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

/* Fills items[0..n) (in the order of ids) completely. */
static int page_read(void *ctx, struct arena *a, const int64_t *ids, size_t n, struct work *items)
{
	struct pgc *c = ctx;
	const char *array = ids_array(a, ids, n);
	int rc;
	PGresult *r = pgs_query(c, &PAGE_WORKS, &rc, "t", array);
	for (int i = 0; r && i < PQntuples(r); i++) {
		size_t k = index_of(ids, n, pgs_int(r, i, 0));
		if (k < n)
			pgs_work_from_row(a, r, i, &items[k]);
	}
	PQclear(r);
	return rc;
}

static int tag_names(void *ctx, struct arena *a, const int64_t *ids, size_t n, const char **names)
{
	int rc;
	PGresult *r = pgs_query(ctx, &TAG_NAMES, &rc, "t", ids_array(a, ids, n));
	for (int i = 0; r && i < PQntuples(r); i++) {
		size_t k = index_of(ids, n, pgs_int(r, i, 0));
		if (k < n)
			names[k] = pgs_text(a, r, i, 1);
	}
	PQclear(r);
	return rc;
}

/* ---- Snippets ---------------------------------------------------------------------------------------- */

/* ts_headline's words around the matches, marked as listings mark them (quoted: an unquoted control character
 * would be taken for a separator). */
static const char *headline_options(void)
{
	static char opts[160];
	if (!opts[0])
		snprintf(opts, sizeof opts, "StartSel=\"%c\", StopSel=\"%c\", MaxWords=%d, MinWords=%d, ShortWord=0",
		         LISTING_MARK_OPEN, LISTING_MARK_CLOSE, SNIPPET_WORDS, SNIPPET_WORDS / 2);
	return opts;
}

/* ts_headline marks each word of a phrase; SQLite marks the phrase ("\1Hillcrest Park\2"): marks with only white
 * space between them join. */
static char *join_marks(struct arena *a, const char *h)
{
	size_t n = strlen(h), k = 0;
	char *out = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (h[i] == LISTING_MARK_CLOSE) {
			size_t j = i + 1;
			while (j < n && (h[j] == ' ' || h[j] == '\n' || h[j] == '\t'))
				j++;
			if (j < n && h[j] == LISTING_MARK_OPEN) {
				memcpy(out + k, h + i + 1, j - i - 1);
				k += j - i - 1;
				i = j;
				continue;
			}
		}
		out[k++] = h[i];
	}
	out[k] = '\0';
	return out;
}

/* s without the marks. */
static char *unmarked(struct arena *a, const char *s)
{
	size_t n = strlen(s), k = 0;
	char *out = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		if (s[i] != LISTING_MARK_OPEN && s[i] != LISTING_MARK_CLOSE)
			out[k++] = s[i];
	out[k] = '\0';
	return out;
}

/* Text as an element of a PostgreSQL array literal: quoted, quotes and backslashes escaped. */
static void array_item(struct buf *b, const char *text, bool first)
{
	buf_puts(b, first ? "\"" : ",\"");
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* One shown work's pieces (text, summary, notes, title), made text, in arena memory. */
struct pieces {
	size_t item; /* its place on the page */
	const char *p[4];
};

/* Reads rows of (work id, title, summary, notes, end notes, content: HTML but the title) into pieces. */
static size_t pieces_read(struct arena *a, const PGresult *r, const struct listing_result *out, struct pieces *ps,
                          size_t n, bool *have)
{
	for (int i = 0; r && i < PQntuples(r); i++) {
		int64_t id = pgs_int(r, i, 0);
		size_t k = 0;
		while (k < out->n && out->items[k].id != id)
			k++;
		if (k == out->n || have[k])
			continue;
		have[k] = true;
		char *summary = pgs_plain(PQgetvalue(r, i, 2), NULL), *notes = pgs_plain(PQgetvalue(r, i, 3), PQgetvalue(r, i, 4)),
		     *text = pgs_plain(PQgetvalue(r, i, 5), NULL);
		ps[n] = (struct pieces){k, {arena_strdup(a, text), arena_strdup(a, summary), arena_strdup(a, notes),
		                            pgs_text(a, r, i, 1)}};
		n++;
		free(summary);
		free(notes);
		free(text);
	}
	return n;
}

/* The headline as listings show it: a phrase marked whole, "…" at an end that is not its piece's. */
static const char *snippet_of(struct arena *a, const char *headline, const struct pieces *ps)
{
	const char *h = join_marks(a, headline), *bare = unmarked(a, h), *piece = NULL;
	for (int i = 0; i < 4 && !piece; i++)
		if (ps->p[i] && strstr(ps->p[i], bare))
			piece = ps->p[i];
	bool head = piece && strncmp(piece, bare, strlen(bare)) != 0;
	bool tail = piece && strlen(piece) > strlen(bare) && strcmp(piece + strlen(piece) - strlen(bare), bare) != 0;
	return arena_printf(a, "%s%s%s", head ? "…" : "", h, tail ? "…" : "");
}

/* Every shown work's snippet in three statements at most: the matching chapters, the works matched by their own
 * text alone (when any is left), and the headlines. */
static int snippets(void *ctx, struct arena *a, const struct search_terms *t, struct listing_result *out)
{
	struct pgc *c = ctx;
	/* From the chapter's own text, never the work's title and tags its document also holds: the first chapter
	 * holding one of the words, highlighting each. */
	const char *own = tsquery_of(a, t->match, t->nmatch, "|", ":D"), *any = tsquery_of(a, t->match, t->nmatch, "|", NULL);
	if (out->n == 0)
		return 0;
	int64_t *ids = arena_calloc(a, out->n, sizeof *ids);
	for (size_t i = 0; i < out->n; i++)
		ids[i] = out->items[i].id;
	struct pieces *ps = arena_calloc(a, out->n, sizeof *ps);
	bool *have = arena_calloc(a, out->n, sizeof *have);
	int rc;
	PGresult *r = pgs_query(c, &SNIPPET_CHAPTERS, &rc, "tt", ids_array(a, ids, out->n), own);
	size_t n = pieces_read(a, r, out, ps, 0, have);
	PQclear(r);
	if (rc == 0 && n < out->n) {
		size_t left = 0;
		for (size_t i = 0; i < out->n; i++)
			if (!have[i])
				ids[left++] = out->items[i].id;
		r = pgs_query(c, &SNIPPET_WORKS, &rc, "tt", ids_array(a, ids, left), own);
		n = pieces_read(a, r, out, ps, n, have);
		PQclear(r);
	}
	if (rc || n == 0)
		return rc;
	struct buf arrays[4];
	for (int k = 0; k < 4; k++) {
		buf_init(&arrays[k]);
		buf_putc(&arrays[k], '{');
		for (size_t i = 0; i < n; i++)
			array_item(&arrays[k], ps[i].p[k] ? ps[i].p[k] : "", i == 0);
		buf_putc(&arrays[k], '}');
	}
	r = pgs_query(c, &HEADLINES, &rc, "tsssss", any, buf_cstr(&arrays[0]), buf_cstr(&arrays[1]),
	              buf_cstr(&arrays[2]), buf_cstr(&arrays[3]), headline_options());
	for (int i = 0; r && i < PQntuples(r); i++) {
		int64_t k = pgs_int(r, i, 0) - 1;
		if (k >= 0 && (size_t)k < n && !pgs_null(r, i, 1))
			out->snippets[ps[k].item] = snippet_of(a, PQgetvalue(r, i, 1), &ps[k]);
	}
	PQclear(r);
	for (int k = 0; k < 4; k++)
		buf_free(&arrays[k]);
	return rc;
}

/* ---- The operation ------------------------------------------------------------------------------------ */

int pgs_work_find(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	memset(out, 0, sizeof *out);
	PG_READ(s, c, rc) {
		struct listing_exec x = {
			.d = &pg_dialect,
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
	}
	return rc;
}
