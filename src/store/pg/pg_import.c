/* PostgreSQL backend: what imports keep: a work's original dates, where an imported work came from, an old
 * archive's ids of what was imported from it, accounts moved from it and their members' profiles. */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

static struct pg_stmt WORK_DATES = PG_STMT("UPDATE works SET published_at = CASE WHEN draft = 0 THEN $2 ELSE 0 END,"
	" updated_at = $3, created_at = LEAST(created_at, $2) WHERE id = $1");
static struct pg_stmt CHAPTER_DATES = PG_STMT("UPDATE chapters SET published_at = CASE WHEN published_at > 0"
	" THEN $2 ELSE 0 END, updated_at = $3 WHERE id = $1");
static struct pg_stmt CHAPTER_WORK = PG_STMT("SELECT work_id FROM chapters WHERE id = $1");
static struct pg_stmt SOURCE_DEL = PG_STMT("DELETE FROM work_sources WHERE work_id = $1");
static struct pg_stmt SOURCE_INSERT = PG_STMT("INSERT INTO work_sources(work_id, site, url, imported_at)"
	" VALUES ($1, $2, $3, $4)");
static struct pg_stmt SOURCE_CREATOR = PG_STMT("INSERT INTO work_source_creators(work_id, position, name, url)"
	" VALUES ($1, $2, $3, $4)");
static struct pg_stmt SOURCE_GET = PG_STMT("SELECT site, url, imported_at FROM work_sources WHERE work_id = $1");
static struct pg_stmt SOURCE_CREATORS = PG_STMT("SELECT name, url FROM work_source_creators WHERE work_id = $1"
	" ORDER BY position");
static struct pg_stmt MAP_GET = PG_STMT("SELECT id FROM import_map WHERE source = $1 AND kind = $2"
	" AND legacy_id = $3");
static struct pg_stmt MAP_SET = PG_STMT("INSERT INTO import_map(source, kind, legacy_id, id) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (source, kind, legacy_id) DO UPDATE SET id = excluded.id");
static struct pg_stmt MAP_FIND = PG_STMT("SELECT id FROM import_map WHERE kind = $1 AND legacy_id = $2"
	" ORDER BY source LIMIT 1");
static struct pg_stmt ACCOUNT_INSERT = PG_STMT("INSERT INTO users(name, email, pwhash, role, created_at, skeleton)"
	" VALUES ($1, $2, '', 'user', $3, $4) RETURNING id");
static struct pg_stmt COMMENT_DATE = PG_STMT("UPDATE comments SET created_at = $2 WHERE id = $1");
static struct pg_stmt PROFILE_SET = PG_STMT("INSERT INTO user_profiles(user_id, bio, bio_html) VALUES ($1, $2, $3)"
	" ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, bio_html = excluded.bio_html");
static struct pg_stmt PROFILE_GET = PG_STMT("SELECT bio, bio_html FROM user_profiles WHERE user_id = $1");

int pgs_import_map_get(struct store *st, const char *source, const char *kind, int64_t legacy_id, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!source || !kind)
		return Q_ENOTFOUND;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, id, &MAP_GET, "ttI", source, kind, legacy_id);
	}
	return rc;
}

int pgs_import_map_find(struct store *st, const char *kind, int64_t legacy_id, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!kind)
		return Q_ENOTFOUND;
	PG_READ(s, c, rc) {
		rc = pgs_query_int(c, id, &MAP_FIND, "tI", kind, legacy_id);
	}
	return rc;
}

int pgs_import_map_set(struct store *st, const char *source, const char *kind, int64_t legacy_id, int64_t id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!source || !kind || id <= 0)
		return pgs_refuse(s, Q_EINVAL);
	/* bookkeeping no page shows: nothing for the change feed */
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &MAP_SET, "ttII", source, kind, legacy_id, id);
	}
	return rc;
}

int pgs_import_account_create(struct store *st, const char *name, const char *email, int64_t created_at,
                              const char *skeleton, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (!name || !email)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t new_id = 0;
		rc = pgs_query_int(c, &new_id, &ACCOUNT_INSERT, "ttIt", name, email, created_at > 0 ? created_at : pgs_now(),
		                   skeleton ? skeleton : name);
		if (rc == 0 && id)
			*id = new_id;
	}
	return rc;
}

int pgs_import_tag_ensure(struct store *st, int type, const char *name, int64_t *id)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (type < 0 || type >= TAG_TYPE_COUNT || !name || !*name)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		bool created = false;
		rc = pgs_tag_id(c, type, name, id, &created);
		if (rc == 0 && created)
			pgs_note_all(s); /* a new tag: directories and tag pages may list it */
	}
	return rc;
}

int pgs_comment_dates_set(struct store *st, int64_t comment_id, int64_t created_at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (comment_id <= 0 || created_at <= 0)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &COMMENT_DATE, "II", comment_id, created_at);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
	}
	return rc;
}

int pgs_user_profile_set(struct store *st, int64_t user_id, const struct text *bio)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (user_id <= 0 || !bio)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &PROFILE_SET, "Iss", user_id, bio->src, bio->html);
		if (rc == 0)
			pgs_note(s, STORE_CHANGE_USER, user_id);
	}
	return rc;
}

int pgs_user_profile_get(struct store *st, struct arena *a, int64_t user_id, struct text *bio)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	bio->src = bio->html = "";
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &PROFILE_GET, &rc, "I", user_id);
		if (r && PQntuples(r) > 0) {
			bio->src = pgs_text(a, r, 0, 0);
			bio->html = pgs_text(a, r, 0, 1);
		}
		PQclear(r);
	}
	return rc;
}

int pgs_work_dates_set(struct store *st, int64_t work_id, int64_t published_at, int64_t updated_at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (work_id <= 0 || published_at < 0 || updated_at < 0)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &WORK_DATES, "III", work_id, published_at, updated_at);
		if (rc == 0 && c->changes == 0)
			rc = Q_ENOTFOUND;
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

int pgs_chapter_dates_set(struct store *st, int64_t chapter_id, int64_t published_at, int64_t updated_at)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (chapter_id <= 0 || published_at < 0 || updated_at < 0)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t work_id = 0;
		rc = pgs_query_int(c, &work_id, &CHAPTER_WORK, "I", chapter_id);
		if (rc == 0)
			rc = pgs_exec(c, &CHAPTER_DATES, "III", chapter_id, published_at, updated_at);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

int pgs_work_source_set(struct store *st, int64_t work_id, const struct work_source *src)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (work_id <= 0 || !src || (src->ncreators && !src->creators))
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		rc = pgs_exec(c, &SOURCE_DEL, "I", work_id);
		if (rc == 0)
			rc = pgs_exec(c, &SOURCE_INSERT, "IssI", work_id, src->site, src->url,
			              src->imported_at ? src->imported_at : pgs_now());
		for (size_t i = 0; rc == 0 && i < src->ncreators && i < WORK_SOURCE_CREATORS_MAX; i++)
			rc = pgs_exec(c, &SOURCE_CREATOR, "Iiss", work_id, (int)i, src->creators[i].name,
			              src->creators[i].url);
		if (rc == 0)
			rc = pgs_note_work(s, c, work_id);
	}
	return rc;
}

static void credit_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct work_credit *cr = item;
	cr->name = pgs_text(a, r, row, 0);
	cr->url = pgs_text(a, r, row, 1);
}

int pgs_work_source_get(struct store *st, struct arena *a, int64_t work_id, struct work_source *out)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	PG_READ(s, c, rc) {
		memset(out, 0, sizeof *out);
		PGresult *r = pgs_query(c, &SOURCE_GET, &rc, "I", work_id);
		if (r && PQntuples(r) == 0) {
			rc = Q_ENOTFOUND;
		} else if (r) {
			out->site = pgs_text(a, r, 0, 0);
			out->url = pgs_text(a, r, 0, 1);
			out->imported_at = pgs_int(r, 0, 2);
		}
		PQclear(r);
		if (rc == 0) {
			void *items = NULL;
			r = pgs_query(c, &SOURCE_CREATORS, &rc, "I", work_id);
			rc = pgs_rows(a, r, rc, sizeof(struct work_credit), credit_from_row, &items, &out->ncreators);
			if (rc == 0)
				out->creators = items;
		}
	}
	return rc;
}
