/* PostgreSQL backend: the operations not yet ported (each logs and fails); this list shrinks family by family. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/log.h"

static int not_yet(const char *op)
{
	log_error("store: %s is not available on PostgreSQL yet", op);
	return Q_ERR;
}

int pgs_work_find(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out)
{
	(void)st;
	return not_yet("work_find");
}
