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
#endif
