/* The writer's check before posting: words the dictionary for the work's language does not know (with
 * suggestions) and doubled words ("the the"), over the text about to be posted. Advice, never a rule: the
 * work posts whatever it says. */
#ifndef QUIRE_WRITING_CHECK_H
#define QUIRE_WRITING_CHECK_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "writing/speller.h"

#define WRITING_LIST_MAX 50         /* unknown and doubled words listed */
#define WRITING_SUGGEST_MAX 12      /* unknown words given suggestions (Hunspell's suggest is slow) */
#define WRITING_DISTINCT_MAX 50000  /* distinct words looked up; past that the rest is not checked */
#define WRITING_WORD_MAX 64         /* bytes: a longer run of letters is no word to look up (nor a cost) */
#define WRITING_SUGGEST_WORD_MAX 30 /* bytes: longer words get no suggestions (about 20 ms each, more if long) */

struct writing_word {
	const char *word;
	int count;                   /* times in the text */
	const char **suggestions;
	size_t nsuggestions;
};

struct writing_report {
	const char *dictionary;      /* "en_US"; NULL when the archive has none for the language */
	struct writing_word *unknown; /* most frequent first, at most WRITING_LIST_MAX */
	size_t nunknown, unknown_total; /* listed; distinct unknown words in all */
	const char **doubled;        /* "the the", as written, at most WRITING_LIST_MAX */
	size_t ndoubled;
	size_t words;                /* words in the text */
	bool truncated;              /* more than WRITING_DISTINCT_MAX distinct words: the rest was not checked */
};

/* Checks text (plain UTF-8) in the dictionary for lang ("en"). Words of names (the work's tags, its creators:
 * "Wren Ashby, Barnacle the Cat") are never unknown. Doubled words are found with or without a dictionary. */
void writing_check(struct speller *sp, struct arena *a, const char *lang, const char *text, const char *names,
                   struct writing_report *out);
#endif
