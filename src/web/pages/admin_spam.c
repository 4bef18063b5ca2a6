/* The spam queue (/admin/spam): held comments and sign-ups with their score and reasons, released as they were or
 * marked spam; and the sign-up blocklist (/admin/spam/blocklist). */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "archive/spam.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define SPAM_PER_PAGE 100

void page_admin_spam(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SPAM))
		return;
	const char *sv = kv_get(&w->req->query, "status");
	int status = sv && !strcmp(sv, "spam") ? SPAM_SPAM : sv && !strcmp(sv, "ham") ? SPAM_HAM : SPAM_HELD;
	const char *b = kv_get(&w->req->query, "before");
	int64_t before = b && *b && strlen(b) <= 18 && strspn(b, "0123456789") == strlen(b) ? strtoll(b, NULL, 10) : 0;
	struct spam_item *list;
	size_t n;
	if (store_spam_list(w->app->store, w->arena, status, before, SPAM_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "The spam queue could not be loaded.");
		return;
	}
	json_t *d = admin_data(w, "spam"), *items = json_array();
	for (size_t i = 0; i < n && i < SPAM_PER_PAGE; i++) {
		const struct spam_item *it = &list[i];
		bool comment = !strcmp(it->kind, "comment");
		json_t *o = json_pack("{s:I, s:s, s:i, s:s, s:b, s:s}", "id", (json_int_t)it->id, "when",
		                      admin_time(w, it->created_at), "score", it->score, "reasons", it->reasons, "comment",
		                      comment, "url", arena_printf(w->arena, "/admin/spam/%lld", (long long)it->id));
		if (comment) {
			json_object_set_new(o, "who", json_string(it->user_name ? it->user_name
			                                          : it->guest_name ? arena_printf(w->arena, "%s (guest)", it->guest_name)
			                                                           : "a guest"));
			json_object_set_new(o, "work", json_string(it->work_title ? it->work_title : "(a deleted work)"));
			json_object_set_new(o, "body_html", json_string(it->body_html ? it->body_html : ""));
		} else {
			json_object_set_new(o, "who", json_string(it->name ? it->name : ""));
			json_object_set_new(o, "email", json_string(it->email ? it->email : ""));
		}
		if (it->decided_by)
			json_object_set_new(o, "decided", json_pack("{s:s, s:s}", "by", it->decided_by, "when",
			                                            admin_time(w, it->decided_at)));
		json_array_append_new(items, o);
	}
	json_object_set_new(d, "items", items);
	json_object_set_new(d, "held", json_boolean(status == SPAM_HELD));
	json_object_set_new(d, "status", json_string(status == SPAM_HELD ? "held" : status == SPAM_SPAM ? "spam" : "ham"));
	if (n > SPAM_PER_PAGE)
		json_object_set_new(d, "older_url", json_string(arena_printf(w->arena, "/admin/spam?status=%s&before=%lld",
		                                                             status == SPAM_HELD ? "held"
		                                                             : status == SPAM_SPAM ? "spam" : "ham",
		                                                             (long long)list[SPAM_PER_PAGE - 1].id)));
	web_render(w, 200, "admin/spam", "Spam queue", d);
}

void page_admin_spam_decide(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SPAM))
		return;
	const char *action = web_form(w, "action");
	if (strcmp(action, "spam") && strcmp(action, "ham")) {
		web_error(w, 422, "Mark it spam, or release it (ham).");
		return;
	}
	const char *why = NULL;
	int rc = spam_decide(w->app->community, w->arena, w->user, web_param_id(w, 0), !strcmp(action, "spam"), &why);
	admin_done(w, rc, "/admin/spam", rc ? why : !strcmp(action, "spam") ? "spam_marked" : "spam_released");
}

void page_admin_blocklist(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SETTINGS))
		return;
	const char **list;
	size_t n;
	if (store_spam_block_list(w->app->store, w->arena, &list, &n) != 0) {
		web_error(w, 500, "The blocklist could not be loaded.");
		return;
	}
	json_t *d = admin_data(w, "spam"), *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_string(list[i]));
	json_object_set_new(d, "patterns", items);
	web_render(w, 200, "admin/blocklist", "Sign-up blocklist", d);
}

void page_admin_blocklist_change(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SETTINGS))
		return;
	const char *why = NULL;
	bool add = strcmp(web_form(w, "action"), "remove") != 0;
	int rc = spam_block(w->app->community, w->arena, w->user, web_form(w, "pattern"), add, &why);
	admin_done(w, rc, "/admin/spam/blocklist", rc ? why : "blocklist_changed");
}
