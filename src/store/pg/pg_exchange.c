/* PostgreSQL backend: gift exchanges: settings and tag sets, sign-ups with their items, assignments and their
 * notices (as sqlite/exchange.c). */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/tagname.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 500

#define EXCH_COLS "e.collection_id, e.signups_open, e.signups_open_at, e.signups_close_at, e.assignments_due_at," \
	" e.requests_min, e.requests_max, e.offers_min, e.offers_max, e.tags_min, e.tags_max, e.match, e.allow_any," \
	" e.instructions, e.instructions_html, e.matched_at, e.sent_at, e.signups_count FROM exchanges e"
#define SIGNUP_COLS "s.id, s.collection_id, s.user_id, u.name, s.pinch_hitter, s.created_at, s.updated_at" \
	" FROM signups s JOIN users u ON u.id = s.user_id"
#define ASSIGN_COLS "a.id, a.collection_id, coalesce(a.giver_id, 0), coalesce(a.recipient_id, 0)," \
	" coalesce(a.request_signup_id, 0), coalesce(a.offer_signup_id, 0), a.pinch_hit, coalesce(a.defaulted_by, 0)," \
	" a.sent_at, a.defaulted_at, coalesce(a.fulfilled_work_id, 0), a.created_at, g.name, r.name, d.name, c.name," \
	" c.title, w.title, coalesce(e.assignments_due_at, 0)" \
	" FROM assignments a JOIN collections c ON c.id = a.collection_id" \
	" LEFT JOIN exchanges e ON e.collection_id = a.collection_id LEFT JOIN users g ON g.id = a.giver_id" \
	" LEFT JOIN users r ON r.id = a.recipient_id LEFT JOIN users d ON d.id = a.defaulted_by" \
	" LEFT JOIN works w ON w.id = a.fulfilled_work_id"
/* Inbox and outbox rows telling the givers of the assignments WHERE selects ($NOW: now). */
#define ASSIGN_INBOX(WHERE, NOW) "INSERT INTO inbox(user_id, kind, body, url, read, created_at)" \
	" SELECT a.giver_id, 'assignment', 'Your assignment in ' || c.title || ': a gift for ' || r.name," \
	" '/collections/' || c.name || '/assignments/' || a.id, 0, " NOW "::bigint FROM assignments a" \
	" JOIN collections c ON c.id = a.collection_id JOIN users r ON r.id = a.recipient_id WHERE " WHERE \
	" AND a.giver_id IS NOT NULL"
#define ASSIGN_OUTBOX(WHERE, NOW) "INSERT INTO outbox(kind, user_id, ref_id, next_attempt_at, created_at)" \
	" SELECT 8, a.giver_id, a.id, " NOW "::bigint, " NOW "::bigint FROM assignments a WHERE " WHERE \
	" AND a.giver_id IS NOT NULL"

static struct pg_stmt EXCH_GET = PG_STMT("SELECT " EXCH_COLS " WHERE e.collection_id = $1");
static struct pg_stmt EXCH_SET = PG_STMT("INSERT INTO exchanges(collection_id, signups_open, signups_open_at,"
	" signups_close_at, assignments_due_at, requests_min, requests_max, offers_min, offers_max, tags_min, tags_max,"
	" match, allow_any, instructions, instructions_html)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
	" ON CONFLICT (collection_id) DO UPDATE SET signups_open = excluded.signups_open,"
	" signups_open_at = excluded.signups_open_at, signups_close_at = excluded.signups_close_at,"
	" assignments_due_at = excluded.assignments_due_at, requests_min = excluded.requests_min,"
	" requests_max = excluded.requests_max, offers_min = excluded.offers_min, offers_max = excluded.offers_max,"
	" tags_min = excluded.tags_min, tags_max = excluded.tags_max, match = excluded.match,"
	" allow_any = excluded.allow_any, instructions = excluded.instructions,"
	" instructions_html = excluded.instructions_html");
static struct pg_stmt EXCH_TAGS_CLEAR = PG_STMT("DELETE FROM exchange_tags WHERE collection_id = $1 AND dim = $2");
static struct pg_stmt EXCH_TAG_ADD = PG_STMT("INSERT INTO exchange_tags(collection_id, tag_id, dim) VALUES ($1, $2, $3)"
	" ON CONFLICT DO NOTHING");
static struct pg_stmt EXCH_TAGS = PG_STMT("SELECT t.name FROM exchange_tags x JOIN tags t ON t.id = x.tag_id"
	" WHERE x.collection_id = $1 AND x.dim = $2 ORDER BY quire_nocase(t.name), t.name");
/* $3: the name's folded form (core/tagname.h, as SQLite's quire_tag_norm). */
static struct pg_stmt EXCH_TAG_FIND = PG_STMT("SELECT x.tag_id FROM exchange_tags x JOIN tags t ON t.id = x.tag_id"
	" WHERE x.collection_id = $1 AND x.dim = $2 AND t.norm = $3");
static struct pg_stmt SIGNUP_UPSERT = PG_STMT("INSERT INTO signups(collection_id, user_id, pinch_hitter, created_at,"
	" updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (collection_id, user_id) DO UPDATE SET"
	" pinch_hitter = excluded.pinch_hitter, updated_at = excluded.updated_at RETURNING id");
static struct pg_stmt SIGNUP_ITEMS_CLEAR = PG_STMT("DELETE FROM signup_items WHERE signup_id = $1");
static struct pg_stmt SIGNUP_ITEM_INSERT = PG_STMT("INSERT INTO signup_items(signup_id, kind, position, any_mask,"
	" description, description_html) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
static struct pg_stmt SIGNUP_ITEM_TAG = PG_STMT("INSERT INTO signup_item_tags(item_id, tag_id, dim, position)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
static struct pg_stmt SIGNUP_GET = PG_STMT("SELECT " SIGNUP_COLS " WHERE s.id = $1");
static struct pg_stmt SIGNUP_GET_BY = PG_STMT("SELECT " SIGNUP_COLS " WHERE s.collection_id = $1 AND s.user_id = $2");
static struct pg_stmt SIGNUP_ITEMS = PG_STMT("SELECT id, kind, any_mask, description, description_html"
	" FROM signup_items WHERE signup_id = $1 ORDER BY kind, position");
static struct pg_stmt SIGNUP_ITEM_TAGS = PG_STMT("SELECT it.item_id, it.dim, t.id, t.name FROM signup_item_tags it"
	" JOIN signup_items i ON i.id = it.item_id JOIN tags t ON t.id = it.tag_id WHERE i.signup_id = $1"
	" ORDER BY it.item_id, it.dim, it.position");
static struct pg_stmt SIGNUP_DELETE = PG_STMT("DELETE FROM signups WHERE collection_id = $1 AND user_id = $2");
static struct pg_stmt SIGNUPS_LIST = PG_STMT("SELECT " SIGNUP_COLS " WHERE s.collection_id = $1"
	" AND quire_nocase(u.name) > quire_nocase($2) ORDER BY quire_nocase(u.name) LIMIT $3");
static struct pg_stmt SIGNUPS_MATCHING = PG_STMT("SELECT s.id, s.user_id, i.id, i.kind, i.any_mask, it.dim,"
	" it.tag_id, it.dim IS NULL FROM signups s JOIN signup_items i ON i.signup_id = s.id"
	" LEFT JOIN signup_item_tags it ON it.item_id = i.id"
	" WHERE s.collection_id = $1 ORDER BY s.id, i.kind, i.position, i.id, it.dim, it.tag_id");
static struct pg_stmt ASSIGN_DRAFTS_CLEAR = PG_STMT("DELETE FROM assignments WHERE collection_id = $1 AND sent_at = 0");
static struct pg_stmt ASSIGN_INSERT = PG_STMT("INSERT INTO assignments(collection_id, giver_id, recipient_id,"
	" request_signup_id, offer_signup_id, created_at) VALUES ($1, (SELECT user_id FROM signups WHERE id = $3),"
	" (SELECT user_id FROM signups WHERE id = $2), $2, NULLIF($3::bigint, 0), $4)");
static struct pg_stmt EXCH_MATCHED = PG_STMT("UPDATE exchanges SET matched_at = $2 WHERE collection_id = $1");
static struct pg_stmt ASSIGN_GET = PG_STMT("SELECT " ASSIGN_COLS " WHERE a.id = $1");
static struct pg_stmt ASSIGN_LIST = PG_STMT("SELECT " ASSIGN_COLS " WHERE a.collection_id = $1 AND a.id > $3"
	" AND CASE $2::int WHEN 0 THEN true WHEN 1 THEN a.sent_at = 0 WHEN 2 THEN a.sent_at > 0"
	" WHEN 3 THEN a.sent_at > 0 AND a.giver_id IS NULL AND a.fulfilled_work_id IS NULL"
	" WHEN 4 THEN a.defaulted_at > 0 ELSE a.sent_at > 0 AND a.fulfilled_work_id IS NULL END"
	" ORDER BY a.id LIMIT $4");
static struct pg_stmt ASSIGN_LIST_GIVER = PG_STMT("SELECT " ASSIGN_COLS " WHERE a.giver_id = $1 AND a.sent_at > 0"
	" AND a.id > $2 ORDER BY a.id LIMIT $3");
static struct pg_stmt ASSIGN_SET_GIVER = PG_STMT("UPDATE assignments SET giver_id = NULLIF($2::bigint, 0),"
	" offer_signup_id = NULLIF($3::bigint, 0), pinch_hit = $4 WHERE id = $1 AND fulfilled_work_id IS NULL");
static struct pg_stmt ASSIGN_SEND = PG_STMT("UPDATE assignments SET sent_at = $2 WHERE collection_id = $1"
	" AND sent_at = 0");
static struct pg_stmt EXCH_SENT = PG_STMT("UPDATE exchanges SET sent_at = $2 WHERE collection_id = $1");
static struct pg_stmt ASSIGN_SENT_INBOX = PG_STMT(ASSIGN_INBOX("a.collection_id = $1 AND a.sent_at = $2", "$2"));
static struct pg_stmt ASSIGN_SENT_OUTBOX = PG_STMT(ASSIGN_OUTBOX("a.collection_id = $1 AND a.sent_at = $2", "$2"));
static struct pg_stmt ASSIGN_ONE_INBOX = PG_STMT(ASSIGN_INBOX("a.id = $1 AND a.sent_at > 0", "$2"));
static struct pg_stmt ASSIGN_ONE_OUTBOX = PG_STMT(ASSIGN_OUTBOX("a.id = $1 AND a.sent_at > 0", "$2"));
static struct pg_stmt ASSIGN_DEFAULT = PG_STMT("UPDATE assignments SET defaulted_by = giver_id, giver_id = NULL,"
	" offer_signup_id = NULL, defaulted_at = $3, pinch_hit = 0 WHERE id = $1 AND giver_id = $2 AND sent_at > 0"
	" AND fulfilled_work_id IS NULL");
static struct pg_stmt ASSIGN_FULFILL = PG_STMT("UPDATE assignments SET fulfilled_work_id = $2 WHERE id = $1");
static struct pg_stmt ASSIGN_COLLECTION = PG_STMT("SELECT collection_id FROM assignments WHERE id = $1");

static void exchange_row(struct arena *a, const PGresult *r, int row, struct exchange *x)
{
	memset(x, 0, sizeof *x);
	x->collection_id = pgs_int(r, row, 0);
	x->signups_open = pgs_int(r, row, 1) != 0;
	x->signups_open_at = pgs_int(r, row, 2);
	x->signups_close_at = pgs_int(r, row, 3);
	x->assignments_due_at = pgs_int(r, row, 4);
	x->requests_min = (int)pgs_int(r, row, 5);
	x->requests_max = (int)pgs_int(r, row, 6);
	x->offers_min = (int)pgs_int(r, row, 7);
	x->offers_max = (int)pgs_int(r, row, 8);
	store_exchange_ints_parse(PQgetvalue(r, row, 9), x->tags_min);
	store_exchange_ints_parse(PQgetvalue(r, row, 10), x->tags_max);
	store_exchange_ints_parse(PQgetvalue(r, row, 11), x->match);
	int any[EXCHANGE_DIMS];
	store_exchange_ints_parse(PQgetvalue(r, row, 12), any);
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		x->allow_any[d] = any[d] != 0;
	x->instructions = (struct text){pgs_text(a, r, row, 13), pgs_text(a, r, row, 14)};
	x->matched_at = pgs_int(r, row, 15);
	x->sent_at = pgs_int(r, row, 16);
	x->signups_count = pgs_int(r, row, 17);
}

int pgs_exchange_get(struct store *st, struct arena *a, int64_t collection_id, struct exchange *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &EXCH_GET, &rc, "I", collection_id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			exchange_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_exchange_set(struct store *st, const struct exchange *x)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!x || x->collection_id <= 0)
		return pgs_refuse(s, Q_EINVAL);
	char tmin[STORE_EXCHANGE_INTS_LEN], tmax[STORE_EXCHANGE_INTS_LEN], match[STORE_EXCHANGE_INTS_LEN];
	char any_text[STORE_EXCHANGE_INTS_LEN];
	int any[EXCHANGE_DIMS];
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		any[d] = x->allow_any[d];
	store_exchange_ints_text(tmin, x->tags_min);
	store_exchange_ints_text(tmax, x->tags_max);
	store_exchange_ints_text(match, x->match);
	store_exchange_ints_text(any_text, any);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &EXCH_SET, "IiIIIiiiissssss", x->collection_id, (int)x->signups_open, x->signups_open_at,
		              x->signups_close_at, x->assignments_due_at, x->requests_min, x->requests_max, x->offers_min,
		              x->offers_max, tmin, tmax, match, any_text, x->instructions.src, x->instructions.html);
		pgs_note(s, STORE_CHANGE_COLLECTION, x->collection_id);
	}
	return rc;
}

int pgs_exchange_tags_set(struct store *st, int64_t collection_id, int dim, const char *const *names, size_t n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (dim < 0 || dim >= EXCHANGE_DIMS)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &EXCH_TAGS_CLEAR, "Ii", collection_id, dim);
		for (size_t i = 0; i < n && rc == 0; i++) {
			int64_t id = 0;
			rc = pgs_tag_id(c, store_exchange_tag_type[dim], names[i], &id, NULL);
			if (rc == 0)
				rc = pgs_exec(c, &EXCH_TAG_ADD, "IIi", collection_id, id, dim);
		}
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

int pgs_exchange_tags(struct store *st, struct arena *a, int64_t collection_id, int dim, const char ***names, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **names, pgs_row_text, names, n, &EXCH_TAGS, "Ii", collection_id, dim);
}

int pgs_exchange_tags_find(struct store *st, int64_t collection_id, int dim, const char *const *names, size_t n,
                           int64_t *ids)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		struct arena *a = arena_new();
		for (size_t i = 0; i < n && rc == 0; i++) {
			ids[i] = 0;
			char *norm = NULL;
			if (!names[i] || tagname_norm(a, names[i], strlen(names[i]), &norm))
				continue; /* invalid text matches no tag */
			rc = pgs_query_int(c, &ids[i], &EXCH_TAG_FIND, "Iit", collection_id, dim, norm);
			if (rc == Q_ENOTFOUND)
				rc = 0;
		}
		arena_free(a);
	}
	return rc;
}

/* ---- Sign-ups ------------------------------------------------------------------------------------------------ */

int pgs_signup_save(struct store *st, const struct signup *su, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!su || su->collection_id <= 0 || su->user_id <= 0 || (su->nitems && !su->items))
		return pgs_refuse(s, Q_EINVAL);
	int64_t sid = 0, now = pgs_now();
	PG_WRITE(s, c, rc) {
		rc = pgs_query_int(c, &sid, &SIGNUP_UPSERT, "IIiI", su->collection_id, su->user_id, (int)su->pinch_hitter, now);
		if (rc == 0)
			rc = pgs_exec(c, &SIGNUP_ITEMS_CLEAR, "I", sid);
		int pos[2] = {0, 0};
		for (size_t i = 0; i < su->nitems && rc == 0; i++) {
			const struct signup_item *it = &su->items[i];
			int kind = it->kind ? 1 : 0;
			int64_t iid = 0;
			rc = pgs_query_int(c, &iid, &SIGNUP_ITEM_INSERT, "Iiiiss", sid, kind, pos[kind]++, (int)it->any_mask,
			                   it->description.src, it->description.html);
			for (int d = 0; d < EXCHANGE_DIMS && rc == 0; d++)
				for (size_t k = 0; k < it->tags[d].n && rc == 0; k++) {
					int64_t tid = it->tag_ids[d] ? it->tag_ids[d][k] : 0;
					rc = tid ? pgs_exec(c, &SIGNUP_ITEM_TAG, "IIii", iid, tid, d, (int)k)
					         : Q_EINVAL; /* the rules resolve every tag to the tag set's */
				}
		}
		pgs_note(s, STORE_CHANGE_COLLECTION, su->collection_id);
	}
	if (rc == 0 && id)
		*id = sid;
	return rc;
}

static void signup_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct signup *su = item;
	memset(su, 0, sizeof *su);
	su->id = pgs_int(r, row, 0);
	su->collection_id = pgs_int(r, row, 1);
	su->user_id = pgs_int(r, row, 2);
	su->user_name = pgs_text(a, r, row, 3);
	su->pinch_hitter = pgs_int(r, row, 4) != 0;
	su->created_at = pgs_int(r, row, 5);
	su->updated_at = pgs_int(r, row, 6);
}

static void item_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct signup_item *it = item;
	memset(it, 0, sizeof *it);
	it->id = pgs_int(r, row, 0);
	it->kind = (int)pgs_int(r, row, 1);
	it->any_mask = (unsigned)pgs_int(r, row, 2);
	it->description = (struct text){pgs_text(a, r, row, 3), pgs_text(a, r, row, 4)};
}

/* The items of a sign-up with their tags. */
static int signup_items_read(struct pgc *c, struct arena *a, struct signup *su)
{
	int rc;
	PGresult *r = pgs_query(c, &SIGNUP_ITEMS, &rc, "I", su->id);
	rc = pgs_rows(a, r, rc, sizeof *su->items, item_row, (void **)&su->items, &su->nitems);
	if (rc)
		return rc;
	r = pgs_query(c, &SIGNUP_ITEM_TAGS, &rc, "I", su->id);
	if (!r)
		return rc;
	size_t (*cap)[EXCHANGE_DIMS] = arena_calloc(a, su->nitems + 1, sizeof *cap);
	for (int row = 0; row < PQntuples(r); row++) {
		int64_t iid = pgs_int(r, row, 0);
		int d = (int)pgs_int(r, row, 1);
		size_t k = 0;
		while (k < su->nitems && su->items[k].id != iid)
			k++;
		if (k == su->nitems || d < 0 || d >= EXCHANGE_DIMS)
			continue;
		struct signup_item *it = &su->items[k];
		size_t n = it->tags[d].n, names_cap = cap[k][d], ids_cap = cap[k][d];
		it->tags[d].items = pgs_grow(a, (void *)it->tags[d].items, n, &names_cap, sizeof *it->tags[d].items);
		it->tag_ids[d] = pgs_grow(a, it->tag_ids[d], n, &ids_cap, sizeof *it->tag_ids[d]);
		cap[k][d] = names_cap;
		it->tag_ids[d][n] = pgs_int(r, row, 2);
		it->tags[d].items[n] = pgs_text(a, r, row, 3);
		it->tags[d].n = n + 1;
	}
	PQclear(r);
	return 0;
}

int pgs_signup_get(struct store *st, struct arena *a, int64_t id, int64_t collection_id, int64_t user_id,
                   struct signup *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = id > 0 ? pgs_query(c, &SIGNUP_GET, &rc, "I", id)
		                     : pgs_query(c, &SIGNUP_GET_BY, &rc, "II", collection_id, user_id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			signup_row(a, r, 0, out);
		PQclear(r);
		if (rc == 0)
			rc = signup_items_read(c, a, out);
	}
	return rc;
}

int pgs_signup_delete(struct store *st, int64_t collection_id, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SIGNUP_DELETE, "II", collection_id, user_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

int pgs_signups_list(struct store *st, struct arena *a, int64_t collection_id, const char *after_name, int limit,
                     struct signup **out, size_t *n)
{
	return pgs_read_rows(st, a, sizeof **out, signup_row, out, n, &SIGNUPS_LIST, "Isi", collection_id,
	                     after_name ? after_name : "", limit > 0 && limit <= LIST_MAX ? limit : 100);
}

int pgs_signups_for_matching(struct store *st, struct arena *a, int64_t collection_id, struct signup_tags **out,
                             size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SIGNUPS_MATCHING, &rc, "I", collection_id);
		struct signup_tags *list = NULL;
		size_t count = 0, cap = 0, icap = 0, tcap[EXCHANGE_DIMS] = {0};
		int64_t last_signup = 0, last_item = 0;
		for (int row = 0; r && row < PQntuples(r); row++) {
			int64_t sid = pgs_int(r, row, 0), iid = pgs_int(r, row, 2);
			if (sid != last_signup) {
				list = pgs_grow(a, list, count, &cap, sizeof *list);
				list[count++] = (struct signup_tags){.signup_id = sid, .user_id = pgs_int(r, row, 1)};
				last_signup = sid;
				last_item = 0;
				icap = 0;
			}
			struct signup_tags *su = &list[count - 1];
			if (iid != last_item) {
				su->items = pgs_grow(a, su->items, su->nitems, &icap, sizeof *su->items);
				struct signup_tag_item *it = &su->items[su->nitems++];
				memset(it, 0, sizeof *it);
				it->kind = (int)pgs_int(r, row, 3);
				it->any_mask = (unsigned)pgs_int(r, row, 4);
				memset(tcap, 0, sizeof tcap);
				last_item = iid;
			}
			if (pgs_int(r, row, 7))
				continue; /* an item with no tags */
			struct signup_tag_item *it = &su->items[su->nitems - 1];
			int d = (int)pgs_int(r, row, 5);
			if (d < 0 || d >= EXCHANGE_DIMS)
				continue;
			it->tags[d] = pgs_grow(a, it->tags[d], it->ntags[d], &tcap[d], sizeof *it->tags[d]);
			it->tags[d][it->ntags[d]++] = (uint32_t)pgs_int(r, row, 6);
		}
		PQclear(r);
		if (rc == 0) {
			*out = list;
			*n = count;
		}
	}
	return rc;
}

/* ---- Assignments ------------------------------------------------------------------------------------------- */

int pgs_assignments_replace_drafts(struct store *st, int64_t collection_id, const int64_t (*pairs)[2], size_t n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t now = pgs_now();
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &ASSIGN_DRAFTS_CLEAR, "I", collection_id);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = pgs_exec(c, &ASSIGN_INSERT, "IIII", collection_id, pairs[i][0], pairs[i][1], now);
		if (rc == 0)
			rc = pgs_exec(c, &EXCH_MATCHED, "II", collection_id, now);
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

static void assignment_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct assignment *x = item;
	x->id = pgs_int(r, row, 0);
	x->collection_id = pgs_int(r, row, 1);
	x->giver_id = pgs_int(r, row, 2);
	x->recipient_id = pgs_int(r, row, 3);
	x->request_signup_id = pgs_int(r, row, 4);
	x->offer_signup_id = pgs_int(r, row, 5);
	x->pinch_hit = pgs_int(r, row, 6) != 0;
	x->defaulted_by = pgs_int(r, row, 7);
	x->sent_at = pgs_int(r, row, 8);
	x->defaulted_at = pgs_int(r, row, 9);
	x->fulfilled_work_id = pgs_int(r, row, 10);
	x->created_at = pgs_int(r, row, 11);
	x->giver_name = pgs_text(a, r, row, 12);
	x->recipient_name = pgs_text(a, r, row, 13);
	x->defaulted_name = pgs_text(a, r, row, 14);
	x->collection_name = pgs_text(a, r, row, 15);
	x->collection_title = pgs_text(a, r, row, 16);
	x->work_title = pgs_text(a, r, row, 17);
	x->due_at = pgs_int(r, row, 18);
}

int pgs_assignments(struct store *st, struct arena *a, int64_t collection_id, int64_t user_id, int filter,
                    int64_t after_id, int limit, struct assignment **out, size_t *n)
{
	int lim = limit > 0 && limit <= LIST_MAX ? limit : 100;
	if (user_id)
		return pgs_read_rows(st, a, sizeof **out, assignment_row, out, n, &ASSIGN_LIST_GIVER, "IIi", user_id, after_id,
		                     lim);
	return pgs_read_rows(st, a, sizeof **out, assignment_row, out, n, &ASSIGN_LIST, "IiIi", collection_id, filter,
	                     after_id, lim);
}

int pgs_assignment_get(struct store *st, struct arena *a, int64_t id, struct assignment *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &ASSIGN_GET, &rc, "I", id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			assignment_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

/* Notes the collection of assignment id (its pages change). */
static int note_assignment(struct pg *s, struct pgc *c, int64_t id)
{
	int64_t cid = 0;
	int rc = pgs_query_int(c, &cid, &ASSIGN_COLLECTION, "I", id);
	pgs_note(s, STORE_CHANGE_COLLECTION, cid);
	return rc;
}

int pgs_assignment_set_giver(struct store *st, int64_t id, int64_t giver_id, int64_t giver_signup_id, bool pinch_hit)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &ASSIGN_SET_GIVER, "IIIi", id, giver_id, giver_signup_id, (int)pinch_hit);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		int64_t now = pgs_now();
		/* A sent assignment handed to someone: they are told, as at sending (nothing for a draft). */
		if (rc == 0 && giver_id)
			rc = pgs_exec(c, &ASSIGN_ONE_INBOX, "II", id, now);
		if (rc == 0 && giver_id)
			rc = pgs_exec(c, &ASSIGN_ONE_OUTBOX, "II", id, now);
		if (rc == 0)
			rc = note_assignment(s, c, id);
	}
	return rc;
}

int pgs_assignments_send(struct store *st, int64_t collection_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t now = pgs_now();
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &ASSIGN_SEND, "II", collection_id, now);
		if (rc == 0)
			rc = pgs_exec(c, &ASSIGN_SENT_INBOX, "II", collection_id, now);
		if (rc == 0)
			rc = pgs_exec(c, &ASSIGN_SENT_OUTBOX, "II", collection_id, now);
		if (rc == 0)
			rc = pgs_exec(c, &EXCH_SENT, "II", collection_id, now);
		pgs_note(s, STORE_CHANGE_COLLECTION, collection_id);
	}
	return rc;
}

int pgs_assignment_default(struct store *st, int64_t id, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &ASSIGN_DEFAULT, "III", id, user_id, pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = note_assignment(s, c, id);
	}
	return rc;
}

int pgs_assignment_fulfill(struct store *st, int64_t id, int64_t work_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &ASSIGN_FULFILL, "II", id, work_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = note_assignment(s, c, id);
	}
	return rc;
}
