/* Invitation codes, the request queue and its daily sending, and the site's gated sign-up. */
#include "archive/invitations.h"
#include "archive/account.h"
#include "archive/moderation.h"
#include "archive/roles.h"
#include "archive/site.h"
#include "archive/spam.h"
#include "auth/password.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "core/err.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void new_code(char code[INVITE_CODE_LEN + 1])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* no l, o, 0, 1: read aloud, typed back */
	for (int i = 0; i < INVITE_CODE_LEN; i++)
		code[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	code[INVITE_CODE_LEN] = '\0';
}

int invite_create(struct community *c, struct arena *a, const struct user *u, char code[INVITE_CODE_LEN + 1],
                  const char **why)
{
	struct store *st = community_store(c);
	if (!u) {
		*why = "Log in to invite people.";
		return Q_EPERM;
	}
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	int64_t unused = 0, made = 0;
	if (!archive_may(u, POWER_INVITATIONS) &&
	    (rc = store_invites_count(st, u->id, (int64_t)time(NULL) - 30 * 86400, &unused, &made)) == 0 &&
	    (unused >= INVITES_UNUSED_PER_ACCOUNT || made >= INVITES_PER_ACCOUNT_MONTH)) {
		*why = unused >= INVITES_UNUSED_PER_ACCOUNT
		               ? arena_printf(a, "You hold %d unused invitations: hand those out first.", INVITES_UNUSED_PER_ACCOUNT)
		               : arena_printf(a, "You have made %d invitations in 30 days, the most an account may.",
		                              INVITES_PER_ACCOUNT_MONTH);
		rc = Q_ETOOBIG;
	}
	if (rc == 0) {
		new_code(code);
		struct invitation inv = {.code = code, .created_by = u->id, .email = ""};
		rc = store_invite_create(st, &inv);
	}
	rc = archive_tx_end(st, rc);
	if (rc && rc != Q_ETOOBIG)
		*why = "The invitation could not be made. Please try again.";
	(void)a;
	return rc;
}

int invite_request(struct community *c, struct arena *a, const char *email, const char *address, int64_t *ahead,
                   struct field_errors *errors, const char **why, int *retry_after)
{
	struct site_settings *s = arena_calloc(a, 1, sizeof *s);
	community_settings(c, s);
	*retry_after = 0;
	if (strcmp(s->value[SITE_SIGNUP_MODE], "invitation") != 0) {
		*why = !strcmp(s->value[SITE_SIGNUP_MODE], "open") ? "Anyone may sign up here: no invitation is needed."
		                                                    : "Sign-ups are closed, and no invitations are being sent.";
		return Q_EPERM;
	}
	const char *e = archive_trim(a, email), *p = account_email_problem(e);
	if (p) {
		field_error(errors, "email", p);
		*why = "Please check the address.";
		return Q_EINVAL;
	}
	char h[65];
	community_address_hash(c, "invite", address, h);
	int rc = community_limit(c, arena_printf(a, "invite:a:%s", h), INVITE_REQUESTS_PER_ADDRESS, 86400, retry_after);
	if (rc == Q_EBUSY) {
		*why = "Too many requests from your address today. Please try again tomorrow.";
		return rc;
	}
	struct user taken;
	if (rc == 0 && store_user_get_by_email(community_store(c), a, e, &taken) == 0) {
		field_error(errors, "email", "An account with that address exists already: log in instead.");
		*why = "Please check the address.";
		return Q_EINVAL;
	}
	int64_t id = 0;
	if (rc == 0)
		rc = store_invite_request_add(community_store(c), e, &id, ahead);
	if (rc == Q_EEXIST) {
		field_error(errors, "email", "That address is in the queue already.");
		*why = "Please check the address.";
		return Q_EINVAL;
	}
	*why = rc ? "The request could not be saved. Please try again." : "You are in the queue.";
	return rc;
}

int invite_send_from_queue(struct community *c, struct arena *a, const struct user *actor, int max, int *sent,
                           const char **why)
{
	struct store *st = community_store(c);
	*sent = 0;
	if (actor && !archive_may(actor, POWER_INVITATIONS)) {
		*why = "Only administrators send invitations from the queue.";
		return Q_EPERM;
	}
	struct site_settings *s = arena_calloc(a, 1, sizeof *s);
	community_settings(c, s);
	const char *site = s->value[SITE_NAME], *base = community_base_url(c, a);
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	/* Counted inside the transaction, which every server's sender takes in turn: never more than the day's. */
	int64_t waiting = 0, today = 0, now = (int64_t)time(NULL);
	if ((rc = store_invite_requests_count(st, now - 86400, &waiting, &today)))
		goto done;
	int64_t allow = max >= 0 ? max : atoll(s->value[SITE_INVITATIONS_PER_DAY]) - today;
	if (allow > INVITES_SEND_MAX)
		allow = INVITES_SEND_MAX;
	if (allow <= 0 || waiting == 0)
		goto done;
	struct invite_request *list;
	size_t n;
	if ((rc = store_invite_requests_list(st, a, INVITE_WAITING, 0, (int)allow, &list, &n)))
		goto done;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char code[INVITE_CODE_LEN + 1];
		new_code(code);
		struct invitation inv = {.code = code, .email = list[i].email, .request_id = list[i].id};
		const char *subject = arena_printf(a, "[%s] Your invitation", site);
		const char *body = arena_printf(a,
		                                "Hello,\n\n"
		                                "You asked for an invitation to %s. Here it is: follow this link to create "
		                                "your account.\n\n"
		                                "%s/signup?invitation=%s\n\n"
		                                "The invitation makes one account. If you did not ask for it, ignore this mail.\n",
		                                site, base, code);
		if ((rc = store_invite_create(st, &inv)) == 0 &&
		    (rc = store_invite_request_mark(st, list[i].id, INVITE_SENT, code)) == 0)
			rc = store_notice_add(st, 0, list[i].email, 0, NULL, subject, body);
		if (rc == 0)
			(*sent)++;
	}
	if (rc == 0 && actor && *sent)
		rc = mod_log(st, actor, MOD_INVITES_SENT, "invitations", *sent, "the request queue", NULL, "",
		             arena_printf(a, "%d sent", *sent), 0, NULL);
done:
	rc = archive_tx_end(st, rc);
	if (rc)
		*sent = 0;
	*why = rc ? "The invitations could not be sent. Please try again."
	          : *sent ? arena_printf(a, "%d invitations sent.", *sent) : "No invitations to send.";
	return rc;
}

int invite_check(struct store *st, struct arena *a, const char *code, const char **why)
{
	struct invitation inv;
	int rc = code && *code && strlen(code) <= 64 ? store_invite_get(st, a, code, &inv) : Q_ENOTFOUND;
	if (rc == 0 && inv.used_at)
		rc = Q_EEXIST;
	*why = rc == Q_ENOTFOUND ? "That invitation code is not one of ours. Check the link in your mail."
	       : rc == Q_EEXIST  ? "That invitation was used already: each makes one account."
	       : rc              ? "The invitation could not be checked. Please try again."
	                         : NULL;
	return rc;
}

/* ---- Signing up ----------------------------------------------------------------------------------- */

struct signup_inside {
	const char *code;       /* the invitation to use up, or NULL */
	int64_t policy_version; /* the terms accepted, or 0 */
};

static int inside_signup(struct store *st, int64_t id, void *ctx)
{
	const struct signup_inside *in = ctx;
	int rc = in->code ? store_invite_use(st, in->code, id) : 0;
	if (rc == 0 && in->policy_version)
		rc = store_policy_accept(st, id, in->policy_version);
	return rc;
}

int community_signup(struct community *c, struct arena *a, const struct signup_input *in, int64_t *id,
                     struct field_errors *errors, const char **why)
{
	struct store *st = community_store(c);
	struct site_settings *s = arena_calloc(a, 1, sizeof *s);
	community_settings(c, s);
	*why = NULL;
	if (!strcmp(s->value[SITE_SIGNUP_MODE], "closed")) {
		*why = "Sign-ups are closed at the moment.";
		return Q_EPERM;
	}
	if (in->honeypot && *in->honeypot) {
		*why = "This sign-up could not be accepted.";
		return Q_EPERM;
	}
	struct signup_inside inside = {NULL, s->policy_version};
	if (!strcmp(s->value[SITE_SIGNUP_MODE], "invitation")) {
		const char *code = archive_trim(a, in->invitation), *p = NULL;
		if (!*code)
			field_error(errors, "invitation", "Sign-up is by invitation: ask for one, or use the link you were sent.");
		else if (invite_check(st, a, code, &p) != 0)
			field_error(errors, "invitation", p);
		else
			inside.code = code;
	}
	if (s->policy_version && !in->accept_terms)
		field_error(errors, "accept_terms", "Please read and accept the terms of service and the privacy policy.");
	if (in->email && *in->email && !spam_email_allowed(st, in->email))
		field_error(errors, "email", "That e-mail address can't be used to sign up here.");
	if (errors->n) {
		/* The account's own fields are checked too, so every problem shows at once. */
		struct field_errors more = {0};
		const char *p;
		if ((p = account_name_problem(in->name ? in->name : "")))
			field_error(&more, "username", p);
		if ((p = account_email_problem(in->email ? in->email : "")))
			field_error(&more, "email", p);
		for (size_t i = 0; i < more.n; i++)
			field_error(errors, more.items[i].field, more.items[i].message);
		return Q_EINVAL;
	}
	/* Spam: past the day's sign-ups from one address (or from one that sent spam), the sign-up waits for a
	 * moderator, checked and with its password hashed, and no account exists until it is released. An
	 * invitation vouches for its holder. */
	if (!inside.code) {
		/* Only sign-ups that would succeed count (a mistyped form is no sign of spam). */
		int rc = archive_account_signup_check(st, a, in->name, in->email, in->password ? in->password : "",
		                                      in->confirm ? in->confirm : "", errors);
		if (rc)
			return rc;
		struct spam_verdict v;
		spam_score_signup(c, a, in->address, &v);
		if (v.held) {
			char hash[PASSWORD_HASH_MAX];
			if (password_hash(in->password, strlen(in->password), hash) != 0)
				return Q_ERR;
			rc = spam_hold_signup(c, a, in->name, in->email, hash, s->policy_version, in->address, &v, NULL);
			explicit_bzero(hash, sizeof hash);
			if (rc)
				return rc;
			*why = "Thank you. Your sign-up is waiting for the site's moderators: you will get a mail when your "
			       "account is ready.";
			return Q_EBUSY;
		}
	}
	int rc = archive_account_signup_with(st, a, in->name, in->email, in->password ? in->password : "",
	                                     in->confirm ? in->confirm : "", "user", inside_signup, &inside, id, errors);
	if (rc == Q_EEXIST) { /* the invitation was used meanwhile: nothing was created */
		field_error(errors, "invitation", "That invitation was used already: each makes one account.");
		return Q_EINVAL;
	}
	return rc;
}
