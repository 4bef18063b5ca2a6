/* The writer's check: the text cut into words (letters and inner apostrophes), each distinct word looked up
 * once, doubled words noticed on the way. Linear in the text; the lookups are capped. */
#include "writing/check.h"
#include "core/alloc.h"
#include "core/hash.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Doubled on purpose often enough that flagging them would be noise ("had had", "that that"). */
static const char *const doubled_ok[] = {"had", "that", "ha", "no", "so", "very", "bye", "now", "knock", "tut",
                                         "tsk", "la", "chop", "hush", "there", "well", "yes", "go", NULL};

struct entry {
	const char *word; /* arena copy, NUL-terminated */
	size_t len;
	int count;
	size_t first;     /* order of first appearance */
	bool name;        /* a word of the names: never unknown */
};

struct table {
	struct entry *e;
	size_t cap, n;
	struct arena *a;
	bool full;
};

/* The entry for word [s, s + n), added when new (NULL once the table is full). */
static struct entry *lookup(struct table *t, const char *s, size_t n)
{
	size_t i = hash_fnv1a(s, n) & (t->cap - 1);
	while (t->e[i].word) {
		if (t->e[i].len == n && !memcmp(t->e[i].word, s, n))
			return &t->e[i];
		i = (i + 1) & (t->cap - 1);
	}
	if (t->n >= WRITING_DISTINCT_MAX) {
		t->full = true;
		return NULL;
	}
	t->e[i] = (struct entry){arena_strndup(t->a, s, n), n, 0, t->n++, false};
	return &t->e[i];
}

static bool is_letter(utf8proc_int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) || (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME);
}

static bool same_word(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x != y && !(x < 128 && y < 128 && (x | 32) == (y | 32) && (x | 32) >= 'a' && (x | 32) <= 'z'))
			return false;
	}
	return true;
}

static bool doubled_is_ok(const char *w, size_t n)
{
	for (size_t i = 0; doubled_ok[i]; i++)
		if (same_word(w, n, doubled_ok[i], strlen(doubled_ok[i])))
			return true;
	return false;
}

static bool letter_at(const utf8proc_uint8_t *p, size_t i, size_t len)
{
	utf8proc_int32_t c = 0;
	return i < len && utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c) > 0 && is_letter(c);
}

/* Calls fn for every word of text: letters (and marks), with apostrophes (' or ’, written ') inside. A word
 * holding a digit is skipped. gap tells whether only spaces came between this word and the one before. */
typedef void word_fn(void *ctx, const char *w, size_t n, bool gap_is_space);
static void words_of(struct arena *a, const char *text, word_fn *fn, void *ctx)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(text ? text : "");
	size_t len = strlen((const char *)p);
	char *w = arena_alloc(a, len + 1); /* the word being read, apostrophes made ASCII */
	size_t wn = 0;
	bool digit = false, only_space = true;
	size_t i = 0;
	while (i <= len) {
		utf8proc_int32_t c = 0;
		utf8proc_ssize_t step = i < len ? utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c) : 1;
		if (step <= 0) {
			step = 1;
			c = 0xFFFD;
		}
		if (i < len && is_letter(c)) {
			memcpy(w + wn, p + i, (size_t)step);
			wn += (size_t)step;
		} else if (i < len && (c == '\'' || c == 0x2019) && wn > 0 && letter_at(p, i + (size_t)step, len)) {
			w[wn++] = '\''; /* inside a word: don't, Wren's */
		} else if (i < len && c >= '0' && c <= '9') {
			digit = true;
		} else {
			if (wn > 0 && !digit)
				fn(ctx, w, wn, only_space);
			if (wn > 0 || digit)
				only_space = true;
			wn = 0;
			digit = false;
			if (i < len && c != ' ')
				only_space = false;
		}
		i += (size_t)step;
	}
}

struct scan {
	struct table *t;
	struct writing_report *out;
	struct arena *a;
	const char *prev;
	size_t prev_n;
	bool names;
};

static void note_word(void *ctx, const char *w, size_t n, bool gap_is_space)
{
	struct scan *s = ctx;
	struct entry *e = lookup(s->t, w, n);
	if (s->names) {
		if (e)
			e->name = true;
		return;
	}
	s->out->words++;
	if (e)
		e->count++;
	if (gap_is_space && s->prev && same_word(s->prev, s->prev_n, w, n) && !doubled_is_ok(w, n) &&
	    s->out->ndoubled < WRITING_LIST_MAX)
		s->out->doubled[s->out->ndoubled++] = arena_printf(s->a, "%.*s %.*s", (int)s->prev_n, s->prev, (int)n, w);
	s->prev = e ? e->word : NULL;
	s->prev_n = n;
}

static int by_count(const void *x, const void *y)
{
	const struct entry *a = *(const struct entry *const *)x, *b = *(const struct entry *const *)y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

void writing_check(struct speller *sp, struct arena *a, const char *lang, const char *text, const char *names,
                   struct writing_report *out)
{
	memset(out, 0, sizeof *out);
	out->doubled = arena_calloc(a, WRITING_LIST_MAX, sizeof *out->doubled);
	size_t len = text ? strlen(text) : 0, cap = 64;
	while (cap < 2 * WRITING_DISTINCT_MAX && cap < 2 * (len / 2 + 16))
		cap *= 2;
	struct table t = {arena_calloc(a, cap, sizeof *t.e), cap, 0, a, false};
	struct scan s = {&t, out, a, NULL, 0, true};
	words_of(a, names, note_word, &s);
	s.names = false;
	words_of(a, text, note_word, &s);
	out->truncated = t.full;

	struct dictionary *d = speller_dictionary(sp, lang);
	if (!d)
		return;
	out->dictionary = dictionary_name(d);
	/* One lookup per distinct word, all under one lock. */
	const char **words = arena_calloc(a, t.n + 1, sizeof *words);
	struct entry **ents = arena_calloc(a, t.n + 1, sizeof *ents);
	size_t n = 0;
	for (size_t i = 0; i < t.cap; i++)
		if (t.e[i].word && t.e[i].count > 0 && !t.e[i].name && t.e[i].len > 1 && t.e[i].len <= WRITING_WORD_MAX) {
			words[n] = t.e[i].word;
			ents[n++] = &t.e[i];
		}
	bool *bad = arena_calloc(a, n + 1, sizeof *bad);
	dictionary_check(d, words, n, bad);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (bad[i])
			ents[k++] = ents[i];
	out->unknown_total = k;
	qsort(ents, k, sizeof *ents, by_count);
	out->nunknown = k < WRITING_LIST_MAX ? k : WRITING_LIST_MAX;
	out->unknown = arena_calloc(a, out->nunknown + 1, sizeof *out->unknown);
	for (size_t i = 0; i < out->nunknown; i++) {
		struct writing_word *u = &out->unknown[i];
		u->word = ents[i]->word;
		u->count = ents[i]->count;
		if (i < WRITING_SUGGEST_MAX && ents[i]->len <= WRITING_SUGGEST_WORD_MAX) {
			u->suggestions = arena_calloc(a, 4, sizeof *u->suggestions);
			u->nsuggestions = dictionary_suggest(d, a, u->word, u->suggestions, 3);
		}
	}
}
