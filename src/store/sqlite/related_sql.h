/* The SQL of related works (sqlite/related.c), as X(id, text) lines: int.h makes the ids, sql.c the texts. */
#ifndef QUIRE_STORE_SQLITE_RELATED_SQL_H
#define QUIRE_STORE_SQLITE_RELATED_SQL_H

/* A relation with the other work of the pair (joined as o) and its owner. */
#define RELATION_COLS(O) "r.id, r.work_id, r.kind, IFNULL(r.parent_id, 0), r.url, r.title, r.author, r.approved," \
	" r.created_at, o.title, ou.name, IFNULL(oc.user_id, 0), o.draft = 0 AND o.unrevealed = 0, o.restricted," \
	" o.anonymous FROM work_relations r LEFT JOIN works o ON o.id = " O \
	" LEFT JOIN work_creators oc ON oc.work_id = o.id AND oc.position = 0 LEFT JOIN users ou ON ou.id = oc.user_id"

#define SQLS_RELATED_STMTS(X) \
	X(SQL_REL_OLD, "SELECT id, IFNULL(parent_id, 0), approved FROM work_relations WHERE work_id = ?1") \
	X(SQL_REL_DELETE, "DELETE FROM work_relations WHERE id = ?1") \
	X(SQL_REL_KEEP, "UPDATE work_relations SET kind = ?2, position = ?3 WHERE id = ?1") \
	X(SQL_REL_INSERT, "INSERT INTO work_relations(id, work_id, kind, parent_id, url, title, author, position," \
		" approved, created_at) VALUES (NULL, ?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, ?7, 0, ?8)") \
	X(SQL_REL_OF, "SELECT " RELATION_COLS("r.parent_id") " WHERE r.work_id = ?1 ORDER BY r.position LIMIT 50") \
	X(SQL_REL_TO, "SELECT " RELATION_COLS("r.work_id") " WHERE r.parent_id = ?1 AND (?2 OR r.approved)" \
		" ORDER BY r.id DESC LIMIT 500") \
	X(SQL_REL_APPROVE, "UPDATE work_relations SET approved = ?3 WHERE id = ?1 AND parent_id = ?2") \
	X(SQL_REL_CHILD, "SELECT work_id FROM work_relations WHERE id = ?1")
#endif
