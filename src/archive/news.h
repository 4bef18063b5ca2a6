/* The site's news: posts the admins write (Markdown through the sanitizer), an Atom feed of them, and comments
 * from logged-in readers when a post takes them. */
#ifndef QUIRE_ARCHIVE_NEWS_H
#define QUIRE_ARCHIVE_NEWS_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/community.h"
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define NEWS_TITLE_MAX 200        /* characters */
#define NEWS_BODY_MAX 50000
#define NEWS_COMMENT_MAX 5000
#define NEWS_PER_PAGE 10
#define NEWS_COMMENTS_SHOWN 500

struct news_input {
	const char *title, *body; /* body: Markdown */
	bool comments_open;
};
/* Posts (id 0) or edits a news post (admins: POWER_SITE_PAGES); fields title, body. */
int news_save(struct community *c, struct arena *a, const struct user *actor, int64_t id, const struct news_input *in,
              int64_t *out_id, struct field_errors *errors, const char **why);
int news_remove(struct community *c, struct arena *a, const struct user *actor, int64_t id, const char **why);
/* A logged-in reader's comment on a post that takes them (field body). */
int news_comment(struct community *c, struct arena *a, const struct user *u, int64_t news_id, const char *body,
                 struct field_errors *errors, const char **why);
/* Moderators and the comment's writer delete a news comment. */
int news_comment_remove(struct community *c, struct arena *a, const struct user *u, int64_t comment_id,
                        const char **why);
#endif
