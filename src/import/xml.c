/* XML for the ZIP-based formats (.docx, .odt, EPUB packages), through expat: namespaces resolved, entity
 * declarations refused (their expansion is the classic XML bomb, and documents of these formats never need
 * them), nesting capped, Windows-1252 understood when a document declares it. */
#include "import/import_int.h"
#include "core/charset.h"
#include "core/err.h"
#include <expat.h>
#include <string.h>
#include <strings.h>

#define XML_DEPTH_MAX (IMPORT_DEPTH_MAX * 4)

struct xml_state {
	XML_Parser p;
	const struct xml_handlers *h;
	int depth;
	const char *why;
};

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_state *s = data;
	if (++s->depth > XML_DEPTH_MAX) {
		s->why = "The document nests too deeply to be read.";
		XML_StopParser(s->p, XML_FALSE);
		return;
	}
	if (s->h->start)
		s->h->start(s->h->ctx, name, attrs);
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct xml_state *s = data;
	s->depth--;
	if (s->h->end)
		s->h->end(s->h->ctx, name);
}

static void XMLCALL on_text(void *data, const XML_Char *t, int len)
{
	struct xml_state *s = data;
	if (s->h->text)
		s->h->text(s->h->ctx, t, len);
}

static void XMLCALL on_entity(void *data, const XML_Char *name, int param, const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
	struct xml_state *s = data;
	s->why = "The document declares XML entities, which Quire never expands.";
	XML_StopParser(s->p, XML_FALSE);
}

static int XMLCALL on_encoding(void *data, const XML_Char *name, XML_Encoding *info)
{
	if (strcasecmp(name, "windows-1252") && strcasecmp(name, "cp1252"))
		return XML_STATUS_ERROR;
	for (int i = 0; i < 256; i++) {
		uint32_t cp = charset_cp1252((unsigned char)i);
		info->map[i] = cp ? (int)cp : -1;
	}
	info->data = NULL;
	info->convert = NULL;
	info->release = NULL;
	return XML_STATUS_OK;
}

int xml_parse(const char *data, size_t len, const struct xml_handlers *h, const char **why)
{
	struct xml_state s = {.h = h};
	s.p = XML_ParserCreateNS(NULL, '|');
	if (!s.p) {
		*why = "Out of memory.";
		return Q_ERR;
	}
	XML_SetUserData(s.p, &s);
	XML_SetElementHandler(s.p, on_start, on_end);
	XML_SetCharacterDataHandler(s.p, on_text);
	XML_SetEntityDeclHandler(s.p, on_entity);
	XML_SetUnknownEncodingHandler(s.p, on_encoding, NULL);
	XML_SetParamEntityParsing(s.p, XML_PARAM_ENTITY_PARSING_NEVER);
	int rc = 0;
	/* In slices: XML_Parse takes an int length. */
	size_t off = 0;
	do {
		size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
		if (XML_Parse(s.p, data + off, (int)n, off + n == len) != XML_STATUS_OK) {
			*why = s.why ? s.why : "The document inside the file is not well-formed XML.";
			rc = Q_EINVAL;
			break;
		}
		off += n;
	} while (off < len);
	XML_ParserFree(s.p);
	return rc;
}

bool xml_is(const char *name, const char *ns, const char *local)
{
	size_t k = strlen(ns);
	return !strncmp(name, ns, k) && name[k] == '|' && !strcmp(name + k + 1, local);
}

const char *xml_attr(const char **attrs, const char *ns, const char *local)
{
	for (size_t i = 0; attrs && attrs[i]; i += 2) {
		if (ns ? xml_is(attrs[i], ns, local) : !strcmp(attrs[i], local))
			return attrs[i + 1];
	}
	return NULL;
}

int xml_parse_entry(struct zipin *z, const char *name, const struct xml_handlers *h, const char **why)
{
	char *xml;
	size_t n;
	int rc = zipin_read(z, name, &xml, &n, why);
	return rc ? rc : xml_parse(xml, n, h, why);
}
