/* SQLite backend: the site's own pages (every version kept), who accepted the terms, news and its comments,
 * invitation codes and the queue of people asking for one. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

/* ---- Pages and the terms ---------------------------------------------------------------------- */

static void page_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct site_page *p = item;
	p->slug = sqls_col_text(a, q, 0);
	p->title = sqls_col_text(a, q, 1);
	p->body = sqls_col_text(a, q, 2);
	p->body_html = sqls_col_text(a, q, 3);
	p->version = sqlite3_column_int64(q, 4);
	p->in_footer = sqlite3_column_int(q, 5) != 0;
	p->updated_at = sqlite3_column_int64(q, 6);
	p->updated_by = sqls_col_text(a, q, 7);
}

int sqls_site_page_get(struct store *st, struct arena *a, const char *slug, struct site_page *out)
{
	return sqls_read_row(sqls_of(st), a, page_from_row, out, SQL_SITE_PAGE_GET, "t", slug ? slug : "");
}

int sqls_site_page_put(struct store *st, const struct site_page *p, bool new_version, int64_t *version)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!p || !p->slug || !p->title || !p->body || !p->body_html || !p->updated_by)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t v = 0, now = sqls_now();
	rc = sqls_query_int(c, &v, SQL_SITE_PAGE_VERSION, "t", p->slug);
	if (rc == Q_ENOTFOUND) {
		v = 1;
		rc = 0;
	} else if (rc == 0 && new_version) {
		v++;
	}
	if (rc == 0)
		rc = sqls_exec(c, SQL_SITE_PAGE_INSERT, "ssssIiIs", p->slug, p->title, p->body, p->body_html, v,
		               (int)p->in_footer, now, p->updated_by);
	if (rc == 0)
		rc = sqls_exec(c, SQL_SITE_PAGE_VERSION_PUT, "sIsssIs", p->slug, v, p->title, p->body, p->body_html, now,
		               p->updated_by);
	if (rc == 0)
		sqls_note_all(s); /* the footer of every page lists the pages */
	if (rc == 0 && version)
		*version = v;
	return sqls_wr_end(s, c, rc);
}

int sqls_site_pages_list(struct store *st, struct arena *a, struct site_page **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_SITE_PAGES_LIST, ""), sizeof **out, page_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_site_page_delete(struct store *st, const char *slug)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SITE_PAGE_DELETE, "t", slug ? slug : "");
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		sqls_note_all(s);
	return sqls_wr_end(s, c, rc);
}

int sqls_policy_accept(struct store *st, int64_t user_id, int64_t version)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_POLICY_ACCEPT, "III", user_id, version, sqls_now());
	return sqls_wr_end_quiet(s, c, rc);
}

/* ---- News ------------------------------------------------------------------------------------- */

static void news_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct news_post *p = item;
	p->id = sqlite3_column_int64(q, 0);
	p->title = sqls_col_text(a, q, 1);
	p->body = sqls_col_text(a, q, 2);
	p->body_html = sqls_col_text(a, q, 3);
	p->author_name = sqls_col_text(a, q, 4);
	p->comments_open = sqlite3_column_int(q, 5) != 0;
	p->published_at = sqlite3_column_int64(q, 6);
	p->updated_at = sqlite3_column_int64(q, 7);
	p->comments = sqlite3_column_int64(q, 8);
}

int sqls_news_create(struct store *st, const struct news_post *p, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!p || !p->title || !p->body || !p->body_html || !p->author_name)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_NEWS_INSERT, "sssIsiI", p->title, p->body, p->body_html, (int64_t)0, p->author_name,
	               (int)p->comments_open, sqls_now());
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	if (rc == 0)
		sqls_note_all(s); /* the news page, its feed and the home page's headline */
	return sqls_wr_end(s, c, rc);
}

int sqls_news_update(struct store *st, const struct news_post *p)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!p || !p->title || !p->body || !p->body_html)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_NEWS_UPDATE, "IsssiI", p->id, p->title, p->body, p->body_html, (int)p->comments_open,
	               sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		sqls_note_all(s);
	return sqls_wr_end(s, c, rc);
}

int sqls_news_delete(struct store *st, int64_t id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_NEWS_DELETE, "I", id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		sqls_note_all(s);
	return sqls_wr_end(s, c, rc);
}

int sqls_news_get(struct store *st, struct arena *a, int64_t id, struct news_post *out)
{
	return sqls_read_row(sqls_of(st), a, news_from_row, out, SQL_NEWS_GET, "I", id);
}

int sqls_news_list(struct store *st, struct arena *a, int64_t before_id, int limit, struct news_post **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_NEWS_LIST, "Ii", before_id, limit > 0 && limit <= 100 ? limit : 20),
	               sizeof **out, news_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

static void news_comment_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct news_comment *nc = item;
	nc->id = sqlite3_column_int64(q, 0);
	nc->news_id = sqlite3_column_int64(q, 1);
	nc->user_id = sqlite3_column_int64(q, 2);
	nc->user_name = sqls_col_text(a, q, 3);
	nc->body = sqls_col_text(a, q, 4);
	nc->body_html = sqls_col_text(a, q, 5);
	nc->state = sqlite3_column_int(q, 6);
	nc->created_at = sqlite3_column_int64(q, 7);
}

int sqls_news_comment_add(struct store *st, const struct news_comment *nc, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!nc || !nc->body || !nc->body_html)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_NEWS_COMMENT_INSERT, "IIssI", nc->news_id, nc->user_id, nc->body, nc->body_html, sqls_now());
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	if (rc == 0)
		sqls_note_all(s);
	return sqls_wr_end(s, c, rc);
}

int sqls_news_comments(struct store *st, struct arena *a, int64_t news_id, int limit, struct news_comment **out,
                       size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_NEWS_COMMENTS, "Ii", news_id, limit > 0 ? limit : 500), sizeof **out,
	               news_comment_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_news_comment_get(struct store *st, struct arena *a, int64_t id, struct news_comment *out)
{
	return sqls_read_row(sqls_of(st), a, news_comment_from_row, out, SQL_NEWS_COMMENT_GET, "I", id);
}

int sqls_news_comment_set_state(struct store *st, int64_t id, int state)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (state != 0 && state != 3)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_NEWS_COMMENT_STATE, "Ii", id, state);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		sqls_note_all(s);
	return sqls_wr_end(s, c, rc);
}

/* ---- Invitations -------------------------------------------------------------------------------- */

static void invite_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct invitation *i = item;
	i->code = sqls_col_text(a, q, 0);
	i->created_by = sqlite3_column_int64(q, 1);
	i->creator_name = sqls_col_text(a, q, 2);
	i->email = sqls_col_text(a, q, 3);
	i->request_id = sqlite3_column_int64(q, 4);
	i->created_at = sqlite3_column_int64(q, 5);
	i->used_by = sqlite3_column_int64(q, 6);
	i->used_by_name = sqls_col_text(a, q, 7);
	i->used_at = sqlite3_column_int64(q, 8);
}

int sqls_invite_create(struct store *st, const struct invitation *inv)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!inv || !inv->code || !*inv->code)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_INVITE_INSERT, "tIsII", inv->code, inv->created_by, inv->email ? inv->email : "",
	               inv->request_id, sqls_now());
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_invite_get(struct store *st, struct arena *a, const char *code, struct invitation *out)
{
	return sqls_read_row(sqls_of(st), a, invite_from_row, out, SQL_INVITE_GET, "t", code ? code : "");
}

int sqls_invite_use(struct store *st, const char *code, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t there = 0;
	rc = sqls_exec(c, SQL_INVITE_USE, "tII", code ? code : "", user_id, sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = sqls_query_int(c, &there, SQL_INVITE_EXISTS, "t", code ? code : "") == 0 ? Q_EEXIST : Q_ENOTFOUND;
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_invites_list(struct store *st, struct arena *a, int64_t created_by, int limit, struct invitation **out,
                      size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	limit = limit > 0 && limit <= 500 ? limit : 100;
	sqlite3_stmt *q = created_by ? sqls_prep(c, SQL_INVITES_OF, "Ii", created_by, limit)
	                             : sqls_prep(c, SQL_INVITES_ALL, "Ii", (int64_t)0, limit);
	rc = sqls_rows(c, a, q, sizeof **out, invite_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_invites_count(struct store *st, int64_t created_by, int64_t since, int64_t *unused, int64_t *made)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*unused = *made = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_INVITES_COUNT, "II", created_by, since);
	if ((rc = sqls_one_row(c, q)) == 0) {
		*unused = sqlite3_column_int64(q, 0);
		*made = sqlite3_column_int64(q, 1);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_invite_request_add(struct store *st, const char *email, int64_t *id, int64_t *ahead)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!email || !*email)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_INVITE_REQUEST_INSERT, "sI", email, sqls_now());
	int64_t me = rc == 0 ? sqls_last_id(c) : 0;
	if (rc == 0)
		rc = sqls_query_int(c, ahead, SQL_INVITE_REQUEST_AHEAD, "I", me);
	if (rc == 0 && id)
		*id = me;
	return sqls_wr_end_quiet(s, c, rc);
}

static void request_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct invite_request *r = item;
	r->id = sqlite3_column_int64(q, 0);
	r->email = sqls_col_text(a, q, 1);
	r->created_at = sqlite3_column_int64(q, 2);
	r->status = sqlite3_column_int(q, 3);
	r->invited_at = sqlite3_column_int64(q, 4);
	r->code = sqls_col_text(a, q, 5);
}

int sqls_invite_requests_list(struct store *st, struct arena *a, int status, int64_t after_id, int limit,
                              struct invite_request **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_INVITE_REQUESTS, "iIi", status, after_id, limit > 0 && limit <= 1000 ? limit : 100),
	               sizeof **out, request_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_invite_requests_count(struct store *st, int64_t since, int64_t *waiting, int64_t *sent)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*waiting = *sent = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_INVITE_REQUESTS_COUNT, "I", since);
	if ((rc = sqls_one_row(c, q)) == 0) {
		*waiting = sqlite3_column_int64(q, 0);
		*sent = sqlite3_column_int64(q, 1);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_invite_request_mark(struct store *st, int64_t id, int status, const char *code)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (status != INVITE_SENT && status != INVITE_DECLINED)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_INVITE_REQUEST_MARK, "IitI", id, status, code, sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND; /* gone, or dealt with already */
	return sqls_wr_end_quiet(s, c, rc);
}

/* ---- Mutes ------------------------------------------------------------------------------------------ */

int sqls_mute_set(struct store *st, int64_t user_id, int kind, int64_t target, bool on, int max)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if ((kind != MUTE_USER && kind != MUTE_TAG) || target <= 0 || (kind == MUTE_USER && target == user_id))
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t count = 0;
	if (!on)
		rc = sqls_exec(c, SQL_MUTE_DEL, "IiI", user_id, kind, target);
	else if ((rc = sqls_query_int(c, &count, SQL_MUTE_COUNT, "I", user_id)) == 0)
		rc = count >= max ? Q_ETOOBIG : sqls_exec(c, SQL_MUTE_ADD, "IiII", user_id, kind, target, sqls_now());
	/* Only the reader's own pages change, and those are never cached. */
	return sqls_wr_end_quiet(s, c, rc);
}

static void mute_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct mute *m = item;
	m->kind = sqlite3_column_int(q, 0);
	m->target = sqlite3_column_int64(q, 1);
	m->name = sqls_col_text(a, q, 2);
	m->tag_type = sqlite3_column_int(q, 3);
	m->created_at = sqlite3_column_int64(q, 4);
}

int sqls_mutes_list(struct store *st, struct arena *a, int64_t user_id, struct mute **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_MUTES_LIST, "I", user_id), sizeof **out, mute_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}
