/* PostgreSQL backend: the writer's check's remembered words (accepted names, dismissed suggestions, the picked
 * dictionary) for a work or for all of a writer's works (store.h: struct writing_word). */
#include "store/pg/pg_int.h"
#include "core/err.h"
#include <string.h>

/* Work rows (work_id, user 0) and writer rows (work 0, user_id), each read by the primary key's beginning. */
static struct pg_stmt WORD_ADD = PG_STMT("INSERT INTO writing_words(work_id, user_id, kind, word, created_at)"
	" VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
static struct pg_stmt WORD_DEL = PG_STMT("DELETE FROM writing_words WHERE work_id = $1 AND user_id = $2 AND kind = $3"
	" AND word = $4");
static struct pg_stmt WORD_COUNT = PG_STMT("SELECT COUNT(*) FROM (SELECT 1 FROM writing_words WHERE work_id = $1"
	" AND user_id = $2 LIMIT $3) w");
static struct pg_stmt VARIANT_CLEAR = PG_STMT("DELETE FROM writing_words WHERE work_id = $1 AND user_id = $2"
	" AND kind = 3");
static struct pg_stmt WORDS = PG_STMT("(SELECT work_id, kind, word FROM writing_words WHERE work_id = $1"
	" AND user_id = 0) UNION ALL (SELECT work_id, kind, word FROM writing_words WHERE work_id = 0 AND user_id = $2)"
	" LIMIT $3");

int pgs_writing_word_set(struct store *st, int64_t work_id, int64_t user_id, int kind, const char *word, bool on,
                         int max)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	if (work_id < 0 || user_id < 0 || (work_id > 0) == (user_id > 0) || kind < WRITING_WORD_NAME ||
	    kind > WRITING_WORD_VARIANT || !word || !*word)
		return pgs_refuse(s, Q_EINVAL);
	PG_WRITE(s, c, rc) {
		int64_t count = 0;
		if (!on) {
			rc = kind == WRITING_WORD_VARIANT ? pgs_exec(c, &VARIANT_CLEAR, "II", work_id, user_id)
			                                  : pgs_exec(c, &WORD_DEL, "IIis", work_id, user_id, kind, word);
		} else {
			/* Added first: a word already there is no new one, whatever the count; a new one past max is undone. */
			if (kind == WRITING_WORD_VARIANT)
				rc = pgs_exec(c, &VARIANT_CLEAR, "II", work_id, user_id);
			if (rc == 0)
				rc = pgs_exec(c, &WORD_ADD, "IIisI", work_id, user_id, kind, word, pgs_now());
			if (rc == 0 && c->changes > 0 &&
			    (rc = pgs_query_int(c, &count, &WORD_COUNT, "IIi", work_id, user_id, max + 1)) == 0 && count > max)
				rc = Q_ETOOBIG;
		}
	}
	return rc;
}

static void word_from_row(struct arena *a, const PGresult *r, int row, void *item)
{
	struct writing_word *w = item;
	w->work_id = pgs_int(r, row, 0);
	w->kind = (int)pgs_int(r, row, 1);
	w->word = pgs_text(a, r, row, 2);
}

int pgs_writing_words_list(struct store *st, struct arena *a, int64_t work_id, int64_t user_id, int limit,
                           struct writing_word **out, size_t *n)
{
	struct pg *s = pgs_of(st);
	struct pgc *c;
	int rc;
	*out = NULL;
	*n = 0;
	PG_READ(s, c, rc) {
		PGresult *r = pgs_query(c, &WORDS, &rc, "IIi", work_id, user_id, limit > 0 ? limit : 1000);
		rc = pgs_rows(a, r, rc, sizeof **out, word_from_row, (void **)out, n);
	}
	return rc;
}
