/* PostgreSQL schema of readers' suggestions on a passage (a migration of pg_migrate.c, which defines T, ID and
 * TRIGGER_FN before including this), as SQLite's (sqlite/suggestion_schema.h): the works that take them, the
 * suggestions anchored by their passage's text, and their inbox messages (inbox.suggestion_id), which go with
 * them. */
#ifndef QUIRE_STORE_PG_SUGGESTION_SCHEMA_H
#define QUIRE_STORE_PG_SUGGESTION_SCHEMA_H

#define PG_READER_SUGGESTIONS_SCHEMA \
	"CREATE TABLE reader_suggestion_works (" \
	" work_id BIGINT PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE);" \
	"CREATE TABLE reader_suggestions (" \
	" id" ID "," \
	" work_id BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" chapter_id BIGINT NOT NULL REFERENCES chapters(id) ON DELETE CASCADE," \
	" user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" quote" T " NOT NULL," \
	" prefix" T " NOT NULL DEFAULT ''," \
	" suffix" T " NOT NULL DEFAULT ''," \
	" replacement" T "," \
	" note" T "," \
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2))," \
	" reply" T "," \
	" created_at BIGINT NOT NULL," \
	" updated_at BIGINT NOT NULL);" \
	"CREATE INDEX reader_suggestions_chapter ON reader_suggestions(chapter_id, state, id);" \
	"CREATE INDEX reader_suggestions_work ON reader_suggestions(work_id, state, id);" \
	"CREATE INDEX reader_suggestions_user ON reader_suggestions(user_id, created_at);" \
	"ALTER TABLE inbox ADD COLUMN suggestion_id BIGINT;" \
	"CREATE INDEX inbox_suggestion ON inbox(suggestion_id) WHERE suggestion_id IS NOT NULL;" \
	TRIGGER_FN("quire_reader_suggestions_inbox_gone", " DELETE FROM inbox WHERE suggestion_id = OLD.id;") \
	"CREATE TRIGGER reader_suggestions_inbox_gone AFTER DELETE ON reader_suggestions FOR EACH ROW" \
	" EXECUTE FUNCTION quire_reader_suggestions_inbox_gone();"
#endif
