/* Subscription pages: the reader's list, subscribe and unsubscribe buttons on work and author pages, mail
 * choices, and the one-click unsubscribe link of every notification mail (RFC 8058). */
#include "web/pages/pages.h"
#include "archive/subscriptions.h"
#include "core/err.h"
#include "core/log.h"
#include "html/escape.h"
#include "html/tpl.h"
#include <stdlib.h>
#include <string.h>

#define SUBSCRIPTIONS_PER_PAGE 50

/* Where a subscription's target is read ("" for series, which have no page yet). */
/* A positive decimal id (at most 18 digits, no sign or leading zero), or 0. */
static int64_t positive_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 18 || s[0] == '0' || strspn(s, "0123456789") != n)
		return 0;
	return strtoll(s, NULL, 10);
}

/* ---- Buttons on work, chapter and author pages --------------------------------------------- */

/* One subscribe or unsubscribe button (templates/subscriptions/_button.html) rendered from C values, as
 * a reference for {{RAW}}: kind, id, sub_id (0 = not subscribed), return, label, unlabel; guests get
 * guest and login_url, the same for every guest, so the page stays cacheable. NULL when it fails. */
static json_t *button(struct web_req *w, enum sub_kind kind, int64_t target_id, const char *label,
                      const char *unlabel)
{
	struct tpl_var v[9];
	size_t n = 0;
	v[n++] = tpl_var_str("label", label);
	v[n++] = tpl_var_str("unlabel", unlabel);
	v[n++] = tpl_var_str("kind", subscription_kind_name(kind));
	v[n++] = tpl_var_int("id", target_id);
	v[n++] = tpl_var_str("return", w->req->path);
	if (!w->user) {
		v[n++] = tpl_var_bool("guest", true);
		v[n++] = tpl_var_str("login_url", arena_printf(w->arena, "/login?return=%s", esc_url_a(w->arena, w->req->path)));
	} else {
		struct subscription s;
		int rc = store_subscription_find(w->app->store, w->arena, w->user->id, kind, target_id, &s);
		v[n++] = tpl_var_int("sub_id", rc == 0 ? s.id : 0);
		v[n++] = tpl_var_str("csrf_token", web_csrf_token(w));
	}
	struct tpl_data d = {.vars = v, .nvars = n};
	struct tpl_out *out = arena_alloc(w->arena, sizeof *out);
	tpl_out_init(out, w->arena);
	if (tpl_render_data(w->app->tpl, "subscriptions/_button", &d, web_refs(w), out) != 0) {
		log_warn("a subscribe button could not be rendered");
		return NULL;
	}
	return tpl_ref_out(web_refs(w), out);
}

static void set_button(json_t *data, const char *key, json_t *button)
{
	if (button)
		json_object_set_new(data, key, button);
}

void subscriptions_view_work(struct web_req *w, json_t *data, const struct work *wk)
{
	if (wk->draft)
		return; /* nobody follows a draft */
	set_button(data, "subscribe_work", button(w, SUB_WORK, wk->id, "Subscribe", "Unsubscribe"));
	if (wk->series_id && w->user) /* a guest gets one "Log in to subscribe", not one per thing to follow */
		set_button(data, "subscribe_series",
		           button(w, SUB_SERIES, wk->series_id, "Subscribe to series", "Unsubscribe from series"));
}

void subscriptions_view_user(struct web_req *w, json_t *data, const struct user *u)
{
	if (!strcmp(u->role, "orphan") || (w->user && w->user->id == u->id))
		return;
	set_button(data, "subscribe_user", button(w, SUB_USER, u->id, arena_printf(w->arena, "Subscribe to %s", u->name),
	                                          arena_printf(w->arena, "Unsubscribe from %s", u->name)));
}

/* ---- The reader's list ------------------------------------------------------------------------- */

static json_t *mail_choices(int selected)
{
	static const struct {
		int value;
		const char *label;
	} choices[] = {{-1, "As my account says"}, {0, "Inbox only"}, {1, "Inbox and e-mail"}};
	json_t *a = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", subscription_mail_name(choices[i].value),
		                                   "label", choices[i].label, "selected", choices[i].value == selected));
	return a;
}

static const char *kind_label(enum sub_kind k)
{
	return k == SUB_WORK ? "Work" : k == SUB_USER ? "Author" : "Series";
}

void page_subscriptions(struct web_req *w)
{
	int64_t after = positive_id(kv_get(&w->req->query, "after"));
	struct subscription *list = NULL;
	size_t n = 0;
	if (store_subscription_list(w->app->store, w->arena, w->user->id, after, SUBSCRIPTIONS_PER_PAGE + 1, &list,
	                            &n) != 0) {
		web_error(w, 500, "Your subscriptions could not be loaded. Please try again in a moment.");
		return;
	}
	bool more = n > SUBSCRIPTIONS_PER_PAGE;
	if (more)
		n = SUBSCRIPTIONS_PER_PAGE;
	json_t *d = json_object(), *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(list[i].id));
		json_object_set_new(o, "kind", json_string(kind_label(list[i].kind)));
		json_object_set_new(o, "title", json_string(list[i].title));
		json_object_set_new(o, "url", json_string(subscription_path(w->arena, &list[i])));
		json_object_set_new(o, "since", json_string(web_date(w, list[i].created_at)));
		json_object_set_new(o, "mail_choices", mail_choices(list[i].mail));
		json_array_append_new(items, o);
	}
	json_object_set_new(d, "subscriptions", items);
	if (more)
		json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "/subscriptions?after=%lld",
		                                                            (long long)list[n - 1].id)));
	if (after)
		json_object_set_new(d, "first_url", json_string("/subscriptions"));
	struct mail_settings ms;
	if (store_mail_settings_get(w->app->store, w->arena, w->user->id, &ms) == 0)
		json_object_set_new(d, "account_mail", json_boolean(ms.notify_mail));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "subscriptions/index", "Subscriptions", d);
}

/* Back where the button was, or to the list (web_redirect keeps it local). */
static void back(struct web_req *w)
{
	const char *ret = web_form(w, "return");
	web_redirect(w, *ret ? ret : "/subscriptions");
}

void page_subscription_create(struct web_req *w)
{
	enum sub_kind kind;
	int64_t target = positive_id(web_form(w, "id"));
	int mail = -1;
	const char *m = web_form(w, "mail");
	if (subscription_kind_parse(web_form(w, "type"), &kind) != 0 || !target || (*m && subscription_mail_parse(m, &mail))) {
		web_error(w, 400, "Subscribe to a work, an author or a series, by its number.");
		return;
	}
	int64_t id = 0;
	const char *why = NULL;
	int rc = subscriptions_add(w->app->store, w->arena, w->user, kind, target, mail, &id, &why);
	if (rc == Q_EEXIST) {
		back(w); /* already subscribed: the page shows it; nothing changed */
		return;
	}
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, "There is nothing by that number to subscribe to, or you are not allowed to see it.");
		return;
	}
	if (rc == Q_EINVAL) {
		web_error(w, 422, why);
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The subscription could not be saved. Please try again in a moment.");
		return;
	}
	back(w);
}

void page_subscription_delete(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	int rc = id ? store_subscription_delete(w->app->store, w->user->id, id) : Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, "You have no such subscription (perhaps you unsubscribed already).");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The subscription could not be removed. Please try again in a moment.");
		return;
	}
	back(w);
}

void page_subscription_mail(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	int mail;
	if (subscription_mail_parse(web_form(w, "mail"), &mail) != 0) {
		web_error(w, 422, "Choose where this subscription's notifications go.");
		return;
	}
	int rc = id ? store_subscription_set_mail(w->app->store, w->user->id, id, mail) : Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, "You have no such subscription.");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The choice could not be saved. Please try again in a moment.");
		return;
	}
	back(w);
}

/* ---- One-click unsubscribe links ---------------------------------------------------------------- */

/* The link's token: in the query string (the mail's URL, also where RFC 8058 POSTs go) or the form. */
static const char *unsub_token(struct web_req *w)
{
	const char *t = kv_get(&w->req->query, "token");
	return t ? t : web_form(w, "token");
}

static void unsub_render(struct web_req *w, int status, const char *token, const struct subscription *s, bool done,
                         const char *message)
{
	json_t *d = json_object();
	json_object_set_new(d, "token", json_string(token));
	json_object_set_new(d, "done", json_boolean(done));
	if (message)
		json_object_set_new(d, "message", json_string(message));
	if (s) {
		json_object_set_new(d, "kind", json_string(kind_label(s->kind)));
		json_object_set_new(d, "title", json_string(s->title));
		json_object_set_new(d, "url", json_string(subscription_path(w->arena, s)));
	}
	web_render(w, status, "subscriptions/unsubscribe", done ? "Unsubscribed" : "Unsubscribe", d);
}

/* GET shows a button: mail scanners that follow links must not unsubscribe anyone. */
void page_unsubscribe_form(struct web_req *w)
{
	const char *token = unsub_token(w);
	struct subscription s;
	int rc = subscriptions_by_token(w->app->store, w->arena, token, &s);
	if (rc == Q_EPERM)
		unsub_render(w, 400, token, NULL, false, "This unsubscribe link is not valid. Copy the whole link from the mail.");
	else if (rc == Q_ENOTFOUND)
		unsub_render(w, 200, token, NULL, true, "You are not subscribed to this any more: no more mail will come for it.");
	else if (rc != 0)
		web_error(w, 500, "Something went wrong. Please try again in a moment.");
	else
		unsub_render(w, 200, token, &s, false, NULL);
}

/* The button and the mail program's one-click POST (List-Unsubscribe=One-Click, no cookies, no CSRF token:
 * the signed token is the proof). Answering twice is fine: the result is the same. */
void page_unsubscribe(struct web_req *w)
{
	const char *token = unsub_token(w);
	struct subscription s;
	int rc = subscriptions_unsubscribe_token(w->app->store, w->arena, token, &s);
	if (rc == Q_EPERM)
		unsub_render(w, 400, token, NULL, false, "This unsubscribe link is not valid. Copy the whole link from the mail.");
	else if (rc == Q_ENOTFOUND)
		unsub_render(w, 200, token, NULL, true, "You are not subscribed to this any more: no more mail will come for it.");
	else if (rc != 0)
		web_error(w, 500, "Something went wrong. Please try again in a moment.");
	else {
		log_info("unsubscribed by link: subscription %lld of user %lld", (long long)s.id, (long long)s.user_id);
		unsub_render(w, 200, token, &s, true, NULL);
	}
}
