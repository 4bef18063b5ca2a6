/* Demo content: the embedded sample archive (src/demo/demo.json) a newcomer sees on first start. */
#ifndef QUIRE_DEMO_DEMO_H
#define QUIRE_DEMO_DEMO_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;
struct json_t; /* jansson's json_t */

#define DEMO_ASSET "src/demo/demo.json" /* the embedded file */

/* A demo work once posted: its title in demo.json and its id. */
struct demo_posted {
	const char *title;
	int64_t id;
};

/* Fills a fresh archive with the demo authors and works. Does nothing (returns 0) unless the store
 * holds no user but the orphan_account and no work at all, so a running archive is never touched.
 * Everything goes through the archive layer (sign-up, posting, adding chapters, accepting invitations), so
 * the demo obeys the rules a person would. Demo accounts get a hash of a random, discarded password:
 * nobody can log in as them. 0 on success or when nothing was needed; a negative Q_E* code (logged) on
 * failure. The whole file is parsed and checked against the rules before the first write, so a bad demo
 * file changes nothing; a store failure part-way keeps what was already committed (each workflow is its
 * own transaction). Slow on purpose: one argon2id hash per demo author, at the configured password cost. */
int demo_seed(struct store *st);
/* Wrangles the demo's tags as demo.json's "wrangling" says (demo_tags.c; root: demo.json as read by
 * demo_seed); problems are logged, not fatal. */
int demo_wrangle(struct store *st, struct json_t *root);
/* Leaves the readers' response demo.json's "responses" describes on the posted works (demo_responses.c),
 * by the demo authors just created (users): reviews and the creators' replies, a guest's review, kudos,
 * bookmarks; problems are logged, not fatal. */
int demo_respond(struct store *st, struct json_t *root, const struct demo_posted *works, size_t nworks,
                 const struct user *users, size_t nusers);
#endif
