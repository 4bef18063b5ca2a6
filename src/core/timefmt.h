/* Times as text for machines: RFC 3339 / ISO 8601 in UTC, as the API, feeds and EPUB metadata write them. */
#ifndef QUIRE_CORE_TIMEFMT_H
#define QUIRE_CORE_TIMEFMT_H
#include <stdint.h>

#define TIME_ISO_LEN 21 /* "2026-11-27T03:31:00Z" and its NUL */

/* Writes t (unix seconds) as "YYYY-MM-DDTHH:MM:SSZ" into out and returns out ("1970-01-01T00:00:00Z" for
 * a time before 1970 or past year 9999). */
const char *time_iso(int64_t t, char out[TIME_ISO_LEN]);
#endif
