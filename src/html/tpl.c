/* Template engine: each source is compiled once into a flat node array with jump indices, then rendered read-only. */
#include "html/tpl.h"
#include "core/hash.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/assets.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Render limits: a template that includes itself, or loops nested over the same
 * data, must end with an error instead of exhausting the stack, time or memory. */
#define TPL_MAX_SCOPES 64              /* nested {{#each}} levels at render time */
#define TPL_MAX_PARTIALS 64            /* nested {{> partial}} levels */
#define TPL_MAX_STEPS 20000000UL       /* nodes and loop iterations executed per render */
#define TPL_MAX_OUTPUT ((size_t)64 << 20) /* bytes appended per render */

enum op { OP_TEXT, OP_VAL, OP_RAW, OP_IF, OP_UNLESS, OP_EQ, OP_NEQ, OP_EACH, OP_ELSE, OP_END, OP_PARTIAL };
enum filter { F_HTML, F_URL, F_JSON, F_NUM };
enum pkind { P_KEYS, P_DOT, P_INDEX, P_NUMBER, P_FIRST, P_LAST };

static const char *const block_kw[] = {
	[OP_IF] = "if", [OP_UNLESS] = "unless", [OP_EQ] = "eq", [OP_NEQ] = "neq", [OP_EACH] = "each",
};

struct seg {
	const char *key; /* points into the template's source copy; not NUL-terminated */
	size_t len;
	long long idx; /* >= 0 when the segment is all digits and may index an array */
	/* Where find_var found this name last time: pages build their variable lists in the same order on
	 * every request, so the guess is nearly always right and a lookup costs one comparison. Shared by
	 * the threads rendering this template, hence atomic (relaxed: it is only a guess, always checked). */
	atomic_uint hint;
};

struct path {
	enum pkind kind;
	size_t nseg;
	struct seg *seg;
};

/* Right-hand side of {{#eq}} / {{#neq}}: a string literal or another path. */
struct operand {
	const struct path *path; /* NULL for a literal */
	const char *lit;
	size_t litlen;
};

struct entry;

struct node {
	uint8_t op, filter;
	uint32_t line;
	/* Blocks: mid is the {{else}} node (or the close node when there is none), end the
	 * close node. An {{else}} node's end is its block's close node. */
	uint32_t mid, end;
	const char *text; /* OP_TEXT: into the source copy */
	size_t len;
	const struct path *path;
	const struct operand *rhs;
	struct entry *partial; /* resolved when the partial is added, so rendering never hashes */
};

struct tpl {
	char *src; /* copy of the source; text and keys point into it */
	struct node *nodes;
	size_t n;
	struct arena *arena; /* paths, operands, decoded literals */
};

/* A name; t is NULL while the name is only known from a {{> partial}} reference. */
struct entry {
	char *name;
	size_t namelen;
	struct tpl *t;
};

struct tpl_set {
	struct entry **ents; /* insertion order, for deterministic error reports */
	size_t n, cap;
	size_t *slots; /* open addressing: index into ents + 1, 0 for empty */
	size_t nslots;
};

/* ---- the set ---- */

static size_t name_hash(const char *s, size_t n)
{
	return (size_t)hash_fnv1a(s, n);
}

static struct entry *set_find(const struct tpl_set *s, const char *name, size_t n)
{
	if (!s->nslots)
		return NULL;
	size_t mask = s->nslots - 1;
	for (size_t i = name_hash(name, n) & mask;; i = (i + 1) & mask) {
		size_t k = s->slots[i];
		if (!k)
			return NULL;
		struct entry *e = s->ents[k - 1];
		if (e->namelen == n && memcmp(e->name, name, n) == 0)
			return e;
	}
}

static void set_slot(struct tpl_set *s, size_t idx)
{
	struct entry *e = s->ents[idx];
	size_t mask = s->nslots - 1;
	size_t i = name_hash(e->name, e->namelen) & mask;
	while (s->slots[i])
		i = (i + 1) & mask;
	s->slots[i] = idx + 1;
}

static struct entry *set_intern(struct tpl_set *s, const char *name, size_t n)
{
	struct entry *e = set_find(s, name, n);
	if (e)
		return e;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->ents = xrealloc(s->ents, s->cap * sizeof *s->ents);
	}
	e = xcalloc(1, sizeof *e);
	e->name = xstrndup(name, n);
	e->namelen = n;
	s->ents[s->n++] = e;
	/* Keep the table at most half full. */
	if (s->n * 2 > s->nslots) {
		free(s->slots);
		s->nslots = s->nslots ? s->nslots * 2 : 32;
		s->slots = xcalloc(s->nslots, sizeof *s->slots);
		for (size_t i = 0; i < s->n; i++)
			set_slot(s, i);
	} else {
		set_slot(s, s->n - 1);
	}
	return e;
}

static void tpl_free(struct tpl *t)
{
	if (!t)
		return;
	free(t->src);
	free(t->nodes);
	arena_free(t->arena);
	free(t);
}

struct tpl_set *tpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tpl_set));
}

void tpl_set_free(struct tpl_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		tpl_free(s->ents[i]->t);
		free(s->ents[i]->name);
		free(s->ents[i]);
	}
	free(s->ents);
	free(s->slots);
	free(s);
}

/* ---- compiler ---- */

struct open_block {
	uint32_t node, line;
	bool has_else;
};

struct comp {
	struct tpl_set *set;
	const char *name;
	const char *src; /* the template's own copy */
	size_t len;
	uint32_t line;
	struct tpl *t;
	size_t ncap;
	struct open_block *stack;
	size_t depth, scap;
	char *err;
	size_t errlen;
};

static int cerr(struct comp *c, uint32_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int cerr(struct comp *c, uint32_t line, const char *fmt, ...)
{
	if (c->err && c->errlen) {
		int n = snprintf(c->err, c->errlen, "%s:%u: ", c->name, (unsigned)line);
		if (n >= 0 && (size_t)n < c->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return Q_EINVAL;
}

static struct node *add_node(struct comp *c, enum op op, uint32_t line)
{
	if (c->t->n == c->ncap) {
		c->ncap = c->ncap ? c->ncap * 2 : 64;
		c->t->nodes = xrealloc(c->t->nodes, c->ncap * sizeof *c->t->nodes);
	}
	struct node *n = &c->t->nodes[c->t->n++];
	memset(n, 0, sizeof *n);
	n->op = (uint8_t)op;
	n->line = line;
	return n;
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static bool is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* The inside of one tag, consumed left to right. */
struct lex {
	const char *p, *e;
};

static void lx_ws(struct lex *l)
{
	while (l->p < l->e && is_ws(*l->p))
		l->p++;
}

/* A word runs to whitespace or '|'. */
static size_t lx_word(struct lex *l, const char **w)
{
	lx_ws(l);
	*w = l->p;
	while (l->p < l->e && !is_ws(*l->p) && *l->p != '|')
		l->p++;
	return (size_t)(l->p - *w);
}

/* Fails with "unexpected ..." unless only whitespace is left. */
static int lx_done(struct comp *c, uint32_t line, struct lex *l)
{
	lx_ws(l);
	if (l->p == l->e)
		return 0;
	int n = (int)(l->e - l->p);
	return cerr(c, line, "unexpected '%.*s%s'", n > 30 ? 30 : n, l->p, n > 30 ? "..." : "");
}

static int parse_path(struct comp *c, uint32_t line, const char *w, size_t n, const struct path **out)
{
	int shown = n > 40 ? 40 : (int)n;
	if (n == 0)
		return cerr(c, line, "empty path");
	struct path *p = arena_calloc(c->t->arena, 1, sizeof *p);
	*out = p;
	if (n == 1 && w[0] == '.') {
		p->kind = P_DOT;
		return 0;
	}
	if (w[0] == '@') {
		static const struct { const char *s; enum pkind k; } vars[] = {
			{"@index", P_INDEX}, {"@number", P_NUMBER}, {"@first", P_FIRST}, {"@last", P_LAST},
		};
		for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
			if (strlen(vars[i].s) == n && memcmp(vars[i].s, w, n) == 0) {
				p->kind = vars[i].k;
				return 0;
			}
		return cerr(c, line, "unknown variable '%.*s'", shown, w);
	}
	/* A leading digit is refused so {{#eq n 3}} fails loudly instead of looking up key "3". */
	if (w[0] >= '0' && w[0] <= '9')
		return cerr(c, line, "bad path '%.*s' (quote literals: \"...\")", shown, w);
	size_t nseg = 1;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '.') {
			if (i == 0 || i + 1 == n || w[i + 1] == '.')
				return cerr(c, line, "bad path '%.*s'", shown, w);
			nseg++;
		} else if (!is_name_char(w[i])) {
			return cerr(c, line, "bad character in path '%.*s'", shown, w);
		}
	}
	p->kind = P_KEYS;
	p->nseg = nseg;
	p->seg = arena_alloc(c->t->arena, nseg * sizeof *p->seg);
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && w[i] != '.')
			continue;
		struct seg *s = &p->seg[k++];
		s->key = w + start;
		s->len = i - start;
		s->idx = -1;
		atomic_init(&s->hint, 0);
		if (s->len <= 9) {
			long long v = 0;
			size_t j;
			for (j = 0; j < s->len && s->key[j] >= '0' && s->key[j] <= '9'; j++)
				v = v * 10 + (s->key[j] - '0');
			if (j == s->len)
				s->idx = v;
		}
		start = i + 1;
	}
	return 0;
}

/* A double-quoted literal with \" and \\ escapes; l->p is on the opening quote. */
static int parse_literal(struct comp *c, uint32_t line, struct lex *l, struct operand *o)
{
	const char *b = l->p + 1, *q;
	bool escaped = false;
	for (q = b; q < l->e && *q != '"'; q++) {
		if (*q == '\n')
			return cerr(c, line, "bad string literal: newline inside");
		if (*q == '\\') {
			if (q + 1 >= l->e || (q[1] != '"' && q[1] != '\\'))
				return cerr(c, line, "bad string literal: only \\\" and \\\\ escapes are allowed");
			q++;
			escaped = true;
		}
	}
	if (q >= l->e)
		return cerr(c, line, "bad string literal: missing closing quote");
	if (q + 1 < l->e && !is_ws(q[1]))
		return cerr(c, line, "bad string literal: junk after closing quote");
	if (!escaped) {
		o->lit = b;
		o->litlen = (size_t)(q - b);
	} else {
		char *d = arena_alloc(c->t->arena, (size_t)(q - b) + 1);
		size_t k = 0;
		for (const char *r = b; r < q; r++) {
			if (*r == '\\')
				r++;
			d[k++] = *r;
		}
		d[k] = '\0';
		o->lit = d;
		o->litlen = k;
	}
	l->p = q + 1;
	return 0;
}

static int tag_block_open(struct comp *c, uint32_t line, struct lex *l)
{
	lx_ws(l);
	const char *kw = l->p;
	while (l->p < l->e && !is_ws(*l->p))
		l->p++;
	size_t kwlen = (size_t)(l->p - kw);
	enum op op = OP_TEXT;
	for (int i = OP_IF; i <= OP_EACH; i++)
		if (strlen(block_kw[i]) == kwlen && memcmp(block_kw[i], kw, kwlen) == 0)
			op = (enum op)i;
	if (op == OP_TEXT)
		return cerr(c, line, "unknown block keyword '#%.*s'", kwlen > 30 ? 30 : (int)kwlen, kw);
	const char *w;
	size_t wn = lx_word(l, &w);
	const struct path *p;
	int rc = parse_path(c, line, w, wn, &p);
	if (rc)
		return rc;
	struct operand *rhs = NULL;
	if (op == OP_EQ || op == OP_NEQ) {
		rhs = arena_calloc(c->t->arena, 1, sizeof *rhs);
		lx_ws(l);
		if (l->p == l->e)
			return cerr(c, line, "{{#%s}} needs a path and a \"literal\" or second path", block_kw[op]);
		if (*l->p == '"') {
			rc = parse_literal(c, line, l, rhs);
		} else {
			wn = lx_word(l, &w);
			rc = parse_path(c, line, w, wn, &rhs->path);
		}
		if (rc)
			return rc;
	}
	if ((rc = lx_done(c, line, l)))
		return rc;
	if (c->depth == c->scap) {
		c->scap = c->scap ? c->scap * 2 : 16;
		c->stack = xrealloc(c->stack, c->scap * sizeof *c->stack);
	}
	c->stack[c->depth++] = (struct open_block){(uint32_t)c->t->n, line, false};
	struct node *n = add_node(c, op, line);
	n->path = p;
	n->rhs = rhs;
	return 0;
}

static int tag_block_close(struct comp *c, uint32_t line, struct lex *l)
{
	lx_ws(l);
	const char *kw = l->p;
	while (l->p < l->e && !is_ws(*l->p))
		l->p++;
	int kwlen = (int)(l->p - kw) > 30 ? 30 : (int)(l->p - kw);
	int rc = lx_done(c, line, l);
	if (rc)
		return rc;
	if (!c->depth)
		return cerr(c, line, "{{/%.*s}} without an open block", kwlen, kw);
	struct open_block *ob = &c->stack[c->depth - 1];
	struct node *open = &c->t->nodes[ob->node];
	const char *want = block_kw[open->op];
	if (strlen(want) != (size_t)kwlen || memcmp(want, kw, (size_t)kwlen) != 0)
		return cerr(c, line, "{{/%.*s}} does not match {{#%s}} opened on line %u", kwlen, kw, want,
			    (unsigned)ob->line);
	uint32_t close = (uint32_t)c->t->n;
	add_node(c, OP_END, line);
	open = &c->t->nodes[ob->node];
	if (ob->has_else)
		c->t->nodes[open->mid].end = close;
	else
		open->mid = close;
	open->end = close;
	c->depth--;
	return 0;
}

static int tag_else(struct comp *c, uint32_t line)
{
	if (!c->depth)
		return cerr(c, line, "{{else}} outside a block");
	struct open_block *ob = &c->stack[c->depth - 1];
	if (ob->has_else)
		return cerr(c, line, "second {{else}} in {{#%s}} opened on line %u",
			    block_kw[c->t->nodes[ob->node].op], (unsigned)ob->line);
	ob->has_else = true;
	uint32_t idx = (uint32_t)c->t->n;
	add_node(c, OP_ELSE, line);
	c->t->nodes[ob->node].mid = idx;
	return 0;
}

static int tag_partial(struct comp *c, uint32_t line, struct lex *l)
{
	lx_ws(l);
	const char *w = l->p;
	while (l->p < l->e && !is_ws(*l->p))
		l->p++;
	size_t n = (size_t)(l->p - w);
	if (!n)
		return cerr(c, line, "empty partial name");
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(w[i]) && w[i] != '/' && w[i] != '.')
			return cerr(c, line, "bad partial name '%.*s'", n > 40 ? 40 : (int)n, w);
	int rc = lx_done(c, line, l);
	if (rc)
		return rc;
	add_node(c, OP_PARTIAL, line)->partial = set_intern(c->set, w, n);
	return 0;
}

static int tag_value(struct comp *c, uint32_t line, struct lex *l, bool raw)
{
	const char *w;
	size_t wn = lx_word(l, &w);
	const struct path *p;
	int rc = parse_path(c, line, w, wn, &p);
	if (rc)
		return rc;
	enum filter f = F_HTML;
	lx_ws(l);
	if (l->p < l->e && *l->p == '|') {
		if (raw)
			return cerr(c, line, "RAW takes no filter");
		l->p++;
		const char *fw;
		size_t fn = lx_word(l, &fw);
		static const struct { const char *s; enum filter f; } filters[] = {
			{"html", F_HTML}, {"url", F_URL}, {"json", F_JSON}, {"num", F_NUM},
		};
		size_t i;
		for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
			if (strlen(filters[i].s) == fn && memcmp(filters[i].s, fw, fn) == 0)
				break;
		if (i == sizeof filters / sizeof filters[0])
			return cerr(c, line, "unknown filter '%.*s'", fn > 30 ? 30 : (int)fn, fw);
		f = filters[i].f;
	}
	if ((rc = lx_done(c, line, l)))
		return rc;
	struct node *n = add_node(c, raw ? OP_RAW : OP_VAL, line);
	n->path = p;
	n->filter = (uint8_t)f;
	return 0;
}

/* Finds the "}}" closing a tag whose content starts at from, skipping string literals
 * so a "}}" inside quotes does not end the tag. */
static int tag_end(struct comp *c, uint32_t line, size_t from, size_t *end)
{
	const char *s = c->src;
	size_t n = c->len, j = from;
	while (j < n && is_ws(s[j]))
		j++;
	bool comment = j < n && s[j] == '!';
	while (j + 1 < n) {
		if (s[j] == '"' && !comment) {
			for (j++; j < n && s[j] != '"' && s[j] != '\n'; j++)
				if (s[j] == '\\' && j + 1 < n && s[j + 1] != '\n')
					j++;
			if (j >= n || s[j] == '\n')
				return cerr(c, line, "bad string literal: missing closing quote");
			j++;
			continue;
		}
		if (s[j] == '}' && s[j + 1] == '}') {
			*end = j;
			return 0;
		}
		j++;
	}
	return cerr(c, line, "unclosed {{");
}

static uint32_t count_lines(const char *s, size_t n)
{
	uint32_t k = 0;
	const char *e = s + n;
	while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		k++;
		s++;
	}
	return k;
}

static int compile(struct comp *c)
{
	const char *s = c->src;
	size_t pos = 0;
	int rc;
	while (pos < c->len) {
		const char *open = memmem(s + pos, c->len - pos, "{{", 2);
		size_t tpos = open ? (size_t)(open - s) : c->len;
		if (tpos > pos) {
			struct node *n = add_node(c, OP_TEXT, c->line);
			n->text = s + pos;
			n->len = tpos - pos;
			c->line += count_lines(s + pos, tpos - pos);
		}
		if (!open)
			break;
		uint32_t line = c->line;
		size_t end = 0;
		if ((rc = tag_end(c, line, tpos + 2, &end)))
			return rc;
		struct lex l = {s + tpos + 2, s + end};
		lx_ws(&l);
		while (l.e > l.p && is_ws(l.e[-1]))
			l.e--;
		size_t cn = (size_t)(l.e - l.p);
		if (cn && *l.p == '!') {
			rc = 0;
		} else if (cn && *l.p == '#') {
			l.p++;
			rc = tag_block_open(c, line, &l);
		} else if (cn && *l.p == '/') {
			l.p++;
			rc = tag_block_close(c, line, &l);
		} else if (cn && *l.p == '>') {
			l.p++;
			rc = tag_partial(c, line, &l);
		} else if (cn == 4 && memcmp(l.p, "else", 4) == 0) {
			rc = tag_else(c, line);
		} else if (cn >= 3 && memcmp(l.p, "RAW", 3) == 0 && (cn == 3 || is_ws(l.p[3]))) {
			l.p += 3;
			rc = tag_value(c, line, &l, true);
		} else {
			rc = tag_value(c, line, &l, false);
		}
		if (rc)
			return rc;
		c->line += count_lines(s + tpos, end + 2 - tpos);
		pos = end + 2;
	}
	if (c->depth) {
		struct open_block *ob = &c->stack[c->depth - 1];
		return cerr(c, ob->line, "{{#%s}} is never closed", block_kw[c->t->nodes[ob->node].op]);
	}
	return 0;
}

int tpl_set_add(struct tpl_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!s || !name || !*name || (!src && len)) {
		if (err && errlen)
			snprintf(err, errlen, "%s:0: bad arguments", name ? name : "(null)");
		return Q_EINVAL;
	}
	if (len > UINT32_MAX / 2) {
		if (err && errlen)
			snprintf(err, errlen, "%s:0: template too large", name);
		return Q_EINVAL;
	}
	struct tpl *t = xcalloc(1, sizeof *t);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->arena = arena_new();
	struct comp c = {
		.set = s, .name = name, .src = t->src, .len = len, .line = 1, .t = t,
		.err = err, .errlen = errlen,
	};
	int rc = compile(&c);
	free(c.stack);
	if (rc) {
		tpl_free(t);
		return rc;
	}
	if (t->n)
		t->nodes = xrealloc(t->nodes, t->n * sizeof *t->nodes);
	struct entry *e = set_intern(s, name, strlen(name));
	tpl_free(e->t);
	e->t = t;
	return 0;
}

int tpl_set_check(const struct tpl_set *s, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct tpl *t = s->ents[i]->t;
		if (!t)
			continue;
		for (size_t k = 0; k < t->n; k++) {
			const struct node *n = &t->nodes[k];
			if (n->op == OP_PARTIAL && !n->partial->t) {
				if (err && errlen)
					snprintf(err, errlen, "%s:%u: unknown partial '%s'", s->ents[i]->name,
						 (unsigned)n->line, n->partial->name);
				return Q_EINVAL;
			}
		}
	}
	return 0;
}

int tpl_set_load_embedded(struct tpl_set *s, char *err, size_t errlen)
{
	static const char pre[] = "templates/", ext[] = ".html";
	const size_t pl = sizeof pre - 1, el = sizeof ext - 1;
	for (const struct asset *a = assets_table; a->path; a++) {
		size_t n = strlen(a->path);
		if (n <= pl + el || memcmp(a->path, pre, pl) != 0 || memcmp(a->path + n - el, ext, el) != 0)
			continue;
		char name[512];
		if (n - pl - el >= sizeof name)
			continue;
		memcpy(name, a->path + pl, n - pl - el);
		name[n - pl - el] = '\0';
		int rc = tpl_set_add(s, name, a->data, a->len, err, errlen);
		if (rc)
			return rc;
	}
	return tpl_set_check(s, err, errlen);
}

/* ---- chunked output ---- */

#define OUT_BLOCK_MIN 4096         /* first copy block; later ones double up to OUT_BLOCK_MAX */
#define OUT_BLOCK_MAX (64 * 1024)
#define OUT_REF_MIN 256            /* shorter strings are copied: an iovec entry costs more than they do */

void tpl_out_init(struct tpl_out *o, struct arena *a)
{
	memset(o, 0, sizeof *o);
	o->arena = a;
}

static void out_piece(struct tpl_out *o, const char *p, size_t n)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct tpl_piece *v = arena_alloc(o->arena, cap * sizeof *v);
		if (o->n)
			memcpy(v, o->v, o->n * sizeof *v);
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = (struct tpl_piece){p, n};
}

void tpl_out_text(struct tpl_out *o, const char *p, size_t n)
{
	if (!n)
		return;
	o->len += n;
	if (o->open && o->size - o->used >= n) {
		memcpy(o->blk + o->used, p, n);
		o->used += n;
		o->v[o->n - 1].n += n;
		return;
	}
	if (o->size - o->used < n) {
		size_t sz = o->size ? o->size * 2 : OUT_BLOCK_MIN;
		if (sz > OUT_BLOCK_MAX)
			sz = OUT_BLOCK_MAX;
		if (sz < n)
			sz = n;
		o->blk = arena_alloc(o->arena, sz);
		o->size = sz;
		o->used = 0;
	}
	memcpy(o->blk + o->used, p, n);
	out_piece(o, o->blk + o->used, n);
	o->used += n;
	o->open = true;
}

void tpl_out_ref(struct tpl_out *o, const char *p, size_t n)
{
	if (n < OUT_REF_MIN) {
		tpl_out_text(o, p, n);
		return;
	}
	out_piece(o, p, n);
	o->len += n;
	o->open = false;
}

void tpl_out_slot(struct tpl_out *o)
{
	out_piece(o, NULL, 0);
	o->slots++;
	o->open = false;
}

void tpl_out_splice(struct tpl_out *o, const struct tpl_out *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct tpl_piece *p = &src->v[i];
		if (p->p)
			tpl_out_ref(o, p->p, p->n);
		else
			tpl_out_slot(o);
	}
}

void tpl_out_flatten(const struct tpl_out *o, struct buf *b)
{
	buf_grow(b, o->len);
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].p)
			buf_append(b, o->v[i].p, o->v[i].n);
}

/* ---- references: big strings the view model points at instead of holding ---- */

enum ref_kind { REF_PTR, REF_OUT, REF_SLOT };

struct ref_item {
	const json_t *marker; /* the JSON string standing for this reference (identity, not content) */
	enum ref_kind kind;
	const char *p;        /* REF_PTR */
	size_t n;
	const struct tpl_out *o; /* REF_OUT */
};

struct tpl_refs {
	struct arena *arena;
	struct ref_item *v;
	size_t n, cap;
};

/* A marker is "\0R" and eight hex digits: no template value starts with NUL, and a lookup also
 * checks that the json_t is the very one made here, so data cannot forge a reference. */
#define MARK_LEN 10

struct tpl_refs *tpl_refs_new(struct arena *a)
{
	struct tpl_refs *r = arena_calloc(a, 1, sizeof *r);
	r->arena = a;
	return r;
}

static json_t *add_ref(struct tpl_refs *r, struct ref_item it)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct ref_item *v = arena_alloc(r->arena, cap * sizeof *v);
		if (r->n)
			memcpy(v, r->v, r->n * sizeof *v);
		r->v = v;
		r->cap = cap;
	}
	char mark[MARK_LEN + 1];
	snprintf(mark, sizeof mark, "%cR%08zx", '\0', r->n);
	json_t *j = json_stringn_nocheck(mark, MARK_LEN);
	it.marker = j;
	r->v[r->n++] = it;
	return j;
}

json_t *tpl_ref(struct tpl_refs *r, const char *p, size_t n)
{
	return add_ref(r, (struct ref_item){.kind = REF_PTR, .p = p ? p : "", .n = p ? n : 0});
}

json_t *tpl_ref_str(struct tpl_refs *r, const char *s)
{
	return tpl_ref(r, s, s ? strlen(s) : 0);
}

json_t *tpl_ref_out(struct tpl_refs *r, const struct tpl_out *o)
{
	return add_ref(r, (struct ref_item){.kind = REF_OUT, .o = o, .n = o->len});
}

json_t *tpl_ref_slot(struct tpl_refs *r)
{
	return add_ref(r, (struct ref_item){.kind = REF_SLOT});
}

static const struct ref_item *find_ref(const struct tpl_refs *r, const json_t *j, const char *s, size_t n)
{
	if (!r || n != MARK_LEN || s[0] != '\0' || s[1] != 'R')
		return NULL;
	size_t idx = 0;
	for (size_t i = 2; i < MARK_LEN; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return NULL;
		idx = idx * 16 + (size_t)d;
	}
	return idx < r->n && r->v[idx].marker == j ? &r->v[idx] : NULL;
}

/* ---- renderer ---- */

enum vkind { V_MISSING, V_NULL, V_BOOL, V_INT, V_REAL, V_STR, V_ARR, V_OBJ };

/* A looked-up value; loop variables have no json_t, so nothing is allocated per lookup. */
struct val {
	enum vkind k;
	const json_t *j; /* NULL for loop variables and missing values */
	long long i;     /* V_INT, and V_BOOL as 0/1 */
	double d;
	const char *s;   /* NULL for references to outputs and slots (V_STR with no text of its own) */
	size_t n;        /* V_STR length; V_OBJ of C values: their count */
	bool isref;      /* a string used by reference: ref says what it is */
	struct ref_item ref;
	const struct tpl_var *var; /* V_OBJ made of C values */
};

/* A scope: a JSON value, or C values (item NULL). */
struct scope {
	const json_t *item;
	const struct tpl_var *vars;
	size_t nvars;
	uint64_t initials; /* vars' names' first bytes (mod 64) as bits: most names looked up here are not */
	size_t idx, count;
};

static struct scope vars_scope(const struct tpl_var *vars, size_t n)
{
	struct scope sc = {.vars = vars, .nvars = n};
	for (size_t i = 0; i < n; i++)
		sc.initials |= UINT64_C(1) << ((unsigned char)vars[i].name[0] & 63);
	return sc;
}

struct rctx {
	struct tpl_out *out;
	const struct tpl_refs *refs;
	struct buf scratch; /* URL and JSON escapes on their way to out */
	size_t start;
	struct scope sc[TPL_MAX_SCOPES + 3]; /* [outer,] data, [vars,] then {{#each}} items */
	unsigned nsc, base, partials;        /* base: scopes below the first {{#each}} */
	unsigned long steps;
	int rc;
	bool stop;
};

static struct val val_of(const struct rctx *r, const json_t *j)
{
	struct val v = {.k = V_MISSING, .j = j};
	if (!j)
		return v;
	switch (json_typeof(j)) {
	case JSON_OBJECT: v.k = V_OBJ; break;
	case JSON_ARRAY: v.k = V_ARR; break;
	case JSON_STRING:
		v.k = V_STR;
		v.s = json_string_value(j);
		v.n = json_string_length(j);
		const struct ref_item *ref = find_ref(r->refs, j, v.s, v.n);
		if (ref) {
			v.isref = true;
			v.ref = *ref;
			v.s = ref->kind == REF_PTR ? ref->p : NULL;
			v.n = ref->kind == REF_SLOT ? 1 : ref->n; /* a slot is truthy: something goes there */
		}
		break;
	case JSON_INTEGER: v.k = V_INT; v.i = json_integer_value(j); break;
	case JSON_REAL: v.k = V_REAL; v.d = json_real_value(j); break;
	case JSON_TRUE: v.k = V_BOOL; v.i = 1; break;
	case JSON_FALSE: v.k = V_BOOL; v.i = 0; break;
	default: v.k = V_NULL; break;
	}
	return v;
}

static struct val val_of_var(const struct tpl_var *t)
{
	struct val v = {.k = V_MISSING};
	switch (t->kind) {
	case TPL_STR:
		v.k = V_STR;
		v.s = t->s ? t->s : "";
		v.n = t->s ? t->n : 0;
		v.isref = true;
		v.ref = (struct ref_item){.kind = REF_PTR, .p = v.s, .n = v.n};
		break;
	case TPL_OUT:
		v.k = V_STR;
		v.n = t->out->len;
		v.isref = true;
		v.ref = (struct ref_item){.kind = REF_OUT, .o = t->out, .n = t->out->len};
		break;
	case TPL_INT: v.k = V_INT; v.i = t->i; break;
	case TPL_BOOL: v.k = V_BOOL; v.i = t->i != 0; break;
	case TPL_VARS: v.k = V_OBJ; v.var = t; v.n = t->n; break;
	}
	return v;
}

/* First letters first: a page looks names up hundreds of times, mostly missing in inner scopes. */
static bool same_name(const char *name, const struct seg *s)
{
	return name[0] == s->key[0] && strncmp(name, s->key, s->len) == 0 && name[s->len] == '\0';
}

static const struct tpl_var *find_var(const struct tpl_var *v, size_t n, const struct seg *s)
{
	unsigned guess = atomic_load_explicit(&s->hint, memory_order_relaxed);
	if (guess < n && same_name(v[guess].name, s))
		return &v[guess];
	for (size_t i = 0; i < n; i++)
		if (same_name(v[i].name, s)) {
			atomic_store_explicit((atomic_uint *)&s->hint, (unsigned)i, memory_order_relaxed);
			return &v[i];
		}
	return NULL;
}

static struct val resolve(const struct rctx *r, const struct path *p)
{
	const struct scope *top = &r->sc[r->nsc - 1];
	struct val v = {.k = V_MISSING};
	switch (p->kind) {
	case P_DOT:
		return val_of(r, top->item);
	case P_INDEX:
	case P_NUMBER:
		if (r->nsc > r->base) {
			v.k = V_INT;
			v.i = (long long)top->idx + (p->kind == P_NUMBER);
		}
		return v;
	case P_FIRST:
	case P_LAST:
		if (r->nsc > r->base) {
			v.k = V_BOOL;
			v.i = p->kind == P_FIRST ? top->idx == 0 : top->idx + 1 == top->count;
		}
		return v;
	case P_KEYS:
		break;
	}
	const json_t *j = NULL;
	const struct tpl_var *var = NULL;
	for (unsigned i = r->nsc; i-- > 0;) {
		const struct scope *sc = &r->sc[i];
		if (sc->vars) {
			if (!(sc->initials >> ((unsigned char)p->seg[0].key[0] & 63) & 1))
				continue;
			if ((var = find_var(sc->vars, sc->nvars, &p->seg[0])) != NULL)
				break;
		} else if (json_is_object(sc->item) && (j = json_object_getn(sc->item, p->seg[0].key, p->seg[0].len)) != NULL) {
			break;
		}
	}
	for (size_t k = 1; var && k < p->nseg; k++)
		var = var->kind == TPL_VARS ? find_var(var->vars, var->n, &p->seg[k]) : NULL;
	if (var)
		return val_of_var(var);
	for (size_t k = 1; j && k < p->nseg; k++) {
		const struct seg *s = &p->seg[k];
		if (json_is_object(j))
			j = json_object_getn(j, s->key, s->len);
		else if (json_is_array(j) && s->idx >= 0)
			j = json_array_get(j, (size_t)s->idx);
		else
			j = NULL;
	}
	return val_of(r, j);
}

static bool truthy(const struct val *v)
{
	switch (v->k) {
	case V_BOOL:
	case V_INT: return v->i != 0;
	case V_REAL: return v->d != 0.0;
	case V_STR: return v->n > 0;
	case V_ARR: return json_array_size(v->j) > 0;
	case V_OBJ: return v->j ? json_object_size(v->j) > 0 : v->n > 0;
	default: return false;
	}
}

/* Decimal digits, with a comma every three when sep is set; LLONG_MIN included. */
static size_t fmt_int(char *tmp, size_t cap, long long v, bool sep)
{
	char *e = tmp + cap, *p = e;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	int digits = 0;
	do {
		if (sep && digits && digits % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + u % 10);
		u /= 10;
		digits++;
	} while (u);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(e - p);
	memmove(tmp, p, n);
	return n;
}

/* The text of a scalar as {{ }} prints it and {{#eq}} compares it; false when it has none. */
static bool val_text(const struct val *v, char *tmp, size_t cap, const char **s, size_t *n)
{
	switch (v->k) {
	case V_STR:
		if (!v->s)
			return false;
		*s = v->s;
		*n = v->n;
		return true;
	case V_INT: *s = tmp; *n = fmt_int(tmp, cap, v->i, false); return true;
	case V_REAL: {
		int k = snprintf(tmp, cap, "%g", v->d);
		*s = tmp;
		*n = k > 0 ? (size_t)k : 0;
		return true;
	}
	case V_BOOL:
		*s = v->i ? "true" : "false";
		*n = v->i ? 4 : 5;
		return true;
	default: return false;
	}
}

/* Makes JSON from jansson safe inside <script>: these characters only occur inside
 * JSON strings, where \u escapes mean the same thing. Jansson hands over whole code
 * points, so U+2028/U+2029 are never split across calls. */
static int json_sink(const char *s, size_t n, void *data)
{
	struct buf *b = data;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		size_t skip = 1;
		switch (s[i]) {
		case '<': rep = "\\u003c"; break;
		case '>': rep = "\\u003e"; break;
		case '&': rep = "\\u0026"; break;
		case '\'': rep = "\\u0027"; break;
		case '\xe2':
			if (i + 2 < n && s[i + 1] == '\x80' && (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')) {
				rep = s[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
				skip = 3;
				break;
			}
			continue;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_append(b, rep, 6);
		i += skip - 1;
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
	return 0;
}

/* The bytes out_esc_html looks at: & < > " ' are escaped; control characters (C0 but tab, line feed and
 * carriage return, and DEL) are dropped, and so are the non-characters U+FFFE, U+FFFF and U+FDD0-U+FDEF
 * (lead byte 0xEF), none of which XML allows: a feed or EPUB stays well-formed whatever a row holds. The
 * scan between them is a table lookup per byte. */
static const bool html_special[256] = {
	['&'] = true, ['<'] = true, ['>'] = true, ['"'] = true, ['\''] = true,
	[0x01] = true, [0x02] = true, [0x03] = true, [0x04] = true, [0x05] = true, [0x06] = true, [0x07] = true,
	[0x08] = true, [0x0B] = true, [0x0C] = true, [0x0E] = true, [0x0F] = true, [0x10] = true, [0x11] = true,
	[0x12] = true, [0x13] = true, [0x14] = true, [0x15] = true, [0x16] = true, [0x17] = true, [0x18] = true,
	[0x19] = true, [0x1A] = true, [0x1B] = true, [0x1C] = true, [0x1D] = true, [0x1E] = true, [0x1F] = true,
	[0x7F] = true, [0xEF] = true,
};

static void out_esc_html(struct tpl_out *o, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!html_special[(unsigned char)s[i]])
			continue;
		const char *rep = "";
		size_t rn = 0, skip = 1;
		switch (s[i]) {
		case '&': rep = "&amp;", rn = 5; break;
		case '<': rep = "&lt;", rn = 4; break;
		case '>': rep = "&gt;", rn = 4; break;
		case '"': rep = "&quot;", rn = 6; break;
		case '\'': rep = "&#39;", rn = 5; break;
		case '\xEF':
			skip = esc_noncharacter(s + i, n - i);
			if (!skip)
				continue;
			break;
		default: break; /* a control character: dropped */
		}
		tpl_out_text(o, s + start, i - start);
		tpl_out_text(o, rep, rn);
		i += skip - 1;
		start = i + 1;
	}
	tpl_out_text(o, s + start, n - start);
}

/* The text of a reference to a rendered output, for the rare template that escapes one. */
static void ref_text(const struct val *v, struct buf *b)
{
	if (v->isref && v->ref.kind == REF_OUT)
		tpl_out_flatten(v->ref.o, b);
}

static void emit_json(struct rctx *r, const struct val *v)
{
	char tmp[32];
	const char *s;
	size_t n;
	struct buf *sc = &r->scratch;
	buf_reset(sc);
	switch (v->k) {
	case V_MISSING:
	case V_NULL: buf_append(sc, "null", 4); break;
	case V_STR:
		if (v->s) {
			esc_json(sc, v->s, v->n);
		} else {
			struct buf t = BUF_INIT;
			ref_text(v, &t);
			esc_json(sc, t.data ? t.data : "", t.len);
			buf_free(&t);
		}
		break;
	case V_INT:
	case V_BOOL:
		val_text(v, tmp, sizeof tmp, &s, &n);
		buf_append(sc, s, n);
		break;
	default:
		if (v->j)
			json_dump_callback(v->j, json_sink, sc, JSON_COMPACT | JSON_ENCODE_ANY);
		else
			buf_append(sc, "null", 4); /* C values have no JSON form */
		break;
	}
	tpl_out_text(r->out, sc->data, sc->len);
}

/* A reference: by reference when raw, escaped (a copy) otherwise. */
static void emit_ref(struct rctx *r, const struct val *v, enum filter f, bool raw)
{
	const struct ref_item *ref = &v->ref;
	if (raw) {
		if (ref->kind == REF_PTR)
			tpl_out_ref(r->out, ref->p, ref->n);
		else if (ref->kind == REF_OUT)
			tpl_out_splice(r->out, ref->o);
		else
			tpl_out_slot(r->out);
		return;
	}
	if (ref->kind == REF_SLOT)
		return;
	struct buf t = BUF_INIT;
	const char *s = ref->p;
	size_t n = ref->n;
	if (ref->kind == REF_OUT) {
		ref_text(v, &t);
		s = t.data ? t.data : "";
		n = t.len;
	}
	if (f == F_URL) {
		buf_reset(&r->scratch);
		esc_url(&r->scratch, s, n);
		tpl_out_text(r->out, r->scratch.data, r->scratch.len);
	} else {
		out_esc_html(r->out, s, n);
	}
	buf_free(&t);
}

static void emit(struct rctx *r, const struct val *v, enum filter f, bool raw)
{
	char tmp[40];
	const char *s;
	size_t n;
	if (f == F_JSON) {
		emit_json(r, v);
		return;
	}
	if (v->k == V_BOOL && !v->i)
		return; /* false prints nothing, like null */
	if (v->isref) {
		emit_ref(r, v, f, raw);
		return;
	}
	if (f == F_NUM && (v->k == V_INT || (v->k == V_REAL && v->d == (double)(long long)v->d &&
					     v->d > -9.2e18 && v->d < 9.2e18))) {
		n = fmt_int(tmp, sizeof tmp, v->k == V_INT ? v->i : (long long)v->d, true);
		tpl_out_text(r->out, tmp, n);
		return;
	}
	if (!val_text(v, tmp, sizeof tmp, &s, &n))
		return;
	if (v->k != V_STR || raw) {
		tpl_out_text(r->out, s, n); /* digits, '-', '.', 'e', '+', "true", "inf": nothing to escape */
	} else if (f == F_URL) {
		buf_reset(&r->scratch);
		esc_url(&r->scratch, s, n);
		tpl_out_text(r->out, r->scratch.data, r->scratch.len);
	} else {
		out_esc_html(r->out, s, n);
	}
}

static bool vals_equal(const struct val *a, const struct val *b)
{
	if ((a->k == V_INT || a->k == V_REAL) && (b->k == V_INT || b->k == V_REAL)) {
		if (a->k == V_INT && b->k == V_INT)
			return a->i == b->i;
		double x = a->k == V_INT ? (double)a->i : a->d, y = b->k == V_INT ? (double)b->i : b->d;
		return x == y;
	}
	if (a->k != b->k)
		return false;
	switch (a->k) {
	case V_STR: return a->s && b->s && a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
	case V_BOOL: return a->i == b->i;
	case V_ARR:
	case V_OBJ: return json_equal(a->j, b->j);
	default: return false; /* missing and null equal nothing, not even each other */
	}
}

static bool eval_eq(const struct rctx *r, const struct node *n)
{
	struct val a = resolve(r, n->path);
	if (n->rhs->path) {
		struct val b = resolve(r, n->rhs->path);
		return vals_equal(&a, &b);
	}
	char tmp[40];
	const char *s;
	size_t len;
	if (!val_text(&a, tmp, sizeof tmp, &s, &len))
		return false;
	return len == n->rhs->litlen && memcmp(s, n->rhs->lit, len) == 0;
}

static void fail(struct rctx *r, int rc, const char *why)
{
	tpl_out_text(r->out, "<!-- template error: ", 21);
	tpl_out_text(r->out, why, strlen(why));
	tpl_out_text(r->out, " -->", 4);
	r->rc = rc;
	r->stop = true;
}

/* Counts work so runaway loops and recursion stop; false once over a limit. */
static bool tick(struct rctx *r)
{
	if (r->stop)
		return false;
	if (++r->steps > TPL_MAX_STEPS || r->out->len - r->start > TPL_MAX_OUTPUT) {
		fail(r, Q_ETOOBIG, "output too large");
		return false;
	}
	return true;
}

/* Executes nodes [i, end). Recursion happens only for {{#each}} bodies and partials,
 * both capped, so the C stack stays small whatever the template. */
static void run(struct rctx *r, const struct tpl *t, size_t i, size_t end)
{
	while (i < end && tick(r)) {
		const struct node *n = &t->nodes[i];
		struct val v;
		switch ((enum op)n->op) {
		case OP_TEXT:
			tpl_out_text(r->out, n->text, n->len);
			i++;
			break;
		case OP_VAL:
		case OP_RAW:
			v = resolve(r, n->path);
			emit(r, &v, (enum filter)n->filter, n->op == OP_RAW);
			i++;
			break;
		case OP_IF:
		case OP_UNLESS:
			v = resolve(r, n->path);
			i = truthy(&v) == (n->op == OP_IF) ? i + 1 : (size_t)n->mid + 1;
			break;
		case OP_EQ:
		case OP_NEQ:
			i = eval_eq(r, n) == (n->op == OP_EQ) ? i + 1 : (size_t)n->mid + 1;
			break;
		case OP_ELSE:
			i = (size_t)n->end + 1;
			break;
		case OP_END:
			i++;
			break;
		case OP_EACH: {
			v = resolve(r, n->path);
			size_t count = v.k == V_ARR ? json_array_size(v.j) : 0;
			if (!count) {
				i = (size_t)n->mid + 1;
				break;
			}
			if (r->nsc - r->base >= TPL_MAX_SCOPES) {
				fail(r, Q_ETOOBIG, "{{#each}} nested too deeply");
				return;
			}
			struct scope *sc = &r->sc[r->nsc++];
			sc->count = count;
			for (size_t k = 0; k < count && tick(r); k++) {
				sc->item = json_array_get(v.j, k);
				sc->vars = NULL;
				sc->idx = k;
				run(r, t, i + 1, n->mid);
			}
			r->nsc--;
			i = (size_t)n->end + 1;
			break;
		}
		case OP_PARTIAL: {
			const struct tpl *p = n->partial->t;
			if (!p) {
				if (!r->rc)
					r->rc = Q_ENOTFOUND;
			} else if (r->partials >= TPL_MAX_PARTIALS) {
				fail(r, Q_ETOOBIG, "partials nested too deeply");
				return;
			} else {
				r->partials++;
				run(r, p, 0, p->n);
				r->partials--;
			}
			i++;
			break;
		}
		}
	}
}

int tpl_render_data(const struct tpl_set *s, const char *name, const struct tpl_data *d,
                    const struct tpl_refs *refs, struct tpl_out *out)
{
	const struct entry *e = s && name ? set_find(s, name, strlen(name)) : NULL;
	if (!e || !e->t)
		return Q_ENOTFOUND;
	struct rctx r;
	r.out = out;
	r.refs = refs;
	buf_init(&r.scratch);
	r.start = out->len;
	r.nsc = 0;
	if (d->outer)
		r.sc[r.nsc++] = vars_scope(d->outer, d->nouter);
	r.sc[r.nsc++] = (struct scope){.item = d->json};
	if (d->vars)
		r.sc[r.nsc++] = vars_scope(d->vars, d->nvars);
	r.base = r.nsc;
	r.partials = 0;
	r.steps = 0;
	r.rc = 0;
	r.stop = false;
	run(&r, e->t, 0, e->t->n);
	buf_free(&r.scratch);
	return r.rc;
}

int tpl_render_out(const struct tpl_set *s, const char *name, const json_t *data, const struct tpl_refs *refs,
                   struct tpl_out *out)
{
	struct tpl_data d = {.json = data};
	return tpl_render_data(s, name, &d, refs, out);
}

int tpl_render(const struct tpl_set *s, const char *name, const json_t *data, struct buf *out)
{
	struct arena *a = arena_new();
	struct tpl_out o;
	tpl_out_init(&o, a);
	int rc = tpl_render_out(s, name, data, NULL, &o);
	if (rc != Q_ENOTFOUND || o.len)
		tpl_out_flatten(&o, out);
	arena_free(a);
	return rc;
}
