/* The state the rules of running a community share: the address key, the site's name and address, shared limits. */
#include "archive/community.h"
#include "archive/site.h"
#include "core/alloc.h"
#include "core/err.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIMIT_WINDOW_MAX (7 * 86400) /* counts are kept at most this long */

struct community {
	struct store *st;
	const struct config *cfg;
	unsigned char key[32];
	pthread_mutex_t mu;  /* guards everything below */
	char base_url[512];
	struct site_settings site; /* as last read */
	int64_t site_read_at;      /* when (0: read again now) */
};

/* The key survives restarts and is shared by every server: one key, one count per address. */
static int load_key(struct community *c)
{
	struct arena *a = arena_new();
	char *hex = NULL;
	size_t len = 0;
	int rc = store_setting_get(c->st, a, "community_key", &hex);
	if (rc != 0 || sodium_hex2bin(c->key, sizeof c->key, hex, strlen(hex), NULL, &len, NULL) != 0 ||
	    len != sizeof c->key) {
		randombytes_buf(c->key, sizeof c->key);
		char out[2 * sizeof c->key + 1];
		sodium_bin2hex(out, sizeof out, c->key, sizeof c->key);
		rc = store_setting_set(c->st, "community_key", out);
	} else {
		rc = 0;
	}
	arena_free(a);
	return rc;
}

int community_new(struct community **out, struct store *st, const struct config *cfg, const char *base_url)
{
	*out = NULL;
	if (sodium_init() < 0)
		return Q_ERR;
	struct community *c = xcalloc(1, sizeof *c);
	c->st = st;
	c->cfg = cfg;
	pthread_mutex_init(&c->mu, NULL);
	snprintf(c->base_url, sizeof c->base_url, "%s", base_url ? base_url : "");
	if (load_key(c) != 0) {
		community_free(c);
		return Q_ERR;
	}
	*out = c;
	return 0;
}

void community_free(struct community *c)
{
	if (!c)
		return;
	sodium_memzero(c->key, sizeof c->key);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void community_set_base_url(struct community *c, const char *base_url)
{
	pthread_mutex_lock(&c->mu);
	snprintf(c->base_url, sizeof c->base_url, "%s", base_url ? base_url : "");
	pthread_mutex_unlock(&c->mu);
}

struct store *community_store(const struct community *c)
{
	return c->st;
}

const struct config *community_config(const struct community *c)
{
	return c->cfg;
}

/* Reads the settings again when they are older than the TTL (with mu held). A failed read keeps the old ones. */
static void refresh(struct community *c)
{
	int64_t now = (int64_t)time(NULL);
	if (c->site_read_at && now - c->site_read_at < COMMUNITY_SETTINGS_TTL)
		return;
	struct arena *a = arena_new();
	struct site_settings *fresh = xcalloc(1, sizeof *fresh);
	if (site_settings_load(c->st, c->cfg, a, fresh) == 0) {
		c->site = *fresh;
		c->site_read_at = now;
	}
	free(fresh);
	arena_free(a);
}

void community_settings(struct community *c, struct site_settings *out)
{
	pthread_mutex_lock(&c->mu);
	refresh(c);
	*out = c->site;
	pthread_mutex_unlock(&c->mu);
}

void community_site_changed(struct community *c)
{
	pthread_mutex_lock(&c->mu);
	c->site_read_at = 0;
	pthread_mutex_unlock(&c->mu);
}

const char *community_site_name(struct community *c, struct arena *a)
{
	pthread_mutex_lock(&c->mu);
	refresh(c);
	const char *s = arena_strdup(a, c->site.value[SITE_NAME]);
	pthread_mutex_unlock(&c->mu);
	return s;
}

const char *community_setting(struct community *c, int key, char *buf, size_t len)
{
	if (!len)
		return "";
	*buf = '\0';
	if (key < 0 || key >= SITE_KEY_COUNT)
		return buf;
	pthread_mutex_lock(&c->mu);
	refresh(c);
	snprintf(buf, len, "%s", c->site.value[key]);
	pthread_mutex_unlock(&c->mu);
	return buf;
}

const char *community_base_url(struct community *c, struct arena *a)
{
	pthread_mutex_lock(&c->mu);
	const char *s = arena_strdup(a, c->base_url);
	pthread_mutex_unlock(&c->mu);
	return s;
}

void community_address_hash(const struct community *c, const char *purpose, const char *address, char out[65])
{
	unsigned char h[32];
	crypto_generichash_state s;
	crypto_generichash_init(&s, c->key, sizeof c->key, sizeof h);
	crypto_generichash_update(&s, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_generichash_update(&s, (const unsigned char *)(address ? address : ""), address ? strlen(address) : 0);
	crypto_generichash_final(&s, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int64_t window_start(int64_t now, int window)
{
	return window > 0 ? now - now % window : now;
}

int community_limit(struct community *c, const char *key, int limit, int window_seconds, int *retry_after)
{
	int64_t now = (int64_t)time(NULL), start = window_start(now, window_seconds), count = 0;
	if (retry_after)
		*retry_after = 0;
	int rc = store_rate_bump(c->st, key, start, &count);
	if (rc)
		return rc;
	if (count <= limit)
		return 0;
	if (retry_after)
		*retry_after = (int)(start + window_seconds - now) + 1;
	return Q_EBUSY;
}

int64_t community_count(struct community *c, const char *key, int window_seconds)
{
	int64_t now = (int64_t)time(NULL), count = 0;
	store_rate_get(c->st, key, window_start(now, window_seconds), &count);
	return count;
}

void community_purge(struct community *c)
{
	store_rate_purge(c->st, (int64_t)time(NULL) - LIMIT_WINDOW_MAX);
}
