/* The SQL of the spam queue, addresses that sent spam and the sign-up blocklist (sqlite_spam.c): X(id, text) for
 * each, joined to the backend's statement table. Parameters are always bound. */
#ifndef QUIRE_STORE_SQLITE_SPAM_SQL_H
#define QUIRE_STORE_SQLITE_SPAM_SQL_H

#define SPAM_COLS "q.id, q.created_at, q.kind, q.score, q.reasons, q.address_hash, q.status, IFNULL(q.work_id, 0)," \
	" IFNULL(q.chapter_id, 0), IFNULL(q.parent_id, 0), IFNULL(q.user_id, 0), w.title, u.name, q.guest_name," \
	" q.guest_email, q.body, q.body_html, q.name, q.email, q.pwhash, q.policy_version, q.decided_by," \
	" IFNULL(q.decided_at, 0) FROM spam_queue q LEFT JOIN works w ON w.id = q.work_id" \
	" LEFT JOIN users u ON u.id = q.user_id"

#define SQLS_SPAM_STATEMENTS(X) \
	X(SQL_SPAM_INSERT, "INSERT INTO spam_queue(kind, created_at, score, reasons, address_hash, work_id, chapter_id," \
		" parent_id, user_id, guest_name, guest_email, body, body_html, name, email, pwhash, policy_version)" \
		" VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0), NULLIF(?7, 0), NULLIF(?8, 0), NULLIF(?9, 0), ?10, ?11, ?12, ?13," \
		" ?14, ?15, ?16, ?17)") \
	X(SQL_SPAM_GET, "SELECT " SPAM_COLS " WHERE q.id = ?1") \
	X(SQL_SPAM_LIST, "SELECT " SPAM_COLS " WHERE q.status = ?1 AND (?2 = 0 OR q.id < ?2) ORDER BY q.id DESC LIMIT ?3") \
	X(SQL_SPAM_HELD_COUNT, "SELECT COUNT(*) FROM spam_queue WHERE status = 0") \
	X(SQL_SPAM_DECIDE, "UPDATE spam_queue SET status = ?2, decided_by = ?3, decided_at = ?4," \
		" pwhash = CASE WHEN ?2 = 1 THEN NULL ELSE pwhash END WHERE id = ?1 AND status = 0") \
	X(SQL_SPAM_EXISTS, "SELECT 1 FROM spam_queue WHERE id = ?1") \
	X(SQL_SPAM_ADDRESS_MARK, "INSERT INTO spam_addresses(address_hash, marked_at) VALUES (?1, ?2)" \
		" ON CONFLICT(address_hash) DO UPDATE SET marked_at = excluded.marked_at") \
	X(SQL_SPAM_ADDRESS_KNOWN, "SELECT EXISTS (SELECT 1 FROM spam_addresses WHERE address_hash = ?1 AND marked_at > ?2)") \
	X(SQL_SPAM_BLOCK_ADD, "INSERT INTO spam_blocklist(pattern, added_by, added_at) VALUES (?1, ?2, ?3)") \
	X(SQL_SPAM_BLOCK_REMOVE, "DELETE FROM spam_blocklist WHERE pattern = ?1") \
	X(SQL_SPAM_BLOCK_LIST, "SELECT pattern FROM spam_blocklist ORDER BY pattern LIMIT 5000") \
	X(SQL_SPAM_BLOCKED, "SELECT EXISTS (SELECT 1 FROM spam_blocklist WHERE pattern = ?1)") \
	X(SQL_COMMENTS_QUARANTINE_USER, "INSERT OR IGNORE INTO comment_quarantine(comment_id, body, body_html, state," \
		" guest_email, log_id) SELECT id, body, body_html, state, guest_email, ?2 FROM comments" \
		" WHERE user_id = ?1 AND state != 3") \
	X(SQL_COMMENTS_WORKS_OF_USER, "SELECT DISTINCT work_id FROM comments WHERE user_id = ?1 AND state != 3") \
	X(SQL_COMMENTS_REMOVE_USER, "UPDATE comments SET state = 3, body = '', body_html = '', guest_email = NULL" \
		" WHERE user_id = ?1 AND state != 3")
#endif
