/* What the store tests share: removing their temporary directory, and one value read with raw SQL. */
#ifndef QUIRE_TEST_STORE_FIXTURE_H
#define QUIRE_TEST_STORE_FIXTURE_H
#include <dirent.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "store/sqlite/int.h"

/* Removes dir and the files in it (the tests make no subdirectories). */
static inline void fixture_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The first column of the first row of sql, read on a connection of our own that knows the schema's SQL
 * functions (-1 on failure). */
static inline int64_t fixture_scalar(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t n = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqls_functions_register(db);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}
#endif
