/* Fuzz target: the writer's check over any bytes (first line the names, the rest the text): no crash, spans
 * inside the text on UTF-8 boundaries and in order, counts that add up, every listed word valid UTF-8. */
#include "core/arena.h"
#include "core/utf8.h"
#include "writing/check.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_writing_check: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct speller *sp;
	if (!sp)
		sp = speller_new("/usr/share/hunspell");
	if (size > 65536)
		return 0;
	char *in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = 0;
	char *text = strchr(in, '\n');
	if (text)
		*text++ = 0;
	else
		text = in + strlen(in);
	struct arena *a = arena_new();
	struct writing_request req = {.lang = "en", .text = text, .names = in, .context = text};
	struct writing_result r;
	writing_check(sp, a, &req, &r);
	size_t len = strlen(text), sum = 0;
	require(r.n <= r.total && r.n <= WRITING_LIST_MAX, "counts");
	for (int k = 0; k < WRITING_KINDS; k++)
		sum += r.by_kind[k];
	require(sum == r.total, "kinds add up");
	for (size_t i = 0; i < r.n; i++) {
		const struct writing_suggestion *s = &r.items[i];
		require(s->start < s->end && s->end <= len, "a span inside the text");
		require(i == 0 || r.items[i - 1].start <= s->start, "in text order");
		require(!memcmp(text + s->start, s->found, s->end - s->start), "found is the marked text");
		require(utf8_valid(s->found, strlen(s->found)) || !utf8_valid(text, len), "a mark is valid UTF-8");
		require(!s->replacement || utf8_valid(s->replacement, strlen(s->replacement)) || !utf8_valid(text, len),
		        "a replacement is valid UTF-8");
		require(s->message && *s->message && s->key, "a reason and a key");
	}
	arena_free(a);
	free(in);
	return 0;
}
