/* The SQL of prompt memes (sqlite/prompt.c), as X(id, text) lines: int.h makes the ids, sql.c the texts. */
#ifndef QUIRE_STORE_SQLITE_PROMPT_SQL_H
#define QUIRE_STORE_SQLITE_PROMPT_SQL_H

#define PROMPT_COLS "p.id, p.collection_id, IFNULL(p.user_id, 0), p.anonymous, p.title, p.description," \
	" p.description_html, p.claims_count, p.fills_count, p.created_at, u.name, c.name, c.title" \
	" FROM prompts p JOIN collections c ON c.id = p.collection_id LEFT JOIN users u ON u.id = p.user_id"
#define PROMPT_CLAIM_COLS "pc.prompt_id, pc.user_id, u.name, pc.created_at, IFNULL(pc.work_id, 0), p.title, c.name" \
	" FROM prompt_claims pc JOIN users u ON u.id = pc.user_id JOIN prompts p ON p.id = pc.prompt_id" \
	" JOIN collections c ON c.id = p.collection_id"
#define PROMPT_FILL_COLS "f.prompt_id, f.work_id, IFNULL(f.user_id, 0), f.created_at, w.title," \
	" w.draft = 0 AND w.unrevealed = 0, w.restricted, p.title, u.name, c.name, c.title, p.anonymous," \
	" IFNULL(p.user_id, 0) FROM prompt_fills f JOIN works w ON w.id = f.work_id JOIN prompts p ON p.id = f.prompt_id" \
	" JOIN collections c ON c.id = p.collection_id LEFT JOIN users u ON u.id = p.user_id"

#define SQLS_PROMPT_STMTS(X) \
	X(SQL_PROMPT_INSERT, "INSERT INTO prompts(collection_id, user_id, anonymous, title, description, description_html," \
		" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
	X(SQL_PROMPT_TAG_ADD, "INSERT OR IGNORE INTO prompt_tags(prompt_id, tag_id, dim, position) VALUES (?1, ?2, ?3, ?4)") \
	X(SQL_PROMPT_GET, "SELECT " PROMPT_COLS " WHERE p.id = ?1") \
	X(SQL_PROMPT_TAGS, "SELECT pt.dim, t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id" \
		" WHERE pt.prompt_id = ?1 ORDER BY pt.dim, pt.position") \
	X(SQL_PROMPT_COLLECTION, "SELECT collection_id FROM prompts WHERE id = ?1") \
	X(SQL_PROMPT_FILL_WORKS, "SELECT work_id FROM prompt_fills WHERE prompt_id = ?1") \
	X(SQL_PROMPT_DELETE, "DELETE FROM prompts WHERE id = ?1") \
	/* ?4: enum prompt_state; ?5: a tag name or ''. */ \
	X(SQL_PROMPTS_LIST, "SELECT " PROMPT_COLS " WHERE p.collection_id = ?1 AND (?2 = 0 OR p.id < ?2)" \
		" AND (?3 = 0 OR p.user_id = ?3) AND (?4 = 0 OR (?4 = 1 AND p.fills_count = 0)" \
		" OR (?4 = 2 AND p.fills_count > 0) OR (?4 = 3 AND p.claims_count = 0) OR (?4 = 4 AND p.claims_count > 0))" \
		" AND (?5 = '' OR EXISTS (SELECT 1 FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id" \
		" WHERE pt.prompt_id = p.id AND t.norm = quire_tag_norm(?5)))" \
		" ORDER BY p.id DESC LIMIT ?6") \
	X(SQL_PROMPTS_COUNT, "SELECT count(*) FROM prompts WHERE collection_id = ?1 AND (?2 = 0 OR user_id = ?2)") \
	X(SQL_PROMPT_CLAIM, "INSERT INTO prompt_claims(prompt_id, user_id, created_at) VALUES (?1, ?2, ?3)") \
	X(SQL_PROMPT_CLAIMED, "SELECT count(*) FROM prompt_claims WHERE prompt_id = ?1 AND user_id = ?2") \
	X(SQL_PROMPT_UNCLAIM, "DELETE FROM prompt_claims WHERE prompt_id = ?1 AND user_id = ?2") \
	X(SQL_PROMPT_CLAIMS, "SELECT " PROMPT_CLAIM_COLS " WHERE pc.prompt_id = ?1 ORDER BY pc.created_at, pc.user_id" \
		" LIMIT 500") \
	X(SQL_PROMPT_CLAIMS_USER, "SELECT " PROMPT_CLAIM_COLS " WHERE pc.user_id = ?1 AND (?2 = 0 OR p.collection_id = ?2)" \
		" ORDER BY pc.created_at DESC, pc.prompt_id DESC LIMIT 500") \
	X(SQL_PROMPT_FILL_INSERT, "INSERT OR IGNORE INTO prompt_fills(prompt_id, work_id, user_id, created_at)" \
		" VALUES (?1, ?2, ?3, ?4)") \
	X(SQL_PROMPT_CLAIM_FULFILL, "UPDATE prompt_claims SET work_id = ?3 WHERE prompt_id = ?1 AND user_id = ?2" \
		" AND work_id IS NULL") \
	X(SQL_PROMPT_FILLS, "SELECT " PROMPT_FILL_COLS " WHERE f.prompt_id = ?1 ORDER BY f.created_at, f.work_id LIMIT 500") \
	X(SQL_WORK_PROMPTS, "SELECT " PROMPT_FILL_COLS " WHERE f.work_id = ?1 ORDER BY f.created_at, f.prompt_id LIMIT 50")
#endif
