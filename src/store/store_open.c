/* store_open: picks the backend from the URL's scheme; the table of backends lives here. */
#include "store/store.h"
#include "core/err.h"
#include "store/store_backend.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A backend registers by adding a line: its scheme and its entry point, or NULL with the reason
 * it is missing from this build. */
static const struct {
	const char *scheme;
	store_open_fn open;
	const char *missing;
} backends[] = {
	{"sqlite", store_sqlite_open, NULL},
};

/* PostgreSQL's URLs go to libpq whole (postgres:// and postgresql:// alike). */
static const char *const pg_schemes[] = {"postgres", "postgresql"};

/* Length of the URL's scheme (RFC 3986: a letter, then letters, digits, '+', '-', '.'), followed
 * by ':'; 0 when the text has none and is a plain path. */
static size_t scheme_len(const char *url)
{
	size_t n = 0;
	if (!isalpha((unsigned char)url[0]))
		return 0;
	while (isalnum((unsigned char)url[n]) || url[n] == '+' || url[n] == '-' || url[n] == '.')
		n++;
	return url[n] == ':' ? n : 0;
}

int store_open(struct store **out, const char *url, char *err, size_t errlen)
{
	return store_open_with(out, url, NULL, err, errlen);
}

int store_open_with(struct store **out, const char *url, const struct store_options *opt, char *err, size_t errlen)
{
	*out = NULL;
	if (!url || !*url) {
		snprintf(err, errlen, "no store given (want sqlite:PATH)");
		return Q_EINVAL;
	}
	size_t n = scheme_len(url);
	if (n == 0)
		return store_sqlite_open(out, url, err, errlen);
	for (size_t i = 0; i < sizeof pg_schemes / sizeof pg_schemes[0]; i++)
		if (strlen(pg_schemes[i]) == n && strncasecmp(url, pg_schemes[i], n) == 0)
			return store_pg_open(out, url, opt, err, errlen);
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
		if (strlen(backends[i].scheme) != n || strncasecmp(url, backends[i].scheme, n) != 0)
			continue;
		if (!backends[i].open) {
			snprintf(err, errlen, "%s", backends[i].missing ? backends[i].missing : "not in this build");
			return Q_EINVAL;
		}
		if (!url[n + 1]) {
			snprintf(err, errlen, "%.*s: needs a location after the ':'", (int)n, url);
			return Q_EINVAL;
		}
		return backends[i].open(out, url + n + 1, err, errlen);
	}
	snprintf(err, errlen, "unknown store \"%.*s:\" (want sqlite:PATH or postgres://...)", (int)n, url);
	return Q_EINVAL;
}
