/* The matching: Hopcroft-Karp over the compatibility bit matrix, mutual pairs broken by alternating paths,
 * and a König vertex cover that proves the matching maximum. */
#include "match/match_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

#define INF INT32_MAX
#define MUTUAL_PASSES 8

struct state {
	struct match_graph *g;
	int32_t *ml;      /* giver position -> recipient position, -1 */
	int32_t *mr;      /* recipient position -> giver position, -1 */
	int32_t *dist;    /* BFS layer of each giver */
	int32_t *queue;   /* givers */
	int32_t *stack;   /* the DFS path, givers */
	size_t *next;     /* per giver: the next recipient the DFS tries */
	uint64_t *free_r; /* recipients nobody writes for yet */
	uint64_t *unseen; /* recipients an alternating search has not reached */
	int32_t *parent;  /* recipient -> the giver that reached it */
	int32_t *log;     /* givers changed by an alternating path, with their old recipients (undo) */
};

static void match_pair(struct state *s, int32_t giver, int32_t recipient)
{
	s->ml[giver] = recipient;
	s->mr[recipient] = giver;
	s->free_r[recipient >> 6] &= ~(1ULL << (recipient & 63));
}

/* A first matching: each giver in shuffled order takes the first free recipient they can write for. */
static void greedy(struct state *s)
{
	struct match_graph *g = s->g;
	for (size_t i = 0; i < g->n; i++) {
		size_t r = match_next_bit(match_row(g, i), s->free_r, 0, g->n, g->words);
		g->steps += g->words;
		if (r < g->n)
			match_pair(s, (int32_t)i, (int32_t)r);
	}
}

/* Layers givers by alternating distance from the free ones; true when a free recipient is reachable. */
static bool bfs(struct state *s)
{
	struct match_graph *g = s->g;
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (s->ml[i] < 0) {
			s->dist[i] = 0;
			s->queue[tail++] = (int32_t)i;
		} else
			s->dist[i] = INF;
	}
	int32_t limit = INF;
	while (head < tail) {
		int32_t u = s->queue[head++];
		if (s->dist[u] >= limit)
			continue;
		const uint64_t *row = match_row(g, (size_t)u);
		g->steps += g->words;
		for (size_t r = match_next_bit(row, NULL, 0, g->n, g->words); r < g->n;
		     r = match_next_bit(row, NULL, r + 1, g->n, g->words)) {
			g->steps++;
			int32_t v = s->mr[r];
			if (v < 0) {
				if (limit == INF)
					limit = s->dist[u];
			} else if (s->dist[v] == INF) {
				s->dist[v] = s->dist[u] + 1;
				s->queue[tail++] = v;
			}
		}
	}
	return limit != INF;
}

/* An augmenting path from free giver u along the layers (iterative: paths can be n long). */
static bool dfs(struct state *s, int32_t u)
{
	struct match_graph *g = s->g;
	int depth = 0;
	s->stack[0] = u;
	while (depth >= 0) {
		int32_t x = s->stack[depth];
		size_t r = match_next_bit(match_row(g, (size_t)x), NULL, s->next[x], g->n, g->words);
		g->steps++;
		if (r >= g->n) {
			s->dist[x] = INF; /* a dead end for the rest of this phase */
			depth--;
			continue;
		}
		s->next[x] = r + 1;
		int32_t v = s->mr[r];
		if (v < 0) {
			for (int k = depth; k >= 0; k--) {
				int32_t xk = s->stack[k];
				match_pair(s, xk, (int32_t)(s->next[xk] - 1));
			}
			return true;
		}
		if (s->dist[v] == s->dist[x] + 1)
			s->stack[++depth] = v;
	}
	return false;
}

static int hopcroft_karp(struct state *s)
{
	struct match_graph *g = s->g;
	greedy(s);
	while (bfs(s)) {
		memset(s->next, 0, g->n * sizeof *s->next);
		for (size_t i = 0; i < g->n; i++)
			if (s->ml[i] < 0)
				dfs(s, (int32_t)i);
		if (g->steps > g->budget)
			return Q_ETOOBIG;
	}
	return 0;
}

static size_t count_mutual(const struct state *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->g->n; i++) {
		int32_t r = s->ml[i];
		if (r > (int32_t)i && s->ml[r] == (int32_t)i)
			k++;
	}
	return k;
}

/* Undo log of an alternating path: each changed giver with the recipient it had. */
static void log_change(struct state *s, size_t *nlog, int32_t giver, int32_t recipient)
{
	s->log[(*nlog)++] = giver;
	s->log[(*nlog)++] = s->ml[giver];
	if (s->ml[giver] >= 0 && s->mr[s->ml[giver]] == giver)
		s->mr[s->ml[giver]] = -1;
	s->ml[giver] = recipient;
	if (recipient >= 0)
		s->mr[recipient] = giver;
}

static void undo(struct state *s, size_t nlog)
{
	for (size_t i = 0; i < nlog; i += 2)
		if (s->ml[s->log[i]] >= 0)
			s->mr[s->ml[s->log[i]]] = -1;
	for (size_t i = nlog; i > 0; i -= 2) {
		int32_t g = s->log[i - 2], old = s->log[i - 1];
		s->ml[g] = old;
		if (old >= 0)
			s->mr[old] = g;
	}
}

/* In a search from giver x: the recipient giver r will have once the path through u is applied (r changes only
 * when it is one of u's ancestors on the path). */
static int32_t final_recipient_forward(const struct state *s, int32_t x, int32_t u, int32_t r)
{
	for (int32_t a = u; a != x;) {
		int32_t q = s->ml[a], above = s->parent[q]; /* a was reached through its recipient q, from above */
		if (above == r)
			return q;
		a = above;
	}
	return s->ml[r];
}

/* x writes for y: another recipient for x, by an alternating path from x that ends at a free recipient. */
static bool path_from_giver(struct state *s, int32_t x, int32_t y, bool prune, size_t *nlog)
{
	struct match_graph *g = s->g;
	memset(s->unseen, 0xff, g->words * sizeof *s->unseen);
	size_t head = 0, tail = 0;
	s->queue[tail++] = x;
	int32_t found = -1;
	while (head < tail && found < 0) {
		int32_t u = s->queue[head++];
		const uint64_t *row = match_row(g, (size_t)u);
		g->steps += g->words;
		for (size_t r = match_next_bit(row, s->unseen, 0, g->n, g->words); r < g->n;
		     r = match_next_bit(row, s->unseen, r + 1, g->n, g->words)) {
			g->steps++;
			if ((u == x && (int32_t)r == y) || (prune && s->ml[r] == u && final_recipient_forward(s, x, u, (int32_t)r) == u))
				continue; /* the pair being broken, or a new one */
			s->unseen[r >> 6] &= ~(1ULL << (r & 63));
			s->parent[r] = u;
			if (s->mr[r] < 0) {
				found = (int32_t)r;
				break;
			}
			s->queue[tail++] = s->mr[r];
		}
	}
	if (found < 0)
		return false;
	for (int32_t r = found;;) {
		int32_t u = s->parent[r], old = s->ml[u];
		log_change(s, nlog, u, r);
		if (u == x)
			return true;
		r = old;
	}
}

/* In a search back from recipient y: the recipient v will write for once the path is applied (v changes only
 * when it is a giver on the path above it). */
static int32_t final_recipient_backward(const struct state *s, int32_t y, int32_t v)
{
	for (int32_t q = v; q != y;) {
		int32_t giver = s->mr[q]; /* q was reached because its giver moves to parent[giver] */
		if (giver == v)
			return s->parent[giver];
		q = s->parent[giver];
	}
	return s->ml[v];
}

/* x writes for y: another giver for y, by an alternating path back from y that ends at a free giver (columns of
 * the matrix: the transposed rows). */
static bool path_to_recipient(struct state *s, const uint64_t *cols, int32_t x, int32_t y, bool prune,
                              size_t *nlog)
{
	struct match_graph *g = s->g;
	memset(s->unseen, 0xff, g->words * sizeof *s->unseen);
	size_t head = 0, tail = 0;
	s->queue[tail++] = y;
	int32_t found = -1;
	while (head < tail && found < 0) {
		int32_t v = s->queue[head++];
		const uint64_t *col = cols + (size_t)v * g->words;
		g->steps += g->words;
		for (size_t u = match_next_bit(col, s->unseen, 0, g->n, g->words); u < g->n;
		     u = match_next_bit(col, s->unseen, u + 1, g->n, g->words)) {
			g->steps++;
			if (((int32_t)u == x && v == y) || (prune && s->ml[v] == (int32_t)u && final_recipient_backward(s, y, v) == (int32_t)u))
				continue;
			s->unseen[u >> 6] &= ~(1ULL << (u & 63));
			s->parent[u] = v;
			if (s->ml[u] < 0 || (int32_t)u == x) {
				found = (int32_t)u;
				break;
			}
			s->queue[tail++] = s->ml[u];
		}
	}
	if (found < 0)
		return false;
	for (int32_t u = found;;) {
		int32_t v = s->parent[u], prev = v == y ? -1 : s->mr[v];
		log_change(s, nlog, u, v);
		if (prev < 0)
			return true;
		u = prev;
	}
}

/* x and y write for each other: tries a path from x, then one back to y (each first avoiding edges that look
 * mutual, then not), keeping the first that leaves fewer mutual pairs; failing that, while *sideways lasts, one
 * that leaves as many but moves the pair elsewhere, where a later try may break it. The number of assignments
 * never changes: each path ends where the broken pair freed room. */
static bool break_mutual(struct state *s, const uint64_t *cols, int32_t x, size_t *mutual, size_t *sideways)
{
	int32_t y = s->ml[x];
	for (int round = 0; round < 2; round++) {
		if (round == 1 && *sideways == 0)
			break;
		for (int way = 0; way < 4; way++) {
			size_t nlog = 0;
			log_change(s, &nlog, x, -1);
			bool prune = way < 2; /* first without edges that look mutual now; then with them, as a path's
			                       * later steps may move the other side */
			bool found = way % 2 == 0 ? path_from_giver(s, x, y, prune, &nlog)
			                          : path_to_recipient(s, cols, x, y, prune, &nlog);
			if (found) {
				size_t after = count_mutual(s);
				s->g->steps += s->g->n;
				if (after < *mutual || (round == 1 && after == *mutual)) {
					*sideways -= after == *mutual;
					*mutual = after;
					return true;
				}
			}
			undo(s, nlog);
		}
	}
	return false;
}

static void avoid_mutual(struct state *s)
{
	struct match_graph *g = s->g;
	size_t mutual = count_mutual(s);
	if (!mutual)
		return;
	const uint64_t *cols = g->cols;
	size_t sideways = g->n;
	for (int pass = 0; pass < MUTUAL_PASSES && mutual > 0 && g->steps <= g->budget; pass++) {
		bool improved = false;
		for (size_t i = 0; i < g->n && mutual > 0 && g->steps <= g->budget; i++) {
			int32_t r = s->ml[i];
			if (r <= (int32_t)i || s->ml[r] != (int32_t)i)
				continue;
			if (break_mutual(s, cols, (int32_t)i, &mutual, &sideways) ||
			    break_mutual(s, cols, r, &mutual, &sideways))
				improved = true;
		}
		if (!improved)
			break;
	}
}

/* König: givers reachable from a free giver by alternating paths (Z); the cover is the givers outside Z and the
 * recipients inside it. Returns its size. */
static size_t cover(struct state *s, uint8_t *cover_giver, uint8_t *cover_recipient)
{
	struct match_graph *g = s->g;
	memset(s->unseen, 0xff, g->words * sizeof *s->unseen);
	uint8_t *reached = xcalloc(g->n + 1, 1);
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < g->n; i++)
		if (s->ml[i] < 0) {
			reached[i] = 1;
			s->queue[tail++] = (int32_t)i;
		}
	while (head < tail) {
		int32_t u = s->queue[head++];
		const uint64_t *row = match_row(g, (size_t)u);
		for (size_t r = match_next_bit(row, s->unseen, 0, g->n, g->words); r < g->n;
		     r = match_next_bit(row, s->unseen, r + 1, g->n, g->words)) {
			s->unseen[r >> 6] &= ~(1ULL << (r & 63));
			int32_t v = s->mr[r];
			if (v >= 0 && !reached[v]) {
				reached[v] = 1;
				s->queue[tail++] = v;
			}
		}
	}
	size_t size = 0;
	for (size_t i = 0; i < g->n; i++) {
		bool cg = !reached[i], cr = !match_bit(s->unseen, i);
		size += cg + cr;
		if (cover_giver)
			cover_giver[g->order[i]] = cg;
		if (cover_recipient)
			cover_recipient[g->order[i]] = cr;
	}
	free(reached);
	return size;
}

int match_run(const struct match_signup *signups, size_t n, const struct match_rules *rules, uint64_t seed,
              struct match_result *out)
{
	struct match_graph g;
	int rc = match_graph_build(&g, signups, n, rules, seed);
	if (rc) {
		out->steps = g.steps;
		return rc;
	}
	size_t m = n ? n : 1;
	struct state s = {
		.g = &g,
		.ml = xmalloc(m * sizeof(int32_t)),
		.mr = xmalloc(m * sizeof(int32_t)),
		.dist = xmalloc(m * sizeof(int32_t)),
		.queue = xmalloc(m * sizeof(int32_t)),
		.stack = xmalloc(m * sizeof(int32_t)),
		.next = xmalloc(m * sizeof(size_t)),
		.free_r = xcalloc(g.words + 1, sizeof(uint64_t)),
		.unseen = xcalloc(g.words + 1, sizeof(uint64_t)),
		.parent = xmalloc(m * sizeof(int32_t)),
		.log = xmalloc(4 * m * sizeof(int32_t)),
	};
	for (size_t i = 0; i < n; i++) {
		s.ml[i] = s.mr[i] = -1;
		s.free_r[i >> 6] |= 1ULL << (i & 63);
	}
	rc = hopcroft_karp(&s);
	if (!rc) {
		avoid_mutual(&s);
		out->matched = 0;
		for (size_t i = 0; i < n; i++) {
			int32_t orig = g.order[i];
			if (out->recipient)
				out->recipient[orig] = s.ml[i] < 0 ? -1 : g.order[s.ml[i]];
			if (out->giver)
				out->giver[orig] = s.mr[i] < 0 ? -1 : g.order[s.mr[i]];
			out->matched += s.ml[i] >= 0;
		}
		out->mutual = count_mutual(&s);
		out->cover = cover(&s, out->cover_giver, out->cover_recipient);
		if (out->potential_givers) {
			memset(out->potential_givers, 0, n * sizeof *out->potential_givers);
			for (size_t i = 0; i < n; i++) {
				const uint64_t *row = match_row(&g, i);
				for (size_t w = 0; w < g.words; w++)
					for (uint64_t bits = row[w]; bits; bits &= bits - 1)
						out->potential_givers[g.order[(w << 6) + (size_t)__builtin_ctzll(bits)]]++;
			}
		}
	}
	out->steps = g.steps;
	free(s.ml);
	free(s.mr);
	free(s.dist);
	free(s.queue);
	free(s.stack);
	free(s.next);
	free(s.free_r);
	free(s.unseen);
	free(s.parent);
	free(s.log);
	match_graph_free(&g);
	return rc;
}
