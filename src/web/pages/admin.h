/* Running a community on the web: the admin and moderation pages (dashboard, reports queue, audit log,
 * moderating works) and the report form everyone has, and what those pages share. Each handler is one line
 * of the route table; every admin route needs a log-in and checks the role's power (archive/roles.h). */
#ifndef QUIRE_WEB_PAGES_ADMIN_H
#define QUIRE_WEB_PAGES_ADMIN_H
#include <jansson.h>
#include "archive/roles.h"
#include "web/web.h"

/* admin.c: the dashboard */
void page_admin_dashboard(struct web_req *w);       /* GET  /admin */

/* admin_reports.c: the queue of abuse reports, and the report form */
void page_admin_reports(struct web_req *w);         /* GET  /admin/reports?status=&before= */
void page_admin_report(struct web_req *w);          /* GET  /admin/reports/:id */
void page_admin_report_update(struct web_req *w);   /* POST /admin/reports/:id (status, assignee) */
void page_admin_report_note(struct web_req *w);     /* POST /admin/reports/:id/notes */
void page_report_new(struct web_req *w);            /* GET  /reports/new?kind=&id= */
void page_report_create(struct web_req *w);         /* POST /reports */

/* admin_log.c: the audit log and undoing */
void page_admin_log(struct web_req *w);             /* GET  /admin/log?action=&actor=&subject=&before= */
void page_admin_log_entry(struct web_req *w);       /* GET  /admin/log/:id */
void page_admin_log_undo(struct web_req *w);        /* POST /admin/log/:id/undo */

/* admin_works.c: moderating one work */
void page_admin_work(struct web_req *w);            /* GET  /admin/works/:id */
void page_admin_work_hide(struct web_req *w);       /* POST /admin/works/:id/hide */
void page_admin_work_delete(struct web_req *w);     /* POST /admin/works/:id/delete */

/* admin_users.c: accounts (suspend, ban, lift, rename, roles), and moderating comments and bookmarks */
void page_admin_users(struct web_req *w);           /* GET  /admin/users?q= */
void page_admin_user(struct web_req *w);            /* GET  /admin/users/:name */
void page_admin_user_suspend(struct web_req *w);    /* POST /admin/users/:name/suspend */
void page_admin_user_ban(struct web_req *w);        /* POST /admin/users/:name/ban */
void page_admin_user_lift(struct web_req *w);       /* POST /admin/users/:name/lift */
void page_admin_user_rename(struct web_req *w);     /* POST /admin/users/:name/rename */
void page_admin_user_role(struct web_req *w);       /* POST /admin/users/:name/role */
void page_admin_comment(struct web_req *w);         /* GET  /admin/comments/:id */
void page_admin_comment_delete(struct web_req *w);  /* POST /admin/comments/:id/delete */
void page_admin_work_lock(struct web_req *w);       /* POST /admin/works/:id/lock */
void page_admin_bookmark_remove(struct web_req *w); /* POST /admin/bookmarks/:id/remove */

/* site.c: the site's pages, accepting the terms, the banner; settings and pages on the admin side */
void page_site_page(struct web_req *w);             /* GET  /pages/:slug, /about, /tos, /privacy, /faq */
void page_accept_form(struct web_req *w);           /* GET  /accept */
void page_accept(struct web_req *w);                /* POST /accept */
void page_banner_dismiss(struct web_req *w);        /* POST /banner/dismiss */
void page_admin_settings(struct web_req *w);        /* GET  /admin/settings */
void page_admin_settings_save(struct web_req *w);   /* POST /admin/settings */
void page_admin_banner(struct web_req *w);          /* POST /admin/banner */
void page_admin_pages(struct web_req *w);           /* GET  /admin/pages */
void page_admin_page_new(struct web_req *w);        /* GET  /admin/pages/new?slug= */
void page_admin_page_edit(struct web_req *w);       /* GET  /admin/pages/:slug */
void page_admin_page_save(struct web_req *w);       /* POST /admin/pages/:slug */
void page_admin_page_delete(struct web_req *w);     /* POST /admin/pages/:slug/delete */

/* admin_spam.c */
void page_admin_spam(struct web_req *w);            /* GET  /admin/spam?status=held|spam|ham&before= */
void page_admin_spam_decide(struct web_req *w);     /* POST /admin/spam/:id (action spam or ham) */
void page_admin_blocklist(struct web_req *w);       /* GET  /admin/spam/blocklist */
void page_admin_blocklist_change(struct web_req *w); /* POST /admin/spam/blocklist (pattern, action add|remove) */

/* news.c */
void page_news(struct web_req *w);                  /* GET  /news?before= */
void page_news_show(struct web_req *w);             /* GET  /news/:id */
void page_news_feed(struct web_req *w);             /* GET  /news.atom */
void page_news_comment(struct web_req *w);          /* POST /news/:id/comments */
void page_news_comment_delete(struct web_req *w);   /* POST /news/comments/:id/delete */
void page_admin_news(struct web_req *w);            /* GET  /admin/news */
void page_admin_news_edit(struct web_req *w);       /* GET  /admin/news/:id */
void page_admin_news_save(struct web_req *w);       /* POST /admin/news, /admin/news/:id */
void page_admin_news_delete(struct web_req *w);     /* POST /admin/news/:id/delete */

/* mutes.c */
void page_user_mute(struct web_req *w);             /* POST /users/:name/mute */
void page_user_unmute(struct web_req *w);           /* POST /users/:name/unmute */
void page_tag_mute(struct web_req *w);              /* POST /tags/:name/mute */
void page_tag_unmute(struct web_req *w);            /* POST /tags/:name/unmute */
void page_user_muted(struct web_req *w);            /* GET  /users/:name/muted */

/* invitations.c */
void page_invitations(struct web_req *w);           /* GET  /invitations */
void page_invitation_create(struct web_req *w);     /* POST /invitations */
void page_invite_request_form(struct web_req *w);   /* GET  /invitations/request */
void page_invite_request(struct web_req *w);        /* POST /invitations/request */
void page_admin_invitations(struct web_req *w);     /* GET  /admin/invitations */
void page_admin_invitations_send(struct web_req *w); /* POST /admin/invitations/send */

/* ---- Shared by the admin pages (admin.c) ---- */
/* False after answering 403 when the logged-in user's role lacks power p. */
bool admin_allowed(struct web_req *w, enum archive_power p);
/* "2026-11-24 10:02 UTC" (arena). */
const char *admin_time(struct web_req *w, int64_t t);
/* An audit log entry as the log's templates show it. */
json_t *admin_entry_json(struct web_req *w, const struct mod_entry *e);
/* The admin pages' common data: csrf_token, and the section links (what this role may open). */
json_t *admin_data(struct web_req *w, const char *section);
/* Redirects to path with ?notice= (or &notice=) set to message, or shows an error page with status. */
void admin_done(struct web_req *w, int rc, const char *path, const char *message);
#endif
