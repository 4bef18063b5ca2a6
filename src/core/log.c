/* Logging to standard error with timestamps; each line is written with one write(2), so threads neither
 * interleave nor wait for each other (stdio would hold stderr's lock across the system call). While a server
 * runs (log_batch_start), access lines gather in a buffer that one write sends every LOG_BATCH_MS or when it
 * fills: a write(2) per request cost as much as answering a cached page. Any other line sends them first. */
#include "core/log.h"
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_BATCH_MS 100          /* an access line reaches the log at most this late */
#define LOG_BATCH_BYTES (64 * 1024) /* a fuller buffer is written at once */
#define LOG_PATH_MAX 300          /* bytes of a request's path in its access line */

static int quiet, no_access;

/* The access lines waiting to be written, while batching is on. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool on, stop;
	size_t len;
	char buf[LOG_BATCH_BYTES];
} batch = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere to log to: nothing better to do */
		p += w;
		n -= (size_t)w;
	}
}

/* Writes what waits (lock held: lines stay in order). */
static void batch_flush_locked(void)
{
	write_all(batch.buf, batch.len);
	batch.len = 0;
}

static void *batch_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&batch.lock);
	while (!batch.stop) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += LOG_BATCH_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&batch.wake, &batch.lock, &t);
		batch_flush_locked();
	}
	batch_flush_locked();
	pthread_mutex_unlock(&batch.lock);
	return NULL;
}

void log_batch_start(void)
{
	pthread_mutex_lock(&batch.lock);
	bool start = !batch.on;
	batch.on = true;
	batch.stop = false;
	pthread_mutex_unlock(&batch.lock);
	if (start && pthread_create(&batch.thread, NULL, batch_main, NULL) != 0) {
		pthread_mutex_lock(&batch.lock);
		batch.on = false; /* lines are written one by one, as before */
		pthread_mutex_unlock(&batch.lock);
	}
}

void log_batch_stop(void)
{
	pthread_mutex_lock(&batch.lock);
	bool running = batch.on;
	batch.stop = true;
	pthread_cond_signal(&batch.wake);
	pthread_mutex_unlock(&batch.lock);
	if (!running)
		return;
	pthread_join(batch.thread, NULL);
	pthread_mutex_lock(&batch.lock);
	batch.on = false;
	batch_flush_locked();
	pthread_mutex_unlock(&batch.lock);
}

/* Writes one finished line: after the access lines that wait, or into their buffer when it is one of them. */
static void emit(const char *line, size_t n, bool access)
{
	pthread_mutex_lock(&batch.lock);
	if (!batch.on) {
		pthread_mutex_unlock(&batch.lock);
		write_all(line, n);
		return;
	}
	if (!access || batch.len + n > sizeof batch.buf)
		batch_flush_locked();
	if (access && n <= sizeof batch.buf) {
		memcpy(batch.buf + batch.len, line, n);
		batch.len += n;
	} else {
		write_all(line, n);
	}
	pthread_mutex_unlock(&batch.lock);
}

/* The line's timestamp ("2026-01-02T03:04:05Z "), formatted once a second per thread. */
static size_t put_stamp(char *out)
{
	static _Thread_local time_t stamp_sec = -1;
	static _Thread_local char stamp[32];
	static _Thread_local size_t stamp_len;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != stamp_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		stamp_len = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ ", &tm);
		stamp_sec = ts.tv_sec;
	}
	memcpy(out, stamp, stamp_len);
	return stamp_len;
}

void log_set_quiet(int q)
{
	quiet = q;
}

void log_set_access(int on)
{
	no_access = !on;
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	int n = (int)put_stamp(line);
	size_t ln = strlen(level);
	memcpy(line + n, level, ln);
	n += (int)ln;
	line[n++] = ' ';
	if (n < (int)sizeof line)
		n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (n >= (int)sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	emit(line, (size_t)n, false);
}

#define LOG_FN(name, level, skip_when_quiet) \
	void name(const char *fmt, ...) \
	{ \
		if (skip_when_quiet && quiet) \
			return; \
		va_list ap; \
		va_start(ap, fmt); \
		vlog(level, fmt, ap); \
		va_end(ap); \
	}

LOG_FN(log_info, "info", 1)
LOG_FN(log_warn, "warn", 0)
LOG_FN(log_error, "error", 0)

static char *put_str(char *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	memcpy(p, s, n);
	return p + n;
}

static char *put_uint(char *p, unsigned long long v)
{
	char tmp[24];
	size_t n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* The same line as log_info("access %s \"%s %.300s\" %d %lu %.2fms", ...), without printf: one per request. */
void log_access(const char *ip, const char *method, const char *path, int status, unsigned long bytes, double ms)
{
	if (quiet || no_access)
		return;
	char line[64 + 2 * 64 + LOG_PATH_MAX + 3 * 24];
	char *p = line + put_stamp(line);
	p = put_str(p, "info access ", 16);
	p = put_str(p, ip, 64);
	p = put_str(p, " \"", 2);
	p = put_str(p, method, 64);
	*p++ = ' ';
	p = put_str(p, path, LOG_PATH_MAX);
	p = put_str(p, "\" ", 2);
	if (status < 0)
		*p++ = '-', status = -status;
	p = put_uint(p, (unsigned)status);
	*p++ = ' ';
	p = put_uint(p, bytes);
	*p++ = ' ';
	unsigned long long hundredths = ms > 0 && ms < 1e15 ? (unsigned long long)(ms * 100 + 0.5) : 0;
	p = put_uint(p, hundredths / 100);
	*p++ = '.';
	*p++ = (char)('0' + hundredths / 10 % 10);
	*p++ = (char)('0' + hundredths % 10);
	p = put_str(p, "ms\n", 3);
	emit(line, (size_t)(p - line), true);
}
