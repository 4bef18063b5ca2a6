/* The eFiction migration: members, tags, stories with their chapters, series, reviews and favourites, in that
 * order (each needs the ones before), each thing recorded in the import map in the transaction that makes it. */
#include "archive/efiction.h"
#include "archive/account.h"
#include "archive/import.h"
#include "archive/names.h"
#include "archive/tags.h"
#include "archive/text.h"
#include "archive/tx.h"
#include "core/err.h"
#include "core/html_text.h"
#include "core/utf8.h"
#include "html/escape.h"
#include "html/format.h"
#include "html/sanitize.h"
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SKIPPED_SHOWN 400 /* reasons listed in the report; the rest are counted */

enum what { W_MEMBERS, W_CATEGORIES, W_CHARACTERS, W_STORIES, W_CHAPTERS, W_SERIES, W_COAUTHORS, W_REVIEWS,
            W_REPLIES, W_FAVORITES, W_COUNT };
static const char *const what_names[W_COUNT] = {
	"members", "categories (fandoms)", "characters", "stories", "chapters", "series", "co-authors", "reviews",
	"authors' responses", "favourites",
};

struct count {
	size_t source, imported, already, skipped;
};

struct mig {
	struct store *st;
	struct efiction *ef;
	const struct efiction_map *m;
	const struct efiction_run *run;
	struct arena *a;          /* for the whole run */
	const char *src;          /* the archive's key in the import map */
	struct count c[W_COUNT];
	size_t drafts, renamed, placeholders, linked, bookmarks, author_subs, series_subs, repaired;
	size_t repaired_chapters; /* chapters whose text was encoded twice */
	struct buf skipped;       /* "  reason" lines */
	size_t nskipped;
	struct buf notes;         /* what was done differently from eFiction */
	size_t nnotes;
	int64_t *users;           /* new account of each author (by index in ef->authors); 0 when none */
	const char **user_names;
	int64_t orphan_id;
	const char **character_names; /* the tag each character became (by index) */
	bool in_tx;
};

static void skip(struct mig *g, enum what w, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void skip(struct mig *g, enum what w, const char *fmt, ...)
{
	g->c[w].skipped++;
	if (++g->nskipped > SKIPPED_SHOWN)
		return;
	va_list ap;
	va_start(ap, fmt);
	buf_puts(&g->skipped, "  ");
	buf_vprintf(&g->skipped, fmt, ap);
	buf_putc(&g->skipped, '\n');
	va_end(ap);
}

static void note(struct mig *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct mig *g, const char *fmt, ...)
{
	if (++g->nnotes > SKIPPED_SHOWN)
		return;
	va_list ap;
	va_start(ap, fmt);
	buf_puts(&g->notes, "  ");
	buf_vprintf(&g->notes, fmt, ap);
	buf_putc(&g->notes, '\n');
	va_end(ap);
}

static void progress(struct mig *g, const char *phase, size_t done, size_t total)
{
	if (g->run->progress)
		g->run->progress(g->run->progress_ctx, phase, done, total);
}

/* The import map: what an old id became (0 when nothing yet). */
static int64_t mapped(struct mig *g, const char *kind, int64_t legacy)
{
	int64_t id = 0;
	return store_import_map_get(g->st, g->src, kind, legacy, &id) == 0 ? id : 0;
}

static int remember(struct mig *g, const char *kind, int64_t legacy, int64_t id)
{
	return g->run->dry_run ? 0 : store_import_map_set(g->st, g->src, kind, legacy, id);
}

/* Batches of writes in one transaction each: begin when none is open, commit every `every` items. */
static int tx_open(struct mig *g)
{
	if (g->run->dry_run || g->in_tx)
		return 0;
	int rc = store_tx_begin(g->st);
	g->in_tx = rc == 0;
	return rc;
}

static int tx_close(struct mig *g, int rc)
{
	if (!g->in_tx)
		return rc;
	g->in_tx = false;
	return archive_tx_end(g->st, rc);
}

/* Tests: QUIRE_IMPORT_KILL_AFTER=N kills the process (SIGKILL, as a power cut would) once N batches of stories
 * have committed, to prove that a run resumes where it stopped. Never set in use. */
static void maybe_killed(const char *phase, size_t batches)
{
	const char *after = getenv("QUIRE_IMPORT_KILL_AFTER");
	if (after && *after && !strcmp(phase, "stories") && batches >= (size_t)atol(after))
		raise(SIGKILL);
}

/* one(g, i) for each i below n, committed every batch items: a crash loses one batch at most, which the next
 * run redoes (what each item made is recorded in its own transaction). The progress bar shows phase. */
static int in_batches(struct mig *g, const char *phase, size_t n, size_t batch, int (*one)(struct mig *g, size_t i))
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if ((rc = tx_open(g)))
			break;
		rc = one(g, i);
		if (rc == 0 && (i + 1) % batch == 0) {
			rc = tx_close(g, rc);
			if (rc == 0 && !g->run->dry_run)
				maybe_killed(phase, (i + 1) / batch);
		}
		progress(g, phase, i + 1, n);
	}
	return tx_close(g, rc);
}

/* s cut to max characters (a whole one), "…" added when cut. */
static const char *cut(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (utf8_length(s, n) <= max)
		return s;
	size_t k = 0, chars = 0;
	while (k < n && chars + 1 < max) {
		k++;
		while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
			k++;
		chars++;
	}
	return arena_printf(a, "%.*s…", (int)k, s);
}

/* A tag name as the rules accept it: AO3's forbidden characters out, commas as spaces, at most 150. */
static const char *tag_name(struct arena *a, const char *s)
{
	char *t = arena_strdup(a, s);
	char *o = t;
	for (const char *p = t; *p; p++) {
		if (*p == ',')
			*o++ = ' ';
		else if (!strchr("^*<>{}=\\%", *p))
			*o++ = *p;
	}
	*o = 0;
	return cut(a, archive_clean_line(a, t), TAG_NAME_MAX);
}

/* ---- Members ---- */

/* A user name from a pen name: letters, digits and underscores, 3 to 40 of them. */
static const char *name_of(struct arena *a, const char *pen, int64_t uid)
{
	char buf[ACCOUNT_NAME_MAX + 1];
	size_t n = 0;
	bool under = false;
	for (const char *p = pen; *p && n < ACCOUNT_NAME_MAX; p++) {
		if (isalnum((unsigned char)*p)) {
			buf[n++] = *p;
			under = false;
		} else if (n && !under) {
			buf[n++] = '_';
			under = true;
		}
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = 0;
	if (n < ACCOUNT_NAME_MIN || account_name_problem(buf))
		return arena_printf(a, "%.*s%smember_%lld", (int)(n > 20 ? 20 : n), buf, n ? "_" : "", (long long)uid);
	return arena_strdup(a, buf);
}

static int import_member(struct mig *g, size_t i)
{
	const struct ef_author *au = &g->ef->authors[i];
	struct arena *a = g->a;
	int64_t id = mapped(g, "user", au->uid);
	if (id) {
		g->users[i] = id;
		g->c[W_MEMBERS].already++;
		struct user u;
		if (store_user_get(g->st, a, id, &u) == 0)
			g->user_names[i] = u.name;
		return 0;
	}
	const char *pen = efiction_line(a, au->penname, &g->repaired);
	const char *email = archive_trim(a, au->email);
	/* someone here already has the address: the same person, whose account takes the old one's works */
	struct user existing;
	if (*email && !account_email_problem(email) && store_user_get_by_email(g->st, a, email, &existing) == 0 &&
	    strcmp(existing.role, "orphan") != 0) {
		g->users[i] = existing.id;
		g->user_names[i] = existing.name;
		g->linked++;
		note(g, "member \"%s\" (uid %lld) has the address of the account %s here: their works go to it", pen,
		     (long long)au->uid, existing.name);
		g->c[W_MEMBERS].imported++;
		return remember(g, "user", au->uid, existing.id);
	}
	const char *name = name_of(a, pen, au->uid);
	struct user other;
	const char *sk = archive_name_skeleton(a, name);
	if (store_user_get_by_name(g->st, a, name, &other) == 0 ||
	    (sk && store_user_get_by_skeleton(g->st, a, sk, &other) == 0)) {
		name = arena_printf(a, "%.*s_%lld", 28, name, (long long)au->uid);
		sk = archive_name_skeleton(a, name);
	}
	if (strcmp(name, pen) != 0) {
		g->renamed++;
		note(g, "member \"%s\" (uid %lld) is %s here (user names are letters, digits and _)", pen, (long long)au->uid,
		     name);
	}
	if (!*email || account_email_problem(email) || store_user_get_by_email(g->st, a, email, &other) == 0) {
		note(g, "member %s (uid %lld) had no usable e-mail address (\"%s\"): it cannot be claimed by mail; an admin "
		        "can give it a password (quire user password %s)", name, (long long)au->uid, au->email, name);
		email = arena_printf(a, "efiction-%lld.%s@members.invalid", (long long)au->uid, g->src);
		g->placeholders++;
	}
	g->user_names[i] = name;
	g->c[W_MEMBERS].imported++;
	if (g->run->dry_run)
		return 0;
	int rc = store_import_account_create(g->st, name, email, au->date, sk, &id);
	if (rc)
		return rc;
	g->users[i] = id;
	/* the profile: bio and the extra fields */
	const char *bio = efiction_html(a, au->bio, &g->repaired);
	if (*au->fields) {
		const char *f = efiction_html(a, au->fields, NULL);
		bio = arena_printf(a, "%s%s", bio, f);
	}
	if (!archive_text_invisible(bio, strlen(bio))) {
		struct buf b = BUF_INIT;
		bio = archive_repair_text(a, bio);
		if (format_render(FORMAT_HTML, bio, strlen(bio), &b) == 0) {
			struct text t = {bio, arena_strndup(a, buf_cstr(&b), b.len)};
			rc = store_user_profile_set(g->st, id, &t);
		}
		buf_free(&b);
	}
	if (rc == 0)
		rc = remember(g, "user", au->uid, id);
	return rc;
}

static int members(struct mig *g)
{
	g->c[W_MEMBERS].source = g->ef->rows[EF_AUTHORS];
	return in_batches(g, "members", g->ef->nauthors, 200, import_member);
}

/* The account of eFiction member uid here (the orphan account for a member that is gone), 0 for none. */
static int64_t user_of(struct mig *g, int64_t uid, const char **name)
{
	const struct ef_author *au = efiction_author(g->ef, uid);
	if (au) {
		size_t i = (size_t)(au - g->ef->authors);
		if (g->users[i] || g->run->dry_run) {
			if (name)
				*name = g->user_names[i];
			return g->users[i] ? g->users[i] : -1;
		}
	}
	if (name)
		*name = "orphan_account";
	return 0;
}

/* ---- Fandoms and characters ---- */

/* Categories parents first, so that a meta tag is canonical before its sub-tags point at it. */
static int depth_of(const struct efiction_map *m, const struct efmap_category *c)
{
	int d = 0;
	for (int64_t p = c->parent; p > 0 && d < 8; d++) {
		const struct efmap_category *up = efiction_map_category(m, p);
		if (!up)
			break;
		p = up->parent;
	}
	return d;
}

/* Makes tag id canonical, under a fandom (characters) or a meta tag (sub-categories), inside the open
 * transaction (one for all the tags: a commit each would cost a disk flush each). */
static int wrangle(struct mig *g, int64_t id, const char *name, const char *fandom, const char *meta)
{
	const char *one[2] = {fandom ? fandom : meta, NULL};
	struct strlist list = {one, 1};
	struct tag_wrangle req = {.tag_id = id, .canonical = 1, .fandoms = fandom ? &list : NULL,
	                          .metas = meta ? &list : NULL};
	const char *why = NULL;
	int rc = store_tag_wrangle(g->st, g->a, &req, &why);
	if (rc == Q_EINVAL) /* refused: the store failed the transaction; say why and stop here */
		note(g, "tag \"%s\": %s", name, why ? why : "could not be wrangled");
	return rc;
}

static int tags(struct mig *g)
{
	const struct efiction_map *m = g->m;
	g->c[W_CATEGORIES].source = g->ef->rows[EF_CATEGORIES];
	g->c[W_CHARACTERS].source = g->ef->rows[EF_CHARACTERS];
	int rc = 0;
	for (int depth = 0; depth < 9 && rc == 0; depth++) {
		for (size_t i = 0; i < m->ncategories && rc == 0; i++) {
			const struct efmap_category *c = &m->categories[i];
			if (depth_of(m, c) != depth)
				continue;
			const char *name = tag_name(g->a, c->to);
			if (mapped(g, "category", c->catid)) {
				g->c[W_CATEGORIES].already++;
				continue;
			}
			g->c[W_CATEGORIES].imported++;
			if (g->run->dry_run)
				continue;
			int64_t id;
			const struct efmap_category *up = c->parent > 0 ? efiction_map_category(m, c->parent) : NULL;
			if ((rc = tx_open(g)) || (rc = store_import_tag_ensure(g->st, TAG_FANDOM, name, &id)) ||
			    (rc = wrangle(g, id, name, NULL, up ? tag_name(g->a, up->to) : NULL)))
				break;
			rc = remember(g, "category", c->catid, id);
		}
	}
	/* characters: one tag each, under its category's fandom; a name two fandoms share gets the fandom */
	g->character_names = arena_calloc(g->a, g->ef->ncharacters + 1, sizeof *g->character_names);
	for (size_t i = 0; i < g->ef->ncharacters && rc == 0; i++) {
		const struct ef_character *ch = &g->ef->characters[i];
		const char *name = tag_name(g->a, efiction_line(g->a, ch->name, &g->repaired));
		const struct efmap_category *cat = ch->catid > 0 ? efiction_map_category(m, ch->catid) : NULL;
		for (size_t k = 0; k < g->ef->ncharacters; k++)
			if (k != i && g->ef->characters[k].catid != ch->catid &&
			    !strcasecmp(efiction_line(g->a, g->ef->characters[k].name, NULL), efiction_line(g->a, ch->name, NULL)) &&
			    cat)
				name = tag_name(g->a, arena_printf(g->a, "%s (%s)", name, cat->to));
		g->character_names[i] = name;
		if (mapped(g, "character", ch->charid)) {
			g->c[W_CHARACTERS].already++;
			continue;
		}
		g->c[W_CHARACTERS].imported++;
		if (g->run->dry_run)
			continue;
		int64_t id;
		if ((rc = tx_open(g)) || (rc = store_import_tag_ensure(g->st, TAG_CHARACTER, name, &id)) ||
		    (rc = wrangle(g, id, name, cat ? tag_name(g->a, cat->to) : NULL, NULL)))
			break;
		rc = remember(g, "character", ch->charid, id);
	}
	return tx_close(g, rc);
}

/* ---- Stories ---- */

static void add(struct arena *a, struct strlist *l, const char *s, size_t cap)
{
	if (!s || !*s)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->items[i], s))
			return;
	if (!l->items)
		l->items = arena_calloc(a, cap + 1, sizeof *l->items);
	if (l->n < cap)
		l->items[l->n++] = s;
}

/* The story's chapters in ef->chapters (sorted by story, order): the first index and how many. */
static size_t chapters_of(const struct efiction *ef, int64_t sid, size_t *first)
{
	size_t lo = 0, hi = ef->nchapters;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ef->chapters[mid].sid < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	size_t n = 0;
	while (lo + n < ef->nchapters && ef->chapters[lo + n].sid == sid)
		n++;
	return n;
}

/* The first confirmed series the story is part of, and its place there. */
static const struct ef_inseries *series_of(const struct efiction *ef, int64_t sid)
{
	const struct ef_inseries *best = NULL;
	for (size_t i = 0; i < ef->ninseries; i++) {
		const struct ef_inseries *s = &ef->inseries[i];
		if (s->sid == sid && s->confirmed && (!best || s->seriesid < best->seriesid))
			best = s;
	}
	return best;
}

/* HTML of at most max visible characters: the text cut, as one paragraph, when it is longer. */
static const char *within(struct mig *g, const char *html, size_t max, bool *was_cut)
{
	const char *plain = html_plain(g->a, html);
	*was_cut = utf8_length(plain, strlen(plain)) > max;
	if (!*was_cut)
		return html;
	return arena_printf(g->a, "<p>%s</p>", esc_html_a(g->a, cut(g->a, plain, max - 10)));
}

struct story_parts {
	struct work_input in;
	struct chapter_input *chapters;
	int64_t *chapter_published;
	const struct ef_chapter **efc;  /* the eFiction chapter of each */
	size_t n;
	int64_t owner;
	const char *owner_name;
	int64_t coauthors[WORK_COAUTHORS_MAX];
	size_t ncoauthors;
};

/* Everything a story becomes, before anything is written. false (with the reason reported) when it cannot
 * be imported at all. */
static bool build_story(struct mig *g, struct arena *a, const struct ef_story *s, struct story_parts *p)
{
	const struct efiction_map *m = g->m;
	memset(p, 0, sizeof *p);
	struct work_input *in = &p->in;
	const char *title = efiction_line(a, s->title, &g->repaired);
	in->title = *title ? cut(a, title, WORK_TITLE_MAX) : "Untitled";
	p->owner = user_of(g, s->uid, &p->owner_name);
	if (p->owner == 0) {
		note(g, "story %lld \"%s\" belonged to member %lld, who is gone: it goes to orphan_account", (long long)s->sid,
		     in->title, (long long)s->uid);
		p->owner = g->orphan_id;
	}
	bool was_cut = false;
	const char *summary = efiction_html(a, s->summary, &g->repaired);
	const char *notes = efiction_html(a, s->notes, &g->repaired);
	in->summary = within(g, summary, WORK_SUMMARY_MAX, &was_cut);
	if (was_cut) { /* the whole summary opens the notes instead */
		notes = arena_printf(a, "%s%s", summary, notes);
		note(g, "story %lld: its summary was longer than %d characters: cut, and kept whole in its notes",
		     (long long)s->sid, WORK_SUMMARY_MAX);
	}
	in->notes = within(g, notes, WORK_NOTES_MAX, &was_cut);
	if (was_cut)
		note(g, "story %lld: its notes were longer than %d characters and were cut", (long long)s->sid, WORK_NOTES_MAX);
	const struct efmap_rating *r = efiction_map_rating(m, s->rid);
	in->rating = r ? r->to : m->no_rating;
	for (size_t i = 0; i < s->classes.n; i++) {
		const struct efmap_class *c = efiction_map_class(m, s->classes.ids[i]);
		if (!c) {
			note(g, "story %lld: class %lld is unknown: left out", (long long)s->sid, (long long)s->classes.ids[i]);
			continue;
		}
		if (c->kind == EFMAP_WARNING)
			add(a, &in->tags[TAG_WARNING], c->to, 10);
		else if (c->kind == EFMAP_CATEGORY)
			add(a, &in->tags[TAG_CATEGORY], c->to, 10);
		else if (c->kind == EFMAP_FREEFORM)
			add(a, &in->tags[TAG_FREEFORM], tag_name(a, c->to), 60);
	}
	if (in->tags[TAG_WARNING].n == 0)
		add(a, &in->tags[TAG_WARNING], m->no_warning, 10);
	for (size_t i = 0; i < s->catids.n; i++) {
		const struct efmap_category *c = efiction_map_category(m, s->catids.ids[i]);
		if (c)
			add(a, &in->tags[TAG_FANDOM], tag_name(a, c->to), 10);
		else
			note(g, "story %lld: category %lld is unknown: left out", (long long)s->sid, (long long)s->catids.ids[i]);
	}
	if (in->tags[TAG_FANDOM].n == 0) {
		add(a, &in->tags[TAG_FANDOM], "Unknown Fandom", 10);
		note(g, "story %lld \"%s\" had no category: its fandom is \"Unknown Fandom\"", (long long)s->sid, in->title);
	}
	for (size_t i = 0; i < s->charids.n; i++)
		for (size_t k = 0; k < g->ef->ncharacters; k++)
			if (g->ef->characters[k].charid == s->charids.ids[i])
				add(a, &in->tags[TAG_CHARACTER], g->character_names[k], 60);
	const char *lang = g->ef->settings.language;
	in->language = lang && *lang ? import_language_name(a, lang) : "English";
	in->complete = s->completed;
	in->draft = !s->validated;
	in->coauthors.items = arena_calloc(a, WORK_COAUTHORS_MAX + 1, sizeof *in->coauthors.items);
	for (size_t i = 0; i < g->ef->ncoauthors && p->ncoauthors < WORK_COAUTHORS_MAX; i++) {
		const struct ef_coauthor *co = &g->ef->coauthors[i];
		if (co->sid != s->sid || co->uid == s->uid)
			continue;
		const char *name;
		int64_t id = user_of(g, co->uid, &name);
		if (id == 0) {
			skip(g, W_COAUTHORS, "co-author %lld of story %lld: no such member", (long long)co->uid, (long long)s->sid);
			continue;
		}
		in->coauthors.items[in->coauthors.n++] = name;
		p->coauthors[p->ncoauthors++] = id;
	}
	const struct ef_inseries *ins = series_of(g->ef, s->sid);
	if (ins) {
		const struct ef_series *se = efiction_series(g->ef, ins->seriesid);
		if (se) {
			in->series_title = cut(a, efiction_line(a, se->title, NULL), WORK_SERIES_TITLE_MAX);
			in->series_position = ins->order > 0 ? ins->order : 0;
			if (se->uid != s->uid)
				note(g, "story %lld is part %d of \"%s\", a series of another member: here it is part of a series "
				     "of that name by its own creator", (long long)s->sid, ins->order, in->series_title);
		}
	}
	/* chapters: a posted story shows its validated chapters only, as eFiction did */
	size_t first, n = chapters_of(g->ef, s->sid, &first);
	p->chapters = arena_calloc(a, n + 1, sizeof *p->chapters);
	p->chapter_published = arena_calloc(a, n + 1, sizeof *p->chapter_published);
	p->efc = arena_calloc(a, n + 1, sizeof *p->efc);
	for (size_t i = 0; i < n; i++) {
		const struct ef_chapter *c = &g->ef->chapters[first + i];
		if (s->validated && !c->validated) {
			skip(g, W_CHAPTERS, "chapter %lld (\"%s\", story %lld): not validated in eFiction, and Quire has no "
			     "unposted chapters; validate it there and run the import again, or post it by hand",
			     (long long)c->chapid, efiction_line(a, c->title, NULL), (long long)s->sid);
			continue;
		}
		const char *text, *where;
		if (efiction_chapter_text(g->ef, a, c, &text, &where) != 0 || !text) {
			skip(g, W_CHAPTERS, "chapter %lld (story %lld): its text is neither in the database nor in the stories "
			     "folder%s", (long long)c->chapid, (long long)s->sid, g->ef->files_dir ? "" : " (give --files)");
			continue;
		}
		struct chapter_input *ci = &p->chapters[p->n];
		ci->title = cut(a, efiction_line(a, c->title, &g->repaired), WORK_TITLE_MAX);
		size_t fixed = 0;
		ci->content = efiction_html(a, text, &fixed);
		g->repaired_chapters += fixed > 0;
		ci->notes = within(g, efiction_html(a, c->notes, &g->repaired), WORK_NOTES_MAX, &was_cut);
		ci->end_notes = within(g, efiction_html(a, c->endnotes, &g->repaired), WORK_NOTES_MAX, &was_cut);
		ci->format = "html";
		p->efc[p->n++] = c;
	}
	/* eFiction dates stories, not chapters: the first chapter is as old as the story, the last as its update */
	for (size_t i = 0; i < p->n; i++)
		p->chapter_published[i] = i + 1 == p->n && p->n > 1 && s->updated > s->date ? s->updated : s->date;
	if (p->n == 0) {
		skip(g, W_STORIES, "story %lld \"%s\": no chapter could be imported", (long long)s->sid, in->title);
		g->c[W_COAUTHORS].skipped += p->ncoauthors;
		return false;
	}
	if (in->complete)
		in->expected_chapters = (int)p->n;
	return true;
}

/* Drops chapter i of p (it broke a rule), reporting why. */
static void drop_chapter(struct mig *g, struct story_parts *p, size_t i, const char *why)
{
	skip(g, W_CHAPTERS, "chapter %lld (story %lld): %s", (long long)p->efc[i]->chapid, (long long)p->efc[i]->sid, why);
	memmove(&p->chapters[i], &p->chapters[i + 1], (p->n - i - 1) * sizeof *p->chapters);
	memmove(&p->chapter_published[i], &p->chapter_published[i + 1], (p->n - i - 1) * sizeof *p->chapter_published);
	memmove(&p->efc[i], &p->efc[i + 1], (p->n - i - 1) * sizeof *p->efc);
	p->n--;
}

static int import_story(struct mig *g, const struct ef_story *s)
{
	if (mapped(g, "story", s->sid)) {
		g->c[W_STORIES].already++;
		size_t first, n = chapters_of(g->ef, s->sid, &first);
		for (size_t i = 0; i < n; i++)
			if (mapped(g, "chapter", g->ef->chapters[first + i].chapid))
				g->c[W_CHAPTERS].already++;
			else
				g->c[W_CHAPTERS].skipped++; /* skipped the first time, with its reason */
		for (size_t i = 0; i < g->ef->ncoauthors; i++)
			if (g->ef->coauthors[i].sid == s->sid && g->ef->coauthors[i].uid != s->uid)
				g->c[W_COAUTHORS].already++;
		return 0;
	}
	struct arena *a = arena_new();
	struct story_parts p;
	if (!build_story(g, a, s, &p)) {
		arena_free(a);
		return 0;
	}
	struct user owner = {.id = p.owner, .name = p.owner_name, .role = "user"};
	const char *site_url = g->ef->settings.url;
	bool web = site_url && (!strncmp(site_url, "http://", 7) || !strncmp(site_url, "https://", 8));
	struct work_source src = {.site = g->m->site,
	                          .url = web ? arena_printf(a, "%s%sviewstory.php?sid=%lld", site_url,
	                                                    site_url[strlen(site_url) - 1] == '/' ? "" : "/", (long long)s->sid)
	                                     : ""};
	struct archive_import in = {.work = p.in, .chapters = p.chapters, .nchapters = p.n,
	                            .published_at = s->date, .updated_at = s->updated > s->date ? s->updated : s->date,
	                            .chapter_published = p.chapter_published, .source = &src};
	struct archive_import_result res;
	int rc = 0;
	if (g->run->dry_run) /* a dry run made no accounts to invite */
		in.work.coauthors.n = 0;
	for (;;) {
		struct field_errors e = {0};
		in.chapters = p.chapters;
		in.nchapters = p.n;
		in.chapter_published = p.chapter_published;
		rc = g->run->dry_run ? archive_import_post(g->st, a, &owner, &in, true, &res, &e)
		                     : archive_import_post_joined(g->st, a, &owner, &in, &res, &e);
		if (rc != Q_EINVAL)
			break;
		/* a chapter that breaks a rule (empty, too short) is left out; anything else leaves the story out */
		size_t dropped = 0;
		for (size_t k = e.n; k-- > 0;) {
			unsigned ch;
			char field[32];
			if (sscanf(e.items[k].field, "chapters.%u.%31s", &ch, field) == 2 && ch >= 1 && ch <= p.n &&
			    !strcmp(field, "content")) {
				drop_chapter(g, &p, ch - 1, e.items[k].message);
				dropped++;
			}
		}
		if (dropped == 0 || p.n == 0) {
			skip(g, W_STORIES, "story %lld \"%s\": %s", (long long)s->sid, p.in.title,
			     p.n == 0 ? "no chapter could be imported" : e.n ? e.items[0].message : "refused");
			g->c[W_CHAPTERS].skipped += p.n; /* with their story */
			g->c[W_COAUTHORS].skipped += p.ncoauthors;
			rc = 0;
			arena_free(a);
			return 0;
		}
	}
	if (rc) {
		arena_free(a);
		return rc;
	}
	g->c[W_STORIES].imported++;
	g->c[W_CHAPTERS].imported += p.n;
	g->c[W_COAUTHORS].imported += p.ncoauthors;
	g->drafts += p.in.draft;
	if (!g->run->dry_run) {
		for (size_t i = 0; rc == 0 && i < p.ncoauthors; i++)
			rc = store_work_accept(g->st, res.work.id, p.coauthors[i]);
		for (size_t i = 0; rc == 0 && i < p.n; i++) {
			rc = remember(g, "chapter", p.efc[i]->chapid, res.chapters[i].id);
			if (rc == 0)
				rc = remember(g, "chapterpos", archive_efiction_chapter_key(s->sid, p.efc[i]->order),
				              res.chapters[i].id);
		}
		if (rc == 0)
			rc = remember(g, "story", s->sid, res.work.id);
	}
	arena_free(a);
	return rc;
}

static int import_story_at(struct mig *g, size_t i)
{
	return import_story(g, &g->ef->stories[i]);
}

static int stories(struct mig *g)
{
	g->c[W_STORIES].source = g->ef->rows[EF_STORIES];
	g->c[W_CHAPTERS].source = g->ef->rows[EF_CHAPTERS];
	g->c[W_COAUTHORS].source = g->ef->rows[EF_COAUTHORS];
	size_t batch = g->run->batch ? g->run->batch : 100;
	const char *env = getenv("QUIRE_IMPORT_BATCH"); /* tests: small batches */
	if (env && atol(env) > 0)
		batch = (size_t)atol(env);
	int rc = in_batches(g, "stories", g->ef->nstories, batch, import_story_at);
	/* chapters of stories that are not in the stories table at all */
	for (size_t i = 0; i < g->ef->nchapters; i++)
		if (!efiction_story(g->ef, g->ef->chapters[i].sid))
			skip(g, W_CHAPTERS, "chapter %lld: its story %lld does not exist", (long long)g->ef->chapters[i].chapid,
			     (long long)g->ef->chapters[i].sid);
	/* co-authors of missing stories */
	for (size_t i = 0; i < g->ef->ncoauthors; i++) {
		const struct ef_coauthor *co = &g->ef->coauthors[i];
		const struct ef_story *s = efiction_story(g->ef, co->sid);
		if (!s)
			skip(g, W_COAUTHORS, "co-author %lld of story %lld: no such story", (long long)co->uid, (long long)co->sid);
		else if (co->uid == s->uid)
			skip(g, W_COAUTHORS, "co-author %lld of story %lld: the story's own author", (long long)co->uid,
			     (long long)co->sid);
		else if (!mapped(g, "story", co->sid) && !g->run->dry_run)
			g->c[W_COAUTHORS].skipped++; /* with its story */
	}
	return rc;
}

/* ---- Series ---- */

static int series(struct mig *g)
{
	g->c[W_SERIES].source = g->ef->rows[EF_SERIES];
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < g->ef->nseries; i++) {
		const struct ef_series *se = &g->ef->series[i];
		if (mapped(g, "series", se->id)) {
			g->c[W_SERIES].already++;
			continue;
		}
		/* the series of one of its owner's stories here; for an open series with none of its owner's stories,
		 * the series of the same name its first story went into */
		int64_t sid = 0, first = 0;
		int first_order = 0;
		for (size_t k = 0; k < g->ef->ninseries && !sid; k++) {
			const struct ef_inseries *in = &g->ef->inseries[k];
			const struct ef_story *s = in->seriesid == se->id && in->confirmed ? efiction_story(g->ef, in->sid) : NULL;
			if (!s || series_of(g->ef, s->sid) != in || !(g->run->dry_run || mapped(g, "story", s->sid)))
				continue;
			if (s->uid == se->uid)
				sid = s->sid;
			else if (!first || in->order < first_order)
				first = s->sid, first_order = in->order;
		}
		if (!sid && first) {
			sid = first;
			note(g, "series %lld \"%s\" holds none of its owner's stories: old links to it lead to the series of that "
			     "name by the creator of its first story", (long long)se->id, efiction_line(g->a, se->title, NULL));
		}
		for (size_t k = 0; k < g->ef->ninseries; k++) {
			const struct ef_inseries *in = &g->ef->inseries[k];
			if (in->seriesid == se->id && in->subseriesid > 0 && in->sid == 0)
				note(g, "series %lld holds series %lld as a part: each is a series of its own here (Quire's series "
				     "hold works)", (long long)se->id, (long long)in->subseriesid);
			if (in->seriesid == se->id && !in->confirmed && in->sid > 0)
				note(g, "story %lld waited for confirmation in series %lld: not added to it", (long long)in->sid,
				     (long long)se->id);
		}
		if (!sid && !g->run->dry_run) {
			skip(g, W_SERIES, "series %lld \"%s\": none of its owner's stories was imported into it", (long long)se->id,
			     efiction_line(g->a, se->title, NULL));
			continue;
		}
		g->c[W_SERIES].imported++;
		if (g->run->dry_run)
			continue;
		struct work w;
		if ((rc = store_work_get(g->st, g->a, mapped(g, "story", sid), &w)))
			break;
		if (w.series_id)
			rc = remember(g, "series", se->id, w.series_id);
	}
	return rc;
}

/* ---- Reviews ---- */

/* Splits eFiction's "review<br><br><i>Author's Response: reply</i>" into its two parts. */
static const char *split_response(struct arena *a, const char *review, const char **reply)
{
	*reply = NULL;
	const char *at = strcasestr(review, "Author's Response:");
	if (!at)
		at = strcasestr(review, "Author&#039;s Response:");
	if (!at)
		return review;
	/* back over the <i> and the line breaks before it */
	const char *start = at;
	while (start > review) {
		const char *p = start;
		while (p > review && isspace((unsigned char)p[-1]))
			p--;
		if (p - review >= 3 && !strncasecmp(p - 3, "<i>", 3))
			start = p - 3;
		else if (p - review >= 6 && !strncasecmp(p - 6, "<br />", 6))
			start = p - 6;
		else if (p - review >= 5 && !strncasecmp(p - 5, "<br/>", 5))
			start = p - 5;
		else if (p - review >= 4 && !strncasecmp(p - 4, "<br>", 4))
			start = p - 4;
		else
			break;
	}
	const char *r = at + strlen("Author's Response:");
	if (!strncasecmp(at, "Author&#039;s", 13))
		r = at + strlen("Author&#039;s Response:");
	char *rep = arena_strdup(a, r);
	size_t n = strlen(rep);
	while (n && isspace((unsigned char)rep[n - 1]))
		n--;
	if (n >= 4 && !strncasecmp(rep + n - 4, "</i>", 4))
		n -= 4;
	rep[n] = 0;
	*reply = rep;
	return arena_strndup(a, review, (size_t)(start - review));
}

/* Sanitized text for a comment; false when it shows nothing. */
static bool comment_text(struct arena *a, const char *html, struct text *out)
{
	html = archive_repair_text(a, html);
	if (archive_text_invisible(html, strlen(html)))
		return false;
	struct buf b = BUF_INIT;
	bool ok = format_render(FORMAT_HTML, html, strlen(html), &b) == 0;
	if (ok) {
		out->src = html;
		out->html = arena_strndup(a, buf_cstr(&b), b.len);
		size_t shown = 0;
		ok = archive_html_shows(a, out->html, &shown) || shown > 0;
	}
	buf_free(&b);
	return ok;
}

static int import_review(struct mig *g, const struct ef_review *r)
{
	if (mapped(g, "review", r->id)) {
		g->c[W_REVIEWS].already++;
		if (r->respond)
			g->c[W_REPLIES].already++;
		return 0;
	}
	if (strcmp(r->type, "ST") != 0) {
		skip(g, W_REVIEWS, "review %lld: on %s %lld, and Quire has no comments on %s", (long long)r->id,
		     !strcmp(r->type, "SE") ? "series" : r->type, (long long)r->item,
		     !strcmp(r->type, "SE") ? "series" : "those");
		if (r->respond)
			g->c[W_REPLIES].skipped++;
		return 0;
	}
	int64_t work = mapped(g, "story", r->item);
	const struct ef_story *story = efiction_story(g->ef, r->item);
	if ((!work && !g->run->dry_run) || !story) {
		skip(g, W_REVIEWS, "review %lld: its story %lld %s", (long long)r->id, (long long)r->item,
		     story ? "was not imported" : "does not exist");
		if (r->respond)
			g->c[W_REPLIES].skipped++;
		return 0;
	}
	int64_t chapter = r->chapid > 0 ? mapped(g, "chapter", r->chapid) : 0;
	if (r->chapid > 0 && !chapter && !g->run->dry_run)
		note(g, "review %lld was on chapter %lld, which was not imported: it is on the whole work", (long long)r->id,
		     (long long)r->chapid);
	struct arena *a = arena_new();
	const char *reply;
	const char *body = split_response(a, r->review, &reply);
	body = efiction_html(a, body, &g->repaired);
	if (g->m->review_ratings && r->rating >= 0 && g->ef->settings.ratings > 0) {
		const char *said = g->ef->settings.ratings == 2 ? (r->rating > 0 ? "Liked it." : "Did not like it.")
		                                                : arena_printf(a, "Rated %d.", r->rating);
		body = arena_printf(a, "<p><em>%s</em></p>\n%s", said, body);
	}
	struct text t;
	if (!comment_text(a, body, &t)) {
		skip(g, W_REVIEWS, "review %lld: nothing in it to show", (long long)r->id);
		if (reply)
			g->c[W_REPLIES].skipped++;
		arena_free(a);
		return 0;
	}
	const char *by_name = NULL;
	int64_t by = r->uid > 0 ? user_of(g, r->uid, &by_name) : 0;
	g->c[W_REVIEWS].imported++;
	int rc = 0;
	struct text rt;
	bool has_reply = reply && comment_text(a, efiction_html(a, reply, &g->repaired), &rt);
	if (reply && !has_reply)
		skip(g, W_REPLIES, "the response to review %lld: nothing in it to show", (long long)r->id);
	else if (has_reply)
		g->c[W_REPLIES].imported++;
	if (!g->run->dry_run) {
		const char *guest = efiction_line(a, r->reviewer, NULL);
		struct comment c = {.work_id = work, .chapter_id = chapter, .user_id = by > 0 ? by : 0,
		                    .guest_name = by > 0 ? NULL : cut(a, *guest ? guest : "Anonymous", 100),
		                    .guest_email = by > 0 ? NULL : "", .body = t, .state = COMMENT_SHOWN,
		                    .sanitizer_version = SANITIZER_VERSION};
		int64_t id = 0;
		rc = store_comment_create(g->st, &c, NULL, 0, false, &id);
		if (rc == 0 && r->date > 0)
			rc = store_comment_dates_set(g->st, id, r->date);
		if (rc == 0 && has_reply) {
			const char *owner_name;
			int64_t owner = user_of(g, story->uid, &owner_name);
			struct comment rep = {.work_id = work, .chapter_id = chapter, .parent_id = id,
			                      .user_id = owner > 0 ? owner : g->orphan_id, .body = rt, .state = COMMENT_SHOWN,
			                      .sanitizer_version = SANITIZER_VERSION};
			int64_t rid = 0;
			rc = store_comment_create(g->st, &rep, NULL, 0, false, &rid);
			if (rc == 0 && r->date > 0)
				rc = store_comment_dates_set(g->st, rid, r->date + 1);
		}
		if (rc == 0)
			rc = remember(g, "review", r->id, id);
	}
	arena_free(a);
	return rc;
}

static int import_review_at(struct mig *g, size_t i)
{
	return import_review(g, &g->ef->reviews[i]);
}

static int reviews(struct mig *g)
{
	g->c[W_REVIEWS].source = g->ef->rows[EF_REVIEWS];
	for (size_t i = 0; i < g->ef->nreviews; i++)
		g->c[W_REPLIES].source += g->ef->reviews[i].respond;
	return in_batches(g, "reviews", g->ef->nreviews, 500, import_review_at);
}

/* ---- Favourites ---- */

static int import_favorite(struct mig *g, const struct ef_favorite *f)
{
	char kind[16];
	snprintf(kind, sizeof kind, "favorite-%s", f->type);
	int64_t key = (f->uid << 32) | (f->item & 0xFFFFFFFF);
	if (mapped(g, kind, key)) {
		g->c[W_FAVORITES].already++;
		return 0;
	}
	const char *name;
	int64_t user = user_of(g, f->uid, &name);
	if (user <= 0 && !(user == -1 && g->run->dry_run)) {
		skip(g, W_FAVORITES, "favourite of member %lld: no such member", (long long)f->uid);
		return 0;
	}
	int64_t target = 0;
	const char *what = "";
	if (!strcmp(f->type, "ST")) {
		target = mapped(g, "story", f->item), what = "story";
	} else if (!strcmp(f->type, "AU")) {
		target = user_of(g, f->item, NULL), what = "author";
	} else if (!strcmp(f->type, "SE")) {
		target = mapped(g, "series", f->item), what = "series";
	} else {
		skip(g, W_FAVORITES, "favourite of member %lld: unknown kind %s", (long long)f->uid, f->type);
		return 0;
	}
	if (target <= 0 && !g->run->dry_run) {
		skip(g, W_FAVORITES, "favourite %s %lld of member %lld: it was not imported", what, (long long)f->item,
		     (long long)f->uid);
		return 0;
	}
	g->c[W_FAVORITES].imported++;
	if (!strcmp(f->type, "ST"))
		g->bookmarks++;
	else if (!strcmp(f->type, "AU"))
		g->author_subs++;
	else
		g->series_subs++;
	if (g->run->dry_run)
		return 0;
	int64_t id = 0;
	int rc;
	if (!strcmp(f->type, "ST")) {
		struct arena *a = arena_new();
		struct bookmark b = {.user_id = user, .work_id = target, .tags = ""};
		const char *notes = efiction_html(a, f->comments, NULL);
		b.notes = (struct text){"", ""};
		if (!archive_text_invisible(notes, strlen(notes)))
			comment_text(a, notes, &b.notes);
		rc = store_bookmark_create(g->st, &b, &id);
		arena_free(a);
	} else {
		rc = store_subscription_add(g->st, user, !strcmp(f->type, "AU") ? SUB_USER : SUB_SERIES, target, -1, &id);
	}
	if (rc == Q_EEXIST) { /* made here meanwhile, by hand */
		rc = 0;
		id = target;
	}
	if (rc == 0)
		rc = remember(g, kind, key, id ? id : target);
	return rc;
}

static int import_favorite_at(struct mig *g, size_t i)
{
	return import_favorite(g, &g->ef->favorites[i]);
}

static int favorites(struct mig *g)
{
	g->c[W_FAVORITES].source = g->ef->rows[EF_FAVORITES];
	return in_batches(g, "favourites", g->ef->nfavorites, 500, import_favorite_at);
}

/* ---- The report ---- */

static void report(struct mig *g, struct buf *out, int rc)
{
	const struct efiction *ef = g->ef;
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	buf_printf(out, "eFiction import%s: %s\n", g->run->dry_run ? " (dry run: nothing was written)" : "", when);
	buf_printf(out, "Archive: \"%s\" (eFiction %s, site key %s, tables %s*)%s%s\n", g->m->site,
	           ef->settings.version && *ef->settings.version ? ef->settings.version : "?", g->src, ef->prefix,
	           g->run->from ? ", from " : "", g->run->from ? g->run->from : "");
	if (rc)
		buf_printf(out, "STOPPED by an error (%s): run the import again to resume.\n", err_str(rc));
	buf_printf(out, "\n%-28s %12s %10s %14s %9s\n", "", "in eFiction", "imported", "already here", "skipped");
	for (int w = 0; w < W_COUNT; w++)
		buf_printf(out, "%-28s %12zu %10zu %14zu %9zu\n", what_names[w], g->c[w].source, g->c[w].imported,
		           g->c[w].already, g->c[w].skipped);
	buf_printf(out, "\nOf the stories imported now, %zu are drafts (not validated in eFiction).\n", g->drafts);
	buf_printf(out, "Favourites became %zu bookmarks, %zu author subscriptions and %zu series subscriptions.\n",
	           g->bookmarks, g->author_subs, g->series_subs);
	buf_printf(out, "Members' accounts have no password until their owners claim them at /claim (a link mailed to "
	                "their old address)%s.\n", g->placeholders ? "; some had no usable address (see the notes)" : "");
	if (g->repaired_chapters)
		buf_printf(out, "%zu chapters held text encoded twice (\"â€œ\" for a curly quote): repaired.\n",
		           g->repaired_chapters);
	buf_printf(out, "\nMapping:\n  ratings:");
	for (size_t i = 0; i < g->m->nratings; i++)
		buf_printf(out, "%s %s -> %s", i ? ";" : "", g->m->ratings[i].name, g->m->ratings[i].to);
	buf_printf(out, "\n  classes:");
	for (size_t i = 0; i < g->m->nclasses; i++) {
		const struct efmap_class *c = &g->m->classes[i];
		buf_printf(out, "%s %s -> %s%s%s", i ? ";" : "", c->name,
		           c->kind == EFMAP_WARNING ? "warning " : c->kind == EFMAP_CATEGORY ? "category " : c->kind == EFMAP_DROP ? "" : "tag ",
		           c->kind == EFMAP_DROP ? "(dropped)" : "", c->kind == EFMAP_DROP ? "" : c->to);
	}
	buf_printf(out, "\n  categories:");
	for (size_t i = 0; i < g->m->ncategories; i++)
		buf_printf(out, "%s %s -> fandom %s", i ? ";" : "", g->m->categories[i].name, g->m->categories[i].to);
	buf_printf(out, "\n  stories without a warning class: %s; review ratings: %s\n", g->m->no_warning,
	           g->m->review_ratings ? "kept in the review's text" : "dropped");
	if (ef->nproblems) {
		buf_puts(out, "\nReading the archive:\n");
		for (size_t i = 0; i < ef->nproblems; i++)
			buf_printf(out, "  %s\n", ef->problems[i]);
	}
	if (g->nskipped) {
		buf_puts(out, "\nSkipped, and why:\n");
		buf_puts(out, buf_cstr(&g->skipped));
		if (g->nskipped > SKIPPED_SHOWN)
			buf_printf(out, "  ... and %zu more\n", g->nskipped - SKIPPED_SHOWN);
	}
	if (g->nnotes) {
		buf_puts(out, "\nNotes:\n");
		buf_puts(out, buf_cstr(&g->notes));
		if (g->nnotes > SKIPPED_SHOWN)
			buf_printf(out, "  ... and %zu more\n", g->nnotes - SKIPPED_SHOWN);
	}
	buf_puts(out, "\nNot carried over: eFiction's passwords (unsalted MD5), view counts, featured flags, news posts, "
	              "review ratings' averages, series summaries.\n");
}

int archive_efiction_migrate(struct store *st, struct efiction *ef, const struct efiction_map *m,
                             const struct efiction_run *run, struct buf *out)
{
	struct mig g = {.st = st, .ef = ef, .m = m, .run = run, .a = arena_new()};
	const char *key = run->source && *run->source ? run->source : ef->settings.sitekey;
	g.src = key && *key ? key : "efiction";
	g.users = arena_calloc(g.a, ef->nauthors + 1, sizeof *g.users);
	g.user_names = arena_calloc(g.a, ef->nauthors + 1, sizeof *g.user_names);
	struct user orphan;
	g.orphan_id = store_user_get_by_name(st, g.a, "orphan_account", &orphan) == 0 ? orphan.id : 0;
	int rc = members(&g);
	if (rc == 0)
		rc = tags(&g);
	if (rc == 0)
		rc = stories(&g);
	if (rc == 0)
		rc = series(&g);
	if (rc == 0)
		rc = reviews(&g);
	if (rc == 0)
		rc = favorites(&g);
	if (rc == 0 && !run->dry_run) {
		char v[32];
		snprintf(v, sizeof v, "%lld", (long long)time(NULL));
		store_setting_set(st, arena_printf(g.a, "import.efiction.%s", g.src), v);
	}
	report(&g, out, rc);
	buf_free(&g.skipped);
	buf_free(&g.notes);
	arena_free(g.a);
	return rc;
}

/* ---- Old links ---- */

int64_t archive_efiction_chapter_key(int64_t sid, int64_t inorder)
{
	return sid * 100000 + (inorder > 0 && inorder < 100000 ? inorder : 0);
}

static int64_t arg_id(const char *(*arg)(void *, const char *), void *ctx, const char *name)
{
	const char *v = arg(ctx, name);
	if (!v || !*v || strlen(v) > 15)
		return 0;
	for (const char *p = v; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return atoll(v);
}

bool archive_efiction_link(struct store *st, struct arena *a, const char *path,
                           const char *(*arg)(void *ctx, const char *name), void *ctx, const char **location)
{
	*location = NULL;
	const char *page = strrchr(path, '/');
	page = page ? page + 1 : path;
	int64_t id = 0;
	if (!strcmp(page, "index.php")) {
		*location = "/";
	} else if (!strcmp(page, "viewstory.php")) {
		int64_t sid = arg_id(arg, ctx, "sid");
		const char *chapter = arg(ctx, "chapter"), *index = arg(ctx, "i");
		if (sid <= 0 || store_import_map_find(st, "story", sid, &id) != 0)
			return true;
		int64_t m = arg_id(arg, ctx, "chapter"), cid = 0;
		if (chapter && !strcmp(chapter, "all"))
			*location = arena_printf(a, "/works/%lld?view_full_work=true", (long long)id);
		else if (index && !strcmp(index, "1"))
			*location = arena_printf(a, "/works/%lld/navigate", (long long)id);
		else if (m > 0 && store_import_map_find(st, "chapterpos", archive_efiction_chapter_key(sid, m), &cid) == 0)
			*location = arena_printf(a, "/works/%lld/chapters/%lld", (long long)id, (long long)cid);
		else
			*location = arena_printf(a, "/works/%lld", (long long)id);
	} else if (!strcmp(page, "viewuser.php")) {
		struct user u;
		int64_t uid = arg_id(arg, ctx, "uid");
		if (uid > 0 && store_import_map_find(st, "user", uid, &id) == 0 && store_user_get(st, a, id, &u) == 0)
			*location = arena_printf(a, "/users/%s", u.name);
	} else if (!strcmp(page, "viewseries.php")) {
		int64_t sid = arg_id(arg, ctx, "seriesid");
		if (sid > 0 && store_import_map_find(st, "series", sid, &id) == 0)
			*location = arena_printf(a, "/series/%lld", (long long)id);
	} else if (!strcmp(page, "browse.php")) {
		const char *type = arg(ctx, "type");
		struct tag_detail t;
		int64_t cat = arg_id(arg, ctx, "catid"), ch = arg_id(arg, ctx, "charid");
		if (type && !strcmp(type, "categories") && cat > 0 && store_import_map_find(st, "category", cat, &id) == 0 &&
		    store_tag_detail(st, a, id, &t) == 0)
			*location = archive_tag_url(a, t.tag.name);
		else if (type && !strcmp(type, "characters") && ch > 0 && store_import_map_find(st, "character", ch, &id) == 0 &&
		         store_tag_detail(st, a, id, &t) == 0)
			*location = archive_tag_url(a, t.tag.name);
		else if (type && !strcmp(type, "categories") && cat <= 0)
			*location = "/media";
		else if (!type)
			*location = "/works";
	} else if (!strcmp(page, "reviews.php")) {
		const char *type = arg(ctx, "type");
		int64_t item = arg_id(arg, ctx, "item");
		if (item <= 0)
			item = arg_id(arg, ctx, "sid");
		if (type && !strcmp(type, "SE") && item > 0 && store_import_map_find(st, "series", item, &id) == 0)
			*location = arena_printf(a, "/series/%lld", (long long)id);
		else if (item > 0 && store_import_map_find(st, "story", item, &id) == 0)
			*location = arena_printf(a, "/works/%lld?view_full_work=true#comments", (long long)id);
	} else {
		return false;
	}
	return true;
}
