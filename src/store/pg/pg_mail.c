/* PostgreSQL backend: subscriptions to works, authors and series, series lookups, mail settings, the outbox (queue,
 * claim, finish, wake-ups), single-use account mail links, password resets and e-mail confirmations. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>
#include <strings.h>

#define SUB_LIST_MAX 200

/* A subscription with its kind, target and the target's title; callers add WHERE. */
#define SUB_COLS "s.id, s.user_id," \
	" CASE WHEN s.work_id IS NOT NULL THEN 0 WHEN s.author_id IS NOT NULL THEN 1 ELSE 2 END," \
	" COALESCE(s.work_id, s.author_id, s.series_id), COALESCE(w.title, au.name, se.title), s.mail," \
	" s.created_at FROM subscriptions s LEFT JOIN works w ON w.id = s.work_id" \
	" LEFT JOIN users au ON au.id = s.author_id LEFT JOIN series se ON se.id = s.series_id"

/* Unused target columns are NULL (for the CHECK and the indexes); mail -1 is NULL (the account's choice). */
static struct pg_stmt SUB_INSERT = PG_STMT("INSERT INTO subscriptions(user_id, work_id, author_id, series_id, mail,"
	" created_at) VALUES ($1, nullif($2::bigint, 0), nullif($3::bigint, 0), nullif($4::bigint, 0),"
	" nullif($5::int, -1), $6) RETURNING id");
static struct pg_stmt SUB_GET = PG_STMT("SELECT " SUB_COLS " WHERE s.id = $1");
static struct pg_stmt SUB_FIND_WORK = PG_STMT("SELECT " SUB_COLS " WHERE s.work_id = $2 AND s.user_id = $1");
static struct pg_stmt SUB_FIND_AUTHOR = PG_STMT("SELECT " SUB_COLS " WHERE s.author_id = $2 AND s.user_id = $1");
static struct pg_stmt SUB_FIND_SERIES = PG_STMT("SELECT " SUB_COLS " WHERE s.series_id = $2 AND s.user_id = $1");
static struct pg_stmt SUB_LIST = PG_STMT("SELECT " SUB_COLS " WHERE s.user_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3");
static struct pg_stmt SUB_SET_MAIL = PG_STMT("UPDATE subscriptions SET mail = nullif($3::int, -1)"
	" WHERE id = $2 AND user_id = $1");
static struct pg_stmt SUB_DELETE = PG_STMT("DELETE FROM subscriptions WHERE id = $2 AND user_id = $1");
static struct pg_stmt SERIES_GET = PG_STMT("SELECT se.id, se.owner_id, se.title, u.name,"
	" (SELECT COUNT(*) FROM work_series ws JOIN works w ON w.id = ws.work_id"
	"  WHERE ws.series_id = se.id AND w.draft = 0)"
	" FROM series se JOIN users u ON u.id = se.owner_id WHERE se.id = $1");
static struct pg_stmt MAIL_SETTINGS_GET = PG_STMT("SELECT notify_mail, confirmed_email FROM mail_settings"
	" WHERE user_id = $1");
static struct pg_stmt MAIL_SETTINGS_NOTIFY = PG_STMT("INSERT INTO mail_settings(user_id, notify_mail) VALUES ($1, $2)"
	" ON CONFLICT (user_id) DO UPDATE SET notify_mail = excluded.notify_mail");
static struct pg_stmt MAIL_SETTINGS_CONFIRMED = PG_STMT("INSERT INTO mail_settings(user_id, confirmed_email)"
	" VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET confirmed_email = excluded.confirmed_email");

static void sub_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct subscription *out = item;
	out->id = pgs_int(r, row, 0);
	out->user_id = pgs_int(r, row, 1);
	out->kind = (enum sub_kind)pgs_int(r, row, 2);
	out->target_id = pgs_int(r, row, 3);
	out->title = pgs_text(a, r, row, 4);
	if (!out->title)
		out->title = "";
	out->mail = pgs_null(r, row, 5) ? -1 : (int)pgs_int(r, row, 5);
	out->created_at = pgs_int(r, row, 6);
}

static int sub_read(struct store *st, struct arena *a, struct subscription *out, struct pg_stmt *stmt, int64_t x,
                    int64_t y, const char *fmt)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = fmt[1] ? pgs_query(c, stmt, &rc, fmt, x, y) : pgs_query(c, stmt, &rc, fmt, x);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			sub_from_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_subscription_add(struct store *st, int64_t user_id, enum sub_kind kind, int64_t target_id, int mail,
                         int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if ((unsigned)kind >= SUB_KIND_COUNT || target_id <= 0 || mail < -1 || mail > 1)
		return Q_EINVAL;
	int64_t t[SUB_KIND_COUNT] = {0};
	t[kind] = target_id;
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		/* Already subscribed: Q_EEXIST (unique index); no such target or user: Q_ENOTFOUND (foreign key). */
		rc = pgs_query_int(c, &new_id, &SUB_INSERT, "IIIIiI", user_id, t[SUB_WORK], t[SUB_USER], t[SUB_SERIES],
		                   mail, pgs_now());
		if (rc == 0 && id)
			*id = new_id;
	}
	return rc;
}

int pgs_subscription_get(struct store *st, struct arena *a, int64_t id, struct subscription *out)
{
	return sub_read(st, a, out, &SUB_GET, id, 0, "I");
}

int pgs_subscription_find(struct store *st, struct arena *a, int64_t user_id, enum sub_kind kind, int64_t target_id,
                          struct subscription *out)
{
	static struct pg_stmt *const by_kind[SUB_KIND_COUNT] = {
		[SUB_WORK] = &SUB_FIND_WORK,
		[SUB_USER] = &SUB_FIND_AUTHOR,
		[SUB_SERIES] = &SUB_FIND_SERIES,
	};
	if ((unsigned)kind >= SUB_KIND_COUNT)
		return Q_EINVAL;
	return sub_read(st, a, out, by_kind[kind], user_id, target_id, "II");
}

int pgs_subscription_list(struct store *st, struct arena *a, int64_t user_id, int64_t after_id, int limit,
                          struct subscription **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	if (limit <= 0 || limit > SUB_LIST_MAX)
		limit = SUB_LIST_MAX;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SUB_LIST, &rc, "IIi", user_id, after_id, limit);
		rc = pgs_rows(a, r, rc, sizeof **out, sub_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_subscription_set_mail(struct store *st, int64_t user_id, int64_t id, int mail)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (mail < -1 || mail > 1)
		return Q_EINVAL;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SUB_SET_MAIL, "IIi", user_id, id, mail);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

int pgs_subscription_delete(struct store *st, int64_t user_id, int64_t id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SUB_DELETE, "II", user_id, id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

int pgs_series_get(struct store *st, struct arena *a, int64_t id, struct series_info *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	memset(out, 0, sizeof *out);
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SERIES_GET, &rc, "I", id);
		if (r && PQntuples(r) == 0) {
			rc = Q_ENOTFOUND;
		} else if (r) {
			out->id = pgs_int(r, 0, 0);
			out->owner_id = pgs_int(r, 0, 1);
			out->title = pgs_text(a, r, 0, 2);
			out->owner_name = pgs_text(a, r, 0, 3);
			out->posted_works = pgs_int(r, 0, 4);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_mail_settings_get(struct store *st, struct arena *a, int64_t user_id, struct mail_settings *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		out->notify_mail = true;
		out->confirmed_email = "";
		PGresult *r = pgs_query(c, &MAIL_SETTINGS_GET, &rc, "I", user_id);
		/* No row: the defaults, rc 0. */
		if (r && PQntuples(r) > 0) {
			out->notify_mail = pgs_int(r, 0, 0) != 0;
			out->confirmed_email = pgs_text(a, r, 0, 1);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_mail_settings_set_notify(struct store *st, int64_t user_id, bool notify_mail)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &MAIL_SETTINGS_NOTIFY, "Ii", user_id, (int)notify_mail);
	}
	return rc;
}

/* ---- The outbox --------------------------------------------------------------------------------------- */

static struct pg_stmt OUTBOX_INSERT = PG_STMT("INSERT INTO outbox(kind, user_id, to_addr, next_attempt_at, created_at)"
	" VALUES ($1, nullif($2::bigint, 0), $3, $4, $4) RETURNING id");
/* Claims of senders that are gone go back to the queue first: one whose liveness lock nobody holds (its server
 * died or closed the store: pg_shared.c) or whose lease ran out. The interrupted attempt does not count. */
static struct pg_stmt OUTBOX_TAKEOVER = PG_STMT("UPDATE outbox SET status = 'queued', claimed_by = NULL,"
	" attempts = GREATEST(attempts - 1, 0) WHERE status = 'sending' AND claimed_by IS DISTINCT FROM $1"
	" AND (claimed_by IS NULL OR claimed_until < $2 OR pg_try_advisory_xact_lock(claimed_by))");
/* Rows another server is claiming right now are skipped, not waited for. */
static struct pg_stmt OUTBOX_CLAIM = PG_STMT("UPDATE outbox SET status = 'sending', attempts = attempts + 1,"
	" claimed_by = $3, claimed_until = $4"
	" WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1"
	" ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)");
static struct pg_stmt OUTBOX_EXTEND = PG_STMT("UPDATE outbox SET claimed_until = $2"
	" WHERE status = 'sending' AND claimed_by = $1");
/* The recipient of a reset request is whoever has the typed address when the mail goes. */
static struct pg_stmt OUTBOX_CLAIMED = PG_STMT("SELECT o.id, o.kind, o.attempts, o.created_at, u.id, u.name, u.email,"
	" o.to_addr, o.subscription_id, s.id IS NOT NULL, o.work_id, w.title, w.draft = 0,"
	" (SELECT string_agg(cu.name, ', ' ORDER BY c.position) FROM work_creators c"
	"   JOIN users cu ON cu.id = c.user_id WHERE c.work_id = o.work_id AND (c.accepted = 1 OR c.position = 0)),"
	" o.chapter_id, ch.position, ch.title, o.series_id, se.title, nt.subject, nt.body,"
	" EXISTS (SELECT 1 FROM work_creators ic WHERE ic.work_id = o.work_id AND ic.user_id = o.user_id"
	"  AND ic.accepted = 0)::int"
	" FROM outbox o LEFT JOIN outbox_notices nt ON nt.outbox_id = o.id"
	" LEFT JOIN users u ON u.id = COALESCE(o.user_id,"
	"  (SELECT x.id FROM users x WHERE quire_nocase(x.email) = quire_nocase(o.to_addr) AND x.role <> 'orphan'))"
	" LEFT JOIN subscriptions s ON s.id = o.subscription_id"
	" LEFT JOIN works w ON w.id = o.work_id"
	" LEFT JOIN chapters ch ON ch.id = o.chapter_id"
	" LEFT JOIN series se ON se.id = o.series_id"
	" WHERE o.status = 'sending' AND o.claimed_by = $1 ORDER BY o.id");
/* Only this store's claims (the last parameter): another's is never touched. */
static struct pg_stmt OUTBOX_MARK_SENT = PG_STMT("UPDATE outbox SET status = 'sent', finished_at = $2, last_error = NULL,"
	" claimed_by = NULL WHERE id = $1 AND status = 'sending' AND claimed_by = $3");
static struct pg_stmt OUTBOX_MARK_RETRY = PG_STMT("UPDATE outbox SET status = 'queued', next_attempt_at = $2,"
	" last_error = $3, claimed_by = NULL WHERE id = $1 AND status = 'sending' AND claimed_by = $4");
static struct pg_stmt OUTBOX_GIVE_UP = PG_STMT("UPDATE outbox SET status = $2, finished_at = $3, last_error = $4,"
	" claimed_by = NULL WHERE id = $1 AND status = 'sending' AND claimed_by = $5");
/* This store's claims, and those of stores that are gone. The interrupted attempt does not count. */
static struct pg_stmt OUTBOX_RELEASE = PG_STMT("UPDATE outbox SET status = 'queued', claimed_by = NULL,"
	" attempts = GREATEST(attempts - 1, 0) WHERE status = 'sending' AND (claimed_by IS NULL OR claimed_by = $1"
	" OR claimed_until < $2 OR pg_try_advisory_xact_lock(claimed_by))");
static struct pg_stmt OUTBOX_NEXT_DUE = PG_STMT("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued'");
static struct pg_stmt OUTBOX_PURGE = PG_STMT("DELETE FROM outbox WHERE finished_at IS NOT NULL AND finished_at < $1");

int pgs_outbox_add(struct store *st, enum outbox_kind kind, int64_t user_id, const char *to_addr, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if ((kind != OUTBOX_PASSWORD_RESET && kind != OUTBOX_EMAIL_CONFIRM) || !to_addr || !*to_addr)
		return Q_EINVAL;
	if (kind == OUTBOX_EMAIL_CONFIRM && user_id <= 0)
		return Q_EINVAL;
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &OUTBOX_INSERT, "iItI", (int)kind, user_id > 0 ? user_id : 0, to_addr,
		                   pgs_now());
		if (rc == 0 && id)
			*id = new_id;
	}
	return rc;
}

static void item_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct outbox_item *it = item;
	it->id = pgs_int(r, row, 0);
	it->kind = (enum outbox_kind)pgs_int(r, row, 1);
	it->attempts = (int)pgs_int(r, row, 2);
	it->created_at = pgs_int(r, row, 3);
	it->user_id = pgs_int(r, row, 4);
	it->user_name = pgs_text(a, r, row, 5);
	it->user_email = pgs_text(a, r, row, 6);
	it->to_addr = pgs_text(a, r, row, 7);
	it->subscription_id = pgs_int(r, row, 8);
	it->subscription_live = pgs_int(r, row, 9) != 0;
	it->work_id = pgs_int(r, row, 10);
	it->work_title = pgs_text(a, r, row, 11);
	it->work_posted = pgs_int(r, row, 12) != 0;
	it->work_creators = pgs_text(a, r, row, 13);
	it->chapter_id = pgs_int(r, row, 14);
	it->chapter_position = (int)pgs_int(r, row, 15);
	it->chapter_title = pgs_text(a, r, row, 16);
	it->series_id = pgs_int(r, row, 17);
	it->series_title = pgs_text(a, r, row, 18);
	it->notice_subject = pgs_text(a, r, row, 19);
	it->notice_body = pgs_text(a, r, row, 20);
	it->invite_pending = pgs_int(r, row, 21) != 0;
}

int pgs_outbox_claim(struct store *st, struct arena *a, int64_t now, int max, struct outbox_item **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	if (max <= 0)
		return Q_EINVAL;
	struct outbox_item *list = NULL;
	size_t count = 0;
	/* Our claims must look alive to other servers before we make any. */
	if ((rc = pgs_locks_ensure(s)))
		return rc;
	PG_WRITE_AS(PG_UNLOCKED, s, c, rc) {
		rc = pgs_exec(c, &OUTBOX_TAKEOVER, "II", s->holder, now);
		if (rc == 0)
			rc = pgs_exec(c, &OUTBOX_CLAIM, "IiII", now, max, s->holder, now + OUTBOX_LEASE_SECONDS);
		if (rc == 0) {
			PGresult *r = pgs_query(c, &OUTBOX_CLAIMED, &rc, "I", s->holder);
			rc = pgs_rows(a, r, rc, sizeof *list, item_from_row, (void **)&list, &count);
		}
	}
	if (rc == 0) {
		*out = list;
		*n = count;
	}
	return rc;
}

int pgs_outbox_finish(struct store *st, const struct outbox_done *done, size_t n, int64_t now)
{
	static const char *const status[] = {
		[OUTBOX_SENT] = "sent", [OUTBOX_RETRY] = "queued", [OUTBOX_FAILED] = "failed", [OUTBOX_DROPPED] = "dropped",
	};
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (n && !done)
		return Q_EINVAL;
	/* After a failover, this server's claims look alive again as soon as it holds its liveness lock there. */
	pgs_locks_ensure(s);
	PG_WRITE_AS(PG_UNLOCKED, s, c, rc) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			const struct outbox_done *d = &done[i];
			switch (d->result) {
			case OUTBOX_SENT:
				rc = pgs_exec(c, &OUTBOX_MARK_SENT, "III", d->id, now, s->holder);
				break;
			case OUTBOX_RETRY:
				rc = pgs_exec(c, &OUTBOX_MARK_RETRY, "IItI", d->id, d->next_attempt_at, d->error, s->holder);
				break;
			case OUTBOX_FAILED:
			case OUTBOX_DROPPED:
				rc = pgs_exec(c, &OUTBOX_GIVE_UP, "ItItI", d->id, status[d->result], now, d->error, s->holder);
				break;
			default:
				rc = Q_EINVAL;
			}
		}
		/* The rest of this sender's claims last a while longer: it is alive and working through them. */
		if (rc == 0)
			rc = pgs_exec(c, &OUTBOX_EXTEND, "II", s->holder, now + OUTBOX_LEASE_SECONDS);
	}
	return rc;
}

int pgs_outbox_release(struct store *st)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE_AS(PG_UNLOCKED, s, c, rc) {
		rc = pgs_exec(c, &OUTBOX_RELEASE, "II", s->holder, pgs_now());
	}
	return rc;
}

int pgs_outbox_next_due(struct store *st, int64_t *at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &OUTBOX_NEXT_DUE, &rc, "");
		/* MIN over no rows is one NULL row. */
		if (r && (PQntuples(r) == 0 || pgs_null(r, 0, 0)))
			rc = Q_ENOTFOUND;
		else if (r)
			*at = pgs_int(r, 0, 0);
		PQclear(r);
	}
	return rc;
}

int pgs_outbox_purge(struct store *st, int64_t before)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &OUTBOX_PURGE, "I", before);
	}
	return rc;
}

/* The outbox's trigger marks a transaction that queued mail; the store calls fn after such a commit (pg_tx.c),
 * on the committing thread, so the sender's claim finds the rows. */
int pgs_outbox_listen(struct store *st, void (*fn)(void *arg), void *arg)
{
	struct pg *s = pgs_of(st);
	pthread_mutex_lock(&s->listen_lock);
	s->outbox_fn = fn;
	s->outbox_arg = fn ? arg : NULL;
	pthread_mutex_unlock(&s->listen_lock);
	return 0;
}

/* ---- Single-use links: password resets and e-mail confirmations ------------------------------------------- */

static struct pg_stmt MAIL_TOKEN_INSERT = PG_STMT("INSERT INTO mail_tokens(token_hash, kind, user_id, email,"
	" expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
static struct pg_stmt MAIL_TOKEN_PURGE = PG_STMT("DELETE FROM mail_tokens WHERE user_id = $1 AND expires_at <= $2");
static struct pg_stmt MAIL_TOKEN_USER = PG_STMT("SELECT u.id, u.name, u.email, u.role, u.pwhash, u.created_at, t.email"
	" FROM mail_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.kind = $2 AND t.expires_at > $3");
static struct pg_stmt MAIL_TOKENS_DELETE_USER = PG_STMT("DELETE FROM mail_tokens WHERE user_id = $1 AND kind = $2");
static struct pg_stmt USER_EMAIL_TAKEN = PG_STMT("SELECT id FROM users WHERE quire_nocase(email) = quire_nocase($1)"
	" AND id <> $2");
static struct pg_stmt USER_SET_EMAIL = PG_STMT("UPDATE users SET email = $2 WHERE id = $1");
static struct pg_stmt USER_SET_PASSWORD = PG_STMT("UPDATE users SET pwhash = $2 WHERE id = $1");
static struct pg_stmt SESSIONS_END = PG_STMT("DELETE FROM sessions WHERE user_id = $1");

int pgs_mail_token_create(struct store *st, enum mail_token_kind kind, const char *token_hash, int64_t user_id,
                          const char *email, int64_t expires_at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!token_hash || !*token_hash || !email || !*email)
		return Q_EINVAL;
	int64_t now = pgs_now();
	PG_WRITE(s, c, rc) {
		/* The account's spent links go when it gets a new one: the table stays small without a sweeper. */
		rc = pgs_exec(c, &MAIL_TOKEN_PURGE, "II", user_id, now);
		if (rc == 0)
			rc = pgs_exec(c, &MAIL_TOKEN_INSERT, "tiItII", token_hash, (int)kind, user_id, email, expires_at, now);
	}
	return rc;
}

/* The account and address of an unexpired token, on c. */
static int token_lookup(struct pgc *c, struct arena *a, enum mail_token_kind kind, const char *token_hash, int64_t now,
                        struct user *u, char **email)
{
	int rc;
	PGresult *r = pgs_query(c, &MAIL_TOKEN_USER, &rc, "tiI", token_hash, (int)kind, now);
	if (r && PQntuples(r) == 0) {
		rc = Q_ENOTFOUND;
	} else if (r) {
		memset(u, 0, sizeof *u);
		u->id = pgs_int(r, 0, 0);
		u->name = pgs_text(a, r, 0, 1);
		u->email = pgs_text(a, r, 0, 2);
		u->role = pgs_text(a, r, 0, 3);
		u->pwhash = pgs_text(a, r, 0, 4);
		u->created_at = pgs_int(r, 0, 5);
		*email = pgs_text(a, r, 0, 6);
	}
	PQclear(r);
	return rc;
}

int pgs_mail_token_user(struct store *st, struct arena *a, enum mail_token_kind kind, const char *token_hash,
                        int64_t now, struct user *out, char **email)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!token_hash)
		return Q_ENOTFOUND;
	PG_READ(s, c, rc) {
		rc = token_lookup(c, a, kind, token_hash, now, out, email);
	}
	return rc;
}

int pgs_password_reset(struct store *st, int64_t user_id, const char *token_hash, int64_t now, const char *pwhash,
                       int64_t *reset_user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!pwhash || !*pwhash)
		return Q_EINVAL;
	int64_t who = user_id;
	struct arena *a = arena_new();
	PG_WRITE(s, c, rc) {
		who = user_id;
		if (token_hash) {
			struct user u;
			char *email = NULL;
			rc = token_lookup(c, a, MAIL_TOKEN_PASSWORD_RESET, token_hash, now, &u, &email);
			if (rc == 0)
				who = u.id;
			/* The link reached the account's own address: that address is confirmed too. */
			if (rc == 0 && !strcasecmp(email, u.email))
				rc = pgs_exec(c, &MAIL_SETTINGS_CONFIRMED, "It", who, u.email);
		}
		if (rc == 0)
			rc = pgs_exec(c, &USER_SET_PASSWORD, "It", who, pwhash);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_exec(c, &MAIL_TOKENS_DELETE_USER, "Ii", who, (int)MAIL_TOKEN_PASSWORD_RESET);
		if (rc == 0)
			rc = pgs_exec(c, &SESSIONS_END, "I", who);
	}
	arena_free(a);
	if (rc == 0 && reset_user_id)
		*reset_user_id = who;
	return rc;
}

int pgs_email_confirm(struct store *st, const char *token_hash, int64_t now, int64_t *user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!token_hash)
		return Q_ENOTFOUND;
	struct arena *a = arena_new();
	struct user u = {0};
	PG_WRITE(s, c, rc) {
		char *email = NULL;
		int64_t other = 0;
		rc = token_lookup(c, a, MAIL_TOKEN_EMAIL_CONFIRM, token_hash, now, &u, &email);
		if (rc == 0) {
			rc = pgs_query_int(c, &other, &USER_EMAIL_TAKEN, "tI", email, u.id);
			/* another account took the address after the link was sent */
			rc = rc == 0 ? Q_EEXIST : rc == Q_ENOTFOUND ? 0 : rc;
		}
		if (rc == 0)
			rc = pgs_exec(c, &USER_SET_EMAIL, "It", u.id, email);
		if (rc == 0)
			rc = pgs_exec(c, &MAIL_SETTINGS_CONFIRMED, "It", u.id, email);
		if (rc == 0)
			rc = pgs_exec(c, &MAIL_TOKENS_DELETE_USER, "Ii", u.id, (int)MAIL_TOKEN_EMAIL_CONFIRM);
	}
	if (rc == 0 && user_id)
		*user_id = u.id;
	arena_free(a);
	return rc;
}
