/* Unit tests for the hash sets that de-duplicate lists: strings ignoring ASCII case, ids, capacity. */
#include "check.h"
#include "archive/set.h"
#include <stdint.h>
#include <stdio.h>

static struct arena *A;

static void test_strings(void)
{
	struct archive_set *s = archive_set_new(A, 4);
	CHECK(archive_set_add_str(s, "Found Family"));
	CHECK(!archive_set_add_str(s, "found family"));
	CHECK(!archive_set_add_str(s, "FOUND FAMILY"));
	CHECK(archive_set_add_str(s, "Found Families"));
	/* Only ASCII letters fold, as in the store's NOCASE collation. */
	CHECK(archive_set_add_str(s, "Café"));
	CHECK(archive_set_add_str(s, "CAFÉ"));
	/* Full: a fifth member is refused. */
	CHECK(!archive_set_add_str(s, "Fifth"));
}

static void test_many(void)
{
	size_t n = 20000;
	struct archive_set *s = archive_set_new(A, n);
	char buf[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, "Tag %zu", i);
		CHECK(archive_set_add_str(s, arena_strdup(A, buf)) == true);
	}
	for (size_t i = 0; i < n; i += 97) {
		snprintf(buf, sizeof buf, "TAG %zu", i);
		CHECK(!archive_set_add_str(s, buf));
	}
	struct archive_set *ids = archive_set_new(A, n);
	for (int64_t i = 1; i <= (int64_t)n; i++)
		CHECK(archive_set_add_id(ids, i * 4096));
	for (int64_t i = 1; i <= (int64_t)n; i += 13) {
		CHECK(archive_set_has_id(ids, i * 4096));
		CHECK(!archive_set_add_id(ids, i * 4096));
		CHECK(!archive_set_has_id(ids, i * 4096 + 1));
	}
}

static void test_ids(void)
{
	struct archive_set *s = archive_set_new(A, 3);
	CHECK(!archive_set_add_id(s, 0)); /* 0 is no id */
	CHECK(archive_set_add_id(s, 7));
	CHECK(!archive_set_add_id(s, 7));
	CHECK(archive_set_add_id(s, -7));
	CHECK(archive_set_has_id(s, 7) && archive_set_has_id(s, -7) && !archive_set_has_id(s, 8));
	CHECK(archive_set_add_id(s, INT64_MAX));
	CHECK(!archive_set_add_id(s, 9)); /* full */
	CHECK(!archive_set_has_id(s, 0));
}

int main(void)
{
	A = arena_new();
	test_strings();
	test_many();
	test_ids();
	arena_free(A);
	return CHECK_DONE();
}
