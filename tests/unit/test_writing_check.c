/* Tests for the writer's check with Debian's en_US dictionary (hunspell-en-us, which make test installs):
 * unknown words with suggestions, names never unknown, doubled words, apostrophes, digits, caps. */
#include "check.h"
#include "core/arena.h"
#include "writing/check.h"
#include <string.h>

static const struct writing_word *unknown(const struct writing_report *r, const char *w)
{
	for (size_t i = 0; i < r->nunknown; i++)
		if (!strcmp(r->unknown[i].word, w))
			return &r->unknown[i];
	return NULL;
}

static bool suggests(const struct writing_word *u, const char *s)
{
	for (size_t i = 0; u && i < u->nsuggestions; i++)
		if (!strcmp(u->suggestions[i], s))
			return true;
	return false;
}

static void test_spelling(struct speller *sp)
{
	struct arena *a = arena_new();
	struct writing_report r;
	writing_check(sp, a, "en",
	              "Wren didn't recieve the letter. Agnes read it twice; Wren recieve nothing. Barnacle purred "
	              "at teh door in 1999 and the lamp's light, “don’t” she said.",
	              "Wren Ashby, Agnes Hale, Barnacle the Cat", &r);
	CHECK(r.dictionary && !strncmp(r.dictionary, "en", 2));
	CHECK(r.words > 20);
	const struct writing_word *u = unknown(&r, "recieve");
	CHECK(u && u->count == 2 && suggests(u, "receive"));
	CHECK(unknown(&r, "teh") != NULL);
	CHECK(r.unknown_total == 2 && r.nunknown == 2);
	CHECK(r.unknown[0].count == 2); /* most frequent first */
	/* Names from the tags, contractions with either apostrophe, numbers: not unknown. */
	CHECK(!unknown(&r, "Wren") && !unknown(&r, "Barnacle") && !unknown(&r, "Agnes"));
	CHECK(!unknown(&r, "didn't") && !unknown(&r, "don't") && !unknown(&r, "lamp's"));
	CHECK(r.ndoubled == 0);
	arena_free(a);
}

static void test_doubled_and_no_dictionary(struct speller *sp)
{
	struct arena *a = arena_new();
	struct writing_report r;
	writing_check(sp, a, "und", "She walked to the the harbour. It had had enough. The end. The lamp, lamp.", "", &r);
	CHECK(r.dictionary == NULL && r.nunknown == 0);
	CHECK(r.ndoubled == 1 && !strcmp(r.doubled[0], "the the")); /* not "had had", not across ". " or ", " */
	writing_check(sp, a, "en", "", "", &r);
	CHECK(r.words == 0 && r.nunknown == 0 && r.ndoubled == 0);
	/* A run of letters longer than WRITING_WORD_MAX is not looked up (nor listed); a long unknown word gets
	 * no suggestions. */
	char lng[WRITING_WORD_MAX + 40];
	memset(lng, 'q', sizeof lng - 1);
	lng[sizeof lng - 1] = 0;
	writing_check(sp, a, "en", lng, "", &r);
	CHECK(r.words == 1 && r.nunknown == 0);
	writing_check(sp, a, "en", "zqxwvtrzqxwvtrzqxwvtrzqxwvtrzqx and recieve", "", &r);
	CHECK(r.nunknown == 2 && r.unknown[0].nsuggestions == 0 && r.unknown[1].nsuggestions > 0);
	writing_check(sp, a, "../etc", "text", "", &r); /* a code never names a path */
	CHECK(r.dictionary == NULL);
	arena_free(a);
}

int main(void)
{
	struct speller *sp = speller_new("/usr/share/hunspell");
	test_spelling(sp);
	test_doubled_and_no_dictionary(sp);
	speller_free(sp);
	return CHECK_DONE();
}
