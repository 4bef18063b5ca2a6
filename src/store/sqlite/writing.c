/* SQLite backend: the writer's check's remembered words (accepted names, dismissed suggestions, the picked
 * dictionary) for a work or for all of a writer's works. */
#include "store/sqlite/int.h"
#include "core/err.h"
#include <string.h>

int sqls_writing_word_set(struct store *st, int64_t work_id, int64_t user_id, int kind, const char *word, bool on,
                          int max)
{
	struct sqls *s = sqls_of(st);
	if (work_id < 0 || user_id < 0 || (work_id > 0) == (user_id > 0) || kind < WRITING_WORD_NAME ||
	    kind > WRITING_WORD_VARIANT || !word || !*word)
		return sqls_refuse(s, Q_EINVAL);
	struct sqls_conn *c;
	int rc = sqls_wr_begin(s, &c);
	if (rc)
		return rc;
	if (!on) {
		rc = kind == WRITING_WORD_VARIANT ? sqls_exec(c, SQL_WRITING_VARIANT_CLEAR, "II", work_id, user_id)
		                                  : sqls_exec(c, SQL_WRITING_WORD_DEL, "IIis", work_id, user_id, kind, word);
		return sqls_wr_end_quiet(s, c, rc);
	}
	/* Added first: a word already there is no new one, whatever the count; a new one past max is undone. */
	int64_t count = 0;
	if (kind == WRITING_WORD_VARIANT)
		rc = sqls_exec(c, SQL_WRITING_VARIANT_CLEAR, "II", work_id, user_id);
	if (rc == 0)
		rc = sqls_exec(c, SQL_WRITING_WORD_ADD, "IIisI", work_id, user_id, kind, word, sqls_now());
	if (rc == 0 && sqls_changes(c) > 0 &&
	    (rc = sqls_query_int(c, &count, SQL_WRITING_WORD_COUNT, "IIi", work_id, user_id, max + 1)) == 0 && count > max)
		rc = Q_ETOOBIG;
	return sqls_wr_end_quiet(s, c, rc);
}

static void word_from_row(struct arena *a, sqlite3_stmt *q, void *item)
{
	struct writing_word *w = item;
	w->work_id = sqlite3_column_int64(q, 0);
	w->kind = sqlite3_column_int(q, 1);
	w->word = sqls_col_text(a, q, 2);
}

int sqls_writing_words_list(struct store *st, struct arena *a, int64_t work_id, int64_t user_id, int limit,
                            struct writing_word **out, size_t *n)
{
	struct sqls *s = sqls_of(st);
	struct sqls_conn *c;
	*out = NULL;
	*n = 0;
	int rc = sqls_rd_begin(s, &c);
	if (rc)
		return rc;
	void *items;
	sqlite3_stmt *q = sqls_prep(c, SQL_WRITING_WORDS, "IIi", work_id, user_id, limit > 0 ? limit : 1000);
	rc = sqls_rows(c, a, q, sizeof **out, word_from_row, &items, n);
	sqls_rd_end(s, c);
	if (rc == 0)
		*out = items;
	return rc;
}
