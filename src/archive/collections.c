/* Collections and gifts: settings rules, permissions, and the workflows of collections, their members and works. */
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "archive/set.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/utf8.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- Rules ------------------------------------------------------------------------------------------- */

const char *collection_name_problem(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < COLLECTION_NAME_MIN || n > COLLECTION_NAME_MAX)
		return "Collection names (in its address) are 2 to 40 characters long.";
	if (!isalnum((unsigned char)name[0]))
		return "Collection names start with a letter or a digit.";
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return "Collection names use only letters (a-z), digits and underscores.";
	if (!strcasecmp(name, "new"))
		return "That name is taken by the site's own pages. Please choose another.";
	return NULL;
}

int64_t collection_parse_time(const char *s)
{
	if (!s || !*s)
		return 0;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int y, mo, d, h = 0, mi = 0;
	char sep = 0, extra;
	int got = sscanf(s, "%4d-%2d-%2d%c%2d:%2d%c", &y, &mo, &d, &sep, &h, &mi, &extra);
	if (!(got == 3 || (got == 6 && (sep == ' ' || sep == 'T'))))
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	time_t t = timegm(&tm);
	struct tm back;
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d) /* 2026-02-31 is no date */
		return -1;
	return (int64_t)t;
}

const char *collection_time_text(struct arena *a, int64_t t)
{
	if (t <= 0)
		return "";
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	                    tm.tm_min);
}

const char *collection_challenge_key(int challenge)
{
	return challenge == CHALLENGE_GIFT_EXCHANGE ? "gift_exchange" : challenge == CHALLENGE_PROMPT_MEME ? "prompt_meme" : "";
}

const char *collection_role_name(int role)
{
	return role == COLLECTION_OWNER ? "owner" : role == COLLECTION_MODERATOR ? "moderator" : role == COLLECTION_MEMBER ? "member" : "";
}

bool collection_can_moderate(int role)
{
	return role >= COLLECTION_MODERATOR;
}

int collection_members_shown(const struct collection *c, int role)
{
	return c->anonymous && !collection_can_moderate(role) ? COLLECTION_MODERATOR : COLLECTION_MEMBER;
}

bool collection_can_own(int role)
{
	return role >= COLLECTION_OWNER;
}

static int64_t time_field(struct arena *a, struct field_errors *e, const char *field, const char *s)
{
	int64_t t = collection_parse_time(s ? archive_trim(a, s) : "");
	if (t < 0) {
		field_error(e, field, "Give a date as 2026-12-24, or a date and time as 2026-12-24 18:00 (UTC).");
		return 0;
	}
	return t;
}

int collection_rules_build(struct arena *a, const struct collection_input *in, bool creating, struct collection *out,
                           struct field_errors *e)
{
	size_t before = e->n;
	if (creating) {
		const char *name = archive_trim(a, in->name);
		const char *why = collection_name_problem(name);
		if (why)
			field_error(e, "name", why);
		out->name = name;
	}
	const char *title = archive_clean_line(a, in->title ? in->title : "");
	if (archive_check_text(a, e, "title", "Title", title, COLLECTION_TITLE_MAX)) {
		if (archive_text_invisible(title, strlen(title)))
			field_error(e, "title", "Please give the collection a title.");
		out->title = title;
	}
	archive_render_text(a, e, "description", "Description", in->description, COLLECTION_DESCRIPTION_MAX, WORK_SUMMARY_ALLOW,
	                    &out->description);
	archive_render_text(a, e, "intro", "Introduction", in->intro, COLLECTION_PAGE_MAX, WORK_NOTES_ALLOW, &out->intro);
	archive_render_text(a, e, "rules", "Rules", in->rules, COLLECTION_PAGE_MAX, WORK_NOTES_ALLOW, &out->rules);
	archive_render_text(a, e, "faq", "FAQ", in->faq, COLLECTION_PAGE_MAX, WORK_NOTES_ALLOW, &out->faq);
	out->closed = in->closed;
	out->moderated = in->moderated;
	out->unrevealed = in->unrevealed;
	out->anonymous = in->anonymous;
	out->reveal_at = time_field(a, e, "reveal_at", in->reveal_at);
	out->reveal_creators_at = time_field(a, e, "reveal_creators_at", in->reveal_creators_at);
	const char *ch = in->challenge ? in->challenge : "";
	if (!*ch)
		out->challenge = CHALLENGE_NONE;
	else if (!strcmp(ch, "gift_exchange"))
		out->challenge = CHALLENGE_GIFT_EXCHANGE;
	else if (!strcmp(ch, "prompt_meme"))
		out->challenge = CHALLENGE_PROMPT_MEME;
	else
		field_error(e, "challenge", "A collection runs a gift exchange, a prompt meme or neither.");
	return e->n > before ? Q_EINVAL : 0;
}

/* ---- Anonymity ----------------------------------------------------------------------------------------- */

bool archive_work_mask(struct arena *a, struct work *w, const struct user *viewer)
{
	if (!w->anonymous || work_is_creator(w, viewer))
		return false;
	struct creator *c = arena_calloc(a, 1, sizeof *c);
	c->user_id = 0;
	c->name = ANONYMOUS_NAME;
	c->accepted = true;
	w->creators = c;
	w->ncreators = 1;
	w->series_id = 0;
	w->series_title = NULL;
	w->series_position = 0;
	return true;
}

const char *archive_creator_shown(bool anonymous, const char *name)
{
	return anonymous ? ANONYMOUS_NAME : name;
}

/* ---- Loading and permissions ------------------------------------------------------------------------------ */

int archive_collection_load(struct store *st, struct arena *a, const struct user *u, const char *name,
                            struct collection *out, int *role)
{
	*role = COLLECTION_NOBODY;
	if (!name || collection_name_problem(name))
		return Q_ENOTFOUND;
	int rc = store_collection_get(st, a, 0, name, out);
	if (rc == 0 && u)
		rc = store_collection_member_role(st, out->id, u->id, role);
	return rc;
}

/* The parent named in, resolved inside the transaction: it must exist, be top-level, and u must moderate it. */
static int resolve_parent(struct store *st, struct arena *a, const struct user *u, const char *parent,
                          struct collection *out, struct field_errors *e)
{
	out->parent_id = 0;
	const char *name = archive_trim(a, parent);
	if (!*name)
		return 0;
	struct collection p;
	int role = COLLECTION_NOBODY;
	int rc = archive_collection_load(st, a, u, name, &p, &role);
	if (rc == Q_ENOTFOUND) {
		field_error(e, "parent", arena_printf(a, "There is no collection named %s.", archive_quote(a, name)));
		return 0;
	}
	if (rc)
		return rc;
	if (p.parent_id)
		field_error(e, "parent", "A subcollection cannot have subcollections of its own.");
	else if (!collection_can_moderate(role))
		field_error(e, "parent", "Only the parent collection's moderators can add subcollections to it.");
	else if (p.id == out->id)
		field_error(e, "parent", "A collection cannot be its own parent.");
	else
		out->parent_id = p.id;
	return 0;
}

/* A collection that runs a gift exchange gets the exchange's default settings the first time. */
static int challenge_settings(struct store *st, struct arena *a, const struct collection *c)
{
	if (c->challenge != CHALLENGE_GIFT_EXCHANGE)
		return 0;
	struct exchange x;
	int rc = store_exchange_get(st, a, c->id, &x);
	if (rc != Q_ENOTFOUND)
		return rc;
	exchange_defaults(&x, c->id);
	return store_exchange_set(st, &x);
}

int archive_collection_create(struct store *st, struct arena *a, const struct user *u,
                              const struct collection_input *in, struct collection *out, struct field_errors *e)
{
	memset(out, 0, sizeof *out);
	if (!u)
		return Q_EPERM;
	collection_rules_build(a, in, true, out, e);
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	rc = resolve_parent(st, a, u, in->parent, out, e);
	if (rc == 0) {
		struct collection *mine;
		size_t n = 0;
		struct collection_query q = {.parent_id = -1, .open = -1, .challenge = -1, .member_id = u->id,
		                             .limit = COLLECTIONS_OWNED_MAX + 1};
		rc = store_collection_list(st, a, &q, &mine, &n);
		size_t owned = 0;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			int role = COLLECTION_NOBODY;
			rc = store_collection_member_role(st, mine[i].id, u->id, &role);
			owned += role == COLLECTION_OWNER;
		}
		if (rc == 0 && owned >= COLLECTIONS_OWNED_MAX)
			field_error(e, "name", arena_printf(a, "You own %d collections already, the most one account may.",
			                                      COLLECTIONS_OWNED_MAX));
	}
	if (rc == 0 && e->n)
		rc = Q_EINVAL;
	if (rc == 0) {
		rc = store_collection_create(st, out, u->id, &out->id);
		if (rc == Q_EEXIST)
			field_error(e, "name", "That name is taken. Please choose another.");
		if (rc == Q_EEXIST)
			rc = Q_EINVAL;
	}
	if (rc == 0)
		rc = challenge_settings(st, a, out);
	return archive_tx_end(st, rc);
}

int archive_collection_edit(struct store *st, struct arena *a, const struct user *u, const char *name,
                            const struct collection_input *in, struct collection *out, struct field_errors *e)
{
	struct collection built;
	memset(&built, 0, sizeof built);
	collection_rules_build(a, in, false, &built, e);
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	int role;
	rc = archive_collection_load(st, a, u, name, out, &role);
	if (rc == 0 && !collection_can_moderate(role))
		rc = Q_EPERM;
	if (rc == 0) {
		built.id = out->id;
		int64_t parent = out->parent_id;
		rc = resolve_parent(st, a, u, in->parent, &built, e);
		if (rc == 0 && built.parent_id != parent && !collection_can_own(role))
			field_error(e, "parent", "Only the collection's owners can move it.");
	}
	if (rc == 0 && e->n)
		rc = Q_EINVAL;
	if (rc == 0) {
		built.name = out->name;
		built.created_at = out->created_at;
		built.works_count = out->works_count;
		*out = built;
		rc = store_collection_update(st, out);
	}
	if (rc == 0)
		rc = challenge_settings(st, a, out);
	return archive_tx_end(st, rc);
}

int archive_collection_delete(struct store *st, struct arena *a, const struct user *u, const char *name)
{
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	int role;
	rc = archive_collection_load(st, a, u, name, &c, &role);
	if (rc == 0 && !collection_can_own(role))
		rc = Q_EPERM;
	if (rc == 0)
		rc = store_collection_delete(st, c.id);
	return archive_tx_end(st, rc);
}

bool archive_collection_blocks(struct store *st, struct arena *a, int64_t collection_id, int64_t user_id, int *rc)
{
	struct collection_member *m;
	size_t n;
	*rc = store_collection_members(st, a, collection_id, COLLECTION_MODERATOR, NULL, 200, &m, &n);
	for (size_t i = 0; *rc == 0 && i < n; i++) {
		int by = BLOCKED_BY_NOBODY;
		*rc = store_user_blocked_by(st, user_id, 0, m[i].user_id, &by);
		if (*rc == 0 && by != BLOCKED_BY_NOBODY)
			return true;
	}
	return false;
}

int archive_collection_member(struct store *st, struct arena *a, const struct user *u, const char *name,
                              const char *user_name, int role, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	if (role < COLLECTION_NOBODY || role > COLLECTION_OWNER) {
		*why = "That is not a role in a collection.";
		return Q_EINVAL;
	}
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	int mine, theirs = COLLECTION_NOBODY;
	struct user target;
	rc = archive_collection_load(st, a, u, name, &c, &mine);
	if (rc == 0) {
		const char *n = archive_trim(a, user_name);
		rc = store_user_get_by_name(st, a, n, &target);
		if (rc == 0 && !strcmp(target.role, "orphan"))
			rc = Q_ENOTFOUND;
		if (rc == Q_ENOTFOUND)
			*why = arena_printf(a, "There is no user named %s.", archive_quote(a, n));
	}
	if (rc == 0)
		rc = store_collection_member_role(st, c.id, target.id, &theirs);
	if (rc == 0 && target.id == u->id && role == COLLECTION_MEMBER && theirs >= COLLECTION_MEMBER) {
		store_tx_rollback(st); /* joining what one is in already: nothing to do */
		return 0;
	}
	if (rc == 0 && target.id == u->id && role == COLLECTION_MEMBER && theirs == COLLECTION_NOBODY &&
	    archive_collection_blocks(st, a, c.id, u->id, &rc)) {
		rc = rc ? rc : Q_EPERM;
		*why = "You cannot join this collection.";
	}
	if (rc == 0) {
		bool self = target.id == u->id;
		if (collection_can_own(mine))
			; /* owners set any role */
		else if (collection_can_moderate(mine) && theirs <= COLLECTION_MEMBER && role <= COLLECTION_MEMBER)
			; /* moderators add and remove members */
		else if (self && role == COLLECTION_NOBODY)
			; /* anyone leaves */
		else if (self && role == COLLECTION_MEMBER && theirs == COLLECTION_NOBODY && !c.closed)
			; /* anyone joins an open collection */
		else {
			rc = Q_EPERM;
			*why = collection_can_moderate(mine) ? "Only the collection's owners can change its moderators and owners."
			                                     : "Only the collection's moderators can change who is in it.";
		}
	}
	if (rc == 0 && theirs != role) {
		rc = store_collection_member_set(st, c.id, target.id, role);
		if (rc == Q_EINVAL)
			*why = "A collection needs an owner: make someone else an owner first.";
	}
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_ENOTFOUND ? "There is no such collection." : rc == Q_EPERM ? "You may not do that here."
		                                                         : "The collection could not be changed.";
	return rc;
}

/* The state of the work in collection c, if any: its item. */
static int find_item(struct store *st, struct arena *a, int64_t work_id, int64_t collection_id,
                     struct collection_item *out)
{
	struct collection_item *items;
	size_t n;
	int rc = store_collection_items_of_work(st, a, work_id, &items, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (items[i].collection_id == collection_id) {
			*out = items[i];
			return 0;
		}
	return rc ? rc : Q_ENOTFOUND;
}

int archive_collection_add_work(struct store *st, struct arena *a, const struct user *u, const char *name,
                                int64_t work_id, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct work w;
	int role;
	rc = archive_collection_load(st, a, u, name, &c, &role);
	if (rc == 0)
		rc = archive_work_load(st, a, u, work_id, false, &w);
	if (rc == Q_ENOTFOUND)
		*why = "There is no such collection or work.";
	bool creator = rc == 0 && work_is_creator(&w, u), moderator = collection_can_moderate(role);
	if (rc == 0 && !creator && !moderator) {
		rc = Q_EPERM;
		*why = "Only a work's creators, or the collection's moderators, can add a work to a collection.";
	}
	if (rc == 0 && creator && c.closed && !moderator) {
		rc = Q_EPERM;
		*why = "This collection is closed: it takes no new works.";
	}
	if (rc == 0 && w.draft) {
		rc = Q_EINVAL;
		*why = "Post the work first: drafts are not added to collections.";
	}
	struct collection_item old;
	int have = rc == 0 ? find_item(st, a, work_id, c.id, &old) : Q_ENOTFOUND;
	if (rc == 0 && have != Q_ENOTFOUND && have != 0)
		rc = have;
	if (rc == 0) {
		int by_creator = creator ? 1 : have == 0 ? old.by_creator : 0;
		int by_collection = moderator ? 1 : c.moderated ? (have == 0 ? old.by_collection : 0) : 1;
		if (have == 0 && old.by_collection == -1 && !moderator) {
			rc = Q_EPERM;
			*why = "The collection's moderators declined this work.";
		} else
			rc = store_collection_item_set(st, c.id, work_id, by_collection, by_creator, u->id);
	}
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The work could not be added.";
	return rc;
}

int archive_collection_item_decide(struct store *st, struct arena *a, const struct user *u, const char *name,
                                   int64_t work_id, const char *action, const char **why)
{
	*why = NULL;
	if (!u)
		return Q_EPERM;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	struct collection_item it;
	struct work w;
	int role;
	rc = archive_collection_load(st, a, u, name, &c, &role);
	if (rc == 0)
		rc = find_item(st, a, work_id, c.id, &it);
	/* Moderators decide on works they may not see (unrevealed ones are theirs to see anyway). */
	if (rc == 0)
		rc = store_work_get(st, a, work_id, &w);
	if (rc == Q_ENOTFOUND)
		*why = "That work is not in this collection.";
	bool creator = rc == 0 && work_is_creator(&w, u), moderator = collection_can_moderate(role);
	if (rc == 0) {
		action = action ? action : "";
		if (!strcmp(action, "remove") && (creator || moderator))
			rc = store_collection_item_delete(st, c.id, work_id);
		else if ((!strcmp(action, "approve") || !strcmp(action, "reject")) && moderator)
			rc = store_collection_item_set(st, c.id, work_id, !strcmp(action, "approve") ? 1 : -1, it.by_creator,
			                               it.added_by);
		else if ((!strcmp(action, "accept") || !strcmp(action, "decline")) && creator)
			rc = store_collection_item_set(st, c.id, work_id, it.by_collection, !strcmp(action, "accept") ? 1 : -1,
			                               it.added_by);
		else if (!strcmp(action, "remove") || !strcmp(action, "approve") || !strcmp(action, "reject") ||
		         !strcmp(action, "accept") || !strcmp(action, "decline")) {
			rc = Q_EPERM;
			*why = "Moderators approve and reject works; a work's creators accept or decline invitations.";
		} else {
			rc = Q_EINVAL;
			*why = "Choose approve, reject, accept, decline or remove.";
		}
	}
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = "The collection could not be changed.";
	return rc;
}

int archive_collection_reveal(struct store *st, struct arena *a, const struct user *u, const char *name, bool works,
                              bool creators, const char **why)
{
	*why = NULL;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	struct collection c;
	int role;
	rc = archive_collection_load(st, a, u, name, &c, &role);
	if (rc == 0 && !collection_can_moderate(role)) {
		rc = Q_EPERM;
		*why = "Only the collection's moderators reveal its works.";
	}
	if (rc == 0)
		rc = store_collection_reveal(st, c.id, works, creators);
	rc = archive_tx_end(st, rc);
	if (rc && !*why)
		*why = rc == Q_ENOTFOUND ? "There is no such collection." : "The collection could not be revealed.";
	return rc;
}

int archive_collections_reveal_due(struct store *st, int64_t now, size_t *revealed)
{
	struct arena *a = arena_new();
	int64_t *ids;
	size_t n = 0;
	*revealed = 0;
	int rc = store_collection_reveal_due(st, a, now, &ids, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct collection c;
		rc = store_collection_get(st, a, ids[i], NULL, &c);
		if (rc == Q_ENOTFOUND) {
			rc = 0;
			continue;
		}
		bool works = c.unrevealed && c.reveal_at > 0 && c.reveal_at <= now;
		bool creators = c.anonymous && c.reveal_creators_at > 0 && c.reveal_creators_at <= now;
		if (rc == 0 && (works || creators)) {
			rc = store_collection_reveal(st, c.id, works, creators);
			*revealed += rc == 0;
		}
	}
	arena_free(a);
	return rc;
}

bool archive_moderates_work(struct store *st, struct arena *a, const struct user *u, int64_t work_id)
{
	struct collection_item *items;
	size_t n;
	if (!u || store_collection_items_of_work(st, a, work_id, &items, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		int role = COLLECTION_NOBODY;
		if (items[i].collection_unrevealed && items[i].by_creator == 1 &&
		    store_collection_member_role(st, items[i].collection_id, u->id, &role) == 0 && collection_can_moderate(role))
			return true;
	}
	return false;
}

static int64_t reveal_round(void *arg, const struct job_round *r)
{
	static int interval = -1;
	if (interval < 0) {
		const char *env = getenv("QUIRE_REVEAL_CHECK_SECONDS");
		interval = env && atoi(env) > 0 ? atoi(env) : REVEAL_CHECK_SECONDS;
	}
	size_t n = 0;
	if (archive_collections_reveal_due(arg, (int64_t)time(NULL), &n) != 0)
		log_warn("%s: the collections due could not be revealed; trying again later", r->name);
	else if (n)
		log_info("%s: %zu collection%s revealed on schedule", r->name, n, n == 1 ? "" : "s");
	return (int64_t)interval * 1000;
}

int archive_reveal_jobs_add(struct store *st, struct jobs *j)
{
	return jobs_add(j, &(struct job_spec){.name = "reveals", .round = reveal_round, .arg = st, .exclusive = true})
	               ? 0
	               : Q_ERR;
}

/* ---- Works on forms: collections and gifts ---------------------------------------------------------------- */

int archive_collections_resolve(struct store *st, struct arena *a, const struct user *u, const struct strlist *names,
                                struct collection **out, size_t *n, bool *anonymous, bool *unrevealed,
                                struct field_errors *e)
{
	*out = arena_calloc(a, names->n + 1, sizeof **out);
	*n = 0;
	*anonymous = *unrevealed = false;
	if (names->n > COLLECTIONS_PER_WORK_MAX) {
		field_error(e, "collections", arena_printf(a, "A work can be in at most %d collections.",
		                                           COLLECTIONS_PER_WORK_MAX));
		return 0;
	}
	struct archive_set *seen = archive_set_new(a, names->n);
	for (size_t i = 0; i < names->n; i++) {
		const char *name = archive_trim(a, names->items[i]);
		if (!*name || !archive_set_add_str(seen, name))
			continue;
		struct collection c;
		int role;
		int rc = archive_collection_load(st, a, u, name, &c, &role);
		if (rc == Q_ENOTFOUND) {
			field_error(e, "collections", arena_printf(a, "There is no collection named %s.", archive_quote(a, name)));
			continue;
		}
		if (rc)
			return rc;
		if (c.closed && !collection_can_moderate(role)) {
			field_error(e, "collections", arena_printf(a, "The collection %s is closed: it takes no new works.",
			                                           archive_quote(a, c.title)));
			continue;
		}
		*anonymous |= c.anonymous;
		*unrevealed |= c.unrevealed;
		(*out)[(*n)++] = c;
	}
	return 0;
}

int archive_collections_apply(struct store *st, struct arena *a, const struct user *u, int64_t work_id,
                              const struct collection *cols, size_t n, bool replace)
{
	struct collection_item *items = NULL;
	size_t nitems = 0;
	int rc = store_collection_items_of_work(st, a, work_id, &items, &nitems);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int role = COLLECTION_NOBODY;
		rc = store_collection_member_role(st, cols[i].id, u->id, &role);
		const struct collection_item *old = NULL;
		for (size_t k = 0; k < nitems; k++)
			if (items[k].collection_id == cols[i].id)
				old = &items[k];
		int by_collection = collection_can_moderate(role) || !cols[i].moderated ? 1 : old ? old->by_collection : 0;
		if (old && old->by_collection == -1 && !collection_can_moderate(role))
			by_collection = -1; /* declined stays declined */
		if (rc == 0 && (!old || old->by_creator != 1 || old->by_collection != by_collection))
			rc = store_collection_item_set(st, cols[i].id, work_id, by_collection, 1, u->id);
	}
	for (size_t k = 0; replace && rc == 0 && k < nitems; k++) {
		bool kept = false;
		for (size_t i = 0; i < n; i++)
			kept |= cols[i].id == items[k].collection_id;
		/* The creator's own placements leave with the name; invitations wait on the collections page. */
		if (!kept && items[k].by_creator == 1)
			rc = store_collection_item_delete(st, items[k].collection_id, work_id);
	}
	return rc;
}

int archive_gifts_resolve(struct store *st, struct arena *a, const struct user *u, const struct strlist *names,
                          struct gift **out, size_t *n, struct field_errors *e)
{
	*out = arena_calloc(a, names->n + 1, sizeof **out);
	*n = 0;
	if (names->n > GIFTS_PER_WORK_MAX) {
		field_error(e, "gifts", arena_printf(a, "A work can be a gift for at most %d people.", GIFTS_PER_WORK_MAX));
		return 0;
	}
	struct archive_set *seen = archive_set_new(a, names->n);
	for (size_t i = 0; i < names->n; i++) {
		const char *name = archive_clean_line(a, names->items[i]);
		if (!archive_check_text(a, e, "gifts", "Gift recipients", name, GIFT_NAME_MAX))
			continue;
		if (!*name || archive_text_invisible(name, strlen(name)) || !archive_set_add_str(seen, name))
			continue;
		struct user x;
		int rc = store_user_get_by_name(st, a, name, &x);
		if (rc && rc != Q_ENOTFOUND)
			return rc;
		struct gift *g = &(*out)[(*n)++];
		memset(g, 0, sizeof *g);
		if (rc == 0 && strcmp(x.role, "orphan") != 0) {
			/* As on AO3, nobody gives gifts to someone who blocked them. */
			int by = BLOCKED_BY_NOBODY;
			rc = u ? store_user_blocked_by(st, u->id, 0, x.id, &by) : 0;
			if (rc)
				return rc;
			if (by != BLOCKED_BY_NOBODY) {
				field_error(e, "gifts", arena_printf(a, "%s does not accept gifts from you.", archive_quote(a, x.name)));
				(*n)--;
				continue;
			}
			g->user_id = x.id;
			g->name = x.name;
		} else {
			g->name = name;
		}
	}
	return 0;
}

int archive_gift_refuse(struct store *st, const struct user *u, int64_t gift_id, bool refused)
{
	if (!u)
		return Q_EPERM;
	if (gift_id <= 0)
		return Q_ENOTFOUND;
	int rc = store_tx_begin(st);
	if (rc)
		return rc;
	return archive_tx_end(st, store_gift_refuse(st, gift_id, u->id, refused));
}
