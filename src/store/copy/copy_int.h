/* quire store copy: what the copier (copy.c) asks of each backend's driver (copy_sqlite.c, copy_pg.c). */
#ifndef QUIRE_STORE_COPY_INT_H
#define QUIRE_STORE_COPY_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

/* Rows as text: v[row * ncols + col], NULL for SQL NULL. */
struct copy_rows {
	size_t n, ncols;
	const char **v;
};

struct copy_db;

/* A backend's raw access for copying. SQL uses $1, $2, ... in order (both backends read that). */
struct copy_driver {
	const char *name;
	/* Opens the store at url (creating or migrating its schema). As a target: a fresh copy (*resuming false)
	 * or one resumed from the same source (*resuming true); err says why not. */
	int (*open)(const char *url, bool target, const char *source, bool force, struct copy_db **db, bool *resuming,
	            char *err, size_t errlen);
	/* Target: makes it final (derived search data rebuilt, triggers back, the marker of an unfinished copy
	 * gone); on error it stays resumable. */
	int (*finish)(struct copy_db *db, char *err, size_t errlen);
	void (*close)(struct copy_db *db);
	/* Column names of a table, in the table's order. */
	int (*columns)(struct copy_db *db, struct arena *a, const char *table, const char ***cols, size_t *n);
	int (*query)(struct copy_db *db, struct arena *a, const char *sql, const char *const *params, size_t nparams,
	             struct copy_rows *out);
	/* Runs sql once per row of rows (as its parameters) in one transaction. */
	int (*write)(struct copy_db *db, const char *sql, const struct copy_rows *rows);
	/* Adds rows (values of cols, in order) to table in one transaction; NULL: write with an INSERT instead. A driver
	 * may write derived columns (search documents) as it adds them. */
	int (*append)(struct copy_db *db, const char *table, const char *const *cols, size_t ncols,
	              const struct copy_rows *rows);
	/* The highest id a table with ids ever gave out (so that ids are never reused after the copy), and setting
	 * the target's. */
	int (*high_id)(struct copy_db *db, const char *table, int64_t *id);
	int (*set_high_id)(struct copy_db *db, const char *table, int64_t id);
	/* Whether the store holds anything a person made (beyond what a new store has). */
	int (*is_empty)(struct copy_db *db, bool *empty);
};

extern const struct copy_driver copy_sqlite, copy_pg;
#endif
