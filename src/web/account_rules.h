/* Account rules shared by the sign-up page and the CLI: names, e-mail addresses, passwords. */
#ifndef QUIRE_WEB_ACCOUNT_RULES_H
#define QUIRE_WEB_ACCOUNT_RULES_H
#include <stdint.h>
#include "store/store.h"
#include "web/work_rules.h"

#define ACCOUNT_NAME_MIN 3
#define ACCOUNT_NAME_MAX 40
#define ACCOUNT_EMAIL_MAX 254

/* NULL when acceptable, else a message for the person: 3-40 letters, digits or underscores,
 * starting with a letter or digit; reserved names refused. */
const char *account_name_problem(const char *name);
const char *account_email_problem(const char *email);
/* confirm may be NULL (CLI). */
const char *account_password_problem(const char *password, const char *confirm);
/* Validates, hashes the password (argon2id) and stores the account. Field errors use the form's field
 * names: username, email, password, password_confirmation. Returns 0, Q_EINVAL, or Q_ERR. */
int account_create(struct store *st, const char *name, const char *email, const char *password,
                   const char *confirm, const char *role, int64_t *id, struct field_errors *errors);
#endif
