/* Unit tests for mail messages: quoted-printable bodies, RFC 2047 headers, dates, addresses, whole messages,
 * and the retry schedule. */
#include "check.h"
#include "core/utf8.h"
#include "mail/compose.h"
#include "mail/outbox.h"
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes quoted-printable (CRLF line ends) back to text with "\n"; NULL when malformed. */
static char *qp_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=') {
			if (hexval(s[1]) < 0 || hexval(s[2]) < 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			*o++ = '\n';
			s += 2;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* Every line (CRLF separated) at most max characters, and no bare CR or LF. */
static bool lines_within(const char *s, size_t max)
{
	size_t col = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\r') {
			if (p[1] != '\n')
				return false;
			p++;
			col = 0;
			continue;
		}
		if (*p == '\n' || ++col > max)
			return false;
	}
	return true;
}

static void qp_roundtrip(const char *text, const char *want_decoded)
{
	struct buf b = BUF_INIT;
	mail_qp(&b, text);
	CHECK(lines_within(buf_cstr(&b), 76));
	for (const unsigned char *p = (const unsigned char *)buf_cstr(&b); *p; p++)
		CHECK(*p == '\r' || *p == '\n' || (*p >= 32 && *p < 127) || *p == '\t');
	char *back = qp_decode(buf_cstr(&b));
	CHECK_STR(back, want_decoded);
	free(back);
	buf_free(&b);
}

static void test_qp(void)
{
	struct buf b = BUF_INIT;
	mail_qp(&b, "h\xc3\xa9llo = world");
	CHECK_STR(buf_cstr(&b), "h=C3=A9llo =3D world");
	buf_reset(&b);
	mail_qp(&b, "trailing \nand\ttab\t\n");
	CHECK_STR(buf_cstr(&b), "trailing=20\r\nand\ttab=09\r\n");
	buf_reset(&b);
	mail_qp(&b, "dos\r\nline");
	CHECK_STR(buf_cstr(&b), "dos\r\nline");
	buf_free(&b);

	char long_line[400];
	memset(long_line, 'a', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	qp_roundtrip(long_line, long_line);
	/* A long line of multi-byte characters and '=' signs, where =XX must not be split by a soft break. */
	char mixed[1200] = "";
	for (int i = 0; i < 100; i++)
		strcat(mixed, i % 3 ? "\xc3\xa9=" : "x ");
	qp_roundtrip(mixed, mixed);
	qp_roundtrip(".\n.. leading dots are the transport's business\n", ".\n.. leading dots are the transport's business\n");
	qp_roundtrip("", "");
}

/* Decodes one header's encoded-words (all of them B, UTF-8) and plain text back to UTF-8. */
static char *header_decode(const char *h)
{
	const char *v = strchr(h, ':') + 2;
	char *out = calloc(1, strlen(v) + 1);
	size_t n = 0;
	while (*v) {
		if (!strncmp(v, "=?UTF-8?B?", 10)) {
			const char *end = strstr(v + 10, "?=");
			unsigned char bin[128];
			size_t len = 0;
			CHECK((size_t)(end - v) + 2 <= 75);
			CHECK(sodium_base642bin(bin, sizeof bin, v + 10, (size_t)(end - (v + 10)), NULL, &len, NULL,
			                        sodium_base64_VARIANT_ORIGINAL) == 0);
			/* Each word holds whole characters. */
			CHECK(utf8_valid((const char *)bin, len));
			memcpy(out + n, bin, len);
			n += len;
			v = end + 2;
			if (!strncmp(v, "\r\n ", 3))
				v += 3; /* folding between encoded-words is not text */
		} else if (!strncmp(v, "\r\n", 2)) {
			v += 2;
		} else {
			out[n++] = *v++;
		}
	}
	return out;
}

static void test_headers(void)
{
	struct buf b = BUF_INIT;
	mail_header(&b, "Subject", "Plain words");
	CHECK_STR(buf_cstr(&b), "Subject: Plain words\r\n");
	buf_reset(&b);
	/* A line break typed into a title cannot start a header of its own. */
	mail_header(&b, "Subject", "Hi\r\nBcc: victim@example.org");
	CHECK_STR(buf_cstr(&b), "Subject: Hi  Bcc: victim@example.org\r\n");
	buf_reset(&b);
	const char *longs = "A very long title that goes on and on well past the seventy-eight characters a line "
	                    "should hold in a mail header, so it has to be folded";
	mail_header(&b, "Subject", longs);
	CHECK(lines_within(buf_cstr(&b), 78));
	char *d = header_decode(buf_cstr(&b));
	CHECK_STR(d, longs);
	free(d);
	buf_reset(&b);
	const char *utf = "[Quire] \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe9\x95\xb7\xe3\x81\x84"
	                  "\xe9\x95\xb7\xe3\x81\x84\xe3\x82\xbf\xe3\x82\xa4\xe3\x83\x88\xe3\x83\xab \xe2\x80\x94 "
	                  "Chapter 12 of L\xc3\xa9on et l'\xc3\xa9t\xc3\xa9 \xf0\x9f\x8c\x8a\xf0\x9f\x8c\x8a";
	mail_header(&b, "Subject", utf);
	CHECK(!strncmp(buf_cstr(&b), "Subject: =?UTF-8?B?", 19));
	CHECK(lines_within(buf_cstr(&b), 998));
	for (const unsigned char *p = (const unsigned char *)buf_cstr(&b); *p; p++)
		CHECK(*p < 0x80);
	d = header_decode(buf_cstr(&b));
	CHECK_STR(d, utf);
	free(d);
	buf_reset(&b);
	/* Text that looks like an encoded-word is encoded, so it reads back as typed. */
	mail_header(&b, "Subject", "=?UTF-8?B?SGk=?=");
	d = header_decode(buf_cstr(&b));
	CHECK_STR(d, "=?UTF-8?B?SGk=?=");
	free(d);
	buf_reset(&b);
	mail_display_name(&b, "Site \"Q\" \\ Archive");
	CHECK_STR(buf_cstr(&b), "\"Site \\\"Q\\\" \\\\ Archive\"");
	buf_free(&b);
}

static void test_misc(void)
{
	char date[40];
	mail_date(0, date);
	CHECK_STR(date, "Thu, 01 Jan 1970 00:00:00 +0000");
	mail_date(1795500000, date);
	CHECK_STR(date, "Tue, 24 Nov 2026 06:00:00 +0000");
	struct arena *a = arena_new();
	CHECK_STR(mail_address(a, "Fics <fics@example.org>"), "fics@example.org");
	CHECK_STR(mail_address(a, "fics@example.org"), "fics@example.org");
	const char *id = mail_message_id(a, 42, "fics@example.org");
	CHECK(!strncmp(id, "quire.42.", 9));
	CHECK(strlen(id) > 9 + 16 && !strcmp(id + strlen(id) - 12, "@example.org"));
	CHECK(strcmp(id, mail_message_id(a, 42, "fics@example.org")) != 0);
	arena_free(a);

	CHECK(mail_retry_delay(1, 60) == 60);
	CHECK(mail_retry_delay(2, 60) == 120);
	CHECK(mail_retry_delay(3, 60) == 240);
	CHECK(mail_retry_delay(9, 60) == 60 * 256);
	CHECK(mail_retry_delay(10, 60) == 6 * 3600); /* 60 * 512 would be more: capped at 6 hours */
	CHECK(mail_retry_delay(500, 60) == 6 * 3600);
	CHECK(mail_retry_delay(1, 1) == 1 && mail_retry_delay(4, 1) == 8);
}

static void test_message(void)
{
	struct buf b = BUF_INIT;
	struct mail_message m = {
		.from = "quire@example.org",
		.from_name = "Caf\xc3\xa9 Fics",
		.to = "reader@example.org",
		.subject = "[Caf\xc3\xa9 Fics] New chapter",
		.body = "Hello,\n\nRead it here: https://example.org/works/1/chapters/2\n",
		.list_unsubscribe = "https://example.org/unsubscribe?token=1.2.abc",
		.message_id = "quire.7.0011223344556677@example.org",
		.date = 0,
	};
	mail_compose(&m, &b);
	const char *s = buf_cstr(&b);
	CHECK(lines_within(s, 998));
	CHECK(!strncmp(s, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n", 39));
	CHECK_CONTAINS(s, "\r\nFrom: =?UTF-8?B?");
	CHECK_CONTAINS(s, "?= <quire@example.org>\r\n");
	CHECK_CONTAINS(s, "\r\nTo: reader@example.org\r\n");
	CHECK_CONTAINS(s, "\r\nSubject: =?UTF-8?B?");
	CHECK_CONTAINS(s, "\r\nMessage-ID: <quire.7.0011223344556677@example.org>\r\n");
	CHECK_CONTAINS(s, "\r\nMIME-Version: 1.0\r\n");
	CHECK_CONTAINS(s, "\r\nContent-Type: text/plain; charset=utf-8\r\n");
	CHECK_CONTAINS(s, "\r\nContent-Transfer-Encoding: quoted-printable\r\n");
	CHECK_CONTAINS(s, "\r\nList-Unsubscribe: <https://example.org/unsubscribe?token=1.2.abc>\r\n");
	CHECK_CONTAINS(s, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	const char *sep = strstr(s, "\r\n\r\n");
	CHECK(sep != NULL);
	if (sep) {
		char *body = qp_decode(sep + 4);
		CHECK_STR(body, m.body);
		free(body);
	}
	CHECK(s[b.len - 2] == '\r' && s[b.len - 1] == '\n');

	/* Account mail: no unsubscribe headers; an administrator's "Name <addr>" keeps its name. */
	buf_reset(&b);
	m.list_unsubscribe = NULL;
	m.from = "\"Fics Admin\" <admin@example.org>";
	mail_compose(&m, &b);
	CHECK_NOT_CONTAINS(buf_cstr(&b), "List-Unsubscribe");
	CHECK_CONTAINS(buf_cstr(&b), "\r\nFrom: \"Fics Admin\" <admin@example.org>\r\n");
	buf_free(&b);
}

int main(void)
{
	CHECK(sodium_init() >= 0);
	test_qp();
	test_headers();
	test_misc();
	test_message();
	return CHECK_DONE();
}
