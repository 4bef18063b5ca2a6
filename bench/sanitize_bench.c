/* Sanitizer speed on a big chapter: story HTML (three shapes of it) through sanitize_html, against gumbo's own
 * parse of the same bytes measured in the same run (bench/README.md, "The sanitizer"). */
#include "core/buf.h"
#include "html/format.h"
#include "html/sanitize.h"
#include <gumbo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A fixed generator (xorshift), so every run sanitizes the same bytes. */
static uint64_t seed = 0x9E3779B97F4A7C15u;

static unsigned next(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static const char *const words[] = {
	"the", "door", "she", "said", "quietly", "and", "he", "looked", "away", "towards", "window", "rain",
	"was", "always", "temporary", "Olivia", "Elliot", "precinct", "night", "coffee", "case", "file", "never",
	"\xe2\x80\x9c" "Don\xe2\x80\x99t\xe2\x80\x9d", "because", "of", "it", "a", "little", "longer", "than", "usual",
};

/* One sentence of 6 to 20 words, now and then in <em> or <strong> when html is set. */
static void sentence(struct buf *b, int html)
{
	unsigned n = 6 + next(15), fmt = html ? next(8) : 7;
	for (unsigned i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		if (fmt == 0 && i == 2)
			buf_puts(b, "<em>");
		if (fmt == 1 && i == 1)
			buf_puts(b, "<strong>");
		buf_puts(b, words[next(sizeof words / sizeof *words)]);
		if (fmt == 0 && i == 4)
			buf_puts(b, "</em>");
		if (fmt == 1 && i == 3)
			buf_puts(b, "</strong>");
	}
	buf_puts(b, next(5) ? ". " : "? ");
}

enum shape { PLAIN_BLANK_LINES, AO3_P_HARD_WRAPPED, TEXT_FORMAT };

/* About target bytes of one chapter in the given shape. */
static void chapter(struct buf *b, enum shape s, size_t target)
{
	int para = 0;
	while (b->len < target) {
		if (++para % 40 == 0) {
			buf_puts(b, s == AO3_P_HARD_WRAPPED ? "<hr width=\"50%\" />\n" : s == TEXT_FORMAT ? "* * *\n\n" : "<hr>\n\n\n\n");
			continue;
		}
		struct buf p = BUF_INIT;
		unsigned n = 2 + next(6);
		for (unsigned i = 0; i < n; i++)
			sentence(&p, s != TEXT_FORMAT);
		if (s == AO3_P_HARD_WRAPPED) {
			/* Hard-wrapped at 72 columns inside <p>, as editors and AO3's own output write it. */
			buf_puts(b, "<p>");
			size_t col = 0;
			for (size_t i = 0; i < p.len; i++) {
				if (p.data[i] == ' ' && col > 72) {
					buf_putc(b, '\n');
					col = 0;
					continue;
				}
				buf_putc(b, p.data[i]);
				col++;
			}
			buf_puts(b, "</p>\n");
		} else {
			buf_append(b, p.data, p.len);
			buf_puts(b, "\n\n");
		}
		buf_free(&p);
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Best of rounds: seconds per run of sanitizing (which 0) or gumbo's plain parse (which 1). */
static double best(const struct buf *in, enum shape s, int which, int rounds)
{
	double best_s = 1e9;
	for (int r = 0; r < rounds; r++) {
		struct buf out = BUF_INIT;
		double t0 = now();
		if (which == 0) {
			int rc = s == TEXT_FORMAT ? format_render(FORMAT_TEXT, in->data, in->len, &out)
			                          : format_render(FORMAT_HTML, in->data, in->len, &out);
			if (rc != 0) {
				fprintf(stderr, "sanitize failed: %d\n", rc);
				exit(1);
			}
		} else {
			GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, in->data, in->len);
			gumbo_destroy_output(&kGumboDefaultOptions, g);
		}
		double t = now() - t0;
		if (t < best_s)
			best_s = t;
		buf_free(&out);
	}
	return best_s;
}

int main(int argc, char **argv)
{
	/* sanitize_bench [BYTES [ROUNDS [SHAPE]]]: SHAPE 0, 1 or 2 runs that shape only (for callgrind). */
	size_t size = argc > 1 ? (size_t)atol(argv[1]) : 2000000; /* a 510,000-character chapter is ~2 MB of UTF-8 at most */
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	int only = argc > 3 ? atoi(argv[3]) : -1;
	static const char *const names[] = {"plain text with blank lines (HTML format)",
	                                    "AO3-style <p>, hard-wrapped (HTML format)", "plain-text format"};
	for (int s = 0; s < 3; s++) {
		if (only >= 0 && s != only)
			continue;
		struct buf in = BUF_INIT;
		chapter(&in, (enum shape)s, size);
		double san = best(&in, (enum shape)s, 0, rounds), parse = best(&in, (enum shape)s, 1, rounds);
		printf("%-44s %7zu bytes: sanitize %6.1f ms (%5.1f MB/s), gumbo parse alone %6.1f ms, ratio %.2f\n",
		       names[s], in.len, san * 1e3, (double)in.len / san / 1e6, parse * 1e3, san / parse);
		buf_free(&in);
	}
	return 0;
}
