/* JSON API v1: request handlers over the archive layer's workflows, with bearer-token authentication, and their
 * route table (routes.c). The request context is front/front.h's, which the pages share; nothing here knows
 * the pages. */
#ifndef QUIRE_API_API_H
#define QUIRE_API_API_H
#include "front/front.h"
#include "front/route.h"

/* The route table of the API (routes.c), joined with the pages' by src/app/routes.c. */
extern const struct route api_routes[];
extern const size_t api_nroutes;

/* Sets w->user from "Authorization: Bearer TOKEN" (API requests ignore cookies). */
void api_authenticate(struct web_req *w);

void api_work_create(struct web_req *w);
void api_work_get(struct web_req *w);
void api_work_update(struct web_req *w);
void api_work_delete(struct web_req *w);
void api_chapter_create(struct web_req *w);
void api_chapter_get(struct web_req *w);
void api_chapter_update(struct web_req *w);
void api_chapter_delete(struct web_req *w);
void api_chapters_reorder(struct web_req *w);

/* ---- mail: subscriptions (subscriptions.c) ---- */
void api_subscriptions_list(struct web_req *w);
void api_subscription_create(struct web_req *w);
void api_subscription_get(struct web_req *w);
void api_subscription_update(struct web_req *w);
void api_subscription_delete(struct web_req *w);

/* ---- Blocks (blocks.c) ---- */
void api_blocks_list(struct web_req *w);
void api_block_put(struct web_req *w);
void api_block_delete(struct web_req *w);

/* ---- The writer's check (check.c) ---- */
void api_check(struct web_req *w);
struct writing_result;
/* The suggestions of r over text as the API answers them (character offsets). */
json_t *api_check_json(struct web_req *w, const char *text, const struct writing_result *r, const char *lang);

/* ---- Readers' suggestions on a passage (suggestions.c) ---- */
void api_suggestions_list(struct web_req *w);
void api_suggestion_create(struct web_req *w);
void api_suggestion_accept(struct web_req *w);
void api_suggestion_dismiss(struct web_req *w);
void api_suggestion_reply(struct web_req *w);

/* ---- Finding works ---- */
/* listing.c: GET /api/v1/works with filters, facets and text search */
void api_works_find(struct web_req *w);
/* tags.c: tag autocomplete */
void api_tags_autocomplete(struct web_req *w);

/* ---- Running a community (admin.c): reports, and /api/v1/admin/... for moderators and admins ---- */
void api_report_create(struct web_req *w);
void api_admin_reports(struct web_req *w);
void api_admin_report_get(struct web_req *w);
void api_admin_report_update(struct web_req *w);
void api_admin_work_hide(struct web_req *w);
void api_admin_work_delete(struct web_req *w);
void api_admin_log(struct web_req *w);
void api_admin_log_undo(struct web_req *w);
void api_admin_user_get(struct web_req *w);
void api_admin_user_suspend(struct web_req *w);
void api_admin_user_ban(struct web_req *w);
void api_admin_user_lift(struct web_req *w);
void api_admin_user_rename(struct web_req *w);
void api_admin_user_role(struct web_req *w);
void api_admin_comment_delete(struct web_req *w);
void api_admin_work_lock(struct web_req *w);
void api_admin_bookmark_remove(struct web_req *w);
/* mutes.c */
void api_mutes_list(struct web_req *w);
void api_mute_user_put(struct web_req *w);
void api_mute_user_delete(struct web_req *w);
void api_mute_tag_put(struct web_req *w);
void api_mute_tag_delete(struct web_req *w);
#endif
