/* Tests for random tokens, their stored hashes, HMAC CSRF tokens and constant-time comparison. */
#include "check.h"
#include "auth/token.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool all_lower_hex(const char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_new(void)
{
	enum { N = 1000 };
	static char toks[N][TOKEN_HEX_LEN + 1];

	for (int i = 0; i < N; i++) {
		memset(toks[i], 'X', sizeof toks[i]);
		token_new(toks[i]);
	}
	int bad = 0, dup = 0;
	for (int i = 0; i < N; i++)
		if (strlen(toks[i]) != TOKEN_HEX_LEN || !all_lower_hex(toks[i]) || !token_well_formed(toks[i]))
			bad++;
	CHECK(bad == 0);
	qsort(toks, N, sizeof toks[0], cmp_str);
	for (int i = 1; i < N; i++)
		dup += strcmp(toks[i - 1], toks[i]) == 0;
	CHECK(dup == 0);
	/* 1000 random tokens use every hex digit in every position class; a stuck RNG would not. */
	int seen[16] = {0}, distinct = 0;
	for (int i = 0; i < N; i++)
		seen[strchr("0123456789abcdef", toks[i][0]) - "0123456789abcdef"] = 1;
	for (int i = 0; i < 16; i++)
		distinct += seen[i];
	CHECK(distinct == 16);
}

static void test_hash(void)
{
	char tok[TOKEN_HEX_LEN + 1], h1[TOKEN_HEX_LEN + 1], h2[TOKEN_HEX_LEN + 1], h3[TOKEN_HEX_LEN + 1];

	token_new(tok);
	token_hash(tok, h1);
	token_hash(tok, h2);
	CHECK(strlen(h1) == TOKEN_HEX_LEN);
	CHECK(all_lower_hex(h1));
	CHECK_STR(h1, h2);                 /* deterministic */
	CHECK(strcmp(h1, tok) != 0);       /* not the token itself */
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	token_hash(tok, h3);
	CHECK(strcmp(h1, h3) != 0);        /* one character changes it */

	/* BLAKE2b-256 known answers, from Python's hashlib.blake2b(digest_size=32). */
	token_hash("abc", h1);
	CHECK_STR(h1, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	token_hash("", h1);
	CHECK_STR(h1, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void test_well_formed(void)
{
	const char *good = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char s[80];

	CHECK(token_well_formed(good));
	CHECK(!token_well_formed(NULL));
	CHECK(!token_well_formed(""));
	CHECK(!token_well_formed("abc"));
	memcpy(s, good, 63);
	s[63] = '\0';
	CHECK(!token_well_formed(s));                  /* 63 characters */
	snprintf(s, sizeof s, "%s0", good);
	CHECK(!token_well_formed(s));                  /* 65 characters */
	snprintf(s, sizeof s, "%s", good);
	s[10] = 'A';
	CHECK(!token_well_formed(s));                  /* uppercase */
	s[10] = 'g';
	CHECK(!token_well_formed(s));                  /* not hex */
	s[10] = ' ';
	CHECK(!token_well_formed(s));
	s[10] = '\xc3';
	CHECK(!token_well_formed(s));
	snprintf(s, sizeof s, "%s", good);
	s[63] = '\n';
	CHECK(!token_well_formed(s));                  /* trailing newline */
	snprintf(s, sizeof s, " %.63s", good);
	CHECK(!token_well_formed(s));
}

/* A MAC that changes with one byte of the message or of the key, as 64 hex digits. */
static void check_mac_moves(void (*mac_fn)(const unsigned char *, const char *, char *))
{
	unsigned char key[32];
	char mac[TOKEN_HEX_LEN + 1], mac2[TOKEN_HEX_LEN + 1];

	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	mac_fn(key, "s:session-1234", mac);
	mac_fn(key, "s:session-1235", mac2);
	CHECK(strcmp(mac, mac2) != 0);
	key[31] ^= 1;
	mac_fn(key, "s:session-1234", mac2);
	CHECK(strcmp(mac, mac2) != 0);
	CHECK(token_well_formed(mac) && token_well_formed(mac2));
}

static void test_hmac(void)
{
	unsigned char key[32];
	char mac[TOKEN_HEX_LEN + 1];

	/* RFC 4231 test cases 1 and 2. HMAC zero-pads short keys to the block size, so "Jefe" and
	 * 20 x 0x0b followed by zeros up to 32 bytes give the RFC's answers unchanged. */
	memset(key, 0, sizeof key);
	memset(key, 0x0b, 20);
	token_hmac(key, "Hi There", mac);
	CHECK_STR(mac, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	memset(key, 0, sizeof key);
	memcpy(key, "Jefe", 4);
	token_hmac(key, "what do ya want for nothing?", mac);
	CHECK_STR(mac, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

	/* A full 32-byte key; answer from `openssl dgst -sha256 -mac HMAC -macopt hexkey:0001..1f`
	 * and Python's hmac module, which agree. */
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	token_hmac(key, "csrf:session-1234", mac);
	CHECK_STR(mac, "cf6a66851bc4e5301ef61846ff3cb6577d95925140c7ff2f0ad3ad25955e2fdd");
	check_mac_moves(token_hmac);
}

/* Keyed BLAKE2b-256 (the CSRF MAC); answers from Python's hashlib.blake2b(msg, key=key, digest_size=32). */
static void test_mac(void)
{
	unsigned char key[32];
	char mac[TOKEN_HEX_LEN + 1];

	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	token_mac(key, "s:session-1234", mac);
	CHECK_STR(mac, "619db84002244b8d3f7e7ee7f05fe7605f49d8fd4994caa79045878c53666547");
	token_mac(key, "", mac);
	CHECK_STR(mac, "4e51e7a913fc80137da52880fecca175bf81e117d5c68126dc2774033517ea0d");
	check_mac_moves(token_mac);
}

static void test_equal(void)
{
	char a[TOKEN_HEX_LEN + 1], b[TOKEN_HEX_LEN + 1];

	token_new(a);
	memcpy(b, a, sizeof a);
	CHECK(token_equal(a, b));
	CHECK(token_equal(a, a));
	b[TOKEN_HEX_LEN - 1] = b[TOKEN_HEX_LEN - 1] == '0' ? '1' : '0';
	CHECK(!token_equal(a, b));                    /* last character differs */
	memcpy(b, a, sizeof a);
	b[0] = b[0] == '0' ? '1' : '0';
	CHECK(!token_equal(a, b));                    /* first character differs */
	memcpy(b, a, sizeof a);
	b[32] = '\0';
	CHECK(!token_equal(a, b));                    /* prefix */
	CHECK(!token_equal(b, a));
	CHECK(!token_equal(a, ""));
	CHECK(token_equal("", ""));
	CHECK(!token_equal(NULL, a));
	CHECK(!token_equal(a, NULL));
	CHECK(!token_equal("abc", "abd"));
	CHECK(token_equal("abc", "abc"));
}

int main(void)
{
	test_new();
	test_hash();
	test_well_formed();
	test_hmac();
	test_mac();
	test_equal();
	return CHECK_DONE();
}
