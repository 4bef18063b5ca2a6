/* A reader of mysqldump (and mariadb-dump) files without any MySQL server: the columns of each CREATE TABLE
 * and the rows of each INSERT, handed over one by one. Values stay as they are in the dump (escaped) until a
 * caller asks for them, so a dump of any size is read once, from memory (a mapped file), in linear time. */
#ifndef QUIRE_IMPORT_MYSQLDUMP_H
#define QUIRE_IMPORT_MYSQLDUMP_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

#define MYSQLDUMP_COLUMNS_MAX 512   /* columns of one table */
#define MYSQLDUMP_NAME_MAX 128      /* bytes of a table or column name */

/* One value of a row, as the dump writes it. */
struct dump_value {
	const char *p;  /* the value's text: inside the quotes for a string, else the literal (0x..., 12, NULL) */
	size_t n;
	bool string;    /* a quoted string, with MySQL's backslash escapes */
	bool null;      /* NULL */
};

struct dump_row {
	const char *table;             /* unquoted */
	const char *const *columns;    /* the table's column names (from CREATE TABLE or the INSERT's list) */
	size_t ncolumns;               /* 0 when the dump named none (then values go by position only) */
	const struct dump_value *values;
	size_t nvalues;
	size_t offset;                 /* byte offset of the row in the dump (for messages) */
};

/* Called for each row; return false to stop reading. */
typedef bool (*dump_row_fn)(void *ctx, const struct dump_row *row);

struct dump_stats {
	size_t statements, rows, tables;
	const char **names; /* the tables' names (tables of them, arena), those without rows too */
	size_t skipped;   /* statements that are neither CREATE TABLE nor INSERT (SET, LOCK, DROP, ...) */
};

/* Reads data[0..len): Q_EINVAL with *why (in arena a, with the byte offset) for something that is not SQL as a dump
 * writes it (an unterminated string, a row that does not close, too many columns); rows before it were
 * delivered. Memory: the arena keeps the tables' column names only. */
int mysqldump_read(struct arena *a, const char *data, size_t len, dump_row_fn fn, void *ctx, struct dump_stats *stats,
                   const char **why);

/* The text of a value with its escapes undone (arena, NUL-terminated; NUL bytes dropped): "" for NULL. */
char *mysqldump_text(struct arena *a, const struct dump_value *v);
/* The value as an integer (0 for NULL or anything that is not a number). */
long long mysqldump_int(const struct dump_value *v);
/* The value of column name in row, or NULL when the table has no such column. */
const struct dump_value *mysqldump_column(const struct dump_row *row, const char *name);
#endif
