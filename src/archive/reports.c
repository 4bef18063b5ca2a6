/* Abuse reports: what may be reported and by whom, what is kept, the caps on floods, and the queue's changes. */
#include "archive/reports.h"
#include "archive/account.h"
#include "archive/moderation.h"
#include "archive/response.h"
#include "archive/roles.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "archive/work.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include <string.h>

const struct report_category report_categories[] = {
	{"spam", "Spam or advertising"},
	{"harassment", "Harassment or threats"},
	{"illegal", "Illegal content"},
	{"personal", "Someone's personal information"},
	{"copyright", "Plagiarism or copyright"},
	{"rating", "Wrong rating, warnings or tags"},
	{"other", "Something else"},
	{NULL, NULL},
};

const char *report_category_label(const char *key)
{
	for (size_t i = 0; key && report_categories[i].key; i++)
		if (!strcmp(report_categories[i].key, key))
			return report_categories[i].label;
	return key ? key : "";
}

static const char *const status_names[REPORT_STATUS_COUNT] = {"open", "in_progress", "resolved", "rejected"};
static const char *const status_labels[REPORT_STATUS_COUNT] = {"Open", "In progress", "Resolved", "Rejected"};

const char *report_status_name(int status)
{
	return status >= 0 && status < REPORT_STATUS_COUNT ? status_names[status] : "open";
}

const char *report_status_label(int status)
{
	return status >= 0 && status < REPORT_STATUS_COUNT ? status_labels[status] : "Open";
}

int report_status_parse(const char *s)
{
	for (int k = 0; s && k < REPORT_STATUS_COUNT; k++)
		if (!strcmp(s, status_names[k]))
			return k;
	return -1;
}

/* At most REPORT_TEXT_KEPT characters of plain text. */
static const char *kept(struct arena *a, const char *plain)
{
	const char *s = plain ? plain : "";
	size_t len = strlen(s);
	if (utf8_length(s, len) <= REPORT_TEXT_KEPT)
		return s;
	size_t i = 0, n = 0;
	while (i < len && n < REPORT_TEXT_KEPT) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	return arena_printf(a, "%.*s…", (int)i, s);
}

static const char *joined(struct arena *a, const char *x, const char *y)
{
	return *x && *y ? arena_printf(a, "%s\n\n%s", x, y) : *x ? x : y;
}

static int target_work(struct store *st, struct arena *a, const struct user *viewer, int64_t id,
                       struct report_target *t, struct work *w)
{
	int rc = archive_work_load(st, a, viewer, id, false, w);
	if (rc)
		return rc;
	t->work_id = w->id;
	t->subject_id = w->ncreators ? w->creators[0].user_id : 0;
	t->subject_name = w->ncreators ? w->creators[0].name : "";
	t->title = w->title;
	t->text = joined(a, html_plain(a, w->summary.html), html_plain(a, w->notes.html));
	t->url = arena_printf(a, "/works/%lld", (long long)w->id);
	return 0;
}

int report_target_load(struct store *st, struct arena *a, const struct user *viewer, const char *kind, int64_t id,
                       struct report_target *out)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->id = id;
	if (id <= 0)
		return kind && (!strcmp(kind, "work") || !strcmp(kind, "chapter") || !strcmp(kind, "comment") ||
		                !strcmp(kind, "bookmark") || !strcmp(kind, "user")) ? Q_ENOTFOUND : Q_EINVAL;
	struct work w;
	int rc;
	if (!kind)
		return Q_EINVAL;
	if (!strcmp(kind, "work"))
		return target_work(st, a, viewer, id, out, &w);
	if (!strcmp(kind, "chapter")) {
		int64_t wid = 0;
		struct chapter ch;
		if ((rc = store_chapter_work(st, id, &wid)) || (rc = target_work(st, a, viewer, wid, out, &w)) ||
		    (rc = store_chapter_get(st, a, wid, id, &ch)))
			return rc;
		out->title = ch.title && *ch.title ? arena_printf(a, "Chapter %d (%s) of %s", ch.position, ch.title, w.title)
		                                   : arena_printf(a, "Chapter %d of %s", ch.position, w.title);
		out->text = joined(a, html_plain(a, ch.notes.html), html_plain(a, ch.content_html));
		out->url = arena_printf(a, "/works/%lld/chapters/%lld", (long long)wid, (long long)id);
		return 0;
	}
	if (!strcmp(kind, "comment")) {
		struct comment cm;
		const char *why;
		if ((rc = comment_load(st, a, id, viewer, &cm, &w, &why)))
			return rc;
		if (cm.state == COMMENT_DELETED)
			return Q_ENOTFOUND;
		out->work_id = w.id;
		out->subject_id = cm.user_id;
		out->subject_name = cm.user_id ? cm.user_name : "";
		out->title = arena_printf(a, "Comment by %s on %s", comment_author(&cm), w.title);
		out->text = html_plain(a, cm.body.html);
		out->url = comment_path(a, &cm);
		return 0;
	}
	if (!strcmp(kind, "bookmark")) {
		struct bookmark b;
		if ((rc = store_bookmark_get(st, a, id, &b)))
			return rc;
		if (!bookmark_can_see(&b, viewer))
			return Q_ENOTFOUND;
		out->work_id = b.work_id;
		out->subject_id = b.user_id;
		out->subject_name = b.user_name;
		out->title = arena_printf(a, "Bookmark by %s of %s", b.user_name, b.work_title);
		out->text = joined(a, html_plain(a, b.notes.html), b.tags && *b.tags ? arena_printf(a, "Tags: %s", b.tags) : "");
		out->url = arena_printf(a, "/users/%s/bookmarks", b.user_name);
		return 0;
	}
	if (!strcmp(kind, "user")) {
		struct user u;
		if ((rc = store_user_get(st, a, id, &u)))
			return rc;
		if (!strcmp(u.role, "orphan"))
			return Q_ENOTFOUND;
		out->subject_id = u.id;
		out->subject_name = u.name;
		out->title = arena_printf(a, "The profile of %s", u.name);
		out->text = "";
		out->url = arena_printf(a, "/users/%s", u.name);
		return 0;
	}
	return Q_EINVAL;
}

static bool category_known(const char *key)
{
	for (size_t i = 0; key && report_categories[i].key; i++)
		if (!strcmp(report_categories[i].key, key))
			return true;
	return false;
}

int report_submit(struct community *c, struct arena *a, const struct user *reporter, const char *address,
                  const struct report_input *in, int64_t *id, struct field_errors *errors, const char **why,
                  int *retry_after)
{
	struct store *st = community_store(c);
	*retry_after = 0;
	if (in->honeypot && *in->honeypot) {
		*why = "This report could not be accepted.";
		return Q_EINVAL;
	}
	struct report_target t;
	int rc = report_target_load(st, a, reporter, in->kind, in->id, &t);
	if (rc) {
		*why = rc == Q_EINVAL ? "Reports are about a work, a chapter, a comment, a bookmark or a profile."
		       : rc == Q_ENOTFOUND ? "There is nothing like that to report, or you may not see it."
		                           : "The report could not be saved. Please try again in a moment.";
		return rc == Q_EINVAL || rc == Q_ENOTFOUND ? rc : Q_ERR;
	}
	if (!category_known(in->category))
		field_error(errors, "category", "Please choose what is wrong.");
	const char *body = in->body ? in->body : "";
	if (!utf8_valid(body, strlen(body)))
		field_error(errors, "body", "The report contains invalid UTF-8 (text encoding).");
	else if (archive_text_invisible(body, strlen(body)))
		field_error(errors, "body", "Please tell the moderators what is wrong.");
	else if (utf8_length(body, strlen(body)) > REPORT_BODY_MAX)
		field_error(errors, "body", "A report can be at most 5,000 characters long.");
	const char *email = reporter ? "" : archive_trim(a, in->email);
	if (*email) {
		const char *p = strlen(email) > REPORT_EMAIL_MAX ? "That e-mail address is too long." : account_email_problem(email);
		if (p)
			field_error(errors, "email", p);
	}
	if (errors->n) {
		*why = "Please check the report form.";
		return Q_EINVAL;
	}
	/* Floods: per address for everyone (accounts too), and per account wherever it comes from. */
	char h[65];
	community_address_hash(c, "report", address, h);
	rc = community_limit(c, arena_printf(a, "report:a:%s", h), REPORTS_PER_ADDRESS, REPORTS_ADDRESS_WINDOW,
	                     retry_after);
	if (rc == 0 && reporter && !archive_is_moderator(reporter))
		rc = community_limit(c, arena_printf(a, "report:u:%lld", (long long)reporter->id), REPORTS_PER_ACCOUNT,
		                     REPORTS_ACCOUNT_WINDOW, retry_after);
	if (rc == Q_EBUSY) {
		*why = "You have sent as many reports as we take from one person for now. Your report was not sent; "
		       "it is still in the form. Please try again later.";
		return rc;
	}
	if (rc) {
		*why = "The report could not be saved. Please try again in a moment.";
		return Q_ERR;
	}
	struct report r = {
		.target_kind = t.kind,
		.target_id = t.id,
		.work_id = t.work_id,
		.subject_id = t.subject_id,
		.category = in->category,
		.body = archive_trim(a, body),
		.reporter_id = reporter ? reporter->id : 0,
		.reporter_email = email,
		.reported_title = t.title,
		.reported_text = kept(a, t.text),
	};
	rc = store_report_create(st, &r, id);
	*why = rc ? "The report could not be saved. Please try again in a moment."
	          : "Thank you. Your report was sent to the moderators.";
	return rc ? Q_ERR : 0;
}

int report_update(struct community *c, struct arena *a, const struct user *actor, int64_t id, int status,
                  int64_t assignee_id, const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_REPORTS)) {
		*why = "Only moderators and administrators handle reports.";
		return Q_EPERM;
	}
	if (status >= REPORT_STATUS_COUNT) {
		*why = "That is not a status a report can have.";
		return Q_EINVAL;
	}
	struct report r;
	int rc = store_report_get(st, a, id, &r);
	if (rc) {
		*why = rc == Q_ENOTFOUND ? "There is no such report." : "The report could not be loaded.";
		return rc;
	}
	struct user assignee = {0};
	if (assignee_id > 0) {
		if ((rc = store_user_get(st, a, assignee_id, &assignee)) || !archive_may(&assignee, POWER_REPORTS)) {
			*why = "Reports are assigned to moderators and administrators.";
			return rc == 0 || rc == Q_ENOTFOUND ? Q_EINVAL : rc;
		}
	}
	if ((rc = store_tx_begin(st))) {
		*why = "The archive is busy. Please try again in a moment.";
		return rc;
	}
	const char *target = arena_printf(a, "report %lld", (long long)id);
	if (status >= 0 && status != r.status)
		rc = mod_log(st, actor, MOD_REPORT_STATUS, "report", id, target, NULL, "",
		             arena_printf(a, "%s → %s", report_status_label(r.status), report_status_label(status)), id, NULL);
	if (rc == 0 && assignee_id >= 0 && assignee_id != r.assignee_id)
		rc = mod_log(st, actor, MOD_REPORT_ASSIGN, "report", id, target, NULL, "",
		             assignee_id ? arena_printf(a, "to %s", assignee.name) : "to nobody", id, NULL);
	if (rc == 0)
		rc = store_report_set(st, id, status, assignee_id);
	rc = archive_tx_end(st, rc);
	*why = rc ? "The report could not be saved. Please try again in a moment." : "The report was updated.";
	return rc;
}

int report_add_note(struct community *c, struct arena *a, const struct user *actor, int64_t id, const char *body,
                    const char **why)
{
	struct store *st = community_store(c);
	if (!archive_may(actor, POWER_REPORTS)) {
		*why = "Only moderators and administrators handle reports.";
		return Q_EPERM;
	}
	const char *b = body ? body : "";
	if (!utf8_valid(b, strlen(b)) || archive_text_invisible(b, strlen(b))) {
		*why = "Write something in the note.";
		return Q_EINVAL;
	}
	if (utf8_length(b, strlen(b)) > REPORT_NOTE_MAX) {
		*why = "A note can be at most 5,000 characters long.";
		return Q_EINVAL;
	}
	struct report_note n = {.report_id = id, .author_id = actor->id, .author_name = actor->name,
	                        .body = archive_trim(a, b)};
	int rc = store_report_note_add(st, &n, NULL);
	*why = rc == Q_ENOTFOUND ? "There is no such report." : rc ? "The note could not be saved." : "Note added.";
	return rc;
}
