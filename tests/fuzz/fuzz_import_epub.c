/* Fuzz target: EPUB. The first byte picks the input's shape: an EPUB file as it is (the ZIP reader and its caps
 * included), or the pieces of the rest (split at form feeds) as a package document (content.opf) and the
 * documents it may name (c1.xhtml, c2.xhtml, ...) inside a well-formed container. */
#include "import/import_int.h"
#include "import_check.h"
#include "import_zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PIECES_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 17)
		return 0;
	if (data[0] % 2 == 0) {
		import_one("book.epub", data + 1, size - 1);
		return 0;
	}
	static const char container[] =
	    "<?xml version=\"1.0\"?><container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
	    "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
	    "</rootfiles></container>";
	struct fuzz_entry pieces[PIECES_MAX];
	size_t n = fuzz_split(data + 1, size - 1, pieces, PIECES_MAX);
	struct fuzz_entry e[PIECES_MAX + 2] = {
	    {"mimetype", "application/epub+zip", 20},
	    {"META-INF/container.xml", container, sizeof container - 1},
	};
	char names[PIECES_MAX][32];
	for (size_t i = 0; i < n; i++) {
		if (i == 0)
			snprintf(names[i], sizeof names[i], "OEBPS/content.opf");
		else
			snprintf(names[i], sizeof names[i], "OEBPS/c%zu.xhtml", i);
		e[2 + i] = (struct fuzz_entry){names[i], pieces[i].data, pieces[i].len};
	}
	size_t len = 0;
	unsigned char *zip = fuzz_zip(e, 2 + n, &len);
	if (zip) {
		import_one("book.epub", zip, len);
		free(zip);
	}
	return 0;
}
