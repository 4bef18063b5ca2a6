/* The SQL of the site's pages, terms, news and invitations (sqlite_site.c): X(id, text) for each, joined to the
 * backend's statement table. Parameters are always bound. */
#ifndef QUIRE_STORE_SQLITE_SITE_SQL_H
#define QUIRE_STORE_SQLITE_SITE_SQL_H

#define SITE_PAGE_COLS "slug, title, body, body_html, version, in_footer, updated_at, updated_by"
#define NEWS_COLS "n.id, n.title, n.body, n.body_html, n.author_name, n.comments_open, n.published_at, n.updated_at," \
	" (SELECT COUNT(*) FROM site_news_comments c WHERE c.news_id = n.id AND c.state = 0)"
#define NEWS_COMMENT_COLS "c.id, c.news_id, IFNULL(c.user_id, 0), u.name, c.body, c.body_html, c.state, c.created_at" \
	" FROM site_news_comments c LEFT JOIN users u ON u.id = c.user_id"
#define INVITE_COLS "i.code, IFNULL(i.created_by, 0), cu.name, i.email, IFNULL(i.request_id, 0), i.created_at," \
	" IFNULL(i.used_by, 0), uu.name, IFNULL(i.used_at, 0) FROM invitations i" \
	" LEFT JOIN users cu ON cu.id = i.created_by LEFT JOIN users uu ON uu.id = i.used_by"
#define REQUEST_COLS "id, email, created_at, status, IFNULL(invited_at, 0), code FROM invite_requests"

#define SQLS_SITE_STATEMENTS(X) \
	X(SQL_SITE_PAGE_GET, "SELECT " SITE_PAGE_COLS " FROM site_pages WHERE slug = ?1") \
	X(SQL_SITE_PAGE_VERSION, "SELECT version FROM site_pages WHERE slug = ?1") \
	X(SQL_SITE_PAGE_INSERT, "INSERT INTO site_pages(slug, title, body, body_html, version, in_footer, updated_at," \
		" updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(slug) DO UPDATE SET title = excluded.title," \
		" body = excluded.body, body_html = excluded.body_html, version = excluded.version," \
		" in_footer = excluded.in_footer, updated_at = excluded.updated_at, updated_by = excluded.updated_by") \
	X(SQL_SITE_PAGE_VERSION_PUT, "INSERT INTO site_page_versions(slug, version, title, body, body_html, created_at," \
		" created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(slug, version) DO UPDATE SET" \
		" title = excluded.title, body = excluded.body, body_html = excluded.body_html," \
		" created_at = excluded.created_at, created_by = excluded.created_by") \
	X(SQL_SITE_PAGES_LIST, "SELECT " SITE_PAGE_COLS " FROM site_pages ORDER BY slug LIMIT 500") \
	X(SQL_SITE_PAGE_DELETE, "DELETE FROM site_pages WHERE slug = ?1") \
	X(SQL_POLICY_ACCEPT, "INSERT INTO user_policy(user_id, version, accepted_at) VALUES (?1, ?2, ?3)" \
		" ON CONFLICT(user_id) DO UPDATE SET version = excluded.version, accepted_at = excluded.accepted_at") \
	\
	X(SQL_NEWS_INSERT, "INSERT INTO site_news(title, body, body_html, author_id, author_name, comments_open," \
		" published_at, updated_at) VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5, ?6, ?7, ?7)") \
	X(SQL_NEWS_UPDATE, "UPDATE site_news SET title = ?2, body = ?3, body_html = ?4, comments_open = ?5, updated_at = ?6" \
		" WHERE id = ?1") \
	X(SQL_NEWS_DELETE, "DELETE FROM site_news WHERE id = ?1") \
	X(SQL_NEWS_GET, "SELECT " NEWS_COLS " FROM site_news n WHERE n.id = ?1") \
	X(SQL_NEWS_LIST, "SELECT " NEWS_COLS " FROM site_news n WHERE ?1 = 0 OR (n.published_at, n.id) <" \
		" (SELECT published_at, id FROM site_news WHERE id = ?1) ORDER BY n.published_at DESC, n.id DESC LIMIT ?2") \
	X(SQL_NEWS_COMMENT_INSERT, "INSERT INTO site_news_comments(news_id, user_id, body, body_html, state, created_at)" \
		" VALUES (?1, NULLIF(?2, 0), ?3, ?4, 0, ?5)") \
	X(SQL_NEWS_COMMENTS, "SELECT " NEWS_COMMENT_COLS " WHERE c.news_id = ?1 ORDER BY c.id LIMIT ?2") \
	X(SQL_NEWS_COMMENT_GET, "SELECT " NEWS_COMMENT_COLS " WHERE c.id = ?1") \
	X(SQL_NEWS_COMMENT_STATE, "UPDATE site_news_comments SET state = ?2, body = CASE WHEN ?2 = 3 THEN '' ELSE body END," \
		" body_html = CASE WHEN ?2 = 3 THEN '' ELSE body_html END WHERE id = ?1") \
	\
	X(SQL_INVITE_INSERT, "INSERT INTO invitations(code, created_by, email, request_id, created_at)" \
		" VALUES (?1, NULLIF(?2, 0), ?3, NULLIF(?4, 0), ?5)") \
	X(SQL_INVITE_GET, "SELECT " INVITE_COLS " WHERE i.code = ?1") \
	X(SQL_INVITE_USE, "UPDATE invitations SET used_by = ?2, used_at = ?3 WHERE code = ?1 AND used_by IS NULL" \
		" AND used_at IS NULL") \
	X(SQL_INVITE_EXISTS, "SELECT 1 FROM invitations WHERE code = ?1") \
	X(SQL_INVITES_OF, "SELECT " INVITE_COLS " WHERE i.created_by = ?1 ORDER BY i.created_at DESC LIMIT ?2") \
	X(SQL_INVITES_ALL, "SELECT " INVITE_COLS " ORDER BY i.created_at DESC LIMIT ?2") \
	X(SQL_INVITES_COUNT, "SELECT (SELECT COUNT(*) FROM invitations WHERE created_by = ?1 AND used_at IS NULL)," \
		" (SELECT COUNT(*) FROM invitations WHERE created_by = ?1 AND created_at >= ?2)") \
	X(SQL_INVITE_REQUEST_INSERT, "INSERT INTO invite_requests(email, created_at) VALUES (?1, ?2)") \
	X(SQL_INVITE_REQUEST_AHEAD, "SELECT COUNT(*) FROM invite_requests WHERE status = 0 AND id < ?1") \
	X(SQL_INVITE_REQUESTS, "SELECT " REQUEST_COLS " WHERE status = ?1 AND id > ?2 ORDER BY id LIMIT ?3") \
	X(SQL_INVITE_REQUESTS_COUNT, "SELECT (SELECT COUNT(*) FROM invite_requests WHERE status = 0)," \
		" (SELECT COUNT(*) FROM invite_requests WHERE invited_at >= ?1)") \
	X(SQL_MUTE_ADD, "INSERT INTO mutes(user_id, kind, target, created_at) VALUES (?1, ?2, ?3, ?4)" \
		" ON CONFLICT(user_id, kind, target) DO NOTHING") \
	X(SQL_MUTE_DEL, "DELETE FROM mutes WHERE user_id = ?1 AND kind = ?2 AND target = ?3") \
	X(SQL_MUTE_COUNT, "SELECT COUNT(*) FROM mutes WHERE user_id = ?1") \
	X(SQL_MUTES_LIST, "SELECT m.kind, m.target, CASE m.kind WHEN 1 THEN u.name ELSE t.name END, IFNULL(t.type, 0)," \
		" m.created_at FROM mutes m LEFT JOIN users u ON m.kind = 1 AND u.id = m.target" \
		" LEFT JOIN tags t ON m.kind = 2 AND t.id = m.target WHERE m.user_id = ?1 ORDER BY m.kind, m.created_at DESC") \
	X(SQL_INVITE_REQUEST_MARK, "UPDATE invite_requests SET status = ?2, code = ?3," \
		" invited_at = CASE WHEN ?2 = 1 THEN ?4 ELSE invited_at END WHERE id = ?1 AND status = 0")
#endif
