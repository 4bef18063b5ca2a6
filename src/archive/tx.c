/* Ending a workflow's transaction: commit on success, roll back on any failure. */
#include "archive/tx.h"

int archive_tx_end(struct store *st, int rc)
{
	if (rc == 0)
		return store_tx_commit(st);
	store_tx_rollback(st);
	return rc;
}
