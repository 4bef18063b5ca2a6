/* Page handlers, one file per page family; each is listed in the route table (src/web/routes.c). */
#ifndef QUIRE_WEB_PAGES_H
#define QUIRE_WEB_PAGES_H
#include "web/web.h"

/* home.c, static.c */
void page_home(struct web_req *w);
void page_healthz(struct web_req *w);
void page_static(struct web_req *w);
void page_favicon(struct web_req *w);
void page_prefs_form(struct web_req *w);
void page_prefs_save(struct web_req *w);
void page_docs(struct web_req *w);

/* account.c: sign up, log in and out, the account page and its actions */
void page_signup_form(struct web_req *w);
void page_signup(struct web_req *w);
void page_login_form(struct web_req *w);
void page_login(struct web_req *w);
void page_logout(struct web_req *w);
void page_account(struct web_req *w);
void page_account_password(struct web_req *w);
void page_account_delete(struct web_req *w);
void page_account_token_add(struct web_req *w);
void page_account_token_revoke(struct web_req *w);
void page_account_invite_accept(struct web_req *w);

/* works.c: work pages and author tools */
void page_works_index(struct web_req *w);
void page_work_new(struct web_req *w);
void page_work_create(struct web_req *w);
void page_work_show(struct web_req *w);
void page_work_navigate(struct web_req *w);
void page_work_edit(struct web_req *w);
void page_work_update(struct web_req *w);
void page_work_delete_confirm(struct web_req *w);
void page_work_delete(struct web_req *w);
void page_work_post_draft(struct web_req *w);

/* chapters.c */
void page_chapter_new(struct web_req *w);
void page_chapter_create(struct web_req *w);
void page_chapters_manage(struct web_req *w);
void page_chapters_reorder(struct web_req *w);
void page_chapter_show(struct web_req *w);
void page_chapter_edit(struct web_req *w);
void page_chapter_update(struct web_req *w);
void page_chapter_delete(struct web_req *w);

/* users.c: author pages */
void page_user_show(struct web_req *w);
void page_user_works(struct web_req *w);

/* downloads.c: a work as an EPUB or one HTML page */
void page_download(struct web_req *w);

/* opds.c: the e-reader catalog (OPDS 1.2) */
void page_opds_root(struct web_req *w);
void page_opds_search(struct web_req *w);
void page_opds_works(struct web_req *w);
void page_opds_help(struct web_req *w); /* /ereaders: the catalog explained for people, its address beside */

/* blocks.c: blocking users */
void page_user_block_confirm(struct web_req *w);
void page_user_block(struct web_req *w);
void page_user_unblock(struct web_req *w);
void page_user_blocked(struct web_req *w);

/* ---- mail: subscriptions, unsubscribe links, password reset, e-mail address (subscriptions.c,
 * account_mail.c) ---- */
void page_subscriptions(struct web_req *w);
void page_subscription_create(struct web_req *w);
void page_subscription_delete(struct web_req *w);
void page_subscription_mail(struct web_req *w);
void page_unsubscribe_form(struct web_req *w);
void page_unsubscribe(struct web_req *w);
void page_password_forgot_form(struct web_req *w);
void page_password_forgot(struct web_req *w);
void page_password_reset_form(struct web_req *w);
void page_password_reset(struct web_req *w);
void page_account_mail_settings(struct web_req *w);
void page_account_email_form(struct web_req *w);
void page_account_email_change(struct web_req *w);
void page_account_email_resend(struct web_req *w);
void page_account_email_confirm_form(struct web_req *w);
void page_account_email_confirm(struct web_req *w);
/* Hooks for other pages. Subscribe buttons: data.subscribe_work and data.subscribe_series for a work's
 * reading pages, data.subscribe_user for an author page (templates subscriptions/_work, _user). */
struct work;
void subscriptions_view_work(struct web_req *w, json_t *data, const struct work *wk);
void subscriptions_view_user(struct web_req *w, json_t *data, const struct user *u);
/* False after answering 403 (page with a "send the link again" button, or JSON email_unconfirmed) when the
 * site requires a confirmed address and the logged-in user has none. */
bool mail_web_may_post(struct web_req *w);
/* Queues the confirmation mail of a new account when the site requires confirmed addresses. */
void mail_web_after_signup(struct web_req *w, int64_t user_id, const char *email);
/* data.mail {notify_mail, confirmed, required} and data.notice for the account page (account/_mail). */
void mail_web_account_data(struct web_req *w, json_t *data);
/* ---- Finding works ---- */
/* tags.c: tag pages, wrangling, the fandom directory */
void page_tag_show(struct web_req *w);
void page_tag_edit_form(struct web_req *w);
void page_tag_edit(struct web_req *w);
void page_wrangling(struct web_req *w);
void page_media_index(struct web_req *w);
void page_media_show(struct web_req *w);
/* series.c, search.c */
void page_series_show(struct web_req *w);
void page_search(struct web_req *w);
/* writing.c: the writer's check's remembered words (for scripts) */
void page_writing_word(struct web_req *w);
/* suggestions.c: readers' suggestions on a passage */
void page_suggestion_new(struct web_req *w);
void page_suggestion_create(struct web_req *w);
void page_suggestion_accept(struct web_req *w);
void page_suggestion_dismiss(struct web_req *w);
void page_suggestion_reply(struct web_req *w);
#endif
