/* Comment rules: who may comment where, validation, abuse limits, editing, deleting, moderation, what readers see. */
#include "archive/response.h"
#include "archive/response_int.h"
#include "auth/ratelimit.h"
#include "core/err.h"
#include "core/utf8.h"
#include "html/sanitize.h"
#include "archive/account.h"
#include "archive/blocks.h"
#include "archive/text.h"
#include "archive/spam.h"
#include <string.h>
#include <time.h>

void comment_rights(const struct work *w, const struct response_counts *rc, const struct user *viewer,
                    struct comment_rights *out)
{
	memset(out, 0, sizeof *out);
	out->moderator = response_can_moderate(w, viewer);
	if (w->draft)
		out->closed = "Comments open once the work is posted.";
	else if (w->hidden || w->removed)
		out->closed = "This work is hidden by the site's moderators: it takes no comments.";
	else if (rc->locked)
		out->closed = "The site's moderators have locked the comments on this work.";
	else if (rc->comment_policy == COMMENTS_NOBODY)
		out->closed = "The creator has turned off comments on this work.";
	else if (rc->comment_policy == COMMENTS_REGISTERED && !viewer) {
		out->closed = "Only registered readers may comment on this work. Log in to comment.";
		out->needs_login = true;
	}
	out->can_comment = out->closed == NULL;
}

bool comment_can_see(const struct work *w, const struct comment *c, const struct user *viewer)
{
	switch (c->state) {
	case COMMENT_SHOWN:
	case COMMENT_DELETED: /* as a placeholder: its text is gone */
		return true;
	case COMMENT_PENDING:
		return response_can_moderate(w, viewer) || (viewer && c->user_id == viewer->id);
	default: /* hidden */
		return response_can_moderate(w, viewer);
	}
}

const char *comment_author(const struct comment *c)
{
	if (c->user_name)
		return c->user_name;
	if (c->guest_name && *c->guest_name)
		return c->guest_name;
	return "(deleted account)"; /* guests always gave a name; an account's name goes with the account */
}

const char *comment_state_name(int state)
{
	static const char *const names[] = {"shown", "pending", "hidden", "deleted"};
	return state >= 0 && state < 4 ? names[state] : "shown";
}

const char *comment_path(struct arena *a, const struct comment *c)
{
	if (c->chapter_id)
		return arena_printf(a, "/works/%lld/chapters/%lld#comment-%lld", (long long)c->work_id,
		                    (long long)c->chapter_id, (long long)c->id);
	return arena_printf(a, "/works/%lld?view_full_work=true#comment-%lld", (long long)c->work_id, (long long)c->id);
}

/* Guest name: required, one line, printable, showing something; bidirectional controls removed (so a name
 * cannot reorder the text around it). Returns the name to store, or NULL with a field error. */
static const char *check_guest(struct arena *a, const struct comment_input *in, struct field_errors *e)
{
	const char *name = in->guest_name ? in->guest_name : "", *out = NULL;
	if (response_text_ok(a, e, "guest_name", "Your name", name, COMMENT_GUEST_NAME_MAX, true)) {
		bool ok = true;
		for (const unsigned char *p = (const unsigned char *)name; *p && ok; p++)
			if (*p < 0x20 || *p == 0x7f) {
				field_error(e, "guest_name", "Your name must be on one line, without control characters.");
				ok = false;
			}
		if (ok) {
			out = archive_clean_line(a, name);
			if (archive_text_invisible(out, strlen(out))) {
				field_error(e, "guest_name", "Your name must show at least one visible character.");
				out = NULL;
			}
		}
	}
	const char *email = in->guest_email ? in->guest_email : "";
	if (!*email) {
		field_error(e, "guest_email", "Your e-mail address is required (it is never shown).");
	} else {
		const char *why = account_email_problem(email);
		if (why)
			field_error(e, "guest_email", why);
	}
	return out;
}

/* Why a reply to p is refused, or NULL. */
static const char *reply_refusal(const struct comment *p)
{
	if (p->state == COMMENT_DELETED)
		return "You can't reply to a comment that has been deleted.";
	if (p->state == COMMENT_HIDDEN)
		return "You can't reply to a comment that has been hidden.";
	if (p->state == COMMENT_PENDING)
		return "You can't reply to a comment that is still waiting for approval.";
	if (p->frozen)
		return "This thread is frozen: it takes no new replies. Your text is still in the form.";
	return NULL;
}

int comment_post(struct response *r, struct store *st, struct arena *a, const struct work *w,
                 const struct chapter *ch, const struct response_counts *rc, const struct response_actor *actor,
                 const struct comment_input *in, struct comment *out, struct field_errors *errors,
                 const char **why, int *retry_after)
{
	const struct user *u = actor->user;
	struct comment_rights rights;
	comment_rights(w, rc, u, &rights);
	if (!rights.can_comment) {
		*why = rights.closed;
		return Q_EPERM;
	}
	if (in->honeypot && *in->honeypot) {
		/* Only a bot fills a field people cannot see; it learns nothing from the answer. */
		*why = "This comment could not be accepted.";
		return Q_EINVAL;
	}
	struct comment c = {0};
	c.work_id = w->id;
	c.chapter_id = ch ? ch->id : 0;
	c.parent_id = in->parent_id;
	const char *body = in->body ? in->body : "";
	if (response_text_ok(a, errors, "body", "Comment", body, COMMENT_TEXT_MAX, true))
		response_render_shown(a, errors, "body", "Comment", body, &c.body);
	const char *guest_name = u ? NULL : check_guest(a, in, errors);
	if (errors->n) {
		*why = "Please check the comment form.";
		return Q_EINVAL;
	}

	struct comment parent;
	if (in->parent_id) {
		int prc = store_comment_get(st, a, in->parent_id, &parent);
		if (prc == 0 && (parent.work_id != w->id || parent.chapter_id != c.chapter_id ||
		                 !comment_can_see(w, &parent, u)))
			prc = Q_ENOTFOUND;
		if (prc == Q_ENOTFOUND) {
			*why = "The comment you are replying to does not exist here.";
			return Q_ENOTFOUND;
		}
		if (prc) {
			*why = "The comment could not be saved. Please try again in a moment.";
			return Q_ERR;
		}
		if ((*why = reply_refusal(&parent)))
			return Q_EPERM;
	}
	int brc;
	if ((*why = archive_block_refusal(st, u, w->id, in->parent_id ? parent.user_id : 0, &brc)))
		return brc ? Q_ERR : Q_EPERM;

	/* Abuse limits: admins are trusted (and the load benchmark posts as one). */
	struct ratelimit *rl = u ? r->user_comments : r->guest_comments;
	const char *key = u ? arena_printf(a, "u:%lld", (long long)u->id) : (actor->address ? actor->address : "");
	time_t now = time(NULL);
	if (!response_is_admin(u) && ratelimit_blocked(rl, key, now, retry_after)) {
		*why = u ? arena_printf(a, "You have posted %d comments in the last 15 minutes, the most an account may. "
		                           "Your comment was not posted; it is still in the form.", COMMENT_USER_LIMIT)
		         : arena_printf(a, "Guests may post %d comments in 15 minutes. Your comment was not posted; it is "
		                           "still in the form. Log in to comment more often.", COMMENT_GUEST_LIMIT);
		return Q_EBUSY;
	}

	c.user_id = u ? u->id : 0;
	c.guest_name = guest_name;
	c.guest_email = u ? NULL : in->guest_email;
	c.by_creator = work_is_creator(w, u);
	c.state = rc->moderated && !rights.moderator ? COMMENT_PENDING : COMMENT_SHOWN;
	c.sanitizer_version = SANITIZER_VERSION;
	/* Every creator hears of a new comment on their work (the writer excepted: the store skips them). */
	int64_t *notify = arena_calloc(a, w->ncreators + 1, sizeof *notify);
	size_t nn = 0;
	for (size_t i = 0; i < w->ncreators; i++)
		if (i == 0 || w->creators[i].accepted)
			notify[nn++] = w->creators[i].user_id;
	/* Spam: what scores too high waits for a moderator instead of appearing (archive/spam.h). The poster is told
	 * it was received, as for a moderated work; its creators hear of it only if it is released. */
	if (r->community && !c.by_creator) {
		struct spam_verdict v;
		spam_score_comment(r->community, a, u, actor->address, body, in->guest_email, &v);
		if (v.held) {
			if (spam_hold_comment(r->community, a, &c, actor->address, &v, NULL) != 0) {
				*why = "The comment could not be saved. Please try again in a moment.";
				return Q_ERR;
			}
			if (!response_is_admin(u))
				ratelimit_hit(rl, key, now);
			memset(out, 0, sizeof *out);
			out->state = COMMENT_PENDING;
			*why = "Your comment was received. It appears once the site's moderators have looked at it.";
			return 0;
		}
	}
	int64_t id = 0;
	int rc2 = store_comment_create(st, &c, notify, nn, true, &id);
	if (rc2 == Q_EPERM || rc2 == Q_ENOTFOUND) {
		/* The parent changed between our look and the write. */
		*why = "The comment you are replying to was deleted, hidden or frozen meanwhile. Your text is still in "
		       "the form.";
		return rc2;
	}
	if (rc2) {
		*why = "The comment could not be saved. Please try again in a moment.";
		return rc2 == Q_EUNAVAIL ? Q_EUNAVAIL : Q_ERR;
	}
	if (!response_is_admin(u))
		ratelimit_hit(rl, key, now);
	if (in->id_only || store_comment_get(st, a, id, out) != 0) {
		*out = c;
		out->id = id;
	}
	*why = c.state == COMMENT_PENDING ? "Your comment was received. The creator reviews comments on this work "
	                                    "before they appear."
	                                  : "Comment posted.";
	return 0;
}

int comment_load(struct store *st, struct arena *a, int64_t id, const struct user *viewer, struct comment *c,
                 struct work *w, const char **why)
{
	int rc = id ? store_comment_get(st, a, id, c) : Q_ENOTFOUND;
	if (rc == 0)
		rc = store_work_get(st, a, c->work_id, w);
	if (rc == 0 && (!work_can_view(w, viewer) || !comment_can_see(w, c, viewer)))
		rc = Q_ENOTFOUND;
	*why = rc == 0 ? NULL : rc == Q_ENOTFOUND ? "No such comment, or you are not allowed to see it."
	                                         : "The comment could not be loaded. Please try again in a moment.";
	return rc == 0 || rc == Q_ENOTFOUND ? rc : Q_ERR;
}

static bool is_writer(const struct comment *c, const struct user *u)
{
	return u && c->user_id && c->user_id == u->id;
}

int comment_edit(struct store *st, struct arena *a, const struct work *w, const struct comment *c,
                 const struct user *actor, const char *body, struct field_errors *errors, const char **why)
{
	if (!is_writer(c, actor)) {
		*why = "Only the comment's writer can edit it.";
		return Q_EPERM;
	}
	if (c->state == COMMENT_DELETED) {
		*why = "This comment has been deleted.";
		return Q_EPERM;
	}
	struct text t = {"", ""};
	body = body ? body : "";
	if (response_text_ok(a, errors, "body", "Comment", body, COMMENT_TEXT_MAX, true))
		response_render_shown(a, errors, "body", "Comment", body, &t);
	if (errors->n) {
		*why = "Please check the comment form.";
		return Q_EINVAL;
	}
	(void)w;
	int rc = store_comment_edit(st, c->id, &t, SANITIZER_VERSION);
	*why = rc == 0 ? "Comment updated." : "The comment could not be saved. Please try again in a moment.";
	return rc == 0 ? 0 : rc == Q_EPERM || rc == Q_ENOTFOUND ? rc : Q_ERR;
}

int comment_delete(struct store *st, const struct work *w, const struct comment *c, const struct user *actor,
                   const char **why)
{
	if (!is_writer(c, actor) && !response_can_moderate(w, actor)) {
		*why = "Only the comment's writer, the work's creators and site admins can delete a comment.";
		return Q_EPERM;
	}
	if (c->state == COMMENT_DELETED) {
		*why = "This comment has already been deleted.";
		return Q_EEXIST;
	}
	int rc = store_comment_set_state(st, c->id, COMMENT_DELETED);
	*why = rc == 0 ? "Comment deleted." : "The comment could not be deleted. Please try again in a moment.";
	return rc == 0 ? 0 : Q_ERR;
}

int comment_moderate(struct store *st, const struct work *w, const struct comment *c, const struct user *actor,
                     const char *action, const char **why)
{
	if (!response_can_moderate(w, actor)) {
		*why = "Only the work's creators and site admins can moderate its comments.";
		return Q_EPERM;
	}
	if (c->state == COMMENT_DELETED) {
		*why = "This comment has been deleted.";
		return Q_EPERM;
	}
	int rc;
	if (!strcmp(action, "hide") || !strcmp(action, "unhide")) {
		bool hide = action[0] == 'h';
		if (!hide && c->state != COMMENT_HIDDEN) {
			*why = "This comment is not hidden.";
			return Q_EEXIST;
		}
		rc = store_comment_set_state(st, c->id, hide ? COMMENT_HIDDEN : COMMENT_SHOWN);
		*why = hide ? "Comment hidden: only you (and site admins) can see it now." : "Comment shown again.";
	} else if (!strcmp(action, "approve")) {
		if (c->state != COMMENT_PENDING) {
			*why = "This comment is not waiting for approval.";
			return Q_EEXIST;
		}
		rc = store_comment_set_state(st, c->id, COMMENT_SHOWN);
		*why = "Comment approved.";
	} else if (!strcmp(action, "freeze") || !strcmp(action, "unfreeze")) {
		bool freeze = action[0] == 'f';
		rc = store_comment_freeze(st, c->id, freeze);
		*why = freeze ? "Thread frozen: no new replies below this comment." : "Thread unfrozen.";
	} else {
		*why = "Unknown moderation action (hide, unhide, approve, freeze or unfreeze).";
		return Q_EINVAL;
	}
	if (rc) {
		*why = "The comment could not be changed. Please try again in a moment.";
		return Q_ERR;
	}
	return 0;
}

/* Index of id among the first n comments (all in id order within a thread), or -1. */
static long find(const struct comment *list, size_t n, int64_t id)
{
	for (size_t i = n; i-- > 0;)
		if (list[i].id == id)
			return (long)i;
	return -1;
}

void comments_for_viewer(struct arena *a, const struct work *w, const struct comment *list, size_t n,
                         const struct user *viewer, bool can_comment, struct comment_view **out, size_t *nout)
{
	bool *shown = arena_calloc(a, n + 1, sizeof *shown);
	bool *kept_below = arena_calloc(a, n + 1, sizeof *kept_below);
	long *parent = arena_calloc(a, n + 1, sizeof *parent);
	bool moderator = response_can_moderate(w, viewer);
	/* Parents come before their replies: shown when it may be seen and its parent is shown. */
	for (size_t i = 0; i < n; i++) {
		parent[i] = list[i].parent_id ? find(list, i, list[i].parent_id) : -1;
		bool parent_ok = !list[i].parent_id || (parent[i] >= 0 && shown[parent[i]]);
		shown[i] = parent_ok && comment_can_see(w, &list[i], viewer);
	}
	/* Replies come after their parents: a deleted comment stays (as a placeholder) only above a shown reply. */
	for (size_t i = n; i-- > 0;) {
		if (shown[i] && list[i].state == COMMENT_DELETED && !kept_below[i])
			shown[i] = false;
		if (shown[i] && parent[i] >= 0)
			kept_below[parent[i]] = true;
	}
	struct comment_view *v = arena_calloc(a, n + 1, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!shown[i])
			continue;
		const struct comment *c = &list[i];
		v[k].c = c;
		v[k].depth = c->depth < COMMENT_DEPTH_SHOWN ? c->depth : COMMENT_DEPTH_SHOWN;
		v[k].placeholder = c->state == COMMENT_DELETED;
		v[k].can_reply = can_comment && c->state == COMMENT_SHOWN && !c->frozen;
		v[k].can_edit = is_writer(c, viewer) && c->state != COMMENT_DELETED;
		v[k].can_delete = (is_writer(c, viewer) || moderator) && c->state != COMMENT_DELETED;
		v[k].moderator = moderator && c->state != COMMENT_DELETED;
		k++;
	}
	*out = v;
	*nout = k;
}
