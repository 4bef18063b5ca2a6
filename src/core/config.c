/* Configuration keys, their parsing, and the file and environment sources. */
#include "core/config.h"
#include "core/err.h"
#include "core/netaddr.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
	c->listen_port = 8080;
	snprintf(c->data_dir, sizeof c->data_dir, "./var");
	c->body_limit = 8u << 20;
	c->header_limit = 16384;
	c->url_limit = 8192;
	c->timeout = 30;
	snprintf(c->password_cost, sizeof c->password_cost, "interactive");
	c->demo = true;
	c->session_days = 30;
	c->page_cache = true;
	c->access_log = true;
	c->page_cache_bytes = 64u << 20;
	snprintf(c->site_name, sizeof c->site_name, "Quire");
	snprintf(c->dictionaries, sizeof c->dictionaries, "/usr/share/hunspell");
	snprintf(c->mail_from, sizeof c->mail_from, "quire@localhost");
	c->work_queue = 256;
	c->password_concurrency = 2;
	c->per_ip_connections = 64;
	snprintf(c->media_hosts, sizeof c->media_hosts, "ao3");
}

static int parse_uint(const char *v, unsigned long long max, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!*v || !isdigit((unsigned char)*v))
		return Q_EINVAL;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end || n > max)
		return Q_EINVAL;
	*out = n;
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
		*out = false;
	else
		return Q_EINVAL;
	return 0;
}

static int parse_listen(struct config *c, const char *v)
{
	const char *colon = strrchr(v, ':');
	unsigned long long port;
	if (!colon || colon == v || parse_uint(colon + 1, 65535, &port) != 0)
		return Q_EINVAL;
	size_t hlen = (size_t)(colon - v);
	if (v[0] == '[' && colon[-1] == ']') /* [::1]:8080 */
		v++, hlen -= 2;
	if (hlen >= sizeof c->listen_host)
		return Q_EINVAL;
	memcpy(c->listen_host, v, hlen);
	c->listen_host[hlen] = '\0';
	c->listen_port = (unsigned)port;
	return 0;
}

static int copy_str(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap)
		return Q_EINVAL;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* ---- mail ---- */

static bool has_prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

/* No control characters: these values end up in mail headers and URLs. */
static bool printable(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return false;
	return true;
}

static int parse_smtp_url(struct config *c, const char *v)
{
	if (*v && (!printable(v) || (!has_prefix(v, "smtp://") && !has_prefix(v, "smtps://"))))
		return Q_EINVAL;
	return copy_str(c->smtp_url, sizeof c->smtp_url, v);
}

static int parse_mail_from(struct config *c, const char *v)
{
	if (!printable(v) || !strchr(v, '@'))
		return Q_EINVAL;
	return copy_str(c->mail_from, sizeof c->mail_from, v);
}

static int parse_base_url(struct config *c, const char *v)
{
	size_t n = strlen(v);
	if (*v && (!printable(v) || strchr(v, ' ') || (!has_prefix(v, "http://") && !has_prefix(v, "https://"))))
		return Q_EINVAL;
	while (n && v[n - 1] == '/') /* links are built as base_url + "/path" */
		n--;
	if (n >= sizeof c->base_url)
		return Q_EINVAL;
	memcpy(c->base_url, v, n);
	c->base_url[n] = '\0';
	return 0;
}

static int parse_proxies(struct config *c, const char *v)
{
	struct netaddr_range r[NETADDR_LIST_MAX];
	size_t n;
	if (netaddr_list_parse(v, r, NETADDR_LIST_MAX, &n) != 0)
		return Q_EINVAL;
	return copy_str(c->trusted_proxies, sizeof c->trusted_proxies, v);
}

static void note_source(struct config *c, const char *key, const char *from)
{
	unsigned i = 0;
	while (i < c->nsources && strcmp(c->sources[i].key, key))
		i++;
	if (i == sizeof c->sources / sizeof c->sources[0])
		return;
	snprintf(c->sources[i].key, sizeof c->sources[i].key, "%s", key);
	snprintf(c->sources[i].from, sizeof c->sources[i].from, "%s", from);
	if (i == c->nsources)
		c->nsources++;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	unsigned long long n;
	int rc = Q_EINVAL;
	if (!strcmp(key, "listen"))
		rc = parse_listen(c, value);
	else if (!strcmp(key, "data"))
		rc = copy_str(c->data_dir, sizeof c->data_dir, value);
	else if (!strcmp(key, "store"))
		rc = copy_str(c->store, sizeof c->store, value);
	else if (!strcmp(key, "store_read"))
		rc = copy_str(c->store_read, sizeof c->store_read, value);
	else if (!strcmp(key, "store_pool"))
		rc = parse_uint(value, 1000, &n) ? Q_EINVAL : (c->store_pool = (unsigned)n, 0);
	else if (!strcmp(key, "threads"))
		rc = parse_uint(value, 256, &n) ? Q_EINVAL : (c->threads = (unsigned)n, 0);
	else if (!strcmp(key, "body_limit"))
		rc = parse_uint(value, 1ull << 32, &n) || n < 1024 ? Q_EINVAL : (c->body_limit = n, 0);
	else if (!strcmp(key, "header_limit"))
		rc = parse_uint(value, 1u << 20, &n) || n < 1024 ? Q_EINVAL : (c->header_limit = n, 0);
	else if (!strcmp(key, "url_limit"))
		rc = parse_uint(value, 1u << 20, &n) || n < 256 ? Q_EINVAL : (c->url_limit = n, 0);
	else if (!strcmp(key, "timeout"))
		rc = parse_uint(value, 3600, &n) || n < 1 ? Q_EINVAL : (c->timeout = (unsigned)n, 0);
	else if (!strcmp(key, "secure_cookies"))
		rc = parse_bool(value, &c->secure_cookies);
	else if (!strcmp(key, "password_cost")) {
		if (!strcmp(value, "min") || !strcmp(value, "interactive") || !strcmp(value, "moderate"))
			rc = copy_str(c->password_cost, sizeof c->password_cost, value);
	} else if (!strcmp(key, "demo"))
		rc = parse_bool(value, &c->demo);
	else if (!strcmp(key, "session_days"))
		rc = parse_uint(value, 3650, &n) || n < 1 ? Q_EINVAL : (c->session_days = (unsigned)n, 0);
	else if (!strcmp(key, "page_cache"))
		rc = parse_bool(value, &c->page_cache);
	else if (!strcmp(key, "access_log"))
		rc = parse_bool(value, &c->access_log);
	else if (!strcmp(key, "page_cache_bytes"))
		rc = parse_uint(value, 1ull << 40, &n) ? Q_EINVAL : (c->page_cache_bytes = n, 0);
	else if (!strcmp(key, "site_name"))
		rc = copy_str(c->site_name, sizeof c->site_name, value);
	else if (!strcmp(key, "dictionaries"))
		rc = copy_str(c->dictionaries, sizeof c->dictionaries, value);
	else if (!strcmp(key, "workers"))
		rc = parse_uint(value, 256, &n) ? Q_EINVAL : (c->workers = (unsigned)n, 0);
	else if (!strcmp(key, "work_queue"))
		rc = parse_uint(value, 100000, &n) || n < 1 ? Q_EINVAL : (c->work_queue = (unsigned)n, 0);
	else if (!strcmp(key, "password_concurrency"))
		rc = parse_uint(value, 64, &n) || n < 1 ? Q_EINVAL : (c->password_concurrency = (unsigned)n, 0);
	else if (!strcmp(key, "per_ip_connections"))
		rc = parse_uint(value, 1000000, &n) ? Q_EINVAL : (c->per_ip_connections = (unsigned)n, 0);
	else if (!strcmp(key, "max_connections"))
		rc = parse_uint(value, 1000000, &n) ? Q_EINVAL : (c->max_connections = (unsigned)n, 0);
	else if (!strcmp(key, "trusted_proxies"))
		rc = parse_proxies(c, value);
	else if (!strcmp(key, "media_hosts"))
		rc = printable(value) ? copy_str(c->media_hosts, sizeof c->media_hosts, value) : Q_EINVAL;
	/* ---- mail ---- */
	else if (!strcmp(key, "smtp_url"))
		rc = parse_smtp_url(c, value);
	else if (!strcmp(key, "smtp_user"))
		rc = printable(value) ? copy_str(c->smtp_user, sizeof c->smtp_user, value) : Q_EINVAL;
	else if (!strcmp(key, "smtp_password"))
		rc = printable(value) ? copy_str(c->smtp_password, sizeof c->smtp_password, value) : Q_EINVAL;
	else if (!strcmp(key, "mail_from"))
		rc = parse_mail_from(c, value);
	else if (!strcmp(key, "base_url"))
		rc = parse_base_url(c, value);
	else if (!strcmp(key, "require_email_confirmation"))
		rc = parse_bool(value, &c->require_email_confirmation);
	/* ---- Running a community ---- */
	else if (!strcmp(key, "signup_mode"))
		rc = !strcmp(value, "open") || !strcmp(value, "closed") || !strcmp(value, "invitation")
		             ? copy_str(c->signup_mode, sizeof c->signup_mode, value) : Q_EINVAL;
	else if (!strcmp(key, "site_description"))
		rc = printable(value) ? copy_str(c->site_description, sizeof c->site_description, value) : Q_EINVAL;
	else if (!strcmp(key, "invitations_per_day"))
		rc = parse_uint(value, 10000, &n) ? Q_EINVAL : (c->invitations_per_day = (unsigned)n, 0);
	else if (!strcmp(key, "mail_dir"))
		rc = copy_str(c->mail_dir, sizeof c->mail_dir, value);
	else {
		snprintf(err, errlen, "unknown setting \"%s\"", key);
		return Q_EINVAL;
	}
	if (rc)
		snprintf(err, errlen, "bad value for %s: \"%s\"", key, strcmp(key, "smtp_password") ? value : "(hidden)");
	else if (c->loading) /* remembered: an admin page shows the value as fixed, and by whom */
		note_source(c, key, c->loading);
	return rc;
}

const char *config_source(const struct config *c, const char *key)
{
	for (unsigned i = 0; i < c->nsources; i++)
		if (!strcmp(c->sources[i].key, key))
			return c->sources[i].from;
	return NULL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return Q_ENOTFOUND;
	}
	char line[8192]; /* media_hosts can be long */
	int lineno = 0, rc = 0;
	c->loading = "the config file";
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = Q_EINVAL;
			break;
		}
		*eq = '\0';
		char msg[256];
		if (config_set(c, trim(s), trim(eq + 1), msg, sizeof msg) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = Q_EINVAL;
			break;
		}
	}
	fclose(f);
	c->loading = NULL;
	return rc;
}

int config_load_env(struct config *c, char *err, size_t errlen)
{
	static const char *keys[] = {"listen", "data", "store", "store_pool", "store_read", "threads", "body_limit", "header_limit", "url_limit",
	                             "timeout", "secure_cookies", "password_cost", "demo", "session_days",
	                             "page_cache", "page_cache_bytes", "site_name", "access_log", "dictionaries",
	                             "workers", "work_queue", "password_concurrency",
	                             "per_ip_connections", "max_connections", "trusted_proxies", "media_hosts",
	                             /* mail */
	                             "smtp_url", "smtp_user", "smtp_password", "mail_from", "base_url",
	                             "require_email_confirmation",
	                             /* running a community */
	                             "signup_mode", "site_description", "invitations_per_day", "mail_dir"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char name[64] = "QUIRE_";
		for (size_t j = 0; keys[i][j] && j < 50; j++)
			name[6 + j] = (char)toupper((unsigned char)keys[i][j]), name[7 + j] = '\0';
		const char *v = getenv(name);
		if (!v)
			continue;
		char msg[256], from[48];
		snprintf(from, sizeof from, "the environment (%s)", name);
		c->loading = from;
		int rc = config_set(c, keys[i], v, msg, sizeof msg);
		c->loading = NULL;
		if (rc != 0) {
			snprintf(err, errlen, "%s: %s", name, msg);
			return Q_EINVAL;
		}
	}
	return 0;
}

const char *config_base_url(const struct config *c, char *buf, size_t len)
{
	if (*c->base_url)
		snprintf(buf, len, "%s", c->base_url);
	else if (strchr(c->listen_host, ':'))
		snprintf(buf, len, "http://[%s]:%u", c->listen_host, c->listen_port);
	else
		snprintf(buf, len, "http://%s:%u", c->listen_host, c->listen_port);
	return buf;
}
