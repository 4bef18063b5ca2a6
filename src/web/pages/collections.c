/* Collection pages: the directory, a collection's dashboard, profile, rules and FAQ, works, participants and
 * subcollections; its settings, members, items (moderation) and reveal; a work's collections. */
#include "web/pages/collection_pages.h"
#include "web/pages/pages.h"
#include "web/pages/response.h"
#include "web/listing_view.h"
#include "web/work_view.h"
#include "archive/collections.h"
#include "archive/work.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

#define MEMBERS_PER_PAGE 100
#define ITEMS_PER_PAGE 50
#define DIRECTORY_PER_PAGE 50

static const char *coll_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/collections/%s", esc_url_a(w->arena, name));
}

/* A collection for templates: what it is, and what the viewer (role) may do in it. */
static json_t *coll_json(struct web_req *w, const struct collection *c, int role)
{
	json_t *o = json_object();
	const char *url = coll_url(w, c->name);
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "url", json_string(url));
	json_object_set_new(o, "description_html", json_string(c->description.html ? c->description.html : ""));
	json_object_set_new(o, "has_intro", json_boolean(c->intro.html && *c->intro.html));
	json_object_set_new(o, "has_rules", json_boolean(c->rules.html && *c->rules.html));
	json_object_set_new(o, "has_faq", json_boolean(c->faq.html && *c->faq.html));
	json_object_set_new(o, "closed", json_boolean(c->closed));
	json_object_set_new(o, "moderated", json_boolean(c->moderated));
	json_object_set_new(o, "unrevealed", json_boolean(c->unrevealed));
	json_object_set_new(o, "anonymous", json_boolean(c->anonymous));
	json_object_set_new(o, "reveal_at", json_string(collection_time_text(w->arena, c->reveal_at)));
	json_object_set_new(o, "reveal_creators_at", json_string(collection_time_text(w->arena, c->reveal_creators_at)));
	json_object_set_new(o, "gift_exchange", json_boolean(c->challenge == CHALLENGE_GIFT_EXCHANGE));
	json_object_set_new(o, "prompt_meme", json_boolean(c->challenge == CHALLENGE_PROMPT_MEME));
	json_object_set_new(o, "works_count", json_integer(c->works_count));
	json_object_set_new(o, "created", json_string(web_date(w, c->created_at)));
	if (c->parent_id && c->parent_name)
		json_object_set_new(o, "parent", json_pack("{s:s, s:s, s:s}", "name", c->parent_name, "title",
		                                           c->parent_title ? c->parent_title : c->parent_name, "url",
		                                           coll_url(w, c->parent_name)));
	json_object_set_new(o, "role", json_string(collection_role_name(role)));
	json_object_set_new(o, "is_member", json_boolean(role >= COLLECTION_MEMBER));
	json_object_set_new(o, "is_moderator", json_boolean(collection_can_moderate(role)));
	json_object_set_new(o, "is_owner", json_boolean(collection_can_own(role)));
	json_object_set_new(o, "can_join", json_boolean(w->user && role == COLLECTION_NOBODY && !c->closed));
	return o;
}

/* Loads the collection named by path parameter 0 with the viewer's role; false after answering. */
static bool load(struct web_req *w, struct collection *c, int *role)
{
	int rc = archive_collection_load(w->app->store, w->arena, w->user, w->params[0], c, role);
	if (rc == Q_ENOTFOUND)
		web_error(w, 404, "There is no collection by that name.");
	else if (rc)
		web_error(w, 500, "The collection could not be loaded. Please try again in a moment.");
	return rc == 0;
}

json_t *collection_frame_json(struct web_req *w, const struct collection *c, int role, const char *tab)
{
	json_t *d = json_object();
	json_object_set_new(d, "collection", coll_json(w, c, role));
	json_object_set_new(d, "tab", json_string(tab));
	json_object_set_new(d, arena_printf(w->arena, "tab_%s", tab), json_true());
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_cache_depends(w, PAGE_DEP_COLLECTION, c->id);
	if (c->parent_id)
		web_cache_depends(w, PAGE_DEP_COLLECTION, c->parent_id);
	if (!w->user)
		w->cacheable = true;
	return d;
}

/* A failed workflow on a collection page. */
static void failed(struct web_req *w, int rc, const char *why)
{
	int status = rc == Q_ENOTFOUND ? 404 : rc == Q_EPERM ? 403 : rc == Q_EINVAL ? 422 : rc == Q_EBUSY ? 503 : 500;
	web_error(w, status, why ? why : status == 500 ? "That could not be done. Please try again in a moment."
	                                                : "That cannot be done here.");
}

/* Back to return (a safe local path) or to fallback, with a notice. */
static void back(struct web_req *w, const char *fallback, const char *notice)
{
	const char *r = kv_get(&w->req->form, "return");
	const char *to = r && web_return_path_ok(r) ? r : fallback;
	web_redirect(w, arena_printf(w->arena, "%s%snotice=%s", to, strchr(to, '?') ? "&" : "?", notice));
}

static const char *notice_text(const char *n)
{
	static const struct {
		const char *key, *text;
	} notices[] = {
		{"created", "Your collection was created."}, {"saved", "The collection's settings were saved."},
		{"joined", "You joined the collection."}, {"left", "You left the collection."},
		{"member", "The participants were changed."}, {"added", "The work was added."},
		{"invited", "The work's creator was invited to add it."}, {"approve", "The work was approved."},
		{"reject", "The work was rejected."}, {"accept", "You accepted the invitation."},
		{"decline", "You declined the invitation."}, {"remove", "The work was taken out of the collection."},
		{"revealed", "Revealed."}, {"deleted", "The collection was deleted."},
	};
	for (size_t i = 0; n && i < sizeof notices / sizeof notices[0]; i++)
		if (!strcmp(n, notices[i].key))
			return notices[i].text;
	return NULL;
}

/* Notices follow the reader's own actions: never on a guest's (shared) copy. */
static void set_notice(struct web_req *w, json_t *d)
{
	const char *t = w->user ? notice_text(kv_get(&w->req->query, "notice")) : NULL;
	if (t)
		json_object_set_new(d, "notice", json_string(t));
}

/* ---- The directory --------------------------------------------------------------------------------------- */

static int int_param(struct web_req *w, const char *key, int def, int lo, int hi)
{
	const char *s = kv_get(&w->req->query, key);
	if (!s || !*s)
		return def;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < lo || v > hi ? def : (int)v;
}

void page_collections_index(struct web_req *w)
{
	const char *after = kv_get(&w->req->query, "after");
	const char *challenge = kv_get(&w->req->query, "challenge");
	struct collection_query q = {
		.parent_id = 0,
		.open = int_param(w, "open", -1, 0, 1),
		.challenge = !challenge || !*challenge ? -1 : !strcmp(challenge, "gift_exchange") ? CHALLENGE_GIFT_EXCHANGE
		             : !strcmp(challenge, "prompt_meme") ? CHALLENGE_PROMPT_MEME : CHALLENGE_NONE,
		.after_name = after && strlen(after) <= COLLECTION_NAME_MAX ? after : NULL,
		.limit = DIRECTORY_PER_PAGE + 1,
	};
	struct collection *list;
	size_t n;
	if (store_collection_list(w->app->store, w->arena, &q, &list, &n) != 0) {
		web_error(w, 500, "The collections could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *items = json_array();
	for (size_t i = 0; i < n && i < DIRECTORY_PER_PAGE; i++)
		json_array_append_new(items, coll_json(w, &list[i], COLLECTION_NOBODY));
	json_object_set_new(d, "collections", items);
	json_object_set_new(d, "filter_all", json_boolean(q.open < 0 && q.challenge < 0));
	json_object_set_new(d, "filter_open", json_boolean(q.open == 1));
	json_object_set_new(d, "filter_closed", json_boolean(q.open == 0));
	json_object_set_new(d, "challenge", json_string(challenge ? challenge : ""));
	if (n > DIRECTORY_PER_PAGE)
		json_object_set_new(d, "next_url", json_string(arena_printf(
		                                    w->arena, "/collections?after=%s%s%s%s%s", esc_url_a(w->arena, list[DIRECTORY_PER_PAGE - 1].name),
		                                    q.open >= 0 ? "&open=" : "", q.open >= 0 ? (q.open ? "1" : "0") : "",
		                                    challenge && *challenge ? "&challenge=" : "",
		                                    challenge && *challenge ? esc_url_a(w->arena, challenge) : "")));
	web_cache_depends(w, PAGE_DEP_LISTINGS, 0);
	if (!w->user)
		w->cacheable = true;
	web_render(w, 200, "collections/index", "Collections", d);
}

/* ---- The form -------------------------------------------------------------------------------------------- */

static void input_from_form(struct web_req *w, struct collection_input *in)
{
	memset(in, 0, sizeof *in);
	in->name = web_form(w, "name");
	in->title = web_form(w, "title");
	in->parent = web_form(w, "parent");
	in->description = kv_get(&w->req->form, "description");
	in->intro = kv_get(&w->req->form, "intro");
	in->rules = kv_get(&w->req->form, "rules");
	in->faq = kv_get(&w->req->form, "faq");
	in->closed = *web_form(w, "closed") != '\0';
	in->moderated = *web_form(w, "moderated") != '\0';
	in->unrevealed = *web_form(w, "unrevealed") != '\0';
	in->anonymous = *web_form(w, "anonymous") != '\0';
	in->reveal_at = web_form(w, "reveal_at");
	in->reveal_creators_at = web_form(w, "reveal_creators_at");
	in->challenge = web_form(w, "challenge");
}

static void input_from_collection(struct web_req *w, const struct collection *c, struct collection_input *in)
{
	memset(in, 0, sizeof *in);
	in->name = c->name;
	in->title = c->title;
	in->parent = c->parent_name ? c->parent_name : "";
	in->description = c->description.src;
	in->intro = c->intro.src;
	in->rules = c->rules.src;
	in->faq = c->faq.src;
	in->closed = c->closed;
	in->moderated = c->moderated;
	in->unrevealed = c->unrevealed;
	in->anonymous = c->anonymous;
	in->reveal_at = collection_time_text(w->arena, c->reveal_at);
	in->reveal_creators_at = collection_time_text(w->arena, c->reveal_creators_at);
	in->challenge = collection_challenge_key(c->challenge);
}

static const char *s_or(const char *s)
{
	return s ? s : "";
}

static void render_form(struct web_req *w, int status, const struct collection_input *in, const struct collection *c,
                        int role, const struct field_errors *e)
{
	json_t *d = c ? collection_frame_json(w, c, role, "settings") : json_object();
	w->cacheable = false;
	json_t *f = json_object();
	json_object_set_new(f, "name", json_string(s_or(in->name)));
	json_object_set_new(f, "title", json_string(s_or(in->title)));
	json_object_set_new(f, "parent", json_string(s_or(in->parent)));
	json_object_set_new(f, "description", json_string(s_or(in->description)));
	json_object_set_new(f, "intro", json_string(s_or(in->intro)));
	json_object_set_new(f, "rules", json_string(s_or(in->rules)));
	json_object_set_new(f, "faq", json_string(s_or(in->faq)));
	json_object_set_new(f, "closed", json_boolean(in->closed));
	json_object_set_new(f, "moderated", json_boolean(in->moderated));
	json_object_set_new(f, "unrevealed", json_boolean(in->unrevealed));
	json_object_set_new(f, "anonymous", json_boolean(in->anonymous));
	json_object_set_new(f, "reveal_at", json_string(s_or(in->reveal_at)));
	json_object_set_new(f, "reveal_creators_at", json_string(s_or(in->reveal_creators_at)));
	const char *ch = s_or(in->challenge);
	json_object_set_new(f, "challenge_none", json_boolean(!*ch));
	json_object_set_new(f, "challenge_gift_exchange", json_boolean(!strcmp(ch, "gift_exchange")));
	json_object_set_new(f, "challenge_prompt_meme", json_boolean(!strcmp(ch, "prompt_meme")));
	json_object_set_new(d, "form", f);
	json_object_set_new(d, "is_new", json_boolean(c == NULL));
	json_object_set_new(d, "action_url", json_string(c ? coll_url(w, c->name) : "/collections"));
	if (e)
		work_view_set_errors(d, e);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "collections/form", c ? arena_printf(w->arena, "Settings of %s", c->title) : "New Collection",
	           d);
}

void page_collection_new(struct web_req *w)
{
	struct collection_input in;
	memset(&in, 0, sizeof in);
	in.parent = kv_get(&w->req->query, "parent");
	render_form(w, 200, &in, NULL, COLLECTION_NOBODY, NULL);
}

void page_collection_create(struct web_req *w)
{
	struct collection_input in;
	input_from_form(w, &in);
	struct field_errors e = {0};
	struct collection c;
	int rc = archive_collection_create(w->app->store, w->arena, w->user, &in, &c, &e);
	if (rc == Q_EINVAL) {
		render_form(w, 422, &in, NULL, COLLECTION_NOBODY, &e);
		return;
	}
	if (rc) {
		failed(w, rc, NULL);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s?notice=created", coll_url(w, c.name)));
}

void page_collection_edit(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	if (!collection_can_moderate(role)) {
		web_error(w, 403, "Only the collection's moderators can change its settings.");
		return;
	}
	struct collection_input in;
	input_from_collection(w, &c, &in);
	render_form(w, 200, &in, &c, role, NULL);
}

void page_collection_update(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	struct collection_input in;
	input_from_form(w, &in);
	in.name = c.name;
	struct field_errors e = {0};
	struct collection out;
	int rc = archive_collection_edit(w->app->store, w->arena, w->user, c.name, &in, &out, &e);
	if (rc == Q_EINVAL) {
		render_form(w, 422, &in, &c, role, &e);
		return;
	}
	if (rc) {
		failed(w, rc, rc == Q_EPERM ? "Only the collection's moderators can change its settings." : NULL);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s?notice=saved", coll_url(w, c.name)));
}

void page_collection_delete(struct web_req *w)
{
	int rc = archive_collection_delete(w->app->store, w->arena, w->user, w->params[0]);
	if (rc) {
		failed(w, rc, rc == Q_EPERM ? "Only the collection's owners can delete it." : NULL);
		return;
	}
	web_redirect(w, "/collections?notice=deleted");
}

/* ---- A collection's pages --------------------------------------------------------------------------------- */

/* Its works, through the one listing builder: the dashboard shows the newest, /works has the filters. */
static void works_listing(struct web_req *w, const struct collection *c, int role, json_t *d, bool full)
{
	struct listing_page lp = {
		.base = arena_printf(w->arena, "%s/works", coll_url(w, c->name)),
		.title = full ? arena_printf(w->arena, "Works in %s", c->title) : c->title,
		.heading = full ? arena_printf(w->arena, "Works in %s", c->title) : c->title,
		.template = full ? "collections/works" : "collections/show",
		.data = d,
		.collection_id = c->id,
		.with_unrevealed = collection_can_moderate(role),
		.per_page = full ? 0 : 5,
		.sidebar = full,
		.fixed = !full,
		.cacheable = true,
	};
	listing_view_render(w, &lp);
}

void page_collection_show(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	json_t *d = collection_frame_json(w, &c, role, "dashboard");
	set_notice(w, d);
	/* Its subcollections, a page of them. */
	struct collection *subs;
	size_t n;
	struct collection_query q = {.parent_id = c.id, .open = -1, .challenge = -1, .limit = 20};
	if (!c.parent_id && store_collection_list(w->app->store, w->arena, &q, &subs, &n) == 0 && n) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, coll_json(w, &subs[i], COLLECTION_NOBODY));
		json_object_set_new(d, "subcollections", a);
	}
	works_listing(w, &c, role, d, false);
}

static void text_page(struct web_req *w, const char *tab, const char *heading)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	json_t *d = collection_frame_json(w, &c, role, tab);
	const struct text *t = !strcmp(tab, "rules") ? &c.rules : !strcmp(tab, "faq") ? &c.faq : &c.intro;
	json_object_set_new(d, "heading", json_string(heading));
	json_object_set_new(d, "text_html", json_string(t->html ? t->html : ""));
	web_render(w, 200, "collections/page", arena_printf(w->arena, "%s: %s", c.title, heading), d);
}

void page_collection_profile(struct web_req *w)
{
	text_page(w, "profile", "Profile");
}

void page_collection_rules(struct web_req *w)
{
	text_page(w, "rules", "Rules");
}

void page_collection_faq(struct web_req *w)
{
	text_page(w, "faq", "FAQ");
}

void page_collection_works(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	works_listing(w, &c, role, collection_frame_json(w, &c, role, "works"), true);
}

void page_collection_participants(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	const char *after = kv_get(&w->req->query, "after");
	struct collection_member *m;
	size_t n;
	int shown = collection_members_shown(&c, role);
	if (store_collection_members(w->app->store, w->arena, c.id, shown, after, MEMBERS_PER_PAGE + 1, &m, &n) != 0) {
		web_error(w, 500, "The participants could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = collection_frame_json(w, &c, role, "participants");
	set_notice(w, d);
	json_t *list = json_array();
	for (size_t i = 0; i < n && i < MEMBERS_PER_PAGE; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", m[i].name, "url",
		                                      arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, m[i].name)),
		                                      "role", collection_role_name(m[i].role), "since",
		                                      web_date(w, m[i].created_at), "removable",
		                                      collection_can_own(role) ||
		                                              (collection_can_moderate(role) && m[i].role == COLLECTION_MEMBER)));
	json_object_set_new(d, "participants", list);
	json_object_set_new(d, "members_hidden", json_boolean(shown != COLLECTION_MEMBER));
	if (n > MEMBERS_PER_PAGE)
		json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "%s/participants?after=%s",
		                                                            coll_url(w, c.name),
		                                                            esc_url_a(w->arena, m[MEMBERS_PER_PAGE - 1].name))));
	web_render(w, 200, "collections/participants", arena_printf(w->arena, "Participants of %s", c.title), d);
}

void page_collection_children(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	struct collection *subs;
	size_t n;
	const char *after = kv_get(&w->req->query, "after");
	struct collection_query q = {.parent_id = c.id, .open = -1, .challenge = -1,
	                             .after_name = after && strlen(after) <= COLLECTION_NAME_MAX ? after : NULL,
	                             .limit = DIRECTORY_PER_PAGE + 1};
	if (store_collection_list(w->app->store, w->arena, &q, &subs, &n) != 0) {
		web_error(w, 500, "The subcollections could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = collection_frame_json(w, &c, role, "subcollections");
	json_t *a = json_array();
	for (size_t i = 0; i < n && i < DIRECTORY_PER_PAGE; i++)
		json_array_append_new(a, coll_json(w, &subs[i], COLLECTION_NOBODY));
	json_object_set_new(d, "collections", a);
	if (n > DIRECTORY_PER_PAGE)
		json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "%s/collections?after=%s",
		                                                            coll_url(w, c.name),
		                                                            esc_url_a(w->arena, subs[DIRECTORY_PER_PAGE - 1].name))));
	web_render(w, 200, "collections/children", arena_printf(w->arena, "Subcollections of %s", c.title), d);
}

/* ---- Members ---------------------------------------------------------------------------------------------- */

static int role_of(const char *s)
{
	return !strcmp(s, "owner") ? COLLECTION_OWNER : !strcmp(s, "moderator") ? COLLECTION_MODERATOR
	       : !strcmp(s, "member") ? COLLECTION_MEMBER : !strcmp(s, "none") ? COLLECTION_NOBODY : -2;
}

void page_collection_member(struct web_req *w)
{
	const char *why = NULL;
	int role = role_of(web_form(w, "role"));
	int rc = role < -1 ? Q_EINVAL : archive_collection_member(w->app->store, w->arena, w->user, w->params[0],
	                                                          web_form(w, "user"), role, &why);
	if (rc) {
		failed(w, rc, role < -1 ? "Choose owner, moderator, member or none." : why);
		return;
	}
	back(w, arena_printf(w->arena, "%s/participants", coll_url(w, w->params[0])), "member");
}

static void join_or_leave(struct web_req *w, bool join)
{
	const char *why = NULL;
	int rc = archive_collection_member(w->app->store, w->arena, w->user, w->params[0], w->user->name,
	                                   join ? COLLECTION_MEMBER : COLLECTION_NOBODY, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	back(w, coll_url(w, w->params[0]), join ? "joined" : "left");
}

void page_collection_join(struct web_req *w)
{
	join_or_leave(w, true);
}

void page_collection_leave(struct web_req *w)
{
	join_or_leave(w, false);
}

/* ---- Items: moderation, invitations, reveal --------------------------------------------------------------- */

static const struct {
	const char *key, *label;
	int state;
} item_tabs[] = {
	{"approved", "Approved", ITEMS_APPROVED},
	{"waiting", "Awaiting approval", ITEMS_AWAITING_COLLECTION},
	{"invited", "Invited", ITEMS_AWAITING_CREATOR},
	{"refused", "Rejected or declined", ITEMS_REFUSED},
};

void page_collection_items(struct web_req *w)
{
	struct collection c;
	int role;
	if (!load(w, &c, &role))
		return;
	if (!collection_can_moderate(role)) {
		web_error(w, 403, "Only the collection's moderators manage its works.");
		return;
	}
	const char *state = kv_get(&w->req->query, "state");
	size_t tab = c.moderated ? 1 : 0;
	for (size_t i = 0; state && i < sizeof item_tabs / sizeof item_tabs[0]; i++)
		if (!strcmp(state, item_tabs[i].key))
			tab = i;
	const char *b = kv_get(&w->req->query, "before");
	int64_t before = b ? strtoll(b, NULL, 10) : 0;
	struct collection_item *items;
	size_t n;
	if (store_collection_items(w->app->store, w->arena, c.id, item_tabs[tab].state, before, ITEMS_PER_PAGE + 1, &items,
	                           &n) != 0) {
		web_error(w, 500, "The works could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = collection_frame_json(w, &c, role, "items");
	w->cacheable = false;
	set_notice(w, d);
	json_t *tabs = json_array();
	for (size_t i = 0; i < sizeof item_tabs / sizeof item_tabs[0]; i++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:b}", "key", item_tabs[i].key, "label",
		                                      item_tabs[i].label, "url",
		                                      arena_printf(w->arena, "%s/items?state=%s", coll_url(w, c.name),
		                                                   item_tabs[i].key),
		                                      "current", i == tab));
	json_object_set_new(d, "tabs", tabs);
	json_t *list = json_array();
	for (size_t i = 0; i < n && i < ITEMS_PER_PAGE; i++) {
		const struct collection_item *it = &items[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b}", "work_id", (json_int_t)it->work_id, "title",
		                      it->work_title ? it->work_title : "", "url",
		                      arena_printf(w->arena, "/works/%lld", (long long)it->work_id), "added",
		                      web_date(w, it->created_at), "can_approve", it->by_collection != 1, "can_reject",
		                      it->by_collection != -1, "invited", it->by_creator == 0);
		json_object_set_new(o, "action", json_string(arena_printf(w->arena, "%s/items/%lld", coll_url(w, c.name),
		                                                          (long long)it->work_id)));
		json_array_append_new(list, o);
	}
	json_object_set_new(d, "items", list);
	json_object_set_new(d, "here", json_string(arena_printf(w->arena, "%s/items?state=%s", coll_url(w, c.name),
	                                                        item_tabs[tab].key)));
	if (n > ITEMS_PER_PAGE)
		json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "%s/items?state=%s&before=%lld",
		                                                            coll_url(w, c.name), item_tabs[tab].key,
		                                                            (long long)items[ITEMS_PER_PAGE - 1].work_id)));
	web_render(w, 200, "collections/items", arena_printf(w->arena, "Works of %s", c.title), d);
}

/* A work named by its id or its address (".../works/12..."). */
static int64_t work_ref(const char *s)
{
	const char *p = strstr(s, "/works/");
	p = p ? p + 7 : s;
	char *end;
	long long id = strtoll(p, &end, 10);
	return id > 0 && (*end == 0 || *end == '/' || *end == '?' || *end == '#') ? id : 0;
}

void page_collection_item_add(struct web_req *w)
{
	const char *why = NULL;
	int64_t id = work_ref(web_form(w, "work"));
	int rc = archive_collection_add_work(w->app->store, w->arena, w->user, w->params[0], id, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	back(w, arena_printf(w->arena, "%s/items", coll_url(w, w->params[0])), "added");
}

void page_collection_item_decide(struct web_req *w)
{
	const char *why = NULL;
	const char *action = web_form(w, "action");
	int rc = archive_collection_item_decide(w->app->store, w->arena, w->user, w->params[0], web_param_id(w, 1), action,
	                                        &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	back(w, arena_printf(w->arena, "%s/items", coll_url(w, w->params[0])), action);
}

void page_collection_reveal(struct web_req *w)
{
	const char *what = web_form(w, "what"), *why = NULL;
	bool works = !strcmp(what, "works") || !strcmp(what, "both"), creators = !strcmp(what, "creators") || !strcmp(what, "both");
	int rc = !works && !creators ? Q_EINVAL : archive_collection_reveal(w->app->store, w->arena, w->user, w->params[0],
	                                                                  works, creators, &why);
	if (rc) {
		failed(w, rc, why ? why : "Choose what to reveal: the works, the creators, or both.");
		return;
	}
	back(w, coll_url(w, w->params[0]), "revealed");
}

/* ---- A work's collections ---------------------------------------------------------------------------------- */

void page_work_collections(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, true))
		return;
	struct collection_item *items;
	size_t n;
	if (store_collection_items_of_work(w->app->store, w->arena, wk.id, &items, &n) != 0) {
		web_error(w, 500, "The work's collections could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *list = json_array();
	const char *here = arena_printf(w->arena, "/works/%lld/collections", (long long)wk.id);
	for (size_t i = 0; i < n; i++) {
		const struct collection_item *it = &items[i];
		const char *state = it->by_creator == 0 ? "Invited by its moderators"
		                    : it->by_creator < 0 ? "You declined"
		                    : it->by_collection < 0 ? "Rejected by its moderators"
		                    : it->by_collection == 0 ? "Awaiting approval"
		                                             : "In the collection";
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "name", it->collection_name, "title",
		                                      it->collection_title, "url", coll_url(w, it->collection_name), "state",
		                                      state, "invited", it->by_creator == 0, "action",
		                                      arena_printf(w->arena, "%s/items/%lld",
		                                                   coll_url(w, it->collection_name), (long long)wk.id)));
	}
	json_object_set_new(d, "items", list);
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "here", json_string(here));
	set_notice(w, d);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "collections/work", arena_printf(w->arena, "Collections of %s", wk.title), d);
}

void page_work_collection_add(struct web_req *w)
{
	const char *why = NULL;
	int64_t id = web_param_id(w, 0);
	int rc = archive_collection_add_work(w->app->store, w->arena, w->user, web_form(w, "collection"), id, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/works/%lld/collections?notice=added", (long long)id));
}

/* ---- What the work's pages borrow ---------------------------------------------------------------------------- */

void collection_view_work(struct web_req *w, json_t *o, const struct work *wk)
{
	struct collection_item *items;
	struct gift *gifts;
	size_t n = 0, ng = 0;
	json_t *cols = json_array(), *gl = json_array();
	if (store_collection_items_of_work(w->app->store, w->arena, wk->id, &items, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (items[i].by_collection == 1 && items[i].by_creator == 1)
				json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "name", items[i].collection_name, "title",
				                                      items[i].collection_title, "url",
				                                      coll_url(w, items[i].collection_name)));
	if (store_gifts_of_work(w->app->store, w->arena, wk->id, &gifts, &ng) == 0)
		for (size_t i = 0; i < ng; i++) {
			if (gifts[i].refused)
				continue;
			json_t *g = json_pack("{s:s}", "name", gifts[i].name);
			if (gifts[i].user_id)
				json_object_set_new(g, "url", json_string(arena_printf(w->arena, "/users/%s/gifts",
				                                                       esc_url_a(w->arena, gifts[i].name))));
			json_array_append_new(gl, g);
		}
	json_object_set_new(o, "collections", cols);
	json_object_set_new(o, "gifts", gl);
	/* The prompts it fills: the same to every reader (the fragment is shared), so an anonymous prompt's prompter
	 * is nobody here, even to themselves. */
	struct prompt_fill *fills;
	size_t nf = 0;
	json_t *pl = json_array();
	if (store_prompt_fills(w->app->store, w->arena, 0, wk->id, &fills, &nf) == 0)
		for (size_t i = 0; i < nf; i++) {
			json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "title", fills[i].prompt_title, "url",
			                      arena_printf(w->arena, "/prompts/%lld", (long long)fills[i].prompt_id),
			                      "collection_title", fills[i].collection_title, "collection_url",
			                      coll_url(w, fills[i].collection_name));
			if (!fills[i].prompt_anonymous && fills[i].prompter_name) {
				json_object_set_new(p, "by", json_string(fills[i].prompter_name));
				json_object_set_new(p, "by_url", json_string(arena_printf(w->arena, "/users/%s",
				                                                          esc_url_a(w->arena, fills[i].prompter_name))));
			}
			json_array_append_new(pl, p);
		}
	json_object_set_new(o, "prompts", pl);
}

void collection_view_form(struct web_req *w, const struct work *wk, const char **collections, const char **gifts)
{
	struct collection_item *items;
	struct gift *gl;
	size_t n = 0, ng = 0;
	const char *c = "", *g = "";
	if (store_collection_items_of_work(w->app->store, w->arena, wk->id, &items, &n) == 0)
		for (size_t i = 0; i < n; i++)
			if (items[i].by_creator == 1)
				c = arena_printf(w->arena, "%s%s%s", c, *c ? ", " : "", items[i].collection_name);
	if (store_gifts_of_work(w->app->store, w->arena, wk->id, &gl, &ng) == 0)
		for (size_t i = 0; i < ng; i++)
			g = arena_printf(w->arena, "%s%s%s", g, *g ? ", " : "", gl[i].name);
	*collections = c;
	*gifts = g;
}
