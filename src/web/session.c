/* Sessions (random token in a cookie, its hash in the store) and CSRF tokens bound to them. */
#include "web/web.h"
#include "archive/account.h"
#include "auth/token.h"
#include "core/log.h"
#include <string.h>
#include <time.h>

#define SESSION_COOKIE "quire_session"
#define CSRF_COOKIE "quire_csrf"

void web_load_session(struct web_req *w)
{
	const char *token = kv_get(&w->req->cookies, SESSION_COOKIE);
	if (!token || !token_well_formed(token))
		return;
	char hash[TOKEN_HEX_LEN + 1];
	token_hash(token, hash);
	struct user *u = arena_calloc(w->arena, 1, sizeof *u);
	if (store_session_user(w->app->store, w->arena, hash, (int64_t)time(NULL), u) != 0)
		return;
	w->user = u;
	w->session_hash = arena_strdup(w->arena, hash);
}

int web_login(struct web_req *w, int64_t user_id)
{
	char token[TOKEN_HEX_LEN + 1], hash[TOKEN_HEX_LEN + 1], old[TOKEN_HEX_LEN + 1];
	token_new(token);
	token_hash(token, hash);
	/* A session this browser still holds (someone else's, or an earlier one) ends on the server, not only
	 * in the cookie jar: whoever copied that cookie loses it too. */
	const char *held = kv_get(&w->req->cookies, SESSION_COOKIE);
	bool replaces = held && token_well_formed(held);
	if (replaces)
		token_hash(held, old);
	long max_age = (long)w->app->cfg->session_days * 86400L;
	int rc = archive_session_start(w->app->store, user_id, hash, (int64_t)time(NULL) + max_age,
	                               replaces ? old : NULL);
	if (rc != 0)
		return rc;
	web_set_cookie(w, SESSION_COOKIE, token, max_age, true);
	w->session_hash = arena_strdup(w->arena, hash);
	w->csrf = NULL;
	return 0;
}

void web_logout(struct web_req *w)
{
	if (w->session_hash)
		archive_session_end(w->app->store, w->session_hash);
	web_set_cookie(w, SESSION_COOKIE, "", -1, true);
	w->user = NULL;
	w->session_hash = NULL;
	w->csrf = NULL;
}

/* The token expected for this request, or NULL when the visitor has nothing to bind it to yet. */
static const char *expected_token(struct web_req *w)
{
	char msg[TOKEN_HEX_LEN + 4], out[TOKEN_HEX_LEN + 1];
	if (w->session_hash) {
		snprintf(msg, sizeof msg, "s:%s", w->session_hash);
	} else {
		const char *c = kv_get(&w->req->cookies, CSRF_COOKIE);
		if (!c || !token_well_formed(c))
			return NULL;
		snprintf(msg, sizeof msg, "g:%s", c);
	}
	token_mac(w->app->csrf_key, msg, out);
	return arena_strdup(w->arena, out);
}

const char *web_csrf_token(struct web_req *w)
{
	if (w->csrf)
		return w->csrf;
	w->csrf = expected_token(w);
	if (w->csrf)
		return w->csrf;
	/* A guest without a CSRF cookie: give them one, and bind the form to it. */
	char c[TOKEN_HEX_LEN + 1], msg[TOKEN_HEX_LEN + 4], out[TOKEN_HEX_LEN + 1];
	token_new(c);
	web_set_cookie(w, CSRF_COOKIE, c, 365L * 86400L, true);
	kv_add(w->arena, &w->req->cookies, CSRF_COOKIE, c);
	snprintf(msg, sizeof msg, "g:%s", c);
	token_mac(w->app->csrf_key, msg, out);
	w->csrf = arena_strdup(w->arena, out);
	return w->csrf;
}

bool web_csrf_ok(struct web_req *w)
{
	const char *given = kv_get(&w->req->form, "csrf_token");
	if (!given)
		given = http_header_get(w->req, "X-CSRF-Token");
	const char *want = expected_token(w);
	return given && want && token_equal(given, want);
}
