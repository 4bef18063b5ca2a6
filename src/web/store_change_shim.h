/* TEMPORARY SHIM (cache branch): the store's change feed, declared exactly as the store branch adds it to
 * store/store.h, so the page cache can be written against it now. On merging the store branch: delete this
 * file and store_change_shim.c, and include store/store.h where this file is included. */
#ifndef QUIRE_WEB_STORE_CHANGE_SHIM_H
#define QUIRE_WEB_STORE_CHANGE_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

enum store_change_kind { STORE_CHANGE_WORK, STORE_CHANGE_USER, STORE_CHANGE_SERIES };
struct store_change { enum store_change_kind kind; int64_t id; };   /* {WORK, 0} means "everything" */
typedef void (*store_change_fn)(void *ctx, const struct store_change *changes, size_t n);
void store_subscribe(struct store *st, store_change_fn fn, void *ctx); /* called after each commit */
#endif
