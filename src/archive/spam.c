/* Spam scoring for comments and sign-ups, the queue's decisions, and the sign-up blocklist. */
#include "archive/spam.h"
#include "archive/moderation.h"
#include "archive/names.h"
#include "archive/roles.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/utf8.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *add_reason(struct arena *a, const char *so_far, const char *more)
{
	return *so_far ? arena_printf(a, "%s; %s", so_far, more) : more;
}

/* Links in what someone typed: web addresses and anchors. */
static int links_in(const char *s)
{
	int n = 0;
	for (const char *p = s; *p; p++)
		if (!strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8) || !strncasecmp(p, "www.", 4) ||
		    !strncasecmp(p, "<a ", 3))
			n++;
	return n;
}

/* The text's letters and digits, lower case: what "the same text" compares (at most 4,000 of them). */
static const char *letters(struct arena *a, const char *s, size_t *n)
{
	char *out = arena_alloc(a, 4001);
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k < 4000; p++)
		if (isalnum(*p) || *p >= 0x80)
			out[k++] = (char)tolower(*p);
	out[k] = '\0';
	*n = k;
	return out;
}

void spam_score_comment(struct community *c, struct arena *a, const struct user *u, const char *address,
                        const char *body, const char *guest_email, struct spam_verdict *out)
{
	memset(out, 0, sizeof *out);
	out->reasons = "";
	if (archive_is_moderator(u))
		return;
	struct store *st = community_store(c);
	char h[65];
	community_address_hash(c, "spam", address, h);
	int links = links_in(body ? body : "");
	if (!u && links) {
		out->score += SPAM_GUEST_LINK;
		out->reasons = add_reason(a, out->reasons, arena_printf(a, "a guest's comment with %d link%s", links,
		                                                         links == 1 ? "" : "s"));
	} else if (links) {
		bool young = u->created_at > (int64_t)time(NULL) - SPAM_YOUNG_DAYS * 86400;
		out->score += links * SPAM_ACCOUNT_LINK + (young ? SPAM_YOUNG_ACCOUNT : 0);
		out->reasons = add_reason(a, out->reasons, arena_printf(a, "%d link%s%s", links, links == 1 ? "" : "s",
		                                                         young ? " from a new account" : ""));
	}
	size_t n;
	const char *text = letters(a, body ? body : "", &n);
	if (n >= SPAM_REPEAT_MIN) {
		char th[65];
		community_address_hash(c, "text", text, th);
		int64_t times = 0;
		const char *key = arena_printf(a, "spam:text:%s", th);
		community_limit(c, key, 1 << 30, 86400, NULL);
		times = community_count(c, key, 86400);
		if (times >= SPAM_REPEATS) {
			out->score += SPAM_REPEAT_SCORE;
			out->reasons = add_reason(a, out->reasons, arena_printf(a, "the same text %lld times today", (long long)times));
		}
	}
	const char *who = u ? arena_printf(a, "spam:rate:u:%lld", (long long)u->id) : arena_printf(a, "spam:rate:a:%s", h);
	int retry;
	if (community_limit(c, who, SPAM_RATE_HOUR, 3600, &retry) == Q_EBUSY) {
		out->score += SPAM_RATE_SCORE;
		out->reasons = add_reason(a, out->reasons, "posting fast");
	}
	bool known = false;
	if (store_spam_address_known(st, h, &known) == 0 && known) {
		out->score += SPAM_KNOWN_ADDRESS;
		out->reasons = add_reason(a, out->reasons, "an address that sent spam before");
	}
	if (!u && guest_email && *guest_email && !spam_email_allowed(st, guest_email)) {
		out->score += SPAM_BLOCKED_EMAIL;
		out->reasons = add_reason(a, out->reasons, "a blocklisted e-mail address");
	}
	out->held = out->score >= SPAM_HOLD_SCORE;
}

int spam_hold_comment(struct community *c, struct arena *a, const struct comment *cm, const char *address,
                      const struct spam_verdict *v, int64_t *id)
{
	char h[65];
	community_address_hash(c, "spam", address, h);
	struct spam_item it = {
		.kind = "comment", .score = v->score, .reasons = v->reasons, .address_hash = h, .work_id = cm->work_id,
		.chapter_id = cm->chapter_id, .parent_id = cm->parent_id, .user_id = cm->user_id,
		.guest_name = cm->guest_name, .guest_email = cm->guest_email, .body = cm->body.src, .body_html = cm->body.html,
	};
	(void)a;
	return store_spam_hold(community_store(c), &it, id);
}

void spam_score_signup(struct community *c, struct arena *a, const char *address, struct spam_verdict *out)
{
	memset(out, 0, sizeof *out);
	out->reasons = "";
	char h[65];
	community_address_hash(c, "spam", address, h);
	int retry;
	if (community_limit(c, arena_printf(a, "spam:signup:%s", h), SPAM_SIGNUPS_PER_ADDRESS, 86400, &retry) == Q_EBUSY) {
		out->score += SPAM_HOLD_SCORE;
		out->reasons = add_reason(a, out->reasons, arena_printf(a, "more than %d sign-ups from one address today",
		                                                         SPAM_SIGNUPS_PER_ADDRESS));
	}
	bool known = false;
	if (store_spam_address_known(community_store(c), h, &known) == 0 && known) {
		out->score += SPAM_KNOWN_ADDRESS;
		out->reasons = add_reason(a, out->reasons, "an address that sent spam before");
	}
	out->held = out->score >= SPAM_HOLD_SCORE;
}

int spam_hold_signup(struct community *c, struct arena *a, const char *name, const char *email, const char *pwhash,
                     int64_t policy_version, const char *address, const struct spam_verdict *v, int64_t *id)
{
	char h[65];
	community_address_hash(c, "spam", address, h);
	struct spam_item it = {.kind = "signup", .score = v->score, .reasons = v->reasons, .address_hash = h,
	                       .name = name, .email = email, .pwhash = pwhash, .policy_version = policy_version};
	(void)a;
	return store_spam_hold(community_store(c), &it, id);
}

bool spam_email_allowed(struct store *st, const char *email)
{
	bool blocked = false;
	return store_spam_blocked(st, email, &blocked) != 0 || !blocked;
}

/* ---- Deciding -------------------------------------------------------------------------------------- */

/* A held comment released as it was: posted now, creators told, as comment_post would have. */
static int release_comment(struct store *st, struct arena *a, const struct spam_item *it, const char **why)
{
	struct work w;
	struct response_counts rc;
	int r = store_work_get(st, a, it->work_id, &w);
	if (r == 0)
		r = store_response_counts(st, w.id, it->chapter_id, &rc);
	if (r) {
		*why = "The work is gone: there is nothing to release it to.";
		return r == Q_ENOTFOUND ? Q_EINVAL : r;
	}
	struct comment cm = {
		.work_id = it->work_id, .chapter_id = it->chapter_id, .parent_id = it->parent_id, .user_id = it->user_id,
		.guest_name = it->guest_name, .guest_email = it->guest_email,
		.body = {it->body, it->body_html}, .state = rc.moderated ? COMMENT_PENDING : COMMENT_SHOWN,
		.sanitizer_version = 0,
	};
	int64_t *notify = arena_calloc(a, w.ncreators + 1, sizeof *notify);
	size_t nn = 0;
	for (size_t i = 0; i < w.ncreators; i++)
		if (i == 0 || w.creators[i].accepted)
			notify[nn++] = w.creators[i].user_id;
	int64_t id = 0;
	r = store_comment_create(st, &cm, notify, nn, true, &id);
	if (r == Q_EPERM || r == Q_ENOTFOUND) {
		*why = "The comment it replies to was deleted, hidden or frozen since: it can't be released.";
		return Q_EINVAL;
	}
	return r;
}

/* A held sign-up released: the account is made (names may have been taken since) and told by mail. */
static int release_signup(struct community *c, struct arena *a, const struct spam_item *it, const char **why)
{
	struct store *st = community_store(c);
	int64_t id = 0;
	int r = store_user_create(st, it->name, it->email, it->pwhash ? it->pwhash : "", "user", &id);
	if (r == Q_EEXIST) {
		*why = "That name or address was taken since: the sign-up can't be released.";
		return Q_EINVAL;
	}
	const char *sk = r == 0 ? archive_name_skeleton(a, it->name) : NULL;
	if (r == 0)
		r = store_user_set_skeleton(st, id, sk ? sk : it->name);
	if (r == 0 && it->policy_version)
		r = store_policy_accept(st, id, it->policy_version);
	if (r == 0) {
		const char *site = community_site_name(c, a), *base = community_base_url(c, a);
		r = store_notice_add(st, id, NULL, 0, NULL, arena_printf(a, "[%s] Your account is ready", site),
		                     arena_printf(a, "Hello %s,\n\nYour account on %s is ready. Log in here:\n\n%s/login\n",
		                                  it->name, site, base));
	}
	return r;
}

int spam_decide(struct community *c, struct arena *a, const struct user *actor, int64_t id, bool spam,
                const char **why)
{
	struct store *st = community_store(c);
	*why = NULL;
	if (!archive_may(actor, POWER_SPAM)) {
		*why = "Only moderators and administrators handle the spam queue.";
		return Q_EPERM;
	}
	struct spam_item it;
	int rc = store_spam_get(st, a, id, &it);
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such item in the spam queue." : "The spam queue could not be read.";
		return rc;
	}
	if (it.status != SPAM_HELD) {
		*why = "This was decided already.";
		return Q_EEXIST;
	}
	if ((rc = store_tx_begin(st))) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	bool comment = !strcmp(it.kind, "comment");
	const char *target = comment ? arena_printf(a, "comment by %s on %s", it.user_name ? it.user_name
	                                                                    : it.guest_name ? it.guest_name : "a guest",
	                                            it.work_title ? it.work_title : "a work")
	                             : arena_printf(a, "sign-up of %s", it.name);
	struct user subject = {0};
	if (it.user_id && store_user_get(st, a, it.user_id, &subject) != 0)
		memset(&subject, 0, sizeof subject);
	int64_t log_id = 0, removed = 0;
	if ((rc = store_spam_decide(st, id, spam ? SPAM_SPAM : SPAM_HAM, actor->name)) ||
	    (rc = mod_log(st, actor, spam ? MOD_SPAM : MOD_HAM, "spam", id, target, subject.id ? &subject : NULL,
	                  it.reasons, "", 0, &log_id)))
		goto done;
	if (spam) {
		rc = store_spam_address_mark(st, it.address_hash);
		/* An account that spams loses every comment at once (kept in quarantine, restorable from the log). */
		if (rc == 0 && subject.id && !archive_is_moderator(&subject))
			rc = store_comments_remove_by_user(st, subject.id, log_id, &removed);
	} else {
		rc = comment ? release_comment(st, a, &it, why) : release_signup(c, a, &it, why);
	}
done:
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The decision could not be saved. Please try again.";
	else if (rc == 0)
		*why = spam ? removed ? arena_printf(a, "Marked as spam; %lld comments of the account are gone.", (long long)removed)
		                      : "Marked as spam."
		            : comment ? "Released: the comment is up." : "Released: the account is made and its owner told.";
	return rc;
}

int spam_block(struct community *c, struct arena *a, const struct user *actor, const char *pattern, bool add,
               const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SETTINGS)) {
		*why = "Only administrators keep the blocklist.";
		return Q_EPERM;
	}
	const char *p = archive_trim(a, pattern);
	if (*p == '@')
		p++;
	bool ok = *p && strlen(p) <= SPAM_BLOCK_PATTERN_MAX && strchr(p, '.') && utf8_valid(p, strlen(p));
	for (const char *q = p; ok && *q; q++)
		ok = (unsigned char)*q > ' ' && !strchr("<>()[]\\,;:\"", *q);
	if (!ok || (strchr(p, '@') && strchr(p, '@') != strrchr(p, '@'))) {
		*why = "Give a domain (spam.example) or an address (someone@spam.example).";
		return Q_EINVAL;
	}
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	rc = add ? store_spam_block_add(st, p, actor->name) : store_spam_block_remove(st, p);
	if (rc == 0)
		rc = mod_log(st, actor, MOD_BLOCKLIST, "blocklist", 0, p, NULL, "", add ? "added" : "removed", 0, NULL);
	rc = archive_tx_end(st, rc);
	*why = rc == Q_EEXIST ? "It is on the blocklist already." : rc == Q_ENOTFOUND ? "It is not on the blocklist."
	       : rc ? "The blocklist could not be saved." : add ? "Added to the blocklist." : "Taken off the blocklist.";
	return rc;
}
