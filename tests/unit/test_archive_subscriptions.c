/* Unit tests for subscription rules: names of kinds and mail choices, signed unsubscribe tokens, who may follow what. */
#include "check.h"
#include "archive/subscriptions.h"
#include "core/err.h"
#include "core/log.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_names(void)
{
	enum sub_kind k;
	int mail;
	CHECK(subscription_kind_parse("work", &k) == 0 && k == SUB_WORK);
	CHECK(subscription_kind_parse("user", &k) == 0 && k == SUB_USER);
	CHECK(subscription_kind_parse("series", &k) == 0 && k == SUB_SERIES);
	CHECK(subscription_kind_parse("Work", &k) == Q_EINVAL);
	CHECK(subscription_kind_parse("", &k) == Q_EINVAL);
	CHECK(subscription_kind_parse(NULL, &k) == Q_EINVAL);
	CHECK_STR(subscription_kind_name(SUB_SERIES), "series");
	CHECK_STR(subscription_kind_name(SUB_KIND_COUNT), "");
	CHECK(subscription_mail_parse("default", &mail) == 0 && mail == -1);
	CHECK(subscription_mail_parse("inbox", &mail) == 0 && mail == 0);
	CHECK(subscription_mail_parse("email", &mail) == 0 && mail == 1);
	CHECK(subscription_mail_parse("e-mail", &mail) == Q_EINVAL);
	for (int m = -1; m <= 1; m++) {
		int back = 9;
		CHECK(subscription_mail_parse(subscription_mail_name(m), &back) == 0 && back == m);
	}
}

static void test_tokens(void)
{
	unsigned char key[SUBSCRIPTIONS_KEY_LEN], other[SUBSCRIPTIONS_KEY_LEN];
	char t[SUBSCRIPTIONS_TOKEN_MAX + 1];
	int64_t sid = 0, uid = 0;
	randombytes_buf(key, sizeof key);
	randombytes_buf(other, sizeof other);
	subscriptions_unsub_token(key, 42, 7, t);
	CHECK(!strncmp(t, "42.7.", 5) && strlen(t) == 5 + 64);
	CHECK(subscriptions_unsub_check(key, t, &sid, &uid) && sid == 42 && uid == 7);
	CHECK(!subscriptions_unsub_check(other, t, &sid, &uid));
	/* Any change to the ids or the signature is refused. */
	char bad[SUBSCRIPTIONS_TOKEN_MAX + 8];
	snprintf(bad, sizeof bad, "43%s", t + 2);
	CHECK(!subscriptions_unsub_check(key, bad, &sid, &uid));
	snprintf(bad, sizeof bad, "42.8%s", t + 4);
	CHECK(!subscriptions_unsub_check(key, bad, &sid, &uid));
	snprintf(bad, sizeof bad, "%s", t);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	CHECK(!subscriptions_unsub_check(key, bad, &sid, &uid));
	snprintf(bad, sizeof bad, "%sa", t);
	CHECK(!subscriptions_unsub_check(key, bad, &sid, &uid));
	snprintf(bad, sizeof bad, "042%s", t + 2);
	CHECK(!subscriptions_unsub_check(key, bad, &sid, &uid));
	CHECK(!subscriptions_unsub_check(key, "", &sid, &uid));
	CHECK(!subscriptions_unsub_check(key, NULL, &sid, &uid));
	CHECK(!subscriptions_unsub_check(key, "-1.7.", &sid, &uid));
	/* Upper-case hex is not ours. */
	snprintf(bad, sizeof bad, "%s", t);
	for (char *p = bad + 5; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	CHECK(strcmp(bad, t) == 0 || !subscriptions_unsub_check(key, bad, &sid, &uid));
}

/* The rules against a real store: what may be followed. */
static void test_rules(void)
{
	char dir[] = "/tmp/quire-archive-sub-XXXXXX", path[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/quire.db", dir);
	struct store *st = NULL;
	CHECK(store_open_sqlite(&st, path) == 0);
	if (!st)
		return;
	struct arena *a = arena_new();
	int64_t author = 0, reader = 0, wid = 0, draft = 0, cid = 0, id = 0;
	CHECK(store_user_create(st, "author", "author@example.org", "x", NULL, &author) == 0);
	CHECK(store_user_create(st, "reader", "reader@example.org", "x", NULL, &reader) == 0);
	static const char *fandom[] = {"Original Work"};
	struct work w = {.title = "Posted", .language = "English", .series_title = "Saga"};
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.tags[TAG_FANDOM] = (struct strlist){fandom, 1};
	struct chapter c = {.title = "", .content = "text", .content_html = "<p>text</p>", .content_format = "text"};
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	CHECK(store_work_create(st, &w, &c, author, &wid, &cid) == 0);
	w.title = "Draft";
	w.draft = true;
	w.series_title = "Drafts only";
	CHECK(store_work_create(st, &w, &c, author, &draft, &cid) == 0);
	struct work got;
	CHECK(store_work_get(st, a, draft, &got) == 0);
	int64_t draft_series = got.series_id;
	CHECK(store_work_get(st, a, wid, &got) == 0);
	int64_t series = got.series_id;
	struct user ru = {.id = reader, .name = "reader", .role = "user"}, au = {.id = author, .name = "author"};
	const char *why = NULL;

	CHECK(subscriptions_add(st, a, &ru, SUB_WORK, wid, -1, &id, &why) == 0 && id > 0);
	int64_t first = id;
	CHECK(subscriptions_add(st, a, &ru, SUB_WORK, wid, 1, &id, &why) == Q_EEXIST && id == first && why);
	CHECK(subscriptions_add(st, a, &ru, SUB_WORK, draft, -1, &id, &why) == Q_ENOTFOUND);
	CHECK(subscriptions_add(st, a, &ru, SUB_WORK, 999, -1, &id, &why) == Q_ENOTFOUND);
	CHECK(subscriptions_add(st, a, &ru, SUB_USER, author, -1, &id, &why) == 0);
	CHECK(subscriptions_add(st, a, &au, SUB_USER, author, -1, &id, &why) == Q_EINVAL && why);
	CHECK(subscriptions_add(st, a, &ru, SUB_USER, 1, -1, &id, &why) == Q_EINVAL); /* the orphan account */
	CHECK(subscriptions_add(st, a, &ru, SUB_SERIES, series, -1, &id, &why) == 0);
	CHECK(subscriptions_add(st, a, &ru, SUB_SERIES, draft_series, -1, &id, &why) == Q_ENOTFOUND);
	CHECK(subscriptions_add(st, a, &au, SUB_SERIES, series, -1, &id, &why) == Q_EINVAL);
	CHECK(subscriptions_add(st, a, &ru, SUB_WORK, wid, 5, &id, &why) == Q_EINVAL);

	/* Tokens name one subscription; following one twice is answered, and changes nothing more. */
	unsigned char key[SUBSCRIPTIONS_KEY_LEN], again[SUBSCRIPTIONS_KEY_LEN];
	CHECK(subscriptions_key(st, key) == 0);
	CHECK(subscriptions_key(st, again) == 0 && !memcmp(key, again, sizeof key)); /* kept in settings */
	char t[SUBSCRIPTIONS_TOKEN_MAX + 1];
	subscriptions_unsub_token(key, first, reader, t);
	struct subscription s;
	CHECK(subscriptions_by_token(st, a, t, &s) == 0 && s.id == first && s.kind == SUB_WORK);
	CHECK(subscriptions_unsubscribe_token(st, a, t, &s) == 0);
	CHECK(subscriptions_unsubscribe_token(st, a, t, &s) == Q_ENOTFOUND);
	subscriptions_unsub_token(key, first, author, t); /* someone else's id, properly signed */
	CHECK(subscriptions_by_token(st, a, t, &s) == Q_ENOTFOUND);
	CHECK(subscriptions_by_token(st, a, "1.2.nothex", &s) == Q_EPERM);

	arena_free(a);
	store_close(st);
	static const char *const files[] = {"quire.db", "quire.db-wal", "quire.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	CHECK(rmdir(dir) == 0);
}

int main(void)
{
	log_set_quiet(1);
	CHECK(sodium_init() >= 0);
	test_names();
	test_tokens();
	test_rules();
	return CHECK_DONE();
}
