/* eFiction 3.x archives read into memory: members, stories, chapters, categories, characters, classes,
 * ratings, series, co-authors, reviews and favourites, from a mysqldump file (efiction_dump.c) or a running
 * MySQL/MariaDB server (efiction_mysql.c, read-only), with chapter texts from the database or from the
 * stories folder. Only reading: archive/efiction.c maps what is read onto the archive and writes it. */
#ifndef QUIRE_IMPORT_EFICTION_H
#define QUIRE_IMPORT_EFICTION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "import/mysqldump.h"

struct ef_author {
	int64_t uid;
	const char *penname, *realname, *email, *bio; /* bio as stored (HTML) */
	const char *fields;                           /* the profile's extra fields as "Title: value" lines */
	int64_t date;
};

struct ef_category {
	int64_t catid, parent; /* parent -1 (or 0) for a top category */
	const char *name, *description;
	int order;
};

struct ef_character {
	int64_t charid, catid; /* catid -1 (or 0): every category */
	const char *name;
};

struct ef_class {
	int64_t id, type;
	const char *name;
};

struct ef_classtype {
	int64_t id;
	const char *name, *title; /* "warnings", "Warnings" */
};

struct ef_rating {
	int64_t rid;
	const char *name;
};

struct ef_series {
	int64_t id, uid;
	const char *title, *summary;
	bool open;
};

struct ef_inseries {
	int64_t seriesid, sid, subseriesid;
	bool confirmed;
	int order;
};

/* Lists of ids as eFiction keeps them ("4,10"): parsed. */
struct ef_ids {
	int64_t *ids;
	size_t n;
};

struct ef_story {
	int64_t sid, uid;
	const char *title, *summary, *notes;
	struct ef_ids catids, classes, charids;
	int64_t rid;
	int64_t date, updated;
	bool coauthors, featured, validated, completed;
	int64_t wordcount, count;
};

struct ef_chapter {
	int64_t chapid, sid, uid;
	const char *title, *notes, *endnotes;
	int order;
	bool validated;
	int64_t wordcount;
	/* the text as stored, fetched by efiction_chapter_text: a value in the dump, or NULL */
	struct dump_value text;
	bool text_in_row; /* the row held the text (a dump, or a server's row) */
};

struct ef_coauthor {
	int64_t sid, uid;
};

struct ef_review {
	int64_t id, item, chapid, uid;
	const char *reviewer, *review;
	int64_t date;
	int rating;  /* -1: none */
	bool respond;
	char type[3]; /* "ST" story, "SE" series */
};

struct ef_favorite {
	int64_t uid, item;
	char type[3]; /* "ST" story, "AU" author, "SE" series */
	const char *comments;
};

/* What the archive's settings say. */
struct ef_settings {
	const char *sitekey, *sitename, *url, *version, *store, *storiespath, *language;
	int ratings; /* review ratings: 0 none, 1 stars, 2 likes */
};

/* The tables a migration reads (without the prefix), each with its row count in the source. */
enum ef_table {
	EF_AUTHORS, EF_AUTHORINFO, EF_AUTHORFIELDS, EF_CATEGORIES, EF_CHARACTERS, EF_CLASSES, EF_CLASSTYPES,
	EF_RATINGS, EF_SERIES, EF_INSERIES, EF_STORIES, EF_CHAPTERS, EF_COAUTHORS, EF_REVIEWS, EF_FAVORITES,
	EF_SETTINGS, EF_NEWS, EF_TABLE_COUNT
};
extern const char *const efiction_table_names[EF_TABLE_COUNT];

struct efiction_source;

struct efiction {
	struct arena *a;
	const char *prefix;           /* "fanfiction_" */
	struct ef_settings settings;
	size_t rows[EF_TABLE_COUNT];  /* rows read from each table */
	bool present[EF_TABLE_COUNT]; /* whether the source has the table */
	struct ef_author *authors;
	struct ef_category *categories;
	struct ef_character *characters;
	struct ef_class *classes;
	struct ef_classtype *classtypes;
	struct ef_rating *ratings;
	struct ef_series *series;
	struct ef_inseries *inseries;
	struct ef_story *stories;
	struct ef_chapter *chapters;
	struct ef_coauthor *coauthors;
	struct ef_review *reviews;
	struct ef_favorite *favorites;
	size_t nauthors, ncategories, ncharacters, nclasses, nclasstypes, nratings, nseries, ninseries, nstories,
	       nchapters, ncoauthors, nreviews, nfavorites;
	/* author fields (fanfiction_authorinfo rows) before they are joined to authors */
	struct ef_authorinfo {
		int64_t uid, field;
		const char *info;
	} *infos;
	size_t ninfos;
	struct ef_authorfield {
		int64_t id;
		const char *title;
	} *fields;
	size_t nfields;
	const char *files_dir;        /* the stories folder (chapter texts as files), or NULL */
	struct efiction_source *source;
	const char **problems;        /* what could not be read (unknown version, missing tables), for the report */
	size_t nproblems;
};

/* ---- Sources ---- */

/* Opens a mysqldump file (mapped, not copied) and reads the archive's tables into ef (arena a). prefix NULL:
 * found from the tables ("fanfiction_" usually). Q_EINVAL with *why for a file that is not a dump or holds no
 * eFiction archive. */
int efiction_open_dump(struct arena *a, const char *path, const char *prefix, struct efiction *ef, const char **why);
/* The same for a dump already in memory (data outlives ef): tests and fuzzing. */
int efiction_read_dump(struct arena *a, const char *data, size_t len, const char *prefix, struct efiction *ef,
                       const char **why);
/* Connects to a MySQL or MariaDB server (url mysql://user:password@host[:port]/database, read-only session)
 * and reads the archive's tables; chapter texts are fetched one by one when asked for. */
int efiction_open_mysql(struct arena *a, const char *url, const char *prefix, struct efiction *ef, const char **why);
/* Chapter texts from the stories folder: dir/<uid>/<chapid>.txt (dir may be the folder holding "stories"). */
void efiction_set_files(struct efiction *ef, const char *dir);
void efiction_close(struct efiction *ef);

/* A chapter's text as stored (arena): from its row, the server, or its file, whichever holds it (the
 * settings' store says which to prefer). Q_ENOTFOUND when none does. *where says which ("database", "file"). */
int efiction_chapter_text(struct efiction *ef, struct arena *a, const struct ef_chapter *c, const char **text,
                          const char **where);

/* ---- Filling the model from rows (shared by the sources) ---- */

/* One row of a table, its values by column name (NULL: no such column or SQL NULL). */
struct ef_row {
	const char *(*text)(void *ctx, const char *column); /* arena copy */
	long long (*num)(void *ctx, const char *column);
	bool (*raw)(void *ctx, const char *column, struct dump_value *out); /* a value kept as stored (chapter texts) */
	void *ctx;
};
/* Which table a source table is (its name without ef->prefix), or -1. */
int efiction_table_of(const struct efiction *ef, const char *name);
/* Takes a row of table t into the model. */
void efiction_take_row(struct efiction *ef, enum ef_table t, const struct ef_row *row);
/* After every row: authors get their fields, the settings are checked (version, store). */
void efiction_finish(struct efiction *ef);
void efiction_problem(struct efiction *ef, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- Text as eFiction stored it ---- */

/* A one-line field (title, pen name, category): double-encoded UTF-8 repaired, tags dropped, entities decoded,
 * white space folded. *repaired counts characters repaired (may be NULL). */
const char *efiction_line(struct arena *a, const char *s, size_t *repaired);
/* A text field (story text, notes, summaries, reviews): double-encoded UTF-8 repaired, then as HTML when it is
 * (<br />, <p>, tags, entities) with <br /> runs as paragraphs, else as plain text (paragraphs at blank lines,
 * lines kept), into clean HTML for the sanitizer. */
const char *efiction_html(struct arena *a, const char *s, size_t *repaired);

/* Looks ups by id (binary search over rows sorted by efiction_finish); NULL when missing. */
const struct ef_author *efiction_author(const struct efiction *ef, int64_t uid);
const struct ef_story *efiction_story(const struct efiction *ef, int64_t sid);
const struct ef_category *efiction_category(const struct efiction *ef, int64_t catid);
const struct ef_series *efiction_series(const struct efiction *ef, int64_t id);
#endif
