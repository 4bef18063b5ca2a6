/* The store's side of running a community (issue 14): the audit log, moderated works, abuse reports, notices,
 * shared counters. Included by store.h; the operations are lines of store_ops.h. */
#ifndef QUIRE_STORE_STORE_ADMIN_H
#define QUIRE_STORE_STORE_ADMIN_H
#include <stdbool.h>
#include <stdint.h>

/* One entry of the audit log. Written once, never changed or deleted (the store refuses); an undo is a new
 * entry whose undoes names the entry it undid, and an entry is undone at most once. */
struct mod_entry {
	int64_t id, created_at;     /* the store's */
	int64_t actor_id;           /* 0: the command line */
	const char *actor_name;
	const char *action;         /* archive/moderation.h names them ("work_hide", "user_suspend", ...) */
	const char *target_kind;    /* "work", "comment", "bookmark", "user", "report", "setting", ... */
	int64_t target_id;
	const char *target_name;    /* what the target was called then (a title, a user name) */
	int64_t subject_id;         /* the account the action concerned (who was told); 0: none */
	const char *subject_name;
	const char *reason;         /* why, as the moderator wrote it */
	const char *detail;         /* what changed ("until 2026-12-01", "old name: x"), "" when nothing */
	int64_t report_id;          /* the report it answered; 0: none */
	int64_t undoes;             /* the entry this one undid; 0: none */
	int64_t undone_by;          /* read only: the entry that undid this one; 0: not undone */
};

/* Filters of the audit log (NULL / 0: any); newest first, entries with ids below before_id (0: newest). */
struct mod_log_query {
	const char *action, *actor, *subject, *target_kind;
	int64_t target_id, report_id;
	int64_t before_id;
	int limit;                  /* 1..200 */
};

/* Why a work is hidden or deleted (works.draft 2 or 3). */
struct work_moderation {
	int64_t work_id;
	int state;                  /* 2 hidden, 3 deleted */
	const char *reason;
	int64_t log_id, at;
};

enum report_status { REPORT_OPEN, REPORT_IN_PROGRESS, REPORT_RESOLVED, REPORT_REJECTED, REPORT_STATUS_COUNT };

/* An abuse report, with the reported text as it was when it came in. */
struct report {
	int64_t id, created_at, updated_at;
	const char *target_kind;    /* "work", "chapter", "comment", "bookmark", "user" */
	int64_t target_id;
	int64_t work_id;            /* the work a chapter, comment or bookmark is on (0: none) */
	int64_t subject_id;         /* the account it is about (0: a guest's comment, or gone) */
	const char *subject_name;   /* read only */
	const char *category, *body;
	int64_t reporter_id;        /* 0: a guest */
	const char *reporter_name;  /* read only */
	const char *reporter_email; /* a guest's, optional ("") */
	const char *reported_title, *reported_text;
	int status;                 /* enum report_status */
	int64_t assignee_id;        /* 0: nobody */
	const char *assignee_name;  /* read only */
};

struct report_note {
	int64_t id, report_id, author_id;
	const char *author_name, *body;
	int64_t created_at;
};

/* A suspension (for a time) or a ban (for good) of an account. */
enum sanction_kind { SANCTION_NONE = 0, SANCTION_SUSPENDED = 1, SANCTION_BANNED = 2 };
struct user_sanction {
	int64_t user_id;
	const char *user_name;
	int kind;                   /* enum sanction_kind */
	int64_t until;              /* unix seconds; 0: for good */
	const char *reason;
	int64_t log_id, at;
};

/* A page the site's admins write (about, terms, privacy, FAQ, any slug), Markdown and its sanitized HTML. */
struct site_page {
	const char *slug, *title, *body, *body_html;
	int64_t version;            /* raised by a new version (the old ones are kept) */
	bool in_footer;             /* linked from every page's footer */
	int64_t updated_at;
	const char *updated_by;
};

/* A news post of the site, with how many comments it has. */
struct news_post {
	int64_t id;
	const char *title, *body, *body_html, *author_name;
	bool comments_open;
	int64_t published_at, updated_at;
	int64_t comments;           /* read only: shown comments */
};

struct news_comment {
	int64_t id, news_id, user_id;
	const char *user_name;      /* read only; NULL once the account is gone */
	const char *body, *body_html;
	int state;                  /* 0 shown, 3 deleted */
	int64_t created_at;
};

/* An invitation code: made by an account (or the site's queue), used by the account it created. */
struct invitation {
	const char *code;
	int64_t created_by;         /* 0: the site (the queue, the command line) */
	const char *creator_name;   /* read only */
	const char *email;          /* sent to ("" when handed out by hand) */
	int64_t request_id, created_at;
	int64_t used_by;            /* 0: not used yet */
	const char *used_by_name;   /* read only */
	int64_t used_at;
};

enum invite_request_status { INVITE_WAITING = 0, INVITE_SENT = 1, INVITE_DECLINED = 2 };
struct invite_request {
	int64_t id;
	const char *email;
	int64_t created_at;
	int status;                 /* enum invite_request_status */
	int64_t invited_at;
	const char *code;           /* the invitation sent, NULL until then */
};

/* A comment or sign-up held as likely spam, with what it would have been. */
enum spam_status { SPAM_HELD = 0, SPAM_SPAM = 1, SPAM_HAM = 2 };
struct spam_item {
	int64_t id, created_at;
	const char *kind;           /* "comment" or "signup" */
	int score;
	const char *reasons;        /* "2 links; new account; ..." */
	const char *address_hash;   /* the sender's address, keyed (community_address_hash) */
	int status;                 /* enum spam_status */
	/* comment */
	int64_t work_id, chapter_id, parent_id, user_id;
	const char *work_title, *user_name; /* read only */
	const char *guest_name, *guest_email, *body, *body_html;
	/* sign-up */
	const char *name, *email, *pwhash;
	int64_t policy_version;     /* the terms accepted with it */
	const char *decided_by;
	int64_t decided_at;
};

/* What a reader muted: an account (MUTE_USER) or a tag (MUTE_TAG, with its type). */
enum mute_kind { MUTE_USER = 1, MUTE_TAG = 2 };
struct mute {
	int kind;                   /* enum mute_kind */
	int64_t target;             /* the account's or the tag's id */
	const char *name;           /* its name now */
	int tag_type;               /* MUTE_TAG: enum tag_type */
	int64_t created_at;
};

/* The dashboard's numbers. */
struct site_stats {
	int64_t users, works;           /* accounts (the orphan account aside) and posted works, now */
	int64_t signups, works_posted;  /* since the time asked for */
	int64_t mail_queued, mail_failed; /* the outbox now (failed: kept 30 days) */
	const char *mail_last_error;    /* the newest error a queued or failed mail has, NULL when none */
	int64_t mail_last_error_at;
	int64_t db_bytes;               /* the database's size on disk, journal included */
};

/* How many reports there are of each status (the queue's tabs, the dashboard). */
struct report_counts {
	int64_t by_status[REPORT_STATUS_COUNT];
};
#endif
