/* SQLite backend: chapters, keeping positions contiguous and the work's word count and dates current. */
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

static void chapter_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct chapter *ch = item;
	ch->id = sqlite3_column_int64(q, 0);
	ch->work_id = sqlite3_column_int64(q, 1);
	ch->position = sqlite3_column_int(q, 2);
	ch->title = sqls_col_text(a, q, 3);
	ch->summary.src = sqls_col_text(a, q, 4);
	ch->summary.html = sqls_col_text(a, q, 5);
	ch->notes.src = sqls_col_text(a, q, 6);
	ch->notes.html = sqls_col_text(a, q, 7);
	ch->end_notes.src = sqls_col_text(a, q, 8);
	ch->end_notes.html = sqls_col_text(a, q, 9);
	ch->content = sqls_col_text(a, q, 10);
	ch->content_format = sqls_col_text(a, q, 11);
	ch->content_html = sqls_col_text(a, q, 12);
	ch->word_count = sqlite3_column_int64(q, 13);
	ch->published_at = sqlite3_column_int64(q, 14);
	ch->updated_at = sqlite3_column_int64(q, 15);
	ch->sanitizer_version = sqlite3_column_int(q, 16);
}

int sqls_chapter_create(struct store *st, const struct chapter *ch, int64_t *chapter_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t draft = 0, pos = 0, now = sqls_now(), id = 0;
	if (!ch)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_query_int(c, &draft, SQL_WORK_STATE, "I", ch->work_id)))
		goto done;
	if ((rc = sqls_query_int(c, &pos, SQL_CHAPTER_MAXPOS, "I", ch->work_id)))
		goto done;
	/* A chapter added to a draft is published when the work is posted. */
	rc = sqls_exec(c, SQL_CHAPTER_INSERT, "IissssssssssIIIi", ch->work_id, (int)pos + 1, ch->title,
	               ch->summary.src, ch->summary.html, ch->notes.src, ch->notes.html,
	               ch->end_notes.src, ch->end_notes.html, ch->content,
	               ch->content_format ? ch->content_format : "html", ch->content_html,
	               ch->word_count, draft ? (int64_t)0 : now, now, ch->sanitizer_version);
	if (rc)
		goto done;
	id = sqls_last_id(c);
	rc = sqls_exec(c, SQL_WORK_TOUCH, "II", ch->work_id, now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_WORK_WORDS, "I", ch->work_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, ch->work_id);
done:
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0 && chapter_id)
		*chapter_id = id;
	return rc;
}

int sqls_chapter_update(struct store *st, const struct chapter *ch)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t now = sqls_now();
	if (!ch)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_CHAPTER_UPDATE, "IIssssssssssIIi", ch->id, ch->work_id, ch->title,
	               ch->summary.src, ch->summary.html, ch->notes.src, ch->notes.html,
	               ch->end_notes.src, ch->end_notes.html, ch->content,
	               ch->content_format ? ch->content_format : "html", ch->content_html,
	               ch->word_count, now, ch->sanitizer_version);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_exec(c, SQL_WORK_TOUCH, "II", ch->work_id, now);
	if (rc == 0)
		rc = sqls_exec(c, SQL_WORK_WORDS, "I", ch->work_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, ch->work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_chapter_delete(struct store *st, int64_t work_id, int64_t chapter_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t pos = 0, count = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_query_int(c, &pos, SQL_CHAPTER_POS, "II", work_id, chapter_id)))
		goto done;
	if ((rc = sqls_query_int(c, &count, SQL_CHAPTER_COUNT, "I", work_id)))
		goto done;
	if (count <= 1) {
		/* A work always has a chapter; deleting the work is the way to remove the last. */
		rc = Q_EINVAL;
		goto done;
	}
	rc = sqls_exec(c, SQL_CHAPTER_DELETE, "II", work_id, chapter_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_CHAPTER_SHIFT, "II", work_id, pos);
	if (rc == 0)
		rc = sqls_exec(c, SQL_WORK_WORDS, "I", work_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
done:
	return sqls_wr_end(s, c, rc);
}

int sqls_chapter_get(struct store *st, struct arena *a, int64_t work_id, int64_t chapter_id,
                     struct chapter *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_CHAPTER_GET, "II", work_id, chapter_id);
	if ((rc = sqls_one_row(c, q)) == 0)
		chapter_from_row(a, q, out);
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_chapter_list(struct store *st, struct arena *a, int64_t work_id, bool with_content,
                      struct chapter **out, size_t *n)
{
	return sqls_read_rows(sqls_of(st), a, sizeof **out, chapter_from_row, out, n, SQL_CHAPTER_LIST, "Ii", work_id,
	                      (int)with_content);
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

int sqls_chapter_reorder(struct store *st, int64_t work_id, const int64_t *ids, size_t n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t draft = 0, count = 0;
	if ((n && !ids) || !ids_distinct(ids, n))
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_query_int(c, &draft, SQL_WORK_STATE, "I", work_id)))
		goto done;
	if ((rc = sqls_query_int(c, &count, SQL_CHAPTER_COUNT, "I", work_id)))
		goto done;
	/* Distinct, as many as the work has, and each one the work's: exactly its set of chapters. */
	if ((size_t)count != n) {
		rc = Q_EINVAL;
		goto done;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = sqls_exec(c, SQL_CHAPTER_SETPOS, "IIi", work_id, ids[i], (int)i + 1);
		if (rc == 0 && sqls_changes(c) == 0)
			rc = Q_EINVAL;
	}
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
done:
	return sqls_wr_end(s, c, rc);
}
