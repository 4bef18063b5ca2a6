/* Fuzz target: arbitrary bytes as a JSON API submission, through the shape pre-scan, parsing, type checks and
 * the work rules. */
#include "api/json_scan.h"
#include "api/json_work.h"
#include "archive/work.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	/* as api_body: the shape first, then the same decoding flags (one object, no duplicate keys) */
	if (api_json_scan((const char *)data, size))
		return 0;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return 0;
	struct arena *a = arena_new();
	if (json_is_object(root)) {
		struct work_input in;
		struct chapter_input ci;
		memset(&in, 0, sizeof in);
		memset(&ci, 0, sizeof ci);
		const char *bad = NULL;
		int rc = api_read_work(a, root, &in, &bad);
		json_t *chapter = json_object_get(root, "chapter");
		if (rc == 0 && json_is_object(chapter))
			rc = api_read_chapter(a, chapter, "chapter.", &ci, &bad);
		if (rc != 0 && !bad)
			abort(); /* a refusal must say which field was wrong */
		if (rc == 0) {
			struct work w;
			struct chapter c;
			struct field_errors errors;
			memset(&w, 0, sizeof w);
			memset(&c, 0, sizeof c);
			memset(&errors, 0, sizeof errors);
			int wr = work_rules_build(a, &in, &w, &errors);
			int cr = chapter_rules_build(a, &ci, "chapter.", &c, &errors);
			if ((wr != 0 || cr != 0) && errors.n == 0)
				abort(); /* a rejected submission must name its problems */
			if (wr == 0 && cr == 0 && c.content_html && strstr(c.content_html, "<script"))
				abort();
			json_t *out = api_work_json(a, &w, &c, 1, NULL);
			json_decref(out);
		}
	}
	json_decref(root);
	arena_free(a);
	return 0;
}
