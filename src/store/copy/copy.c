/* quire store copy: every table from one store to another (SQLite <-> PostgreSQL) keeping ids, in key-ordered
 * batches that a re-run resumes after, then row counts and per-table checksums compared on both sides. */
#include "store/store_copy.h"
#include "store/copy/copy_int.h"
#include "core/err.h"
#include "core/hash.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <strings.h>

#define BATCH_DEFAULT 1000
/* Rows per batch, and (tests only) a crash after this many rows: QUIRE_COPY_BATCH, QUIRE_COPY_CRASH_AFTER. */
static int BATCH = BATCH_DEFAULT;
static int64_t crash_after, written;

/* Every table, parents before children, with its key (the order rows are copied and compared in), and a
 * column whose value waits until the whole table is there (a reference into the same table). */
static const struct table {
	const char *name, *key, *deferred;
	bool ids; /* its ids come from a sequence (never reused) */
} tables[] = {
	{"settings", "key", NULL, false},
	{"users", "id", NULL, true},
	{"sessions", "token_hash", NULL, false},
	{"api_tokens", "id", NULL, true},
	{"works", "id", NULL, true},
	{"tags", "id", "merger_id", true},
	{"work_tags", "work_id, tag_id", NULL, false},
	{"work_creators", "work_id, user_id", NULL, false},
	{"series", "id", NULL, true},
	{"work_series", "work_id", NULL, false},
	{"chapters", "id", NULL, true},
	{"subscriptions", "id", NULL, true},
	{"mail_settings", "user_id", NULL, false},
	{"mail_tokens", "token_hash", NULL, false},
	{"outbox", "id", NULL, true},
	{"inbox", "id", NULL, true},
	{"comments", "id", NULL, true},
	{"kudos", "id", NULL, true},
	{"bookmarks", "id", NULL, true},
	{"readings", "user_id, work_id", NULL, false},
	{"stats_daily", "work_id, chapter_id, day", NULL, false},
	{"tag_parents", "tag_id, parent_id", NULL, false},
	{"meta_tags", "sub_id, meta_id", NULL, false},
	{"filter_taggings", "work_id, tag_id", NULL, false},
	{"counters", "name", NULL, false},
	{"work_sync_queue", "work_id", NULL, false},
	{"user_blocks", "blocker_id, blocked_id", NULL, false},
	{"writing_words", "work_id, user_id, kind, word", NULL, false},
	{"reader_suggestion_works", "work_id", NULL, false},
	{"reader_suggestions", "id", NULL, true},
	/* collections and gifts, gift exchanges, prompt memes, related works */
	{"collections", "id", "parent_id", true},
	{"collection_members", "collection_id, user_id", NULL, false},
	{"collection_items", "collection_id, work_id", NULL, false},
	{"gifts", "id", NULL, true},
	{"exchanges", "collection_id", NULL, false},
	{"exchange_tags", "collection_id, dim, tag_id", NULL, false},
	{"signups", "id", NULL, true},
	{"signup_items", "id", NULL, true},
	{"signup_item_tags", "item_id, tag_id", NULL, false},
	{"assignments", "id", NULL, true},
	{"prompts", "id", NULL, true},
	{"prompt_tags", "prompt_id, tag_id", NULL, false},
	{"prompt_claims", "prompt_id, user_id", NULL, false},
	{"prompt_fills", "prompt_id, work_id", NULL, false},
	{"work_relations", "id", NULL, true},
	/* running a community (issue 14) */
	{"mod_log", "id", NULL, true},
	{"work_moderation", "work_id", NULL, false},
	{"reports", "id", NULL, true},
	{"report_notes", "id", NULL, true},
	{"outbox_notices", "outbox_id", NULL, false},
	{"rate_counts", "key, period", NULL, false},
	{"user_sanctions", "user_id", NULL, false},
	{"comment_quarantine", "comment_id", NULL, false},
	{"bookmark_quarantine", "id", NULL, false},
	{"site_pages", "slug", NULL, false},
	{"site_page_versions", "slug, version", NULL, false},
	{"user_policy", "user_id", NULL, false},
	{"site_news", "id", NULL, true},
	{"site_news_comments", "id", NULL, true},
	{"invitations", "code", NULL, false},
	{"invite_requests", "id", NULL, true},
	{"spam_queue", "id", NULL, true},
	{"spam_addresses", "address_hash", NULL, false},
	{"spam_blocklist", "pattern", NULL, false},
	{"mutes", "user_id, kind, target", NULL, false},
	/* imports (issue 15) */
	{"work_sources", "work_id", NULL, false},
	{"work_source_creators", "work_id, position", NULL, false},
	{"import_map", "source, kind, legacy_id", NULL, false},
	{"user_profiles", "user_id", NULL, false},
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* Columns only one backend has (its search documents, derived and rebuilt at the end). */
static bool derived(const char *col)
{
	return !strcmp(col, "search") || !strcmp(col, "search_meta");
}

static const struct copy_driver *driver_of(const char *url)
{
	if (!strncasecmp(url, "postgres://", 11) || !strncasecmp(url, "postgresql://", 13))
		return &copy_pg;
	return &copy_sqlite;
}

static size_t nkeys(const char *key)
{
	size_t n = 1;
	for (const char *p = key; *p; p++)
		n += *p == ',';
	return n;
}

/* "$1, $2, ..., $n" */
static char *placeholders(struct arena *a, size_t from, size_t n)
{
	char *out = arena_alloc(a, n * 8 + 1), *p = out;
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s$%zu", i ? ", " : "", from + i);
	return out;
}

static char *join(struct arena *a, const char *const *cols, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(cols[i]) + 2;
	char *out = arena_alloc(a, len), *p = out;
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? ", " : "", cols[i]);
	return out;
}

/* The columns both sides have (the source's order), without derived ones. */
static int common_columns(struct copy_db *src, const struct copy_driver *sd, struct copy_db *dst,
                          const struct copy_driver *dd, struct arena *a, const char *table, const char ***cols,
                          size_t *n, char *err, size_t errlen)
{
	const char **sc, **dc;
	size_t ns, nd;
	if (sd->columns(src, a, table, &sc, &ns) || dd->columns(dst, a, table, &dc, &nd)) {
		snprintf(err, errlen, "reading the columns of %s", table);
		return Q_ERR;
	}
	*cols = arena_calloc(a, ns ? ns : 1, sizeof **cols);
	*n = 0;
	for (size_t i = 0; i < ns; i++) {
		if (derived(sc[i]))
			continue;
		for (size_t j = 0; j < nd; j++)
			if (!strcmp(sc[i], dc[j]))
				(*cols)[(*n)++] = sc[i];
	}
	if (*n == 0) {
		snprintf(err, errlen, "the table %s has no columns in common", table);
		return Q_ERR;
	}
	return 0;
}

/* The rows of table after key values last (NULL: from the start), in key order, at most BATCH. */
static int read_batch(const struct copy_driver *d, struct copy_db *db, struct arena *a, const struct table *t,
                      const char *cols, const char *const *last, struct copy_rows *out)
{
	size_t k = nkeys(t->key);
	char *sql = last ? arena_printf(a, "SELECT %s FROM %s WHERE (%s) > (%s) ORDER BY %s LIMIT %d", cols, t->name,
	                                t->key, placeholders(a, 1, k), t->key, BATCH)
	                 : arena_printf(a, "SELECT %s FROM %s ORDER BY %s LIMIT %d", cols, t->name, t->key, BATCH);
	return d->query(db, a, sql, last, last ? k : 0, out);
}

/* Copies one table from where the target's rows end. */
static int copy_table(const struct copy_driver *sd, struct copy_db *src, const struct copy_driver *dd,
                      struct copy_db *dst, const struct table *t, int64_t *copied, char *err, size_t errlen)
{
	struct arena *a = arena_new();
	const char **cols;
	size_t ncols, k = nkeys(t->key);
	int rc = common_columns(src, sd, dst, dd, a, t->name, &cols, &ncols, err, errlen);
	if (rc) {
		arena_free(a);
		return rc;
	}
	char *collist = join(a, cols, ncols);
	/* The key columns come first in every table's column list here? Not necessarily: read them apart. */
	const char **last = NULL;
	struct copy_rows tail;
	char *keysql = arena_printf(a, "SELECT %s FROM %s ORDER BY %s DESC LIMIT 1", t->key, t->name, t->key);
	/* ORDER BY a, b DESC sorts only b descending: reverse each key column. */
	if (k > 1) {
		char *desc = arena_strdup(a, t->key);
		char buf[256] = "";
		for (char *tok = strtok(desc, ", "); tok; tok = strtok(NULL, ", "))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s DESC", buf[0] ? ", " : "", tok);
		keysql = arena_printf(a, "SELECT %s FROM %s ORDER BY %s LIMIT 1", t->key, t->name, buf);
	}
	if ((rc = dd->query(dst, a, keysql, NULL, 0, &tail)) == 0 && tail.n == 1)
		last = tail.v;
	/* The deferred column is written NULL first, then set once every row is there. */
	size_t deferred = ncols;
	for (size_t i = 0; t->deferred && i < ncols; i++)
		if (!strcmp(cols[i], t->deferred))
			deferred = i;
	char *insert = arena_printf(a, "INSERT INTO %s(%s) VALUES (%s)", t->name, collist, placeholders(a, 1, ncols));
	/* where each key column is in the row */
	size_t keypos[8] = {0};
	{
		char *kc = arena_strdup(a, t->key);
		size_t i = 0;
		for (char *tok = strtok(kc, ", "); tok && i < 8; tok = strtok(NULL, ", "), i++)
			for (size_t j = 0; j < ncols; j++)
				if (!strcmp(cols[j], tok))
					keypos[i] = j;
	}
	while (rc == 0) {
		struct arena *b = arena_new();
		struct copy_rows rows;
		rc = read_batch(sd, src, b, t, collist, last, &rows);
		if (rc || rows.n == 0) {
			arena_free(b);
			break;
		}
		if (deferred < ncols)
			for (size_t r = 0; r < rows.n; r++)
				rows.v[r * ncols + deferred] = NULL;
		rc = dd->append ? dd->append(dst, t->name, cols, ncols, &rows) : dd->write(dst, insert, &rows);
		*copied += (int64_t)rows.n;
		written += (int64_t)rows.n;
		if (rc == 0 && crash_after > 0 && written >= crash_after)
			_exit(3); /* as a kill -9 would, after the batch committed */
		const char **next = arena_calloc(a, k, sizeof *next);
		for (size_t i = 0; i < k; i++)
			next[i] = arena_strdup(a, rows.v[(rows.n - 1) * ncols + keypos[i]]);
		last = next;
		arena_free(b);
	}
	if (rc == 0 && deferred < ncols) {
		/* SQLite reads $1 and $2 by order of appearance: the value comes first in the statement. */
		char *sel = arena_printf(a, "SELECT %s, %s FROM %s WHERE %s IS NOT NULL ORDER BY %s", t->deferred, t->key,
		                         t->name, t->deferred, t->key);
		char *upd = arena_printf(a, "UPDATE %s SET %s = $1 WHERE %s = $2", t->name, t->deferred, t->key);
		struct copy_rows rows;
		if ((rc = sd->query(src, a, sel, NULL, 0, &rows)) == 0 && rows.n)
			rc = dd->write(dst, upd, &rows);
	}
	if (rc && !err[0])
		snprintf(err, errlen, "copying the table %s failed (see the log); run the copy again to resume", t->name);
	arena_free(a);
	return rc;
}

static uint64_t fold(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = hash_fnv1a_byte(h, (unsigned char)p[i]);
	return h;
}

/* Row count and a checksum (FNV-1a over every value of the common columns, in key order). */
static int table_sum(const struct copy_driver *d, struct copy_db *db, const struct table *t, const char *collist,
                     size_t ncols, int64_t *count, uint64_t *sum)
{
	struct arena *a = arena_new();
	const char **last = NULL;
	size_t k = nkeys(t->key);
	int rc = 0;
	*count = 0;
	*sum = HASH_FNV_OFFSET;
	/* The key columns are read after the others to continue from. */
	char *cols = arena_printf(a, "%s, %s", collist, t->key);
	while (rc == 0) {
		struct arena *b = arena_new();
		struct copy_rows rows;
		rc = read_batch(d, db, b, t, cols, last, &rows);
		if (rc || rows.n == 0) {
			arena_free(b);
			break;
		}
		for (size_t r = 0; r < rows.n; r++) {
			for (size_t c = 0; c < ncols; c++) {
				const char *v = rows.v[r * rows.ncols + c];
				*sum = v ? fold(*sum, v, strlen(v) + 1) : fold(*sum, "\x1e", 1);
			}
			*sum = fold(*sum, "\x1d", 1);
		}
		*count += (int64_t)rows.n;
		const char **next = arena_calloc(a, k, sizeof *next);
		for (size_t i = 0; i < k; i++)
			next[i] = arena_strdup(a, rows.v[(rows.n - 1) * rows.ncols + ncols + i]);
		last = next;
		arena_free(b);
	}
	arena_free(a);
	return rc;
}

int store_copy(const char *from, const char *to, bool force, FILE *out, char *err, size_t errlen)
{
	const struct copy_driver *sd = driver_of(from), *dd = driver_of(to);
	struct copy_db *src = NULL, *dst = NULL;
	bool resuming = false;
	err[0] = '\0';
	const char *e = getenv("QUIRE_COPY_BATCH");
	BATCH = e && atoi(e) > 0 ? atoi(e) : BATCH_DEFAULT;
	e = getenv("QUIRE_COPY_CRASH_AFTER");
	crash_after = e ? atoll(e) : 0;
	written = 0;
	if (!strcmp(from, to)) {
		snprintf(err, errlen, "--from and --to name the same store");
		return Q_EINVAL;
	}
	int rc = sd->open(from, false, NULL, false, &src, NULL, err, errlen);
	if (rc == 0)
		rc = dd->open(to, true, from, force, &dst, &resuming, err, errlen);
	if (rc)
		goto done;
	fprintf(out, "%s %s (%s) to %s\n", resuming ? "resuming the copy of" : "copying", from, sd->name, dd->name);
	int64_t total = 0;
	for (size_t i = 0; i < NTABLES && rc == 0; i++) {
		int64_t n = 0;
		rc = copy_table(sd, src, dd, dst, &tables[i], &n, err, errlen);
		total += n;
	}
	/* Ids a deleted row had are never handed out again on the target either. */
	for (size_t i = 0; i < NTABLES && rc == 0; i++) {
		int64_t high = 0;
		if (tables[i].ids && (rc = sd->high_id(src, tables[i].name, &high)) == 0)
			rc = dd->set_high_id(dst, tables[i].name, high);
		if (rc)
			snprintf(err, errlen, "setting the next id of %s failed (see the log)", tables[i].name);
	}
	if (rc == 0)
		rc = dd->finish(dst, err, errlen);
	if (rc)
		goto done;
	fprintf(out, "copied %" PRId64 " rows; checking\n", total);
	/* Counts and checksums, table by table, read back from both sides. */
	for (size_t i = 0; i < NTABLES && rc == 0; i++) {
		struct arena *a = arena_new();
		const char **cols;
		size_t ncols;
		int64_t ns = 0, nd = 0;
		uint64_t hs = 0, hd = 0;
		rc = common_columns(src, sd, dst, dd, a, tables[i].name, &cols, &ncols, err, errlen);
		if (rc == 0) {
			char *collist = join(a, cols, ncols);
			rc = table_sum(sd, src, &tables[i], collist, ncols, &ns, &hs);
			if (rc == 0)
				rc = table_sum(dd, dst, &tables[i], collist, ncols, &nd, &hd);
		}
		if (rc == 0 && (ns != nd || hs != hd)) {
			snprintf(err, errlen, "%s differs after the copy: %" PRId64 " rows (checksum %016" PRIx64 ") in the source,"
			         " %" PRId64 " (%016" PRIx64 ") in the target", tables[i].name, ns, hs, nd, hd);
			rc = Q_ERR;
		} else if (rc == 0) {
			fprintf(out, "  %-16s %8" PRId64 " rows  checksum %016" PRIx64 "\n", tables[i].name, ns, hs);
		}
		arena_free(a);
	}
	if (rc == 0)
		fprintf(out, "done: %s holds the same archive\n", to);
done:
	if (src)
		sd->close(src);
	if (dst)
		dd->close(dst);
	return rc;
}
