/* Unit tests for the arena and string buffers: alignment, large blocks, formatting, ownership hand-off. */
#include "check.h"
#include "core/arena.h"
#include "core/buf.h"
#include <stdint.h>
#include <stdlib.h>

static void test_arena(void)
{
	struct arena *a = arena_new();
	for (int i = 0; i < 1000; i++) {
		void *p = arena_alloc(a, (size_t)(i % 37) + 1);
		CHECK(((uintptr_t)p % 16) == 0);
	}
	char *big = arena_alloc(a, 1 << 20); /* a block of its own */
	memset(big, 'x', 1 << 20);
	char *small = arena_strdup(a, "after the big one");
	CHECK_STR(small, "after the big one");
	CHECK(arena_strdup(a, NULL) == NULL);
	CHECK_STR(arena_strndup(a, "abcdef", 3), "abc");
	CHECK_STR(arena_printf(a, "%s-%d", "chapter", 42), "chapter-42");
	/* Formatted in place when the block has room, and again in a new block when it has not. */
	char *filler = arena_alloc(a, 16 * 1024 - 64);
	(void)filler;
	char long_text[300];
	memset(long_text, 'y', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	char *fits = arena_printf(a, "%.20s", long_text), *spills = arena_printf(a, "<%s>", long_text);
	CHECK(strlen(fits) == 20 && strlen(spills) == 301 && spills[0] == '<' && spills[300] == '>');
	CHECK_STR(fits, "yyyyyyyyyyyyyyyyyyyy");
	CHECK_STR(arena_cat_id(a, "/works/", 12, "/kudos"), "/works/12/kudos");
	CHECK_STR(arena_cat_id(a, "", 0, ""), "0");
	CHECK_STR(arena_cat_id(a, "n=", -9223372036854775807LL - 1, "!"), "n=-9223372036854775808!");
	CHECK_STR(arena_cat_id(a, "", 9223372036854775807LL, " guests"), "9223372036854775807 guests");
	int *z = arena_calloc(a, 100, sizeof(int));
	int sum = 0;
	for (int i = 0; i < 100; i++)
		sum += z[i];
	CHECK(sum == 0);
	CHECK(arena_used(a) >= (1 << 20));
	arena_free(a);
	arena_free(NULL);
}

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	CHECK_STR(buf_cstr(&b), "");
	buf_puts(&b, "Hello");
	buf_putc(&b, ',');
	buf_printf(&b, " %s #%d", "world", 7);
	CHECK_STR(buf_cstr(&b), "Hello, world #7");
	CHECK(b.len == 15);
	for (int i = 0; i < 10000; i++)
		buf_append(&b, "0123456789", 10);
	CHECK(b.len == 15 + 100000);
	CHECK(b.data[b.len] == '\0');
	buf_reset(&b);
	CHECK(b.len == 0);
	CHECK_STR(buf_cstr(&b), "");
	buf_puts(&b, "mine");
	size_t len;
	char *s = buf_detach(&b, &len);
	CHECK_STR(s, "mine");
	CHECK(len == 4);
	CHECK(b.data == NULL && b.len == 0);
	free(s);
	s = buf_detach(&b, &len); /* empty buffer still yields a string */
	CHECK_STR(s, "");
	free(s);
}

int main(void)
{
	test_arena();
	test_buf();
	return CHECK_DONE();
}
