/* PostgreSQL backend: the site's own pages (every version kept), who accepted the terms, news and its comments,
 * invitation codes and the queue of people asking for one, mutes. As sqlite/site.c. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

#define SITE_PAGE_COLS "slug, title, body, body_html, version, in_footer, updated_at, updated_by"
#define NEWS_COLS "n.id, n.title, n.body, n.body_html, n.author_name, n.comments_open, n.published_at, n.updated_at," \
	" (SELECT COUNT(*) FROM site_news_comments c WHERE c.news_id = n.id AND c.state = 0)"
#define NEWS_COMMENT_COLS "c.id, c.news_id, coalesce(c.user_id, 0), u.name, c.body, c.body_html, c.state," \
	" c.created_at FROM site_news_comments c LEFT JOIN users u ON u.id = c.user_id"
#define INVITE_COLS "i.code, coalesce(i.created_by, 0), cu.name, i.email, coalesce(i.request_id, 0), i.created_at," \
	" coalesce(i.used_by, 0), uu.name, coalesce(i.used_at, 0) FROM invitations i" \
	" LEFT JOIN users cu ON cu.id = i.created_by LEFT JOIN users uu ON uu.id = i.used_by"
#define REQUEST_COLS "id, email, created_at, status, coalesce(invited_at, 0), code FROM invite_requests"

static struct pg_stmt SITE_PAGE_GET = PG_STMT("SELECT " SITE_PAGE_COLS " FROM site_pages WHERE slug = $1");
static struct pg_stmt SITE_PAGE_VERSION = PG_STMT("SELECT version FROM site_pages WHERE slug = $1");
static struct pg_stmt SITE_PAGE_INSERT = PG_STMT("INSERT INTO site_pages(slug, title, body, body_html, version,"
	" in_footer, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO UPDATE SET"
	" title = excluded.title, body = excluded.body, body_html = excluded.body_html, version = excluded.version,"
	" in_footer = excluded.in_footer, updated_at = excluded.updated_at, updated_by = excluded.updated_by");
static struct pg_stmt SITE_PAGE_VERSION_PUT = PG_STMT("INSERT INTO site_page_versions(slug, version, title, body,"
	" body_html, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug, version) DO UPDATE SET"
	" title = excluded.title, body = excluded.body, body_html = excluded.body_html,"
	" created_at = excluded.created_at, created_by = excluded.created_by");
static struct pg_stmt SITE_PAGES_LIST = PG_STMT("SELECT " SITE_PAGE_COLS " FROM site_pages ORDER BY slug LIMIT 500");
static struct pg_stmt SITE_PAGE_DELETE = PG_STMT("DELETE FROM site_pages WHERE slug = $1");
static struct pg_stmt POLICY_ACCEPT = PG_STMT("INSERT INTO user_policy(user_id, version, accepted_at) VALUES ($1, $2, $3)"
	" ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, accepted_at = excluded.accepted_at");

static struct pg_stmt NEWS_INSERT = PG_STMT("INSERT INTO site_news(title, body, body_html, author_id, author_name,"
	" comments_open, published_at, updated_at) VALUES ($1, $2, $3, NULLIF($4::bigint, 0), $5, $6, $7, $7) RETURNING id");
static struct pg_stmt NEWS_UPDATE = PG_STMT("UPDATE site_news SET title = $2, body = $3, body_html = $4,"
	" comments_open = $5, updated_at = $6 WHERE id = $1");
static struct pg_stmt NEWS_DELETE = PG_STMT("DELETE FROM site_news WHERE id = $1");
static struct pg_stmt NEWS_GET = PG_STMT("SELECT " NEWS_COLS " FROM site_news n WHERE n.id = $1");
static struct pg_stmt NEWS_LIST = PG_STMT("SELECT " NEWS_COLS " FROM site_news n WHERE $1::bigint = 0"
	" OR (n.published_at, n.id) < (SELECT published_at, id FROM site_news WHERE id = $1)"
	" ORDER BY n.published_at DESC, n.id DESC LIMIT $2");
static struct pg_stmt NEWS_COMMENT_INSERT = PG_STMT("INSERT INTO site_news_comments(news_id, user_id, body, body_html,"
	" state, created_at) VALUES ($1, NULLIF($2::bigint, 0), $3, $4, 0, $5) RETURNING id");
static struct pg_stmt NEWS_COMMENTS = PG_STMT("SELECT " NEWS_COMMENT_COLS " WHERE c.news_id = $1 ORDER BY c.id LIMIT $2");
static struct pg_stmt NEWS_COMMENT_GET = PG_STMT("SELECT " NEWS_COMMENT_COLS " WHERE c.id = $1");
static struct pg_stmt NEWS_COMMENT_STATE = PG_STMT("UPDATE site_news_comments SET state = $2,"
	" body = CASE WHEN $2 = 3 THEN '' ELSE body END, body_html = CASE WHEN $2 = 3 THEN '' ELSE body_html END"
	" WHERE id = $1");

static struct pg_stmt INVITE_INSERT = PG_STMT("INSERT INTO invitations(code, created_by, email, request_id, created_at)"
	" VALUES ($1, NULLIF($2::bigint, 0), $3, NULLIF($4::bigint, 0), $5)");
static struct pg_stmt INVITE_GET = PG_STMT("SELECT " INVITE_COLS " WHERE i.code = $1");
static struct pg_stmt INVITE_USE = PG_STMT("UPDATE invitations SET used_by = $2, used_at = $3 WHERE code = $1"
	" AND used_by IS NULL AND used_at IS NULL");
static struct pg_stmt INVITE_EXISTS = PG_STMT("SELECT 1 FROM invitations WHERE code = $1");
static struct pg_stmt INVITES_OF = PG_STMT("SELECT " INVITE_COLS " WHERE i.created_by = $1"
	" ORDER BY i.created_at DESC LIMIT $2");
static struct pg_stmt INVITES_ALL = PG_STMT("SELECT " INVITE_COLS " ORDER BY i.created_at DESC LIMIT $1");
static struct pg_stmt INVITES_COUNT = PG_STMT("SELECT (SELECT COUNT(*) FROM invitations WHERE created_by = $1"
	" AND used_at IS NULL), (SELECT COUNT(*) FROM invitations WHERE created_by = $1 AND created_at >= $2)");
static struct pg_stmt INVITE_REQUEST_INSERT = PG_STMT("INSERT INTO invite_requests(email, created_at) VALUES ($1, $2)"
	" RETURNING id");
static struct pg_stmt INVITE_REQUEST_AHEAD = PG_STMT("SELECT COUNT(*) FROM invite_requests WHERE status = 0 AND id < $1");
static struct pg_stmt INVITE_REQUESTS = PG_STMT("SELECT " REQUEST_COLS " WHERE status = $1 AND id > $2 ORDER BY id"
	" LIMIT $3");
static struct pg_stmt INVITE_REQUESTS_COUNT = PG_STMT("SELECT (SELECT COUNT(*) FROM invite_requests WHERE status = 0),"
	" (SELECT COUNT(*) FROM invite_requests WHERE invited_at >= $1)");
static struct pg_stmt INVITE_REQUEST_MARK = PG_STMT("UPDATE invite_requests SET status = $2, code = $3,"
	" invited_at = CASE WHEN $2 = 1 THEN $4 ELSE invited_at END WHERE id = $1 AND status = 0");

static struct pg_stmt MUTE_ADD = PG_STMT("INSERT INTO mutes(user_id, kind, target, created_at) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (user_id, kind, target) DO NOTHING");
static struct pg_stmt MUTE_DEL = PG_STMT("DELETE FROM mutes WHERE user_id = $1 AND kind = $2 AND target = $3");
static struct pg_stmt MUTE_COUNT = PG_STMT("SELECT COUNT(*) FROM mutes WHERE user_id = $1");
static struct pg_stmt MUTES_LIST = PG_STMT("SELECT m.kind, m.target, CASE m.kind WHEN 1 THEN u.name ELSE t.name END,"
	" coalesce(t.type, 0), m.created_at FROM mutes m LEFT JOIN users u ON m.kind = 1 AND u.id = m.target"
	" LEFT JOIN tags t ON m.kind = 2 AND t.id = m.target WHERE m.user_id = $1 ORDER BY m.kind, m.created_at DESC");

/* One row of stmt into out with fn; Q_ENOTFOUND when there is none. */
static int one_row(struct pgc *c, struct arena *a, pgs_row_fn *fn, void *out, struct pg_stmt *stmt, const char *fmt,
                   ...)
{
	int rc = 0;
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pgs_vquery(c, stmt, &rc, fmt, ap);
	va_end(ap);
	if (r && PQntuples(r) == 0)
		rc = Q_ENOTFOUND;
	else if (r)
		fn(a, r, 0, out);
	PQclear(r);
	return rc;
}

/* ---- Pages and the terms ---------------------------------------------------------------------- */

static void page_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct site_page *p = item;
	p->slug = pgs_text(a, r, row, 0);
	p->title = pgs_text(a, r, row, 1);
	p->body = pgs_text(a, r, row, 2);
	p->body_html = pgs_text(a, r, row, 3);
	p->version = pgs_int(r, row, 4);
	p->in_footer = pgs_int(r, row, 5) != 0;
	p->updated_at = pgs_int(r, row, 6);
	p->updated_by = pgs_text(a, r, row, 7);
}

int pgs_site_page_get(struct store *st, struct arena *a, const char *slug, struct site_page *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, page_from_row, out, &SITE_PAGE_GET, "t", slug ? slug : "");
	}
	return rc;
}

int pgs_site_page_put(struct store *st, const struct site_page *p, bool new_version, int64_t *version)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!p || !p->slug || !p->title || !p->body || !p->body_html || !p->updated_by)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t v = 0, now = pgs_now();
		rc = pgs_query_int(c, &v, &SITE_PAGE_VERSION, "t", p->slug);
		if (rc == Q_ENOTFOUND) {
			v = 1;
			rc = 0;
		} else if (rc == 0 && new_version) {
			v++;
		}
		if (rc == 0)
			rc = pgs_exec(c, &SITE_PAGE_INSERT, "ssssIiIs", p->slug, p->title, p->body, p->body_html, v,
			              (int)p->in_footer, now, p->updated_by);
		if (rc == 0)
			rc = pgs_exec(c, &SITE_PAGE_VERSION_PUT, "sIsssIs", p->slug, v, p->title, p->body, p->body_html, now,
			              p->updated_by);
		if (rc == 0)
			pgs_note_all(s); /* the footer of every page lists the pages */
		if (rc == 0 && version)
			*version = v;
	}
	return rc;
}

int pgs_site_pages_list(struct store *st, struct arena *a, struct site_page **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SITE_PAGES_LIST, &rc, "");
		rc = pgs_rows(a, r, rc, sizeof **out, page_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_site_page_delete(struct store *st, const char *slug)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SITE_PAGE_DELETE, "t", slug ? slug : "");
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			pgs_note_all(s);
	}
	return rc;
}

int pgs_policy_accept(struct store *st, int64_t user_id, int64_t version)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &POLICY_ACCEPT, "III", user_id, version, pgs_now());
	}
	return rc;
}

/* ---- News ------------------------------------------------------------------------------------- */

static void news_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct news_post *p = item;
	p->id = pgs_int(r, row, 0);
	p->title = pgs_text(a, r, row, 1);
	p->body = pgs_text(a, r, row, 2);
	p->body_html = pgs_text(a, r, row, 3);
	p->author_name = pgs_text(a, r, row, 4);
	p->comments_open = pgs_int(r, row, 5) != 0;
	p->published_at = pgs_int(r, row, 6);
	p->updated_at = pgs_int(r, row, 7);
	p->comments = pgs_int(r, row, 8);
}

int pgs_news_create(struct store *st, const struct news_post *p, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!p || !p->title || !p->body || !p->body_html || !p->author_name)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &NEWS_INSERT, "sssIsiI", p->title, p->body, p->body_html, (int64_t)0,
		                   p->author_name, (int)p->comments_open, pgs_now());
		if (rc == 0 && id)
			*id = new_id;
		if (rc == 0)
			pgs_note_all(s); /* the news page, its feed and the home page's headline */
	}
	return rc;
}

int pgs_news_update(struct store *st, const struct news_post *p)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!p || !p->title || !p->body || !p->body_html)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &NEWS_UPDATE, "IsssiI", p->id, p->title, p->body, p->body_html, (int)p->comments_open,
		              pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			pgs_note_all(s);
	}
	return rc;
}

int pgs_news_delete(struct store *st, int64_t id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &NEWS_DELETE, "I", id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			pgs_note_all(s);
	}
	return rc;
}

int pgs_news_get(struct store *st, struct arena *a, int64_t id, struct news_post *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, news_from_row, out, &NEWS_GET, "I", id);
	}
	return rc;
}

int pgs_news_list(struct store *st, struct arena *a, int64_t before_id, int limit, struct news_post **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &NEWS_LIST, &rc, "Ii", before_id, limit > 0 && limit <= 100 ? limit : 20);
		rc = pgs_rows(a, r, rc, sizeof **out, news_from_row, (void **)out, n);
	}
	return rc;
}

static void news_comment_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct news_comment *nc = item;
	nc->id = pgs_int(r, row, 0);
	nc->news_id = pgs_int(r, row, 1);
	nc->user_id = pgs_int(r, row, 2);
	nc->user_name = pgs_text(a, r, row, 3);
	nc->body = pgs_text(a, r, row, 4);
	nc->body_html = pgs_text(a, r, row, 5);
	nc->state = (int)pgs_int(r, row, 6);
	nc->created_at = pgs_int(r, row, 7);
}

int pgs_news_comment_add(struct store *st, const struct news_comment *nc, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!nc || !nc->body || !nc->body_html)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &NEWS_COMMENT_INSERT, "IIssI", nc->news_id, nc->user_id, nc->body,
		                   nc->body_html, pgs_now());
		if (rc == 0 && id)
			*id = new_id;
		if (rc == 0)
			pgs_note_all(s);
	}
	return rc;
}

int pgs_news_comments(struct store *st, struct arena *a, int64_t news_id, int limit, struct news_comment **out,
                      size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &NEWS_COMMENTS, &rc, "Ii", news_id, limit > 0 ? limit : 500);
		rc = pgs_rows(a, r, rc, sizeof **out, news_comment_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_news_comment_get(struct store *st, struct arena *a, int64_t id, struct news_comment *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, news_comment_from_row, out, &NEWS_COMMENT_GET, "I", id);
	}
	return rc;
}

int pgs_news_comment_set_state(struct store *st, int64_t id, int state)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (state != 0 && state != 3)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &NEWS_COMMENT_STATE, "Ii", id, state);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			pgs_note_all(s);
	}
	return rc;
}

/* ---- Invitations -------------------------------------------------------------------------------- */

static void invite_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct invitation *i = item;
	i->code = pgs_text(a, r, row, 0);
	i->created_by = pgs_int(r, row, 1);
	i->creator_name = pgs_text(a, r, row, 2);
	i->email = pgs_text(a, r, row, 3);
	i->request_id = pgs_int(r, row, 4);
	i->created_at = pgs_int(r, row, 5);
	i->used_by = pgs_int(r, row, 6);
	i->used_by_name = pgs_text(a, r, row, 7);
	i->used_at = pgs_int(r, row, 8);
}

int pgs_invite_create(struct store *st, const struct invitation *inv)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!inv || !inv->code || !*inv->code)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &INVITE_INSERT, "tIsII", inv->code, inv->created_by, inv->email ? inv->email : "",
		              inv->request_id, pgs_now());
	}
	return rc;
}

int pgs_invite_get(struct store *st, struct arena *a, const char *code, struct invitation *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, invite_from_row, out, &INVITE_GET, "t", code ? code : "");
	}
	return rc;
}

int pgs_invite_use(struct store *st, const char *code, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t there = 0;
		rc = pgs_exec(c, &INVITE_USE, "tII", code ? code : "", user_id, pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = pgs_query_int(c, &there, &INVITE_EXISTS, "t", code ? code : "") == 0 ? Q_EEXIST : Q_ENOTFOUND;
	}
	return rc;
}

int pgs_invites_list(struct store *st, struct arena *a, int64_t created_by, int limit, struct invitation **out,
                     size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	limit = limit > 0 && limit <= 500 ? limit : 100;
	PG_READ(s, c, rc) {
		PGresult *r = created_by ? pgs_query(c, &INVITES_OF, &rc, "Ii", created_by, limit)
		                         : pgs_query(c, &INVITES_ALL, &rc, "i", limit);
		rc = pgs_rows(a, r, rc, sizeof **out, invite_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_invites_count(struct store *st, int64_t created_by, int64_t since, int64_t *unused, int64_t *made)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		*unused = *made = 0;
		PGresult *r = pgs_query(c, &INVITES_COUNT, &rc, "II", created_by, since);
		if (r && PQntuples(r) == 1) {
			*unused = pgs_int(r, 0, 0);
			*made = pgs_int(r, 0, 1);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_invite_request_add(struct store *st, const char *email, int64_t *id, int64_t *ahead)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!email || !*email)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t me = 0;
		rc = pgs_query_int(c, &me, &INVITE_REQUEST_INSERT, "sI", email, pgs_now());
		if (rc == 0)
			rc = pgs_query_int(c, ahead, &INVITE_REQUEST_AHEAD, "I", me);
		if (rc == 0 && id)
			*id = me;
	}
	return rc;
}

static void request_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct invite_request *x = item;
	x->id = pgs_int(r, row, 0);
	x->email = pgs_text(a, r, row, 1);
	x->created_at = pgs_int(r, row, 2);
	x->status = (int)pgs_int(r, row, 3);
	x->invited_at = pgs_int(r, row, 4);
	x->code = pgs_text(a, r, row, 5);
}

int pgs_invite_requests_list(struct store *st, struct arena *a, int status, int64_t after_id, int limit,
                             struct invite_request **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &INVITE_REQUESTS, &rc, "iIi", status, after_id,
		                        limit > 0 && limit <= 1000 ? limit : 100);
		rc = pgs_rows(a, r, rc, sizeof **out, request_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_invite_requests_count(struct store *st, int64_t since, int64_t *waiting, int64_t *sent)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		*waiting = *sent = 0;
		PGresult *r = pgs_query(c, &INVITE_REQUESTS_COUNT, &rc, "I", since);
		if (r && PQntuples(r) == 1) {
			*waiting = pgs_int(r, 0, 0);
			*sent = pgs_int(r, 0, 1);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_invite_request_mark(struct store *st, int64_t id, int status, const char *code)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (status != INVITE_SENT && status != INVITE_DECLINED)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &INVITE_REQUEST_MARK, "IitI", id, status, code, pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND; /* gone, or dealt with already */
	}
	return rc;
}

/* ---- Mutes ------------------------------------------------------------------------------------------ */

int pgs_mute_set(struct store *st, int64_t user_id, int kind, int64_t target, bool on, int max)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if ((kind != MUTE_USER && kind != MUTE_TAG) || target <= 0 || (kind == MUTE_USER && target == user_id))
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t count = 0;
		if (!on)
			rc = pgs_exec(c, &MUTE_DEL, "IiI", user_id, kind, target);
		else if ((rc = pgs_query_int(c, &count, &MUTE_COUNT, "I", user_id)) == 0)
			rc = count >= max ? Q_ETOOBIG : pgs_exec(c, &MUTE_ADD, "IiII", user_id, kind, target, pgs_now());
	}
	/* Only the reader's own pages change, and those are never cached. */
	return rc;
}

static void mute_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct mute *m = item;
	m->kind = (int)pgs_int(r, row, 0);
	m->target = pgs_int(r, row, 1);
	m->name = pgs_text(a, r, row, 2);
	m->tag_type = (int)pgs_int(r, row, 3);
	m->created_at = pgs_int(r, row, 4);
}

int pgs_mutes_list(struct store *st, struct arena *a, int64_t user_id, struct mute **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &MUTES_LIST, &rc, "I", user_id);
		rc = pgs_rows(a, r, rc, sizeof **out, mute_from_row, (void **)out, n);
	}
	return rc;
}
