/* Fuzz target: AO3's downloads (and Quire's own): the input as an HTML download, and its pieces (split at form
 * feeds) as the documents of an EPUB download's spine, as Calibre lays AO3's EPUBs out. */
#include "import/import_int.h"
#include "import_check.h"
#include "import_zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DOCS_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 17)
		return 0;
	import_one("Work Title.html", data, size);

	struct fuzz_entry docs[DOCS_MAX];
	size_t n = fuzz_split(data, size, docs, DOCS_MAX);
	static const char container[] =
	    "<?xml version=\"1.0\"?><container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
	    "<rootfiles><rootfile full-path=\"content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles>"
	    "</container>";
	char opf[4096];
	int k = snprintf(opf, sizeof opf,
	                 "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"2.0\" "
	                 "unique-identifier=\"id\"><metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	                 "<dc:title>Work</dc:title><dc:identifier id=\"id\">x</dc:identifier>"
	                 "<dc:publisher>Archive of Our Own</dc:publisher></metadata><manifest>");
	for (size_t i = 0; i < n; i++)
		k += snprintf(opf + k, sizeof opf - (size_t)k,
		              "<item id=\"d%zu\" href=\"Work_split_%03zu.xhtml\" media-type=\"application/xhtml+xml\"/>", i, i);
	k += snprintf(opf + k, sizeof opf - (size_t)k, "</manifest><spine>");
	for (size_t i = 0; i < n; i++)
		k += snprintf(opf + k, sizeof opf - (size_t)k, "<itemref idref=\"d%zu\"/>", i);
	snprintf(opf + k, sizeof opf - (size_t)k, "</spine></package>");
	struct fuzz_entry e[DOCS_MAX + 3] = {
	    {"mimetype", "application/epub+zip", 20},
	    {"META-INF/container.xml", container, sizeof container - 1},
	    {"content.opf", opf, strlen(opf)},
	};
	char names[DOCS_MAX][32];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof names[i], "Work_split_%03zu.xhtml", i);
		e[3 + i] = (struct fuzz_entry){names[i], docs[i].data, docs[i].len};
	}
	size_t len = 0;
	unsigned char *zip = fuzz_zip(e, 3 + n, &len);
	if (zip) {
		import_one("Work Title.epub", zip, len);
		free(zip);
	}
	return 0;
}
