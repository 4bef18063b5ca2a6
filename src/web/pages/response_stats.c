/* Statistics pages for creators: hits, kudos, comments and bookmarks per work and chapter, day by day. */
#include "web/pages/response.h"
#include "archive/roles.h"
#include "core/err.h"
#include "html/escape.h"
#include "web/work_view.h"
#include <string.h>
#include <time.h>

#define STATS_DAYS 30

static const char *day_label(struct web_req *w, int64_t day)
{
	return web_date(w, day * 86400);
}

/* A row of totals; subscriptions are counted by the subscriptions feature (0 until it is there). */
static json_t *row_json(struct web_req *w, const struct stats_row *r)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:i}", "hits", (json_int_t)r->hits, "kudos", (json_int_t)r->kudos,
	                      "comments", (json_int_t)r->comments, "bookmarks", (json_int_t)r->bookmarks, "words",
	                      (json_int_t)r->words, "subscriptions", 0);
	json_object_set_new(o, "title", json_string(r->title ? r->title : ""));
	json_object_set_new(o, "position", json_integer(r->position));
	json_object_set_new(o, "url", json_string(r->chapter_id ? arena_printf(w->arena, "/works/%lld/chapters/%lld",
	                                                                       (long long)r->work_id, (long long)r->chapter_id)
	                                                        : arena_printf(w->arena, "/works/%lld", (long long)r->work_id)));
	json_object_set_new(o, "stats_url", json_string(arena_printf(w->arena, "/works/%lld/stats", (long long)r->work_id)));
	return o;
}

void page_work_stats(struct web_req *w)
{
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	if (!response_can_see_stats(&wk, w->user)) {
		web_error(w, 403, "Only the work's creators (and site admins) can see its statistics.");
		return;
	}
	int64_t today = (int64_t)time(NULL) / 86400;
	struct stats_row *rows;
	struct stats_day *days;
	size_t nr, nd;
	if (store_stats_work(w->app->store, w->arena, wk.id, today - STATS_DAYS + 1, &rows, &nr, &days, &nd) != 0) {
		web_error(w, 500, "The statistics could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *chs = json_array(), *daily = json_array();
	for (size_t i = 1; i < nr; i++)
		json_array_append_new(chs, row_json(w, &rows[i]));
	/* Days newest first: the work's own row, with the chapters' rows of that day under it. */
	for (size_t i = 0; i < nd; i++) {
		if (days[i].chapter_id)
			continue;
		json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I}", "date", day_label(w, days[i].day), "hits",
		                      (json_int_t)days[i].hits, "kudos", (json_int_t)days[i].kudos, "comments",
		                      (json_int_t)days[i].comments, "bookmarks", (json_int_t)days[i].bookmarks);
		json_t *per = json_array();
		for (size_t k = 0; k < nd; k++) {
			if (days[k].day != days[i].day || !days[k].chapter_id)
				continue;
			int pos = 0;
			for (size_t r = 1; r < nr; r++)
				if (rows[r].chapter_id == days[k].chapter_id)
					pos = rows[r].position;
			if (pos)
				json_array_append_new(per, json_pack("{s:i, s:I, s:I, s:I}", "position", pos, "hits",
				                                     (json_int_t)days[k].hits, "kudos", (json_int_t)days[k].kudos,
				                                     "comments", (json_int_t)days[k].comments));
		}
		json_object_set_new(o, "chapters", per);
		json_array_append_new(daily, o);
	}
	json_object_set_new(d, "work", work_view_json(w, &wk, false));
	json_object_set_new(d, "totals", row_json(w, &rows[0]));
	json_object_set_new(d, "chapters", chs);
	json_object_set_new(d, "days", daily);
	json_object_set_new(d, "days_shown", json_integer(STATS_DAYS));
	web_render(w, 200, "stats/work", arena_printf(w->arena, "Statistics for %s", wk.title), d);
}

void page_user_stats(struct web_req *w)
{
	struct user u;
	int rc = store_user_get_by_name(w->app->store, w->arena, w->params[0], &u);
	if (rc) {
		web_error(w, rc == Q_ENOTFOUND ? 404 : 500, rc == Q_ENOTFOUND ? "There is no user by that name."
		                                                             : "The user could not be loaded.");
		return;
	}
	/* Admins see another creator's statistics, of posted works only: a draft's existence and title reach
	 * nobody but its creators, whatever their role. */
	bool own = w->user && w->user->id == u.id;
	if (!own && !archive_is_admin(w->user)) {
		web_error(w, 403, "Statistics are shown to the creator alone.");
		return;
	}
	struct stats_row *rows;
	size_t n;
	if (store_stats_user(w->app->store, w->arena, u.id, &rows, &n) != 0) {
		web_error(w, 500, "The statistics could not be loaded. Please try again in a moment.");
		return;
	}
	json_t *d = json_object(), *works = json_array();
	struct stats_row total = {0};
	for (size_t i = 0; i < n; i++) {
		if (!own && rows[i].work_state != 0)
			continue;
		json_array_append_new(works, row_json(w, &rows[i]));
		total.hits += rows[i].hits;
		total.kudos += rows[i].kudos;
		total.comments += rows[i].comments;
		total.bookmarks += rows[i].bookmarks;
		total.words += rows[i].words;
	}
	json_object_set_new(d, "works", works);
	json_object_set_new(d, "totals", row_json(w, &total));
	json_object_set_new(d, "profile", json_pack("{s:s, s:s}", "name", u.name, "url",
	                                            arena_printf(w->arena, "/users/%s", esc_url_a(w->arena, u.name))));
	web_render(w, 200, "stats/user", arena_printf(w->arena, "Statistics for %s", u.name), d);
}
