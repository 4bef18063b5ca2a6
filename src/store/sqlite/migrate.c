/* Versioned schema migrations for the SQLite backend, applied in order at open; PRAGMA user_version counts them. */
#include "store/sqlite/int.h"
#include "store/sqlite/moderation_schema.h"
#include "store/sqlite/site_schema.h"
#include "store/sqlite/cocreators_sql.h"
#include "core/err.h"
#include "core/log.h"
#include <stdio.h>

/* Fragments of migration 2's triggers (used there only; never change them, add a migration instead). */
/* The owner of work W. */
#define MIG2_OWNER(W) "(SELECT c.user_id FROM work_creators c WHERE c.work_id = " W " AND c.position = 0)"
/* Subscriber s is not one of work W's creators (nobody is told of their own work). */
#define MIG2_NOT_CREATOR(W) "NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = " W \
	" AND x.user_id = s.user_id)"
/* Subscriber s wants this by e-mail: the subscription's choice, else the account's, else yes. */
#define MIG2_WANTS_MAIL "COALESCE(s.mail, (SELECT m.notify_mail FROM mail_settings m" \
	" WHERE m.user_id = s.user_id), 1) = 1"
/* Inbox and outbox rows for the subscribers of author A about their new work W. */
#define MIG2_AUTHOR_FANOUT(W, A) \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT s.user_id, 'new_work', w.id, s.author_id, 'New work: ' || w.title, 0, w.published_at" \
	"  FROM subscriptions s JOIN works w ON w.id = " W \
	"  WHERE s.author_id = " A " AND " MIG2_NOT_CREATOR("w.id") ";" \
	" INSERT INTO outbox(kind, user_id, subscription_id, work_id, next_attempt_at, created_at)" \
	"  SELECT 1, s.user_id, s.id, w.id, w.published_at, w.published_at" \
	"  FROM subscriptions s JOIN works w ON w.id = " W \
	"  WHERE s.author_id = " A " AND " MIG2_NOT_CREATOR("w.id") " AND " MIG2_WANTS_MAIL ";"
/* Inbox and outbox rows for the subscribers of series S about its new part W. */
#define MIG2_SERIES_FANOUT(W, S) \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT s.user_id, 'new_series_part', w.id, " MIG2_OWNER("w.id") "," \
	"   'New part of ' || se.title || ': ' || w.title, 0, w.published_at" \
	"  FROM subscriptions s JOIN works w ON w.id = " W " JOIN series se ON se.id = s.series_id" \
	"  WHERE s.series_id = " S " AND " MIG2_NOT_CREATOR("w.id") ";" \
	" INSERT INTO outbox(kind, user_id, subscription_id, work_id, series_id, next_attempt_at, created_at)" \
	"  SELECT 2, s.user_id, s.id, w.id, s.series_id, w.published_at, w.published_at" \
	"  FROM subscriptions s JOIN works w ON w.id = " W \
	"  WHERE s.series_id = " S " AND " MIG2_NOT_CREATOR("w.id") " AND " MIG2_WANTS_MAIL ";"

#include "store/sqlite/writing_schema.h"
#include "store/sqlite/suggestion_schema.h"

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

	/* 2: ids are never reused. Without AUTOINCREMENT SQLite hands the id of the newest row to the
	 * next one once it is deleted, so an old link or a retried DELETE would reach someone else's
	 * work. A column's definition cannot be altered: each table is rebuilt (new, copy, drop,
	 * rename) with its indexes. Tables referring to these name them, so their foreign keys hold
	 * once the new table has the old name; the runner checks them before committing. Rows keep
	 * their ids, and the next id starts above the largest one present. */
	"CREATE TABLE new_users ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" pwhash TEXT NOT NULL,"
	" role TEXT NOT NULL DEFAULT 'user',"
	" created_at INTEGER NOT NULL);"
	"INSERT INTO new_users(id, name, email, pwhash, role, created_at)"
	" SELECT id, name, email, pwhash, role, created_at FROM users;"
	"DROP TABLE users;"
	"ALTER TABLE new_users RENAME TO users;"

	"CREATE TABLE new_api_tokens ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" token_hash TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_used_at INTEGER NOT NULL DEFAULT 0);"
	"INSERT INTO new_api_tokens(id, user_id, token_hash, name, created_at, last_used_at)"
	" SELECT id, user_id, token_hash, name, created_at, last_used_at FROM api_tokens;"
	"DROP TABLE api_tokens;"
	"ALTER TABLE new_api_tokens RENAME TO api_tokens;"
	"CREATE INDEX api_tokens_user ON api_tokens(user_id);"

	"CREATE TABLE new_works ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
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
	"INSERT INTO new_works(id, title, summary, summary_html, notes, notes_html, end_notes,"
	" end_notes_html, language, expected_chapters, complete, draft, restricted, published_at,"
	" updated_at, created_at, word_count, sanitizer_version)"
	" SELECT id, title, summary, summary_html, notes, notes_html, end_notes, end_notes_html,"
	" language, expected_chapters, complete, draft, restricted, published_at, updated_at,"
	" created_at, word_count, sanitizer_version FROM works;"
	"DROP TABLE works;"
	"ALTER TABLE new_works RENAME TO works;"
	"CREATE INDEX works_updated ON works(updated_at, id);"

	"CREATE TABLE new_series ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" title TEXT NOT NULL COLLATE NOCASE,"
	" UNIQUE (owner_id, title));"
	"INSERT INTO new_series(id, owner_id, title) SELECT id, owner_id, title FROM series;"
	"DROP TABLE series;"
	"ALTER TABLE new_series RENAME TO series;"

	"CREATE TABLE new_chapters ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
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
	"INSERT INTO new_chapters(id, work_id, position, title, summary, summary_html, notes, notes_html,"
	" end_notes, end_notes_html, content, content_format, content_html, word_count, published_at,"
	" updated_at, sanitizer_version)"
	" SELECT id, work_id, position, title, summary, summary_html, notes, notes_html, end_notes,"
	" end_notes_html, content, content_format, content_html, word_count, published_at, updated_at,"
	" sanitizer_version FROM chapters;"
	"DROP TABLE chapters;"
	"ALTER TABLE new_chapters RENAME TO chapters;"
	"CREATE INDEX chapters_work ON chapters(work_id, position);",

	/* 3: look-alike names: the confusable skeleton of each name, computed by the archive
	 * layer with ICU (NULL until computed), so sign-up finds "aIice" beside "alice" with one lookup. */
	"ALTER TABLE users ADD COLUMN skeleton TEXT;"
	"CREATE INDEX users_skeleton ON users(skeleton);",

	/* 4: mail: subscriptions, the notification fan-out, the outbox, mail settings and link tokens.
	 * Notifications are written by triggers, so they commit in the transaction of the write that causes
	 * them, whichever code path made it; one INSERT ... SELECT per trigger serves any number of
	 * subscribers. The inbox table is shared with the inbox feature (same shape there). */
	"CREATE TABLE subscriptions ("
	/* AUTOINCREMENT: ids are never reused, so an old unsubscribe link cannot end a newer subscription. */
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" work_id INTEGER REFERENCES works(id) ON DELETE CASCADE,"
	" author_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	" series_id INTEGER REFERENCES series(id) ON DELETE CASCADE,"
	" mail INTEGER CHECK (mail IS NULL OR mail IN (0, 1)),"
	" created_at INTEGER NOT NULL,"
	" CHECK ((work_id IS NOT NULL) + (author_id IS NOT NULL) + (series_id IS NOT NULL) = 1));"
	/* One per target and reader; each also serves the fan-out lookup by target. */
	"CREATE UNIQUE INDEX subscriptions_work ON subscriptions(work_id, user_id) WHERE work_id IS NOT NULL;"
	"CREATE UNIQUE INDEX subscriptions_author ON subscriptions(author_id, user_id) WHERE author_id IS NOT NULL;"
	"CREATE UNIQUE INDEX subscriptions_series ON subscriptions(series_id, user_id) WHERE series_id IS NOT NULL;"
	"CREATE INDEX subscriptions_user ON subscriptions(user_id, id);"

	"CREATE TABLE mail_settings ("
	" user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	" notify_mail INTEGER NOT NULL DEFAULT 1,"
	" confirmed_email TEXT NOT NULL DEFAULT '' COLLATE NOCASE);"

	"CREATE TABLE mail_tokens ("
	" token_hash TEXT PRIMARY KEY,"
	" kind INTEGER NOT NULL,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" email TEXT NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX mail_tokens_user ON mail_tokens(user_id);"

	/* Mail waiting to go, going, or gone. Notification rows name what happened; the sender renders the
	 * message when it sends it. No foreign keys to works and chapters: a mail about something deleted
	 * meanwhile is dropped and the row says why. */
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" kind INTEGER NOT NULL,"
	" user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	" to_addr TEXT,"
	" subscription_id INTEGER,"
	" work_id INTEGER,"
	" chapter_id INTEGER,"
	" series_id INTEGER,"
	" status TEXT NOT NULL DEFAULT 'queued'"
	"  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dropped')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt_at INTEGER NOT NULL,"
	" last_error TEXT,"
	" created_at INTEGER NOT NULL,"
	" finished_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE status = 'queued';"
	"CREATE INDEX outbox_sending ON outbox(id) WHERE status = 'sending';"
	"CREATE INDEX outbox_finished ON outbox(finished_at) WHERE finished_at IS NOT NULL;"
	"CREATE INDEX outbox_user ON outbox(user_id);"

	"CREATE TABLE IF NOT EXISTS inbox ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL,"
	" work_id INTEGER,"
	" chapter_id INTEGER,"
	" comment_id INTEGER,"
	" actor_id INTEGER,"
	" body TEXT NOT NULL DEFAULT '',"
	" read INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS inbox_user ON inbox(user_id, id);"

	/* A chapter posted to a work (not a draft): the work's subscribers. outbox.kind 0 = new chapter. */
	"CREATE TRIGGER notify_new_chapter AFTER INSERT ON chapters WHEN NEW.published_at > 0 BEGIN"
	" INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body, read, created_at)"
	"  SELECT s.user_id, 'new_chapter', NEW.work_id, NEW.id, " MIG2_OWNER("NEW.work_id") ","
	"   'Chapter ' || NEW.position || ' of ' || w.title, 0, NEW.published_at"
	"  FROM subscriptions s JOIN works w ON w.id = NEW.work_id"
	"  WHERE s.work_id = NEW.work_id AND " MIG2_NOT_CREATOR("NEW.work_id") ";"
	" INSERT INTO outbox(kind, user_id, subscription_id, work_id, chapter_id, next_attempt_at, created_at)"
	"  SELECT 0, s.user_id, s.id, NEW.work_id, NEW.id, NEW.published_at, NEW.published_at"
	"  FROM subscriptions s"
	"  WHERE s.work_id = NEW.work_id AND " MIG2_NOT_CREATOR("NEW.work_id") " AND " MIG2_WANTS_MAIL ";"
	" END;"

	/* A work posted at once: its owner's subscribers (creators are added after the work row). 1 = new work. */
	"CREATE TRIGGER notify_new_work AFTER INSERT ON work_creators"
	" WHEN NEW.position = 0 AND (SELECT draft FROM works WHERE id = NEW.work_id) = 0 BEGIN"
	MIG2_AUTHOR_FANOUT("NEW.work_id", "NEW.user_id")
	" END;"

	/* A draft posted: its owner's subscribers and its series' subscribers. */
	"CREATE TRIGGER notify_posted_draft AFTER UPDATE OF draft ON works"
	" WHEN OLD.draft = 1 AND NEW.draft = 0 BEGIN"
	MIG2_AUTHOR_FANOUT("NEW.id", "(SELECT c.user_id FROM work_creators c WHERE c.work_id = NEW.id AND c.position = 0)")
	MIG2_SERIES_FANOUT("NEW.id", "(SELECT ws.series_id FROM work_series ws WHERE ws.work_id = NEW.id)")
	" END;"

	/* A posted work joins a series (a new work, or one moved): the series' subscribers. 2 = new part. */
	"CREATE TRIGGER notify_series_part AFTER INSERT ON work_series"
	" WHEN (SELECT draft FROM works WHERE id = NEW.work_id) = 0 BEGIN"
	MIG2_SERIES_FANOUT("NEW.work_id", "NEW.series_id")
	" END;"
	"CREATE TRIGGER notify_series_move AFTER UPDATE OF series_id ON work_series"
	" WHEN OLD.series_id != NEW.series_id AND (SELECT draft FROM works WHERE id = NEW.work_id) = 0 BEGIN"
	MIG2_SERIES_FANOUT("NEW.work_id", "NEW.series_id")
	" END;",

	/* 5: the reader's response: comments, kudos, bookmarks, reading history, statistics, and the inbox
	 * (4's table) for comments. Counts live in columns kept by triggers, so no page counts rows; the
	 * names of the works counts are shared with the search filters (kudos_count, hits_count,
	 * comments_count, bookmarks_count). Tables rebuilt by 2 are only altered here, after it. */
	"ALTER TABLE works ADD COLUMN kudos_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN hits_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN bookmarks_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN kudos_guests INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN subscriptions_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN comment_policy INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE works ADD COLUMN comments_moderated INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN kudos_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN kudos_guests INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN hits_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE chapters ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN inbox_unread INTEGER NOT NULL DEFAULT 0;"

	/* chapter_id NULL: a comment on the whole work. state: 0 shown, 1 awaiting approval, 2 hidden by a
	 * creator, 3 deleted (text gone; kept while replies hang below it). AUTOINCREMENT: a comment's link
	 * never reaches a later one. */
	"CREATE TABLE comments ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
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
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
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

	/* The inbox (4) gets comment messages too: kind 'comment' (on one of your works) or 'reply' (to your
	 * comment), with comment_id, work_id and chapter_id set; one per reader and comment; gone with the
	 * comment. users.inbox_unread counts unread rows of every kind, mail's triggers' included. */
	"CREATE UNIQUE INDEX inbox_comment_once ON inbox(user_id, comment_id) WHERE comment_id IS NOT NULL;"
	"CREATE INDEX inbox_comment ON inbox(comment_id) WHERE comment_id IS NOT NULL;"
	"CREATE INDEX inbox_unread ON inbox(user_id, read, id);"
	"UPDATE users SET inbox_unread ="
	" (SELECT COUNT(*) FROM inbox i WHERE i.user_id = users.id AND i.read = 0);"
	"CREATE TRIGGER inbox_unread_insert AFTER INSERT ON inbox WHEN new.read = 0 BEGIN"
	" UPDATE users SET inbox_unread = inbox_unread + 1 WHERE id = new.user_id; END;"
	"CREATE TRIGGER inbox_unread_update AFTER UPDATE OF read ON inbox WHEN (old.read = 0) != (new.read = 0) BEGIN"
	" UPDATE users SET inbox_unread = inbox_unread + (CASE WHEN new.read = 0 THEN 1 ELSE -1 END)"
	"  WHERE id = new.user_id; END;"
	"CREATE TRIGGER inbox_unread_delete AFTER DELETE ON inbox WHEN old.read = 0 BEGIN"
	" UPDATE users SET inbox_unread = inbox_unread - 1 WHERE id = old.user_id; END;"
	"CREATE TRIGGER comments_inbox_gone AFTER DELETE ON comments BEGIN"
	" DELETE FROM inbox WHERE comment_id = old.id; END;"

	/* Readers subscribed to each work, for the creators' statistics. */
	"UPDATE works SET subscriptions_count ="
	" (SELECT COUNT(*) FROM subscriptions s WHERE s.work_id = works.id);"
	"CREATE TRIGGER subscriptions_count_insert AFTER INSERT ON subscriptions WHEN new.work_id IS NOT NULL BEGIN"
	" UPDATE works SET subscriptions_count = subscriptions_count + 1 WHERE id = new.work_id; END;"
	"CREATE TRIGGER subscriptions_count_delete AFTER DELETE ON subscriptions WHEN old.work_id IS NOT NULL BEGIN"
	" UPDATE works SET subscriptions_count = subscriptions_count - 1 WHERE id = old.work_id; END;"

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

	/* 6: finding works (issue 9): tags and wrangling, listing counters and indexes, full-text search. */
	/* Tag names compare in their NFKC case-folded form (quire_tag_norm, registered on every connection);
	 * spellings that fold alike become one tag, keeping the oldest. Synonyms point at their canonical tag
	 * (merger_id); works are filtered through filter_taggings (a work's tags with synonyms replaced by
	 * their canonical and meta tags added), whose rows keep tags.works_count (posted works) and
	 * tags.public_count (posted and not restricted) current through triggers. */
	"ALTER TABLE tags ADD COLUMN norm TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tags ADD COLUMN skeleton TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tags ADD COLUMN lookalike INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tags ADD COLUMN canonical INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tags ADD COLUMN wrangled INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tags ADD COLUMN merger_id INTEGER REFERENCES tags(id);"
	"ALTER TABLE tags ADD COLUMN media TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tags ADD COLUMN fandom_hint_id INTEGER;"
	"ALTER TABLE tags ADD COLUMN works_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tags ADD COLUMN public_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tags ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;"
	"UPDATE tags SET norm = COALESCE(quire_tag_norm(name), name),"
	" created_at = CAST(strftime('%s', 'now') AS INTEGER),"
	" canonical = type <= 2, wrangled = type <= 2;"
	"CREATE TEMP TABLE tag_dups AS SELECT t.id AS dup, (SELECT MIN(k.id) FROM tags k"
	" WHERE k.type = t.type AND k.norm = t.norm) AS keep FROM tags t;"
	"DELETE FROM temp.tag_dups WHERE dup = keep;"
	"UPDATE OR IGNORE work_tags SET tag_id = (SELECT keep FROM temp.tag_dups WHERE dup = tag_id)"
	" WHERE tag_id IN (SELECT dup FROM temp.tag_dups);"
	"DELETE FROM work_tags WHERE tag_id IN (SELECT dup FROM temp.tag_dups);"
	"DELETE FROM tags WHERE id IN (SELECT dup FROM temp.tag_dups);"
	"DROP TABLE temp.tag_dups;"
	"UPDATE tags SET skeleton = quire_tag_skeleton(norm), lookalike = quire_tag_mixed(name);"
	"UPDATE tags SET lookalike = 1 WHERE EXISTS (SELECT 1 FROM tags o WHERE o.type = tags.type"
	" AND o.skeleton = tags.skeleton AND o.id != tags.id);"
	"CREATE UNIQUE INDEX tags_norm ON tags(type, norm);"
	"CREATE INDEX tags_skeleton ON tags(type, skeleton);"
	"CREATE INDEX tags_merger ON tags(merger_id) WHERE merger_id IS NOT NULL;"
	"CREATE INDEX tags_works_count ON tags(type, works_count) WHERE merger_id IS NULL;"
	"CREATE INDEX tags_public_count ON tags(type, public_count) WHERE merger_id IS NULL;"
	"CREATE INDEX tags_media ON tags(media, public_count) WHERE type = 3 AND merger_id IS NULL;"
	"CREATE INDEX tags_queue ON tags(fandom_hint_id, id) WHERE wrangled = 0;"

	/* The fandoms a character, relationship or freeform belongs to; meta tags over sub tags. */
	"CREATE TABLE tag_parents ("
	" tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
	" parent_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
	" PRIMARY KEY (tag_id, parent_id)) WITHOUT ROWID;"
	"CREATE INDEX tag_parents_parent ON tag_parents(parent_id);"
	"CREATE TABLE meta_tags ("
	" sub_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
	" meta_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
	" PRIMARY KEY (sub_id, meta_id)) WITHOUT ROWID;"
	"CREATE INDEX meta_tags_meta ON meta_tags(meta_id);"

	"CREATE TABLE filter_taggings ("
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,"
	" tag_id INTEGER NOT NULL REFERENCES tags(id),"
	" PRIMARY KEY (work_id, tag_id)) WITHOUT ROWID;"
	"CREATE INDEX filter_taggings_tag ON filter_taggings(tag_id);"
	"CREATE TRIGGER filter_taggings_count_ins AFTER INSERT ON filter_taggings BEGIN"
	" UPDATE tags SET works_count = works_count + (SELECT draft = 0 FROM works WHERE id = NEW.work_id),"
	" public_count = public_count + (SELECT draft = 0 AND restricted = 0 FROM works WHERE id = NEW.work_id)"
	" WHERE id = NEW.tag_id; END;"
	"CREATE TRIGGER filter_taggings_count_del AFTER DELETE ON filter_taggings BEGIN"
	" UPDATE tags SET works_count = works_count - IFNULL((SELECT draft = 0 FROM works WHERE id = OLD.work_id), 0),"
	" public_count = public_count - IFNULL((SELECT draft = 0 AND restricted = 0 FROM works"
	" WHERE id = OLD.work_id), 0) WHERE id = OLD.tag_id; END;"

	/* Counters for unfiltered listings: no COUNT(*) over the archive per request. */
	"CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO counters(name, value) VALUES"
	" ('works_posted', (SELECT COUNT(*) FROM works WHERE draft = 0)),"
	" ('works_public', (SELECT COUNT(*) FROM works WHERE draft = 0 AND restricted = 0));"

	/* What listings sort by besides 5's counts (kudos_count, hits_count, comments_count, bookmarks_count). */
	"ALTER TABLE works ADD COLUMN creator_sort TEXT NOT NULL DEFAULT '' COLLATE NOCASE;"
	"ALTER TABLE works ADD COLUMN crossover INTEGER NOT NULL DEFAULT 0;"
	/* The work's filter tags as " id:type id:type ..." (each entry after a space): listings test tags with
	 * instr(filter_tags, ' ID:') and count facets from the index entries they already read, instead of an
	 * index lookup per work and tag. */
	"ALTER TABLE works ADD COLUMN filter_tags TEXT NOT NULL DEFAULT '';"
	"UPDATE works SET creator_sort = IFNULL((SELECT u.name FROM work_creators c JOIN users u ON u.id = c.user_id"
	" WHERE c.work_id = works.id AND c.position = 0), '');"
	/* One index per sort order over posted works; restricted rides along so guests' listings never
	 * visit the table to skip members-only works. */
	"CREATE INDEX works_by_updated ON works(updated_at, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_published ON works(published_at, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_kudos ON works(kudos_count, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_hits ON works(hits_count, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_comments ON works(comments_count, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_bookmarks ON works(bookmarks_count, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_words ON works(word_count, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_title ON works(title COLLATE NOCASE, id, restricted) WHERE draft = 0;"
	"CREATE INDEX works_by_creator ON works(creator_sort, id, restricted) WHERE draft = 0;"
	/* What a listing reads of a work it reaches by id (from a tag, an author, a series or a text match),
	 * covered by one narrow index: the wide rows (summaries, notes) stay unread until a page shows them. */
	"CREATE INDEX works_listing ON works(id, draft, restricted, complete, crossover, word_count, updated_at,"
	" published_at, kudos_count, hits_count, comments_count, bookmarks_count, language, creator_sort, title,"
	" filter_tags);"

	"CREATE TRIGGER works_counters_ins AFTER INSERT ON works BEGIN"
	" UPDATE counters SET value = value + (NEW.draft = 0) WHERE name = 'works_posted';"
	" UPDATE counters SET value = value + (NEW.draft = 0 AND NEW.restricted = 0) WHERE name = 'works_public';"
	" END;"
	"CREATE TRIGGER works_counters_upd AFTER UPDATE OF draft, restricted ON works"
	" WHEN OLD.draft != NEW.draft OR OLD.restricted != NEW.restricted BEGIN"
	" UPDATE counters SET value = value + (NEW.draft = 0) - (OLD.draft = 0) WHERE name = 'works_posted';"
	" UPDATE counters SET value = value + (NEW.draft = 0 AND NEW.restricted = 0)"
	" - (OLD.draft = 0 AND OLD.restricted = 0) WHERE name = 'works_public';"
	" UPDATE tags SET works_count = works_count + (NEW.draft = 0) - (OLD.draft = 0),"
	" public_count = public_count + (NEW.draft = 0 AND NEW.restricted = 0) - (OLD.draft = 0 AND OLD.restricted = 0)"
	" WHERE id IN (SELECT tag_id FROM filter_taggings WHERE work_id = NEW.id);"
	" END;"
	/* BEFORE: the filter rows go while the work row still says what they counted. */
	"CREATE TRIGGER works_counters_del BEFORE DELETE ON works BEGIN"
	" DELETE FROM filter_taggings WHERE work_id = OLD.id;"
	" DELETE FROM search_works WHERE rowid = OLD.id;"
	" UPDATE counters SET value = value - (OLD.draft = 0) WHERE name = 'works_posted';"
	" UPDATE counters SET value = value - (OLD.draft = 0 AND OLD.restricted = 0) WHERE name = 'works_public';"
	" END;"
	"CREATE TRIGGER work_owner_ins AFTER INSERT ON work_creators WHEN NEW.position = 0 BEGIN"
	" UPDATE works SET creator_sort = IFNULL((SELECT name FROM users WHERE id = NEW.user_id), '')"
	" WHERE id = NEW.work_id; END;"
	"CREATE TRIGGER work_owner_upd AFTER UPDATE OF user_id ON work_creators WHEN NEW.position = 0 BEGIN"
	" UPDATE works SET creator_sort = IFNULL((SELECT name FROM users WHERE id = NEW.user_id), '')"
	" WHERE id = NEW.work_id; END;"

	/* Full-text search (FTS5, stemmed, accents folded). A work's own text (title, summary, notes, tags with
	 * their canonical names, creators) is one document; each chapter is another, the text of its HTML. */
	"CREATE VIRTUAL TABLE search_works USING fts5(title, summary, notes, tags, creators,"
	" tokenize = 'porter unicode61 remove_diacritics 2');"
	"CREATE VIEW search_works_src(id, title, summary, notes, tags, creators) AS SELECT w.id, w.title,"
	" quire_plain(w.summary_html), quire_plain(w.notes_html) || ' ' || quire_plain(w.end_notes_html),"
	" (SELECT group_concat(t.name || IFNULL(' (' || m.name || ')', ''), ', ') FROM work_tags wt"
	"  JOIN tags t ON t.id = wt.tag_id LEFT JOIN tags m ON m.id = t.merger_id WHERE wt.work_id = w.id),"
	" (SELECT group_concat(u.name, ', ') FROM work_creators c JOIN users u ON u.id = c.user_id"
	"  WHERE c.work_id = w.id AND c.accepted = 1)"
	" FROM works w;"
	"CREATE TRIGGER search_works_ins AFTER INSERT ON works BEGIN"
	" INSERT INTO search_works(rowid, title, summary, notes, tags, creators)"
	" SELECT * FROM search_works_src WHERE id = NEW.id; END;"
	"CREATE TRIGGER search_works_upd AFTER UPDATE OF title, summary_html, notes_html, end_notes_html ON works BEGIN"
	" DELETE FROM search_works WHERE rowid = NEW.id;"
	" INSERT INTO search_works(rowid, title, summary, notes, tags, creators)"
	" SELECT * FROM search_works_src WHERE id = NEW.id; END;"
	"CREATE TRIGGER search_works_creator_ins AFTER INSERT ON work_creators BEGIN"
	" DELETE FROM search_works WHERE rowid = NEW.work_id;"
	" INSERT INTO search_works(rowid, title, summary, notes, tags, creators)"
	" SELECT * FROM search_works_src WHERE id = NEW.work_id; END;"
	"CREATE TRIGGER search_works_creator_upd AFTER UPDATE ON work_creators BEGIN"
	" DELETE FROM search_works WHERE rowid = NEW.work_id;"
	" INSERT INTO search_works(rowid, title, summary, notes, tags, creators)"
	" SELECT * FROM search_works_src WHERE id = NEW.work_id; END;"
	"CREATE TRIGGER search_works_creator_del AFTER DELETE ON work_creators BEGIN"
	" DELETE FROM search_works WHERE rowid = OLD.work_id;"
	" INSERT INTO search_works(rowid, title, summary, notes, tags, creators)"
	" SELECT * FROM search_works_src WHERE id = OLD.work_id; END;"

	/* A chapter's row in the index is numbered work_id << 32 | chapter_id: matches name their work without
	 * a lookup in the (large) chapters table. Chapter ids stay below 2^32, work ids below 2^31. */
	"CREATE VIEW search_chapters_src(key, id, title, summary, notes, text) AS SELECT (c.work_id << 32) | c.id,"
	" c.id, c.title, quire_plain(c.summary_html), quire_plain(c.notes_html) || ' ' || quire_plain(c.end_notes_html),"
	" quire_plain(c.content_html) FROM chapters c;"
	/* The index keeps its own copy of the text: snippets and plain sqlite3 tools (.dump) read it
	 * without our SQL functions. */
	"CREATE VIRTUAL TABLE search_chapters USING fts5(title, summary, notes, text,"
	" tokenize = 'porter unicode61 remove_diacritics 2');"
	"CREATE TRIGGER search_chapters_ins AFTER INSERT ON chapters BEGIN"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text)"
	" SELECT key, title, summary, notes, text FROM search_chapters_src WHERE id = NEW.id; END;"
	"CREATE TRIGGER search_chapters_upd AFTER UPDATE OF title, summary_html, notes_html,"
	" end_notes_html, content_html ON chapters BEGIN"
	" DELETE FROM search_chapters WHERE rowid = (OLD.work_id << 32) | OLD.id;"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text)"
	" SELECT key, title, summary, notes, text FROM search_chapters_src WHERE id = NEW.id; END;"
	"CREATE TRIGGER search_chapters_del AFTER DELETE ON chapters BEGIN"
	" DELETE FROM search_chapters WHERE rowid = (OLD.work_id << 32) | OLD.id; END;"

	/* Tag names by word prefix, for autocomplete ("ben" finds "Olivia Benson"). Names never change. */
	"CREATE VIRTUAL TABLE tag_names USING fts5(name, content = 'tags', content_rowid = 'id',"
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
	"CREATE TRIGGER tag_names_ins AFTER INSERT ON tags BEGIN"
	" INSERT INTO tag_names(rowid, name) VALUES (NEW.id, NEW.name); END;"
	"CREATE TRIGGER tag_names_del BEFORE DELETE ON tags BEGIN"
	" INSERT INTO tag_names(tag_names, rowid, name) VALUES ('delete', OLD.id, OLD.name); END;"
	/* New tags: their look-alike flag, and the fixed kinds (ratings, warnings, categories) are canonical. */
	"CREATE TRIGGER tags_new AFTER INSERT ON tags BEGIN"
	" UPDATE tags SET skeleton = IFNULL(quire_tag_skeleton(NEW.norm), ''), lookalike = quire_tag_mixed(NEW.name),"
	" created_at = CAST(strftime('%s', 'now') AS INTEGER), canonical = NEW.type <= 2, wrangled = NEW.type <= 2"
	" WHERE id = NEW.id;"
	" UPDATE tags SET lookalike = 1 WHERE type = NEW.type"
	" AND skeleton = (SELECT skeleton FROM tags WHERE id = NEW.id) AND skeleton != ''"
	" AND (SELECT COUNT(*) FROM tags o WHERE o.type = NEW.type"
	" AND o.skeleton = (SELECT skeleton FROM tags WHERE id = NEW.id)) > 1;"
	" END;"

	/* What is already there: filter rows (and through them the counts), crossovers, the search index. */
	"INSERT OR IGNORE INTO filter_taggings(work_id, tag_id) SELECT wt.work_id, IFNULL(t.merger_id, t.id)"
	" FROM work_tags wt JOIN tags t ON t.id = wt.tag_id;"
	"UPDATE works SET crossover = (SELECT COUNT(*) FROM filter_taggings f JOIN tags t ON t.id = f.tag_id"
	" WHERE f.work_id = works.id AND t.type = 3) > 1,"
	" filter_tags = IFNULL((SELECT ' ' || group_concat(f.tag_id || ':' || t.type, ' ') FROM filter_taggings f"
	" JOIN tags t ON t.id = f.tag_id WHERE f.work_id = works.id), '');"
	"INSERT INTO search_works(rowid, title, summary, notes, tags, creators) SELECT * FROM search_works_src;"
	"INSERT INTO search_chapters(rowid, title, summary, notes, text)"
	" SELECT key, title, summary, notes, text FROM search_chapters_src;"
	"INSERT INTO tag_names(tag_names) VALUES ('rebuild');",

	/* 7: a chapter's index row also holds its work's title, fandoms, relationships, characters, additional
	 * tags (as typed) and creators, so a search may name the story's world and what happens in one
	 * chapter ("Holmes tide"). Kept current by the triggers below (creators) and by the work's own
	 * updates in the store (title and tags change together there: one refresh, not one per tag). */
	"DROP TRIGGER search_chapters_ins;"
	"DROP TRIGGER search_chapters_upd;"
	"DROP TRIGGER search_chapters_del;"
	"DROP VIEW search_chapters_src;"
	"DROP TABLE search_chapters;"
	"CREATE VIEW search_work_meta(id, meta) AS SELECT w.id, w.title"
	" || IFNULL(' ' || (SELECT group_concat(t.name, ', ') FROM work_tags wt JOIN tags t ON t.id = wt.tag_id"
	"  WHERE wt.work_id = w.id AND t.type >= 3), '')"
	" || IFNULL(' ' || (SELECT group_concat(u.name, ', ') FROM work_creators c JOIN users u ON u.id = c.user_id"
	"  WHERE c.work_id = w.id AND c.accepted = 1), '')"
	" FROM works w;"
	"CREATE VIEW search_chapters_src(key, id, work_id, title, summary, notes, text, work) AS"
	" SELECT (c.work_id << 32) | c.id, c.id, c.work_id, c.title, quire_plain(c.summary_html),"
	" quire_plain(c.notes_html) || ' ' || quire_plain(c.end_notes_html), quire_plain(c.content_html),"
	" (SELECT meta FROM search_work_meta m WHERE m.id = c.work_id) FROM chapters c;"
	"CREATE VIRTUAL TABLE search_chapters USING fts5(title, summary, notes, text, work,"
	" tokenize = 'porter unicode61 remove_diacritics 2');"
	"CREATE TRIGGER search_chapters_ins AFTER INSERT ON chapters BEGIN"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE id = NEW.id; END;"
	"CREATE TRIGGER search_chapters_upd AFTER UPDATE OF title, summary_html, notes_html,"
	" end_notes_html, content_html ON chapters BEGIN"
	" DELETE FROM search_chapters WHERE rowid = (OLD.work_id << 32) | OLD.id;"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE id = NEW.id; END;"
	"CREATE TRIGGER search_chapters_del AFTER DELETE ON chapters BEGIN"
	" DELETE FROM search_chapters WHERE rowid = (OLD.work_id << 32) | OLD.id; END;"
	"CREATE TRIGGER search_chapters_creator_ins AFTER INSERT ON work_creators BEGIN"
	" DELETE FROM search_chapters WHERE rowid BETWEEN NEW.work_id << 32 AND (NEW.work_id << 32) | 4294967295;"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE work_id = NEW.work_id; END;"
	"CREATE TRIGGER search_chapters_creator_upd AFTER UPDATE ON work_creators BEGIN"
	" DELETE FROM search_chapters WHERE rowid BETWEEN NEW.work_id << 32 AND (NEW.work_id << 32) | 4294967295;"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE work_id = NEW.work_id; END;"
	"CREATE TRIGGER search_chapters_creator_del AFTER DELETE ON work_creators BEGIN"
	" DELETE FROM search_chapters WHERE rowid BETWEEN OLD.work_id << 32 AND (OLD.work_id << 32) | 4294967295;"
	" INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE work_id = OLD.work_id; END;"
	"INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src;",

	/* 8: works whose filter tags and search text wait to be refreshed after a wrangle reached too many of
	 * them to refresh inside its own transaction (sqlite/sync_queue.c drains it in short batches). */
	"CREATE TABLE work_sync_queue (work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE);",

	/* 9: blocks: a blocked user may not comment on the blocker's works or reply to the blocker's comments. */
	"CREATE TABLE user_blocks ("
	" blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" created_at INTEGER NOT NULL,"
	" PRIMARY KEY (blocker_id, blocked_id)) WITHOUT ROWID;"
	"CREATE INDEX user_blocks_blocked ON user_blocks(blocked_id);",

	/* 10: texts an older sanitizer rendered, found without a scan when the rules change (stale.c). */
	"CREATE INDEX works_sanitizer ON works(sanitizer_version);"
	"CREATE INDEX chapters_sanitizer ON chapters(sanitizer_version);"
	"CREATE INDEX comments_sanitizer ON comments(sanitizer_version);",
	/* 11: the writer's check: accepted names, dismissed suggestions, the picked dictionary (sqlite/writing.c). */
	WRITING_WORDS_SCHEMA,

	/* 12: readers' suggestions on a passage, and the works that take them (sqlite/suggestion.c). */
	READER_SUGGESTIONS_SCHEMA,

	/* 13: several servers on one store (store.h, "Shared state"): job leases, rate-limit events, the visitors
	 * counted today; outbox rows say who claimed them and until when (a sender that died loses its claims). */
	"CREATE TABLE job_leases (job TEXT PRIMARY KEY, holder INTEGER NOT NULL, until_ms INTEGER NOT NULL);"
	"CREATE TABLE rate_events (bucket TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL);"
	"CREATE INDEX rate_events_key ON rate_events(bucket, key, at);"
	"CREATE INDEX rate_events_at ON rate_events(at);"
	"CREATE TABLE hits_seen (day INTEGER NOT NULL, digest INTEGER NOT NULL, PRIMARY KEY (day, digest))"
	" WITHOUT ROWID;"
	"ALTER TABLE outbox ADD COLUMN claimed_by INTEGER;"
	"ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;",
	/* 14: moderation: the audit log, hidden and deleted works, abuse reports, notices, shared counters. */
	SQLS_MIGRATION_MODERATION,

	/* 15: suspensions and bans, quarantined comments and bookmarks (undo), locked comments. */
	SQLS_MIGRATION_SANCTIONS,

	/* 16: the site's pages (terms and privacy versioned, who accepted which), news, invitations. */
	SQLS_MIGRATION_SITE,

	/* 17: spam: the queue of held comments and sign-ups, addresses that sent spam, the sign-up blocklist. */
	SQLS_MIGRATION_SPAM,

	/* 18: mutes: accounts and tags a reader no longer wants to see. */
	SQLS_MIGRATION_MUTES,

	/* 19: co-creator invitations told to the invitee (inbox, mail), acceptances to the owner. */
	SQLS_MIGRATION_COCREATORS,
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "migrating the database: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return Q_ERR;
	}
	return 0;
}

static int user_version(sqlite3 *db, int *v, char *err, size_t errlen)
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
		snprintf(err, errlen, "reading the schema version: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	return rc;
}

/* Rows that break a foreign key; -1 when the check itself fails. */
static int64_t foreign_key_violations(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM pragma_foreign_key_check", -1, &q, NULL) == SQLITE_OK
	    && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

int sqls_migrate_to(sqlite3 *db, int target, char *err, size_t errlen)
{
	int v = 0, rc;
	if (target < 0 || target > NMIGRATIONS) {
		snprintf(err, errlen, "no schema version %d", target);
		return Q_EINVAL;
	}
	/* Rebuilding a table drops it, which with foreign keys enforced would cascade into every
	 * table that refers to it. The pragma does nothing inside a transaction, so it is set
	 * around it, and the keys are checked before the commit instead. */
	if ((rc = exec(db, "PRAGMA foreign_keys = OFF", err, errlen)))
		return rc;
	/* IMMEDIATE: two processes opening a fresh file at once must not both migrate. */
	if ((rc = exec(db, "BEGIN IMMEDIATE", err, errlen)))
		goto done;
	if ((rc = user_version(db, &v, err, errlen)))
		goto done;
	if (v > NMIGRATIONS) {
		snprintf(err, errlen, "the database's schema version %d is newer than this program knows (%d)",
		         v, NMIGRATIONS);
		rc = Q_ERR;
		goto done;
	}
	for (int i = v; i < target; i++) {
		log_info("store: applying migration %d", i + 1);
		if ((rc = exec(db, migrations[i], err, errlen)))
			goto done;
	}
	if (v < target) {
		int64_t bad = foreign_key_violations(db);
		if (bad != 0) {
			snprintf(err, errlen, "migrating the database: %lld rows would break foreign keys",
			         (long long)bad);
			rc = Q_ERR;
			goto done;
		}
		/* PRAGMA takes no parameters; the number is ours. */
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
		if ((rc = exec(db, sql, err, errlen)))
			goto done;
	}
	rc = exec(db, "COMMIT", err, errlen);
done:
	if (rc && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK && rc == 0) {
		snprintf(err, errlen, "turning foreign keys back on: %s", sqlite3_errmsg(db));
		rc = Q_ERR;
	}
	return rc;
}

int sqls_migrate(sqlite3 *db, char *err, size_t errlen)
{
	return sqls_migrate_to(db, NMIGRATIONS, err, errlen);
}
