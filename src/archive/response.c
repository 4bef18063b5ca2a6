/* Rules of the reader's response shared by its parts: state and limits, kudos, bookmarks, inbox, settings. */
#include "archive/response.h"
#include "archive/limits.h"
#include "archive/response_int.h"
#include "archive/roles.h"
#include "archive/text.h"
#include "auth/ratelimit.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include "core/utf8.h"
#include "html/format.h"
#include "html/sanitize.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct response *response_new(struct store *st, const unsigned char key[32])
{
	struct response *r = xcalloc(1, sizeof *r);
	r->store = st;
	memcpy(r->key, key, sizeof r->key);
	r->guest_comments = archive_ratelimit_new(st, "guest_comments", COMMENT_GUEST_LIMIT, COMMENT_LIMIT_WINDOW);
	r->user_comments = archive_ratelimit_new(st, "user_comments", COMMENT_USER_LIMIT, COMMENT_LIMIT_WINDOW);
	hits_init(r);
	return r;
}

void response_free(struct response *r)
{
	if (!r)
		return;
	hits_flush(r);
	hits_destroy(r);
	ratelimit_free(r->guest_comments);
	ratelimit_free(r->user_comments);
	sodium_memzero(r->key, sizeof r->key);
	free(r);
}

void response_set_community(struct response *r, struct community *c)
{
	r->community = c;
}

bool response_is_admin(const struct user *u)
{
	return u && u->role && !strcmp(u->role, "admin");
}

bool response_can_see_stats(const struct work *w, const struct user *u)
{
	return work_is_creator(w, u) || archive_is_admin(u);
}

bool response_can_moderate(const struct work *w, const struct user *u)
{
	return work_is_creator(w, u) || archive_may(u, POWER_COMMENTS);
}

void response_guest_hash(const struct response *r, const char *purpose, const char *address, char out[65])
{
	unsigned char h[32];
	crypto_generichash_state s;
	crypto_generichash_init(&s, r->key, sizeof r->key, sizeof h);
	crypto_generichash_update(&s, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_generichash_update(&s, (const unsigned char *)(address ? address : ""), address ? strlen(address) : 0);
	crypto_generichash_final(&s, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

bool response_text_ok(struct arena *a, struct field_errors *e, const char *field, const char *label,
                      const char *s, size_t max, bool required)
{
	size_t len = strlen(s);
	if (!utf8_valid(s, len)) {
		field_error(e, field, arena_printf(a, "%s contains invalid UTF-8 (text encoding) — nothing was saved.",
		                                   label));
		return false;
	}
	if (required && utf8_is_blank(s, len)) {
		field_error(e, field, arena_printf(a, "%s is required.", label));
		return false;
	}
	size_t n = utf8_length(s, len);
	if (n > max) {
		field_error(e, field, arena_printf(a, "%s must be at most %zu characters long (it has %zu).", label, max,
		                                   n));
		return false;
	}
	return true;
}

bool response_render(struct arena *a, struct field_errors *e, const char *field, const char *label,
                     const char *src, struct text *out)
{
	struct buf b = BUF_INIT;
	bool ok = format_render(FORMAT_HTML, src, strlen(src), &b) == 0;
	if (ok) {
		out->src = arena_strdup(a, src);
		out->html = arena_strndup(a, buf_cstr(&b), b.len);
	} else {
		field_error(e, field, arena_printf(a, "%s contains invalid UTF-8 (text encoding).", label));
	}
	buf_free(&b);
	return ok;
}

/* ---- Kudos ---- */

int kudos_give(struct response *r, struct store *st, const struct work *w, const struct chapter *ch,
               const struct response_actor *actor, const char **why)
{
	if (!work_is_public(w)) {
		*why = "Kudos are for posted works.";
		return Q_EPERM;
	}
	if (work_is_creator(w, actor->user)) {
		*why = "You can't leave kudos on your own work.";
		return Q_EPERM;
	}
	char hash[65] = "";
	if (!actor->user)
		response_guest_hash(r, "kudos", actor->address, hash);
	int rc = store_kudos_add(st, w->id, ch ? ch->id : 0, actor->user ? actor->user->id : 0, hash);
	switch (rc) {
	case 0:
		*why = ch ? "Thank you for leaving kudos on this chapter!" : "Thank you for leaving kudos!";
		break;
	case Q_EEXIST:
		*why = ch ? "You have already left kudos on this chapter. :)" : "You have already left kudos here. :)";
		break;
	case Q_ENOTFOUND:
		*why = "That work or chapter does not exist any more.";
		break;
	default:
		*why = "The kudos could not be saved. Please try again in a moment.";
		rc = Q_ERR;
	}
	return rc;
}

/* ---- Bookmarks ---- */

/* Bookmark tags: trimmed, bidirectional controls removed, blanks and repeats dropped, each checked like a
 * work's tags; joined ", ". */
static const char *bookmark_tags(struct arena *a, const char *in, struct field_errors *e)
{
	struct strlist l;
	archive_split_list(a, in, BOOKMARK_TAGS_MAX + 1, &l);
	if (l.n > BOOKMARK_TAGS_MAX) {
		field_error(e, "tags", arena_printf(a, "A bookmark can have at most %d tags.", BOOKMARK_TAGS_MAX));
		return NULL;
	}
	const char *out = "";
	const char **kept = arena_alloc(a, (l.n + 1) * sizeof *kept);
	size_t nkept = 0;
	for (size_t i = 0; i < l.n; i++) {
		const char *t = l.items[i];
		if (!response_text_ok(a, e, "tags", "Each tag", t, TAG_NAME_MAX, false))
			return NULL;
		t = archive_clean_line(a, t);
		if (archive_text_invisible(t, strlen(t)))
			continue;
		int bad = archive_tag_forbidden_char(t);
		if (bad) {
			field_error(e, "tags", arena_printf(a, "The tag \"%s\" contains '%c'; tags cannot contain these "
			                                    "characters: " ARCHIVE_TAG_FORBIDDEN_SHOWN, archive_quote(a, t), bad));
			return NULL;
		}
		bool seen = false;
		for (size_t k = 0; k < nkept && !seen; k++)
			seen = !strcasecmp(kept[k], t);
		if (!seen) {
			kept[nkept++] = t;
			out = *out ? arena_printf(a, "%s, %s", out, t) : t;
		}
	}
	return out;
}

int bookmark_save(struct store *st, struct arena *a, const struct work *w, const struct user *actor,
                  const struct bookmark_input *in, int64_t id, int64_t *out_id, struct field_errors *errors,
                  const char **why)
{
	if (!actor) {
		*why = "Log in to bookmark works.";
		return Q_EPERM;
	}
	if (!work_is_public(w)) {
		*why = w->draft ? "Drafts cannot be bookmarked." : "This work is hidden by the site's moderators.";
		return Q_EPERM;
	}
	struct bookmark b = {.id = id, .user_id = actor->id, .work_id = w->id, .private_ = in->private_, .rec = in->rec};
	const char *notes = in->notes ? in->notes : "";
	b.notes = (struct text){"", ""};
	if (response_text_ok(a, errors, "notes", "Notes", notes, BOOKMARK_NOTES_MAX, false) &&
	    !utf8_is_blank(notes, strlen(notes)))
		response_render(a, errors, "notes", "Notes", notes, &b.notes);
	b.tags = bookmark_tags(a, in->tags ? in->tags : "", errors);
	if (errors->n) {
		*why = "Please check the bookmark form.";
		return Q_EINVAL;
	}
	int rc = id ? store_bookmark_update(st, &b) : store_bookmark_create(st, &b, out_id);
	if (rc == 0 && id && out_id)
		*out_id = id;
	switch (rc) {
	case 0:
		*why = id ? "Bookmark updated." : "Bookmarked!";
		break;
	case Q_EEXIST:
		*why = "You have already bookmarked this work; you can change that bookmark instead.";
		break;
	case Q_ENOTFOUND:
		*why = "There is no such bookmark of yours.";
		break;
	default:
		*why = "The bookmark could not be saved. Please try again in a moment.";
		rc = Q_ERR;
	}
	return rc;
}

int bookmark_remove(struct store *st, const struct user *actor, int64_t id, const char **why)
{
	if (!actor) {
		*why = "Log in to change your bookmarks.";
		return Q_EPERM;
	}
	int rc = store_bookmark_delete(st, actor->id, id);
	*why = rc == 0 ? "Bookmark deleted." : rc == Q_ENOTFOUND ? "There is no such bookmark of yours."
	                                                       : "The bookmark could not be deleted.";
	return rc == 0 || rc == Q_ENOTFOUND ? rc : Q_ERR;
}

bool bookmark_can_see(const struct bookmark *b, const struct user *viewer)
{
	bool own = viewer && viewer->id == b->user_id;
	if (b->private_ && !own)
		return false;
	if (b->work_draft)
		return false; /* drafts cannot be bookmarked; a work turned back into one is nobody's to list */
	if (b->work_restricted && !viewer)
		return false;
	return true;
}

/* ---- Reading list ---- */

int reading_mark_later(struct store *st, const struct work *w, const struct user *u, bool later, const char **why)
{
	if (!u) {
		*why = "Log in to mark works for later.";
		return Q_EPERM;
	}
	int rc = store_reading_set_later(st, u->id, w->id, later);
	*why = rc == 0 ? (later ? "Marked for later." : "Removed from your marked-for-later list.")
	               : "That could not be saved. Please try again in a moment.";
	return rc == 0 ? 0 : Q_ERR;
}

/* ---- Inbox ---- */

int inbox_mark(struct store *st, const struct user *u, int64_t id, bool read, const char **why)
{
	int rc = u ? store_inbox_mark(st, u->id, id, read) : Q_EPERM;
	*why = rc == 0 ? (read ? "Marked as read." : "Marked as unread.")
	       : rc == Q_ENOTFOUND ? "There is no such message in your inbox." : "The inbox could not be changed.";
	return rc == 0 || rc == Q_ENOTFOUND || rc == Q_EPERM ? rc : Q_ERR;
}

bool inbox_text_visible(const struct inbox_item *it)
{
	if (it->comment.state == COMMENT_DELETED)
		return false;
	return it->kind == 0 || it->comment.state == COMMENT_SHOWN;
}

int inbox_mark_all(struct store *st, const struct user *u, const char **why)
{
	int rc = u ? store_inbox_mark_all(st, u->id) : Q_EPERM;
	*why = rc == 0 ? "Everything in your inbox is marked as read." : "The inbox could not be changed.";
	return rc == 0 || rc == Q_EPERM ? rc : Q_ERR;
}

const char *inbox_kind_name(enum inbox_kind kind)
{
	static const char *const names[INBOX_KIND_COUNT] = {
		[INBOX_COMMENT] = "comment",
		[INBOX_REPLY] = "reply",
		[INBOX_NEW_CHAPTER] = "new_chapter",
		[INBOX_NEW_WORK] = "new_work",
		[INBOX_NEW_SERIES_PART] = "new_series_part",
		[INBOX_SUGGESTION] = "suggestion",
		[INBOX_SUGGESTION_ACCEPTED] = "suggestion_accepted",
		[INBOX_SUGGESTION_ANSWERED] = "suggestion_answered",
		[INBOX_NOTICE] = "notice",
		[INBOX_COCREATOR_INVITE] = "cocreator_invite",
		[INBOX_COCREATOR_JOINED] = "cocreator_joined",
		[INBOX_COCREATOR_ACCEPTED] = "cocreator_accepted",
		[INBOX_OTHER] = "other",
	};
	return (unsigned)kind < INBOX_KIND_COUNT ? names[kind] : "other";
}

/* ---- Settings ---- */

static const char *const policies[] = {[COMMENTS_EVERYONE] = "everyone", [COMMENTS_REGISTERED] = "registered",
                                       [COMMENTS_NOBODY] = "nobody"};

int comment_policy_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s && !strcmp(s, policies[i]))
			return i;
	return -1;
}

const char *comment_policy_name(int policy)
{
	return policy >= 0 && policy < 3 ? policies[policy] : "everyone";
}
