/* Tests for argon2id password hashing: round trips, rejection of wrong, foreign and oversized input. */
#include "check.h"
#include "auth/password.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

static void test_cost_parse(void)
{
	enum password_cost c = PASSWORD_COST_MODERATE;

	CHECK(password_cost_parse("min", &c) == 0 && c == PASSWORD_COST_MIN);
	CHECK(password_cost_parse("interactive", &c) == 0 && c == PASSWORD_COST_INTERACTIVE);
	CHECK(password_cost_parse("moderate", &c) == 0 && c == PASSWORD_COST_MODERATE);
	c = PASSWORD_COST_MIN;
	CHECK(password_cost_parse("", &c) == Q_EINVAL);
	CHECK(password_cost_parse("MIN", &c) == Q_EINVAL);
	CHECK(password_cost_parse("sensitive", &c) == Q_EINVAL);
	CHECK(password_cost_parse("min ", &c) == Q_EINVAL);
	CHECK(password_cost_parse(NULL, &c) == Q_EINVAL);
	CHECK(c == PASSWORD_COST_MIN); /* untouched on failure */
}

static void test_round_trip(void)
{
	char h[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	const char *pw = "correct horse battery staple";

	CHECK(password_hash(pw, strlen(pw), h) == 0);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	CHECK(strlen(h) < PASSWORD_HASH_MAX);
	CHECK_NOT_CONTAINS(h, pw);
	CHECK(password_verify(h, pw, strlen(pw)));
	CHECK(!password_verify(h, "correct horse battery stapl", strlen(pw) - 1));
	CHECK(!password_verify(h, "Correct horse battery staple", strlen(pw)));
	CHECK(!password_verify(h, "", 0));
	CHECK(!password_verify(h, NULL, 0));
	/* len is honoured: a longer buffer with the same prefix is a different password. */
	CHECK(!password_verify(h, "correct horse battery staple!", strlen(pw) + 1));

	/* Fresh salt each time. */
	CHECK(password_hash(pw, strlen(pw), h2) == 0);
	CHECK(strcmp(h, h2) != 0);
	CHECK(password_verify(h2, pw, strlen(pw)));

	/* Bytes after len do not matter, embedded NUL and UTF-8 do. */
	CHECK(password_hash("secret\0one", 10, h) == 0);
	CHECK(password_verify(h, "secret\0one", 10));
	CHECK(!password_verify(h, "secret\0two", 10));
	CHECK(!password_verify(h, "secret", 6));
	CHECK(password_hash("p\xc3\xa4ssw\xc3\xb6rd", 11, h) == 0);
	CHECK(password_verify(h, "p\xc3\xa4ssw\xc3\xb6rd", 11));
	CHECK(!password_verify(h, "passw\xc3\xb6rd", 10));

	/* An empty password hashes (policy on minimum length lives with registration). */
	CHECK(password_hash("", 0, h) == 0);
	CHECK(password_verify(h, "", 0));
	CHECK(!password_verify(h, "x", 1));
}

static void test_limits(void)
{
	char h[PASSWORD_HASH_MAX];
	char *big = malloc(PASSWORD_MAX_LEN + 2);

	memset(big, 'p', PASSWORD_MAX_LEN + 1);
	big[PASSWORD_MAX_LEN + 1] = '\0';
	CHECK(password_hash(big, PASSWORD_MAX_LEN, h) == 0);
	CHECK(password_verify(h, big, PASSWORD_MAX_LEN));
	CHECK(!password_verify(h, big, PASSWORD_MAX_LEN - 1));
	CHECK(!password_verify(h, big, PASSWORD_MAX_LEN + 1)); /* too long is refused, not truncated */
	memset(h, 'z', sizeof h);
	CHECK(password_hash(big, PASSWORD_MAX_LEN + 1, h) == Q_EINVAL);
	CHECK(h[0] == '\0');
	CHECK(password_hash(big, (size_t)-1, h) == Q_EINVAL);
	CHECK(password_hash(NULL, 5, h) == Q_EINVAL);
	free(big);
}

static void test_foreign_hashes(void)
{
	char h[PASSWORD_HASH_MAX], forged[PASSWORD_HASH_MAX + 64];
	const char *pw = "hunter22";

	CHECK(password_hash(pw, strlen(pw), h) == 0);
	/* The same parameters and digest relabelled as argon2i: libsodium alone would check it. */
	snprintf(forged, sizeof forged, "$argon2i$%s", h + strlen("$argon2id$"));
	CHECK(!password_verify(forged, pw, strlen(pw)));
	CHECK(!password_verify("", pw, strlen(pw)));
	CHECK(!password_verify(NULL, pw, strlen(pw)));
	CHECK(!password_verify("garbage", pw, strlen(pw)));
	CHECK(!password_verify("$argon2id$", pw, strlen(pw)));
	CHECK(!password_verify("$argon2id$v=19$m=8,t=1,p=1$", pw, strlen(pw)));
	CHECK(!password_verify("$2b$12$abcdefghijklmnopqrstuvCdefghijklmnopqrstuvwxyzABCDEF", pw, strlen(pw)));
	CHECK(!password_verify(" $argon2id$", pw, strlen(pw)));

	/* Tampering with the digest or the salt breaks it. */
	strcpy(forged, h);
	size_t last = strlen(forged) - 1;
	forged[last] = forged[last] == 'A' ? 'B' : 'A';
	CHECK(!password_verify(forged, pw, strlen(pw)));
	strcpy(forged, h);
	char *salt = strrchr(forged, '$');
	salt = salt ? salt - 2 : forged;
	*salt = *salt == 'A' ? 'B' : 'A';
	CHECK(!password_verify(forged, pw, strlen(pw)));

	/* A string longer than any encoded hash is refused without being parsed. */
	memset(forged, 'A', sizeof forged - 1);
	forged[sizeof forged - 1] = '\0';
	memcpy(forged, h, strlen(h));
	CHECK(!password_verify(forged, pw, strlen(pw)));
	CHECK(password_verify(h, pw, strlen(pw)));
}

static void test_interactive_once(void)
{
	char h[PASSWORD_HASH_MAX];
	const char *pw = "a real login password";

	/* One round at the production default, to see its parameters land in the string. */
	password_set_cost(PASSWORD_COST_INTERACTIVE);
	CHECK(password_hash(pw, strlen(pw), h) == 0);
	CHECK_CONTAINS(h, "$argon2id$v=19$m=65536,t=2,p=1$");
	CHECK(password_verify(h, pw, strlen(pw)));
	CHECK(!password_verify(h, "a real login passworD", strlen(pw)));
	password_set_cost(PASSWORD_COST_MIN);
	CHECK(password_hash(pw, strlen(pw), h) == 0);
	CHECK_CONTAINS(h, "$m=8,t=1,p=1$");
}

int main(void)
{
	test_cost_parse();
	password_set_cost(PASSWORD_COST_MIN); /* keeps the suite fast, even under sanitizers */
	test_round_trip();
	test_limits();
	test_foreign_hashes();
	test_interactive_once();
	return CHECK_DONE();
}
