/* Tag pages: a tag's works with its relations, the wrangling form and queue, and the fandom directory. */
#include "web/pages/pages.h"
#include "archive/tags.h"
#include "archive/mutes.h"
#include "core/err.h"
#include "html/escape.h"
#include "web/listing_view.h"
#include <stdlib.h>
#include <string.h>

#define QUEUE_PER_PAGE 100
#define MEDIA_TOP 5
#define MEDIA_PER_PAGE 200

static const char *const type_labels[TAG_TYPE_COUNT] = {
	[TAG_RATING] = "Rating",         [TAG_WARNING] = "Archive Warning", [TAG_CATEGORY] = "Category",
	[TAG_FANDOM] = "Fandom",         [TAG_RELATIONSHIP] = "Relationship", [TAG_CHARACTER] = "Character",
	[TAG_FREEFORM] = "Additional Tag",
};

static const char *media_label(const char *media)
{
	return media && *media ? media : ARCHIVE_MEDIA_UNCATEGORIZED;
}

static json_t *tag_brief(struct web_req *w, const struct tag *t)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:b}", "name", t->name, "url", archive_tag_url(w->arena, t->name),
	                 "type", type_labels[t->type], "count",
	                 (json_int_t)(w->user ? t->works_count : t->public_count), "canonical", t->canonical);
}

/* Related tags, leaving out those only drafts, hidden or (for guests) members-only works carry. */
static json_t *tag_briefs(struct web_req *w, const struct tag *list, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (archive_tag_listed(&list[i], w->user))
			json_array_append_new(a, tag_brief(w, &list[i]));
	return a;
}

/* The tag named by path parameter 0 (and ?type=KEY when names collide across types). Answers 404 or 500 and
 * returns false when there is none. *others gets the same name's tags of other types. */
static bool load_tag(struct web_req *w, struct tag *out, json_t **others)
{
	const char *name = archive_tag_url_name(w->arena, w->params[0]);
	const char *want = kv_get(&w->req->query, "type");
	struct tag *list = NULL;
	size_t n = 0;
	int rc = store_tag_find(w->app->store, w->arena, name, &list, &n);
	if (rc != 0) {
		web_error(w, 500, "The tag could not be loaded. Please try again in a moment.");
		return false;
	}
	/* Tags nobody may see here answer as if they did not exist: a draft's tags are its creators' secret. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (archive_tag_seen(w->app->store, &list[i], w->user))
			list[k++] = list[i];
	n = k;
	size_t pick = n;
	for (size_t i = 0; i < n && want; i++)
		if (!strcmp(tag_type_key(list[i].type), want))
			pick = i;
	if (n == 0 || (want && *want && pick == n)) {
		web_error(w, 404, arena_printf(w->arena, "There is no tag named “%s”%s.", name,
		                               want && *want ? " of that type" : ""));
		return false;
	}
	if (pick == n)
		pick = 0;
	*out = list[pick];
	if (others) {
		*others = json_array();
		for (size_t i = 0; i < n; i++)
			if (i != pick)
				json_array_append_new(*others, json_pack("{s:s, s:s}", "type", type_labels[list[i].type], "url",
				                                         arena_printf(w->arena, "%s?type=%s",
				                                                      archive_tag_url(w->arena, list[i].name),
				                                                      tag_type_key(list[i].type))));
	}
	return true;
}

void page_tag_show(struct web_req *w)
{
	struct tag t;
	json_t *others = NULL;
	if (!load_tag(w, &t, &others))
		return;
	struct tag_detail d;
	if (store_tag_detail(w->app->store, w->arena, t.id, &d) != 0) {
		json_decref(others);
		web_error(w, 500, "The tag could not be loaded. Please try again in a moment.");
		return;
	}
	const char *want = kv_get(&w->req->query, "type");
	bool typed = want && *want;
	json_t *tag = tag_brief(w, &d.tag);
	json_object_set_new(tag, "type_key", json_string(tag_type_key(d.tag.type)));
	json_object_set_new(tag, "fixed", json_boolean(d.tag.type <= TAG_CATEGORY));
	if (d.tag.merger_id)
		json_object_set_new(tag, "synonym_of", json_pack("{s:s, s:s}", "name", d.tag.merger_name, "url",
		                                                 archive_tag_url(w->arena, d.tag.merger_name)));
	if (d.tag.type == TAG_FANDOM)
		json_object_set_new(tag, "media", json_pack("{s:s, s:s}", "name", media_label(d.tag.media), "url",
		                                            arena_printf(w->arena, "/media/%s",
		                                                         esc_url_a(w->arena, media_label(d.tag.media)))));
	json_object_set_new(tag, "fandoms", tag_briefs(w, d.fandoms, d.nfandoms));
	json_object_set_new(tag, "children", tag_briefs(w, d.children, d.nchildren));
	json_object_set_new(tag, "metas", tag_briefs(w, d.metas, d.nmetas));
	json_object_set_new(tag, "subs", tag_briefs(w, d.subs, d.nsubs));
	json_object_set_new(tag, "synonyms", tag_briefs(w, d.synonyms, d.nsynonyms));
	json_object_set_new(tag, "others", others);
	/* The tag's works as an e-reader (OPDS) and feed-reader (Atom) feed: the catalog's listing of this tag. */
	json_object_set_new(tag, "feed_url", json_string(arena_printf(w->arena, "/opds/works?tags=%s",
	                                                              esc_url_a(w->arena, d.tag.name))));
	json_t *data = json_object();
	json_object_set_new(data, "tag", tag);
	if (w->user) { /* the reader may mute it (their own pages only: never cached) */
		struct mute_set m;
		bool muting = false;
		if (mutes_load(w->app->store, w->arena, w->user, &m) == 0)
			for (size_t i = 0; i < m.ntags; i++)
				muting |= m.tags[i].type == (int)d.tag.type && !strcmp(m.tags[i].name, d.tag.name);
		json_object_set_new(data, "mute", json_pack("{s:b, s:s, s:s}", "muting", muting, "type",
		                                            tag_type_key(d.tag.type), "url",
		                                            archive_tag_url(w->arena, d.tag.name)));
	}
	if (archive_can_wrangle(w->user)) {
		json_object_set_new(data, "edit_url", json_string(arena_printf(w->arena, "%s/edit%s",
		                                                               archive_tag_url(w->arena, d.tag.name),
		                                                               typed ? arena_printf(w->arena, "?type=%s", want)
		                                                                     : "")));
		json_object_set_new(tag, "lookalikes", tag_briefs(w, d.lookalikes, d.nlookalikes));
	}
	/* Its works: through its canonical tag when it is a synonym, with its sub tags' when it is a meta tag. */
	struct tag_ref *ref = arena_calloc(w->arena, 1, sizeof *ref);
	*ref = (struct tag_ref){(int)d.tag.type, d.tag.name};
	struct tag_group *g = arena_calloc(w->arena, 1, sizeof *g);
	*g = (struct tag_group){ref, 1};
	struct listing_page lp = {
		.base = archive_tag_url(w->arena, d.tag.name),
		.keep_key = typed ? "type" : NULL,
		.keep_value = typed ? want : NULL,
		.title = d.tag.name,
		.heading = d.tag.name,
		.template = "tags/show",
		.data = data,
		.groups = g,
		.ngroups = 1,
		.sidebar = true,
		.cacheable = true,
	};
	listing_view_render(w, &lp);
}

/* ---- Wrangling ------------------------------------------------------------------------------------------ */

static bool wrangler_only(struct web_req *w)
{
	if (archive_can_wrangle(w->user))
		return true;
	web_error(w, 403, "Only tag wranglers can do that.");
	return false;
}

static const char *names_of(struct web_req *w, const struct tag *list, size_t n)
{
	const char *s = "";
	for (size_t i = 0; i < n; i++)
		s = arena_printf(w->arena, "%s%s%s", s, i ? ", " : "", list[i].name);
	return s;
}

static void render_edit(struct web_req *w, int status, const struct tag_detail *d, const char *error,
                        const struct tag_wrangle_input *typed)
{
	const char *want = kv_get(&w->req->query, "type");
	bool has_type = want && *want;
	json_t *data = json_object();
	json_t *tag = tag_brief(w, &d->tag);
	json_object_set_new(tag, "type_key", json_string(tag_type_key(d->tag.type)));
	json_object_set_new(tag, "lookalike", json_boolean(d->tag.lookalike));
	json_object_set_new(tag, "lookalikes", tag_briefs(w, d->lookalikes, d->nlookalikes));
	json_object_set_new(tag, "synonyms", tag_briefs(w, d->synonyms, d->nsynonyms));
	json_object_set_new(tag, "subs", tag_briefs(w, d->subs, d->nsubs));
	json_object_set_new(data, "tag", tag);
	json_object_set_new(data, "is_fandom", json_boolean(d->tag.type == TAG_FANDOM));
	json_object_set_new(data, "has_fandoms", json_boolean(d->tag.type > TAG_FANDOM));
	json_object_set_new(data, "fixed", json_boolean(d->tag.type <= TAG_CATEGORY));
	json_t *form = json_object();
	json_object_set_new(form, "canonical",
	                    json_boolean(typed ? typed->canonical && !strcmp(typed->canonical, "1") : d->tag.canonical));
	json_object_set_new(form, "synonym_of", json_string(typed && typed->synonym_of ? typed->synonym_of
	                                                    : d->tag.merger_name ? d->tag.merger_name : ""));
	json_object_set_new(form, "fandoms", json_string(typed && typed->fandoms ? typed->fandoms
	                                                 : names_of(w, d->fandoms, d->nfandoms)));
	json_object_set_new(form, "metas", json_string(typed && typed->metas ? typed->metas
	                                               : names_of(w, d->metas, d->nmetas)));
	const char *media = typed && typed->media ? typed->media : media_label(d->tag.media);
	json_t *opts = json_array();
	json_array_append_new(opts, json_pack("{s:s, s:b}", "name", ARCHIVE_MEDIA_UNCATEGORIZED, "selected",
	                                      !strcmp(media, ARCHIVE_MEDIA_UNCATEGORIZED)));
	for (size_t i = 0; archive_media[i]; i++)
		json_array_append_new(opts, json_pack("{s:s, s:b}", "name", archive_media[i], "selected",
		                                      !strcmp(media, archive_media[i])));
	json_object_set_new(data, "media_options", opts);
	json_object_set_new(data, "form", form);
	if (error)
		json_object_set_new(data, "error", json_string(error));
	const char *url = archive_tag_url(w->arena, d->tag.name);
	const char *suffix = has_type ? arena_printf(w->arena, "?type=%s", esc_url_a(w->arena, want)) : "";
	json_object_set_new(data, "action_url", json_string(arena_printf(w->arena, "%s/edit%s", url, suffix)));
	json_object_set_new(data, "tag_url", json_string(arena_printf(w->arena, "%s%s", url, suffix)));
	json_object_set_new(data, "csrf_token", json_string(web_csrf_token(w)));
	web_render(w, status, "tags/edit", arena_printf(w->arena, "Wrangle %s", d->tag.name), data);
}

static bool load_detail(struct web_req *w, struct tag_detail *d)
{
	struct tag t;
	if (!load_tag(w, &t, NULL))
		return false;
	if (store_tag_detail(w->app->store, w->arena, t.id, d) != 0) {
		web_error(w, 500, "The tag could not be loaded. Please try again in a moment.");
		return false;
	}
	return true;
}

void page_tag_edit_form(struct web_req *w)
{
	struct tag_detail d;
	if (!wrangler_only(w) || !load_detail(w, &d))
		return;
	render_edit(w, 200, &d, NULL, NULL);
}

/* The raw value of a form field, or NULL when the form does not have it. */
static const char *field(struct web_req *w, const char *key)
{
	return kv_get(&w->req->form, key);
}

void page_tag_edit(struct web_req *w)
{
	struct tag_detail d;
	if (!wrangler_only(w) || !load_detail(w, &d))
		return;
	struct tag_wrangle_input in = {
		.canonical = field(w, "canonical") ? field(w, "canonical") : "0",
		.synonym_of = field(w, "synonym_of"),
		.fandoms = field(w, "fandoms"),
		.metas = field(w, "metas"),
		.media = field(w, "media"),
	};
	const char *why = NULL;
	int rc = archive_tag_wrangle(w->app->store, w->arena, w->user, &d.tag, &in, &why);
	if (rc == Q_EINVAL) {
		render_edit(w, 422, &d, why ? why : "That change was refused.", &in);
		return;
	}
	if (rc == Q_EPERM) {
		web_error(w, 403, "Only tag wranglers can do that.");
		return;
	}
	if (rc != 0) {
		web_error(w, 500, "The tag could not be saved. Please try again in a moment.");
		return;
	}
	const char *want = kv_get(&w->req->query, "type");
	web_redirect(w, want && *want ? arena_printf(w->arena, "%s?type=%s&notice=wrangled",
	                                             archive_tag_url(w->arena, d.tag.name), esc_url_a(w->arena, want))
	                              : arena_printf(w->arena, "%s?notice=wrangled", archive_tag_url(w->arena, d.tag.name)));
}

/* A 1-based ?page=N within max pages; 0 (after answering 400) when malformed. */
static int small_page(struct web_req *w, int max)
{
	const char *s = kv_get(&w->req->query, "page");
	if (!s || !*s)
		return 1;
	size_t n = strlen(s);
	int v = n <= 6 && strspn(s, "0123456789") == n ? atoi(s) : 0;
	if (v < 1 || v > max) {
		web_error(w, 400, arena_printf(w->arena, "page must be a whole number from 1 to %d.", max));
		return 0;
	}
	return v;
}

void page_wrangling(struct web_req *w)
{
	if (!wrangler_only(w))
		return;
	json_t *d = json_object();
	const char *fandom = kv_get(&w->req->query, "fandom");
	struct queue_fandom *qf = NULL;
	size_t nqf = 0;
	if (store_wrangling_fandoms(w->app->store, w->arena, &qf, &nqf) != 0) {
		json_decref(d);
		web_error(w, 500, "The wrangling queue could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *fl = json_array();
	for (size_t i = 0; i < nqf; i++)
		json_array_append_new(fl, json_pack("{s:s, s:I, s:s}", "name", qf[i].name ? qf[i].name : "No fandom",
		                                    "count", (json_int_t)qf[i].count, "url",
		                                    arena_printf(w->arena, "/wrangling?fandom=%lld",
		                                                 (long long)qf[i].fandom_id)));
	json_object_set_new(d, "fandoms", fl);
	if (fandom) {
		size_t n = strlen(fandom);
		if (n == 0 || n > 18 || strspn(fandom, "0123456789") != n) {
			json_decref(d);
			web_error(w, 400, "fandom must be a fandom's number from the wrangling page.");
			return;
		}
		int page = small_page(w, 1000);
		if (!page) {
			json_decref(d);
			return;
		}
		int64_t fid = atoll(fandom);
		struct tag *list = NULL;
		size_t nl = 0;
		if (store_wrangling_queue(w->app->store, w->arena, fid, QUEUE_PER_PAGE + 1, (page - 1) * QUEUE_PER_PAGE,
		                          &list, &nl) != 0) {
			json_decref(d);
			web_error(w, 500, "The wrangling queue could not be loaded. Please try again in a moment.");
			return;
		}
		json_t *tags = json_array();
		for (size_t i = 0; i < nl && i < QUEUE_PER_PAGE; i++) {
			json_t *t = tag_brief(w, &list[i]);
			json_object_set_new(t, "edit_url", json_string(arena_printf(w->arena, "%s/edit?type=%s",
			                                                            archive_tag_url(w->arena, list[i].name),
			                                                            tag_type_key(list[i].type))));
			json_object_set_new(t, "lookalike", json_boolean(list[i].lookalike));
			if (list[i].lookalike_of)
				json_object_set_new(t, "lookalike_of", json_string(list[i].lookalike_of));
			json_object_set_new(t, "created", json_string(web_date(w, list[i].created_at)));
			json_array_append_new(tags, t);
		}
		const char *name = "No fandom";
		for (size_t i = 0; i < nqf; i++)
			if (qf[i].fandom_id == fid && qf[i].name)
				name = qf[i].name;
		json_object_set_new(d, "queue", tags);
		json_object_set_new(d, "queue_name", json_string(name));
		if (page > 1)
			json_object_set_new(d, "prev_url", json_string(arena_printf(w->arena, "/wrangling?fandom=%lld&page=%d",
			                                                            (long long)fid, page - 1)));
		if (nl > QUEUE_PER_PAGE)
			json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "/wrangling?fandom=%lld&page=%d",
			                                                            (long long)fid, page + 1)));
	}
	web_render(w, 200, "wrangling/index", "Wrangling", d);
}

/* ---- The fandom directory ------------------------------------------------------------------------------ */

static json_t *fandom_list(struct web_req *w, const struct tag *list, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "name", list[i].name, "url",
		                                   archive_tag_url(w->arena, list[i].name), "count",
		                                   (json_int_t)(w->user ? list[i].works_count : list[i].public_count)));
	return a;
}

void page_media_index(struct web_req *w)
{
	size_t n = 0;
	while (archive_media[n])
		n++;
	const char **media = arena_calloc(w->arena, n + 1, sizeof *media);
	for (size_t i = 0; i < n; i++)
		media[i] = archive_media[i];
	media[n] = ""; /* uncategorized last, as on AO3 */
	struct media_entry *e = NULL;
	if (store_media_directory(w->app->store, w->arena, media, n + 1, MEDIA_TOP, w->user != NULL, &e) != 0) {
		web_error(w, 500, "The fandom directory could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i <= n; i++) {
		const char *label = media_label(e[i].media);
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:o, s:b}", "name", label, "url",
		                                      arena_printf(w->arena, "/media/%s", esc_url_a(w->arena, label)),
		                                      "fandoms", (json_int_t)e[i].fandoms, "top",
		                                      fandom_list(w, e[i].top, e[i].ntop), "more",
		                                      e[i].fandoms > (int64_t)e[i].ntop));
	}
	json_t *d = json_object();
	json_object_set_new(d, "media", list);
	w->cacheable = !w->user;
	web_cache_depends(w, PAGE_DEP_LISTINGS, 0); /* work counts move with every posted work */
	web_render(w, 200, "media/index", "Fandoms", d);
}

void page_media_show(struct web_req *w)
{
	const char *label = w->params[0];
	const char *media = archive_media_value(label);
	if (!media) {
		web_error(w, 404, "There is no such medium in the fandom directory.");
		return;
	}
	int page = small_page(w, 10000);
	if (!page)
		return;
	struct tag *list = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (store_media_fandoms(w->app->store, w->arena, media, MEDIA_PER_PAGE, (page - 1) * MEDIA_PER_PAGE, &list, &n,
	                        &total) != 0) {
		web_error(w, 500, "The fandom directory could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object();
	const char *base = arena_printf(w->arena, "/media/%s", esc_url_a(w->arena, media_label(media)));
	json_object_set_new(d, "name", json_string(media_label(media)));
	json_object_set_new(d, "fandoms", fandom_list(w, list, n));
	json_object_set_new(d, "total", json_integer(total));
	if (page > 1)
		json_object_set_new(d, "prev_url", json_string(arena_printf(w->arena, "%s?page=%d", base, page - 1)));
	if ((int64_t)page * MEDIA_PER_PAGE < total)
		json_object_set_new(d, "next_url", json_string(arena_printf(w->arena, "%s?page=%d", base, page + 1)));
	w->cacheable = !w->user;
	web_cache_depends(w, PAGE_DEP_LISTINGS, 0);
	web_render(w, 200, "media/show", media_label(media), d);
}
