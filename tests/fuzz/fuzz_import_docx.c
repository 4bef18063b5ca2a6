/* Fuzz target: .docx and .odt. The first byte picks the input's shape: the rest as a .docx or an .odt file as it
 * is (the ZIP reader and its caps included), or its pieces (split at form feeds) as the XML parts of a
 * well-formed container: word/document.xml, word/styles.xml, word/_rels/document.xml.rels and
 * docProps/core.xml; or content.xml, styles.xml and meta.xml. */
#include "import/import_int.h"
#include "import_check.h"
#include "import_zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 17)
		return 0;
	int mode = data[0] % 4;
	data++, size--;
	if (mode == 0) {
		import_one("story.docx", data, size);
		return 0;
	}
	if (mode == 1) {
		import_one("story.odt", data, size);
		return 0;
	}
	static const char *const docx[] = {"word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels",
	                                   "docProps/core.xml"};
	static const char *const odt[] = {"content.xml", "styles.xml", "meta.xml"};
	static const char types[] = "<?xml version=\"1.0\"?><Types "
	                            "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
	struct fuzz_entry pieces[4], e[6];
	size_t n = fuzz_split(data, size, pieces, mode == 2 ? 4 : 3), ne = 0;
	if (mode == 2)
		e[ne++] = (struct fuzz_entry){"[Content_Types].xml", types, sizeof types - 1};
	else
		e[ne++] = (struct fuzz_entry){"mimetype", "application/vnd.oasis.opendocument.text", 39};
	for (size_t i = 0; i < n; i++)
		e[ne++] = (struct fuzz_entry){mode == 2 ? docx[i] : odt[i], pieces[i].data, pieces[i].len};
	size_t len = 0;
	unsigned char *zip = fuzz_zip(e, ne, &len);
	if (zip) {
		import_one(mode == 2 ? "story.docx" : "story.odt", zip, len);
		free(zip);
	}
	return 0;
}
