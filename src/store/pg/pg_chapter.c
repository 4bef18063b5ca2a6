/* PostgreSQL backend: chapters, keeping positions contiguous, the work's word count and dates current, and each
 * chapter's search document. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

#define CHAPTER_COLS "id, work_id, position, title, summary, summary_html, notes, notes_html, end_notes, end_notes_html"
/* The chapter's own text (title, summary, notes, text: $A..$D) as weight D, and its work's search_meta as A. */
#define CHAPTER_DOC(title, summary, notes, text, work) \
	"setweight(to_tsvector('quire', " title ") || to_tsvector('quire', " summary ") || to_tsvector('quire', " \
	notes ") || to_tsvector('quire', " text "), 'D') || setweight(coalesce((SELECT search_meta FROM works" \
	" WHERE id = " work "), ''), 'A')"

static struct pg_stmt CHAPTER_INSERT = PG_STMT("INSERT INTO chapters(work_id, position, title, summary, summary_html,"
	" notes, notes_html, end_notes, end_notes_html, content, content_format, content_html, word_count, published_at,"
	" updated_at, sanitizer_version, search)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
	" " CHAPTER_DOC("$3", "$17", "$18", "$19", "$1") ") RETURNING id");
static struct pg_stmt CHAPTER_UPDATE = PG_STMT("UPDATE chapters SET title = $3, summary = $4, summary_html = $5,"
	" notes = $6, notes_html = $7, end_notes = $8, end_notes_html = $9, content = $10, content_format = $11,"
	" content_html = $12, word_count = $13, updated_at = $14, sanitizer_version = $15,"
	" search = " CHAPTER_DOC("$3", "$16", "$17", "$18", "$2") " WHERE id = $1 AND work_id = $2");
static struct pg_stmt WORK_STATE = PG_STMT("SELECT draft FROM works WHERE id = $1");
/* FOR UPDATE: the work row is where a new chapter's position is decided (the write lock serializes this
 * already; the row lock keeps it so for any writer that does not take it). */
static struct pg_stmt WORK_LOCK = PG_STMT("SELECT draft FROM works WHERE id = $1 FOR UPDATE");
static struct pg_stmt WORK_TOUCH = PG_STMT("UPDATE works SET updated_at = $2 WHERE id = $1");
static struct pg_stmt WORK_WORDS = PG_STMT("UPDATE works SET word_count ="
	" (SELECT COALESCE(SUM(word_count), 0) FROM chapters WHERE work_id = $1) WHERE id = $1");
static struct pg_stmt CHAPTER_MAXPOS = PG_STMT("SELECT COALESCE(MAX(position), 0) FROM chapters WHERE work_id = $1");
static struct pg_stmt CHAPTER_POS = PG_STMT("SELECT position FROM chapters WHERE work_id = $1 AND id = $2");
static struct pg_stmt CHAPTER_COUNT = PG_STMT("SELECT COUNT(*) FROM chapters WHERE work_id = $1");
static struct pg_stmt CHAPTER_DELETE = PG_STMT("DELETE FROM chapters WHERE work_id = $1 AND id = $2");
static struct pg_stmt CHAPTER_SHIFT = PG_STMT("UPDATE chapters SET position = position - 1"
	" WHERE work_id = $1 AND position > $2");
static struct pg_stmt CHAPTER_SETPOS = PG_STMT("UPDATE chapters SET position = $3 WHERE work_id = $1 AND id = $2");
static struct pg_stmt CHAPTER_GET = PG_STMT("SELECT " CHAPTER_COLS ", content, content_format, content_html,"
	" word_count, published_at, updated_at, sanitizer_version FROM chapters WHERE work_id = $1 AND id = $2");
/* CASE keeps the large columns unsent when listing. */
static struct pg_stmt CHAPTER_LIST = PG_STMT("SELECT " CHAPTER_COLS ", CASE WHEN $2::int <> 0 THEN content END,"
	" content_format, CASE WHEN $2::int <> 0 THEN content_html END, word_count, published_at, updated_at,"
	" sanitizer_version FROM chapters WHERE work_id = $1 ORDER BY position");

static void chapter_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct chapter *ch = item;
	ch->id = pgs_int(r, row, 0);
	ch->work_id = pgs_int(r, row, 1);
	ch->position = (int)pgs_int(r, row, 2);
	ch->title = pgs_text(a, r, row, 3);
	ch->summary.src = pgs_text(a, r, row, 4);
	ch->summary.html = pgs_text(a, r, row, 5);
	ch->notes.src = pgs_text(a, r, row, 6);
	ch->notes.html = pgs_text(a, r, row, 7);
	ch->end_notes.src = pgs_text(a, r, row, 8);
	ch->end_notes.html = pgs_text(a, r, row, 9);
	ch->content = pgs_text(a, r, row, 10);
	ch->content_format = pgs_text(a, r, row, 11);
	ch->content_html = pgs_text(a, r, row, 12);
	ch->word_count = pgs_int(r, row, 13);
	ch->published_at = pgs_int(r, row, 14);
	ch->updated_at = pgs_int(r, row, 15);
	ch->sanitizer_version = (int)pgs_int(r, row, 16);
}

/* The text of the chapter's parts for its search document (malloc'd). */
struct chapter_text {
	char *summary, *notes, *text;
};

static struct chapter_text chapter_text(const struct chapter *ch)
{
	return (struct chapter_text){pgs_plain(ch->summary.html, NULL), pgs_plain(ch->notes.html, ch->end_notes.html),
	                             pgs_plain(ch->content_html, NULL)};
}

static void chapter_text_free(struct chapter_text *t)
{
	free(t->summary);
	free(t->notes);
	free(t->text);
}

int pgs_chapter_insert(struct pgc *c, const struct chapter *ch, int pos, int64_t published, int64_t now, int64_t *id)
{
	struct chapter_text t = chapter_text(ch);
	int rc = pgs_query_int(c, id, &CHAPTER_INSERT, "IissssssssssIIIisss", ch->work_id, pos, ch->title,
	                       ch->summary.src, ch->summary.html, ch->notes.src, ch->notes.html, ch->end_notes.src,
	                       ch->end_notes.html, ch->content, ch->content_format ? ch->content_format : "html",
	                       ch->content_html, ch->word_count, published, now, ch->sanitizer_version, t.summary,
	                       t.notes, t.text);
	chapter_text_free(&t);
	return rc;
}

int pgs_chapter_create(struct store *st, const struct chapter *ch, int64_t *chapter_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t now = pgs_now(), id = 0;
	if (!ch)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t draft = 0, pos = 0;
		rc = pgs_query_int(c, &draft, &WORK_LOCK, "I", ch->work_id);
		if (rc == 0)
			rc = pgs_query_int(c, &pos, &CHAPTER_MAXPOS, "I", ch->work_id);
		/* A chapter added to a draft is published when the work is posted. */
		if (rc == 0)
			rc = pgs_chapter_insert(c, ch, (int)pos + 1, draft ? 0 : now, now, &id);
		if (rc == 0)
			rc = pgs_exec(c, &WORK_TOUCH, "II", ch->work_id, now);
		if (rc == 0)
			rc = pgs_exec(c, &WORK_WORDS, "I", ch->work_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, ch->work_id);
	}
	if (rc == 0 && chapter_id)
		*chapter_id = id;
	return rc;
}

int pgs_chapter_update(struct store *st, const struct chapter *ch)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t now = pgs_now();
	if (!ch)
		return pgs_refuse(s, Q_EINVAL);
	struct chapter_text t = chapter_text(ch);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &CHAPTER_UPDATE, "IIssssssssssIIisss", ch->id, ch->work_id, ch->title, ch->summary.src,
		              ch->summary.html, ch->notes.src, ch->notes.html, ch->end_notes.src, ch->end_notes.html,
		              ch->content, ch->content_format ? ch->content_format : "html", ch->content_html,
		              ch->word_count, now, ch->sanitizer_version, t.summary, t.notes, t.text);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_exec(c, &WORK_TOUCH, "II", ch->work_id, now);
		if (rc == 0)
			rc = pgs_exec(c, &WORK_WORDS, "I", ch->work_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, ch->work_id);
	}
	chapter_text_free(&t);
	return rc;
}

int pgs_chapter_delete(struct store *st, int64_t work_id, int64_t chapter_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t pos = 0, count = 0;
		rc = pgs_query_int(c, &pos, &CHAPTER_POS, "II", work_id, chapter_id);
		if (rc == 0)
			rc = pgs_query_int(c, &count, &CHAPTER_COUNT, "I", work_id);
		/* A work always has a chapter; deleting the work is the way to remove the last. */
		if (rc == 0 && count <= 1)
			rc = Q_EINVAL;
		if (rc == 0)
			rc = pgs_exec(c, &CHAPTER_DELETE, "II", work_id, chapter_id);
		if (rc == 0)
			rc = pgs_exec(c, &CHAPTER_SHIFT, "II", work_id, pos);
		if (rc == 0)
			rc = pgs_exec(c, &WORK_WORDS, "I", work_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

int pgs_chapter_get(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id, struct chapter *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &CHAPTER_GET, &rc, "II", work_id, chapter_id);
		if (r && PQntuples(r) == 0)
			rc = Q_ENOTFOUND;
		else if (r)
			chapter_from_row(a, r, 0, out);
		PQclear(r);
	}
	return rc;
}

int pgs_chapter_list(struct store *st, struct arena *a, int64_t work_id, bool with_content, struct chapter **out,
                     size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &CHAPTER_LIST, &rc, "Ii", work_id, (int)with_content);
		rc = pgs_rows(a, r, rc, sizeof **out, chapter_from_row, (void **)out, n);
	}
	return rc;
}

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* True when ids holds no value twice. */
static bool ids_distinct(const int64_t *ids, size_t n)
{
	if (n < 2)
		return true;
	int64_t *sorted = xmalloc(n * sizeof *sorted);
	memcpy(sorted, ids, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_id);
	bool ok = true;
	for (size_t i = 1; i < n && ok; i++)
		ok = sorted[i] != sorted[i - 1];
	free(sorted);
	return ok;
}

int pgs_chapter_reorder(struct store *st, int64_t work_id, const int64_t *ids, size_t n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if ((n && !ids) || !ids_distinct(ids, n))
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t draft = 0, count = 0;
		rc = pgs_query_int(c, &draft, &WORK_STATE, "I", work_id);
		if (rc == 0)
			rc = pgs_query_int(c, &count, &CHAPTER_COUNT, "I", work_id);
		/* Distinct, as many as the work has, and each one the work's: exactly its set of chapters. */
		if (rc == 0 && (size_t)count != n)
			rc = Q_EINVAL;
		for (size_t i = 0; i < n && rc == 0; i++) {
			rc = pgs_exec(c, &CHAPTER_SETPOS, "IIi", work_id, ids[i], (int)i + 1);
			if (rc == 0 && c->changes == 0)
				rc = Q_EINVAL;
		}
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}
