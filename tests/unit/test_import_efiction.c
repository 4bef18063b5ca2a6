/* Unit tests for the eFiction readers: the mysqldump reader (statements, escapes, literals, column lists,
 * comments), the model read from a dump in memory (prefix guessed, id lists, order, dates of both kinds),
 * eFiction's text (<br> runs as paragraphs, text encoded twice, one-line fields) and the mapping's defaults and
 * its INI file read back. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "import/efiction.h"
#include "import/efiction_map.h"
#include "import/mysqldump.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct arena *A;

struct rows {
	size_t n;
	const char *table[8];
	const char *text[8][4];
	bool null[8][4];
	long long num[8];
};

static bool take(void *ctx, const struct dump_row *r)
{
	struct rows *x = ctx;
	if (x->n < 8) {
		x->table[x->n] = r->table;
		for (size_t i = 0; i < r->nvalues && i < 4; i++) {
			x->text[x->n][i] = mysqldump_text(A, &r->values[i]);
			x->null[x->n][i] = r->values[i].null;
		}
		x->num[x->n] = mysqldump_int(mysqldump_column(r, "id"));
	}
	x->n++;
	return true;
}

static void test_dump_reader(void)
{
	const char *dump =
	    "/*!40101 SET NAMES utf8mb4 */;\n"
	    "-- a comment; with a semicolon\n"
	    "DROP TABLE IF EXISTS `t`;\n"
	    "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `s` text,\n  `b` blob,\n  PRIMARY KEY (`id`),\n"
	    "  KEY `k` (`s`(10))\n) ENGINE=MyISAM DEFAULT CHARSET=latin1;\n"
	    "LOCK TABLES `t` WRITE;\n"
	    "INSERT INTO `t` VALUES (1,'It\\'s a \\\"test\\\"\\n\\0end','x'),(-2,'a''b ),( c;',0x4869),\n"
	    "(3,NULL,_binary 'raw');\n"
	    "INSERT INTO `t` (`s`, `id`) VALUES ('named',4);\n"
	    "UNLOCK TABLES;\n";
	struct rows x = {0};
	struct dump_stats st = {0};
	const char *why = NULL;
	CHECK(mysqldump_read(A, dump, strlen(dump), take, &x, &st, &why) == 0);
	CHECK(x.n == 4 && st.rows == 4);
	CHECK_STR(x.table[0], "t");
	CHECK_STR(x.text[0][1], "It's a \"test\"\nend"); /* \0 dropped */
	CHECK(x.num[0] == 1 && x.num[1] == -2 && x.num[2] == 3);
	CHECK_STR(x.text[1][1], "a'b ),( c;");
	CHECK_STR(x.text[1][2], "Hi"); /* a hex literal is bytes */
	CHECK(x.null[2][1] && !strcmp(x.text[2][1], ""));
	CHECK_STR(x.text[2][2], "raw");
	CHECK_STR(x.text[3][0], "named"); /* the INSERT's own column list */
	CHECK(x.num[3] == 4);

	/* refusals name the byte */
	const char *cut = "INSERT INTO `t` VALUES (1,'never ends";
	x.n = 0;
	CHECK(mysqldump_read(A, cut, strlen(cut), take, &x, NULL, &why) == Q_EINVAL);
	CHECK_CONTAINS(why, "near byte");
}

/* A small archive with the prefix ef_ (guessed), dates as Unix seconds and as DATETIMEs. */
static const char *ARCHIVE =
    "CREATE TABLE `ef_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);\n"
    "INSERT INTO `ef_authors` VALUES (2,'Tess &amp; Co','t@example.org','2008-03-01 12:00:00'),"
    "(1,'admin','a@example.org','0000-00-00 00:00:00');\n"
    "CREATE TABLE `ef_stories` (`sid` int, `uid` int, `title` varchar(200), `summary` text, `catid` varchar(100),"
    " `classes` varchar(100), `rid` varchar(25), `date` int, `updated` int, `validated` char(1));\n"
    "INSERT INTO `ef_stories` VALUES (7,2,'<b>Bold</b> title','sum','4, 10,,0','3','2',1204372800,1204459200,'1'),"
    "(5,2,'Five','','','','1',0,0,'0');\n"
    "CREATE TABLE `ef_chapters` (`chapid` int, `sid` int, `uid` int, `title` varchar(200), `inorder` int,"
    " `storytext` text, `validated` char(1));\n"
    "INSERT INTO `ef_chapters` VALUES (11,7,2,'Two',2,'Second.','1'),(10,7,2,'One',1,'First.<br /><br />Next.','1');\n";

static void test_archive(void)
{
	struct efiction ef;
	const char *why = NULL;
	CHECK(efiction_read_dump(A, ARCHIVE, strlen(ARCHIVE), NULL, &ef, &why) == 0);
	CHECK_STR(ef.prefix, "ef_");
	CHECK(ef.nstories == 2 && ef.nchapters == 2 && ef.nauthors == 2);
	CHECK(ef.stories[0].sid == 5 && ef.stories[1].sid == 7); /* sorted for look-ups */
	const struct ef_story *s = efiction_story(&ef, 7);
	CHECK(s && s->catids.n == 2 && s->catids.ids[0] == 4 && s->catids.ids[1] == 10);
	CHECK(s && s->validated && s->date == 1204372800 && s->rid == 2);
	CHECK(efiction_story(&ef, 6) == NULL);
	const struct ef_author *au = efiction_author(&ef, 2);
	CHECK(au && au->date == 1204372800); /* a DATETIME read as UTC */
	CHECK(efiction_author(&ef, 1)->date == 0); /* MySQL's zero date: unknown */
	CHECK(ef.chapters[0].chapid == 10 && ef.chapters[1].chapid == 11); /* by story, then reading order */
	const char *text, *where;
	CHECK(efiction_chapter_text(&ef, A, &ef.chapters[0], &text, &where) == 0);
	CHECK_STR(where, "database");
	CHECK_STR(text, "First.<br /><br />Next.");
	CHECK_STR(efiction_line(A, s->title, NULL), "Bold title");
	CHECK_STR(efiction_line(A, au->penname, NULL), "Tess & Co");
	efiction_close(&ef);

	/* not an archive */
	const char *other = "CREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1);\n";
	CHECK(efiction_read_dump(A, other, strlen(other), NULL, &ef, &why) == Q_EINVAL);
	CHECK_CONTAINS(why, "no eFiction tables");
	/* a broken dump: the reason survives the first pass's arena */
	const char *broken = "CREATE TABLE `x_stories` (`sid` int);\nINSERT INTO `x_stories` VALUES (1,'open";
	CHECK(efiction_read_dump(A, broken, strlen(broken), NULL, &ef, &why) == Q_EINVAL);
	CHECK_CONTAINS(why, "a value that does not end (near byte");
}

static void test_text(void)
{
	/* <br> runs: paragraphs as the sanitizer infers them; a single <br> a line end */
	const char *h = efiction_html(A, "One.<br />\nstill one.<br><br>Two.", NULL);
	CHECK_CONTAINS(h, "One.\nstill one.\n\nTwo.");
	/* plain text: paragraphs at blank lines */
	h = efiction_html(A, "First line.\r\n\r\nSecond & last.", NULL);
	CHECK_CONTAINS(h, "<p>First line.</p>");
	CHECK_CONTAINS(h, "<p>Second &amp; last.</p>");
	/* text encoded twice, repaired and counted */
	size_t repaired = 0;
	h = efiction_html(A, "\xc3\xa2\xe2\x82\xac\xc5\x93Hi\xc3\xa2\xe2\x82\xac\xc2\x9d", &repaired);
	CHECK_CONTAINS(h, "\xe2\x80\x9cHi\xe2\x80\x9d");
	CHECK(repaired > 0);
	/* Windows-1252 bytes (not UTF-8) */
	h = efiction_line(A, "caf\xe9 \x93quoted\x94", NULL);
	CHECK_STR(h, "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
}

static void test_mapping(void)
{
	const char *dump =
	    "CREATE TABLE `fanfiction_stories` (`sid` int);\n"
	    "CREATE TABLE `fanfiction_ratings` (`rid` int, `rating` varchar(60));\n"
	    "INSERT INTO `fanfiction_ratings` VALUES (1,'G'),(2,'PG-13'),(3,'NC-17'),(4,'Odd');\n"
	    "CREATE TABLE `fanfiction_classtypes` (`classtype_id` int, `classtype_name` varchar(50), "
	    "`classtype_title` varchar(50));\n"
	    "INSERT INTO `fanfiction_classtypes` VALUES (1,'warnings','Warnings'),(2,'genres','Genres');\n"
	    "CREATE TABLE `fanfiction_classes` (`class_id` int, `class_type` int, `class_name` varchar(100));\n"
	    "INSERT INTO `fanfiction_classes` VALUES (1,1,'Character Death'),(2,2,'Angst'),(3,1,'Swearing');\n"
	    "CREATE TABLE `fanfiction_categories` (`catid` int, `parentcatid` int, `category` varchar(60));\n"
	    "INSERT INTO `fanfiction_categories` VALUES (1,-1,'Harbor Lights'),(2,1,'Season One');\n";
	struct efiction ef;
	const char *why = NULL;
	CHECK(efiction_read_dump(A, dump, strlen(dump), "fanfiction_", &ef, &why) == 0);
	struct efiction_map m;
	efiction_map_defaults(A, &ef, &m);
	CHECK_STR(efiction_map_rating(&m, 1)->to, "General Audiences");
	CHECK_STR(efiction_map_rating(&m, 2)->to, "Teen And Up Audiences");
	CHECK_STR(efiction_map_rating(&m, 3)->to, "Explicit");
	CHECK_STR(efiction_map_rating(&m, 4)->to, "Not Rated");
	const struct efmap_class *c = efiction_map_class(&m, 1);
	CHECK(c && c->kind == EFMAP_WARNING && !strcmp(c->to, "Major Character Death"));
	c = efiction_map_class(&m, 2);
	CHECK(c && c->kind == EFMAP_FREEFORM && !strcmp(c->to, "Angst"));
	CHECK(efiction_map_class(&m, 3)->kind == EFMAP_FREEFORM); /* a warning AO3 has no name for */
	CHECK_STR(efiction_map_category(&m, 2)->to, "Harbor Lights: Season One");
	CHECK(ef.present[EF_STORIES] && !ef.present[EF_REVIEWS]); /* a table without rows is there */

	/* written, edited, read back */
	char path[] = "/tmp/quire-test-map-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	efiction_map_write(&m, f);
	fputs("\n[classes]\nAngst = drop\nSwearing = category: Gen\n", f);
	fclose(f);
	struct efiction_map m2;
	efiction_map_defaults(A, &ef, &m2);
	CHECK(efiction_map_read(A, path, &m2, &why) == 0);
	CHECK(efiction_map_class(&m2, 2)->kind == EFMAP_DROP);
	c = efiction_map_class(&m2, 3);
	CHECK(c && c->kind == EFMAP_CATEGORY && !strcmp(c->to, "Gen"));
	CHECK_STR(efiction_map_category(&m2, 2)->to, "Harbor Lights: Season One");
	f = fopen(path, "a");
	fputs("[classes]\nNo Such Class = tag: x\n", f);
	fclose(f);
	CHECK(efiction_map_read(A, path, &m2, &why) == Q_EINVAL);
	CHECK_CONTAINS(why, "No Such Class");
	unlink(path);
	efiction_close(&ef);
}

int main(void)
{
	A = arena_new();
	test_dump_reader();
	test_archive();
	test_text();
	test_mapping();
	arena_free(A);
	return CHECK_DONE();
}
