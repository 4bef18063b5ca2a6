/* mysqldump files read without a server: statements split outside strings and comments, CREATE TABLE for
 * column names, INSERT ... VALUES (...),(...) for rows; everything else (SET, LOCK, DROP, the versioned
 * comments) skipped. One pass; values point into the dump until asked for. */
#include "import/mysqldump.h"
#include "core/err.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct table {
	const char *name;
	const char **columns;
	size_t ncolumns;
	struct table *next;
};

struct reader {
	struct arena *a;
	const char *s;
	size_t n, i;
	struct table *tables;
	struct dump_value *values;
	size_t cap;
	const char *why;
	struct dump_stats *stats;
};

static bool at_end(const struct reader *r)
{
	return r->i >= r->n;
}

/* Skips white space and comments (-- and # to the line's end, slash-star to star-slash, versioned or not). */
static void skip_space(struct reader *r)
{
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (isspace((unsigned char)c)) {
			r->i++;
		} else if (c == '#' || (c == '-' && r->i + 1 < r->n && r->s[r->i + 1] == '-' &&
		                        (r->i + 2 >= r->n || isspace((unsigned char)r->s[r->i + 2])))) {
			const char *nl = memchr(r->s + r->i, '\n', r->n - r->i);
			r->i = nl ? (size_t)(nl - r->s) + 1 : r->n;
		} else if (c == '/' && r->i + 1 < r->n && r->s[r->i + 1] == '*') {
			const char *end = memmem(r->s + r->i + 2, r->n - r->i - 2, "*/", 2);
			r->i = end ? (size_t)(end - r->s) + 2 : r->n;
		} else {
			return;
		}
	}
}

static bool keyword(struct reader *r, const char *w)
{
	size_t k = strlen(w);
	if (r->n - r->i < k || strncasecmp(r->s + r->i, w, k) != 0 ||
	    (r->i + k < r->n && (isalnum((unsigned char)r->s[r->i + k]) || r->s[r->i + k] == '_')))
		return false;
	r->i += k;
	skip_space(r);
	return true;
}

/* Past a quoted string starting at r->i (the quote), escapes and doubled quotes included; false when it
 * never ends. */
static bool skip_string(struct reader *r)
{
	char q = r->s[r->i++];
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (c == '\\' && q != '`') {
			r->i += 2;
			continue;
		}
		if (c == q) {
			if (r->i + 1 < r->n && r->s[r->i + 1] == q) {
				r->i += 2;
				continue;
			}
			r->i++;
			return true;
		}
		r->i++;
	}
	return false;
}

/* To just past the statement's ';' (strings and comments skipped over). */
static bool skip_statement(struct reader *r)
{
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (c == '\'' || c == '"' || c == '`') {
			if (!skip_string(r))
				return false;
		} else if (c == ';') {
			r->i++;
			return true;
		} else if ((c == '-' && r->i + 1 < r->n && r->s[r->i + 1] == '-') || c == '#' ||
		           (c == '/' && r->i + 1 < r->n && r->s[r->i + 1] == '*')) {
			size_t before = r->i;
			skip_space(r);
			if (r->i == before)
				r->i++;
		} else {
			r->i++;
		}
	}
	return true; /* a last statement without its ';' */
}

/* An identifier: `quoted` (`` for a backtick) or bare; the last part of db.table. Arena copy, or NULL. */
static const char *identifier(struct reader *r)
{
	const char *name = NULL;
	for (;;) {
		skip_space(r);
		if (at_end(r))
			return NULL;
		if (r->s[r->i] == '`') {
			size_t start = ++r->i;
			char buf[MYSQLDUMP_NAME_MAX + 1];
			size_t k = 0;
			while (r->i < r->n) {
				if (r->s[r->i] == '`') {
					if (r->i + 1 < r->n && r->s[r->i + 1] == '`') {
						if (k < MYSQLDUMP_NAME_MAX)
							buf[k++] = '`';
						r->i += 2;
						continue;
					}
					break;
				}
				if (k < MYSQLDUMP_NAME_MAX)
					buf[k++] = r->s[r->i];
				r->i++;
			}
			if (at_end(r))
				return NULL;
			r->i++;
			(void)start;
			name = arena_strndup(r->a, buf, k);
		} else {
			size_t start = r->i;
			while (r->i < r->n && (isalnum((unsigned char)r->s[r->i]) || r->s[r->i] == '_' || r->s[r->i] == '$'))
				r->i++;
			if (r->i == start || r->i - start > MYSQLDUMP_NAME_MAX)
				return NULL;
			name = arena_strndup(r->a, r->s + start, r->i - start);
		}
		skip_space(r);
		if (r->i < r->n && r->s[r->i] == '.') {
			r->i++;
			continue;
		}
		return name;
	}
}

static struct table *table_of(struct reader *r, const char *name, bool create)
{
	for (struct table *t = r->tables; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	if (!create)
		return NULL;
	struct table *t = arena_calloc(r->a, 1, sizeof *t);
	t->name = name;
	t->next = r->tables;
	r->tables = t;
	r->stats->tables++;
	return t;
}

/* CREATE TABLE [IF NOT EXISTS] `t` ( `col` type ..., PRIMARY KEY (...), ... ) options; */
static int create_table(struct reader *r)
{
	keyword(r, "IF NOT EXISTS");
	const char *name = identifier(r);
	if (!name || at_end(r) || r->s[r->i] != '(') {
		r->why = "a CREATE TABLE without its columns";
		return Q_EINVAL;
	}
	r->i++;
	const char **cols = arena_calloc(r->a, MYSQLDUMP_COLUMNS_MAX, sizeof *cols);
	size_t ncols = 0;
	bool item_start = true;
	int depth = 0;
	while (r->i < r->n) {
		skip_space(r);
		if (at_end(r))
			break;
		char c = r->s[r->i];
		if (item_start && depth == 0 && c == '`') {
			const char *col = identifier(r);
			if (!col)
				break;
			if (ncols >= MYSQLDUMP_COLUMNS_MAX) {
				r->why = "a table with too many columns";
				return Q_EINVAL;
			}
			cols[ncols++] = col;
			item_start = false;
			continue;
		}
		item_start = false;
		if (c == '\'' || c == '"' || c == '`') {
			if (!skip_string(r))
				break;
			continue;
		}
		r->i++;
		if (c == '(')
			depth++;
		else if (c == ')' && depth-- == 0)
			break;
		else if (c == ',' && depth == 0)
			item_start = true;
	}
	struct table *t = table_of(r, name, true);
	t->columns = cols;
	t->ncolumns = ncols;
	return skip_statement(r) ? 0 : (r->why = "a CREATE TABLE that never ends", Q_EINVAL);
}

/* One value of a tuple, at r->i. */
static bool value(struct reader *r, struct dump_value *v)
{
	skip_space(r);
	if (at_end(r))
		return false;
	memset(v, 0, sizeof *v);
	/* _binary'...', _utf8mb4 '...', N'...' introducers */
	if (r->s[r->i] == '_' || ((r->s[r->i] == 'N' || r->s[r->i] == 'n') && r->i + 1 < r->n && r->s[r->i + 1] == '\'')) {
		size_t j = r->i + 1;
		while (j < r->n && (isalnum((unsigned char)r->s[j]) || r->s[j] == '_'))
			j++;
		while (j < r->n && r->s[j] == ' ')
			j++;
		if (j < r->n && r->s[j] == '\'')
			r->i = j;
	}
	char c = r->s[r->i];
	if (c == '\'' || c == '"') {
		size_t start = r->i + 1;
		if (!skip_string(r))
			return false;
		v->p = r->s + start;
		v->n = r->i - 1 - start;
		v->string = true;
		return true;
	}
	size_t start = r->i;
	while (r->i < r->n && r->s[r->i] != ',' && r->s[r->i] != ')' && !isspace((unsigned char)r->s[r->i]))
		r->i++;
	if (r->i == start)
		return false;
	v->p = r->s + start;
	v->n = r->i - start;
	v->null = v->n == 4 && !strncasecmp(v->p, "NULL", 4);
	return true;
}

/* INSERT [IGNORE] INTO `t` [(`a`, ...)] VALUES (...), (...); */
/* After an item of a parenthesised list: 1 past a ',' (more follow), 0 past the closing ')', -1 for anything
 * else. */
static int list_next(struct reader *r)
{
	skip_space(r);
	if (r->i < r->n && (r->s[r->i] == ',' || r->s[r->i] == ')'))
		return r->s[r->i++] == ',';
	return -1;
}

static int insert(struct reader *r, dump_row_fn fn, void *ctx, bool *stop)
{
	keyword(r, "IGNORE");
	if (!keyword(r, "INTO")) {
		r->why = "an INSERT without INTO";
		return Q_EINVAL;
	}
	const char *name = identifier(r);
	if (!name) {
		r->why = "an INSERT without a table";
		return Q_EINVAL;
	}
	struct table *t = table_of(r, name, true);
	const char **cols = t->columns;
	size_t ncols = t->ncolumns;
	skip_space(r);
	if (r->i < r->n && r->s[r->i] == '(') { /* a column list of its own */
		r->i++;
		cols = arena_calloc(r->a, MYSQLDUMP_COLUMNS_MAX, sizeof *cols);
		ncols = 0;
		for (;;) {
			const char *col = identifier(r);
			if (!col || ncols >= MYSQLDUMP_COLUMNS_MAX) {
				r->why = "an INSERT with a broken column list";
				return Q_EINVAL;
			}
			cols[ncols++] = col;
			int next = list_next(r);
			if (next < 0) {
				r->why = "an INSERT with a broken column list";
				return Q_EINVAL;
			}
			if (next == 0)
				break;
		}
		skip_space(r);
	}
	if (!keyword(r, "VALUES") && !keyword(r, "VALUE")) {
		r->why = "an INSERT without VALUES";
		return Q_EINVAL;
	}
	for (;;) {
		skip_space(r);
		if (at_end(r) || r->s[r->i] != '(') {
			r->why = "a row that does not start with (";
			return Q_EINVAL;
		}
		size_t row_at = r->i++;
		size_t nv = 0;
		for (;;) {
			if (nv >= MYSQLDUMP_COLUMNS_MAX) {
				r->why = "a row with too many values";
				return Q_EINVAL;
			}
			if (nv == r->cap) {
				size_t cap = r->cap ? r->cap * 2 : 32;
				struct dump_value *more = realloc(r->values, cap * sizeof *more);
				if (!more) {
					r->why = "out of memory";
					return Q_ERR;
				}
				r->values = more;
				r->cap = cap;
			}
			if (!value(r, &r->values[nv])) {
				r->why = "a value that does not end";
				return Q_EINVAL;
			}
			nv++;
			int next = list_next(r);
			if (next < 0) {
				r->why = "a row that does not close";
				return Q_EINVAL;
			}
			if (next == 0)
				break;
		}
		r->stats->rows++;
		struct dump_row row = {name, cols, ncols, r->values, nv, row_at};
		if (!fn(ctx, &row)) {
			*stop = true;
			return 0;
		}
		skip_space(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == ';')
			r->i++;
		return 0;
	}
}

int mysqldump_read(struct arena *a, const char *data, size_t len, dump_row_fn fn, void *ctx, struct dump_stats *stats,
                   const char **why)
{
	struct dump_stats none;
	stats = stats ? stats : &none;
	memset(stats, 0, sizeof *stats);
	struct reader r = {.a = a, .s = data, .n = len, .stats = stats};
	int rc = 0;
	bool stop = false;
	*why = NULL;
	while (rc == 0 && !stop) {
		skip_space(&r);
		if (at_end(&r))
			break;
		stats->statements++;
		size_t at = r.i;
		if (keyword(&r, "CREATE")) {
			keyword(&r, "TEMPORARY");
			if (keyword(&r, "TABLE")) {
				rc = create_table(&r);
				continue;
			}
		} else if (keyword(&r, "INSERT") || keyword(&r, "REPLACE")) {
			rc = insert(&r, fn, ctx, &stop);
			continue;
		}
		stats->skipped++;
		if (!skip_statement(&r)) {
			r.why = "a string that never ends";
			rc = Q_EINVAL;
		}
		if (r.i == at)
			r.i++;
	}
	free(r.values);
	stats->names = arena_calloc(a, stats->tables + 1, sizeof *stats->names);
	size_t k = stats->tables;
	for (struct table *t = r.tables; t && k > 0; t = t->next)
		stats->names[--k] = t->name;
	if (rc)
		*why = arena_printf(a, "%s (near byte %zu)", r.why ? r.why : "not a dump", r.i);
	return rc;
}

char *mysqldump_text(struct arena *a, const struct dump_value *v)
{
	if (!v || v->null)
		return arena_strdup(a, "");
	char *out = arena_alloc(a, v->n + 1);
	size_t o = 0;
	if (!v->string) {
		/* 0x hex literals are bytes */
		if (v->n > 2 && v->p[0] == '0' && (v->p[1] == 'x' || v->p[1] == 'X')) {
			for (size_t i = 2; i + 1 < v->n; i += 2) {
				char hex[3] = {v->p[i], v->p[i + 1], 0};
				char c = (char)strtol(hex, NULL, 16);
				if (c)
					out[o++] = c;
			}
			out[o] = 0;
			return out;
		}
		memcpy(out, v->p, v->n);
		out[v->n] = 0;
		return out;
	}
	for (size_t i = 0; i < v->n; i++) {
		char c = v->p[i];
		if (c == '\\' && i + 1 < v->n) {
			char e = v->p[++i];
			switch (e) {
			case '0': continue; /* NUL: dropped */
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'Z': c = 0x1A; break;
			/* \% and \_ keep their backslash (they are LIKE escapes); anything else is itself */
			case '%': case '_': out[o++] = '\\'; c = e; break;
			default: c = e; break;
			}
		} else if ((c == '\'' || c == '"') && i + 1 < v->n && v->p[i + 1] == c) {
			i++; /* a doubled quote */
		}
		out[o++] = c;
	}
	out[o] = 0;
	return out;
}

long long mysqldump_int(const struct dump_value *v)
{
	if (!v || v->null || v->n == 0 || v->n > 30)
		return 0;
	char buf[32];
	memcpy(buf, v->p, v->n);
	buf[v->n] = 0;
	return strtoll(buf, NULL, 10);
}

const struct dump_value *mysqldump_column(const struct dump_row *row, const char *name)
{
	for (size_t i = 0; i < row->ncolumns && i < row->nvalues; i++)
		if (!strcmp(row->columns[i], name))
			return &row->values[i];
	return NULL;
}
