/* Template data for works and chapters, shared by the reading pages, listings and the home page. */
#include "web/work_view.h"
#include "archive/suggestions.h"
#include "archive/roles.h"
#include "archive/downloads.h"
#include "archive/tags.h"
#include "archive/site.h"
#include "web/listing_view.h"
#include "web/response_hooks.h"
#include "html/escape.h"
#include "core/alloc.h"
#include "core/err.h"
#include "archive/work.h"
#include "html/tpl.h"
#include "web/pages/pages.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keys of work.tags in templates, by tag type. */
static const char *const tag_keys[TAG_TYPE_COUNT] = {
	[TAG_RATING] = "ratings",
	[TAG_WARNING] = "warnings",
	[TAG_CATEGORY] = "categories",
	[TAG_FANDOM] = "fandoms",
	[TAG_RELATIONSHIP] = "relationships",
	[TAG_CHARACTER] = "characters",
	[TAG_FREEFORM] = "freeforms",
};

static json_t *str_array(const struct strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

static json_t *tag_link_array(struct web_req *w, const struct strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "name", l->items[i], "url",
		                                   archive_tag_url(w->arena, l->items[i])));
	return a;
}

static bool has_tag(const struct strlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], name))
			return true;
	return false;
}

static json_t *badge(const char *text, const char *label, const char *cls)
{
	return json_pack("{s:s, s:s, s:s}", "text", text, "label", label, "class", cls);
}

static const char *joined(struct web_req *w, const struct strlist *l)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		s = arena_printf(w->arena, "%s%s%s", s, i ? ", " : "", l->items[i]);
	return s;
}

/* AO3's four "required tags" squares, as short text with a label for screen readers and tooltips. With the
 * warnings hidden (the site's choice), the warning square says only that some apply. */
static json_t *badges(struct web_req *w, const struct work *wk, bool warnings_hidden)
{
	json_t *b = json_object();
	static const struct {
		const char *rating, *text, *cls;
	} ratings[] = {
		{"General Audiences", "G", "rating-general"},
		{"Teen And Up Audiences", "T", "rating-teen"},
		{"Mature", "M", "rating-mature"},
		{"Explicit", "E", "rating-explicit"},
		{"Not Rated", "NR", "rating-notrated"},
	};
	const struct strlist *r = &wk->tags[TAG_RATING];
	json_t *rb = badge("NR", "Not Rated", "rating-notrated");
	for (size_t i = 0; r->n && i < sizeof ratings / sizeof ratings[0]; i++)
		if (!strcmp(r->items[0], ratings[i].rating)) {
			json_decref(rb);
			rb = badge(ratings[i].text, ratings[i].rating, ratings[i].cls);
		}
	json_object_set_new(b, "rating", rb);

	const struct strlist *wl = &wk->tags[TAG_WARNING];
	bool specific = false;
	for (size_t i = 0; i < wl->n; i++)
		specific |= strcmp(wl->items[i], "Creator Chose Not To Use Archive Warnings") != 0 &&
		            strcmp(wl->items[i], "No Archive Warnings Apply") != 0;
	if (specific)
		json_object_set_new(b, "warnings", badge("!", warnings_hidden ? "Archive warnings apply" : joined(w, wl),
		                                         "warning-yes"));
	else if (has_tag(wl, "Creator Chose Not To Use Archive Warnings"))
		json_object_set_new(b, "warnings", badge("?", "Creator Chose Not To Use Archive Warnings",
		                                         "warning-choosenot"));
	else
		json_object_set_new(b, "warnings", badge("–", "No Archive Warnings Apply", "warning-no"));

	const struct strlist *cl = &wk->tags[TAG_CATEGORY];
	if (cl->n == 0) {
		json_object_set_new(b, "category", badge("–", "No category", "category-none"));
	} else if (cl->n == 1) {
		char *cls = arena_printf(w->arena, "category-%s", cl->items[0]);
		for (char *p = cls; *p; p++)
			*p = *p == '/' ? '-' : (char)(*p | 0x20);
		json_object_set_new(b, "category", badge(cl->items[0], cl->items[0], cls));
	} else {
		json_object_set_new(b, "category", badge("Multi", joined(w, cl), "category-multi"));
	}

	if (wk->complete)
		json_object_set_new(b, "complete", badge("✓", "Complete Work", "complete-yes"));
	else
		json_object_set_new(b, "complete", badge("WIP", "Work in Progress", "complete-no"));
	return b;
}

const char *work_view_chapters_label(struct web_req *w, const struct work *wk)
{
	return work_chapters_label(w->arena, wk);
}

json_t *work_view_json(struct web_req *w, const struct work *wk, bool full)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(wk->id));
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/works/%lld", (long long)wk->id)));
	json_object_set_new(o, "title", json_string(wk->title ? wk->title : ""));

	json_t *creators = json_array();
	for (size_t i = 0; i < wk->ncreators; i++) {
		const struct creator *c = &wk->creators[i];
		if (i > 0 && !c->accepted)
			continue; /* pending invitations are not credited yet */
		json_array_append_new(creators, json_pack("{s:s, s:s}", "name", c->name ? c->name : "", "url",
		                                          arena_printf(w->arena, "/users/%s",
		                                                       esc_url_a(w->arena, c->name ? c->name : ""))));
	}
	json_object_set_new(o, "creators", creators);

	json_t *tags = json_object(), *links = json_object();
	for (int t = 0; t < TAG_TYPE_COUNT; t++) {
		json_object_set_new(tags, tag_keys[t], str_array(&wk->tags[t]));
		json_object_set_new(links, tag_keys[t], tag_link_array(w, &wk->tags[t]));
	}
	json_object_set_new(o, "tags", tags);
	/* The same tags as [{name, url}]: every tag links to its tag page. */
	json_object_set_new(o, "tag_links", links);
	/* The site may hide warnings behind a click: then they leave the tag line for a "Show warnings" of their own. */
	bool warnings_hidden = site_warnings_hidden(w->app->community);
	json_object_set_new(o, "warnings_hidden", json_boolean(warnings_hidden));
	static const enum tag_type line_types[] = {TAG_WARNING, TAG_RELATIONSHIP, TAG_CHARACTER, TAG_FREEFORM};
	json_t *line = json_array();
	for (size_t k = warnings_hidden ? 1 : 0; k < sizeof line_types / sizeof line_types[0]; k++) {
		const struct strlist *l = &wk->tags[line_types[k]];
		for (size_t i = 0; i < l->n; i++)
			json_array_append_new(line, json_pack("{s:s, s:s, s:s}", "name", l->items[i], "type",
			                                      tag_keys[line_types[k]], "url",
			                                      archive_tag_url(w->arena, l->items[i])));
	}
	json_object_set_new(o, "tag_line", line);
	json_t *b = badges(w, wk, warnings_hidden);
	json_object_set_new(o, "badge_list", json_pack("[OOOO]", json_object_get(b, "rating"),
	                                               json_object_get(b, "warnings"), json_object_get(b, "category"),
	                                               json_object_get(b, "complete")));
	json_object_set_new(o, "badges", b);
	json_object_set_new(o, "rating", json_string(wk->tags[TAG_RATING].n ? wk->tags[TAG_RATING].items[0]
	                                                                      : "Not Rated"));
	json_object_set_new(o, "language", json_string(wk->language && *wk->language ? wk->language : "English"));

	json_t *stats = json_object();
	json_object_set_new(stats, "published", json_string(web_date(w, wk->published_at)));
	const char *updated = web_date(w, wk->updated_at);
	json_object_set_new(stats, "updated", json_string(updated));
	/* AO3 shows "Updated" only once it differs from the publication date. */
	json_object_set_new(stats, "show_updated",
	                    json_boolean(wk->published_at > 0 && strcmp(updated, web_date(w, wk->published_at)) != 0));
	json_object_set_new(stats, "words", json_integer(wk->word_count));
	json_object_set_new(stats, "chapters", json_string(work_view_chapters_label(w, wk)));
	json_object_set_new(stats, "complete", json_boolean(wk->complete));
	json_object_set_new(stats, "kudos", json_integer(wk->kudos_count));
	json_object_set_new(stats, "hits", json_integer(wk->hits_count));
	json_object_set_new(stats, "comments", json_integer(wk->comments_count));
	json_object_set_new(stats, "bookmarks", json_integer(wk->bookmarks_count));
	json_object_set_new(o, "stats", stats);
	json_object_set_new(o, "chapter_count", json_integer(wk->chapter_count));
	json_object_set_new(o, "multi", json_boolean(wk->chapter_count > 1));

	if (wk->series_title && *wk->series_title)
		json_object_set_new(o, "series", json_pack("{s:s, s:i, s:I, s:s?}", "title", wk->series_title, "position",
		                                           wk->series_position, "id", (json_int_t)wk->series_id, "url",
		                                           wk->series_id > 0 ? arena_printf(w->arena, "/series/%lld",
		                                                                            (long long)wk->series_id)
		                                                             : NULL));
	else /* present but empty, so a template never finds an enclosing scope's "series" */
		json_object_set_new(o, "series", json_null());
	json_object_set_new(o, "summary_html", web_ref_str(w, wk->summary.html));
	if (full) {
		json_object_set_new(o, "notes_html", web_ref_str(w, wk->notes.html));
		json_object_set_new(o, "end_notes_html", web_ref_str(w, wk->end_notes.html));
	}
	json_object_set_new(o, "draft", json_boolean(wk->draft));
	json_object_set_new(o, "restricted", json_boolean(wk->restricted));
	json_object_set_new(o, "hidden", json_boolean(wk->hidden)); /* its creators and moderators see it, marked */
	json_object_set_new(o, "removed", json_boolean(wk->removed));
	return o;
}

json_t *work_view_blurb(struct web_req *w, const struct work *wk)
{
	web_cache_shows_counts(w, wk->id);
	return work_view_json(w, wk, false);
}

json_t *work_view_chapter(struct web_req *w, const struct work *wk, const struct chapter *c)
{
	json_t *o = json_object();
	const char *title = c->title ? c->title : "";
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "position", json_integer(c->position));
	json_object_set_new(o, "title", json_string(title));
	json_object_set_new(o, "heading", json_string(*title ? arena_printf(w->arena, "Chapter %d: %s", c->position,
	                                                                    title)
	                                                     : arena_printf(w->arena, "Chapter %d", c->position)));
	json_object_set_new(o, "url", json_string(arena_printf(w->arena, "/works/%lld/chapters/%lld",
	                                                       (long long)wk->id, (long long)c->id)));
	json_object_set_new(o, "summary_html", web_ref_str(w, c->summary.html));
	json_object_set_new(o, "notes_html", web_ref_str(w, c->notes.html));
	json_object_set_new(o, "end_notes_html", web_ref_str(w, c->end_notes.html));
	json_object_set_new(o, "content_html", web_ref_str(w, c->content_html));
	json_object_set_new(o, "words", json_integer(c->word_count));
	json_object_set_new(o, "published", json_string(web_date(w, c->published_at)));
	return o;
}

bool work_view_load(struct web_req *w, struct work *wk, bool for_edit)
{
	int rc = archive_work_load(w->app->store, w->arena, w->user, web_param_id(w, 0), for_edit, wk);
	if (rc == Q_ENOTFOUND && !w->user && archive_work_needs_login(w->app->store, w->arena, web_param_id(w, 0)))
		web_error_login(w, 404, WORK_VIEW_LOG_IN); /* no title: only that logging in may help */
	else if (rc == Q_ENOTFOUND)
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
	else if (rc == Q_EPERM)
		web_error(w, 403, "Only the work's creators can change it. You are not one of them.");
	else if (rc != 0)
		web_error(w, 500, "The work could not be loaded. Please try again in a moment.");
	return rc == 0;
}

bool work_view_load_chapter(struct web_req *w, const struct work *wk, struct chapter *c)
{
	int64_t cid = web_param_id(w, 1);
	int rc = cid ? store_chapter_get(w->app->store, w->arena, wk->id, cid, c) : Q_ENOTFOUND;
	if (rc == 0 && c->work_id != wk->id)
		rc = Q_ENOTFOUND;
	if (rc == Q_ENOTFOUND) {
		web_error(w, 404, WORK_VIEW_NOT_FOUND);
		return false;
	}
	if (rc != 0) {
		web_error(w, 500, "The chapter could not be loaded. Please try again in a moment.");
		return false;
	}
	return true;
}

void work_view_set_errors(json_t *data, const struct field_errors *e)
{
	json_t *map = json_object(), *list = json_array();
	for (size_t i = 0; i < e->n; i++) {
		char key[128];
		snprintf(key, sizeof key, "%s", e->items[i].field);
		for (char *p = key; *p; p++)
			if (*p == '.')
				*p = '_';
		json_object_set_new(map, key, json_string(e->items[i].message));
		json_array_append_new(list, json_pack("{s:s, s:s}", "field", key, "message", e->items[i].message));
	}
	json_object_set_new(data, "errors", map);
	json_object_set_new(data, "error_list", list);
}

/* ---- Reading pages ----------------------------------------------------------------------------
 * A reading page is a personal frame (draft notice, creator tools, the layout's header) around two shared
 * parts: the chapter navigation and the main part (meta block, text, end notes, bottom navigation). The
 * shared parts are the same for every reader, so they are rendered once into a fragment that the page
 * cache keeps (invalidated with the work); a logged-in reader's page renders only the frame around it.
 * The entire-work view is streamed instead, one chapter at a time. */

/* What a cached reading fragment holds (all in the fragment's arena). */
struct reading_frag {
	const char *nav, *main; /* rendered works/_nav and works/_reading */
	size_t nav_len, main_len;
	/* works/_reading as members see it, when its series links differ from a guest's (members-only parts
	 * between); NULL when the same */
	const char *main_member;
	size_t main_member_len;
	struct work wk;         /* id, title, draft, restricted and creators: who may see it, who edits it */
	const char *title;      /* the page's <title> */
	const char *edit_url;   /* the chapter shown alone, for the creator tools */
	const char *url;        /* the work's */
	bool multi;
	struct page_dep deps[2];
	size_t ndeps;
	/* The reader's response: the chapter shown (0: none), and where in main the meta block leaves room
	 * for the counts (kudos, comments, hits change without touching the fragment: the frame fills them). */
	int64_t chapter_id;
	int chapter_position;
	size_t stats_at, member_stats_at;
};

/* Where the meta block's response counts go in a shared fragment (templates/works/_meta.html). */
#define STATS_SLOT "<!--quire:response-stats-->"

static const char *reading_key(struct web_req *w, int64_t work_id, int64_t chapter_id)
{
	return chapter_id ? arena_printf(w->arena, "frag:reading:%lld:%lld", (long long)work_id, (long long)chapter_id)
	                  : arena_printf(w->arena, "frag:reading:%lld:first", (long long)work_id);
}

/* The view model shared by the fragment and the streamed entire work: everything but the frame. */
static json_t *reading_json(struct web_req *w, const struct work *wk, const struct chapter *list, size_t n,
                            const struct chapter *shown, size_t nshown, bool full, size_t cur, bool member)
{
	json_t *d = json_object();
	const char *base = arena_printf(w->arena, "/works/%lld", (long long)wk->id);
	json_object_set_new(d, "work", work_view_json(w, wk, true));
	/* The series' previous and next parts (templates/series/_nav.html, inside the meta block). */
	json_t *sn = listing_view_series_nav(w, wk, member);
	if (sn)
		json_object_set_new(d, "series_nav", sn);
	/* The meta block's response counts: in the entire work (rendered per request), read now; in a cached
	 * fragment, a slot the reader's frame fills, so kudos and comments leave the fragment as it is. */
	if (full)
		web_response_shared(w, d, wk);
	else
		json_object_set_new(d, "stats_slot", json_true());
	if (full) {
		json_object_set_new(d, "chapters_stream", tpl_ref_slot(web_refs(w)));
	} else {
		json_t *chs = json_array();
		for (size_t i = 0; i < nshown; i++)
			json_array_append_new(chs, work_view_chapter(w, wk, &shown[i]));
		json_object_set_new(d, "chapters", chs);
	}
	/* A one-chapter work reads like a one-shot: no "Chapter 1" heading unless the chapter has a title. */
	json_object_set_new(d, "show_headings", json_boolean(n > 1 || (nshown && shown[0].title && *shown[0].title)));
	/* Readers' suggestions: a link under the chapter (and static/suggest.js on a selection) when the work
	 * takes them; the setting's change notes the work, so cached pages follow it. */
	if (!full && !wk->draft && archive_suggestions_enabled(w->app->store, wk->id))
		json_object_set_new(d, "takes_suggestions", json_true());

	json_t *nav = json_object();
	json_object_set_new(nav, "multi", json_boolean(n > 1));
	json_object_set_new(nav, "full", json_boolean(full));
	json_object_set_new(nav, "full_url", json_string(arena_printf(w->arena, "%s?view_full_work=true", base)));
	json_object_set_new(nav, "index_url", json_string(arena_printf(w->arena, "%s/navigate", base)));
	json_object_set_new(nav, "navigate_url", json_string(arena_printf(w->arena, "%s/navigate", base)));
	json_object_set_new(nav, "epub_url", json_string(download_url(w->arena, wk->id, wk->title, DOWNLOAD_EPUB)));
	json_object_set_new(nav, "html_url", json_string(download_url(w->arena, wk->id, wk->title, DOWNLOAD_HTML)));
	if (full && n > 0)
		json_object_set_new(nav, "by_chapter_url", json_string(arena_printf(w->arena, "%s/chapters/%lld", base,
		                                                                    (long long)list[0].id)));
	if (!full && cur > 0)
		json_object_set_new(nav, "prev_url", json_string(arena_printf(w->arena, "%s/chapters/%lld", base,
		                                                              (long long)list[cur - 1].id)));
	if (!full && cur + 1 < n)
		json_object_set_new(nav, "next_url", json_string(arena_printf(w->arena, "%s/chapters/%lld", base,
		                                                              (long long)list[cur + 1].id)));
	json_object_set_new(d, "nav", nav);

	json_t *opts = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *t = list[i].title && *list[i].title
		                        ? arena_printf(w->arena, "%d. %s", list[i].position, list[i].title)
		                        : arena_printf(w->arena, "%d. Chapter %d", list[i].position, list[i].position);
		json_array_append_new(opts, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)list[i].id, "label", t,
		                                      "selected", !full && i == cur));
	}
	json_object_set_new(d, "chapter_options", opts);

	/* As on AO3: the work's notes open its first chapter, its end notes close its last. */
	bool first = full || cur == 0, last = full || cur + 1 >= n;
	json_object_set_new(d, "show_preface", json_boolean(first));
	json_object_set_new(d, "show_end_notes", json_boolean(last));
	if (n > 0)
		json_object_set_new(d, "end_notes_url",
		                    json_string(last ? "#work_endnotes"
		                                     : arena_printf(w->arena, "%s/chapters/%lld#work_endnotes", base,
		                                                    (long long)list[n - 1].id)));
	return d;
}

/* A copy of what the frame needs to know about wk, in a. */
static void copy_work_for_frame(struct arena *a, const struct work *wk, struct work *out)
{
	memset(out, 0, sizeof *out);
	out->id = wk->id;
	out->title = arena_strdup(a, wk->title ? wk->title : "");
	out->draft = wk->draft;
	out->restricted = wk->restricted;
	out->hidden = wk->hidden;
	out->removed = wk->removed;
	out->series_id = wk->series_id;
	out->ncreators = wk->ncreators;
	out->creators = arena_calloc(a, wk->ncreators + 1, sizeof *out->creators);
	for (size_t i = 0; i < wk->ncreators; i++) {
		out->creators[i].user_id = wk->creators[i].user_id;
		out->creators[i].accepted = wk->creators[i].accepted;
	}
}

static void set_reading_deps(struct reading_frag *rf, const struct work *wk)
{
	rf->deps[rf->ndeps++] = (struct page_dep){PAGE_DEP_WORK, wk->id};
	if (wk->series_id)
		rf->deps[rf->ndeps++] = (struct page_dep){PAGE_DEP_SERIES, wk->series_id};
}

/* The reader's own frame (templates/works/show.html) around the shared parts: C values, no JSON, since
 * it is all that a cached reading page costs. Strings must live as long as the request. */
static void render_frame_vars(struct web_req *w, const struct work *wk, const char *url, bool multi,
                              const char *edit_url, const char *title, struct tpl_var nav_part,
                              struct tpl_var main_part, struct tpl_var main_rest,
                              const struct web_response_view *rv)
{
	bool creator = work_is_creator(wk, w->user);
	struct tpl_var work[] = {tpl_var_str("url", url), tpl_var_bool("draft", wk->draft),
	                         tpl_var_bool("hidden", wk->hidden), tpl_var_bool("removed", wk->removed)};
	struct tpl_var nav[] = {tpl_var_bool("multi", multi)};
	struct tpl_var v[16], mod[3];
	size_t n = 0;
	v[n++] = tpl_var_obj("work", work, 4);
	/* Hidden or deleted by moderators: its creators (and moderators) read why, at the top. */
	struct work_moderation m;
	if ((wk->hidden || wk->removed) && store_work_moderation_get(w->app->store, w->arena, wk->id, &m) == 0) {
		mod[0] = tpl_var_str("reason", m.reason);
		mod[1] = tpl_var_str("since", web_date(w, m.at));
		mod[2] = tpl_var_bool("removed", wk->removed);
		v[n++] = tpl_var_obj("moderation", mod, 3);
	}
	if (archive_may(w->user, POWER_HIDE_WORKS))
		v[n++] = tpl_var_str("moderate_url", arena_printf(w->arena, "/admin/works/%lld", (long long)wk->id));
	/* Everyone else may report it (the same link for every guest: cached pages may carry it). */
	bool of_chapter = rv->chapter_id && multi;
	if (!creator) {
		v[n++] = tpl_var_str("report_label", of_chapter ? "Report this chapter" : "Report this work");
		v[n++] = tpl_var_str("report_url", of_chapter ? arena_printf(w->arena, "/reports/new?kind=chapter&id=%lld",
		                                                             (long long)rv->chapter_id)
		                                              : arena_printf(w->arena, "/reports/new?kind=work&id=%lld",
		                                                             (long long)wk->id));
	}
	v[n++] = tpl_var_obj("nav", nav, 1);
	v[n++] = tpl_var_bool("is_creator", creator);
	if (edit_url && *edit_url)
		v[n++] = tpl_var_str("current_edit_url", edit_url);
	if (creator)
		v[n++] = tpl_var_str("csrf_token", web_csrf_token(w));
	v[n++] = nav_part;
	v[n++] = main_part;
	v[n++] = main_rest;
	/* Subscribe buttons are the reader's own (a guest's say "Log in"), so they live in the frame. */
	json_t *d = json_object();
	subscriptions_view_work(w, d, wk);
	/* Kudos, comments and their forms are the reader's own too (and count this view as a hit). */
	struct web_response_vars rvars;
	web_response_reading(w, d, wk, rv, &rvars);
	for (size_t i = 0; i < rvars.n; i++)
		v[n++] = rvars.top[i];
	web_render_mixed(w, 200, "works/show", title, d, v, n);
}

/* The personal frame around a reading fragment (the fragment reference is handed to the response). */
static void render_frame(struct web_req *w, struct page_frag *frag)
{
	const struct reading_frag *rf = frag->data;
	http_response_hold(w->resp, w->arena, page_frag_release, frag);
	for (size_t i = 0; i < rf->ndeps; i++)
		web_cache_depends(w, rf->deps[i].kind, rf->deps[i].id);
	if (!w->user && !rf->wk.draft && !rf->wk.restricted)
		w->cacheable = true;
	struct web_response_view rv = {rf->chapter_id, rf->chapter_position, rf->multi, false};
	/* A member reads the members' copy of the main part when there is one. */
	bool member = w->user && rf->main_member;
	const char *main = member ? rf->main_member : rf->main;
	size_t len = member ? rf->main_member_len : rf->main_len, at = member ? rf->member_stats_at : rf->stats_at;
	size_t rest = at < len ? at + strlen(STATS_SLOT) : len;
	render_frame_vars(w, &rf->wk, rf->url, rf->multi, rf->edit_url, rf->title,
	                  tpl_var_strn("reading_nav", rf->nav, rf->nav_len),
	                  tpl_var_strn("reading_main", main, at < len ? at : len),
	                  tpl_var_strn("reading_main_rest", main + rest, len - rest), &rv);
}

/* Renders works/_nav and works/_reading for d; false (with a 500 page sent) when a template fails. */
static bool render_shared(struct web_req *w, json_t *d, struct tpl_out *nav, struct tpl_out *main)
{
	if (web_render_part(w, "works/_nav", d, nav) != 0 || web_render_part(w, "works/_reading", d, main) != 0) {
		web_error(w, 500, "The page could not be shown. Please try again in a moment.");
		return false;
	}
	return true;
}

static char *flat_copy(struct arena *a, const struct tpl_out *o, size_t *len)
{
	char *p = arena_alloc(a, o->len + 1), *q = p;
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].p) {
			memcpy(q, o->v[i].p, o->v[i].n);
			q += o->v[i].n;
		}
	*q = '\0';
	*len = o->len;
	return p;
}

bool work_view_reading_cached(struct web_req *w)
{
	const char *full = kv_get(&w->req->query, "view_full_work");
	int64_t wid = web_param_id(w, 0), cid = w->params[1] ? web_param_id(w, 1) : 0;
	if ((full && !strcmp(full, "true")) || !wid || (w->params[1] && !cid))
		return false;
	struct page_frag *frag = page_cache_get_frag(w->app->cache, reading_key(w, wid, cid));
	if (!frag)
		return false;
	const struct reading_frag *rf = frag->data;
	if (!work_can_view(&rf->wk, w->user)) {
		page_frag_release(frag); /* the full path answers exactly as for a missing work */
		return false;
	}
	render_frame(w, frag);
	return true;
}

/* The entire work, streamed: the chapters are read from the store and rendered one at a time while the
 * page is sent, so memory stays at about one chapter whatever the work's size. */
struct full_stream {
	struct web *app;
	struct work wk;         /* only the id is used */
	int64_t *ids;
	size_t n, next;
	bool show_headings;
	struct arena *arena;    /* the current chapter */
	struct tpl_out out;
	size_t piece;
};

static int full_next(void *ctx, const char **p, size_t *n)
{
	struct full_stream *s = ctx;
	for (;;) {
		while (s->arena && s->piece < s->out.n) {
			const struct tpl_piece *pc = &s->out.v[s->piece++];
			if (pc->p && pc->n) {
				*p = pc->p;
				*n = pc->n;
				return 1;
			}
		}
		arena_free(s->arena);
		s->arena = NULL;
		if (s->next == s->n)
			return 0;
		s->arena = arena_new();
		struct chapter c;
		int rc = store_chapter_get(s->app->store, s->arena, s->wk.id, s->ids[s->next++], &c);
		if (rc == Q_ENOTFOUND)
			continue; /* deleted since the page began */
		if (rc != 0)
			return -1;
		struct web_req cw = {.app = s->app, .arena = s->arena};
		json_t *cj = work_view_chapter(&cw, &s->wk, &c);
		json_object_set_new(cj, "show_headings", json_boolean(s->show_headings));
		tpl_out_init(&s->out, s->arena);
		rc = tpl_render_out(s->app->tpl, "chapters/_chapter", cj, cw.refs, &s->out);
		json_decref(cj);
		if (rc != 0)
			return -1;
		s->piece = 0;
	}
}

static void full_free(void *ctx)
{
	struct full_stream *s = ctx;
	arena_free(s->arena);
	free(s->ids);
	free(s);
}

static void render_full(struct web_req *w, const struct work *wk, const struct chapter *list, size_t n)
{
	json_t *d = reading_json(w, wk, list, n, list, n, true, 0, w->user != NULL);
	struct tpl_out *nav = arena_alloc(w->arena, sizeof *nav), *main = arena_alloc(w->arena, sizeof *main);
	bool ok = render_shared(w, d, nav, main);
	json_decref(d);
	if (!ok)
		return;
	struct web_response_view rv = {0, 0, n > 1, true};
	render_frame_vars(w, wk, arena_printf(w->arena, "/works/%lld", (long long)wk->id), n > 1, NULL, wk->title,
	                  tpl_var_out("reading_nav", nav), tpl_var_out("reading_main", main),
	                  tpl_var_str("reading_main_rest", ""), &rv);
	if (w->resp->status != 200)
		return;
	struct full_stream *s = xcalloc(1, sizeof *s);
	s->app = w->app;
	s->wk.id = wk->id;
	s->ids = xcalloc(n + 1, sizeof *s->ids);
	for (size_t i = 0; i < n; i++)
		s->ids[i] = list[i].id;
	s->n = n;
	s->show_headings = n > 1 || (n && list[0].title && *list[0].title);
	http_response_stream(w->resp, (struct http_stream){full_next, full_free, s});
}

void work_view_render_reading(struct web_req *w, const struct work *wk, const struct chapter *list, size_t n,
                              const struct chapter *shown, size_t nshown, bool full)
{
	if (full && n > 0) {
		render_full(w, wk, list, n);
		return;
	}
	size_t cur = 0; /* index in list of the chapter shown alone */
	for (size_t i = 0; !full && nshown && i < n; i++)
		if (list[i].id == shown[0].id)
			cur = i;
	/* The fragment is shared by guests and members: it holds what a guest sees, and a members' copy of the
	 * main part only when members see other series neighbours. */
	json_t *d = reading_json(w, wk, list, n, shown, nshown, full, cur, false);
	struct tpl_out nav, main, main_member = {0};
	bool ok = render_shared(w, d, &nav, &main), member_differs = false;
	if (ok && wk->series_id) {
		json_t *msn = listing_view_series_nav(w, wk, true);
		member_differs = msn && !json_equal(msn, json_object_get(d, "series_nav"));
		if (member_differs) {
			json_object_set_new(d, "series_nav", msn);
			msn = NULL;
			if (web_render_part(w, "works/_reading", d, &main_member) != 0) {
				web_error(w, 500, "The page could not be shown. Please try again in a moment.");
				ok = false;
			}
		}
		json_decref(msn);
	}
	json_decref(d);
	if (!ok)
		return;

	struct page_frag *frag = page_frag_new();
	struct reading_frag *rf = arena_calloc(frag->arena, 1, sizeof *rf);
	frag->data = rf;
	rf->nav = flat_copy(frag->arena, &nav, &rf->nav_len);
	rf->main = flat_copy(frag->arena, &main, &rf->main_len);
	if (member_differs)
		rf->main_member = flat_copy(frag->arena, &main_member, &rf->main_member_len);
	copy_work_for_frame(frag->arena, wk, &rf->wk);
	const char *title = wk->title;
	if (!full && n > 1 && nshown)
		title = arena_printf(w->arena, "%s - Chapter %d", wk->title, shown[0].position);
	rf->title = arena_strdup(frag->arena, title ? title : "");
	rf->edit_url = !full && nshown ? arena_printf(frag->arena, "/works/%lld/chapters/%lld/edit", (long long)wk->id,
	                                              (long long)shown[0].id)
	                               : "";
	rf->multi = n > 1;
	rf->url = arena_printf(frag->arena, "/works/%lld", (long long)wk->id);
	rf->chapter_id = !full && nshown ? shown[0].id : 0;
	rf->chapter_position = !full && nshown ? shown[0].position : 0;
	const char *slot = strstr(rf->main, STATS_SLOT);
	rf->stats_at = slot ? (size_t)(slot - rf->main) : rf->main_len;
	slot = rf->main_member ? strstr(rf->main_member, STATS_SLOT) : NULL;
	rf->member_stats_at = slot ? (size_t)(slot - rf->main_member) : rf->main_member_len;
	set_reading_deps(rf, wk);
	/* /works/ID shows the first chapter: kept under its own key, as the handler knows no chapter id yet */
	int64_t key_chapter = w->params[1] && nshown ? shown[0].id : 0;
	if (!full)
		page_cache_put_frag(w->app->cache, reading_key(w, wk->id, key_chapter), rf->deps, rf->ndeps,
		                    w->cache_epoch, page_frag_retain(frag));
	render_frame(w, frag);
}

json_t *work_view_format_options(const char *selected)
{
	static const char *const formats[][2] = {
		{"html", "Rich text (HTML)"},
		{"markdown", "Markdown"},
		{"text", "Plain text"},
	};
	bool known = false;
	for (size_t i = 0; i < 3; i++)
		known |= selected && !strcmp(selected, formats[i][0]);
	json_t *a = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", formats[i][0], "label", formats[i][1],
		                                   "selected", known ? !strcmp(selected, formats[i][0]) : i == 0));
	return a;
}

void work_view_chapter_to_form(json_t *data, json_t *form, const struct chapter_input *in)
{
	json_object_set_new(form, "chapter_title", json_string(in->title));
	json_object_set_new(form, "chapter_summary", json_string(in->summary));
	json_object_set_new(form, "chapter_notes", json_string(in->notes));
	json_object_set_new(form, "chapter_end_notes", json_string(in->end_notes));
	json_object_set_new(form, "chapter_content", json_string(in->content));
	json_object_set_new(data, "formats", work_view_format_options(in->format));
}
