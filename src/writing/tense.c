/* Tense drift: in a chapter narrated in the past tense, a present-tense verb in the narration (outside
 * dialogue, italics and author's notes) right after its subject, or after one adverb: "she has ever
 * known", "He looks happy", "The night is cold", "Dana always knows"; a modal in the present ("she can
 * hear", "he will remember"); "have" and "don't" after they, we or a noun; a present verb joined to a past
 * one ("She turned and checks"). A chapter narrated in the present is left alone. */
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

/* Modals and auxiliaries whose present is drift after any subject ("she can hear" -> "could"), and those
 * only after a plural one (they, we, a noun: "They have been", "they don't"; "I have" and "you do" are too
 * often a narrator speaking now). */
static const struct {
	const char *present, *past;
} modals[] = {
	{"can", "could"}, {"can't", "couldn't"}, {"cannot", "could not"}, {"will", "would"}, {"won't", "wouldn't"},
};
static const struct {
	const char *present, *past;
} plural_aux[] = {
	{"have", "had"}, {"haven't", "hadn't"}, {"do", "did"}, {"don't", "didn't"},
};

/* Adverbs that come between a subject and its verb ("she always knows"), besides words in -ly. */
static const char *const adverbs[] = {"already", "also", "always", "even", "ever", "just", "never", "often", "only", "seldom", "sometimes", "still", NULL};
/* Words in -ly that are no adverbs. */
static const char *const not_adverbs[] = {"ally", "belly", "bully", "family", "fly", "folly", "holly", "jelly", "lily", "rally", "reply", "supply", NULL};

/* Words after a noun that show the noun is the subject ("the Bell brothers had"), so the word before them
 * is no verb. */
static const char *const aux_after[] = {"could", "did", "had", "might", "must", "should", "was", "were", "would", NULL};
/* Determiners and possessives: a name after one is part of a noun phrase ("the Bell brothers"). */
static const char *const determiners[] = {"a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "these", "this", "those", "your", NULL};
/* Particles and adverbs between a past verb and "and" ("sat down and waits"). */
static const char *const particles[] = {"again", "around", "away", "back", "down", "in", "off", "on", "out", "over", "round", "up", NULL};

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
	bool det = i >= 2 && text_gap_plain(tx, i - 1) && in(determiners, tx->t[i - 2].low); /* "the Bell brothers" */
	if ((p->flags & TOK_CAP) && !(p->flags & TOK_SENT) && !det && check_is_name(c, p->low, p->len))
		return 1;
	if ((p->flags & TOK_CAP) && !det && wordset_get(&c->names, p->low, p->len))
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

/* An adverb at token i ("always", "slowly"). */
static bool adverb(const struct tok *t)
{
	return !(t->flags & TOK_CAP) && (in(adverbs, t->low) || (t->len > 4 && !strcmp(t->low + t->len - 2, "ly") &&
	                                                         !in(not_adverbs, t->low)));
}

/* A past-tense verb at token i (a word in -ed, or one of the common irregular pasts). */
static bool past_verb(const struct tok *t)
{
	if (t->len > 4 && !strcmp(t->low + t->len - 2, "ed"))
		return true;
	for (size_t k = 0; k < sizeof irregular / sizeof irregular[0]; k++)
		if (!strcmp(irregular[k].past, t->low))
			return true;
	return false;
}

/* Token i follows "and" that joins it to a past verb of the same subject ("turned and checks", "sat down
 * and waits"). */
static bool joined_to_past(const struct text *tx, size_t i)
{
	if (i < 2 || !text_gap_plain(tx, i) || strcmp(tx->t[i - 1].low, "and") || !text_gap_plain(tx, i - 1))
		return false;
	size_t k = i - 2;
	if (in(particles, tx->t[k].low) && k > 0 && text_gap_plain(tx, k))
		k--;
	return narration(&tx->t[k]) && !(tx->t[k].flags & TOK_CAP) && past_verb(&tx->t[k]);
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
		if (!subj && i >= 2 && adverb(&tx->t[i - 1]) && text_gap_plain(tx, i))
			subj = subject_before(c, i - 1); /* "she always knows" */
		const char *fix = NULL;
		if (!subj) {
			/* "She turned and checks": a regular or irregular verb joined to a past one. */
			if (joined_to_past(tx, i) && (fix = past_of(c, t)) != NULL)
				check_add(c, WRITING_TENSE, t->start, t->end, fix,
				          "The story is told in the past tense; this verb is in the present.");
			continue;
		}
		for (size_t k = 0; k < sizeof be_have / sizeof be_have[0] && !fix; k++)
			if (!strcmp(be_have[k].present, t->low))
				fix = be_have[k].past;
		for (size_t k = 0; k < sizeof modals / sizeof modals[0] && !fix; k++)
			if (!strcmp(modals[k].present, t->low))
				fix = modals[k].past;
		for (size_t k = 0; k < sizeof plural_aux / sizeof plural_aux[0] && !fix && subj == 2; k++)
			if (!strcmp(plural_aux[k].present, t->low) && strcmp(tx->t[i - 1].low, "i") && strcmp(tx->t[i - 1].low, "you"))
				fix = plural_aux[k].past;
		if (fix && subj == 2 && !strcmp(t->low, "is"))
			fix = "was";
		if (!fix && subj == 1) {
			fix = past_of(c, t);
			/* A noun before an auxiliary is the subject itself ("the Bell brothers had"). */
			if (fix && i + 1 < tx->n && text_gap_plain(tx, i + 1) && in(aux_after, tx->t[i + 1].low))
				fix = NULL;
		}
		if (!fix)
			continue;
		check_add(c, WRITING_TENSE, t->start, t->end, fix,
		          "The story is told in the past tense; this verb is in the present.");
	}
}
