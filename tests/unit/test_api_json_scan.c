/* Unit tests for the JSON pre-scan: nesting depth, array items and values, strings that only look like JSON. */
#include "check.h"
#include "api/json_scan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *nested(size_t depth)
{
	char *s = malloc(2 * depth + 1);
	memset(s, '[', depth);
	memset(s + depth, ']', depth);
	s[2 * depth] = '\0';
	return s;
}

static char *array(size_t items)
{
	char *s = malloc(2 * items + 3), *p = s;
	*p++ = '[';
	for (size_t i = 0; i < items; i++) {
		if (i)
			*p++ = ',';
		*p++ = '1';
	}
	*p++ = ']';
	*p = '\0';
	return s;
}

static const char *scan(const char *s)
{
	return api_json_scan(s, strlen(s));
}

int main(void)
{
	char *s;
	CHECK(scan("{\"title\": \"x\", \"tags\": [\"a\", \"b\"]}") == NULL);
	CHECK(scan("") == NULL);
	s = nested(API_JSON_DEPTH_MAX);
	CHECK(scan(s) == NULL);
	free(s);
	s = nested(API_JSON_DEPTH_MAX + 1);
	CHECK_CONTAINS(scan(s), "32 levels");
	free(s);
	s = nested(100000);
	CHECK_CONTAINS(scan(s), "32 levels");
	free(s);
	s = array(API_JSON_ARRAY_MAX);
	CHECK(scan(s) == NULL);
	free(s);
	s = array(API_JSON_ARRAY_MAX + 1);
	CHECK_CONTAINS(scan(s), "10,000 items");
	free(s);
	/* Brackets and commas inside strings are text, escaped quotes included. */
	CHECK(scan("{\"t\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}") == NULL);
	CHECK(scan("{\"t\": \"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\", \"u\": 1}") == NULL);
	/* Small arrays are fine one by one, but not beyond the values of a whole body. */
	size_t n = API_JSON_VALUES_MAX / 2 + 1, len = 0;
	s = malloc(n * 12 + 3);
	s[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "%s\"k\":[1]", i ? "," : "");
	s[len++] = '}';
	s[len] = '\0';
	CHECK_CONTAINS(scan(s), "100,000 values");
	free(s);
	/* Members of objects count as values too. */
	n = API_JSON_VALUES_MAX + 1;
	s = malloc(n * 8 + 3);
	len = 0;
	s[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "%s\"k\":1", i ? "," : "");
	s[len++] = '}';
	s[len] = '\0';
	CHECK_CONTAINS(scan(s), "100,000 values");
	free(s);
	return CHECK_DONE();
}
