/* The outbox sender thread: claims due rows, writes and sends their mail, records results, sleeps. */
#include "mail/outbox.h"
#include "archive/subscriptions.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/log.h"
#include "mail/compose.h"
#include "mail/messages.h"
#include "mail/smtp.h"
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IDLE_CHECK_SECONDS 3600 /* with nothing queued, look again this often (and purge old rows) */

struct mail_outbox {
	struct store *st;
	const struct config *cfg;
	char base_url[512];
	int64_t retry_min;
	bool running;           /* a thread was started */
	pthread_t thread;
	pthread_mutex_t lock;   /* guards woken */
	pthread_cond_t cond;
	bool woken;             /* rows were added since the thread last looked */
	atomic_bool stop;
	int64_t last_purge;
};

int64_t mail_retry_delay(int attempts, int64_t min_seconds)
{
	int64_t d = min_seconds > 0 ? min_seconds : 1;
	for (int i = 1; i < attempts && d < MAIL_RETRY_MAX_SECONDS; i++)
		d *= 2;
	return d < MAIL_RETRY_MAX_SECONDS ? d : MAIL_RETRY_MAX_SECONDS;
}

/* The store's listener: runs on whichever thread wrote the rows, inside its transaction. */
static void wake(void *arg)
{
	struct mail_outbox *ob = arg;
	pthread_mutex_lock(&ob->lock);
	if (!ob->woken) {
		ob->woken = true;
		pthread_cond_signal(&ob->cond);
	}
	pthread_mutex_unlock(&ob->lock);
}

/* Sleeps until `until` (unix seconds; 0 = IDLE_CHECK_SECONDS from now), a wake-up or stop. */
static void sleep_until(struct mail_outbox *ob, int64_t until)
{
	int64_t now = (int64_t)time(NULL);
	if (until <= 0 || until > now + IDLE_CHECK_SECONDS)
		until = now + IDLE_CHECK_SECONDS;
	struct timespec ts = {.tv_sec = (time_t)until, .tv_nsec = 0};
	pthread_mutex_lock(&ob->lock);
	while (!ob->woken && !atomic_load(&ob->stop) && (int64_t)time(NULL) < until)
		if (pthread_cond_timedwait(&ob->cond, &ob->lock, &ts) == ETIMEDOUT)
			break;
	ob->woken = false;
	pthread_mutex_unlock(&ob->lock);
}

/* What became of one claimed row. */
static void send_one(struct mail_outbox *ob, struct smtp *smtp, const struct mail_context *cx, struct arena *a,
                     const struct outbox_item *it, int64_t now, struct outbox_done *d)
{
	struct mail_text mt;
	char err[512] = "";
	enum smtp_result r = SMTP_TEMPORARY;
	d->id = it->id;
	if (mail_message_for(cx, a, it, now, &mt) != 0) {
		snprintf(err, sizeof err, "the mail's link could not be stored");
	} else if (mt.drop) {
		d->result = OUTBOX_DROPPED;
		d->error = mt.drop;
		return;
	} else if (!mt.to || !*mt.to || strpbrk(mt.to, " \t\r\n<>\"") || !strchr(mt.to, '@')) {
		/* Addresses are checked when typed; one edited into the database never reaches a header. */
		d->result = OUTBOX_FAILED;
		d->error = "the recipient's address is not valid";
		return;
	} else {
		struct buf msg = BUF_INIT;
		const char *from = mail_address(a, ob->cfg->mail_from);
		struct mail_message m = {
			.from = ob->cfg->mail_from,
			.from_name = ob->cfg->site_name,
			.to = mt.to,
			.subject = mt.subject,
			.body = mt.body,
			.list_unsubscribe = mt.list_unsubscribe,
			.message_id = mail_message_id(a, it->id, from),
			.date = now,
		};
		mail_compose(&m, &msg);
		r = smtp ? smtp_send(smtp, from, mt.to, msg.data, msg.len, err, sizeof err) : SMTP_TEMPORARY;
		if (!smtp)
			snprintf(err, sizeof err, "libcurl could not start");
		buf_free(&msg);
	}
	if (r == SMTP_SENT) {
		d->result = OUTBOX_SENT;
		return;
	}
	d->error = arena_strdup(a, err);
	int64_t next = now + mail_retry_delay(it->attempts, ob->retry_min);
	if (r == SMTP_PERMANENT) {
		d->result = OUTBOX_FAILED;
	} else if (next - it->created_at > MAIL_GIVE_UP_SECONDS) {
		d->result = OUTBOX_FAILED;
		d->error = arena_printf(a, "gave up after %d attempts over 3 days; last: %s", it->attempts, err);
	} else {
		d->result = OUTBOX_RETRY;
		d->next_attempt_at = next;
	}
}

/* Claims and sends one batch; returns how many rows it claimed (negative on a store error). */
static int send_batch(struct mail_outbox *ob, const struct mail_context *cx)
{
	struct arena *a = arena_new();
	struct outbox_item *items = NULL;
	size_t n = 0, sent = 0, retried = 0, failed = 0;
	int64_t now = (int64_t)time(NULL);
	int rc = store_outbox_claim(ob->st, a, now, MAIL_BATCH, &items, &n);
	if (rc != 0 || n == 0) {
		arena_free(a);
		return rc ? rc : 0;
	}
	struct smtp_config sc = {ob->cfg->smtp_url, ob->cfg->smtp_user, ob->cfg->smtp_password};
	struct smtp *smtp = smtp_new(&sc, &ob->stop);
	struct outbox_done *done = arena_calloc(a, n, sizeof *done);
	const char *last_error = NULL;
	for (size_t i = 0; i < n; i++) {
		if (atomic_load(&ob->stop)) {
			/* Not attempted: back in the queue at once, this attempt not counted. */
			n = i;
			break;
		}
		send_one(ob, smtp, cx, a, &items[i], now, &done[i]);
		sent += done[i].result == OUTBOX_SENT;
		retried += done[i].result == OUTBOX_RETRY;
		failed += done[i].result == OUTBOX_FAILED;
		if (done[i].result == OUTBOX_RETRY || done[i].result == OUTBOX_FAILED)
			last_error = done[i].error;
		now = (int64_t)time(NULL);
	}
	smtp_free(smtp);
	rc = store_outbox_finish(ob->st, done, n, now);
	if (rc != 0)
		log_error("mail: recording the results of %zu mails failed: %s", n, err_str(rc));
	if (retried || failed)
		log_warn("mail: %zu sent, %zu to retry, %zu failed; %s", sent, retried, failed, last_error);
	else if (sent)
		log_info("mail: %zu sent", sent);
	arena_free(a);
	/* Rows left claimed by a stop go back to the queue. */
	if (atomic_load(&ob->stop))
		store_outbox_release(ob->st);
	return rc ? rc : (int)n;
}

static void *run(void *arg)
{
	struct mail_outbox *ob = arg;
	struct mail_context cx = {.st = ob->st, .site_name = ob->cfg->site_name, .base_url = ob->base_url};
	if (subscriptions_key(ob->st, cx.unsub_key) != 0)
		log_error("mail: the unsubscribe key could not be loaded; notifications wait until it can");
	while (!atomic_load(&ob->stop)) {
		int64_t now = (int64_t)time(NULL), due = 0;
		if (now - ob->last_purge >= IDLE_CHECK_SECONDS) {
			store_outbox_purge(ob->st, now - MAIL_KEEP_SECONDS);
			ob->last_purge = now;
		}
		int n = send_batch(ob, &cx);
		if (n == MAIL_BATCH)
			continue; /* more may be due */
		if (n < 0) {
			sleep_until(ob, now + 5); /* the store failed: not a busy loop */
			continue;
		}
		int rc = store_outbox_next_due(ob->st, &due);
		if (rc == 0 && due <= (int64_t)time(NULL))
			continue;
		sleep_until(ob, rc == 0 ? due : 0);
	}
	sodium_memzero(cx.unsub_key, sizeof cx.unsub_key);
	return NULL;
}

int mail_outbox_start(struct mail_outbox **out, struct store *st, const struct config *cfg)
{
	struct mail_outbox *ob = xcalloc(1, sizeof *ob);
	ob->st = st;
	ob->cfg = cfg;
	config_base_url(cfg, ob->base_url, sizeof ob->base_url);
	ob->retry_min = MAIL_RETRY_MIN_SECONDS;
	/* For tests only: retries within seconds instead of minutes. */
	const char *env = getenv("QUIRE_MAIL_RETRY_MIN_SECONDS");
	if (env && atoll(env) > 0)
		ob->retry_min = atoll(env);
	pthread_mutex_init(&ob->lock, NULL);
	pthread_cond_init(&ob->cond, NULL);
	atomic_init(&ob->stop, false);
	*out = ob;
	if (!*cfg->smtp_url) {
		log_warn("mail: smtp_url is not set: mail is queued and goes out once it is set");
		return 0;
	}
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("mail: libcurl failed to initialise: mail stays queued");
		return 0;
	}
	/* Rows a previous process claimed and never finished are due again; in a shared store a claim may be
	 * another server's, still sending: the store's lease on claims decides there (STORE_CAP_SKIP_LOCKED). */
	if (!store_has(st, STORE_CAP_SHARED))
		store_outbox_release(st);
	store_outbox_listen(st, wake, ob);
	if (pthread_create(&ob->thread, NULL, run, ob) != 0) {
		log_error("mail: the sender thread could not start: mail stays queued");
		store_outbox_listen(st, NULL, NULL);
		curl_global_cleanup();
		return 0;
	}
	ob->running = true;
	/* "smtp://user:pass@host" would put a password in the log: show the host part only. */
	const char *host = strstr(cfg->smtp_url, "://");
	host = host ? host + 3 : cfg->smtp_url;
	const char *at = strchr(host, '@');
	log_info("mail: sending through the relay at %s as %s; links point to %s", at ? at + 1 : host, cfg->mail_from,
	         ob->base_url);
	return 0;
}

void mail_outbox_stop(struct mail_outbox *ob)
{
	if (!ob)
		return;
	if (ob->running) {
		store_outbox_listen(ob->st, NULL, NULL);
		atomic_store(&ob->stop, true);
		pthread_mutex_lock(&ob->lock);
		pthread_cond_signal(&ob->cond);
		pthread_mutex_unlock(&ob->lock);
		pthread_join(ob->thread, NULL);
		curl_global_cleanup();
	}
	pthread_cond_destroy(&ob->cond);
	pthread_mutex_destroy(&ob->lock);
	free(ob);
}
