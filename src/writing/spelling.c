/* Spelling: words no dictionary of the language knows (any variant unless the writer picked one), less the
 * story's names, dialect and slang in dialogue, and fandom words. A capitalised word is a name unless it
 * opens a sentence, appears once and is one letter from a word; a word in dialogue is flagged only when it
 * is one letter from a word (otherwise it is taken as dialect). Suggestions: the words one edit away
 * (cheap: a few hundred lookups), else Hunspell's own, within a time budget. */
#include "writing/check_int.h"
#include <string.h>
#include <time.h>

/* Hunspell's own suggestions cost 5-20 ms a word: asked only while the check has used less than this much
 * CPU time, for at most SUGGEST_HUNSPELL_MAX words (the others keep their mark, without a suggestion). */
#define SUGGEST_BUDGET_NS 15000000LL
#define SUGGEST_HUNSPELL_MAX 2
#define SUGGEST_EDITS_MAX 100   /* distinct unknown words given edits; past that, flagged without */


/* Candidates are looked up in one dictionary of the language only (the last: en_US of en_GB, en_US):
 * a few hundred lookups a word, most of them of no word at all, are the check's main cost. */
static bool known_z(struct check *c, const char *w)
{
	return dictionary_knows(c->dicts[c->ndicts - 1], w);
}

static bool vowel(char ch)
{
	return ch && strchr("aeiouy", ch) != NULL;
}

/* Letters a typist hits for ch: its keyboard neighbours and the letters that sound like it. */
static const char *near(char ch)
{
	static const char *const keys[26] = {
		"qwsze",  "vghnp", "xdfvks", "serfcxt", "wsdri", "drtgvcp", "ftyhbvj", "gyujnb", "ujkoe", "huikmng",
		"jiolmc", "kop", "njkn", "bhjmg", "iklpu", "olb", "wa", "edft", "awedxzc", "rfgyd", "yhjio", "cfgbw",
		"qasedu", "zsdc", "tghui", "asxs"};
	return ch >= 'a' && ch <= 'z' ? keys[ch - 'a'] : "";
}

/* What may have been left out before position i: a vowel, a letter doubled, the usual silent ones. */
static void missing_letters(const char *w, size_t i, char *out)
{
	size_t k = 0;
	for (const char *v = "aeiouhrnltsdc'"; *v; v++)
		out[k++] = *v;
	if (i > 0 && !strchr(out, w[i - 1]))
		out[k++] = w[i - 1];
	if (w[i] && !strchr(out, w[i]))
		out[k++] = w[i];
	out[k] = 0;
}

/* The likeliest word one edit from w (ASCII lower case), or NULL: a swap first, then a vowel for a vowel, a
 * missing letter, a letter too many (a doubled one before others), another wrong letter, a missing space
 * ("alot"). Without word frequencies, the kind of slip decides. */
static const char *edit_one(struct check *c, const char *w, size_t n)
{
	if (n < 2 || n > WRITING_SUGGEST_WORD_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)w[i] >= 128)
			return NULL;
	char b[WRITING_SUGGEST_WORD_MAX + 3], best[WRITING_SUGGEST_WORD_MAX + 3];
	int best_score = 99;
#define TRY(score)                                                                                              \
	do {                                                                                                        \
		if ((score) < best_score && b[0] != '\'' && known_z(c, b)) {                                            \
			best_score = (score);                                                                               \
			memcpy(best, b, strlen(b) + 1);                                                                     \
		}                                                                                                       \
	} while (0)
	/* A missing space after a small word that is often run on ("alot", "infact", "eachother"): first. */
	static const char *const run_on[] = {"a", "as", "at", "each", "in", "no", "of", "to", NULL};
	for (size_t r = 0; run_on[r]; r++) {
		size_t k = strlen(run_on[r]);
		if (n > k + 1 && !strncmp(w, run_on[r], k) && known_z(c, w + k))
			return arena_printf(c->a, "%s %s", run_on[r], w + k);
	}
	for (size_t i = 0; i + 1 < n && best_score > 1; i++) { /* swapped */
		if (w[i] == w[i + 1])
			continue;
		memcpy(b, w, n + 1);
		b[i] = w[i + 1];
		b[i + 1] = w[i];
		TRY(1);
	}
	for (size_t i = 0; i < n && best_score > 2; i++) { /* one wrong: a vowel for a vowel, else a near key */
		const char *cands = vowel(w[i]) ? "aeiouy" : near(w[i]);
		for (const char *l = cands; *l; l++) {
			if (*l == w[i])
				continue;
			memcpy(b, w, n + 1);
			b[i] = *l;
			TRY(vowel(*l) && vowel(w[i]) ? 2 : 5);
		}
	}
	for (size_t i = 0; i <= n && best_score > 3; i++) { /* a letter missing */
		char cands[24];
		missing_letters(w, i, cands);
		for (const char *l = cands; *l; l++) {
			memcpy(b, w, i);
			b[i] = *l;
			memcpy(b + i + 1, w + i, n - i + 1);
			TRY(3);
		}
	}
	for (size_t i = 0; i < n && best_score > 3; i++) { /* a letter too many */
		memcpy(b, w, i);
		memcpy(b + i, w + i + 1, n - i);
		TRY(i > 0 && w[i - 1] == w[i] ? 3 : 4);
	}
#undef TRY
	return best_score < 99 ? arena_strdup(c->a, best) : NULL;
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct suggester {
	struct wordset memo; /* word -> extra: 1 + index in fixes, or 0 when not yet asked */
	const char **fixes;
	size_t nfixes, cap, hunspell_calls;
	long long start; /* CPU time when the check started */
};

/* The suggestion for an unknown word (memoised): one edit away, else Hunspell's first; NULL for none.
 * *close is set when the fix is one edit away. */
static const char *suggest(struct check *c, struct suggester *s, const char *w, size_t n, bool *close)
{
	struct wordset_entry *e = wordset_add(&s->memo, w, n);
	if (e->extra) {
		*close = e->count == 1;
		return s->fixes[e->extra - 1];
	}
	const char *fix = s->nfixes < SUGGEST_EDITS_MAX ? edit_one(c, w, n) : NULL;
	*close = fix != NULL;
	if (!fix && n <= WRITING_SUGGEST_WORD_MAX && s->hunspell_calls < SUGGEST_HUNSPELL_MAX &&
	    now_ns() - s->start < SUGGEST_BUDGET_NS && c->ndicts) {
		const char *list[1];
		if (dictionary_suggest(c->dicts[c->ndicts - 1], c->a, e->w, list, 1) == 1)
			fix = list[0];
		s->hunspell_calls++;
	}
	if (s->nfixes == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		const char **f = arena_calloc(c->a, cap, sizeof *f);
		if (s->nfixes)
			memcpy(f, s->fixes, s->nfixes * sizeof *f);
		s->fixes = f;
		s->cap = cap;
	}
	s->fixes[s->nfixes++] = fix;
	e->extra = (uint32_t)s->nfixes;
	e->count = *close;
	return fix;
}

void spelling_check(struct check *c)
{
	if (!c->ndicts)
		return;
	struct suggester s = {0};
	s.start = c->started;
	wordset_init(&s.memo, c->a, 64);
	for (size_t i = 0; i < c->tx.n; i++) {
		const struct tok *t = &c->tx.t[i];
		if (t->len < 2 || t->len > WRITING_WORD_MAX || (t->flags & (TOK_ALLCAPS | TOK_MIXED | TOK_EDGE_APOS)))
			continue;
		if (wordset_get(&c->names, t->low, t->len) || lex_extra(t->low))
			continue;
		if (check_known(c, t->low, t->len))
			continue;
		bool close = false;
		/* "un-holstered", "re-read": a short prefix on its own is no misspelling. */
		if (t->len <= 3 && t->end < c->tx.len && c->tx.s[t->end] == '-')
			continue;
		if (t->flags & TOK_CAP) {
			/* A name, unless it opens a sentence (not in dialogue: "Liv, I'm sorry"), is written once, and is
			 * a typo of a word. */
			if (!(t->flags & TOK_SENT) || (t->flags & TOK_QUOTED) || check_is_name(c, t->low, t->len))
				continue;
			const char *orig = arena_strndup(c->a, c->tx.s + t->start, t->end - t->start);
			if (check_known(c, orig, strlen(orig)))
				continue;
			struct wordset_entry *e = wordset_get(&c->caps, t->low, t->len);
			if (e && e->count > 1)
				continue;
			const char *fix = suggest(c, &s, t->low, t->len, &close);
			if (!close)
				continue;
			check_add(c, WRITING_SPELLING, t->start, t->end, check_match_case(c, i, fix),
			          "Not in the dictionary.");
			continue;
		}
		if (check_is_name(c, t->low, t->len))
			continue;
		const char *fix = suggest(c, &s, t->low, t->len, &close);
		if ((t->flags & TOK_QUOTED) && !close)
			continue; /* dialogue: dialect, slang, a voice */
		check_add(c, WRITING_SPELLING, t->start, t->end, fix, "Not in the dictionary.");
	}
}
