/* Tests for argon2id in the helper process: round trips through it, many threads sharing its slots,
 * hashes interchangeable with in-process ones, and the in-process fallback once it is gone. */
#include "check.h"
#include "auth/password.h"
#include "auth/password_helper.h"
#include "core/err.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

static atomic_int failures;

static void *hash_and_verify(void *arg)
{
	const char *pw = arg;
	for (int i = 0; i < 5; i++) {
		char h[PASSWORD_HASH_MAX];
		if (password_hash(pw, strlen(pw), h) != 0 || !password_verify(h, pw, strlen(pw)) ||
		    password_verify(h, "wrong", 5))
			atomic_fetch_add(&failures, 1);
	}
	return NULL;
}

int main(void)
{
	char h[PASSWORD_HASH_MAX];
	bool ok = true;
	const char *pw = "correct horse battery staple";

	password_set_cost(PASSWORD_COST_MIN);
	CHECK(password_helper_hash(pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, h,
	                           sizeof h) == Q_ENOTFOUND); /* none started yet */
	CHECK(password_helper_verify("$argon2id$x", pw, strlen(pw), &ok) == Q_ENOTFOUND);
	CHECK(password_helper_start(2) == 0);

	CHECK(password_helper_hash(pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, h,
	                           sizeof h) == 0);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	/* The helper's hash is an ordinary argon2id string: this process verifies it too. */
	CHECK(crypto_pwhash_str_verify(h, pw, strlen(pw)) == 0);
	CHECK(password_helper_verify(h, pw, strlen(pw), &ok) == 0 && ok);
	CHECK(password_helper_verify(h, "nope", 4, &ok) == 0 && !ok);
	CHECK(password_helper_verify("$argon2id$garbage", pw, strlen(pw), &ok) == 0 && !ok);
	CHECK(password_helper_verify(h, "", 0, &ok) == 0 && !ok);

	/* More threads than slots: they queue for the helper's two. */
	pthread_t t[6];
	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, hash_and_verify, (void *)pw);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	CHECK(atomic_load(&failures) == 0);

	password_helper_stop();
	CHECK(password_helper_verify(h, pw, strlen(pw), &ok) == Q_ENOTFOUND);
	/* password.c falls back to hashing in this process. */
	CHECK(password_verify(h, pw, strlen(pw)));
	CHECK(password_hash(pw, strlen(pw), h) == 0 && password_verify(h, pw, strlen(pw)));
	return CHECK_DONE();
}
