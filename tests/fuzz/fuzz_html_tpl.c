/* Fuzz target: any bytes as template source; whatever compiles is rendered against fixed hostile data. */
#include "html/tpl.h"
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_json[] =
	"{\"title\": \"<\\u0001script>alert('x')</script>\", \"n\": 1234567, \"neg\": -42, \"r\": 2.5, \"zero\": 0,"
	" \"t\": true, \"f\": false, \"nul\": null, \"empty\": \"\", \"ea\": [], \"eo\": {},"
	" \"u\": {\"id\": 3, \"name\": \"a&b \\\"q\\\"\", \"tags\": [\"x\", \"<y>\"]},"
	" \"works\": [{\"title\": \"A\", \"tags\": [\"t1\", \"t2\"], \"id\": 3},"
	"             {\"title\": \"</b>\", \"tags\": [], \"n\": 2.0},"
	"             {\"title\": \"\\u2028\", \"tags\": [[1, [2, [3]]], {\"k\": \"v\"}]}],"
	" \"grid\": [[1, 2], [3, [4, 5]], []], \"self\": [[[[[[[[\"deep\"]]]]]]]]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *json;
	if (!json)
		json = json_loads(fuzz_json, 0, NULL);
	char err[256];
	struct tpl_set *s = tpl_set_new();
	/* The input can include itself as "fuzz" or name a partial "p" that exists. */
	static const char partial[] = "<i>{{title}}{{@index}}</i>{{#each tags}}{{.|json}}{{/each}}";
	tpl_set_add(s, "p", partial, sizeof partial - 1, err, sizeof err);
	if (tpl_set_add(s, "fuzz", (const char *)data, size, err, sizeof err) == 0) {
		struct buf out = BUF_INIT;
		tpl_set_check(s, err, sizeof err);
		tpl_render(s, "fuzz", json, &out);
		/* Escaping must hold whatever the template. "<\x01" occurs only in the data, and no data
		 * string starts with \x01, so without RAW or a \x01 in the template it cannot appear. */
		if (!memmem(data, size, "RAW", 3) && !memchr(data, 1, size) &&
		    memmem(out.data ? out.data : "", out.len, "<\x01", 2))
			__builtin_trap();
		buf_free(&out);
	}
	tpl_set_free(s);
	return 0;
}
