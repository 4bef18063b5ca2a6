/* PostgreSQL backend: works with their tags, creators and series; listings by author or series, co-creator
 * invitations. */
#include "store/pg/pg_int.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/tagname.h"
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 20
#define LIST_MAX 100

static struct pg_stmt WORK_INSERT = PG_STMT("INSERT INTO works(title, summary, summary_html, notes, notes_html,"
	" end_notes, end_notes_html, language, expected_chapters, complete, draft, restricted, published_at,"
	" updated_at, created_at, word_count, sanitizer_version, search)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, 0, $15,"
	" setweight(to_tsvector('quire', $1) || to_tsvector('quire', $16) || to_tsvector('quire', $17), 'D'))"
	" RETURNING id");
static struct pg_stmt WORK_UPDATE = PG_STMT("UPDATE works SET title = $2, summary = $3, summary_html = $4,"
	" notes = $5, notes_html = $6, end_notes = $7, end_notes_html = $8, language = $9, expected_chapters = $10,"
	" complete = $11, restricted = $12, sanitizer_version = $13,"
	" search = setweight(to_tsvector('quire', $2) || to_tsvector('quire', $14) || to_tsvector('quire', $15), 'D')"
	" || ts_filter(search, '{b,c}') WHERE id = $1");
static struct pg_stmt WORK_STATE = PG_STMT("SELECT draft FROM works WHERE id = $1");
static struct pg_stmt WORK_POST = PG_STMT("UPDATE works SET draft = 0, published_at = $2, updated_at = $2"
	" WHERE id = $1");
static struct pg_stmt CHAPTERS_POST = PG_STMT("UPDATE chapters SET published_at = $2"
	" WHERE work_id = $1 AND published_at = 0");
static struct pg_stmt WORK_DELETE = PG_STMT("DELETE FROM works WHERE id = $1");
static struct pg_stmt WORK_WORDS = PG_STMT("UPDATE works SET word_count ="
	" (SELECT COALESCE(SUM(word_count), 0) FROM chapters WHERE work_id = $1) WHERE id = $1");
static struct pg_stmt WORK_GET = PG_STMT(PG_WORK_ROWS " WHERE w.id = $1");
/* The visibility filters of work_list: $1 creator (0 = any), $2 drafts allowed, $3 guest viewer, $4 series. */
#define WORK_FILTER \
	" ($1::bigint = 0 OR EXISTS (SELECT 1 FROM work_creators c WHERE c.work_id = w.id" \
	"   AND c.user_id = $1 AND c.accepted = 1))" \
	" AND (w.draft = 0 OR ($2::int <> 0 AND w.draft IN (1, 2)))" \
	" AND ($3::int = 0 OR w.restricted = 0)" \
	" AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM work_series s WHERE s.work_id = w.id AND s.series_id = $4))"
static struct pg_stmt WORK_LIST = PG_STMT(PG_WORK_ROWS " WHERE" WORK_FILTER
	" ORDER BY w.updated_at DESC, w.id DESC LIMIT $5 OFFSET $6");
/* A series is read in its own order, not by date. */
static struct pg_stmt WORK_LIST_SERIES = PG_STMT(PG_WORK_ROWS
	" WHERE ws.series_id = $4 AND" WORK_FILTER " ORDER BY ws.position, w.id LIMIT $5 OFFSET $6");
static struct pg_stmt WORK_LIST_COUNT = PG_STMT("SELECT COUNT(*) FROM works w WHERE" WORK_FILTER);
static struct pg_stmt INVITES = PG_STMT(PG_WORK_ROWS " JOIN work_creators c ON c.work_id = w.id"
	" WHERE c.user_id = $1 AND c.accepted = 0 ORDER BY w.updated_at DESC, w.id DESC");

/* Tags are one when their NFKC case-folded forms are (core/tagname.h, computed here: SQLite's quire_tag_norm). */
static struct pg_stmt TAG_FIND = PG_STMT("SELECT id FROM tags WHERE type = $1 AND norm = $2");
/* New tags: skeleton and script mix from ICU (SQLite's tags_new trigger calls the same C); the trigger does
 * the rest. (A name in another ASCII case folds alike: TAG_FIND found it.) */
static struct pg_stmt TAG_INSERT = PG_STMT("INSERT INTO tags(type, name, norm, skeleton, lookalike)"
	" VALUES ($1, $2, $3, $4, $5) RETURNING id");
static struct pg_stmt WORK_TAGS_CLEAR = PG_STMT("DELETE FROM work_tags WHERE work_id = $1");
/* The same tag twice in one work (any spelling) is linked once, first place wins. */
static struct pg_stmt WORK_TAG_ADD = PG_STMT("INSERT INTO work_tags(work_id, tag_id, position) VALUES ($1, $2, $3)"
	" ON CONFLICT DO NOTHING");
static struct pg_stmt CREATOR_ADD = PG_STMT("INSERT INTO work_creators(work_id, user_id, position, accepted)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
static struct pg_stmt CREATOR_INVITE = PG_STMT("INSERT INTO work_creators(work_id, user_id, position, accepted)"
	" VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM work_creators WHERE work_id = $1), 0)");
static struct pg_stmt CREATOR_ACCEPT = PG_STMT("UPDATE work_creators SET accepted = 1"
	" WHERE work_id = $1 AND user_id = $2 AND accepted = 0");
static struct pg_stmt WORK_OWNER = PG_STMT("SELECT user_id FROM work_creators WHERE work_id = $1 AND position = 0");
static struct pg_stmt CREATOR_ROLE = PG_STMT("SELECT position FROM work_creators WHERE work_id = $1 AND user_id = $2");
static struct pg_stmt CREATOR_REMOVE = PG_STMT("DELETE FROM work_creators WHERE work_id = $1 AND user_id = $2");
static struct pg_stmt CREATOR_NEXT_OWNER = PG_STMT("SELECT user_id FROM work_creators WHERE work_id = $1"
	" AND accepted = 1 ORDER BY position, user_id LIMIT 1");
static struct pg_stmt CREATOR_MAKE_OWNER = PG_STMT("UPDATE work_creators SET position = 0"
	" WHERE work_id = $1 AND user_id = $2");

static struct pg_stmt SERIES_FIND = PG_STMT("SELECT id FROM series WHERE owner_id = $1"
	" AND quire_nocase(title) = quire_nocase($2)");
static struct pg_stmt SERIES_INSERT = PG_STMT("INSERT INTO series(owner_id, title) VALUES ($1, $2) RETURNING id");
static struct pg_stmt SERIES_MAXPOS = PG_STMT("SELECT COALESCE(MAX(position), 0) FROM work_series WHERE series_id = $1");
static struct pg_stmt SERIES_DELETE_IF_EMPTY = PG_STMT("DELETE FROM series WHERE id = $1"
	" AND NOT EXISTS (SELECT 1 FROM work_series WHERE series_id = $1)");
static struct pg_stmt WORK_SERIES_GET = PG_STMT("SELECT series_id, position FROM work_series WHERE work_id = $1");
static struct pg_stmt WORK_SERIES_SET = PG_STMT("INSERT INTO work_series(work_id, series_id, position)"
	" VALUES ($1, $2, $3) ON CONFLICT (work_id) DO UPDATE SET series_id = excluded.series_id,"
	" position = excluded.position");
static struct pg_stmt WORK_SERIES_CLEAR = PG_STMT("DELETE FROM work_series WHERE work_id = $1");

/* ---- Writing the parts of a work --------------------------------------------------------------- */

/* The id of the tag (type, name), created when missing; an existing tag matched by its folded form keeps its
 * first spelling. */
static int tag_id(struct pgc *c, int type, const char *name, int64_t *id)
{
	struct arena *a = arena_new();
	char *norm = NULL;
	int rc = tagname_norm(a, name, strlen(name), &norm) ? Q_EINVAL : 0;
	if (rc == 0)
		rc = pgs_query_int(c, id, &TAG_FIND, "it", type, norm);
	if (rc == Q_ENOTFOUND) {
		const char *sk = tagname_skeleton(a, norm);
		rc = pgs_query_int(c, id, &TAG_INSERT, "ittti", type, name, norm, sk ? sk : "",
		                   (int)tagname_mixed_script(name));
	}
	arena_free(a);
	return rc;
}

/* Replaces the work's tags with w->tags, in the author's order within each type. */
static int tags_set(struct pgc *c, int64_t work_id, const struct work *w)
{
	int rc = pgs_exec(c, &WORK_TAGS_CLEAR, "I", work_id);
	for (int t = 0; t < TAG_TYPE_COUNT && rc == 0; t++) {
		const struct strlist *l = &w->tags[t];
		for (size_t i = 0; i < l->n && rc == 0; i++) {
			const char *name = l->items[i];
			int64_t id;
			if (!name || !*name)
				continue;
			rc = tag_id(c, t, name, &id);
			if (rc == 0)
				rc = pgs_exec(c, &WORK_TAG_ADD, "IIi", work_id, id, (int)i);
		}
	}
	return rc;
}

/* Puts the work in the owner's series titled w->series_title (created when missing), or in none when the title
 * is empty. Position 0 means "keep its place in that series" or, new to the series, "after the last one".
 * Series left empty are removed. */
static int series_set(struct pgc *c, int64_t work_id, int64_t owner_id, const struct work *w)
{
	int64_t cur = 0, cur_pos = 0, sid = 0, pos = w->series_position > 0 ? w->series_position : 0;
	int rc;
	PGresult *r = pgs_query(c, &WORK_SERIES_GET, &rc, "I", work_id);
	if (r && PQntuples(r) > 0) {
		cur = pgs_int(r, 0, 0);
		cur_pos = pgs_int(r, 0, 1);
	}
	PQclear(r);
	if (rc)
		return rc;
	if (!w->series_title || !*w->series_title) {
		if (!cur)
			return 0;
		rc = pgs_exec(c, &WORK_SERIES_CLEAR, "I", work_id);
		if (rc == 0)
			rc = pgs_exec(c, &SERIES_DELETE_IF_EMPTY, "I", cur);
		return rc;
	}
	rc = pgs_query_int(c, &sid, &SERIES_FIND, "It", owner_id, w->series_title);
	if (rc == Q_ENOTFOUND)
		rc = pgs_query_int(c, &sid, &SERIES_INSERT, "It", owner_id, w->series_title);
	if (rc)
		return rc;
	if (pos == 0 && cur == sid) {
		pos = cur_pos;
	} else if (pos == 0) {
		rc = pgs_query_int(c, &pos, &SERIES_MAXPOS, "I", sid);
		pos++;
	}
	if (rc == 0)
		rc = pgs_exec(c, &WORK_SERIES_SET, "III", work_id, sid, pos);
	if (rc == 0 && cur && cur != sid)
		rc = pgs_exec(c, &SERIES_DELETE_IF_EMPTY, "I", cur);
	return rc;
}

static bool tags_valid(const struct work *w)
{
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		if (w->tags[t].n && !w->tags[t].items)
			return false;
	return w->ncreators == 0 || w->creators;
}

int pgs_work_create(struct store *st, const struct work *w, const struct chapter *first, int64_t owner_id,
                    int64_t *work_id, int64_t *chapter_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!w || !first || !w->title || !tags_valid(w))
		return pgs_refuse(s, Q_EINVAL);
	int64_t now = pgs_now(), published = w->draft ? 0 : now, wid = 0, cid = 0;
	char *summary = pgs_plain(w->summary.html, NULL), *notes = pgs_plain(w->notes.html, w->end_notes.html);
	PG_WRITE(s, c, rc) {
		rc = pgs_query_int(c, &wid, &WORK_INSERT, "ssssssssiiiiIIiss", w->title, w->summary.src,
		                   w->summary.html, w->notes.src, w->notes.html, w->end_notes.src, w->end_notes.html,
		                   w->language, w->expected_chapters, (int)w->complete, (int)w->draft,
		                   (int)w->restricted, published, now, w->sanitizer_version, summary, notes);
		/* A missing owner fails the foreign key: Q_ENOTFOUND. */
		if (rc == 0)
			rc = pgs_exec(c, &CREATOR_ADD, "IIii", wid, owner_id, 0, 1);
		for (size_t i = 0; i < w->ncreators && rc == 0; i++) {
			if (w->creators[i].user_id != owner_id)
				rc = pgs_exec(c, &CREATOR_ADD, "IIii", wid, w->creators[i].user_id, (int)i + 1, 0);
		}
		if (rc == 0 && (rc = tags_set(c, wid, w)) == 0 && (rc = pgs_tags_work_sync(c, wid)) == 0)
			rc = series_set(c, wid, owner_id, w);
		if (rc == 0) {
			struct chapter one = *first;
			one.work_id = wid;
			rc = pgs_chapter_insert(c, &one, 1, published, now, &cid);
		}
		if (rc == 0)
			rc = pgs_exec(c, &WORK_WORDS, "I", wid);
		if (rc == 0)
			rc = pgs_note_work(s, c, wid);
	}
	free(summary);
	free(notes);
	if (rc == 0) {
		if (work_id)
			*work_id = wid;
		if (chapter_id)
			*chapter_id = cid;
	}
	return rc;
}

int pgs_work_update(struct store *st, const struct work *w)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	int64_t now = pgs_now();
	if (!w || !w->title || !tags_valid(w))
		return pgs_refuse(s, Q_EINVAL);
	char *summary = pgs_plain(w->summary.html, NULL), *notes = pgs_plain(w->notes.html, w->end_notes.html);
	PG_WRITE(s, c, rc) {
		int64_t draft = 0, owner = 0;
		rc = pgs_query_int(c, &draft, &WORK_STATE, "I", w->id);
		/* Before and after: the work may leave one series for another. */
		if (rc == 0)
			rc = pgs_note_work(s, c, w->id);
		/* Readers may have bookmarked or commented; posted stays posted (and hidden stays hidden). */
		if (rc == 0 && draft != 1 && w->draft)
			rc = Q_EINVAL;
		if (rc == 0)
			rc = pgs_exec(c, &WORK_UPDATE, "Issssssssiiiiss", w->id, w->title, w->summary.src, w->summary.html,
			              w->notes.src, w->notes.html, w->end_notes.src, w->end_notes.html, w->language,
			              w->expected_chapters, (int)w->complete, (int)w->restricted, w->sanitizer_version,
			              summary, notes);
		if (rc == 0 && draft == 1 && !w->draft) {
			/* Posting: the work and its chapters are published now, and it counts as updated so it shows
			 * at the top of the listings rather than at the date the draft was begun. */
			rc = pgs_exec(c, &WORK_POST, "II", w->id, now);
			if (rc == 0)
				rc = pgs_exec(c, &CHAPTERS_POST, "II", w->id, now);
		}
		/* The tag sync also refreshes what the chapters carry of the work (its title among it). */
		if (rc == 0 && (rc = tags_set(c, w->id, w)) == 0 && (rc = pgs_tags_work_sync(c, w->id)) == 0)
			rc = pgs_query_int(c, &owner, &WORK_OWNER, "I", w->id);
		if (rc == 0)
			rc = series_set(c, w->id, owner, w);
		if (rc == 0)
			rc = pgs_note_work(s, c, w->id);
	}
	free(summary);
	free(notes);
	return rc;
}

int pgs_work_delete(struct store *st, int64_t work_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t series = 0;
		PGresult *r = pgs_query(c, &WORK_SERIES_GET, &rc, "I", work_id);
		if (r && PQntuples(r) > 0)
			series = pgs_int(r, 0, 0);
		PQclear(r);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
		if (rc == 0)
			rc = pgs_exec(c, &WORK_DELETE, "I", work_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0 && series)
			rc = pgs_exec(c, &SERIES_DELETE_IF_EMPTY, "I", series);
	}
	return rc;
}

/* ---- Reading works ---------------------------------------------------------------------------- */

void pgs_work_from_row(struct arena *a, const PGresult *r, int row, struct work *w)
{
	w->id = pgs_int(r, row, 0);
	w->title = pgs_text(a, r, row, 1);
	w->summary.src = pgs_text(a, r, row, 2);
	w->summary.html = pgs_text(a, r, row, 3);
	w->notes.src = pgs_text(a, r, row, 4);
	w->notes.html = pgs_text(a, r, row, 5);
	w->end_notes.src = pgs_text(a, r, row, 6);
	w->end_notes.html = pgs_text(a, r, row, 7);
	w->language = pgs_text(a, r, row, 8);
	w->expected_chapters = (int)pgs_int(r, row, 9);
	w->complete = pgs_int(r, row, 10) != 0;
	int64_t state = pgs_int(r, row, 11); /* works.draft: 0 posted, 1 draft, 2 hidden, 3 deleted by moderators */
	w->draft = state == 1;
	w->hidden = state == 2;
	w->removed = state == 3;
	w->restricted = pgs_int(r, row, 12) != 0;
	w->published_at = pgs_int(r, row, 13);
	w->updated_at = pgs_int(r, row, 14);
	w->created_at = pgs_int(r, row, 15);
	w->word_count = pgs_int(r, row, 16);
	w->sanitizer_version = (int)pgs_int(r, row, 17);
	w->chapter_count = (int)pgs_int(r, row, 18);
	w->series_id = pgs_int(r, row, 19);
	w->series_title = pgs_text(a, r, row, 20);
	w->series_position = (int)pgs_int(r, row, 21);
	w->kudos_count = pgs_int(r, row, 22);
	w->hits_count = pgs_int(r, row, 23);
	w->comments_count = pgs_int(r, row, 24);
	w->bookmarks_count = pgs_int(r, row, 25);
	/* Tags come ordered by type, so each type's names are a contiguous run of one array. */
	char **tags;
	size_t ntags;
	pgs_text_array(a, r, row, 26, &tags, &ntags);
	size_t start[TAG_TYPE_COUNT] = {0};
	const char **names = ntags ? arena_calloc(a, ntags, sizeof *names) : NULL;
	size_t count = 0;
	for (size_t i = 0; i < ntags; i++) {
		char *colon = strchr(tags[i], ':');
		long t = strtol(tags[i], NULL, 10);
		if (!colon || t < 0 || t >= TAG_TYPE_COUNT)
			continue;
		if (w->tags[t].n == 0)
			start[t] = count;
		names[count++] = colon + 1;
		w->tags[t].n++;
	}
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		w->tags[t].items = w->tags[t].n ? names + start[t] : NULL;
	char **creators;
	size_t ncreators;
	pgs_text_array(a, r, row, 27, &creators, &ncreators);
	w->creators = ncreators ? arena_calloc(a, ncreators, sizeof *w->creators) : NULL;
	for (size_t i = 0; i < ncreators; i++) {
		char *end;
		struct creator *cr = &w->creators[w->ncreators];
		cr->user_id = strtoll(creators[i], &end, 10);
		if (*end != ':')
			continue;
		cr->accepted = strtol(end + 1, &end, 10) != 0;
		if (*end != ':')
			continue;
		cr->name = end + 1;
		w->ncreators++;
	}
}

/* Fills *w completely from one row of PG_WORK_ROWS: the work, its series, tags and creators. */
static int work_read(struct pgc *c, struct arena *a, int64_t id, struct work *w)
{
	int rc;
	memset(w, 0, sizeof *w);
	PGresult *r = pgs_query(c, &WORK_GET, &rc, "I", id);
	if (r && PQntuples(r) == 0)
		rc = Q_ENOTFOUND;
	else if (r)
		pgs_work_from_row(a, r, 0, w);
	PQclear(r);
	return rc;
}

/* Reads the works of result r (rows of PG_WORK_ROWS; freed here) into an arena array. */
static int works_read(struct arena *a, PGresult *r, int rc, struct work **out, size_t *n)
{
	if (!r)
		return rc;
	size_t count = (size_t)PQntuples(r);
	struct work *items = count ? arena_calloc(a, count, sizeof *items) : NULL;
	for (size_t i = 0; i < count; i++)
		pgs_work_from_row(a, r, (int)i, &items[i]);
	PQclear(r);
	*out = items;
	*n = count;
	return 0;
}

int pgs_work_get(struct store *st, struct arena *a, int64_t work_id, struct work *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		rc = work_read(c, a, work_id, out);
	}
	return rc;
}

int pgs_work_list(struct store *st, struct arena *a, const struct work_query *wq, struct work_page *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	memset(out, 0, sizeof *out);
	if (!wq)
		return Q_EINVAL;
	int limit = wq->limit <= 0 ? LIST_DEFAULT : wq->limit > LIST_MAX ? LIST_MAX : wq->limit;
	int offset = wq->offset > 0 ? wq->offset : 0;
	/* Drafts are private to their creators: only a creator listing their own works sees them. */
	int drafts = wq->include_drafts && wq->creator_id != 0 && wq->creator_id == wq->viewer_id;
	int guest = wq->viewer_id == 0;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, &out->total, &WORK_LIST_COUNT, "IiiI", wq->creator_id, drafts, guest, wq->series_id);
		if (rc == 0) {
			PGresult *r = pgs_query(c, wq->series_id ? &WORK_LIST_SERIES : &WORK_LIST, &rc, "IiiIii",
			                        wq->creator_id, drafts, guest, wq->series_id, limit, offset);
			rc = works_read(a, r, rc, &out->items, &out->n);
		}
	}
	return rc;
}

/* ---- Co-creators ------------------------------------------------------------------------------------ */

int pgs_work_invite(struct store *st, int64_t work_id, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		/* Already a creator: Q_EEXIST (primary key); no such work or user: Q_ENOTFOUND. */
		rc = pgs_exec(c, &CREATOR_INVITE, "II", work_id, user_id);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

int pgs_work_accept(struct store *st, int64_t work_id, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &CREATOR_ACCEPT, "II", work_id, user_id);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

int pgs_invites_for_user(struct store *st, struct arena *a, int64_t user_id, struct work **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &INVITES, &rc, "I", user_id);
		rc = works_read(a, r, rc, out, n);
	}
	return rc;
}

int pgs_work_creator_remove(struct store *st, int64_t work_id, int64_t user_id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_WRITE(s, c, rc) {
		int64_t position = 0, next = 0;
		rc = pgs_query_int(c, &position, &CREATOR_ROLE, "II", work_id, user_id);
		/* noted before the removal too, so the leaving creator's pages drop the work */
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
		if (rc == 0)
			rc = pgs_exec(c, &CREATOR_REMOVE, "II", work_id, user_id);
		if (rc == 0 && position == 0) {
			/* The owner left: the first accepted co-creator takes the place; a work is never without one. */
			rc = pgs_query_int(c, &next, &CREATOR_NEXT_OWNER, "I", work_id);
			if (rc == Q_ENOTFOUND)
				rc = Q_EINVAL;
			if (rc == 0)
				rc = pgs_exec(c, &CREATOR_MAKE_OWNER, "II", work_id, next);
		}
	}
	return rc;
}
