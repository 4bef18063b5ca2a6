/* The eFiction model: rows of either source taken into typed records, lookups by id, chapter texts from the
 * database or the stories folder, and eFiction's text turned into what Quire reads. */
#include "import/efiction.h"
#include "import/efiction_source.h"
#include "import/import_int.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *const efiction_table_names[EF_TABLE_COUNT] = {
	[EF_AUTHORS] = "authors", [EF_AUTHORINFO] = "authorinfo", [EF_AUTHORFIELDS] = "authorfields",
	[EF_CATEGORIES] = "categories", [EF_CHARACTERS] = "characters", [EF_CLASSES] = "classes",
	[EF_CLASSTYPES] = "classtypes", [EF_RATINGS] = "ratings", [EF_SERIES] = "series", [EF_INSERIES] = "inseries",
	[EF_STORIES] = "stories", [EF_CHAPTERS] = "chapters", [EF_COAUTHORS] = "coauthors", [EF_REVIEWS] = "reviews",
	[EF_FAVORITES] = "favorites", [EF_SETTINGS] = "settings", [EF_NEWS] = "news",
};

void efiction_problem(struct efiction *ef, const char *fmt, ...)
{
	if (ef->nproblems >= 200)
		return;
	if (ef->nproblems % 16 == 0) {
		const char **more = arena_calloc(ef->a, ef->nproblems + 17, sizeof *more);
		if (ef->nproblems)
			memcpy(more, ef->problems, ef->nproblems * sizeof *more);
		ef->problems = more;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ef->problems[ef->nproblems++] = arena_strdup(ef->a, buf);
}

int efiction_table_of(const struct efiction *ef, const char *name)
{
	size_t k = strlen(ef->prefix);
	if (strncmp(name, ef->prefix, k) != 0)
		return -1;
	for (int t = 0; t < EF_TABLE_COUNT; t++)
		if (!strcmp(name + k, efiction_table_names[t]))
			return t;
	return -1;
}

/* Room for one more item of an arena array (doubling). */
static void *grow(struct arena *a, void *items, size_t n, size_t size)
{
	if (n && (n & (n - 1))) /* not a power of two: there is room */
		return items;
	size_t cap = n ? n * 2 : 16;
	void *more = arena_alloc(a, cap * size);
	if (n)
		memcpy(more, items, n * size);
	return more;
}
#define PUSH(ef, arr, count) ((ef)->arr = grow((ef)->a, (ef)->arr, (ef)->count, sizeof *(ef)->arr), &(ef)->arr[(ef)->count++])

/* "4,10" into ids (blanks and zeros dropped). */
static struct ef_ids ids_of(struct arena *a, const char *s)
{
	struct ef_ids out = {0};
	size_t cap = 1;
	for (const char *p = s; p && *p; p++)
		cap += *p == ',';
	out.ids = arena_calloc(a, cap, sizeof *out.ids);
	for (const char *p = s; p && *p && out.n < cap;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p) {
			p++;
			continue;
		}
		if (v > 0)
			out.ids[out.n++] = v;
		p = end;
	}
	return out;
}

static const char *T(const struct ef_row *r, const char *c)
{
	const char *s = r->text(r->ctx, c);
	return s ? s : "";
}

static long long N(const struct ef_row *r, const char *c)
{
	return r->num(r->ctx, c);
}

/* A date: Unix seconds (eFiction 3.5's columns), or a DATETIME as older versions keep them; 0 when unknown. */
static int64_t when(const struct ef_row *r, const char *c)
{
	const char *s = r->text(r->ctx, c);
	if (!s || !*s)
		return 0;
	if (strchr(s, '-'))
		return import_parse_date(s);
	long long v = strtoll(s, NULL, 10);
	return v > 0 ? v : 0;
}

static bool flag(const struct ef_row *r, const char *c)
{
	const char *s = r->text(r->ctx, c);
	return s && *s && strcmp(s, "0") != 0;
}

void efiction_take_row(struct efiction *ef, enum ef_table t, const struct ef_row *r)
{
	ef->rows[t]++;
	switch (t) {
	case EF_AUTHORS: {
		struct ef_author *x = PUSH(ef, authors, nauthors);
		*x = (struct ef_author){.uid = N(r, "uid"), .penname = T(r, "penname"), .realname = T(r, "realname"),
		                       .email = T(r, "email"), .bio = T(r, "bio"), .fields = "", .date = when(r, "date")};
		break;
	}
	case EF_AUTHORINFO: {
		struct ef_authorinfo *x = PUSH(ef, infos, ninfos);
		*x = (struct ef_authorinfo){N(r, "uid"), N(r, "field"), T(r, "info")};
		break;
	}
	case EF_AUTHORFIELDS: {
		struct ef_authorfield *x = PUSH(ef, fields, nfields);
		*x = (struct ef_authorfield){N(r, "field_id"), T(r, "field_title")};
		break;
	}
	case EF_CATEGORIES: {
		struct ef_category *x = PUSH(ef, categories, ncategories);
		*x = (struct ef_category){N(r, "catid"), N(r, "parentcatid"), T(r, "category"), T(r, "description"),
		                          (int)N(r, "displayorder")};
		break;
	}
	case EF_CHARACTERS: {
		struct ef_character *x = PUSH(ef, characters, ncharacters);
		*x = (struct ef_character){N(r, "charid"), N(r, "catid"), T(r, "charname")};
		break;
	}
	case EF_CLASSES: {
		struct ef_class *x = PUSH(ef, classes, nclasses);
		*x = (struct ef_class){N(r, "class_id"), N(r, "class_type"), T(r, "class_name")};
		break;
	}
	case EF_CLASSTYPES: {
		struct ef_classtype *x = PUSH(ef, classtypes, nclasstypes);
		*x = (struct ef_classtype){N(r, "classtype_id"), T(r, "classtype_name"), T(r, "classtype_title")};
		break;
	}
	case EF_RATINGS: {
		struct ef_rating *x = PUSH(ef, ratings, nratings);
		*x = (struct ef_rating){N(r, "rid"), T(r, "rating")};
		break;
	}
	case EF_SERIES: {
		struct ef_series *x = PUSH(ef, series, nseries);
		*x = (struct ef_series){N(r, "seriesid"), N(r, "uid"), T(r, "title"), T(r, "summary"), N(r, "isopen") != 0};
		break;
	}
	case EF_INSERIES: {
		struct ef_inseries *x = PUSH(ef, inseries, ninseries);
		*x = (struct ef_inseries){N(r, "seriesid"), N(r, "sid"), N(r, "subseriesid"), N(r, "confirmed") != 0,
		                          (int)N(r, "inorder")};
		break;
	}
	case EF_STORIES: {
		struct ef_story *x = PUSH(ef, stories, nstories);
		*x = (struct ef_story){.sid = N(r, "sid"), .uid = N(r, "uid"), .title = T(r, "title"),
		                       .summary = T(r, "summary"), .notes = T(r, "storynotes"),
		                       .catids = ids_of(ef->a, T(r, "catid")), .classes = ids_of(ef->a, T(r, "classes")),
		                       .charids = ids_of(ef->a, T(r, "charid")), .rid = atoll(T(r, "rid")),
		                       .date = when(r, "date"), .updated = when(r, "updated"), .coauthors = flag(r, "coauthors"),
		                       .featured = flag(r, "featured"), .validated = flag(r, "validated"),
		                       .completed = flag(r, "completed"), .wordcount = N(r, "wordcount"), .count = N(r, "count")};
		break;
	}
	case EF_CHAPTERS: {
		struct ef_chapter *x = PUSH(ef, chapters, nchapters);
		*x = (struct ef_chapter){.chapid = N(r, "chapid"), .sid = N(r, "sid"), .uid = N(r, "uid"),
		                         .title = T(r, "title"), .notes = T(r, "notes"), .endnotes = T(r, "endnotes"),
		                         .order = (int)N(r, "inorder"), .validated = flag(r, "validated"),
		                         .wordcount = N(r, "wordcount")};
		x->text_in_row = r->raw && r->raw(r->ctx, "storytext", &x->text) && !x->text.null;
		break;
	}
	case EF_COAUTHORS: {
		struct ef_coauthor *x = PUSH(ef, coauthors, ncoauthors);
		*x = (struct ef_coauthor){N(r, "sid"), N(r, "uid")};
		break;
	}
	case EF_REVIEWS: {
		struct ef_review *x = PUSH(ef, reviews, nreviews);
		*x = (struct ef_review){.id = N(r, "reviewid"), .item = N(r, "item"), .chapid = N(r, "chapid"),
		                        .uid = N(r, "uid"), .reviewer = T(r, "reviewer"), .review = T(r, "review"),
		                        .date = when(r, "date"), .rating = (int)N(r, "rating"), .respond = flag(r, "respond")};
		snprintf(x->type, sizeof x->type, "%s", T(r, "type"));
		break;
	}
	case EF_FAVORITES: {
		struct ef_favorite *x = PUSH(ef, favorites, nfavorites);
		*x = (struct ef_favorite){.uid = N(r, "uid"), .item = N(r, "item"), .comments = T(r, "comments")};
		snprintf(x->type, sizeof x->type, "%s", T(r, "type"));
		break;
	}
	case EF_SETTINGS:
		if (ef->rows[t] == 1) /* one row per site key; the first is the archive */
			ef->settings = (struct ef_settings){T(r, "sitekey"), T(r, "sitename"), T(r, "url"), T(r, "version"),
			                                    T(r, "store"), T(r, "storiespath"), T(r, "language"),
			                                    (int)N(r, "ratings")};
		break;
	default:
		break;
	}
}

/* ---- After reading ---- */

static int by_uid(const void *a, const void *b)
{
	int64_t x = ((const struct ef_author *)a)->uid, y = ((const struct ef_author *)b)->uid;
	return (x > y) - (x < y);
}
static int by_sid(const void *a, const void *b)
{
	int64_t x = ((const struct ef_story *)a)->sid, y = ((const struct ef_story *)b)->sid;
	return (x > y) - (x < y);
}
static int by_catid(const void *a, const void *b)
{
	int64_t x = ((const struct ef_category *)a)->catid, y = ((const struct ef_category *)b)->catid;
	return (x > y) - (x < y);
}
static int by_seriesid(const void *a, const void *b)
{
	int64_t x = ((const struct ef_series *)a)->id, y = ((const struct ef_series *)b)->id;
	return (x > y) - (x < y);
}
/* chapters by story, then reading order, then id */
static int by_story_order(const void *a, const void *b)
{
	const struct ef_chapter *x = a, *y = b;
	if (x->sid != y->sid)
		return (x->sid > y->sid) - (x->sid < y->sid);
	if (x->order != y->order)
		return (x->order > y->order) - (x->order < y->order);
	return (x->chapid > y->chapid) - (x->chapid < y->chapid);
}

/* qsort, for tables that may have no rows (and no array) */
static void sort_rows(void *rows, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(rows, n, size, cmp);
}

/* bsearch, the same way */
static void *find_row(const void *key, const void *rows, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, rows, n, size, cmp) : NULL;
}

void efiction_finish(struct efiction *ef)
{
	sort_rows(ef->authors, ef->nauthors, sizeof *ef->authors, by_uid);
	sort_rows(ef->stories, ef->nstories, sizeof *ef->stories, by_sid);
	sort_rows(ef->categories, ef->ncategories, sizeof *ef->categories, by_catid);
	sort_rows(ef->series, ef->nseries, sizeof *ef->series, by_seriesid);
	sort_rows(ef->chapters, ef->nchapters, sizeof *ef->chapters, by_story_order);
	/* the profile's extra fields, "Web Site: http://..." */
	for (size_t i = 0; i < ef->ninfos; i++) {
		const struct ef_authorinfo *in = &ef->infos[i];
		struct ef_author *au = (struct ef_author *)efiction_author(ef, in->uid);
		if (!au || !*in->info)
			continue;
		const char *title = NULL;
		for (size_t k = 0; k < ef->nfields; k++)
			if (ef->fields[k].id == in->field)
				title = ef->fields[k].title;
		au->fields = arena_printf(ef->a, "%s%s%s: %s", au->fields, *au->fields ? "\n" : "",
		                          title && *title ? title : "Profile", in->info);
	}
	const char *v = ef->settings.version;
	if (!ef->present[EF_SETTINGS])
		efiction_problem(ef, "The archive has no settings table: its version and name are unknown.");
	else if (!v || strncmp(v, "3.", 2) != 0)
		efiction_problem(ef, "Unknown eFiction version \"%s\": read as eFiction 3.5's tables.", v ? v : "");
	static const enum ef_table needed[] = {EF_AUTHORS, EF_STORIES, EF_CHAPTERS};
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
		if (!ef->present[needed[i]])
			efiction_problem(ef, "The table %s%s is missing.", ef->prefix, efiction_table_names[needed[i]]);
	static const enum ef_table optional[] = {EF_CATEGORIES, EF_CHARACTERS, EF_CLASSES, EF_CLASSTYPES, EF_RATINGS,
	                                         EF_SERIES, EF_INSERIES, EF_COAUTHORS, EF_REVIEWS, EF_FAVORITES};
	for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
		if (!ef->present[optional[i]])
			efiction_problem(ef, "The table %s%s is missing: nothing of it is imported.", ef->prefix,
			                 efiction_table_names[optional[i]]);
}

const struct ef_author *efiction_author(const struct efiction *ef, int64_t uid)
{
	struct ef_author key = {.uid = uid};
	return find_row(&key, ef->authors, ef->nauthors, sizeof key, by_uid);
}

const struct ef_story *efiction_story(const struct efiction *ef, int64_t sid)
{
	struct ef_story key = {.sid = sid};
	return find_row(&key, ef->stories, ef->nstories, sizeof key, by_sid);
}

const struct ef_category *efiction_category(const struct efiction *ef, int64_t catid)
{
	struct ef_category key = {.catid = catid};
	return find_row(&key, ef->categories, ef->ncategories, sizeof key, by_catid);
}

const struct ef_series *efiction_series(const struct efiction *ef, int64_t id)
{
	struct ef_series key = {.id = id};
	return find_row(&key, ef->series, ef->nseries, sizeof key, by_seriesid);
}

/* ---- Chapter texts ---- */

void efiction_set_files(struct efiction *ef, const char *dir)
{
	struct stat st;
	const char *stories = arena_printf(ef->a, "%s/stories", dir);
	/* the folder that holds "stories", or "stories" itself */
	ef->files_dir = stat(stories, &st) == 0 && S_ISDIR(st.st_mode) ? stories : arena_strdup(ef->a, dir);
}

static int from_file(struct efiction *ef, struct arena *a, const struct ef_chapter *c, const char **text)
{
	if (!ef->files_dir)
		return Q_ENOTFOUND;
	const char *path = arena_printf(a, "%s/%lld/%lld.txt", ef->files_dir, (long long)c->uid, (long long)c->chapid);
	FILE *f = fopen(path, "rb");
	if (!f)
		return Q_ENOTFOUND;
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < IMPORT_TEXT_MAX)
		buf_append(&b, chunk, got);
	fclose(f);
	char *out;
	size_t n;
	const char *from;
	int rc = import_decode(a, (const unsigned char *)buf_cstr(&b), b.len, NULL, &out, &n, &from);
	buf_free(&b);
	if (rc == 0)
		*text = out;
	return rc;
}

int efiction_chapter_text(struct efiction *ef, struct arena *a, const struct ef_chapter *c, const char **text,
                          const char **where)
{
	*text = NULL;
	bool files_first = ef->settings.store && !strcmp(ef->settings.store, "files");
	if (files_first && from_file(ef, a, c, text) == 0) {
		*where = "file";
		return 0;
	}
	if (c->text_in_row && c->text.n) {
		*text = mysqldump_text(a, &c->text);
		*where = "database";
		return 0;
	}
	if (ef->source && ef->source->chapter_text) {
		int rc = ef->source->chapter_text(ef->source, a, c->chapid, text);
		if (rc == 0 && *text && **text) {
			*where = "database";
			return 0;
		}
		if (rc != 0 && rc != Q_ENOTFOUND)
			return rc;
	}
	if (!files_first && from_file(ef, a, c, text) == 0) {
		*where = "file";
		return 0;
	}
	return Q_ENOTFOUND;
}

void efiction_close(struct efiction *ef)
{
	if (ef->source && ef->source->close)
		ef->source->close(ef->source);
	ef->source = NULL;
}

/* ---- eFiction's text ---- */

/* Whether eFiction would show s as HTML: it holds a tag or an entity. */
static bool looks_html(const char *s)
{
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
		if (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!')
			return true;
	for (const char *p = strchr(s, '&'); p; p = strchr(p + 1, '&')) {
		const char *semi = strchr(p, ';');
		if (semi && semi - p < 10 && semi - p > 1)
			return true;
	}
	return false;
}

/* Text that is not UTF-8 (a row in the wrong encoding) read as Windows-1252, which is what it nearly always is. */
static const char *as_utf8(struct arena *a, const char *s, size_t *repaired)
{
	if (utf8_valid(s, strlen(s)))
		return s;
	char *out;
	size_t n;
	const char *from;
	if (import_decode(a, (const unsigned char *)s, strlen(s), "windows-1252", &out, &n, &from) != 0)
		return "";
	if (repaired)
		(*repaired)++;
	return out;
}

/* Whether s holds an entity html_plain does not decode (&hellip;, &mdash;, ...): then gumbo reads it. */
static bool rare_entity(const char *s)
{
	static const char *const simple[] = {"amp;", "lt;", "gt;", "quot;", "apos;", "nbsp;", "#"};
	for (const char *p = strchr(s, '&'); p; p = strchr(p + 1, '&')) {
		bool known = false;
		for (size_t i = 0; i < sizeof simple / sizeof simple[0] && !known; i++)
			known = !strncmp(p + 1, simple[i], strlen(simple[i]));
		if (!known && isalpha((unsigned char)p[1]))
			return true;
	}
	return false;
}

const char *efiction_line(struct arena *a, const char *s, size_t *repaired)
{
	size_t fixed = 0;
	s = as_utf8(a, s ? s : "", repaired);
	s = import_fix_mojibake(a, s, &fixed);
	if (repaired)
		*repaired += fixed;
	if (!strchr(s, '<') && !strchr(s, '&'))
		return blocks_fold_space(a, s, strlen(s));
	if (!rare_entity(s)) {
		const char *t = html_plain(a, s);
		return blocks_fold_space(a, t, strlen(t));
	}
	GumboOptions opt = kGumboDefaultOptions;
	opt.max_errors = 10;
	GumboOutput *g = gumbo_parse_with_options(&opt, s, strlen(s));
	const char *t = g ? import_html_text(a, g->root) : "";
	if (g)
		gumbo_destroy_output(&opt, g);
	return t;
}

/* The length of a <br>, <br/> or <br /> tag at s (any case), else 0. */
static size_t br_at(const char *s)
{
	if (s[0] != '<' || (s[1] != 'b' && s[1] != 'B') || (s[2] != 'r' && s[2] != 'R'))
		return 0;
	size_t k = 3;
	while (s[k] == ' ')
		k++;
	if (s[k] == '/')
		k++;
	return s[k] == '>' ? k + 1 : 0;
}

/* Whether s has block elements of its own (paragraphs, divisions, quotations, lists, tables). */
static bool has_blocks(const char *s)
{
	static const char *const tags[] = {"<p", "<div", "<blockquote", "<ul", "<ol", "<table", "<h1", "<h2", "<h3",
	                                   "<pre", "<center"};
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
		for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
			size_t k = strlen(tags[i]);
			if (!strncasecmp(p, tags[i], k) && (p[k] == '>' || p[k] == ' ' || p[k] == '/'))
				return true;
		}
	return false;
}

const char *efiction_html(struct arena *a, const char *s, size_t *repaired)
{
	size_t fixed = 0;
	s = as_utf8(a, s ? s : "", repaired);
	s = import_fix_mojibake(a, s, &fixed);
	if (repaired)
		*repaired += fixed;
	if (!looks_html(s)) { /* plain text, as eFiction showed it: paragraphs at blank lines, lines kept */
		struct import_blocks b = {0};
		import_text_blocks(a, s, strlen(s), &b);
		return blocks_html(a, &b);
	}
	/* HTML, which the sanitizer reads once whatever happens here. eFiction showed its line breaks only as
	 * <br>: source newlines are spaces, and where the text has no paragraphs of its own, <br> runs become
	 * blank lines (paragraphs, as the sanitizer infers them) and a single <br> a line end. */
	bool blocks = has_blocks(s);
	struct buf out = BUF_INIT;
	buf_grow(&out, strlen(s) + 1);
	for (const char *p = s; *p;) {
		size_t k = blocks ? 0 : br_at(p);
		if (k) {
			int brs = 0;
			while (k) {
				brs++;
				p += k;
				while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
					p++;
				k = br_at(p);
			}
			buf_puts(&out, brs > 1 ? "\n\n" : "\n");
			continue;
		}
		buf_putc(&out, *p == '\r' || *p == '\n' ? ' ' : *p);
		p++;
	}
	const char *r = arena_strndup(a, buf_cstr(&out), out.len);
	buf_free(&out);
	return r;
}
