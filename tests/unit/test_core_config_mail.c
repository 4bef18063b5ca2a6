/* Unit tests for the mail settings: smtp_url, credentials, mail_from, base_url, require_email_confirmation. */
#include "check.h"
#include "core/config.h"
#include "core/err.h"
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	struct config c;
	char err[256], buf[600];
	config_defaults(&c);
	CHECK_STR(c.smtp_url, "");
	CHECK_STR(c.mail_from, "quire@localhost");
	CHECK(!c.require_email_confirmation);
	/* Without base_url, links point at the listening address. */
	CHECK_STR(config_base_url(&c, buf, sizeof buf), "http://127.0.0.1:8080");
	CHECK(config_set(&c, "listen", "[::1]:8081", err, sizeof err) == 0);
	CHECK_STR(config_base_url(&c, buf, sizeof buf), "http://[::1]:8081");

	CHECK(config_set(&c, "smtp_url", "smtp://127.0.0.1:2525", err, sizeof err) == 0);
	CHECK_STR(c.smtp_url, "smtp://127.0.0.1:2525");
	CHECK(config_set(&c, "smtp_url", "SMTPS://mail.example.org:465", err, sizeof err) == 0);
	CHECK(config_set(&c, "smtp_url", "", err, sizeof err) == 0); /* back to "no relay: mail goes to mail_dir" */
	CHECK_STR(c.smtp_url, "");
	CHECK(config_set(&c, "smtp_url", "http://example.org", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "smtp_url", "smtp://a\nb", err, sizeof err) == Q_EINVAL);

	CHECK(config_set(&c, "smtp_user", "quire", err, sizeof err) == 0);
	CHECK(config_set(&c, "smtp_password", "s3cret", err, sizeof err) == 0);
	CHECK_STR(c.smtp_password, "s3cret");
	CHECK(config_set(&c, "smtp_password", "bad\rvalue", err, sizeof err) == Q_EINVAL);
	CHECK_NOT_CONTAINS(err, "bad\rvalue"); /* a password is never echoed in messages */

	CHECK(config_set(&c, "mail_from", "Fics <fics@example.org>", err, sizeof err) == 0);
	CHECK(config_set(&c, "mail_from", "nobody", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "mail_from", "a@b\r\nBcc: x@y", err, sizeof err) == Q_EINVAL);
	CHECK_STR(c.mail_from, "Fics <fics@example.org>");

	CHECK(config_set(&c, "base_url", "https://fics.example.org//", err, sizeof err) == 0);
	CHECK_STR(c.base_url, "https://fics.example.org");
	CHECK_STR(config_base_url(&c, buf, sizeof buf), "https://fics.example.org");
	CHECK(config_set(&c, "base_url", "ftp://x", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "base_url", "https://a b", err, sizeof err) == Q_EINVAL);

	CHECK(config_set(&c, "require_email_confirmation", "yes", err, sizeof err) == 0);
	CHECK(c.require_email_confirmation);
	CHECK(config_set(&c, "require_email_confirmation", "sometimes", err, sizeof err) == Q_EINVAL);

	/* Environment variables, QUIRE_ plus the key in capitals. */
	config_defaults(&c);
	setenv("QUIRE_SMTP_URL", "smtp://relay:25", 1);
	setenv("QUIRE_SMTP_USER", "u", 1);
	setenv("QUIRE_SMTP_PASSWORD", "p", 1);
	setenv("QUIRE_MAIL_FROM", "x@example.org", 1);
	setenv("QUIRE_BASE_URL", "https://example.org", 1);
	setenv("QUIRE_REQUIRE_EMAIL_CONFIRMATION", "true", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK_STR(c.smtp_url, "smtp://relay:25");
	CHECK_STR(c.smtp_user, "u");
	CHECK_STR(c.smtp_password, "p");
	CHECK_STR(c.mail_from, "x@example.org");
	CHECK_STR(c.base_url, "https://example.org");
	CHECK(c.require_email_confirmation);
	setenv("QUIRE_SMTP_URL", "gopher://x", 1);
	CHECK(config_load_env(&c, err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "QUIRE_SMTP_URL");
	return CHECK_DONE();
}
