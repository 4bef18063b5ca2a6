/* The community's housekeeping job ("community", core/jobs.h): sends the day's invitations from the request
 * queue, forgets old counters and purges what moderators deleted over MOD_KEEP_DAYS ago, every few minutes (never on a network thread). Exclusive: with several
 * servers on one store, one runs it at a time (the store also serializes the sending, and the day's number
 * holds across them). */
#include "app/app.h"
#include "archive/community.h"
#include "archive/invitations.h"
#include "archive/moderation.h"
#include "archive/site.h"
#include "core/err.h"
#include "core/jobs.h"
#include "core/log.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOUSEKEEPING_SECONDS 600

struct housekeeping {
	struct web *app;
	int64_t every_ms;
};

static int64_t round_once(void *arg, const struct job_round *r)
{
	(void)r;
	struct housekeeping *h = arg;
	struct community *c = h->app->community;
	struct arena *a = arena_new();
	struct site_settings *s = arena_alloc(a, sizeof *s);
	community_settings(c, s);
	if (!strcmp(s->value[SITE_SIGNUP_MODE], "invitation")) {
		int sent = 0;
		const char *why = NULL;
		if (invite_send_from_queue(c, a, NULL, -1, &sent, &why) != 0)
			log_warn("invitations: %s", why);
		else if (sent)
			log_info("invitations: %d sent from the queue", sent);
	}
	community_purge(c);
	/* What moderators deleted long ago goes for good. */
	int64_t works = 0, posts = 0;
	if (mod_purge(c, a, (int64_t)time(NULL), &works, &posts) != 0)
		log_warn("moderation: purging what was deleted %d days ago failed; it is tried again later", MOD_KEEP_DAYS);
	else if (works || posts)
		log_info("moderation: purged %lld works and %lld comments' and bookmarks' kept text deleted over %d days ago",
		         (long long)works, (long long)posts, MOD_KEEP_DAYS);
	arena_free(a);
	return h->every_ms;
}

static void drain(void *arg)
{
	free(arg);
}

int app_housekeeping_add(struct web *app, struct jobs *jobs)
{
	struct housekeeping *h = calloc(1, sizeof *h);
	if (!h)
		return Q_ERR;
	h->app = app;
	h->every_ms = HOUSEKEEPING_SECONDS * 1000;
	/* For tests only: runs every few seconds instead of minutes. */
	const char *env = getenv("QUIRE_HOUSEKEEPING_SECONDS");
	if (env && atoi(env) > 0)
		h->every_ms = (int64_t)atoi(env) * 1000;
	struct job_spec spec = {.name = "community", .round = round_once, .drain = drain, .arg = h, .exclusive = true};
	if (!jobs_add(jobs, &spec)) {
		free(h);
		return Q_ERR;
	}
	return 0;
}
