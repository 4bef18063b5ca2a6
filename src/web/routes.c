/* The route table: one line per page or API endpoint: method, path pattern, handler, needs, query, body limit. */
#include "web/web.h"
#include "web/metrics_page.h"
#include "web/pages/pages.h"
#include "api/api.h"
#include "archive/listing.h"
#include "web/pages/response.h"
#include "api/response_api.h"
#include "html/escape.h"
#include <string.h>

enum {
	NEEDS_LOGIN = 1, /* guests are sent to /login (pages) or get 401 (API) */
	NO_CSRF = 2,     /* a POST that carries no CSRF token (API: bearer tokens are not ambient) */
	CACHEABLE = 4,   /* a guest's 200 answer may be kept in the page cache */
	SLOW = 8,        /* may hash passwords or sanitize: runs on the worker pool, not a network thread */
	HASHES = 16,     /* with SLOW: runs argon2id, so it counts against the pool's hashing cap */
};

/* Largest request body a route accepts (anything larger is refused before it is read). */
#define BODY_NONE 0
#define BODY_SMALL (16 * 1024)       /* log-in, sign-up, settings, buttons */
#define BODY_FORM (8 * 1024 * 1024)  /* work and chapter forms, API submissions */

struct route {
	const char *method;
	const char *pattern; /* segments; ":x" captures one segment into w->params */
	void (*handler)(struct web_req *w);
	unsigned needs;      /* NEEDS_LOGIN | NO_CSRF | CACHEABLE | SLOW | HASHES */
	const char *query;   /* the query parameters the handler reads, space-separated: the cache key's parts */
	size_t body_max;     /* BODY_NONE, BODY_SMALL or BODY_FORM */
};

static const struct route routes[] = {
	{"GET", "/", page_home, CACHEABLE, "", BODY_NONE},
	{"GET", "/healthz", page_healthz, 0, "", BODY_NONE},
	{"GET", "/metrics", page_metrics, 0, "", BODY_NONE},
	{"GET", "/static/:file", page_static, CACHEABLE, "", BODY_NONE},
	{"GET", "/favicon.ico", page_favicon, CACHEABLE, "", BODY_NONE},
	{"GET", "/prefs", page_prefs_form, 0, "return", BODY_NONE},
	{"GET", "/docs/:name", page_docs, CACHEABLE | SLOW, "", BODY_NONE}, /* Markdown + sanitizer */
	{"POST", "/prefs", page_prefs_save, 0, "", BODY_SMALL},
	/* accounts */
	{"GET", "/signup", page_signup_form, 0, "", BODY_NONE},
	{"POST", "/signup", page_signup, SLOW | HASHES, "", BODY_SMALL},
	{"GET", "/login", page_login_form, 0, "return", BODY_NONE},
	{"POST", "/login", page_login, SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/logout", page_logout, 0, "", BODY_SMALL},
	{"GET", "/account", page_account, NEEDS_LOGIN, "notice", BODY_NONE},
	{"POST", "/account/password", page_account_password, NEEDS_LOGIN | SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/account/delete", page_account_delete, NEEDS_LOGIN | SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/account/tokens", page_account_token_add, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/account/tokens/:id/revoke", page_account_token_revoke, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/account/invitations/:id/accept", page_account_invite_accept, NEEDS_LOGIN, "", BODY_SMALL},
	/* works and chapters */
	{"GET", "/works", page_works_index, CACHEABLE, ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"GET", "/works/new", page_work_new, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works", page_work_create, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/works/:id", page_work_show, CACHEABLE, "view_full_work", BODY_NONE},
	{"GET", "/works/:id/navigate", page_work_navigate, CACHEABLE, "chapter", BODY_NONE},
	{"GET", "/works/:id/edit", page_work_edit, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id", page_work_update, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/works/:id/delete", page_work_delete_confirm, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/delete", page_work_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/works/:id/post", page_work_post_draft, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/works/:id/chapters/new", page_chapter_new, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/chapters", page_chapter_create, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/works/:id/chapters/manage", page_chapters_manage, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/chapters/reorder", page_chapters_reorder, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/works/:id/chapters/:cid", page_chapter_show, CACHEABLE, "", BODY_NONE},
	{"GET", "/works/:id/chapters/:cid/edit", page_chapter_edit, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/chapters/:cid", page_chapter_update, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"POST", "/works/:id/chapters/:cid/delete", page_chapter_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/users/:name", page_user_show, CACHEABLE, "", BODY_NONE},
	{"GET", "/users/:name/works", page_user_works, CACHEABLE, ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"GET", "/downloads/:id/:file", page_download, SLOW, "", BODY_NONE}, /* builds and compresses files */
	{"GET", "/opds", page_opds_root, CACHEABLE, "", BODY_NONE},
	{"GET", "/opds/search.xml", page_opds_search, CACHEABLE, "", BODY_NONE},
	{"GET", "/opds/works", page_opds_works, CACHEABLE, ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"GET", "/users/:name/block", page_user_block_confirm, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/users/:name/block", page_user_block, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/users/:name/unblock", page_user_unblock, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/users/:name/blocked", page_user_blocked, NEEDS_LOGIN, "notice", BODY_NONE},
	/* JSON API v1 */
	{"GET", "/api/v1/works", api_works_find, NO_CSRF, "creator per_page " ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"POST", "/api/v1/works", api_work_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id", api_work_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/works/:id", api_work_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/works/:id", api_work_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/api/v1/works/:id/chapters", api_chapter_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id/chapters/:cid", api_chapter_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/works/:id/chapters/:cid", api_chapter_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/works/:id/chapters/:cid", api_chapter_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"PUT", "/api/v1/works/:id/chapters/order", api_chapters_reorder, NO_CSRF | NEEDS_LOGIN, "", BODY_FORM},
	/* ---- mail: subscriptions, unsubscribe links, password reset, e-mail address ---- */
	{"GET", "/subscriptions", page_subscriptions, NEEDS_LOGIN, "after", BODY_NONE},
	{"POST", "/subscriptions", page_subscription_create, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/subscriptions/:id/delete", page_subscription_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/subscriptions/:id/mail", page_subscription_mail, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/unsubscribe", page_unsubscribe_form, 0, "token", BODY_NONE},
	/* RFC 8058 one-click: mail programs POST without cookies; the signed token is the proof. */
	{"POST", "/unsubscribe", page_unsubscribe, NO_CSRF, "token", BODY_SMALL},
	{"GET", "/password/forgot", page_password_forgot_form, 0, "", BODY_NONE},
	{"POST", "/password/forgot", page_password_forgot, 0, "", BODY_SMALL},
	{"GET", "/password/reset", page_password_reset_form, 0, "token", BODY_NONE},
	{"POST", "/password/reset", page_password_reset, SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/account/mail", page_account_mail_settings, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/account/email", page_account_email_form, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/account/email", page_account_email_change, NEEDS_LOGIN | SLOW | HASHES, "", BODY_SMALL},
	{"POST", "/account/email/resend", page_account_email_resend, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/account/email/confirm", page_account_email_confirm_form, 0, "token", BODY_NONE},
	{"POST", "/account/email/confirm", page_account_email_confirm, 0, "", BODY_SMALL},
	{"GET", "/api/v1/subscriptions", api_subscriptions_list, NO_CSRF | NEEDS_LOGIN, "after per_page", BODY_NONE},
	{"POST", "/api/v1/subscriptions", api_subscription_create, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/subscriptions/:id", api_subscription_get, NO_CSRF | NEEDS_LOGIN, "", BODY_NONE},
	{"PATCH", "/api/v1/subscriptions/:id", api_subscription_update, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"DELETE", "/api/v1/subscriptions/:id", api_subscription_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/blocks", api_blocks_list, NO_CSRF | NEEDS_LOGIN, "", BODY_NONE},
	{"PUT", "/api/v1/blocks/:name", api_block_put, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"DELETE", "/api/v1/blocks/:name", api_block_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	/* ---- The reader's response: comments, kudos, bookmarks, history, inbox, statistics ---- */
	{"GET", "/works/:id/comments", page_comments_more, CACHEABLE, "chapter after", BODY_NONE},
	{"POST", "/works/:id/comments", page_comment_create, SLOW, "", BODY_FORM},
	{"GET", "/works/:id/comments/new", page_comment_new, 0, "parent_id", BODY_NONE},
	{"POST", "/works/:id/chapters/:cid/comments", page_comment_create, SLOW, "", BODY_FORM},
	{"GET", "/works/:id/chapters/:cid/comments/new", page_comment_new, 0, "parent_id", BODY_NONE},
	{"GET", "/comments/:id", page_comment_show, 0, "", BODY_NONE},
	{"POST", "/comments/:id", page_comment_update, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/comments/:id/edit", page_comment_edit, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/comments/:id/delete", page_comment_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/comments/:id/moderate", page_comment_moderate, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/works/:id/kudos", page_kudos_show, 0, "chapter", BODY_NONE},
	{"POST", "/works/:id/kudos", page_kudos_give, 0, "", BODY_SMALL},
	{"GET", "/works/:id/bookmark", page_bookmark_form, NEEDS_LOGIN, "", BODY_NONE},
	{"POST", "/works/:id/bookmark", page_bookmark_save, NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"POST", "/bookmarks/:id/delete", page_bookmark_delete, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/users/:name/bookmarks", page_user_bookmarks, 0, "before notice", BODY_NONE},
	{"POST", "/works/:id/later", page_later, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/history", page_history, NEEDS_LOGIN, "later before", BODY_NONE},
	{"GET", "/inbox", page_inbox, NEEDS_LOGIN, "unread before notice", BODY_NONE},
	{"POST", "/inbox/read-all", page_inbox_mark_all, NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/inbox/:id/read", page_inbox_mark, NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/works/:id/stats", page_work_stats, NEEDS_LOGIN, "", BODY_NONE},
	{"GET", "/users/:name/stats", page_user_stats, NEEDS_LOGIN, "", BODY_NONE},
	{"GET", "/api/v1/chapters/:cid/comments", api_comments_list, NO_CSRF, "after", BODY_NONE},
	{"POST", "/api/v1/chapters/:cid/comments", api_comment_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id/comments", api_comments_list, NO_CSRF, "after", BODY_NONE},
	{"POST", "/api/v1/works/:id/comments", api_comment_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/comments/:id", api_comment_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/comments/:id", api_comment_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/comments/:id", api_comment_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/works/:id/kudos", api_kudos_list, NO_CSRF, "", BODY_NONE},
	{"POST", "/api/v1/works/:id/kudos", api_kudos_give, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/chapters/:cid/kudos", api_kudos_list, NO_CSRF, "", BODY_NONE},
	{"POST", "/api/v1/chapters/:cid/kudos", api_kudos_give, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/bookmarks", api_bookmarks_list, NO_CSRF, "user before", BODY_NONE},
	{"POST", "/api/v1/bookmarks", api_bookmark_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"PATCH", "/api/v1/bookmarks/:id", api_bookmark_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/bookmarks/:id", api_bookmark_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/inbox", api_inbox_list, NO_CSRF | NEEDS_LOGIN, "unread before", BODY_NONE},
	{"POST", "/api/v1/inbox/read", api_inbox_read, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/works/:id/stats", api_work_stats, NO_CSRF | NEEDS_LOGIN, "", BODY_NONE},
	/* ---- Finding works: tags, the fandom directory, wrangling, series, search ---- */
	{"GET", "/search", page_search, CACHEABLE, ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"GET", "/tags/:name", page_tag_show, CACHEABLE, "type " ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"GET", "/tags/:name/edit", page_tag_edit_form, NEEDS_LOGIN, "type", BODY_NONE},
	{"POST", "/tags/:name/edit", page_tag_edit, NEEDS_LOGIN, "type", BODY_SMALL},
	{"GET", "/media", page_media_index, CACHEABLE, "", BODY_NONE},
	{"GET", "/media/:name", page_media_show, CACHEABLE, "page", BODY_NONE},
	{"GET", "/wrangling", page_wrangling, NEEDS_LOGIN, "fandom page", BODY_NONE},
	{"GET", "/series/:id", page_series_show, CACHEABLE, ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"GET", "/api/v1/tags/autocomplete", api_tags_autocomplete, NO_CSRF, "type q", BODY_NONE},
};

#define NROUTES (sizeof routes / sizeof routes[0])

/* Matches path against pattern, capturing ":x" segments into params (copies in a) unless params is NULL. */
static bool match(struct arena *a, const char *pattern, const char *path, const char **params)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == ':') {
			const char *end = strchr(s, '/');
			size_t n = end ? (size_t)(end - s) : strlen(s);
			if (n == 0 || np >= 4)
				return false;
			if (params)
				params[np] = arena_strndup(a, s, n);
			np++;
			s += n;
			while (*p && *p != '/')
				p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++, s++;
	}
	return *p == '\0' && *s == '\0';
}

/* "/works/" and "/works/1/" name the page without the slash: 301 (308 keeps other methods and bodies)
 * to it, query kept. Only when the slash-less path is a route for this method, so others still answer 404. */
static bool redirect_trailing_slash(struct web_req *w)
{
	const char *raw = w->req->raw_path, *path = w->req->path;
	size_t rn = strlen(raw), pn = strlen(path);
	while (rn > 1 && raw[rn - 1] == '/')
		rn--;
	while (pn > 1 && path[pn - 1] == '/')
		pn--;
	if (pn == strlen(path) || pn <= 1 || raw[1] == '/')
		return false;
	for (size_t i = 0; i < rn; i++)
		if ((unsigned char)raw[i] <= ' ' || raw[i] == 0x7f || raw[i] == '\\')
			return false;
	const char *bare = arena_strndup(w->arena, path, pn);
	bool get = !strcmp(w->req->method, "GET") || !strcmp(w->req->method, "HEAD"), found = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0] && !found; i++) {
		const char *params[4] = {0};
		found = !strcmp(routes[i].method, get ? "GET" : w->req->method) && match(w->arena, routes[i].pattern, bare, params);
	}
	if (!found)
		return false;
	const char *location = arena_printf(w->arena, "%.*s%s", (int)rn, raw, web_query_string(w));
	w->resp->status = get ? 301 : 308;
	http_response_header(w->resp, w->arena, "Location", location);
	buf_reset(&w->resp->body);
	w->resp->content_type = "text/plain; charset=utf-8";
	buf_printf(&w->resp->body, "Moved to %s\n", location);
	return true;
}

/* The first route for method that matches the path, its parameters in params. The preflight already
 * found it for the server (req->route, HEAD as GET): then it is only checked, not searched for again. */
static const struct route *route_for(struct web_req *w, const char *method, const char **params)
{
	int known = w->req->route;
	if (known >= 0 && (size_t)known < NROUTES && !strcmp(routes[known].method, method) &&
	    match(w->arena, routes[known].pattern, w->req->path, params))
		return &routes[known];
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *r = &routes[i];
		if (!strcmp(r->method, method) && match(w->arena, r->pattern, w->req->path, params))
			return r;
		memset(params, 0, 4 * sizeof *params);
	}
	return NULL;
}

bool web_route_find(struct web_req *w, const char *method, struct web_route_info *out)
{
	const char *params[4] = {0};
	const struct route *r = route_for(w, method, params);
	if (r) {
		out->pattern = r->pattern;
		out->cacheable = (r->needs & CACHEABLE) != 0;
		out->query = r->query;
		return true;
	}
	return false;
}

static bool known_method(const char *m)
{
	static const char *known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(m, known[i]))
			return true;
	return false;
}

const struct http_route_info *web_route_infos(size_t *n)
{
	static struct http_route_info infos[NROUTES];
	for (size_t i = 0; i < NROUTES; i++) /* the same values every time: safe to repeat */
		infos[i] = (struct http_route_info){routes[i].method, routes[i].pattern};
	*n = NROUTES;
	return infos;
}

/* Credentials are only looked at, not checked: the handler checks them once the body is in. */
static bool has_credentials(const struct http_request *req)
{
	return kv_get(&req->cookies, "quire_session") || http_header_get(req, "Authorization");
}

void web_preflight(void *ctx, const struct http_request *req, struct http_preflight *out)
{
	const char *method = req->method;
	out->answer_now = true; /* 404, 405 and 501 need no body */
	if (!known_method(method))
		return;
	if (!strcmp(method, "HEAD"))
		method = "GET";
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *r = &routes[i];
		if (strcmp(r->method, method) != 0 || !match(NULL, r->pattern, req->path, NULL))
			continue;
		out->route = (int)i;
		out->body_max = r->body_max;
		out->run = !(r->needs & SLOW) ? HTTP_RUN_INLINE : (r->needs & HASHES) ? HTTP_RUN_POOL_HASH : HTTP_RUN_POOL;
		/* A guest's request to a members' route is refused (or sent to log in) whatever its body says. */
		out->answer_now = (r->needs & NEEDS_LOGIN) && !has_credentials(req);
		return;
	}
}

void web_dispatch(struct web_req *w)
{
	const char *method = w->req->method;
	if (!known_method(method)) {
		web_error(w, 501, "This server does not know that request method.");
		return;
	}
	if (!strcmp(method, "HEAD"))
		method = "GET"; /* libmicrohttpd drops the body */
	const char *params[4] = {0};
	const struct route *r = route_for(w, method, params);
	if (r) {
		memcpy(w->params, params, sizeof params);
		if (w->api) {
			api_authenticate(w);
			if (w->resp->status != 200)
				return; /* a presented token was refused: never fall back to guest */
		}
		if ((r->needs & NEEDS_LOGIN) && !w->user) {
			if (w->api || w->wants_json) {
				http_response_header(w->resp, w->arena, "WWW-Authenticate", "Bearer realm=\"quire\"");
				web_json_error(w, 401, "unauthorized", "This needs an API token: Authorization: Bearer TOKEN.", NULL);
			} else
				web_redirect(w, arena_printf(w->arena, "/login?return=%s", esc_url_a(w->arena, w->req->path)));
			return;
		}
		if (strcmp(method, "GET") != 0 && !(r->needs & NO_CSRF) && !web_csrf_ok(w)) {
			web_error(w, 403, "The form's security token is missing or out of date. Go back, reload the page and try again.");
			return;
		}
		w->route_query = r->query;
		r->handler(w);
		return;
	}
	/* No route for this method: the methods that have one for this path make a 405's Allow. */
	char allow[128] = "";
	for (size_t i = 0; i < NROUTES; i++)
		if (match(NULL, routes[i].pattern, w->req->path, NULL) && !strstr(allow, routes[i].method)) {
			if (*allow)
				strcat(allow, ", ");
			strcat(allow, routes[i].method);
		}
	if (*allow) {
		if (strstr(allow, "GET"))
			strcat(allow, ", HEAD");
		http_response_header(w->resp, w->arena, "Allow", allow);
		web_error(w, 405, "That request method is not allowed here.");
		return;
	}
	if (redirect_trailing_slash(w))
		return;
	web_error(w, 404, "The page you were looking for does not exist, or you are not allowed to see it.");
}
