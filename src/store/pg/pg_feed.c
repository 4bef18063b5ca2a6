/* PostgreSQL backend: the change feed between servers. Each write transaction that changed something a cache shows
 * sends NOTIFY in the transaction itself (delivered only if it commits, and only after); each server LISTENs on a
 * connection of its own and feeds what other servers committed into its change feed and response versions. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The payload of a notification, in words separated by spaces: the sender's id (16 hex digits), then w<id>
 * (a work changed), u<id> (a user's pages), s<id> (a series), r<id> (a response write on a work), c<id> (a new
 * comment on a work: its version moves at once), o (mail was queued: the sender of the job's server wakes), "*" (anything
 * may have changed: drop everything), "r*" (response writes on many works). PostgreSQL refuses payloads of
 * 8000 bytes or more; a longer list becomes "*". */
#define FEED_PAYLOAD_MAX 7900
/* How long the listener waits before connecting again after losing its connection. */
#define FEED_RECONNECT_MS 1000

struct pgs_feed {
	struct pg *s;
	pthread_t thread;
	bool running;
	int wake[2];             /* a byte written here stops the thread */
};

void pgs_feed_id(struct pg *s)
{
	unsigned char id[8];
	randombytes_buf(id, sizeof id);
	sodium_bin2hex(s->feed_id, sizeof s->feed_id, id, sizeof id);
	do {
		randombytes_buf(&s->holder, sizeof s->holder);
		s->holder &= INT64_MAX;
	} while (s->holder == 0);
}

size_t pgs_feed_payload(const struct store_changes *ch, const int64_t *resp, const bool *now, size_t nresp,
                        bool resp_all, bool mail, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	if (mail)
		len += (size_t)snprintf(buf + len, cap - len, " o");
	if (ch->overflow) {
		len += (size_t)snprintf(buf + len, cap - len, " *");
		return len;
	}
	/* One letter per kind of change; a kind without one (added later and not taught here) makes the other
	 * servers drop everything, the safe answer. */
	static const char kinds[] = {[STORE_CHANGE_WORK] = 'w', [STORE_CHANGE_USER] = 'u', [STORE_CHANGE_SERIES] = 's',
	                             [STORE_CHANGE_COLLECTION] = 'k'};
	for (size_t i = 0; i < ch->n && len < cap; i++) {
		unsigned k = (unsigned)ch->items[i].kind;
		if (k >= sizeof kinds || !kinds[k]) {
			len = (size_t)snprintf(buf, cap, "%s *", mail ? " o" : "");
			return len;
		}
		len += (size_t)snprintf(buf + len, cap - len, " %c%" PRId64, kinds[k], ch->items[i].id);
	}
	if (resp_all && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, " r*");
	for (size_t i = 0; !resp_all && i < nresp && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, " %c%" PRId64, now[i] ? 'c' : 'r', resp[i]);
	if (len >= cap || len > FEED_PAYLOAD_MAX)
		len = (size_t)snprintf(buf, cap, " o *");
	return len;
}

/* Wakes this server's mail sender (store_outbox_listen), which claims the mail if it leads the job. */
static void wake_sender(struct pg *s)
{
	pthread_mutex_lock(&s->listen_lock);
	if (s->outbox_fn)
		s->outbox_fn(s->outbox_arg);
	pthread_mutex_unlock(&s->listen_lock);
}

/* Everything may have changed (a lost connection, an oversized payload): every cache drops everything, every
 * work's response version moves, and mail may have been queued. */
static void drop_everything(struct pg *s)
{
	wake_sender(s);
	struct store_changes ch = {.overflow = true};
	store_changes_emit(&s->base, &ch);
	store_response_changed_all(&s->base);
}

/* Applies one notification from another process. */
static void apply(struct pg *s, const char *payload)
{
	if (!strncmp(payload, s->feed_id, 16) && payload[16] == ' ')
		return; /* our own: the commit's thread told our subscribers already */
	const char *p = strchr(payload, ' ');
	struct store_changes ch;
	store_changes_clear(&ch);
	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char kind = *p++;
		if (kind == 'o' && (*p == ' ' || !*p)) {
			wake_sender(s); /* mail was queued elsewhere: if this server sends, it sends it now */
			continue;
		}
		if (*p == '*') {
			if (kind == 'r')
				store_response_changed_all(&s->base);
			else
				ch.overflow = true;
			p++;
		} else if (kind == '*') {
			ch.overflow = true;
		} else {
			char *end;
			long long id = strtoll(p, &end, 10);
			if (end == p || id <= 0) {
				ch.overflow = true; /* not ours to understand: the safe answer */
				break;
			}
			p = end;
			if (kind == 'w')
				store_changes_add(&ch, STORE_CHANGE_WORK, id);
			else if (kind == 'u')
				store_changes_add(&ch, STORE_CHANGE_USER, id);
			else if (kind == 's')
				store_changes_add(&ch, STORE_CHANGE_SERIES, id);
			else if (kind == 'k')
				store_changes_add(&ch, STORE_CHANGE_COLLECTION, id);
			else if (kind == 'r')
				store_response_changed(&s->base, id);
			else if (kind == 'c')
				store_response_changed_now(&s->base, id);
			else
				ch.overflow = true;
		}
	}
	store_changes_emit(&s->base, &ch);
}

/* Connects and LISTENs; NULL when the database does not answer (err says why). */
static PGconn *listen_connect(struct pg *s, char *err, size_t errlen)
{
	struct pgc *c;
	if (pgs_connect(s->conninfo, &c, err, errlen))
		return NULL;
	PGconn *db = c->db;
	free(c); /* the connection is kept, the pool's wrapper is not */
	PGresult *r = PQexec(db, "LISTEN quire_changes");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
	PQclear(r);
	if (!ok) {
		PQfinish(db);
		return NULL;
	}
	return db;
}

/* Waits up to ms for the database's socket (fd, -1: none) or the stop pipe; true when stopping. */
static bool wait_for(struct pgs_feed *f, int fd, int ms)
{
	struct pollfd p[2] = {{.fd = f->wake[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
	int n = poll(p, fd >= 0 ? 2 : 1, ms);
	return n > 0 && (p[0].revents & POLLIN);
}

static void *listen_thread(void *arg)
{
	struct pgs_feed *f = arg;
	struct pg *s = f->s;
	bool lost = false;
	for (;;) {
		char err[512];
		PGconn *db = listen_connect(s, err, sizeof err);
		if (!db) {
			if (!lost)
				log_error("store: the change feed cannot listen on the %s: %s (pages cached meanwhile are dropped "
				          "once it can)", s->where, err);
			lost = true;
			if (wait_for(f, -1, FEED_RECONNECT_MS))
				return NULL;
			continue;
		}
		if (lost) {
			/* Whatever other servers committed while we were not listening is unknown: drop it all. */
			log_info("store: the change feed listens on the %s again", s->where);
			drop_everything(s);
			lost = false;
		}
		atomic_store(&s->feed_listening, true);
		while (!lost) {
			if (wait_for(f, PQsocket(db), -1)) {
				atomic_store(&s->feed_listening, false);
				PQfinish(db);
				return NULL;
			}
			if (!PQconsumeInput(db)) {
				lost = true;
				break;
			}
			PGnotify *n;
			while ((n = PQnotifies(db))) {
				apply(s, n->extra);
				PQfreemem(n);
			}
			if (PQstatus(db) != CONNECTION_OK)
				lost = true;
		}
		atomic_store(&s->feed_listening, false);
		log_error("store: the change feed lost its connection to the %s: %s", s->where, PQerrorMessage(db));
		PQfinish(db);
		/* Commits may go unheard from now on: nothing cached can be trusted. */
		drop_everything(s);
	}
}

int pgs_feed_start(struct store *st)
{
	struct pg *s = pgs_of(st);
	if (s->feed)
		return 0;
	struct pgs_feed *f = xcalloc(1, sizeof *f);
	f->s = s;
	if (pipe(f->wake) != 0) {
		free(f);
		return -1;
	}
	fcntl(f->wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(f->wake[1], F_SETFD, FD_CLOEXEC);
	if (pthread_create(&f->thread, NULL, listen_thread, f) != 0) {
		close(f->wake[0]);
		close(f->wake[1]);
		free(f);
		return -1;
	}
	f->running = true;
	s->feed = f;
	/* Subscribers need the feed from their first page on: wait (up to 10 s) until it listens. */
	for (int i = 0; i < 1000 && !atomic_load(&s->feed_listening); i++)
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	return 0;
}

void pgs_feed_stop(struct pg *s)
{
	struct pgs_feed *f = s->feed;
	if (!f)
		return;
	if (f->running) {
		ssize_t w;
		do
			w = write(f->wake[1], "x", 1);
		while (w < 0 && errno == EINTR);
		pthread_join(f->thread, NULL);
	}
	close(f->wake[0]);
	close(f->wake[1]);
	free(f);
	s->feed = NULL;
}
