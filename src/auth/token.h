/* Random secrets and their stored forms: session and API tokens are shown once and stored hashed. */
#ifndef QUIRE_AUTH_TOKEN_H
#define QUIRE_AUTH_TOKEN_H
#include <stdbool.h>
#include <stddef.h>

#define TOKEN_HEX_LEN 64 /* 256 bits as lowercase hex */

/* A fresh 256-bit random token as 64 hex characters plus NUL. */
void token_new(char out[TOKEN_HEX_LEN + 1]);
/* BLAKE2b-256 of the token, as 64 hex characters plus NUL: what the store keeps. */
void token_hash(const char *token, char out[TOKEN_HEX_LEN + 1]);
/* True when s is exactly 64 lowercase hex characters (reject anything else before hashing). */
bool token_well_formed(const char *s);
/* HMAC-SHA256(key, message) as hex: links that must stay valid across releases (unsubscribe links in mail). */
void token_hmac(const unsigned char key[32], const char *message, char out[TOKEN_HEX_LEN + 1]);
/* Keyed BLAKE2b-256(key, message) as hex: a MAC cheap enough to compute on every page (CSRF tokens bound
 * to a session or a pre-session cookie); about a tenth of the HMAC's cost. */
void token_mac(const unsigned char key[32], const char *message, char out[TOKEN_HEX_LEN + 1]);
/* Constant-time comparison of two NUL-terminated strings. */
bool token_equal(const char *a, const char *b);
#endif
