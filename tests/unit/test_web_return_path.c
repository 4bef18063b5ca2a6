/* Unit tests for return paths: local paths pass; anything that can leave the site or hide a character
 * a browser would strip is refused, as sent or percent-decoded. */
#include "check.h"
#include "web/web.h"

int main(void)
{
	static const char *const good[] = {"/", "/works", "/works/1?view_full_work=true", "/users/alice/works?page=2",
	                                   "/tags/caf%C3%A9", "/works/%2Fdoc", "/a%25/b", "/caf\xc3\xa9"};
	static const char *const bad[] = {
		NULL, "", "works", "//evil.example", "/\\evil.example", "/\t/evil.example", "/%09/evil.example",
		"/%2F/evil.example", "/%2f/evil", "/%5Cevil", "/a\\b", "/a b", "/a%20b", "/a\nb", "/a%0Db",
		"/a%00b", "/a\x7f", "/a%7F", "http://evil.example/", " /x", "/x ", "/\xc2\xa0x", "/%C2%A0x",
		"/\xe2\x80\xa8x", "/%E2%80%8Bx", "/\xe3\x80\x80x", "/\xef\xbb\xbfx", "/\xe2\x80\xaex",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK(web_return_path_ok(good[i]));
		CHECK_STR(web_return_path(good[i]), good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (web_return_path_ok(bad[i]))
			fprintf(stderr, "accepted bad[%zu]\n", i);
		CHECK(!web_return_path_ok(bad[i]));
		CHECK_STR(web_return_path(bad[i]), "/");
	}
	char longp[1100];
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	CHECK(!web_return_path_ok(longp));
	return CHECK_DONE();
}
