/* Tests for request snapshots (store_snapshot_begin): one read transaction for a thread's reads, ended
 * by the thread's own writes so that it reads them, never by other threads' writes. */
#include "check.h"
#include "store_fixture.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static char dir[] = "/tmp/quire-store-snapshot-XXXXXX";
static char path[256];
static struct store *S;
static struct arena *A;

static const char *get(const char *key)
{
	char *v = NULL;
	return store_setting_get(S, A, key, &v) == 0 ? v : "(none)";
}

static void *other_writer(void *arg)
{
	CHECK(store_setting_set(S, "k", arg) == 0);
	return NULL;
}

/* Another thread's write, finished before this returns. */
static void write_elsewhere(const char *value)
{
	pthread_t t;
	pthread_create(&t, NULL, other_writer, (void *)value);
	pthread_join(t, NULL);
}

static void test_reads_share_one_snapshot(void)
{
	CHECK(store_setting_set(S, "k", "1") == 0);
	store_snapshot_begin(S);
	CHECK_STR(get("k"), "1");
	write_elsewhere("2");
	CHECK_STR(get("k"), "1"); /* the page goes on reading what it began with */
	store_snapshot_end(S);
	CHECK_STR(get("k"), "2");
	/* without a snapshot, every read is its own */
	write_elsewhere("3");
	CHECK_STR(get("k"), "3");
}

static void test_own_writes_end_it(void)
{
	store_snapshot_begin(S);
	CHECK_STR(get("k"), "3");
	CHECK(store_setting_set(S, "k", "4") == 0);
	CHECK_STR(get("k"), "4"); /* a handler reads what it wrote */
	write_elsewhere("5");
	CHECK_STR(get("k"), "4"); /* and the read after the write began a new snapshot */
	/* a workflow transaction ends it too, and reads inside it see its writes */
	CHECK(store_tx_begin(S) == 0);
	CHECK_STR(get("k"), "5");
	CHECK(store_setting_set(S, "k", "6") == 0);
	CHECK_STR(get("k"), "6");
	CHECK(store_tx_commit(S) == 0);
	CHECK_STR(get("k"), "6");
	store_snapshot_end(S);
	store_snapshot_end(S); /* twice: nothing */
	CHECK_STR(get("k"), "6");
}

static void test_a_refused_write_leaves_it(void)
{
	store_snapshot_begin(S);
	CHECK_STR(get("k"), "6");
	write_elsewhere("7");
	CHECK(store_setting_set(S, NULL, "x") == Q_EINVAL); /* refused before it began: the snapshot stays */
	CHECK_STR(get("k"), "6");
	store_snapshot_end(S);
	CHECK_STR(get("k"), "7");
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/quire.db", dir);
	CHECK(store_open_sqlite(&S, path) == 0);
	A = arena_new();
	test_reads_share_one_snapshot();
	test_own_writes_end_it();
	test_a_refused_write_leaves_it();
	arena_free(A);
	store_close(S);
	fixture_remove_dir(dir);
	return CHECK_DONE();
}
