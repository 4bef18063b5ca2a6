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

/* ---- mail: subscriptions, notification preferences, outbox, account mail tokens ------------- */

int store_subscription_add(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail,
                           int64_t *id)
{
	return st->ops->subscription_add(st, user_id, kind, target_id, mail, id);
}

int store_subscription_get(struct store *st, struct arena *a, int64_t id, struct subscription *out)
{
	return st->ops->subscription_get(st, a, id, out);
}

int store_subscription_find(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind,
                            int64_t target_id, struct subscription *out)
{
	return st->ops->subscription_find(st, a, user_id, kind, target_id, out);
}

int store_subscription_list(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit,
                            struct subscription **out, size_t *n)
{
	return st->ops->subscription_list(st, a, user_id, after_id, limit, out, n);
}

int store_subscription_set_mail(struct store *st, int64_t user_id, int64_t id, int mail)
{
	return st->ops->subscription_set_mail(st, user_id, id, mail);
}

int store_subscription_delete(struct store *st, int64_t user_id, int64_t id)
{
	return st->ops->subscription_delete(st, user_id, id);
}

int store_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out)
{
	return st->ops->series_get(st, a, id, out);
}

int store_mail_settings_get(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out)
{
	return st->ops->mail_settings_get(st, a, user_id, out);
}

int store_mail_settings_set_notify(struct store *st, int64_t user_id, bool notify_mail)
{
	return st->ops->mail_settings_set_notify(st, user_id, notify_mail);
}

int store_outbox_add(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id)
{
	return st->ops->outbox_add(st, kind, user_id, to_addr, id);
}

int store_outbox_claim(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out,
                       size_t *n)
{
	return st->ops->outbox_claim(st, a, now, max, out, n);
}

int store_outbox_finish(struct store *st, const struct outbox_done *done, size_t n, int64_t now)
{
	return st->ops->outbox_finish(st, done, n, now);
}

int store_outbox_release(struct store *st)
{
	return st->ops->outbox_release(st);
}

int store_outbox_next_due(struct store *st, int64_t *at)
{
	return st->ops->outbox_next_due(st, at);
}

int store_outbox_purge(struct store *st, int64_t before)
{
	return st->ops->outbox_purge(st, before);
}

int store_outbox_listen(struct store *st, void (*fn)(void *arg), void *arg)
{
	return st->ops->outbox_listen(st, fn, arg);
}

int store_mail_token_create(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id,
                            const char *email, int64_t expires_at)
{
	return st->ops->mail_token_create(st, kind, token_hash, user_id, email, expires_at);
}

int store_mail_token_user(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash,
                          int64_t now, struct user *out, char **email)
{
	return st->ops->mail_token_user(st, a, kind, token_hash, now, out, email);
}

int store_password_reset(struct store *st, int64_t user_id, const char *token_hash, int64_t now,
                         const char *pwhash, int64_t *reset_user_id)
{
	return st->ops->password_reset(st, user_id, token_hash, now, pwhash, reset_user_id);
}

int store_email_confirm(struct store *st, const char *token_hash, int64_t now, int64_t *user_id)
{
	return st->ops->email_confirm(st, token_hash, now, user_id);
}
