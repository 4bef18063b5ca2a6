/* Listing rules: checks a listing's query parameters, turns them into a store query, and writes them back
 * as one canonical query string. */
#include "archive/listing.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "html/escape.h"
#include "search/query.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define TAG_NAME_MAX_BYTES 600 /* 150 characters of up to four bytes */
#define LANGUAGE_MAX 60

const struct listing_sort_name archive_listing_sorts[] = {
	{"updated", "Date updated", LISTING_UPDATED},
	{"published", "Date posted", LISTING_PUBLISHED},
	{"kudos", "Kudos", LISTING_KUDOS},
	{"hits", "Hits", LISTING_HITS},
	{"comments", "Comments", LISTING_COMMENTS},
	{"bookmarks", "Bookmarks", LISTING_BOOKMARKS},
	{"words", "Word count", LISTING_WORDS},
	{"title", "Title", LISTING_TITLE},
	{"creator", "Creator", LISTING_CREATOR},
	{"relevance", "Best match", LISTING_RELEVANCE},
	{NULL, NULL, LISTING_UPDATED},
};

bool archive_listing_sort_by_response(const char *name)
{
	for (const struct listing_sort_name *s = archive_listing_sorts; name && s->name; s++)
		if (!strcmp(s->name, name))
			return s->sort == LISTING_KUDOS || s->sort == LISTING_HITS || s->sort == LISTING_COMMENTS ||
			       s->sort == LISTING_BOOKMARKS;
	return false;
}

/* Short names for ratings in URLs, besides their full names. */
static const char *const rating_alias[][2] = {
	{"general", "General Audiences"}, {"teen", "Teen And Up Audiences"}, {"mature", "Mature"},
	{"explicit", "Explicit"},        {"notrated", "Not Rated"},           {"not-rated", "Not Rated"},
};

struct problem {
	const char *field, *message;
};

/* Appends to a list that grew only through here: room doubles at each power of two, so a hostile query
 * of many repeats costs linear time. */
static void list_add(struct arena *a, struct strlist *l, const char *value)
{
	if ((l->n & (l->n + 1)) == 0 || !l->items) {
		const char **grown = arena_alloc(a, 2 * (l->n + 1) * sizeof *grown);
		if (l->n)
			memcpy(grown, l->items, l->n * sizeof *grown);
		l->items = grown;
	}
	l->items[l->n++] = value;
	l->items[l->n] = NULL;
}

void archive_listing_param(struct arena *a, struct listing_params *p, const char *key, const char *value)
{
	struct {
		const char *key;
		struct strlist *list;
		const char **one;
	} keys[] = {
		{"tags", &p->tags, NULL},
		{"exclude_tags", &p->exclude_tags, NULL},
		{"rating", &p->rating, NULL},
		{"warnings", &p->warnings, NULL},
		{"categories", &p->categories, NULL},
		{"complete", NULL, &p->complete},
		{"crossover", NULL, &p->crossover},
		{"words_from", NULL, &p->words_from},
		{"words_to", NULL, &p->words_to},
		{"updated_from", NULL, &p->updated_from},
		{"updated_to", NULL, &p->updated_to},
		{"language", NULL, &p->language},
		{"q", NULL, &p->q},
		{"sort", NULL, &p->sort},
		{"page", NULL, &p->page},
	};
	if (!key || !value)
		return;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(keys[i].key, key) != 0)
			continue;
		if (keys[i].list)
			list_add(a, keys[i].list, value);
		else if (!*keys[i].one)
			*keys[i].one = value;
		return;
	}
}

static int fail(struct problem *pr, const char *field, const char *message)
{
	if (!pr->field) {
		pr->field = field;
		pr->message = message;
	}
	return Q_EINVAL;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *trim(struct arena *a, const char *s, size_t n)
{
	while (n && is_ws(*s))
		s++, n--;
	while (n && is_ws(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

static bool list_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

/* Every value of raw, split at commas, trimmed, blanks and repeats dropped, into out. */
static int names(struct arena *a, const struct strlist *raw, const char *field, size_t max, struct strlist *out,
                 struct problem *pr)
{
	size_t cap = 0;
	for (size_t i = 0; i < raw->n; i++)
		for (const char *p = raw->items[i]; p && *p; p++)
			cap += *p == ',';
	cap += raw->n + 1;
	out->items = arena_calloc(a, cap, sizeof *out->items);
	out->n = 0;
	for (size_t i = 0; i < raw->n; i++) {
		const char *p = raw->items[i] ? raw->items[i] : "";
		if (!utf8_valid(p, strlen(p)))
			return fail(pr, field, arena_printf(a, "%s holds invalid text.", field));
		while (*p) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			const char *name = trim(a, p, n);
			if (strlen(name) > TAG_NAME_MAX_BYTES)
				return fail(pr, field, arena_printf(a, "%s: a tag name is at most 150 characters.", field));
			if (*name && !list_has(out, name)) {
				if (out->n >= max)
					return fail(pr, field, arena_printf(a, "%s: give at most %zu tags.", field, max));
				out->items[out->n++] = name;
			}
			p = end ? end + 1 : p + n;
		}
	}
	return 0;
}

static int parse_choice(const char *s, const char *const *yes, const char *const *no, int *out)
{
	*out = -1;
	if (!s || !*s)
		return 0;
	for (size_t i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
	for (size_t i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	return Q_EINVAL;
}

/* A count of words: blank is 0 ("open"); anything but digits is an error; huge values are capped. */
static int parse_words(const char *s, int64_t *out)
{
	*out = 0;
	if (!s || !*s)
		return 0;
	size_t n = strlen(s);
	if (strspn(s, "0123456789") != n)
		return Q_EINVAL;
	if (n > 9) {
		*out = ARCHIVE_LISTING_WORDS_MAX;
		return 0;
	}
	int64_t v = atoll(s);
	*out = v > ARCHIVE_LISTING_WORDS_MAX ? ARCHIVE_LISTING_WORDS_MAX : v;
	return 0;
}

/* "YYYY-MM-DD" (1970 to 9999) to the first second of that UTC day. */
static int parse_date(const char *s, int64_t *out)
{
	*out = 0;
	if (!s || !*s)
		return 0;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
		return Q_EINVAL;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return Q_EINVAL;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return Q_EINVAL;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	*out = (int64_t)timegm(&tm);
	return 0;
}

static const char *rating_name(const char *s)
{
	for (size_t i = 0; i < sizeof rating_alias / sizeof rating_alias[0]; i++)
		if (!strcasecmp(s, rating_alias[i][0]))
			return rating_alias[i][1];
	return s;
}

/* One include group per name of type t (ratings: one group for all, any of them). */
static void add_groups(struct arena *a, const struct strlist *l, int type, bool one_group,
                       struct tag_group *groups, size_t *n)
{
	if (l->n == 0)
		return;
	struct tag_ref *refs = arena_calloc(a, l->n, sizeof *refs);
	for (size_t i = 0; i < l->n; i++)
		refs[i] = (struct tag_ref){type, l->items[i]};
	if (one_group) {
		groups[(*n)++] = (struct tag_group){refs, l->n};
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		groups[(*n)++] = (struct tag_group){&refs[i], 1};
}

int archive_listing_build(struct arena *a, const struct listing_params *p, enum listing_sort default_sort,
                          struct listing_state *st, struct listing_query *q, const char **field,
                          const char **message)
{
	struct problem pr = {0};
	memset(st, 0, sizeof *st);
	memset(q, 0, sizeof *q);
	int rc = 0;
	rc |= names(a, &p->tags, "tags", ARCHIVE_LISTING_TAGS_MAX, &st->tags, &pr);
	rc |= names(a, &p->exclude_tags, "exclude_tags", ARCHIVE_LISTING_TAGS_MAX, &st->exclude_tags, &pr);
	rc |= names(a, &p->rating, "rating", 5, &st->rating, &pr);
	rc |= names(a, &p->warnings, "warnings", 6, &st->warnings, &pr);
	rc |= names(a, &p->categories, "categories", 6, &st->categories, &pr);
	for (size_t i = 0; i < st->rating.n; i++)
		st->rating.items[i] = rating_name(st->rating.items[i]);

	static const char *const complete_yes[] = {"1", "true", "yes", "complete", NULL};
	static const char *const complete_no[] = {"0", "false", "no", "in_progress", "incomplete", NULL};
	static const char *const cross_yes[] = {"1", "true", "yes", "only", NULL};
	static const char *const cross_no[] = {"0", "false", "no", "exclude", NULL};
	if (parse_choice(p->complete, complete_yes, complete_no, &st->complete))
		rc |= fail(&pr, "complete", "complete must be \"true\" (complete works), \"false\" (works in progress) "
		                            "or empty (both).");
	if (parse_choice(p->crossover, cross_yes, cross_no, &st->crossover))
		rc |= fail(&pr, "crossover", "crossover must be \"only\", \"exclude\" or empty (both).");
	if (parse_words(p->words_from, &st->words_from))
		rc |= fail(&pr, "words_from", "words_from must be a whole number of words.");
	if (parse_words(p->words_to, &st->words_to))
		rc |= fail(&pr, "words_to", "words_to must be a whole number of words.");
	if (!rc && st->words_to && st->words_from > st->words_to)
		rc |= fail(&pr, "words_from", "words_from is larger than words_to: nothing could match.");
	int64_t from = 0, to = 0;
	if (parse_date(p->updated_from, &from))
		rc |= fail(&pr, "updated_from", "updated_from must be a date like 2024-05-31.");
	if (parse_date(p->updated_to, &to))
		rc |= fail(&pr, "updated_to", "updated_to must be a date like 2024-05-31.");
	if (!rc && from && to && from > to)
		rc |= fail(&pr, "updated_from", "updated_from is after updated_to: nothing could match.");
	st->updated_from = from ? p->updated_from : "";
	st->updated_to = to ? p->updated_to : "";

	const char *lang = p->language ? p->language : "";
	if (!utf8_valid(lang, strlen(lang)) || strlen(lang) > LANGUAGE_MAX)
		rc |= fail(&pr, "language", "language must be a language's name, like English.");
	else
		st->language = trim(a, lang, strlen(lang));

	struct search_terms sq = {0};
	const char *text = p->q ? p->q : "";
	int qrc = search_query_parse(a, text, strlen(text), &sq);
	if (qrc == Q_ETOOBIG)
		rc |= fail(&pr, "q", arena_printf(a, "Searches are at most %d characters and %d words or phrases.",
		                                  SEARCH_INPUT_MAX, SEARCH_TERMS_MAX));
	else if (qrc)
		rc |= fail(&pr, "q", "The search holds invalid text.");
	else
		st->q = trim(a, text, strlen(text));

	st->sort = default_sort;
	if (p->sort && *p->sort) {
		bool known = false;
		for (size_t i = 0; archive_listing_sorts[i].name; i++)
			if (!strcmp(p->sort, archive_listing_sorts[i].name)) {
				st->sort = archive_listing_sorts[i].sort;
				known = true;
			}
		if (!known)
			rc |= fail(&pr, "sort", "sort must be one of updated, published, kudos, hits, comments, bookmarks, "
			                        "words, title, creator or relevance.");
		st->sort_given = known;
	}
	st->page = 1;
	if (p->page && *p->page) {
		size_t n = strlen(p->page);
		long v = strspn(p->page, "0123456789") == n && n <= 9 ? atol(p->page) : -1;
		if (v < 1 || n > 9)
			rc |= fail(&pr, "page", "page must be a whole number from 1.");
		else if (v > LISTING_MAX_PAGES)
			rc |= fail(&pr, "page", arena_printf(a, "Only the first %d pages of a listing are shown: add a "
			                                        "filter to narrow it down.", LISTING_MAX_PAGES));
		else
			st->page = (int)v;
	}
	if (rc) {
		*field = pr.field;
		*message = pr.message;
		return Q_EINVAL;
	}

	st->any_filter = st->tags.n || st->exclude_tags.n || st->rating.n || st->warnings.n || st->categories.n ||
	                 st->complete >= 0 || st->crossover >= 0 || st->words_from || st->words_to || from || to ||
	                 *st->language || *st->q;
	/* The store's query: ratings are one group (any of them); every other name is a group of its own. */
	size_t ngroups = 0, max = st->tags.n + st->warnings.n + st->categories.n + 1;
	struct tag_group *groups = arena_calloc(a, max + 4, sizeof *groups);
	add_groups(a, &st->rating, TAG_RATING, true, groups, &ngroups);
	add_groups(a, &st->warnings, TAG_WARNING, false, groups, &ngroups);
	add_groups(a, &st->categories, TAG_CATEGORY, false, groups, &ngroups);
	add_groups(a, &st->tags, -1, false, groups, &ngroups);
	q->include = groups;
	q->ninclude = ngroups;
	struct tag_ref *ex = arena_calloc(a, st->exclude_tags.n + 1, sizeof *ex);
	for (size_t i = 0; i < st->exclude_tags.n; i++)
		ex[i] = (struct tag_ref){-1, st->exclude_tags.items[i]};
	q->exclude = ex;
	q->nexclude = st->exclude_tags.n;
	q->complete = st->complete;
	q->crossover = st->crossover;
	q->words_from = st->words_from;
	q->words_to = st->words_to;
	q->updated_from = from;
	q->updated_to = to ? to + 86399 : 0; /* through the end of that day */
	q->language = *st->language ? st->language : NULL;
	q->text = sq;
	q->sort = st->sort;
	q->page = st->page;
	return 0;
}

static void put_param(struct buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	if (b->len)
		buf_putc(b, '&');
	buf_puts(b, key);
	buf_putc(b, '=');
	esc_url(b, value, strlen(value));
}

static void put_list(struct arena *a, struct buf *b, const char *key, const struct strlist *l)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "," : "", l->items[i]);
	put_param(b, key, s);
}

char *archive_listing_query_string(struct arena *a, const struct listing_state *st, int page)
{
	struct buf b = BUF_INIT;
	put_list(a, &b, "tags", &st->tags);
	put_list(a, &b, "exclude_tags", &st->exclude_tags);
	put_list(a, &b, "rating", &st->rating);
	put_list(a, &b, "warnings", &st->warnings);
	put_list(a, &b, "categories", &st->categories);
	if (st->complete >= 0)
		put_param(&b, "complete", st->complete ? "true" : "false");
	if (st->crossover >= 0)
		put_param(&b, "crossover", st->crossover ? "only" : "exclude");
	if (st->words_from)
		put_param(&b, "words_from", arena_printf(a, "%lld", (long long)st->words_from));
	if (st->words_to)
		put_param(&b, "words_to", arena_printf(a, "%lld", (long long)st->words_to));
	put_param(&b, "updated_from", st->updated_from);
	put_param(&b, "updated_to", st->updated_to);
	put_param(&b, "language", st->language);
	put_param(&b, "q", st->q);
	if (st->sort_given)
		for (size_t i = 0; archive_listing_sorts[i].name; i++)
			if (archive_listing_sorts[i].sort == st->sort)
				put_param(&b, "sort", archive_listing_sorts[i].name);
	if (page > 1)
		put_param(&b, "page", arena_printf(a, "%d", page));
	char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}
