/* Logging to standard error with timestamps; each line is written with one write(2), so threads neither
 * interleave nor wait for each other (stdio would hold stderr's lock across the system call). */
#include "core/log.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet, no_access;

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
	/* The timestamp is formatted once a second per thread: the access log writes a line per request. */
	static _Thread_local time_t stamp_sec = -1;
	static _Thread_local char stamp[32];
	static _Thread_local int stamp_len;
	char line[2048];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != stamp_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		stamp_len = (int)strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ ", &tm);
		stamp_sec = ts.tv_sec;
	}
	memcpy(line, stamp, (size_t)stamp_len);
	size_t ln = strlen(level);
	memcpy(line + stamp_len, level, ln);
	int n = stamp_len + (int)ln;
	line[n++] = ' ';
	if (n < (int)sizeof line)
		n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (n >= (int)sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	for (const char *p = line; n > 0;) {
		ssize_t w = write(STDERR_FILENO, p, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* nowhere to log to: nothing better to do */
		p += w;
		n -= (int)w;
	}
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

void log_access(const char *ip, const char *method, const char *path, int status, unsigned long bytes, double ms)
{
	if (quiet || no_access)
		return;
	log_info("access %s \"%s %.300s\" %d %lu %.2fms", ip, method, path, status, bytes, ms);
}
