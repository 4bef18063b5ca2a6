/* Fuzz target: HTML as word processors and people write it (and AO3's or Quire's downloads, which the same
 * reader recognises), through import_read as the import page calls it: any bytes give a work whose every
 * string is valid UTF-8 and that survives the JSON the page carries, or a reason. */
#include "import/import_int.h"
#include "import_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 17)
		return 0;
	import_one("chapter.html", data, size);
	/* the block reader alone, on the bytes as they are when they are UTF-8 */
	if (utf8_valid((const char *)data, size)) {
		struct arena *a = arena_new();
		struct import_blocks b = {0};
		struct import_meta meta = {0};
		import_html_blocks(a, (const char *)data, size, &b, &meta);
		for (size_t i = 0; i < b.n; i++) {
			check_text(b.items[i].html, "block html");
			check_text(b.items[i].text, "block text");
			require(b.items[i].kind != BLOCK_HEADING || (b.items[i].level >= 1 && b.items[i].level <= 6),
			        "heading level");
		}
		require(b.n <= IMPORT_BLOCKS_MAX, "more blocks than the cap");
		arena_free(a);
	}
	return 0;
}
