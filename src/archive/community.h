/* Running a community: the long-lived state its rules share (the key that hashes client addresses for shared
 * limits, the site's name and address for the mail they send) and the limits every server enforces through
 * the store. Pages, the API and the CLI make one at start-up and pass it to moderation, reports, sign-up
 * rules and spam checks. */
#ifndef QUIRE_ARCHIVE_COMMUNITY_H
#define QUIRE_ARCHIVE_COMMUNITY_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"

struct community;
struct site_settings;

/* The state for st; the address key is kept in the store's settings (the same on every server). cfg (kept: it
 * must outlive the state) says which site settings the configuration fixes; base_url is the site's address for
 * links in mail (no trailing slash). Q_ERR when the key cannot be stored. */
int community_new(struct community **out, struct store *st, const struct config *cfg, const char *base_url);
void community_free(struct community *c);
/* The address links in mail use, once the listening port is known (it may be chosen by the kernel). */
void community_set_base_url(struct community *c, const char *base_url);
struct store *community_store(const struct community *c);
const struct config *community_config(const struct community *c);
/* The site's settings in force (archive/site.h), read from the store at most every COMMUNITY_SETTINGS_TTL
 * seconds (other servers' changes show within that) and at once after this process changed them. */
#define COMMUNITY_SETTINGS_TTL 5
void community_settings(struct community *c, struct site_settings *out);
/* This process changed the settings, a page or the banner: read them again. */
void community_site_changed(struct community *c);
/* The site's name and address as mail and notices use them now (arena copies: they may change). */
const char *community_site_name(struct community *c, struct arena *a);
/* One setting in force (enum site_key in archive/site.h), copied into buf. */
const char *community_setting(struct community *c, int key, char *buf, size_t len);
const char *community_base_url(struct community *c, struct arena *a);

/* A keyed hash (hex) of a client's address for purpose ("report", "spam"): counters never hold addresses. */
void community_address_hash(const struct community *c, const char *purpose, const char *address, char out[65]);

/* Shared limits: counts one more use of key in the current window of window_seconds and answers Q_EBUSY (with
 * *retry_after, seconds until the window ends) when that makes more than limit; 0 when within it; another
 * Q_E* when the store failed. Every server counts in the same rows, so a flood cannot spread over servers. */
int community_limit(struct community *c, const char *key, int limit, int window_seconds, int *retry_after);
/* How often key was counted in the current window (without counting). */
int64_t community_count(struct community *c, const char *key, int window_seconds);
/* Forgets counts older than a day (call now and then). */
void community_purge(struct community *c);
#endif
