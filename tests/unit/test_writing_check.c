/* Tests for the writer's check with Debian's en_GB and en_US dictionaries (hunspell-en-gb, hunspell-en-us,
 * which make test installs): each finder on what it must find and on the traps it must leave alone. */
#include "check.h"
#include "core/arena.h"
#include "writing/check.h"
#include "writing/check_int.h"
#include <string.h>

static struct speller *sp;
static struct arena *a;

static struct writing_result run(const char *lang, const char *text, const char *names)
{
	struct writing_request req = {.lang = lang, .text = text, .names = names};
	struct writing_result r;
	writing_check(sp, a, &req, &r);
	return r;
}

/* The suggestion of kind on the text found, or NULL. */
static const struct writing_suggestion *find(const struct writing_result *r, int kind, const char *found)
{
	for (size_t i = 0; i < r->n; i++)
		if ((kind < 0 || (int)r->items[i].kind == kind) && !strcmp(r->items[i].found, found))
			return &r->items[i];
	return NULL;
}

#define HAS(r, kind, found, fix)                                                                                    \
	do {                                                                                                        \
		const struct writing_suggestion *s_ = find(&(r), kind, found);                                          \
		CHECK(s_ != NULL);                                                                                      \
		if (s_ && (fix))                                                                                        \
			CHECK_STR(s_->replacement, (fix));                                                                  \
	} while (0)

static void test_spelling(void)
{
	struct writing_result r = run("en", "Wren didn't recieve the letter. Agnes read it twice; the harbour was grey "
	                                    "and the color of lead. Barnacle purred at teh door in 1999, “don’t” she said.",
	                              "Wren Ashby, Agnes Hale, Barnacle the Cat");
	CHECK(r.dictionaries && strstr(r.dictionaries, "en_GB") && strstr(r.dictionaries, "en_US"));
	HAS(r, WRITING_SPELLING, "recieve", "receive");
	HAS(r, WRITING_SPELLING, "teh", NULL);
	CHECK(!find(&r, -1, "harbour") && !find(&r, -1, "grey") && !find(&r, -1, "color")); /* both variants */
	CHECK(!find(&r, -1, "Wren") && !find(&r, -1, "Barnacle") && !find(&r, -1, "don’t"));
	/* A picked variant narrows the check. */
	r = run("en_US", "The harbour was grey.", "");
	HAS(r, WRITING_SPELLING, "harbour", NULL);
	/* Invented names (capitalised, mid-sentence), dialect in dialogue, fandom words in notes: no mistakes. */
	r = run("en", "A/N: Unbeta'd fic, all mistakes mine!\nThey rowed past Vellmarsh to Kittiwake Point. "
	              "\"Dinnae fash, lass, we're gonna be fine,\" said Morag. \"Ye'll see.\" He was comin' home.", "");
	CHECK(r.n == 0);
	for (size_t i = 0; i < r.n; i++)
		fprintf(stderr, "  unexpected: %s %s\n", writing_kind_name(r.items[i].kind), r.items[i].found);
	/* Offsets: bytes of the text; character offsets for the API. */
	const char *t = "Café recieve";
	r = run("en", t, "");
	HAS(r, WRITING_SPELLING, "recieve", "receive");
	CHECK(r.n == 1 && r.items[0].start == 6 && writing_char_offset(t, r.items[0].start) == 5);
}

static void test_names(void)
{
	struct writing_result r = run("en", "Eliot came in. Eliot sat. Olivia looked at Eliot. Elliot smiled. Eliot left. "
	                                    "Eliot and Olivia argued.", "");
	HAS(r, WRITING_NAME, "Elliot", "Eliot");
	CHECK(!find(&r, WRITING_NAME, "Eliot"));
	/* A tag's spelling wins even when the text uses it rarely; possessives keep their 's. */
	r = run("en", "Agness's coat was wet. Agnes laughed.", "Agnes Hale");
	HAS(r, WRITING_NAME, "Agness", "Agnes");
	/* The tags spell the characters' names: a doubled letter dropped is a slip however often it is made; another
	 * name one letter away (Mara beside the tag's Maya) is another character. */
	r = run("en", "Eliot came in. Eliot sat. Olivia looked at Eliot. Elliot smiled. Mara left with Maya. Mara "
	              "waved. Mara ran.", "Elliot Stabler, Olivia Benson, Maya");
	HAS(r, WRITING_NAME, "Eliot", "Elliot");
	CHECK(!find(&r, WRITING_NAME, "Mara"));
	/* A name opening a line of dialogue, and a prefix with a hyphen, are no misspellings. */
	r = run("en", "\"Liv, I'm sorry.\" He un-holstered his gun.", "");
	CHECK(r.n == 0);
	/* Two real names one letter apart, both frequent: no mistake. */
	r = run("en", "Mara met Maya. Mara laughed. Maya laughed. Mara left. Maya stayed.", "");
	CHECK(!find(&r, WRITING_NAME, "Mara") && !find(&r, WRITING_NAME, "Maya"));
}

static void test_confusables(void)
{
	struct writing_result r = run("en",
	                              "She could of gone. Their is no time. It was to late. He was taller then me. "
	                              "The mirror stayed in tact. I didn't want to loose it. She could barely breath. "
	                              "Its a long way. Your going home. Whose going? He had past the gate. "
	                              "Everyone accept me.", "");
	HAS(r, WRITING_CONFUSABLE, "of", "have");
	HAS(r, WRITING_CONFUSABLE, "Their", "There");
	HAS(r, WRITING_CONFUSABLE, "to", "too");
	HAS(r, WRITING_CONFUSABLE, "then", "than");
	HAS(r, WRITING_CONFUSABLE, "in tact", "intact");
	HAS(r, WRITING_CONFUSABLE, "loose", "lose");
	HAS(r, WRITING_CONFUSABLE, "breath", "breathe");
	HAS(r, WRITING_CONFUSABLE, "Its", "It's");
	HAS(r, WRITING_CONFUSABLE, "Your", "You're");
	HAS(r, WRITING_CONFUSABLE, "Whose", "Who's");
	HAS(r, WRITING_CONFUSABLE, "past", "passed");
	HAS(r, WRITING_CONFUSABLE, "accept", "except");
	/* Right uses: nothing. */
	r = run("en", "Their coats were wet. It's too late to go there. She went to the door, then back. "
	              "Its own light. Your own fault. The rope came loose. She took a breath. Whose coat is it? "
	              "They walked past the church. I accept your apology. It was quite good. The room was quiet. "
	              "She could have gone, of course. A lose-lose deal.", "");
	CHECK(r.n == 0);
	for (size_t i = 0; i < r.n; i++)
		fprintf(stderr, "  unexpected: %s %s\n", writing_kind_name(r.items[i].kind), r.items[i].found);
}

static void test_mechanics(void)
{
	struct writing_result r = run("en",
	                              "\"I'm fine.\" she said. \"Go away\" The brunette said. \"No,\" She said quietly. "
	                              "she had no Idea what the idea was. He walked to the the door.", "");
	HAS(r, WRITING_PUNCTUATION, ".", ",");
	HAS(r, WRITING_PUNCTUATION, "\"", ",\"");
	HAS(r, WRITING_CAPITAL, "The", "the");
	HAS(r, WRITING_CAPITAL, "She", "she");
	HAS(r, WRITING_CAPITAL, "Idea", "idea");
	HAS(r, WRITING_DOUBLED, "the the", "the");
	/* Curly quotes too; right punctuation and deliberate doubles stay. */
	r = run("en", "“Come here” he whispered. “What?” she asked. “Fine,” he said. It had had enough. "
	              "They went to Upper East Side. Mr. Smith came at 2 a.m., and left.", "");
	HAS(r, WRITING_PUNCTUATION, "”", ",”");
	CHECK(r.n == 1);
	for (size_t i = 0; i < r.n; i++)
		fprintf(stderr, "  mechanics: %s %s\n", writing_kind_name(r.items[i].kind), r.items[i].found);
}

static void test_tense_and_pronouns(void)
{
	const char *past = "Olivia walked to the door, and she opened it and looked out. Olivia sighed as she stood there. The street was empty. "
	                   "She waited for a long time. Nobody came. She turned back and sat down. The room was cold. "
	                   "She had lost the only home she has ever known. Her hands started to tremble and he lowered "
	                   "her weapon. She picked up the clip and loaded it. She looked at herself in the mirror.\n"
	                   "\"It is late,\" she said. She knew it was.";
	struct writing_result r = run("en", past, "Olivia Benson");
	HAS(r, WRITING_TENSE, "has", "had");
	HAS(r, WRITING_PRONOUN, "he", "she");
	CHECK(!find(&r, WRITING_TENSE, "is")); /* dialogue keeps its present */
	/* A chapter told in the present is left alone. */
	r = run("en", "Rory looks up. He is tired. The bell rings and he smiles. It is Jun. He has a book.", "");
	CHECK(!find(&r, WRITING_TENSE, "is") && !find(&r, WRITING_TENSE, "has"));

	/* Past narration: after an adverb, modals, plural "have" and "don't", a verb joined to a past one; a
	 * noun after a name is no verb ("the Bell brothers had"), nor one before an auxiliary. */
	const char *drift = "Dana walked in and looked around. She sat down. The lamp was lit. She waited. Nobody came. "
	                    "Dana always knows when it rains. She can hear the rain. They have been out for an hour. "
	                    "They don't have enough fuel. She turned and checks the gauge. The Bell brothers had gone home. "
	                    "She thought about the Bell brothers, who had stayed. Marcus stayed. Dana slowly counts to five. "
	                    "I have never told anyone this. She turned the key. \"You will see,\" she said.";
	r = run("en", drift, "Dana Whitlock, Marcus Bell");
	HAS(r, WRITING_TENSE, "knows", "knew");
	HAS(r, WRITING_TENSE, "can", "could");
	HAS(r, WRITING_TENSE, "have", "had");
	HAS(r, WRITING_TENSE, "don't", "didn't");
	HAS(r, WRITING_TENSE, "checks", "checked");
	HAS(r, WRITING_TENSE, "counts", "counted");
	CHECK(!find(&r, WRITING_TENSE, "brothers"));
	CHECK(!find(&r, WRITING_TENSE, "will")); /* dialogue */
	size_t i_have = (size_t)(strstr(drift, "I have") - drift) + 2; /* "I have": a narrator speaking now */
	for (size_t i = 0; i < r.n; i++)
		CHECK(!(r.items[i].kind == WRITING_TENSE && r.items[i].start == i_have));

	/* Reflexives and "own" agree with their clause's subject; someone between may be who they mean. */
	const char *clause = "Priya asked from the doorway. She had a flashlight. Priya sat down. She smiled. Theo nodded. "
	                     "He waited. Theo shrugged. He sat. Theo rubbed his eyes. He yawned. Theo laughed. He looked away. "
	                     "Theo stood. He stretched. Priya sat down beside her and poured himself a coffee. "
	                     "Priya watched Theo pour himself a drink. Priya made him wash himself. Theo handed her a towel, "
	                     "and she kept his own hood up.";
	r = run("en", clause, "Priya Raman, Theo Bell");
	HAS(r, WRITING_PRONOUN, "himself", "herself");
	HAS(r, WRITING_PRONOUN, "she", "he");
	size_t reflexive = 0;
	for (size_t i = 0; i < r.n; i++)
		reflexive += r.items[i].kind == WRITING_PRONOUN && !strcmp(r.items[i].found, "himself");
	CHECK(reflexive == 1); /* "Theo pour himself", "him wash himself" are right */
	/* A person named only in dialogue is in the scene: "him" may be them. */
	r = run("en", "Dana waited. She sat. Dana smiled. She nodded. Dana frowned.\n\n\"This is Marcus,\" said the voice. "
	              "Marcus sighed. He waited.\n\nDana thanked him, and she hung up and she wrote it down.", "Dana, Marcus");
	CHECK(!find(&r, WRITING_PRONOUN, "him"));
}

static void test_limits_and_dismissals(void)
{
	struct writing_result r = run("und", "She walked to the the harbour.", "");
	CHECK(r.dictionaries == NULL);
	HAS(r, WRITING_DOUBLED, "the the", "the");
	r = run("../etc", "text", ""); /* a code never names a path */
	CHECK(r.dictionaries == NULL);
	r = run("en", "", "");
	CHECK(r.words == 0 && r.n == 0);
	char lng[WRITING_WORD_MAX + 40];
	memset(lng, 'q', sizeof lng - 1);
	lng[sizeof lng - 1] = 0;
	r = run("en", lng, "");
	CHECK(!find(&r, WRITING_SPELLING, lng));
	/* A dismissed suggestion is not listed again; its key names its kind and word. */
	r = run("en", "She could of gone.", "");
	CHECK(r.n == 1 && !strcmp(r.items[0].key, "confusable:of"));
	const char *keys[] = {"confusable:of"};
	struct writing_request req = {.lang = "en", .text = "She could of gone.", .dismissed = keys, .ndismissed = 1};
	writing_check(sp, a, &req, &r);
	CHECK(r.n == 0 && r.total == 0);
	/* Many suggestions: at most WRITING_LIST_MAX listed, all counted. */
	size_t n = 400;
	char *many = arena_alloc(a, n * 12 + 1);
	many[0] = 0;
	for (size_t i = 0; i < n; i++)
		strcat(many, "teh cat. ");
	r = run("en", many, "");
	CHECK(r.n == WRITING_LIST_MAX && r.total >= n);
}

static void test_lexicon_sorted(void)
{
	for (size_t i = 1; i < lex_extra_words_n; i++)
		CHECK(strcmp(lex_extra_words[i - 1], lex_extra_words[i]) < 0);
	CHECK(lex_extra("gonna") && lex_extra("unbeta'd") && !lex_extra("teh"));
	CHECK(lex_speech_verb("said") && lex_abbreviation("mr") && lex_address_word("mum"));
}

int main(void)
{
	sp = speller_new("/usr/share/hunspell");
	a = arena_new();
	test_spelling();
	test_names();
	test_confusables();
	test_mechanics();
	test_tense_and_pronouns();
	test_limits_and_dismissals();
	test_lexicon_sorted();
	arena_free(a);
	speller_free(sp);
	return CHECK_DONE();
}
