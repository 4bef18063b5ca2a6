/* Readers' suggestions on a passage, in pages: the reader's form (and their earlier suggestions on the
 * chapter with the writer's answers), and the writer's Accept, Dismiss and Answer buttons in the chapter
 * editor and the inbox. The rules are in archive/suggestions.c. */
#include "web/pages/suggestions_view.h"
#include "web/pages/pages.h"
#include "archive/response.h"
#include "archive/suggestions.h"
#include "archive/work.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/html_text.h"
#include "web/work_view.h"
#include <string.h>

/* Squeezed plain text of a chapter (for finding passages as readers see them). */
static const char *chapter_plain(struct web_req *w, const struct chapter *c)
{
	struct buf b = BUF_INIT;
	if (c->content_html)
		html_text(c->content_html, strlen(c->content_html), &b);
	char *s = arena_strdup(w->arena, buf_cstr(&b)), *o = s;
	buf_free(&b);
	bool space = false;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = o > s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = 0;
	return s;
}

json_t *suggestions_view_item(struct web_req *w, const struct reader_suggestion *s, const char *plain, bool answer,
                              bool show_where, const char *ret)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)s->id, "quote", s->quote, "state",
	                      archive_suggestion_state_name(s->state), "date", web_date(w, s->created_at), "author",
	                      s->user_name ? s->user_name : "(deleted account)", "show_author", answer,
	                      "answer", answer && s->state == SUGGESTION_OPEN);
	json_object_set_new(o, "state_label", json_string(s->state == SUGGESTION_ACCEPTED    ? "accepted"
	                                                  : s->state == SUGGESTION_DISMISSED ? "dismissed"
	                                                                                     : "waiting for the writer"));
	if (s->replacement)
		json_object_set_new(o, "replacement", json_string(s->replacement));
	if (s->note)
		json_object_set_new(o, "note", json_string(s->note));
	if (s->reply)
		json_object_set_new(o, "reply", json_string(s->reply));
	if (plain && s->state == SUGGESTION_OPEN && archive_suggestion_anchor(plain, s) < 0)
		json_object_set_new(o, "outdated", json_true());
	if (show_where) {
		json_object_set_new(o, "where", json_string(arena_printf(w->arena, "%s, chapter %d", s->work_title ? s->work_title : "",
		                                                         s->chapter_position)));
		json_object_set_new(o, "where_url", json_string(arena_printf(w->arena, "/works/%lld/chapters/%lld/edit#suggestion-%lld",
		                                                             (long long)s->work_id, (long long)s->chapter_id,
		                                                             (long long)s->id)));
	}
	if (answer) {
		json_object_set_new(o, "can_accept", json_boolean(s->replacement != NULL));
		json_object_set_new(o, "accept_url", json_string(arena_cat_id(w->arena, "/suggestions/", s->id, "/accept")));
		json_object_set_new(o, "dismiss_url", json_string(arena_cat_id(w->arena, "/suggestions/", s->id, "/dismiss")));
		json_object_set_new(o, "reply_url", json_string(arena_cat_id(w->arena, "/suggestions/", s->id, "/reply")));
		json_object_set_new(o, "return", json_string(ret));
		json_object_set_new(o, "csrf_token", json_string(web_csrf_token(w)));
	}
	return o;
}

json_t *suggestions_view_editor(struct web_req *w, const struct work *wk, const struct chapter *c)
{
	struct suggestion_query q = {.chapter_id = c->id, .state = SUGGESTION_OPEN, .limit = 100};
	struct reader_suggestion *list = NULL;
	size_t n = 0;
	if (!work_is_creator(wk, w->user) || store_suggestions_list(w->app->store, w->arena, &q, &list, &n) != 0 || !n)
		return NULL;
	const char *plain = chapter_plain(w, c), *ret = arena_printf(w->arena, "/works/%lld/chapters/%lld/edit",
	                                                             (long long)wk->id, (long long)c->id);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, suggestions_view_item(w, &list[i], plain, true, false, ret));
	return arr;
}

json_t *suggestions_view_inbox(struct web_req *w)
{
	struct suggestion_query q = {.creator_id = w->user->id, .state = SUGGESTION_OPEN, .limit = 20};
	struct reader_suggestion *list = NULL;
	size_t n = 0;
	if (store_suggestions_list(w->app->store, w->arena, &q, &list, &n) != 0 || !n)
		return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, suggestions_view_item(w, &list[i], NULL, true, true, "/inbox"));
	return arr;
}

bool suggestions_view_inbox_message(struct web_req *w, const struct inbox_item *it, json_t *o)
{
	if (it->kind != INBOX_SUGGESTION && it->kind != INBOX_SUGGESTION_ACCEPTED && it->kind != INBOX_SUGGESTION_ANSWERED)
		return false;
	json_object_set_new(o, inbox_kind_name(it->kind), json_true());
	json_object_set_new(o, "actor", json_string(it->actor_name ? it->actor_name : "(deleted account)"));
	json_object_set_new(o, "work_title", json_string(it->work_title ? it->work_title : ""));
	json_object_set_new(o, "chapter_position", json_integer(it->chapter_position));
	json_object_set_new(o, "text", json_string(archive_quote(w->arena, it->body ? it->body : "")));
	/* The writers answer in the chapter editor; the reader finds the answer beside the form. */
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, it->kind == INBOX_SUGGESTION
	                                                                     ? "/works/%lld/chapters/%lld/edit#reader-suggestions"
	                                                                     : "/works/%lld/chapters/%lld/suggestions/new#my-suggestions",
	                                                       (long long)it->work_id, (long long)it->chapter_id)));
	return true;
}

/* The form page, with the reader's earlier suggestions on the chapter. */
static void render_new(struct web_req *w, int status, const struct work *wk, const struct chapter *c, json_t *form,
                       const struct field_errors *errors, const char *refusal, const char *notice)
{
	json_t *d = json_object();
	json_object_set_new(d, "form", form);
	json_t *chj = work_view_chapter(w, wk, c);
	json_object_set_new(d, "chapter_url", json_incref(json_object_get(chj, "url")));
	json_object_set_new(d, "chapter_heading", json_incref(json_object_get(chj, "heading")));
	json_decref(chj);
	json_object_set_new(d, "work_url", json_string(arena_cat_id(w->arena, "/works/", wk->id, "")));
	json_object_set_new(d, "work_title", json_string(wk->title));
	json_object_set_new(d, "action_url", json_string(arena_printf(w->arena, "/works/%lld/chapters/%lld/suggestions",
	                                                              (long long)wk->id, (long long)c->id)));
	if (errors && errors->n)
		work_view_set_errors(d, errors);
	if (refusal)
		json_object_set_new(d, "refusal", json_string(refusal));
	if (notice)
		json_object_set_new(d, "notice", json_string(notice));
	struct suggestion_query q = {.chapter_id = c->id, .user_id = w->user->id, .state = -1, .limit = 50};
	struct reader_suggestion *mine = NULL;
	size_t n = 0;
	if (store_suggestions_list(w->app->store, w->arena, &q, &mine, &n) == 0 && n) {
		const char *plain = chapter_plain(w, c);
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, suggestions_view_item(w, &mine[i], plain, false, false, ""));
		json_object_set_new(d, "mine", arr);
	}
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "suggestions/new", arena_printf(w->arena, "Suggest a change to %s", wk->title), d);
}

/* The work and chapter of the path (404 answered when missing or hidden). */
static bool load(struct web_req *w, struct work *wk, struct chapter *c)
{
	return work_view_load(w, wk, false) && work_view_load_chapter(w, wk, c);
}

void page_suggestion_new(struct web_req *w)
{
	struct work wk;
	struct chapter c;
	if (!load(w, &wk, &c))
		return;
	int brc = 0;
	const char *refusal = archive_suggestion_refusal(w->app->store, w->user, &wk, &brc);
	json_t *form = json_object();
	for (const char *const *k = (const char *const[]){"quote", "prefix", "suffix", NULL}; *k; k++) {
		const char *v = kv_get(&w->req->query, *k);
		json_object_set_new(form, *k, json_string(v && strlen(v) <= 8000 ? v : ""));
	}
	const char *sent = kv_get(&w->req->query, "sent");
	render_new(w, refusal ? 403 : 200, &wk, &c, form, NULL, refusal,
	           sent && !strcmp(sent, "1") ? "Your suggestion was sent to the writer." : NULL);
}

void page_suggestion_create(struct web_req *w)
{
	struct work wk;
	struct chapter c;
	if (!load(w, &wk, &c))
		return;
	struct suggestion_input in = {web_form(w, "quote"), web_form(w, "prefix"), web_form(w, "suffix"),
	                              web_form(w, "replacement"), web_form(w, "note")};
	struct field_errors errors = {0};
	const char *why = NULL;
	int64_t id = 0;
	int rc = archive_suggestion_create(w->app->store, w->arena, w->user, wk.id, c.id, &in, &id, &errors, &why);
	if (rc == 0) {
		web_redirect(w, arena_printf(w->arena, "/works/%lld/chapters/%lld/suggestions/new?sent=1#suggestion-%lld",
		                             (long long)wk.id, (long long)c.id, (long long)id));
		return;
	}
	json_t *form = json_pack("{s:s, s:s, s:s, s:s, s:s}", "quote", in.quote, "prefix", in.prefix, "suffix", in.suffix,
	                         "replacement", in.replacement, "note", in.note);
	int status = rc == Q_EINVAL ? 422 : rc == Q_EPERM ? 403 : rc == Q_EBUSY ? 429 : rc == Q_ETOOBIG ? 422 : 500;
	if (rc == Q_EINVAL)
		render_new(w, status, &wk, &c, form, &errors, NULL, NULL);
	else if (rc == Q_EPERM)
		render_new(w, status, &wk, &c, form, NULL, why, NULL);
	else {
		json_t *d = form; /* keep the typed text: the form again with the reason */
		render_new(w, status, &wk, &c, d, NULL, NULL, why);
	}
}

/* Back to "return" (a local path), else the inbox, with a notice. */
static void back(struct web_req *w, const char *notice)
{
	const char *ret = web_form(w, "return");
	if (!(ret[0] == '/' && ret[1] != '/' && ret[1] != '\\'))
		ret = "/inbox";
	const char *hash = strchr(ret, '#');
	size_t n = hash ? (size_t)(hash - ret) : strlen(ret);
	web_redirect(w, arena_printf(w->arena, "%.*s%csuggestion_notice=%s", (int)n, ret, memchr(ret, '?', n) ? '&' : '?',
	                             notice));
}

static void answered(struct web_req *w, int rc, const char *why, const char *ok)
{
	if (rc == 0) {
		back(w, ok);
		return;
	}
	int status = rc == Q_ENOTFOUND ? 404 : rc == Q_EPERM ? 403 : rc == Q_EINVAL ? 422 : 500;
	web_error(w, status, why ? why : "That did not work. Please try again in a moment.");
}

void page_suggestion_accept(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_suggestion_accept(w->app->store, w->arena, w->user, web_param_id(w, 0), &why);
	answered(w, rc, why, "accepted");
}

void page_suggestion_dismiss(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_suggestion_dismiss(w->app->store, w->arena, w->user, web_param_id(w, 0), &why);
	answered(w, rc, why, "dismissed");
}

void page_suggestion_reply(struct web_req *w)
{
	const char *why = NULL;
	struct field_errors errors = {0};
	int rc = archive_suggestion_reply(w->app->store, w->arena, w->user, web_param_id(w, 0), web_form(w, "reply"),
	                                  &errors, &why);
	if (rc == Q_EINVAL && errors.n)
		why = errors.items[0].message;
	answered(w, rc, why, "answered");
}

const char *suggestions_view_notice(struct web_req *w)
{
	const char *n = kv_get(&w->req->query, "suggestion_notice");
	if (!n)
		return NULL;
	if (!strcmp(n, "accepted"))
		return "Suggestion accepted: the chapter is changed.";
	if (!strcmp(n, "dismissed"))
		return "Suggestion dismissed.";
	if (!strcmp(n, "answered"))
		return "Your answer was sent.";
	return NULL;
}
