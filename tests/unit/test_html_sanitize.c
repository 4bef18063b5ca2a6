/* Unit tests for the HTML sanitizer: XSS vectors, the allow-list, escaping, paragraphs, limits, idempotence. */
#include "html/sanitize.h"
#include "html/format.h"
#include "check.h"
#include "core/err.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct vec {
	const char *s;
	size_t n; /* explicit, so vectors may hold NUL bytes */
};
#define V(lit) {lit, sizeof(lit) - 1}

static const struct vec xss[] = {
	/* script tags in all spellings */
	V("<script>alert(1)</script>"),
	V("<SCRIPT>alert(1)</SCRIPT>"),
	V("<ScRiPt>alert(1)</sCrIpT>"),
	V("<script src=//evil.example/x.js></script>"),
	V("<script\n>alert(1)</script>"),
	V("<script/src=//evil.example/x.js>"),
	V("<script type=\"text/javascript\">alert(1)</script>"),
	V("<<script>alert(1)//<</script>"),
	V("<scr<script>ipt>alert(1)</scr</script>ipt>"),
	V("<script>alert(1)"),
	V("<script x>alert(1)</script x>"),
	V("<scr\0ipt>alert(1)</scr\0ipt>"),
	V("<script\0>alert(1)</script>"),
	V("<sCrIpT>alert(1)</ScRiPt><p>after</p>"),
	/* svg and math payloads, mutation XSS */
	V("<svg><script>alert(1)</script></svg>"),
	V("<svg onload=alert(1)>"),
	V("<svg/onload=alert(1)>"),
	V("<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a></svg>"),
	V("<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
	V("<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>"),
	V("<svg><style>@import 'javascript:alert(1)';</style></svg>"),
	V("<svg><set attributeName=href to=javascript:alert(1)></svg>"),
	V("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
	V("<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 onerror=alert(1)&gt;\">"),
	V("<math href=\"javascript:alert(1)\">click</math>"),
	V("<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>"),
	V("<form><math><mtext></form><form><mglyph><svg><mtext><style><path id=\"</style><img onerror=alert(1) src>\">"),
	V("<math><mi><table><mglyph><svg><mtext><style><img src=x onerror=alert(1)>"),
	V("<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">"),
	V("<svg><p><style><img src=1 onerror=alert(1)>"),
	V("<div><svg><p><img src=x onerror=alert(1)></p></svg></div>"),
	V("<select><template><style><img src=x onerror=alert(1)></style></template></select>"),
	/* event handlers on every kind of element */
	V("<img src=x onerror=alert(1)>"),
	V("<img src=x onerror=\"alert(1)\">"),
	V("<IMG SRC=x ONERROR=alert(1)>"),
	V("<img src=x onerror\n=alert(1)>"),
	V("<img/src=x/onerror=alert(1)>"),
	V("<img src=`x` onerror=`alert(1)`>"),
	V("<img src=\"x\"onerror=\"alert(1)\">"),
	V("<img src=x:alert(alt) onerror=eval(src) alt=0>"),
	V("<img src=\"http://x.org/x.png\" onerror=\"&#97;lert(1)\">"),
	V("<a onmouseover=alert(1)>x</a>"),
	V("<a href=\"#\" onclick=\"alert(1)\">x</a>"),
	V("<a href=\"https://x.org\" onfocus=alert(1) autofocus>x</a>"),
	V("<p onclick=alert(1)>x</p>"),
	V("<div onmouseover=alert(1)>x</div>"),
	V("<span onfocus=alert(1) tabindex=0>x</span>"),
	V("<b onmouseenter=alert(1)>x</b>"),
	V("<table onclick=alert(1)><tr onclick=alert(1)><td onmouseover=alert(1)>x</td></tr></table>"),
	V("<ul onclick=alert(1)><li onclick=alert(1)>x</li></ul>"),
	V("<details open ontoggle=alert(1)>x</details>"),
	V("<h1 onanimationstart=alert(1)>x</h1><blockquote onpaste=alert(1)>y</blockquote>"),
	V("<pre onwheel=alert(1)>x</pre><hr onclick=alert(1)><br onclick=alert(1)>"),
	V("<body onload=alert(1)>"),
	V("<video><source onerror=alert(1)></video>"),
	V("<audio src=x onerror=alert(1)>"),
	V("<input autofocus onfocus=alert(1)>"),
	V("<select onfocus=alert(1) autofocus>"),
	V("<textarea onfocus=alert(1) autofocus>"),
	V("<keygen autofocus onfocus=alert(1)>"),
	V("<marquee onstart=alert(1)>x</marquee>"),
	V("<xss onpointerenter=alert(1)>x</xss>"),
	V("<custom-el onclick=alert(1)>x</custom-el>"),
	V("<div/onmouseover='alert(1)'>x</div>"),
	V("<p title=\"x\"onmouseover=\"alert(1)\">x</p>"),
	V("<p title=x\"onmouseover=alert(1)//\">x</p>"),
	V("<a href=\"http://x.org\"onmouseover=\"alert(1)\">x</a>"),
	V("<frameset onload=alert(1)>"),
	V("<isindex type=image src=1 onerror=alert(1)>"),
	V("<video poster=javascript:alert(1)//></video>"),
	V("<input type=image src=javascript:alert(1)>"),
	/* javascript:, vbscript:, data: URLs in href, src, cite */
	V("<a href=\"javascript:alert(1)\">x</a>"),
	V("<a href=\"JaVaScRiPt:alert(1)\">x</a>"),
	V("<a href=\"  javascript:alert(1)\">x</a>"),
	V("<a href=\"java\tscript:alert(1)\">x</a>"),
	V("<a href=\"java\nscript:alert(1)\">x</a>"),
	V("<a href=\"java\rscript:alert(1)\">x</a>"),
	V("<a href=\"&#106;avascript:alert(1)\">x</a>"),
	V("<a href=\"&#x6A;avascript:alert(1)\">x</a>"),
	V("<a href=\"&#0000106avascript:alert(1)\">x</a>"),
	V("<a href=\"&#x6a&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3a;alert(1)\">x</a>"),
	V("<a href=\"javascript&colon;alert(1)\">x</a>"),
	V("<a href=\"javascript&#58;alert(1)\">x</a>"),
	V("<a href=\"jAvAsCrIpT&colon;alert&lpar;1&rpar;\">x</a>"),
	V("<a href=\"\x01javascript:alert(1)\">x</a>"),
	V("<a href=\"&#1;javascript:alert(1)\">x</a>"),
	V("<a href=\"&Tab;javascript:alert(1)\">x</a>"),
	V("<a href=\"&NewLine;javascript:alert(1)\">x</a>"),
	V("<a href=\"java\0script:alert(1)\">x</a>"),
	V("<a href=\"jav&#x09;ascript:alert(1)\">x</a>"),
	V("<a href=\"jav&#x41;script:alert(1)\">x</a>"),
	V("<a href=\"\xe2\x80\x8bjavascript:alert(1)\">x</a>"),
	V("<a href=javascript:alert(1)>x</a>"),
	V("<a href='javascript:alert(1)'>x</a>"),
	V("<a href=`javascript:alert(1)`>x</a>"),
	V("<a\thref=\"javascript:alert(1)\">x</a>"),
	V("<a/href=\"javascript:alert(1)\">x</a>"),
	V("<a href=\"javascript:alert(1)\" rel=\"opener\">x</a>"),
	V("<a href=\"vbscript:msgbox(1)\">x</a>"),
	V("<a href=\"VBScript:msgbox(1)\">x</a>"),
	V("<a href=\"livescript:alert(1)\">x</a>"),
	V("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"),
	V("<a href=\"DATA:text/html,<script>alert(1)</script>\">x</a>"),
	V("<a href=\" data:text/html,x\">x</a>"),
	V("<a href=\"file:///etc/passwd\">x</a>"),
	V("<a href=\"javascript:alert(1)\"><img src=\"javascript:alert(1)\"></a>"),
	V("<img src=javascript:alert(1)>"),
	V("<img src=\"jav\tascript:alert(1)\">"),
	V("<img src=\"java&#x09;script:alert(1)\">"),
	V("<img src=\"jav&#x0A;ascript:alert(1)\">"),
	V("<img src=\"jav&#x0D;ascript:alert(1)\">"),
	V("<img src=\" &#14;  javascript:alert(1)\">"),
	V("<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>"),
	V("<img src=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)>"),
	V("<img src=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)>"),
	V("<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"),
	V("<img dynsrc=\"javascript:alert(1)\">"),
	V("<img lowsrc=\"javascript:alert(1)\">"),
	V("<img srcset=\"javascript:alert(1) 1x\">"),
	V("<img src=\"https://x.org/a.png\" usemap=#m><map name=m><area href=\"javascript:alert(1)\" shape=rect coords=0,0,1,1></map>"),
	V("<blockquote cite=\"javascript:alert(1)\">q</blockquote>"),
	V("<q cite=\"vbscript:x\">q</q>"),
	V("<blockquote cite=\"data:text/html,x\">q</blockquote>"),
	V("<table background=\"javascript:alert(1)\"><tr><td background=javascript:alert(1)>x</td></tr></table>"),
	V("<body background=\"javascript:alert(1)\">"),
	V("<bgsound src=\"javascript:alert(1)\">"),
	V("<layer src=\"javascript:alert(1)\"></layer>"),
	/* embedding and document-level elements */
	V("<object data=\"javascript:alert(1)\">"),
	V("<object data=\"data:text/html,<script>alert(1)</script>\"></object>"),
	V("<object><param name=src value=javascript:alert(1)></object>"),
	V("<embed src=\"javascript:alert(1)\">"),
	V("<embed src=\"data:image/svg+xml,<svg onload=alert(1)>\">"),
	V("<embed code=\"javascript:alert(1)\"></embed>"),
	V("<applet code=\"x\">"),
	V("<iframe src=\"javascript:alert(1)\"></iframe>"),
	V("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>"),
	V("<iframe src=data:text/html,<script>alert(1)</script>>"),
	V("<base href=\"javascript:alert(1)//\">"),
	V("<base href=//evil.example/>"),
	V("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"),
	V("<meta charset=\"x-imap4-modified-utf7\">"),
	V("<link rel=stylesheet href=\"javascript:alert(1)\">"),
	V("<link rel=import href=//evil.example/x>"),
	V("<form action=\"javascript:alert(1)\"><input type=submit></form>"),
	V("<form><button formaction=\"javascript:alert(1)\">x</button></form>"),
	/* CSS tricks */
	V("<style>@import 'http://evil.example/x.css';</style>"),
	V("<style>body{background:url(\"javascript:alert(1)\")}</style>"),
	V("<div style=\"width:expression(alert(1))\">x</div>"),
	V("<div style=\"background-image:url(javascript:alert(1))\">x</div>"),
	V("<p style=\"behavior:url(x.htc)\">x</p>"),
	V("<span style=\"-moz-binding:url(x.xml#xss)\">x</span>"),
	V("<STYLE>li{list-style-image:url(\"javascript:alert(1)\");}</STYLE><UL><LI>x</UL>"),
	V("<div style=\"x:\\65 xpression(alert(1))\">x</div>"),
	/* raw-text breakouts */
	V("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
	V("<noscript><style></noscript><img src=x onerror=alert(1)>"),
	V("<title><img src=x onerror=alert(1)></title>"),
	V("<textarea><img src=x onerror=alert(1)></textarea>"),
	V("<style><img src=x onerror=alert(1)></style>"),
	V("<xmp><img src=x onerror=alert(1)></xmp>"),
	V("<noembed><img src=x onerror=alert(1)></noembed>"),
	V("<noframes><img src=x onerror=alert(1)></noframes>"),
	V("<plaintext><img src=x onerror=alert(1)>"),
	V("<template><img src=x onerror=alert(1)></template>"),
	/* comments, CDATA, processing instructions, doctype */
	V("<!--<img src=\"--><img src=x onerror=alert(1)//\">"),
	V("<!-- --!><img src=x onerror=alert(1)> -->"),
	V("<!--><img src=x onerror=alert(1)>-->"),
	V("<![CDATA[<img src=x onerror=alert(1)>]]>"),
	V("<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
	V("<?xml-stylesheet href=\"javascript:alert(1)\"?><img src=x onerror=alert(1)>"),
	V("<!DOCTYPE html><img src=x onerror=alert(1)>"),
	/* broken nesting, unclosed tags, odd attribute syntax */
	V("<div><p><b>unclosed <img src=x onerror=alert(1)"),
	V("<img src=x onerror=alert(1)//"),
	V("<a href=\"x\" <img src=x onerror=alert(1)>>"),
	V("<b><i><u>x</b>y<img src=x onerror=alert(1)>z</u></i>"),
	V("<table><tr><td><script>alert(1)</script></table><img src=x onerror=alert(1)>"),
	V("<p><table><caption><div><img src=x onerror=alert(1)></caption></table>"),
	V("<div id=\"x\" name=\"y\" data-x=\"1\" onclick=\"alert(1)\">x</div>"),
	V("<img src=\"http://x.org/a.png\" alt=\"\" onerror=\"alert(1)\" style=\"x\">"),
	V("<div title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">x</div>"),
	V("&lt;script&gt;alert(1)&lt;/script&gt;"),
	V("<a href=\"http://x.org/\" target=\"_blank\">x</a>"),
	V("<img src=x onerror=alert(1)\0>"),
	V("<img\0src=x onerror=alert(1)>"),
	V("<im\0g src=x onerror=alert(1)>"),
};

/* ---- an independent check of the output, with the eyes of a browser ---- */

static const char *const ok_tags[] = {
	"a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
	"cite", "code", "col", "colgroup", "details", "figcaption", "figure", "dd", "del", "dfn",
	"div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
	"li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
	"strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
	"tt", "u", "ul", "var", NULL,
};
static const char *const ok_attrs[] = {
	"align", "dir", "lang", "title", "class", "href", "name", "alt", "border", "height", "src",
	"width", "abbr", "axis", "colspan", "rowspan", "scope", "start", "type", "summary", "cite",
	"open", "rel", NULL,
};
static const char *const bad_literals[] = {
	"<script", "<svg", "<math", "<iframe", "<style", "<object", "<embed", "<base", "<meta",
	"<link", "<form", "<frame", "<applet", "<input", "<button", "<textarea", "<template",
	"<noscript", "style=", "srcdoc", "formaction", "xlink:", "expression(", NULL,
};

static bool in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncasecmp(*list, s, n))
			return true;
	return false;
}

/* A URL attribute is unsafe unless its scheme (seen loosely: every control and space removed) is allowed. */
static bool url_unsafe(const char *v)
{
	char u[128];
	size_t k = 0;
	for (; *v && k + 1 < sizeof u; v++)
		if ((unsigned char)*v > 0x20 && *v != 0x7F)
			u[k++] = (char)tolower((unsigned char)*v);
	u[k] = '\0';
	size_t end = strcspn(u, ":/?#");
	if (u[end] != ':')
		return false;
	return !((end == 4 && !strncmp(u, "http", 4)) || (end == 5 && !strncmp(u, "https", 5)) ||
		 (end == 6 && !strncmp(u, "mailto", 6)) || (end == 3 && !strncmp(u, "ftp", 3)));
}

static const char *tree_unsafe(const GumboNode *n, int depth)
{
	if (depth > 200)
		return "output nests deeper than 200";
	if (n->type != GUMBO_NODE_ELEMENT)
		return NULL;
	const GumboElement *e = &n->v.element;
	if (depth > 0) {
		const char *name = gumbo_normalized_tagname(e->tag);
		if (e->tag_namespace != GUMBO_NAMESPACE_HTML || !in_list(name, strlen(name), ok_tags))
			return "element outside the allow-list";
	}
	for (unsigned i = 0; i < e->attributes.length; i++) {
		const GumboAttribute *a = e->attributes.data[i];
		if (!strncasecmp(a->name, "on", 2))
			return "event handler attribute";
		if (!in_list(a->name, strlen(a->name), ok_attrs))
			return "attribute outside the allow-list";
		if ((!strcmp(a->name, "href") || !strcmp(a->name, "src") || !strcmp(a->name, "cite")) &&
		    url_unsafe(a->value))
			return "URL with a forbidden scheme";
		if (!strcmp(a->name, "src") && !url_unsafe(a->value) && strncasecmp(a->value, "http", 4))
			return "image source that is not http(s)";
		if (!strcmp(a->name, "rel") && strcmp(a->value, "nofollow"))
			return "rel other than nofollow";
	}
	for (unsigned i = 0; i < e->children.length; i++) {
		const char *r = tree_unsafe(e->children.data[i], depth + 1);
		if (r)
			return r;
	}
	return NULL;
}

/* Why html is unsafe, or NULL: literal markers first, then a real parse of it. */
static const char *unsafe(const char *html)
{
	static char why[64];
	for (const char *const *b = bad_literals; *b; b++) {
		if (strcasestr(html, *b)) {
			snprintf(why, sizeof why, "contains %s", *b);
			return why;
		}
	}
	GumboOptions opt = kGumboDefaultOptions;
	opt.fragment_context = GUMBO_TAG_DIV;
	GumboOutput *g = gumbo_parse_with_options(&opt, html, strlen(html));
	const char *r = tree_unsafe(g->root, 0);
	gumbo_destroy_output(&opt, g);
	return r;
}

/* ---- helpers ---- */

static struct buf out;
static int last_rc;

static const char *S(const char *in, size_t n, unsigned flags)
{
	buf_reset(&out);
	last_rc = sanitize_html(in, n, flags, &out);
	return buf_cstr(&out);
}

static const char *H(const char *in)
{
	return S(in, strlen(in), 0);
}

static const char *P(const char *in)
{
	return S(in, strlen(in), SANITIZE_PARAGRAPHS);
}

static const char *F(const char *in, unsigned flags)
{
	return S(in, strlen(in), flags);
}

/* sanitize(sanitize(x)) == sanitize(x) */
static bool stable(const char *in, size_t n, unsigned flags)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int rc = sanitize_html(in, n, flags, &a);
	rc |= sanitize_html(buf_cstr(&a), a.len, flags, &b);
	bool ok = rc == 0 && !strcmp(buf_cstr(&a), buf_cstr(&b));
	if (!ok)
		fprintf(stderr, "not idempotent:\n  in:   %.*s\n  once: %s\n  twice: %s\n", (int)n, in,
			buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	return ok;
}

/* ---- tests ---- */

static void test_xss_vectors(void)
{
	size_t count = sizeof xss / sizeof *xss;
	CHECK(count >= 120);
	for (size_t i = 0; i < count; i++) {
		for (unsigned flags = 0; flags <= SANITIZE_PARAGRAPHS; flags++) {
			const char *o = S(xss[i].s, xss[i].n, flags);
			const char *why = unsafe(o);
			if (last_rc || why)
				fprintf(stderr, "vector %zu [%.*s] flags %u: rc %d, %s\n  -> %s\n", i,
					(int)xss[i].n, xss[i].s, flags, last_rc, why ? why : "", o);
			CHECK(last_rc == 0);
			CHECK(why == NULL);
			CHECK(stable(xss[i].s, xss[i].n, flags));
		}
	}
}

/* Comment texts (and bookmark notes) are rendered with format_render(FORMAT_HTML), the chapters' path: every
 * vector, alone and inside the ordinary words of a comment, must come out safe there too. */
static void test_xss_vectors_comment_fields(void)
{
	for (size_t i = 0; i < sizeof xss / sizeof *xss; i++) {
		struct buf in = BUF_INIT, o = BUF_INIT;
		buf_puts(&in, "Loved this chapter!\n\n");
		buf_append(&in, xss[i].s, xss[i].n);
		buf_puts(&in, "\nMore please.");
		for (int k = 0; k < 2; k++) {
			const char *src = k ? in.data : xss[i].s;
			size_t len = k ? in.len : xss[i].n;
			buf_reset(&o);
			int rc = format_render(FORMAT_HTML, src, len, &o);
			const char *why = unsafe(buf_cstr(&o));
			if (rc || why)
				fprintf(stderr, "comment vector %zu: rc %d, %s\n  -> %s\n", i, rc, why ? why : "", buf_cstr(&o));
			CHECK(rc == 0);
			CHECK(why == NULL);
		}
		buf_free(&in);
		buf_free(&o);
	}
}

/* The checker itself must catch what it is there to catch. */
static void test_checker_catches_unsafe_markup(void)
{
	CHECK(unsafe("<script>alert(1)</script>") != NULL);
	CHECK(unsafe("<img src=x onerror=alert(1)>") != NULL);
	CHECK(unsafe("<a href=\" java&#x09;script:alert(1)\">x</a>") != NULL);
	CHECK(unsafe("<a href=\"data:text/html,x\">x</a>") != NULL);
	CHECK(unsafe("<p id=x>x</p>") != NULL);
	CHECK(unsafe("<font>x</font>") != NULL);
	CHECK(unsafe("<img src=\"/rel.png\" />") != NULL);
	CHECK(unsafe("<p title=\"javascript:alert(1)\">x</p>") == NULL);
	CHECK(unsafe("<a href=\"https://x.org/\" rel=\"nofollow\">x</a>") == NULL);
}

static void test_vectors_exact(void)
{
	CHECK_STR(H("<script>alert(1)</script>ok"), "ok");
	CHECK_STR(H("<img src=x onerror=alert(1)>"), "<img />");
	CHECK_STR(H("<a href=\"  javascript:alert(1)\">x</a>"), "<a rel=\"nofollow\">x</a>");
	CHECK_STR(H("<a href=\"&#106;avascript:alert(1)\">x</a>"), "<a rel=\"nofollow\">x</a>");
	CHECK_STR(H("<img src=\"java&#x09;script:alert(1)\" alt=\"a\">"), "<img alt=\"a\" />");
	CHECK_STR(H("<p onclick=\"alert(1)\" style=\"color:red\" id=\"x\">hi</p>"), "<p>hi</p>");
	CHECK_STR(H("<!--<img src=\"--><img src=x onerror=alert(1)//\">"), "<img />");
	CHECK_STR(H("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"), "");
	CHECK_STR(H("<p title=\"</noscript><img src=x onerror=alert(1)>\">t</p>"),
		  "<p title=\"&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;\">t</p>");
	CHECK_STR(H("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"), "");
	CHECK_STR(H("<svg><script>alert(1)</script><text>t</text></svg>after"), "after");
	CHECK_STR(H("<form action=\"javascript:alert(1)\"><label>secret</label><p>x</p></form>after"), "after");
	CHECK_STR(H("<textarea>secret</textarea><title>t</title><style>p{}</style>ok"), "ok");
	CHECK_STR(H("<div style=\"width:expression(alert(1))\">x</div>"), "<div>x</div>");
	static const char nul_tag[] = "<scr\0ipt>alert(1)</scr\0ipt>";
	CHECK_STR(S(nul_tag, sizeof nul_tag - 1, 0), "alert(1)"); /* an unknown element */
	CHECK_STR(S("a\0b", 3, 0), "ab");
	CHECK_STR(H("<base href=//evil.example/><meta http-equiv=refresh content=0><link rel=x>ok"), "ok");
}

static void test_allowed_markup_survives(void)
{
	CHECK_STR(H("<p><em>hi</em> <a href=\"https://x.org/\">l</a></p>"),
		  "<p><em>hi</em> <a href=\"https://x.org/\" rel=\"nofollow\">l</a></p>");
	CHECK_STR(P("<p><em>hi</em> <a href=\"https://x.org/\">l</a></p>"),
		  "<p><em>hi</em> <a href=\"https://x.org/\" rel=\"nofollow\">l</a></p>");
	const char *same[] = {
		"<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>",
		"<p><b>b</b><i>i</i><u>u</u><s>s</s><strike>k</strike><strong>g</strong><em>e</em>"
		"<big>B</big><small>S</small><tt>t</tt><code>c</code><kbd>k</kbd><samp>s</samp>"
		"<var>v</var><sub>2</sub><sup>3</sup><del>d</del><ins>i</ins><dfn>f</dfn><cite>c</cite>"
		"<abbr title=\"abbreviation\">abbr</abbr><acronym>A</acronym><q>q</q><span>s</span></p>",
		"<blockquote cite=\"https://x.org/src\"><p>quoted</p></blockquote>",
		"<ol start=\"3\" type=\"a\"><li>x</li></ol><ul><li>y</li></ul><dl><dt>t</dt><dd>d</dd></dl>",
		"<table border=\"1\" summary=\"s\" width=\"50%\"><caption>c</caption><colgroup><col /></colgroup>"
		"<thead><tr><th abbr=\"h\" colspan=\"2\" scope=\"col\">h</th></tr></thead>"
		"<tbody><tr><td axis=\"a\" height=\"3\" rowspan=\"1\" width=\"4\" align=\"left\">d</td></tr></tbody>"
		"<tfoot><tr><td>f</td></tr></tfoot></table>",
		"<img alt=\"a\" border=\"0\" height=\"20\" src=\"https://x.org/a.png\" width=\"10\" align=\"left\" />",
		"<details open=\"open\"><summary>s</summary>x</details>",
		"<figure><img src=\"http://x.org/a.png\" /><figcaption>cap</figcaption></figure>",
		"<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
		"<center>c</center><address>a</address><div>d</div><hr /><pre>  p\n  q</pre>",
		"<p dir=\"rtl\" lang=\"ar\" title=\"t\">x<br />y</p>",
		"<a name=\"anchor\" rel=\"nofollow\">target</a><a href=\"#anchor\" rel=\"nofollow\">go</a>",
		"<q cite=\"/quotes/1\">q</q>",
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		CHECK_STR(H(same[i]), same[i]);
		CHECK(stable(same[i], strlen(same[i]), 0));
		CHECK(stable(same[i], strlen(same[i]), SANITIZE_PARAGRAPHS));
	}
}

static void test_attributes(void)
{
	/* Output order is the allow-list's, so equal elements serialize equally. */
	CHECK_STR(H("<img width=\"1\" src=\"https://x.org/a.png\" alt=\"x\">"),
		  "<img alt=\"x\" src=\"https://x.org/a.png\" width=\"1\" />");
	CHECK_STR(H("<a href=\"/x\" target=\"_blank\" rel=\"opener noreferrer\">x</a>"),
		  "<a href=\"/x\" rel=\"nofollow\">x</a>");
	CHECK_STR(H("<a>x</a>"), "<a rel=\"nofollow\">x</a>");
	CHECK_STR(H("<p id=\"x\" name=\"n\" data-x=\"1\" tabindex=\"1\" align=\"center\">x</p>"),
		  "<p align=\"center\">x</p>");
	/* class only where the field allows it (SANITIZE_CLASS), in AO3's form: a letter, then letters, digits,
	 * '_' or '-'. */
	CHECK_STR(H("<span class=\"ok my-class x_1\">x</span>"), "<span>x</span>");
	CHECK_STR(F("<span class=\"ok my-class x_1 bad;x <evil> a:b 8ball -dash a\">x</span>", SANITIZE_CLASS),
		  "<span class=\"ok my-class x_1\">x</span>");
	CHECK_STR(F("<span class=\"&quot;;x\">x</span>", SANITIZE_CLASS), "<span>x</span>");
	CHECK_STR(H("<td colspan=2>x</td>"), "x"); /* a cell outside a table is no cell */
	CHECK_STR(H("<th scope=row>x</th>"), "x");
	CHECK_STR(H("<p scope=\"row\" start=\"2\" open>x</p>"), "<p>x</p>"); /* element-specific only */
	CHECK_STR(H("<ol start=\"2\" reversed>x</ol>"), "<ol start=\"2\">x</ol>");
	CHECK_STR(H("<p title='a \"quoted\" &amp; <b>'>x</p>"),
		  "<p title=\"a &quot;quoted&quot; &amp; &lt;b&gt;\">x</p>");
	CHECK_STR(H("<img src=\"http://x.org/a.png\" name=\"n\" id=\"i\">"), "<img src=\"http://x.org/a.png\" />");
}

static void test_urls(void)
{
	const char *links[] = {
		"https://x.org/", "http://x.org", "HTTPS://X.ORG/A", "mailto:a@b.example", "ftp://x.org/f",
		"/path", "#frag", "?q=1", "./rel", "../up", "page.html", "dir/file:colon", "//x.org/p",
	};
	for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
		char in[128], want[160];
		snprintf(in, sizeof in, "<a href=\"%s\">x</a>", links[i]);
		snprintf(want, sizeof want, "<a href=\"%s\" rel=\"nofollow\">x</a>", links[i]);
		CHECK_STR(H(in), want);
	}
	const char *bad_links[] = {
		"javascript:x", "tel:123", "foo:bar", "data:,x", "file:///x", "", "   ", "java\x01script:x",
		"ht tp://x.org", "h\xc3\xa9llo:x",
	};
	for (size_t i = 0; i < sizeof bad_links / sizeof *bad_links; i++) {
		char in[128];
		snprintf(in, sizeof in, "<a href=\"%s\">x</a>", bad_links[i]);
		CHECK_STR(H(in), "<a rel=\"nofollow\">x</a>");
	}
	/* Browsers ignore tabs and newlines in URLs and spaces around them; so do we, and we say so. */
	CHECK_STR(H("<a href=\"  https://x.org/a\tb\n \">x</a>"), "<a href=\"https://x.org/ab\" rel=\"nofollow\">x</a>");
	CHECK_STR(H("<a href=\"https://x.org/?a=1&amp;b=2\">x</a>"),
		  "<a href=\"https://x.org/?a=1&amp;b=2\" rel=\"nofollow\">x</a>");
	/* Images: http and https only. */
	CHECK_STR(H("<img src=\"https://x.org/a.png\">"), "<img src=\"https://x.org/a.png\" />");
	CHECK_STR(H("<img src=\"http://x.org/a.png\">"), "<img src=\"http://x.org/a.png\" />");
	CHECK_STR(H("<img src=\"/a.png\">"), "<img />");
	CHECK_STR(H("<img src=\"a.png\">"), "<img />");
	CHECK_STR(H("<img src=\"ftp://x.org/a.png\">"), "<img />");
	CHECK_STR(H("<img src=\"data:image/png;base64,AAAA\">"), "<img />");
	CHECK_STR(H("<blockquote cite=\"https://x.org/\">q</blockquote>"), "<blockquote cite=\"https://x.org/\">q</blockquote>");
	CHECK_STR(H("<blockquote cite=\"javascript:x\">q</blockquote>"), "<blockquote>q</blockquote>");
}

static void test_text_escaping(void)
{
	CHECK_STR(H("a & b < c > d \"q\" 'a'"), "a &amp; b &lt; c &gt; d \"q\" 'a'");
	CHECK_STR(H("&lt;script&gt;alert(1)&lt;/script&gt;"), "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_STR(H("AT&T &amp; &copy; &nbsp;\xc2\xa0"), "AT&amp;T &amp; \xc2\xa9 &nbsp;&nbsp;");
	CHECK_STR(H("1 < 2 <3 <> </>"), "1 &lt; 2 &lt;3 &lt;&gt; ");
	/* Control characters go (raw or from a character reference); a CR is the newline a parser reads it as. */
	CHECK_STR(H("a&#8;b"), "ab");
	CHECK_STR(H("a\x0b" "b&#11;c"), "abc");
	CHECK_STR(H("a&#13;b"), "a\nb");
	/* A character reference past U+10FFFF (gumbo writes broken UTF-8 for some) is a replacement character,
	 * and our output stays valid UTF-8 (found by the fuzzer). */
	CHECK_STR(H("J&#xFDD1FDD0;er"), "J\xef\xbf\xbd" "er");
	CHECK(stable("J&#xFDD1FDD0;er", 15, SANITIZE_PARAGRAPHS));
}

static void test_dropped_and_unwrapped(void)
{
	CHECK_STR(H("<font color=red>red</font> <marquee>m</marquee> <article>a</article>"), "red m a");
	CHECK_STR(H("<blink>x</blink><nobr>y</nobr><unknown-tag a=b>z</unknown-tag>"), "xyz");
	CHECK_STR(H("<p>a<!-- comment -->b</p>"), "<p>ab</p>");
	CHECK_STR(H("<!DOCTYPE html><p>x</p>"), "<p>x</p>");
	CHECK_STR(H("<html><head><title>t</title></head><body><p>x</p></body></html>"), "<p>x</p>");
	CHECK_STR(H("<select><option>o</option></select><button>b</button>after"), "after");
	CHECK_STR(H("<iframe>i</iframe><object>o</object><noembed>n</noembed>after"), "after");
	CHECK_STR(H("<svg><text>s</text></svg><math><mi>m</mi></math>after"), "after");
	CHECK_STR(H("<section><h2>t</h2><p>x</p></section>"), "<h2>t</h2><p>x</p>");
}

static void test_structure_is_stable(void)
{
	/* Unwrapping must not leave nestings that a browser would take apart. */
	const char *cases[] = {
		"<p>a<marquee><p>b</p></marquee>c</p>",
		"<li>a<marquee><li>b</li></marquee></li>",
		"<dd>a<marquee><dt>b</dt></marquee></dd>",
		"<a href=1>a<marquee><a href=2>b</a></marquee></a>",
		"<h1>a<font><h2>b</h2></font></h1>",
		"<ruby>x<rp>(<div><rt>r</rt><rp>)</rp></div></rp></ruby>",
		"<b><b><b><b><b>x</b></b></b></b></b>",
		"<b title=y><b><b><b><b onclick=1>x</b></b></b></b>after</b>",
		"<table><tr><td><marquee><td>x</td></marquee></td></tr></table>",
		"<p><table><tr><td>x</td></tr></table>",
		"<b>text<div>block</div>more</b>",
		"<pre>\n\nx</pre><pre><font>\nx</font></pre>",
		"<b><i><u>x</b>y</i>z</u><p>a<div>b</p>c</div>",
		"<a href=x><div>block link</div></a>",
		"<ul><li>one<li>two<ol><li>x</ol></ul><dl><dt>t<dd>d</dl>",
		"<table><tr><td>a<td>b<tr><th>c</table>",
		"<div>a\n\n<span>b\n\nc</span>\n</div>",
		"x<br>\n\n<br>\ny\n<br>\n",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		CHECK(stable(cases[i], strlen(cases[i]), 0));
		CHECK(stable(cases[i], strlen(cases[i]), SANITIZE_PARAGRAPHS));
	}
	CHECK_STR(H("<p>a<marquee><p>b</p></marquee>c</p>"), "<p>abc</p>");
	CHECK_STR(H("<a href=\"/1\">a<marquee><a href=\"/2\">b</a></marquee></a>"),
		  "<a href=\"/1\" rel=\"nofollow\">ab</a>");
	CHECK_STR(H("<pre>\n\nx</pre>"), "<pre>\n\nx</pre>");
}

static void test_paragraphs(void)
{
	CHECK_STR(P("Hello\n\nWorld <b>bold</b>\nline"), "<p>Hello</p>\n<p>World <b>bold</b><br />\nline</p>");
	CHECK_STR(H("Hello\n\nWorld <b>bold</b>\nline"), "Hello\n\nWorld <b>bold</b>\nline");
	/* Three or more newlines: an empty paragraph between, however many. */
	CHECK_STR(P("one\n\n\n\ntwo"), "<p>one</p>\n<p>&nbsp;</p>\n<p>two</p>");
	CHECK_STR(P("one\n   \t\ntwo"), "<p>one</p>\n<p>two</p>");
	CHECK_STR(P("  \n\n \n\n\t"), "");
	CHECK_STR(P(""), "");
	CHECK_STR(P("  padded  "), "<p>padded</p>");
	CHECK_STR(P("<p>a</p>\n\n<p>b</p>"), "<p>a</p>\n<p>b</p>");
	CHECK_STR(P("intro\n<blockquote>q1\n\nq2</blockquote>\nouter"),
		  "<p>intro</p>\n<blockquote><p>q1</p>\n<p>q2</p></blockquote>\n<p>outer</p>");
	CHECK_STR(P("<blockquote>short\nquote</blockquote>"), "<blockquote><p>short<br />\nquote</p></blockquote>");
	CHECK_STR(P("<pre>  a\n\n  b</pre>"), "<pre>  a\n\n  b</pre>");
	CHECK_STR(P("text <em>inline\n\nstill em</em> end"), "<p>text <em>inline</em></p>\n<p><em>still em</em> end</p>");
	CHECK_STR(P("<h1>Title</h1>text\n<hr>more"), "<h1>Title</h1>\n<p>text</p>\n<hr />\n<p>more</p>");
	CHECK_STR(P("a<br>\nb"), "<p>a<br />b</p>");
	/* Lists, tables, p, headings: left as written (a newline there shows as a space). */
	CHECK_STR(P("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"), "<ul>\n<li>one</li>\n<li>two</li>\n</ul>");
	CHECK_STR(P("<p>\nindented source\n</p>"), "<p>\nindented source\n</p>");
	CHECK_STR(P("<table><tr><td>a\n\nb</td></tr></table>"), "<table><tbody><tr><td>a\n\nb</td></tr></tbody></table>");
	CHECK_STR(P("<div>x\ny</div>"), "<div><p>x<br />\ny</p></div>");
	CHECK_STR(P("line1\r\nline2\r\n\r\nline3"), "<p>line1<br />\nline2</p>\n<p>line3</p>");
	CHECK_STR(P("<i>whole</i> paragraph\n\n<i>next</i>"), "<p><i>whole</i> paragraph</p>\n<p><i>next</i></p>");
	CHECK_STR(P("<details><summary>s</summary>\nbody\n</details>"), "<details><summary>s</summary>\n<p>body</p></details>");
	/* Already formatted output comes back unchanged. */
	const char *done = "<p>Hello</p>\n<p>World <b>bold</b><br />\nline</p>";
	CHECK_STR(P(done), done);
}

static void test_chapter_text_byte_for_byte(void)
{
	const char *chapter =
		"\xe2\x80\x9cIt was always temporary\xe2\x80\xa6\xe2\x80\x9d she said.\n\n"
		"\xe2\x80\x98" "Don\xe2\x80\x99t,\xe2\x80\x99 he replied \xe2\x80\x94 quietly. 2\xc2\xa0" "000 \xe6\x97\xa5\xe6\x9c\xac\n\n"
		"\"It was always temporary\xe2\x80\xa6\"";
	CHECK_STR(P(chapter),
		  "<p>\xe2\x80\x9cIt was always temporary\xe2\x80\xa6\xe2\x80\x9d she said.</p>\n"
		  "<p>\xe2\x80\x98" "Don\xe2\x80\x99t,\xe2\x80\x99 he replied \xe2\x80\x94 quietly. 2&nbsp;000 \xe6\x97\xa5\xe6\x9c\xac</p>\n"
		  "<p>\"It was always temporary\xe2\x80\xa6\"</p>");
	CHECK(stable(chapter, strlen(chapter), SANITIZE_PARAGRAPHS));
	CHECK_STR(H("\"It was always temporary\xe2\x80\xa6\""), "\"It was always temporary\xe2\x80\xa6\"");
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* The deepest element nesting in our own (well-formed) output. */
static int max_depth(const char *html)
{
	int d = 0, max = 0;
	for (const char *p = html; *p; p++) {
		if (*p != '<')
			continue;
		if (p[1] == '/')
			d--;
		else if (!strstr(p, ">") || strstr(p, ">")[-1] != '/')
			d++;
		if (d > max)
			max = d;
	}
	return max;
}

static void test_deep_nesting(void)
{
	const char *opens[] = {"<div>", "<span>", "<b>", "<blockquote>", "<ul><li>", "<table><tr><td>", "<a href=/x>", "<em><p>"};
	for (size_t k = 0; k < sizeof opens / sizeof *opens; k++) {
		struct buf in = BUF_INIT;
		int n = k == 5 ? 2000 : 10000;
		for (int i = 0; i < n; i++)
			buf_puts(&in, opens[k]);
		buf_puts(&in, "deep & text\n\nmore"); /* a blank line: paragraphs at the limit */
		for (unsigned flags = 0; flags <= SANITIZE_PARAGRAPHS; flags++) {
			const char *o = S(in.data, in.len, flags);
			CHECK(last_rc == 0);
			CHECK_CONTAINS(o, "deep &amp; text");
			int d = max_depth(o);
			if (d > 101)
				fprintf(stderr, "%s x %d: depth %d\n", opens[k], n, d);
			CHECK(d <= 101);
			CHECK(stable(in.data, in.len, flags));
		}
		buf_free(&in);
	}
	/* Closed deep nesting keeps the text after it. */
	struct buf in = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_puts(&in, "<div>");
	buf_puts(&in, "x");
	for (int i = 0; i < 10000; i++)
		buf_puts(&in, "</div>");
	buf_puts(&in, "after");
	const char *o = S(in.data, in.len, 0);
	CHECK(count(o, "<div>") == 100);
	CHECK(count(o, "</div>") == 100);
	CHECK_CONTAINS(o, "</div>after");
	buf_free(&in);
}

/* Misnested formatting elements make a spec parser clone them again for every paragraph; 90 KB
 * would need gigabytes. The parse is given up and the input shown as text instead. */
static void test_parse_budget(void)
{
	struct buf in = BUF_INIT;
	buf_puts(&in, "<p>");
	for (int i = 0; i < 1000; i++)
		buf_printf(&in, "<b id=%d>", i);
	for (int i = 0; i < 10000; i++)
		buf_puts(&in, "</p><p>x");
	for (unsigned flags = 0; flags <= SANITIZE_PARAGRAPHS; flags++) {
		const char *o = S(in.data, in.len, flags);
		CHECK(last_rc == 0);
		CHECK_CONTAINS(o, "&lt;b id=999&gt;&lt;/p&gt;&lt;p&gt;x");
		CHECK(unsafe(o) == NULL);
		CHECK(stable(in.data, in.len, flags));
	}
	buf_free(&in);
}

static void test_invalid_utf8(void)
{
	const struct vec bad[] = {
		V("\xff"), V("ok \xc0\xaf"), V("\xed\xa0\x80"), V("\xf4\x90\x80\x80"), V("<p>\xe2\x80</p>"),
		V("\x80"), V("\xf8\x88\x80\x80\x80"), V("<a href=\"\xfe\">x</a>"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		for (unsigned flags = 0; flags <= SANITIZE_PARAGRAPHS; flags++) {
			struct buf b = BUF_INIT;
			buf_puts(&b, "keep");
			CHECK(sanitize_html(bad[i].s, bad[i].n, flags, &b) == Q_EINVAL);
			CHECK_STR(buf_cstr(&b), "keep");
			buf_free(&b);
		}
	}
	/* Appends rather than replaces. */
	struct buf b = BUF_INIT;
	buf_puts(&b, "pre:");
	CHECK(sanitize_html("<b>x</b>", 8, 0, &b) == 0);
	CHECK_STR(buf_cstr(&b), "pre:<b>x</b>");
	buf_free(&b);
}

static void test_idempotent_on_realistic_input(void)
{
	const char *docs[] = {
		"Chapter 1\n\nIt was a dark and stormy night.\nThe rain fell.\n\n<i>Meanwhile</i>, elsewhere&hellip;",
		"<p>Para one</p><p>Para <b>two</b></p><blockquote>quote\n\nmore</blockquote>",
		"<div class=\"note\"><p>a</p>text after</div>\n\n<hr>\n<center>***</center>",
		"<table>\n<tr>\n<td>1</td>\n<td>2\n\n3</td>\n</tr>\n</table>",
		"<ul>\n  <li>one\n  <li>two\n    <ul><li>nested</ul>\n</ul>",
		"<p>x<br><br>y</p>\n<p>  spaced  </p>",
		"<pre>\ncode\n  indented\n</pre>\ntext",
		"<details><summary>Spoiler</summary>\nhidden\n\ntext\n</details>",
		"line\n\n\n<h2>Head</h2>\nbody <a href=\"https://x.org/\">link</a>\n",
		"<figure><img src=\"https://x.org/a.png\" alt=\"a\"><figcaption>cap</figcaption></figure>",
		"a\n<div>b</div>\nc\n\nd",
		"<span>a\n\nb</span>",
		"&nbsp;\n\n&nbsp;",
		"<p>\n\n</p><p></p>x",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		CHECK(stable(docs[i], strlen(docs[i]), 0));
		CHECK(stable(docs[i], strlen(docs[i]), SANITIZE_PARAGRAPHS));
	}
}

/* Blank lines in a text use up the room kept for the inline elements after it (found by the fuzzer: a heap
 * overflow under ASan); every paragraph and element still comes out. */
static void test_paragraphs_many_breaks_then_inline(void)
{
	struct buf in = BUF_INIT;
	/* 41 blank lines leave 3 of the 86 places kept for one text and 40 elements. */
	for (int i = 0; i < 41; i++)
		buf_printf(&in, "line %d\n\n", i);
	for (int i = 0; i < 40; i++)
		buf_printf(&in, "<i>%d</i>", i);
	const char *r = P(buf_cstr(&in));
	CHECK(last_rc == 0);
	CHECK(strstr(r, "<p>line 0</p>") && strstr(r, "<p>line 40</p>"));
	CHECK(strstr(r, "<i>0</i>") && strstr(r, "<i>39</i></p>"));
	buf_free(&in);
}

/* A paragraph break inside inline elements opens them again in the next paragraph; a long attribute or a deep
 * stack of them must not turn a short input into a huge output (each break would copy them): the output
 * stays within a small multiple of the input, and is stable. */
static void test_paragraphs_do_not_amplify(void)
{
	const char *shapes[] = {"a\n\n", "a<p>b</p>", "a<br><br>", "x\n\n\n"};
	for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
		struct buf in = BUF_INIT;
		buf_puts(&in, "<span title=\"");
		for (int i = 0; i < 20000; i++)
			buf_putc(&in, 'x');
		buf_puts(&in, "\"><em title=\"y\">");
		for (int i = 0; i < 5000; i++)
			buf_puts(&in, shapes[k]);
		buf_puts(&in, "end</em></span>");
		/* Unbounded, 5,000 copies of the 20 KB tag: 100 MB. Kept small enough that the second pass of
		 * stable() parses well inside the time budget even under ASan. */
		const char *o = P(in.data);
		CHECK(last_rc == 0);
		if (strlen(o) > 6 * in.len + 65536)
			fprintf(stderr, "shape %zu: %zu bytes in, %zu out\n", k, in.len, strlen(o));
		CHECK(strlen(o) <= 6 * in.len + 65536);
		CHECK(strstr(o, "end") != NULL); /* (not printed on failure: it is long) */
		CHECK(stable(in.data, in.len, SANITIZE_PARAGRAPHS));
		buf_free(&in);
	}
	/* Ordinary nesting still carries its formatting into every paragraph. */
	CHECK_STR(P("<b title=\"t\"><i>one\n\ntwo\n\nthree</i></b>"),
		  "<p><b title=\"t\"><i>one</i></b></p>\n<p><b title=\"t\"><i>two</i></b></p>\n<p><b title=\"t\"><i>three</i></b></p>");
}

int main(void)
{
	test_checker_catches_unsafe_markup();
	test_xss_vectors();
	test_xss_vectors_comment_fields();
	test_vectors_exact();
	test_allowed_markup_survives();
	test_attributes();
	test_urls();
	test_text_escaping();
	test_dropped_and_unwrapped();
	test_structure_is_stable();
	test_paragraphs();
	test_paragraphs_many_breaks_then_inline();
	test_paragraphs_do_not_amplify();
	test_chapter_text_byte_for_byte();
	test_deep_nesting();
	test_parse_budget();
	test_invalid_utf8();
	test_idempotent_on_realistic_input();
	buf_free(&out);
	return CHECK_DONE();
}
