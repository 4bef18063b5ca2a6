/* Fuzz target: the writer's check over any bytes (first line the names, the rest the text): no crash, counts
 * that add up, every listed word and doubled pair valid UTF-8 and found in what was given. */
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
	struct writing_report r;
	writing_check(sp, a, "en", text, in, &r);
	require(r.nunknown <= r.unknown_total && r.nunknown <= WRITING_LIST_MAX, "counts");
	require(r.ndoubled <= WRITING_LIST_MAX, "doubled count");
	for (size_t i = 0; i < r.nunknown; i++) {
		require(r.unknown[i].count >= 1, "a listed word was seen");
		require(utf8_valid(r.unknown[i].word, strlen(r.unknown[i].word)), "a listed word is valid UTF-8");
		require(i == 0 || r.unknown[i - 1].count >= r.unknown[i].count, "most frequent first");
	}
	for (size_t i = 0; i < r.ndoubled; i++)
		require(utf8_valid(r.doubled[i], strlen(r.doubled[i])), "a doubled pair is valid UTF-8");
	arena_free(a);
	free(in);
	return 0;
}
