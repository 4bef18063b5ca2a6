/* eFiction from a mysqldump file: the file is mapped (never copied), read once by import/mysqldump.c, and its
 * chapter texts stay in the mapping until the migration asks for each. */
#include "import/efiction.h"
#include "import/efiction_source.h"
#include "core/err.h"
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct dump_source {
	struct efiction_source base;
	void *map;
	size_t len;
};

static void dump_close(struct efiction_source *s)
{
	struct dump_source *d = (struct dump_source *)s;
	if (d->map)
		munmap(d->map, d->len);
	d->map = NULL;
}

struct dump_ctx {
	struct efiction *ef;
	const struct dump_row *row;
};

static const char *row_text(void *ctx, const char *column)
{
	struct dump_ctx *c = ctx;
	const struct dump_value *v = mysqldump_column(c->row, column);
	return v && !v->null ? mysqldump_text(c->ef->a, v) : NULL;
}

static long long row_num(void *ctx, const char *column)
{
	struct dump_ctx *c = ctx;
	return mysqldump_int(mysqldump_column(c->row, column));
}

static bool row_raw(void *ctx, const char *column, struct dump_value *out)
{
	struct dump_ctx *c = ctx;
	const struct dump_value *v = mysqldump_column(c->row, column);
	if (!v)
		return false;
	*out = *v;
	return true;
}

static bool take(void *ctx, const struct dump_row *row)
{
	struct dump_ctx *c = ctx;
	int t = efiction_table_of(c->ef, row->table);
	if (t < 0)
		return true;
	c->row = row;
	struct ef_row r = {row_text, row_num, row_raw, c};
	efiction_take_row(c->ef, (enum ef_table)t, &r);
	return true;
}

static bool no_row(void *ctx, const struct dump_row *row)
{
	(void)ctx, (void)row;
	return true;
}

/* Reads the archive's tables from data[0..len) (named label in messages); data outlives ef. */
static int read_dump(struct arena *a, const char *data, size_t len, const char *prefix, const char *label,
                     struct efiction *ef, const char **why)
{
	struct dump_ctx c = {.ef = ef};
	const char *err;
	int rc = 0;
	if (!prefix) { /* the tables' names first: which prefix they share */
		struct arena *names = arena_new();
		struct dump_stats st;
		rc = mysqldump_read(names, data, len, no_row, NULL, &st, &err);
		ef->prefix = arena_strdup(a, efiction_guess_prefix(names, st.names, st.tables));
		if (rc != 0)
			err = arena_strdup(a, err); /* it lives in names */
		arena_free(names);
	} else {
		ef->prefix = arena_strdup(a, prefix);
	}
	struct dump_stats st;
	if (rc == 0)
		rc = mysqldump_read(a, data, len, take, &c, &st, &err);
	if (rc != 0) {
		*why = arena_printf(a, "%s is not a dump Quire can read: %s", label, err);
		efiction_close(ef);
		return Q_EINVAL;
	}
	for (size_t i = 0; i < st.tables; i++) { /* tables without rows are there too */
		int t = efiction_table_of(ef, st.names[i]);
		if (t >= 0)
			ef->present[t] = true;
	}
	if (!ef->present[EF_STORIES] && !ef->present[EF_AUTHORS]) {
		*why = arena_printf(a, "%s holds no eFiction tables (no %sstories or %sauthors)", label, ef->prefix,
		                    ef->prefix);
		efiction_close(ef);
		return Q_EINVAL;
	}
	efiction_finish(ef);
	return 0;
}

int efiction_read_dump(struct arena *a, const char *data, size_t len, const char *prefix, struct efiction *ef,
                       const char **why)
{
	memset(ef, 0, sizeof *ef);
	ef->a = a;
	return read_dump(a, data, len, prefix, "the dump", ef, why);
}

int efiction_open_dump(struct arena *a, const char *path, const char *prefix, struct efiction *ef, const char **why)
{
	memset(ef, 0, sizeof *ef);
	ef->a = a;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = arena_printf(a, "cannot open %s", path);
		return Q_EINVAL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size == 0) {
		close(fd);
		*why = arena_printf(a, "%s is empty", path);
		return Q_EINVAL;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		*why = arena_printf(a, "cannot read %s", path);
		return Q_EINVAL;
	}
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	struct dump_source *src = arena_calloc(a, 1, sizeof *src);
	src->base.close = dump_close;
	src->map = map;
	src->len = (size_t)st.st_size;
	ef->source = &src->base;
	return read_dump(a, map, src->len, prefix, path, ef, why);
}

const char *efiction_guess_prefix(struct arena *a, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(names[i]);
		if (k < 7 || strcmp(names[i] + k - 7, "stories") != 0)
			continue;
		const char *prefix = arena_strndup(a, names[i], k - 7);
		const char *chapters = arena_printf(a, "%schapters", prefix);
		for (size_t j = 0; j < n; j++)
			if (!strcmp(names[j], chapters))
				return prefix;
	}
	return "fanfiction_";
}
