/* Spelling dictionaries: Hunspell handles by name, created on first use and kept, each behind a lock; the
 * variants of a language found once by a scan of the directory and remembered. */
#include "writing/speller.h"
#include "core/alloc.h"
#include "core/log.h"
#include <dirent.h>
#include <hunspell/hunspell.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DICTIONARIES_MAX 32
#define LANGS_MAX 64

struct dictionary {
	char name[64];
	Hunhandle *h;
	pthread_mutex_t lock;
};

struct lang_entry {
	char lang[16];
	struct dictionary *d[SPELLER_VARIANTS_MAX]; /* loaded; empty: looked for, none (remembered) */
	size_t n;
};

struct speller {
	char dir[512];
	pthread_mutex_t lock; /* guards the lists; each dictionary has its own lock for checking */
	struct dictionary *d[DICTIONARIES_MAX];
	size_t nd;
	struct lang_entry langs[LANGS_MAX];
	size_t nl;
};

struct speller *speller_new(const char *dir)
{
	struct speller *sp = xcalloc(1, sizeof *sp);
	snprintf(sp->dir, sizeof sp->dir, "%s", dir ? dir : "");
	pthread_mutex_init(&sp->lock, NULL);
	return sp;
}

void speller_free(struct speller *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->nd; i++) {
		Hunspell_destroy(sp->d[i]->h);
		pthread_mutex_destroy(&sp->d[i]->lock);
		free(sp->d[i]);
	}
	pthread_mutex_destroy(&sp->lock);
	free(sp);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Names of the NAME.aff files in dir for lang (exactly lang, or lang_REGION when lang has no region), in
 * name order; returns how many. */
static size_t find_names(const char *dir, const char *lang, char names[][64], size_t max)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	size_t ln = strlen(lang), n = 0;
	bool region = strchr(lang, '_') != NULL;
	struct dirent *e;
	while ((e = readdir(dp)) && n < max) {
		size_t k = strlen(e->d_name);
		if (k < 5 || k - 4 >= 64 || strcmp(e->d_name + k - 4, ".aff") != 0 || strncmp(e->d_name, lang, ln) != 0)
			continue;
		if (k - 4 != ln && (region || e->d_name[ln] != '_'))
			continue;
		memcpy(names[n], e->d_name, k - 4);
		names[n++][k - 4] = 0;
	}
	closedir(dp);
	qsort(names, n, 64, by_name);
	return n;
}

/* The loaded dictionary NAME (sp->lock held): loaded now when it is new; NULL when Hunspell fails. */
static struct dictionary *load(struct speller *sp, const char *name)
{
	for (size_t i = 0; i < sp->nd; i++)
		if (!strcmp(sp->d[i]->name, name))
			return sp->d[i];
	if (sp->nd >= DICTIONARIES_MAX)
		return NULL;
	char aff[600], dic[600];
	snprintf(aff, sizeof aff, "%s/%s.aff", sp->dir, name);
	snprintf(dic, sizeof dic, "%s/%s.dic", sp->dir, name);
	Hunhandle *h = Hunspell_create(aff, dic);
	if (!h)
		return NULL;
	struct dictionary *d = xcalloc(1, sizeof *d);
	snprintf(d->name, sizeof d->name, "%s", name);
	d->h = h;
	pthread_mutex_init(&d->lock, NULL);
	sp->d[sp->nd++] = d;
	log_info("spelling: dictionary %s loaded", name);
	return d;
}

size_t speller_dictionaries(struct speller *sp, const char *lang, struct dictionary **out, size_t max)
{
	if (!sp || !lang || !*lang || strlen(lang) >= sizeof sp->langs[0].lang || strpbrk(lang, "/.\\"))
		return 0;
	pthread_mutex_lock(&sp->lock);
	struct lang_entry *le = NULL;
	for (size_t i = 0; i < sp->nl && !le; i++)
		if (!strcmp(sp->langs[i].lang, lang))
			le = &sp->langs[i];
	if (!le && sp->nl < LANGS_MAX) {
		le = &sp->langs[sp->nl++];
		snprintf(le->lang, sizeof le->lang, "%s", lang);
		char names[SPELLER_VARIANTS_MAX][64];
		size_t k = find_names(sp->dir, lang, names, SPELLER_VARIANTS_MAX);
		for (size_t i = 0; i < k; i++) {
			struct dictionary *d = load(sp, names[i]);
			if (d)
				le->d[le->n++] = d;
		}
	}
	size_t n = 0;
	for (size_t i = 0; le && i < le->n && n < max; i++)
		out[n++] = le->d[i];
	pthread_mutex_unlock(&sp->lock);
	return n;
}

struct dictionary *speller_dictionary(struct speller *sp, const char *lang)
{
	struct dictionary *d = NULL;
	return speller_dictionaries(sp, lang, &d, 1) ? d : NULL;
}

const char *dictionary_name(const struct dictionary *d)
{
	return d->name;
}

void dictionary_check(struct dictionary *d, const char *const *words, size_t n, bool *bad)
{
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < n; i++)
		bad[i] = Hunspell_spell(d->h, words[i]) == 0;
	pthread_mutex_unlock(&d->lock);
}

bool dictionary_knows(struct dictionary *d, const char *word)
{
	pthread_mutex_lock(&d->lock);
	bool ok = Hunspell_spell(d->h, word) != 0;
	pthread_mutex_unlock(&d->lock);
	return ok;
}

size_t dictionary_suggest(struct dictionary *d, struct arena *a, const char *word, const char **out, size_t max)
{
	char **list = NULL;
	pthread_mutex_lock(&d->lock);
	int n = Hunspell_suggest(d->h, &list, word);
	size_t k = 0;
	for (int i = 0; i < n && k < max; i++)
		out[k++] = arena_strdup(a, list[i]);
	if (list)
		Hunspell_free_list(d->h, &list, n);
	pthread_mutex_unlock(&d->lock);
	return k;
}
