/* TEMPORARY until branch store lands: store_tx_begin/commit/rollback as no-ops, so that each store
 * operation inside a workflow still commits on its own (as before). Delete this file at the merge. */
#include "archive/tx.h"
#include "core/err.h"

/* Nesting is refused as the real implementation refuses it, so workflows that nest fail here too. */
static _Thread_local int depth;

int store_tx_begin(struct store *st)
{
	(void)st;
	if (depth)
		return Q_EINVAL;
	depth = 1;
	return 0;
}

int store_tx_commit(struct store *st)
{
	(void)st;
	if (!depth)
		return Q_EINVAL;
	depth = 0;
	return 0;
}

void store_tx_rollback(struct store *st)
{
	(void)st;
	depth = 0;
}
