/* RFC 5322 messages: headers (RFC 2047 encoded-words for non-ASCII), a quoted-printable UTF-8 text body. */
#ifndef QUIRE_MAIL_COMPOSE_H
#define QUIRE_MAIL_COMPOSE_H
#include <stdint.h>
#include "core/arena.h"
#include "core/buf.h"

struct mail_message {
	const char *from;             /* config mail_from: "addr" or "Name <addr>" */
	const char *from_name;        /* display name when from is a bare address (the site name); may be NULL */
	const char *to;               /* a bare address */
	const char *subject;          /* UTF-8 */
	const char *body;             /* UTF-8 text with "\n" line ends */
	const char *list_unsubscribe; /* one-click unsubscribe URL (RFC 8058), or NULL for account mail */
	const char *message_id;       /* without the angle brackets */
	int64_t date;                 /* unix seconds */
};

/* Appends the whole message to out: CRLF line ends, lines within 78 characters where the text allows,
 * everything outside the body ASCII. (SMTP dot-stuffing is the transport's job: libcurl does it.) */
void mail_compose(const struct mail_message *m, struct buf *out);
/* The address of "Name <addr>", or the whole of a bare address (arena copy, no angle brackets). */
const char *mail_address(struct arena *a, const char *from);
/* "Name: value" with CRLF, folded; RFC 2047 B encoded-words (UTF-8, at most 75 characters each, never
 * splitting a character) when value is not plain printable ASCII. CR and LF in value become spaces. */
void mail_header(struct buf *out, const char *name, const char *value);
/* The display name as a quoted string or an encoded-word, for From: "name" <addr>. */
void mail_display_name(struct buf *out, const char *name);
/* Quoted-printable (RFC 2045) of UTF-8 text: "\n" (or "\r\n") line ends become CRLF, lines at most 76. */
void mail_qp(struct buf *out, const char *text);
/* RFC 5322 date-time in UTC: "Tue, 24 Nov 2026 10:00:00 +0000". */
void mail_date(int64_t t, char out[40]);
/* A Message-ID value for outbox row id from the sender address's domain: "quire.ID.RANDOM@domain". */
const char *mail_message_id(struct arena *a, int64_t id, const char *from_addr);
#endif
