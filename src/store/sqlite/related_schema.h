/* SQLite schema of related works: the text of its migration (appended to migrate.c's list; never edited once
 * released, a change is a new migration). */
#ifndef QUIRE_STORE_SQLITE_RELATED_SCHEMA_H
#define QUIRE_STORE_SQLITE_RELATED_SCHEMA_H

/* Related works: a work (the child) inspired by, translating or recording another, here (parent_id) or elsewhere
 * (url, title, author); the parent's creators approve the link back. Its owner is told (inbox kind 'related')
 * once the child can be seen. */
#define SQLS_MIGRATION_RELATED \
	"CREATE TABLE work_relations (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2))," \
	" parent_id INTEGER REFERENCES works(id) ON DELETE SET NULL," \
	" url TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT ''," \
	" position INTEGER NOT NULL DEFAULT 0," \
	" approved INTEGER NOT NULL DEFAULT 0," \
	" created_at INTEGER NOT NULL);" \
	"CREATE INDEX work_relations_work ON work_relations(work_id, position);" \
	"CREATE INDEX work_relations_parent ON work_relations(parent_id, id) WHERE parent_id IS NOT NULL;" \
	"CREATE TRIGGER notify_related AFTER INSERT ON work_relations WHEN NEW.parent_id IS NOT NULL" \
	" AND (SELECT draft = 0 AND unrevealed = 0 FROM works WHERE id = NEW.work_id) BEGIN" \
	MIGR_RELATED_ROWS("NEW.work_id", " AND r.id = NEW.id") \
	" END;" \
	"CREATE TRIGGER notify_related_shown AFTER UPDATE OF draft, unrevealed ON works" \
	" WHEN (OLD.draft = 1 OR OLD.unrevealed = 1) AND NEW.draft = 0 AND NEW.unrevealed = 0 BEGIN" \
	MIGR_RELATED_ROWS("NEW.id", "") \
	" END;"

/* Inbox rows telling the owners of the works W is related to (not when they are W's creators too). */
#define MIGR_RELATED_ROWS(W, AND) \
	" INSERT INTO inbox(user_id, kind, work_id, body, url, read, created_at)" \
	"  SELECT o.user_id, 'related', w.id, CASE r.kind WHEN 1 THEN 'A translation of ' WHEN 2 THEN 'A podfic of '" \
	"   ELSE 'A work inspired by ' END || p.title || ': ' || w.title || ' (approve the link back on your work)'," \
	"   '/works/' || p.id || '/related', 0, CAST(strftime('%s', 'now') AS INTEGER)" \
	"  FROM work_relations r JOIN works w ON w.id = r.work_id JOIN works p ON p.id = r.parent_id" \
	"  JOIN work_creators o ON o.work_id = p.id AND o.position = 0" \
	"  WHERE r.work_id = " W AND \
	"  AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id AND x.user_id = o.user_id);"
#endif
