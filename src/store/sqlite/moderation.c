/* SQLite backend: the audit log, hidden and deleted works, abuse reports and their notes, notices (inbox and
 * mail), and the counters every server shares. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>
#include <sys/stat.h>

/* ---- The audit log --------------------------------------------------------------------------- */

static void entry_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct mod_entry *e = item;
	e->id = sqlite3_column_int64(q, 0);
	e->created_at = sqlite3_column_int64(q, 1);
	e->actor_id = sqlite3_column_int64(q, 2);
	e->actor_name = sqls_col_text(a, q, 3);
	e->action = sqls_col_text(a, q, 4);
	e->target_kind = sqls_col_text(a, q, 5);
	e->target_id = sqlite3_column_int64(q, 6);
	e->target_name = sqls_col_text(a, q, 7);
	e->subject_id = sqlite3_column_int64(q, 8);
	e->subject_name = sqls_col_text(a, q, 9);
	e->reason = sqls_col_text(a, q, 10);
	e->detail = sqls_col_text(a, q, 11);
	e->report_id = sqlite3_column_int64(q, 12);
	e->undoes = sqlite3_column_int64(q, 13);
	e->undone_by = sqlite3_column_int64(q, 14);
}

int sqls_mod_log_add(struct store *st, const struct mod_entry *e, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!e || !e->actor_name || !e->action || !e->target_kind)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_MOD_LOG_ADD, "IIsssIsIsssII", sqls_now(), e->actor_id, e->actor_name, e->action,
	               e->target_kind, e->target_id, e->target_name, e->subject_id, e->subject_name, e->reason,
	               e->detail, e->report_id, e->undoes);
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	/* Nothing a cached page shows: the log is read by moderators only. */
	return sqls_wr_end(s, c, rc);
}

int sqls_mod_log_get(struct store *st, struct arena *a, int64_t id, struct mod_entry *out)
{
	return sqls_read_row(sqls_of(st), a, entry_from_row, out, SQL_MOD_LOG_GET, "I", id);
}

int sqls_mod_log_list(struct store *st, struct arena *a, const struct mod_log_query *mq, struct mod_entry **out,
                      size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int limit = mq->limit > 0 && mq->limit <= 200 ? mq->limit : 50;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	sqlite3_stmt *q = sqls_prep(c, SQL_MOD_LOG_LIST, "IttttIIi", mq->before_id, mq->action, mq->actor, mq->subject,
	                            mq->target_kind, mq->target_id, mq->report_id, limit);
	rc = sqls_rows(c, a, q, sizeof **out, entry_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

/* ---- Hidden and deleted works ---------------------------------------------------------------- */

int sqls_work_moderate(struct store *st, int64_t work_id, int state, const char *reason, int64_t log_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (state != 0 && state != 2 && state != 3)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t now = sqls_now(), was = 0;
	if ((rc = sqls_query_int(c, &was, SQL_WORK_STATE, "I", work_id)))
		goto done;
	if (was == 1) { /* a draft is its creators' alone: nothing to moderate */
		rc = Q_EINVAL;
		goto done;
	}
	if ((rc = sqls_exec(c, SQL_WORK_MODERATE, "Ii", work_id, state)))
		goto done;
	if (state)
		rc = sqls_exec(c, SQL_WORK_MODERATION_SET, "IisII", work_id, state, reason ? reason : "", log_id, now);
	else if ((rc = sqls_exec(c, SQL_WORK_MODERATION_DEL, "I", work_id)) == 0 && was != 0)
		rc = sqls_exec(c, SQL_WORK_MODERATION_PUBLISH, "II", work_id, now);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
done:
	return sqls_wr_end(s, c, rc);
}

static void moderation_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct work_moderation *out = item;
	out->work_id = sqlite3_column_int64(q, 0);
	out->state = sqlite3_column_int(q, 1);
	out->reason = sqls_col_text(a, q, 2);
	out->log_id = sqlite3_column_int64(q, 3);
	out->at = sqlite3_column_int64(q, 4);
}

int sqls_work_moderation_get(struct store *st, struct arena *a, int64_t work_id, struct work_moderation *out)
{
	return sqls_read_row(sqls_of(st), a, moderation_from_row, out, SQL_WORK_MODERATION_GET, "I", work_id);
}

int sqls_works_purgeable(struct store *st, struct arena *a, int64_t before, int limit, int64_t **ids, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **ids, sqls_row_id, ids, n, SQL_WORKS_PURGEABLE, "Ii", before,
	                      limit > 0 ? limit : 100);
}

int sqls_quarantine_purge(struct store *st, int64_t before, int64_t *comments, int64_t *bookmarks)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*comments = *bookmarks = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_exec(c, SQL_COMMENT_QUARANTINE_PURGE, "I", before)) == 0) {
		*comments = sqls_changes(c);
		if ((rc = sqls_exec(c, SQL_BOOKMARK_QUARANTINE_PURGE, "I", before)) == 0)
			*bookmarks = sqls_changes(c);
	}
	return sqls_wr_end(s, c, rc);
}

/* ---- Reports --------------------------------------------------------------------------------- */

static void report_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct report *r = item;
	r->id = sqlite3_column_int64(q, 0);
	r->created_at = sqlite3_column_int64(q, 1);
	r->updated_at = sqlite3_column_int64(q, 2);
	r->target_kind = sqls_col_text(a, q, 3);
	r->target_id = sqlite3_column_int64(q, 4);
	r->work_id = sqlite3_column_int64(q, 5);
	r->subject_id = sqlite3_column_int64(q, 6);
	r->subject_name = sqls_col_text(a, q, 7);
	r->category = sqls_col_text(a, q, 8);
	r->body = sqls_col_text(a, q, 9);
	r->reporter_id = sqlite3_column_int64(q, 10);
	r->reporter_name = sqls_col_text(a, q, 11);
	r->reporter_email = sqls_col_text(a, q, 12);
	r->reported_title = sqls_col_text(a, q, 13);
	r->reported_text = sqls_col_text(a, q, 14);
	r->status = sqlite3_column_int(q, 15);
	r->assignee_id = sqlite3_column_int64(q, 16);
	r->assignee_name = sqls_col_text(a, q, 17);
}

int sqls_report_create(struct store *st, const struct report *r, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!r || !r->target_kind || !r->category || !r->body)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_REPORT_INSERT, "IsIIIssIsss", sqls_now(), r->target_kind, r->target_id, r->work_id,
	               r->subject_id, r->category, r->body, r->reporter_id, r->reporter_email, r->reported_title,
	               r->reported_text);
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	return sqls_wr_end(s, c, rc);
}

int sqls_report_get(struct store *st, struct arena *a, int64_t id, struct report *out)
{
	return sqls_read_row(sqls_of(st), a, report_from_row, out, SQL_REPORT_GET, "I", id);
}

int sqls_report_list(struct store *st, struct arena *a, int status, int64_t assignee_id, int64_t before_id, int limit,
                     struct report **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	if (limit <= 0 || limit > 200)
		limit = 50;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = assignee_id > 0 ? sqls_prep(c, SQL_REPORT_LIST_ASSIGNED, "IIi", assignee_id, before_id, limit)
	                  : status >= 0   ? sqls_prep(c, SQL_REPORT_LIST, "iIi", status, before_id, limit)
	                                  : sqls_prep(c, SQL_REPORT_LIST_ALL, "iIi", 0, before_id, limit);
	void *items;
	rc = sqls_rows(c, a, q, sizeof **out, report_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_report_set(struct store *st, int64_t id, int status, int64_t assignee_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (status >= REPORT_STATUS_COUNT)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_REPORT_SET, "IiII", id, status, assignee_id, sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end(s, c, rc);
}

int sqls_report_counts(struct store *st, struct report_counts *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_REPORT_COUNTS, "");
	if (!q)
		rc = Q_ERR;
	while (q && (rc = sqls_step(c, q)) == 1) {
		int k = sqlite3_column_int(q, 0);
		if (k >= 0 && k < REPORT_STATUS_COUNT)
			out->by_status[k] = sqlite3_column_int64(q, 1);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_report_note_add(struct store *st, const struct report_note *note, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!note || !note->author_name || !note->body)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t now = sqls_now();
	rc = sqls_exec(c, SQL_REPORT_NOTE_INSERT, "IIssI", note->report_id, note->author_id, note->author_name,
	               note->body, now);
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	if (rc == 0)
		rc = sqls_exec(c, SQL_REPORT_TOUCH, "II", note->report_id, now);
	return sqls_wr_end(s, c, rc);
}

static void note_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct report_note *nt = item;
	nt->id = sqlite3_column_int64(q, 0);
	nt->report_id = sqlite3_column_int64(q, 1);
	nt->author_id = sqlite3_column_int64(q, 2);
	nt->author_name = sqls_col_text(a, q, 3);
	nt->body = sqls_col_text(a, q, 4);
	nt->created_at = sqlite3_column_int64(q, 5);
}

int sqls_report_notes(struct store *st, struct arena *a, int64_t report_id, struct report_note **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_REPORT_NOTES, "I", report_id), sizeof **out, note_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

/* ---- Notices --------------------------------------------------------------------------------- */

int sqls_notice_add(struct store *st, int64_t user_id, const char *to_addr, int64_t work_id, const char *inbox_text,
                    const char *subject, const char *body)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if ((subject && !body) || (subject && !user_id && !to_addr))
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t now = sqls_now();
	if (user_id && inbox_text)
		rc = sqls_exec(c, SQL_NOTICE_INBOX, "IIsI", user_id, work_id, inbox_text, now);
	if (rc == 0 && subject && (rc = sqls_exec(c, SQL_NOTICE_OUTBOX, "ItI", user_id, to_addr, now)) == 0)
		rc = sqls_exec(c, SQL_NOTICE_TEXT, "Iss", sqls_last_id(c), subject, body);
	/* The inbox count shows in the recipient's header only (never cached); the outbox wakes its sender. */
	return sqls_wr_end_quiet(s, c, rc);
}

/* ---- Shared counters ------------------------------------------------------------------------- */

int sqls_rate_bump(struct store *st, const char *key, int64_t period, int64_t *count)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*count = 0;
	if (!key)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, count, SQL_RATE_BUMP, "tI", key, period);
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_rate_get(struct store *st, const char *key, int64_t period, int64_t *count)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*count = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, count, SQL_RATE_GET, "tI", key ? key : "", period);
	sqls_rd_end(s, c);
	return rc == Q_ENOTFOUND ? 0 : rc;
}

int sqls_rate_purge(struct store *st, int64_t before)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_RATE_PURGE, "I", before);
	return sqls_wr_end_quiet(s, c, rc);
}

/* ---- The dashboard --------------------------------------------------------------------------- */

int sqls_site_stats(struct store *st, struct arena *a, int64_t since, struct site_stats *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SITE_STATS, "I", since);
	if ((rc = sqls_one_row(c, q)) == 0) {
		out->users = sqlite3_column_int64(q, 0);
		out->works = sqlite3_column_int64(q, 1);
		out->signups = sqlite3_column_int64(q, 2);
		out->works_posted = sqlite3_column_int64(q, 3);
		out->mail_queued = sqlite3_column_int64(q, 4);
		out->mail_failed = sqlite3_column_int64(q, 5);
		out->db_bytes = sqlite3_column_int64(q, 6);
	}
	sqls_reset(q);
	if (rc == 0) {
		q = sqls_prep(c, SQL_SITE_MAIL_ERROR, "");
		int r2 = sqls_one_row(c, q);
		if (r2 == 0) {
			out->mail_last_error = sqls_col_text(a, q, 0);
			out->mail_last_error_at = sqlite3_column_int64(q, 1);
		} else if (r2 != Q_ENOTFOUND) {
			rc = r2;
		}
		sqls_reset(q);
	}
	sqls_rd_end(s, c);
	/* The write-ahead log is part of what the database takes on disk. */
	if (rc == 0) {
		struct stat sb;
		char *wal = arena_printf(a, "%s-wal", s->path);
		if (stat(wal, &sb) == 0)
			out->db_bytes += (int64_t)sb.st_size;
	}
	return rc;
}
