/* Accounts: what names, e-mail addresses and passwords must look like, and the account workflows (sign up,
 * log in, sessions, change the password, API tokens, delete or orphan), each one store transaction.
 * Passwords are hashed and checked (argon2id, slow) before any transaction begins. */
#ifndef QUIRE_ARCHIVE_ACCOUNT_H
#define QUIRE_ARCHIVE_ACCOUNT_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/errors.h"
#include "auth/token.h"
#include "core/arena.h"
#include "store/store.h"

#define ACCOUNT_NAME_MIN 3
#define ACCOUNT_NAME_MAX 40
#define ACCOUNT_EMAIL_MAX 254
#define ACCOUNT_TOKEN_NAME_MAX 100

/* NULL when acceptable, else a message for the person: 3-40 letters, digits or underscores, starting with
 * a letter or digit; reserved names refused. */
const char *account_name_problem(const char *name);
const char *account_email_problem(const char *email);
/* confirm may be NULL (CLI). */
const char *account_password_problem(const char *password, const char *confirm);

/* Creates an account with a role of archive_roles (archive/roles.h). Every problem is reported at once, under
 * the sign-up form's field names: username (format, taken, or looking like an existing name: "aIice"
 * beside "alice"), email, password, password_confirmation (confirm may be NULL), role. Returns 0 with *id,
 * Q_EINVAL, or a store error. */
int archive_account_signup(struct store *st, struct arena *a, const char *name, const char *email,
                           const char *password, const char *confirm, const char *role, int64_t *id,
                           struct field_errors *errors);
/* archive_account_signup's checks alone, creating nothing (a sign-up held for the moderators is checked first). */
int archive_account_signup_check(struct store *st, struct arena *a, const char *name, const char *email,
                                 const char *password, const char *confirm, struct field_errors *errors);
/* The same, with inside(st, id, ctx) run in its transaction once the account exists: its failure (a used
 * invitation, say) rolls the account back too, and is returned. */
int archive_account_signup_with(struct store *st, struct arena *a, const char *name, const char *email,
                                const char *password, const char *confirm, const char *role,
                                int (*inside)(struct store *st, int64_t id, void *ctx), void *ctx, int64_t *id,
                                struct field_errors *errors);
/* Gives the account `name` a role of archive_roles (site admins, from the command line).
 * Q_EINVAL for another role, Q_ENOTFOUND for no such account (the orphan account has none). */
int archive_account_set_role(struct store *st, struct arena *a, const char *name, const char *role);
/* Checks a log-in (a user name, or an e-mail address when login holds '@') and fills *out. Q_EPERM when
 * the name or password is wrong, after the same time a right name would take. */
int archive_login(struct store *st, struct arena *a, const char *login, const char *password, struct user *out);
/* What per-account log-in limits count for login: the account's name when login names one (by user name or by
 * e-mail address), login itself otherwise; lower case, in a. One account, one limit, however it is named. */
const char *archive_login_key(struct store *st, struct arena *a, const char *login);

/* Starts a session (token_hash of a new random token) for user_id until expires_at. A session the browser
 * still held (replaces_hash, NULL for none) ends in the same transaction, whoever it belonged to. */
int archive_session_start(struct store *st, int64_t user_id, const char *token_hash, int64_t expires_at,
                          const char *replaces_hash);
/* Ends a session (Q_ENOTFOUND when there was none). */
int archive_session_end(struct store *st, const char *token_hash);

/* Changes u's password: current must be right (Q_EPERM, field current_password), the new one acceptable
 * (Q_EINVAL, field password). Every other session of u ends; keep_session_hash (may be NULL) stays. */
int archive_account_password(struct store *st, const struct user *u, const char *current, const char *password,
                             const char *confirm, const char *keep_session_hash, struct field_errors *errors);
/* Deletes u's account after checking the password (Q_EPERM, field delete_password). works is "delete" or
 * "orphan" (else Q_EINVAL, field works):
 *   delete: works where u is the only accepted creator are deleted; works with other accepted creators
 *           stay with them (the next one becomes the owner when u owned the work);
 *   orphan: works pass to orphan_account, except u's drafts with no other creator, which nobody could
 *           reach any more and are deleted.
 * Sessions and tokens go with the account. */
int archive_account_delete(struct store *st, struct arena *a, const struct user *u, const char *password,
                           const char *works, struct field_errors *errors);

/* A new API token for user_id named name (blank: "API token"; at most ACCOUNT_TOKEN_NAME_MAX characters,
 * else Q_EINVAL, field token_name). The token is written to token (shown once); the store keeps its hash. */
int archive_token_create(struct store *st, struct arena *a, int64_t user_id, const char *name,
                         char token[TOKEN_HEX_LEN + 1], struct field_errors *errors);
/* Revokes one of user_id's tokens (Q_ENOTFOUND when it has no such token). */
int archive_token_revoke(struct store *st, int64_t user_id, int64_t token_id);
#endif
