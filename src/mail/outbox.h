/* The outbox sender: background jobs (core/jobs.h) that send queued mail, retrying with exponential backoff.
 *
 * Mail is queued in the store (table outbox) in the transaction of the write that causes it, so a mail
 * server that is down loses nothing and a restart resumes delivery. The job sleeps until the next
 * row is due or until the store reports new rows; it claims due rows, sends them, and records what
 * happened: sent, retried at now + backoff (MAIL_RETRY_MIN_SECONDS, doubling, at most 6 hours), failed
 * for good (the relay refused it with 5xx, or it was still undelivered 3 days after it was queued), or
 * dropped (nothing to send any more: unsubscribed, work deleted, no account with that address). It
 * never runs on a network thread.
 *
 * Without smtp_url each message is written to a folder instead (mail_dir, default <data>/mail/), one .eml
 * file each (written whole, then renamed into place), and its row recorded as sent: a new self-hoster reads
 * the password-reset link there. mail_dir = off keeps the old way: nothing is sent and mail stays queued
 * until smtp_url is set.
 */
#ifndef QUIRE_MAIL_OUTBOX_H
#define QUIRE_MAIL_OUTBOX_H
#include <stdint.h>
#include "core/config.h"
#include "store/store.h"

#define MAIL_RETRY_MIN_SECONDS 60            /* first retry; QUIRE_MAIL_RETRY_MIN_SECONDS (tests) overrides */
#define MAIL_RETRY_MAX_SECONDS (6 * 3600)    /* the longest wait between attempts */
#define MAIL_GIVE_UP_SECONDS (3 * 24 * 3600) /* undelivered this long after queuing: failed */
#define MAIL_BATCH 20                        /* rows claimed at once by the one server of a store */
/* With several servers on one store, one row at a time: a server that dies leaves at most that one claimed, and
 * the next server sends it again only if the relay had not taken it yet. */
#define MAIL_BATCH_SHARED 1
#define MAIL_KEEP_SECONDS (30 * 24 * 3600)   /* finished rows are kept this long for the record */

struct mail_outbox;
struct jobs;

/* Makes the sender for st with cfg's mail settings (both must outlive it) and adds its jobs to the runner
 * (before jobs_start): "outbox" sends, woken by the store when rows are queued; "outbox_purge" deletes finished
 * rows hourly. Without smtp_url it writes to mail_outbox_dir's folder; with mail_dir = off it only logs that
 * mail stays queued and adds nothing. */
int mail_outbox_start(struct mail_outbox **out, struct store *st, const struct config *cfg, struct jobs *jobs);
/* Frees the sender once the runner has stopped (jobs_stop: a transfer in progress is abandoned and its row
 * retried later). NULL is fine. */
void mail_outbox_free(struct mail_outbox *ob);
/* The folder mail is written to for cfg (into buf), or NULL when mail goes to a relay (smtp_url) or
 * stays queued (mail_dir = off). */
const char *mail_outbox_dir(const struct config *cfg, char *buf, size_t len);
#define MAIL_DIR_LIST 10 /* files the dashboard names, newest first */
struct mail_file {
	char name[64];
	int64_t mtime;
	int64_t size;
};
/* The newest .eml files in dir (at most max), newest first; returns how many. */
size_t mail_outbox_files(const char *dir, struct mail_file *out, size_t max);
/* The wait before the next attempt after `attempts` failed ones: min, 2 min, 4 min ... at most 6 hours. */
int64_t mail_retry_delay(int attempts, int64_t min_seconds);
#endif
