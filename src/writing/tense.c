/* Tense drift: in a chapter narrated in the past tense, a present-tense verb in the narration (outside
 * dialogue, italics and author's notes) right after its subject: "she has ever known", "He looks happy",
 * "The night is cold". A chapter narrated in the present is left alone. */
#include "writing/check_int.h"
#include <stdio.h>
#include <string.h>

static const struct {
	const char *present, *past;
} be_have[] = {
	{"is", "was"}, {"are", "were"}, {"am", "was"}, {"has", "had"}, {"isn't", "wasn't"}, {"aren't", "weren't"},
	{"hasn't", "hadn't"}, {"does", "did"}, {"doesn't", "didn't"},
};

static const struct {
	const char *present, *past;
} irregular[] = {
	{"becomes", "became"}, {"begins", "began"}, {"brings", "brought"}, {"buys", "bought"}, {"catches", "caught"},
	{"comes", "came"}, {"draws", "drew"}, {"drives", "drove"}, {"falls", "fell"}, {"feels", "felt"},
	{"finds", "found"}, {"forgets", "forgot"}, {"gets", "got"}, {"gives", "gave"}, {"goes", "went"},
	{"grows", "grew"}, {"hears", "heard"}, {"holds", "held"}, {"keeps", "kept"}, {"knows", "knew"},
	{"leaves", "left"}, {"loses", "lost"}, {"makes", "made"}, {"means", "meant"}, {"reads", "read"},
	{"rises", "rose"}, {"runs", "ran"}, {"says", "said"}, {"sees", "saw"}, {"sends", "sent"}, {"shakes", "shook"},
	{"sits", "sat"}, {"sleeps", "slept"}, {"speaks", "spoke"}, {"spends", "spent"}, {"stands", "stood"},
	{"takes", "took"}, {"teaches", "taught"}, {"tells", "told"}, {"thinks", "thought"}, {"throws", "threw"},
	{"understands", "understood"}, {"wakes", "woke"}, {"wears", "wore"}, {"wins", "won"}, {"writes", "wrote"},
};

/* Words ending in s that are no verbs after a subject. */
static const char *const not_verbs[] = {"across", "afterwards", "always", "as", "besides", "has", "hers", "his", "is", "its", "less", "nevertheless", "ours", "perhaps", "sometimes", "theirs", "thus", "towards", "unless", "us", "was", "yes", "yours", NULL};

static const char *const past_markers[] = {"asked", "could", "did", "felt", "got", "had", "knew", "looked", "made", "said", "saw", "thought", "took", "was", "went", "were", NULL};
static const char *const present_markers[] = {"am", "are", "does", "feels", "gets", "goes", "has", "is", "knows", "looks", "makes", "says", "sees", "takes", "thinks", NULL};

static bool narration(const struct tok *t)
{
	return !(t->flags & (TOK_QUOTED | TOK_NOTE));
}

#define in(list, w) lex_has(list, sizeof list / sizeof list[0] - 1, w)

/* The subject right before token i: a pronoun, a name, or a determiner and a noun ("the night"). 1: he,
 * she, it or a name (third person singular); 2: another subject pronoun or det + noun; 0: none. */
static int subject_before(struct check *c, size_t i)
{
	const struct text *tx = &c->tx;
	if (i == 0 || !text_gap_plain(tx, i) || !narration(&tx->t[i - 1]))
		return 0;
	const struct tok *p = &tx->t[i - 1];
	if (!strcmp(p->low, "he") || !strcmp(p->low, "she") || !strcmp(p->low, "it"))
		return 1;
	if ((p->flags & TOK_CAP) && !(p->flags & TOK_SENT) && check_is_name(c, p->low, p->len))
		return 1;
	if ((p->flags & TOK_CAP) && wordset_get(&c->names, p->low, p->len))
		return 1;
	if (!strcmp(p->low, "they") || !strcmp(p->low, "we") || !strcmp(p->low, "i") || !strcmp(p->low, "you"))
		return 2;
	if (i >= 2 && text_gap_plain(tx, i - 1) && !(p->flags & TOK_CAP)) {
		const char *d = tx->t[i - 2].low;
		if (!strcmp(d, "the") || !strcmp(d, "a") || !strcmp(d, "her") || !strcmp(d, "his") || !strcmp(d, "their") ||
		    !strcmp(d, "its") || !strcmp(d, "my"))
			return 2;
	}
	return 0;
}

/* The past of a third-person present verb ("walks" -> "walked"), or NULL when t is none we can tell. */
static const char *past_of(struct check *c, const struct tok *t)
{
	for (size_t k = 0; k < sizeof irregular / sizeof irregular[0]; k++)
		if (!strcmp(irregular[k].present, t->low))
			return irregular[k].past;
	size_t n = t->len;
	if (n < 4 || t->low[n - 1] != 's' || t->low[n - 2] == 's' || t->low[n - 2] == '\'' || in(not_verbs, t->low))
		return NULL;
	char stem[WRITING_WORD_MAX + 4];
	if (n > WRITING_WORD_MAX)
		return NULL;
	memcpy(stem, t->low, n - 1);
	stem[n - 1] = 0;
	char past[WRITING_WORD_MAX + 8];
	if (n > 4 && !strcmp(t->low + n - 3, "ies"))
		snprintf(past, sizeof past, "%.*sied", (int)(n - 3), t->low);
	else if (stem[n - 2] == 'e')
		snprintf(past, sizeof past, "%sd", stem);
	else
		snprintf(past, sizeof past, "%sed", stem);
	if (!check_known(c, stem, strlen(stem)) || !check_known(c, past, strlen(past)))
		return NULL;
	return arena_strdup(c->a, past);
}

void tense_check(struct check *c)
{
	const struct text *tx = &c->tx;
	size_t past = 0, present = 0;
	for (size_t i = 0; i < tx->n; i++) {
		const struct tok *t = &tx->t[i];
		if (!narration(t))
			continue;
		if (in(past_markers, t->low) || (t->len > 4 && !strcmp(t->low + t->len - 2, "ed")))
			past++;
		else if (in(present_markers, t->low))
			present++;
	}
	c->past_narration = past >= 10 && past >= 6 * present;
	if (!c->past_narration)
		return;
	for (size_t i = 1; i < tx->n; i++) {
		const struct tok *t = &tx->t[i];
		if (!narration(t) || (t->flags & TOK_CAP))
			continue;
		int subj = subject_before(c, i);
		if (!subj)
			continue;
		const char *fix = NULL;
		for (size_t k = 0; k < sizeof be_have / sizeof be_have[0] && !fix; k++)
			if (!strcmp(be_have[k].present, t->low))
				fix = be_have[k].past;
		if (fix && subj == 2 && !strcmp(t->low, "is"))
			fix = "was";
		if (!fix && subj == 1)
			fix = past_of(c, t);
		if (!fix)
			continue;
		check_add(c, WRITING_TENSE, t->start, t->end, fix,
		          "The story is told in the past tense; this verb is in the present.");
	}
}
