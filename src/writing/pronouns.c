/* Pronoun agreement, where it can be told: each name's pronouns are learned from the sentences that name
 * one person only. A reflexive or "his own"/"her own" agrees with the subject of its clause when nobody
 * else comes between ("Priya poured himself a coffee"; "Theo handed him a towel, and she kept his own hood
 * up": the subject is the slip). In a paragraph whose people (named in it or the one before, or called
 * man, woman...) are all of one gender, a lone pronoun of the other gender (or two among many) fits nobody
 * in the scene ("her hands started to tremble and he lowered her weapon"). Anyone of unknown gender in the
 * scene, or any person not named (a stranger, the driver), and nothing is said. */
#include "writing/check_int.h"
#include <string.h>

#define GENDER_BIAS (1u << 30) /* votes are counted around it (unsigned) */

static const char *const male_pronouns[] = {"he", "him", "himself", "his", NULL};
static const char *const female_pronouns[] = {"her", "hers", "herself", "she", NULL};
static const char *const male_nouns[] = {"boy", "boyfriend", "boys", "brother", "dad", "father", "fellow", "gentleman", "grandfather", "grandpa", "guy", "guys", "husband", "king", "lad", "man", "men", "mister", "monk", "nephew", "priest", "prince", "sir", "son", "uncle", "waiter", NULL};
static const char *const female_nouns[] = {"aunt", "daughter", "girl", "girlfriend", "girls", "grandma", "grandmother", "lady", "lass", "lassie", "madam", "mom", "mother", "mum", "niece", "nun", "princess", "queen", "sister", "waitress", "wife", "woman", "women", NULL};
/* People and animals of no told gender: with any of them in the scene, a pronoun may be theirs. */
static const char *const someone_nouns[] = {"baby", "barista", "bird", "cabbie", "cat", "child", "children", "coastguard", "cop", "cow", "creature", "customer", "detective", "doctor", "dog", "driver", "everyone", "figure", "horse", "jogger", "kid", "kids", "librarian", "lieutenant", "nurse", "officer", "partner", "passenger", "passengers", "people", "person", "pilgrim", "pilgrims", "prefect", "prefects", "professor", "somebody", "someone", "stranger", "teacher", "thing", "tinker", "uniforms", "victim", "voice", NULL};

/* w in a sorted list, also as a possessive (father's). */
#define in(list, w) in_sorted(list, sizeof list / sizeof list[0] - 1, w)
static bool in_sorted(const char *const *list, size_t count, const char *w)
{
	size_t n = strlen(w);
	if (n > 2 && w[n - 2] == '\'' && w[n - 1] == 's') {
		char b[WRITING_WORD_MAX + 1];
		if (n - 2 > WRITING_WORD_MAX)
			return false;
		memcpy(b, w, n - 2);
		b[n - 2] = 0;
		return lex_has(list, count, b);
	}
	return lex_has(list, count, w);
}

static bool narration(const struct tok *t)
{
	return !(t->flags & (TOK_QUOTED | TOK_NOTE));
}

static bool name_tok(struct check *c, const struct tok *t)
{
	return (t->flags & TOK_CAP) && !(t->flags & TOK_ALLCAPS) && !lex_address_word(t->low) &&
	       (wordset_get(&c->names, t->low, t->len) || check_is_name(c, t->low, t->len));
}

static size_t stem(const struct tok *t)
{
	return t->len > 2 && t->low[t->len - 2] == '\'' && t->low[t->len - 1] == 's' ? (size_t)t->len - 2 : t->len;
}

static void vote(struct check *c, const struct tok *who, int m, int f)
{
	struct wordset_entry *e = wordset_add(&c->gender, who->low, stem(who));
	if (!e->extra)
		e->extra = GENDER_BIAS;
	e->count += (uint32_t)(m + f);
	e->extra += (uint32_t)m;
	e->extra -= (uint32_t)f;
}

/* Learns he/she votes for names from sentences that name one person, and from a He or She opening the
 * next sentence of the paragraph ("Priya asked from the doorway. She had a flashlight"). */
static void learn(struct check *c)
{
	const struct text *tx = &c->tx;
	size_t i = 0;
	const struct tok *single = NULL; /* the one person the sentence before named */
	while (i < tx->n) {
		size_t j = i;
		while (j < tx->n && tx->t[j].sent == tx->t[i].sent)
			j++;
		const struct tok *who = NULL;
		bool several = false;
		int m = 0, f = 0;
		for (size_t k = i; k < j; k++) {
			const struct tok *t = &tx->t[k];
			if (!narration(t))
				continue;
			if (name_tok(c, t)) {
				if (who && (stem(who) != stem(t) || memcmp(who->low, t->low, stem(t)) != 0))
					several = true;
				who = t;
			} else if (!strcmp(t->low, "himself") || !strcmp(t->low, "herself") ||
			           (k + 1 < j && !strcmp(tx->t[k + 1].low, "own"))) {
				/* what clause_agreement checks: learning from it would learn its slips */
			} else if (who && in(male_pronouns, t->low)) {
				m++;
			} else if (who && in(female_pronouns, t->low)) {
				f++;
			} else if (in(male_nouns, t->low) || in(female_nouns, t->low) || in(someone_nouns, t->low)) {
				several = true;
			}
		}
		if (who && !several && (m || f))
			vote(c, who, m, f);
		const struct tok *first = &tx->t[i];
		if (single && single->para == first->para && narration(first) && (first->flags & TOK_SENT) &&
		    (!strcmp(first->low, "he") || !strcmp(first->low, "she")))
			vote(c, single, first->low[0] == 'h', first->low[0] == 's');
		single = who && !several ? who : NULL;
		i = j;
	}
}

/* 'm', 'f' or 0 (unknown) for a name. */
static char gender_of(struct check *c, const struct tok *t)
{
	struct wordset_entry *e = wordset_get(&c->gender, t->low, stem(t));
	if (!e)
		return 0;
	long d = (long)e->extra - (long)GENDER_BIAS;
	long total = (long)e->count, m = (total + d) / 2, f = (total - d) / 2;
	if (m >= 2 && m >= 3 * f)
		return 'm';
	if (f >= 2 && f >= 3 * m)
		return 'f';
	return 0;
}

/* The people of paragraphs [p0, p1]: sets *m / *f; false when someone's gender cannot be told. A name in
 * dialogue counts too (the caller on the phone: "This is Marcus"). */
static bool people(struct check *c, size_t from, size_t to, bool *m, bool *f)
{
	const struct text *tx = &c->tx;
	for (size_t k = from; k < to; k++) {
		const struct tok *t = &tx->t[k];
		if (t->flags & TOK_NOTE)
			continue;
		if (!narration(t)) {
			char g = name_tok(c, t) && !(t->flags & TOK_SENT) ? gender_of(c, t) : 0;
			*m |= g == 'm';
			*f |= g == 'f';
			continue;
		}
		if (name_tok(c, t)) {
			if (!wordset_get(&c->gender, t->low, stem(t)))
				continue; /* never a he or a she: a place, a day, a ship */
			char g = gender_of(c, t);
			if (!g)
				return false;
			*m |= g == 'm';
			*f |= g == 'f';
		} else if (in(male_nouns, t->low)) {
			*m = true;
		} else if (in(female_nouns, t->low)) {
			*f = true;
		} else if (in(someone_nouns, t->low)) {
			return false;
		}
	}
	return true;
}

/* 'm' or 'f' for a third-person singular pronoun, 0 for other words. */
static char pronoun_gender(const struct tok *t)
{
	return in(male_pronouns, t->low) ? 'm' : in(female_pronouns, t->low) ? 'f' : 0;
}

static const char *swap(const struct text *tx, size_t i, bool to_female);

/* Reflexives and "his own"/"her own" against the subject of their clause (see the top of the file). */
static void clause_agreement(struct check *c, bool *flagged)
{
	const struct text *tx = &c->tx;
	for (size_t r = 1; r < tx->n; r++) {
		const struct tok *t = &tx->t[r];
		bool reflexive = !strcmp(t->low, "himself") || !strcmp(t->low, "herself");
		bool own = (!strcmp(t->low, "his") || !strcmp(t->low, "her")) && r + 1 < tx->n &&
		           !strcmp(tx->t[r + 1].low, "own") && text_gap_plain(tx, r + 1);
		if (!narration(t) || !(reflexive || own))
			continue;
		char gr = pronoun_gender(t), gs = 0;
		size_t subj = (size_t)-1;
		bool by_name = false;
		/* Back to the nearest subject in the sentence: a name, he or she, a man or a woman. */
		for (size_t k = r; k-- > 0 && tx->t[k].sent == t->sent && subj == (size_t)-1;) {
			const struct tok *p = &tx->t[k];
			if (!narration(p))
				break;
			char g = pronoun_gender(p);
			if (name_tok(c, p)) {
				if (!(gs = gender_of(c, p)))
					break;
				subj = k, by_name = true;
			} else if (!strcmp(p->low, "he") || !strcmp(p->low, "she")) {
				gs = g, subj = k;
			} else if (g == gr || in(someone_nouns, p->low) || (gr == 'm' ? in(male_nouns, p->low) : in(female_nouns, p->low))) {
				break; /* someone it may refer to: "She made him wash himself" */
			} else if (in(male_nouns, p->low) || in(female_nouns, p->low)) {
				gs = in(male_nouns, p->low) ? 'm' : 'f', subj = k, by_name = true;
			}
		}
		if (subj == (size_t)-1 || gs == gr)
			continue;
		size_t wrong = r;
		if (!by_name) {
			/* "he ... herself": which one slipped? The sentence's name before the pronoun, if any, tells. */
			char named = 0;
			for (size_t k = subj; k-- > 0 && tx->t[k].sent == t->sent && !named;)
				if (narration(&tx->t[k]) && name_tok(c, &tx->t[k]))
					named = gender_of(c, &tx->t[k]) ? gender_of(c, &tx->t[k]) : '?';
			if (named == gr)
				wrong = subj;
			else if (named != gs)
				continue;
		}
		if (flagged[wrong])
			continue;
		flagged[wrong] = true;
		bool to_female = wrong == r ? gs == 'f' : gr == 'f';
		check_add(c, WRITING_PRONOUN, tx->t[wrong].start, tx->t[wrong].end,
		          check_match_case(c, wrong, swap(tx, wrong, to_female)),
		          wrong == r ? (to_female ? "The subject of this clause is a “she”." : "The subject of this clause is a “he”.")
		                     : (to_female ? "Later in this clause the person is a “she”." : "Later in this clause the person is a “he”."));
	}
}

static const char *swap(const struct text *tx, size_t i, bool to_female)
{
	const char *w = tx->t[i].low;
	if (to_female) {
		if (!strcmp(w, "he"))
			return "she";
		if (!strcmp(w, "himself"))
			return "herself";
		return "her";
	}
	if (!strcmp(w, "she"))
		return "he";
	if (!strcmp(w, "herself"))
		return "himself";
	if (!strcmp(w, "hers"))
		return "his";
	/* her: "his" before a noun, "him" otherwise */
	if (i + 1 < tx->n && text_gap_plain(tx, i + 1) && !(tx->t[i + 1].flags & TOK_CAP))
		return "his";
	return "him";
}

void pronouns_check(struct check *c)
{
	learn(c);
	const struct text *tx = &c->tx;
	bool *flagged = arena_calloc(c->a, tx->n ? tx->n : 1, sizeof *flagged);
	clause_agreement(c, flagged);
	size_t prev = 0, i = 0;
	while (i < tx->n) {
		size_t j = i;
		while (j < tx->n && tx->t[j].para == tx->t[i].para)
			j++;
		bool m = false, f = false;
		if (people(c, prev, j, &m, &f) && m != f) {
			size_t lone[2] = {0, 0}, mine = 0, others = 0;
			for (size_t k = i; k < j; k++) {
				const struct tok *t = &tx->t[k];
				if (!narration(t))
					continue;
				bool is_m = in(male_pronouns, t->low), is_f = in(female_pronouns, t->low);
				/* Only a subject or a reflexive is told: "him" and "her" are often someone away. */
				bool subject = !strcmp(t->low, "he") || !strcmp(t->low, "she") || !strcmp(t->low, "himself") ||
				               !strcmp(t->low, "herself");
				if ((m && is_m) || (f && is_f))
					mine++;
				else if ((is_m || is_f) && subject)
					lone[others++ % 2] = k;
			}
			/* One slip among two of theirs, or two among five. */
			for (size_t o = 0; o < others && ((others == 1 && mine >= 2) || (others == 2 && mine >= 5)); o++) {
				const struct tok *t = &tx->t[lone[o]];
				if (flagged[lone[o]])
					continue;
				flagged[lone[o]] = true;
				check_add(c, WRITING_PRONOUN, t->start, t->end, check_match_case(c, lone[o], swap(tx, lone[o], f)),
				          f ? "Everyone in this scene is “she”: who is this?" : "Everyone in this scene is “he”: who is this?");
			}
		}
		prev = i;
		i = j;
	}
}
