/* PostgreSQL schema of running a community (issue 14): the equivalent of the SQLite backend's six community
 * migrations (sqlite/moderation_schema.h, sqlite/site_schema.h, sqlite/cocreators_sql.h), as one migration. Types as there
 * (unix seconds, 0/1 flags, ids from sequences), so quire store copy keeps every value. Never edited once
 * released. Included by pg_migrate.c only (it defines T, ID and TRIGGER_FN). */
#ifndef QUIRE_STORE_PG_COMMUNITY_SCHEMA_H
#define QUIRE_STORE_PG_COMMUNITY_SCHEMA_H

#define PG_NOW "extract(epoch FROM now())::bigint"

#define PG_MIGRATION_COMMUNITY \
	/* The audit log: no foreign keys (it outlives what it names), and no change to a written row. */ \
	"CREATE TABLE mod_log (" \
	" id" ID "," \
	" created_at BIGINT NOT NULL," \
	" actor_id BIGINT," \
	" actor_name" T " NOT NULL," \
	" action" T " NOT NULL," \
	" target_kind" T " NOT NULL," \
	" target_id BIGINT NOT NULL DEFAULT 0," \
	" target_name" T " NOT NULL DEFAULT ''," \
	" subject_id BIGINT," \
	" subject_name" T " NOT NULL DEFAULT ''," \
	" reason" T " NOT NULL DEFAULT ''," \
	" detail" T " NOT NULL DEFAULT ''," \
	" report_id BIGINT," \
	" undoes BIGINT);" \
	"CREATE INDEX mod_log_action ON mod_log(action, id);" \
	"CREATE INDEX mod_log_actor ON mod_log(quire_nocase(actor_name), id);" \
	"CREATE INDEX mod_log_subject ON mod_log(quire_nocase(subject_name), id);" \
	"CREATE INDEX mod_log_target ON mod_log(target_kind, target_id, id);" \
	"CREATE INDEX mod_log_report ON mod_log(report_id, id) WHERE report_id IS NOT NULL;" \
	"CREATE UNIQUE INDEX mod_log_undoes ON mod_log(undoes) WHERE undoes IS NOT NULL;" \
	"CREATE FUNCTION quire_mod_log_fixed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN" \
	" RAISE EXCEPTION 'the audit log is never edited'; END $$;" \
	"CREATE TRIGGER mod_log_no_change BEFORE UPDATE OR DELETE ON mod_log FOR EACH ROW" \
	" EXECUTE FUNCTION quire_mod_log_fixed();" \
	\
	/* works.draft: 0 posted, 1 draft, 2 hidden and 3 deleted by moderators; why, here. */ \
	"CREATE TABLE work_moderation (" \
	" work_id BIGINT PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE," \
	" state INTEGER NOT NULL CHECK (state IN (2, 3))," \
	" reason" T " NOT NULL," \
	" log_id BIGINT NOT NULL," \
	" at BIGINT NOT NULL);" \
	"CREATE INDEX work_moderation_state ON work_moderation(state, at);" \
	"CREATE INDEX work_moderation_log ON work_moderation(log_id);" \
	\
	"CREATE TABLE reports (" \
	" id" ID "," \
	" created_at BIGINT NOT NULL," \
	" updated_at BIGINT NOT NULL," \
	" target_kind" T " NOT NULL CHECK (target_kind IN ('work', 'chapter', 'comment', 'bookmark', 'user'))," \
	" target_id BIGINT NOT NULL," \
	" work_id BIGINT," \
	" subject_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" category" T " NOT NULL," \
	" body" T " NOT NULL," \
	" reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" reporter_email" T " NOT NULL DEFAULT ''," \
	" reported_title" T " NOT NULL DEFAULT ''," \
	" reported_text" T " NOT NULL DEFAULT ''," \
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3)," \
	" assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL);" \
	"CREATE INDEX reports_status ON reports(status, id);" \
	"CREATE INDEX reports_target ON reports(target_kind, target_id);" \
	"CREATE INDEX reports_assignee ON reports(assignee_id, id) WHERE assignee_id IS NOT NULL;" \
	"CREATE INDEX reports_subject ON reports(subject_id);" \
	"CREATE INDEX reports_reporter ON reports(reporter_id);" \
	"CREATE TABLE report_notes (" \
	" id" ID "," \
	" report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE," \
	" author_id BIGINT," \
	" author_name" T " NOT NULL," \
	" body" T " NOT NULL," \
	" created_at BIGINT NOT NULL);" \
	"CREATE INDEX report_notes_report ON report_notes(report_id, id);" \
	\
	/* Mail written when queued (notices): outbox kind 5. */ \
	"CREATE TABLE outbox_notices (" \
	" outbox_id BIGINT PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE," \
	" subject" T " NOT NULL," \
	" body" T " NOT NULL);" \
	\
	/* Counters every server shares (a key's uses in a period starting at a multiple of its length). */ \
	"CREATE TABLE rate_counts (" \
	" key" T " NOT NULL," \
	" period BIGINT NOT NULL," \
	" count BIGINT NOT NULL," \
	" PRIMARY KEY (key, period));" \
	"CREATE INDEX rate_counts_period ON rate_counts(period);" \
	"CREATE INDEX users_created ON users(created_at);" \
	\
	/* Suspensions (kind 1) and bans (kind 2, until 0); comments and bookmarks kept for an undo; locks. */ \
	"CREATE TABLE user_sanctions (" \
	" user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (1, 2))," \
	" until BIGINT NOT NULL," \
	" reason" T " NOT NULL," \
	" log_id BIGINT NOT NULL," \
	" at BIGINT NOT NULL);" \
	"CREATE INDEX user_sanctions_log ON user_sanctions(log_id);" \
	"CREATE TABLE comment_quarantine (" \
	" comment_id BIGINT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE," \
	" body" T " NOT NULL," \
	" body_html" T " NOT NULL," \
	" state INTEGER NOT NULL," \
	" guest_email" T "," \
	" log_id BIGINT NOT NULL);" \
	"CREATE INDEX comment_quarantine_log ON comment_quarantine(log_id);" \
	"CREATE TABLE bookmark_quarantine (" \
	" id BIGINT PRIMARY KEY," \
	" user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" work_id BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" notes" T " NOT NULL," \
	" notes_html" T " NOT NULL," \
	" tags" T " NOT NULL," \
	" private INTEGER NOT NULL," \
	" rec INTEGER NOT NULL," \
	" created_at BIGINT NOT NULL," \
	" updated_at BIGINT NOT NULL," \
	" log_id BIGINT NOT NULL);" \
	"CREATE INDEX bookmark_quarantine_user ON bookmark_quarantine(user_id);" \
	"CREATE INDEX bookmark_quarantine_work ON bookmark_quarantine(work_id);" \
	"CREATE INDEX bookmark_quarantine_log ON bookmark_quarantine(log_id);" \
	"ALTER TABLE works ADD COLUMN comments_locked INTEGER NOT NULL DEFAULT 0;" \
	"CREATE INDEX users_staff ON users(role, name) WHERE role <> 'user';" \
	/* The wrangling queue lists tags posted works carry (not those only drafts do): walked in this order. */ \
	"CREATE INDEX tags_queue_used ON tags(fandom_hint_id, id) WHERE wrangled = 0 AND works_count > 0;" \
	\
	/* The site's pages (every version kept), the terms each account accepted, news, invitations. */ \
	"CREATE TABLE site_pages (" \
	" slug" T " PRIMARY KEY," \
	" title" T " NOT NULL," \
	" body" T " NOT NULL," \
	" body_html" T " NOT NULL," \
	" version BIGINT NOT NULL," \
	" in_footer INTEGER NOT NULL DEFAULT 1," \
	" updated_at BIGINT NOT NULL," \
	" updated_by" T " NOT NULL);" \
	"CREATE TABLE site_page_versions (" \
	" slug" T " NOT NULL," \
	" version BIGINT NOT NULL," \
	" title" T " NOT NULL," \
	" body" T " NOT NULL," \
	" body_html" T " NOT NULL," \
	" created_at BIGINT NOT NULL," \
	" created_by" T " NOT NULL," \
	" PRIMARY KEY (slug, version));" \
	"CREATE TABLE user_policy (" \
	" user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE," \
	" version BIGINT NOT NULL," \
	" accepted_at BIGINT NOT NULL);" \
	"CREATE TABLE site_news (" \
	" id" ID "," \
	" title" T " NOT NULL," \
	" body" T " NOT NULL," \
	" body_html" T " NOT NULL," \
	" author_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" author_name" T " NOT NULL," \
	" comments_open INTEGER NOT NULL DEFAULT 1," \
	" published_at BIGINT NOT NULL," \
	" updated_at BIGINT NOT NULL);" \
	"CREATE INDEX site_news_published ON site_news(published_at, id);" \
	"CREATE TABLE site_news_comments (" \
	" id" ID "," \
	" news_id BIGINT NOT NULL REFERENCES site_news(id) ON DELETE CASCADE," \
	" user_id BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" body" T " NOT NULL," \
	" body_html" T " NOT NULL," \
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 3))," \
	" created_at BIGINT NOT NULL);" \
	"CREATE INDEX site_news_comments_news ON site_news_comments(news_id, id);" \
	"CREATE TABLE invitations (" \
	" code" T " PRIMARY KEY," \
	" created_by BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" email" T " NOT NULL DEFAULT ''," \
	" request_id BIGINT," \
	" created_at BIGINT NOT NULL," \
	" used_by BIGINT REFERENCES users(id) ON DELETE SET NULL," \
	" used_at BIGINT);" \
	"CREATE INDEX invitations_creator ON invitations(created_by, created_at);" \
	"CREATE TABLE invite_requests (" \
	" id" ID "," \
	" email" T " NOT NULL," \
	" created_at BIGINT NOT NULL," \
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2))," \
	" invited_at BIGINT," \
	" code" T ");" \
	"CREATE UNIQUE INDEX invite_requests_email ON invite_requests(quire_nocase(email));" \
	"CREATE INDEX invite_requests_queue ON invite_requests(status, id);" \
	"CREATE INDEX invite_requests_invited ON invite_requests(invited_at) WHERE invited_at IS NOT NULL;" \
	\
	/* Spam: the queue of held comments and sign-ups, addresses that sent spam, the sign-up blocklist. */ \
	"CREATE TABLE spam_queue (" \
	" id" ID "," \
	" kind" T " NOT NULL CHECK (kind IN ('comment', 'signup'))," \
	" created_at BIGINT NOT NULL," \
	" score INTEGER NOT NULL," \
	" reasons" T " NOT NULL," \
	" address_hash" T " NOT NULL," \
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2))," \
	" work_id BIGINT REFERENCES works(id) ON DELETE CASCADE," \
	" chapter_id BIGINT REFERENCES chapters(id) ON DELETE CASCADE," \
	" parent_id BIGINT," \
	" user_id BIGINT REFERENCES users(id) ON DELETE CASCADE," \
	" guest_name" T "," \
	" guest_email" T "," \
	" body" T " NOT NULL DEFAULT ''," \
	" body_html" T " NOT NULL DEFAULT ''," \
	" name" T "," \
	" email" T "," \
	" pwhash" T "," \
	" policy_version BIGINT NOT NULL DEFAULT 0," \
	" decided_by" T "," \
	" decided_at BIGINT);" \
	"CREATE INDEX spam_queue_status ON spam_queue(status, id);" \
	"CREATE INDEX spam_queue_user ON spam_queue(user_id) WHERE user_id IS NOT NULL;" \
	"CREATE INDEX spam_queue_work ON spam_queue(work_id) WHERE work_id IS NOT NULL;" \
	"CREATE INDEX spam_queue_chapter ON spam_queue(chapter_id) WHERE chapter_id IS NOT NULL;" \
	"CREATE TABLE spam_addresses (" \
	" address_hash" T " PRIMARY KEY," \
	" marked_at BIGINT NOT NULL);" \
	"CREATE TABLE spam_blocklist (" \
	" pattern" T " PRIMARY KEY," \
	" added_by" T " NOT NULL," \
	" added_at BIGINT NOT NULL);" \
	"CREATE UNIQUE INDEX spam_blocklist_nocase ON spam_blocklist(quire_nocase(pattern));" \
	\
	/* Mutes: accounts (kind 1) and tags (kind 2) a reader no longer sees. */ \
	"CREATE TABLE mutes (" \
	" user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (1, 2))," \
	" target BIGINT NOT NULL," \
	" created_at BIGINT NOT NULL," \
	" PRIMARY KEY (user_id, kind, target));" \
	\
	/* Co-creator invitations told to the invitee (inbox, and mail: outbox kind 6), an acceptance to the owner \
	 * (and the end of blocks between them), a withdrawn invitation gone from the invitee's inbox. */ \
	TRIGGER_FN("quire_cocreator_invited", \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT NEW.user_id, 'cocreator_invite', NEW.work_id, (SELECT o.user_id FROM work_creators o" \
	"  WHERE o.work_id = NEW.work_id AND o.position = 0), w.title, 0, " PG_NOW " FROM works w WHERE w.id = NEW.work_id;" \
	" INSERT INTO outbox(kind, user_id, work_id, next_attempt_at, created_at)" \
	"  VALUES (6, NEW.user_id, NEW.work_id, " PG_NOW ", " PG_NOW ");") \
	"CREATE TRIGGER cocreator_invited AFTER INSERT ON work_creators FOR EACH ROW" \
	" WHEN (NEW.accepted = 0 AND NEW.position > 0) EXECUTE FUNCTION quire_cocreator_invited();" \
	TRIGGER_FN("quire_cocreator_accepted", \
	" UPDATE inbox SET kind = 'cocreator_joined', read = 1" \
	"  WHERE user_id = NEW.user_id AND work_id = NEW.work_id AND kind = 'cocreator_invite';" \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT o.user_id, 'cocreator_accepted', NEW.work_id, NEW.user_id, w.title, 0, " PG_NOW \
	"  FROM work_creators o JOIN works w ON w.id = o.work_id" \
	"  WHERE o.work_id = NEW.work_id AND o.position = 0 AND o.user_id <> NEW.user_id;" \
	" DELETE FROM user_blocks WHERE (blocked_id = NEW.user_id OR blocker_id = NEW.user_id)" \
	"  AND (CASE WHEN blocked_id = NEW.user_id THEN blocker_id ELSE blocked_id END) IN" \
	"  (SELECT x.user_id FROM work_creators x WHERE x.work_id = NEW.work_id AND (x.accepted = 1 OR x.position = 0));") \
	"CREATE TRIGGER cocreator_accepted AFTER UPDATE OF accepted ON work_creators FOR EACH ROW" \
	" WHEN (OLD.accepted = 0 AND NEW.accepted = 1) EXECUTE FUNCTION quire_cocreator_accepted();" \
	TRIGGER_FN("quire_cocreator_withdrawn", \
	" DELETE FROM inbox WHERE user_id = OLD.user_id AND work_id = OLD.work_id AND kind = 'cocreator_invite';") \
	"CREATE TRIGGER cocreator_withdrawn AFTER DELETE ON work_creators FOR EACH ROW WHEN (OLD.accepted = 0)" \
	" EXECUTE FUNCTION quire_cocreator_withdrawn();"
#endif
