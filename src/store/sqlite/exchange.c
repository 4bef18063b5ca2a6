/* SQLite backend: gift exchanges: settings and tag sets, sign-ups with their items, assignments and their notices. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 500

static void exchange_from_row(struct arena *a, sqlite3_stmt *q, struct exchange *x)
{
	memset(x, 0, sizeof *x);
	x->collection_id = sqlite3_column_int64(q, 0);
	x->signups_open = sqlite3_column_int(q, 1) != 0;
	x->signups_open_at = sqlite3_column_int64(q, 2);
	x->signups_close_at = sqlite3_column_int64(q, 3);
	x->assignments_due_at = sqlite3_column_int64(q, 4);
	x->requests_min = sqlite3_column_int(q, 5);
	x->requests_max = sqlite3_column_int(q, 6);
	x->offers_min = sqlite3_column_int(q, 7);
	x->offers_max = sqlite3_column_int(q, 8);
	store_exchange_ints_parse((const char *)sqlite3_column_text(q, 9), x->tags_min);
	store_exchange_ints_parse((const char *)sqlite3_column_text(q, 10), x->tags_max);
	store_exchange_ints_parse((const char *)sqlite3_column_text(q, 11), x->match);
	int any[EXCHANGE_DIMS];
	store_exchange_ints_parse((const char *)sqlite3_column_text(q, 12), any);
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		x->allow_any[d] = any[d] != 0;
	x->instructions = (struct text){sqls_col_text(a, q, 13), sqls_col_text(a, q, 14)};
	x->matched_at = sqlite3_column_int64(q, 15);
	x->sent_at = sqlite3_column_int64(q, 16);
	x->signups_count = sqlite3_column_int64(q, 17);
}

int sqls_exchange_get(struct store *st, struct arena *a, int64_t collection_id, struct exchange *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_EXCH_GET, "I", collection_id);
	rc = sqls_one_row(c, q);
	if (rc == 0)
		exchange_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_exchange_set(struct store *st, const struct exchange *x)
{
	struct sqls *s = sqls_of(st);
	if (!x || x->collection_id <= 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	char tmin[STORE_EXCHANGE_INTS_LEN], tmax[STORE_EXCHANGE_INTS_LEN], match[STORE_EXCHANGE_INTS_LEN];
	char any_text[STORE_EXCHANGE_INTS_LEN];
	int any[EXCHANGE_DIMS];
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		any[d] = x->allow_any[d];
	store_exchange_ints_text(tmin, x->tags_min);
	store_exchange_ints_text(tmax, x->tags_max);
	store_exchange_ints_text(match, x->match);
	store_exchange_ints_text(any_text, any);
	rc = sqls_exec(c, SQL_EXCH_SET, "IiIIIiiiissssss", x->collection_id, (int)x->signups_open, x->signups_open_at,
	               x->signups_close_at, x->assignments_due_at, x->requests_min, x->requests_max, x->offers_min,
	               x->offers_max, tmin, tmax, match, any_text, x->instructions.src, x->instructions.html);
	sqls_note(s, STORE_CHANGE_COLLECTION, x->collection_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_exchange_tags_set(struct store *st, int64_t collection_id, int dim, const char *const *names, size_t n)
{
	struct sqls *s = sqls_of(st);
	if (dim < 0 || dim >= EXCHANGE_DIMS)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_EXCH_TAGS_CLEAR, "Ii", collection_id, dim);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t id = 0;
		rc = sqls_tag_id(c, store_exchange_tag_type[dim], names[i], &id);
		if (rc == 0)
			rc = sqls_exec(c, SQL_EXCH_TAG_ADD, "IIi", collection_id, id, dim);
	}
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_exchange_tags(struct store *st, struct arena *a, int64_t collection_id, int dim, const char ***names, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **names, sqls_row_text, names, n, SQL_EXCH_TAGS, "Ii", collection_id,
	                      dim);
}

int sqls_exchange_tags_find(struct store *st, int64_t collection_id, int dim, const char *const *names, size_t n,
                            int64_t *ids)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		ids[i] = 0;
		rc = sqls_query_int(c, &ids[i], SQL_EXCH_TAG_FIND, "Iit", collection_id, dim, names[i]);
		if (rc == Q_ENOTFOUND)
			rc = 0;
	}
	sqls_rd_end(s, c);
	return rc;
}

/* ---- Sign-ups ------------------------------------------------------------------------------------------------ */

int sqls_signup_save(struct store *st, const struct signup *su, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	if (!su || su->collection_id <= 0 || su->user_id <= 0 || (su->nitems && !su->items))
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t sid = 0, now = sqls_now();
	rc = sqls_exec(c, SQL_SIGNUP_UPSERT, "IIiI", su->collection_id, su->user_id, (int)su->pinch_hitter, now);
	if (rc == 0)
		rc = sqls_query_int(c, &sid, SQL_SIGNUP_ID, "II", su->collection_id, su->user_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_SIGNUP_ITEMS_CLEAR, "I", sid);
	int pos[2] = {0, 0};
	for (size_t i = 0; i < su->nitems && rc == 0; i++) {
		const struct signup_item *it = &su->items[i];
		int kind = it->kind ? 1 : 0;
		rc = sqls_exec(c, SQL_SIGNUP_ITEM_INSERT, "Iiiiss", sid, kind, pos[kind]++, (int)it->any_mask,
		               it->description.src, it->description.html);
		int64_t iid = rc == 0 ? sqls_last_id(c) : 0;
		for (int d = 0; d < EXCHANGE_DIMS && rc == 0; d++)
			for (size_t k = 0; k < it->tags[d].n && rc == 0; k++) {
				int64_t tid = it->tag_ids[d] ? it->tag_ids[d][k] : 0;
				if (!tid)
					rc = Q_EINVAL; /* the rules resolve every tag to the tag set's */
				else
					rc = sqls_exec(c, SQL_SIGNUP_ITEM_TAG, "IIii", iid, tid, d, (int)k);
			}
	}
	sqls_note(s, STORE_CHANGE_COLLECTION, su->collection_id);
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0 && id)
		*id = sid;
	return rc;
}

static void signup_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct signup *su = item;
	memset(su, 0, sizeof *su);
	su->id = sqlite3_column_int64(q, 0);
	su->collection_id = sqlite3_column_int64(q, 1);
	su->user_id = sqlite3_column_int64(q, 2);
	su->user_name = sqls_col_text(a, q, 3);
	su->pinch_hitter = sqlite3_column_int(q, 4) != 0;
	su->created_at = sqlite3_column_int64(q, 5);
	su->updated_at = sqlite3_column_int64(q, 6);
}

static void item_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct signup_item *it = item;
	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(q, 0);
	it->kind = sqlite3_column_int(q, 1);
	it->any_mask = (unsigned)sqlite3_column_int(q, 2);
	it->description = (struct text){sqls_col_text(a, q, 3), sqls_col_text(a, q, 4)};
}

/* The items of a sign-up with their tags (two statements on c). */
static int signup_items_read(struct sqls_conn *c, struct arena *a, struct signup *su)
{
	int rc = sqls_rows(c, a, sqls_prep(c, SQL_SIGNUP_ITEMS, "I", su->id), sizeof *su->items, item_from_row, &su->items,
	                   &su->nitems);
	if (rc)
		return rc;
	/* Capacities of each item's tag arrays (names and ids grow together). */
	size_t (*cap)[EXCHANGE_DIMS] = arena_calloc(a, su->nitems + 1, sizeof *cap);
	sqlite3_stmt *q = sqls_prep(c, SQL_SIGNUP_ITEM_TAGS, "I", su->id);
	if (!q)
		return Q_ERR;
	while ((rc = sqls_step(c, q)) == 1) {
		int64_t iid = sqlite3_column_int64(q, 0);
		int d = sqlite3_column_int(q, 1);
		size_t k = 0;
		while (k < su->nitems && su->items[k].id != iid)
			k++;
		if (k == su->nitems || d < 0 || d >= EXCHANGE_DIMS)
			continue;
		struct signup_item *it = &su->items[k];
		size_t n = it->tags[d].n, names_cap = cap[k][d], ids_cap = cap[k][d];
		it->tags[d].items = arena_grow(a, (void *)it->tags[d].items, n, &names_cap, sizeof *it->tags[d].items);
		it->tag_ids[d] = arena_grow(a, it->tag_ids[d], n, &ids_cap, sizeof *it->tag_ids[d]);
		cap[k][d] = names_cap;
		it->tag_ids[d][n] = sqlite3_column_int64(q, 2);
		it->tags[d].items[n] = sqls_col_text(a, q, 3);
		it->tags[d].n = n + 1;
	}
	sqls_reset(q);
	return rc;
}

int sqls_signup_get(struct store *st, struct arena *a, int64_t id, int64_t collection_id, int64_t user_id,
                    struct signup *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = id > 0 ? sqls_prep(c, SQL_SIGNUP_GET, "I", id)
	                         : sqls_prep(c, SQL_SIGNUP_GET_BY, "II", collection_id, user_id);
	rc = sqls_one_row(c, q);
	if (rc == 0)
		signup_from_row(a, q, out);
	sqls_reset(q);
	if (rc == 0)
		rc = signup_items_read(c, a, out);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_signup_delete(struct store *st, int64_t collection_id, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SIGNUP_DELETE, "II", collection_id, user_id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_signups_list(struct store *st, struct arena *a, int64_t collection_id, const char *after_name, int limit,
                      struct signup **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, signup_from_row, out, n, SQL_SIGNUPS_LIST, "Isi",
	                      collection_id, after_name ? after_name : "", limit > 0 && limit <= LIST_MAX ? limit : 100);
}

int sqls_signups_for_matching(struct store *st, struct arena *a, int64_t collection_id, struct signup_tags **out,
                              size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SIGNUPS_MATCHING, "I", collection_id);
	if (!q) {
		sqls_rd_end(s, c);
		return Q_ERR;
	}
	struct signup_tags *list = NULL;
	size_t count = 0, cap = 0, icap = 0, tcap[EXCHANGE_DIMS];
	int64_t last_signup = 0, last_item = 0;
	while ((rc = sqls_step(c, q)) == 1) {
		int64_t sid = sqlite3_column_int64(q, 0), iid = sqlite3_column_int64(q, 2);
		if (sid != last_signup) {
			list = arena_grow(a, list, count, &cap, sizeof *list);
			list[count++] = (struct signup_tags){.signup_id = sid, .user_id = sqlite3_column_int64(q, 1)};
			last_signup = sid;
			last_item = 0;
			icap = 0;
		}
		struct signup_tags *su = &list[count - 1];
		if (iid != last_item) {
			su->items = arena_grow(a, su->items, su->nitems, &icap, sizeof *su->items);
			struct signup_tag_item *it = &su->items[su->nitems++];
			memset(it, 0, sizeof *it);
			it->kind = sqlite3_column_int(q, 3);
			it->any_mask = (unsigned)sqlite3_column_int(q, 4);
			memset(tcap, 0, sizeof tcap);
			last_item = iid;
		}
		if (sqlite3_column_type(q, 5) == SQLITE_NULL)
			continue; /* an item with no tags */
		struct signup_tag_item *it = &su->items[su->nitems - 1];
		int d = sqlite3_column_int(q, 5);
		if (d < 0 || d >= EXCHANGE_DIMS)
			continue;
		it->tags[d] = arena_grow(a, it->tags[d], it->ntags[d], &tcap[d], sizeof *it->tags[d]);
		it->tags[d][it->ntags[d]++] = (uint32_t)sqlite3_column_int64(q, 6);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	if (rc == 0) {
		*out = list;
		*n = count;
	}
	return rc;
}

/* ---- Assignments ------------------------------------------------------------------------------------------- */

int sqls_assignments_replace_drafts(struct store *st, int64_t collection_id, const int64_t (*pairs)[2], size_t n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t now = sqls_now();
	rc = sqls_exec(c, SQL_ASSIGN_DRAFTS_CLEAR, "I", collection_id);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = sqls_exec(c, SQL_ASSIGN_INSERT, "IIII", collection_id, pairs[i][0], pairs[i][1], now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_EXCH_MATCHED, "II", collection_id, now);
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	return sqls_wr_end(s, c, rc);
}

static void assignment_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct assignment *x = item;
	x->id = sqlite3_column_int64(q, 0);
	x->collection_id = sqlite3_column_int64(q, 1);
	x->giver_id = sqlite3_column_int64(q, 2);
	x->recipient_id = sqlite3_column_int64(q, 3);
	x->request_signup_id = sqlite3_column_int64(q, 4);
	x->offer_signup_id = sqlite3_column_int64(q, 5);
	x->pinch_hit = sqlite3_column_int(q, 6) != 0;
	x->defaulted_by = sqlite3_column_int64(q, 7);
	x->sent_at = sqlite3_column_int64(q, 8);
	x->defaulted_at = sqlite3_column_int64(q, 9);
	x->fulfilled_work_id = sqlite3_column_int64(q, 10);
	x->created_at = sqlite3_column_int64(q, 11);
	x->giver_name = sqls_col_text(a, q, 12);
	x->recipient_name = sqls_col_text(a, q, 13);
	x->defaulted_name = sqls_col_text(a, q, 14);
	x->collection_name = sqls_col_text(a, q, 15);
	x->collection_title = sqls_col_text(a, q, 16);
	x->work_title = sqls_col_text(a, q, 17);
	x->due_at = sqlite3_column_int64(q, 18);
}

int sqls_assignments(struct store *st, struct arena *a, int64_t collection_id, int64_t user_id, int filter,
                     int64_t after_id, int limit, struct assignment **out, size_t *n)
{
	int lim = limit > 0 && limit <= LIST_MAX ? limit : 100;
	if (user_id)
		return sqls_read_rows(sqls_of(st), a, sizeof **out, assignment_from_row, out, n, SQL_ASSIGN_LIST_GIVER, "IIi",
		                      user_id, after_id, lim);
	return sqls_read_rows(sqls_of(st), a, sizeof **out, assignment_from_row, out, n, SQL_ASSIGN_LIST, "IiIi",
	                      collection_id, filter, after_id, lim);
}

int sqls_assignment_get(struct store *st, struct arena *a, int64_t id, struct assignment *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_ASSIGN_GET, "I", id);
	rc = sqls_one_row(c, q);
	if (rc == 0)
		assignment_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

/* Notes the collection of assignment id (its pages change). */
static int note_assignment(struct sqls *s, struct sqls_conn *c, int64_t id)
{
	int64_t cid = 0;
	int rc = sqls_query_int(c, &cid, SQL_ASSIGN_COLLECTION, "I", id);
	sqls_note(s, STORE_CHANGE_COLLECTION, cid);
	return rc;
}

int sqls_assignment_set_giver(struct store *st, int64_t id, int64_t giver_id, int64_t giver_signup_id, bool pinch_hit)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_ASSIGN_SET_GIVER, "IIIi", id, giver_id, giver_signup_id, (int)pinch_hit);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	int64_t now = sqls_now();
	/* A sent assignment handed to someone: they are told, as at sending (nothing for a draft). */
	if (rc == 0 && giver_id)
		rc = sqls_exec(c, SQL_ASSIGN_ONE_INBOX, "III", id, (int64_t)0, now);
	if (rc == 0 && giver_id)
		rc = sqls_exec(c, SQL_ASSIGN_ONE_OUTBOX, "III", id, (int64_t)0, now);
	if (rc == 0)
		rc = note_assignment(s, c, id);
	return sqls_wr_end(s, c, rc);
}

int sqls_assignments_send(struct store *st, int64_t collection_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t now = sqls_now();
	rc = sqls_exec(c, SQL_ASSIGN_SEND, "II", collection_id, now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_ASSIGN_SENT_INBOX, "III", collection_id, now, now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_ASSIGN_SENT_OUTBOX, "III", collection_id, now, now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_EXCH_SENT, "II", collection_id, now);
	sqls_note(s, STORE_CHANGE_COLLECTION, collection_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_assignment_default(struct store *st, int64_t id, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_ASSIGN_DEFAULT, "III", id, user_id, sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = note_assignment(s, c, id);
	return sqls_wr_end(s, c, rc);
}

int sqls_assignment_fulfill(struct store *st, int64_t id, int64_t work_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_ASSIGN_FULFILL, "II", id, work_id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = note_assignment(s, c, id);
	return sqls_wr_end(s, c, rc);
}
