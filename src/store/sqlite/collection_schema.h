/* SQLite schema of collections and gifts: the text of their migrations (appended to migrate.c's list; never
 * edited once released, a change is a new migration). */
#ifndef QUIRE_STORE_SQLITE_COLLECTION_SCHEMA_H
#define QUIRE_STORE_SQLITE_COLLECTION_SCHEMA_H

/* Collections (owners, moderators and members; open or closed, moderated, unrevealed, anonymous; one level of
 * subcollections), the works in them (approved by the collection and by the work's creator), and gifts. A
 * work's anonymous and unrevealed flags say whether any collection it counts in hides its creators or itself;
 * the store keeps them whenever items or collections change. items_count: works approved on both sides. */
#define SQLS_MIGRATION_COLLECTIONS \
	"ALTER TABLE works ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE works ADD COLUMN unrevealed INTEGER NOT NULL DEFAULT 0;" \
	"CREATE TABLE collections (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" name TEXT NOT NULL UNIQUE COLLATE NOCASE," \
	" title TEXT NOT NULL," \
	" parent_id INTEGER REFERENCES collections(id) ON DELETE SET NULL," \
	" description TEXT NOT NULL DEFAULT '', description_html TEXT NOT NULL DEFAULT ''," \
	" intro TEXT NOT NULL DEFAULT '', intro_html TEXT NOT NULL DEFAULT ''," \
	" rules TEXT NOT NULL DEFAULT '', rules_html TEXT NOT NULL DEFAULT ''," \
	" faq TEXT NOT NULL DEFAULT '', faq_html TEXT NOT NULL DEFAULT ''," \
	" closed INTEGER NOT NULL DEFAULT 0," \
	" moderated INTEGER NOT NULL DEFAULT 0," \
	" unrevealed INTEGER NOT NULL DEFAULT 0," \
	" anonymous INTEGER NOT NULL DEFAULT 0," \
	" reveal_at INTEGER NOT NULL DEFAULT 0," \
	" reveal_creators_at INTEGER NOT NULL DEFAULT 0," \
	" challenge INTEGER NOT NULL DEFAULT 0," \
	" items_count INTEGER NOT NULL DEFAULT 0," \
	" created_at INTEGER NOT NULL," \
	" updated_at INTEGER NOT NULL);" \
	"CREATE INDEX collections_parent ON collections(parent_id, name) WHERE parent_id IS NOT NULL;" \
	"CREATE INDEX collections_reveal ON collections(reveal_at) WHERE unrevealed = 1 AND reveal_at > 0;" \
	"CREATE INDEX collections_reveal_creators ON collections(reveal_creators_at)" \
	" WHERE anonymous = 1 AND reveal_creators_at > 0;" \
	"CREATE TABLE collection_members (" \
	" collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" role INTEGER NOT NULL CHECK (role BETWEEN 0 AND 2)," \
	" created_at INTEGER NOT NULL," \
	" PRIMARY KEY (collection_id, user_id)) WITHOUT ROWID;" \
	"CREATE INDEX collection_members_user ON collection_members(user_id);" \
	"CREATE TABLE collection_items (" \
	" collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" by_collection INTEGER NOT NULL DEFAULT 0 CHECK (by_collection BETWEEN -1 AND 1)," \
	" by_creator INTEGER NOT NULL DEFAULT 0 CHECK (by_creator BETWEEN -1 AND 1)," \
	" added_by INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" created_at INTEGER NOT NULL," \
	" PRIMARY KEY (collection_id, work_id)) WITHOUT ROWID;" \
	"CREATE INDEX collection_items_work ON collection_items(work_id);" \
	"CREATE INDEX collection_items_recent ON collection_items(collection_id, created_at);" \
	"CREATE TRIGGER collection_items_count_ins AFTER INSERT ON collection_items" \
	" WHEN NEW.by_collection = 1 AND NEW.by_creator = 1 BEGIN" \
	" UPDATE collections SET items_count = items_count + 1 WHERE id = NEW.collection_id; END;" \
	"CREATE TRIGGER collection_items_count_upd AFTER UPDATE OF by_collection, by_creator ON collection_items" \
	" WHEN (OLD.by_collection = 1 AND OLD.by_creator = 1) != (NEW.by_collection = 1 AND NEW.by_creator = 1) BEGIN" \
	" UPDATE collections SET items_count = items_count + (CASE WHEN NEW.by_collection = 1 AND NEW.by_creator = 1" \
	" THEN 1 ELSE -1 END) WHERE id = NEW.collection_id; END;" \
	"CREATE TRIGGER collection_items_count_del AFTER DELETE ON collection_items" \
	" WHEN OLD.by_collection = 1 AND OLD.by_creator = 1 BEGIN" \
	" UPDATE collections SET items_count = items_count - 1 WHERE id = OLD.collection_id; END;" \
	"CREATE TABLE gifts (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" name TEXT NOT NULL," \
	" position INTEGER NOT NULL DEFAULT 0," \
	" refused INTEGER NOT NULL DEFAULT 0," \
	" created_at INTEGER NOT NULL);" \
	"CREATE UNIQUE INDEX gifts_work_name ON gifts(work_id, name COLLATE NOCASE);" \
	"CREATE INDEX gifts_user ON gifts(user_id, id) WHERE user_id IS NOT NULL;" \
	/* Mail about something besides a work, chapter or series (an assignment): its id. */ \
	"ALTER TABLE outbox ADD COLUMN ref_id INTEGER;"

/* Works not yet revealed are listed nowhere and counted nowhere: the sort orders' indexes, the archive's
 * counters and the tags' counts cover posted works that are not unrevealed ("listed"); the covering index
 * carries both flags. Anonymous works: their creators leave the search documents and the creator sort order,
 * and come back when revealed. Notifications wait for the reveal: nothing is announced of a hidden work, its
 * gifts' recipients are told when it can be seen, and its creator's subscribers when they are revealed too
 * (outbox kind 7, OUTBOX_GIFT; inbox kind 'gift'). */
#define SQLS_LISTED(W) "(" W ".draft = 0 AND " W ".unrevealed = 0)"
#define SQLS_MIGRATION_VISIBILITY \
	"DROP INDEX works_by_updated; DROP INDEX works_by_published; DROP INDEX works_by_kudos;" \
	"DROP INDEX works_by_hits; DROP INDEX works_by_comments; DROP INDEX works_by_bookmarks;" \
	"DROP INDEX works_by_words; DROP INDEX works_by_title; DROP INDEX works_by_creator; DROP INDEX works_listing;" \
	"CREATE INDEX works_by_updated ON works(updated_at, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_published ON works(published_at, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_kudos ON works(kudos_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_hits ON works(hits_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_comments ON works(comments_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_bookmarks ON works(bookmarks_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_words ON works(word_count, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_title ON works(title COLLATE NOCASE, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_by_creator ON works(creator_sort, id, restricted) WHERE draft = 0 AND unrevealed = 0;" \
	"CREATE INDEX works_listing ON works(id, draft, restricted, unrevealed, anonymous, complete, crossover," \
	" word_count, updated_at, published_at, kudos_count, hits_count, comments_count, bookmarks_count, language," \
	" creator_sort, title, filter_tags);" \
	/* Counters and tag counts: "posted" now means listed. */ \
	"DROP TRIGGER works_counters_ins; DROP TRIGGER works_counters_upd; DROP TRIGGER works_counters_del;" \
	"DROP TRIGGER filter_taggings_count_ins; DROP TRIGGER filter_taggings_count_del;" \
	"CREATE TRIGGER works_counters_ins AFTER INSERT ON works BEGIN" \
	" UPDATE counters SET value = value + " SQLS_LISTED("NEW") " WHERE name = 'works_posted';" \
	" UPDATE counters SET value = value + (" SQLS_LISTED("NEW") " AND NEW.restricted = 0) WHERE name = 'works_public';" \
	" END;" \
	"CREATE TRIGGER works_counters_upd AFTER UPDATE OF draft, restricted, unrevealed ON works" \
	" WHEN OLD.draft != NEW.draft OR OLD.restricted != NEW.restricted OR OLD.unrevealed != NEW.unrevealed BEGIN" \
	" UPDATE counters SET value = value + " SQLS_LISTED("NEW") " - " SQLS_LISTED("OLD") " WHERE name = 'works_posted';" \
	" UPDATE counters SET value = value + (" SQLS_LISTED("NEW") " AND NEW.restricted = 0)" \
	" - (" SQLS_LISTED("OLD") " AND OLD.restricted = 0) WHERE name = 'works_public';" \
	" UPDATE tags SET works_count = works_count + " SQLS_LISTED("NEW") " - " SQLS_LISTED("OLD") "," \
	" public_count = public_count + (" SQLS_LISTED("NEW") " AND NEW.restricted = 0) - (" SQLS_LISTED("OLD") \
	" AND OLD.restricted = 0) WHERE id IN (SELECT tag_id FROM filter_taggings WHERE work_id = NEW.id);" \
	" END;" \
	"CREATE TRIGGER works_counters_del BEFORE DELETE ON works BEGIN" \
	" DELETE FROM filter_taggings WHERE work_id = OLD.id;" \
	" DELETE FROM search_works WHERE rowid = OLD.id;" \
	" UPDATE counters SET value = value - " SQLS_LISTED("OLD") " WHERE name = 'works_posted';" \
	" UPDATE counters SET value = value - (" SQLS_LISTED("OLD") " AND OLD.restricted = 0) WHERE name = 'works_public';" \
	" END;" \
	"CREATE TRIGGER filter_taggings_count_ins AFTER INSERT ON filter_taggings BEGIN" \
	" UPDATE tags SET works_count = works_count + (SELECT " SQLS_LISTED("w") " FROM works w WHERE w.id = NEW.work_id)," \
	" public_count = public_count + (SELECT " SQLS_LISTED("w") " AND w.restricted = 0 FROM works w" \
	" WHERE w.id = NEW.work_id) WHERE id = NEW.tag_id; END;" \
	"CREATE TRIGGER filter_taggings_count_del AFTER DELETE ON filter_taggings BEGIN" \
	" UPDATE tags SET works_count = works_count - IFNULL((SELECT " SQLS_LISTED("w") " FROM works w" \
	" WHERE w.id = OLD.work_id), 0), public_count = public_count - IFNULL((SELECT " SQLS_LISTED("w") \
	" AND w.restricted = 0 FROM works w WHERE w.id = OLD.work_id), 0) WHERE id = OLD.tag_id; END;" \
	/* The creator sort order: Anonymous while anonymous. */ \
	"DROP TRIGGER work_owner_ins; DROP TRIGGER work_owner_upd;" \
	"CREATE TRIGGER work_owner_ins AFTER INSERT ON work_creators WHEN NEW.position = 0 BEGIN" \
	" UPDATE works SET creator_sort = CASE WHEN anonymous THEN 'Anonymous' ELSE" \
	" IFNULL((SELECT name FROM users WHERE id = NEW.user_id), '') END WHERE id = NEW.work_id; END;" \
	"CREATE TRIGGER work_owner_upd AFTER UPDATE OF user_id ON work_creators WHEN NEW.position = 0 BEGIN" \
	" UPDATE works SET creator_sort = CASE WHEN anonymous THEN 'Anonymous' ELSE" \
	" IFNULL((SELECT name FROM users WHERE id = NEW.user_id), '') END WHERE id = NEW.work_id; END;" \
	"CREATE TRIGGER work_anonymous_sort AFTER UPDATE OF anonymous ON works WHEN OLD.anonymous != NEW.anonymous BEGIN" \
	" UPDATE works SET creator_sort = CASE WHEN NEW.anonymous THEN 'Anonymous' ELSE" \
	" IFNULL((SELECT u.name FROM work_creators c JOIN users u ON u.id = c.user_id WHERE c.work_id = NEW.id" \
	" AND c.position = 0), '') END WHERE id = NEW.id; END;" \
	/* Search: an anonymous work's documents name no creator. */ \
	"DROP VIEW search_works_src; DROP VIEW search_work_meta;" \
	"CREATE VIEW search_works_src(id, title, summary, notes, tags, creators) AS SELECT w.id, w.title," \
	" quire_plain(w.summary_html), quire_plain(w.notes_html) || ' ' || quire_plain(w.end_notes_html)," \
	" (SELECT group_concat(t.name || IFNULL(' (' || m.name || ')', ''), ', ') FROM work_tags wt" \
	"  JOIN tags t ON t.id = wt.tag_id LEFT JOIN tags m ON m.id = t.merger_id WHERE wt.work_id = w.id)," \
	" CASE WHEN w.anonymous THEN '' ELSE (SELECT group_concat(u.name, ', ') FROM work_creators c" \
	"  JOIN users u ON u.id = c.user_id WHERE c.work_id = w.id AND c.accepted = 1) END" \
	" FROM works w;" \
	"CREATE VIEW search_work_meta(id, meta) AS SELECT w.id, w.title" \
	" || IFNULL(' ' || (SELECT group_concat(t.name, ', ') FROM work_tags wt JOIN tags t ON t.id = wt.tag_id" \
	"  WHERE wt.work_id = w.id AND t.type >= 3), '')" \
	" || CASE WHEN w.anonymous THEN '' ELSE IFNULL(' ' || (SELECT group_concat(u.name, ', ')" \
	"  FROM work_creators c JOIN users u ON u.id = c.user_id WHERE c.work_id = w.id AND c.accepted = 1), '') END" \
	" FROM works w;" \
	"CREATE TRIGGER search_works_anonymous AFTER UPDATE OF anonymous ON works WHEN OLD.anonymous != NEW.anonymous BEGIN" \
	" DELETE FROM search_works WHERE rowid = NEW.id;" \
	" INSERT INTO search_works(rowid, title, summary, notes, tags, creators)" \
	" SELECT * FROM search_works_src WHERE id = NEW.id;" \
	" DELETE FROM search_chapters WHERE rowid BETWEEN NEW.id << 32 AND (NEW.id << 32) | 4294967295;" \
	" INSERT INTO search_chapters(rowid, title, summary, notes, text, work)" \
	" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE work_id = NEW.id; END;" \
	/* Notifications: none of a hidden work; at its reveal, what was held back. */ \
	"DROP TRIGGER notify_new_chapter; DROP TRIGGER notify_new_work; DROP TRIGGER notify_posted_draft;" \
	"DROP TRIGGER notify_series_part; DROP TRIGGER notify_series_move;" \
	"CREATE TRIGGER notify_new_chapter AFTER INSERT ON chapters WHEN NEW.published_at > 0" \
	" AND (SELECT unrevealed FROM works WHERE id = NEW.work_id) = 0 BEGIN" \
	" INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body, read, created_at)" \
	"  SELECT s.user_id, 'new_chapter', NEW.work_id, NEW.id, CASE WHEN w.anonymous THEN NULL ELSE " \
	MIG2_OWNER("NEW.work_id") " END," \
	"   'Chapter ' || NEW.position || ' of ' || w.title, 0, NEW.published_at" \
	"  FROM subscriptions s JOIN works w ON w.id = NEW.work_id" \
	"  WHERE s.work_id = NEW.work_id AND " MIG2_NOT_CREATOR("NEW.work_id") ";" \
	" INSERT INTO outbox(kind, user_id, subscription_id, work_id, chapter_id, next_attempt_at, created_at)" \
	"  SELECT 0, s.user_id, s.id, NEW.work_id, NEW.id, NEW.published_at, NEW.published_at" \
	"  FROM subscriptions s" \
	"  WHERE s.work_id = NEW.work_id AND " MIG2_NOT_CREATOR("NEW.work_id") " AND " MIG2_WANTS_MAIL ";" \
	" END;" \
	"CREATE TRIGGER notify_new_work AFTER INSERT ON work_creators" \
	" WHEN NEW.position = 0 AND (SELECT draft = 0 AND unrevealed = 0 AND anonymous = 0 FROM works" \
	" WHERE id = NEW.work_id) BEGIN" \
	MIG2_AUTHOR_FANOUT("NEW.work_id", "NEW.user_id") \
	" END;" \
	"CREATE TRIGGER notify_posted_draft AFTER UPDATE OF draft ON works" \
	" WHEN OLD.draft = 1 AND NEW.draft = 0 AND NEW.unrevealed = 0 BEGIN" \
	MIGC_GIFT_FANOUT("NEW.id") \
	MIG2_AUTHOR_FANOUT("NEW.id", "(CASE WHEN NEW.anonymous THEN NULL ELSE (SELECT c.user_id FROM work_creators c" \
	" WHERE c.work_id = NEW.id AND c.position = 0) END)") \
	MIG2_SERIES_FANOUT("NEW.id", "(CASE WHEN NEW.anonymous THEN NULL ELSE (SELECT ws.series_id FROM work_series ws" \
	" WHERE ws.work_id = NEW.id) END)") \
	" END;" \
	"CREATE TRIGGER notify_series_part AFTER INSERT ON work_series" \
	" WHEN (SELECT draft = 0 AND unrevealed = 0 AND anonymous = 0 FROM works WHERE id = NEW.work_id) BEGIN" \
	MIG2_SERIES_FANOUT("NEW.work_id", "NEW.series_id") \
	" END;" \
	"CREATE TRIGGER notify_series_move AFTER UPDATE OF series_id ON work_series" \
	" WHEN OLD.series_id != NEW.series_id AND (SELECT draft = 0 AND unrevealed = 0 AND anonymous = 0 FROM works" \
	" WHERE id = NEW.work_id) BEGIN" \
	MIG2_SERIES_FANOUT("NEW.work_id", "NEW.series_id") \
	" END;" \
	/* A work shown at last (revealed, or its creators revealed): what its hiding held back. */ \
	"CREATE TRIGGER notify_revealed AFTER UPDATE OF unrevealed ON works" \
	" WHEN OLD.unrevealed = 1 AND NEW.unrevealed = 0 AND NEW.draft = 0 BEGIN" \
	MIGC_GIFT_FANOUT("NEW.id") \
	" END;" \
	"CREATE TRIGGER notify_creators_revealed AFTER UPDATE OF unrevealed, anonymous ON works" \
	" WHEN (OLD.unrevealed = 1 OR OLD.anonymous = 1) AND NEW.unrevealed = 0 AND NEW.anonymous = 0" \
	" AND NEW.draft = 0 BEGIN" \
	MIG2_AUTHOR_FANOUT("NEW.id", "(SELECT c.user_id FROM work_creators c WHERE c.work_id = NEW.id AND c.position = 0)") \
	MIG2_SERIES_FANOUT("NEW.id", "(SELECT ws.series_id FROM work_series ws WHERE ws.work_id = NEW.id)") \
	" END;" \
	/* A gift named on a work that can be seen. */ \
	"CREATE TRIGGER notify_gift AFTER INSERT ON gifts WHEN NEW.user_id IS NOT NULL AND NEW.refused = 0" \
	" AND (SELECT draft = 0 AND unrevealed = 0 FROM works WHERE id = NEW.work_id) BEGIN" \
	MIGC_GIFT_ROWS("NEW.work_id", " AND g.id = NEW.id") \
	" END;"

/* Gift exchanges: settings and the tag set per exchange collection, sign-ups with their requests and offers (tags
 * from the tag set), and assignments: drafts from matching (sent_at 0) until the moderators send them, then the
 * giver's, defaulted (giver_id NULL again) for pinch hitters to take, fulfilled by a work. Inbox rows may link
 * anywhere (url): an assignment has no work yet. */
#define SQLS_MIGRATION_EXCHANGES \
	"CREATE TABLE exchanges (" \
	" collection_id INTEGER PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE," \
	" signups_open INTEGER NOT NULL DEFAULT 0," \
	" signups_open_at INTEGER NOT NULL DEFAULT 0," \
	" signups_close_at INTEGER NOT NULL DEFAULT 0," \
	" assignments_due_at INTEGER NOT NULL DEFAULT 0," \
	" requests_min INTEGER NOT NULL DEFAULT 1, requests_max INTEGER NOT NULL DEFAULT 3," \
	" offers_min INTEGER NOT NULL DEFAULT 1, offers_max INTEGER NOT NULL DEFAULT 3," \
	" tags_min TEXT NOT NULL DEFAULT '1 0 0 0', tags_max TEXT NOT NULL DEFAULT '1 4 2 5'," \
	" match TEXT NOT NULL DEFAULT '1 0 0 0', allow_any TEXT NOT NULL DEFAULT '0 1 1 1'," \
	" instructions TEXT NOT NULL DEFAULT '', instructions_html TEXT NOT NULL DEFAULT ''," \
	" matched_at INTEGER NOT NULL DEFAULT 0," \
	" sent_at INTEGER NOT NULL DEFAULT 0," \
	" signups_count INTEGER NOT NULL DEFAULT 0);" \
	"CREATE TABLE exchange_tags (" \
	" collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" tag_id INTEGER NOT NULL REFERENCES tags(id)," \
	" dim INTEGER NOT NULL," \
	" PRIMARY KEY (collection_id, dim, tag_id)) WITHOUT ROWID;" \
	"CREATE TABLE signups (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" pinch_hitter INTEGER NOT NULL DEFAULT 0," \
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL," \
	" UNIQUE (collection_id, user_id));" \
	"CREATE INDEX signups_user ON signups(user_id);" \
	"CREATE TRIGGER signups_count_ins AFTER INSERT ON signups BEGIN" \
	" UPDATE exchanges SET signups_count = signups_count + 1 WHERE collection_id = NEW.collection_id; END;" \
	"CREATE TRIGGER signups_count_del AFTER DELETE ON signups BEGIN" \
	" UPDATE exchanges SET signups_count = signups_count - 1 WHERE collection_id = OLD.collection_id; END;" \
	"CREATE TABLE signup_items (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" signup_id INTEGER NOT NULL REFERENCES signups(id) ON DELETE CASCADE," \
	" kind INTEGER NOT NULL CHECK (kind IN (0, 1))," \
	" position INTEGER NOT NULL," \
	" any_mask INTEGER NOT NULL DEFAULT 0," \
	" description TEXT NOT NULL DEFAULT '', description_html TEXT NOT NULL DEFAULT '');" \
	"CREATE INDEX signup_items_signup ON signup_items(signup_id, kind, position);" \
	"CREATE TABLE signup_item_tags (" \
	" item_id INTEGER NOT NULL REFERENCES signup_items(id) ON DELETE CASCADE," \
	" tag_id INTEGER NOT NULL REFERENCES tags(id)," \
	" dim INTEGER NOT NULL," \
	" position INTEGER NOT NULL," \
	" PRIMARY KEY (item_id, tag_id)) WITHOUT ROWID;" \
	"CREATE TABLE assignments (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" giver_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" recipient_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" request_signup_id INTEGER REFERENCES signups(id) ON DELETE SET NULL," \
	" offer_signup_id INTEGER REFERENCES signups(id) ON DELETE SET NULL," \
	" pinch_hit INTEGER NOT NULL DEFAULT 0," \
	" defaulted_by INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" sent_at INTEGER NOT NULL DEFAULT 0," \
	" defaulted_at INTEGER NOT NULL DEFAULT 0," \
	" fulfilled_work_id INTEGER REFERENCES works(id) ON DELETE SET NULL," \
	" created_at INTEGER NOT NULL);" \
	"CREATE INDEX assignments_collection ON assignments(collection_id, id);" \
	"CREATE INDEX assignments_giver ON assignments(giver_id, id) WHERE giver_id IS NOT NULL;" \
	"CREATE INDEX assignments_recipient ON assignments(recipient_id, id) WHERE recipient_id IS NOT NULL;" \
	"CREATE INDEX assignments_work ON assignments(fulfilled_work_id) WHERE fulfilled_work_id IS NOT NULL;" \
	"ALTER TABLE inbox ADD COLUMN url TEXT;"

/* Inbox and outbox rows telling gift recipients (accounts, not refused, not creators) of work W. */
#define MIGC_GIFT_ROWS(W, AND) \
	" INSERT INTO inbox(user_id, kind, work_id, actor_id, body, read, created_at)" \
	"  SELECT g.user_id, 'gift', w.id, CASE WHEN w.anonymous THEN NULL ELSE " MIG2_OWNER("w.id") " END," \
	"   'A gift for you: ' || w.title, 0, CAST(strftime('%s', 'now') AS INTEGER)" \
	"  FROM gifts g JOIN works w ON w.id = g.work_id WHERE g.work_id = " W " AND g.user_id IS NOT NULL" \
	"  AND g.refused = 0" AND " AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id" \
	"  AND x.user_id = g.user_id);" \
	" INSERT INTO outbox(kind, user_id, work_id, next_attempt_at, created_at)" \
	"  SELECT 7, g.user_id, w.id, CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER)" \
	"  FROM gifts g JOIN works w ON w.id = g.work_id WHERE g.work_id = " W " AND g.user_id IS NOT NULL" \
	"  AND g.refused = 0" AND " AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id" \
	"  AND x.user_id = g.user_id);"
#define MIGC_GIFT_FANOUT(W) MIGC_GIFT_ROWS(W, "")

/* Prompt memes: prompts (tags of any type, anonymous or not) in a prompt-meme collection, claims (one per user
 * and prompt, fulfilled by the work that fills it) and fills (works answering a prompt). The prompter is told of a
 * fill (inbox kind 'prompt_fill') once the work can be seen. */
#define SQLS_MIGRATION_PROMPTS \
	"CREATE TABLE prompts (" \
	" id INTEGER PRIMARY KEY AUTOINCREMENT," \
	" collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE," \
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" anonymous INTEGER NOT NULL DEFAULT 0," \
	" title TEXT NOT NULL," \
	" description TEXT NOT NULL DEFAULT '', description_html TEXT NOT NULL DEFAULT ''," \
	" claims_count INTEGER NOT NULL DEFAULT 0," \
	" fills_count INTEGER NOT NULL DEFAULT 0," \
	" created_at INTEGER NOT NULL);" \
	"CREATE INDEX prompts_collection ON prompts(collection_id, id);" \
	"CREATE INDEX prompts_user ON prompts(user_id, collection_id) WHERE user_id IS NOT NULL;" \
	"CREATE TABLE prompt_tags (" \
	" prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE," \
	" tag_id INTEGER NOT NULL REFERENCES tags(id)," \
	" dim INTEGER NOT NULL," \
	" position INTEGER NOT NULL," \
	" PRIMARY KEY (prompt_id, tag_id)) WITHOUT ROWID;" \
	"CREATE INDEX prompt_tags_tag ON prompt_tags(tag_id, prompt_id);" \
	"CREATE TABLE prompt_claims (" \
	" prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE," \
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
	" work_id INTEGER REFERENCES works(id) ON DELETE SET NULL," \
	" created_at INTEGER NOT NULL," \
	" PRIMARY KEY (prompt_id, user_id)) WITHOUT ROWID;" \
	"CREATE INDEX prompt_claims_user ON prompt_claims(user_id, prompt_id);" \
	"CREATE TABLE prompt_fills (" \
	" prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE," \
	" work_id INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE," \
	" user_id INTEGER REFERENCES users(id) ON DELETE SET NULL," \
	" created_at INTEGER NOT NULL," \
	" PRIMARY KEY (prompt_id, work_id)) WITHOUT ROWID;" \
	"CREATE INDEX prompt_fills_work ON prompt_fills(work_id, prompt_id);" \
	"CREATE TRIGGER prompt_claims_ins AFTER INSERT ON prompt_claims BEGIN" \
	" UPDATE prompts SET claims_count = claims_count + 1 WHERE id = NEW.prompt_id; END;" \
	"CREATE TRIGGER prompt_claims_del AFTER DELETE ON prompt_claims BEGIN" \
	" UPDATE prompts SET claims_count = claims_count - 1 WHERE id = OLD.prompt_id; END;" \
	"CREATE TRIGGER prompt_fills_ins AFTER INSERT ON prompt_fills BEGIN" \
	" UPDATE prompts SET fills_count = fills_count + 1 WHERE id = NEW.prompt_id; END;" \
	"CREATE TRIGGER prompt_fills_del AFTER DELETE ON prompt_fills BEGIN" \
	" UPDATE prompts SET fills_count = fills_count - 1 WHERE id = OLD.prompt_id; END;" \
	"CREATE TRIGGER notify_fill AFTER INSERT ON prompt_fills" \
	" WHEN (SELECT draft = 0 AND unrevealed = 0 FROM works WHERE id = NEW.work_id) BEGIN" \
	MIGC_FILL_ROWS("NEW.work_id", " AND f.prompt_id = NEW.prompt_id") \
	" END;" \
	"CREATE TRIGGER notify_fill_shown AFTER UPDATE OF draft, unrevealed ON works" \
	" WHEN (OLD.draft = 1 OR OLD.unrevealed = 1) AND NEW.draft = 0 AND NEW.unrevealed = 0 BEGIN" \
	MIGC_FILL_ROWS("NEW.id", "") \
	" END;"

/* Inbox rows telling the prompters of the prompts work W fills (not when they wrote it). */
#define MIGC_FILL_ROWS(W, AND) \
	" INSERT INTO inbox(user_id, kind, work_id, body, url, read, created_at)" \
	"  SELECT p.user_id, 'prompt_fill', w.id, 'Your prompt ' || p.title || ' was filled: ' || w.title," \
	"   '/prompts/' || p.id, 0, CAST(strftime('%s', 'now') AS INTEGER)" \
	"  FROM prompt_fills f JOIN prompts p ON p.id = f.prompt_id JOIN works w ON w.id = f.work_id" \
	"  WHERE f.work_id = " W AND " AND p.user_id IS NOT NULL" \
	"  AND NOT EXISTS (SELECT 1 FROM work_creators x WHERE x.work_id = w.id AND x.user_id = p.user_id);"
#endif
