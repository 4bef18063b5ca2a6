/* Inside the sanitizer: the element kinds and the clean tree that sanitize.c builds and sanitize_emit.c writes. */
#ifndef QUIRE_HTML_SANITIZE_INT_H
#define QUIRE_HTML_SANITIZE_INT_H
#include "core/buf.h"
#include <gumbo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest element nesting kept; anything deeper loses its tags but keeps its text. */
#define MAX_DEPTH 100

enum {
	K_ALLOW = 1 << 0,   /* kept, with its allowed attributes */
	K_DROP = 1 << 1,    /* removed together with everything inside it */
	K_BLOCK = 1 << 2,   /* ends an inferred paragraph and is never wrapped in one */
	K_PCLOSE = 1 << 3,  /* its start tag closes an open <p> */
	K_FLOW = 1 << 4,    /* its inline children may be wrapped in inferred paragraphs */
	K_SPECIAL = 1 << 5, /* stops the parser's search for an open li/dd/dt to close */
	K_HEADING = 1 << 6,
	K_FORMAT = 1 << 7,  /* lives in the parser's list of active formatting elements */
	K_SCOPE = 1 << 8,   /* bounds the parser's element scopes */
	K_MARKER = 1 << 9,  /* puts a marker in the active formatting list */
	K_TABLE = 1 << 10,  /* only table structure and whitespace may sit directly inside */
	K_VOID = 1 << 11,
	K_SKIP = 1 << 12,   /* paragraph inference leaves its content as written (AO3's TAG_NAMES_TO_SKIP) */
	K_MEDIA = 1 << 13,  /* a player or its source: only with SANITIZE_MEDIA (or as a link) */
	K_OPAQUE = 1 << 14, /* written as start and end tag, nothing inside (iframe) */
};

/* A node of the clean tree. Text nodes have tag TEXT, which no element keeps. */
struct cnode {
	GumboTag tag;
	bool has_block; /* some descendant is a K_BLOCK element */
	bool playable;  /* audio/video: a source it can play (else it is unwrapped when it closes) */
	char *s;        /* text, or an element's rendered attributes (' name="value"'...) */
	size_t len, cap;
	struct cnode **kids;
	size_t nkids, capkids;
};

#define TEXT GUMBO_TAG_UNKNOWN

unsigned sanitize_kind(GumboTag t);
/* The character at s[i] as it is written out: its length, and in *rep what to write instead (NULL: as it
 * is). Escapes & < > (and " in attributes); drops controls, non-characters and stray format characters. */
size_t sanitize_next_char(const char *s, size_t i, size_t n, bool attr, const char **rep);

/* A byte of valid UTF-8 text that sanitize_next_char leaves as it is in text, and that starts no character
 * it would drop or escape: runs of these are copied whole. ('_' is left out: it may end an editor spacer.) */
static inline bool sanitize_plain_byte(unsigned char c)
{
	if (c < 0x80)
		return (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '_') || c == '\n' ||
		       c == '\t' || c == '\f';
	return c != 0xC2 && c != 0xE2 && c != 0xEF && c < 0xF0;
}

/* Writes the clean tree under root; paragraphs as AO3 infers them with para. in_len, the input's length,
 * bounds what repeating formatting across paragraphs may add. */
void sanitize_emit(const struct cnode *root, bool para, size_t in_len, struct buf *out);
#endif
