/* SQLite schema of readers' suggestions on a passage (a migration of sqlite/migrate.c): which works take
 * them (a row: on), and the suggestions, each anchored by its passage's text (quote, with a little text
 * before and after it), open, accepted or dismissed, with the writer's private reply. Their inbox messages
 * (to the writers, and to the reader once answered) name them in inbox.suggestion_id and go with them. */
#ifndef QUIRE_STORE_SQLITE_SUGGESTION_SCHEMA_H
#define QUIRE_STORE_SQLITE_SUGGESTION_SCHEMA_H

#define READER_SUGGESTIONS_SCHEMA \
	"CREATE TABLE reader_suggestion_works (" \
	" work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE);" \
	"CREATE TABLE reader_suggestions (" \
	" id INTEGER PRIMARY KEY," \
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" chapter_id INTEGER NOT NULL REFERENCES chapters(id) ON DELETE CASCADE," \
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" quote TEXT NOT NULL," \
	" prefix TEXT NOT NULL DEFAULT ''," \
	" suffix TEXT NOT NULL DEFAULT ''," \
	" replacement TEXT," \
	" note TEXT," \
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2))," \
	" reply TEXT," \
	" created_at INTEGER NOT NULL," \
	" updated_at INTEGER NOT NULL);" \
	"CREATE INDEX reader_suggestions_chapter ON reader_suggestions(chapter_id, state, id);" \
	"CREATE INDEX reader_suggestions_work ON reader_suggestions(work_id, state, id);" \
	"CREATE INDEX reader_suggestions_user ON reader_suggestions(user_id, created_at);" \
	"ALTER TABLE inbox ADD COLUMN suggestion_id INTEGER;" \
	"CREATE INDEX inbox_suggestion ON inbox(suggestion_id) WHERE suggestion_id IS NOT NULL;" \
	"CREATE TRIGGER reader_suggestions_inbox_gone AFTER DELETE ON reader_suggestions BEGIN" \
	" DELETE FROM inbox WHERE suggestion_id = old.id; END;"
#endif
