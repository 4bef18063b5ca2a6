/* AO3 compatibility: the behaviour otwarchive's own tests pin down (spec/lib/html_cleaner_spec.rb,
 * paragraph_maker_spec.rb, otw_sanitize/media_sanitizer_spec.rb, features/other_b/sanitizer.feature,
 * features/other_a/parser.feature), restated case by case against Quire's sanitizer. Where Quire differs on
 * purpose the test says so and README's "Story HTML" table gives the reason. */
#include "html/format.h"
#include "html/media_hosts.h"
#include "html/sanitize.h"
#include "check.h"
#include "core/err.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The fields, as the archive renders them (archive/work.h). */
#define CONTENT (SANITIZE_PARAGRAPHS | SANITIZE_CLASS | SANITIZE_MEDIA) /* chapter text */
#define NOTES (SANITIZE_PARAGRAPHS | SANITIZE_CLASS)                    /* notes, end notes */
#define PLAIN (SANITIZE_PARAGRAPHS)                                     /* summaries, comments, bookmark notes */

static struct buf out;

static bool stable(const char *in, unsigned flags);

/* The field's sanitized HTML; every case also checks that sanitizing it again changes nothing (what is
 * stored is sanitized again when the rules change, and must come back the same). */
static const char *S(const char *in, unsigned flags)
{
	buf_reset(&out);
	int rc = sanitize_html(in, strlen(in), flags, &out);
	CHECK(rc == 0);
	CHECK(stable(in, flags));
	return buf_cstr(&out);
}

/* AO3's add_paragraphs_to_text: the paragraph inference alone. */
static const char *para(const char *in)
{
	return S(in, CONTENT);
}

static bool stable(const char *in, unsigned flags)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	sanitize_html(in, strlen(in), flags, &a);
	sanitize_html(buf_cstr(&a), a.len, flags, &b);
	bool ok = !strcmp(buf_cstr(&a), buf_cstr(&b));
	if (!ok)
		fprintf(stderr, "not idempotent:\n  in:    %s\n  once:  %s\n  twice: %s\n", in, buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	return ok;
}

/* ---- a small DOM query over our output, in the spirit of the XPath the AO3 specs use ---- */

static GumboOutput *parse(const char *html)
{
	GumboOptions opt = kGumboDefaultOptions;
	opt.fragment_context = GUMBO_TAG_DIV;
	return gumbo_parse_with_options(&opt, html, strlen(html));
}

static void release(GumboOutput *g)
{
	GumboOptions opt = kGumboDefaultOptions;
	opt.fragment_context = GUMBO_TAG_DIV;
	gumbo_destroy_output(&opt, g);
}

static int count_in(const GumboNode *n, const char *tag)
{
	if (n->type != GUMBO_NODE_ELEMENT)
		return 0;
	int c = 0;
	for (unsigned i = 0; i < n->v.element.children.length; i++) {
		const GumboNode *k = n->v.element.children.data[i];
		if (k->type == GUMBO_NODE_ELEMENT && !strcmp(gumbo_normalized_tagname(k->v.element.tag), tag))
			c++;
		c += count_in(k, tag);
	}
	return c;
}

/* ".//tag": elements named tag anywhere. */
static int count(const char *html, const char *tag)
{
	GumboOutput *g = parse(html);
	int c = count_in(g->root, tag);
	release(g);
	return c;
}

/* The element at path ("p[2]/em", "div/p[1]": steps from the top level, [n] counting 1 up among same-named
 * siblings) or NULL. */
static const GumboNode *find(const GumboNode *n, const char *path)
{
	while (*path) {
		size_t len = strcspn(path, "[/");
		int want = 1;
		const char *p = path + len;
		if (*p == '[') {
			want = atoi(p + 1);
			p = strchr(p, ']') + 1;
		}
		const GumboNode *hit = NULL;
		int seen = 0;
		for (unsigned i = 0; n && i < n->v.element.children.length && !hit; i++) {
			const GumboNode *k = n->v.element.children.data[i];
			const char *name = k->type == GUMBO_NODE_ELEMENT ? gumbo_normalized_tagname(k->v.element.tag) : "";
			if (strlen(name) == len && !strncmp(name, path, len) && ++seen == want)
				hit = k;
		}
		if (!hit)
			return NULL;
		n = hit;
		path = *p == '/' ? p + 1 : p;
	}
	return n;
}

static char inner_buf[4096];

/* AO3's children.to_s.strip: the inner HTML of the element at path, trimmed ("(none)" if there is none). */
static const char *inner(const char *html, const char *path)
{
	GumboOutput *g = parse(html);
	const GumboNode *n = find(g->root, path);
	if (!n) {
		release(g);
		return "(none)";
	}
	const GumboElement *e = &n->v.element;
	size_t a = e->start_pos.offset + e->original_tag.length, b = e->end_pos.offset;
	while (a < b && isspace((unsigned char)html[a]))
		a++;
	while (b > a && isspace((unsigned char)html[b - 1]))
		b--;
	snprintf(inner_buf, sizeof inner_buf, "%.*s", (int)(b - a), html + a);
	release(g);
	return inner_buf;
}

static const char *attr(const char *html, const char *path, const char *name)
{
	GumboOutput *g = parse(html);
	const GumboNode *n = find(g->root, path);
	const GumboAttribute *at = n ? gumbo_get_attribute(&n->v.element.attributes, name) : NULL;
	snprintf(inner_buf, sizeof inner_buf, "%s", at ? at->value : "(none)");
	release(g);
	return inner_buf;
}

static bool has(const char *html, const char *path)
{
	GumboOutput *g = parse(html);
	bool found = find(g->root, path) != NULL;
	release(g);
	return found;
}

#define CHECK_NOT_CONTAINS_CI(hay, needle) CHECK(!strcasestr((hay), (needle)))

/* ---- html_cleaner_spec: sanitize_value, embeds ---- */

static const char *const ao3_embed_hosts[] = {
	"youtube.com", "youtube-nocookie.com", "vimeo.com", "player.vimeo.com", "vidders.net", "criticalcommons.org",
	"google.com", "archiveofourown.org", "podfic.com", "archive.org", "open.spotify.com", "spotify.com",
	"8tracks.com", "w.soundcloud.com", "soundcloud.com", "viddertube.com",
};

static void test_keeps_embeds_from_ao3_hosts(void)
{
	char in[256], want[256];
	for (size_t i = 0; i < sizeof ao3_embed_hosts / sizeof *ao3_embed_hosts; i++) {
		const char *h = ao3_embed_hosts[i];
		bool http = !strcmp(h, "criticalcommons.org"); /* AO3 does not upgrade this one */
		/* Scheme-relative, as AO3's case writes it: Quire always writes the scheme (https). */
		snprintf(in, sizeof in, "<iframe width=\"560\" height=\"315\" src=\"//%s/embed/123\" frameborder=\"0\"></iframe>", h);
		const char *o = S(in, CONTENT);
		snprintf(want, sizeof want, "<iframe src=\"https://%s/embed/123\" width=\"560\" height=\"315\" frameborder=\"0\"", h);
		CHECK_CONTAINS(o, want);
		CHECK(stable(in, CONTENT));
		/* "converts src to https" (and "doesn't convert src to https" for criticalcommons.org) */
		snprintf(in, sizeof in, "<iframe width=\"560\" height=\"315\" src=\"http://%s/embed/123\" frameborder=\"0\"></iframe>", h);
		o = S(in, CONTENT);
		snprintf(want, sizeof want, " src=\"%s://%s/embed/123\"", http ? "http" : "https", h);
		CHECK_CONTAINS(o, want);
		/* www. is the same host (Quire: for two-label domains, which the CSP names with their www.) */
		if (strchr(strchr(h, '.') + 1, '.'))
			continue;
		snprintf(in, sizeof in, "<iframe src=\"https://www.%s/embed/123\"></iframe>", h);
		snprintf(want, sizeof want, " src=\"https://www.%s/embed/123\"", h);
		CHECK_CONTAINS(S(in, CONTENT), want);
	}
}

static void test_embed_attributes(void)
{
	const char *o = S("<iframe src=\"https://www.youtube.com/embed/xyz\" width=\"560\" height=\"315\" "
	                  "allowfullscreen autoplay onload=\"alert(1)\" srcdoc=\"<b>x</b>\" style=\"x\" name=\"n\" "
	                  "allow=\"camera; autoplay\" sandbox=\"allow-top-navigation\"></iframe>", CONTENT);
	CHECK_STR(o, "<iframe src=\"https://www.youtube.com/embed/xyz\" width=\"560\" height=\"315\" title=\"Embedded media\" "
	             "sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox "
	             "allow-presentation\" allow=\"encrypted-media; fullscreen; picture-in-picture\" "
	             "referrerpolicy=\"strict-origin-when-cross-origin\" loading=\"lazy\"></iframe>");
	/* The writer's title names the player; class where the field allows it. */
	o = S("<iframe class=\"vid\" title=\"Fanvid: Kinetic\" src=\"https://vimeo.com/1\"></iframe>", CONTENT);
	CHECK_CONTAINS(o, " title=\"Fanvid: Kinetic\" class=\"vid\" sandbox=");
	/* Nothing inside a frame is kept, not even another frame. */
	CHECK_STR(S("<iframe src=\"https://youtube.com/embed/1\"><iframe src=\"https://evil.example/\"></iframe>"
	            "<script>alert(1)</script></iframe>after", CONTENT),
		  "<iframe src=\"https://youtube.com/embed/1\" title=\"Embedded media\" sandbox=\"allow-scripts allow-same-origin "
		  "allow-popups allow-popups-to-escape-sandbox allow-presentation\" allow=\"encrypted-media; fullscreen; "
		  "picture-in-picture\" referrerpolicy=\"strict-origin-when-cross-origin\" loading=\"lazy\"></iframe>\n"
		  "<p>after</p>");
}

static void test_strips_unknown_and_hostile_embeds(void)
{
	/* "strips embeds with unknown source", "should not allow iframes with unknown source" */
	CHECK_STR(S("<embed src=\"http://www.evil.org\"></embed>", CONTENT), "");
	CHECK_STR(S("<iframe src=\"http://www.evil.org\"></iframe>", CONTENT), "");
	/* "strips archive.org iframe if the src is not the embed directory" */
	CHECK_STR(S("<iframe src=\"http://archive.org/embed/../123/wrong/456.html\"></iframe>", CONTENT), "");
	CHECK_STR(S("<iframe src=\"https://archive.org/details/x\"></iframe>", CONTENT), "");
	CHECK_CONTAINS(S("<iframe src=\"https://archive.org/embed/x\"></iframe>", CONTENT), "src=\"https://archive.org/embed/x\"");
	/* "should strip iframe tags" */
	const char *o = S("<iframe src=http://ha.ckers.org/scriptlet.html <", CONTENT);
	CHECK_NOT_CONTAINS_CI(o, "iframe");
	CHECK_NOT_CONTAINS_CI(o, "ha.ckers.org");
	/* Hostile sources, hosts that only look like allowed ones, attribute injection. */
	const char *bad[] = {
		"javascript:alert(1)", "JaVaScRiPt://youtube.com/embed/1", "data:text/html,<script>alert(1)</script>",
		"https://youtube.com.evil.example/embed/1", "https://evilyoutube.com/embed/1", "https://youtube.com@evil.example/",
		"https://evil.example/?https://youtube.com/", "https://m.youtube.com/embed/1", "https://youtube.com:8443/embed/1",
		"https://youtube.com\\@evil.example/", "https://[::1]/embed/1", "https://youtube.com/embed/%2e%2e/x",
		"https://archive.org/embed/%2E%2E/details", "https://archive.org/embed/..%2fdetails", "ftp://youtube.com/embed/1",
		"/embed/1", "youtube.com/embed/1", "https://youtube.com./embed/1", "https://xn--youtube.com/embed/1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char in[256];
		snprintf(in, sizeof in, "<iframe src=\"%s\"></iframe><audio src=\"%s\" controls></audio><video><source src=\"%s\"></video>", bad[i], bad[i], bad[i]);
		o = S(in, CONTENT);
		CHECK_NOT_CONTAINS(o, "<iframe");
		CHECK_NOT_CONTAINS(o, "<audio");
		CHECK_NOT_CONTAINS(o, "<source");
		CHECK_NOT_CONTAINS_CI(o, "javascript");
		CHECK_NOT_CONTAINS(o, "<script");
	}
	o = S("<iframe src=\"https://youtube.com/embed/1\" title='x\" onload=\"alert(1)'></iframe>", CONTENT);
	CHECK_CONTAINS(o, "title=\"x&quot; onload=&quot;alert(1)\"");
	CHECK_NOT_CONTAINS(o, "onload=\"");
	CHECK(stable("<iframe src=\"https://youtube.com/embed/1\" title='x\" onload=\"alert(1)'></iframe>", CONTENT));
}

/* "Strip out tags not allowed in text fields other than content" */
static void test_no_media_outside_chapter_text(void)
{
	const unsigned fields[] = {NOTES, PLAIN};
	for (size_t i = 0; i < 2; i++) {
		CHECK_STR(S("<iframe width=\"560\" height=\"315\" src=\"//youtube.com/embed/123\" frameborder=\"0\"></iframe>",
		            fields[i]), "");
		CHECK_STR(S("<video></video>", fields[i]), "");
		/* An audio element's fallback content is what is left of it. */
		CHECK_STR(S("<audio src=\"https://archive.org/embed/a.mp3\"><source src=\"https://archive.org/embed/b.mp3\">"
		            "Listen <a href=\"https://x.example/a.mp3\">here</a></audio>", fields[i]),
			  "<p>Listen <a href=\"https://x.example/a.mp3\" rel=\"nofollow\">here</a></p>");
	}
}

/* ---- media_sanitizer_spec, and the media tags html_cleaner_spec allows ---- */

static void test_audio_and_video(void)
{
	/* "adds video defaults", "adds audio defaults"; no autoplay, ever */
	const char *o = S("<video src=\"https://media.example/v.mp4\" autoplay width=\"250\"></video>", CONTENT);
	CHECK_STR(o, "<video src=\"https://media.example/v.mp4\" width=\"250\" controls=\"controls\" crossorigin=\"anonymous\" "
	             "playsinline=\"playsinline\" preload=\"metadata\"></video>");
	o = S("<audio src=\"http://media.example/podfic.mp3\" autoplay=\"autoplay\" preload=\"auto\"></audio>", CONTENT);
	CHECK_STR(o, "<audio src=\"https://media.example/podfic.mp3\" controls=\"controls\" crossorigin=\"anonymous\" "
	             "preload=\"metadata\"></audio>");
	/* "allows audio tags": a source, and fallback HTML that is kept */
	const char *podfic = "<audio controls=\"controls\" crossorigin=\"anonymous\" preload=\"metadata\" loop=\"loop\">\n"
	                     "<source src=\"http://media.example/podfic.mp3\" type=\"audio/mpeg\">\n"
	                     "<p>Maybe you want to <a href=\"http://media.example/podfic.mp3\">download this podfic instead</a>?</p>\n"
	                     "</audio>";
	o = S(podfic, CONTENT);
	CHECK_STR(o, "<audio controls=\"controls\" crossorigin=\"anonymous\" preload=\"metadata\" loop=\"loop\">\n"
	             "<source src=\"https://media.example/podfic.mp3\" type=\"audio/mpeg\" />\n"
	             "<p>Maybe you want to <a href=\"http://media.example/podfic.mp3\" rel=\"nofollow\">download this podfic "
	             "instead</a>?</p>\n</audio>");
	CHECK(stable(podfic, CONTENT));
	/* "allows video tags" with tracks; "fills in values for whitelisted boolean attributes" */
	const char *vid = "<video controls muted loop width=\"250\" playsinline crossorigin preload=\"none\">\n"
	                  "<source src=\"https://media.example/flower.webm\" type=\"video/webm\">\n"
	                  "<track kind=\"subtitles\" src=\"http://media.example/english.vtt\" srclang=\"en\">\n"
	                  "<track kind=\"subtitles\" src=\"http://media.example/japanese.vtt\" srclang=\"ja\" default>\n"
	                  "</video>";
	o = S(vid, CONTENT);
	CHECK_CONTAINS(o, "<video width=\"250\" controls=\"controls\" crossorigin=\"anonymous\" playsinline=\"playsinline\" "
	                  "preload=\"metadata\" loop=\"loop\" muted=\"muted\">");
	CHECK_CONTAINS(o, "<track src=\"https://media.example/japanese.vtt\" kind=\"subtitles\" srclang=\"ja\" default=\"default\" />");
	CHECK_CONTAINS(o, "<source src=\"https://media.example/flower.webm\" type=\"video/webm\" />");
	CHECK(stable(vid, CONTENT));
	/* "does not remove internal html" */
	o = S("<video src=\"https://media.example/v.mp4\">\n<p>Follow <a href='/xyz'>my link</a></p>\n</video>", CONTENT);
	CHECK_CONTAINS(o, "<p>Follow <a href=\"/xyz\" rel=\"nofollow\">my link</a></p>");
	/* "removes unwhitelisted attributes", "removes javascript from poster attribute" */
	o = S("<video><source src=\"https://media.example/v.mp4\" onerror='alert(1)'></video>", CONTENT);
	CHECK_CONTAINS(o, "<source src=\"https://media.example/v.mp4\" />");
	CHECK_NOT_CONTAINS(o, "onerror");
	o = S("<video poster=javascript:alert(1) src=\"https://media.example/v.mp4\"></video>", CONTENT);
	CHECK_NOT_CONTAINS(o, "poster");
	CHECK_NOT_CONTAINS(o, "javascript");
	CHECK_CONTAINS(S("<video poster=\"https://img.example/p.jpg\" src=\"https://media.example/v.mp4\"></video>", CONTENT),
		       " poster=\"https://img.example/p.jpg\"");
	/* "leaves audio tags alone", "leaves video tags alone": no paragraphs or breaks inside a player */
	o = S("<audio src=\"https://media.example/a.mp3\"><source src=\"https://media.example/b.mp3\">\n</audio>", CONTENT);
	CHECK_NOT_CONTAINS(o, "<p>");
	CHECK_NOT_CONTAINS(o, "<br");
	o = S("<video src=\"https://media.example/a.mp4\"><track src=\"https://media.example/t.vtt\">\n</video>", CONTENT);
	CHECK_NOT_CONTAINS(o, "<p>");
	CHECK_NOT_CONTAINS(o, "<br");
}

/* AO3 keeps audio and video from any host but a short banned list; Quire's Content-Security-Policy only lets
 * the page play media from the media hosts, so a source elsewhere becomes a link to it (README). */
static void test_media_off_the_list_becomes_a_link(void)
{
	const char *o = S("<audio src=\"http://elsewhere.example/podfic.mp3\" controls></audio>", CONTENT);
	CHECK_STR(o, "<p><a href=\"http://elsewhere.example/podfic.mp3\" rel=\"nofollow\">[Audio: "
	             "http://elsewhere.example/podfic.mp3]</a></p>");
	CHECK(stable("<audio src=\"http://elsewhere.example/podfic.mp3\" controls></audio>", CONTENT));
	/* An allowed source plays; the refused one is left as a link in the fallback content. */
	o = S("<video><source src=\"https://elsewhere.example/v.webm\"><source src=\"https://media.example/v.mp4\"></video>", CONTENT);
	CHECK_CONTAINS(o, "<source src=\"https://media.example/v.mp4\" />");
	CHECK_CONTAINS(o, "<a href=\"https://elsewhere.example/v.webm\" rel=\"nofollow\">[Video: https://elsewhere.example/v.webm]</a>");
	CHECK_NOT_CONTAINS(o, "<source src=\"https://elsewhere");
	/* Without anything to play, the player goes and what was inside it stays. */
	o = S("<audio><source src=\"https://elsewhere.example/a.mp3\">Your browser <b>can't</b> play this.</audio>", CONTENT);
	CHECK_STR(o, "<p><a href=\"https://elsewhere.example/a.mp3\" rel=\"nofollow\">[Audio: https://elsewhere.example/a.mp3]</a>"
	             "Your browser <b>can't</b> play this.</p>");
	/* No link inside a link, no player inside a link or a player. */
	o = S("<a href=\"/x\"><audio src=\"https://elsewhere.example/a.mp3\"></audio></a>", CONTENT);
	CHECK(count(o, "a") == 1);
	CHECK_NOT_CONTAINS(o, "<audio");
	o = S("<audio src=\"https://media.example/a.mp3\"><video src=\"https://media.example/v.mp4\"></video>"
	      "<iframe src=\"https://youtube.com/embed/1\"></iframe></audio>", CONTENT);
	CHECK(count(o, "audio") == 1 && count(o, "video") == 0 && count(o, "iframe") == 0);
	CHECK_STR(S("<source src=\"https://media.example/a.mp3\"><track src=\"https://media.example/t.vtt\">x", CONTENT), "<p>x</p>");
}

/* ---- html_cleaner_spec: class per field ---- */

static void test_class_attribute(void)
{
	/* FIELDS_ALLOWING_CSS: chapter text, notes, end notes */
	const unsigned css[] = {CONTENT, NOTES};
	for (size_t i = 0; i < 2; i++) {
		const char *o = S("<p class=\"f-5\">foobar</p>", css[i]);
		CHECK_STR(attr(o, "p", "class"), "f-5");
		CHECK_STR(inner(o, "p"), "foobar");
		CHECK_NOT_CONTAINS(S("<p class=\"8ball\">foobar</p>", css[i]), "8ball");
		CHECK_NOT_CONTAINS(S("<p class=\"-dash\">foobar</p>", css[i]), "-dash");
		CHECK_NOT_CONTAINS(S("<p class=\"foo@bar\">foobar</p>", css[i]), "foo@bar");
		CHECK_STR(attr(S("<p class=\"foo bar\">foobar</p>", css[i]), "p", "class"), "foo bar");
		o = S("<p class=\"magic 8ball\">foobar</p>", css[i]);
		CHECK_NOT_CONTAINS(o, "8ball");
		CHECK_CONTAINS(o, "magic");
		o = S("<p class=\"rainbow -dash\">foobar</p>", css[i]);
		CHECK_NOT_CONTAINS(o, "-dash");
		CHECK_CONTAINS(o, "rainbow");
	}
	/* comment_content, bookmarker_notes, summary: "strips attribute even if value is valid" */
	const char *o = S("<p class=\"f-5\">foobar</p>", PLAIN);
	CHECK_NOT_CONTAINS(o, "f-5");
	CHECK_NOT_CONTAINS(o, "class");
	/* parser.feature: summaries lose classes, notes and chapter text keep them, comments lose them */
	CHECK_NOT_CONTAINS(S("<p class='myclass'>Text</p>", PLAIN), "myclass");
	CHECK_CONTAINS(S("<p class='note'>Text</p>", NOTES), "class=\"note\"");
	CHECK_CONTAINS(S("<span class='keep-me'>Text</span>", NOTES), "class=\"keep-me\"");
	CHECK_CONTAINS(S("<div class='elaborate formatting'><p>The continuation</p></div>", CONTENT),
		       "<div class=\"elaborate formatting\">");
	CHECK_NOT_CONTAINS(S("<p class='strip me'>Hi there!</p>", PLAIN), "strip me");
}

/* ---- html_cleaner_spec: sanitize_value on every HTML field ---- */

static void test_sanitize_value_common(void)
{
	const unsigned fields[] = {CONTENT, NOTES, PLAIN};
	for (size_t f = 0; f < 3; f++) {
		unsigned fl = fields[f];
		/* "should keep html" */
		const char *o = S("<em>hello</em> <blockquote>world</blockquote>", fl);
		CHECK_STR(inner(o, "p/em"), "hello");
		CHECK_STR(inner(o, "blockquote"), "<p>world</p>");
		/* "should keep valid unicode chars as is" */
		CHECK_CONTAINS(S("\xe2\x80\x9e\xe2\x80\x9anörmäl\xe2\x80\x99\xe2\x80\x94téxt\xe2\x80\x98\xe2\x80\x9c", fl),
			       "\xe2\x80\x9e\xe2\x80\x9anörmäl\xe2\x80\x99\xe2\x80\x94téxt\xe2\x80\x98\xe2\x80\x9c");
		/* "should allow RTL content in p" (exactly), "in div" */
		CHECK_STR(S("<p dir=\"rtl\">This is RTL content</p>", fl), "<p dir=\"rtl\">This is RTL content</p>");
		CHECK_STR(S("<div dir=\"rtl\"><p>This is RTL content</p></div>", fl), "<div dir=\"rtl\"><p>This is RTL content</p></div>");
		/* "should strip xss tags" */
		CHECK_NOT_CONTAINS_CI(S("'';!--\"<XSS>=&{()}", fl), "xss");
		CHECK_NOT_CONTAINS_CI(S("<XSS STYLE=\"behavior: url(xss.htc);\">", fl), "xss");
		const char *scripts[] = {
			"<SCRIPT SRC=http://ha.ckers.org/xss.js></SCRIPT>", "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
			"<SCRIPT SRC=http://ha.ckers.org/xss.js?<B>", "<SCRIPT SRC=//ha.ckers.org/.j>",
			"<SCRIPT>alert(/XSS/.source)</SCRIPT>", "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
			"<SCRIPT SRC=\"http://ha.ckers.org/xss.jpg\"></SCRIPT>",
			"<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
			"<SCRIPT/XSS SRC=\"http://ha.ckers.org/xss.js\"></SCRIPT>", "<SCRIPT/SRC=\"http://ha.ckers.org/xss.js\"></SCRIPT>",
			"';alert(String.fromCharCode(88,83,83))//\\';alert(String.fromCharCode(88,83,83))//\";alert(String.fromCharCode("
			"88,83,83))//\\\";alert(String.fromCharCode(88,83,83))//--></SCRIPT>\">'><SCRIPT>alert(String.fromCharCode(88,83,83))</SCRIPT>",
		};
		for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++) {
			o = S(scripts[i], fl);
			CHECK_NOT_CONTAINS_CI(o, "script");
			CHECK_NOT_CONTAINS(o, "ha.ckers.org");
		}
		/* "should keep text" */
		CHECK_CONTAINS(S("\\\";alert('XSS');//", fl), "alert('XSS')");
		CHECK_CONTAINS(S("xss:expr/*blah*/ession(alert('XSS'))", fl), "alert('XSS')");
		CHECK_CONTAINS(S("xss:expression(alert('XSS'))", fl), "alert('XSS')");
		/* "should strip javascript in img src attribute" */
		const char *imgs[] = {
			"<IMG SRC=\"javascript:alert('XSS');\">", "<IMG SRC=JaVaScRiPt:alert('XSS')>",
			"<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
			"<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
			"<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
			"<IMG SRC=\" &#14;  javascript:alert('XSS');\">", "<IMG SRC=\"javascript:alert('XSS')\"",
			"<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">", "<IMG SRC=\"jav\tascript:alert('XSS');\">",
			"<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">", "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
			"<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">", "<IMG DYNSRC=\"javascript:alert('XSS')\">",
			"<IMG LOWSRC=\"javascript:alert('XSS')\">", "<BGSOUND SRC=\"javascript:alert('XSS');\">",
			"<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">", "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
			"<span style=background-image:url(\"javascript:alert('XSS')\");>Text</span>",
		};
		for (size_t i = 0; i < sizeof imgs / sizeof *imgs; i++) {
			o = S(imgs[i], fl);
			CHECK_NOT_CONTAINS_CI(o, "javascript");
			CHECK_NOT_CONTAINS_CI(o, "xss");
		}
		/* "should strip xss in meta tags" */
		const char *metas[] = {
			"<META HTTP-EQUIV=\"Link\" Content=\"<http://ha.ckers.org/xss.css>; REL=stylesheet\">",
			"<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
			"<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
			"<META HTTP-EQUIV=\"refresh\" CONTENT=\"0; URL=http://;URL=javascript:alert('XSS');\">",
			"<META HTTP-EQUIV=\"Set-Cookie\" Content=\"USERID=&lt;SCRIPT&gt;alert('XSS')&lt;/SCRIPT&gt;\">",
			"<LINK REL=\"stylesheet\" HREF=\"http://ha.ckers.org/xss.css\">",
			"<BODY ONLOAD=alert('XSS')>", "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
			"<BR SIZE=\"&{alert('XSS')}\">",
		};
		for (size_t i = 0; i < sizeof metas / sizeof *metas; i++) {
			o = S(metas[i], fl);
			CHECK_NOT_CONTAINS_CI(o, "javascript");
			CHECK_NOT_CONTAINS_CI(o, "xss");
			CHECK_NOT_CONTAINS_CI(o, "onload");
		}
		/* "should strip style tag", "should handle lone @imports", "should handle lone borked @imports" */
		CHECK_NOT_CONTAINS_CI(S("<STYLE>@import'http://ha.ckers.org/xss.css';</STYLE>", fl), "style");
		o = S("@import'http://ha.ckers.org/xss.css';", fl);
		CHECK_NOT_CONTAINS_CI(o, "style");
		CHECK_CONTAINS(o, "@import");
		CHECK_CONTAINS(S("@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';", fl), "@im\\port");
		/* "should strip namespace tags" */
		o = S("<HTML xmlns:xss><?import namespace=\"xss\" implementation=\"http://ha.ckers.org/xss.htc\"><xss:xss>Blah</xss:xss></HTML>", fl);
		CHECK_NOT_CONTAINS_CI(o, "xss");
		CHECK_CONTAINS(o, "Blah");
		/* "should strip #exec" */
		CHECK_STR(S("<!--#exec cmd=\"/bin/echo '<SCR'\"-->", fl), "");
		CHECK_STR(S("<!--#exec cmd=\"/bin/echo 'IPT SRC=http://ha.ckers.org/xss.js></SCRIPT>'\"-->", fl), "");
		/* "should escape ampersands" */
		CHECK_CONTAINS(S("& &amp;", fl), "&amp; &amp;");
		/* "add rel=nofollow to all links" */
		CHECK_STR(S("<a href='foo'>Foo</a>", fl), "<p><a href=\"foo\" rel=\"nofollow\">Foo</a></p>");
		CHECK_STR(S("<a href='foo' rel='help'>Foo</a>", fl), "<p><a href=\"foo\" rel=\"nofollow\">Foo</a></p>");
		/* removed math, plaintext, svg, xmp keep nothing; the foreign-content bypass */
		CHECK_STR(S("<math>hello! <script>alert(0)</script></math>", fl), "");
		CHECK_STR(S("<plaintext>hello! <script>alert(0)</script>", fl), "");
		CHECK_STR(S("<svg>hello! <script>alert(0)</script></svg>", fl), "");
		CHECK_STR(S("<xmp>hello! <script>alert(0)</script></xmp>", fl), "");
		const char *raw[] = {"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "xmp"};
		for (size_t i = 0; i < sizeof raw / sizeof *raw; i++) {
			char in[160];
			snprintf(in, sizeof in, "<math><%s>/*&lt;/%s&gt;&lt;img src onerror=alert(1)>*/", raw[i], raw[i]);
			CHECK_STR(S(in, fl), "");
			snprintf(in, sizeof in, "<svg><%s>/*&lt;/%s&gt;&lt;img src onerror=alert(1)>*/", raw[i], raw[i]);
			CHECK_STR(S(in, fl), "");
		}
		/* "preserves ruby-annotated HTML", with and without rp */
		CHECK_CONTAINS(S("<ruby>BigText<rp>(</rp><rt>small_text</rt><rp>)</rp></ruby>", fl),
			       "<ruby>BigText<rp>(</rp><rt>small_text</rt><rp>)</rp></ruby>");
		CHECK_CONTAINS(S("<ruby>BigText<rt>small_text</rt></ruby>", fl), "<ruby>BigText<rt>small_text</rt></ruby>");
		/* "transforms open attribute's value when present on details element", "does not require" it */
		const char *det = "<details open=\"false\">\n<summary>Automated Status: Operational</summary>\n"
		                  "<p>Velocity: 12m/s</p>\n<p>Direction: North</p>\n</details>";
		CHECK_STR(attr(S(det, fl), "details", "open"), "open");
		CHECK_STR(attr(S("<details><summary>s</summary><p>x</p></details>", fl), "details", "open"), "(none)");
	}
}

/* The allow-list per element: AO3's attributes. */
static void test_attributes_per_element(void)
{
	CHECK_STR(S("<hr width=\"50%\" align=\"center\" size=\"3\" noshade>", CONTENT), "<hr width=\"50%\" align=\"center\" />");
	CHECK_STR(S("<table><colgroup span=\"2\" width=\"40\"><col span=\"1\" width=\"20\"></colgroup><tr><td>x</td></tr></table>",
	            CONTENT),
		  "<table><colgroup span=\"2\" width=\"40\"><col span=\"1\" width=\"20\" /></colgroup><tbody><tr><td>x</td></tr></tbody></table>");
	CHECK_STR(S("<ul type=\"square\"><li>x</li></ul>", CONTENT), "<ul type=\"square\"><li>x</li></ul>");
	CHECK_STR(S("<ol type=\"i\" start=\"4\" reversed><li>x</li></ol>", CONTENT), "<ol start=\"4\" type=\"i\"><li>x</li></ol>");
	CHECK_STR(S("<blockquote cite=\"https://x.example/\">q</blockquote>", CONTENT),
		  "<blockquote cite=\"https://x.example/\"><p>q</p></blockquote>");
	CHECK_STR(S("<img src=\"https://x.example/a.png\" alt=\"a\" border=\"0\" height=\"2\" width=\"3\" align=\"left\" "
	            "style=\"x\" onerror=\"y\">", CONTENT),
		  "<p><img alt=\"a\" border=\"0\" height=\"2\" src=\"https://x.example/a.png\" width=\"3\" align=\"left\" /></p>");
	/* "should handle table tags that don't need closing" */
	const char *t = "\n<table>\n<colgroup align=\"left\"><col width=\"20\"></colgroup>\n<colgroup align=\"right\">\n"
	                "<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n<tr>\n<td>C</td>\n<td>D</td>\n</tr>\n</table>\n";
	const char *o = S(t, CONTENT);
	CHECK_STR(attr(o, "table/colgroup[1]", "align"), "left");
	CHECK_STR(attr(o, "table/colgroup[1]/col", "width"), "20");
	CHECK_STR(attr(o, "table/colgroup[2]", "align"), "right");
	CHECK_STR(inner(o, "table/tbody/tr[1]/th[2]"), "B");
	CHECK_STR(inner(o, "table/tbody/tr[2]/td[1]"), "C");
	CHECK(count(o, "br") == 0);
}

/* parser.feature: a relative image (<img src='britney.gif'>) is made absolute against the site's address,
 * as AO3 joins it with its APP_URL; links stay relative. */
static void test_relative_images_made_absolute(void)
{
	const char *o = S("<p class='size-10'><img src='britney.gif' alt='Britney Spears' />You better work</p>", CONTENT);
	CHECK_STR(o, "<p class=\"size-10\"><img alt=\"Britney Spears\" src=\"https://archive.example/fics/britney.gif\" />"
	             "You better work</p>");
	CHECK_CONTAINS(S("<img src=\"/images/a.png\">", CONTENT), "src=\"https://archive.example/images/a.png\"");
	CHECK_CONTAINS(S("<img src=\"../../up/a.png?x=1#f\">", CONTENT), "src=\"https://archive.example/up/a.png?x=1#f\"");
	CHECK_CONTAINS(S("<img src=\"./a/./b/../c.png\">", CONTENT), "src=\"https://archive.example/fics/a/c.png\"");
	CHECK_CONTAINS(S("<img src=\"//cdn.example/a.png\">", CONTENT), "src=\"https://cdn.example/a.png\"");
	CHECK_CONTAINS(S("<img src=\"http://x.example/a.png\">", CONTENT), "src=\"http://x.example/a.png\"");
	CHECK_NOT_CONTAINS(S("<img src=\"javascript:alert(1)\">", CONTENT), "src=");
	CHECK_NOT_CONTAINS(S("<img src=\"data:image/png;base64,AAAA\">", CONTENT), "src=");
	CHECK(stable("<img src='britney.gif'>", CONTENT));
	/* "doesn't break links with images inside them" */
	o = S("<a href='/users/name'><img src='/icon.png'>name</a>", CONTENT);
	CHECK(has(o, "p/a/img"));
	CHECK_STR(attr(o, "p/a", "href"), "/users/name");
	/* parser.feature: a chapter's relative link keeps its address, with rel="nofollow" */
	CHECK_CONTAINS(S("<div class='elaborate formatting'><p>The continuation of my <a href='works/123'>masterpiece</a></p></div>",
	                 CONTENT),
		       "<p>The continuation of my <a href=\"works/123\" rel=\"nofollow\">masterpiece</a></p>");
}

/* ---- fix_bad_characters ---- */

static void test_bad_characters(void)
{
	CHECK_STR(S("normal text", 0), "normal text");
	CHECK_STR(S("\xe2\x80\x9e\xe2\x80\x9anörmäl\xe2\x80\x99\xe2\x80\x94téxt\xe2\x80\x98\xe2\x80\x9c", 0),
		  "\xe2\x80\x9e\xe2\x80\x9anörmäl\xe2\x80\x99\xe2\x80\x94téxt\xe2\x80\x98\xe2\x80\x9c");
	CHECK_STR(S("normal <3 text", 0), "normal &lt;3 text");
	CHECK_STR(S("normal\r\ntext", 0), "normal\ntext");
	CHECK_STR(S("A____spacer____A", 0), "AA");
	CHECK_STR(S("<p title=\"x____spacer____y\">A____spacer____A</p>", CONTENT), "<p title=\"xy\">AA</p>");
	/* Gone for good, also one that forms once another is removed (AO3's single pass would leave it for the
	 * next save to find). */
	CHECK_STR(S("A____spa____spacer____cer____A", 0), "AA");
	CHECK_STR(S("A\xe2\x81\xa0" "A", 0), "AA");                   /* a word joiner, AO3's example */
	CHECK_STR(S("A\xef\xbb\xbf" "A\x0b" "A&#11;A\x7f" "A\xc2\x85" "A", 0), "AAAAAA"); /* BOM, VT, DEL, C1 */
	/* Quire keeps the format characters that text needs (README): joiners, bidi marks, soft hyphens. */
	CHECK_STR(S("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb m\xc3\xa9\xe2\x80\x8c\xe2\x80\x8fx\xc2\xad" "y", 0),
		  "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb m\xc3\xa9\xe2\x80\x8c\xe2\x80\x8fx\xc2\xad" "y");
	/* "should remove invalid unicode chars": Quire refuses the text instead (the form says so; nothing is
	 * silently lost). */
	struct buf b = BUF_INIT;
	CHECK(sanitize_html("A\x96" "A", 3, 0, &b) == Q_EINVAL);
	buf_free(&b);
}

/* ---- add_paragraphs_to_text (ParagraphMaker) ---- */

static void test_paragraphs_around_tags(void)
{
	/* "should not add extraneous paragraph breaks after a/abbr/acronym/address tags" */
	const char *tags[] = {"a", "abbr", "acronym", "address"};
	for (size_t i = 0; i < 4; i++) {
		char in[64];
		snprintf(in, sizeof in, "<%s>quack</%s> quack", tags[i], tags[i]);
		const char *o = para(in);
		CHECK(count(o, "p") == 1);
		CHECK(count(o, "br") == 0);
	}
	/* "should not convert linebreaks after p tags" */
	const char *o = para("<p>A</p>\n<p>B</p>\n\n<p>C</p>\n\n\n");
	CHECK(count(o, "p") == 3 && count(o, "br") == 0);
	/* "... after dl h1-h6 ol pre table ul tags": no paragraphs, no breaks */
	const char *blocks[] = {"dl", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "pre", "table", "ul"};
	for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
		char in[256];
		const char *t = blocks[i];
		/* (text directly in a table is moved before it by any HTML parser: give the table a cell) */
		const char *c = strcmp(t, "table") ? "" : "<tr><td>";
		snprintf(in, sizeof in, "<%s>%sA</%s>\n<%s>%sB</%s>\n\n<%s>%sC</%s>\n\n\n", t, c, t, t, c, t, t, c, t);
		o = para(in);
		CHECK(count(o, "p") == 0);
		CHECK(count(o, "br") == 0);
	}
	/* "... after blockquote center div tags": each one's text a paragraph */
	const char *boxes[] = {"blockquote", "center", "div"};
	for (size_t i = 0; i < 3; i++) {
		char in[160];
		const char *t = boxes[i];
		snprintf(in, sizeof in, "<%s>A</%s>\n<%s>B</%s>\n\n<%s>C</%s>\n\n\n", t, t, t, t, t, t);
		o = para(in);
		CHECK(count(o, "p") == 3);
		CHECK(count(o, "br") == 0);
	}
	/* "should not convert linebreaks after br tags", "... after hr tags" */
	o = para("A<br>B<br>\n\nC<br>\n\n\n");
	CHECK(count(o, "p") == 1 && count(o, "br") == 3);
	o = para("A<hr>B<hr>\n\nC<hr>\n\n\n");
	CHECK(count(o, "p") == 3 && count(o, "br") == 0);
	/* "does not wrap figure dl h1-h6 ol pre summary table ul in p tags" */
	const char *nowrap[] = {"figure", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "pre", "summary", "table", "ul"};
	for (size_t i = 0; i < sizeof nowrap / sizeof *nowrap; i++) {
		char in[128];
		snprintf(in, sizeof in, "aa <%s>foo</%s> bb", nowrap[i], nowrap[i]);
		o = para(in);
		CHECK(count(o, "p") == 2);
		if (strcmp(nowrap[i], "table")) /* text directly in a table goes nowhere a browser would keep it */
			CHECK_STR(inner(o, nowrap[i]), "foo");
	}
	/* "does not wrap details in p tags" */
	o = para("aa\n\n<details>\n  <summary>Automated Status: Operational</summary>\n  <p>Velocity: 12m/s</p>\n"
	         "  <p>Direction: North</p>\n</details>\n\nbb\n");
	CHECK(count(o, "p") == 4);
	CHECK(!has(o, "p/details"));
	CHECK(has(o, "details/p[2]") && !has(o, "details/p[3]"));
}

static void test_paragraphs_inside_structures(void)
{
	/* "should not convert linebreaks inside ol/ul lists", "inside tables", "inside definition lists" */
	const char *lists[] = {"ol", "ul"};
	for (size_t i = 0; i < 2; i++) {
		char in[160];
		snprintf(in, sizeof in, "\n<%s>\n  <li>A</li>\n  <li>B</li>\n</%s>\n", lists[i], lists[i]);
		const char *o = para(in);
		char path[16];
		snprintf(path, sizeof path, "%s/li[2]", lists[i]);
		CHECK_STR(inner(o, path), "B");
		CHECK(count(o, "br") == 0 && count(o, "p") == 0);
	}
	const char *o = para("\n<table>\n  <tr>\n    <th>A</th>\n    <th>B</th>\n  </tr>\n  <tr>\n    <td>C</td>\n"
	                     "    <td>D</td>\n  </tr>\n</table>\n");
	CHECK_STR(inner(o, "table/tbody/tr[1]/th[1]"), "A");
	CHECK_STR(inner(o, "table/tbody/tr[2]/td[2]"), "D");
	CHECK(count(o, "br") == 0);
	o = para("\n<dl>\n  <dt>A</dt>\n  <dd>aaa</dd>\n  <dt>B</dt>\n  <dd>bbb</dd>\n</dl>\n");
	CHECK_STR(inner(o, "dl/dd[2]"), "bbb");
	CHECK(count(o, "br") == 0);
	/* "does not add paragraphs inside summary", "... inside figure" */
	o = para("<details>\n  <summary>\n    Automated\n\n    Status: \n\n    Operational\n  </summary>\n"
	         "  <p>Velocity: 12m/s</p>\n</details>");
	CHECK(!has(o, "details/summary/p"));
	o = para("<figure>\n\n  <img src=\"http://example.com/Camera-icon.svg\" alt=\"camera icon\">\n\n"
	         "  <img src=\"http://example.com/Hand-icon.svg\" alt=\"hand icon\">\n\n</figure>\n");
	CHECK(!has(o, "figure/p"));
	/* "allows alt and title attributes on elements inside figure", "allows other HTML elements inside
	 * figcaption / summary" */
	o = para("<figure>\n  <img src=\"http://example.com/Camera-icon.svg\" alt=\"camera icon\">\n"
	         "  <figcaption title=\"here is title\">Take picture here</figcaption>\n</figure>\n");
	CHECK_STR(attr(o, "figure/img", "alt"), "camera icon");
	CHECK_STR(attr(o, "figure/figcaption", "title"), "here is title");
	o = para("<figure>\n  <img src=\"http://example.com/Camera-icon.svg\">\n  <figcaption><em>Take picture "
	         "<a href=\"http://example.com/link\">here</a></em></figcaption>\n</figure>\n");
	CHECK_STR(attr(o, "figure/figcaption/em/a", "href"), "http://example.com/link");
	o = para("<details>\n  <summary><em>Automated Status: <a href=\"http://example.com/link\">Operational</a></em></summary>\n"
	         "  <p>Velocity: 12m/s</p>\n</details>\n");
	CHECK_STR(inner(o, "details/summary/em/a"), "Operational");
	/* "should not wrap in p and not convert linebreaks inside address h1-h6 p pre tags" */
	const char *keep[] = {"address", "h1", "h2", "h3", "h4", "h5", "h6", "p", "pre"};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		char in[96];
		snprintf(in, sizeof in, "<%s>A\nB\n\nC\n\n\nD</%s>", keep[i], keep[i]);
		o = para(in);
		CHECK_STR(inner(o, keep[i]), "A\nB\n\nC\n\n\nD");
	}
	/* "should wrap in p and not convert linebreaks inside a abbr acronym tags" */
	const char *inl[] = {"a", "abbr", "acronym"};
	for (size_t i = 0; i < 3; i++) {
		char in[96], path[16];
		snprintf(in, sizeof in, "<%s>A\nB\n\nC\n\n\nD</%s>", inl[i], inl[i]);
		snprintf(path, sizeof path, "p/%s", inl[i]);
		CHECK_STR(inner(para(in), path), "A\nB\n\nC\n\n\nD");
	}
}

static void test_paragraphs_from_newlines_and_breaks(void)
{
	/* "should wrap plain text in p tags" */
	CHECK_STR(inner(para("some text"), "p[1]"), "some text");
	/* "converts single linebreaks to br and wrap with p" */
	CHECK_STR(para("some\ntext"), "<p>some<br />\ntext</p>");
	/* "converts double linebreaks to paragraph break" */
	CHECK_STR(para("some\n\ntext"), "<p>some</p>\n<p>text</p>");
	/* "should convert triple linebreaks into blank paragraph", "converts five linebreaks to blank paragraph" */
	CHECK_STR(para("some\n\n\ntext"), "<p>some</p>\n<p>&nbsp;</p>\n<p>text</p>");
	CHECK_STR(para("a paragraph\n\n\n\n\nanother paragraph"), "<p>a paragraph</p>\n<p>&nbsp;</p>\n<p>another paragraph</p>");
	/* White space around the newlines belongs to the break (a no-break space too, as in AO3's [[:space:]]). */
	CHECK_STR(para("some  \n \xc2\xa0\n  text"), "<p>some</p>\n<p>text</p>");
	/* "should convert double br tags into paragraph break", "triple br tags into blank paragraph" */
	CHECK_STR(para("some<br/><br/>text"), "<p>some</p>\n<p>text</p>");
	CHECK_STR(para("some<br/><br/><br/>text"), "<p>some</p>\n<p>&nbsp;</p>\n<p>text</p>");
	CHECK_STR(para("some<br/>\n <br/>\n<br>\n<br>text"), "<p>some</p>\n<p>&nbsp;</p>\n<p>text</p>");
	/* "should not convert double/triple br tags inside p tags" */
	const char *o = para("<p>some<br/>\n<br/>text</p>");
	CHECK(count(o, "p") == 1 && count(o, "br") == 2);
	o = para("<p>some<br/>\n<br/>\n<br/>text</p>");
	CHECK(count(o, "p") == 1 && count(o, "br") == 3);
	/* "should deal with br tags at the beginning" */
	CHECK_CONTAINS(inner(para("</br>text"), "p"), "text");
	/* "should wrap text in p before and after existing p tag" */
	o = para("boom\n\n<p>da</p>\n\nyadda");
	CHECK_STR(inner(o, "p[1]"), "boom");
	CHECK_STR(inner(o, "p[2]"), "da");
	CHECK_STR(inner(o, "p[3]"), "yadda");
	/* "should not add empty p tags" */
	o = para("A<p>B</p><p>C</p>");
	CHECK(count(o, "p") == 3);
	CHECK_STR(inner(o, "p[1]"), "A");
	/* "should handle &gt; &lt; &amp;", "doesn't unescape escaped text when processing newlines" */
	CHECK_STR(inner(para("&gt;"), "p"), "&gt;");
	CHECK_STR(inner(para("&lt;"), "p"), "&lt;");
	CHECK_STR(inner(para("&amp;"), "p"), "&amp;");
	o = para("&lt;span&gt;\n\n&lt;div&gt;");
	CHECK_STR(inner(o, "p[1]"), "&lt;span&gt;");
	CHECK_STR(inner(o, "p[2]"), "&lt;div&gt;");
}

static const char *const inline_tags[] = {
	"b", "big", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "q", "s", "samp", "small", "span", "strike",
	"strong", "sub", "sup", "tt", "u", "var",
};

static void test_paragraphs_and_inline_tags(void)
{
	for (size_t i = 0; i < sizeof inline_tags / sizeof *inline_tags; i++) {
		const char *t = inline_tags[i];
		char in[96], p1[16], p2[16];
		snprintf(p1, sizeof p1, "p[1]/%s", t);
		snprintf(p2, sizeof p2, "p[2]/%s", t);
		/* "should handle TAG inline tags spanning double line breaks" */
		snprintf(in, sizeof in, "<%s>some\n\ntext</%s>", t, t);
		const char *o = para(in);
		CHECK_STR(inner(o, p1), "some");
		CHECK_STR(inner(o, p2), "text");
		CHECK(stable(in, CONTENT));
		/* "handles TAG with an unclosed br tag in it" */
		snprintf(in, sizeof in, "<%s>some<br>text</%s>", t, t);
		CHECK_STR(inner(para(in), p1), "some<br />text");
		/* "should wrap consecutive TAG inline tags in one paragraph" */
		snprintf(in, sizeof in, "<%s>hey</%s> <%s>ho</%s>", t, t, t, t);
		o = para(in);
		CHECK(count(o, "p") == 1);
		char p12[16];
		snprintf(p12, sizeof p12, "p[1]/%s[2]", t);
		CHECK_STR(inner(o, p12), "ho");
		CHECK_CONTAINS(o, "</");
		CHECK_CONTAINS(o, "> <");
	}
	/* "should handle nested inline tags spanning double line breaks" */
	const char *o = para("<i>have <b>some\n\ntext</b> yay</i>");
	CHECK_STR(o, "<p><i>have <b>some</b></i></p>\n<p><i><b>text</b> yay</i></p>");
	o = para("have <em>some\n\ntext</em> yay");
	CHECK_STR(o, "<p>have <em>some</em></p>\n<p><em>text</em> yay</p>");
	/* "should keep attributes of block elements", "... of inline elements across paragraphs" */
	o = para("<div class='foo'>some\n\ntext</div>");
	CHECK_STR(o, "<div class=\"foo\"><p>some</p>\n<p>text</p></div>");
	o = para("<span class='foo'>some\n\ntext</span>");
	CHECK_STR(o, "<p><span class=\"foo\">some</span></p>\n<p><span class=\"foo\">text</span></p>");
	/* "should handle two classes" */
	CHECK_STR(attr(para("<p class=\"foo bar\">foobar</p>"), "p", "class"), "foo bar");
	/* "should close mismatched tags", "closes unclosed tag within other tag" */
	o = para("Here is an unclosed <em>em tag.\n\nHere is an unclosed <strong>strong tag.\n\nStuff.");
	CHECK_STR(inner(o, "p[1]/em"), "em tag.");
	CHECK_STR(inner(o, "p[2]/em/strong"), "strong tag.");
	CHECK_STR(inner(o, "p[3]/em/strong"), "Stuff."); /* gumbo keeps both open to the end (AO3's "real world use") */
	CHECK_STR(inner(para("<strong><em>unclosed</strong>"), "p/strong/em"), "unclosed");
	/* "closes unclosed rt tags", "closes unclosed rp tag" */
	CHECK_CONTAINS(para("<ruby>big text<rt>small text</ruby>"), "<ruby>big text<rt>small text</rt></ruby>");
	CHECK_CONTAINS(para("<ruby>big text<rp>(</rp><rt>small text</rt><rp>)</ruby>"),
		       "<ruby>big text<rp>(</rp><rt>small text</rt><rp>)</rp></ruby>");
	/* "wraps ruby-annotated text in p tags" */
	CHECK_STR(para("text with <ruby>\xe3\x83\xab\xe3\x83\x93<rp> (</rp><rt>RUBY</rt><rp>)</rp></ruby>"),
		  "<p>text with <ruby>\xe3\x83\xab\xe3\x83\x93<rp> (</rp><rt>RUBY</rt><rp>)</rp></ruby></p>");
	/* "should re-nest mis-nested tags", "should handle mixed uppercase/lowercase html tags" */
	CHECK_STR(inner(para("some <em><strong>text</em></strong>"), "p[1]/em/strong"), "text");
	o = para("<em>mixed</EM> <EM>stuff</em>");
	CHECK_STR(inner(o, "p[1]/em[1]"), "mixed");
	CHECK_STR(inner(o, "p[1]/em[2]"), "stuff");
	/* "should not leave p inside i": the paragraphs come out; Quire keeps the italics inside them (AO3
	 * drops them) */
	o = para("<i><p>foo</p><p>bar</p></i>");
	CHECK(!has(o, "i/p"));
	CHECK_STR(o, "<p><i>foo</i></p>\n<p><i>bar</i></p>");
	o = para("<b>a<div>b\n\nc</div>d</b>");
	CHECK_STR(o, "<p><b>a</b></p>\n<div><p>b</p>\n<p>c</p></div>\n<p><b>d</b></p>");
	/* "doesn't break when an attribute includes a single quote" */
	CHECK_STR(attr(para("<span title=\"Don't stop me now\">Cause I'm having a good time</span>\n"), "p/span", "title"),
		  "Don't stop me now");
	/* "should fail gracefully for missing starting quotation marks" */
	o = para("<strong><a href=ao3.org\">mylink</a></strong>");
	CHECK_STR(attr(o, "p/strong/a", "href"), "ao3.org\"");
	CHECK_STR(inner(o, "p/strong/a"), "mylink");
}

static void test_paragraphs_in_containers(void)
{
	const char *boxes[] = {"blockquote", "center", "div", "details"};
	for (size_t i = 0; i < 4; i++) {
		const char *t = boxes[i];
		char in[128], p1[24], p2[24];
		/* "should convert double linebreaks inside TAG tag" */
		snprintf(in, sizeof in, "<%s>some\n\ntext</%s>", t, t);
		snprintf(p1, sizeof p1, "%s/p[1]", t);
		snprintf(p2, sizeof p2, "%s/p[2]", t);
		const char *o = para(in);
		CHECK_STR(inner(o, p1), "some");
		CHECK_STR(inner(o, p2), "text");
		/* "doesn't insert extra <p></p> tags before the TAG tag" */
		snprintf(in, sizeof in, "<p>before</p><%s><p>during</p></%s>", t, t);
		o = para(in);
		CHECK(count(o, "p") == 2);
		CHECK_STR(inner(o, "p[1]"), "before");
		CHECK_STR(inner(o, p1), "during");
		/* "creates a paragraph for text immediately following the TAG tag" */
		snprintf(in, sizeof in, "<%s>during</%s>after", t, t);
		o = para(in);
		CHECK(count(o, "p") == 2);
		CHECK_STR(inner(o, p1), "during");
		CHECK_STR(inner(o, "p[1]"), "after");
	}
}

/* ---- sanitizer.feature and parser.feature ---- */

static void test_features(void)
{
	/* "Sanitizer should kick in" */
	const char *o = S("The quick brown fox jumps over the lazy dog.\n<!-- #exec cmd=\\\"/bin/echo \\\" -->\n"
	                  "<script src=http://ha.ckers.org/xss.js></script>\n", CONTENT);
	CHECK_STR(o, "<p>The quick brown fox jumps over the lazy dog.</p>");
	/* "Sanitizer should leave safe HTML alone" */
	o = S("1. Lorem ipsim\n\n2. <a href=\"https://en.wikipedia.org/wiki/The_quick_brown_fox_jumps_over_the_lazy_dog\">"
	      "<em>The quick brown fox jumps over the lazy dog</em></a>.\n", CONTENT);
	CHECK_STR(inner(o, "p[2]/a/em"), "The quick brown fox jumps over the lazy dog");
	CHECK_CONTAINS(o, "\"https://en.wikipedia.org/wiki/The_quick_brown_fox_jumps_over_the_lazy_dog\"");
	/* "XSS hacks in works should be blocked": text that only looks like CSS stays text */
	CHECK_CONTAINS(S("BODY{-moz-binding:url(\"http://ha.ckers.org/xssmoz.xml#xss\")}", CONTENT), "BODY{-moz-binding:url(");
	CHECK_CONTAINS(S("behavior: url(xss.htc);", CONTENT), "behavior: url(xss.htc);");
	/* parser.feature: "Editing a work and saving it without changes should preserve the same content" */
	o = S("This is paragraph 1.\n\nThis is paragraph 2.", CONTENT);
	CHECK_STR(o, "<p>This is paragraph 1.</p>\n<p>This is paragraph 2.</p>");
	CHECK(stable("This is paragraph 1.\n\nThis is paragraph 2.", CONTENT));
	CHECK_STR(S("A paragraph\n\nAnother paragraph.", CONTENT), "<p>A paragraph</p>\n<p>Another paragraph.</p>");
}

/* The story of the "Done when": three scene breaks (<hr width="50%">, blank paragraphs) and hard-
 * wrapped <p> source. AO3 leaves <p> and <hr> as written (its newlines show as spaces), so it renders 9
 * paragraphs (two of them the blank ones) and 3 rules; the same text typed with blank lines gives AO3's
 * empty paragraphs from its runs of newlines. */
static void test_story_with_scene_breaks(void)
{
	const char *story =
		"<p>It was late when the call came, and Olivia\nreached for the phone before the second ring.</p>\n"
		"<p>\"Benson,\" she said, and listened.</p>\n"
		"<p>&nbsp;</p>\n<hr width=\"50%\">\n<p>&nbsp;</p>\n"
		"<p>The precinct was quiet,\ntoo quiet for a Tuesday,\nand Elliot knew it.</p>\n"
		"<hr width=\"50%\" />\n"
		"<p>Morning came grey\nover the river.</p>\n"
		"<hr width=\"50%\">\n"
		"<p>She closed the file.</p>\n<p>The end.</p>\n";
	const char *o = S(story, CONTENT);
	CHECK(count(o, "p") == 8);
	CHECK(count(o, "hr") == 3);
	CHECK(count(o, "br") == 0);
	CHECK_CONTAINS(o, "<hr width=\"50%\" />");
	CHECK_CONTAINS(o, "<p>&nbsp;</p>\n<hr width=\"50%\" />\n<p>&nbsp;</p>");
	CHECK_CONTAINS(o, "<p>The precinct was quiet,\ntoo quiet for a Tuesday,\nand Elliot knew it.</p>");
	CHECK(stable(story, CONTENT));
	const char *typed =
		"It was late when the call came.\nOlivia reached for the phone.\n\n"
		"\"Benson,\" she said.\n\n\n"
		"<hr width=\"50%\">\n\n\n"
		"The precinct was quiet.\n\n\n\n"
		"Morning came grey.";
	o = S(typed, CONTENT);
	CHECK_STR(o, "<p>It was late when the call came.<br />\nOlivia reached for the phone.</p>\n"
	             "<p>\"Benson,\" she said.</p>\n<hr width=\"50%\" />\n<p>The precinct was quiet.</p>\n"
	             "<p>&nbsp;</p>\n<p>Morning came grey.</p>");
}

/* The plain-text format follows the same rules (there is no markup to keep as written). */
static void test_plain_text_format(void)
{
	struct buf b = BUF_INIT;
	const char *in = "a\nb\n\nc\n\n\nd <i>not markup</i> & ____spacer____\x0b";
	CHECK(format_render(FORMAT_TEXT, in, strlen(in), &b) == 0);
	CHECK_STR(buf_cstr(&b), "<p>a<br />\nb</p>\n<p>c</p>\n<p>&nbsp;</p>\n<p>d &lt;i&gt;not markup&lt;/i&gt; &amp;</p>");
	buf_free(&b);
}

int main(void)
{
	struct media_hosts *hosts;
	char err[200];
	char list[1024];
	snprintf(list, sizeof list, "%s media.example", MEDIA_HOSTS_AO3);
	if (media_hosts_parse(list, &hosts, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct sanitize_policy policy = {hosts, "https://archive.example/fics/"};
	sanitize_set_policy(&policy);

	test_keeps_embeds_from_ao3_hosts();
	test_embed_attributes();
	test_strips_unknown_and_hostile_embeds();
	test_no_media_outside_chapter_text();
	test_audio_and_video();
	test_media_off_the_list_becomes_a_link();
	test_class_attribute();
	test_sanitize_value_common();
	test_attributes_per_element();
	test_relative_images_made_absolute();
	test_bad_characters();
	test_paragraphs_around_tags();
	test_paragraphs_inside_structures();
	test_paragraphs_from_newlines_and_breaks();
	test_paragraphs_and_inline_tags();
	test_paragraphs_in_containers();
	test_features();
	test_story_with_scene_breaks();
	test_plain_text_format();

	sanitize_set_policy(NULL);
	media_hosts_free(hosts);
	buf_free(&out);
	return CHECK_DONE();
}
