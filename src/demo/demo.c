/* Loads the embedded demo archive (authors, works, chapters) into an empty store on first start, through
 * the archive layer's workflows: the demo follows every rule a person posting the same works would. */
#include "demo/demo.h"
#include "archive/account.h"
#include "archive/chapter.h"
#include "archive/work.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/assets.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct demo_user {
	const char *name, *email;
	struct user u; /* id and name, once created */
};

/* One work as a person would submit it. */
struct demo_work {
	struct work_input in;       /* in.coauthors names the co-creators after the owner */
	struct chapter_input *chapters;
	size_t nchapters;
	size_t owner;               /* index into demo.users */
	size_t *cocreators;         /* indexes into demo.users: they accept their invitations */
	size_t ncocreators;
	int64_t days_ago;           /* only orders the works */
};

struct demo {
	struct arena *a;
	struct demo_user *users;
	size_t nusers;
	struct demo_work *works;
	size_t nworks;
};

/* ---- Parsing: everything is read and checked against the rules before the first write ---- */

/* The string at key copied into the arena; NULL when missing, null or not a string. */
static const char *opt_str(struct demo *d, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? arena_strdup(d->a, json_string_value(v)) : NULL;
}

static int req_str(struct demo *d, json_t *obj, const char *key, const char *what, const char **out)
{
	*out = opt_str(d, obj, key);
	if (!*out || !**out) {
		log_error("demo: %s has no \"%s\"", what, key);
		return Q_EINVAL;
	}
	return 0;
}

/* An array of non-empty strings at key (missing = empty list), copied into the arena. */
static int get_strlist(struct demo *d, json_t *obj, const char *key, const char *what, struct strlist *out)
{
	json_t *arr = json_object_get(obj, key);
	out->items = NULL;
	out->n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		log_error("demo: %s: \"%s\" is not an array", what, key);
		return Q_EINVAL;
	}
	size_t n = json_array_size(arr);
	out->items = arena_calloc(d->a, n ? n : 1, sizeof *out->items);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (!s || !*s) {
			log_error("demo: %s: \"%s\" holds a non-string or empty tag", what, key);
			return Q_EINVAL;
		}
		out->items[out->n++] = arena_strdup(d->a, s);
	}
	return 0;
}

static int parse_users(struct demo *d, json_t *users)
{
	int rc;
	if (!json_is_array(users) || json_array_size(users) == 0) {
		log_error("demo: \"users\" is missing or empty");
		return Q_EINVAL;
	}
	d->users = arena_calloc(d->a, json_array_size(users), sizeof *d->users);
	for (size_t i = 0; i < json_array_size(users); i++) {
		json_t *u = json_array_get(users, i);
		struct demo_user *du = &d->users[d->nusers++];
		if ((rc = req_str(d, u, "name", "a user", &du->name)) < 0 ||
		    (rc = req_str(d, u, "email", "a user", &du->email)) < 0)
			return rc;
		const char *p = account_name_problem(du->name);
		if (!p)
			p = account_email_problem(du->email);
		if (p) {
			log_error("demo: user %s: %s", du->name, p);
			return Q_EINVAL;
		}
	}
	return 0;
}

static int parse_chapter(struct demo *d, json_t *jc, const char *what, struct chapter_input *ch)
{
	int rc;
	memset(ch, 0, sizeof *ch);
	if (!json_is_object(jc)) {
		log_error("demo: %s is not an object", what);
		return Q_EINVAL;
	}
	if ((rc = req_str(d, jc, "content", what, &ch->content)) < 0)
		return rc;
	ch->format = opt_str(d, jc, "format");
	if (!ch->format)
		ch->format = "text";
	ch->title = opt_str(d, jc, "title");
	ch->summary = opt_str(d, jc, "summary");
	ch->notes = opt_str(d, jc, "notes");
	ch->end_notes = opt_str(d, jc, "end_notes");
	return 0;
}

/* Title, tags, work-level text and series of one work. */
static int parse_meta(struct demo *d, json_t *jw, const char *what, struct work_input *in)
{
	int rc;
	memset(in, 0, sizeof *in);
	if ((rc = req_str(d, jw, "title", what, &in->title)) < 0 || (rc = req_str(d, jw, "rating", what, &in->rating)) < 0)
		return rc;
	in->language = opt_str(d, jw, "language");
	in->summary = opt_str(d, jw, "summary");
	in->notes = opt_str(d, jw, "notes");
	in->end_notes = opt_str(d, jw, "end_notes");
	for (int t = TAG_WARNING; t < TAG_TYPE_COUNT; t++)
		if ((rc = get_strlist(d, jw, tag_type_key(t), what, &in->tags[t])) < 0)
			return rc;
	json_t *exp = json_object_get(jw, "expected_chapters");
	if (json_is_integer(exp))
		in->expected_chapters = json_integer_value(exp) > 0 && json_integer_value(exp) < 10000
		                                ? (int)json_integer_value(exp) : -1;
	in->complete = json_is_true(json_object_get(jw, "complete"));
	json_t *series = json_object_get(jw, "series");
	if (json_is_object(series)) {
		json_t *pos = json_object_get(series, "position");
		if ((rc = req_str(d, series, "title", what, &in->series_title)) < 0)
			return rc;
		if (!json_is_integer(pos) || json_integer_value(pos) < 1 || json_integer_value(pos) > 10000) {
			log_error("demo: %s: bad series position", what);
			return Q_EINVAL;
		}
		in->series_position = (int)json_integer_value(pos);
	}
	return 0;
}

static int find_user(const struct demo *d, const char *name, size_t *index)
{
	for (size_t i = 0; name && i < d->nusers; i++) {
		if (strcmp(d->users[i].name, name) == 0) {
			*index = i;
			return 0;
		}
	}
	return Q_ENOTFOUND;
}

/* Runs the work and chapter rules on a parsed work (no store), logging what they refuse. */
static int check_work(struct demo *d, const char *what, const struct demo_work *dw)
{
	struct field_errors e = {0};
	struct work w = {0};
	struct chapter c = {0};
	work_rules_build(d->a, &dw->in, &w, &e);
	for (size_t i = 0; i < dw->nchapters; i++) {
		memset(&c, 0, sizeof c);
		chapter_rules_build(d->a, &dw->chapters[i], arena_printf(d->a, "chapter %zu: ", i + 1), &c, &e);
	}
	for (size_t i = 0; i < e.n; i++)
		log_error("demo: %s: %s: %s", what, e.items[i].field, e.items[i].message);
	return e.n ? Q_EINVAL : 0;
}

static int parse_work(struct demo *d, json_t *jw, size_t index, struct demo_work *dw)
{
	const char *what = arena_printf(d->a, "work %zu", index + 1);
	int rc;
	if (!json_is_object(jw)) {
		log_error("demo: %s is not an object", what);
		return Q_EINVAL;
	}
	json_t *creators = json_object_get(jw, "creators");
	json_t *chapters = json_object_get(jw, "chapters");
	if (!json_is_array(creators) || json_array_size(creators) == 0 || !json_is_array(chapters) ||
	    json_array_size(chapters) == 0) {
		log_error("demo: %s needs creators and chapters", what);
		return Q_EINVAL;
	}
	if ((rc = parse_meta(d, jw, what, &dw->in)) < 0)
		return rc;
	size_t ncreators = json_array_size(creators);
	dw->cocreators = arena_calloc(d->a, ncreators, sizeof *dw->cocreators);
	dw->in.coauthors.items = arena_calloc(d->a, ncreators, sizeof *dw->in.coauthors.items);
	for (size_t i = 0; i < ncreators; i++) {
		const char *name = json_string_value(json_array_get(creators, i));
		size_t k;
		if (find_user(d, name, &k) < 0) {
			log_error("demo: %s: creator %s is not a demo user", what, name ? name : "(not a string)");
			return Q_EINVAL;
		}
		if (i == 0) {
			dw->owner = k;
		} else {
			dw->cocreators[dw->ncocreators++] = k;
			dw->in.coauthors.items[dw->in.coauthors.n++] = d->users[k].name;
		}
	}
	dw->nchapters = json_array_size(chapters);
	dw->chapters = arena_calloc(d->a, dw->nchapters, sizeof *dw->chapters);
	for (size_t i = 0; i < dw->nchapters; i++) {
		const char *cwhat = arena_printf(d->a, "%s chapter %zu", what, i + 1);
		if ((rc = parse_chapter(d, json_array_get(chapters, i), cwhat, &dw->chapters[i])) < 0)
			return rc;
	}
	json_t *days = json_object_get(jw, "days_ago");
	if (json_is_integer(days) && json_integer_value(days) > 0)
		dw->days_ago = json_integer_value(days);
	return check_work(d, what, dw);
}

static int parse_demo(struct demo *d, json_t *root)
{
	int rc;
	json_t *works = json_object_get(root, "works");
	if (!json_is_array(works)) {
		log_error("demo: \"works\" is missing");
		rc = Q_EINVAL;
		goto done;
	}
	if ((rc = parse_users(d, json_object_get(root, "users"))) < 0)
		goto done;
	/* Kept oldest first (a stable insertion sort; the list is short): the store stamps each write
	 * with the current time and lists the newest first, so creation order is what shows "days_ago". */
	d->works = arena_calloc(d->a, json_array_size(works) + 1, sizeof *d->works);
	for (size_t i = 0; i < json_array_size(works); i++) {
		struct demo_work dw = {0};
		if ((rc = parse_work(d, json_array_get(works, i), i, &dw)) < 0)
			goto done;
		size_t j = d->nworks++;
		for (; j > 0 && d->works[j - 1].days_ago < dw.days_ago; j--)
			d->works[j] = d->works[j - 1];
		d->works[j] = dw;
	}
done:
	return rc;
}

/* ---- Writing ------------------------------------------------------------------------------ */

/* True when the archive is as a fresh install leaves it: no account but the orphan_account and no
 * work at all, neither visible to a signed-in reader nor a draft left on the orphan_account. */
static int store_is_bare(struct store *st, struct arena *a, bool *bare)
{
	struct user orphan;
	struct work_page page;
	int64_t nusers, viewer = 0;
	int rc;

	*bare = false;
	/* store_user_count leaves the orphan_account out (the SQLite store counts role != 'orphan'),
	 * so any account at all means a real person: never seed beside one. */
	if ((rc = store_user_count(st, &nusers)) < 0)
		return rc;
	if (nusers > 0)
		return 0;
	rc = store_user_get_by_name(st, a, "orphan_account", &orphan);
	if (rc == 0)
		viewer = orphan.id;
	else if (rc != Q_ENOTFOUND)
		return rc;

	/* A signed-in viewer also sees restricted works. */
	struct work_query any = {.viewer_id = viewer, .limit = 1};
	if ((rc = store_work_list(st, a, &any, &page)) < 0)
		return rc;
	if (page.total > 0)
		return 0;
	if (viewer) {
		struct work_query drafts = {.creator_id = viewer, .viewer_id = viewer, .include_drafts = true,
		                            .limit = 1};
		if ((rc = store_work_list(st, a, &drafts, &page)) < 0)
			return rc;
		if (page.total > 0)
			return 0;
	}
	*bare = true;
	return 0;
}

static void log_errors(const char *what, const struct field_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		log_error("demo: %s: %s: %s", what, e->items[i].field, e->items[i].message);
}

static int create_users(struct demo *d, struct store *st)
{
	char password[TOKEN_HEX_LEN + 1];
	int rc = 0;
	for (size_t i = 0; i < d->nusers && rc == 0; i++) {
		struct demo_user *u = &d->users[i];
		struct field_errors e = {0};
		/* The password is never shown or kept: the account exists only to own its works. */
		token_new(password);
		rc = archive_account_signup(st, d->a, u->name, u->email, password, NULL, "user", &u->u.id, &e);
		u->u.name = u->name;
		u->u.role = "user";
		if (rc != 0) {
			log_errors(u->name, &e);
			log_error("demo: cannot create user %s: %s", u->name, err_str(rc));
		}
	}
	explicit_bzero(password, sizeof password);
	return rc;
}

static int create_work(struct demo *d, struct store *st, struct demo_work *dw, struct demo_posted *posted)
{
	const struct user *owner = &d->users[dw->owner].u;
	const char *title = dw->in.title;
	struct field_errors e = {0};
	struct archive_result res;
	int rc = archive_work_post(st, d->a, owner, &dw->in, &dw->chapters[0], false, &res, &e);
	int64_t work_id = res.work.id;
	*posted = (struct demo_posted){title, work_id};
	for (size_t i = 1; rc == 0 && i < dw->nchapters; i++)
		rc = archive_chapter_add(st, d->a, owner, work_id, &dw->chapters[i], false, &res, &e);
	/* Co-creators accept the invitation the work sent them, as a real co-author does. */
	for (size_t i = 0; rc == 0 && i < dw->ncocreators; i++)
		if (dw->cocreators[i] != dw->owner)
			rc = archive_invite_accept(st, &d->users[dw->cocreators[i]].u, work_id);
	if (rc != 0) {
		log_errors(title, &e);
		log_error("demo: cannot store \"%s\": %s", title, err_str(rc));
	}
	return rc;
}

int demo_seed(struct store *st)
{
	struct demo d = {.a = arena_new()};
	json_t *root = NULL;
	bool bare;
	int rc;

	if ((rc = store_is_bare(st, d.a, &bare)) < 0) {
		log_error("demo: cannot check for existing accounts and works: %s", err_str(rc));
		goto done;
	}
	if (!bare)
		goto done;

	const struct asset *as = asset_find(DEMO_ASSET);
	if (!as) {
		log_error("demo: %s is not embedded", DEMO_ASSET);
		rc = Q_ERR;
		goto done;
	}
	/* Read once: the works, then the wrangling and the readers' response, come from this one file. */
	json_error_t jerr;
	if (!(root = json_loadb(as->data, as->len, JSON_REJECT_DUPLICATES, &jerr))) {
		log_error("demo: %s:%d: %s", DEMO_ASSET, jerr.line, jerr.text);
		rc = Q_EINVAL;
		goto done;
	}
	if ((rc = parse_demo(&d, root)) < 0 || (rc = create_users(&d, st)) < 0)
		goto done;
	struct demo_posted *posted = arena_calloc(d.a, d.nworks ? d.nworks : 1, sizeof *posted);
	for (size_t i = 0; i < d.nworks; i++)
		if ((rc = create_work(&d, st, &d.works[i], &posted[i])) < 0)
			goto done;
	demo_wrangle(st, root);
	struct user *users = arena_calloc(d.a, d.nusers, sizeof *users);
	for (size_t i = 0; i < d.nusers; i++)
		users[i] = d.users[i].u;
	demo_respond(st, root, posted, d.nworks, users, d.nusers);
	log_info("demo: added %zu works by %zu demo authors", d.nworks, d.nusers);
done:
	json_decref(root);
	arena_free(d.a);
	return rc;
}
