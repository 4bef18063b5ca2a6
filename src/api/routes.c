/* The route table of the JSON API v1 (docs/api.md): one line per endpoint: method, path pattern, handler, needs,
 * query, body limit. src/app/routes.c joins it with the pages' (src/web/routes.c) and dispatches. */
#include "api/api.h"
#include "api/response_api.h"
#include "archive/listing.h"

const struct route api_routes[] = {
	/* works and chapters */
	{"GET", "/api/v1/works", api_works_find, NO_CSRF, "creator per_page " ARCHIVE_LISTING_PARAMS, BODY_NONE},
	{"POST", "/api/v1/works", api_work_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id", api_work_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/works/:id", api_work_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/works/:id", api_work_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/api/v1/works/:id/chapters", api_chapter_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id/chapters/:cid", api_chapter_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/works/:id/chapters/:cid", api_chapter_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/works/:id/chapters/:cid", api_chapter_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"PUT", "/api/v1/works/:id/chapters/order", api_chapters_reorder, NO_CSRF | NEEDS_LOGIN, "", BODY_FORM},
	/* ---- mail: subscriptions; blocks ---- */
	{"GET", "/api/v1/subscriptions", api_subscriptions_list, NO_CSRF | NEEDS_LOGIN, "after per_page", BODY_NONE},
	{"POST", "/api/v1/subscriptions", api_subscription_create, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/subscriptions/:id", api_subscription_get, NO_CSRF | NEEDS_LOGIN, "", BODY_NONE},
	{"PATCH", "/api/v1/subscriptions/:id", api_subscription_update, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"DELETE", "/api/v1/subscriptions/:id", api_subscription_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/blocks", api_blocks_list, NO_CSRF | NEEDS_LOGIN, "", BODY_NONE},
	{"PUT", "/api/v1/blocks/:name", api_block_put, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"DELETE", "/api/v1/blocks/:name", api_block_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	/* ---- The reader's response: comments, kudos, bookmarks, inbox, statistics ---- */
	{"GET", "/api/v1/chapters/:cid/comments", api_comments_list, NO_CSRF, "after", BODY_NONE},
	{"POST", "/api/v1/chapters/:cid/comments", api_comment_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/works/:id/comments", api_comments_list, NO_CSRF, "after", BODY_NONE},
	{"POST", "/api/v1/works/:id/comments", api_comment_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"GET", "/api/v1/comments/:id", api_comment_get, NO_CSRF, "", BODY_NONE},
	{"PATCH", "/api/v1/comments/:id", api_comment_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/comments/:id", api_comment_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/works/:id/kudos", api_kudos_list, NO_CSRF, "", BODY_NONE},
	{"POST", "/api/v1/works/:id/kudos", api_kudos_give, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/chapters/:cid/kudos", api_kudos_list, NO_CSRF, "", BODY_NONE},
	{"POST", "/api/v1/chapters/:cid/kudos", api_kudos_give, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/bookmarks", api_bookmarks_list, NO_CSRF, "user before", BODY_NONE},
	{"POST", "/api/v1/bookmarks", api_bookmark_create, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"PATCH", "/api/v1/bookmarks/:id", api_bookmark_update, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	{"DELETE", "/api/v1/bookmarks/:id", api_bookmark_delete, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/inbox", api_inbox_list, NO_CSRF | NEEDS_LOGIN, "unread before", BODY_NONE},
	{"POST", "/api/v1/inbox/read", api_inbox_read, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"GET", "/api/v1/works/:id/stats", api_work_stats, NO_CSRF | NEEDS_LOGIN, "", BODY_NONE},
	/* ---- Finding works ---- */
	{"GET", "/api/v1/tags/autocomplete", api_tags_autocomplete, NO_CSRF, "type q", BODY_NONE},
	/* ---- The writer's check: checks run on the worker pool (SLOW) ---- */
	{"POST", "/api/v1/check", api_check, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_FORM},
	/* ---- Readers' suggestions on a passage (accepting edits the chapter: sanitizes, so SLOW) ---- */
	{"GET", "/api/v1/chapters/:cid/suggestions", api_suggestions_list, NO_CSRF | NEEDS_LOGIN, "state", BODY_NONE},
	{"POST", "/api/v1/chapters/:cid/suggestions", api_suggestion_create, NO_CSRF | NEEDS_LOGIN, "", BODY_FORM},
	{"POST", "/api/v1/suggestions/:id/accept", api_suggestion_accept, NO_CSRF | NEEDS_LOGIN | SLOW, "", BODY_SMALL},
	{"POST", "/api/v1/suggestions/:id/dismiss", api_suggestion_dismiss, NO_CSRF | NEEDS_LOGIN, "", BODY_SMALL},
	{"POST", "/api/v1/suggestions/:id/reply", api_suggestion_reply, NO_CSRF | NEEDS_LOGIN, "", BODY_FORM},
};
const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];
