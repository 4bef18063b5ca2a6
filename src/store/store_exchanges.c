/* What both backends store alike of gift exchanges: each dimension's tag type, per-dimension settings as text. */
#include "store/store_backend.h"
#include <stdio.h>
#include <stdlib.h>

const int store_exchange_tag_type[EXCHANGE_DIMS] = {
	[EXCHANGE_FANDOM] = TAG_FANDOM,
	[EXCHANGE_CHARACTER] = TAG_CHARACTER,
	[EXCHANGE_RELATIONSHIP] = TAG_RELATIONSHIP,
	[EXCHANGE_FREEFORM] = TAG_FREEFORM,
};

void store_exchange_ints_parse(const char *s, int out[EXCHANGE_DIMS])
{
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		char *end;
		long v = s ? strtol(s, &end, 10) : 0;
		out[d] = s && end != s ? (int)v : 0;
		s = s && end != s ? end : NULL;
	}
}

void store_exchange_ints_text(char buf[STORE_EXCHANGE_INTS_LEN], const int v[EXCHANGE_DIMS])
{
	snprintf(buf, STORE_EXCHANGE_INTS_LEN, "%d %d %d %d", v[0], v[1], v[2], v[3]);
}
