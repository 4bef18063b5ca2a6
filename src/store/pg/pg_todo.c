/* PostgreSQL backend: the operations not yet ported (each logs and fails); this list shrinks family by family. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/log.h"

static int not_yet(const char *op)
{
	log_error("store: %s is not available on PostgreSQL yet", op);
	return Q_ERR;
}

int pgs_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out)
{
	(void)st;
	return not_yet("response_counts");
}

int pgs_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated)
{
	(void)st;
	return not_yet("response_settings_set");
}

int pgs_comment_create(struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify, bool notify_parent, int64_t *id)
{
	(void)st;
	return not_yet("comment_create");
}

int pgs_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out)
{
	(void)st;
	return not_yet("comment_get");
}

int pgs_comment_list(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after_root, int threads, struct comment **out, size_t *n, int64_t *next_root)
{
	(void)st;
	return not_yet("comment_list");
}

int pgs_comment_edit(struct store *st, int64_t id, const struct text *body, int sanitizer_version)
{
	(void)st;
	return not_yet("comment_edit");
}

int pgs_comment_set_state(struct store *st, int64_t id, int state)
{
	(void)st;
	return not_yet("comment_set_state");
}

int pgs_comment_freeze(struct store *st, int64_t id, bool frozen)
{
	(void)st;
	return not_yet("comment_freeze");
}

int pgs_kudos_add(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, const char *guest_hash)
{
	(void)st;
	return not_yet("kudos_add");
}

int pgs_kudos_names(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit, const char ***names, size_t *n)
{
	(void)st;
	return not_yet("kudos_names");
}

int pgs_bookmark_create(struct store *st, const struct bookmark *b, int64_t *id)
{
	(void)st;
	return not_yet("bookmark_create");
}

int pgs_bookmark_update(struct store *st, const struct bookmark *b)
{
	(void)st;
	return not_yet("bookmark_update");
}

int pgs_bookmark_delete(struct store *st, int64_t user_id, int64_t id)
{
	(void)st;
	return not_yet("bookmark_delete");
}

int pgs_bookmark_get(struct store *st, struct arena *a, int64_t id, struct bookmark *out)
{
	(void)st;
	return not_yet("bookmark_get");
}

int pgs_bookmark_find(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out)
{
	(void)st;
	return not_yet("bookmark_find");
}

int pgs_bookmark_list(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id, int limit, struct bookmark **out, size_t *n)
{
	(void)st;
	return not_yet("bookmark_list");
}

int pgs_readings_record(struct store *st, const struct reading *r, size_t n)
{
	(void)st;
	return not_yet("readings_record");
}

int pgs_reading_set_later(struct store *st, int64_t user_id, int64_t work_id, bool later)
{
	(void)st;
	return not_yet("reading_set_later");
}

int pgs_reading_list(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before, int limit, struct reading **out, size_t *n)
{
	(void)st;
	return not_yet("reading_list");
}

int pgs_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id, int limit, struct inbox_item **out, size_t *n)
{
	(void)st;
	return not_yet("inbox_list");
}

int pgs_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read)
{
	(void)st;
	return not_yet("inbox_mark");
}

int pgs_inbox_mark_all(struct store *st, int64_t user_id)
{
	(void)st;
	return not_yet("inbox_mark_all");
}

int pgs_inbox_unread(struct store *st, int64_t user_id, int64_t *count)
{
	(void)st;
	return not_yet("inbox_unread");
}

int pgs_hits_add(struct store *st, const struct hit_count *h, size_t n)
{
	(void)st;
	return not_yet("hits_add");
}

int pgs_stats_work(struct store *st, struct arena *a, int64_t work_id, int64_t since_day, struct stats_row **rows, size_t *nrows, struct stats_day **days, size_t *ndays)
{
	(void)st;
	return not_yet("stats_work");
}

int pgs_stats_user(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n)
{
	(void)st;
	return not_yet("stats_user");
}

int pgs_chapter_work(struct store *st, int64_t chapter_id, int64_t *work_id)
{
	(void)st;
	return not_yet("chapter_work");
}

int pgs_tag_find(struct store *st, struct arena *a, const char *name, struct tag **out, size_t *n)
{
	(void)st;
	return not_yet("tag_find");
}

int pgs_tag_detail(struct store *st, struct arena *a, int64_t id, struct tag_detail *out)
{
	(void)st;
	return not_yet("tag_detail");
}

int pgs_tag_autocomplete(struct store *st, struct arena *a, int type, const char *match, int limit, struct tag **out, size_t *n)
{
	(void)st;
	return not_yet("tag_autocomplete");
}

int pgs_tag_wrangle(struct store *st, struct arena *a, const struct tag_wrangle *req, const char **why)
{
	(void)st;
	return not_yet("tag_wrangle");
}

int pgs_wrangling_fandoms(struct store *st, struct arena *a, struct queue_fandom **out, size_t *n)
{
	(void)st;
	return not_yet("wrangling_fandoms");
}

int pgs_wrangling_queue(struct store *st, struct arena *a, int64_t fandom_id, int limit, int offset, struct tag **out, size_t *n)
{
	(void)st;
	return not_yet("wrangling_queue");
}

int pgs_media_directory(struct store *st, struct arena *a, const char *const *media, size_t nmedia, int top, bool member, struct media_entry **out)
{
	(void)st;
	return not_yet("media_directory");
}

int pgs_media_fandoms(struct store *st, struct arena *a, const char *media, int limit, int offset, struct tag **out, size_t *n, int64_t *total)
{
	(void)st;
	return not_yet("media_fandoms");
}

int pgs_work_find(struct store *st, struct arena *a, const struct listing_query *q, struct listing_result *out)
{
	(void)st;
	return not_yet("work_find");
}

int pgs_series_neighbors(struct store *st, struct arena *a, int64_t work_id, bool member, struct series_neighbors *out)
{
	(void)st;
	return not_yet("series_neighbors");
}
