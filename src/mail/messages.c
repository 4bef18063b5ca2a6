/* The text of each mail: notifications of new chapters, works and series parts, and account links. */
#include "mail/messages.h"
#include "archive/account_mail.h"
#include "core/err.h"
#include <string.h>

/* The lines every notification ends with: why it came, and the way out. */
static const char *footer(const struct mail_context *cx, struct arena *a, const struct outbox_item *it,
                          const char *followed, struct mail_text *out)
{
	char token[SUBSCRIPTIONS_TOKEN_MAX + 1];
	subscriptions_unsub_token(cx->unsub_key, it->subscription_id, it->user_id, token);
	out->list_unsubscribe = arena_printf(a, "%s/unsubscribe?token=%s", cx->base_url, token);
	return arena_printf(a,
	                    "\n-- \n"
	                    "You get this mail because you subscribed to %s on %s.\n"
	                    "Unsubscribe with one click: %s\n"
	                    "Your subscriptions and mail settings: %s/subscriptions\n",
	                    followed, cx->site_name, out->list_unsubscribe, cx->base_url);
}

static const char *creators(const struct outbox_item *it)
{
	return it->work_creators && *it->work_creators ? it->work_creators : "Anonymous";
}

/* Why a notification should not go, or NULL. */
static const char *notification_drop(const struct outbox_item *it)
{
	if (!it->user_id || !it->user_email)
		return "the reader's account is gone";
	if (!it->subscription_live)
		return "unsubscribed before it was sent";
	if (!it->work_title)
		return "the work was deleted";
	if (!it->work_posted)
		return "the work is not posted";
	if (it->kind == OUTBOX_NEW_CHAPTER && !it->chapter_position)
		return "the chapter was deleted";
	if (it->kind == OUTBOX_NEW_SERIES_PART && !it->series_title)
		return "the series was deleted";
	return NULL;
}

static void new_chapter(const struct mail_context *cx, struct arena *a, const struct outbox_item *it,
                        struct mail_text *out)
{
	const char *ch = it->chapter_title && *it->chapter_title
	                         ? arena_printf(a, "Chapter %d (\"%s\")", it->chapter_position, it->chapter_title)
	                         : arena_printf(a, "Chapter %d", it->chapter_position);
	out->subject = arena_printf(a, "[%s] %s posted Chapter %d of %s", cx->site_name, creators(it),
	                            it->chapter_position, it->work_title);
	out->body = arena_printf(a,
	                         "Hello %s,\n\n"
	                         "%s posted %s of \"%s\".\n\n"
	                         "Read it here:\n%s/works/%lld/chapters/%lld\n%s",
	                         it->user_name, creators(it), ch, it->work_title, cx->base_url, (long long)it->work_id,
	                         (long long)it->chapter_id,
	                         footer(cx, a, it, arena_printf(a, "\"%s\"", it->work_title), out));
}

static void new_work(const struct mail_context *cx, struct arena *a, const struct outbox_item *it,
                     struct mail_text *out)
{
	out->subject = arena_printf(a, "[%s] %s posted a new work: %s", cx->site_name, creators(it), it->work_title);
	out->body = arena_printf(a,
	                         "Hello %s,\n\n"
	                         "%s posted a new work, \"%s\".\n\n"
	                         "Read it here:\n%s/works/%lld\n%s",
	                         it->user_name, creators(it), it->work_title, cx->base_url, (long long)it->work_id,
	                         footer(cx, a, it, "its creator", out));
}

static void new_part(const struct mail_context *cx, struct arena *a, const struct outbox_item *it,
                     struct mail_text *out)
{
	out->subject = arena_printf(a, "[%s] New part of %s: %s", cx->site_name, it->series_title, it->work_title);
	out->body = arena_printf(a,
	                         "Hello %s,\n\n"
	                         "\"%s\" by %s is a new part of the series \"%s\".\n\n"
	                         "Read it here:\n%s/works/%lld\n%s",
	                         it->user_name, it->work_title, creators(it), it->series_title, cx->base_url,
	                         (long long)it->work_id,
	                         footer(cx, a, it, arena_printf(a, "the series \"%s\"", it->series_title), out));
}

static int password_reset(const struct mail_context *cx, struct arena *a, const struct outbox_item *it, int64_t now,
                          struct mail_text *out)
{
	char token[TOKEN_HEX_LEN + 1];
	if (!it->user_id) {
		out->drop = "no account has this address";
		return 0;
	}
	/* Made now, not when asked: the hour starts when the mail goes, even after a mail server outage. */
	int rc = account_mail_new_link(cx->st, MAIL_TOKEN_PASSWORD_RESET, it->user_id, it->user_email, now, token);
	if (rc)
		return rc;
	out->to = it->user_email;
	out->subject = arena_printf(a, "[%s] Reset your password", cx->site_name);
	out->body = arena_printf(a,
	                         "Hello %s,\n\n"
	                         "Someone, hopefully you, asked to reset the password of the account \"%s\" on %s.\n"
	                         "To choose a new password, open this link within an hour:\n\n"
	                         "%s/password/reset?token=%s\n\n"
	                         "The link works once. If you did not ask for this, ignore this mail: your password "
	                         "stays as it is.\n",
	                         it->user_name, it->user_name, cx->site_name, cx->base_url, token);
	return 0;
}

static int email_confirm(const struct mail_context *cx, struct arena *a, const struct outbox_item *it, int64_t now,
                         struct mail_text *out)
{
	char token[TOKEN_HEX_LEN + 1];
	if (!it->user_id || !it->to_addr) {
		out->drop = "the account is gone";
		return 0;
	}
	int rc = account_mail_new_link(cx->st, MAIL_TOKEN_EMAIL_CONFIRM, it->user_id, it->to_addr, now, token);
	if (rc)
		return rc;
	out->to = it->to_addr;
	out->subject = arena_printf(a, "[%s] Confirm your e-mail address", cx->site_name);
	out->body = arena_printf(a,
	                         "Hello %s,\n\n"
	                         "Please confirm that %s is the e-mail address of the account \"%s\" on %s.\n"
	                         "Open this link within a day and press the button there:\n\n"
	                         "%s/account/email/confirm?token=%s\n\n"
	                         "If you did not ask for this, ignore this mail: nothing changes.\n",
	                         it->user_name, it->to_addr, it->user_name, cx->site_name, cx->base_url, token);
	return 0;
}

/* An invitation to co-create: the owner asks; accepting is on the account page (the work itself stays closed
 * to the invitee until then). Said only while still open. */
static void cocreator_invite(const struct mail_context *cx, struct arena *a, const struct outbox_item *it,
                             struct mail_text *out)
{
	if (!it->user_id || !it->user_email) {
		out->drop = "the account is gone";
		return;
	}
	if (!it->work_title) {
		out->drop = "the work was deleted";
		return;
	}
	if (!it->invite_pending) {
		out->drop = "the invitation was accepted or withdrawn before it was sent";
		return;
	}
	out->to = it->user_email;
	out->subject = arena_printf(a, "[%s] %s invited you to co-create %s", cx->site_name, creators(it),
	                            it->work_title);
	out->body = arena_printf(a,
	                         "Hello %s,\n\n"
	                         "%s invited you to be a co-creator of \"%s\" on %s. As a co-creator you are named "
	                         "on the work and may edit it.\n\n"
	                         "Accept the invitation on your account page:\n%s/account#invitations\n\n"
	                         "If you do not want to, ignore this mail: nothing changes until you accept.\n",
	                         it->user_name, creators(it), it->work_title, cx->site_name, cx->base_url);
}

int mail_message_for(const struct mail_context *cx, struct arena *a, const struct outbox_item *it, int64_t now,
                     struct mail_text *out)
{
	memset(out, 0, sizeof *out);
	switch (it->kind) {
	case OUTBOX_NEW_CHAPTER:
	case OUTBOX_NEW_WORK:
	case OUTBOX_NEW_SERIES_PART:
		out->drop = notification_drop(it);
		if (out->drop)
			return 0;
		out->to = it->user_email;
		if (it->kind == OUTBOX_NEW_CHAPTER)
			new_chapter(cx, a, it, out);
		else if (it->kind == OUTBOX_NEW_WORK)
			new_work(cx, a, it, out);
		else
			new_part(cx, a, it, out);
		return 0;
	case OUTBOX_PASSWORD_RESET:
		return password_reset(cx, a, it, now, out);
	case OUTBOX_EMAIL_CONFIRM:
		return email_confirm(cx, a, it, now, out);
	case OUTBOX_NOTICE:
		/* Written when queued (moderation notices, invitations): only the address is looked up now. */
		out->to = it->to_addr && *it->to_addr ? it->to_addr : it->user_email;
		if (!out->to || !it->notice_subject || !it->notice_body)
			out->drop = "nobody to send it to any more";
		out->subject = it->notice_subject;
		out->body = it->notice_body;
		return 0;
	case OUTBOX_COCREATOR_INVITE:
		cocreator_invite(cx, a, it, out);
		return 0;
	default:
		out->drop = "unknown kind of mail";
		return 0;
	}
}
