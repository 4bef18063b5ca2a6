/* SQLite backend: blocks between users (who may not comment on whose works or reply to whose comments). */
#include "store/sqlite/int.h"
#include "core/err.h"

int sqls_user_block_set(struct store *st, int64_t blocker_id, int64_t blocked_id, bool on, int max)
{
	struct sqls *s = sqls_of(st);
	if (blocker_id <= 0 || blocked_id <= 0 || blocker_id == blocked_id)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if (!on) {
		rc = sqls_exec(c, SQL_BLOCK_DEL, "II", blocker_id, blocked_id);
		return sqls_wr_end(s, c, rc);
	}
	int64_t there = 0, count = 0;
	if ((rc = sqls_query_int(c, &there, SQL_BLOCK_EXISTS, "II", blocker_id, blocked_id)) || there)
		return sqls_wr_end(s, c, rc);
	if ((rc = sqls_query_int(c, &count, SQL_BLOCK_COUNT, "I", blocker_id)) == 0 && count >= max)
		rc = Q_ETOOBIG;
	if (rc == 0)
		rc = sqls_exec(c, SQL_BLOCK_ADD, "III", blocker_id, blocked_id, sqls_now());
	return sqls_wr_end(s, c, rc);
}

static void block_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct user_block *b = item;
	b->user_id = sqlite3_column_int64(q, 0);
	b->name = sqls_col_text(a, q, 1);
	b->created_at = sqlite3_column_int64(q, 2);
}

int sqls_user_blocks_list(struct store *st, struct arena *a, int64_t blocker_id, int limit, struct user_block **out,
                          size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, block_from_row, out, n, SQL_BLOCK_LIST, "Ii", blocker_id,
	                      limit > 0 ? limit : 100);
}

int sqls_user_blocked_by(struct store *st, int64_t user_id, int64_t work_id, int64_t other_id, int *by)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t who = 0;
	*by = BLOCKED_BY_NOBODY;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, &who, SQL_BLOCK_WHO, "III", user_id, work_id, other_id);
	sqls_rd_end(s, c);
	if (rc == 0)
		*by = (int)who;
	return rc;
}
