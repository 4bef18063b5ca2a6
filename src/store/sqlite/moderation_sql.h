/* The SQL of moderation's statements (sqlite/moderation.c): X(id, text) for each, joined to the backend's
 * statement table (sqlite_int.h's enum, sqlite_sql.c's texts). Parameters are always bound. */
#ifndef QUIRE_STORE_SQLITE_MODERATION_SQL_H
#define QUIRE_STORE_SQLITE_MODERATION_SQL_H

#define MOD_LOG_COLS "l.id, l.created_at, IFNULL(l.actor_id, 0), l.actor_name, l.action, l.target_kind," \
	" l.target_id, l.target_name, IFNULL(l.subject_id, 0), l.subject_name, l.reason, l.detail," \
	" IFNULL(l.report_id, 0), IFNULL(l.undoes, 0), IFNULL((SELECT u.id FROM mod_log u WHERE u.undoes = l.id), 0)"
#define REPORT_COLS "r.id, r.created_at, r.updated_at, r.target_kind, r.target_id, IFNULL(r.work_id, 0)," \
	" IFNULL(r.subject_id, 0), su.name, r.category, r.body, IFNULL(r.reporter_id, 0), ru.name, r.reporter_email," \
	" r.reported_title, r.reported_text, r.status, IFNULL(r.assignee_id, 0), au.name" \
	" FROM reports r LEFT JOIN users su ON su.id = r.subject_id LEFT JOIN users ru ON ru.id = r.reporter_id" \
	" LEFT JOIN users au ON au.id = r.assignee_id"

#define SQLS_MODERATION_STATEMENTS(X) \
	X(SQL_MOD_LOG_ADD, "INSERT INTO mod_log(created_at, actor_id, actor_name, action, target_kind, target_id," \
		" target_name, subject_id, subject_name, reason, detail, report_id, undoes)" \
		" VALUES (?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, ?7, NULLIF(?8, 0), ?9, ?10, ?11, NULLIF(?12, 0), NULLIF(?13, 0))") \
	X(SQL_MOD_LOG_GET, "SELECT " MOD_LOG_COLS " FROM mod_log l WHERE l.id = ?1") \
	/* One filter at a time drives the walk (its index); the others are checked on the rows it reaches. */ \
	X(SQL_MOD_LOG_LIST, "SELECT " MOD_LOG_COLS " FROM mod_log l WHERE (?1 = 0 OR l.id < ?1)" \
		" AND (?2 IS NULL OR l.action = ?2) AND (?3 IS NULL OR l.actor_name = ?3 COLLATE NOCASE)" \
		" AND (?4 IS NULL OR l.subject_name = ?4 COLLATE NOCASE) AND (?5 IS NULL OR l.target_kind = ?5)" \
		" AND (?6 = 0 OR l.target_id = ?6) AND (?7 = 0 OR l.report_id = ?7) ORDER BY l.id DESC LIMIT ?8") \
	\
	X(SQL_WORK_MODERATE, "UPDATE works SET draft = ?2 WHERE id = ?1 AND draft IN (0, 2, 3)") \
	X(SQL_WORK_MODERATION_SET, "INSERT INTO work_moderation(work_id, state, reason, log_id, at)" \
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(work_id) DO UPDATE SET state = excluded.state," \
		" reason = excluded.reason, log_id = excluded.log_id, at = excluded.at") \
	X(SQL_WORK_MODERATION_DEL, "DELETE FROM work_moderation WHERE work_id = ?1") \
	X(SQL_WORK_MODERATION_GET, "SELECT work_id, state, reason, log_id, at FROM work_moderation WHERE work_id = ?1") \
	X(SQL_WORKS_PURGEABLE, "SELECT work_id FROM work_moderation WHERE state = 3 AND at < ?1 ORDER BY at LIMIT ?2") \
	X(SQL_COMMENT_QUARANTINE_PURGE, "DELETE FROM comment_quarantine WHERE log_id IN" \
		" (SELECT id FROM mod_log WHERE created_at < ?1)") \
	X(SQL_BOOKMARK_QUARANTINE_PURGE, "DELETE FROM bookmark_quarantine WHERE log_id IN" \
		" (SELECT id FROM mod_log WHERE created_at < ?1)") \
	/* Chapters added while a work was hidden are published when it is shown again. */ \
	X(SQL_WORK_MODERATION_PUBLISH, "UPDATE chapters SET published_at = ?2 WHERE work_id = ?1 AND published_at = 0") \
	\
	X(SQL_REPORT_INSERT, "INSERT INTO reports(created_at, updated_at, target_kind, target_id, work_id, subject_id," \
		" category, body, reporter_id, reporter_email, reported_title, reported_text, status)" \
		" VALUES (?1, ?1, ?2, ?3, NULLIF(?4, 0), NULLIF(?5, 0), ?6, ?7, NULLIF(?8, 0), ?9, ?10, ?11, 0)") \
	X(SQL_REPORT_GET, "SELECT " REPORT_COLS " WHERE r.id = ?1") \
	X(SQL_REPORT_LIST, "SELECT " REPORT_COLS " WHERE r.status = ?1 AND (?2 = 0 OR r.id < ?2)" \
		" ORDER BY r.id DESC LIMIT ?3") \
	X(SQL_REPORT_LIST_ALL, "SELECT " REPORT_COLS " WHERE (?2 = 0 OR r.id < ?2) ORDER BY r.id DESC LIMIT ?3") \
	X(SQL_REPORT_LIST_ASSIGNED, "SELECT " REPORT_COLS " WHERE r.assignee_id = ?1 AND (?2 = 0 OR r.id < ?2)" \
		" ORDER BY r.id DESC LIMIT ?3") \
	X(SQL_REPORT_SET, "UPDATE reports SET status = CASE WHEN ?2 < 0 THEN status ELSE ?2 END," \
		" assignee_id = CASE WHEN ?3 < 0 THEN assignee_id ELSE NULLIF(?3, 0) END, updated_at = ?4 WHERE id = ?1") \
	X(SQL_REPORT_COUNTS, "SELECT status, COUNT(*) FROM reports GROUP BY status") \
	X(SQL_REPORT_NOTE_INSERT, "INSERT INTO report_notes(report_id, author_id, author_name, body, created_at)" \
		" VALUES (?1, NULLIF(?2, 0), ?3, ?4, ?5)") \
	X(SQL_REPORT_NOTES, "SELECT id, report_id, IFNULL(author_id, 0), author_name, body, created_at" \
		" FROM report_notes WHERE report_id = ?1 ORDER BY id LIMIT 500") \
	X(SQL_REPORT_TOUCH, "UPDATE reports SET updated_at = ?2 WHERE id = ?1") \
	\
	X(SQL_NOTICE_INBOX, "INSERT INTO inbox(user_id, kind, work_id, body, read, created_at)" \
		" VALUES (?1, 'notice', NULLIF(?2, 0), ?3, 0, ?4)") \
	X(SQL_NOTICE_OUTBOX, "INSERT INTO outbox(kind, user_id, to_addr, next_attempt_at, created_at)" \
		" VALUES (5, NULLIF(?1, 0), ?2, ?3, ?3)") \
	X(SQL_NOTICE_TEXT, "INSERT INTO outbox_notices(outbox_id, subject, body) VALUES (?1, ?2, ?3)") \
	\
	X(SQL_RATE_BUMP, "INSERT INTO rate_counts(key, period, count) VALUES (?1, ?2, 1)" \
		" ON CONFLICT(key, period) DO UPDATE SET count = count + 1 RETURNING count") \
	X(SQL_RATE_GET, "SELECT count FROM rate_counts WHERE key = ?1 AND period = ?2") \
	X(SQL_RATE_PURGE, "DELETE FROM rate_counts WHERE period < ?1") \
	\
	X(SQL_SITE_STATS, "SELECT (SELECT COUNT(*) FROM users WHERE role != 'orphan')," \
		" (SELECT value FROM counters WHERE name = 'works_posted')," \
		" (SELECT COUNT(*) FROM users WHERE created_at >= ?1 AND role != 'orphan')," \
		" (SELECT COUNT(*) FROM works WHERE draft = 0 AND published_at >= ?1)," \
		" (SELECT COUNT(*) FROM outbox WHERE status = 'queued')," \
		" (SELECT COUNT(*) FROM outbox WHERE status = 'failed')," \
		" (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())") \
	/* ---- Sanctions, quarantined comments and bookmarks, locked comments, renames (sqlite_sanctions.c) ---- */ \
	X(SQL_SANCTION_SET, "INSERT INTO user_sanctions(user_id, kind, until, reason, log_id, at)" \
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(user_id) DO UPDATE SET kind = excluded.kind," \
		" until = excluded.until, reason = excluded.reason, log_id = excluded.log_id, at = excluded.at") \
	X(SQL_SANCTION_CLEAR, "DELETE FROM user_sanctions WHERE user_id = ?1") \
	X(SQL_SANCTION_GET, "SELECT x.user_id, u.name, x.kind, x.until, x.reason, x.log_id, x.at" \
		" FROM user_sanctions x JOIN users u ON u.id = x.user_id WHERE x.user_id = ?1") \
	X(SQL_SANCTION_LIST, "SELECT x.user_id, u.name, x.kind, x.until, x.reason, x.log_id, x.at" \
		" FROM user_sanctions x JOIN users u ON u.id = x.user_id WHERE x.until = 0 OR x.until > ?1" \
		" ORDER BY x.at DESC LIMIT 500") \
	/* A sanction hides the works its account owns (posted ones), each marked with the sanction's entry. */ \
	X(SQL_WORKS_HIDE_OWNED_MARK, "INSERT INTO work_moderation(work_id, state, reason, log_id, at)" \
		" SELECT w.id, 2, ?2, ?3, ?4 FROM work_creators c JOIN works w ON w.id = c.work_id" \
		" WHERE c.user_id = ?1 AND c.position = 0 AND w.draft = 0") \
	X(SQL_WORKS_HIDE_OWNED, "UPDATE works SET draft = 2 WHERE id IN (SELECT work_id FROM work_moderation" \
		" WHERE log_id = ?1) AND draft = 0") \
	X(SQL_WORKS_SHOW_LOGGED, "UPDATE works SET draft = 0 WHERE draft = 2 AND id IN (SELECT work_id" \
		" FROM work_moderation WHERE log_id = ?1 AND state = 2)") \
	X(SQL_WORKS_SHOW_LOGGED_PUBLISH, "UPDATE chapters SET published_at = ?2 WHERE published_at = 0 AND work_id IN" \
		" (SELECT work_id FROM work_moderation WHERE log_id = ?1 AND state = 2)") \
	X(SQL_WORKS_SHOW_LOGGED_FORGET, "DELETE FROM work_moderation WHERE log_id = ?1 AND state = 2") \
	X(SQL_USER_RENAME, "UPDATE users SET name = ?2, skeleton = ?3 WHERE id = ?1") \
	/* Touching the creator rows runs their triggers: the owner's sort name and the works' and chapters' \
	 * search text follow the new name. */ \
	X(SQL_USER_RENAME_WORKS, "UPDATE work_creators SET user_id = user_id WHERE user_id = ?1") \
	X(SQL_COMMENT_QUARANTINE, "INSERT INTO comment_quarantine(comment_id, body, body_html, state, guest_email," \
		" log_id) SELECT id, body, body_html, state, guest_email, ?2 FROM comments WHERE id = ?1 AND state != 3") \
	X(SQL_COMMENT_RESTORE, "UPDATE comments SET body = q.body, body_html = q.body_html, state = q.state," \
		" guest_email = q.guest_email FROM (SELECT * FROM comment_quarantine WHERE comment_id = ?1) q" \
		" WHERE comments.id = ?1") \
	X(SQL_COMMENT_QUARANTINE_DEL, "DELETE FROM comment_quarantine WHERE comment_id = ?1") \
	X(SQL_COMMENT_WORK, "SELECT work_id FROM comments WHERE id = ?1") \
	X(SQL_BOOKMARK_QUARANTINE, "INSERT INTO bookmark_quarantine(id, user_id, work_id, notes, notes_html, tags," \
		" private, rec, created_at, updated_at, log_id) SELECT id, user_id, work_id, notes, notes_html, tags," \
		" private, rec, created_at, updated_at, ?2 FROM bookmarks WHERE id = ?1") \
	X(SQL_BOOKMARK_REMOVE, "DELETE FROM bookmarks WHERE id = ?1") \
	X(SQL_BOOKMARK_RESTORE, "INSERT INTO bookmarks(id, user_id, work_id, notes, notes_html, tags, private, rec," \
		" created_at, updated_at) SELECT id, user_id, work_id, notes, notes_html, tags, private, rec, created_at," \
		" updated_at FROM bookmark_quarantine WHERE id = ?1") \
	X(SQL_BOOKMARK_QUARANTINE_GET, "SELECT work_id FROM bookmark_quarantine WHERE id = ?1") \
	X(SQL_BOOKMARK_QUARANTINE_DEL, "DELETE FROM bookmark_quarantine WHERE id = ?1") \
	X(SQL_WORK_COMMENTS_LOCK, "UPDATE works SET comments_locked = ?2 WHERE id = ?1") \
	X(SQL_USERS_STAFF, "SELECT " "u.id, u.name, u.email, u.role, '', u.created_at" \
		" FROM users u WHERE u.role IN ('admin', 'moderator', 'wrangler') ORDER BY u.role, u.name LIMIT 500") \
	\
	X(SQL_SITE_MAIL_ERROR, "SELECT last_error, IFNULL(finished_at, next_attempt_at) FROM outbox" \
		" WHERE status IN ('queued', 'failed') AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1")
#endif
