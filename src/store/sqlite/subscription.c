/* SQLite backend: subscriptions to works, authors and series, series lookups, and mail settings. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

#define SUB_LIST_MAX 200

static void sub_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct subscription *out = item;
	out->id = sqlite3_column_int64(q, 0);
	out->user_id = sqlite3_column_int64(q, 1);
	out->kind = (enum sub_kind)sqlite3_column_int(q, 2);
	out->target_id = sqlite3_column_int64(q, 3);
	out->title = sqls_col_text(a, q, 4);
	if (!out->title)
		out->title = "";
	out->mail = sqlite3_column_type(q, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 5);
	out->created_at = sqlite3_column_int64(q, 6);
}

/* One subscription read with statement id (format and arguments as sqls_prep). */
static int sub_read(struct store *st, struct arena *a, struct subscription *out, enum sql_id id,
                    const char *fmt, ...)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	va_list ap;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	va_start(ap, fmt);
	sqlite3_stmt *q = sqls_vprep(c, id, fmt, ap);
	va_end(ap);
	if ((rc = sqls_one_row(c, q)) == 0)
		sub_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_subscription_add(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail,
                          int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if ((unsigned)kind >= SUB_KIND_COUNT || target_id <= 0 || mail < -1 || mail > 1)
		return Q_EINVAL;
	int64_t t[SUB_KIND_COUNT] = {0};
	t[kind] = target_id;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	/* 't' binds NULL for NULL; the unused target columns must be NULL for the CHECK and the indexes. */
	sqlite3_stmt *q = sqls_prep(c, SQL_SUB_INSERT, "IIIIII", user_id, t[SUB_WORK], t[SUB_USER], t[SUB_SERIES],
	                            (int64_t)mail, sqls_now());
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	for (int i = 0; i < SUB_KIND_COUNT; i++)
		if (i != (int)kind)
			sqlite3_bind_null(q, 2 + i);
	if (mail < 0)
		sqlite3_bind_null(q, 5);
	while ((rc = sqls_step(c, q)) == 1)
		;
	sqls_reset(q);
	/* Already subscribed: Q_EEXIST (unique index); no such target or user: Q_ENOTFOUND (foreign key). */
	if (rc == 0 && id)
		*id = sqls_last_id(c);
done:
	return sqls_wr_end(s, c, rc);
}

int sqls_subscription_get(struct store *st, struct arena *a, int64_t id, struct subscription *out)
{
	return sub_read(st, a, out, SQL_SUB_GET, "I", id);
}

int sqls_subscription_find(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind,
                           int64_t target_id, struct subscription *out)
{
	static const enum sql_id by_kind[SUB_KIND_COUNT] = {
		[SUB_WORK] = SQL_SUB_FIND_WORK,
		[SUB_USER] = SQL_SUB_FIND_AUTHOR,
		[SUB_SERIES] = SQL_SUB_FIND_SERIES,
	};
	if ((unsigned)kind >= SUB_KIND_COUNT)
		return Q_EINVAL;
	return sub_read(st, a, out, by_kind[kind], "II", user_id, target_id);
}

int sqls_subscription_list(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit,
                           struct subscription **out, size_t *n)
{
	if (limit <= 0 || limit > SUB_LIST_MAX)
		limit = SUB_LIST_MAX;
	return sqls_read_rows(sqls_of(st), a, sizeof **out, sub_from_row, out, n, SQL_SUB_LIST, "IIi", user_id, after_id,
	                      limit);
}

int sqls_subscription_set_mail(struct store *st, int64_t user_id, int64_t id, int mail)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (mail < -1 || mail > 1)
		return Q_EINVAL;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SUB_SET_MAIL, "III", user_id, id, (int64_t)mail);
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	if (mail < 0)
		sqlite3_bind_null(q, 3);
	while ((rc = sqls_step(c, q)) == 1)
		;
	sqls_reset(q);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
done:
	return sqls_wr_end(s, c, rc);
}

int sqls_subscription_delete(struct store *st, int64_t user_id, int64_t id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SUB_DELETE, "II", user_id, id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end(s, c, rc);
}

int sqls_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_SERIES_GET, "I", id);
	if ((rc = sqls_one_row(c, q)) == 0) {
		out->id = sqlite3_column_int64(q, 0);
		out->owner_id = sqlite3_column_int64(q, 1);
		out->title = sqls_col_text(a, q, 2);
		out->owner_name = sqls_col_text(a, q, 3);
		out->posted_works = sqlite3_column_int64(q, 4);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_mail_settings_get(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	out->notify_mail = true;
	out->confirmed_email = "";
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_MAIL_SETTINGS_GET, "I", user_id);
	if (!q) {
		rc = Q_ERR;
	} else if ((rc = sqls_step(c, q)) == 1) {
		out->notify_mail = sqlite3_column_int(q, 0) != 0;
		out->confirmed_email = sqls_col_text(a, q, 1);
		rc = 0;
	}
	/* No row: the defaults, rc 0. */
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_mail_settings_set_notify(struct store *st, int64_t user_id, bool notify_mail)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_MAIL_SETTINGS_NOTIFY, "Ii", user_id, (int)notify_mail);
	return sqls_wr_end(s, c, rc);
}
