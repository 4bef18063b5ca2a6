/* Subscription rules: what can be followed, mail choices, and signed one-click unsubscribe tokens. */
#include "archive/subscriptions.h"
#include "html/escape.h"
#include "auth/token.h"
#include "core/err.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[SUB_KIND_COUNT] = {
	[SUB_WORK] = "work",
	[SUB_USER] = "user",
	[SUB_SERIES] = "series",
};

const char *subscription_kind_name(enum sub_kind k)
{
	return (unsigned)k < SUB_KIND_COUNT ? kind_names[k] : "";
}

int subscription_kind_parse(const char *s, enum sub_kind *out)
{
	for (int k = 0; s && k < SUB_KIND_COUNT; k++)
		if (!strcmp(s, kind_names[k])) {
			*out = (enum sub_kind)k;
			return 0;
		}
	return Q_EINVAL;
}

const char *subscription_mail_name(int mail)
{
	return mail < 0 ? "default" : mail == 0 ? "inbox" : "email";
}

int subscription_mail_parse(const char *s, int *out)
{
	if (!s)
		return Q_EINVAL;
	if (!strcmp(s, "default"))
		*out = -1;
	else if (!strcmp(s, "inbox"))
		*out = 0;
	else if (!strcmp(s, "email"))
		*out = 1;
	else
		return Q_EINVAL;
	return 0;
}

/* Whether u may follow (kind, id): Q_ENOTFOUND for what does not exist or u may not see, Q_EINVAL with why. */
static int target_check(struct store *st, struct arena *a, const struct user *u, enum sub_kind kind, int64_t id,
                        const char **why)
{
	int rc;
	if (kind == SUB_WORK) {
		struct work w;
		if ((rc = store_work_get(st, a, id, &w)))
			return rc;
		/* A draft cannot be followed: it is the same 404 as a missing work, so drafts stay unseen.
		 * (Creators may follow their own work; the store never tells anyone of their own work.) */
		return w.draft ? Q_ENOTFOUND : 0;
	}
	if (kind == SUB_USER) {
		struct user au;
		if ((rc = store_user_get(st, a, id, &au)))
			return rc;
		if (!strcmp(au.role, "orphan")) {
			*why = "The orphan account posts nothing of its own; subscribe to its works instead.";
			return Q_EINVAL;
		}
		if (au.id == u->id) {
			*why = "You cannot subscribe to yourself.";
			return Q_EINVAL;
		}
		return 0;
	}
	struct series_info si;
	if ((rc = store_series_get(st, a, id, &si)))
		return rc;
	if (si.posted_works == 0)
		return Q_ENOTFOUND; /* only drafts: nothing anyone else can see yet */
	if (si.owner_id == u->id) {
		*why = "This is your own series.";
		return Q_EINVAL;
	}
	return 0;
}

int subscriptions_add(struct store *st, struct arena *a, const struct user *u, enum sub_kind kind, int64_t target_id,
                      int mail, int64_t *id, const char **why)
{
	*why = NULL;
	if ((unsigned)kind >= SUB_KIND_COUNT || target_id <= 0)
		return Q_ENOTFOUND;
	if (mail < -1 || mail > 1) {
		*why = "Choose where notifications go: default, inbox or email.";
		return Q_EINVAL;
	}
	int rc = target_check(st, a, u, kind, target_id, why);
	if (rc)
		return rc;
	rc = store_subscription_add(st, u->id, kind, target_id, mail, id);
	if (rc == Q_EEXIST) {
		struct subscription s;
		if (store_subscription_find(st, a, u->id, kind, target_id, &s) == 0)
			*id = s.id;
		*why = "You are already subscribed.";
	}
	return rc;
}

/* ---- Unsubscribe tokens ------------------------------------------------------------------------ */

int subscriptions_key(struct store *st, unsigned char key[SUBSCRIPTIONS_KEY_LEN])
{
	return store_secret(st, "unsubscribe_key", key, SUBSCRIPTIONS_KEY_LEN);
}

static void sign(const unsigned char key[SUBSCRIPTIONS_KEY_LEN], int64_t sub_id, int64_t user_id,
                 char mac[TOKEN_HEX_LEN + 1])
{
	char msg[64];
	snprintf(msg, sizeof msg, "unsubscribe:%" PRId64 ":%" PRId64, sub_id, user_id);
	token_hmac(key, msg, mac);
}

void subscriptions_unsub_token(const unsigned char key[SUBSCRIPTIONS_KEY_LEN], int64_t sub_id, int64_t user_id,
                               char out[SUBSCRIPTIONS_TOKEN_MAX + 1])
{
	char mac[TOKEN_HEX_LEN + 1];
	sign(key, sub_id, user_id, mac);
	snprintf(out, SUBSCRIPTIONS_TOKEN_MAX + 1, "%" PRId64 ".%" PRId64 ".%s", sub_id, user_id, mac);
}

/* A positive decimal id of at most 18 digits, no sign, no leading zero; advances *p past it. */
static bool read_id(const char **p, int64_t *out)
{
	const char *s = *p;
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	*out = strtoll(s, NULL, 10);
	*p = s + n;
	return true;
}

bool subscriptions_unsub_check(const unsigned char key[SUBSCRIPTIONS_KEY_LEN], const char *token, int64_t *sub_id,
                               int64_t *user_id)
{
	if (!token || strlen(token) > SUBSCRIPTIONS_TOKEN_MAX)
		return false;
	const char *p = token;
	int64_t sid, uid;
	if (!read_id(&p, &sid) || *p++ != '.' || !read_id(&p, &uid) || *p++ != '.' || !token_well_formed(p))
		return false;
	char mac[TOKEN_HEX_LEN + 1];
	sign(key, sid, uid, mac);
	if (!token_equal(mac, p))
		return false;
	*sub_id = sid;
	*user_id = uid;
	return true;
}

int subscriptions_by_token(struct store *st, struct arena *a, const char *token, struct subscription *out)
{
	unsigned char key[SUBSCRIPTIONS_KEY_LEN];
	int64_t sid, uid;
	int rc = subscriptions_key(st, key);
	if (rc)
		return rc;
	bool ok = subscriptions_unsub_check(key, token, &sid, &uid);
	sodium_memzero(key, sizeof key);
	if (!ok)
		return Q_EPERM;
	rc = store_subscription_get(st, a, sid, out);
	/* Ids are never reused, so this only guards against a key that signed another database's ids. */
	if (rc == 0 && out->user_id != uid)
		rc = Q_ENOTFOUND;
	return rc;
}

int subscriptions_unsubscribe_token(struct store *st, struct arena *a, const char *token, struct subscription *out)
{
	int rc = subscriptions_by_token(st, a, token, out);
	if (rc == 0)
		rc = store_subscription_delete(st, out->user_id, out->id);
	return rc;
}

const char *subscription_path(struct arena *a, const struct subscription *s)
{
	switch (s->kind) {
	case SUB_WORK:
		return arena_printf(a, "/works/%lld", (long long)s->target_id);
	case SUB_USER:
		return arena_printf(a, "/users/%s", esc_url_a(a, s->title));
	default:
		return "";
	}
}
