/* PostgreSQL schema of what imports keep (migrations of pg_migrate.c, which defines T before including this),
 * as SQLite's (sqlite/import.c): where imported works came from; an old archive's ids of what was imported
 * from it (old links, re-runs) and members' profiles. */
#ifndef QUIRE_STORE_PG_IMPORT_SCHEMA_H
#define QUIRE_STORE_PG_IMPORT_SCHEMA_H

#define PG_IMPORT_SOURCES_SCHEMA \
	"CREATE TABLE work_sources (" \
	" work_id BIGINT PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE," \
	" site" T " NOT NULL DEFAULT ''," \
	" url" T " NOT NULL DEFAULT ''," \
	" imported_at BIGINT NOT NULL);" \
	"CREATE TABLE work_source_creators (" \
	" work_id BIGINT NOT NULL REFERENCES work_sources(work_id) ON DELETE CASCADE," \
	" position INTEGER NOT NULL," \
	" name" T " NOT NULL," \
	" url" T " NOT NULL DEFAULT ''," \
	" PRIMARY KEY (work_id, position));"

#define PG_IMPORT_LEGACY_SCHEMA \
	"CREATE TABLE import_map (" \
	" source" T " NOT NULL," \
	" kind" T " NOT NULL," \
	" legacy_id BIGINT NOT NULL," \
	" id BIGINT NOT NULL," \
	" PRIMARY KEY (source, kind, legacy_id));" \
	"CREATE INDEX import_map_lookup ON import_map(kind, legacy_id, source);" \
	"CREATE TABLE user_profiles (" \
	" user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE," \
	" bio" T " NOT NULL DEFAULT ''," \
	" bio_html" T " NOT NULL DEFAULT '');"
#endif
