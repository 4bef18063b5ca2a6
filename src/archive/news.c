/* News posts and their comments: who may write, limits, rendering through the sanitizer. */
#include "archive/news.h"
#include "archive/moderation.h"
#include "archive/roles.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "core/err.h"
#include "core/utf8.h"
#include "html/format.h"
#include <string.h>

/* Markdown (news) or the comments' HTML subset (format), checked and rendered; NULL with a field error. */
static const char *render(struct arena *a, struct field_errors *e, const char *field, const char *src, size_t max,
                          enum text_format fmt)
{
	size_t len = strlen(src);
	if (!utf8_valid(src, len)) {
		field_error(e, field, "That is not valid text (UTF-8).");
		return NULL;
	}
	if (archive_text_invisible(src, len)) {
		field_error(e, field, "Please write something.");
		return NULL;
	}
	if (utf8_length(src, len) > max) {
		field_error(e, field, arena_printf(a, "At most %zu characters, please.", max));
		return NULL;
	}
	struct buf b = BUF_INIT;
	const char *html = format_render(fmt, src, len, &b) == 0 ? arena_strndup(a, buf_cstr(&b), b.len) : NULL;
	buf_free(&b);
	if (!html)
		field_error(e, field, "That is not valid text (UTF-8).");
	return html;
}

int news_save(struct community *c, struct arena *a, const struct user *actor, int64_t id, const struct news_input *in,
              int64_t *out_id, struct field_errors *errors, const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SITE_PAGES)) {
		*why = "Only administrators post news.";
		return Q_EPERM;
	}
	const char *title = archive_clean_line(a, in->title);
	if (!*title || archive_text_invisible(title, strlen(title)))
		field_error(errors, "title", "The post needs a title.");
	else if (utf8_length(title, strlen(title)) > NEWS_TITLE_MAX)
		field_error(errors, "title", "A title can be at most 200 characters long.");
	const char *body = in->body ? in->body : "";
	const char *html = render(a, errors, "body", body, NEWS_BODY_MAX, FORMAT_MARKDOWN);
	if (errors->n) {
		*why = "Please check the post.";
		return Q_EINVAL;
	}
	struct news_post p = {.id = id, .title = title, .body = body, .body_html = html, .author_name = actor->name,
	                      .comments_open = in->comments_open};
	int rc = store_tx_begin(st);
	if (rc) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	rc = id ? store_news_update(st, &p) : store_news_create(st, &p, &p.id);
	if (rc == 0)
		rc = mod_log(st, actor, MOD_NEWS_POST, "news", p.id, title, NULL, "", id ? "edited" : "posted", 0, NULL);
	rc = archive_tx_end(st, rc);
	*why = rc == Q_ENOTFOUND ? "There is no such post." : rc ? "The post could not be saved." : "The post is up.";
	if (rc == 0 && out_id)
		*out_id = p.id;
	return rc;
}

int news_remove(struct community *c, struct arena *a, const struct user *actor, int64_t id, const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_SITE_PAGES)) {
		*why = "Only administrators delete news.";
		return Q_EPERM;
	}
	struct news_post p;
	int rc = store_news_get(st, a, id, &p);
	if (rc == 0 && (rc = store_tx_begin(st)) == 0) {
		if ((rc = store_news_delete(st, id)) == 0)
			rc = mod_log(st, actor, MOD_NEWS_DELETE, "news", id, p.title, NULL, "", "", 0, NULL);
		rc = archive_tx_end(st, rc);
	}
	*why = rc == Q_ENOTFOUND ? "There is no such post." : rc ? "The post could not be deleted." : "The post is gone.";
	return rc;
}

int news_comment(struct community *c, struct arena *a, const struct user *u, int64_t news_id, const char *body,
                 struct field_errors *errors, const char **why)
{
	struct store *st = community_store(c);
	if (!u) {
		*why = "Log in to comment on the news.";
		return Q_EPERM;
	}
	struct news_post p;
	int rc = store_news_get(st, a, news_id, &p);
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such post." : "The post could not be loaded.";
		return rc;
	}
	if (!p.comments_open) {
		*why = "This post takes no comments.";
		return Q_EPERM;
	}
	const char *html = render(a, errors, "body", body ? body : "", NEWS_COMMENT_MAX, FORMAT_HTML);
	if (!html) {
		*why = "Please check the comment.";
		return Q_EINVAL;
	}
	struct news_comment nc = {.news_id = news_id, .user_id = u->id, .body = body, .body_html = html};
	rc = store_news_comment_add(st, &nc, NULL);
	*why = rc ? "The comment could not be saved." : "Comment posted.";
	return rc;
}

int news_comment_remove(struct community *c, struct arena *a, const struct user *u, int64_t comment_id,
                        const char **why)
{
	struct store *st = community_store(c);
	struct news_comment nc;
	int rc = store_news_comment_get(st, a, comment_id, &nc);
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such comment." : "The comment could not be loaded.";
		return rc;
	}
	if (!u || (u->id != nc.user_id && !archive_may(u, POWER_COMMENTS))) {
		*why = "Only its writer and the moderators delete a comment.";
		return Q_EPERM;
	}
	rc = store_news_comment_set_state(st, comment_id, 3);
	*why = rc ? "The comment could not be deleted." : "Comment deleted.";
	return rc;
}
