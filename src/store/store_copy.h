/* quire store copy: moves a whole archive between stores (SQLite <-> PostgreSQL), keeping ids. */
#ifndef QUIRE_STORE_STORE_COPY_H
#define QUIRE_STORE_STORE_COPY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Copies every table of the store at from into the store at to (URLs as store_open takes them), keeping ids
 * and the next id of each table, then compares row counts and per-table checksums of both sides. A target
 * that holds anything is refused (Q_EEXIST) unless force (then it is emptied first). An interrupted copy
 * resumes where it stopped when run again with the same source; until it finishes, the target cannot be
 * opened (a PostgreSQL target says so; an SQLite target is built in PATH.copying and renamed into place at
 * the end). Progress lines go to out; err says what went wrong. */
int store_copy(const char *from, const char *to, bool force, FILE *out, char *err, size_t errlen);
#endif
