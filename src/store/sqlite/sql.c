/* The SQL text of every statement the SQLite backend prepares; parameters are always bound. */
#include "store/sqlite/int.h"

#define USER_COLS "u.id, u.name, u.email, u.role, u.pwhash, u.created_at"
/* Suspended (until a time) or banned (until 0) accounts have no working session or token meanwhile. */
#define NOT_SANCTIONED(NOW) "NOT EXISTS (SELECT 1 FROM user_sanctions x WHERE x.user_id = u.id" \
	" AND (x.until = 0 OR x.until > " NOW "))"
/* A work's row with its chapter count and series, in the column order of sqls_work_from_row. */
#define WORK_ROWS "SELECT w.id, w.title, w.summary, w.summary_html, w.notes, w.notes_html," \
	" w.end_notes, w.end_notes_html, w.language, w.expected_chapters, w.complete, w.draft," \
	" w.restricted, w.published_at, w.updated_at, w.created_at, w.word_count," \
	" w.sanitizer_version, (SELECT COUNT(*) FROM chapters c WHERE c.work_id = w.id)," \
	" ws.series_id, s.title, ws.position," \
	" w.kudos_count, w.hits_count, w.comments_count, w.bookmarks_count" \
	" FROM works w LEFT JOIN work_series ws ON ws.work_id = w.id" \
	" LEFT JOIN series s ON s.id = ws.series_id"

/* The visibility filters shared by the listing statements:
 * ?1 creator (0 = any), ?2 drafts allowed, ?3 guest viewer, ?4 series (0 = any). */
#define WORK_FILTER \
	" (?1 = 0 OR EXISTS (SELECT 1 FROM work_creators c WHERE c.work_id = w.id" \
	"   AND c.user_id = ?1 AND c.accepted = 1))" \
	" AND (w.draft = 0 OR (?2 != 0 AND w.draft IN (1, 2)))" \
	" AND (?3 = 0 OR w.restricted = 0)" \
	" AND (?4 = 0 OR EXISTS (SELECT 1 FROM work_series s WHERE s.work_id = w.id AND s.series_id = ?4))"

/* A reader's suggestion, with its writer's name, its chapter's position and its work's title. */
#define SUGGESTION_COLS "s.id, s.work_id, s.chapter_id, s.user_id, u.name, s.quote, s.prefix, s.suffix," \
	" s.replacement, s.note, s.reply, s.state, s.created_at, s.updated_at, ch.position, w.title" \
	" FROM reader_suggestions s JOIN users u ON u.id = s.user_id JOIN chapters ch ON ch.id = s.chapter_id" \
	" JOIN works w ON w.id = s.work_id"

/* ---- Finding works ---- */
#define TAG_COLS "t.id, t.type, t.name, t.canonical, t.wrangled, t.lookalike, t.merger_id, m.name, t.media," \
	" t.works_count, t.public_count, t.created_at"
#define TAG_MERGER " LEFT JOIN tags m ON m.id = t.merger_id"
/* Tag t is on a posted work the viewer may see (M: 1 for members, 0 for guests), so its name may be shown:
 * the fixed kinds always; others by their counts of posted works (filtered under them), and a synonym (whose
 * works are counted under its canonical tag) by one posted work tagged with it. A tag only drafts, hidden
 * or (for guests) members-only works carry is nobody's business but their creators'. */
#define TAG_SEEN(M) "(t.type <= 2 OR (CASE WHEN " M " THEN t.works_count ELSE t.public_count END) > 0" \
	" OR (t.merger_id IS NOT NULL AND EXISTS (SELECT 1 FROM work_tags sw JOIN works w ON w.id = sw.work_id" \
	" WHERE sw.tag_id = t.id AND w.draft = 0 AND (" M " OR w.restricted = 0))))"
#define FILTER_CLOSURE "WITH RECURSIVE closure(id) AS (SELECT IFNULL(t.merger_id, t.id) FROM work_tags wt" \
	" JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = ?1" \
	" UNION SELECT m.meta_id FROM closure JOIN meta_tags m ON m.sub_id = closure.id) "
#define CROSSOVER_OF_1 "((SELECT COUNT(DISTINCT IFNULL(t.merger_id, t.id)) FROM work_tags wt" \
	" JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = ?1 AND t.type = 3) > 1)"
#define LOOKALIKE_NAMES "(SELECT group_concat(o.name, ', ') FROM (SELECT o.name FROM tags o" \
	" WHERE o.type = t.type AND o.skeleton = t.skeleton AND o.id != t.id AND t.skeleton != '' LIMIT 3) o)"

#define CHAPTER_COLS "id, work_id, position, title, summary, summary_html, notes, notes_html, " \
	"end_notes, end_notes_html"

/* A subscription with its kind, target and the target's title; callers add WHERE. */
#define SUB_COLS "s.id, s.user_id," \
	" CASE WHEN s.work_id IS NOT NULL THEN 0 WHEN s.author_id IS NOT NULL THEN 1 ELSE 2 END," \
	" COALESCE(s.work_id, s.author_id, s.series_id), COALESCE(w.title, au.name, se.title), s.mail," \
	" s.created_at FROM subscriptions s LEFT JOIN works w ON w.id = s.work_id" \
	" LEFT JOIN users au ON au.id = s.author_id LEFT JOIN series se ON se.id = s.series_id"
/* ---- The reader's response ---- */
#define COMMENT_COLS "c.id, c.work_id, coalesce(c.chapter_id, 0), coalesce(c.parent_id, 0), c.root_id," \
	" c.depth, coalesce(c.user_id, 0), u.name, c.guest_name, c.body, c.body_html, c.state, c.frozen," \
	" c.by_creator, c.created_at, c.edited_at, c.sanitizer_version"
#define BOOKMARK_COLS "b.id, b.user_id, b.work_id, u.name, w.title, (SELECT ou.name FROM work_creators oc" \
	" JOIN users ou ON ou.id = oc.user_id WHERE oc.work_id = w.id AND oc.position = 0), w.draft, w.restricted," \
	" b.notes, b.notes_html, b.tags, b.private, b.rec, b.created_at, b.updated_at" \
	" FROM bookmarks b JOIN users u ON u.id = b.user_id JOIN works w ON w.id = b.work_id"
#define READING_COLS "r.user_id, r.work_id, coalesce(r.chapter_id, 0), r.read_at, r.views, r.later, w.title," \
	" (SELECT ou.name FROM work_creators oc JOIN users ou ON ou.id = oc.user_id WHERE oc.work_id = w.id" \
	" AND oc.position = 0), coalesce(ch.position, 0), w.draft, w.restricted" \
	" FROM readings r JOIN works w ON w.id = r.work_id LEFT JOIN chapters ch ON ch.id = r.chapter_id"
/* An inbox row of any kind: its comment (comment and reply) and what it is about, each as it is now
 * (LEFT JOIN: the work may be gone; mail's rows have no comment). The series is the work's current one. */
#define INBOX_COLS "i.id, i.kind, i.read, i.created_at, coalesce(i.work_id, 0), coalesce(i.chapter_id, 0)," \
	" w.title, coalesce(ch.position, 0), se.title, a.name, i.body, " COMMENT_COLS \
	" FROM inbox i LEFT JOIN comments c ON c.id = i.comment_id LEFT JOIN users u ON u.id = c.user_id" \
	" LEFT JOIN works w ON w.id = i.work_id LEFT JOIN chapters ch ON ch.id = i.chapter_id" \
	" LEFT JOIN work_series ws ON ws.work_id = i.work_id LEFT JOIN series se ON se.id = ws.series_id" \
	" LEFT JOIN users a ON a.id = i.actor_id"

const char *const sqls_sql[SQL_COUNT] = {
	[SQL_BEGIN] = "BEGIN",
	[SQL_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[SQL_COMMIT] = "COMMIT",
	[SQL_ROLLBACK] = "ROLLBACK",

	[SQL_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[SQL_SETTING_SET] = "INSERT INTO settings(key, value) VALUES (?1, ?2)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value",

	[SQL_USER_INSERT] = "INSERT INTO users(name, email, pwhash, role, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	[SQL_USER_BY_ID] = "SELECT " USER_COLS " FROM users u WHERE u.id = ?1",
	[SQL_USER_BY_NAME] = "SELECT " USER_COLS " FROM users u WHERE u.name = ?1",
	[SQL_USER_BY_EMAIL] = "SELECT " USER_COLS " FROM users u WHERE u.email = ?1",
	[SQL_USER_EXISTS] = "SELECT 1 FROM users WHERE id = ?1",
	[SQL_USER_SET_PASSWORD] = "UPDATE users SET pwhash = ?2 WHERE id = ?1",
	[SQL_USER_SET_ROLE] = "UPDATE users SET role = ?2 WHERE id = ?1",
	/* The orphan account is bookkeeping, not a person: "no users yet" must still be 0. */
	[SQL_USER_COUNT] = "SELECT COUNT(*) FROM users WHERE role != 'orphan'",
	[SQL_USER_DELETE] = "DELETE FROM users WHERE id = ?1",
	[SQL_ORPHAN_ID] = "SELECT id FROM users WHERE name = 'orphan_account'",
	[SQL_CREATORS_DROP_ORPHAN_DUP] = "DELETE FROM work_creators WHERE user_id = ?2 AND position != 0"
		" AND work_id IN (SELECT work_id FROM work_creators WHERE user_id = ?1 AND position = 0)",
	[SQL_CREATORS_ORPHAN] = "UPDATE work_creators SET user_id = ?2, accepted = 1"
		" WHERE user_id = ?1 AND position = 0",
	[SQL_CREATORS_REMOVE_USER] = "DELETE FROM work_creators WHERE user_id = ?1",
	[SQL_WORKS_DELETE_OWNED] = "DELETE FROM works WHERE id IN"
		" (SELECT work_id FROM work_creators WHERE user_id = ?1 AND position = 0)",
	[SQL_SERIES_OF_OWNER] = "SELECT id FROM series WHERE owner_id = ?1",
	[SQL_SERIES_TWIN] = "SELECT o.id FROM series u JOIN series o ON o.owner_id = ?2 AND o.title = u.title"
		" WHERE u.id = ?1",
	[SQL_SERIES_SET_OWNER] = "UPDATE series SET owner_id = ?2 WHERE id = ?1",
	[SQL_WORK_SERIES_MOVE] = "UPDATE work_series SET series_id = ?2, position = position + ?3"
		" WHERE series_id = ?1",
	[SQL_SERIES_DELETE] = "DELETE FROM series WHERE id = ?1",

	[SQL_SESSION_INSERT] = "INSERT INTO sessions(token_hash, user_id, expires_at, created_at)"
		" VALUES (?1, ?2, ?3, ?4)",
	[SQL_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1",
	/* The unread inbox count rides along: every page a logged-in reader sees shows it in the header. */
	[SQL_SESSION_USER] = "SELECT " USER_COLS ", u.inbox_unread,"
		" IFNULL((SELECT p.version FROM user_policy p WHERE p.user_id = u.id), 0)"
		" FROM sessions s JOIN users u ON u.id = s.user_id"
		" WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND " NOT_SANCTIONED("?2"),
	[SQL_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[SQL_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1"
		" AND (?2 IS NULL OR token_hash != ?2)",

	[SQL_TOKEN_INSERT] = "INSERT INTO api_tokens(user_id, token_hash, name, created_at)"
		" VALUES (?1, ?2, ?3, ?4)",
	[SQL_TOKEN_USER] = "SELECT " USER_COLS ", t.id, t.last_used_at"
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1"
		" AND " NOT_SANCTIONED("CAST(strftime('%s', 'now') AS INTEGER)"),
	[SQL_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
	[SQL_TOKEN_LIST] = "SELECT id, name, created_at, last_used_at FROM api_tokens"
		" WHERE user_id = ?1 ORDER BY id",
	[SQL_TOKEN_REVOKE] = "DELETE FROM api_tokens WHERE id = ?2 AND user_id = ?1",

	[SQL_WORK_INSERT] = "INSERT INTO works(title, summary, summary_html, notes, notes_html, end_notes,"
		" end_notes_html, language, expected_chapters, complete, draft, restricted, published_at,"
		" updated_at, created_at, word_count, sanitizer_version)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, 0, ?15)",
	[SQL_WORK_UPDATE] = "UPDATE works SET title = ?2, summary = ?3, summary_html = ?4, notes = ?5,"
		" notes_html = ?6, end_notes = ?7, end_notes_html = ?8, language = ?9,"
		" expected_chapters = ?10, complete = ?11, restricted = ?12, sanitizer_version = ?13"
		" WHERE id = ?1",
	/* works.draft: 0 posted, 1 draft, 2 hidden and 3 deleted by moderators (unposted, as drafts are). */
	[SQL_WORK_STATE] = "SELECT draft FROM works WHERE id = ?1",
	[SQL_WORK_POST] = "UPDATE works SET draft = 0, published_at = ?2, updated_at = ?2 WHERE id = ?1",
	[SQL_CHAPTERS_POST] = "UPDATE chapters SET published_at = ?2 WHERE work_id = ?1 AND published_at = 0",
	/* The work's text its chapters' index rows carry (title, tags, creators: migration 7). */
	[SQL_WORK_SEARCH_META] = "SELECT meta FROM search_work_meta WHERE id = ?1",
	[SQL_CHAPTERS_REINDEX_DEL] = "DELETE FROM search_chapters"
		" WHERE rowid BETWEEN ?1 << 32 AND (?1 << 32) | 4294967295",
	[SQL_CHAPTERS_REINDEX_ADD] = "INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
		" SELECT key, title, summary, notes, text, work FROM search_chapters_src WHERE work_id = ?1",
	[SQL_WORK_DELETE] = "DELETE FROM works WHERE id = ?1",
	[SQL_WORK_TOUCH] = "UPDATE works SET updated_at = ?2 WHERE id = ?1",
	[SQL_WORK_WORDS] = "UPDATE works SET word_count ="
		" (SELECT COALESCE(SUM(word_count), 0) FROM chapters WHERE work_id = ?1) WHERE id = ?1",
	[SQL_WORK_GET] = WORK_ROWS " WHERE w.id = ?1",
	[SQL_WORK_TAGS] = "SELECT t.type, t.name FROM work_tags wt JOIN tags t ON t.id = wt.tag_id"
		" WHERE wt.work_id = ?1 ORDER BY t.type, wt.position",
	[SQL_WORK_CREATORS] = "SELECT c.user_id, u.name, c.accepted FROM work_creators c"
		" JOIN users u ON u.id = c.user_id WHERE c.work_id = ?1 ORDER BY c.position, c.user_id",
	[SQL_WORK_LIST] = "SELECT w.id FROM works w WHERE" WORK_FILTER
		" ORDER BY w.updated_at DESC, w.id DESC LIMIT ?5 OFFSET ?6",
	/* A series is read in its own order, not by date. */
	[SQL_WORK_LIST_SERIES] = "SELECT w.id FROM work_series ws JOIN works w ON w.id = ws.work_id"
		" WHERE ws.series_id = ?4 AND" WORK_FILTER
		" ORDER BY ws.position, w.id LIMIT ?5 OFFSET ?6",
	[SQL_WORK_LIST_COUNT] = "SELECT COUNT(*) FROM works w WHERE" WORK_FILTER,
	[SQL_INVITES] = "SELECT w.id FROM work_creators c JOIN works w ON w.id = c.work_id"
		" WHERE c.user_id = ?1 AND c.accepted = 0 ORDER BY w.updated_at DESC, w.id DESC",
	/* Tags are one when their NFKC case-folded forms are (quire_tag_norm, sqlite/func.c). */
	[SQL_TAG_FIND] = "SELECT id FROM tags WHERE type = ?1 AND norm = quire_tag_norm(?2)",
	[SQL_TAG_INSERT] = "INSERT INTO tags(type, name, norm) VALUES (?1, ?2, quire_tag_norm(?2))",
	[SQL_WORK_TAGS_CLEAR] = "DELETE FROM work_tags WHERE work_id = ?1",
	/* OR IGNORE: the same tag twice in one work (any spelling) is linked once, first place wins. */
	[SQL_WORK_TAG_ADD] = "INSERT OR IGNORE INTO work_tags(work_id, tag_id, position) VALUES (?1, ?2, ?3)",
	[SQL_CREATOR_ADD] = "INSERT OR IGNORE INTO work_creators(work_id, user_id, position, accepted)"
		" VALUES (?1, ?2, ?3, ?4)",
	[SQL_CREATOR_INVITE] = "INSERT INTO work_creators(work_id, user_id, position, accepted)"
		" VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM work_creators"
		" WHERE work_id = ?1), 0)",
	[SQL_CREATOR_ACCEPT] = "UPDATE work_creators SET accepted = 1"
		" WHERE work_id = ?1 AND user_id = ?2 AND accepted = 0",
	[SQL_WORK_OWNER] = "SELECT user_id FROM work_creators WHERE work_id = ?1 AND position = 0",
	[SQL_SERIES_FIND] = "SELECT id FROM series WHERE owner_id = ?1 AND title = ?2",
	[SQL_SERIES_INSERT] = "INSERT INTO series(owner_id, title) VALUES (?1, ?2)",
	[SQL_SERIES_MAXPOS] = "SELECT COALESCE(MAX(position), 0) FROM work_series WHERE series_id = ?1",
	[SQL_SERIES_DELETE_IF_EMPTY] = "DELETE FROM series WHERE id = ?1"
		" AND NOT EXISTS (SELECT 1 FROM work_series WHERE series_id = ?1)",
	[SQL_WORK_SERIES_GET] = "SELECT series_id, position FROM work_series WHERE work_id = ?1",
	[SQL_WORK_SERIES_SET] = "INSERT INTO work_series(work_id, series_id, position) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(work_id) DO UPDATE SET series_id = excluded.series_id,"
		" position = excluded.position",
	[SQL_WORK_SERIES_CLEAR] = "DELETE FROM work_series WHERE work_id = ?1",
	/* Who and what shows a work: 0 and a creator's id, 1 and its series' id. */
	[SQL_WORK_DEPS] = "SELECT 0, user_id FROM work_creators WHERE work_id = ?1"
		" UNION ALL SELECT 1, series_id FROM work_series WHERE work_id = ?1",
	[SQL_WORKS_OF_USER] = "SELECT work_id FROM work_creators WHERE user_id = ?1",

	[SQL_CHAPTER_INSERT] = "INSERT INTO chapters(work_id, position, title, summary, summary_html,"
		" notes, notes_html, end_notes, end_notes_html, content, content_format, content_html,"
		" word_count, published_at, updated_at, sanitizer_version)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[SQL_CHAPTER_UPDATE] = "UPDATE chapters SET title = ?3, summary = ?4, summary_html = ?5,"
		" notes = ?6, notes_html = ?7, end_notes = ?8, end_notes_html = ?9, content = ?10,"
		" content_format = ?11, content_html = ?12, word_count = ?13, updated_at = ?14,"
		" sanitizer_version = ?15 WHERE id = ?1 AND work_id = ?2",
	[SQL_CHAPTER_MAXPOS] = "SELECT COALESCE(MAX(position), 0) FROM chapters WHERE work_id = ?1",
	[SQL_CHAPTER_POS] = "SELECT position FROM chapters WHERE work_id = ?1 AND id = ?2",
	[SQL_CHAPTER_COUNT] = "SELECT COUNT(*) FROM chapters WHERE work_id = ?1",
	[SQL_CHAPTER_DELETE] = "DELETE FROM chapters WHERE work_id = ?1 AND id = ?2",
	[SQL_CHAPTER_SHIFT] = "UPDATE chapters SET position = position - 1"
		" WHERE work_id = ?1 AND position > ?2",
	[SQL_CHAPTER_SETPOS] = "UPDATE chapters SET position = ?3 WHERE work_id = ?1 AND id = ?2",
	[SQL_CHAPTER_GET] = "SELECT " CHAPTER_COLS ", content, content_format, content_html, word_count,"
		" published_at, updated_at, sanitizer_version FROM chapters WHERE work_id = ?1 AND id = ?2",
	/* CASE keeps the large columns unread (no overflow pages touched) when listing. */
	[SQL_CHAPTER_LIST] = "SELECT " CHAPTER_COLS ", CASE WHEN ?2 THEN content END, content_format,"
		" CASE WHEN ?2 THEN content_html END, word_count, published_at, updated_at,"
		" sanitizer_version FROM chapters WHERE work_id = ?1 ORDER BY position",

	[SQL_USER_SET_SKELETON] = "UPDATE users SET skeleton = ?2 WHERE id = ?1",
	[SQL_USER_BY_SKELETON] = "SELECT " USER_COLS " FROM users u WHERE u.skeleton = ?1 ORDER BY u.id LIMIT 1",
	[SQL_USERS_WITHOUT_SKELETON] = "SELECT " USER_COLS " FROM users u WHERE u.skeleton IS NULL"
		" ORDER BY u.id LIMIT ?1",
	[SQL_CREATOR_ROLE] = "SELECT position FROM work_creators WHERE work_id = ?1 AND user_id = ?2",
	[SQL_CREATOR_REMOVE] = "DELETE FROM work_creators WHERE work_id = ?1 AND user_id = ?2",
	[SQL_CREATOR_NEXT_OWNER] = "SELECT user_id FROM work_creators WHERE work_id = ?1 AND accepted = 1"
		" ORDER BY position, user_id LIMIT 1",
	[SQL_CREATOR_MAKE_OWNER] = "UPDATE work_creators SET position = 0 WHERE work_id = ?1 AND user_id = ?2",
	/* ---- mail: subscriptions, notification preferences, outbox, account mail tokens ---- */
	[SQL_SUB_INSERT] = "INSERT INTO subscriptions(user_id, work_id, author_id, series_id, mail, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQL_SUB_GET] = "SELECT " SUB_COLS " WHERE s.id = ?1",
	[SQL_SUB_FIND_WORK] = "SELECT " SUB_COLS " WHERE s.work_id = ?2 AND s.user_id = ?1",
	[SQL_SUB_FIND_AUTHOR] = "SELECT " SUB_COLS " WHERE s.author_id = ?2 AND s.user_id = ?1",
	[SQL_SUB_FIND_SERIES] = "SELECT " SUB_COLS " WHERE s.series_id = ?2 AND s.user_id = ?1",
	[SQL_SUB_LIST] = "SELECT " SUB_COLS " WHERE s.user_id = ?1 AND s.id > ?2 ORDER BY s.id LIMIT ?3",
	[SQL_SUB_SET_MAIL] = "UPDATE subscriptions SET mail = ?3 WHERE id = ?2 AND user_id = ?1",
	[SQL_SUB_DELETE] = "DELETE FROM subscriptions WHERE id = ?2 AND user_id = ?1",
	[SQL_SERIES_GET] = "SELECT se.id, se.owner_id, se.title, u.name,"
		" (SELECT COUNT(*) FROM work_series ws JOIN works w ON w.id = ws.work_id"
		"  WHERE ws.series_id = se.id AND w.draft = 0)"
		" FROM series se JOIN users u ON u.id = se.owner_id WHERE se.id = ?1",
	[SQL_MAIL_SETTINGS_GET] = "SELECT notify_mail, confirmed_email FROM mail_settings WHERE user_id = ?1",
	[SQL_MAIL_SETTINGS_NOTIFY] = "INSERT INTO mail_settings(user_id, notify_mail) VALUES (?1, ?2)"
		" ON CONFLICT(user_id) DO UPDATE SET notify_mail = excluded.notify_mail",
	[SQL_MAIL_SETTINGS_CONFIRMED] = "INSERT INTO mail_settings(user_id, confirmed_email) VALUES (?1, ?2)"
		" ON CONFLICT(user_id) DO UPDATE SET confirmed_email = excluded.confirmed_email",
	[SQL_OUTBOX_INSERT] = "INSERT INTO outbox(kind, user_id, to_addr, next_attempt_at, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?4)",
	/* Claims are this store's (?3) until ?4; a claim whose time ran out goes back to the queue first (its
	 * sender died: the interrupted attempt does not count). */
	[SQL_OUTBOX_EXPIRED] = "UPDATE outbox SET status = 'queued', attempts = MAX(attempts - 1, 0), claimed_by = NULL"
		" WHERE status = 'sending' AND claimed_until < ?1",
	[SQL_OUTBOX_CLAIM] = "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = ?3,"
		" claimed_until = ?4 WHERE id IN"
		" (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?1"
		" ORDER BY next_attempt_at, id LIMIT ?2)",
	[SQL_OUTBOX_EXTEND] = "UPDATE outbox SET claimed_until = ?2 WHERE status = 'sending' AND claimed_by = ?1",
	/* The recipient of a reset request is whoever has the typed address when the mail goes. */
	[SQL_OUTBOX_CLAIMED] = "SELECT o.id, o.kind, o.attempts, o.created_at, u.id, u.name, u.email, o.to_addr,"
		" o.subscription_id, s.id IS NOT NULL, o.work_id, w.title, w.draft = 0,"
		" (SELECT group_concat(name, ', ') FROM (SELECT cu.name FROM work_creators c"
		"   JOIN users cu ON cu.id = c.user_id WHERE c.work_id = o.work_id"
		"   AND (c.accepted = 1 OR c.position = 0) ORDER BY c.position)),"
		" o.chapter_id, ch.position, ch.title, o.series_id, se.title, nt.subject, nt.body,"
		" EXISTS (SELECT 1 FROM work_creators ic WHERE ic.work_id = o.work_id AND ic.user_id = o.user_id"
		"  AND ic.accepted = 0)"
		" FROM outbox o LEFT JOIN outbox_notices nt ON nt.outbox_id = o.id"
		" LEFT JOIN users u ON u.id = COALESCE(o.user_id,"
		"  (SELECT x.id FROM users x WHERE x.email = o.to_addr AND x.role != 'orphan'))"
		" LEFT JOIN subscriptions s ON s.id = o.subscription_id"
		" LEFT JOIN works w ON w.id = o.work_id"
		" LEFT JOIN chapters ch ON ch.id = o.chapter_id"
		" LEFT JOIN series se ON se.id = o.series_id"
		" WHERE o.status = 'sending' AND o.claimed_by = ?1 ORDER BY o.id",
	/* Only this store's claims (the last parameter): another's is never touched. */
	[SQL_OUTBOX_SENT] = "UPDATE outbox SET status = 'sent', finished_at = ?2, last_error = NULL, claimed_by = NULL"
		" WHERE id = ?1 AND status = 'sending' AND claimed_by = ?3",
	[SQL_OUTBOX_RETRY] = "UPDATE outbox SET status = 'queued', next_attempt_at = ?2, last_error = ?3, claimed_by = NULL"
		" WHERE id = ?1 AND status = 'sending' AND claimed_by = ?4",
	[SQL_OUTBOX_GIVE_UP] = "UPDATE outbox SET status = ?2, finished_at = ?3, last_error = ?4, claimed_by = NULL"
		" WHERE id = ?1 AND status = 'sending' AND claimed_by = ?5",
	/* One server owns an SQLite file: every claim left is a stopped or dead sender's. The interrupted attempt
	 * does not count against the row. */
	[SQL_OUTBOX_RELEASE] = "UPDATE outbox SET status = 'queued', attempts = MAX(attempts - 1, 0), claimed_by = NULL"
		" WHERE status = 'sending'",
	[SQL_OUTBOX_NEXT_DUE] = "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued'",
	[SQL_OUTBOX_PURGE] = "DELETE FROM outbox WHERE finished_at IS NOT NULL AND finished_at < ?1",
	[SQL_MAIL_TOKEN_INSERT] = "INSERT INTO mail_tokens(token_hash, kind, user_id, email, expires_at, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQL_MAIL_TOKEN_PURGE] = "DELETE FROM mail_tokens WHERE user_id = ?1 AND expires_at <= ?2",
	[SQL_MAIL_TOKEN_USER] = "SELECT " USER_COLS ", t.email FROM mail_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE t.token_hash = ?1 AND t.kind = ?2 AND t.expires_at > ?3",
	[SQL_MAIL_TOKEN_DELETE] = "DELETE FROM mail_tokens WHERE token_hash = ?1",
	[SQL_MAIL_TOKENS_DELETE_USER] = "DELETE FROM mail_tokens WHERE user_id = ?1 AND kind = ?2",
	[SQL_USER_EMAIL_TAKEN] = "SELECT id FROM users WHERE email = ?1 AND id != ?2",
	[SQL_USER_SET_EMAIL] = "UPDATE users SET email = ?2 WHERE id = ?1",
	/* ---- The reader's response ----
	 * A chapter id of 0 means "the whole work": nullif(?, 0) turns it into the NULL stored for that, and
	 * "chapter_id IS nullif(?, 0)" still searches the (work_id, chapter_id, ...) indexes. */
	[SQL_SAVEPOINT] = "SAVEPOINT quire_group",
	[SQL_RELEASE] = "RELEASE quire_group",
	[SQL_ROLLBACK_TO] = "ROLLBACK TO quire_group",
	[SQL_RESP_COUNTS] = "SELECT w.kudos_count, w.kudos_guests, w.hits_count, w.comments_count, w.bookmarks_count,"
		" w.comment_policy, w.comments_moderated, c.kudos_count, c.kudos_guests, c.hits_count, c.comments_count,"
		" w.comments_locked FROM works w LEFT JOIN chapters c ON c.id = ?2 AND c.work_id = w.id WHERE w.id = ?1",
	[SQL_RESP_SETTINGS_SET] = "UPDATE works SET comment_policy = ?2, comments_moderated = ?3 WHERE id = ?1",
	/* Skips works deleted meanwhile (hits are written after the fact). */
	[SQL_STATS_BUMP] = "INSERT INTO stats_daily(work_id, chapter_id, day, hits, kudos, comments, bookmarks)"
		" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM works WHERE id = ?1)"
		" ON CONFLICT(work_id, chapter_id, day) DO UPDATE SET hits = hits + excluded.hits,"
		" kudos = kudos + excluded.kudos, comments = comments + excluded.comments,"
		" bookmarks = bookmarks + excluded.bookmarks",
	[SQL_COMMENT_BRIEF] = "SELECT work_id, coalesce(chapter_id, 0), root_id, depth, state, frozen,"
		" coalesce(user_id, 0), coalesce(parent_id, 0) FROM comments WHERE id = ?1",
	[SQL_COMMENT_INSERT] = "INSERT INTO comments(work_id, chapter_id, parent_id, root_id, depth, user_id,"
		" guest_name, guest_email, body, body_html, state, by_creator, created_at, sanitizer_version)"
		" VALUES (?1, nullif(?2, 0), nullif(?3, 0), ?4, ?5, nullif(?6, 0), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[SQL_COMMENT_SET_ROOT] = "UPDATE comments SET root_id = id WHERE id = ?1",
	[SQL_COMMENT_GET] = "SELECT " COMMENT_COLS " FROM comments c LEFT JOIN users u ON u.id = c.user_id"
		" WHERE c.id = ?1",
	[SQL_COMMENT_ROOTS] = "SELECT id FROM comments WHERE work_id = ?1 AND chapter_id IS nullif(?2, 0)"
		" AND parent_id IS NULL AND id > ?3 ORDER BY id LIMIT ?4",
	[SQL_COMMENT_LIST] = "SELECT " COMMENT_COLS " FROM comments c LEFT JOIN users u ON u.id = c.user_id"
		" WHERE c.work_id = ?1 AND c.chapter_id IS nullif(?2, 0) AND c.root_id > ?3 AND c.root_id <= ?4"
		" ORDER BY c.root_id, c.id LIMIT ?5",
	[SQL_COMMENT_EDIT] = "UPDATE comments SET body = ?2, body_html = ?3, edited_at = ?4, sanitizer_version = ?5"
		" WHERE id = ?1 AND state != 3",
	[SQL_COMMENT_SET_STATE] = "UPDATE comments SET state = ?2 WHERE id = ?1",
	[SQL_COMMENT_WIPE] = "UPDATE comments SET body = '', body_html = '', guest_email = NULL WHERE id = ?1",
	[SQL_COMMENT_FREEZE] = "WITH RECURSIVE below(id) AS (SELECT ?1 UNION ALL"
		" SELECT c.id FROM comments c JOIN below ON c.parent_id = below.id)"
		" UPDATE comments SET frozen = ?2 WHERE id IN below",
	/* OR IGNORE: one message per reader and comment (inbox_comment_once), whichever reason came first. */
	[SQL_INBOX_INSERT] = "INSERT OR IGNORE INTO inbox(user_id, kind, work_id, chapter_id, comment_id, actor_id,"
		" body, read, created_at) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, nullif(?6, 0), '', 0, ?7)",
	[SQL_KUDOS_INSERT] = "INSERT INTO kudos(work_id, chapter_id, user_id, guest_hash, created_at)"
		" VALUES (?1, nullif(?2, 0), nullif(?3, 0), ?4, ?5)",
	[SQL_KUDOS_NAMES] = "SELECT u.name FROM kudos k JOIN users u ON u.id = k.user_id"
		" WHERE k.work_id = ?1 AND k.chapter_id IS nullif(?2, 0) AND k.user_id IS NOT NULL"
		" ORDER BY k.id DESC LIMIT ?3",
	[SQL_BOOKMARK_INSERT] = "INSERT INTO bookmarks(user_id, work_id, notes, notes_html, tags, private, rec,"
		" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
	[SQL_BOOKMARK_UPDATE] = "UPDATE bookmarks SET notes = ?3, notes_html = ?4, tags = ?5, private = ?6, rec = ?7,"
		" updated_at = ?8 WHERE id = ?1 AND user_id = ?2",
	[SQL_BOOKMARK_DELETE] = "DELETE FROM bookmarks WHERE id = ?2 AND user_id = ?1",
	[SQL_BOOKMARK_WORK] = "SELECT work_id FROM bookmarks WHERE id = ?2 AND user_id = ?1",
	[SQL_BOOKMARK_GET] = "SELECT " BOOKMARK_COLS " WHERE b.id = ?1",
	[SQL_BOOKMARK_FIND] = "SELECT " BOOKMARK_COLS " WHERE b.user_id = ?1 AND b.work_id = ?2",
	[SQL_BOOKMARK_LIST] = "SELECT " BOOKMARK_COLS " WHERE b.user_id = ?1 AND b.id < ?2 ORDER BY b.id DESC LIMIT ?3",
	[SQL_BOOKMARK_LIST_PUBLIC] = "SELECT " BOOKMARK_COLS " WHERE b.user_id = ?1 AND b.id < ?2 AND b.private = 0"
		" ORDER BY b.id DESC LIMIT ?3",
	/* Views of works or users deleted since they were counted are dropped. */
	[SQL_READING_RECORD] = "INSERT INTO readings(user_id, work_id, chapter_id, read_at, views)"
		" SELECT ?1, ?2, (SELECT id FROM chapters WHERE id = ?3 AND work_id = ?2), ?4, ?5"
		" WHERE EXISTS (SELECT 1 FROM works WHERE id = ?2) AND EXISTS (SELECT 1 FROM users WHERE id = ?1)"
		" ON CONFLICT(user_id, work_id) DO UPDATE SET chapter_id = coalesce(excluded.chapter_id, chapter_id),"
		" read_at = max(read_at, excluded.read_at), views = views + excluded.views",
	[SQL_READING_LATER] = "INSERT INTO readings(user_id, work_id, later) VALUES (?1, ?2, ?3)"
		" ON CONFLICT(user_id, work_id) DO UPDATE SET later = excluded.later",
	[SQL_READING_HISTORY] = "SELECT " READING_COLS " WHERE r.user_id = ?1 AND r.read_at > 0 AND r.read_at < ?2"
		" ORDER BY r.read_at DESC LIMIT ?3",
	[SQL_READING_LATER_LIST] = "SELECT " READING_COLS " WHERE r.user_id = ?1 AND r.later = 1 AND r.work_id < ?2"
		" ORDER BY r.work_id DESC LIMIT ?3",
	[SQL_INBOX_LIST] = "SELECT " INBOX_COLS " WHERE i.user_id = ?1 AND i.id < ?2 ORDER BY i.id DESC LIMIT ?3",
	[SQL_INBOX_LIST_UNREAD] = "SELECT " INBOX_COLS " WHERE i.user_id = ?1 AND i.read = 0 AND i.id < ?2"
		" ORDER BY i.id DESC LIMIT ?3",
	[SQL_INBOX_MARK] = "UPDATE inbox SET read = ?3 WHERE id = ?2 AND user_id = ?1",
	[SQL_INBOX_MARK_ALL] = "UPDATE inbox SET read = 1 WHERE user_id = ?1 AND read = 0",
	[SQL_INBOX_UNREAD] = "SELECT inbox_unread FROM users WHERE id = ?1",
	[SQL_HITS_WORK] = "UPDATE works SET hits_count = hits_count + ?2 WHERE id = ?1",
	[SQL_HITS_CHAPTER] = "UPDATE chapters SET hits_count = hits_count + ?3 WHERE id = ?2 AND work_id = ?1",
	[SQL_STATS_WORK_ROW] = "SELECT id, 0, title, 0, hits_count, kudos_count, comments_count, bookmarks_count,"
		" word_count, subscriptions_count FROM works WHERE id = ?1",
	[SQL_STATS_CHAPTER_ROWS] = "SELECT work_id, id, title, position, hits_count, kudos_count, comments_count, 0,"
		" word_count, 0 FROM chapters WHERE work_id = ?1 ORDER BY position",
	[SQL_STATS_DAYS] = "SELECT chapter_id, day, hits, kudos, comments, bookmarks FROM stats_daily"
		" WHERE work_id = ?1 AND day >= ?2 ORDER BY day DESC, chapter_id LIMIT 10000",
	[SQL_STATS_USER] = "SELECT w.id, 0, w.title, 0, w.hits_count, w.kudos_count, w.comments_count,"
		" w.bookmarks_count, w.word_count, w.subscriptions_count, w.draft FROM work_creators wc JOIN works w ON w.id = wc.work_id"
		" WHERE wc.user_id = ?1 AND (wc.accepted = 1 OR wc.position = 0) ORDER BY w.id DESC LIMIT 1000",
	[SQL_CHAPTER_WORK] = "SELECT work_id FROM chapters WHERE id = ?1",
	/* ---- Finding works (sqlite/tag.c, sqlite/listing.c) ---- */
	/* A work's filter tags: its tags with synonyms replaced by their canonical tags, and every meta tag
	 * above those. */
	[SQL_FIND_FILTER_DEL] = FILTER_CLOSURE "DELETE FROM filter_taggings WHERE work_id = ?1"
		" AND tag_id NOT IN (SELECT id FROM closure)",
	[SQL_FIND_FILTER_ADD] = FILTER_CLOSURE "INSERT OR IGNORE INTO filter_taggings(work_id, tag_id)"
		" SELECT ?1, id FROM closure",
	/* A crossover has two or more fandoms (after synonyms). */
	[SQL_FIND_CROSSOVER] = "UPDATE works SET crossover = " CROSSOVER_OF_1 " WHERE id = ?1"
		" AND crossover != " CROSSOVER_OF_1,
	/* New tags wait in the wrangling queue under the first fandom of the work that brought them. */
	[SQL_FIND_HINT] = "UPDATE tags SET fandom_hint_id = (SELECT IFNULL(f.merger_id, f.id) FROM work_tags wt"
		" JOIN tags f ON f.id = wt.tag_id WHERE wt.work_id = ?1 AND f.type = 3 ORDER BY wt.position LIMIT 1)"
		" WHERE fandom_hint_id IS NULL AND type > 3 AND wrangled = 0"
		" AND id IN (SELECT tag_id FROM work_tags WHERE work_id = ?1)",
	[SQL_FIND_FILTER_TEXT] = "UPDATE works SET filter_tags = IFNULL((SELECT ' ' || group_concat(f.tag_id || ':' || t.type, ' ')"
		" FROM filter_taggings f JOIN tags t ON t.id = f.tag_id WHERE f.work_id = ?1), '') WHERE id = ?1",
	[SQL_FIND_DOC_DEL] = "DELETE FROM search_works WHERE rowid = ?1",
	[SQL_FIND_DOC_ADD] = "INSERT INTO search_works(rowid, title, summary, notes, tags, creators)"
		" SELECT * FROM search_works_src WHERE id = ?1",

	[SQL_FIND_TAG_BY_NORM] = "SELECT " TAG_COLS " FROM tags t" TAG_MERGER
		" WHERE t.type IN (0, 1, 2, 3, 4, 5, 6) AND t.norm = quire_tag_norm(?1)"
		" ORDER BY CASE WHEN t.type >= 3 THEN t.type ELSE t.type + 10 END",
	[SQL_FIND_TAG_BY_ID] = "SELECT " TAG_COLS " FROM tags t" TAG_MERGER " WHERE t.id = ?1",
	[SQL_FIND_TAG_OF_TYPE] = "SELECT " TAG_COLS " FROM tags t" TAG_MERGER
		" WHERE t.type = ?1 AND t.norm = quire_tag_norm(?2)",
	[SQL_FIND_TAG_PARENTS] = "SELECT " TAG_COLS " FROM tag_parents x JOIN tags t ON t.id = x.parent_id"
		TAG_MERGER " WHERE x.tag_id = ?1 ORDER BY t.name",
	[SQL_FIND_TAG_CHILDREN] = "SELECT " TAG_COLS " FROM tag_parents x JOIN tags t ON t.id = x.tag_id"
		TAG_MERGER " WHERE x.parent_id = ?1 ORDER BY t.works_count DESC, t.name LIMIT 100",
	[SQL_FIND_TAG_METAS] = "SELECT " TAG_COLS " FROM meta_tags x JOIN tags t ON t.id = x.meta_id"
		TAG_MERGER " WHERE x.sub_id = ?1 ORDER BY t.name",
	[SQL_FIND_TAG_SUBS] = "SELECT " TAG_COLS " FROM meta_tags x JOIN tags t ON t.id = x.sub_id"
		TAG_MERGER " WHERE x.meta_id = ?1 ORDER BY t.name LIMIT 200",
	[SQL_FIND_TAG_SYNONYMS] = "SELECT " TAG_COLS " FROM tags t" TAG_MERGER
		" WHERE t.merger_id = ?1 ORDER BY t.name LIMIT 200",
	[SQL_FIND_TAG_LOOKALIKES] = "SELECT " TAG_COLS " FROM tags t" TAG_MERGER
		" WHERE t.type = (SELECT type FROM tags WHERE id = ?1)"
		" AND t.skeleton = (SELECT skeleton FROM tags WHERE id = ?1) AND t.skeleton != '' AND t.id != ?1"
		" ORDER BY t.name LIMIT 20",
	/* The LIMIT keeps a one-letter prefix from ranking every tag in the archive. */
	[SQL_FIND_TAG_AUTOCOMPLETE] = "SELECT " TAG_COLS " FROM (SELECT rowid AS id FROM tag_names"
		" WHERE tag_names MATCH ?1 LIMIT 5000) n JOIN tags t ON t.id = n.id" TAG_MERGER
		" WHERE " TAG_SEEN("?4") " ORDER BY t.works_count DESC, length(t.name), t.name LIMIT ?2",
	[SQL_FIND_TAG_AUTOCOMPLETE_TYPE] = "SELECT " TAG_COLS " FROM (SELECT rowid AS id FROM tag_names"
		" WHERE tag_names MATCH ?1 LIMIT 5000) n JOIN tags t ON t.id = n.id" TAG_MERGER
		" WHERE t.type = ?3 AND " TAG_SEEN("?4") " ORDER BY t.works_count DESC, length(t.name), t.name LIMIT ?2",
	[SQL_FIND_TAG_IN_USE] = "SELECT EXISTS (SELECT 1 FROM work_tags wt JOIN works w ON w.id = wt.work_id"
		" WHERE wt.tag_id = ?1 AND w.draft = 0 AND (?2 OR w.restricted = 0))",

	[SQL_FIND_SET_MERGER] = "UPDATE tags SET merger_id = ?2 WHERE id = ?1",
	[SQL_FIND_SET_CANONICAL] = "UPDATE tags SET canonical = ?2 WHERE id = ?1",
	[SQL_FIND_SET_MEDIA] = "UPDATE tags SET media = ?2 WHERE id = ?1",
	[SQL_FIND_SET_WRANGLED] = "UPDATE tags SET wrangled = (canonical OR merger_id IS NOT NULL"
		" OR EXISTS (SELECT 1 FROM tag_parents WHERE tag_id = tags.id)) WHERE id = ?1",
	[SQL_FIND_PARENTS_CLEAR] = "DELETE FROM tag_parents WHERE tag_id = ?1",
	[SQL_FIND_PARENT_ADD] = "INSERT OR IGNORE INTO tag_parents(tag_id, parent_id) VALUES (?1, ?2)",
	[SQL_FIND_METAS_CLEAR] = "DELETE FROM meta_tags WHERE sub_id = ?1",
	[SQL_FIND_META_ADD] = "INSERT OR IGNORE INTO meta_tags(sub_id, meta_id) VALUES (?1, ?2)",
	/* Non-zero when ?1 is ?2 or above it: making ?2 a meta tag of ?1 would close a loop. */
	[SQL_FIND_META_CYCLE] = "WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT m.meta_id FROM up"
		" JOIN meta_tags m ON m.sub_id = up.id) SELECT COUNT(*) FROM up WHERE id = ?1",
	[SQL_FIND_HAS_SYNONYMS] = "SELECT COUNT(*) FROM tags WHERE merger_id = ?1",
	[SQL_FIND_WORKS_OF_TAG] = "SELECT work_id FROM work_tags WHERE tag_id = ?1",
	[SQL_FIND_WORKS_FILTERED_BY] = "SELECT work_id FROM filter_taggings WHERE tag_id = ?1",
	[SQL_SYNC_QUEUE_ADD] = "INSERT OR IGNORE INTO work_sync_queue(work_id) VALUES (?1)",
	[SQL_BLOCK_EXISTS] = "SELECT EXISTS (SELECT 1 FROM user_blocks WHERE blocker_id = ?1 AND blocked_id = ?2)",
	[SQL_BLOCK_COUNT] = "SELECT COUNT(*) FROM user_blocks WHERE blocker_id = ?1",
	[SQL_BLOCK_ADD] = "INSERT INTO user_blocks(blocker_id, blocked_id, created_at) VALUES (?1, ?2, ?3)",
	[SQL_BLOCK_DEL] = "DELETE FROM user_blocks WHERE blocker_id = ?1 AND blocked_id = ?2",
	[SQL_BLOCK_LIST] = "SELECT u.id, u.name, b.created_at FROM user_blocks b JOIN users u ON u.id = b.blocked_id"
		" WHERE b.blocker_id = ?1 ORDER BY b.created_at DESC, u.id DESC LIMIT ?2",
	/* 2: ?3 blocked ?1; 1: an accepted creator of work ?2 did; 0: neither. */
	[SQL_BLOCK_WHO] = "SELECT CASE WHEN EXISTS (SELECT 1 FROM user_blocks WHERE blocker_id = ?3 AND blocked_id = ?1)"
		" THEN 2 WHEN EXISTS (SELECT 1 FROM work_creators c JOIN user_blocks b ON b.blocker_id = c.user_id"
		" AND b.blocked_id = ?1 WHERE c.work_id = ?2 AND c.accepted = 1) THEN 1 ELSE 0 END",
	/* The writer's check's remembered words (sqlite/writing.c): work rows (work_id, user 0), writer rows
	 * (work 0, user_id); both read by their primary key's prefix. */
	[SQL_WRITING_WORD_ADD] = "INSERT INTO writing_words(work_id, user_id, kind, word, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
	[SQL_WRITING_WORD_DEL] = "DELETE FROM writing_words WHERE work_id = ?1 AND user_id = ?2 AND kind = ?3 AND word = ?4",
	[SQL_WRITING_WORD_COUNT] = "SELECT COUNT(*) FROM (SELECT 1 FROM writing_words WHERE work_id = ?1 AND user_id = ?2"
		" LIMIT ?3)",
	[SQL_WRITING_VARIANT_CLEAR] = "DELETE FROM writing_words WHERE work_id = ?1 AND user_id = ?2 AND kind = 3",
	[SQL_WRITING_WORDS] = "SELECT work_id, kind, word FROM writing_words WHERE work_id = ?1 AND user_id = 0 AND ?1 > 0"
		" UNION ALL SELECT work_id, kind, word FROM writing_words WHERE work_id = 0 AND user_id = ?2 AND ?2 > 0"
		" LIMIT ?3",
	/* Readers' suggestions (sqlite/suggestion.c). */
	[SQL_SUGGESTIONS_ON] = "INSERT INTO reader_suggestion_works(work_id) VALUES (?1) ON CONFLICT DO NOTHING",
	[SQL_SUGGESTIONS_OFF] = "DELETE FROM reader_suggestion_works WHERE work_id = ?1",
	[SQL_SUGGESTIONS_ENABLED] = "SELECT EXISTS (SELECT 1 FROM reader_suggestion_works WHERE work_id = ?1)",
	[SQL_SUGGESTION_RECENT] = "SELECT COUNT(*) FROM (SELECT 1 FROM reader_suggestions WHERE user_id = ?1"
		" AND created_at >= ?2 LIMIT ?3)",
	[SQL_SUGGESTION_OPEN_COUNT] = "SELECT COUNT(*) FROM (SELECT 1 FROM reader_suggestions WHERE chapter_id = ?1"
		" AND state = 0 AND user_id = ?2 LIMIT ?3)",
	[SQL_SUGGESTION_ADD] = "INSERT INTO reader_suggestions(work_id, chapter_id, user_id, quote, prefix, suffix,"
		" replacement, note, state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?9)",
	[SQL_SUGGESTION_GET] = "SELECT " SUGGESTION_COLS " WHERE s.id = ?1",
	/* ?1 chapter, ?2 reader (0 any), ?4 state (-1 any), ?5 before id (0 none), ?6 limit: one chapter's, through
	 * reader_suggestions_chapter. */
	[SQL_SUGGESTION_LIST_CHAPTER] = "SELECT " SUGGESTION_COLS
		" WHERE s.chapter_id = ?1 AND (?2 = 0 OR s.user_id = ?2)"
		" AND (?4 < 0 OR s.state = ?4) AND (?5 = 0 OR s.id < ?5) ORDER BY s.id DESC LIMIT ?6",
	/* ?3 creator: on the works they are an accepted creator of, each through reader_suggestions_work. */
	[SQL_SUGGESTION_LIST_CREATOR] = "SELECT " SUGGESTION_COLS
		" WHERE s.work_id IN (SELECT c.work_id FROM work_creators c WHERE c.user_id = ?3 AND c.accepted = 1)"
		" AND (?4 < 0 OR s.state = ?4) AND (?5 = 0 OR s.id < ?5) ORDER BY s.id DESC LIMIT ?6",
	[SQL_SUGGESTION_SET_STATE] = "UPDATE reader_suggestions SET state = ?3, reply = COALESCE(?4, reply), updated_at = ?5"
		" WHERE id = ?1 AND state = ?2",
	/* The inbox: a message to each accepted creator of the work (?1 work, ?2 chapter, ?3 reader, ?4 the
	 * passage, ?5 now, ?6 the suggestion); read once answered; the reader's message of an answer. */
	[SQL_SUGGESTION_INBOX_CREATORS] = "INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body, read,"
		" created_at, suggestion_id) SELECT c.user_id, 'suggestion', ?1, ?2, ?3, ?4, 0, ?5, ?6 FROM work_creators c"
		" WHERE c.work_id = ?1 AND c.accepted = 1 AND c.user_id != ?3",
	[SQL_SUGGESTION_INBOX_READ] = "UPDATE inbox SET read = 1 WHERE suggestion_id = ?1 AND kind = 'suggestion' AND read = 0",
	[SQL_SUGGESTION_INBOX_READER] = "INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body, read,"
		" created_at, suggestion_id) SELECT s.user_id, ?2, s.work_id, s.chapter_id, nullif(?3, 0), ?4, 0, ?5, s.id"
		" FROM reader_suggestions s WHERE s.id = ?1",
	[SQL_SYNC_QUEUE_ANY] = "SELECT EXISTS (SELECT 1 FROM work_sync_queue)",
	[SQL_SYNC_QUEUE_NEXT] = "SELECT work_id FROM work_sync_queue ORDER BY work_id LIMIT ?1",
	[SQL_SYNC_QUEUE_DEL] = "DELETE FROM work_sync_queue WHERE work_id = ?1",

	[SQL_FIND_QUEUE_FANDOMS] = "SELECT IFNULL(t.fandom_hint_id, 0), f.name, COUNT(*) FROM tags t"
		" LEFT JOIN tags f ON f.id = t.fandom_hint_id WHERE t.wrangled = 0 AND t.works_count > 0 GROUP BY t.fandom_hint_id"
		" ORDER BY COUNT(*) DESC, f.name LIMIT 200",
	[SQL_FIND_QUEUE] = "SELECT " TAG_COLS ", " LOOKALIKE_NAMES " FROM tags t" TAG_MERGER
		" WHERE t.wrangled = 0 AND t.works_count > 0 AND t.fandom_hint_id = ?1 ORDER BY t.id DESC LIMIT ?2 OFFSET ?3",
	[SQL_FIND_QUEUE_NONE] = "SELECT " TAG_COLS ", " LOOKALIKE_NAMES " FROM tags t" TAG_MERGER
		" WHERE t.wrangled = 0 AND t.works_count > 0 AND t.fandom_hint_id IS NULL ORDER BY t.id DESC LIMIT ?1 OFFSET ?2",
	/* The directory lists fandoms guests can see works in: one only drafts or members-only works carry is
	 * not shown (not even to members, whose page is the same). */
	[SQL_FIND_MEDIA_COUNT] = "SELECT COUNT(*) FROM tags WHERE type = 3 AND merger_id IS NULL AND media = ?1"
		" AND public_count > 0",
	[SQL_FIND_MEDIA_TOP] = "SELECT " TAG_COLS " FROM tags t" TAG_MERGER
		" WHERE t.type = 3 AND t.merger_id IS NULL AND t.media = ?1 AND t.public_count > 0"
		" ORDER BY t.public_count DESC LIMIT ?2 OFFSET ?3",

	[SQL_FIND_COUNTER] = "SELECT value FROM counters WHERE name = ?1",
	/* The filter tags a name stands for (a synonym stands for its canonical), with their counts. */
	[SQL_FIND_TAG_FILTER_IDS] = "SELECT DISTINCT IFNULL(t.merger_id, t.id), IFNULL(m.works_count, t.works_count),"
		" IFNULL(m.public_count, t.public_count) FROM tags t" TAG_MERGER
		" WHERE t.type = ?2 AND t.norm = quire_tag_norm(?1)",
	[SQL_FIND_TAG_FILTER_IDS_ANY] = "SELECT DISTINCT IFNULL(t.merger_id, t.id), IFNULL(m.works_count, t.works_count),"
		" IFNULL(m.public_count, t.public_count) FROM tags t" TAG_MERGER
		" WHERE t.type IN (0, 1, 2, 3, 4, 5, 6) AND t.norm = quire_tag_norm(?1)",
	[SQL_FIND_TOP_TAGS_PUBLIC] = "SELECT t.id, t.type, t.name, t.public_count FROM tags t WHERE t.type = ?1"
		" AND t.merger_id IS NULL AND t.public_count > 0 ORDER BY t.public_count DESC, t.name LIMIT ?2",
	[SQL_FIND_TOP_TAGS_ALL] = "SELECT t.id, t.type, t.name, t.works_count FROM tags t WHERE t.type = ?1"
		" AND t.merger_id IS NULL AND t.works_count > 0 ORDER BY t.works_count DESC, t.name LIMIT ?2",
	/* One query each for a page's works, tags and creators (?1: a JSON array of work ids). */
	[SQL_FIND_PAGE_WORKS] = WORK_ROWS " WHERE w.id IN (SELECT value FROM json_each(?1))",
	[SQL_FIND_PAGE_TAGS] = "SELECT wt.work_id, t.type, t.name FROM work_tags wt JOIN tags t ON t.id = wt.tag_id"
		" WHERE wt.work_id IN (SELECT value FROM json_each(?1)) ORDER BY wt.work_id, t.type, wt.position",
	[SQL_FIND_PAGE_CREATORS] = "SELECT c.work_id, c.user_id, u.name, c.accepted FROM work_creators c"
		" JOIN users u ON u.id = c.user_id WHERE c.work_id IN (SELECT value FROM json_each(?1))"
		" ORDER BY c.work_id, c.position, c.user_id",
	/* Where a shown work matched: its best chapter, else its own text. */
	/* The work's first matching chapter. No rank: bm25 counts the documents matching each phrase across
	 * the whole archive, once per statement run, which for common words costs more than everything else. */
	/* The work's first matching chapter in reading order. Not ORDER BY rank: bm25 of a phrase counts the
	 * phrase's rows over the whole index on every run (70 ms for "the door" over 3M chapters, per work). */
	[SQL_FIND_SNIPPET_CHAPTER] = "SELECT snippet(search_chapters, -1, char(1), char(2), '…', 24)"
		" FROM search_chapters WHERE search_chapters MATCH ?1 AND rowid BETWEEN ?2 << 32 AND (?2 << 32) | 4294967295"
		" LIMIT 1",
	[SQL_FIND_TAG_NAMES] = "SELECT id, name FROM tags WHERE id IN (SELECT value FROM json_each(?1))",
	[SQL_FIND_SNIPPET_WORK] = "SELECT snippet(search_works, -1, char(1), char(2), '…', 24) FROM search_works"
		" WHERE search_works MATCH ?1 AND rowid = ?2",
	[SQL_FIND_SERIES_OF] = "SELECT ws.series_id, s.title, ws.position FROM work_series ws"
		" JOIN series s ON s.id = ws.series_id WHERE ws.work_id = ?1",
	/* ?2: 1 for members (members-only works count as neighbours), 0 for guests. */
	[SQL_FIND_SERIES_PREV] = "SELECT p.work_id, w.title FROM work_series ws JOIN work_series p"
		" ON p.series_id = ws.series_id AND p.position < ws.position JOIN works w ON w.id = p.work_id"
		" WHERE ws.work_id = ?1 AND w.draft = 0 AND w.restricted <= ?2 ORDER BY p.position DESC LIMIT 1",
	[SQL_FIND_SERIES_NEXT] = "SELECT p.work_id, w.title FROM work_series ws JOIN work_series p"
		" ON p.series_id = ws.series_id AND p.position > ws.position JOIN works w ON w.id = p.work_id"
		" WHERE ws.work_id = ?1 AND w.draft = 0 AND w.restricted <= ?2 ORDER BY p.position LIMIT 1",
	/* Texts an older sanitizer rendered, oldest version first (migration 10's indexes), and their new
	 * renderings, stored only over the version and sources they were read with. */
	[SQL_STALE_WORKS] = "SELECT id, id, sanitizer_version, summary, notes, end_notes FROM works"
		" WHERE sanitizer_version < ?1 ORDER BY sanitizer_version, id LIMIT ?2",
	[SQL_STALE_CHAPTERS] = "SELECT id, work_id, sanitizer_version, content, summary, notes, end_notes, content_format"
		" FROM chapters WHERE sanitizer_version < ?1 ORDER BY sanitizer_version, id LIMIT ?2",
	[SQL_STALE_COMMENTS] = "SELECT id, work_id, sanitizer_version, body FROM comments"
		" WHERE sanitizer_version < ?1 ORDER BY sanitizer_version, id LIMIT ?2",
	[SQL_STALE_WORK_SAVE] = "UPDATE works SET summary_html = ?3, notes_html = ?4, end_notes_html = ?5,"
		" sanitizer_version = ?6 WHERE id = ?1 AND sanitizer_version = ?2 AND summary = ?7 AND notes = ?8"
		" AND end_notes = ?9",
	[SQL_STALE_CHAPTER_SAVE] = "UPDATE chapters SET content_html = ?3, summary_html = ?4, notes_html = ?5,"
		" end_notes_html = ?6, word_count = ?7, sanitizer_version = ?8 WHERE id = ?1 AND sanitizer_version = ?2"
		" AND content = ?9 AND summary = ?10 AND notes = ?11 AND end_notes = ?12 AND content_format = ?13",
	[SQL_STALE_COMMENT_SAVE] = "UPDATE comments SET body_html = ?3, sanitizer_version = ?4"
		" WHERE id = ?1 AND sanitizer_version = ?2 AND body = ?5",
	/* LIKE ignores ASCII case: <IFRAME counts. */
	[SQL_STALE_MARK_MEDIA] = "UPDATE chapters SET sanitizer_version = 0 WHERE sanitizer_version > 0 AND"
		" (content LIKE '%<img%' OR content LIKE '%<iframe%' OR content LIKE '%<audio%' OR content LIKE '%<video%'"
		" OR content LIKE '%![%')",
	/* ---- Running a community (issue 14): statements in files of their own ---- */
	SQLS_MODERATION_STATEMENTS(SQLS_STMT_TEXT)
	SQLS_SITE_STATEMENTS(SQLS_STMT_TEXT)
	SQLS_SPAM_STATEMENTS(SQLS_STMT_TEXT)
	SQLS_COCREATORS_STATEMENTS(SQLS_STMT_TEXT)
};
