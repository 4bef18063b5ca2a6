/* HTML sanitizer: parses untrusted HTML with gumbo and rebuilds it from AO3's allow-list. */
#ifndef QUIRE_HTML_SANITIZE_H
#define QUIRE_HTML_SANITIZE_H
#include <stddef.h>
#include "core/buf.h"

/* Stored beside every sanitized field so old rows are rendered again from their source when the rules
 * change (archive/rerender.h). 2: AO3's paragraphs, media embeds, attributes, class per field. */
#define SANITIZER_VERSION 2

enum {
	/* Infer paragraphs as AO3's ParagraphMaker does (README, "Story HTML"): in the text of the top level
	 * and of div, blockquote, center and details, a newline is <br />, a blank line a new <p>, two or more
	 * blank lines a <p>&nbsp;</p> between; likewise runs of two or three <br>. */
	SANITIZE_PARAGRAPHS = 1 << 0,
	/* Keep class attributes (AO3: chapter text and notes; not summaries or comments). */
	SANITIZE_CLASS = 1 << 1,
	/* Embedded players (iframe) and audio/video from the site's media hosts (AO3: chapter text only);
	 * without it iframes go with their content and audio/video leave only their fallback content. */
	SANITIZE_MEDIA = 1 << 2,
	/* For downloads: every embedded player, audio and video becomes a link to its media. */
	SANITIZE_MEDIA_AS_LINKS = 1 << 3,
	/* For EPUB downloads (no images from elsewhere): every image becomes a link named by its alt text. */
	SANITIZE_IMAGES_AS_LINKS = 1 << 4,
};

struct media_hosts;

/* The site's settings the sanitizer follows: the media host allow-list (NULL: no embeds) and the address
 * relative image sources are resolved against ("" or NULL: relative images are dropped). */
struct sanitize_policy {
	const struct media_hosts *media_hosts;
	const char *base_url;
};

/* Makes p (which must outlive every later sanitize_html call) the policy; NULL restores the default (no
 * media hosts, no base URL). Safe to call while other threads sanitize: each call sees one whole policy. */
void sanitize_set_policy(const struct sanitize_policy *p);

/* Appends the safe rebuild of in[0..len) to out. Never fails on odd input (it is rebuilt, not
 * rejected); returns Q_EINVAL only for invalid UTF-8, leaving out unchanged. */
int sanitize_html(const char *in, size_t len, unsigned flags, struct buf *out);
/* Plain text (nothing in it is markup) as the paragraphs AO3 would infer in it: escaped, with the same
 * newline rules and character clean-up as SANITIZE_PARAGRAPHS. Q_EINVAL for invalid UTF-8. */
int sanitize_text(const char *in, size_t len, struct buf *out);
#endif
