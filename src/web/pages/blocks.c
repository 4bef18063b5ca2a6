/* Blocking pages: what blocking does and the button (/users/NAME/block), unblocking, and your blocked users. */
#include "web/pages/pages.h"
#include "web/pages/response.h"
#include "archive/blocks.h"
#include "core/err.h"
#include "html/escape.h"
#include <string.h>
#include <strings.h>

static const char *user_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, name));
}

/* The pages' answer for a refused workflow (response_status); past the block limit is a 422 too. */
static int status_of(int rc)
{
	return rc == Q_ETOOBIG ? 422 : response_status(rc);
}

void page_user_block_confirm(struct web_req *w)
{
	struct user u;
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], &u);
	if (rc) {
		web_error(w, status_of(rc), rc == Q_ENOTFOUND ? "There is no user by that name."
		                                               : "The user could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "name", json_string(u.name));
	json_object_set_new(d, "url", json_string(user_url(w, u.name)));
	json_object_set_new(d, "blocking", json_boolean(archive_is_blocking(w->app->store, w->user, u.id)));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "users/block", arena_printf(w->arena, "Block %s?", u.name), d);
}

static void set_block(struct web_req *w, bool on)
{
	const char *why = NULL;
	int rc = archive_block(w->app->store, w->arena, w->user, w->params[0], on, &why);
	if (rc) {
		web_error(w, status_of(rc), why);
		return;
	}
	const char *back = kv_get(&w->req->form, "return");
	if (back && web_return_path_ok(back))
		web_redirect(w, arena_printf(w->arena, "%s%snotice=%s", back, strchr(back, '?') ? "&" : "?",
		                             on ? "blocked" : "unblocked"));
	else
		web_redirect(w, arena_printf(w->arena, "%s?notice=%s", user_url(w, w->params[0]), on ? "blocked" : "unblocked"));
}

void page_user_block(struct web_req *w)
{
	set_block(w, true);
}

void page_user_unblock(struct web_req *w)
{
	set_block(w, false);
}

void page_user_blocked(struct web_req *w)
{
	if (strcasecmp(w->params[0], w->user->name) != 0) { /* names are ASCII, compared without case */
		web_error(w, 403, "Only the account's owner sees whom they have blocked.");
		return;
	}
	struct user_block *list;
	size_t n;
	if (store_user_blocks_list(w->app->store, w->arena, w->user->id, BLOCKS_MAX, &list, &n) != 0) {
		web_error(w, 500, "Your blocked users could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *users = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(users, json_pack("{s:s, s:s, s:s}", "name", list[i].name, "url",
		                                       user_url(w, list[i].name), "since", web_date(w, list[i].created_at)));
	json_t *d = json_object();
	json_object_set_new(d, "users", users);
	json_object_set_new(d, "max", json_integer(BLOCKS_MAX));
	json_object_set_new(d, "here", json_string(arena_printf(w->arena, "%s/blocked", user_url(w, w->user->name))));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "users/blocked", "Blocked users", d);
}
