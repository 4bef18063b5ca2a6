/* Store tests for collections and gifts on any backend (QUIRE_TEST_STORE, default a fresh sqlite: file): members
 * and roles, items and the works' anonymous and unrevealed flags, listings and counts that leave hidden works
 * out, reveals with their announcements, gifts and refusals, gift exchanges' settings, sign-ups and
 * assignments, prompt memes' prompts, claims and fills, related works and their links back. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct store *S;
static struct arena *A;
static char dir[] = "/tmp/quire-coll-XXXXXX";

static int64_t new_user(const char *name)
{
	char email[128];
	int64_t id = 0;
	snprintf(email, sizeof email, "%s@example.org", name);
	CHECK(store_user_create(S, name, email, "$argon2id$x", NULL, &id) == 0);
	return id;
}

static int64_t post(const char *title, int64_t owner, const char *fandom, bool anonymous, bool unrevealed)
{
	struct work w;
	memset(&w, 0, sizeof w);
	w.title = title;
	w.summary = w.notes = w.end_notes = (struct text){"", ""};
	w.language = "English";
	static const char *rating[] = {"General Audiences"};
	const char **f = arena_calloc(A, 1, sizeof *f);
	f[0] = fandom;
	w.tags[TAG_RATING] = (struct strlist){rating, 1};
	w.tags[TAG_FANDOM] = (struct strlist){f, 1};
	w.anonymous = anonymous;
	w.unrevealed = unrevealed;
	struct chapter c;
	memset(&c, 0, sizeof c);
	c.title = c.content = "";
	c.summary = c.notes = c.end_notes = (struct text){"", ""};
	c.content = "Some words of a story.";
	c.content_format = "text";
	c.content_html = "<p>Some words of a story.</p>";
	c.word_count = 5;
	int64_t id = 0;
	CHECK(store_work_create(S, &w, &c, owner, &id, NULL) == 0);
	return id;
}

static struct collection coll(const char *name, const char *title)
{
	struct collection c;
	memset(&c, 0, sizeof c);
	c.name = name;
	c.title = title;
	c.description = c.intro = c.rules = c.faq = (struct text){"", ""};
	return c;
}

/* Ids of the works a listing shows (at most 20). */
static size_t listed(const struct listing_query *q, int64_t *ids)
{
	struct listing_result r;
	CHECK(store_work_find(S, A, q, &r) == 0);
	for (size_t i = 0; i < r.n; i++)
		ids[i] = r.items[i].id;
	return r.n;
}

static bool has(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static struct listing_query query(void)
{
	struct listing_query q;
	memset(&q, 0, sizeof q);
	q.complete = q.crossover = -1;
	return q;
}

static int64_t tag_count(const char *name, bool member)
{
	struct tag *t;
	size_t n;
	CHECK(store_tag_find(S, A, name, &t, &n) == 0 && n <= 1);
	return n ? (member ? t[0].works_count : t[0].public_count) : -1;
}

static int64_t inbox_count(int64_t user, const char *needle)
{
	struct inbox_item *items;
	size_t n, k = 0;
	CHECK(store_inbox_list(S, A, user, false, 0, 50, &items, &n) == 0);
	for (size_t i = 0; i < n; i++)
		k += items[i].body && strstr(items[i].body, needle) != NULL;
	return (int64_t)k;
}

static void test_collections_and_members(void)
{
	int64_t owner = new_user("coll_owner"), mod = new_user("coll_mod"), other = new_user("coll_other");
	struct collection c = coll("Yuletide_2026", "Yuletide 2026");
	c.description = (struct text){"Rare fandoms", "<p>Rare fandoms</p>"};
	int64_t id = 0, sub = 0;
	CHECK(store_collection_create(S, &c, owner, &id) == 0 && id > 0);
	struct collection dup = coll("yuletide_2026", "Again");
	CHECK(store_collection_create(S, &dup, owner, NULL) == Q_EEXIST);
	struct collection got;
	CHECK(store_collection_get(S, A, 0, "YULETIDE_2026", &got) == 0 && got.id == id);
	CHECK_STR(got.title, "Yuletide 2026");
	CHECK_STR(got.description.html, "<p>Rare fandoms</p>");
	CHECK(store_collection_get(S, A, 0, "nope", &got) == Q_ENOTFOUND);

	/* One level of subcollections. */
	struct collection s1 = coll("Yuletide_2026_madness", "Madness");
	s1.parent_id = id;
	CHECK(store_collection_create(S, &s1, mod, &sub) == 0);
	CHECK(store_collection_get(S, A, sub, NULL, &got) == 0 && got.parent_id == id);
	CHECK_STR(got.parent_name, "Yuletide_2026");
	struct collection s2 = coll("too_deep", "Too deep");
	s2.parent_id = sub;
	CHECK(store_collection_create(S, &s2, mod, NULL) == Q_EINVAL);

	/* Roles: the owner, a moderator; the parent's moderators moderate its subcollections. */
	int role;
	CHECK(store_collection_member_role(S, id, owner, &role) == 0 && role == COLLECTION_OWNER);
	CHECK(store_collection_member_role(S, id, other, &role) == 0 && role == COLLECTION_NOBODY);
	CHECK(store_collection_member_set(S, id, mod, COLLECTION_MODERATOR) == 0);
	CHECK(store_collection_member_role(S, sub, owner, &role) == 0 && role == COLLECTION_OWNER);
	CHECK(store_collection_member_set(S, id, other, COLLECTION_MEMBER) == 0);
	CHECK(store_collection_member_role(S, sub, other, &role) == 0 && role == COLLECTION_NOBODY);
	/* The last owner cannot leave. */
	CHECK(store_collection_member_set(S, id, owner, COLLECTION_NOBODY) == Q_EINVAL);
	CHECK(store_collection_member_role(S, id, owner, &role) == 0 && role == COLLECTION_OWNER);
	struct collection_member *m;
	size_t n;
	CHECK(store_collection_members(S, A, id, COLLECTION_MEMBER, NULL, 10, &m, &n) == 0 && n == 3);
	CHECK(n == 3 && !strcmp(m[0].name, "coll_mod") && m[0].role == COLLECTION_MODERATOR);
	CHECK(store_collection_members(S, A, id, COLLECTION_MODERATOR, NULL, 10, &m, &n) == 0 && n == 2);
	CHECK(store_collection_members(S, A, id, COLLECTION_MEMBER, "coll_mod", 10, &m, &n) == 0 && n == 2);

	/* Listing: top-level only, children, a member's. */
	struct collection *list;
	struct collection_query cq = {.parent_id = 0, .open = -1, .challenge = -1, .limit = 10};
	CHECK(store_collection_list(S, A, &cq, &list, &n) == 0 && n == 1 && list[0].id == id);
	cq.parent_id = id;
	CHECK(store_collection_list(S, A, &cq, &list, &n) == 0 && n == 1 && list[0].id == sub);
	cq = (struct collection_query){.parent_id = -1, .open = -1, .challenge = -1, .member_id = other, .limit = 10};
	CHECK(store_collection_list(S, A, &cq, &list, &n) == 0 && n == 1 && list[0].id == id);
	cq = (struct collection_query){.parent_id = -1, .open = -1, .challenge = -1, .after_name = "Yuletide_2026",
	                               .limit = 10};
	CHECK(store_collection_list(S, A, &cq, &list, &n) == 0 && n == 1 && list[0].id == sub);
}

static void test_items_flags_listings(void)
{
	int64_t mod = new_user("ex_mod"), writer = new_user("ex_writer"), reader = new_user("ex_reader");
	struct collection c = coll("Exchange_A", "Exchange A");
	c.unrevealed = c.anonymous = true;
	int64_t cid;
	CHECK(store_collection_create(S, &c, mod, &cid) == 0);
	int64_t before = tag_count("Rare Fandom", true);
	CHECK(before == -1 || before == 0);
	/* Posted hidden at once (the workflow sets the flags from the collections it is posted to). */
	int64_t hidden = post("Hidden Gift", writer, "Rare Fandom", true, true);
	CHECK(store_collection_item_set(S, cid, hidden, 1, 1, writer) == 0);
	int64_t open = post("Open Story", writer, "Rare Fandom", false, false);
	struct work w;
	CHECK(store_work_get(S, A, hidden, &w) == 0 && w.anonymous && w.unrevealed);
	CHECK(store_work_get(S, A, open, &w) == 0 && !w.anonymous && !w.unrevealed);
	/* Counted nowhere while hidden. */
	CHECK(tag_count("Rare Fandom", true) == 1);
	CHECK(tag_count("Rare Fandom", false) == 1);

	int64_t ids[20];
	struct listing_query q = query();
	size_t n = listed(&q, ids);
	CHECK(has(ids, n, open) && !has(ids, n, hidden));
	q.viewer_id = reader;
	n = listed(&q, ids);
	CHECK(has(ids, n, open) && !has(ids, n, hidden));
	/* The creator's own listing shows it; another's listing of the creator does not. */
	q.creator_id = writer;
	n = listed(&q, ids);
	CHECK(has(ids, n, open) && !has(ids, n, hidden));
	q.viewer_id = writer;
	n = listed(&q, ids);
	CHECK(has(ids, n, open) && has(ids, n, hidden));
	/* The collection's listing: for its moderators only while unrevealed. */
	q = query();
	q.collection_id = cid;
	q.viewer_id = reader;
	CHECK(listed(&q, ids) == 0);
	q.viewer_id = mod;
	q.with_unrevealed = true;
	n = listed(&q, ids);
	CHECK(n == 1 && ids[0] == hidden);

	/* Adding the open work to the collection hides it too; refusing the item shows it again. */
	CHECK(store_collection_item_set(S, cid, open, 0, 1, writer) == 0);
	CHECK(store_work_get(S, A, open, &w) == 0 && w.anonymous && w.unrevealed);
	CHECK(tag_count("Rare Fandom", true) == 0);
	CHECK(store_collection_item_set(S, cid, open, -1, 1, writer) == 0);
	CHECK(store_work_get(S, A, open, &w) == 0 && !w.anonymous && !w.unrevealed);
	struct collection_item *items;
	CHECK(store_collection_items(S, A, cid, ITEMS_REFUSED, 0, 10, &items, &n) == 0 && n == 1);
	CHECK(n == 1 && items[0].work_id == open && items[0].by_collection == -1);
	CHECK(store_collection_items(S, A, cid, ITEMS_APPROVED, 0, 10, &items, &n) == 0 && n == 1);
	CHECK(store_collection_items_of_work(S, A, hidden, &items, &n) == 0 && n == 1);
	CHECK(n == 1 && items[0].collection_unrevealed && !strcmp(items[0].collection_name, "Exchange_A"));
	CHECK(store_collection_item_delete(S, cid, open) == 0);
	CHECK(store_collection_item_delete(S, cid, open) == Q_ENOTFOUND);
	struct collection got;
	CHECK(store_collection_get(S, A, cid, NULL, &got) == 0 && got.works_count == 1);

	/* A gift to the reader, told only once the work can be seen. */
	struct gift g = {.user_id = reader, .name = "ex_reader"};
	CHECK(store_gifts_set(S, hidden, &g, 1) == 0);
	CHECK(inbox_count(reader, "A gift for you") == 0);
	struct gift *gifts;
	CHECK(store_gifts_of_user(S, A, reader, false, 0, 10, &gifts, &n) == 0 && n == 1);
	CHECK(n == 1 && gifts[0].work_id == hidden);

	/* Reveal the works: listed, counted and announced; still anonymous. */
	CHECK(store_collection_reveal(S, cid, true, false) == 0);
	CHECK(store_work_get(S, A, hidden, &w) == 0 && !w.unrevealed && w.anonymous);
	CHECK(tag_count("Rare Fandom", true) == 2);
	CHECK(inbox_count(reader, "A gift for you") == 1);
	q = query();
	q.viewer_id = reader;
	q.creator_id = writer;
	n = listed(&q, ids);
	CHECK(has(ids, n, open) && !has(ids, n, hidden));
	q.creator_id = 0;
	n = listed(&q, ids);
	CHECK(has(ids, n, hidden));
	/* Then the creators. */
	CHECK(store_collection_reveal(S, cid, false, true) == 0);
	CHECK(store_work_get(S, A, hidden, &w) == 0 && !w.unrevealed && !w.anonymous);
	q.creator_id = writer;
	n = listed(&q, ids);
	CHECK(has(ids, n, hidden));
	CHECK(store_collection_get(S, A, cid, NULL, &got) == 0 && !got.unrevealed && !got.anonymous);

	/* Scheduled reveals come due. */
	struct collection later = coll("Exchange_B", "Exchange B");
	later.unrevealed = true;
	later.reveal_at = 1000;
	int64_t bid, *due;
	CHECK(store_collection_create(S, &later, mod, &bid) == 0);
	CHECK(store_collection_reveal_due(S, A, 999, &due, &n) == 0 && n == 0);
	CHECK(store_collection_reveal_due(S, A, 1000, &due, &n) == 0 && n == 1 && due[0] == bid);

	/* Turning a collection unrevealed hides its works; deleting it shows them again. */
	int64_t third = post("Third", writer, "Other Fandom", false, false);
	CHECK(store_collection_item_set(S, bid, third, 1, 1, mod) == 0);
	CHECK(store_work_get(S, A, third, &w) == 0 && w.unrevealed && !w.anonymous);
	CHECK(store_collection_delete(S, bid) == 0);
	CHECK(store_work_get(S, A, third, &w) == 0 && !w.unrevealed);
}

static void test_gifts(void)
{
	int64_t giver = new_user("gift_giver"), fan = new_user("gift_fan");
	int64_t wid = post("For You", giver, "Gift Fandom", false, false);
	struct gift g[3] = {{.user_id = fan, .name = "gift_fan"}, {.name = "My Sister"}, {.name = "my sister"}};
	CHECK(store_gifts_set(S, wid, g, 2) == 0);
	CHECK(inbox_count(fan, "A gift for you: For You") == 1);
	struct gift *list;
	size_t n;
	CHECK(store_gifts_of_work(S, A, wid, &list, &n) == 0 && n == 2);
	CHECK(n == 2 && list[0].user_id == fan && !strcmp(list[1].name, "My Sister") && list[1].user_id == 0);
	int64_t fan_gift = list[0].id;
	/* Refused: off the recipient's list unless asked for; kept when the work is edited again. */
	CHECK(store_gift_refuse(S, fan_gift, giver, true) == Q_ENOTFOUND);
	CHECK(store_gift_refuse(S, fan_gift, fan, true) == 0);
	CHECK(store_gifts_of_user(S, A, fan, false, 0, 10, &list, &n) == 0 && n == 0);
	CHECK(store_gifts_of_user(S, A, fan, true, 0, 10, &list, &n) == 0 && n == 1 && list[0].refused);
	struct gift again[2] = {{.name = "MY SISTER"}, {.user_id = fan, .name = "gift_fan"}};
	CHECK(store_gifts_set(S, wid, again, 2) == 0);
	CHECK(store_gifts_of_work(S, A, wid, &list, &n) == 0 && n == 2);
	CHECK(n == 2 && !strcmp(list[0].name, "MY SISTER") && list[1].id == fan_gift && list[1].refused);
	CHECK(inbox_count(fan, "A gift for you") == 1);
	/* Dropped from the work. */
	CHECK(store_gifts_set(S, wid, again, 1) == 0);
	CHECK(store_gifts_of_user(S, A, fan, true, 0, 10, &list, &n) == 0 && n == 0);
	struct gift bad = {.name = ""};
	CHECK(store_gifts_set(S, wid, &bad, 1) == Q_EINVAL);
}

static void test_prompts(void)
{
	int64_t mod = new_user("meme_mod"), prompter = new_user("meme_prompter"), filler = new_user("meme_filler");
	struct collection c = coll("kink_meme", "Kink Meme");
	c.challenge = CHALLENGE_PROMPT_MEME;
	c.unrevealed = true;
	int64_t cid = 0;
	CHECK(store_collection_create(S, &c, mod, &cid) == 0);
	struct prompt p;
	memset(&p, 0, sizeof p);
	p.collection_id = cid;
	p.user_id = prompter;
	p.anonymous = true;
	p.title = "Enemies to friends";
	p.description = (struct text){"They bicker.", "<p>They bicker.</p>"};
	const char *fandoms[] = {"Meme Fandom"}, *freeforms[] = {"Bickering", "Fluff"};
	p.tags[EXCHANGE_FANDOM] = (struct strlist){fandoms, 1};
	p.tags[EXCHANGE_FREEFORM] = (struct strlist){freeforms, 2};
	int64_t pid = 0, pid2 = 0;
	CHECK(store_prompt_create(S, &p, &pid) == 0 && pid > 0);
	p.title = "Second";
	p.anonymous = false;
	p.tags[EXCHANGE_FREEFORM].n = 0;
	CHECK(store_prompt_create(S, &p, &pid2) == 0 && pid2 > pid);
	struct prompt got;
	CHECK(store_prompt_get(S, A, pid, &got) == 0 && got.anonymous && got.user_id == prompter);
	CHECK_STR(got.user_name, "meme_prompter");
	CHECK_STR(got.collection_name, "kink_meme");
	CHECK(got.tags[EXCHANGE_FANDOM].n == 1 && got.tags[EXCHANGE_FREEFORM].n == 2);
	CHECK(got.tags[EXCHANGE_FREEFORM].n == 2 && !strcmp(got.tags[EXCHANGE_FREEFORM].items[1], "Fluff"));
	int64_t count = 0;
	CHECK(store_prompts_count(S, cid, prompter, &count) == 0 && count == 2);
	CHECK(store_prompts_count(S, cid, filler, &count) == 0 && count == 0);
	struct prompt *list;
	size_t n;
	struct prompt_query q = {.collection_id = cid, .limit = 10};
	CHECK(store_prompts_list(S, A, &q, &list, &n) == 0 && n == 2 && list[0].id == pid2);
	q.tag = "bickering";
	CHECK(store_prompts_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == pid);
	q.tag = NULL;
	q.before_id = pid2;
	CHECK(store_prompts_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == pid);

	/* Claims: one per user. */
	CHECK(store_prompt_claim(S, pid, filler, true) == 0);
	CHECK(store_prompt_claim(S, pid, filler, true) == Q_EEXIST);
	CHECK(store_prompt_claim(S, pid2, filler, false) == Q_ENOTFOUND);
	CHECK(store_prompt_claim(S, 999999, filler, true) == Q_ENOTFOUND);
	q = (struct prompt_query){.collection_id = cid, .state = PROMPTS_CLAIMED, .limit = 10};
	CHECK(store_prompts_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == pid && list[0].claims_count == 1);
	q.state = PROMPTS_UNCLAIMED;
	CHECK(store_prompts_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].id == pid2);
	struct prompt_claim *claims;
	CHECK(store_prompt_claims(S, A, 0, cid, filler, &claims, &n) == 0 && n == 1 && claims[0].prompt_id == pid);
	CHECK(n == 1 && !strcmp(claims[0].prompt_title, "Enemies to friends") && claims[0].work_id == 0);

	/* A fill not yet revealed tells nobody; the reveal does. */
	int64_t wid = post("The Fill", filler, "Meme Fandom", false, false);
	CHECK(store_collection_item_set(S, cid, wid, 1, 1, filler) == 0);
	struct work w;
	CHECK(store_work_get(S, A, wid, &w) == 0 && w.unrevealed);
	CHECK(store_prompt_fill(S, pid, wid, filler) == 0);
	CHECK(store_prompt_fill(S, pid, wid, filler) == 0); /* again: nothing new */
	CHECK(inbox_count(prompter, "was filled") == 0);
	CHECK(store_prompt_claims(S, A, pid, 0, 0, &claims, &n) == 0 && n == 1 && claims[0].work_id == wid);
	struct prompt_fill *fills;
	CHECK(store_prompt_fills(S, A, pid, 0, &fills, &n) == 0 && n == 1 && fills[0].work_id == wid);
	CHECK(n == 1 && !fills[0].work_listed && fills[0].prompt_anonymous && fills[0].prompter_id == prompter);
	CHECK(store_prompt_fills(S, A, 0, wid, &fills, &n) == 0 && n == 1 && fills[0].prompt_id == pid);
	q = (struct prompt_query){.collection_id = cid, .state = PROMPTS_FILLED, .limit = 10};
	CHECK(store_prompts_list(S, A, &q, &list, &n) == 0 && n == 1 && list[0].fills_count == 1);
	CHECK(store_collection_reveal(S, cid, true, false) == 0);
	CHECK(inbox_count(prompter, "Your prompt Enemies to friends was filled: The Fill") == 1);
	CHECK(store_prompt_fills(S, A, pid, 0, &fills, &n) == 0 && n == 1 && fills[0].work_listed);
	/* A visible work filling a prompt tells at once; not its own prompter. */
	int64_t w2 = post("Second Fill", filler, "Meme Fandom", false, false);
	CHECK(store_prompt_fill(S, pid2, w2, filler) == 0);
	CHECK(inbox_count(prompter, "Your prompt Second was filled") == 1);
	int64_t w3 = post("Self Fill", prompter, "Meme Fandom", false, false);
	CHECK(store_prompt_fill(S, pid2, w3, prompter) == 0);
	CHECK(inbox_count(prompter, "Self Fill") == 0);

	/* Deleting a prompt drops its claims and fills, not the works. */
	CHECK(store_prompt_delete(S, pid) == 0);
	CHECK(store_prompt_get(S, A, pid, &got) == Q_ENOTFOUND);
	CHECK(store_prompt_fills(S, A, 0, wid, &fills, &n) == 0 && n == 0);
	CHECK(store_prompt_claims(S, A, 0, cid, filler, &claims, &n) == 0 && n == 0);
	CHECK(store_work_get(S, A, wid, &w) == 0);
	CHECK(store_prompt_delete(S, pid) == Q_ENOTFOUND);
}

static void test_related(void)
{
	int64_t a = new_user("rel_author"), b = new_user("rel_fan");
	int64_t parent = post("The Original", a, "Rel Fandom", false, false);
	int64_t other = post("Another Original", a, "Rel Fandom", false, false);
	int64_t child = post("The Remix", b, "Rel Fandom", false, false);
	struct work_relation r[3] = {
		{.kind = RELATION_INSPIRED, .parent_id = parent},
		{.kind = RELATION_TRANSLATION, .url = "https://example.org/story", .title = "Elsewhere", .author = "Someone"},
	};
	CHECK(store_relations_set(S, child, r, 2) == 0);
	CHECK(inbox_count(a, "A work inspired by The Original: The Remix") == 1);
	struct work_relation *list;
	size_t n;
	CHECK(store_relations_of(S, A, child, &list, &n) == 0 && n == 2);
	CHECK(n == 2 && list[0].parent_id == parent && list[0].other_listed && !list[0].approved);
	CHECK(n == 2 && !strcmp(list[0].other_title, "The Original") && !strcmp(list[0].other_creator, "rel_author"));
	CHECK(n == 2 && list[1].parent_id == 0 && !strcmp(list[1].url, "https://example.org/story"));
	CHECK(n == 2 && !strcmp(list[1].title, "Elsewhere") && list[1].kind == RELATION_TRANSLATION);
	/* The link back waits for the parent's creators. */
	CHECK(store_relations_to(S, A, parent, false, &list, &n) == 0 && n == 0);
	CHECK(store_relations_to(S, A, parent, true, &list, &n) == 0 && n == 1 && list[0].work_id == child);
	CHECK(n == 1 && !strcmp(list[0].other_title, "The Remix") && list[0].other_owner_id == b);
	int64_t rid = list[0].id;
	CHECK(store_relation_approve(S, rid, other, true) == Q_ENOTFOUND);
	CHECK(store_relation_approve(S, rid, parent, true) == 0);
	CHECK(store_relations_to(S, A, parent, false, &list, &n) == 0 && n == 1 && list[0].approved);
	/* Set again (a podfic added): the kept link keeps its id and approval, nobody is told twice. */
	r[2] = (struct work_relation){.kind = RELATION_PODFIC, .parent_id = other};
	r[1] = r[2];
	CHECK(store_relations_set(S, child, r, 2) == 0);
	CHECK(store_relations_to(S, A, parent, false, &list, &n) == 0 && n == 1 && list[0].id == rid);
	CHECK(inbox_count(a, "A work inspired by The Original") == 1);
	CHECK(inbox_count(a, "A podfic of Another Original: The Remix") == 1);
	/* Refused: a work related to itself, a kind unknown, a link to nowhere. */
	struct work_relation bad = {.kind = RELATION_INSPIRED, .parent_id = child};
	CHECK(store_relations_set(S, child, &bad, 1) == Q_EINVAL);
	bad = (struct work_relation){.kind = 7, .parent_id = parent};
	CHECK(store_relations_set(S, child, &bad, 1) == Q_EINVAL);
	bad = (struct work_relation){.kind = RELATION_INSPIRED};
	CHECK(store_relations_set(S, child, &bad, 1) == Q_EINVAL);
	/* A child not yet revealed tells nobody until it shows. */
	struct collection c = coll("rel_hidden", "Hidden");
	c.unrevealed = true;
	int64_t cid = 0;
	CHECK(store_collection_create(S, &c, b, &cid) == 0);
	int64_t hidden = post("Hidden Remix", b, "Rel Fandom", false, false);
	CHECK(store_collection_item_set(S, cid, hidden, 1, 1, b) == 0);
	struct work_relation h = {.kind = RELATION_INSPIRED, .parent_id = parent};
	CHECK(store_relations_set(S, hidden, &h, 1) == 0);
	CHECK(inbox_count(a, "Hidden Remix") == 0);
	CHECK(store_relations_to(S, A, parent, true, &list, &n) == 0 && n == 2 && !list[0].other_listed);
	CHECK(store_collection_reveal(S, cid, true, false) == 0);
	CHECK(inbox_count(a, "A work inspired by The Original: Hidden Remix") == 1);
	/* Dropped: the links go. */
	CHECK(store_relations_set(S, child, NULL, 0) == 0);
	CHECK(store_relations_of(S, A, child, &list, &n) == 0 && n == 0);
}

static int64_t outbox_count(int64_t user, int kind)
{
	struct outbox_item *items;
	size_t n, k = 0;
	/* Claims what is due (the test's mail): counted, then let go as sent. */
	CHECK(store_outbox_claim(S, A, INT64_MAX / 2, 100, &items, &n) == 0);
	struct outbox_done *done = arena_calloc(A, n + 1, sizeof *done);
	for (size_t i = 0; i < n; i++) {
		k += items[i].user_id == user && (int)items[i].kind == kind;
		done[i] = (struct outbox_done){.id = items[i].id, .result = OUTBOX_SENT};
	}
	CHECK(store_outbox_finish(S, done, n, 0) == 0);
	return (int64_t)k;
}

static void test_exchanges(void)
{
	int64_t mod = new_user("swap_mod"), a = new_user("swap_a"), b = new_user("swap_b"), c = new_user("swap_c");
	struct collection col = coll("swap_2026", "Swap 2026");
	col.challenge = CHALLENGE_GIFT_EXCHANGE;
	int64_t cid = 0;
	CHECK(store_collection_create(S, &col, mod, &cid) == 0);
	struct exchange x;
	CHECK(store_exchange_get(S, A, cid, &x) == Q_ENOTFOUND);
	memset(&x, 0, sizeof x);
	x.collection_id = cid;
	x.signups_open = true;
	x.assignments_due_at = 1900000000;
	x.requests_min = x.offers_min = 1;
	x.requests_max = x.offers_max = 2;
	x.tags_min[EXCHANGE_FANDOM] = 1;
	x.tags_max[EXCHANGE_FANDOM] = 2;
	x.match[EXCHANGE_FANDOM] = 1;
	x.allow_any[EXCHANGE_CHARACTER] = true;
	x.instructions = (struct text){"Be nice", "<p>Be nice</p>"};
	CHECK(store_exchange_set(S, &x) == 0);
	struct exchange got;
	CHECK(store_exchange_get(S, A, cid, &got) == 0 && got.signups_open && got.assignments_due_at == 1900000000);
	CHECK(got.requests_max == 2 && got.tags_max[EXCHANGE_FANDOM] == 2 && got.match[EXCHANGE_FANDOM] == 1);
	CHECK(got.allow_any[EXCHANGE_CHARACTER] && !got.allow_any[EXCHANGE_FANDOM] && got.signups_count == 0);
	CHECK_STR(got.instructions.html, "<p>Be nice</p>");
	const char *set[] = {"Swapland", "Otherland", "swapland"};
	CHECK(store_exchange_tags_set(S, cid, EXCHANGE_FANDOM, set, 3) == 0);
	const char **names;
	size_t n;
	CHECK(store_exchange_tags(S, A, cid, EXCHANGE_FANDOM, &names, &n) == 0 && n == 2);
	CHECK(n == 2 && !strcmp(names[0], "Otherland") && !strcmp(names[1], "Swapland"));
	const char *look[] = {"SWAPLAND", "Nowhere"};
	int64_t ids[2];
	CHECK(store_exchange_tags_find(S, cid, EXCHANGE_FANDOM, look, 2, ids) == 0 && ids[0] > 0 && ids[1] == 0);
	int64_t swapland = ids[0];
	const char *other_look[] = {"Otherland"};
	int64_t otherland = 0;
	CHECK(store_exchange_tags_find(S, cid, EXCHANGE_FANDOM, other_look, 1, &otherland) == 0 && otherland > 0);

	/* Sign-ups: a requests Swapland, offers Otherland; b the other way; c offers Swapland with "any" character. */
	struct signup su[3];
	int64_t sid[3];
	int64_t users[3] = {a, b, c};
	int64_t req_tag[3] = {swapland, otherland, otherland}, off_tag[3] = {otherland, swapland, swapland};
	const char *req_name[3] = {"Swapland", "Otherland", "Otherland"}, *off_name[3] = {"Otherland", "Swapland", "Swapland"};
	for (int i = 0; i < 3; i++) {
		memset(&su[i], 0, sizeof su[i]);
		su[i].collection_id = cid;
		su[i].user_id = users[i];
		su[i].pinch_hitter = i == 2;
		su[i].items = arena_calloc(A, 2, sizeof *su[i].items);
		su[i].nitems = 2;
		for (int k = 0; k < 2; k++) {
			struct signup_item *it = &su[i].items[k];
			it->kind = k;
			it->tags[EXCHANGE_FANDOM] = (struct strlist){k ? &off_name[i] : &req_name[i], 1};
			it->tag_ids[EXCHANGE_FANDOM] = arena_calloc(A, 1, sizeof(int64_t));
			it->tag_ids[EXCHANGE_FANDOM][0] = k ? off_tag[i] : req_tag[i];
			it->any_mask = i == 2 && k == 1 ? 1u << EXCHANGE_CHARACTER : 0;
			it->description = (struct text){"", ""};
		}
		CHECK(store_signup_save(S, &su[i], &sid[i]) == 0 && sid[i] > 0);
	}
	int64_t again = 0;
	CHECK(store_signup_save(S, &su[0], &again) == 0 && again == sid[0]); /* saved again: the same sign-up */
	CHECK(store_exchange_get(S, A, cid, &got) == 0 && got.signups_count == 3);
	struct signup one;
	CHECK(store_signup_get(S, A, 0, cid, c, &one) == 0 && one.id == sid[2] && one.pinch_hitter && one.nitems == 2);
	CHECK(one.nitems == 2 && one.items[0].kind == 0 && one.items[1].kind == 1);
	CHECK(one.nitems == 2 && one.items[1].any_mask == 1u << EXCHANGE_CHARACTER);
	CHECK(one.nitems == 2 && one.items[1].tags[EXCHANGE_FANDOM].n == 1 && one.items[1].tag_ids[EXCHANGE_FANDOM][0] == swapland);
	CHECK_STR(one.user_name, "swap_c");
	struct signup *list;
	CHECK(store_signups_list(S, A, cid, "swap_a", 10, &list, &n) == 0 && n == 2 && list[0].user_id == b);
	struct signup_tags *mt;
	CHECK(store_signups_for_matching(S, A, cid, &mt, &n) == 0 && n == 3);
	CHECK(n == 3 && mt[0].signup_id == sid[0] && mt[0].nitems == 2 && mt[0].items[0].ntags[EXCHANGE_FANDOM] == 1);
	CHECK(n == 3 && mt[0].items[0].tags[EXCHANGE_FANDOM][0] == (uint32_t)swapland && mt[2].items[1].any_mask);

	/* Drafts: a writes for b, b for a, c for nobody yet; replaced on a second run. */
	int64_t pairs[3][2] = {{sid[1], sid[0]}, {sid[0], sid[1]}, {sid[2], 0}};
	CHECK(store_assignments_replace_drafts(S, cid, (const int64_t (*)[2])pairs, 3) == 0);
	CHECK(store_assignments_replace_drafts(S, cid, (const int64_t (*)[2])pairs, 3) == 0);
	struct assignment *as;
	CHECK(store_assignments(S, A, cid, 0, ASSIGNMENTS_DRAFTS, 0, 50, &as, &n) == 0 && n == 3);
	CHECK(n == 3 && as[0].giver_id == a && as[0].recipient_id == b && as[2].giver_id == 0 && as[2].recipient_id == c);
	CHECK(n == 3 && !strcmp(as[0].giver_name, "swap_a") && !strcmp(as[0].recipient_name, "swap_b"));
	CHECK(n == 3 && as[0].due_at == 1900000000 && !strcmp(as[0].collection_name, "swap_2026"));
	int64_t a_for_b = as[0].id, for_c = as[2].id;
	CHECK(store_exchange_get(S, A, cid, &got) == 0 && got.matched_at > 0 && got.sent_at == 0);
	/* A draft handed to someone tells nobody yet. */
	CHECK(store_assignment_set_giver(S, for_c, b, sid[1], false) == 0);
	CHECK(inbox_count(b, "Your assignment") == 0);
	CHECK(store_assignment_set_giver(S, for_c, 0, 0, false) == 0);
	/* Sent: each giver told by inbox and mail. */
	CHECK(store_assignments_send(S, cid) == 0);
	CHECK(inbox_count(a, "Your assignment in Swap 2026: a gift for swap_b") == 1);
	CHECK(outbox_count(a, OUTBOX_ASSIGNMENT) == 1);
	CHECK(store_assignments(S, A, cid, 0, ASSIGNMENTS_OPEN, 0, 50, &as, &n) == 0 && n == 1 && as[0].id == for_c);
	CHECK(store_assignments(S, A, 0, a, 0, 0, 50, &as, &n) == 0 && n == 1 && as[0].id == a_for_b);
	/* a defaults; c takes it as a pinch hit and is told. */
	CHECK(store_assignment_default(S, a_for_b, b) == Q_ENOTFOUND);
	CHECK(store_assignment_default(S, a_for_b, a) == 0);
	struct assignment one_a;
	CHECK(store_assignment_get(S, A, a_for_b, &one_a) == 0 && one_a.giver_id == 0 && one_a.defaulted_by == a);
	CHECK(one_a.defaulted_at > 0 && one_a.defaulted_name && !strcmp(one_a.defaulted_name, "swap_a"));
	CHECK(store_assignments(S, A, cid, 0, ASSIGNMENTS_DEFAULTED, 0, 50, &as, &n) == 0 && n == 1);
	CHECK(store_assignment_set_giver(S, a_for_b, c, sid[2], true) == 0);
	CHECK(inbox_count(c, "a gift for swap_b") == 1);
	CHECK(outbox_count(c, OUTBOX_ASSIGNMENT) == 1);
	int64_t wid = post("Swap Gift", c, "Swapland", false, false);
	CHECK(store_assignment_fulfill(S, a_for_b, wid) == 0);
	CHECK(store_assignment_get(S, A, a_for_b, &one_a) == 0 && one_a.pinch_hit && one_a.fulfilled_work_id == wid);
	CHECK_STR(one_a.work_title, "Swap Gift");
	CHECK(store_assignment_set_giver(S, a_for_b, a, sid[0], false) == Q_ENOTFOUND); /* fulfilled: kept */
	CHECK(store_assignments(S, A, cid, 0, ASSIGNMENTS_UNFULFILLED, 0, 50, &as, &n) == 0 && n == 2);
	/* A sign-up withdrawn: its assignments keep their rows. */
	CHECK(store_signup_delete(S, cid, a) == 0);
	CHECK(store_signup_delete(S, cid, a) == Q_ENOTFOUND);
	CHECK(store_exchange_get(S, A, cid, &got) == 0 && got.signups_count == 2 && got.sent_at > 0);
	CHECK(store_assignments(S, A, cid, 0, ASSIGNMENTS_ALL, 0, 50, &as, &n) == 0 && n == 3);
}

int main(void)
{
	char url_buf[256], err[512];
	const char *url = getenv("QUIRE_TEST_STORE");
	bool temporary = !url || !*url;
	log_set_quiet(1);
	if (temporary) {
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
		snprintf(url_buf, sizeof url_buf, "sqlite:%s/quire.db", dir);
		url = url_buf;
	}
	A = arena_new();
	int rc = store_open(&S, url, err, sizeof err);
	CHECK(rc == 0);
	if (rc) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		return 1;
	}
	test_collections_and_members();
	test_items_flags_listings();
	test_gifts();
	test_prompts();
	test_related();
	test_exchanges();
	store_close(S);
	arena_free(A);
	if (temporary) {
		char p[512];
		const char *files[] = {"quire.db", "quire.db-wal", "quire.db-shm"};
		for (size_t i = 0; i < 3; i++) {
			snprintf(p, sizeof p, "%s/%s", dir, files[i]);
			unlink(p);
		}
		rmdir(dir);
	}
	return CHECK_DONE();
}
