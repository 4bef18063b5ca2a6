/* PostgreSQL backend: readers' suggestions on a passage, the works that take them, and their inbox messages
 * (store.h: struct reader_suggestion). */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

static struct pg_stmt ON = PG_STMT("INSERT INTO reader_suggestion_works(work_id) VALUES ($1) ON CONFLICT DO NOTHING");
static struct pg_stmt OFF = PG_STMT("DELETE FROM reader_suggestion_works WHERE work_id = $1");
static struct pg_stmt ENABLED = PG_STMT("SELECT EXISTS (SELECT 1 FROM reader_suggestion_works WHERE work_id = $1)");
static struct pg_stmt RECENT = PG_STMT("SELECT COUNT(*) FROM (SELECT 1 FROM reader_suggestions WHERE user_id = $1"
	" AND created_at >= $2 LIMIT $3) s");
static struct pg_stmt OPEN_COUNT = PG_STMT("SELECT COUNT(*) FROM (SELECT 1 FROM reader_suggestions"
	" WHERE chapter_id = $1 AND state = 0 AND user_id = $2 LIMIT $3) s");
static struct pg_stmt ADD = PG_STMT("INSERT INTO reader_suggestions(work_id, chapter_id, user_id, quote, prefix,"
	" suffix, replacement, note, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9)"
	" RETURNING id");
/* A reader's suggestion, with its writer's name, its chapter's position and its work's title. */
#define COLS "SELECT s.id, s.work_id, s.chapter_id, s.user_id, u.name, s.quote, s.prefix, s.suffix," \
	" s.replacement, s.note, s.reply, s.state, s.created_at, s.updated_at, ch.position, w.title" \
	" FROM reader_suggestions s JOIN users u ON u.id = s.user_id JOIN chapters ch ON ch.id = s.chapter_id" \
	" JOIN works w ON w.id = s.work_id"
static struct pg_stmt GET = PG_STMT(COLS " WHERE s.id = $1");
/* $1 chapter, $2 reader (0 any), $3 state (-1 any), $4 before id (0 none), $5 limit: through
 * reader_suggestions_chapter. */
static struct pg_stmt LIST_CHAPTER = PG_STMT(COLS " WHERE s.chapter_id = $1 AND ($2::bigint = 0 OR s.user_id = $2)"
	" AND ($3::integer < 0 OR s.state = $3) AND ($4::bigint = 0 OR s.id < $4) ORDER BY s.id DESC LIMIT $5");
/* $1 creator, $2 state, $3 before id, $4 limit: on the works they are an accepted creator of, each through
 * reader_suggestions_work. */
static struct pg_stmt LIST_CREATOR = PG_STMT(COLS " WHERE s.work_id IN (SELECT c.work_id FROM work_creators c"
	" WHERE c.user_id = $1 AND c.accepted = 1) AND ($2::integer < 0 OR s.state = $2)"
	" AND ($3::bigint = 0 OR s.id < $3) ORDER BY s.id DESC LIMIT $4");
static struct pg_stmt SET_STATE = PG_STMT("UPDATE reader_suggestions SET state = $3, reply = COALESCE($4, reply),"
	" updated_at = $5 WHERE id = $1 AND state = $2");
/* The inbox: a message to each accepted creator of the work ($1 work, $2 chapter, $3 reader, $4 the passage,
 * $5 now, $6 the suggestion); read once answered; the reader's message of an answer. */
static struct pg_stmt INBOX_CREATORS = PG_STMT("INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body,"
	" read, created_at, suggestion_id) SELECT c.user_id, 'suggestion', $1, $2, $3, $4, 0, $5, $6 FROM work_creators c"
	" WHERE c.work_id = $1 AND c.accepted = 1 AND c.user_id <> $3");
static struct pg_stmt INBOX_READ = PG_STMT("UPDATE inbox SET read = 1 WHERE suggestion_id = $1 AND kind = 'suggestion'"
	" AND read = 0");
static struct pg_stmt INBOX_READER = PG_STMT("INSERT INTO inbox(user_id, kind, work_id, chapter_id, actor_id, body,"
	" read, created_at, suggestion_id) SELECT s.user_id, $2, s.work_id, s.chapter_id, NULLIF($3::bigint, 0), $4, 0, $5, s.id"
	" FROM reader_suggestions s WHERE s.id = $1");

int pgs_suggestions_enabled_set(struct store *st, int64_t work_id, bool on)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (work_id <= 0)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, on ? &ON : &OFF, "I", work_id);
		if (rc == 0 && c->changes > 0)
			rc = pgs_note_work(s, c, work_id); /* the chapter pages show the "Suggest a change" link */
	}
	return rc;
}

int pgs_suggestions_enabled(struct store *st, int64_t work_id, bool *on)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t v = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, &v, &ENABLED, "I", work_id);
	}
	*on = rc == 0 && v != 0;
	return rc;
}

int pgs_suggestion_create(struct store *st, const struct reader_suggestion *sg, int64_t since, int max_since,
                          int max_open, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (sg->work_id <= 0 || sg->chapter_id <= 0 || sg->user_id <= 0 || !sg->quote || !*sg->quote)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t n = 0, now = pgs_now();
		if ((rc = pgs_query_int(c, &n, &RECENT, "IIi", sg->user_id, since, max_since)) == 0 && n >= max_since)
			rc = Q_EBUSY;
		if (rc == 0 && (rc = pgs_query_int(c, &n, &OPEN_COUNT, "IIi", sg->chapter_id, sg->user_id, max_open)) == 0 &&
		    n >= max_open)
			rc = Q_ETOOBIG;
		if (rc == 0)
			rc = pgs_query_int(c, id, &ADD, "IIIssstt" "I", sg->work_id, sg->chapter_id, sg->user_id, sg->quote,
			                   sg->prefix, sg->suffix, sg->replacement, sg->note, now);
		if (rc == 0)
			rc = pgs_exec(c, &INBOX_CREATORS, "IIIsII", sg->work_id, sg->chapter_id, sg->user_id, sg->quote, now, *id);
	}
	return rc;
}

static void suggestion_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct reader_suggestion *sg = item;
	sg->id = pgs_int(r, row, 0);
	sg->work_id = pgs_int(r, row, 1);
	sg->chapter_id = pgs_int(r, row, 2);
	sg->user_id = pgs_int(r, row, 3);
	sg->user_name = pgs_text(a, r, row, 4);
	sg->quote = pgs_text(a, r, row, 5);
	sg->prefix = pgs_text(a, r, row, 6);
	sg->suffix = pgs_text(a, r, row, 7);
	sg->replacement = pgs_text(a, r, row, 8);
	sg->note = pgs_text(a, r, row, 9);
	sg->reply = pgs_text(a, r, row, 10);
	sg->state = (int)pgs_int(r, row, 11);
	sg->created_at = pgs_int(r, row, 12);
	sg->updated_at = pgs_int(r, row, 13);
	sg->chapter_position = (int)pgs_int(r, row, 14);
	sg->work_title = pgs_text(a, r, row, 15);
}

int pgs_suggestion_get(struct store *st, struct arena *a, int64_t id, struct reader_suggestion *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	memset(out, 0, sizeof *out);
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &GET, &rc, "I", id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			suggestion_from_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_suggestions_list(struct store *st, struct arena *a, const struct suggestion_query *qy,
                         struct reader_suggestion **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	if (qy->chapter_id <= 0 && qy->creator_id <= 0)
		return pgs_refuse(s, Q_EINVAL);
	int limit = qy->limit > 0 && qy->limit <= 200 ? qy->limit : 50;
	PG_READ(s, c, rc) {
		PGresult *r = qy->chapter_id > 0
		              ? pgs_query(c, &LIST_CHAPTER, &rc, "IIiIi", qy->chapter_id, qy->user_id, qy->state,
		                          qy->before_id, limit)
		              : pgs_query(c, &LIST_CREATOR, &rc, "IiIi", qy->creator_id, qy->state, qy->before_id, limit);
		rc = pgs_rows(a, r, rc, sizeof **out, suggestion_from_row, (void **)out, n);
	}
	return rc;
}

int pgs_suggestion_set_state(struct store *st, int64_t id, int from_state, int state, const char *reply, int64_t by)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (state < SUGGESTION_OPEN || state > SUGGESTION_DISMISSED)
		return pgs_refuse(s, Q_EINVAL);
	/* The reader hears of an acceptance or an answer, not of a dismissal. */
	const char *kind = state == SUGGESTION_ACCEPTED && from_state != SUGGESTION_ACCEPTED ? "suggestion_accepted"
	                   : reply && *reply                                               ? "suggestion_answered"
	                                                                                   : NULL;
	PG_WRITE(s, c, rc) {
		int64_t now = pgs_now();
		rc = pgs_exec(c, &SET_STATE, "IiitI", id, from_state, state, reply, now);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_exec(c, &INBOX_READ, "I", id);
		if (rc == 0 && kind)
			rc = pgs_exec(c, &INBOX_READER, "IsIsI", id, kind, by, reply ? reply : "", now);
	}
	return rc;
}
