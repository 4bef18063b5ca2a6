/* SQLite backend: the spam queue (held comments and sign-ups), addresses that sent spam, the sign-up blocklist,
 * and removing every comment of a spamming account at once. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

#define SPAM_ADDRESS_DAYS 30 /* an address that sent spam counts as one for this long */

static void item_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct spam_item *it = item;
	it->id = sqlite3_column_int64(q, 0);
	it->created_at = sqlite3_column_int64(q, 1);
	it->kind = sqls_col_text(a, q, 2);
	it->score = sqlite3_column_int(q, 3);
	it->reasons = sqls_col_text(a, q, 4);
	it->address_hash = sqls_col_text(a, q, 5);
	it->status = sqlite3_column_int(q, 6);
	it->work_id = sqlite3_column_int64(q, 7);
	it->chapter_id = sqlite3_column_int64(q, 8);
	it->parent_id = sqlite3_column_int64(q, 9);
	it->user_id = sqlite3_column_int64(q, 10);
	it->work_title = sqls_col_text(a, q, 11);
	it->user_name = sqls_col_text(a, q, 12);
	it->guest_name = sqls_col_text(a, q, 13);
	it->guest_email = sqls_col_text(a, q, 14);
	it->body = sqls_col_text(a, q, 15);
	it->body_html = sqls_col_text(a, q, 16);
	it->name = sqls_col_text(a, q, 17);
	it->email = sqls_col_text(a, q, 18);
	it->pwhash = sqls_col_text(a, q, 19);
	it->policy_version = sqlite3_column_int64(q, 20);
	it->decided_by = sqls_col_text(a, q, 21);
	it->decided_at = sqlite3_column_int64(q, 22);
}

int sqls_spam_hold(struct store *st, const struct spam_item *it, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!it || !it->kind || !it->reasons || !it->address_hash)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SPAM_INSERT, "sIistIIIIttssttsI", it->kind, sqls_now(), it->score, it->reasons,
	               it->address_hash, it->work_id, it->chapter_id, it->parent_id, it->user_id, it->guest_name,
	               it->guest_email, it->body ? it->body : "", it->body_html ? it->body_html : "", it->name, it->email,
	               it->pwhash, it->policy_version);
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	/* Nothing public changes: that is the point. */
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_spam_get(struct store *st, struct arena *a, int64_t id, struct spam_item *out)
{
	return sqls_read_row(sqls_of(st), a, item_from_row, out, SQL_SPAM_GET, "I", id);
}

int sqls_spam_list(struct store *st, struct arena *a, int status, int64_t before_id, int limit, struct spam_item **out,
                   size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_SPAM_LIST, "iIi", status, before_id, limit > 0 && limit <= 500 ? limit : 100),
	               sizeof **out, item_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_spam_held_count(struct store *st, int64_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, n, SQL_SPAM_HELD_COUNT, "");
	sqls_rd_end(s, c);
	return rc;
}

int sqls_spam_decide(struct store *st, int64_t id, int status, const char *by)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (status != SPAM_SPAM && status != SPAM_HAM)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	int64_t there = 0;
	rc = sqls_exec(c, SQL_SPAM_DECIDE, "IisI", id, status, by ? by : "", sqls_now());
	if (rc == 0 && sqls_changes(c) == 0)
		rc = sqls_query_int(c, &there, SQL_SPAM_EXISTS, "I", id) == 0 ? Q_EEXIST : Q_ENOTFOUND;
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_spam_address_mark(struct store *st, const char *address_hash)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SPAM_ADDRESS_MARK, "sI", address_hash ? address_hash : "", sqls_now());
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_spam_address_known(struct store *st, const char *address_hash, bool *known)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t v = 0;
	*known = false;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, &v, SQL_SPAM_ADDRESS_KNOWN, "sI", address_hash ? address_hash : "",
	                    sqls_now() - (int64_t)SPAM_ADDRESS_DAYS * 86400);
	sqls_rd_end(s, c);
	*known = v != 0;
	return rc;
}

int sqls_spam_block_add(struct store *st, const char *pattern, const char *by)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!pattern || !*pattern)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SPAM_BLOCK_ADD, "ssI", pattern, by ? by : "", sqls_now());
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_spam_block_remove(struct store *st, const char *pattern)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_SPAM_BLOCK_REMOVE, "s", pattern ? pattern : "");
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end_quiet(s, c, rc);
}

static void pattern_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	*(const char **)item = sqls_col_text(a, q, 0);
}

int sqls_spam_block_list(struct store *st, struct arena *a, const char ***out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_SPAM_BLOCK_LIST, ""), sizeof **out, pattern_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}

int sqls_spam_blocked(struct store *st, const char *email, bool *blocked)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*blocked = false;
	if (!email)
		return 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	/* The address itself, then its domain and every parent domain ("mail.spam.example" is under "spam.example"). */
	const char *at = strchr(email, '@');
	int64_t v = 0;
	rc = sqls_query_int(c, &v, SQL_SPAM_BLOCKED, "s", email);
	for (const char *d = at ? at + 1 : NULL; rc == 0 && !v && d && *d;) {
		rc = sqls_query_int(c, &v, SQL_SPAM_BLOCKED, "s", d);
		d = strchr(d, '.');
		if (d)
			d++;
	}
	sqls_rd_end(s, c);
	*blocked = v != 0;
	return rc;
}

int sqls_comments_remove_by_user(struct store *st, int64_t user_id, int64_t log_id, int64_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*n = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	/* The works whose pages show them change: noted before the comments go. */
	sqlite3_stmt *q = sqls_prep(c, SQL_COMMENTS_WORKS_OF_USER, "I", user_id);
	if (!q)
		rc = Q_ERR;
	while (q && (rc = sqls_step(c, q)) == 1)
		sqls_note(s, STORE_CHANGE_WORK, sqlite3_column_int64(q, 0));
	sqls_reset(q);
	if (rc == 0)
		rc = sqls_exec(c, SQL_COMMENTS_QUARANTINE_USER, "II", user_id, log_id);
	if (rc == 0 && (rc = sqls_exec(c, SQL_COMMENTS_REMOVE_USER, "I", user_id)) == 0)
		*n = sqls_changes(c);
	return sqls_wr_end(s, c, rc);
}
