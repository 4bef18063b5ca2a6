/* Tests for finding works: tag identity, wrangling, counts, listings with filters, facets and text search, and
 * the query plans of the statements listings use (indexes, never full scans); on SQLite, or on PostgreSQL with
 * QUIRE_TEST_STORE (ctest's unit-pg/test_store_find). */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/int.h"
#include "store/listing_plan.h"
#include "core/jobs.h"
#include "store/store.h"
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/quire-find-XXXXXX";
static char path[256];
static const char *url; /* the store: sqlite:PATH or a PostgreSQL URL */
static struct store *S;
static struct arena *A;
static int64_t U1, U2;

/* ---- Building works ------------------------------------------------------------------------------ */

struct spec {
	const char *title;
	const char *rating;
	const char *warnings[3];
	const char *categories[3];
	const char *fandoms[3];
	const char *relationships[3];
	const char *characters[4];
	const char *freeforms[4];
	bool complete, restricted, draft;
	const char *language;
	const char *text;
	int64_t words;
};

static struct strlist list_of(const char *const *items, size_t max)
{
	size_t n = 0;
	while (n < max && items[n])
		n++;
	const char **copy = arena_calloc(A, n ? n : 1, sizeof *copy);
	for (size_t i = 0; i < n; i++)
		copy[i] = items[i];
	return (struct strlist){copy, n};
}

static int64_t post_as(int64_t owner, const struct spec *sp)
{
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = sp->title;
	w.summary = (struct text){"", ""};
	w.notes = (struct text){"", ""};
	w.end_notes = (struct text){"", ""};
	w.language = sp->language ? sp->language : "English";
	w.complete = sp->complete;
	w.restricted = sp->restricted;
	w.draft = sp->draft;
	const char *rating[1] = {sp->rating ? sp->rating : "General Audiences"};
	w.tags[TAG_RATING] = list_of(rating, 1);
	const char *nowarn[1] = {"No Archive Warnings Apply"};
	w.tags[TAG_WARNING] = sp->warnings[0] ? list_of(sp->warnings, 3) : list_of(nowarn, 1);
	w.tags[TAG_CATEGORY] = list_of(sp->categories, 3);
	w.tags[TAG_FANDOM] = list_of(sp->fandoms, 3);
	w.tags[TAG_RELATIONSHIP] = list_of(sp->relationships, 3);
	w.tags[TAG_CHARACTER] = list_of(sp->characters, 4);
	w.tags[TAG_FREEFORM] = list_of(sp->freeforms, 4);
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.title = "";
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	const char *text = sp->text ? sp->text : "Nothing much happens here.";
	c.content = text;
	c.content_format = "html";
	c.content_html = arena_printf(A, "<p>%s</p>", text);
	c.word_count = sp->words ? sp->words : 100;
	int64_t id = 0;
	CHECK(store_work_create(S, &w, &c, owner, &id, NULL) == 0);
	return id;
}

static int64_t post(const struct spec *sp)
{
	return post_as(U1, sp);
}

/* ---- Listing helpers ------------------------------------------------------------------------------- */

static struct listing_query query(void)
{
	struct listing_query q;
	memset(&q, 0, sizeof q);
	q.complete = -1;
	q.crossover = -1;
	q.page = 1;
	return q;
}

/* One include group per name (any type). */
static void include(struct listing_query *q, const char *const *names, size_t n)
{
	struct tag_group *g = arena_calloc(A, n, sizeof *g);
	for (size_t i = 0; i < n; i++) {
		struct tag_ref *r = arena_calloc(A, 1, sizeof *r);
		r->type = -1;
		r->name = names[i];
		g[i] = (struct tag_group){r, 1};
	}
	q->include = g;
	q->ninclude = n;
}

static void exclude(struct listing_query *q, const char *const *names, size_t n)
{
	struct tag_ref *r = arena_calloc(A, n, sizeof *r);
	for (size_t i = 0; i < n; i++)
		r[i] = (struct tag_ref){-1, names[i]};
	q->exclude = r;
	q->nexclude = n;
}

static struct listing_result find(const struct listing_query *q)
{
	struct listing_result r;
	int rc = store_work_find(S, A, q, &r);
	CHECK(rc == 0);
	if (rc)
		memset(&r, 0, sizeof r);
	return r;
}

static bool has_work(const struct listing_result *r, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].id == id)
			return true;
	return false;
}

static int64_t facet_count(const struct listing_result *r, const char *name)
{
	for (size_t i = 0; i < r->nfacets; i++)
		if (!strcmp(r->facets[i].name, name))
			return r->facets[i].count;
	return 0;
}

static struct tag tag_named(const char *name)
{
	struct tag *list;
	size_t n = 0;
	struct tag none;
	memset(&none, 0, sizeof none);
	if (store_tag_find(S, A, name, &list, &n) != 0 || n == 0)
		return none;
	return list[0];
}

/* ---- Query plans ----------------------------------------------------------------------------------- */

static char plans[16384];

/* Appends each traced statement's plan ("SEARCH f0 USING ...; SCAN w ...") to plans. */
static void trace(sqlite3_stmt *q)
{
	sqlite3 *db = sqlite3_db_handle(q);
	char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(q));
	sqlite3_stmt *e = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &e, NULL) == SQLITE_OK) {
		while (sqlite3_step(e) == SQLITE_ROW) {
			size_t len = strlen(plans);
			snprintf(plans + len, sizeof plans - len, "%s; ", (const char *)sqlite3_column_text(e, 3));
		}
	}
	sqlite3_finalize(e);
	sqlite3_free(sql);
	if (getenv("QUIRE_TEST_PLANS"))
		fprintf(stderr, "%s\n  => %s\n", sqlite3_sql(q), plans);
}

/* A full scan of works ("SCAN w" not followed by " USING") or of filter_taggings (any "SCAN f"). */
static bool scans_works(const char *p)
{
	if (strstr(p, "SCAN f ") || strstr(p, "SCAN f;") || strstr(p, "SCAN f0") || strstr(p, "SCAN filter_taggings"))
		return true;
	for (const char *s = strstr(p, "SCAN w"); s; s = strstr(s + 1, "SCAN w")) {
		char next = s[6];
		if (next == ';' || (next == ' ' && strncmp(s + 7, "USING", 5) != 0))
			return true;
	}
	return false;
}

/* ---- Tests ------------------------------------------------------------------------------------------- */

static void test_tag_identity(void)
{
	struct spec a = {.title = "One", .fandoms = {"École des Loups"}, .characters = {"Elliot\xc2\xa0" "Stabler"}};
	struct spec b = {.title = "Two", .fandoms = {"école des loups"}, .characters = {"Elliot Sta\xe2\x80\x8b" "bler"}};
	int64_t w1 = post(&a), w2 = post(&b);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM tags WHERE type = 3 AND norm = 'école des loups'") == 1);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM tags WHERE type = 5 AND norm = 'elliot stabler'") == 1);
	struct tag t = tag_named("ÉCOLE DES LOUPS");
	CHECK(t.id > 0);
	CHECK_STR(t.name, "École des Loups"); /* the first spelling stays */
	CHECK(t.works_count == 2 && t.public_count == 2);
	struct work w;
	CHECK(store_work_get(S, A, w2, &w) == 0);
	CHECK_STR(w.tags[TAG_FANDOM].items[0], "École des Loups");
	CHECK_STR(w.tags[TAG_CHARACTER].items[0], "Elliot\xc2\xa0" "Stabler");
	(void)w1;
	/* Fixed tags are canonical from the start; new user tags wait for wranglers. */
	CHECK(tag_named("General Audiences").canonical);
	CHECK(!t.canonical && !t.wrangled);
}

static void test_lookalikes(void)
{
	struct spec a = {.title = "Latin", .fandoms = {"Marvel"}, .characters = {"Natasha Romanoff"}};
	struct spec b = {.title = "Cyrillic", .fandoms = {"Marvel"}, .characters = {"N\xd0\xb0tasha Romanoff"}};
	post(&a);
	post(&b);
	struct tag *list;
	size_t n;
	CHECK(store_tag_find(S, A, "N\xd0\xb0tasha Romanoff", &list, &n) == 0 && n == 1);
	CHECK(n == 1 && list[0].lookalike);
	CHECK(tag_named("Natasha Romanoff").lookalike);
	CHECK(!tag_named("Olivia Benson").lookalike);
	struct tag_detail d;
	CHECK(store_tag_detail(S, A, tag_named("Natasha Romanoff").id, &d) == 0);
	CHECK(d.nlookalikes == 1 && !strcmp(d.lookalikes[0].name, "N\xd0\xb0tasha Romanoff"));
	/* The queue shows them under their fandom, with what they look like. */
	struct queue_fandom *qf;
	size_t nqf;
	CHECK(store_wrangling_fandoms(S, A, &qf, &nqf) == 0);
	int64_t marvel = 0;
	for (size_t i = 0; i < nqf; i++)
		if (qf[i].name && !strcmp(qf[i].name, "Marvel"))
			marvel = qf[i].fandom_id;
	CHECK(marvel > 0);
	CHECK(store_wrangling_queue(S, A, marvel, 50, 0, &list, &n) == 0);
	CHECK(n == 2);
	bool saw = false;
	for (size_t i = 0; i < n; i++)
		saw |= list[i].lookalike_of && strstr(list[i].lookalike_of, "Romanoff");
	CHECK(saw);
}

static int wrangle(int64_t id, const char *synonym_of, int canonical, const char **why)
{
	struct tag_wrangle r = {.tag_id = id, .synonym_of = synonym_of, .canonical = canonical};
	return store_tag_wrangle(S, A, &r, why);
}

static void test_synonyms_and_counts(void)
{
	struct spec a = {.title = "Liv", .fandoms = {"Law & Order: SVU"}, .characters = {"Liv Benson"}};
	struct spec b = {.title = "Olivia", .fandoms = {"Law & Order: SVU"}, .characters = {"Olivia Benson"},
	                 .restricted = true};
	int64_t w1 = post(&a), w2 = post(&b);
	int64_t liv = tag_named("Liv Benson").id, olivia = tag_named("Olivia Benson").id;
	const char *why = NULL;
	/* Not canonical yet: refused with a reason. */
	CHECK(wrangle(liv, "Olivia Benson", -1, &why) == Q_EINVAL);
	CHECK(why && strstr(why, "not canonical"));
	CHECK(wrangle(olivia, NULL, 1, &why) == 0);
	CHECK(wrangle(liv, "Olivia Benson", -1, &why) == 0);
	struct tag o = tag_named("Olivia Benson"), l = tag_named("Liv Benson");
	CHECK(o.canonical && o.wrangled && l.wrangled && l.merger_id == olivia);
	CHECK_STR(l.merger_name, "Olivia Benson");
	/* Counts go through the canonical tag: "Olivia Benson" covers both works, one of them members-only. */
	CHECK(o.works_count == 2 && o.public_count == 1);
	CHECK(l.works_count == 0);

	/* Filtering by either name finds both works. */
	struct listing_query q = query();
	q.viewer_id = U1;
	const char *names[] = {"Liv Benson"};
	include(&q, names, 1);
	struct listing_result r = find(&q);
	CHECK(has_work(&r, w1) && has_work(&r, w2));
	CHECK(r.total == 2);
	/* A guest does not see the members-only one, in the list or the count. */
	q.viewer_id = 0;
	r = find(&q);
	CHECK(has_work(&r, w1) && !has_work(&r, w2));
	CHECK(r.total == 1);

	/* Merging into a synonym is refused, naming the canonical to use. */
	struct spec c = {.title = "Liv2", .fandoms = {"Law & Order: SVU"}, .characters = {"Benson"}};
	post(&c);
	CHECK(wrangle(tag_named("Benson").id, "Liv Benson", -1, &why) == Q_EINVAL);
	CHECK(why && strstr(why, "itself a synonym") && strstr(why, "Olivia Benson"));
	/* A canonical tag with synonyms cannot stop being canonical. */
	CHECK(wrangle(olivia, NULL, 0, &why) == Q_EINVAL);
	CHECK(why && strstr(why, "synonyms"));

	/* Restricting and deleting keep the counts. */
	struct work w;
	CHECK(store_work_get(S, A, w1, &w) == 0);
	w.restricted = true;
	CHECK(store_work_update(S, &w) == 0);
	o = tag_named("Olivia Benson");
	CHECK(o.works_count == 2 && o.public_count == 0);
	CHECK(store_work_delete(S, w1) == 0);
	o = tag_named("Olivia Benson");
	CHECK(o.works_count == 1 && o.public_count == 0);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM tags t WHERE works_count != (SELECT COUNT(*) FROM filter_taggings f"
	              " JOIN works w ON w.id = f.work_id WHERE f.tag_id = t.id AND w.draft = 0)") == 0);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM tags t WHERE public_count != (SELECT COUNT(*) FROM filter_taggings f"
	              " JOIN works w ON w.id = f.work_id WHERE f.tag_id = t.id AND w.draft = 0"
	              " AND w.restricted = 0)") == 0);
	CHECK(fixture_sql(url, "SELECT value FROM counters WHERE name = 'works_public'") ==
	      fixture_sql(url, "SELECT COUNT(*) FROM works WHERE draft = 0 AND restricted = 0"));
}

/* What the change feed heard in the last commit. */
static struct store_change heard[STORE_CHANGES_MAX];
static size_t nheard, ncommits;

static void listen(void *ctx, const struct store_change *changes, size_t n)
{
	(void)ctx;
	ncommits++;
	nheard = n;
	memcpy(heard, changes, n * sizeof *changes);
}

static bool heard_change(enum store_change_kind kind, int64_t id)
{
	for (size_t i = 0; i < nheard; i++)
		if (heard[i].kind == kind && heard[i].id == id)
			return true;
	return false;
}

/* Wrangles tell the change feed what they changed: the works whose filters moved, or "everything" when the
 * tag's own standing changed (its page, the directory) and no work did; a refused one tells nothing. */
static void test_wrangle_feed(void)
{
	struct spec a = {.title = "Feed A", .fandoms = {"Feedland"}, .characters = {"Fed Up"}};
	struct spec b = {.title = "Feed B", .fandoms = {"Feedland"}, .characters = {"Fed Right"}};
	int64_t wa = post(&a), wb = post(&b);
	int64_t up = tag_named("Fed Up").id, right = tag_named("Fed Right").id;
	const char *why = NULL;
	store_subscribe(S, listen, NULL);
	/* Canonical alone: no work's filters move, so the feed says "anything may have changed". */
	ncommits = 0;
	CHECK(wrangle(right, NULL, 1, &why) == 0);
	CHECK(ncommits == 1 && nheard == 1 && heard[0].kind == STORE_CHANGE_WORK && heard[0].id == 0);
	/* A synonym refreshes the works tagged with it: those are named (with their creators), others not. */
	ncommits = 0;
	CHECK(wrangle(up, "Fed Right", -1, &why) == 0);
	CHECK(ncommits == 1);
	CHECK(heard_change(STORE_CHANGE_WORK, wa));
	CHECK(!heard_change(STORE_CHANGE_WORK, wb));
	CHECK(!heard_change(STORE_CHANGE_WORK, 0));
	/* A refusal commits nothing and tells nobody. */
	ncommits = 0;
	CHECK(wrangle(right, NULL, 0, &why) == Q_EINVAL);
	CHECK(ncommits == 0);
	/* Inside a workflow transaction the wrangle joins it: heard once, at the commit. */
	CHECK(store_tx_begin(S) == 0);
	CHECK(wrangle(up, "", -1, &why) == 0);
	CHECK(ncommits == 0);
	CHECK(store_tx_commit(S) == 0);
	CHECK(ncommits == 1 && heard_change(STORE_CHANGE_WORK, wa));
	store_unsubscribe(S, listen, NULL);
}

static void test_meta_tags(void)
{
	struct spec a = {.title = "Sub", .fandoms = {"Sherlock (TV)"}};
	struct spec b = {.title = "Meta", .fandoms = {"Sherlock Holmes & Related Fandoms"}};
	int64_t w1 = post(&a), w2 = post(&b);
	int64_t sub = tag_named("Sherlock (TV)").id, meta = tag_named("Sherlock Holmes & Related Fandoms").id;
	const char *why = NULL;
	CHECK(wrangle(sub, NULL, 1, &why) == 0);
	CHECK(wrangle(meta, NULL, 1, &why) == 0);
	const char *metas[] = {"Sherlock Holmes & Related Fandoms"};
	struct strlist ml = {metas, 1};
	struct tag_wrangle r = {.tag_id = sub, .canonical = -1, .metas = &ml, .media = "TV Shows"};
	CHECK(store_tag_wrangle(S, A, &r, &why) == 0);
	/* The meta tag's listing has the sub tag's works too. */
	struct listing_query q = query();
	const char *names[] = {"Sherlock Holmes & Related Fandoms"};
	include(&q, names, 1);
	struct listing_result res = find(&q);
	CHECK(has_work(&res, w1) && has_work(&res, w2) && res.total == 2);
	/* A cycle is refused and changes nothing. */
	const char *subs[] = {"Sherlock (TV)"};
	struct strlist sl = {subs, 1};
	struct tag_wrangle loop = {.tag_id = meta, .canonical = -1, .metas = &sl};
	CHECK(store_tag_wrangle(S, A, &loop, &why) == Q_EINVAL);
	CHECK(why && strstr(why, "loop"));
	struct tag_wrangle self = {.tag_id = meta, .canonical = -1, .metas = &ml};
	CHECK(store_tag_wrangle(S, A, &self, &why) == Q_EINVAL);
	struct tag_detail d;
	CHECK(store_tag_detail(S, A, meta, &d) == 0);
	CHECK(d.nmetas == 0 && d.nsubs == 1 && !strcmp(d.subs[0].name, "Sherlock (TV)"));
	CHECK(store_tag_detail(S, A, sub, &d) == 0);
	CHECK(d.nmetas == 1 && !strcmp(d.tag.media, "TV Shows"));
	/* Fandom of a character; the directory shows the medium. */
	struct spec c = {.title = "John", .fandoms = {"Sherlock (TV)"}, .characters = {"John Watson"}};
	post(&c);
	const char *fandoms[] = {"Sherlock (TV)"};
	struct strlist fl = {fandoms, 1};
	struct tag_wrangle fr = {.tag_id = tag_named("John Watson").id, .canonical = -1, .fandoms = &fl};
	CHECK(store_tag_wrangle(S, A, &fr, &why) == 0);
	CHECK(tag_named("John Watson").wrangled);
	CHECK(store_tag_detail(S, A, sub, &d) == 0);
	CHECK(d.nchildren == 1 && !strcmp(d.children[0].name, "John Watson"));
	struct tag_wrangle bad = {.tag_id = sub, .canonical = -1, .fandoms = &fl};
	CHECK(store_tag_wrangle(S, A, &bad, &why) == Q_EINVAL); /* a fandom has no fandom */
	const char *media[] = {"TV Shows", ""};
	struct media_entry *dir_;
	CHECK(store_media_directory(S, A, media, 2, 5, false, &dir_) == 0);
	CHECK(dir_[0].fandoms == 1 && dir_[0].ntop == 1 && !strcmp(dir_[0].top[0].name, "Sherlock (TV)"));
	CHECK(dir_[1].fandoms >= 3);
}

static void test_filters(void)
{
	/* A fandom of its own so earlier tests do not interfere. */
	struct spec s[] = {
		{.title = "Alpha", .rating = "Teen And Up Audiences", .fandoms = {"Filterland"}, .categories = {"F/F"},
		 .relationships = {"A/B"}, .freeforms = {"Angst"}, .complete = true, .words = 1000},
		{.title = "beta", .rating = "Mature", .fandoms = {"Filterland"}, .categories = {"F/M"},
		 .relationships = {"A/B"}, .warnings = {"Major Character Death"}, .words = 5000},
		{.title = "Gamma", .rating = "Explicit", .fandoms = {"Filterland", "Otherland"}, .complete = true,
		 .freeforms = {"Fluff"}, .words = 20000, .language = "Français"},
		{.title = "Delta", .rating = "Teen And Up Audiences", .fandoms = {"Filterland"}, .draft = true},
	};
	int64_t id[4];
	for (int i = 0; i < 4; i++)
		id[i] = post(&s[i]);
	const char *fl[] = {"Filterland"};
	struct listing_query q = query();
	include(&q, fl, 1);
	q.facets = true;
	struct listing_result r = find(&q);
	CHECK(r.total == 3 && r.n == 3); /* not the draft */
	CHECK(!has_work(&r, id[3]));
	CHECK(facet_count(&r, "Filterland") == 3);
	CHECK(facet_count(&r, "A/B") == 2);
	CHECK(facet_count(&r, "Otherland") == 1);
	CHECK(facet_count(&r, "Teen And Up Audiences") == 1);

	/* Ratings: any of them. */
	struct tag_ref ratings[] = {{TAG_RATING, "Teen And Up Audiences"}, {TAG_RATING, "Mature"}};
	struct tag_group groups[2] = {{NULL, 0}, {ratings, 2}};
	struct tag_ref fref = {-1, "Filterland"};
	groups[0] = (struct tag_group){&fref, 1};
	q.include = groups;
	q.ninclude = 2;
	r = find(&q);
	CHECK(r.total == 2 && has_work(&r, id[0]) && has_work(&r, id[1]));
	/* Exclude a warning. */
	const char *mcd[] = {"Major Character Death"};
	exclude(&q, mcd, 1);
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, id[0]));
	/* Unknown excluded tags change nothing; an unknown included tag matches nothing. */
	const char *nothing[] = {"No Such Tag"};
	exclude(&q, nothing, 1);
	r = find(&q);
	CHECK(r.total == 2);
	q = query();
	include(&q, nothing, 1);
	r = find(&q);
	CHECK(r.total == 0 && r.n == 0 && r.unknown_tag);

	q = query();
	include(&q, fl, 1);
	q.complete = 1;
	r = find(&q);
	CHECK(r.total == 2 && !has_work(&r, id[1]));
	q.complete = 0;
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, id[1]));
	q.complete = -1;
	q.words_from = 2000;
	q.words_to = 10000;
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, id[1]));
	q.words_from = q.words_to = 0;
	q.language = "français";
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, id[2]));
	q.language = NULL;
	q.crossover = 1;
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, id[2]));
	q.crossover = 0;
	r = find(&q);
	CHECK(r.total == 2 && !has_work(&r, id[2]));
	q.crossover = -1;

	/* Sorts. */
	q.sort = LISTING_TITLE;
	r = find(&q);
	CHECK(r.n == 3 && r.items[0].id == id[0] && r.items[1].id == id[1] && r.items[2].id == id[2]);
	q.sort = LISTING_WORDS;
	r = find(&q);
	CHECK(r.n == 3 && r.items[0].id == id[2] && r.items[2].id == id[0]);
	/* Pages. */
	q.per_page = 2;
	q.page = 2;
	r = find(&q);
	CHECK(r.n == 1 && r.items[0].id == id[0] && r.total == 3);
	q.page = LISTING_MAX_PAGES + 1;
	struct listing_result bad;
	CHECK(store_work_find(S, A, &q, &bad) == Q_EINVAL);

	/* The author's own page shows the draft; others' views do not. */
	q = query();
	q.creator_id = U1;
	q.viewer_id = U1;
	q.include_drafts = true;
	include(&q, fl, 1);
	r = find(&q);
	CHECK(r.total == 4 && has_work(&r, id[3]));
	q.viewer_id = U2;
	r = find(&q);
	CHECK(r.total == 3);

	/* A page's works come complete: tags in order, creators. */
	q = query();
	include(&q, fl, 1);
	q.sort = LISTING_TITLE;
	r = find(&q);
	CHECK(r.n == 3 && r.items[0].tags[TAG_RELATIONSHIP].n == 1);
	CHECK_STR(r.items[0].tags[TAG_RELATIONSHIP].items[0], "A/B");
	CHECK_STR(r.items[0].tags[TAG_RATING].items[0], "Teen And Up Audiences");
	CHECK(r.items[2].tags[TAG_FANDOM].n == 2);
	CHECK(r.items[0].ncreators == 1 && r.items[0].creators[0].user_id == U1);
	CHECK(r.items[0].chapter_count == 1 && r.items[0].word_count == 1000);
}

/* The capped paths (more matches than the count cap) list the same pages in the same order as the
 * collected ones, and say the count and facets are partial. */
static void test_capped_paths(void)
{
	static const enum listing_sort sorts[] = {LISTING_UPDATED, LISTING_TITLE, LISTING_WORDS, LISTING_CREATOR,
	                                         LISTING_KUDOS};
	const char *fl[] = {"Filterland"};
	for (size_t k = 0; k < sizeof sorts / sizeof sorts[0]; k++) {
		for (int variant = 0; variant < 3; variant++) {
			struct listing_query q = query();
			q.sort = sorts[k];
			q.per_page = 2;
			if (variant == 1)
				include(&q, fl, 1);
			if (variant == 2)
				q.complete = 0;
			int64_t all[64];
			size_t n = 0;
			for (int page = 1; page <= 20 && n < 60; page++) {
				q.page = page;
				struct listing_result r = find(&q);
				for (size_t i = 0; i < r.n; i++)
					all[n++] = r.items[i].id;
				if (r.n < 2)
					break;
			}
			listing_count_cap = 1;
			size_t m = 0;
			bool same = true, capped = true;
			for (int page = 1; page <= 20 && m < 60; page++) {
				q.page = page;
				struct listing_result r = find(&q);
				for (size_t i = 0; i < r.n; i++, m++)
					same &= m < n && all[m] == r.items[i].id;
				capped &= r.total_capped || variant != 2;
				if (r.n < 2)
					break;
			}
			listing_count_cap = 0;
			CHECK(same && m == n);
			CHECK(capped);
			if (!same || m != n)
				fprintf(stderr, "sort %d variant %d: %zu vs %zu works\n", (int)sorts[k], variant, n, m);
		}
	}
}

/* A text search for one word or phrase, and one exclusion when given (what search/query.c would parse). */
static struct search_terms words(const char *match, const char *exclude)
{
	struct search_term *t = arena_calloc(A, 2, sizeof *t);
	struct search_terms q = {0};
	if (match) {
		t[0] = (struct search_term){match, strchr(match, ' ') != NULL};
		q.match = &t[0];
		q.nmatch = 1;
	}
	if (exclude) {
		t[1] = (struct search_term){exclude, strchr(exclude, ' ') != NULL};
		q.exclude = &t[1];
		q.nexclude = 1;
	}
	return q;
}

static void test_text_search(void)
{
	struct spec a = {.title = "Park", .fandoms = {"Searchland"}, .text = "They met at Hillcrest Park after dark."};
	struct spec b = {.title = "Hill", .fandoms = {"Searchland"}, .text = "The park on the hill was crested."};
	struct spec c = {.title = "Café", .fandoms = {"Searchland"}, .text = "Coffee at the CAFÉ, parks and recreation."};
	int64_t w1 = post(&a), w2 = post(&b), w3 = post(&c);
	struct listing_query q = query();
	q.text = words("hillcrest park", NULL);
	q.sort = LISTING_RELEVANCE;
	struct listing_result r = find(&q);
	CHECK(r.total == 1 && has_work(&r, w1));
	CHECK(r.snippets && r.snippets[0] && strstr(r.snippets[0], "\x01" "Hillcrest Park" "\x02"));
	/* Stemming and accent folding: "parks" finds "park"; "cafe" finds "CAFÉ". */
	q.text = words("parks", NULL);
	r = find(&q);
	CHECK(r.total == 3);
	q.text = words("cafe", NULL);
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, w3));
	/* Exclusion. */
	q.text = words("park", "hill");
	r = find(&q);
	CHECK(r.total == 2 && has_work(&r, w3) && has_work(&r, w1) && !has_work(&r, w2));
	/* Titles, tags and creators are searchable too. */
	q.text = words("searchland", NULL);
	r = find(&q);
	CHECK(r.total == 3);
	/* Combined with a tag filter. */
	const char *names[] = {"Searchland"};
	include(&q, names, 1);
	q.text = words("dark", NULL);
	r = find(&q);
	CHECK(r.total == 1 && has_work(&r, w1));
	/* Editing the chapter changes what is found. */
	struct chapter *chs;
	size_t n;
	CHECK(store_chapter_list(S, A, w1, true, &chs, &n) == 0 && n == 1);
	chs[0].content_html = "<p>They met somewhere else.</p>";
	CHECK(store_chapter_update(S, &chs[0]) == 0);
	q = query();
	q.text = words("hillcrest park", NULL);
	r = find(&q);
	CHECK(r.total == 0);
	CHECK(fixture_sql(url, fixture_is_pg(url)
	                           ? "SELECT COUNT(*) FROM chapters WHERE search @@ to_tsquery('quire', 'somewhere')"
	                           : "SELECT COUNT(*) FROM search_chapters WHERE search_chapters MATCH 'somewhere'") == 1);
}

/* A wrangle that reaches more works than it may refresh in its own transaction queues them; the "refile" job
 * refreshes them in short batches after the commit, and what a stop leaves queued is refreshed after the next
 * start. */
static void test_big_wrangle_in_background(void)
{
	enum { CROWD = 300 }; /* over sqlite/tag.c's SYNC_INLINE_MAX */
	struct spec canon = {.title = "Crowd Canon", .fandoms = {"Crowdland"}, .characters = {"Crowd Canon"}};
	struct spec member = {.title = "Crowd Member", .fandoms = {"Crowdland"}, .characters = {"Crowd Member"}};
	post(&canon);
	CHECK(store_tx_begin(S) == 0); /* one transaction: 300 works posted quickly */
	for (int i = 0; i < CROWD; i++)
		post(&member);
	CHECK(store_tx_commit(S) == 0);
	const char *why = NULL;
	/* No job runner yet: what the wrangle queues stays there for a look. */
	CHECK(wrangle(tag_named("Crowd Canon").id, NULL, 1, &why) == 0);
	CHECK(wrangle(tag_named("Crowd Member").id, "Crowd Canon", -1, &why) == 0);
	/* The wrangle itself is done (the tag is a synonym); its works wait in the queue. */
	CHECK(tag_named("Crowd Member").merger_id == tag_named("Crowd Canon").id);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM work_sync_queue") == CROWD);
	struct listing_query q = query();
	const char *names[] = {"Crowd Canon"};
	include(&q, names, 1);
	CHECK(find(&q).total == 1);
	/* Stopped with the queue full; the next start refreshes it. */
	store_close(S);
	char err[512];
	CHECK(store_open(&S, url, err, sizeof err) == 0);
	struct jobs *jobs = jobs_new();
	CHECK(store_jobs_add(S, jobs) == 0);
	CHECK(jobs_start(jobs) == 0);
	for (int i = 0; i < 600 && fixture_sql(url, "SELECT COUNT(*) FROM work_sync_queue") > 0; i++)
		usleep(50 * 1000);
	CHECK(fixture_sql(url, "SELECT COUNT(*) FROM work_sync_queue") == 0);
	CHECK(find(&q).total == CROWD + 1);
	CHECK(tag_named("Crowd Canon").works_count == CROWD + 1);
	CHECK(tag_named("Crowd Member").works_count == 0);

	/* Undone inside a workflow transaction, as the archive wrangles: the job, woken before the commit,
	 * starts on the queue once it commits, well before its idle look (every 5 s). */
	CHECK(store_tx_begin(S) == 0);
	CHECK(wrangle(tag_named("Crowd Member").id, "", -1, &why) == 0);
	CHECK(store_tx_commit(S) == 0);
	int waited_ms = 0;
	while (waited_ms < 2500 && fixture_sql(url, "SELECT COUNT(*) FROM work_sync_queue") == CROWD) {
		usleep(10 * 1000);
		waited_ms += 10;
	}
	CHECK(waited_ms < 2500);
	for (int i = 0; i < 600 && fixture_sql(url, "SELECT COUNT(*) FROM work_sync_queue") > 0; i++)
		usleep(50 * 1000);
	CHECK(tag_named("Crowd Member").works_count == CROWD);
	CHECK(tag_named("Crowd Canon").works_count == 1);
	jobs_stop(jobs);
}

static void test_query_plans(void)
{
	sqls_listing_trace = trace;
	const char *two[] = {"Filterland", "A/B"};
	const char *mcd[] = {"Major Character Death"};
	struct listing_query q = query();
	/* Unfiltered, filtered by tags (driven by a tag), by a rating only (walking the sort index), an
	 * author's page, a text search. */
	plans[0] = '\0';
	find(&q);
	CHECK_CONTAINS(plans, "works_by_updated");
	q.sort = LISTING_KUDOS;
	include(&q, two, 2);
	exclude(&q, mcd, 1);
	q.facets = true;
	plans[0] = '\0';
	find(&q);
	CHECK_CONTAINS(plans, "SEARCH f0 USING");
	CHECK(!scans_works(plans));
	q = query();
	q.complete = 1;
	q.sort = LISTING_TITLE;
	plans[0] = '\0';
	find(&q);
	CHECK_CONTAINS(plans, "works_listing");
	CHECK(!scans_works(plans));
	/* More matches than the count cap: the page walks the sort order's index. */
	listing_count_cap = 1;
	plans[0] = '\0';
	find(&q);
	CHECK_CONTAINS(plans, "works_by_title");
	CHECK(!scans_works(plans));
	listing_count_cap = 0;
	q = query();
	q.creator_id = U1;
	plans[0] = '\0';
	find(&q);
	CHECK_CONTAINS(plans, "work_creators_user");
	CHECK(!scans_works(plans));
	q.creator_id = 0;
	q.text = words("park", NULL);
	plans[0] = '\0';
	find(&q);
	CHECK_CONTAINS(plans, "VIRTUAL TABLE INDEX");
	CHECK(!scans_works(plans));
	sqls_listing_trace = NULL;
	if (check_failures)
		fprintf(stderr, "plans: %s\n", plans);

	/* The fixed statements too. */
	sqlite3 *db;
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	sqls_functions_register(db);
	static const enum sql_id fixed[] = {SQL_FIND_PAGE_WORKS, SQL_FIND_PAGE_TAGS, SQL_FIND_PAGE_CREATORS,
	                                    SQL_FIND_TAG_FILTER_IDS, SQL_FIND_TAG_FILTER_IDS_ANY,
	                                    SQL_FIND_TOP_TAGS_PUBLIC, SQL_FIND_MEDIA_TOP,
	                                    SQL_FIND_QUEUE, SQL_FIND_TAG_BY_NORM, SQL_FIND_SERIES_NEXT};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		plans[0] = '\0';
		sqlite3_stmt *q2 = NULL;
		CHECK(sqlite3_prepare_v2(db, sqls_sql[fixed[i]], -1, &q2, NULL) == SQLITE_OK);
		if (q2)
			trace(q2);
		sqlite3_finalize(q2);
		CHECK(!scans_works(plans));
		CHECK(!strstr(plans, "SCAN t;") && !strstr(plans, "SCAN tags") && !strstr(plans, "tags_skeleton (type>"));
		if (check_failures)
			fprintf(stderr, "statement %d: %s\n", (int)fixed[i], plans);
	}
	/* Blocks and the re-filing queue: point lookups and prefix ranges of their keys, never a scan. */
	static const struct {
		enum sql_id id;
		const char *want;
	} keyed[] = {
		{SQL_BLOCK_WHO, "USING PRIMARY KEY (blocker_id=? AND blocked_id=?)"},
		{SQL_BLOCK_WHO, "SEARCH c USING PRIMARY KEY (work_id=?)"},
		{SQL_BLOCK_LIST, "SEARCH b USING PRIMARY KEY (blocker_id=?)"},
		{SQL_BLOCK_COUNT, "SEARCH user_blocks USING PRIMARY KEY (blocker_id=?)"},
		{SQL_SYNC_QUEUE_NEXT, "SCAN work_sync_queue"}, /* the queue itself, in key order, LIMIT'ed */
	};
	for (size_t i = 0; i < sizeof keyed / sizeof keyed[0]; i++) {
		plans[0] = '\0';
		sqlite3_stmt *q2 = NULL;
		CHECK(sqlite3_prepare_v2(db, sqls_sql[keyed[i].id], -1, &q2, NULL) == SQLITE_OK);
		if (q2)
			trace(q2);
		sqlite3_finalize(q2);
		CHECK_CONTAINS(plans, keyed[i].want);
		CHECK(!strstr(plans, "SCAN b") && !strstr(plans, "SCAN user_blocks") && !strstr(plans, "SCAN c"));
	}
	sqlite3_close(db);
}

int main(void)
{
	log_set_quiet(1);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/quire.db", dir);
	char url_buf[300], err[512];
	url = fixture_store_url(url_buf, sizeof url_buf, dir);
	printf("store find tests on %s\n", url);
	A = arena_new();
	CHECK(store_open(&S, url, err, sizeof err) == 0);
	if (!S) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		return CHECK_DONE();
	}
	if (fixture_is_pg(url))
		pgs_plan_trace = fixture_plan_trace;
	CHECK(store_user_create(S, "author", "author@example.org", "h", NULL, &U1) == 0);
	CHECK(store_user_create(S, "reader", "reader@example.org", "h", NULL, &U2) == 0);
	test_tag_identity();
	test_lookalikes();
	test_synonyms_and_counts();
	test_wrangle_feed();
	test_meta_tags();
	test_filters();
	test_capped_paths();
	test_text_search();
	test_big_wrangle_in_background();
	if (fixture_is_pg(url)) {
		/* Every statement the tests ran had its plan checked (pgs_plan_trace). */
		pgs_plan_trace = NULL;
		CHECK(!fixture_scans[0]);
		if (fixture_scans[0])
			fprintf(stderr, "statements that scan a table:\n%s", fixture_scans);
	} else {
		test_query_plans();
	}
	store_close(S);
	arena_free(A);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
