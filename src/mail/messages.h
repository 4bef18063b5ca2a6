/* The mails Quire sends: what each outbox row says, to whom, or why it is dropped instead. */
#ifndef QUIRE_MAIL_MESSAGES_H
#define QUIRE_MAIL_MESSAGES_H
#include <stdint.h>
#include "archive/subscriptions.h"
#include "core/arena.h"
#include "store/store.h"

struct mail_context {
	struct store *st;          /* account links are created when their mail is written */
	const char *site_name;
	const char *base_url;      /* absolute, no trailing slash: links in mail */
	unsigned char unsub_key[SUBSCRIPTIONS_KEY_LEN];
};

struct mail_text {
	const char *to;               /* recipient address */
	const char *subject, *body;   /* UTF-8 */
	const char *list_unsubscribe; /* one-click URL for notifications, NULL for account mail */
	const char *drop;             /* non-NULL: send nothing, for this reason (recorded in the outbox) */
};

/* Writes the mail for item it (arena memory). 0, or a Q_E* code when a link could not be stored (the row
 * is then retried). */
int mail_message_for(const struct mail_context *cx, struct arena *a, const struct outbox_item *it, int64_t now,
                     struct mail_text *out);
#endif
