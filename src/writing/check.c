/* The writer's check: the text cut into words once, the names of the story learned, then each finder in
 * turn (names, spelling, confusables, mechanics, tense, pronouns) adding what it is sure of; dismissed
 * suggestions dropped, the rest kept in text order. Linear in the text; the slow lookups are capped. */
#include "writing/check.h"
#include "writing/check_int.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

static const char *const kind_names[WRITING_KINDS] = {"spelling", "name", "confusable", "capital",
                                                      "punctuation", "doubled", "tense", "pronoun"};
static const char *const kind_titles[WRITING_KINDS] = {"Spelling", "Names", "Words often confused", "Capitals",
                                                       "Dialogue punctuation", "Doubled words", "Tense", "Pronouns"};

const char *writing_kind_name(enum writing_kind k)
{
	return (unsigned)k < WRITING_KINDS ? kind_names[k] : NULL;
}

const char *writing_kind_title(enum writing_kind k)
{
	return (unsigned)k < WRITING_KINDS ? kind_titles[k] : NULL;
}

int writing_kind_from_name(const char *name)
{
	for (int k = 0; name && k < WRITING_KINDS; k++)
		if (!strcmp(kind_names[k], name))
			return k;
	return -1;
}

size_t writing_char_offset(const char *text, size_t byte)
{
	size_t n = 0;
	for (size_t i = 0; i < byte && text[i]; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			n++;
	return n;
}

bool check_known(struct check *c, const char *w, size_t n)
{
	if (!c->ndicts)
		return true;
	struct wordset_entry *e = wordset_add(&c->known, w, n);
	if (!e->extra) {
		bool ok = false;
		for (size_t i = 0; i < c->ndicts && !ok; i++)
			ok = dictionary_knows(c->dicts[i], e->w);
		e->extra = ok ? 1 : 2;
	}
	return e->extra == 1;
}

bool check_is_name(struct check *c, const char *low, size_t n)
{
	if (n > 2 && low[n - 2] == '\'' && low[n - 1] == 's')
		n -= 2;
	if (wordset_get(&c->names, low, n))
		return true;
	struct wordset_entry *cap = wordset_get(&c->caps, low, n);
	return cap && cap->extra > 0 && !wordset_get(&c->lower, low, n);
}

static bool dismissed(struct check *c, const char *key)
{
	for (size_t i = 0; i < c->req->ndismissed && i < WRITING_DISMISSED_MAX; i++)
		if (c->req->dismissed[i] && !strcmp(c->req->dismissed[i], key))
			return true;
	return false;
}

static char *lower_copy(struct arena *a, const char *s, size_t n)
{
	char *o = arena_alloc(a, 4 * n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (step <= 0) {
			o[k++] = s[i++];
			continue;
		}
		utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *)o + k);
		k += w > 0 ? (size_t)w : 0;
		i += (size_t)step;
	}
	o[k] = 0;
	return o;
}

void check_add(struct check *c, enum writing_kind kind, size_t start, size_t end, const char *replacement,
               const char *message)
{
	if (end <= start || end > c->tx.len)
		return;
	struct writing_result *r = c->out;
	for (size_t i = r->n; i-- > 0 && r->n - i <= 8;) /* the same mark twice (two rules agreeing) */
		if (r->items[i].start == start && r->items[i].end == end)
			return;
	const char *found = arena_strndup(c->a, c->tx.s + start, end - start);
	const char *key = arena_printf(c->a, "%s:%s", kind_names[kind], lower_copy(c->a, found, end - start));
	if (dismissed(c, key))
		return;
	r->total++;
	r->by_kind[kind]++;
	if (r->n >= c->cap_items)
		return;
	r->items[r->n++] = (struct writing_suggestion){start, end, kind, found, replacement, message, key};
}

const char *check_match_case(struct check *c, size_t i, const char *word)
{
	if (!(c->tx.t[i].flags & TOK_CAP) || !word || !*word || (unsigned char)*word >= 128)
		return word;
	char *w = arena_strdup(c->a, word);
	if (w[0] >= 'a' && w[0] <= 'z')
		w[0] = (char)(w[0] - 32);
	return w;
}

static int by_start(const void *x, const void *y)
{
	const struct writing_suggestion *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->kind < b->kind ? -1 : a->kind > b->kind;
}

/* The longest prefix of s of at most max bytes that ends on a UTF-8 boundary. */
static size_t cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

void writing_check(struct speller *sp, struct arena *a, const struct writing_request *req, struct writing_result *out)
{
	memset(out, 0, sizeof *out);
	struct check c = {.a = a, .req = req, .out = out, .cap_items = WRITING_LIST_MAX};
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	c.started = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	const char *text = req->text ? req->text : "";
	size_t len = cut(text, WRITING_TEXT_MAX);
	out->truncated = len < strlen(text);
	out->items = arena_calloc(a, WRITING_LIST_MAX, sizeof *out->items);
	text_tokenize(a, text, len, &c.tx);
	out->words = c.tx.n;

	c.ndicts = speller_dictionaries(sp, req->lang && *req->lang ? req->lang : "en", c.dicts, SPELLER_VARIANTS_MAX);
	if (c.ndicts) {
		char *names = arena_alloc(a, 18 * c.ndicts + 1); /* 15 bytes a name, ", " between */
		*names = 0;
		for (size_t i = 0; i < c.ndicts; i++) {
			strcat(names, i ? ", " : "");
			strncat(names, dictionary_name(c.dicts[i]), 15);
		}
		out->dictionaries = names;
	}
	wordset_init(&c.names, a, 64);
	wordset_init(&c.caps, a, c.tx.n / 8 + 16);
	wordset_init(&c.lower, a, c.tx.n / 4 + 16);
	wordset_init(&c.known, a, c.tx.n / 4 + 16);
	wordset_init(&c.gender, a, 64);

	struct text names, context;
	const char *nm = req->names ? req->names : "", *cx = req->context ? req->context : "";
	text_tokenize(a, nm, cut(nm, WRITING_NAMES_MAX), &names);
	/* "Barnacle the Cat", "The Ferryman": the small words of a name are no names. */
	static const char *const small[] = {"a", "an", "and", "at", "da", "de", "del", "der", "di", "du", "el", "la",
	                                    "le", "of", "on", "the", "to", "van", "von", "x", NULL};
	for (size_t i = 0; i < names.n; i++) {
		bool skip = false;
		for (size_t k = 0; small[k] && !skip; k++)
			skip = !strcmp(small[k], names.t[i].low);
		if (!skip)
			wordset_add(&c.names, names.t[i].low, names.t[i].len)->count++;
	}
	text_tokenize(a, cx, cut(cx, WRITING_CONTEXT_MAX), &context);
	struct text save = c.tx;
	c.tx = context;
	names_learn(&c);
	c.tx = save;
	names_learn(&c);

	names_check(&c);
	spelling_check(&c);
	confusables_check(&c);
	mechanics_check(&c);
	tense_check(&c);
	pronouns_check(&c);
	qsort(out->items, out->n, sizeof *out->items, by_start);
}
