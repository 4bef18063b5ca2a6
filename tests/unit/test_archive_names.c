/* Unit tests for look-alike names: ICU skeletons are equal for names that look alike, and only for those. */
#include "check.h"
#include "archive/names.h"
#include <stdbool.h>
#include <string.h>

static struct arena *A;

static bool alike(const char *x, const char *y)
{
	const char *a = archive_name_skeleton(A, x), *b = archive_name_skeleton(A, y);
	CHECK(a && b);
	return a && b && !strcmp(a, b);
}

int main(void)
{
	A = arena_new();
	CHECK(alike("alice", "aIice"));   /* capital I for l */
	CHECK(alike("alice", "a1ice"));   /* digit one for l */
	CHECK(alike("mallory", "rnallory"));
	CHECK(alike("paypal", "paypaI"));
	CHECK(alike("alice", "alice"));
	CHECK(alike("ѕсоре", "scope"));   /* Cyrillic letters that look Latin */
	CHECK(!alike("alice", "alicia"));
	CHECK(!alike("mallory", "malory"));
	CHECK(!alike("alice", "bob"));
	CHECK(!alike("Alice", "alice"));  /* case differences are the store's (NOCASE) business */
	/* Long names get their skeletons too (ICU is asked again when the first guess is short). */
	char longname[300];
	memset(longname, 'm', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	const char *sk = archive_name_skeleton(A, longname);
	CHECK(sk && strlen(sk) == 2 * (sizeof longname - 1)); /* every m is "rn" */
	CHECK(archive_name_skeleton(A, NULL) == NULL);
	arena_free(A);
	return CHECK_DONE();
}
