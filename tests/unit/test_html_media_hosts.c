/* Unit tests for the media host allow-list: entries, matching, the addresses embedded, the CSP sources. */
#include "html/media_hosts.h"
#include "check.h"
#include "core/err.h"
#include <stdlib.h>

static struct media_hosts *parse_ok(const char *list)
{
	struct media_hosts *h;
	char err[200] = "";
	int rc = media_hosts_parse(list, &h, err, sizeof err);
	if (rc)
		fprintf(stderr, "%s: %s\n", list, err);
	CHECK(rc == 0);
	return h;
}

static struct buf out;

static const char *M(const struct media_hosts *h, const char *url)
{
	buf_reset(&out);
	return media_hosts_match(h, url, &out) ? buf_cstr(&out) : "(refused)";
}

static const char *csp(const struct media_hosts *h)
{
	buf_reset(&out);
	media_hosts_csp(h, &out);
	return buf_cstr(&out);
}

static void test_entries(void)
{
	const char *good[] = {
		"", "youtube.com", "  youtube.com ,vimeo.com\n", "*.archive.org", "127.0.0.1:8080", "http://criticalcommons.org",
		"https://YouTube.com", "archive.org/embed/", "host.example:443/a/b/", MEDIA_HOSTS_AO3,
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		media_hosts_free(parse_ok(good[i]));
	const char *bad[] = {
		"ftp://x.example", "x.example/path", "x.example/a/../", "x.example/%2e%2e/", "x.example:0", "x.example:70000",
		"x.example:", "user@x.example", "[::1]", "x..example", ".x.example", "x.example.", "-x.example", "*", "*.",
		"x.example/a;b/", "x.example/\"/", "x.example/a b/", "x_y.example", "ex\xc3\xa4mple.org", "x.example/a'/",
		"*.*.x.example",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct media_hosts *h = (struct media_hosts *)1;
		char err[200] = "";
		CHECK(media_hosts_parse(bad[i], &h, err, sizeof err) == Q_EINVAL);
		CHECK(h == NULL);
		CHECK_CONTAINS(err, "bad media host");
	}
	/* Capped while read. */
	struct buf many = BUF_INIT;
	for (int i = 0; i <= MEDIA_HOSTS_MAX; i++)
		buf_printf(&many, "h%d.example ", i);
	struct media_hosts *h;
	char err[200];
	CHECK(media_hosts_parse(many.data, &h, err, sizeof err) == Q_EINVAL);
	CHECK_CONTAINS(err, "more than 200");
	buf_free(&many);
	h = parse_ok(MEDIA_HOSTS_AO3);
	CHECK(media_hosts_count(h) == 18);
	media_hosts_free(h);
	h = parse_ok("AO3, 127.0.0.1:9000");
	CHECK(media_hosts_count(h) == 19);
	CHECK_STR(M(h, "http://youtube.com/embed/1"), "https://youtube.com/embed/1");
	CHECK_STR(M(h, "https://127.0.0.1:9000/a.mp3"), "https://127.0.0.1:9000/a.mp3");
	media_hosts_free(h);
}

static void test_matching(void)
{
	struct media_hosts *h = parse_ok("youtube.com *.archive.org archive.org/embed/ http://criticalcommons.org "
	                                 "127.0.0.1:8080 http://127.0.0.1:9000 vimeo.com:8443");
	/* https, upgraded from http, scheme-relative; www. and upper case */
	CHECK_STR(M(h, "https://youtube.com/embed/x?a=1#t"), "https://youtube.com/embed/x?a=1#t");
	CHECK_STR(M(h, "http://www.YouTube.com/embed/x"), "https://www.youtube.com/embed/x");
	CHECK_STR(M(h, "//youtube.com/embed/x"), "https://youtube.com/embed/x");
	CHECK_STR(M(h, "HTTPS://youtube.com:443/embed/x"), "https://youtube.com/embed/x");
	CHECK_STR(M(h, "http://youtube.com:80/embed/x"), "https://youtube.com/embed/x");
	CHECK_STR(M(h, "https://youtube.com"), "https://youtube.com");
	/* not other hosts, not look-alikes */
	CHECK_STR(M(h, "https://m.youtube.com/x"), "(refused)");
	CHECK_STR(M(h, "https://youtube.com.evil.example/x"), "(refused)");
	CHECK_STR(M(h, "https://notyoutube.com/x"), "(refused)");
	CHECK_STR(M(h, "https://www.www.youtube.com/x"), "(refused)");
	CHECK_STR(M(h, "https://www.archive.org/embed/x"), "https://www.archive.org/embed/x");
	CHECK_STR(M(h, "https://www.ia800.us.archive.org/x"), "https://www.ia800.us.archive.org/x"); /* a subdomain */
	CHECK_STR(M(h, "https://youtube.com:8080/x"), "(refused)");
	/* wildcard: subdomains only; a path entry for the host itself */
	CHECK_STR(M(h, "https://ia800.us.archive.org/1/items/x.mp3"), "https://ia800.us.archive.org/1/items/x.mp3");
	CHECK_STR(M(h, "https://archive.org/embed/x"), "https://archive.org/embed/x");
	CHECK_STR(M(h, "https://archive.org/details/x"), "(refused)");
	CHECK_STR(M(h, "https://archive.org/embedded/x"), "(refused)");
	CHECK_STR(M(h, "https://archive.org/embed/../details/x"), "(refused)");
	CHECK_STR(M(h, "https://archive.org/embed/.%2E/details/x"), "(refused)");
	CHECK_STR(M(h, "https://archive.org/embed/a/./b"), "(refused)");
	CHECK_STR(M(h, "https://archive.org/embed/..."), "https://archive.org/embed/...");
	CHECK_STR(M(h, "https://xarchive.org/x"), "(refused)");
	/* http entries keep the scheme; https is fine too */
	CHECK_STR(M(h, "http://criticalcommons.org/embed/1"), "http://criticalcommons.org/embed/1");
	CHECK_STR(M(h, "https://criticalcommons.org/embed/1"), "https://criticalcommons.org/embed/1");
	CHECK_STR(M(h, "//criticalcommons.org/embed/1"), "https://criticalcommons.org/embed/1");
	CHECK_STR(M(h, "http://127.0.0.1:9000/embed"), "http://127.0.0.1:9000/embed");
	CHECK_STR(M(h, "http://127.0.0.1:8080/embed"), "https://127.0.0.1:8080/embed");
	CHECK_STR(M(h, "http://127.0.0.1:9001/embed"), "(refused)");
	CHECK_STR(M(h, "https://vimeo.com:8443/1"), "https://vimeo.com:8443/1");
	CHECK_STR(M(h, "https://vimeo.com/1"), "(refused)");
	/* refused rather than interpreted */
	const char *odd[] = {
		"javascript:alert(1)", "data:text/html,x", "ftp://youtube.com/x", "youtube.com/x", "/embed/x",
		"https://user@youtube.com/x", "https://youtube.com@evil.example/", "https://youtube.com\\evil.example/",
		"https://youtube.com/a\\b", "https://youtube.com/a%2fb", "https://youtube.com/a%5Cb", "https://[::1]/x",
		"https://youtube.com/a b", "https://youtube.com/a\tb", "https://youtube.com/?q=a b", "https://youtube.com./x",
		"https://youtube.com:/x", "https://youtube.com:0/x", "https://youtube.com:99999/x", "https://you%74ube.com/x",
		"https:///youtube.com/x", "", "https://", "http:youtube.com/x",
	};
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
		if (strcmp(M(h, odd[i]), "(refused)"))
			fprintf(stderr, "not refused: %s\n", odd[i]);
		CHECK_STR(M(h, odd[i]), "(refused)");
	}
	CHECK(!media_hosts_match(NULL, "https://youtube.com/x", &out));
	media_hosts_free(h);
	/* www. only before a two-label domain: the CSP names every host it allows */
	h = parse_ok("player.vimeo.com");
	CHECK_STR(M(h, "https://www.player.vimeo.com/v"), "(refused)");
	CHECK_STR(csp(h), "player.vimeo.com");
	media_hosts_free(h);
	/* an empty list allows nothing */
	h = parse_ok("");
	CHECK_STR(M(h, "https://youtube.com/x"), "(refused)");
	media_hosts_free(h);
}

static void test_csp(void)
{
	struct media_hosts *h = parse_ok("youtube.com *.archive.org archive.org/embed/ http://criticalcommons.org "
	                                 "127.0.0.1:8080 www.example.org x.example:8443/p/");
	/* https sources without their scheme (the page's); www. twins for two-label domains only */
	CHECK_STR(csp(h), "youtube.com www.youtube.com *.archive.org archive.org/embed/ www.archive.org/embed/ "
	                  "http://criticalcommons.org http://www.criticalcommons.org 127.0.0.1:8080 www.example.org "
	                  "x.example:8443/p/ www.x.example:8443/p/");
	media_hosts_free(h);
	h = parse_ok("");
	CHECK_STR(csp(h), "'none'");
	media_hosts_free(h);
	CHECK_STR(csp(NULL), "'none'");
	/* AO3's list as the default: every source a CSP host-source, nothing that ends a directive */
	h = parse_ok(MEDIA_HOSTS_AO3);
	const char *c = csp(h);
	CHECK(!strpbrk(c, ";,'\""));
	CHECK_CONTAINS(c, " www.youtube-nocookie.com");
	CHECK(strlen(c) < MEDIA_HOSTS_CSP_MAX);
	CHECK_CONTAINS(c, "http://criticalcommons.org");
	media_hosts_free(h);
}

int main(void)
{
	test_entries();
	test_matching();
	test_csp();
	buf_free(&out);
	return CHECK_DONE();
}
