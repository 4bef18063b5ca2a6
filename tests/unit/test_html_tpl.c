/* Unit tests for the template engine: escaping, filters, blocks, scopes, partials, errors, limits, threads. */
#include "html/tpl.h"
#include "html/escape.h"
#include "check.h"
#include "core/err.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static struct buf out;
static int last_rc;

static json_t *parse(const char *json)
{
	json_error_t je;
	json_t *j = json_loads(json ? json : "{}", JSON_DECODE_ANY, &je);
	if (!j)
		fprintf(stderr, "bad test JSON: %s: %s\n", json, je.text);
	return j;
}

/* Compiles src as "t", renders it with json; the result lives until the next call. */
static const char *R(const char *src, const char *json)
{
	char err[256];
	struct tpl_set *s = tpl_set_new();
	buf_reset(&out);
	last_rc = tpl_set_add(s, "t", src, strlen(src), err, sizeof err);
	if (last_rc) {
		buf_printf(&out, "COMPILE ERROR %s", err);
	} else {
		json_t *j = parse(json);
		last_rc = tpl_render(s, "t", j, &out);
		json_decref(j);
	}
	tpl_set_free(s);
	return buf_cstr(&out);
}

/* Expects a compile error whose message starts with want (e.g. "t:3: unknown filter"). */
static void check_error(const char *src, const char *want, int line)
{
	char err[256] = "";
	struct tpl_set *s = tpl_set_new();
	int rc = tpl_set_add(s, "t", src, strlen(src), err, sizeof err);
	check_count++;
	if (rc != Q_EINVAL || strncmp(err, want, strlen(want)) != 0) {
		check_failures++;
		fprintf(stderr, "%s:%d: source \"%s\": rc %d, err \"%s\", want \"%s\"\n", __FILE__, line, src, rc,
			err, want);
	}
	tpl_set_free(s);
}
#define CHECK_ERROR(src, want) check_error(src, want, __LINE__)

/* Escaped text never holds what XML forbids: controls and non-characters go, tabs and newlines stay. */
static void test_escaping_controls(void)
{
	CHECK_STR(R("<t>{{ x }}</t>", "{\"x\": \"a\\u0001b\\u001bc\\u007fd\\te\\nf\\uffffg\\ufdd0h\\ufffdi\"}"),
	          "<t>abcd\te\nfgh\xef\xbf\xbdi</t>");
	struct buf b = BUF_INIT;
	const char *in = "x\x01<\x0c>\xef\xbf\xbey\xef\xbb\xbf";
	esc_html(&b, in, strlen(in));
	CHECK_STR(buf_cstr(&b), "x&lt;&gt;y\xef\xbb\xbf");
	CHECK(esc_noncharacter("\xef\xbf", 2) == 0);
	buf_free(&b);
}

static void test_escaping(void)
{
	CHECK_STR(R("<p>{{ x }}</p>", "{\"x\": \"<script>alert(\\\"1\\\")</script>'\"}"),
		  "<p>&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;&#39;</p>");
	CHECK_STR(R("<a title=\"{{t}}\">", "{\"t\": \"\\\" onmouseover=\\\"x\"}"),
		  "<a title=\"&quot; onmouseover=&quot;x\">");
	CHECK_STR(R("{{x|html}}", "{\"x\": \"a&b\"}"), "a&amp;b");
	CHECK_STR(R("{{ RAW body }}", "{\"body\": \"<b>bold</b> & co\"}"), "<b>bold</b> & co");
	CHECK_STR(R("{{RAW n}}/{{RAW r}}", "{\"n\": -42, \"r\": 0.5}"), "-42/0.5");
}

static void test_scalars(void)
{
	CHECK_STR(R("[{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|{{missing}}|{{o}}|{{a}}]",
		    "{\"i\": -17, \"r\": 2.5, \"t\": true, \"f\": false, \"n\": null, \"o\": {\"k\": 1}, \"a\": [1]}"),
		  "[-17|2.5|true|||||]");
	CHECK_STR(R("{{a.b.c}}|{{a.x.c}}|{{s.len}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}, \"s\": \"str\"}"), "deep||");
	CHECK_STR(R("{{items.1.name}}|{{items.9.name}}", "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}"),
		  "b|");
	CHECK_STR(R("{{ . }}", "\"top <level>\""), "top &lt;level&gt;");
	CHECK_STR(R("{{x}}", NULL), "");
	CHECK_STR(R("{{x}}", "[1,2]"), "");
}

static void test_filters(void)
{
	CHECK_STR(R("/u/{{ name | url }}", "{\"name\": \"a b&c/\\u00e9?\"}"), "/u/a%20b%26c%2F%C3%A9%3F");
	CHECK_STR(R("{{n|url}}", "{\"n\": 12}"), "12");
	CHECK_STR(R("var x = {{ s|json }};", "{\"s\": \"</script><script>x'\"}"),
		  "var x = \"\\u003c/script\\u003e\\u003cscript\\u003ex\\u0027\";");
	CHECK_STR(R("{{o|json}}", "{\"o\": {\"a\": [1, \"</b>&\", true, null], \"b\": 2.5}}"),
		  "{\"a\":[1,\"\\u003c/b\\u003e\\u0026\",true,null],\"b\":2.5}");
	CHECK_STR(R("{{o|json}}", "{\"o\": [\"\\u2028\"]}"), "[\"\\u2028\"]");
	CHECK_STR(R("{{m|json}},{{t|json}},{{f|json}},{{i|json}}", "{\"t\": true, \"f\": false, \"i\": 7}"),
		  "null,true,false,7");
	CHECK_STR(R("{{a|num}} {{b|num}} {{c|num}} {{d|num}} {{e|num}} {{f|num}}",
		    "{\"a\": 1234567, \"b\": -1234567, \"c\": 999, \"d\": 0, \"e\": -1000, \"f\": 1000.0}"),
		  "1,234,567 -1,234,567 999 0 -1,000 1,000");
	CHECK_STR(R("{{a|num}}", "{\"a\": -9223372036854775808}"), "-9,223,372,036,854,775,808");
	CHECK_STR(R("{{a|num}}", "{\"a\": \"<12>\"}"), "&lt;12&gt;");
}

static void test_each(void)
{
	const char *data = "{\"site\": \"Q\", \"works\": ["
			   "{\"title\": \"A<\", \"tags\": [\"x\", \"y\"]},"
			   "{\"title\": \"B\", \"site\": \"inner\", \"tags\": []}]}";
	CHECK_STR(R("{{#each works}}{{title}}@{{site}}[{{#each tags}}{{.}}/{{title}}/{{site}};"
		    "{{else}}none{{/each}}]{{/each}}", data),
		  "A&lt;@Q[x/A&lt;/Q;y/A&lt;/Q;]B@inner[none]");
	CHECK_STR(R("{{#each a}}{{@index}}{{@number}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}",
		    "{\"a\": [\"p\", \"q\", \"r\"]}"),
		  "01F,12,23L,");
	CHECK_STR(R("{{#each a}}{{#each .}}{{@index}}{{/each}}:{{@index}} {{/each}}", "{\"a\": [[5, 6], [7]]}"),
		  "01:0 0:1 ");
	CHECK_STR(R("[{{@index}}{{@first}}]", "{}"), "[]");
	CHECK_STR(R("{{#each a}}x{{else}}empty{{/each}}", "{\"a\": []}"), "empty");
	CHECK_STR(R("{{#each a}}x{{else}}empty{{/each}}", "{}"), "empty");
	CHECK_STR(R("{{#each a}}x{{else}}empty{{/each}}", "{\"a\": {\"k\": 1}}"), "empty");
	CHECK_STR(R("{{#each a}}{{/each}}end", "{\"a\": [1, 2]}"), "end");
}

static void test_conditions(void)
{
	const char *data = "{\"zero\": 0, \"zr\": 0.0, \"es\": \"\", \"ea\": [], \"eo\": {}, \"nul\": null,"
			   "\"f\": false, \"s0\": \"0\", \"one\": 1, \"a\": [0], \"o\": {\"k\": 0}, \"t\": true}";
	CHECK_STR(R("{{#if zero}}T{{else}}F{{/if}}{{#if zr}}T{{else}}F{{/if}}{{#if es}}T{{else}}F{{/if}}"
		    "{{#if ea}}T{{else}}F{{/if}}{{#if eo}}T{{else}}F{{/if}}{{#if nul}}T{{else}}F{{/if}}"
		    "{{#if f}}T{{else}}F{{/if}}{{#if missing}}T{{else}}F{{/if}}",
		    data),
		  "FFFFFFFF");
	CHECK_STR(R("{{#if s0}}T{{/if}}{{#if one}}T{{/if}}{{#if a}}T{{/if}}{{#if o}}T{{/if}}{{#if t}}T{{/if}}", data),
		  "TTTTT");
	CHECK_STR(R("{{#unless zero}}U{{else}}N{{/unless}}{{#unless one}}U{{else}}N{{/unless}}", data), "UN");
	CHECK_STR(R("{{#if one}}a{{#if zero}}b{{else}}c{{#unless f}}d{{/unless}}{{/if}}e{{else}}f{{/if}}g", data),
		  "acdeg");
}

static void test_eq(void)
{
	const char *data = "{\"s\": \"abc\", \"i\": 3, \"r\": 2.5, \"r3\": 3.0, \"s3\": \"3\", \"t\": true,"
			   "\"q\": \"a\\\"b\\\\c\", \"u\": {\"id\": 3, \"name\": \"abc\"}}";
	CHECK_STR(R("{{#eq s \"abc\"}}Y{{else}}N{{/eq}}{{#eq s \"abd\"}}Y{{else}}N{{/eq}}", data), "YN");
	CHECK_STR(R("{{#eq i \"3\"}}Y{{/eq}}{{#eq r \"2.5\"}}Y{{/eq}}{{#eq t \"true\"}}Y{{/eq}}", data), "YYY");
	CHECK_STR(R("{{#eq i u.id}}Y{{/eq}}{{#eq i r3}}Y{{/eq}}{{#eq s u.name}}Y{{/eq}}{{#eq i r}}Y{{else}}N{{/eq}}",
		    data),
		  "YYYN");
	/* A string never equals a number, and missing values equal nothing, not even each other. */
	CHECK_STR(R("{{#eq i s3}}Y{{else}}N{{/eq}}{{#eq nope none}}Y{{else}}N{{/eq}}{{#eq nope \"\"}}Y{{else}}N{{/eq}}",
		    data),
		  "NNN");
	CHECK_STR(R("{{#neq s \"abc\"}}Y{{else}}N{{/neq}}{{#neq i u.id}}Y{{else}}N{{/neq}}{{#neq nope x}}Y{{/neq}}",
		    data),
		  "NNY");
	CHECK_STR(R("{{#eq q \"a\\\"b\\\\c\"}}Y{{else}}N{{/eq}}", data), "Y");
	CHECK_STR(R("{{#eq s \"}}\"}}Y{{else}}N{{/eq}}", data), "N");
	CHECK_STR(R("{{#each a}}{{#eq . sel}}[{{.}}]{{else}}{{.}}{{/eq}}{{/each}}",
		    "{\"a\": [\"x\", \"y\", \"z\"], \"sel\": \"y\"}"),
		  "x[y]z");
}

static void test_whitespace_and_comments(void)
{
	CHECK_STR(R("{{  x  }}{{#if  x }}1{{ /if }}{{ x|url }}{{ x | url }}{{\tRAW\tx\t}}{{! a comment }}{{!}}.",
		    "{\"x\": \"a b\"}"),
		  "a b1a%20ba%20ba b.");
	CHECK_STR(R("a{{!\n\n}}\nb", "{}"), "a\nb");
}

static void test_partials(void)
{
	char err[256];
	struct tpl_set *s = tpl_set_new();
	const char *layout = "<h1>{{title}}</h1>{{#each works}}{{> parts/work}}{{/each}}";
	const char *work = "<li>{{title}} ({{@number}}) {{site}}</li>";
	CHECK(tpl_set_add(s, "layout", layout, strlen(layout), err, sizeof err) == 0);
	CHECK(tpl_set_check(s, err, sizeof err) == Q_EINVAL);
	CHECK_STR(err, "layout:1: unknown partial 'parts/work'");
	CHECK(tpl_set_add(s, "parts/work", work, strlen(work), err, sizeof err) == 0);
	CHECK(tpl_set_check(s, err, sizeof err) == 0);
	json_t *d = parse("{\"title\": \"T\", \"site\": \"S\", \"works\": [{\"title\": \"<a>\"}, {\"title\": \"b\"}]}");
	buf_reset(&out);
	CHECK(tpl_render(s, "layout", d, &out) == 0);
	CHECK_STR(buf_cstr(&out), "<h1>T</h1><li>&lt;a&gt; (1) S</li><li>b (2) S</li>");
	buf_reset(&out);
	CHECK(tpl_render(s, "nope", d, &out) == Q_ENOTFOUND);
	CHECK(tpl_render(s, "parts", d, &out) == Q_ENOTFOUND);
	CHECK_STR(buf_cstr(&out), "");
	/* A template added again replaces the old one, also where it is used as a partial. */
	CHECK(tpl_set_add(s, "parts/work", "[{{title}}]", 11, err, sizeof err) == 0);
	buf_reset(&out);
	CHECK(tpl_render(s, "layout", d, &out) == 0);
	CHECK_STR(buf_cstr(&out), "<h1>T</h1>[&lt;a&gt;][b]");
	/* A failed compile keeps the previous version. */
	CHECK(tpl_set_add(s, "parts/work", "{{#if}}", 7, err, sizeof err) == Q_EINVAL);
	buf_reset(&out);
	CHECK(tpl_render(s, "parts/work", d, &out) == 0);
	CHECK_STR(buf_cstr(&out), "[T]");
	json_decref(d);
	tpl_set_free(s);
}

static void test_recursion_limits(void)
{
	char err[256];
	struct tpl_set *s = tpl_set_new();
	CHECK(tpl_set_add(s, "self", "x{{> self}}", 11, err, sizeof err) == 0);
	CHECK(tpl_set_add(s, "a", "a{{>b}}", 7, err, sizeof err) == 0);
	CHECK(tpl_set_add(s, "b", "b{{>a}}", 7, err, sizeof err) == 0);
	/* Two self-calls per level would be 2^64 renders without a limit. */
	CHECK(tpl_set_add(s, "twice", "{{>twice}}{{>twice}}", 20, err, sizeof err) == 0);
	CHECK(tpl_set_add(s, "loop", "{{#each .}}{{>loop}}{{/each}}", 29, err, sizeof err) == 0);
	CHECK(tpl_set_check(s, err, sizeof err) == 0);
	json_t *d = parse("{}");
	buf_reset(&out);
	CHECK(tpl_render(s, "self", d, &out) == Q_ETOOBIG);
	CHECK_CONTAINS(buf_cstr(&out), "xxxxxxxxxx<!-- template error");
	buf_reset(&out);
	CHECK(tpl_render(s, "a", d, &out) == Q_ETOOBIG);
	CHECK_CONTAINS(buf_cstr(&out), "ababab");
	buf_reset(&out);
	clock_t t0 = clock();
	CHECK(tpl_render(s, "twice", d, &out) == Q_ETOOBIG);
	CHECK((clock() - t0) / CLOCKS_PER_SEC < 5);
	json_decref(d);
	/* Each over data nested deeper than the scope limit. */
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_putc(&deep, '[');
	for (int i = 0; i < 100; i++)
		buf_putc(&deep, ']');
	d = parse(deep.data);
	buf_free(&deep);
	buf_reset(&out);
	CHECK(tpl_render(s, "loop", d, &out) == Q_ETOOBIG);
	json_decref(d);
	/* Loops over the same array nested 40 deep: 3^40 iterations unless the work budget stops them. */
	struct buf src = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_puts(&src, "{{#each a}}");
	buf_puts(&src, "x");
	for (int i = 0; i < 40; i++)
		buf_puts(&src, "{{/each}}");
	CHECK(tpl_set_add(s, "wide", src.data, src.len, err, sizeof err) == 0);
	buf_free(&src);
	d = parse("{\"a\": [1, 2, 3]}");
	buf_reset(&out);
	t0 = clock();
	CHECK(tpl_render(s, "wide", d, &out) == Q_ETOOBIG);
	CHECK((clock() - t0) / CLOCKS_PER_SEC < 20);
	json_decref(d);
	tpl_set_free(s);
}

static void test_compile_errors(void)
{
	CHECK_ERROR("ok\n{{ x", "t:2: unclosed {{");
	CHECK_ERROR("line1\nline2\n{{#if a}}\n{{#wat b}}", "t:4: unknown block keyword '#wat'");
	CHECK_ERROR("{{#if a}}\n{{#each b}}\n{{/if}}", "t:3: {{/if}} does not match {{#each}} opened on line 2");
	CHECK_ERROR("{{#if a}}\n{{/eq}}", "t:2: {{/eq}} does not match {{#if}}");
	CHECK_ERROR("a\n{{/if}}", "t:2: {{/if}} without an open block");
	CHECK_ERROR("\n{{#if a}}\n\n{{#unless b}}\n{{/unless}}\n", "t:2: {{#if}} is never closed");
	CHECK_ERROR("{{#each a}}{{/each}}\n{{else}}", "t:2: {{else}} outside a block");
	CHECK_ERROR("{{#if a}}{{else}}\n{{else}}{{/if}}", "t:2: second {{else}}");
	CHECK_ERROR("\n\n{{ x | bold }}", "t:3: unknown filter 'bold'");
	CHECK_ERROR("{{ x | }}", "t:1: unknown filter ''");
	CHECK_ERROR("\n{{ }}", "t:2: empty path");
	CHECK_ERROR("{{ |url }}", "t:1: empty path");
	CHECK_ERROR("{{#if}}{{/if}}", "t:1: empty path");
	CHECK_ERROR("{{RAW}}", "t:1: empty path");
	CHECK_ERROR("{{#eq a \"x}}", "t:1: bad string literal");
	CHECK_ERROR("{{#eq a \"x\n\"}}", "t:1: bad string literal");
	CHECK_ERROR("\n{{#eq a \"x\\n\"}}{{/eq}}", "t:2: bad string literal");
	CHECK_ERROR("{{#eq a \"x\"y}}{{/eq}}", "t:1: bad string literal");
	CHECK_ERROR("{{#eq a}}{{/eq}}", "t:1: {{#eq}} needs");
	CHECK_ERROR("{{#eq a 3}}{{/eq}}", "t:1: bad path '3'");
	CHECK_ERROR("{{#if a b}}{{/if}}", "t:1: unexpected 'b'");
	CHECK_ERROR("{{ a..b }}", "t:1: bad path 'a..b'");
	CHECK_ERROR("{{ a. }}", "t:1: bad path");
	CHECK_ERROR("{{ a<b }}", "t:1: bad character in path");
	CHECK_ERROR("{{ @idx }}", "t:1: unknown variable '@idx'");
	CHECK_ERROR("{{ RAW x|url }}", "t:1: RAW takes no filter");
	CHECK_ERROR("{{ x|url|json }}", "t:1: unexpected '|json'");
	CHECK_ERROR("{{>}}", "t:1: empty partial name");
	CHECK_ERROR("{{> a b}}", "t:1: unexpected 'b'");
	CHECK_ERROR("{{#if a\n\n}}\n{{x|nope}}", "t:4: unknown filter 'nope'");
	CHECK_ERROR("{{!\n\n}}{{#bogus}}", "t:3: unknown block keyword");
	CHECK_ERROR("{{{x}}}", "t:1: bad character in path");
	/* err is optional. */
	struct tpl_set *s = tpl_set_new();
	CHECK(tpl_set_add(s, "t", "{{", 2, NULL, 0) == Q_EINVAL);
	char tiny[4];
	CHECK(tpl_set_add(s, "t", "{{#if}}", 7, tiny, sizeof tiny) == Q_EINVAL);
	CHECK(tiny[3] == '\0');
	tpl_set_free(s);
}

static void test_large(void)
{
	/* 1 MB of text and tags, and 20,000 nested blocks: no recursion in the compiler. */
	struct buf src = BUF_INIT;
	while (src.len < (1u << 20))
		buf_puts(&src, "<p class=\"c\">Lorem ipsum dolor sit amet {{ name }} {{#if on}}on{{else}}off{{/if}}</p>\n");
	size_t lines = 0;
	for (size_t i = 0; i < src.len; i++)
		lines += src.data[i] == '\n';
	buf_puts(&src, "{{ oops");
	char err[256], want[64];
	struct tpl_set *s = tpl_set_new();
	CHECK(tpl_set_add(s, "big", src.data, src.len, err, sizeof err) == Q_EINVAL);
	snprintf(want, sizeof want, "big:%zu: unclosed {{", lines + 1);
	CHECK_STR(err, want);
	src.len -= 7;
	CHECK(tpl_set_add(s, "big", src.data, src.len, err, sizeof err) == 0);
	json_t *d = parse("{\"name\": \"<N>\", \"on\": 1}");
	buf_reset(&out);
	CHECK(tpl_render(s, "big", d, &out) == 0);
	CHECK(out.len == lines * strlen("<p class=\"c\">Lorem ipsum dolor sit amet &lt;N&gt; on</p>\n"));
	CHECK_NOT_CONTAINS(buf_cstr(&out), "{{");
	CHECK_NOT_CONTAINS(buf_cstr(&out), "off");
	CHECK_CONTAINS(buf_cstr(&out), "amet &lt;N&gt; on</p>\n<p");
	buf_reset(&src);
	for (int i = 0; i < 20000; i++)
		buf_puts(&src, "{{#if on}}");
	buf_putc(&src, '!');
	for (int i = 0; i < 20000; i++)
		buf_puts(&src, "{{/if}}");
	CHECK(tpl_set_add(s, "nested", src.data, src.len, err, sizeof err) == 0);
	buf_reset(&out);
	CHECK(tpl_render(s, "nested", d, &out) == 0);
	CHECK_STR(buf_cstr(&out), "!");
	json_decref(d);
	buf_free(&src);
	tpl_set_free(s);
}

struct thread_arg {
	const struct tpl_set *set;
	const json_t *data;
	const char *want;
	int mismatches;
};

static void *render_thread(void *p)
{
	struct thread_arg *a = p;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		buf_reset(&b);
		if (tpl_render(a->set, "page", a->data, &b) != 0 || strcmp(buf_cstr(&b), a->want) != 0)
			a->mismatches++;
	}
	buf_free(&b);
	return NULL;
}

static void test_threads(void)
{
	char err[256];
	struct tpl_set *s = tpl_set_new();
	const char *page = "{{#each works}}{{> row}}{{else}}none{{/each}}{{ meta|json }}{{ total|num }}";
	const char *row = "<tr class=\"{{#if @first}}first{{/if}}\"><td>{{@number}}</td><td>{{title}}</td>"
			  "<td>{{#each tags}}{{.}}{{#unless @last}}, {{/unless}}{{/each}}</td>"
			  "{{#eq author user}}<td>mine</td>{{/eq}}</tr>\n";
	CHECK(tpl_set_add(s, "page", page, strlen(page), err, sizeof err) == 0);
	CHECK(tpl_set_add(s, "row", row, strlen(row), err, sizeof err) == 0);
	CHECK(tpl_set_check(s, err, sizeof err) == 0);
	json_t *d = json_pack("{s:s, s:i, s:{s:[s,i]}, s:[]}", "user", "me", "total", 1234567, "meta", "k",
			      "</script>", 5, "works");
	json_t *works = json_object_get(d, "works");
	for (int i = 0; i < 50; i++)
		json_array_append_new(works, json_pack("{s:s, s:s, s:[s,s,s]}", "title", "<b>T</b>", "author",
						       i % 3 ? "you" : "me", "tags", "a&b", "c", "d"));
	struct buf want = BUF_INIT;
	CHECK(tpl_render(s, "page", d, &want) == 0);
	CHECK_CONTAINS(want.data, "<tr class=\"first\"><td>1</td><td>&lt;b&gt;T&lt;/b&gt;</td><td>a&amp;b, c, d</td>"
				  "<td>mine</td></tr>\n<tr class=\"\"><td>2</td>");
	CHECK_CONTAINS(want.data, "{\"k\":[\"\\u003c/script\\u003e\",5]}1,234,567");
	pthread_t th[8];
	struct thread_arg args[8];
	for (int i = 0; i < 8; i++) {
		args[i] = (struct thread_arg){s, d, want.data, 0};
		pthread_create(&th[i], NULL, render_thread, &args[i]);
	}
	int bad = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		bad += args[i].mismatches;
	}
	CHECK(bad == 0);
	buf_free(&want);
	json_decref(d);
	tpl_set_free(s);
}

static void test_embedded(void)
{
	char err[256] = "";
	struct tpl_set *s = tpl_set_new();
	int rc = tpl_set_load_embedded(s, err, sizeof err);
	/* The templates belong to other modules; whatever they hold, a failure must say where. */
	CHECK(rc == 0 || (rc == Q_EINVAL && strchr(err, ':') != NULL));
	if (rc)
		fprintf(stderr, "note: embedded templates: %s\n", err);
	tpl_set_free(s);
}


/* Big strings by reference: RAW points at the caller's memory, escaping copies, markers cannot be forged. */
static void test_references(void)
{
	char err[256];
	struct tpl_set *s = tpl_set_new();
	const char *src = "<main>{{RAW body}}</main>|{{body}}|{{#if empty}}E{{else}}e{{/if}}{{#if body}}B{{/if}}|{{RAW forged}}";
	CHECK(tpl_set_add(s, "t", src, strlen(src), err, sizeof err) == 0);
	const char *layout = "<html>{{RAW content}}{{#if stream}}[{{RAW stream}}]{{/if}}</html>";
	CHECK(tpl_set_add(s, "layout", layout, strlen(layout), err, sizeof err) == 0);

	size_t big = 4000;
	char *text = malloc(big + 1);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	text[10] = '<';
	text[big] = '\0';
	struct arena *a = arena_new();
	struct tpl_refs *refs = tpl_refs_new(a);
	json_t *d = json_object();
	json_object_set_new(d, "body", tpl_ref(refs, text, big));
	json_object_set_new(d, "empty", tpl_ref(refs, "", 0));
	/* a string that looks like marker 0 but is not the marker: printed as data, never resolved */
	json_object_set_new(d, "forged", json_stringn_nocheck("\0R00000000", 10));

	struct tpl_out page;
	tpl_out_init(&page, a);
	CHECK(tpl_render_out(s, "t", d, refs, &page) == 0);
	bool pointed = false;
	for (size_t i = 0; i < page.n; i++)
		pointed |= page.v[i].p == text && page.v[i].n == big;
	CHECK(pointed);
	struct buf b = BUF_INIT;
	tpl_out_flatten(&page, &b);
	CHECK(b.len == page.len);
	CHECK(strncmp(b.data, "<main>", 6) == 0 && memcmp(b.data + 6, text, big) == 0);
	CHECK_CONTAINS(b.data + 6 + big, "</main>|abcdefghij&lt;lmn");
	CHECK_CONTAINS(b.data, "|eB|");
	CHECK(memcmp(b.data + b.len - 10, "\0R00000000", 10) == 0);

	/* a rendered page inside a layout: its pieces are spliced, the big one still points at text */
	json_t *l = json_object();
	json_object_set_new(l, "content", tpl_ref_out(refs, &page));
	json_object_set_new(l, "stream", tpl_ref_slot(refs));
	struct tpl_out full;
	tpl_out_init(&full, a);
	CHECK(tpl_render_out(s, "layout", l, refs, &full) == 0);
	pointed = false;
	for (size_t i = 0; i < full.n; i++)
		pointed |= full.v[i].p == text;
	CHECK(pointed);
	CHECK(full.slots == 1);
	CHECK(full.len == page.len + strlen("<html>[]</html>"));
	struct buf fb = BUF_INIT;
	tpl_out_flatten(&full, &fb);
	CHECK(fb.len == full.len);
	CHECK(memcmp(fb.data + 6, b.data, b.len) == 0);

	/* without the table, a marker is only a string */
	struct buf plain = BUF_INIT;
	CHECK(tpl_render(s, "t", d, &plain) == 0);
	CHECK(plain.len < 200);

	buf_free(&b);
	buf_free(&fb);
	buf_free(&plain);
	json_decref(d);
	json_decref(l);
	arena_free(a);
	free(text);
	tpl_set_free(s);
}

/* C values: a frame's own fields, a page's JSON, the layout's fields as an outer scope; own names win. */
static void test_c_values(void)
{
	char err[256];
	struct tpl_set *s = tpl_set_new();
	const char *src = "{{title}}|{{user.name}}|{{user.missing}}|{{@index}}|{{#if user}}U{{/if}}{{#if none}}N{{/if}}"
	                  "{{#if flag}}F{{/if}}{{#if off}}O{{/if}}|{{n|num}}|{{#eq theme \"dark\"}}D{{/eq}}|"
	                  "{{#each items}}{{@index}}{{name}}{{title}};{{/each}}|{{RAW body}}|{{body}}|{{RAW part}}|{{user|json}}";
	CHECK(tpl_set_add(s, "t", src, strlen(src), err, sizeof err) == 0);
	json_t *data = parse("{\"title\": \"Page\", \"items\": [{\"name\": \"a\"}, {\"name\": \"b\", \"title\": \"B\"}]}");
	struct arena *a = arena_new();
	struct tpl_out part;
	tpl_out_init(&part, a);
	tpl_out_text(&part, "<i>part</i>", 11);
	struct tpl_var user[] = {tpl_var_str("name", "ann & co")};
	struct tpl_var outer[] = {tpl_var_str("title", "Layout"), tpl_var_obj("user", user, 1), tpl_var_str("theme", "dark")};
	struct tpl_var vars[] = {tpl_var_bool("flag", true), tpl_var_bool("off", false), tpl_var_int("n", 12345),
	                         tpl_var_str("body", "<b>x</b>"), tpl_var_out("part", &part)};
	struct tpl_data d = {.json = data, .vars = vars, .nvars = 5, .outer = outer, .nouter = 3};
	struct tpl_out o;
	tpl_out_init(&o, a);
	CHECK(tpl_render_data(s, "t", &d, NULL, &o) == 0);
	struct buf b = BUF_INIT;
	tpl_out_flatten(&o, &b);
	CHECK_STR(buf_cstr(&b), "Page|ann &amp; co|||UF|12,345|D|0aPage;1bB;|<b>x</b>|&lt;b&gt;x&lt;/b&gt;|<i>part</i>|null");
	buf_free(&b);
	arena_free(a);
	json_decref(data);
	tpl_set_free(s);
}

int main(void)
{
	test_escaping();
	test_escaping_controls();
	test_scalars();
	test_filters();
	test_each();
	test_conditions();
	test_eq();
	test_whitespace_and_comments();
	test_partials();
	test_recursion_limits();
	test_compile_errors();
	test_large();
	test_threads();
	test_embedded();
	test_references();
	test_c_values();
	buf_free(&out);
	return CHECK_DONE();
}
