/* SQLite backend: prompt memes: prompts with their tags, claims, fills. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

#define LIST_MAX 200

int sqls_prompt_create(struct store *st, const struct prompt *p, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	if (!p || p->collection_id <= 0 || p->user_id <= 0 || !p->title)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_PROMPT_INSERT, "IIisssI", p->collection_id, p->user_id, (int)p->anonymous, p->title,
	               p->description.src ? p->description.src : "", p->description.html ? p->description.html : "",
	               sqls_now());
	int64_t pid = rc == 0 ? sqls_last_id(c) : 0;
	for (int d = 0; d < EXCHANGE_DIMS && rc == 0; d++)
		for (size_t k = 0; k < p->tags[d].n && rc == 0; k++) {
			int64_t tid = 0;
			rc = sqls_tag_id(c, store_exchange_tag_type[d], p->tags[d].items[k], &tid);
			if (rc == 0)
				rc = sqls_exec(c, SQL_PROMPT_TAG_ADD, "IIii", pid, tid, d, (int)k);
		}
	sqls_note(s, STORE_CHANGE_COLLECTION, p->collection_id);
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0 && id)
		*id = pid;
	return rc;
}

static void prompt_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct prompt *p = item;
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(q, 0);
	p->collection_id = sqlite3_column_int64(q, 1);
	p->user_id = sqlite3_column_int64(q, 2);
	p->anonymous = sqlite3_column_int(q, 3) != 0;
	p->title = sqls_col_text(a, q, 4);
	p->description = (struct text){sqls_col_text(a, q, 5), sqls_col_text(a, q, 6)};
	p->claims_count = sqlite3_column_int64(q, 7);
	p->fills_count = sqlite3_column_int64(q, 8);
	p->created_at = sqlite3_column_int64(q, 9);
	p->user_name = sqls_col_text(a, q, 10);
	p->collection_name = sqls_col_text(a, q, 11);
	p->collection_title = sqls_col_text(a, q, 12);
}

int sqls_prompt_get(struct store *st, struct arena *a, int64_t id, struct prompt *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_PROMPT_GET, "I", id);
	rc = sqls_one_row(c, q);
	if (rc == 0)
		prompt_from_row(a, q, out);
	sqls_reset(q);
	size_t cap[EXCHANGE_DIMS] = {0};
	q = rc == 0 ? sqls_prep(c, SQL_PROMPT_TAGS, "I", id) : NULL;
	if (rc == 0 && !q)
		rc = Q_ERR;
	while (q && (rc = sqls_step(c, q)) == 1) {
		int d = sqlite3_column_int(q, 0);
		if (d < 0 || d >= EXCHANGE_DIMS)
			continue;
		struct strlist *l = &out->tags[d];
		l->items = arena_grow(a, (void *)l->items, l->n, &cap[d], sizeof *l->items);
		l->items[l->n++] = sqls_col_text(a, q, 1);
	}
	if (q)
		sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_prompt_delete(struct store *st, int64_t id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t cid = 0;
	rc = sqls_query_int(c, &cid, SQL_PROMPT_COLLECTION, "I", id);
	/* The works that fill it name it on their pages. */
	sqlite3_stmt *q = rc == 0 ? sqls_prep(c, SQL_PROMPT_FILL_WORKS, "I", id) : NULL;
	if (rc == 0 && !q)
		rc = Q_ERR;
	while (q && (rc = sqls_step(c, q)) == 1)
		sqls_note(s, STORE_CHANGE_WORK, sqlite3_column_int64(q, 0));
	if (q)
		sqls_reset(q);
	if (rc == 0)
		rc = sqls_exec(c, SQL_PROMPT_DELETE, "I", id);
	sqls_note(s, STORE_CHANGE_COLLECTION, cid);
	return sqls_wr_end(s, c, rc);
}

int sqls_prompts_list(struct store *st, struct arena *a, const struct prompt_query *q, struct prompt **out, size_t *n)
{
	int lim = q->limit > 0 && q->limit <= LIST_MAX ? q->limit : 50;
	int state = q->state >= PROMPTS_ALL && q->state <= PROMPTS_CLAIMED ? q->state : PROMPTS_ALL;
	return sqls_read_rows(sqls_of(st), a, sizeof **out, prompt_from_row, out, n, SQL_PROMPTS_LIST, "IIIisi",
	                      q->collection_id, q->before_id, q->user_id, state, q->tag ? q->tag : "", lim);
}

int sqls_prompts_count(struct store *st, int64_t collection_id, int64_t user_id, int64_t *count)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, count, SQL_PROMPTS_COUNT, "II", collection_id, user_id);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_prompt_claim(struct store *st, int64_t prompt_id, int64_t user_id, bool on)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t cid = 0, had = 0;
	rc = sqls_query_int(c, &cid, SQL_PROMPT_COLLECTION, "I", prompt_id);
	if (rc == 0)
		rc = sqls_query_int(c, &had, SQL_PROMPT_CLAIMED, "II", prompt_id, user_id);
	if (rc == 0 && on)
		rc = had ? Q_EEXIST : sqls_exec(c, SQL_PROMPT_CLAIM, "III", prompt_id, user_id, sqls_now());
	else if (rc == 0)
		rc = !had ? Q_ENOTFOUND : sqls_exec(c, SQL_PROMPT_UNCLAIM, "II", prompt_id, user_id);
	sqls_note(s, STORE_CHANGE_COLLECTION, cid);
	return sqls_wr_end(s, c, rc);
}

static void claim_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct prompt_claim *x = item;
	x->prompt_id = sqlite3_column_int64(q, 0);
	x->user_id = sqlite3_column_int64(q, 1);
	x->user_name = sqls_col_text(a, q, 2);
	x->created_at = sqlite3_column_int64(q, 3);
	x->work_id = sqlite3_column_int64(q, 4);
	x->prompt_title = sqls_col_text(a, q, 5);
	x->collection_name = sqls_col_text(a, q, 6);
}

int sqls_prompt_claims(struct store *st, struct arena *a, int64_t prompt_id, int64_t collection_id, int64_t user_id,
                       struct prompt_claim **out, size_t *n)
{
	if (prompt_id)
		return sqls_read_rows(sqls_of(st), a, sizeof **out, claim_from_row, out, n, SQL_PROMPT_CLAIMS, "I", prompt_id);
	return sqls_read_rows(sqls_of(st), a, sizeof **out, claim_from_row, out, n, SQL_PROMPT_CLAIMS_USER, "II", user_id,
	                      collection_id);
}

int sqls_prompt_fill(struct store *st, int64_t prompt_id, int64_t work_id, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t cid = 0;
	rc = sqls_query_int(c, &cid, SQL_PROMPT_COLLECTION, "I", prompt_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_PROMPT_FILL_INSERT, "IIII", prompt_id, work_id, user_id, sqls_now());
	if (rc == 0)
		rc = sqls_exec(c, SQL_PROMPT_CLAIM_FULFILL, "III", prompt_id, user_id, work_id);
	sqls_note(s, STORE_CHANGE_COLLECTION, cid);
	sqls_note(s, STORE_CHANGE_WORK, work_id);
	return sqls_wr_end(s, c, rc);
}

static void fill_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct prompt_fill *f = item;
	f->prompt_id = sqlite3_column_int64(q, 0);
	f->work_id = sqlite3_column_int64(q, 1);
	f->user_id = sqlite3_column_int64(q, 2);
	f->created_at = sqlite3_column_int64(q, 3);
	f->work_title = sqls_col_text(a, q, 4);
	f->work_listed = sqlite3_column_int(q, 5) != 0;
	f->work_restricted = sqlite3_column_int(q, 6) != 0;
	f->prompt_title = sqls_col_text(a, q, 7);
	f->prompter_name = sqls_col_text(a, q, 8);
	f->collection_name = sqls_col_text(a, q, 9);
	f->collection_title = sqls_col_text(a, q, 10);
	f->prompt_anonymous = sqlite3_column_int(q, 11) != 0;
	f->prompter_id = sqlite3_column_int64(q, 12);
}

int sqls_prompt_fills(struct store *st, struct arena *a, int64_t prompt_id, int64_t work_id, struct prompt_fill **out,
                      size_t *n)
{
	if (prompt_id)
		return sqls_read_rows(sqls_of(st), a, sizeof **out, fill_from_row, out, n, SQL_PROMPT_FILLS, "I", prompt_id);
	return sqls_read_rows(sqls_of(st), a, sizeof **out, fill_from_row, out, n, SQL_WORK_PROMPTS, "I", work_id);
}
