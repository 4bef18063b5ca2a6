/* Unit tests for configuration: defaults, keys and bad values, the file format, and environment precedence. */
#include "check.h"
#include "core/config.h"
#include "core/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	struct config c;
	char err[256];
	config_defaults(&c);
	CHECK_STR(c.listen_host, "127.0.0.1");
	CHECK(c.listen_port == 8080);
	CHECK_STR(c.data_dir, "./var");
	CHECK(c.body_limit == 8u << 20);
	CHECK(c.demo);
	CHECK(c.page_cache_bytes == 64u << 20);
	CHECK(c.access_log);

	CHECK(config_set(&c, "listen", "0.0.0.0:9000", err, sizeof err) == 0);
	CHECK_STR(c.listen_host, "0.0.0.0");
	CHECK(c.listen_port == 9000);
	CHECK(config_set(&c, "listen", "[::1]:8081", err, sizeof err) == 0);
	CHECK_STR(c.listen_host, "::1");
	CHECK(config_set(&c, "listen", "nocolon", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "listen", "host:99999", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "timeout", "-1", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "timeout", "12abc", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "body_limit", "10", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "password_cost", "fast", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "password_cost", "min", err, sizeof err) == 0);
	CHECK(config_set(&c, "demo", "maybe", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "demo", "off", err, sizeof err) == 0 && !c.demo);
	CHECK(c.per_ip_connections == 64 && c.work_queue == 256 && c.password_concurrency == 2);
	CHECK(config_set(&c, "trusted_proxies", "127.0.0.1, 10.0.0.0/8,2001:db8::/32", err, sizeof err) == 0);
	CHECK_STR(c.trusted_proxies, "127.0.0.1, 10.0.0.0/8,2001:db8::/32");
	CHECK(config_set(&c, "trusted_proxies", "10.0.0.0/8,proxy.example", err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "trusted_proxies");
	CHECK(config_set(&c, "trusted_proxies", "10.0.0.0/40", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "per_ip_connections", "0", err, sizeof err) == 0 && c.per_ip_connections == 0);
	CHECK(config_set(&c, "password_concurrency", "0", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "work_queue", "0", err, sizeof err) == Q_EINVAL);
	CHECK(config_set(&c, "workers", "8", err, sizeof err) == 0 && c.workers == 8);
	setenv("QUIRE_TRUSTED_PROXIES", "192.0.2.1", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK_STR(c.trusted_proxies, "192.0.2.1");
	unsetenv("QUIRE_TRUSTED_PROXIES");
	CHECK(config_set(&c, "no_such_key", "1", err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "unknown setting");

	char path[] = "/tmp/quire-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("# a comment\n\nlisten = 127.0.0.2:7000\n  timeout=5  \nsite_name = My Archive\n", f);
	fclose(f);
	config_defaults(&c);
	CHECK(config_load_file(&c, path, err, sizeof err) == 0);
	CHECK(c.listen_port == 7000);
	CHECK(c.timeout == 5);
	CHECK_STR(c.site_name, "My Archive");
	/* environment overrides the file */
	setenv("QUIRE_TIMEOUT", "9", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK(c.timeout == 9);
	setenv("QUIRE_TIMEOUT", "soon", 1);
	CHECK(config_load_env(&c, err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "QUIRE_TIMEOUT");
	unsetenv("QUIRE_TIMEOUT");
	setenv("QUIRE_PAGE_CACHE_BYTES", "1048576", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK(c.page_cache_bytes == 1048576);
	unsetenv("QUIRE_PAGE_CACHE_BYTES");
	CHECK(config_set(&c, "page_cache_bytes", "lots", err, sizeof err) == Q_EINVAL);
	setenv("QUIRE_ACCESS_LOG", "false", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK(!c.access_log);
	unsetenv("QUIRE_ACCESS_LOG");
	CHECK(config_set(&c, "access_log", "sometimes", err, sizeof err) == Q_EINVAL);

	f = fopen(path, "w");
	fputs("listen = 1:2\nthis line is wrong\n", f);
	fclose(f);
	CHECK(config_load_file(&c, path, err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, ":2:");
	unlink(path);
	CHECK(config_load_file(&c, "/nonexistent/quire.conf", err, sizeof err) == Q_ENOTFOUND);
	return CHECK_DONE();
}
