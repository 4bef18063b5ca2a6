/* Comments and kudos pages, and the reader's-response parts of the reading page and the work form. */
#include "web/pages/response.h"
#include "core/err.h"
#include "core/log.h"
#include "html/escape.h"
#include "web/response_hooks.h"
#include "web/work_form.h"
#include "web/work_view.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Messages shown after a redirect: only these fixed texts, never text from the query. */
static const char *const notices[][2] = {
	{"comment_posted", "Comment posted."},
	{"comment_pending", "Your comment was received. The creator reviews comments on this work before they appear."},
	{"comment_updated", "Comment updated."},
	{"comment_deleted", "Comment deleted."},
	{"comment_moderated", "Done."},
	{"kudos", "Thank you for leaving kudos!"},
	{"kudos_again", "You have already left kudos here. :)"},
	{"bookmarked", "Bookmarked!"},
	{"later", "Marked for later."},
	{"not_later", "Removed from your marked-for-later list."},
	{"replied", "Reply posted."},
};

static const char *notice_text(struct web_req *w)
{
	const char *code = kv_get(&w->req->query, "notice");
	for (size_t i = 0; code && i < sizeof notices / sizeof notices[0]; i++)
		if (!strcmp(code, notices[i][0]))
			return notices[i][1];
	return NULL;
}

int response_status(int rc)
{
	switch (rc) {
	case 0: return 200;
	case Q_ENOTFOUND: return 404;
	case Q_EPERM: return 403;
	case Q_EINVAL: return 422;
	case Q_EEXIST: return 409;
	case Q_EBUSY: return 429;
	default: return 500;
	}
}

struct response_actor response_actor_of(struct web_req *w)
{
	return (struct response_actor){.user = w->user, .address = w->req->client_ip ? w->req->client_ip : ""};
}

static const char *reading_url(struct web_req *w, int64_t work_id, int64_t chapter_id)
{
	return chapter_id ? arena_printf(w->arena, "/works/%lld/chapters/%lld", (long long)work_id, (long long)chapter_id)
	                  : arena_printf(w->arena, "/works/%lld?view_full_work=true", (long long)work_id);
}

const char *response_comment_url(struct web_req *w, const struct comment *c)
{
	return comment_path(w->arena, c);
}

json_t *response_comment_json(struct web_req *w, const struct comment_view *v)
{
	const struct comment *c = v->c;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "parent_id", c->parent_id ? json_integer(c->parent_id) : json_null());
	json_object_set_new(o, "depth", json_integer(v->depth));
	json_object_set_new(o, "author", json_string(v->placeholder ? "" : comment_author(c)));
	json_object_set_new(o, "guest", json_boolean(!c->user_id && c->guest_name));
	json_object_set_new(o, "by_creator", json_boolean(c->by_creator));
	json_object_set_new(o, "body_html", json_string(c->body.html ? c->body.html : ""));
	json_object_set_new(o, "state", json_string(comment_state_name(c->state)));
	json_object_set_new(o, "frozen", json_boolean(c->frozen));
	json_object_set_new(o, "edited", json_boolean(c->edited_at > 0));
	const char *base = arena_printf(w->arena, "/comments/%lld", (long long)c->id);
	json_object_set_new(o, "anchor", json_string(arena_printf(w->arena, "comment-%lld", (long long)c->id)));
	json_object_set_new(o, "permalink", json_string(response_comment_url(w, c)));
	if (c->user_name)
		json_object_set_new(o, "author_url", json_string(arena_printf(w->arena, "/users/%s",
		                                                              esc_url_a(w->arena, c->user_name))));
	json_object_set_new(o, "date", json_string(web_date(w, c->created_at)));
	json_object_set_new(o, "placeholder", json_boolean(v->placeholder));
	json_object_set_new(o, "pending", json_boolean(c->state == COMMENT_PENDING));
	json_object_set_new(o, "hidden", json_boolean(c->state == COMMENT_HIDDEN));
	json_object_set_new(o, "can_reply", json_boolean(v->can_reply));
	json_object_set_new(o, "reply_url", json_string(arena_printf(w->arena, "/works/%lld%s/comments/new?parent_id=%lld",
	                                                             (long long)c->work_id,
	                                                             c->chapter_id ? arena_printf(w->arena, "/chapters/%lld",
	                                                                                          (long long)c->chapter_id)
	                                                                           : "",
	                                                             (long long)c->id)));
	json_object_set_new(o, "can_edit", json_boolean(v->can_edit));
	json_object_set_new(o, "can_delete", json_boolean(v->can_delete));
	json_object_set_new(o, "moderator", json_boolean(v->moderator));
	json_object_set_new(o, "edit_url", json_string(arena_printf(w->arena, "%s/edit", base)));
	json_object_set_new(o, "delete_url", json_string(arena_printf(w->arena, "%s/delete", base)));
	json_object_set_new(o, "moderate_url", json_string(arena_printf(w->arena, "%s/moderate", base)));
	return o;
}

/* ---- The reading page's part ---- */

/* What tells guests apart for hits: address and browser (hashed at once by hits_note, never kept). */
static const char *visitor_of(struct web_req *w)
{
	const char *ua = http_header_get(w->req, "User-Agent");
	return arena_printf(w->arena, "%s|%s", w->req->client_ip ? w->req->client_ip : "", ua ? ua : "");
}

/* Kudos data for the work (ch 0) or a chapter: count, names, guests, where to leave them. */
static json_t *kudos_json(struct web_req *w, const struct work *wk, int64_t chapter_id, int64_t count,
                          int64_t guests)
{
	json_t *k = json_object(), *names = json_array();
	const char **list = NULL;
	size_t n = 0;
	if (count > guests &&
	    store_kudos_names(w->app->store, w->arena, wk->id, chapter_id, KUDOS_NAMES_SHOWN, &list, &n) != 0)
		n = 0;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(names, json_pack("{s:s, s:s}", "name", list[i], "url",
		                                       arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, list[i]))));
	int64_t others = count - guests - (int64_t)n; /* accounts beyond the names shown */
	json_object_set_new(k, "count", json_integer(count));
	json_object_set_new(k, "names", names);
	json_object_set_new(k, "guests", json_integer(guests));
	json_object_set_new(k, "guests_label", json_string(arena_printf(w->arena, "%lld guest%s", (long long)guests,
	                                                                guests == 1 ? "" : "s")));
	json_object_set_new(k, "more_users", json_integer(others > 0 ? others : 0));
	json_object_set_new(k, "chapter_id", json_integer(chapter_id));
	json_object_set_new(k, "post_url", json_string(arena_printf(w->arena, "/works/%lld/kudos", (long long)wk->id)));
	json_object_set_new(k, "page_url", json_string(chapter_id ? arena_printf(w->arena, "/works/%lld/kudos?chapter=%lld",
	                                                                         (long long)wk->id, (long long)chapter_id)
	                                                          : arena_printf(w->arena, "/works/%lld/kudos",
	                                                                         (long long)wk->id)));
	return k;
}

/* The comments of one page of threads and what the viewer may do, as data.comments. */
static json_t *comments_json(struct web_req *w, const struct work *wk, int64_t chapter_id,
                             const struct response_counts *rc, int64_t after)
{
	json_t *o = json_object(), *items = json_array();
	struct comment_rights rights;
	comment_rights(wk, rc, w->user, &rights);
	struct comment *list = NULL;
	size_t n = 0;
	int64_t next = 0;
	if (store_comment_list(w->app->store, w->arena, wk->id, chapter_id, after, COMMENT_THREADS_PER_PAGE, &list, &n,
	                       &next) != 0)
		log_warn("work %lld: comments could not be loaded", (long long)wk->id);
	struct comment_view *v;
	size_t nv;
	comments_for_viewer(w->arena, wk, list, n, w->user, rights.can_comment, &v, &nv);
	for (size_t i = 0; i < nv; i++)
		json_array_append_new(items, response_comment_json(w, &v[i]));
	const char *base = arena_printf(w->arena, "/works/%lld%s", (long long)wk->id,
	                                chapter_id ? arena_printf(w->arena, "/chapters/%lld", (long long)chapter_id) : "");
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "count", json_integer(chapter_id ? rc->chapter_comments : rc->work_comments));
	json_object_set_new(o, "post_url", json_string(arena_printf(w->arena, "%s/comments", base)));
	json_object_set_new(o, "new_url", json_string(arena_printf(w->arena, "%s/comments/new", base)));
	if (next)
		json_object_set_new(o, "more_url", json_string(arena_printf(w->arena, "/works/%lld/comments?chapter=%lld&after=%lld",
		                                                            (long long)wk->id, (long long)chapter_id,
		                                                            (long long)next)));
	json_object_set_new(o, "can_comment", json_boolean(rights.can_comment));
	json_object_set_new(o, "needs_login", json_boolean(rights.needs_login));
	json_object_set_new(o, "moderated", json_boolean(rc->moderated && !rights.moderator));
	if (rights.closed)
		json_object_set_new(o, "closed", json_string(rights.closed));
	json_object_set_new(o, "on_chapter", json_boolean(chapter_id != 0));
	json_object_set_new(o, "text_max", json_integer(COMMENT_TEXT_MAX));
	return o;
}

void web_response_shared(struct web_req *w, json_t *d, const struct work *wk)
{
	struct response_counts rc;
	if (wk->draft)
		return;
	if (store_response_counts(w->app->store, wk->id, 0, &rc) != 0) {
		log_warn("work %lld: response counts could not be loaded", (long long)wk->id);
		return;
	}
	json_object_set_new(d, "response", json_pack("{s:{s:I, s:I, s:I, s:I}}", "stats", "hits",
	                                             (json_int_t)rc.work_hits, "kudos", (json_int_t)rc.work_kudos,
	                                             "comments", (json_int_t)rc.work_comments, "bookmarks",
	                                             (json_int_t)rc.work_bookmarks));
}

void web_response_reading(struct web_req *w, json_t *d, const struct work *wk, const struct web_response_view *rv)
{
	int64_t chapter_id = rv->full ? 0 : rv->chapter_id;
	if (wk->draft)
		return; /* a draft's page is its creator's alone: nothing to count or respond to yet */
	/* Creators rereading their own work are not hits. "/works/ID" (opening at the first chapter) is a hit
	 * on the work alone, as when its page comes from the guest cache (web_response_cached_view). */
	if (!work_is_creator(wk, w->user))
		hits_note(w->app->response, wk->id, chapter_id, strstr(w->req->path, "/chapters/") != NULL, w->user,
		          visitor_of(w));
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk->id, chapter_id, &rc) != 0) {
		log_warn("work %lld: response counts could not be loaded", (long long)wk->id);
		return;
	}
	json_t *r = json_object();
	json_object_set_new(r, "work_kudos", kudos_json(w, wk, 0, rc.work_kudos, rc.work_kudos_guests));
	/* A one-chapter work reads like a one-shot: its kudos are the work's. */
	if (chapter_id && rv->multi) {
		json_object_set_new(r, "chapter_kudos", kudos_json(w, wk, chapter_id, rc.chapter_kudos, rc.chapter_kudos_guests));
		json_object_set_new(r, "chapter_position", json_integer(rv->chapter_position));
	}
	json_object_set_new(d, "comments", comments_json(w, wk, chapter_id, &rc, 0));
	if (!rv->full) /* the meta block's slot in the shared fragment (the entire work has them in place) */
		json_object_set_new(r, "stats", json_pack("{s:I, s:I, s:I, s:I}", "hits", (json_int_t)rc.work_hits, "kudos",
		                                          (json_int_t)rc.work_kudos, "comments", (json_int_t)rc.work_comments,
		                                          "bookmarks", (json_int_t)rc.work_bookmarks));
	json_object_set_new(r, "stats_url", json_string(arena_printf(w->arena, "/works/%lld/stats", (long long)wk->id)));
	json_object_set_new(r, "bookmark_url", json_string(arena_printf(w->arena, "/works/%lld/bookmark", (long long)wk->id)));
	json_object_set_new(r, "later_url", json_string(arena_printf(w->arena, "/works/%lld/later", (long long)wk->id)));
	json_object_set_new(r, "is_creator", json_boolean(work_is_creator(wk, w->user)));
	json_object_set_new(r, "logged_in", json_boolean(w->user != NULL));
	/* Kudos come back to this view (the entire work keeps its query), without an old notice. */
	json_object_set_new(r, "return", json_string(rv->full ? arena_printf(w->arena, "%s?view_full_work=true", w->req->path)
	                                                      : w->req->path));
	const char *notice = notice_text(w);
	if (notice) {
		json_object_set_new(r, "notice", json_string(notice));
		w->cacheable = false; /* the notice is for this reader alone */
	}
	if (w->user)
		json_object_set_new(r, "csrf_token", json_string(web_csrf_token(w)));
	json_object_set_new(d, "response", r);
}

/* ---- Hooks elsewhere ---- */

int web_response_init(struct web *app)
{
	unsigned char key[32];
	struct arena *a = arena_new();
	char *hex = NULL;
	size_t len = 0;
	int rc = store_setting_get(app->store, a, "response_key", &hex);
	if (rc != 0 || sodium_hex2bin(key, sizeof key, hex, strlen(hex), NULL, &len, NULL) != 0 || len != sizeof key) {
		randombytes_buf(key, sizeof key);
		char out[2 * sizeof key + 1];
		sodium_bin2hex(out, sizeof out, key, sizeof key);
		rc = store_setting_set(app->store, "response_key", out);
	} else {
		rc = 0;
	}
	arena_free(a);
	if (rc == 0)
		app->response = response_new(app->store, key);
	sodium_memzero(key, sizeof key);
	return rc;
}

void web_response_free(struct web *app)
{
	response_free(app->response);
	app->response = NULL;
}

/* "/works/12" or "/works/12/chapters/34" (cached pages are only ever reading pages of visible works). */
void web_response_cached_view(struct web_req *w)
{
	const char *p = w->req->path;
	long long work = 0, chapter = 0;
	int used = 0;
	if (strncmp(p, "/works/", 7) != 0)
		return;
	if (sscanf(p, "/works/%lld%n", &work, &used) != 1 || work <= 0)
		return;
	p += used;
	/* "/works/12" (its first chapter, or the entire work) is a hit on the work alone. */
	if (*p && (sscanf(p, "/chapters/%lld%n", &chapter, &used) != 1 || chapter <= 0 || p[used] != '\0'))
		return;
	hits_note(w->app->response, work, chapter, true, NULL, visitor_of(w));
}

int64_t web_response_unread(struct web_req *w)
{
	int64_t n = 0;
	if (!w->user || store_inbox_unread(w->app->store, w->user->id, &n) != 0)
		return 0;
	return n;
}

void web_response_settings_form(struct web_req *w, json_t *form, const struct work *wk)
{
	int policy = COMMENTS_EVERYONE;
	bool moderated = false;
	if (strcmp(w->req->method, "POST") == 0) {
		int p = comment_policy_parse(web_form(w, "comment_policy"));
		policy = p < 0 ? COMMENTS_EVERYONE : p;
		moderated = *web_form(w, "comments_moderated") != '\0';
	} else if (wk) {
		struct response_counts rc;
		if (store_response_counts(w->app->store, wk->id, 0, &rc) == 0) {
			policy = rc.comment_policy;
			moderated = rc.moderated;
		}
	}
	json_object_set_new(form, "comment_policy", json_string(comment_policy_name(policy)));
	json_object_set_new(form, "comments_moderated", json_boolean(moderated));
}

void web_response_settings_check(struct web_req *w, struct field_errors *errors)
{
	const char *p = web_form(w, "comment_policy");
	if (*p && comment_policy_parse(p) < 0)
		field_error(errors, "comment_policy", "Choose who may comment: everyone, registered readers only, or nobody.");
}

void web_response_settings_save(struct web_req *w, int64_t work_id)
{
	int p = comment_policy_parse(web_form(w, "comment_policy"));
	if (comment_settings_save(w->app->store, w->arena, w->user, work_id, p < 0 ? COMMENTS_EVERYONE : p,
	                          *web_form(w, "comments_moderated") != '\0') != 0)
		log_warn("work %lld: comment settings could not be saved", (long long)work_id);
}

/* ---- Comment pages ---- */

/* The chapter named by path parameter 1, when the route has one; false when a 404 was sent. */
static bool load_target(struct web_req *w, const struct work *wk, struct chapter *ch, bool *has)
{
	*has = w->params[1] != NULL;
	if (!*has)
		return true;
	int64_t cid = web_param_id(w, 1);
	int rc = cid ? store_chapter_get(w->app->store, w->arena, wk->id, cid, ch) : Q_ENOTFOUND;
	if (rc == 0 && ch->work_id != wk->id)
		rc = Q_ENOTFOUND;
	if (rc) {
		web_error(w, rc == Q_ENOTFOUND ? 404 : 500, rc == Q_ENOTFOUND ? WORK_VIEW_NOT_FOUND
		                                                             : "The chapter could not be loaded.");
		return false;
	}
	return true;
}

/* Only local paths come back as a place to return to. */
static const char *return_path(struct web_req *w)
{
	const char *r = web_form(w, "return");
	return r[0] == '/' && r[1] != '/' && r[1] != '\\' && !strpbrk(r, "\r\n") ? r : NULL;
}

/* The comment form page: new comment or reply, and the same form shown again with a problem. */
static void render_comment_form(struct web_req *w, int status, const struct work *wk, const struct chapter *ch,
                                const struct comment_input *in, const char *message, const struct field_errors *e)
{
	json_t *d = json_object(), *form = json_object();
	json_object_set_new(form, "body", json_string(in->body ? in->body : ""));
	json_object_set_new(form, "guest_name", json_string(in->guest_name ? in->guest_name : ""));
	json_object_set_new(form, "guest_email", json_string(in->guest_email ? in->guest_email : ""));
	json_object_set_new(form, "parent_id", json_integer(in->parent_id));
	const char *ret = return_path(w);
	if (ret)
		json_object_set_new(form, "return", json_string(ret));
	json_object_set_new(d, "form", form);
	json_object_set_new(d, "work", work_view_json(w, wk, false));
	json_object_set_new(d, "back_url", json_string(reading_url(w, wk->id, ch ? ch->id : 0)));
	json_object_set_new(d, "target", json_string(ch ? arena_printf(w->arena, "Chapter %d", ch->position) : "the whole work"));
	json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/works/%lld%s/comments", (long long)wk->id,
	                                                              ch ? arena_printf(w->arena, "/chapters/%lld",
	                                                                                (long long)ch->id) : "")));
	if (in->parent_id) {
		struct comment p;
		if (store_comment_get(w->app->store, w->arena, in->parent_id, &p) == 0 && comment_can_see(wk, &p, w->user) &&
		    p.work_id == wk->id) {
			struct comment_view v = {.c = &p, .placeholder = p.state == COMMENT_DELETED};
			json_object_set_new(d, "parent", response_comment_json(w, &v));
		}
	}
	json_object_set_new(d, "guest", json_boolean(w->user == NULL));
	json_object_set_new(d, "text_max", json_integer(COMMENT_TEXT_MAX));
	if (message)
		json_object_set_new(d, "message", json_string(message));
	if (e && e->n)
		work_view_set_errors(d, e);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "comments/new", in->parent_id ? "Reply to a comment" : "Leave a comment", d);
}

static int64_t form_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return -1;
	return strtoll(s, NULL, 10);
}

void page_comment_new(struct web_req *w)
{
	struct work wk;
	struct chapter ch;
	bool has;
	if (!work_view_load(w, &wk, false) || !load_target(w, &wk, &ch, &has))
		return;
	const char *p = kv_get(&w->req->query, "parent_id");
	struct comment_input in = {.parent_id = p ? form_id(p) : 0};
	if (in.parent_id < 0)
		in.parent_id = 0;
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk.id, has ? ch.id : 0, &rc) != 0) {
		web_error(w, 500, "The work could not be loaded. Please try again in a moment.");
		return;
	}
	struct comment_rights rights;
	comment_rights(&wk, &rc, w->user, &rights);
	render_comment_form(w, rights.can_comment ? 200 : 403, &wk, has ? &ch : NULL, &in, rights.closed, NULL);
}

void page_comment_create(struct web_req *w)
{
	struct work wk;
	struct chapter ch;
	bool has;
	if (!work_view_load(w, &wk, false) || !load_target(w, &wk, &ch, &has))
		return;
	struct comment_input in = {
		.body = work_form_raw(w, "body"),
		.guest_name = web_form(w, "guest_name"),
		.guest_email = web_form(w, "guest_email"),
		.honeypot = web_form(w, "website"),
		.parent_id = 0,
	};
	const char *pid = web_form(w, "parent_id");
	if (*pid && (in.parent_id = form_id(pid)) < 0) {
		in.parent_id = 0;
		render_comment_form(w, 422, &wk, has ? &ch : NULL, &in, "The comment to reply to is not a valid id.", NULL);
		return;
	}
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk.id, has ? ch.id : 0, &rc) != 0) {
		web_error(w, 500, "The work could not be loaded. Please try again in a moment.");
		return;
	}
	struct response_actor actor = response_actor_of(w);
	struct comment c;
	struct field_errors errors = {0};
	const char *why = NULL;
	int retry = 0;
	int r = comment_post(w->app->response, w->app->store, w->arena, &wk, has ? &ch : NULL, &rc, &actor, &in, &c,
	                     &errors, &why, &retry);
	if (r != 0) {
		if (r == Q_EBUSY)
			http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry > 0 ? retry : 60));
		render_comment_form(w, response_status(r), &wk, has ? &ch : NULL, &in, why, &errors);
		return;
	}
	const char *ret = return_path(w);
	const char *code = c.state == COMMENT_PENDING ? "comment_pending" : ret ? "replied" : "comment_posted";
	if (ret)
		web_redirect(w, arena_printf(w->arena, "%s%snotice=%s", ret, strchr(ret, '?') ? "&" : "?", code));
	else
		web_redirect(w, arena_printf(w->arena, "%s%snotice=%s#comment-%lld", reading_url(w, wk.id, has ? ch.id : 0),
		                             has ? "?" : "&", code, (long long)c.id));
}

void page_comments_more(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	int64_t chapter = form_id(kv_get(&w->req->query, "chapter")), after = form_id(kv_get(&w->req->query, "after"));
	struct chapter ch;
	if (chapter < 0 || after < 0 ||
	    (chapter > 0 && store_chapter_get(w->app->store, w->arena, wk.id, chapter, &ch) != 0)) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return;
	}
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk.id, chapter, &rc) != 0) {
		web_error(w, 500, "The comments could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "comments", comments_json(w, &wk, chapter, &rc, after));
	json_object_set_new(d, "back_url", json_string(reading_url(w, wk.id, chapter)));
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	if (!w->user && !wk.draft && !wk.restricted)
		w->cacheable = true;
	web_render(w, 200, "comments/more", arena_printf(w->arena, "Comments on %s", wk.title), d);
}

/* Loads comment path parameter 0 with its work; answers 404 itself. */
static bool load_comment(struct web_req *w, struct comment *c, struct work *wk)
{
	const char *why;
	int rc = comment_load(w->app->store, w->arena, web_param_id(w, 0), w->user, c, wk, &why);
	if (rc)
		web_error(w, response_status(rc), why);
	return rc == 0;
}

void page_comment_show(struct web_req *w)
{
	struct comment c;
	struct work wk;
	if (load_comment(w, &c, &wk))
		web_redirect(w, response_comment_url(w, &c));
}

static void render_edit(struct web_req *w, int status, const struct work *wk, const struct comment *c, const char *body,
                        const char *message, const struct field_errors *e)
{
	json_t *d = json_object();
	json_object_set_new(d, "form", json_pack("{s:s}", "body", body ? body : ""));
	json_object_set_new(d, "work", work_view_json(w, wk, false));
	json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/comments/%lld", (long long)c->id)));
	json_object_set_new(d, "back_url", json_string(response_comment_url(w, c)));
	json_object_set_new(d, "text_max", json_integer(COMMENT_TEXT_MAX));
	if (message)
		json_object_set_new(d, "message", json_string(message));
	if (e && e->n)
		work_view_set_errors(d, e);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "comments/edit", "Edit comment", d);
}

void page_comment_edit(struct web_req *w)
{
	struct comment c;
	struct work wk;
	if (!load_comment(w, &c, &wk))
		return;
	if (!c.user_id || !w->user || c.user_id != w->user->id || c.state == COMMENT_DELETED) {
		web_error(w, 403, "Only the comment's writer can edit it.");
		return;
	}
	render_edit(w, 200, &wk, &c, c.body.src, NULL, NULL);
}

void page_comment_update(struct web_req *w)
{
	struct comment c;
	struct work wk;
	if (!load_comment(w, &c, &wk))
		return;
	const char *body = work_form_raw(w, "body"), *why = NULL;
	struct field_errors e = {0};
	int rc = comment_edit(w->app->store, w->arena, &wk, &c, w->user, body, &e, &why);
	if (rc) {
		if (rc == Q_EPERM && (!w->user || c.user_id != w->user->id))
			web_error(w, 403, why);
		else
			render_edit(w, response_status(rc), &wk, &c, body, why, &e);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s%snotice=comment_updated#comment-%lld",
	                             reading_url(w, c.work_id, c.chapter_id), c.chapter_id ? "?" : "&", (long long)c.id));
}

void page_comment_delete(struct web_req *w)
{
	struct comment c;
	struct work wk;
	if (!load_comment(w, &c, &wk))
		return;
	const char *why;
	int rc = comment_delete(w->app->store, &wk, &c, w->user, &why);
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	const char *ret = return_path(w);
	web_redirect(w, ret ? ret : arena_printf(w->arena, "%s%snotice=comment_deleted#comments",
	                                          reading_url(w, c.work_id, c.chapter_id), c.chapter_id ? "?" : "&"));
}

void page_comment_moderate(struct web_req *w)
{
	struct comment c;
	struct work wk;
	if (!load_comment(w, &c, &wk))
		return;
	const char *why;
	int rc = comment_moderate(w->app->store, &wk, &c, w->user, web_form(w, "action"), &why);
	if (rc) {
		web_error(w, response_status(rc), why);
		return;
	}
	const char *ret = return_path(w);
	web_redirect(w, ret ? ret : arena_printf(w->arena, "%s%snotice=comment_moderated#comment-%lld",
	                                          reading_url(w, c.work_id, c.chapter_id), c.chapter_id ? "?" : "&",
	                                          (long long)c.id));
}

/* ---- Kudos pages ---- */

void page_kudos_show(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	int64_t chapter = 0;
	const char *q = kv_get(&w->req->query, "chapter");
	struct chapter ch;
	if (q && ((chapter = form_id(q)) < 0 || (chapter && store_chapter_get(w->app->store, w->arena, wk.id, chapter,
	                                                                    &ch) != 0))) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return;
	}
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk.id, chapter, &rc) != 0) {
		web_error(w, 500, "The kudos could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "kudos", chapter ? kudos_json(w, &wk, chapter, rc.chapter_kudos, rc.chapter_kudos_guests)
	                                        : kudos_json(w, &wk, 0, rc.work_kudos, rc.work_kudos_guests));
	if (chapter)
		json_object_set_new(d, "chapter_position", json_integer(ch.position));
	json_object_set_new(d, "back_url", json_string(reading_url(w, wk.id, chapter)));
	json_object_set_new(d, "can_give", json_boolean(!wk.draft && !work_is_creator(&wk, w->user)));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "works/kudos", arena_printf(w->arena, "Kudos for %s", wk.title), d);
}

void page_kudos_give(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	int64_t chapter = 0;
	const char *f = web_form(w, "chapter_id");
	struct chapter ch;
	if (*f && ((chapter = form_id(f)) < 0 ||
	           (chapter && store_chapter_get(w->app->store, w->arena, wk.id, chapter, &ch) != 0))) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return;
	}
	struct response_actor actor = response_actor_of(w);
	const char *why;
	int rc = kudos_give(w->app->response, w->app->store, &wk, chapter ? &ch : NULL, &actor, &why);
	if (rc && rc != Q_EEXIST) {
		web_error(w, response_status(rc), why);
		return;
	}
	if (w->wants_json) {
		web_json(w, rc ? 409 : 200, json_pack("{s:s}", "message", why));
		return;
	}
	const char *back = return_path(w);
	if (!back)
		back = reading_url(w, wk.id, chapter);
	web_redirect(w, arena_printf(w->arena, "%s%snotice=%s#kudos", back, strchr(back, '?') ? "&" : "?",
	                             rc ? "kudos_again" : "kudos"));
}
