/* Fuzz target: form, cookie and percent-decoding parsers must never crash and only return clean UTF-8. */
#include "core/arena.h"
#include "core/utf8.h"
#include "http/form.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* assert() vanishes under NDEBUG, and release-flavoured builds replay the corpus too. */
static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_http_form: %s\n", what);
		abort();
	}
}

static void check_list(const struct kvlist *l)
{
	require(l->n <= FORM_MAX_FIELDS, "too many fields");
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *kv = &l->items[i];
		require(kv->key && kv->value, "NULL key or value");
		require(utf8_valid(kv->key, strlen(kv->key)), "key not valid UTF-8 or holds NUL");
		require(kv->key[0] != '\0', "empty key kept");
		require(strlen(kv->value) == kv->value_len, "value_len disagrees or value holds NUL");
		require(utf8_valid(kv->value, kv->value_len), "value not valid UTF-8");
		require(kv_get(l, kv->key) != NULL, "kv_get misses a present key");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	const char *s = (const char *)data;
	struct kvlist l;
	char *out;
	size_t outlen;

	if (form_parse(a, s, size, &l) == 0)
		check_list(&l);
	else
		require(l.n == 0, "form_parse failed but left fields");

	for (int plus = 0; plus <= 1; plus++) {
		if (url_decode(a, s, size, plus, &out, &outlen) == 0) {
			require(outlen <= size, "decoded longer than input");
			require(strlen(out) == outlen, "decoded length disagrees or holds NUL");
			require(utf8_valid(out, outlen), "decoded not valid UTF-8");
		} else {
			require(out == NULL, "url_decode failed but set output");
		}
	}

	/* Cookie headers arrive NUL-terminated; anything past an embedded NUL is not part of it. */
	char *header = arena_strndup(a, s, size);
	if (cookie_parse(a, header, &l) == 0)
		check_list(&l);

	arena_free(a);
	return 0;
}
