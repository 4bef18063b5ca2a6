/* Loads the embedded demo archive (authors, works, chapters) into an empty store on first start. */
#include "demo/demo.h"
#include "auth/password.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/assets.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "html/format.h"
#include "html/sanitize.h"
#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define DEMO_ASSET "src/demo/demo.json"

struct demo_user {
	const char *name, *email;
	int64_t id; /* set once created */
};

/* One work, parsed and rendered, ready to hand to the store. */
struct demo_work {
	struct work w;
	struct chapter *chapters;
	size_t nchapters;
	size_t *creators; /* indexes into demo.users; the first is the owner */
	size_t ncreators;
	int64_t days_ago; /* only orders the works */
};

struct demo {
	struct arena *a;
	struct buf scratch; /* reused for every rendering; results are copied into the arena */
	struct demo_user *users;
	size_t nusers;
	struct demo_work *works;
	size_t nworks;
};

/* ---- Parsing: everything is read and rendered before the first write ---------------------- */

/* The string at key; NULL when missing, null or not a string. */
static const char *opt_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int req_str(json_t *obj, const char *key, const char *what, const char **out)
{
	*out = opt_str(obj, key);
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

/* Renders src in format f to safe HTML; both strings live in the arena. Empty stays empty so no
 * stray empty paragraph is stored. */
static int render(struct demo *d, enum text_format f, const char *src, const char *what, struct text *out)
{
	out->src = "";
	out->html = "";
	if (!src || !*src)
		return 0;
	buf_reset(&d->scratch);
	int rc = format_render(f, src, strlen(src), &d->scratch);
	if (rc < 0) {
		log_error("demo: %s: cannot render: %s", what, err_str(rc));
		return rc;
	}
	out->src = arena_strdup(d->a, src);
	out->html = arena_strndup(d->a, buf_cstr(&d->scratch), d->scratch.len);
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
		if ((rc = req_str(u, "name", "a user", &du->name)) < 0 ||
		    (rc = req_str(u, "email", "a user", &du->email)) < 0)
			return rc;
		du->name = arena_strdup(d->a, du->name);
		du->email = arena_strdup(d->a, du->email);
	}
	return 0;
}

static int parse_chapter(struct demo *d, json_t *jc, const char *what, struct chapter *ch)
{
	const char *content, *fmt_name;
	enum text_format f;
	struct text body;
	int rc;

	memset(ch, 0, sizeof *ch);
	if (!json_is_object(jc)) {
		log_error("demo: %s is not an object", what);
		return Q_EINVAL;
	}
	if ((rc = req_str(jc, "content", what, &content)) < 0)
		return rc;
	fmt_name = opt_str(jc, "format");
	if (!fmt_name)
		fmt_name = "text";
	if ((rc = format_parse(fmt_name, &f)) < 0) {
		log_error("demo: %s: unknown format \"%s\"", what, fmt_name);
		return rc;
	}
	const char *title = opt_str(jc, "title");
	ch->title = arena_strdup(d->a, title ? title : "");
	if ((rc = render(d, FORMAT_HTML, opt_str(jc, "summary"), what, &ch->summary)) < 0 ||
	    (rc = render(d, FORMAT_HTML, opt_str(jc, "notes"), what, &ch->notes)) < 0 ||
	    (rc = render(d, FORMAT_HTML, opt_str(jc, "end_notes"), what, &ch->end_notes)) < 0 ||
	    (rc = render(d, f, content, what, &body)) < 0)
		return rc;
	ch->content = body.src;
	ch->content_format = format_name(f);
	ch->content_html = body.html;
	ch->word_count = (int64_t)format_html_word_count(body.html, strlen(body.html));
	ch->sanitizer_version = SANITIZER_VERSION;
	return 0;
}

/* Title, tags, work-level text and series of one work. */
static int parse_meta(struct demo *d, json_t *jw, const char *what, struct work *w)
{
	static const char *const tag_keys[TAG_TYPE_COUNT] = {
		[TAG_WARNING] = "warnings", [TAG_CATEGORY] = "categories", [TAG_FANDOM] = "fandoms",
		[TAG_RELATIONSHIP] = "relationships", [TAG_CHARACTER] = "characters",
		[TAG_FREEFORM] = "freeforms",
	};
	const char *title, *rating, *language;
	int rc;

	memset(w, 0, sizeof *w);
	if ((rc = req_str(jw, "title", what, &title)) < 0 || (rc = req_str(jw, "rating", what, &rating)) < 0)
		return rc;
	w->title = arena_strdup(d->a, title);
	language = opt_str(jw, "language");
	w->language = arena_strdup(d->a, language && *language ? language : "English");

	w->tags[TAG_RATING].items = arena_calloc(d->a, 1, sizeof(char *));
	w->tags[TAG_RATING].items[0] = arena_strdup(d->a, rating);
	w->tags[TAG_RATING].n = 1;
	for (int t = TAG_WARNING; t < TAG_TYPE_COUNT; t++)
		if ((rc = get_strlist(d, jw, tag_keys[t], what, &w->tags[t])) < 0)
			return rc;
	if (w->tags[TAG_FANDOM].n == 0) {
		log_error("demo: %s has no fandom", what);
		return Q_EINVAL;
	}

	if ((rc = render(d, FORMAT_HTML, opt_str(jw, "summary"), what, &w->summary)) < 0 ||
	    (rc = render(d, FORMAT_HTML, opt_str(jw, "notes"), what, &w->notes)) < 0 ||
	    (rc = render(d, FORMAT_HTML, opt_str(jw, "end_notes"), what, &w->end_notes)) < 0)
		return rc;

	json_t *exp = json_object_get(jw, "expected_chapters");
	if (json_is_integer(exp) && json_integer_value(exp) > 0 && json_integer_value(exp) < 10000)
		w->expected_chapters = (int)json_integer_value(exp);
	w->complete = json_is_true(json_object_get(jw, "complete"));

	json_t *series = json_object_get(jw, "series");
	if (json_is_object(series)) {
		const char *stitle;
		json_t *pos = json_object_get(series, "position");
		if ((rc = req_str(series, "title", what, &stitle)) < 0)
			return rc;
		if (!json_is_integer(pos) || json_integer_value(pos) < 1 || json_integer_value(pos) > 10000) {
			log_error("demo: %s: bad series position", what);
			return Q_EINVAL;
		}
		w->series_title = arena_strdup(d->a, stitle);
		w->series_position = (int)json_integer_value(pos);
	}
	w->sanitizer_version = SANITIZER_VERSION;
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
	dw->ncreators = json_array_size(creators);
	dw->creators = arena_calloc(d->a, dw->ncreators, sizeof *dw->creators);
	for (size_t i = 0; i < dw->ncreators; i++) {
		const char *name = json_string_value(json_array_get(creators, i));
		if (find_user(d, name, &dw->creators[i]) < 0) {
			log_error("demo: %s: creator %s is not a demo user", what, name ? name : "(not a string)");
			return Q_EINVAL;
		}
	}

	if ((rc = parse_meta(d, jw, what, &dw->w)) < 0)
		return rc;

	dw->nchapters = json_array_size(chapters);
	dw->chapters = arena_calloc(d->a, dw->nchapters, sizeof *dw->chapters);
	for (size_t i = 0; i < dw->nchapters; i++) {
		const char *cwhat = arena_printf(d->a, "%s chapter %zu", what, i + 1);
		if ((rc = parse_chapter(d, json_array_get(chapters, i), cwhat, &dw->chapters[i])) < 0)
			return rc;
		dw->chapters[i].position = (int)i + 1;
	}

	json_t *days = json_object_get(jw, "days_ago");
	if (json_is_integer(days) && json_integer_value(days) > 0)
		dw->days_ago = json_integer_value(days);
	return 0;
}

static int parse_demo(struct demo *d, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	int rc;

	if (!root) {
		log_error("demo: %s:%d: %s", DEMO_ASSET, jerr.line, jerr.text);
		return Q_EINVAL;
	}
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
	json_decref(root);
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

static int create_users(struct demo *d, struct store *st)
{
	char token[TOKEN_HEX_LEN + 1];
	char hash[PASSWORD_HASH_MAX];
	int rc = 0;

	for (size_t i = 0; i < d->nusers; i++) {
		struct demo_user *u = &d->users[i];
		/* The password is never shown or kept: the account exists only to own its works. */
		token_new(token);
		if ((rc = password_hash(token, TOKEN_HEX_LEN, hash)) < 0) {
			log_error("demo: cannot hash a password for %s: %s", u->name, err_str(rc));
			goto done;
		}
		if ((rc = store_user_create(st, u->name, u->email, hash, "user", &u->id)) < 0) {
			log_error("demo: cannot create user %s: %s", u->name, err_str(rc));
			goto done;
		}
	}
done:
	explicit_bzero(token, sizeof token);
	return rc;
}

static int create_work(struct demo *d, struct store *st, struct demo_work *dw)
{
	struct chapter *first = &dw->chapters[0];
	int64_t owner = d->users[dw->creators[0]].id, work_id, chapter_id;
	int rc;

	dw->w.word_count = first->word_count;
	dw->w.chapter_count = 1;
	if ((rc = store_work_create(st, &dw->w, first, owner, &work_id, &chapter_id)) < 0) {
		log_error("demo: cannot store \"%s\": %s", dw->w.title, err_str(rc));
		return rc;
	}
	for (size_t i = 1; i < dw->nchapters; i++) {
		dw->chapters[i].work_id = work_id;
		if ((rc = store_chapter_create(st, &dw->chapters[i], &chapter_id)) < 0) {
			log_error("demo: cannot store chapter %zu of \"%s\": %s", i + 1, dw->w.title, err_str(rc));
			return rc;
		}
	}
	/* Co-creators go through the same invitation a real co-author accepts. */
	for (size_t i = 1; i < dw->ncreators; i++) {
		int64_t uid = d->users[dw->creators[i]].id;
		if (uid == owner)
			continue;
		if ((rc = store_work_invite(st, work_id, uid)) < 0 ||
		    (rc = store_work_accept(st, work_id, uid)) < 0) {
			log_error("demo: cannot add %s as co-creator of \"%s\": %s", d->users[dw->creators[i]].name,
			          dw->w.title, err_str(rc));
			return rc;
		}
	}
	return 0;
}

int demo_seed(struct store *st)
{
	struct demo d = {.a = arena_new(), .scratch = BUF_INIT};
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
	if ((rc = parse_demo(&d, as->data, as->len)) < 0 || (rc = create_users(&d, st)) < 0)
		goto done;
	for (size_t i = 0; i < d.nworks; i++)
		if ((rc = create_work(&d, st, &d.works[i])) < 0)
			goto done;
	demo_wrangle(st);
	log_info("demo: added %zu works by %zu demo authors", d.nworks, d.nusers);
done:
	buf_free(&d.scratch);
	arena_free(d.a);
	return rc;
}
