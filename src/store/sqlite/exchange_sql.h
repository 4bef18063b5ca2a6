/* The SQL of gift exchanges (sqlite/exchange.c), as X(id, text) lines: int.h makes the ids, sql.c the texts. */
#ifndef QUIRE_STORE_SQLITE_EXCHANGE_SQL_H
#define QUIRE_STORE_SQLITE_EXCHANGE_SQL_H

#define EXCH_COLS "e.collection_id, e.signups_open, e.signups_open_at, e.signups_close_at, e.assignments_due_at," \
	" e.requests_min, e.requests_max, e.offers_min, e.offers_max, e.tags_min, e.tags_max, e.match, e.allow_any," \
	" e.instructions, e.instructions_html, e.matched_at, e.sent_at, e.signups_count FROM exchanges e"
#define SIGNUP_COLS "s.id, s.collection_id, s.user_id, u.name, s.pinch_hitter, s.created_at, s.updated_at" \
	" FROM signups s JOIN users u ON u.id = s.user_id"
#define ASSIGN_COLS "a.id, a.collection_id, IFNULL(a.giver_id, 0), IFNULL(a.recipient_id, 0)," \
	" IFNULL(a.request_signup_id, 0), IFNULL(a.offer_signup_id, 0), a.pinch_hit, IFNULL(a.defaulted_by, 0)," \
	" a.sent_at, a.defaulted_at, IFNULL(a.fulfilled_work_id, 0), a.created_at, g.name, r.name, d.name, c.name," \
	" c.title, w.title, IFNULL(e.assignments_due_at, 0)" \
	" FROM assignments a JOIN collections c ON c.id = a.collection_id" \
	" LEFT JOIN exchanges e ON e.collection_id = a.collection_id LEFT JOIN users g ON g.id = a.giver_id" \
	" LEFT JOIN users r ON r.id = a.recipient_id LEFT JOIN users d ON d.id = a.defaulted_by" \
	" LEFT JOIN works w ON w.id = a.fulfilled_work_id"
/* Inbox and outbox rows telling the givers of the assignments WHERE selects (?3: now). */
#define ASSIGN_INBOX(WHERE) "INSERT INTO inbox(user_id, kind, body, url, read, created_at)" \
	" SELECT a.giver_id, 'assignment', 'Your assignment in ' || c.title || ': a gift for ' || r.name," \
	" '/collections/' || c.name || '/assignments/' || a.id, 0, ?3 FROM assignments a" \
	" JOIN collections c ON c.id = a.collection_id JOIN users r ON r.id = a.recipient_id WHERE " WHERE \
	" AND a.giver_id IS NOT NULL"
#define ASSIGN_OUTBOX(WHERE) "INSERT INTO outbox(kind, user_id, ref_id, next_attempt_at, created_at)" \
	" SELECT 8, a.giver_id, a.id, ?3, ?3 FROM assignments a WHERE " WHERE " AND a.giver_id IS NOT NULL"

#define SQLS_EXCHANGE_STMTS(X) \
	X(SQL_EXCH_GET, "SELECT " EXCH_COLS " WHERE e.collection_id = ?1") \
	X(SQL_EXCH_SET, "INSERT INTO exchanges(collection_id, signups_open, signups_open_at, signups_close_at," \
		" assignments_due_at, requests_min, requests_max, offers_min, offers_max, tags_min, tags_max, match, allow_any," \
		" instructions, instructions_html) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)" \
		" ON CONFLICT(collection_id) DO UPDATE SET signups_open = excluded.signups_open," \
		" signups_open_at = excluded.signups_open_at, signups_close_at = excluded.signups_close_at," \
		" assignments_due_at = excluded.assignments_due_at, requests_min = excluded.requests_min," \
		" requests_max = excluded.requests_max, offers_min = excluded.offers_min, offers_max = excluded.offers_max," \
		" tags_min = excluded.tags_min, tags_max = excluded.tags_max, match = excluded.match," \
		" allow_any = excluded.allow_any, instructions = excluded.instructions," \
		" instructions_html = excluded.instructions_html") \
	X(SQL_EXCH_TAGS_CLEAR, "DELETE FROM exchange_tags WHERE collection_id = ?1 AND dim = ?2") \
	X(SQL_EXCH_TAG_ADD, "INSERT OR IGNORE INTO exchange_tags(collection_id, tag_id, dim) VALUES (?1, ?2, ?3)") \
	X(SQL_EXCH_TAGS, "SELECT t.name FROM exchange_tags x JOIN tags t ON t.id = x.tag_id" \
		" WHERE x.collection_id = ?1 AND x.dim = ?2 ORDER BY t.name COLLATE NOCASE") \
	X(SQL_EXCH_TAG_FIND, "SELECT x.tag_id FROM exchange_tags x JOIN tags t ON t.id = x.tag_id" \
		" WHERE x.collection_id = ?1 AND x.dim = ?2 AND t.norm = quire_tag_norm(?3)") \
	X(SQL_SIGNUP_UPSERT, "INSERT INTO signups(collection_id, user_id, pinch_hitter, created_at, updated_at)" \
		" VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(collection_id, user_id) DO UPDATE SET" \
		" pinch_hitter = excluded.pinch_hitter, updated_at = excluded.updated_at") \
	X(SQL_SIGNUP_ID, "SELECT id FROM signups WHERE collection_id = ?1 AND user_id = ?2") \
	X(SQL_SIGNUP_ITEMS_CLEAR, "DELETE FROM signup_items WHERE signup_id = ?1") \
	X(SQL_SIGNUP_ITEM_INSERT, "INSERT INTO signup_items(signup_id, kind, position, any_mask, description," \
		" description_html) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
	X(SQL_SIGNUP_ITEM_TAG, "INSERT OR IGNORE INTO signup_item_tags(item_id, tag_id, dim, position)" \
		" VALUES (?1, ?2, ?3, ?4)") \
	X(SQL_SIGNUP_GET, "SELECT " SIGNUP_COLS " WHERE s.id = ?1") \
	X(SQL_SIGNUP_GET_BY, "SELECT " SIGNUP_COLS " WHERE s.collection_id = ?1 AND s.user_id = ?2") \
	X(SQL_SIGNUP_ITEMS, "SELECT id, kind, any_mask, description, description_html FROM signup_items" \
		" WHERE signup_id = ?1 ORDER BY kind, position") \
	X(SQL_SIGNUP_ITEM_TAGS, "SELECT it.item_id, it.dim, t.id, t.name FROM signup_item_tags it" \
		" JOIN signup_items i ON i.id = it.item_id JOIN tags t ON t.id = it.tag_id WHERE i.signup_id = ?1" \
		" ORDER BY it.item_id, it.dim, it.position") \
	X(SQL_SIGNUP_DELETE, "DELETE FROM signups WHERE collection_id = ?1 AND user_id = ?2") \
	X(SQL_SIGNUPS_LIST, "SELECT " SIGNUP_COLS " WHERE s.collection_id = ?1 AND u.name > ?2 ORDER BY u.name LIMIT ?3") \
	X(SQL_SIGNUPS_MATCHING, "SELECT s.id, s.user_id, i.id, i.kind, i.any_mask, it.dim, it.tag_id FROM signups s" \
		" JOIN signup_items i ON i.signup_id = s.id LEFT JOIN signup_item_tags it ON it.item_id = i.id" \
		" WHERE s.collection_id = ?1 ORDER BY s.id, i.kind, i.position, i.id, it.dim, it.tag_id") \
	X(SQL_ASSIGN_DRAFTS_CLEAR, "DELETE FROM assignments WHERE collection_id = ?1 AND sent_at = 0") \
	X(SQL_ASSIGN_INSERT, "INSERT INTO assignments(collection_id, giver_id, recipient_id, request_signup_id," \
		" offer_signup_id, created_at) VALUES (?1, (SELECT user_id FROM signups WHERE id = ?3)," \
		" (SELECT user_id FROM signups WHERE id = ?2), ?2, NULLIF(?3, 0), ?4)") \
	X(SQL_EXCH_MATCHED, "UPDATE exchanges SET matched_at = ?2 WHERE collection_id = ?1") \
	X(SQL_ASSIGN_GET, "SELECT " ASSIGN_COLS " WHERE a.id = ?1") \
	X(SQL_ASSIGN_LIST, "SELECT " ASSIGN_COLS " WHERE a.collection_id = ?1 AND a.id > ?3 AND CASE ?2" \
		" WHEN 0 THEN 1 WHEN 1 THEN a.sent_at = 0 WHEN 2 THEN a.sent_at > 0" \
		" WHEN 3 THEN a.sent_at > 0 AND a.giver_id IS NULL AND a.fulfilled_work_id IS NULL" \
		" WHEN 4 THEN a.defaulted_at > 0 ELSE a.sent_at > 0 AND a.fulfilled_work_id IS NULL END" \
		" ORDER BY a.id LIMIT ?4") \
	X(SQL_ASSIGN_LIST_GIVER, "SELECT " ASSIGN_COLS " WHERE a.giver_id = ?1 AND a.sent_at > 0 AND a.id > ?2" \
		" ORDER BY a.id LIMIT ?3") \
	X(SQL_ASSIGN_SET_GIVER, "UPDATE assignments SET giver_id = NULLIF(?2, 0), offer_signup_id = NULLIF(?3, 0)," \
		" pinch_hit = ?4 WHERE id = ?1 AND fulfilled_work_id IS NULL") \
	X(SQL_ASSIGN_SEND, "UPDATE assignments SET sent_at = ?2 WHERE collection_id = ?1 AND sent_at = 0") \
	X(SQL_EXCH_SENT, "UPDATE exchanges SET sent_at = ?2 WHERE collection_id = ?1") \
	X(SQL_ASSIGN_SENT_INBOX, ASSIGN_INBOX("a.collection_id = ?1 AND a.sent_at = ?2")) \
	X(SQL_ASSIGN_SENT_OUTBOX, ASSIGN_OUTBOX("a.collection_id = ?1 AND a.sent_at = ?2")) \
	X(SQL_ASSIGN_ONE_INBOX, ASSIGN_INBOX("a.id = ?1 AND a.sent_at > 0 AND ?2 = ?2")) \
	X(SQL_ASSIGN_ONE_OUTBOX, ASSIGN_OUTBOX("a.id = ?1 AND a.sent_at > 0 AND ?2 = ?2")) \
	X(SQL_ASSIGN_DEFAULT, "UPDATE assignments SET defaulted_by = giver_id, giver_id = NULL, offer_signup_id = NULL," \
		" defaulted_at = ?3, pinch_hit = 0 WHERE id = ?1 AND giver_id = ?2 AND sent_at > 0 AND fulfilled_work_id IS NULL") \
	X(SQL_ASSIGN_FULFILL, "UPDATE assignments SET fulfilled_work_id = ?2 WHERE id = ?1") \
	X(SQL_ASSIGN_COLLECTION, "SELECT collection_id FROM assignments WHERE id = ?1")
#endif
