/* RFC 5322 message assembly: encoded headers, quoted-printable bodies, dates and message ids. */
#include "mail/compose.h"
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE_SOFT 78  /* RFC 5322's recommended line length */
#define QP_LINE 76    /* RFC 2045's limit for quoted-printable lines */
#define EW_BYTES 45   /* raw bytes per encoded-word: base64 makes 60, "=?UTF-8?B?" + "?=" 12, total 72 <= 75 */

static bool plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	/* "=?" would read as the start of an encoded-word. */
	return !strstr(s, "=?");
}

/* Length of the UTF-8 character starting at s (1 for stray bytes, so the loop always moves). */
static size_t char_len(const unsigned char *s)
{
	size_t n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* value with CR, LF and other controls as spaces (header values are one logical line). */
static char *one_line(const char *value)
{
	size_t n = strlen(value);
	char *s = malloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		s[i] = (i < n && (unsigned char)value[i] < 0x20) ? ' ' : value[i];
	return s;
}

/* Encoded-words for s, the first on the current line, the rest on folded lines. */
static void encoded_words(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool first = true;
	while (*p || first) {
		size_t n = 0;
		while (p[n]) {
			size_t c = char_len(p + n);
			if (n + c > EW_BYTES)
				break;
			n += c;
		}
		char b64[sodium_base64_ENCODED_LEN(EW_BYTES, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, p, n, sodium_base64_VARIANT_ORIGINAL);
		if (!first) /* whitespace between adjacent encoded-words is not part of the text */
			buf_puts(out, "\r\n ");
		buf_printf(out, "=?UTF-8?B?%s?=", b64);
		first = false;
		p += n;
	}
}

void mail_header(struct buf *out, const char *name, const char *value)
{
	char *v = one_line(value ? value : "");
	buf_printf(out, "%s: ", name);
	size_t col = strlen(name) + 2;
	if (!plain_ascii(v)) {
		encoded_words(out, v);
	} else {
		/* Fold at spaces so lines stay near 78 characters; a word longer than that stays whole. */
		const char *p = v;
		while (*p) {
			const char *sp = strchr(p + 1, ' ');
			size_t word = sp ? (size_t)(sp - p) : strlen(p);
			if (col + word > LINE_SOFT && p != v && *p == ' ') {
				buf_puts(out, "\r\n");
				col = 0;
			}
			buf_append(out, p, word);
			col += word;
			p += word;
		}
	}
	buf_puts(out, "\r\n");
	free(v);
}

void mail_display_name(struct buf *out, const char *name)
{
	char *v = one_line(name);
	if (plain_ascii(v)) {
		buf_putc(out, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(out, '\\');
			buf_putc(out, *p);
		}
		buf_putc(out, '"');
	} else {
		encoded_words(out, v);
	}
	free(v);
}

void mail_qp(struct buf *out, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;
	while (*p) {
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p == '\n') {
			buf_puts(out, "\r\n");
			col = 0;
			p++;
			continue;
		}
		char tok[4];
		size_t n;
		bool eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		/* Literal: printable ASCII but '=', and space or tab unless they end a line (trailing white
		 * space may be stripped in transit). Everything else as =XX. */
		if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !eol)) {
			tok[0] = (char)*p;
			n = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[*p >> 4];
			tok[2] = hex[*p & 15];
			n = 3;
		}
		/* Room for a soft break '=' after this token unless the line ends here. */
		if (col + n > (eol ? QP_LINE : QP_LINE - 1)) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_append(out, tok, n);
		col += n;
		p++;
	}
}

void mail_date(int64_t t, char out[40])
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	/* By hand: strftime's names follow the locale. */
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
	         months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const char *mail_address(struct arena *a, const char *from)
{
	const char *lt = strrchr(from, '<');
	if (!lt)
		return arena_strdup(a, from);
	const char *gt = strchr(lt, '>');
	return arena_strndup(a, lt + 1, gt ? (size_t)(gt - lt - 1) : strlen(lt + 1));
}

const char *mail_message_id(struct arena *a, int64_t id, const char *from_addr)
{
	unsigned char r[8];
	char hex[2 * sizeof r + 1];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	const char *at = strrchr(from_addr, '@');
	const char *domain = at && at[1] ? at + 1 : "localhost";
	return arena_printf(a, "quire.%lld.%s@%s", (long long)id, hex, domain);
}

void mail_compose(const struct mail_message *m, struct buf *out)
{
	char date[40];
	mail_date(m->date, date);
	mail_header(out, "Date", date);
	/* mail_from is "addr" or "Name <addr>"; a bare address is shown with the site's name. */
	const char *lt = strrchr(m->from, '<');
	struct arena *a = arena_new();
	const char *addr = mail_address(a, m->from);
	const char *name = m->from_name;
	if (lt) {
		const char *s = m->from, *e = lt;
		while (*s == ' ' || *s == '"')
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '"'))
			e--;
		name = arena_strndup(a, s, (size_t)(e - s));
	}
	buf_puts(out, "From: ");
	if (name && *name) {
		mail_display_name(out, name);
		buf_putc(out, ' ');
	}
	buf_printf(out, "<%s>\r\n", addr);
	arena_free(a);
	buf_printf(out, "To: %s\r\n", m->to);
	mail_header(out, "Subject", m->subject);
	buf_printf(out, "Message-ID: <%s>\r\n", m->message_id);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	              "Content-Type: text/plain; charset=utf-8\r\n"
	              "Content-Transfer-Encoding: quoted-printable\r\n"
	              "Auto-Submitted: auto-generated\r\n");
	if (m->list_unsubscribe) {
		buf_printf(out, "List-Unsubscribe: <%s>\r\n", m->list_unsubscribe);
		buf_puts(out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	}
	buf_puts(out, "\r\n");
	mail_qp(out, m->body);
	if (out->len < 2 || memcmp(out->data + out->len - 2, "\r\n", 2) != 0)
		buf_puts(out, "\r\n");
}
