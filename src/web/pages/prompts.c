/* Prompt-meme pages: a meme's prompts (filters by state and tag), posting one, a prompt with its claims and fills,
 * claiming, giving a claim up, deleting, and a user's claims. */
#include "web/pages/collection_pages.h"
#include "web/pages/pages.h"
#include "web/work_view.h"
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "archive/prompts.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROMPTS_PER_PAGE 50

static const char *const dim_labels[EXCHANGE_DIMS] = {"Fandoms", "Characters", "Relationships", "Additional tags"};

static const char *coll_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/collections/%s", esc_url_a(w->arena, name));
}

static void failed(struct web_req *w, int rc, const char *why)
{
	int status = rc == Q_ENOTFOUND ? 404 : rc == Q_EPERM ? 403 : rc == Q_EINVAL || rc == Q_ETOOBIG || rc == Q_EEXIST ? 422
	                                                                                                                 : 500;
	web_error(w, status, why ? why : status == 404 ? "There is no such prompt." : status == 500
	                                                   ? "That could not be done. Please try again in a moment."
	                                                   : "That cannot be done here.");
}

static const char *notice_text(const char *n)
{
	static const struct {
		const char *key, *text;
	} notices[] = {
		{"posted", "Your prompt was posted."}, {"deleted", "The prompt was deleted."},
		{"claimed", "You claimed the prompt: post a work for it when it is ready."},
		{"unclaimed", "You gave the claim up."},
	};
	for (size_t i = 0; n && i < sizeof notices / sizeof notices[0]; i++)
		if (!strcmp(n, notices[i].key))
			return notices[i].text;
	return NULL;
}

static void set_notice(struct web_req *w, json_t *d)
{
	const char *t = w->user ? notice_text(kv_get(&w->req->query, "notice")) : NULL;
	if (t)
		json_object_set_new(d, "notice", json_string(t));
}

/* A prompt's tags as [{label, tags: [{name, url}]}]. */
static json_t *tags_json(struct web_req *w, const struct prompt *p)
{
	json_t *dims = json_array();
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		if (!p->tags[d].n)
			continue;
		json_t *t = json_array();
		for (size_t i = 0; i < p->tags[d].n; i++)
			json_array_append_new(t, json_pack("{s:s, s:s}", "name", p->tags[d].items[i], "url",
			                                   arena_printf(w->arena, "%s/prompts?tag=%s", coll_url(w, p->collection_name),
			                                                esc_url_a(w->arena, p->tags[d].items[i]))));
		json_array_append_new(dims, json_pack("{s:s, s:o}", "label", dim_labels[d], "tags", t));
	}
	return dims;
}

/* One prompt (masked already) for the templates. */
static json_t *prompt_json(struct web_req *w, const struct prompt *p, bool with_tags)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/prompts/%lld", (long long)p->id)));
	json_object_set_new(o, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(o, "description_html", json_string(p->description.html ? p->description.html : ""));
	if (p->user_name) {
		json_object_set_new(o, "by", json_string(p->user_name));
		json_object_set_new(o, "by_url", json_string(arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, p->user_name))));
	}
	json_object_set_new(o, "anonymous", json_boolean(p->anonymous));
	json_object_set_new(o, "claims_count", json_integer(p->claims_count));
	json_object_set_new(o, "fills_count", json_integer(p->fills_count));
	json_object_set_new(o, "date", json_string(web_date(w, p->created_at)));
	if (with_tags)
		json_object_set_new(o, "dims", tags_json(w, p));
	return o;
}

/* ---- A meme's prompts ------------------------------------------------------------------------------------- */

static const char *const state_keys[] = {"", "unfilled", "filled", "unclaimed", "claimed"};

void page_prompts_index(struct web_req *w)
{
	struct collection c;
	int role;
	int rc = archive_prompt_meme_load(w->app->store, w->arena, w->user, w->params[0], &c, &role);
	if (rc) {
		failed(w, rc, rc == Q_ENOTFOUND ? "There is no prompt meme by that name." : NULL);
		return;
	}
	struct prompt_query q = {.collection_id = c.id, .limit = PROMPTS_PER_PAGE + 1};
	const char *state = kv_get(&w->req->query, "state"), *tag = kv_get(&w->req->query, "tag");
	const char *before = kv_get(&w->req->query, "before");
	for (int i = 1; state && i < (int)(sizeof state_keys / sizeof state_keys[0]); i++)
		if (!strcmp(state, state_keys[i]))
			q.state = i;
	if (tag && strlen(tag) <= 150)
		q.tag = tag;
	q.before_id = before ? strtoll(before, NULL, 10) : 0;
	if (q.before_id < 0)
		q.before_id = 0;
	struct prompt *list;
	size_t n;
	if (store_prompts_list(w->app->store, w->arena, &q, &list, &n) != 0) {
		web_error(w, 500, "The prompts could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = collection_frame_json(w, &c, role, "prompts"), *a = json_array();
	for (size_t i = 0; i < n && i < PROMPTS_PER_PAGE; i++) {
		/* Each with its tags (a page is at most PROMPTS_PER_PAGE reads). */
		struct prompt full;
		if (store_prompt_get(w->app->store, w->arena, list[i].id, &full) != 0)
			continue;
		archive_prompt_mask(&full, w->user, role);
		json_array_append_new(a, prompt_json(w, &full, true));
	}
	json_object_set_new(d, "prompts", a);
	json_object_set_new(d, "state", json_string(state_keys[q.state]));
	json_object_set_new(d, arena_printf(w->arena, "state_%s", q.state ? state_keys[q.state] : "all"), json_true());
	json_object_set_new(d, "tag", json_string(q.tag ? q.tag : ""));
	if (n > PROMPTS_PER_PAGE)
		json_object_set_new(d, "next_url", json_string(arena_printf(
		                                          w->arena, "%s/prompts?state=%s&tag=%s&before=%lld", coll_url(w, c.name),
		                                          state_keys[q.state], esc_url_a(w->arena, q.tag ? q.tag : ""),
		                                          (long long)list[PROMPTS_PER_PAGE - 1].id)));
	json_object_set_new(d, "may_prompt", json_boolean(w->user && (!c.closed || collection_can_moderate(role))));
	if (w->user) /* a viewer's own anonymous prompts show their name to them */
		w->cacheable = false;
	set_notice(w, d);
	web_render(w, 200, "prompts/index", arena_printf(w->arena, "Prompts of %s", c.title), d);
}

static void render_form(struct web_req *w, int status, const struct collection *c, int role,
                        const struct prompt_input *in, const struct field_errors *e)
{
	json_t *d = collection_frame_json(w, c, role, "prompts");
	w->cacheable = false;
	json_t *f = json_object();
	json_object_set_new(f, "title", json_string(in && in->title ? in->title : ""));
	json_object_set_new(f, "description", json_string(in && in->description ? in->description : ""));
	json_object_set_new(f, "anonymous", json_boolean(in ? in->anonymous : c->anonymous));
	json_t *dims = json_array();
	for (int dim = 0; dim < EXCHANGE_DIMS; dim++) {
		const char *key = exchange_dim_key(dim);
		json_t *o = json_pack("{s:s, s:s, s:s}", "key", key, "label", dim_labels[dim], "value",
		                      in && in->tags[dim] ? in->tags[dim] : "");
		const char *err = e ? field_error_get(e, key) : NULL;
		if (err)
			json_object_set_new(o, "error", json_string(err));
		json_array_append_new(dims, o);
	}
	json_object_set_new(f, "dims", dims);
	json_object_set_new(d, "form", f);
	if (e)
		work_view_set_errors(d, e);
	web_render(w, status, "prompts/form", arena_printf(w->arena, "New prompt in %s", c->title), d);
}

void page_prompt_new(struct web_req *w)
{
	struct collection c;
	int role;
	int rc = archive_prompt_meme_load(w->app->store, w->arena, w->user, w->params[0], &c, &role);
	if (rc) {
		failed(w, rc, rc == Q_ENOTFOUND ? "There is no prompt meme by that name." : NULL);
		return;
	}
	render_form(w, 200, &c, role, NULL, NULL);
}

void page_prompt_create(struct web_req *w)
{
	struct collection c;
	int role;
	int rc = archive_prompt_meme_load(w->app->store, w->arena, w->user, w->params[0], &c, &role);
	if (rc) {
		failed(w, rc, rc == Q_ENOTFOUND ? "There is no prompt meme by that name." : NULL);
		return;
	}
	struct prompt_input in = {.title = web_form(w, "title"), .description = kv_get(&w->req->form, "description"),
	                          .anonymous = *web_form(w, "anonymous") != '\0'};
	for (int d = 0; d < EXCHANGE_DIMS; d++)
		in.tags[d] = web_form(w, exchange_dim_key(d));
	struct field_errors e = {0};
	int64_t id = 0;
	rc = archive_prompt_create(w->app->store, w->arena, w->user, c.name, &in, &id, &e);
	if (e.n && (rc == Q_EINVAL || rc == Q_EPERM || rc == Q_ETOOBIG)) {
		render_form(w, rc == Q_EPERM ? 403 : 422, &c, role, &in, &e);
		return;
	}
	if (rc) {
		failed(w, rc, NULL);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/prompts/%lld?notice=posted", (long long)id));
}

/* ---- One prompt ----------------------------------------------------------------------------------------- */

void page_prompt_show(struct web_req *w)
{
	struct prompt p;
	struct collection c;
	int role;
	int rc = archive_prompt_load(w->app->store, w->arena, w->user, web_param_id(w, 0), &p, &c, &role);
	if (rc) {
		failed(w, rc, NULL);
		return;
	}
	json_t *d = collection_frame_json(w, &c, role, "prompts");
	json_t *pj = prompt_json(w, &p, true);
	json_object_set(d, "prompt", pj);
	json_object_set_new(d, "prompt_one", json_pack("[o]", pj)); /* for the partial */
	/* Claims: names only where the meme does not hide its writers (and each their own). */
	struct prompt_claim *claims;
	size_t nc = 0;
	bool names = archive_prompt_claims_shown(&c, role), mine = false, mine_open = false;
	json_t *cl = json_array();
	if (store_prompt_claims(w->app->store, w->arena, p.id, 0, 0, &claims, &nc) == 0)
		for (size_t i = 0; i < nc; i++) {
			bool self = w->user && claims[i].user_id == w->user->id;
			mine |= self;
			mine_open |= self && !claims[i].work_id;
			if (!names && !self)
				continue;
			json_array_append_new(cl, json_pack("{s:s, s:s, s:b, s:b}", "name", claims[i].user_name, "url",
			                                    arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, claims[i].user_name)),
			                                    "filled", claims[i].work_id != 0, "mine", self));
		}
	json_object_set_new(d, "claims", cl);
	json_object_set_new(d, "claims_hidden", json_boolean(!names));
	json_object_set_new(d, "claimed", json_boolean(mine));
	json_object_set_new(d, "claim_open", json_boolean(mine_open));
	/* Fills: works anyone may see (members-only ones to members); a fill not yet revealed is not listed. */
	struct prompt_fill *fills;
	size_t nf = 0;
	json_t *fl = json_array();
	if (store_prompt_fills(w->app->store, w->arena, p.id, 0, &fills, &nf) == 0)
		for (size_t i = 0; i < nf; i++) {
			web_cache_depends(w, PAGE_DEP_WORK, fills[i].work_id);
			if (!fills[i].work_listed || (fills[i].work_restricted && !w->user))
				continue;
			json_array_append_new(fl, json_pack("{s:s, s:s}", "title", fills[i].work_title, "url",
			                                    arena_printf(w->arena, "/works/%lld", (long long)fills[i].work_id)));
		}
	json_object_set_new(d, "fills", fl);
	bool may_delete = w->user && (p.user_id == w->user->id || collection_can_moderate(role));
	json_object_set_new(d, "may_delete", json_boolean(may_delete));
	json_object_set_new(d, "may_claim", json_boolean(w->user && (!c.closed || collection_can_moderate(role))));
	if (w->user)
		w->cacheable = false;
	set_notice(w, d);
	web_render(w, 200, "prompts/show", p.title, d);
}

void page_prompt_delete(struct web_req *w)
{
	struct prompt p;
	struct collection c;
	int role;
	const char *why = NULL;
	int64_t id = web_param_id(w, 0);
	int rc = archive_prompt_load(w->app->store, w->arena, w->user, id, &p, &c, &role);
	if (rc == 0)
		rc = archive_prompt_delete(w->app->store, w->arena, w->user, id, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/prompts?notice=deleted", coll_url(w, c.name)));
}

static void claim(struct web_req *w, bool on)
{
	const char *why = NULL;
	int64_t id = web_param_id(w, 0);
	int rc = archive_prompt_claim(w->app->store, w->arena, w->user, id, on, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/prompts/%lld?notice=%s", (long long)id, on ? "claimed" : "unclaimed"));
}

void page_prompt_claim(struct web_req *w)
{
	claim(w, true);
}

void page_prompt_unclaim(struct web_req *w)
{
	claim(w, false);
}

/* ---- A user's claims ------------------------------------------------------------------------------------- */

void page_user_claims(struct web_req *w)
{
	if (strcasecmp(w->params[0], w->user->name) != 0) {
		web_error(w, 403, "Only the account's owner sees their claims.");
		return;
	}
	struct prompt_claim *list;
	size_t n;
	if (store_prompt_claims(w->app->store, w->arena, 0, 0, w->user->id, &list, &n) != 0) {
		web_error(w, 500, "Your claims could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", list[i].prompt_title, "url",
		                      arena_printf(w->arena, "/prompts/%lld", (long long)list[i].prompt_id), "collection",
		                      list[i].collection_name, "collection_url", coll_url(w, list[i].collection_name), "date",
		                      web_date(w, list[i].created_at));
		if (list[i].work_id)
			json_object_set_new(o, "work_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)list[i].work_id)));
		else
			json_object_set_new(o, "fill_url", json_string(arena_printf(w->arena, "/works/new?prompt=%lld",
			                                                            (long long)list[i].prompt_id)));
		json_array_append_new(a, o);
	}
	json_object_set_new(d, "claims", a);
	web_render(w, 200, "prompts/mine", "My claims", d);
}
