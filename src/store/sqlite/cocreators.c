/* Co-creators' rules that need the store: whether two accounts create a work together. */
#include "store/sqlite/int.h"
#include "core/err.h"

int sqls_creators_shared(struct store *st, int64_t user_id, int64_t other_id, bool *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t yes = 0;
	*out = false;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, &yes, SQL_CREATORS_SHARED, "II", user_id, other_id);
	sqls_rd_end(s, c);
	*out = rc == 0 && yes;
	return rc;
}
