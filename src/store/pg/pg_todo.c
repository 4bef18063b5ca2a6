/* PostgreSQL backend: the operations not yet ported (each logs and fails); this list shrinks family by family. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include "core/log.h"

static int not_yet(const char *op)
{
	log_error("store: %s is not available on PostgreSQL yet", op);
	return Q_ERR;
}

int pgs_subscription_add(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail, int64_t *id)
{
	(void)st;
	return not_yet("subscription_add");
}

int pgs_subscription_get(struct store *st, struct arena *a, int64_t id, struct subscription *out)
{
	(void)st;
	return not_yet("subscription_get");
}

int pgs_subscription_find(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind, int64_t target_id, struct subscription *out)
{
	(void)st;
	return not_yet("subscription_find");
}

int pgs_subscription_list(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit, struct subscription **out, size_t *n)
{
	(void)st;
	return not_yet("subscription_list");
}

int pgs_subscription_set_mail(struct store *st, int64_t user_id, int64_t id, int mail)
{
	(void)st;
	return not_yet("subscription_set_mail");
}

int pgs_subscription_delete(struct store *st, int64_t user_id, int64_t id)
{
	(void)st;
	return not_yet("subscription_delete");
}

int pgs_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out)
{
	(void)st;
	return not_yet("series_get");
}

int pgs_mail_settings_get(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out)
{
	(void)st;
	return not_yet("mail_settings_get");
}

int pgs_mail_settings_set_notify(struct store *st, int64_t user_id, bool notify_mail)
{
	(void)st;
	return not_yet("mail_settings_set_notify");
}

int pgs_outbox_add(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id)
{
	(void)st;
	return not_yet("outbox_add");
}

int pgs_outbox_claim(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out, size_t *n)
{
	(void)st;
	return not_yet("outbox_claim");
}

int pgs_outbox_finish(struct store *st, const struct outbox_done *done, size_t n, int64_t now)
{
	(void)st;
	return not_yet("outbox_finish");
}

int pgs_outbox_release(struct store *st)
{
	(void)st;
	return not_yet("outbox_release");
}

int pgs_outbox_next_due(struct store *st, int64_t *at)
{
	(void)st;
	return not_yet("outbox_next_due");
}

int pgs_outbox_purge(struct store *st, int64_t before)
{
	(void)st;
	return not_yet("outbox_purge");
}

int pgs_outbox_listen(struct store *st, void (*fn)(void *arg), void *arg)
{
	(void)st;
	return not_yet("outbox_listen");
}

int pgs_mail_token_create(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id, const char *email, int64_t expires_at)
{
	(void)st;
	return not_yet("mail_token_create");
}

int pgs_mail_token_user(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash, int64_t now, struct user *out, char **email)
{
	(void)st;
	return not_yet("mail_token_user");
}

int pgs_password_reset(struct store *st, int64_t user_id, const char *token_hash, int64_t now, const char *pwhash, int64_t *reset_user_id)
{
	(void)st;
	return not_yet("password_reset");
}

int pgs_email_confirm(struct store *st, const char *token_hash, int64_t now, int64_t *user_id)
{
	(void)st;
	return not_yet("email_confirm");
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
