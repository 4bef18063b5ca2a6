/* Password hashing with argon2id through libsodium; costs are process-wide and chosen at start-up. */
#include "auth/password.h"
#include "auth/password_helper.h"
#include "core/err.h"
#include "core/workpool.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer smaller than libsodium's");

#define ARGON2ID_PREFIX "$argon2id$"

#define PASSWORD_CONCURRENCY_DEFAULT 2

static _Atomic int cost = PASSWORD_COST_INTERACTIVE;
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static struct workpool_sem argon2_slots; /* caps memory and CPU spent on argon2id at any moment */

static void sodium_start(void)
{
	/* Without a working RNG no salt is safe; refusing to run beats weak hashes. */
	if (sodium_init() < 0) {
		fputs("password: sodium_init failed\n", stderr);
		abort();
	}
	workpool_sem_init(&argon2_slots, PASSWORD_CONCURRENCY_DEFAULT);
}

void password_set_concurrency(unsigned n)
{
	pthread_once(&sodium_once, sodium_start);
	workpool_sem_resize(&argon2_slots, n);
}

void password_set_cost(enum password_cost c)
{
	atomic_store(&cost, (int)c);
}

int password_cost_parse(const char *name, enum password_cost *out)
{
	static const struct {
		const char *name;
		enum password_cost cost;
	} names[] = {
		{"min", PASSWORD_COST_MIN},
		{"interactive", PASSWORD_COST_INTERACTIVE},
		{"moderate", PASSWORD_COST_MODERATE},
	};
	if (!name)
		return Q_EINVAL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].cost;
			return 0;
		}
	}
	return Q_EINVAL;
}

int password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX])
{
	unsigned long long ops;
	size_t mem;

	out[0] = '\0';
	if ((!pw && len) || len > PASSWORD_MAX_LEN)
		return Q_EINVAL;
	pthread_once(&sodium_once, sodium_start);
	switch (atomic_load(&cost)) {
	case PASSWORD_COST_MIN:
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
		break;
	case PASSWORD_COST_MODERATE:
		ops = crypto_pwhash_OPSLIMIT_MODERATE;
		mem = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	default:
		ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	}
	/* libsodium reads pw even for len 0; give it a valid pointer. */
	workpool_sem_wait(&argon2_slots);
	int rc = password_helper_hash(pw ? pw : "", len, ops, mem, out, PASSWORD_HASH_MAX);
	if (rc == Q_ENOTFOUND) /* no helper process: in this one */
		rc = crypto_pwhash_str_alg(out, pw ? pw : "", len, ops, mem, crypto_pwhash_ALG_ARGON2ID13);
	workpool_sem_post(&argon2_slots);
	if (rc != 0) {
		out[0] = '\0';
		return Q_ERR;
	}
	return 0;
}

bool password_verify(const char *hash, const char *pw, size_t len)
{
	if (!hash || (!pw && len) || len > PASSWORD_MAX_LEN)
		return false;
	/* libsodium would also accept argon2i; only what we write is trusted. The length check keeps
	 * it from reading an unterminated or oversized string. */
	if (strncmp(hash, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) != 0)
		return false;
	if (strnlen(hash, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
		return false;
	pthread_once(&sodium_once, sodium_start);
	bool ok = false;
	workpool_sem_wait(&argon2_slots);
	if (password_helper_verify(hash, pw ? pw : "", len, &ok) == Q_ENOTFOUND)
		ok = crypto_pwhash_str_verify(hash, pw ? pw : "", len) == 0;
	workpool_sem_post(&argon2_slots);
	return ok;
}
