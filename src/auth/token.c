/* Random tokens, their stored BLAKE2b hashes, HMAC-bound CSRF tokens and constant-time comparison. */
#include "auth/token.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_BYTES (TOKEN_HEX_LEN / 2)

_Static_assert(crypto_generichash_BYTES == TOKEN_BYTES, "BLAKE2b output is not 32 bytes");
_Static_assert(crypto_auth_hmacsha256_BYTES == TOKEN_BYTES, "HMAC-SHA256 output is not 32 bytes");
_Static_assert(crypto_auth_hmacsha256_KEYBYTES == 32, "HMAC key size mismatch");

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_start(void)
{
	/* Tokens from an unseeded generator would be guessable: stop instead. */
	if (sodium_init() < 0) {
		fputs("token: sodium_init failed\n", stderr);
		abort();
	}
}

void token_new(char out[TOKEN_HEX_LEN + 1])
{
	unsigned char raw[TOKEN_BYTES];

	pthread_once(&sodium_once, sodium_start);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, TOKEN_HEX_LEN + 1, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void token_hash(const char *token, char out[TOKEN_HEX_LEN + 1])
{
	unsigned char h[TOKEN_BYTES];

	pthread_once(&sodium_once, sodium_start);
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, TOKEN_HEX_LEN + 1, h, sizeof h);
}

bool token_well_formed(const char *s)
{
	if (!s)
		return false;
	for (size_t i = 0; i < TOKEN_HEX_LEN; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false; /* also stops at a NUL before 64 characters */
	}
	return s[TOKEN_HEX_LEN] == '\0';
}

void token_hmac(const unsigned char key[32], const char *message, char out[TOKEN_HEX_LEN + 1])
{
	unsigned char mac[TOKEN_BYTES];

	pthread_once(&sodium_once, sodium_start);
	crypto_auth_hmacsha256(mac, (const unsigned char *)message, strlen(message), key);
	sodium_bin2hex(out, TOKEN_HEX_LEN + 1, mac, sizeof mac);
}

void token_mac(const unsigned char key[32], const char *message, char out[TOKEN_HEX_LEN + 1])
{
	unsigned char mac[TOKEN_BYTES];

	pthread_once(&sodium_once, sodium_start);
	crypto_generichash(mac, sizeof mac, (const unsigned char *)message, strlen(message), key, 32);
	sodium_bin2hex(out, TOKEN_HEX_LEN + 1, mac, sizeof mac);
}

bool token_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t la = strlen(a), lb = strlen(b);
	/* Lengths are public (tokens have a fixed size); the contents are compared in constant time. */
	if (la != lb)
		return false;
	pthread_once(&sodium_once, sodium_start);
	return sodium_memcmp(a, b, la) == 0;
}
