/* Fixed word lists of the writer's check, sorted (a unit test keeps them so) and searched by bisection:
 * words a dictionary lacks but a story may use (dialect and slang in dialogue, fandom words in notes),
 * speech verbs of dialogue tags, forms of address written with a capital, abbreviations. Written for
 * Quire, from common usage. */
#include "writing/check_int.h"
#include <string.h>

bool lex_has(const char *const *list, size_t n, const char *w)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(list[mid], w);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

const char *const lex_extra_words[] = {"'em", "'tis", "'twas", "a/n", "ah", "ain't", "angst",
	"angsty", "au", "aught", "aus", "aw", "aww", "aye", "bairn", "bairns", "beta", "beta'd", "beta-read",
	"betaed", "betcha", "bff", "blimey", "bloody", "bollocks", "bro", "btw", "c'mon", "canna", "cannae",
	"canon", "canonical", "cheers", "couldnae", "crossover", "crossovers", "d'you", "da", "didnae", "dinna",
	"dinnae", "dontcha", "drabble", "drabbles", "dude", "dunno", "ew", "eww", "fae", "fandom", "fandoms",
	"fanfic", "fanfics", "fanfiction", "femslash", "fic", "ficlet", "ficlets", "fics", "fluff", "fluffy",
	"g'morning", "g'night", "gimme", "gobsmacked", "gonna", "gotcha", "gotta", "gran", "granda", "grandad",
	"hah", "haha", "hahaha", "hc", "headcanon", "headcanons", "heh", "hmm", "hmmm", "huh", "hurt/comfort",
	"idk", "imo", "innit", "irl", "isnae", "ken", "kinda", "knackered", "kudos", "lad", "laddie", "lads",
	"lass", "lassie", "lassies", "lemme", "lol", "ma", "ma'am", "mam", "mammy", "mebbe", "mebbes", "mhm", "miz",
	"mm", "mum", "nae", "nah", "nan", "nana", "naught", "ngl", "nope", "nowt", "oc", "och", "ocs", "oh", "oi",
	"ok", "okay", "ol'", "omg", "one-shot", "oneshot", "ooc", "ooh", "oops", "otp", "otps", "owt", "pa", "pfft",
	"pov", "povs", "reckon", "reckons", "shh", "shhh", "ship", "shipper", "shippers", "shipping", "sis",
	"slash", "smut", "sorta", "spoiler", "spoilers", "summat", "ta", "tara", "tbh", "tha", "tl;dr", "tsk",
	"ugh", "uh", "uh-huh", "uh-oh", "um", "umm", "unbeta'd", "wanna", "wasnae", "wean", "weans", "wee", "wha",
	"whaddya", "whoa", "whoops", "whump", "wip", "wips", "woah", "wouldnae", "y'all", "y'know", "ya", "ya'll",
	"yay", "ye", "ye'd", "ye'll", "ye're", "ye'se", "ye've", "yeah", "yeh", "yep", "yer", "yo", "yup", NULL};
const size_t lex_extra_words_n = sizeof lex_extra_words / sizeof lex_extra_words[0] - 1;

static const char *const speech_verbs[] = {"added", "adds", "admitted", "agreed", "agrees", "announced",
	"answered", "answers", "asked", "asks", "barked", "began", "begged", "begins", "blurted", "breathed",
	"called", "calls", "chuckled", "conceded", "continued", "continues", "corrected", "countered", "cried",
	"cries", "croaked", "declared", "demanded", "drawled", "exclaimed", "explained", "finished", "giggled",
	"groaned", "growled", "grumbled", "hissed", "insisted", "interrupted", "joked", "laughed", "managed",
	"mumbled", "mumbles", "murmured", "murmurs", "mused", "muttered", "mutters", "noted", "observed", "offered",
	"pleaded", "pointed", "pressed", "promised", "prompted", "protested", "purred", "rasped", "remarked",
	"repeated", "replied", "replies", "responded", "retorted", "said", "say", "says", "scoffed", "shouted",
	"shouts", "sighed", "snapped", "snaps", "sneered", "sobbed", "squeaked", "stammered", "stuttered",
	"suggested", "teased", "teases", "told", "urged", "ventured", "warned", "whined", "whispered", "whispers",
	"wondered", "yelled", "yells", NULL};

static const char *const subject_pronouns[] = {"he", "i", "it", "she", "they", "we", "you", NULL};

static const char *const address_words[] = {"admiral", "aunt", "auntie", "boss", "brother", "captain",
	"chief", "christmas", "colonel", "commander", "constable", "cousin", "dad", "daddy", "detective", "doctor",
	"easter", "father", "general", "god", "gran", "grandfather", "grandma", "grandmother", "grandpa", "granny",
	"heaven", "hell", "highness", "inspector", "internet", "judge", "king", "lady", "lieutenant", "lord",
	"ma'am", "madam", "majesty", "major", "mama", "master", "miss", "missus", "mister", "mistress", "mom",
	"mommy", "mother", "mum", "mummy", "nan", "nana", "officer", "papa", "prince", "princess", "professor",
	"queen", "sarge", "sergeant", "sir", "sire", "sister", "uncle", NULL};

static const char *const abbreviations[] = {"approx", "capt", "ch", "col", "dept", "dr", "e.g", "etc", "fig",
	"gen", "hon", "i.e", "jr", "lt", "mr", "mrs", "ms", "no", "prof", "rev", "sgt", "sr", "st", "vol", "vs", NULL};

bool lex_extra(const char *w)
{
	return lex_has(lex_extra_words, lex_extra_words_n, w);
}

bool lex_speech_verb(const char *w)
{
	return LEX_HAS(speech_verbs, w);
}

bool lex_subject_pronoun(const char *w)
{
	return LEX_HAS(subject_pronouns, w);
}

bool lex_address_word(const char *w)
{
	return LEX_HAS(address_words, w);
}

bool lex_abbreviation(const char *w)
{
	return LEX_HAS(abbreviations, w);
}
