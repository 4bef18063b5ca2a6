/* SQLite schema of the site's own pages and sign-ups (issue 14): pages the admins write (about, terms, privacy,
 * FAQ, any slug) with every version kept, who accepted which version of the terms, news posts and their
 * comments, invitations and the queue of people asking for one. Never edited once released. */
#ifndef QUIRE_STORE_SQLITE_SITE_SCHEMA_H
#define QUIRE_STORE_SQLITE_SITE_SCHEMA_H

/* A page's current text is in site_pages; each saved version stays in site_page_versions. The terms' version
 * users accept is the setting policy_version (raised when the terms or the privacy policy change in a way
 * everyone must accept again); user_policy holds the version each account accepted last. */
#define SQLS_MIGRATION_SITE \
	"CREATE TABLE site_pages (" \
	" slug TEXT PRIMARY KEY," \
	" title TEXT NOT NULL," \
	" body TEXT NOT NULL," \
	" body_html TEXT NOT NULL," \
	" version INTEGER NOT NULL," \
	" in_footer INTEGER NOT NULL DEFAULT 1," \
	" updated_at INTEGER NOT NULL," \
	" updated_by TEXT NOT NULL);" \
	"CREATE TABLE site_page_versions (" \
	" slug TEXT NOT NULL," \
	" version INTEGER NOT NULL," \
	" title TEXT NOT NULL," \
	" body TEXT NOT NULL," \
	" body_html TEXT NOT NULL," \
	" created_at INTEGER NOT NULL," \
	" created_by TEXT NOT NULL," \
	" PRIMARY KEY (slug, version)) WITHOUT ROWID;" \
	"CREATE TABLE user_policy (" \
	" user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE," \
	" version INTEGER NOT NULL," \
	" accepted_at INTEGER NOT NULL);" \
	\
	"CREATE TABLE site_news (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" title TEXT NOT NULL," \
	" body TEXT NOT NULL," \
	" body_html TEXT NOT NULL," \
	" author_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" author_name TEXT NOT NULL," \
	" comments_open INTEGER NOT NULL DEFAULT 1," \
	" published_at INTEGER NOT NULL," \
	" updated_at INTEGER NOT NULL);" \
	"CREATE INDEX site_news_published ON site_news(published_at, id);" \
	"CREATE TABLE site_news_comments (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" news_id INTEGER NOT NULL REFERENCES site_news(id) ON DELETE CASCADE," \
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" body TEXT NOT NULL," \
	" body_html TEXT NOT NULL," \
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 3))," \
	" created_at INTEGER NOT NULL);" \
	"CREATE INDEX site_news_comments_news ON site_news_comments(news_id, id);" \
	\
	"CREATE TABLE invitations (" \
	" code TEXT PRIMARY KEY," \
	" created_by INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" email TEXT NOT NULL DEFAULT ''," \
	" request_id INTEGER," \
	" created_at INTEGER NOT NULL," \
	" used_by INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" used_at INTEGER);" \
	"CREATE INDEX invitations_creator ON invitations(created_by, created_at);" \
	"CREATE TABLE invite_requests (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" email TEXT NOT NULL UNIQUE COLLATE NOCASE," \
	" created_at INTEGER NOT NULL," \
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2))," \
	" invited_at INTEGER," \
	" code TEXT);" \
	"CREATE INDEX invite_requests_queue ON invite_requests(status, id);" \
	"CREATE INDEX invite_requests_invited ON invite_requests(invited_at) WHERE invited_at IS NOT NULL;"

/* Spam: comments and sign-ups that scored too high wait in spam_queue for a moderator (who releases them as
 * they were, or marks them spam); addresses (keyed hashes) that sent spam count against what they send next;
 * the sign-up blocklist holds e-mail domains and addresses. */
#define SQLS_MIGRATION_SPAM \
	"CREATE TABLE spam_queue (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" kind TEXT NOT NULL CHECK (kind IN ('comment', 'signup'))," \
	" created_at INTEGER NOT NULL," \
	" score INTEGER NOT NULL," \
	" reasons TEXT NOT NULL," \
	" address_hash TEXT NOT NULL," \
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2))," \
	" work_id INTEGER REFERENCES works(id) ON DELETE CASCADE," \
	" chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE," \
	" parent_id INTEGER," \
	" user_id INTEGER REFERENCES users(id) ON DELETE CASCADE," \
	" guest_name TEXT," \
	" guest_email TEXT," \
	" body TEXT NOT NULL DEFAULT ''," \
	" body_html TEXT NOT NULL DEFAULT ''," \
	" name TEXT," \
	" email TEXT," \
	" pwhash TEXT," \
	" policy_version INTEGER NOT NULL DEFAULT 0," \
	" decided_by TEXT," \
	" decided_at INTEGER);" \
	"CREATE INDEX spam_queue_status ON spam_queue(status, id);" \
	"CREATE INDEX spam_queue_user ON spam_queue(user_id) WHERE user_id IS NOT NULL;" \
	"CREATE TABLE spam_addresses (" \
	" address_hash TEXT PRIMARY KEY," \
	" marked_at INTEGER NOT NULL) WITHOUT ROWID;" \
	"CREATE TABLE spam_blocklist (" \
	" pattern TEXT PRIMARY KEY COLLATE NOCASE," \
	" added_by TEXT NOT NULL," \
	" added_at INTEGER NOT NULL) WITHOUT ROWID;"

/* Mutes: a reader no longer sees a muted account's works and comments, or a muted tag's works, in their
 * listings, search and feeds (nobody else's pages change). target: the account's or the tag's id. */
#define SQLS_MIGRATION_MUTES \
	"CREATE TABLE mutes (" \
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (1, 2))," \
	" target INTEGER NOT NULL," \
	" created_at INTEGER NOT NULL," \
	" PRIMARY KEY (user_id, kind, target)) WITHOUT ROWID;"
#endif
