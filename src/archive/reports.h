/* Abuse reports: anyone (guests too) reports a work, chapter, comment, bookmark or profile with a reason; the
 * report keeps the reported text as it was; moderators work through a queue of them (status, assignment,
 * internal notes) and act with one click (archive/moderation.h). Floods are capped per address and per
 * account, in the store (every server counts together). */
#ifndef QUIRE_ARCHIVE_REPORTS_H
#define QUIRE_ARCHIVE_REPORTS_H
#include <stdbool.h>
#include <stdint.h>
#include "archive/community.h"
#include "archive/errors.h"
#include "core/arena.h"
#include "store/store.h"

#define REPORT_BODY_MAX 5000          /* characters */
#define REPORT_EMAIL_MAX 254
#define REPORT_TEXT_KEPT 20000        /* characters of the reported text kept with the report */
#define REPORT_NOTE_MAX 5000          /* characters of an internal note */
#define REPORTS_PER_ADDRESS 10        /* reports from one client address ... */
#define REPORTS_ADDRESS_WINDOW 3600   /* ... in an hour */
#define REPORTS_PER_ACCOUNT 20        /* reports from one account ... */
#define REPORTS_ACCOUNT_WINDOW 86400  /* ... in a day */

/* The categories a reporter picks from (key, label), NULL-terminated. */
struct report_category {
	const char *key, *label;
};
extern const struct report_category report_categories[];
const char *report_category_label(const char *key);

/* "open", "in_progress", "resolved", "rejected" <-> enum report_status; -1 for anything else. */
const char *report_status_name(int status);
const char *report_status_label(int status);
int report_status_parse(const char *s);

/* What a report is about, as one viewer may see it now. */
struct report_target {
	const char *kind;        /* "work", "chapter", "comment", "bookmark", "user" */
	int64_t id;
	int64_t work_id;         /* the work it is on (0: a profile) */
	int64_t subject_id;      /* the account it is about (0: a guest's comment) */
	const char *subject_name;
	const char *title;       /* "Title", "Chapter 2 of Title", "Comment by x on Title", "bookmark by x of Title" */
	const char *text;        /* its text, plain (summary and notes, chapter text, comment, bookmark notes) */
	const char *url;         /* where it is read */
};
/* Loads the target viewer may see (Q_ENOTFOUND otherwise: the same answer as for a missing one; an unknown
 * kind is Q_EINVAL). */
int report_target_load(struct store *st, struct arena *a, const struct user *viewer, const char *kind, int64_t id,
                       struct report_target *out);

/* A report as submitted (raw strings). */
struct report_input {
	const char *kind;
	int64_t id;
	const char *category, *body;
	const char *email;       /* guests, optional */
	const char *honeypot;    /* the hidden field bots fill */
};
/* Files a report from reporter (NULL: a guest at address). Field errors: category, body, email. Q_EBUSY with
 * *retry_after past REPORTS_PER_ADDRESS or REPORTS_PER_ACCOUNT. */
int report_submit(struct community *c, struct arena *a, const struct user *reporter, const char *address,
                  const struct report_input *in, int64_t *id, struct field_errors *errors, const char **why,
                  int *retry_after);
/* A moderator sets a report's status (< 0: leave) and assignee (< 0: leave, 0: nobody), logged. */
int report_update(struct community *c, struct arena *a, const struct user *actor, int64_t id, int status,
                  int64_t assignee_id, const char **why);
/* An internal note on a report, by a moderator. */
int report_add_note(struct community *c, struct arena *a, const struct user *actor, int64_t id, const char *body,
                    const char **why);
#endif
