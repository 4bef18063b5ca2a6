/* Muting accounts and tags: the rules, and applying a reader's mutes to listings and comment threads. */
#include "archive/mutes.h"
#include "archive/roles.h"
#include "core/err.h"
#include <string.h>

int mutes_load(struct store *st, struct arena *a, const struct user *viewer, struct mute_set *out)
{
	memset(out, 0, sizeof *out);
	if (!viewer)
		return 0;
	struct mute *list;
	size_t n;
	int rc = store_mutes_list(st, a, viewer->id, &list, &n);
	if (rc)
		return rc;
	out->users = arena_calloc(a, n + 1, sizeof *out->users);
	out->tags = arena_calloc(a, n + 1, sizeof *out->tags);
	for (size_t i = 0; i < n; i++) {
		if (list[i].kind == MUTE_USER)
			out->users[out->nusers++] = list[i].target;
		else if (list[i].kind == MUTE_TAG && list[i].name)
			out->tags[out->ntags++] = (struct tag_ref){list[i].tag_type, list[i].name};
	}
	return 0;
}

bool mutes_has_user(const struct mute_set *m, int64_t user_id)
{
	for (size_t i = 0; user_id && i < m->nusers; i++)
		if (m->users[i] == user_id)
			return true;
	return false;
}

void mutes_apply_listing(struct arena *a, const struct mute_set *m, struct listing_query *q)
{
	if (m->ntags) {
		struct tag_ref *all = arena_calloc(a, q->nexclude + m->ntags, sizeof *all);
		if (q->nexclude)
			memcpy(all, q->exclude, q->nexclude * sizeof *all);
		memcpy(all + q->nexclude, m->tags, m->ntags * sizeof *all);
		q->exclude = all;
		q->nexclude += m->ntags;
	}
	size_t k = 0;
	int64_t *users = arena_calloc(a, m->nusers + 1, sizeof *users);
	for (size_t i = 0; i < m->nusers; i++)
		if (m->users[i] != q->creator_id)
			users[k++] = m->users[i];
	if (k) {
		q->exclude_creators = users;
		q->nexclude_creators = k;
	}
}

void mutes_filter_comments(struct arena *a, const struct mute_set *m, struct comment_view *v, size_t *n)
{
	if (!m->nusers)
		return;
	int64_t *gone = arena_calloc(a, *n + 1, sizeof *gone);
	size_t ngone = 0, k = 0;
	for (size_t i = 0; i < *n; i++) {
		const struct comment *c = v[i].c;
		bool drop = mutes_has_user(m, c->user_id);
		for (size_t j = 0; !drop && c->parent_id && j < ngone; j++)
			drop = gone[j] == c->parent_id; /* replies follow their parents: the thread below goes too */
		if (drop)
			gone[ngone++] = c->id;
		else
			v[k++] = v[i];
	}
	*n = k;
}

static int set(struct store *st, const struct user *u, int kind, int64_t target, bool on, const char **why)
{
	int rc = store_mute_set(st, u->id, kind, target, on, MUTES_MAX);
	*why = rc == Q_ETOOBIG ? "You have muted 500 accounts and tags, the most a reader may. Unmute some first."
	       : rc ? "The mute could not be saved. Please try again in a moment."
	       : on ? "Muted." : "Unmuted.";
	return rc;
}

int mute_user(struct store *st, struct arena *a, const struct user *u, const char *name, bool on, const char **why)
{
	if (!u) {
		*why = "Log in to mute accounts.";
		return Q_EPERM;
	}
	struct user other;
	int rc = store_user_get_by_name(st, a, name ? name : "", &other);
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no user by that name." : "The user could not be loaded.";
		return rc;
	}
	if (on && (other.id == u->id || !strcmp(other.role, "orphan") || archive_is_moderator(&other))) {
		*why = other.id == u->id ? "You can't mute yourself."
		       : !strcmp(other.role, "orphan") ? "The orphan account holds works whose creators gave them up: mute "
		                                         "their tags instead."
		                                       : "Site moderators and administrators can't be muted: they look after "
		                                         "the archive for everyone.";
		return Q_EINVAL;
	}
	return set(st, u, MUTE_USER, other.id, on, why);
}

int mute_tag(struct store *st, struct arena *a, const struct user *u, const struct tag *t, bool on, const char **why)
{
	(void)a;
	if (!u) {
		*why = "Log in to mute tags.";
		return Q_EPERM;
	}
	return set(st, u, MUTE_TAG, t->id, on, why);
}
