/* PostgreSQL backend: the spam queue (held comments and sign-ups), addresses that sent spam, the sign-up blocklist,
 * removing every comment of a spamming account at once, and who creates a work with whom. As sqlite/spam.c and
 * sqlite/cocreators.c. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

#define SPAM_ADDRESS_DAYS 30 /* an address that sent spam counts as one for this long */

#define SPAM_COLS "q.id, q.created_at, q.kind, q.score, q.reasons, q.address_hash, q.status, coalesce(q.work_id, 0)," \
	" coalesce(q.chapter_id, 0), coalesce(q.parent_id, 0), coalesce(q.user_id, 0), w.title, u.name, q.guest_name," \
	" q.guest_email, q.body, q.body_html, q.name, q.email, q.pwhash, q.policy_version, q.decided_by," \
	" coalesce(q.decided_at, 0) FROM spam_queue q LEFT JOIN works w ON w.id = q.work_id" \
	" LEFT JOIN users u ON u.id = q.user_id"

static struct pg_stmt SPAM_INSERT = PG_STMT("INSERT INTO spam_queue(kind, created_at, score, reasons, address_hash,"
	" work_id, chapter_id, parent_id, user_id, guest_name, guest_email, body, body_html, name, email, pwhash,"
	" policy_version) VALUES ($1, $2, $3, $4, $5, NULLIF($6::bigint, 0), NULLIF($7::bigint, 0), NULLIF($8::bigint, 0),"
	" NULLIF($9::bigint, 0), $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id");
static struct pg_stmt SPAM_GET = PG_STMT("SELECT " SPAM_COLS " WHERE q.id = $1");
static struct pg_stmt SPAM_LIST = PG_STMT("SELECT " SPAM_COLS " WHERE q.status = $1 AND ($2::bigint = 0 OR q.id < $2)"
	" ORDER BY q.id DESC LIMIT $3");
static struct pg_stmt SPAM_HELD_COUNT = PG_STMT("SELECT COUNT(*) FROM spam_queue WHERE status = 0");
static struct pg_stmt SPAM_DECIDE = PG_STMT("UPDATE spam_queue SET status = $2, decided_by = $3, decided_at = $4,"
	" pwhash = CASE WHEN $2 = 1 THEN NULL ELSE pwhash END WHERE id = $1 AND status = 0");
static struct pg_stmt SPAM_EXISTS = PG_STMT("SELECT 1 FROM spam_queue WHERE id = $1");
static struct pg_stmt SPAM_ADDRESS_MARK = PG_STMT("INSERT INTO spam_addresses(address_hash, marked_at) VALUES ($1, $2)"
	" ON CONFLICT (address_hash) DO UPDATE SET marked_at = excluded.marked_at");
static struct pg_stmt SPAM_ADDRESS_KNOWN = PG_STMT("SELECT EXISTS (SELECT 1 FROM spam_addresses WHERE address_hash = $1"
	" AND marked_at > $2)::int");
static struct pg_stmt SPAM_BLOCK_ADD = PG_STMT("INSERT INTO spam_blocklist(pattern, added_by, added_at) VALUES ($1, $2, $3)");
static struct pg_stmt SPAM_BLOCK_REMOVE = PG_STMT("DELETE FROM spam_blocklist WHERE quire_nocase(pattern) = quire_nocase($1)");
static struct pg_stmt SPAM_BLOCK_LIST = PG_STMT("SELECT pattern FROM spam_blocklist ORDER BY quire_nocase(pattern) LIMIT 5000");
static struct pg_stmt SPAM_BLOCKED = PG_STMT("SELECT EXISTS (SELECT 1 FROM spam_blocklist"
	" WHERE quire_nocase(pattern) = quire_nocase($1))::int");
static struct pg_stmt COMMENTS_WORKS_OF_USER = PG_STMT("SELECT DISTINCT work_id FROM comments WHERE user_id = $1"
	" AND state <> 3");
static struct pg_stmt COMMENTS_QUARANTINE_USER = PG_STMT("INSERT INTO comment_quarantine(comment_id, body, body_html,"
	" state, guest_email, log_id) SELECT id, body, body_html, state, guest_email, $2 FROM comments"
	" WHERE user_id = $1 AND state <> 3 ON CONFLICT (comment_id) DO NOTHING");
static struct pg_stmt COMMENTS_REMOVE_USER = PG_STMT("UPDATE comments SET state = 3, body = '', body_html = '',"
	" guest_email = NULL WHERE user_id = $1 AND state <> 3");
static struct pg_stmt CREATORS_SHARED = PG_STMT("SELECT EXISTS (SELECT 1 FROM work_creators a JOIN work_creators b"
	" ON b.work_id = a.work_id AND b.user_id = $2 AND (b.accepted = 1 OR b.position = 0)"
	" WHERE a.user_id = $1 AND (a.accepted = 1 OR a.position = 0))::int");

static void item_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct spam_item *it = item;
	it->id = pgs_int(r, row, 0);
	it->created_at = pgs_int(r, row, 1);
	it->kind = pgs_text(a, r, row, 2);
	it->score = (int)pgs_int(r, row, 3);
	it->reasons = pgs_text(a, r, row, 4);
	it->address_hash = pgs_text(a, r, row, 5);
	it->status = (int)pgs_int(r, row, 6);
	it->work_id = pgs_int(r, row, 7);
	it->chapter_id = pgs_int(r, row, 8);
	it->parent_id = pgs_int(r, row, 9);
	it->user_id = pgs_int(r, row, 10);
	it->work_title = pgs_text(a, r, row, 11);
	it->user_name = pgs_text(a, r, row, 12);
	it->guest_name = pgs_text(a, r, row, 13);
	it->guest_email = pgs_text(a, r, row, 14);
	it->body = pgs_text(a, r, row, 15);
	it->body_html = pgs_text(a, r, row, 16);
	it->name = pgs_text(a, r, row, 17);
	it->email = pgs_text(a, r, row, 18);
	it->pwhash = pgs_text(a, r, row, 19);
	it->policy_version = pgs_int(r, row, 20);
	it->decided_by = pgs_text(a, r, row, 21);
	it->decided_at = pgs_int(r, row, 22);
}

int pgs_spam_hold(struct store *st, const struct spam_item *it, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!it || !it->kind || !it->reasons || !it->address_hash)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &SPAM_INSERT, "sIistIIIIttssttsI", it->kind, pgs_now(), it->score,
		                   it->reasons, it->address_hash, it->work_id, it->chapter_id, it->parent_id, it->user_id,
		                   it->guest_name, it->guest_email, it->body ? it->body : "",
		                   it->body_html ? it->body_html : "", it->name, it->email, it->pwhash, it->policy_version);
		if (rc == 0 && id)
			*id = new_id;
	}
	/* Nothing public changes: that is the point. */
	return rc;
}

int pgs_spam_get(struct store *st, struct arena *a, int64_t id, struct spam_item *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SPAM_GET, &rc, "I", id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			item_from_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_spam_list(struct store *st, struct arena *a, int status, int64_t before_id, int limit, struct spam_item **out,
                  size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SPAM_LIST, &rc, "iIi", status, before_id, limit > 0 && limit <= 500 ? limit : 100);
		rc = pgs_rows(a, r, rc, sizeof **out, item_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_spam_held_count(struct store *st, int64_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*n = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, n, &SPAM_HELD_COUNT, "");
	}
	return rc;
}

int pgs_spam_decide(struct store *st, int64_t id, int status, const char *by)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (status != SPAM_SPAM && status != SPAM_HAM)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t there = 0;
		rc = pgs_exec(c, &SPAM_DECIDE, "IisI", id, status, by ? by : "", pgs_now());
		if (rc == 0 && c->changes == 0)
			rc = pgs_query_int(c, &there, &SPAM_EXISTS, "I", id) == 0 ? Q_EEXIST : Q_ENOTFOUND;
	}
	return rc;
}

int pgs_spam_address_mark(struct store *st, const char *address_hash)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SPAM_ADDRESS_MARK, "sI", address_hash ? address_hash : "", pgs_now());
	}
	return rc;
}

int pgs_spam_address_known(struct store *st, const char *address_hash, bool *known)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t v = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, &v, &SPAM_ADDRESS_KNOWN, "sI", address_hash ? address_hash : "",
		                   pgs_now() - (int64_t)SPAM_ADDRESS_DAYS * 86400);
	}
	*known = rc == 0 && v != 0;
	return rc;
}

int pgs_spam_block_add(struct store *st, const char *pattern, const char *by)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!pattern || !*pattern)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SPAM_BLOCK_ADD, "ssI", pattern, by ? by : "", pgs_now());
	}
	return rc;
}

int pgs_spam_block_remove(struct store *st, const char *pattern)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SPAM_BLOCK_REMOVE, "s", pattern ? pattern : "");
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

static void pattern_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	*(const char **)item = pgs_text(a, r, row, 0);
}

int pgs_spam_block_list(struct store *st, struct arena *a, const char ***out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &SPAM_BLOCK_LIST, &rc, "");
		rc = pgs_rows(a, r, rc, sizeof **out, pattern_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_spam_blocked(struct store *st, const char *email, bool *blocked)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t v = 0;
	*blocked = false;
	if (!email)
		return 0;
	PG_READ(s, c, rc) {
		/* The address itself, then its domain and every parent domain ("mail.spam.example" is under "spam.example"). */
		const char *at = strchr(email, '@');
		v = 0;
		rc = pgs_query_int(c, &v, &SPAM_BLOCKED, "s", email);
		for (const char *d = at ? at + 1 : NULL; rc == 0 && !v && d && *d;) {
			rc = pgs_query_int(c, &v, &SPAM_BLOCKED, "s", d);
			d = strchr(d, '.');
			if (d)
				d++;
		}
	}
	*blocked = rc == 0 && v != 0;
	return rc;
}

int pgs_comments_remove_by_user(struct store *st, int64_t user_id, int64_t log_id, int64_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*n = 0;
	PG_WRITE(s, c, rc) {
		/* The works whose pages show them change: noted before the comments go. */
		PGresult *r = pgs_query(c, &COMMENTS_WORKS_OF_USER, &rc, "I", user_id);
		for (int i = 0; r && i < PQntuples(r); i++)
			pgs_note(s, STORE_CHANGE_WORK, pgs_int(r, i, 0));
		PQclear(r);
		if (rc == 0)
			rc = pgs_exec(c, &COMMENTS_QUARANTINE_USER, "II", user_id, log_id);
		if (rc == 0 && (rc = pgs_exec(c, &COMMENTS_REMOVE_USER, "I", user_id)) == 0)
			*n = c->changes;
	}
	return rc;
}

int pgs_creators_shared(struct store *st, int64_t user_id, int64_t other_id, bool *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t yes = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, &yes, &CREATORS_SHARED, "II", user_id, other_id);
	}
	*out = rc == 0 && yes;
	return rc;
}
