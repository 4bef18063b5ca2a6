/* Times as text for machines: RFC 3339 in UTC. */
#include "core/timefmt.h"
#include <string.h>
#include <time.h>

const char *time_iso(int64_t t, char out[TIME_ISO_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t < 0 || !gmtime_r(&tt, &tm) || strftime(out, TIME_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		memcpy(out, "1970-01-01T00:00:00Z", TIME_ISO_LEN);
	return out;
}
