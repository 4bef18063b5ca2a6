/* Account pages that work by mail: forgotten passwords, changing and confirming the e-mail address, mail
 * settings, and the refusal to post when the site requires a confirmed address. */
#include "web/pages/pages.h"
#include "archive/limits.h"
#include "archive/account_mail.h"
#include "auth/password.h"
#include "auth/ratelimit.h"
#include "core/err.h"
#include "core/log.h"
#include "core/utf8.h"
#include "archive/account.h"
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

/* Limits against using the site to flood someone's mailbox. */
#define FORGOT_PER_IP 10      /* reset requests per client address per hour */
#define FORGOT_PER_ADDRESS 3  /* reset requests per e-mail address per hour */
#define CONFIRM_PER_ACCOUNT 5 /* confirmation mails (changes and resends) per account per hour */

static struct ratelimit *forgot_ip, *forgot_addr, *confirm_user;
static pthread_mutex_t limits_lock = PTHREAD_MUTEX_INITIALIZER;
static bool limits_ready;

/* Made on first use, in the store when several servers share it (archive/limits.h). */
static void limits_init(struct store *st)
{
	pthread_mutex_lock(&limits_lock);
	if (!limits_ready) {
		forgot_ip = archive_ratelimit_new(st, "forgot_ip", FORGOT_PER_IP, 3600);
		forgot_addr = archive_ratelimit_new(st, "forgot_addr", FORGOT_PER_ADDRESS, 3600);
		confirm_user = archive_ratelimit_new(st, "confirm_user", CONFIRM_PER_ACCOUNT, 3600);
		limits_ready = true;
	}
	pthread_mutex_unlock(&limits_lock);
}

/* True (after answering 429) when key has used up its allowance in rl; otherwise counts one. */
static bool limited(struct web_req *w, struct ratelimit *rl, const char *key)
{
	int retry = 0;
	time_t now = time(NULL);
	if (ratelimit_blocked(rl, key, now, &retry)) {
		http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry));
		return true;
	}
	ratelimit_hit(rl, key, now);
	return false;
}

static const char *user_key(struct web_req *w)
{
	return arena_printf(w->arena, "u:%lld", (long long)w->user->id);
}

static json_t *form_data(struct web_req *w)
{
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	return d;
}

/* ---- Hooks for other pages --------------------------------------------------------------------- */

bool mail_web_may_post(struct web_req *w)
{
	if (account_mail_may_post(w->app->store, w->arena, w->app->cfg->require_email_confirmation, w->user))
		return true;
	static const char msg[] = "This archive asks you to confirm your e-mail address before you post. We can send "
	                          "you the confirmation link again.";
	if (w->api || w->wants_json) {
		web_json_error(w, 403, "email_unconfirmed", msg, NULL);
		return false;
	}
	json_t *d = form_data(w);
	json_object_set_new(d, "message", json_string(msg));
	json_object_set_new(d, "email", json_string(w->user->email));
	web_render(w, 403, "account/confirm_required", "Please confirm your e-mail address", d);
	return false;
}

void mail_web_after_signup(struct web_req *w, int64_t user_id, const char *email)
{
	if (!w->app->cfg->require_email_confirmation)
		return;
	struct user u = {.id = user_id, .email = email};
	if (account_mail_request_confirm(w->app->store, &u) != 0)
		log_warn("account %lld: the confirmation mail could not be queued", (long long)user_id);
}

void mail_web_account_data(struct web_req *w, json_t *d)
{
	struct mail_settings ms;
	json_t *m = json_object();
	bool ok = store_mail_settings_get(w->app->store, w->arena, w->user->id, &ms) == 0;
	json_object_set_new(m, "notify_mail", json_boolean(!ok || ms.notify_mail));
	json_object_set_new(m, "confirmed", json_boolean(account_mail_confirmed(w->app->store, w->arena, w->user)));
	json_object_set_new(m, "required", json_boolean(w->app->cfg->require_email_confirmation));
	json_object_set_new(d, "mail", m);
	const char *notice = kv_get(&w->req->query, "notice");
	static const struct {
		const char *key, *text;
	} notices[] = {
		{"mail_settings", "Your mail settings have been saved."},
		{"confirm_sent", "We sent a confirmation link to your address. It works for a day."},
		{"email_sent", "We sent a link to the new address. Your address changes when you follow it."},
		{"email_confirmed", "Your e-mail address is confirmed."},
	};
	for (size_t i = 0; notice && i < sizeof notices / sizeof notices[0]; i++)
		if (!strcmp(notice, notices[i].key))
			json_object_set_new(d, "notice", json_string(notices[i].text));
}

/* ---- Mail settings and the address --------------------------------------------------------------- */

void page_account_mail_settings(struct web_req *w)
{
	const char *v = web_form(w, "notify");
	if (strcmp(v, "inbox") != 0 && strcmp(v, "email") != 0) {
		web_error(w, 422, "Choose where notifications go: the inbox only, or the inbox and e-mail.");
		return;
	}
	if (store_mail_settings_set_notify(w->app->store, w->user->id, !strcmp(v, "email")) != 0) {
		web_error(w, 500, "Your mail settings could not be saved. Please try again in a moment.");
		return;
	}
	web_redirect(w, "/account?notice=mail_settings");
}

static void render_email_form(struct web_req *w, int status, const char *email, const char *field, const char *error)
{
	json_t *d = form_data(w);
	json_object_set_new(d, "current", json_string(w->user->email));
	json_object_set_new(d, "email", json_string(email));
	if (error) {
		json_t *e = json_object();
		json_object_set_new(e, field, json_string(error));
		json_object_set_new(d, "errors", e);
	}
	web_render(w, status, "account/email", "Change e-mail address", d);
}

void page_account_email_form(struct web_req *w)
{
	render_email_form(w, 200, "", NULL, NULL);
}

void page_account_email_change(struct web_req *w)
{
	limits_init(w->app->store);
	const char *email = web_form(w, "email");
	const char *pw = kv_get(&w->req->form, "password");
	const char *shown = utf8_valid(email, strlen(email)) ? email : "";
	if (!pw || !password_verify(w->user->pwhash, pw, strlen(pw))) {
		render_email_form(w, 401, shown, "password", "Your password is not correct.");
		return;
	}
	const char *problem = account_email_problem(email);
	if (problem) {
		render_email_form(w, 422, shown, "email", problem);
		return;
	}
	if (limited(w, confirm_user, user_key(w))) {
		render_email_form(w, 429, shown, "email", "We sent several links in the last hour. Please wait a while.");
		return;
	}
	const char *why = NULL;
	int rc = account_mail_request_change(w->app->store, w->arena, w->user, email, &why);
	if (rc == Q_EINVAL || rc == Q_EEXIST) {
		render_email_form(w, 422, shown, "email", why);
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The confirmation mail could not be queued. Please try again in a moment.");
		return;
	}
	web_redirect(w, "/account?notice=email_sent");
}

void page_account_email_resend(struct web_req *w)
{
	limits_init(w->app->store);
	if (account_mail_confirmed(w->app->store, w->arena, w->user)) {
		web_redirect(w, "/account?notice=email_confirmed");
		return;
	}
	if (limited(w, confirm_user, user_key(w))) {
		web_error(w, 429, "We sent several confirmation links in the last hour. Please wait a while and look in "
		                  "your spam folder.");
		return;
	}
	if (account_mail_request_confirm(w->app->store, w->user) != 0) {
		web_error(w, 500, "The confirmation mail could not be queued. Please try again in a moment.");
		return;
	}
	web_redirect(w, "/account?notice=confirm_sent");
}

static void render_confirm(struct web_req *w, int status, const char *token, const struct user *u, const char *email,
                           const char *message)
{
	json_t *d = form_data(w);
	json_object_set_new(d, "token", json_string(token));
	if (u) {
		json_object_set_new(d, "name", json_string(u->name));
		json_object_set_new(d, "email", json_string(email));
	}
	if (message)
		json_object_set_new(d, "message", json_string(message));
	web_render(w, status, "account/email_confirm", "Confirm your e-mail address", d);
}

static const char dead_link[] = "This link is not valid any more: it was used, it expired, or it was copied only in "
                                "part. Ask for a new one from your account page.";

/* GET shows a button: a mail scanner following the link changes nothing. */
void page_account_email_confirm_form(struct web_req *w)
{
	const char *token = kv_get(&w->req->query, "token");
	struct user u;
	char *email = NULL;
	if (account_mail_confirm_check(w->app->store, w->arena, token, &u, &email) != 0) {
		render_confirm(w, 404, "", NULL, NULL, dead_link);
		return;
	}
	render_confirm(w, 200, token, &u, email, NULL);
}

void page_account_email_confirm(struct web_req *w)
{
	const char *token = web_form(w, "token");
	int64_t uid = 0;
	int rc = account_mail_confirm(w->app->store, token, &uid);
	if (rc == Q_ENOTFOUND) {
		render_confirm(w, 404, "", NULL, NULL, dead_link);
		return;
	}
	if (rc == Q_EEXIST) {
		render_confirm(w, 409, "", NULL, NULL, "Another account uses that address now, so it cannot be yours. "
		                                       "Your address stays as it was.");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The address could not be confirmed. Please try again in a moment.");
		return;
	}
	log_info("account %lld: e-mail address confirmed", (long long)uid);
	if (w->user && w->user->id == uid)
		web_redirect(w, "/account?notice=email_confirmed");
	else
		render_confirm(w, 200, "", NULL, NULL, "Your e-mail address is confirmed. Thank you!");
}

/* ---- Forgotten passwords ------------------------------------------------------------------------ */

void page_password_forgot_form(struct web_req *w)
{
	web_render(w, 200, "password/forgot", "Forgot your password?", form_data(w));
}

static const char *lower(struct arena *a, const char *s)
{
	char *r = arena_strdup(a, s);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

/* A request for a mailed link (a password reset, an account's claim): the address checked, the requests
 * limited per client and per address, one outbox insert whether or not an account has the address (the answer
 * and its timing say nothing). */
static void request_link(struct web_req *w, const char *tmpl, const char *title, const char *too_many,
                         int (*request)(struct store *st, const char *email))
{
	limits_init(w->app->store);
	const char *email = web_form(w, "email");
	json_t *d = form_data(w);
	json_object_set_new(d, "email", json_string(utf8_valid(email, strlen(email)) ? email : ""));
	const char *problem = account_email_problem(email);
	if (problem) {
		json_object_set_new(d, "error", json_string(problem));
		web_render(w, 422, tmpl, title, d);
		return;
	}
	if (limited(w, forgot_ip, w->req->client_key) || limited(w, forgot_addr, lower(w->arena, email))) {
		json_object_set_new(d, "error", json_string(too_many));
		web_render(w, 429, tmpl, title, d);
		return;
	}
	if (request(w->app->store, email) != 0) {
		json_decref(d);
		web_error(w, 500, "The mail could not be queued. Please try again in a moment.");
		return;
	}
	json_object_set_new(d, "sent", json_true());
	web_render(w, 200, tmpl, title, d);
}

void page_password_forgot(struct web_req *w)
{
	request_link(w, "password/forgot", "Forgot your password?",
	             "Too many reset requests. Please wait an hour, and look in your spam folder for the mails already sent.",
	             account_mail_request_reset);
}

/* ---- Claiming an account moved from an old archive (imports) ---- */

void page_account_claim_form(struct web_req *w)
{
	web_render(w, 200, "password/claim", "Claim your account", form_data(w));
}

/* The limits of password resets: the same kind of mail, to the same addresses. */
void page_account_claim(struct web_req *w)
{
	request_link(w, "password/claim", "Claim your account",
	             "Too many requests. Please wait an hour, and look in your spam folder for the mails already sent.",
	             account_mail_request_claim);
}

static void render_reset(struct web_req *w, int status, const char *token, const char *error, const char *message)
{
	json_t *d = form_data(w);
	json_object_set_new(d, "token", json_string(token ? token : ""));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	if (message)
		json_object_set_new(d, "message", json_string(message));
	web_render(w, status, "password/reset", "Choose a new password", d);
}

static const char dead_reset[] = "This link is not valid any more: it was used, it expired (links work for an hour), "
                                 "or it was copied only in part. Ask for a new one.";

void page_password_reset_form(struct web_req *w)
{
	const char *token = kv_get(&w->req->query, "token");
	struct user u;
	if (account_mail_reset_check(w->app->store, w->arena, token, &u) != 0) {
		render_reset(w, 404, NULL, NULL, dead_reset);
		return;
	}
	render_reset(w, 200, token, NULL, NULL);
}

void page_password_reset(struct web_req *w)
{
	const char *token = web_form(w, "token");
	const char *pw = kv_get(&w->req->form, "password");
	const char *confirm = kv_get(&w->req->form, "password_confirmation");
	struct user u;
	/* A dead link is refused before any hashing is spent on it. */
	if (account_mail_reset_check(w->app->store, w->arena, token, &u) != 0) {
		render_reset(w, 404, NULL, NULL, dead_reset);
		return;
	}
	const char *problem = account_password_problem(pw ? pw : "", confirm ? confirm : "");
	if (problem) {
		render_reset(w, 422, token, problem, NULL);
		return;
	}
	char hash[PASSWORD_HASH_MAX];
	int64_t uid = 0;
	int rc = password_hash(pw, strlen(pw), hash);
	if (rc == 0)
		rc = account_mail_reset(w->app->store, token, hash, &uid);
	if (rc == Q_ENOTFOUND) {
		render_reset(w, 404, NULL, NULL, dead_reset); /* used by a second tab meanwhile */
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "Your password could not be changed. Please try again in a moment.");
		return;
	}
	log_info("account %lld: password reset by mail link", (long long)uid);
	if (w->user && w->user->id == uid) {
		w->session_hash = NULL; /* the store ended every session of the account */
		web_logout(w);
	}
	json_t *d = form_data(w);
	json_object_set_new(d, "done", json_true());
	web_render(w, 200, "password/reset", "Password changed", d);
}
