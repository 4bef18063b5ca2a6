/* PostgreSQL schema of the writer's check's remembered words (a migration of pg_migrate.c, which defines T and
 * TRIGGER_FN before including this): as SQLite's (sqlite/writing_schema.h), a row is for one work (work_id,
 * user_id 0) or for all of a writer's works (work_id 0, user_id), so triggers remove a deleted work's and a
 * deleted user's rows. */
#ifndef QUIRE_STORE_PG_WRITING_SCHEMA_H
#define QUIRE_STORE_PG_WRITING_SCHEMA_H

#define PG_WRITING_WORDS_SCHEMA \
	"CREATE TABLE writing_words (" \
	" work_id BIGINT NOT NULL," \
	" user_id BIGINT NOT NULL," \
	" kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3))," \
	" word" T " NOT NULL," \
	" created_at BIGINT NOT NULL," \
	" PRIMARY KEY (work_id, user_id, kind, word));" \
	TRIGGER_FN("quire_writing_words_work_gone", " DELETE FROM writing_words WHERE work_id = OLD.id;") \
	"CREATE TRIGGER writing_words_work_del AFTER DELETE ON works FOR EACH ROW" \
	" EXECUTE FUNCTION quire_writing_words_work_gone();" \
	TRIGGER_FN("quire_writing_words_user_gone", " DELETE FROM writing_words WHERE work_id = 0 AND user_id = OLD.id;") \
	"CREATE TRIGGER writing_words_user_del AFTER DELETE ON users FOR EACH ROW" \
	" EXECUTE FUNCTION quire_writing_words_user_gone();"
#endif
