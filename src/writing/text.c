/* The text as the finders see it: words with offsets, lower-cased once; sentence and paragraph starts;
 * which words are inside dialogue or italics; author's-note paragraphs. Also the word sets they count in. */
#include "writing/check_int.h"
#include "core/hash.h"
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

static bool is_letter(utf8proc_int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) || (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME);
}

static bool is_upper(utf8proc_int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT;
}

/* The code point at s[i] (U+FFFD for a broken byte) and its length (at least 1). */
static utf8proc_int32_t cp_at(const char *s, size_t len, size_t i, size_t *step)
{
	utf8proc_int32_t c = 0;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
	if (k <= 0) {
		*step = 1;
		return 0xFFFD;
	}
	*step = (size_t)k;
	return c;
}

static bool letter_at(const char *s, size_t len, size_t i)
{
	size_t step;
	return i < len && is_letter(cp_at(s, len, i, &step));
}

/* The code point ending just before byte i (0 at the start). */
static utf8proc_int32_t cp_before(const char *s, size_t i)
{
	size_t j = i;
	while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80 && i - j < 3)
		j--;
	if (j == 0)
		return 0;
	j--;
	size_t step;
	return cp_at(s, i, j, &step);
}

static bool is_apostrophe(utf8proc_int32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* Elisions written with a leading apostrophe: 'em, 'tis. */
static const char *const lead_elisions[] = {"bout", "cause", "cos", "em", "fore", "kay", "n", "nuff", "round",
                                            "sup", "til", "tis", "twas", "twere", "ya", "yer", NULL};

/* A paragraph that is the author speaking, not the story (A/N: ..., Disclaimer: ...). */
static bool note_paragraph(const char *p, size_t n)
{
	static const char *const starts[] = {"a/n", "an:", "author's note", "author’s note", "authors note",
	                                     "author note", "disclaimer", "end note", "note:", "notes:", "ps:", "p.s.", NULL};
	while (n && (*p == ' ' || *p == '\t' || *p == '*' || *p == '_' || *p == '('))
		p++, n--;
	for (size_t i = 0; starts[i]; i++) {
		size_t k = strlen(starts[i]);
		if (n >= k && !strncasecmp(p, starts[i], k))
			return true;
	}
	return false;
}

bool text_gap_plain(const struct text *tx, size_t i)
{
	size_t n;
	const char *g = text_gap(tx, i, &n);
	if (n == 0)
		return false;
	for (size_t k = 0; k < n; k++)
		if (g[k] != ' ' && g[k] != '\t')
			return false;
	return true;
}

bool text_gap_has(const struct text *tx, size_t i, const char *set)
{
	size_t n;
	const char *g = text_gap(tx, i, &n);
	for (size_t k = 0; k < n; k++)
		if (g[k] && strchr(set, g[k]))
			return true;
	return false;
}

size_t text_quote_close_at(const char *p, size_t n)
{
	if (n >= 1 && *p == '"')
		return 1;
	if (n >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x9D)
		return 3;
	return 0;
}

void text_tokenize(struct arena *a, const char *s, size_t len, struct text *out)
{
	/* Pass 1 counts the words so that the array is exact (a long text costs what it holds). */
	size_t count = 0;
	bool in = false;
	for (size_t i = 0; i < len;) {
		size_t step;
		bool l = is_letter(cp_at(s, len, i, &step));
		if (l && !in)
			count++;
		in = l || (in && is_apostrophe(cp_at(s, len, i, &step)) && letter_at(s, len, i + step));
		i += step;
	}
	out->s = s;
	out->len = len;
	out->t = arena_calloc(a, count + 1, sizeof *out->t);
	out->n = 0;
	/* Lower case can be longer (U+023A, 2 bytes, lowers to U+2C65, 3): room for twice, and a NUL a word. */
	char *low = arena_alloc(a, 2 * len + count + 1);
	size_t lown = 0;

	uint32_t para = 0, sent = 0;
	bool para_start = true, sent_start = true, dq = false, sq = false, ital = false, note = false;
	bool last_abbrev = false;
	size_t i = 0;
	while (i < len) {
		size_t step;
		utf8proc_int32_t c = cp_at(s, len, i, &step);
		if (!is_letter(c)) {
			if (c == '\n') {
				/* A line break starts a paragraph: plain text and html_plain keep one per block. */
				if (!para_start)
					para++;
				para_start = sent_start = true;
				dq = sq = ital = false;
				note = false;
			} else if (c == '"') {
				/* Straight quotes: open after a space, a line start or an opening bracket; else close. */
				utf8proc_int32_t b = cp_before(s, i);
				dq = b == 0 || b == ' ' || b == '\n' || b == '\t' || b == '(' || b == '[' || b == 0x2014;
			} else if (c == 0x201C) {
				dq = true;
			} else if (c == 0x201D) {
				dq = false;
			} else if (c == 0x2018 && !is_letter(cp_before(s, i))) {
				sq = true;
			} else if (c == 0x2019 && sq && !letter_at(s, len, i + step)) {
				sq = false;
			} else if ((c == '*' || c == '_') && !(i + 1 < len && s[i + 1] == c)) {
				ital = !ital;
			} else if (c == '.' || c == '!' || c == '?' || c == 0x2026) {
				if (!(c == '.' && last_abbrev))
					sent_start = true;
			} else if (c == ',' || c == ';') {
				sent_start = false; /* "2 a.m., and": no sentence ends before a comma */
			}
			i += step;
			continue;
		}
		/* A word: letters, marks, inner apostrophes. */
		size_t start = i, lstart = lown;
		bool digit = false, first_upper = is_upper(c), any_upper_after = false, all_upper = true;
		size_t letters = 0;
		while (i < len) {
			c = cp_at(s, len, i, &step);
			if (is_letter(c)) {
				letters++;
				if (letters > 1 && is_upper(c))
					any_upper_after = true;
				if (utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
					all_upper = false;
				utf8proc_int32_t lc = utf8proc_tolower(c);
				utf8proc_uint8_t enc[4];
				utf8proc_ssize_t k = utf8proc_encode_char(lc, enc);
				if (k > 0) {
					memcpy(low + lown, enc, (size_t)k);
					lown += (size_t)k;
				}
			} else if (is_apostrophe(c) && letter_at(s, len, i + step)) {
				low[lown++] = '\'';
			} else if (c >= '0' && c <= '9') {
				digit = true;
			} else {
				break;
			}
			i += step;
		}
		size_t end = i;
		while (i < len && s[i] >= '0' && s[i] <= '9') { /* "8pm" is no word */
			digit = true;
			i++;
		}
		low[lown++] = 0;
		if (out->n >= count + 1)
			break;
		struct tok *t = &out->t[out->n];
		t->start = (uint32_t)start;
		t->end = (uint32_t)end;
		t->low = low + lstart;
		t->len = (uint16_t)(lown - lstart - 1 > 0xFFFF ? 0xFFFF : lown - lstart - 1);
		t->flags = 0;
		if (first_upper)
			t->flags |= TOK_CAP;
		if (letters >= 2 && all_upper && first_upper)
			t->flags |= TOK_ALLCAPS;
		else if (any_upper_after)
			t->flags |= TOK_MIXED;
		if (para_start) {
			t->flags |= TOK_PARA | TOK_SENT;
			note = note_paragraph(s + start, len - start);
		} else if (sent_start) {
			t->flags |= TOK_SENT;
		}
		if (note)
			t->flags |= TOK_NOTE;
		if (dq || sq || ital)
			t->flags |= TOK_QUOTED;
		/* 'em, comin': the apostrophe outside the word says it is dialect, written as spoken. */
		utf8proc_int32_t before = cp_before(s, start);
		if (is_apostrophe(before) && !is_letter(cp_before(s, start - (before == '\'' ? 1 : 3)))) {
			for (size_t k = 0; lead_elisions[k]; k++)
				if (!strcmp(t->low, lead_elisions[k]))
					t->flags |= TOK_EDGE_APOS;
		}
		if (end < len && t->len >= 2 && !strcmp(t->low + t->len - 2, "in")) {
			size_t st;
			if (is_apostrophe(cp_at(s, len, end, &st)) && !letter_at(s, len, end + st))
				t->flags |= TOK_EDGE_APOS;
		}
		if (para_start || sent_start)
			sent++;
		t->para = para;
		t->sent = sent;
		para_start = sent_start = false;
		last_abbrev = lex_abbreviation(t->low) || letters == 1;
		if (!digit)
			out->n++;
	}
}

void wordset_init(struct wordset *ws, struct arena *a, size_t expect)
{
	size_t cap = 64;
	while (cap < 2 * expect)
		cap *= 2;
	ws->e = arena_calloc(a, cap, sizeof *ws->e);
	ws->cap = cap;
	ws->used = 0;
	ws->a = a;
}

static struct wordset_entry *slot(struct wordset_entry *e, size_t cap, const char *w, size_t n)
{
	size_t i = hash_fnv1a(w, n) & (cap - 1);
	while (e[i].w && !(e[i].n == n && !memcmp(e[i].w, w, n)))
		i = (i + 1) & (cap - 1);
	return &e[i];
}

struct wordset_entry *wordset_get(const struct wordset *ws, const char *w, size_t n)
{
	struct wordset_entry *e = slot(ws->e, ws->cap, w, n);
	return e->w ? e : NULL;
}

struct wordset_entry *wordset_add(struct wordset *ws, const char *w, size_t n)
{
	if (2 * (ws->used + 1) > ws->cap) {
		size_t cap = ws->cap * 2;
		struct wordset_entry *e = arena_calloc(ws->a, cap, sizeof *e);
		for (size_t i = 0; i < ws->cap; i++)
			if (ws->e[i].w)
				*slot(e, cap, ws->e[i].w, ws->e[i].n) = ws->e[i];
		ws->e = e;
		ws->cap = cap;
	}
	struct wordset_entry *e = slot(ws->e, ws->cap, w, n);
	if (!e->w) {
		*e = (struct wordset_entry){arena_strndup(ws->a, w, n), (uint32_t)n, 0, 0};
		ws->used++;
	}
	return e;
}
