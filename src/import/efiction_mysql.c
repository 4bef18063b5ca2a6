/* eFiction from a running MySQL or MariaDB server (libmariadb), read-only: a read-only session, every table
 * read once in a consistent snapshot where the engine has one, rows streamed (mysql_use_result) into the model;
 * chapter texts fetched one at a time when the migration asks, so memory holds one at once. */
#include "import/efiction.h"
#include "import/efiction_source.h"
#include "core/buf.h"
#include "core/err.h"
#include <ctype.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>

struct mysql_source {
	struct efiction_source base;
	MYSQL *db;
	MYSQL_STMT *text;      /* SELECT storytext FROM chapters WHERE chapid = ? */
	struct arena *a;
	const char *error;
};

/* Parts of mysql://user:password@host:port/database (percent-escapes in user and password undone). */
struct url {
	const char *user, *password, *host, *db, *socket;
	unsigned port;
};

static const char *unescape(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = 0;
	return out;
}

static bool parse_url(struct arena *a, const char *url, struct url *u)
{
	memset(u, 0, sizeof *u);
	const char *p;
	if (!strncmp(url, "mysql://", 8))
		p = url + 8;
	else if (!strncmp(url, "mariadb://", 10))
		p = url + 10;
	else
		return false;
	const char *at = strrchr(p, '@'), *slash;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		u->user = unescape(a, p, (size_t)((colon ? colon : at) - p));
		u->password = colon ? unescape(a, colon + 1, (size_t)(at - colon - 1)) : NULL;
		p = at + 1;
	}
	slash = strchr(p, '/');
	if (!slash || !slash[1])
		return false;
	u->db = unescape(a, slash + 1, strcspn(slash + 1, "?"));
	const char *host_end = slash;
	if (*p == '[') { /* [::1]:3306 */
		const char *close = memchr(p, ']', (size_t)(slash - p));
		if (!close)
			return false;
		u->host = arena_strndup(a, p + 1, (size_t)(close - p - 1));
		if (close[1] == ':')
			u->port = (unsigned)atoi(close + 2);
	} else {
		const char *colon = memchr(p, ':', (size_t)(host_end - p));
		u->host = arena_strndup(a, p, (size_t)((colon ? colon : host_end) - p));
		if (colon)
			u->port = (unsigned)atoi(colon + 1);
	}
	const char *q = strstr(slash, "?socket=");
	if (q)
		u->socket = unescape(a, q + 8, strlen(q + 8));
	return *u->host || u->socket;
}

struct row_ctx {
	struct arena *a;
	MYSQL_ROW row;
	unsigned long *lengths;
	MYSQL_FIELD *fields;
	unsigned n;
};

static int column_of(const struct row_ctx *r, const char *name)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->fields[i].name, name))
			return (int)i;
	return -1;
}

static const char *row_text(void *ctx, const char *column)
{
	struct row_ctx *r = ctx;
	int i = column_of(r, column);
	if (i < 0 || !r->row[i])
		return NULL;
	/* NUL bytes inside a value are dropped: text never holds them */
	char *out = arena_alloc(r->a, r->lengths[i] + 1);
	size_t o = 0;
	for (unsigned long k = 0; k < r->lengths[i]; k++)
		if (r->row[i][k])
			out[o++] = r->row[i][k];
	out[o] = 0;
	return out;
}

static long long row_num(void *ctx, const char *column)
{
	struct row_ctx *r = ctx;
	int i = column_of(r, column);
	return i >= 0 && r->row[i] ? strtoll(r->row[i], NULL, 10) : 0;
}

static int chapter_text(struct efiction_source *s, struct arena *a, int64_t chapid, const char **text)
{
	struct mysql_source *m = (struct mysql_source *)s;
	*text = NULL;
	if (!m->text)
		return Q_ENOTFOUND;
	MYSQL_BIND in = {0};
	long long id = chapid;
	in.buffer_type = MYSQL_TYPE_LONGLONG;
	in.buffer = &id;
	if (mysql_stmt_bind_param(m->text, &in) || mysql_stmt_execute(m->text))
		return Q_ERR;
	unsigned long len = 0;
	my_bool is_null = 0;
	MYSQL_BIND out = {0};
	out.buffer_type = MYSQL_TYPE_BLOB;
	out.length = &len;
	out.is_null = &is_null;
	int rc = Q_ENOTFOUND;
	if (mysql_stmt_bind_result(m->text, &out) == 0) {
		int f = mysql_stmt_fetch(m->text);
		if ((f == 0 || f == MYSQL_DATA_TRUNCATED) && !is_null) {
			char *buf = arena_alloc(a, len + 1);
			out.buffer = buf;
			out.buffer_length = len;
			if (len == 0 || mysql_stmt_fetch_column(m->text, &out, 0, 0) == 0) {
				/* NULs dropped */
				size_t o = 0;
				for (unsigned long k = 0; k < len; k++)
					if (buf[k])
						buf[o++] = buf[k];
				buf[o] = 0;
				*text = buf;
				rc = 0;
			} else {
				rc = Q_ERR;
			}
		}
	}
	mysql_stmt_free_result(m->text);
	mysql_stmt_reset(m->text);
	return rc;
}

static void close_source(struct efiction_source *s)
{
	struct mysql_source *m = (struct mysql_source *)s;
	if (m->text)
		mysql_stmt_close(m->text);
	if (m->db)
		mysql_close(m->db);
	m->text = NULL;
	m->db = NULL;
}

/* Quotes a name for SQL: `name` (backticks doubled). */
static const char *quoted(struct arena *a, const char *name)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '`');
	for (const char *p = name; *p; p++) {
		if (*p == '`')
			buf_putc(&b, '`');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '`');
	const char *r = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return r;
}

/* Reads every row of one table (chapters without their texts). */
static int read_table(struct mysql_source *m, struct efiction *ef, enum ef_table t, const char **why)
{
	struct arena *a = ef->a;
	const char *table = arena_printf(a, "%s%s", ef->prefix, efiction_table_names[t]);
	const char *sql = t == EF_CHAPTERS
	                          ? arena_printf(a, "SELECT chapid, title, inorder, notes, endnotes, validated, wordcount, sid, uid"
	                                            " FROM %s", quoted(a, table))
	                          : arena_printf(a, "SELECT * FROM %s", quoted(a, table));
	if (mysql_query(m->db, sql) != 0) {
		/* a table this version does not have: reported, the rest goes on */
		unsigned err = mysql_errno(m->db);
		if (err == 1146) /* ER_NO_SUCH_TABLE */
			return 0;
		*why = arena_printf(a, "reading %s: %s", table, mysql_error(m->db));
		return Q_EINVAL;
	}
	MYSQL_RES *res = mysql_use_result(m->db);
	if (!res) {
		*why = arena_printf(a, "reading %s: %s", table, mysql_error(m->db));
		return Q_EINVAL;
	}
	ef->present[t] = true;
	struct row_ctx rc = {.a = a, .fields = mysql_fetch_fields(res), .n = mysql_num_fields(res)};
	struct ef_row r = {row_text, row_num, NULL, &rc};
	while ((rc.row = mysql_fetch_row(res))) {
		rc.lengths = mysql_fetch_lengths(res);
		efiction_take_row(ef, t, &r);
	}
	int rcode = 0;
	if (mysql_errno(m->db)) {
		*why = arena_printf(a, "reading %s: %s", table, mysql_error(m->db));
		rcode = Q_EINVAL;
	}
	mysql_free_result(res);
	return rcode;
}

/* The prefix, from the tables the database has. */
static const char *find_prefix(struct mysql_source *m, struct arena *a)
{
	if (mysql_query(m->db, "SHOW TABLES") != 0)
		return "fanfiction_";
	MYSQL_RES *res = mysql_store_result(m->db);
	if (!res)
		return "fanfiction_";
	const char *names[512];
	size_t n = 0;
	MYSQL_ROW row;
	while ((row = mysql_fetch_row(res)) && n < 512)
		if (row[0])
			names[n++] = arena_strdup(a, row[0]);
	mysql_free_result(res);
	return efiction_guess_prefix(a, names, n);
}

int efiction_open_mysql(struct arena *a, const char *url, const char *prefix, struct efiction *ef, const char **why)
{
	memset(ef, 0, sizeof *ef);
	ef->a = a;
	struct url u;
	if (!parse_url(a, url, &u)) {
		*why = "--mysql is written mysql://user:password@host[:port]/database";
		return Q_EINVAL;
	}
	struct mysql_source *m = arena_calloc(a, 1, sizeof *m);
	m->base.close = close_source;
	m->base.chapter_text = chapter_text;
	m->a = a;
	m->db = mysql_init(NULL);
	if (!m->db) {
		*why = "out of memory";
		return Q_ERR;
	}
	unsigned timeout = 30;
	mysql_options(m->db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m->db, MYSQL_OPT_READ_TIMEOUT, &timeout);
	/* eFiction wrote with SET NAMES utf8; utf8mb4 reads those bytes as they are, and four-byte ones too */
	mysql_options(m->db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(m->db, u.socket ? NULL : u.host, u.user, u.password, u.db, u.port, u.socket, 0)) {
		*why = arena_printf(a, "cannot connect to the database %s on %s: %s", u.db, u.socket ? u.socket : u.host,
		                    mysql_error(m->db));
		mysql_close(m->db);
		return Q_EINVAL;
	}
	ef->source = &m->base;
	/* read-only, one snapshot (InnoDB; eFiction's MyISAM tables are read as they are) */
	if (mysql_query(m->db, "SET SESSION TRANSACTION READ ONLY") != 0 ||
	    mysql_query(m->db, "START TRANSACTION WITH CONSISTENT SNAPSHOT") != 0) {
		*why = arena_printf(a, "cannot start a read-only session: %s", mysql_error(m->db));
		efiction_close(ef);
		return Q_EINVAL;
	}
	ef->prefix = prefix ? arena_strdup(a, prefix) : find_prefix(m, a);
	int rc = 0;
	for (int t = 0; rc == 0 && t < EF_TABLE_COUNT; t++)
		rc = read_table(m, ef, (enum ef_table)t, why);
	if (rc == 0 && !ef->present[EF_STORIES] && !ef->present[EF_AUTHORS]) {
		*why = arena_printf(a, "the database %s holds no eFiction tables (no %sstories or %sauthors)", u.db, ef->prefix,
		                    ef->prefix);
		rc = Q_EINVAL;
	}
	if (rc == 0) {
		const char *sql = arena_printf(a, "SELECT storytext FROM %s WHERE chapid = ?",
		                               quoted(a, arena_printf(a, "%schapters", ef->prefix)));
		m->text = mysql_stmt_init(m->db);
		if (!m->text || mysql_stmt_prepare(m->text, sql, strlen(sql)) != 0) {
			if (m->text)
				mysql_stmt_close(m->text);
			m->text = NULL; /* no texts in the database: the stories folder may have them */
		}
	}
	if (rc) {
		efiction_close(ef);
		return rc;
	}
	efiction_finish(ef);
	return 0;
}
