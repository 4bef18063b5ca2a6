/* Spam defence: guest comments, accounts' comments and sign-ups are scored (links, the same text again and again,
 * a young account, posting rate, addresses that sent spam, blocklisted e-mail); what scores SPAM_HOLD_SCORE or
 * more waits in the spam queue for a moderator instead of appearing. A moderator releases it as it was (ham) or
 * marks it spam (its address then counts against it; an account's comments all go at once). The sign-up
 * blocklist refuses e-mail domains and addresses outright. Every count lives in the store, shared by servers. */
#ifndef QUIRE_ARCHIVE_SPAM_H
#define QUIRE_ARCHIVE_SPAM_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/community.h"
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define SPAM_HOLD_SCORE 5           /* held from this score on */
#define SPAM_GUEST_LINK 5           /* a guest's comment with a link in it */
#define SPAM_ACCOUNT_LINK 1         /* each link in an account's comment ... */
#define SPAM_YOUNG_ACCOUNT 2        /* ... plus this when the account is younger than ... */
#define SPAM_YOUNG_DAYS 7           /* ... a week */
#define SPAM_REPEAT_MIN 40          /* letters and digits a text needs before repeats of it count */
#define SPAM_REPEATS 3              /* the same text this often in a day, whoever sends it ... */
#define SPAM_REPEAT_SCORE 5         /* ... scores this */
#define SPAM_RATE_HOUR 10           /* comments from one address or account in an hour past which ... */
#define SPAM_RATE_SCORE 3           /* ... each scores this */
#define SPAM_KNOWN_ADDRESS 6        /* sent spam before (30 days) */
#define SPAM_BLOCKED_EMAIL 6        /* a guest's address on the sign-up blocklist */
#define SPAM_SIGNUPS_PER_ADDRESS 10 /* sign-ups from one address in a day past which they are held */
#define SPAM_BLOCK_PATTERN_MAX 254

/* What scoring found. */
struct spam_verdict {
	int score;
	const char *reasons; /* "a guest's comment with 2 links; the same text 4 times today" */
	bool held;
};

/* Scores a comment about to be posted by u (NULL: a guest with guest_email) from address. Moderators and
 * admins are never held. Counts this attempt (rate, repeats). */
void spam_score_comment(struct community *c, struct arena *a, const struct user *u, const char *address,
                        const char *body, const char *guest_email, struct spam_verdict *out);
/* Holds cm (a comment as it would be stored) with the verdict; *id is the queue's. */
int spam_hold_comment(struct community *c, struct arena *a, const struct comment *cm, const char *address,
                      const struct spam_verdict *v, int64_t *id);
/* Scores a sign-up from address (counts it). */
void spam_score_signup(struct community *c, struct arena *a, const char *address, struct spam_verdict *out);
/* Holds a sign-up (its password already hashed), with the terms' version it accepted. */
int spam_hold_signup(struct community *c, struct arena *a, const char *name, const char *email, const char *pwhash,
                     int64_t policy_version, const char *address, const struct spam_verdict *v, int64_t *id);
/* Whether email may sign up (not on the blocklist); Q_E* store errors count as "may". */
bool spam_email_allowed(struct store *st, const char *email);

/* A moderator decides a held item: spam (its address counts against it from now on; with a held account's
 * comment, every comment of that account goes at once) or ham (released: the comment appears, the account is
 * made and told). Logged. */
int spam_decide(struct community *c, struct arena *a, const struct user *actor, int64_t id, bool spam,
                const char **why);
/* The sign-up blocklist: a domain ("spam.example", subdomains too) or an address; admins only, logged. */
int spam_block(struct community *c, struct arena *a, const struct user *actor, const char *pattern, bool add,
               const char **why);
#endif
