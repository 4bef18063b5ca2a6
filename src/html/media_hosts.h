/* The hosts embedded players and audio/video files may come from (config media_hosts): one list that the
 * sanitizer matches URLs against and the Content-Security-Policy is written from, so the two never disagree. */
#ifndef QUIRE_HTML_MEDIA_HOSTS_H
#define QUIRE_HTML_MEDIA_HOSTS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/buf.h"

/* AO3's allow-list of embed hosts (its EmbedSanitizer), the default of media_hosts. archive.org only under
 * /embed/, criticalcommons.org over http as AO3 allows it; every other host is upgraded to https. */
extern const char MEDIA_HOSTS_AO3[];

/* At most this many entries; each at most MEDIA_HOST_MAX bytes. */
#define MEDIA_HOSTS_MAX 200
#define MEDIA_HOST_MAX 255
/* The longest source list a site may have: proxies in front (nginx: 4 KiB for all headers by default)
 * refuse longer response headers, and every page carries it twice. */
#define MEDIA_HOSTS_CSP_MAX 1500

struct media_hosts;

/* Parses a list of entries separated by commas or white space ("" is an empty list, allowing nothing):
 *   host          https on the default port, http sources upgraded; "www." + host matches too when host
 *                 has two labels (youtube.com, not w.soundcloud.com)
 *   *.host        any subdomain of host (host itself needs its own entry)
 *   host:port     that port only
 *   host/path/    only URLs whose path starts with /path/ (a path ends with '/')
 *   http://ENTRY  the source keeps http (for hosts without https); https sources match it too
 *   ao3           all of MEDIA_HOSTS_AO3 ("ao3, podfic.example" extends AO3's list)
 * A host is letters, digits, '-' and '.' (an IPv4 address is one). On a bad entry: Q_EINVAL, *out NULL and
 * the entry named in err. Free with media_hosts_free. */
int media_hosts_parse(const char *list, struct media_hosts **out, char *err, size_t errlen);
void media_hosts_free(struct media_hosts *h);
size_t media_hosts_count(const struct media_hosts *h);

/* Is url (http://, https:// or scheme-relative //) on the list? Then out receives the address to embed:
 * https unless the entry is an http:// one, the default port dropped, host lower-cased, the rest as given.
 * User info, backslashes, IPv6 literals, encoded slashes and dot segments (also as %2e) are refused rather
 * than interpreted, so the browser fetches exactly the address that was checked. h may be NULL (nothing). */
bool media_hosts_match(const struct media_hosts *h, const char *url, struct buf *out);

/* Appends the Content-Security-Policy source list allowing exactly the list's URLs ("'none'" when empty);
 * https sources without their scheme (the page's, https on an https site), to keep the header short. */
void media_hosts_csp(const struct media_hosts *h, struct buf *out);
#endif
