/* PostgreSQL backend: collections (members, items, reveals) and gifts; keeps works' anonymous and unrevealed
 * flags (as sqlite/collection.c). */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>

#define LIST_MAX 200

#define COLL_COLS "c.id, c.name, c.title, coalesce(c.parent_id, 0), p.name, p.title, c.description," \
	" c.description_html, c.intro, c.intro_html, c.rules, c.rules_html, c.faq, c.faq_html, c.closed, c.moderated," \
	" c.unrevealed, c.anonymous, c.reveal_at, c.reveal_creators_at, c.challenge, c.created_at, c.updated_at," \
	" c.items_count FROM collections c LEFT JOIN collections p ON p.id = c.parent_id"
#define COLL_ITEM_COLS "i.collection_id, i.work_id, i.by_collection, i.by_creator, coalesce(i.added_by, 0)," \
	" i.created_at, c.name, c.title, w.title, c.unrevealed, c.anonymous, c.moderated, c.closed, c.challenge" \
	" FROM collection_items i JOIN collections c ON c.id = i.collection_id JOIN works w ON w.id = i.work_id"
/* An item counts (for the work's flags) once its creator approved and the collection did not refuse. */
#define COLL_FLAG(F) "EXISTS (SELECT 1 FROM collection_items i JOIN collections c ON c.id = i.collection_id" \
	" WHERE i.work_id = $1 AND i.by_creator = 1 AND i.by_collection >= 0 AND c." F " = 1)"
#define GIFT_COLS "g.id, g.work_id, coalesce(g.user_id, 0), g.name, g.refused, g.created_at, w.title, ou.name," \
	" coalesce(ou.id, 0), w.draft, w.restricted, w.unrevealed, w.anonymous, w.updated_at" \
	" FROM gifts g JOIN works w ON w.id = g.work_id LEFT JOIN work_creators oc ON oc.work_id = w.id" \
	" AND oc.position = 0 LEFT JOIN users ou ON ou.id = oc.user_id"

static struct pg_stmt COLL_INSERT = PG_STMT("INSERT INTO collections(name, title, parent_id, description,"
	" description_html, intro, intro_html, rules, rules_html, faq, faq_html, closed, moderated, unrevealed, anonymous,"
	" reveal_at, reveal_creators_at, challenge, created_at, updated_at)"
	" VALUES ($1, $2, NULLIF($3::bigint, 0), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
	" $19, $19) RETURNING id");
static struct pg_stmt COLL_TOP_LEVEL = PG_STMT("SELECT (parent_id IS NULL)::int FROM collections WHERE id = $1");
static struct pg_stmt COLL_HAS_CHILDREN = PG_STMT("SELECT EXISTS (SELECT 1 FROM collections WHERE parent_id = $1)::int");
static struct pg_stmt COLL_UPDATE = PG_STMT("UPDATE collections SET title = $2, parent_id = NULLIF($3::bigint, 0),"
	" description = $4, description_html = $5, intro = $6, intro_html = $7, rules = $8, rules_html = $9, faq = $10,"
	" faq_html = $11, closed = $12, moderated = $13, unrevealed = $14, anonymous = $15, reveal_at = $16,"
	" reveal_creators_at = $17, challenge = $18, updated_at = $19 WHERE id = $1");
static struct pg_stmt COLL_DELETE = PG_STMT("DELETE FROM collections WHERE id = $1");
static struct pg_stmt COLL_ITEMS_DELETE = PG_STMT("DELETE FROM collection_items WHERE collection_id = $1");
static struct pg_stmt COLL_GET = PG_STMT("SELECT " COLL_COLS " WHERE c.id = $1");
static struct pg_stmt COLL_GET_NAME = PG_STMT("SELECT " COLL_COLS " WHERE quire_nocase(c.name) = quire_nocase($1)");
static struct pg_stmt COLL_LIST = PG_STMT("SELECT " COLL_COLS " WHERE ($1::bigint < 0 OR ($1::bigint = 0 AND"
	" c.parent_id IS NULL) OR c.parent_id = $1::bigint) AND ($2::int < 0 OR c.closed = ($2::int = 0)::int)"
	" AND ($3::int < 0 OR c.challenge = $3::int) AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM collection_members m"
	" WHERE m.collection_id = c.id AND m.user_id = $4::bigint)) AND quire_nocase(c.name) > quire_nocase($5)"
	" ORDER BY quire_nocase(c.name) LIMIT $6");
static struct pg_stmt COLL_MEMBER_SET = PG_STMT("INSERT INTO collection_members(collection_id, user_id, role,"
	" created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (collection_id, user_id) DO UPDATE SET role = excluded.role");
static struct pg_stmt COLL_MEMBER_DELETE = PG_STMT("DELETE FROM collection_members WHERE collection_id = $1"
	" AND user_id = $2");
static struct pg_stmt COLL_OWNERS = PG_STMT("SELECT COUNT(*) FROM collection_members WHERE collection_id = $1"
	" AND role = 2");
/* The role here, or a moderator's or owner's in the parent collection (NULL: none). */
static struct pg_stmt COLL_MEMBER_ROLE = PG_STMT("SELECT MAX(role) FROM (SELECT role FROM collection_members"
	" WHERE collection_id = $1 AND user_id = $2 UNION ALL SELECT m.role FROM collection_members m JOIN collections c"
	" ON c.parent_id = m.collection_id WHERE c.id = $1 AND m.user_id = $2 AND m.role >= 1) r");
static struct pg_stmt COLL_MEMBERS = PG_STMT("SELECT m.user_id, u.name, m.role, m.created_at FROM collection_members m"
	" JOIN users u ON u.id = m.user_id WHERE m.collection_id = $1 AND m.role >= $2"
	" AND quire_nocase(u.name) > quire_nocase($3) ORDER BY quire_nocase(u.name) LIMIT $4");
static struct pg_stmt COLL_ITEM_SET = PG_STMT("INSERT INTO collection_items(collection_id, work_id, by_collection,"
	" by_creator, added_by, created_at) VALUES ($1, $2, $3, $4, NULLIF($5::bigint, 0), $6)"
	" ON CONFLICT (collection_id, work_id) DO UPDATE SET by_collection = excluded.by_collection,"
	" by_creator = excluded.by_creator");
static struct pg_stmt COLL_ITEM_DELETE = PG_STMT("DELETE FROM collection_items WHERE collection_id = $1"
	" AND work_id = $2");
static struct pg_stmt COLL_WORK_IDS = PG_STMT("SELECT work_id FROM collection_items WHERE collection_id = $1"
	" ORDER BY work_id");
/* A work's flags now, and as its collections say they should be. */
static struct pg_stmt COLL_WORK_FLAGS = PG_STMT("SELECT anonymous, unrevealed, " COLL_FLAG("anonymous") "::int, "
	COLL_FLAG("unrevealed") "::int FROM works WHERE id = $1");
static struct pg_stmt COLL_WORK_SET_FLAGS = PG_STMT("UPDATE works SET anonymous = $2, unrevealed = $3 WHERE id = $1");
static struct pg_stmt COLL_ITEMS_OF_WORK = PG_STMT("SELECT " COLL_ITEM_COLS " WHERE i.work_id = $1"
	" ORDER BY quire_nocase(c.name)");
static struct pg_stmt COLL_ITEMS = PG_STMT("SELECT " COLL_ITEM_COLS " WHERE i.collection_id = $1 AND CASE $2::int"
	" WHEN 0 THEN i.by_collection = 1 AND i.by_creator = 1"
	" WHEN 1 THEN i.by_collection = 0 AND i.by_creator = 1"
	" WHEN 2 THEN i.by_collection = 1 AND i.by_creator = 0"
	" ELSE i.by_collection = -1 OR i.by_creator = -1 END"
	" AND i.work_id < $3 ORDER BY i.work_id DESC LIMIT $4");
static struct pg_stmt COLL_REVEAL = PG_STMT("UPDATE collections SET"
	" unrevealed = CASE WHEN $2::int = 1 THEN 0 ELSE unrevealed END,"
	" reveal_at = CASE WHEN $2::int = 1 THEN 0 ELSE reveal_at END,"
	" anonymous = CASE WHEN $3::int = 1 THEN 0 ELSE anonymous END,"
	" reveal_creators_at = CASE WHEN $3::int = 1 THEN 0 ELSE reveal_creators_at END, updated_at = $4 WHERE id = $1");
static struct pg_stmt COLL_REVEAL_DUE = PG_STMT("SELECT id FROM collections WHERE unrevealed = 1 AND reveal_at > 0"
	" AND reveal_at <= $1 UNION SELECT id FROM collections WHERE anonymous = 1 AND reveal_creators_at > 0"
	" AND reveal_creators_at <= $1 ORDER BY 1");
static struct pg_stmt GIFTS_OF_WORK = PG_STMT("SELECT " GIFT_COLS " WHERE g.work_id = $1 ORDER BY g.position, g.id");
static struct pg_stmt GIFT_INSERT = PG_STMT("INSERT INTO gifts(work_id, user_id, name, position, refused, created_at)"
	" VALUES ($1, NULLIF($2::bigint, 0), $3, $4, 0, $5)");
static struct pg_stmt GIFT_KEEP = PG_STMT("UPDATE gifts SET user_id = NULLIF($2::bigint, 0), name = $3, position = $4"
	" WHERE id = $1");
static struct pg_stmt GIFT_DELETE = PG_STMT("DELETE FROM gifts WHERE id = $1");
static struct pg_stmt GIFTS_OF_USER = PG_STMT("SELECT " GIFT_COLS " WHERE g.user_id = $1 AND ($2::int = 1"
	" OR g.refused = 0) AND g.id < $3 ORDER BY g.id DESC LIMIT $4");
static struct pg_stmt GIFT_REFUSE = PG_STMT("UPDATE gifts SET refused = $3 WHERE id = $1 AND user_id = $2");
static struct pg_stmt GIFT_WORK = PG_STMT("SELECT work_id FROM gifts WHERE id = $1");

static void collection_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct collection *c = item;
	memset(c, 0, sizeof *c);
	c->id = pgs_int(r, row, 0);
	c->name = pgs_text(a, r, row, 1);
	c->title = pgs_text(a, r, row, 2);
	c->parent_id = pgs_int(r, row, 3);
	c->parent_name = pgs_text(a, r, row, 4);
	c->parent_title = pgs_text(a, r, row, 5);
	c->description = (struct text){pgs_text(a, r, row, 6), pgs_text(a, r, row, 7)};
	c->intro = (struct text){pgs_text(a, r, row, 8), pgs_text(a, r, row, 9)};
	c->rules = (struct text){pgs_text(a, r, row, 10), pgs_text(a, r, row, 11)};
	c->faq = (struct text){pgs_text(a, r, row, 12), pgs_text(a, r, row, 13)};
	c->closed = pgs_int(r, row, 14) != 0;
	c->moderated = pgs_int(r, row, 15) != 0;
	c->unrevealed = pgs_int(r, row, 16) != 0;
	c->anonymous = pgs_int(r, row, 17) != 0;
	c->reveal_at = pgs_int(r, row, 18);
	c->reveal_creators_at = pgs_int(r, row, 19);
	c->challenge = (int)pgs_int(r, row, 20);
	c->created_at = pgs_int(r, row, 21);
	c->updated_at = pgs_int(r, row, 22);
	c->works_count = pgs_int(r, row, 23);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

void pgs_row_id(struct arena *a, const PGresult *r, int row, void *item)
{
	(void)a;
	*(int64_t *)item = pgs_int(r, row, 0);
}

void pgs_row_text(struct arena *a, const PGresult *r, int row, void *item)
{
	*(char **)item = pgs_text(a, r, row, 0);
}

int pgs_read_rows(struct store *st, struct arena *a, size_t size, pgs_row_fn *fn, void *items, size_t *n,
                  struct pg_stmt *q, const char *fmt, ...)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		va_list ap;
		va_start(ap, fmt);
		PGresult *r = pgs_vquery(c, q, &rc, fmt, ap);
		va_end(ap);
		rc = pgs_rows(a, r, rc, size, fn, (void **)items, n);
	}
	return rc;
}

/* A parent must be a top-level collection, and a collection with subcollections cannot get a parent. */
static int check_parent(struct pgc *c, int64_t id, int64_t parent_id)
{
	if (!parent_id)
		return 0;
	if (parent_id == id)
		return Q_EINVAL;
	int64_t top = 0, children = 0;
	int rc = pgs_query_int(c, &top, &COLL_TOP_LEVEL, "I", parent_id);
	if (rc == Q_ENOTFOUND || (rc == 0 && !top))
		return Q_EINVAL;
	if (rc == 0 && id)
		rc = pgs_query_int(c, &children, &COLL_HAS_CHILDREN, "I", id);
	return rc ? rc : children ? Q_EINVAL : 0;
}

/* Brings work_id's anonymous and unrevealed flags in line with the collections it counts in, noting the work
 * when they change. */
static int work_flags_sync(struct pg *s, struct pgc *c, int64_t work_id)
{
	int rc;
	PGresult *r = pgs_query(c, &COLL_WORK_FLAGS, &rc, "I", work_id);
	if (!r)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 0;
	}
	int64_t anon = pgs_int(r, 0, 0), unrev = pgs_int(r, 0, 1), want_anon = pgs_int(r, 0, 2), want_unrev = pgs_int(r, 0, 3);
	PQclear(r);
	if (anon == want_anon && unrev == want_unrev)
		return 0;
	rc = pgs_exec(c, &COLL_WORK_SET_FLAGS, "Iii", work_id, (int)want_anon, (int)want_unrev);
	return rc ? rc : pgs_note_work(s, c, work_id);
}

/* The same for every work in a collection. */
static int collection_works_sync(struct pg *s, struct pgc *c, int64_t collection_id)
{
	struct arena *a = arena_new();
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;
	PGresult *r = pgs_query(c, &COLL_WORK_IDS, &rc, "I", collection_id);
	rc = pgs_rows(a, r, rc, sizeof *ids, pgs_row_id, (void **)&ids, &n);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = work_flags_sync(s, c, ids[i]);
	arena_free(a);
	return rc;
}

int pgs_collection_create(struct store *st, const struct collection *col, int64_t owner_id, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!col || !col->name || !*col->name || !col->title || owner_id <= 0)
		return pgs_refuse(s, Q_EINVAL);
	int64_t now = pgs_now(), cid = 0;
	PG_WRITE(s, c, rc) {
		rc = check_parent(c, 0, col->parent_id);
		if (rc == 0)
			rc = pgs_query_int(c, &cid, &COLL_INSERT, "ssIssssssssiiiiIIiI", col->name, col->title, col->parent_id,
			                   col->description.src, col->description.html, col->intro.src, col->intro.html,
			                   col->rules.src, col->rules.html, col->faq.src, col->faq.html, (int)col->closed,
			                   (int)col->moderated, (int)col->unrevealed, (int)col->anonymous, col->reveal_at,
			                   col->reveal_creators_at, col->challenge, now);
		if (rc == 0)
			rc = pgs_exec(c, &COLL_MEMBER_SET, "IIiI", cid, owner_id, COLLECTION_OWNER, now);
		pgs_note(s, STORE_CHANGE_COLLECTION, cid);
		pgs_note(s, STORE_CHANGE_COLLECTION, col->parent_id);
	}
	if (rc == 0 && id)
		*id = cid;
	return rc;
}

int pgs_collection_update(struct store *st, const struct collection *col)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!col || col->id <= 0 || !col->title)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		struct arena *a = arena_new();
		struct collection old = {0};
		PGresult *r = pgs_query(c, &COLL_GET, &rc, "I", col->id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			collection_row(a, r, 0, &old);
		PQclear(r);
		if (rc == 0)
			rc = check_parent(c, col->id, col->parent_id);
		if (rc == 0)
			rc = pgs_exec(c, &COLL_UPDATE, "IsIssssssssiiiiIIiI", col->id, col->title, col->parent_id,
			              col->description.src, col->description.html, col->intro.src, col->intro.html,
			              col->rules.src, col->rules.html, col->faq.src, col->faq.html, (int)col->closed,
			              (int)col->moderated, (int)col->unrevealed, (int)col->anonymous, col->reveal_at,
			              col->reveal_creators_at, col->challenge, pgs_now());
		if (rc == 0 && (old.unrevealed != col->unrevealed || old.anonymous != col->anonymous))
			rc = collection_works_sync(s, c, col->id);
		pgs_note(s, STORE_CHANGE_COLLECTION, col->id);
		pgs_note(s, STORE_CHANGE_COLLECTION, old.parent_id);
		pgs_note(s, STORE_CHANGE_COLLECTION, col->parent_id);
		arena_free(a);
	}
	return rc;
}

int pgs_collection_delete(struct store *st, int64_t id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		struct arena *a = arena_new();
		int64_t *ids = NULL;
		size_t n = 0;
		PGresult *r = pgs_query(c, &COLL_WORK_IDS, &rc, "I", id);
		rc = pgs_rows(a, r, rc, sizeof *ids, pgs_row_id, (void **)&ids, &n);
		if (rc == 0)
			rc = pgs_exec(c, &COLL_ITEMS_DELETE, "I", id);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = work_flags_sync(s, c, ids[i]);
		if (rc == 0)
			rc = pgs_exec(c, &COLL_DELETE, "I", id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		/* Its subcollections become top-level: their pages change too. */
		pgs_note_all(s);
		arena_free(a);
	}
	return rc;
}

int pgs_collection_get(struct store *st, struct arena *a, int64_t id, const char *name, struct collection *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (id <= 0 && (!name || !*name))
		return Q_ENOTFOUND;
	PG_READ(s, c, rc) {
		PGresult *r = id > 0 ? pgs_query(c, &COLL_GET, &rc, "I", id) : pgs_query(c, &COLL_GET_NAME, &rc, "t", name);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			collection_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_collection_list(struct store *st, struct arena *a, const struct collection_query *cq, struct collection **out,
                        size_t *n)
{
	int limit = cq->limit > 0 && cq->limit <= LIST_MAX ? cq->limit : 20;
	return pgs_read_rows(st, a, sizeof **out, collection_row, out, n, &COLL_LIST, "IiiIsi", cq->parent_id, cq->open,
	                 cq->challenge, cq->member_id, or_empty(cq->after_name), limit);
}

int pgs_collection_member_set(struct store *st, int64_t collection_id, int64_t user_id, int role)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (collection_id <= 0 || user_id <= 0 || role < COLLECTION_NOBODY || role > COLLECTION_OWNER)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = role == COLLECTION_NOBODY ? pgs_exec(c, &COLL_MEMBER_DELETE, "II", collection_id, user_id)
		                               : pgs_exec(c, &COLL_MEMBER_SET, "IIiI", collection_id, user_id, role, pgs_now());
		int64_t owners = 0;
		if (rc == 0 && (rc = pgs_query_int(c, &owners, &COLL_OWNERS, "I", collection_id)) == 0 && owners == 0)
			rc = Q_EINVAL; /* someone must own it */
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
		pgs_note(s, STORE_CHANGE_USER, user_id);
	}
	return rc;
}

int pgs_collection_member_role(struct store *st, int64_t collection_id, int64_t user_id, int *role)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*role = COLLECTION_NOBODY;
	if (collection_id <= 0 || user_id <= 0)
		return 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &COLL_MEMBER_ROLE, &rc, "II", collection_id, user_id);
		if (r && PQntuples(r) > 0 && !pgs_null(r, 0, 0))
			*role = (int)pgs_int(r, 0, 0);
		PQclear(r);
	}
	return rc;
}

static void member_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct collection_member *m = item;
	m->user_id = pgs_int(r, row, 0);
	m->name = pgs_text(a, r, row, 1);
	m->role = (int)pgs_int(r, row, 2);
	m->created_at = pgs_int(r, row, 3);
}

int pgs_collection_members(struct store *st, struct arena *a, int64_t collection_id, int min_role,
                           const char *after_name, int limit, struct collection_member **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, member_row, out, n, &COLL_MEMBERS, "Iisi", collection_id, min_role,
	                 or_empty(after_name), limit > 0 && limit <= LIST_MAX ? limit : LIST_MAX);
}

int pgs_collection_item_set(struct store *st, int64_t collection_id, int64_t work_id, int by_collection,
                            int by_creator, int64_t added_by)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (collection_id <= 0 || work_id <= 0 || by_collection < -1 || by_collection > 1 || by_creator < -1 ||
	    by_creator > 1)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &COLL_ITEM_SET, "IIiiII", collection_id, work_id, by_collection, by_creator, added_by,
		              pgs_now());
		if (rc == 0)
			rc = work_flags_sync(s, c, work_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id); /* the work's page lists its collections */
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

int pgs_collection_item_delete(struct store *st, int64_t collection_id, int64_t work_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &COLL_ITEM_DELETE, "II", collection_id, work_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = work_flags_sync(s, c, work_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

static void item_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct collection_item *it = item;
	it->collection_id = pgs_int(r, row, 0);
	it->work_id = pgs_int(r, row, 1);
	it->by_collection = (int)pgs_int(r, row, 2);
	it->by_creator = (int)pgs_int(r, row, 3);
	it->added_by = pgs_int(r, row, 4);
	it->created_at = pgs_int(r, row, 5);
	it->collection_name = pgs_text(a, r, row, 6);
	it->collection_title = pgs_text(a, r, row, 7);
	it->work_title = pgs_text(a, r, row, 8);
	it->collection_unrevealed = pgs_int(r, row, 9) != 0;
	it->collection_anonymous = pgs_int(r, row, 10) != 0;
	it->collection_moderated = pgs_int(r, row, 11) != 0;
	it->collection_closed = pgs_int(r, row, 12) != 0;
	it->collection_challenge = (int)pgs_int(r, row, 13);
}

int pgs_collection_items_of_work(struct store *st, struct arena *a, int64_t work_id, struct collection_item **out,
                                 size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, item_row, out, n, &COLL_ITEMS_OF_WORK, "I", work_id);
}

int pgs_collection_items(struct store *st, struct arena *a, int64_t collection_id, int state, int64_t before,
                         int limit, struct collection_item **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, item_row, out, n, &COLL_ITEMS, "IiIi", collection_id, state,
	                 before > 0 ? before : INT64_MAX, limit > 0 && limit <= LIST_MAX ? limit : 20);
}

int pgs_collection_reveal(struct store *st, int64_t collection_id, bool works, bool creators)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &COLL_REVEAL, "IiiI", collection_id, (int)works, (int)creators, pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		/* The works' flags follow; the triggers on works announce what their hiding held back. */
		if (rc == 0)
			rc = collection_works_sync(s, c, collection_id);
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

int pgs_collection_reveal_due(struct store *st, struct arena *a, int64_t now, int64_t **ids, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **ids, pgs_row_id, ids, n, &COLL_REVEAL_DUE, "I", now);
}

/* ---- Gifts ---------------------------------------------------------------------------------------------- */

static void gift_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct gift *g = item;
	g->id = pgs_int(r, row, 0);
	g->work_id = pgs_int(r, row, 1);
	g->user_id = pgs_int(r, row, 2);
	g->name = pgs_text(a, r, row, 3);
	g->refused = pgs_int(r, row, 4) != 0;
	g->created_at = pgs_int(r, row, 5);
	g->work_title = pgs_text(a, r, row, 6);
	g->work_creator = pgs_text(a, r, row, 7);
	g->work_owner_id = pgs_int(r, row, 8);
	g->work_draft = pgs_int(r, row, 9) != 0;
	g->work_restricted = pgs_int(r, row, 10) != 0;
	g->work_unrevealed = pgs_int(r, row, 11) != 0;
	g->work_anonymous = pgs_int(r, row, 12) != 0;
	g->work_updated_at = pgs_int(r, row, 13);
}

int pgs_gifts_set(struct store *st, int64_t work_id, const struct gift *g, size_t n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	for (size_t i = 0; i < n; i++)
		if (!g[i].name || !*g[i].name)
			return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		struct arena *a = arena_new();
		struct gift *old = NULL;
		size_t nold = 0;
		PGresult *r = pgs_query(c, &GIFTS_OF_WORK, &rc, "I", work_id);
		rc = pgs_rows(a, r, rc, sizeof *old, gift_row, (void **)&old, &nold);
		bool *kept = arena_calloc(a, nold + 1, sizeof *kept);
		int64_t now = pgs_now();
		/* Kept names first at their new places: a name moved and a new one never meet in the unique index. */
		for (size_t i = 0; i < n && rc == 0; i++) {
			size_t k = 0;
			while (k < nold && strcasecmp(old[k].name, g[i].name) != 0)
				k++;
			if (k < nold) {
				kept[k] = true;
				rc = pgs_exec(c, &GIFT_KEEP, "IIsi", old[k].id, g[i].user_id, g[i].name, (int)i);
				if (old[k].user_id != g[i].user_id) {
					pgs_note(s, STORE_CHANGE_USER, old[k].user_id);
					pgs_note(s, STORE_CHANGE_USER, g[i].user_id);
				}
			}
		}
		for (size_t k = 0; k < nold && rc == 0; k++)
			if (!kept[k]) {
				rc = pgs_exec(c, &GIFT_DELETE, "I", old[k].id);
				pgs_note(s, STORE_CHANGE_USER, old[k].user_id);
			}
		for (size_t i = 0; i < n && rc == 0; i++) {
			size_t k = 0;
			while (k < nold && strcasecmp(old[k].name, g[i].name) != 0)
				k++;
			if (k == nold) {
				rc = pgs_exec(c, &GIFT_INSERT, "IIsiI", work_id, g[i].user_id, g[i].name, (int)i, now);
				pgs_note(s, STORE_CHANGE_USER, g[i].user_id);
			}
		}
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
		arena_free(a);
	}
	return rc;
}

int pgs_gifts_of_work(struct store *st, struct arena *a, int64_t work_id, struct gift **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, gift_row, out, n, &GIFTS_OF_WORK, "I", work_id);
}

int pgs_gifts_of_user(struct store *st, struct arena *a, int64_t user_id, bool with_refused, int64_t before_id,
                      int limit, struct gift **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, gift_row, out, n, &GIFTS_OF_USER, "IiIi", user_id, (int)with_refused,
	                 before_id > 0 ? before_id : INT64_MAX, limit > 0 && limit <= LIST_MAX ? limit : 20);
}

int pgs_gift_refuse(struct store *st, int64_t gift_id, int64_t user_id, bool refused)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t work_id = 0;
		rc = pgs_exec(c, &GIFT_REFUSE, "IIi", gift_id, user_id, (int)refused);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_query_int(c, &work_id, &GIFT_WORK, "I", gift_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
		pgs_note(s, STORE_CHANGE_USER, user_id);
	}
	return rc;
}
