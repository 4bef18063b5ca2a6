/* Workflow transactions: each archive workflow's writes commit together or not at all.
 * The functions are the store's (src/store/store.h on branch store). They are declared here too so that
 * this branch builds before that one lands (with src/archive/tx_shim.c); the repeated declarations are
 * identical and harmless once store.h has them. */
#ifndef QUIRE_ARCHIVE_TX_H
#define QUIRE_ARCHIVE_TX_H
#include "store/store.h"

int store_tx_begin(struct store *st);
int store_tx_commit(struct store *st);
void store_tx_rollback(struct store *st);

/* Ends the transaction begun by store_tx_begin: commits when rc is 0 (returning the commit's result),
 * rolls back otherwise (returning rc). */
int archive_tx_end(struct store *st, int rc);
#endif
