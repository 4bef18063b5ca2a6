/* PostgreSQL backend: what a work's rows derive from its tags and text: filter tags, crossover flag, fandom hints
 * of new tags, and the parts of the search documents that need Quire's own C (the text of stored HTML). */
#include "store/pg/pg_int.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/html_text.h"
#include <stdlib.h>
#include <string.h>

/* A work's filter tags: its tags with synonyms replaced by their canonical tags, and every meta tag above. */
#define FILTER_CLOSURE "WITH RECURSIVE closure(id) AS (SELECT coalesce(t.merger_id, t.id) FROM work_tags wt" \
	" JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = $1" \
	" UNION SELECT m.meta_id FROM closure JOIN meta_tags m ON m.sub_id = closure.id) "
#define CROSSOVER_OF_1 "((SELECT COUNT(DISTINCT coalesce(t.merger_id, t.id)) FROM work_tags wt" \
	" JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = $1 AND t.type = 3) > 1)::int"

static struct pg_stmt FILTER_DEL = PG_STMT(FILTER_CLOSURE "DELETE FROM filter_taggings WHERE work_id = $1"
	" AND tag_id NOT IN (SELECT id FROM closure)");
static struct pg_stmt FILTER_ADD = PG_STMT(FILTER_CLOSURE "INSERT INTO filter_taggings(work_id, tag_id)"
	" SELECT $1, id FROM closure ON CONFLICT DO NOTHING");
/* " id:type id:type ..." in tag id order, as SQLite's group_concat over the table's key gives it. */
static struct pg_stmt FILTER_TEXT = PG_STMT("UPDATE works SET filter_tags = coalesce((SELECT ' ' ||"
	" string_agg(f.tag_id || ':' || t.type, ' ' ORDER BY f.tag_id) FROM filter_taggings f JOIN tags t"
	" ON t.id = f.tag_id WHERE f.work_id = $1), '') WHERE id = $1");
/* A crossover has two or more fandoms (after synonyms). */
static struct pg_stmt CROSSOVER = PG_STMT("UPDATE works SET crossover = " CROSSOVER_OF_1 " WHERE id = $1"
	" AND crossover <> " CROSSOVER_OF_1);
/* New tags wait in the wrangling queue under the first fandom of the work that brought them. */
static struct pg_stmt HINT = PG_STMT("UPDATE tags SET fandom_hint_id = (SELECT coalesce(f.merger_id, f.id)"
	" FROM work_tags wt JOIN tags f ON f.id = wt.tag_id WHERE wt.work_id = $1 AND f.type = 3"
	" ORDER BY wt.position LIMIT 1) WHERE fandom_hint_id IS NULL AND type > 3 AND wrangled = 0"
	" AND id IN (SELECT tag_id FROM work_tags WHERE work_id = $1)");
/* The work's tags, creators and search_meta in the documents (and each chapter's copy when it changed). */
static struct pg_stmt SEARCH_REFRESH = PG_STMT("SELECT quire_search_refresh($1)");

int pgs_tags_work_sync(struct pgc *c, int64_t work_id)
{
	int rc = pgs_exec(c, &FILTER_DEL, "I", work_id);
	if (rc == 0)
		rc = pgs_exec(c, &FILTER_ADD, "I", work_id);
	if (rc == 0)
		rc = pgs_exec(c, &FILTER_TEXT, "I", work_id);
	if (rc == 0)
		rc = pgs_exec(c, &CROSSOVER, "I", work_id);
	if (rc == 0)
		rc = pgs_exec(c, &HINT, "I", work_id);
	if (rc == 0)
		rc = pgs_exec(c, &SEARCH_REFRESH, "I", work_id);
	return rc;
}

/* html_text of each piece, joined by spaces (what SQLite's quire_plain gives the index). */
char *pgs_plain(const char *html1, const char *html2)
{
	struct buf b = BUF_INIT;
	if (html1)
		html_text(html1, strlen(html1), &b);
	if (html2) {
		buf_putc(&b, ' ');
		html_text(html2, strlen(html2), &b);
	}
	buf_putc(&b, '\0');
	size_t len;
	return buf_detach(&b, &len);
}

/* ---- Rebuilding every search document (after quire store copy wrote the rows without them) ---------- */

static struct pg_stmt WORKS_TEXT = PG_STMT("SELECT id, title, summary_html, notes_html, end_notes_html FROM works"
	" WHERE id > $1 ORDER BY id LIMIT 500");
static struct pg_stmt WORK_OWN = PG_STMT("UPDATE works SET search = setweight(to_tsvector('quire', $2)"
	" || to_tsvector('quire', $3) || to_tsvector('quire', $4), 'D') || ts_filter(search, '{b,c}') WHERE id = $1");
static struct pg_stmt REFRESH_ALL = PG_STMT("SELECT count(quire_search_refresh(id)) FROM works");
static struct pg_stmt CHAPTERS_TEXT = PG_STMT("SELECT id, title, summary_html, notes_html, end_notes_html,"
	" content_html FROM chapters WHERE id > $1 ORDER BY id LIMIT 200");
static struct pg_stmt CHAPTER_DOC = PG_STMT("UPDATE chapters c SET search = setweight(to_tsvector('quire', $2)"
	" || to_tsvector('quire', $3) || to_tsvector('quire', $4) || to_tsvector('quire', $5), 'D')"
	" || setweight(w.search_meta, 'A') FROM works w WHERE c.id = $1 AND w.id = c.work_id");

int pgs_search_rebuild(struct pgc *c)
{
	int rc = 0;
	int64_t last = 0;
	for (bool more = true; more && rc == 0;) {
		PGresult *r = pgs_query(c, &WORKS_TEXT, &rc, "I", last);
		more = r && PQntuples(r) > 0;
		for (int i = 0; r && rc == 0 && i < PQntuples(r); i++) {
			char *summary = pgs_plain(PQgetvalue(r, i, 2), NULL), *notes = pgs_plain(PQgetvalue(r, i, 3),
			                                                                          PQgetvalue(r, i, 4));
			last = pgs_int(r, i, 0);
			rc = pgs_exec(c, &WORK_OWN, "Itss", last, PQgetvalue(r, i, 1), summary, notes);
			free(summary);
			free(notes);
		}
		PQclear(r);
	}
	if (rc == 0)
		rc = pgs_exec(c, &REFRESH_ALL, "");
	last = 0;
	for (bool more = true; more && rc == 0;) {
		PGresult *r = pgs_query(c, &CHAPTERS_TEXT, &rc, "I", last);
		more = r && PQntuples(r) > 0;
		for (int i = 0; r && rc == 0 && i < PQntuples(r); i++) {
			char *summary = pgs_plain(PQgetvalue(r, i, 2), NULL),
			     *notes = pgs_plain(PQgetvalue(r, i, 3), PQgetvalue(r, i, 4)),
			     *text = pgs_plain(PQgetvalue(r, i, 5), NULL);
			last = pgs_int(r, i, 0);
			rc = pgs_exec(c, &CHAPTER_DOC, "Itsss", last, PQgetvalue(r, i, 1), summary, notes, text);
			free(summary);
			free(notes);
			free(text);
		}
		PQclear(r);
	}
	return rc;
}
