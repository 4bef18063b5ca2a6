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
	X(SQL_IMPORT_SOURCE_CREATORS, "SELECT name, url FROM work_source_creators WHERE work_id = ?1 ORDER BY position") \
	X(SQL_IMPORT_MAP_GET, "SELECT id FROM import_map WHERE source = ?1 AND kind = ?2 AND legacy_id = ?3") \
	X(SQL_IMPORT_MAP_SET, "INSERT INTO import_map(source, kind, legacy_id, id) VALUES (?1, ?2, ?3, ?4)" \
	  " ON CONFLICT (source, kind, legacy_id) DO UPDATE SET id = excluded.id") \
	X(SQL_IMPORT_MAP_FIND, "SELECT id FROM import_map WHERE kind = ?1 AND legacy_id = ?2 ORDER BY source LIMIT 1") \
	X(SQL_IMPORT_ACCOUNT_INSERT, "INSERT INTO users(name, email, pwhash, role, created_at, skeleton)" \
	  " VALUES (?1, ?2, '', 'user', ?3, ?4)") \
	X(SQL_IMPORT_COMMENT_DATE, "UPDATE comments SET created_at = ?2 WHERE id = ?1") \
	X(SQL_IMPORT_PROFILE_SET, "INSERT INTO user_profiles(user_id, bio, bio_html) VALUES (?1, ?2, ?3)" \
	  " ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, bio_html = excluded.bio_html") \
	X(SQL_IMPORT_PROFILE_GET, "SELECT bio, bio_html FROM user_profiles WHERE user_id = ?1")

/* The import store's tables (migrations of their own, appended to sqlite_migrate.c's list): where imported
 * works came from; then the old archives' ids (for old links and re-runs) and members' profiles. */
extern const char sqls_migration_import[];
extern const char sqls_migration_import_legacy[];
#endif
