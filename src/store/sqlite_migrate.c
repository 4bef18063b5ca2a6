/* Versioned schema migrations for the SQLite backend, applied in order at open; PRAGMA user_version counts them. */
#include "store/sqlite_int.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>

/* Append only: a released migration is never edited, a change is a new entry. */
static const char *const migrations[] = {
	/* 1: the whole first schema, and the account orphaned works are handed to. */
	"CREATE TABLE settings ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);"

	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" pwhash TEXT NOT NULL,"
	" role TEXT NOT NULL DEFAULT 'user',"
	" created_at INTEGER NOT NULL);"

	"CREATE TABLE sessions ("
	" token_hash TEXT PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" expires_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE INDEX sessions_expires ON sessions(expires_at);"

	"CREATE TABLE api_tokens ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" token_hash TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_used_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX api_tokens_user ON api_tokens(user_id);"

	"CREATE TABLE works ("
	" id INTEGER PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" summary TEXT NOT NULL DEFAULT '',"
	" summary_html TEXT NOT NULL DEFAULT '',"
	" notes TEXT NOT NULL DEFAULT '',"
	" notes_html TEXT NOT NULL DEFAULT '',"
	" end_notes TEXT NOT NULL DEFAULT '',"
	" end_notes_html TEXT NOT NULL DEFAULT '',"
	" language TEXT NOT NULL DEFAULT '',"
	" expected_chapters INTEGER NOT NULL DEFAULT 0,"
	" complete INTEGER NOT NULL DEFAULT 0,"
	" draft INTEGER NOT NULL DEFAULT 0,"
	" restricted INTEGER NOT NULL DEFAULT 0,"
	" published_at INTEGER NOT NULL DEFAULT 0,"
	" updated_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" word_count INTEGER NOT NULL DEFAULT 0,"
	" sanitizer_version INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX works_updated ON works(updated_at, id);"

	"CREATE TABLE tags ("
	" id INTEGER PRIMARY KEY,"
	" type INTEGER NOT NULL,"
	" name TEXT NOT NULL COLLATE NOCASE,"
	" UNIQUE (type, name));"

	"CREATE TABLE work_tags ("
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" tag_id INTEGER NOT NULL REFERENCES tags(id),"
	" position INTEGER NOT NULL,"
	" PRIMARY KEY (work_id, tag_id)) WITHOUT ROWID;"
	"CREATE INDEX work_tags_tag ON work_tags(tag_id);"

	"CREATE TABLE work_creators ("
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" position INTEGER NOT NULL,"
	" accepted INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (work_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX work_creators_user ON work_creators(user_id);"

	"CREATE TABLE series ("
	" id INTEGER PRIMARY KEY,"
	" owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" title TEXT NOT NULL COLLATE NOCASE,"
	" UNIQUE (owner_id, title));"

	"CREATE TABLE work_series ("
	" work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,"
	" series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,"
	" position INTEGER NOT NULL);"
	"CREATE INDEX work_series_series ON work_series(series_id, position);"

	/* Positions are kept contiguous by the code; no UNIQUE so renumbering can pass through ties. */
	"CREATE TABLE chapters ("
	" id INTEGER PRIMARY KEY,"
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" position INTEGER NOT NULL,"
	" title TEXT NOT NULL DEFAULT '',"
	" summary TEXT NOT NULL DEFAULT '',"
	" summary_html TEXT NOT NULL DEFAULT '',"
	" notes TEXT NOT NULL DEFAULT '',"
	" notes_html TEXT NOT NULL DEFAULT '',"
	" end_notes TEXT NOT NULL DEFAULT '',"
	" end_notes_html TEXT NOT NULL DEFAULT '',"
	" content TEXT NOT NULL DEFAULT '',"
	" content_format TEXT NOT NULL DEFAULT 'html',"
	" content_html TEXT NOT NULL DEFAULT '',"
	" word_count INTEGER NOT NULL DEFAULT 0,"
	" published_at INTEGER NOT NULL DEFAULT 0,"
	" updated_at INTEGER NOT NULL,"
	" sanitizer_version INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX chapters_work ON chapters(work_id, position);"

	"INSERT INTO users(name, email, pwhash, role, created_at)"
	" VALUES ('orphan_account', 'orphan_account@invalid', '', 'orphan',"
	" CAST(strftime('%s', 'now') AS INTEGER));",

	/* (archive branch) Look-alike names: the confusable skeleton of each name, computed by the archive
	 * layer with ICU (NULL until computed), so sign-up finds "aIice" beside "alice" with one lookup. */
	"ALTER TABLE users ADD COLUMN skeleton TEXT;"
	"CREATE INDEX users_skeleton ON users(skeleton);",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("store: migrate: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return Q_ERR;
	}
	return 0;
}

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *q = NULL;
	int rc = Q_ERR;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		goto done;
	if (sqlite3_step(q) != SQLITE_ROW)
		goto done;
	*v = sqlite3_column_int(q, 0);
	rc = 0;
done:
	if (rc)
		log_error("store: reading schema version: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	return rc;
}

int sqls_migrate(sqlite3 *db)
{
	int v = 0, rc;
	/* IMMEDIATE: two processes opening a fresh file at once must not both migrate. */
	if ((rc = exec(db, "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = user_version(db, &v)))
		goto done;
	if (v > NMIGRATIONS) {
		log_error("store: database schema version %d is newer than this program knows (%d)",
		          v, NMIGRATIONS);
		rc = Q_ERR;
		goto done;
	}
	for (int i = v; i < NMIGRATIONS; i++) {
		log_info("store: applying migration %d", i + 1);
		if ((rc = exec(db, migrations[i])))
			goto done;
	}
	if (v < NMIGRATIONS) {
		/* PRAGMA takes no parameters; the number is ours. */
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", NMIGRATIONS);
		if ((rc = exec(db, sql)))
			goto done;
	}
	rc = exec(db, "COMMIT");
done:
	if (rc && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
