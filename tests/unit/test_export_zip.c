/* Tests for the in-memory ZIP writer: entries in order, the stored one uncompressed with no extra field
 * (as EPUB readers need the mimetype), the deflated ones smaller, contents read back intact by libzip. */
#include "check.h"
#include "export/zip.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static void test_epub_shape(void)
{
	char big[20000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = "the quiet lantern "[i % 18];
	struct zip_entry e[] = {
		{"mimetype", "application/epub+zip", 20, true},
		{"META-INF/container.xml", "<container/>", 12, false},
		{"OEBPS/chapter-1.xhtml", big, sizeof big, false},
		{"OEBPS/ünïcode.xhtml", "x", 1, false},
	};
	struct buf out = BUF_INIT;
	char err[256] = "";
	CHECK(export_zip(e, 4, 1700000000, &out, err, sizeof err) == 0);
	CHECK(out.len > 100);
	/* The first local header: "PK\3\4", method 0 (stored), name "mimetype", no extra field, then the
	 * bytes themselves at offset 38. */
	const unsigned char *p = (const unsigned char *)out.data;
	CHECK(!memcmp(p, "PK\x03\x04", 4));
	CHECK(p[8] == 0 && p[9] == 0);
	CHECK(p[26] == 8 && p[27] == 0);
	CHECK(p[28] == 0 && p[29] == 0);
	CHECK(!memcmp(p + 30, "mimetype", 8));
	CHECK(!memcmp(p + 38, "application/epub+zip", 20));
	CHECK(out.len < sizeof big); /* the repetitive chapter was deflated */

	/* Read back with libzip: names in order, contents intact. */
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(out.data, out.len, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	CHECK(za != NULL);
	if (za) {
		CHECK(zip_get_num_entries(za, 0) == 4);
		for (zip_int64_t i = 0; i < 4; i++) {
			CHECK_STR(zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS), e[i].name);
			zip_stat_t st;
			CHECK(zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && st.size == e[i].len);
			CHECK(st.mtime == 1700000000);
			char *got = malloc(e[i].len + 1);
			zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
			CHECK(f && zip_fread(f, got, e[i].len) == (zip_int64_t)e[i].len && !memcmp(got, e[i].data, e[i].len));
			if (f)
				zip_fclose(f);
			free(got);
		}
		zip_close(za);
	} else if (src) {
		zip_source_free(src);
	}
	zip_error_fini(&ze);

	/* The same entries and date give the same bytes. */
	struct buf again = BUF_INIT;
	CHECK(export_zip(e, 4, 1700000000, &again, err, sizeof err) == 0);
	CHECK(again.len == out.len && !memcmp(again.data, out.data, out.len));
	buf_free(&again);
	buf_free(&out);
}

static void test_empty_and_bad_names(void)
{
	struct buf out = BUF_INIT;
	char err[256] = "";
	CHECK(export_zip(NULL, 0, 0, &out, err, sizeof err) == -1 && out.len == 0);
	/* Two files of one name: refused with a reason, nothing appended. */
	struct zip_entry twice[] = {{"a.txt", "1", 1, false}, {"a.txt", "2", 1, false}};
	CHECK(export_zip(twice, 2, 0, &out, err, sizeof err) == -1);
	CHECK(strstr(err, "a.txt") != NULL);
	CHECK(out.len == 0);
	buf_free(&out);
}

int main(void)
{
	test_epub_shape();
	test_empty_and_bad_names();
	return CHECK_DONE();
}
