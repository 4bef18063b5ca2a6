/* IP addresses and CIDR ranges (IPv4 and IPv6): parsing, matching, printing, and rate-limit keys. */
#ifndef QUIRE_CORE_NETADDR_H
#define QUIRE_CORE_NETADDR_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define NETADDR_STRLEN 48    /* enough for any address, or an IPv6 /64 key, with its NUL */
#define NETADDR_LIST_MAX 64  /* ranges in one list (trusted_proxies) */

struct netaddr {
	int family;              /* AF_INET or AF_INET6; IPv4-mapped IPv6 addresses are stored as AF_INET */
	unsigned char bytes[16]; /* network order; IPv4 uses the first 4 */
};

struct netaddr_range {
	struct netaddr addr;
	unsigned prefix; /* leading bits that must match: 0-32 or 0-128 */
};

/* "192.0.2.1", "2001:db8::1" (also "[2001:db8::1]"). Q_EINVAL for anything else. */
int netaddr_parse(const char *s, struct netaddr *out);
/* From a socket address; Q_EINVAL for other families. */
int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out);
/* An address ("192.0.2.1" = /32) or a range ("10.0.0.0/8", "2001:db8::/32"). */
int netaddr_range_parse(const char *s, struct netaddr_range *out);
/* A comma- (or space-) separated list of ranges; "" is an empty list. Q_EINVAL names nothing: the
 * caller reports the whole value. Q_ETOOBIG beyond max entries. */
int netaddr_list_parse(const char *s, struct netaddr_range *out, size_t max, size_t *n);
bool netaddr_in_range(const struct netaddr *a, const struct netaddr_range *r);
bool netaddr_in_list(const struct netaddr *a, const struct netaddr_range *list, size_t n);
/* 127.0.0.0/8 or ::1. */
bool netaddr_is_loopback(const struct netaddr *a);
/* Canonical text ("192.0.2.1", "2001:db8::1") into out (NETADDR_STRLEN bytes). */
void netaddr_format(const struct netaddr *a, char out[NETADDR_STRLEN]);
/* The key rate limits count under: an IPv4 address as is, an IPv6 address as its /64 ("2001:db8:1:2::/64"),
 * because one IPv6 client usually holds a whole /64. */
void netaddr_rate_key(const struct netaddr *a, char out[NETADDR_STRLEN]);
#endif
