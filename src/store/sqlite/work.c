/* SQLite backend: works with their tags, creators and series; listings and co-creator invitations. */
#include "store/sqlite/int.h"
#include "core/alloc.h"
#include "core/err.h"
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 20
#define LIST_MAX 100

/* ---- Writing the parts of a work --------------------------------------------------------- */

/* The id of the tag (type, name), created when missing; an existing tag matched without regard
 * to ASCII case keeps its first spelling. */
static int tag_id(struct sqls_conn *c, int type, const char *name, int64_t *id)
{
	int rc = sqls_query_int(c, id, SQL_TAG_FIND, "it", type, name);
	if (rc != Q_ENOTFOUND)
		return rc;
	rc = sqls_exec(c, SQL_TAG_INSERT, "it", type, name);
	if (rc == 0)
		*id = sqls_last_id(c);
	return rc;
}

/* Replaces the work's tags with w->tags, in the author's order within each type. */
static int tags_set(struct sqls_conn *c, int64_t work_id, const struct work *w)
{
	int rc = sqls_exec(c, SQL_WORK_TAGS_CLEAR, "I", work_id);
	for (int t = 0; t < TAG_TYPE_COUNT && rc == 0; t++) {
		const struct strlist *l = &w->tags[t];
		for (size_t i = 0; i < l->n && rc == 0; i++) {
			const char *name = l->items[i];
			int64_t id;
			if (!name || !*name)
				continue;
			rc = tag_id(c, t, name, &id);
			if (rc == 0)
				rc = sqls_exec(c, SQL_WORK_TAG_ADD, "IIi", work_id, id, (int)i);
		}
	}
	return rc;
}

/* Puts the work in the owner's series titled w->series_title (created when missing), or in no
 * series when the title is empty. Position 0 means "keep the place it has in that series" or,
 * for a work new to the series, "after the last one". Series left empty are removed. */
static int series_set(struct sqls_conn *c, int64_t work_id, int64_t owner_id, const struct work *w)
{
	int64_t cur = 0, cur_pos = 0, sid = 0, pos = w->series_position > 0 ? w->series_position : 0;
	sqlite3_stmt *q = sqls_prep(c, SQL_WORK_SERIES_GET, "I", work_id);
	if (!q)
		return Q_ERR;
	int rc = sqls_step(c, q);
	if (rc == 1) {
		cur = sqlite3_column_int64(q, 0);
		cur_pos = sqlite3_column_int64(q, 1);
		rc = 0;
	}
	sqls_reset(q);
	if (rc)
		return rc;

	if (!w->series_title || !*w->series_title) {
		if (!cur)
			return 0;
		rc = sqls_exec(c, SQL_WORK_SERIES_CLEAR, "I", work_id);
		if (rc == 0)
			rc = sqls_exec(c, SQL_SERIES_DELETE_IF_EMPTY, "I", cur);
		return rc;
	}

	rc = sqls_query_int(c, &sid, SQL_SERIES_FIND, "It", owner_id, w->series_title);
	if (rc == Q_ENOTFOUND) {
		rc = sqls_exec(c, SQL_SERIES_INSERT, "It", owner_id, w->series_title);
		sid = sqls_last_id(c);
	}
	if (rc)
		return rc;
	if (pos == 0 && cur == sid) {
		pos = cur_pos;
	} else if (pos == 0) {
		rc = sqls_query_int(c, &pos, SQL_SERIES_MAXPOS, "I", sid);
		pos++;
	}
	if (rc == 0)
		rc = sqls_exec(c, SQL_WORK_SERIES_SET, "III", work_id, sid, pos);
	if (rc == 0 && cur && cur != sid)
		rc = sqls_exec(c, SQL_SERIES_DELETE_IF_EMPTY, "I", cur);
	return rc;
}

static bool tags_valid(const struct work *w)
{
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		if (w->tags[t].n && !w->tags[t].items)
			return false;
	return w->ncreators == 0 || w->creators;
}

int sqls_work_create(struct store *st, const struct work *w, const struct chapter *first,
                     int64_t owner_id, int64_t *work_id, int64_t *chapter_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	if (!w || !first || !w->title || !tags_valid(w))
		return sqls_refuse(s, Q_EINVAL);
	int64_t now = sqls_now(), published = w->draft ? 0 : now, wid = 0, cid = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_WORK_INSERT, "ssssssssiiiiIIi", w->title, w->summary.src, w->summary.html,
	               w->notes.src, w->notes.html, w->end_notes.src, w->end_notes.html, w->language,
	               w->expected_chapters, (int)w->complete, (int)w->draft, (int)w->restricted,
	               published, now, w->sanitizer_version);
	if (rc)
		goto done;
	wid = sqls_last_id(c);
	/* A missing owner fails the foreign key: Q_ENOTFOUND. */
	if ((rc = sqls_exec(c, SQL_CREATOR_ADD, "IIii", wid, owner_id, 0, 1)))
		goto done;
	for (size_t i = 0; i < w->ncreators && rc == 0; i++) {
		if (w->creators[i].user_id != owner_id)
			rc = sqls_exec(c, SQL_CREATOR_ADD, "IIii", wid, w->creators[i].user_id, (int)i + 1, 0);
	}
	if (rc || (rc = tags_set(c, wid, w)) || (rc = sqls_tags_work_sync(c, wid)) ||
	    (rc = series_set(c, wid, owner_id, w)))
		goto done;
	rc = sqls_exec(c, SQL_CHAPTER_INSERT, "IissssssssssIIIi", wid, 1, first->title,
	               first->summary.src, first->summary.html, first->notes.src, first->notes.html,
	               first->end_notes.src, first->end_notes.html, first->content,
	               first->content_format ? first->content_format : "html", first->content_html,
	               first->word_count, published, now, first->sanitizer_version);
	if (rc)
		goto done;
	cid = sqls_last_id(c);
	rc = sqls_exec(c, SQL_WORK_WORDS, "I", wid);
	if (rc == 0)
		rc = sqls_note_work(s, c, wid);
done:
	rc = sqls_wr_end(s, c, rc);
	if (rc == 0) {
		if (work_id)
			*work_id = wid;
		if (chapter_id)
			*chapter_id = cid;
	}
	return rc;
}

/* The work's title, tags and creators as its chapters' index rows hold them (xstrdup'd; NULL when it
 * cannot be read). */
static char *chapters_meta(struct sqls_conn *c, int64_t work_id)
{
	sqlite3_stmt *q = sqls_prep(c, SQL_WORK_SEARCH_META, "I", work_id);
	char *meta = NULL;
	if (sqls_one_row(c, q) == 0) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		meta = xstrdup(t ? t : "");
	}
	sqls_reset(q);
	return meta;
}

/* Indexes the work's chapters again when what they carry of the work changed: re-reading every chapter's
 * text costs too much to do on every edit (a summary or a note is not in it). */
static int chapters_meta_sync(struct sqls_conn *c, int64_t work_id, const char *before)
{
	char *after = chapters_meta(c, work_id);
	int rc = 0;
	if (!before || !after || strcmp(before, after) != 0) {
		rc = sqls_exec(c, SQL_CHAPTERS_REINDEX_DEL, "I", work_id);
		if (rc == 0)
			rc = sqls_exec(c, SQL_CHAPTERS_REINDEX_ADD, "I", work_id);
	}
	free(after);
	return rc;
}

int sqls_work_update(struct store *st, const struct work *w)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t draft = 0, owner = 0, now = sqls_now();
	if (!w || !w->title || !tags_valid(w))
		return sqls_refuse(s, Q_EINVAL);
	char *meta = NULL;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_query_int(c, &draft, SQL_WORK_STATE, "I", w->id)))
		goto done;
	meta = chapters_meta(c, w->id);
	/* Before and after: the work may leave one series for another. */
	if ((rc = sqls_note_work(s, c, w->id)))
		goto done;
	if (draft != 1 && w->draft) {
		/* Readers may have bookmarked or commented; posted stays posted (and hidden stays hidden). */
		rc = Q_EINVAL;
		goto done;
	}
	rc = sqls_exec(c, SQL_WORK_UPDATE, "Issssssssiiii", w->id, w->title, w->summary.src,
	               w->summary.html, w->notes.src, w->notes.html, w->end_notes.src, w->end_notes.html,
	               w->language, w->expected_chapters, (int)w->complete, (int)w->restricted,
	               w->sanitizer_version);
	if (rc == 0 && draft == 1 && !w->draft) {
		/* Posting: the work and its chapters are published now, and it counts as updated so
		 * it shows at the top of the listings rather than at the date the draft was begun. */
		rc = sqls_exec(c, SQL_WORK_POST, "II", w->id, now);
		if (rc == 0)
			rc = sqls_exec(c, SQL_CHAPTERS_POST, "II", w->id, now);
	}
	if (rc || (rc = tags_set(c, w->id, w)) || (rc = sqls_tags_work_sync(c, w->id)) ||
	    (rc = chapters_meta_sync(c, w->id, meta)))
		goto done;
	if ((rc = sqls_query_int(c, &owner, SQL_WORK_OWNER, "I", w->id)))
		goto done;
	rc = series_set(c, w->id, owner, w);
	if (rc == 0)
		rc = sqls_note_work(s, c, w->id);
done:
	free(meta);
	return sqls_wr_end(s, c, rc);
}

int sqls_work_delete(struct store *st, int64_t work_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t series = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_WORK_SERIES_GET, "I", work_id);
	if (!q) {
		rc = Q_ERR;
		goto done;
	}
	if ((rc = sqls_step(c, q)) == 1) {
		series = sqlite3_column_int64(q, 0);
		rc = 0;
	}
	sqls_reset(q);
	if (rc || (rc = sqls_note_work(s, c, work_id)))
		goto done;
	if ((rc = sqls_exec(c, SQL_WORK_DELETE, "I", work_id)))
		goto done;
	if (sqls_changes(c) == 0) {
		rc = Q_ENOTFOUND;
		goto done;
	}
	if (series)
		rc = sqls_exec(c, SQL_SERIES_DELETE_IF_EMPTY, "I", series);
done:
	return sqls_wr_end(s, c, rc);
}

/* ---- Reading works ----------------------------------------------------------------------- */

/* Tags come ordered by type, so each type's names are a contiguous run of one array. */
static int work_read_tags(struct sqls_conn *c, struct arena *a, struct work *w)
{
	const char **names = NULL;
	size_t n = 0, cap = 0, start[TAG_TYPE_COUNT] = {0};
	sqlite3_stmt *q = sqls_prep(c, SQL_WORK_TAGS, "I", w->id);
	if (!q)
		return Q_ERR;
	int rc;
	while ((rc = sqls_step(c, q)) == 1) {
		int t = sqlite3_column_int(q, 0);
		if (t < 0 || t >= TAG_TYPE_COUNT)
			continue;
		names = arena_grow(a, names, n, &cap, sizeof *names);
		if (w->tags[t].n == 0)
			start[t] = n;
		names[n++] = sqls_col_text(a, q, 1);
		w->tags[t].n++;
	}
	sqls_reset(q);
	for (int t = 0; t < TAG_TYPE_COUNT; t++)
		w->tags[t].items = w->tags[t].n ? names + start[t] : NULL;
	return rc;
}

static void creator_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct creator *cr = item;
	cr->user_id = sqlite3_column_int64(q, 0);
	cr->name = sqls_col_text(a, q, 1);
	cr->accepted = sqlite3_column_int(q, 2) != 0;
}

static int work_read_creators(struct sqls_conn *c, struct arena *a, struct work *w)
{
	return sqls_rows(c, a, sqls_prep(c, SQL_WORK_CREATORS, "I", w->id), sizeof *w->creators, creator_from_row,
	                 &w->creators, &w->ncreators);
}

void sqls_work_from_row(struct arena *a, sqlite3_stmt *q, struct work *w)
{
	w->id = sqlite3_column_int64(q, 0);
	w->title = sqls_col_text(a, q, 1);
	w->summary.src = sqls_col_text(a, q, 2);
	w->summary.html = sqls_col_text(a, q, 3);
	w->notes.src = sqls_col_text(a, q, 4);
	w->notes.html = sqls_col_text(a, q, 5);
	w->end_notes.src = sqls_col_text(a, q, 6);
	w->end_notes.html = sqls_col_text(a, q, 7);
	w->language = sqls_col_text(a, q, 8);
	w->expected_chapters = sqlite3_column_int(q, 9);
	w->complete = sqlite3_column_int(q, 10) != 0;
	int state = sqlite3_column_int(q, 11); /* works.draft: 0 posted, 1 draft, 2 hidden, 3 deleted by moderators */
	w->draft = state == 1;
	w->hidden = state == 2;
	w->removed = state == 3;
	w->restricted = sqlite3_column_int(q, 12) != 0;
	w->published_at = sqlite3_column_int64(q, 13);
	w->updated_at = sqlite3_column_int64(q, 14);
	w->created_at = sqlite3_column_int64(q, 15);
	w->word_count = sqlite3_column_int64(q, 16);
	w->sanitizer_version = sqlite3_column_int(q, 17);
	w->chapter_count = sqlite3_column_int(q, 18);
	w->series_id = sqlite3_column_int64(q, 19);
	w->series_title = sqls_col_text(a, q, 20);
	w->series_position = sqlite3_column_int(q, 21);
	w->kudos_count = sqlite3_column_int64(q, 22);
	w->hits_count = sqlite3_column_int64(q, 23);
	w->comments_count = sqlite3_column_int64(q, 24);
	w->bookmarks_count = sqlite3_column_int64(q, 25);
}

/* Fills *w completely: the row, its series, tags and creators. Q_ENOTFOUND when missing. */
static int work_read(struct sqls_conn *c, struct arena *a, int64_t id, struct work *w)
{
	memset(w, 0, sizeof *w);
	sqlite3_stmt *q = sqls_prep(c, SQL_WORK_GET, "I", id);
	int rc = sqls_one_row(c, q);
	if (rc == 0)
		sqls_work_from_row(a, q, w);
	sqls_reset(q);
	if (rc)
		return rc;
	rc = work_read_tags(c, a, w);
	if (rc == 0)
		rc = work_read_creators(c, a, w);
	return rc;
}

/* Reads the works whose ids statement q yields (q is bound and reset here) into an arena array. */
static int works_read(struct sqls_conn *c, struct arena *a, sqlite3_stmt *q, struct work **out, size_t *n)
{
	int64_t *ids = NULL;
	size_t count = 0;
	/* Ids first, so filling each work does not interleave with this query. */
	int rc = sqls_rows(c, a, q, sizeof *ids, sqls_row_id, &ids, &count);
	if (rc)
		return rc;
	struct work *items = count ? arena_calloc(a, count, sizeof *items) : NULL;
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = work_read(c, a, ids[i], &items[i]);
	if (rc == 0) {
		*out = items;
		*n = count;
	}
	return rc;
}

int sqls_work_get(struct store *st, struct arena *a, int64_t work_id, struct work *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = work_read(c, a, work_id, out);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_work_list(struct store *st, struct arena *a, const struct work_query *wq, struct work_page *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	if (!wq)
		return Q_EINVAL;
	int limit = wq->limit <= 0 ? LIST_DEFAULT : wq->limit > LIST_MAX ? LIST_MAX : wq->limit;
	int offset = wq->offset > 0 ? wq->offset : 0;
	/* Drafts are private to their creators: only a creator listing their own works sees them. */
	int drafts = wq->include_drafts && wq->creator_id != 0 && wq->creator_id == wq->viewer_id;
	int guest = wq->viewer_id == 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, &out->total, SQL_WORK_LIST_COUNT, "IiiI", wq->creator_id, drafts, guest,
	                    wq->series_id);
	if (rc == 0) {
		sqlite3_stmt *q = sqls_prep(c, wq->series_id ? SQL_WORK_LIST_SERIES : SQL_WORK_LIST,
		                            "IiiIii", wq->creator_id, drafts, guest, wq->series_id,
		                            limit, offset);
		rc = q ? works_read(c, a, q, &out->items, &out->n) : Q_ERR;
	}
	sqls_rd_end(s, c);
	return rc;
}

/* ---- Co-creators ------------------------------------------------------------------------- */

int sqls_work_invite(struct store *st, int64_t work_id, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	/* Already a creator: Q_EEXIST (primary key); no such work or user: Q_ENOTFOUND. */
	rc = sqls_exec(c, SQL_CREATOR_INVITE, "II", work_id, user_id);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_work_accept(struct store *st, int64_t work_id, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_CREATOR_ACCEPT, "II", work_id, user_id);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_invites_for_user(struct store *st, struct arena *a, int64_t user_id, struct work **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_INVITES, "I", user_id);
	rc = q ? works_read(c, a, q, out, n) : Q_ERR;
	sqls_rd_end(s, c);
	return rc;
}

int sqls_work_creator_remove(struct store *st, int64_t work_id, int64_t user_id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int64_t position = 0, next = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if ((rc = sqls_query_int(c, &position, SQL_CREATOR_ROLE, "II", work_id, user_id)))
		goto done;
	/* noted before the removal too, so the leaving creator's pages drop the work */
	if ((rc = sqls_note_work(s, c, work_id)))
		goto done;
	if ((rc = sqls_exec(c, SQL_CREATOR_REMOVE, "II", work_id, user_id)))
		goto done;
	if (position != 0)
		goto done;
	/* The owner left: the first accepted co-creator takes the place; a work is never without one. */
	rc = sqls_query_int(c, &next, SQL_CREATOR_NEXT_OWNER, "I", work_id);
	if (rc == Q_ENOTFOUND)
		rc = Q_EINVAL;
	if (rc == 0)
		rc = sqls_exec(c, SQL_CREATOR_MAKE_OWNER, "II", work_id, next);
done:
	return sqls_wr_end(s, c, rc);
}
