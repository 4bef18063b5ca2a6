/* The story's names: learned from the text and the rest of the work (a capitalised word never written in
 * lower case is a name), and a name spelled two ways: a rare spelling one letter away from a frequent name
 * of the same work ("Elliot" once beside "Eliot" six times), or from a name in the work's tags. */
#include "writing/check_int.h"
#include <stdlib.h>
#include <string.h>

#define NAME_CANDIDATES_MAX 2000 /* distinct capitalised words compared pairwise (bounded work) */

/* The length of the word of token t without a possessive 's. */
static size_t stem_len(const struct tok *t)
{
	return t->len > 2 && t->low[t->len - 2] == '\'' && t->low[t->len - 1] == 's' ? (size_t)t->len - 2 : t->len;
}

void names_learn(struct check *c)
{
	for (size_t i = 0; i < c->tx.n; i++) {
		const struct tok *t = &c->tx.t[i];
		size_t n = stem_len(t);
		if (t->flags & TOK_ALLCAPS)
			continue;
		if (t->flags & TOK_CAP) {
			struct wordset_entry *e = wordset_add(&c->caps, t->low, n);
			e->count++;
			if (!(t->flags & TOK_SENT) && !(t->flags & TOK_NOTE))
				e->extra++;
		} else if (!(t->flags & TOK_MIXED)) {
			wordset_add(&c->lower, t->low, n)->count++;
		}
	}
}

/* a and b differ by one doubled letter (Eliot, Elliot) or two swapped ones (Pryia, Priya): the slips of a
 * name's own spelling, rather than another name (Mara, Maya). */
static bool slip_of(const char *a, size_t an, const char *b, size_t bn)
{
	if (an + 1 == bn || bn + 1 == an) {
		const char *l = an > bn ? a : b, *s = an > bn ? b : a;
		size_t ln = an > bn ? an : bn, i = 0;
		while (i < ln - 1 && l[i] == s[i])
			i++;
		return i > 0 && l[i] == l[i - 1] && !strncmp(l + i + 1, s + i, ln - i - 1);
	}
	if (an != bn)
		return false;
	size_t i = 0;
	while (i < an && a[i] == b[i])
		i++;
	return i + 1 < an && a[i] == b[i + 1] && a[i + 1] == b[i] && !strncmp(a + i + 2, b + i + 2, an - i - 2);
}

/* Optimal string alignment distance of a and b, stopping early: true when it is at most 1. */
static bool within_one(const char *a, size_t an, const char *b, size_t bn)
{
	if (an > bn + 1 || bn > an + 1)
		return false;
	size_t i = 0;
	while (i < an && i < bn && a[i] == b[i])
		i++;
	if (i == an && i == bn)
		return true;
	if (an == bn) {
		if (!strncmp(a + i + 1, b + i + 1, an - i - 1))
			return true; /* one substituted */
		return i + 1 < an && a[i] == b[i + 1] && a[i + 1] == b[i] && !strncmp(a + i + 2, b + i + 2, an - i - 2);
	}
	if (an > bn)
		return !strncmp(a + i + 1, b + i, an - i - 1);
	return !strncmp(a + i, b + i + 1, bn - i - 1);
}

struct cand {
	const char *w;
	size_t n;
	uint32_t count;
	bool given;
	const char *fix; /* the name it is a misspelling of, or NULL */
};

static int by_count(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	return a->count != b->count ? (a->count > b->count ? -1 : 1) : strcmp(a->w, b->w);
}

void names_check(struct check *c)
{
	/* Candidates: capitalised words that are names (never lower case, and a dictionary knows them only
	 * capitalised or not at all), most frequent first. */
	struct cand *cs = arena_calloc(c->a, NAME_CANDIDATES_MAX + 1, sizeof *cs);
	size_t k = 0;
	for (size_t i = 0; i < c->caps.cap && k < NAME_CANDIDATES_MAX; i++) {
		struct wordset_entry *e = &c->caps.e[i];
		if (!e->w || e->n < 3 || strchr(e->w, '\'') || lex_address_word(e->w))
			continue;
		bool given = wordset_get(&c->names, e->w, e->n) != NULL;
		if (!given && wordset_get(&c->lower, e->w, e->n))
			continue; /* also written in lower case: a word */
		if (!given && check_known(c, e->w, e->n))
			continue; /* known in lower case: a word, not a name */
		cs[k++] = (struct cand){e->w, e->n, e->count, given, NULL};
	}
	qsort(cs, k, sizeof *cs, by_count);
	for (size_t r = 0; r < k; r++) {
		if (cs[r].given)
			continue;
		for (size_t f = 0; f < k; f++) {
			if (f == r)
				continue;
			/* Rare beside frequent, or any number of times a slip of a name in the tags (the tags spell the
			 * characters' names: "Eliot" six times is still "Elliot Stabler" misspelt). */
			bool rare = cs[r].count <= 2 && (cs[f].given || (cs[f].count >= 3 && cs[f].count >= 3 * cs[r].count));
			if ((rare && within_one(cs[r].w, cs[r].n, cs[f].w, cs[f].n)) ||
			    (cs[f].given && slip_of(cs[r].w, cs[r].n, cs[f].w, cs[f].n))) {
				cs[r].fix = cs[f].w;
				break;
			}
		}
	}
	for (size_t r = 0; r < k; r++) {
		if (!cs[r].fix)
			continue;
		struct wordset_entry *e = wordset_get(&c->caps, cs[r].w, cs[r].n);
		e->extra = 0; /* no longer a name for the other finders: it is a misspelt one */
		char *fix = arena_strdup(c->a, cs[r].fix);
		fix[0] = (char)(fix[0] >= 'a' && fix[0] <= 'z' ? fix[0] - 32 : fix[0]);
		const char *msg = arena_printf(c->a, "Elsewhere in this work the name is spelled “%s”.", fix);
		for (size_t i = 0; i < c->tx.n; i++) {
			const struct tok *t = &c->tx.t[i];
			if (!(t->flags & TOK_CAP) || stem_len(t) != cs[r].n || memcmp(t->low, cs[r].w, cs[r].n) != 0)
				continue;
			size_t end = t->end;
			if (stem_len(t) != t->len) /* the possessive stays: mark the name only */
				end -= c->tx.s[end - 2] == '\'' ? 2 : 4;
			check_add(c, WRITING_NAME, t->start, end, fix, msg);
		}
	}
}
