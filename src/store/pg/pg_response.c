/* PostgreSQL backend: the reader's response: comments, kudos, bookmarks, reading history, inbox, hits and stats.
 * Writes go through group commit (pg_group.c); each is one or two statements, so a batch of them costs little
 * more than its WAL flush. Counts are columns kept by the triggers of migration 1, as on SQLite. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_ROWS_MAX 2000 /* comments read for one page of threads; a runaway thread is cut here */

/* Daily rows: one per work (chapter 0) or chapter and day, summed by ON CONFLICT. */
#define STATS_UPSERT(col) " ON CONFLICT (work_id, chapter_id, day) DO UPDATE SET " col " = stats_daily." col \
	" + excluded." col

/* A creator's comment on an anonymous work names nobody: no account name, "Anonymous Creator" as its name
 * (read-time, so a work that becomes anonymous hides its creators' earlier comments too). */
#define COMMENT_ANON "(c.by_creator = 1 AND (SELECT x.anonymous FROM works x WHERE x.id = c.work_id) = 1)"
#define COMMENT_COLS "c.id, c.work_id, coalesce(c.chapter_id, 0), coalesce(c.parent_id, 0), c.root_id," \
	" c.depth, coalesce(c.user_id, 0), CASE WHEN " COMMENT_ANON " THEN NULL ELSE u.name END," \
	" CASE WHEN " COMMENT_ANON " THEN 'Anonymous Creator' ELSE c.guest_name END, c.body, c.body_html, c.state," \
	" c.frozen, c.by_creator, c.created_at, c.edited_at, c.sanitizer_version"
/* Lists that name a work's owner: nobody for an anonymous work; a work not yet revealed counts as a draft. */
#define BOOKMARK_COLS "b.id, b.user_id, b.work_id, u.name, w.title, CASE WHEN w.anonymous = 1 THEN 'Anonymous'" \
	" ELSE (SELECT ou.name FROM work_creators oc JOIN users ou ON ou.id = oc.user_id WHERE oc.work_id = w.id" \
	" AND oc.position = 0) END, w.draft = 1 OR w.unrevealed = 1, w.restricted," \
	" b.notes, b.notes_html, b.tags, b.private, b.rec, b.created_at, b.updated_at" \
	" FROM bookmarks b JOIN users u ON u.id = b.user_id JOIN works w ON w.id = b.work_id"
#define READING_COLS "r.user_id, r.work_id, coalesce(r.chapter_id, 0), r.read_at, r.views, r.later, w.title," \
	" CASE WHEN w.anonymous = 1 THEN 'Anonymous' ELSE (SELECT ou.name FROM work_creators oc JOIN users ou" \
	" ON ou.id = oc.user_id WHERE oc.work_id = w.id AND oc.position = 0) END, coalesce(ch.position, 0)," \
	" w.draft = 1 OR w.unrevealed = 1, w.restricted" \
	" FROM readings r JOIN works w ON w.id = r.work_id LEFT JOIN chapters ch ON ch.id = r.chapter_id"
/* An inbox row of any kind with its comment and what it is about, each as it is now (the work may be gone;
 * mail's rows have no comment). The series is the work's current one; an anonymous work names no series and
 * no creator. The link of rows about no work (an assignment) comes last. */
#define INBOX_COLS "i.id, i.kind, i.read, i.created_at, coalesce(i.work_id, 0), coalesce(i.chapter_id, 0)," \
	" w.title, coalesce(ch.position, 0), CASE WHEN w.anonymous = 1 THEN NULL ELSE se.title END," \
	" CASE WHEN w.anonymous = 1 THEN NULL ELSE a.name END, i.body, " COMMENT_COLS ", i.url" \
	" FROM inbox i LEFT JOIN comments c ON c.id = i.comment_id LEFT JOIN users u ON u.id = c.user_id" \
	" LEFT JOIN works w ON w.id = i.work_id LEFT JOIN chapters ch ON ch.id = i.chapter_id" \
	" LEFT JOIN work_series ws ON ws.work_id = i.work_id LEFT JOIN series se ON se.id = ws.series_id" \
	" LEFT JOIN users a ON a.id = i.actor_id"
/* A chapter id of 0 means "the whole work", stored as NULL: the statements that select by it come in two
 * forms (chapter_id = $n, chapter_id IS NULL), each searching the (work_id, chapter_id, ...) indexes. They order
 * by chapter_id too (one value in either form), so that the index's order serves ORDER BY: PostgreSQL takes
 * only equalities, not IS NULL, as fixing a column of the index's order. */
#define ON_CHAPTER " = $2"
#define ON_WORK " IS NULL AND $2::bigint = 0"

static struct pg_stmt RESP_COUNTS = PG_STMT("SELECT w.kudos_count, w.kudos_guests, w.hits_count, w.comments_count,"
	" w.bookmarks_count, w.comment_policy, w.comments_moderated, c.kudos_count, c.kudos_guests, c.hits_count,"
	" c.comments_count, w.comments_locked FROM works w LEFT JOIN chapters c ON c.id = $2 AND c.work_id = w.id"
	" WHERE w.id = $1");
static struct pg_stmt RESP_SETTINGS_SET = PG_STMT("UPDATE works SET comment_policy = $2, comments_moderated = $3"
	" WHERE id = $1");

static struct pg_stmt COMMENT_BRIEF = PG_STMT("SELECT work_id, coalesce(chapter_id, 0), root_id, depth, state,"
	" frozen, coalesce(user_id, 0), coalesce(parent_id, 0) FROM comments WHERE id = $1");
/* A comment with its id and thread (its parent's, $3), its daily count (shown comments) and its inbox messages ($14
 * users, $15 their kinds, and the parent's writer when $16 says so), in one statement. One row: the new id (0 when
 * nothing was written) and why not: 2 the parent is missing or elsewhere, 3 the parent is not shown or is frozen;
 * an id of 0 with neither: the work, the chapter or the account is missing. It runs under the write lock held
 * shared (pgs_group_call), beside other comments and kudos: what it reads to decide (the parent's state and frozen
 * flag, that the work, chapter and account exist) only locked writes change, and those wait for it; what it writes
 * commutes with theirs (a new row, upserted daily counts, counters added to under the row lock). */
static struct pg_stmt COMMENT_CREATE = PG_STMT("WITH p AS (SELECT root_id, depth, coalesce(user_id, 0) AS user_id,"
	"  work_id = $1 AND coalesce(chapter_id, 0) = $2 AS same, state = 0 AND frozen = 0 AS open"
	"  FROM comments WHERE id = $3),"
	" verdict AS (SELECT CASE WHEN $3::bigint = 0 THEN 0 WHEN NOT coalesce((SELECT same FROM p), false) THEN 2"
	"  WHEN NOT (SELECT open FROM p) THEN 3 ELSE 0 END AS v),"
	" ok AS (SELECT 1 FROM works, verdict WHERE works.id = $1 AND verdict.v = 0"
	"  AND ($2::bigint = 0 OR EXISTS (SELECT 1 FROM chapters WHERE id = $2))"
	"  AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM users WHERE id = $4))),"
	" ins AS (INSERT INTO comments(id, work_id, chapter_id, parent_id, root_id, depth, user_id, guest_name,"
	"  guest_email, body, body_html, state, by_creator, created_at, sanitizer_version)"
	"  SELECT n.id, $1, nullif($2::bigint, 0), nullif($3::bigint, 0), coalesce((SELECT root_id FROM p), n.id),"
	"  coalesce((SELECT depth + 1 FROM p), 0), nullif($4::bigint, 0), $5, $6, $7, $8, $9, $10, $11, $12"
	"  FROM ok, LATERAL (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id) n RETURNING id),"
	" st AS (INSERT INTO stats_daily(work_id, chapter_id, day, comments)"
	"  SELECT DISTINCT $1::bigint, x.ch, $13::bigint, 1 FROM ins, (VALUES (0::bigint), ($2::bigint)) x(ch)"
	"  WHERE $9::int = 0" STATS_UPSERT("comments") "),"
	" who AS (SELECT x.u, x.k FROM unnest($14::bigint[], $15::text[]) x(u, k)"
	"  UNION ALL SELECT p.user_id, 'reply' FROM p WHERE $16::int <> 0 AND $9::int = 0 AND p.user_id <> 0"
	"  AND p.user_id <> $4 AND NOT (p.user_id = ANY ($14::bigint[]))),"
	" nt AS (INSERT INTO inbox(user_id, kind, work_id, chapter_id, comment_id, actor_id, body, read, created_at)"
	"  SELECT who.u, who.k, $1, nullif($2::bigint, 0), ins.id, nullif($4::bigint, 0), '', 0, $11"
	"  FROM ins, who ON CONFLICT (user_id, comment_id) WHERE comment_id IS NOT NULL DO NOTHING)"
	" SELECT coalesce((SELECT id FROM ins), 0), (SELECT v FROM verdict)");
_Static_assert(COMMENT_SHOWN == 0, "COMMENT_CREATE names the shown state");
/* One message per reader and comment (inbox_comment_once), whichever reason came first. */
static struct pg_stmt INBOX_INSERT = PG_STMT("INSERT INTO inbox(user_id, kind, work_id, chapter_id, comment_id,"
	" actor_id, body, read, created_at) VALUES ($1, $2, $3, nullif($4::bigint, 0), $5, nullif($6::bigint, 0), '', 0, $7)"
	" ON CONFLICT (user_id, comment_id) WHERE comment_id IS NOT NULL DO NOTHING");
static struct pg_stmt STATS_COMMENT = PG_STMT("INSERT INTO stats_daily(work_id, chapter_id, day, comments)"
	" SELECT DISTINCT $1::bigint, x.ch, $3::bigint, 1 FROM (VALUES (0::bigint), ($2::bigint)) x(ch)"
	" WHERE EXISTS (SELECT 1 FROM works WHERE id = $1)" STATS_UPSERT("comments"));
static struct pg_stmt COMMENT_GET = PG_STMT("SELECT " COMMENT_COLS " FROM comments c"
	" LEFT JOIN users u ON u.id = c.user_id WHERE c.id = $1");
#define COMMENT_ROOTS(on) "SELECT id FROM comments WHERE work_id = $1 AND chapter_id" on \
	" AND parent_id IS NULL AND id > $3 ORDER BY chapter_id, id LIMIT $4"
static struct pg_stmt COMMENT_ROOTS_CHAPTER = PG_STMT(COMMENT_ROOTS(ON_CHAPTER));
static struct pg_stmt COMMENT_ROOTS_WORK = PG_STMT(COMMENT_ROOTS(ON_WORK));
#define COMMENT_LIST(on) "SELECT " COMMENT_COLS " FROM comments c LEFT JOIN users u ON u.id = c.user_id" \
	" WHERE c.work_id = $1 AND c.chapter_id" on " AND c.root_id > $3 AND c.root_id <= $4" \
	" ORDER BY c.chapter_id, c.root_id, c.id LIMIT $5"
static struct pg_stmt COMMENT_LIST_CHAPTER = PG_STMT(COMMENT_LIST(ON_CHAPTER));
static struct pg_stmt COMMENT_LIST_WORK = PG_STMT(COMMENT_LIST(ON_WORK));
static struct pg_stmt COMMENT_EDIT = PG_STMT("UPDATE comments SET body = $2, body_html = $3, edited_at = $4,"
	" sanitizer_version = $5 WHERE id = $1 AND state <> 3");
static struct pg_stmt COMMENT_SET_STATE = PG_STMT("UPDATE comments SET state = $2 WHERE id = $1");
static struct pg_stmt COMMENT_WIPE = PG_STMT("UPDATE comments SET body = '', body_html = '', guest_email = NULL"
	" WHERE id = $1");
static struct pg_stmt COMMENT_FREEZE = PG_STMT("WITH RECURSIVE below(id) AS (SELECT $1::bigint UNION ALL"
	" SELECT c.id FROM comments c JOIN below ON c.parent_id = below.id)"
	" UPDATE comments SET frozen = $2 WHERE id IN (SELECT id FROM below)");

/* Kudos and its daily count in one statement: one row, whether it was added, and whether what it names exists (not
 * added but there: given before). */
static struct pg_stmt KUDOS_ADD = PG_STMT("WITH k AS (INSERT INTO kudos(work_id, chapter_id, user_id, guest_hash,"
	"  created_at) SELECT $1, nullif($2::bigint, 0), nullif($3::bigint, 0), $4, $5"
	"  WHERE EXISTS (SELECT 1 FROM works WHERE id = $1)"
	"  AND ($2::bigint = 0 OR EXISTS (SELECT 1 FROM chapters WHERE id = $2))"
	"  AND ($3::bigint = 0 OR EXISTS (SELECT 1 FROM users WHERE id = $3))"
	"  ON CONFLICT DO NOTHING RETURNING id),"
	" st AS (INSERT INTO stats_daily(work_id, chapter_id, day, kudos) SELECT $1, $2, $6, 1 FROM k"
	STATS_UPSERT("kudos") ")"
	" SELECT (SELECT COUNT(*) FROM k), EXISTS (SELECT 1 FROM works WHERE id = $1)"
	" AND ($2::bigint = 0 OR EXISTS (SELECT 1 FROM chapters WHERE id = $2))"
	" AND ($3::bigint = 0 OR EXISTS (SELECT 1 FROM users WHERE id = $3))");
#define KUDOS_NAMES(on) "SELECT u.name FROM kudos k JOIN users u ON u.id = k.user_id" \
	" WHERE k.work_id = $1 AND k.chapter_id" on " AND k.user_id IS NOT NULL ORDER BY k.chapter_id DESC, k.id DESC LIMIT $3"
static struct pg_stmt KUDOS_NAMES_CHAPTER = PG_STMT(KUDOS_NAMES(ON_CHAPTER));
static struct pg_stmt KUDOS_NAMES_WORK = PG_STMT(KUDOS_NAMES(ON_WORK));

static struct pg_stmt BOOKMARK_CREATE = PG_STMT("WITH b AS (INSERT INTO bookmarks(user_id, work_id, notes,"
	"  notes_html, tags, private, rec, created_at, updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8"
	"  WHERE EXISTS (SELECT 1 FROM users WHERE id = $1) AND EXISTS (SELECT 1 FROM works WHERE id = $2)"
	"  ON CONFLICT (user_id, work_id) DO NOTHING RETURNING id, private),"
	" st AS (INSERT INTO stats_daily(work_id, chapter_id, day, bookmarks) SELECT $2, 0, $9, 1 FROM b"
	"  WHERE b.private = 0" STATS_UPSERT("bookmarks") ")"
	" SELECT id FROM b");
static struct pg_stmt BOOKMARK_TARGET = PG_STMT("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)"
	" AND EXISTS (SELECT 1 FROM works WHERE id = $2)");
static struct pg_stmt BOOKMARK_UPDATE = PG_STMT("UPDATE bookmarks SET notes = $3, notes_html = $4, tags = $5,"
	" private = $6, rec = $7, updated_at = $8 WHERE id = $1 AND user_id = $2");
static struct pg_stmt BOOKMARK_DELETE = PG_STMT("DELETE FROM bookmarks WHERE id = $2 AND user_id = $1"
	" RETURNING work_id");
static struct pg_stmt BOOKMARK_GET = PG_STMT("SELECT " BOOKMARK_COLS " WHERE b.id = $1");
static struct pg_stmt BOOKMARK_FIND = PG_STMT("SELECT " BOOKMARK_COLS " WHERE b.user_id = $1 AND b.work_id = $2");
static struct pg_stmt BOOKMARK_LIST = PG_STMT("SELECT " BOOKMARK_COLS " WHERE b.user_id = $1 AND b.id < $2"
	" ORDER BY b.id DESC LIMIT $3");
static struct pg_stmt BOOKMARK_LIST_PUBLIC = PG_STMT("SELECT " BOOKMARK_COLS " WHERE b.user_id = $1 AND b.id < $2"
	" AND b.private = 0 ORDER BY b.id DESC LIMIT $3");

/* A batch of views ($1..$5: users, works, chapters, times, views), in one statement: per reader and work the
 * last chapter that exists in that work, the latest time and the sum of views. Views of works or users
 * deleted since are dropped. */
static struct pg_stmt READINGS_RECORD = PG_STMT("INSERT INTO readings(user_id, work_id, chapter_id, read_at, views)"
	" SELECT x.u, x.w, (array_agg(ch.id ORDER BY x.o DESC) FILTER (WHERE ch.id IS NOT NULL))[1], max(x.r),"
	" sum(x.v)::bigint"
	" FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) WITH ORDINALITY"
	"  x(u, w, c, r, v, o) LEFT JOIN chapters ch ON ch.id = x.c AND ch.work_id = x.w"
	" WHERE EXISTS (SELECT 1 FROM works WHERE id = x.w) AND EXISTS (SELECT 1 FROM users WHERE id = x.u)"
	" GROUP BY x.u, x.w"
	" ON CONFLICT (user_id, work_id) DO UPDATE SET chapter_id = coalesce(excluded.chapter_id, readings.chapter_id),"
	" read_at = greatest(readings.read_at, excluded.read_at), views = readings.views + excluded.views");
static struct pg_stmt READING_LATER = PG_STMT("INSERT INTO readings(user_id, work_id, later) VALUES ($1, $2, $3)"
	" ON CONFLICT (user_id, work_id) DO UPDATE SET later = excluded.later");
static struct pg_stmt READING_HISTORY = PG_STMT("SELECT " READING_COLS " WHERE r.user_id = $1 AND r.read_at > 0"
	" AND r.read_at < $2 ORDER BY r.read_at DESC LIMIT $3");
static struct pg_stmt READING_LATER_LIST = PG_STMT("SELECT " READING_COLS " WHERE r.user_id = $1 AND r.later = 1"
	" AND r.work_id < $2 ORDER BY r.work_id DESC LIMIT $3");

static struct pg_stmt INBOX_LIST = PG_STMT("SELECT " INBOX_COLS " WHERE i.user_id = $1 AND i.id < $2"
	" ORDER BY i.id DESC LIMIT $3");
static struct pg_stmt INBOX_LIST_UNREAD = PG_STMT("SELECT " INBOX_COLS " WHERE i.user_id = $1 AND i.read = 0"
	" AND i.id < $2 ORDER BY i.id DESC LIMIT $3");
static struct pg_stmt INBOX_MARK = PG_STMT("UPDATE inbox SET read = $3 WHERE id = $2 AND user_id = $1");
static struct pg_stmt INBOX_MARK_ALL = PG_STMT("UPDATE inbox SET read = 1 WHERE user_id = $1 AND read = 0");
static struct pg_stmt INBOX_UNREAD = PG_STMT("SELECT inbox_unread FROM users WHERE id = $1");

/* A batch of counted hits ($1..$4: works, chapters, days, hits) in one statement: summed per row first, then
 * added to the works (chapter 0), the chapters of their works and the daily rows; deleted works are skipped. */
static struct pg_stmt HITS_ADD = PG_STMT("WITH x AS (SELECT w, c, d, sum(h)::bigint AS h"
	"  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) x(w, c, d, h) GROUP BY w, c, d),"
	" wk AS (UPDATE works SET hits_count = hits_count + y.h FROM (SELECT w, sum(h)::bigint AS h FROM x"
	"  WHERE c = 0 GROUP BY w) y WHERE works.id = y.w),"
	" ch AS (UPDATE chapters SET hits_count = hits_count + y.h FROM (SELECT w, c, sum(h)::bigint AS h FROM x"
	"  WHERE c <> 0 GROUP BY w, c) y WHERE chapters.id = y.c AND chapters.work_id = y.w)"
	" INSERT INTO stats_daily(work_id, chapter_id, day, hits) SELECT w, c, d, h FROM x"
	" WHERE EXISTS (SELECT 1 FROM works WHERE id = x.w)" STATS_UPSERT("hits"));
static struct pg_stmt STATS_WORK_ROW = PG_STMT("SELECT id, 0, title, 0, hits_count, kudos_count, comments_count,"
	" bookmarks_count, word_count, subscriptions_count FROM works WHERE id = $1");
static struct pg_stmt STATS_CHAPTER_ROWS = PG_STMT("SELECT work_id, id, title, position, hits_count, kudos_count,"
	" comments_count, 0, word_count, 0 FROM chapters WHERE work_id = $1 ORDER BY position");
static struct pg_stmt STATS_DAYS = PG_STMT("SELECT chapter_id, day, hits, kudos, comments, bookmarks FROM stats_daily"
	" WHERE work_id = $1 AND day >= $2 ORDER BY day DESC, chapter_id LIMIT 10000");
static struct pg_stmt STATS_USER = PG_STMT("SELECT w.id, 0, w.title, 0, w.hits_count, w.kudos_count,"
	" w.comments_count, w.bookmarks_count, w.word_count, w.subscriptions_count, w.draft FROM work_creators wc"
	" JOIN works w ON w.id = wc.work_id WHERE wc.user_id = $1 AND (wc.accepted = 1 OR wc.position = 0)"
	" ORDER BY w.id DESC LIMIT 1000");
static struct pg_stmt CHAPTER_WORK = PG_STMT("SELECT work_id FROM chapters WHERE id = $1");

static int64_t today(void)
{
	return pgs_now() / 86400;
}

/* Runs fn through group commit. After the commit of a write that changed the counts or comments a work's pages
 * show, response_work names that work for the caches (store_response_changed: no change event). */
struct noted {
	struct pg *s;
	int (*fn)(struct pgc *c, void *arg);
	void *arg;
	const int64_t *works; /* the works whose response data the write changes (for other servers, in its commit) */
	size_t nworks;
	bool now;             /* a new comment: the works' versions move at once (store_response_changed_now) */
};

static int noted_fn(struct pgc *c, void *arg)
{
	struct noted *n = arg;
	int rc = n->fn(c, n->arg);
	for (size_t i = 0; rc == 0 && i < n->nworks; i++)
		pgs_note_response(n->s, n->works[i], n->now);
	return rc;
}

static int group_as(struct store *st, int (*fn)(struct pgc *c, void *arg), void *arg, int64_t response_work,
                    bool now)
{
	struct noted n = {pgs_of(st), fn, arg, &response_work, response_work > 0, now};
	int rc = pgs_group_write(pgs_of(st), noted_fn, &n);
	if (rc == 0 && response_work > 0 && now)
		store_response_changed_now(st, response_work);
	else if (rc == 0 && response_work > 0)
		store_response_changed(st, response_work);
	return rc;
}

static int group(struct store *st, int (*fn)(struct pgc *c, void *arg), void *arg, int64_t response_work)
{
	return group_as(st, fn, arg, response_work, false);
}

/* The same for a write of one statement, sent with the batch's others in one round trip (pgs_group_call). */
struct noted_call {
	struct pg *s;
	int (*done)(void *arg, const PGresult *r);
	void *arg;
	int64_t work;
	bool now; /* as struct noted's */
};

static int noted_done(void *arg, const PGresult *r)
{
	struct noted_call *n = arg;
	int rc = n->done(n->arg, r);
	if (rc == 0 && n->work > 0)
		pgs_note_response(n->s, n->work, n->now);
	return rc;
}

static int group_call(struct store *st, struct pgs_call *call, int (*done)(void *arg, const PGresult *r), void *arg,
                      int64_t response_work, bool now)
{
	struct noted_call n = {pgs_of(st), done, arg, response_work, now};
	int rc = pgs_group_call(pgs_of(st), call, noted_done, &n, n.work);
	if (rc == 0 && response_work > 0 && now)
		store_response_changed_now(st, response_work);
	else if (rc == 0 && response_work > 0)
		store_response_changed(st, response_work);
	return rc;
}

/* ---- Rows ------------------------------------------------------------------------------------ */

/* COMMENT_COLS starting at column k. */
static void comment_at(struct arena *a, const PGresult *r, int row, int k, struct comment *o)
{
	memset(o, 0, sizeof *o);
	o->id = pgs_int(r, row, k + 0);
	o->work_id = pgs_int(r, row, k + 1);
	o->chapter_id = pgs_int(r, row, k + 2);
	o->parent_id = pgs_int(r, row, k + 3);
	o->root_id = pgs_int(r, row, k + 4);
	o->depth = (int)pgs_int(r, row, k + 5);
	o->user_id = pgs_int(r, row, k + 6);
	o->user_name = pgs_text(a, r, row, k + 7);
	o->guest_name = pgs_text(a, r, row, k + 8);
	o->body.src = pgs_text(a, r, row, k + 9);
	o->body.html = pgs_text(a, r, row, k + 10);
	o->state = (int)pgs_int(r, row, k + 11);
	o->frozen = pgs_int(r, row, k + 12) != 0;
	o->by_creator = pgs_int(r, row, k + 13) != 0;
	o->created_at = pgs_int(r, row, k + 14);
	o->edited_at = pgs_int(r, row, k + 15);
	o->sanitizer_version = (int)pgs_int(r, row, k + 16);
}

static void comment_row(struct arena *a, const PGresult *r, int row, void *item)
{
	comment_at(a, r, row, 0, item);
}

static void bookmark_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct bookmark *b = item;
	b->id = pgs_int(r, row, 0);
	b->user_id = pgs_int(r, row, 1);
	b->work_id = pgs_int(r, row, 2);
	b->user_name = pgs_text(a, r, row, 3);
	b->work_title = pgs_text(a, r, row, 4);
	b->work_creator = pgs_text(a, r, row, 5);
	b->work_draft = pgs_int(r, row, 6) != 0;
	b->work_restricted = pgs_int(r, row, 7) != 0;
	b->notes.src = pgs_text(a, r, row, 8);
	b->notes.html = pgs_text(a, r, row, 9);
	b->tags = pgs_text(a, r, row, 10);
	b->private_ = pgs_int(r, row, 11) != 0;
	b->rec = pgs_int(r, row, 12) != 0;
	b->created_at = pgs_int(r, row, 13);
	b->updated_at = pgs_int(r, row, 14);
}

static void reading_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct reading *x = item;
	x->user_id = pgs_int(r, row, 0);
	x->work_id = pgs_int(r, row, 1);
	x->chapter_id = pgs_int(r, row, 2);
	x->read_at = pgs_int(r, row, 3);
	x->views = pgs_int(r, row, 4);
	x->later = pgs_int(r, row, 5) != 0;
	x->work_title = pgs_text(a, r, row, 6);
	x->work_creator = pgs_text(a, r, row, 7);
	x->chapter_position = (int)pgs_int(r, row, 8);
	x->work_draft = pgs_int(r, row, 9) != 0;
	x->work_restricted = pgs_int(r, row, 10) != 0;
}

static void stats_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct stats_row *x = item;
	x->work_id = pgs_int(r, row, 0);
	x->chapter_id = pgs_int(r, row, 1);
	x->title = pgs_text(a, r, row, 2);
	x->position = (int)pgs_int(r, row, 3);
	x->hits = pgs_int(r, row, 4);
	x->kudos = pgs_int(r, row, 5);
	x->comments = pgs_int(r, row, 6);
	x->bookmarks = pgs_int(r, row, 7);
	x->words = pgs_int(r, row, 8);
	x->subscriptions = pgs_int(r, row, 9);
	x->work_state = PQnfields(r) > 10 ? (int)pgs_int(r, row, 10) : 0;
}

static void stats_day_row(struct arena *a, const PGresult *r, int row, void *item)
{
	(void)a;
	struct stats_day *x = item;
	x->chapter_id = pgs_int(r, row, 0);
	x->day = pgs_int(r, row, 1);
	x->hits = pgs_int(r, row, 2);
	x->kudos = pgs_int(r, row, 3);
	x->comments = pgs_int(r, row, 4);
	x->bookmarks = pgs_int(r, row, 5);
}

/* inbox.kind as written by comments ("comment", "reply") and by mail's triggers. */
static enum inbox_kind inbox_kind_of(const char *kind)
{
	static const char *const names[INBOX_OTHER] = {
		[INBOX_COMMENT] = "comment",
		[INBOX_REPLY] = "reply",
		[INBOX_NEW_CHAPTER] = "new_chapter",
		[INBOX_NEW_WORK] = "new_work",
		[INBOX_NEW_SERIES_PART] = "new_series_part",
		[INBOX_SUGGESTION] = "suggestion",
		[INBOX_SUGGESTION_ACCEPTED] = "suggestion_accepted",
		[INBOX_SUGGESTION_ANSWERED] = "suggestion_answered",
		[INBOX_NOTICE] = "notice",
		[INBOX_COCREATOR_INVITE] = "cocreator_invite",
		[INBOX_COCREATOR_JOINED] = "cocreator_joined",
		[INBOX_COCREATOR_ACCEPTED] = "cocreator_accepted",
	};
	for (int k = 0; kind && k < INBOX_OTHER; k++)
		if (!strcmp(kind, names[k]))
			return (enum inbox_kind)k;
	return INBOX_OTHER;
}

static void inbox_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct inbox_item *it = item;
	it->id = pgs_int(r, row, 0);
	it->kind = inbox_kind_of(PQgetvalue(r, row, 1));
	it->read = pgs_int(r, row, 2) != 0;
	it->created_at = pgs_int(r, row, 3);
	it->work_id = pgs_int(r, row, 4);
	it->chapter_id = pgs_int(r, row, 5);
	it->work_title = pgs_text(a, r, row, 6);
	it->chapter_position = (int)pgs_int(r, row, 7);
	it->series_title = pgs_text(a, r, row, 8);
	it->actor_name = pgs_text(a, r, row, 9);
	it->body = pgs_text(a, r, row, 10);
	if (!pgs_null(r, row, 11))
		comment_at(a, r, row, 11, &it->comment);
	it->url = pgs_text(a, r, row, 28); /* after the comment's 17 columns */
}

/* A PostgreSQL array literal of n integers ("{1,2,3}"), as text (malloc'd through buf). */
static void int_array(struct buf *b, size_t n, int64_t (*at)(const void *items, size_t i), const void *items)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", (long long)at(items, i));
	buf_putc(b, '}');
}

/* ---- Counts and settings --------------------------------------------------------------------- */

int pgs_response_counts(struct store *st, int64_t work_id, int64_t chapter_id, struct response_counts *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	memset(out, 0, sizeof *out);
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &RESP_COUNTS, &rc, "II", work_id, chapter_id);
		if (r && PQntuples(r) == 0) {
			rc = Q_ENOTFOUND;
		} else if (r) {
			out->work_kudos = pgs_int(r, 0, 0);
			out->work_kudos_guests = pgs_int(r, 0, 1);
			out->work_hits = pgs_int(r, 0, 2);
			out->work_comments = pgs_int(r, 0, 3);
			out->work_bookmarks = pgs_int(r, 0, 4);
			out->comment_policy = (int)pgs_int(r, 0, 5);
			out->moderated = pgs_int(r, 0, 6) != 0;
			out->chapter_kudos = pgs_int(r, 0, 7);
			out->chapter_kudos_guests = pgs_int(r, 0, 8);
			out->chapter_hits = pgs_int(r, 0, 9);
			out->chapter_comments = pgs_int(r, 0, 10);
			out->locked = pgs_int(r, 0, 11) != 0;
		}
		PQclear(r);
	}
	return rc;
}

int pgs_response_settings_set(struct store *st, int64_t work_id, int policy, bool moderated)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (policy < COMMENTS_EVERYONE || policy > COMMENTS_NOBODY)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &RESP_SETTINGS_SET, "Iii", work_id, policy, (int)moderated);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		/* The comment form on the work's pages follows the settings at once. */
		if (rc == 0)
			pgs_note(s, STORE_CHANGE_WORK, work_id);
	}
	return rc;
}

/* ---- Comments -------------------------------------------------------------------------------- */

struct brief {
	int64_t work_id, chapter_id, root_id, user_id, parent_id;
	int depth, state;
	bool frozen;
};

static int comment_brief(struct pgc *c, int64_t id, struct brief *b)
{
	int rc;
	PGresult *r = pgs_query(c, &COMMENT_BRIEF, &rc, "I", id);
	if (r && PQntuples(r) == 0) {
		rc = Q_ENOTFOUND;
	} else if (r) {
		b->work_id = pgs_int(r, 0, 0);
		b->chapter_id = pgs_int(r, 0, 1);
		b->root_id = pgs_int(r, 0, 2);
		b->depth = (int)pgs_int(r, 0, 3);
		b->state = (int)pgs_int(r, 0, 4);
		b->frozen = pgs_int(r, 0, 5) != 0;
		b->user_id = pgs_int(r, 0, 6);
		b->parent_id = pgs_int(r, 0, 7);
	}
	PQclear(r);
	return rc;
}

/* A "reply" message about comment_id (on work and chapter, written by actor) to user_id. */
static int notify_reply(struct pgc *c, int64_t user_id, const struct brief *m, int64_t comment_id)
{
	return pgs_exec(c, &INBOX_INSERT, "ItIIIII", user_id, "reply", m->work_id, m->chapter_id, comment_id,
	                m->user_id, pgs_now());
}

struct comment_job {
	struct pgs_call call;
	int64_t id;
};

/* What COMMENT_CREATE's row says. */
static int comment_created(void *arg, const PGresult *r)
{
	struct comment_job *j = arg;
	if (PQntuples(r) != 1)
		return Q_ERR;
	int64_t why = pgs_int(r, 0, 1);
	j->id = pgs_int(r, 0, 0);
	return why == 2 ? Q_ENOTFOUND : why == 3 ? Q_EPERM : j->id ? 0 : Q_ENOTFOUND;
}

int pgs_comment_create(struct store *st, const struct comment *c, const int64_t *notify, size_t nnotify,
                       bool notify_parent, int64_t *id)
{
	if (!c || !c->body.src || !c->body.html || (nnotify && !notify) || c->state < COMMENT_SHOWN ||
	    c->state > COMMENT_HIDDEN)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	/* Those told of it ("comment"), as two arrays (users, kinds): once each, never the writer. The parent's
	 * writer hears of a shown reply unless they wrote it or are told already (in the statement). */
	struct buf users = BUF_INIT, kinds = BUF_INIT;
	buf_putc(&users, '{');
	buf_putc(&kinds, '{');
	size_t n = 0;
	for (size_t i = 0; i < nnotify; i++) {
		bool dup = notify[i] == c->user_id || notify[i] <= 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = notify[k] == notify[i];
		if (dup)
			continue;
		buf_printf(&users, "%s%lld", n ? "," : "", (long long)notify[i]);
		buf_puts(&kinds, n++ ? ",comment" : "comment");
	}
	buf_putc(&users, '}');
	buf_putc(&kinds, '}');
	struct comment_job j = {0};
	pgs_call_bind(&j.call, &COMMENT_CREATE, "IIIIttssiiIiIssi", c->work_id, c->chapter_id, c->parent_id,
	              c->user_id, c->user_id ? NULL : c->guest_name, c->user_id ? NULL : c->guest_email, c->body.src,
	              c->body.html, c->state, (int)c->by_creator, pgs_now(), c->sanitizer_version, today(),
	              buf_cstr(&users), buf_cstr(&kinds), (int)notify_parent);
	int rc = group_call(st, &j.call, comment_created, &j, c->work_id, true); /* a new comment shows at once */
	buf_free(&users);
	buf_free(&kinds);
	if (rc == 0 && id)
		*id = j.id;
	return rc;
}

int pgs_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &COMMENT_GET, &rc, "I", id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			comment_at(a, r, 0, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_comment_list(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int64_t after_root,
                     int threads, struct comment **out, size_t *n, int64_t *next_root)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	*next_root = 0;
	if (threads <= 0)
		threads = 20;
	PG_READ(s, c, rc) {
		/* One more thread than asked for tells whether a next page exists. */
		PGresult *r = pgs_query(c, chapter_id ? &COMMENT_ROOTS_CHAPTER : &COMMENT_ROOTS_WORK, &rc, "IIIi", work_id,
		                        chapter_id, after_root, threads + 1);
		int nroots = r ? PQntuples(r) : 0;
		int64_t last = nroots ? pgs_int(r, nroots > threads ? threads - 1 : nroots - 1, 0) : 0;
		PQclear(r);
		if (rc == 0 && nroots > 0) {
			r = pgs_query(c, chapter_id ? &COMMENT_LIST_CHAPTER : &COMMENT_LIST_WORK, &rc, "IIIIi", work_id,
			              chapter_id, after_root, last, COMMENT_ROWS_MAX);
			rc = pgs_rows(a, r, rc, sizeof **out, comment_row, (void **)out, n);
			if (rc == 0)
				*next_root = nroots > threads ? last : 0;
		}
	}
	return rc;
}

/* Changes to comments readers may have seen already are normal changes of the work (its pages at once). */
struct edit_job {
	struct pg *s;
	int64_t id;
	const struct text *body;
	int version;
};

static int comment_edit_fn(struct pgc *c, void *arg)
{
	struct edit_job *j = arg;
	struct brief b;
	int rc = comment_brief(c, j->id, &b);
	if (rc)
		return rc;
	if (b.state == COMMENT_DELETED)
		return Q_EPERM;
	pgs_note(j->s, STORE_CHANGE_WORK, b.work_id);
	return pgs_exec(c, &COMMENT_EDIT, "IssIi", j->id, j->body->src, j->body->html, pgs_now(), j->version);
}

int pgs_comment_edit(struct store *st, int64_t id, const struct text *body, int sanitizer_version)
{
	if (!body || !body->src || !body->html)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	struct edit_job j = {pgs_of(st), id, body, sanitizer_version};
	return group(st, comment_edit_fn, &j, 0);
}

struct state_job {
	struct pg *s;
	int64_t id;
	int state;
};

static int comment_state_fn(struct pgc *c, void *arg)
{
	struct state_job *j = arg;
	struct brief b;
	int rc = comment_brief(c, j->id, &b);
	if (rc || b.state == j->state)
		return rc;
	if (b.state == COMMENT_DELETED)
		return Q_EPERM; /* its text is gone: there is nothing to show again */
	if ((rc = pgs_exec(c, &COMMENT_SET_STATE, "Ii", j->id, j->state)))
		return rc;
	pgs_note(j->s, STORE_CHANGE_WORK, b.work_id);
	if (j->state == COMMENT_DELETED)
		return pgs_exec(c, &COMMENT_WIPE, "I", j->id);
	if (b.state == COMMENT_PENDING && j->state == COMMENT_SHOWN) {
		/* Approved: it counts from today, and the writer of the comment it answers hears of it now. */
		rc = pgs_exec(c, &STATS_COMMENT, "III", b.work_id, b.chapter_id, today());
		struct brief p;
		if (rc == 0 && b.parent_id && (rc = comment_brief(c, b.parent_id, &p)) == 0 && p.user_id &&
		    p.user_id != b.user_id)
			rc = notify_reply(c, p.user_id, &b, j->id);
	}
	return rc;
}

int pgs_comment_set_state(struct store *st, int64_t id, int state)
{
	if (state < COMMENT_SHOWN || state > COMMENT_DELETED)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	struct state_job j = {pgs_of(st), id, state};
	return group(st, comment_state_fn, &j, 0);
}

struct freeze_job {
	struct pg *s;
	int64_t id;
	bool frozen;
};

static int comment_freeze_fn(struct pgc *c, void *arg)
{
	struct freeze_job *j = arg;
	struct brief b;
	int rc = comment_brief(c, j->id, &b);
	if (rc == 0)
		rc = pgs_exec(c, &COMMENT_FREEZE, "Ii", j->id, (int)j->frozen);
	if (rc == 0)
		pgs_note(j->s, STORE_CHANGE_WORK, b.work_id); /* reply links come and go */
	return rc;
}

int pgs_comment_freeze(struct store *st, int64_t id, bool frozen)
{
	struct freeze_job j = {pgs_of(st), id, frozen};
	return group(st, comment_freeze_fn, &j, 0);
}

/* ---- Kudos ----------------------------------------------------------------------------------- */

static int kudos_added(void *arg, const PGresult *r)
{
	(void)arg;
	if (PQntuples(r) != 1)
		return Q_ERR;
	return pgs_int(r, 0, 0) ? 0 : pgs_int(r, 0, 1) ? Q_EEXIST : Q_ENOTFOUND;
}

int pgs_kudos_add(struct store *st, int64_t work_id, int64_t chapter_id, int64_t user_id, const char *guest_hash)
{
	if (!user_id && (!guest_hash || !*guest_hash))
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	struct pgs_call call;
	pgs_call_bind(&call, &KUDOS_ADD, "IIItII", work_id, chapter_id, user_id, user_id ? NULL : guest_hash, pgs_now(),
	              today());
	return group_call(st, &call, kudos_added, NULL, work_id, false);
}

static void name_row(struct arena *a, const PGresult *r, int row, void *item)
{
	*(const char **)item = pgs_text(a, r, row, 0);
}

int pgs_kudos_names(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, int limit,
                    const char ***names, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*names = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, chapter_id ? &KUDOS_NAMES_CHAPTER : &KUDOS_NAMES_WORK, &rc, "IIi", work_id,
		                        chapter_id, limit > 0 ? limit : 100);
		rc = pgs_rows(a, r, rc, sizeof **names, name_row, (void **)names, n);
	}
	return rc;
}

/* ---- Bookmarks ------------------------------------------------------------------------------- */

struct bookmark_job {
	const struct bookmark *b;
	int64_t id;
};

static int bookmark_create_fn(struct pgc *c, void *arg)
{
	struct bookmark_job *j = arg;
	const struct bookmark *b = j->b;
	int64_t target = 0;
	int rc = pgs_query_int(c, &j->id, &BOOKMARK_CREATE, "IIsssiiII", b->user_id, b->work_id, b->notes.src,
	                       b->notes.html, b->tags, (int)b->private_, (int)b->rec, pgs_now(), today());
	if (rc == Q_ENOTFOUND) {
		/* One bookmark per reader and work (Q_EEXIST), or the reader or the work is missing. */
		rc = pgs_query_int(c, &target, &BOOKMARK_TARGET, "II", b->user_id, b->work_id);
		if (rc == 0)
			rc = target ? Q_EEXIST : Q_ENOTFOUND;
	}
	return rc;
}

int pgs_bookmark_create(struct store *st, const struct bookmark *b, int64_t *id)
{
	if (!b)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	struct bookmark_job j = {b, 0};
	int rc = group(st, bookmark_create_fn, &j, b->work_id);
	if (rc == 0 && id)
		*id = j.id;
	return rc;
}

static int bookmark_update_fn(struct pgc *c, void *arg)
{
	const struct bookmark *b = ((struct bookmark_job *)arg)->b;
	int rc = pgs_exec(c, &BOOKMARK_UPDATE, "IIsssiiI", b->id, b->user_id, b->notes.src, b->notes.html, b->tags,
	                  (int)b->private_, (int)b->rec, pgs_now());
	return rc == 0 && c->changes == 0 ? Q_ENOTFOUND : rc;
}

int pgs_bookmark_update(struct store *st, const struct bookmark *b)
{
	if (!b)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	struct bookmark_job j = {b, 0};
	return group(st, bookmark_update_fn, &j, b->work_id);
}

struct owned_job {
	int64_t user_id, id;
	bool flag;
	int64_t work_id; /* out: the work of a deleted bookmark */
};

static int bookmark_delete_fn(struct pgc *c, void *arg)
{
	struct owned_job *j = arg;
	return pgs_query_int(c, &j->work_id, &BOOKMARK_DELETE, "II", j->user_id, j->id);
}

/* The work is known once the bookmark is gone: noted for other servers then. */
static int bookmark_delete_noted_fn(struct pgc *c, void *arg)
{
	int rc = bookmark_delete_fn(c, arg);
	if (rc == 0)
		pgs_note_response(NULL, ((struct owned_job *)arg)->work_id, false);
	return rc;
}

int pgs_bookmark_delete(struct store *st, int64_t user_id, int64_t id)
{
	struct owned_job j = {user_id, id, false, 0};
	int rc = group(st, bookmark_delete_noted_fn, &j, 0);
	if (rc == 0)
		store_response_changed(st, j.work_id); /* the work's bookmark count */
	return rc;
}

/* One bookmark (Q_ENOTFOUND when none): by id (y unused) or by reader and work. */
static int bookmark_one(struct store *st, struct arena *a, struct bookmark *out, struct pg_stmt *q, int64_t x,
                        int64_t y)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = q == &BOOKMARK_GET ? pgs_query(c, q, &rc, "I", x) : pgs_query(c, q, &rc, "II", x, y);
		if (r && PQntuples(r) == 0) {
			rc = Q_ENOTFOUND;
		} else if (r) {
			memset(out, 0, sizeof *out);
			bookmark_row(a, r, 0, out);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_bookmark_get(struct store *st, struct arena *a, int64_t id, struct bookmark *out)
{
	return bookmark_one(st, a, out, &BOOKMARK_GET, id, 0);
}

int pgs_bookmark_find(struct store *st, struct arena *a, int64_t user_id, int64_t work_id, struct bookmark *out)
{
	return bookmark_one(st, a, out, &BOOKMARK_FIND, user_id, work_id);
}

int pgs_bookmark_list(struct store *st, struct arena *a, int64_t user_id, bool with_private, int64_t before_id,
                      int limit, struct bookmark **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, with_private ? &BOOKMARK_LIST : &BOOKMARK_LIST_PUBLIC, &rc, "IIi", user_id,
		                        before_id > 0 ? before_id : INT64_MAX, limit > 0 ? limit : 20);
		rc = pgs_rows(a, r, rc, sizeof **out, bookmark_row, (void **)out, n);
	}
	return rc;
}

/* ---- Reading history ------------------------------------------------------------------------- */

struct readings_job {
	const char *arrays[5]; /* users, works, chapters, times, views */
};

static int readings_fn(struct pgc *c, void *arg)
{
	struct readings_job *j = arg;
	return pgs_exec(c, &READINGS_RECORD, "sssss", j->arrays[0], j->arrays[1], j->arrays[2], j->arrays[3],
	                j->arrays[4]);
}

static int64_t reading_user(const void *r, size_t i)
{
	return ((const struct reading *)r)[i].user_id;
}

static int64_t reading_work(const void *r, size_t i)
{
	return ((const struct reading *)r)[i].work_id;
}

static int64_t reading_chapter(const void *r, size_t i)
{
	return ((const struct reading *)r)[i].chapter_id;
}

static int64_t reading_time(const void *r, size_t i)
{
	return ((const struct reading *)r)[i].read_at;
}

static int64_t reading_views(const void *r, size_t i)
{
	int64_t v = ((const struct reading *)r)[i].views;
	return v > 0 ? v : 1;
}

int pgs_readings_record(struct store *st, const struct reading *r, size_t n)
{
	if (n == 0)
		return 0;
	if (!r)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	int64_t (*const cols[5])(const void *, size_t) = {reading_user, reading_work, reading_chapter, reading_time,
	                                                  reading_views};
	struct buf b[5];
	struct readings_job j;
	for (int k = 0; k < 5; k++) {
		buf_init(&b[k]);
		int_array(&b[k], n, cols[k], r);
		j.arrays[k] = buf_cstr(&b[k]);
	}
	int rc = group(st, readings_fn, &j, 0); /* a reader's own history: no page anyone else sees */
	for (int k = 0; k < 5; k++)
		buf_free(&b[k]);
	return rc;
}

static int later_fn(struct pgc *c, void *arg)
{
	struct owned_job *j = arg;
	return pgs_exec(c, &READING_LATER, "IIi", j->user_id, j->id, (int)j->flag);
}

int pgs_reading_set_later(struct store *st, int64_t user_id, int64_t work_id, bool later)
{
	struct owned_job j = {user_id, work_id, later, 0};
	return group(st, later_fn, &j, 0);
}

int pgs_reading_list(struct store *st, struct arena *a, int64_t user_id, bool later_only, int64_t before, int limit,
                     struct reading **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, later_only ? &READING_LATER_LIST : &READING_HISTORY, &rc, "IIi", user_id,
		                        before > 0 ? before : INT64_MAX, limit > 0 ? limit : 20);
		rc = pgs_rows(a, r, rc, sizeof **out, reading_row, (void **)out, n);
	}
	return rc;
}

/* ---- Inbox ----------------------------------------------------------------------------------- */

int pgs_inbox_list(struct store *st, struct arena *a, int64_t user_id, bool unread_only, int64_t before_id,
                   int limit, struct inbox_item **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, unread_only ? &INBOX_LIST_UNREAD : &INBOX_LIST, &rc, "IIi", user_id,
		                        before_id > 0 ? before_id : INT64_MAX, limit > 0 ? limit : 20);
		rc = pgs_rows(a, r, rc, sizeof **out, inbox_row, (void **)out, n);
	}
	return rc;
}

static int inbox_mark_fn(struct pgc *c, void *arg)
{
	struct owned_job *j = arg;
	int rc = pgs_exec(c, &INBOX_MARK, "IIi", j->user_id, j->id, (int)j->flag);
	return rc == 0 && c->changes == 0 ? Q_ENOTFOUND : rc;
}

int pgs_inbox_mark(struct store *st, int64_t user_id, int64_t id, bool read)
{
	struct owned_job j = {user_id, id, read, 0};
	return group(st, inbox_mark_fn, &j, 0);
}

static int inbox_all_fn(struct pgc *c, void *arg)
{
	return pgs_exec(c, &INBOX_MARK_ALL, "I", ((struct owned_job *)arg)->user_id);
}

int pgs_inbox_mark_all(struct store *st, int64_t user_id)
{
	struct owned_job j = {user_id, 0, true, 0};
	return group(st, inbox_all_fn, &j, 0);
}

int pgs_inbox_unread(struct store *st, int64_t user_id, int64_t *count)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*count = 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, count, &INBOX_UNREAD, "I", user_id);
	}
	return rc;
}

/* ---- Hits and statistics --------------------------------------------------------------------- */

struct hits_job {
	const char *arrays[4]; /* works, chapters, days, hits */
};

static int hits_fn(struct pgc *c, void *arg)
{
	struct hits_job *j = arg;
	return pgs_exec(c, &HITS_ADD, "ssss", j->arrays[0], j->arrays[1], j->arrays[2], j->arrays[3]);
}

static int64_t hit_work(const void *h, size_t i)
{
	return ((const struct hit_count *)h)[i].work_id;
}

static int64_t hit_chapter(const void *h, size_t i)
{
	return ((const struct hit_count *)h)[i].chapter_id;
}

static int64_t hit_day(const void *h, size_t i)
{
	return ((const struct hit_count *)h)[i].day;
}

static int64_t hit_hits(const void *h, size_t i)
{
	return ((const struct hit_count *)h)[i].hits;
}

int pgs_hits_add(struct store *st, const struct hit_count *h, size_t n)
{
	if (n == 0)
		return 0;
	if (!h)
		return pgs_refuse(pgs_of(st), Q_EINVAL);
	int64_t (*const cols[4])(const void *, size_t) = {hit_work, hit_chapter, hit_day, hit_hits};
	struct buf b[4];
	struct hits_job j;
	for (int k = 0; k < 4; k++) {
		buf_init(&b[k]);
		int_array(&b[k], n, cols[k], h);
		j.arrays[k] = buf_cstr(&b[k]);
	}
	int64_t *works = xcalloc(n, sizeof *works);
	for (size_t i = 0; i < n; i++)
		works[i] = h[i].work_id;
	struct noted nt = {pgs_of(st), hits_fn, &j, works, n, false};
	int rc = pgs_group_write(pgs_of(st), noted_fn, &nt);
	free(works);
	for (int k = 0; k < 4; k++)
		buf_free(&b[k]);
	for (size_t i = 0; rc == 0 && i < n; i++)
		store_response_changed(st, h[i].work_id);
	return rc;
}

int pgs_stats_work(struct store *st, struct arena *a, int64_t work_id, int64_t since_day, struct stats_row **rows,
                   size_t *nrows, struct stats_day **days, size_t *ndays)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*rows = NULL;
	*days = NULL;
	*nrows = *ndays = 0;
	PG_READ(s, c, rc) {
		struct stats_row *work = NULL, *chapters = NULL;
		size_t nwork = 0, nchapters = 0;
		PGresult *r = pgs_query(c, &STATS_WORK_ROW, &rc, "I", work_id);
		rc = pgs_rows(a, r, rc, sizeof *work, stats_row, (void **)&work, &nwork);
		if (rc == 0 && nwork == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0) {
			r = pgs_query(c, &STATS_CHAPTER_ROWS, &rc, "I", work_id);
			rc = pgs_rows(a, r, rc, sizeof *chapters, stats_row, (void **)&chapters, &nchapters);
		}
		if (rc == 0) {
			r = pgs_query(c, &STATS_DAYS, &rc, "II", work_id, since_day);
			rc = pgs_rows(a, r, rc, sizeof **days, stats_day_row, (void **)days, ndays);
		}
		if (rc == 0) {
			/* rows[0] the work, then its chapters in order */
			*rows = arena_calloc(a, 1 + nchapters, sizeof **rows);
			(*rows)[0] = work[0];
			if (nchapters)
				memcpy(*rows + 1, chapters, nchapters * sizeof *chapters);
			*nrows = 1 + nchapters;
		}
	}
	return rc;
}

int pgs_stats_user(struct store *st, struct arena *a, int64_t user_id, struct stats_row **rows, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*rows = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &STATS_USER, &rc, "I", user_id);
		rc = pgs_rows(a, r, rc, sizeof **rows, stats_row, (void **)rows, n);
	}
	return rc;
}

int pgs_chapter_work(struct store *st, int64_t chapter_id, int64_t *work_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, work_id, &CHAPTER_WORK, "I", chapter_id);
	}
	return rc;
}
