/* Account rules: what a user name, e-mail address and password must look like. */
#include "archive/account.h"
#include "auth/password.h"
#include "core/err.h"
#include "core/utf8.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *account_name_problem(const char *name)
{
	size_t n = strlen(name);
	if (n < ACCOUNT_NAME_MIN || n > ACCOUNT_NAME_MAX)
		return "User names are 3 to 40 characters long.";
	if (!isalnum((unsigned char)name[0]))
		return "User names start with a letter or a digit.";
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return "User names use only letters (a-z), digits and underscores.";
	static const char *reserved[] = {"orphan_account", "admin", "administrator", "root", "quire",
	                                 "system", "support", "api", "anonymous", "guest", NULL};
	for (const char **r = reserved; *r; r++)
		if (!strcasecmp(name, *r))
			return "That user name is reserved. Please choose another.";
	return NULL;
}

const char *account_email_problem(const char *email)
{
	size_t n = strlen(email);
	const char *at = strchr(email, '@');
	if (n == 0)
		return "Please enter an e-mail address.";
	if (n > ACCOUNT_EMAIL_MAX || !utf8_valid(email, n))
		return "That e-mail address is too long or not valid text.";
	if (!at || at == email || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' || email[n - 1] == '.')
		return "That does not look like an e-mail address (name@example.org).";
	for (const char *p = email; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p))
			return "E-mail addresses cannot contain spaces or <>()[]\\,;:\" characters.";
	return NULL;
}

const char *account_password_problem(const char *password, const char *confirm)
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN_LEN)
		return "Passwords need at least 8 characters.";
	if (n > PASSWORD_MAX_LEN)
		return "Passwords can be at most 1024 characters.";
	if (!utf8_valid(password, n))
		return "The password is not valid text (UTF-8).";
	if (confirm && strcmp(password, confirm) != 0)
		return "The two passwords do not match.";
	return NULL;
}
