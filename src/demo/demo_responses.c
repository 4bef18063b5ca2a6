/* The demo archive's reader response: reviews with the creators' replies, a guest's review, kudos and
 * bookmarks on the demo works, as src/demo/demo.json's "responses" array says, through the same
 * workflows (and rules) as a reader's clicks. */
#include "demo/demo.h"
#include "archive/response.h"
#include "archive/work.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#define GUEST_ADDRESS "192.0.2.1" /* TEST-NET-1: no real reader's address */

struct respond {
	struct store *st;
	struct arena *a;
	struct response *r;
	const struct demo_posted *works;
	size_t nworks;
	const struct user *users; /* the demo authors, as created */
	size_t nusers;
	const struct work *w; /* the work being responded to */
	struct chapter *chapters;
	size_t nchapters;
};

static void warn(const char *title, const char *what, int rc, const char *why, const struct field_errors *e)
{
	if (e && e->n)
		why = e->items[0].message;
	log_warn("demo: %s on \"%s\": %s", what, title, why ? why : err_str(rc));
}

/* The demo reader called name, or NULL (logged) when there is none. */
static const struct user *reader(struct respond *x, const char *name)
{
	for (size_t i = 0; name && i < x->nusers; i++)
		if (!strcmp(x->users[i].name, name))
			return &x->users[i];
	log_warn("demo: no demo user \"%s\" to respond as", name ? name : "(none)");
	return NULL;
}

/* One comment (and its replies, below it): by a demo user ("by") or a guest ("guest" names them). */
static void comment(struct respond *x, json_t *jc, const struct chapter *ch, int64_t parent)
{
	const char *by = json_string_value(json_object_get(jc, "by"));
	const char *guest = json_string_value(json_object_get(jc, "guest"));
	struct comment_input in = {.body = json_string_value(json_object_get(jc, "text")), .parent_id = parent};
	struct response_actor actor = {.address = GUEST_ADDRESS};
	if (guest) {
		in.guest_name = guest;
		in.guest_email = arena_printf(x->a, "%s@demo.quire.invalid", guest);
	} else if (!(actor.user = reader(x, by))) {
		return;
	}
	struct response_counts rc;
	struct comment c;
	struct field_errors e = {0};
	const char *why = NULL;
	int retry = 0, r = store_response_counts(x->st, x->w->id, ch ? ch->id : 0, &rc);
	if (r == 0)
		r = comment_post(x->r, x->st, x->a, x->w, ch, &rc, &actor, &in, &c, &e, &why, &retry);
	if (r != 0) {
		warn(x->w->title, "a comment", r, why, &e);
		return;
	}
	size_t i;
	json_t *reply;
	json_array_foreach(json_object_get(jc, "replies"), i, reply)
		comment(x, reply, ch, c.id);
}

static void kudos(struct respond *x, const char *name)
{
	struct response_actor actor = {.user = reader(x, name), .address = GUEST_ADDRESS};
	const char *why = NULL;
	int rc = actor.user ? kudos_give(x->r, x->st, x->w, NULL, &actor, &why) : 0;
	if (rc != 0)
		warn(x->w->title, "kudos", rc, why, NULL);
}

static void bookmark(struct respond *x, json_t *jb)
{
	const struct user *u = reader(x, json_string_value(json_object_get(jb, "by")));
	if (!u)
		return;
	struct bookmark_input in = {.notes = json_string_value(json_object_get(jb, "notes")),
	                            .tags = json_string_value(json_object_get(jb, "tags")),
	                            .rec = json_is_true(json_object_get(jb, "rec"))};
	struct field_errors e = {0};
	const char *why = NULL;
	int64_t id;
	int rc = bookmark_save(x->st, x->a, x->w, u, &in, 0, &id, &e, &why);
	if (rc != 0)
		warn(x->w->title, "a bookmark", rc, why, &e);
}

/* Everything demo.json says readers left on one work. */
static void respond_to(struct respond *x, json_t *jr)
{
	const char *title = json_string_value(json_object_get(jr, "work"));
	int64_t id = 0;
	for (size_t i = 0; title && i < x->nworks && !id; i++)
		if (!strcmp(x->works[i].title, title))
			id = x->works[i].id;
	struct work w;
	if (!id || store_work_get(x->st, x->a, id, &w) != 0 ||
	    store_chapter_list(x->st, x->a, id, false, &x->chapters, &x->nchapters) != 0) {
		log_warn("demo: responses to \"%s\", which is not a demo work", title ? title : "(no title)");
		return;
	}
	x->w = &w;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(jr, "kudos"), i, v)
		kudos(x, json_string_value(v));
	json_array_foreach(json_object_get(jr, "comments"), i, v) {
		json_int_t pos = json_integer_value(json_object_get(v, "chapter"));
		if (pos < 1 || (size_t)pos > x->nchapters) {
			log_warn("demo: a comment on chapter %lld of \"%s\", which has %zu", (long long)pos, title, x->nchapters);
			continue;
		}
		comment(x, v, &x->chapters[pos - 1], 0);
	}
	json_array_foreach(json_object_get(jr, "bookmarks"), i, v)
		bookmark(x, v);
	x->w = NULL;
}

int demo_respond(struct store *st, json_t *root, const struct demo_posted *works, size_t nworks,
                 const struct user *users, size_t nusers)
{
	unsigned char key[32];
	randombytes_buf(key, sizeof key); /* guest addresses are hashed with it; the demo has none to keep */
	struct respond x = {.st = st, .a = arena_new(), .r = response_new(st, key), .works = works, .nworks = nworks,
	                    .users = users, .nusers = nusers};
	size_t i;
	json_t *jr;
	json_array_foreach(json_object_get(root, "responses"), i, jr)
		respond_to(&x, jr);
	response_free(x.r);
	arena_free(x.a);
	return 0;
}
