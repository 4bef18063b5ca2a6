/* The outbox sender: two jobs of the job runner, "outbox" (claims due rows, writes and sends their mail, records
 * results) and "outbox_purge" (deletes rows finished long ago). */
#include "mail/outbox.h"
#include "archive/subscriptions.h"
#include "archive/site.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/jobs.h"
#include "core/log.h"
#include "mail/compose.h"
#include "mail/messages.h"
#include "mail/smtp.h"
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IDLE_CHECK_SECONDS 3600 /* with nothing queued, look again this often (and purge old rows) */

struct mail_outbox {
	struct store *st;
	const struct config *cfg;
	char base_url[512];
	int64_t retry_min;
	bool sending;           /* the jobs were added: the store tells of new rows */
	bool curl;              /* curl_global_init succeeded (sending through a relay) */
	char dir[1100];         /* without smtp_url: the folder mail is written to, "" when it stays queued */
	struct mail_context cx; /* the links' site, address and unsubscribe key (loaded by the first round) */
	bool have_key;
	/* The sender and site name in force for this batch: the admins' settings unless the config fixes them. */
	const char *from, *from_name;
};

int64_t mail_retry_delay(int attempts, int64_t min_seconds)
{
	int64_t d = min_seconds > 0 ? min_seconds : 1;
	for (int i = 1; i < attempts && d < MAIL_RETRY_MAX_SECONDS; i++)
		d *= 2;
	return d < MAIL_RETRY_MAX_SECONDS ? d : MAIL_RETRY_MAX_SECONDS;
}

const char *mail_outbox_dir(const struct config *cfg, char *buf, size_t len)
{
	if (*cfg->smtp_url || !strcmp(cfg->mail_dir, "off"))
		return NULL;
	if (*cfg->mail_dir)
		snprintf(buf, len, "%s", cfg->mail_dir);
	else
		snprintf(buf, len, "%s/mail", cfg->data_dir);
	return buf;
}

/* mkdir -p with mode 0700 (the files hold sign-in links). */
static int make_dir(const char *path)
{
	char p[1100];
	snprintf(p, sizeof p, "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* Writes one message to the folder: a temporary name first, renamed once whole, so a reader of the folder
 * never sees half a file. Names sort by time: 20250102-030405-ID.eml (UTC). */
static enum smtp_result write_file(const struct mail_outbox *ob, int64_t id, int64_t now, const struct buf *msg,
                                   char *err, size_t errlen)
{
	char name[1200], tmp[1200], stamp[32];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(name, sizeof name, "%s/%s-%lld.eml", ob->dir, stamp, (long long)id);
	snprintf(tmp, sizeof tmp, "%s/.%lld.tmp", ob->dir, (long long)id);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%.400s could not be written: %s", tmp, strerror(errno));
		return SMTP_TEMPORARY;
	}
	size_t off = 0;
	while (off < msg->len) {
		ssize_t w = write(fd, msg->data + off, msg->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int werr = off == msg->len ? 0 : errno;
	if (close(fd) != 0 && !werr)
		werr = errno;
	if (werr || rename(tmp, name) != 0) {
		snprintf(err, errlen, "%.400s could not be written: %s", name, strerror(werr ? werr : errno));
		unlink(tmp);
		return SMTP_TEMPORARY;
	}
	return SMTP_SENT;
}

static int newest_first(const void *a, const void *b)
{
	const struct mail_file *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return -strcmp(x->name, y->name);
}

size_t mail_outbox_files(const char *dir, struct mail_file *out, size_t max)
{
	DIR *d = max ? opendir(dir) : NULL;
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || len >= sizeof out->name || strcmp(e->d_name + len - 4, ".eml"))
			continue;
		struct stat sb;
		if (fstatat(dirfd(d), e->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
			continue;
		struct mail_file f = {.mtime = (int64_t)sb.st_mtime, .size = (int64_t)sb.st_size};
		memcpy(f.name, e->d_name, len + 1);
		if (n < max) {
			out[n++] = f;
		} else {
			/* Full: replace the oldest kept if this one is newer. */
			qsort(out, n, sizeof *out, newest_first);
			if (newest_first(&f, &out[n - 1]) < 0)
				out[n - 1] = f;
		}
	}
	closedir(d);
	qsort(out, n, sizeof *out, newest_first);
	return n;
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
		const char *from = mail_address(a, ob->from);
		struct mail_message m = {
			.from = ob->from,
			.from_name = ob->from_name,
			.to = mt.to,
			.subject = mt.subject,
			.body = mt.body,
			.list_unsubscribe = mt.list_unsubscribe,
			.message_id = mail_message_id(a, it->id, from),
			.date = now,
		};
		mail_compose(&m, &msg);
		if (*ob->dir)
			r = write_file(ob, it->id, now, &msg, err, sizeof err);
		else if (smtp)
			r = smtp_send(smtp, from, mt.to, msg.data, msg.len, err, sizeof err);
		else
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

static int batch_size(const struct mail_outbox *ob)
{
	return store_has(ob->st, STORE_CAP_SHARED) ? MAIL_BATCH_SHARED : MAIL_BATCH;
}

/* Claims and sends one batch; returns how many rows it claimed (negative on a store error). Each mail is recorded
 * the moment the relay took it (or refused it), so a crash repeats at most the one in flight. Once stop is set,
 * the transfer in progress is abandoned and the rest go back to the queue. */
static int send_batch(struct mail_outbox *ob, const struct mail_context *cx, const atomic_bool *stop)
{
	struct arena *a = arena_new();
	struct outbox_item *items = NULL;
	size_t n = 0, sent = 0, retried = 0, failed = 0;
	int64_t now = (int64_t)time(NULL);
	int rc = store_outbox_claim(ob->st, a, now, batch_size(ob), &items, &n);
	if (rc != 0 || n == 0) {
		arena_free(a);
		return rc ? rc : 0;
	}
	struct site_settings *site = arena_alloc(a, sizeof *site);
	if (site_settings_load(ob->st, ob->cfg, a, site) != 0) {
		snprintf(site->value[SITE_NAME], sizeof site->value[SITE_NAME], "%s", ob->cfg->site_name);
		snprintf(site->value[SITE_MAIL_FROM], sizeof site->value[SITE_MAIL_FROM], "%s", ob->cfg->mail_from);
	}
	ob->from = site->value[SITE_MAIL_FROM];
	ob->from_name = site->value[SITE_NAME];
	struct mail_context bcx = *cx;
	bcx.site_name = site->value[SITE_NAME];
	cx = &bcx;
	struct smtp_config sc = {ob->cfg->smtp_url, ob->cfg->smtp_user, ob->cfg->smtp_password};
	struct smtp *smtp = *ob->dir ? NULL : smtp_new(&sc, stop);
	struct outbox_done *done = arena_calloc(a, n, sizeof *done);
	const char *last_error = NULL;
	for (size_t i = 0; i < n; i++) {
		if (atomic_load(stop)) {
			/* Not attempted: back in the queue at once, this attempt not counted. */
			n = i;
			break;
		}
		send_one(ob, smtp, cx, a, &items[i], now, &done[i]);
		now = (int64_t)time(NULL);
		rc = store_outbox_finish(ob->st, &done[i], 1, now);
		/* The relay has it; the store does not answer (a failover under way): keep trying to record it, so it is
		 * not sent again, until it works or the server stops. */
		for (int tries = 0; rc == Q_EUNAVAIL && !atomic_load(stop) && tries < 600; tries++) {
			nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
			now = (int64_t)time(NULL);
			rc = store_outbox_finish(ob->st, &done[i], 1, now);
		}
		if (rc != 0) {
			/* Sent but not recorded: it may go again (the one mail in flight). No more until the store answers. */
			log_error("mail: recording a mail's result failed (%s): it may be sent again", err_str(rc));
			n = i + 1;
			break;
		}
		sent += done[i].result == OUTBOX_SENT;
		retried += done[i].result == OUTBOX_RETRY;
		failed += done[i].result == OUTBOX_FAILED;
		if (done[i].result == OUTBOX_RETRY || done[i].result == OUTBOX_FAILED)
			last_error = done[i].error;
	}
	smtp_free(smtp);
	if (retried || failed)
		log_warn("mail: %zu sent, %zu to retry, %zu failed; %s", sent, retried, failed, last_error);
	else if (sent && *ob->dir)
		log_info("mail: %zu written to %s", sent, ob->dir);
	else if (sent)
		log_info("mail: %zu sent", sent);
	arena_free(a);
	/* Rows left claimed by a stop go back to the queue (this server's own claims only: another server's are
	 * never touched). */
	if (atomic_load(stop))
		store_outbox_release(ob->st);
	return rc ? rc : (int)n;
}

#define STORE_RETRY_MS 5000 /* the store failed: look again this soon, not in a busy loop */

/* One round of "outbox": a batch sent, then when the next is due (at once while batches come full). */
static int64_t send_round(void *arg, const struct job_round *r)
{
	struct mail_outbox *ob = arg;
	if (!ob->have_key) {
		if (subscriptions_key(ob->st, ob->cx.unsub_key) != 0) {
			log_error("mail: the unsubscribe key could not be loaded; notifications wait until it can");
			return STORE_RETRY_MS;
		}
		ob->have_key = true;
	}
	int64_t now = (int64_t)time(NULL), due = 0;
	int n = send_batch(ob, &ob->cx, r->stopping);
	if (n == batch_size(ob))
		return JOBS_AGAIN; /* more may be due */
	if (n < 0)
		return STORE_RETRY_MS;
	int rc = store_outbox_next_due(ob->st, &due);
	now = (int64_t)time(NULL);
	if (rc == 0 && due <= now)
		return JOBS_AGAIN;
	/* Until the next row is due, a wake-up (new rows), or the idle look. */
	int64_t wait = rc == 0 && due - now < IDLE_CHECK_SECONDS ? due - now : IDLE_CHECK_SECONDS;
	return wait * 1000;
}

/* After the last round: no more wake-ups (the job goes away). */
static void send_drain(void *arg)
{
	struct mail_outbox *ob = arg;
	store_outbox_listen(ob->st, NULL, NULL);
}

/* One round of "outbox_purge": finished rows older than MAIL_KEEP_SECONDS go. */
static int64_t purge_round(void *arg, const struct job_round *r)
{
	struct mail_outbox *ob = arg;
	store_outbox_purge(ob->st, (int64_t)time(NULL) - MAIL_KEEP_SECONDS);
	return (int64_t)IDLE_CHECK_SECONDS * 1000;
}

int mail_outbox_start(struct mail_outbox **out, struct store *st, const struct config *cfg, struct jobs *jobs)
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
	ob->cx = (struct mail_context){.st = st, .site_name = cfg->site_name, .base_url = ob->base_url};
	*out = ob;
	if (!*cfg->smtp_url) {
		if (!mail_outbox_dir(cfg, ob->dir, sizeof ob->dir)) {
			log_warn("mail: smtp_url is not set and mail_dir is off: mail is queued and goes out once smtp_url is "
			         "set");
			return 0;
		}
		if (make_dir(ob->dir) != 0) {
			log_error("mail: smtp_url is not set and %s could not be made (%s): mail is queued", ob->dir,
			          strerror(errno));
			*ob->dir = '\0';
			return 0;
		}
	}
	if (sodium_init() < 0) {
		log_error("mail: libsodium failed to initialise: mail stays queued");
		return 0;
	}
	if (!*ob->dir) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			log_error("mail: libcurl failed to initialise: mail stays queued");
			return 0;
		}
		ob->curl = true;
	}
	/* Rows a sender that is gone claimed and never finished are due again (in a shared store a claim may be another
	 * server's, still sending: the store leaves those alone). */
	store_outbox_release(st);
	/* Exclusive: with several servers on one store, one sends (and purges) at a time. */
	struct job *send = jobs_add(jobs, &(struct job_spec){.name = "outbox", .round = send_round,
	                                                     .drain = send_drain, .arg = ob, .exclusive = true});
	if (!send || !jobs_add(jobs, &(struct job_spec){.name = "outbox_purge", .round = purge_round, .arg = ob,
	                                                .exclusive = true})) {
		log_error("mail: the sender could not be added to the job runner: mail stays queued");
		if (ob->curl)
			curl_global_cleanup();
		ob->curl = false;
		return 0;
	}
	store_outbox_listen(st, jobs_wake_cb, send);
	ob->sending = true;
	if (*ob->dir) {
		log_warn("mail: smtp_url is not set: mail is written to %s, one .eml file each (links point to %s)", ob->dir,
		         ob->base_url);
		return 0;
	}
	/* "smtp://user:pass@host" would put a password in the log: show the host part only. */
	const char *host = strstr(cfg->smtp_url, "://");
	host = host ? host + 3 : cfg->smtp_url;
	const char *at = strchr(host, '@');
	log_info("mail: sending through the relay at %s as %s; links point to %s", at ? at + 1 : host, cfg->mail_from,
	         ob->base_url);
	return 0;
}

void mail_outbox_free(struct mail_outbox *ob)
{
	if (!ob)
		return;
	if (ob->curl)
		curl_global_cleanup();
	sodium_memzero(ob->cx.unsub_key, sizeof ob->cx.unsub_key);
	free(ob);
}
