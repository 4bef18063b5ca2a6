/* SQLite backend: tags and wrangling (canonical tags, synonyms, fandoms, meta tags), the fandom directory,
 * the wrangling queue, series navigation, and keeping each work's filter tags and search text current. */
#include "store/sqlite/int.h"
#include "store/sqlite/fts.h"
#include "core/err.h"
#include <string.h>

/* ---- A work's derived rows ----------------------------------------------------------------- */

int sqls_tags_work_sync(struct sqls_conn *c, int64_t work_id)
{
	int rc = sqls_exec(c, SQL_FIND_FILTER_DEL, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_FIND_FILTER_ADD, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_FIND_FILTER_TEXT, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_FIND_CROSSOVER, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_FIND_HINT, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_FIND_DOC_DEL, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_FIND_DOC_ADD, "I", work_id);
	return rc;
}

/* ---- Reading tags -------------------------------------------------------------------------- */

static void tag_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct tag *t = item;
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(q, 0);
	t->type = (enum tag_type)sqlite3_column_int(q, 1);
	t->name = sqls_col_text(a, q, 2);
	t->canonical = sqlite3_column_int(q, 3) != 0;
	t->wrangled = sqlite3_column_int(q, 4) != 0;
	t->lookalike = sqlite3_column_int(q, 5) != 0;
	t->merger_id = sqlite3_column_int64(q, 6);
	t->merger_name = sqls_col_text(a, q, 7);
	t->media = sqls_col_text(a, q, 8);
	t->works_count = sqlite3_column_int64(q, 9);
	t->public_count = sqlite3_column_int64(q, 10);
	t->created_at = sqlite3_column_int64(q, 11);
	if (sqlite3_column_count(q) > 12)
		t->lookalike_of = sqls_col_text(a, q, 12);
}

/* Runs a bound statement returning TAG_COLS rows into an arena array (q is reset here). */
static int tags_read(struct sqls_conn *c, struct arena *a, sqlite3_stmt *q, struct tag **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return sqls_rows(c, a, q, sizeof **out, tag_from_row, out, n);
}

static int tag_by_id(struct sqls_conn *c, struct arena *a, int64_t id, struct tag *out)
{
	struct tag *list;
	size_t n;
	int rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_BY_ID, "I", id), &list, &n);
	if (rc == 0 && n == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		*out = list[0];
	return rc;
}

/* The tag of type named name (compared in folded form); Q_ENOTFOUND when there is none. */
static int tag_of_type(struct sqls_conn *c, struct arena *a, int type, const char *name, struct tag *out)
{
	struct tag *list;
	size_t n;
	int rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_OF_TYPE, "it", type, name), &list, &n);
	if (rc == 0 && n == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		*out = list[0];
	return rc;
}

int sqls_tag_find(struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	if (!name)
		return Q_EINVAL;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_BY_NORM, "t", name), out, n);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_tag_detail(struct store *st, struct arena *a, int64_t id, struct tag_detail *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = tag_by_id(c, a, id, &out->tag);
	if (rc == 0)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_PARENTS, "I", id), &out->fandoms, &out->nfandoms);
	if (rc == 0 && out->tag.type == TAG_FANDOM)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_CHILDREN, "I", id), &out->children, &out->nchildren);
	if (rc == 0)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_METAS, "I", id), &out->metas, &out->nmetas);
	if (rc == 0)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_SUBS, "I", id), &out->subs, &out->nsubs);
	if (rc == 0)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_SYNONYMS, "I", id), &out->synonyms, &out->nsynonyms);
	if (rc == 0)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_LOOKALIKES, "I", id), &out->lookalikes,
		               &out->nlookalikes);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_tag_autocomplete(struct store *st, struct arena *a, int type, const struct search_prefixes *words,
                          int limit, bool member, struct tag **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	const char *match = sqls_fts_prefixes(a, words);
	if (!match)
		return 0;
	if (limit <= 0 || limit > 50)
		limit = 10;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = type < 0 ? sqls_prep(c, SQL_FIND_TAG_AUTOCOMPLETE, "tiii", match, limit, 0, (int)member)
	                           : sqls_prep(c, SQL_FIND_TAG_AUTOCOMPLETE_TYPE, "tiii", match, limit, type, (int)member);
	rc = tags_read(c, a, q, out, n);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_tag_in_use(struct store *st, int64_t tag_id, bool member, bool *used)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t v = 0;
	*used = false;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, &v, SQL_FIND_TAG_IN_USE, "Ii", tag_id, (int)member);
	sqls_rd_end(s, c);
	*used = v != 0;
	return rc;
}

/* ---- Wrangling ------------------------------------------------------------------------------- */

/* Refreshes the derived rows of the works statement id reaches (a tag's works, or the works filtered under
 * it) and notes them for the change feed. Past SYNC_INLINE_MAX works they are queued instead and refreshed in
 * short batches after the commit (sqlite/sync_queue.c): one wrangle of a tag on 27,000 works would otherwise
 * hold the write lock for 10-20 s. */
#define SYNC_INLINE_MAX 256
static int sync_works(struct sqls *s, struct sqls_conn *c, struct arena *a, enum sql_id id, int64_t tag)
{
	int64_t *ids = NULL;
	size_t n = 0;
	/* Collect first: syncing writes the table being read. */
	int rc = sqls_rows(c, a, sqls_prep(c, id, "I", tag), sizeof *ids, sqls_row_id, &ids, &n);
	if (rc < 0)
		return rc;
	if (n > SYNC_INLINE_MAX)
		return sqls_sync_queue_add(s, c, ids, n);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = sqls_tags_work_sync(c, ids[i]);
		sqls_note(s, STORE_CHANGE_WORK, ids[i]);
	}
	return rc;
}

static const char *type_word(enum tag_type t)
{
	static const char *const words[TAG_TYPE_COUNT] = {"rating", "warning", "category", "fandom",
	                                                  "relationship", "character", "additional tag"};
	return (unsigned)t < TAG_TYPE_COUNT ? words[t] : "tag";
}

static int refuse(const char **why, const char *message)
{
	*why = message;
	return Q_EINVAL;
}

static int set_synonym(struct sqls *s, struct sqls_conn *c, struct arena *a, struct tag *t, const char *target,
                       const char **why)
{
	int64_t n = 0;
	int rc;
	if (!*target) {
		if (!t->merger_id)
			return 0;
		if ((rc = sqls_exec(c, SQL_FIND_SET_MERGER, "It", t->id, NULL)))
			return rc;
		t->merger_id = 0;
		return sync_works(s, c, a, SQL_FIND_WORKS_OF_TAG, t->id);
	}
	struct tag m;
	rc = tag_of_type(c, a, (int)t->type, target, &m);
	if (rc == Q_ENOTFOUND)
		return refuse(why, arena_printf(a, "There is no %s tag \"%s\" to make \"%s\" a synonym of.",
		                                type_word(t->type), target, t->name));
	if (rc)
		return rc;
	if (m.id == t->id)
		return refuse(why, arena_printf(a, "\"%s\" cannot be a synonym of itself.", t->name));
	if (m.merger_id)
		return refuse(why, arena_printf(a, "\"%s\" is itself a synonym of \"%s\": make \"%s\" a synonym of "
		                                   "\"%s\" instead.", m.name, m.merger_name, t->name, m.merger_name));
	if (!m.canonical)
		return refuse(why, arena_printf(a, "\"%s\" is not canonical: mark it canonical first, then make "
		                                   "\"%s\" its synonym.", m.name, t->name));
	if (t->merger_id == m.id)
		return 0;
	if ((rc = sqls_query_int(c, &n, SQL_FIND_HAS_SYNONYMS, "I", t->id)))
		return rc;
	if (n > 0)
		return refuse(why, arena_printf(a, "\"%s\" has synonyms of its own: make them synonyms of \"%s\" "
		                                   "first.", t->name, m.name));
	struct tag *subs;
	size_t nsubs;
	if ((rc = tags_read(c, a, sqls_prep(c, SQL_FIND_TAG_SUBS, "I", t->id), &subs, &nsubs)))
		return rc;
	if (nsubs > 0)
		return refuse(why, arena_printf(a, "\"%s\" is the meta tag of \"%s\"%s: move its sub tags to \"%s\" "
		                                   "first.", t->name, subs[0].name, nsubs > 1 ? " and others" : "",
		                                m.name));
	/* A synonym is not canonical and hangs nothing below itself: its canonical tag does that. */
	if ((rc = sqls_exec(c, SQL_FIND_SET_MERGER, "II", t->id, m.id)) ||
	    (rc = sqls_exec(c, SQL_FIND_SET_CANONICAL, "Ii", t->id, 0)) ||
	    (rc = sqls_exec(c, SQL_FIND_METAS_CLEAR, "I", t->id)))
		return rc;
	t->merger_id = m.id;
	t->canonical = false;
	return sync_works(s, c, a, SQL_FIND_WORKS_OF_TAG, t->id);
}

static int set_canonical(struct sqls_conn *c, struct arena *a, struct tag *t, int on, const char **why)
{
	if (on == (int)t->canonical)
		return 0;
	if (t->type <= TAG_CATEGORY)
		return refuse(why, arena_printf(a, "\"%s\" is one of the archive's fixed tags and stays canonical.",
		                                t->name));
	if (on && t->merger_id)
		return refuse(why, arena_printf(a, "\"%s\" is a synonym of \"%s\": remove that before marking it "
		                                   "canonical.", t->name, t->merger_name));
	int64_t n = 0;
	int rc;
	if (!on && (rc = sqls_query_int(c, &n, SQL_FIND_HAS_SYNONYMS, "I", t->id)))
		return rc;
	if (n > 0)
		return refuse(why, arena_printf(a, "\"%s\" has synonyms, which need a canonical tag: move them "
		                                   "first.", t->name));
	rc = sqls_exec(c, SQL_FIND_SET_CANONICAL, "Ii", t->id, on);
	if (rc == 0)
		t->canonical = on != 0;
	return rc;
}

static int set_fandoms(struct sqls_conn *c, struct arena *a, const struct tag *t, const struct strlist *names,
                       const char **why)
{
	if (names->n && t->type < TAG_RELATIONSHIP)
		return refuse(why, arena_printf(a, "Only characters, relationships and additional tags belong to "
		                                   "fandoms; \"%s\" is a %s.", t->name, type_word(t->type)));
	int rc = sqls_exec(c, SQL_FIND_PARENTS_CLEAR, "I", t->id);
	for (size_t i = 0; i < names->n && rc == 0; i++) {
		struct tag f;
		rc = tag_of_type(c, a, TAG_FANDOM, names->items[i], &f);
		if (rc == Q_ENOTFOUND)
			return refuse(why, arena_printf(a, "There is no fandom \"%s\".", names->items[i]));
		/* A fandom synonym stands for its canonical fandom. */
		if (rc == 0)
			rc = sqls_exec(c, SQL_FIND_PARENT_ADD, "II", t->id, f.merger_id ? f.merger_id : f.id);
	}
	return rc;
}

static int set_metas(struct sqls *s, struct sqls_conn *c, struct arena *a, const struct tag *t,
                     const struct strlist *names, const char **why)
{
	if (names->n && t->merger_id)
		return refuse(why, arena_printf(a, "\"%s\" is a synonym: give meta tags to \"%s\" instead.", t->name,
		                                t->merger_name));
	if (names->n && !t->canonical)
		return refuse(why, arena_printf(a, "Only canonical tags have meta tags: mark \"%s\" canonical first.",
		                                t->name));
	int rc = sqls_exec(c, SQL_FIND_METAS_CLEAR, "I", t->id);
	for (size_t i = 0; i < names->n && rc == 0; i++) {
		struct tag m;
		int64_t loop = 0;
		rc = tag_of_type(c, a, (int)t->type, names->items[i], &m);
		if (rc == Q_ENOTFOUND)
			return refuse(why, arena_printf(a, "There is no %s tag \"%s\" to be a meta tag of \"%s\".",
			                                type_word(t->type), names->items[i], t->name));
		if (rc)
			return rc;
		if (!m.canonical)
			return refuse(why, arena_printf(a, "\"%s\" is not canonical, so it cannot be a meta tag.", m.name));
		if ((rc = sqls_query_int(c, &loop, SQL_FIND_META_CYCLE, "II", t->id, m.id)))
			return rc;
		if (loop)
			return refuse(why, arena_printf(a, "\"%s\" cannot be a meta tag of \"%s\": \"%s\" is already "
			                                   "%s, so that would make a loop.", m.name, t->name, t->name,
			                                m.id == t->id ? "the same tag" : "above it"));
		rc = sqls_exec(c, SQL_FIND_META_ADD, "II", t->id, m.id);
	}
	/* The works under this tag gain or lose the meta tags above it. */
	if (rc == 0)
		rc = sync_works(s, c, a, SQL_FIND_WORKS_FILTERED_BY, t->id);
	return rc;
}

int sqls_tag_wrangle(struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	const char *unused;
	if (!why)
		why = &unused;
	*why = NULL;
	if (!req)
		return Q_EINVAL;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	struct tag t;
	if ((rc = tag_by_id(c, a, req->tag_id, &t)))
		goto done;
	if (req->synonym_of && (rc = set_synonym(s, c, a, &t, req->synonym_of, why)))
		goto done;
	if (req->canonical >= 0 && (rc = set_canonical(c, a, &t, req->canonical, why)))
		goto done;
	if (req->fandoms && (rc = set_fandoms(c, a, &t, req->fandoms, why)))
		goto done;
	if (req->metas && (rc = set_metas(s, c, a, &t, req->metas, why)))
		goto done;
	if (req->media) {
		if (t.type != TAG_FANDOM) {
			rc = refuse(why, arena_printf(a, "Only fandoms have a medium; \"%s\" is a %s.", t.name,
			                              type_word(t.type)));
			goto done;
		}
		if ((rc = sqls_exec(c, SQL_FIND_SET_MEDIA, "It", t.id, req->media)))
			goto done;
	}
	rc = sqls_exec(c, SQL_FIND_SET_WRANGLED, "I", t.id);
	/* Tag pages, the directory and listings show the tag's standing even when no work's filters moved;
	 * only "everything" reaches them then (wrangles are rare, and this is what the feed offers). */
	if (rc == 0 && !sqls_noted(s))
		sqls_note_all(s);
done:
	return sqls_wr_end(s, c, rc);
}

static void queue_fandom_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct queue_fandom *f = item;
	f->fandom_id = sqlite3_column_int64(q, 0);
	f->name = sqls_col_text(a, q, 1);
	f->count = sqlite3_column_int64(q, 2);
}

int sqls_wrangling_fandoms(struct store *st, struct arena *a, struct queue_fandom **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, queue_fandom_from_row, out, n, SQL_FIND_QUEUE_FANDOMS, "");
}

int sqls_wrangling_queue(struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset,
                         struct tag **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = fandom_id ? sqls_prep(c, SQL_FIND_QUEUE, "Iii", fandom_id, limit, offset)
	                            : sqls_prep(c, SQL_FIND_QUEUE_NONE, "ii", limit, offset);
	rc = tags_read(c, a, q, out, n);
	sqls_rd_end(s, c);
	return rc;
}

/* ---- The fandom directory -------------------------------------------------------------------- */

int sqls_media_directory(struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top,
                         bool member, struct media_entry **out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = arena_calloc(a, nmedia ? nmedia : 1, sizeof **out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	for (size_t i = 0; i < nmedia && rc == 0; i++) {
		struct media_entry *e = &(*out)[i];
		e->media = media[i];
		rc = sqls_query_int(c, &e->fandoms, SQL_FIND_MEDIA_COUNT, "t", media[i]);
		if (rc == 0)
			rc = tags_read(c, a, sqls_prep(c, SQL_FIND_MEDIA_TOP, "tii", media[i], top, 0), &e->top, &e->ntop);
	}
	(void)member; /* ordered by what guests see; members see their larger counts beside the same order */
	sqls_rd_end(s, c);
	return rc;
}

int sqls_media_fandoms(struct store *st, struct arena *a, const char *media, int limit, int offset,
                       struct tag **out, size_t *n, int64_t *total)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*total = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, total, SQL_FIND_MEDIA_COUNT, "t", media);
	if (rc == 0)
		rc = tags_read(c, a, sqls_prep(c, SQL_FIND_MEDIA_TOP, "tii", media, limit, offset), out, n);
	sqls_rd_end(s, c);
	return rc;
}

/* ---- Series ---------------------------------------------------------------------------------- */

/* One neighbour: its id and title into *id and *title when there is one. */
static int neighbor(struct sqls_conn *c, struct arena *a, enum sql_id sql, int64_t work_id, bool member,
                    int64_t *id, const char **title)
{
	sqlite3_stmt *q = sqls_prep(c, sql, "Ii", work_id, (int)member);
	if (!q)
		return Q_ERR;
	int rc = sqls_step(c, q);
	if (rc == 1) {
		*id = sqlite3_column_int64(q, 0);
		*title = sqls_col_text(a, q, 1);
		rc = 0;
	}
	sqls_reset(q);
	return rc;
}

int sqls_series_neighbors(struct store *st, struct arena *a, int64_t work_id, bool member,
                          struct series_neighbors *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_FIND_SERIES_OF, "I", work_id);
	rc = q ? sqls_step(c, q) : Q_ERR;
	if (rc == 1) {
		out->series_id = sqlite3_column_int64(q, 0);
		out->series_title = sqls_col_text(a, q, 1);
		out->position = sqlite3_column_int(q, 2);
		rc = 0;
	}
	sqls_reset(q);
	if (rc == 0 && out->series_id)
		rc = neighbor(c, a, SQL_FIND_SERIES_PREV, work_id, member, &out->prev_id, &out->prev_title);
	if (rc == 0 && out->series_id)
		rc = neighbor(c, a, SQL_FIND_SERIES_NEXT, work_id, member, &out->next_id, &out->next_title);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}
