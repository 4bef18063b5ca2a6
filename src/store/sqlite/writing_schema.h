/* SQLite schema of the writer's check's remembered words (a migration of sqlite/migrate.c). A row is for
 * one work (work_id, user_id 0) or for all of a writer's works (work_id 0, user_id): no foreign key can
 * say that, so triggers remove a deleted work's and a deleted user's rows. */
#ifndef QUIRE_STORE_SQLITE_WRITING_SCHEMA_H
#define QUIRE_STORE_SQLITE_WRITING_SCHEMA_H

#define WRITING_WORDS_SCHEMA \
	"CREATE TABLE writing_words (" \
	" work_id INTEGER NOT NULL," \
	" user_id INTEGER NOT NULL," \
	" kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3))," \
	" word TEXT NOT NULL," \
	" created_at INTEGER NOT NULL," \
	" PRIMARY KEY (work_id, user_id, kind, word)) WITHOUT ROWID;" \
	"CREATE TRIGGER writing_words_work_del AFTER DELETE ON works BEGIN" \
	" DELETE FROM writing_words WHERE work_id = OLD.id; END;" \
	"CREATE TRIGGER writing_words_user_del AFTER DELETE ON users BEGIN" \
	" DELETE FROM writing_words WHERE work_id = 0 AND user_id = OLD.id; END;"
#endif
