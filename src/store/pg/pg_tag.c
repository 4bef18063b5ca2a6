/* PostgreSQL backend: tags and wrangling (canonical tags, synonyms, fandoms, meta tags), autocomplete, the fandom
 * directory, the wrangling queue and series navigation. Tag names are compared in their folded form, computed here
 * by the same C as SQLite's quire_tag_norm (core/tagname.h). */
#include "store/pg/pg_int.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/tagname.h"
#include "search/terms.h"
#include <string.h>

#define TAG_COLS "t.id, t.type, t.name, t.canonical, t.wrangled, t.lookalike, t.merger_id, m.name, t.media," \
	" t.works_count, t.public_count, t.created_at"
#define TAG_MERGER " LEFT JOIN tags m ON m.id = t.merger_id"
/* Up to three names of tags that look like t (as SQLite's group_concat reads them: in id order). */
#define LOOKALIKE_NAMES "(SELECT string_agg(o.name, ', ' ORDER BY o.id) FROM (SELECT o.id, o.name FROM tags o" \
	" WHERE o.type = t.type AND o.skeleton = t.skeleton AND o.id <> t.id AND t.skeleton <> '' ORDER BY o.id LIMIT 3) o)"

/* Fandoms first, then relationships, characters, freeforms, and the fixed kinds last. */
static struct pg_stmt TAG_BY_NORM = PG_STMT("SELECT " TAG_COLS " FROM tags t" TAG_MERGER
	" WHERE t.type IN (0, 1, 2, 3, 4, 5, 6) AND t.norm = $1"
	" ORDER BY CASE WHEN t.type >= 3 THEN t.type ELSE t.type + 10 END");
static struct pg_stmt TAG_BY_ID = PG_STMT("SELECT " TAG_COLS " FROM tags t" TAG_MERGER " WHERE t.id = $1");
static struct pg_stmt TAG_OF_TYPE = PG_STMT("SELECT " TAG_COLS " FROM tags t" TAG_MERGER
	" WHERE t.type = $1 AND t.norm = $2");
static struct pg_stmt TAG_PARENTS = PG_STMT("SELECT " TAG_COLS " FROM tag_parents x JOIN tags t ON t.id = x.parent_id"
	TAG_MERGER " WHERE x.tag_id = $1 ORDER BY t.name");
static struct pg_stmt TAG_CHILDREN = PG_STMT("SELECT " TAG_COLS " FROM tag_parents x JOIN tags t ON t.id = x.tag_id"
	TAG_MERGER " WHERE x.parent_id = $1 ORDER BY t.works_count DESC, t.name LIMIT 100");
static struct pg_stmt TAG_METAS = PG_STMT("SELECT " TAG_COLS " FROM meta_tags x JOIN tags t ON t.id = x.meta_id"
	TAG_MERGER " WHERE x.sub_id = $1 ORDER BY t.name");
static struct pg_stmt TAG_SUBS = PG_STMT("SELECT " TAG_COLS " FROM meta_tags x JOIN tags t ON t.id = x.sub_id"
	TAG_MERGER " WHERE x.meta_id = $1 ORDER BY t.name LIMIT 200");
static struct pg_stmt TAG_SYNONYMS = PG_STMT("SELECT " TAG_COLS " FROM tags t" TAG_MERGER
	" WHERE t.merger_id = $1 ORDER BY t.name LIMIT 200");
static struct pg_stmt TAG_LOOKALIKES = PG_STMT("SELECT " TAG_COLS " FROM tags t" TAG_MERGER
	" WHERE t.type = (SELECT type FROM tags WHERE id = $1)"
	" AND t.skeleton = (SELECT skeleton FROM tags WHERE id = $1) AND t.skeleton <> '' AND t.id <> $1"
	" ORDER BY t.name LIMIT 20");
/* Tag t is on a posted work the viewer may see ($4: 1 for members, 0 for guests), so its name may be shown: the
 * fixed kinds always; others by their counts of posted works (filtered under them), and a synonym (whose works
 * are counted under its canonical tag) by one posted work tagged with it. As TAG_SEEN on SQLite. */
#define TAG_SEEN(M) "(t.type <= 2 OR (CASE WHEN " M " <> 0 THEN t.works_count ELSE t.public_count END) > 0" \
	" OR (t.merger_id IS NOT NULL AND EXISTS (SELECT 1 FROM work_tags sw JOIN works w ON w.id = sw.work_id" \
	" WHERE sw.tag_id = t.id AND w.draft = 0 AND (" M " <> 0 OR w.restricted = 0))))"
/* Names with words beginning with each of the words typed ($1: 'oliv':* & 'ben':*, folded as names are), most
 * used first. The inner LIMIT keeps a one-letter prefix from ranking every tag in the archive (as on SQLite). */
#define AUTOCOMPLETE(type) "SELECT " TAG_COLS " FROM (SELECT id FROM tags WHERE to_tsvector('quire_names'::regconfig," \
	" name) @@ to_tsquery('quire_names'::regconfig, $1) LIMIT 5000) n JOIN tags t ON t.id = n.id" \
	TAG_MERGER type " ORDER BY t.works_count DESC, length(t.name), t.name LIMIT $2"
static struct pg_stmt TAG_AUTOCOMPLETE = PG_STMT(AUTOCOMPLETE(" WHERE $3::int = 0 AND " TAG_SEEN("$4::int")));
static struct pg_stmt TAG_AUTOCOMPLETE_TYPE = PG_STMT(AUTOCOMPLETE(" WHERE t.type = $3 AND " TAG_SEEN("$4::int")));
static struct pg_stmt TAG_IN_USE = PG_STMT("SELECT EXISTS (SELECT 1 FROM work_tags wt JOIN works w ON w.id = wt.work_id"
	" WHERE wt.tag_id = $1 AND w.draft = 0 AND ($2::int <> 0 OR w.restricted = 0))::int");

static struct pg_stmt SET_MERGER = PG_STMT("UPDATE tags SET merger_id = $2 WHERE id = $1");
static struct pg_stmt SET_CANONICAL = PG_STMT("UPDATE tags SET canonical = $2 WHERE id = $1");
static struct pg_stmt SET_MEDIA = PG_STMT("UPDATE tags SET media = $2 WHERE id = $1");
static struct pg_stmt SET_WRANGLED = PG_STMT("UPDATE tags SET wrangled = (canonical <> 0 OR merger_id IS NOT NULL"
	" OR EXISTS (SELECT 1 FROM tag_parents WHERE tag_id = tags.id))::int WHERE id = $1");
static struct pg_stmt PARENTS_CLEAR = PG_STMT("DELETE FROM tag_parents WHERE tag_id = $1");
static struct pg_stmt PARENT_ADD = PG_STMT("INSERT INTO tag_parents(tag_id, parent_id) VALUES ($1, $2)"
	" ON CONFLICT DO NOTHING");
static struct pg_stmt METAS_CLEAR = PG_STMT("DELETE FROM meta_tags WHERE sub_id = $1");
static struct pg_stmt META_ADD = PG_STMT("INSERT INTO meta_tags(sub_id, meta_id) VALUES ($1, $2) ON CONFLICT DO NOTHING");
/* Non-zero when $1 is $2 or above it: making $2 a meta tag of $1 would close a loop. */
static struct pg_stmt META_CYCLE = PG_STMT("WITH RECURSIVE up(id) AS (SELECT $2::bigint UNION SELECT m.meta_id"
	" FROM up JOIN meta_tags m ON m.sub_id = up.id) SELECT COUNT(*) FROM up WHERE id = $1");
static struct pg_stmt HAS_SYNONYMS = PG_STMT("SELECT COUNT(*) FROM tags WHERE merger_id = $1");
static struct pg_stmt WORKS_OF_TAG = PG_STMT("SELECT work_id FROM work_tags WHERE tag_id = $1");
static struct pg_stmt WORKS_FILTERED_BY = PG_STMT("SELECT work_id FROM filter_taggings WHERE tag_id = $1");

/* Counted in the queue's index first, then each named (the tags with no fandom first among equals, as on SQLite). */
static struct pg_stmt QUEUE_FANDOMS = PG_STMT("SELECT g.hint, (SELECT f.name FROM tags f WHERE f.id = g.hint) AS name,"
	" g.n FROM (SELECT coalesce(fandom_hint_id, 0) AS hint, COUNT(*) AS n FROM tags WHERE wrangled = 0"
	" AND works_count > 0 GROUP BY fandom_hint_id) g ORDER BY g.n DESC, name NULLS FIRST LIMIT 200");
static struct pg_stmt QUEUE = PG_STMT("SELECT " TAG_COLS ", " LOOKALIKE_NAMES " FROM tags t" TAG_MERGER
	" WHERE t.wrangled = 0 AND t.works_count > 0 AND t.fandom_hint_id = $1 ORDER BY t.id DESC LIMIT $2 OFFSET $3");
/* fandom_hint_id in ORDER BY: the queue index's order serves it past IS NULL (see pg_response.c). */
static struct pg_stmt QUEUE_NONE = PG_STMT("SELECT " TAG_COLS ", " LOOKALIKE_NAMES " FROM tags t" TAG_MERGER
	" WHERE t.wrangled = 0 AND t.works_count > 0 AND t.fandom_hint_id IS NULL ORDER BY t.fandom_hint_id DESC, t.id DESC"
	" LIMIT $1 OFFSET $2");
static struct pg_stmt MEDIA_COUNT = PG_STMT("SELECT COUNT(*) FROM tags WHERE type = 3 AND merger_id IS NULL"
	" AND media = $1 AND public_count > 0");
/* The directory lists fandoms guests can see works in (not one only drafts or members-only works carry).
 * Ties newest first, as SQLite's walk of the same index gives them. */
static struct pg_stmt MEDIA_TOP = PG_STMT("SELECT " TAG_COLS " FROM tags t" TAG_MERGER
	" WHERE t.type = 3 AND t.merger_id IS NULL AND t.media = $1 AND t.public_count > 0 ORDER BY t.public_count DESC, t.id DESC"
	" LIMIT $2 OFFSET $3");

static struct pg_stmt SERIES_OF = PG_STMT("SELECT ws.series_id, s.title, ws.position FROM work_series ws"
	" JOIN series s ON s.id = ws.series_id WHERE ws.work_id = $1");
/* $2: 1 for members (members-only works count as neighbours), 0 for guests. */
static struct pg_stmt SERIES_PREV = PG_STMT("SELECT p.work_id, w.title FROM work_series ws JOIN work_series p"
	" ON p.series_id = ws.series_id AND p.position < ws.position JOIN works w ON w.id = p.work_id"
	" WHERE ws.work_id = $1 AND w.draft = 0 AND w.restricted <= $2 ORDER BY p.position DESC LIMIT 1");
static struct pg_stmt SERIES_NEXT = PG_STMT("SELECT p.work_id, w.title FROM work_series ws JOIN work_series p"
	" ON p.series_id = ws.series_id AND p.position > ws.position JOIN works w ON w.id = p.work_id"
	" WHERE ws.work_id = $1 AND w.draft = 0 AND w.restricted <= $2 ORDER BY p.position LIMIT 1");

/* ---- Reading tags ---------------------------------------------------------------------------- */

static void tag_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct tag *t = item;
	t->id = pgs_int(r, row, 0);
	t->type = (enum tag_type)pgs_int(r, row, 1);
	t->name = pgs_text(a, r, row, 2);
	t->canonical = pgs_int(r, row, 3) != 0;
	t->wrangled = pgs_int(r, row, 4) != 0;
	t->lookalike = pgs_int(r, row, 5) != 0;
	t->merger_id = pgs_int(r, row, 6);
	t->merger_name = pgs_text(a, r, row, 7);
	t->media = pgs_text(a, r, row, 8);
	t->works_count = pgs_int(r, row, 9);
	t->public_count = pgs_int(r, row, 10);
	t->created_at = pgs_int(r, row, 11);
	if (PQnfields(r) > 12)
		t->lookalike_of = pgs_text(a, r, row, 12);
}

/* The tags a statement returns (r: its result, or NULL with rc), as an arena array. */
static int tags_read(struct arena *a, PGresult *r, int rc, struct tag **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return pgs_rows(a, r, rc, sizeof **out, tag_row, (void **)out, n);
}

/* The first tag of a result, or Q_ENOTFOUND. */
static int tag_one(struct arena *a, PGresult *r, int rc, struct tag *out)
{
	struct tag *list;
	size_t n;
	rc = tags_read(a, r, rc, &list, &n);
	if (rc == 0 && n == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		*out = list[0];
	return rc;
}

/* The comparison form of a name, or NULL when it has none (invalid text matches no tag, as on SQLite). */
static const char *norm_of(struct arena *a, const char *name)
{
	char *norm = NULL;
	return name && tagname_norm(a, name, strlen(name), &norm) == 0 ? norm : NULL;
}

/* The tags statement q returns for one id. */
static int tags_of(struct pgc *c, struct arena *a, struct pg_stmt *q, int64_t id, struct tag **out, size_t *n)
{
	int rc;
	PGresult *r = pgs_query(c, q, &rc, "I", id);
	return tags_read(a, r, rc, out, n);
}

static int tag_by_id(struct pgc *c, struct arena *a, int64_t id, struct tag *out)
{
	int rc;
	PGresult *r = pgs_query(c, &TAG_BY_ID, &rc, "I", id);
	return tag_one(a, r, rc, out);
}

/* The tag of type named name (compared in folded form); Q_ENOTFOUND when there is none. */
static int tag_of_type(struct pgc *c, struct arena *a, int type, const char *name, struct tag *out)
{
	int rc;
	PGresult *r = pgs_query(c, &TAG_OF_TYPE, &rc, "it", type, norm_of(a, name));
	return tag_one(a, r, rc, out);
}

int pgs_tag_find(struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	if (!name)
		return Q_EINVAL;
	const char *norm = norm_of(a, name);
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &TAG_BY_NORM, &rc, "t", norm);
		rc = tags_read(a, r, rc, out, n);
	}
	return rc;
}

int pgs_tag_detail(struct store *st, struct arena *a, int64_t id, struct tag_detail *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		memset(out, 0, sizeof *out);
		rc = tag_by_id(c, a, id, &out->tag);
		if (rc == 0)
			rc = tags_of(c, a, &TAG_PARENTS, id, &out->fandoms, &out->nfandoms);
		if (rc == 0 && out->tag.type == TAG_FANDOM)
			rc = tags_of(c, a, &TAG_CHILDREN, id, &out->children, &out->nchildren);
		if (rc == 0)
			rc = tags_of(c, a, &TAG_METAS, id, &out->metas, &out->nmetas);
		if (rc == 0)
			rc = tags_of(c, a, &TAG_SUBS, id, &out->subs, &out->nsubs);
		if (rc == 0)
			rc = tags_of(c, a, &TAG_SYNONYMS, id, &out->synonyms, &out->nsynonyms);
		if (rc == 0)
			rc = tags_of(c, a, &TAG_LOOKALIKES, id, &out->lookalikes, &out->nlookalikes);
	}
	return rc;
}

/* A tsquery of word beginnings ('oliv':* & 'ben':*) for to_tsquery to fold as names are; NULL when none. The words
 * are letters, digits and combining marks (search/terms.h); a quote or backslash would still be escaped. */
static const char *prefix_query(struct arena *a, const struct search_prefixes *words)
{
	struct buf b = BUF_INIT;
	size_t n = 0;
	for (size_t i = 0; i < words->n; i++) {
		const char *w = words->words[i];
		if (!w || !*w)
			continue;
		buf_puts(&b, n++ ? " & '" : "'");
		for (; *w; w++) {
			if (*w == '\'' || *w == '\\')
				buf_putc(&b, *w);
			buf_putc(&b, *w);
		}
		buf_puts(&b, "':*");
	}
	const char *q = n ? arena_strndup(a, buf_cstr(&b), b.len) : NULL;
	buf_free(&b);
	return q;
}

int pgs_tag_autocomplete(struct store *st, struct arena *a, int type, const struct search_prefixes *words, int limit,
                         bool member, struct tag **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	const char *query = words ? prefix_query(a, words) : NULL;
	if (!query)
		return 0;
	if (limit <= 0 || limit > 50)
		limit = 10;
	PG_READ(s, c, rc) {
		PGresult *r = type < 0 ? pgs_query(c, &TAG_AUTOCOMPLETE, &rc, "tiii", query, limit, 0, (int)member)
		                       : pgs_query(c, &TAG_AUTOCOMPLETE_TYPE, &rc, "tiii", query, limit, type, (int)member);
		rc = tags_read(a, r, rc, out, n);
	}
	return rc;
}

int pgs_tag_in_use(struct store *st, int64_t tag_id, bool member, bool *used)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t v = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, &v, &TAG_IN_USE, "Ii", tag_id, (int)member);
	}
	*used = rc == 0 && v != 0;
	return rc;
}

/* ---- Wrangling ------------------------------------------------------------------------------- */

/* Refreshes the derived rows of the works statement q reaches (a tag's works, or the works filtered under it) and
 * notes them for the change feed. Past SYNC_INLINE_MAX works they are queued instead and refreshed in short batches
 * after the commit (pg_sync_queue.c): a wrangle of a tag on 27,000 works would otherwise hold the write lock for
 * many seconds. */
#define SYNC_INLINE_MAX 256
static int sync_works(struct pg *s, struct pgc *c, struct pg_stmt *q, int64_t tag)
{
	int rc;
	PGresult *r = pgs_query(c, q, &rc, "I", tag);
	if (!r)
		return rc;
	int n = PQntuples(r);
	if (n > SYNC_INLINE_MAX) {
		struct buf ids = BUF_INIT;
		buf_putc(&ids, '{');
		for (int i = 0; i < n; i++)
			buf_printf(&ids, "%s%s", i ? "," : "", PQgetvalue(r, i, 0));
		buf_putc(&ids, '}');
		PQclear(r);
		rc = pgs_sync_queue_add(s, c, buf_cstr(&ids));
		buf_free(&ids);
		return rc;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		int64_t id = pgs_int(r, i, 0);
		rc = pgs_tags_work_sync(c, id);
		pgs_note(s, STORE_CHANGE_WORK, id);
	}
	PQclear(r);
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

static int set_synonym(struct pg *s, struct pgc *c, struct arena *a, struct tag *t, const char *target,
                       const char **why)
{
	int64_t n = 0;
	int rc;
	if (!*target) {
		if (!t->merger_id)
			return 0;
		if ((rc = pgs_exec(c, &SET_MERGER, "It", t->id, NULL)))
			return rc;
		t->merger_id = 0;
		return sync_works(s, c, &WORKS_OF_TAG, t->id);
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
	if ((rc = pgs_query_int(c, &n, &HAS_SYNONYMS, "I", t->id)))
		return rc;
	if (n > 0)
		return refuse(why, arena_printf(a, "\"%s\" has synonyms of its own: make them synonyms of \"%s\" "
		                                   "first.", t->name, m.name));
	struct tag *subs;
	size_t nsubs;
	if ((rc = tags_of(c, a, &TAG_SUBS, t->id, &subs, &nsubs)))
		return rc;
	if (nsubs > 0)
		return refuse(why, arena_printf(a, "\"%s\" is the meta tag of \"%s\"%s: move its sub tags to \"%s\" "
		                                   "first.", t->name, subs[0].name, nsubs > 1 ? " and others" : "",
		                                m.name));
	/* A synonym is not canonical and hangs nothing below itself: its canonical tag does that. */
	if ((rc = pgs_exec(c, &SET_MERGER, "II", t->id, m.id)) || (rc = pgs_exec(c, &SET_CANONICAL, "Ii", t->id, 0)) ||
	    (rc = pgs_exec(c, &METAS_CLEAR, "I", t->id)))
		return rc;
	t->merger_id = m.id;
	t->canonical = false;
	return sync_works(s, c, &WORKS_OF_TAG, t->id);
}

static int set_canonical(struct pgc *c, struct arena *a, struct tag *t, int on, const char **why)
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
	if (!on && (rc = pgs_query_int(c, &n, &HAS_SYNONYMS, "I", t->id)))
		return rc;
	if (n > 0)
		return refuse(why, arena_printf(a, "\"%s\" has synonyms, which need a canonical tag: move them "
		                                   "first.", t->name));
	rc = pgs_exec(c, &SET_CANONICAL, "Ii", t->id, on);
	if (rc == 0)
		t->canonical = on != 0;
	return rc;
}

static int set_fandoms(struct pgc *c, struct arena *a, const struct tag *t, const struct strlist *names,
                       const char **why)
{
	if (names->n && t->type < TAG_RELATIONSHIP)
		return refuse(why, arena_printf(a, "Only characters, relationships and additional tags belong to "
		                                   "fandoms; \"%s\" is a %s.", t->name, type_word(t->type)));
	int rc = pgs_exec(c, &PARENTS_CLEAR, "I", t->id);
	for (size_t i = 0; i < names->n && rc == 0; i++) {
		struct tag f;
		rc = tag_of_type(c, a, TAG_FANDOM, names->items[i], &f);
		if (rc == Q_ENOTFOUND)
			return refuse(why, arena_printf(a, "There is no fandom \"%s\".", names->items[i]));
		/* A fandom synonym stands for its canonical fandom. */
		if (rc == 0)
			rc = pgs_exec(c, &PARENT_ADD, "II", t->id, f.merger_id ? f.merger_id : f.id);
	}
	return rc;
}

static int set_metas(struct pg *s, struct pgc *c, struct arena *a, const struct tag *t, const struct strlist *names,
                     const char **why)
{
	if (names->n && t->merger_id)
		return refuse(why, arena_printf(a, "\"%s\" is a synonym: give meta tags to \"%s\" instead.", t->name,
		                                t->merger_name));
	if (names->n && !t->canonical)
		return refuse(why, arena_printf(a, "Only canonical tags have meta tags: mark \"%s\" canonical first.",
		                                t->name));
	int rc = pgs_exec(c, &METAS_CLEAR, "I", t->id);
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
		if ((rc = pgs_query_int(c, &loop, &META_CYCLE, "II", t->id, m.id)))
			return rc;
		if (loop)
			return refuse(why, arena_printf(a, "\"%s\" cannot be a meta tag of \"%s\": \"%s\" is already "
			                                   "%s, so that would make a loop.", m.name, t->name, t->name,
			                                m.id == t->id ? "the same tag" : "above it"));
		rc = pgs_exec(c, &META_ADD, "II", t->id, m.id);
	}
	/* The works under this tag gain or lose the meta tags above it. */
	if (rc == 0)
		rc = sync_works(s, c, &WORKS_FILTERED_BY, t->id);
	return rc;
}

/* One wrangle, inside the write transaction on c. */
static int wrangle(struct pg *s, struct pgc *c, struct arena *a, const struct tag_wrangle *req, const char **why)
{
	struct tag t;
	int rc = tag_by_id(c, a, req->tag_id, &t);
	if (rc == 0 && req->synonym_of)
		rc = set_synonym(s, c, a, &t, req->synonym_of, why);
	if (rc == 0 && req->canonical >= 0)
		rc = set_canonical(c, a, &t, req->canonical, why);
	if (rc == 0 && req->fandoms)
		rc = set_fandoms(c, a, &t, req->fandoms, why);
	if (rc == 0 && req->metas)
		rc = set_metas(s, c, a, &t, req->metas, why);
	if (rc == 0 && req->media) {
		if (t.type != TAG_FANDOM)
			return refuse(why, arena_printf(a, "Only fandoms have a medium; \"%s\" is a %s.", t.name,
			                                type_word(t.type)));
		rc = pgs_exec(c, &SET_MEDIA, "It", t.id, req->media);
	}
	if (rc == 0)
		rc = pgs_exec(c, &SET_WRANGLED, "I", t.id);
	/* Tag pages, the directory and listings show the tag's standing even when no work's filters moved; only
	 * "everything" reaches them then (wrangles are rare, and this is what the feed offers). */
	if (rc == 0 && !pgs_noted(s))
		pgs_note_all(s);
	return rc;
}

int pgs_tag_wrangle(struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	const char *unused;
	int rc;
	if (!why)
		why = &unused;
	*why = NULL;
	if (!req)
		return Q_EINVAL;
	PG_WRITE(s, c, rc) {
		*why = NULL;
		rc = wrangle(s, c, a, req, why);
	}
	return rc;
}

static void queue_fandom_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct queue_fandom *f = item;
	f->fandom_id = pgs_int(r, row, 0);
	f->name = pgs_text(a, r, row, 1);
	f->count = pgs_int(r, row, 2);
}

int pgs_wrangling_fandoms(struct store *st, struct arena *a, struct queue_fandom **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &QUEUE_FANDOMS, &rc, "");
		rc = pgs_rows(a, r, rc, sizeof **out, queue_fandom_row, (void **)out, n);
	}
	return rc;
}

int pgs_wrangling_queue(struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset, struct tag **out,
                        size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = fandom_id ? pgs_query(c, &QUEUE, &rc, "Iii", fandom_id, limit, offset)
		                        : pgs_query(c, &QUEUE_NONE, &rc, "ii", limit, offset);
		rc = tags_read(a, r, rc, out, n);
	}
	return rc;
}

/* ---- The fandom directory -------------------------------------------------------------------- */

int pgs_media_directory(struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top,
                        bool member, struct media_entry **out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	(void)member; /* ordered by what guests see; members see their larger counts beside the same order */
	*out = arena_calloc(a, nmedia ? nmedia : 1, sizeof **out);
	PG_READ(s, c, rc) {
		for (size_t i = 0; i < nmedia && rc == 0; i++) {
			struct media_entry *e = &(*out)[i];
			memset(e, 0, sizeof *e);
			e->media = media[i];
			rc = pgs_query_int(c, &e->fandoms, &MEDIA_COUNT, "t", media[i]);
			if (rc == 0) {
				PGresult *r = pgs_query(c, &MEDIA_TOP, &rc, "tii", media[i], top, 0);
				rc = tags_read(a, r, rc, &e->top, &e->ntop);
			}
		}
	}
	return rc;
}

int pgs_media_fandoms(struct store *st, struct arena *a, const char *media, int limit, int offset, struct tag **out,
                      size_t *n, int64_t *total)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*total = 0;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, total, &MEDIA_COUNT, "t", media);
		if (rc == 0) {
			PGresult *r = pgs_query(c, &MEDIA_TOP, &rc, "tii", media, limit, offset);
			rc = tags_read(a, r, rc, out, n);
		}
	}
	return rc;
}

/* ---- Series ---------------------------------------------------------------------------------- */

/* One neighbour: its id and title into *id and *title when there is one. */
static int neighbor(struct pgc *c, struct arena *a, struct pg_stmt *q, int64_t work_id, bool member, int64_t *id,
                    const char **title)
{
	int rc;
	PGresult *r = pgs_query(c, q, &rc, "Ii", work_id, (int)member);
	if (r && PQntuples(r) > 0) {
		*id = pgs_int(r, 0, 0);
		*title = pgs_text(a, r, 0, 1);
	}
	PQclear(r);
	return rc;
}

int pgs_series_neighbors(struct store *st, struct arena *a, int64_t work_id, bool member,
                         struct series_neighbors *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		memset(out, 0, sizeof *out);
		PGresult *r = pgs_query(c, &SERIES_OF, &rc, "I", work_id);
		if (r && PQntuples(r) > 0) {
			out->series_id = pgs_int(r, 0, 0);
			out->series_title = pgs_text(a, r, 0, 1);
			out->position = (int)pgs_int(r, 0, 2);
		}
		PQclear(r);
		if (rc == 0 && out->series_id)
			rc = neighbor(c, a, &SERIES_PREV, work_id, member, &out->prev_id, &out->prev_title);
		if (rc == 0 && out->series_id)
			rc = neighbor(c, a, &SERIES_NEXT, work_id, member, &out->next_id, &out->next_title);
	}
	return rc;
}
