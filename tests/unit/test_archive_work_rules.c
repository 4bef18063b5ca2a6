/* Unit tests for the work and chapter rules: validation limits, tags, rendering, word counts, permissions. */
#include "check.h"
#include "core/arena.h"
#include "core/err.h"
#include "html/sanitize.h"
#include "archive/work.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static struct arena *A;

static const char *repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = arena_alloc(A, u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

static struct strlist list(size_t n, ...)
{
	struct strlist l = {arena_calloc(A, n + 1, sizeof(char *)), n};
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		l.items[i] = va_arg(ap, const char *);
	va_end(ap);
	return l;
}

/* A work that passes every rule; tests change one thing at a time. */
static struct work_input valid_input(void)
{
	struct work_input in = {0};
	in.title = "Temporary";
	in.rating = "Teen And Up Audiences";
	in.tags[TAG_WARNING] = list(1, "No Archive Warnings Apply");
	in.tags[TAG_FANDOM] = list(1, "Law & Order: SVU");
	return in;
}

static int build(const struct work_input *in, struct work *out, struct field_errors *e)
{
	memset(out, 0, sizeof *out);
	memset(e, 0, sizeof *e);
	return work_rules_build(A, in, out, e);
}

/* The error message for field after building in, or NULL when it passed. */
static const char *error_for(const struct work_input *in, const char *field)
{
	struct work w;
	struct field_errors e;
	build(in, &w, &e);
	return field_error_get(&e, field);
}

static const char *chapter_error(const struct chapter_input *in, const char *field)
{
	struct chapter c = {0};
	struct field_errors e = {0};
	chapter_rules_build(A, in, "chapter.", &c, &e);
	return field_error_get(&e, field);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void test_fixed_choices(void)
{
	const char *ratings[] = {"General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"};
	const char *warnings[] = {"Creator Chose Not To Use Archive Warnings", "Graphic Depictions Of Violence",
	                          "Major Character Death", "No Archive Warnings Apply", "Rape/Non-Con", "Underage Sex"};
	const char *cats[] = {"F/F", "F/M", "Gen", "M/M", "Multi", "Other"};
	for (size_t i = 0; i < 5; i++)
		CHECK_STR(work_ratings[i], ratings[i]);
	CHECK(work_ratings[5] == NULL);
	for (size_t i = 0; i < 6; i++)
		CHECK_STR(work_warnings[i], warnings[i]);
	CHECK(work_warnings[6] == NULL);
	for (size_t i = 0; i < 6; i++)
		CHECK_STR(work_categories[i], cats[i]);
	CHECK(work_categories[6] == NULL);
	/* The form field names in templates are these keys. */
	CHECK_STR(tag_type_key(TAG_WARNING), "warnings");
	CHECK_STR(tag_type_key(TAG_CATEGORY), "categories");
	CHECK_STR(tag_type_key(TAG_FANDOM), "fandoms");
	CHECK_STR(tag_type_key(TAG_RELATIONSHIP), "relationships");
	CHECK_STR(tag_type_key(TAG_CHARACTER), "characters");
	CHECK_STR(tag_type_key(TAG_FREEFORM), "freeforms");
}

static void test_valid_work_and_defaults(void)
{
	struct work_input in = valid_input();
	in.summary = "First line\nsecond line\n\nNew paragraph & <b>bold</b><script>alert(1)</script>";
	in.complete = true;
	in.restricted = true;
	struct work w;
	struct field_errors e;
	w.id = 42; /* kept: only input fields are written */
	memset(&e, 0, sizeof e);
	w.created_at = 7;
	CHECK(work_rules_build(A, &in, &w, &e) == 0);
	CHECK(e.n == 0);
	CHECK(w.id == 42 && w.created_at == 7);
	CHECK_STR(w.title, "Temporary");
	CHECK_STR(w.language, "English");
	CHECK(w.tags[TAG_RATING].n == 1);
	CHECK_STR(w.tags[TAG_RATING].items[0], "Teen And Up Audiences");
	CHECK(w.expected_chapters == 0);
	CHECK(w.complete && w.restricted && !w.draft);
	CHECK(w.sanitizer_version == SANITIZER_VERSION);
	CHECK(w.series_title == NULL);
	CHECK_STR(w.summary.src, in.summary);
	CHECK(count(w.summary.html, "<p>") == 2);
	CHECK_CONTAINS(w.summary.html, "<br");
	CHECK_CONTAINS(w.summary.html, "<b>bold</b>");
	CHECK_CONTAINS(w.summary.html, "&amp;");
	CHECK_NOT_CONTAINS(w.summary.html, "script");
	CHECK_STR(w.notes.html, "");
	CHECK_STR(w.end_notes.src, "");

	in.language = "  Español ";
	in.rating = "mature"; /* matched without regard to case, stored in its canonical spelling */
	in.draft = true;
	in.end_notes = "Thanks for reading!";
	build(&in, &w, &e);
	CHECK(e.n == 0);
	CHECK_STR(w.language, "Español");
	CHECK_STR(w.tags[TAG_RATING].items[0], "Mature");
	CHECK(w.draft);
	CHECK_CONTAINS(w.end_notes.html, "<p>Thanks for reading!</p>");
}

static void test_title(void)
{
	struct work_input in = valid_input();
	in.title = NULL;
	CHECK_CONTAINS(error_for(&in, "title"), "required");
	in.title = " \t\n ";
	CHECK_CONTAINS(error_for(&in, "title"), "required");
	in.title = repeat("é", WORK_TITLE_MAX); /* code points, not bytes */
	CHECK(error_for(&in, "title") == NULL);
	in.title = repeat("é", WORK_TITLE_MAX + 1);
	CHECK_CONTAINS(error_for(&in, "title"), "at most 255");
	in.title = "  Spaces   inside  ";
	struct work w;
	struct field_errors e;
	build(&in, &w, &e);
	CHECK_STR(w.title, "Spaces inside");
}

static void test_invalid_utf8(void)
{
	const char *bad = "bad \xC3\x28 bytes", *overlong = "\xC0\xAF", *surrogate = "\xED\xA0\x80";
	const char *want = "contains invalid UTF-8 (text encoding) — nothing was saved";
	struct work_input in = valid_input();
	in.title = bad;
	CHECK_CONTAINS(error_for(&in, "title"), want);
	in = valid_input();
	in.summary = overlong;
	CHECK_CONTAINS(error_for(&in, "summary"), want);
	in = valid_input();
	in.notes = surrogate;
	CHECK_CONTAINS(error_for(&in, "notes"), want);
	in = valid_input();
	in.end_notes = bad;
	CHECK_CONTAINS(error_for(&in, "end_notes"), want);
	in = valid_input();
	in.tags[TAG_CHARACTER] = list(2, "Olivia Benson", bad);
	CHECK_CONTAINS(error_for(&in, "characters"), want);
	in = valid_input();
	in.language = bad;
	CHECK_CONTAINS(error_for(&in, "language"), want);
	in = valid_input();
	in.rating = bad;
	CHECK_CONTAINS(error_for(&in, "rating"), want);
	in = valid_input();
	in.tags[TAG_WARNING] = list(1, bad);
	CHECK_CONTAINS(error_for(&in, "warnings"), want);
	in = valid_input();
	in.coauthors = list(1, bad);
	CHECK_CONTAINS(error_for(&in, "coauthors"), want);

	struct chapter_input ci = {.content = "Some text \xFF that is long enough"};
	CHECK_CONTAINS(chapter_error(&ci, "chapter.content"), want);
	ci = (struct chapter_input){.content = "Long enough chapter text.", .title = bad};
	CHECK_CONTAINS(chapter_error(&ci, "chapter.title"), want);
	ci = (struct chapter_input){.content = "Long enough chapter text.", .notes = bad};
	CHECK_CONTAINS(chapter_error(&ci, "chapter.notes"), want);
}

static void test_rating_warnings_categories(void)
{
	struct work_input in = valid_input();
	in.rating = NULL;
	CHECK_CONTAINS(error_for(&in, "rating"), "Choose a rating");
	in.rating = "  ";
	CHECK_CONTAINS(error_for(&in, "rating"), "Choose a rating");
	in.rating = "PG-13";
	CHECK_CONTAINS(error_for(&in, "rating"), "General Audiences");

	in = valid_input();
	in.tags[TAG_WARNING] = list(0);
	CHECK_CONTAINS(error_for(&in, "warnings"), "at least one");
	in.tags[TAG_WARNING] = list(1, "Spiders");
	CHECK_CONTAINS(error_for(&in, "warnings"), "Spiders");
	in.tags[TAG_WARNING] = list(3, "major character death", "Major Character Death", "Rape/Non-Con");
	struct work w;
	struct field_errors e;
	CHECK(build(&in, &w, &e) == 0);
	CHECK(w.tags[TAG_WARNING].n == 2);
	CHECK_STR(w.tags[TAG_WARNING].items[0], "Major Character Death");
	CHECK_STR(w.tags[TAG_WARNING].items[1], "Rape/Non-Con");

	in = valid_input();
	in.tags[TAG_CATEGORY] = list(1, "Het");
	CHECK_CONTAINS(error_for(&in, "categories"), "Het");
	in.tags[TAG_CATEGORY] = list(3, "F/M", "", "gen");
	CHECK(build(&in, &w, &e) == 0);
	CHECK(w.tags[TAG_CATEGORY].n == 2);
	CHECK_STR(w.tags[TAG_CATEGORY].items[1], "Gen");
	in.tags[TAG_CATEGORY] = list(0);
	CHECK(build(&in, &w, &e) == 0); /* categories are optional */
}

static void test_tags(void)
{
	struct work_input in = valid_input();
	in.tags[TAG_FANDOM] = list(0);
	CHECK_CONTAINS(error_for(&in, "fandoms"), "at least one fandom");
	in.tags[TAG_FANDOM] = list(2, "  ", "");
	CHECK_CONTAINS(error_for(&in, "fandoms"), "at least one fandom");

	in = valid_input();
	in.tags[TAG_FREEFORM] = list(6, "  Angst ", "angst", "", "Hurt/Comfort", "ANGST", "Slow  Burn\n");
	struct work w;
	struct field_errors e;
	CHECK(build(&in, &w, &e) == 0);
	CHECK(w.tags[TAG_FREEFORM].n == 3);
	CHECK_STR(w.tags[TAG_FREEFORM].items[0], "Angst");
	CHECK_STR(w.tags[TAG_FREEFORM].items[1], "Hurt/Comfort");
	CHECK_STR(w.tags[TAG_FREEFORM].items[2], "Slow Burn");

	const char *forbidden = ",^*<>{}=\\%";
	for (const char *p = forbidden; *p; p++) {
		char tag[32];
		snprintf(tag, sizeof tag, "Bad%cTag", *p);
		in = valid_input();
		in.tags[TAG_RELATIONSHIP] = list(1, arena_strdup(A, tag));
		const char *msg = error_for(&in, "relationships");
		CHECK(msg != NULL);
		CHECK_CONTAINS(msg, "cannot contain");
		CHECK_CONTAINS(msg, "these characters: , ^ * < > { } = \\ %");
	}
	in = valid_input();
	in.tags[TAG_FANDOM] = list(1, "<script>alert(1)</script>");
	CHECK(error_for(&in, "fandoms") != NULL);

	in = valid_input();
	in.tags[TAG_CHARACTER] = list(1, repeat("あ", TAG_NAME_MAX));
	CHECK(error_for(&in, "characters") == NULL);
	in.tags[TAG_CHARACTER] = list(1, repeat("あ", TAG_NAME_MAX + 1));
	CHECK_CONTAINS(error_for(&in, "characters"), "150");
}

static void test_user_tag_limit(void)
{
	struct work_input in = valid_input();
	/* 1 fandom + 74 freeforms = 75: allowed. */
	struct strlist many = {arena_calloc(A, 80, sizeof(char *)), 0};
	for (int i = 0; i < 74; i++)
		many.items[many.n++] = arena_printf(A, "Tag %d", i);
	in.tags[TAG_FREEFORM] = many;
	CHECK(error_for(&in, "freeforms") == NULL);
	/* Repeats do not count twice. */
	many.items[many.n++] = "tag 3";
	in.tags[TAG_FREEFORM] = many;
	CHECK(error_for(&in, "freeforms") == NULL);
	/* One more character tag makes 76. */
	in.tags[TAG_CHARACTER] = list(1, "Olivia Benson");
	CHECK_CONTAINS(error_for(&in, "freeforms"), "at most 75");
	/* Warnings, categories and the rating are not user tags. */
	in.tags[TAG_CHARACTER] = list(0);
	in.tags[TAG_WARNING] = list(2, "Major Character Death", "Underage Sex");
	in.tags[TAG_CATEGORY] = list(3, "F/F", "F/M", "Gen");
	CHECK(error_for(&in, "freeforms") == NULL);
}

static void test_lengths(void)
{
	struct work_input in = valid_input();
	in.summary = repeat("ß", WORK_SUMMARY_MAX);
	CHECK(error_for(&in, "summary") == NULL);
	in.summary = repeat("ß", WORK_SUMMARY_MAX + 1);
	CHECK_CONTAINS(error_for(&in, "summary"), "1250");
	in = valid_input();
	in.notes = repeat("x", WORK_NOTES_MAX);
	CHECK(error_for(&in, "notes") == NULL);
	in.notes = repeat("x", WORK_NOTES_MAX + 1);
	CHECK_CONTAINS(error_for(&in, "notes"), "5000");
	in = valid_input();
	in.end_notes = repeat("y", WORK_NOTES_MAX + 1);
	CHECK_CONTAINS(error_for(&in, "end_notes"), "5000");
}

static void test_counts_and_series(void)
{
	struct work_input in = valid_input();
	in.expected_chapters = -1;
	CHECK_CONTAINS(error_for(&in, "expected_chapters"), "whole number");
	in.expected_chapters = 1000000;
	CHECK(error_for(&in, "expected_chapters") != NULL);
	in.expected_chapters = 12;
	struct work w;
	struct field_errors e;
	CHECK(build(&in, &w, &e) == 0);
	CHECK(w.expected_chapters == 12);

	in = valid_input();
	in.series_title = "  The   Calvin Stories ";
	in.series_position = 2;
	CHECK(build(&in, &w, &e) == 0);
	CHECK_STR(w.series_title, "The Calvin Stories");
	CHECK(w.series_position == 2);
	in.series_position = -1;
	CHECK_CONTAINS(error_for(&in, "series_position"), "whole number");
	in.series_title = "";
	in.series_position = -1; /* no series: the position does not matter */
	CHECK(build(&in, &w, &e) == 0);
	CHECK(w.series_title == NULL && w.series_position == 0);
	in.series_title = repeat("s", 241);
	CHECK(error_for(&in, "series_title") != NULL);
}

static void test_errors_collected(void)
{
	struct work_input in = {0};
	in.tags[TAG_FREEFORM] = list(1, "a=b");
	struct work w;
	struct field_errors e;
	CHECK(build(&in, &w, &e) == Q_EINVAL);
	CHECK(field_error_get(&e, "title") != NULL);
	CHECK(field_error_get(&e, "rating") != NULL);
	CHECK(field_error_get(&e, "warnings") != NULL);
	CHECK(field_error_get(&e, "fandoms") != NULL);
	CHECK(field_error_get(&e, "freeforms") != NULL);
	CHECK(e.n == 5);

	struct field_errors fe = {0};
	field_error(&fe, "x", "first");
	field_error(&fe, "x", "second");
	CHECK(fe.n == 1);
	CHECK_STR(field_error_get(&fe, "x"), "first");
	CHECK(field_error_get(&fe, "y") == NULL);
	for (int i = 0; i < FIELD_ERRORS_MAX + 5; i++)
		field_error(&fe, arena_printf(A, "f%d", i), "m");
	CHECK(fe.n == FIELD_ERRORS_MAX);
}

static void test_chapter_rules(void)
{
	struct chapter c = {0};
	struct field_errors e = {0};
	struct chapter_input in = {.title = " The Beginning ", .content = "Short"};
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == Q_EINVAL);
	CHECK_CONTAINS(field_error_get(&e, "chapter.content"), "at least 10");
	in.content = "   \n\n  ";
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "required");
	in.content = NULL;
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "required");
	in.content = "  123456789  "; /* nine characters once trimmed */
	CHECK(chapter_error(&in, "chapter.content") != NULL);
	in.content = "1234567890";
	CHECK(chapter_error(&in, "chapter.content") == NULL);
	in.format = "docx";
	CHECK_CONTAINS(chapter_error(&in, "chapter.format"), "format");

	/* Without a prefix, field names are bare. */
	memset(&e, 0, sizeof e);
	in = (struct chapter_input){.content = "tiny"};
	chapter_rules_build(A, &in, "", &c, &e);
	CHECK(field_error_get(&e, "content") != NULL);
	in = (struct chapter_input){.content = "Long enough text here.", .summary = repeat("s", WORK_SUMMARY_MAX + 1)};
	CHECK(chapter_error(&in, "chapter.summary") != NULL);
	in = (struct chapter_input){.content = "Long enough text here.", .end_notes = repeat("n", WORK_NOTES_MAX + 1)};
	CHECK(chapter_error(&in, "chapter.end_notes") != NULL);
	in = (struct chapter_input){.content = "Long enough text here.", .title = repeat("t", WORK_TITLE_MAX + 1)};
	CHECK(chapter_error(&in, "chapter.title") != NULL);

	/* Plain text: paragraphs from blank lines, quotes and ellipses intact, markup escaped. */
	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	c.id = 9;
	c.position = 3;
	in = (struct chapter_input){
		.title = "  The Beginning ",
		.notes = "Disclaimer: not mine.",
		.content = "\u201cIt was always temporary\u2026\u201d\n\nShe said <no>.\n\nThe end.",
		.format = "text",
	};
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == 0);
	CHECK(c.id == 9 && c.position == 3);
	CHECK_STR(c.title, "The Beginning");
	CHECK_STR(c.content_format, "text");
	CHECK(count(c.content_html, "<p>") == 3);
	CHECK_CONTAINS(c.content_html, "\u201cIt was always temporary\u2026\u201d");
	CHECK_CONTAINS(c.content_html, "&lt;no&gt;");
	CHECK_CONTAINS(c.notes.html, "Disclaimer: not mine.");
	CHECK(c.word_count == 9);
	CHECK(c.sanitizer_version == SANITIZER_VERSION);
	CHECK_STR(c.content, in.content);

	/* HTML by default: sanitized, words counted in the visible text only. */
	in = (struct chapter_input){.content = "<p onclick=\"x()\">Hello <em>brave</em> new world</p><script>evil()</script>"};
	memset(&e, 0, sizeof e);
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == 0);
	CHECK_STR(c.content_format, "html");
	CHECK_NOT_CONTAINS(c.content_html, "onclick");
	CHECK_NOT_CONTAINS(c.content_html, "evil");
	CHECK_CONTAINS(c.content_html, "<em>brave</em>");
	CHECK(c.word_count == 4);

	/* Markdown. */
	in = (struct chapter_input){.content = "# Title\n\nSome *emphasis* here.\n\n<script>x</script>", .format = "markdown"};
	memset(&e, 0, sizeof e);
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == 0);
	CHECK_CONTAINS(c.content_html, "<em>emphasis</em>");
	CHECK_NOT_CONTAINS(c.content_html, "<script");

	/* CJK: every ideograph and kana is a word, as AO3 counts. */
	in = (struct chapter_input){.content = "我爱你。今日は晴れです。Hello world"};
	memset(&e, 0, sizeof e);
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == 0);
	CHECK(c.word_count == 3 + 7 + 2);
	in = (struct chapter_input){.content = "<p>사랑해요 친구</p><p>日本語のテキスト</p>"};
	memset(&e, 0, sizeof e);
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == 0);
	CHECK(c.word_count == 6 + 8);
}

static void test_chapter_size_limit(void)
{
	/* The limit counts code points: 510,000 two-byte characters pass, one more fails. */
	struct chapter_input in = {.content = repeat("é", CHAPTER_CONTENT_MAX), .format = "text"};
	struct chapter c = {0};
	struct field_errors e = {0};
	CHECK(chapter_rules_build(A, &in, "chapter.", &c, &e) == 0);
	CHECK(c.word_count == 1);
	in.content = repeat("é", CHAPTER_CONTENT_MAX + 1);
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "at most 510000");
}

/* What readers see decides: a chapter whose HTML sanitizes to nothing is empty, media show. */
static void test_chapter_shows_something(void)
{
	struct chapter_input in = {.content = "<script>alert('hello there, reader')</script>"};
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "nothing in it would show");
	in.content = "<style>p { color: red; font-size: 2em; }</style><p> </p>";
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "nothing in it would show");
	in.content = "<p><b></b><i>Hi</i></p><!-- a long comment nobody sees -->";
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "readers would see 2");
	in.content = "<p><img src=\"https://example.org/art.png\" alt=\"\" /></p>";
	CHECK(chapter_error(&in, "chapter.content") == NULL);
	in = (struct chapter_input){.content = "<script>x</script>", .format = "markdown"};
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "nothing in it would show");
	/* Found with another field's error too, since a short chapter is always rendered. */
	in = (struct chapter_input){.content = "<script>x</script>", .title = repeat("t", WORK_TITLE_MAX + 1)};
	CHECK_CONTAINS(chapter_error(&in, "chapter.content"), "nothing in it would show");
}

/* Control characters are repaired in every field: gone from titles, notes and text, C1 read as Windows-1252. */
static void test_control_characters(void)
{
	struct work_input in = valid_input();
	in.title = "Ti\x01tle";
	in.summary = "A \x02summary\xc2\x85";
	in.notes = "Notes\x1b here";
	in.tags[TAG_FREEFORM] = list(1, "Fluff\x7f");
	in.series_title = "Se\x03ries";
	struct work w;
	struct field_errors e;
	CHECK(build(&in, &w, &e) == 0);
	CHECK_STR(w.title, "Title");
	CHECK_STR(w.summary.src, "A summary\xe2\x80\xa6");
	CHECK_NOT_CONTAINS(w.summary.html, "\x02");
	CHECK_STR(w.notes.src, "Notes here");
	CHECK_STR(w.tags[TAG_FREEFORM].items[0], "Fluff");
	CHECK_STR(w.series_title, "Series");

	struct chapter c = {0};
	memset(&e, 0, sizeof e);
	struct chapter_input ci = {.title = "One\x01", .notes = "N\x01", .content = "\xc2\x93Quote\xc2\x94, and a bell\x07.",
	                           .format = "text"};
	CHECK(chapter_rules_build(A, &ci, "chapter.", &c, &e) == 0);
	CHECK_STR(c.title, "One");
	CHECK_STR(c.notes.src, "N");
	CHECK_STR(c.content, "\xe2\x80\x9cQuote\xe2\x80\x9d, and a bell.");
	CHECK_NOT_CONTAINS(c.content_html, "\x07");
	ci = (struct chapter_input){.content = "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"};
	CHECK(chapter_error(&ci, "chapter.content") != NULL);
}

static void test_permissions(void)
{
	struct creator cr[3] = {
		{.user_id = 1, .name = "owner", .accepted = true},
		{.user_id = 2, .name = "cocreator", .accepted = true},
		{.user_id = 3, .name = "invited", .accepted = false},
	};
	struct work w = {.id = 5, .creators = cr, .ncreators = 3};
	struct user owner = {.id = 1, .role = "user"}, co = {.id = 2, .role = "user"};
	struct user invited = {.id = 3, .role = "user"}, other = {.id = 4, .role = "user"};
	struct user admin = {.id = 99, .role = "admin"};

	CHECK(work_is_creator(&w, &owner));
	CHECK(work_is_creator(&w, &co));
	CHECK(!work_is_creator(&w, &invited));
	CHECK(!work_is_creator(&w, &other));
	CHECK(!work_is_creator(&w, NULL));
	CHECK(work_can_edit(&w, &owner) && work_can_edit(&w, &co));
	CHECK(!work_can_edit(&w, &invited) && !work_can_edit(&w, &other) && !work_can_edit(&w, &admin));
	CHECK(!work_can_edit(&w, NULL));

	/* Posted, unrestricted: everyone reads it. */
	CHECK(work_can_view(&w, NULL) && work_can_view(&w, &other));
	/* Restricted: members only. */
	w.restricted = true;
	CHECK(!work_can_view(&w, NULL));
	CHECK(work_can_view(&w, &other) && work_can_view(&w, &owner));
	/* Draft: creators only; admins get no peek. */
	w.restricted = false;
	w.draft = true;
	CHECK(work_can_view(&w, &owner) && work_can_view(&w, &co));
	CHECK(!work_can_view(&w, &invited));
	CHECK(!work_can_view(&w, &other));
	CHECK(!work_can_view(&w, &admin));
	CHECK(!work_can_view(&w, NULL));

	/* The owner is a creator even when listed without the flag. */
	cr[0].accepted = false;
	CHECK(work_is_creator(&w, &owner));
}

int main(void)
{
	A = arena_new();
	test_fixed_choices();
	test_valid_work_and_defaults();
	test_title();
	test_invalid_utf8();
	test_rating_warnings_categories();
	test_tags();
	test_user_tag_limit();
	test_lengths();
	test_counts_and_series();
	test_errors_collected();
	test_chapter_rules();
	test_chapter_size_limit();
	test_chapter_shows_something();
	test_control_characters();
	test_permissions();
	arena_free(A);
	return CHECK_DONE();
}
