/* Real words in the wrong place: each rule is a short pattern of words around the suspect word, written so
 * that it matches only where the other word of the pair is the one meant ("could [of]" -> "have", "[their]
 * is" -> "there"). Rules were written for Quire from the usual confusions of English and tuned on the
 * development texts (bench/writing/dev): precision first, so each context is one where the suspect word
 * cannot be right. Chosen over Debian's link-grammar parser (5.12, measured 2026-12: it told the wrong word
 * of 6 of 8 sample pairs by a parse with unlinked words, missing then/than and lose/loose, at about 0.7 ms
 * of CPU for a 9-word sentence, so half a second for a 10,000-word chapter, five times the whole check's
 * budget): a rule costs a hash lookup per word, too little to show in a profile of the check.
 *
 * Pattern syntax, slots separated by spaces: "a|b" one of these words; "@class" a word class; "*" any word;
 * "!slot" (first or last slot only) the neighbouring word must not match; "[" and "]" around the target (one
 * or more slots: what is marked and replaced); "^" the target opens a sentence; "$" the clause ends here
 * (punctuation, a quote or the end); "," a comma comes between the words on either side. Words of a
 * pattern follow each other with only spaces between them, in one paragraph. */
#include "writing/check_int.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct rule_src {
	const char *pattern, *fix, *message;
};

#define M_HAVE "After could, would, should, must or might, the word is “have” (or 've): “of” only sounds like it."
#define M_PHRASE "The fixed phrase is written differently."
#define M_THAN "“Than” compares; “then” is about time."
#define M_THEN "“Then” is about time (and next); “than” compares."
#define M_ITS "“It's” is “it is” or “it has”; “its” belongs to it."
#define M_ITS2 "“Its” belongs to it; “it's” is “it is” or “it has”."
#define M_YOURE "“You're” is “you are”; “your” belongs to you."
#define M_YOUR "“Your” belongs to you; “you're” is “you are”."
#define M_THERE "“There” is a place, or “there is”; “their” belongs to them."
#define M_THEYRE "“They're” is “they are”."
#define M_THEIR "“Their” belongs to them."
#define M_TOO "“Too” means also, or more than enough; “to” is a preposition."
#define M_TO "“To” goes before a verb or a place; “too” means also, or more than enough."
#define M_WERE "“Were” is the past of “are”; “where” is a place."
#define M_WHERE "“Where” is a place; “were” is the past of “are”."
#define M_WHOS "“Who's” is “who is” or “who has”; “whose” belongs to someone."
#define M_WHOSE "“Whose” belongs to someone; “who's” is “who is”."
#define M_LOSE "“Lose” is to mislay or be beaten; “loose” is not tight."
#define M_LOOSE "“Loose” is not tight; “lose” is to mislay or be beaten."
#define M_BREATHE "“Breathe” is the verb; “breath” the noun."
#define M_BREATH "“Breath” is the noun; “breathe” the verb."
#define M_AFFECT "“Affect” is the verb (to change); “effect” the noun (a result)."
#define M_EFFECT "“Effect” is the noun (a result); “affect” the verb."
#define M_PASSED "“Passed” is the verb; “past” is a time, or beyond."
#define M_PAST "“Past” is a time, or beyond; “passed” is the verb."
#define M_LED "The past of “lead” is “led”."
#define M_LIE "“Lie” (lay, lain) takes no object: you lie down; you lay something down."
#define M_LAY "The past of “lie” (down) is “lay”; “lied” is the past of telling a lie, “laid” of laying something."
#define M_ACCEPT "“Accept” is to take or agree; “except” is “but”."
#define M_EXCEPT "“Except” is “but” or “apart from”; “accept” is to take or agree."
#define M_QUIET "“Quiet” is without noise; “quite” is rather, or completely."
#define M_QUITE "“Quite” is rather, or completely; “quiet” is without noise."
#define M_ADVISE "“Advise” is the verb; “advice” the noun."
#define M_ADVICE "“Advice” is the noun; “advise” the verb."
#define M_KNEW "“Knew” is the past of “know”; “new” is not old."
#define M_NO "“No” is none; “know” is to be aware."
#define M_WHETHER "“Whether” introduces a choice; “weather” is rain and sun."
#define M_THROUGH "“Through” goes in one side and out the other; “threw” is the past of “throw”; “though” is however."
#define M_THREW "“Threw” is the past of “throw”; “through” goes in one side and out the other."
#define M_OFF "“Off” is away from; “of” belongs."
#define M_ON "“On” is the preposition; “own” belongs."
#define M_ALLOWED "“Allowed” is permitted; “aloud” is out loud."
#define M_ALOUD "“Aloud” is out loud; “allowed” is permitted."
#define M_ALREADY "“Already” is by now; “all ready” is all prepared."

static const struct rule_src rule_src[] = {
	{"@modal [of] !course", "have", M_HAVE},
	{"[in tact]", "intact", M_PHRASE},
	{"all [intensive purposes]", "intents and purposes", M_PHRASE},
	{"[one in the same]", "one and the same", M_PHRASE},
	{"[case and point]", "case in point", M_PHRASE},
	{"sneak [peak]", "peek", M_PHRASE},
	{"sneak [peaks]", "peeks", M_PHRASE},
	{"[peaked] my|his|her|their|our|your|its interest|curiosity", "piqued", M_PHRASE},
	{"[peak] my|his|her|their|our|your|its interest|curiosity", "pique", M_PHRASE},
	{"deep [seeded]", "seated", M_PHRASE},
	{"free [reign]", "rein", M_PHRASE},
	{"[baited] breath", "bated", M_PHRASE},
	{"make|made|making [due] with|$", "do", M_PHRASE},
	{"[tow] the line", "toe", M_PHRASE},
	{"[towed] the line", "toed", M_PHRASE},
	{"[per say]", "per se", M_PHRASE},
	{"[wreck] havoc", "wreak", M_PHRASE},
	{"[wrecked] havoc", "wreaked", M_PHRASE},
	{"[by in large]", "by and large", M_PHRASE},
	{"[mute] point", "moot", M_PHRASE},
	{"[statue] of limitations", "statute", M_PHRASE},
	{"all of [the sudden]", "a sudden", M_PHRASE},
	{"nip|nipped|nipping it in the [butt]", "bud", M_PHRASE},
	{"hunger [pains]", "pangs", M_PHRASE},
	{"on [tender hooks]", "tenterhooks", M_PHRASE},
	{"[wet] @det appetite", "whet", M_PHRASE},
	{"[poured] over the|his|her|their|my|our|your|a map|maps|book|books|notes|file|files|papers|letter|letters|page|pages|records|documents|report|ledger|ledgers", "pored", M_PHRASE},
	{"take|took|taking|hold|held|holding|grab|grabbed|handed|hand the [reigns]", "reins", M_PHRASE},
	{"[slight] of hand", "sleight", M_PHRASE},
	{"[tongue and cheek]", "tongue in cheek", M_PHRASE},
	{"didn't|doesn't|don't|won't|not|never|barely|hardly [phase] @obj", "faze", M_PHRASE},
	{"didn't|doesn't|don't|won't|not|never|barely|hardly [phased] @obj", "fazed", M_PHRASE},
	{"[all ready] said|gone|left|done|told|seen|been|knew|decided|started|finished|packed|made|taken|given", "already", M_ALREADY},
	{"[own] her|his|my|their|your|our|its own", "on", M_ON},

	{"@comp [then]", "than", M_THAN},
	{"more|less * [then]", "than", M_THAN},
	{"^ [than]", "then", M_THEN},
	{"since|until|till|just|back|right|by|and [than]", "then", M_THEN},
	{", [than] @subj", "then", M_THEN},

	{"[its] a|an|the|not|been|going|gonna|just|so|too|nothing|okay|fine|alright|about|because|really|always|never|almost|probably|definitely|practically|my|your|his|her|our|their|hard|impossible|time", "it's", M_ITS},
	{"[it's] own", "its", M_ITS2},
	{"of|in|on|from|into|onto|by|with|at|against|under|across|through|beneath|behind|toward|towards|around [it's] !@notnoun", "its", M_ITS2},

	{"[your] a|an|the|not|going|gonna|welcome|kidding|joking|lying|sure|so|too|being|always|never|just|still|really|probably|definitely|absolutely|totally|such|getting|trying|coming|leaving|looking|talking|saying|asking|acting|okay|fine|alright|here|there|already|supposed|mine", "you're", M_YOURE},
	{"[you're] @possessed", "your", M_YOUR},
	{"of|to|on|from|into|about [you're] !@notnoun", "your", M_YOUR},

	{"[their] is|was|are|were|isn't|wasn't|aren't|weren't|must|could|would|should|has|had|seems|seemed|goes|went|comes|came|'s", "there", M_THERE},
	{"[their] $", "there", M_THERE},
	{"[their] going|gonna|not|coming|getting|trying|always|never|so|too|really|probably|definitely|gone|here|there|both|okay|sure", "they're", M_THEYRE},
	{"!@be [there] own|house|car|eyes|hands|faces|heads|names|mother|father|family|minds|feet|mouths|voices|clothes|jobs|boss|phones|bags|coats|son|daughter|wife|husband|dog|cat|hearts|shoulders|backs|arms|lives", "their", M_THEIR},
	{"!@be [there] going|gonna|coming|trying|getting|looking|leaving|doing|talking", "they're", M_THEYRE},
	{"[they're] @possessed", "their", M_THEIR},
	{"of|in|on|from|into|by|with|at|to|about [they're]", "their", M_THEIR},

	{"[to] late|much|many|soon|bad|tired|scared|afraid|busy|loud|hot|cold|young|old|early|far|fast|big|small|hard|easy|high|low|heavy|weak|strong|bright|short|tall|thin|fat|good|quickly|slowly|often $", "too", M_TOO},
	{"[to] late|much|many|soon|bad|tired|scared|afraid|busy|loud|hot|cold|young|old|early|far|fast|big|small|hard|easy|high|low|heavy|weak|strong|bright|short|tall|thin|fat|good|quickly|slowly|often to|for|and|now|already|anyway|though", "too", M_TOO},
	{"[too] the|a|an|his|my|their|our|your|its|him|them|us|be|do|go|see|get|make|take|have|find|keep|tell|say|stop|help|think|know|let", "to", M_TO},

	{"we|they [where]", "were", M_WERE},
	{"you [where] not|never|always|so|too|just|going|supposed|still|already|right|up", "were", M_WERE},
	{"[were] i|he|she|it|we|they|you was|were|is|are|had|have|lived|stood|sat|lay|left|stayed|belonged|used|went|grew|worked|waited|could|can|would|might|will", "where", M_WHERE},
	{", [were] the|a|an|her|his|their|my|our|its * was|is|had|stood|lay|sat|hung|burned|shone", "where", M_WHERE},
	{", [were] the|a|an|her|his|their|my|our|its * * was|is|had|stood|lay|sat|hung|burned|shone", "where", M_WHERE},
	{"[were] i'd|he'd|she'd|it'd|we'd|they'd|you'd", "where", M_WHERE},
	{"^ [were] going|gonna", "we're", "“We're” is “we are”."},

	{"[whose] going|gonna|been|not|there|coming|the|a|an", "who's", M_WHOS},
	{"[whose] left $", "who's", M_WHOS},
	{"[who's] @subj was|is|were|are", "whose", M_WHOSE},
	{"[who's] own|house|car|idea|turn|fault|name|side|job|phone|bag|coat|mother|father|mom|dad|mum|child|kid|son|daughter|wife|husband|friend|voice|hand|hands|eyes|face|life", "whose", M_WHOSE},

	{"@modal|to|don't|didn't|doesn't|never|not|gonna|wanna|you|we|they|i [loose]", "lose", M_LOSE},
	{"[loosing]", "losing", M_LOSE},
	{"@be [starring] at|into|out|up|down|back|straight|blankly", "staring", "“Staring” is looking hard; “starring” is being the star."},
	{"a|too|so|very|came|come|comes|coming|broke|break|breaks|breaking|cut|set|let|hang|hung|hanging|shook|shake|work|worked|pulled|tore|torn|turned [lose]", "loose", M_LOOSE},

	{"@modal|to|didn't|don't|doesn't|can't|cannot|couldn't|not|barely|hardly [breath]", "breathe", M_BREATHE},
	{"a|the|his|my|their|your|our|its|deep|sharp|shaky|ragged|long|short|quick|slow|last|held|hold|holds|holding|catch|caught|catching|one|every|first|next|shuddering|little|big|fresh|steadying|calming|of|shallow|same [breathe]", "breath", M_BREATH},

	{"to|will|would|could|can|didn't|doesn't|don't|not|might|may|should|must|won't|can't|couldn't|wouldn't|shouldn't|never [effect] !change|changes|a|an|the|real|lasting|reform|reforms", "affect", M_AFFECT},
	{"was|were|been|be|being|is|are|deeply|badly|greatly|really|so|not|strongly|directly|clearly|visibly|most|least [effected]", "affected", M_AFFECT},
	{"an|the|no|any|side|great|same|desired|full|special|sound|visual|lasting|opposite|calming|dramatic|immediate|strange|profound|positive|negative [affect]", "effect", M_EFFECT},
	{"the|side [affects]", "effects", M_EFFECT},

	{"had|has|have|having [past]", "passed", M_PASSED},
	{"he|she|it|they|we|i|you|who [past] @det|@obj|by|away|out|quickly|slowly|without", "passed", M_PASSED},
	{"walked|ran|drove|went|hurried|rushed|moved|slipped|pushed|flew|raced|strolled|wandered|marched|stormed|sped|brushed|squeezed|edged|shouldered|stepped|swept|limped|jogged|sprinted|darted|crept|drifted|sailed|rode|half|quarter|way [passed]", "past", M_PAST},
	{"in the [passed]", "past", M_PAST},
	{"the [passed] few|week|weeks|year|years|month|months|day|days|hour|hours|decade", "past", M_PAST},

	{"had|has|have|having|been|he|she|it|then|@name [lead] !pipe|pipes|poisoning|paint|weight|weights|singer|role|actor|actress|guitarist|detective|investigator|story|character|vocalist|balloon|lined|based|the", "led", M_LED},

	{"to|will|would|could|can|should|must|might|gonna|wanna|gotta|go [lay] down|back|awake|flat $|on|in|for|and|beside|next|with|there|here|until|till", "lie", M_LIE},
	{"@be [laying] there|awake|still|flat|beside|next|curled|around", "lying", M_LIE},
	{"@be [laying] on|in the|her|his|my|their|a bed|floor|couch|sofa|ground|grass|back|side|stomach|pillow|pillows|sand|dark", "lying", M_LIE},
	{"@be [laying] down $|on|in|beside|next|with|for|and", "lying", M_LIE},
	{"[lied] down", "lay", M_LAY},
	{"he|she|i|they|we|you [laid] down $|on|in|beside|next|for|and|with", "lay", M_LAY},

	{"to|will|would|could|can|did|didn't|don't|doesn't|not|gladly|please|must|should|cannot|can't|won't|couldn't|wouldn't|never [except] !for|that|when|to|in|on|at|by|as|if", "accept", M_ACCEPT},
	{"@be|@subj|had|have|has [excepted]", "accepted", M_ACCEPT},
	{"[accept] for", "except", M_EXCEPT},
	{"everyone|everybody|everything|anyone|anybody|anything|nothing|nobody|none [accept]", "except", M_EXCEPT},
	{", [accept] for|when|on|in|at|during|maybe|perhaps|sundays|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|weekends|holidays|christmas|sunday|monday|tuesday|wednesday|thursday|friday|saturday|one|two", "except", M_EXCEPT},

	{"was|were|is|be|been|so|very|too|fell|grew|stayed|kept|keep|go|went|gone|remained|remain|became|become|all|and|it|real|really|completely|perfectly|totally|deathly|oddly|strangely|eerily [quite] $", "quiet", M_QUIET},
	{"the|very [quite]", "quiet", M_QUIET},
	{"a|so|too [quite] $|of|and|night|room|house|voice|moment|street|morning|evening|place|corner|town|village|hum|murmur|peace|life|word|smile|laugh|sigh|knock", "quiet", M_QUIET},
	{"[quiet] sure|certain|possibly|literally|frankly|honestly|likely|often|good|nice|different|similar|true|ready|finished|yet", "quite", M_QUITE},
	{"[quiet] a lot|few", "quite", M_QUITE},
	{"not|isn't|wasn't|aren't|weren't [quiet] right|there|done|enough|what|as", "quite", M_QUITE},

	{"to|would|could|can|should|must|strongly|i|we|they [advice] you|him|her|them|me|us|against|that|caution|patience", "advise", M_ADVISE},
	{"some|any|good|bad|my|his|her|your|their|our|of|for|the|piece|no|much|more|little|sound|expert|legal|medical|helpful|useful|best|career|wise|unsolicited|friendly|free|such|this|take|took|taking|follow|followed|give|gave|giving|needed|need [advise] !@obj", "advice", M_ADVICE},

	{"i|he|she|we|they|you|just|already|always|never|somehow [new] it|that|what|how|why|where|who|better|exactly|about|him|her|them|the|this|something|nothing|everything|enough|then|too", "knew", M_KNEW},
	{"have|had|has|got|with|is|was|there's|i've [know] idea|doubt|way|longer|reason|choice|chance|matter|one|sense|clue|time|intention|interest|money|right", "no", M_NO},

	{"about|know|knew|wonder|wondered|wondering|ask|asked|asking|decide|decided|deciding|sure|unsure|doubt|see|tell|matter|question|care|cared|clue|idea|is|was [weather] @subjx|@name|to|or|there", "whether", M_WHETHER},
	{"[weather] or not", "whether", M_WHETHER},

	{"walked|ran|went|came|passed|drove|looked|got|broke|burst|stared|go|come|halfway|straight|slipped|pushed|fell [threw]", "through", M_THROUGH},
	{"she|he|they|i|we [through] the|a|his|her|their|my|your|our|it|them|him|up|down|back|open|away|out|herself|himself|themselves|myself", "threw", M_THREW},
	{"hand|hands|fingers|fingertips|walked|ran|went|came|passed|looked|pushed|broke|slipped|halfway|straight [though] the|her|his|my|their|your|our|a|it|them|him|me", "through", M_THROUGH},

	{"got|took|taking|turned|switched|fell|jumped|kicked|shrug|shrugged|brush|brushed|pull|pulled|nod|nodded|laughed|wave|waved|dusted|shook|slid|slipped|peeled|picked|tore|walked [of] $|the|her|his|my|their|your|our|its|it|him|them|me", "off", M_OFF},

	{"not|n't|isn't|wasn't|aren't|weren't|be|been|is|are|was|were [aloud] to", "allowed", M_ALLOWED},
	{"laughed|wondered|mused|read|spoke|sang|counted|muttered [allowed] $", "aloud", M_ALOUD},
};

/* Word classes named by @. */
static const struct {
	const char *name, *words;
} classes[] = {
	{"modal", "could would should must might may can will shall cannot couldn't wouldn't shouldn't mustn't mightn't "
	          "won't can't i'll you'll he'll she'll we'll they'll it'll i'd you'd he'd she'd we'd they'd"},
	{"subj", "i you he she it we they"},
	{"obj", "him her them me us it you"},
	{"det", "a an the this that these those my your his her our their its"},
	{"be", "is was are were be been being am isn't wasn't aren't weren't she's he's it's they're we're you're "
	       "i'm there's that's"},
	{"comp", "more less better worse rather other fewer greater larger smaller bigger older younger faster slower "
	         "longer shorter higher lower further farther harder easier stronger weaker taller colder warmer darker "
	         "brighter louder quieter closer happier sadder heavier lighter richer poorer wiser deeper sooner nicer "
	         "safer smarter tougher cheaper thicker thinner wider narrower scarier prettier uglier busier angrier "
	         "lonelier braver calmer cleaner clearer kinder simpler stranger sweeter quicker fonder worse"},
	{"notnoun", "a an the not been going gonna so too very just all only always never getting okay fine like over "
	            "about because what really still almost nothing my your his her our their this that true alright "
	            "time late here there no possible impossible hard easy clear obvious important got"},
	{"name", ""}, /* a name of the story (capitalised, learned): checked by is_name, no words */
	{"subjx", "i you he she it we they you'll i'll we'll they'll he'll she'll it'll you'd i'd he'd she'd they'd "
	          "we'd she's he's it's they're we're you're i'm"},
	{"possessed", "own mother father mom dad mum fault life house room hands eyes face name phone car sister brother "
	              "wife husband job turn time coat bag stuff things parents kids children shoes feet hair mind money"},
};
#define NCLASSES (sizeof classes / sizeof classes[0])

enum slot_kind { S_WORDS, S_ANY, S_END, S_START, S_COMMA };

struct slot {
	enum slot_kind kind;
	bool neg, target;
	const char **words; /* NULL-terminated */
	unsigned classes;   /* bit per class */
};

struct rule {
	struct slot *s;
	size_t n, t0, t1; /* target slots t0..t1 (consuming ones) */
	const char *fix, *message;
};

#define NRULES (sizeof rule_src / sizeof rule_src[0])
static struct rule rules[NRULES];
static const char **class_words[NCLASSES];
/* Rules by the words of their first target slot. */
#define INDEX_CAP 1024
static struct {
	const char *w;
	unsigned short rule[24];
	unsigned char n;
} index_[INDEX_CAP];
/* Word -> the classes it belongs to (bit per class). */
static struct {
	const char *w;
	unsigned bits;
} class_map[INDEX_CAP];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The words of s between separators: one block holding the NULL-terminated array and the words (freed
 * with the array; kept for the process's life when compiled). */
static const char **split(const char *s, const char *seps)
{
	size_t n = 1, len = strlen(s);
	for (const char *p = s; *p; p++)
		n += strchr(seps, *p) != NULL;
	const char **out = calloc(1, (n + 1) * sizeof *out + len + 1);
	char *copy = (char *)(out + n + 1), *save = NULL;
	memcpy(copy, s, len + 1);
	size_t k = 0;
	for (char *w = strtok_r(copy, seps, &save); w; w = strtok_r(NULL, seps, &save))
		out[k++] = w;
	return out;
}

static size_t hash_word(const char *w)
{
	size_t h = 5381;
	while (*w)
		h = h * 33 + (unsigned char)*w++;
	return h;
}

static void index_add(const char *w, unsigned short r)
{
	size_t i = hash_word(w) & (INDEX_CAP - 1);
	while (index_[i].w && strcmp(index_[i].w, w) != 0)
		i = (i + 1) & (INDEX_CAP - 1);
	index_[i].w = w;
	if (index_[i].n < sizeof index_[i].rule / sizeof index_[i].rule[0])
		index_[i].rule[index_[i].n++] = r;
}

static void compile(void)
{
	for (size_t c = 0; c < NCLASSES; c++) {
		class_words[c] = split(classes[c].words, " ");
		for (size_t k = 0; class_words[c][k]; k++) {
			size_t i = hash_word(class_words[c][k]) & (INDEX_CAP - 1);
			while (class_map[i].w && strcmp(class_map[i].w, class_words[c][k]) != 0)
				i = (i + 1) & (INDEX_CAP - 1);
			class_map[i].w = class_words[c][k];
			class_map[i].bits |= 1u << c;
		}
	}
	for (size_t r = 0; r < NRULES; r++) {
		const char **parts = split(rule_src[r].pattern, " ");
		size_t n = 0;
		while (parts[n])
			n++;
		struct rule *ru = &rules[r];
		ru->s = calloc(n + 1, sizeof *ru->s);
		ru->n = n;
		ru->fix = rule_src[r].fix;
		ru->message = rule_src[r].message;
		bool in = false;
		ru->t0 = ru->t1 = (size_t)-1;
		for (size_t i = 0; i < n; i++) {
			char *p = (char *)parts[i];
			struct slot *s = &ru->s[i];
			if (*p == '[') {
				in = true;
				p++;
			}
			size_t len = strlen(p);
			bool close = len && p[len - 1] == ']';
			if (close)
				p[--len] = 0;
			s->target = in;
			if (in && ru->t0 == (size_t)-1)
				ru->t0 = i;
			if (in)
				ru->t1 = i;
			if (close)
				in = false;
			if (*p == '!') {
				s->neg = true;
				p++;
			}
			if (!strcmp(p, "*"))
				s->kind = S_ANY;
			else if (!strcmp(p, "$"))
				s->kind = S_END;
			else if (!strcmp(p, "^"))
				s->kind = S_START;
			else if (!strcmp(p, ","))
				s->kind = S_COMMA;
			else {
				s->kind = S_WORDS;
				const char **alts = split(p, "|");
				size_t k = 0, w = 0;
				for (; alts[k]; k++) {
					if (alts[k][0] == '@') {
						for (size_t c = 0; c < NCLASSES; c++)
							if (!strcmp(classes[c].name, alts[k] + 1))
								s->classes |= 1u << c;
					} else if (alts[k][0] == '$') {
						s->classes |= 1u << 31; /* "$" among words: the clause may end instead */
					} else {
						alts[w++] = alts[k];
					}
				}
				alts[w] = NULL;
				s->words = alts;
			}
		}
		/* Index by the first target slot's words (or its classes' words). */
		struct slot *t = &ru->s[ru->t0];
		for (size_t k = 0; t->words && t->words[k]; k++)
			index_add(t->words[k], (unsigned short)r);
		for (size_t c = 0; c < NCLASSES; c++)
			if (t->classes & (1u << c))
				for (size_t k = 0; class_words[c][k]; k++)
					index_add(class_words[c][k], (unsigned short)r);
		free(parts);
	}
}

#define CLASS_NAME 7 /* index of "name" in classes */

static bool word_matches(struct check *c, const struct slot *s, const struct tok *t)
{
	const char *w = t->low;
	if (s->kind == S_ANY)
		return true;
	if ((s->classes & (1u << CLASS_NAME)) && (t->flags & TOK_CAP) && !(t->flags & TOK_SENT) &&
	    check_is_name(c, t->low, t->len))
		return true;
	for (size_t k = 0; s->words && s->words[k]; k++)
		if (!strcmp(s->words[k], w))
			return true;
	if (s->classes & ~(1u << 31)) {
		size_t i = hash_word(w) & (INDEX_CAP - 1);
		while (class_map[i].w && strcmp(class_map[i].w, w) != 0)
			i = (i + 1) & (INDEX_CAP - 1);
		if (class_map[i].w && (class_map[i].bits & s->classes))
			return true;
	}
	return false;
}

/* The clause ends right before token i (i == n: the end of the text). */
static bool clause_end(const struct text *tx, size_t i)
{
	if (i >= tx->n)
		return true;
	if (tx->t[i].para != tx->t[i - 1].para)
		return true;
	size_t n;
	const char *g = text_gap(tx, i, &n);
	for (size_t k = 0; k < n; k++)
		if (strchr(".,;:!?)\"*", g[k]) || (unsigned char)g[k] >= 0xE2)
			return true;
	return false;
}

/* Words i-1 and i follow each other with only spaces between (comma: with one comma). */
static bool adjacent(const struct text *tx, size_t i, bool comma)
{
	if (i == 0 || i >= tx->n || tx->t[i].para != tx->t[i - 1].para)
		return false;
	size_t n;
	const char *g = text_gap(tx, i, &n);
	int commas = 0;
	for (size_t k = 0; k < n; k++) {
		if (g[k] == ',')
			commas++;
		else if (g[k] != ' ' && g[k] != '\t')
			return false;
	}
	return comma ? commas == 1 : commas == 0 && n > 0;
}

/* Rule r with its first target slot at token i: the tokens of the target in *from, *to. */
static bool match(struct check *c, const struct rule *r, size_t i, size_t *from, size_t *to)
{
	const struct text *tx = &c->tx;
	/* Rightwards from the target. */
	size_t k = i; /* next token to consume */
	bool comma = false, first = true;
	for (size_t s = r->t0; s < r->n; s++) {
		const struct slot *sl = &r->s[s];
		if (sl->kind == S_END) {
			if (k == 0 || !clause_end(tx, k))
				return false;
			continue;
		}
		if (sl->kind == S_COMMA) {
			comma = true;
			continue;
		}
		if (sl->kind == S_START)
			continue;
		bool there = k < tx->n && (first || adjacent(tx, k, comma));
		if (sl->neg) {
			if (there && word_matches(c, sl, &tx->t[k]))
				return false;
			continue;
		}
		if (!there) {
			if ((sl->classes & (1u << 31)) && k > 0 && clause_end(tx, k))
				continue;
			return false;
		}
		if (!word_matches(c, sl, &tx->t[k])) {
			if ((sl->classes & (1u << 31)) && clause_end(tx, k))
				continue;
			return false;
		}
		if (sl->target)
			*to = k;
		k++;
		comma = first = false;
	}
	*from = i;
	/* Leftwards. */
	k = i; /* the token right of the slot being matched */
	comma = false;
	for (size_t s = r->t0; s-- > 0;) {
		const struct slot *sl = &r->s[s];
		if (sl->kind == S_START) {
			if (!(tx->t[k].flags & TOK_SENT))
				return false;
			continue;
		}
		if (sl->kind == S_COMMA) {
			if (!adjacent(tx, k, true))
				return false;
			comma = true;
			continue;
		}
		bool there = k > 0 && adjacent(tx, k, comma);
		if (sl->neg) {
			if (there && word_matches(c, sl, &tx->t[k - 1]))
				return false;
			continue;
		}
		if (!there || !word_matches(c, sl, &tx->t[k - 1]))
			return false;
		k--;
		comma = false;
	}
	return true;
}

static size_t index_find(const char *w)
{
	size_t i = hash_word(w) & (INDEX_CAP - 1);
	while (index_[i].w && strcmp(index_[i].w, w) != 0)
		i = (i + 1) & (INDEX_CAP - 1);
	return i;
}

void confusables_check(struct check *c)
{
	pthread_once(&once, compile);
	const struct text *tx = &c->tx;
	for (size_t i = 0; i < tx->n; i++) {
		size_t x = index_find(tx->t[i].low);
		for (size_t k = 0; index_[x].w && k < index_[x].n; k++) {
			const struct rule *r = &rules[index_[x].rule[k]];
			size_t from = i, to = i;
			if (!match(c, r, i, &from, &to))
				continue;
			size_t start = tx->t[from].start, end = tx->t[to].end;
			/* Part of a hyphenated word (a lose-lose deal): not this word. */
			if ((start > 0 && tx->s[start - 1] == '-') || (end < tx->len && tx->s[end] == '-'))
				continue;
			check_add(c, WRITING_CONFUSABLE, start, end, check_match_case(c, from, r->fix), r->message);
			break;
		}
	}
}
