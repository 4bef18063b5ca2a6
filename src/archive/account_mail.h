/* Account mail rules: password resets and e-mail confirmations by single-use links through the outbox,
 * and whether an account may post when the site requires a confirmed address. */
#ifndef QUIRE_ARCHIVE_ACCOUNT_MAIL_H
#define QUIRE_ARCHIVE_ACCOUNT_MAIL_H
#include <stdbool.h>
#include <stdint.h>
#include "auth/token.h"
#include "core/arena.h"
#include "store/store.h"

#define ACCOUNT_MAIL_RESET_SECONDS 3600          /* a password reset link lives an hour */
#define ACCOUNT_MAIL_CONFIRM_SECONDS (24 * 3600) /* an address confirmation link a day */

/* Queues a reset mail for whoever has `email` when the mail is sent: the same work whether or not an
 * account has that address, so neither the answer nor its timing tells. Q_EINVAL for a blank address. */
int account_mail_request_reset(struct store *st, const char *email);
/* Queues the claim of an account moved here from an old archive (imports): like a reset, the same work
 * whether or not one has the address; the mail goes only to an account nobody has claimed yet (no password). */
int account_mail_request_claim(struct store *st, const char *email);
/* Whether u is an account moved from an old archive that nobody has claimed yet: it has no password. */
bool account_mail_unclaimed(const struct user *u);
/* Queues a link to new_email that makes it u's address when followed. Q_EINVAL with *why when it is u's
 * address already; Q_EEXIST with *why when another account has it. */
int account_mail_request_change(struct store *st, struct arena *a, const struct user *u, const char *new_email,
                                const char **why);
/* Queues a link that confirms u's current address. */
int account_mail_request_confirm(struct store *st, const struct user *u);
/* Whether u's current address has been confirmed by a link. */
bool account_mail_confirmed(struct store *st, struct arena *a, const struct user *u);
/* Posting needs a confirmed address when the site requires one (config require_email_confirmation);
 * admins are exempt (they create accounts from the command line, often before mail works). */
bool account_mail_may_post(struct store *st, struct arena *a, bool required, const struct user *u);

/* The sender's side: a fresh single-use link for user_id to the address email, valid from now for the
 * kind's lifetime; only its hash is stored. token receives the plain token for the mail. */
int account_mail_new_link(struct store *st, enum mail_token_kind kind, int64_t user_id, const char *email, int64_t now,
                          char token[TOKEN_HEX_LEN + 1]);
/* The account of a live reset link (Q_ENOTFOUND for a malformed, unknown, used or expired one). */
int account_mail_reset_check(struct store *st, struct arena *a, const char *token, struct user *out);
/* Sets the password hash through a reset link; every session of the account ends; the link is used up. */
int account_mail_reset(struct store *st, const char *token, const char *pwhash, int64_t *user_id);
/* The account and new address of a live confirmation link. */
int account_mail_confirm_check(struct store *st, struct arena *a, const char *token, struct user *out, char **email);
/* Follows a confirmation link: Q_ENOTFOUND dead link, Q_EEXIST address taken meanwhile. */
int account_mail_confirm(struct store *st, const char *token, int64_t *user_id);
#endif
