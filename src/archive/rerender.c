/* Rendering stored texts again with the current sanitizer, from their sources, in short batches on a thread. */
#include "archive/rerender.h"
#include "archive/text.h"
#include "archive/work.h"
#include "core/alloc.h"
#include "core/jobs.h"
#include "core/err.h"
#include "core/log.h"
#include "html/format.h"
#include "html/sanitize.h"
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The field's HTML as it is rendered when written (work_rules.c): nothing for a blank source; the old
 * rendering kept if the source cannot be rendered at all (it was checked when stored, so never). */
static void render(struct arena *a, struct text *t, enum text_format f, unsigned allow, const char *old)
{
	const char *src = t->src ? t->src : "";
	t->html = "";
	if (!*src || archive_text_invisible(src, strlen(src)))
		return;
	struct buf b = BUF_INIT;
	t->html = format_render_allowing(f, allow, src, strlen(src), &b) == 0 ? arena_strndup(a, buf_cstr(&b), b.len) : old;
	buf_free(&b);
}

static void render_stale(struct arena *a, struct stale_text *t)
{
	switch (t->kind) {
	case STALE_WORK:
		render(a, &t->text[0], FORMAT_HTML, WORK_SUMMARY_ALLOW, "");
		render(a, &t->text[1], FORMAT_HTML, WORK_NOTES_ALLOW, "");
		render(a, &t->text[2], FORMAT_HTML, WORK_NOTES_ALLOW, "");
		break;
	case STALE_CHAPTER: {
		enum text_format f = FORMAT_HTML;
		if (format_parse(t->format, &f) != 0)
			f = FORMAT_HTML;
		render(a, &t->text[0], f, CHAPTER_CONTENT_ALLOW, "");
		t->word_count = (int64_t)format_html_word_count(t->text[0].html, strlen(t->text[0].html));
		render(a, &t->text[1], FORMAT_HTML, WORK_SUMMARY_ALLOW, "");
		render(a, &t->text[2], FORMAT_HTML, WORK_NOTES_ALLOW, "");
		render(a, &t->text[3], FORMAT_HTML, WORK_NOTES_ALLOW, "");
		break;
	}
	case STALE_COMMENT:
		render(a, &t->text[0], FORMAT_HTML, 0, "");
		break;
	}
}

/* One batch; *stop (may be NULL) ends it between texts. */
static int batch(struct store *st, int limit, const atomic_bool *stop, size_t *saved)
{
	struct arena *a = arena_new();
	struct stale_text *list;
	size_t n;
	int rc = store_stale_texts(st, a, SANITIZER_VERSION, limit, &list, &n);
	for (size_t i = 0; rc == 0 && i < n && !(stop && atomic_load(stop)); i++) {
		render_stale(a, &list[i]);
		int s = store_stale_text_save(st, &list[i], SANITIZER_VERSION);
		if (s == 0)
			++*saved;
		else if (s != Q_ENOTFOUND) /* edited meanwhile: its edit was rendered with the current rules */
			rc = s;
	}
	arena_free(a);
	return rc ? rc : (int)n;
}

int archive_rerender_batch(struct store *st, int limit)
{
	size_t saved = 0;
	return batch(st, limit, NULL, &saved);
}

struct rerender {
	struct store *st;
	char *site_rules; /* a hash: the rules name the site's address, which the settings need not hold */
	bool rules_followed;
	size_t saved;
};

#define SITE_RULES_KEY "sanitizer_site_rules"

/* When the media hosts or the site's address changed since the last start, the chapters whose rendering
 * depends on them (players allowed or refused, relative images made absolute) are marked for rendering; the
 * rules are noted after, so a start stopped in between marks them again. */
static void follow_site_rules(struct rerender *r)
{
	struct arena *a = arena_new();
	char *last = NULL;
	int rc = store_setting_get(r->st, a, SITE_RULES_KEY, &last);
	bool changed = rc == 0 && strcmp(last, r->site_rules);
	if (changed) {
		int64_t marked = 0;
		if (store_stale_mark_media(r->st, &marked) == 0 && marked)
			log_info("the media hosts or the site's address changed: %lld chapters with images or players "
			         "will be rendered again", (long long)marked);
	}
	if (changed || rc == Q_ENOTFOUND)
		store_setting_set(r->st, SITE_RULES_KEY, r->site_rules);
	arena_free(a);
}

#define RERENDER_BATCH 64

static int64_t rerender_round(void *arg, const struct job_round *jr)
{
	struct rerender *r = arg;
	if (!r->rules_followed) {
		follow_site_rules(r);
		r->rules_followed = true;
	}
	int n = batch(r->st, RERENDER_BATCH, jr->stopping, &r->saved);
	if (n > 0 && !atomic_load(jr->stopping))
		return JOBS_AGAIN;
	if (n < 0)
		log_error("rendering stored texts again stopped: %s (it resumes at the next start)", err_str(n));
	if (r->saved)
		log_info("rendered %zu stored texts again with sanitizer version %d", r->saved, SANITIZER_VERSION);
	r->saved = 0;
	return JOBS_IDLE;
}

static void rerender_drain(void *arg)
{
	struct rerender *r = arg;
	free(r->site_rules);
	free(r);
}

int archive_rerender_jobs_add(struct store *st, struct jobs *jobs, const char *site_rules)
{
	struct rerender *r = xcalloc(1, sizeof *r);
	r->st = st;
	unsigned char h[16];
	const char *rules = site_rules ? site_rules : "";
	crypto_generichash(h, sizeof h, (const unsigned char *)rules, strlen(rules), NULL, 0);
	r->site_rules = xmalloc(2 * sizeof h + 1);
	sodium_bin2hex(r->site_rules, 2 * sizeof h + 1, h, sizeof h);
	if (!jobs_add(jobs, &(struct job_spec){.name = "rerender", .round = rerender_round, .drain = rerender_drain,
	                                       .arg = r, .exclusive = true})) {
		rerender_drain(r);
		return Q_ERR;
	}
	return 0;
}
