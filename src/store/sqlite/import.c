/* SQLite backend: what imports keep: a work's original dates, and where an imported work came from. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

const char sqls_migration_import[] =
	"CREATE TABLE work_sources ("
	" work_id INTEGER PRIMARY KEY REFERENCES works(id) ON DELETE CASCADE,"
	" site TEXT NOT NULL DEFAULT '',"
	" url TEXT NOT NULL DEFAULT '',"
	" imported_at INTEGER NOT NULL);"
	"CREATE TABLE work_source_creators ("
	" work_id INTEGER NOT NULL REFERENCES work_sources(work_id) ON DELETE CASCADE,"
	" position INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" url TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (work_id, position)) WITHOUT ROWID;";

const char sqls_migration_import_legacy[] =
	/* An old archive's id of each thing imported from it: how old links find it, and how a second run
	 * knows what is already there. */
	"CREATE TABLE import_map ("
	" source TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" legacy_id INTEGER NOT NULL,"
	" id INTEGER NOT NULL,"
	" PRIMARY KEY (source, kind, legacy_id)) WITHOUT ROWID;"
	"CREATE INDEX import_map_lookup ON import_map(kind, legacy_id);"
	"CREATE TABLE user_profiles ("
	" user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	" bio TEXT NOT NULL DEFAULT '',"
	" bio_html TEXT NOT NULL DEFAULT '');";

int sqls_import_map_get(struct store *st, const char *source, const char *kind, int64_t legacy_id, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, id, SQL_IMPORT_MAP_GET, "ttI", source, kind, legacy_id);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_import_map_find(struct store *st, const char *kind, int64_t legacy_id, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, id, SQL_IMPORT_MAP_FIND, "tI", kind, legacy_id);
	sqls_rd_end(s, c);
	return rc;
}

int sqls_import_map_set(struct store *st, const char *source, const char *kind, int64_t legacy_id, int64_t id)
{
	struct sqls *s = sqls_of(st);
	if (!source || !kind || id <= 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_IMPORT_MAP_SET, "ttII", source, kind, legacy_id, id);
	/* bookkeeping no page shows: nothing for the change feed */
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_import_account_create(struct store *st, const char *name, const char *email, int64_t created_at,
                               const char *skeleton, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	if (!name || !email)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_IMPORT_ACCOUNT_INSERT, "ttIs", name, email, created_at > 0 ? created_at : sqls_now(),
	               skeleton ? skeleton : name);
	if (rc == 0 && id)
		*id = sqls_last_id(c);
	return sqls_wr_end(s, c, rc);
}

int sqls_import_tag_ensure(struct store *st, int type, const char *name, int64_t *id)
{
	struct sqls *s = sqls_of(st);
	if (type < 0 || type >= TAG_TYPE_COUNT || !name || !*name)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, id, SQL_TAG_FIND, "it", type, name);
	if (rc == Q_ENOTFOUND) {
		rc = sqls_exec(c, SQL_TAG_INSERT, "it", type, name);
		if (rc == 0)
			*id = sqls_last_id(c);
		if (rc == 0)
			sqls_note_all(s); /* a new tag: directories and tag pages may list it */
	}
	return sqls_wr_end(s, c, rc);
}

int sqls_comment_dates_set(struct store *st, int64_t comment_id, int64_t created_at)
{
	struct sqls *s = sqls_of(st);
	if (comment_id <= 0 || created_at <= 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_IMPORT_COMMENT_DATE, "II", comment_id, created_at);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	return sqls_wr_end_quiet(s, c, rc);
}

int sqls_user_profile_set(struct store *st, int64_t user_id, const struct text *bio)
{
	struct sqls *s = sqls_of(st);
	if (user_id <= 0 || !bio)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_IMPORT_PROFILE_SET, "Iss", user_id, bio->src, bio->html);
	if (rc == 0)
		sqls_note(s, STORE_CHANGE_USER, user_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_user_profile_get(struct store *st, struct arena *a, int64_t user_id, struct text *bio)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	bio->src = bio->html = "";
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_IMPORT_PROFILE_GET, "I", user_id);
	rc = sqls_one_row(c, q);
	if (rc == 0) {
		bio->src = sqls_col_text(a, q, 0);
		bio->html = sqls_col_text(a, q, 1);
	}
	sqls_reset(q);
	sqls_rd_end(s, c);
	return rc == Q_ENOTFOUND ? 0 : rc;
}

int sqls_work_dates_set(struct store *st, int64_t work_id, int64_t published_at, int64_t updated_at)
{
	struct sqls *s = sqls_of(st);
	if (work_id <= 0 || published_at < 0 || updated_at < 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_IMPORT_WORK_DATES, "III", work_id, published_at, updated_at);
	if (rc == 0 && sqls_changes(c) == 0)
		rc = Q_ENOTFOUND;
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_chapter_dates_set(struct store *st, int64_t chapter_id, int64_t published_at, int64_t updated_at)
{
	struct sqls *s = sqls_of(st);
	if (chapter_id <= 0 || published_at < 0 || updated_at < 0)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int64_t work_id = 0;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_query_int(c, &work_id, SQL_IMPORT_CHAPTER_WORK, "I", chapter_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_IMPORT_CHAPTER_DATES, "III", chapter_id, published_at, updated_at);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	return sqls_wr_end(s, c, rc);
}

int sqls_work_source_set(struct store *st, int64_t work_id, const struct work_source *src)
{
	struct sqls *s = sqls_of(st);
	if (work_id <= 0 || !src || (src->ncreators && !src->creators))
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	rc = sqls_exec(c, SQL_IMPORT_SOURCE_DEL, "I", work_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_IMPORT_SOURCE_INSERT, "IssI", work_id, src->site, src->url,
		               src->imported_at ? src->imported_at : sqls_now());
	for (size_t i = 0; rc == 0 && i < src->ncreators && i < WORK_SOURCE_CREATORS_MAX; i++)
		rc = sqls_exec(c, SQL_IMPORT_SOURCE_CREATOR, "Iiss", work_id, (int)i, src->creators[i].name,
		               src->creators[i].url);
	if (rc == 0)
		rc = sqls_note_work(s, c, work_id);
	return sqls_wr_end(s, c, rc);
}

static void credit_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct work_credit *cr = item;
	cr->name = sqls_col_text(a, q, 0);
	cr->url = sqls_col_text(a, q, 1);
}

int sqls_work_source_get(struct store *st, struct arena *a, int64_t work_id, struct work_source *out)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	memset(out, 0, sizeof *out);
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	sqlite3_stmt *q = sqls_prep(c, SQL_IMPORT_SOURCE_GET, "I", work_id);
	rc = sqls_one_row(c, q);
	if (rc == 0) {
		out->site = sqls_col_text(a, q, 0);
		out->url = sqls_col_text(a, q, 1);
		out->imported_at = sqlite3_column_int64(q, 2);
	}
	sqls_reset(q);
	if (rc == 0) {
		void *items;
		q = sqls_prep(c, SQL_IMPORT_SOURCE_CREATORS, "I", work_id);
		rc = sqls_rows(c, a, q, sizeof(struct work_credit), credit_from_row, &items, &out->ncreators);
		if (rc == 0)
			out->creators = items;
	}
	sqls_rd_end(s, c);
	return rc;
}
