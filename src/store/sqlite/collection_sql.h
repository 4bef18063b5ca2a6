/* The SQL of collections and gifts (sqlite/collection.c), as X(id, text) lines: int.h makes the ids, sql.c the
 * texts. Parameters are always bound. */
#ifndef QUIRE_STORE_SQLITE_COLLECTION_SQL_H
#define QUIRE_STORE_SQLITE_COLLECTION_SQL_H

#define COLL_COLS "c.id, c.name, c.title, IFNULL(c.parent_id, 0), p.name, p.title, c.description, c.description_html," \
	" c.intro, c.intro_html, c.rules, c.rules_html, c.faq, c.faq_html, c.closed, c.moderated, c.unrevealed," \
	" c.anonymous, c.reveal_at, c.reveal_creators_at, c.challenge, c.created_at, c.updated_at, c.items_count" \
	" FROM collections c LEFT JOIN collections p ON p.id = c.parent_id"
#define COLL_ITEM_COLS "i.collection_id, i.work_id, i.by_collection, i.by_creator, IFNULL(i.added_by, 0)," \
	" i.created_at, c.name, c.title, w.title, c.unrevealed, c.anonymous, c.moderated, c.closed, c.challenge" \
	" FROM collection_items i JOIN collections c ON c.id = i.collection_id JOIN works w ON w.id = i.work_id"
/* An item counts (for the work's flags) once its creator approved and the collection did not refuse. */
#define COLL_COUNTS "i.by_creator = 1 AND i.by_collection >= 0"
#define COLL_FLAG(F) "EXISTS (SELECT 1 FROM collection_items i JOIN collections c ON c.id = i.collection_id" \
	" WHERE i.work_id = ?1 AND " COLL_COUNTS " AND c." F " = 1)"
#define GIFT_COLS "g.id, g.work_id, IFNULL(g.user_id, 0), g.name, g.refused, g.created_at, w.title, ou.name," \
	" IFNULL(ou.id, 0), w.draft, w.restricted, w.unrevealed, w.anonymous, w.updated_at" \
	" FROM gifts g JOIN works w ON w.id = g.work_id LEFT JOIN work_creators oc ON oc.work_id = w.id" \
	" AND oc.position = 0 LEFT JOIN users ou ON ou.id = oc.user_id"

#define SQLS_COLLECTION_STMTS(X) \
	X(SQL_COLL_INSERT, "INSERT INTO collections(name, title, parent_id, description, description_html, intro," \
		" intro_html, rules, rules_html, faq, faq_html, closed, moderated, unrevealed, anonymous, reveal_at," \
		" reveal_creators_at, challenge, created_at, updated_at)" \
		" VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)") \
	/* 1 when id is a top-level collection, 0 when it is a subcollection; no row when missing. */ \
	X(SQL_COLL_TOP_LEVEL, "SELECT parent_id IS NULL FROM collections WHERE id = ?1") \
	X(SQL_COLL_HAS_CHILDREN, "SELECT EXISTS (SELECT 1 FROM collections WHERE parent_id = ?1)") \
	X(SQL_COLL_UPDATE, "UPDATE collections SET title = ?2, parent_id = NULLIF(?3, 0), description = ?4," \
		" description_html = ?5, intro = ?6, intro_html = ?7, rules = ?8, rules_html = ?9, faq = ?10, faq_html = ?11," \
		" closed = ?12, moderated = ?13, unrevealed = ?14, anonymous = ?15, reveal_at = ?16, reveal_creators_at = ?17," \
		" challenge = ?18, updated_at = ?19 WHERE id = ?1") \
	X(SQL_COLL_DELETE, "DELETE FROM collections WHERE id = ?1") \
	X(SQL_COLL_ITEMS_DELETE, "DELETE FROM collection_items WHERE collection_id = ?1") \
	X(SQL_COLL_GET, "SELECT " COLL_COLS " WHERE c.id = ?1") \
	X(SQL_COLL_GET_NAME, "SELECT " COLL_COLS " WHERE c.name = ?1") \
	X(SQL_COLL_LIST, "SELECT " COLL_COLS " WHERE (?1 < 0 OR (?1 = 0 AND c.parent_id IS NULL) OR c.parent_id = ?1)" \
		" AND (?2 < 0 OR c.closed = (?2 = 0)) AND (?3 < 0 OR c.challenge = ?3)" \
		" AND (?4 = 0 OR EXISTS (SELECT 1 FROM collection_members m WHERE m.collection_id = c.id AND m.user_id = ?4))" \
		" AND c.name > ?5 ORDER BY c.name LIMIT ?6") \
	X(SQL_COLL_MEMBER_SET, "INSERT INTO collection_members(collection_id, user_id, role, created_at)" \
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT(collection_id, user_id) DO UPDATE SET role = excluded.role") \
	X(SQL_COLL_MEMBER_DELETE, "DELETE FROM collection_members WHERE collection_id = ?1 AND user_id = ?2") \
	X(SQL_COLL_OWNERS, "SELECT COUNT(*) FROM collection_members WHERE collection_id = ?1 AND role = 2") \
	/* The role here, or a moderator's or owner's in the parent collection. */ \
	X(SQL_COLL_MEMBER_ROLE, "SELECT MAX(role) FROM (SELECT role FROM collection_members WHERE collection_id = ?1" \
		" AND user_id = ?2 UNION ALL SELECT m.role FROM collection_members m JOIN collections c" \
		" ON c.parent_id = m.collection_id WHERE c.id = ?1 AND m.user_id = ?2 AND m.role >= 1)") \
	X(SQL_COLL_MEMBERS, "SELECT m.user_id, u.name, m.role, m.created_at FROM collection_members m" \
		" JOIN users u ON u.id = m.user_id WHERE m.collection_id = ?1 AND m.role >= ?2 AND u.name > ?3" \
		" ORDER BY u.name LIMIT ?4") \
	X(SQL_COLL_ITEM_SET, "INSERT INTO collection_items(collection_id, work_id, by_collection, by_creator, added_by," \
		" created_at) VALUES (?1, ?2, ?3, ?4, NULLIF(?5, 0), ?6) ON CONFLICT(collection_id, work_id)" \
		" DO UPDATE SET by_collection = excluded.by_collection, by_creator = excluded.by_creator") \
	X(SQL_COLL_ITEM_DELETE, "DELETE FROM collection_items WHERE collection_id = ?1 AND work_id = ?2") \
	X(SQL_COLL_WORK_IDS, "SELECT work_id FROM collection_items WHERE collection_id = ?1") \
	/* A work's flags now, and as its collections say they should be. */ \
	X(SQL_COLL_WORK_FLAGS, "SELECT anonymous, unrevealed, " COLL_FLAG("anonymous") ", " COLL_FLAG("unrevealed") \
		" FROM works WHERE id = ?1") \
	X(SQL_COLL_WORK_SET_FLAGS, "UPDATE works SET anonymous = ?2, unrevealed = ?3 WHERE id = ?1") \
	X(SQL_COLL_ITEMS_OF_WORK, "SELECT " COLL_ITEM_COLS " WHERE i.work_id = ?1 ORDER BY c.name") \
	X(SQL_COLL_ITEMS, "SELECT " COLL_ITEM_COLS " WHERE i.collection_id = ?1 AND CASE ?2" \
		" WHEN 0 THEN i.by_collection = 1 AND i.by_creator = 1" \
		" WHEN 1 THEN i.by_collection = 0 AND i.by_creator = 1" \
		" WHEN 2 THEN i.by_collection = 1 AND i.by_creator = 0" \
		" ELSE i.by_collection = -1 OR i.by_creator = -1 END" \
		" AND i.work_id < ?3 ORDER BY i.work_id DESC LIMIT ?4") \
	X(SQL_COLL_REVEAL, "UPDATE collections SET unrevealed = CASE WHEN ?2 THEN 0 ELSE unrevealed END," \
		" reveal_at = CASE WHEN ?2 THEN 0 ELSE reveal_at END, anonymous = CASE WHEN ?3 THEN 0 ELSE anonymous END," \
		" reveal_creators_at = CASE WHEN ?3 THEN 0 ELSE reveal_creators_at END, updated_at = ?4 WHERE id = ?1") \
	X(SQL_COLL_REVEAL_DUE, "SELECT id FROM collections WHERE unrevealed = 1 AND reveal_at > 0 AND reveal_at <= ?1" \
		" UNION SELECT id FROM collections WHERE anonymous = 1 AND reveal_creators_at > 0" \
		" AND reveal_creators_at <= ?1") \
	X(SQL_GIFTS_OF_WORK, "SELECT " GIFT_COLS " WHERE g.work_id = ?1 ORDER BY g.position, g.id") \
	X(SQL_GIFT_INSERT, "INSERT INTO gifts(work_id, user_id, name, position, refused, created_at)" \
		" VALUES (?1, NULLIF(?2, 0), ?3, ?4, 0, ?5)") \
	X(SQL_GIFT_KEEP, "UPDATE gifts SET user_id = NULLIF(?2, 0), name = ?3, position = ?4 WHERE id = ?1") \
	X(SQL_GIFT_DELETE, "DELETE FROM gifts WHERE id = ?1") \
	X(SQL_GIFTS_OF_USER, "SELECT " GIFT_COLS " WHERE g.user_id = ?1 AND (?2 OR g.refused = 0) AND g.id < ?3" \
		" ORDER BY g.id DESC LIMIT ?4") \
	X(SQL_GIFT_REFUSE, "UPDATE gifts SET refused = ?3 WHERE id = ?1 AND user_id = ?2") \
	X(SQL_GIFT_WORK, "SELECT work_id FROM gifts WHERE id = ?1")
#endif
