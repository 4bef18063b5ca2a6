/* Pronoun agreement, where it can be told: each name's pronouns are learned from the sentences that name
 * one person only; in a paragraph whose people (named in it or the one before, or called man, woman...)
 * are all of one gender, a lone pronoun of the other gender among several of theirs fits nobody in the
 * scene ("her hands started to tremble and he lowered her weapon"). Anyone of unknown gender in the
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

/* Learns he/she votes for names from sentences that name one person. */
static void learn(struct check *c)
{
	const struct text *tx = &c->tx;
	size_t i = 0;
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
			} else if (who && in(male_pronouns, t->low)) {
				m++;
			} else if (who && in(female_pronouns, t->low)) {
				f++;
			} else if (in(male_nouns, t->low) || in(female_nouns, t->low) || in(someone_nouns, t->low)) {
				several = true;
			}
		}
		if (who && !several && (m || f)) {
			struct wordset_entry *e = wordset_add(&c->gender, who->low, stem(who));
			if (!e->extra)
				e->extra = GENDER_BIAS;
			e->count += (uint32_t)(m + f);
			e->extra += (uint32_t)m;
			e->extra -= (uint32_t)f;
		}
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

/* The people of paragraphs [p0, p1]: sets *m / *f; false when someone's gender cannot be told. */
static bool people(struct check *c, size_t from, size_t to, bool *m, bool *f)
{
	const struct text *tx = &c->tx;
	for (size_t k = from; k < to; k++) {
		const struct tok *t = &tx->t[k];
		if (!narration(t))
			continue;
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
	size_t prev = 0, i = 0;
	while (i < tx->n) {
		size_t j = i;
		while (j < tx->n && tx->t[j].para == tx->t[i].para)
			j++;
		bool m = false, f = false;
		if (people(c, prev, j, &m, &f) && m != f) {
			size_t lone = (size_t)-1, mine = 0, others = 0;
			for (size_t k = i; k < j; k++) {
				const struct tok *t = &tx->t[k];
				if (!narration(t))
					continue;
				bool is_m = in(male_pronouns, t->low), is_f = in(female_pronouns, t->low);
				if ((m && is_m) || (f && is_f))
					mine++;
				else if (is_m || is_f) {
					others++;
					lone = k;
				}
			}
			if (others == 1 && mine >= 2) {
				const struct tok *t = &tx->t[lone];
				check_add(c, WRITING_PRONOUN, t->start, t->end, check_match_case(c, lone, swap(tx, lone, f)),
				          f ? "Everyone in this scene is “she”: who is this?" : "Everyone in this scene is “he”: who is this?");
			}
		}
		prev = i;
		i = j;
	}
}
