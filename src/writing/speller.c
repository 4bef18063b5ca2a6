/* Spelling dictionaries: Hunspell handles by language, created on first use and kept, each behind a lock. */
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

struct dictionary {
	char lang[16];
	char name[64];
	Hunhandle *h;        /* NULL: looked for and not found (remembered, so no second directory scan) */
	pthread_mutex_t lock;
};

struct speller {
	char dir[512];
	pthread_mutex_t lock; /* guards the list; each dictionary has its own lock for checking */
	struct dictionary *d[DICTIONARIES_MAX];
	size_t n;
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
	for (size_t i = 0; i < sp->n; i++) {
		if (sp->d[i]->h)
			Hunspell_destroy(sp->d[i]->h);
		pthread_mutex_destroy(&sp->d[i]->lock);
		free(sp->d[i]);
	}
	pthread_mutex_destroy(&sp->lock);
	free(sp);
}

/* NAME of the first NAME.aff in dir for lang (exactly lang, or lang_REGION), in name order. */
static bool find_name(const char *dir, const char *lang, char *name, size_t len)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return false;
	size_t ln = strlen(lang);
	bool found = false;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".aff") != 0 || strncmp(e->d_name, lang, ln) != 0)
			continue;
		if (n - 4 != ln && e->d_name[ln] != '_')
			continue;
		if (n - 4 >= len)
			continue;
		if (!found || strncmp(e->d_name, name, n - 4) < 0) {
			memcpy(name, e->d_name, n - 4);
			name[n - 4] = 0;
			found = true;
		}
	}
	closedir(dp);
	return found;
}

struct dictionary *speller_dictionary(struct speller *sp, const char *lang)
{
	if (!sp || !lang || !*lang || strlen(lang) >= sizeof sp->d[0]->lang || strpbrk(lang, "/."))
		return NULL;
	pthread_mutex_lock(&sp->lock);
	struct dictionary *d = NULL;
	for (size_t i = 0; i < sp->n && !d; i++)
		if (!strcmp(sp->d[i]->lang, lang))
			d = sp->d[i];
	if (!d && sp->n < DICTIONARIES_MAX) {
		d = xcalloc(1, sizeof *d);
		snprintf(d->lang, sizeof d->lang, "%s", lang);
		pthread_mutex_init(&d->lock, NULL);
		if (find_name(sp->dir, lang, d->name, sizeof d->name)) {
			char aff[600], dic[600];
			snprintf(aff, sizeof aff, "%s/%s.aff", sp->dir, d->name);
			snprintf(dic, sizeof dic, "%s/%s.dic", sp->dir, d->name);
			d->h = Hunspell_create(aff, dic);
			if (d->h)
				log_info("spelling: %s dictionary %s loaded", lang, d->name);
		}
		sp->d[sp->n++] = d;
	}
	pthread_mutex_unlock(&sp->lock);
	return d && d->h ? d : NULL;
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
