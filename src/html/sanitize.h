/* HTML sanitizer: parses untrusted HTML with gumbo and rebuilds it from AO3's allow-list. */
#ifndef QUIRE_HTML_SANITIZE_H
#define QUIRE_HTML_SANITIZE_H
#include <stddef.h>
#include "core/buf.h"

/* Stored beside every sanitized field so old rows can be re-sanitized when the rules change. */
#define SANITIZER_VERSION 1

enum {
	/* Infer paragraphs as AO3 does: text separated by blank lines becomes <p>, single newlines <br>. */
	SANITIZE_PARAGRAPHS = 1,
};

/* Appends the safe rebuild of in[0..len) to out. Never fails on odd input (it is rebuilt, not
 * rejected); returns Q_EINVAL only for invalid UTF-8, leaving out unchanged. */
int sanitize_html(const char *in, size_t len, unsigned flags, struct buf *out);
#endif
