/* Tests for percent-decoding, urlencoded form parsing, cookie parsing and the kv helpers. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "http/form.h"
#include <stdlib.h>
#include <string.h>

static struct arena *A;

static int parse(const char *s, struct kvlist *l)
{
	return form_parse(A, s, strlen(s), l);
}

static void test_decode(void)
{
	char *out;
	size_t n;

	CHECK(url_decode(A, "a%20b+c", 7, true, &out, &n) == 0);
	CHECK_STR(out, "a b c");
	CHECK(n == 5);
	CHECK(url_decode(A, "a%20b+c", 7, false, &out, &n) == 0);
	CHECK_STR(out, "a b+c");
	CHECK(url_decode(A, "%2B%2b", 6, true, &out, &n) == 0);
	CHECK_STR(out, "++");
	CHECK(url_decode(A, "caf%C3%A9", 9, true, &out, &n) == 0);
	CHECK_STR(out, "caf\xc3\xa9");
	CHECK(n == 5);
	CHECK(url_decode(A, "", 0, true, &out, &n) == 0);
	CHECK_STR(out, "");
	CHECK(n == 0);
	/* Raw UTF-8 passes through unchanged. */
	CHECK(url_decode(A, "\xe6\x97\xa5", 3, true, &out, &n) == 0);
	CHECK_STR(out, "\xe6\x97\xa5");
	/* Only n bytes are read. */
	CHECK(url_decode(A, "ab%41", 2, true, &out, &n) == 0);
	CHECK_STR(out, "ab");
	CHECK(url_decode(A, "ab%41", 4, true, &out, &n) == Q_EINVAL);

	static const char *broken[] = {"%", "%4", "%zz", "%G1", "%1G", "a%", "a%2", "%%41", "% 41", "%-1", "%+1"};
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		out = (char *)"unchanged";
		int rc = url_decode(A, broken[i], strlen(broken[i]), true, &out, &n);
		CHECK(rc == Q_EINVAL);
		CHECK(out == NULL);
		if (rc != Q_EINVAL)
			fprintf(stderr, "  accepted broken escape \"%s\"\n", broken[i]);
	}
	static const char *bad_utf8[] = {"%FF", "%C0%80", "%ED%A0%80", "%F4%90%80%80", "%C3", "%80",
					 "%E6%97", "ok%C3", "%00", "a%00b"};
	for (size_t i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
		int rc = url_decode(A, bad_utf8[i], strlen(bad_utf8[i]), true, &out, &n);
		CHECK(rc == Q_EINVAL);
		if (rc != Q_EINVAL)
			fprintf(stderr, "  accepted bad decoded bytes \"%s\"\n", bad_utf8[i]);
	}
	/* Raw invalid bytes are rejected too, not only escaped ones. */
	CHECK(url_decode(A, "\xff", 1, true, &out, &n) == Q_EINVAL);
	CHECK(url_decode(A, "a\0b", 3, true, &out, &n) == Q_EINVAL);
}

static void test_form_basic(void)
{
	struct kvlist l;

	CHECK(parse("a=1&b=two&c=", &l) == 0);
	CHECK(l.n == 3);
	CHECK_STR(kv_get(&l, "a"), "1");
	CHECK_STR(kv_get(&l, "b"), "two");
	CHECK_STR(kv_get(&l, "c"), "");
	CHECK(l.items[1].value_len == 3);
	CHECK(kv_get(&l, "d") == NULL);
	CHECK(kv_get(&l, "A") == NULL); /* keys are case-sensitive */

	CHECK(parse("title=Hello+World%21&summary=a%20b+c", &l) == 0);
	CHECK_STR(kv_get(&l, "title"), "Hello World!");
	CHECK_STR(kv_get(&l, "summary"), "a b c");

	CHECK(parse("my+key=v&my%20other=w", &l) == 0);
	CHECK_STR(kv_get(&l, "my key"), "v");
	CHECK_STR(kv_get(&l, "my other"), "w");

	CHECK(parse("name=Ren%C3%A9e&city=%E6%9D%B1%E4%BA%AC", &l) == 0);
	CHECK_STR(kv_get(&l, "name"), "Ren\xc3\xa9" "e");
	CHECK_STR(kv_get(&l, "city"), "\xe6\x9d\xb1\xe4\xba\xac");

	/* Only the first '=' splits; later ones belong to the value. */
	CHECK(parse("q=a=b=c", &l) == 0);
	CHECK_STR(kv_get(&l, "q"), "a=b=c");
	/* ';' is not a separator. */
	CHECK(parse("a=1;b=2", &l) == 0);
	CHECK(l.n == 1);
	CHECK_STR(kv_get(&l, "a"), "1;b=2");
	/* Encoded '&' and '=' do not split. */
	CHECK(parse("k%3D=v%26w%3Dx", &l) == 0);
	CHECK(l.n == 1);
	CHECK_STR(kv_get(&l, "k="), "v&w=x");
}

static void test_form_shapes(void)
{
	struct kvlist l;

	CHECK(parse("", &l) == 0);
	CHECK(l.n == 0);
	CHECK(kv_get(&l, "a") == NULL);
	CHECK(form_parse(A, NULL, 0, &l) == 0);
	CHECK(l.n == 0);
	CHECK(parse("&&&", &l) == 0);
	CHECK(l.n == 0);
	CHECK(parse("a=1&&b=2&", &l) == 0);
	CHECK(l.n == 2);
	CHECK_STR(kv_get(&l, "b"), "2");
	CHECK(parse("&a=1", &l) == 0);
	CHECK(l.n == 1);

	/* A key without '=' gets "", an empty key is dropped. */
	CHECK(parse("flag&x=1", &l) == 0);
	CHECK(l.n == 2);
	CHECK_STR(kv_get(&l, "flag"), "");
	CHECK(parse("=orphan&=&x=1", &l) == 0);
	CHECK(l.n == 1);
	CHECK_STR(l.items[0].key, "x");
	/* "+" is a space, so it is a non-empty key. */
	CHECK(parse("+=v", &l) == 0);
	CHECK_STR(kv_get(&l, " "), "v");

	/* Length is honoured: nothing past len is read. */
	CHECK(form_parse(A, "a=1&b=2", 3, &l) == 0);
	CHECK(l.n == 1);
	CHECK_STR(kv_get(&l, "a"), "1");
}

static void test_form_repeated(void)
{
	struct kvlist l;
	size_t count = 99;

	CHECK(parse("tag=a&x=1&tag=b+c&tag=&tag=d", &l) == 0);
	CHECK_STR(kv_get(&l, "tag"), "a");
	const char **all = kv_get_all(A, &l, "tag", &count);
	CHECK(count == 4);
	CHECK_STR(all[0], "a");
	CHECK_STR(all[1], "b c");
	CHECK_STR(all[2], "");
	CHECK_STR(all[3], "d");
	CHECK(all[4] == NULL);

	all = kv_get_all(A, &l, "nope", &count);
	CHECK(all != NULL && all[0] == NULL);
	CHECK(count == 0);
	all = kv_get_all(A, &l, "x", NULL);
	CHECK_STR(all[0], "1");
	CHECK(all[1] == NULL);
}

static void test_form_errors(void)
{
	struct kvlist l;
	static const char *bad[] = {
		"a=%", "a=%4", "a=%zz", "a=%G1", "%zz=1", "a=1&b=%2", "a=%FF", "a=%C0%80", "a=%ED%A0%80",
		"a=%00", "%00=x", "ok=1&x=%00", "a=b%E2%82", "=%zz", "flag%", "a=\xff", "a=\xc0\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		l.n = 42;
		int rc = parse(bad[i], &l);
		CHECK(rc == Q_EINVAL);
		CHECK(l.n == 0);
		if (rc != Q_EINVAL)
			fprintf(stderr, "  accepted bad form \"%s\"\n", bad[i]);
	}
	/* NUL inside the given length, raw. */
	CHECK(form_parse(A, "a=1\0b", 5, &l) == Q_EINVAL);
}

static void test_form_limit(void)
{
	struct kvlist l;
	size_t cap = (FORM_MAX_FIELDS + 2) * 16, n = 0;
	char *body = malloc(cap);

	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		n += (size_t)snprintf(body + n, cap - n, "%sk%d=%d", i ? "&" : "", i, i);
	CHECK(form_parse(A, body, n, &l) == 0);
	CHECK(l.n == FORM_MAX_FIELDS);
	CHECK_STR(kv_get(&l, "k999"), "999");
	/* Empty pairs do not count toward the limit. */
	memcpy(body + n, "&&&&", 4);
	CHECK(form_parse(A, body, n + 4, &l) == 0);
	CHECK(l.n == FORM_MAX_FIELDS);

	/* A pair naming nothing counts too: it costs decoding all the same. */
	CHECK(form_parse(A, body, n, &l) == 0);
	memcpy(body + n, "&=x", 3);
	CHECK(form_parse(A, body, n + 3, &l) == Q_ETOOBIG);
	/* Past the limit nothing is decoded: broken encoding there is never even seen. */
	memcpy(body + n, "&a=%zz", 6);
	CHECK(form_parse(A, body, n + 6, &l) == Q_ETOOBIG);

	n += (size_t)snprintf(body + n, cap - n, "&one=more");
	l.n = 7;
	CHECK(form_parse(A, body, n, &l) == Q_ETOOBIG);
	CHECK(l.n == 0);
	free(body);
}

static int cookies(const char *h, struct kvlist *l)
{
	return cookie_parse(A, h, l);
}

static void test_cookies(void)
{
	struct kvlist l;

	CHECK(cookies("a=1; b=2", &l) == 0);
	CHECK(l.n == 2);
	CHECK_STR(kv_get(&l, "a"), "1");
	CHECK_STR(kv_get(&l, "b"), "2");

	CHECK(cookies("  session = abc123 ;theme=dark;\tlang=en\t", &l) == 0);
	CHECK(l.n == 3);
	CHECK_STR(kv_get(&l, "session"), "abc123");
	CHECK_STR(kv_get(&l, "theme"), "dark");
	CHECK_STR(kv_get(&l, "lang"), "en");

	CHECK(cookies("q=\"quoted value\"; e=\"\"; half=\"open; one=\"", &l) == 0);
	CHECK_STR(kv_get(&l, "q"), "quoted value");
	CHECK_STR(kv_get(&l, "e"), "");
	CHECK_STR(kv_get(&l, "half"), "\"open");
	CHECK_STR(kv_get(&l, "one"), "\"");

	/* No decoding: the value is what the browser sent. */
	CHECK(cookies("enc=a%20b+c", &l) == 0);
	CHECK_STR(kv_get(&l, "enc"), "a%20b+c");
	CHECK(l.items[0].value_len == 7);

	CHECK(cookies("empty=; x=1", &l) == 0);
	CHECK_STR(kv_get(&l, "empty"), "");
	CHECK_STR(kv_get(&l, "x"), "1");
	CHECK(cookies("a==b", &l) == 0);
	CHECK_STR(kv_get(&l, "a"), "=b");

	/* Malformed pairs are skipped, the rest survive. */
	CHECK(cookies("novalue; =nokey; bad name=1; ok=yes; ;;; b\x01=2; c=\x01; d=\xff; e=\xc3\xa9", &l) == 0);
	CHECK(l.n == 2);
	CHECK_STR(kv_get(&l, "ok"), "yes");
	CHECK_STR(kv_get(&l, "e"), "\xc3\xa9");
	CHECK(kv_get(&l, "novalue") == NULL);
	CHECK(kv_get(&l, "bad name") == NULL);
	CHECK(kv_get(&l, "d") == NULL);

	CHECK(cookies("", &l) == 0);
	CHECK(l.n == 0);
	CHECK(cookies("   ", &l) == 0);
	CHECK(l.n == 0);
	CHECK(cookies(NULL, &l) == 0);
	CHECK(l.n == 0);

	/* Duplicates keep the order sent: the first wins in kv_get. */
	CHECK(cookies("sid=first; sid=second", &l) == 0);
	CHECK_STR(kv_get(&l, "sid"), "first");
	size_t count;
	kv_get_all(A, &l, "sid", &count);
	CHECK(count == 2);
}

static void test_cookie_limit(void)
{
	struct kvlist l;
	size_t cap = (FORM_MAX_FIELDS + 2) * 16, n = 0;
	char *h = malloc(cap);
	for (int i = 0; i <= FORM_MAX_FIELDS; i++)
		n += (size_t)snprintf(h + n, cap - n, "c%d=%d; ", i, i);
	CHECK(cookie_parse(A, h, &l) == Q_ETOOBIG);
	CHECK(l.n == 0);
	free(h);
}

static void test_kv_add(void)
{
	struct kvlist l = {0};
	char key[8] = "k", val[8] = "v1";

	kv_add(A, &l, key, val);
	kv_add(A, &l, "k", "v2");
	kv_add(A, &l, "other", "x");
	/* Copies: changing the caller's buffers afterwards changes nothing. */
	strcpy(key, "zz");
	strcpy(val, "zz");
	CHECK(l.n == 3);
	CHECK_STR(kv_get(&l, "k"), "v1");
	CHECK(l.items[1].value_len == 2);
	size_t count;
	const char **all = kv_get_all(A, &l, "k", &count);
	CHECK(count == 2);
	CHECK_STR(all[1], "v2");
	for (int i = 0; i < 100; i++)
		kv_add(A, &l, "many", "m");
	CHECK(l.n == 103);
	CHECK_STR(kv_get(&l, "other"), "x");
	CHECK(kv_get(NULL, "k") == NULL);
}

int main(void)
{
	A = arena_new();
	test_decode();
	test_form_basic();
	test_form_shapes();
	test_form_repeated();
	test_form_errors();
	test_form_limit();
	test_cookies();
	test_cookie_limit();
	test_kv_add();
	arena_free(A);
	return CHECK_DONE();
}
