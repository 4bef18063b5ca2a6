/* Account mail rules: reset and confirmation links queued in the outbox, and posting with a confirmed address. */
#include "archive/account_mail.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>
#include <time.h>

int account_mail_request_reset(struct store *st, const char *email)
{
	if (!email || !*email)
		return Q_EINVAL;
	/* Who has the address is looked up by the sender, off the request: one insert either way. */
	return store_outbox_add(st, OUTBOX_PASSWORD_RESET, 0, email, NULL);
}

int account_mail_request_claim(struct store *st, const char *email)
{
	if (!email || !*email)
		return Q_EINVAL;
	return store_outbox_add(st, OUTBOX_ACCOUNT_CLAIM, 0, email, NULL);
}

bool account_mail_unclaimed(const struct user *u)
{
	return u && u->pwhash && !*u->pwhash && u->role && strcmp(u->role, "orphan") != 0;
}

int account_mail_request_change(struct store *st, struct arena *a, const struct user *u, const char *new_email,
                                const char **why)
{
	*why = NULL;
	if (!strcasecmp(new_email, u->email) && account_mail_confirmed(st, a, u)) {
		*why = "That is your address already.";
		return Q_EINVAL;
	}
	struct user other;
	int rc = store_user_get_by_email(st, a, new_email, &other);
	if (rc == 0 && other.id != u->id) {
		*why = "Another account uses that e-mail address.";
		return Q_EEXIST;
	}
	if (rc != 0 && rc != Q_ENOTFOUND)
		return rc;
	return store_outbox_add(st, OUTBOX_EMAIL_CONFIRM, u->id, new_email, NULL);
}

int account_mail_request_confirm(struct store *st, const struct user *u)
{
	return store_outbox_add(st, OUTBOX_EMAIL_CONFIRM, u->id, u->email, NULL);
}

bool account_mail_confirmed(struct store *st, struct arena *a, const struct user *u)
{
	struct mail_settings ms;
	return store_mail_settings_get(st, a, u->id, &ms) == 0 && *ms.confirmed_email &&
	       !strcasecmp(ms.confirmed_email, u->email);
}

bool account_mail_may_post(struct store *st, struct arena *a, bool required, const struct user *u)
{
	if (!required || !u || !strcmp(u->role, "admin"))
		return true;
	return account_mail_confirmed(st, a, u);
}

int account_mail_new_link(struct store *st, enum mail_token_kind kind, int64_t user_id, const char *email, int64_t now,
                          char token[TOKEN_HEX_LEN + 1])
{
	char hash[TOKEN_HEX_LEN + 1];
	token_new(token);
	token_hash(token, hash);
	int64_t life = kind == MAIL_TOKEN_PASSWORD_RESET ? ACCOUNT_MAIL_RESET_SECONDS : ACCOUNT_MAIL_CONFIRM_SECONDS;
	return store_mail_token_create(st, kind, hash, user_id, email, now + life);
}

/* The stored form of a token from a link; false for anything that is not one of ours. */
static bool link_hash(const char *token, char hash[TOKEN_HEX_LEN + 1])
{
	if (!token || !token_well_formed(token))
		return false;
	token_hash(token, hash);
	return true;
}

int account_mail_reset_check(struct store *st, struct arena *a, const char *token, struct user *out)
{
	char hash[TOKEN_HEX_LEN + 1];
	char *email;
	if (!link_hash(token, hash))
		return Q_ENOTFOUND;
	return store_mail_token_user(st, a, MAIL_TOKEN_PASSWORD_RESET, hash, (int64_t)time(NULL), out, &email);
}

int account_mail_reset(struct store *st, const char *token, const char *pwhash, int64_t *user_id)
{
	char hash[TOKEN_HEX_LEN + 1];
	if (!link_hash(token, hash))
		return Q_ENOTFOUND;
	return store_password_reset(st, 0, hash, (int64_t)time(NULL), pwhash, user_id);
}

int account_mail_confirm_check(struct store *st, struct arena *a, const char *token, struct user *out, char **email)
{
	char hash[TOKEN_HEX_LEN + 1];
	if (!link_hash(token, hash))
		return Q_ENOTFOUND;
	return store_mail_token_user(st, a, MAIL_TOKEN_EMAIL_CONFIRM, hash, (int64_t)time(NULL), out, email);
}

int account_mail_confirm(struct store *st, const char *token, int64_t *user_id)
{
	char hash[TOKEN_HEX_LEN + 1];
	if (!link_hash(token, hash))
		return Q_ENOTFOUND;
	return store_email_confirm(st, hash, (int64_t)time(NULL), user_id);
}
