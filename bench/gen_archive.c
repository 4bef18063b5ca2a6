/* Benchmark archive generator: a synthetic archive (default 1,000,000 works over 10,000 fandoms with a long
 * tail of characters, relationships and additional tags, about 3 chapters per work of generated text)
 * written straight into the real schema, which the store creates first through its own migrations.
 *
 * Usage: gen_archive DB [--works N] [--fandoms N] [--long-chapters N] [--seed N] [--manifest FILE]
 * The manifest (key=value lines) names tags, an author and a phrase for bench/listing.sh to ask for. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/sqlite/int.h"
#include "store/store.h"
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- Deterministic randomness ------------------------------------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static double unit(void)
{
	return (double)(rnd() >> 11) / (double)(1ull << 53);
}

static int below(int n)
{
	return n > 0 ? (int)(rnd() % (uint64_t)n) : 0;
}

/* Zipf-like draws over [0, n): a power law (exponent s) by inverse transform of the continuous density. */
struct zipf {
	int n;
	double s, hn;
};

static struct zipf zipf_make(int n, double s)
{
	struct zipf z = {n, s, 0};
	z.hn = s == 1.0 ? log((double)n + 1.0) : (pow((double)n + 1.0, 1.0 - s) - 1.0) / (1.0 - s);
	return z;
}

static int zipf_draw(const struct zipf *z)
{
	double u = unit() * z->hn, x;
	if (z->s == 1.0)
		x = exp(u) - 1.0;
	else
		x = pow(u * (1.0 - z->s) + 1.0, 1.0 / (1.0 - z->s)) - 1.0;
	int k = (int)x;
	return k < 0 ? 0 : k >= z->n ? z->n - 1 : k;
}

/* ---- Names and text ------------------------------------------------------------------------------------ */

static const char *const syl[] = {
	"ka", "ri", "ven", "tor", "el", "mar", "lin", "dor", "sa", "the", "lo", "ran", "mi", "ber", "quin", "ta",
	"vel", "ash", "or", "en", "fa", "gil", "hal", "ise", "jo", "kel", "lu", "mo", "nor", "pel", "ros", "sil",
	"tam", "ul", "wen", "yor", "zan", "bri", "cor", "dra", "fen", "gar", "hol", "ivy", "jas", "lem", "nix",
};
#define NSYL (sizeof syl / sizeof syl[0])

static void word(char *out, size_t cap, int sylls, bool capital)
{
	out[0] = '\0';
	for (int i = 0; i < sylls; i++)
		strncat(out, syl[below(NSYL)], cap - strlen(out) - 1);
	if (capital && out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 32);
}

static const char *const fandom_kinds[] = {"Chronicles", "Saga", "(TV)", "- All Media Types", "(Comics)",
                                           "(Video Game)", "Academy", "(Anime)", "(Movies)", "Tales"};
static const char *const freeform_words[] = {
	"Angst", "Fluff", "Hurt/Comfort", "Slow Burn", "Found Family", "Alternate Universe", "Enemies to Lovers",
	"Friends to Lovers", "Fix-It", "Canon Divergence", "Happy Ending", "Grief/Mourning", "Pining", "Humor",
	"Drama", "Romance", "Mystery", "Adventure", "Post-Canon", "Pre-Canon", "Time Travel", "Road Trip",
	"Domestic", "Coffee Shops", "Magic", "Secret Identity", "Banter", "Rivals", "Sickfic", "Holidays",
};
#define NFREEWORDS (sizeof freeform_words / sizeof freeform_words[0])

/* The text vocabulary: function words, then invented words; drawn by a power law so a few words are
 * everywhere and most are rare, as in real prose. */
static const char *const common[] = {
	"the", "a", "of", "and", "to", "in", "was", "that", "her", "his", "it", "with", "as", "for", "on", "at",
	"by", "from", "had", "but", "not", "they", "she", "he", "would", "could", "light", "river", "winter",
	"letter", "garden", "window", "morning", "silence", "quiet", "hand", "voice", "door", "remember", "almost",
	"never", "always", "again", "under", "over", "between", "across", "toward", "beneath", "beyond", "rain",
	"story", "thread", "needle", "weather", "harbour", "lantern", "stranger", "promise", "answer", "question",
	"careful", "sudden", "gentle", "bright", "heavy", "distant", "familiar", "park", "street", "house", "night",
};
#define NCOMMON (sizeof common / sizeof common[0])
#define NVOCAB 20000
static char vocab[NVOCAB][24];
static struct zipf vocab_z;

static void vocab_init(void)
{
	for (size_t i = 0; i < NVOCAB; i++) {
		if (i < NCOMMON)
			snprintf(vocab[i], sizeof vocab[i], "%s", common[i]);
		else
			word(vocab[i], sizeof vocab[i], 2 + below(2), false);
	}
	vocab_z = zipf_make(NVOCAB, 1.05);
}

/* Appends n words of prose to b (sentences; paragraphs split by blank lines); "Hillcrest Park", a place
 * few stories mention, about once in 400,000 words. */
static void prose(struct buf *b, int n)
{
	int sentence = 0;
	for (int i = 0; i < n; i++) {
		const char *w = vocab[zipf_draw(&vocab_z)];
		if (rnd() % 400000 == 0) {
			buf_puts(b, sentence ? " Hillcrest Park" : "Hillcrest Park");
			sentence += 2;
			continue;
		}
		if (sentence)
			buf_putc(b, ' ');
		if (sentence == 0 && w[0] >= 'a' && w[0] <= 'z') {
			buf_putc(b, (char)(w[0] - 32));
			buf_puts(b, w + 1);
		} else {
			buf_puts(b, w);
		}
		sentence++;
		if (sentence >= 6 && rnd() % 9 == 0) {
			buf_putc(b, '.');
			sentence = 0;
			if (rnd() % 5 == 0)
				buf_puts(b, "\n\n");
		}
	}
	buf_putc(b, '.');
}

/* ---- Tags in memory -------------------------------------------------------------------------------- */

struct gtag {
	char *name;
	int type;
	int64_t merger;   /* synonym of (tag id) */
	int64_t parent;   /* fandom of a character/relationship */
	int64_t meta;     /* meta tag */
	const char *media;
	int64_t works, pub;
};

static struct gtag *tags;
static int64_t ntags, captags;

/* Tag names must be unique per type once folded; generated names can collide, so a set of the ASCII-folded
 * names (type prefixed) gives later ones a suffix. */
static char **seen;
static size_t nseen_cap, nseen;

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s)) * 1099511628211ull;
	return h;
}

static bool seen_add(const char *key)
{
	if ((nseen + 1) * 2 > nseen_cap) {
		size_t ncap = nseen_cap ? nseen_cap * 2 : 1 << 16;
		char **n = calloc(ncap, sizeof *n);
		for (size_t i = 0; i < nseen_cap; i++)
			if (seen[i])
				for (size_t j = hash(seen[i]) & (ncap - 1);; j = (j + 1) & (ncap - 1))
					if (!n[j]) {
						n[j] = seen[i];
						break;
					}
		free(seen);
		seen = n;
		nseen_cap = ncap;
	}
	for (size_t j = hash(key) & (nseen_cap - 1);; j = (j + 1) & (nseen_cap - 1)) {
		if (!seen[j]) {
			seen[j] = strdup(key);
			nseen++;
			return true;
		}
		if (!strcasecmp(seen[j], key))
			return false;
	}
}

static int64_t tag_add(int type, const char *base)
{
	char key[300], name[280];
	snprintf(name, sizeof name, "%s", base);
	for (int n = 2;; n++) {
		snprintf(key, sizeof key, "%d:%s", type, name);
		if (seen_add(key))
			break;
		snprintf(name, sizeof name, "%s %d", base, n);
	}
	if (ntags == captags) {
		captags = captags ? captags * 2 : 1024;
		tags = realloc(tags, (size_t)captags * sizeof *tags);
	}
	tags[ntags] = (struct gtag){.name = strdup(name), .type = type};
	return ++ntags; /* ids start at 1 */
}

struct gfandom {
	int64_t id;
	int64_t *chars, *rels;
	int nchars, nrels;
	struct zipf cz, rz;
};

/* ---- SQLite helpers ----------------------------------------------------------------------------------- */

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "gen_archive: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static void exec(const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "gen_archive: %s\n  in: %.300s\n", err ? err : "?", sql);
		exit(1);
	}
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		die(sql);
	return q;
}

static void run(sqlite3_stmt *q)
{
	if (sqlite3_step(q) != SQLITE_DONE)
		die(sqlite3_sql(q));
	sqlite3_reset(q);
}

/* The CREATE statements of the triggers and of the indexes on the big tables: dropped for the bulk load,
 * created again afterwards exactly as the migrations wrote them. */
static char **saved;
static int nsaved;

static void save_and_drop(void)
{
	sqlite3_stmt *q = prep("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (type = 'trigger'"
	                       " OR (type = 'index' AND tbl_name IN ('works', 'work_tags', 'filter_taggings',"
	                       " 'chapters', 'work_creators', 'tags', 'tag_parents', 'meta_tags')))");
	char **drops = NULL;
	int ndrops = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		saved = realloc(saved, (size_t)(nsaved + 1) * sizeof *saved);
		saved[nsaved++] = strdup((const char *)sqlite3_column_text(q, 2));
		drops = realloc(drops, (size_t)(ndrops + 1) * sizeof *drops);
		drops[ndrops++] = sqlite3_mprintf("DROP %s \"%w\"", (const char *)sqlite3_column_text(q, 0),
		                                  (const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	for (int i = 0; i < ndrops; i++) {
		exec(drops[i]);
		sqlite3_free(drops[i]);
	}
	free(drops);
}

static void restore(void)
{
	for (int i = 0; i < nsaved; i++) {
		exec(saved[i]);
		free(saved[i]);
	}
	free(saved);
}

/* ---- The archive ---------------------------------------------------------------------------------------- */

static const char *const media[] = {"Anime & Manga", "Books & Literature", "Cartoons & Comics & Graphic Novels",
                                    "Celebrities & Real People", "Movies", "Music & Bands", "Other Media",
                                    "Theater", "TV Shows", "Video Games", ""};
static const char *const ratings[] = {"General Audiences", "Teen And Up Audiences", "Mature", "Explicit",
                                      "Not Rated"};
static const double rating_p[] = {0.30, 0.35, 0.20, 0.10, 0.05};
static const char *const warnings[] = {"Creator Chose Not To Use Archive Warnings", "Graphic Depictions Of Violence",
                                       "Major Character Death", "No Archive Warnings Apply", "Rape/Non-Con",
                                       "Underage Sex"};
static const double warning_p[] = {0.25, 0.08, 0.05, 0.60, 0.01, 0.01};
static const char *const categories[] = {"F/F", "F/M", "Gen", "M/M", "Multi", "Other"};
static const double category_p[] = {0.15, 0.25, 0.30, 0.35, 0.05, 0.02};
static const char *const languages[] = {"English", "English", "English", "English", "English", "English",
                                        "English", "English", "English", "Español", "Français", "Deutsch",
                                        "Русский", "中文", "日本語"};

static int pick(const double *p, int n)
{
	double u = unit(), acc = 0;
	for (int i = 0; i < n; i++) {
		acc += p[i];
		if (u < acc)
			return i;
	}
	return n - 1;
}

struct opts {
	const char *path, *manifest;
	long works, fandoms, long_chapters, authors;
	uint64_t seed;
};

/* Filter tag id of a tag: its canonical when it is a synonym. */
static int64_t filter_of(int64_t id)
{
	return tags[id - 1].merger ? tags[id - 1].merger : id;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct opts o = {.works = 1000000, .fandoms = 10000, .long_chapters = 100000, .seed = 42};
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--works") && i + 1 < argc)
			o.works = atol(argv[++i]);
		else if (!strcmp(argv[i], "--fandoms") && i + 1 < argc)
			o.fandoms = atol(argv[++i]);
		else if (!strcmp(argv[i], "--long-chapters") && i + 1 < argc)
			o.long_chapters = atol(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			o.seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--manifest") && i + 1 < argc)
			o.manifest = argv[++i];
		else if (argv[i][0] != '-' && !o.path)
			o.path = argv[i];
		else {
			fprintf(stderr, "usage: gen_archive DB [--works N] [--fandoms N] [--long-chapters N] [--seed N]"
			                " [--manifest FILE]\n");
			return 2;
		}
	}
	if (!o.path || o.works < 1 || o.fandoms < 1)
		return 2;
	o.authors = o.works / 10 + 1;
	rng_state ^= o.seed * 0x2545F4914F6CDD1Dull;
	time_t t0 = time(NULL);
	log_set_quiet(1);

	/* The schema, by the store's own migrations. */
	struct store *st;
	if (store_open_sqlite(&st, o.path) != 0) {
		fprintf(stderr, "gen_archive: cannot create %s\n", o.path);
		return 1;
	}
	store_close(st);
	if (sqlite3_open(o.path, &db) != SQLITE_OK)
		die("open");
	sqls_functions_register(db);
	exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;"
	     " PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF");
	sqlite3_stmt *probe = prep("SELECT COUNT(*) FROM works");
	sqlite3_step(probe);
	if (sqlite3_column_int64(probe, 0) != 0) {
		fprintf(stderr, "gen_archive: %s already holds works\n", o.path);
		return 1;
	}
	sqlite3_finalize(probe);
	vocab_init();
	exec("BEGIN");
	save_and_drop();

	/* Tags: the fixed ones, fandoms (some under meta fandoms), their characters and relationships (some
	 * characters with a synonym), and a pool of additional tags. */
	int64_t rating_id[5], warning_id[6], category_id[6];
	for (int i = 0; i < 5; i++)
		rating_id[i] = tag_add(TAG_RATING, ratings[i]);
	for (int i = 0; i < 6; i++)
		warning_id[i] = tag_add(TAG_WARNING, warnings[i]);
	for (int i = 0; i < 6; i++)
		category_id[i] = tag_add(TAG_CATEGORY, categories[i]);
	struct gfandom *fandoms = calloc((size_t)o.fandoms, sizeof *fandoms);
	struct zipf fandom_z = zipf_make((int)o.fandoms, 1.0);
	char name[256], a1[32], a2[32];
	for (long f = 0; f < o.fandoms; f++) {
		word(a1, sizeof a1, 2 + below(2), true);
		snprintf(name, sizeof name, "%s %s %ld", a1, fandom_kinds[below(10)], f + 1);
		struct gfandom *gf = &fandoms[f];
		gf->id = tag_add(TAG_FANDOM, name);
		tags[gf->id - 1].media = media[below(11)];
		if (f < 200) {
			snprintf(name, sizeof name, "%s (All Media) %ld", a1, f + 1);
			int64_t meta = tag_add(TAG_FANDOM, name);
			tags[meta - 1].media = tags[gf->id - 1].media;
			tags[gf->id - 1].meta = meta;
		}
		/* Big fandoms have big casts. */
		gf->nchars = 4 + (int)(400.0 / (f + 1.0)) + below(8);
		gf->chars = calloc((size_t)gf->nchars, sizeof *gf->chars);
		for (int c = 0; c < gf->nchars; c++) {
			word(a1, sizeof a1, 2, true);
			word(a2, sizeof a2, 2 + below(2), true);
			snprintf(name, sizeof name, "%s %s (%ld)", a1, a2, f + 1);
			gf->chars[c] = tag_add(TAG_CHARACTER, name);
			tags[gf->chars[c] - 1].parent = gf->id;
			if (c < 3 && rnd() % 3 == 0) {
				snprintf(name, sizeof name, "%.3s %s (%ld)", a1, a2, f + 1);
				int64_t syn = tag_add(TAG_CHARACTER, name);
				tags[syn - 1].merger = gf->chars[c];
			}
		}
		gf->cz = zipf_make(gf->nchars, 1.1);
		gf->nrels = gf->nchars / 2 + 1;
		gf->rels = calloc((size_t)gf->nrels, sizeof *gf->rels);
		for (int r = 0; r < gf->nrels; r++) {
			int x = zipf_draw(&gf->cz), y = zipf_draw(&gf->cz);
			if (x == y)
				y = (x + 1) % gf->nchars;
			snprintf(name, sizeof name, "%s%s%s #%d", tags[gf->chars[x] - 1].name, rnd() % 3 ? "/" : " & ",
			         tags[gf->chars[y] - 1].name, r);
			gf->rels[r] = tag_add(TAG_RELATIONSHIP, name);
			tags[gf->rels[r] - 1].parent = gf->id;
		}
		gf->rz = zipf_make(gf->nrels, 1.1);
	}
	int nfree = 5000;
	int64_t *freeforms = calloc((size_t)nfree, sizeof *freeforms);
	for (int i = 0; i < nfree; i++) {
		if (i < (int)NFREEWORDS)
			snprintf(name, sizeof name, "%s", freeform_words[i]);
		else {
			word(a1, sizeof a1, 2 + below(2), true);
			snprintf(name, sizeof name, "%s %s %d", freeform_words[below(NFREEWORDS)], a1, i);
		}
		freeforms[i] = tag_add(TAG_FREEFORM, name);
	}
	struct zipf free_z = zipf_make(nfree, 1.0);
	fprintf(stderr, "gen_archive: %lld tags in memory (%lds)\n", (long long)ntags, (long)(time(NULL) - t0));

	/* Authors. */
	char (*author_names)[32] = calloc((size_t)o.authors, sizeof *author_names);
	sqlite3_stmt *qu = prep("INSERT INTO users(id, name, email, pwhash, role, created_at) VALUES (?, ?, ?, '', 'user', ?)");
	int64_t first_user = 1000;
	int64_t now = (int64_t)time(NULL);
	for (long u = 0; u < o.authors; u++) {
		word(a1, sizeof a1, 2 + below(2), false);
		snprintf(author_names[u], sizeof author_names[u], "%.12s%ld", a1, u % 100000000);
		sqlite3_bind_int64(qu, 1, first_user + u);
		sqlite3_bind_text(qu, 2, author_names[u], -1, SQLITE_STATIC);
		char email[48];
		snprintf(email, sizeof email, "u%ld@bench.invalid", u % 100000000);
		sqlite3_bind_text(qu, 3, email, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(qu, 4, now - 86400LL * 5000);
		run(qu);
	}
	sqlite3_finalize(qu);
	struct zipf author_z = zipf_make((int)o.authors, 0.6);
	int64_t *author_works = calloc((size_t)o.authors, sizeof *author_works);

	/* Works, their tags, filter rows, creators and chapters. */
	sqlite3_stmt *qw = prep("INSERT INTO works(id, title, summary, summary_html, language, expected_chapters,"
	                        " complete, draft, restricted, published_at, updated_at, created_at, word_count,"
	                        " sanitizer_version, kudos_count, hits_count, comments_count, bookmarks_count,"
	                        " creator_sort, crossover, filter_tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	                        " ?10, ?11, ?10, ?12, 1, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
	struct buf ftext = BUF_INIT;
	sqlite3_stmt *qt = prep("INSERT OR IGNORE INTO work_tags(work_id, tag_id, position) VALUES (?, ?, ?)");
	sqlite3_stmt *qf = prep("INSERT OR IGNORE INTO filter_taggings(work_id, tag_id) VALUES (?, ?)");
	sqlite3_stmt *qc = prep("INSERT INTO work_creators(work_id, user_id, position, accepted) VALUES (?, ?, 0, 1)");
	sqlite3_stmt *qch = prep("INSERT INTO chapters(work_id, position, title, content, content_format, content_html,"
	                         " word_count, published_at, updated_at, sanitizer_version)"
	                         " VALUES (?, ?, '', ?, 'text', ?, ?, ?, ?, 1)");
	struct buf text = BUF_INIT, html = BUF_INIT;
	int64_t posted = 0, public = 0, chapters = 0;
	int64_t wt[96], ft[96];
	for (long wi = 1; wi <= o.works; wi++) {
		int nwt = 0, nft = 0;
		bool draft = rnd() % 100 == 0, restricted = rnd() % 10 == 0, complete = rnd() % 10 < 6;
		int r = pick(rating_p, 5);
		wt[nwt++] = rating_id[r];
		int w1 = pick(warning_p, 6);
		wt[nwt++] = warning_id[w1];
		if (rnd() % 10 == 0 && w1 != 3) {
			static const int specific[] = {0, 1, 2, 4, 5};
			int w2 = specific[below(5)];
			if (w2 != w1)
				wt[nwt++] = warning_id[w2];
		}
		wt[nwt++] = category_id[pick(category_p, 6)];
		if (rnd() % 8 == 0)
			wt[nwt++] = category_id[below(6)];
		int nf = rnd() % 10 == 0 ? 2 : 1;
		struct gfandom *gfs[2];
		for (int k = 0; k < nf; k++) {
			gfs[k] = &fandoms[zipf_draw(&fandom_z)];
			wt[nwt++] = gfs[k]->id;
		}
		bool crossover = nf == 2 && gfs[0] != gfs[1];
		struct gfandom *gf = gfs[0];
		int nrel = below(3), nchar = 1 + below(5), nff = 2 + below(7);
		for (int k = 0; k < nrel; k++)
			wt[nwt++] = gf->rels[zipf_draw(&gf->rz)];
		for (int k = 0; k < nchar; k++) {
			int64_t c = gf->chars[zipf_draw(&gf->cz)];
			/* Sometimes the short name: a synonym that files under the canonical one. */
			if (rnd() % 5 == 0 && c + 1 <= ntags && tags[c].merger == c)
				c = c + 1;
			wt[nwt++] = c;
		}
		for (int k = 0; k < nff; k++)
			wt[nwt++] = freeforms[zipf_draw(&free_z)];
		for (int k = 0; k < nwt; k++) {
			int64_t f = filter_of(wt[k]);
			ft[nft++] = f;
			if (tags[f - 1].meta)
				ft[nft++] = tags[f - 1].meta;
		}
		qsort(ft, (size_t)nft, sizeof *ft, cmp_i64);
		buf_reset(&ftext);
		for (int k = 0; k < nft; k++)
			if (!k || ft[k] != ft[k - 1])
				buf_printf(&ftext, " %lld:%d", (long long)ft[k], tags[ft[k] - 1].type);
		int64_t words = 0;
		int nch = 1 + below(5); /* 1 to 5, about 3 */
		int chlen[8];
		int64_t published = now - (int64_t)(unit() * 86400.0 * 365 * 15);
		int64_t updated = published + (int64_t)(unit() * (double)(now - published));
		long author = zipf_draw(&author_z);
		author_works[author]++;
		int64_t kudos = (int64_t)(pow(unit(), 3.0) * 5000.0);
		word(a1, sizeof a1, 2 + below(2), true);
		word(a2, sizeof a2, 2 + below(2), false);
		snprintf(name, sizeof name, "The %s of %s", a1, a2);
		buf_reset(&text);
		prose(&text, 20 + below(30));
		buf_reset(&html);
		buf_printf(&html, "<p>%s</p>", buf_cstr(&text));
		for (int c = 0; c < nch; c++) {
			chlen[c] = chapters < o.long_chapters ? 300 + below(700) : 15 + below(25);
			words += chlen[c];
			chapters++;
		}
		sqlite3_bind_int64(qw, 1, wi);
		sqlite3_bind_text(qw, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(qw, 3, buf_cstr(&text), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(qw, 4, buf_cstr(&html), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(qw, 5, languages[below(15)], -1, SQLITE_STATIC);
		sqlite3_bind_int(qw, 6, complete ? nch : 0);
		sqlite3_bind_int(qw, 7, complete);
		sqlite3_bind_int(qw, 8, draft);
		sqlite3_bind_int(qw, 9, restricted);
		sqlite3_bind_int64(qw, 10, draft ? 0 : published);
		sqlite3_bind_int64(qw, 11, updated);
		sqlite3_bind_int64(qw, 12, words);
		sqlite3_bind_int64(qw, 13, kudos);
		sqlite3_bind_int64(qw, 14, kudos * 12 + below(500));
		sqlite3_bind_int64(qw, 15, kudos / 8 + below(5));
		sqlite3_bind_int64(qw, 16, kudos / 5 + below(5));
		sqlite3_bind_text(qw, 17, author_names[author], -1, SQLITE_STATIC);
		sqlite3_bind_int(qw, 18, crossover);
		sqlite3_bind_text(qw, 19, buf_cstr(&ftext), (int)ftext.len, SQLITE_STATIC);
		run(qw);
		for (int k = 0; k < nwt; k++) {
			sqlite3_bind_int64(qt, 1, wi);
			sqlite3_bind_int64(qt, 2, wt[k]);
			sqlite3_bind_int(qt, 3, k);
			run(qt);
		}
		for (int k = 0; k < nft; k++) {
			if (k && ft[k] == ft[k - 1])
				continue;
			sqlite3_bind_int64(qf, 1, wi);
			sqlite3_bind_int64(qf, 2, ft[k]);
			run(qf);
			if (!draft) {
				tags[ft[k] - 1].works++;
				tags[ft[k] - 1].pub += !restricted;
			}
		}
		sqlite3_bind_int64(qc, 1, wi);
		sqlite3_bind_int64(qc, 2, first_user + author);
		run(qc);
		for (int c = 0; c < nch; c++) {
			int n = chlen[c];
			buf_reset(&text);
			prose(&text, n);
			buf_reset(&html);
			/* The stored HTML is the text's paragraphs, as the text format renders them. */
			buf_puts(&html, "<p>");
			for (const char *p = buf_cstr(&text); *p; p++) {
				if (p[0] == '\n' && p[1] == '\n') {
					buf_puts(&html, "</p>\n<p>");
					p++;
				} else if (*p == '<' || *p == '&') {
					buf_puts(&html, *p == '<' ? "&lt;" : "&amp;");
				} else {
					buf_putc(&html, *p);
				}
			}
			buf_puts(&html, "</p>");
			sqlite3_bind_int64(qch, 1, wi);
			sqlite3_bind_int(qch, 2, c + 1);
			sqlite3_bind_text(qch, 3, buf_cstr(&text), (int)text.len, SQLITE_TRANSIENT);
			sqlite3_bind_text(qch, 4, buf_cstr(&html), (int)html.len, SQLITE_TRANSIENT);
			sqlite3_bind_int(qch, 5, n);
			sqlite3_bind_int64(qch, 6, draft ? 0 : published);
			sqlite3_bind_int64(qch, 7, updated);
			run(qch);
		}
		posted += !draft;
		public += !draft && !restricted;
		if (wi % 100000 == 0)
			fprintf(stderr, "gen_archive: %ld works (%lds)\n", wi, (long)(time(NULL) - t0));
	}
	buf_free(&text);
	buf_free(&html);
	buf_free(&ftext);
	sqlite3_finalize(qw);
	sqlite3_finalize(qt);
	sqlite3_finalize(qf);
	sqlite3_finalize(qc);
	sqlite3_finalize(qch);

	/* Tags last, with their counts. */
	sqlite3_stmt *qtag = prep("INSERT INTO tags(id, type, name, norm, skeleton, canonical, wrangled, merger_id,"
	                          " media, works_count, public_count, created_at) VALUES (?1, ?2, ?3, quire_tag_norm(?3),"
	                          " quire_tag_skeleton(quire_tag_norm(?3)), ?4, 1, ?5, ?6, ?7, ?8, ?9)");
	sqlite3_stmt *qp = prep("INSERT INTO tag_parents(tag_id, parent_id) VALUES (?, ?)");
	sqlite3_stmt *qm = prep("INSERT INTO meta_tags(sub_id, meta_id) VALUES (?, ?)");
	for (int64_t i = 0; i < ntags; i++) {
		struct gtag *g = &tags[i];
		sqlite3_bind_int64(qtag, 1, i + 1);
		sqlite3_bind_int(qtag, 2, g->type);
		sqlite3_bind_text(qtag, 3, g->name, -1, SQLITE_STATIC);
		sqlite3_bind_int(qtag, 4, g->merger == 0);
		if (g->merger)
			sqlite3_bind_int64(qtag, 5, g->merger);
		else
			sqlite3_bind_null(qtag, 5);
		sqlite3_bind_text(qtag, 6, g->media ? g->media : "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(qtag, 7, g->works);
		sqlite3_bind_int64(qtag, 8, g->pub);
		sqlite3_bind_int64(qtag, 9, now - 86400LL * 3000);
		run(qtag);
		if (g->parent) {
			sqlite3_bind_int64(qp, 1, i + 1);
			sqlite3_bind_int64(qp, 2, g->parent);
			run(qp);
		}
		if (g->meta) {
			sqlite3_bind_int64(qm, 1, i + 1);
			sqlite3_bind_int64(qm, 2, g->meta);
			run(qm);
		}
	}
	sqlite3_finalize(qtag);
	sqlite3_finalize(qp);
	sqlite3_finalize(qm);
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE counters SET value = %lld WHERE name = 'works_posted';"
	                          " UPDATE counters SET value = %lld WHERE name = 'works_public'",
	         (long long)posted, (long long)public);
	exec(sql);
	fprintf(stderr, "gen_archive: rows written (%lds); indexes\n", (long)(time(NULL) - t0));
	restore();
	fprintf(stderr, "gen_archive: indexes and triggers back (%lds); search index\n", (long)(time(NULL) - t0));
	exec("INSERT INTO search_works(rowid, title, summary, notes, tags, creators) SELECT * FROM search_works_src");
	exec("INSERT INTO search_chapters(rowid, title, summary, notes, text, work)"
	     " SELECT key, title, summary, notes, text, work FROM search_chapters_src");
	exec("INSERT INTO tag_names(tag_names) VALUES ('rebuild')");
	exec("INSERT INTO search_chapters(search_chapters) VALUES ('optimize')");
	exec("INSERT INTO search_works(search_works) VALUES ('optimize')");
	exec("COMMIT");
	fprintf(stderr, "gen_archive: search index built (%lds); analyze\n", (long)(time(NULL) - t0));
	exec("ANALYZE");
	exec("PRAGMA journal_mode = WAL");

	/* What the benchmark asks for: a mid-size author, tags of a big and a typical fandom. */
	if (o.manifest) {
		FILE *m = fopen(o.manifest, "w");
		if (!m)
			die("manifest");
		long mid = 0;
		for (long u = 0; u < o.authors; u++)
			if (author_works[u] >= 20 && author_works[u] <= 60) {
				mid = u;
				break;
			}
		fprintf(m, "author=%s\nauthor_works=%lld\n", author_names[mid], (long long)author_works[mid]);
		fprintf(m, "top_author=%s\ntop_author_works=%lld\n", author_names[0], (long long)author_works[0]);
		/* A typical fandom (rank 10) and its most used character; the biggest fandom and its. */
		int ranks[2] = {o.fandoms > 10 ? 9 : 0, 0};
		const char *keys[2] = {"typical", "big"};
		for (int k = 0; k < 2; k++) {
			struct gfandom *gf = &fandoms[ranks[k]];
			int64_t best = gf->chars[0];
			for (int c = 0; c < gf->nchars; c++)
				if (tags[gf->chars[c] - 1].works > tags[best - 1].works)
					best = gf->chars[c];
			fprintf(m, "%s_fandom=%s\n%s_fandom_works=%lld\n%s_character=%s\n%s_character_works=%lld\n", keys[k],
			        tags[gf->id - 1].name, keys[k], (long long)tags[gf->id - 1].works, keys[k],
			        tags[best - 1].name, keys[k], (long long)tags[best - 1].works);
		}
		fprintf(m, "works=%ld\nchapters=%lld\nlong_chapters=%ld\ntags=%lld\n", o.works, (long long)chapters,
		        o.long_chapters, (long long)ntags);
		fclose(m);
	}
	sqlite3_close(db);
	for (long f = 0; f < o.fandoms; f++) {
		free(fandoms[f].chars);
		free(fandoms[f].rels);
	}
	free(fandoms);
	for (int64_t i = 0; i < ntags; i++)
		free(tags[i].name);
	free(tags);
	free(freeforms);
	free(author_works);
	free(author_names);
	for (size_t i = 0; i < nseen_cap; i++)
		free(seen[i]);
	free(seen);
	fprintf(stderr, "gen_archive: done in %lds: %ld works, %lld chapters, %lld tags\n", (long)(time(NULL) - t0),
	        o.works, (long long)chapters, (long long)ntags);
	return 0;
}
