/* The site's own pages (/about, /tos, /privacy, /faq, /pages/SLUG), accepting the terms (/accept), the banner's
 * dismissal, the site's settings and pages on the admin side, and what the layout and sign-up form take from
 * them (web/community_hooks.h). */
#include "web/pages/admin.h"
#include "web/pages/response.h"
#include "web/community_hooks.h"
#include "archive/community.h"
#include "archive/site.h"
#include "core/err.h"
#include "html/escape.h"
#include <stdlib.h>
#include <string.h>

/* The settings in force, in the request's arena (they are large: not on the stack). */
static struct site_settings *settings(struct web_req *w)
{
	struct site_settings *s = arena_alloc(w->arena, sizeof *s);
	community_settings(w->app->community, s);
	return s;
}

/* ---- Hooks ---------------------------------------------------------------------------------------- */

void community_signup_form(struct web_req *w, json_t *d)
{
	struct site_settings *s = settings(w);
	const char *mode = s->value[SITE_SIGNUP_MODE];
	json_object_set_new(d, "signup", json_pack("{s:s, s:b, s:b, s:b}", "mode", mode, "closed", !strcmp(mode, "closed"),
	                                           "invitation_only", !strcmp(mode, "invitation"), "terms",
	                                           s->policy_version > 0));
}

/* Pages a reader who must accept the terms may still open. */
static bool gate_open(const char *path)
{
	static const char *const exact[] = {"/accept", "/logout", "/favicon.ico", "/healthz", "/metrics", "/tos",
	                                    "/privacy", "/about", "/faq", NULL};
	for (size_t i = 0; exact[i]; i++)
		if (!strcmp(path, exact[i]))
			return true;
	/* The admin pages stay open: that is where the terms are written (and every admin page checks the role). */
	return !strncmp(path, "/static/", 8) || !strncmp(path, "/pages/", 7) || !strncmp(path, "/docs/", 6) ||
	       !strncmp(path, "/admin", 6);
}

bool community_gate(struct web_req *w)
{
	if (!w->user || w->api || gate_open(w->req->path))
		return false;
	struct site_settings *s = settings(w);
	if (!site_policy_pending(w->user, s->policy_version))
		return false;
	const char *back = !strcmp(w->req->method, "GET") ? web_here(w) : "/";
	web_redirect(w, arena_printf(w->arena, "/accept?return=%s", esc_url_a(w->arena, back)));
	return true;
}

/* The banner this visitor dismissed (cookie quire_banner), 0 when none. */
static int64_t dismissed(struct web_req *w)
{
	const char *c = kv_get(&w->req->cookies, "quire_banner");
	return c && *c && strlen(c) <= 18 && strspn(c, "0123456789") == strlen(c) ? strtoll(c, NULL, 10) : 0;
}

const char *community_cache_variant(struct web_req *w)
{
	int64_t d = dismissed(w);
	return d ? arena_printf(w->arena, ".b%lld", (long long)d) : "";
}

size_t community_layout(struct web_req *w, struct tpl_var *vars, const char **site_name)
{
	struct site_settings *s = settings(w);
	size_t n = 0;
	*site_name = arena_strdup(w->arena, s->value[SITE_NAME]);
	if (*s->value[SITE_DESCRIPTION])
		vars[n++] = tpl_var_str("site_description", arena_strdup(w->arena, s->value[SITE_DESCRIPTION]));
	vars[n++] = tpl_var_str("signup_mode", arena_strdup(w->arena, s->value[SITE_SIGNUP_MODE]));
	if (*s->banner_html && dismissed(w) != s->banner_id) {
		vars[n++] = tpl_var_str("banner_html", arena_strdup(w->arena, s->banner_html));
		vars[n++] = tpl_var_int("banner_id", s->banner_id);
	}
	if (s->nfooter) { /* rendered once here: the layout's fields are C values, and lists are not */
		json_t *d = json_object(), *links = json_array();
		for (int i = 0; i < s->nfooter; i++)
			json_array_append_new(links, json_pack("{s:s, s:s}", "url", arena_printf(w->arena, "/pages/%s",
			                                                                       s->footer[i].slug),
			                                       "title", s->footer[i].title));
		json_object_set_new(d, "links", links);
		struct tpl_out *out = arena_alloc(w->arena, sizeof *out);
		if (web_render_part(w, "site/_footer", d, out) == 0)
			vars[n++] = tpl_var_out("footer_pages", out);
		json_decref(d);
	}
	return n;
}

/* ---- The site's pages ------------------------------------------------------------------------------- */

static void show_page(struct web_req *w, const char *slug)
{
	struct site_page p;
	int rc = site_slug_ok(slug) ? store_site_page_get(w->app->store, w->arena, slug, &p) : Q_ENOTFOUND;
	if (rc) {
		web_error(w, rc == Q_ENOTFOUND ? 404 : 500, rc == Q_ENOTFOUND ? "There is no such page."
		                                                             : "The page could not be loaded.");
		return;
	}
	json_t *d = json_object();
	json_object_set_new(d, "title", json_string(p.title));
	json_object_set_new(d, "body_html", web_ref_str(w, p.body_html));
	json_object_set_new(d, "updated", json_string(web_date(w, p.updated_at)));
	json_object_set_new(d, "version", json_integer(p.version));
	json_object_set_new(d, "policy", json_boolean(site_slug_is_policy(slug)));
	if (archive_may(w->user, POWER_SITE_PAGES))
		json_object_set_new(d, "edit_url", json_string(arena_printf(w->arena, "/admin/pages/%s", slug)));
	w->cacheable = true; /* the same for every guest; any page's change drops it (store_site_page_put) */
	web_render(w, 200, "site/page", p.title, d);
}

void page_site_page(struct web_req *w)
{
	/* /pages/SLUG, or /about, /tos, /privacy, /faq (the path names the slug). */
	show_page(w, w->params[0] ? w->params[0] : w->req->path + 1);
}

void page_accept_form(struct web_req *w)
{
	struct site_settings *s = settings(w);
	json_t *d = json_object();
	json_object_set_new(d, "csrf_token", json_string(web_csrf_token(w)));
	json_object_set_new(d, "return", json_string(web_return_path(kv_get(&w->req->query, "return"))));
	json_object_set_new(d, "pending", json_boolean(site_policy_pending(w->user, s->policy_version)));
	json_object_set_new(d, "again", json_boolean(w->user->policy_accepted > 0));
	json_object_set_new(d, "version", json_integer(s->policy_version));
	web_render(w, 200, "site/accept", "Terms of service", d);
}

void page_accept(struct web_req *w)
{
	struct site_settings *s = settings(w);
	const char *v = web_form(w, "version");
	if (s->policy_version && strtoll(v, NULL, 10) != s->policy_version) {
		/* The terms changed while the page was open: read them again. */
		web_redirect(w, "/accept");
		return;
	}
	if (s->policy_version && site_policy_accept(w->app->store, w->user, s->policy_version) != 0) {
		web_error(w, 500, "Your answer could not be saved. Please try again.");
		return;
	}
	web_redirect(w, web_return_path(web_form(w, "return")));
}

void page_banner_dismiss(struct web_req *w)
{
	const char *id = web_form(w, "banner_id");
	if (!*id || strlen(id) > 18 || strspn(id, "0123456789") != strlen(id)) {
		web_error(w, 400, "Which banner?");
		return;
	}
	web_set_cookie(w, "quire_banner", id, 365L * 86400L, true);
	web_redirect(w, web_return_path(web_form(w, "return")));
}

/* ---- Admin: settings, banner, pages ------------------------------------------------------------------- */

static void render_settings(struct web_req *w, int status, const struct field_errors *e, const char *const *typed,
                            const char *error)
{
	struct site_settings *s = settings(w);
	json_t *d = admin_data(w, "settings"), *fields = json_array();
	for (int k = 0; k < SITE_KEY_COUNT; k++) {
		const struct site_key_info *ki = &site_keys[k];
		const char *v = typed && typed[k] ? typed[k] : s->value[k];
		json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:b}", "key", ki->key, "label", ki->label, "help", ki->help,
		                      "value", v, "number", ki->number);
		if (*s->fixed_by[k])
			json_object_set_new(f, "fixed_by", json_string(s->fixed_by[k]));
		if (ki->choices) {
			json_t *opts = json_array();
			for (size_t i = 0; ki->choices[i]; i++)
				json_array_append_new(opts, json_pack("{s:s, s:b}", "name", ki->choices[i], "selected",
				                                      !strcmp(ki->choices[i], v)));
			json_object_set_new(f, "choices", opts);
		}
		const char *err = e ? field_error_get(e, ki->key) : NULL;
		if (err)
			json_object_set_new(f, "error", json_string(err));
		json_array_append_new(fields, f);
	}
	json_object_set_new(d, "fields", fields);
	char *banner = NULL;
	store_setting_get(w->app->store, w->arena, "site:banner", &banner);
	json_object_set_new(d, "banner", json_string(banner ? banner : ""));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	web_render(w, status, "admin/settings", "Site settings", d);
}

void page_admin_settings(struct web_req *w)
{
	if (admin_allowed(w, POWER_SETTINGS))
		render_settings(w, 200, NULL, NULL, NULL);
}

void page_admin_settings_save(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SETTINGS))
		return;
	const char *values[SITE_KEY_COUNT];
	for (int k = 0; k < SITE_KEY_COUNT; k++)
		values[k] = kv_get(&w->req->form, site_keys[k].key);
	struct field_errors e = {0};
	const char *why = NULL;
	int rc = site_settings_save(w->app->community, w->arena, w->user, values, &e, &why);
	if (rc == Q_EINVAL) {
		render_settings(w, 422, &e, values, why);
		return;
	}
	if (rc == 0)
		page_cache_clear(w->app->cache); /* the name shows on every page */
	admin_done(w, rc, "/admin/settings", rc ? why : "settings_saved");
}

void page_admin_banner(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	const char *why = NULL;
	int rc = site_banner_save(w->app->community, w->arena, w->user, kv_get(&w->req->form, "banner"), &why);
	if (rc == 0)
		page_cache_clear(w->app->cache); /* every page carries the banner */
	admin_done(w, rc, "/admin/settings", rc ? why : "banner_saved");
}

void page_admin_pages(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	struct site_page *list;
	size_t n;
	if (store_site_pages_list(w->app->store, w->arena, &list, &n) != 0) {
		web_error(w, 500, "The pages could not be loaded.");
		return;
	}
	json_t *d = admin_data(w, "pages"), *pages = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(pages, json_pack("{s:s, s:s, s:I, s:s, s:s, s:b}", "slug", list[i].slug, "title",
		                                       list[i].title, "version", (json_int_t)list[i].version, "updated",
		                                       admin_time(w, list[i].updated_at), "url",
		                                       arena_printf(w->arena, "/admin/pages/%s", list[i].slug), "in_footer",
		                                       list[i].in_footer));
	json_object_set_new(d, "pages", pages);
	json_t *missing = json_array();
	static const char *const usual[] = {"about", "tos", "privacy", "faq", NULL};
	for (size_t i = 0; usual[i]; i++) {
		struct site_page p;
		if (store_site_page_get(w->app->store, w->arena, usual[i], &p) == Q_ENOTFOUND)
			json_array_append_new(missing, json_pack("{s:s, s:s}", "slug", usual[i], "url",
			                                         arena_printf(w->arena, "/admin/pages/%s", usual[i])));
	}
	json_object_set_new(d, "missing", missing);
	web_render(w, 200, "admin/pages", "Site pages", d);
}

static void render_page_form(struct web_req *w, int status, const char *slug, const struct site_page_input *typed,
                             const struct field_errors *e, const char *error)
{
	struct site_page p;
	bool exists = store_site_page_get(w->app->store, w->arena, slug, &p) == 0;
	json_t *d = admin_data(w, "pages");
	json_object_set_new(d, "slug", json_string(slug));
	json_object_set_new(d, "exists", json_boolean(exists));
	json_object_set_new(d, "policy", json_boolean(site_slug_is_policy(slug)));
	json_object_set_new(d, "version", json_integer(exists ? p.version : 0));
	json_object_set_new(d, "title", json_string(typed ? typed->title : exists ? p.title : ""));
	json_object_set_new(d, "body", json_string(typed ? typed->body : exists ? p.body : ""));
	json_object_set_new(d, "in_footer", json_boolean(typed ? typed->in_footer : exists ? p.in_footer : true));
	json_object_set_new(d, "public_url", json_string(arena_printf(w->arena, "/pages/%s", slug)));
	json_t *errs = json_object();
	for (size_t i = 0; e && i < e->n; i++)
		json_object_set_new(errs, e->items[i].field, json_string(e->items[i].message));
	json_object_set_new(d, "errors", errs);
	if (error)
		json_object_set_new(d, "error", json_string(error));
	web_render(w, status, "admin/page_form", exists ? arena_printf(w->arena, "Edit %s", p.title) : "New page", d);
}

void page_admin_page_new(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	const char *slug = kv_get(&w->req->query, "slug");
	if (!site_slug_ok(slug) || !strcmp(slug, "new")) {
		web_error(w, 422, "Page addresses are 1 to 60 lowercase letters, digits and hyphens (and not “new”).");
		return;
	}
	web_redirect(w, arena_printf(w->arena, "/admin/pages/%s", slug));
}

void page_admin_page_edit(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	if (!site_slug_ok(w->params[0])) {
		web_error(w, 404, "Page addresses are 1 to 60 lowercase letters, digits and hyphens.");
		return;
	}
	render_page_form(w, 200, w->params[0], NULL, NULL, NULL);
}

void page_admin_page_save(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	struct site_page_input in = {
		.slug = w->params[0],
		.title = web_form(w, "title"),
		.body = kv_get(&w->req->form, "body") ? kv_get(&w->req->form, "body") : "",
		.in_footer = !strcmp(web_form(w, "in_footer"), "1"),
		.new_version = !strcmp(web_form(w, "new_version"), "1"),
	};
	struct field_errors e = {0};
	const char *why = NULL;
	int rc = site_page_save(w->app->community, w->arena, w->user, &in, &e, &why);
	if (rc == Q_EINVAL) {
		render_page_form(w, 422, in.slug, &in, &e, why);
		return;
	}
	if (rc == 0)
		page_cache_clear(w->app->cache); /* every page's footer lists the pages */
	admin_done(w, rc, arena_printf(w->arena, "/pages/%s", in.slug), rc ? why : "page_saved");
}

void page_admin_page_delete(struct web_req *w)
{
	if (!admin_allowed(w, POWER_SITE_PAGES))
		return;
	const char *why = NULL;
	int rc = site_page_remove(w->app->community, w->arena, w->user, w->params[0], &why);
	if (rc == 0)
		page_cache_clear(w->app->cache);
	admin_done(w, rc, "/admin/pages", rc ? why : "page_deleted");
}
