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

	/* ---- The reader's response: comments, kudos, bookmarks, reading history, inbox, statistics ----
	 * Counts live in columns kept by triggers, so no page counts rows; the names of the works counts are
	 * shared with the search filters (kudos_count, hits_count, comments_count, bookmarks_count). */
	"ALTER TABLE works ADD COLUMN kudos_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN hits_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN bookmarks_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN kudos_guests INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN comment_policy INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN comments_moderated INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN kudos_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN kudos_guests INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN hits_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN inbox_unread INTEGER NOT NULL DEFAULT 0;"

	/* chapter_id NULL: a comment on the whole work. state: 0 shown, 1 awaiting approval, 2 hidden by a
	 * creator, 3 deleted (text gone; kept while replies hang below it). */
	"CREATE TABLE comments ("
	" id INTEGER PRIMARY KEY,"
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE,"
	" parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,"
	" root_id INTEGER NOT NULL,"
	" depth INTEGER NOT NULL DEFAULT 0,"
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" guest_name TEXT,"
	" guest_email TEXT,"
	" body TEXT NOT NULL,"
	" body_html TEXT NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
	" frozen INTEGER NOT NULL DEFAULT 0,"
	" by_creator INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" edited_at INTEGER NOT NULL DEFAULT 0,"
	" sanitizer_version INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX comments_target ON comments(work_id, chapter_id, root_id, id);"
	"CREATE INDEX comments_threads ON comments(work_id, chapter_id, id) WHERE parent_id IS NULL;"
	"CREATE INDEX comments_parent ON comments(parent_id);"
	"CREATE INDEX comments_user ON comments(user_id);"
	"CREATE TRIGGER comments_count_insert AFTER INSERT ON comments WHEN new.state = 0 BEGIN"
	" UPDATE works SET comments_count = comments_count + 1 WHERE id = new.work_id;"
	" UPDATE chapters SET comments_count = comments_count + 1 WHERE id = new.chapter_id; END;"
	"CREATE TRIGGER comments_count_state AFTER UPDATE OF state ON comments"
	" WHEN (old.state = 0) != (new.state = 0) BEGIN"
	" UPDATE works SET comments_count = comments_count + (CASE WHEN new.state = 0 THEN 1 ELSE -1 END)"
	"  WHERE id = new.work_id;"
	" UPDATE chapters SET comments_count = comments_count + (CASE WHEN new.state = 0 THEN 1 ELSE -1 END)"
	"  WHERE id = new.chapter_id; END;"
	"CREATE TRIGGER comments_count_delete AFTER DELETE ON comments WHEN old.state = 0 BEGIN"
	" UPDATE works SET comments_count = comments_count - 1 WHERE id = old.work_id;"
	" UPDATE chapters SET comments_count = comments_count - 1 WHERE id = old.chapter_id; END;"

	/* One per account and one per guest address (a keyed hash, never the address) for each target. */
	"CREATE TABLE kudos ("
	" id INTEGER PRIMARY KEY,"
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE,"
	" user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	" guest_hash TEXT,"
	" created_at INTEGER NOT NULL,"
	" CHECK ((user_id IS NULL) != (guest_hash IS NULL)));"
	"CREATE INDEX kudos_names ON kudos(work_id, chapter_id, id) WHERE user_id IS NOT NULL;"
	"CREATE UNIQUE INDEX kudos_once_user ON kudos(work_id, coalesce(chapter_id, 0), user_id)"
	" WHERE user_id IS NOT NULL;"
	"CREATE UNIQUE INDEX kudos_once_guest ON kudos(work_id, coalesce(chapter_id, 0), guest_hash)"
	" WHERE guest_hash IS NOT NULL;"
	"CREATE INDEX kudos_user ON kudos(user_id) WHERE user_id IS NOT NULL;"
	"CREATE TRIGGER kudos_count_insert AFTER INSERT ON kudos BEGIN"
	" UPDATE works SET kudos_count = kudos_count + 1, kudos_guests = kudos_guests + (new.user_id IS NULL)"
	"  WHERE id = new.work_id AND new.chapter_id IS NULL;"
	" UPDATE chapters SET kudos_count = kudos_count + 1, kudos_guests = kudos_guests + (new.user_id IS NULL)"
	"  WHERE id = new.chapter_id; END;"
	"CREATE TRIGGER kudos_count_delete AFTER DELETE ON kudos BEGIN"
	" UPDATE works SET kudos_count = kudos_count - 1, kudos_guests = kudos_guests - (old.user_id IS NULL)"
	"  WHERE id = old.work_id AND old.chapter_id IS NULL;"
	" UPDATE chapters SET kudos_count = kudos_count - 1, kudos_guests = kudos_guests - (old.user_id IS NULL)"
	"  WHERE id = old.chapter_id; END;"

	/* tags: the bookmarker's own tags, comma-separated as typed (validated like work tags). Private
	 * bookmarks are their owner's alone and are not counted on the work. */
	"CREATE TABLE bookmarks ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" notes TEXT NOT NULL DEFAULT '',"
	" notes_html TEXT NOT NULL DEFAULT '',"
	" tags TEXT NOT NULL DEFAULT '',"
	" private INTEGER NOT NULL DEFAULT 0,"
	" rec INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" UNIQUE (user_id, work_id));"
	"CREATE INDEX bookmarks_work ON bookmarks(work_id);"
	"CREATE INDEX bookmarks_user ON bookmarks(user_id, id);"
	"CREATE TRIGGER bookmarks_count_insert AFTER INSERT ON bookmarks WHEN new.private = 0 BEGIN"
	" UPDATE works SET bookmarks_count = bookmarks_count + 1 WHERE id = new.work_id; END;"
	"CREATE TRIGGER bookmarks_count_update AFTER UPDATE OF private ON bookmarks"
	" WHEN old.private != new.private BEGIN"
	" UPDATE works SET bookmarks_count = bookmarks_count + (CASE WHEN new.private THEN -1 ELSE 1 END)"
	"  WHERE id = new.work_id; END;"
	"CREATE TRIGGER bookmarks_count_delete AFTER DELETE ON bookmarks WHEN old.private = 0 BEGIN"
	" UPDATE works SET bookmarks_count = bookmarks_count - 1 WHERE id = old.work_id; END;"

	/* A logged-in reader's history (last chapter read) and "marked for later" list, one row per work. */
	"CREATE TABLE readings ("
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" chapter_id INTEGER REFERENCES chapters(id) ON DELETE SET NULL,"
	" read_at INTEGER NOT NULL DEFAULT 0,"
	" views INTEGER NOT NULL DEFAULT 0,"
	" later INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (user_id, work_id)) WITHOUT ROWID;"
	"CREATE INDEX readings_history ON readings(user_id, read_at);"
	"CREATE INDEX readings_later ON readings(user_id, work_id) WHERE later = 1;"
	"CREATE INDEX readings_work ON readings(work_id);"
	"CREATE INDEX readings_chapter ON readings(chapter_id) WHERE chapter_id IS NOT NULL;"

	/* kind: 0 a comment on one of your works, 1 a reply to your comment. */
	"CREATE TABLE inbox ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,"
	" kind INTEGER NOT NULL,"
	" read INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" UNIQUE (user_id, comment_id));"
	"CREATE INDEX inbox_user ON inbox(user_id, id);"
	"CREATE INDEX inbox_unread ON inbox(user_id, read, id);"
	"CREATE INDEX inbox_comment ON inbox(comment_id);"
	"CREATE TRIGGER inbox_unread_insert AFTER INSERT ON inbox WHEN new.read = 0 BEGIN"
	" UPDATE users SET inbox_unread = inbox_unread + 1 WHERE id = new.user_id; END;"
	"CREATE TRIGGER inbox_unread_update AFTER UPDATE OF read ON inbox WHEN old.read != new.read BEGIN"
	" UPDATE users SET inbox_unread = inbox_unread + (CASE WHEN new.read THEN -1 ELSE 1 END)"
	"  WHERE id = new.user_id; END;"
	"CREATE TRIGGER inbox_unread_delete AFTER DELETE ON inbox WHEN old.read = 0 BEGIN"
	" UPDATE users SET inbox_unread = inbox_unread - 1 WHERE id = old.user_id; END;"

	/* Statistics by day (days since 1970-01-01 UTC); chapter_id 0 is the work as a whole. */
	"CREATE TABLE stats_daily ("
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" chapter_id INTEGER NOT NULL DEFAULT 0,"
	" day INTEGER NOT NULL,"
	" hits INTEGER NOT NULL DEFAULT 0,"
	" kudos INTEGER NOT NULL DEFAULT 0,"
	" comments INTEGER NOT NULL DEFAULT 0,"
	" bookmarks INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (work_id, chapter_id, day)) WITHOUT ROWID;"
	"CREATE TRIGGER stats_chapter_gone AFTER DELETE ON chapters BEGIN"
	" DELETE FROM stats_daily WHERE work_id = old.work_id AND chapter_id = old.id; END;",
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
