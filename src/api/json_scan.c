/* Pre-scan of JSON bodies: one pass over the bytes, outside strings counting brackets and commas. */
#include "api/json_scan.h"
#include <stdbool.h>
#include <stdint.h>

const char *api_json_scan(const char *body, size_t len)
{
	/* commas so far in each open container: an array with k commas holds k + 1 items */
	uint32_t commas[API_JSON_DEPTH_MAX + 1];
	bool is_array[API_JSON_DEPTH_MAX + 1];
	size_t depth = 0, values = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = body[i];
		if (in_string) {
			if (c == '\\')
				i++; /* the escaped character cannot end the string */
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			break;
		case '[':
		case '{':
			if (depth == API_JSON_DEPTH_MAX)
				return "The body nests arrays and objects more than 32 levels deep.";
			depth++;
			commas[depth] = 0;
			is_array[depth] = c == '[';
			values++;
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		case ',':
			if (depth && ++commas[depth] >= API_JSON_ARRAY_MAX && is_array[depth])
				return "An array in the body holds more than 10,000 items.";
			values++;
			break;
		default:
			break;
		}
		if (values > API_JSON_VALUES_MAX)
			return "The body holds more than 100,000 values.";
	}
	return NULL;
}
