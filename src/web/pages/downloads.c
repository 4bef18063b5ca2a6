/* Downloads: a work as an EPUB for e-readers or as one HTML page (/downloads/ID/NAME.epub|.html), built on the
 * worker pool from the same view models as the reading pages and the templates in templates/downloads/. */
#include "web/pages/pages.h"
#include "archive/downloads.h"
#include "core/assets.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "export/zip.h"
#include "html/escape.h"
#include "html/sanitize.h"
#include "core/html_text.h"
#include "html/tpl.h"
#include "web/work_view.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Stored story HTML as a download shows it: every player becomes a link to its media (a download plays
 * nothing from elsewhere, and EPUB 3 allows no remote frame), and in an EPUB every image too (EPUB 3 lets no
 * image come from elsewhere, and the server fetches nothing on a reader's behalf), named by its alt text.
 * The sanitizer does it, so links never land inside links and the XHTML stays valid. */
static const char *offline_html(struct arena *a, const char *html, bool epub)
{
	if (!html || !(strstr(html, "<iframe") || strstr(html, "<audio") || strstr(html, "<video") ||
	               (epub && strstr(html, "<img"))))
		return html;
	struct buf b = BUF_INIT;
	unsigned flags = SANITIZE_CLASS | SANITIZE_MEDIA_AS_LINKS | (epub ? SANITIZE_IMAGES_AS_LINKS : 0);
	const char *out = sanitize_html(html, strlen(html), flags, &b) == 0 ? arena_strndup(a, buf_cstr(&b), b.len) : "";
	buf_free(&b);
	return out;
}

/* The view model of a download: the work as the reading pages show it, its chapters in order with the file
 * each becomes in an EPUB, and the metadata an EPUB needs. */
static json_t *download_json(struct web_req *w, const struct work *wk, const struct chapter *list, size_t n)
{
	char base[512], when[TIME_ISO_LEN];
	web_base_url(w->app, base, sizeof base);
	const char *work_url = arena_printf(w->arena, "%s/works/%lld", base, (long long)wk->id);
	json_t *d = json_object();
	json_object_set_new(d, "work", work_view_json(w, wk, true));
	json_object_set_new(d, "work_url", json_string(work_url));
	json_object_set_new(d, "identifier", json_string(work_url));
	json_object_set_new(d, "site_name", json_string(w->app->cfg->site_name));
	json_object_set_new(d, "lang", json_string(download_language_code(wk->language)));
	json_object_set_new(d, "page_title", json_string(wk->title ? wk->title : ""));
	json_object_set_new(d, "modified", json_string(time_iso(wk->updated_at ? wk->updated_at : wk->published_at, when)));
	if (wk->published_at > 0)
		json_object_set_new(d, "published", json_string(time_iso(wk->published_at, when)));
	json_object_set_new(d, "summary_text", json_string(html_plain(w->arena, wk->summary.html)));
	json_t *subjects = json_array();
	for (int t = TAG_FANDOM; t < TAG_TYPE_COUNT; t++)
		for (size_t i = 0; i < wk->tags[t].n; i++)
			json_array_append_new(subjects, json_string(wk->tags[t].items[i]));
	json_object_set_new(d, "subjects", subjects);
	bool headings = n > 1 || (n && list[0].title && *list[0].title);
	json_t *chs = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *c = work_view_chapter(w, wk, &list[i]);
		json_object_set_new(c, "item_id", json_string(arena_printf(w->arena, "chapter-%zu", i + 1)));
		json_object_set_new(c, "file", json_string(arena_printf(w->arena, "chapter-%zu.xhtml", i + 1)));
		json_object_set_new(c, "play_order", json_integer((json_int_t)i + 2));
		json_object_set_new(c, "show_headings", json_boolean(headings));
		json_object_set_new(c, "toc_title", json_object_get(c, "heading") ? json_incref(json_object_get(c, "heading"))
		                                                                  : json_string(""));
		json_array_append_new(chs, c);
	}
	json_object_set_new(d, "chapters", chs);
	json_object_set_new(d, "many", json_boolean(n > 1));
	json_object_set_new(d, "afterword_play_order", json_integer((json_int_t)n + 2));
	return d;
}

/* Renders template name with d into a new heap string kept until the response is sent. */
static const char *render_file(struct web_req *w, const char *name, json_t *d, size_t *len)
{
	struct tpl_out out;
	if (web_render_part(w, name, d, &out) != 0)
		return NULL;
	struct buf b = BUF_INIT;
	tpl_out_flatten(&out, &b);
	char *s = buf_detach(&b, len);
	http_response_hold(w->resp, w->arena, free, s);
	return s;
}

/* The EPUB: mimetype first and stored, the container, the package, both tables of contents, the style,
 * then preface, chapters and afterword as XHTML. */
static int build_epub(struct web_req *w, const struct work *wk, json_t *d, size_t nchapters, struct buf *out)
{
	size_t n = 0, cap = nchapters + 9;
	struct zip_entry *e = arena_calloc(w->arena, cap, sizeof *e);
	e[n++] = (struct zip_entry){"mimetype", "application/epub+zip", 20, true};
	static const struct {
		const char *name, *tpl;
	} fixed[] = {
		{"META-INF/container.xml", "downloads/epub_container"}, {"OEBPS/content.opf", "downloads/epub_opf"},
		{"OEBPS/nav.xhtml", "downloads/epub_nav"},               {"OEBPS/toc.ncx", "downloads/epub_ncx"},
		{"OEBPS/preface.xhtml", "downloads/epub_preface"},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		e[n].name = fixed[i].name;
		if (!(e[n].data = render_file(w, fixed[i].tpl, d, &e[n].len)))
			return Q_ERR;
		n++;
	}
	const struct asset *css = asset_find("static/download.css");
	if (!css)
		return Q_ERR;
	e[n++] = (struct zip_entry){"OEBPS/style.css", css->data, css->len, false};
	json_t *chs = json_object_get(d, "chapters");
	for (size_t i = 0; i < nchapters; i++) {
		/* Each chapter file gets its chapter's fields and the two the page head needs (a shallow copy: the
		 * values are shared, so many chapters cost no more than one each). */
		json_t *c = json_array_get(chs, i);
		json_t *cd = json_copy(c);
		json_object_set(cd, "lang", json_object_get(d, "lang"));
		json_object_set(cd, "page_title", json_object_get(c, "toc_title"));
		e[n].name = arena_printf(w->arena, "OEBPS/%s", json_string_value(json_object_get(c, "file")));
		e[n].data = render_file(w, "downloads/epub_chapter", cd, &e[n].len);
		json_decref(cd);
		if (!e[n++].data)
			return Q_ERR;
	}
	e[n].name = "OEBPS/afterword.xhtml";
	if (!(e[n].data = render_file(w, "downloads/epub_afterword", d, &e[n].len)))
		return Q_ERR;
	n++;
	char err[256];
	if (export_zip(e, n, (time_t)(wk->updated_at ? wk->updated_at : wk->published_at), out, err, sizeof err) != 0) {
		log_error("download of work %lld: %s", (long long)wk->id, err);
		return Q_ERR;
	}
	return 0;
}

void page_download(struct web_req *w)
{
	int format = download_format_of(w->params[1]);
	if (format < 0) {
		web_error(w, 404, "Works download as .epub or .html.");
		return;
	}
	struct work wk;
	if (!work_view_load(w, &wk, false))
		return;
	struct chapter *list;
	size_t n;
	if (store_chapter_list(w->app->store, w->arena, wk.id, true, &list, &n) != 0) {
		web_error(w, 500, "The work could not be loaded. Please try again in a moment.");
		return;
	}
	bool epub = format == DOWNLOAD_EPUB;
	struct text *texts[] = {&wk.summary, &wk.notes, &wk.end_notes};
	for (size_t i = 0; i < 3; i++)
		texts[i]->html = offline_html(w->arena, texts[i]->html, epub);
	for (size_t i = 0; i < n; i++) {
		list[i].content_html = offline_html(w->arena, list[i].content_html, epub);
		list[i].summary.html = offline_html(w->arena, list[i].summary.html, epub);
		list[i].notes.html = offline_html(w->arena, list[i].notes.html, epub);
		list[i].end_notes.html = offline_html(w->arena, list[i].end_notes.html, epub);
	}
	json_t *d = download_json(w, &wk, list, n);
	struct buf body = BUF_INIT;
	int rc = 0;
	if (format == DOWNLOAD_EPUB) {
		rc = build_epub(w, &wk, d, n, &body);
	} else {
		const struct asset *css = asset_find("static/download.css");
		json_object_set_new(d, "css", web_ref(w, css ? css->data : "", css ? css->len : 0));
		size_t len;
		const char *html = render_file(w, "downloads/work", d, &len);
		if (html)
			buf_append(&body, html, len);
		else
			rc = Q_ERR;
	}
	json_decref(d);
	if (rc != 0) {
		buf_free(&body);
		web_error(w, 500, "The download could not be made. Please try again in a moment.");
		return;
	}
	size_t len;
	char *data = buf_detach(&body, &len);
	http_response_hold(w->resp, w->arena, free, data);
	struct http_chunk *c = arena_alloc(w->arena, sizeof *c);
	*c = (struct http_chunk){data, len};
	http_response_chunks(w->resp, c, 1);
	w->resp->content_type = download_media_type((enum download_format)format);
	/* Saved under a readable name; filename* carries the title's own letters (RFC 6266). */
	const char *file = download_file_name(w->arena, wk.id, wk.title, (enum download_format)format);
	http_response_header(w->resp, w->arena, "Content-Disposition",
	                     arena_printf(w->arena, "attachment; filename=\"work_%lld.%s\"; filename*=UTF-8''%s",
	                                  (long long)wk.id, download_extension((enum download_format)format),
	                                  esc_url_a(w->arena, file)));
	/* Drafts and members-only works are personal: no shared cache may keep them. */
	http_response_header(w->resp, w->arena, "Cache-Control",
	                     wk.draft || wk.restricted ? "private, no-store" : "public, max-age=300");
}
