/* SQLite backend: texts an older sanitizer rendered, and storing their new renderings (store.h, "Rendering again"). */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

/* Columns: id, work id, version, then the sources in struct stale_text's order, then (chapters) the format. */
static void stale_from_row(struct arena *a, sqlite3_stmt *q, struct stale_text *t, enum stale_kind kind, int nsrc)
{
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->id = sqlite3_column_int64(q, 0);
	t->work_id = sqlite3_column_int64(q, 1);
	t->version = sqlite3_column_int(q, 2);
	for (int i = 0; i < nsrc; i++) {
		t->text[i].src = sqls_col_text(a, q, 3 + i);
		t->text[i].html = "";
	}
	if (kind == STALE_CHAPTER)
		t->format = sqls_col_text(a, q, 3 + nsrc);
}

int sqls_stale_texts(struct store *st, struct arena *a, int version, int limit, struct stale_text **out, size_t *n)
{
	static const struct {
		enum sql_id sql;
		enum stale_kind kind;
		int nsrc;
	} kinds[] = {
		{SQL_STALE_WORKS, STALE_WORK, 3}, {SQL_STALE_CHAPTERS, STALE_CHAPTER, 4}, {SQL_STALE_COMMENTS, STALE_COMMENT, 1},
	};
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	if (limit <= 0)
		return 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	struct stale_text *list = NULL;
	size_t count = 0, cap = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds && rc == 0 && count < (size_t)limit; k++) {
		sqlite3_stmt *q = sqls_prep(c, kinds[k].sql, "ii", version, limit - (int)count);
		if (!q) {
			rc = Q_ERR;
			break;
		}
		while ((rc = sqls_step(c, q)) == 1) {
			list = arena_grow(a, list, count, &cap, sizeof *list);
			stale_from_row(a, q, &list[count++], kinds[k].kind, kinds[k].nsrc);
		}
		sqls_reset(q);
	}
	sqls_rd_end(s, c);
	if (rc == 0) {
		*out = list;
		*n = count;
	}
	return rc;
}

static const char *html_of(const struct stale_text *t, int i)
{
	return t->text[i].html ? t->text[i].html : "";
}

static const char *src_of(const struct stale_text *t, int i)
{
	return t->text[i].src ? t->text[i].src : "";
}

int sqls_stale_text_save(struct store *st, const struct stale_text *t, int version)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!t)
		return sqls_refuse(s, Q_EINVAL);
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	switch (t->kind) {
	case STALE_WORK:
		rc = sqls_exec(c, SQL_STALE_WORK_SAVE, "IisssIsss", t->id, t->version, html_of(t, 0), html_of(t, 1),
		               html_of(t, 2), (int64_t)version, src_of(t, 0), src_of(t, 1), src_of(t, 2));
		break;
	case STALE_CHAPTER:
		rc = sqls_exec(c, SQL_STALE_CHAPTER_SAVE, "IissssIIsssss", t->id, t->version, html_of(t, 0), html_of(t, 1),
		               html_of(t, 2), html_of(t, 3), t->word_count, (int64_t)version, src_of(t, 0), src_of(t, 1),
		               src_of(t, 2), src_of(t, 3), t->format ? t->format : "html");
		break;
	case STALE_COMMENT:
		rc = sqls_exec(c, SQL_STALE_COMMENT_SAVE, "IisIs", t->id, t->version, html_of(t, 0), (int64_t)version,
		               src_of(t, 0));
		break;
	default:
		rc = Q_EINVAL;
	}
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND; /* edited (or gone) since it was read: the edit's rendering stands */
	if (rc == 0 && t->kind == STALE_CHAPTER)
		rc = sqls_exec(c, SQL_WORK_WORDS, "I", t->work_id);
	if (rc == 0 && t->kind == STALE_COMMENT)
		sqls_note(s, STORE_CHANGE_WORK, t->work_id);
	else if (rc == 0)
		rc = sqls_note_work(s, c, t->work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_stale_mark_media(struct store *st, int64_t *marked)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*marked = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_STALE_MARK_MEDIA, "");
	if (rc == 0)
		*marked = sqls_changes(c);
	return sqls_wr_end(s, c, rc); /* nothing readers see changed yet: the new renderings note their works */
}
