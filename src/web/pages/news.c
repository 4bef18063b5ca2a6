/* The site's news: /news (newest first, paged), /news/ID with its comments, /news.atom (Atom), and writing posts on
 * the admin side (/admin/news). */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/community.h"
#include "archive/news.h"
#include "archive/site.h"
#include "core/err.h"
#include "core/timefmt.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

static json_t *post_json(struct web_req *w, const struct news_post *p)
{
	return json_pack("{s:I, s:s, s:o, s:s, s:s, s:I, s:b}", "id", (json_int_t)p->id, "title", p->title, "body_html",
	                 web_ref_str(w, p->body_html), "author", p->author_name, "date", web_date(w, p->published_at),
	                 "comments", (json_int_t)p->comments, "comments_open", p->comments_open);
}

static int64_t query_id(struct web_req *w, const char *key)
{
	const char *s = kv_get(&w->req->query, key);
	return s && *s && strlen(s) <= 18 && strspn(s, "0123456789") == strlen(s) ? strtoll(s, NULL, 10) : 0;
}

void page_news(struct web_req *w)
{
	struct news_post *list;
	size_t n;
	if (store_news_list(w->app->store, w->arena, query_id(w, "before"), NEWS_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "The news could not be loaded.");
		return;
	}
	json_t *d = json_object(), *posts = json_array();
	for (size_t i = 0; i < n && i < NEWS_PER_PAGE; i++)
		json_array_append_new(posts, post_json(w, &list[i]));
	json_object_set_new(d, "posts", posts);
	if (n > NEWS_PER_PAGE)
		json_object_set_new(d, "older_url", json_string(arena_printf(w->arena, "/news?before=%lld",
		                                                             (long long)list[NEWS_PER_PAGE - 1].id)));
	json_object_set_new(d, "can_post", json_boolean(archive_may(w->user, POWER_SITE_PAGES)));
	w->cacheable = true; /* every news change notes everything (store_news_*) */
	web_render(w, 200, "news/index", "News", d);
}

static void render_post(struct web_req *w, int status, int64_t id, const char *typed, const struct field_errors *e)
{
	struct news_post p;
	int rc = id ? store_news_get(w->app->store, w->arena, id, &p) : Q_ENOTFOUND;
	if (rc) {
		web_error(w, response_status(rc), rc == Q_ENOTFOUND ? "There is no such post." : "The post could not be loaded.");
		return;
	}
	struct news_comment *cs;
	size_t n;
	if (store_news_comments(w->app->store, w->arena, p.id, NEWS_COMMENTS_SHOWN, &cs, &n) != 0) {
		web_error(w, 500, "The comments could not be loaded.");
		return;
	}
	json_t *d = json_object(), *list = json_array();
	json_object_set_new(d, "post", post_json(w, &p));
	bool mod = archive_may(w->user, POWER_COMMENTS);
	for (size_t i = 0; i < n; i++) {
		if (cs[i].state != 0)
			continue;
		json_t *o = json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)cs[i].id, "author",
		                      cs[i].user_name ? cs[i].user_name : "(deleted account)", "body_html",
		                      web_ref_str(w, cs[i].body_html), "date", web_date(w, cs[i].created_at));
		if (w->user && (mod || w->user->id == cs[i].user_id))
			json_object_set_new(o, "delete_url", json_string(arena_printf(w->arena, "/news/comments/%lld/delete",
			                                                              (long long)cs[i].id)));
		json_array_append_new(list, o);
	}
	json_object_set_new(d, "comments_list", list);
	json_object_set_new(d, "logged_in", json_boolean(w->user != NULL));
	json_object_set_new(d, "body", json_string(typed ? typed : ""));
	const char *err = e ? field_error_get(e, "body") : NULL;
	if (err)
		json_object_set_new(d, "error", json_string(err));
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	if (archive_may(w->user, POWER_SITE_PAGES))
		json_object_set_new(d, "edit_url", json_string(arena_printf(w->arena, "/admin/news/%lld", (long long)p.id)));
	w->cacheable = status == 200;
	web_render(w, status, "news/show", p.title, d);
}

void page_news_show(struct web_req *w)
{
	render_post(w, 200, web_param_id(w, 0), NULL, NULL);
}

void page_news_feed(struct web_req *w)
{
	struct news_post *list;
	size_t n;
	if (store_news_list(w->app->store, w->arena, 0, 20, &list, &n) != 0) {
		web_error(w, 500, "The news could not be loaded.");
		return;
	}
	char base[600], t[TIME_ISO_LEN];
	web_base_url(w->app, base, sizeof base);
	json_t *d = json_object(), *entries = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)list[i].id, "title", list[i].title, "html",
		                      list[i].body_html, "author", list[i].author_name, "published",
		                      time_iso(list[i].published_at, t));
		json_object_set_new(o, "updated", json_string(time_iso(list[i].updated_at, t)));
		json_array_append_new(entries, o);
	}
	json_object_set_new(d, "entries", entries);
	json_object_set_new(d, "base", json_string(base));
	json_object_set_new(d, "site_name", json_string(community_site_name(w->app->community, w->arena)));
	json_object_set_new(d, "updated", json_string(time_iso(n ? list[0].updated_at : 0, t)));
	w->cacheable = true;
	web_render_document(w, 200, "news/feed", "application/atom+xml; charset=utf-8", d);
}

void page_news_comment(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	const char *body = kv_get(&w->req->form, "body");
	struct field_errors e = {0};
	const char *why = NULL;
	int rc = news_comment(w->app->community, w->arena, w->user, id, body, &e, &why);
	if (rc == Q_EINVAL) {
		render_post(w, 422, id, body, &e);
		return;
	}
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/news/%lld#comments", (long long)id));
}

void page_news_comment_delete(struct web_req *w)
{
	struct news_comment nc;
	int64_t id = web_param_id(w, 0);
	int64_t news = store_news_comment_get(w->app->store, w->arena, id, &nc) == 0 ? nc.news_id : 0;
	const char *why = NULL;
	int rc = news_comment_remove(w->app->community, w->arena, w->user, id, &why);
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/news/%lld#comments", (long long)news));
}

/* ---- Admin ---------------------------------------------------------------------------------------- */

static void render_form(struct web_req *w, int status, int64_t id, const struct news_input *typed,
                        const struct field_errors *e, const char *error)
{
	struct news_post p = {0};
	if (id && store_news_get(w->app->store, w->arena, id, &p) != 0) {
		web_error(w, 404, "There is no such post.");
		return;
	}
	json_t *d = admin_data(w, "news");
	json_object_set_new(d, "id", json_integer(id));
	json_object_set_new(d, "title", json_string(typed ? typed->title : id ? p.title : ""));
	json_object_set_new(d, "body", json_string(typed ? typed->body : id ? p.body : ""));
	json_object_set_new(d, "comments_open", json_boolean(typed ? typed->comments_open : id ? p.comments_open : true));
	json_object_set_new(d, "action", json_string(id ? arena_printf(w->arena, "/admin/news/%lld", (long long)id)
	                                                : "/admin/news"));
	json_t *errs = json_object();
	for (size_t i = 0; e && i < e->n; i++)
		json_object_set_new(errs, e->items[i].field, json_string(e->items[i].message));
	json_object_set_new(d, "errors", errs);
	if (error)
		json_object_set_new(d, "error", json_string(error));
	struct news_post *list;
	size_t n;
	json_t *posts = json_array();
	if (!id && store_news_list(w->app->store, w->arena, 0, 50, &list, &n) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(posts, json_pack("{s:s, s:s, s:s}", "title", list[i].title, "date",
			                                       web_date(w, list[i].published_at), "url",
			                                       arena_printf(w->arena, "/admin/news/%lld", (long long)list[i].id)));
	json_object_set_new(d, "posts", posts);
	web_render(w, status, "admin/news", id ? "Edit a news post" : "News", d);
}

void page_admin_news(struct web_req *w)
{
	if (admin_allowed(w, POWER_SITE_PAGES))
		render_form(w, 200, 0, NULL, NULL, NULL);
}

void page_admin_news_edit(struct web_req *w)
{
	if (admin_allowed(w, POWER_SITE_PAGES))
		render_form(w, 200, web_param_id(w, 0), NULL, NULL, NULL);
}

void page_admin_news_save(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	int64_t id = w->params[0] ? web_param_id(w, 0) : 0, out = 0;
	if (w->params[0] && !id) {
		web_error(w, 404, "There is no such post.");
		return;
	}
	struct news_input in = {.title = web_form(w, "title"),
	                        .body = kv_get(&w->req->form, "body") ? kv_get(&w->req->form, "body") : "",
	                        .comments_open = !strcmp(web_form(w, "comments_open"), "1")};
	struct field_errors e = {0};
	const char *why = NULL;
	int rc = news_save(w->app->community, w->arena, w->user, id, &in, &out, &e, &why);
	if (rc == Q_EINVAL) {
		render_form(w, 422, id, &in, &e, why);
		return;
	}
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/news/%lld", (long long)out));
}

void page_admin_news_delete(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	const char *why = NULL;
	int rc = news_remove(w->app->community, w->arena, w->user, web_param_id(w, 0), &why);
	admin_done(w, rc, "/admin/news", rc ? why : "news_deleted");
}
