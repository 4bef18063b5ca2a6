/* PostgreSQL backend: texts an older sanitizer rendered, and storing their new renderings with the search
 * documents that follow from them (store.h, "Rendering again"). */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

/* Oldest version first, through the sanitizer_version indexes (migration 3); columns: id, work id, version, the
 * sources in struct stale_text's order, then (chapters) the format. */
static struct pg_stmt STALE_WORKS = PG_STMT("SELECT id, id, sanitizer_version, summary, notes, end_notes FROM works"
	" WHERE sanitizer_version < $1 ORDER BY sanitizer_version, id LIMIT $2");
static struct pg_stmt STALE_CHAPTERS = PG_STMT("SELECT id, work_id, sanitizer_version, content, summary, notes,"
	" end_notes, content_format FROM chapters WHERE sanitizer_version < $1 ORDER BY sanitizer_version, id LIMIT $2");
static struct pg_stmt STALE_COMMENTS = PG_STMT("SELECT id, work_id, sanitizer_version, body FROM comments"
	" WHERE sanitizer_version < $1 ORDER BY sanitizer_version, id LIMIT $2");
/* The new renderings, only over the version and sources they were read with; the search documents as the
 * writes of works and chapters build them (pg_work.c, pg_chapter.c): the text parts from the new HTML. */
static struct pg_stmt STALE_WORK_SAVE = PG_STMT("UPDATE works SET summary_html = $3, notes_html = $4,"
	" end_notes_html = $5, sanitizer_version = $6, search = setweight(to_tsvector('quire', title)"
	" || to_tsvector('quire', $10) || to_tsvector('quire', $11), 'D') || ts_filter(search, '{b,c}')"
	" WHERE id = $1 AND sanitizer_version = $2 AND summary = $7 AND notes = $8 AND end_notes = $9");
static struct pg_stmt STALE_CHAPTER_SAVE = PG_STMT("UPDATE chapters c SET content_html = $3, summary_html = $4,"
	" notes_html = $5, end_notes_html = $6, word_count = $7, sanitizer_version = $8,"
	" search = setweight(to_tsvector('quire', c.title) || to_tsvector('quire', $14) || to_tsvector('quire', $15)"
	" || to_tsvector('quire', $16), 'D') || setweight(coalesce((SELECT search_meta FROM works w"
	" WHERE w.id = c.work_id), ''), 'A')"
	" WHERE c.id = $1 AND c.sanitizer_version = $2 AND c.content = $9 AND c.summary = $10 AND c.notes = $11"
	" AND c.end_notes = $12 AND c.content_format = $13");
static struct pg_stmt STALE_COMMENT_SAVE = PG_STMT("UPDATE comments SET body_html = $3, sanitizer_version = $4"
	" WHERE id = $1 AND sanitizer_version = $2 AND body = $5");
static struct pg_stmt WORK_WORDS = PG_STMT("UPDATE works SET word_count ="
	" (SELECT COALESCE(SUM(word_count), 0) FROM chapters WHERE work_id = $1) WHERE id = $1");
/* ILIKE: <IFRAME counts. Reads every chapter's source: for the rare change of media hosts or address. */
static struct pg_stmt STALE_MARK_MEDIA = PG_STMT("UPDATE chapters SET sanitizer_version = 0 WHERE sanitizer_version > 0"
	" AND (content ILIKE '%<img%' OR content ILIKE '%<iframe%' OR content ILIKE '%<audio%'"
	" OR content ILIKE '%<video%' OR content LIKE '%![%')");

static void stale_row(struct arena *a, const PGresult *r, int row, struct stale_text *t, enum stale_kind kind, int nsrc)
{
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->id = pgs_int(r, row, 0);
	t->work_id = pgs_int(r, row, 1);
	t->version = (int)pgs_int(r, row, 2);
	for (int i = 0; i < nsrc; i++) {
		t->text[i].src = pgs_text(a, r, row, 3 + i);
		t->text[i].html = "";
	}
	if (kind == STALE_CHAPTER)
		t->format = pgs_text(a, r, row, 3 + nsrc);
}

int pgs_stale_texts(struct store *st, struct arena *a, int version, int limit, struct stale_text **out, size_t *n)
{
	static struct {
		struct pg_stmt *sql;
		enum stale_kind kind;
		int nsrc;
	} kinds[] = {
		{&STALE_WORKS, STALE_WORK, 3}, {&STALE_CHAPTERS, STALE_CHAPTER, 4}, {&STALE_COMMENTS, STALE_COMMENT, 1},
	};
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	if (limit <= 0)
		return 0;
	struct stale_text *list = NULL;
	size_t count = 0, cap = 0;
	PG_READ(s, c, rc) {
		list = NULL;
		count = cap = 0;
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds && rc == 0 && count < (size_t)limit; k++) {
			PGresult *r = pgs_query(c, kinds[k].sql, &rc, "ii", version, limit - (int)count);
			for (int i = 0; r && rc == 0 && i < PQntuples(r); i++) {
				list = pgs_grow(a, list, count, &cap, sizeof *list);
				stale_row(a, r, i, &list[count++], kinds[k].kind, kinds[k].nsrc);
			}
			PQclear(r);
		}
	}
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

int pgs_stale_text_save(struct store *st, const struct stale_text *t, int version)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!t || (t->kind != STALE_WORK && t->kind != STALE_CHAPTER && t->kind != STALE_COMMENT))
		return pgs_refuse(s, Q_EINVAL);
	/* The search documents' text, from the new renderings (as the writes of works and chapters make it). */
	char *p1 = NULL, *p2 = NULL, *p3 = NULL;
	if (t->kind == STALE_WORK) {
		p1 = pgs_plain(html_of(t, 0), NULL);
		p2 = pgs_plain(html_of(t, 1), html_of(t, 2));
	} else if (t->kind == STALE_CHAPTER) {
		p1 = pgs_plain(html_of(t, 1), NULL);
		p2 = pgs_plain(html_of(t, 2), html_of(t, 3));
		p3 = pgs_plain(html_of(t, 0), NULL);
	}
	PG_WRITE(s, c, rc) {
		switch (t->kind) {
		case STALE_WORK:
			rc = pgs_exec(c, &STALE_WORK_SAVE, "Iisssisssss", t->id, t->version, html_of(t, 0), html_of(t, 1),
			              html_of(t, 2), version, src_of(t, 0), src_of(t, 1), src_of(t, 2), p1, p2);
			break;
		case STALE_CHAPTER:
			rc = pgs_exec(c, &STALE_CHAPTER_SAVE, "IissssIissssssss", t->id, t->version, html_of(t, 0),
			              html_of(t, 1), html_of(t, 2), html_of(t, 3), t->word_count, version, src_of(t, 0),
			              src_of(t, 1), src_of(t, 2), src_of(t, 3), t->format ? t->format : "html", p1, p2, p3);
			break;
		default:
			rc = pgs_exec(c, &STALE_COMMENT_SAVE, "Iisis", t->id, t->version, html_of(t, 0), version, src_of(t, 0));
			break;
		}
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND; /* edited (or gone) since it was read: the edit's rendering stands */
		if (rc == 0 && t->kind == STALE_CHAPTER)
			rc = pgs_exec(c, &WORK_WORDS, "I", t->work_id);
		if (rc == 0 && t->kind == STALE_COMMENT)
			pgs_note(s, STORE_CHANGE_WORK, t->work_id);
		else if (rc == 0)
			rc = pgs_note_work(s, c, t->work_id);
	}
	free(p1);
	free(p2);
	free(p3);
	return rc;
}

int pgs_stale_mark_media(struct store *st, int64_t *marked)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*marked = 0;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &STALE_MARK_MEDIA, "");
		if (rc == 0)
			*marked = c->changes;
	}
	return rc;
}
