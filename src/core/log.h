/* Logging to standard error: one line per event, with a UTC timestamp and level. Thread-safe. */
#ifndef QUIRE_CORE_LOG_H
#define QUIRE_CORE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Access log: method path status bytes duration, one line per request. */
void log_access(const char *ip, const char *method, const char *path, int status, unsigned long bytes, double ms);
/* Silences info and access lines (tests, CLI commands). */
void log_set_quiet(int quiet);
/* While a server runs: access lines are written in batches (at most 0.1 s late; every other line writes
 * them first, so the log stays in order). stop writes what waits; lines are written one by one again. */
void log_batch_start(void);
void log_batch_stop(void);
/* Turns the access log alone off or on (config access_log, e.g. behind a proxy that logs requests). */
void log_set_access(int on);
#endif
