/* Inside the writer's check: the text as tokens (words with their offsets, sentence and paragraph, inside
 * dialogue or not), word sets, and the shared state each finder (spelling.c, names.c, confusables.c,
 * mechanics.c, tense.c, pronouns.c) reads and adds suggestions to. */
#ifndef QUIRE_WRITING_CHECK_INT_H
#define QUIRE_WRITING_CHECK_INT_H
#include "writing/check.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	TOK_CAP = 1,       /* first letter upper case */
	TOK_ALLCAPS = 2,   /* two or more letters, all upper case */
	TOK_MIXED = 4,     /* upper case after the first letter, not all caps (iPhone, McAllister) */
	TOK_QUOTED = 8,    /* inside dialogue ("...", “...”) or italics (*...*) */
	TOK_SENT = 16,     /* first word of a sentence (or of a paragraph) */
	TOK_PARA = 32,     /* first word of a paragraph */
	TOK_NOTE = 64,     /* in an author's note paragraph (A/N, Disclaimer...): no narration checks */
	TOK_EDGE_APOS = 128, /* an apostrophe touches it from outside ('em, comin'): dialect, not a misspelling */
};

struct tok {
	uint32_t start, end; /* bytes of the text */
	uint32_t para, sent; /* numbers */
	const char *low;     /* lower case, apostrophes as ', NUL-terminated (arena) */
	uint16_t len;        /* of low */
	uint16_t flags;
};

struct text {
	const char *s;
	size_t len;
	struct tok *t;
	size_t n;
};

/* Cuts s[0, len) into words (letters and marks, inner apostrophes; hyphens split words), marking
 * sentence and paragraph starts and dialogue. Words with digits are left out. */
void text_tokenize(struct arena *a, const char *s, size_t len, struct text *out);
/* The bytes between token i-1 and token i (from the start of the text for i == 0). */
static inline const char *text_gap(const struct text *tx, size_t i, size_t *n)
{
	size_t from = i ? tx->t[i - 1].end : 0;
	*n = tx->t[i].start - from;
	return tx->s + from;
}
/* True when only spaces and tabs come between token i-1 and token i (a word right after another). */
bool text_gap_plain(const struct text *tx, size_t i);
/* True when the gap before token i holds any of the ASCII characters in set. */
bool text_gap_has(const struct text *tx, size_t i, const char *set);
/* The bytes after the last token to the end (for i == n) or the gap before token i. */
/* Closing-quote characters: ", ”, ’ (as a quote), returns the byte length of the quote at p or 0. */
size_t text_quote_close_at(const char *p, size_t n);

/* A set of words (lower case), counting. */
struct wordset {
	struct wordset_entry {
		const char *w;
		uint32_t n, count, extra;
	} *e;
	size_t cap, used;
	struct arena *a;
};
void wordset_init(struct wordset *ws, struct arena *a, size_t expect);
/* The entry for w[0, n), added (count 0) when new. */
struct wordset_entry *wordset_add(struct wordset *ws, const char *w, size_t n);
struct wordset_entry *wordset_get(const struct wordset *ws, const char *w, size_t n);

/* Fixed word lists (lexicon.c): NULL-terminated, sorted, searched by bisection. */
bool lex_has(const char *const *list, size_t n, const char *w);
#define LEX_HAS(list, w) lex_has(list, sizeof list / sizeof list[0] - 1, w)
extern const char *const lex_extra_words[];    /* dialect, slang, fandom words a dictionary lacks */
extern const size_t lex_extra_words_n;
bool lex_extra(const char *w);
bool lex_speech_verb(const char *w);
bool lex_subject_pronoun(const char *w);
bool lex_address_word(const char *w);          /* Mum, Sir, God: capitalised as names mid-sentence */
bool lex_abbreviation(const char *w);          /* mr, dr, st: a full stop after it ends no sentence */

struct check {
	struct arena *a;
	const struct writing_request *req;
	struct text tx;
	struct dictionary *dicts[SPELLER_VARIANTS_MAX];
	size_t ndicts;
	struct wordset names;   /* given names (tags, creators, accepted words), lower case */
	struct wordset caps;    /* capitalised words of the text and context: count (extra: times mid-sentence) */
	struct wordset lower;   /* words seen in lower case in the text and context: count */
	struct wordset known;   /* looked-up words: extra 1 known, 2 unknown */
	struct wordset gender;  /* learned names: extra = votes he - votes she (biased by 1 << 16) */
	struct writing_result *out;
	size_t cap_items;
	bool past_narration;
	long long started; /* thread CPU time (ns) when the check began: the suggestions' budget */
};

/* True when a dictionary of the language knows w (lower or as written); memoised in c->known. */
bool check_known(struct check *c, const char *w, size_t n);
/* True when w (lower case) is a name: given, or learned from the text (capitalised, never lower case). */
bool check_is_name(struct check *c, const char *low, size_t n);
/* Adds a suggestion over text bytes [start, end). replacement may be NULL. Copies nothing it is given. */
void check_add(struct check *c, enum writing_kind kind, size_t start, size_t end, const char *replacement,
               const char *message);
/* The replacement word for token i with its capitalisation (first letter upper when token i has it). */
const char *check_match_case(struct check *c, size_t i, const char *word);

void names_learn(struct check *c);
void names_check(struct check *c);
void spelling_check(struct check *c);
void confusables_check(struct check *c);
void mechanics_check(struct check *c);
void tense_check(struct check *c);
void pronouns_check(struct check *c);
#endif
