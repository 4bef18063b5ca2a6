/* SQLite backend: the mail outbox (queue, claim, finish, wake-ups) and single-use account mail links. */
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- The outbox -------------------------------------------------------------------------------- */

int sqls_outbox_add(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if ((kind != OUTBOX_PASSWORD_RESET && kind != OUTBOX_EMAIL_CONFIRM) || !to_addr || !*to_addr)
		return Q_EINVAL;
	if (kind == OUTBOX_EMAIL_CONFIRM && user_id <= 0)
		return Q_EINVAL;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_OUTBOX_INSERT, "iItI", (int)kind, user_id, to_addr, sqls_now());
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	if (user_id <= 0)
		sqlite3_bind_null(q, 2);
	while ((rc = sqls_step(c, q)) == 1)
		;
	sqls_reset(q);
	if (rc == 0 && id)
		*id = sqls_last_id(c);
done:
	return sqls_wr_end_quiet(s, c, rc);
}

static void item_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct outbox_item *it = item;
	it->id = sqlite3_column_int64(q, 0);
	it->kind = (enum outbox_kind)sqlite3_column_int(q, 1);
	it->attempts = sqlite3_column_int(q, 2);
	it->created_at = sqlite3_column_int64(q, 3);
	it->user_id = sqlite3_column_int64(q, 4);
	it->user_name = sqls_col_text(a, q, 5);
	it->user_email = sqls_col_text(a, q, 6);
	it->to_addr = sqls_col_text(a, q, 7);
	it->subscription_id = sqlite3_column_int64(q, 8);
	it->subscription_live = sqlite3_column_int(q, 9) != 0;
	it->work_id = sqlite3_column_int64(q, 10);
	it->work_title = sqls_col_text(a, q, 11);
	it->work_posted = sqlite3_column_int(q, 12) != 0;
	it->work_creators = sqls_col_text(a, q, 13);
	it->chapter_id = sqlite3_column_int64(q, 14);
	it->chapter_position = sqlite3_column_int(q, 15);
	it->chapter_title = sqls_col_text(a, q, 16);
	it->series_id = sqlite3_column_int64(q, 17);
	it->series_title = sqls_col_text(a, q, 18);
	it->notice_subject = sqls_col_text(a, q, 19);
	it->notice_body = sqls_col_text(a, q, 20);
	it->invite_pending = sqlite3_column_int(q, 21) != 0;
}

int sqls_outbox_claim(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out,
                      size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	struct outbox_item *list = NULL;
	size_t count = 0;
	*out = NULL;
	*n = 0;
	if (max <= 0)
		return Q_EINVAL;
	int64_t me = sqls_holder(s);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_exec(c, SQL_OUTBOX_EXPIRED, "I", now)))
		goto done;
	if ((rc = sqls_exec(c, SQL_OUTBOX_CLAIM, "IiII", now, max, me, now + OUTBOX_LEASE_SECONDS)))
		goto done;
	rc = sqls_rows(c, a, sqls_prep(c, SQL_OUTBOX_CLAIMED, "I", me), sizeof *list, item_from_row, &list, &count);
done:
	rc = sqls_wr_end_quiet(s, c, rc);
	if (rc == 0) {
		*out = list;
		*n = count;
	}
	return rc;
}

int sqls_outbox_finish(struct store *st, const struct outbox_done *done, size_t n, int64_t now)
{
	static const char *const status[] = {
		[OUTBOX_SENT] = "sent", [OUTBOX_RETRY] = "queued", [OUTBOX_FAILED] = "failed", [OUTBOX_DROPPED] = "dropped",
	};
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (n && !done)
		return Q_EINVAL;
	int64_t me = sqls_holder(s);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct outbox_done *d = &done[i];
		switch (d->result) {
		case OUTBOX_SENT:
			rc = sqls_exec(c, SQL_OUTBOX_SENT, "III", d->id, now, me);
			break;
		case OUTBOX_RETRY:
			rc = sqls_exec(c, SQL_OUTBOX_RETRY, "IItI", d->id, d->next_attempt_at, d->error, me);
			break;
		case OUTBOX_FAILED:
		case OUTBOX_DROPPED:
			rc = sqls_exec(c, SQL_OUTBOX_GIVE_UP, "ItItI", d->id, status[d->result], now, d->error, me);
			break;
		default:
			rc = Q_EINVAL;
		}
	}
	/* The rest of this sender's claims last a while longer: it is alive and working through them. */
	if (rc == 0)
		rc = sqls_exec(c, SQL_OUTBOX_EXTEND, "II", me, now + OUTBOX_LEASE_SECONDS);
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_outbox_release(struct store *st)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_OUTBOX_RELEASE, "");
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_outbox_next_due(struct store *st, int64_t *at)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_OUTBOX_NEXT_DUE, "");
	/* MIN over no rows is one NULL row. */
	if ((rc = sqls_one_row(c, q)) == 0 && sqlite3_column_type(q, 0) == SQLITE_NULL)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		*at = sqlite3_column_int64(q, 0);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_outbox_purge(struct store *st, int64_t before)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_OUTBOX_PURGE, "I", before);
	return sqls_wr_end_quiet(s, c, rc);
}

/* ---- Wake-ups ---------------------------------------------------------------------------------- */

struct listener {
	void (*fn)(void *arg);
	void *arg;
};

/* SQLite calls this for every row written on the write connection, triggers' rows included: the
 * fan-out of a posted chapter wakes the sender from inside the transaction, and the sender's claim
 * then waits on the write lock until that transaction has committed. */
static void update_hook(void *p, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
	struct listener *l = p;
	(void)db;
	(void)rowid;
	if (op == SQLITE_INSERT && !strcmp(table, "outbox"))
		l->fn(l->arg);
}

int sqls_outbox_listen(struct store *st, void (*fn)(void *arg), void *arg)
{
	struct sqls *s = sqls_of(st);
	struct listener *l = NULL;
	if (fn) {
		l = xmalloc(sizeof *l);
		l->fn = fn;
		l->arg = arg;
	}
	/* The write lock: the connection may not be touched while a transaction runs on it. */
	pthread_mutex_lock(&s->wlock);
	void *old = sqlite3_update_hook(s->w->db, l ? update_hook : NULL, l);
	pthread_mutex_unlock(&s->wlock);
	free(old);
	return 0;
}

/* ---- Single-use links: password resets and e-mail confirmations --------------------------------- */

int sqls_mail_token_create(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id,
                           const char *email, int64_t expires_at)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!token_hash || !*token_hash || !email || !*email)
		return Q_EINVAL;
	int64_t now = sqls_now();
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	/* The account's spent links go when it gets a new one: the table stays small without a sweeper. */
	rc = sqls_exec(c, SQL_MAIL_TOKEN_PURGE, "II", user_id, now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_MAIL_TOKEN_INSERT, "tiItII", token_hash, (int)kind, user_id, email, expires_at, now);
	return sqls_wr_end_quiet(s, c, rc);
}

/* The account id and address of an unexpired token on c. */
static int token_lookup(struct sqls_conn *c, struct arena *a, enum mail_token_kind kind, const char *token_hash,
                        int64_t now, struct user *u, char **email)
{
	sqlite3_stmt *q = sqls_prep(c, SQL_MAIL_TOKEN_USER, "tiI", token_hash, (int)kind, now);
	int rc = sqls_one_row(c, q);
	if (rc == 0) {
		u->id = sqlite3_column_int64(q, 0);
		u->name = sqls_col_text(a, q, 1);
		u->email = sqls_col_text(a, q, 2);
		u->role = sqls_col_text(a, q, 3);
		u->pwhash = sqls_col_text(a, q, 4);
		u->created_at = sqlite3_column_int64(q, 5);
		*email = sqls_col_text(a, q, 6);
	}
	sqls_reset(q);
	return rc;
}

int sqls_mail_token_user(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash,
                         int64_t now, struct user *out, char **email)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!token_hash)
		return Q_ENOTFOUND;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = token_lookup(c, a, kind, token_hash, now, out, email);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_password_reset(struct store *st, int64_t user_id, const char *token_hash, int64_t now,
                        const char *pwhash, int64_t *reset_user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	struct arena *a = NULL;
	if (!pwhash || !*pwhash)
		return Q_EINVAL;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if (token_hash) {
		struct user u;
		char *email = NULL;
		a = arena_new();
		if ((rc = token_lookup(c, a, MAIL_TOKEN_PASSWORD_RESET, token_hash, now, &u, &email)))
			goto done;
		user_id = u.id;
		/* The link reached the account's own address: that address is confirmed too. */
		if (!strcasecmp(email, u.email) &&
		    (rc = sqls_exec(c, SQL_MAIL_SETTINGS_CONFIRMED, "It", user_id, u.email)))
			goto done;
	}
	if ((rc = sqls_exec(c, SQL_USER_SET_PASSWORD, "It", user_id, pwhash)))
		goto done;
	if (sqls_changes(c) == 0) {
		rc = Q_ENOTFOUND;
		goto done;
	}
	rc = sqls_exec(c, SQL_MAIL_TOKENS_DELETE_USER, "Ii", user_id, (int)MAIL_TOKEN_PASSWORD_RESET);
	if (rc == 0)
		rc = sqls_exec(c, SQL_SESSION_DELETE_USER, "It", user_id, NULL);
done:
	arena_free(a);
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0 && reset_user_id)
		*reset_user_id = user_id;
	return rc;
}

int sqls_email_confirm(struct store *st, const char *token_hash, int64_t now, int64_t *user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	struct user u;
	char *email = NULL;
	int64_t other = 0;
	if (!token_hash)
		return Q_ENOTFOUND;
	struct arena *a = arena_new();
	int rc = sqls_wr_begin(s, &c);
	if (rc) {
		arena_free(a);
		return rc;
	}
	if ((rc = token_lookup(c, a, MAIL_TOKEN_EMAIL_CONFIRM, token_hash, now, &u, &email)))
		goto done;
	rc = sqls_query_int(c, &other, SQL_USER_EMAIL_TAKEN, "tI", email, u.id);
	if (rc == 0) {
		rc = Q_EEXIST; /* another account took the address after the link was sent */
		goto done;
	}
	if (rc != Q_ENOTFOUND)
		goto done;
	if ((rc = sqls_exec(c, SQL_USER_SET_EMAIL, "It", u.id, email)))
		goto done;
	if ((rc = sqls_exec(c, SQL_MAIL_SETTINGS_CONFIRMED, "It", u.id, email)))
		goto done;
	rc = sqls_exec(c, SQL_MAIL_TOKENS_DELETE_USER, "Ii", u.id, (int)MAIL_TOKEN_EMAIL_CONFIRM);
done:
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0 && user_id)
		*user_id = u.id;
	arena_free(a);
	return rc;
}
