/* HTML sanitizer: parses untrusted HTML with gumbo and rebuilds it from an allow-list, never copying source text. */
#include "html/sanitize.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "html/media_hosts.h"
#include "html/sanitize_int.h"
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/*
 * Two passes. build() walks gumbo's tree with an explicit stack (gumbo trees can be as deep as
 * the input is long) into a small clean tree holding only allowed elements with their filtered
 * attributes; it also refuses any element that an HTML parser would not put back in the same
 * place when it reads our output (a <div> inside a <p>, an <li> directly inside an <li> once an
 * unknown element between them is unwrapped, ...). Without that, sanitizing stored HTML again
 * would change it. sanitize_emit() (sanitize_emit.c) then serializes the clean tree, inferring
 * paragraphs on request; its recursion is bounded by MAX_DEPTH.
 *
 * The allow-list is AO3's (otwarchive's Sanitize config, EmbedSanitizer and MediaSanitizer); where
 * Quire differs on purpose, README's "Story HTML" table says how and why.
 */

#define INLINE (K_ALLOW)
#define FMT (K_ALLOW | K_FORMAT)
#define BLK (K_ALLOW | K_BLOCK | K_PCLOSE)
#define TBL (K_ALLOW | K_BLOCK | K_SPECIAL)
#define MEDIA (K_ALLOW | K_BLOCK | K_SKIP | K_MEDIA)

static const uint16_t kind[GUMBO_TAG_LAST + 1] = {
	[GUMBO_TAG_A] = FMT | K_SKIP,
	[GUMBO_TAG_ABBR] = INLINE | K_SKIP,
	[GUMBO_TAG_ACRONYM] = INLINE | K_SKIP,
	[GUMBO_TAG_ADDRESS] = BLK | K_SKIP,
	[GUMBO_TAG_B] = FMT,
	[GUMBO_TAG_BIG] = FMT,
	[GUMBO_TAG_BLOCKQUOTE] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_BR] = K_ALLOW | K_VOID | K_SPECIAL,
	[GUMBO_TAG_CAPTION] = TBL | K_SCOPE | K_MARKER,
	[GUMBO_TAG_CENTER] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_CITE] = INLINE,
	[GUMBO_TAG_CODE] = FMT,
	[GUMBO_TAG_COL] = TBL | K_VOID,
	[GUMBO_TAG_COLGROUP] = TBL | K_TABLE,
	[GUMBO_TAG_DD] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_DEL] = INLINE,
	[GUMBO_TAG_DETAILS] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_DFN] = INLINE,
	[GUMBO_TAG_DIV] = BLK | K_FLOW,
	[GUMBO_TAG_DL] = BLK | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_DT] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_EM] = FMT,
	[GUMBO_TAG_FIGCAPTION] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_FIGURE] = BLK | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_H1] = BLK | K_SPECIAL | K_HEADING | K_SKIP,
	[GUMBO_TAG_H2] = BLK | K_SPECIAL | K_HEADING | K_SKIP,
	[GUMBO_TAG_H3] = BLK | K_SPECIAL | K_HEADING | K_SKIP,
	[GUMBO_TAG_H4] = BLK | K_SPECIAL | K_HEADING | K_SKIP,
	[GUMBO_TAG_H5] = BLK | K_SPECIAL | K_HEADING | K_SKIP,
	[GUMBO_TAG_H6] = BLK | K_SPECIAL | K_HEADING | K_SKIP,
	[GUMBO_TAG_HR] = BLK | K_SPECIAL | K_VOID | K_SKIP,
	[GUMBO_TAG_I] = FMT,
	[GUMBO_TAG_IMG] = K_ALLOW | K_VOID | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_INS] = INLINE,
	[GUMBO_TAG_KBD] = INLINE,
	[GUMBO_TAG_LI] = BLK | K_FLOW | K_SPECIAL,
	[GUMBO_TAG_OL] = BLK | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_P] = BLK | K_SKIP,
	[GUMBO_TAG_PRE] = BLK | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_Q] = INLINE,
	[GUMBO_TAG_RP] = INLINE,
	[GUMBO_TAG_RT] = INLINE,
	[GUMBO_TAG_RUBY] = INLINE,
	[GUMBO_TAG_S] = FMT,
	[GUMBO_TAG_SAMP] = INLINE,
	[GUMBO_TAG_SMALL] = FMT,
	[GUMBO_TAG_SPAN] = INLINE,
	[GUMBO_TAG_STRIKE] = FMT,
	[GUMBO_TAG_STRONG] = FMT,
	[GUMBO_TAG_SUB] = INLINE,
	[GUMBO_TAG_SUMMARY] = BLK | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_SUP] = INLINE,
	[GUMBO_TAG_TABLE] = BLK | K_SPECIAL | K_SCOPE | K_TABLE | K_SKIP,
	[GUMBO_TAG_TBODY] = TBL | K_TABLE,
	[GUMBO_TAG_TD] = TBL | K_SCOPE | K_MARKER | K_FLOW,
	[GUMBO_TAG_TFOOT] = TBL | K_TABLE,
	[GUMBO_TAG_TH] = TBL | K_SCOPE | K_MARKER | K_FLOW,
	[GUMBO_TAG_THEAD] = TBL | K_TABLE,
	[GUMBO_TAG_TR] = TBL | K_TABLE,
	[GUMBO_TAG_TT] = FMT,
	[GUMBO_TAG_U] = FMT,
	[GUMBO_TAG_UL] = BLK | K_SPECIAL | K_SKIP,
	[GUMBO_TAG_VAR] = INLINE,

	/* Players and their sources, for the fields that allow media (SANITIZE_MEDIA). */
	[GUMBO_TAG_IFRAME] = MEDIA | K_SPECIAL | K_OPAQUE,
	[GUMBO_TAG_AUDIO] = MEDIA,
	[GUMBO_TAG_VIDEO] = MEDIA,
	[GUMBO_TAG_SOURCE] = K_ALLOW | K_VOID | K_SPECIAL | K_MEDIA,
	[GUMBO_TAG_TRACK] = K_ALLOW | K_VOID | K_SPECIAL | K_MEDIA,

	/* Executable, embedding, form or document-level elements: their content goes too. */
	[GUMBO_TAG_SCRIPT] = K_DROP,
	[GUMBO_TAG_STYLE] = K_DROP,
	[GUMBO_TAG_SVG] = K_DROP,
	[GUMBO_TAG_MATH] = K_DROP,
	[GUMBO_TAG_NOSCRIPT] = K_DROP,
	[GUMBO_TAG_NOEMBED] = K_DROP,
	[GUMBO_TAG_NOFRAMES] = K_DROP,
	[GUMBO_TAG_PLAINTEXT] = K_DROP,
	[GUMBO_TAG_XMP] = K_DROP,
	[GUMBO_TAG_TEMPLATE] = K_DROP,
	[GUMBO_TAG_OBJECT] = K_DROP,
	[GUMBO_TAG_EMBED] = K_DROP,
	[GUMBO_TAG_APPLET] = K_DROP,
	[GUMBO_TAG_PARAM] = K_DROP,
	[GUMBO_TAG_TEXTAREA] = K_DROP,
	[GUMBO_TAG_SELECT] = K_DROP,
	[GUMBO_TAG_OPTION] = K_DROP,
	[GUMBO_TAG_OPTGROUP] = K_DROP,
	[GUMBO_TAG_DATALIST] = K_DROP,
	[GUMBO_TAG_KEYGEN] = K_DROP,
	[GUMBO_TAG_BUTTON] = K_DROP,
	[GUMBO_TAG_FORM] = K_DROP,
	[GUMBO_TAG_INPUT] = K_DROP,
	[GUMBO_TAG_ISINDEX] = K_DROP,
	[GUMBO_TAG_TITLE] = K_DROP,
	[GUMBO_TAG_HEAD] = K_DROP,
	[GUMBO_TAG_BASE] = K_DROP,
	[GUMBO_TAG_META] = K_DROP,
	[GUMBO_TAG_LINK] = K_DROP,
	[GUMBO_TAG_FRAME] = K_DROP,
	[GUMBO_TAG_FRAMESET] = K_DROP,
};

/* Attributes every allowed element may carry, after its own ones (class only where the field allows it). */
static const char *const attrs_global[] = {"align", "dir", "lang", "title", "class", NULL};
static const char *const attrs_a[] = {"href", "name", NULL};
static const char *const attrs_col[] = {"span", "width", NULL};
static const char *const attrs_hr[] = {"width", NULL};
static const char *const attrs_img[] = {"alt", "border", "height", "src", "width", NULL};
static const char *const attrs_td[] = {"abbr", "axis", "colspan", "height", "rowspan", "width", NULL};
static const char *const attrs_th[] = {"abbr", "axis", "colspan", "height", "rowspan", "scope", "width", NULL};
static const char *const attrs_ol[] = {"start", "type", NULL};
static const char *const attrs_ul[] = {"type", NULL};
static const char *const attrs_table[] = {"border", "summary", "width", NULL};
static const char *const attrs_cite[] = {"cite", NULL};
static const char *const attrs_details[] = {"open", NULL};
static const char *const attrs_iframe[] = {"src", "width", "height", "frameborder", NULL};
static const char *const attrs_audio[] = {"src", NULL};
static const char *const attrs_video[] = {"src", "width", "height", "poster", NULL};
static const char *const attrs_source[] = {"src", "type", NULL};
static const char *const attrs_track[] = {"src", "kind", "label", "srclang", NULL};

static const char *const *tag_attrs(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_A: return attrs_a;
	case GUMBO_TAG_COL: case GUMBO_TAG_COLGROUP: return attrs_col;
	case GUMBO_TAG_HR: return attrs_hr;
	case GUMBO_TAG_IMG: return attrs_img;
	case GUMBO_TAG_TD: return attrs_td;
	case GUMBO_TAG_TH: return attrs_th;
	case GUMBO_TAG_OL: return attrs_ol;
	case GUMBO_TAG_UL: return attrs_ul;
	case GUMBO_TAG_TABLE: return attrs_table;
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_Q: return attrs_cite;
	case GUMBO_TAG_DETAILS: return attrs_details;
	case GUMBO_TAG_IFRAME: return attrs_iframe;
	case GUMBO_TAG_AUDIO: return attrs_audio;
	case GUMBO_TAG_VIDEO: return attrs_video;
	case GUMBO_TAG_SOURCE: return attrs_source;
	case GUMBO_TAG_TRACK: return attrs_track;
	default: return NULL;
	}
}

unsigned sanitize_kind(GumboTag t)
{
	return (unsigned)t <= GUMBO_TAG_LAST ? kind[t] : 0;
}

#define kind_of sanitize_kind

/* ---- the policy ---- */

static _Atomic(const struct sanitize_policy *) policy;

void sanitize_set_policy(const struct sanitize_policy *p)
{
	atomic_store_explicit(&policy, p, memory_order_release);
}

/* ---- characters ---- */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool all_ws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return false;
	return true;
}

/* Length of the valid UTF-8 sequence at s[0..n) and its code point in *cp, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t k;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0)
		k = 1, *cp = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		k = 2, *cp = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		k = 3, *cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n <= k)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((s[j] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[j] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return k + 1;
}

/* Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF. */
static bool utf8_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		unsigned cp;
		size_t k = utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/*
 * Characters no story keeps: C0 and C1 controls other than tab, newline and form feed (a vertical tab
 * pasted from a word processor would show as a box), non-characters, and the format characters that
 * only editors leave behind (byte-order mark, word joiner and invisible operators, deprecated format
 * controls, interlinear annotation). Zero-width joiners, bidirectional marks and soft hyphens stay:
 * emoji, Persian, Indic and right-to-left text need them.
 */
static bool dropped_cp(unsigned cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\f' && cp != '\r';
	return (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE ||
	       cp == 0xFEFF || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206A && cp <= 0x206F) ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB);
}

size_t sanitize_next_char(const char *str, size_t i, size_t n, bool attr, const char **rep)
{
	const unsigned char *s = (const unsigned char *)str + i;
	unsigned cp;
	*rep = NULL;
	if (s[0] >= 0x20 && s[0] < 0x7F && s[0] != '&' && s[0] != '<' && s[0] != '>' && s[0] != '"')
		return 1; /* most of any text: nothing to escape or drop */
	switch (s[0]) {
	case '&': *rep = "&amp;"; return 1;
	case '<': *rep = "&lt;"; return 1;
	case '>': *rep = "&gt;"; return 1;
	case '"': *rep = attr ? "&quot;" : NULL; return 1;
	case '\r': *rep = "\n"; return 1; /* as a parser reading a raw CR would see it */
	case '\t': case '\n': case '\f': return 1;
	default: break;
	}
	size_t k = utf8_seq(s, n - i, &cp);
	if (!k)
		*rep = "\xEF\xBF\xBD"; /* gumbo's text is valid UTF-8; this is for the unparsed fallback only */
	else if (dropped_cp(cp))
		*rep = "";
	else if (cp == 0xA0 && !attr)
		*rep = "&nbsp;"; /* as AO3 writes it, and the empty paragraphs we write; visible when editing */
	return k ? k : 1;
}

/* Attribute values: & < > " escaped, dropped characters left out. */
static void put_attr_value(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		const char *rep;
		size_t k = sanitize_next_char(s, i, n, true, &rep);
		if (!rep) {
			i += k;
			continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		i += k;
		start = i;
	}
	buf_append(out, s + start, n - start);
}

/* Word and LiveJournal editors insert this marker; AO3 removes it wherever it appears. */
static const char spacer[] = "____spacer____";
#define SPACER_LEN (sizeof spacer - 1)

/* Drops a spacer that the last byte appended to s[0..*len) completed. Checking after every byte removes
 * spacers that only form once another is gone, so a second pass finds none. */
static void drop_spacer_tail(const char *s, size_t *len)
{
	if (*len >= SPACER_LEN && s[*len - 1] == '_' && !memcmp(s + *len - SPACER_LEN, spacer, SPACER_LEN))
		*len -= SPACER_LEN;
}

/* ---- URLs ---- */

static bool url_ctl(unsigned char c)
{
	return c <= 0x20 || c == 0x7F;
}

enum url_kind { URL_BAD, URL_ABSOLUTE, URL_RELATIVE };

/*
 * Checks a decoded URL attribute and writes the form we keep into clean. Browsers strip leading
 * and trailing C0 controls and spaces and remove tabs and newlines anywhere, so we do the same
 * before looking for a scheme; any other control character before the first ':' makes the
 * scheme unreadable and the URL is refused rather than guessed at. Absolute URLs must be http(s),
 * or for links also mailto and ftp.
 */
static enum url_kind url_check(const char *v, bool link, struct buf *clean)
{
	size_t n = strlen(v), a = 0;
	while (a < n && url_ctl((unsigned char)v[a]))
		a++;
	while (n > a && url_ctl((unsigned char)v[n - 1]))
		n--;
	buf_reset(clean);
	for (size_t i = a; i < n; i++) {
		if (v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			buf_putc(clean, v[i]);
		drop_spacer_tail(clean->data, &clean->len);
	}
	if (clean->len == 0)
		return URL_BAD;
	clean->data[clean->len] = '\0';
	const char *u = clean->data;
	size_t end = strcspn(u, ":/?#");
	if (u[end] != ':')
		return URL_RELATIVE;
	char scheme[8];
	if (end == 0 || end >= sizeof scheme)
		return URL_BAD;
	for (size_t i = 0; i < end; i++) {
		char c = u[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return URL_BAD;
		scheme[i] = c;
	}
	scheme[end] = '\0';
	if (!strcmp(scheme, "http") || !strcmp(scheme, "https"))
		return URL_ABSOLUTE;
	return link && (!strcmp(scheme, "mailto") || !strcmp(scheme, "ftp")) ? URL_ABSOLUTE : URL_BAD;
}

/* RFC 3986's remove_dot_segments: "/" and the path p[0..n) (given without its leading '/'), appended to out
 * with its "." and ".." segments resolved. */
static void put_path_without_dots(struct buf *out, const char *p, size_t n)
{
	size_t root = out->len + 1;
	buf_putc(out, '/');
	for (size_t i = 0;; i++) {
		size_t seg = i;
		while (i < n && p[i] != '/')
			i++;
		size_t sn = i - seg;
		bool last = i >= n;
		if (sn == 2 && p[seg] == '.' && p[seg + 1] == '.') {
			if (out->len > root) { /* drop the last segment (the output ends with '/' here) */
				out->len--;
				while (out->data[out->len - 1] != '/')
					out->len--;
			}
		} else if (!(sn == 1 && p[seg] == '.')) {
			buf_append(out, p + seg, sn);
			if (!last)
				buf_putc(out, '/');
		}
		if (last)
			break;
	}
	out->data[out->len] = '\0';
}

/* A relative image source made absolute against the site's address, as AO3 does (URI.join with APP_URL):
 * written to out; false when there is no base URL. */
static bool url_resolve(const char *base, const char *ref, struct buf *out)
{
	if (!base || !*base)
		return false;
	const char *auth = strstr(base, "://");
	if (!auth)
		return false;
	auth += 3;
	size_t alen = strcspn(auth, "/?#");
	const char *bpath = auth + alen;
	size_t bplen = strcspn(bpath, "?#");
	buf_reset(out);
	if (ref[0] == '/' && ref[1] == '/') {
		buf_append(out, base, (size_t)(auth - 3 - base));
		buf_putc(out, ':');
		buf_puts(out, ref);
		return true;
	}
	buf_append(out, base, (size_t)(bpath - base)); /* scheme://authority */
	size_t rplen = strcspn(ref, "?#");
	if (ref[0] == '/') {
		put_path_without_dots(out, ref + 1, rplen - 1);
	} else if (rplen == 0) {
		buf_append(out, bpath, bplen); /* "?q" or "#f": the base's own path */
		if (!bplen)
			buf_putc(out, '/');
	} else {
		/* The base's path up to its last '/', then the reference. */
		struct buf merged = BUF_INIT;
		const char *slash = bplen ? memrchr(bpath, '/', bplen) : NULL;
		if (slash)
			buf_append(&merged, bpath + 1, (size_t)(slash - bpath));
		buf_append(&merged, ref, rplen);
		put_path_without_dots(out, merged.data, merged.len);
		buf_free(&merged);
	}
	buf_puts(out, ref + rplen);
	return true;
}

/* class: AO3's rule, tokens of a letter then letters, digits, '_' or '-' (two characters at least). */
static void clean_class(const char *v, struct buf *clean)
{
	buf_reset(clean);
	while (*v) {
		while (is_ws(*v))
			v++;
		size_t n = 0;
		bool ok = (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z');
		while (v[n] && !is_ws(v[n])) {
			char c = v[n];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '_' || c == '-'))
				ok = false;
			n++;
		}
		if (ok && n >= 2) {
			if (clean->len)
				buf_putc(clean, ' ');
			buf_append(clean, v, n);
		}
		v += n;
	}
}

/* ---- building the clean tree ---- */

struct build {
	struct arena *a;
	unsigned flags;
	bool para;
	const struct sanitize_policy *policy;
	struct cnode **open; /* open clean elements, open[0] the root */
	int *depth;          /* nesting depth of each, counting the paragraph that may wrap it */
	size_t nopen, capopen;
	GumboTag media;      /* with SANITIZE_MEDIA_AS_LINKS: the audio or video being turned into links */
	struct buf attrs, tmp, url;
};

static void add_kid(struct build *b, struct cnode *parent, struct cnode *kid)
{
	if (parent->nkids == parent->capkids) {
		size_t cap = parent->capkids ? parent->capkids * 2 : 4;
		struct cnode **k = arena_alloc(b->a, cap * sizeof *k);
		if (parent->nkids)
			memcpy(k, parent->kids, parent->nkids * sizeof *k);
		parent->kids = k;
		parent->capkids = cap;
	}
	parent->kids[parent->nkids++] = kid;
}

/* Room for n more bytes in the text node t. */
static void text_reserve(struct build *b, struct cnode *t, size_t n)
{
	if (t->cap - t->len > n)
		return;
	size_t cap = t->cap ? t->cap * 2 : 64;
	while (cap - t->len <= n)
		cap *= 2;
	char *p = arena_alloc(b->a, cap);
	if (t->len)
		memcpy(p, t->s, t->len);
	t->s = p;
	t->cap = cap;
}

/* Appends text to parent, merging with a text node before it so paragraph breaks are seen whole. Characters
 * no story keeps and editor spacers are left out here, so paragraph inference never sees them; a raw CR
 * (only a character reference can give one) is the newline a parser would read it as. */
static void add_text(struct build *b, struct cnode *parent, const char *s, size_t n)
{
	/* Text directly in table structure would be moved out of the table by a browser. */
	if ((kind_of(parent->tag) & K_TABLE) && !all_ws(s, n))
		return;
	if (n == 0)
		return;
	struct cnode *t = parent->nkids ? parent->kids[parent->nkids - 1] : NULL;
	if (!t || t->tag != TEXT) {
		t = arena_calloc(b->a, 1, sizeof *t);
		t->tag = TEXT;
		add_kid(b, parent, t);
	}
	text_reserve(b, t, n);
	/* gumbo's text is UTF-8, except where a huge character reference (&#xFDD1FDD0;) makes it write bytes that
	 * are not: then every character goes the careful way, and broken ones become U+FFFD. */
	bool valid = utf8_ok(s, n);
	for (size_t i = 0; i < n;) {
		if (valid && sanitize_plain_byte((unsigned char)s[i])) {
			size_t j = i + 1;
			while (j < n && sanitize_plain_byte((unsigned char)s[j]))
				j++;
			memcpy(t->s + t->len, s + i, j - i);
			t->len += j - i;
			i = j;
			continue;
		}
		const char *rep;
		size_t k = sanitize_next_char(s, i, n, false, &rep);
		if (s[i] == '\0' || (rep && !*rep)) {
			i += k;
			continue;
		}
		if (s[i] == '\r') {
			if (i + 1 == n || s[i + 1] != '\n') /* CR LF is one newline */
				t->s[t->len++] = '\n';
		} else if (rep && rep[0] != '&') { /* escapes (&amp; ...) are for writing; the text keeps the character */
			size_t rn = strlen(rep); /* U+FFFD for a broken sequence: longer than the byte it replaces */
			text_reserve(b, t, rn + (n - i));
			memcpy(t->s + t->len, rep, rn);
			t->len += rn;
		} else {
			memcpy(t->s + t->len, s + i, k);
			t->len += k;
		}
		drop_spacer_tail(t->s, &t->len);
		i += k;
	}
	t->s[t->len] = '\0';
}

static void render_attr(struct build *b, const char *name, const char *val, size_t n)
{
	buf_putc(&b->attrs, ' ');
	buf_puts(&b->attrs, name);
	buf_puts(&b->attrs, "=\"");
	struct buf v = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_putc(&v, val[i]);
		drop_spacer_tail(v.data, &v.len);
	}
	put_attr_value(&b->attrs, v.data ? v.data : "", v.len);
	buf_free(&v);
	buf_putc(&b->attrs, '"');
}

/* The source of a player (iframe, audio, video, source, track) as it is embedded: on the media host list,
 * upgraded to https. NULL when it is missing or not on the list; *rejected then says whether there was a
 * usable http(s) address (which becomes a link instead). */
static const char *media_src(struct build *b, const GumboElement *g, bool *rejected)
{
	*rejected = false;
	GumboAttribute *at = gumbo_get_attribute(&g->attributes, "src");
	enum url_kind k = at ? url_check(at->value, false, &b->tmp) : URL_BAD;
	if (k == URL_BAD || (k == URL_RELATIVE && strncmp(b->tmp.data, "//", 2)))
		return NULL; /* absolute, or scheme-relative as embed codes often are */
	if (b->policy && media_hosts_match(b->policy->media_hosts, b->tmp.data, &b->url))
		return b->url.data;
	*rejected = strncasecmp(b->tmp.data, "http", 4) == 0;
	return NULL;
}

/* Adds what AO3's MediaSanitizer and EmbedSanitizer add: controls, no autoplay, and for embedded players a
 * sandbox, a permissions list and a referrer policy (README, "Embedded media"). */
static void render_media_defaults(struct build *b, GumboTag tag, const GumboVector *src)
{
	switch (tag) {
	case GUMBO_TAG_IFRAME:
		if (!gumbo_get_attribute(src, "title"))
			buf_puts(&b->attrs, " title=\"Embedded media\"");
		/* Scripts and the player's own origin (players need both); pop-ups that open as ordinary tabs
		 * ("watch on YouTube"); presentation. Never navigation of our page, forms or downloads. */
		buf_puts(&b->attrs, " sandbox=\"allow-scripts allow-same-origin allow-popups"
		                    " allow-popups-to-escape-sandbox allow-presentation\"");
		/* Full screen, picture-in-picture and protected media (Spotify); no autoplay, camera, etc. */
		buf_puts(&b->attrs, " allow=\"encrypted-media; fullscreen; picture-in-picture\"");
		/* Players (YouTube) refuse to play without knowing the embedding site: its origin, never the page. */
		buf_puts(&b->attrs, " referrerpolicy=\"strict-origin-when-cross-origin\" loading=\"lazy\"");
		break;
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
		buf_puts(&b->attrs, " controls=\"controls\" crossorigin=\"anonymous\"");
		if (tag == GUMBO_TAG_VIDEO)
			buf_puts(&b->attrs, " playsinline=\"playsinline\"");
		buf_puts(&b->attrs, " preload=\"metadata\"");
		if (gumbo_get_attribute(src, "loop"))
			buf_puts(&b->attrs, " loop=\"loop\"");
		if (gumbo_get_attribute(src, "muted"))
			buf_puts(&b->attrs, " muted=\"muted\"");
		break;
	case GUMBO_TAG_TRACK:
		if (gumbo_get_attribute(src, "default"))
			buf_puts(&b->attrs, " default=\"default\"");
		break;
	default:
		break;
	}
}

/* Renders g's allowed attributes into b->attrs; false when a player's source is not allowed (*rejected
 * then tells whether it was an http(s) address). */
static bool render_attrs(struct build *b, const GumboElement *g, bool *rejected)
{
	GumboTag tag = g->tag;
	const GumboVector *src = &g->attributes;
	const char *const *lists[2] = {tag_attrs(tag), attrs_global};
	buf_reset(&b->attrs);
	*rejected = false;
	if (tag == GUMBO_TAG_SOURCE || tag == GUMBO_TAG_TRACK)
		lists[1] = NULL; /* AO3 gives sources and tracks only their own attributes */
	bool media = kind_of(tag) & K_MEDIA;
	for (int l = 0; l < 2; l++) {
		for (const char *const *name = lists[l]; name && *name; name++) {
			GumboAttribute *at = gumbo_get_attribute(src, *name);
			if (!at)
				continue;
			const char *v = at->value;
			if (!strcmp(*name, "src") && media) {
				const char *u = media_src(b, g, rejected);
				if (!u && (tag != GUMBO_TAG_AUDIO && tag != GUMBO_TAG_VIDEO))
					return false;
				if (u)
					render_attr(b, "src", u, strlen(u));
			} else if (!strcmp(*name, "src") || !strcmp(*name, "poster")) {
				enum url_kind k = url_check(v, false, &b->tmp);
				if (k == URL_RELATIVE && tag == GUMBO_TAG_IMG && b->policy &&
				    url_resolve(b->policy->base_url, b->tmp.data, &b->url))
					render_attr(b, *name, b->url.data, b->url.len);
				else if (k == URL_ABSOLUTE)
					render_attr(b, *name, b->tmp.data, b->tmp.len);
			} else if (!strcmp(*name, "href") || !strcmp(*name, "cite")) {
				if (url_check(v, !strcmp(*name, "href"), &b->tmp) != URL_BAD)
					render_attr(b, *name, b->tmp.data, b->tmp.len);
			} else if (!strcmp(*name, "class")) {
				if (!(b->flags & SANITIZE_CLASS))
					continue;
				clean_class(v, &b->tmp);
				if (b->tmp.len)
					render_attr(b, *name, b->tmp.data, b->tmp.len);
			} else if (!strcmp(*name, "open")) {
				buf_puts(&b->attrs, " open=\"open\""); /* AO3: whatever value it had, even "false" */
			} else {
				render_attr(b, *name, v, strlen(v));
			}
		}
	}
	if (tag == GUMBO_TAG_IFRAME && !strstr(b->attrs.data ? b->attrs.data : "", " src=\""))
		return false; /* an embed without a source shows nothing */
	render_media_defaults(b, tag, src);
	if (tag == GUMBO_TAG_A)
		buf_puts(&b->attrs, " rel=\"nofollow\"");
	return true;
}

static bool is_proper_table_kid(GumboTag parent, GumboTag t)
{
	switch (parent) {
	case GUMBO_TAG_TABLE:
		return t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_COLGROUP || t == GUMBO_TAG_TBODY ||
		       t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT;
	case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
		return t == GUMBO_TAG_TR;
	case GUMBO_TAG_TR:
		return t == GUMBO_TAG_TD || t == GUMBO_TAG_TH;
	case GUMBO_TAG_COLGROUP:
		return t == GUMBO_TAG_COL;
	default:
		return false;
	}
}

static bool is_player(GumboTag t)
{
	return t == GUMBO_TAG_AUDIO || t == GUMBO_TAG_VIDEO;
}

/* The innermost open element that is not an audio or video: a player without a playable source is
 * unwrapped when it closes, so its children must also be at home in this one. */
static size_t effective_top(const struct build *b)
{
	size_t i = b->nopen - 1;
	while (i > 0 && is_player(b->open[i]->tag))
		i--;
	return i;
}

static bool inside(const struct build *b, GumboTag t)
{
	for (size_t i = b->nopen - 1; i > 0; i--)
		if (b->open[i]->tag == t)
			return true;
	return false;
}

/*
 * Would an HTML parser reading our serialization open this element as a child of the current
 * one, closing nothing? Each test mirrors a start-tag rule of the HTML tree builder, restricted
 * to the elements we allow; the answer only depends on the open elements, so what we emit
 * reparses to the same tree. Elements that fail are unwrapped (children kept). A few content
 * rules that no parser enforces are kept here too, because downloads must be valid XHTML: no
 * player inside a link or another player, sources and tracks only directly inside a player.
 */
static bool stable_here(const struct build *b, GumboTag t, const char *attrs, size_t alen)
{
	unsigned k = kind_of(t);
	size_t ti = effective_top(b);
	GumboTag parent = b->open[b->nopen - 1]->tag, top = b->open[ti]->tag;

	if (kind_of(parent) & K_TABLE)
		return is_proper_table_kid(parent, t);
	switch (t) {
	case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_COL:
		return false; /* only inside their table parent, handled above */
	case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
		return is_player(parent);
	case GUMBO_TAG_IFRAME: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
		if (inside(b, GUMBO_TAG_A) || inside(b, GUMBO_TAG_AUDIO) || inside(b, GUMBO_TAG_VIDEO))
			return false;
		break;
	default:
		break;
	}
	if (k & K_PCLOSE) {
		for (size_t i = b->nopen - 1; i > 0; i--) {
			GumboTag o = b->open[i]->tag;
			if (o == GUMBO_TAG_P)
				return false;
			if (kind_of(o) & K_SCOPE)
				break;
		}
	}
	if ((k & K_HEADING) && (kind_of(top) & K_HEADING))
		return false;
	if (t == GUMBO_TAG_LI || t == GUMBO_TAG_DD || t == GUMBO_TAG_DT) {
		for (size_t i = b->nopen - 1; i > 0; i--) {
			GumboTag o = b->open[i]->tag;
			if (t == GUMBO_TAG_LI ? o == GUMBO_TAG_LI : (o == GUMBO_TAG_DD || o == GUMBO_TAG_DT))
				return false;
			if (kind_of(o) & K_SPECIAL)
				break;
		}
	}
	if (t == GUMBO_TAG_RP || t == GUMBO_TAG_RT) {
		/* With a ruby in scope the parser first closes an open p, li, dd, dt, rp or rt. */
		bool ruby = false;
		for (size_t i = b->nopen - 1; i > 0 && !ruby; i--) {
			GumboTag o = b->open[i]->tag;
			if (o == GUMBO_TAG_RUBY)
				ruby = true;
			else if (kind_of(o) & K_SCOPE)
				break;
		}
		/* In paragraph mode the inline children of a flow container may get a <p> around them. */
		bool wrapped = b->para && (ti == 0 || (kind_of(top) & K_FLOW));
		if (ruby && (wrapped || top == GUMBO_TAG_P || top == GUMBO_TAG_LI || top == GUMBO_TAG_DD ||
			     top == GUMBO_TAG_DT || top == GUMBO_TAG_RP || top == GUMBO_TAG_RT))
			return false;
	}
	if (k & K_FORMAT) {
		/* An <a> inside an <a> closes the outer one; a fourth identical formatting element
		 * makes the parser forget the first ("Noah's Ark"), which changes how it closes. */
		int same = 0;
		for (size_t i = b->nopen - 1; i > 0; i--) {
			const struct cnode *o = b->open[i];
			if (kind_of(o->tag) & K_MARKER)
				break;
			if (o->tag == GUMBO_TAG_A && t == GUMBO_TAG_A)
				return false;
			if (o->tag == t && o->len == alen && !memcmp(o->s, attrs, alen))
				same++;
		}
		if (same >= 3)
			return false;
	}
	return true;
}

/* The nesting depth a new child of the innermost open element would have, counting the <p> that
 * paragraph mode may put around inline content of a flow container. */
static int child_depth(const struct build *b, unsigned k)
{
	const struct cnode *parent = b->open[b->nopen - 1];
	bool wrap = b->para && (b->nopen == 1 || (kind_of(parent->tag) & K_FLOW)) && !(k & K_BLOCK);
	return b->depth[b->nopen - 1] + 1 + (wrap ? 1 : 0);
}

static struct cnode *new_element(struct build *b, GumboTag t, const char *attrs, size_t alen)
{
	struct cnode *c = arena_calloc(b->a, 1, sizeof *c);
	c->tag = t;
	c->s = arena_strndup(b->a, attrs, alen);
	c->len = alen;
	return c;
}

/* A link to url named label, where a player or image was: or just the label where a link may not go
 * (inside another link, too deep). */
static void add_link(struct build *b, const char *url, const char *label)
{
	struct cnode *parent = b->open[b->nopen - 1];
	if (kind_of(parent->tag) & K_TABLE)
		return;
	struct buf attrs = BUF_INIT;
	buf_puts(&attrs, " href=\"");
	put_attr_value(&attrs, url, strlen(url));
	buf_puts(&attrs, "\" rel=\"nofollow\"");
	if (child_depth(b, 0) <= MAX_DEPTH && stable_here(b, GUMBO_TAG_A, attrs.data, attrs.len)) {
		struct cnode *a = new_element(b, GUMBO_TAG_A, attrs.data, attrs.len);
		add_kid(b, parent, a);
		add_text(b, a, label, strlen(label));
	} else {
		add_text(b, parent, label, strlen(label));
	}
	buf_free(&attrs);
}

/* "[Audio: URL]"-style names of the links media become. */
static const char *link_label(struct build *b, const char *what, const char *name)
{
	return arena_printf(b->a, "[%s: %s]", what, name);
}

static const char *media_word(GumboTag t)
{
	return t == GUMBO_TAG_VIDEO ? "Video" : t == GUMBO_TAG_AUDIO ? "Audio" : "Media";
}

/* The host of an absolute URL, for naming an embed without a title. */
static const char *url_host(struct build *b, const char *u)
{
	const char *h = strstr(u, "//");
	h = h ? h + 2 : u;
	return arena_strndup(b->a, h, strcspn(h, "/?#"));
}

enum opened { UNWRAP, OPENED, DROP };

/* With SANITIZE_MEDIA_AS_LINKS or SANITIZE_IMAGES_AS_LINKS: a link instead of the element g, or UNWRAP when
 * g is not one of those. */
static enum opened as_link(struct build *b, const GumboElement *g, bool *handled)
{
	GumboTag t = g->tag;
	bool img = t == GUMBO_TAG_IMG && (b->flags & SANITIZE_IMAGES_AS_LINKS);
	*handled = img || ((b->flags & SANITIZE_MEDIA_AS_LINKS) && (kind_of(t) & K_MEDIA));
	if (!*handled)
		return UNWRAP;
	GumboAttribute *src = gumbo_get_attribute(&g->attributes, "src");
	bool http = src && url_check(src->value, false, &b->tmp) == URL_ABSOLUTE;
	const char *u = http ? arena_strndup(b->a, b->tmp.data, b->tmp.len) : NULL;
	if (img) {
		GumboAttribute *alt = gumbo_get_attribute(&g->attributes, "alt");
		if (u)
			add_link(b, u, link_label(b, "Image", alt && *alt->value ? alt->value : u));
		return DROP;
	}
	switch (t) {
	case GUMBO_TAG_IFRAME: {
		GumboAttribute *title = gumbo_get_attribute(&g->attributes, "title");
		if (u)
			add_link(b, u, link_label(b, "Embedded media",
			                          title && *title->value && strcmp(title->value, "Embedded media")
			                              ? title->value : url_host(b, u)));
		return DROP;
	}
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
		if (u)
			add_link(b, u, link_label(b, media_word(t), u));
		return UNWRAP; /* the fallback content stays; sources inside become links */
	case GUMBO_TAG_SOURCE:
		if (u)
			add_link(b, u, link_label(b, media_word(b->media), u));
		return DROP;
	default:
		return DROP; /* tracks: subtitles mean nothing without the player */
	}
}

/* Opens a clean element for g (attached to the innermost open one), or says to unwrap it (children kept)
 * or drop it with everything inside. */
static enum opened open_element(struct build *b, const GumboElement *g)
{
	GumboTag t = g->tag;
	unsigned k = kind_of(t);
	bool handled;
	enum opened link = as_link(b, g, &handled);
	if (handled)
		return link;
	if (!(k & K_ALLOW))
		return UNWRAP;
	if ((k & K_MEDIA) && !(b->flags & SANITIZE_MEDIA))
		return t == GUMBO_TAG_IFRAME ? DROP : UNWRAP; /* AO3 keeps no player outside chapter text */
	struct cnode *parent = b->open[b->nopen - 1];
	/* Leave room inside a flow container for the paragraph it may get, so that the limit gives the
	 * same answer when our output is sanitized again. Table structure must leave room for its cells:
	 * text cut off below a table row would have nowhere to go. */
	int d = child_depth(b, k);
	int room = b->para && (k & K_FLOW) ? 1 : 0;
	switch (t) {
	case GUMBO_TAG_TABLE: room = 3 + b->para; break;
	case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: room = 2 + b->para; break;
	case GUMBO_TAG_TR: room = 1 + b->para; break;
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: room = 1; break; /* the link a refused source becomes */
	default: break;
	}
	if (!(k & K_VOID) && d + room > MAX_DEPTH)
		return t == GUMBO_TAG_IFRAME ? DROP : UNWRAP;
	bool rejected;
	if (!render_attrs(b, g, &rejected)) {
		if (rejected && is_player(parent->tag)) {
			GumboAttribute *src = gumbo_get_attribute(&g->attributes, "src");
			if (t == GUMBO_TAG_SOURCE && src && url_check(src->value, false, &b->tmp) == URL_ABSOLUTE)
				add_link(b, arena_strndup(b->a, b->tmp.data, b->tmp.len),
				         link_label(b, media_word(parent->tag), b->tmp.data));
		}
		return DROP;
	}
	const char *attrs = b->attrs.len ? b->attrs.data : "";
	if (!stable_here(b, t, attrs, b->attrs.len))
		return t == GUMBO_TAG_IFRAME ? DROP : UNWRAP;
	struct cnode *c = new_element(b, t, attrs, b->attrs.len);
	add_kid(b, parent, c);
	if (t == GUMBO_TAG_SOURCE)
		parent->playable = true;
	if (k & (K_VOID | K_OPAQUE)) {
		if (k & K_BLOCK)
			parent->has_block = true;
		return DROP; /* nothing goes inside */
	}
	if (b->nopen == b->capopen) {
		b->capopen *= 2;
		b->open = xrealloc(b->open, b->capopen * sizeof *b->open);
		b->depth = xrealloc(b->depth, b->capopen * sizeof *b->depth);
	}
	b->open[b->nopen] = c;
	b->depth[b->nopen] = d;
	b->nopen++;
	if (is_player(t)) {
		c->playable = strstr(attrs, " src=\"") != NULL;
		GumboAttribute *src = gumbo_get_attribute(&g->attributes, "src");
		if (rejected && src && url_check(src->value, false, &b->tmp) == URL_ABSOLUTE)
			add_link(b, arena_strndup(b->a, b->tmp.data, b->tmp.len), link_label(b, media_word(t), b->tmp.data));
	}
	return OPENED;
}

/* A player with nothing it may play gives way to what is inside it (its fallback content and the links
 * its refused sources became): its children take its place in the parent. */
static void unwrap_last_kid(struct build *b, struct cnode *parent)
{
	struct cnode *c = parent->kids[--parent->nkids];
	for (size_t i = 0; i < c->nkids; i++) {
		struct cnode *k = c->kids[i];
		if (k->tag == TEXT) {
			add_text(b, parent, k->s, k->len);
			continue;
		}
		if (k->tag == GUMBO_TAG_TRACK)
			continue; /* subtitles without their player (a source would have made it playable) */
		add_kid(b, parent, k);
		if ((kind_of(k->tag) & K_BLOCK) || k->has_block)
			parent->has_block = true;
	}
}

static void close_element(struct build *b)
{
	struct cnode *c = b->open[--b->nopen];
	struct cnode *parent = b->open[b->nopen - 1];
	if (is_player(c->tag) && !c->playable) {
		unwrap_last_kid(b, parent);
		return;
	}
	if ((kind_of(c->tag) & K_BLOCK) || c->has_block)
		parent->has_block = true;
}

struct frame {
	const GumboNode *g;
	unsigned next;
	bool opened;     /* a clean element was opened for g */
	GumboTag media;  /* b->media to restore when g ends */
};

static void build(struct build *b, const GumboNode *root)
{
	size_t nf = 0, capf = 64;
	struct frame *f = xmalloc(capf * sizeof *f);
	f[nf++] = (struct frame){root, 0, false, GUMBO_TAG_UNKNOWN};
	while (nf) {
		struct frame *top = &f[nf - 1];
		const GumboVector *kids = &top->g->v.element.children;
		if (top->next >= kids->length) {
			if (top->opened)
				close_element(b);
			b->media = top->media;
			nf--;
			continue;
		}
		const GumboNode *g = kids->data[top->next++];
		switch (g->type) {
		case GUMBO_NODE_TEXT: case GUMBO_NODE_WHITESPACE: case GUMBO_NODE_CDATA:
			add_text(b, b->open[b->nopen - 1], g->v.text.text, strlen(g->v.text.text));
			break;
		case GUMBO_NODE_ELEMENT: {
			const GumboElement *e = &g->v.element;
			if (e->tag_namespace != GUMBO_NAMESPACE_HTML || (kind_of(e->tag) & K_DROP))
				break;
			GumboTag media = b->media;
			enum opened o = open_element(b, e);
			if (o == DROP)
				break;
			if (is_player(e->tag))
				b->media = e->tag;
			if (nf == capf) {
				capf *= 2;
				f = xrealloc(f, capf * sizeof *f);
			}
			f[nf++] = (struct frame){g, 0, o == OPENED, media};
			break;
		}
		default:
			break; /* comments, templates, documents */
		}
	}
	free(f);
}

/*
 * gumbo follows the HTML spec, whose worst cases are expensive: each start tag scans the open
 * elements (quadratic time for deep nesting) and misnested formatting elements are cloned over
 * and over (90 KB of input can make gigabytes of nodes). All of gumbo's memory comes through
 * these hooks, which keep a list of live blocks and give up on the parse (longjmp back to
 * sanitize_html, which frees the list) once it has allocated too much or run for too long.
 */
#define PARSE_BYTES_BASE (32u << 20)  /* bytes gumbo may allocate, plus PARSE_BYTES_PER_INPUT each */
#define PARSE_BYTES_PER_INPUT 64u      /* ordinary HTML needs 5 to 35 */
#define PARSE_SECONDS 2                /* of this thread's CPU; ordinary HTML parses at over 10 MB a second */

union block {
	struct {
		union block *prev, *next;
	} link;
	max_align_t align;
};

struct budget {
	jmp_buf bail;
	union block head; /* circular list of live blocks */
	size_t bytes, limit;
	unsigned calls;
	struct timespec deadline;
};

static void *budget_alloc(void *ud, size_t n)
{
	struct budget *bg = ud;
	bg->bytes += n;
	if (bg->bytes > bg->limit)
		longjmp(bg->bail, 1);
	if ((++bg->calls & 63) == 0) {
		struct timespec now;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
		if (now.tv_sec > bg->deadline.tv_sec ||
		    (now.tv_sec == bg->deadline.tv_sec && now.tv_nsec > bg->deadline.tv_nsec))
			longjmp(bg->bail, 1);
	}
	union block *b = xmalloc(sizeof *b + n);
	b->link.prev = &bg->head;
	b->link.next = bg->head.link.next;
	b->link.next->link.prev = b;
	bg->head.link.next = b;
	return b + 1;
}

static void budget_free(void *ud, void *p)
{
	(void)ud;
	if (!p)
		return;
	union block *b = (union block *)p - 1;
	b->link.prev->link.next = b->link.next;
	b->link.next->link.prev = b->link.prev;
	free(b);
}

/* Frees whatever gumbo still holds: its output tree, or a parse abandoned half way. We do not
 * call gumbo_destroy_output, which recurses as deep as the tree is. */
static void budget_release(struct budget *bg)
{
	union block *b = bg->head.link.next;
	while (b != &bg->head) {
		union block *next = b->link.next;
		free(b);
		b = next;
	}
	bg->head.link.prev = bg->head.link.next = &bg->head;
}

/* Runs gumbo within the budget: the root of the fragment, or NULL when the budget ran out. */
static const GumboNode *parse(struct budget *bg, const char *in, size_t len)
{
	GumboOptions opt = kGumboDefaultOptions;
	opt.allocator = budget_alloc;
	opt.deallocator = budget_free;
	opt.userdata = bg;
	opt.fragment_context = GUMBO_TAG_DIV;
	opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
	opt.max_errors = 0; /* we never look at parse errors; don't collect them */
	bg->head.link.prev = bg->head.link.next = &bg->head;
	bg->bytes = 0;
	bg->calls = 0;
	bg->limit = len > (SIZE_MAX - PARSE_BYTES_BASE) / PARSE_BYTES_PER_INPUT
			    ? SIZE_MAX : PARSE_BYTES_BASE + len * PARSE_BYTES_PER_INPUT;
	/* CPU time, not wall time: what the input costs, the same on a busy machine as on an idle one. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &bg->deadline);
	bg->deadline.tv_sec += PARSE_SECONDS;
	if (setjmp(bg->bail) != 0) {
		budget_release(bg);
		return NULL;
	}
	GumboOutput *g = gumbo_parse_with_options(&opt, in, len);
	return g->root;
}

/* A build for flags, its root the one open element. */
static struct cnode *build_begin(struct build *b, unsigned flags)
{
	*b = (struct build){.a = arena_new(), .flags = flags, .para = (flags & SANITIZE_PARAGRAPHS) != 0,
	                    .capopen = 16, .media = GUMBO_TAG_UNKNOWN};
	b->policy = atomic_load_explicit(&policy, memory_order_acquire);
	b->open = xmalloc(b->capopen * sizeof *b->open);
	b->depth = xmalloc(b->capopen * sizeof *b->depth);
	buf_init(&b->attrs);
	buf_init(&b->tmp);
	buf_init(&b->url);
	struct cnode *root = arena_calloc(b->a, 1, sizeof *root);
	root->tag = GUMBO_TAG_HTML;
	b->open[0] = root;
	b->depth[0] = 0;
	b->nopen = 1;
	return root;
}

static void build_end(struct build *b)
{
	free(b->open);
	free(b->depth);
	buf_free(&b->attrs);
	buf_free(&b->tmp);
	buf_free(&b->url);
	arena_free(b->a);
}

/* in without the characters no story keeps (dropped_cp; NUL stays, gumbo has its own rules for it), in a new
 * heap string; NULL when it has none. gumbo would turn each into a visible U+FFFD, which could then no
 * longer be told from one the writer meant. */
static char *without_dropped(const char *in, size_t *len)
{
	size_t n = *len, i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)in[i];
		/* Only these bytes start a dropped character: C0 controls and DEL, C1 (C2 80..9F), U+2060.. (E2),
		 * U+FDD0.., U+FEFF, U+FFF9.. (EF), non-characters of the other planes (F0..F4). */
		if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		    (c >= 0x80 && c != 0xC2 && c != 0xE2 && c != 0xEF && c < 0xF0)) {
			i++;
			continue;
		}
		unsigned cp;
		size_t k = utf8_seq((const unsigned char *)in + i, n - i, &cp);
		if (cp && dropped_cp(cp))
			break;
		i += k; /* in is valid UTF-8: k > 0 */
	}
	if (i == n)
		return NULL;
	char *s = xmalloc(n + 1);
	size_t o = i;
	memcpy(s, in, i);
	while (i < n) {
		unsigned cp;
		size_t k = utf8_seq((const unsigned char *)in + i, n - i, &cp);
		if (!cp || !dropped_cp(cp)) {
			memcpy(s + o, in + i, k);
			o += k;
		}
		i += k;
	}
	s[o] = '\0';
	*len = o;
	return s;
}

int sanitize_html(const char *in, size_t len, unsigned flags, struct buf *out)
{
	if (!utf8_ok(in, len))
		return Q_EINVAL;
	if (len == 0)
		return 0;
	char *filtered = without_dropped(in, &len);
	if (filtered)
		in = filtered;
	struct build b;
	struct cnode *root = build_begin(&b, flags);
	struct budget *bg = xmalloc(sizeof *bg);
	const GumboNode *g = parse(bg, in, len);
	if (g)
		build(&b, g);
	else
		add_text(&b, root, in, len); /* too costly to parse: show it all as text */
	budget_release(bg);
	free(bg);
	sanitize_emit(root, b.para, len, out);
	build_end(&b);
	free(filtered);
	return 0;
}

int sanitize_text(const char *in, size_t len, struct buf *out)
{
	if (!utf8_ok(in, len))
		return Q_EINVAL;
	struct build b;
	struct cnode *root = build_begin(&b, SANITIZE_PARAGRAPHS);
	add_text(&b, root, in, len);
	sanitize_emit(root, true, len, out);
	build_end(&b);
	return 0;
}
