/* The import store's SQL (SQLite): statements for import.c, listed once as X(id, text) so that
 * int.h adds their ids and sql.c their text with one line each. */
#ifndef QUIRE_STORE_SQLITE_IMPORT_SQL_H
#define QUIRE_STORE_SQLITE_IMPORT_SQL_H

#define SQLS_IMPORT_STMTS(X) \
	X(SQL_IMPORT_WORK_DATES, "UPDATE works SET published_at = CASE WHEN draft = 0 THEN ?2 ELSE 0 END," \
	  " updated_at = ?3, created_at = MIN(created_at, ?2) WHERE id = ?1") \
	X(SQL_IMPORT_CHAPTER_DATES, "UPDATE chapters SET published_at = CASE WHEN published_at > 0 THEN ?2 ELSE 0 END," \
	  " updated_at = ?3 WHERE id = ?1") \
	X(SQL_IMPORT_CHAPTER_WORK, "SELECT work_id FROM chapters WHERE id = ?1") \
	X(SQL_IMPORT_SOURCE_DEL, "DELETE FROM work_sources WHERE work_id = ?1") \
	X(SQL_IMPORT_SOURCE_INSERT, "INSERT INTO work_sources(work_id, site, url, imported_at) VALUES (?1, ?2, ?3, ?4)") \
	X(SQL_IMPORT_SOURCE_CREATOR, "INSERT INTO work_source_creators(work_id, position, name, url)" \
	  " VALUES (?1, ?2, ?3, ?4)") \
	X(SQL_IMPORT_SOURCE_GET, "SELECT site, url, imported_at FROM work_sources WHERE work_id = ?1") \
	X(SQL_IMPORT_SOURCE_CREATORS, "SELECT name, url FROM work_source_creators WHERE work_id = ?1 ORDER BY position")

/* The import store's tables (a migration of its own, appended to sqlite_migrate.c's list). */
extern const char sqls_migration_import[];
#endif
