/* Invitations: asking for one (/invitations/request), an account's own codes (/invitations), and the request
 * queue for admins (/admin/invitations), where invitations go out at once beside the daily run. */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/invitations.h"
#include "archive/site.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *invite_json(struct web_req *w, const struct invitation *inv, const char *base)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "code", inv->code, "made", admin_time(w, inv->created_at), "link",
	                      arena_printf(w->arena, "%s/signup?invitation=%s", base, inv->code));
	if (inv->used_at)
		json_object_set_new(o, "used_by", json_string(inv->used_by_name ? inv->used_by_name : "(deleted account)"));
	if (*inv->email)
		json_object_set_new(o, "email", json_string(inv->email));
	if (inv->creator_name)
		json_object_set_new(o, "by", json_string(inv->creator_name));
	return o;
}

void page_invitations(struct web_req *w)
{
	struct invitation *list;
	size_t n;
	if (store_invites_list(w->app->store, w->arena, w->user->id, 100, &list, &n) != 0) {
		web_error(w, 500, "Your invitations could not be loaded.");
		return;
	}
	char base[600];
	web_base_url(w->app, base, sizeof base);
	json_t *d = json_object(), *codes = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(codes, invite_json(w, &list[i], base));
	json_object_set_new(d, "codes", codes);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	json_object_set_new(d, "unlimited", json_boolean(archive_may(w->user, POWER_INVITATIONS)));
	json_object_set_new(d, "unused_max", json_integer(INVITES_UNUSED_PER_ACCOUNT));
	json_object_set_new(d, "month_max", json_integer(INVITES_PER_ACCOUNT_MONTH));
	web_render(w, 200, "invitations/index", "Invitations", d);
}

void page_invitation_create(struct web_req *w)
{
	char code[INVITE_CODE_LEN + 1];
	const char *why = NULL;
	int rc = invite_create(w->app->community, w->arena, w->user, code, &why);
	if (rc) {
		web_error(w, rc == Q_ETOOBIG ? 422 : response_status(rc), why);
		return;
	}
	web_redirect(w, "/invitations?notice=invitation_made");
}

static void render_request(struct web_req *w, int status, const char *email, const struct field_errors *e,
                           const char *error, int64_t ahead, bool done)
{
	struct site_settings *s = arena_alloc(w->arena, sizeof *s);
	community_settings(w->app->community, s);
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	json_object_set_new(d, "mode", json_string(s->value[SITE_SIGNUP_MODE]));
	json_object_set_new(d, "queue", json_boolean(!strcmp(s->value[SITE_SIGNUP_MODE], "invitation")));
	json_object_set_new(d, "email", json_string(email ? email : ""));
	json_object_set_new(d, "per_day", json_string(s->value[SITE_INVITATIONS_PER_DAY]));
	const char *err = e ? field_error_get(e, "email") : NULL;
	if (err)
		json_object_set_new(d, "email_error", json_string(err));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	if (done)
		json_object_set_new(d, "ahead", json_integer(ahead));
	json_object_set_new(d, "done", json_boolean(done));
	web_render(w, status, "invitations/request", "Ask for an invitation", d);
}

void page_invite_request_form(struct web_req *w)
{
	render_request(w, 200, NULL, NULL, NULL, 0, false);
}

void page_invite_request(struct web_req *w)
{
	const char *email = web_form(w, "email");
	if (*web_form(w, "website")) { /* the honeypot: a bot, told nothing useful */
		render_request(w, 200, "", NULL, NULL, 0, true);
		return;
	}
	struct field_errors e = {0};
	const char *why = NULL;
	int64_t ahead = 0;
	int retry = 0;
	int rc = invite_request(w->app->community, w->arena, email, w->req->client_key, &ahead, &e, &why, &retry);
	if (rc == Q_EBUSY)
		http_response_header(w->resp, w->arena, "Retry-After", arena_printf(w->arena, "%d", retry));
	if (rc) {
		render_request(w, response_status(rc), email, &e, why, 0, false);
		return;
	}
	render_request(w, 200, email, NULL, NULL, ahead, true);
}

void page_admin_invitations(struct web_req *w)
{
	if (!admin_allowed(w, POWER_INVITATIONS))
		return;
	struct invite_request *queue;
	struct invitation *codes;
	size_t nq, nc;
	int64_t waiting = 0, today = 0;
	if (store_invite_requests_list(w->app->store, w->arena, INVITE_WAITING, 0, 100, &queue, &nq) != 0 ||
	    store_invite_requests_count(w->app->store, (int64_t)time(NULL) - 86400, &waiting, &today) != 0 ||
	    store_invites_list(w->app->store, w->arena, 0, 50, &codes, &nc) != 0) {
		web_error(w, 500, "The invitations could not be loaded.");
		return;
	}
	struct site_settings *s = arena_alloc(w->arena, sizeof *s);
	community_settings(w->app->community, s);
	char base[600];
	web_base_url(w->app, base, sizeof base);
	json_t *d = admin_data(w, "invitations"), *jq = json_array(), *jc = json_array();
	for (size_t i = 0; i < nq; i++)
		json_array_append_new(jq, json_pack("{s:s, s:s}", "email", queue[i].email, "asked",
		                                    admin_time(w, queue[i].created_at)));
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(jc, invite_json(w, &codes[i], base));
	json_object_set_new(d, "queue", jq);
	json_object_set_new(d, "codes", jc);
	json_object_set_new(d, "waiting", json_integer(waiting));
	json_object_set_new(d, "today", json_integer(today));
	json_object_set_new(d, "per_day", json_string(s->value[SITE_INVITATIONS_PER_DAY]));
	json_object_set_new(d, "mode", json_string(s->value[SITE_SIGNUP_MODE]));
	web_render(w, 200, "admin/invitations", "Invitations", d);
}

void page_admin_invitations_send(struct web_req *w)
{
	if (!admin_allowed(w, POWER_INVITATIONS))
		return;
	const char *count = web_form(w, "count");
	int n = *count && strlen(count) <= 4 && strspn(count, "0123456789") == strlen(count) ? atoi(count) : -1;
	if (n < 1 || n > INVITES_SEND_MAX) {
		web_error(w, 422, "Send 1 to 500 invitations at once.");
		return;
	}
	int sent = 0;
	const char *why = NULL;
	int rc = invite_send_from_queue(w->app->community, w->arena, w->user, n, &sent, &why);
	admin_done(w, rc, "/admin/invitations", rc ? why : "invitations_sent");
}
