/* PostgreSQL backend: the audit log, hidden and deleted works (and purging them), abuse reports and their notes,
 * notices (inbox and mail), the counters every server shares, the dashboard's numbers. As sqlite/moderation.c. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

#define MOD_LOG_COLS "l.id, l.created_at, coalesce(l.actor_id, 0), l.actor_name, l.action, l.target_kind," \
	" l.target_id, l.target_name, coalesce(l.subject_id, 0), l.subject_name, l.reason, l.detail," \
	" coalesce(l.report_id, 0), coalesce(l.undoes, 0), coalesce((SELECT u.id FROM mod_log u WHERE u.undoes = l.id), 0)"
#define REPORT_COLS "r.id, r.created_at, r.updated_at, r.target_kind, r.target_id, coalesce(r.work_id, 0)," \
	" coalesce(r.subject_id, 0), su.name, r.category, r.body, coalesce(r.reporter_id, 0), ru.name, r.reporter_email," \
	" r.reported_title, r.reported_text, r.status, coalesce(r.assignee_id, 0), au.name" \
	" FROM reports r LEFT JOIN users su ON su.id = r.subject_id LEFT JOIN users ru ON ru.id = r.reporter_id" \
	" LEFT JOIN users au ON au.id = r.assignee_id"

static struct pg_stmt MOD_LOG_ADD = PG_STMT("INSERT INTO mod_log(created_at, actor_id, actor_name, action, target_kind,"
	" target_id, target_name, subject_id, subject_name, reason, detail, report_id, undoes)"
	" VALUES ($1, NULLIF($2::bigint, 0), $3, $4, $5, $6, $7, NULLIF($8::bigint, 0), $9, $10, $11,"
	" NULLIF($12::bigint, 0), NULLIF($13::bigint, 0)) RETURNING id");
static struct pg_stmt MOD_LOG_GET = PG_STMT("SELECT " MOD_LOG_COLS " FROM mod_log l WHERE l.id = $1");
static struct pg_stmt MOD_LOG_LIST = PG_STMT("SELECT " MOD_LOG_COLS " FROM mod_log l WHERE ($1::bigint = 0 OR l.id < $1)"
	" AND ($2::text IS NULL OR l.action = $2) AND ($3::text IS NULL OR quire_nocase(l.actor_name) = quire_nocase($3))"
	" AND ($4::text IS NULL OR quire_nocase(l.subject_name) = quire_nocase($4))"
	" AND ($5::text IS NULL OR l.target_kind = $5) AND ($6::bigint = 0 OR l.target_id = $6)"
	" AND ($7::bigint = 0 OR l.report_id = $7) ORDER BY l.id DESC LIMIT $8");

static struct pg_stmt WORK_STATE = PG_STMT("SELECT draft FROM works WHERE id = $1");
static struct pg_stmt WORK_MODERATE = PG_STMT("UPDATE works SET draft = $2 WHERE id = $1 AND draft IN (0, 2, 3)");
static struct pg_stmt WORK_MODERATION_SET = PG_STMT("INSERT INTO work_moderation(work_id, state, reason, log_id, at)"
	" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (work_id) DO UPDATE SET state = excluded.state,"
	" reason = excluded.reason, log_id = excluded.log_id, at = excluded.at");
static struct pg_stmt WORK_MODERATION_DEL = PG_STMT("DELETE FROM work_moderation WHERE work_id = $1");
static struct pg_stmt WORK_MODERATION_GET = PG_STMT("SELECT work_id, state, reason, log_id, at FROM work_moderation"
	" WHERE work_id = $1");
/* Chapters added while a work was hidden are published when it is shown again. */
static struct pg_stmt WORK_MODERATION_PUBLISH = PG_STMT("UPDATE chapters SET published_at = $2"
	" WHERE work_id = $1 AND published_at = 0");
static struct pg_stmt WORKS_PURGEABLE = PG_STMT("SELECT work_id FROM work_moderation WHERE state = 3 AND at < $1"
	" ORDER BY at LIMIT $2");
static struct pg_stmt COMMENT_QUARANTINE_PURGE = PG_STMT("DELETE FROM comment_quarantine WHERE log_id IN"
	" (SELECT id FROM mod_log WHERE created_at < $1)");
static struct pg_stmt BOOKMARK_QUARANTINE_PURGE = PG_STMT("DELETE FROM bookmark_quarantine WHERE log_id IN"
	" (SELECT id FROM mod_log WHERE created_at < $1)");

static struct pg_stmt REPORT_INSERT = PG_STMT("INSERT INTO reports(created_at, updated_at, target_kind, target_id,"
	" work_id, subject_id, category, body, reporter_id, reporter_email, reported_title, reported_text, status)"
	" VALUES ($1, $1, $2, $3, NULLIF($4::bigint, 0), NULLIF($5::bigint, 0), $6, $7, NULLIF($8::bigint, 0), $9, $10,"
	" $11, 0) RETURNING id");
static struct pg_stmt REPORT_GET = PG_STMT("SELECT " REPORT_COLS " WHERE r.id = $1");
static struct pg_stmt REPORT_LIST = PG_STMT("SELECT " REPORT_COLS " WHERE r.status = $1 AND ($2::bigint = 0 OR r.id < $2)"
	" ORDER BY r.id DESC LIMIT $3");
static struct pg_stmt REPORT_LIST_ALL = PG_STMT("SELECT " REPORT_COLS " WHERE ($1::bigint = 0 OR r.id < $1)"
	" ORDER BY r.id DESC LIMIT $2");
static struct pg_stmt REPORT_LIST_ASSIGNED = PG_STMT("SELECT " REPORT_COLS " WHERE r.assignee_id = $1"
	" AND ($2::bigint = 0 OR r.id < $2) ORDER BY r.id DESC LIMIT $3");
static struct pg_stmt REPORT_SET = PG_STMT("UPDATE reports SET status = CASE WHEN $2::int < 0 THEN status ELSE $2 END,"
	" assignee_id = CASE WHEN $3::bigint < 0 THEN assignee_id ELSE NULLIF($3::bigint, 0) END, updated_at = $4"
	" WHERE id = $1");
static struct pg_stmt REPORT_COUNTS = PG_STMT("SELECT status, COUNT(*) FROM reports GROUP BY status");
static struct pg_stmt REPORT_NOTE_INSERT = PG_STMT("INSERT INTO report_notes(report_id, author_id, author_name, body,"
	" created_at) VALUES ($1, NULLIF($2::bigint, 0), $3, $4, $5) RETURNING id");
static struct pg_stmt REPORT_NOTES = PG_STMT("SELECT id, report_id, coalesce(author_id, 0), author_name, body,"
	" created_at FROM report_notes WHERE report_id = $1 ORDER BY id LIMIT 500");
static struct pg_stmt REPORT_TOUCH = PG_STMT("UPDATE reports SET updated_at = $2 WHERE id = $1");

static struct pg_stmt NOTICE_INBOX = PG_STMT("INSERT INTO inbox(user_id, kind, work_id, body, read, created_at)"
	" VALUES ($1, 'notice', NULLIF($2::bigint, 0), $3, 0, $4)");
static struct pg_stmt NOTICE_OUTBOX = PG_STMT("INSERT INTO outbox(kind, user_id, to_addr, next_attempt_at, created_at)"
	" VALUES (5, NULLIF($1::bigint, 0), $2, $3, $3) RETURNING id");
static struct pg_stmt NOTICE_TEXT = PG_STMT("INSERT INTO outbox_notices(outbox_id, subject, body) VALUES ($1, $2, $3)");

static struct pg_stmt RATE_BUMP = PG_STMT("INSERT INTO rate_counts(key, period, count) VALUES ($1, $2, 1)"
	" ON CONFLICT (key, period) DO UPDATE SET count = rate_counts.count + 1 RETURNING count");
static struct pg_stmt RATE_GET = PG_STMT("SELECT count FROM rate_counts WHERE key = $1 AND period = $2");
static struct pg_stmt RATE_PURGE = PG_STMT("DELETE FROM rate_counts WHERE period < $1");

static struct pg_stmt SITE_STATS = PG_STMT("SELECT (SELECT COUNT(*) FROM users WHERE role <> 'orphan'),"
	" (SELECT value FROM counters WHERE name = 'works_posted'),"
	" (SELECT COUNT(*) FROM users WHERE created_at >= $1 AND role <> 'orphan'),"
	" (SELECT COUNT(*) FROM works WHERE draft = 0 AND published_at >= $1),"
	" (SELECT COUNT(*) FROM outbox WHERE status = 'queued'),"
	" (SELECT COUNT(*) FROM outbox WHERE status = 'failed'),"
	" pg_database_size(current_database())");
static struct pg_stmt SITE_MAIL_ERROR = PG_STMT("SELECT last_error, coalesce(finished_at, next_attempt_at) FROM outbox"
	" WHERE status IN ('queued', 'failed') AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1");

/* ---- The audit log --------------------------------------------------------------------------- */

static void entry_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct mod_entry *e = item;
	e->id = pgs_int(r, row, 0);
	e->created_at = pgs_int(r, row, 1);
	e->actor_id = pgs_int(r, row, 2);
	e->actor_name = pgs_text(a, r, row, 3);
	e->action = pgs_text(a, r, row, 4);
	e->target_kind = pgs_text(a, r, row, 5);
	e->target_id = pgs_int(r, row, 6);
	e->target_name = pgs_text(a, r, row, 7);
	e->subject_id = pgs_int(r, row, 8);
	e->subject_name = pgs_text(a, r, row, 9);
	e->reason = pgs_text(a, r, row, 10);
	e->detail = pgs_text(a, r, row, 11);
	e->report_id = pgs_int(r, row, 12);
	e->undoes = pgs_int(r, row, 13);
	e->undone_by = pgs_int(r, row, 14);
}

/* One row of st into out with fn; Q_ENOTFOUND when there is none. */
static int one_row(struct pgc *c, struct arena *a, pgs_row_fn *fn, void *out, struct pg_stmt *st, const char *fmt, ...)
{
	int rc = 0;
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pgs_vquery(c, st, &rc, fmt, ap);
	va_end(ap);
	if (r && PQntuples(r) == 0)
		rc = Q_ENOTFOUND;
	else if (r)
		fn(a, r, 0, out);
	PQclear(r);
	return rc;
}

int pgs_mod_log_add(struct store *st, const struct mod_entry *e, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!e || !e->actor_name || !e->action || !e->target_kind)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &MOD_LOG_ADD, "IIsssIsIsssII", pgs_now(), e->actor_id, e->actor_name,
		                   e->action, e->target_kind, e->target_id, e->target_name, e->subject_id, e->subject_name,
		                   e->reason, e->detail, e->report_id, e->undoes);
		if (rc == 0 && id)
			*id = new_id;
	}
	/* Nothing a cached page shows: the log is read by moderators only. */
	return rc;
}

int pgs_mod_log_get(struct store *st, struct arena *a, int64_t id, struct mod_entry *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, entry_from_row, out, &MOD_LOG_GET, "I", id);
	}
	return rc;
}

int pgs_mod_log_list(struct store *st, struct arena *a, const struct mod_log_query *mq, struct mod_entry **out,
                     size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	int limit = mq->limit > 0 && mq->limit <= 200 ? mq->limit : 50;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &MOD_LOG_LIST, &rc, "IttttIIi", mq->before_id, mq->action, mq->actor,
		                        mq->subject, mq->target_kind, mq->target_id, mq->report_id, limit);
		rc = pgs_rows(a, r, rc, sizeof **out, entry_from_row, (void **)out, n);
	}
	return rc;
}

/* ---- Hidden and deleted works ---------------------------------------------------------------- */

int pgs_work_moderate(struct store *st, int64_t work_id, int state, const char *reason, int64_t log_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (state != 0 && state != 2 && state != 3)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t now = pgs_now(), was = 0;
		rc = pgs_query_int(c, &was, &WORK_STATE, "I", work_id);
		if (rc == 0 && was == 1)
			rc = Q_EINVAL; /* a draft is its creators' alone: nothing to moderate */
		if (rc == 0)
			rc = pgs_exec(c, &WORK_MODERATE, "Ii", work_id, state);
		if (rc == 0 && state)
			rc = pgs_exec(c, &WORK_MODERATION_SET, "IisII", work_id, state, reason ? reason : "", log_id, now);
		else if (rc == 0 && (rc = pgs_exec(c, &WORK_MODERATION_DEL, "I", work_id)) == 0 && was != 0)
			rc = pgs_exec(c, &WORK_MODERATION_PUBLISH, "II", work_id, now);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

static void moderation_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct work_moderation *m = item;
	m->work_id = pgs_int(r, row, 0);
	m->state = (int)pgs_int(r, row, 1);
	m->reason = pgs_text(a, r, row, 2);
	m->log_id = pgs_int(r, row, 3);
	m->at = pgs_int(r, row, 4);
}

int pgs_work_moderation_get(struct store *st, struct arena *a, int64_t work_id, struct work_moderation *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, moderation_from_row, out, &WORK_MODERATION_GET, "I", work_id);
	}
	return rc;
}

static void id_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	(void)a;
	*(int64_t *)item = pgs_int(r, row, 0);
}

int pgs_works_purgeable(struct store *st, struct arena *a, int64_t before, int limit, int64_t **ids, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*ids = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &WORKS_PURGEABLE, &rc, "Ii", before, limit > 0 ? limit : 100);
		rc = pgs_rows(a, r, rc, sizeof **ids, id_from_row, (void **)ids, n);
	}
	return rc;
}

int pgs_quarantine_purge(struct store *st, int64_t before, int64_t *comments, int64_t *bookmarks)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*comments = *bookmarks = 0;
	PG_WRITE(s, c, rc) {
		if ((rc = pgs_exec(c, &COMMENT_QUARANTINE_PURGE, "I", before)) == 0) {
			*comments = c->changes;
			if ((rc = pgs_exec(c, &BOOKMARK_QUARANTINE_PURGE, "I", before)) == 0)
				*bookmarks = c->changes;
		}
	}
	return rc;
}

/* ---- Reports --------------------------------------------------------------------------------- */

static void report_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct report *x = item;
	x->id = pgs_int(r, row, 0);
	x->created_at = pgs_int(r, row, 1);
	x->updated_at = pgs_int(r, row, 2);
	x->target_kind = pgs_text(a, r, row, 3);
	x->target_id = pgs_int(r, row, 4);
	x->work_id = pgs_int(r, row, 5);
	x->subject_id = pgs_int(r, row, 6);
	x->subject_name = pgs_text(a, r, row, 7);
	x->category = pgs_text(a, r, row, 8);
	x->body = pgs_text(a, r, row, 9);
	x->reporter_id = pgs_int(r, row, 10);
	x->reporter_name = pgs_text(a, r, row, 11);
	x->reporter_email = pgs_text(a, r, row, 12);
	x->reported_title = pgs_text(a, r, row, 13);
	x->reported_text = pgs_text(a, r, row, 14);
	x->status = (int)pgs_int(r, row, 15);
	x->assignee_id = pgs_int(r, row, 16);
	x->assignee_name = pgs_text(a, r, row, 17);
}

int pgs_report_create(struct store *st, const struct report *r, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!r || !r->target_kind || !r->category || !r->body)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &REPORT_INSERT, "IsIIIssIsss", pgs_now(), r->target_kind, r->target_id,
		                   r->work_id, r->subject_id, r->category, r->body, r->reporter_id, r->reporter_email,
		                   r->reported_title, r->reported_text);
		if (rc == 0 && id)
			*id = new_id;
	}
	return rc;
}

int pgs_report_get(struct store *st, struct arena *a, int64_t id, struct report *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = one_row(c, a, report_from_row, out, &REPORT_GET, "I", id);
	}
	return rc;
}

int pgs_report_list(struct store *st, struct arena *a, int status, int64_t assignee_id, int64_t before_id, int limit,
                    struct report **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	if (limit <= 0 || limit > 200)
		limit = 50;
	PG_READ(s, c, rc) {
		PGresult *r = assignee_id > 0 ? pgs_query(c, &REPORT_LIST_ASSIGNED, &rc, "IIi", assignee_id, before_id, limit)
		              : status >= 0   ? pgs_query(c, &REPORT_LIST, &rc, "iIi", status, before_id, limit)
		                              : pgs_query(c, &REPORT_LIST_ALL, &rc, "Ii", before_id, limit);
		rc = pgs_rows(a, r, rc, sizeof **out, report_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_report_set(struct store *st, int64_t id, int status, int64_t assignee_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (status >= REPORT_STATUS_COUNT)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &REPORT_SET, "IiII", id, status, assignee_id, pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

int pgs_report_counts(struct store *st, struct report_counts *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		memset(out, 0, sizeof *out);
		PGresult *r = pgs_query(c, &REPORT_COUNTS, &rc, "");
		for (int i = 0; r && i < PQntuples(r); i++) {
			int64_t k = pgs_int(r, i, 0);
			if (k >= 0 && k < REPORT_STATUS_COUNT)
				out->by_status[k] = pgs_int(r, i, 1);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_report_note_add(struct store *st, const struct report_note *note, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!note || !note->author_name || !note->body)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t now = pgs_now(), new_id = 0;
		rc = pgs_query_int(c, &new_id, &REPORT_NOTE_INSERT, "IIssI", note->report_id, note->author_id,
		                   note->author_name, note->body, now);
		if (rc == 0 && id)
			*id = new_id;
		if (rc == 0)
			rc = pgs_exec(c, &REPORT_TOUCH, "II", note->report_id, now);
	}
	return rc;
}

static void note_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct report_note *nt = item;
	nt->id = pgs_int(r, row, 0);
	nt->report_id = pgs_int(r, row, 1);
	nt->author_id = pgs_int(r, row, 2);
	nt->author_name = pgs_text(a, r, row, 3);
	nt->body = pgs_text(a, r, row, 4);
	nt->created_at = pgs_int(r, row, 5);
}

int pgs_report_notes(struct store *st, struct arena *a, int64_t report_id, struct report_note **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &REPORT_NOTES, &rc, "I", report_id);
		rc = pgs_rows(a, r, rc, sizeof **out, note_from_row, (void **)out, n);
	}
	return rc;
}

/* ---- Notices --------------------------------------------------------------------------------- */

int pgs_notice_add(struct store *st, int64_t user_id, const char *to_addr, int64_t work_id, const char *inbox_text,
                   const char *subject, const char *body)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if ((subject && !body) || (subject && !user_id && !to_addr))
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t now = pgs_now(), oid = 0;
		rc = 0;
		if (user_id && inbox_text)
			rc = pgs_exec(c, &NOTICE_INBOX, "IIsI", user_id, work_id, inbox_text, now);
		if (rc == 0 && subject && (rc = pgs_query_int(c, &oid, &NOTICE_OUTBOX, "ItI", user_id, to_addr, now)) == 0)
			rc = pgs_exec(c, &NOTICE_TEXT, "Iss", oid, subject, body);
	}
	/* The inbox count shows in the recipient's header only (never cached); the outbox wakes its sender. */
	return rc;
}

/* ---- Shared counters ------------------------------------------------------------------------- */

int pgs_rate_bump(struct store *st, const char *key, int64_t period, int64_t *count)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*count = 0;
	if (!key)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_query_int(c, count, &RATE_BUMP, "tI", key, period);
	}
	return rc;
}

int pgs_rate_get(struct store *st, const char *key, int64_t period, int64_t *count)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*count = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, count, &RATE_GET, "tI", key ? key : "", period);
	}
	return rc == Q_ENOTFOUND ? 0 : rc;
}

int pgs_rate_purge(struct store *st, int64_t before)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &RATE_PURGE, "I", before);
	}
	return rc;
}

/* ---- The dashboard --------------------------------------------------------------------------- */

int pgs_site_stats(struct store *st, struct arena *a, int64_t since, struct site_stats *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		memset(out, 0, sizeof *out);
		PGresult *r = pgs_query(c, &SITE_STATS, &rc, "I", since);
		if (r && PQntuples(r) == 1) {
			out->users = pgs_int(r, 0, 0);
			out->works = pgs_int(r, 0, 1);
			out->signups = pgs_int(r, 0, 2);
			out->works_posted = pgs_int(r, 0, 3);
			out->mail_queued = pgs_int(r, 0, 4);
			out->mail_failed = pgs_int(r, 0, 5);
			out->db_bytes = pgs_int(r, 0, 6);
		}
		PQclear(r);
		if (rc == 0) {
			r = pgs_query(c, &SITE_MAIL_ERROR, &rc, "");
			if (r && PQntuples(r) == 1) {
				out->mail_last_error = pgs_text(a, r, 0, 0);
				out->mail_last_error_at = pgs_int(r, 0, 1);
			}
			PQclear(r);
		}
	}
	return rc;
}
