/* Tests for machine-readable times: RFC 3339 in UTC, and what happens outside the years it can write. */
#include "check.h"
#include "core/timefmt.h"

int main(void)
{
	char out[TIME_ISO_LEN];
	CHECK_STR(time_iso(0, out), "1970-01-01T00:00:00Z");
	CHECK_STR(time_iso(1700000000, out), "2023-11-14T22:13:20Z");
	CHECK_STR(time_iso(951782400, out), "2000-02-29T00:00:00Z");
	CHECK_STR(time_iso(-5, out), "1970-01-01T00:00:00Z");
	CHECK_STR(time_iso(253402300800LL, out), "1970-01-01T00:00:00Z"); /* year 10000: five digits do not fit */
	return CHECK_DONE();
}
