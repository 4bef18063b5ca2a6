/* Account workflows: sign up, log in, sessions, password changes, API tokens, deleting or orphaning. */
#include "archive/account.h"
#include "archive/roles.h"
#include "archive/names.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/log.h"
#include "core/utf8.h"
#include <ctype.h>
#include <string.h>
#include <time.h>

/* ---- Look-alike names --------------------------------------------------------------------- */

/* Accounts made before skeletons were kept get theirs, so a new name is compared with every name. Cheap
 * when there is nothing to do (one query); runs in transactions of its own, before the sign-up's. */
static int backfill_skeletons(struct store *st)
{
	for (;;) {
		struct arena *a = arena_new();
		struct user *users = NULL;
		size_t n = 0;
		int rc = store_users_without_skeleton(st, a, 100, &users, &n);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const char *sk = archive_name_skeleton(a, users[i].name);
			/* No skeleton (ICU failed): the name itself, so the loop still ends. */
			rc = store_user_set_skeleton(st, users[i].id, sk ? sk : users[i].name);
		}
		arena_free(a);
		if (rc != 0 || n < 100)
			return rc;
	}
}

/* Adds a username error when name is taken or looks like a name that is (skeleton may be NULL). */
static int check_name_free(struct store *st, struct arena *a, const char *name, const char *skeleton,
                           struct field_errors *errors)
{
	struct user other;
	int rc = store_user_get_by_name(st, a, name, &other);
	if (rc == 0) {
		field_error(errors, "username", "That user name is taken.");
		return 0;
	}
	if (rc != Q_ENOTFOUND)
		return rc;
	if (!skeleton)
		return 0;
	rc = store_user_get_by_skeleton(st, a, skeleton, &other);
	if (rc == 0) {
		field_error(errors, "username", arena_printf(a, "That user name looks too much like the name of "
		                                              "another account (%s). Please choose another.",
		                                              archive_quote(a, other.name)));
		return 0;
	}
	return rc == Q_ENOTFOUND ? 0 : rc;
}

static int check_email_free(struct store *st, struct arena *a, const char *email, struct field_errors *errors)
{
	struct user other;
	int rc = store_user_get_by_email(st, a, email, &other);
	if (rc == 0)
		field_error(errors, "email", "An account with that e-mail address already exists.");
	return rc == 0 || rc == Q_ENOTFOUND ? 0 : rc;
}

/* ---- Sign up and log in ------------------------------------------------------------------- */


int archive_account_signup_check(struct store *st, struct arena *a, const char *name, const char *email,
                                 const char *password, const char *confirm, struct field_errors *errors)
{
	const char *p, *skeleton;
	int rc;
	bool name_ok = !(p = account_name_problem(name ? name : ""));
	if (p)
		field_error(errors, "username", p);
	if ((p = account_email_problem(email ? email : "")))
		field_error(errors, "email", p);
	else if ((rc = check_email_free(st, a, email, errors)) != 0)
		return rc;
	if ((p = account_password_problem(password ? password : "", NULL)))
		field_error(errors, "password", p);
	else if (confirm && strcmp(password, confirm) != 0)
		field_error(errors, "password_confirmation", "The two passwords do not match.");
	if (name_ok) {
		if ((rc = backfill_skeletons(st)) != 0)
			return rc;
		skeleton = archive_name_skeleton(a, name);
		if ((rc = check_name_free(st, a, name, skeleton, errors)) != 0)
			return rc;
	}
	return errors->n ? Q_EINVAL : 0;
}

int archive_account_signup(struct store *st, struct arena *a, const char *name, const char *email,
                           const char *password, const char *confirm, const char *role, int64_t *id,
                           struct field_errors *errors)
{
	return archive_account_signup_with(st, a, name, email, password, confirm, role, NULL, NULL, id, errors);
}

int archive_account_signup_with(struct store *st, struct arena *a, const char *name, const char *email,
                                const char *password, const char *confirm, const char *role,
                                int (*inside)(struct store *st, int64_t id, void *ctx), void *ctx, int64_t *id,
                                struct field_errors *errors)
{
	const char *p, *skeleton = NULL;
	bool name_ok = false, email_ok = false;
	int rc;
	name = name ? name : "";
	email = email ? email : "";
	password = password ? password : "";
	if ((p = account_name_problem(name)))
		field_error(errors, "username", p);
	else
		name_ok = true;
	if ((p = account_email_problem(email)))
		field_error(errors, "email", p);
	else
		email_ok = true;
	if ((p = account_password_problem(password, NULL)))
		field_error(errors, "password", p);
	else if (confirm && strcmp(password, confirm) != 0)
		field_error(errors, "password_confirmation", "The two passwords do not match.");
	if (!role || !archive_role_known(role))
		field_error(errors, "role", "The role must be user, wrangler or admin.");
	if (name_ok) {
		if ((rc = backfill_skeletons(st)) != 0)
			return rc;
		skeleton = archive_name_skeleton(a, name);
	}
	/* Every problem at once: taken names are reported beside a bad password. */
	if (name_ok && (rc = check_name_free(st, a, name, skeleton, errors)) != 0)
		return rc;
	if (email_ok && (rc = check_email_free(st, a, email, errors)) != 0)
		return rc;
	if (errors->n)
		return Q_EINVAL;

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, strlen(password), hash) != 0)
		return Q_ERR;
	if ((rc = store_tx_begin(st)) != 0)
		return rc;
	/* Again inside the transaction: another sign-up may have taken the name meanwhile. */
	if ((rc = check_name_free(st, a, name, skeleton, errors)) == 0 &&
	    (rc = check_email_free(st, a, email, errors)) == 0 && errors->n)
		rc = Q_EINVAL;
	if (rc == 0) {
		rc = store_user_create(st, name, email, hash, role, id);
		if (rc == Q_EEXIST) {
			field_error(errors, "username", "That user name or e-mail address is taken.");
			rc = Q_EINVAL;
		}
	}
	if (rc == 0)
		rc = store_user_set_skeleton(st, *id, skeleton ? skeleton : name);
	if (rc == 0 && inside) /* what the site asks of a sign-up (an invitation used), in the same transaction */
		rc = inside(st, *id, ctx);
	explicit_bzero(hash, sizeof hash);
	return archive_tx_end(st, rc);
}

int archive_login(struct store *st, struct arena *a, const char *login, const char *password, struct user *out)
{
	if (!login || !password)
		return Q_EPERM;
	int rc = strchr(login, '@') ? store_user_get_by_email(st, a, login, out)
	                            : store_user_get_by_name(st, a, login, out);
	if (rc != 0 && rc != Q_ENOTFOUND)
		return rc;
	if (rc == 0)
		return password_verify(out->pwhash, password, strlen(password)) ? 0 : Q_EPERM;
	/* Spend the same time as a real check so timing does not reveal which names exist. */
	static const char dummy[] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
	                            "RdescudvJCsgt3ub+b+dWRWJTmaaJObG5h9g6g9xqHk";
	password_verify(dummy, password, strlen(password));
	return Q_EPERM;
}

const char *archive_login_key(struct store *st, struct arena *a, const char *login)
{
	struct user u;
	const char *who = login ? login : "";
	if (*who && (strchr(who, '@') ? store_user_get_by_email(st, a, who, &u) : store_user_get_by_name(st, a, who, &u)) == 0)
		who = u.name;
	char *key = arena_strdup(a, who);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

/* ---- Sessions ----------------------------------------------------------------------------- */

int archive_session_start(struct store *st, int64_t user_id, const char *token_hash, int64_t expires_at,
                          const char *replaces_hash)
{
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	if (replaces_hash) {
		/* Looked up first (expired ones too: now = 0), because a write that finds nothing to delete
		 * would fail the whole transaction. */
		struct arena *a = arena_new();
		struct user holder;
		rc = store_session_user(st, a, replaces_hash, 0, &holder);
		if (rc == 0)
			rc = store_session_delete(st, replaces_hash);
		else if (rc == Q_ENOTFOUND)
			rc = 0;
		arena_free(a);
	}
	if (rc == 0)
		rc = store_session_create(st, token_hash, user_id, expires_at);
	return archive_tx_end(st, rc);
}

int archive_session_end(struct store *st, const char *token_hash)
{
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	return archive_tx_end(st, store_session_delete(st, token_hash));
}

/* ---- Password ----------------------------------------------------------------------------- */

int archive_account_password(struct store *st, const struct user *u, const char *current, const char *password,
                             const char *confirm, const char *keep_session_hash, struct field_errors *errors)
{
	if (!current || !password_verify(u->pwhash, current, strlen(current))) {
		field_error(errors, "current_password", "Your current password is not correct.");
		return Q_EPERM;
	}
	const char *problem = account_password_problem(password ? password : "", confirm ? confirm : "");
	if (problem) {
		field_error(errors, "password", problem);
		return Q_EINVAL;
	}
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, strlen(password), hash) != 0)
		return Q_ERR;
	int rc = store_tx_begin(st);
	if (rc == 0) {
		rc = store_user_set_password(st, u->id, hash);
		/* Other devices logged in with the old password are logged out. */
		if (rc == 0)
			rc = store_session_delete_for_user(st, u->id, keep_session_hash);
		rc = archive_tx_end(st, rc);
	}
	explicit_bzero(hash, sizeof hash);
	return rc;
}

/* ---- Deleting an account ------------------------------------------------------------------ */

/* Every work u is an accepted creator of, drafts and restricted ones included (with their creators). */
static int works_of(struct store *st, struct arena *a, const struct user *u, struct work **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	for (int offset = 0;; ) {
		struct work_query q = {.creator_id = u->id, .viewer_id = u->id, .include_drafts = true, .limit = 100,
		                       .offset = offset};
		struct work_page page;
		int rc = store_work_list(st, a, &q, &page);
		if (rc != 0)
			return rc;
		if (*n + page.n > cap) {
			size_t ncap = (*n + page.n) * 2;
			struct work *grown = arena_calloc(a, ncap, sizeof *grown);
			if (*n)
				memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
			cap = ncap;
		}
		if (page.n)
			memcpy(*out + *n, page.items, page.n * sizeof *page.items);
		*n += page.n;
		if (page.n < 100)
			return 0;
		offset += (int)page.n;
	}
}

static bool has_other_creator(const struct work *w, int64_t user_id)
{
	for (size_t i = 0; i < w->ncreators; i++)
		if (w->creators[i].user_id != user_id && (i == 0 || w->creators[i].accepted))
			return true;
	return false;
}

int archive_account_delete(struct store *st, struct arena *a, const struct user *u, const char *password,
                           const char *works, struct field_errors *errors)
{
	if (!password || !password_verify(u->pwhash, password, strlen(password))) {
		field_error(errors, "delete_password", "Your password is not correct.");
		return Q_EPERM;
	}
	bool orphan = works && !strcmp(works, "orphan");
	if (!works || (!orphan && strcmp(works, "delete") != 0)) {
		field_error(errors, "works", "Choose what happens to your works: delete them or orphan them.");
		return Q_EINVAL;
	}
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	struct work *list;
	size_t n;
	rc = works_of(st, a, u, &list, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct work *w = &list[i];
		bool shared = has_other_creator(w, u->id);
		bool owner = w->ncreators > 0 && w->creators[0].user_id == u->id;
		if (!shared && (!orphan || w->draft))
			rc = store_work_delete(st, w->id);
		else if (shared && owner && !orphan)
			rc = store_work_creator_remove(st, w->id, u->id); /* the next creator becomes the owner */
	}
	/* What is left: works u owns alone go to orphan_account (orphan), u's place on shared works goes. */
	if (rc == 0)
		rc = store_user_delete(st, u->id, orphan);
	return archive_tx_end(st, rc);
}

/* ---- API tokens --------------------------------------------------------------------------- */

int archive_token_create(struct store *st, struct arena *a, int64_t user_id, const char *name,
                         char token[TOKEN_HEX_LEN + 1], struct field_errors *errors)
{
	name = name ? name : "";
	size_t len = strlen(name);
	if (!utf8_valid(name, len) || utf8_length(name, len) > ACCOUNT_TOKEN_NAME_MAX) {
		field_error(errors, "token_name", "Token names are at most 100 characters of text.");
		return Q_EINVAL;
	}
	const char *clean = archive_clean_line(a, name);
	if (archive_text_invisible(clean, strlen(clean)))
		clean = "API token";
	char hash[TOKEN_HEX_LEN + 1];
	token_new(token);
	token_hash(token, hash);
	int64_t id;
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	return archive_tx_end(st, store_token_create(st, user_id, hash, clean, &id));
}

int archive_token_revoke(struct store *st, int64_t user_id, int64_t token_id)
{
	int rc = store_tx_begin(st);
	if (rc != 0)
		return rc;
	return archive_tx_end(st, store_token_revoke(st, user_id, token_id));
}

int archive_account_set_role(struct store *st, struct arena *a, const char *name, const char *role)
{
	if (!archive_role_known(role))
		return Q_EINVAL;
	struct user u;
	int rc = store_user_get_by_name(st, a, name ? name : "", &u);
	if (rc == 0 && !strcmp(u.role, "orphan"))
		rc = Q_ENOTFOUND;
	if (rc == 0 && strcmp(u.role, role) != 0)
		rc = store_user_set_role(st, u.id, role);
	return rc;
}
