/* Scores the writer's check on the annotated texts of bench/writing (format in bench/writing/README.md):
 * recall and precision overall and per kind, false alarms and trap hits, beside two baselines on the same
 * texts (Hunspell alone; the previous check: Hunspell less the names, plus doubled words); then the time
 * of one whole check of a 10,000-word chapter and of a 100,000-word work, and the memory it used.
 * Usage: writing_score [--details] [--dict DIR] [--min-precision P --min-recall R] DIR...  */
#include "core/arena.h"
#include "writing/check.h"
#include "writing/check_int.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MARKS 512

struct mark {
	size_t start, end;
	int kind;          /* writing_kind for mistakes; -1 for traps */
	const char *fix, *label;
	bool hit;
};

struct doc {
	char path[1100];
	char *text, *names, *lang;
	struct mark marks[MAX_MARKS];
	size_t nmarks;
	size_t words;
};

struct tally {
	size_t mistakes[WRITING_KINDS], hits[WRITING_KINDS];
	size_t sugg[WRITING_KINDS], sugg_ok[WRITING_KINDS];
	size_t suggestions, true_pos, false_alarms, trap_hits, traps;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = 0;
	fclose(f);
	return s;
}

static void die(const char *what, const char *where)
{
	fprintf(stderr, "writing_score: %s: %s\n", where, what);
	exit(2);
}

/* Header lines, then text with [[wrong|fix|kind]] and {{text|label}} taken out into marks. */
static void parse(struct doc *d, const char *path)
{
	snprintf(d->path, sizeof d->path, "%s", path);
	char *src = slurp(path);
	if (!src)
		die("cannot read", path);
	d->names = strdup("");
	d->lang = strdup("en");
	char *p = src;
	while (!strncmp(p, "# ", 2)) {
		char *eol = strchr(p, '\n');
		if (!eol)
			break;
		*eol = 0;
		if (!strncmp(p, "# names:", 8))
			d->names = strdup(p + 8);
		else if (!strncmp(p, "# language:", 11)) {
			char *l = p + 11;
			while (*l == ' ')
				l++;
			d->lang = strdup(l);
		}
		p = eol + 1;
	}
	size_t len = strlen(p);
	d->text = malloc(len + 1);
	size_t o = 0;
	while (*p) {
		bool mistake = !strncmp(p, "[[", 2), trap = !strncmp(p, "{{", 2);
		if (!mistake && !trap) {
			d->text[o++] = *p++;
			continue;
		}
		const char *close = strstr(p, mistake ? "]]" : "}}");
		if (!close || d->nmarks >= MAX_MARKS)
			die("unclosed mark (or too many)", path);
		char *body = strndup(p + 2, (size_t)(close - p - 2));
		char *f1 = strchr(body, '|');
		if (!f1)
			die(body, path);
		*f1++ = 0;
		struct mark *m = &d->marks[d->nmarks++];
		m->start = o;
		memcpy(d->text + o, body, strlen(body));
		o += strlen(body);
		m->end = o;
		if (mistake) {
			char *f2 = strchr(f1, '|');
			if (!f2)
				die(body, path);
			*f2++ = 0;
			m->fix = f1;
			m->kind = writing_kind_from_name(f2);
			if (m->kind < 0)
				die(f2, path);
		} else {
			m->kind = -1;
			m->label = f1;
		}
		p = (char *)close + 2;
	}
	d->text[o] = 0;
	free(src);
}

static bool overlap(size_t a0, size_t a1, size_t b0, size_t b1)
{
	if (a1 <= a0)
		a1 = a0 + 1;
	if (b1 <= b0)
		b1 = b0 + 1;
	return a0 < b1 && b0 < a1;
}

/* Scores suggestions [start, end) of kinds against d's marks into t; prints misses and false alarms when
 * details (development texts only). */
static void score(struct doc *d, const size_t *starts, const size_t *ends, const int *kinds, size_t n,
                  struct tally *t, bool details, const char *who)
{
	for (size_t m = 0; m < d->nmarks; m++)
		d->marks[m].hit = false;
	for (size_t i = 0; i < n; i++) {
		bool ok = false, trap = false;
		for (size_t m = 0; m < d->nmarks; m++) {
			if (!overlap(starts[i], ends[i], d->marks[m].start, d->marks[m].end))
				continue;
			if (d->marks[m].kind >= 0) {
				d->marks[m].hit = ok = true;
			} else {
				trap = true;
			}
		}
		t->suggestions++;
		if (kinds[i] >= 0) {
			t->sugg[kinds[i]]++;
			t->sugg_ok[kinds[i]] += ok;
		}
		if (ok)
			t->true_pos++;
		else {
			t->false_alarms++;
			t->trap_hits += trap;
			if (details)
				fprintf(stderr, "  %s false alarm %s: \"%.*s\" (%s) in %s: ...%.*s...\n", who, trap ? "(TRAP)" : "",
				        (int)(ends[i] - starts[i]), d->text + starts[i], kinds[i] >= 0 ? writing_kind_name(kinds[i]) : "?",
				        d->path, (int)(ends[i] - (starts[i] > 40 ? starts[i] - 40 : 0) + 30),
				        d->text + (starts[i] > 40 ? starts[i] - 40 : 0));
		}
	}
	for (size_t m = 0; m < d->nmarks; m++) {
		if (d->marks[m].kind < 0) {
			t->traps++;
			continue;
		}
		t->mistakes[d->marks[m].kind]++;
		t->hits[d->marks[m].kind] += d->marks[m].hit;
		if (details && !d->marks[m].hit)
			fprintf(stderr, "  %s missed %s: \"%.*s\" -> \"%s\" in %s\n", who, writing_kind_name(d->marks[m].kind),
			        (int)(d->marks[m].end - d->marks[m].start), d->text + d->marks[m].start, d->marks[m].fix, d->path);
	}
}

/* The baselines: every word en_US does not know (names taken out for the previous check), each occurrence,
 * plus doubled words for the previous check. */
static size_t baseline(struct speller *sp, struct arena *a, const struct doc *d, bool previous, size_t *starts,
                       size_t *ends, int *kinds, size_t max)
{
	struct dictionary *dict = speller_dictionary(sp, "en_US");
	struct text tx, names;
	text_tokenize(a, d->text, strlen(d->text), &tx);
	text_tokenize(a, d->names, strlen(d->names), &names);
	size_t n = 0;
	for (size_t i = 0; i < tx.n && n < max; i++) {
		const struct tok *t = &tx.t[i];
		bool name = false;
		for (size_t k = 0; previous && k < names.n && !name; k++)
			name = !strcmp(names.t[k].low, t->low);
		char *w = strndup(d->text + t->start, t->end - t->start);
		for (char *q = w; *q; q++) /* Hunspell knows ' not ’ */
			;
		bool known = t->len < 2 || name || (dict && dictionary_knows(dict, w)) || (dict && dictionary_knows(dict, t->low));
		free(w);
		if (!known) {
			starts[n] = t->start;
			ends[n] = t->end;
			kinds[n++] = WRITING_SPELLING;
		}
		if (previous && i > 0 && text_gap_plain(&tx, i) && !strcmp(tx.t[i - 1].low, t->low) && n < max &&
		    strcmp(t->low, "had") && strcmp(t->low, "that")) {
			starts[n] = tx.t[i - 1].start;
			ends[n] = t->end;
			kinds[n++] = WRITING_DOUBLED;
		}
	}
	return n;
}

static double pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

static size_t sum(const size_t *v)
{
	size_t s = 0;
	for (int k = 0; k < WRITING_KINDS; k++)
		s += v[k];
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median milliseconds of rounds whole checks of text; *mem the arena bytes one used. */
static double time_check(struct speller *sp, const char *text, const char *names, int rounds, size_t *mem,
                         size_t *found, double *cpu_ms)
{
	double t[16], u[16];
	for (int r = 0; r < rounds && r < 16; r++) {
		struct arena *a = arena_new();
		struct writing_request req = {.lang = "en", .text = text, .names = names};
		struct writing_result res;
		double t0 = now(), c0 = cpu_now();
		writing_check(sp, a, &req, &res);
		t[r] = (now() - t0) * 1000.0;
		u[r] = (cpu_now() - c0) * 1000.0;
		*mem = arena_used(a);
		*found = res.total;
		arena_free(a);
	}
	qsort(t, (size_t)rounds, sizeof t[0], cmp_double);
	qsort(u, (size_t)rounds, sizeof u[0], cmp_double);
	*cpu_ms = u[rounds / 2];
	return t[rounds / 2];
}

int main(int argc, char **argv)
{
	const char *dictdir = "/usr/share/hunspell";
	bool details = false;
	double min_p = 0, min_r = 0;
	int first = 1;
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "--details"))
			details = true;
		else if (!strcmp(argv[first], "--dict") && first + 1 < argc)
			dictdir = argv[++first];
		else if (!strcmp(argv[first], "--min-precision") && first + 1 < argc)
			min_p = atof(argv[++first]);
		else if (!strcmp(argv[first], "--min-recall") && first + 1 < argc)
			min_r = atof(argv[++first]);
		else
			die("unknown option", argv[first]);
	}
	struct speller *sp = speller_new(dictdir);
	int status = 0;
	char *all = calloc(1, 1);
	size_t all_len = 0, all_words = 0;
	for (int s = first; s < argc; s++) {
		DIR *dp = opendir(argv[s]);
		if (!dp)
			die("cannot open", argv[s]);
		char *files[256];
		size_t nf = 0;
		struct dirent *e;
		while ((e = readdir(dp)) && nf < 256) {
			size_t k = strlen(e->d_name);
			if (k > 4 && !strcmp(e->d_name + k - 4, ".txt"))
				files[nf++] = strdup(e->d_name);
		}
		closedir(dp);
		qsort(files, nf, sizeof *files, by_name);
		struct tally tc = {0}, th = {0}, tp = {0};
		size_t words = 0;
		for (size_t f = 0; f < nf; f++) {
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", argv[s], files[f]);
			struct doc *d = calloc(1, sizeof *d);
			parse(d, path);
			struct arena *a = arena_new();
			struct writing_request req = {.lang = d->lang, .text = d->text, .names = d->names};
			struct writing_result res;
			writing_check(sp, a, &req, &res);
			words += res.words;
			size_t *st = arena_calloc(a, res.n + 4096, sizeof *st), *en = arena_calloc(a, res.n + 4096, sizeof *en);
			int *kd = arena_calloc(a, res.n + 4096, sizeof *kd);
			for (size_t i = 0; i < res.n; i++) {
				st[i] = res.items[i].start;
				en[i] = res.items[i].end;
				kd[i] = (int)res.items[i].kind;
				if (details)
					fprintf(stderr, "  checker %s \"%s\" -> \"%s\"\n", writing_kind_name(res.items[i].kind),
					        res.items[i].found, res.items[i].replacement ? res.items[i].replacement : "");
			}
			score(d, st, en, kd, res.n, &tc, details, "checker");
			size_t nb = baseline(sp, a, d, false, st, en, kd, 4096);
			score(d, st, en, kd, nb, &th, false, "hunspell");
			nb = baseline(sp, a, d, true, st, en, kd, 4096);
			score(d, st, en, kd, nb, &tp, false, "previous");
			size_t tl = strlen(d->text);
			all = realloc(all, all_len + tl + 2);
			memcpy(all + all_len, d->text, tl);
			all_len += tl;
			all[all_len++] = '\n';
			all[all_len] = 0;
			all_words += res.words;
			arena_free(a);
			free(d->text);
			free(d);
			free(files[f]);
		}
		size_t mistakes = sum(tc.mistakes);
		printf("\n== %s: %zu chapters, %zu words, %zu planted mistakes, %zu traps\n", argv[s], nf, words, mistakes,
		       tc.traps);
		printf("%-12s %8s | %-22s | %-15s | %-15s\n", "kind", "mistakes", "checker recall (prec.)", "hunspell recall",
		       "previous recall");
		for (int k = 0; k < WRITING_KINDS; k++)
			printf("%-12s %8zu | %5.1f%% %3zu/%-3zu (%5.1f%%) | %5.1f%% %3zu/%-3zu | %5.1f%% %3zu/%-3zu\n",
			       writing_kind_name(k), tc.mistakes[k], pct(tc.hits[k], tc.mistakes[k]), tc.hits[k], tc.mistakes[k],
			       pct(tc.sugg_ok[k], tc.sugg[k]), pct(th.hits[k], th.mistakes[k]), th.hits[k], th.mistakes[k],
			       pct(tp.hits[k], tp.mistakes[k]), tp.hits[k], tp.mistakes[k]);
		double rc = pct(sum(tc.hits), mistakes), pc = pct(tc.true_pos, tc.suggestions);
		printf("%-12s %8zu | recall %5.1f%%, precision %5.1f%% (%zu suggestions, %zu false alarms, %zu on traps)\n",
		       "checker", mistakes, rc, pc, tc.suggestions, tc.false_alarms, tc.trap_hits);
		printf("%-12s %8zu | recall %5.1f%%, precision %5.1f%% (%zu suggestions, %zu false alarms, %zu on traps)\n",
		       "hunspell", mistakes, pct(sum(th.hits), mistakes), pct(th.true_pos, th.suggestions), th.suggestions,
		       th.false_alarms, th.trap_hits);
		printf("%-12s %8zu | recall %5.1f%%, precision %5.1f%% (%zu suggestions, %zu false alarms, %zu on traps)\n",
		       "previous", mistakes, pct(sum(tp.hits), mistakes), pct(tp.true_pos, tp.suggestions), tp.suggestions,
		       tp.false_alarms, tp.trap_hits);
		if ((min_p > 0 && pc < min_p) || (min_r > 0 && rc < min_r)) {
			printf("BELOW TARGET: precision %.1f%% (target %.0f%%), recall %.1f%% (target %.0f%%)\n", pc, min_p, rc, min_r);
			status = 1;
		}
	}
	/* Timing: the texts repeated into a 10,000-word chapter and a 100,000-word work. */
	if (all_words) {
		struct buf10 {
			char *s;
			size_t n;
		} b = {malloc(1), 0};
		size_t target[2] = {10000, 100000};
		for (int k = 0; k < 2; k++) {
			size_t reps = (target[k] + all_words - 1) / all_words;
			b.s = realloc(b.s, reps * all_len + 1);
			b.n = 0;
			for (size_t r = 0; r < reps; r++) {
				memcpy(b.s + b.n, all, all_len);
				b.n += all_len;
			}
			b.s[b.n] = 0;
			size_t mem = 0, found = 0;
			double cpu = 0, ms = time_check(sp, b.s, "Wren Ashby, Agnes Hale", k ? 3 : 9, &mem, &found, &cpu);
			printf("timing: one whole check of %zu words: %.1f ms (CPU %.1f ms; median of %d, in process), %.1f MB "
			       "of memory, %zu found\n", reps * all_words, ms, cpu, k ? 3 : 9, (double)mem / 1e6, found);
		}
		free(b.s);
	}
	free(all);
	speller_free(sp);
	return status;
}
