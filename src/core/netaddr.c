/* IP addresses and CIDR ranges: inet_pton/inet_ntop underneath, prefix matching on the raw bytes. */
#include "core/netaddr.h"
#include "core/err.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* Stores an IPv6 address, folding IPv4-mapped ones (a dual-stack socket's IPv4 clients) to IPv4. */
static void set_v6(struct netaddr *out, const unsigned char b[16])
{
	memset(out, 0, sizeof *out);
	if (memcmp(b, v4mapped, sizeof v4mapped) == 0) {
		out->family = AF_INET;
		memcpy(out->bytes, b + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->bytes, b, 16);
	}
}

int netaddr_parse(const char *s, struct netaddr *out)
{
	char tmp[64];
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		s++, n -= 2;
	if (n == 0 || n >= sizeof tmp)
		return Q_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	unsigned char b[16];
	if (inet_pton(AF_INET, tmp, b) == 1) {
		memset(out, 0, sizeof *out);
		out->family = AF_INET;
		memcpy(out->bytes, b, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, b) == 1) {
		set_v6(out, b);
		return 0;
	}
	return Q_EINVAL;
}

int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out)
{
	if (!sa)
		return Q_EINVAL;
	if (sa->sa_family == AF_INET) {
		memset(out, 0, sizeof *out);
		out->family = AF_INET;
		memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		set_v6(out, (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr);
		return 0;
	}
	return Q_EINVAL;
}

int netaddr_range_parse(const char *s, struct netaddr_range *out)
{
	char tmp[80];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof tmp)
		return Q_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (netaddr_parse(tmp, &out->addr) != 0)
		return Q_EINVAL;
	/* An IPv4-mapped range ("::ffff:10.0.0.0/104") folds to IPv4 like its addresses do. */
	bool mapped = out->addr.family == AF_INET && strchr(tmp, ':');
	unsigned max = out->addr.family == AF_INET ? 32 : 128;
	if (!slash) {
		out->prefix = max;
		return 0;
	}
	const char *p = slash + 1;
	if (!*p || strlen(p) > 3)
		return Q_EINVAL;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return Q_EINVAL;
	unsigned bits = (unsigned)atoi(p);
	if (mapped) {
		if (bits < 96)
			return Q_EINVAL;
		bits -= 96;
	}
	if (bits > max)
		return Q_EINVAL;
	out->prefix = bits;
	return 0;
}

int netaddr_list_parse(const char *s, struct netaddr_range *out, size_t max, size_t *n)
{
	*n = 0;
	while (*s) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		size_t len = strcspn(s, ", \t");
		char item[80];
		if (len >= sizeof item)
			return Q_EINVAL;
		memcpy(item, s, len);
		item[len] = '\0';
		if (*n >= max)
			return Q_ETOOBIG;
		if (netaddr_range_parse(item, &out[*n]) != 0)
			return Q_EINVAL;
		(*n)++;
		s += len;
	}
	return 0;
}

bool netaddr_in_range(const struct netaddr *a, const struct netaddr_range *r)
{
	if (a->family != r->addr.family)
		return false;
	unsigned full = r->prefix / 8, rest = r->prefix % 8;
	if (memcmp(a->bytes, r->addr.bytes, full) != 0)
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((a->bytes[full] & mask) != (r->addr.bytes[full] & mask))
			return false;
	}
	return true;
}

bool netaddr_in_list(const struct netaddr *a, const struct netaddr_range *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (netaddr_in_range(a, &list[i]))
			return true;
	return false;
}

bool netaddr_is_loopback(const struct netaddr *a)
{
	static const unsigned char v6lo[16] = {[15] = 1};
	if (a->family == AF_INET)
		return a->bytes[0] == 127;
	return a->family == AF_INET6 && memcmp(a->bytes, v6lo, 16) == 0;
}

void netaddr_format(const struct netaddr *a, char out[NETADDR_STRLEN])
{
	if (a->family == AF_INET) { /* by hand: every request formats its address, and inet_ntop is slow */
		char *o = out;
		for (int i = 0; i < 4; i++) {
			unsigned v = a->bytes[i];
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
			*o++ = i < 3 ? '.' : '\0';
		}
		return;
	}
	if (!inet_ntop(a->family == AF_INET ? AF_INET : AF_INET6, a->bytes, out, NETADDR_STRLEN))
		snprintf(out, NETADDR_STRLEN, "-");
}

void netaddr_rate_key(const struct netaddr *a, char out[NETADDR_STRLEN])
{
	if (a->family != AF_INET6) {
		netaddr_format(a, out);
		return;
	}
	struct netaddr net = *a;
	memset(net.bytes + 8, 0, 8);
	netaddr_format(&net, out);
	size_t n = strlen(out);
	snprintf(out + n, NETADDR_STRLEN - n, "/64");
}
