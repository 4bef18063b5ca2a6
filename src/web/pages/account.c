/* Account pages: sign up, log in, log out, and the account page with password, deletion and API tokens. */
#include "web/pages/pages.h"
#include "archive/moderation.h"
#include "archive/invitations.h"
#include "web/community_hooks.h"
#include "archive/account.h"
#include "archive/work.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "core/err.h"
#include "core/log.h"
#include "core/utf8.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* {"field": "message"} plus a list for the summary box. */
static void add_errors(json_t *d, const struct field_errors *e)
{
	json_t *map = json_object(), *list = json_array();
	for (size_t i = 0; i < e->n; i++) {
		if (!json_object_get(map, e->items[i].field))
			json_object_set_new(map, e->items[i].field, json_string(e->items[i].message));
		json_array_append_new(list, json_string(e->items[i].message));
	}
	json_object_set_new(d, "errors", map);
	json_object_set_new(d, "error_list", list);
}

static json_t *form_data(struct web_req *w)
{
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	return d;
}

/* Only local paths are followed after login. */
static const char *safe_return(struct web_req *w, const char *ret)
{
	return web_return_path(ret);
}

void page_signup_form(struct web_req *w)
{
	if (w->user) {
		web_redirect(w, "/account");
		return;
	}
	json_t *d = form_data(w);
	const char *inv = kv_get(&w->req->query, "invitation");
	json_object_set_new(d, "invitation", json_string(inv && strlen(inv) <= 64 ? inv : ""));
	community_signup_form(w, d); /* the site's sign-up mode, the terms, the invitation field */
	web_render(w, 200, "account/signup", "Sign up", d);
}

void page_signup(struct web_req *w)
{
	struct web *app = w->app;
	int retry;
	time_t now = time(NULL);
	json_t *d = form_data(w);
	const char *name = web_form(w, "username"), *email = web_form(w, "email");
	json_object_set_new(d, "username", json_string(utf8_valid(name, strlen(name)) ? name : ""));
	json_object_set_new(d, "email", json_string(utf8_valid(email, strlen(email)) ? email : ""));
	if (ratelimit_blocked(app->signup_ip, w->req->client_key, now, &retry)) {
		http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry));
		json_object_set_new(d, "notice", json_string("Too many sign-ups from your address. Please try again later."));
		web_render(w, 429, "account/signup", "Sign up", d);
		return;
	}
	struct field_errors errors = {0};
	int64_t id;
	const char *pw = kv_get(&w->req->form, "password");
	const char *confirm = kv_get(&w->req->form, "password_confirmation");
	/* The site's rules first (sign-up mode, invitation, terms, spam checks), then the account, in one go. */
	struct signup_input in = {
		.name = name, .email = email, .password = pw ? pw : "", .confirm = confirm ? confirm : "",
		.invitation = web_form(w, "invitation"), .accept_terms = !strcmp(web_form(w, "accept_terms"), "1"),
		.honeypot = web_form(w, "website"), .address = w->req->client_key,
	};
	const char *why = NULL;
	int rc = community_signup(app->community, w->arena, &in, &id, &errors, &why);
	json_object_set_new(d, "invitation", json_string(utf8_valid(in.invitation, strlen(in.invitation)) ? in.invitation : ""));
	community_signup_form(w, d);
	if (rc == Q_EINVAL || rc == Q_EPERM || rc == Q_EBUSY) {
		if (rc == Q_EBUSY) /* held for the moderators: it counts against the address like any sign-up */
			ratelimit_hit(app->signup_ip, w->req->client_key, now);
		add_errors(d, &errors);
		if (why)
			json_object_set_new(d, "notice", json_string(why));
		web_render(w, rc == Q_EINVAL ? 422 : rc == Q_EPERM ? 403 : 202, "account/signup", "Sign up", d);
		return;
	}
	json_decref(d);
	if (rc != 0 || web_login(w, id) != 0) {
		web_error(w, 500, "Your account could not be created. Please try again.");
		return;
	}
	ratelimit_hit(app->signup_ip, w->req->client_key, now);
	mail_web_after_signup(w, id, email); /* mail: confirmation link when the site requires one */
	log_info("account created: %s", name);
	web_redirect(w, "/account?notice=welcome");
}

void page_login_form(struct web_req *w)
{
	json_t *d = form_data(w);
	const char *ret = kv_get(&w->req->query, "return");
	json_object_set_new(d, "return", json_string(safe_return(w, ret)));
	web_render(w, 200, "account/login", "Log in", d);
}

void page_login(struct web_req *w)
{
	struct web *app = w->app;
	time_t now = time(NULL);
	const char *name = web_form(w, "username");
	const char *pw = kv_get(&w->req->form, "password");
	const char *ret = safe_return(w, web_form(w, "return"));
	/* One limit per account, whether it is named by user name or by e-mail address. */
	const char *ukey = archive_login_key(app->store, w->arena, name);
	json_t *d = form_data(w);
	json_object_set_new(d, "username", json_string(utf8_valid(name, strlen(name)) ? name : ""));
	json_object_set_new(d, "return", json_string(ret));
	int retry = 0;
	if (ratelimit_blocked(app->login_ip, w->req->client_key, now, &retry) ||
	    ratelimit_blocked(app->login_user, ukey, now, &retry)) {
		http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry));
		json_object_set_new(d, "error", json_string(arena_printf(w->arena,
			"Too many failed log-in attempts. Please wait %d minutes and try again.", (retry + 59) / 60)));
		web_render(w, 429, "account/login", "Log in", d);
		return;
	}
	struct user u;
	int rc = archive_login(app->store, w->arena, name, pw, &u);
	if (rc != 0 && rc != Q_EPERM) {
		json_decref(d);
		web_error(w, 500, "You could not be logged in. Please try again.");
		return;
	}
	if (rc != 0) {
		ratelimit_hit(app->login_ip, w->req->client_key, now);
		ratelimit_hit(app->login_user, ukey, now);
		json_object_set_new(d, "error", json_string("The user name or password is incorrect."));
		web_render(w, 401, "account/login", "Log in", d);
		return;
	}
	/* The password was right, but the moderators suspended or banned the account: say so (only to its owner). */
	const char *held = mod_user_held(app->store, w->arena, u.id, (int64_t)now);
	if (held) {
		json_object_set_new(d, "error", json_string(held));
		web_render(w, 403, "account/login", "Log in", d);
		return;
	}
	json_decref(d);
	ratelimit_clear(app->login_user, ukey);
	if (web_login(w, u.id) != 0) {
		web_error(w, 500, "You could not be logged in. Please try again.");
		return;
	}
	web_redirect(w, ret);
}

void page_logout(struct web_req *w)
{
	web_logout(w);
	web_redirect(w, "/");
}

/* The account page, with optional extra data (errors, a new token shown once). */
static void render_account(struct web_req *w, int status, json_t *extra)
{
	json_t *d = form_data(w);
	json_object_set_new(d, "name", json_string(w->user->name));
	json_object_set_new(d, "email", json_string(w->user->email));
	json_object_set_new(d, "role", json_string(w->user->role));
	json_object_set_new(d, "member_since", json_string(web_date(w, w->user->created_at)));
	struct api_token *tokens = NULL;
	size_t n = 0;
	json_t *tl = json_array();
	if (store_token_list(w->app->store, w->arena, w->user->id, &tokens, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			json_t *t = json_object();
			json_object_set_new(t, "id", json_integer(tokens[i].id));
			json_object_set_new(t, "name", json_string(tokens[i].name));
			json_object_set_new(t, "created", json_string(web_date(w, tokens[i].created_at)));
			json_object_set_new(t, "last_used", json_string(tokens[i].last_used_at ? web_date(w, tokens[i].last_used_at) : "never"));
			json_array_append_new(tl, t);
		}
	json_object_set_new(d, "tokens", tl);
	struct work *inv = NULL;
	json_t *il = json_array();
	if (store_invites_for_user(w->app->store, w->arena, w->user->id, &inv, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			json_t *t = json_object();
			json_object_set_new(t, "work_id", json_integer(inv[i].id));
			json_object_set_new(t, "title", json_string(inv[i].title));
			if (inv[i].ncreators && inv[i].creators[0].name)
				json_object_set_new(t, "from", json_string(inv[i].creators[0].name));
			json_array_append_new(il, t);
		}
	json_object_set_new(d, "invitations", il);
	const char *notice = kv_get(&w->req->query, "notice");
	if (notice && !strcmp(notice, "password"))
		json_object_set_new(d, "notice", json_string("Your password has been changed."));
	mail_web_account_data(w, d); /* mail: settings, address confirmation, their notices */
	if (extra)
		json_object_update(d, extra), json_decref(extra);
	web_render(w, status, "account/show", "Your account", d);
}

void page_account(struct web_req *w)
{
	render_account(w, 200, NULL);
}

/* The account page again with the first of errors beside its field. */
static void account_errors(struct web_req *w, int status, const struct field_errors *e)
{
	json_t *d = json_object();
	add_errors(d, e);
	render_account(w, status, d);
}

void page_account_password(struct web_req *w)
{
	struct field_errors errors = {0};
	int rc = archive_account_password(w->app->store, w->user, kv_get(&w->req->form, "current_password"),
	                                  kv_get(&w->req->form, "password"),
	                                  kv_get(&w->req->form, "password_confirmation"), w->session_hash, &errors);
	if (rc == Q_EPERM || rc == Q_EINVAL) {
		account_errors(w, rc == Q_EPERM ? 401 : 422, &errors);
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "Your password could not be changed. Please try again.");
		return;
	}
	web_redirect(w, "/account?notice=password");
}

void page_account_delete(struct web_req *w)
{
	struct field_errors errors = {0};
	const char *works = web_form(w, "works");
	int rc = archive_account_delete(w->app->store, w->arena, w->user, kv_get(&w->req->form, "password"), works,
	                                &errors);
	if (rc == Q_EPERM || rc == Q_EINVAL) {
		account_errors(w, rc == Q_EPERM ? 401 : 422, &errors);
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "Your account could not be deleted. Please try again.");
		return;
	}
	log_info("account deleted: %s (works %s)", w->user->name, works);
	w->session_hash = NULL; /* the store removed the sessions with the account */
	web_logout(w);
	web_redirect(w, "/");
}

void page_account_token_add(struct web_req *w)
{
	char token[TOKEN_HEX_LEN + 1];
	struct field_errors errors = {0};
	int rc = archive_token_create(w->app->store, w->arena, w->user->id, web_form(w, "name"), token, &errors);
	if (rc == Q_EINVAL) {
		account_errors(w, 422, &errors);
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The token could not be created. Please try again.");
		return;
	}
	json_t *extra = json_object();
	json_object_set_new(extra, "new_token", json_string(token));
	render_account(w, 201, extra);
}

void page_account_token_revoke(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	if (!id || archive_token_revoke(w->app->store, w->user->id, id) != 0) {
		web_error(w, 404, "There is no such token on your account.");
		return;
	}
	web_redirect(w, "/account");
}

void page_account_invite_accept(struct web_req *w)
{
	int64_t id = web_param_id(w, 0);
	if (archive_invite_accept(w->app->store, w->user, id) != 0) {
		web_error(w, 404, "There is no such invitation.");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld?notice=cocreator_joined", (long long)id));
}
