/* Gift-exchange pages: settings and tag set, the sign-up form, sign-ups, matching and its review, sending,
 * assignments (the giver's, the moderators', pinch hits), defaults and claims, a user's assignments. */
#include "web/pages/collection_pages.h"
#include "web/pages/pages.h"
#include "web/work_view.h"
#include "archive/collections.h"
#include "archive/exchanges.h"
#include "core/buf.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SIGNUPS_PER_PAGE 100
#define ASSIGNMENTS_PER_PAGE 200

static const char *coll_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/collections/%s", esc_url_a(w->arena, name));
}

static const char *user_url(struct web_req *w, const char *name)
{
	return arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, name ? name : ""));
}

static void failed(struct web_req *w, int rc, const char *why)
{
	int status = rc == Q_ENOTFOUND ? 404 : rc == Q_EPERM ? 403 : rc == Q_EINVAL ? 422 : rc == Q_ETOOBIG ? 422 : 500;
	web_error(w, status, why ? why : status == 404 ? "There is no such exchange." : status == 500
	                                                   ? "That could not be done. Please try again in a moment."
	                                                   : "That cannot be done here.");
}

/* Loads path parameter 0's exchange; false after answering. */
static bool load(struct web_req *w, struct collection *c, struct exchange *x, int *role)
{
	int rc = archive_exchange_load(w->app->store, w->arena, w->user, w->params[0], c, x, role);
	if (rc)
		failed(w, rc, rc == Q_ENOTFOUND ? "There is no gift exchange by that name." : NULL);
	return rc == 0;
}

static const char *date_text(struct web_req *w, int64_t t)
{
	return collection_time_text(w->arena, t);
}

/* The page's frame: the collection's header and tabs (collections/_nav), the exchange's state. */
static json_t *frame(struct web_req *w, const struct collection *c, const struct exchange *x, int role, const char *tab)
{
	json_t *d = collection_frame_json(w, c, role, tab);
	json_t *e = json_object();
	json_object_set_new(e, "signups_open", json_boolean(exchange_signups_open(x, (int64_t)time(NULL))));
	json_object_set_new(e, "opened", json_boolean(x->signups_open));
	json_object_set_new(e, "open_at", json_string(date_text(w, x->signups_open_at)));
	json_object_set_new(e, "close_at", json_string(date_text(w, x->signups_close_at)));
	json_object_set_new(e, "due_at", json_string(date_text(w, x->assignments_due_at)));
	json_object_set_new(e, "matched", json_boolean(x->matched_at != 0));
	json_object_set_new(e, "matched_at", json_string(date_text(w, x->matched_at)));
	json_object_set_new(e, "sent", json_boolean(x->sent_at != 0));
	json_object_set_new(e, "sent_at", json_string(date_text(w, x->sent_at)));
	json_object_set_new(e, "signups_count", json_integer(x->signups_count));
	json_object_set_new(e, "instructions_html", json_string(x->instructions.html ? x->instructions.html : ""));
	json_object_set_new(d, "exchange", e);
	w->cacheable = false; /* sign-up state is the reader's own */
	return d;
}

static const char *notice_text(const char *n)
{
	static const struct {
		const char *key, *text;
	} notices[] = {
		{"settings", "The exchange's settings were saved."}, {"signed_up", "Your sign-up was saved."},
		{"withdrawn", "Your sign-up was withdrawn."}, {"matched", "Matching done: review the assignments below."},
		{"sent", "The assignments were sent to their givers."}, {"edited", "The assignment was changed."},
		{"defaulted", "You defaulted on the assignment: a pinch hitter can take it now."},
		{"claimed", "The pinch hit is yours: thank you!"},
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

/* ---- Settings and the tag set ------------------------------------------------------------------------------- */

static const char *const dim_labels[EXCHANGE_DIMS] = {"Fandoms", "Characters", "Relationships", "Additional tags"};

static const char *joined(struct web_req *w, const char *const *names, size_t n, const char *sep)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, sep);
		buf_puts(&b, names[i]);
	}
	const char *s = arena_strndup(w->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

static void render_settings(struct web_req *w, int status, const struct collection *c, const struct exchange *x,
                            int role, const struct exchange_input *in, const struct field_errors *e)
{
	json_t *d = frame(w, c, x, role, "exchange");
	json_t *f = json_object();
	char num[16];
#define NUM(key, v) (snprintf(num, sizeof num, "%d", (v)), json_object_set_new(f, key, json_string(num)))
	json_object_set_new(f, "signups_open", json_boolean(in ? in->signups_open : x->signups_open));
	json_object_set_new(f, "signups_open_at", json_string(in ? in->signups_open_at : date_text(w, x->signups_open_at)));
	json_object_set_new(f, "signups_close_at", json_string(in ? in->signups_close_at : date_text(w, x->signups_close_at)));
	json_object_set_new(f, "assignments_due_at",
	                    json_string(in ? in->assignments_due_at : date_text(w, x->assignments_due_at)));
	if (in) {
		json_object_set_new(f, "requests_min", json_string(in->requests_min));
		json_object_set_new(f, "requests_max", json_string(in->requests_max));
		json_object_set_new(f, "offers_min", json_string(in->offers_min));
		json_object_set_new(f, "offers_max", json_string(in->offers_max));
	} else {
		NUM("requests_min", x->requests_min);
		NUM("requests_max", x->requests_max);
		NUM("offers_min", x->offers_min);
		NUM("offers_max", x->offers_max);
	}
	json_object_set_new(f, "instructions", json_string(in ? in->instructions : x->instructions.src ? x->instructions.src : ""));
	json_t *dims = json_array();
	for (int dim = 0; dim < EXCHANGE_DIMS; dim++) {
		const char **names = NULL;
		size_t n = 0;
		if (!in)
			store_exchange_tags(w->app->store, w->arena, c->id, dim, &names, &n);
		json_t *o = json_object();
		const char *k = exchange_dim_key(dim);
		json_object_set_new(o, "key", json_string(k));
		json_object_set_new(o, "label", json_string(dim_labels[dim]));
		if (in) {
			json_object_set_new(o, "tags_min", json_string(in->tags_min[dim]));
			json_object_set_new(o, "tags_max", json_string(in->tags_max[dim]));
			json_object_set_new(o, "match", json_string(in->match[dim]));
			json_object_set_new(o, "tag_set", json_string(in->tag_set[dim] ? in->tag_set[dim] : ""));
		} else {
			json_object_set_new(o, "tags_min", json_integer(x->tags_min[dim]));
			json_object_set_new(o, "tags_max", json_integer(x->tags_max[dim]));
			json_object_set_new(o, "match", json_integer(x->match[dim]));
			json_object_set_new(o, "tag_set", json_string(joined(w, names, n, "\n")));
		}
		json_object_set_new(o, "allow_any", json_boolean(in ? in->allow_any[dim] : x->allow_any[dim]));
		if (e) {
			const char *msg;
			if ((msg = field_error_get(e, arena_printf(w->arena, "tag_set_%s", k))))
				json_object_set_new(o, "tag_set_error", json_string(msg));
			if ((msg = field_error_get(e, arena_printf(w->arena, "tags_min_%s", k))) ||
			    (msg = field_error_get(e, arena_printf(w->arena, "tags_max_%s", k))) ||
			    (msg = field_error_get(e, arena_printf(w->arena, "match_%s", k))))
				json_object_set_new(o, "error", json_string(msg));
		}
		json_array_append_new(dims, o);
	}
#undef NUM
	json_object_set_new(f, "dims", dims);
	json_object_set_new(d, "form", f);
	if (e)
		work_view_set_errors(d, e);
	set_notice(w, d);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "exchanges/settings", arena_printf(w->arena, "Exchange settings of %s", c->title), d);
}

void page_exchange_settings(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	if (!collection_can_moderate(role)) {
		web_error(w, 403, "Only the exchange's moderators change its settings.");
		return;
	}
	render_settings(w, 200, &c, &x, role, NULL, NULL);
}

void page_exchange_settings_save(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	struct exchange_input in;
	memset(&in, 0, sizeof in);
	in.signups_open = *web_form(w, "signups_open") != '\0';
	in.signups_open_at = web_form(w, "signups_open_at");
	in.signups_close_at = web_form(w, "signups_close_at");
	in.assignments_due_at = web_form(w, "assignments_due_at");
	in.requests_min = web_form(w, "requests_min");
	in.requests_max = web_form(w, "requests_max");
	in.offers_min = web_form(w, "offers_min");
	in.offers_max = web_form(w, "offers_max");
	in.instructions = kv_get(&w->req->form, "instructions");
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		const char *k = exchange_dim_key(d);
		in.tags_min[d] = web_form(w, arena_printf(w->arena, "tags_min_%s", k));
		in.tags_max[d] = web_form(w, arena_printf(w->arena, "tags_max_%s", k));
		in.match[d] = web_form(w, arena_printf(w->arena, "match_%s", k));
		in.allow_any[d] = *web_form(w, arena_printf(w->arena, "allow_any_%s", k)) != '\0';
		in.tag_set[d] = kv_get(&w->req->form, arena_printf(w->arena, "tag_set_%s", k));
	}
	struct field_errors e = {0};
	int rc = archive_exchange_settings(w->app->store, w->arena, w->user, c.name, &in, &e);
	if (rc == Q_EINVAL) {
		render_settings(w, 422, &c, &x, role, &in, &e);
		return;
	}
	if (rc) {
		failed(w, rc, rc == Q_EPERM ? "Only the exchange's moderators change its settings." : NULL);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/exchange?notice=settings", coll_url(w, c.name)));
}

/* ---- The sign-up form -------------------------------------------------------------------------------------- */

/* The form's items of one kind: as stored (su), as typed (in), or blank, up to max. */
static json_t *items_json(struct web_req *w, const struct exchange *x, const char *kind, int max,
                          const struct signup *su, int stored_kind, const struct signup_item_input *in, size_t nin,
                          const struct field_errors *e)
{
	json_t *list = json_array();
	size_t k = 0;
	for (int i = 0; i < max; i++) {
		const struct signup_item *s = NULL;
		while (su && k < su->nitems && su->items[k].kind != stored_kind)
			k++;
		if (su && k < su->nitems)
			s = &su->items[k++];
		const struct signup_item_input *t = in && (size_t)i < nin ? &in[i] : NULL;
		const char *prefix = arena_printf(w->arena, "%s_%d", kind, i + 1);
		json_t *o = json_object();
		json_object_set_new(o, "prefix", json_string(prefix));
		json_object_set_new(o, "n", json_integer(i + 1));
		json_object_set_new(o, "required", json_boolean(i < (stored_kind ? x->offers_min : x->requests_min)));
		json_t *dims = json_array();
		for (int d = 0; d < EXCHANGE_DIMS; d++) {
			if (x->tags_max[d] == 0 && !x->allow_any[d])
				continue; /* the exchange does not ask for this type */
			const char *value = t ? (t->tags[d] ? t->tags[d] : "") : s ? joined(w, s->tags[d].items, s->tags[d].n, ", ") : "";
			bool any = t ? t->any[d] : s ? (s->any_mask >> d) & 1 : false;
			json_t *dj = json_object();
			json_object_set_new(dj, "key", json_string(exchange_dim_key(d)));
			json_object_set_new(dj, "name", json_string(arena_printf(w->arena, "%s_%s", prefix, exchange_dim_key(d))));
			json_object_set_new(dj, "any_name", json_string(arena_printf(w->arena, "%s_any_%s", prefix, exchange_dim_key(d))));
			json_object_set_new(dj, "label", json_string(dim_labels[d]));
			json_object_set_new(dj, "value", json_string(value));
			json_object_set_new(dj, "any", json_boolean(any));
			json_object_set_new(dj, "allow_any", json_boolean(x->allow_any[d]));
			json_object_set_new(dj, "hint", json_string(x->tags_min[d] == x->tags_max[d]
			                                                   ? arena_printf(w->arena, "%d", x->tags_min[d])
			                                                   : arena_printf(w->arena, "%d to %d", x->tags_min[d],
			                                                                  x->tags_max[d])));
			const char *err = e ? field_error_get(e, arena_printf(w->arena, "%s_%s", prefix, exchange_dim_key(d))) : NULL;
			if (err)
				json_object_set_new(dj, "error", json_string(err));
			json_array_append_new(dims, dj);
		}
		json_object_set_new(o, "dims", dims);
		json_object_set_new(o, "description", json_string(t ? (t->description ? t->description : "")
		                                                    : s && s->description.src ? s->description.src : ""));
		const char *err = e ? field_error_get(e, arena_printf(w->arena, "%s_description", prefix)) : NULL;
		if (err)
			json_object_set_new(o, "description_error", json_string(err));
		json_array_append_new(list, o);
	}
	return list;
}

static void render_signup(struct web_req *w, int status, const struct collection *c, const struct exchange *x,
                          int role, const struct signup_input *in, const struct field_errors *e)
{
	json_t *d = frame(w, c, x, role, "signup");
	struct signup su;
	bool have = w->user && store_signup_get(w->app->store, w->arena, 0, c->id, w->user->id, &su) == 0;
	json_object_set_new(d, "signed_up", json_boolean(have));
	json_object_set_new(d, "requests", items_json(w, x, "request", x->requests_max, have && !in ? &su : NULL, 0,
	                                              in ? in->requests : NULL, in ? in->nrequests : 0, e));
	json_object_set_new(d, "offers", items_json(w, x, "offer", x->offers_max, have && !in ? &su : NULL, 1,
	                                            in ? in->offers : NULL, in ? in->noffers : 0, e));
	json_object_set_new(d, "pinch_hitter", json_boolean(in ? in->pinch_hitter : have && su.pinch_hitter));
	/* The tag set, for the form's suggestions. */
	json_t *sets = json_array();
	for (int dim = 0; dim < EXCHANGE_DIMS; dim++) {
		const char **names = NULL;
		size_t n = 0;
		store_exchange_tags(w->app->store, w->arena, c->id, dim, &names, &n);
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_string(names[i]));
		json_array_append_new(sets, json_pack("{s:s, s:s, s:o, s:b}", "key", exchange_dim_key(dim), "label",
		                                      dim_labels[dim], "tags", a, "any", n > 0));
	}
	json_object_set_new(d, "tag_sets", sets);
	json_object_set_new(d, "requests_hint", json_string(arena_printf(w->arena, "%d to %d", x->requests_min, x->requests_max)));
	json_object_set_new(d, "offers_hint", json_string(arena_printf(w->arena, "%d to %d", x->offers_min, x->offers_max)));
	if (e)
		work_view_set_errors(d, e);
	set_notice(w, d);
	if (w->user)
		json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "exchanges/signup", arena_printf(w->arena, "Sign up for %s", c->title), d);
}

void page_exchange_signup_form(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (load(w, &c, &x, &role))
		render_signup(w, 200, &c, &x, role, NULL, NULL);
}

static void item_from_form(struct web_req *w, const char *prefix, struct signup_item_input *it)
{
	for (int d = 0; d < EXCHANGE_DIMS; d++) {
		it->tags[d] = web_form(w, arena_printf(w->arena, "%s_%s", prefix, exchange_dim_key(d)));
		it->any[d] = *web_form(w, arena_printf(w->arena, "%s_any_%s", prefix, exchange_dim_key(d))) != '\0';
	}
	it->description = kv_get(&w->req->form, arena_printf(w->arena, "%s_description", prefix));
}

void page_exchange_signup(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	struct signup_input *in = arena_calloc(w->arena, 1, sizeof *in);
	in->nrequests = x.requests_max > EXCHANGE_ITEMS_MAX ? EXCHANGE_ITEMS_MAX : (size_t)x.requests_max;
	in->noffers = x.offers_max > EXCHANGE_ITEMS_MAX ? EXCHANGE_ITEMS_MAX : (size_t)x.offers_max;
	for (size_t i = 0; i < in->nrequests; i++)
		item_from_form(w, arena_printf(w->arena, "request_%zu", i + 1), &in->requests[i]);
	for (size_t i = 0; i < in->noffers; i++)
		item_from_form(w, arena_printf(w->arena, "offer_%zu", i + 1), &in->offers[i]);
	in->pinch_hitter = *web_form(w, "pinch_hitter") != '\0';
	struct field_errors e = {0};
	int rc = archive_signup_save(w->app->store, w->arena, w->user, c.name, in, &e);
	if (rc == Q_EINVAL || ((rc == Q_EPERM || rc == Q_ETOOBIG) && e.n)) {
		render_signup(w, rc == Q_EINVAL ? 422 : 403, &c, &x, role, in, &e);
		return;
	}
	if (rc) {
		failed(w, rc, NULL);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/signup?notice=signed_up", coll_url(w, c.name)));
}

void page_exchange_signup_delete(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_signup_delete(w->app->store, w->arena, w->user, w->params[0], &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/signup?notice=withdrawn", coll_url(w, w->params[0])));
}

/* ---- Sign-ups (moderators) -------------------------------------------------------------------------------- */

static json_t *signup_items_json(struct web_req *w, const struct signup *su, int kind)
{
	json_t *list = json_array();
	for (size_t i = 0; i < su->nitems; i++) {
		const struct signup_item *it = &su->items[i];
		if (it->kind != kind)
			continue;
		json_t *dims = json_array();
		for (int d = 0; d < EXCHANGE_DIMS; d++) {
			if (!it->tags[d].n && !((it->any_mask >> d) & 1))
				continue;
			json_array_append_new(dims, json_pack("{s:s, s:s}", "label", dim_labels[d], "tags",
			                                      (it->any_mask >> d) & 1 ? "Any"
			                                                              : joined(w, it->tags[d].items, it->tags[d].n, ", ")));
		}
		json_array_append_new(list, json_pack("{s:o, s:s}", "dims", dims, "description_html",
		                                      it->description.html ? it->description.html : ""));
	}
	return list;
}

void page_exchange_signups(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	if (!collection_can_moderate(role)) {
		web_error(w, 403, "Only the exchange's moderators see its sign-ups.");
		return;
	}
	struct signup *list;
	size_t n;
	const char *after = kv_get(&w->req->query, "after");
	if (store_signups_list(w->app->store, w->arena, c.id, after, SIGNUPS_PER_PAGE + 1, &list, &n) != 0) {
		web_error(w, 500, "The sign-ups could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = frame(w, &c, &x, role, "signups"), *a = json_array();
	for (size_t i = 0; i < n && i < SIGNUPS_PER_PAGE; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:s}", "name", list[i].user_name, "user_url",
		                                   user_url(w, list[i].user_name), "url",
		                                   arena_printf(w->arena, "%s/signups/%lld", coll_url(w, c.name),
		                                                (long long)list[i].id),
		                                   "pinch_hitter", list[i].pinch_hitter, "date", web_date(w, list[i].updated_at)));
	json_object_set_new(d, "signups", a);
	if (n > SIGNUPS_PER_PAGE)
		json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "%s/signups?after=%s", coll_url(w, c.name),
		                                                            esc_url_a(w->arena, list[SIGNUPS_PER_PAGE - 1].user_name))));
	web_render(w, 200, "exchanges/signups", arena_printf(w->arena, "Sign-ups of %s", c.title), d);
}

void page_exchange_signup_show(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	struct signup su;
	int rc = store_signup_get(w->app->store, w->arena, web_param_id(w, 1), 0, 0, &su);
	if (rc == 0 && su.collection_id != c.id)
		rc = Q_ENOTFOUND;
	if (rc == 0 && !collection_can_moderate(role) && !(w->user && w->user->id == su.user_id))
		rc = Q_ENOTFOUND;
	if (rc) {
		failed(w, rc, rc == Q_ENOTFOUND ? "There is no such sign-up." : NULL);
		return;
	}
	json_t *d = frame(w, &c, &x, role, "signups");
	json_object_set_new(d, "signup", json_pack("{s:s, s:s, s:b, s:o, s:o}", "name", su.user_name, "user_url",
	                                           user_url(w, su.user_name), "pinch_hitter", su.pinch_hitter, "requests",
	                                           signup_items_json(w, &su, 0), "offers", signup_items_json(w, &su, 1)));
	web_render(w, 200, "exchanges/signup_show", arena_printf(w->arena, "Sign-up of %s", su.user_name), d);
}

/* ---- Matching and its review --------------------------------------------------------------------------------- */

static json_t *assignment_json(struct web_req *w, const struct assignment *a, const struct exchange_compat *cx,
                               bool moderator)
{
	json_t *o = json_object();
	const char *base = coll_url(w, a->collection_name);
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "%s/assignments/%lld", base, (long long)a->id)));
	json_object_set_new(o, "collection_title", json_string(a->collection_title ? a->collection_title : ""));
	json_object_set_new(o, "collection_url", json_string(base));
	json_object_set_new(o, "recipient", json_string(a->recipient_name ? a->recipient_name : "(an account since deleted)"));
	json_object_set_new(o, "recipient_url", json_string(user_url(w, a->recipient_name)));
	if (moderator || (w->user && a->giver_id == w->user->id)) {
		if (a->giver_name)
			json_object_set_new(o, "giver", json_string(a->giver_name));
		if (a->defaulted_name)
			json_object_set_new(o, "defaulted_by", json_string(a->defaulted_name));
	}
	json_object_set_new(o, "sent", json_boolean(a->sent_at != 0));
	json_object_set_new(o, "open", json_boolean(a->sent_at && !a->giver_id && !a->fulfilled_work_id));
	json_object_set_new(o, "pinch_hit", json_boolean(a->pinch_hit));
	json_object_set_new(o, "defaulted", json_boolean(a->defaulted_at != 0));
	json_object_set_new(o, "fulfilled", json_boolean(a->fulfilled_work_id != 0));
	if (a->fulfilled_work_id)
		json_object_set_new(o, "work_url", json_string(arena_printf(w->arena, "/works/%lld", (long long)a->fulfilled_work_id)));
	json_object_set_new(o, "work_title", json_string(a->work_title ? a->work_title : ""));
	json_object_set_new(o, "due", json_string(date_text(w, a->due_at)));
	json_object_set_new(o, "overdue", json_boolean(a->due_at && !a->fulfilled_work_id && (int64_t)time(NULL) > a->due_at));
	json_object_set_new(o, "mine", json_boolean(w->user && a->giver_id == w->user->id));
	if (cx && a->giver_id)
		json_object_set_new(o, "compatible", json_boolean(a->offer_signup_id &&
		                                                  exchange_compatible(cx, a->offer_signup_id, a->request_signup_id)));
	return o;
}

void page_exchange_matching(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	if (!collection_can_moderate(role)) {
		web_error(w, 403, "Only the exchange's moderators review the matching.");
		return;
	}
	struct assignment *list;
	size_t n;
	struct exchange_compat *cx = NULL;
	if (store_assignments(w->app->store, w->arena, c.id, 0, x.sent_at ? ASSIGNMENTS_SENT : ASSIGNMENTS_DRAFTS, 0, 500,
	                      &list, &n) != 0 ||
	    exchange_compat_load(w->app->store, w->arena, c.id, &x, &cx) != 0) {
		web_error(w, 500, "The matching could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = frame(w, &c, &x, role, "matching"), *a = json_array();
	size_t matched = 0, compatible = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(a, assignment_json(w, &list[i], cx, true));
		matched += list[i].giver_id != 0;
		compatible += list[i].giver_id && list[i].offer_signup_id &&
		              exchange_compatible(cx, list[i].offer_signup_id, list[i].request_signup_id);
	}
	json_object_set_new(d, "assignments", a);
	json_object_set_new(d, "matched", json_integer((json_int_t)matched));
	json_object_set_new(d, "unmatched", json_integer((json_int_t)(n - matched)));
	json_object_set_new(d, "compatible", json_integer((json_int_t)compatible));
	json_object_set_new(d, "total", json_integer((json_int_t)n));
	/* The run just done (?report=signups.matched.unmatched.cover.mutual.milliseconds). */
	const char *report = w->user ? kv_get(&w->req->query, "report") : NULL;
	unsigned long r[6];
	if (report && sscanf(report, "%lu.%lu.%lu.%lu.%lu.%lu", &r[0], &r[1], &r[2], &r[3], &r[4], &r[5]) == 6)
		json_object_set_new(d, "report", json_string(arena_printf(w->arena, "%lu sign-ups: %lu matched, %lu without "
		                                                                    "a giver (the most that can be matched: "
		                                                                    "%lu), %lu mutual pairs, in %.2f s.",
		                                                          r[0], r[1], r[2], r[3], r[4], (double)r[5] / 1000)));
	set_notice(w, d);
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "exchanges/matching", arena_printf(w->arena, "Matching of %s", c.title), d);
}

void page_exchange_match(struct web_req *w)
{
	struct exchange_match_report r;
	const char *why = NULL;
	int rc = archive_exchange_match(w->app->store, w->arena, w->user, w->params[0], &r, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/matching?notice=matched&report=%zu.%zu.%zu.%zu.%zu.%lu",
	                             coll_url(w, w->params[0]), r.signups, r.matched, r.unmatched, r.cover, r.mutual,
	                             (unsigned long)(r.seconds * 1000)));
}

void page_exchange_send(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_assignments_send(w->app->store, w->arena, w->user, w->params[0], &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/assignments?notice=sent", coll_url(w, w->params[0])));
}

/* ---- Assignments --------------------------------------------------------------------------------------------- */

static const struct {
	const char *key, *label;
	int filter;
} tabs[] = {
	{"all", "All", ASSIGNMENTS_ALL},           {"unfulfilled", "Not fulfilled", ASSIGNMENTS_UNFULFILLED},
	{"open", "Pinch hits", ASSIGNMENTS_OPEN},  {"defaulted", "Defaulted", ASSIGNMENTS_DEFAULTED},
};

void page_exchange_assignments(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	json_t *d = frame(w, &c, &x, role, "assignments");
	set_notice(w, d);
	struct assignment *list;
	size_t n;
	bool moderator = collection_can_moderate(role);
	int filter = moderator ? ASSIGNMENTS_SENT : ASSIGNMENTS_OPEN;
	const char *tab = kv_get(&w->req->query, "tab");
	for (size_t i = 0; moderator && tab && i < sizeof tabs / sizeof tabs[0]; i++)
		if (!strcmp(tab, tabs[i].key))
			filter = tabs[i].filter;
	if (moderator) {
		json_t *t = json_array();
		for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
			json_array_append_new(t, json_pack("{s:s, s:s, s:b}", "label", tabs[i].label, "url",
			                                   arena_printf(w->arena, "%s/assignments?tab=%s", coll_url(w, c.name),
			                                                tabs[i].key),
			                                   "current", tabs[i].filter == filter));
		json_object_set_new(d, "tabs", t);
	}
	/* Everyone who may: the open pinch hits (members), the moderators' list; and one's own. */
	if ((moderator || role >= COLLECTION_MEMBER) &&
	    store_assignments(w->app->store, w->arena, c.id, 0, filter, 0, ASSIGNMENTS_PER_PAGE, &list, &n) == 0) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			if (moderator || !(w->user && list[i].recipient_id == w->user->id)) /* nobody sees their own gift's */
				json_array_append_new(a, assignment_json(w, &list[i], NULL, moderator));
		json_object_set_new(d, moderator ? "all" : "open", a);
	}
	if (w->user && store_assignments(w->app->store, w->arena, 0, w->user->id, 0, 0, ASSIGNMENTS_PER_PAGE, &list, &n) == 0) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			if (list[i].collection_id == c.id)
				json_array_append_new(a, assignment_json(w, &list[i], NULL, moderator));
		json_object_set_new(d, "mine", a);
	}
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "exchanges/assignments", arena_printf(w->arena, "Assignments of %s", c.title), d);
}

void page_exchange_assignment(struct web_req *w)
{
	struct collection c;
	struct exchange x;
	int role;
	if (!load(w, &c, &x, &role))
		return;
	struct assignment a;
	int arole;
	int rc = archive_assignment_load(w->app->store, w->arena, w->user, web_param_id(w, 1), &a, &arole);
	if (rc == 0 && a.collection_id != c.id)
		rc = Q_ENOTFOUND;
	if (rc) {
		failed(w, rc, rc == Q_ENOTFOUND ? "There is no such assignment, or it is not yours to see." : NULL);
		return;
	}
	json_t *d = frame(w, &c, &x, role, "assignments");
	set_notice(w, d);
	bool moderator = collection_can_moderate(role);
	json_object_set_new(d, "assignment", assignment_json(w, &a, NULL, moderator));
	json_object_set_new(d, "is_moderator", json_boolean(moderator));
	/* What the recipient asked for: the giver writes from it. */
	struct signup su;
	if (a.request_signup_id && store_signup_get(w->app->store, w->arena, a.request_signup_id, 0, 0, &su) == 0)
		json_object_set_new(d, "requests", signup_items_json(w, &su, 0));
	if (w->user && a.giver_id == w->user->id && !a.fulfilled_work_id)
		json_object_set_new(d, "post_url", json_string(arena_printf(w->arena, "/works/new?assignment=%lld", (long long)a.id)));
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, 200, "exchanges/assignment", arena_printf(w->arena, "Assignment in %s", c.title), d);
}

void page_exchange_assignment_edit(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_assignment_edit(w->app->store, w->arena, w->user, w->params[0], web_param_id(w, 1),
	                                 web_form(w, "giver"), &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	const char *r = kv_get(&w->req->form, "return");
	const char *to = r && web_return_path_ok(r) ? r : arena_printf(w->arena, "%s/matching", coll_url(w, w->params[0]));
	web_redirect(w, arena_printf(w->arena, "%s%snotice=edited", to, strchr(to, '?') ? "&" : "?"));
}

void page_exchange_assignment_default(struct web_req *w)
{
	const char *why = NULL;
	int rc = archive_assignment_default(w->app->store, w->arena, w->user, web_param_id(w, 1), &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/assignments?notice=defaulted", coll_url(w, w->params[0])));
}

void page_exchange_assignment_claim(struct web_req *w)
{
	const char *why = NULL;
	int64_t id = web_param_id(w, 1);
	int rc = archive_assignment_claim(w->app->store, w->arena, w->user, id, &why);
	if (rc) {
		failed(w, rc, why);
		return;
	}
	web_redirect(w, arena_printf(w->arena, "%s/assignments/%lld?notice=claimed", coll_url(w, w->params[0]), (long long)id));
}

void page_user_assignments(struct web_req *w)
{
	if (strcasecmp(w->params[0], w->user->name) != 0) {
		web_error(w, 403, "Only the account's owner sees their assignments.");
		return;
	}
	struct assignment *list;
	size_t n;
	if (store_assignments(w->app->store, w->arena, 0, w->user->id, 0, 0, ASSIGNMENTS_PER_PAGE, &list, &n) != 0) {
		web_error(w, 500, "Your assignments could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, assignment_json(w, &list[i], NULL, false));
	json_object_set_new(d, "assignments", a);
	web_render(w, 200, "exchanges/mine", "My assignments", d);
}
