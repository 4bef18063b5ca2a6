/* Notes detection: the parts writers put around a story, recognised at the start and at the end of a
 * chapter so that they can be proposed as its beginning and end notes. A disclaimer ("Disclaimer:", "I own
 * nothing", "All recognizable characters belong to ..."), an author's note ("A/N:", "Author's note"), story
 * details ("Rating:", "Pairing:") and a request for reviews ("Please review", "leave suggestions if you would
 * like the next chapter"). Only proposals: the writer moves each part where it belongs before posting. */
#include "import/import_int.h"
#include <ctype.h>
#include <string.h>

#define SCAN_MAX 8           /* blocks looked at from each end */
#define NOTE_SHORT 600       /* characters: a note recognised by what it says is about this short */
#define NOTE_EXPLICIT 4000   /* one that says what it is ("A/N:") may be longer */

/* Lower-case ASCII, curly apostrophes and quotes as straight ones: what the rules match against. */
static char *simplify(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
			unsigned char d = (unsigned char)s[i + 2];
			if (d == 0x98 || d == 0x99) { /* ‘ ’ */
				*o++ = '\'';
				i += 2;
				continue;
			}
			if (d == 0x9C || d == 0x9D) { /* “ ” */
				*o++ = '"';
				i += 2;
				continue;
			}
		}
		*o++ = (char)tolower(c);
	}
	*o = 0;
	return out;
}

/* The text after the decorations writers put before a note ("*", "(", "[", "~", "-", "<", "="). */
static const char *undecorated(const char *s)
{
	while (*s && strchr("*([{~-<=_ #>:+", *s))
		s++;
	return s;
}

/* Whether s starts with word w (as a word: not "notes" for "note" unless w says so). */
static bool starts(const char *s, const char *w)
{
	size_t k = strlen(w);
	return !strncmp(s, w, k) && (!isalnum((unsigned char)w[k - 1]) || !isalnum((unsigned char)s[k]));
}

static bool has(const char *s, const char *w)
{
	size_t k = strlen(w);
	for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
		if ((p == s || !isalnum((unsigned char)p[-1])) && (!isalnum((unsigned char)w[k - 1]) || !isalnum((unsigned char)p[k])))
			return true;
	return false;
}

/* Notes that say what they are, wherever they stand. */
static const char *explicit_label(const char *s)
{
	static const char *const authors[] = {"a/n", "an:", "a.n.", "a/n's", "a/ns", "author's note", "authors note",
	                                      "author's notes", "authors notes", "author note", "author notes", "note:",
	                                      "notes:", "n/a:", "author's comment", "authors comment"};
	static const char *const details[] = {"rating:", "rated:", "pairing:", "pairings:", "warning:", "warnings:",
	                                      "spoilers:", "spoiler:", "word count:", "words:", "beta:", "beta'd by",
	                                      "beta read by", "betaed by", "title:", "author:", "fandom:", "characters:",
	                                      "genre:", "genres:", "category:", "timeline:", "dedication:",
	                                      "dedicated to", "setting:", "summary:"};
	s = undecorated(s);
	if (starts(s, "disclaimer") || starts(s, "disclamer"))
		return "Disclaimer";
	for (size_t i = 0; i < sizeof authors / sizeof authors[0]; i++)
		if (starts(s, authors[i]))
			return "Author's note";
	for (size_t i = 0; i < sizeof details / sizeof details[0]; i++)
		if (starts(s, details[i]))
			return !strcmp(details[i], "summary:") ? "Summary" : "Story details";
	return NULL;
}

/* A disclaimer by what it says. */
static bool disclaims(const char *s)
{
	static const char *const phrases[] = {
		"own nothing", "don't own", "do not own", "dont own", "doesn't own", "does not own", "not mine",
		"belong to", "belongs to", "property of", "copyright infringement", "no infringement",
		"making no money", "no money is being made", "not making any money", "no profit", "for fun only",
		"rights belong", "is owned by", "are owned by", "all rights reserved", "i own only", "only own",
	};
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		if (has(s, phrases[i]))
			return true;
	return false;
}

/* An end note by what it says: asking for reviews, thanking, promising more. */
static bool asks(const char *s)
{
	static const char *const phrases[] = {
		"please review", "review please", "reviews please", "read and review", "read & review", "r&r", "r & r",
		"please leave a review", "leave a review", "leave reviews", "leave a comment", "leave comments",
		"leave kudos", "please comment", "comments are love", "reviews are love", "kudos are love",
		"reviews make", "comments make", "let me know what you think", "tell me what you think",
		"let me know what you thought", "thanks for reading", "thank you for reading", "thanks so much for reading",
		"to be continued", "tbc", "next chapter", "more soon", "update soon", "updates soon", "leave suggestions",
		"any suggestions", "feedback is", "feedback welcome", "constructive criticism", "review!", "reviews!",
		"please rate", "hope you enjoyed", "hope you liked",
	};
	if (*s == '"') /* dialogue is story */
		return false;
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		if (has(s, phrases[i]))
			return true;
	return false;
}

static const char *begin_label(const char *s, size_t len)
{
	const char *l = explicit_label(s);
	if (l && len <= NOTE_EXPLICIT)
		return l;
	if (len <= NOTE_SHORT && *s != '"' && disclaims(s))
		return "Disclaimer";
	return NULL;
}

static const char *end_label(const char *s, size_t len)
{
	const char *l = explicit_label(s);
	if (l && len <= NOTE_EXPLICIT)
		return !strcmp(l, "Story details") || !strcmp(l, "Summary") ? "Author's note" : l;
	if (len <= NOTE_SHORT && asks(s))
		return "Request for reviews";
	if (len <= NOTE_SHORT && *s != '"' && disclaims(s))
		return "Disclaimer";
	return NULL;
}

void import_notes_detect(const struct import_block *b, size_t n, const char **labels, enum import_place *places)
{
	for (size_t i = 0; i < n; i++) {
		labels[i] = NULL;
		places[i] = IMPORT_TEXT;
	}
	if (n < 2)
		return;
	struct arena *a = arena_new();
	size_t first_text = 0;
	/* From the start: notes, and a scene break that sets them apart from the story. */
	for (size_t i = 0; i < n && i < SCAN_MAX; i++) {
		const char *s = simplify(a, b[i].text);
		const char *l = b[i].kind == BLOCK_PARAGRAPH || b[i].kind == BLOCK_OTHER ? begin_label(s, strlen(s)) : NULL;
		if (l) {
			labels[i] = l;
			places[i] = IMPORT_NOTES;
			first_text = i + 1;
		} else if (b[i].kind == BLOCK_BREAK && i > 0 && labels[i - 1]) {
			labels[i] = "Separator";
			places[i] = IMPORT_DROP;
			first_text = i + 1;
		} else {
			break;
		}
	}
	/* From the end, never into what the start took. */
	for (size_t k = 0; k < SCAN_MAX && k < n; k++) {
		size_t i = n - 1 - k;
		if (i < first_text)
			break;
		const char *s = simplify(a, b[i].text);
		const char *l = b[i].kind == BLOCK_PARAGRAPH || b[i].kind == BLOCK_OTHER ? end_label(s, strlen(s)) : NULL;
		if (l) {
			labels[i] = l;
			places[i] = IMPORT_END_NOTES;
		} else if (b[i].kind == BLOCK_BREAK && i + 1 < n && labels[i + 1]) {
			labels[i] = "Separator";
			places[i] = IMPORT_DROP;
		} else {
			break;
		}
	}
	/* A chapter is never all notes: then it is all text. */
	bool text = false;
	for (size_t i = 0; i < n && !text; i++)
		text = places[i] == IMPORT_TEXT && b[i].kind != BLOCK_BREAK;
	if (!text)
		for (size_t i = 0; i < n; i++) {
			labels[i] = NULL;
			places[i] = IMPORT_TEXT;
		}
	arena_free(a);
}
