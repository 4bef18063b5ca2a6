/* Subscription rules shared by pages, the API and the mail sender: who may follow what, mail choices,
 * and the signed one-click unsubscribe tokens in every notification mail. */
#ifndef QUIRE_ARCHIVE_SUBSCRIPTIONS_H
#define QUIRE_ARCHIVE_SUBSCRIPTIONS_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "store/store.h"

#define SUBSCRIPTIONS_KEY_LEN 32
/* Longest unsubscribe token: "SID.UID.HMAC" with 64 hex digits of HMAC. */
#define SUBSCRIPTIONS_TOKEN_MAX 104

/* "work", "user", "series" (the API's names, a public contract). */
const char *subscription_kind_name(enum sub_kind k);
/* 0, or Q_EINVAL for anything but the three names. */
int subscription_kind_parse(const char *s, enum sub_kind *out);
/* "default" (the account's choice), "inbox" (inbox only), "email" (inbox and e-mail) for -1, 0, 1. */
const char *subscription_mail_name(int mail);
int subscription_mail_parse(const char *s, int *out);

/* Subscribes user u to (kind, target_id) with the mail choice (-1, 0, 1). Only posted works, existing
 * authors (not the orphan account) and series with a posted part can be followed; nobody follows their
 * own account or their own series (creators may follow their own works: the store tells nobody of
 * their own work, so such a subscription only shows the work in their list).
 *   0           subscribed: *id set
 *   Q_ENOTFOUND no such target, or one the reader may not see (a draft): the same answer
 *   Q_EINVAL    not allowed: *why says why, for people
 *   Q_EEXIST    already subscribed: *id is the existing subscription; nothing changed */
int subscriptions_add(struct store *st, struct arena *a, const struct user *u, enum sub_kind kind, int64_t target_id,
                      int mail, int64_t *id, const char **why);

/* The key that signs unsubscribe tokens, from the settings table (made on first use). */
int subscriptions_key(struct store *st, unsigned char key[SUBSCRIPTIONS_KEY_LEN]);
/* "SID.UID.HMAC": works without logging in and names exactly one subscription of one reader. */
void subscriptions_unsub_token(const unsigned char key[SUBSCRIPTIONS_KEY_LEN], int64_t sub_id, int64_t user_id,
                               char out[SUBSCRIPTIONS_TOKEN_MAX + 1]);
/* True when token is well formed and signed with key; sets the ids it names. */
bool subscriptions_unsub_check(const unsigned char key[SUBSCRIPTIONS_KEY_LEN], const char *token, int64_t *sub_id,
                               int64_t *user_id);
/* Looks up the subscription a token names (Q_EPERM for a bad token, Q_ENOTFOUND once it is gone). */
int subscriptions_by_token(struct store *st, struct arena *a, const char *token, struct subscription *out);
/* Ends the subscription a token names: 0, Q_EPERM (bad token) or Q_ENOTFOUND (already gone). */
int subscriptions_unsubscribe_token(struct store *st, struct arena *a, const char *token, struct subscription *out);
/* The site path of what s follows ("/works/12", "/users/NAME"); "" for series (no series pages yet). */
const char *subscription_path(struct arena *a, const struct subscription *s);
#endif
