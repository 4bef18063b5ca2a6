/* API authentication: "Authorization: Bearer TOKEN" with a personal token, stored hashed. */
#include "api/api.h"
#include "api/api_int.h"
#include "auth/token.h"
#include "core/err.h"
#include "core/log.h"
#include <string.h>
#include <strings.h>

/* A presented but unusable credential is an error, never a quiet fall-back to guest: a client whose token
 * was revoked should learn it at once, not see an archive with its own drafts missing. */
static void reject(struct web_req *w, const char *message)
{
	http_response_header(w->resp, w->arena, "WWW-Authenticate", "Bearer realm=\"quire\", error=\"invalid_token\"");
	web_json_error(w, 401, "unauthorized", message, NULL);
}

void api_authenticate(struct web_req *w)
{
	w->user = NULL;
	const char *h = http_header_get(w->req, "Authorization");
	if (!h)
		return;
	while (*h == ' ' || *h == '\t')
		h++;
	if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t')) {
		reject(w, "Use \"Authorization: Bearer TOKEN\" with a personal API token.");
		return;
	}
	const char *t = h + 6;
	while (*t == ' ' || *t == '\t')
		t++;
	size_t n = strcspn(t, " \t");
	for (const char *rest = t + n; *rest; rest++) {
		if (*rest != ' ' && *rest != '\t') {
			reject(w, "The Authorization header holds more than one token.");
			return;
		}
	}
	char token[TOKEN_HEX_LEN + 1];
	if (n != TOKEN_HEX_LEN) {
		reject(w, "That API token is malformed: tokens are 64 lowercase hexadecimal characters.");
		return;
	}
	memcpy(token, t, n);
	token[n] = '\0';
	if (!token_well_formed(token)) {
		reject(w, "That API token is malformed: tokens are 64 lowercase hexadecimal characters.");
		return;
	}
	char hash[TOKEN_HEX_LEN + 1];
	token_hash(token, hash);
	struct user *u = arena_calloc(w->arena, 1, sizeof *u);
	int rc = store_token_user(w->app->store, w->arena, hash, u);
	if (rc == Q_ENOTFOUND) {
		reject(w, "That API token is unknown or was revoked.");
		return;
	}
	if (rc != 0) {
		log_error("api: token lookup failed: %s", err_str(rc));
		web_json_error(w, 500, "internal", "Something went wrong on our side.", NULL);
		return;
	}
	w->user = u;
}
