/* Workflow transactions: each archive workflow's writes commit together or not at all (store_tx_* in
 * src/store/store.h). */
#ifndef QUIRE_ARCHIVE_TX_H
#define QUIRE_ARCHIVE_TX_H
#include "store/store.h"

/* Ends the transaction begun by store_tx_begin: commits when rc is 0 (returning the commit's result),
 * rolls back otherwise (returning rc). */
int archive_tx_end(struct store *st, int rc);
#endif
