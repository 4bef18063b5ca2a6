/* The writer's check: what a careful beta reader would mark in a text before it is posted. Spelling that
 * knows the language's variants and the story's names, a name spelled two ways, real words in the wrong
 * place (their/there, could of, in tact...), capitals, dialogue punctuation, doubled words, tense that
 * drifts in past-tense narration and a pronoun that fits nobody in the scene. Advice, never a rule: the
 * work posts whatever it says. Precision first: each finder stays quiet when it cannot tell. */
#ifndef QUIRE_WRITING_CHECK_H
#define QUIRE_WRITING_CHECK_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "writing/speller.h"

#define WRITING_LIST_MAX 200        /* suggestions kept for one text (in text order); the rest are counted */
#define WRITING_TEXT_MAX (4u << 20) /* bytes of text checked; past that the rest is not (a chapter is < 1 MB) */
#define WRITING_WORD_MAX 64         /* bytes: a longer run of letters is no word to look up (nor a cost) */
#define WRITING_SUGGEST_WORD_MAX 30 /* bytes: longer words get no spelling suggestions */
#define WRITING_DISMISSED_MAX 1000  /* dismissals honoured per check */
#define WRITING_NAMES_MAX (64u << 10) /* bytes of names (tags, creators, accepted words) read */
#define WRITING_CONTEXT_MAX (8u << 20) /* bytes of the rest of the work read for its names */

enum writing_kind {
	WRITING_SPELLING,
	WRITING_NAME,
	WRITING_CONFUSABLE,
	WRITING_CAPITAL,
	WRITING_PUNCTUATION,
	WRITING_DOUBLED,
	WRITING_TENSE,
	WRITING_PRONOUN,
	WRITING_KINDS
};

/* "spelling", "name", ... (the API's and the annotated texts' names); NULL past the end. */
const char *writing_kind_name(enum writing_kind k);
/* "Spelling", "Names", ... for headings. */
const char *writing_kind_title(enum writing_kind k);
/* The kind named name, or -1. */
int writing_kind_from_name(const char *name);

struct writing_suggestion {
	size_t start, end;       /* bytes of the text: what is marked */
	enum writing_kind kind;
	const char *found;       /* the marked text (copy) */
	const char *replacement; /* what to put there instead; NULL when there is no single fix */
	const char *message;     /* a short reason */
	const char *key;         /* what a dismissal of it remembers: "kind:found" (found in lower case) */
};

struct writing_request {
	const char *lang;        /* "en" (every English variant), "en_GB", "en_US", "de"...; NULL: "en" */
	const char *text;        /* plain UTF-8: the text checked */
	const char *names;       /* words never misspelt: the work's tags, creators, the writer's accepted words */
	const char *context;     /* the rest of the work (its other chapters), for the names it uses; may be NULL */
	const char *const *dismissed; /* keys of suggestions the writer dismissed; never listed again */
	size_t ndismissed;
};

struct writing_result {
	struct writing_suggestion *items; /* in text order, at most WRITING_LIST_MAX */
	size_t n;
	size_t total;            /* found in all (before the cap; dismissed ones not counted) */
	size_t by_kind[WRITING_KINDS];
	const char *dictionaries; /* "en_GB, en_US"; NULL when the archive has none for the language */
	size_t words;
	bool truncated;          /* the text was longer than WRITING_TEXT_MAX: the rest was not checked */
};

/* Checks req->text. Linear in the text and the names; memory from a. Safe from any thread. */
void writing_check(struct speller *sp, struct arena *a, const struct writing_request *req, struct writing_result *out);

/* Code points in text[0, byte) (offsets for the API). */
size_t writing_char_offset(const char *text, size_t byte);
#endif
