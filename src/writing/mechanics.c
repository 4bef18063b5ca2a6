/* Mechanics: a capital letter missing where a sentence starts, a capital in mid-sentence that belongs to
 * no name, dialogue punctuation ("I'm fine." she said; "I'm fine" she said; "I'm fine," She said; straight
 * and curly quotes), and doubled words ("the the"; never "had had"). */
#include "writing/check_int.h"
#include <string.h>

/* Doubled on purpose often enough that flagging them would be noise ("had had", "that that"). */
static const char *const doubled_ok[] = {"bye", "chop", "go", "ha", "had", "hush", "knock", "la", "no", "now",
                                         "so", "that", "there", "tsk", "tut", "very", "well", "yes", NULL};
/* Speech verbs that mean a tag for sure after "She" + a full stop ("Yes." She said.). */
static const char *const said_verbs[] = {"answered", "asked", "growled", "hissed", "murmured", "muttered",
                                         "replied", "said", "shouted", "snapped", "whispered", "yelled", NULL};
static const char *const tag_pronouns[] = {"he", "i", "she", "they", "we", "you", NULL};

static const char *upper_first(struct check *c, const struct tok *t)
{
	char *w = arena_strndup(c->a, c->tx.s + t->start, t->end - t->start);
	if (w[0] >= 'a' && w[0] <= 'z')
		w[0] = (char)(w[0] - 32);
	return w;
}

static const char *lower_first(struct check *c, const struct tok *t)
{
	char *w = arena_strndup(c->a, c->tx.s + t->start, t->end - t->start);
	if (w[0] >= 'A' && w[0] <= 'Z')
		w[0] = (char)(w[0] + 32);
	return w;
}

static bool ascii_lower_start(const struct text *tx, const struct tok *t)
{
	char ch = tx->s[t->start];
	return ch >= 'a' && ch <= 'z';
}

/* Token i starts a dialogue tag: a pronoun or a name, then (within three words, nothing but spaces
 * between) a speech verb; or a speech verb itself ("said Wren"). */
static bool tag_at(struct check *c, size_t i)
{
	const struct text *tx = &c->tx;
	if (i >= tx->n || (tx->t[i].flags & TOK_QUOTED))
		return false;
	const struct tok *t = &tx->t[i];
	if (lex_speech_verb(t->low))
		return true;
	bool who = LEX_HAS(tag_pronouns, t->low) || ((t->flags & TOK_CAP) && check_is_name(c, t->low, t->len)) ||
	           !strcmp(t->low, "the");
	if (!who)
		return false;
	for (size_t k = i + 1; k < tx->n && k <= i + 4; k++) {
		if (!text_gap_plain(tx, k))
			return false;
		if (lex_speech_verb(tx->t[k].low))
			return true;
	}
	return false;
}

/* Pronoun at i then a said-verb right after it (or after one -ly word), then the clause ends or an -ly word. */
static bool said_tag(const struct text *tx, size_t i)
{
	if (i + 1 >= tx->n || !LEX_HAS(tag_pronouns, tx->t[i].low) || !strcmp(tx->t[i].low, "i"))
		return false;
	size_t k = i + 1;
	if (!text_gap_plain(tx, k))
		return false;
	if (tx->t[k].len > 2 && !strcmp(tx->t[k].low + tx->t[k].len - 2, "ly") && k + 1 < tx->n && text_gap_plain(tx, k + 1))
		k++;
	if (!LEX_HAS(said_verbs, tx->t[k].low))
		return false;
	if (k + 1 >= tx->n || !text_gap_plain(tx, k + 1))
		return true;
	const struct tok *n = &tx->t[k + 1];
	return n->len > 2 && !strcmp(n->low + n->len - 2, "ly");
}

/* Where the closing quote ends in a gap made of: [punct] quote spaces. Returns the offset of the quote in g
 * (or -1) and sets *punct to the character before it (0 when the quote follows the word directly). */
static long quote_in_gap(const char *g, size_t n, char *punct, size_t *qlen)
{
	for (size_t k = 0; k < n; k++) {
		size_t q = text_quote_close_at(g + k, n - k);
		if (!q)
			continue;
		if (k > 1 || (k == 1 && !strchr(".,!?", g[0])))
			return -1;
		for (size_t j = k + q; j < n; j++)
			if (g[j] != ' ')
				return -1;
		if (k + q == n)
			return -1; /* a word right after the quote: not a tag */
		*punct = k ? g[0] : 0;
		*qlen = q;
		return (long)k;
	}
	return -1;
}

static void dialogue(struct check *c, size_t i)
{
	const struct text *tx = &c->tx;
	const struct tok *t = &tx->t[i];
	if (i == 0 || tx->t[i - 1].para != t->para || !(tx->t[i - 1].flags & TOK_QUOTED) || (t->flags & TOK_NOTE))
		return;
	size_t n, qlen = 0;
	const char *g = text_gap(tx, i, &n);
	char punct = 0;
	long q = quote_in_gap(g, n, &punct, &qlen);
	if (q < 0)
		return;
	size_t gs = (size_t)(g - tx->s);
	bool lower = ascii_lower_start(tx, t);
	if (punct == '.') {
		if (gs >= 1 && tx->s[gs - 1] == '.')
			return; /* an ellipsis */
		if (lower || ((t->flags & TOK_CAP) && (check_is_name(c, t->low, t->len) && tag_at(c, i))) || said_tag(tx, i)) {
			check_add(c, WRITING_PUNCTUATION, gs, gs + 1, ",",
			          "Dialogue followed by a tag (she said) ends with a comma inside the quotes, not a full stop.");
			if ((t->flags & TOK_CAP) && said_tag(tx, i))
				check_add(c, WRITING_CAPITAL, t->start, t->end, lower_first(c, t),
				          "A dialogue tag goes on the sentence: no capital after the quote.");
		}
		return;
	}
	if (punct == 0) {
		if (!tag_at(c, i))
			return;
		const char *quote = arena_strndup(c->a, g + q, qlen);
		check_add(c, WRITING_PUNCTUATION, gs + (size_t)q, gs + (size_t)q + qlen, arena_printf(c->a, ",%s", quote),
		          "Dialogue followed by a tag (she said) needs a comma before the closing quote.");
		if ((t->flags & TOK_CAP) && !check_is_name(c, t->low, t->len) && strcmp(t->low, "i") != 0)
			check_add(c, WRITING_CAPITAL, t->start, t->end, lower_first(c, t),
			          "A dialogue tag goes on the sentence: no capital after the quote.");
		return;
	}
	/* ," She said / ?" She asked: the tag takes no capital. */
	if ((t->flags & TOK_CAP) && strchr(",?!", punct) && said_tag(tx, i))
		check_add(c, WRITING_CAPITAL, t->start, t->end, lower_first(c, t),
		          "A dialogue tag goes on the sentence: no capital after the quote.");
}

/* A lower-case word where a sentence starts. */
static void sentence_start(struct check *c, size_t i)
{
	const struct text *tx = &c->tx;
	const struct tok *t = &tx->t[i];
	if (!(t->flags & TOK_SENT) || (t->flags & (TOK_NOTE | TOK_MIXED)) || !ascii_lower_start(tx, t) || t->len < 2)
		return;
	size_t n;
	const char *g = text_gap(tx, i, &n);
	if (t->flags & TOK_PARA) {
		/* The gap since the line break. */
		const char *nl = NULL;
		for (size_t k = n; k-- > 0;)
			if (g[k] == '\n') {
				nl = g + k;
				break;
			}
		if (nl) {
			n -= (size_t)(nl + 1 - g);
			g = nl + 1;
		}
	}
	bool space = (t->flags & TOK_PARA) != 0, closing = false;
	for (size_t k = 0; k < n; k++) {
		char ch = g[k];
		if (ch == '.' && k + 1 < n && g[k + 1] == '.')
			return; /* ... */
		if ((unsigned char)ch == 0xE2 && k + 2 < n && (unsigned char)g[k + 1] == 0x80 &&
		    ((unsigned char)g[k + 2] == 0xA6 || (unsigned char)g[k + 2] == 0x94 || (unsigned char)g[k + 2] == 0x93))
			return; /* … — – */
		if (strchr("-(*_'/[:;<>", ch))
			return;
		if (ch == ' ' || ch == '\n' || ch == '\t')
			space = true;
		if (text_quote_close_at(g + k, n - k) && k > 0 && strchr(".!?", g[k - 1]))
			closing = true; /* ." she said: punctuation, not a capital; ?" she asked: right */
	}
	if (!space || closing)
		return;
	check_add(c, WRITING_CAPITAL, t->start, t->end, upper_first(c, t), "A sentence starts with a capital letter.");
}

/* A capital in mid-sentence on a word that is no name: "she had no Idea". */
static void stray_capital(struct check *c, size_t i)
{
	const struct text *tx = &c->tx;
	const struct tok *t = &tx->t[i];
	if (i == 0 || !(t->flags & TOK_CAP) || (t->flags & (TOK_SENT | TOK_NOTE | TOK_ALLCAPS | TOK_MIXED)) || t->len < 2)
		return;
	const struct tok *p = &tx->t[i - 1];
	if ((p->flags & TOK_CAP) || !text_gap_plain(tx, i) || !strncmp(t->low, "i'", 2))
		return;
	if (i + 1 < tx->n && (tx->t[i + 1].flags & TOK_CAP) && text_gap_plain(tx, i + 1))
		return; /* two capitals: a name of several words (Upper East Side) */
	if ((t->end < tx->len && tx->s[t->end] == '-') || tx->s[t->start - 1] == '-')
		return;
	size_t n = t->len > 2 && t->low[t->len - 2] == '\'' && t->low[t->len - 1] == 's' ? (size_t)t->len - 2 : t->len;
	const char *w = arena_strndup(c->a, t->low, n);
	if (wordset_get(&c->names, w, n) || lex_address_word(w))
		return;
	struct wordset_entry *e = wordset_get(&c->caps, w, n);
	if (e && e->extra > 1)
		return; /* capitalised in mid-sentence more than once: the writer means it */
	if (!wordset_get(&c->lower, w, n))
		return; /* never written in lower case here: perhaps a name (the Bridewell) */
	if (!check_known(c, w, n))
		return; /* unknown in lower case: a proper noun */
	check_add(c, WRITING_CAPITAL, t->start, t->end, lower_first(c, t),
	          "A capital in mid-sentence: names take one, ordinary words don't.");
}

static void doubled(struct check *c, size_t i)
{
	const struct text *tx = &c->tx;
	if (i == 0 || !text_gap_plain(tx, i) || tx->t[i].para != tx->t[i - 1].para)
		return;
	const struct tok *a = &tx->t[i - 1], *b = &tx->t[i];
	if (a->len != b->len || strcmp(a->low, b->low) != 0 || LEX_HAS(doubled_ok, b->low))
		return;
	check_add(c, WRITING_DOUBLED, a->start, b->end, arena_strndup(c->a, tx->s + a->start, a->end - a->start),
	          "The same word twice.");
}

void mechanics_check(struct check *c)
{
	for (size_t i = 0; i < c->tx.n; i++) {
		doubled(c, i);
		dialogue(c, i);
		sentence_start(c, i);
		stray_capital(c, i);
	}
}
