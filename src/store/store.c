/* The store's public face: wrappers that dispatch to the backend, the write generation, tag type names. */
#include "store/store.h"
#include <stdatomic.h>

/* Starts at 1 so a cache initialised to 0 is stale from the first look. */
static _Atomic uint64_t generation = 1;

uint64_t store_generation(void)
{
	return atomic_load(&generation);
}

void store_bump_generation(void)
{
	atomic_fetch_add(&generation, 1);
}

const char *tag_type_key(enum tag_type t)
{
	static const char *const keys[TAG_TYPE_COUNT] = {
		[TAG_RATING] = "rating",
		[TAG_WARNING] = "warnings",
		[TAG_CATEGORY] = "categories",
		[TAG_FANDOM] = "fandoms",
		[TAG_RELATIONSHIP] = "relationships",
		[TAG_CHARACTER] = "characters",
		[TAG_FREEFORM] = "freeforms",
	};
	return (unsigned)t < TAG_TYPE_COUNT ? keys[t] : "";
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

int store_backup(struct store *st, const char *path)
{
	return st->ops->backup(st, path);
}

int store_setting_get(struct store *st, struct arena *a, const char *key, char **value)
{
	return st->ops->setting_get(st, a, key, value);
}

int store_setting_set(struct store *st, const char *key, const char *value)
{
	return st->ops->setting_set(st, key, value);
}

int store_user_create(struct store *st, const char *name, const char *email, const char *pwhash,
                      const char *role, int64_t *id)
{
	return st->ops->user_create(st, name, email, pwhash, role, id);
}

int store_user_get(struct store *st, struct arena *a, int64_t id, struct user *out)
{
	return st->ops->user_get(st, a, id, out);
}

int store_user_get_by_name(struct store *st, struct arena *a, const char *name, struct user *out)
{
	return st->ops->user_get_by_name(st, a, name, out);
}

int store_user_get_by_email(struct store *st, struct arena *a, const char *email, struct user *out)
{
	return st->ops->user_get_by_email(st, a, email, out);
}

int store_user_set_password(struct store *st, int64_t id, const char *pwhash)
{
	return st->ops->user_set_password(st, id, pwhash);
}

int store_user_set_role(struct store *st, int64_t id, const char *role)
{
	return st->ops->user_set_role(st, id, role);
}

int store_user_delete(struct store *st, int64_t id, bool orphan_works)
{
	return st->ops->user_delete(st, id, orphan_works);
}

int store_user_count(struct store *st, int64_t *count)
{
	return st->ops->user_count(st, count);
}

int store_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at)
{
	return st->ops->session_create(st, token_hash, user_id, expires_at);
}

int store_session_user(struct store *st, struct arena *a, const char *token_hash, int64_t now, struct user *out)
{
	return st->ops->session_user(st, a, token_hash, now, out);
}

int store_session_delete(struct store *st, const char *token_hash)
{
	return st->ops->session_delete(st, token_hash);
}

int store_session_delete_for_user(struct store *st, int64_t user_id, const char *except_hash)
{
	return st->ops->session_delete_for_user(st, user_id, except_hash);
}

int store_token_create(struct store *st, int64_t user_id, const char *token_hash, const char *name, int64_t *id)
{
	return st->ops->token_create(st, user_id, token_hash, name, id);
}

int store_token_user(struct store *st, struct arena *a, const char *token_hash, struct user *out)
{
	return st->ops->token_user(st, a, token_hash, out);
}

int store_token_list(struct store *st, struct arena *a, int64_t user_id, struct api_token **out, size_t *n)
{
	return st->ops->token_list(st, a, user_id, out, n);
}

int store_token_revoke(struct store *st, int64_t user_id, int64_t token_id)
{
	return st->ops->token_revoke(st, user_id, token_id);
}

int store_work_create(struct store *st, const struct work *w, const struct chapter *first, int64_t owner_id,
                      int64_t *work_id, int64_t *chapter_id)
{
	return st->ops->work_create(st, w, first, owner_id, work_id, chapter_id);
}

int store_work_update(struct store *st, const struct work *w)
{
	return st->ops->work_update(st, w);
}

int store_work_delete(struct store *st, int64_t work_id)
{
	return st->ops->work_delete(st, work_id);
}

int store_work_get(struct store *st, struct arena *a, int64_t work_id, struct work *out)
{
	return st->ops->work_get(st, a, work_id, out);
}

int store_work_list(struct store *st, struct arena *a, const struct work_query *q, struct work_page *out)
{
	return st->ops->work_list(st, a, q, out);
}

int store_work_invite(struct store *st, int64_t work_id, int64_t user_id)
{
	return st->ops->work_invite(st, work_id, user_id);
}

int store_work_accept(struct store *st, int64_t work_id, int64_t user_id)
{
	return st->ops->work_accept(st, work_id, user_id);
}

int store_invites_for_user(struct store *st, struct arena *a, int64_t user_id, struct work **out, size_t *n)
{
	return st->ops->invites_for_user(st, a, user_id, out, n);
}

int store_chapter_create(struct store *st, const struct chapter *c, int64_t *chapter_id)
{
	return st->ops->chapter_create(st, c, chapter_id);
}

int store_chapter_update(struct store *st, const struct chapter *c)
{
	return st->ops->chapter_update(st, c);
}

int store_chapter_delete(struct store *st, int64_t work_id, int64_t chapter_id)
{
	return st->ops->chapter_delete(st, work_id, chapter_id);
}

int store_chapter_get(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, struct chapter *out)
{
	return st->ops->chapter_get(st, a, work_id, chapter_id, out);
}

int store_chapter_list(struct store *st, struct arena *a, int64_t work_id, bool with_content,
                       struct chapter **out, size_t *n)
{
	return st->ops->chapter_list(st, a, work_id, with_content, out, n);
}

int store_chapter_reorder(struct store *st, int64_t work_id, const int64_t *ids, size_t n)
{
	return st->ops->chapter_reorder(st, work_id, ids, n);
}

/* ---- The reader's response ---- */

static _Atomic uint64_t response_epoch;
static _Atomic bool response_dirty;
static _Atomic int64_t response_epoch_at;

void store_response_changed(int64_t work_id)
{
	/* Hook: dependency invalidation would emit a change event for work_id here. */
	(void)work_id;
	atomic_store(&response_dirty, true);
}

uint64_t store_response_epoch(int64_t now)
{
	if (atomic_load(&response_dirty) && now - atomic_load(&response_epoch_at) >= STORE_RESPONSE_STALE_MAX &&
	    atomic_exchange(&response_dirty, false)) {
		atomic_store(&response_epoch_at, now);
		atomic_fetch_add(&response_epoch, 1);
	}
	return atomic_load(&response_epoch);
}

int store_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out)
{
	return st->ops->response_counts(st, work_id, chapter_id, out);
}

int store_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated)
{
	return st->ops->response_settings_set(st, work_id, policy, moderated);
}

int store_comment_create(struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify,
                         bool notify_parent, int64_t *id)
{
	return st->ops->comment_create(st, c, notify, nnotify, notify_parent, id);
}

int store_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out)
{
	return st->ops->comment_get(st, a, id, out);
}

int store_comment_list(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after_root,
                       int threads, struct comment **out, size_t *n, int64_t *next_root)
{
	return st->ops->comment_list(st, a, work_id, chapter_id, after_root, threads, out, n, next_root);
}

int store_comment_edit(struct store *st, int64_t id, const struct text *body, int sanitizer_version)
{
	return st->ops->comment_edit(st, id, body, sanitizer_version);
}

int store_comment_set_state(struct store *st, int64_t id, int state)
{
	return st->ops->comment_set_state(st, id, state);
}

int store_comment_freeze(struct store *st, int64_t id, bool frozen)
{
	return st->ops->comment_freeze(st, id, frozen);
}

int store_kudos_add(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, const char *guest_hash)
{
	return st->ops->kudos_add(st, work_id, chapter_id, user_id, guest_hash);
}

int store_kudos_names(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit,
                      const char ***names, size_t *n)
{
	return st->ops->kudos_names(st, a, work_id, chapter_id, limit, names, n);
}

int store_bookmark_create(struct store *st, const struct bookmark *b, int64_t *id)
{
	return st->ops->bookmark_create(st, b, id);
}

int store_bookmark_update(struct store *st, const struct bookmark *b)
{
	return st->ops->bookmark_update(st, b);
}

int store_bookmark_delete(struct store *st, int64_t user_id, int64_t id)
{
	return st->ops->bookmark_delete(st, user_id, id);
}

int store_bookmark_get(struct store *st, struct arena *a, int64_t id, struct bookmark *out)
{
	return st->ops->bookmark_get(st, a, id, out);
}

int store_bookmark_find(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out)
{
	return st->ops->bookmark_find(st, a, user_id, work_id, out);
}

int store_bookmark_list(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id,
                        int limit, struct bookmark **out, size_t *n)
{
	return st->ops->bookmark_list(st, a, user_id, with_private, before_id, limit, out, n);
}

int store_readings_record(struct store *st, const struct reading *r, size_t n)
{
	return st->ops->readings_record(st, r, n);
}

int store_reading_set_later(struct store *st, int64_t user_id, int64_t work_id, bool later)
{
	return st->ops->reading_set_later(st, user_id, work_id, later);
}

int store_reading_list(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before,
                       int limit, struct reading **out, size_t *n)
{
	return st->ops->reading_list(st, a, user_id, later_only, before, limit, out, n);
}

int store_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
                     int limit, struct inbox_item **out, size_t *n)
{
	return st->ops->inbox_list(st, a, user_id, unread_only, before_id, limit, out, n);
}

int store_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read)
{
	return st->ops->inbox_mark(st, user_id, id, read);
}

int store_inbox_mark_all(struct store *st, int64_t user_id)
{
	return st->ops->inbox_mark_all(st, user_id);
}

int store_inbox_unread(struct store *st, int64_t user_id, int64_t *count)
{
	return st->ops->inbox_unread(st, user_id, count);
}

int store_hits_add(struct store *st, const struct hit_count *h, size_t n)
{
	return st->ops->hits_add(st, h, n);
}

int store_stats_work(struct store *st, struct arena *a, int64_t work_id, int64_t since_day, struct stats_row **rows,
                     size_t *nrows, struct stats_day **days, size_t *ndays)
{
	return st->ops->stats_work(st, a, work_id, since_day, rows, nrows, days, ndays);
}

int store_stats_user(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n)
{
	return st->ops->stats_user(st, a, user_id, rows, n);
}

int store_chapter_work(struct store *st, int64_t chapter_id, int64_t *work_id)
{
	return st->ops->chapter_work(st, chapter_id, work_id);
}
