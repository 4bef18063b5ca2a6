/* Comments and kudos pages, and the reader's-response parts of the reading page and the work form. */
#include "web/pages/response.h"
#include "archive/suggestions.h"
#include "archive/moderation.h"
#include "archive/mutes.h"
#include "archive/site.h"
#include "archive/roles.h"
#include "core/err.h"
#include "core/log.h"
#include "html/escape.h"
#include "html/tpl.h"
#include "front/page_cache.h"
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
	case Q_EUNAVAIL: return 503;
	default: return 500;
	}
}

struct response_actor response_actor_of(struct web_req *w)
{
	return (struct response_actor){.user = w->user, .address = w->req->client_key ? w->req->client_key : ""};
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

#define COMMENT_VARS 28

/* One comment as templates/comments/_comment.html reads it, as this viewer sees it: C values into
 * out[COMMENT_VARS] (returns how many); links only for what the viewer may do. */
static size_t comment_vars(struct web_req *w, const struct comment_view *v, struct tpl_var *out)
{
	const struct comment *c = v->c;
	size_t k = 0;
	out[k++] = tpl_var_int("depth", v->depth);
	out[k++] = tpl_var_str("author", v->placeholder ? "" : comment_author(c));
	out[k++] = tpl_var_bool("guest", !c->user_id && c->guest_name);
	out[k++] = tpl_var_bool("by_creator", c->by_creator);
	out[k++] = tpl_var_str("body_html", c->body.html ? c->body.html : "");
	out[k++] = tpl_var_bool("frozen", c->frozen);
	out[k++] = tpl_var_bool("edited", c->edited_at > 0);
	out[k++] = tpl_var_str("anchor", arena_cat_id(w->arena, "comment-", c->id, ""));
	out[k++] = tpl_var_str("permalink", response_comment_url(w, c));
	if (c->user_name)
		out[k++] = tpl_var_str("author_url", arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, c->user_name)));
	out[k++] = tpl_var_str("date", web_date(w, c->created_at));
	out[k++] = tpl_var_bool("placeholder", v->placeholder);
	out[k++] = tpl_var_bool("pending", c->state == COMMENT_PENDING);
	out[k++] = tpl_var_bool("hidden", c->state == COMMENT_HIDDEN);
	out[k++] = tpl_var_bool("can_reply", v->can_reply);
	if (v->can_reply)
		out[k++] = tpl_var_str("reply_url", arena_printf(w->arena, "/works/%lld%s/comments/new?parent_id=%lld",
		                                                 (long long)c->work_id,
		                                                 c->chapter_id ? arena_printf(w->arena, "/chapters/%lld",
		                                                                              (long long)c->chapter_id)
		                                                               : "",
		                                                 (long long)c->id));
	out[k++] = tpl_var_bool("can_edit", v->can_edit);
	out[k++] = tpl_var_bool("can_delete", v->can_delete);
	out[k++] = tpl_var_bool("moderator", v->moderator);
	if (v->can_edit)
		out[k++] = tpl_var_str("edit_url", arena_cat_id(w->arena, "/comments/", c->id, "/edit"));
	if (v->can_delete)
		out[k++] = tpl_var_str("delete_url", arena_cat_id(w->arena, "/comments/", c->id, "/delete"));
	if (v->moderator)
		out[k++] = tpl_var_str("moderate_url", arena_cat_id(w->arena, "/comments/", c->id, "/moderate"));
	if (v->can_delete || v->moderator)
		out[k++] = tpl_var_str("csrf_token", web_csrf_token(w));
	/* The site's moderators open its moderation page (a reason, the log, locking the work's comments). */
	if (!v->placeholder && archive_may(w->user, POWER_COMMENTS) && !v->can_edit)
		out[k++] = tpl_var_str("admin_url", arena_cat_id(w->arena, "/admin/comments/", c->id, ""));
	/* Anyone but its writer may report it to the site's moderators (the same link for every guest). */
	if (!v->placeholder && !v->can_edit)
		out[k++] = tpl_var_str("report_url", arena_printf(w->arena, "/reports/new?kind=comment&id=%lld", (long long)c->id));
	return k;
}

/* ---- The reading page's part ---- */

/* What tells guests apart for hits: address and browser (hashed at once by hits_note, never kept). */
static const char *visitor_of(struct web_req *w)
{
	const char *ua = http_header_get(w->req, "User-Agent");
	return arena_printf(w->arena, "%s|%s", w->req->client_ip ? w->req->client_ip : "", ua ? ua : "");
}

/* Kudos data for the work (ch 0) or a chapter: count, names, guests, where to leave them. */
/* The names of accounts that left kudos on the work (chapter_id 0) or chapter, when some did (NULL, 0 else). */
static void kudos_names(struct web_req *w, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t count,
                        int64_t guests, const char ***list, size_t *n)
{
	*list = NULL;
	*n = 0;
	if (count > guests &&
	    store_kudos_names(w->app->store, a, work_id, chapter_id, KUDOS_NAMES_SHOWN, list, n) != 0) {
		*list = NULL;
		*n = 0;
	}
}

#define KUDOS_VARS 7

/* The kudos of the work (chapter_id 0) or a chapter for templates (works/_response.html, works/kudos.html):
 * C values into out[KUDOS_VARS] (returns how many), and the names, when there are any, as the JSON array
 * d[names_key]. Pages are rendered often; only lists cost JSON. */
static size_t kudos_vars(struct web_req *w, int64_t work_id, int64_t chapter_id, int64_t count, int64_t guests,
                         const char **list, size_t n, json_t *d, const char *names_key, struct tpl_var *out)
{
	if (n) {
		json_t *names = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(names, json_pack("{s:s, s:s}", "name", list[i], "url",
			                                       arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, list[i]))));
		json_object_set_new(d, names_key, names);
	}
	int64_t others = count - guests - (int64_t)n; /* accounts beyond the names shown */
	size_t k = 0;
	out[k++] = tpl_var_int("count", count);
	out[k++] = tpl_var_int("guests", guests);
	if (guests > 0)
		out[k++] = tpl_var_str("guests_label", arena_cat_id(w->arena, "", guests, guests == 1 ? " guest" : " guests"));
	out[k++] = tpl_var_int("more_users", others > 0 ? others : 0);
	out[k++] = tpl_var_int("chapter_id", chapter_id);
	const char *post_url = arena_cat_id(w->arena, "/works/", work_id, "/kudos");
	out[k++] = tpl_var_str("post_url", post_url);
	out[k++] = tpl_var_str("page_url", chapter_id ? arena_cat_id(w->arena, arena_cat_id(w->arena, "/works/", work_id,
	                                                                                  "/kudos?chapter="), chapter_id, "")
	                                              : post_url);
	return k;
}

/* One page of threads, as the store has them (every state: the rules pick what a reader sees). */
struct thread_page {
	struct comment *list;
	size_t n;
	int64_t next;
	/* On a reading page's shared first page (response_data): each comment's HTML as most readers see it,
	 * without edit, delete or moderation buttons, [0] without and [1] with its Reply link; a NULL p where
	 * no guest sees the comment that way. Other pages of threads leave these NULL. */
	struct comment_html {
		const char *p;
		size_t n;
	} *plain[2];
};

static void thread_page_load(struct web_req *w, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after,
                             struct thread_page *out)
{
	memset(out, 0, sizeof *out);
	if (store_comment_list(w->app->store, a, work_id, chapter_id, after, COMMENT_THREADS_PER_PAGE, &out->list,
	                       &out->n, &out->next) != 0) {
		log_warn("work %lld: comments could not be loaded", (long long)work_id);
		memset(out, 0, sizeof *out);
	}
}

/* One comment (templates/comments/_comment.html) as this viewer sees it, appended to out. */
static void render_comment(struct web_req *w, const struct comment_view *v, struct tpl_out *out)
{
	struct tpl_var *vars = arena_alloc(w->arena, COMMENT_VARS * sizeof *vars);
	struct tpl_data d = {.vars = vars, .nvars = comment_vars(w, v, vars)};
	if (tpl_render_data(w->app->tpl, "comments/_comment", &d, w->refs, out) != 0)
		log_warn("comment %lld could not be rendered", (long long)v->c->id);
}

/* Renders page's comments as a guest sees them, once, into page->plain (in arena a, which the page lives
 * in): what most readers are shown of them then costs a reference, not a render, on every page view. */
static void thread_page_prerender(struct web_req *w, struct arena *a, const struct work *wk,
                                  struct thread_page *page)
{
	struct comment_view *v;
	size_t nv;
	comments_for_viewer(w->arena, wk, page->list, page->n, NULL, true, &v, &nv);
	for (int reply = 0; reply < 2; reply++)
		page->plain[reply] = arena_calloc(a, page->n + 1, sizeof *page->plain[reply]);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < nv; i++) {
		bool could_reply = v[i].can_reply;
		for (int reply = 0; reply <= (int)could_reply; reply++) {
			struct comment_view one = v[i];
			one.can_reply = reply;
			struct tpl_out o;
			tpl_out_init(&o, w->arena);
			render_comment(w, &one, &o);
			buf_reset(&b);
			tpl_out_flatten(&o, &b);
			struct comment_html *h = &page->plain[reply][v[i].c - page->list];
			h->p = arena_strndup(a, b.len ? b.data : "", b.len);
			h->n = b.len;
		}
	}
	buf_free(&b);
}

#define COMMENTS_VARS 11

/* A page of threads as this viewer sees them, for templates/comments/_section.html: C values into
 * out[COMMENTS_VARS] (returns how many), the comments among them as HTML ("items"). A comment this viewer
 * sees as a guest would comes from page->plain when it was rendered there; others are rendered here. */
static size_t comments_vars(struct web_req *w, const struct work *wk, int64_t chapter_id,
                            const struct response_counts *rc, const struct thread_page *page, struct tpl_var *out)
{
	struct comment_rights rights;
	comment_rights(wk, rc, w->user, &rights);
	struct comment_view *v;
	size_t nv;
	comments_for_viewer(w->arena, wk, page->list, page->n, w->user, rights.can_comment, &v, &nv);
	struct mute_set mutes; /* the reader's muted accounts' comments are not theirs to read */
	if (w->user && mutes_load(w->app->store, w->arena, w->user, &mutes) == 0)
		mutes_filter_comments(w->arena, &mutes, v, &nv);
	struct tpl_out *items = arena_alloc(w->arena, sizeof *items);
	tpl_out_init(items, w->arena);
	for (size_t i = 0; i < nv; i++) {
		const struct comment_html *h = page->plain[v[i].can_reply] ? &page->plain[v[i].can_reply][v[i].c - page->list] : NULL;
		if (h && h->p && !v[i].can_edit && !v[i].can_delete && !v[i].moderator)
			tpl_out_ref(items, h->p, h->n);
		else
			render_comment(w, &v[i], items);
	}
	/* The reading page's address is prefix + id: "/works/W/chapters/" + C, or "/works/" + W. */
	const char *prefix = chapter_id ? arena_cat_id(w->arena, "/works/", wk->id, "/chapters/") : "/works/";
	int64_t id = chapter_id ? chapter_id : wk->id;
	size_t k = 0;
	out[k++] = tpl_var_int("count", chapter_id ? rc->chapter_comments : rc->work_comments);
	if (nv)
		out[k++] = tpl_var_out("items", items);
	out[k++] = tpl_var_str("post_url", arena_cat_id(w->arena, prefix, id, "/comments"));
	out[k++] = tpl_var_str("new_url", arena_cat_id(w->arena, prefix, id, "/comments/new"));
	if (page->next)
		out[k++] = tpl_var_str("more_url", arena_printf(w->arena, "/works/%lld/comments?chapter=%lld&after=%lld",
		                                                (long long)wk->id, (long long)chapter_id,
		                                                (long long)page->next));
	out[k++] = tpl_var_bool("can_comment", rights.can_comment);
	out[k++] = tpl_var_bool("needs_login", rights.needs_login);
	out[k++] = tpl_var_bool("moderated", rc->moderated && !rights.moderator);
	if (rights.closed)
		out[k++] = tpl_var_str("closed", rights.closed);
	out[k++] = tpl_var_bool("on_chapter", chapter_id != 0);
	out[k++] = tpl_var_int("text_max", COMMENT_TEXT_MAX);
	return k;
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

/* The response data of one reading page (counts, the first page of threads, kudos names), the same for every
 * reader, in a fragment of the page cache: kept while the work's response writes leave store_response_seq as
 * it was (logged-in readers see every kudos and comment at once), dropped with the work (PAGE_DEP_WORK) when
 * a comment is edited, hidden, approved or deleted. A reading page of a logged-in reader then reads nothing
 * of the response from the store. What each reader sees of it is decided per request. */
struct response_data {
	uint64_t seq;
	struct response_counts rc;
	const char **work_names, **chapter_names;
	size_t nwork_names, nchapter_names;
	struct thread_page threads;
};

/* The response data of the page (held for this response), or NULL when the store failed. */
static const struct response_data *response_data(struct web_req *w, const struct work *wk, int64_t chapter_id,
                                                 bool multi)
{
	int64_t work_id = wk->id;
	const char *key = arena_printf(w->arena, "frag:response:%lld:%lld", (long long)work_id, (long long)chapter_id);
	uint64_t seq = store_response_seq(w->app->store, work_id); /* read before the store is */
	struct page_frag *f = page_cache_get_frag(w->app->cache, key);
	if (f && ((const struct response_data *)f->data)->seq != seq) {
		page_frag_release(f);
		f = NULL;
	}
	if (!f) {
		f = page_frag_new();
		struct response_data *r = arena_calloc(f->arena, 1, sizeof *r);
		r->seq = seq;
		if (store_response_counts(w->app->store, work_id, chapter_id, &r->rc) != 0) {
			log_warn("work %lld: response counts could not be loaded", (long long)work_id);
			page_frag_release(f);
			return NULL;
		}
		kudos_names(w, f->arena, work_id, 0, r->rc.work_kudos, r->rc.work_kudos_guests, &r->work_names,
		            &r->nwork_names);
		if (chapter_id && multi)
			kudos_names(w, f->arena, work_id, chapter_id, r->rc.chapter_kudos, r->rc.chapter_kudos_guests,
			            &r->chapter_names, &r->nchapter_names);
		thread_page_load(w, f->arena, wk->id, chapter_id, 0, &r->threads);
		thread_page_prerender(w, f->arena, wk, &r->threads);
		f->data = r;
		struct page_dep dep = {PAGE_DEP_WORK, work_id};
		page_cache_put_frag(w->app->cache, key, &dep, 1, w->cache_epoch, page_frag_retain(f));
	}
	http_response_hold(w->resp, w->arena, page_frag_release, f);
	return f->data;
}

void web_response_reading(struct web_req *w, json_t *d, const struct work *wk, const struct web_response_view *rv,
                          struct web_response_vars *out)
{
	int64_t chapter_id = rv->full ? 0 : rv->chapter_id;
	out->n = 0;
	if (wk->draft)
		return; /* a draft's page is its creator's alone: nothing to count or respond to yet */
	/* Creators rereading their own work are not hits. "/works/ID" (opening at the first chapter) is a hit
	 * on the work alone, as when its page comes from the guest cache (web_response_cached_view). */
	bool creator = work_is_creator(wk, w->user);
	if (!creator)
		hits_note(w->app->response, wk->id, chapter_id, strstr(w->req->path, "/chapters/") != NULL, w->user,
		          visitor_of(w));
	const struct response_data *rd = response_data(w, wk, chapter_id, rv->multi);
	if (!rd)
		return;
	const struct response_counts *rc = &rd->rc;
	struct tpl_var *r = arena_calloc(w->arena, 12, sizeof *r), *wkv = arena_calloc(w->arena, KUDOS_VARS, sizeof *wkv);
	size_t n = 0;
	r[n++] = tpl_var_obj("work_kudos", wkv, kudos_vars(w, wk->id, 0, rc->work_kudos, rc->work_kudos_guests,
	                                                    rd->work_names, rd->nwork_names, d, "work_kudos_names", wkv));
	/* A one-chapter work reads like a one-shot: its kudos are the work's. */
	if (chapter_id && rv->multi) {
		struct tpl_var *ckv = arena_calloc(w->arena, KUDOS_VARS, sizeof *ckv);
		r[n++] = tpl_var_obj("chapter_kudos", ckv, kudos_vars(w, wk->id, chapter_id, rc->chapter_kudos,
		                                                       rc->chapter_kudos_guests, rd->chapter_names,
		                                                       rd->nchapter_names, d, "chapter_kudos_names", ckv));
		r[n++] = tpl_var_int("chapter_position", rv->chapter_position);
	}
	if (!rv->full) { /* the meta block's slot in the shared fragment (the entire work has them in place) */
		struct tpl_var *st = arena_calloc(w->arena, 4, sizeof *st);
		st[0] = tpl_var_int("hits", rc->work_hits);
		st[1] = tpl_var_int("kudos", rc->work_kudos);
		st[2] = tpl_var_int("comments", rc->work_comments);
		st[3] = tpl_var_int("bookmarks", rc->work_bookmarks);
		r[n++] = tpl_var_obj("stats", st, 4);
	}
	r[n++] = tpl_var_str("stats_url", arena_cat_id(w->arena, "/works/", wk->id, "/stats"));
	r[n++] = tpl_var_str("bookmark_url", arena_cat_id(w->arena, "/works/", wk->id, "/bookmark"));
	r[n++] = tpl_var_str("later_url", arena_cat_id(w->arena, "/works/", wk->id, "/later"));
	r[n++] = tpl_var_bool("is_creator", creator);
	r[n++] = tpl_var_bool("logged_in", w->user != NULL);
	/* Kudos come back to this view (the entire work keeps its query), without an old notice. */
	r[n++] = tpl_var_str("return", rv->full ? arena_printf(w->arena, "%s?view_full_work=true", w->req->path)
	                                        : w->req->path);
	const char *notice = notice_text(w);
	if (notice) {
		r[n++] = tpl_var_str("notice", notice);
		w->cacheable = false; /* the notice is for this reader alone */
	}
	if (w->user)
		r[n++] = tpl_var_str("csrf_token", web_csrf_token(w));
	struct tpl_var *cv = arena_calloc(w->arena, COMMENTS_VARS, sizeof *cv);
	out->top[out->n++] = tpl_var_obj("response", r, n);
	out->top[out->n++] = tpl_var_obj("comments", cv, comments_vars(w, wk, chapter_id, rc, &rd->threads, cv));
}

/* ---- Hooks elsewhere ---- */

int web_response_init(struct web *app)
{
	unsigned char key[32];
	int rc = store_secret(app->store, "response_key", key, sizeof key);
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
	const char *p;
	int64_t work = web_path_id(w->req->path, "/works/", &p), chapter = 0;
	if (!work)
		return;
	/* "/works/12" (its first chapter, or the entire work) is a hit on the work alone. */
	if (*p && (!(chapter = web_path_id(p, "/chapters/", &p)) || *p != '\0'))
		return;
	hits_note(w->app->response, work, chapter, true, NULL, visitor_of(w));
}

int64_t web_response_unread(struct web_req *w)
{
	return w->user ? w->user->inbox_unread : 0; /* read with the session (users.inbox_unread) */
}

void web_response_settings_form(struct web_req *w, json_t *form, const struct work *wk)
{
	int policy = wk ? COMMENTS_EVERYONE : site_comment_default(w->app->community); /* a new work: the site's default */
	bool moderated = false;
	if (strcmp(w->req->method, "POST") == 0) {
		int p = comment_policy_parse(web_form(w, "comment_policy"));
		policy = p < 0 ? policy : p;
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
	/* Readers' suggestions (archive/suggestions.h): off unless the writer turns them on. */
	bool suggestions = strcmp(w->req->method, "POST") == 0 ? *web_form(w, "reader_suggestions") != '\0'
	                   : wk && archive_suggestions_enabled(w->app->store, wk->id);
	json_object_set_new(form, "reader_suggestions", json_boolean(suggestions));
}

void web_response_settings_input(struct web_req *w, struct work_input *in)
{
	const char *p = web_form(w, "comment_policy");
	in->comment_settings = true;
	in->comment_policy = *p ? comment_policy_parse(p) : site_comment_default(w->app->community); /* -1: a field error */
	in->comments_moderated = *web_form(w, "comments_moderated") != '\0';
	in->suggestions_setting = true; /* the form's "Let readers suggest changes" box */
	in->reader_suggestions = *web_form(w, "reader_suggestions") != '\0';
}

/* ---- Comment pages ---- */

/* The chapter named by path parameter 1, when the route has one; false when a 404 was sent. */
static bool load_target(struct web_req *w, const struct work *wk, struct chapter *ch, bool *has)
{
	*has = w->params[1] != NULL;
	return !*has || work_view_load_chapter(w, wk, ch);
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
			json_object_set_new(d, "parent", json_pack("{s:s, s:s}", "author", v.placeholder ? "" : comment_author(&p),
			                                           "body_html", p.body.html ? p.body.html : ""));
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

/* Chapter id of wk into ch (0, the whole work, leaves ch alone) for the pages that take it from the query
 * or a form; false after a 404 when id is not one (negative: not a number) or names no chapter of wk. */
static bool work_chapter(struct web_req *w, const struct work *wk, int64_t id, struct chapter *ch)
{
	if (id < 0 || (id && store_chapter_get(w->app->store, w->arena, wk->id, id, ch) != 0)) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return false;
	}
	return true;
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
		.id_only = true, /* answered with a redirect */
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
		else if (r == Q_EUNAVAIL)
			why = web_unavailable(w, r);
		render_comment_form(w, response_status(r), &wk, has ? &ch : NULL, &in, why, &errors);
		return;
	}
	if (!c.id) { /* held as likely spam: said on a page of its own (a guest's redirect could not carry the notice) */
		json_t *d = json_object();
		json_object_set_new(d, "message", json_string(why));
		json_object_set_new(d, "back_url", json_string(reading_url(w, wk.id, has ? ch.id : 0)));
		json_object_set_new(d, "title", json_string(wk.title));
		web_render(w, 202, "comments/held", "Comment received", d);
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
	if (after < 0) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return;
	}
	if (!work_chapter(w, &wk, chapter, &ch))
		return;
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk.id, chapter, &rc) != 0) {
		web_error(w, 500, "The comments could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	struct thread_page page;
	thread_page_load(w, w->arena, wk.id, chapter, after, &page);
	struct tpl_var cv[COMMENTS_VARS], top[1];
	top[0] = tpl_var_obj("comments", cv, comments_vars(w, &wk, chapter, &rc, &page, cv));
	json_object_set_new(d, "back_url", json_string(reading_url(w, wk.id, chapter)));
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	if (!w->user && !wk.draft && !wk.restricted)
		w->cacheable = true;
	web_render_mixed(w, 200, "comments/more", arena_printf(w->arena, "Comments on %s", wk.title), d, top, 1);
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
	int rc;
	/* The site's moderators deleting someone else's comment on someone else's work act as moderators: logged,
	 * its writer told, restorable (archive/moderation.h). */
	if (c.user_id != w->user->id && !work_is_creator(&wk, w->user) && archive_may(w->user, POWER_COMMENTS)) {
		const char *reason = web_form(w, "reason");
		struct mod_request rq = {.actor = w->user,
		                         .reason = *reason ? reason : "Deleted by the site's moderators from its thread."};
		rc = mod_comment_delete(w->app->community, w->arena, &rq, c.id, NULL, &why);
	} else {
		rc = comment_delete(w->app->store, &wk, &c, w->user, &why);
	}
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
	const char *q = kv_get(&w->req->query, "chapter");
	int64_t chapter = q ? form_id(q) : 0;
	struct chapter ch;
	if (!work_chapter(w, &wk, chapter, &ch))
		return;
	struct response_counts rc;
	if (store_response_counts(w->app->store, wk.id, chapter, &rc) != 0) {
		web_error(w, 500, "The kudos could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	const char **names;
	size_t nnames;
	int64_t count = chapter ? rc.chapter_kudos : rc.work_kudos, guests = chapter ? rc.chapter_kudos_guests
	                                                                            : rc.work_kudos_guests;
	kudos_names(w, w->arena, wk.id, chapter, count, guests, &names, &nnames);
	struct tpl_var kv[KUDOS_VARS], top[1];
	top[0] = tpl_var_obj("kudos", kv, kudos_vars(w, wk.id, chapter, count, guests, names, nnames, d, "kudos_names", kv));
	if (chapter)
		json_object_set_new(d, "chapter_position", json_integer(ch.position));
	json_object_set_new(d, "back_url", json_string(reading_url(w, wk.id, chapter)));
	json_object_set_new(d, "can_give", json_boolean(!wk.draft && !work_is_creator(&wk, w->user)));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render_mixed(w, 200, "works/kudos", arena_printf(w->arena, "Kudos for %s", wk.title), d, top, 1);
}

void page_kudos_give(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	const char *f = web_form(w, "chapter_id");
	int64_t chapter = *f ? form_id(f) : 0;
	struct chapter ch;
	if (!work_chapter(w, &wk, chapter, &ch))
		return;
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
