/* SQLite schema of moderation (issue 14): the audit log, hidden and deleted works, abuse reports, notices by
 * mail, and counters shared by every server (report and spam limits). One migration; never edited once
 * released (a change is a new migration). */
#ifndef QUIRE_STORE_SQLITE_MODERATION_SCHEMA_H
#define QUIRE_STORE_SQLITE_MODERATION_SCHEMA_H

/* The audit log: who did what to what, when and why. No foreign keys (it outlives the accounts and works it
 * names, whose names it keeps as they were), and triggers refuse any change to a written row: an undo is a
 * new entry naming the one it undoes (once). works.draft gains two states, 2 hidden and 3 deleted by
 * moderators: every listing, count, index and trigger that reads "draft = 0" leaves them out with no
 * change; work_moderation says why and which entry did it. Reports keep the reported text as it was. */
#define SQLS_MIGRATION_MODERATION \
	"CREATE TABLE mod_log (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" created_at INTEGER NOT NULL," \
	" actor_id INTEGER," \
	" actor_name TEXT NOT NULL," \
	" action TEXT NOT NULL," \
	" target_kind TEXT NOT NULL," \
	" target_id INTEGER NOT NULL DEFAULT 0," \
	" target_name TEXT NOT NULL DEFAULT ''," \
	" subject_id INTEGER," \
	" subject_name TEXT NOT NULL DEFAULT ''," \
	" reason TEXT NOT NULL DEFAULT ''," \
	" detail TEXT NOT NULL DEFAULT ''," \
	" report_id INTEGER," \
	" undoes INTEGER);" \
	"CREATE INDEX mod_log_action ON mod_log(action, id);" \
	"CREATE INDEX mod_log_actor ON mod_log(actor_name COLLATE NOCASE, id);" \
	"CREATE INDEX mod_log_subject ON mod_log(subject_name COLLATE NOCASE, id);" \
	"CREATE INDEX mod_log_target ON mod_log(target_kind, target_id, id);" \
	"CREATE INDEX mod_log_report ON mod_log(report_id, id) WHERE report_id IS NOT NULL;" \
	"CREATE UNIQUE INDEX mod_log_undoes ON mod_log(undoes) WHERE undoes IS NOT NULL;" \
	"CREATE TRIGGER mod_log_no_update BEFORE UPDATE ON mod_log BEGIN" \
	" SELECT RAISE(ABORT, 'the audit log is never edited'); END;" \
	"CREATE TRIGGER mod_log_no_delete BEFORE DELETE ON mod_log BEGIN" \
	" SELECT RAISE(ABORT, 'the audit log is never edited'); END;" \
	\
	"CREATE TABLE work_moderation (" \
	" work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE," \
	" state INTEGER NOT NULL CHECK (state IN (2, 3))," \
	" reason TEXT NOT NULL," \
	" log_id INTEGER NOT NULL," \
	" at INTEGER NOT NULL);" \
	"CREATE INDEX work_moderation_state ON work_moderation(state, at);" \
	\
	"CREATE TABLE reports (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" created_at INTEGER NOT NULL," \
	" updated_at INTEGER NOT NULL," \
	" target_kind TEXT NOT NULL CHECK (target_kind IN ('work', 'chapter', 'comment', 'bookmark', 'user'))," \
	" target_id INTEGER NOT NULL," \
	" work_id INTEGER," \
	" subject_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" category TEXT NOT NULL," \
	" body TEXT NOT NULL," \
	" reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" reporter_email TEXT NOT NULL DEFAULT ''," \
	" reported_title TEXT NOT NULL DEFAULT ''," \
	" reported_text TEXT NOT NULL DEFAULT ''," \
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3)," \
	" assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL);" \
	"CREATE INDEX reports_status ON reports(status, id);" \
	"CREATE INDEX reports_target ON reports(target_kind, target_id);" \
	"CREATE INDEX reports_assignee ON reports(assignee_id, id) WHERE assignee_id IS NOT NULL;" \
	"CREATE INDEX reports_subject ON reports(subject_id);" \
	"CREATE INDEX reports_reporter ON reports(reporter_id);" \
	"CREATE TABLE report_notes (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE," \
	" author_id INTEGER," \
	" author_name TEXT NOT NULL," \
	" body TEXT NOT NULL," \
	" created_at INTEGER NOT NULL);" \
	"CREATE INDEX report_notes_report ON report_notes(report_id, id);" \
	\
	/* Mail whose text is written when it is queued (moderation notices, invitations): outbox kind 5. */ \
	"CREATE TABLE outbox_notices (" \
	" outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE," \
	" subject TEXT NOT NULL," \
	" body TEXT NOT NULL);" \
	\
	/* Counters every server shares: how often a key (an address's hash, an account) did something in a \
	 * period (its start: a multiple of its length, unix seconds). */ \
	"CREATE TABLE rate_counts (" \
	" key TEXT NOT NULL," \
	" period INTEGER NOT NULL," \
	" count INTEGER NOT NULL," \
	" PRIMARY KEY (key, period)) WITHOUT ROWID;" \
	"CREATE INDEX rate_counts_period ON rate_counts(period);" \
	/* The dashboard counts today's sign-ups. */ \
	"CREATE INDEX users_created ON users(created_at);"

/* Accounts: suspended for a time (kind 1) or banned (kind 2, until 0): they cannot log in, and their sessions
 * and API tokens stop working, until the sanction ends or is lifted; the works a sanction hid carry its log
 * entry (work_moderation.log_id), so lifting it shows exactly those again. Comments deleted and bookmarks
 * removed by moderators wait in quarantine, so an undo restores them as they were. A work's comments can be
 * locked by moderators, whatever its creators chose. */
#define SQLS_MIGRATION_SANCTIONS \
	"CREATE TABLE user_sanctions (" \
	" user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (1, 2))," \
	" until INTEGER NOT NULL," \
	" reason TEXT NOT NULL," \
	" log_id INTEGER NOT NULL," \
	" at INTEGER NOT NULL);" \
	"CREATE INDEX user_sanctions_log ON user_sanctions(log_id);" \
	"CREATE INDEX work_moderation_log ON work_moderation(log_id);" \
	\
	"CREATE TABLE comment_quarantine (" \
	" comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE," \
	" body TEXT NOT NULL," \
	" body_html TEXT NOT NULL," \
	" state INTEGER NOT NULL," \
	" guest_email TEXT," \
	" log_id INTEGER NOT NULL);" \
	\
	"CREATE TABLE bookmark_quarantine (" \
	" id INTEGER PRIMARY KEY," \
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" notes TEXT NOT NULL," \
	" notes_html TEXT NOT NULL," \
	" tags TEXT NOT NULL," \
	" private INTEGER NOT NULL," \
	" rec INTEGER NOT NULL," \
	" created_at INTEGER NOT NULL," \
	" updated_at INTEGER NOT NULL," \
	" log_id INTEGER NOT NULL);" \
	"CREATE INDEX bookmark_quarantine_user ON bookmark_quarantine(user_id);" \
	"CREATE INDEX bookmark_quarantine_work ON bookmark_quarantine(work_id);" \
	\
	"ALTER TABLE works ADD COLUMN comments_locked INTEGER NOT NULL DEFAULT 0;" \
	"CREATE INDEX users_staff ON users(role, name) WHERE role != 'user';"
#endif
