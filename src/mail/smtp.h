/* Sending one message to one recipient through an SMTP relay with libcurl (smtp://, smtps://). */
#ifndef QUIRE_MAIL_SMTP_H
#define QUIRE_MAIL_SMTP_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct smtp_config {
	const char *url;      /* smtp://host:port or smtps://host:port */
	const char *user;     /* "" = no authentication */
	const char *password;
};

enum smtp_result {
	SMTP_SENT,
	SMTP_TEMPORARY, /* try again later: the relay is down, busy, or refused for now (4xx) */
	SMTP_PERMANENT, /* the relay refused this message for good (5xx): retrying cannot help */
};

struct smtp;

/* One libcurl handle, reused across sends so a batch shares a connection. A transfer in progress is
 * abandoned as soon as *stop becomes true. Call curl_global_init first. */
struct smtp *smtp_new(const struct smtp_config *cfg, const atomic_bool *stop);
void smtp_free(struct smtp *s);
/* Sends msg (a whole RFC 5322 message with CRLF line ends) from the envelope sender to rcpt; err gets a
 * short reason when it was not sent. */
enum smtp_result smtp_send(struct smtp *s, const char *from_addr, const char *rcpt, const char *msg, size_t len,
                           char *err, size_t errlen);
#endif
