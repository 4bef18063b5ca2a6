/* Invitations, AO3's way: when sign-up is by invitation only, people ask with their e-mail address and wait in
 * a queue; the site sends invitations from it, a number a day (and admins send more at once); accounts hand out
 * codes of their own. Each code makes one account. And the gated sign-up itself: the mode, the code, the
 * terms, the sign-up spam checks, one transaction with the account it creates. */
#ifndef QUIRE_ARCHIVE_INVITATIONS_H
#define QUIRE_ARCHIVE_INVITATIONS_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/community.h"
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define INVITE_CODE_LEN 20              /* letters and digits */
#define INVITES_UNUSED_PER_ACCOUNT 3    /* codes an account may hold unused at once ... */
#define INVITES_PER_ACCOUNT_MONTH 10    /* ... and make in 30 days (admins: no limit) */
#define INVITE_REQUESTS_PER_ADDRESS 5   /* requests from one client address a day */
#define INVITES_SEND_MAX 500            /* sent from the queue at once */

/* An account makes a code to hand out (capped for others than admins). */
int invite_create(struct community *c, struct arena *a, const struct user *u, char code[INVITE_CODE_LEN + 1],
                  const char **why);
/* Someone asks for an invitation: queued by address (field "email"); *ahead is how many wait before them. */
int invite_request(struct community *c, struct arena *a, const char *email, const char *address, int64_t *ahead,
                   struct field_errors *errors, const char **why, int *retry_after);
/* Sends invitations to the queue's oldest requests: up to max, or (max < 0) what is left of the day's number
 * (SITE_INVITATIONS_PER_DAY in any 24 hours). actor NULL is the site's own daily run. Each gets a code by mail. */
int invite_send_from_queue(struct community *c, struct arena *a, const struct user *actor, int max, int *sent,
                           const char **why);
/* A code that can make an account now: Q_ENOTFOUND (unknown), Q_EEXIST (used already). */
int invite_check(struct store *st, struct arena *a, const char *code, const char **why);

/* ---- Signing up ---- */
struct signup_input {
	const char *name, *email, *password, *confirm;
	const char *invitation;   /* the code, when sign-up is by invitation */
	bool accept_terms;        /* the box, when the site has terms */
	const char *honeypot;     /* the field people never see */
	const char *address;      /* the client's address (limits, spam checks) */
};
/* The site's sign-up rules, then archive_account_signup with the code used and the terms accepted in the same
 * transaction. Q_EPERM with *why when sign-up is closed; Q_EINVAL with field errors (invitation,
 * accept_terms, and the account's own fields); Q_EBUSY when held for the moderators as likely spam (*why says
 * so: nothing was created). */
int community_signup(struct community *c, struct arena *a, const struct signup_input *in, int64_t *id,
                     struct field_errors *errors, const char **why);
#endif
