/* Unit tests for addresses and ranges: parsing, IPv4-mapped folding, prefix matches, rate-limit keys. */
#include "check.h"
#include "core/err.h"
#include "core/netaddr.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static bool in(const char *addr, const char *range)
{
	struct netaddr a;
	struct netaddr_range r;
	return netaddr_parse(addr, &a) == 0 && netaddr_range_parse(range, &r) == 0 && netaddr_in_range(&a, &r);
}

static const char *fmt(const char *addr, char out[NETADDR_STRLEN])
{
	struct netaddr a;
	if (netaddr_parse(addr, &a) != 0)
		return "(bad)";
	netaddr_format(&a, out);
	return out;
}

static const char *key(const char *addr, char out[NETADDR_STRLEN])
{
	struct netaddr a;
	if (netaddr_parse(addr, &a) != 0)
		return "(bad)";
	netaddr_rate_key(&a, out);
	return out;
}

int main(void)
{
	char b[NETADDR_STRLEN];
	struct netaddr a;
	struct netaddr_range r, list[4];
	size_t n;

	CHECK_STR(fmt("192.0.2.7", b), "192.0.2.7");
	CHECK_STR(fmt("2001:DB8::1", b), "2001:db8::1");
	CHECK_STR(fmt("[::1]", b), "::1");
	CHECK_STR(fmt("::ffff:10.1.2.3", b), "10.1.2.3"); /* a dual-stack socket's IPv4 client */
	CHECK(netaddr_parse("", &a) == Q_EINVAL);
	CHECK(netaddr_parse("1.2.3", &a) == Q_EINVAL);
	CHECK(netaddr_parse("1.2.3.4.5", &a) == Q_EINVAL);
	CHECK(netaddr_parse("example.org", &a) == Q_EINVAL);
	CHECK(netaddr_parse("1.2.3.4 ", &a) == Q_EINVAL);

	CHECK(in("10.9.8.7", "10.0.0.0/8"));
	CHECK(!in("11.0.0.1", "10.0.0.0/8"));
	CHECK(in("192.168.1.130", "192.168.1.128/25"));
	CHECK(!in("192.168.1.127", "192.168.1.128/25"));
	CHECK(in("203.0.113.5", "203.0.113.5"));
	CHECK(!in("203.0.113.6", "203.0.113.5"));
	CHECK(in("1.2.3.4", "0.0.0.0/0"));
	CHECK(in("2001:db8:abcd::9", "2001:db8::/32"));
	CHECK(!in("2001:db9::9", "2001:db8::/32"));
	CHECK(!in("10.0.0.1", "::/0")); /* families never match each other */
	CHECK(in("::ffff:10.0.0.1", "10.0.0.0/8"));
	CHECK(in("10.0.0.1", "::ffff:10.0.0.0/104"));
	CHECK(netaddr_range_parse("10.0.0.0/33", &r) == Q_EINVAL);
	CHECK(netaddr_range_parse("2001:db8::/129", &r) == Q_EINVAL);
	CHECK(netaddr_range_parse("10.0.0.0/", &r) == Q_EINVAL);
	CHECK(netaddr_range_parse("10.0.0.0/8x", &r) == Q_EINVAL);
	CHECK(netaddr_range_parse("/8", &r) == Q_EINVAL);

	CHECK(netaddr_list_parse("", list, 4, &n) == 0 && n == 0);
	CHECK(netaddr_list_parse(" 127.0.0.1, 10.0.0.0/8 ,::1 ", list, 4, &n) == 0 && n == 3);
	CHECK(netaddr_parse("10.200.0.1", &a) == 0 && netaddr_in_list(&a, list, n));
	CHECK(netaddr_parse("::1", &a) == 0 && netaddr_in_list(&a, list, n));
	CHECK(netaddr_parse("192.0.2.1", &a) == 0 && !netaddr_in_list(&a, list, n));
	CHECK(netaddr_list_parse("10.0.0.1,nonsense", list, 4, &n) == Q_EINVAL);
	CHECK(netaddr_list_parse("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5", list, 4, &n) == Q_ETOOBIG);

	CHECK(netaddr_parse("127.8.9.10", &a) == 0 && netaddr_is_loopback(&a));
	CHECK(netaddr_parse("::1", &a) == 0 && netaddr_is_loopback(&a));
	CHECK(netaddr_parse("::2", &a) == 0 && !netaddr_is_loopback(&a));
	CHECK(netaddr_parse("10.0.0.1", &a) == 0 && !netaddr_is_loopback(&a));

	/* One IPv6 client holds a /64: all of it counts as one for rate limits. */
	CHECK_STR(key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", b), "2001:db8:1:2::/64");
	CHECK_STR(key("2001:db8:1:2::1", b), "2001:db8:1:2::/64");
	CHECK_STR(key("192.0.2.44", b), "192.0.2.44");

	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::ffff:198.51.100.3", &s6.sin6_addr);
	CHECK(netaddr_from_sockaddr((struct sockaddr *)&s6, &a) == 0 && a.family == AF_INET);
	netaddr_format(&a, b);
	CHECK_STR(b, "198.51.100.3");
	return CHECK_DONE();
}
